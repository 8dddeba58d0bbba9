"""Building the Application: one place that wires settings, services and handlers together."""

from __future__ import annotations

import asyncio
import logging

from telegram import BotCommand, BotCommandScopeDefault, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest

from bot.domain.catalogue import RESERVED_COMMANDS
from bot.telegram.context import BotData, BriefingContext
from bot.telegram.limits.pacing import ChatPacing, PacingLimits
from bot.handlers import admin, editors, inline, lifecycle, readers, subscriptions
from bot.telegram.limits import guard
from bot.telegram.ordering import PerChatOrder
from bot.telegram.limits.flood_filter import FloodFilter
from bot.services import Services
from bot.telegram.limits.throttle import UserThrottle
from bot.telegram.transport import AiohttpRequest
from bot.presentation.texts import LANGUAGES, t

log = logging.getLogger(__name__)
STOP_GRACE = 20.0  # seconds handlers of already-fetched updates get at shutdown

CORE_COMMANDS = ("start", "help", "topics", "figures", "quote", "search", "about")
MENU_AFTER_TOPICS = ("figures", "quote", "search", "subscribe", "subscriptions", "about")
assert set(CORE_COMMANDS) <= RESERVED_COMMANDS


def build_application(
    services: Services,
    token: str,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    pacing: PacingLimits | None = None,
) -> Application:
    """The bot's Application over the aiohttp transport; `request`/`get_updates_request`
    replace it (the console uses an in-process one)."""
    settings = services.settings
    concurrency = settings.concurrent_updates
    throttle = UserThrottle(settings.rate_limit_requests, settings.rate_limit_window)
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.base_file_url)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .context_types(ContextTypes(context=BriefingContext, bot_data=lambda: BotData(services, throttle)))
        .rate_limiter(ChatPacing(pacing))
        .concurrent_updates(PerChatOrder(max_handlers=concurrency))
    )
    request = request or AiohttpRequest(connection_pool_size=concurrency + 8)
    get_updates_request = FloodFilter(
        get_updates_request or AiohttpRequest(connection_pool_size=1), throttle
    )
    builder = builder.request(request).get_updates_request(get_updates_request)
    application = builder.build()
    guard.register(application)
    readers.register_commands(application)  # first: topic commands are most of the traffic
    lifecycle.register(application)
    subscriptions.register(application)
    admin.register(application)
    editors.register(application)
    readers.register_fallbacks(application)  # last: they take whatever nothing else did
    inline.register(application)
    application.add_error_handler(_on_error)
    return application


def command_menu(services: Services, lang: str) -> list[BotCommand]:
    """The command list Telegram shows in the menu, in the user's language."""
    commands = [BotCommand(name, t(lang, f"cmd_{name}")) for name in CORE_COMMANDS[:3]]
    commands += [
        BotCommand(topic.command, f"{topic.emoji} {topic.title.get(lang)}: {topic.description.get(lang)}"[:256])
        for topic in services.catalogue
    ]
    commands += [BotCommand(name, t(lang, f"cmd_{name}")) for name in MENU_AFTER_TOPICS]
    return commands


async def register_commands(application: Application) -> bool:
    """Publish the menu in Russian (the default) and English; a failure is logged, not fatal."""
    services: Services = application.bot_data.services
    try:
        await application.bot.set_my_commands(command_menu(services, "ru"), scope=BotCommandScopeDefault())
        for lang in LANGUAGES:
            await application.bot.set_my_commands(command_menu(services, lang), language_code=lang)
    except TelegramError as exc:
        log.warning("could not register the command menu (%s); serving anyway", exc)
        return False
    return True


async def on_startup(application: Application, *, deliver: bool = True) -> None:
    """After `initialize()` (which asked Telegram who the bot is), before taking updates.

    Not a `post_init` hook: that runs only inside `run_polling`, which owns the event loop;
    the runner, the console and the tests all start the Application themselves.
    """
    await register_commands(application)
    if deliver:
        application.bot_data.services.delivery.start(application)


async def on_stopping(application: Application) -> None:
    """Before the Application stops: no new deliveries, sends in flight get a bounded wait."""
    await application.bot_data.services.delivery.stop()


async def stop_application(application: Application, grace: float | None = None) -> None:
    """`Application.stop()` with a bound: it processes every update already taken from
    Telegram, and waits for their handlers without limit. After `grace` seconds the handlers
    still running are cancelled (and logged) so a hung one cannot hold up a deploy."""
    grace = STOP_GRACE if grace is None else grace
    stopping = asyncio.ensure_future(application.stop())
    done, _pending = await asyncio.wait({stopping}, timeout=grace)
    if not done:
        processor = application.update_processor
        cancelled = processor.cancel_running() if isinstance(processor, PerChatOrder) else 0
        log.error("shutdown: %d handlers still running after %.0f s were cancelled", cancelled, grace)
    await stopping


async def _on_error(update: object, context: BriefingContext) -> None:
    """Log the failure once; tell the user something went wrong, without internals."""
    log.error("update failed", exc_info=context.error)
    processor = context.application.update_processor
    if isinstance(processor, PerChatOrder):
        processor.mark_failed(update)
    if isinstance(update, Update) and update.effective_chat and update.effective_message:
        lang = readers.user_language(update)
        try:
            await update.effective_chat.send_message(t(lang, "error"))
        except TelegramError:
            log.warning("could not tell the user about the failure")
