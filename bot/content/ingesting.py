"""An uploaded article becomes a new source with draft snippets (see `ingest` for the parsing).

The article always becomes a source of its own: an id already taken gets a suffix, so
ingesting a text twice (or the text of a curated seed source) never touches existing content.
"""

from __future__ import annotations

from pathlib import Path

from bot.content.catalogue import Catalogue
from bot.content.importing import decode, kind_of
from bot.content.ingest import default_source_id, drafts_from_article, parse_article
from bot.content.models import fingerprint
from bot.content.seeds import LoadedSource, validate_source
from bot.storage.content_repository import ContentRepository


async def article_source(data: bytes, file_name: str, catalogue: Catalogue, content: ContentRepository) -> LoadedSource:
    """Drafts from an article, validated like a seed file against the article's own text."""
    kind_of(file_name, len(data))
    name = Path(file_name).name or "article.txt"
    article = parse_article(decode(data, name), name)
    base = default_source_id(article)[:55]
    source_id, number = base, 2
    while await content.source_exists(source_id):
        source_id, number = f"{base}-{number}", number + 1
    document = drafts_from_article(article, catalogue, source_id)
    model = validate_source(document, name, catalogue, article.text)
    return LoadedSource(path=Path(name), content=model, text=article.text, fingerprint=fingerprint(model))
