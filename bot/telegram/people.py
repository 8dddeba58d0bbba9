"""Who an update is from, as the handlers need it: the reader's language, written once."""

from __future__ import annotations

from telegram import Update

from bot.presentation.texts import language_of


def user_language(update: Update) -> str:
    """The language to answer in: the sender's Telegram language (English or Russian)."""
    user = update.effective_user
    return language_of(user.language_code if user else None)
