"""Rendering: any content becomes valid Telegram HTML within the message limit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings, strategies as st

from bot.domain.catalogue import load_catalogue
from bot.presentation.html import MESSAGE_LIMIT, split_html, utf16_length, visible_text
from bot.domain.models import Figure, Person
from bot.presentation.render import render_briefing, render_figures, render_search
from bot.domain.views import QuoteView, SnippetView, SourceView
from bot.domain.views import SearchHit
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
