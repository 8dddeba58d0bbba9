"""End to end: the real Application over HTTP against the Bot API emulator, used as people do."""

from __future__ import annotations

import pytest
import yaml

from bot.domain.catalogue import load_catalogue
from tests.conftest import ROOT, running_bot
from tests.helpers import ask, button_with, buttons

CATALOGUE = load_catalogue(ROOT / "config" / "topics.yaml")
BOT = "briefing_test_bot"


def entity_texts(message, kind: str) -> list[str]:
    """The text under each entity of a kind; offsets are in UTF-16 units, as Telegram counts."""
    encoded = message["text"].encode("utf-16-le")
    return [
        encoded[2 * e["offset"]:2 * (e["offset"] + e["length"])].decode("utf-16-le")
        for e in message.get("entities") or []
        if e["type"] == kind
    ]


def blockquotes(message) -> list[str]:
    return entity_texts(message, "blockquote")


async def test_start_greets_and_offers_every_topic_as_a_button(bot, emulator, anna) -> None:
    (reply,) = await ask(emulator, anna, "/start")
    assert "Здравствуйте" in reply["text"]
    labels = [b["text"] for b in buttons(reply)]
    assert labels == [f"{t.emoji} {t.title.ru}" for t in CATALOGUE]
    assert all(len(b["callback_data"].encode()) <= 64 for b in buttons(reply) if "callback_data" in b)


@pytest.mark.parametrize("topic", list(CATALOGUE), ids=lambda t: t.command)
async def test_every_topic_command_answers_with_its_briefing(bot, emulator, anna, topic) -> None:
    (reply,) = await ask(emulator, anna, f"/{topic.command}")
    text = reply["text"]
    seed = yaml.safe_load((ROOT / "seeds" / "borisov-2025-11-12.yaml").read_text(encoding="utf-8"))
    snippet = next(s for s in seed["snippets"] if s["topic"] == topic.slug)
    assert text.startswith(f"{topic.emoji} {topic.title.ru}")
    assert " ".join(snippet["summary"].split()) in text
    assert any(" ".join(snippet["quotes"][0]["text"].split()) in q for q in blockquotes(reply))
    assert "Источник: интервью" in text and "12 ноября 2025" in text
    assert topic.title.ru in entity_texts(reply, "bold")


async def test_economy_shows_its_key_figures_with_units_and_year(bot, emulator, anna) -> None:
    (reply,) = await ask(emulator, anna, "/economy")
    assert "• 4 млрд долларов — " in reply["text"] and "2024 г." in reply["text"]
    assert "• 20 тысяч компаний — " in reply["text"]


async def test_deep_link_opens_a_topic(bot, emulator, anna) -> None:
    (reply,) = await ask(emulator, anna, "/start energy")
    assert reply["text"].startswith("⚡ Энергетика")


async def test_help_and_topics_list_every_topic_command(bot, emulator, anna) -> None:
    (help_reply,) = await ask(emulator, anna, "/help")
    (topics_reply,) = await ask(emulator, anna, "/topics")
    for topic in CATALOGUE:
        assert f"/{topic.command}" in help_reply["text"]
        assert f"/{topic.command}" in topics_reply["text"]
    assert len(buttons(topics_reply)) == len(CATALOGUE)


async def test_figures_are_grouped_by_topic(bot, emulator, anna) -> None:
    (reply,) = await ask(emulator, anna, "/figures")
    assert "📈 Экономика" in reply["text"]
    for number in ("4 млрд долларов", "28 млрд", "30 млрд долларов", "20 тысяч компаний"):
        assert number in reply["text"]
    (energy,) = await ask(emulator, anna, "/figures energy")
    assert "пока нет" in energy["text"]


