"""read_article over the hand-written samples: metadata, people, passages, quotes."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.services.ingest.reading import Article, InputTooLarge, Person, read_article


def answers(article: Article):
    return [p for p in article.passages if p.question is not None]


def assert_quotes_verbatim(article: Article):
    for p in article.passages:
        for q in p.quotes:
            assert q.text in p.text, q.text
            if p.question:
                assert q.text not in p.question


def test_emdash_interview(read):
    a = read("dash_emdash.txt")
    assert a.kind == "interview"
    assert a.title == "Дмитрий Журавлёв: «Евразийская интеграция держится на прагматизме»"
    assert a.interviewee == Person("Дмитрий Журавлёв", "научный директор Института региональных проблем")
    assert a.author == Person("Анна Смирнова")  # "Беседовала Анна СМИРНОВА"
    assert a.date == dt.date(2025, 11, 12) and a.date_found_as == "header"
    assert len(answers(a)) == 3
    assert all(p.speaker == a.interviewee for p in answers(a))
    assert all(p.speaker is None for p in a.passages if p.question is None)
    assert "👁 3 412" in a.removed_chrome
    assert_quotes_verbatim(a)


def test_endash_interview(read):
    a = read("dash_endash.md")
    assert a.kind == "interview"
    assert a.interviewee == Person("Александр Константинов", "журналист из Астаны")
    assert a.author == Person("Ержан Абенов")
    assert a.title == "Константинов: Астана делает ставку на транзит"
    assert len(answers(a)) == 3
    # the narrative paragraph after an answer stays with that answer
    assert "1 200 рабочих мест" in answers(a)[1].text
    assert_quotes_verbatim(a)


def test_hyphen_interview(read):
    a = read("dash_hyphen.txt")
    assert a.kind == "interview"
    assert a.interviewee.name == "Ерлан Аккенженов"
    assert "министр энергетики" in a.interviewee.role.lower()
    assert a.date == dt.date(2025, 10, 3)
    assert len(answers(a)) == 3


def test_vopros_otvet(read):
    a = read("vopros_otvet.txt")
    assert a.kind == "interview"
    assert a.interviewee == Person("Айгуль Нурланова", "экономист")
    assert a.date == dt.date(2025, 3, 5)
    assert [p.question for p in answers(a)][1] == "Когда ситуация стабилизируется?"
    assert_quotes_verbatim(a)


def test_bold_question_interview(read):
    a = read("bold_questions.md")
    assert a.kind == "interview"
    assert a.interviewee.name == "Марат Есенов"
    assert a.interviewee.role.startswith("казахстанский эксперт по искусственному интеллекту")
    assert a.author == Person("Ольга Ким")
    assert answers(a)[2].heading == "Кадры"
    assert_quotes_verbatim(a)


def test_initials_interview(read):
    a = read("initials.txt")
    assert a.kind == "interview"
    assert a.interviewee.name == "Болат Ахметов"
    assert "профессор" in a.interviewee.role
    assert a.author == Person("Асан Куанышев")
    assert len(answers(a)) == 3
    assert answers(a)[0].text.startswith("Через степь")  # label removed


def test_korr_labels(read):
    a = read("korr_labels.md")
    assert a.kind == "interview"
    assert a.interviewee.name == "Шахрат Нурышев"
    assert len(answers(a)) == 3


def test_news_with_chrome(read):
    a = read("news_chrome.txt")
    assert a.kind == "news"
    assert a.interviewee is None
    assert a.date == dt.date(2025, 11, 12)
    assert a.lead.startswith("Президенты Казахстана и России подписали")
    quotes = [q for p in a.passages for q in p.quotes]
    by_text = {q.text: q.speaker for q in quotes}
    assert by_text["Наши страны связывают не только общая история, но и общее будущее"] == Person(
        "Касым-Жомарт Токаев", "Президент Казахстана")
    # reported speech ("По словам министра …, …") names its speaker but is no quote
    assert not any(q.text.startswith("в ходе визита") for q in quotes)
    nurtleu = next(p for p in a.speakers if p.name == "Мурат Нуртлеу")
    assert nurtleu.role == "министр иностранных дел"
    putin = next(q for q in quotes if q.text.startswith("Мы намерены"))
    assert putin.speaker.name == "Владимир Путин"
    assert_quotes_verbatim(a)
    text = "\n".join(p.text for p in a.passages)
    for chrome in ("Поделиться", "Теги", "Подписывайтесь", "👁", "Фото:"):
        assert chrome not in text


def test_dateline_news_without_year(read):
    a = read("news_dateline.txt")
    assert a.kind == "news"
    assert a.date is None and a.date_words == "12 ноября"
    assert a.passages[0].text.startswith("В Уральске")


def test_dateline_news_with_year(read):
    a = read("news_dateline_year.txt")
    assert a.kind == "news"
    assert a.date == dt.date(2025, 6, 3) and a.date_found_as == "dateline"


def test_undated_opinion(read):
    a = read("opinion_undated.md")
    assert a.kind == "opinion"
    assert a.date is None and a.date_found_as is None
    assert a.author == Person("Арман Сейткали", "экономист")
    assert a.title == "Почему Евразии нужен общий рынок электроэнергии"
    assert all(p.quotes == () for p in a.passages)  # no attributed speech in a column


def test_article_with_subheadings(read):
    a = read("article_subheadings.md")
    assert a.kind == "article"
    assert a.author == Person("Мария Иванова")
    # "Решение … было принято 15 октября 2024 года" dates an event in the lead, not the article:
    # no stamp, dateline or headline states a publication date, so it is honestly unknown
    assert a.date is None and a.date_found_as is None
    assert [p.heading for p in a.passages] == [None, "Восточная ветка", "Восточная ветка",
                                                "Инвестиции в инфраструктуру", "Что дальше"]
    assert all(p.sentences for p in a.passages)


def test_english(read):
    a = read("english_news.txt")
    assert a.language == "en"


def test_sentences_are_verbatim(read):
    a = read("dash_emdash.txt")
    for p in a.passages:
        for s in p.sentences:
            assert s in p.text


def test_too_large_refused_quickly():
    with pytest.raises(InputTooLarge, match="at most"):
        read_article("а" * 200_001)


def test_empty_refused():
    with pytest.raises(ValueError):
        read_article("   \n\n  ")


def test_straight_quotes_and_pronoun_speaker():
    from bot.services.ingest.reading import read_article

    text = ("Министр финансов Мади Такиев выступил в парламенте.\n\n"
            "\"Бюджет будет исполнен полностью и в срок\", — сказал он.\n")
    a = read_article(text)
    quote = next(q for p in a.passages for q in p.quotes)
    assert quote.text == "Бюджет будет исполнен полностью и в срок"
    assert quote.speaker is not None and quote.speaker.name == "Мади Такиев"


def test_oblique_names_and_roles_put_in_nominative():
    from bot.services.ingest.reading import people

    found = people.mentions("Мы попросили старшего научного сотрудника института Марину Котову рассказать о планах.")
    assert found[0].person.name == "Марина Котова"
    found = people.mentions("Об этом рассказал бывший главный инженер завода Пётр Савин.")
    assert found[0].person.role == "бывший главный инженер завода"
    found = people.mentions("Мы поговорили с бывшим главным инженером завода Петром Савиным.")
    assert found[0].person.role == "бывший главный инженер завода"
