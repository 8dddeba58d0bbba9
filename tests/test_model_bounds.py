"""The model, bounded: a fake OpenAI-compatible server that answers too much, nested, malformed,
slowly, or with numbers in words the article never states — through the Bot API emulator as an
editor meets it (upload, preview, Apply), and the guard's rules on their own."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from aiohttp import web
from hypothesis import given, settings as hypothesis_settings, strategies as st

from bot.services.ingest.model import ANSWER_LIMIT, Drafting, ground, parse_answer, Unusable
from tests.conftest import running_bot, services_of
from tests.helpers import button_with, press

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "seeds/sources/borisov-2025-11-12.txt"  # "28 млрд", "$30 млрд", "20 тысяч компаний"
OWNER_ID = 42


def chat_answer(content) -> dict:
    return {"choices": [{"message": {"content": content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)}}]}


def passage_of(body: dict) -> str:
    return body["messages"][1]["content"].split("Passage:\n", 1)[1]


class FakeModel:
    """A chat-completions endpoint whose answer a test chooses: `answer(n, body)` gives the body
    of the n-th request (from 1) — bytes, a dict sent as JSON, or a coroutine's result."""

    def __init__(self, answer: Callable) -> None:
        self.answer = answer
        self.requests: list[dict] = []

    async def handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        self.requests.append(body)
        result = self.answer(len(self.requests), body)
        if asyncio.iscoroutine(result):
            result = await result
        if isinstance(result, web.StreamResponse):
            return result
        if callable(result):  # a streamed answer, written by the test's function
            response = web.StreamResponse()
            response.enable_chunked_encoding()
            await response.prepare(request)
            try:
                await result(response)
            except (ConnectionResetError, RuntimeError):
                pass  # the bot stopped reading: as it should
            return response
        data = result if isinstance(result, bytes) else json.dumps(result, ensure_ascii=False).encode()
        return web.Response(body=data, content_type="application/json")


@pytest.fixture
async def model_server():
    servers = []

    async def start(answer: Callable) -> tuple[str, FakeModel]:
        fake = FakeModel(answer)
        app = web.Application()
        app.router.add_post("/v1/chat/completions", fake.handle)
        runner = web.AppRunner(app, shutdown_timeout=0.1)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        servers.append(runner)
        return f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/v1", fake

    yield start
    for runner in servers:
        await runner.cleanup()


@pytest.fixture
def owner(emulator):
    return emulator.make_user(OWNER_ID, "Olga", language_code="ru")


def with_model(settings, url: str, timeout: float = 20.0):
    return settings.model_copy(update={"llm_base_url": url, "llm_model": "fake", "llm_timeout": timeout})


async def plain_titles(settings) -> list[str]:
    """The bot's own drafts of the article, without a model."""
    from bot.app import open_services

    services = await open_services(settings)
    try:
        upload = await services.intake.read(ARTICLE.read_bytes(), ARTICLE.name)
    finally:
        await services.close()
    return [snippet.title for snippet in upload.item.content.snippets]


async def upload_and_apply(bot, emulator, owner, fake: FakeModel):
    """The article sent as a document: its preview, then Apply; the drafts Apply created, and
    how many requests the model had by the preview."""
    emulator.send_document(owner, ARTICLE.name, ARTICLE.read_bytes())
    [preview] = await emulator.wait_for_messages(owner["id"], timeout=30)
    asked = len(fake.requests)
    [applied] = await press(emulator, owner, preview, button_with(preview, "ed:ap:"))
    assert "Черновики созданы" in applied["text"]
    drafts = sorted(await services_of(bot).editorial.drafts(50), key=lambda record: record.id)
    return preview["text"], drafts, asked


def previewed_titles(preview: str) -> list[str]:
    return re.findall(r"^\d+\. .+? — (.+)$", preview, flags=re.M)


# --- numbers the article does not state ------------------------------------------------------


def inventive(n: int, body: dict) -> dict:
    """An honest title that differs with each request (so a second asking would show), and a
    summary and label with numbers in words and a borrowed number."""
    variant = "АБВГДЕЖЗИКЛМНОПРСТУФ"[(n - 1) % 20]
    return chat_answer({
        "title": f"Казахстан и Россия: прагматичное партнёрство, взгляд {variant}",
        "summary": "Товарооборот вырос вдвое и достигнет девятисот миллиардов долларов.",
        "labels": ["число компаний выросло в 20 раз"],
        "quotes": [],
    })  # fmt: skip


