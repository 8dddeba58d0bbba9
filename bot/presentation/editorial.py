"""What editors are shown: lists of drafts, a snippet's history, the buttons under previews."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.catalogue import Catalogue
from bot.domain.models import UNKNOWN_AUTHOR, SourceFile
from bot.domain.views import SnippetRecord
from bot.presentation import callbacks
from bot.presentation.html import escape
from bot.presentation.render import figure_line, format_date
from bot.presentation.reply import Markup
from bot.presentation.texts import t


def keyboard(*rows: list[tuple[str, callbacks.CallbackData]]) -> Markup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data.pack()) for label, data in row] for row in rows]
    ).to_dict()


def confirm_buttons(lang: str, token: str) -> Markup:
    return keyboard([(t(lang, "btn_apply"), callbacks.ApplyChange(token)), (t(lang, "btn_cancel"), callbacks.CancelChange(token))])


def draft_buttons(lang: str, snippet_id: int) -> Markup:
    return keyboard([(t(lang, "btn_publish"), callbacks.PublishNow(snippet_id)),
                     (t(lang, "btn_discard"), callbacks.DiscardDraft(snippet_id))])  # fmt: skip


def render_drafts(catalogue: Catalogue, drafts: list[SnippetRecord], lang: str) -> tuple[str, Markup]:
    """The list of drafts, a row of buttons (preview, publish, discard) for each."""
    lines = [t(lang, "drafts_title")]
    rows = []
    for draft in drafts:
        topic = catalogue.by_slug(draft.topic) if draft.topic else None
        mark = topic.emoji if topic else t(lang, "no_topic")
        lines.append(f"#{draft.id} {mark} {escape(draft.title)}")
        rows.append([(f"👁 #{draft.id}", callbacks.PreviewDraft(draft.id)), ("✅", callbacks.PublishDraft(draft.id)),
                     ("🗑", callbacks.DiscardDraft(draft.id))])  # fmt: skip
    return "\n".join(lines), keyboard(*rows)


def render_history(snippet_id: int, entries, lang: str) -> str:
    """Who changed what and when, field by field."""
    lines = [t(lang, "history_title", id=snippet_id)]
    if not entries:
        lines.append(t(lang, "history_empty"))
    for entry in entries:
        lines.append(f"\n<b>{escape(entry.at.replace('T', ' ')[:16])}</b> · {escape(entry.actor)} ({escape(entry.via)}) · {escape(entry.action)}")
        lines += [f"  {line}" for line in _differences(entry.before, entry.after)]
    return "\n".join(lines)


def _differences(before: dict | None, after: dict | None) -> list[str]:
    """What an audit entry changed, field by field, escaped for HTML."""
    def shown(value: str | None) -> str:
        return html.escape(value) if value else "—"

    return [f"{field}: <s>{shown(old)}</s> → {shown(new)}" for field, old, new in audit_changes(before, after, limit=150)]


HISTORY_FIELDS = ("status", "topic", "title", "summary", "figures", "quotes")


def audit_changes(before: dict | None, after: dict | None, limit: int) -> list[tuple[str, str | None, str | None]]:
    """What an audit entry changed, field by field, as plain text (None: not recorded); of
    figures and quotes, the ones taken out and the ones put in. An empty list where none was
    recorded is no change."""
    before, after = before or {}, after or {}
    changes = []
    for field in HISTORY_FIELDS:
        old, new = before.get(field), after.get(field)
        if old == new or not (old or new):
            continue
        if isinstance(old, list) and isinstance(new, list):
            old, new = [item for item in old if item not in new], [item for item in new if item not in old]
        changes.append((field, _plain(old, limit), _plain(new, limit)))
    return changes


def _plain(value: object, limit: int) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return "; ".join(_listed(item) for item in value if isinstance(item, dict))[:limit]
    return str(value)[:limit]


def _listed(item: dict) -> str:
    if "text" in item:  # a quote
        return f"«{item.get('text')}» — {item.get('author')}"
    upper = f"–{item['value_to']}" if item.get("value_to") is not None else ""  # a range: 8–9
    return f"{item.get('value')}{upper} {item.get('unit')} {item.get('label')}"


STARS_PER_PAID_MESSAGE = 0.1  # what Telegram charges for a message sent with allow_paid_broadcast


def _stars(messages: int) -> str:
    stars = messages * STARS_PER_PAID_MESSAGE
    return f"{stars:.0f}" if messages % 10 == 0 else f"{stars:.1f}"


def render_deliveries(stats, subscribers: int, paused: int, lang: str) -> str:
    """The owner's view of delivery: pending, sent, failures by reason, the last minute's rate."""
    lines = [
        t(lang, "deliveries_title"),
        t(lang, "deliveries_body", pending=stats.pending, due=stats.due_now, sent=stats.sent,
          rate=f"{stats.rate_per_second:.1f}", subscribers=subscribers, paused=paused),
    ]  # fmt: skip
    if stats.paid:
        lines.append(t(lang, "deliveries_paid", count=stats.paid, stars=_stars(stats.paid)))
    lines.append("")
    if stats.failed:
        lines.append(t(lang, "deliveries_failed"))
        lines += [f"• {escape(reason or '—')}: {count}" for reason, count in list(stats.failed.items())[:15]]
    else:
        lines.append(t(lang, "deliveries_no_failures"))
    return "\n".join(lines)


def render_ingest_preview(catalogue: Catalogue, content: SourceFile, lang: str, notes: tuple[str, ...] = ()) -> str:
    """What Apply will create from an article, before any press: the source as read (each
    thing the text does not say marked as not found) and every draft with its figures."""
    source = content.source
    missing = t(lang, "not_found")
    author = source.author
    who = missing if author.name == UNKNOWN_AUTHOR else escape(author.name + (f", {author.role}" if author.role else ""))
    lines = [
        t(lang, "ingest_heading"),
        f"{t(lang, 'ingest_title')}: <b>{escape(source.title)}</b>",
        f"{t(lang, 'ingest_date')}: {escape(format_date(source.date, lang)) if source.date else missing}",
        f"{t(lang, 'ingest_author')}: {who}",
        f"{t(lang, 'ingest_kind')}: {t(lang, f'kind_{source.kind}')}",
        *([f"{t(lang, 'ingest_source_line')}: " + (f"{escape(source.outlet)}, " if source.outlet else "")
           + f'<a href="{escape(source.url)}">{escape(_short(source.url))}</a>'] if source.url else []),
        "",
        t(lang, "ingest_drafts", count=len(content.snippets),
          figures=sum(len(snippet.figures) for snippet in content.snippets)),
    ]  # fmt: skip
    if any(snippet.topic is None for snippet in content.snippets):
        lines += ["", t(lang, "ingest_no_topic")]
    for number, snippet in enumerate(content.snippets, 1):
        topic = catalogue.by_slug(snippet.topic) if snippet.topic else None
        name = f"{topic.emoji} {escape(topic.title.get(lang))}" if topic else t(lang, "no_topic")
        lines.append(f"\n{number}. {name} — <b>{escape(snippet.title)}</b>")
        lines += [f"  {figure_line(figure, lang)}" for figure in snippet.figures]
    if notes:
        lines.append("\n" + t(lang, "ingest_model_notes"))
        lines += [f"• {escape(note)}" for note in notes[:20]]
    lines.append("\n" + t(lang, "ingest_confirm"))
    return "\n".join(lines)



def _short(url: str, limit: int = 80) -> str:
    return url if len(url) <= limit else url[: limit - 1] + "…"


def render_link_refusal(key: str, values: dict, lang: str, heading: str = "link_refused") -> str:
    """Why a link was not read (or a feed not added), in the editor's language."""
    values = dict(values)
    if "why" in values:
        values["why"] = t(lang, f"addr_{values['why']}")
    return f"{t(lang, heading)} {t(lang, key, **values)}"


