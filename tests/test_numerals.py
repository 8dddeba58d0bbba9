"""Numbers read as a person reads them (bot/domain/numerals.py) and the rule "which number"
(bot/domain/faithfulness.py): unit tests and property tests over digits and words, scales,
units, ranges, multipliers and years. The texts are written for these tests."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from num2words import num2words

from bot.domain.faithfulness import figure_evidence, note_link, note_problems, number_problems
from bot.domain.numerals import measure, read_numbers

RU_CASES = ["nominative", "genitive", "dative", "accusative", "instrumental", "prepositional"]
SCALE_WORDS = {3: ["тыс.", "тысяч", "тысячи", "thousand"], 6: ["млн", "миллионов", "million"],
               9: ["млрд", "миллиардов", "миллиарда", "billion", "bn"], 12: ["трлн", "триллионов", "trillion"]}


def only(text: str):
    found = [n for n in read_numbers(text) if not n.name]
    assert len(found) == 1, (text, found)
    return found[0]


@pytest.mark.parametrize("text, value, scale, unit", [
    ("достигнет 28 млрд долларов", 28, 9, "USD"),
    ("составил $13 млрд", 13, 9, "USD"),
    ("almost $19 B in trade", 19, 9, "USD"),
    ("The 1,511-kilometre pipeline", 1511, 0, "km"),
    ("в 6 336 километров", 6336, 0, "km"),
    ("мощностью по 1 100 МВт", 1100, 0, "MW"),
    ("до 4,6 млрд куб. м", Decimal("4.6"), 9, "m3"),
    ("выросла на 15 п.п.", 15, 0, "p.p."),
    ("rose by 62%", 62, 0, "%"),
    ("by 70 percent", 70, 0, "%"),
    ("5 млрд долл. США", 5, 9, "USD"),
    ("девятисот миллиардов долларов", 900, 9, "USD"),
    ("двадцати тысяч компаний", 20, 3, None),
    ("полтора миллиона тонн", Decimal("1.5"), 6, "t"),
    ("один миллиард человек", 1, 9, None),
    ("nine hundred billion dollars", 900, 9, "USD"),
    ("в 7,4 млрд тенге", Decimal("7.4"), 9, "KZT"),
])
def test_a_number_is_read_with_its_scale_and_unit(text, value, scale, unit):
    number = only(text)
    assert (number.value, number.scale, number.unit) == (Decimal(value), scale, unit)


@pytest.mark.parametrize("text, value, upper", [
    ("экспорт 8-9 миллионов тонн", 8, 9), ("14–15 млрд", 14, 15), ("decreased by 50–55%", 50, 55),
    ("от 8 до 10 элеваторов", 8, 10),
])
def test_a_range_is_read_as_a_range(text, value, upper):
    number = only(text)
    assert (number.value, number.value_to) == (value, upper)


@pytest.mark.parametrize("text, value", [
    ("вырос вдвое", 2), ("втрое больше", 3), ("в 3,5 раза", Decimal("3.5")), ("3.5 times", Decimal("3.5")),
    ("twice as much", 2), ("в два раза", 2),
])
def test_a_multiplier_is_read_as_one(text, value):
    number = only(text)
    assert number.times and number.value == value


@pytest.mark.parametrize("text, bound", [
    ("более 80% экспорта", "more"), ("около 13 млрд", "about"), ("почти 90%", "about"),
    ("more than 80 percent", "more"), ("до 1,5 млн тонн", "up_to"),
])
def test_a_bound_is_kept(text, bound):
    assert only(text).bound == bound


@pytest.mark.parametrize("text", ["Су-35", "ВВЭР-1200", "сеть 5G", "участок №5", "the 79th session", "в 12:50",
                                  "12.11.2025", "AIF2025", "5-й раунд", "11-х классов",
                                  "40-футовых контейнеров", "седьмой раунд", "на 3-м этаже"])
def test_names_dates_times_and_ordinals_are_no_figures(text):
    assert all(n.name or n.year for n in read_numbers(text)), read_numbers(text)


@pytest.mark.parametrize("text, value", [("страна на 12-м месте по запасам", 12), ("заняла 12-е место", 12),
                                         ("на седьмом месте по добыче", 7), ("в третьей десятке, на двадцатом месте", 20),
                                         ("ranked in 7th place", 7), ("путь 12-дневного рейса", 12),
                                         ("3-месячный срок", 3)])
def test_a_rank_and_a_duration_in_one_word_are_numbers_held_to_their_source(text, value):
    [number] = [n for n in read_numbers(text) if not n.name]
    assert number.value == value
    assert number_problems(f"{value} место", text) == []
    assert number_problems(f"{value + 1} место", text) != []  # another place is refused


@pytest.mark.parametrize("text", ["в 2024 году", "in 2024", "2025-2026 годы", "к 2030 г."])
def test_a_year_used_as_a_date_is_a_year(text):
    assert read_numbers(text)[0].year


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=999_999_999_999), st.sampled_from(RU_CASES))
def test_a_russian_number_in_words_reads_back(n, case):
    words = num2words(n, lang="ru", case=case)
    [number] = [x for x in read_numbers(f"Всего {words} тонн.") if x.words]
    assert number.magnitude == n, words


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=999_999_999_999))
def test_an_english_number_in_words_reads_back(n):
    words = num2words(n, lang="en")
    [number] = [x for x in read_numbers(f"In all {words} tonnes.") if x.words]
    assert number.magnitude == n, words


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=999), st.sampled_from(sorted(SCALE_WORDS)), st.data())
def test_digits_with_a_scale_word_read_as_that_scale(n, power, data):
    word = data.draw(st.sampled_from(SCALE_WORDS[power]))
    number = only(f"объём {n} {word} за период")
    assert (number.value, number.scale) == (n, power)


# --- the rule ---------------------------------------------------------------------------------

PASSAGE = ("Оборот с соседями достиг 28 млрд, а вложения в 2023 году выросли до $6 млрд. "
           "Доля расчётов в рублях — 15%, за год она прибавила 4 п.п. Поставки — 4,6 млрд куб. м в год. "
           "Урожай составит 14–15 млн тонн. Выпуск вырос в 3 раза.")


@pytest.mark.parametrize("written, kind", [
    ("Оборот — 28 млрд долларов", "currency"),
    ("Оборот — 28 млн", "scale"),
    ("Доля выросла на 4%", "unit"),
    ("Доля — 15 п.п.", "unit"),
    ("Вложения $6 млрд в 2022 году", "year_missing"),
    ("Поставки 4,6 млрд куб. м в месяц", "period"),
    ("Урожай — 14 млн тонн", "range"),
    ("Выпуск вырос вдвое", "missing"),
    ("Оборот вырос в 28 раз", "times"),
    ("Оборот — девятьсот миллиардов долларов", "missing"),
])
def test_a_number_not_stated_as_written_is_refused_naming_the_problem(written, kind):
    problems = number_problems(written, PASSAGE)
    assert [p.kind for p in problems][:1] == [kind], problems
    assert problems[0].message("ru") and problems[0].message("en")


@pytest.mark.parametrize("written", [
    "Оборот — 28 млрд", "Вложения выросли до шести миллиардов долларов в 2023 году", "in 2023 investment rose to $6 bn",
    "Доля — 15 процентов, плюс 4 п.п.", "Урожай — 14–15 млн тонн", "Выпуск вырос втрое", "Поставки 4,6 млрд кубометров в год",
    "Оборот двух стран и трёх соседей", "Оборот 28 billion",
])
def test_a_number_stated_as_written_passes(written):
    assert number_problems(written, PASSAGE) == []


def test_a_year_beside_a_number_must_be_that_numbers_year():
    [problem] = number_problems("Оборот достиг 28 млрд в 2023 году", PASSAGE)
    assert problem.kind == "year_other" and "$6 млрд" in problem.found


def test_a_number_elsewhere_in_the_source_is_refused_with_where_it_stands():
    source = "Первый абзац: цель — 30 млрд.\n\nВторой абзац: строят станцию."
    [problem] = number_problems("Станция за 30 млрд", "Второй абзац: строят станцию.", source)
    assert problem.kind == "elsewhere" and "цель — 30 млрд" in problem.found


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=999), st.sampled_from(["долларов", "рублей", "тенге", "евро"]),
       st.sampled_from(sorted(SCALE_WORDS)))
def test_a_currency_the_source_does_not_state_is_refused(n, currency, power):
    scale = SCALE_WORDS[power][0]
    passage = f"Показатель достиг {n} {scale} по итогам года."
    assert number_problems(f"{n} {scale}", passage) == []
    [problem] = number_problems(f"{n} {scale} {currency}", passage)
    assert problem.kind == "currency" and problem.found == f"{n} {scale}"
    assert number_problems(f"{n} {scale} {currency}", f"Показатель достиг {n} {scale} {currency}.") == []


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=999), st.sampled_from([3, 6, 9, 12]), st.sampled_from([3, 6, 9, 12]))
def test_a_scale_must_be_the_sources(n, stated, written):
    passage = f"Расходы составили {n} {SCALE_WORDS[stated][0]} тенге."
    problems = number_problems(f"расходы {n} {SCALE_WORDS[written][1]} тенге", passage)
    assert (problems == []) == (stated == written)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=11, max_value=999_999), st.integers(min_value=11, max_value=999_999))
def test_a_number_in_words_is_checked_like_digits(stated, written):
    passage = f"Работают {stated} компаний."
    problems = number_problems(f"работают {num2words(written, lang='ru')} компаний", passage)
    assert (problems == []) == (stated == written)


def test_a_figure_gets_the_sentence_that_states_it_as_evidence():
    evidence, problem = figure_evidence("6 млрд долларов", PASSAGE)
    assert problem is None and evidence.startswith("Оборот с соседями")
    evidence, problem = figure_evidence("28 млрд долларов", PASSAGE)
    assert evidence is None and problem.message("ru") == "28 млрд долларов: в источнике «28 млрд» без валюты"


def test_an_editors_note_states_numbers_only_with_its_link():
    assert [p.kind for p in note_problems("Стоимость — 4 млрд долларов", None)] == ["note"]
    assert note_problems("Стоимость — четыре миллиарда", "https://example.org/a") == []
    assert note_problems("Две страны обсудили станцию", None) == []  # a counting word, no figure
    link, text = note_link("Стройка | Обойдётся в 4 млрд долларов https://example.org/news/1.")
    assert link == "https://example.org/news/1" and "https" not in text


@pytest.mark.parametrize(("value", "unit", "family", "magnitude"), [
    ("4", "млрд долларов", "USD", "4E+9"),
    ("4", "billion dollars", "USD", "4E+9"),
    ("500", "млн долларов", "USD", "5E+8"),
    ("28", "млрд", None, "2.8E+10"),  # a bare scale: the source states no currency
    ("28", "billion", None, "2.8E+10"),
    ("20", "тысяч компаний", "компаний", "2E+4"),
    ("1.5", "млн тонн", "t", "1.5E+6"),
    ("15", "%", "%", "15"),
    ("2", "раза", "times", "2"),
])  # fmt: skip
def test_a_figures_unit_family_and_magnitude(value, unit, family, magnitude) -> None:
    measured = measure(Decimal(value), unit)
    assert measured.family == family and measured.magnitude == Decimal(magnitude)
