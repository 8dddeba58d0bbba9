"""/figures as a picture: a bar per comparable value, the same numbers in the caption, taken
from the source; rendered once per content version and sent again by Telegram's file_id."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

from PIL import Image

from bot.presentation import charts
from tests.helpers import ask

ROOT = Path(__file__).resolve().parent.parent
SOURCE = " ".join((ROOT / "seeds/sources/borisov-2025-11-12.txt").read_text(encoding="utf-8").split())


async def test_the_chart_is_a_picture_of_the_caption_numbers_from_the_source(services) -> None:
    economy = services.catalogue.by_slug("economy")
    chart = await services.briefings.chart("ru", economy)
    image = Image.open(io.BytesIO(chart.png))
    assert image.format == "PNG" and image.size[0] == 1080
    bars = charts.comparable([
        (charts.Bar(f.label, f.value, f"{f.value_text} {f.unit}"), f.unit)
        for s in await services.content.published_snippets("economy") for f in s.figures
    ])  # fmt: skip
    assert [bar.value for bar in bars] == [Decimal(4), Decimal(28), Decimal(30)]  # billions: comparable
    caption_numbers = re.findall(r"<b>(\d+) ", chart.caption)
    assert {str(bar.value) for bar in bars} <= set(caption_numbers)
    assert "20" in caption_numbers  # the one on another scale is in the caption, not a bar
    for number in caption_numbers:
        assert re.search(rf"(?<!\d){number}(?!\d)", SOURCE)
    assert await services.briefings.chart("ru", services.catalogue.by_slug("energy")) is None  # no figures


async def test_a_thousand_readers_cost_one_render_and_one_upload(bot, emulator, anna, john) -> None:
    [first] = await ask(emulator, anna, "/figures economy")
    [second] = await ask(emulator, emulator.make_user(1003, "Ivan", language_code="ru"), "/figures economy")
    assert first["photo"] and second["photo"][0]["file_id"] == first["photo"][0]["file_id"]
    uploads = [call for call in emulator.calls_to("sendPhoto") if not isinstance(call.params.get("photo"), str)]
    assert len(uploads) == 1  # the second went by file_id
    assert "28 млрд" in second["caption"]


def test_one_number_makes_no_chart() -> None:
    bar = charts.Bar("товарооборот", Decimal(30), "30 млрд")
    assert charts.comparable([(bar, "млрд долларов")]) == []
    assert charts.comparable([(bar, "млрд"), (bar, "%")]) == []
