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
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.error import RetryAfter
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

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


async def test_copy_text_buttons_hold_1_to_256_characters(emu, http, user) -> None:
    def copy(text: Any) -> dict[str, Any]:
        return {"inline_keyboard": [[{"text": "📋", "copy_text": text}]]}

    assert (await send(http, emu, "ok", reply_markup=copy({"text": "я" * 256})))[0] == 200
    for given, fragment in (
        ({"text": "я" * 257}, "BUTTON_COPY_TEXT_INVALID"),
        ({"text": "😀" * 129}, "BUTTON_COPY_TEXT_INVALID"),  # 258 UTF-16 units
        ({"text": ""}, "BUTTON_COPY_TEXT_INVALID"),
        ("just text", 'Field "copy_text" must be of type Object'),
        ({}, 'Can\'t find field "text"'),
        ({"text": 5}, 'Field "text" must be of type String'),
    ):
        status, body = await send(http, emu, "x", reply_markup=copy(given))
        assert status == 400 and fragment in body["description"], (given, body)


async def test_link_preview_options_are_checked_and_echoed(emu, http, user) -> None:
    url = "https://example.com/article"
    status, body = await send(http, emu, '<a href="https://other.example/">x</a> text', parse_mode="HTML",
                              link_preview_options={"url": url, "show_above_text": False, "prefer_small_media": True})
    assert status == 200 and body["result"]["link_preview_options"] == {"url": url, "prefer_small_media": True}
    assert emu.messages_in(USER_ID)[-1]["link_preview"] == url  # the options' url, not the text's link
    await send(http, emu, '<a href="https://other.example/">x</a>', parse_mode="HTML")
    assert emu.messages_in(USER_ID)[-1]["link_preview"] == "https://other.example/"  # the text's first link
    await send(http, emu, "y", link_preview_options={"is_disabled": True, "url": url})
    assert emu.messages_in(USER_ID)[-1]["link_preview"] is None
    for given, description in (
        ([], "Bad Request: object expected as link preview options"),
        ({"is_disabled": "1"}, 'Bad Request: field "is_disabled" must be of type Boolean'),
        ({"show_above_text": 1}, 'Bad Request: field "show_above_text" must be of type Boolean'),
        ({"url": 5}, 'Bad Request: field "url" must be of type String'),
    ):
        status, body = await send(http, emu, "x", link_preview_options=given)
        assert (status, body["description"]) == (400, description), given
    status, body = await call(http, emu, "sendMessage", form=True, chat_id=str(USER_ID), text="x",
                              link_preview_options="{not json")
    assert body["description"] == "Bad Request: can't parse link preview options JSON object"


