"""The desk's web server: its page, static files and a small JSON API, as an aiohttp sub-app.

Every API call carries the Mini App's launch data (header `X-Telegram-Init-Data`); it is
checked (`auth.validate`) and the user must be an owner or an editor at that moment, or the
answer is 401/403 with no content. Writes go through the same services as the chat commands
(`EditorDesk`, `Editorial`) with the acting editor as the `Actor`, so the audit trail,
corrections of delivered copies and deliveries behave exactly as for a chat command. Errors
are JSON with a message in the editor's language (the texts of the chat), never a traceback.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

from bot.desk import auth
from bot.domain.actors import Actor
from bot.domain.models import collapse_whitespace
from bot.presentation.editorial import audit_changes
from bot.presentation.texts import UI, language_of, t
from bot.services.desk import EditorDesk, Outcome
from bot.services.editorial import EditError
from bot.web import RefusalLog, TooLarge, loads, read_capped

log = logging.getLogger(__name__)
INIT_DATA_HEADER = "X-Telegram-Init-Data"
MAX_BODY = 16 * 1024  # a title, a summary (1200 characters) or a figure: far less than this
# Launch data is a bearer credential that Telegram signs once, when the desk is opened: reads
# take it for DESK_AUTH_MAX_AGE, a change (publishing included) only while it is this fresh.
WRITE_MAX_AGE = 3600
LISTED = 300
STATIC = {  # the page's files, by name: nothing else is served
    "index.html": "text/html",
    "desk.js": "text/javascript",
    "desk.css": "text/css",
}
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


@dataclass(frozen=True)
class Editor:
    actor: Actor
    lang: str


def _language_hint(init_data: str) -> str:
    """The language for a refusal, read from launch data that may not be genuine: it decides
    only which language the refusal is in."""
    try:
        fields = dict(parse_qsl(init_data[: auth.MAX_INIT_DATA]))
        return language_of(loads(fields.get("user", "{}")).get("language_code"))
    except (ValueError, TypeError, AttributeError):
        return "ru"


class Refusal(Exception):
    """An API answer other than success: the HTTP status and the message for the editor."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status, headers={"Cache-Control": "no-store"})


