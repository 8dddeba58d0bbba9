"""Content in and out. A content file (seed format) or an article (.txt/.md) arrives from an
admin's upload or the command line and becomes an `Upload`, checked whole with the seed
loader's rules; `/export` and `python -m bot export` write the seed format back.

An article always becomes a source of its own: an id already taken gets a suffix, so
ingesting a text twice (or the text of a curated seed source) never touches existing content.
"""

from __future__ import annotations

import asyncio
from concurrent.futures.process import BrokenProcessPool
import copy
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from bot.domain.catalogue import Catalogue
from bot.services.ingest import read_drafts
from bot.services.ingest.model import Drafting, ModelDrafter, apply_drafting
from bot.services.ingest.reading import PageMetadata
from bot.services.ingest.reading.speech import source_voices
from bot.services.ingest.worker import in_worker
from bot.domain.models import fingerprint
from bot.domain.actors import Actor
from bot.domain.faithfulness import check_faithful
from bot.domain.seeds import LoadedSource, load_document, load_seeds, validate_source
from bot.services.events import Events
from bot.domain.validation import ContentError
from bot.storage.content_repository import ContentRepository, SyncReport, seed_snippet

MAX_FILE_BYTES = 1_000_000
CONTENT_SUFFIXES = (".yaml", ".yml", ".json")
ARTICLE_SUFFIXES = (".txt", ".md", ".markdown")


def kind_of(file_name: str, size: int | None) -> str:
    """"content" or "article"; a ContentError for a file the bot will not take."""
    suffix = Path(file_name).suffix.lower()
    if size is None:  # Telegram's file_size is optional: a file of unknown size is not downloaded
        raise ContentError(f"{file_name}: Telegram did not give the file's size, so it was not downloaded; "
                           "send it again as a file")
    if size > MAX_FILE_BYTES:
        raise ContentError(f"{file_name}: too large ({size:,} bytes; at most {MAX_FILE_BYTES:,})")
    if suffix in CONTENT_SUFFIXES:
        return "content"
    if suffix in ARTICLE_SUFFIXES:
        return "article"
    raise ContentError(
        f"{file_name}: unsupported file type; send YAML or JSON in the seed format, or a .txt/.md article"
    )


def decode(data: bytes, file_name: str) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ContentError(f"{file_name}: not UTF-8 text (byte {exc.start})") from None
    if "\x00" in text:
        raise ContentError(f"{file_name}: not a text file (it holds NUL bytes, at character {text.index(chr(0))})")
    return text


@dataclass(frozen=True)
class Upload:
    """A checked file, ready to apply: a content file's source, or an article's drafts."""

    item: LoadedSource
    origin: str  # recorded on a new source: "upload:<file>" or "article:<file>"
    drafts: bool
    notes: tuple[str, ...] = ()  # for the editor: what a language model proposed that was refused
    drafting: str = ""  # what the model proposed and the guard kept (Drafting JSON): Apply uses it again


async def read_upload(
    data: bytes, file_name: str, seeds_dir: Path, catalogue: Catalogue, content: ContentRepository,
    *, expect: str | None = None, drafter: ModelDrafter | None = None, drafting: str | None = None,
    metadata: PageMetadata | None = None,
) -> Upload:
    """Check a file whole; `expect` ("content" or "article") refuses the other kind.
    `drafting`: what a model did for this article at its preview (its `Upload.drafting`):
    applied again as it was, and the model is not asked (Apply creates what the preview showed).
    `metadata`: for an article read from a web page, what the page declares about itself."""
    kind = kind_of(file_name, len(data))
    if expect is not None and kind != expect:
        wanted = "YAML or JSON in the seed format" if expect == "content" else "a .txt or .md article"
        raise ContentError(f"{file_name}: expected {wanted}")
    name = Path(file_name).name or "upload"
    text = decode(data, name)
    if kind == "content":
        # parsing and validating up to a megabyte of YAML is CPU work: off the event loop
        item = await asyncio.to_thread(load_document, text, Path(name), seeds_dir, catalogue, source_voices)
        if item.text is None:
            # a file that names no text still answers to the one the database keeps for its source
            stored = await content.source_text(item.content.source.id)
            if stored is not None:
                voices = await content.source_voices(item.content.source.id)
                await asyncio.to_thread(check_faithful, item.content, stored, name, voices)
                item = replace(item, text=stored, voices=voices)
        return Upload(item, f"upload:{name}", drafts=False)
    item, drafted = await _article_source(text, name, catalogue, content, drafter, drafting, metadata)
    origin = f"link:{metadata.url}" if metadata is not None and metadata.url else f"article:{name}"
    return Upload(item, origin[:500], drafts=True, notes=tuple(drafted.notes) if drafted else (),
                  drafting=drafted.to_json() if drafted else "")


