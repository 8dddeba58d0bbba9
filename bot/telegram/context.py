"""The typed callback context: handlers reach `context.services` and `context.keyboards`."""

from __future__ import annotations

from dataclasses import dataclass, field

from telegram.ext import CallbackContext, ExtBot

from bot.presentation.keyboards import Keyboards
from bot.services import Services
from bot.telegram.limits.throttle import UserThrottle


@dataclass
class BotData:
    services: Services
    throttle: UserThrottle
    keyboards: Keyboards = field(init=False)

    def __post_init__(self) -> None:
        self.keyboards = Keyboards(self.services.catalogue)


class BriefingContext(CallbackContext[ExtBot, dict, dict, BotData]):
    """`CallbackContext` whose `bot_data` is a `BotData`, not a plain dict."""

    @property
    def services(self) -> Services:
        return self.bot_data.services

    @property
    def keyboards(self) -> Keyboards:
        return self.bot_data.keyboards

