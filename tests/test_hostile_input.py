"""Open-ended input never ends in a traceback: button data, search queries, article texts,
content numbers and quotes, thrown at the parsers at random (property-based)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from bot.domain.actors import Actor
from bot.domain.catalogue import load_catalogue
from bot.domain.faithfulness import verbatim_in, verbatim_start
from bot.domain.models import collapse_whitespace
from bot.domain.search_text import excerpt, query_roots
from bot.domain.validation import ContentError
from bot.presentation import callbacks, keyboards
from bot.services.editorial import unquoted
from bot.services.ingest import read_drafts

ROOT = Path(__file__).resolve().parent.parent
OLGA = Actor(42, "Olga", "telegram")
SOURCE = (ROOT / "seeds/sources/borisov-2025-11-12.txt").read_text(encoding="utf-8")
CATALOGUE = load_catalogue(ROOT / "config/topics.yaml")
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)


@given(st.one_of(TEXT, st.from_regex(r"(t|f|q|m|tp|s|si|ed:p|ed:pub|ed:pn|ed:d|ed:ap|ed:cx)(:[^:]{0,30}){0,3}", fullmatch=True)))
@settings(max_examples=300, deadline=None)
def test_any_button_data_is_understood_or_refused_never_raises(data: str) -> None:
    for kinds in (callbacks.READER_BUTTONS, callbacks.SUBSCRIPTION_BUTTONS, callbacks.EDITOR_BUTTONS):
        press = callbacks.unpack_any(data, kinds)
        if press is not None:
            assert callbacks.unpack_any(press.pack(), kinds) == press  # what it reads, it writes back
    keyboards.parse_callback(data, CATALOGUE)
    keyboards.parse_subscription_callback(data, CATALOGUE)


@given(TEXT)
@settings(max_examples=300, deadline=None)
def test_any_query_gives_roots_and_an_excerpt(query: str) -> None:
    assert len(query_roots(query)) <= 8
    excerpt("Росатом и Казатомпром строят АЭС на Балхаше. «Цитата» в тексте.", query)


@given(st.lists(st.one_of(TEXT, st.sampled_from(["— Вопрос?", "Вопрос: как?", "Ответ: так.", "**Жирный?**",
                                                 "Фото: Акорда", "1056", "АСТАНА, 12 ноября.", "## Заголовок",
                                                 "Товарооборот 28 млрд долларов.", "Су-35", "А.К.: Да."])),
                max_size=12))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_article_becomes_drafts_or_a_clear_refusal(paragraphs: list[str]) -> None:
    text = "\n\n".join(paragraphs)
    try:
        result = read_drafts(text, "random.txt", CATALOGUE)
    except ContentError as exc:
        assert str(exc).startswith("random.txt")  # the refusal names the file and the problem
        return
    for snippet in result.document["snippets"]:
        assert snippet["title"] and len(snippet["title"]) <= 120 and not snippet["title"].endswith("?")


# a passage of the source, its line breaks and spaces typed anew (which a quote may differ in)
PASSAGE = st.tuples(st.integers(0, len(SOURCE)), st.integers(1, 300), st.sampled_from([" ", "\n", "  ", " \n "])).map(
    lambda cut: cut[2].join(SOURCE[cut[0]:cut[0] + cut[1]].split()))


@given(st.one_of(TEXT, PASSAGE, PASSAGE.map(lambda words: words + " и ещё")))
@settings(max_examples=300, deadline=None)
def test_where_a_quote_stops_matching_its_source(words: str) -> None:
    start = verbatim_start(words, SOURCE)
    assert collapse_whitespace(words).startswith(start) and verbatim_in(start, SOURCE)
    assert verbatim_in(words, SOURCE) == (start == collapse_whitespace(words))


@pytest.fixture
async def quoted_draft(services, seeds_dir) -> int:
    from tests.publishing import seed_draft

    return await seed_draft(services, seeds_dir, "energy", "АЭС: черновик для случайных цитат")


@given(words=st.one_of(TEXT, PASSAGE), speaker=st.one_of(st.just(""), TEXT))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
async def test_any_quote_is_taken_verbatim_or_refused_with_a_message(services, quoted_draft, words, speaker) -> None:
    """Whatever an editor types as a quote (in place of the draft's first), it is taken only if
    the source holds it verbatim within the model's limits; anything else is a message."""
    outcome = await services.desk.change_quote(OLGA, "ru", quoted_draft, words, speaker, 1)
    [view] = await services.content.snippets_by_id([quoted_draft])
    assert len(view.quotes) == 2
    if outcome.ok:
        assert verbatim_in(view.quotes[0].text, SOURCE) and 0 < len(view.quotes[0].text) <= 300
        assert view.quotes[0].text in collapse_whitespace(words)
    else:
        assert outcome.message and "Traceback" not in outcome.message


@given(words=PASSAGE.filter(unquoted))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
async def test_any_passage_of_the_source_is_taken_as_a_quote_of_whoever_says_it(services, quoted_draft, words) -> None:
    """A passage of the interviewee's answers is taken as his quote; one of the interviewer's
    questions, of the lead or of someone the source quotes (the president's «рубежным событием» in
    the lead) is refused naming whose words they are (who said it)."""
    outcome = await services.desk.change_quote(OLGA, "ru", quoted_draft, words, "", 1)
    [view] = await services.content.snippets_by_id([quoted_draft])
    if outcome.ok:
        assert view.quotes[0].text == unquoted(words)
    else:
        assert any(whose in outcome.message for whose in (
            "вопрос интервьюера", "текст самого материала", "в источнике эти слова говорит")), (words, outcome.message)


async def test_a_quote_signed_with_a_nul_character_is_refused_with_a_message(services, quoted_draft) -> None:
    """Found on PostgreSQL, which cannot store a NUL: the domain refuses it on every backend."""
    outcome = await services.desk.change_quote(OLGA, "ru", quoted_draft, "1", "\x00", 1)
    assert not outcome.ok and outcome.message and "Traceback" not in outcome.message


def test_an_uploaded_text_holding_nul_bytes_is_no_text_file():
    from bot.domain.validation import ContentError
    from bot.services.importing import decode

    with pytest.raises(ContentError, match="NUL"):
        decode("Заголовок\n\nТекст \x00 статьи.".encode(), "a.txt")
