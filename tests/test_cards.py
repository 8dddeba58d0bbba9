"""A topic's briefing as Telegram cards, end to end through the Bot API emulator: one summary
across the topic's snippets (a later one-liner adds to the briefing instead of replacing it),
each snippet whole behind ◀ ▶; long figure lists folded into an expandable blockquote; the
original source as the link preview; a copy button with the quote, its speaker and source;
dates as readers write them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml

from bot.presentation.dates import reader_date
from tests.conftest import ROOT, running_bot
from tests.helpers import ask, button_with, buttons, press

OWNER_ID = 42  # settings.admin_ids in conftest
SEED = yaml.safe_load((ROOT / "seeds" / "borisov-2025-11-12.yaml").read_text(encoding="utf-8"))
URL = SEED["source"]["url"]
NOTE = "/add energy АЭС на Балхаше: первый бетон | Росатом и Казатомпром согласовали график стройки."


@pytest.fixture
def owner(emulator):
    return emulator.make_user(OWNER_ID, "Olga", language_code="ru")


def entities_of(message, kind: str) -> list[str]:
    encoded = message["text"].encode("utf-16-le")
    return [encoded[2 * e["offset"]:2 * (e["offset"] + e["length"])].decode("utf-16-le")
            for e in message.get("entities") or [] if e["type"] == kind]


def copy_text(message) -> str | None:
    return next((b["copy_text"]["text"] for b in buttons(message) if "copy_text" in b), None)


async def publish_note(emulator, owner) -> None:
    _created, preview = await ask(emulator, owner, NOTE, count=2)
    await press(emulator, owner, preview, button_with(preview, "ed:pn:"))


async def turn_page(emulator, user, message, data: str):
    """Press ◀ or ▶ under a briefing; it changes in place. Returns the message as it is now."""
    edits = len(next(m for m in emulator.messages_in(user["id"]) if m["message_id"] == message["message_id"])["edits"])
    emulator.press_button(user, message, data, check=True)
    return await emulator.wait_for(lambda: next(
        (m for m in emulator.messages_in(user["id"])
         if m["message_id"] == message["message_id"] and len(m["edits"]) > edits), None))


async def test_a_later_one_liner_adds_to_the_briefing_instead_of_replacing_it(bot, emulator, owner, anna) -> None:
    await publish_note(emulator, owner)
    [briefing] = await ask(emulator, anna, "/energy")
    text = briefing["text"]
    note, interview = text.index("АЭС на Балхаше: первый бетон"), text.index("АЭС на Балхаше, альянс")
    assert note < interview  # newest first
    today = reader_date(dt.date.today(), "ru")
    assert f"Росатом и Казатомпром согласовали график стройки.\nИсточник: заметка редакции, {today}" in text[note:interview]
    substantive = text[interview:]
    assert "Визит подтвердил сотрудничество с «Росатомом» в строительстве первой казахстанской АЭС" in substantive
    assert "Источник: интервью «Денис Борисов: госвизит Токаева" in substantive and "12 ноября 2025" in substantive
    [link] = [e for e in briefing["entities"] if e["type"] == "text_link"]
    assert link["url"] == URL  # the interview's title links to the original
    [quote] = entities_of(briefing, "blockquote")
    assert quote.startswith("«Атомная энергетика имеет здесь стратегический масштаб")
    assert "Сводка по 2 материалам" in text
    # the card: the original as its link preview (the note has none), the quote to copy
    assert briefing["link_preview"] == URL and briefing["link_preview_options"] == {"url": URL, "prefer_small_media": True}
    copied = copy_text(briefing)
    assert copied.startswith("«Атомная энергетика") and "— Денис Алексеевич Борисов" in copied
    assert copied.endswith("(Казахстанская правда, 12 ноября 2025)") and len(copied) <= 256

    # ◀ shows each snippet whole, in the same message; ▶ back to the summary
    first = await turn_page(emulator, anna, briefing, button_with(briefing, "tp:energy:1"))
    assert "Материал 1 из 2" in first["text"] and "альянс" not in first["text"]
    assert first["link_preview"] is None and copy_text(first) is None  # a note: no original, no quote
    second = await turn_page(emulator, anna, first, button_with(first, "tp:energy:2"))
    assert "Материал 2 из 2" in second["text"] and "транзит в третьи страны" in second["text"]  # whole
    assert second["link_preview"] == URL and copy_text(second) == copied
    back = await turn_page(emulator, anna, second, button_with(second, "tp:energy:1"))
    summary = await turn_page(emulator, anna, back, button_with(back, "tp:energy:0"))
    assert summary["text"] == text
    assert [b["text"] for b in buttons(back)][:2] == ["◀ Раньше (2/2)", "Сводка ▶"]


async def test_a_single_snippet_is_its_own_card(bot, emulator, anna, john) -> None:
    [economy] = await ask(emulator, anna, "/economy")
    assert "Сводка" not in economy["text"] and not any(b.get("callback_data", "").startswith("tp:") for b in buttons(economy))
    [folded] = entities_of(economy, "expandable_blockquote")  # four figures: folded, tap to open
    assert folded.startswith("• 4 млрд долларов") and "• 20 тысяч компаний" in folded
    assert economy["link_preview"] == URL
    [english] = await ask(emulator, john, "/economy")
    assert "12 November 2025" in english["text"] and "Nov 2025" not in english["text"]
    copied = copy_text(english)
    assert copied.startswith("Translation: “The interregional forum is a unique venue")
    assert copied.endswith("(Kazakhstanskaya Pravda, 12 November 2025)")


async def test_a_quote_arrives_with_its_original_and_a_copy_button(bot, emulator, anna) -> None:
    [quote] = await ask(emulator, anna, "/quote logistics")
    [said] = entities_of(quote, "blockquote")
    copied = copy_text(quote)
    assert said.split("\n— ")[0] in copied and "Денис Алексеевич Борисов" in copied
    assert quote["link_preview"] == URL


async def test_the_longest_quote_speaker_and_outlet_still_copy_within_telegrams_limit(settings, emulator, anna) -> None:
    words = ("Энергетика региона держится на слове и деле, и так будет всегда. " * 5).strip()[:300].rsplit(" ", 1)[0]
    (settings.seeds_dir / "sources" / "long.txt").write_text(f"Было сказано: {words} Конец.", encoding="utf-8")
    document = {
        "source": {"id": "long", "title": "Т" * 200, "date": "2026-01-01", "kind": "analysis",
                   "outlet": "Очень длинное название издания " * 3, "url": "https://example.com/long",
                   "author": {"name": "Автор Длинное-Имя", "role": "р" * 200}, "text": "sources/long.txt"},
        "snippets": [{"id": "long-0", "topic": "energy", "title": "Долгая речь", "summary": "Автор говорит долго.",
                      "quotes": [{"text": words}]}],
    }
    (settings.seeds_dir / "long.yaml").write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    async with running_bot(settings, emulator):
        [briefing] = await ask(emulator, anna, "/energy")
    copied = copy_text(briefing)
    assert len(copied.encode("utf-16-le")) // 2 <= 256 and "…» — Автор Длинное-Имя (" in copied
    assert copied.endswith(", 1 января 2026)")
    assert briefing["link_preview"] == "https://example.com/long"  # the newest source with a URL
    assert not emulator.errors  # Telegram took the card as it is


async def test_the_next_digest_is_announced_with_a_readers_date(bot, emulator, anna, john) -> None:
    [ru] = await ask(emulator, anna, "/digest 08:30")
    [en] = await ask(emulator, john, "/digest 08:30")
    months_ru = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
                 "октября", "ноября", "декабря")
    assert any(f" {month} " in ru["text"] for month in months_ru) and ", 08:30" in ru["text"]
    assert not re.search(r"\d{4}-\d\d-\d\d", ru["text"] + en["text"])  # no 2026-11-25
    assert any(month in en["text"] for month in ("January", "February", "March", "April", "May", "June", "July",
                                                 "August", "September", "October", "November", "December"))
