"""Alerts: a chat follows words across every topic (`/alert Балхаш`), within the limits of
`domain/alerts.py`. What a publication matches is queued in the publishing transaction
(`storage/alerts.py`); here a chat's alerts are read, added and removed."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.alerts import MAX_ALERTS, Alert, AlertProblem, AlertWords, parse_alerts
from bot.storage.alerts import AlertRepository


@dataclass(frozen=True)
class AlertChange:
    """What `/alert …` or `/alert off …` did, for the answer: every part of it named."""

    problems: tuple[AlertProblem, ...] = ()
    added: tuple[AlertWords, ...] = ()
    already: tuple[Alert, ...] = ()
    over_limit: tuple[AlertWords, ...] = ()
    removed: tuple[Alert, ...] = ()
    missing: tuple[AlertWords, ...] = ()  # `/alert off` words the chat had no alert for
    total: int = 0  # the chat's alerts after the change
    limit: int = MAX_ALERTS

    @property
    def empty(self) -> bool:
        """Nothing in the words could be read as an alert, nor as a problem: no words at all."""
        return not any((self.problems, self.added, self.already, self.over_limit, self.removed, self.missing))


class Alerts:
    def __init__(self, repository: AlertRepository, limit: int = MAX_ALERTS) -> None:
        self.repository = repository
        self.limit = limit

    async def of_chat(self, chat_id: int) -> list[Alert]:
        return await self.repository.of_chat(chat_id)

    async def add(self, chat_id: int, text: str, thread_id: int | None = None) -> AlertChange:
        parsed = parse_alerts(text)
        if not parsed.alerts:
            return AlertChange(problems=parsed.problems, total=len(await self.of_chat(chat_id)), limit=self.limit)
        result = await self.repository.add(chat_id, parsed.alerts, thread_id, self.limit)
        return AlertChange(
            problems=parsed.problems, added=result.added, already=result.already,
            over_limit=result.over_limit, total=len(await self.of_chat(chat_id)), limit=self.limit,
        )

    async def remove(self, chat_id: int, text: str) -> AlertChange:
        """`/alert off …`: the alerts with these words' roots. Words that could never be an
        alert are not refused here: there is simply no such alert."""
        parsed = parse_alerts(text)
        removed = await self.repository.remove(chat_id, parsed.alerts)
        gone = {alert.roots for alert in removed}
        missing = tuple(alert for alert in parsed.alerts if alert.roots not in gone)
        missing += tuple(AlertWords(problem.text, ()) for problem in parsed.problems)
        return AlertChange(removed=tuple(removed), missing=missing, total=len(await self.of_chat(chat_id)),
                           limit=self.limit)

    async def remove_by_id(self, chat_id: int, alert_id: int) -> Alert | None:
        return await self.repository.remove_by_id(chat_id, alert_id)
