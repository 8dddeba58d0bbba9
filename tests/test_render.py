"""Rendering: any content becomes valid Telegram HTML within the message limit."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings, strategies as st

from bot.domain.catalogue import load_catalogue
from bot.presentation.html import MESSAGE_LIMIT, split_html, utf16_length, visible_text
from bot.domain.models import Figure, Person
from bot.presentation.render import (COPY_LIMIT, briefing_card, copy_quote_text, format_date, person_name,
                                    render_briefing, render_figures, render_search)
from bot.domain.views import QuoteView, SnippetView, SourceView
from bot.domain.views import SearchHit
from bot.presentation.texts import t
from tests.conftest import ROOT
from tests.emulator.html_entities import parse_html

CATALOGUE = load_catalogue(ROOT / "config" / "topics.yaml")
ENERGY = CATALOGUE.by_slug("energy")
# Text a content editor might write: any Unicode, including <, &, quotes, emoji and newlines.
any_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=3000)


def snippet(summary: str, title: str = "Заголовок", quote: str = "Цитата", number: str = "4") -> SnippetView:
    source = SourceView("s", "Источник <интервью>", dt.date(2025, 11, 12), "interview",
                        Person(name="Автор & Co", role="эксперт"), None)
    figure = Figure(value=Decimal(number), unit="млрд $", label="доля <b>", year=2024, evidence=number)
    return SnippetView(1, "k", "energy", title, summary, source, (figure,),
                       (QuoteView(quote, Person(name="Эксперт", role=None)),))


def assert_sendable(parts: list[str]) -> None:
    assert parts
    for part in parts:
        parsed = parse_html(part)  # raises where Telegram would answer 400
        assert parsed.text.strip()
        assert utf16_length(parsed.text) <= MESSAGE_LIMIT


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(summary=any_text, title=st.text(min_size=1, max_size=120), quote=any_text)
def test_any_snippet_renders_to_valid_html_within_the_limit(summary: str, title: str, quote: str) -> None:
    markup = render_briefing(ENERGY, [snippet(summary, title, quote)] * 3, "ru")
    parts = split_html(markup)
    assert_sendable(parts)
    # nothing is lost in the split except whitespace at the cut points
    joined = "".join(visible_text(p) for p in parts)
    assert "".join(joined.split()) == "".join(visible_text(markup).split())


@settings(max_examples=60, deadline=None)
@given(query=st.text(max_size=300), summary=any_text)
def test_search_results_render_valid_html(query: str, summary: str) -> None:
    markup = render_search(query, [(snippet(summary), SearchHit(1, -1.0))], CATALOGUE, "en")
    assert_sendable(split_html(markup))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["<b>жирный</b>", "<i>курсив & ещё</i>", "текст " * 50, "\n", "\n\n",
                                 "<blockquote>цитата " + "слово " * 300 + "</blockquote>", "😀" * 100]),
                min_size=1, max_size=120))
def test_split_keeps_every_part_valid_and_short(pieces: list[str]) -> None:
    markup = "".join(p.replace("&", "&amp;") for p in pieces)
    if not visible_text(markup).strip():
        return
    assert_sendable(split_html(markup))


def test_long_answers_split_at_paragraph_boundaries() -> None:
    paragraphs = [f"<b>Абзац {i}</b>\n" + "слово " * 150 for i in range(20)]
    parts = split_html("\n\n".join(paragraphs))
    assert len(parts) > 1
    for part in parts:
        assert part.startswith("<b>Абзац")
        assert part.rstrip().endswith("слово")


def test_figures_are_grouped_by_topic_in_catalogue_order() -> None:
    economy = snippet("Текст")
    economy = SnippetView(2, "e", "economy", "Э", "Текст", economy.source, economy.figures, ())
    markup = render_figures(CATALOGUE, [snippet("Текст"), economy], "ru")
    text = parse_html(markup).text
    assert text.index("Экономика") < text.index("Энергетика")
    assert "4 млрд $ — доля <b>, 2024 г." in text


# --- a topic's summary across its snippets, and the copy button ---------------------------------

words = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=120).map(str.strip).filter(bool)
people = st.builds(Person, name=words, role=st.none() | words, name_en=st.none() | words, role_en=st.none() | words)
sources = st.builds(
    SourceView, id=st.text("abcdef", min_size=1, max_size=3), title=words,
    date=st.none() | st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1)),
    kind=st.sampled_from(["interview", "article", "note", "analysis"]), author=people,
    url=st.none() | st.just("https://example.com/a?b=1&c=<2>"), outlet=st.none() | words)
figures = st.builds(Figure, value=st.decimals(0, 10**9, places=2, allow_nan=False), unit=st.text("млрд долларов%", min_size=1, max_size=40).map(str.strip).filter(bool),
                    label=words, evidence=st.just("x"), caveat=st.none() | words)
quotes = st.builds(QuoteView, text=st.text(min_size=1, max_size=300).map(str.strip).filter(bool), author=people,
                   text_en=st.none() | st.text(min_size=1, max_size=400))
snippets_of_a_topic = st.lists(st.builds(
    SnippetView, id=st.integers(1, 10**6), key=st.just("k"), topic=st.just("energy"), title=words,
    summary=st.text(min_size=1, max_size=1200), source=sources, figures=st.lists(figures, max_size=40).map(tuple),
    quotes=st.lists(quotes, max_size=3).map(tuple), title_en=st.none() | words,
    summary_en=st.none() | st.text(min_size=1, max_size=1200)), min_size=2, max_size=10)
# and ones that fill a screen: sentences as editors write them, long titles, many figures
sentence = st.text("абвгдежзиклмнопрстуфхцчшщыэюя <&1,5", min_size=20, max_size=160).map(lambda w: f"Ё{w.strip()}.")
full_snippets = st.lists(st.builds(
    SnippetView, id=st.integers(1, 10**6), key=st.just("k"), topic=st.just("energy"),
    title=st.text("Заголовк <&>", min_size=60, max_size=120).map(lambda w: f"З{w}"),
    summary=st.lists(sentence, min_size=3, max_size=12).map(" ".join).map(lambda text: text[:1200]),
    source=sources, figures=st.lists(figures, min_size=2, max_size=40).map(tuple),
    quotes=st.lists(quotes, min_size=1, max_size=3).map(tuple)), min_size=3, max_size=10)


def blockquote_spans(entities: list[dict]) -> list[tuple[int, int]]:
    return [(e["offset"], e["offset"] + e["length"]) for e in entities if "blockquote" in e["type"]]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(snippets=snippets_of_a_topic | full_snippets, lang=st.sampled_from(["ru", "en"]))
def test_any_set_of_snippets_sums_up_in_one_valid_message(snippets, lang) -> None:
    # each title marked, so the test can tell which snippets made it to the screen
    snippets = [dataclasses.replace(s, title=f"⟦{i}⟧ {s.title}", title_en=None) for i, s in enumerate(snippets)]
    card = briefing_card(ENERGY, snippets, lang)
    parsed = parse_html(card.html)  # raises where Telegram would answer 400
    assert utf16_length(parsed.text) <= MESSAGE_LIMIT and split_html(card.html) == [card.html.strip()]
    spans = sorted(blockquote_spans(parsed.entities))
    assert all(end <= start for (_, end), (start, _) in zip(spans, spans[1:]))  # no quote inside a quote
    text = parsed.text
    shown = sum(f"⟦{i}⟧" in text for i in range(len(snippets)))
    assert shown >= 1 and all(f"⟦{i}⟧" in text for i in range(shown))  # the newest first, none skipped
    order = [text.index(f"⟦{i}⟧") for i in range(shown)]
    assert order == sorted(order)
    # a source line after each run of snippets of one source
    source_word = "Source:" if lang == "en" else "Источник:"
    runs = [i for i in range(shown) if i + 1 == shown or snippets[i].source.id != snippets[i + 1].source.id]
    for i in runs:
        assert source_word in text[order[i]:order[i + 1] if i + 1 < shown else len(text)]
    if shown < len(snippets):  # what did not fit is counted, not dropped silently
        assert visible_text(t(lang, "summary_more", count=len(snippets) - shown)) in text
    if card.copy is not None:
        assert 1 <= utf16_length(card.copy) <= COPY_LIMIT


@settings(max_examples=200, deadline=None)
@given(quote=quotes, source=sources, lang=st.sampled_from(["ru", "en"]))
def test_any_quote_copies_within_256_characters_with_its_speaker_and_date(quote, source, lang) -> None:
    copied = copy_quote_text(quote, source, lang)
    assert 1 <= utf16_length(copied) <= COPY_LIMIT
    assert format_date(source.date, lang) in copied
    assert person_name(quote.author, lang)[:20].strip() in copied


def test_a_short_quote_copies_whole_with_the_role_and_source() -> None:
    source = SourceView("s", "Интервью", dt.date(2025, 12, 8), "interview", Person(name="Автор"), None,
                        outlet="Казахстанская правда", outlet_en="Kazakhstanskaya Pravda")
    quote = QuoteView("Атом — это надолго.", Person(name="Денис Борисов", role="политолог", name_en="Denis Borisov",
                                                     role_en="political scientist"), text_en="Nuclear is for the long run.")
    assert copy_quote_text(quote, source, "ru") == (
        "«Атом — это надолго.» — Денис Борисов, политолог (Интервью, Казахстанская правда, 8 декабря 2025)")
    assert copy_quote_text(quote, source, "en") == (
        "Translation: “Nuclear is for the long run.” — Denis Borisov, political scientist "
        "(Интервью, Kazakhstanskaya Pravda, 8 December 2025)")


def test_a_long_quote_is_cut_with_an_ellipsis_and_keeps_speaker_and_source() -> None:
    source = SourceView("s", "Т" * 200, dt.date(2025, 11, 12), "interview", Person(name="Автор"), None, outlet="О" * 120)
    quote = QuoteView("слово " * 50, Person(name="Имя Фамилия", role="р" * 200))
    copied = copy_quote_text(quote, source, "ru")
    assert utf16_length(copied) <= COPY_LIMIT and "…» — Имя Фамилия (" in copied and copied.endswith(", 12 ноября 2025)")


def test_more_than_three_figures_fold_into_an_expandable_quote() -> None:
    three = snippet("Текст")
    four = SnippetView(1, "k", "energy", "T", "Текст", three.source, three.figures * 4, three.quotes)
    folded = parse_html(render_briefing(ENERGY, [four], "ru")).entities
    assert [e["type"] for e in folded if "blockquote" in e["type"]] == ["expandable_blockquote", "blockquote"]
    plain = SnippetView(1, "k", "energy", "T", "Текст", three.source, three.figures * 3, three.quotes)
    assert [e["type"] for e in parse_html(render_briefing(ENERGY, [plain], "ru")).entities
            if "blockquote" in e["type"]] == ["blockquote"]


def test_dates_read_as_people_write_them() -> None:
    assert format_date(dt.date(2025, 12, 8), "ru") == "8 декабря 2025"
    assert format_date(dt.date(2025, 12, 8), "en") == "8 December 2025"
