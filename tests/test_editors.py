"""Content admins in Telegram, end to end: roles, drafts, previews, publication, corrections."""

from __future__ import annotations

import asyncio

import pytest

from tests.publishing import publish, seed_draft
from tests.conftest import couriers_of, services_of
from tests.helpers import ask, button_with, press

OWNER_ID = 42  # settings.admin_ids in conftest


@pytest.fixture
def owner(emulator):
    return emulator.make_user(OWNER_ID, "Olga", language_code="ru")


@pytest.fixture
def reader(emulator):
    return emulator.make_user(5001, "Reader", language_code="ru")


@pytest.fixture
def stranger(emulator):
    return emulator.make_user(5002, "Mallory", language_code="ru")


DRAFT = "/add energy Энергетика: новый материал | Росатом и Казатомпром обсуждают АЭС на Балхаше."


async def test_owner_drafts_previews_publishes_and_subscribers_get_it(bot, emulator, owner, reader):
    await ask(emulator, reader, "/subscribe energy")
    created, preview = await ask(emulator, owner, DRAFT, count=2)
    assert "Черновик #" in created["text"]
    assert "Энергетика: новый материал" in preview["text"]  # exactly what readers will get
    assert len(emulator.messages_in(reader["id"])) == 1  # a draft reaches nobody

    [listing] = await ask(emulator, owner, "/drafts")
    assert "Энергетика: новый материал" in listing["text"]
    assert "Получателей: 1" in created["text"]  # the preview says who it will reach
    [done] = await press(emulator, owner, preview, button_with(preview, "ed:pn:"))  # one press
    assert "в эфире" in done["text"]
    [delivered] = await emulator.wait_for_messages(reader["id"])
    assert "Энергетика: новый материал" in delivered["text"]
    [briefing] = await ask(emulator, reader, "/energy")
    assert "Энергетика: новый материал" in briefing["text"]


async def test_cancel_changes_nothing_and_a_token_works_once(bot, emulator, owner, reader):
    live = (await services_of(bot).content.published_snippets("energy"))[0]
    _heading, confirm = await ask(emulator, owner, f"/retire {live.id}", count=2)  # on the air: confirmed
    [cancelled] = await press(emulator, owner, confirm, button_with(confirm, "ed:cx:"))
    assert "ничего не изменилось" in cancelled["text"]
    [expired] = await press(emulator, owner, confirm, button_with(confirm, "ed:ap:"))
    assert "устарело" in expired["text"]
    assert [s.id for s in await services_of(bot).content.published_snippets("energy")] == [live.id]


@pytest.mark.parametrize("command", ["/add energy Заголовок | текст", "/drafts", "/publish 1", "/retire 1",
                                     "/edit 1 Новый | текст", "/history 1", "/reload", "/grant 5002",
                                     "/figure 1 28 млрд | оборот", "/figure_remove 1 1", "/quote_add 1 Росатом",
                                     "/quote_edit 1 1 Росатом", "/quote_remove 1 1"])
async def test_a_stranger_can_change_nothing_and_learns_nothing(bot, emulator, stranger, command):
    [reply] = await ask(emulator, stranger, command)
    assert reply["text"] == "Эта команда недоступна."
    assert await services_of(bot).editorial.repository.drafts() == []
    stats = await services_of(bot).content.content_version()
    assert stats == 1  # the seeds' initial load only


async def test_a_forged_apply_button_from_a_stranger_is_refused(bot, emulator, owner, stranger):
    _created, preview = await ask(emulator, owner, DRAFT, count=2)
    live = (await services_of(bot).content.published_snippets("energy"))[0]
    _heading, confirm = await ask(emulator, owner, f"/retire {live.id}", count=2)
    [own] = await ask(emulator, stranger, "/start")
    for data in (button_with(confirm, "ed:ap:"), button_with(preview, "ed:pn:")):
        query = emulator.press_button(stranger, own, data)
        await emulator.wait_for(lambda: query in emulator.callback_answers)
        assert emulator.callback_answers[query]["text"] == "Эта команда недоступна."
    assert len(await services_of(bot).editorial.repository.drafts()) == 1  # still a draft
    assert live.id in [s.id for s in await services_of(bot).content.published_snippets("energy")]


