"""Tests of the Telegram Bot API emulator itself (tests/emulator/).

Most go through plain HTTP with aiohttp, exactly as a client would; the last ones run a tiny
python-telegram-bot Application against the emulator end to end.
"""

from __future__ import annotations

import asyncio
import html
import json
import threading
import time
from typing import Any

import aiohttp
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import RetryAfter
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes

from tests.emulator import BotApiEmulator, FloodLimits, HtmlParseError, parse_html

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi"
USER_ID = 1001


@pytest.fixture
async def emu():
    async with BotApiEmulator(token=TOKEN, bot_username="briefing_test_bot") as emulator:
        yield emulator


@pytest.fixture
async def http():
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def user(emu: BotApiEmulator) -> dict[str, Any]:
    anna = emu.make_user(user_id=USER_ID, first_name="Anna", language_code="ru")
    emu.send_text(anna, "/start")  # opens the private chat
    return anna


async def call(
    http: aiohttp.ClientSession,
    emu: BotApiEmulator,
    method: str,
    *,
    token: str = TOKEN,
    form: bool = False,
    **params: Any,
) -> tuple[int, dict[str, Any]]:
    """POST a Bot API call; ``form=True`` sends it the way python-telegram-bot does."""
    url = f"{emu.base_url}{token}/{method}"
    if form:
        data = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
        response = await http.post(url, data=data)
    else:
        response = await http.post(url, json=params)
    async with response:
        return response.status, await response.json()


async def send(http, emu, text: str, chat_id: int = USER_ID, **params) -> tuple[int, dict]:
    return await call(http, emu, "sendMessage", chat_id=chat_id, text=text, **params)


def keyboard(*datas: str) -> dict[str, Any]:
    return {
        "inline_keyboard": [[{"text": f"b{i}", "callback_data": d} for i, d in enumerate(datas)]]
    }


# -- HTML parse mode ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "text", "entities"),
    [
        ("<b>bold <i>both</i></b> plain", "bold both plain",
         [("bold", 0, 9), ("italic", 5, 4)]),
        ("<strong>s</strong><em>e</em><ins>u</ins><del>d</del>", "seud",
         [("bold", 0, 1), ("italic", 1, 1), ("underline", 2, 1), ("strikethrough", 3, 1)]),
        ("a &amp; b &lt;c&gt; &quot;q&quot;", 'a & b <c> "q"', []),
        ("&#60;&#x3E;&#1071;", "<>Я", []),
        ("<blockquote expandable>long quote</blockquote>", "long quote",
         [("expandable_blockquote", 0, 10)]),
        ("<blockquote>q</blockquote>", "q", [("blockquote", 0, 1)]),
        ('<a href="https://example.com/?a=1&amp;b=2">link</a>', "link", [("text_link", 0, 4)]),
        ('<pre><code class="language-python">x = 1</code></pre>', "x = 1", [("pre", 0, 5)]),
        ('<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>', "st",
         [("spoiler", 0, 1), ("spoiler", 1, 1)]),
        ('<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>', "👍", [("custom_emoji", 0, 2)]),
        ("😀<b>x</b>", "😀x", [("bold", 2, 1)]),
        ("  <b> padded </b>\n", "padded", [("bold", 0, 6)]),
        ("<b></b>empty tag", "empty tag", []),
        ("1 > 0", "1 > 0", []),
    ],
)  # fmt: skip
def test_html_accepted(raw: str, text: str, entities: list[tuple[str, int, int]]) -> None:
    parsed = parse_html(raw)
    assert parsed.text == text
    assert [(e["type"], e["offset"], e["length"]) for e in parsed.entities] == entities


