"""Sending and changing messages: sendMessage, editMessageText/Caption/ReplyMarkup,
deleteMessage, sendChatAction and answerCallbackQuery (sendDocument lives in ``files``).

Each handler validates in the order Telegram does (chat and the bot's standing there, then
content, then markup, then flood control), changes the stored message under the world lock,
and returns the Message object Telegram would. Every bot message keeps its current state and
its edit history. ``message_thread_id`` must name an existing topic of a forum (a reply goes to
its topic by itself); anything else is ``message thread not found``.
"""

from __future__ import annotations

from typing import Any

from .errors import bad_request, not_implemented
from .formatting import check_link_preview_options, link_preview, render_caption, render_text
from .html_entities import ParsedText
from .keyboards import check_reply_markup
from .models import ChatState, StoredMessage
from .state import World
from .utf16 import utf16_len

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)
CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice",
        "upload_voice", "upload_document", "choose_sticker", "find_location",
        "record_video_note", "upload_video_note",
    }
)  # fmt: skip
MAX_CALLBACK_ANSWER_UTF16 = 200


def reply_target(world: World, state: Any, params: dict[str, Any]) -> int | None:
    reply = params.get("reply_parameters")
    legacy = params.get("reply_to_message_id")  # the pre-7.0 spelling, not in the spec
    if reply is None and legacy is not None:
        if not str(legacy).lstrip("-").isdigit():
            raise bad_request('field "reply_to_message_id" must be of type Integer')
        reply = {"message_id": int(legacy)}
    if reply is None:
        return None
    if not isinstance(reply, dict) or not isinstance(reply.get("message_id"), int):
        raise bad_request("can't parse reply parameters JSON object")
    if reply.get("chat_id") not in (None, state.id):
        raise not_implemented("replies to messages in other chats")
    if world.find_message(state, reply["message_id"]) is None:
        if reply.get("allow_sending_without_reply"):
            return None
        raise bad_request("message to be replied not found")
    return reply["message_id"]


def message_thread(state: ChatState, params: dict[str, Any], reply_to: int | None) -> int | None:
    """The forum topic a new message goes to: ``message_thread_id`` (which must be an existing
    topic of a forum; anything else is refused) or else the topic of the replied-to message."""
    thread_id = params.get("message_thread_id")
    if not thread_id:  # 0 is how the server reads "absent"
        replied = state.by_id.get(reply_to) if reply_to is not None else None
        return replied.message_thread_id if replied and replied.is_topic_message else None
    if not state.chat.get("is_forum") or thread_id not in state.topics:
        raise bad_request("message thread not found")
    return thread_id


