"""Web pages pasted whole: their furniture (tickers, switches, skip links, widgets, captions,
credits), the headline among the lines at the top, datelines and stamps, and the topic of an
article as a whole. Every text here was written for these tests, shaped like real news pages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.ingest.reading import clean, dates, structure
from bot.services.ingest.reading import topics as topic_routing

RULES = yaml.safe_load(clean.RULES_FILE.read_text(encoding="utf-8"))


def passages_text(layout) -> str:
    return "\n".join(p.text for p in layout.paras)


# --- the data rules: each example in rules/chrome.yaml is what its rule removes ----------------


@pytest.mark.parametrize("rule", RULES["lines"], ids=lambda r: r["name"])
def test_every_line_rule_removes_its_example(rule):
    assert clean.chrome(rule["example"]) is not None, rule["example"]


def test_every_rule_has_a_comment_and_an_example():
    text = clean.RULES_FILE.read_text(encoding="utf-8")
    for rule in RULES["lines"]:
        assert rule["example"].strip()
        at = text.index(f"name: {rule['name']}")
        assert "#" in text[at : text.index("example:", at)], rule["name"]  # a comment before the example
    for section in ("currencies", "trailing", "glued_credits", "credits"):
        assert RULES[section]["example"].strip()


def test_the_section_examples_are_removed():
    assert clean.ticker_line(RULES["currencies"]["example"])
    kept, cut = clean.cut_trailing("Министр прибыл в столицу. " + RULES["trailing"]["example"])
    assert kept == "Министр прибыл в столицу." and cut == RULES["trailing"]["example"]
    kept, cut = clean.cut_glued_credit("Работы завершены. " + RULES["glued_credits"]["example"] + " Движение открыто.")
    assert kept == "Работы завершены. Движение открыто."
    kept, cut, names = clean.cut_glued_credit("x"), None, []
    kept, cut, names = clean.credit_parenthesis("Поставки выросли. " + RULES["credits"]["example"])
    assert kept == "Поставки выросли." and names == ["Иван Петров", "Анны Сидоровой"]


@pytest.mark.parametrize("line", [
    "USD 512.30", "• eur -1.20%", "RUB/KZT = 6.41 +0.3%", "Войти", "Перейти к основному контенту",
    "ҚАЗ | РУС | ENG", "Қазақ тіліне аудару", "top of page", "Search", "kapital.kz", "Обозреватель.KZ",
    "№12", "— Министерство (@minfin_kz) 3 марта 2026 г.", "Игорь Лебедев Опубликовано сегодня в 09:12",
    "Участники дискуссии:", "DMCA", "Новости партнеров", "Читайте Вестник.kz в",
    "Аким Петров Россия Алматы транспорт Аким Петров Россия Алматы",
    "Мост через Иртыш после ремонта (Фото: Иван Петров / пресс-служба)",
])
def test_page_furniture_is_chrome(line):
    assert clean.chrome(line) is not None


@pytest.mark.parametrize("line", [
    "Курс тенге к доллару вырос на 2% за неделю.", "Казахстан и Россия", "Газпром",
    "Власти обсудили транспорт и энергетику", "В Казахстане начали строить мост",
    "Россия поставит в Казахстан 5 млрд кубометров газа",
])
def test_article_lines_are_not_chrome(line):
    assert clean.chrome(line) is None


# --- the headline among the lines at the top ----------------------------------------------------

PORTAL = """Перейти к основному контенту
Войти
USD 512.30
EUR 561.10
RUB 6.41
Регионы

Новый мост через Иртыш открыли в Павлодаре

Павлодар, 3 марта /Корр. Вестника/. Новый мост через Иртыш открыли для движения в Павлодаре, сообщили в акимате области. По мосту пойдут грузовики и автобусы, а старая переправа закроется на ремонт. Подробнее — в материале Вестника
Мост через Иртыш после ремонта
Мост через Иртыш после ремонта (Фото: Иван Петров / пресс-служба)
Строительство моста длилось три года, его длина 1200 метров. Аким области поблагодарил строителей.
DMCA
"""


def test_a_portal_page_gives_its_headline_and_none_of_its_furniture():
    layout = structure.layout(PORTAL)
    assert layout.title == "Новый мост через Иртыш открыли в Павлодаре"
    text = passages_text(layout)
    for chrome in ("Войти", "USD", "Регионы", "Подробнее", "Фото:", "DMCA", "Перейти"):
        assert chrome not in text, chrome
    assert "Мост через Иртыш после ремонта" not in text  # the caption, with and without its credit
    assert text.startswith("Новый мост через Иртыш открыли для движения")  # the dateline is off
    assert layout.date and layout.date.date is None  # "3 марта": no year, and no full date agrees with it
    assert layout.date.words == "3 марта"


def test_a_rubric_a_site_name_and_a_byline_above_the_headline_are_not_the_headline():
    page = """ЭКОНОМИКА
