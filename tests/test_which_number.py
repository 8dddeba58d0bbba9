"""The rule "which number", end to end through the Bot API emulator against the seed interview:
each refusal names the problem and what the source says instead (issue 22, rule 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from aiohttp import web

from tests.conftest import running_bot, services_of
from tests.helpers import ask

OWNER_ID = 42  # settings.admin_ids in conftest
INTERVIEW = Path(__file__).resolve().parent.parent / "seeds" / "sources" / "borisov-2025-11-12.txt"


@pytest.fixture
def owner(emulator):
    return emulator.make_user(OWNER_ID, "Olga", language_code="ru")


async def snippet(bot, topic: str):
    return (await services_of(bot).content.published_snippets(topic))[0]


async def test_a_currency_the_source_does_not_state_is_refused(bot, emulator, owner):
    economy = await snippet(bot, "economy")
    [refused] = await ask(emulator, owner, f"/figure {economy.id} 28 млрд долларов | товарооборот")
    assert "28 млрд долларов: в источнике «28 млрд» без валюты" in refused["text"]
    assert "Применить" not in json.dumps(refused.get("reply_markup") or {}, ensure_ascii=False)
    after = await snippet(bot, "economy")
    assert after.figures == economy.figures  # nothing applied, nothing held


async def test_another_figures_number_and_year_are_refused_naming_what_they_are(bot, emulator, owner):
    energy = await snippet(bot, "energy")
    [refused] = await ask(emulator, owner, f"/edit {energy.id} АЭС на Балхаше | Строительство АЭС на Балхаше "
                                           "обойдётся в 30 млрд долларов и завершится в 2024 году")
    text = refused["text"]
    # 30 is the trade target, elsewhere in the interview; 2024 is the investment figure's year
    assert "30 млрд долларов: в этой части источника такого числа нет" in text and "$30 млрд товарооборота" in text
    assert "2024 в источнике — год другой цифры" in text and "$4 млрд" in text
    assert (await snippet(bot, "energy")).title == energy.title


async def test_a_number_in_words_is_checked_like_digits(bot, emulator, owner):
    economy = await snippet(bot, "economy")
    [refused] = await ask(emulator, owner, f"/edit {economy.id} Торговля | Товарооборот вырос вдвое и "
                                           "достигнет девятисот миллиардов долларов.")
    assert "вдвое" in refused["text"] and "девятисот миллиардов долларов: такого числа в источнике нет" in refused["text"]
    heading, _preview = await ask(emulator, owner, f"/edit {economy.id} Торговля | В Казахстане работают двадцать "
                                                   "тысяч компаний с российским участием.", count=2)
    assert "Не принято" not in heading["text"] and "двадцать тысяч компаний" in _preview["text"]


async def test_an_editors_note_states_numbers_only_with_a_link_which_it_cites(bot, emulator, owner):
    [refused] = await ask(emulator, owner, "/add energy Стройка АЭС | Строительство обойдётся в 4 млрд долларов.")
    assert "4 млрд долларов: в заметке редакции цифры — только со ссылкой на источник" in refused["text"]
    created, preview = await ask(emulator, owner, "/add energy Стройка АЭС | Строительство обойдётся в 4 млрд "
                                                  "долларов https://example.org/news/npp-cost", count=2)
    assert "#" in created["text"]
    assert "заметка редакции (по example.org)" in preview["text"]
    assert "https://example.org/news/npp-cost" in json.dumps(preview.get("entities"))
    assert "https://" not in preview["text"].split("Источник")[0]  # the link is cited, not left in the words
    # a note without a link takes no numbers in an edit either
    plain, _ = await ask(emulator, owner, "/add energy Энергетика | Росатом и Казатомпром обсуждают АЭС.", count=2)
    note_id = plain["text"].split("#")[1].split()[0]
    [refused] = await ask(emulator, owner, f"/edit {note_id} Стройка | Стройка обойдётся в 4 млрд долларов")
    assert "4 млрд долларов: в заметке редакции цифры — только со ссылкой" in refused["text"]


class _Model:
    """An over-eager model: its summary doubles the trade and invents nine hundred billion."""

    async def handle(self, request: web.Request) -> web.Response:
        await request.json()
        content = {
            "title": "Россия и Казахстан наращивают торговлю",
            "summary": "Товарооборот вырос вдвое и достигнет девятисот миллиардов долларов.",
            "labels": ["товарооборот вырос втрое"], "quotes": [],
        }
        return web.json_response({"choices": [{"message": {"content": json.dumps(content, ensure_ascii=False)}}]})


async def test_a_models_numbers_in_words_are_dropped_and_the_preview_says_why(settings, emulator):
    app = web.Application()
    app.router.add_post("/v1/chat/completions", _Model().handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    configured = settings.model_copy(update={"llm_base_url": f"http://127.0.0.1:{port}/v1", "llm_model": "fake"})
    owner = emulator.make_user(OWNER_ID, "Olga", language_code="ru")
    try:
        async with running_bot(configured, emulator):
            emulator.send_document(owner, "interview.txt", INTERVIEW.read_bytes())
            [summary] = await emulator.wait_for_messages(owner["id"], timeout=30)
    finally:
        await runner.cleanup()
    text = summary["text"]
    assert "Языковая модель: что не принято и почему" in text and "вдвое" in text and "девятисот миллиардов" in text
    assert "достигнет девятисот" not in text.split("Языковая модель")[0]  # no draft carries it
