"""People: names found by natasha's NER, put into the nominative and title case, with the role
the text gives them ("политолог", "журналист из Астаны", "российский политолог и эксперт по
евразийской интеграции"); the interviewee an interview's lead introduces; bylines.
"""

from __future__ import annotations

import re

from dataclasses import dataclass
from typing import Any

from bot.services.ingest.reading import nlp, structure
from bot.services.ingest.reading.models import Person

EVALUATIVE = frozenset(
    """известный известная известного признанный признанная авторитетный авторитетная видный видная
    знаменитый знаменитая популярный популярная опытный опытная талантливый уважаемый маститый
    именитый""".split()
)
INTRO_LEMMAS = frozenset(
    """рассказать рассказывать объяснять объяснить поделиться делиться ответить отвечать побеседовать
    беседовать поговорить говорить комментировать прокомментировать рассуждать размышлять заявить
    считать полагать оценить оценивать анализировать высказаться пояснить пояснять отметить
    уверять уверить убеждать предупреждать рассуждает интервью беседа""".split()
)
PRONOUNS = frozenset({"он", "она", "им", "ей", "его", "её", "ее", "него", "неё", "нее", "ним", "ней", "they"})
MAX_ROLE = 200


@dataclass(frozen=True)
class Mention:
    person: Person
    start: int  # character offsets in the analysed text
    stop: int
    apposition: bool  # "Имя Фамилия — роль" / "Имя Фамилия, роль"
    role_before: bool  # "политолог Имя Фамилия"
    intro: bool  # a verb of speaking or an interview word in the same sentence
    sentence: str


def title_case(name: str) -> str:
    """'ЖУРАВЛЁВ' → 'Журавлёв', 'касым-жомарт' → 'Касым-Жомарт'."""
    words = []
    for word in name.split():
        parts = [part[:1].upper() + part[1:].lower() if part else part for part in word.split("-")]
        words.append("-".join(parts))
    return " ".join(words)


def role_as_written(role: str) -> str:
    """A role a transcript prints in capitals ("ПРЕЗИДЕНТ РОССИЙСКОЙ ФЕДЕРАЦИИ") in ordinary case:
    lower case but for names of places and states, names in «…» and abbreviations
    ("президент Российской Федерации", "генеральный директор ИА «КАЗИНФОРМ»")."""
    bare_role = role.replace("«", "").replace("»", "")
    if not any(c.isalpha() for c in role) or bare_role.upper() != bare_role:
        return role.strip()
    out: list[str] = []
    quoted = False
    for word in role.split():
        bare = word.strip("«»\"(),")
        quoted = quoted or word.startswith("«")
        found = nlp.parses(bare.lower())
        tags = set(found[0].tag.grammemes) if found else set()
        if quoted or len(bare) <= 3 and bare.isalpha() and not tags & {"PREP", "CONJ", "PRCL"}:
            written = word  # a name in «…», an abbreviation (ИА, РК, МИД)
        elif tags & {"Geox", "Orgn"} or bare.lower() in STATE_WORDS:
            written = word[:1] + word[1:].lower()
            if bare.lower() in ("федерации", "федерация") and out:
                out[-1] = out[-1][:1].upper() + out[-1][1:]  # Российской Федерации
        else:
            written = word.lower()
        if word.endswith("»"):
            quoted = False
        out.append(written)
    return " ".join(out)


STATE_WORDS = frozenset({"федерации", "федерация", "республики", "республика"})


def normal_name(span: Any) -> str:
    """A PER span's name in the nominative and title case, ё kept where the text has it."""
    span.normalize(nlp.models().morph_vocab)
    normal = span.normal or span.text
    original = span.text.split()
    normal_words = normal.split()
    if len(original) == len(normal_words):
        normal_words = [nlp.restore_yo(o, w) for o, w in zip(original, normal_words)]
        changed = [o.lower() != w.lower() for o, w in zip(original, normal_words)]
        if any(changed) and not all(changed):
            # the span was inflected but some part stayed as written: put that part right
            fixed = _nominative_name(normal_words)
            normal_words = [f if not c else w for f, w, c in zip(fixed, normal_words, changed)]
    return title_case(" ".join(normal_words))