12.02.2026
Игорь Лебедев
Обозреватель.KZ
Тенге после решения Нацбанка
итоги
Участники дискуссии:
Тенге за неделю укрепился к доллару, хотя Нацбанк сохранил ставку. Участники рынка ждут решения о ставке в апреле, а тенге пока держится у прежнего уровня.
"""
    layout = structure.layout(page)
    assert layout.title == "Тенге после решения Нацбанка"
    assert layout.date and layout.date.date == dt.date(2026, 2, 12)
    assert layout.columnist == "Игорь Лебедев"
    assert all(p.text != "итоги" for p in layout.paras)  # the tag under the headline
    assert "Участники дискуссии" not in passages_text(layout)


def test_a_headline_printed_twice_and_as_the_page_title_is_kept_once():
    page = """  • main
  • Astana and Tashkent sign a water agreement
12 March, 2026 10:15
Astana and Tashkent sign a water agreement
The two governments signed an agreement on sharing the Syr Darya's water, the ministry said.
Astana and Tashkent sign a water agreement | Steppe.kz
The agreement sets quotas for the summer months and a joint commission.
"""
    layout = structure.layout(page)
    assert layout.title == "Astana and Tashkent sign a water agreement"
    assert layout.date and layout.date.date == dt.date(2026, 3, 12)
    assert "Steppe.kz" not in passages_text(layout) and "main" not in passages_text(layout)


def test_a_repeated_rubric_and_a_byline_glued_to_a_relative_stamp():
    page = """Энергетика
Энергетика
Игорь Лебедев Опубликовано сегодня в 09:12

Первую солнечную станцию в Туркестанской области подключили к сети

Станция мощностью 50 МВт заработала под Шымкентом. Её построили за полтора года.
"""
    layout = structure.layout(page)
    assert layout.title == "Первую солнечную станцию в Туркестанской области подключили к сети"
    assert layout.date is None  # "сегодня" is no date
    assert ("автор", "Игорь Лебедев") in layout.bylines


def test_a_headline_run_on_into_its_credit_loses_the_verb():
    page = "Новый терминал откроют в Актау летом, сообщает\n\nKaspiy.kz. Терминал примет первые суда в июне. Его мощность 5 млн тонн в год.\n"
    assert structure.layout(page).title == "Новый терминал откроют в Актау летом"


def test_two_sentences_at_the_top_are_text_not_a_headline():
    page = "Ставка не изменилась. Рынок ждал снижения 📈\n\nРегулятор оставил ставку на прежнем уровне.\n"
    assert structure.layout(page).title is None


def test_a_name_and_its_role_under_the_headline_are_the_byline():
    page = """Коридор через Каспий набирает грузы

Игорь Лебедев
обозреватель «Вестника»

Паромы из Актау в Баку идут с полной загрузкой третий месяц подряд.
"""
    layout = structure.layout(page)
    assert layout.columnist == "Игорь Лебедев, обозреватель «Вестника»"
    assert "обозреватель" not in passages_text(layout)


# --- dates -------------------------------------------------------------------------------------


def test_a_date_beside_currency_rates_is_theirs_not_the_articles():
    page = """• KZT/USD = 0.00195 -0.1%
• KGS/USD = 0.01140 0%
20 March 2026
Rail freight to China grows by a fifth
Kazakh and Chinese railways carried more containers in the first quarter, the operator said.
"""
    layout = structure.layout(page)
    assert layout.title == "Rail freight to China grows by a fifth"
    assert layout.date is None


@pytest.mark.parametrize("opening, words, agency", [
    ("5 марта, Бишкек /Корр. Вестника/. Премьер-министры", "5 марта", True),
    ("ALMATY, Mar 5 (Steppe Wire) – The central bank", "Mar 5", True),
    ("АСТАНА, 5 мар (Рейтер) - Казахстан", "5 мар", True),
])
def test_datelines_as_wires_write_them(opening, words, agency):
    found = dates.dateline(opening)
    assert found is not None and found.found is not None
    assert found.found.words == words and found.found.date is None


def test_a_datelines_year_comes_from_a_full_date_of_the_same_day():
    page = """БИШКЕК, 5 мар - Вестник. Главы правительств начали заседание.
