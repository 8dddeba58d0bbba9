"""Optional drafting by a language model, for teams that have one, held to the source.

Any OpenAI-compatible chat-completions endpoint (Ollama, vLLM, llama.cpp's server, a hosted
API) is asked, per draft, for a better title, summary and figure labels in structured output
(a JSON schema). Nothing it says is taken on trust: the grounding guard checks every proposal
against the passage it is about — each number must be written there, with the unit the figure
has; each quote must be there verbatim; lengths within the limits — and drops what fails, with
the reason, for the editor to see. A timeout, an error or an answer that is not the JSON asked
for leaves the reader's own drafts as they were.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from typing import Any

import aiohttp

from bot.domain.faithfulness import number_problems
from bot.domain.models import collapse_whitespace

log = logging.getLogger(__name__)

SCHEMA = {
    "name": "draft",
    "strict": True,
    "schema": {
        "type": "object",
        "additionalProperties": False,
        "required": ["title", "summary", "labels", "quotes"],
        "properties": {
            "title": {"type": "string", "maxLength": 120},
            "summary": {"type": "string", "maxLength": 1200},
            "labels": {"type": "array", "items": {"type": "string", "maxLength": 200}},
            "quotes": {"type": "array", "items": {"type": "string", "maxLength": 300}},
        },
    },
}
INSTRUCTIONS = (
    "You edit a briefing bot's draft from a passage of an article in {language}. Write in the "
    "passage's language. Give: a title (a statement of the passage's point, not a question, at "
    "most 120 characters); a summary of 2-4 sentences in your own words, faithful to the passage, "
    "using no number that the passage does not write; one short noun-phrase label per figure, in "
    "the order given, saying what the number measures; up to two quotes copied verbatim from the "
    "interviewee's words in the passage. Answer with JSON only."
)


@dataclass(frozen=True)
class ModelSettings:
    base_url: str
    model: str
    api_key: str | None = None
    timeout: float = 30.0


@dataclass(frozen=True)
class Grounded:
    """What survived the guard (None where the draft keeps its own) and why the rest did not."""

    title: str | None
    summary: str | None
    labels: tuple[str | None, ...]
    quotes: tuple[str, ...]
    refused: tuple[str, ...]


def ground(proposal: Any, passage: str, figures: list[dict], limits: tuple[int, int] = (120, 1200)) -> Grounded:
    """Keep only what the passage supports. `figures`: the draft's figures (value, unit)."""
    refused: list[str] = []
    if not isinstance(proposal, dict):
        return Grounded(None, None, (), (), ("the model's answer is not the JSON asked for",))
    flat = collapse_whitespace(passage)

    def text_field(name: str, limit: int) -> str | None:
        value = proposal.get(name)
        if not isinstance(value, str) or not value.strip():
            refused.append(f"{name}: missing")
            return None
        value = collapse_whitespace(value)
        if len(value) > limit:
            refused.append(f"{name}: longer than {limit} characters")
            return None
        problems = number_problems(value, passage)  # digits and numbers in words, scale, unit, year
        if problems:
            refused.append(f"{name}: " + "; ".join(p.message("ru") for p in problems))
            return None
        if name == "title" and value.endswith("?"):
            refused.append("title: a question, not a statement")
            return None
        return value

    title = text_field("title", limits[0])
    summary = text_field("summary", limits[1])
    labels: list[str | None] = []
    raw_labels = proposal.get("labels") if isinstance(proposal.get("labels"), list) else []
    for i, figure in enumerate(figures):
        label = raw_labels[i] if i < len(raw_labels) and isinstance(raw_labels[i], str) else None
        if label is None:
            labels.append(None)
            continue
        label = collapse_whitespace(label)[:200]
        problems = number_problems(label, passage)
        if problems:
            refused.append(f"label of {figure['value']} {figure['unit']}: " + "; ".join(p.message("ru") for p in problems))
            labels.append(None)
        else:
            labels.append(label or None)
    quotes = []
    for quote in proposal.get("quotes") if isinstance(proposal.get("quotes"), list) else []:
        if not isinstance(quote, str):
            continue
        if collapse_whitespace(quote) in flat and 12 <= len(quote) <= 300:
            quotes.append(collapse_whitespace(quote))
        else:
            refused.append(f"quote «{quote[:40]}…»: not verbatim in the passage")
    return Grounded(title, summary, tuple(labels), tuple(quotes), tuple(refused))


class ModelDrafter:
    def __init__(self, settings: ModelSettings) -> None:
        self.settings = settings

    async def _ask(self, session: aiohttp.ClientSession, passage: str, figures: list[dict], language: str) -> Any:
        figure_list = "; ".join(f"{f['value']} {f['unit']}" for f in figures) or "none"
        body = {
            "model": self.settings.model,
            "messages": [
                {"role": "system", "content": INSTRUCTIONS.format(language="Russian" if language == "ru" else "English")},
                {"role": "user", "content": f"Figures: {figure_list}\n\nPassage:\n{passage}"},
            ],
            "response_format": {"type": "json_schema", "json_schema": SCHEMA},
            "temperature": 0.2,
        }
        headers = {"Authorization": f"Bearer {self.settings.api_key}"} if self.settings.api_key else {}
        url = self.settings.base_url.rstrip("/") + "/chat/completions"
        async with session.post(url, json=body, headers=headers) as response:
            if response.status != 200:
                raise ValueError(f"HTTP {response.status}")
            answer = await response.json(content_type=None)
        content = answer["choices"][0]["message"]["content"]
        return json.loads(content) if isinstance(content, str) else content

    async def improve(self, document: dict, passages: list[str], speakers: list[dict | None], language: str) -> list[str]:
        """Put grounded proposals into the document's snippets (in place); returns the notes for
        the editor: what was refused and why, or why the model was not used."""
        notes: list[str] = []
        timeout = aiohttp.ClientTimeout(total=self.settings.timeout)
        try:
            async with aiohttp.ClientSession(timeout=timeout) as session:
                for number, (snippet, passage) in enumerate(zip(document["snippets"], passages, strict=False), 1):
                    try:
                        proposal = await self._ask(session, passage, snippet["figures"], language)
                    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError, KeyError, IndexError, TypeError) as exc:
                        log.warning("language model failed on draft %d: %s", number, exc)
                        notes.append(f"#{number}: the model did not answer ({type(exc).__name__}); the reader's draft is kept")
                        continue
                    grounded = ground(proposal, passage, snippet["figures"])
                    if grounded.title:
                        snippet["title"] = grounded.title
                    if grounded.summary:
                        snippet["summary"] = grounded.summary
                    for figure, label in zip(snippet["figures"], grounded.labels, strict=False):
                        if label:
                            figure["label"] = label
                    speaker = speakers[number - 1] if number - 1 < len(speakers) else None
                    if grounded.quotes and speaker:  # verbatim, and from the one who speaks there
                        summary = collapse_whitespace(snippet["summary"])
                        fresh = [q for q in grounded.quotes if q not in summary][:2]
                        if fresh:
                            snippet["quotes"] = [{"text": q, "author": speaker} for q in fresh]
                    notes += [f"#{number}: {reason}" for reason in grounded.refused]
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
            notes.append(f"the model could not be reached ({type(exc).__name__}); the reader's drafts are kept")
        return notes