def _nominative_name(words: list[str]) -> list[str]:
    """natasha sometimes leaves a surname inflected ('Ольга Матвееву'): put any name part
    that can only be read in an oblique case into the nominative, in the first name's gender."""
    gender = None
    for p in nlp.parses(words[0]) if words else ():
        if "Name" in p.tag.grammemes and "nomn" in p.tag.grammemes:
            gender = p.tag.gender
            break
    out = []
    for word in words:
        parses = [p for p in nlp.parses(word) if {"Name", "Surn", "Patr"} & set(p.tag.grammemes)]
        if parses and not any("nomn" in p.tag.grammemes for p in parses):
            ranked = sorted(parses, key=lambda p: p.tag.gender != gender)
            changed = nlp.inflect_parse(ranked[0], {"nomn", "sing"} | ({gender} if gender else set()))
            word = nlp.match_case(word, changed.word) if changed else word
        out.append(word)
    return out


def _tokens_between(d: Any, start: int, stop: int) -> list[Any]:
    return [t for t in d.tokens if t.start >= start and t.stop <= stop]


def _nominative_phrase(text: str, tokens: list[Any]) -> str:
    """A role phrase with the words up to its first noun put in the nominative ('научным
    директором Института' → 'научный директор Института', 'главного инженера' → 'главный
    инженер'); the rest verbatim. Adjectives agree with the head noun's number and gender."""
    head = next((t for t in tokens if t.pos in ("NOUN", "PROPN")), None)
    number = "plur" if head is not None and head.feats.get("Number") == "Plur" else "sing"
    gender = {"Masc": "masc", "Fem": "femn", "Neut": "neut"}.get(head.feats.get("Gender", "") if head else "", "")
    out: list[str] = []
    head_done = False
    for i, t in enumerate(tokens):
        word = t.text
        if not head_done and t.pos in ("ADJ", "NOUN", "PROPN") and t.feats.get("Case") not in (None, "Nom"):
            prefer = {nlp.UD_TO_OC_CASE.get(t.feats.get("Case", ""), "")} - {""}
            wanted = {"nomn", number}
            if t.pos == "ADJ" and number == "sing" and gender:
                wanted.add(gender)
            word = nlp.inflect(word, wanted, prefer | {number})
        if t.pos in ("NOUN", "PROPN"):
            head_done = True
        if i:
            out.append(text[tokens[i - 1].stop : t.start])
        out.append(word)
    return "".join(out).strip()


def _animate_noun(t: Any) -> bool:
    """A common noun naming a person: политолог, Президента (tagged PROPN when capitalised)."""
    if t.pos == "NOUN" and t.feats.get("Animacy") == "Anim":
        return True
    if t.pos in ("NOUN", "PROPN"):
        for p in nlp.parses(t.text.lower()):
            grammemes = set(p.tag.grammemes)
            if p.tag.POS == "NOUN" and "anim" in grammemes and not grammemes & {"Name", "Surn", "Patr"}:
                return p.score >= 0.3
    return False