async def test_numbers_in_words_and_borrowed_numbers_are_dropped_and_apply_creates_what_the_preview_showed(
    settings, emulator, owner, model_server,
) -> None:
    url, fake = await model_server(inventive)
    async with running_bot(with_model(settings, url), emulator) as bot:
        preview, drafts, asked = await upload_and_apply(bot, emulator, owner, fake)
        assert asked == len(drafts)  # one request per draft, at the preview
        assert len(fake.requests) == asked  # Apply asked the model nothing
        # what the guard dropped, and why, is in the preview
        assert "Языковая модель: что не принято и почему" in preview
        assert "summary: " in preview and ("вдвое" in preview or "девятисот" in preview)
        assert "20 раз: в источнике нет такой кратности" in preview
        # the drafts Apply created are exactly those previewed: the titles of the first asking
        assert [d.title for d in drafts] == previewed_titles(preview)
        assert all("взгляд" in d.title for d in drafts)
        for draft in drafts:
            [view] = await services_of(bot).content.snippets_by_id([draft.id])
            written = " ".join([view.summary, *(f.label for f in view.figures)])
            assert "вдвое" not in written and "девятисот" not in written and "20 раз" not in written


# --- answers that must not be taken ----------------------------------------------------------


async def streamed_megabyte(response: web.StreamResponse) -> None:
    await response.write(b'{"choices": [{"message": {"content": "')
    for _ in range(64):
        await response.write(b"x" * 16384)


ANSWERS = {
    "over the cap, streamed": lambda n, body: streamed_megabyte,
    "over the cap, declared": lambda n, body: json.dumps(chat_answer("x" * (ANSWER_LIMIT + 10))).encode(),
    "100,000 nested brackets": lambda n, body: b"[" * 100_000 + b"]" * 100_000,
    "nested within the cap": lambda n, body: chat_answer("[" * 30_000 + "]" * 30_000),
    "nested answer object": lambda n, body: b'{"choices": ' + b"[" * 20_000 + b"]" * 20_000 + b"}",
    "dicts where text belongs": lambda n, body: chat_answer(
        {"title": {"text": "x"}, "summary": ["a"], "labels": "рост", "quotes": [{"q": 1}, 5]}),
    "wrong types in the envelope": lambda n, body: {"choices": "none"},
    "content is a list": lambda n, body: chat_answer(["title", "summary"]),
    "not UTF-8": lambda n, body: b"\xff\xfe{" * 100,
    "an empty answer": lambda n, body: b"",
}


EXPECTED = {
    "over the cap, streamed": "over 64 KB", "over the cap, declared": "over 64 KB",
    "100,000 nested brackets": "over 64 KB", "dicts where text belongs": "title: not text (dict)",
}


@pytest.mark.parametrize("kind", list(ANSWERS))
async def test_an_unusable_answer_keeps_the_bots_own_drafts(settings, emulator, owner, model_server, kind) -> None:
    own = await plain_titles(settings)
    url, fake = await model_server(ANSWERS[kind])
    async with running_bot(with_model(settings, url), emulator) as bot:
        preview, drafts, asked = await upload_and_apply(bot, emulator, owner, fake)
        assert [d.title for d in drafts] == own == previewed_titles(preview)  # the bot's own, as previewed
        assert len(fake.requests) == asked
        assert "Языковая модель: что не принято и почему" in preview
        assert "Traceback" not in preview and "Что-то пошло не так" not in preview
    assert EXPECTED.get(kind, "not the JSON asked for") in preview  # what went wrong, named
    if "over 64 KB" in preview:
        assert asked == 1  # not asked again for this upload


async def test_one_timeout_stops_the_asking_for_the_whole_upload(settings, emulator, owner, model_server) -> None:
    async def slow(n: int, body: dict):
        await asyncio.sleep(30)
        return inventive(n, body)

    own = await plain_titles(settings)
    url, fake = await model_server(slow)
    async with running_bot(with_model(settings, url, timeout=1.0), emulator) as bot:
        preview, drafts, asked = await upload_and_apply(bot, emulator, owner, fake)
        assert asked == 1 and len(fake.requests) == 1  # after the first timeout, nothing more asked
        assert [d.title for d in drafts] == own
        assert f"drafts #1–#{len(own)} keep the bot's own text" in preview