async def test_numbers_must_come_from_the_source(bot, emulator, owner):
    [reply] = await ask(emulator, owner, "/add energy АЭС | Стоимость проекта 777 млрд.")
    assert "777 млрд: в заметке редакции цифры — только со ссылкой на источник" in reply["text"]
    created, _preview = await ask(emulator, owner, DRAFT, count=2)
    draft_id = created["text"].split("#")[1].split()[0]
    [refused] = await ask(emulator, owner, f"/figure {draft_id} 28 млрд | оборот")  # an editors' note
    assert "28" in refused["text"] and "заметки редакции нет источника" in refused["text"]


async def test_a_figure_must_come_from_the_snippets_own_passage(bot, emulator, owner):
    content = services_of(bot).content
    economy = (await content.published_snippets("economy"))[0]
    energy = (await content.published_snippets("energy"))[0]
    [refused] = await ask(emulator, owner, f"/figure {energy.id} 28 млрд | товарооборот")
    # 28 is in the interview, not in this passage: the refusal quotes where it stands
    assert "28 млрд: в этой части источника такого числа нет" in refused["text"]
    assert "торговый (28 млрд)" in refused["text"]
    heading, preview = await ask(emulator, owner, f"/figure {economy.id} 28 млрд | товарооборот", count=2)
    assert "28 млрд" in preview["text"]


async def test_a_snippet_takes_no_more_figures_than_a_seed_file_may_hold(bot, emulator, owner, monkeypatch):
    """Else /export would write a file that does not load again."""
    from bot.services import editorial

    economy = (await services_of(bot).content.published_snippets("economy"))[0]
    monkeypatch.setattr(editorial, "FIGURES_PER_SNIPPET", len(economy.figures))
    [refused] = await ask(emulator, owner, f"/figure {economy.id} 28 млрд | товарооборот")
    assert f"уже {len(economy.figures)} цифр" in refused["text"] and "/figure_remove" in refused["text"]


async def test_an_editors_note_is_cited_as_the_editors_not_as_the_interview(bot, emulator, owner, reader):
    await ask(emulator, reader, "/subscribe energy")
    created, preview = await ask(emulator, owner, DRAFT, count=2)
    assert "Источник: заметка редакции" in preview["text"]
    assert "Борисов" not in preview["text"] and "интервью" not in preview["text"]
    await press(emulator, owner, preview, button_with(preview, "ed:pn:"))
    [delivered] = await emulator.wait_for_messages(reader["id"])
    assert "заметка редакции" in delivered["text"] and "Борисов" not in delivered["text"]


async def test_retiring_marks_delivered_copies_and_a_deleted_one_gets_a_reply(bot, emulator, seeds_dir, owner, reader, stranger):
    for user in (reader, stranger):
        await ask(emulator, user, "/subscribe energy")
    await publish(services_of(bot), seeds_dir, "energy", "Энергетика: будет снята")
    [to_reader] = await emulator.wait_for_messages(reader["id"])
    [to_stranger] = await emulator.wait_for_messages(stranger["id"])
    await emulator.wait_for(lambda: couriers_of(bot).sender.in_flight == 0)
    snippet_id = (await services_of(bot).outbox.sent_to(reader["id"]))[0][1]
    with emulator.world.lock:  # the stranger deleted it: Telegram will refuse the edit
        emulator.world.chats[stranger["id"]].by_id[to_stranger["message_id"]].deleted = True

    heading, confirm = await ask(emulator, owner, f"/retire {snippet_id}", count=2)
    assert "(их 2)" in heading["text"] and confirm["text"].startswith("🚫 Справка снята редакцией")
    await press(emulator, owner, confirm, button_with(confirm, "ed:ap:"))
    await emulator.wait_for(lambda: emulator.messages_in(reader["id"])[-1]["edits"])
    assert emulator.messages_in(reader["id"])[-1]["text"] == confirm["text"]  # as previewed
    [note] = await emulator.wait_for_messages(stranger["id"])
    assert "снята редакцией" in note["text"]  # (a reply to a deleted message stands alone)
    [briefing] = await ask(emulator, reader, "/energy")
    assert "будет снята" not in briefing["text"]