def _role_before(text: str, d: Any, first: int) -> str | None:
    """'рассказал научный директор Института Имя Фамилия' → 'научный директор Института'."""
    tokens = d.tokens
    collected: list[int] = []
    k = first - 1
    if k >= 0 and tokens[k].text == ",":
        return None  # "Выслушав вопрос корреспондента, министр Иван Петров …": the words before the comma are no role of his
    while k >= 0 and len(collected) < 10:
        t = tokens[k]
        if t.pos in ("NOUN", "ADJ", "PROPN", "ADP") or (t.pos == "CCONJ" and t.text.lower() == "и") \
                or t.text in ("«", "»", "\"", "-") \
                or (t.text == "," and k > 0 and tokens[k - 1].pos in ("NOUN", "PROPN")):  # "политолог, директор …"
            if t.start < d.tokens[first].start and "\n" in text[t.stop : tokens[k + 1].start]:
                break
            collected.insert(0, k)
            k -= 1
        else:
            break
    for s in collected:
        if tokens[s].pos not in ("ADJ", "NOUN", "PROPN"):
            continue
        j = s
        while j < first and tokens[j].pos == "ADJ":
            j += 1
        if j < first and _animate_noun(tokens[j]) and "Name" not in str(tokens[j].feats):
            best = nlp.parses(tokens[j].text.lower())
            if tokens[j].feats.get("Number") == "Plur" or best and best[0].tag.number == "plur":
                return None  # "Министры двух стран Имя и Имя": a title shared, no one's own
            chosen = tokens[s:first]
            while chosen and (chosen[-1].pos in ("ADP", "CCONJ") or chosen[-1].text in ("-",)):
                chosen.pop()
            if chosen:
                words = [t.text.lower() for t in chosen]
                while chosen and words and words[0] in EVALUATIVE:
                    chosen.pop(0)
                    words.pop(0)
                groups: list[list[Any]] = [[]]
                for token in chosen:  # "политолог, директор Института": each part on its own
                    if token.text == ",":
                        groups.append([])
                    else:
                        groups[-1].append(token)
                role = ", ".join(part for g in groups if g and (part := _nominative_phrase(text, g))) or None
                before = text[: chosen[0].start].rstrip() if chosen else ""
                at_start = (not before or before[-1] in ".!?\n") and tokens[s].start == chosen[0].start
                if role and at_start and role[:1].isupper() and not role.split()[0].isupper():
                    role = role[:1].lower() + role[1:]
                return role
            return None
    return None


def _role_after(text: str, d: Any, span: Any) -> tuple[str | None, bool]:
    """'Имя Фамилия — известный политолог.' → ('политолог', True); 'Имя Фамилия, директор
    Института, …' → ('директор Института', True)."""
    rest = text[span.stop : span.stop + 400]
    stripped = rest.lstrip(" ")
    if stripped[:1] in "—–-" and stripped[1:2] == " ":
        body = stripped[2:]
        end = len(body)
        for stop in (". ", ".\n", "! ", "? ", ";", "\n"):
            at = body.find(stop)
            if at != -1:
                end = min(end, at)
        if body[:end].endswith("."):
            end -= 1
        role = body[:end].strip().rstrip(".")
        if len(role) > MAX_ROLE:
            role = role[: role.find(",")] if 0 < role.find(",") <= MAX_ROLE else role[:MAX_ROLE].rsplit(" ", 1)[0]
        words = role.split()
        while words and words[0].lower() in EVALUATIVE:
            words.pop(0)
        role = " ".join(words)
        if role and not role[:1].isupper() or role.lower().startswith(("один ", "одна ")):
            return role or None, True
        return (role or None), bool(role)
    if stripped.startswith(", "):
        start = span.stop + (len(rest) - len(stripped)) + 2
        tokens = [t for t in d.tokens if t.start >= start]
        chosen: list[Any] = []
        for t in tokens[:12]:
            if t.pos in ("PUNCT", "VERB", "AUX", "SCONJ", "PRON") and t.text not in ("«", "»", "-"):
                break
            chosen.append(t)
        j = 0
        while j < len(chosen) and chosen[j].pos == "ADJ":
            j += 1
        if j < len(chosen) and _animate_noun(chosen[j]):
            while chosen and chosen[-1].pos in ("ADP", "CCONJ"):
                chosen.pop()
            return _nominative_phrase(text, chosen) or None, True
    return None, False


def _sentence_of(text: str, start: int) -> str:
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start), text.rfind("! ", 0, start),
               text.rfind("? ", 0, start))
    right_candidates = [p for p in (text.find(". ", start), text.find("\n", start), text.find("? ", start),
                                    text.find("! ", start)) if p != -1]
    right = min(right_candidates) if right_candidates else len(text)
    return text[left + 1 : right + 1].strip()