async def test_an_edit_that_changes_only_the_preview_is_a_change(emu, http, user) -> None:
    status, body = await send(http, emu, "text", link_preview_options={"is_disabled": True})
    message_id = body["result"]["message_id"]
    edit = {"chat_id": USER_ID, "message_id": message_id, "text": "text"}
    status, body = await call(http, emu, "editMessageText", **edit, link_preview_options={"is_disabled": True})
    assert status == 400 and "not modified" in body["description"]
    status, _ = await call(http, emu, "editMessageText", **edit, link_preview_options={"url": "https://example.com/"})
    assert status == 200 and emu.messages_in(USER_ID)[-1]["link_preview"] == "https://example.com/"


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
    status, body = await call(http, emu, "sendVideo", chat_id=1, video="x")
    assert (status, body["description"]) == (
        400,
        "Bad Request: emulator does not implement sendVideo",
    )
    status, body = await call(http, emu, "GETME")  # method names are case-insensitive
    assert status == 200 and body["result"]["username"] == "briefing_test_bot"
    assert [(e.method, e.error_code) for e in emu.errors] == [
        ("getMe", 401), ("noSuchMethod", 404), ("sendVideo", 400)
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


# -- chat members and the bot's standing ------------------------------------------------------

BOT_ID = 123456
ADMIN_FIELDS = [
    "status", "user", "can_be_edited", "is_anonymous", "can_manage_chat", "can_delete_messages",
    "can_manage_video_chats", "can_restrict_members", "can_promote_members", "can_change_info",
    "can_invite_users", "can_post_stories", "can_edit_stories", "can_delete_stories",
]  # fmt: skip
RIGHTS = {name: False for name in ADMIN_FIELDS[3:]}  # a ChatAdministratorRights, all off


async def member(http, emu, chat_id, user_id) -> tuple[int, dict[str, Any]]:
    status, body = await call(http, emu, "getChatMember", chat_id=chat_id, user_id=user_id)
    return status, body.get("result") or body


async def test_get_chat_member_returns_each_chat_member_type(emu, http) -> None:
    anna, boris = emu.make_user(USER_ID, "Anna"), emu.make_user(2002, "Boris")
    carl, dora = emu.make_user(3003, "Carl"), emu.make_user(4004, "Dora")
    news = emu.make_channel(-100777, "News", username="news")
    team = emu.make_group(-100123, "Team")
    emu.set_member(team, anna, "creator")
    emu.set_member(team, boris, "administrator", can_pin_messages=False, custom_title="Ed")
    emu.set_member(team, carl, "restricted", can_send_messages=True, until_date=0)
    emu.set_member(team, dora, "kicked")

    _, bot = await member(http, emu, "@news", BOT_ID)  # @username works
    assert list(bot)[: len(ADMIN_FIELDS)] == ADMIN_FIELDS
    assert bot["user"] == {"id": BOT_ID, "is_bot": True, "first_name": "Briefing Test Bot",
                           "username": "briefing_test_bot"}  # fmt: skip
    assert bot["status"] == "administrator" and bot["can_be_edited"] is False
    assert (bot["can_post_messages"], bot["can_edit_messages"]) == (True, True)
    assert "can_pin_messages" not in bot  # group-only rights are not shown in channels
    assert (await member(http, emu, news["id"], USER_ID))[1]["status"] == "left"

    _, owner = await member(http, emu, team["id"], USER_ID)
    assert owner == {"status": "creator", "user": anna, "is_anonymous": False}
    _, admin = await member(http, emu, team["id"], 2002)
    assert admin["can_pin_messages"] is False and admin["can_delete_messages"] is True
    assert admin["custom_title"] == "Ed" and "can_post_messages" not in admin
    _, restricted = await member(http, emu, team["id"], 3003)
    assert restricted["is_member"] is True and restricted["can_send_messages"] is True
    assert restricted["can_send_photos"] is False and restricted["until_date"] == 0
    assert await member(http, emu, team["id"], 4004) == (
        200, {"status": "kicked", "user": dora, "until_date": 0}
    )  # fmt: skip
    assert (await member(http, emu, team["id"], BOT_ID))[1]["status"] == "member"

    erik = emu.make_user(5005, "Erik")
    assert (await member(http, emu, team["id"], 5005))[1] == {"status": "left", "user": erik}
    emu.send_text(erik, "hi all", chat=team)  # writing in a group makes you a member
    assert (await member(http, emu, team["id"], 5005))[1] == {"status": "member", "user": erik}
    emu.send_text(erik, "/start")
    assert (await member(http, emu, 5005, 5005))[1]["status"] == "member"  # private chat

    assert await member(http, emu, team["id"], 999999) == (
        400, {"ok": False, "error_code": 400, "description": "Bad Request: user not found"}
    )  # fmt: skip
    status, body = await member(http, emu, -100999, USER_ID)
    assert (status, body["description"]) == (400, "Bad Request: chat not found")
    with pytest.raises(ValueError, match="take no can_fly"):
        emu.set_member(team, anna, "administrator", can_fly=True)

    _, body = await call(http, emu, "getChatAdministrators", chat_id=team["id"])
    assert [(m["user"]["id"], m["status"]) for m in body["result"]] == [
        (USER_ID, "creator"), (2002, "administrator")
    ]  # fmt: skip
    emu.set_member(team, emu.bot_user, "administrator")
    _, body = await call(http, emu, "getChatAdministrators", chat_id=team["id"])
    ids = [m["user"]["id"] for m in body["result"]]
    assert ids[0] == USER_ID and sorted(ids[1:]) == [2002, BOT_ID]  # the creator comes first
    helper = {"id": 6006, "is_bot": True, "first_name": "Helper", "username": "helper_bot"}
    emu.set_member(team, helper, "administrator")
    _, body = await call(http, emu, "getChatAdministrators", chat_id=team["id"])
    assert 6006 not in [m["user"]["id"] for m in body["result"]]  # other bots: only on request
    _, body = await call(http, emu, "getChatAdministrators", chat_id=team["id"], return_bots=True)
    assert 6006 in [m["user"]["id"] for m in body["result"]]
    emu.set_member(team, helper, "left")
    _, body = await call(http, emu, "getChatMemberCount", chat_id=team["id"])
    assert body["result"] == 5  # Anna, Boris, Carl (restricted, still in), Erik, the bot
    status, body = await call(http, emu, "getChatAdministrators", chat_id=5005)
    assert body["description"] == "Bad Request: there are no administrators in the private chat"


async def test_chat_member_objects_parse_in_python_telegram_bot(emu, http) -> None:
    """Every ChatMember the emulator renders has what python-telegram-bot requires."""
    from telegram import ChatMember

    anna = emu.make_user(USER_ID, "Anna")
    team = emu.make_group(-100123, "Team")
    news = emu.make_channel(-100777, "News", bot_can_post=False)
    for status in ("creator", "administrator", "member", "restricted", "left", "kicked"):
        emu.set_member(team, anna, status)
        _, result = await member(http, emu, team["id"], USER_ID)
        assert ChatMember.de_json(result, None).status == status
    _, result = await member(http, emu, news["id"], BOT_ID)
    parsed = ChatMember.de_json(result, None)
    assert parsed.status == "administrator" and parsed.can_post_messages is False


async def test_removed_bot_gets_my_chat_member_and_telegrams_refusals(emu, http) -> None:
    anna = emu.make_user(USER_ID, "Anna")
    team = emu.make_group(-100123, "Team")
    emu.set_member(team, anna, "creator")
    assert (await send(http, emu, "hi", chat_id=team["id"]))[0] == 200

    update = emu.remove_bot(team, kicked=True)
    change = update["my_chat_member"]
    assert change["chat"] == team and change["from"] == anna  # the creator, by default
    assert change["old_chat_member"]["status"] == "member"
    assert change["new_chat_member"] == {
        "status": "kicked", "user": change["new_chat_member"]["user"], "until_date": 0
    }  # fmt: skip
    assert emu.pending_updates[-1] == update  # delivered without allowed_updates

    kicked = "Forbidden: bot was kicked from the supergroup chat"
    assert await send(http, emu, "hi", chat_id=team["id"]) == (
        403, {"ok": False, "error_code": 403, "description": kicked}
    )  # fmt: skip
    for method, params in (
        ("getChat", {}), ("getChatMember", {"user_id": USER_ID}), ("getChatAdministrators", {}),
        ("editMessageText", {"message_id": 1, "text": "x"}),
        ("sendChatAction", {"action": "typing"}),
    ):
        status, body = await call(http, emu, method, chat_id=team["id"], **params)
        assert (status, body["description"]) == (403, kicked), method
    assert emu.send_text(anna, "/digest", chat=team) is None  # the bot sees nothing there

    update = emu.add_bot(team, anna, as_admin=True)
    change = update["my_chat_member"]
    assert (change["old_chat_member"]["status"], change["new_chat_member"]["status"]) == (
        "kicked", "administrator"
    )  # fmt: skip
    assert change["new_chat_member"]["can_delete_messages"] is True
    assert (await member(http, emu, team["id"], BOT_ID))[1]["status"] == "administrator"
    assert (await send(http, emu, "back", chat_id=team["id"]))[0] == 200
    assert emu.send_text(anna, "/digest", chat=team) is not None

    emu.remove_bot(team, anna)  # left, not kicked
    status, body = await send(http, emu, "hi", chat_id=team["id"])
    assert body["description"] == "Forbidden: bot is not a member of the supergroup chat"
    with pytest.raises(AssertionError, match="already 'left'"):
        emu.remove_bot(team)

    old = emu.make_group(-555, "Old", kind="group")
    emu.remove_bot(old, anna, kicked=True, notify=False)
    assert emu.pending_updates[-1]["my_chat_member"]["chat"]["id"] == team["id"]
    status, body = await send(http, emu, "hi", chat_id=-555)
    assert (status, body["description"]) == (403, "Forbidden: bot was kicked from the group chat")
    assert (await call(http, emu, "getChat", chat_id=-555))[0] == 200  # basic groups: readable
    emu.add_bot(old, anna, notify=False)
    emu.remove_bot(old, anna)
    status, body = await send(http, emu, "hi", chat_id=-555)
    assert body["description"] == "Forbidden: bot is not a member of the group chat"


async def test_removed_from_channels_public_and_private(emu, http) -> None:
    anna = emu.make_user(USER_ID, "Anna")
    public = emu.make_channel(-100777, "News", username="news")
    private = emu.make_channel(-100888, "Private")
    emu.remove_bot(public, anna)
    emu.remove_bot(private, anna)
    not_member = "Forbidden: bot is not a member of the channel chat"
    for channel in (public, private):
        assert (await send(http, emu, "x", chat_id=channel["id"]))[1]["description"] == not_member
    status, body = await call(http, emu, "getChat", chat_id="@news")
    assert status == 200 and body["result"]["title"] == "News"  # public channels stay readable
    assert (await member(http, emu, "@news", USER_ID))[0] == 200
    status, body = await call(http, emu, "getChat", chat_id=private["id"])
    assert (status, body["description"]) == (403, not_member)
    assert (await member(http, emu, private["id"], USER_ID))[1]["description"] == not_member
    assert emu.send_channel_post(private, "while you were away") is None

    emu.remove_bot(public, anna, kicked=True)
    status, body = await call(http, emu, "getChat", chat_id="@news")
    assert (status, body["description"]) == (403, "Forbidden: bot was kicked from the channel chat")

    update = emu.add_bot(private, anna, can_post_messages=False)
    assert update["my_chat_member"]["new_chat_member"]["can_post_messages"] is False
    status, body = await send(http, emu, "x", chat_id=private["id"])
    assert (status, body["description"]) == (
        400, "Bad Request: need administrator rights in the channel chat"
    )  # fmt: skip
    fresh = {"id": -100999, "type": "channel", "title": "Fresh", "username": "fresh"}
    update = emu.add_bot(fresh, anna)  # a chat the emulator did not know: created
    assert update["my_chat_member"]["old_chat_member"]["status"] == "left"
    assert (await member(http, emu, "@fresh", USER_ID))[1]["status"] == "creator"
    assert (await send(http, emu, "hello", chat_id="@fresh"))[0] == 200


async def test_channel_admin_without_post_right(emu, http) -> None:
    news = emu.make_channel(-100777, "News", bot_can_post=False)
    status, body = await send(http, emu, "post", chat_id=news["id"])
    assert (status, body["description"]) == (
        400, "Bad Request: need administrator rights in the channel chat"
    )  # fmt: skip
    _, bot = await member(http, emu, news["id"], BOT_ID)
    assert bot["status"] == "administrator" and bot["can_post_messages"] is False


async def test_block_and_unblock_queue_my_chat_member(emu, http, user) -> None:
    blocked = emu.block_bot(user)["my_chat_member"]
    assert blocked["chat"] == {"id": USER_ID, "type": "private", "first_name": "Anna"}
    assert blocked["from"] == user
    assert (blocked["old_chat_member"]["status"], blocked["new_chat_member"]) == (
        "member", {"status": "kicked", "user": blocked["new_chat_member"]["user"], "until_date": 0}
    )  # fmt: skip
    assert emu.block_bot(user) is None  # already blocked: nothing happens
    assert (await member(http, emu, USER_ID, BOT_ID))[1]["status"] == "kicked"
    assert (await send(http, emu, "hi"))[0] == 403
    unblocked = emu.block_bot(user, blocked=False)["my_chat_member"]
    assert (unblocked["old_chat_member"]["status"], unblocked["new_chat_member"]["status"]) == (
        "kicked", "member"
    )  # fmt: skip
    assert (await send(http, emu, "welcome back"))[0] == 200
    queued = len(emu.pending_updates)
    assert emu.block_bot(user, notify=False) is None  # blocked, silently
    assert len(emu.pending_updates) == queued and (await send(http, emu, "hi"))[0] == 403


async def test_anonymous_admin_posts_as_the_group(emu, http) -> None:
    anna, boris = emu.make_user(USER_ID, "Anna"), emu.make_user(2002, "Boris")
    team = emu.make_group(-100123, "Team")
    emu.set_member(team, anna, "administrator", is_anonymous=True, custom_title="Boss")
    message = emu.send_text(anna, "/subscribe", chat=team, as_chat=True)["message"]
    assert message["from"] == {"id": 1087968824, "is_bot": True, "first_name": "Group",
                               "username": "GroupAnonymousBot"}  # fmt: skip
    assert message["sender_chat"] == team and message["author_signature"] == "Boss"
    assert message["entities"] == [{"type": "bot_command", "offset": 0, "length": 10}]
    with pytest.raises(AssertionError, match="not an anonymous administrator"):
        emu.send_text(boris, "hi", chat=team, as_chat=True)


async def test_forum_topics_and_message_thread_id(emu, http) -> None:
    anna = emu.make_user(USER_ID, "Anna")
    forum = emu.make_group(-100321, "Forum", is_forum=True)
    plain = emu.make_group(-100123, "Plain")
    thread = emu.create_forum_topic_thread(forum, "Energy")
    created = emu.pending_updates[-1]["message"]
    assert created["message_id"] == thread and created["message_thread_id"] == thread
    assert created["forum_topic_created"] == {"name": "Energy", "icon_color": 7322096}
    assert "text" not in created

    message = emu.send_text(anna, "/subscribe", chat=forum, thread_id=thread)["message"]
    assert (message["message_thread_id"], message["is_topic_message"]) == (thread, True)
    assert message["reply_to_message"]["forum_topic_created"]["name"] == "Energy"

    status, body = await send(http, emu, "ok", chat_id=forum["id"], message_thread_id=thread)
    assert status == 200 and body["result"]["message_thread_id"] == thread
    assert body["result"]["is_topic_message"] is True
    reply = {"message_id": message["message_id"]}
    _, body = await send(http, emu, "re", chat_id=forum["id"], reply_parameters=reply)
    assert body["result"]["message_thread_id"] == thread  # a reply stays in its topic
    assert [m["message_thread_id"] for m in emu.messages_in(forum["id"])] == [thread, thread]
    _, body = await call(http, emu, "editMessageText", chat_id=forum["id"],
                         message_id=body["result"]["message_id"], text="edited")  # fmt: skip
    assert body["result"]["message_thread_id"] == thread

    for chat_id, thread_id in ((forum["id"], 999), (plain["id"], thread), (plain["id"], 1)):
        status, body = await send(http, emu, "x", chat_id=chat_id, message_thread_id=thread_id)
        assert (status, body["description"]) == (400, "Bad Request: message thread not found")
    with pytest.raises(AssertionError, match="not a forum"):
        emu.create_forum_topic_thread(plain, "Nope")
    with pytest.raises(AssertionError, match="no forum topic 999"):
        emu.send_text(anna, "x", chat=forum, thread_id=999)


REQUEST_CHANNEL = {
    "request_id": 7, "chat_is_channel": True, "request_title": True, "request_username": True,
    "user_administrator_rights": {**RIGHTS, "can_post_messages": True},
    "bot_administrator_rights": {**RIGHTS, "can_post_messages": True},
}  # fmt: skip


def request_keyboard(*requests: dict[str, Any]) -> dict[str, Any]:
    return {"keyboard": [[{"text": f"pick {r['request_id']}", "request_chat": r}
                          for r in requests]], "resize_keyboard": True}  # fmt: skip


@pytest.mark.parametrize(
    ("request_chat", "description"),
    [
        ({"chat_is_channel": True}, 'Can\'t find field "request_id"'),
        ({"request_id": 2**31, "chat_is_channel": True},
         'Field "request_id" must be of type Integer'),
        ({"request_id": "1", "chat_is_channel": True},
         'Field "request_id" must be of type Integer'),
        ({"request_id": 1}, 'Can\'t find field "chat_is_channel"'),
        ({"request_id": 1, "chat_is_channel": "yes"},
         'Field "chat_is_channel" must be of type Boolean'),
        ({"request_id": 1, "chat_is_channel": True, "request_title": 1},
         'Field "request_title" must be of type Boolean'),
        ({"request_id": 1, "chat_is_channel": True, "bot_administrator_rights": []},
         "ChatAdministratorRights must be an Object"),
        ({"request_id": 1, "chat_is_channel": True,
          "user_administrator_rights": {"can_post_messages": True}},
         'Can\'t find field "is_anonymous"'),
        ({"request_id": 1, "chat_is_channel": True,
          "bot_administrator_rights": {**RIGHTS, "can_post_messages": "yes"}},
         'Field "can_post_messages" must be of type Boolean'),
        ("not an object", 'Field "request_chat" must be of type Object'),
    ],
)  # fmt: skip
async def test_bad_request_chat_buttons(emu, http, user, request_chat, description) -> None:
    markup = {"keyboard": [[{"text": "pick", "request_chat": request_chat}]]}
    status, body = await send(http, emu, "x", reply_markup=markup)
    assert (status, body["description"]) == (
        400, f"Bad Request: can't parse keyboard button: {description}"
    )  # fmt: skip


async def test_other_bad_reply_keyboards(emu, http, user) -> None:
    for markup, description in (
        ({"keyboard": [[{"request_chat": {"request_id": 1, "chat_is_channel": True}}]]},
         'can\'t parse keyboard button: Can\'t find field "text"'),
        ({"keyboard": [[{"text": "x", "request_contact": True, "request_location": True}]]},
         "can't parse keyboard button: at most one action field is allowed, "
         "got request_contact, request_location"),
        (request_keyboard(REQUEST_CHANNEL, REQUEST_CHANNEL), "BUTTON_ID_INVALID"),
    ):  # fmt: skip
        status, body = await send(http, emu, "x", reply_markup=markup)
        assert (status, body["description"]) == (400, f"Bad Request: {description}")
    markup = request_keyboard(REQUEST_CHANNEL, {"request_id": -5, "chat_is_channel": False})
    assert (await send(http, emu, "x", form=True, reply_markup=markup))[0] == 200


async def test_share_chat_promotes_the_bot_then_shares(emu, http, user) -> None:
    news = emu.make_channel(-100777, "News", username="news")
    emu.remove_bot(news, user, notify=False)
    emu.set_member(news, user, "creator")
    groups = {"request_id": 8, "chat_is_channel": False, "bot_is_member": True}
    await send(http, emu, "Pick a chat", reply_markup=request_keyboard(REQUEST_CHANNEL, groups))
    before = len(emu.pending_updates)

    update = emu.share_chat(user, 7, news)
    promotion, shared = emu.pending_updates[before:]
    assert shared == update
    assert update["message"]["chat_shared"] == {
        "request_id": 7, "chat_id": -100777, "title": "News", "username": "news"
    }  # fmt: skip
    assert update["message"]["from"] == user and "text" not in update["message"]
    change = promotion["my_chat_member"]
    assert change["from"] == user and change["chat"]["id"] == -100777
    assert (change["old_chat_member"]["status"], change["new_chat_member"]["status"]) == (
        "left", "administrator"
    )  # fmt: skip
    assert change["new_chat_member"]["can_post_messages"] is True
    assert change["new_chat_member"]["can_delete_messages"] is False  # only what was asked
    assert (await send(http, emu, "first post", chat_id="@news"))[0] == 200
    assert len(emu.pending_updates) == before + 2
    emu.share_chat(user, 7, news)  # already promoted: no second my_chat_member
    assert "message" in emu.pending_updates[-1] and len(emu.pending_updates) == before + 3

    team = emu.make_group(-100123, "Team")
    other = emu.make_channel(-100888, "Not mine")
    with pytest.raises(AssertionError, match="it is a supergroup, chat_is_channel is True"):
        emu.share_chat(user, 7, team)
    with pytest.raises(AssertionError, match="lacks user_administrator_rights"):
        emu.share_chat(user, 7, other)
    with pytest.raises(AssertionError, match="no request_chat button with request_id 9"):
        emu.share_chat(user, 9, team)
    emu.remove_bot(team, notify=False)
    with pytest.raises(AssertionError, match="bot_is_member"):
        emu.share_chat(user, 8, team)
    emu.share_chat(user, 9, other, check=False)  # a modified client can send anything
    shared = emu.pending_updates[-1]["message"]["chat_shared"]
    assert shared == {"request_id": 9, "chat_id": -100888}
    await send(http, emu, "done", reply_markup={"remove_keyboard": True})
    with pytest.raises(AssertionError, match="no request_chat button"):
        emu.share_chat(user, 7, news)


async def test_forwarded_channel_post(emu, http, user) -> None:
    news = emu.make_channel(-100777, "News", username="news")
    posted = emu.send_channel_post(news, "Oil prices rise")["channel_post"]
    update = emu.forward_channel_post(user, news, "Oil prices rise")
    message = update["message"]
    assert message["chat"]["id"] == USER_ID and message["text"] == "Oil prices rise"
    assert message["forward_origin"] == {
        "type": "channel", "date": posted["date"], "chat": news, "message_id": posted["message_id"]
    }  # fmt: skip
    message = emu.forward_channel_post(user, news, "Older", author_signature="Ed")["message"]
    assert message["forward_origin"]["message_id"] == posted["message_id"] + 1  # added
    assert message["forward_origin"]["author_signature"] == "Ed"
    assert Update.de_json(update, None).message.forward_origin.chat.id == -100777


async def test_edits_in_groups_and_channels(emu, http) -> None:
    team = emu.make_group(-100123, "Team")
    news = emu.make_channel(-100777, "News")
    for chat_id in (team["id"], news["id"]):
        _, body = await send(http, emu, "v1", chat_id=chat_id, reply_markup=keyboard("a"))
        ids = {"chat_id": chat_id, "message_id": body["result"]["message_id"]}
        status, body = await call(http, emu, "editMessageText", text="v2",
                                  reply_markup=keyboard("a"), **ids)  # fmt: skip
        assert status == 200 and body["result"]["text"] == "v2"
        status, body = await call(http, emu, "editMessageReplyMarkup",
                                  reply_markup=keyboard("b"), **ids)  # fmt: skip
        assert status == 200 and body["result"]["reply_markup"] == keyboard("b")
    emu.remove_bot(news)
    status, body = await call(http, emu, "editMessageReplyMarkup", **ids)
    assert (status, body["description"]) == (
        403, "Forbidden: bot is not a member of the channel chat"
    )  # fmt: skip


async def test_new_updates_parse_in_python_telegram_bot(emu, http, user) -> None:
    news = emu.make_channel(-100777, "News")
    forum = emu.make_group(-100321, "Forum", is_forum=True)
    emu.set_member(forum, user, "creator", is_anonymous=True)
    thread = emu.create_forum_topic_thread(forum, "Energy", by_user=user)
    emu.send_text(user, "in topic", chat=forum, thread_id=thread)
    emu.send_text(user, "anonymous", chat=forum, as_chat=True)
    emu.remove_bot(news, user)
    emu.add_bot(news, user)
    emu.block_bot(user)
    emu.block_bot(user, blocked=False)
    await send(http, emu, "pick", reply_markup=request_keyboard(REQUEST_CHANNEL))
    emu.set_member(news, user, "creator")
    emu.share_chat(user, 7, news)
    parsed = [Update.de_json(update, None) for update in emu.pending_updates]
    kinds = [next(k for k in u if k != "update_id") for u in emu.pending_updates]
    assert kinds.count("my_chat_member") == 4 and parsed[-1].message.chat_shared.chat_id == -100777
    messages = {u.message.text: u.message for u in parsed if u.message and u.message.text}
    assert any(u.message and u.message.forum_topic_created for u in parsed)
    topic = messages["in topic"]
    assert topic.is_topic_message and topic.message_thread_id == thread
    assert topic.reply_to_message.forum_topic_created.name == "Energy"
    assert messages["anonymous"].sender_chat.id == forum["id"]


# -- documents and files -------------------------------------------------------------------


async def upload(
    http: aiohttp.ClientSession,
    emu: BotApiEmulator,
    content: bytes,
    file_name: str = "export.yaml",
    **params: Any,
) -> tuple[int, dict[str, Any]]:
    """sendDocument with a multipart file part, the way python-telegram-bot uploads."""
    form = aiohttp.FormData()
    for name, value in {"chat_id": USER_ID, **params}.items():
        form.add_field(name, value if isinstance(value, str) else json.dumps(value))
    form.add_field("document", content, filename=file_name, content_type="application/yaml")
    async with http.post(f"{emu.base_url}{TOKEN}/sendDocument", data=form) as response:
        return response.status, await response.json()


async def download(http, emu, file_path: str, token: str = TOKEN) -> tuple[int, bytes, str]:
    async with http.get(f"{emu.base_file_url}{token}/{file_path}") as response:
        return response.status, await response.read(), response.content_type


async def test_user_document_get_file_and_download(emu, http, user) -> None:
    update = emu.send_document(user, "content.yaml", b"briefing: 1\n", caption="/import now")
    message = update["message"]
    document = message["document"]
    assert {k: document[k] for k in ("file_name", "mime_type", "file_size")} == {
        "file_name": "content.yaml", "mime_type": "application/x-yaml", "file_size": 12,
    }  # fmt: skip
    assert "text" not in message and message["caption"] == "/import now"
    assert message["caption_entities"] == [{"type": "bot_command", "offset": 0, "length": 7}]
    parsed = Update.de_json(update, None).message
    assert parsed.document.file_name == "content.yaml" and parsed.caption == "/import now"
    guessed = {name: emu.send_document(user, name, b"x")["message"]["document"]["mime_type"]
               for name in ("a.json", "b.md", "c.txt", "d.yml", "noext")}  # fmt: skip
    assert guessed == {"a.json": "application/json", "b.md": "text/markdown",
                       "c.txt": "text/plain", "d.yml": "application/x-yaml",
                       "noext": "application/octet-stream"}  # fmt: skip
    plain = emu.send_document(user, "notes.txt", b"hi", mime_type="text/x-custom")
    assert plain["message"]["document"]["mime_type"] == "text/x-custom"
    assert "caption" not in plain["message"]

    status, body = await call(http, emu, "getFile", file_id=document["file_id"])
    assert status == 200
    file = body["result"]
    assert file["file_id"] == document["file_id"] and file["file_size"] == 12
    assert file["file_unique_id"] == document["file_unique_id"]
    assert file["file_path"].startswith("documents/file_") and file["file_path"].endswith(".yaml")
    assert await download(http, emu, file["file_path"]) == (
        200, b"briefing: 1\n", "application/octet-stream"
    )  # fmt: skip
    assert (await call(http, emu, "getFile", file_id=document["file_id"]))[1]["result"] == file
    for status, raw, _ in [
        await download(http, emu, file["file_path"], token="123456:" + "x" * 35),
        await download(http, emu, file["file_path"], token="garbage"),
        await download(http, emu, "documents/file_999.yaml"),
    ]:
        assert status == 404 and json.loads(raw)["description"] == "Not Found"

    status, body = await call(http, emu, "getFile", file_id="AgADnope")
    assert (status, body["description"]) == (400, "Bad Request: invalid file_id")
    big = emu.send_document(user, "huge.json", None, file_size=25_000_000)["message"]["document"]
    assert big["file_size"] == 25_000_000
    status, body = await call(http, emu, "getFile", file_id=big["file_id"])
    assert (status, body["description"]) == (400, "Bad Request: file is too big")
    with pytest.raises(AssertionError, match="file_size"):
        emu.send_document(user, "small.json", None, file_size=10)
    with pytest.raises(AssertionError, match="no stored content"):
        emu.document_bytes(big["file_id"])
    assert emu.document_bytes(document["file_id"]) == b"briefing: 1\n"


async def test_documents_in_groups_topics_and_privacy_mode(http) -> None:
    async with BotApiEmulator(token=TOKEN, group_privacy=True) as emu:
        anna = emu.make_user(USER_ID, "Anna")
        forum = emu.make_group(-100123, "Team", is_forum=True)
        thread = emu.create_forum_topic_thread(forum, "Content", by_user=anna)
        assert emu.send_document(anna, "a.md", b"# A", chat=forum) is None  # privacy mode
        command = "/import@briefing_test_bot"
        update = emu.send_document(anna, "a.md", b"# A", chat=forum, caption=command,
                                   thread_id=thread)  # fmt: skip
        message = update["message"]
        assert message["chat"]["id"] == -100123 and message["message_thread_id"] == thread
        assert message["caption_entities"][0]["length"] == 25
        status, body = await upload(http, emu, b"x", chat_id=-100123, message_thread_id=thread)
        assert status == 200 and body["result"]["message_thread_id"] == thread
        status, body = await upload(http, emu, b"x", chat_id=-100123, message_thread_id=999)
        assert body["description"] == "Bad Request: message thread not found"


async def test_send_document_upload_caption_and_resend(emu, http, user) -> None:
    content = "items:\n  - энергетика\n".encode()
    status, body = await upload(
        http, emu, content, caption="<b>Export</b> of 1 item", parse_mode="HTML",
        reply_markup=keyboard("again"),
    )  # fmt: skip
    assert status == 200, body
    sent = body["result"]
    document = sent["document"]
    assert document["file_name"] == "export.yaml" and document["file_size"] == len(content)
    assert document["mime_type"] == "application/x-yaml"
    assert sent["caption"] == "Export of 1 item" and "text" not in sent
    assert sent["caption_entities"] == [{"type": "bold", "offset": 0, "length": 6}]
    assert sent["reply_markup"] == keyboard("again")
    [stored] = await emu.wait_for_messages(USER_ID)
    assert stored["text"] == "" and stored["entities"] == []
    assert stored["caption"] == "Export of 1 item" and stored["html"] == "<b>Export</b> of 1 item"
    assert stored["document"] == document
    assert emu.document_bytes(document["file_id"]) == content
    _, body = await call(http, emu, "getFile", file_id=document["file_id"])
    assert (await download(http, emu, body["result"]["file_path"]))[1] == content

    status, body = await call(http, emu, "sendDocument", chat_id=USER_ID,
                              document=document["file_id"])  # fmt: skip
    assert status == 200 and body["result"]["document"] == document
    assert "caption" not in body["result"]
    assert emu.messages_in(USER_ID)[-1]["caption"] == ""
    status, body = await call(http, emu, "sendDocument", chat_id=USER_ID, document="BQACnope")
    assert body["description"] == "Bad Request: wrong file identifier/HTTP URL specified"
    status, body = await upload(http, emu, b"")
    assert (status, body["description"]) == (400, "Bad Request: file must be non-empty")
    status, body = await call(http, emu, "sendDocument", chat_id=USER_ID, caption="x")
    assert body["description"] == "Bad Request: there is no document in the request"
    status, body = await upload(http, emu, b"x", caption="я" * 1025)
    assert (status, body["description"]) == (400, "Bad Request: message caption is too long")
    assert (await upload(http, emu, b"x", caption="<b>" + "я" * 1024 + "</b>",
                         parse_mode="HTML"))[0] == 200  # fmt: skip
    status, body = await upload(http, emu, b"x", caption="AT&T", parse_mode="HTML")
    assert body["description"].startswith("Bad Request: can't parse entities: Character")
    status, body = await upload(http, emu, b"x", chat_id=-100999)
    assert body["description"] == "Bad Request: chat not found"


async def test_edits_of_document_messages(emu, http, user) -> None:
    _, body = await upload(http, emu, b"a: 1", caption="v1", reply_markup=keyboard("a"))
    ids = {"chat_id": USER_ID, "message_id": body["result"]["message_id"]}
    status, body = await call(http, emu, "editMessageText", text="v2", **ids)
    assert (status, body["description"]) == (
        400, "Bad Request: there is no text in the message to edit"
    )  # fmt: skip
    status, body = await call(http, emu, "editMessageCaption", caption="v1",
                              reply_markup=keyboard("a"), **ids)  # fmt: skip
    assert body["description"].startswith("Bad Request: message is not modified")
    status, body = await call(http, emu, "editMessageCaption", caption="<i>v2</i>",
                              parse_mode="HTML", **ids)  # fmt: skip
    assert status == 200 and body["result"]["caption"] == "v2" and "edit_date" in body["result"]
    assert "reply_markup" not in body["result"] and body["result"]["document"]["file_size"] == 4
    status, body = await call(http, emu, "editMessageCaption", **ids)  # removes the caption
    assert status == 200 and "caption" not in body["result"]
    [stored] = emu.messages_in(USER_ID)
    assert stored["caption"] == "" and stored["text"] == ""
    assert [e["caption"] for e in stored["edits"]] == ["v1", "v2"]
    assert stored["edits"][1]["caption_entities"] == [{"type": "italic", "offset": 0, "length": 2}]
    status, body = await call(http, emu, "editMessageCaption", caption="x" * 1025, **ids)
    assert body["description"] == "Bad Request: message caption is too long"
    _, body = await send(http, emu, "plain")
    status, body = await call(http, emu, "editMessageCaption", chat_id=USER_ID,
                              message_id=body["result"]["message_id"], caption="c")  # fmt: skip
    assert body["description"] == "Bad Request: there is no caption in the message to edit"


async def test_send_document_limits(emu, http, user) -> None:
    for i in range(5):  # the private chat's burst, shared with sendMessage
        assert (await upload(http, emu, b"x", caption=str(i)))[0] == 200
    status, body = await upload(http, emu, b"x")
    assert (status, body["description"]) == (429, "Too Many Requests: retry after 1")
    status, body = await upload(http, emu, b"\0" * (50 * 1024 * 1024 + 1))
    assert (status, body) == (
        413, {"ok": False, "error_code": 413, "description": "Request Entity Too Large"}
    )  # fmt: skip
    assert [e.error_code for e in emu.errors] == [429, 413]


async def test_python_telegram_bot_documents_end_to_end(emu) -> None:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        file = await update.message.document.get_file()
        data = bytes(await file.download_as_bytearray())
        await update.message.reply_document(
            InputFile(data.upper(), filename="echo.yaml"), caption=f"<b>{len(data)}</b> bytes",
            parse_mode="HTML",
        )

    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(emu.base_url)
        .base_file_url(emu.base_file_url)
        .build()
    )
    app.add_handler(MessageHandler(filters.Document.ALL, echo))
    anna = emu.make_user(user_id=USER_ID, first_name="Anna")
    async with app:
        await app.updater.start_polling(poll_interval=0, timeout=1)
        await app.start()
        try:
            emu.send_document(anna, "content.yaml", b"topics: []\n")
            [reply] = await emu.wait_for_messages(USER_ID, timeout=5.0)
        finally:
            await app.updater.stop()
            await app.stop()
    assert reply["caption"] == "11 bytes" and reply["document"]["file_name"] == "echo.yaml"
    assert emu.document_bytes(reply["document"]["file_id"]) == b"TOPICS: []\n"
    assert not emu.errors, emu.describe()


