"""Alerts in words: the `/alerts` list with its remove buttons, and the answer to `/alert …`
and `/alert off …`, every refusal naming its problem."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.alerts import MAX_WORD_LENGTH, MAX_WORDS, MIN_LETTERS, Alert, AlertProblem
from bot.domain.chats import ChatSettings
from bot.presentation import callbacks
from bot.presentation.html import escape
from bot.presentation.reply import Markup
from bot.presentation.texts import t

SHOWN_PROBLEMS = 5  # refusals named in one answer; a longer list ends with "…"
SHOWN_WORDS = 5
BUTTON_WORDS = 28  # characters of an alert on its remove button
BUTTONS_PER_ROW = 2


def quoted(words: Sequence[str]) -> str:
    """«Балхаш», «АЭС Курчатов» — plain text (t() escapes it)."""
    return ", ".join(f"«{word}»" for word in words)


def _some(words: Sequence[str]) -> str:
    shown = quoted(words[:SHOWN_WORDS])
    return shown + (", …" if len(words) > SHOWN_WORDS else "")


def render_alerts(chat: ChatSettings, alerts: Sequence[Alert], limit: int, lang: str, here: bool) -> str:
    """The chat's alerts, numbered, and how to add and remove them."""
    if here and chat.type == "private":
        title = t(lang, "alerts_title_private", count=len(alerts), limit=limit)
    else:
        title = t(lang, "alerts_title_chat", title=chat.title or str(chat.id), count=len(alerts), limit=limit)
    if not alerts:
        return f"{title}\n\n{t(lang, 'alerts_none')}"
    lines = [f"{number}. {escape(alert.words)}" for number, alert in enumerate(alerts, 1)]
    return f"{title}\n\n" + "\n".join(lines) + f"\n\n{t(lang, 'alerts_hint')}"


def alerts_keyboard(chat_id: int, alerts: Sequence[Alert]) -> Markup | None:
    """A ✖ button per alert; its data names the chat and the alert (checked again on press)."""
    if not alerts:
        return None
    buttons = []
    for alert in alerts:
        label = alert.words if len(alert.words) <= BUTTON_WORDS else alert.words[: BUTTON_WORDS - 1] + "…"
        buttons.append(InlineKeyboardButton(f"✖ {label}", callback_data=callbacks.RemoveAlert(chat_id, alert.id).pack()))
    rows = [buttons[i : i + BUTTONS_PER_ROW] for i in range(0, len(buttons), BUTTONS_PER_ROW)]
    return InlineKeyboardMarkup(rows).to_dict()


def _problem(problem: AlertProblem, lang: str) -> str:
    words = _some(problem.words)
    text = problem.text if len(problem.text) <= 60 else problem.text[:59] + "…"
    line = t(lang, f"alert_{problem.kind}", text=text, words=words, min=MIN_LETTERS,
             max=MAX_WORDS, length=MAX_WORD_LENGTH)
    if problem.suggestion:
        line += " " + t(lang, "alert_suggest", suggestion=problem.suggestion)
    return line


def render_alert_change(change, lang: str) -> str:
    """The answer to `/alert …` or `/alert off …` (`services.alerts.AlertChange`)."""
    lines = []
    if change.added:
        lines.append(t(lang, "alert_added", names=quoted([alert.words for alert in change.added])))
    if change.already:
        lines.append(t(lang, "alert_already", names=_some([alert.words for alert in change.already])))
    if change.over_limit:
        lines.append(t(lang, "alert_over_limit", names=_some([alert.words for alert in change.over_limit]),
                       limit=change.limit))
    if change.removed:
        lines.append(t(lang, "alert_removed", names=quoted([alert.words for alert in change.removed])))
    if change.missing:
        lines.append(t(lang, "alert_missing", names=_some([alert.words for alert in change.missing])))
    for problem in change.problems[:SHOWN_PROBLEMS]:
        lines.append(_problem(problem, lang))
    if len(change.problems) > SHOWN_PROBLEMS:
        lines.append("…")
    lines.append(t(lang, "alert_count", count=change.total, limit=change.limit))
    return "\n".join(lines)
