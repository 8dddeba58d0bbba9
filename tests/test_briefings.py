"""Rendered briefings are cached per content version and refreshed when content changes."""

from __future__ import annotations

import yaml


async def test_repeated_topic_requests_do_not_touch_the_database(services) -> None:
    energy = services.catalogue.by_slug("energy")
    first = await services.briefings.topic(energy, "ru")

    async def no_database(*args, **kwargs):
        raise AssertionError("the cached briefing should have been used")

    services.content.published_snippets = no_database
    assert await services.briefings.topic(energy, "ru") == first


async def test_changed_content_reaches_the_next_reply(services, seeds_dir) -> None:
    energy = services.catalogue.by_slug("energy")
    before = await services.briefings.topic(energy, "ru")
    path = seeds_dir / "borisov-2025-11-12.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document["snippets"][2]["title"] = "Новый заголовок об АЭС"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    await services.intake.reload_seeds()
    after = await services.briefings.topic(energy, "ru")
    assert "Новый заголовок об АЭС" in after.parts[0] and after != before


async def test_free_text_routes_by_keywords_then_falls_back_to_search(services) -> None:
    assert (await services.briefings.answer_text("Росатом и Казатомпром", "ru")).topic.slug == "energy"
    fallback = await services.briefings.answer_text("упряжка", "ru")  # no topic keyword
    assert fallback.topic.slug == "integration" and "Поиск" in fallback.parts[0]


async def test_quote_rotates_with_the_briefings_own_last(services) -> None:
    energy = services.catalogue.by_slug("energy")
    briefing = (await services.briefings.topic(energy, "ru")).parts[0]
    shown = (await services.content.published_snippets("energy"))[0].quotes[0].text
    assert shown in briefing
    quotes = [(await services.briefings.quote("ru", energy, reader=5)).parts[0] for _ in range(4)]
    assert shown not in quotes[0]  # the first ask never repeats the briefing's own
    assert quotes[0] != quotes[1] and quotes[2] == quotes[0] and shown in quotes[1]  # in turn, the briefing's own last
    everywhere = [(await services.briefings.quote("ru")).parts[0] for _ in range(3)]
    assert len(set(everywhere)) == 3  # in turn, not at random


async def test_about_lists_each_source_with_outlet_date_author_and_link(services) -> None:
    about = (await services.briefings.about("ru")).parts[0]
    assert "Казахстанская правда" in about and "12 ноября 2025" in about
    assert "Денис Алексеевич Борисов" in about and 'href="https://kazpravda.kz/' in about


async def test_latest_shows_what_is_new_since_the_last_visit(bot, emulator, anna, seeds_dir) -> None:
    from tests.conftest import services_of
    from tests.helpers import ask
    from tests.publishing import publish

    [first] = await ask(emulator, anna, "/latest")
    assert "Самое свежее" in first["text"] and "/energy" in first["text"]  # a first visit: the newest
    [again] = await ask(emulator, anna, "/latest")
    assert "ничего нового" in again["text"]
    await publish(services_of(bot), seeds_dir, "logistics", "Логистика: новый маршрут")
    [news] = await ask(emulator, anna, "/latest")
    assert "С вашего прошлого визита" in news["text"] and "Логистика: новый маршрут" in news["text"]
    assert "/energy" not in news["text"]  # only what is new


async def test_the_expert_is_named_at_most_twice_per_briefing(services) -> None:
    """Once in the summary and once under his quote; the source line does not repeat it (the
    headline the publication gave the interview is the publication's, and stays)."""
    for topic in services.catalogue:
        for lang in ("ru", "en"):
            text = (await services.briefings.topic(topic, lang)).parts[0]
            snippet = (await services.content.published_snippets(topic.slug))[0]
            for headline in (snippet.source.title, snippet.source.title_en or ""):
                text = text.replace(headline.replace("'", "&#x27;"), "") if headline else text
            assert text.count("Борисов") + text.count("Borisov") <= 2, (topic.slug, lang, text)
