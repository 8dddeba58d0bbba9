"""`read_article`: the layout stage (structure.layout) enriched with the language models:
people, sentences, quotes, the kind of text."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import replace

from bot.services.ingest.reading import dates, nlp, offices, page, people, quotes, ranking, speech, structure
from bot.services.ingest.reading.clean import INTERVIEWER_BYLINES, OPINION_RUBRICS
from bot.services.ingest.reading.models import Article, InputTooLarge, Kind, PageMetadata, Passage, Person, Quote

MAX_CHARS = 200_000
LOOK_BACK = 40  # paragraphs searched for the full name of a speaker named by surname
FIRST_PERSON = frozenset("я мне меня мной мой моя моё мое мои моих моим по-моему".split())
OPINION_PHRASES = ("на мой взгляд", "я считаю", "я думаю", "я убежден", "я убеждена", "мне кажется",
                   "по моему мнению", "я уверен", "я уверена", "убежден, что", "позволю себе")  # fmt: skip
DISCLAIMERS = ("мнение автора", "позиция автора", "мнение редакции может", "редакция может не разделять")
NEWS_RUBRICS = ("новости", "news")


def _may_quote(text: str) -> bool:
    """Could the paragraph hold attributed speech? (Only then are its people looked up.)"""
    low = text[:3000].lower()
    return any(mark in text for mark in ("«", "\"", "“", "„")) or "словам" in low or "мнению" in low \
        or text[:1] in "—–-" or low.startswith("как ")


def _known(speaker: Person, *known: Person | None) -> Person:
    """A speaker named by surname only who is the byline's author or the interviewee ("— считает
    Абдрахманов" under "Подготовил: Тимур Абдрахманов, …"): the full name and role of the byline."""
    if len(speaker.name.split()) != 1:
        return speaker
    for person in known:
        if person and len(person.name.split()) > 1 and person.name.split()[-1].lower() == speaker.name.lower():
            return person
    return speaker


def _author(layout: structure.Layout) -> Person | None:
    plain = [value for label, value in layout.bylines if not label.lower().startswith(INTERVIEWER_BYLINES)]
    interviewer = [value for label, value in layout.bylines if label.lower().startswith(INTERVIEWER_BYLINES)]
    unlabelled = [value for value in (layout.columnist, layout.signature) if value]
    for value in plain + unlabelled + interviewer:
        person = people.from_byline(value)
        if person and value in unlabelled and _written_about(person, layout):
            continue  # a caption under the headline ("Иван Петров" over a story quoting him), not who wrote the piece
        if person:
            return person
    return None


def _written_about(person: Person, layout: structure.Layout) -> bool:
    """Whether the text speaks of the person in the third person: the headline names them, or
    a speech verb gives them words ("заявил министр Иван Петров")."""
    key = speech.surname_key(person.name)
    if not key:
        return False
    if key in (layout.title or "").lower().replace("ё", "е"):
        return True
    return any(key in text.lower().replace("ё", "е") and speech.speaks(text, person.name)
               for segment in layout.segments[:ROLE_LOOK] for text in segment.answer)


ROLE_LOOK = 40  # paragraphs read for the role of a speaker the attribution gave none


def _people_in(texts: list[str], stems: set[str], language: str, done: Callable[[], set[str]]):
    """(paragraph, the people it names) for each paragraph that names one of `stems` not yet
    `done()`: the names are looked up only there (natasha's in Russian, capitals in English)."""
    for text in texts:
        wanted = stems - done()
        if not wanted:
            return
        low = text.lower().replace("ё", "е")
        if any(stem in low for stem in wanted):
            yield text, [m.person for m in people.mentions(text)] if language == "ru" else speech.plain_names(text)