def _intro(d: Any, start: int, stop: int) -> bool:
    for t in d.tokens:
        if start <= t.start < stop and t.pos in ("VERB", "NOUN") and nlp.lemma(t.text) in INTRO_LEMMAS:
            return True
    return False


def _uncapped(text: str) -> str:
    """"Дмитрий ЗАРЕЧНОВ" as "Дмитрий Заречнов" for the name finder, which misses surnames in
    capitals; same length, so every offset still points into the original text."""
    out = []
    previous = ""
    for word in re.split(r"(\s+)", text):
        core = word.strip(".,;:!?»«\"()")
        if len(core) >= 3 and core.isalpha() and core.isupper() and previous[:1].isupper() and not previous.isupper():
            word = word.replace(core, core[0] + core[1:].lower())
        if word.strip():
            previous = word.strip(".,;:!?»«\"()")
        out.append(word)
    return "".join(out)


def prefetch(texts: list[str]) -> None:
    """Look the people of many texts up at once (`nlp.prefetch_ner`), ahead of `mentions`."""
    nlp.prefetch_ner([_uncapped(t) for t in texts if t.strip()])


def mentions(text: str) -> list[Mention]:
    """The people natasha finds in a text, with their roles."""
    if not text.strip():
        return []
    d = nlp.doc(_uncapped(text))
    out: list[Mention] = []
    for span in d.spans:
        if span.type != "PER":
            continue
        name = normal_name(span)
        if len(name) < 2 or not any(ch.isalpha() for ch in name):
            continue
        first = next((i for i, t in enumerate(d.tokens) if t.start >= span.start), None)
        if first is None:
            continue
        after_role, apposition = _role_after(text, d, span)
        before_role = _role_before(text, d, first)
        sentence = _sentence_of(text, span.start)
        s_start = text.find(sentence) if sentence else span.start
        intro = _intro(d, s_start, s_start + len(sentence)) if sentence else False
        role = after_role or before_role
        out.append(Mention(Person(name, role), span.start, span.stop, apposition, before_role is not None, intro, sentence))
    return out


def _same_person(a: str, b: str) -> bool:
    """'Денис Борисов' and 'Денис Алексеевич Борисов', 'Борисов' and 'Денис Борисов'."""
    wa, wb = a.lower().replace("ё", "е").split(), b.lower().replace("ё", "е").split()
    return bool(wa and wb) and wa[-1] == wb[-1] and (len(wa) == 1 or len(wb) == 1 or wa[0] == wb[0])


def _text_fallback(paragraphs: list[str]) -> Person | None:
    """'Имя Отчество Фамилия — роль.' at a paragraph's start, for names NER missed."""
    for paragraph in paragraphs:
        for dash in (" — ", " – ", " - "):
            at = paragraph.find(dash, 0, 80)
            if at != -1 and structure.name_like(paragraph[:at]):
                role = paragraph[at + 3 :]
                end = min((p for p in (role.find(". "), role.find(";"), len(role)) if p != -1))
                words = role[:end].rstrip(".").split()
                while words and words[0].lower() in EVALUATIVE:
                    words.pop(0)
                return Person(title_case(paragraph[:at]), " ".join(words)[:MAX_ROLE] or None)
    return None


