"""Subscriptions in private chats, end to end: commands, buttons, delivery, digests, lifecycle."""

from __future__ import annotations

import time

import pytest

from bot.domain.chats import ACTIVE, PAUSED
from tests.publishing import publish
from tests.conftest import couriers_of, services_of
from tests.helpers import ask, buttons


async def test_subscriber_gets_a_new_snippet_once_and_others_get_nothing(bot, emulator, seeds_dir, anna, john):
    [reply] = await ask(emulator, anna, "/subscribe energy")
    assert "Энергетика" in reply["text"]
    await ask(emulator, john, "/subscribe economy")

    await publish(services_of(bot), seeds_dir, "energy", "АЭС на Балхаше: следующий шаг")
    [delivered] = await emulator.wait_for_messages(anna["id"])
    assert delivered["text"].startswith("🆕")
    assert "АЭС на Балхаше: следующий шаг" in delivered["text"]
    assert any(button["callback_data"].startswith("f:") or button["callback_data"].startswith("q:")
               for button in buttons(delivered))

    await services_of(bot).intake.reload_seeds()  # nothing changed: nothing is queued again
    await emulator.wait_for(lambda: couriers_of(bot).sender.in_flight == 0)
    stats = await services_of(bot).outbox.stats()
    assert (stats.pending, stats.sent) == (0, 1)
    assert len(emulator.messages_in(anna["id"])) == 2  # the confirmation and the snippet
    assert len(emulator.messages_in(john["id"])) == 1  # only the confirmation


async def test_subscribe_without_topics_offers_toggle_buttons_that_update_in_place(bot, emulator, anna):
    [picker] = await ask(emulator, anna, "/subscribe")
    energy = next(b for b in buttons(picker) if b["callback_data"].endswith(":energy"))
    assert energy["text"].startswith("▫️")
    emulator.press_button(anna, picker, energy["callback_data"], check=True)
    await emulator.wait_for(lambda: emulator.messages_in(anna["id"])[-1]["edits"])
    updated = emulator.messages_in(anna["id"])[-1]
    assert next(b for b in buttons(updated) if b["callback_data"].endswith(":energy"))["text"].startswith("✅")
    chat = await services_of(bot).chats.get(anna["id"])
    assert list(chat.topics) == ["energy"]


async def test_subscriptions_digest_timezone_and_instant_are_reported(bot, emulator, anna):
    await ask(emulator, anna, "/subscribe energy logistics")
    [reply] = await ask(emulator, anna, "/digest 8:30")
    assert "08:30" in reply["text"] and "Europe/Moscow" in reply["text"]
    [reply] = await ask(emulator, anna, "/timezone asia/almaty")
    assert "Asia/Almaty" in reply["text"]
    await ask(emulator, anna, "/instant off")
    [status] = await ask(emulator, anna, "/subscriptions")
    text = status["text"]
    assert "Энергетика" in text and "Логистика" in text
    assert "08:30 (Asia/Almaty)" in text and "отдельно не присылаются" in text


@pytest.mark.parametrize(
    "command, answer",
    [
        ("/subscribe bananas", "Не знаю тем: bananas"),
        ("/digest 25:99", "/digest 08:30"),
        ("/timezone Mars/Olympus", "Не знаю такого часового пояса"),
        ("/instant maybe", "/instant on"),
        ("/resume", "и так идёт"),
    ],
)
async def test_bad_input_gets_a_clear_answer_and_changes_nothing(bot, emulator, anna, command, answer):
    await ask(emulator, anna, "/subscribe energy")
    before = await services_of(bot).chats.get(anna["id"])
    [reply] = await ask(emulator, anna, command)
    assert answer in reply["text"]
    assert await services_of(bot).chats.get(anna["id"]) == before


async def test_stop_pauses_delivery_and_resume_brings_it_back(bot, emulator, seeds_dir, anna):
    await ask(emulator, anna, "/subscribe energy")
    await ask(emulator, anna, "/stop")
    await publish(services_of(bot), seeds_dir, "energy")
    await ask(emulator, anna, "/resume")
    await publish(services_of(bot), seeds_dir, "energy", "Второй материал после паузы")
    [delivered] = await emulator.wait_for_messages(anna["id"])
    assert "Второй материал после паузы" in delivered["text"]
    assert len(emulator.messages_in(anna["id"])) == 4  # confirmations of subscribe/stop/resume + one


async def test_a_user_who_blocked_the_bot_is_paused_not_deleted(bot, emulator, seeds_dir, anna, john):
    services = services_of(bot)
    await ask(emulator, anna, "/subscribe energy")
    await ask(emulator, john, "/subscribe energy")
    emulator.block_bot(anna, notify=False)  # the bot learns it only when sending fails
    await publish(services, seeds_dir, "energy")
    await emulator.wait_for_messages(john["id"])

    async def paused():
        chat = await services.chats.get(anna["id"])
        return chat.state == PAUSED

    await emulator.wait_for(paused)
    chat = await services.chats.get(anna["id"])
    assert list(chat.topics) == ["energy"] and "blocked" in chat.state_reason
    stats = await services.outbox.stats()
    assert stats.failed == {"bot was blocked by the user": 1}

    emulator.block_bot(anna, blocked=False)  # unblocking: Telegram says so with my_chat_member

    async def active():
        return (await services.chats.get(anna["id"])).state == ACTIVE

    await emulator.wait_for(active)
    await publish(services, seeds_dir, "energy", "После разблокировки")
    [delivered] = await emulator.wait_for_messages(anna["id"])
    assert "После разблокировки" in delivered["text"]