async def _article_source(
    text: str, name: str, catalogue: Catalogue, content: ContentRepository, drafter: ModelDrafter | None,
    drafting: str | None = None, metadata: PageMetadata | None = None,
) -> tuple[LoadedSource, Drafting | None]:
    """Drafts from an article, validated like a seed file against the article's own text.

    Reading runs in the reading process (`ingest/worker.py`): the language models load on the
    first article, and a long text takes seconds of CPU that must not stall anyone's replies."""
    try:
        drafts = await in_worker(read_drafts, text, name, catalogue, metadata)
    except (MemoryError, RecursionError, BrokenProcessPool) as exc:  # a text beyond what reading is bounded for
        kind = ("too much memory" if isinstance(exc, MemoryError) else "structure nested too deeply"
                if isinstance(exc, RecursionError) else "the reading process stopped on it")
        raise ContentError(f"{name}: this text could not be read ({kind}); split it into shorter "
                           "sentences or parts and send it again") from None
    base = drafts.document["source"]["id"][:55]
    source_id, number = base, 2
    while await content.source_exists(source_id):
        source_id, number = f"{base}-{number}", number + 1
    drafts.document["source"]["id"] = source_id
    drafted = None
    if drafting is not None:  # Apply: what the preview showed, the model not asked again
        drafted = Drafting.from_json(drafting) if drafting else None
    elif drafter is not None:
        drafted = await drafter.draft(drafts.document, list(drafts.passages), list(drafts.speakers),
                                      drafts.article.language, text=drafts.text, questions=list(drafts.questions))
    model = None
    if drafted is not None and any(drafted.kept):
        improved = copy.deepcopy(drafts.document)
        apply_drafting(improved, drafted, list(drafts.speakers))
        try:  # the guard let nothing through the seed loader would refuse; if it did, the reader's drafts stand
            model = await asyncio.to_thread(validate_source, improved, name, catalogue, drafts.text, drafts.voices)
        except ContentError as exc:
            drafted.notes.append(f"the model's drafts failed the checks ({str(exc)[:200]}); the bot's own drafts are kept")
            drafted.kept = []
    if model is None:
        model = await asyncio.to_thread(validate_source, drafts.document, name, catalogue, drafts.text, drafts.voices)
    return LoadedSource(path=Path(name), content=model, text=drafts.text, fingerprint=fingerprint(model),
                        voices=drafts.voices), drafted


