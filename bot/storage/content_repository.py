"""Content in SQLite: applying validated source files, and reading what readers see."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import aiosqlite

from bot.domain.actors import SEEDS, Actor
from bot.domain.clock import utc_now_iso
from bot.domain.models import Figure, Person, Quote, Snippet, Source, fingerprint
from bot.domain.views import QuoteView, SearchHit, SnippetView, SourceView
from bot.domain.seeds import LoadedSource
from bot.domain.voices import Voices, voices_from_json, voices_json
from bot.storage import audit, meta
from bot.storage.alerts import AlertRepository
from bot.storage.database import transaction
from bot.storage.outbox import Outbox
from bot.storage.search import search_index_for, searchable_text


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    sources_added: list[str] = field(default_factory=list)
    sources_changed: list[str] = field(default_factory=list)
    sources_retired: list[str] = field(default_factory=list)
    published_ids: list[int] = field(default_factory=list)  # went on the air in this change

    @property
    def changed_anything(self) -> bool:
        return any(vars(self).values())


def seed_snippet(view: SnippetView, status: str = "published") -> Snippet:
    """A stored snippet as it is written in a seed file (quotes by the source's author carry
    no author of their own, as in the files)."""
    return Snippet(
        id=view.key, topic=view.topic or None, title=view.title, summary=view.summary,
        title_en=view.title_en, summary_en=view.summary_en,
        figures=view.figures,
        quotes=tuple(
            Quote(text=q.text, text_en=q.text_en,
                  author=None if q.author == view.source.author else q.author)
            for q in view.quotes
        ),
        status="draft" if status == "draft" else "published",
    )


UNDATED = ""  # `sources.date` of a text that gives no date (the column predates optional dates)
NO_TOPIC = ""  # `snippets.topic` of a draft waiting for an editor's topic (the column predates optional topics)
SOURCE_COLUMNS = ("so.id, so.title, so.date, so.kind, so.author_name, so.author_role, so.url, "
                  "so.language, so.title_en, so.outlet, so.outlet_en, so.author_role_en, so.author_name_en")
SOURCE_WIDTH = len(SOURCE_COLUMNS.split(","))
FIGURE_COLUMNS = "value, unit, label, year, evidence, unit_en, label_en, stated_by, caveat, caveat_en, value_to"


def source_of(r) -> SourceView:
    return SourceView(
        id=r[0], title=r[1], date=dt.date.fromisoformat(r[2]) if r[2] != UNDATED else None, kind=r[3],
        author=Person(name=r[4], role=r[5], role_en=r[11], name_en=r[12]), url=r[6], language=r[7],
        title_en=r[8], outlet=r[9], outlet_en=r[10],
    )


def figure_row(f: Figure) -> tuple:
    """A figure as the columns of FIGURE_COLUMNS."""
    return (str(f.value), f.unit, f.label, f.year, f.evidence, f.unit_en, f.label_en, f.stated_by, f.caveat, f.caveat_en,
            str(f.value_to) if f.value_to is not None else None)


QUOTE_COLUMNS = "text, author_name, author_role, text_en, author_role_en, author_name_en"
QUOTE_MARKS = ", ".join("?" * len(QUOTE_COLUMNS.split(",")))
QUOTE_ASSIGNMENTS = ", ".join(f"{column.strip()} = ?" for column in QUOTE_COLUMNS.split(","))


def quote_row(quote: QuoteView) -> tuple:
    """A quote as the columns of QUOTE_COLUMNS."""
    return (quote.text, quote.author.name, quote.author.role, quote.text_en, quote.author.role_en, quote.author.name_en)


def figure_of(columns) -> Figure:
    value, unit, label, year, evidence, unit_en, label_en, stated_by, caveat, caveat_en, value_to = columns
    return Figure(value=Decimal(value), value_to=Decimal(value_to) if value_to is not None else None, unit=unit,
                  label=label, year=year, evidence=evidence, unit_en=unit_en, label_en=label_en, stated_by=stated_by,
                  caveat=caveat, caveat_en=caveat_en)


class _DryRun(Exception):
    """Raised inside a transaction to roll a trial run back."""


class ContentRepository:
    """Sources, snippets, figures and quotes. Given the `outbox`, a transaction that puts
    snippets on the air also queues their deliveries, so both commit or roll back together;
    without one (a read-only view, as delivery's connection uses) nothing is queued. Given
    the `alerts` too, the same transaction matches the new snippets against the chats' alerts
    and queues what they matched (once per chat and snippet, whatever brought it)."""

    def __init__(
        self, db: aiosqlite.Connection, outbox: Outbox | None = None, alerts: AlertRepository | None = None,
    ) -> None:
        self._db = db
        self.search_index = search_index_for(db)
        self._outbox = outbox
        self._alerts = alerts

    async def content_version(self) -> int:
        return await meta.content_version(self._db)

    async def _queue_deliveries(self, snippet_ids: list[int]) -> None:
        if not snippet_ids or self._outbox is None:
            return
        await self._outbox.enqueue_snippets(snippet_ids)
        if self._alerts is not None:
            await self._outbox.enqueue_alert_matches(await self._alerts.match_published(snippet_ids))

    # --- applying seeds -------------------------------------------------------------------

    async def sync_seeds(self, loaded: Sequence[LoadedSource]) -> SyncReport:
        """Make the seed-owned content match the files, in one transaction.

        Unchanged files are recognised by fingerprint and write nothing at all; snippets and
        sources that disappeared from the files are retired, never deleted.
        """
        stored = dict(
            await self._db.execute_fetchall(
                "SELECT id, fingerprint FROM sources WHERE origin LIKE 'seed:%' AND status = 'live'"
            )
        )
        wanted = {item.content.source.id: item for item in loaded}
        await self._fill_missing_texts(wanted)
        if stored == {sid: item.fingerprint for sid, item in wanted.items()}:
            return SyncReport()
        report = SyncReport()
        async with transaction(self._db):
            for source_id, item in wanted.items():
                if stored.get(source_id) != item.fingerprint:
                    await self._apply_source(item, report)
            for source_id in stored.keys() - wanted.keys():
                await self._retire_source(source_id, report)
            if report.changed_anything:
                await meta.bump_content_version(self._db)
            await self._queue_deliveries(report.published_ids)
        return report

    async def _fill_missing_texts(self, wanted: dict[str, LoadedSource]) -> None:
        """Sources stored before v6 kept no text; edits are checked against it, so add it."""
        missing = {sid for (sid,) in await self._db.execute_fetchall(
            "SELECT id FROM sources WHERE text IS NULL AND origin LIKE 'seed:%'")}
        fill = [(item.text, sid) for sid, item in wanted.items() if sid in missing and item.text]
        if fill:
            async with transaction(self._db):
                await self._db.executemany("UPDATE sources SET text = ? WHERE id = ?", fill)

    async def _apply_source(
        self, item: LoadedSource, report: SyncReport, *, origin: str | None = None,
        actor: Actor = SEEDS, drafts: bool = False,
    ) -> None:
        """Make one source and its file-managed snippets match `item`.

        `origin` set (an upload or an ingested article) keeps an existing source's origin and
        seed fingerprint: seeds/ is applied again only when its own file changes, so an upload
        is not undone by the next start. `drafts` stores every snippet as a draft (an article's);
        otherwise each snippet's own `status` says."""
        source = item.content.source
        now = utc_now_iso()
        fields = ("title, date, kind, language, author_name, author_role, url, status, text, "
                  "title_en, outlet, outlet_en, author_role_en, author_name_en")
        existing = await self._db.execute_fetchall(f"SELECT {fields} FROM sources WHERE id = ?", (source.id,))
        keep = origin is not None
        await self._db.execute(
            """
            INSERT INTO sources (id, title, date, kind, language, author_name, author_role, url,
                                 origin, fingerprint, status, created_at, updated_at,
                                 title_en, outlet, outlet_en, author_role_en, author_name_en)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'live', ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET
                title = excluded.title, date = excluded.date, kind = excluded.kind,
                language = excluded.language, author_name = excluded.author_name,
                author_role = excluded.author_role, url = excluded.url,
                title_en = excluded.title_en, outlet = excluded.outlet,
                outlet_en = excluded.outlet_en, author_role_en = excluded.author_role_en,
                author_name_en = excluded.author_name_en,
                origin = CASE WHEN ? = 1 THEN sources.origin ELSE excluded.origin END,
                fingerprint = CASE WHEN ? = 1 THEN sources.fingerprint ELSE excluded.fingerprint END,
                status = 'live', updated_at = excluded.updated_at
            """,
            (
                source.id, source.title, source.date.isoformat() if source.date else UNDATED, source.kind, source.language,
                source.author.name, source.author.role, source.url, origin or f"seed:{item.path.name}",
                item.fingerprint, now, now, source.title_en, source.outlet, source.outlet_en,
                source.author.role_en, source.author.name_en, keep, keep,
            ),
        )
        if item.text is not None or not keep:
            await self._db.execute("UPDATE sources SET text = ? WHERE id = ?", (item.text, source.id))
        if item.voices is not None:  # who says what in the text, as read when it was loaded
            await self._db.execute("UPDATE sources SET voices = ? WHERE id = ?", (voices_json(item.voices), source.id))
        elif item.text is not None or not keep:
            await self._db.execute("UPDATE sources SET voices = NULL WHERE id = ?", (source.id,))
        now_stored = await self._db.execute_fetchall(f"SELECT {fields} FROM sources WHERE id = ?", (source.id,))
        if not existing:
            report.sources_added.append(source.id)
        elif list(existing[0]) != list(now_stored[0]) or not keep:
            report.sources_changed.append(source.id)
        rows = await self._db.execute_fetchall(
            "SELECT key, id, fingerprint, status, position, origin FROM snippets WHERE source_id = ?",
            (source.id,),
        )
        current = {key: (snippet_id, fp, status, pos) for key, snippet_id, fp, status, pos, _origin in rows}
        made_by_editors = {key for key, *_rest, origin in rows if origin != "seed"}
        for position, snippet in enumerate(item.content.snippets):
            status = "draft" if drafts else snippet.status
            label = f"{source.id}/{snippet.id}"
            snippet_fp = fingerprint(snippet)
            found = current.pop(snippet.id, None)
            if found and found[1] == snippet_fp and found[2] == status:
                if position != found[3]:
                    await self._db.execute(
                        "UPDATE snippets SET position = ? WHERE id = ?", (position, found[0])
                    )
                continue
            before = await audit.snapshot(self._db, found[0]) if found else None
            snippet_id = await self._write_snippet(source, snippet, position, snippet_fp, found, now, status)
            (report.changed if found else report.added).append(label)
            await audit.record(
                self._db, actor, "changed" if found else "added", snippet_id=snippet_id,
                source_id=source.id, before=before, after=await audit.snapshot(self._db, snippet_id),
            )
            if status == "published":
                if found is None or found[2] != "published":
                    await meta.number_publication(self._db, snippet_id)
                    report.published_ids.append(snippet_id)
                await self._reindex(snippet_id)
            elif found is not None and found[2] == "published":
                await self.search_index.remove(snippet_id)
        for key, (snippet_id, _fp, old_status, _pos) in current.items():
            if old_status != "retired" and key not in made_by_editors:
                await self._retire_snippet(snippet_id, now, actor)
                report.retired.append(f"{source.id}/{key}")

    async def _write_snippet(
        self,
        source: Source,
        snippet: Snippet,
        position: int,
        snippet_fp: str,
        found: tuple[int, str, str, int] | None,
        now: str,
        status: str = "published",
    ) -> int:
        if found:
            snippet_id = found[0]
            await self._db.execute(
                """UPDATE snippets SET topic = ?, title = ?, summary = ?, position = ?,
                   fingerprint = ?, status = ?, origin = 'seed', updated_at = ?,
                   title_en = ?, summary_en = ? WHERE id = ?""",
                (snippet.topic or NO_TOPIC, snippet.title, snippet.summary, position, snippet_fp, status, now,
                 snippet.title_en, snippet.summary_en, snippet_id),
            )
            await self._db.execute("DELETE FROM figures WHERE snippet_id = ?", (snippet_id,))
            await self._db.execute("DELETE FROM quotes WHERE snippet_id = ?", (snippet_id,))
        else:
            (snippet_id,), = await self._db.execute_fetchall(
                """INSERT INTO snippets (source_id, key, topic, title, summary, position,
                   fingerprint, status, created_at, updated_at, title_en, summary_en)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
                (source.id, snippet.id, snippet.topic or NO_TOPIC, snippet.title, snippet.summary, position,
                 snippet_fp, status, now, now, snippet.title_en, snippet.summary_en),
            )
        await self._db.executemany(
            f"""INSERT INTO figures (snippet_id, position, {FIGURE_COLUMNS})
                VALUES (?, ?, {", ".join("?" * len(FIGURE_COLUMNS.split(",")))})""",
            [(snippet_id, i, *figure_row(f)) for i, f in enumerate(snippet.figures)],
        )
        await self._db.executemany(
            f"INSERT INTO quotes (snippet_id, position, {QUOTE_COLUMNS}) VALUES (?, ?, {QUOTE_MARKS})",
            [(snippet_id, i, *quote_row(QuoteView(q.text, q.author or source.author, q.text_en)))
             for i, q in enumerate(snippet.quotes)],
        )
        return snippet_id

    async def _reindex(self, snippet_id: int) -> None:
        title, body = await searchable_text(self._db, snippet_id)
        await self.search_index.put(snippet_id, title, body)

    async def _retire_snippet(self, snippet_id: int, now: str, actor: Actor = SEEDS) -> None:
        before = await audit.snapshot(self._db, snippet_id)
        await self._db.execute(
            "UPDATE snippets SET status = 'retired', updated_at = ? WHERE id = ?", (now, snippet_id)
        )
        await self.search_index.remove(snippet_id)
        await audit.record(self._db, actor, "retired", snippet_id=snippet_id, before=before,
                           after=await audit.snapshot(self._db, snippet_id))

    async def _retire_source(self, source_id: str, report: SyncReport) -> None:
        now = utc_now_iso()
        await self._db.execute(
            "UPDATE sources SET status = 'retired', updated_at = ? WHERE id = ?", (now, source_id)
        )
        rows = await self._db.execute_fetchall(
            "SELECT id, key FROM snippets WHERE source_id = ? AND status != 'retired'", (source_id,)
        )
        for snippet_id, key in rows:
            await self._retire_snippet(snippet_id, now)
            report.retired.append(f"{source_id}/{key}")
        report.sources_retired.append(source_id)

    # --- reading ---------------------------------------------------------------------------

    async def published_snippets(
        self, topic: str | None = None, limit: int | None = None
    ) -> list[SnippetView]:
        """Published snippets, newest source first, in their order within the source."""
        where = "sn.status = 'published' AND so.status = 'live'"
        params: list[object] = []
        if topic is not None:
            where += " AND sn.topic = ?"
            params.append(topic)
        sql = f"""SELECT sn.id FROM snippets sn JOIN sources so ON so.id = sn.source_id
                  WHERE {where} ORDER BY so.date DESC, so.id, sn.position"""
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        rows = await self._db.execute_fetchall(sql, params)
        return await self.snippets_by_id([row[0] for row in rows])

    async def published_since(self, seq: int | None, limit: int) -> list[SnippetView]:
        """Snippets put on the air after publication number `seq` (all, for None), newest first."""
        rows = await self._db.execute_fetchall(
            """SELECT sn.id FROM snippets sn JOIN sources so ON so.id = sn.source_id
               WHERE sn.status = 'published' AND so.status = 'live' AND sn.published_seq > ?
               ORDER BY sn.published_seq DESC LIMIT ?""",
            (seq if seq is not None else -1, limit),
        )
        return await self.snippets_by_id(row[0] for row in rows)

    async def snippets_by_id(self, ids: Iterable[int]) -> list[SnippetView]:
        """Snippets with their figures, quotes and source, in the order of `ids`."""
        ids = list(ids)
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = await self._db.execute_fetchall(
            f"""SELECT sn.id, sn.key, sn.topic, sn.title, sn.summary, {SOURCE_COLUMNS},
                       sn.title_en, sn.summary_en
                FROM snippets sn JOIN sources so ON so.id = sn.source_id
                WHERE sn.id IN ({marks})""",
            ids,
        )
        figures: dict[int, list[Figure]] = {}
        for snippet_id, *columns in await self._db.execute_fetchall(
            f"""SELECT snippet_id, {FIGURE_COLUMNS} FROM figures
                WHERE snippet_id IN ({marks}) ORDER BY snippet_id, position""",
            ids,
        ):
            figures.setdefault(snippet_id, []).append(figure_of(columns))
        quotes: dict[int, list[QuoteView]] = {}
        for snippet_id, text, name, role, text_en, role_en, name_en in await self._db.execute_fetchall(
            f"""SELECT snippet_id, {QUOTE_COLUMNS} FROM quotes
                WHERE snippet_id IN ({marks}) ORDER BY snippet_id, position""",
            ids,
        ):
            quotes.setdefault(snippet_id, []).append(
                QuoteView(text, Person(name=name, role=role, role_en=role_en, name_en=name_en), text_en)
            )
        views = {
            row[0]: SnippetView(
                id=row[0], key=row[1], topic=row[2], title=row[3], summary=row[4],
                source=source_of(row[5:5 + SOURCE_WIDTH]),
                figures=tuple(figures.get(row[0], ())),
                quotes=tuple(quotes.get(row[0], ())),
                title_en=row[5 + SOURCE_WIDTH], summary_en=row[6 + SOURCE_WIDTH],
            )
            for row in rows
        }
        return [views[i] for i in ids if i in views]

    async def topics_with_figures(self) -> frozenset[str]:
        rows = await self._db.execute_fetchall(
            """SELECT DISTINCT sn.topic FROM figures f
               JOIN snippets sn ON sn.id = f.snippet_id JOIN sources so ON so.id = sn.source_id
               WHERE sn.status = 'published' AND so.status = 'live'"""
        )
        return frozenset(topic for (topic,) in rows)

    async def live_sources(self) -> list[tuple[SourceView, int]]:
        """Live sources, newest first, with their number of published snippets."""
        rows = await self._db.execute_fetchall(
            f"""SELECT {SOURCE_COLUMNS}, COUNT(sn.id)
               FROM sources so LEFT JOIN snippets sn
                    ON sn.source_id = so.id AND sn.status = 'published'
               WHERE so.status = 'live' GROUP BY so.id ORDER BY so.date DESC, so.id"""
        )
        return [(source_of(r[:SOURCE_WIDTH]), r[SOURCE_WIDTH]) for r in rows]

    async def search(self, query: str, limit: int = 5) -> list[tuple[SnippetView, SearchHit]]:
        hits = await self.search_index.search(query, limit)
        views = {view.id: view for view in await self.snippets_by_id(h.snippet_id for h in hits)}
        return [(views[h.snippet_id], h) for h in hits if h.snippet_id in views]

    async def published_ids(self, ids: Iterable[int]) -> list[int]:
        """Which of these snippets are on the air now (published, from a live source)."""
        ids = list(ids)
        if not ids:
            return []
        rows = await self._db.execute_fetchall(
            f"""SELECT sn.id FROM snippets sn JOIN sources so ON so.id = sn.source_id
                WHERE sn.id IN ({",".join("?" * len(ids))})
                  AND sn.status = 'published' AND so.status = 'live'""",
            ids,
        )
        return [row[0] for row in rows]

    async def apply_file(
        self, item: LoadedSource, *, origin: str, actor: Actor, drafts: bool = False,
        dry_run: bool = False, also: Callable[[], Awaitable[None]] | None = None,
    ) -> SyncReport:
        """Apply one uploaded source file (or an article's drafts) in one transaction.

        `dry_run` makes exactly the same changes and rolls them back: the summary an admin
        confirms is the change that will be made. `also`: more writes on this connection that
        commit (or roll back) with it, e.g. a feed item marked as made into drafts."""
        report = SyncReport()
        try:
            async with transaction(self._db):
                await self._apply_source(item, report, origin=origin, actor=actor, drafts=drafts)
                if also is not None:
                    await also()
                if report.changed_anything:
                    await meta.bump_content_version(self._db)
                await self._queue_deliveries(report.published_ids)
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        return report

    # --- editorial changes (inside the caller's transaction) --------------------------------

    async def put_on_air(self, snippet_id: int) -> None:
        """Publish: searchable, numbered for digests, queued for subscribers."""
        await self._db.execute(
            "UPDATE snippets SET status = 'published', updated_at = ? WHERE id = ?", (utc_now_iso(), snippet_id)
        )
        await meta.number_publication(self._db, snippet_id)
        await self._reindex(snippet_id)
        await meta.bump_content_version(self._db)
        await self._queue_deliveries([snippet_id])

    async def take_off_air(self, snippet_id: int, actor: Actor) -> None:
        await self._retire_snippet(snippet_id, utc_now_iso(), actor)
        await meta.bump_content_version(self._db)

    async def content_edited(self, snippet_id: int, published: bool) -> None:
        """After an edit: the search index follows, and the stored fingerprint is that of the
        new content (so exporting and importing it again changes nothing)."""
        if published:
            await self._reindex(snippet_id)
        [view] = await self.snippets_by_id([snippet_id])
        status = "published" if published else "draft"
        await self._db.execute(
            "UPDATE snippets SET fingerprint = ? WHERE id = ?",
            (fingerprint(seed_snippet(view, status)), snippet_id),
        )
        await meta.bump_content_version(self._db)

    async def source_snippets(self, source_id: str) -> list[tuple[SnippetView, str]]:
        """A source's snippets that are not retired, in their order, with their status."""
        rows = await self._db.execute_fetchall(
            "SELECT id, status FROM snippets WHERE source_id = ? AND status != 'retired' ORDER BY position, id",
            (source_id,),
        )
        status = dict(rows)
        return [(view, status[view.id]) for view in await self.snippets_by_id(status)]

    async def source_text(self, source_id: str) -> str | None:
        """The full text kept for a source, if the database holds one."""
        rows = await self._db.execute_fetchall("SELECT text FROM sources WHERE id = ?", (source_id,))
        return rows[0][0] if rows else None

    async def source_voices(self, source_id: str) -> Voices | None:
        """Who says what in the source's text, as read when it was stored (None: not read)."""
        rows = await self._db.execute_fetchall("SELECT voices FROM sources WHERE id = ?", (source_id,))
        return voices_from_json(rows[0][0]) if rows else None

    async def source_exists(self, source_id: str) -> bool:
        return bool(await self._db.execute_fetchall("SELECT 1 FROM sources WHERE id = ?", (source_id,)))
