"""Content files in and out: uploads and `python -m bot import` read seed-format files,
`/export` and `python -m bot export` write them. Both sides use the seed loader's checks.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from bot.content.catalogue import Catalogue
from bot.content.seeds import LoadedSource, load_document
from bot.content.validation import ContentError
from bot.storage.content_repository import ContentRepository, SyncReport, seed_snippet

MAX_FILE_BYTES = 1_000_000
CONTENT_SUFFIXES = (".yaml", ".yml", ".json")
ARTICLE_SUFFIXES = (".txt", ".md", ".markdown")


def kind_of(file_name: str, size: int | None) -> str:
    """"content" or "article"; a ContentError for a file the bot will not take."""
    suffix = Path(file_name).suffix.lower()
    if size is not None and size > MAX_FILE_BYTES:
        raise ContentError(f"{file_name}: too large ({size:,} bytes; at most {MAX_FILE_BYTES:,})")
    if suffix in CONTENT_SUFFIXES:
        return "content"
    if suffix in ARTICLE_SUFFIXES:
        return "article"
    raise ContentError(
        f"{file_name}: unsupported file type; send YAML or JSON in the seed format, or a .txt/.md article"
    )


def decode(data: bytes, file_name: str) -> str:
    if len(data) > MAX_FILE_BYTES:
        raise ContentError(f"{file_name}: too large ({len(data):,} bytes; at most {MAX_FILE_BYTES:,})")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ContentError(f"{file_name}: not UTF-8 text (byte {exc.start})") from None


def read_content_file(data: bytes, file_name: str, seeds_dir: Path, catalogue: Catalogue) -> LoadedSource:
    """Validate an uploaded content file whole, exactly as a seed file is validated."""
    kind_of(file_name, len(data))
    safe_name = Path(file_name).name or "upload.yaml"
    return load_document(decode(data, safe_name), Path(safe_name), seeds_dir, catalogue)


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
            "id": source.id, "title": source.title, "date": source.date.isoformat(),
            "kind": source.kind, "language": await content.source_language(source.id),
            "author": _person(source.author),
        }}  # fmt: skip
        text_file = f"sources/{source.id}.txt"
        if (seeds_dir / text_file).is_file():
            data["source"]["text"] = text_file
        if source.url:
            data["source"]["url"] = source.url
        data["snippets"] = [
            seed_snippet(view, status).model_dump(mode="json", exclude_defaults=True)
            for view, status in snippets
        ]
        for snippet in data["snippets"]:
            snippet.setdefault("figures", [])
            for figure in snippet["figures"]:
                figure["value"] = _number(Decimal(figure["value"]))
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
        documents.append((f"{source.id}.yaml", f"# Exported from the bot's database; seed format.\n{text}"))
    return documents


def _person(person) -> dict[str, str]:
    return {"name": person.name, **({"role": person.role} if person.role else {})}


def _number(value):
    return int(value) if value == value.to_integral_value() else str(value)
