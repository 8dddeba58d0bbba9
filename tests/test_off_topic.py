"""An article that fits no topic, end to end through the Bot API emulator: the upload's preview
says so, its drafts wait without a topic (never filed under a general one), publishing waits for
an editor's topic, and `/topic_add` adds one beside the catalogue, stored in the database."""

from __future__ import annotations

from tests.conftest import services_of
from tests.helpers import ask, button_with, press

OWNER_ID = 42  # settings.admin_ids in conftest

# Written for this test: a regional culture item, nothing the catalogue's topics are about.
FESTIVAL = """Культура

Театральный фестиваль в Караганде собрал двенадцать трупп

Двенадцать театральных трупп из пяти городов показали спектакли на фестивале «Степная сцена». Зрители увидели восемнадцать постановок за шесть вечеров.

Жюри фестиваля отметило молодёжный театр из Темиртау. Его спектакль о шахтёрской семье признан лучшим, а исполнительница главной роли получила приз за лучшую женскую роль.

Следующий фестиваль пройдёт осенью, организаторы обещают пригласить труппы из соседних областей.
"""


async def upload(emulator, user, name: str, content: bytes, count: int = 1):
    emulator.send_document(user, name, content)
    return await emulator.wait_for_messages(user["id"], count=count)


async def test_an_off_topic_article_waits_for_an_editors_topic(bot, emulator):
    owner = emulator.make_user(OWNER_ID, "Olga", language_code="ru")
    [summary] = await upload(emulator, owner, "festival.txt", FESTIVAL.encode())
    text = summary["text"]
    assert "не подходит ни к одной теме" in text
    assert "без темы" in text and "Обзор визита" not in text  # never overview by default
    await press(emulator, owner, summary, button_with(summary, "ed:ap:"))
    drafts = await services_of(bot).editorial.repository.drafts()
    assert drafts and all(draft.topic == "" for draft in drafts)
    [applied] = emulator.messages_in(owner["id"])[-1:]
    assert "Без темы: #" in applied["text"]

    draft = drafts[0]
    [refused] = await ask(emulator, owner, f"/publish {draft.id}")
    assert "нет темы" in refused["text"]
    assert draft.id not in {s.id for s in await services_of(bot).content.published_snippets()}

    [unknown] = await ask(emulator, owner, f"/topic {draft.id} culture")
    assert "Темы «culture» нет" in unknown["text"]
    [added] = await ask(emulator, owner, "/topic_add culture Культура | театр, фестиваль, спектакль")
    assert "culture" in added["text"] and "добавлена" in added["text"]
    assert f"#{draft.id}" in added["text"]  # the drafts that wait for a topic are named
    stored = await services_of(bot).editorial.topics.all()
    assert [topic.slug for topic in stored] == ["culture"]

    heading, preview = await ask(emulator, owner, f"/topic {draft.id} culture", count=2)
    assert "тема 🗂 Культура" in heading["text"]
    # the reader's title is the article's own sentence: the editor puts it in their own words
    await ask(emulator, owner, f"/edit {draft.id} Караганда собрала театры со всей страны | Фестиваль "
                               "прошёл в Караганде, следующий обещают осенью.", count=2)
    _heading, preview = await ask(emulator, owner, f"/publish {draft.id}", count=2)
    [done] = await press(emulator, owner, preview, button_with(preview, "ed:pn:"))
    assert "в эфире" in done["text"]
    assert draft.id in {s.id for s in await services_of(bot).content.published_snippets("culture")}


async def test_topic_add_refuses_what_cannot_be_a_topic(bot, emulator):
    owner = emulator.make_user(OWNER_ID, "Olga", language_code="ru")
    for command, problem in (
        ("/topic_add energy Энергия | ток", "already exists"),
        ("/topic_add help Справка | помощь", "bot's own commands"),
        ("/topic_add Кириллица Тема | описание", "Latin letters"),
    ):
        [reply] = await ask(emulator, owner, command)
        assert "Тема не добавлена" in reply["text"] and problem in reply["text"], reply["text"]
    [usage] = await ask(emulator, owner, "/topic_add")
    assert "Формат" in usage["text"]
    assert await services_of(bot).editorial.topics.all() == []


async def test_a_stranger_cannot_add_a_topic(bot, emulator):
    stranger = emulator.make_user(5002, "Mallory", language_code="ru")
    [reply] = await ask(emulator, stranger, "/topic_add culture Культура | театр")
    assert reply["text"] == "Эта команда недоступна."
    assert await services_of(bot).editorial.topics.all() == []


async def test_editor_topics_are_back_after_a_restart(settings):
    from bot.app import open_services
    from bot.domain.actors import Actor

    services = await open_services(settings, exclusive=False)
    try:
        await services.editorial.add_topic(Actor(1, "Olga", "cli"), "agriculture", "Сельское хозяйство", "зерно, урожай")
    finally:
        await services.close()
    services = await open_services(settings, exclusive=False)
    try:
        topic = services.catalogue.by_slug("agriculture")
        assert topic is not None and topic.title.ru == "Сельское хозяйство"
        assert services.catalogue.by_slug("energy") is not None  # the catalogue's own stay
    finally:
        await services.close()
