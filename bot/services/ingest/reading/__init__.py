"""Reads Russian news articles, interviews and columns pasted from web pages.

    from bot.services.ingest.reading import read_article, extract_figures, draft_passage, load_topics

    article = read_article(text, filename="borisov-2025-11-12.txt")
    for passage in article.passages:
        draft = draft_passage(passage, load_topics(open("config/topics.yaml").read()))

No I/O happens besides loading natasha's models (from the installed packages, on first use).
"""

from bot.services.ingest.reading.draft import draft_passage
from bot.services.ingest.reading.figures import extract_figures
from bot.services.ingest.reading.models import (
    Article,
    Draft,
    FigureCandidate,
    InputTooLarge,
    PageMetadata,
    Passage,
    Person,
    Quote,
    Topic,
)
from bot.services.ingest.reading.nlp import load_stats
from bot.services.ingest.reading.reader import MAX_CHARS, read_article
from bot.services.ingest.reading.structure import layout
from bot.services.ingest.reading.topics import load_topics

__all__ = [
    "MAX_CHARS",
    "Article",
    "Draft",
    "FigureCandidate",
    "InputTooLarge",
    "PageMetadata",
    "Passage",
    "Person",
    "Quote",
    "Topic",
    "draft_passage",
    "extract_figures",
    "layout",
    "load_stats",
    "load_topics",
    "read_article",
]
