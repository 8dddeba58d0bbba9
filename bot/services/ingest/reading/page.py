"""A web page's own metadata over what the text suggests.

A page read from a link declares its headline, publication date, byline and outlet in its
markup (Open Graph, JSON-LD, <meta>, <time>); those are what its publisher says, so they take
precedence over what the reader guesses from the plain text. Only the byline is checked: a
"byline" that is the site itself, an address or an e-mail names nobody, and a byline's
author the text already names with a role keeps that role.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.services.ingest.reading.models import Article, PageMetadata, Person

MAX_AUTHORS = 3
# bylines that name no person: the site, its editors, an account (an example each)
NOT_A_PERSON = re.compile(
    r"@|https?://|www\.|\.(?:ru|kz|com|org|net)\b"          # "news@site.kz", "www.site.kz"
    r"|^(?:редакция|редактор|admin|administrator|editor|staff|newsroom|пресс-служба)\b",  # "Редакция сайта"
    re.IGNORECASE,
)


def _clean(value: str | None) -> str | None:
    value = " ".join((value or "").split())
    return value or None


def _same_person(a: str, b: str) -> bool:
    """'Денис Борисов' and 'Денис Алексеевич Борисов'; 'Борисов' and 'Денис Борисов'."""
    wa, wb = a.lower().replace("ё", "е").split(), b.lower().replace("ё", "е").split()
    return bool(wa and wb) and wa[-1] == wb[-1] and (len(wa) == 1 or len(wb) == 1 or wa[0] == wb[0])


def byline(metadata: PageMetadata) -> Person | None:
    """The page's byline as one person (several authors joined), or None when it names nobody."""
    outlet = (metadata.outlet or "").lower()
    names: list[str] = []
    for raw in metadata.authors:
        name = _clean(raw)
        if not name or len(name) > 80 or NOT_A_PERSON.search(name) or (outlet and name.lower() == outlet):
            continue
        if name not in names:
            names.append(name)
    return Person(", ".join(names[:MAX_AUTHORS])) if names else None


def with_page(article: Article, metadata: PageMetadata) -> Article:
    title = _clean(metadata.title)
    author = byline(metadata)
    if author and article.author and _same_person(author.name, article.author.name):
        author = article.author  # the text names the same person, with a role
    changes: dict = {
        "outlet": _clean(metadata.outlet) or article.outlet,
        "url": metadata.url or article.url,
    }
    if title:
        changes["title"] = title[:300]
    if metadata.date:
        changes.update(date=metadata.date, date_found_as="page", date_words=None)
    if author:
        changes["author"] = author
    return replace(article, **changes)
