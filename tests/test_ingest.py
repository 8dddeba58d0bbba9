"""Turning an uploaded article or interview into draft snippets (bot/services/ingest/).

The seed interview is the reference: its passages must land on the topics a person gives
them, and its figures must be exactly the ones in the text, none invented. The expectations
below were written by reading seeds/sources/borisov-2025-11-12.txt, not by running the code.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from bot.domain.catalogue import Catalogue, load_catalogue
from bot.services.ingest import (
    Article,
    drafts_from_article,
    extract_figures,
    parse_article,
    tag_topics,
)
from bot.domain.models import collapse_whitespace
from bot.domain.seeds import load_seeds, validate_source

ROOT = Path(__file__).resolve().parent.parent
SEED_TEXT = (ROOT / "seeds" / "sources" / "borisov-2025-11-12.txt").read_text(encoding="utf-8")
CURATED = yaml.safe_load((ROOT / "seeds" / "borisov-2025-11-12.yaml").read_text(encoding="utf-8"))

# Each passage of the interview (the lead, then question by question) and the topics a
# reader would file it under; where a passage is genuinely about two things, either is right.
EXPECTED_TOPICS = [
    ("Государственный визит", {"overview"}),  # the lead: the visit, the Declaration
    ("Визит Президента Токаева в РФ был назван", {"integration"}),  # post-Soviet cooperation, CIS+
    ("Визит включал XXI Форум", {"economy"}),  # trade, investment, the Uralsk forum
    ("По итогам визита подтверждено", {"energy"}),  # the NPP, Rosatom, the energy ring
    ("Казахстан под руководством Токаева стремится", {"digital"}),  # AI, data, data centres
    ("В информационном пространстве", {"sovereignty"}),  # sovereignty or dependence
    # the bridge and the corridors; its last paragraph is about mediation (sovereignty)
    ("Как визит Токаева может повлиять", {"logistics", "sovereignty"}),
]
QUESTIONS_IN_TEXT = 6  # paragraphs that open with "–" and end with "?"

# Every figure in the interview, read off the text: $4 bn of Russian investment in 2024 (in a
# question), trade of 28 bn (no currency given), the $30 bn trade target (asked and repeated
# in the answer), 20 thousand companies with Russian participation. "XXI Форум", "2024" and the
# date line are not figures.
EXPECTED_FIGURES = {
    (Decimal(4), "млрд долларов"),
    (Decimal(28), "млрд"),
    (Decimal(30), "млрд долларов"),
    (Decimal(20), "тыс. компаний"),
}


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(ROOT / "config" / "topics.yaml")


@pytest.fixture(scope="module")
def seed() -> Article:
    return parse_article(SEED_TEXT, "borisov-2025-11-12.txt")


def flat(text: str) -> str:
    return collapse_whitespace(text)


def values_and_units(text: str) -> set[tuple[Decimal, str]]:
    return {(figure.value, figure.unit) for figure in extract_figures(text)}


def assert_loads(document: dict, text: str, catalogue: Catalogue, tmp_path: Path) -> None:
    """The document passes the seed loader, both in memory and as files in a seeds folder."""
    validate_source(document, "draft.yaml", catalogue, text)
    seeds = tmp_path / "seeds"
    (seeds / "sources").mkdir(parents=True)
    (seeds / document["source"]["text"]).write_text(text, encoding="utf-8")
    dumped = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    (seeds / f"{document['source']['id']}.yaml").write_text(dumped, encoding="utf-8")
    [loaded] = load_seeds(seeds, catalogue)
    assert len(loaded.content.snippets) == len(document["snippets"])


# --- the seed interview ------------------------------------------------------------------


def test_seed_metadata(seed: Article) -> None:
    assert seed.kind == "interview"
    assert seed.language == "ru"
    assert seed.date == dt.date(2025, 11, 12)  # the file opens with "date 2025-11-12"
    assert seed.title is None  # the file has no title line: its first line is the lead
    assert seed.author is not None
    assert seed.author.name == "Денис Алексеевич Борисов"
    assert seed.author.role == "известный российский политолог и эксперт по евразийской интеграции"
    assert seed.interviewer is None


def test_seed_passages_are_the_lead_and_each_question_with_its_answer(seed: Article) -> None:
    questions = [p for p in seed.passages if p.question]
    assert len(questions) == QUESTIONS_IN_TEXT
    assert len(re.findall(r"^–[^\n]*\?$", SEED_TEXT, re.MULTILINE)) == QUESTIONS_IN_TEXT
    assert seed.passages[0].question is None  # the lead
    assert seed.passages[0].paragraphs[0].startswith("Государственный визит")  # "date …" cut off
    for passage in questions:
        assert passage.question.startswith("–") and passage.question.endswith("?")
        assert passage.paragraphs and passage.paragraphs[0].startswith("–")  # the answer
    # Multi-paragraph answers stay whole: the energy answer has three paragraphs.
    assert len(seed.passages[3].paragraphs) == 3
    for passage in seed.passages:
        for part in (passage.question, *passage.paragraphs):
            if part:
                assert part in seed.text


def test_seed_passages_land_on_the_right_topics(seed: Article, catalogue: Catalogue) -> None:
    assert len(seed.passages) == len(EXPECTED_TOPICS)
    for passage, (opening, expected) in zip(seed.passages, EXPECTED_TOPICS, strict=True):
        assert opening in (passage.question or passage.paragraphs[0])
        topics = tag_topics(passage, catalogue)
        assert topics[0] in expected, (opening, topics)


def test_seed_figures_are_exactly_the_ones_in_the_text(seed: Article) -> None:
    found = extract_figures(seed.text)
    assert {(f.value, f.unit) for f in found} == EXPECTED_FIGURES
    by_value = {f.value: f for f in found}
    assert by_value[Decimal(4)].year == 2024  # "нарастив в 2024 году … $4 млрд"
    assert all(f.year is None for f in found if f.value != 4)
    # The raw upload gives the same figures as the normalised text.
    assert values_and_units(SEED_TEXT) == EXPECTED_FIGURES


def test_seed_evidence_is_verbatim_and_contains_the_number(seed: Article) -> None:
    for figure in extract_figures(seed.text):
        assert figure.evidence in seed.text
        assert flat(figure.evidence) in flat(SEED_TEXT)
        assert re.search(rf"(?<![\d,.]){re.escape(figure.number)}(?!\d)", figure.evidence)
        assert Decimal(figure.number.replace(",", ".").replace(" ", "")) == figure.value
        assert len(figure.evidence) <= 400
        assert "…" in figure.label  # the number's place in the words around it
        assert not re.search(rf"(?<!\d){re.escape(figure.number)}(?!\d)", figure.label)


def test_seed_figures_match_the_curated_file(seed: Article) -> None:
    curated = {
        Decimal(str(f["value"])) for s in CURATED["snippets"] for f in s.get("figures") or []
    }
    assert {f.value for f in extract_figures(seed.text)} == curated


def test_seed_drafts_pass_the_loader(seed: Article, catalogue: Catalogue, tmp_path: Path) -> None:
    document = drafts_from_article(seed, catalogue)
    assert_loads(document, seed.text, catalogue, tmp_path)
    source = document["source"]
    assert source["id"] == "borisov-2025-11-12"
    assert source["date"] == "2025-11-12"
    assert source["kind"] == "interview"
    assert source["author"]["name"] == "Денис Алексеевич Борисов"
    assert source["title"].startswith("Государственный визит Президента")
    assert len(source["title"]) <= 200


def test_seed_drafts_cover_the_curated_topics_and_figures(seed: Article, catalogue: Catalogue) -> None:
    document = drafts_from_article(seed, catalogue)
    snippets = document["snippets"]
    assert len(snippets) == len(seed.passages)
    ids = [s["id"] for s in snippets]
    assert len(set(ids)) == len(ids) and all(re.fullmatch(r"[a-z][a-z0-9-]*-\d+", i) for i in ids)
    assert {s["topic"] for s in snippets} == {s["topic"] for s in CURATED["snippets"]}
    [economy] = [s for s in snippets if s["topic"] == "economy"]
    assert {(Decimal(str(f["value"])), f["unit"]) for f in economy["figures"]} == EXPECTED_FIGURES
    assert sum(len(s["figures"]) for s in snippets) == 4  # the repeated $30 bn appears once
    for snippet in snippets:
        assert len(snippet["title"]) <= 120
        assert len(snippet["summary"]) <= 1200
        for quote in snippet["quotes"]:
            assert flat(quote["text"]) in flat(seed.text) and len(quote["text"]) <= 200
    # The lead is the journalist's text: no quote is put in the interviewee's mouth from it.
    assert snippets[0]["quotes"] == []
    # Figures from the interviewer's question say so.
    four = next(f for f in economy["figures"] if f["value"] == 4)
    assert four["year"] == 2024 and "вопроса" in four["label"]


# --- small articles ----------------------------------------------------------------------

MARKDOWN_ARTICLE = """# Энергетический союз: что изменится

