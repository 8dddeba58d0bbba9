"""Subscription commands and buttons for private chats, groups and channels: topics, digests
(`/digest now` included), alerts on words (`/alert`, `/alerts`).

The chat a command changes is the chat it was sent in, or — in a private chat — a channel
named as the first argument (`/subscribe @channel energy`). Changes in groups need an
administrator, and channels need one of the channel's administrators, checked with Telegram
each time (see `permissions`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram import Update
from telegram.constants import ChatType
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.presentation.reply import Reply
from bot.domain.catalogue import Catalogue
from bot.handlers.access import reader
from bot.telegram.context import BriefingContext
from bot.domain.schedule import parse_time, parse_timezone
from bot.presentation.dates import reader_moment
from bot.presentation.status import render_channel_help, render_status, topic_names
from bot.presentation import callbacks, keyboards
from bot.presentation.alerts import alerts_keyboard, render_alert_change, render_alerts
from bot.telegram.permissions import check_channel, is_admin, sender_is_admin
from bot.handlers.readers import command_args
from bot.telegram.people import user_language
from bot.telegram.sending.outgoing import edit_or_send, send_reply
from bot.domain.chats import ACTIVE, PAUSED, STOPPED, ChatSettings
from bot.presentation.texts import t

CHAT_REFERENCE = re.compile(r"^(@[A-Za-z][A-Za-z0-9_]{3,31}|-100\d{6,16})$")
ALL = frozenset({"all", "все", "всё", "*"})
OFF = frozenset({"off", "выкл", "no", "нет", "0"})
NOW = frozenset({"now", "сейчас"})
ALERT_OFF = frozenset({"off", "выкл", "удалить", "remove"})
ON = frozenset({"on", "вкл", "yes", "да", "1"})
MAX_TOPIC_WORDS = 20


@dataclass(frozen=True)
class Target:
    chat: ChatSettings
    here: bool  # the chat the command was sent in (not a channel named in the arguments)


async def say(update: Update, text: str, keyboard: keyboards.Markup | None = None) -> None:
    await send_reply(update, Reply((text,)), keyboard)


def parse_topics(catalogue: Catalogue, words: list[str]) -> tuple[list[str], list[str]]:
    """(topic slugs, names nobody knows) from what the user typed; `all` means every topic."""
    slugs, unknown = [], []
    for word in re.split(r"[\s,;]+", " ".join(words[:MAX_TOPIC_WORDS])):
        if not word:
            continue
        if word.lower() in ALL:
            slugs.extend(topic.slug for topic in catalogue)
            continue
        topic = catalogue.find(word)
        if topic is None:
            unknown.append(word[:32])
        else:
            slugs.append(topic.slug)
    return list(dict.fromkeys(slugs)), unknown


async def _target(
    update: Update, context: BriefingContext, lang: str, *, change: bool, refusal: str = "not_admin",
) -> tuple[Target | None, list[str]]:
    """The chat this command is about, and the remaining arguments; None after a refusal."""
    chat = update.effective_chat
    args = list(context.args or [])
    if chat is None:
        return None, args
    if chat.type == ChatType.PRIVATE and args and CHAT_REFERENCE.match(args[0]):
        reference = args.pop(0)
        channel = await _registered_channel(
            update, context, int(reference) if reference.startswith("-") else reference, lang
        )
        return (Target(channel, here=False) if channel else None), args
    if change and not await sender_is_admin(update, context.bot):
        await say(update, t(lang, refusal))
        return None, args
    settings = await context.services.subscriptions.ensure(chat.id, chat.type, chat.title or chat.first_name or "", lang)
    return Target(settings, here=True), args


async def _registered_channel(
    update: Update, context: BriefingContext, reference: int | str, lang: str
) -> ChatSettings | None:
    """A channel this user may manage here (see `check_channel`), recorded with the user who
    connected it; None after explaining why not."""
    user = update.effective_user
    check = await check_channel(context.bot, reference, user.id)
    if check.problem:
        # a channel's title is told only to its administrators (a private channel's title is
        # not for anyone who guesses its id)
        known = check.chat is not None and check.chat.title and check.problem != "channel_user_not_admin"
        title = check.chat.title if known else str(reference)
        await say(update, t(lang, check.problem, name=str(reference), title=title))
        return None
    return await context.services.subscriptions.ensure(
        check.chat.id, "channel", check.chat.title or "", lang, registered_by=user.id
    )


async def _say_unknown_topics(update: Update, context: BriefingContext, lang: str, unknown: list[str]) -> None:
    names = ", ".join(topic.command for topic in context.services.catalogue)
    await say(update, t(lang, "unknown_topics", names=", ".join(unknown) or "—", topics=names))


def _keyboard(context: BriefingContext, chat: ChatSettings, lang: str) -> keyboards.Markup:
    return keyboards.subscription_keyboard(context.services.catalogue, chat.id, chat.topics, chat.instant, lang)


def _heading(target: Target, lang: str, key: str = "channel_pick") -> str:
    return "" if target.here else t(lang, key, title=target.chat.title) + "\n"


async def _chosen_topics(update: Update, context: BriefingContext, lang: str) -> tuple[Target, list[str], list[str]] | None:
    """The chat and topics a /subscribe or /unsubscribe is about; None once it has answered
    (a refusal, unknown topics, or — with no topics given — the toggle buttons)."""
    target, args = await _target(update, context, lang, change=True)
    if target is None:
        return None
    catalogue = context.services.catalogue
    if not args:
        await say(update, _heading(target, lang) + t(lang, "sub_pick"), _keyboard(context, target.chat, lang))
        return None
    slugs, unknown = parse_topics(catalogue, args)
    if unknown or not slugs:
        await _say_unknown_topics(update, context, lang, unknown)
        return None
    return target, slugs, args


@reader
async def subscribe(update: Update, context: BriefingContext, lang: str) -> None:
    chosen = await _chosen_topics(update, context, lang)
    if chosen is None:
        return
    target, slugs, _args = chosen
    catalogue = context.services.catalogue
    message = update.effective_message
    thread = message.message_thread_id if target.here and message and message.is_topic_message else None
    added = await context.services.subscriptions.subscribe(target.chat.id, slugs, thread)
    lines = [_heading(target, lang).strip()] if not target.here else []
    if added:
        lines.append(t(lang, "sub_added", topics=topic_names(catalogue, added, lang)))
    already = [slug for slug in slugs if slug not in added]
    if already:
        lines.append(t(lang, "sub_already", topics=topic_names(catalogue, already, lang)))
    chat = await context.services.subscriptions.get(target.chat.id)
    if chat.state == STOPPED:
        lines.append(t(lang, "sub_status_stopped"))
    elif not chat.instant and not chat.digest_time:
        lines.append(t(lang, "sub_nothing_on"))
    await say(update, "\n".join(line for line in lines if line))


@reader
async def unsubscribe(update: Update, context: BriefingContext, lang: str) -> None:
    chosen = await _chosen_topics(update, context, lang)
    if chosen is None:
        return
    target, slugs, args = chosen
    catalogue = context.services.catalogue
    removed = await context.services.subscriptions.unsubscribe(target.chat.id, slugs)
    lines = []
    if removed:
        lines.append(t(lang, "sub_removed", topics=topic_names(catalogue, removed, lang)))
    missing = [slug for slug in slugs if slug not in removed]
    if missing and not ALL & {word.lower() for word in args}:
        lines.append(t(lang, "sub_not_subscribed", topics=topic_names(catalogue, missing, lang)))
    chat = await context.services.subscriptions.get(target.chat.id)
    if not chat.topics:
        lines.append(t(lang, "sub_none_left"))
    await say(update, "\n".join(lines))


@reader
async def subscriptions(update: Update, context: BriefingContext, lang: str) -> None:
    target, _args = await _target(update, context, lang, change=False)
    if target is None:
        return
    alerts = await context.services.alerts.of_chat(target.chat.id)
    text = render_status(context.services.catalogue, target.chat, lang, [alert.words for alert in alerts])
    await say(update, text, _keyboard(context, target.chat, lang))


@reader
async def digest(update: Update, context: BriefingContext, lang: str) -> None:
    target, args = await _target(update, context, lang, change=True)
    if target is None:
        return
    subscriptions = context.services.subscriptions
    choice = args[0].lower() if args else ""
    if choice in OFF:
        await subscriptions.set_digest(target.chat.id, None)
        await say(update, t(lang, "digest_off"))
        return
    if choice in NOW:
        await _digest_now(update, context, target, lang)
        return
    hhmm = parse_time(choice) if choice else None
    if hhmm is None:
        await say(update, t(lang, "digest_usage"))
        return
    next_at = await subscriptions.set_digest(target.chat.id, hhmm)
    zone = target.chat.timezone
    await say(update, t(lang, "digest_on", time=hhmm, zone=zone, next=reader_moment(next_at, zone, lang)))


async def _digest_now(update: Update, context: BriefingContext, target: Target, lang: str) -> None:
    """`/digest now`: the digest itself is the answer (sent by the sender, as every digest);
    otherwise why there is none. Managing a channel from here, a line says it went."""
    services = context.services
    done = await services.subscriptions.digest_now(target.chat.id)
    if not done.active:
        await say(update, t(lang, "digest_now_paused"))
    elif not done.items:
        followed = target.chat.topics or await services.alerts.of_chat(target.chat.id)
        await say(update, t(lang, "digest_now_nothing" if followed else "digest_now_unfollowed"))
    elif not target.here:
        await say(update, t(lang, "digest_now_sent", title=target.chat.title, count=done.items))


@reader
async def alert(update: Update, context: BriefingContext, lang: str) -> None:
    """`/alert words[, more words]` adds alerts; `/alert off words` removes them."""
    target, args = await _target(update, context, lang, change=True, refusal="not_admin_alerts")
    if target is None:
        return
    alerts = context.services.alerts
    removing = bool(args) and args[0].lower() in ALERT_OFF
    words = " ".join(args[1:] if removing else args)
    if not words.strip():
        await say(update, _heading(target, lang, "channel_named") + t(lang, "alert_off_usage" if removing else "alert_usage"))
        return
    if removing:
        change = await alerts.remove(target.chat.id, words)
    else:
        message = update.effective_message
        thread = message.message_thread_id if target.here and message and message.is_topic_message else None
        change = await alerts.add(target.chat.id, words, thread)
        if change.empty:
            await say(update, _heading(target, lang, "channel_named") + t(lang, "alert_usage"))
            return
    await send_reply(update, Reply.of(_heading(target, lang, "channel_named") + render_alert_change(change, lang)))


async def _alerts_view(context: BriefingContext, chat: ChatSettings, here: bool, lang: str) -> tuple[Reply, keyboards.Markup | None]:
    alerts = await context.services.alerts.of_chat(chat.id)
    text = render_alerts(chat, alerts, context.services.alerts.limit, lang, here)
    return Reply.of(text), alerts_keyboard(chat.id, alerts)


@reader
async def alert_list(update: Update, context: BriefingContext, lang: str) -> None:
    """`/alerts`: the chat's alerts with a ✖ button each (anyone may look, as at /subscriptions)."""
    target, _args = await _target(update, context, lang, change=False)
    if target is None:
        return
    await send_reply(update, *await _alerts_view(context, target.chat, target.here, lang))