async def test_owner_grants_and_revokes_the_editor_role(bot, emulator, owner, stranger):
    [granted] = await ask(emulator, owner, f"/grant {stranger['id']}")
    assert "теперь редактор" in granted["text"]
    [listing] = await ask(emulator, stranger, "/drafts")
    assert "Черновиков нет" in listing["text"]
    [refused] = await ask(emulator, stranger, "/grant 5003")  # editors cannot grant
    assert refused["text"] == "Эта команда недоступна."
    await ask(emulator, owner, f"/revoke {stranger['id']}")
    [after] = await ask(emulator, stranger, "/drafts")
    assert after["text"] == "Эта команда недоступна."


async def test_reload_with_a_broken_seed_changes_nothing(bot, emulator, seeds_dir, owner):
    (seeds_dir / "broken.yaml").write_text("source: [unclosed\n", encoding="utf-8")
    [reply] = await ask(emulator, owner, "/reload")
    assert "ничего не изменилось" in reply["text"] and "broken.yaml" in reply["text"]
    (seeds_dir / "broken.yaml").unlink()
    [ok] = await ask(emulator, owner, "/reload")
    assert "перечитан" in ok["text"]


async def test_help_shows_editor_commands_only_to_editors(bot, emulator, owner, stranger):
    owner_help = await ask(emulator, owner, "/help", count=2)
    assert "/grant" in owner_help[-1]["text"]
    assert all(f"/{name} id" in owner_help[-1]["text"] for name in ("quote_add", "quote_edit", "quote_remove", "figure_remove"))
    [plain] = await ask(emulator, stranger, "/help")
    assert "/add" not in plain["text"]


async def test_admin_commands_in_a_group_are_refused_even_for_the_owner(bot, emulator, owner):
    group = emulator.make_group(-1009000000001, "Редакция", "supergroup")
    [reply] = await ask(emulator, owner, "/drafts", chat=group)
    assert reply["text"] == "Эта команда недоступна."


@pytest.mark.parametrize("data", ["ed:p:abc", "ed:p:99999", "ed:zz:1", "ed:ap:", "ed:pub:", "ed:d:-1"])
async def test_forged_admin_buttons_are_answered_without_a_crash(bot, emulator, owner, data):
    [menu] = await ask(emulator, owner, "/start")
    query = emulator.press_button(owner, menu, data)
    await emulator.wait_for(lambda: query in emulator.callback_answers)
    await emulator.wait_for(lambda: bot.update_queue.empty())
    texts = [m["text"] for m in emulator.messages_in(owner["id"])]
    assert not any("Что-то пошло не так" in text for text in texts)


@pytest.mark.parametrize("data", ["s:abc:energy", "s:1:astrology", "si:", "si:x", "s:-1001:energy:extra"])
async def test_forged_subscription_buttons_are_answered_without_a_crash(bot, emulator, stranger, data):
    [menu] = await ask(emulator, stranger, "/start")
    query = emulator.press_button(stranger, menu, data)
    await emulator.wait_for(lambda: query in emulator.callback_answers)
    assert not any("Что-то пошло не так" in m["text"] for m in emulator.messages_in(stranger["id"]))


async def test_connecting_a_channel_that_does_not_exist_explains(bot, emulator, owner):
    [reply] = await ask(emulator, owner, "/channel @no_such_channel energy")
    assert "Не вижу чат @no_such_channel" in reply["text"]


