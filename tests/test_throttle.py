"""Per-user limits: one note past the limit, then silence; other users are not held up."""

from __future__ import annotations

import asyncio

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


async def test_requests_are_counted_as_they_arrive_not_as_their_turn_comes(settings, emulator) -> None:
    """60 commands at once: replies into one chat go about one a second, so counted when each
    is handled the 2-second window would never fill; counted on arrival, it does."""
    settings = settings.model_copy(update={"rate_limit_requests": 6, "rate_limit_window": 2})
    flooder = emulator.make_user(user_id=2201, first_name="F", language_code="ru")
    calm = emulator.make_user(user_id=2202, first_name="C", language_code="ru")
    owner = emulator.make_user(user_id=42, first_name="O", language_code="ru")  # ADMIN_IDS: exempt
    async with running_bot(settings, emulator):
        for _ in range(60):
            emulator.send_text(flooder, "/energy")
        for _ in range(8):
            emulator.send_text(owner, "/energy")
        emulator.send_text(calm, "/logistics")
        (reply,) = await emulator.wait_for_messages(calm["id"], count=1, timeout=5)
        await emulator.wait_for_messages(flooder["id"], count=7, timeout=20)
        await emulator.wait_for_messages(owner["id"], count=8, timeout=20)
        await asyncio.sleep(1.5)  # anything more would have come by now (one a second)
    texts = [m["text"] for m in emulator.messages_in(flooder["id"])]
    assert sum(text.startswith("⚡") for text in texts) == 6  # RATE_LIMIT_REQUESTS answers
    assert sum("Слишком много запросов" in text for text in texts) == 1  # one notice
    assert len(texts) == 7
    assert reply["text"].startswith("🚆")
    assert all(m["text"].startswith("⚡") for m in emulator.messages_in(owner["id"]))
    assert len(emulator.messages_in(owner["id"])) == 8
    assert not emulator.errors


async def test_a_verdict_is_recorded_on_arrival_and_used_once() -> None:
    from telegram import Update

    from bot.telegram.limits.throttle import ArrivalVerdicts

    arrivals = ArrivalVerdicts(UserThrottle(limit=1, window=60), exempt=frozenset({42}), keep=3)
    def update(update_id: int, user_id: int) -> Update:
        return Update.de_json({"update_id": update_id, "message": {
            "message_id": update_id, "date": 0, "chat": {"id": user_id, "type": "private"},
            "from": {"id": user_id, "is_bot": False, "first_name": "U"}, "text": "/energy"}}, None)

    for update_id in (1, 2, 3):
        arrivals.on_arrival(update(update_id, 7))
    arrivals.on_arrival(update(4, 42))  # an owner: not counted
    assert [arrivals.take(i) for i in (1, 2, 3, 4)] == [Verdict.ALLOW, Verdict.WARN, Verdict.DROP, None]
    assert arrivals.take(1) is None  # once
    for update_id in range(10, 20):
        arrivals.on_arrival(update(update_id, 8))
    assert len(arrivals._verdicts) == 3  # noqa: SLF001 — bounded


async def test_a_batch_of_nothing_but_a_silenced_users_updates_is_skipped_at_once() -> None:
    """The next batch is asked for straight away (its offset confirming the dropped one), and
    what the library is handed it does not parse again."""
    import json
    import time

    from bot.telegram.limits.flood_filter import FloodFilter

    class Batches:
        def __init__(self):
            self.offsets = []

        async def initialize(self):
            pass

        async def shutdown(self):
            pass

        read_timeout = 1.0

        async def do_request(self, url, method, request_data=None, **timeouts):
            self.offsets.append(request_data.parameters.get("offset") if request_data else None)
            if len(self.offsets) == 1:
                updates = [{"update_id": 100 + i, "message": {"from": {"id": 7}, "text": "/energy"}} for i in range(100)]
            else:
                updates = [{"update_id": 200, "message": {"from": {"id": 9}, "text": "/energy"}}]
            return 200, json.dumps({"ok": True, "result": updates}).encode()

    throttle = UserThrottle(limit=1, window=60)
    for _ in range(2):
        throttle.check(7, time.monotonic())  # allowed once, then told to slow down
    inner = Batches()
    flood_filter = FloodFilter(inner, throttle)
    _, body = await flood_filter.do_request("http://x/bot1:abc/getUpdates", "POST")
    assert inner.offsets == [None, 200]  # asked again at once, from past the dropped batch
    assert json.loads(body)["result"] == [{"update_id": 200, "message": {"from": {"id": 9}, "text": "/energy"}}]
    assert flood_filter.dropped == 100
    assert flood_filter.parse_json_payload(body) == {"ok": True, "result": [{"update_id": 200, "message": {"from": {"id": 9}, "text": "/energy"}}]}
