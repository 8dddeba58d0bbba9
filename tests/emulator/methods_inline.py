"""Inline mode: users type ``@bot words`` anywhere; the bot answers with answerInlineQuery.

Validated as Telegram does: the query must exist and not be answered yet; at most 50 results;
each result has a type, a unique id of 1-64 bytes and, for articles, a title and an
``input_message_content`` whose text obeys the same rules as sendMessage (HTML parsed
strictly, at most 4096 UTF-16 units after parsing). Reply markup is checked like messages'.
"""

from __future__ import annotations

import copy
import itertools
from typing import Any

from .errors import bad_request
from .formatting import render_text
from .keyboards import check_reply_markup
from .state import World

MAX_RESULTS = 50
RESULT_TYPES = frozenset(
    {"article", "photo", "gif", "mpeg4_gif", "video", "audio", "voice", "document", "location",
     "venue", "contact", "game", "sticker"}
)  # fmt: skip
_query_ids = itertools.count(8_800_000_000_000_000_001)


def new_inline_query(world: World, user: dict[str, Any], query: str, offset: str = "", chat_type: str = "sender") -> str:
    """``user`` types ``@bot query``; returns the inline query id."""
    with world.lock:
        world.remember_user(user)
        query_id = str(next(_query_ids))
        world.inline_queries[query_id] = {"answered": False}
        payload = {"id": query_id, "from": copy.deepcopy(user), "query": query, "offset": offset,
                   "chat_type": chat_type}
    world.enqueue("inline_query", payload)
    return query_id


def answer_inline_query(world: World, params: dict[str, Any]) -> bool:
    results = params.get("results")
    if not isinstance(results, list):
        raise bad_request("results must be an array")
    if len(results) > MAX_RESULTS:
        raise bad_request("RESULTS_TOO_MUCH")
    seen: set[str] = set()
    for result in results:
        if not isinstance(result, dict) or result.get("type") not in RESULT_TYPES:
            raise bad_request("RESULT_TYPE_INVALID")
        result_id = str(result.get("id", ""))
        if not 1 <= len(result_id.encode()) <= 64:
            raise bad_request("RESULT_ID_INVALID")
        if result_id in seen:
            raise bad_request("RESULT_ID_DUPLICATE")
        seen.add(result_id)
        if result["type"] == "article":
            if not result.get("title"):
                raise bad_request("RESULT_TITLE_EMPTY")
            content = result.get("input_message_content")
            if not isinstance(content, dict) or "message_text" not in content:
                raise bad_request("MESSAGE_EMPTY")
            as_message = {"text": content["message_text"], "parse_mode": content.get("parse_mode"),
                          "entities": content.get("entities")}
            render_text(as_message, strict_ampersand=world.strict_ampersand)
        if "reply_markup" in result:
            check_reply_markup(result["reply_markup"], inline_only=True, private=False)  # sent into any chat
    with world.lock:
        query = world.inline_queries.get(str(params["inline_query_id"]))
        if query is None or query["answered"]:
            raise bad_request("query is too old and response timeout expired or query ID is invalid")
        query["answered"] = True
        world.inline_answers[str(params["inline_query_id"])] = copy.deepcopy(params)
    world.signal.notify()
    return True


HANDLERS = {"answerInlineQuery": answer_inline_query}
