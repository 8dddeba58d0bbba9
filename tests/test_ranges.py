"""A range ("8–9 млн тонн") is one figure with both ends, end to end: the content model and the
seed format, the rule "which number" both ways (a range must be the source's range, and one
end of a range is no figure), storage on either backend, what readers see in Russian and
English (briefing, /figures, the chart), /export and import, the editors' /figure, and articles
read into drafts. The texts are written for these tests."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings as hypothesis_settings, strategies as st
from pydantic import ValidationError

from bot.domain.faithfulness import figure_problem
from bot.domain.models import Figure
from bot.presentation import fields
from tests.conftest import ROOT, running_bot, services_of
from tests.helpers import ask, button_with, press

OWNER_ID = 42  # settings.admin_ids in conftest

GRAIN_TEXT = (
    "Аграрии ждут урожая выше прошлогоднего, хотя весна была поздней.\n\n"
    "По оценке министерства, страна сможет вывезти за рубеж 8–9 млн тонн зерна. "
    "Хранилища элеваторов рассчитаны на 12 млн тонн.\n\n"
    "Сезон перевозок по железной дороге обычно занимает 15-20 дней."
)
GRAIN_EXPORT = "По оценке министерства, страна сможет вывезти за рубеж 8–9 млн тонн зерна."
STORAGE = "Хранилища элеваторов рассчитаны на 12 млн тонн."


def grain_document(*figures: dict) -> dict:
    return {
        "source": {"id": "grain-2026", "title": "Зерновой сезон", "date": "2026-02-01", "kind": "analysis",
                   "author": {"name": "Аналитик"}, "text": "sources/grain-2026.txt"},
        "snippets": [{
            "id": "grain-exports", "topic": "economy", "title": "Зерно: вывоз и хранение",
            "summary": "Министерство ждёт вывоза зерна в пределах 8–9 млн тонн.",
            "title_en": "Grain: exports and storage",
            "summary_en": "The ministry expects grain exports of 8–9 million tonnes.",
            "figures": list(figures) or [
                {"value": 8, "value_to": 9, "unit": "млн тонн", "label": "Вывоз зерна", "label_en": "Grain exports",
                 "evidence": GRAIN_EXPORT},
                {"value": 12, "unit": "млн тонн", "label": "Ёмкость хранилищ", "label_en": "Storage capacity",
                 "evidence": STORAGE},
            ],
        }],
    }


def write_grain(seeds_dir: Path, document: dict | None = None) -> None:
    (seeds_dir / "sources" / "grain-2026.txt").write_text(GRAIN_TEXT, encoding="utf-8")
    text = yaml.safe_dump(document or grain_document(), allow_unicode=True, sort_keys=False)
    (seeds_dir / "grain-2026.yaml").write_text(text, encoding="utf-8")


@pytest.fixture
def owner(emulator):
    return emulator.make_user(OWNER_ID, "Olga", language_code="ru")


@pytest.fixture
def grain(seeds_dir: Path) -> None:
    write_grain(seeds_dir)


# --- the content model ------------------------------------------------------------------------


def test_a_range_is_written_low_to_high_with_an_en_dash() -> None:
    figure = Figure(value="2.3", value_to="2.5", unit="млн тонн", label="сбор", evidence="2,3–2,5 млн тонн")
    assert figure.value_text == "2,3–2,5"
    assert fields.figure_amount(figure, "ru") == "2,3–2,5 млн тонн"
    assert fields.figure_amount(figure, "en") == "2.3–2.5 million tonnes"
    one = Figure(value=1, value_to=2, unit="тонна", label="x", evidence="1–2 тонны")
    assert fields.figure_amount(one, "en") == "1–2 tonnes"  # a range's unit in the plural, even from 1


@pytest.mark.parametrize("low, high", [(9, 9), (9, 8), ("1.5", "1.5")])
def test_an_upper_end_not_above_the_lower_is_refused_naming_the_field(low, high) -> None:
    with pytest.raises(ValidationError) as refused:
        Figure(value=low, value_to=high, unit="млн тонн", label="x", evidence="x")
    [error] = refused.value.errors()
    assert error["loc"] == ("value_to",) and "must be greater than value" in error["msg"]


@pytest.mark.parametrize("high", ["1E+1000000", "NaN", "Infinity", "1e15", "0.0000001"])
def test_an_upper_end_is_held_to_what_a_value_may_be(high) -> None:
    with pytest.raises(ValidationError):
        Figure(value=0, value_to=high, unit="млн тонн", label="x", evidence="x")


async def test_a_seed_file_with_its_range_upside_down_is_refused_with_the_field(bot, emulator, owner, seeds_dir):
    (seeds_dir / "sources" / "grain-2026.txt").write_text(GRAIN_TEXT, encoding="utf-8")
    figure = {"value": 9, "value_to": 8, "unit": "млн тонн", "label": "Вывоз зерна", "evidence": GRAIN_EXPORT}
    document = yaml.safe_dump(grain_document(figure), allow_unicode=True).encode()
    emulator.send_document(owner, "grain-2026.yaml", document)
    [reply] = await emulator.wait_for_messages(owner["id"])
    assert "ничего не изменилось" in reply["text"]
    assert "field 'figures[0].value_to'" in reply["text"] and "must be greater than value (9)" in reply["text"]


# --- which number: both ways --------------------------------------------------------------------


def problem_of(value, value_to, unit: str, evidence: str) -> str | None:
    problem = figure_problem(Figure(value=value, value_to=value_to, unit=unit, label="x", evidence=evidence), evidence)
    return problem and problem.kind


@pytest.mark.parametrize("value, value_to, unit, evidence", [
    (8, 9, "млн тонн", "Страна вывезет 8-9 миллионов тонн зерна."),
    (8, 9, "млн тонн", "Страна вывезет от 8 до 9 млн тонн зерна."),
    (14, 15, "млрд долларов", "Вложения составят 14–15 млрд долларов."),
    (14, 15, "billion dollars", "The fund will invest $14–15 billion in ports."),
    (50, 55, "%", "Freight fell by 50–55% over the year."),
    (50, 55, "%", "Доля составит от 50% до 55%."),
    (8, 10, "элеваторов", "Построят от 8 до 10 элеваторов."),
    (15, 20, "дней", "Сезон занимает 15-20 дней."),
])
def test_a_range_passes_where_its_evidence_states_that_range(value, value_to, unit, evidence) -> None:
    assert problem_of(value, value_to, unit, evidence) is None


@pytest.mark.parametrize("value, unit, evidence", [
    (8, "млн тонн", "Страна вывезет 8-9 миллионов тонн зерна."),
    (9, "млн тонн", "Страна вывезет 8-9 миллионов тонн зерна."),
    (14, "млрд долларов", "Вложения составят от 14 до 15 млрд долларов."),
    (55, "%", "Freight fell by 50–55% over the year."),
    (8, "элеваторов", "Построят от 8 до 10 элеваторов."),  # a unit the lexicon does not know
    (20, "дней", "Сезон занимает 15-20 дней."),
])
def test_one_end_of_a_range_is_no_figure(value, unit, evidence) -> None:
    assert problem_of(value, None, unit, evidence) == "range"


@pytest.mark.parametrize("value, value_to, unit, evidence, kind", [
    (8, 9, "млн тонн", "Страна вывезет 8 млн тонн зерна.", "norange"),
    (8, 10, "млн тонн", "Страна вывезет 8-9 миллионов тонн зерна.", "range"),
    (6, 31, "%", "Доля сервиса увеличится от 6% до 31%.", "norange"),  # a change, not a range
])
def test_a_range_the_evidence_does_not_state_is_refused(value, value_to, unit, evidence, kind) -> None:
    assert problem_of(value, value_to, unit, evidence) == kind


def test_a_change_from_one_value_to_another_gives_each_its_own_figure() -> None:
    evidence = "Доля сервиса увеличится от 6% до 31%."
    assert problem_of(6, None, "%", evidence) is None and problem_of(31, None, "%", evidence) is None


@hypothesis_settings(max_examples=80, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 10_000), st.sampled_from(["-", "–", " – "]),
       st.sampled_from(["млн тонн", "млрд долларов", "%", "тыс. человек"]))
def test_a_figure_matches_a_range_only_with_both_its_ends(low, gap, dash, unit) -> None:
    high = low + gap
    evidence = f"Объём составит {low}{dash}{high} {unit} по итогам года."
    assert problem_of(low, high, unit, evidence) is None
    assert problem_of(low, None, unit, evidence) is not None
    assert problem_of(high, None, unit, evidence) is not None
    assert problem_of(low, high + 1, unit, evidence) is not None


def test_a_seed_figure_that_is_one_end_of_its_evidences_range_stops_the_load(seeds_dir, settings) -> None:
    from bot.domain.catalogue import load_catalogue
    from bot.domain.seeds import load_source_file
    from bot.domain.validation import ContentError

    one_end = {"value": 8, "unit": "млн тонн", "label": "Вывоз зерна", "evidence": GRAIN_EXPORT}
    write_grain(seeds_dir, grain_document(one_end))
    with pytest.raises(ContentError) as refused:
        load_source_file(seeds_dir / "grain-2026.yaml", seeds_dir, load_catalogue(settings.topics_file))
    assert "figures[0].value" in str(refused.value) and "the source gives a range, «8–9 млн тонн»" in str(refused.value)


# --- readers, both languages --------------------------------------------------------------------


async def test_readers_see_a_range_as_a_range_in_both_languages(settings, grain, emulator, anna, john) -> None:
    async with running_bot(settings, emulator):
        [russian] = await ask(emulator, anna, "/economy")
        [english] = await ask(emulator, john, "/economy")
        [listed] = await ask(emulator, anna, "/figures")
        [listed_en] = await ask(emulator, john, "/figures")
        [picture] = await ask(emulator, anna, "/figures economy")
        [picture_en] = await ask(emulator, john, "/figures economy")
    assert "8–9 млн тонн" in russian["text"] and "12 млн тонн" in russian["text"]
    assert "8–9 million tonnes" in english["text"] and "Grain exports" in english["text"]
    assert "8–9 млн тонн — Вывоз зерна" in listed["text"]
    assert "8–9 million tonnes — Grain exports" in listed_en["text"]
    for text in (russian["text"], listed["text"]):
        assert "8 млн тонн" not in text and "9 млн тонн" not in text.replace("8–9 млн тонн", "")
    assert picture["photo"] and "8–9 млн тонн" in picture["caption"]
    assert "Диапазон: сплошная полоса — до нижней границы" in picture["caption"]
    assert "8–9 million tonnes" in picture_en["caption"] and "A range: the solid bar" in picture_en["caption"]
    assert not emulator.errors


async def test_the_chart_draws_a_range_from_its_lower_to_its_upper_end(grain, services) -> None:
    economy = services.catalogue.by_slug("economy")
    chart = await services.briefings.chart("ru", economy)
    tonnes = next(panel for panel in chart.panels if panel.family == "t")
    assert [bar.text for bar in tonnes.bars] == ["8–9 млн тонн", "12 млн тонн"]
    assert tonnes.lengths == (Decimal("8E+6"), Decimal("1.2E+7"))
    assert tonnes.uppers == (Decimal("9E+6"), None) and tonnes.has_range
    dollars = next(panel for panel in chart.panels if panel.family == "USD")
    assert not dollars.has_range  # no range: no note needed for this panel, the caption has one for the picture


# --- storage, export and import ---------------------------------------------------------------------


async def test_a_range_is_stored_and_exported_and_imports_back_unchanged(settings, grain, emulator, owner) -> None:
    async with running_bot(settings, emulator) as app:
        [view] = [v for v in await services_of(app).content.published_snippets("economy") if v.key == "grain-exports"]
        assert [(f.value, f.value_to) for f in view.figures] == [(8, 9), (12, None)]
        documents = await ask(emulator, owner, "/export", count=2)
        exported = {d["document"]["file_name"]: emulator.document_bytes(d["document"]["file_id"]) for d in documents}
        grain_file = yaml.safe_load(exported["grain-2026.yaml"])
        first, second = grain_file["snippets"][0]["figures"]
        assert (first["value"], first["value_to"]) == (8, 9) and "value_to" not in second
        emulator.send_document(owner, "grain-2026.yaml", exported["grain-2026.yaml"])
        [reply] = await emulator.wait_for_messages(owner["id"])
        assert "совпадает" in reply["text"]
        changed = exported["grain-2026.yaml"].replace(b"value_to: 9", b"value_to: 10")
        emulator.send_document(owner, "grain-2026.yaml", changed)
        [refused] = await emulator.wait_for_messages(owner["id"])
    assert "ничего не изменилось" in refused["text"] and "the source gives a range, «8–9 млн тонн»" in refused["text"]


def test_a_figure_without_a_range_keeps_the_fingerprint_it_had_before_ranges() -> None:
    """Content stored before ranges existed is not rewritten at the next start: a figure with no
    range hashes as it did (the hash below is the one computed before `value_to` existed)."""
    from bot.domain.models import fingerprint

    plain = Figure(value=12, unit="млн тонн", label="Ёмкость хранилищ", evidence=STORAGE)
    assert fingerprint(plain) == "56e15073f99c7474a02335d9543e2a41b29cea994a8eed862e3c7862f4a7bbb7"
    assert fingerprint(plain.model_copy(update={"value_to": Decimal(13)})) != fingerprint(plain)


# --- editors -----------------------------------------------------------------------------------------


async def test_an_editor_adds_a_range_with_figure(settings, grain, emulator, owner, anna) -> None:
    async with running_bot(settings, emulator) as app:
        [view] = [v for v in await services_of(app).content.published_snippets("economy") if v.key == "grain-exports"]
        [one_end] = await ask(emulator, owner, f"/figure {view.id} 15 дней | сезон перевозок")
        assert "15 дней: в источнике диапазон — «Сезон перевозок по железной дороге обычно занимает 15-20 дней»" \
            in one_end["text"]
        [upside_down] = await ask(emulator, owner, f"/figure {view.id} 20-15 дней | сезон перевозок")
        assert "20-15: у диапазона сначала нижняя граница" in upside_down["text"]
        [not_there] = await ask(emulator, owner, f"/figure {view.id} 15–25 дней | сезон перевозок")
        assert "15–25" in not_there["text"] and "Не принято" in not_there["text"]
        _heading, preview = await ask(emulator, owner, f"/figure {view.id} 15 – 20 дней | сезон перевозок", count=2)
        assert "15–20 дней — сезон перевозок" in preview["text"]
        [applied] = await press(emulator, owner, preview, button_with(preview, "ed:ap:"))
        [briefing] = await ask(emulator, anna, "/figures economy")
        [view] = [v for v in await services_of(app).content.published_snippets("economy") if v.key == "grain-exports"]
    assert (view.figures[-1].value, view.figures[-1].value_to, view.figures[-1].unit) == (15, 20, "дней")
    assert "Сезон перевозок по железной дороге обычно занимает 15-20 дней." == view.figures[-1].evidence
    assert "15–20 дней — сезон перевозок" in briefing["caption"]
    assert not emulator.errors


async def test_the_desk_takes_a_range_by_the_same_rules(grain, services) -> None:
    import json
    import time
    from urllib.parse import urlencode

    from aiohttp import test_utils

    from bot.desk import auth
    from bot.desk.api import DeskApi, desk_app
    from tests.conftest import TEST_TOKEN

    fields = {"auth_date": str(int(time.time())), "user": json.dumps({"id": OWNER_ID, "first_name": "Ed",
                                                                     "language_code": "en"})}
    fields["hash"] = auth.sign(fields, TEST_TOKEN)
    owner = {"X-Telegram-Init-Data": urlencode(fields)}
    [view] = [v for v in await services.content.published_snippets("economy") if v.key == "grain-exports"]
    api = DeskApi(services.desk, TEST_TOKEN, max_age=3600)
    async with test_utils.TestClient(test_utils.TestServer(desk_app(api))) as client:
        base = f"/api/snippets/{view.id}"
        sheet = await (await client.get(base, headers=owner)).json()
        assert sheet["figures"][0]["value"] == "8–9"
        refused = await client.post(base + "/figures", headers=owner,
                                    json={"value": "20", "unit": "дней", "label": "transport season"})
        assert refused.status == 422 and "the source gives a range" in (await refused.json())["message"]
        held = await (await client.post(base + "/figures", headers=owner,
                                        json={"value": "15–20", "unit": "дней", "label": "сезон перевозок"})).json()
        assert "15–20 дней" in held["preview"][0]
        assert (await (await client.post("/api/confirm", headers=owner, json={"token": held["token"], "apply": True})).json())["ok"]
    [view] = await services.content.snippets_by_id([view.id])
    assert (view.figures[-1].value, view.figures[-1].value_to) == (15, 20)


# --- articles into drafts ---------------------------------------------------------------------------

ARTICLE = """Урожай на севере: прогноз министерства

