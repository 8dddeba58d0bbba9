"""The layout stage alone (no language model): chrome, header, paragraphs, interview forms."""

from __future__ import annotations

import pytest

from bot.services.ingest.reading import clean, dates, structure
from tests.reading.conftest import sample


def qa(layout):
    return [(s.question, s.answer) for s in layout.segments if s.question is not None]


@pytest.mark.parametrize("dash", ["—", "–", "-"])
def test_dash_interview_each_dash(dash):
    text = (
        "Заголовок интервью\n\n"
        "Эксперт ответил на наши вопросы.\n\n"
        f"{dash} Как вы оцениваете ситуацию?\n\n"
        f"{dash} Ситуация стабильная. Рынок растёт.\n\n"
        "Это продолжение ответа.\n\n"
        f"{dash} Что будет дальше?\n\n"
        f"{dash} Дальше будет рост.\n"
    )
    layout = structure.layout(text)
    assert layout.scheme == "dash"
    assert layout.title == "Заголовок интервью"
    pairs = qa(layout)
    assert [q for q, _ in pairs] == ["Как вы оцениваете ситуацию?", "Что будет дальше?"]
    assert pairs[0][1] == ["Ситуация стабильная. Рынок растёт.", "Это продолжение ответа."]
    assert pairs[1][1] == ["Дальше будет рост."]
    assert layout.segments[0].question is None  # the lead


def test_dash_question_without_question_mark():
    layout = structure.layout(sample("dash_hyphen.txt"))
    questions = [q for q, _ in qa(layout)]
    assert "Расскажите о финансировании проекта." in questions
    assert len(questions) == 3


def test_vopros_otvet_lines_without_blank_lines():
    layout = structure.layout(sample("vopros_otvet.txt"))
    assert layout.scheme == "labels"
    pairs = qa(layout)
    assert len(pairs) == 3
    assert pairs[0][0] == "Айгуль, почему цены продолжают расти?"
    assert pairs[0][1][0].startswith("Основная причина")
    assert pairs[0][1][1].startswith("Кроме того")  # unlabelled line continues the answer
    assert "Источник: Kursiv.media" in layout.removed


def test_initials_labels():
    layout = structure.layout(sample("initials.txt"))
    assert layout.scheme == "labels"
    pairs = qa(layout)
    assert len(pairs) == 3
    assert all(not q.startswith("А.К.") for q, _ in pairs)
    assert pairs[0][1][0].startswith("Через степь")
    assert layout.title.startswith("Историк Болат Ахметов")  # "Name: …" headline is no label


def test_korr_and_name_labels_in_markdown_bold():
    layout = structure.layout(sample("korr_labels.md"))
    assert layout.scheme == "labels"
    assert layout.title == "Посол: «Мы открыли 12 новых торговых домов»"
    assert [q for q, _ in qa(layout)][0] == "Господин посол, каковы итоги года?"


def test_bold_questions_and_markdown_subheading():
    layout = structure.layout(sample("bold_questions.md"))
    assert layout.scheme == "bold"
    segments = [s for s in layout.segments if s.question]
    assert [s.question for s in segments] == [
        "Зачем Казахстану собственные дата-центры?",
        "Кто будет пользоваться суверенными облаками?",
        "Хватает ли специалистов?",
    ]
    assert segments[2].heading == "Кадры"
    assert layout.bylines == [("автор", "Ольга Ким")]


def test_chrome_removed_and_kept_as_metadata():
    layout = structure.layout(sample("news_chrome.txt"))
    removed = layout.removed
    for line in ("👁 15 230", "12.11.2025, 14:35", "Фото: Акорда", "Поделиться", "Telegram WhatsApp VK",
                 "Подписывайтесь на наш Telegram-канал", "Теги: Токаев, Путин, визит",
                 "Главная > Новости > Политика"):
        assert line in removed
    assert any(r.startswith("Читайте также") for r in removed)
    assert any(r.startswith("Как передает корреспондент") for r in removed)
    assert layout.attribution
    assert layout.title == "Токаев и Путин подписали декларацию о партнерстве"
    assert layout.date.date.isoformat() == "2025-11-12"
    body = " ".join(p.text for p in layout.paras)
    assert "Поделиться" not in body and "👁" not in body and "Tengrinews" not in body
    assert layout.paras[0].text.startswith("Президенты Казахстана и России")
    assert layout.scheme is None  # a quoted "— …, — сказал Путин" is no interview