def test_html_entity_details() -> None:
    link = parse_html('<a href="https://example.com/?a=1&amp;b=2">link</a>').entities[0]
    assert link["url"] == "https://example.com/?a=1&b=2"
    assert (
        parse_html('<pre><code class="language-python">x</code></pre>').entities[0]["language"]
        == "python"
    )


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("<b>bold <i>both</b></i>",
         'Unmatched end tag at byte offset 15, expected "</i>", found "</b>"'),
        ("<b>never closed", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<foo>x</foo>", 'Unsupported start tag "foo" at byte offset 0'),
        ("<br/>", 'Unsupported start tag "br/" at byte offset 0'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("Я<b>x</b", "Unclosed end tag at byte offset 6"),
        ("AT&T", 'Character "&" must be escaped as "&amp;" at byte offset 2'),
        ("&nbsp;", 'Character "&" must be escaped as "&amp;" at byte offset 0'),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<a href=https://x.y>z</a>", "Unexpected end of name token at byte offset 8"),
    ],
)  # fmt: skip
def test_html_rejected(raw: str, reason: str) -> None:
    with pytest.raises(HtmlParseError) as info:
        parse_html(raw)
    assert info.value.description == f"Bad Request: can't parse entities: {reason}"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_escaped_text_round_trips(text: str) -> None:
    """Whatever the user typed, html.escape()d it parses back to itself with no entities."""
    parsed = parse_html(html.escape(text))
    assert parsed.text == text.strip(" \t\r\n\v\f")
    assert parsed.entities == []


async def test_html_over_http_stores_visible_text_and_entities(emu, http, user) -> None:
    status, body = await send(http, emu, "<b>Hi</b>, <i>Anna</i> &amp; co", parse_mode="HTML")
    assert status == 200 and body["ok"]
    assert body["result"]["text"] == "Hi, Anna & co"
    assert body["result"]["entities"] == [
        {"type": "bold", "offset": 0, "length": 2},
        {"type": "italic", "offset": 4, "length": 4},
    ]
    [stored] = emu.messages_in(USER_ID)
    assert stored["html"] == "<b>Hi</b>, <i>Anna</i> &amp; co"
    assert stored["text"] == "Hi, Anna & co"

    status, body = await send(http, emu, "1 < 2", parse_mode="HTML")
    assert (status, body["error_code"]) == (400, 400)
    assert body["description"] == (
        'Bad Request: can\'t parse entities: Unsupported start tag "" at byte offset 2'
    )
    assert [e.method for e in emu.errors] == ["sendMessage"]


async def test_text_limit_counts_utf16_of_visible_text(emu, http, user) -> None:
    emoji = "😀"  # outside the BMP: two UTF-16 code units
    assert (await send(http, emu, emoji * 2048))[0] == 200
    status, body = await send(http, emu, emoji * 2048 + "a")
    assert (status, body["description"]) == (400, "Bad Request: message is too long")
    # the limit is on what the user sees, not on the raw HTML
    assert (await send(http, emu, "<b>" + "a" * 4096 + "</b>", parse_mode="HTML"))[0] == 200
    assert (await send(http, emu, "&amp;" * 4096, parse_mode="HTML"))[0] == 200
    assert (await send(http, emu, "a" * 4097))[1][
        "description"
    ] == "Bad Request: message is too long"
    status, body = await send(http, emu, "<b> </b>", parse_mode="HTML")
    assert body["description"] == "Bad Request: message text is empty"


async def test_markdown_is_refused_and_recorded(emu, http, user) -> None:
    status, body = await send(http, emu, "*hi*", parse_mode="MarkdownV2")
    assert status == 400 and "emulator does not implement" in body["description"]
    assert emu.errors


# -- keyboards ---------------------------------------------------------------------------


async def test_callback_data_limit_is_64_bytes(emu, http, user) -> None:
    ok_data = "я" * 32  # 64 bytes in UTF-8
    assert (await send(http, emu, "ok", reply_markup=keyboard(ok_data)))[0] == 200
    status, body = await send(http, emu, "too long", reply_markup=keyboard("я" * 33))
    assert (status, body["description"]) == (400, "Bad Request: BUTTON_DATA_INVALID")
    status, body = await send(http, emu, "empty", reply_markup=keyboard(""))
    assert body["description"] == "Bad Request: BUTTON_DATA_INVALID"


