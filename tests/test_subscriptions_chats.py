"""Subscriptions for groups, forums and channels, and what happens when chats change under us."""

from __future__ import annotations

import pytest

from bot.domain.chats import ACTIVE, MIGRATED, PAUSED
from tests.publishing import publish
from tests.conftest import couriers_of, services_of
from tests.helpers import ask, buttons

GROUP_ID = -1001000000001
CHANNEL_ID = -1002000000002


@pytest.fixture
def group(group_of):
    return group_of(GROUP_ID)


@pytest.fixture
def channel(emulator, admin):
    chat = emulator.make_channel(CHANNEL_ID, "Евразия сегодня", username="eurasia_today")
    emulator.set_member(chat, admin, "creator")
    return chat


async def chat_state(bot, chat_id):
    chat = await services_of(bot).chats.get(chat_id)
    return chat.state if chat else None


# --- groups -----------------------------------------------------------------------------------


async def test_group_admin_subscribes_and_the_group_gets_the_snippet_once(bot, emulator, seeds_dir, group, admin):
    [reply] = await ask(emulator, admin, "/subscribe energy", chat=group)
    assert "Энергетика" in reply["text"]
    await publish(services_of(bot), seeds_dir, "energy", "Энергокольцо: новости")
    [delivered] = await emulator.wait_for_messages(GROUP_ID)
    assert "Энергокольцо: новости" in delivered["text"] and delivered["reply_markup"] is None
    await services_of(bot).intake.reload_seeds()
    await emulator.wait_for(lambda: couriers_of(bot).sender.in_flight == 0)
    assert len(emulator.messages_in(GROUP_ID)) == 2


async def test_a_member_who_is_not_admin_changes_nothing(bot, emulator, group, member, admin):
    await ask(emulator, admin, "/subscribe energy", chat=group)
    before = await services_of(bot).chats.get(GROUP_ID)
    for command in ("/subscribe logistics", "/unsubscribe energy", "/digest 08:00", "/stop", "/instant off"):
        [reply] = await ask(emulator, member, command, chat=group)
        assert "только его администраторы" in reply["text"]
    assert await services_of(bot).chats.get(GROUP_ID) == before


async def test_a_member_pressing_a_toggle_button_is_refused(bot, emulator, group, member, admin):
    [picker] = await ask(emulator, admin, "/subscribe", chat=group)
    energy = next(b for b in buttons(picker) if b["callback_data"].endswith(":energy"))
    query = emulator.press_button(member, picker, energy["callback_data"], check=True)
    await emulator.wait_for(lambda: query in emulator.callback_answers)
    assert emulator.callback_answers[query]["show_alert"] is True
    assert (await services_of(bot).chats.get(GROUP_ID)).topics == {}
    emulator.press_button(admin, picker, energy["callback_data"], check=True)

    async def subscribed():
        return "energy" in (await services_of(bot).chats.get(GROUP_ID)).topics

    await emulator.wait_for(subscribed)


async def test_forged_toggle_for_someone_elses_chat_changes_nothing(bot, emulator, group, admin, member):
    await ask(emulator, admin, "/subscribe energy", chat=group)
    [picker] = await ask(emulator, member, "/subscribe")  # the member's own private chat
    query = emulator.press_button(member, picker, f"s:{GROUP_ID}:logistics")
    await emulator.wait_for(lambda: query in emulator.callback_answers)
    assert list((await services_of(bot).chats.get(GROUP_ID)).topics) == ["energy"]


async def test_anonymous_admin_posting_as_the_group_counts_as_admin(bot, emulator, group, admin):
    emulator.set_member(group, admin, "administrator", is_anonymous=True)
    emulator.send_text(admin, "/subscribe logistics", chat=group, as_chat=True)
    [reply] = await emulator.wait_for_messages(GROUP_ID)
    assert "Логистика" in reply["text"]


async def test_adding_the_bot_greets_the_group_and_removal_pauses_it(bot, emulator, seeds_dir, admin):
    chat = {"id": -1003000000003, "type": "supergroup", "title": "Новая группа"}
    emulator.add_bot(chat, admin)
    [greeting] = await emulator.wait_for_messages(chat["id"])
    assert "/subscribe" in greeting["text"]
    await ask(emulator, admin, "/subscribe energy", chat=chat)

    emulator.remove_bot(chat, admin, kicked=True)
    await emulator.wait_for(lambda: _is(bot, chat["id"], PAUSED))
    await publish(services_of(bot), seeds_dir, "energy")
    emulator.add_bot(chat, admin)
    await emulator.wait_for(lambda: _is(bot, chat["id"], ACTIVE))
    settings = await services_of(bot).chats.get(chat["id"])
    assert list(settings.topics) == ["energy"]  # kept through the removal
    await publish(services_of(bot), seeds_dir, "energy", "После возвращения")
    messages = await emulator.wait_for_messages(chat["id"], count=2)  # greeting again, then it
    assert "После возвращения" in messages[-1]["text"]
    assert not any("продолжение" in m["text"] for m in messages)  # nothing from while removed


async def _is(bot, chat_id, state):
    return await chat_state(bot, chat_id) == state