def _roles_named(texts: list[str], wanting: list[Person], language: str) -> dict[str, str]:
    """The roles the text gives, elsewhere, to speakers whose attribution gave none ('председателем
    банка. Марат Ахметов …' then '— сказал он'): surname stem → role. Only the paragraphs
    that name such a speaker are read."""
    stems = {speech.stem_of(p.name) for p in wanting if p and not p.role and speech.stem_of(p.name)}
    roles: dict[str, str] = {}
    for text, found in _people_in(texts, stems, language, lambda: set(roles)):
        for person in found:
            stem = speech.stem_of(person.name)
            if person.role and stem in stems and stem not in roles:
                roles[stem] = person.role
        if language == "ru":
            for stem in stems - set(roles):
                role = _role_before_surname(text, stem)
                if role:
                    roles[stem] = role
    return roles


INITIALS = re.compile(r"(?:\b[А-ЯЁ]\.\s?){1,2}$")


def _given_name(word: str) -> bool:
    """A first name or a patronymic (pymorphy's Name/Patr), capitalised."""
    found = nlp.parses(word.strip(",«»"))
    return word[:1].isupper() and bool(found) and bool({"Name", "Patr"} & set(found[0].tag.grammemes))


def _role_before_surname(text: str, stem: str) -> str | None:
    """The role written just before a surname the name finder missed ('интервью с проректором
    академии … И.И. Петровой' → 'проректор академии …'), its head noun put in
    the nominative."""
    match = re.search(rf"(?i)(?<![\w]){re.escape(stem)}\w*", text.replace("ё", "е"))
    if not match:
        return None
    before = text[: match.start()]
    sentence_at = max(before.rfind(". ", 0, max(0, len(before) - 6)) + 1, 0)
    opening = before[sentence_at:].split()
    if sentence_at and len(opening) <= 1 and all(w[:1].isupper() for w in opening):
        # "… встретился в Бишкеке с председателем банка. Марат Ахметов …": a sentence that opens with
        # the name, after one that closes on a role: the last words of that one
        previous = before[: sentence_at - 1]
        words = previous[max(previous.rfind(". ") + 1, 0):].split()[-6:]
        nouns = speech.lexicon().role_nouns
        for i, word in enumerate(words):
            if word.lower() in ("с", "со") and i + 1 < len(words) and nlp.lemma(words[i + 1].lower()).startswith(nouns):
                head = nlp.inflect(words[i + 1], {"nomn", "sing"})
                return " ".join([head] + words[i + 2 :])[:200]
        return None
    before = before[sentence_at:]
    before = INITIALS.sub("", before.rstrip()).rstrip(" ,")
    words = before.split()[-20:]
    while words and _given_name(words[-1]):
        words.pop()  # "премьер-министр ДНР Евгений Солнцев": the first name is no part of the role
    nouns = speech.lexicon().role_nouns
    for i, word in enumerate(words):
        if nlp.lemma(word.lower().strip("«»,")).startswith(nouns):
            head = nlp.inflect(word, {"nomn", "sing"}) if word[:1].islower() or i else word
            role = " ".join([head.lower() if word[:1].isupper() and i == 0 else head] + words[i + 1 :])
            return role[:200] if len(role.split()) <= 20 else None
    return None


def _introduced(texts: list[str], wanting: list[Person], language: str) -> list[Person]:
    """The speakers as the text introduces them with a role, in text order ('Об этом сообщил
    министр … Марат Оспанов'): only the paragraphs that name one of them are read."""
    stems = {speech.stem_of(p.name) for p in wanting if speech.stem_of(p.name)}
    out: list[Person] = []
    for _text, found in _people_in(texts, stems, language, lambda: {speech.stem_of(p.name) for p in out}):
        others = {speech.stem_of(p.name) for p in found}
        out += [p for p in found if p.role and speech.stem_of(p.name) in stems and len(p.role.split()) <= 10
                and not any(key and key in p.role.lower().replace("ё", "е") for key in others)]  # a role holds no other name
    return out


def _first_mentions(people_in_order: list[Person]) -> dict[str, Person]:
    """Surname key → the person as the text first names them with a full name and a role."""
    out: dict[str, Person] = {}
    for person in people_in_order:
        key = speech.stem_of(person.name)
        if key and key not in out and person.role and len(person.name.replace(".", ". ").split()) >= 2 \
                and not any(len(w.strip(".")) == 1 for w in person.name.replace(".", ". ").split()[:-1]):
            out[key] = person
    return out


