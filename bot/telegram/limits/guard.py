"""Runs before every other handler: refuses users who send more than the limit allows.

The request was counted when the update arrived (`ArrivalVerdicts`); this acts on that verdict.
An update that did not pass `PerChatOrder` (the console hands updates to the Application
directly) is counted here instead."""

from __future__ import annotations

import time

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationHandlerStop, TypeHandler

from bot.telegram.context import BriefingContext
from bot.presentation.texts import language_of, t
from bot.telegram.limits.throttle import Verdict

BEFORE_EVERYTHING = -1


async def throttle(update: Update, context: BriefingContext) -> None:
    user = update.effective_user
    if user is None or user.id in context.services.settings.admin_ids:
        return
    verdict = context.bot_data.arrivals.take(update.update_id)
    if verdict is None:
        verdict = context.bot_data.throttle.check(user.id, time.monotonic())
    if verdict is Verdict.ALLOW:
        return
    if verdict is Verdict.WARN:
        note = t(language_of(user.language_code), "slow_down")
        try:
            if update.callback_query is not None:
                await update.callback_query.answer(note)
            elif update.effective_chat is not None and update.effective_message is not None:
                await update.effective_chat.send_message(note)
        except TelegramError:
            pass  # the note is a courtesy; never let it fail the refusal
    elif update.callback_query is not None:
        try:
            await update.callback_query.answer()  # stop the client's spinner, say nothing
        except TelegramError:
            pass
    raise ApplicationHandlerStop


def register(application: Application) -> None:
    application.add_handler(TypeHandler(Update, throttle), group=BEFORE_EVERYTHING)
