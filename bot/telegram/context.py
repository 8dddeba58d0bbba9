"""The typed callback context: handlers reach `context.services` and `context.keyboards`."""

from __future__ import annotations

from dataclasses import dataclass

from telegram.ext import CallbackContext, ExtBot

from bot.presentation.keyboards import Keyboards
from bot.services import Services
from bot.telegram.limits.throttle import ArrivalVerdicts, UserThrottle
from bot.telegram.sending.delivery import Couriers


@dataclass
class BotData:
    """What the composition root hands the Application: built once, typed, never a dict."""

    services: Services
    throttle: UserThrottle
    keyboards: Keyboards
    arrivals: ArrivalVerdicts  # requests counted as they arrive (see PerChatOrder)
    couriers: Couriers | None = None  # set by the composition root once the Bot exists


class BriefingContext(CallbackContext[ExtBot, dict, dict, BotData]):
    """`CallbackContext` whose `bot_data` is a `BotData`, not a plain dict."""

    @property
    def services(self) -> Services:
        return self.bot_data.services

    @property
    def keyboards(self) -> Keyboards:
        return self.bot_data.keyboards
