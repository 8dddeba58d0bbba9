"""People's names in Latin letters for English readers, as English-language newsrooms write
Russian and Kazakh names: BGN/PCGN romanisation without diacritics (Борисов → Borisov, Алексеевич
→ Alekseyevich, Дмитрий → Dmitry, Жумабаев → Zhumabayev, Қасым → Qasym).

A name already in Latin letters is returned as it is. Where an official spelling differs from
the romanisation (Kassym-Jomart Tokayev, not Kasym-Zhomart), the editors give it as `name_en`.
"""

from __future__ import annotations

_LETTERS = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # Kazakh letters
    "ә": "a", "ғ": "gh", "қ": "q", "ң": "ng", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
}  # fmt: skip
_VOWELS = set("аеёиоуыэюяәөұүі")
_SOFTENERS = {"ъ", "ь"}


def _letter(word: str, i: int) -> str:
    """One lower-case Cyrillic letter of `word` (lower-cased) at `i`, in context."""
    char = word[i]
    before = word[i - 1] if i else ""
    after = word[i + 1:]
    if char in "её" and (not before or before in _VOWELS or before in _SOFTENERS):
        return "ye" if char == "е" else "yo"
    if char == "ё" and before in "жчшщ":  # Горбачёв → Gorbachev, Хрущёв → Khrushchev
        return "e"
    if char in "ыи" and after == "й":  # -ый, -ий at the end: Заречный → Zarechny, Дмитрий → Dmitry
        return "y" if before and before not in _VOWELS else "i"
    if char == "й" and not after and before in "ыи":
        return ""
    return _LETTERS.get(char, char)


def _word(word: str) -> str:
    lower = word.lower()
    if not any(char in _LETTERS for char in lower):
        return word
    pieces = [_letter(lower, i) for i in range(len(lower))]
    out = []
    for original, piece in zip(word, pieces):
        if original != original.lower() and piece:
            piece = piece[0].upper() + piece[1:]
        out.append(piece)
    latin = "".join(out)
    letters = [char for char in word if char.isalpha()]
    if len(letters) > 1 and all(char.isupper() for char in letters):  # ЗАРЕЧНОВ → ZARECHNOV
        latin = latin.upper()
    return latin


def has_cyrillic(text: str | None) -> bool:
    """Whether a text has a Russian or Kazakh letter: for an English reader, words to mark or
    romanise rather than show as they are."""
    return bool(text) and any(char.lower() in _LETTERS for char in text)  # type: ignore[union-attr]


def romanize(name: str) -> str:
    """A name in Latin letters (words split on spaces and hyphens keep their separators)."""
    out, word = [], []
    for char in name:
        if char.isalpha():
            word.append(char)
            continue
        if word:
            out.append(_word("".join(word)))
            word = []
        out.append(char)
    if word:
        out.append(_word("".join(word)))
    return "".join(out)
