"""Turning an uploaded article or interview into draft snippets in the seed format.

`reading/` reads the text as a person would: page chrome removed, subheadings, the forms an
interview takes, the date and who wrote or is interviewed (razdel for sentences, natasha for
names, organisations and places — its models load on the first article, never at start-up);
`drafts` writes what it found as a document the seed loader validates like any content file.
"""

from bot.services.ingest.drafts import ArticleDrafts, default_source_id, read_drafts

__all__ = ["ArticleDrafts", "default_source_id", "read_drafts"]