def _as_first(person: Person | None, first: dict[str, Person]) -> Person | None:
    """The person as the text first introduced them, where this mention is the same person."""
    if person is None:
        return None
    known = first.get(speech.stem_of(person.name))
    if known is None or known == person or not speech._same(known.name, person.name) and not _initials_fit(person.name, known.name):
        return person
    return known


def _initials_fit(short: str, full: str) -> bool:
    """'М. Оспанов' and 'Марат Оспанов': the initials are the full name's first letters."""
    initials = [w.strip(".") for w in short.replace(".", ". ").split()[:-1]]
    names = full.split()[:-1]
    return bool(initials) and all(len(i) == 1 for i in initials) and all(
        k < len(names) and names[k][:1].upper() == i.upper() for k, i in enumerate(initials))


def _with_role(person: Person | None, roles: dict[str, str]) -> Person | None:
    if person is None or person.role or person.name[:1].islower():
        return person  # a body ("пресс-служба президента РК") has no role to find
    role = roles.get(speech.stem_of(person.name))
    return Person(person.name, role) if role else person


ANSWER_LABELS = frozenset({"ответ", "о", "a", "answer", "а"})
VOCATIVE = re.compile(r"^([А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?\s[А-ЯЁ][а-яё]+(?:вич|вна|ична|инична))\s?[,!]")
WITH_WHOM = re.compile(r"\b(?:interview|conversation|talk)\s+with\s+(?:an?\s+)?(?P<role>.+)$", re.I)


def _interviewee_otherwise(layout: structure.Layout, lead: list[str], found: Person | None, language: str) -> Person | None:
    """Who answers, where the lead names nobody the usual way: the answers' speaker label
    ('А.Н.Петров:', 'Ирина КОВАЛЁВА.'), completed by the lead ('беседу с … И.И. Ковалёвой'); in
    English, the name that closes the lead ('Interview with an expert, Professor …, Jane Doe');
    else the name and patronymic the first question addresses ('Иван Петрович, …')."""
    answer = next((s for s in layout.segments if s.question is not None), None)
    label = answer.answer_label if answer else None
    named = bool(label) and any(len(part) >= 3 for part in re.split(r"[.\s]+", label.strip('"«» ')))  # not initials
    if label and named and label.strip('."«»').lower() not in ANSWER_LABELS:
        name = label.strip('."«» ')
        person = Person(people.title_case(name) if any(w.isupper() and len(w) > 2 for w in name.split()) else name,
                        people.role_as_written(answer.answer_role) if answer and answer.answer_role else None)
        if found is None and language != "ru":  # "Idrissov:" after a lead naming "… Erlan Idrissov"
            found = next((p for paragraph in ([layout.title or ""] + lead[:4]) for p in speech.plain_names(paragraph)
                          if speech.stem_of(p.name) == speech.stem_of(person.name)), None)
        if found and speech.stem_of(found.name) == speech.stem_of(person.name):
            # the label's surname, the lead's full name ("Idrissov:" of "… Erlan Idrissov")
            fuller = found.name if len(found.name.split()) > len(person.name.split()) else person.name
            return Person(fuller, found.role or person.role)
        return person
    if found:
        return found
    if language != "ru":
        for paragraph in reversed(lead[:4]):
            named = speech.plain_names(paragraph)
            if named:
                person = named[-1]
                before = paragraph[: paragraph.rfind(person.name)].rstrip(" ,")
                match = WITH_WHOM.search(before)
                role = match.group("role").strip(" ,.") if match else person.role
                return Person(person.name, role[:200] if role else None)
        return speech.titled_in_headline(layout.title or "")
    first = answer.question if answer else None
    match = VOCATIVE.match(first or "")
    return Person(match.group(1)) if match else None


