"""Who says what, as the reader finds it: quotations attributed after, before or by position,
in Russian and English; reported speech; interviews in the forms news pages print them; the
interviewee and the speakers' roles. Texts written for these tests."""

from __future__ import annotations

from bot.services.ingest.reading import read_article
from bot.services.ingest.reading.speech import find, plain_resolver
from bot.services.ingest.reading.models import Person


def quotes_of(text: str) -> dict[str, str | None]:
    article = read_article(text)
    return {q.text: (q.speaker.name if q.speaker else None) for p in article.passages for q in p.quotes}


def test_a_quotation_is_credited_after_before_and_to_a_statement():
    text = """Новый терминал в порту Курык открылся в понедельник.

«Терминал примет первые суда уже весной», — заявил министр транспорта Ержан Касымов.

Глава порта Ольга Смирнова сказала: «Очереди на границе сократятся в два раза».

«Маршрут станет быстрее и надёжнее для всех», — говорится в заявлении компании КТЖ.
"""
    found = quotes_of(text)
    assert found["Терминал примет первые суда уже весной"] == "Ержан Касымов"
    assert found["Очереди на границе сократятся в два раза"] == "Ольга Смирнова"
    assert found["Маршрут станет быстрее и надёжнее для всех"].startswith("заявление")


def test_a_pronoun_or_a_bare_role_is_the_person_just_written_about():
    text = """Министр энергетики Алмас Сапаров рассказал о планах на зиму.

«Запасов угля хватит до весны, перебоев не будет», — сказал он.

«Тарифы останутся прежними до конца года», — добавил министр.
"""
    found = quotes_of(text)
    assert found["Запасов угля хватит до весны, перебоев не будет"] == "Алмас Сапаров"
    assert found["Тарифы останутся прежними до конца года"] == "Алмас Сапаров"


def test_reported_speech_names_its_speaker_and_is_no_quote():
    text = """По словам вице-министра финансов Марата Жанова, дефицит бюджета сократится.

Правительство готовит поправки к закону о бюджете на следующий год.
"""
    article = read_article(text)
    assert not [q for p in article.passages for q in p.quotes]
    assert any(p.name == "Марат Жанов" for p in article.speakers)


def test_english_attribution_after_and_before():
    text = """Exports of grain rose sharply this year, officials said on Monday.

"We will ship more wheat to Iran than ever before," Deputy Agriculture Minister Daniyar Sadykov said.

Port director Anna Bell said: "The new berth will double our capacity next spring."
"""
    found = quotes_of(text)
    assert found["We will ship more wheat to Iran than ever before"] == "Daniyar Sadykov"
    assert found["The new berth will double our capacity next spring."] == "Anna Bell"


def test_a_paragraph_of_pure_quotation_is_the_speaker_named_just_before():
    said = find("«Мы начнём стройку в мае и закончим к зиме следующего года».",
                plain_resolver(), carried=Person("Ержан Касымов"))
    assert [(s.text, s.speaker.name) for s in said] == [
        ("Мы начнём стройку в мае и закончим к зиме следующего года", "Ержан Касымов")]


def test_scare_quotes_and_names_in_quotation_marks_are_no_speech():
    said = find("Компания «Казахстан темир жолы» запустила сервис «Зелёный коридор» для грузов.", plain_resolver())
    assert said == []


def test_an_opening_with_one_question_labelled_in_capitals_is_an_interview():
    text = """Что дальше

Редакция побеседовала с аналитиком Центра прикладных исследований Айгерим Бекмухановой.

"ВЕСТНИК". Айгерим, чего ждать от тарифов на газ в этом году?

Айгерим БЕКМУХАНОВА. Тарифы будут расти, но медленнее, чем в прошлом году. Это решение правительства.
"""
    article = read_article(text)
    assert article.kind == "interview"
    assert article.interviewee.name == "Айгерим Бекмуханова"
    answer = next(p for p in article.passages if p.question)
    assert answer.text.startswith("Тарифы будут расти")


def test_turns_labelled_with_initials_and_a_surname_and_the_role_from_the_title():
    text = """Интервью Посла Казахстана в Венгрии Н.К.Сейткалиева агентству «Степь»

Н.Абенова: Добрый день! Как вы оцениваете итоги года?

Н.К.Сейткалиев: Год был насыщенным: мы подписали шесть соглашений и открыли два консульства.
"""
    article = read_article(text)
    assert article.interviewee.name == "Н.К.Сейткалиев"
    assert article.interviewee.role == "Посол Казахстана в Венгрии"


def test_an_english_interview_with_a_hyphen_glued_to_its_question():
    text = """Interview with a regional analyst, Professor of Economics at the State University Marat Seitov.

-How will the new route change trade in the region?

- The route cuts the delivery time by a week and makes the corridor reliable for shippers.
"""
    article = read_article(text)
    assert article.kind == "interview"
    assert article.interviewee.name == "Marat Seitov"
    assert "Professor of Economics" in article.interviewee.role


def test_the_first_question_addresses_the_interviewee_by_name_and_patronymic():
    text = """- Нурлан Сапарович, как вы оцениваете переговоры с соседями?

- Переговоры идут трудно, но стороны слышат друг друга и готовы искать компромисс.

- Что будет с тарифами на транзит?

- Тарифы останутся прежними до конца следующего года, это уже решено.
"""
    article = read_article(text)
    assert article.interviewee == Person("Нурлан Сапарович")


def test_an_agency_credit_glued_to_a_quotation_leaves_the_quotation_whole():
    text = """Правительство одобрило план развития портов на Каспии, заявил министр транспорта Ержан Касымов.

Об этом сообщает агентство Степь."Мы удвоим число паромов, чтобы грузы не ждали неделями", - сказал министр.
"""
    found = quotes_of(text)
    assert found["Мы удвоим число паромов, чтобы грузы не ждали неделями"] == "Ержан Касымов"


def test_a_dash_remark_after_reported_speech_is_its_speakers_and_a_list_item_is_no_remark():
    text = """Экзамены в колледжах идут по плану. Директор центра тестирования Марат Омаров рассказал, что заявок стало больше.

– Проходной балл в этом году набрали почти все, кто пришёл на экзамен во второй поток.

Министерство назвало главные задачи на год. Министр Айдар Серикбаев сообщил, что работа пойдёт по трём направлениям.

– Сети связи: до конца года их проведут ещё в сорок сёл района.
"""
    article = read_article(text)
    said = {q.text: q.speaker.name for p in article.passages for q in p.quotes}
    assert said == {"Проходной балл в этом году набрали почти все, кто пришёл на экзамен во второй поток.": "Марат Омаров"}
    assert {p.name for p in article.speakers} >= {"Марат Омаров", "Айдар Серикбаев"}
