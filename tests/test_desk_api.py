"""The desk's JSON API over the real services: forged, stale and non-editor launch data see
nothing; an editor's edit and publication go through the same desk as the chat commands."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

from aiohttp import test_utils

from bot.desk import auth
from bot.desk.api import DeskApi, desk_app
from tests.conftest import TEST_TOKEN


def launch_data(user_id: int, *, age: int = 10, token: str = TEST_TOKEN) -> str:
    fields = {"auth_date": str(int(time.time()) - age),
              "user": json.dumps({"id": user_id, "first_name": "Ed", "language_code": "en"})}
    fields["hash"] = auth.sign(fields, token)
    return urlencode(fields)


async def test_only_a_genuine_fresh_editor_sees_content(services) -> None:
    api = DeskApi(services.desk, TEST_TOKEN, max_age=3600)
    async with test_utils.TestClient(test_utils.TestServer(desk_app(api))) as client:
        for headers, status in [
            ({}, 401),
            ({"X-Telegram-Init-Data": launch_data(42, token="654321:ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ")}, 401),
            ({"X-Telegram-Init-Data": launch_data(42, age=7200)}, 401),
            ({"X-Telegram-Init-Data": launch_data(1001)}, 403),  # a reader
        ]:
            response = await client.get("/api/snippets", headers=headers)
            body = await response.json()
            assert response.status == status and set(body) == {"error"}, body
            assert "Content-Security-Policy" in response.headers
        owner = {"X-Telegram-Init-Data": launch_data(42)}
        listing = await (await client.get("/api/snippets", headers=owner)).json()
        assert listing["lang"] == "en" and listing["snippets"]
        page = await client.get("/")
        assert page.status == 200 and "script-src 'self'" in page.headers["Content-Security-Policy"]
        published = next(s for s in listing["snippets"] if s["status"] == "published")
        sheet = await (await client.get(f"/api/snippets/{published['id']}", headers=owner)).json()
        assert sheet["preview"] and sheet["status"] == "published"
        # the chat's rule and message: a number not in the source is refused
        refused = await client.post(f"/api/snippets/{published['id']}/text", headers=owner,
                                    json={"title": "Title 987654", "summary": sheet["summary"]})
        assert refused.status == 422 and "987654" in (await refused.json())["message"]
        too_big = await client.post(f"/api/snippets/{published['id']}/text", headers=owner, data=b"x" * 40000)
        assert too_big.status == 413


DESK_URL = "https://bot.example.org/desk/"


async def test_desk_command_gives_editors_the_mini_app_and_readers_nothing(settings, emulator) -> None:
    from tests.conftest import running_bot, unexpected_refusals
    from tests.helpers import ask, buttons

    owner = emulator.make_user(42, "Olga", language_code="ru")
    reader = emulator.make_user(1002, "John", language_code="en")
    group = emulator.make_group(-1009000000001, "Аналитики", "supergroup")
    emulator.set_member(group, owner, "member")
    from tests.helpers import free_port

    desk = {"desk_url": DESK_URL, "port": free_port(), "webhook_listen": "127.0.0.1"}
    async with running_bot(settings.model_copy(update=desk), emulator):
        [opened] = await ask(emulator, owner, "/desk")
        assert [b.get("web_app") for b in buttons(opened)] == [{"url": DESK_URL}]
        await emulator.wait_for(lambda: 42 in emulator.world.menu_buttons)
        assert emulator.world.menu_buttons[42]["web_app"] == {"url": DESK_URL}  # the chat's menu opens it too

        [refused] = await ask(emulator, reader, "/desk")
        assert not buttons(refused) and "not available" in refused["text"]
        assert 1002 not in emulator.world.menu_buttons

        [elsewhere] = await ask(emulator, owner, "/desk", chat=group)
        assert not buttons(elsewhere) and "личном чате" in elsewhere["text"]
    assert not unexpected_refusals(emulator), unexpected_refusals(emulator)


def test_the_emulator_refuses_a_web_app_that_is_not_https() -> None:
    import pytest
    from tests.emulator.errors import ApiError
    from tests.emulator.keyboards import check_inline_keyboard

    check_inline_keyboard({"inline_keyboard": [[{"text": "Desk", "web_app": {"url": DESK_URL}}]]})
    for url in ("http://bot.example.org/desk/", "desk/", None):
        with pytest.raises(ApiError, match="BUTTON_URL_INVALID"):
            check_inline_keyboard({"inline_keyboard": [[{"text": "Desk", "web_app": {"url": url}}]]})


async def test_the_emulator_takes_web_app_buttons_in_private_chats_only(emulator) -> None:
    """Telegram refuses a Mini App button in an inline keyboard anywhere but a private chat
    (BUTTON_TYPE_INVALID), and so does the emulator, at the Bot API."""
    import aiohttp

    user = emulator.make_user(1002, "John")
    emulator.send_text(user, "/start")  # their private chat opens
    group = emulator.make_group(-1009000000002, "Аналитики", "supergroup")
    markup = json.dumps({"inline_keyboard": [[{"text": "Desk", "web_app": {"url": DESK_URL}}]]})
    async with aiohttp.ClientSession() as session:
        answers = {}
        for name, chat_id in (("private", user["id"]), ("group", group["id"])):
            async with session.post(f"{emulator.base_url}{TEST_TOKEN}/sendMessage",
                                    json={"chat_id": chat_id, "text": "desk", "reply_markup": markup}) as response:
                answers[name] = await response.json()
    assert answers["private"]["ok"] is True, answers
    assert answers["group"]["ok"] is False and "BUTTON_TYPE_INVALID" in answers["group"]["description"]
    emulator.world.calls.clear()  # the refusal was the point
