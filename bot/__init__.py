"""Telegram briefing bot."""

import os

# python-telegram-bot 22 returns durations (RetryAfter.retry_after, …) as ints with a
# deprecation warning unless asked for timedeltas; the bot's code expects timedeltas.
os.environ.setdefault("PTB_TIMEDELTA", "1")
