"""Alerts on words and `/digest now`, end to end through the Bot API emulator; the digest
clock in the console; alert words thrown at random at the parser and at the bot."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from bot.domain.alerts import MAX_ALERTS, MAX_WORDS, MIN_LETTERS, parse_alerts
from bot.domain.search_text import STOP_WORDS
from bot.domain.stemming import root
from bot.domain.chats import ACTIVE, MIGRATED, PAUSED
from bot.presentation.alerts import render_alert_change
from bot.presentation.html import split_html, utf16_length
from bot.services.alerts import AlertChange
from tests.conftest import ROOT, couriers_of, services_of, unexpected_refusals
from tests.helpers import ask, button_with, buttons, press
from tests.publishing import add_snippet, publish

GROUP_ID = -1001000000071
# 21 words of distinct roots: one more than a chat may follow
PLACES = ("Москва, Астана, Алматы, Караганда, Актобе, Шымкент, Павлодар, Семей, Костанай, Уральск, "
          "Атырау, Актау, Тараз, Кокшетау, Петропавловск, Талдыкорган, Туркестан, Экибастуз, Жезказган, "
          "Темиртау, Байконур")


@pytest.fixture
def group(group_of):
    return group_of(GROUP_ID)


def remove_buttons(message) -> dict[str, str]:
    """The ✖ buttons under an /alerts list: label → callback data."""
    return {b["text"]: b["callback_data"] for b in buttons(message) if b.get("callback_data", "").startswith("ax:")}


async def settled(bot, emulator) -> None:
    """Everything queued is sent and recorded."""
    async def idle():
        return couriers_of(bot).sender.in_flight == 0 and not await services_of(bot).outbox.due(0, 1)

    await emulator.wait_for(idle)


# --- setting, listing, removing --------------------------------------------------------------


async def test_alerts_are_set_listed_removed_by_button_and_turned_off_by_any_form(bot, emulator, anna):
    [reply] = await ask(emulator, anna, "/alert Балхаш, АЭС Курчатов")
    assert "Оповещение включено: «Балхаш», «АЭС Курчатов»" in reply["text"]
    assert "Оповещений в чате: 2 из 20" in reply["text"]
    [reply] = await ask(emulator, anna, "/alert балхашской")  # the same roots: the same alert
    assert "Уже есть: «Балхаш»" in reply["text"] and "2 из 20" in reply["text"]

    [listing] = await ask(emulator, anna, "/alerts")
    assert "Ваши оповещения</b>" in listing["html"] and "1. Балхаш\n2. АЭС Курчатов" in listing["text"]
    removers = remove_buttons(listing)
    assert set(removers) == {"✖ Балхаш", "✖ АЭС Курчатов"}
    assert all(len(data.encode()) <= 64 for data in removers.values())

    query = emulator.press_button(anna, listing, removers["✖ Балхаш"], check=True)
    await emulator.wait_for(lambda: query in emulator.callback_answers)
    assert emulator.callback_answers[query]["text"] == "Удалено: Балхаш"
    await emulator.wait_for(lambda: emulator.messages_in(anna["id"])[-1]["edits"])
    edited = emulator.messages_in(anna["id"])[-1]
    assert "(1 из 20)" in edited["text"] and "Балхаш" not in edited["text"]
    assert set(remove_buttons(edited)) == {"✖ АЭС Курчатов"}
    again = emulator.press_button(anna, listing, removers["✖ Балхаш"])  # a second tap on a gone alert
    await emulator.wait_for(lambda: again in emulator.callback_answers)
    assert emulator.callback_answers[again]["text"] == "Этого оповещения уже нет."

    [reply] = await ask(emulator, anna, "/alert off курчатове аэс")  # other forms, other order
    assert "Оповещение выключено: «АЭС Курчатов»" in reply["text"] and "0 из 20" in reply["text"]
    [reply] = await ask(emulator, anna, "/alert off Балхаш")
    assert "Такого оповещения нет: «Балхаш»" in reply["text"]
    [reply] = await ask(emulator, anna, "/alert off")
    assert "/alert off Балхаш" in reply["text"]
    [listing] = await ask(emulator, anna, "/alerts")
    assert "Оповещений нет" in listing["text"] and not buttons(listing)
    assert await services_of(bot).alerts.of_chat(anna["id"]) == []


async def test_an_english_reader_gets_english_answers(bot, emulator, john):
    [reply] = await ask(emulator, john, "/alert")
    assert reply["text"].startswith("Give a word or words: /alert Balkhash")
    [reply] = await ask(emulator, john, "/alert Balkhash, the pipeline, NPP")
    assert "Alert on: «Balkhash»" in reply["text"]
    assert "“the pipeline”: common words are not searched for — «the». Without them: /alert pipeline" in reply["text"]
    assert "“NPP”" not in reply["text"]  # three letters are enough
    [status] = await ask(emulator, john, "/subscriptions")
    assert "Alerts: «Balkhash», «NPP» (/alerts)" in status["text"]


# --- limits and words that cannot be alerts ---------------------------------------------------


@pytest.mark.parametrize("command, answer", [
    ("/alert в", "Не добавлено «в»: слова короче 3 букв не ищутся — «в»."),
    ("/alert АЭС в Казахстане", "слова короче 3 букв не ищутся — «в». Без них: /alert АЭС Казахстане"),
    ("/alert для Китая", "Не добавлено «для Китая»: служебные слова не ищутся — «для». Без них: /alert Китая"),
    ("/alert это", "служебные слова не ищутся — «это»."),
    ("/alert " + "ы" * 40, "слова длиннее 30 букв не ищутся — «" + "ы" * 30 + "…»"),
    ("/alert Росатом Казатомпром Балхаш энергокольцо атом", "слишком много слов — в одном оповещении до 4"),
    ("/alert !!! ???", "Напишите слово или слова: /alert Балхаш"),
])
async def test_words_that_cannot_be_alerts_are_refused_by_name_and_change_nothing(bot, emulator, anna, command, answer):
    [reply] = await ask(emulator, anna, command)
    assert answer in reply["text"]
    assert await services_of(bot).alerts.of_chat(anna["id"]) == []


async def test_a_chat_may_follow_at_most_twenty_alerts(bot, emulator, anna):
    places = [place.strip() for place in PLACES.split(",")]
    assert len({root(place.lower()) for place in places}) == MAX_ALERTS + 1
    [reply] = await ask(emulator, anna, "/alert " + ", ".join(places))
    assert "Не добавлено: «Байконур» — больше 20 оповещений в чате нельзя" in reply["text"]
    assert "Оповещений в чате: 20 из 20" in reply["text"]
    [reply] = await ask(emulator, anna, "/alert Балхаш")
    assert "Не добавлено: «Балхаш» — больше 20" in reply["text"]
    [listing] = await ask(emulator, anna, "/alerts")
    assert "(20 из 20)" in listing["text"] and len(remove_buttons(listing)) == 20
    assert len(await services_of(bot).alerts.of_chat(anna["id"])) == MAX_ALERTS


# --- who may change a group's alerts ------------------------------------------------------------


async def test_in_a_group_only_administrators_change_alerts_and_everyone_may_look(bot, emulator, group, admin, member):
    [reply] = await ask(emulator, admin, "/alert Балхаш", chat=group)
    assert "Оповещение включено: «Балхаш»" in reply["text"]
    for command in ("/alert Росатом", "/alert off Балхаш", "/digest now"):
        [reply] = await ask(emulator, member, command, chat=group)
        assert "только его администраторы" in reply["text"], command
    [listing] = await ask(emulator, member, "/alerts", chat=group)
    assert "Оповещения чата «Аналитики»" in listing["text"]
    query = emulator.press_button(member, listing, remove_buttons(listing)["✖ Балхаш"], check=True)
    await emulator.wait_for(lambda: query in emulator.callback_answers)
    assert emulator.callback_answers[query]["show_alert"] is True
    assert [alert.words for alert in await services_of(bot).alerts.of_chat(GROUP_ID)] == ["Балхаш"]
    forged = emulator.press_button(admin, listing, f"ax:{admin['id']}:1")  # another chat's id: not here
    await emulator.wait_for(lambda: forged in emulator.callback_answers)
    assert emulator.callback_answers[forged]["show_alert"] is True
    assert [alert.words for alert in await services_of(bot).alerts.of_chat(GROUP_ID)] == ["Балхаш"]


async def test_a_channels_admin_manages_its_alerts_and_digest_from_a_private_chat(bot, emulator, seeds_dir, admin, member):
    channel = emulator.make_channel(-1002000000072, "Евразия сегодня", username="eurasia_today")
    emulator.set_member(channel, admin, "creator")
    [reply] = await ask(emulator, admin, "/alert @eurasia_today Балхаш")
    assert reply["text"].startswith("Канал «Евразия сегодня»:\n🔔 Оповещение включено: «Балхаш»")
    [reply] = await ask(emulator, member, "/alert @eurasia_today Росатом")
    assert "только его администратор" in reply["text"]
    [listing] = await ask(emulator, admin, "/alerts @eurasia_today")
    assert listing["text"].startswith("🔔 Оповещения чата «Евразия сегодня» (1 из 20)")
    await publish(services_of(bot), seeds_dir, "energy", "Для канала по оповещению")
    [delivered] = await emulator.wait_for_messages(channel["id"])
    assert delivered["text"].startswith("🔔 По оповещению «Балхаш»") and delivered["reply_markup"] is None
    [reply] = await ask(emulator, admin, "/digest @eurasia_today now")
    assert reply["text"] == "Дайджест отправлен в «Евразия сегодня»: справок — 1."
    [digest] = await emulator.wait_for_messages(channel["id"])
    assert "Для канала по оповещению\n🔔 «Балхаш»" in digest["text"]


# --- what a publication reaches -------------------------------------------------------------------


async def test_a_matching_publication_reaches_each_alerted_chat_once_and_says_which_alert(
        bot, emulator, seeds_dir, anna, john, group, admin):
    services = services_of(bot)
    reader = emulator.make_user(user_id=1003, first_name="Vera", language_code="ru")
    await ask(emulator, anna, "/subscribe energy")
    await ask(emulator, anna, "/alert балхашской, Росатом")  # both match the energy snippet, in other forms
    await ask(emulator, john, "/alert NPP")  # «АЭС» by its alias, as search finds it; no subscription at all
    await ask(emulator, admin, "/alert АЭС Балхаше", chat=group)  # every word must be there
    await ask(emulator, reader, "/alert Байконур")  # not in the snippet

    await publish(services, seeds_dir, "energy", "Площадка для атомной станции")
    [for_anna] = await emulator.wait_for_messages(anna["id"])
    assert for_anna["text"].startswith("🔔 По оповещениям «балхашской», «Росатом»\n🆕 ⚡ Энергетика")
    assert "Площадка для атомной станции" in for_anna["text"]
    [for_john] = await emulator.wait_for_messages(john["id"])
    assert for_john["text"].startswith("🔔 Your alert «NPP»\n🆕")
    [for_group] = await emulator.wait_for_messages(GROUP_ID)
    assert for_group["text"].startswith("🔔 По оповещению «АЭС Балхаше»") and for_group["reply_markup"] is None

    await publish(services, seeds_dir, "economy", "Торговый форум без атома")  # matches nobody's alert
    await services.intake.reload_seeds()  # nothing new: nothing queued again
    await settled(bot, emulator)
    assert len(emulator.messages_in(anna["id"])) == 3  # two answers and the one delivery
    assert len(emulator.messages_in(john["id"])) == 2
    assert len(emulator.messages_in(GROUP_ID)) == 2
    assert len(emulator.messages_in(reader["id"])) == 1
    stats = await services.outbox.stats()
    assert (stats.pending, stats.sent, stats.failed) == (0, 3, {})


async def test_an_editor_sees_alerted_chats_in_how_many_a_draft_will_reach(bot, emulator, seeds_dir, anna, john):
    from tests.publishing import seed_draft

    services = services_of(bot)
    owner = emulator.make_user(user_id=42, first_name="Owner", language_code="ru")
    await ask(emulator, anna, "/subscribe energy")
    await ask(emulator, anna, "/alert Балхаш")  # subscribed too: counted once
    await ask(emulator, john, "/alert Balkhash")
    draft = await seed_draft(services, seeds_dir, "energy", "Черновик про станцию")
    assert await services.editorial.recipients(draft) == 2
    [preview, *_rest] = await ask(emulator, owner, f"/publish {draft}")
    assert "Получателей: 2." in preview["text"]


async def test_a_corrected_copy_still_names_the_alert_that_brought_it(bot, emulator, seeds_dir, anna):
    services = services_of(bot)
    owner = emulator.make_user(user_id=42, first_name="Olga", language_code="ru")
    await ask(emulator, anna, "/alert Балхаш")
    await publish(services, seeds_dir, "energy", "Энергетика: до правки")
    [delivered] = await emulator.wait_for_messages(anna["id"])
    await settled(bot, emulator)
    snippet_id = (await services.outbox.sent_to(anna["id"]))[0][1]
    _heading, preview = await ask(emulator, owner, f"/edit {snippet_id} Энергетика: после правки | Росатом строит АЭС.",
                                  count=2)
    await press(emulator, owner, preview, button_with(preview, "ed:ap:"))
    await emulator.wait_for(lambda: emulator.messages_in(anna["id"])[-1]["edits"])
    corrected = emulator.messages_in(anna["id"])[-1]
    assert corrected["message_id"] == delivered["message_id"]
    assert corrected["text"].startswith("✏️ Исправлено редакцией\n\n🔔 По оповещению «Балхаш»\n🆕")
    assert "после правки" in corrected["text"]


async def test_alerts_follow_the_chat_as_subscriptions_do(bot, emulator, seeds_dir, anna, admin):
    services = services_of(bot)
    await ask(emulator, anna, "/alert Балхаш")
    emulator.block_bot(anna)  # gone: paused, the alert kept, nothing matched meanwhile

    async def state_is(chat_id, state):
        chat = await services.chats.get(chat_id)
        return chat is not None and chat.state == state

    await emulator.wait_for(lambda: state_is(anna["id"], PAUSED))
    await publish(services, seeds_dir, "energy", "Пока бот заблокирован")
    assert [alert.words for alert in await services.alerts.of_chat(anna["id"])] == ["Балхаш"]
    emulator.block_bot(anna, blocked=False)
    await emulator.wait_for(lambda: state_is(anna["id"], ACTIVE))
    await publish(services, seeds_dir, "energy", "После разблокировки")
    [delivered] = await emulator.wait_for_messages(anna["id"])
    assert "После разблокировки" in delivered["text"] and "Пока бот заблокирован" not in delivered["text"]

    old = emulator.make_group(-4000000071, "Старая группа", "group")
    emulator.set_member(old, admin, "administrator")
    await ask(emulator, admin, "/alert Росатом", chat=old)
    new = emulator.migrate_group(old, -1004000000071)
    await emulator.wait_for(lambda: state_is(old["id"], MIGRATED))
    assert [alert.words for alert in await services.alerts.of_chat(new["id"])] == ["Росатом"]
    assert await services.alerts.of_chat(old["id"]) == []
    await publish(services, seeds_dir, "energy", "В супергруппу по оповещению")
    [delivered] = await emulator.wait_for_messages(new["id"])
    assert "В супергруппу по оповещению" in delivered["text"] and "«Росатом»" in delivered["text"]


# --- digests --------------------------------------------------------------------------------------


async def test_digest_now_sends_what_the_next_digest_would_hold_and_says_when_nothing_is_new(
        bot, emulator, seeds_dir, anna, john):
    services = services_of(bot)
    await ask(emulator, anna, "/subscribe economy")
    await ask(emulator, anna, "/instant off")
    await ask(emulator, anna, "/digest 09:00")
    await ask(emulator, anna, "/alert Балхаш")
    scheduled = (await services.chats.get(anna["id"])).next_digest_at
    [reply] = await ask(emulator, anna, "/digest now")
    assert "С прошлого дайджеста нового нет: ни по темам этого чата, ни по его оповещениям" in reply["text"]

    await publish(services, seeds_dir, "economy", "Экономика: новое за день")
    await publish(services, seeds_dir, "energy", "Энергетика: станция у озера")  # energy only by the alert
    await publish(services, seeds_dir, "logistics", "Логистика: не для этого чата")
    [digest] = await ask(emulator, anna, "/digest now")
    text = digest["text"]
    assert text.startswith("🗞 Дайджест · новых справок: 2")
    assert "Экономика: новое за день" in text and "Логистика" not in text
    assert "• Энергетика: станция у озера\n🔔 «Балхаш»\n" in text
    [reply] = await ask(emulator, anna, "/digest now")
    assert "С прошлого дайджеста нового нет" in reply["text"]
    chat = await services.chats.get(anna["id"])
    assert chat.next_digest_at == scheduled  # the schedule stays
    await services.db.execute("UPDATE chats SET next_digest_at = ? WHERE id = ?", (time.time() - 1, anna["id"]))
    assert await services.delivery.run_digests() == 0  # the scheduled one finds nothing new since

    [reply] = await ask(emulator, john, "/digest now")
    assert "this chat follows no topic and has no alerts" in reply["text"]
    await ask(emulator, anna, "/stop")
    [reply] = await ask(emulator, anna, "/digest now")
    assert "доставка в этот чат приостановлена" in reply["text"]
    await settled(bot, emulator)
    stats = await services.outbox.stats()
    assert (stats.sent, stats.pending) == (1, 0)


async def test_the_scheduled_digest_includes_what_alerts_matched(bot, emulator, seeds_dir, anna):
    services = services_of(bot)
    await ask(emulator, anna, "/alert Курчатов, Росатом")
    await ask(emulator, anna, "/instant off")
    await ask(emulator, anna, "/digest 07:00")
    await publish(services, seeds_dir, "energy", "Для утреннего дайджеста")
    await services.db.execute("UPDATE chats SET next_digest_at = ? WHERE id = ?", (time.time() - 1, anna["id"]))
    assert await services.delivery.run_digests() == 1
    [digest] = await emulator.wait_for_messages(anna["id"])
    assert "новых справок: 1" in digest["text"] and "• Для утреннего дайджеста\n🔔 «Росатом»\n" in digest["text"]


# --- the console --------------------------------------------------------------------------------


def console_env(tmp_path: Path, seeds: Path) -> dict[str, str]:
    return {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "PYTHONPATH": str(ROOT),
            "SEEDS_DIR": str(seeds), "TOPICS_FILE": str(ROOT / "config/topics.yaml"),
            "DATABASE_PATH": str(tmp_path / "real" / "bot.db")}


def console_until(tmp_path: Path, env: dict[str, str], lines: list[str], marks: list[str], bound: float = 60.0) -> str:
    """Run the console, type `lines`, keep it open until its output holds every one of `marks`
    (what the bot sends by itself, with no line typed), then /quit. Returns the transcript."""
    process = subprocess.Popen([sys.executable, "-m", "bot", "console"], env=env, cwd=tmp_path, text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out: list[str] = []
    reader = threading.Thread(target=lambda: out.extend(iter(process.stdout.readline, "")), daemon=True)
    reader.start()
    for line in lines:
        process.stdin.write(line + "\n")
    process.stdin.flush()
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline and not all(mark in "".join(out) for mark in marks) and process.poll() is None:
        time.sleep(0.1)
    process.stdin.write("/quit\n")
    process.stdin.close()
    process.wait(timeout=60)
    reader.join(timeout=10)
    transcript = "".join(out)
    assert process.returncode == 0, process.stderr.read()
    assert "Traceback" not in transcript
    return transcript


def test_the_console_delivers_alerts_digest_now_and_the_scheduled_digest(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    env = console_env(tmp_path, seeds)
    first = console_until(tmp_path, env, ["/subscribe economy", "/alert Балхаш", "/digest now", "/digest 08:30"],
                          ["Дайджест будет приходить ежедневно в 08:30"])
    # /digest now: the digest arrives through the real sender, marked as a delivery
    now = first.index("> /digest now")
    assert "📬 ── delivery ──" in first[now:] and "🗞 Дайджест · новых справок: 1" in first[now:]

    # while the console is closed: a snippet the alert matches is published, and the digest time passes
    add_snippet(seeds, "energy", "Станция у Балхаша: новое")
    with sqlite3.connect(tmp_path / "data" / "console.db") as db:
        db.execute("UPDATE chats SET next_digest_at = 1 WHERE id = 1001")
    second = console_until(tmp_path, env, [], ["По оповещению «Балхаш»", "🗞 Дайджест"])
    alert = second.index("🔔 По оповещению «Балхаш»")
    assert "📬 ── delivery ──" in second[:alert] and "Станция у Балхаша: новое" in second[alert:]
    digest = second.index("🗞 Дайджест · новых справок: 1")  # the digest clock runs in the console
    assert "• Станция у Балхаша: новое\n🔔 «Балхаш»" in second[digest:]


# --- any input ------------------------------------------------------------------------------------

ALERT_TEXT = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=200),
    st.lists(st.sampled_from(["Балхаш", "в", "для", "the", ",", ";", " ", "АЭС", "x" * 40, "<b>", "&amp;", "off",
                              "2030", "ё", "Ёлка", "🙂", "\n", "«", "»", "@chan", "-100123"]),
             max_size=40).map(" ".join),
)


@given(ALERT_TEXT)
@hsettings(max_examples=300, deadline=None)
def test_any_alert_words_are_read_within_the_limits_and_answered_within_telegrams(text: str) -> None:
    parsed = parse_alerts(text)
    for alert in parsed.alerts:
        words = alert.words.split()
        assert 1 <= len(words) <= MAX_WORDS and alert.roots
        assert all(len(word) >= MIN_LETTERS and word.lower().replace("ё", "е") not in STOP_WORDS for word in words)
    for problem in parsed.problems:
        assert problem.kind in {"short", "stop", "long", "many"} and problem.text
    change = AlertChange(problems=parsed.problems, added=parsed.alerts[:MAX_ALERTS], total=MAX_ALERTS)
    for lang in ("ru", "en"):
        parts = split_html(render_alert_change(change, lang))
        assert len(parts) == 1 and utf16_length(parts[0]) <= 4096


@given(st.lists(ALERT_TEXT, min_size=1, max_size=2), st.booleans())
@hsettings(max_examples=10, deadline=None,
           suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
async def test_any_alert_command_through_the_bot_is_answered_clearly(bot, emulator, anna, texts, off):
    for text in texts:
        [answer] = await ask(emulator, anna, f"/alert {'off ' if off else ''}{text}")
        assert answer["text"].strip() and "Что-то пошло не так" not in answer["text"]
    assert len(await services_of(bot).alerts.of_chat(anna["id"])) <= MAX_ALERTS
    [listing] = await ask(emulator, anna, "/alerts")
    assert all(len(data.encode()) <= 64 for data in remove_buttons(listing).values())
    assert not unexpected_refusals(emulator)  # no 400 (but "no such channel"), no 429
