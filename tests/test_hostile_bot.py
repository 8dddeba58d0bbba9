"""Hostile input through the running bot: every upload, command and button an editor or reader
can send is answered with a message that names the problem, changes nothing, and never holds
the event loop.

The loop is watched by CPU time, not wall time: each callback the loop runs is timed with
`time.thread_time()` (the loop thread's own CPU), so a busy machine or a worker thread doing the
heavy part does not count, and a callback that computes for long on the loop does."""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import random
import threading
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
    collector: float = 0.0  # the longest garbage collection that ran inside a callback


def _described(handle) -> str:
    """The callback, and for a task's step the task and where its coroutine stopped (the CPU went
    into the code on the way there)."""
    task = getattr(getattr(handle, "_callback", None), "__self__", None)
    task = task if isinstance(task, asyncio.Task) else None
    coro = task.get_coro() if task is not None else None
    where = []
    while coro is not None and getattr(coro, "cr_frame", None) is not None:
        where.append(f"{coro.cr_code.co_name}:{coro.cr_frame.f_lineno}")
        coro = coro.cr_await
    return f"{handle!r}"[:200] + (f" in task {task.get_name()}, stopped at {' > '.join(where)}"[:600] if task else "")


@contextmanager
def loop_cpu():
    """Record the most CPU any single event-loop callback used while the block runs. A garbage
    collection that falls into a callback is the interpreter's pause, not the callback's work
    (a full one takes long once the reader's models are in memory): it is taken out of the
    callback's time and recorded on its own."""
    record = LoopCpu()
    original = asyncio.events.Handle._run
    loop_thread = threading.get_ident()
    collecting = {"since": None, "spent": 0.0}

    def collected(phase, info):
        if threading.get_ident() != loop_thread:
            return
        if phase == "start":
            collecting["since"] = time.thread_time()
        elif collecting["since"] is not None:
            pause = time.thread_time() - collecting["since"]
            collecting["spent"] += pause
            record.collector = max(record.collector, pause)
            collecting["since"] = None

    def timed(handle):
        started, collected_before = time.thread_time(), collecting["spent"]
        try:
            return original(handle)
        finally:
            spent = time.thread_time() - started - (collecting["spent"] - collected_before)
            if spent > record.worst:
                record.worst, record.what = spent, _described(handle)

    asyncio.events.Handle._run = timed
    gc.callbacks.append(collected)
    try:
        yield record
    finally:
        asyncio.events.Handle._run = original
        gc.callbacks.remove(collected)


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
    ("nul.txt", "Экспорт зерна вырос на треть.\x00 Порт Актау принял рекордный объём.".encode(), "NUL bytes"),
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


@pytest.fixture(autouse=True)
def loop_watch(bot):
    """Every test of this suite, whatever it sends, once the bot is serving: no callback on the
    event loop may take more than LOOP_BUDGET of CPU. (asyncio's own slow-callback check, debug
    mode's `slow_callback_duration`, times the wall clock, which a loaded machine stretches.)"""
    with loop_cpu() as loop:
        yield loop
    print(f"\nthe longest loop callback: {loop.worst * 1000:.1f} ms of CPU, {loop.what} "
          f"(the longest garbage collection: {loop.collector * 1000:.1f} ms)")
    assert loop.worst < LOOP_BUDGET, f"{loop.worst:.3f} s of CPU in one callback: {loop.what}"


@dataclass
class LoopWork:
    largest: int = 0
    where: str = ""


@contextmanager
def source_sized_work_on_the_loop():
    """The longest text whose whitespace was collapsed (what every faithfulness check does to the
    source first) or whose numbers were listed, while on the event loop's thread."""
    from bot.domain import faithfulness, models

    record = LoopWork()

    class Watched:
        def __init__(self, pattern):
            self.pattern = pattern

        def _seen(self, text):
            if asyncio._get_running_loop() is not None and len(text) > record.largest:
                record.largest, record.where = len(text), "".join(__import__("traceback").format_stack(limit=6))

        def sub(self, repl, text, *args):
            self._seen(text)
            return self.pattern.sub(repl, text, *args)

        def findall(self, text, *args):
            self._seen(text)
            return self.pattern.findall(text, *args)

        def __getattr__(self, name):
            return getattr(self.pattern, name)

    originals = models.WHITESPACE, faithfulness.DIGITS
    models.WHITESPACE, faithfulness.DIGITS = Watched(models.WHITESPACE), Watched(faithfulness.DIGITS)
    try:
        yield record
    finally:
        models.WHITESPACE, faithfulness.DIGITS = originals


@pytest.fixture
def long_source(seeds_dir):
    """The seed source's text grown to 190,000 characters: the seed interview, then paragraphs of
    the tests' own words laid out as a paste would be (the snippets' quotes stay where they were)."""
    path = seeds_dir / "sources" / "borisov-2025-11-12.txt"
    parts = [path.read_text(encoding="utf-8"), "\n\n"]
    i = 0
    while sum(map(len, parts)) < 190_000:
        parts.append(f"Абзац {i}: обзор  рынка\nперевозок и   поставок, в котором нет ничего, кроме слов о портах, "
                     f"складах и {i % 97} вагонах,   которые ждут погрузки на станции.\n\n")
        i += 1
    path.write_text("".join(parts)[:190_000], encoding="utf-8")
    return path