def _office_holders(passages: list[Passage], titled: list[tuple[int, speech.Said]], on: datetime.date | None,
                    language: str, speakers: list[Person]) -> list[Passage]:
    """Quotations credited only to a title, given to who held that office on the page's date
    when the page names them anywhere (offices.py); the others stay uncredited."""
    if on is None:
        return passages
    text = "\n\n".join(p.text for p in passages)
    named = [m.person for m in people.mentions(text)] if language == "ru" else speech.plain_names(text)
    passages = list(passages)
    for index, said in titled:
        person = offices.holder(said.attribution, on, named, language != "ru")
        if person is None:
            continue
        person = next((k for k in speakers if k.role and people._same_person(k.name, person.name)), person)
        if not any(people._same_person(k.name, person.name) for k in speakers):
            speakers.append(person)
        found = _quotes_of(replace(said, speaker=person))
        passage = passages[index]
        kept = [q for q in passage.quotes if q.text not in said.text]  # the title's own credit goes
        passages[index] = replace(passage, quotes=tuple(sorted((*kept, *found), key=lambda q: passage.text.find(q.text[:40]))))
    return passages


def _resolver(language: str, earlier: list[str], context: Person | None, known: tuple[Person | None, ...],
              last_speaker: Person | None = None) -> speech.Resolver:
    """Who an attribution names: natasha's names in Russian (a surname completed from the
    paragraphs before, a byline's or interviewee's full name), capitalised words in English.
    `last_speaker`: who spoke last in the paragraph before ('he said' goes on from them)."""
    people_known = [p for p in known if p]
    if language != "ru":
        return speech.plain_resolver(context, people_known, earlier, last_speaker)

    def names(text: str) -> list[Person]:
        return [m.person for m in people.mentions(text)]

    return speech.make_resolver(names, earlier=earlier, context=context, known=people_known,
                                fuller=lambda person: people.fuller(person, earlier),
                                nominative=lambda word: nlp.match_case(word, nlp.inflect(word, {"nomn", "sing"})),
                                last_speaker=last_speaker)


def _quotes_of(said: speech.Said) -> tuple[Quote, ...]:
    """A quotation as quotes: whole when it fits QUOTE_MAX, else its sentences in runs that fit
    (a question the speaker asks himself is left out)."""
    text = said.text.strip()
    if len(text) <= quotes.QUOTE_MAX:
        return (Quote(text, said.speaker),) if len(speech.words(text)) >= speech.MIN_WORDS else ()
    out: list[Quote] = []
    run = ""
    for part in (p.strip() for p in nlp.sentences(text)):
        if structure.ends_question(part) or len(part) > quotes.QUOTE_MAX:
            if run:
                out.append(Quote(run, said.speaker))
            run = ""
            continue
        joined = f"{run} {part}" if run else part
        if len(joined) <= quotes.QUOTE_MAX and joined in text:
            run = joined
        else:
            if run:
                out.append(Quote(run, said.speaker))
            run = part
    if run:
        out.append(Quote(run, said.speaker))
    return tuple(q for q in out if len(speech.words(q.text)) >= 4)


def _handed_over(body: str, resolve: speech.Resolver, context: Person | None) -> Person | None:
    """The person a paragraph's last sentence hands over to ('… заявил глава компании X.')."""
    tail = body.rstrip()
    start = max(tail.rfind(". ", 0, len(tail) - 2), tail.rfind("\n")) + 1
    last = tail[start:]
    return resolve(last, len(last), last) or context


def _first_person_rate(texts: list[str]) -> tuple[int, int]:
    count = total = 0
    for text in texts:
        for word in ranking.words(text.lower()):
            total += 1
            if word in FIRST_PERSON:
                count += 1
    return count, total


