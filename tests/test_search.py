"""Search with Russian stemming: word forms meet, results are ranked, excerpts are marked."""

from __future__ import annotations

import pytest

from bot.domain.stemming import root
from bot.domain.search_text import excerpt, query_roots


async def found_keys(services, query: str) -> list[str]:
    return [view.key for view, _ in await services.content.search(query)]


async def test_word_forms_of_energy_find_the_same_snippets(services) -> None:
    results = [set(await found_keys(services, q)) for q in ("энергетике", "энергетика", "энергетический")]
    assert results[0] == results[1] == results[2]
    assert "energy-npp-balkhash" in results[0]


@pytest.mark.parametrize("query", ["Росатом", "Росатома", "росатомом", "АЭС", "Балхаш"])
async def test_nuclear_words_find_the_energy_snippet_first(services, query: str) -> None:
    assert (await found_keys(services, query))[0] == "energy-npp-balkhash"


TITLED_SOVEREIGNTY = {"sovereignty-not-temporary-partners", "digital-ai-data"}  # the word is in both titles


async def test_title_matches_rank_above_body_matches(services) -> None:
    keys = await found_keys(services, "суверенитет")
    assert set(keys[:2]) == TITLED_SOVEREIGNTY


async def test_all_words_beat_any_word(services) -> None:
    assert await found_keys(services, "Север Юг Иран") == ["logistics-bridge-routes"]
    # no snippet has both words: falls back to either
    assert set(await found_keys(services, "Балхаш Индия")) == {"energy-npp-balkhash", "logistics-bridge-routes"}


@pytest.mark.parametrize("query", ['"', "*", "NEAR(", "энерг* OR", "AND", "-", "()", "'; DROP TABLE snippets; --", "ё" * 500])
async def test_query_syntax_from_users_never_breaks_search(services, query: str) -> None:
    await services.content.search(query)  # must not raise


async def test_nothing_found_is_an_empty_list(services) -> None:
    assert await services.content.search("криптовалюта") == []


def test_short_abbreviations_are_not_stemmed_to_one_letter() -> None:
    assert root("ии") == "ии"
    assert query_roots("ИИ и данные") == ["ии", root("данные")]  # "и" is a stop word


def test_excerpt_marks_every_form_of_the_query_word() -> None:
    text = "Первое предложение. Энергетическая безопасность и энергетика региона. Третье."
    passage = excerpt(text, "энергетике")
    marked = [piece for piece, hit in passage.pieces if hit]
    assert marked == ["Энергетическая", "энергетика"]
    assert "".join(piece for piece, _ in passage.pieces) == "Энергетическая безопасность и энергетика региона."


def test_long_sentence_excerpt_is_trimmed_around_the_match() -> None:
    text = ("слово " * 80) + "Балхаш " + ("слово " * 80)
    passage = excerpt(text, "Балхаш", max_chars=100)
    joined = "".join(piece for piece, _ in passage.pieces)
    assert len(joined) <= 100 and "Балхаш" in joined
    assert passage.truncated_start and passage.truncated_end


async def test_common_words_are_ranked_among_the_newest_matches(services, monkeypatch) -> None:
    """A word in more than COMMON_DOCS snippets skips bm25(); ranking still favours titles."""
    from bot.storage import search

    rows = await services.db.execute_fetchall("SELECT docs FROM search_terms WHERE term = 'суверенитет'")
    assert rows and rows[0][0] >= 2
    monkeypatch.setattr(search, "COMMON_DOCS", 1)
    keys = await found_keys(services, "суверенитет")
    assert set(keys[:2]) == TITLED_SOVEREIGNTY
    assert set(await found_keys(services, "Балхаш Индия")) == {"energy-npp-balkhash", "logistics-bridge-routes"}


async def test_document_frequencies_follow_retired_snippets(services, seeds_dir) -> None:
    (seeds_dir / "borisov-2025-11-12.yaml").rename(seeds_dir / "_off.yaml")
    await services.intake.reload_seeds()
    rows = await services.db.execute_fetchall("SELECT count(*) FROM search_terms WHERE docs > 0")
    assert rows == [(0,)]