def test_dateline_without_year():
    layout = structure.layout(sample("news_dateline.txt"))
    assert layout.dateline.startswith("АСТАНА, 12 ноября.")
    assert layout.date.date is None and layout.date.words == "12 ноября"
    assert layout.paras[0].text.startswith("В Уральске открылся")


def test_dateline_with_year_and_agency():
    layout = structure.layout(sample("news_dateline_year.txt"))
    assert layout.date.date.isoformat() == "2025-06-03" and layout.date_found_as == "dateline"
    assert layout.paras[0].text.startswith("Правительство России одобрило")
    assert "сообщает" not in layout.paras[0].text


def test_subheadings_three_ways():
    layout = structure.layout(sample("article_subheadings.md"))
    headings = [p.text for p in layout.paras if p.heading]
    assert headings == ["Восточная ветка", "Инвестиции в инфраструктуру", "Что дальше"]
    assert layout.signature == "Мария ИВАНОВА"
    bold = structure.layout("Текст первого абзаца, довольно длинного.\n\n**Новый раздел**\n\nТекст второго абзаца, тоже длинного.\n")
    assert [p.text for p in bold.paras if p.heading] == ["Новый раздел"]


def test_title_never_a_counter_or_question():
    layout = structure.layout("👁 1 234\n\nПочему растут цены?\n\nЦены растут из-за тарифов.\n\nЭто видно по статистике.\n")
    assert layout.title is None
    layout = structure.layout("1234\n\n# Цены растут\n\nЦены растут из-за тарифов.\n")
    assert layout.title == "Цены растут"


def test_glued_date_header():
    layout = structure.layout("date 2025-11-12 Государственный визит завершился.\n\nВторой абзац.\n")
    assert layout.date.date.isoformat() == "2025-11-12"
    assert layout.paras[0].text == "Государственный визит завершился."
    assert layout.removed == ["date 2025-11-12"]


@pytest.mark.parametrize(
    "line,kind",
    [
        ("👁 1 234", "counter"), ("12345", "counter"), ("Просмотров: 560", "counter"),
        ("Фото: Акорда", "photo"), ("Фото - пресс-служба", "photo"), ("Источник фото: КТЖ", "photo"),
        ("Поделиться", "share"), ("Подписывайтесь на нас в Telegram", "share"), ("Читайте также: Новость", "share"),
        ("Теги: экономика, торговля", "share"), ("Telegram | VK | WhatsApp", "social"),
        ("12.11.2025, 14:35", "timestamp"), ("Сегодня, 14:35", "timestamp"), ("Автор: Иван Петров", "byline"),
        ("Текст: Иван Петров", "byline"),
    ],
)
def test_chrome_kinds(line, kind):
    assert clean.chrome(line).kind == kind


@pytest.mark.parametrize("line", ["Фотография стала искусством в XIX веке.", "Автор идеи — министр.",
                                  "Рост составил 12%.", "Текст закона опубликован."])
def test_not_chrome(line):
    assert clean.chrome(line) is None


def test_inline_markdown():
    assert clean.strip_inline("**Жирный** и *курсив* и [ссылка](https://x.kz) ![img](a.png)") == "Жирный и курсив и ссылка "
    assert clean.strip_inline("snake_case и 5 * 3") == "snake_case и 5 * 3"


def test_dates():
    assert dates.find_date("12 ноября 2025 года").date.isoformat() == "2025-11-12"
    assert dates.find_date("12 ноября").date is None
    assert dates.find_date("2025-11-12").date.isoformat() == "2025-11-12"
    assert dates.find_date("31.02.2025") is None
    assert dates.timestamp_line("Обновлено: 12 ноября 2025, 14:35").date.isoformat() == "2025-11-12"
    assert dates.timestamp_line("Рост 12 ноября") is False


def test_italic_questions():
    text = ("Вступление к беседе.\n\n*Как вы оцениваете рынок?*\n\nРынок растёт.\n\n"
            "*Что будет с ценами?*\n\nЦены стабилизируются.\n")
    layout = structure.layout(text)
    assert [s.question for s in layout.segments if s.question] == ["Как вы оцениваете рынок?", "Что будет с ценами?"]