class DeskApi:
    def __init__(
        self, desk: EditorDesk, token: str, *, max_age: float, clock: Callable[[], float] = time.time,
    ) -> None:
        self.desk = desk
        self.editorial = desk.editorial
        self.catalogue = desk.catalogue
        self.token = token
        self.max_age = max_age
        self.clock = clock
        self.write_max_age = min(WRITE_MAX_AGE, max_age)
        self.refusals = RefusalLog(log)
        self.files = {name: resources.files("bot.desk").joinpath("static", name).read_bytes() for name in STATIC}

    # --- who is asking -------------------------------------------------------------------------

    async def editor(self, request: web.Request, *, write: bool = False) -> Editor:
        """Who is asking, from launch data no older than DESK_AUTH_MAX_AGE; for a change
        (`write`), no older than WRITE_MAX_AGE."""
        init_data = request.headers.get(INIT_DATA_HEADER, "")
        now = self.clock()
        try:
            launch = auth.validate(init_data, self.token, max_age=self.max_age, now=now)
        except auth.InitDataError as exc:
            self.refusals.refused(f"desk: launch data refused, {exc.reason} (401)")
            raise Refusal(401, t(_language_hint(init_data), "desk_unauthorized")) from None
        lang = language_of(launch.user.language_code)
        if write and now - launch.auth_date > self.write_max_age:
            self.refusals.refused("desk: a change with launch data over an hour old (401)")
            raise Refusal(401, t(lang, "desk_stale_for_changes"))
        if await self.editorial.role(launch.user.id) is None:  # asked at every call: a revoked editor is out at once
            raise Refusal(403, t(lang, "desk_forbidden"))
        return Editor(Actor(launch.user.id, launch.user.full_name[:100], "desk"), lang)

    async def body(self, request: web.Request, lang: str) -> dict[str, Any]:
        """The JSON object a change sends, read with the desk's own cap (the server's
        `client_max_size` is the root application's, a megabyte) and bounded nesting."""
        try:
            data = loads(await read_capped(request, MAX_BODY))
        except TooLarge:
            self.refusals.refused("desk: body too large (413)")
            raise Refusal(413, t(lang, "desk_too_large")) from None
        except ValueError:
            self.refusals.refused("desk: body not JSON (400)")
            raise _bad(lang, "not JSON") from None
        if not isinstance(data, dict):
            raise _bad(lang, "not a JSON object")
        return data

    # --- the page ------------------------------------------------------------------------------

    def static(self, name: str) -> Callable[[web.Request], Any]:
        async def serve(request: web.Request) -> web.Response:
            return web.Response(body=self.files[name], content_type=STATIC[name], charset="utf-8",
                                headers={"Cache-Control": "no-cache"})

        return serve

    # --- reading -------------------------------------------------------------------------------

    async def listing(self, request: web.Request) -> web.Response:
        who = await self.editor(request)
        records = await self.editorial.on_the_desk(LISTED)
        topics = [{"slug": topic.slug, "emoji": topic.emoji, "title": topic.title.get(who.lang)} for topic in self.catalogue]
        snippets = [{"id": r.id, "topic": r.topic, "title": r.title, "status": r.status, "origin": r.origin} for r in records]
        labels = {key.removeprefix("desk_ui_"): value for key, value in UI[who.lang].items() if key.startswith("desk_ui_")}
        return _json({"lang": who.lang, "editor": who.actor.name, "labels": labels, "topics": topics, "snippets": snippets})

    async def sheet(self, request: web.Request) -> web.Response:
        who = await self.editor(request)
        snippet_id = int(request.match_info["id"])
        try:
            record = await self.editorial.snippet(snippet_id)
            preview = await self.editorial.preview(snippet_id, who.lang)
            passage = await self.editorial.source_passage(snippet_id)
        except EditError as exc:
            return _error(404, t(who.lang, exc.key, **exc.values))
        [view] = await self.desk.content.snippets_by_id([snippet_id])
        marks = [f.evidence for f in view.figures] + [q.text for q in view.quotes]
        reach = await self.editorial.recipients(snippet_id) if record.status == "draft" else None
        delivered = await self.editorial.delivered_count(snippet_id) if record.status == "published" else None
        history = await self.editorial.history(snippet_id)
        # a draft that repeats its source's words says so above its preview (publishing it is refused)
        warning = await self.desk.own_words_note(who.lang, snippet_id) if record.status == "draft" else None
        topic = self.catalogue.by_slug(record.topic)
        return _json({
            "id": record.id, "topic": record.topic, "status": record.status, "origin": record.origin,
            "topic_title": f"{topic.emoji} {topic.title.get(who.lang)}" if topic else record.topic,
            "title": record.title, "summary": record.summary,
            "figures": [{"position": i, "value": f.value_text, "unit": f.unit, "label": f.label, "evidence": f.evidence}
                        for i, f in enumerate(view.figures, 1)],
            "quotes": [{"position": i, "text": q.text, "author": q.author.name, "role": q.author.role}
                       for i, q in enumerate(view.quotes, 1)],
            "source": {"title": view.source.title, "url": view.source.url,
                       "passage": highlighted(passage, marks) if passage else None},
            "preview": list(preview.parts), "warning": warning, "reach": reach, "delivered": delivered,
            "history": [_history_entry(entry) for entry in history],
        })  # fmt: skip

    # --- changes -------------------------------------------------------------------------------

    async def change_text(self, request: web.Request) -> web.Response:
        who = await self.editor(request, write=True)
        data = await self.body(request, who.lang)
        title, summary = _text(data, "title", who.lang), _text(data, "summary", who.lang)
        # the chat's "Title\nsummary" form, so the same rules and the same messages apply
        text = f"{' '.join(title.split())}\n{summary}" if title.strip() else summary
        return _outcome(await self.desk.change_text(who.actor, who.lang, int(request.match_info["id"]), text))

    async def add_figure(self, request: web.Request) -> web.Response:
        who = await self.editor(request, write=True)
        data = await self.body(request, who.lang)
        value, unit, label = (_text(data, name, who.lang) for name in ("value", "unit", "label"))
        outcome = await self.desk.change_figure(who.actor, who.lang, int(request.match_info["id"]), value.strip(), unit, label)
        return _outcome(outcome)

    async def take_out(self, request: web.Request) -> web.Response:
        """One of a snippet's figures or quotes, by its place in the list (from 1)."""
        who = await self.editor(request, write=True)
        remove = self.desk.drop_figure if request.match_info["kind"] == "figures" else self.desk.drop_quote
        snippet_id, position = int(request.match_info["id"]), int(request.match_info["position"])
        return _outcome(await remove(who.actor, who.lang, snippet_id, position))

    async def set_quote(self, request: web.Request) -> web.Response:
        """A new quote, or (with `position`, from 1) other words in place of that one."""
        who = await self.editor(request, write=True)
        data = await self.body(request, who.lang)
        text, speaker = _text(data, "text", who.lang), _text(data, "speaker", who.lang)
        position = data.get("position", 0)
        if type(position) is not int or not 0 <= position < 1000:
            raise _bad(who.lang, "position must be a whole number")
        outcome = await self.desk.change_quote(who.actor, who.lang, int(request.match_info["id"]), text, speaker, position)
        return _outcome(outcome)

    async def publish(self, request: web.Request) -> web.Response:
        who = await self.editor(request, write=True)
        return _outcome(await self.desk.publish_draft(who.actor, who.lang, int(request.match_info["id"])))

    async def retire(self, request: web.Request) -> web.Response:
        who = await self.editor(request, write=True)
        return _outcome(await self.desk.withdraw(who.actor, who.lang, int(request.match_info["id"])))

    async def confirm(self, request: web.Request) -> web.Response:
        who = await self.editor(request, write=True)
        data = await self.body(request, who.lang)
        token, apply = data.get("token"), data.get("apply")
        if not isinstance(token, str) or not 0 < len(token) <= 64 or not isinstance(apply, bool):
            raise _bad(who.lang, "token and apply are required")
        return _outcome(await self.desk.settle(who.actor, who.lang, token, apply=apply))


