"""English readers read English content: titles, summaries, figure labels and source lines
written by the editors, quotes verbatim with a translation marked as one; Russian readers see
what they always did. Content with no English is shown in Russian, plainly marked."""

from __future__ import annotations

import re

from tests.helpers import ask

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