def render_feeds(feeds: list, lang: str) -> str:
    """`/feed list`: each feed with its number, address, last success and last error."""
    if not feeds:
        return t(lang, "feed_list_empty")
    import datetime as dt

    def when(stamp: float | None) -> str:
        return dt.datetime.fromtimestamp(stamp, dt.UTC).strftime("%Y-%m-%d %H:%M UTC") if stamp else t(lang, "feed_never")

    lines = [t(lang, "feed_list_title")]
    for feed in feeds:
        error = (f"{escape(when(feed.last_error_at))} — {render_stored_error(feed.last_error, lang)}"
                 if feed.last_error else t(lang, "feed_no_error"))
        lines.append("\n" + t(lang, "feed_line", id=feed.id, title=feed.title[:120], url=_short(feed.url, 200),
                                success=when(feed.last_success)) + error)
    return "\n".join(lines)


def render_stored_error(raw: str, lang: str) -> str:
    """A failure kept as {"key": …, "values": …} (a LinkError), in the editor's language."""
    import json

    try:
        data = json.loads(raw)
        values = dict(data.get("values") or {})
        if "why" in values:
            values["why"] = t(lang, f"addr_{values['why']}")
        return t(lang, data["key"], **values)
    except (ValueError, KeyError, TypeError, AttributeError):
        return escape(raw[:200])


MAX_FEED_ROWS = 30  # buttons under one notice (Telegram allows 100)


def render_feed_news(drafted: list, lang: str) -> tuple[str, Markup]:
    """One notice for a poll: each item made into drafts named by its headline, with a row of
    buttons (preview, publish) for each of its drafts up to MAX_FEED_ROWS."""
    total = sum(len(item.snippet_ids) for item in drafted)
    lines = [t(lang, "feed_news", count=total)]
    rows = []
    for item in drafted:
        ids = " ".join(f"#{i}" for i in item.snippet_ids)
        lines.append(f"• <b>{escape(item.headline[:200])}</b> — {ids}")
        for snippet_id in item.snippet_ids:
            if len(rows) < MAX_FEED_ROWS:
                rows.append([(f"👁 #{snippet_id}", callbacks.PreviewDraft(snippet_id)),
                             (f"✅ #{snippet_id}", callbacks.PublishDraft(snippet_id))])
    if total > len(rows):
        lines.append(t(lang, "feed_news_more", count=total - len(rows)))
    return "\n".join(lines), keyboard(*rows)


def render_reactions(top: list[tuple[int, str, dict[str, int]]], lang: str) -> str:
    """The delivered briefings readers reacted to most, with each reaction's count."""
    if not top:
        return t(lang, "reactions_none")
    lines = [t(lang, "reactions_title")]
    for snippet_id, title, counts in top:
        marks = ", ".join(f"{escape(emoji)} {count}" for emoji, count in sorted(counts.items(), key=lambda i: -i[1]))
        lines.append(f"#{snippet_id} {escape(title)} — {marks}")
    return "\n".join(lines)


def render_delivery_halt(health, lang: str) -> str:
    """Deliveries on hold because what was sent cannot be recorded (disk full, database locked)."""
    import datetime as dt

    since = dt.datetime.fromtimestamp(health.failing_since, dt.UTC).strftime("%H:%M:%S UTC")
    return t(lang, "deliveries_halted", since=since, unrecorded=health.unrecorded, error=health.last_error[:200])