async def test_send_photo_takes_real_images_and_known_photo_ids(emu, http, user) -> None:
    """Telegram refuses bytes that are not an image, and file_ids that are not a photo's."""
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + (640).to_bytes(4, "big") + (480).to_bytes(4, "big") + b"\x08\x02\x00\x00\x00"

    async def upload(content: bytes, **params):
        form = aiohttp.FormData()
        for name, value in {"chat_id": USER_ID, **params}.items():
            form.add_field(name, value if isinstance(value, str) else json.dumps(value))
        form.add_field("photo", content, filename="chart.png", content_type="image/png")
        async with http.post(f"{emu.base_url}{TOKEN}/sendPhoto", data=form) as response:
            return response.status, await response.json()

    status, body = await upload(b"not an image at all")
    assert (status, body["description"]) == (400, "Bad Request: IMAGE_PROCESS_FAILED")
    status, body = await upload(png, caption="<b>28 млрд</b>", parse_mode="HTML")
    assert status == 200, body
    [size] = body["result"]["photo"]
    assert (size["width"], size["height"]) == (640, 480) and body["result"]["caption"] == "28 млрд"
    status, again = await call(http, emu, "sendPhoto", chat_id=USER_ID, photo=size["file_id"])
    assert status == 200 and again["result"]["photo"][0]["file_id"] == size["file_id"]
    status, body = await call(http, emu, "sendPhoto", chat_id=USER_ID, photo="no-such-file")
    assert status == 400
    status, body = await upload(png, caption="x" * 1100)
    assert (status, body["description"]) == (400, "Bad Request: message caption is too long")
    emu.errors.clear()
