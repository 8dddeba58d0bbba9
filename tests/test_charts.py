"""/figures as a picture: one chart per unit family (never dollars beside a number of no stated
currency), the same numbers in the caption with whose they are, taken from the source; labels
cut with "…"; rendered once per content version and sent again by Telegram's file_id."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

import yaml
from hypothesis import given, settings as hypothesis_settings, strategies as st
from PIL import Image

from bot.domain.models import Figure, Person, Topic
from bot.domain.views import SourceView
from bot.presentation import charts, render
from tests.conftest import running_bot, services_of
from tests.emulator.html_entities import parse_html
from tests.helpers import ask

ROOT = Path(__file__).resolve().parent.parent
SOURCE = " ".join((ROOT / "seeds/sources/borisov-2025-11-12.txt").read_text(encoding="utf-8").split())

# a source whose figures come in three unit families and one bare scale
TRADE_TEXT = (
    "Экспорт зерна вырос до 8 млн тонн. Импорт угля составил 3 млн тонн. "
    "Доля несырьевого экспорта достигла 35%. Доля поставок в Китай — 12%. "
    "Инвестиции составили 500 млн долларов. Кредиты достигли 2 млрд долларов. "
    "Оборот площадки составил 14 млрд."
)
TRADE_FIGURES = [  # (value, unit, label, evidence)
    (8, "млн тонн", "Экспорт зерна", "Экспорт зерна вырос до 8 млн тонн."),
    (35, "%", "Доля несырьевого экспорта", "Доля несырьевого экспорта достигла 35%."),
    (500, "млн долларов", "Инвестиции", "Инвестиции составили 500 млн долларов."),
    (3, "млн тонн", "Импорт угля", "Импорт угля составил 3 млн тонн."),
    (12, "%", "Доля поставок в Китай", "Доля поставок в Китай — 12%."),
    (2, "млрд долларов", "Кредиты", "Кредиты достигли 2 млрд долларов."),
    (14, "млрд", "Оборот площадки", "Оборот площадки составил 14 млрд."),
]


def write_trade_source(seeds_dir: Path) -> None:
    (seeds_dir / "sources" / "trade.txt").write_text(TRADE_TEXT, encoding="utf-8")
    document = {
        "source": {"id": "trade", "title": "Торговый обзор", "date": "2026-02-01", "kind": "analysis",
                   "author": {"name": "Аналитик"}, "text": "sources/trade.txt"},
        "snippets": [{
            "id": "trade-figures", "topic": "economy", "title": "Торговля в цифрах",
            "summary": "Торговля растёт по всем направлениям.",
            "figures": [{"value": value, "unit": unit, "label": label, "evidence": evidence}
                        for value, unit, label, evidence in TRADE_FIGURES],
        }],
    }
    (seeds_dir / "trade.yaml").write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")


async def test_dollars_and_a_number_of_no_stated_currency_never_share_an_axis(services) -> None:
    economy = services.catalogue.by_slug("economy")
    chart = await services.briefings.chart("ru", economy)
    image = Image.open(io.BytesIO(chart.png))
    assert image.format == "PNG" and image.size[0] == 1080
    [dollars] = chart.panels  # "20 тысяч компаний" is alone in its family: text, not a bar
    assert dollars.family == "USD" and dollars.title == "млрд долларов"
    assert [bar.text for bar in dollars.bars] == ["4 млрд долларов", "30 млрд долларов"]
    on_chart, apart = chart.caption.split("Не на графике:")
    assert "На графике, млрд долларов:" in on_chart and "28 млрд" not in on_chart
    assert "<b>28 млрд</b>" in apart and "валюта и период не указаны" in apart  # shown apart, with its caveat
    assert "20 тысяч компаний" in apart
    caption_numbers = re.findall(r"<b>(\d+) ", chart.caption)
    assert sorted(caption_numbers) == ["20", "28", "30", "4"]  # every figure, once
    for number in caption_numbers:
        assert re.search(rf"(?<!\d){number}(?!\d)", SOURCE)
    assert await services.briefings.chart("ru", services.catalogue.by_slug("energy")) is None  # no figures


async def test_each_unit_family_gets_its_own_chart_end_to_end(settings, emulator, anna, john) -> None:
    write_trade_source(settings.seeds_dir)
    async with running_bot(settings, emulator) as app:
        [picture] = await ask(emulator, anna, "/figures economy")
        [english] = await ask(emulator, john, "/figures economy")
        chart = await services_of(app).briefings.chart("ru", services_of(app).catalogue.by_slug("economy"))
    assert picture["photo"] and not emulator.errors
    families = {panel.family: [bar.text for bar in panel.bars] for panel in chart.panels}
    assert families == {
        "t": ["8 млн тонн", "3 млн тонн"],
        "%": ["35 %", "12 %"],
        "USD": ["500 млн долларов", "2 млрд долларов", "4 млрд долларов", "30 млрд долларов"],
    }  # newest source first; a family's bars compare by magnitude: 500 млн is a quarter of 2 млрд
    dollars = next(panel for panel in chart.panels if panel.family == "USD")
    assert dollars.lengths[:2] == (Decimal("5E+8"), Decimal("2E+9"))
    assert dollars.title == "млн долларов / млрд долларов"
    caption = picture["caption"]
    for heading in ("На графике, млн тонн:", "На графике, %:", "На графике, млн долларов / млрд долларов:"):
        assert heading in caption
    apart = caption.split("Не на графике:")[1]
    assert "14 млрд — Оборот площадки (единица не указана)" in apart  # no caveat from the editors: said plainly
    assert "28 млрд" in apart and "14 млрд" not in caption.split("Не на графике:")[0]
    assert "On the chart" in english["caption"] and "unit not stated" in english["caption"]


def test_a_family_is_read_from_the_source_unit_whatever_the_reader_language() -> None:
    bars = [(charts.Bar("a", Decimal(4), "4 billion dollars", unit="billion dollars"), "млрд долларов"),
            (charts.Bar("b", Decimal(28), "28 billion", unit="billion"), "млрд"),
            (charts.Bar("c", Decimal(700), "700 million dollars", unit="million dollars"), "млн долларов")]
    [panel] = charts.panels(bars)
    assert panel.family == "USD" and panel.members == (0, 2) and panel.title == "billion dollars / million dollars"


def test_one_number_makes_no_chart() -> None:
    bar = charts.Bar("товарооборот", Decimal(30), "30 млрд")
    assert charts.panels([(bar, "млрд долларов")]) == []
    assert charts.panels([(bar, "млрд"), (bar, "млрд")]) == []  # no stated unit: no chart at all
    assert charts.panels([(bar, "млрд долларов"), (bar, "%")]) == []


def test_a_long_label_is_cut_with_an_ellipsis_never_silently() -> None:
    long = "Компании с российским участием — почти половина всех предприятий с иностранным капиталом в стране"
    label = charts.bar_label(charts.Bar(long, Decimal(1), "1"))
    assert label.endswith("…") and len(label.split("\n")) == charts.LABEL_LINES
    assert label.replace("\n", " ").removesuffix("…").strip() in long
    short = charts.bar_label(charts.Bar("Цель по товарообороту", Decimal(1), "1"))
    assert short == "Цель по товарообороту"


def test_the_picture_draws_every_family_it_is_given() -> None:
    bars = [(charts.Bar(label, Decimal(value), f"{value} {unit}", unit=unit), unit)
            for value, unit, label, _evidence in TRADE_FIGURES]
    drawn = charts.panels(bars)
    png = charts.render_panels("Экономика: ключевые цифры", drawn)
    image = Image.open(io.BytesIO(png))
    assert len(drawn) == 3 and image.size[0] == 1080
    single = Image.open(io.BytesIO(charts.render_panels("x", drawn[:1])))
    assert image.size[1] > single.size[1]  # three charts, one under another


SOURCE_VIEW = SourceView("s", "Источник", None, "analysis", Person(name="Автор"), None)
units = st.sampled_from(["млрд долларов", "млн долларов", "млрд", "%", "тысяч компаний", "млн тонн", "billion"])


@hypothesis_settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 10**6), units, st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=200)), min_size=1, max_size=40))
def test_any_caption_is_valid_html_within_the_limit(figures) -> None:
    economy = Topic.model_validate({
        "slug": "economy", "command": "economy", "emoji": "📈", "title": {"ru": "Экономика", "en": "Economy"},
        "description": {"ru": "-", "en": "-"}, "keywords": ["x"]})
    rows = [(Figure(value=Decimal(value), unit=unit, label=label.strip() or "x", evidence="x"), SOURCE_VIEW)
            for value, unit, label in figures]
    drawn = charts.panels([(charts.Bar(f.label, f.value, f.value_text, unit=f.unit), f.unit) for f, _ in rows])
    caption = render.chart_caption(economy, rows, drawn, "ru", 1000)
    assert len(caption) <= 1000
    parse_html(caption)  # raises where Telegram would refuse it


async def test_a_thousand_readers_cost_one_render_and_one_upload(bot, emulator, anna, john) -> None:
    [first] = await ask(emulator, anna, "/figures economy")
    [second] = await ask(emulator, emulator.make_user(1003, "Ivan", language_code="ru"), "/figures economy")
    assert first["photo"] and second["photo"][0]["file_id"] == first["photo"][0]["file_id"]
    uploads = [call for call in emulator.calls_to("sendPhoto") if not isinstance(call.params.get("photo"), str)]
    assert len(uploads) == 1  # the second went by file_id
    assert "28 млрд" in second["caption"]
