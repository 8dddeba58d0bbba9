"""The content model: what a source file and the topic catalogue may contain.

Validation lives here, so a seed file, an uploaded content file and the database all agree on
what a valid snippet is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from bot.domain.transliteration import has_cyrillic

SLUG = r"^[a-z0-9][a-z0-9-]*$"
UNKNOWN_AUTHOR = "Автор не указан"  # an article whose text names no author or interviewee
EDITORS = "Редакция"  # who an editors' note is cited as


def editors_source_id(date, link: str | None = None) -> str:
    """Notes the editors write with /add are cited as theirs: one source per day of writing, and
    one per day and link for a note that states numbers from a page it links to."""
    if link:
        return f"editors-{date.isoformat()}-{hashlib.sha256(link.encode()).hexdigest()[:10]}"
    return f"editors-{date.isoformat()}"
TOPIC_SLUG = r"^[a-z][a-z0-9_]*$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        """No text holds a NUL character: it is no letter anyone writes, and PostgreSQL cannot
        store it (an editor's quote signed "\x00" reached the database's refusal)."""
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("holds a NUL character")
        return value


class Localized(Strict):
    ru: str = Field(min_length=1, max_length=100)
    en: str = Field(min_length=1, max_length=100)

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.ru


class Topic(Strict):
    slug: str = Field(pattern=TOPIC_SLUG, max_length=24)
    command: str = Field(pattern=r"^[a-z0-9_]{1,32}$")
    emoji: str = Field(min_length=1, max_length=8)
    title: Localized
    description: Localized
    keywords: tuple[str, ...] = Field(min_length=1)


class Person(Strict):
    name: str = Field(min_length=1, max_length=120)
    name_en: str | None = Field(default=None, max_length=120)  # the spelling English readers know
    role: str | None = Field(default=None, max_length=200)
    role_en: str | None = Field(default=None, max_length=200)

    def role_in(self, lang: str) -> str | None:
        """The role in the reader's language. For an English reader: the editors' `role_en`,
        or a role written in Latin letters (an English source's); a Russian role with no
        English is left out rather than shown among English words."""
        if lang != "en" or self.role_en:
            return self.role_en if lang == "en" else self.role
        return self.role if self.role and not has_cyrillic(self.role) else None


STATED_BY = ("expert", "interviewer", "official", "editors")


class Figure(Strict):
    value: Decimal
    # a range's upper end ("8–9 млн тонн": value 8, value_to 9); None for one number
    value_to: Decimal | None = None
    unit: str = Field(min_length=1, max_length=40)
    label: str = Field(min_length=1, max_length=200)
    year: int | None = Field(default=None, ge=1900, le=2100)
    evidence: str = Field(min_length=1, max_length=400)
    unit_en: str | None = Field(default=None, max_length=40)
    label_en: str | None = Field(default=None, max_length=200)
    # who states the number in the source — one of STATED_BY, or the name of the person (or
    # body) the source gives it to — and what it leaves open: shown with the figure
    stated_by: str | None = Field(default=None, min_length=1, max_length=120)
    caveat: str | None = Field(default=None, max_length=200)
    caveat_en: str | None = Field(default=None, max_length=200)

    @field_validator("stated_by")
    @classmethod
    def _a_kind_or_a_name(cls, value: str | None) -> str | None:
        if value is None or value in STATED_BY:
            return value
        if not any(ch.isalpha() for ch in value) or any(ch in value for ch in "<>\n"):
            raise ValueError(f"must be one of {', '.join(STATED_BY)} or the name of whoever states it")
        return value

    @property
    def stated_by_name(self) -> str | None:
        """The person or body the source gives the number to, where `stated_by` names one."""
        return self.stated_by if self.stated_by and self.stated_by not in STATED_BY else None

    @field_validator("value", "value_to", mode="before")
    @classmethod
    def _no_floats(cls, value: object) -> object:
        # YAML reads 4.5 as a float; go through str so 4.5 stays exactly 4.5.
        return str(value) if isinstance(value, float) else value

    @field_validator("value", "value_to")
    @classmethod
    def _a_number_a_figure_can_be(cls, value: Decimal | None) -> Decimal | None:
        """Finite, under a quadrillion, at most six decimals: "1E+1000000" is no figure (and
        would otherwise be written out digit by digit into every reply)."""
        if value is None:
            return None
        if not value.is_finite():
            raise ValueError("must be a finite number")
        if value and value.adjusted() >= 15:  # (no arithmetic on a huge exponent: it overflows)
            raise ValueError("must be less than 1,000,000,000,000,000 (write the scale in the unit: 4 with «млрд долларов»)")
        if value.as_tuple().exponent < -6 and value != round(value, 6):
            raise ValueError("must have at most six decimal places")
        return value

    @field_validator("value_to")
    @classmethod
    def _above_the_lower_end(cls, value_to: Decimal | None, info: ValidationInfo) -> Decimal | None:
        """A range is written from its lower end to its upper one: 8–9, never 9–8 or 8–8."""
        value = info.data.get("value")
        if value_to is not None and value is not None and value_to <= value:
            raise ValueError(f"must be greater than value ({format(value.normalize(), 'f')}): a range goes from value "
                             f"(its lower end) to value_to (its upper end), as in 8–9")
        return value_to

    @property
    def value_text(self) -> str:
        """The value as a person writes it in Russian: 4, 1,5 (decimal comma); a range with an
        en dash, 8–9, 2,3–2,5."""
        if self.value_to is None:
            return _written(self.value)
        return f"{_written(self.value)}–{_written(self.value_to)}"


def _written(value: Decimal) -> str:
    return format(value.normalize(), "f").replace(".", ",")


class Quote(Strict):
    text: str = Field(min_length=1, max_length=300)  # verbatim, in the source's language
    text_en: str | None = Field(default=None, max_length=400)  # a translation, shown as one
    author: Person | None = None


class Snippet(Strict):
    id: str = Field(pattern=SLUG, max_length=60)
    # None only for a draft whose article fits no topic yet: an editor chooses (or adds) one,
    # and a snippet without a topic is never published
    topic: str | None = Field(default=None, pattern=TOPIC_SLUG)
    title: str = Field(min_length=1, max_length=120)
    summary: str = Field(min_length=1, max_length=1200)
    title_en: str | None = Field(default=None, max_length=120)
    summary_en: str | None = Field(default=None, max_length=1200)
    figures: tuple[Figure, ...] = Field(default=(), max_length=40)
    quotes: tuple[Quote, ...] = Field(default=(), max_length=3)
    status: Literal["published", "draft"] = "published"  # a draft is stored, not shown

    @model_validator(mode="after")
    def _published_has_a_topic(self) -> Snippet:
        if self.topic is None and self.status == "published":
            raise ValueError(f"snippet {self.id!r} has no topic: only a draft may wait for one")
        return self


class Source(Strict):
    id: str = Field(pattern=SLUG, max_length=60)
    title: str = Field(min_length=1, max_length=200)
    title_en: str | None = Field(default=None, max_length=200)
    outlet: str | None = Field(default=None, max_length=120)  # who published it
    outlet_en: str | None = Field(default=None, max_length=120)
    date: dt.date | None = None  # None: the text does not say (an editor may add it)
    kind: Literal["interview", "article", "analysis", "news", "opinion", "note"]
    language: Literal["ru", "en"] = "ru"
    author: Person
    text: str | None = Field(default=None, description="Path of the full text, relative to seeds/")
    url: str | None = Field(default=None, pattern=r"^https?://")


class SourceFile(Strict):
    """One seed file: a source and its snippets."""

    source: Source
    snippets: tuple[Snippet, ...] = Field(min_length=1, max_length=200)

    @model_validator(mode="after")
    def _unique_snippet_ids(self) -> SourceFile:
        seen: set[str] = set()
        for snippet in self.snippets:
            if snippet.id in seen:
                raise ValueError(f"snippet id {snippet.id!r} appears twice")
            seen.add(snippet.id)
        return self


def max_length(model: type[BaseModel], field: str) -> int:
    """A field's declared `max_length`, so a refusal names the model's own limit."""
    return next(rule.max_length for rule in model.model_fields[field].metadata if hasattr(rule, "max_length"))


def fingerprint(model: BaseModel) -> str:
    """A stable hash of a model's content: equal content, equal hash, whatever the file layout.

    A snippet's default `status: published` and the later optional fields left empty are left
    out, so content stored before those fields existed keeps its hash (and is not rewritten)."""
    payload = json.dumps(_without_default_status(model.model_dump(mode="json")), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


LATER_OPTIONAL = frozenset({
    "value_to", "title_en", "summary_en", "unit_en", "label_en", "stated_by", "caveat", "caveat_en", "text_en",
    "role_en", "outlet", "outlet_en", "name_en",
})  # fmt: skip


def _without_default_status(data: object) -> object:
    if isinstance(data, dict):
        return {
            k: _without_default_status(v) for k, v in data.items()
            if not (k == "status" and v == "published") and not (k in LATER_OPTIONAL and v is None)
        }
    if isinstance(data, list):
        return [_without_default_status(item) for item in data]
    return data


WHITESPACE = re.compile(r"\s+")


def collapse_whitespace(text: str) -> str:
    return WHITESPACE.sub(" ", text).strip()
