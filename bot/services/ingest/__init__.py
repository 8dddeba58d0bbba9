"""Turning an uploaded article or interview into draft snippets in the seed format.

An admin sends a text (plain or Markdown, mostly Russian). This package

1. normalises it and finds what metadata it can: title, date, author (`parse_article`);
2. splits it into passages: question-and-answer pairs for an interview, groups of paragraphs
   for an article (`Article.passages`);
3. tags each passage with topics through the catalogue's keyword routing (`tag_topics`);
4. finds the key figures with the words around them (`extract_figures`);
5. writes a document in the seed format that the seed loader validates (`drafts_from_article`).

Faithfulness is the rule throughout. The text to store as the source is `Article.text`: the
upload with line endings, odd spaces and Markdown markup normalised, the words untouched.
Every passage, evidence and quote is a verbatim slice of it, and a figure is reported only
where its number is written in digits in its evidence. Where the text does not say something
(a date, an author), the answer is None, not a guess.

Modules: `text` (normalisation, paragraphs, language, dates and metadata, sentences),
`passages` (questions and answers, article passages, `parse_article`), `figures`
(`extract_figures`), `drafts` (topics and the seed-format document).
"""

from bot.services.ingest.drafts import default_source_id, drafts_from_article, tag_topics
from bot.services.ingest.figures import extract_figures
from bot.services.ingest.passages import Article, parse_article

__all__ = [
    "Article",
    "default_source_id",
    "drafts_from_article",
    "extract_figures",
    "parse_article",
    "tag_topics",
]
