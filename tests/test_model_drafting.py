"""Drafting by a language model, held to the source: a fake OpenAI-compatible server that
invents figures, misquotes and times out. No invented number reaches a draft or a reader."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import pytest
from aiohttp import web

from bot.app import open_services
from bot.domain.actors import Actor
from bot.services.ingest.model import ground

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "tests/fixtures/articles/05-interview-hyphen-zarechnov.txt"
EDITOR = Actor(42, "Olga", "telegram")


class FakeModel:
    """Answers chat completions like an over-eager model: an honest title for every passage,
    but an invented number in each summary, an invented label, and a made-up quote."""

    def __init__(self, mode: str = "inventive") -> None:
        self.mode = mode
        self.requests: list[dict] = []

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.requests.append(body)
        if self.mode == "slow":
            await asyncio.sleep(5)
        if self.mode == "garbage":
            return web.json_response({"choices": [{"message": {"content": "Sure! Here is your draft: ..."}}]})
        if self.mode == "error":
            return web.Response(status=500, text="overloaded")
        passage = body["messages"][1]["content"].split("Passage:\n", 1)[1]
        first = re.split(r"(?<=[.!?])\s+", passage.strip())[0]
        content = {
            "title": "Эксперт: Казахстан говорит с Россией на равных",
            "summary": "По оценке эксперта, товарооборот вырастет до $500 млрд к 2030 году. " + first[:200],
            "labels": ["рост на 77%"],
            "quotes": ["Это цитата, которой в тексте нет совсем."],
        }
        return web.json_response({"choices": [{"message": {"content": json.dumps(content, ensure_ascii=False)}}]})


@pytest.fixture
async def model_server():
    servers = []

    async def start(mode: str = "inventive") -> tuple[str, FakeModel]:
        fake = FakeModel(mode)
        app = web.Application()
        app.router.add_post("/v1/chat/completions", fake.handle)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        servers.append(runner)
        port = site._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}/v1", fake

    yield start
    for runner in servers:
        await runner.cleanup()


async def drafts_with(settings, base_url: str, timeout: float = 10.0):
    configured = settings.model_copy(update={"llm_base_url": base_url, "llm_model": "fake", "llm_timeout": timeout})
    services = await open_services(configured)
    try:
        upload = await services.intake.read(ARTICLE.read_bytes(), ARTICLE.name)
    finally:
        await services.close()
    return upload


def numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+", text))


async def test_invented_numbers_and_quotes_never_reach_a_draft(settings, model_server) -> None:
    url, fake = await model_server()
    upload = await drafts_with(settings, url)
    assert fake.requests and fake.requests[0]["response_format"]["type"] == "json_schema"
    article = ARTICLE.read_text(encoding="utf-8")
    for snippet in upload.item.content.snippets:
        written = " ".join([snippet.title, snippet.summary, *(f.label for f in snippet.figures)])
        assert "500" not in written and "77" not in written
        assert numbers(written) <= numbers(article)
        for quote in snippet.quotes:
            assert quote.text in article
    assert any(s.title == "Эксперт: Казахстан говорит с Россией на равных" for s in upload.item.content.snippets)
    assert any("500" in note for note in upload.notes)  # the editor is told what was dropped and why
    assert any("not verbatim" in note for note in upload.notes)


@pytest.mark.parametrize("mode", ["garbage", "error"])
async def test_a_broken_model_leaves_the_readers_drafts(settings, model_server, mode) -> None:
    url, _fake = await model_server(mode)
    upload = await drafts_with(settings, url)
    assert upload.notes and all("kept" in note for note in upload.notes)
    services = await open_services(settings)
    try:
        plain = await services.intake.read(ARTICLE.read_bytes(), ARTICLE.name)
    finally:
        await services.close()
    assert upload.item.content.snippets == plain.item.content.snippets  # exactly the reader's drafts


async def test_a_model_that_times_out_leaves_the_readers_drafts(settings, model_server) -> None:
    url, _fake = await model_server("slow")
    upload = await drafts_with(settings, url, timeout=0.5)
    assert upload.item.content.snippets
    assert any("keep the bot's own text" in note for note in upload.notes)


async def test_without_a_model_nothing_is_asked(settings) -> None:
    services = await open_services(settings)
    try:
        upload = await services.intake.read(ARTICLE.read_bytes(), ARTICLE.name)
    finally:
        await services.close()
    assert services.intake.drafter is None and upload.notes == ()


def test_the_guard_checks_units_too() -> None:
    passage = "Товарооборот достиг 28 млрд долларов, а инвестиции — 4 млрд."
    figures = [{"value": 28, "unit": "млрд долларов"}]
    honest = ground({"title": "Товарооборот 28 млрд", "summary": "Оборот — 28 млрд долларов.", "labels": ["оборот"], "quotes": []}, passage, figures)
    assert honest.title and honest.summary and honest.labels == ("оборот",) and not honest.refused
    shifted = ground({"title": "Инвестиции 28%", "summary": "Рост 4 трлн.", "labels": ["x"], "quotes": []}, passage, figures)
    assert shifted.title is None and shifted.summary is None and len(shifted.refused) == 2
    assert ground("not json", passage, figures).refused


async def test_an_editor_sees_in_the_preview_what_the_model_proposed_and_the_guard_refused(
    settings, emulator, model_server
) -> None:
    from tests.conftest import running_bot

    url, _fake = await model_server()
    configured = settings.model_copy(update={"llm_base_url": url, "llm_model": "fake"})
    owner = emulator.make_user(42, "Olga", language_code="ru")
    async with running_bot(configured, emulator):
        emulator.send_document(owner, ARTICLE.name, ARTICLE.read_bytes())
        [summary] = await emulator.wait_for_messages(owner["id"], timeout=20)
    assert "Языковая модель: что не принято и почему" in summary["text"]
    assert "500" in summary["text"]  # the invented number, named as refused
    assert "Эксперт: Казахстан говорит с Россией на равных" in summary["text"]  # the grounded title, adopted
