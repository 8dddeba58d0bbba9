"""Settings, read once from the environment and an optional `.env` file.

The variable names are a public contract (README, `config/.env.example`); each field's
description is the text the README's configuration table is checked against.
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_BASE_URL = "https://api.telegram.org/bot"
HEALTH_PATH = "/healthz"  # the webhook server's health check
# DELIVERY_CONCURRENCY when unset: ample for the free ~28 messages a second; a paid broadcast's
# 1000 a second needs 1000 × (Telegram's round trip) in flight, e.g. 64 for 64 ms
FREE_DELIVERY_CONCURRENCY, PAID_DELIVERY_CONCURRENCY = 16, 64


class ConfigError(Exception):
    """A setting has a value the bot cannot run with; the message is one line for stderr."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr | None = Field(
        default=None,
        description="Bot token from @BotFather. Without it `python -m bot` explains how to get one; "
        "`python -m bot console` needs none.",
    )
    telegram_base_url: str = Field(
        default=DEFAULT_BASE_URL,
        description="Bot API endpoint in python-telegram-bot's `base_url` form; file downloads use "
        "the same host with `/file/bot`.",
    )
    admin_ids: Annotated[frozenset[int], NoDecode] = Field(
        default=frozenset(),
        description="Comma-separated Telegram user ids of the content owners.",
    )
    database_path: Path = Field(
        default=Path("data/bot.db"), description="SQLite database file; its folder is created."
    )
    database_url: SecretStr | None = Field(
        default=None,
        description="PostgreSQL instead of the SQLite file: `postgresql://user:password@host:5432/dbname`. "
        "Several replicas may share it (see \"Scaling out\"); unset: SQLite at DATABASE_PATH.",
    )
    seeds_dir: Path = Field(default=Path("seeds"), description="Folder of curated source files.")
    topics_file: Path = Field(
        default=Path("config/topics.yaml"), description="Topic catalogue (commands, titles, keywords)."
    )
    mode: Literal["polling", "webhook"] = Field(
        default="polling", description="`polling` (long polling) or `webhook` (a web process)."
    )
    webhook_url: str | None = Field(
        default=None,
        description="URL the Bot API posts updates to (webhook mode): https:// for Telegram's own API; "
        "with a local Bot API server (TELEGRAM_BASE_URL elsewhere) http:// and local addresses work too.",
    )
    webhook_secret: SecretStr | None = Field(
        default=None, description="Secret Telegram sends with every update (webhook mode; required)."
    )
    port: int = Field(default=8080, ge=1, le=65535, description="Port the web server (the webhook, the desk) listens on.")
    webhook_listen: str = Field(default="0.0.0.0", description="Address the webhook server binds.")
    log_level: str = Field(default="INFO", description="DEBUG, INFO, WARNING or ERROR.")
    log_format: Literal["text", "json"] = Field(
        default="text", description="`text` (readable) or `json` (one object per line)."
    )
    rate_limit_requests: int = Field(
        default=20, ge=1, description="Requests one user may make per RATE_LIMIT_WINDOW seconds."
    )
    rate_limit_window: float = Field(default=10.0, gt=0, description="Seconds of the per-user limit.")
    max_send_rate: float = Field(
        default=28.0, gt=0,
        description="Messages per second the bot sends over all chats, replies and deliveries together "
        "(Telegram allows about 30); set it high (e.g. 100000) behind a local Bot API server to lift the cap. "
        "Per-chat limits and Telegram's \"retry after\" hold either way.",
    )
    paid_broadcast: bool = Field(
        default=False,
        description="Send deliveries (not replies) as paid broadcasts (`allow_paid_broadcast`): up to "
        "PAID_BROADCAST_RATE messages per second, 0.1 Star each from the bot's balance.",
    )
    paid_broadcast_rate: float = Field(
        default=1000.0, gt=0, le=1000,
        description="Messages per second of a paid broadcast (at most Telegram's 1000).",
    )
    concurrent_updates: int = Field(
        default=32, ge=1, le=1024,
        description="Updates handled at once (across chats; one chat's updates stay in order).",
    )

    default_timezone: str = Field(
        default="Europe/Moscow",
        description="Time zone for digest times until a chat sets its own with /timezone "
        "(an IANA name such as `Asia/Almaty`, or an offset such as `+05:00`).",
    )
    delivery_concurrency: int | None = Field(
        default=None, ge=1, le=256,
        description="Deliveries in flight at once; also the most a crash can send twice. Unset: "
        f"{FREE_DELIVERY_CONCURRENCY}, or {PAID_DELIVERY_CONCURRENCY} with PAID_BROADCAST=true (1000 messages "
        "a second need that many in flight when each takes tens of milliseconds to Telegram and back).",
    )
    outbox_retention_days: float = Field(
        default=30.0, ge=0, le=3650,
        description="Days sent and failed deliveries are kept (their counts stay for /deliveries); "
        "older copies are no longer corrected when a snippet is edited. 0 keeps them for ever.",
    )

    llm_base_url: str | None = Field(
        default=None,
        description="OpenAI-compatible chat-completions endpoint (e.g. http://localhost:11434/v1 for "
        "Ollama) that proposes drafts for uploaded articles; https://, or plain http:// only to a local "
        "address (loopback or private). Unset: no model is used.",
    )
    llm_model: str | None = Field(default=None, description="Model name sent to LLM_BASE_URL.")
    llm_api_key: SecretStr | None = Field(default=None, description="API key for LLM_BASE_URL, if it needs one.")
    llm_timeout: float = Field(
        default=30.0, gt=0, le=600, description="Seconds all of one upload's model requests may take together; past "
        "them (or after the first request that times out) the model is asked nothing more and the remaining "
        "drafts keep the bot's own text."
    )

    desk_url: str | None = Field(
        default=None,
        description="Public https URL of the editor's desk (a Telegram Mini App, e.g. "
        "https://bot.example.org/desk/); the bot serves it on PORT at this URL's path, behind the "
        "same TLS proxy as the webhook. Unset: no desk.",
    )
    fetch_allow_private: bool = Field(
        default=False,
        description="Let links and feeds reach loopback, private, link-local and other non-public "
        "addresses. Only for a test server on 127.0.0.1: UNSAFE in production (it lets anyone who can "
        "send the bot a link reach the bot's own machine and network).",
    )
    fetch_timeout: float = Field(
        default=20.0, gt=0, le=120, description="Seconds one page or feed request may take, body included."
    )
    feed_poll_seconds: float = Field(
        default=600.0, gt=0, le=7 * 86400,
        description="Seconds between polls of each feed (a failing feed backs off: twice as long after each "
        "failure, up to a day).",
    )
    desk_auth_max_age: int = Field(
        default=86400, ge=60, le=7 * 86400,
        description="Seconds the desk accepts a Mini App's launch data after Telegram signed it.",
    )

    @field_validator("desk_url")
    @classmethod
    def _desk_url(cls, value: str | None) -> str | None:
        if value is None:
            return value
        parts = urlsplit(value.strip())
        if parts.scheme != "https" or not parts.hostname:
            raise ValueError("must be an https:// URL (Telegram opens Mini Apps over https only)")
        if parts.query or parts.fragment:
            raise ValueError("must have no query or fragment (Telegram adds its own)")
        if not parts.path.strip("/"):
            raise ValueError("must have a path of its own, e.g. https://bot.example.org/desk/")
        return value.strip().rstrip("/") + "/"

    @property
    def desk_path(self) -> str | None:
        """The path the desk is served at (no trailing slash), or None without a desk."""
        return "/" + urlsplit(self.desk_url).path.strip("/") if self.desk_url else None

    @field_validator("llm_base_url", "llm_model", "desk_url", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("llm_base_url")
    @classmethod
    def _llm_url(cls, value: str | None) -> str | None:
        if value is None:
            return value
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must start with http:// or https://")
        if parts.scheme == "http" and not _local_host(parts.hostname):
            # LLM_API_KEY and the article's text would cross the network in clear
            raise ValueError(f"plain http:// only to a local address ({parts.hostname} is not); use https://")
        return value.strip()

    @field_validator("database_url", mode="before")
    @classmethod
    def _postgres_url(cls, value: object) -> object:
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str) or not value.strip().startswith(("postgresql://", "postgres://")):
            raise ValueError("must be a postgresql://user:password@host:port/dbname URL")
        return value.strip()

    @field_validator("database_path")
    @classmethod
    def _a_real_file(cls, value: Path) -> Path:
        if str(value).strip() in ("", ":memory:"):
            raise ValueError("must be a file path: delivery and the one-process lock share the database file")
        return value

    @field_validator("default_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        from bot.domain.schedule import parse_timezone

        zone = parse_timezone(value)
        if zone is None:
            raise ValueError("unknown time zone: use an IANA name like Europe/Moscow or an offset like +03:00")
        return zone

    @field_validator("bot_token", mode="before")
    @classmethod
    def _blank_token_is_none(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            token = value.get_secret_value().strip()
            bot_id, _, secret = token.partition(":")
            if not bot_id.isdigit() or not re.fullmatch(r"[A-Za-z0-9_-]{20,}", secret):
                raise ValueError("does not look like a token from @BotFather (<digits>:<secret>)")
            return SecretStr(token)
        return value

    @field_validator("telegram_base_url")
    @classmethod
    def _url_shape(cls, value: str) -> str:
        value = value.strip()
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part.strip() for part in value.split(",") if part.strip()]
            try:
                return frozenset(int(part) for part in parts)
            except ValueError:
                raise ValueError("must be comma-separated numeric user ids, e.g. 12345,67890") from None
        if isinstance(value, int):
            return frozenset({value})
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR")
        return level

    @model_validator(mode="after")
    def _delivery_concurrency_for_the_rate(self) -> Settings:
        if self.delivery_concurrency is None:
            self.delivery_concurrency = PAID_DELIVERY_CONCURRENCY if self.paid_broadcast else FREE_DELIVERY_CONCURRENCY
        return self

    @model_validator(mode="after")
    def _model_needs_a_name(self) -> Settings:
        if self.llm_base_url and not self.llm_model:
            raise ValueError("LLM_MODEL is required when LLM_BASE_URL is set")
        return self

    @model_validator(mode="after")
    def _webhook_needs_url_and_secret(self) -> Settings:
        if self.mode == "webhook":
            problem = webhook_url_problem(self.webhook_url, self.telegram_base_url)
            if problem:
                raise ValueError(problem)
            secret = self.webhook_secret.get_secret_value() if self.webhook_secret else ""
            if not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
                raise ValueError("WEBHOOK_SECRET is required in webhook mode: 1-256 of A-Z a-z 0-9 _ -")
        return self

    @property
    def postgres_url(self) -> str | None:
        """DATABASE_URL's value (None: SQLite), also after a `model_copy` that set a plain str."""
        url = self.database_url
        return url.get_secret_value() if isinstance(url, SecretStr) else url

    @property
    def base_file_url(self) -> str:
        """`https://host/bot` becomes `https://host/file/bot`, as python-telegram-bot expects."""
        head, sep, tail = self.telegram_base_url.rstrip("/").rpartition("/bot")
        if not sep:
            return self.telegram_base_url.rstrip("/") + "/file/bot"
        return f"{head}/file/bot{tail}"



TELEGRAM_API_HOST = "api.telegram.org"


def webhook_url_problem(url: str | None, base_url: str) -> str | None:
    """Why WEBHOOK_URL cannot work with this Bot API, or None. Telegram's own API posts only to
    public https:// URLs; a local Bot API server (`telegram-bot-api --local`) also posts to plain
    http:// and to local addresses, so only the URL's shape is checked for it."""
    parts = urlsplit(url.strip()) if url else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        return "WEBHOOK_URL is required in webhook mode: the http(s):// URL the Bot API posts updates to"
    if parts.path == HEALTH_PATH:
        return f"WEBHOOK_URL: its path must not be {HEALTH_PATH}, the health check's"
    official = (urlsplit(base_url).hostname or "").lower() == TELEGRAM_API_HOST
    if official and parts.scheme != "https":
        return ("WEBHOOK_URL must be an https:// URL: Telegram's own API (TELEGRAM_BASE_URL at "
                f"{TELEGRAM_API_HOST}) posts only to HTTPS; plain http:// works with a local Bot API server")
    if official and _local_host(parts.hostname):
        return (f"WEBHOOK_URL: Telegram's own API cannot reach the local address {parts.hostname}; "
                "give the public URL, or use a local Bot API server")
    return None


def _local_host(host: str) -> bool:
    if host.lower() == "localhost" or host.lower().endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning validation errors into one readable line."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            field = ".".join(str(part) for part in error["loc"])
            message = error["msg"].removeprefix("Value error, ")
            problems.append(f"{field.upper()}: {message}" if field else message)
        raise ConfigError("invalid configuration: " + "; ".join(problems)) from None