async def test_quote_is_verbatim_with_author(bot, emulator, anna) -> None:
    (reply,) = await ask(emulator, anna, "/quote energy")
    (quote,) = blockquotes(reply)
    source = " ".join((ROOT / "seeds/sources/borisov-2025-11-12.txt").read_text(encoding="utf-8").split())
    text, author = quote.split("\n— ")
    assert text.strip("«»") in source
    assert author.startswith("Денис Алексеевич Борисов")
    (any_quote,) = await ask(emulator, anna, "/quote")
    assert len(blockquotes(any_quote)) == 1


async def test_quote_for_an_unknown_topic_names_the_topics(bot, emulator, anna) -> None:
    (reply,) = await ask(emulator, anna, "/quote <погода>")
    assert "Темы «<погода>» нет" in reply["text"] and "energy" in reply["text"]


async def test_search_finds_word_forms_and_highlights(bot, emulator, anna) -> None:
    (reply,) = await ask(emulator, anna, "/search энергетический")
    assert "/energy" in reply["text"]
    assert any(word.lower().startswith("энергетическ") for word in entity_texts(reply, "bold"))
    (usage,) = await ask(emulator, anna, "/search")
    assert "/search АЭС Балхаш" in usage["text"]
    (nothing,) = await ask(emulator, anna, "/search <криптовалюта & NFT>")
    assert "ничего не нашлось" in nothing["text"] and "<криптовалюта & NFT>" in nothing["text"]


async def test_about_lists_sources_with_dates_and_authors(bot, emulator, anna) -> None:
    (reply,) = await ask(emulator, anna, "/about")
    assert "Денис Алексеевич Борисов" in reply["text"] and "12 ноября 2025" in reply["text"]


async def test_plain_text_in_private_chat_answers_with_the_topic(bot, emulator, anna) -> None:
    (reply,) = await ask(emulator, anna, "Росатом")
    assert reply["text"].startswith("⚡ Энергетика")
    (reply,) = await ask(emulator, anna, "что там с Транскаспийским маршрутом?")
    assert reply["text"].startswith("🚆")


async def test_unknown_command_gets_a_short_hint(bot, emulator, anna) -> None:
    (reply,) = await ask(emulator, anna, "/weather")
    assert "/help" in reply["text"]


async def test_english_users_get_english_interface(bot, emulator, john) -> None:
    (reply,) = await ask(emulator, john, "/start")
    assert reply["text"].startswith("Hello!")
    assert buttons(reply)[2]["text"] == "⚡ Energy"
    (briefing,) = await ask(emulator, john, "/energy")
    assert briefing["text"].startswith("⚡ Energy") and "Source: interview" in briefing["text"]


async def test_group_commands_with_bot_suffix_and_silence_otherwise(bot, emulator, anna) -> None:
    group = emulator.make_group(chat_id=-100555, title="Team", kind="supergroup")
    (reply,) = await ask(emulator, anna, f"/logistics@{BOT}", chat=group)
    assert reply["text"].startswith("🚆")
    (hint,) = await ask(emulator, anna, f"/weather@{BOT}", chat=group)
    assert "/help" in hint["text"]
    emulator.send_text(anna, "/weather", chat=group)            # someone else's command
    emulator.send_text(anna, "/energy@other_bot", chat=group)   # addressed to another bot
    emulator.send_text(anna, "Росатом", chat=group)             # chatter is not a question
    (last,) = await ask(emulator, anna, "/about", chat=group)
    assert "Источники" in last["text"]
    assert len(emulator.messages_in(group["id"])) == 3


