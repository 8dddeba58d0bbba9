"""Hostile input through the running bot: every upload, command and button an editor or reader
can send is answered with a message that names the problem, changes nothing, and never holds
the event loop.

The loop is watched by CPU time, not wall time: each callback the loop runs is timed with
`time.thread_time()` (the loop thread's own CPU), so a busy machine or a worker thread doing the
heavy part does not count, and a callback that computes for long on the loop does."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
import yaml
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from tests.conftest import ROOT, services_of
from tests.helpers import ask

LOOP_BUDGET = 0.1  # CPU seconds any one callback on the event loop may take
SEED = yaml.safe_load((ROOT / "seeds" / "borisov-2025-11-12.yaml").read_text(encoding="utf-8"))
GENERIC_FAILURE = ("Что-то пошло не так", "Something went wrong")


@dataclass
class LoopCpu:
    worst: float = 0.0
    what: str = ""


@contextmanager
def loop_cpu():
    """Record the most CPU any single event-loop callback used while the block runs."""
    record = LoopCpu()
    original = asyncio.events.Handle._run

    def timed(handle):
        started = time.thread_time()
        try:
            return original(handle)
        finally:
            spent = time.thread_time() - started
            if spent > record.worst:
                record.worst, record.what = spent, repr(handle)[:200]

    asyncio.events.Handle._run = timed
    try:
        yield record
    finally:
        asyncio.events.Handle._run = original


@pytest.fixture
def owner(emulator):
    return emulator.make_user(42, "Olga", language_code="ru")


def seed_bytes(mutate) -> bytes:
    data = json.loads(json.dumps(SEED, default=str))
    mutate(data)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode()


def figure_value(value: str):
    def mutate(data):
        data["snippets"][0]["figures"] = [{"label": "Значение", "value": "VALUE", "unit": "млрд",
                                           "evidence": "28 млрд"}]
    return seed_bytes(mutate).replace(b"VALUE", value.encode())


def alias_bomb() -> bytes:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 8):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*{'a' if i == 1 else f'l{i - 1}'}"] * 10) + "]")
    return ("\n".join(lines) + "\n").encode()


def many_snippets() -> bytes:
    def mutate(data):
        template = data["snippets"][0]
        data["snippets"] = [dict(template, id=f"s{i}") for i in range(400)]
    return seed_bytes(mutate)


HOSTILE_FILES = [
    # (file name, content, words the answer must contain)
    ("bomb.yaml", alias_bomb(), "aliases"),
    ("deep.json", b"[" * 50_000 + b"]" * 50_000, "nested too deeply"),
    ("deep.yaml", b"a: " + b"[" * 5_000 + b"]" * 5_000, "nesting depth"),
    ("digits.yaml", figure_value("1" * 5_000), "too many digits"),
    ("huge.yaml", figure_value("1E+1000000"), "figures[0].value"),
    ("snan.yaml", figure_value("sNaN"), "figures[0].value"),
    ("many.yaml", many_snippets(), "at most 200"),
    ("emphasis.txt", (" *x" * 8_000).encode(), "Статья разобрана"),  # a text after all: a preview
    ("one-line.txt", ("Поставки газа выросли на 28 млрд долларов. " * 12_000).encode(), "at most 200,000"),
    ("two-mb.txt", b"x" * 2_000_000, "too large"),
    ("latin1.txt", "Gaz à 28 milliards".encode("latin-1"), "not UTF-8"),
    ("noise.md", bytes(range(256)) * 100, "not UTF-8"),
]

HOSTILE_COMMANDS = [
    "/edit 999999999999999999999999999999 Заголовок | текст",
    "/edit 12abc",
    "/figure 1 " + "9" * 5_000,
    "/publish -0",
    "/retire 1e309",
    "/search " + "и " * 2_000,
    "/history " + "9" * 40,
    "/energy " + "x" * 4_000,
]

HOSTILE_BUTTONS = [
    "ed:p:" + "9" * 30,
    "ed:ap:" + "0" * 40,
    "ed:pub:sNaN",
    "ed:pn:-1",
    "s:NaN",
    "t:energy:" + "9" * 30,
    "tp:energy:1e999",
    "\x00\xff",
]


async def answered(emulator, chat_id: int, before: int):
    await emulator.wait_for(lambda: len(emulator.messages_in(chat_id)) > before, timeout=20)
    return emulator.messages_in(chat_id)[before:]


def assert_clear(answers, expected: str = "") -> None:
    text = "\n".join(m["text"] or m.get("caption") or "" for m in answers)
    assert text.strip(), "an empty answer"
    assert not any(failure in text for failure in GENERIC_FAILURE), text
    assert "Traceback" not in text
    if expected:
        assert expected in text, text


async def test_hostile_uploads_are_refused_by_name_cheaply(bot, emulator, owner, caplog):
    services = services_of(bot)
    version = await services.content.content_version()
    with loop_cpu() as loop, caplog.at_level(logging.WARNING):
        for name, content, expected in HOSTILE_FILES:
            before = len(emulator.messages_in(owner["id"]))
            emulator.send_document(owner, name, content)
            assert_clear(await answered(emulator, owner["id"], before), expected)
    assert await services.content.content_version() == version  # nothing applied, nothing half-applied
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], [r.getMessage() for r in caplog.records]
    assert loop.worst < LOOP_BUDGET, f"{loop.worst:.3f} s of CPU in one callback: {loop.what}"


async def test_hostile_commands_and_buttons_are_answered_and_change_nothing(bot, emulator, owner, caplog):
    services = services_of(bot)
    version = await services.content.content_version()
    [anchor] = await ask(emulator, owner, "/energy")
    with loop_cpu() as loop, caplog.at_level(logging.WARNING):
        for command in HOSTILE_COMMANDS:
            before = len(emulator.messages_in(owner["id"]))
            emulator.send_text(owner, command)
            assert_clear(await answered(emulator, owner["id"], before))
        for data in HOSTILE_BUTTONS:
            query_id = emulator.press_button(owner, anchor, data)
            await emulator.wait_for(lambda: query_id in emulator.callback_answers, timeout=30)
    assert await services.content.content_version() == version
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], [r.getMessage() for r in caplog.records]
    assert loop.worst < LOOP_BUDGET, f"{loop.worst:.3f} s of CPU in one callback: {loop.what}"


WORDS = st.sampled_from(["/edit", "/figure", "/publish", "/retire", "/history", "/drafts", "/search",
                         "/energy", "/subscribe", "/timezone", "/digest", "/quote", "/figures", "/start"])
ARGS = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=60)
DATA = st.one_of(st.text(max_size=64),
                 st.from_regex(r"(t|f|q|m|tp|s|si|ed:p|ed:pub|ed:pn|ed:d|ed:ap|ed:cx)(:[0-9a-zA-Z.+-]{0,30}){0,3}",
                               fullmatch=True))
DOCUMENT = st.tuples(st.sampled_from(["a.yaml", "a.json", "a.txt", "a.md"]), st.binary(min_size=1, max_size=2_000))


@given(commands=st.lists(st.tuples(WORDS, ARGS), min_size=1, max_size=3),
       presses=st.lists(DATA.filter(lambda d: 0 < len(d.encode()) <= 64), max_size=3),
       document=st.none() | DOCUMENT)
@hsettings(max_examples=10, deadline=None,
           suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
async def test_random_input_through_the_bot_is_answered_and_changes_nothing(bot, emulator, owner, commands,
                                                                            presses, document):
    services = services_of(bot)
    version = await services.content.content_version()
    for word, args in commands:
        before = len(emulator.messages_in(owner["id"]))
        emulator.send_text(owner, f"{word} {args}".strip())
        assert_clear(await answered(emulator, owner["id"], before))
    anchor = emulator.messages_in(owner["id"])[-1]
    for data in presses:
        query_id = emulator.press_button(owner, anchor, data)
        await emulator.wait_for(lambda: query_id in emulator.callback_answers, timeout=30)
    if document is not None:
        before = len(emulator.messages_in(owner["id"]))
        emulator.send_document(owner, *document)
        assert_clear(await answered(emulator, owner["id"], before))
    # a random command may subscribe or set a time zone; content itself never changes
    assert await services.content.content_version() == version
