"""The rule "who said it" (issue 22, rule 1): a source knows its speakers, a quote must be said by
whom it is credited to, an interviewer's words are nobody's quote, a figure's `stated_by` is
who states it. The domain's comparison, the voices read from a text, seed files, and the editor's
commands end to end through the Bot API emulator against the seed interview."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings as hsettings, strategies as st

from bot.domain.catalogue import load_catalogue
from bot.domain.seeds import load_seeds, validate_source
from bot.domain.validation import ContentError
from bot.domain.voices import (
    Voice,
    quote_credit_problem,
    same_person,
    stated_by_problem,
    voices_from_json,
    voices_json,
)
from bot.services.ingest.reading.speech import source_voices
from tests.conftest import services_of
from tests.helpers import ask

ROOT = Path(__file__).resolve().parent.parent
OWNER_ID = 42

# an interview written for these tests: a lead, the interviewer's questions, the answers
INTERVIEW = """Экономист Асель Нурланова — о том, что изменит новый порт.

– Что даст региону новый порт на Каспии?

– Порт снимет главное ограничение для экспорта. Сегодня грузы ждут паром неделями.

– Кто за это заплатит?

– Деньги дадут частные компании, бюджет только подведёт дороги.
"""

# a news item written for these tests: quotations attributed after, before and by statement
NEWS = """Министр транспорта Ержан Касымов открыл новый терминал в Актау.

«Терминал примет первые суда уже весной», — заявил Касымов журналистам.

Глава порта Ольга Смирнова сказала: «Очереди на границе сократятся в два раза».