async def test_publish_by_command_preview_button_and_discarding_drafts(bot, emulator, owner, reader):
    await ask(emulator, reader, "/subscribe energy")
    created, _ = await ask(emulator, owner, DRAFT, count=2)
    first = created["text"].split("#")[1].split()[0]
    created, _ = await ask(emulator, owner, "/add energy Второй черновик | Росатом и АЭС.", count=2)
    second = created["text"].split("#")[1].split()[0]

    [listing] = await ask(emulator, owner, "/drafts")
    [preview] = await press(emulator, owner, listing, f"ed:p:{first}")
    assert "Энергетика: новый материал" in preview["text"]
    [discarded] = await press(emulator, owner, listing, f"ed:d:{second}")
    assert f"#{second}" in discarded["text"]
    [gone] = await ask(emulator, owner, f"/retire {first}")  # a draft is discarded at once too
    assert f"#{first}" in gone["text"] and "убран" in gone["text"]
    assert await services_of(bot).editorial.repository.drafts() == []
    [refused] = await ask(emulator, owner, f"/publish {first}")
    assert "снята с эфира" in refused["text"]

    created, _ = await ask(emulator, owner, "/add energy Третий | Росатом и АЭС на Балхаше.", count=2)
    third = created["text"].split("#")[1].split()[0]
    heading, confirm = await ask(emulator, owner, f"/publish {third}", count=2)
    assert "Опубликовать" in heading["text"] and "Получателей: 1" in heading["text"]
    await press(emulator, owner, confirm, button_with(confirm, "ed:pn:"))
    [delivered] = await emulator.wait_for_messages(reader["id"])
    assert delivered["text"] == confirm["text"]  # subscribers got exactly the preview


async def test_reactions_on_delivered_briefings_are_counted_for_editors(bot, emulator, seeds_dir, owner, reader, stranger):
    for user in (reader, stranger):
        await ask(emulator, user, "/subscribe energy")
    await publish(services_of(bot), seeds_dir, "energy", "Энергетика: о чём реагируют")
    [to_reader] = await emulator.wait_for_messages(reader["id"])
    [to_stranger] = await emulator.wait_for_messages(stranger["id"])
    await emulator.wait_for(lambda: couriers_of(bot).sender.in_flight == 0)
    [briefing] = await ask(emulator, reader, "/energy")  # a reply, not a delivery: not counted
    emulator.react(reader, to_reader, "👍")
    emulator.react(stranger, to_stranger, "🔥")
    emulator.react(reader, briefing, "👎")
    emulator.react(stranger, to_stranger, "👍")  # changes their mind: 🔥 is taken back

    await emulator.wait_for(lambda: not emulator.world.updates)  # the bot has taken the reactions
    for _attempt in range(50):  # … and recorded them
        top = await services_of(bot).editorial.top_reactions()
        if top and top[0][2] == {"👍": 2}:
            break
        await asyncio.sleep(0.1)
    assert top and top[0][1] == "Энергетика: о чём реагируют" and top[0][2] == {"👍": 2}
    [listing] = await ask(emulator, owner, "/reactions")
    assert "Энергетика: о чём реагируют — 👍 2" in listing["text"]
    [refused] = await ask(emulator, reader, "/reactions")
    assert refused["text"] == "Эта команда недоступна."


async def test_revoking_an_editor_cancels_their_pending_confirmations(bot, emulator, owner, stranger):
    await ask(emulator, owner, f"/grant {stranger['id']}")
    live = (await services_of(bot).content.published_snippets("energy"))[0]
    _heading, confirm = await ask(emulator, stranger, f"/retire {live.id}", count=2)
    await ask(emulator, owner, f"/revoke {stranger['id']}")
    await ask(emulator, owner, f"/grant {stranger['id']}")  # back, but the old button is dead
    [expired] = await press(emulator, stranger, confirm, button_with(confirm, "ed:ap:"))
    assert "устарело" in expired["text"]
    assert live.id in [s.id for s in await services_of(bot).content.published_snippets("energy")]