async def test_blocking_reported_by_telegram_pauses_at_once(bot, emulator, anna):
    await ask(emulator, anna, "/subscribe energy")
    emulator.block_bot(anna)

    async def paused():
        return (await services_of(bot).chats.get(anna["id"])).state == PAUSED

    await emulator.wait_for(paused)


async def test_daily_digest_collects_what_is_new_once(bot, emulator, seeds_dir, anna):
    services = services_of(bot)
    await ask(emulator, anna, "/subscribe energy economy")
    await ask(emulator, anna, "/instant off")
    await ask(emulator, anna, "/digest 09:00")
    assert await services.delivery.run_digests() == 0  # not yet due

    await publish(services, seeds_dir, "energy", "Энергетика: новое за день")
    await publish(services, seeds_dir, "economy", "Экономика: новое за день")
    await services.db.execute("UPDATE chats SET next_digest_at = ? WHERE id = ?", (time.time() - 1, anna["id"]))
    assert await services.delivery.run_digests() == 1
    [digest] = await emulator.wait_for_messages(anna["id"])
    assert "Дайджест" in digest["text"] and "новых справок: 2" in digest["text"]
    assert "Энергетика: новое за день" in digest["text"] and "Экономика: новое за день" in digest["text"]

    chat = await services.chats.get(anna["id"])
    assert chat.next_digest_at > time.time()  # rescheduled for tomorrow
    await services.db.execute("UPDATE chats SET next_digest_at = ? WHERE id = ?", (time.time() - 1, anna["id"]))
    assert await services.delivery.run_digests() == 0  # nothing new since: nothing sent


async def test_owner_sees_delivery_state_and_others_are_refused(bot, emulator, seeds_dir, anna):
    owner = emulator.make_user(user_id=42, first_name="Owner")
    await ask(emulator, anna, "/subscribe energy")
    await publish(services_of(bot), seeds_dir, "energy")
    await emulator.wait_for_messages(anna["id"], count=1)
    await emulator.wait_for(lambda: couriers_of(bot).sender.in_flight == 0)
    [refusal] = await ask(emulator, anna, "/deliveries")
    assert "только для администраторов" in refusal["text"]
    [view] = await ask(emulator, owner, "/deliveries")
    assert "Отправлено: 1" in view["text"] and "В очереди: 0" in view["text"]


async def test_digest_schedule_survives_a_restart_and_fires_from_the_job_queue(settings, emulator, seeds_dir, anna):
    from tests.conftest import running_bot

    async with running_bot(settings, emulator) as application:
        await ask(emulator, anna, "/subscribe energy")
        await ask(emulator, anna, "/digest 07:15")
        await publish(services_of(application), seeds_dir, "energy", "Для утреннего дайджеста")
        await emulator.wait_for_messages(anna["id"])  # the instant copy
    # While the bot is down, the digest time passes.
    from tests.helpers import database_of

    async with database_of(settings) as db:
        await db.execute("UPDATE chats SET next_digest_at = ? WHERE id = ?", (time.time() - 60, anna["id"]))
    async with running_bot(settings, emulator) as application:
        [digest] = await emulator.wait_for_messages(anna["id"], timeout=10)  # no manual trigger
        assert "Дайджест" in digest["text"] and "Для утреннего дайджеста" in digest["text"]
        chat = await services_of(application).chats.get(anna["id"])
        assert chat.next_digest_at > time.time()
    assert len(emulator.messages_in(anna["id"])) == 4  # two confirmations, the snippet, one digest


@pytest.mark.parametrize("fault", [{"error_code": 502}, {"error_code": 429, "retry_after": 1}])
async def test_a_server_error_or_retry_after_is_retried_and_delivered_once(bot, emulator, seeds_dir, anna, fault):
    await ask(emulator, anna, "/subscribe energy")
    emulator.fail_next("sendMessage", **fault)
    await publish(services_of(bot), seeds_dir, "energy", "Со второй попытки")
    [delivered] = await emulator.wait_for_messages(anna["id"], timeout=10)
    assert "Со второй попытки" in delivered["text"]
    failed_then_sent = [call for call in emulator.calls_to("sendMessage") if call.params["chat_id"] == anna["id"]]
    assert [call.ok for call in failed_then_sent][-2:] == [False, True]
    await emulator.wait_for(lambda: couriers_of(bot).sender.in_flight == 0)
    stats = await services_of(bot).outbox.stats()
    assert (stats.sent, stats.pending, stats.failed) == (1, 0, {})


async def test_unsubscribing_turning_the_digest_off_and_the_instant_button(bot, emulator, anna):
    await ask(emulator, anna, "/subscribe energy logistics")
    await ask(emulator, anna, "/digest 08:00")
    [reply] = await ask(emulator, anna, "/unsubscribe logistics")
    assert "Отписались: 🚆 Логистика" in reply["text"]
    [reply] = await ask(emulator, anna, "/digest off")
    assert "выключен" in reply["text"]
    [status] = await ask(emulator, anna, "/subscriptions")
    instant = next(b for b in buttons(status) if b["callback_data"].startswith("si:"))
    emulator.press_button(anna, status, instant["callback_data"], check=True)
    await emulator.wait_for(lambda: emulator.messages_in(anna["id"])[-1]["edits"])
    chat = await services_of(bot).chats.get(anna["id"])
    assert (list(chat.topics), chat.instant, chat.digest_time, chat.next_digest_at) == (["energy"], False, None, None)
    [reply] = await ask(emulator, anna, "/unsubscribe all")
    assert "Подписок больше нет" in reply["text"]
