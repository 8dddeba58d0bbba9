"""The real interview the bot was seeded with."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bot.services.ingest.reading import draft_passage, read_article
from tests.reading.conftest import BORISOV

pytestmark = pytest.mark.skipif(not BORISOV.exists(), reason="the seed interview is not on this machine")


@pytest.fixture(scope="module")
def article():
    return read_article(BORISOV.read_text(encoding="utf-8"), filename=BORISOV.name)


def test_metadata(article):
    assert article.kind == "interview"
    assert article.date == dt.date(2025, 11, 12) and article.date_found_as == "header"
    assert article.interviewee.name == "Денис Алексеевич Борисов"
    assert article.interviewee.role == "российский политолог и эксперт по евразийской интеграции"
    assert article.language == "ru"
    assert article.removed_chrome == ("date 2025-11-12",)
    assert article.lead.startswith("Государственный визит Президента")


def test_passages(article):
    # 8 passages: the two lead paragraphs and the six question-and-answer pairs
    assert len(article.passages) == 8
    qa = [p for p in article.passages if p.question]
    assert len(qa) == 6
    assert all(p.question.endswith("?") for p in qa)
    assert all(p.speaker == article.interviewee for p in qa)
    assert qa[0].question.startswith("Визит Президента Токаева в РФ был назван")
    assert qa[0].text.startswith("Казахстан сегодня")
    assert qa[2].text.count("\n\n") == 2  # three paragraphs in the energy answer


def test_quotes_never_from_questions(article):
    for p in article.passages:
        for q in p.quotes:
            assert q.text in p.text
            assert not p.question or q.text not in p.question
    lead_quote = article.passages[0].quotes[0]
    assert lead_quote.text == "рубежным событием в истории двусторонних отношений"
    assert lead_quote.speaker.name == "Касым-Жомарт Токаев"


def test_figures_exactly(article, topics):
    found = []
    for p in article.passages:
        found += [(f.value, f.unit, f.year) for f in draft_passage(p, topics).figures]
    assert sorted(found, key=str) == sorted([
        (Decimal("4"), "млрд долларов", 2024),
        (Decimal("28"), "млрд", None),
        (Decimal("30"), "млрд долларов", None),
        (Decimal("20"), "тыс. компаний", None),
    ], key=str)


def test_figure_labels(article, topics):
    figures = {(f.value, f.unit): f for p in article.passages for f in draft_passage(p, topics).figures}
    assert figures[(Decimal("4"), "млрд долларов")].label == "капиталовложения"
    assert figures[(Decimal("30"), "млрд долларов")].label == "товарооборот"
    assert figures[(Decimal("20"), "тыс. компаний")].label == "компании с российским участием"


def test_drafts(article, topics):
    expected = ["overview", "overview", "integration", "economy", "energy", "digital", "sovereignty", "logistics"]
    drafts = [draft_passage(p, topics) for p in article.passages]
    assert [d.topics[0] for d in drafts] == expected
    assert "logistics" in drafts[-1].topics  # «Север–Юг»
    for d in drafts:
        assert d.title and len(d.title) <= 120 and not d.title.endswith("?")
        assert d.summary and len(d.summary) <= 1200
