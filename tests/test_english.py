"""English readers read English content: titles, summaries, figure labels and source lines
written by the editors, quotes verbatim with a translation marked as one; Russian readers see
what they always did. Content with no English is shown in Russian, plainly marked."""

from __future__ import annotations

import re

from tests.conftest import ROOT
from tests.helpers import ask, buttons

CYRILLIC = re.compile(r"[А-Яа-яЁё]")


async def test_english_reader_gets_the_energy_briefing_in_english(bot, emulator, john) -> None:
    [reply] = await ask(emulator, john, "/energy")
    text = reply["text"]
    assert "A Balkhash nuclear plant" in text
    title, summary = text.split("\n")[2:4]
    assert not CYRILLIC.search(title) and not CYRILLIC.search(summary), (title, summary)
    assert "Translation:" in text  # the quote itself stays verbatim, in Russian
    assert "Российский «Росатом»" in text or "Атомная энергетика" in text
    assert "Available in Russian only" not in text
    assert "Kazakhstanskaya Pravda" in text


async def test_russian_reader_still_reads_russian(bot, emulator, anna) -> None:
    [reply] = await ask(emulator, anna, "/energy")
    assert "АЭС на Балхаше" in reply["text"]
    assert "Translation" not in reply["text"] and "Перевод" not in reply["text"]
    assert "Казахстанская правда" in reply["text"]


async def test_figures_say_who_states_them(bot, emulator, john, anna) -> None:
    [english] = await ask(emulator, john, "/figures economy")
    assert english["photo"]  # the chart, with the numbers in its caption
    line = next(line for line in english["caption"].split("\n") if "4 billion dollars" in line)
    assert "from the interviewer's question" in line
    [russian] = await ask(emulator, anna, "/figures economy")
    line = next(line for line in russian["caption"].split("\n") if "4 млрд долларов" in line)
    assert "2024 г. (из вопроса интервьюера)" in line, line  # a field after the label, not inside it
    assert "Борисов" not in line and "Казахстанская правда" in line  # not credited to the expert
    assert "28 млрд" in russian["caption"] and "валюта и период не указаны" in russian["caption"]


async def test_content_without_english_is_marked_as_russian(settings, emulator, john) -> None:
    import yaml

    from tests.conftest import running_bot

    path = settings.seeds_dir / "borisov-2025-11-12.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for snippet in data["snippets"]:
        if snippet["topic"] == "logistics":
            snippet.pop("title_en"), snippet.pop("summary_en")
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    async with running_bot(settings, emulator):
        [reply] = await ask(emulator, john, "/logistics")
    assert "Available in Russian only" in reply["text"]
    assert "«Север–Юг»" in reply["text"] or "Север" in reply["text"]


def outside_quotes(text: str) -> str:
    """The text without the verbatim quotes (the only Russian an English reader is shown on
    purpose, each followed by its translation)."""
    return re.sub(r"«[^\n]*»", "", text)


async def test_english_reader_sees_names_in_latin_letters(bot, emulator, john) -> None:
    [briefing] = await ask(emulator, john, "/energy")
    assert "— Denis Borisov, Russian political scientist" in briefing["text"]  # the editors' name_en
    [about] = await ask(emulator, john, "/about")
    [found] = await ask(emulator, john, "/search Balkhash")
    [overview] = await ask(emulator, john, "/overview")
    assert "Kassym-Jomart Tokayev, President of Kazakhstan" in overview["text"]
    for reply in (briefing, about, found, overview):
        assert not CYRILLIC.search(outside_quotes(reply["text"])), reply["text"]


async def test_a_name_without_an_english_spelling_is_romanised(settings, emulator, john) -> None:
    import yaml

    from tests.conftest import running_bot

    path = settings.seeds_dir / "borisov-2025-11-12.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["source"]["author"]["name_en"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    async with running_bot(settings, emulator):
        [briefing] = await ask(emulator, john, "/energy")
    assert "— Denis Alekseyevich Borisov, Russian political scientist" in briefing["text"]


def test_names_are_romanised_as_english_newsrooms_write_them() -> None:
    from bot.domain.transliteration import romanize

    assert romanize("Денис Алексеевич Борисов") == "Denis Alekseyevich Borisov"
    assert romanize("Дмитрий ЗАРЕЧНОВ") == "Dmitry ZARECHNOV"
    assert romanize("Марат Жумабаев") == "Marat Zhumabayev"
    assert romanize("Михаил Горбачёв") == "Mikhail Gorbachev"
    assert romanize("Айгерим Әлиева") == "Aygerim Aliyeva"
    assert romanize("Ерлан Қасымов") == "Yerlan Qasymov"
    assert romanize("Olga Kim") == "Olga Kim"


