"""draft_passage: topics, title, summary, figures, quotes."""

from __future__ import annotations

from bot.services.ingest.reading import Passage, Person, Quote, Topic, draft_passage, nlp, read_article
from bot.services.ingest.reading.draft import TITLE_MAX, _shorten, credited, summary_sentences

CATALOGUE = (
    Topic("economy", ("экономика", "торговля", "товарооборот", "инвестиция", "компания")),
    Topic("energy", ("энергетика", "энергетический", "АЭС", "атомный", "газ")),
    Topic("logistics", ("логистика", "маршрут", "коридор", "транспорт"),
          description="Коридор «Север–Юг», Транскаспийский маршрут (ТМТМ)"),
)


def passage(text: str, question: str | None = None, heading: str | None = None) -> Passage:
    return Passage(text=text, question=question, heading=heading, sentences=nlp.sentences(text))


def test_sever_yug_routes_to_logistics_by_description_phrase():
    d = draft_passage(passage("Усиливается направление «Север–Юг». Оно соединяет страны."), CATALOGUE)
    assert d.topics == ("logistics",)
    d = draft_passage(passage("Грузы пойдут по ТМТМ через порт."), CATALOGUE)
    assert "logistics" in d.topics


def test_topics_by_lemmas_and_roots():
    d = draft_passage(passage("Энергетической безопасности помогут атомные станции и газовые месторождения."), CATALOGUE)
    assert d.topics[0] == "energy"
    d = draft_passage(passage("Товарооборот и инвестиции растут, компании довольны. Маршрут один."), CATALOGUE)
    assert d.topics == ("economy",)


def test_several_topics_when_fitting():
    text = ("Товарооборот вырос, инвестиции пришли, компании расширились. "
            "Новые маршруты и коридоры, транспорт и логистика развиваются.")
    assert set(draft_passage(passage(text), CATALOGUE).topics) == {"economy", "logistics"}


def test_no_topic():
    assert draft_passage(passage("Погода была хорошей, люди гуляли в парке."), CATALOGUE).topics == ()


def test_accepts_catalogue_mappings():
    raw = [{"slug": "energy", "keywords": ["АЭС"], "title": {"ru": "Энергетика"}, "description": {"ru": "АЭС"}}]
    assert draft_passage(passage("АЭС построят."), raw).topics == ("energy",)


TEXT = (
    "Межрегиональный форум – это площадка, где рождаются экономические проекты. "
    "Сегодня Россия – крупнейший торговый и инвестиционный партнер Казахстана. "
    "Локомотивами торговли должны стать промышленность и металлургия. "
    "Здесь работают 20 тысяч компаний с российским участием. "
    "Погода в Уральске была солнечной. "
    "Визит – это работа с реальной экономикой и инвестициями."
)


def test_summary_is_ranked_ordered_and_verbatim():
    p = passage(TEXT, question="Как вы оцениваете форум?")
    chosen = summary_sentences(p, CATALOGUE)
    assert 2 <= len(chosen) <= 4
    assert [s for s in p.sentences if s in chosen] == chosen  # verbatim, original order
    assert not any("Погода" in s for s in chosen)  # the off-topic sentence ranks low
    d = draft_passage(p, CATALOGUE)
    # the source's words, gaps marked; an answer whose speaker is never named is the interviewee's
    assert d.summary == "Собеседник издания: «" + " (…) ".join(chosen) + "»"
    assert len(d.summary) <= 1200


def test_summary_credits_each_run_to_whoever_says_it():
    said = "Мы откроем новый терминал уже весной."
    text = f"Компания расширяет порт на Каспии. «{said}» — сказал директор Иван Петров."
    p = Passage(text=text, sentences=nlp.sentences(text),
                quotes=(Quote(said, Person("Иван Петров", "директор")),))
    summary = credited(nlp.sentences(text), p)
    assert summary.startswith("Из материала: «Компания расширяет порт на Каспии.»")
    english = credited(["Exports rose by a tenth."], Passage(text="Exports rose by a tenth."), "en", "Jane Doe")
    assert english == "Jane Doe: “Exports rose by a tenth.”"


def test_summary_bounds_on_long_passage():
    long_text = " ".join(f"Предложение номер {i} о торговле и инвестициях в экономику региона и страны." for i in range(60))
    d = draft_passage(passage(long_text), CATALOGUE)
    assert len(d.summary) <= 1200
    assert 2 <= len(summary_sentences(passage(long_text), CATALOGUE)) <= 4


def test_title_states_the_point():
    p = passage(TEXT, question="Как вы оцениваете форум?")
    d = draft_passage(p, CATALOGUE)
    assert not d.title.endswith("?") and len(d.title) <= TITLE_MAX
    assert any(c.isalpha() for c in d.title)
    assert d.title != "Как вы оцениваете форум"


def test_title_never_a_question_or_number():
    p = passage("Почему так? Зачем это? 42.", question="Что дальше?")
    title = draft_passage(p, CATALOGUE).title
    assert not title.rstrip().endswith("?") and not title.strip().isdigit()


def test_title_uses_a_stating_heading_not_a_question_heading():
    p = passage(TEXT, heading="Торговля растёт быстрее прогноза")
    assert draft_passage(p, CATALOGUE).title == "Торговля растёт быстрее прогноза"
    p = passage(TEXT, heading="Что дальше")
    assert draft_passage(p, CATALOGUE).title != "Что дальше"