@reader
async def remove_alert_button(update: Update, context: BriefingContext, lang: str) -> None:
    """✖ under /alerts: authorised anew on every press, as the topic buttons are; the list is
    shown again in place, without the alert."""
    query = update.callback_query
    press = callbacks.RemoveAlert.unpack(query.data)
    message = query.message
    if press is None or message is None:
        await query.answer(t(lang, "button_expired"))
        return
    if not await _may_change(context, message, press.chat_id, query.from_user.id):
        await query.answer(t(lang, "not_admin_toast"), show_alert=True)
        return
    chat = await context.services.subscriptions.get(press.chat_id)
    removed = await context.services.alerts.remove_by_id(press.chat_id, press.alert_id) if chat else None
    await query.answer(t(lang, "alert_removed_toast", words=removed.words) if removed else t(lang, "alert_gone_toast"))
    if chat is None:
        return
    reply, keyboard = await _alerts_view(context, chat, press.chat_id == message.chat.id, lang)
    if removed or _button_data(message.reply_markup) != _button_data(keyboard):  # else the list is as shown
        await edit_or_send(update, reply, keyboard)


def _button_data(markup) -> set[str]:
    """Callback data of a keyboard, as sent (a dict) or as it came back (InlineKeyboardMarkup)."""
    if markup is None:
        return set()
    rows = markup["inline_keyboard"] if isinstance(markup, dict) else markup.inline_keyboard
    return {button["callback_data"] if isinstance(button, dict) else button.callback_data for row in rows for button in row}