def test_any_cyrillic_name_comes_out_in_latin_letters() -> None:
    from hypothesis import given, strategies as st

    from bot.domain.transliteration import romanize

    letters = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі"
    name = st.text(alphabet=letters + letters.upper() + " -", min_size=1, max_size=60)

    @given(name)
    def check(text: str) -> None:
        latin = romanize(text)
        assert not CYRILLIC.search(latin) and not re.search(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]", latin), (text, latin)
        assert latin.count(" ") == text.count(" ") and latin.count("-") == text.count("-")

    check()


# --- a new Russian source, as an English reader meets it -------------------------------------

CORPUS = ROOT / "tests" / "fixtures" / "articles"
RUSSIAN_ONLY = "Russian only"


def unmarked_russian(text: str) -> list[str]:
    """Lines an English reader is shown in Russian with no mark saying so: outside the verbatim
    quotes, and outside a title and summary under "Available in Russian only"."""
    found = []
    for block in text.split("\n\n"):
        if block.startswith("🇷🇺 Available in Russian only"):
            continue
        for line in outside_quotes(block).split("\n"):
            if CYRILLIC.search(line) and RUSSIAN_ONLY not in line:
                found.append(line)
    return found


async def publish_drafts_of(emulator, owner, bot, article) -> list[int]:
    """An editor uploads an article, applies its drafts and publishes them as they stand (no
    English written): the way a new source reaches readers."""
    from tests.conftest import services_of
    from tests.helpers import button_with, press

    emulator.send_document(owner, article.name, article.read_bytes())
    [summary] = await emulator.wait_for_messages(owner["id"])
    await press(emulator, owner, summary, button_with(summary, "ed:ap:"))
    drafts = [d for d in await services_of(bot).editorial.drafts(50) if d.source_id == article.stem]
    for draft in drafts:
        offered = await ask(emulator, owner, f"/publish {draft.id}", count=2)
        [confirm] = [m for m in offered if any(b.get("callback_data", "").startswith("ed:pn:") for b in buttons(m))]
        await press(emulator, owner, confirm, button_with(confirm, "ed:pn:"))
    return [d.id for d in drafts]


async def test_an_english_reader_of_a_new_russian_source_sees_no_placeholder_and_no_unmarked_russian(
        bot, emulator, john) -> None:
    owner = emulator.make_user(42, "Olga", language_code="ru")
    await publish_drafts_of(emulator, owner, bot, CORPUS / "17-wire-dateline-customs.txt")
    [briefing] = await ask(emulator, john, "/economy")
    views = [briefing["text"]]
    for page in (1, 2):  # the source's other snippets, a button away
        emulator.press_button(john, briefing, f"tp:economy:{page}", check=True)
        edited = await emulator.wait_for(lambda: next(
            (m for m in emulator.messages_in(john["id"]) if m["message_id"] == briefing["message_id"]
             and len(m["edits"]) >= page), None))
        views.append(edited["text"])
    [figures] = await ask(emulator, john, "/figures economy")
    views.append(figures.get("caption") or figures["text"])
    for command in ("/about", "/search автомобилей", "/latest"):
        [reply] = await ask(emulator, john, command)
        views.append(reply["text"].replace("“автомобилей”", "“…”"))  # (the reader's own words)
    everything = "\n\n".join(views)
    assert "Avtor" not in everything and "ne ukazan" not in everything  # no romanised placeholder
    assert "author not given, 11 March 2026" in everything
    assert "— Askhat Nurzhanov\n" in everything and "руководитель" not in everything  # no English role: none
    for unit in ("2.3 billion dollars", "40 thousand square metres", "74 enterprises"):
        assert unit in everything  # the unit lexicon's English
    assert "186 тыс. автомобилей" in everything  # no certain English: Russian, and the line marked
    for view in views:
        assert not unmarked_russian(view), (unmarked_russian(view), view)
    [russian] = await ask(emulator, owner, "/economy")  # Russian readers: as it was
    pages = [russian["text"]]
    for page in (1, 2, 3):  # the summary, then each snippet whole
        emulator.press_button(owner, russian, f"tp:economy:{page}", check=True)
        edited = await emulator.wait_for(lambda: next(
            (m for m in emulator.messages_in(owner["id"]) if m["message_id"] == russian["message_id"]
             and len(m["edits"]) >= page), None))
        pages.append(edited["text"])
    seen = "\n\n".join(pages)
    assert "— Асхат Нуржанов, руководитель департамента экономики области" in seen
    assert "Автор не указан" in seen and "Russian only" not in seen


def test_every_unit_lexicon_example_reads_as_it_says() -> None:
    from decimal import Decimal

    import yaml

    from bot.domain.units import LEXICON, unit_in_english

    entries = yaml.safe_load(LEXICON.read_text(encoding="utf-8"))["entries"]
    assert entries
    for entry in entries:
        russian, english = entry["example"].split(" → ")
        value, unit = russian.split(" ", 1)
        number = Decimal(value.replace(",", "."))
        assert f"{value.replace(',', '.')} {unit_in_english(unit, number)}" == english, entry
    assert unit_in_english("тонна", Decimal(1)) == "tonne"
    assert unit_in_english("млн тонн", Decimal(1)) == "million tonnes"  # a scale keeps the plural
    assert unit_in_english("тыс. зерновозов", Decimal(5)) is None  # no certain English: none at all
    assert unit_in_english("тыс. TEU", Decimal(5)) == "thousand TEU"