«Маршрут станет быстрее и надёжнее для всех грузоотправителей», — говорится в заявлении компании КТЖ.
"""


def voices(text=INTERVIEW, interviewee="Асель Нурланова", people=()):
    return source_voices(text, interviewee, people)


# --- the voices read from a text -----------------------------------------------------------------

def test_an_interviews_turns_are_the_interviewers_and_the_interviewees():
    found = voices()
    kinds = {v.kind for v in found}
    assert {"interviewer", "interviewee", "narrative"} <= kinds
    answer = next(v for v in found if v.kind == "interviewee")
    assert answer.speaker == "Асель Нурланова" and answer.text.startswith("Порт снимет")
    assert any(v.kind == "interviewer" and v.text == "Что даст региону новый порт на Каспии?" for v in found)


def test_news_speech_is_credited_after_before_and_to_a_statement():
    found = voices(NEWS, None, ["Ержан Касымов"])
    by_words = {v.text: v for v in found if v.kind == "speaker"}
    assert by_words["Терминал примет первые суда уже весной"].speaker == "Ержан Касымов"  # the surname, completed
    assert same_person(by_words["Очереди на границе сократятся в два раза"].speaker, "Ольга Смирнова")
    statement = by_words["Маршрут станет быстрее и надёжнее для всех грузоотправителей"].speaker
    assert statement.startswith("заявление") and "КТЖ" in statement


def test_voices_survive_storage_as_json():
    found = voices(NEWS, None, ["Ержан Касымов"])
    assert voices_from_json(voices_json(found)) == found
    assert voices_from_json("not json") is None and voices_from_json(None) is None


# --- the rule ------------------------------------------------------------------------------------

def test_a_quote_credited_to_someone_else_names_the_sources_speaker():
    found = voices()
    problem = quote_credit_problem("Деньги дадут частные компании", "Иван Петров", found)
    assert problem is not None and problem.kind == "other" and problem.speaker == "Асель Нурланова"
    assert "говорит Асель Нурланова, а не Иван Петров" in problem.message("ru")
    assert quote_credit_problem("Деньги дадут частные компании", "Нурлановой", found) is None  # declined: the same


def test_an_interviewers_words_are_nobodys_quote_and_a_lead_is_not_the_interviewees():
    found = voices()
    assert quote_credit_problem("Кто за это заплатит?", "Асель Нурланова", found).kind == "interviewer"
    assert quote_credit_problem("о том, что изменит новый порт", "Асель Нурланова", found).kind == "narrative"


def test_words_the_voices_do_not_place_are_left_to_the_verbatim_check():
    assert quote_credit_problem("слов этих нет", "Кто Угодно", voices()) is None
    assert quote_credit_problem("Порт снимет главное ограничение", "Асель Нурланова", None) is None


def test_a_figures_stated_by_is_who_states_it():
    found = voices()
    assert stated_by_problem("interviewer", "Порт снимет главное ограничение", found) == "interviewee"
    assert stated_by_problem("expert", "Что даст региону новый порт", found) == "interviewer"
    assert stated_by_problem("expert", "Порт снимет главное ограничение", found) is None


NAMES = st.sampled_from(["Асель Нурланова", "Иван Петров", "Мария Ким", "Ержан Касымов", "Ольга Смирнова"])


@given(speaker=NAMES, credited=NAMES, words=st.lists(st.sampled_from(
    "рынок растёт порт груз экспорт зерно терминал дорога".split()), min_size=3, max_size=8))
@hsettings(max_examples=80, deadline=None)
def test_a_quote_moved_between_speakers_is_refused(speaker, credited, words):
    said = " ".join(words)
    found = (Voice(f"Первый абзац. {said}. Конец.", "narrative"), Voice(said, "speaker", speaker))
    problem = quote_credit_problem(said, credited, found)
    if same_person(speaker, credited):
        assert problem is None
    else:
        assert problem is not None and problem.speaker == speaker


@given(surname=st.sampled_from(["Токаев", "Борисов", "Касымов", "Смирнова"]),
       ending=st.sampled_from(["", "а", "у", "ым", "ой"]), first=st.sampled_from(["", "Денис ", "Касым-Жомарт "]))
@hsettings(max_examples=60, deadline=None)
def test_a_name_in_another_case_or_without_its_first_name_is_the_same_person(surname, ending, first):
    assert same_person(f"{first}{surname}{ending}", surname)


# --- seed files ----------------------------------------------------------------------------------

def seed_document(quote_text: str, author: dict | None):
    raw = yaml.safe_load((ROOT / "seeds" / "borisov-2025-11-12.yaml").read_text(encoding="utf-8"))
    snippet = raw["snippets"][1]
    snippet["quotes"] = [{"text": quote_text, **({"author": author} if author else {})}]
    return raw


def test_the_seed_content_keeps_its_speakers():
    catalogue = load_catalogue(ROOT / "config" / "topics.yaml")
    [loaded] = load_seeds(ROOT / "seeds", catalogue, source_voices)
    assert loaded.voices and any(v.kind == "interviewer" for v in loaded.voices)
    lead = next(v for v in loaded.voices if v.kind == "speaker")
    assert lead.speaker == "Касым-Жомарт Токаев" and lead.text == "рубежным событием в истории двусторонних отношений"


def test_a_seed_file_crediting_borisovs_words_to_tokayev_does_not_load():
    catalogue = load_catalogue(ROOT / "config" / "topics.yaml")
    text = (ROOT / "seeds" / "sources" / "borisov-2025-11-12.txt").read_text(encoding="utf-8")
    raw = seed_document("Успешный Казахстан полностью соответствует национальным интересам РФ.",
                        {"name": "Касым-Жомарт Токаев", "role": "Президент Казахстана"})
    found = source_voices(text, "Денис Алексеевич Борисов", ["Денис Алексеевич Борисов", "Касым-Жомарт Токаев"])
    with pytest.raises(ContentError, match="said by Денис Алексеевич Борисов, not Касым-Жомарт Токаев"):
        validate_source(raw, "bad.yaml", catalogue, text, found)
    question = "Какие подписания или соглашения формируют контуры единой архитектуры энергетической безопасности региона?"
    with pytest.raises(ContentError, match="interviewer's question"):
        validate_source(seed_document(question, None), "bad.yaml", catalogue, text, found)


# --- through the bot -----------------------------------------------------------------------------

@pytest.fixture
def owner(emulator):
    return emulator.make_user(OWNER_ID, "Olga", language_code="ru")


async def snippet(bot, topic: str):
    return (await services_of(bot).content.published_snippets(topic))[0]


async def test_borisovs_sentence_is_not_published_under_tokayevs_name(bot, emulator, owner):
    sovereignty = await snippet(bot, "sovereignty")
    [refused] = await ask(emulator, owner, f"/quote_add {sovereignty.id} «Успешный Казахстан полностью соответствует "
                                           "национальным интересам РФ.» | Касым-Жомарт Токаев, Президент Казахстана")
    assert "в источнике эти слова говорит Денис Алексеевич Борисов, а не Касым-Жомарт Токаев" in refused["text"]
    assert "Применить" not in str(refused.get("reply_markup"))
    assert (await snippet(bot, "sovereignty")).quotes == sovereignty.quotes


async def test_the_interviewers_words_and_the_lead_are_nobodys_quote(bot, emulator, owner):
    energy = await snippet(bot, "energy")
    [asked] = await ask(emulator, owner, f"/quote_add {energy.id} По итогам визита подтверждено сотрудничество "
                                         "с «Росатомом» по строительству первой АЭС.")
    assert "вопрос интервьюера" in asked["text"]
    [lead] = await ask(emulator, owner, f"/quote_add {energy.id} Его аналитика отличается акцентом на прагматизме, "
                                        "энергетике и технологическом суверенитете.")
    assert "текст самого материала" in lead["text"]


async def test_the_right_speaker_is_offered_with_the_quote_as_readers_will_get_it(bot, emulator, owner):
    sovereignty = await snippet(bot, "sovereignty")
    words = "Успешный Казахстан полностью соответствует национальным интересам РФ."
    heading, preview, card = await ask(emulator, owner, f"/quote_add {sovereignty.id} «{words}»", count=3)
    assert "Применить" in str(card.get("reply_markup"))
    assert card["text"].startswith("Новая цитата — так её покажет /quote:")
    assert words in card["text"] and "Денис Алексеевич Борисов" in card["text"]
