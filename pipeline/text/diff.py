"""A word diff of two English texts: what changed in a unit's source since its translation was made."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of the diff: text kept (``equal``), taken out (``delete``) or put in (``insert``)."""

    op: str
    text: str


def word_diff(old: str, new: str) -> list[Piece]:
    """The pieces that turn ``old`` into ``new``, word by word (white space kept as it is in ``new``)."""
    before, after = _TOKENS.findall(old), _TOKENS.findall(new)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    pieces: list[Piece] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(Piece("equal", "".join(after[j1:j2])))
            continue
        if op in ("delete", "replace"):
            pieces.append(Piece("delete", "".join(before[i1:i2])))
        if op in ("insert", "replace"):
            pieces.append(Piece("insert", "".join(after[j1:j2])))
    return [p for p in pieces if p.text]
