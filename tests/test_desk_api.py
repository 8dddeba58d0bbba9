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


async def test_figures_and_quotes_are_changed_by_the_chats_rules_and_only_by_editors(services, seeds_dir) -> None:
    from tests.publishing import seed_draft

    api = DeskApi(services.desk, TEST_TOKEN, max_age=3600)
    live = (await services.content.published_snippets("economy"))[0]
    draft_id = await seed_draft(services, seeds_dir, "energy", "Energy: a draft with quotes")
    verbatim = "укрепление кадрового потенциала атомной отрасли имеет для Казахстана первостепенное значение"

    async def state(snippet_id):
        [view] = await services.content.snippets_by_id([snippet_id])
        return view.figures, view.quotes

    async with test_utils.TestClient(test_utils.TestServer(desk_app(api))) as client:
        base = f"/api/snippets/{live.id}"
        before = await state(live.id)
        for headers, status in [
            ({}, 401),
            ({"X-Telegram-Init-Data": launch_data(42).replace("Ed", "Eve")}, 401),  # changed after signing
            ({"X-Telegram-Init-Data": launch_data(1001)}, 403),  # a reader
        ]:
            for path, body in [("/figures/1/remove", {}), ("/quotes", {"text": verbatim}), ("/quotes/1/remove", {})]:
                response = await client.post(base + path, headers=headers, json=body)
                assert response.status == status and set(await response.json()) == {"error"}
        assert await state(live.id) == before

        owner = {"X-Telegram-Init-Data": launch_data(42)}

        async def post(path, body=None, status=200):
            response = await client.post(path, headers=owner, json=body or {})
            answer = await response.json()
            assert response.status == status, answer
            return answer

        # the chat's rules, the chat's messages
        refused = await post(base + "/quotes", {"text": "Атомная энергетика имеет здесь тактический масштаб"}, 422)
        assert "Only the beginning matches the source verbatim: “Атомная энергетика имеет здесь”" in refused["message"]
        assert "has no figure 9: it has 4" in (await post(base + "/figures/9/remove", status=422))["message"]
        assert "has no quote 5: it has 2" in (await post(base + "/quotes", {"text": verbatim, "position": 5}, 422))["message"]
        assert (await post(base + "/quotes", {"text": verbatim, "position": "1"}, 400))["error"]
        assert (await post(base + "/quotes/0/remove", status=404))["error"]
        assert await state(live.id) == before

        # on the air: a preview of the corrected copy, and nothing changes before Apply
        held = await post(base + "/figures/1/remove")
        assert held["token"] and "Record investment" not in held["preview"][0] and "✏️" in held["preview"][0]
        assert await state(live.id) == before
        applied = await post("/api/confirm", {"token": held["token"], "apply": True})
        assert applied["ok"] and f"#{live.id}" in applied["message"]
        held = await post(base + "/quotes", {"text": f"«{verbatim}»"})
        await post("/api/confirm", {"token": held["token"], "apply": True})
        figures, quotes = await state(live.id)
        assert figures == before[0][1:] and [q.text for q in quotes] == [q.text for q in before[1]] + [verbatim]
        sheet = await (await client.get(base, headers=owner)).json()
        assert [q["position"] for q in sheet["quotes"]] == [1, 2, 3]
        assert {"figure removed", "quote added"} <= {entry["action"] for entry in sheet["history"]}
        added = next(entry for entry in sheet["history"] if entry["action"] == "quote added")
        assert added["via"] == "desk" and added["changes"] == [
            {"field": "quotes", "before": "", "after": f"«{verbatim}» — Денис Алексеевич Борисов"}]

        # a draft changes at once
        done = await post(f"/api/snippets/{draft_id}/quotes/1/remove")
        assert done["token"] is None and "updated" in done["message"]
        assert len((await state(draft_id))[1]) == 1


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


async def test_the_desk_holds_live_edits_and_publication_to_the_own_words_rule(services, seeds_dir) -> None:
    from tests.publishing import seed_draft

    api = DeskApi(services.desk, TEST_TOKEN, max_age=3600)
    live = (await services.content.published_snippets("economy"))[0]
    draft_id = await seed_draft(services, seeds_dir, "energy", "Energy: a draft in the source's words")
    copied = "укрепление кадрового потенциала атомной отрасли имеет для Казахстана первостепенное значение"
    owner = {"X-Telegram-Init-Data": launch_data(42)}
    async with test_utils.TestClient(test_utils.TestServer(desk_app(api))) as client:
        refused = await client.post(f"/api/snippets/{live.id}/text", headers=owner,
                                    json={"title": "Economy in own words", "summary": f"The expert: {copied}."})
        answer = await refused.json()
        assert refused.status == 422 and "outside quotation marks" in answer["message"] and copied in answer["message"]
        held = await client.post(f"/api/snippets/{live.id}/text", headers=owner,
                                 json={"title": "Economy in own words", "summary": f"The expert: «{copied}»."})
        assert held.status == 200 and (await held.json())["token"]  # quoted: offered for Apply

        # a draft may hold the copied words; its sheet says it cannot go out so, and publishing is refused
        changed = await client.post(f"/api/snippets/{draft_id}/text", headers=owner,
                                    json={"title": "Energy: a draft in the source's words", "summary": f"{copied}."})
        assert changed.status == 200 and "Not publishable as it stands" in (await changed.json())["message"]
        sheet = await (await client.get(f"/api/snippets/{draft_id}", headers=owner)).json()
        assert "Not publishable as it stands" in sheet["warning"]
        published = await client.post(f"/api/snippets/{draft_id}/publish", headers=owner, json={})
        assert published.status == 422 and copied in (await published.json())["message"]
        assert (await services.editorial.snippet(draft_id)).status == "draft"
