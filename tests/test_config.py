"""Configuration: documented names, clear one-line errors with exit status 2, no tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, Settings, load_settings
from tests.conftest import ROOT


def run_bot(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    clean = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "PYTHONPATH": str(ROOT), **env}
    return subprocess.run([sys.executable, "-m", "bot", *args], env=clean, cwd=cwd,
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize(
    ("env", "field"),
    [
        ({"ADMIN_IDS": "12,abc"}, "ADMIN_IDS"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"BOT_TOKEN": "not-a-token"}, "BOT_TOKEN"),
        ({"TELEGRAM_BASE_URL": "ftp://example"}, "TELEGRAM_BASE_URL"),
    ],
)
def test_bad_value_is_one_clear_line_and_exit_2(tmp_path: Path, env: dict[str, str], field: str) -> None:
    result = run_bot(env=env, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: invalid configuration:") and field in lines[0]
    assert "Traceback" not in result.stderr


def test_bad_token_value_is_not_echoed(tmp_path: Path) -> None:
    result = run_bot(env={"BOT_TOKEN": "123:short-secret-value"}, cwd=tmp_path)
    assert result.returncode == 2
    assert "short-secret-value" not in result.stderr + result.stdout


def test_without_token_the_bot_explains_and_points_to_the_console(tmp_path: Path) -> None:
    result = run_bot(env={"BOT_TOKEN": ""}, cwd=tmp_path)
    assert result.returncode == 2
    assert "@BotFather" in result.stderr and "python -m bot console" in result.stderr


def test_invalid_seed_stops_startup_with_one_line(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "bad.yaml").write_text("source: {id: x}\nsnippets: []\n", encoding="utf-8")
    result = run_bot("console", env={"SEEDS_DIR": str(seeds), "TOPICS_FILE": str(ROOT / "config/topics.yaml"),
                                     "DATABASE_PATH": str(tmp_path / "db.sqlite3")}, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().startswith("error: bad.yaml: field 'source.title'")
    assert len(result.stderr.strip().splitlines()) == 1


def test_console_answers_topic_commands_without_a_token(tmp_path: Path) -> None:
    env = {"SEEDS_DIR": str(ROOT / "seeds"), "TOPICS_FILE": str(ROOT / "config/topics.yaml"),
           "DATABASE_PATH": str(tmp_path / "db.sqlite3")}
    clean = {"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT), **env}
    result = subprocess.run([sys.executable, "-m", "bot", "console"], input="/energy\n2\n/quit\n",
                            env=clean, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Энергетика" in result.stdout and "Балхаш" in result.stdout
    # energy has no figures, so no figures button; the quote's copy button comes first
    assert "[1] 📋 Копировать цитату  [2] 💬 Цитата" in result.stdout
    assert result.stdout.count("│ «") >= 2  # the briefing's quote, then the one the button asked for


def test_admin_ids_are_comma_separated_integers() -> None:
    assert load_settings(_env_file=None, admin_ids="1, 22,333").admin_ids == {1, 22, 333}
    with pytest.raises(ConfigError, match="ADMIN_IDS"):
        load_settings(_env_file=None, admin_ids="1;2")


@pytest.mark.parametrize(
    ("base", "files"),
    [
        ("https://api.telegram.org/bot", "https://api.telegram.org/file/bot"),
        ("http://localhost:8081/bot", "http://localhost:8081/file/bot"),
        ("http://proxy/tg/bot/", "http://proxy/tg/file/bot"),
    ],
)
def test_file_downloads_follow_the_base_url(base: str, files: str) -> None:
    assert load_settings(_env_file=None, telegram_base_url=base).base_file_url == files


def test_every_setting_is_documented() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = (ROOT / "config" / ".env.example").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"`{name.upper()}`" in readme, name
        assert f"{name.upper()}=" in example, name


async def start_bot_against(base_url: str, tmp_path: Path, database_url: str | None) -> tuple[int, str]:
    """`python -m bot` with a well-formed token and the given Bot API, on the test's database
    (the PostgreSQL pass: its schema); (exit status, stderr)."""
    import asyncio

    env = {"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT),
           "BOT_TOKEN": "654321:ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ", "TELEGRAM_BASE_URL": base_url,
           "SEEDS_DIR": str(ROOT / "seeds"), "TOPICS_FILE": str(ROOT / "config/topics.yaml"),
           "DATABASE_PATH": str(tmp_path / "db.sqlite3"), "DATABASE_URL": database_url or ""}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", env=env, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, stdin=asyncio.subprocess.DEVNULL)
    _, err = await asyncio.wait_for(process.communicate(), 60)
    return process.returncode, err.decode()


async def test_a_token_telegram_rejects_is_one_clear_line(tmp_path: Path, emulator, database_url) -> None:
    status, err = await start_bot_against(emulator.base_url, tmp_path, database_url)
    assert status == 2
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert lines == ["error: Telegram rejected BOT_TOKEN; check it with @BotFather (/mybots → API Token)"]
    assert "Traceback" not in err and "ZZZZZZZZ" not in err


async def test_an_unreachable_bot_api_is_one_clear_line(tmp_path: Path, database_url) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    status, err = await start_bot_against(f"http://127.0.0.1:{port}/bot", tmp_path, database_url)
    assert status == 1
    assert "error: cannot reach the Bot API at TELEGRAM_BASE_URL" in err
    assert "Traceback" not in err and "ZZZZZZZZ" not in err


def test_an_in_memory_database_is_refused() -> None:
    with pytest.raises(ConfigError, match="DATABASE_PATH: must be a file path"):
        load_settings(_env_file=None, database_path=":memory:")


def test_an_unknown_default_timezone_is_refused() -> None:
    with pytest.raises(ConfigError, match="DEFAULT_TIMEZONE: unknown time zone"):
        load_settings(_env_file=None, default_timezone="Mars/Olympus")


def test_console_shows_a_chart_and_buttons_that_edit_in_place(tmp_path: Path) -> None:
    env = {"SEEDS_DIR": str(ROOT / "seeds"), "TOPICS_FILE": str(ROOT / "config/topics.yaml"),
           "DATABASE_PATH": str(tmp_path / "db.sqlite3")}
    clean = {"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT), **env}
    # /figures economy: a chart with its caption; then the last button (the topic menu) of it
    result = subprocess.run([sys.executable, "-m", "bot", "console"], input="/figures economy\n5\n/quit\n",
                            env=clean, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "[picture figures.png" in result.stdout and "28 млрд" in result.stdout
    assert "(edited)" in result.stdout  # the menu replaced the message the button was under
    assert "Что-то пошло не так" not in result.stdout


def test_deliveries_in_flight_default_to_what_the_rate_needs() -> None:
    assert load_settings(_env_file=None).delivery_concurrency == 16
    assert load_settings(_env_file=None, paid_broadcast=True).delivery_concurrency == 64  # 1000/s × RTT
    assert load_settings(_env_file=None, paid_broadcast=True, delivery_concurrency=8).delivery_concurrency == 8


@pytest.mark.parametrize("url, accepted", [
    ("https://api.example.org/v1", True),
    ("http://localhost:11434/v1", True),
    ("http://127.0.0.1:8000/v1", True),
    ("http://[::1]:8000/v1", True),
    ("http://api.example.org/v1", False),  # the API key would cross the network in clear
    ("http://8.8.8.8/v1", False),
    ("ftp://localhost/v1", False),
])
def test_a_language_model_is_reached_over_https_or_on_a_local_address(url: str, accepted: bool) -> None:
    if accepted:
        assert load_settings(_env_file=None, llm_base_url=url, llm_model="m").llm_base_url == url
    else:
        with pytest.raises(ConfigError, match="LLM_BASE_URL"):
            load_settings(_env_file=None, llm_base_url=url, llm_model="m")
