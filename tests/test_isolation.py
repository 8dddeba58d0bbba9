"""Nothing is visible before it is committed: an upload's summary is a trial run on a
connection of its own, so readers searching meanwhile never see what it tried — before, during
or after it is cancelled — and their cached briefings stay as they were."""

from __future__ import annotations

import asyncio

import yaml

from bot.domain.actors import Actor
from bot.storage.content_repository import ContentRepository
from tests.conftest import ROOT

OWNER = Actor(42, "Olga", "telegram")
TITLE = "Ромашковое поле: тестовый заголовок"


def upload_with_new_snippet() -> bytes:
    data = yaml.safe_load((ROOT / "seeds/borisov-2025-11-12.yaml").read_text(encoding="utf-8"))
    snippet = dict(data["snippets"][2], id="energy-romashka", title=TITLE)
    data["snippets"].append(snippet)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode()


async def test_readers_never_see_a_previewed_upload_that_is_then_cancelled(services, monkeypatch) -> None:
    energy = services.catalogue.by_slug("energy")
    before = await services.briefings.topic(energy, "ru")
    inside = asyncio.Event()
    release = asyncio.Event()
    real = ContentRepository._apply_source

    async def paused(self, *args, **kwargs):
        await real(self, *args, **kwargs)
        inside.set()
        await release.wait()  # hold the trial transaction open while readers ask

    monkeypatch.setattr(ContentRepository, "_apply_source", paused)
    upload = await services.intake.read(upload_with_new_snippet(), "upload.yaml")
    trial = asyncio.create_task(services.intake.apply(upload, OWNER, dry_run=True))
    await asyncio.wait_for(inside.wait(), 5)
    seen = [await services.content.search("Ромашковое поле") for _ in range(20)]
    briefing = await services.briefings.topic(energy, "ru")
    release.set()
    report = await trial
    assert report.added == ["borisov-2025-11-12/energy-romashka"]  # the trial did write it…
    assert all(found == [] for found in seen)  # …where no reader could see it
    assert TITLE not in briefing.parts[0]
    monkeypatch.setattr(ContentRepository, "_apply_source", real)
    assert await services.content.search("Ромашковое поле") == []  # cancelled: nothing left
    assert await services.briefings.topic(energy, "ru") == before
