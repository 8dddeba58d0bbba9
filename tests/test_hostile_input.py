"""Open-ended input never ends in a traceback: button data, search queries, article texts and
content numbers, thrown at the parsers at random (property-based)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from bot.domain.catalogue import load_catalogue
from bot.domain.search_text import excerpt, query_roots
from bot.domain.validation import ContentError
from bot.presentation import callbacks, keyboards
from bot.services.ingest import read_drafts

ROOT = Path(__file__).resolve().parent.parent
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