async def _may_change(context: BriefingContext, message, chat_id: int, user_id: int) -> bool:
    """Whether this user may change chat `chat_id` from the chat the button is in: their own
    private chat, a group they administer, or a channel they administer, from private."""
    here = message.chat.id
    if chat_id == here:
        return message.chat.type == ChatType.PRIVATE or await is_admin(context.bot, here, user_id)
    return message.chat.type == ChatType.PRIVATE and not (await check_channel(context.bot, chat_id, user_id)).problem


@reader
async def timezone(update: Update, context: BriefingContext, lang: str) -> None:
    target, args = await _target(update, context, lang, change=bool(context.args))
    if target is None:
        return
    if not args:
        await say(update, t(lang, "timezone_usage", zone=target.chat.timezone))
        return
    zone = parse_timezone(" ".join(args))
    if zone is None:
        await say(update, t(lang, "timezone_unknown", zone=" ".join(args)[:40]))
        return
    next_at = await context.services.subscriptions.set_timezone(target.chat.id, zone)
    text = t(lang, "timezone_set", zone=zone)
    if next_at is not None:
        text += "\n" + t(lang, "digest_on", time=target.chat.digest_time, zone=zone, next=reader_moment(next_at, zone, lang))
    await say(update, text)


@reader
async def instant(update: Update, context: BriefingContext, lang: str) -> None:
    target, args = await _target(update, context, lang, change=True)
    if target is None:
        return
    choice = args[0].lower() if args else ""
    if choice not in ON | OFF:
        await say(update, t(lang, "instant_usage"))
        return
    await context.services.subscriptions.set_instant(target.chat.id, choice in ON)
    await say(update, t(lang, "instant_on" if choice in ON else "instant_off"))