#Бишкек, заседание глав правительств https://t.co/abc pic.twitter.com/xyz
— Правительство (@gov_kg) 5 марта 2026 г.
Заседание проходит в резиденции.
"""
    layout = structure.layout(page)
    assert layout.date and layout.date.date == dt.date(2026, 3, 5)
    assert "t.co" not in passages_text(layout) and "@gov_kg" not in passages_text(layout)


def test_a_year_is_not_guessed_from_other_days():
    assert dates.complete_year("5 мар", "Совещание 6 марта 2026 г. и 7 марта 2025 г.") is None


def test_a_date_in_the_lead_is_the_events_and_one_in_the_headline_the_articles(read_text):
    event = read_text("Выборы в Казахстане\n\n19 марта 2023 года прошли выборы в парламент. Явка превысила половину.\n")
    assert event.date is None
    stated = read_text("Интервью министра транспорта, 2 декабря 2025 г.\n\nМинистр рассказал о новых маршрутах.\n")
    assert stated.date == dt.date(2025, 12, 2)


@pytest.fixture(scope="module")
def read_text():
    from bot.services.ingest.reading import read_article

    return read_article


# --- paragraph-level chrome ---------------------------------------------------------------------


def test_a_wires_closing_credit_names_its_authors():
    page = """Урожай зерна в Казахстане превысит прошлогодний

АКТОБЕ, 5 окт (Рейтер) - Регион ждёт урожай выше прошлогоднего, сообщил аким.
Экспорт начнётся в октябре. (Игорь Лебедев, текст Анны Сидоровой)
"""
    layout = structure.layout(page)
    assert ("текст", "Игорь Лебедев") in layout.bylines
    assert "Лебедев" not in passages_text(layout)
    assert passages_text(layout).startswith("Регион ждёт урожай")


def test_an_agency_code_after_the_last_sentence_is_cut():
    kept, cut = clean.cut_agency_tail("The pipeline carries most of the country's oil.– KZ-WIRE")
    assert kept == "The pipeline carries most of the country's oil." and cut == "– KZ-WIRE"
    kept, cut = clean.cut_agency_tail("«Мы готовы», — Иван Петров")
    assert cut is None  # a quote's speaker is no agency


# --- topics -------------------------------------------------------------------------------------


def test_an_article_fits_no_topic_rather_than_a_general_one(topics):
    texts = ["Театральный фестиваль собрал двенадцать трупп из пяти городов. Жюри отметило молодёжный театр."]
    assert topic_routing.article_topics("Фестиваль в Караганде", texts, topics) == ()
    assert topic_routing.passage_topic(texts[0], (), topics) is None


def test_the_headline_names_the_topic(topics):
    texts = ["Компания подписала соглашение, отгрузки начнутся весной."]
    chosen = topic_routing.article_topics("Поставки газа в Узбекистан выросли", texts, topics)
    assert chosen[0] == "energy"


def test_a_passage_keeps_the_articles_topic_unless_plainly_about_another(topics):
    chosen = ("energy", "economy")
    assert topic_routing.passage_topic("Компания подписала соглашение.", chosen, topics) == "energy"
    plainly = "Коридор, маршрут и транспорт: перевозки по коридору выросли, логистика и грузоперевозки тоже."
    assert topic_routing.passage_topic(plainly, chosen, topics) == "logistics"


# --- property: whatever furniture surrounds it, the headline is found and the furniture is gone ----

CHROME_LINES = [rule["example"] for rule in RULES["lines"] if rule["name"] not in ("promotions",)] + [
    "USD 512.30", "EUR 561.10", "Регионы", "№12", "Обозреватель.KZ", "12:40", "👁 1 204",
]
HEADLINES = [
    "Новый мост через Иртыш открыли в Павлодаре",
    "Казахстан и Узбекистан договорились о воде Сырдарьи",
    "Первую солнечную станцию подключили к сети под Шымкентом",
]
BODY = ("В Павлодаре открыли новый мост через Иртыш, а в Шымкенте станцию подключили к сети. "
        "Казахстан и Узбекистан подписали соглашение о воде Сырдарьи и создали комиссию.")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(CHROME_LINES), min_size=1, max_size=6), st.sampled_from(HEADLINES))
def test_the_headline_survives_any_furniture_above_it(furniture, headline):
    page = "\n".join(furniture) + "\n\n" + headline + "\n\n" + BODY + "\n"
    layout = structure.layout(page)
    assert layout.title == headline
    text = passages_text(layout)
    for line in furniture:
        assert line not in text


def test_another_storys_headline_between_paragraphs_is_dropped_a_sections_name_kept():
    page = """ТАШКЕНТ, 5 мар - Вестник. Главы правительств начали заседание в резиденции.
Заседание проходит за закрытыми дверями, итоги объявят вечером.
Министр финансов не расставался с блокнотом на прошлом саммите в Бишкеке
Повестка включает тарифы, транзит и общий рынок электроэнергии.
Почему выбрали Ташкент
Столица принимает встречу впервые за пять лет.
"""
    layout = structure.layout(page)
    text = passages_text(layout)
    assert "блокнотом" not in text and "Министр финансов" in " ".join(layout.removed)
    assert "Почему выбрали Ташкент" in [p.text for p in layout.paras if p.heading]