class ContentIntake:
    """Content arriving whole: `seeds/` (at start and on /reload) and checked uploads. Each
    change is one transaction; a committed change is announced."""

    def __init__(
        self, content: ContentRepository, catalogue: Catalogue, seeds_dir: Path, events: Events,
        drafter: ModelDrafter | None = None, trial: ContentRepository | None = None,
    ) -> None:
        self.content = content
        # trial runs (an upload's summary) go through a connection of their own: what they
        # write and roll back is never visible to readers, whose queries use `content`'s
        self.trial = trial or content
        self.catalogue = catalogue
        self.seeds_dir = seeds_dir
        self.events = events
        self.drafter = drafter  # a language model that proposes better drafts, if one is configured

    async def reload_seeds(self) -> SyncReport:
        """Validate `seeds/` and apply it; on any problem nothing changes (ContentError).

        Snippets that go on the air are queued for their subscribers in the same transaction.
        Announced even when the files are unchanged: content may have been changed from the
        command line, which a running bot's caches do not see."""
        loaded = await asyncio.to_thread(load_seeds, self.seeds_dir, self.catalogue, source_voices)
        report = await self.content.sync_seeds(loaded)
        self.events.content_changed.announce()
        return report

    async def read(self, data: bytes, file_name: str, *, expect: str | None = None,
                   drafting: str | None = None, metadata: PageMetadata | None = None) -> Upload:
        """A file checked whole; an article's drafts improved by the model, if one is
        configured — or, given `drafting` (what it did at the preview), exactly as then.
        `metadata`: what a web page read from a link declares about itself."""
        return await read_upload(data, file_name, self.seeds_dir, self.catalogue, self.content, expect=expect,
                                 drafter=self.drafter, drafting=drafting, metadata=metadata)

    async def apply(
        self, upload: Upload, actor: Actor, *, dry_run: bool = False, also: Callable[[], Awaitable[None]] | None = None,
    ) -> SyncReport:
        """A content file or an article's drafts, in one transaction (or a trial run, on the
        trial connection, rolled back); `also` writes more in the same transaction."""
        repository = self.trial if dry_run else self.content
        report = await repository.apply_file(
            upload.item, origin=upload.origin, actor=actor, drafts=upload.drafts, dry_run=dry_run, also=also,
        )
        if report.changed_anything and not dry_run:
            self.events.content_changed.announce()
        return report


def describe(report: SyncReport) -> dict[str, int]:
    return {
        "added": len(report.added), "changed": len(report.changed), "retired": len(report.retired),
        "sources_added": len(report.sources_added), "sources_changed": len(report.sources_changed),
    }  # fmt: skip


# --- export -------------------------------------------------------------------------------------


async def export_documents(content: ContentRepository, seeds_dir: Path) -> list[tuple[str, str]]:
    """Every live source with its snippets on the air and its drafts (`status: draft`), as
    (file name, YAML in the seed format). Retired snippets stay in the database only."""
    documents = []
    for source, _count in await content.live_sources():
        snippets = await content.source_snippets(source.id)
        if not snippets:
            continue
        data: dict[str, Any] = {"source": {
            "id": source.id, "title": source.title,
            **({"date": source.date.isoformat()} if source.date else {}),
            "kind": source.kind, "language": source.language,
            "author": _person(source.author),
        }}  # fmt: skip
        text_file = f"sources/{source.id}.txt"
        if (seeds_dir / text_file).is_file():
            data["source"]["text"] = text_file
        for name in ("title_en", "outlet", "outlet_en", "url"):
            if getattr(source, name):
                data["source"][name] = getattr(source, name)
        data["snippets"] = [
            seed_snippet(view, status).model_dump(mode="json", exclude_defaults=True)
            for view, status in snippets
        ]
        for snippet in data["snippets"]:
            snippet.setdefault("figures", [])
            for figure in snippet["figures"]:
                _numbers_as_written(figure)
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
        documents.append((f"{source.id}.yaml", f"# Exported from the bot's database; seed format.\n{text}"))
    return documents


def _person(person) -> dict[str, str]:
    return {"name": person.name, **{key: getattr(person, key) for key in ("name_en", "role", "role_en") if getattr(person, key)}}


def _number(value):
    return int(value) if value == value.to_integral_value() else str(value)


def _numbers_as_written(figure: dict[str, Any]) -> None:
    """A dumped figure's value (and a range's value_to) as YAML numbers again: 4, not "4"."""
    for name in ("value", "value_to"):
        if figure.get(name) is not None:
            figure[name] = _number(Decimal(figure[name]))


def seed_document(item: LoadedSource) -> str:
    """A checked source and its snippets as YAML in the seed format (what `ingest --dry-run`
    prints: the drafts an editor would get, to read or to edit and import)."""
    data = item.content.model_dump(mode="json", exclude_none=True, exclude_defaults=False)
    for snippet in data["snippets"]:
        for figure in snippet.get("figures", []):
            _numbers_as_written(figure)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