@pytest.mark.parametrize(
    ("markup", "fragment"),
    [
        ({"inline_keyboard": [[{"text": "no action"}]]}, "Text buttons are unallowed"),
        ({"inline_keyboard": [[{"text": "two", "url": "https://a.b", "callback_data": "x"}]]},
         "exactly one action"),
        ({"inline_keyboard": [[{"text": "ftp", "url": "ftp://a.b"}]]}, "Unsupported URL protocol"),
        ({"inline_keyboard": [[{"text": str(i), "callback_data": str(i)} for i in range(8)]] * 13},
         "reply markup is too long"),
        ({"inline_keyboard": {"text": "x"}}, "Array of Arrays"),
    ],
)  # fmt: skip
async def test_bad_inline_keyboards(emu, http, user, markup, fragment) -> None:
    status, body = await send(http, emu, "x", reply_markup=markup)
    assert status == 400 and fragment in body["description"]


async def test_other_markups_are_accepted(emu, http, user) -> None:
    for markup in (
        {"keyboard": [["a", {"text": "b"}]], "resize_keyboard": True},
        {"remove_keyboard": True},
        {"force_reply": True},
        {"inline_keyboard": [[{"text": "t", "url": "tg://resolve?domain=x"}]]},
    ):
        assert (await send(http, emu, "x", reply_markup=markup))[0] == 200
    assert not emu.errors


# -- protocol ----------------------------------------------------------------------------


