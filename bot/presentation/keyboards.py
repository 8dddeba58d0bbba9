"""Inline keyboards. Their callback data is written and read by `callbacks` (one codec);
`parse_callback` accepts only known actions on known topics.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Iterable

from telegram import (
    ChatAdministratorRights,
    CopyTextButton,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    KeyboardButtonRequestChat,
    ReplyKeyboardMarkup,
)

from bot.domain.catalogue import Catalogue
from bot.domain.models import Topic
from bot.presentation import callbacks
from bot.presentation.reply import Markup
from bot.presentation.texts import t

BRIEFING, FIGURES, QUOTE, MENU = "t", "f", "q", "m"
TOPICS_PER_ROW = 2


PAGE = "tp"  # a briefing's summary or one of its snippets (edits the message in place)
MAX_PAGES = 10  # the newest snippets a briefing pages through (its summary is one screen more)


@dataclass(frozen=True)
class ButtonPress:
    action: str
    topic: Topic | None
    index: int = 0  # which screen of the topic's briefing: 0 the summary, then its snippets, newest first


_VIEWS = {BRIEFING: callbacks.ShowBriefing, FIGURES: callbacks.ShowFigures, QUOTE: callbacks.ShowQuote}


def callback_data(action: str, topic: Topic | None = None) -> str:
    return _VIEWS[action](topic.slug).pack() if topic else callbacks.ShowMenu().pack()


def parse_callback(data: str | None, catalogue: Catalogue) -> ButtonPress | None:
    """The press a button stands for, or None for anything the bot did not send."""
    press = callbacks.unpack_any(data, callbacks.READER_BUTTONS)
    if isinstance(press, callbacks.ShowMenu):
        return ButtonPress(MENU, None)
    if press is None:
        return None
    if isinstance(press, callbacks.ShowEarlier):
        topic = catalogue.by_slug(press.topic)
        return ButtonPress(PAGE, topic, press.index) if topic and 0 <= press.index <= MAX_PAGES else None
    topic = catalogue.by_slug(press.topic)
    return ButtonPress(press.PREFIX, topic) if topic else None


def topic_menu(catalogue: Catalogue, lang: str) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(f"{topic.emoji} {topic.title.get(lang)}", callback_data=callback_data(BRIEFING, topic))
        for topic in catalogue
    ]
    rows = [buttons[i : i + TOPICS_PER_ROW] for i in range(0, len(buttons), TOPICS_PER_ROW)]
    return InlineKeyboardMarkup(rows)


def related(
    catalogue: Catalogue, topic: Topic, lang: str, showing: str = BRIEFING, with_figures: bool = True,
    page: tuple[int, int] | None = None, copy: str | None = None,
) -> InlineKeyboardMarkup:
    """Under a topic's reply: the summary and the snippets one by one (a briefing of several),
    the copy button of the quote shown, the other views of this topic and sharing it, then
    neighbouring topics."""
    views = [
        (BRIEFING, t(lang, "btn_briefing")),
        *([(FIGURES, t(lang, "btn_figures"))] if with_figures else []),
        (QUOTE, t(lang, "btn_quote")),
    ]
    first_row = [
        InlineKeyboardButton(label, callback_data=callback_data(action, topic))
        for action, label in views
        if action != showing or action == QUOTE
    ]
    others = [other for other in catalogue if other.slug != topic.slug]
    index = next((i for i, other in enumerate(catalogue) if other.slug == topic.slug), 0)
    neighbours = [others[(index + step) % len(others)] for step in range(2)] if others else []
    second_row = [
        InlineKeyboardButton(f"{other.emoji} {other.title.get(lang)}", callback_data=callback_data(BRIEFING, other))
        for other in neighbours
    ]
    menu_row = [InlineKeyboardButton(t(lang, "btn_topics"), callback_data=callback_data(MENU))]
    if showing == BRIEFING:  # send this topic's briefing into another chat, through inline mode
        menu_row.append(InlineKeyboardButton(t(lang, "btn_share"), switch_inline_query=topic.title.get(lang)))
    copy_row = [copy_button(copy, lang)] if copy else []
    return InlineKeyboardMarkup(
        [row for row in (page_row(topic, lang, page), copy_row, first_row, second_row, menu_row) if row])


def copy_button(text: str, lang: str) -> InlineKeyboardButton:
    """Copies `text` (a quote with its speaker and source, at most 256 characters) to the clipboard."""
    return InlineKeyboardButton(t(lang, "btn_copy"), copy_text=CopyTextButton(text))


def page_row(topic: Topic, lang: str, page: tuple[int, int] | None) -> list[InlineKeyboardButton]:
    """◀ and ▶ through a briefing of several snippets: screen 0 is the summary, screen k the
    k-th newest snippet (of `screens - 1`)."""
    if page is None or page[1] <= 1:
        return []
    index, screens = page
    count = screens - 1
    row = []
    if index + 1 < screens:
        row.append(InlineKeyboardButton(
            t(lang, "btn_earlier", n=index + 1, total=count), callback_data=callbacks.ShowEarlier(topic.slug, index + 1).pack()))
    if index > 0:
        label = t(lang, "btn_summary") if index == 1 else t(lang, "btn_newer", n=index - 1, total=count)
        row.append(InlineKeyboardButton(label, callback_data=callbacks.ShowEarlier(topic.slug, index - 1).pack()))
    return row


@dataclass
class Keyboards:
    """The keyboards above as Telegram JSON, built once per (topic, language, view): they never
    change while the catalogue is the same, and building them is a measurable part of a reply."""

    catalogue: Catalogue
    _made: dict[tuple[str, ...], Markup] = field(default_factory=dict)

    def topic_menu(self, lang: str) -> Markup:
        key = ("menu", lang)
        if key not in self._made:
            self._made[key] = topic_menu(self.catalogue, lang).to_dict()
        return self._made[key]

    def related(
        self, topic: Topic, lang: str, showing: str = BRIEFING, with_figures: bool = True,
        page: tuple[int, int] | None = None, copy: str | None = None,
    ) -> Markup:
        """The copy button's row is put into a copy of the cached keyboard (quotes change with
        the content; the keyboards of a catalogue do not)."""
        key = ("related", topic.slug, lang, showing, str(with_figures), str(page))
        if key not in self._made:
            self._made[key] = related(self.catalogue, topic, lang, showing, with_figures, page).to_dict()
        made = self._made[key]
        if not copy:
            return made
        rows = list(made["inline_keyboard"])
        rows.insert(1 if page_row(topic, lang, page) else 0, [copy_button(copy, lang).to_dict()])
        return {**made, "inline_keyboard": rows}


# --- subscriptions ---------------------------------------------------------------------------
# Callback data names the chat it changes (`s:<chat id>:<slug>`, `si:<chat id>`): the same
# keyboard manages a channel from a private chat. Every press is authorised again when it
# arrives, so data forged with someone else's chat id changes nothing.

TOGGLE_TOPIC, TOGGLE_INSTANT = callbacks.ToggleTopic.PREFIX, callbacks.ToggleInstant.PREFIX
CHANNEL_REQUEST_BASE = 1 << 24  # request_id of "choose a channel": this plus a topic bitmask


@dataclass(frozen=True)
class SubscriptionPress:
    action: str
    chat_id: int
    topic: Topic | None


def parse_subscription_callback(data: str | None, catalogue: Catalogue) -> SubscriptionPress | None:
    press = callbacks.unpack_any(data, callbacks.SUBSCRIPTION_BUTTONS)
    if isinstance(press, callbacks.ToggleInstant):
        return SubscriptionPress(TOGGLE_INSTANT, press.chat_id, None)
    if isinstance(press, callbacks.ToggleTopic):
        topic = catalogue.by_slug(press.topic)
        return SubscriptionPress(TOGGLE_TOPIC, press.chat_id, topic) if topic else None
    return None


def subscription_keyboard(
    catalogue: Catalogue, chat_id: int, subscribed: Iterable[str], instant: bool, lang: str
) -> Markup:
    """A button per topic (✅ subscribed, ▫️ not) and the instant-delivery switch."""
    subscribed = set(subscribed)
    buttons = [
        InlineKeyboardButton(
            f"{'✅' if topic.slug in subscribed else '▫️'} {topic.title.get(lang)}",
            callback_data=callbacks.ToggleTopic(chat_id, topic.slug).pack(),
        )
        for topic in catalogue
    ]
    rows = [buttons[i : i + TOPICS_PER_ROW] for i in range(0, len(buttons), TOPICS_PER_ROW)]
    rows.append([InlineKeyboardButton(
        t(lang, "btn_instant_on" if instant else "btn_instant_off"),
        callback_data=callbacks.ToggleInstant(chat_id).pack(),
    )])  # fmt: skip
    return InlineKeyboardMarkup(rows).to_dict()


def topics_mask(catalogue: Catalogue, slugs: Iterable[str]) -> int:
    order = {topic.slug: index for index, topic in enumerate(catalogue)}
    return sum(1 << order[slug] for slug in set(slugs) if slug in order)


def topics_from_mask(catalogue: Catalogue, mask: int) -> list[str]:
    return [topic.slug for index, topic in enumerate(catalogue) if mask >> index & 1]


def channel_request_keyboard(catalogue: Catalogue, slugs: Iterable[str], lang: str) -> Markup:
    """A reply-keyboard button that lets the user pick one of their channels; Telegram offers
    only channels where they may post, and makes the bot an administrator allowed to post.
    The topics to subscribe ride along in the request id."""
    rights = ChatAdministratorRights(
        is_anonymous=False, can_manage_chat=False, can_delete_messages=False,
        can_manage_video_chats=False, can_restrict_members=False, can_promote_members=False,
        can_change_info=False, can_invite_users=False, can_post_stories=False,
        can_edit_stories=False, can_delete_stories=False, can_post_messages=True,
    )  # fmt: skip
    request = KeyboardButtonRequestChat(
        request_id=CHANNEL_REQUEST_BASE + topics_mask(catalogue, slugs),
        chat_is_channel=True,
        user_administrator_rights=rights,
        bot_administrator_rights=rights,
        request_title=True,
        request_username=True,
    )
    button = KeyboardButton(t(lang, "channel_button"), request_chat=request)
    return ReplyKeyboardMarkup([[button]], resize_keyboard=True, one_time_keyboard=True).to_dict()
