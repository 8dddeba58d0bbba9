"""A web page's main text and what the page says about itself, with trafilatura.

trafilatura takes the article out of its page (menus, footers, share bars, comments,
related-links boxes are left behind) and reads the metadata the page declares: headline,
byline, site name, canonical URL, and the publication date through htmldate. htmldate is told
to trust only what the page marks up (meta tags, JSON-LD, <time>, the URL), not to guess a
date from anywhere in the text: the reader reads dates in text itself, and an honest
"unknown" beats a copyright year. CPU work: call `read_page` off the event loop.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from bot.services.ingest.reading import PageMetadata
from bot.services.ingest.worker import in_worker
from bot.services.web.addresses import LinkError
from bot.services.web.fetch import PAGE_TYPES, Fetched, Fetcher

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
_HTML_LANG = re.compile(r"""<html[^>]*?\slang\s*=\s*["']?([a-zA-Z]{2,3})""", re.IGNORECASE)
SNIFF_BYTES = 4_096
DATE_PARAMS = {"extensive_search": False, "original_date": True, "outputformat": "%Y-%m-%d"}


@dataclass(frozen=True)
class Page:
    text: str  # the main text, paragraphs separated by blank lines
    metadata: PageMetadata
    name: str  # a file-like name for the source id: "<site>-<last path segment>.txt"


def decode(fetched: Fetched) -> str:
    """The body as text in the charset the page declares: the Content-Type header, else a
    <meta charset> near its top, else UTF-8, else the most likely one."""
    declared = fetched.charset
    if not declared and fetched.content_type != "text/plain":
        found = _META_CHARSET.search(fetched.body[:SNIFF_BYTES])
        declared = found.group(1).decode("ascii") if found else None
    for charset in (declared, "utf-8"):
        if not charset:
            continue
        try:
            return fetched.body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(fetched.body[:1_000_000]).best()
    if best is None:
        raise LinkError("link_charset")
    return str(best)


def link_name(url: str) -> str:
    """"tengrinews-kz-energy-plant-1234.txt" for https://tengrinews.kz/news/energy-plant-1234/."""
    parts = urlsplit(url)
    host = (parts.hostname or "page").removeprefix("www.")
    segments = [s for s in unquote(parts.path).split("/") if s]
    last = re.sub(r"\.(?:html?|php|aspx?)$", "", segments[-1]) if segments else ""
    slug = re.sub(r"[^a-z0-9]+", "-", f"{host}-{last}".lower()).strip("-")
    return f"{slug[:55].strip('-') or 'page'}.txt"


def _paragraphs(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n\n".join(line for line in lines if line)


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def read_page(fetched: Fetched) -> Page:
    """The page's main text and metadata; LinkError("link_no_text") when it has no article."""
    text = decode(fetched)
    if fetched.content_type == "text/plain":
        body = text.strip()
        if not body:
            raise LinkError("link_no_text")
        return Page(body, PageMetadata(url=fetched.url), link_name(fetched.url))
    import trafilatura  # its import takes a second: on the first link, not at start-up

    document = trafilatura.bare_extraction(
        text, url=fetched.url, with_metadata=True, include_comments=False, include_tables=True,
        favor_precision=True, date_extraction_params=dict(DATE_PARAMS),
    )
    body = _paragraphs(document.text or "") if document is not None else ""
    if not body:
        raise LinkError("link_no_text")
    canonical = document.url if document.url and document.url.lower().startswith(("http://", "https://")) else None
    language = _HTML_LANG.search(text[:SNIFF_BYTES * 4])
    metadata = PageMetadata(
        title=document.title or None,
        date=_date(document.date),
        authors=tuple(a.strip() for a in re.split(r";|\|", document.author or "") if a.strip()),
        outlet=document.sitename or None,
        url=canonical or fetched.url,
        language=language.group(1).lower() if language else None,
    )
    return Page(body, metadata, link_name(metadata.url or fetched.url))


async def fetch_page(fetcher: Fetcher, url: str) -> Page:
    """Fetch a page (LinkError for a link refused or unreadable) and take its text out in the
    reading process (trafilatura is CPU work too)."""
    fetched = await fetcher.fetch(url, accept=PAGE_TYPES)
    return await in_worker(read_page, fetched)