def _kind(layout: structure.Layout, texts: list[str], author: Person | None) -> Kind:
    if layout.scheme:
        return "interview"
    rubrics = [r.lower() for r in layout.rubrics]
    removed = [r.lower() for r in layout.removed]
    opinion_marked = any(r.startswith(OPINION_RUBRICS) for r in rubrics) or any(r.startswith(DISCLAIMERS) for r in removed)
    first, total = _first_person_rate(texts)
    joined = " ".join(texts[:6]).lower()
    phrases = sum(joined.count(p) for p in OPINION_PHRASES)
    headings = sum(1 for p in layout.paras if p.heading)
    # "…, сообщили в АО …" marks a news item, not an article in sections under subheadings
    news_marked = layout.dateline is not None or layout.attribution and headings < 2 \
        or any(r in NEWS_RUBRICS for r in rubrics)
    if opinion_marked:
        return "opinion"
    if not news_marked and (phrases >= 1 and first >= 3 or total and first >= 4 and first / total >= 0.008):
        return "opinion"
    if news_marked:
        return "news"
    length = sum(len(t) for t in texts)
    if length <= 2500 and not headings and layout.date is not None and author is None:
        return "news"
    return "article"


QUOTE_MARKS = ("«", "»", "\"", "“", "”", "„")
ATTRIBUTION = re.compile(r"(?:^|[,.] )(?P<verb>[а-яё]+)(?: же)? (?P<who>он|она|[а-яё-]+(?: [а-яё-]+)?)(?=[.,:]|$)", re.M)


def _speaker_word(passage: Passage) -> str | None:
    """The words of a paragraph's attribution with no name and no quotation marks ('…, отметил он.',
    'Кроме того, добавил министр, …'): 'он' or the role noun, else None."""
    if passage.question is not None or any(m in passage.text for m in QUOTE_MARKS):
        return None
    lex = speech.lexicon()
    for match in ATTRIBUTION.finditer(passage.text):
        if not speech.speech_word(match.group("verb")):
            continue
        who = match.group("who").split()[0]
        if who in lex.pronouns or who.startswith(lex.role_nouns):
            return who
    return None


def _first_person(text: str) -> bool:
    """Does the paragraph speak in the first person singular ('Считаю, …', 'Я поручал …')?"""
    for word in ranking.words(text.lower()):
        if word in FIRST_PERSON:
            return True
        best = nlp.parses(word)[:1]
        if best and best[0].tag.POS == "VERB" and {"1per", "sing"} <= set(best[0].tag.grammemes):
            return True
    return False


def _unmarked_speech(passages: list[Passage]) -> list[Passage]:
    """A speech retold without quotation marks: paragraphs in the first person beside paragraphs
    that say '…, отметил он' or '…, добавил министр' are the speaker's own words (a role noun
    stands for a speaker the text never names)."""
    words = [_speaker_word(p) for p in passages]
    if not any(words):
        return passages
    role = next((w for w in words if w and w not in speech.lexicon().pronouns), None)
    voices = {q.speaker.name: q.speaker for p in passages for q in (*p.quotes, *p.reported) if q.speaker}
    named = next(iter(voices.values())) if len(voices) == 1 else None  # 'он' is the one person who speaks
    out = list(passages)
    for i, passage in enumerate(passages):
        if passage.question is not None or passage.quotes or any(m in passage.text for m in QUOTE_MARKS) \
                or speech._dash_remark(passage.text) is not None or not _first_person(passage.text):
            continue
        near = [w for w in words[max(0, i - 1) : i + 2] if w]
        if not near:
            continue
        speaker = named if named and len({w for w in words if w}) == 1 and near[0] in speech.lexicon().pronouns else None
        if speaker is None and role:
            speaker = Person(role[:1].upper() + role[1:])
        if speaker is None:
            continue
        found = quotes.answer_quotes(passage.sentences, speaker)
        if found:
            out[i] = replace(passage, quotes=found)
    return out


