"""How messages name things for people: a quoted text, a counted noun."""

from __future__ import annotations

import re

_ASCII_SPACE = re.compile(r"[ \t\n\r\f\v]+")
_IRREGULAR = {"entry": "entries", "entry(ies)": "entries", "article(s)": "articles"}


def quote(text: str, width: int = 60) -> str:
    """A text for a message, in curly quotes: line breaks and runs of spaces shown as one space, cut at
    ``width`` characters. No-break and other Unicode spaces stay the characters they are (not ``\\xa0``)."""
    text = _ASCII_SPACE.sub(" ", text).strip()
    return "\u201c" + (text if len(text) <= width else text[: width - 1] + "\u2026") + "\u201d"


def counted(number: int, noun: str) -> str:
    """``1 word``, ``2 words``, ``1 entry``, ``3 entries``: an English count that agrees with its number."""
    if number == 1:
        return f"{number} {noun}"
    return f"{number} {_IRREGULAR.get(noun, noun + 's')}"
