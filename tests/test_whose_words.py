"""Whose words, end to end through the Bot API emulator: a draft made of its source's sentences
is not published as it stands, a live snippet is not edited into them; quoted and credited, or
said in the editor's own words, both go through. The rule itself: `test_own_words.py`."""

from __future__ import annotations

import pytest

from bot.domain.own_words import RUN, words_of
from tests.conftest import services_of
from tests.helpers import ask, button_with, press
from tests.publishing import publish

OWNER_ID = 42
REFUSED = "слов источника подряд, не в кавычках"

# a wire item, written for this test in the form agencies file them: dateline, agency, sentences
WIRE = """АСТАНА, 9 сен - АГЕНТСТВО. Товарооборот Казахстана и Узбекистана за восемь месяцев года \
превысил прошлогодний уровень, сообщило в понедельник министерство торговли республики.

По данным ведомства, рост обеспечили поставки зерна, металлопроката и удобрений, а также открытие \
нового пограничного терминала на юге страны в начале лета.

Министр торговли Арман Сейтказин заявил журналистам, что стороны рассчитывают довести взаимную \
торговлю до 10 млрд долларов в ближайшие годы. По его словам, для этого правительства двух стран \
готовят соглашение об упрощении таможенных процедур на границе.

Ранее в министерстве сообщали, что через новый терминал уже проходит около 300 грузовиков в сутки, \
а очереди на границе сократились вдвое по сравнению с прошлым годом.
"""
COPIED = "Товарооборот Казахстана и Узбекистана за восемь месяцев года превысил прошлогодний уровень"


@pytest.fixture
def owner(emulator):
    return emulator.make_user(OWNER_ID, "Olga", language_code="ru")


async def wire_drafts(bot, emulator, owner) -> list:
    emulator.send_document(owner, "wire.txt", WIRE.encode())
    [summary] = await emulator.wait_for_messages(owner["id"])
    [applied] = await press(emulator, owner, summary, button_with(summary, "ed:ap:"))
    assert "Черновики созданы" in applied["text"]
    return sorted(await services_of(bot).editorial.drafts(20), key=lambda record: record.id)


async def test_a_wire_item_published_as_it_stood_is_refused_with_the_copied_words(bot, emulator, owner):
    reader = emulator.make_user(6300, "Reader")
    await ask(emulator, reader, "/subscribe economy")
    first, second, *_rest = await wire_drafts(bot, emulator, owner)
    assert COPIED in first.title  # the reader's draft: the agency's sentence

    [refused] = await ask(emulator, owner, f"/publish {first.id}")
    assert REFUSED in refused["text"] and COPIED in refused["text"]  # the copied words, shown
    assert "в кавычки" in refused["text"] and "своими словами" in refused["text"]  # the two honest ways
    # a draft whose title the reader built itself and whose summary shows the agency's sentences
    # quoted and credited is publishable as it stands
    assert second.summary.startswith("Из материала: «") and second.summary.endswith("»")
    [draft_preview, *_] = await ask(emulator, owner, f"/publish {second.id}", count=2)
    assert REFUSED not in draft_preview["text"]
    # the 👁 preview of such a draft says so before anyone tries
    warning, _preview = await ask_preview(emulator, owner, first.id)
    assert "Опубликовать как есть нельзя" in warning["text"] and "заголовок" in warning["text"]
    assert len(emulator.messages_in(reader["id"])) == 1  # nothing reached the reader

    # quoted and credited to whoever says it: publishable
    credited = (f"Торговля с Узбекистаном растёт | «{COPIED}», — сообщило министерство торговли "
                "республики.")
    await ask(emulator, owner, f"/edit {first.id} {credited}", count=2)
    # or said in the editor's own words
    own = ("Новый терминал ускорил торговлю на границе | Министерство связывает рост с новым "
           "терминалом на юге, а страны готовят соглашение о более простой таможне.")
    await ask(emulator, owner, f"/edit {second.id} {own}", count=2)
    for draft in (first, second):
        _heading, confirm = await ask(emulator, owner, f"/publish {draft.id}", count=2)
        [done] = await press(emulator, owner, confirm, button_with(confirm, "ed:pn:"))
        assert "в эфире" in done["text"]
    delivered = await emulator.wait_for_messages(reader["id"], count=2)
    texts = " ".join(message["text"] for message in delivered)
    assert f"«{COPIED}»" in texts and "Новый терминал ускорил торговлю на границе" in texts


async def ask_preview(emulator, owner, snippet_id: int):
    """The 👁 button of /drafts for that draft: its warning, then its preview."""
    [listing] = await ask(emulator, owner, "/drafts")
    return await press(emulator, owner, listing, f"ed:p:{snippet_id}", count=2)


def copied_sentence(source: str) -> str:
    """Eight consecutive words of the seed interview, as plain words."""
    found = words_of(source)
    assert not any(word.isdigit() for word in found[200 : 200 + RUN])
    return " ".join(found[200 : 200 + RUN])


async def test_a_live_snippet_edited_into_its_sources_words_is_refused_and_quoted_passes(
    bot, emulator, seeds_dir, owner,
):
    await publish(services_of(bot), seeds_dir, "energy", "Энергетика: для правки")
    live = next(s for s in await services_of(bot).content.published_snippets("energy")
                if s.title == "Энергетика: для правки")
    source = (seeds_dir / "sources" / "borisov-2025-11-12.txt").read_text(encoding="utf-8")
    words = copied_sentence(source)
    before = await services_of(bot).content.snippets_by_id([live.id])

    [refused] = await ask(emulator, owner, f"/edit {live.id} Энергетика: своими словами | Эксперт так и говорит: {words}.")
    assert REFUSED in refused["text"] and words in refused["text"].lower()
    assert "Денис Алексеевич Борисов" in refused["text"]  # whom to credit them to
    seven = " ".join(words.split()[:RUN - 1])
    heading, _preview = await ask(emulator, owner, f"/edit {live.id} Энергетика: своими словами | Эксперт: {seven}.", count=2)
    assert "станут такими" in heading["text"]  # seven words: the editor's to use; waits for Apply
    assert await services_of(bot).content.snippets_by_id([live.id]) == before

    heading, preview = await ask(emulator, owner, f"/edit {live.id} Энергетика: своими словами | Эксперт: «{words}».", count=2)
    [applied] = await press(emulator, owner, preview, button_with(preview, "ed:ap:"))
    assert "исправлена" in applied["text"]
    [after] = await services_of(bot).content.snippets_by_id([live.id])
    assert f"«{words}»" in after.summary


async def test_a_live_snippet_gets_no_figure_label_copied_from_its_source(bot, emulator, seeds_dir, owner):
    await publish(services_of(bot), seeds_dir, "economy", "Экономика: для подписи")
    live = next(s for s in await services_of(bot).content.published_snippets("economy")
                if s.title == "Экономика: для подписи")
    figure = live.figures[0]
    source = (seeds_dir / "sources" / "borisov-2025-11-12.txt").read_text(encoding="utf-8")
    label = copied_sentence(source)
    [refused] = await ask(emulator, owner, f"/figure {live.id} {figure.value_text} {figure.unit} | {label}")
    assert "Подпись цифры" in refused["text"] and REFUSED in refused["text"]