Автор: Иван Петров, экономист
Дата: 3 декабря 2025

Россия и Казахстан договорились о строительстве **АЭС** на Балхаше. Подробнее — \
[на сайте](https://example.com/aes).

## Газ

Поставки газа вырастут на *15%*, а транзит — на 2 млрд кубометров.

## Торговля

Товарооборот достиг 28 млрд долларов.
"""


def test_markdown_article(catalogue: Catalogue, tmp_path: Path) -> None:
    article = parse_article(MARKDOWN_ARTICLE, "energy-union.md")
    assert article.kind == "article"
    assert article.title == "Энергетический союз: что изменится"
    assert article.date == dt.date(2025, 12, 3)
    assert article.author is not None
    assert (article.author.name, article.author.role) == ("Иван Петров", "экономист")
    for markup in ("#", "**", "*15", "](", "https://"):
        assert markup not in article.text
    assert "строительстве АЭС на Балхаше. Подробнее — на сайте." in article.text
    assert [p.heading for p in article.passages] == [None, "Газ", "Торговля"]
    assert [tag_topics(p, catalogue)[0] for p in article.passages] == ["energy", "energy", "economy"]
    figures = extract_figures(article.text)
    assert {(f.value, f.unit) for f in figures} == {
        (Decimal(15), "%"),
        (Decimal(2), "млрд кубометров"),
        (Decimal(28), "млрд долларов"),
    }
    assert all(f.evidence in article.text for f in figures)
    document = drafts_from_article(article, catalogue)
    assert document["source"]["id"] == "energy-union"
    assert [s["title"] for s in document["snippets"]][1:] == ["Газ", "Торговля"]
    assert_loads(document, article.text, catalogue, tmp_path)


def test_english_article(catalogue: Catalogue, tmp_path: Path) -> None:
    text = (
        "Kazakhstan and Russia: a new chapter\n\nBy John Smith\n\nNovember 12, 2025\n\n"
        "The two presidents signed a declaration. Trade reached $4.5 billion in 2024, up 12%.\n\n"
        "Energy cooperation includes a nuclear power plant on Lake Balkhash.\n"
    )
    article = parse_article(text)
    assert (article.language, article.kind) == ("en", "article")
    assert article.title == "Kazakhstan and Russia: a new chapter"
    assert article.date == dt.date(2025, 11, 12)
    assert article.author is not None and article.author.name == "John Smith"
    figures = extract_figures(article.text)
    assert {(f.value, f.unit, f.year) for f in figures} == {
        (Decimal("4.5"), "billion dollars", 2024),
        (Decimal(12), "%", None),
    }
    assert_loads(drafts_from_article(article, catalogue), article.text, catalogue, tmp_path)


def test_text_without_figures() -> None:
    text = "Стороны обсудили сотрудничество в энергетике и логистике. Решения будут приняты позже."
    assert extract_figures(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Визит включал XXI Форум межрегионального сотрудничества в Уральске.",
        "Соглашение подписано в 2024 году.",
        "Встреча прошла 12 ноября 2025 года, а следующая — 12.11.2026.",
        "date 2025-11-12",
        "Это 21-й саммит за 5 лет; рост в 2 раза.",
        "Договор продлён до 2030 г.",
    ],
)
def test_years_dates_and_ordinals_are_not_figures(text: str) -> None:
    assert extract_figures(text) == []


def test_money_in_roubles_and_tenge() -> None:
    text = (
        "Инвестиции составили 4,5 млрд долларов, или 150 млрд рублей. "
        "Бюджет проекта — 2 трлн тенге, ещё 500 млн ₽ выделено отдельно, а ₸300 млн — из фонда."
    )
    assert values_and_units(text) == {
        (Decimal("4.5"), "млрд долларов"),
        (Decimal(150), "млрд рублей"),
        (Decimal(2), "трлн тенге"),
        (Decimal(500), "млн рублей"),
        (Decimal(300), "млн тенге"),
    }


def test_percentages_in_signs_and_words() -> None:
    text = "Рост составил 5% в 2023 году, а инфляция — 7,5 процента."
    figures = extract_figures(text)
    assert [(f.value, f.unit, f.year) for f in figures] == [
        (Decimal(5), "%", 2023),  # the year is in the figure's own clause
        (Decimal("7.5"), "%", None),  # not in this one: no year is guessed
    ]


@pytest.mark.parametrize("space", [" ", "\u00a0", "\u202f"])
def test_grouped_thousands(space: str) -> None:
    text = f"Здесь работают 1{space}200 компаний с российским участием."
    [figure] = extract_figures(text)
    assert (figure.value, figure.unit, figure.number) == (Decimal(1200), "компаний", f"1{space}200")
    assert figure.evidence in text


def test_english_thousands_separator_and_decimal_point() -> None:
    text = "There are 20,000 companies and 1,250.5 million dollars of investment."
    assert [(f.value, f.unit, f.number) for f in extract_figures(text)] == [
        (Decimal(20000), "companies", "20,000"),
        (Decimal("1250.5"), "million dollars", "1,250.5"),
    ]


def test_long_sentence_gives_a_short_verbatim_evidence() -> None:
    text = (
        "По данным министерства, несмотря на сложную ситуацию на мировых рынках, высокую "
        "волатильность цен на сырьё и ограничения логистики, товарооборот между странами вырос "
        "до 28,5 млрд долларов, что стало рекордом за всю историю наблюдений, а число совместных "
        "предприятий превысило 5 тысяч, при этом эксперты ожидают дальнейшего роста."
    )
    figures = extract_figures(text)
    assert [(f.value, f.unit) for f in figures] == [(Decimal("28.5"), "млрд долларов"), (Decimal(5), "тыс.")]
    for figure in figures:
        assert figure.evidence in text and figure.number in figure.evidence
        assert len(figure.evidence) <= 220 < len(text)
    assert figures[0].label == "Товарооборот между странами вырос до …"


def test_grouped_thousands_reach_the_drafts(catalogue: Catalogue, tmp_path: Path) -> None:
    """"1 200" in the text is the figure 1200, and the loader reads it so too."""
    article = parse_article("Новости\n\nВ Казахстане работают 1\u00a0200 компаний и ещё 20 тысяч предприятий.")
    assert {(f.value, f.unit) for f in extract_figures(article.text)} == {
        (Decimal(1200), "компаний"),
        (Decimal(20), "тыс. предприятий"),
    }
    document = drafts_from_article(article, catalogue, "companies", fallback_date=dt.date(2025, 1, 1))
    assert_loads(document, article.text, catalogue, tmp_path)
    [snippet] = document["snippets"]
    assert {(1200, "компаний"), (20, "тыс. предприятий")} <= {(f["value"], f["unit"]) for f in snippet["figures"]}


def test_counts_need_a_counted_noun() -> None:
    text = "Цель в 30 млрд должны достичь к 2030 году. Подписано 20 соглашений и 3 меморандума."
    assert values_and_units(text) == {
        (Decimal(30), "млрд"),
        (Decimal(20), "соглашений"),
        (Decimal(3), "меморандума"),
    }


# --- interview conventions -----------------------------------------------------------------


def test_markdown_interview_with_bold_questions(catalogue: Catalogue, tmp_path: Path) -> None:
    text = (
        "**Интервью: цифровой суверенитет**\n\nБеседовала Анна Смирнова\n\n"
        "**— Как вы оцениваете цифровизацию?**\n\n— Она идёт быстро. Дата-центры растут.\n\n"
        "Облачные платформы тоже.\n\n"
        "**— А искусственный интеллект?**\n\n— ИИ внедряют 300 компаний.\n"
    )
    article = parse_article(text)
    assert article.kind == "interview"
    assert article.title == "Интервью: цифровой суверенитет"
    assert article.interviewer == "Анна Смирнова"
    assert article.author is None  # the interviewer is not the author; nobody else is named
    assert [(p.question, len(p.paragraphs)) for p in article.passages] == [
        ("— Как вы оцениваете цифровизацию?", 2),
        ("— А искусственный интеллект?", 1),
    ]
    document = drafts_from_article(article, catalogue, "digital-talk", fallback_date=dt.date(2025, 1, 1))
    assert document["source"]["author"]["name"] == "Автор не указан"
    assert document["snippets"][0]["title"] == "Как вы оцениваете цифровизацию?"
    assert_loads(document, article.text, catalogue, tmp_path)


def test_interview_with_speaker_labels() -> None:
    text = (
        "Корреспондент: Как идёт торговля?\n\nБорисов: Хорошо, товарооборот растёт.\n\n"
        "Корреспондент: А инвестиции?\n\nБорисов: Россия вложила $4 млрд.\n"
    )
    article = parse_article(text)
    assert article.kind == "interview"
    assert [p.question for p in article.passages] == [
        "Корреспондент: Как идёт торговля?",
        "Корреспондент: А инвестиции?",
    ]


def test_interviewee_named_in_the_title() -> None:
    text = (
        "Иван Иванов: «Евразия — это шанс»\n\nКак вы оцениваете форум?\n\nФорум прошёл успешно.\n\n"
        "Что с логистикой?\n\nМаршруты расширяются.\n\nКакие риски?\n\nРиски есть, но управляемые.\n"
    )
    article = parse_article(text)
    assert article.kind == "interview"
    assert article.author is not None and article.author.name == "Иван Иванов"
    assert len([p for p in article.passages if p.question]) == 3


def test_an_article_with_a_rhetorical_question_is_not_an_interview() -> None:
    text = "Почему это важно? Потому что торговля растёт.\n\nВторой абзац.\n\nКто выиграет?\n\nВсе."
    article = parse_article(text)
    assert article.kind == "article"
    assert article.author is None and article.date is None and article.title is None


# --- topics -------------------------------------------------------------------------------


def test_passage_without_keywords_gets_the_general_topic(catalogue: Catalogue) -> None:
    assert tag_topics("Просто текст без ключевых слов.", catalogue) == ["overview"]
    without_general = Catalogue(tuple(t for t in catalogue if t.slug != "overview"))
    assert tag_topics("Просто текст без ключевых слов.", without_general) == []
    assert tag_topics("Газопровод и АЭС", catalogue)[0] == "energy"


def test_line_endings_and_empty_text() -> None:
    article = parse_article("Заголовок\r\n\r\nПервый абзац.\r\nВторая строка.\r\n")
    assert "\r" not in article.text
    assert article.title == "Заголовок"
    assert article.passages[0].paragraphs == ("Первый абзац.\nВторая строка.",)
    with pytest.raises(Exception, match="empty"):
        parse_article(" \n\n \n")