# --- quotes and figures taken out ---------------------------------------------------------------

TITLE = "Справка: до правки"
VERBATIM = "укрепление кадрового потенциала атомной отрасли имеет для Казахстана первостепенное значение"


async def quotes_of(bot, snippet_id: int) -> list[tuple[str, str]]:
    [view] = await services_of(bot).content.snippets_by_id([snippet_id])
    return [(quote.text, quote.author.name) for quote in view.quotes]


async def test_a_draft_takes_a_verbatim_quote_and_loses_one_at_once(bot, emulator, seeds_dir, owner):
    draft_id = await seed_draft(services_of(bot), seeds_dir, "energy", "АЭС: черновик с цитатами")
    first, second = await quotes_of(bot, draft_id)

    heading, preview = await ask(emulator, owner, f"/quote_remove {draft_id} 1", count=2)
    assert f"Черновик #{draft_id} обновлён" in heading["text"]
    assert second[0][:40] in preview["text"] and first[0][:40] not in preview["text"]  # the next one shows
    heading, preview, card = await ask(emulator, owner, f"/quote_add {draft_id}  «{VERBATIM}»", count=3)
    assert f"Черновик #{draft_id} обновлён" in heading["text"]
    # the draft's message shows its first quote; the new one is shown as /quote will show it
    assert card["text"].startswith("Новая цитата — так её покажет /quote:") and VERBATIM in card["text"]
    assert "Денис Алексеевич Борисов" in card["text"]
    assert await quotes_of(bot, draft_id) == [second, (VERBATIM, "Денис Алексеевич Борисов")]  # the interviewee's

    speaker = "Касым-Жомарт Токаев, Президент Казахстана"
    await ask(emulator, owner, f"/quote_edit {draft_id} 1 рубежным событием в истории двусторонних отношений | {speaker}", count=2)
    quotes = await quotes_of(bot, draft_id)
    assert quotes[0] == ("рубежным событием в истории двусторонних отношений", "Касым-Жомарт Токаев")
    [history] = await ask(emulator, owner, f"/history {draft_id}")
    for action in ("quote removed", "quote added", "quote replaced"):
        assert f"Olga (telegram) · {action}" in history["text"]
    assert f"«{VERBATIM}» — Денис Алексеевич Борисов" in history["text"]


async def test_a_quote_that_is_not_verbatim_is_refused_naming_the_problem(bot, emulator, seeds_dir, owner):
    draft_id = await seed_draft(services_of(bot), seeds_dir, "energy", "АЭС: черновик для отказов")
    created, _preview = await ask(emulator, owner, DRAFT, count=2)
    note_id = created["text"].split("#")[1].split()[0]
    before = await quotes_of(bot, draft_id)
    refusals = {
        f"/quote_add {draft_id} Атомная энергетика имеет здесь тактический масштаб":
            "совпадает только начало: «Атомная энергетика имеет здесь». Дальше («тактический…»)",
        f"/quote_add {draft_id} Слов этих в интервью никто не говорил": "Этих слов нет в тексте источника",
        f"/quote_add {draft_id} " + "Атомная энергетика " * 20: "Цитата длиннее 300 символов",
        f"/quote_add {draft_id} {VERBATIM} | Иван Иванов, министр 2031 года": "2031: такого числа в источнике нет",
        f"/quote_add {draft_id} {VERBATIM} | , министр": "Кто сказал",
        f"/quote_add {note_id} {VERBATIM}": "у заметки редакции нет источника",
        f"/quote_edit {draft_id} 3 {VERBATIM}": f"У справки #{draft_id} нет цитаты 3: цитат у неё 2",
        f"/quote_remove {draft_id} 9": f"У справки #{draft_id} нет цитаты 9: цитат у неё 2",
        f"/figure_remove {draft_id} 1": f"У справки #{draft_id} нет цифры 1: цифр у неё 0",
        f"/quote_remove {draft_id} 0": "/quote_remove 12 1",
        f"/figure_remove {draft_id}": "/figure_remove 12 1",
        f"/quote_add {draft_id}": "/quote_add 12",
        f"/quote_remove 99999 1": "Справки #99999 нет",
    }
    for command, message in refusals.items():
        [reply] = await ask(emulator, owner, command)
        assert message in reply["text"], (command, reply["text"])
    await ask(emulator, owner, f"/quote_add {draft_id} {VERBATIM}", count=3)  # a third: the most there can be
    [full] = await ask(emulator, owner, f"/quote_add {draft_id} рубежным событием")
    assert "уже 3 цитаты" in full["text"]
    assert (await quotes_of(bot, draft_id))[:2] == before


