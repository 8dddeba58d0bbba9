"""The typed callback context: handlers reach services as `context.bot_data.services`."""

from __future__ import annotations

from dataclasses import dataclass

from telegram.ext import Application, CallbackContext, ExtBot

from bot.services import Services


@dataclass
class BotData:
    services: Services


class BriefingContext(CallbackContext[ExtBot, dict, dict, BotData]):
    """`CallbackContext` whose `bot_data` is a `BotData`, not a plain dict."""

    @property
    def services(self) -> Services:
        return self.bot_data.services


BriefingApp = Application[ExtBot, BriefingContext, dict, dict, BotData, object]
