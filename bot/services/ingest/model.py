"""Optional drafting by a language model, for teams that have one, held to the source.

Any OpenAI-compatible chat-completions endpoint (Ollama, vLLM, llama.cpp's server, a hosted
API) is asked, per draft, for a better title, summary and figure labels in structured output
(a JSON schema). Nothing it says is taken on trust:

- its answer is read with a cap (`ANSWER_LIMIT`, streamed: a longer one is not read on) and
  parsed in a worker thread; an answer that is not the JSON asked for — malformed, nested
  beyond reason, a dict where text belongs — leaves that draft the bot's own;
- one deadline per upload (`ModelSettings.timeout`): once it has passed, or the model timed out
  or could not be reached, it is asked nothing more and the remaining drafts keep the bot's own;
- the grounding guard (`ground`) checks each proposal against the passage it is about and drops
  what fails, with the reason, for the editor to see: a number (in digits or in words) the
  passage does not write, or writes with another unit ("в 20 раз" against "20 тысяч
  компаний"); a quote not verbatim in the passage or taken from the interviewer's question;
  a title, summary or label that repeats eight or more of the article's words outside
  quotation marks (`bot.domain.own_words`);
- what the model proposed and the guard kept is recorded (`Drafting`) and kept with the
  upload waiting for Apply, so Apply creates exactly the drafts the preview showed without
  asking again.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bot.domain.faithfulness import number_problems
from bot.domain.models import collapse_whitespace
from bot.domain.own_words import SourceRuns, copied_runs, words_of

log = logging.getLogger(__name__)
ANSWER_LIMIT = 64 * 1024  # bytes of the model's answer read at most; a longer one is not used
NOTE_LIMIT = 240  # characters of one note to the editor

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
    "most 120 characters); a summary of 2-4 sentences in your own words (never more than seven "
    "words of the passage in a row), faithful to the passage, using no number that the passage "
    "does not write, in digits or in words; one short noun-phrase label per figure, in the order "
    "given, saying what the number measures; up to two quotes copied verbatim from the "
    "interviewee's words in the passage (never the interviewer's question). Answer with JSON only."
)


@dataclass(frozen=True)
class ModelSettings:
    base_url: str
    model: str
    api_key: str | None = None
    timeout: float = 30.0  # seconds for all of one upload's requests together


@dataclass(frozen=True)
class Grounded:
    """What survived the guard (None where the draft keeps its own) and why the rest did not."""

    title: str | None
    summary: str | None
    labels: tuple[str | None, ...]
    quotes: tuple[str, ...]
    refused: tuple[str, ...]


@dataclass
class Drafting:
    """What a model did for one upload: per draft, what it proposed that the guard kept (None
    where it proposed nothing usable), and the notes for the editor. Plain JSON, so it is kept
    with the upload waiting for Apply (`to_json`, `from_json`) and applied again, unchanged."""

    kept: list[dict[str, Any] | None] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps({"kept": self.kept, "notes": self.notes}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Drafting:
        """A recorded drafting; anything unreadable is an empty one (the bot's own drafts)."""
        try:
            data = json.loads(text) if text else {}
        except (ValueError, RecursionError):
            return cls()
        kept = data.get("kept") if isinstance(data, dict) else None
        notes = data.get("notes") if isinstance(data, dict) else None
        return cls(
            [entry if isinstance(entry, dict) else None for entry in kept] if isinstance(kept, list) else [],
            [note for note in notes if isinstance(note, str)] if isinstance(notes, list) else [],
        )


class AnswerTooLarge(Exception):
    """The model's answer passed `ANSWER_LIMIT`: it was not read on."""


class Unusable(Exception):
    """The model's answer is not the JSON asked for."""


# --- the guard ------------------------------------------------------------------------------


def _cut(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def ground(
    proposal: Any, passage: str, figures: list[dict], limits: tuple[int, int] = (120, 1200),
    *, source: SourceRuns | None = None, question: str | None = None,
) -> Grounded:
    """Keep only what the passage supports. `figures`: the draft's figures (value, unit);
    `source`: the whole article's runs of words (the own-words rule); `question`: the
    interviewer's words in the passage, which are nobody's quote."""
    refused: list[str] = []
    if not isinstance(proposal, dict):
        return Grounded(None, None, (), (), ("the model's answer is not the JSON asked for",))
    flat = collapse_whitespace(passage)
    runs = source or SourceRuns(passage)

    def faithful(name: str, value: str) -> bool:
        # digits and numbers in words, their scale, unit and year: the domain's rule
        problems = number_problems(value, passage)
        if problems:
            refused.append(f"{name}: " + "; ".join(p.message("ru") for p in problems))
            return False
        copied = copied_runs(value, runs)
        if copied:
            refused.append(f"{name}: repeats {len(words_of(copied[0]))} words of the article outside quotation marks "
                           f"(«{_cut(copied[0])}»)")  # fmt: skip
            return False
        return True

    def text_field(name: str, limit: int) -> str | None:
        value = proposal.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            refused.append(f"{name}: missing")
            return None
        if not isinstance(value, str):
            refused.append(f"{name}: not text ({type(value).__name__})")
            return None
        value = collapse_whitespace(value)
        if len(value) > limit:
            refused.append(f"{name}: longer than {limit} characters")
            return None
        if name == "title" and value.endswith("?"):
            refused.append("title: a question, not a statement")
            return None
        return value if faithful(name, value) else None

    title = text_field("title", limits[0])
    summary = text_field("summary", limits[1])
    labels: list[str | None] = []
    raw_labels = proposal.get("labels")
    if raw_labels is not None and not isinstance(raw_labels, list):
        refused.append(f"labels: not a list ({type(raw_labels).__name__})")
    raw_labels = raw_labels if isinstance(raw_labels, list) else []
    for i, figure in enumerate(figures):
        label = raw_labels[i] if i < len(raw_labels) else None
        if label is not None and not isinstance(label, str):
            refused.append(f"label of {_amount(figure)}: not text ({type(label).__name__})")
            label = None
        label = collapse_whitespace(label)[:200] if label else None
        if label and not faithful(f"label of {_amount(figure)}", label):
            label = None
        labels.append(label or None)
    quotes = []
    raw_quotes = proposal.get("quotes")
    for quote in raw_quotes if isinstance(raw_quotes, list) else []:
        if not isinstance(quote, str):
            refused.append(f"quote: not text ({type(quote).__name__})")
            continue
        words = collapse_whitespace(quote)
        if not (words in flat and 12 <= len(words) <= 300):
            refused.append(f"quote «{_cut(words, 40)}»: not verbatim in the passage")
        elif question and words in collapse_whitespace(question):
            refused.append(f"quote «{_cut(words, 40)}»: the interviewer's question, not the interviewee's words")
        else:
            quotes.append(words)
    return Grounded(title, summary, tuple(labels), tuple(quotes), tuple(refused))


# --- reading the answer ---------------------------------------------------------------------


def parse_answer(raw: bytes) -> dict[str, Any]:
    """The proposal in a chat-completions answer (CPU work on up to `ANSWER_LIMIT` bytes: call
    it in a worker thread). Unusable for anything that is not the JSON asked for — malformed,
    nested past the parser's depth, the wrong types at any step."""
    try:
        answer = json.loads(raw)
        content = answer["choices"][0]["message"]["content"]
        proposal = json.loads(content) if isinstance(content, str) else content
    except (ValueError, RecursionError, KeyError, IndexError, TypeError) as exc:
        raise Unusable(type(exc).__name__) from None
    if not isinstance(proposal, dict):
        raise Unusable(f"a {type(proposal).__name__}, not an object")
    return proposal


def put(snippet: dict[str, Any], kept: dict[str, Any], speaker: dict | None) -> None:
    """Put what the guard kept into a draft (in the seed format, in place)."""
    if isinstance(kept.get("title"), str):
        snippet["title"] = kept["title"]
    if isinstance(kept.get("summary"), str):
        snippet["summary"] = kept["summary"]
    labels = kept.get("labels") if isinstance(kept.get("labels"), list) else []
    for figure, label in zip(snippet["figures"], labels, strict=False):
        if isinstance(label, str) and label:
            figure["label"] = label
    quotes = [q for q in kept.get("quotes") or [] if isinstance(q, str)] if isinstance(kept.get("quotes"), list) else []
    if quotes and speaker:  # verbatim, and from the one who speaks there
        summary = collapse_whitespace(snippet["summary"])
        fresh = [q for q in quotes if q not in summary][:2]
        if fresh:
            snippet["quotes"] = [{"text": q, "author": speaker} for q in fresh]


def apply_drafting(document: dict, drafting: Drafting, speakers: list[dict | None]) -> None:
    """Put a recorded drafting into an article's drafts (in place): at the preview and, the
    same record, at Apply."""
    for number, (snippet, kept) in enumerate(zip(document["snippets"], drafting.kept, strict=False)):
        if kept:
            put(snippet, kept, speakers[number] if number < len(speakers) else None)


def _amount(figure: dict) -> str:
    """A draft figure's number and unit as written: "28 млрд долларов", a range "8–9 млн тонн"."""
    upper = figure.get("value_to")
    return f"{figure['value']}{f'–{upper}' if upper is not None else ''} {figure['unit']}"


class ModelDrafter:
    def __init__(self, settings: ModelSettings) -> None:
        self.settings = settings

    async def _ask(self, session: aiohttp.ClientSession, passage: str, figures: list[dict], language: str) -> bytes:
        """The model's answer, read up to `ANSWER_LIMIT` bytes (AnswerTooLarge past it)."""
        figure_list = "; ".join(_amount(f) for f in figures) or "none"
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
                raise Unusable(f"HTTP {response.status}")
            if (response.content_length or 0) > ANSWER_LIMIT:
                raise AnswerTooLarge(response.content_length)
            raw = bytearray()
            async for chunk in response.content.iter_chunked(16 * 1024):
                raw += chunk
                if len(raw) > ANSWER_LIMIT:
                    raise AnswerTooLarge(len(raw))
        return bytes(raw)

    async def draft(
        self, document: dict, passages: list[str], speakers: list[dict | None], language: str,
        *, text: str = "", questions: list[str | None] | None = None,
    ) -> Drafting:
        """Ask the model about each draft, within one deadline for the whole upload; returns
        what the guard kept and the notes for the editor (the document is not changed).
        `text`: the whole article (the own-words rule); `questions`: each passage's question."""
        drafting = Drafting()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.timeout
        runs = await asyncio.to_thread(SourceRuns, text or "\n".join(passages))
        pairs = list(zip(document["snippets"], passages, strict=False))
        try:
            async with aiohttp.ClientSession() as session:
                for number, (snippet, passage) in enumerate(pairs, 1):
                    remaining = deadline - loop.time()
                    if remaining <= 0:
                        raise TimeoutError
                    try:
                        async with asyncio.timeout(remaining):
                            raw = await self._ask(session, passage, snippet["figures"], language)
                        proposal = await asyncio.to_thread(parse_answer, raw)
                    except Unusable as exc:
                        log.warning("language model: unusable answer on draft %d (%s)", number, exc)
                        drafting.notes.append(f"#{number}: the model's answer is not the JSON asked for ({exc}); "
                                              "the bot's own draft is kept")  # fmt: skip
                        drafting.kept.append(None)
                        continue
                    question = (questions or [])[number - 1] if number - 1 < len(questions or []) else None
                    grounded = await asyncio.to_thread(
                        ground, proposal, passage, snippet["figures"], source=runs, question=question)
                    drafting.kept.append({
                        "title": grounded.title, "summary": grounded.summary,
                        "labels": list(grounded.labels), "quotes": list(grounded.quotes),
                    })  # fmt: skip
                    speaker = speakers[number - 1] if number - 1 < len(speakers) else None
                    if grounded.quotes and not speaker:
                        drafting.notes.append(f"#{number}: quotes: nobody in the passage to credit them to")
                    drafting.notes += [f"#{number}: {_cut(reason, NOTE_LIMIT)}" for reason in grounded.refused]
        except AnswerTooLarge:
            log.warning("language model: an answer over %d bytes; not asked again for this upload", ANSWER_LIMIT)
            drafting.notes.append(self._stopped(len(drafting.kept) + 1, len(pairs),
                                                f"its answer was over {ANSWER_LIMIT // 1024} KB"))
        except TimeoutError:
            log.warning("language model: no answer within %g s for this upload", self.settings.timeout)
            drafting.notes.append(self._stopped(len(drafting.kept) + 1, len(pairs),
                                                f"it did not answer within {self.settings.timeout:g} s"))
        except (aiohttp.ClientError, OSError) as exc:
            log.warning("language model could not be reached: %s", type(exc).__name__)
            drafting.notes.append(self._stopped(len(drafting.kept) + 1, len(pairs),
                                                f"it could not be reached ({type(exc).__name__})"))
        return drafting

    @staticmethod
    def _stopped(first: int, last: int, why: str) -> str:
        drafts = f"#{first}" if first == last else f"#{first}–#{last}"
        return f"the model was asked no more: {why}; drafts {drafts} keep the bot's own text"

    async def improve(self, document: dict, passages: list[str], speakers: list[dict | None], language: str,
                      **context: Any) -> list[str]:  # fmt: skip
        """Ask and put what the guard kept into the document (in place); the notes."""
        drafting = await self.draft(document, passages, speakers, language, **context)
        apply_drafting(document, drafting, speakers)
        return drafting.notes