@reader
async def stop(update: Update, context: BriefingContext, lang: str) -> None:
    target, _args = await _target(update, context, lang, change=True)
    if target is None:
        return
    await context.services.subscriptions.set_state(target.chat.id, STOPPED, "stopped by the chat")
    await say(update, t(lang, "stopped"))


@reader
async def resume(update: Update, context: BriefingContext, lang: str) -> None:
    target, _args = await _target(update, context, lang, change=True)
    if target is None:
        return
    if target.chat.state not in (STOPPED, PAUSED):
        await say(update, t(lang, "not_stopped"))
        return
    await context.services.subscriptions.set_state(target.chat.id, ACTIVE)
    await say(update, t(lang, "resumed"))


@reader
async def start_in_group(update: Update, context: BriefingContext, lang: str) -> None:
    """`/start <topics>` in a group: the `startgroup` deep link that added the bot, with the
    topics to subscribe (`energy-logistics`). Only an administrator's link subscribes."""
    payload = command_args(context).replace("-", " ").replace("_", " ")
    slugs, unknown = parse_topics(context.services.catalogue, payload.split())
    if not slugs or unknown or not await sender_is_admin(update, context.bot):
        await say(update, t(lang, "group_greeting"))
        return
    context.args = slugs
    await subscribe(update, context)


@reader
async def channel(update: Update, context: BriefingContext, lang: str) -> None:
    """`/channel` explains and offers the "choose a channel" button; `/channel @name topics`
    connects that channel at once; `/channel topics` preselects topics for the button."""
    chat = update.effective_chat
    if chat is None or chat.type != ChatType.PRIVATE:
        await say(update, t(lang, "channel_private_only"))
        return
    args = list(context.args or [])
    catalogue = context.services.catalogue
    if args and CHAT_REFERENCE.match(args[0]):
        target, rest = await _target(update, context, lang, change=True)
        if target is None:
            return
        slugs, unknown = parse_topics(catalogue, rest)
        if unknown:
            await _say_unknown_topics(update, context, lang, unknown)
            return
        await context.services.subscriptions.subscribe(target.chat.id, slugs)
        await _channel_connected(update, context, target.chat.id, lang)
        return
    slugs, _unknown = parse_topics(catalogue, args)
    registered = await context.services.subscriptions.channels_registered_by(update.effective_user.id)
    text = render_channel_help(catalogue, context.bot.username, registered, lang)
    keyboard = keyboards.channel_request_keyboard(catalogue, slugs, lang)
    await send_reply(update, Reply((text,)), keyboard)