async def test_checks_against_a_long_source_run_off_the_loop(long_source, bot, emulator, owner):
    """Every check of an edit against its source (quotes verbatim, numbers in the source, a
    figure's evidence) reads the whole source: with a source of 190,000 characters that is work
    for a worker thread, never for the event loop."""
    services = services_of(bot)
    economy = (await services.content.published_snippets("economy"))[0]
    [view] = await services.content.snippets_by_id([economy.id])
    quote = view.quotes[0].text
    commands = [
        f"/quote_add {economy.id} «{quote}»",
        f"/quote_add {economy.id} «{quote[:60]} и ещё слова не из источника»",
        f"/quote_edit {economy.id} 1 «{quote}»",
        f"/figure {economy.id} 28 млрд | товарооборот",
        f"/edit {economy.id} Заголовок о 96 вагонах | Текст о вагонах и портах.",
        f"/edit {economy.id} Заголовок с числом 999777 | Текст.",
        "/add energy Заметка о 96 вагонах | Короткий текст заметки о станции.",
    ]
    with source_sized_work_on_the_loop() as work:
        for command in commands:
            before = len(emulator.messages_in(owner["id"]))
            emulator.send_text(owner, command)
            assert_clear(await answered(emulator, owner["id"], before))
        sheet = await services.editorial.source_passage(economy.id)  # what the desk's page shows
        assert sheet
    assert work.largest < 20_000, f"a text of {work.largest:,} characters was read on the event loop:\n{work.where}"


@pytest.mark.parametrize("command", [
    "/add energy |",
    "/add energy | только текст",
    "/add energy Заголовок | ",
    "/add energy 😀🔥 | 🚀🚀🚀",
    "/add energy Заголовок без текста",
    "/add energy 12345 | 67890",
])
async def test_add_without_a_title_and_a_text_of_words_is_refused_with_its_usage(bot, emulator, owner, command):
    services = services_of(bot)
    drafts = await services.editorial.drafts(100)
    [answer] = await ask(emulator, owner, command)
    assert "/add energy" in answer["text"] and "Формат" in answer["text"], answer["text"]
    assert await services.editorial.drafts(100) == drafts


async def test_add_with_a_title_and_a_text_still_makes_a_draft(bot, emulator, owner):
    services = services_of(bot)
    before = len(await services.editorial.drafts(100))
    answers = await ask(emulator, owner, "/add energy Заголовок заметки | Текст заметки о станции.", count=2)
    assert "черновик" in answers[0]["text"].lower() or "#" in answers[0]["text"], answers
    assert len(await services.editorial.drafts(100)) == before + 1


async def test_a_document_of_unknown_size_is_never_downloaded(bot, emulator, owner):
    before = len(emulator.messages_in(owner["id"]))
    emulator.send_document(owner, "article.txt", "Статья о портах и складах. ".encode() * 100, size_shown=False)
    [answer] = await answered(emulator, owner["id"], before)
    assert_clear([answer], "size")
    assert not emulator.calls_to("getFile")


async def test_a_download_is_capped_whatever_size_was_declared(bot, emulator, owner):
    """Telegram said 2 KB; the download goes on past the bot's 1 MB limit: the bot stops reading
    at the limit and refuses the file by name."""
    services = services_of(bot)
    version = await services.content.content_version()
    before = len(emulator.messages_in(owner["id"]))
    small = "Статья о портах. ".encode() * 60
    emulator.send_document(owner, "grows.txt", small)
    stored = next(f for f in emulator.world.files.values() if f.data == small)
    stored.data = small * 2_000  # 3.8 MB behind a Document that says 1.9 KB
    [answer] = await answered(emulator, owner["id"], before)
    assert_clear([answer], "grows.txt")
    assert "1,000,000" in answer["text"], answer["text"]
    assert await services.content.content_version() == version


async def test_a_250_kb_one_sentence_article_is_read_while_readers_are_answered(bot, emulator, owner, anna):
    """One sentence of 22,500 words, within both upload limits: read in bounded memory (see
    tests/reading/test_reading_bounds.py) in a worker thread; a reader who asks meanwhile is
    answered, and no loop callback takes long (the suite's watch)."""
    words = "поставки газа выросли на 28 млрд долларов а товарооборот составил 12 процентов".split()
    rng = random.Random(7)
    text = ("Поставки и цены\n\n" + " ".join(rng.choice(words) for _ in range(22_500)) + ".").encode()
    assert 200_000 < len(text) < 1_000_000
    before = len(emulator.messages_in(owner["id"]))
    emulator.send_document(owner, "one-sentence.txt", text)
    [briefing] = await ask(emulator, anna, "/energy")
    assert briefing["text"].startswith("⚡")
    [preview] = await answered(emulator, owner["id"], before)
    assert_clear([preview], "Статья разобрана")
