"""Per-user limits: one note past the limit, then silence; other users are not held up."""

from __future__ import annotations

from bot.telegram.limits.throttle import UserThrottle, Verdict
from tests.conftest import running_bot


def test_limit_then_one_warning_then_silence_until_the_window_moves() -> None:
    throttle = UserThrottle(limit=3, window=10)
    verdicts = [throttle.check(1, now) for now in (0, 1, 2, 3, 4, 5)]
    assert verdicts == [Verdict.ALLOW] * 3 + [Verdict.WARN, Verdict.DROP, Verdict.DROP]
    assert throttle.check(2, 5) is Verdict.ALLOW  # another user is untouched
    assert throttle.check(1, 10.5) is Verdict.ALLOW  # the first request left the window
    assert throttle.check(1, 11.5) is Verdict.ALLOW
    assert throttle.check(1, 12.5) is Verdict.ALLOW
    assert throttle.check(1, 12.6) is Verdict.WARN  # a new stretch gets a new note


def test_memory_is_bounded() -> None:
    throttle = UserThrottle(limit=1, window=1, max_users=100)
    for user in range(1000):
        throttle.check(user, now=user * 2.0)
    assert len(throttle._seen) <= 100  # noqa: SLF001


async def test_a_flooding_user_is_limited_while_another_is_answered(settings, emulator) -> None:
    settings = settings.model_copy(update={"rate_limit_requests": 3, "rate_limit_window": 60})
    flooder = emulator.make_user(user_id=2001, first_name="F", language_code="ru")
    calm = emulator.make_user(user_id=2002, first_name="C", language_code="ru")
    async with running_bot(settings, emulator):
        for _ in range(30):
            emulator.send_text(flooder, "/energy")
        emulator.send_text(calm, "/logistics")
        (reply,) = await emulator.wait_for_messages(calm["id"], count=1, timeout=5)
        got = await emulator.wait_for_messages(flooder["id"], count=4, timeout=10)
        assert len(got) == 4  # three answers and one note
        emulator.send_text(flooder, "/economy")  # still over the limit: silence
        (after,) = await _ask(emulator, calm, "/about")
    assert reply["text"].startswith("🚆") and after["text"].startswith("📚")
    texts = [m["text"] for m in emulator.messages_in(flooder["id"])]
    assert sum(text.startswith("⚡") for text in texts) == 3
    assert sum("Слишком много запросов" in text for text in texts) == 1
    assert len(texts) == 4
    assert not emulator.errors  # and no 429 along the way


async def _ask(emulator, user, text):
    emulator.send_text(user, text)
    return await emulator.wait_for_messages(user["id"], count=1, timeout=5)


async def test_silenced_users_updates_are_stubbed_before_parsing() -> None:
    import json

    from bot.telegram.limits.flood_filter import FloodFilter

    class Canned:
        async def initialize(self):
            pass

        async def shutdown(self):
            pass

        read_timeout = 1.0

        async def do_request(self, url, method, request_data=None, **timeouts):
            updates = [{"update_id": 10 + i, "message": {"from": {"id": uid}, "text": "/energy"}}
                       for i, uid in enumerate((7, 8, 7))]
            return 200, json.dumps({"ok": True, "result": updates}).encode()

    throttle = UserThrottle(limit=1, window=60)
    flood_filter = FloodFilter(Canned(), throttle)
    url = "http://x/bot1:abc/getUpdates"
    _, body = await flood_filter.do_request(url, "POST")
    assert len([u for u in json.loads(body)["result"] if "message" in u]) == 3  # nobody silenced yet
    import time

    for verdict in (Verdict.ALLOW, Verdict.WARN):
        assert throttle.check(7, time.monotonic()) is verdict  # used the limit, was warned
    _, body = await flood_filter.do_request(url, "POST")
    result = json.loads(body)["result"]
    assert [u["update_id"] for u in result] == [11, 12]  # 10 left out; 12 kept as a stub
    assert "message" in result[0] and result[1] == {"update_id": 12}
    assert flood_filter.dropped == 2


async def test_button_presses_over_the_limit_are_answered_without_content(settings, emulator) -> None:
    settings = settings.model_copy(update={"rate_limit_requests": 2, "rate_limit_window": 60})
    user = emulator.make_user(user_id=2101, first_name="B", language_code="ru")
    async with running_bot(settings, emulator):
        (briefing,) = await _ask(emulator, user, "/energy")  # request 1
        presses = [emulator.press_button(user, briefing, "q:energy") for _ in range(3)]
        await emulator.wait_for(lambda: all(p in emulator.callback_answers for p in presses))
        await emulator.wait_for_messages(user["id"], count=1, timeout=5)  # request 2: the quote
    answers = [emulator.callback_answers[p].get("text") for p in presses]
    assert answers[0] is None  # allowed: the spinner stops, the quote follows
    assert "Слишком много запросов" in answers[1]  # the one note
    assert answers[2] is None  # silence, but no spinner left hanging
    assert len(emulator.messages_in(user["id"])) == 2
    assert not emulator.errors
