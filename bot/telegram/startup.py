"""Starting and stopping a built Application the same way in every runner (polling, webhook,
console, tests), and the one error handler."""

from __future__ import annotations

import asyncio
import logging

from telegram import BotCommandScopeDefault, Update
from telegram.error import TelegramError
from telegram.ext import Application

from bot.presentation.menu import command_menu
from bot.presentation.texts import LANGUAGES, t
from bot.storage.database import storage_fault
from bot.telegram.context import BriefingContext
from bot.telegram.ordering import PerChatOrder
from bot.telegram.people import user_language

log = logging.getLogger(__name__)
STOP_GRACE = 20.0  # seconds handlers of already-fetched updates get at shutdown


async def register_commands(application: Application) -> bool:
    """Publish the menu in Russian (the default) and English; a failure is logged, not fatal."""
    catalogue = application.bot_data.services.catalogue
    try:
        await application.bot.set_my_commands(command_menu(catalogue, "ru"), scope=BotCommandScopeDefault())
        for lang in LANGUAGES:
            await application.bot.set_my_commands(command_menu(catalogue, lang), language_code=lang)
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
    couriers = application.bot_data.couriers
    if deliver and couriers is not None:
        couriers.start(application.job_queue)


async def on_stopping(application: Application) -> None:
    """Before the Application stops: no new deliveries, sends in flight get a bounded wait."""
    couriers = application.bot_data.couriers
    if couriers is not None:
        await couriers.stop()


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


async def on_error(update: object, context: BriefingContext) -> None:
    """Log the failure once; tell the user what happened, without internals. A write the
    database refused (disk full, locked by another process, read-only) is named as such, and
    logged as one line: it is the machine's state, not a bug."""
    fault = storage_fault(context.error)
    if fault is None:
        log.error("update failed", exc_info=context.error)
    else:
        log.error("update failed: the database refused a write (%s); nothing was changed", context.error)
    processor = context.application.update_processor
    if isinstance(processor, PerChatOrder):
        processor.mark_failed(update)
    if isinstance(update, Update) and update.effective_chat and update.effective_message:
        lang = user_language(update)
        try:
            await update.effective_chat.send_message(t(lang, f"storage_{fault}" if fault else "error"))
        except TelegramError:
            log.warning("could not tell the user about the failure")