def add_bot_message(
    world: World,
    state: ChatState,
    params: dict[str, Any],
    method: str,
    *,
    parsed: ParsedText,
    raw: str,
    markup: dict[str, Any] | None,
    document: dict[str, Any] | None = None,
    photo: list[dict[str, Any]] | None = None,
    preview: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Store a new bot message (after the reply, topic and flood checks, in that order) and
    return its Message object; ``parsed``/``raw`` are the text, or a document's caption."""
    reply_to = reply_target(world, state, params)
    thread_id = message_thread(state, params, reply_to)
    paid = params.get("allow_paid_broadcast") is True  # a bool by now: see params.py
    if world.flood.applies_to(method):
        world.flood.check(state.id, state.type, world.clock(), paid=paid)
    if paid:
        world.paid_messages += 1
    message = state.add(
        StoredMessage(
            message_id=state.new_message_id(),
            chat_id=state.id,
            date=world.now(),
            sender="bot",
            from_user=None if state.type == "channel" else world.bot_sender,
            text=parsed.text,
            entities=parsed.entities,
            html=raw,
            parse_mode=params.get("parse_mode"),
            reply_markup=markup,
            reply_to_message_id=reply_to,
            message_thread_id=thread_id,
            is_topic_message=thread_id is not None,
            document=document,
            photo=photo,
            link_preview_options=preview,
            link_preview=link_preview(preview, parsed) if document is None and photo is None else None,
        )
    )
    return world.api_message(state, message)


def send_message(world: World, params: dict[str, Any]) -> dict[str, Any]:
    with world.lock:
        state = world.chat_for_sending(params["chat_id"])
        parsed = render_text(params, strict_ampersand=world.strict_ampersand)
        preview = check_link_preview_options(params.get("link_preview_options"))
        markup = check_reply_markup(params.get("reply_markup"), private=state.chat["type"] == "private")
        result = add_bot_message(
            world, state, params, "sendMessage", parsed=parsed, raw=params["text"], markup=markup,
            preview=preview,
        )
    world.signal.notify()
    return result


def _editable(world: World, params: dict[str, Any], method: str) -> tuple[Any, StoredMessage]:
    if params.get("inline_message_id"):
        raise not_implemented(f"{method} with inline_message_id")
    if params.get("chat_id") in (None, ""):
        raise bad_request("chat_id is empty")
    if params.get("message_id") is None:
        raise bad_request("message identifier is not specified")
    state = world.chat_for(params["chat_id"], "edit")
    message = world.find_message(state, params["message_id"])
    if message is None:
        raise bad_request("message to edit not found")
    if message.sender != "bot" or message.service is not None:
        raise bad_request("message can't be edited")
    if state.type == "channel":
        bot = world.bot_member(state)
        if not (bot.right("can_edit_messages") or bot.right("can_post_messages")):
            raise bad_request("message can't be edited")
    return state, message


def edit_message_text(world: World, params: dict[str, Any]) -> dict[str, Any]:
    if params.get("rich_message") is not None:
        raise not_implemented("editMessageText with rich_message")
    with world.lock:
        state, message = _editable(world, params, "editMessageText")
        if not params.get("text"):
            raise bad_request("message text is empty")
        parsed = render_text(params, strict_ampersand=world.strict_ampersand)
        preview = check_link_preview_options(params.get("link_preview_options"))
        # Omitting reply_markup removes the inline keyboard, exactly as on Telegram.
        markup = check_reply_markup(params.get("reply_markup"), inline_only=True, private=state.chat["type"] == "private")
        if message.document is not None:
            raise bad_request("there is no text in the message to edit")
        result = _apply_edit(world, state, message, parsed, params["text"], params, markup, preview)
    world.signal.notify()
    return result


def edit_message_caption(world: World, params: dict[str, Any]) -> dict[str, Any]:
    """Like editMessageText for a document's caption; an absent caption removes it."""
    with world.lock:
        state, message = _editable(world, params, "editMessageCaption")
        parsed = render_caption(params, strict_ampersand=world.strict_ampersand)
        markup = check_reply_markup(params.get("reply_markup"), inline_only=True, private=state.chat["type"] == "private")
        if message.document is None:
            raise bad_request("there is no caption in the message to edit")
        raw = params.get("caption") or ""
        result = _apply_edit(world, state, message, parsed, raw, params, markup)
    world.signal.notify()
    return result


def _apply_edit(
    world: World,
    state: ChatState,
    message: StoredMessage,
    parsed: ParsedText,
    raw: str,
    params: dict[str, Any],
    markup: dict[str, Any] | None,
    preview: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Replace the text (or caption), keyboard and link preview, keeping the old version in
    ``edits``."""
    if (parsed.text, parsed.entities, markup, preview) == message.content():
        raise bad_request(NOT_MODIFIED)
    message.push_edit(world.now())
    message.text, message.entities, message.reply_markup = parsed.text, parsed.entities, markup
    message.link_preview_options = preview
    message.link_preview = link_preview(preview, parsed) if message.document is None and message.photo is None else None
    message.html, message.parse_mode = raw, params.get("parse_mode")
    return world.api_message(state, message)


def edit_message_reply_markup(world: World, params: dict[str, Any]) -> dict[str, Any]:
    with world.lock:
        state, message = _editable(world, params, "editMessageReplyMarkup")
        markup = check_reply_markup(params.get("reply_markup"), inline_only=True, private=state.chat["type"] == "private")
        if markup == message.reply_markup:
            raise bad_request(NOT_MODIFIED)
        message.push_edit(message.edit_date)  # a keyboard change does not mark text "edited"
        message.reply_markup = markup
        result = world.api_message(state, message)
    world.signal.notify()
    return result


def delete_message(world: World, params: dict[str, Any]) -> bool:
    with world.lock:
        state = world.chat_for(params["chat_id"], "write")
        message = world.find_message(state, params["message_id"])
        if message is None:
            raise bad_request("message to delete not found")
        if (
            message.sender != "bot"
            and state.type != "private"
            and not world.bot_member(state).right("can_delete_messages")
        ):
            raise bad_request("message can't be deleted")
        message.deleted = True
    world.signal.notify()
    return True


def send_chat_action(world: World, params: dict[str, Any]) -> bool:
    with world.lock:
        state = world.chat_for_sending(params["chat_id"])
        if params["action"] not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        world.chat_actions.append(
            {"chat_id": state.id, "action": params["action"], "date": world.now()}
        )
    return True


def answer_callback_query(world: World, params: dict[str, Any]) -> bool:
    with world.lock:
        query = world.callback_queries.get(params["callback_query_id"])
        if query is None or query["answered"]:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        if utf16_len(params.get("text") or "") > MAX_CALLBACK_ANSWER_UTF16:
            raise bad_request("MESSAGE_TOO_LONG")
        query["answered"] = True
        world.callback_answers[params["callback_query_id"]] = dict(params)
    world.signal.notify()
    return True


HANDLERS = {
    "sendMessage": send_message,
    "editMessageText": edit_message_text,
    "editMessageCaption": edit_message_caption,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
    "sendChatAction": send_chat_action,
    "answerCallbackQuery": answer_callback_query,
}