@pytest.mark.parametrize("topic, command, action, gone, put", [
    ("energy", "/edit {id} Энергетика: после правки | Росатом строит АЭС.", "edited", TITLE, "после правки"),
    ("economy", "/figure_remove {id} 1", "figure removed", "Рекордные капиталовложения", "Цель по товарообороту"),
    ("energy", f"/quote_edit {{id}} 1 «{VERBATIM}»", "quote replaced", "Атомная энергетика имеет здесь", VERBATIM),
])  # fmt: skip
async def test_editing_a_delivered_snippet_waits_for_apply_and_corrects_the_message_in_place(
    bot, emulator, seeds_dir, owner, reader, topic, command, action, gone, put,
):
    await ask(emulator, reader, f"/subscribe {topic}")
    await publish(services_of(bot), seeds_dir, topic, TITLE)
    [delivered] = await emulator.wait_for_messages(reader["id"])
    await emulator.wait_for(lambda: couriers_of(bot).sender.in_flight == 0)
    snippet_id = (await services_of(bot).outbox.sent_to(reader["id"]))[0][1]
    assert gone in delivered["text"]
    stored = await services_of(bot).content.snippets_by_id([snippet_id])

    heading, preview = await ask(emulator, owner, command.format(id=snippet_id), count=2)
    assert "(их 1)" in heading["text"] and preview["text"].startswith("✏️ Исправлено редакцией")
    assert gone not in preview["text"] and put in preview["text"]
    assert await services_of(bot).content.snippets_by_id([snippet_id]) == stored  # nothing changes before Apply
    [applied] = await press(emulator, owner, preview, button_with(preview, "ed:ap:"))
    assert "исправлена" in applied["text"]

    def corrected():
        message = emulator.messages_in(reader["id"])[-1]
        return message if message["edits"] else None

    message = await emulator.wait_for(corrected)
    assert message["message_id"] == delivered["message_id"] and message["text"] == preview["text"]
    [history] = await ask(emulator, owner, f"/history {snippet_id}")
    assert f"Olga (telegram) · {action}" in history["text"] and gone in history["text"]  # before → after


async def test_an_apply_after_the_list_changed_takes_out_nothing_else(bot, emulator, seeds_dir, owner):
    await publish(services_of(bot), seeds_dir, "energy", "Энергетика: две цитаты")
    snippet_id = next(s.id for s in await services_of(bot).content.published_snippets("energy")
                      if s.title == "Энергетика: две цитаты")
    first, second = await quotes_of(bot, snippet_id)
    _heading, earlier = await ask(emulator, owner, f"/quote_remove {snippet_id} 1", count=2)
    _heading, later = await ask(emulator, owner, f"/quote_remove {snippet_id} 1", count=2)
    await press(emulator, owner, later, button_with(later, "ed:ap:"))
    assert await quotes_of(bot, snippet_id) == [second]
    [refused] = await press(emulator, owner, earlier, button_with(earlier, "ed:ap:"))
    assert "изменился список" in refused["text"]
    assert await quotes_of(bot, snippet_id) == [second]  # the quote meant is gone; no other goes