async def test_protocol_errors(emu, http) -> None:
    status, body = await call(
        http, emu, "getMe", token="654321:ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsr"
    )
    assert (status, body) == (401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
    status, body = await call(http, emu, "noSuchMethod")
    assert (status, body["description"]) == (404, "Not Found")
    status, body = await call(http, emu, "sendPhoto", chat_id=1, photo="x")
    assert (status, body["description"]) == (
        400,
        "Bad Request: emulator does not implement sendPhoto",
    )
    status, body = await call(http, emu, "GETME")  # method names are case-insensitive
    assert status == 200 and body["result"]["username"] == "briefing_test_bot"
    assert [(e.method, e.error_code) for e in emu.errors] == [
        ("getMe", 401), ("noSuchMethod", 404), ("sendPhoto", 400)
    ]  # fmt: skip


async def test_missing_parameters(emu, http, user) -> None:
    status, body = await call(http, emu, "sendMessage", chat_id=USER_ID)
    assert (status, body["description"]) == (400, "Bad Request: message text is empty")
    status, body = await call(http, emu, "sendMessage", text="hi")
    assert body["description"] == "Bad Request: chat_id is empty"
    status, body = await call(http, emu, "setMyCommands")
    assert body["description"] == "Bad Request: parameter commands is required"


async def test_parameters_from_form_json_strings_and_query(emu, http, user) -> None:
    status, body = await call(
        http, emu, "sendMessage", form=True, chat_id=USER_ID, text="123",
        reply_markup=keyboard("x"), disable_notification=True,
    )  # fmt: skip
    assert status == 200 and body["result"]["text"] == "123"
    assert body["result"]["reply_markup"] == keyboard("x")
    assert emu.calls[-1].params["chat_id"] == USER_ID  # "1001" decoded as Integer
    url = f"{emu.base_url}{TOKEN}/sendMessage?chat_id={USER_ID}&text=from+query"
    async with http.get(url) as response:
        assert (await response.json())["result"]["text"] == "from query"
    form = aiohttp.FormData()  # multipart, as python-telegram-bot sends uploads
    form.add_field("chat_id", str(USER_ID))
    form.add_field("text", "multipart")
    form.add_field("reply_markup", json.dumps(keyboard("m")))
    form.add_field("attachment", b"\x89PNG", filename="a.png", content_type="image/png")
    async with http.post(f"{emu.base_url}{TOKEN}/sendMessage", data=form) as response:
        body = await response.json()
    assert body["result"]["text"] == "multipart" and body["result"]["reply_markup"] == keyboard("m")
    assert emu.calls[-1].params["attachment"].filename == "a.png"


async def test_unknown_chat_and_unopened_private_chat(emu, http) -> None:
    emu.make_user(2002, "Boris")  # known, but never wrote to the bot
    assert (await send(http, emu, "hi", chat_id=2002))[1]["description"] == (
        "Forbidden: bot can't initiate conversation with a user"
    )
    status, body = await send(http, emu, "hi", chat_id=-100999)
    assert (status, body["description"]) == (400, "Bad Request: chat not found")


async def test_chats_channels_actions_and_migration(emu, http, user) -> None:
    news = emu.make_channel(chat_id=-100777, title="News", username="news")
    status, body = await send(http, emu, "post", chat_id="@news")  # @username works too
    assert status == 200 and body["result"]["sender_chat"]["id"] == -100777
    assert "from" not in body["result"]
    update = emu.send_channel_post(news, "/digest now")
    assert update["channel_post"]["entities"][0]["type"] == "bot_command"

    assert (await call(http, emu, "sendChatAction", chat_id=USER_ID, action="typing"))[0] == 200
    assert emu.chat_actions[-1]["action"] == "typing"
    status, body = await call(http, emu, "sendChatAction", chat_id=USER_ID, action="dancing")
    assert status == 400
    _, body = await call(http, emu, "getChat", chat_id=USER_ID)
    assert body["result"]["type"] == "private" and body["result"]["first_name"] == "Anna"

    old = emu.make_group(chat_id=-555, title="Old", kind="group")
    new = emu.migrate_group(old, -100555)
    status, body = await send(http, emu, "hi", chat_id=-555)
    assert status == 400 and body["parameters"] == {"migrate_to_chat_id": -100555}
    assert (await send(http, emu, "hi", chat_id=new["id"]))[0] == 200

    emu.block_bot(user)
    status, body = await send(http, emu, "hi")
    assert (status, body["description"]) == (403, "Forbidden: bot was blocked by the user")


async def test_log_out_locks_the_token(emu, http) -> None:
    assert (await call(http, emu, "logOut"))[1] == {"ok": True, "result": True}
    assert (await call(http, emu, "getMe"))[0] == 401


async def test_group_privacy_mode() -> None:
    async with BotApiEmulator(token=TOKEN, group_privacy=True) as emu:
        team = emu.make_group(chat_id=-100123, title="Team")
        anna = emu.make_user(USER_ID, "Anna")
        assert emu.send_text(anna, "just chatting", chat=team) is None
        assert emu.send_text(anna, "/topics", chat=team) is not None
        assert emu.send_text(anna, "hey @briefing_test_bot", chat=team) is not None
        assert len(emu.pending_updates) == 2


async def test_wait_for_messages_explains_a_timeout(emu, http, user) -> None:
    await send(http, emu, "first")
    assert [m["text"] for m in await emu.wait_for_messages(USER_ID)] == ["first"]
    with pytest.raises(
        AssertionError, match=r"expected 1 new bot message\(s\) in chat 1001"
    ) as info:
        await emu.wait_for_messages(USER_ID, timeout=0.1)
    assert "bot #2: 'first'" in str(info.value) and "sendMessage -> ok" in str(info.value)


# -- getUpdates ----------------------------------------------------------------------------


async def test_get_updates_holds_until_timeout(emu, http) -> None:
    started = time.monotonic()
    status, body = await call(http, emu, "getUpdates", timeout=1)
    elapsed = time.monotonic() - started
    assert (status, body["result"]) == (200, [])
    assert 0.9 <= elapsed < 1.5
    # python-telegram-bot sends timedelta(seconds=0.3) as "0.3": held, not truncated to 0
    started = time.monotonic()
    assert (await call(http, emu, "getUpdates", form=True, timeout="0.3"))[0] == 200
    assert 0.25 <= time.monotonic() - started < 0.8


async def test_get_updates_wakes_on_update_from_another_thread(emu, http) -> None:
    anna = emu.make_user(USER_ID, "Anna")
    threading.Timer(0.2, emu.send_text, args=(anna, "hello")).start()
    started = time.monotonic()
    status, body = await call(http, emu, "getUpdates", timeout=5)
    assert time.monotonic() - started < 2
    [update] = body["result"]
    assert update["message"]["text"] == "hello"
    assert update["message"]["chat"] == {"id": USER_ID, "type": "private", "first_name": "Anna"}


async def test_offset_confirms_updates(emu, http) -> None:
    anna = emu.make_user(USER_ID, "Anna")
    first = emu.send_text(anna, "/start@briefing_test_bot energy")
    second = emu.send_text(anna, "two")
    assert first["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 24}]
    _, body = await call(http, emu, "getUpdates")
    assert [u["update_id"] for u in body["result"]] == [first["update_id"], second["update_id"]]
    _, body = await call(http, emu, "getUpdates", offset=second["update_id"], limit=5)
    assert [u["update_id"] for u in body["result"]] == [second["update_id"]]
    _, body = await call(http, emu, "getUpdates", offset=second["update_id"] + 1)
    assert body["result"] == [] and emu.pending_updates == []
    third, fourth = emu.send_text(anna, "3"), emu.send_text(anna, "4")
    _, body = await call(http, emu, "getUpdates", offset=-1)  # keep only the newest
    assert [u["update_id"] for u in body["result"]] == [fourth["update_id"]]
    assert third["update_id"] < fourth["update_id"]


async def test_second_poller_terminates_the_first(emu, http) -> None:
    first = asyncio.create_task(call(http, emu, "getUpdates", timeout=3))
    await asyncio.sleep(0.1)
    status, body = await call(http, emu, "getUpdates", timeout=0)
    assert status == 200
    status, body = await asyncio.wait_for(first, 2)
    assert status == 409
    assert body["description"].startswith("Conflict: terminated by other getUpdates request")
    assert [e.error_code for e in emu.errors] == [409]


async def test_webhook_blocks_get_updates(emu, http) -> None:
    status, body = await call(http, emu, "setWebhook", url="https://example.com/hook")
    assert body == {"ok": True, "result": True, "description": "Webhook was set"}
    assert (await call(http, emu, "getWebhookInfo"))[1]["result"][
        "url"
    ] == "https://example.com/hook"
    status, body = await call(http, emu, "getUpdates")
    assert status == 409 and "webhook is active" in body["description"]
    assert (await call(http, emu, "deleteWebhook"))[0] == 200
    assert (await call(http, emu, "getUpdates"))[0] == 200


# -- editing, callbacks, commands ------------------------------------------------------------


async def test_edits_and_not_modified(emu, http, user) -> None:
    _, body = await send(http, emu, "<b>v1</b>", parse_mode="HTML", reply_markup=keyboard("a"))
    message_id = body["result"]["message_id"]
    edit = {"chat_id": USER_ID, "message_id": message_id, "parse_mode": "HTML"}
    status, body = await call(
        http, emu, "editMessageText", text="<b>v1</b>", reply_markup=keyboard("a"), **edit
    )
    assert status == 400 and body["description"].startswith("Bad Request: message is not modified")
    status, body = await call(
        http, emu, "editMessageText", text="<b>v2</b>", reply_markup=keyboard("a"), **edit
    )
    assert status == 200 and body["result"]["text"] == "v2" and "edit_date" in body["result"]
    status, body = await call(
        http, emu, "editMessageReplyMarkup", chat_id=USER_ID, message_id=message_id
    )
    assert status == 200 and "reply_markup" not in body["result"]
    [stored] = emu.messages_in(USER_ID)
    assert stored["text"] == "v2" and stored["reply_markup"] is None
    assert [e["text"] for e in stored["edits"]] == ["v1", "v2"]
    status, body = await call(
        http, emu, "editMessageText", chat_id=USER_ID, message_id=999, text="x"
    )
    assert body["description"] == "Bad Request: message to edit not found"
    assert (await call(http, emu, "deleteMessage", chat_id=USER_ID, message_id=message_id))[
        0
    ] == 200
    status, body = await call(http, emu, "deleteMessage", chat_id=USER_ID, message_id=message_id)
    assert body["description"] == "Bad Request: message to delete not found"
    assert emu.messages_in(USER_ID)[0]["deleted"] is True


async def test_answer_callback_query_once(emu, http, user) -> None:
    _, body = await send(http, emu, "pick", reply_markup=keyboard("yes", "no"))
    query_id = emu.press_button(user, body["result"], "yes")
    update = emu.pending_updates[-1]["callback_query"]
    assert update["id"] == query_id and update["data"] == "yes"
    assert update["message"]["message_id"] == body["result"]["message_id"]
    status, _ = await call(http, emu, "answerCallbackQuery", callback_query_id=query_id, text="ok")
    assert status == 200 and emu.callback_answers[query_id]["text"] == "ok"
    status, body = await call(http, emu, "answerCallbackQuery", callback_query_id=query_id)
    assert body["description"] == (
        "Bad Request: query is too old and response timeout expired or query ID is invalid"
    )
    second = emu.press_button(user, emu.messages_in(USER_ID)[0], "no")
    status, body = await call(
        http, emu, "answerCallbackQuery", callback_query_id=second, text="x" * 201
    )
    assert status == 400
    forged = emu.press_button(user, emu.messages_in(USER_ID)[0], "forged")  # as a hacked client
    assert emu.pending_updates[-1]["callback_query"]["data"] == "forged" and forged != second
    with pytest.raises(AssertionError, match="no button"):
        emu.press_button(user, emu.messages_in(USER_ID)[0], "forged", check=True)


async def test_commands_are_validated_and_stored(emu, http) -> None:
    commands = [
        {"command": "start", "description": "Start"},
        {"command": "topics", "description": "Темы"},
    ]
    assert (await call(http, emu, "setMyCommands", commands=commands, language_code="ru"))[0] == 200
    assert emu.commands[("default", "ru")] == commands
    assert (await call(http, emu, "getMyCommands", language_code="ru"))[1]["result"] == commands
    assert (await call(http, emu, "getMyCommands"))[1]["result"] == []
    for bad in (
        [{"command": "Start", "description": "x"}],
        [{"command": "ok", "description": ""}],
        [],
    ):
        assert (await call(http, emu, "setMyCommands", commands=bad))[0] == 400
    scope = {"type": "all_private_chats"}
    assert (await call(http, emu, "setMyCommands", commands=commands, scope=scope))[0] == 200
    assert ("all_private_chats", "") in emu.commands
    assert (await call(http, emu, "deleteMyCommands", scope=scope))[0] == 200
    assert ("all_private_chats", "") not in emu.commands


# -- flood control ---------------------------------------------------------------------------


async def test_private_chat_flood_limit(emu, http, user) -> None:
    for i in range(5):  # burst capacity
        assert (await send(http, emu, f"m{i}"))[0] == 200
    status, body = await send(http, emu, "one too many")
    assert status == 429
    assert body["description"] == "Too Many Requests: retry after 1"
    assert body["parameters"] == {"retry_after": 1}
    assert [e.error_code for e in emu.errors] == [429]


async def test_group_flood_limit_and_scale(http) -> None:
    async with BotApiEmulator(token=TOKEN) as emu:
        emu.make_group(chat_id=-100123, title="Team")
        results = [(await send(http, emu, str(i), chat_id=-100123))[0] for i in range(21)]
        assert results == [200] * 20 + [429]
    async with BotApiEmulator(token=TOKEN, flood_scale=10) as emu:
        emu.make_group(chat_id=-100123, title="Team")
        results = [(await send(http, emu, str(i), chat_id=-100123))[0] for i in range(25)]
        assert results == [200] * 25
    async with BotApiEmulator(token=TOKEN, flood_limits=FloodLimits(private_burst=1)) as emu:
        emu.send_text(emu.make_user(7, "U"), "hi")
        assert [(await send(http, emu, "x", chat_id=7))[0] for _ in range(2)] == [200, 429]
    async with BotApiEmulator(token=TOKEN, flood_limits=False) as emu:
        emu.send_text(emu.make_user(7, "U"), "hi")
        assert {(await send(http, emu, "x", chat_id=7))[0] for _ in range(10)} == {200}


# -- python-telegram-bot end to end ------------------------------------------------------------


async def test_python_telegram_bot_end_to_end(emu) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        topic = " ".join(context.args) or "all"
        await update.message.reply_html(
            f"<b>Briefing</b> on <i>{html.escape(topic)}</i>",
            reply_markup=InlineKeyboardMarkup(
                [[InlineKeyboardButton("More", callback_data="more")]]
            ),
        )

    async def more(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer("Loading")
        await update.callback_query.edit_message_text("Details")

    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(emu.base_url)
        .base_file_url(emu.base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(more))
    anna = emu.make_user(user_id=USER_ID, first_name="Anna", language_code="ru")
    team = emu.make_group(chat_id=-100123, title="Team", kind="supergroup")
    async with app:
        await app.updater.start_polling(poll_interval=0, timeout=1)
        await app.start()
        try:
            emu.send_text(anna, "/start energy")
            [reply] = await emu.wait_for_messages(USER_ID, count=1, timeout=5.0)
            assert reply["text"] == "Briefing on energy"
            assert [e["type"] for e in reply["entities"]] == ["bold", "italic"]

            emu.send_text(anna, "/start@briefing_test_bot <markets>", chat=team)
            [group_reply] = await emu.wait_for_messages(-100123, timeout=5.0)
            assert group_reply["text"] == "Briefing on <markets>"

            query_id = emu.press_button(anna, reply, "more")
            await emu.wait_for(lambda: emu.messages_in(USER_ID)[0]["edits"], timeout=5.0)
            assert emu.messages_in(USER_ID)[0]["text"] == "Details"
            assert emu.callback_answers[query_id]["text"] == "Loading"
        finally:
            await app.updater.stop()
            await app.stop()
    assert not emu.errors, emu.describe()
    assert emu.pending_updates == []  # the shutdown getUpdates confirmed everything


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_injected_faults_reach_the_bot_but_not_errors(emu, user) -> None:
    emu.fail_next("sendMessage", error_code=429, retry_after=7)
    app = ApplicationBuilder().token(TOKEN).base_url(emu.base_url).build()
    async with app:
        with pytest.raises(RetryAfter) as info:
            await app.bot.send_message(USER_ID, "hi")
        assert info.value.retry_after.total_seconds() == 7
        await app.bot.send_message(USER_ID, "hi")  # only the next call failed
    assert emu.calls_to("sendMessage")[0].injected
    assert not emu.errors


def article(result_id: str, text: str = "<b>ok</b>") -> dict[str, Any]:
    return {"type": "article", "id": result_id, "title": "T",
            "input_message_content": {"message_text": text, "parse_mode": "HTML"}}


async def test_answer_inline_query_limits(emu, http, user) -> None:
    def answer(results):
        query_id = emu.send_inline_query(user, "q")
        return call(http, emu, "answerInlineQuery", inline_query_id=query_id, results=results)

    status, body = await answer([article(str(i)) for i in range(51)])
    assert status == 400 and "RESULTS_TOO_MUCH" in body["description"]
    status, body = await answer([article("я" * 33)])  # 66 bytes
    assert status == 400 and "RESULT_ID_INVALID" in body["description"]
    status, body = await answer([article("a"), article("a")])
    assert status == 400 and "DUPLICATE" in body["description"]
    status, body = await answer([article("a", "<b>unclosed")])
    assert status == 400 and "can't parse entities" in body["description"]
    status, body = await answer([article("a", "x" * 4097)])
    assert status == 400 and "too long" in body["description"]
    status, body = await answer([article(str(i)) for i in range(50)])
    assert status == 200 and body["result"] is True


async def test_inline_query_is_answered_once(emu, http, user) -> None:
    query_id = emu.send_inline_query(user, "q")
    first = await call(http, emu, "answerInlineQuery", inline_query_id=query_id, results=[article("a")])
    second = await call(http, emu, "answerInlineQuery", inline_query_id=query_id, results=[article("a")])
    assert first[0] == 200 and second[0] == 400
