"""Content files and articles: uploads in Telegram, /export, and the command line."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml
from datetime import date as dt_date

from tests.conftest import ROOT
from tests.conftest import services_of
from tests.helpers import ask, button_with, press

SEED = ROOT / "seeds" / "borisov-2025-11-12.yaml"
ARTICLE = ROOT / "seeds" / "sources" / "borisov-2025-11-12.txt"


@pytest.fixture
def owner(emulator):
    return emulator.make_user(42, "Olga", language_code="ru")


async def upload(emulator, user, name: str, content: bytes | None, count: int = 1, **extra):
    emulator.send_document(user, name, content, **extra)
    return await emulator.wait_for_messages(user["id"], count=count)


def seed_with(**changes) -> bytes:
    data = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if key == "drop":
            data["snippets"] = [s for s in data["snippets"] if s["id"] != value]
        elif key == "retitle":
            snippet_id, title = value
            next(s for s in data["snippets"] if s["id"] == snippet_id)["title"] = title
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode()


async def test_a_content_file_is_summarised_then_applied_in_one_go(bot, emulator, owner):
    ids = {s["topic"]: s["id"] for s in yaml.safe_load(SEED.read_text(encoding="utf-8"))["snippets"]}
    changed = seed_with(retitle=(ids["energy"], "АЭС на Балхаше: уточнённый заголовок"), drop=ids["digital"])
    [summary] = await upload(emulator, owner, "borisov.yaml", changed)
    assert "изменённых: 1" in summary["text"] and "снятых: 1" in summary["text"]
    [briefing] = await ask(emulator, owner, "/energy")
    assert "уточнённый заголовок" not in briefing["text"]  # nothing changed before Apply
    [applied] = await press(emulator, owner, summary, button_with(summary, "ed:ap:"))
    assert "применён" in applied["text"]
    [briefing] = await ask(emulator, owner, "/energy")
    assert "уточнённый заголовок" in briefing["text"]


@pytest.mark.parametrize(
    "name, content, problem",
    [
        ("broken.yaml", b"source: [unclosed\n", "line 2"),
        ("missing.yaml", yaml.safe_dump({"source": {"id": "x"}}).encode(), "field 'source.title'"),
        ("topic.yaml", seed_with().replace(b"topic: energy", b"topic: astrology"), "unknown topic 'astrology'"),
        ("image.png", b"\x89PNG....", "unsupported file type"),
        ("latin1.yaml", "source: é".encode("latin-1"), "not UTF-8"),
        ("invented.yaml", seed_with().replace("рекордных $4 млрд".encode(), "рекордных $9 млрд".encode()),
         "not found verbatim"),
    ],
)
async def test_a_bad_file_is_refused_with_its_problem_and_changes_nothing(bot, emulator, owner, name, content, problem):
    version = await services_of(bot).content.content_version()
    [reply] = await upload(emulator, owner, name, content)
    assert "ничего не изменилось" in reply["text"] and problem in reply["text"]
    assert await services_of(bot).content.content_version() == version
    assert not emulator.messages_in(owner["id"])[-1]["reply_markup"]  # no Apply to press


async def test_an_oversized_file_is_refused_before_download(bot, emulator, owner):
    [reply] = await upload(emulator, owner, "huge.yaml", None, file_size=25_000_000)
    assert "too large" in reply["text"]
    assert not emulator.calls_to("getFile")


async def test_a_stranger_sending_a_file_is_refused(bot, emulator):
    stranger = emulator.make_user(6001, "Mallory")
    [reply] = await upload(emulator, stranger, "borisov.yaml", seed_with())
    assert reply["text"] == "Эта команда недоступна."
    assert not emulator.calls_to("getFile")


async def test_an_article_becomes_drafts_on_the_right_topics(bot, emulator, owner):
    [summary] = await upload(emulator, owner, "borisov-2025-11-12.txt", ARTICLE.read_bytes())
    text = summary["text"]  # before any press: what Apply will create
    assert "Черновиков 7, цифр найдено: 4" in text
    assert "Дата: 12 ноября 2025" in text and "Денис Алексеевич Борисов, российский политолог" in text
    assert "Жанр: интервью" in text
    assert "4 млрд долларов — капиталовложения, 2024 г. (из вопроса интервьюера)" in text
    await press(emulator, owner, summary, button_with(summary, "ed:ap:"))
    drafts = await services_of(bot).editorial.repository.drafts()
    assert {draft.topic for draft in drafts} == {
        "overview", "economy", "energy", "logistics", "digital", "integration", "sovereignty"}
    assert all(draft.source_id == "borisov-2025-11-12-2" for draft in drafts)  # a source of its own
    [listing] = await ask(emulator, owner, "/drafts")
    assert listing["text"].count("#") == 7
    [briefing] = await ask(emulator, owner, "/energy")  # drafts are not on the air
    assert briefing["text"].count("Источник") == 1


async def test_export_sends_the_content_as_a_seed_file_that_imports_unchanged(bot, emulator, owner):
    [document] = await ask(emulator, owner, "/export")
    assert document["document"]["file_name"] == "borisov-2025-11-12.yaml"
    exported = emulator.document_bytes(document["document"]["file_id"])
    assert yaml.safe_load(exported)["source"]["id"] == "borisov-2025-11-12"
    [reply] = await upload(emulator, owner, "borisov-2025-11-12.yaml", exported)
    assert "совпадает" in reply["text"]


def cli(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


@pytest.fixture
def cli_env(settings, seeds_dir):
    import os

    return {**os.environ, "DATABASE_PATH": str(settings.database_path), "SEEDS_DIR": str(seeds_dir),
            "TOPICS_FILE": str(ROOT / "config" / "topics.yaml"), "BOT_TOKEN": "",
            "DATABASE_URL": settings.postgres_url or ""}


def test_cli_check_import_export_and_ingest(cli_env, seeds_dir, tmp_path):
    assert "ok: 7 topics, 1 sources, 7 snippets" in cli("check", env=cli_env).stdout

    ingest = cli("ingest", str(ARTICLE), env=cli_env)
    assert ingest.returncode == 0, ingest.stderr
    assert "added 7" in ingest.stdout
    assert {line.split("/")[1].rsplit("-", 1)[0] for line in ingest.stdout.splitlines() if line.startswith("  + ")} == {
        "overview", "economy", "energy", "logistics", "digital", "integration", "sovereignty"}

    out = tmp_path / "export"
    assert cli("export", str(out), env=cli_env).returncode == 0
    exported = out / "borisov-2025-11-12.yaml"
    dry = cli("import", str(exported), "--dry-run", env=cli_env)
    assert "would change: added 0, changed 0, retired 0" in dry.stdout

    broken = tmp_path / "broken.yaml"
    broken.write_text("source: [", encoding="utf-8")
    refused = cli("import", str(broken), env=cli_env)
    assert refused.returncode == 2 and "not valid YAML at line" in refused.stderr

    (seeds_dir / "bad.yaml").write_text("source: {}\nsnippets: []\n", encoding="utf-8")
    check = cli("check", env=cli_env)
    assert check.returncode == 1 and "bad.yaml" in check.stderr


async def test_from_an_article_to_readers_with_telegram_alone(bot, emulator, owner):
    reader = emulator.make_user(6100, "Reader")
    await ask(emulator, reader, "/subscribe energy")
    [summary] = await upload(emulator, owner, "interview.md", ARTICLE.read_bytes())
    await press(emulator, owner, summary, button_with(summary, "ed:ap:"))
    [listing] = await ask(emulator, owner, "/drafts")
    energy_draft = next(d for d in await services_of(bot).editorial.repository.drafts() if d.topic == "energy")
    # the reader's draft is made of the article's sentences: not publishable until in own words
    [refused] = await press(emulator, owner, listing, f"ed:pub:{energy_draft.id}")
    assert "слов источника подряд, не в кавычках" in refused["text"]
    title = "Энергетика: атомная станция и общее энергокольцо"
    await ask(emulator, owner, f"/edit {energy_draft.id} {title} | Эксперт видит в атомном проекте и "
                               "энергокольце основу долгого сотрудничества двух стран.", count=2)
    _heading, confirm = await press(emulator, owner, listing, f"ed:pub:{energy_draft.id}", count=2)
    await press(emulator, owner, confirm, button_with(confirm, "ed:pn:"))
    [delivered] = await emulator.wait_for_messages(reader["id"])
    assert title in delivered["text"]


async def test_cli_ingest_finds_every_figure_of_the_interview_and_no_other(cli_env, settings):
    from bot.app import open_services

    assert cli("ingest", str(ARTICLE), env=cli_env).returncode == 0
    services = await open_services(settings)
    try:
        rows = await services.db.execute_fetchall(
            """SELECT f.value, f.unit FROM figures f JOIN snippets s ON s.id = f.snippet_id
               WHERE s.source_id = 'borisov-2025-11-12-2' AND s.status = 'draft'"""
        )
        drafted = await services.db.execute_fetchall(
            "SELECT COUNT(*), COUNT(DISTINCT topic) FROM snippets WHERE source_id = 'borisov-2025-11-12-2'"
        )
    finally:
        await services.close()
    assert {(value, unit) for value, unit in rows} == {
        ("4", "млрд долларов"), ("28", "млрд"), ("30", "млрд долларов"), ("20", "тыс. компаний")}
    assert drafted[0] == (7, 7)


async def test_export_keeps_drafts_and_edits_and_imports_back_unchanged(bot, emulator, owner):
    created, _preview = await ask(emulator, owner, "/add energy Черновик экспорта | Росатом и АЭС на Балхаше.", count=2)
    energy = next(v for v in await services_of(bot).content.published_snippets("energy"))
    _heading, confirm = await ask(emulator, owner, f"/edit {energy.id} Энергетика: правка | Росатом и Казатомпром.", count=2)
    await press(emulator, owner, confirm, button_with(confirm, "ed:ap:"))
    documents = await ask(emulator, owner, "/export", count=2)  # the interview, and the editors' notes
    exported = [yaml.safe_load(emulator.document_bytes(d["document"]["file_id"])) for d in documents]
    by_title = {snippet["title"]: (doc, snippet) for doc in exported for snippet in doc["snippets"]}
    note_source, note = by_title["Черновик экспорта"]
    assert note["status"] == "draft" and note_source["source"]["kind"] == "note"
    assert "status" not in by_title["Энергетика: правка"][1]
    for document in documents:
        [reply] = await upload(emulator, owner, "again.yaml", emulator.document_bytes(document["document"]["file_id"]))
        assert "совпадает" in reply["text"]


CORPUS = ROOT / "tests/fixtures/articles"


async def test_an_unseen_news_piece_is_previewed_without_its_page_chrome(bot, emulator, owner):
    article = CORPUS / "01-news-kremlin-talks-chrome.txt"
    [summary] = await upload(emulator, owner, article.name, article.read_bytes())
    text = summary["text"]
    assert "Дата: 12 ноября 2025" in text and "Айгерим Сеитова" in text and "Жанр: новость" in text
    for chrome in ("1056", "Фото: Акорда", "Поделиться", "Подписывайтесь"):
        assert chrome not in text
    assert "• " in text  # its figures, before any press


async def test_from_an_unseen_dash_interview_to_a_readers_briefing(bot, emulator, owner):
    reader = emulator.make_user(6200, "Reader")
    await ask(emulator, reader, "/subscribe sovereignty")
    article = CORPUS / "05-interview-hyphen-zarechnov.txt"
    [summary] = await upload(emulator, owner, article.name, article.read_bytes())
    assert "Дмитрий Заречнов, политолог" in summary["text"] and "Жанр: интервью" in summary["text"]
    assert "Беседовал" not in summary["text"]
    [applied] = await press(emulator, owner, summary, button_with(summary, "ed:ap:"))
    assert "Черновики созданы" in applied["text"]
    drafts = await services_of(bot).editorial.drafts(20)
    draft = next(d for d in drafts if d.topic == "sovereignty")
    # the draft shows the interview's sentences quoted and credited to the interviewee: publishable
    # as it stands (the editor still puts it in their own words below)
    assert draft.summary.startswith(("Дмитрий Заречнов: «", "Дмитрий Заречнов: “"))
    offered = await ask(emulator, owner, f"/publish {draft.id}", count=2)
    assert not any("слов источника подряд" in message["text"] for message in offered)
    title = "Заречнов: суверенитет Казахстана и партнёрство с Россией"
    await ask(emulator, owner, f"/edit {draft.id} {title} | Политолог считает, что самостоятельная "
                               "политика Астаны не мешает тесному союзу с Москвой.", count=2)
    _heading, confirm = await ask(emulator, owner, f"/publish {draft.id}", count=2)
    await press(emulator, owner, confirm, button_with(confirm, "ed:pn:"))
    [delivered] = await emulator.wait_for_messages(reader["id"])
    assert title in delivered["text"] and "Дмитрий Заречнов" in delivered["text"]
    [briefing] = await ask(emulator, reader, "/sovereignty")
    assert title in briefing["text"] and "Дмитрий Заречнов" in briefing["text"]  # the newest first
    # the first screen sums up both, newest first; ◀ shows each whole, in place
    assert briefing["text"].index(title) < briefing["text"].index("Не временные партнёры")
    assert "Сводка по 2 материалам" in briefing["text"]
    def edited(times: int):
        return lambda: next((m for m in emulator.messages_in(reader["id"])
                             if m["message_id"] == briefing["message_id"] and len(m["edits"]) == times), None)

    emulator.press_button(reader, briefing, button_with(briefing, "tp:sovereignty:1"), check=True)  # ◀ the newest whole
    newest = await emulator.wait_for(edited(1))
    assert title in newest["text"] and "Материал 1 из 2" in newest["text"] and "Не временные" not in newest["text"]
    emulator.press_button(reader, newest, button_with(newest, "tp:sovereignty:2"), check=True)  # ◀ the earlier one
    earlier = await emulator.wait_for(edited(2))
    assert "Не временные партнёры" in earlier["text"] and "Материал 2 из 2" in earlier["text"]  # in place
    assert title not in earlier["text"]
    assert "Денис Алексеевич Борисов" in earlier["text"]  # each snippet with its own source line


def test_cli_ingest_dry_run_prints_the_drafts_in_the_seed_format(cli_env):
    article = CORPUS / "05-interview-hyphen-zarechnov.txt"
    result = cli("ingest", str(article), "--dry-run", env=cli_env)
    assert result.returncode == 0, result.stderr
    document = yaml.safe_load(result.stdout.split("\n05-interview")[0])
    assert document["source"]["author"]["name"] == "Дмитрий Заречнов"
    assert document["source"]["date"] in ("2025-11-13", dt_date(2025, 11, 13))
    assert all(snippet["status"] == "draft" for snippet in document["snippets"])
    assert "would change: added" in result.stdout


async def test_an_editor_keeps_only_the_three_latest_uploads_waiting(bot, emulator, owner):
    """Each try of a content file waits for Apply with the whole file; an editor's older tries
    expire as newer ones come (an old Apply says so), so a busy desk does not pile them up."""
    ids = {s["topic"]: s["id"] for s in yaml.safe_load(SEED.read_text(encoding="utf-8"))["snippets"]}
    summaries = []
    for n in range(4):
        [summary] = await upload(emulator, owner, f"try{n}.yaml", seed_with(retitle=(ids["energy"], f"АЭС: попытка {'абвг'[n]}")))
        summaries.append(summary)
    [oldest] = await press(emulator, owner, summaries[0], button_with(summaries[0], "ed:ap:"))
    assert "устарело" in oldest["text"]
    [briefing] = await ask(emulator, owner, "/energy")
    assert "попытка" not in briefing["text"]  # nothing applied
    [latest] = await press(emulator, owner, summaries[3], button_with(summaries[3], "ed:ap:"))
    assert "применён" in latest["text"]
    [briefing] = await ask(emulator, owner, "/energy")
    assert "АЭС: попытка г" in briefing["text"]


def _out_of_memory(*args, **kwargs):
    raise MemoryError("the reader gave up")


def _out_of_stack(*args, **kwargs):
    raise RecursionError("the reader gave up")


@pytest.mark.parametrize("fault", [MemoryError, RecursionError])
async def test_an_article_that_exhausts_the_reader_is_refused_by_name(services, monkeypatch, fault) -> None:
    """Whatever the reader's bounds miss, running out of memory or stack on one text is a
    refusal that names the file, and nothing changes."""
    from bot.domain.actors import Actor
    from bot.services import importing

    # module-level, so the reading process can take it (its arguments and result cross as pickles)
    monkeypatch.setattr(importing, "read_drafts", _out_of_memory if fault is MemoryError else _out_of_stack)
    version = await services.content.content_version()
    replies = await services.desk.upload(Actor(42, "Olga", "test"), "en", "huge-sentence.txt",
                                         "Одно предложение без конца".encode())
    text = "\n".join(part for reply in replies for part in reply.parts)
    assert "huge-sentence.txt" in text and "could not be read" in text, text
    assert await services.content.content_version() == version