12 февраля 2026

Министерство сельского хозяйства обновило прогноз на сезон. Аграрии смогут продать за рубеж \
8-9 млн тонн пшеницы, а вложения в новые элеваторы составят от 14 до 15 млрд тенге.

Доля зерна в экспорте региона за пять лет увеличилась от 6% до 31%. Перевалка в порту обычно \
составляет 15-20 дней.
"""


async def test_an_article_with_ranges_becomes_drafts_with_ranges(bot, emulator, owner) -> None:
    emulator.send_document(owner, "harvest.txt", ARTICLE.encode())
    [summary] = await emulator.wait_for_messages(owner["id"])
    text = summary["text"]
    assert "8–9 млн тонн" in text and "14–15 млрд тенге" in text and "15–20 дней" in text
    assert "6 %" in text and "31 %" in text and "6–31" not in text  # a change: two figures
    await press(emulator, owner, summary, button_with(summary, "ed:ap:"))
    drafts = await services_of(bot).editorial.repository.drafts()
    views = await services_of(bot).content.snippets_by_id([draft.id for draft in drafts])
    ranges = {(f.value, f.value_to, f.unit) for view in views for f in view.figures if f.value_to is not None}
    assert ranges == {(8, 9, "млн тонн"), (14, 15, "млрд тенге"), (15, 20, "дней")}


def test_a_dry_run_writes_a_range_as_value_and_value_to(settings, tmp_path) -> None:
    import os
    import subprocess
    import sys

    article = tmp_path / "harvest.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    env = {**os.environ, "DATABASE_PATH": str(settings.database_path), "SEEDS_DIR": str(settings.seeds_dir),
           "TOPICS_FILE": str(ROOT / "config" / "topics.yaml"), "BOT_TOKEN": "", "DATABASE_URL": settings.postgres_url or ""}
    done = subprocess.run([sys.executable, "-m", "bot", "ingest", "--dry-run", str(article)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    document = yaml.safe_load(done.stdout.split("\n\n")[0])
    figures = [f for s in document["snippets"] for f in s.get("figures") or []]
    assert {(f["value"], f.get("value_to"), f["unit"]) for f in figures} >= {
        (8, 9, "млн тонн"), (14, 15, "млрд тенге"), (6, None, "%"), (31, None, "%"), (15, 20, "дней")}