async def test_every_button_under_a_briefing_works(bot, emulator, anna) -> None:
    """Views that are something new (figures, a quote) arrive as a message; navigation (another
    topic, the menu) edits the message the button is under; sharing opens inline mode; copying
    gives the quote on the screen with its speaker, whatever the client does with it."""
    (first,) = await ask(emulator, anna, "/energy")
    for label in [b["text"] for b in buttons(first)]:
        (briefing,) = await ask(emulator, anna, "/energy")
        button = next(b for b in buttons(briefing) if b["text"] == label)
        if "copy_text" in button:
            (quote,) = blockquotes(briefing)
            assert quote.split("\n— ")[0].strip("«»") in button["copy_text"]["text"]
            continue
        if "callback_data" not in button:
            assert button["switch_inline_query"] == "Энергетика"  # share: the topic, in inline mode
            continue
        query_id = emulator.press_button(anna, briefing, button["callback_data"])
        await emulator.wait_for(lambda: query_id in emulator.callback_answers)
        if button["callback_data"].startswith(("f:", "q:")):
            (reply,) = await emulator.wait_for_messages(anna["id"], count=1)
            assert reply["text"].strip()
        else:
            edited = await emulator.wait_for(lambda: next(
                (m for m in emulator.messages_in(anna["id"]) if m["message_id"] == briefing["message_id"] and m["edits"]), None))
            assert edited["text"] != briefing["text"]
    menu = next(m for m in reversed(emulator.messages_in(anna["id"])) if len(buttons(m)) == len(CATALOGUE))
    query_id = emulator.press_button(anna, menu, buttons(menu)[1]["callback_data"])
    economy = await emulator.wait_for(lambda: next(
        (m for m in emulator.messages_in(anna["id"]) if m["message_id"] == menu["message_id"] and m["text"].startswith("📈")), None))
    assert economy["text"].startswith("📈 Экономика")  # the menu became the briefing, in place


@pytest.mark.parametrize("data", ["t:nope", "x:energy", "m:extra", "", "t:" + "e" * 62, "q:../../etc"])
async def test_forged_button_data_is_answered_politely(bot, emulator, anna, data) -> None:
    (briefing,) = await ask(emulator, anna, "/energy")
    query_id = emulator.press_button(anna, briefing, data, check=False)  # a modified client
    await emulator.wait_for(lambda: query_id in emulator.callback_answers)
    assert "устарела" in emulator.callback_answers[query_id].get("text", "")
    (after,) = await ask(emulator, anna, "/about")  # nothing else was sent in between
    assert after["text"].startswith("📚")


async def test_command_menu_is_registered_in_russian_and_english(bot, emulator) -> None:
    languages = {language for (_scope, language) in emulator.commands}
    assert {"ru", "en"} <= languages
    english = next(commands for (_s, language), commands in emulator.commands.items() if language == "en")
    names = [c["command"] for c in english]
    assert {"energy", "logistics", "economy", "search", "about"} <= set(names)


async def test_a_burst_from_one_chat_is_answered_in_order(bot, emulator, anna, john) -> None:
    commands = [f"/{topic.command}" for topic in CATALOGUE]
    for command in commands:
        emulator.send_text(anna, command)
    emulator.send_text(john, "/about")  # another chat: must not wait for Anna's backlog
    replies = await emulator.wait_for_messages(anna["id"], count=len(commands), timeout=20)
    assert [r["text"].split()[0] for r in replies] == [t.emoji for t in CATALOGUE]
    (about,) = emulator.messages_in(john["id"])
    assert about["date"] <= replies[-1]["date"]


