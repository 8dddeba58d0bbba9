"""Who says what in a source: its passages and whose they are. A quote must be said in the
source by the person it is credited to; an interviewer's words are nobody's quote; a figure's
`stated_by` must be whoever states it there.

The voices are read from the source's text when it is stored (by the reader:
`bot/services/ingest/reading/speech.py`, `source_voices`) and kept with it; the rules here only
compare. Names are compared by surname, so declined forms and a first name left out meet
("Токаева", "Касым-Жомарт Токаев").
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Literal

from bot.domain.models import collapse_whitespace

VoiceKind = Literal["interviewer", "interviewee", "speaker", "reported", "narrative"]


@dataclass(frozen=True)
class Voice:
    """A passage of the source and whose words it is."""

    text: str  # verbatim, whitespace collapsed
    kind: VoiceKind  # a question; an answer; quoted speech; reported speech; the piece's own narrative
    speaker: str | None = None  # as the source names them (nominative), where a person or body speaks
    role: str | None = None


Voices = tuple[Voice, ...]
# what the services give the domain to read a source's voices with: (text, interviewee name,
# people the content names) -> voices
VoiceReader = Callable[[str, str | None, Sequence[str]], Voices]


def voices_json(voices: Voices) -> str:
    return json.dumps([asdict(v) for v in voices], ensure_ascii=False)


def voices_from_json(raw: str | None) -> Voices | None:
    if not raw:
        return None
    try:
        data = json.loads(raw)
        return tuple(Voice(text=str(v["text"]), kind=v["kind"], speaker=v.get("speaker"), role=v.get("role"))
                     for v in data if isinstance(v, dict))
    except (ValueError, KeyError, TypeError):
        return None


def surname_key(name: str) -> str:
    """A name's surname, its first letters: 'Касым-Жомарта Токаева' → 'токае'."""
    parts = name.lower().replace("ё", "е").replace(".", ". ").split()
    if not parts:
        return ""
    last = parts[-1]
    return last[: max(3, min(len(last) - 1, 5))]


def same_person(a: str | None, b: str | None) -> bool:
    """'Денис Алексеевич Борисов' and 'Борисов'; 'Токаева' and 'Касым-Жомарт Токаев'."""
    return bool(a and b) and surname_key(a) == surname_key(b)  # type: ignore[arg-type]


def whose(words: str, voices: Voices) -> list[Voice]:
    """The voices holding these words, the most particular first (quoted speech before the
    paragraph around it)."""
    flat = collapse_whitespace(words)
    if not flat:
        return []
    found = [v for v in voices if flat in v.text]
    return sorted(found, key=lambda v: (v.kind == "narrative", len(v.text)))


@dataclass(frozen=True)
class CreditProblem:
    kind: Literal["interviewer", "other", "narrative"]
    speaker: str | None = None  # who says the words in the source
    credited: str | None = None

    def message(self, lang: str = "ru") -> str:
        if self.kind == "interviewer":
            return ("in the source these words are the interviewer's question, not anyone's quote" if lang == "en"
                    else "в источнике эти слова — вопрос интервьюера, а не чья-то цитата")
        if self.kind == "other":
            return (f"in the source these words are said by {self.speaker}, not {self.credited}" if lang == "en"
                    else f"в источнике эти слова говорит {self.speaker}, а не {self.credited}")
        return (f"in the source these words are the article's own narrative, not {self.credited}'s" if lang == "en"
                else f"в источнике это текст самого материала, а не слова: {self.credited}")


def quote_credit_problem(words: str, credited: str | None, voices: Voices | None) -> CreditProblem | None:
    """Whether a quote credited to `credited` (a name) is said by them in the source. None when
    it is, or when the source's voices do not tell (words not found, or found in a passage
    nobody is known to speak)."""
    if not voices or not credited:
        return None
    found = whose(words, voices)
    if not found:
        return None
    if any(v.kind != "interviewer" and v.speaker and same_person(v.speaker, credited) for v in found):
        return None  # words that stand (also) where the credited person speaks are theirs
    best = found[0]
    if best.kind == "interviewer":
        return CreditProblem("interviewer", credited=credited)
    if best.kind in ("interviewee", "speaker", "reported") and best.speaker:
        if same_person(best.speaker, credited):
            return None
        return CreditProblem("other", best.speaker, credited)
    if best.kind == "narrative" and any(v.kind == "interviewee" and same_person(v.speaker, credited) for v in voices):
        # an interview's lead is the outlet's, never the interviewee's words
        return CreditProblem("narrative", credited=credited)
    return None


def stated_by_problem(stated_by: str | None, evidence: str, voices: Voices | None) -> str | None:
    """A figure's `stated_by` against who states its evidence in the source: the interviewer's
    number is not the expert's, and the other way round. None when they agree or it cannot be
    told."""
    if not voices or stated_by in (None, "editors"):
        return None
    found = whose(evidence, voices)
    if not found:
        return None
    if stated_by not in ("expert", "interviewer", "official"):  # a name: the one who states it there
        speakers = [v.speaker for v in found if v.speaker and v.kind != "narrative"]
        if any(v.kind == "interviewer" for v in found[:1]):
            return "interviewer"
        if speakers and not any(same_person(stated_by, s) for s in speakers):
            return speakers[0]
        return None
    kinds = {v.kind for v in found if v.kind != "narrative"}
    if stated_by == "interviewer" and kinds and "interviewer" not in kinds:
        return "interviewee"
    if stated_by in ("expert", "official") and kinds == {"interviewer"}:
        return "interviewer"
    return None
