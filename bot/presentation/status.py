"""What a chat receives and when, in words: the `/subscriptions` answer and its confirmations."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.catalogue import Catalogue
from bot.presentation.dates import reader_moment
from bot.presentation.html import escape
from bot.domain.chats import PAUSED, STOPPED, ChatSettings
from bot.presentation.texts import t


def topic_names(catalogue: Catalogue, slugs, lang: str) -> str:
    names = []
    for slug in slugs:
        topic = catalogue.by_slug(slug)
        names.append(f"{topic.emoji} {topic.title.get(lang)}" if topic else slug)
    return ", ".join(names)


def render_status(catalogue: Catalogue, chat: ChatSettings, lang: str, alerts: Sequence[str] | None = None) -> str:
    """Topics (and their forum threads), the alerts' words (when given), instant or not,
    digest time and zone, pauses."""
    if chat.type == "private":
        lines = [t(lang, "sub_status_title_private")]
    else:
        lines = [t(lang, "sub_status_title_chat", title=chat.title or str(chat.id))]
    if chat.topics:
        names = []
        for topic in catalogue:
            if topic.slug in chat.topics:
                thread = chat.topics[topic.slug]
                suffix = f" (#{thread})" if thread else ""
                names.append(f"{topic.emoji} {escape(topic.title.get(lang))}{suffix}")
        lines.append(t(lang, "sub_status_topics", topics="") + ", ".join(names))
    else:
        lines.append(t(lang, "sub_status_no_topics"))
    if alerts:
        lines.append(t(lang, "sub_status_alerts", names=", ".join(f"«{words}»" for words in alerts)))
    elif alerts is not None:
        lines.append(t(lang, "sub_status_no_alerts"))
    lines.append(t(lang, "sub_status_instant_on" if chat.instant else "sub_status_instant_off"))
    if chat.digest_time and chat.next_digest_at:
        lines.append(
            t(lang, "sub_status_digest_on", time=chat.digest_time, zone=chat.timezone,
              next=reader_moment(chat.next_digest_at, chat.timezone, lang))
        )  # fmt: skip
    else:
        lines.append(t(lang, "sub_status_digest_off"))
    if chat.state == STOPPED:
        lines.append(t(lang, "sub_status_stopped"))
    elif chat.state == PAUSED:
        lines.append(t(lang, "sub_status_paused", reason=chat.state_reason or "—"))
    elif (chat.topics or alerts) and not chat.instant and not chat.digest_time:
        lines.append(t(lang, "sub_nothing_on"))
    return "\n".join(lines)


def render_channel_help(catalogue: Catalogue, bot_username: str, registered: list[ChatSettings], lang: str) -> str:
    """How to connect a channel, and the channels this user already connected."""
    link = f"t.me/{bot_username}?startchannel&admin=post_messages"
    lines = [t(lang, "channel_help", link=link)]
    if registered:
        lines.append("\n" + t(lang, "channel_list"))
        lines += [
            f"• {escape(channel.title)} — {escape(topic_names(catalogue, channel.topics, lang) or '—')}"
            for channel in registered
        ]
    return "\n".join(lines)