def test_long_sentence_title_is_cut_at_a_clause():
    sentence = ("Визит Токаева подтверждает, что Астана остаётся важным каналом координации интересов "
                "всего региона и соседних стран, включая Россию, Китай, Иран, Индию и государства Персидского залива.")
    title = _shorten(sentence.rstrip("."))
    assert len(title) <= TITLE_MAX
    assert title.startswith("Астана остаётся важным каналом")


def test_figures_from_question_and_answer_deduplicated():
    p = passage("Цель – $30 млрд. Работают 20 тысяч компаний.", question="Как достичь $30 млрд товарооборота?")
    d = draft_passage(p, CATALOGUE)
    assert [(str(f.value), f.unit) for f in d.figures] == [("30", "млрд долларов"), ("20", "тыс. компаний")]


def test_quotes_carried_with_speaker():
    speaker = Person("Иван Петров", "экономист")
    text = "Рынок растёт уверенно и долго. Спрос держится на экспорте."
    p = Passage(text=text, question="Что с рынком?", speaker=speaker, sentences=nlp.sentences(text),
                quotes=(Quote("Рынок растёт уверенно и долго.", speaker),))
    d = draft_passage(p, CATALOGUE)
    assert d.quotes[0].speaker == speaker
    assert d.summary == "Иван Петров: «Спрос держится на экспорте.»"  # an answer's words are the interviewee's


def test_a_passage_that_is_all_quotation_is_summed_up_by_a_quote_that_gives_no_view():
    speaker = Person("Иван Петров", "экономист")
    view, fact = "Фермерам нельзя продавать одно сырьё.", "Спрос держится на экспорте зерна и масла."
    text = f"«{view} {fact}» — сказал он."
    p = Passage(text=text, sentences=nlp.sentences(text), quotes=(Quote(view, speaker), Quote(fact, speaker)))
    d = draft_passage(p, CATALOGUE)
    assert d.summary == f"Иван Петров: «{fact}»"
    assert [q.text for q in d.quotes] == [view]


def test_an_answers_number_sentence_is_left_to_the_figures_and_a_view_is_quoted():
    from bot.services.ingest.reading import quotes
    from bot.services.ingest.reading.models import Person

    sentences = ["Нам нужно как минимум 3 тысячи новых зерновозов.",
                 "Россия ввела квоту, и часть покупателей переключилась на казахстанское зерно.",
                 "Фермерам нельзя продавать одно сырьё, пора вкладываться в переработку."]
    found = [q.text for q in quotes.answer_quotes(sentences, Person("Ерлан Сейтказиев"), limit=1)]
    assert found == [sentences[2]]


def test_a_summary_leaves_out_every_sentence_of_a_quotation_that_runs_over_several():
    text = ("The ministers met in the port city on Monday to discuss the new ferry line. "
            "“The ferry line will carry its first trucks in May. Tickets will cost less than the road. "
            "We expect two sailings a week,” the transport minister Ivan Petrov said. "
            "The talks will continue in the capital next month with the port operators.")
    said = ("The ferry line will carry its first trucks in May. Tickets will cost less than the road. "
            "We expect two sailings a week")
    passage = Passage(text=text, heading=None, question=None, speaker=None, sentences=None,
                      quotes=(Quote(said, Person("Ivan Petrov")),), reported=())
    picked = " ".join(summary_sentences(passage, chosen=[Quote(said, Person("Ivan Petrov"))]))
    assert "Tickets" not in picked and "sailings" not in picked and "“" not in picked, picked
    assert "ferry line" in picked


def test_direct_speech_the_reader_could_not_credit_is_never_summed_up_as_the_articles_words():
    text = ("Новый склад у границы откроется весной, сообщает региональное издание.\n\n"
            "«Мы откроем новый склад в мае, и очереди на границе станут заметно короче», — сказал он. "
            "Склад рассчитан на сорок тысяч тонн зерна и будет работать круглый год. "
            "Строительство ведёт местная компания, подрядчик назван по итогам конкурса.")
    article = read_article(text)
    passage = next(p for p in article.passages if "склад в мае" in p.text)
    assert not passage.quotes  # nobody is named: the words stay uncredited
    picked = " ".join(summary_sentences(passage))
    assert "склад в мае" not in picked and picked


def test_a_quoted_sentence_in_a_summary_carries_the_speakers_words_only():
    text = ("“The ferry will carry its first trucks in May. Tickets will cost less than the road,” "
            "the transport minister Ivan Petrov said.")
    said = "The ferry will carry its first trucks in May. Tickets will cost less than the road"
    passage = Passage(text=text, heading=None, question=None, speaker=None, sentences=None,
                      quotes=(Quote(said, Person("Ivan Petrov")),), reported=())
    shown = credited(list(nlp.sentences(text)), passage, "en")
    assert shown.startswith("Ivan Petrov: “The ferry will carry")
    assert "said" not in shown and "minister" not in shown, shown


def test_a_line_that_only_introduces_a_quotation_is_no_summary():
    from bot.services.ingest.drafts import draft_units

    article = read_article("""Министр энергетики Иван Петров:

«В этом году мы построим две подстанции. Свет в сёлах перестанет отключаться. Тарифы останутся прежними», — сказал министр.
""")
    for unit in draft_units(article):
        picked = " ".join(summary_sentences(unit))
        assert picked and not picked.rstrip().endswith(":"), picked