def interviewee(title: str | None, lead: list[str], *, require_strong: bool = False) -> Person | None:
    """The person an interview's lead (or title) introduces. Each person found scores for a
    role written beside the name, a dash apposition, a verb of speaking in the same sentence,
    and a place in the title; the best one wins."""
    scored: list[tuple[float, int, Person]] = []
    order = 0
    sources: list[tuple[str, bool]] = ([(title, True)] if title else []) + [(p, False) for p in lead]
    for text, in_title in sources:
        for m in mentions(text):
            score = 0.0
            score += 4 if m.apposition else 0
            score += 2 if m.role_before else 0
            score += 3 if m.intro else 0
            if in_title:
                after = text[m.stop : m.stop + 3].lstrip()
                score += 2.5 if after.startswith(":") or text[: m.start].strip() == "" else 1
            score += 1 if len(m.person.name.split()) >= 2 else 0
            scored.append((score, order, m.person))
            order += 1
    if not scored:
        return None if require_strong else _text_fallback(lead)
    # merge mentions of one person: the best score, a bonus for being named again
    merged: list[tuple[float, int, Person]] = []
    for score, index, person in scored:
        for n, (s, i, p) in enumerate(merged):
            if _same_person(p.name, person.name):
                name = p.name if len(p.name.split()) >= len(person.name.split()) else person.name
                # the fuller role wins: "доктор исторических наук, профессор …" over "историк"
                role = max((r for r in (p.role, person.role) if r), key=len, default=None)
                merged[n] = (max(s, score) + 0.5, min(i, index), Person(name, role))
                break
        else:
            merged.append((score, index, person))
    best = max(merged, key=lambda x: (x[0], -x[1]))
    threshold = 5 if require_strong else 3
    if best[0] < threshold:
        if require_strong:
            return None
        fallback = _text_fallback(lead)
        if fallback:
            return fallback
        if len(merged) == 1 and best[0] >= 1:
            return best[2]
        return None
    return best[2]


def from_byline(value: str) -> Person | None:
    """'Иван Петров, политолог' / 'Иван ПЕТРОВ (Астана)' / 'Иван Петров' → a Person."""
    value = value.strip().rstrip(".")
    if not value:
        return None
    name, _, role = value.partition(",")
    if "(" in name and not role:
        name, _, role = name.partition("(")
        role = role.rstrip(")")
    name = name.strip()
    if not name or len(name) > 120:
        return None
    first = nlp.parses(name.split()[0].lower())
    if first and first[0].tag.POS == "NOUN" and "inan" in first[0].tag.grammemes \
            and not {"Name", "Surn", "Patr"} & set(first[0].tag.grammemes):
        return None  # "Телеканал Восток", "Редакция сайта": an outlet, no person
    if name.isupper() or any(w.isupper() and len(w) > 1 for w in name.split()):
        name = title_case(name)
    return Person(name, role.strip() or None)


def resolve_speaker(region: str, d_text: str, context: Person | None, position: int | None = None) -> Person | None:
    """The speaker named in an attribution ('— заявил министр Иван Петров'), or, when the
    attribution only has a pronoun ('— сказал он'), the last person named in the paragraph
    before the quotation (at `position`), else the context person."""
    found = mentions(region)
    if found:
        return found[0].person
    words = [w.strip(".,:;!?»«—–-").lower() for w in region.split()]
    if any(w in PRONOUNS for w in words):
        if position is not None:
            before = [m.person for m in mentions(d_text) if m.stop <= position]
            if before:
                return before[-1]
        return context
    return None


def fuller(person: Person, texts: list[str]) -> Person:
    """A speaker named by surname only ('— говорит Ким') as the text introduced them earlier
    ('Эксперт Евразийского банка развития Ольга Ким'): the latest of `texts` (earlier
    paragraphs, nearest last) that names someone with that surname and a first name gives the
    full name, and its role when the speaker has none. Only paragraphs that contain the
    surname are read."""
    words = person.name.split()
    if len(words) != 1 or len(words[0]) < 2:
        return person
    stem = words[0].lower().replace("ё", "е")[: max(2, min(len(words[0]) - 1, 5))]
    looked = 0
    for text in reversed(texts):
        if stem not in text.lower().replace("ё", "е"):
            continue
        looked += 1
        for m in reversed(mentions(text)):
            if len(m.person.name.split()) >= 2 and _same_person(m.person.name, person.name):
                return Person(m.person.name, person.role or m.person.role)
        if looked >= 6:
            break
    return person
