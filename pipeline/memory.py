"""Translation memory: every translated, non-fuzzy entry of a locale, looked up exactly or by similarity.

Exact matches are a dictionary lookup on (msgctxt, msgid). Similar matches go through rapidfuzz's
``ratio`` (normalised Indel similarity, the measure msgmerge's fuzzy search resembles), but only over the
candidates whose length allows the threshold to be reached at all: with lengths ``a`` and ``b`` the ratio is
at most ``2 * min(a, b) / (a + b)``, so most of the memory is never compared.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass

import polib
from rapidfuzz import fuzz, process

Key = tuple[str | None, str]
ORIGIN_PREFIX = "translation memory:"


@dataclass(frozen=True, slots=True)
class MemoryEntry:
    """One remembered translation and where it came from."""

    msgctxt: str | None
    msgid: str
    msgstr: str
    msgid_plural: str = ""
    msgstr_plural: tuple[tuple[int, str], ...] = ()
    origin: str = ""
    references: tuple[str, ...] = ()

    @property
    def key(self) -> Key:
        """(msgctxt, msgid)."""
        return (self.msgctxt, self.msgid)


@dataclass(frozen=True, slots=True)
class Match:
    """A memory entry found for a query, with its similarity (1.0 for an exact match)."""

    entry: MemoryEntry
    score: float


class TranslationMemory:
    """The translations of one locale, indexed for exact and similar lookup."""

    def __init__(self) -> None:
        self._exact: dict[Key, MemoryEntry] = {}
        self._lengths: list[int] = []
        self._entries: list[MemoryEntry] = []
        self._dirty = False

    def __len__(self) -> int:
        return len(self._exact)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._exact.values())

    def add(self, entry: MemoryEntry) -> None:
        """Remember a translation; the first one added for a (msgctxt, msgid) wins."""
        if entry.key in self._exact or not entry.msgid:
            return
        self._exact[entry.key] = entry
        self._dirty = True

    def add_catalog(self, po: polib.POFile, origin: str) -> None:
        """Remember every translated, non-fuzzy, live entry of a catalog."""
        for e in po:
            if e.obsolete or "fuzzy" in e.flags or not e.translated() or not e.msgid:
                continue
            self.add(MemoryEntry(e.msgctxt, e.msgid, e.msgstr, e.msgid_plural or "",
                                 tuple(sorted(e.msgstr_plural.items())), origin,
                                 tuple(f"{path}:{line}" if line else path for path, line in e.occurrences)))

    def exact(self, key: Key) -> MemoryEntry | None:
        """The translation of exactly this (msgctxt, msgid), if any."""
        return self._exact.get(key)

    def _index(self) -> None:
        if self._dirty:
            ordered = sorted(self._exact.values(), key=lambda e: (len(e.msgid), e.msgid, e.msgctxt or ""))
            self._entries = ordered
            self._lengths = [len(e.msgid) for e in ordered]
            self._dirty = False

    def similar(self, msgid: str, threshold: float) -> Match | None:
        """The most similar remembered text at or above ``threshold`` (0..1), or None."""
        self._index()
        if not self._entries or not msgid:
            return None
        n = len(msgid)
        low = n * threshold / (2 - threshold) if threshold < 2 else n
        high = n * (2 - threshold) / threshold if threshold > 0 else float("inf")
        start = bisect.bisect_left(self._lengths, int(low))
        stop = bisect.bisect_right(self._lengths, int(high) + 1)
        if start >= stop:
            return None
        window = self._entries[start:stop]
        best = process.extractOne(msgid, [e.msgid for e in window], scorer=fuzz.ratio,
                                  score_cutoff=threshold * 100)
        if best is None:
            return None
        return Match(window[best[2]], best[1] / 100)


def origin_comment(entry: polib.POEntry) -> list[str]:
    """The ``#.`` lines that record where a translation came from (kept across updates)."""
    return [line for line in entry.comment.split("\n") if line.startswith(ORIGIN_PREFIX)]


def build_memory(catalogs: Iterable[tuple[str, polib.POFile]]) -> TranslationMemory:
    """A memory of the given (origin, catalog) pairs, first origin winning for a repeated text."""
    memory = TranslationMemory()
    for origin, po in catalogs:
        memory.add_catalog(po, origin)
    return memory