def connected_message(catalogue: Catalogue, channel: ChatSettings, lang: str) -> tuple[str, keyboards.Markup]:
    """"Channel connected", what it receives, and its topic buttons."""
    text = t(lang, "channel_registered", title=channel.title) + "\n\n" + render_status(catalogue, channel, lang)
    markup = keyboards.subscription_keyboard(catalogue, channel.id, channel.topics, channel.instant, lang)
    return text, markup


async def _channel_connected(update: Update, context: BriefingContext, chat_id: int, lang: str) -> None:
    channel_settings = await context.services.subscriptions.get(chat_id)
    await say(update, *connected_message(context.services.catalogue, channel_settings, lang))


async def channel_shared(update: Update, context: BriefingContext) -> None:
    """The user picked a channel with the "choose a channel" button."""
    message = update.effective_message
    shared = message.chat_shared if message else None
    if shared is None or shared.request_id < keyboards.CHANNEL_REQUEST_BASE:
        return
    mask = shared.request_id - keyboards.CHANNEL_REQUEST_BASE
    await _connect_channel(update, context, shared.chat_id, keyboards.topics_from_mask(context.services.catalogue, mask))


async def channel_forwarded(update: Update, context: BriefingContext) -> None:
    """A post forwarded from a channel: connect that channel."""
    message = update.effective_message
    origin = message.forward_origin if message else None
    channel_chat = getattr(origin, "chat", None)
    if channel_chat is None or channel_chat.type != ChatType.CHANNEL:
        return
    await _connect_channel(update, context, channel_chat.id, [])


async def _connect_channel(update: Update, context: BriefingContext, chat_id: int, slugs: list[str]) -> None:
    lang = user_language(update)
    channel_settings = await _registered_channel(update, context, chat_id, lang)
    if channel_settings is None:
        return
    if slugs:
        await context.services.subscriptions.subscribe(channel_settings.id, slugs)
    await _channel_connected(update, context, channel_settings.id, lang)


@reader
async def toggle_button(update: Update, context: BriefingContext, lang: str) -> None:
    """✅/▫️ topic buttons and the instant switch: authorised anew on every press."""
    query = update.callback_query
    services = context.services
    press = keyboards.parse_subscription_callback(query.data, services.catalogue)
    message = query.message
    if press is None or message is None:
        await query.answer(t(lang, "button_expired"))
        return
    here = message.chat.id
    allowed = await _may_change(context, message, press.chat_id, query.from_user.id)
    settings = await services.subscriptions.get(press.chat_id) if allowed else None
    if settings is None:
        await query.answer(t(lang, "not_admin_toast" if not allowed else "button_expired"), show_alert=not allowed)
        return
    if press.action == keyboards.TOGGLE_INSTANT:
        await services.subscriptions.set_instant(press.chat_id, not settings.instant)
    else:
        await services.subscriptions.toggle(press.chat_id, press.topic.slug)
    settings = await services.subscriptions.get(press.chat_id)
    await query.answer()
    try:
        await context.bot.edit_message_reply_markup(
            here, message.message_id, reply_markup=_keyboard(context, settings, lang)
        )
    except BadRequest as exc:  # a double tap: the keyboard already shows this state
        if "not modified" not in exc.message:
            raise


class _ForwardedFromChannel(filters.MessageFilter):
    def filter(self, message) -> bool:
        return getattr(message.forward_origin, "type", None) == "channel"


FORWARDED_FROM_CHANNEL = _ForwardedFromChannel(name="forwarded from a channel")


def register(application: Application) -> None:
    new = filters.UpdateType.MESSAGE
    private = filters.ChatType.PRIVATE
    commands = {
        "subscribe": subscribe, "unsubscribe": unsubscribe, "subscriptions": subscriptions,
        "digest": digest, "timezone": timezone, "instant": instant, "stop": stop,
        "resume": resume, "channel": channel, "alert": alert, "alerts": alert_list,
    }  # fmt: skip
    application.add_handlers(
        [CommandHandler(name, callback, filters=new) for name, callback in commands.items()]
        + [
            CommandHandler("start", start_in_group, filters=new & filters.ChatType.GROUPS & filters.Regex(r"^/start\S*\s+\S")),
            MessageHandler(new & private & filters.StatusUpdate.CHAT_SHARED, channel_shared),
            MessageHandler(new & private & FORWARDED_FROM_CHANNEL, channel_forwarded),
            CallbackQueryHandler(toggle_button, pattern=r"^si?:"),
            CallbackQueryHandler(remove_alert_button, pattern=r"^ax:"),
        ]
    )