def test_any_figure_or_person_an_english_reader_sees_is_english_or_marked() -> None:
    """Whatever Russian words a new source's figure or quote carries, an English reader gets
    the lexicon's English or the Russian marked "Russian only" — never unmarked Russian."""
    from decimal import Decimal

    from hypothesis import given, settings as hypothesis_settings, strategies as st

    from bot.domain.models import Figure, Person
    from bot.domain.units import lexicon
    from bot.presentation.render import figure_line, person_line

    known = [" ".join(form) for form in lexicon()]
    russian_word = st.text(alphabet="абвгдежзийклмнопрстуфхцчшщыьэюя", min_size=1, max_size=12)
    latin_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyzTEU%$", min_size=1, max_size=6)
    words = st.lists(st.sampled_from(known) | russian_word | latin_word, min_size=1, max_size=4)

    @hypothesis_settings(max_examples=300, deadline=None)
    @given(words, words, st.decimals(min_value=0, max_value=10**6, places=2), st.booleans(), words)
    def check(unit_words, label_words, value, has_role, role_words) -> None:
        unit, label = " ".join(unit_words)[:40], " ".join(label_words)[:200]
        figure = Figure(value=value, unit=unit, label=label, evidence="x")
        line = figure_line(figure, "en")
        assert not CYRILLIC.search(line) or RUSSIAN_ONLY in line, line
        person = Person(name="Асхат Нуржанов", role=" ".join(role_words) if has_role else None)
        shown = person_line(person, "en")
        assert not CYRILLIC.search(shown), shown

    check()


# --- English typing meets the same routing and search as Russian -----------------------------

async def test_english_names_open_the_briefing_as_russian_ones_do(bot, emulator, john, anna) -> None:
    [russian] = await ask(emulator, anna, "Росатом")
    assert russian["text"].startswith("⚡ Энергетика")
    for typed in ("Rosatom", "Kazatomprom", "NPP"):
        [english] = await ask(emulator, john, typed)
        assert english["text"].startswith("⚡ Energy") and "A Balkhash nuclear plant" in english["text"], typed
        assert "Search" not in english["text"]
    [same] = await ask(emulator, anna, "Rosatom")  # a Russian reader typing in Latin letters too
    assert same["text"].startswith("⚡ Энергетика")


async def test_abbreviations_the_topics_use_are_found_in_either_language(bot, emulator, john, anna) -> None:
    [english] = await ask(emulator, john, "/search NPP")  # the topic list says "Balkhash NPP"
    assert "/energy" in english["text"] and "nothing" not in english["text"], english["text"]
    [russian] = await ask(emulator, anna, "/search NPP")
    assert "/energy" in russian["text"]
    encoded = russian["text"].encode("utf-16-le")  # entity offsets count UTF-16 units
    highlighted = [encoded[2 * e["offset"]:2 * (e["offset"] + e["length"])].decode("utf-16-le")
                   for e in russian.get("entities", []) if e["type"] == "bold"]
    assert "АЭС" in highlighted, highlighted  # the excerpt marks the word it stands for
    [both] = await ask(emulator, john, "/search Balkhash NPP")
    assert "/energy" in both["text"]


def test_every_alias_routes_and_is_found_as_the_word_it_stands_for() -> None:
    """Any member of an alias group, in any letter case and among stop words, routes to the
    topics its group's other members route to, and a text holding it is indexed under all."""
    from hypothesis import given, settings as hypothesis_settings, strategies as st

    from bot.domain import aliases
    from bot.domain.catalogue import load_catalogue
    from bot.domain.search_text import index_terms
    from bot.domain.stemming import root, words

    import yaml

    catalogue = load_catalogue(ROOT / "config" / "topics.yaml")
    groups = yaml.safe_load(aliases.LEXICON.read_text(encoding="utf-8"))["groups"]
    assert aliases.groups()  # the file reads, one word a member, one group a member
    members = [(member, group) for group in groups for member in group]
    padding = st.lists(st.sampled_from(["the", "about", "и", "про", "на", "what", "is"]), max_size=3)

    @hypothesis_settings(max_examples=300, deadline=None)
    @given(st.sampled_from(members), st.sampled_from([str, str.upper, str.lower, str.title]), padding, padding)
    def check(chosen, case, before, after) -> None:
        member, group = chosen
        typed = " ".join([*before, case(member), *after])
        expected = set()
        for other in group:
            expected |= {topic.slug for topic in catalogue.route(other)}
        assert {topic.slug for topic in catalogue.route(typed)} == expected, (typed, group)
        indexed = set(index_terms(f"Сказано: {typed}.").split())
        assert {root(words(other)[0]) for other in group} <= indexed, (typed, group)

    check()