async def test_long_briefings_are_split_into_valid_messages(settings, emulator, anna) -> None:
    text = "Энергетика региона: мощность 12 МВт. " * 300
    (settings.seeds_dir / "sources" / "long.txt").write_text(text, encoding="utf-8")
    label = ("Энергетика региона, " * 9).strip(", ")  # a long label, so one briefing outgrows a message
    long_source = {
        "source": {"id": "long", "title": "Длинный обзор", "date": "2026-01-01", "kind": "analysis",
                   "author": {"name": "Автор"}, "text": "sources/long.txt"},
        "snippets": [
            {"id": "part-0", "topic": "energy", "title": "Часть «один»",
             "summary": ("Энергетика региона. " * 59).strip(),
             "figures": [{"value": 12, "unit": "МВт", "label": f"{label} {'I' * (i % 5 + 1)}",
                          "evidence": "Энергетика региона: мощность 12 МВт."} for i in range(24)],
             "quotes": [{"text": "Энергетика региона: мощность 12 МВт."}]},
        ],
    }
    (settings.seeds_dir / "long.yaml").write_text(yaml.safe_dump(long_source, allow_unicode=True), encoding="utf-8")
    async with running_bot(settings, emulator):
        (summary,) = await ask(emulator, anna, "/energy")  # the summary of both snippets: one message
        assert "Часть «один»" in summary["text"] and "АЭС на Балхаше" in summary["text"]
        emulator.press_button(anna, summary, button_with(summary, "tp:energy:1"), check=True)  # ◀ the long one whole
        parts = await emulator.wait_for_messages(anna["id"], count=2, timeout=10)
    assert all(len(p["text"].encode("utf-16-le")) // 2 <= 4096 for p in parts)
    assert parts[0]["text"].startswith("⚡ Энергетика")
    assert buttons(parts[-1]) and not any(buttons(p) for p in parts[:-1])
    assert not emulator.errors


async def test_bot_keeps_serving_when_the_command_menu_is_refused(settings, emulator, anna) -> None:
    emulator.fail_next("setMyCommands", error_code=500, description="Internal Server Error", times=10)
    async with running_bot(settings, emulator):
        (reply,) = await ask(emulator, anna, "/energy")
    assert reply["text"].startswith("⚡")


async def test_inline_query_offers_briefings_figures_and_quotes(bot, emulator, anna) -> None:
    query_id = emulator.send_inline_query(anna, "экономика инвестиции")
    await emulator.wait_for(lambda: query_id in emulator.inline_answers)
    answer = emulator.inline_answers[query_id]
    results = answer["results"]
    assert 1 <= len(results) <= 10 and answer["cache_time"] == 300
    ids = [r["id"] for r in results]
    assert ids[:3] == ["t:economy", "f:economy", "q:economy"]
    figures = results[1]
    assert "4 млрд долларов" in figures["description"]
    assert figures["input_message_content"]["message_text"].startswith("📊")
    assert all(len(r["id"].encode()) <= 64 for r in results)


async def test_empty_inline_query_offers_every_topic(bot, emulator, john) -> None:
    query_id = emulator.send_inline_query(john, "")
    await emulator.wait_for(lambda: query_id in emulator.inline_answers)
    results = emulator.inline_answers[query_id]["results"]
    assert [r["title"] for r in results] == [f"{t.emoji} {t.title.en}" for t in CATALOGUE]


async def test_inline_query_with_markup_characters_is_escaped(bot, emulator, anna) -> None:
    query_id = emulator.send_inline_query(anna, "<b>Росатом & АЭС</b>")
    await emulator.wait_for(lambda: query_id in emulator.inline_answers)
    assert emulator.inline_answers[query_id]["results"][0]["id"] == "t:energy"


async def test_stopping_finishes_every_update_already_taken(settings, emulator) -> None:
    users = [emulator.make_user(user_id=4000 + i, first_name="U", language_code="ru") for i in range(12)]
    async with running_bot(settings, emulator):
        for user in users:
            emulator.send_text(user, "/energy")
        await emulator.wait_for(lambda: not emulator.pending_updates)  # all fetched: acknowledged
    # leaving the block stopped the bot; nothing it had taken may be lost
    assert all(emulator.messages_in(user["id"]) for user in users)


async def test_figures_button_only_where_there_are_figures(bot, emulator, anna) -> None:
    (energy,) = await ask(emulator, anna, "/energy")
    (economy,) = await ask(emulator, anna, "/economy")
    assert "f:energy" not in [b.get("callback_data") for b in buttons(energy)]
    assert "f:economy" in [b.get("callback_data") for b in buttons(economy)]


async def test_deep_link_to_an_unknown_topic_greets_instead(bot, emulator, anna) -> None:
    (reply,) = await ask(emulator, anna, "/start weather")
    assert "Здравствуйте" in reply["text"] and len(buttons(reply)) == len(CATALOGUE)