async def test_after_a_timeout_the_drafts_already_improved_stay(settings, model_server) -> None:
    from bot.app import open_services

    async def second_is_slow(n: int, body: dict):
        if n >= 2:
            await asyncio.sleep(30)
        return inventive(n, body)

    url, fake = await model_server(second_is_slow)
    services = await open_services(with_model(settings, url, timeout=1.5))
    try:
        upload = await services.intake.read(ARTICLE.read_bytes(), ARTICLE.name)
    finally:
        await services.close()
    titles = [snippet.title for snippet in upload.item.content.snippets]
    assert len(fake.requests) == 2 and "взгляд А" in titles[0] and all("взгляд" not in t for t in titles[1:])
    assert any(f"drafts #2–#{len(titles)} keep the bot's own text" in note for note in upload.notes)
    assert Drafting.from_json(upload.drafting).kept[0]["title"] == titles[0]  # kept for Apply


# --- the guard on its own ----------------------------------------------------------------------

PASSAGE = ("Сегодня Россия – крупнейший торговый (28 млрд) и инвестиционный партнер. Здесь работают 20 тысяч "
           "компаний с российским участием. В два раза выросли поставки.")


@pytest.mark.parametrize("text, dropped", [
    ("Оборот вырос вдвое", False),  # "в два раза" is in the passage
    ("Оборот вырос втрое", True),
    ("Оборот достигнет девятисот миллиардов долларов", True),
    ("Работают двадцать тысяч компаний", False),
    ("Работают тридцать тысяч компаний", True),
    ("Trade will reach nine hundred billion", True),
])  # fmt: skip
def test_numbers_in_words_are_read(text, dropped) -> None:
    kept = ground({"title": text, "summary": "Итоги визита.", "labels": [], "quotes": []}, PASSAGE, [])
    assert (kept.title is None) == dropped, kept.refused


def test_a_number_borrowed_with_another_unit_is_dropped() -> None:
    figures = [{"value": 20, "unit": "тыс. компаний"}]
    kept = ground({"title": "Число компаний выросло в 20 раз", "summary": "Работают 20 тысяч компаний.",
                   "labels": ["компании с российским участием"], "quotes": []}, PASSAGE, figures)
    assert kept.title is None and kept.refused[0].startswith("title:") and "20" in kept.refused[0]
    assert kept.summary == "Работают 20 тысяч компаний."  # the passage's 20 with its own unit
    assert kept.labels == ("компании с российским участием",)


def test_a_proposal_copying_eight_words_of_the_article_is_dropped_and_quoted_it_is_kept() -> None:
    copied = "Здесь работают 20 тысяч компаний с российским участием"
    kept = ground({"title": "Бизнес", "summary": f"{copied}.", "labels": [], "quotes": []}, PASSAGE, [])
    assert kept.summary is None and any("repeats 8 words of the article" in r for r in kept.refused)
    quoted = ground({"title": "Бизнес", "summary": f"«{copied}», — говорит эксперт.", "labels": [], "quotes": []}, PASSAGE, [])
    assert quoted.summary and not quoted.refused


def test_a_quote_from_the_interviewers_question_is_nobodys_quote() -> None:
    question = "Почему визит называют рубежным событием для двух стран?"
    passage = f"{question}\n\n{PASSAGE}"
    kept = ground({"title": "Визит", "summary": "Визит важен.", "labels": [], "quotes": [question]}, passage, [],
                  question=question)
    assert kept.quotes == () and "the interviewer's question" in kept.refused[0]


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(["title", "summary", "labels", "quotes", "x"]), inner, max_size=4),
    max_leaves=30,
)


@hypothesis_settings(max_examples=300, deadline=None)
@given(JSONISH)
def test_any_answer_is_read_or_refused_never_a_crash(value) -> None:
    raw = json.dumps(chat_answer(value) if isinstance(value, dict) else value).encode()
    try:
        proposal = parse_answer(raw)
    except Unusable:
        return
    kept = ground(proposal, PASSAGE, [{"value": 28, "unit": "млрд"}])
    assert kept.title is None or isinstance(kept.title, str)
    assert all(label is None or isinstance(label, str) for label in kept.labels)
    assert all(isinstance(quote, str) and quote in PASSAGE for quote in kept.quotes)
