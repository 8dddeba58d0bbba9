"""Search answers what was asked: stop words never match on their own, chatter gets a friendly
answer with the topic menu, English words find English content, excerpts are clean."""

from __future__ import annotations

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from bot.domain.search_text import STOP_WORDS, THANKS, WITH_THANKS, excerpt, is_chatter, is_thanks, query_roots
from tests.helpers import ask, buttons


@pytest.mark.parametrize("query", ["в", "как", "и на в", "the", "what is the"])
async def test_a_query_of_stop_words_finds_nothing_and_says_so(bot, emulator, anna, query) -> None:
    [reply] = await ask(emulator, anna, f"/search {query}")
    assert "нет слов, по которым можно искать" in reply["text"]
    assert "/energy" not in reply["text"]


async def test_weather_is_not_matched_on_a_preposition(bot, emulator, anna) -> None:
    [reply] = await ask(emulator, anna, "/search погода на завтра")
    assert "ничего не нашлось" in reply["text"]


@pytest.mark.parametrize("text", ["привет", "привет, как дела?", "Добрый день"])
async def test_chatter_gets_a_friendly_answer_and_the_topic_menu(bot, emulator, anna, text) -> None:
    [reply] = await ask(emulator, anna, text)
    assert reply["text"].startswith("Здравствуйте!")
    assert any(b["callback_data"] == "t:energy" for b in buttons(reply))


async def test_thanks_get_a_short_thanks_not_the_greeting(bot, emulator, anna, john) -> None:
    for text in ("спасибо", "спс", "Благодарю!", "Спасибо большое!"):
        [reply] = await ask(emulator, anna, text)
        assert reply["text"] == "Пожалуйста! Обращайтесь 🙂", (text, reply["text"])
        assert not buttons(reply)  # no menu: a thanks is not a question
    for text in ("thanks", "Thank you!", "thx", "спасибо"):  # an English reader is thanked in English
        [reply] = await ask(emulator, john, text)
        assert reply["text"] == "You're welcome! 🙂", (text, reply["text"])
    [question] = await ask(emulator, anna, "спасибо, а что с АЭС?")  # a question after thanks is answered
    assert question["text"].startswith("⚡ Энергетика")


@hsettings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(sorted(THANKS)), min_size=1, max_size=2),
       st.lists(st.sampled_from(sorted(WITH_THANKS | {"привет", "и", "вам"})), max_size=4),
       st.sampled_from([str, str.upper, str.title]), st.sampled_from(["", "!", "!!", ".", " :)", ", "]),
       st.sampled_from(["АЭС", "Росатом", "logistics", "Балхаш", "inflation"]))
def test_any_thanks_is_thanks_and_any_subject_word_makes_it_a_question(thanks, others, case, end, subject) -> None:
    text = case(" ".join([*thanks, *others])) + end
    assert is_thanks(text), text
    assert not is_thanks(f"{text} {subject}") and not is_thanks(f"{subject} {text}")


@pytest.mark.parametrize("query", ["nuclear power", "Rosatom", "Balkhash"])
async def test_english_words_find_the_energy_briefing(bot, emulator, john, query) -> None:
    [reply] = await ask(emulator, john, f"/search {query}")
    assert "/energy" in reply["text"], reply["text"]
    assert "Balkhash" in reply["text"] or "Rosatom" in reply["text"]


def test_stop_words_have_no_roots_and_real_words_keep_theirs() -> None:
    assert query_roots("в на и как the of") == []
    assert query_roots("АЭС на Балхаше") == ["аэс", query_roots("Балхаш")[0]]
    assert is_chatter("как дела?") and not is_chatter("как дела с АЭС?")


@hsettings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["«", "»", " ", "Росатом", "и", "АЭС", ".", "x" * 30]), max_size=60))
def test_excerpts_never_start_with_a_closing_quote_and_are_balanced(pieces) -> None:
    text = "".join(pieces)
    cut = "".join(piece for piece, _hit in excerpt(text or "АЭС", "Росатом АЭС").pieces)
    assert not cut.lstrip().startswith("»")
    assert cut.count("«") == cut.count("»")


def test_stop_word_lists_hold_no_content_word() -> None:
    assert not {"аэс", "росатом", "nuclear", "energy", "логистика"} & STOP_WORDS