async def test_a_bot_removed_silently_is_paused_when_sending_fails(bot, emulator, seeds_dir, group, admin):
    await ask(emulator, admin, "/subscribe energy", chat=group)
    emulator.remove_bot(group, admin, notify=False)
    await publish(services_of(bot), seeds_dir, "energy")
    await emulator.wait_for(lambda: _is(bot, GROUP_ID, PAUSED))
    stats = await services_of(bot).outbox.stats()
    assert stats.pending == 0 and sum(stats.failed.values()) == 1


async def test_a_migrated_group_moves_its_subscriptions(bot, emulator, seeds_dir, admin):
    old = emulator.make_group(-4000000004, "Старая группа", "group")
    emulator.set_member(old, admin, "administrator")
    await ask(emulator, admin, "/subscribe energy", chat=old)
    new = emulator.migrate_group(old, -1004000000004)
    await emulator.wait_for(lambda: _is(bot, old["id"], MIGRATED))
    assert list((await services_of(bot).chats.get(new["id"])).topics) == ["energy"]
    await publish(services_of(bot), seeds_dir, "energy", "В супергруппу")
    [delivered] = await emulator.wait_for_messages(new["id"])
    assert "В супергруппу" in delivered["text"]


async def test_migration_learned_from_a_send_delivers_to_the_new_chat(bot, emulator, seeds_dir, admin):
    old = emulator.make_group(-4000000005, "Группа", "group")
    emulator.set_member(old, admin, "administrator")
    await ask(emulator, admin, "/subscribe energy", chat=old)
    with emulator.world.lock:  # the upgrade happened, but its service message never reached us
        emulator.world.updates.clear()
    new = emulator.migrate_group(old, -1004000000005)
    with emulator.world.lock:
        emulator.world.updates = [u for u in emulator.world.updates if "message" not in u
                                  or "migrate_to_chat_id" not in u["message"]
                                  and "migrate_from_chat_id" not in u["message"]]
    await publish(services_of(bot), seeds_dir, "energy", "Через ошибку миграции")
    [delivered] = await emulator.wait_for_messages(new["id"])
    assert "Через ошибку миграции" in delivered["text"]
    assert await chat_state(bot, old["id"]) == MIGRATED


async def test_forum_topic_subscribed_in_a_thread_is_delivered_there(bot, emulator, seeds_dir, admin):
    forum = emulator.make_group(-1005000000006, "Форум", "supergroup", is_forum=True)
    emulator.set_member(forum, admin, "administrator")
    thread = emulator.create_forum_topic_thread(forum, "Энергетика")
    emulator.send_text(admin, "/subscribe energy", chat=forum, thread_id=thread)
    await emulator.wait_for_messages(forum["id"])
    await publish(services_of(bot), seeds_dir, "energy", "В ветку форума")
    [delivered] = await emulator.wait_for_messages(forum["id"])
    assert delivered["message_thread_id"] == thread and "В ветку форума" in delivered["text"]


async def test_startgroup_deep_link_subscribes_the_preselected_topics(bot, emulator, group, admin):
    [reply] = await ask(emulator, admin, "/start@briefing_test_bot energy-logistics", chat=group)
    assert "Энергетика" in reply["text"] and "Логистика" in reply["text"]
    assert set((await services_of(bot).chats.get(GROUP_ID)).topics) == {"energy", "logistics"}


# --- channels ----------------------------------------------------------------------------------


async def test_channel_admin_registers_by_name_and_the_channel_gets_deliveries(bot, emulator, seeds_dir, channel, admin):
    [reply] = await ask(emulator, admin, "/channel @eurasia_today energy")
    assert "подключён" in reply["text"]
    settings = await services_of(bot).chats.get(CHANNEL_ID)
    assert settings.type == "channel" and settings.registered_by == admin["id"]
    await publish(services_of(bot), seeds_dir, "energy", "Для канала")
    [delivered] = await emulator.wait_for_messages(CHANNEL_ID)
    assert "Для канала" in delivered["text"] and delivered["reply_markup"] is None


async def test_a_user_who_is_not_the_channels_admin_cannot_register_it(bot, emulator, channel, member):
    [reply] = await ask(emulator, member, "/channel @eurasia_today energy")
    assert "только его администратор" in reply["text"]
    assert await services_of(bot).chats.get(CHANNEL_ID) is None
    [reply] = await ask(emulator, member, "/subscribe @eurasia_today energy")
    assert "только его администратор" in reply["text"]


async def test_a_channel_where_the_bot_cannot_post_is_refused(bot, emulator, admin):
    quiet = emulator.make_channel(-1006000000007, "Тихий канал", username="quiet_channel", bot_can_post=False)
    emulator.set_member(quiet, admin, "creator")
    [reply] = await ask(emulator, admin, "/channel @quiet_channel energy")
    assert "не могу публиковать" in reply["text"]
    assert await services_of(bot).chats.get(quiet["id"]) is None


