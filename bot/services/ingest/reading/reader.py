"""`read_article`: the layout stage (structure.layout) enriched with the language models:
people, sentences, quotes, the kind of text."""

from __future__ import annotations

from bot.services.ingest.reading import dates, nlp, people, quotes, ranking, structure
from bot.services.ingest.reading.clean import INTERVIEWER_BYLINES, OPINION_RUBRICS
from bot.services.ingest.reading.models import Article, InputTooLarge, Kind, Passage, Person, Quote

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
    for value in plain + ([layout.columnist] if layout.columnist else []) + ([layout.signature] if layout.signature else []) + interviewer:
        person = people.from_byline(value)
        if person:
            return person
    return None


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


def read_article(text: str, *, filename: str | None = None) -> Article:
    """Read a pasted news article, interview or column (plain text or Markdown).

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

    passages: list[Passage] = []
    context: Person | None = interviewee
    previous: str | None = None  # the narrative paragraph before, read for people only when needed
    for segment in layout.segments:
        body = "\n\n".join(segment.answer)
        sentences = nlp.sentences(body)
        if segment.question is not None:
            speaker = interviewee
            found_quotes = quotes.answer_quotes(sentences, speaker) if language == "ru" else tuple(
                Quote(s, speaker) for s in sentences[:1])
            if language == "ru" and _may_quote(body):
                # «…», — говорю я: the interviewee quoting himself (or someone he names)
                said = tuple(Quote(q.text, q.speaker if q.speaker and q.speaker.name.lower() not in FIRST_PERSON
                                   else speaker) for q in quotes.attributed_quotes(body, speaker))
                found_quotes = (said + found_quotes)[:3]
            previous = None
        else:
            speaker = None
            found_quotes = ()
            if language == "ru" and _may_quote(body):
                if previous:
                    named = [m.person for m in people.mentions(previous)]
                    context = named[-1] if named else context
                found_quotes = quotes.attributed_quotes(body, context)
                # the title and the paragraphs just before (a bounded look-back keeps this linear)
                earlier = ([layout.title] if layout.title else []) + [p.text for p in passages[-LOOK_BACK:]] + [body]
                found_quotes = tuple(
                    Quote(q.text, _known(people.fuller(q.speaker, earlier), author, interviewee)) if q.speaker else q
                    for q in found_quotes)
                named = [m.person for m in people.mentions(body)]
                context = named[-1] if named else context
                previous = None
            else:
                previous = body
        passages.append(Passage(
            text=body,
            heading=segment.heading,
            question=segment.question,
            speaker=speaker,
            sentences=sentences,
            quotes=found_quotes,
        ))
    kind = _kind(layout, [p.text for p in passages], author)
    return Article(
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
    )
