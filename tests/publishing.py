"""Publishing new content in tests the way an operator does: change `seeds/`, reload."""

from __future__ import annotations

import copy
import itertools
from pathlib import Path

import yaml

from bot.services import Services

SEED_FILE = "borisov-2025-11-12.yaml"
_counter = itertools.count(1)


def add_snippet(seeds_dir: Path, topic: str, title: str | None = None, *, draft: bool = False) -> str:
    """Append a snippet on `topic` to the seed file: a copy of an existing one on that topic
    (so it passes the faithfulness checks) under a new id and title, a draft if asked. Returns
    its id."""
    path = seeds_dir / SEED_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    model = next(snippet for snippet in data["snippets"] if snippet["topic"] == topic)
    snippet = copy.deepcopy(model)
    number = next(_counter)
    snippet["id"] = f"{topic}-followup-{number}"
    snippet["title"] = title or f"{model['title']} — продолжение"
    if draft:
        snippet["status"] = "draft"
    data["snippets"].append(snippet)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return snippet["id"]


async def publish(services: Services, seeds_dir: Path, topic: str, title: str | None = None) -> str:
    """Add a snippet and apply the seeds; its deliveries are queued in the same transaction."""
    snippet_id = add_snippet(seeds_dir, topic, title)
    report = await services.intake.reload_seeds()
    assert report.published_ids, report
    return snippet_id


async def seed_draft(services: Services, seeds_dir: Path, topic: str, title: str) -> int:
    """A draft from the seed interview (a source with a text, unlike an editors' note), by the
    number editors use."""
    add_snippet(seeds_dir, topic, title, draft=True)
    await services.intake.reload_seeds()
    return next(record.id for record in await services.editorial.drafts(50) if record.title == title)