async def test_choose_a_channel_button_registers_with_preselected_topics(bot, emulator, admin):
    other = emulator.make_channel(-1007000000008, "Через кнопку")
    emulator.set_member(other, admin, "creator")
    emulator.remove_bot(other, admin, notify=False)  # Telegram adds it when the user picks it
    [offer] = await ask(emulator, admin, "/channel energy logistics")
    request = offer["reply_markup"]["keyboard"][0][0]["request_chat"]
    emulator.share_chat(admin, request["request_id"], other)
    [reply] = await emulator.wait_for_messages(admin["id"])
    assert "подключён" in reply["text"]
    settings = await services_of(bot).chats.get(other["id"])
    assert set(settings.topics) == {"energy", "logistics"}


async def test_forwarding_a_channel_post_registers_the_channel(bot, emulator, channel, admin):
    emulator.forward_channel_post(admin, channel, "Пост канала")
    [reply] = await emulator.wait_for_messages(admin["id"])
    assert "подключён" in reply["text"] and buttons(reply)
    assert (await services_of(bot).chats.get(CHANNEL_ID)).registered_by == admin["id"]


async def test_channel_subscriptions_are_managed_from_private_chat_buttons(bot, emulator, channel, admin, member):
    [connected] = await ask(emulator, admin, "/channel @eurasia_today")
    toggle = next(b for b in buttons(connected) if b["callback_data"] == f"s:{CHANNEL_ID}:economy")
    emulator.press_button(admin, connected, toggle["callback_data"], check=True)

    async def subscribed():
        return "economy" in (await services_of(bot).chats.get(CHANNEL_ID)).topics

    await emulator.wait_for(subscribed)
    [own] = await ask(emulator, member, "/start")
    query = emulator.press_button(member, own, f"s:{CHANNEL_ID}:energy")  # forged by a non-admin
    await emulator.wait_for(lambda: query in emulator.callback_answers)
    assert list((await services_of(bot).chats.get(CHANNEL_ID)).topics) == ["economy"]


async def test_losing_the_right_to_post_pauses_a_channel(bot, emulator, channel, admin):
    await ask(emulator, admin, "/channel @eurasia_today energy")
    emulator.remove_bot(channel, admin)
    await emulator.wait_for(lambda: _is(bot, CHANNEL_ID, PAUSED))
    emulator.add_bot(channel, admin, as_admin=True)
    await emulator.wait_for(lambda: _is(bot, CHANNEL_ID, ACTIVE))
    [note] = await emulator.wait_for_messages(admin["id"])  # the re-adding admin gets the buttons
    assert "подключён" in note["text"]


async def test_titles_with_markup_characters_are_escaped_everywhere(bot, emulator, admin):
    odd = emulator.make_channel(-1008000000009, "<b>Тест</b> & «кавычки»", username="odd_channel")
    emulator.set_member(odd, admin, "creator")
    [connected] = await ask(emulator, admin, "/channel @odd_channel energy")
    assert "<b>Тест</b> & «кавычки»" in connected["text"]  # shown literally, not as markup
    [listing] = await ask(emulator, admin, "/channel")
    assert "<b>Тест</b> & «кавычки»" in listing["text"]
    [status] = await ask(emulator, admin, "/subscriptions @odd_channel")
    assert "<b>Тест</b> & «кавычки»" in status["text"]


async def test_a_channels_digest_and_time_zone_are_set_by_naming_it(bot, emulator, seeds_dir, channel, admin, member):
    await ask(emulator, admin, "/channel @eurasia_today energy")
    [reply] = await ask(emulator, admin, "/timezone @eurasia_today Asia/Almaty")
    assert "Asia/Almaty" in reply["text"]
    [reply] = await ask(emulator, admin, "/digest @eurasia_today 09:00")
    assert "09:00 (Asia/Almaty)" in reply["text"]
    await ask(emulator, admin, "/instant @eurasia_today off")
    [refused] = await ask(emulator, member, "/digest @eurasia_today off")  # not the channel's admin
    assert "только его администратор" in refused["text"]
    settings = await services_of(bot).chats.get(CHANNEL_ID)
    assert (settings.timezone, settings.digest_time, settings.instant) == ("Asia/Almaty", "09:00", False)

    await publish(services_of(bot), seeds_dir, "energy", "Для дайджеста канала")
    import time

    await services_of(bot).db.execute("UPDATE chats SET next_digest_at = ? WHERE id = ?", (time.time() - 1, CHANNEL_ID))
    assert await services_of(bot).delivery.run_digests() == 1
    [digest] = await emulator.wait_for_messages(CHANNEL_ID)
    assert "Дайджест" in digest["text"] and "Для дайджеста канала" in digest["text"]


async def test_a_private_channels_title_is_told_only_to_its_admins(bot, emulator, anna) -> None:
    secret = emulator.make_channel(-1009000000009, "Закрытый канал редакции")  # no username: private
    emulator.set_member(secret, anna, "administrator")
    guesser = emulator.make_user(6300, "Guess", language_code="ru")
    [refused] = await ask(emulator, guesser, "/subscriptions -1009000000009")
    assert "Закрытый канал редакции" not in refused["text"] and "только его администратор" in refused["text"]
    [answer] = await ask(emulator, anna, "/subscriptions -1009000000009")
    assert "Закрытый канал редакции" in answer["text"]