def _bad(lang: str, problem: str) -> Refusal:
    return Refusal(400, t(lang, "desk_bad_request", problem=problem))


def _text(data: dict[str, Any], name: str, lang: str) -> str:
    value = data.get(name, "")
    if not isinstance(value, str):
        raise _bad(lang, f"{name} must be text")
    return value


def _json(payload: dict[str, Any]) -> web.Response:
    return web.json_response(payload, headers={"Cache-Control": "no-store"})


def _outcome(outcome: Outcome) -> web.Response:
    """A refusal is 422 with the chat's message; otherwise the message, what readers will see,
    and the token of a change that waits for Apply."""
    payload = {"ok": outcome.ok, "message": outcome.message, "preview": list(outcome.preview), "token": outcome.token}
    return web.json_response(payload, status=200 if outcome.ok else 422, headers={"Cache-Control": "no-store"})


def _history_entry(entry) -> dict[str, Any]:
    changes = [{"field": field, "before": old, "after": new}
               for field, old, new in audit_changes(entry.before, entry.after, limit=300)]
    return {"at": entry.at.replace("T", " ")[:16], "actor": entry.actor, "via": entry.via,
            "action": entry.action, "changes": changes}  # fmt: skip


def highlighted(passage: str, marks: list[str]) -> list[dict[str, Any]]:
    """The passage as runs of text, `mark` set on the runs that are a figure's evidence or a
    quote (found verbatim, whitespace collapsed as the passage is)."""
    spans: list[tuple[int, int]] = []
    for mark in {collapse_whitespace(m) for m in marks if m and m.strip()}:
        start = passage.find(mark)
        while start >= 0:
            spans.append((start, start + len(mark)))
            start = passage.find(mark, start + 1)
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    runs, at = [], 0
    for start, end in merged:
        if start > at:
            runs.append({"text": passage[at:start], "mark": False})
        runs.append({"text": passage[start:end], "mark": True})
        at = end
    if at < len(passage):
        runs.append({"text": passage[at:], "mark": False})
    return runs


def desk_app(api: DeskApi) -> web.Application:
    """The desk as a sub-application, to mount at the path of DESK_URL."""

    @web.middleware
    async def guard(request: web.Request, handler) -> web.StreamResponse:
        lang = _language_hint(request.headers.get(INIT_DATA_HEADER, ""))
        try:
            response = await handler(request)
        except Refusal as exc:
            response = _error(exc.status, exc.message)
        except web.HTTPRequestEntityTooLarge:
            response = _error(413, t(lang, "desk_too_large"))
        except web.HTTPNotFound:
            response = _error(404, t(lang, "desk_not_found"))
        except web.HTTPMethodNotAllowed:
            response = _error(405, t(lang, "desk_not_found"))
        except web.HTTPRedirection:
            raise
        except web.HTTPException as exc:
            response = _error(exc.status, exc.reason)
        except Exception:
            if refusals.allow("failed") is not None:  # a bug: its traceback, once a minute
                log.exception("desk: %s %s failed", request.method, request.path[:200])
            response = _error(500, t(lang, "desk_failed"))
        response.headers.update(SECURITY_HEADERS)
        return response

    refusals = api.refusals
    app = web.Application(client_max_size=MAX_BODY, middlewares=[guard])
    app.router.add_get("/", api.static("index.html"))
    for name in STATIC:
        if name != "index.html":
            app.router.add_get(f"/{name}", api.static(name))
    app.router.add_get("/api/snippets", api.listing)
    snippet = r"/api/snippets/{id:[1-9][0-9]{0,8}}"
    app.router.add_get(snippet, api.sheet)
    app.router.add_post(snippet + "/text", api.change_text)
    app.router.add_post(snippet + "/figures", api.add_figure)
    app.router.add_post(snippet + "/quotes", api.set_quote)
    app.router.add_post(snippet + r"/{kind:figures|quotes}/{position:[1-9][0-9]{0,2}}/remove", api.take_out)
    app.router.add_post(snippet + "/publish", api.publish)
    app.router.add_post(snippet + "/retire", api.retire)
    app.router.add_post("/api/confirm", api.confirm)
    return app


def mounter(prefix: str, app: web.Application) -> Callable[[web.Application], None]:
    """What the runner calls with its server's application: the desk at `prefix` (and the
    bare prefix redirected to it with a slash, so the page's relative links resolve)."""
    prefix = "/" + prefix.strip("/")

    def mount(root: web.Application) -> None:
        async def to_slash(request: web.Request) -> web.Response:
            raise web.HTTPPermanentRedirect(prefix + "/")

        root.router.add_get(prefix, to_slash)
        root.add_subapp(prefix, app)

    return mount