def test_byline_with_photo_credit_on_one_line():
    layout = structure.layout("Заголовок\n\nАвтор: Иван Петров | Фото: Акорда\n\nТекст статьи, длинный абзац.\n")
    assert layout.bylines == [("автор", "Иван Петров")]


def test_a_date_alone_is_a_timestamp_not_a_counter():
    layout = structure.layout("Заголовок статьи\n\n03.04.2025\n\nТекст статьи, первый абзац.\n")
    assert layout.date.date.isoformat() == "2025-04-03"
    assert clean.chrome("1056").kind == "counter"


@pytest.mark.parametrize("line", [
    "Агро | 3 февраля 2026 | Читать 6 минут",
    "Центр экономических исследований «Евразия-Аналитика» · Март 2026",
    "[Фото]",
    "На фото: новый элеватор в селе Тогузак",
])
def test_header_strips_and_photo_captions_are_chrome(line):
    assert clean.chrome(line)


def test_the_date_in_a_reading_time_strip_is_the_date_and_the_next_line_the_title():
    layout = structure.layout("Агро | 3 февраля 2026 | Читать 6 минут\n\n«Зерно уходит на юг»: почему рынки меняются\n\n"
                              "Казахстан экспортирует больше зерна. Так говорят аналитики.\n")
    assert layout.title == "«Зерно уходит на юг»: почему рынки меняются"
    assert layout.date.date.isoformat() == "2026-02-03"


def test_a_table_pasted_as_text_and_its_caption_are_no_paragraphs():
    text = ("Заголовок записки\n\nЦены растут. Это видно по всем поставщикам.\n\nСредние цены, тенге за тонну:\n\n"
            "Удобрение            Март 2025    Март 2026\nКарбамид             198 000      221 000\n\n"
            "Дальше цены будут расти, считают аналитики.\n")
    layout = structure.layout(text)
    paragraphs = [p.text for p in layout.paras]
    assert not any("198 000" in p or "Средние цены" in p for p in paragraphs)
    assert "Карбамид 198 000 221 000" in layout.removed


def test_ordered_list_items_lose_their_markers_and_stay_apart():
    text = "Заголовок записки\n\nВступление к выводам.\n\n1. Селитра подорожала на 23%.\n2. Импорт сократился на 9%.\n"
    paragraphs = [p.text for p in structure.layout(text).paras]
    assert "Селитра подорожала на 23%." in paragraphs and "Импорт сократился на 9%." in paragraphs


def test_a_caps_rubric_above_the_headline_is_removed():
    layout = structure.layout("АНАЛИТИЧЕСКАЯ ЗАПИСКА\n\nУдобрения дорожают перед посевной\n\nТекст записки. Ещё текст.\n\nВторой абзац.\n")
    assert layout.title == "Удобрения дорожают перед посевной"
    assert "АНАЛИТИЧЕСКАЯ ЗАПИСКА" in layout.removed


def test_an_iso_timestamp_line_with_its_zone_is_the_publication_date():
    from bot.services.ingest.reading import layout

    laid = layout("Порт Актау принял новый паром\n\n2025-09-09T12:50+0300\n\nПаром с вагонами прибыл в порт в среду, сообщили в компании.\n")
    assert laid.date is not None and str(laid.date.date) == "2025-09-09"


def test_an_agency_credit_whose_name_holds_a_dot_is_removed_whole():
    from bot.services.ingest.reading.structure import _remove_attribution

    text, credit = _remove_attribution("Аким провёл совещание о ремонте дорог, сообщает Vesti.kz.\n\nДалее о сроках.")
    assert text == "Аким провёл совещание о ремонте дорог.\n\nДалее о сроках." and credit == "сообщает Vesti.kz"
    text, credit = _remove_attribution("Об этом сообщает Vesti.kz. Работы начнутся весной.")
    assert text == "Работы начнутся весной." and credit == "Об этом сообщает Vesti.kz."


def test_a_city_and_an_agency_in_capitals_open_a_news_paragraph_as_its_dateline():
    from bot.services.ingest.reading import dates

    found = dates.dateline("ASTANA. KAZINFORM The minister opened the new terminal on Monday.")
    assert found is not None and found.prefix == "ASTANA. KAZINFORM"
    assert dates.dateline("ASTANA. The minister opened the new terminal on Monday.") is None
