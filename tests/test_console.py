"""`python -m bot console` as a sandbox: its own database, the real delivery shown as it
happens, /export saved to a folder, /upload through the document handler (subprocess, typed input)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from bot.app import open_services
from bot.config import load_settings
from tests.conftest import ROOT

ARTICLE = ROOT / "tests" / "fixtures" / "articles" / "03-interview-emdash-npp.txt"
DELIVERY = "📬 ── delivery ──"


def console(tmp_path: Path, lines: list[str], *args: str) -> subprocess.CompletedProcess:
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "PYTHONPATH": str(ROOT),
           "ADMIN_IDS": "1001", "SEEDS_DIR": str(ROOT / "seeds"), "TOPICS_FILE": str(ROOT / "config/topics.yaml"),
           "DATABASE_PATH": str(tmp_path / "real" / "bot.db")}
    result = subprocess.run([sys.executable, "-m", "bot", "console", *args], input="\n".join(lines) + "\n",
                            env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "Что-то пошло не так" not in result.stdout
    return result


# subscribe as a reader; as an editor upload an article, apply, put its draft #10 in own words
# (the reader's draft shows the article's sentences quoted and credited), publish, export
OWN_WORDS = ("/edit 10 Износ генерирующего оборудования торопит стройку | Собеседник считает, что старые станции "
             "пора менять, и видит выход в новой атомной генерации.")
SESSION = ["/subscribe energy", f"/upload {ARTICLE}", "1", "/publish 10", OWN_WORDS, "/publish 10", "1", "/export",
           "/deliveries"]


def test_the_console_is_a_sandbox_that_shows_deliveries_and_saves_exports(tmp_path: Path) -> None:
    out = console(tmp_path, SESSION).stdout
    upload = out.index(f"> /upload {ARTICLE}")
    assert "📝 Статья разобрана" in out[upload:] and "[1] ✅ Применить  [2] ✖️ Отмена" in out[upload:]
    assert "Черновики созданы: 8" in out
    # the first /publish 10 is offered: the draft shows the article's sentences quoted and credited
    assert "слов источника подряд, не в кавычках" not in out and out.count("Опубликовать #10?") == 2
    published = out.index("Справка #10 в эфире; в очередь доставки: 1.")
    exported = out.index("> /export")
    # the sender delivered it to the console user, shown as a delivery before the next command
    delivery = out.index(DELIVERY, published)
    assert delivery < exported
    assert "Износ генерирующего оборудования" in out[delivery:exported]
    files = tmp_path / "data" / "console-files"
    saved = sorted(path.name for path in files.iterdir())
    assert saved == ["03-interview-emdash-npp.yaml", "borisov-2025-11-12.yaml"]
    assert f"saved to {Path('data/console-files/03-interview-emdash-npp.yaml')}" in out
    exported_doc = yaml.safe_load((files / "03-interview-emdash-npp.yaml").read_text(encoding="utf-8"))
    assert any(snippet.get("status") != "draft" for snippet in exported_doc["snippets"])
    assert "Отправлено: 1" in out[exported:] and "В очереди: 0" in out[exported:]
    # the console never touched the real database; its own is data/console.db
    assert not (tmp_path / "real").exists()
    assert (tmp_path / "data" / "console.db").is_file()

    # the sandbox is kept between runs; --reset starts it afresh; an exported file uploads back
    again = console(tmp_path, ["/drafts"]).stdout
    assert "#11" in again
    fresh = console(tmp_path, ["/drafts", f"/upload {files / '03-interview-emdash-npp.yaml'}", "/upload nowhere.txt"],
                    "--reset").stdout
    assert "#11" not in fresh
    assert "[1] ✅ Применить  [2] ✖️ Отмена" in fresh.split("> /upload", 1)[1]
    assert "файл не найден: nowhere.txt" in fresh


async def test_on_the_bots_own_database_the_console_delivers_nothing_and_leaves_nothing(tmp_path: Path) -> None:
    real = tmp_path / "real" / "bot.db"
    out = console(tmp_path, SESSION, "--database", str(real)).stdout
    assert f"The bot's own database {real}" in out
    assert "в очередь доставки: 1." in out
    assert DELIVERY not in out
    assert not (tmp_path / "data").exists()
    settings = load_settings(_env_file=None, database_path=real, seeds_dir=ROOT / "seeds",
                             topics_file=ROOT / "config/topics.yaml")
    services = await open_services(settings)
    try:
        stats = await services.delivery.outbox.stats()
    finally:
        await services.close()
    assert (stats.pending, stats.sent) == (0, 0)  # nothing left for the bot to send user 1001
    assert stats.failed == {"console user": 1}


def test_the_console_shows_the_cards_folded_quotes_previews_and_copy_buttons(tmp_path: Path) -> None:
    out = console(tmp_path, ["/economy", "1"]).stdout
    economy = out[out.index("> /economy"):]
    assert "  ┊ • 4 млрд долларов" in economy and "  ┊ (в Telegram свёрнуто, открывается касанием)" in economy
    assert "  │ «Межрегиональный форум" in economy  # a quote that is not folded keeps its plain bar
    assert "🔗 https://kazpravda.kz/" in economy  # the card's link preview
    assert "[1] 📋 Копировать цитату" in economy
    pressed = out[out.index("> 1"):]
    assert pressed.strip().startswith("> 1\n📋 скопировано: «Межрегиональный форум")
    assert "(Казахстанская правда, 12 ноября 2025)" in pressed
