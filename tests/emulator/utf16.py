"""UTF-16 arithmetic: Telegram measures text lengths and entity offsets in UTF-16 code units.

Python strings index by code point, so anything outside the Basic Multilingual Plane (most
emoji) is one Python character but two Telegram units.
"""

from __future__ import annotations


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def utf16_slice(text: str, offset: int, length: int) -> str:
    """The substring covered by an entity given in UTF-16 units."""
    encoded = text.encode("utf-16-le", "surrogatepass")
    return encoded[2 * offset : 2 * (offset + length)].decode("utf-16-le", "surrogatepass")


def byte_offset(text: str, index: int) -> int:
    """Offset in UTF-8 bytes of code point ``index`` (Telegram's parse errors cite bytes)."""
    return len(text[:index].encode("utf-8", "surrogatepass"))


class LazyByteOffset:
    """``byte_offset`` computed only if an error message is actually formatted: the parser
    notes the offset of every tag, and measuring each eagerly made parsing quadratic."""

    __slots__ = ("_text", "_index")

    def __init__(self, text: str, index: int) -> None:
        self._text, self._index = text, index

    def __format__(self, spec: str) -> str:
        return format(byte_offset(self._text, self._index), spec)
