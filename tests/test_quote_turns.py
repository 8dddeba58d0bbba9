"""`/quote` takes turns per reader: each reader's next ask gives the next quote on the topic,
never the one its briefing shows, whatever other readers asked, and after a restart too."""

from __future__ import annotations

import copy

import pytest
import yaml

from tests.conftest import running_bot
from tests.helpers import ask, button_with, press

SEED_FILE = "borisov-2025-11-12.yaml"


def give_energy_more_quotes(seeds_dir) -> None:
    """A second energy snippet with the economy snippet's quotes (the interviewee's words, in
    the same source): the topic then has quotes besides the one its briefing shows."""
    path = seeds_dir / SEED_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    energy = next(s for s in data["snippets"] if s["topic"] == "energy")
    economy = next(s for s in data["snippets"] if s["topic"] == "economy")
    more = copy.deepcopy(energy)
    more.update(id="energy-more-quotes", title="Энергетика: ещё цитаты", quotes=copy.deepcopy(economy["quotes"]))
    data["snippets"].append(more)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def quoted(message) -> str:
    """The verbatim words of the one quote in a reply (the same in either language)."""
    encoded = message["text"].encode("utf-16-le")
    [block] = [encoded[2 * e["offset"]:2 * (e["offset"] + e["length"])].decode("utf-16-le")
               for e in message.get("entities") or [] if e["type"] == "blockquote"]
    return block.split("\n")[0]


async def test_each_reader_gets_the_next_quote_in_turn_and_keeps_it_across_a_restart(settings, emulator) -> None:
    give_energy_more_quotes(settings.seeds_dir)
    anna = emulator.make_user(user_id=1001, first_name="Anna", language_code="ru")
    john = emulator.make_user(user_id=1002, first_name="John", language_code="en")
    async with running_bot(settings, emulator):
        [briefing] = await ask(emulator, anna, "/energy")
        shown = next(line for line in briefing["text"].split("\n") if line.startswith("«"))
        first = [quoted((await ask(emulator, anna, "/quote energy"))[0]) for _ in range(2)]
        assert first[0] != first[1], first  # two asks, two quotes
        assert shown not in first  # the briefing's own comes last
        [johns] = await ask(emulator, john, "/quote energy")  # another reader starts at the start
        assert quoted(johns) == first[0]
        [button] = await press(emulator, anna, briefing, button_with(briefing, "q:energy"))  # the 💬 button: her next
        third = quoted(button)
        assert third not in first and third != shown
    async with running_bot(settings, emulator):  # her turn is kept, not started again
        [again] = await ask(emulator, anna, "/quote energy")
        assert shown.strip("«»") in quoted(again)  # three quotes besides the briefing's, then the briefing's own last
        [round_again] = await ask(emulator, anna, "/quote energy")
        assert quoted(round_again) == first[0]  # and round again
        [johns_next] = await ask(emulator, john, "/quote energy")
        assert quoted(johns_next) == first[1]


@pytest.mark.sqlite_only(reason="refuses writes with SQLite's query_only")
async def test_a_reader_gets_quotes_in_turn_while_the_database_refuses_writes(settings) -> None:
    from bot.app import open_services

    give_energy_more_quotes(settings.seeds_dir)
    services = await open_services(settings)
    try:
        energy = services.catalogue.by_slug("energy")
        await services.briefings.quote("ru", energy, reader=7)
        await services.db.execute("PRAGMA query_only = ON")  # every write now refused, as on a full disk
        try:
            during = [(await services.briefings.quote("ru", energy, reader=7)).parts[0] for _ in range(2)]
        finally:
            await services.db.execute("PRAGMA query_only = OFF")
    finally:
        await services.close()
    assert during[0] != during[1]  # answered, and still in turn


async def test_a_topic_with_one_more_quote_than_its_briefing_shows_alternates_the_two(settings, emulator) -> None:
    anna = emulator.make_user(user_id=1003, first_name="Anna", language_code="ru")
    async with running_bot(settings, emulator):
        [briefing] = await ask(emulator, anna, "/energy")
        shown = next(line for line in briefing["text"].split("\n") if line.startswith("«"))
        asks = [quoted((await ask(emulator, anna, "/quote energy"))[0]) for _ in range(3)]
        assert asks[0] != asks[1] and asks[2] == asks[0]  # two quotes in turn, never the same one twice running
        assert shown.strip("«»") in asks[1] and shown.strip("«»") not in asks[0]  # the briefing's own second