def read_article(text: str, *, filename: str | None = None, metadata: PageMetadata | None = None) -> Article:
    """Read a pasted news article, interview or column (plain text or Markdown).

    `metadata`: what the web page the text comes from declares (headline, date, authors,
    outlet, URL); it takes precedence over what the text itself suggests (`page.with_page`).

    Raises InputTooLarge above MAX_CHARS characters and ValueError for a text with no words.
    """
    if not isinstance(text, str):
        raise TypeError("read_article expects the text as a str")
    if len(text) > MAX_CHARS:
        raise InputTooLarge(f"the text has {len(text):,} characters; read_article accepts at most {MAX_CHARS:,}")
    layout = structure.layout(text)
    if not layout.segments:
        raise ValueError("the text has no paragraphs to read")
    language = "en" if layout.language == "en" else "ru"

    lead_paragraphs: list[str] = []
    for segment in layout.segments:
        if segment.question is not None:
            break
        lead_paragraphs.extend(segment.answer)
        if not layout.scheme:
            break
    lead = "\n\n".join(lead_paragraphs) or None

    interviewee: Person | None = None
    if layout.scheme and language == "ru":
        interviewee = people.interviewee(layout.title, lead_paragraphs[:4])
    if layout.scheme:
        interviewee = _interviewee_otherwise(layout, lead_paragraphs, interviewee, language)
    author = _author(layout)
    if interviewee and author and people._same_person(interviewee.name, author.name):
        author = None

    date = layout.date.date if layout.date else None
    date_found_as = layout.date_found_as if date else None
    date_words = layout.date.words if layout.date else None
    if date is None and layout.title:
        # "Интервью посла …, 2 декабря 2022 г.": a date the headline states. A date in the lead is
        # the event's ("19 марта прошли выборы"), not the publication's, and is not taken.
        found = dates.find_date(layout.title[-60:], allow_no_year=False)
        if found and found.date:
            date, date_found_as, date_words = found.date, "words", found.words

    if language == "ru":
        # the paragraphs whose people the loop below looks up, in batches (same names, less time)
        bodies = ["\n\n".join(segment.answer) for segment in layout.segments if segment.question is None]
        people.prefetch([b for b in bodies if _may_quote(b) or speech.has_speech_word(b)])
    passages: list[Passage] = []
    context: Person | None = interviewee
    carried: Person | None = None  # the speaker a paragraph ending '… заявил X.' hands over to
    last_said: Person | None = None  # the last speaker of the narrative paragraph before
    speakers: list[Person] = []  # everyone the piece gives words to, directly or reported
    titled: list[tuple[int, speech.Said]] = []  # quotations credited only to a title ("the Kazakh President said")
    for segment in layout.segments:
        body = "\n\n".join(segment.answer)
        sentences = nlp.sentences(body)
        reported: tuple[Quote, ...] = ()
        unattributed: tuple[str, ...] = ()
        if segment.question is not None:
            speaker = interviewee
            found_quotes = quotes.answer_quotes(sentences, speaker)
            if language == "ru" and _may_quote(body):
                # «…», — говорю я: the interviewee quoting himself (or someone he names)
                said = tuple(Quote(q.text, q.speaker if q.speaker and q.speaker.name.lower() not in FIRST_PERSON
                                   else speaker) for q in quotes.attributed_quotes(body, speaker))
                found_quotes = (said + found_quotes)[:3]
            carried = None
        elif segment.answer_label and segment.answer_role is not None:
            # a transcript's turn ("Владимир ПУТИН, ПРЕЗИДЕНТ …:" then the words): the words are theirs
            name = segment.answer_label
            speaker = Person(people.title_case(name) if any(w.isupper() and len(w) > 2 for w in name.split()) else name,
                             people.role_as_written(segment.answer_role))
            found_quotes = quotes.answer_quotes(sentences, speaker)[:3]
            if not any(people._same_person(speaker.name, k.name) for k in speakers):
                speakers.append(speaker)
            carried, last_said, context = None, speaker, speaker
        else:
            speaker = None
            earlier = ([layout.title] if layout.title else []) + [p.text for p in passages[-LOOK_BACK:]]
            resolve = _resolver(language, earlier, context, (author, interviewee, *speakers), last_said)
            if carried is None and speech._dash_remark(body) is not None:
                carried = last_said  # a dash remark with no attribution goes on from whoever spoke before
            said = speech.find(body, resolve, lang=language, context=context, carried=carried) if _may_quote(body) \
                or speech.has_speech_word(body) else []
            found_quotes = tuple(q for s in said if s.direct and s.speaker for q in _quotes_of(s))
            titled += [(len(passages), s) for s in said if s.direct and s.attribution
                       and (s.speaker is None or s.speaker.name[:1].islower())]  # no one, or a title speaking
            reported = tuple(Quote(s.text, s.speaker) for s in said if not s.direct and s.speaker)
            unattributed = tuple(s.text for s in said if s.direct and s.speaker is None)
            for s in said:
                if s.speaker and not any(people._same_person(s.speaker.name, k.name) for k in speakers):
                    speakers.append(s.speaker)
            named = [s.speaker for s in said if s.speaker]
            if language == "ru" and (said or _may_quote(body)):
                mentioned = [m.person for m in people.mentions(body)]
                context = mentioned[-1] if mentioned else (named[-1] if named else context)
            elif named:
                context = named[-1]
            carried = _handed_over(body, resolve, context) if speech.introduces_speaker(body) else None
            last_said = next((x.speaker for x in reversed(said) if x.speaker), None)
        passages.append(Passage(
            text=body,
            heading=segment.heading,
            question=segment.question,
            speaker=speaker,
            sentences=sentences,
            quotes=found_quotes,
            reported=reported,
            unattributed=unattributed,
        ))
    if titled:
        passages = _office_holders(passages, titled, date, language, speakers)
    if language == "ru" and not layout.scheme:
        passages = _unmarked_speech(passages)
    kind = _kind(layout, [p.text for p in passages], author)
    roles = _roles_named(([layout.title] if layout.title else []) + lead_paragraphs[:4] + [p.text for p in passages[:ROLE_LOOK]],
                         [q.speaker for p in passages for q in (*p.quotes, *p.reported) if q.speaker]
                         + ([interviewee] if interviewee else []), language)
    # a role one attribution gives ("— добавил представитель правительства") is the speaker's in every quote
    roles.update({speech.stem_of(q.speaker.name): q.speaker.role for p in passages for q in (*p.quotes, *p.reported)
                  if q.speaker and q.speaker.role and speech.stem_of(q.speaker.name)})
    quoted = [q.speaker for p in passages for q in p.quotes if q.speaker]
    first = _first_mentions(_introduced(([layout.title] if layout.title else []) + [p.text for p in passages[:ROLE_LOOK]],
                                        quoted, language) + speakers + quoted)
    if first:
        # a person is named and introduced as the text first does ("сообщил министр … Марат
        # Оспанов", later "— отметил сопредседатель группы М. Оспанов"): one name, one role
        passages = [replace(p, quotes=tuple(Quote(q.text, _as_first(q.speaker, first)) for q in p.quotes),
                            reported=tuple(Quote(q.text, _as_first(q.speaker, first)) for q in p.reported))
                    for p in passages]
    if roles:
        passages = [replace(p, speaker=_with_role(p.speaker, roles),
                            quotes=tuple(Quote(q.text, _with_role(q.speaker, roles)) for q in p.quotes),
                            reported=tuple(Quote(q.text, _with_role(q.speaker, roles)) for q in p.reported))
                    for p in passages]
        interviewee = _with_role(interviewee, roles)
        speakers = [_with_role(person, roles) or person for person in speakers]
    article = Article(
        title=layout.title,
        date=date,
        date_found_as=date_found_as,  # type: ignore[arg-type]
        date_words=date_words,
        kind=kind,
        author=author,
        interviewee=interviewee,
        lead=lead,
        passages=tuple(passages),
        removed_chrome=tuple(layout.removed),
        language=language,  # type: ignore[arg-type]
        filename=filename,
        speakers=tuple(speakers),
    )
    return page.with_page(article, metadata) if metadata is not None else article
