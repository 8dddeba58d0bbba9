"""A content field in the reader's language, as HTML.

Russian readers read the fields as written. English readers read the editors' English where
there is one; else a field in Latin letters as it is (an English source's), and a Russian one
as it is under the "Russian only" mark — never transliterated, never left unmarked. A figure's
unit is the one exception with a second chance: the unit lexicon (`domain/units.py`) gives
"billion dollars" for "млрд долларов" where it is certain.
"""

from __future__ import annotations

from bot.domain.models import Figure
from bot.domain.transliteration import has_cyrillic
from bot.domain.units import unit_in_english
from bot.domain.views import SnippetView
from bot.presentation.html import escape
from bot.presentation.texts import t


def in_russian_only(original: str | None, english: str | None, lang: str) -> bool:
    """An English reader would be shown this field in Russian, for want of English."""
    return lang == "en" and not english and has_cyrillic(original)


def russian_only(lang: str) -> str:
    """The mark after such a field, in italics of its own."""
    return f"<i>({t(lang, 'ru_only')})</i>"


def russian_only_inside(lang: str) -> str:
    """The mark for a field inside italics already (a source line, a note): no nested <i>."""
    return f"[{t(lang, 'ru_only')}]"


def field(original: str, english: str | None, lang: str, *, inside_italics: bool = False) -> str:
    """The field as HTML: the English for an English reader where the editors wrote it, else the
    original, marked where it is Russian."""
    text = escape(english if lang == "en" and english else original)
    if in_russian_only(original, english, lang):
        return f"{text} {russian_only_inside(lang) if inside_italics else russian_only(lang)}"
    return text


def bold_field(original: str, english: str | None, lang: str) -> str:
    """A field in bold (a title), its mark after the bold."""
    text = escape(english if lang == "en" and english else original)
    mark = f" {russian_only(lang)}" if in_russian_only(original, english, lang) else ""
    return f"<b>{text}</b>{mark}"


def title_line(snippet: SnippetView, lang: str) -> str:
    return bold_field(snippet.title, snippet.title_en, lang)


def summary_mark(snippet: SnippetView, lang: str) -> str:
    """The mark after a summary (or an excerpt of it) an English reader gets in Russian."""
    return f" {russian_only(lang)}" if in_russian_only(snippet.summary, snippet.summary_en, lang) else ""


def figure_value(figure: Figure, lang: str) -> str:
    """The number as the reader writes it: 1,5 in Russian, 1.5 in English; a range with an en
    dash in both, 8–9."""
    return figure.value_text.replace(",", ".") if lang == "en" else figure.value_text


def figure_unit(figure: Figure, lang: str) -> str | None:
    """The unit in the reader's language: the editors' `unit_en`, else the unit lexicon's (a
    range's in the plural: "1–2 tonnes"); None where an English reader's unit exists only in
    Russian."""
    if lang != "en":
        return figure.unit
    return figure.unit_en or unit_in_english(figure.unit, figure.value if figure.value_to is None else None)


def figure_amount(figure: Figure, lang: str) -> str:
    """Value and unit as plain text (a chart's bar, an inline result's description): "4 billion
    dollars"; a unit only in Russian as it is, marked."""
    unit = figure_unit(figure, lang)
    if unit is None:
        return f"{figure_value(figure, lang)} {figure.unit} ({t(lang, 'ru_only')})"
    return f"{figure_value(figure, lang)} {unit}"


def figure_amount_html(figure: Figure, lang: str, *, label_marked: bool) -> str:
    """Value and unit in bold; a unit only in Russian marked after it, unless the line's label
    is marked already (one mark a line is enough)."""
    unit = figure_unit(figure, lang)
    amount = f"<b>{escape(f'{figure_value(figure, lang)} {unit or figure.unit}')}</b>"
    return amount if unit is not None or label_marked else f"{amount} {russian_only(lang)}"
