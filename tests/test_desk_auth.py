"""The Mini App's launch data: accepted only as Telegram signs it, for the right bot, fresh."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from hypothesis import given, settings, strategies as st

from bot.desk import auth

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi"
NOW = 1_800_000_000


def launch_data(token: str = TOKEN, auth_date: int = NOW - 10, user_id: int = 42, **extra: str) -> str:
    fields = {"auth_date": str(auth_date), "query_id": "AAF", "user": json.dumps({"id": user_id, "first_name": "Ann", "language_code": "en"}), **extra}
    fields["hash"] = auth.sign(fields, token)
    return urlencode(fields)


def test_signed_launch_data_gives_its_user() -> None:
    launch = auth.validate(launch_data(), TOKEN, max_age=86400, now=NOW)
    assert (launch.user.id, launch.user.language_code, launch.user.full_name) == (42, "en", "Ann")


@pytest.mark.parametrize("data, reason", [
    ("", "no launch data"),
    (launch_data(token="654321:ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ"), "signature does not match"),
    (launch_data(auth_date=NOW - 86401), "launch data too old"),
    (launch_data(auth_date=NOW + 3600), "auth_date in the future"),
    (launch_data() + "&auth_date=1", "a field repeated"),
    (launch_data().replace("hash=", "hash=0"), "no hash"),
])  # fmt: skip
def test_forged_stale_or_foreign_data_is_refused(data: str, reason: str) -> None:
    with pytest.raises(auth.InitDataError) as refused:
        auth.validate(data, TOKEN, max_age=86400, now=NOW)
    assert refused.value.reason == reason


def test_another_user_cannot_be_claimed_with_someone_elses_signature() -> None:
    genuine = launch_data(user_id=1001)
    forged = genuine.replace("1001", "42")
    with pytest.raises(auth.InitDataError):
        auth.validate(forged, TOKEN, max_age=86400, now=NOW)


@settings(max_examples=200, deadline=None)
@given(position=st.integers(min_value=0), replacement=st.characters(codec="ascii"))
def test_any_tampering_is_refused(position: int, replacement: str) -> None:
    data = launch_data()
    position %= len(data)
    tampered = data[:position] + replacement + data[position + 1:]
    if tampered == data:
        return
    try:
        launch = auth.validate(tampered, TOKEN, max_age=86400, now=NOW)
    except auth.InitDataError:
        return
    # the only changes that may pass are those that decode to the very same fields (e.g. %20 ↔ +)
    from urllib.parse import parse_qsl
    assert dict(parse_qsl(tampered)) == dict(parse_qsl(data)), launch
