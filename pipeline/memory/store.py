"""Translation memory: every translated, non-fuzzy entry of a locale, looked up exactly or by similarity.

Two implementations answer the same questions (``exact``, ``similar``, ``len``, iteration):

- :class:`TranslationMemory` holds its entries in dictionaries: one catalog's translations, an export, an import.
- :class:`MemoryIndex` keeps the memory of every locale in a folder, one sqlite file a locale (``<locale>.sqlite``),
  catalog by catalog (an *origin*: an article's slug, or ``imported memory``), so that a sync never holds it in
  RAM, replaces only the catalogs that changed, and fills the locales' files side by side, each from a process
  of its own. A locale's answers depend on its file only. :meth:`MemoryIndex.lookup` gives one locale's
  :class:`MemoryStore`; forked worker processes query it through connections of their own.

Which translation wins for a repeated (msgctxt, msgid): the first origin, article catalogs in the order of their
slugs, then catalogs of articles that no longer exist (orphans: a renamed article's old catalog), then imported
memory; within a catalog, its first entry.

Similar texts are scored with rapidfuzz's ``ratio`` (normalised Indel similarity, the measure msgmerge's fuzzy
search resembles); a text counts at or above the threshold, and the best score wins, a tie going to the shorter
text, then to the smaller (msgid, msgctxt), then to the winning origin. Only texts whose length allows the
threshold are looked at: with lengths ``a`` and ``b`` the ratio is at most ``2 * min(a, b) / (a + b)``.

:class:`TranslationMemory` scores every text of that length window. :class:`MemoryStore` first narrows it by
shared terms, the one place where the two may answer differently. A text's terms are its words (lower-cased runs
of word characters, of three or more characters unless digits) and its runs of three words; it is indexed by its
*sketch*, the ``SKETCH`` terms of smallest CRC-32 (all of them in a short text), so that two similar texts have
most of their sketches in common. A query takes, of its own sketch, the ``DISTINCTIVE_WORDS`` terms found in the
fewest remembered texts (ties: alphabetical), rarest first, and walks each one's texts in the length window,
nearest in length first, at most ``POSTINGS`` on each side of the query's length, while a budget of ``BUDGET``
texts lasts (a term in ``df`` texts uses ``2 * min(df, limit)`` of it). Of the texts met, the ``MAX_CANDIDATES``
met most often (ties: nearer in length, shorter, then by a hash of (msgctxt, msgid)) are scored. So a similar text
is missed only when it shares none of those terms (``Source`` for ``Sources``; two long texts whose sketches
happen not to meet), or when too many texts share more of them. On the 1,000-article benchmark corpus, 3 of 1,526
edited paragraphs got another answer than from scoring the whole window. Every figure in the rule depends only on
the texts the memory holds, never on the order they were added in, so the answer is the same whatever the number
of processes and whether a cache was used.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar, cast

from pipeline.core.cachedb import connect_cache
from pipeline.core.model import Key
from pipeline.po.model import Catalog

IMPORTED = "imported memory"
SKETCH = 16
DISTINCTIVE_WORDS = 8
POSTINGS = 300
BUDGET = 1200
MAX_CANDIDATES = 200
_WORD = re.compile(r"\w+")
_BATCH = 400                 # parameters per IN (...) list
_WRITER_CACHE_KIB = 16000    # page cache (16 MB) of a process filling an index (words are written in random
                             # order), shared out among the locale files it fills, at least _FILE_CACHE_KIB each
_FILE_CACHE_KIB = 1000       # page cache of any other connection that writes (staging) and of each file filled
_KEPT_ROWS = 50_000          # texts and words a lookup process remembers, at most (then forgets them all)
_UNREAD = object()           # a generation no file has


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
    #: where in its catalog the entry is (its index among the catalog's entries); -1: not said. Not part of
    #: what an entry is (equality): it orders an origin's entries, so that a catalog whose units moved after a
    #: few others changed keeps the rows of the rest as they are
    position: int = field(default=-1, compare=False)

    @property
    def key(self) -> Key:
        """(msgctxt, msgid)."""
        return (self.msgctxt, self.msgid)


@dataclass(frozen=True, slots=True)
class Match:
    """A memory entry found for a query, with its similarity (1.0 for an exact match)."""

    entry: MemoryEntry
    score: float


def catalog_entries(po: Catalog, origin: str) -> list[MemoryEntry]:
    """Every translated, non-fuzzy, live entry of a catalog, as memory (the first of a repeated key)."""
    found: dict[Key, MemoryEntry] = {}
    for index, e in enumerate(po):
        if e.obsolete or "fuzzy" in e.flags or not e.translated() or not e.msgid or (e.msgctxt, e.msgid) in found:
            continue
        found[(e.msgctxt, e.msgid)] = MemoryEntry(
            e.msgctxt, e.msgid, e.msgstr, e.msgid_plural or "", tuple(sorted(e.msgstr_plural.items())), origin,
            tuple(f"{path}:{line}" if line else path for path, line in e.occurrences), index)
    return list(found.values())


def encode_entries(entries: Iterable[MemoryEntry]) -> str:
    """Entries of one catalog as JSON (their origin aside)."""
    return json.dumps([[e.msgctxt, e.msgid, e.msgstr, e.msgid_plural, list(e.msgstr_plural), list(e.references),
                        e.position] for e in entries], ensure_ascii=False)


def decode_entries(data: str, origin: str) -> list[MemoryEntry]:
    """Entries of one catalog from :func:`encode_entries`."""
    return [MemoryEntry(e[0], e[1], e[2], e[3], tuple((int(k), v) for k, v in e[4]), origin, tuple(e[5]),
                        int(e[6]) if len(e) > 6 else -1) for e in json.loads(data)]


def length_window(n: int, threshold: float) -> tuple[int, int]:
    """The lengths (inclusive) a text needs for its ratio to a text of length ``n`` to reach ``threshold``."""
    low = n * threshold / (2 - threshold) if threshold < 2 else n
    high = n * (2 - threshold) / threshold if threshold > 0 else float(2 ** 62)
    return int(low), int(min(high, 2 ** 62)) + 1


class TranslationMemory:
    """The translations of one locale in dictionaries, indexed for exact and similar lookup."""

    def __init__(self) -> None:
        self._exact: dict[Key, MemoryEntry] = {}
        self._lengths: list[int] = []
        self._entries: list[MemoryEntry] = []
        self._dirty = False

    def __len__(self) -> int:
        return len(self._exact)

    def __iter__(self) -> Iterator[MemoryEntry]:
        return iter(self._exact.values())

    def add(self, entry: MemoryEntry) -> None:
        """Remember a translation; the first one added for a (msgctxt, msgid) wins."""
        if entry.key in self._exact or not entry.msgid:
            return
        self._exact[entry.key] = entry
        self._dirty = True

    def add_catalog(self, po: Catalog, origin: str) -> None:
        """Remember every translated, non-fuzzy, live entry of a catalog."""
        for entry in catalog_entries(po, origin):
            self.add(entry)

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
        low, high = length_window(len(msgid), threshold)
        start = bisect.bisect_left(self._lengths, low)
        stop = bisect.bisect_right(self._lengths, high)
        if start >= stop:
            return None
        window = self._entries[start:stop]
        from rapidfuzz import fuzz, process  # at first use: a sync with nothing to do never scores

        best = process.extractOne(msgid, [e.msgid for e in window], scorer=fuzz.ratio,
                                  score_cutoff=threshold * 100)
        if best is None:
            return None
        return Match(window[best[2]], best[1] / 100)


def build_memory(catalogs: Iterable[tuple[str, Catalog]]) -> TranslationMemory:
    """A memory of the given (origin, catalog) pairs, first origin winning for a repeated text."""
    memory = TranslationMemory()
    for origin, po in catalogs:
        memory.add_catalog(po, origin)
    return memory


# --- the sqlite memory -----------------------------------------------------------------------------------------

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS catalogs (origin TEXT PRIMARY KEY, digest TEXT);
CREATE TABLE IF NOT EXISTS texts (id INTEGER PRIMARY KEY, hkey INTEGER NOT NULL, msgctxt TEXT, msgid TEXT NOT NULL,
                                  length INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS texts_by_key ON texts (hkey);
CREATE TABLE IF NOT EXISTS occurrences (text INTEGER NOT NULL, tier INTEGER NOT NULL, origin TEXT NOT NULL,
                                        pos INTEGER NOT NULL, msgstr TEXT, msgid_plural TEXT, plural TEXT, refs TEXT);
CREATE INDEX IF NOT EXISTS occurrences_by_rank ON occurrences (text, tier, origin, pos);
CREATE INDEX IF NOT EXISTS occurrences_by_origin ON occurrences (origin);
CREATE TABLE IF NOT EXISTS vocab (id INTEGER PRIMARY KEY, word TEXT NOT NULL UNIQUE, df INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS postings (word INTEGER, length INTEGER, hkey INTEGER, text INTEGER,
                                     PRIMARY KEY (word, length, hkey, text)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS staged (origin TEXT, digest TEXT, entries TEXT, PRIMARY KEY (origin, digest));
"""
_TABLES = ("catalogs", "texts", "occurrences", "vocab", "postings", "staged", "meta")
#: Connections a forked process inherited: never used nor closed there (sqlite forbids both).
_INHERITED: list[sqlite3.Connection] = []
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@-]*")


def _hkey(msgctxt: str | None, msgid: str) -> int:
    """A 64-bit hash of (msgctxt, msgid): the content order of texts (equal keys are also compared in full)."""
    text = ("\x00" if msgctxt is None else "\x01" + msgctxt) + "\x04" + msgid
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


@lru_cache(maxsize=4096)
def _sketch(msgid: str) -> tuple[str, ...]:
    """The terms a text is found by: of its words and runs of three words, the ``SKETCH`` of smallest CRC-32.

    Remembered for a while: every locale indexes the same source texts, and a process filling several locales
    takes them article by article, all its locales together.
    """
    tokens = _WORD.findall(msgid.lower())
    terms = {t for t in tokens if len(t) > 2 or t.isdigit()}
    terms.update(map(" ".join, zip(tokens, tokens[1:], tokens[2:])))
    if len(terms) <= SKETCH:
        return tuple(sorted(terms))
    keyed = sorted(zip(map(zlib.crc32, map(str.encode, terms)), terms))  # (CRC-32 of its UTF-8, term)
    return tuple(sorted([t for _, t in keyed[:SKETCH]]))


#: Tiers of origins, consulted in this order: live articles' catalogs, orphans' (renamed articles), imported memory.
ARTICLE_TIER, ORPHAN_TIER, IMPORTED_TIER = 0, 1, 2


def _tier(origin: str) -> int:
    """The tier of an origin that does not say its own: an article's catalog, or imported memory."""
    return IMPORTED_TIER if origin == IMPORTED else ARTICLE_TIER


_T = TypeVar("_T")


def _chunks(items: list[_T], size: int = _BATCH) -> Iterator[list[_T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def locale_file(folder: Path, locale: str) -> Path:
    """The file of a memory folder that holds one locale's memory."""
    name = locale if _SAFE_NAME.fullmatch(locale) else hashlib.blake2b(locale.encode(), digest_size=8).hexdigest()
    return folder / f"{name}.sqlite"


def _remove_database(path: Path) -> None:
    """Delete a sqlite file with its journal, log and shared-memory files."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _connect(path: Path, mode: str) -> sqlite3.Connection:
    """A connection to a file: "cache" (WAL, kept), "temporary" (no journal on disk) or "readonly"."""
    if mode == "readonly":
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None, timeout=30)
    if mode == "cache":
        return connect_cache(path)
    db = sqlite3.connect(path, isolation_level=None, timeout=30)
    db.execute("PRAGMA journal_mode = MEMORY")
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA secure_delete = OFF")
    return db


def _open_writable(path: Path, mode: str, fingerprint: str) -> sqlite3.Connection:
    """A read-write connection to a locale's file, made anew when made by other code; OSError or
    sqlite3.DatabaseError when it cannot be had."""
    for attempt in (1, 2):
        db = None
        try:
            db = _connect(path, mode)
            db.executescript(_SCHEMA)
            row = db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
            if row is None:  # a new file (or one never finished): nothing in it is trusted
                db.execute("BEGIN IMMEDIATE")
                for table in _TABLES:
                    db.execute(f"DELETE FROM {table}")
                db.execute("INSERT INTO meta VALUES ('fingerprint', ?)", (fingerprint,))
                db.execute("COMMIT")
            elif row[0] != fingerprint:
                raise sqlite3.DatabaseError("made by other code or another configuration")
            return db
        except (sqlite3.DatabaseError, OSError):  # foreign, corrupt, not a database, or not writable
            if db is not None:
                db.close()
            if attempt == 2:
                raise
            _remove_database(path)
    raise AssertionError("unreachable")


def _open_readonly(path: Path, fingerprint: str) -> sqlite3.Connection | None:
    """A read-only connection to a locale's file; None unless it exists and was made by this code."""
    if not path.is_file():
        return None
    try:
        db = _connect(path, "readonly")
        row = db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
    except (sqlite3.DatabaseError, OSError):
        return None
    if row is None or row[0] != fingerprint:
        db.close()
        return None
    return db


class MemoryIndex:
    """Every locale's translation memory in a folder, one sqlite file a locale (see :func:`locale_file`), each
    kept catalog by catalog and written by one process at a time; locales' files are opened on first use."""

    def __init__(self, path: Path, *, mode: str, fingerprint: str, temporary: bool = False,
                 writer: bool = False, cache_kib: int = _FILE_CACHE_KIB) -> None:
        self.path, self._mode, self._fingerprint, self._temporary = path, mode, fingerprint, temporary
        self._writer, self._cache_kib = writer, cache_kib
        self._files: dict[str, _LocaleFile | None] = {}
        self._batch: list[_LocaleFile] | None = None    # the files changed in the running batch

    @classmethod
    def open(cls, path: Path, *, fingerprint: str, locales: Iterable[str] = ()) -> MemoryIndex | None:
        """The memory folder of a cache, each locale's file (``locales``: opened now) made anew when made by other
        code; None when one cannot be had."""
        try:
            path.mkdir(parents=True, exist_ok=True)
            made = cls(path, mode="cache", fingerprint=fingerprint)
            for locale in locales:
                made._file(locale)
        except (sqlite3.DatabaseError, OSError):
            return None
        return made

    @classmethod
    def open_readonly(cls, path: Path, *, fingerprint: str) -> MemoryIndex | None:
        """The memory folder of a cache, to read from only (a locale without a file made by this code holds
        nothing); None unless the folder exists."""
        return cls(path, mode="readonly", fingerprint=fingerprint) if path.is_dir() else None

    @classmethod
    def temporary(cls) -> MemoryIndex:
        """An empty memory in a temporary folder, deleted on :meth:`close`."""
        return cls(Path(tempfile.mkdtemp(prefix="l10n-memory-")), mode="temporary", fingerprint="temporary",
                   temporary=True)

    def reopen(self, *, files: int = 1) -> MemoryIndex:
        """Another index on the same folder, through connections of its own with a large page cache (shared out
        among the ``files`` locale files it is to fill): for the process that fills it."""
        return MemoryIndex(self.path, mode=self._mode, fingerprint=self._fingerprint, writer=True,
                           cache_kib=max(_FILE_CACHE_KIB, _WRITER_CACHE_KIB // max(1, files)))

    def _file(self, locale: str) -> _LocaleFile:
        """The locale's file, opened on first use (an empty one when it has none to read)."""
        found = self._files.get(locale)
        if found is None:
            path = locale_file(self.path, locale)
            db = _open_readonly(path, self._fingerprint) if self._mode == "readonly" else \
                _open_writable(path, self._mode, self._fingerprint)
            if db is not None and self._mode != "readonly":  # a size in KiB (negative), not in pages
                db.execute(f"PRAGMA cache_size = {-self._cache_kib}")
            found = self._files[locale] = _LocaleFile(path, db, sole=self._writer)
        if self._batch is not None and found not in self._batch and found.db is not None:
            found.db.execute("BEGIN IMMEDIATE")
            found.batched = True
            self._batch.append(found)
        return found

    def shrink(self) -> None:
        """Give back the memory this process's connections hold (their page caches), as before forking children."""
        for opened in self._files.values():
            if opened is not None and opened.db is not None:
                opened.db.execute("PRAGMA shrink_memory")

    def close(self) -> None:
        """Close the files (and delete the folder if temporary)."""
        for opened in self._files.values():
            if opened is not None and opened.db is not None:
                opened.db.close()
        self._files.clear()
        if self._temporary:
            shutil.rmtree(self.path, ignore_errors=True)

    def lookup(self, locale: str) -> MemoryStore:
        """The memory of one locale, to query (from this process or from forked ones)."""
        return MemoryStore(self._file(locale).path, locale)

    # --- what it holds ------------------------------------------------------------------------------------------
    def catalogs(self, locale: str) -> dict[str, str | None]:
        """origin -> hash of the catalog whose translations are indexed for the locale."""
        return self._file(locale).catalogs()

    def known(self, locale: str) -> set[tuple[str, str]]:
        """(origin, catalog hash) of every catalog whose translations it holds, indexed or staged."""
        return self._file(locale).known()

    def entries(self, locale: str, origin: str, digest: str) -> list[MemoryEntry] | None:
        """The translations of the catalog with this hash, if it holds them (indexed or staged)."""
        return self._file(locale).entries(origin, digest)

    # --- writing ------------------------------------------------------------------------------------------------
    def stage(self, locale: str, origin: str, digest: str, entries: list[MemoryEntry]) -> None:
        """Keep a catalog's translations aside, by its hash, without touching what lookups see."""
        self._file(locale).stage(origin, digest, entries)

    def drop_staged(self, locale: str, keep: dict[str, str | None]) -> None:
        """Forget staged translations of the locale but those of the catalogs named in ``keep`` (origin -> hash)."""
        self._file(locale).drop_staged(keep)

    def keep_only(self, locale: str, origins: Iterable[str]) -> None:
        """Remove the catalogs of the locale not named in ``origins``."""
        wanted = set(origins)
        for origin in sorted(set(self.catalogs(locale)) - wanted):
            self.replace(locale, origin, None, [], remove=True)

    def replace(self, locale: str, origin: str, digest: str | None, entries: Iterable[MemoryEntry], *,
                remove: bool = False, tier: int | None = None) -> None:
        """Put a catalog's translations in place of what the locale held for its origin (all or nothing).

        ``tier`` ranks the origin among the others (default: an article's catalog, or imported memory).
        """
        self._file(locale).replace(origin, digest, entries, remove=remove, tier=_tier(origin) if tier is None else tier)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """One transaction (in each locale's file) around several changes: faster, and each committed state still
        has whole catalogs."""
        self._batch = []
        try:
            yield
            for opened in self._batch:
                opened.flush()
        except BaseException:
            for opened in self._batch:
                opened.forget()
                opened.batched = False
                cast(sqlite3.Connection, opened.db).execute("ROLLBACK")
            self._batch = None
            raise
        changed, self._batch = self._batch, None
        for opened in changed:
            opened.batched = False
            cast(sqlite3.Connection, opened.db).execute("COMMIT")


class _LocaleFile:
    """One locale's memory file: its connection (None: a read-only index without a usable file) and the word
    counts and postings not written yet.

    The process that fills a file (``sole``: no other connection writes it meanwhile) remembers the ids of the
    words and texts it met from one commit to the next; when the file started empty it knows every id, and
    asks the file for none (the bulk of a cold sync's fill).
    """

    def __init__(self, path: Path, db: sqlite3.Connection | None, *, sole: bool = False) -> None:
        self.path, self.db, self.sole = path, db, sole
        self.batched = False
        self._ids: dict[str, int] = {}                  # word ids met (since the last flush, unless sole)
        self._new: dict[str, int] = {}                  # words given an id, written with their count on flush
        self._next_word: int | None = None              # the id the next new word gets (None: ask the file)
        self._keys: dict[Key, int] | None = None        # the id of every text, when sole and known from empty
        self._all_words = False                         # whether _ids holds every word the file has
        self._df: Counter[int] = Counter()              # changes to word counts not written yet
        self._postings: Counter[tuple[int, int, int, int]] = Counter()   # postings to add (1) or delete (-1)

    def _rows(self, sql: str, params: tuple[object, ...] = ()) -> list[Any]:  # rows as sqlite3 gives them
        """The rows of a query ([] without a file)."""
        return self.db.execute(sql, params).fetchall() if self.db is not None else []

    def catalogs(self) -> dict[str, str | None]:
        """origin -> hash of the catalog whose translations are indexed."""
        return dict(self._rows("SELECT origin, digest FROM catalogs"))

    def _indexed(self, origin: str) -> str | None:
        """The hash of the catalog indexed for an origin, if any."""
        rows = self._rows("SELECT digest FROM catalogs WHERE origin = ?", (origin,))
        return cast("str | None", rows[0][0]) if rows else None

    def known(self) -> set[tuple[str, str]]:
        """(origin, catalog hash) of every catalog whose translations it holds, indexed or staged."""
        found = {(o, d) for o, d in self._rows("SELECT origin, digest FROM catalogs") if d is not None}
        found.update((o, d) for o, d in self._rows("SELECT origin, digest FROM staged"))
        return found

    def entries(self, origin: str, digest: str) -> list[MemoryEntry] | None:
        """The translations of the catalog with this hash, if it holds them (indexed or staged)."""
        rows = self._rows("SELECT entries FROM staged WHERE origin = ? AND digest = ?", (origin, digest))
        if rows:
            return decode_entries(rows[0][0], origin)
        if self._indexed(origin) != digest:
            return None
        return [_entry(row, origin, position) for *row, position in self._rows(
            "SELECT t.msgctxt, t.msgid, o.msgstr, o.msgid_plural, o.plural, o.refs, o.pos FROM occurrences o "
            "JOIN texts t ON t.id = o.text WHERE o.origin = ? ORDER BY o.pos", (origin,))]

    def _writable(self) -> sqlite3.Connection:
        if self.db is None:
            raise sqlite3.OperationalError(f"{self.path}: no memory file to write")
        return self.db

    def stage(self, origin: str, digest: str, entries: list[MemoryEntry]) -> None:
        """Keep a catalog's translations aside, by its hash, without touching what lookups see."""
        if self._indexed(origin) == digest:
            return
        self._writable().execute("INSERT OR REPLACE INTO staged VALUES (?, ?, ?)",
                                 (origin, digest, encode_entries(entries)))

    def drop_staged(self, keep: dict[str, str | None]) -> None:
        """Forget staged translations but those of the catalogs named in ``keep`` (origin -> hash)."""
        gone = [(o, d) for o, d in self._rows("SELECT origin, digest FROM staged") if keep.get(o) != d]
        if gone:
            self._writable().executemany("DELETE FROM staged WHERE origin = ? AND digest = ?", gone)

    def replace(self, origin: str, digest: str | None, entries: Iterable[MemoryEntry], *, remove: bool,
                tier: int) -> None:
        """Put a catalog's translations in place of what the file held for its origin (all or nothing).

        Only the occurrences that differ are written: a catalog replaced after a few of its units changed keeps
        the rows of the others (and their texts, words and postings) as they are. An occurrence is ordered in its
        catalog by its entry's :attr:`~MemoryEntry.position` when every entry says one, else by its place in
        ``entries``.
        """
        db = self._writable()
        db.execute("SAVEPOINT replace_catalog")
        try:
            listed = list(entries)
            positions = [e.position for e in listed]
            if any(p < 0 for p in positions) or any(a >= b for a, b in zip(positions, positions[1:])):
                positions = list(range(len(listed)))
            wanted: dict[Key, tuple[object, ...]] = {}  # key -> the rest of its occurrence row
            for pos, e in zip(positions, listed):
                if e.msgid and e.key not in wanted:
                    wanted[e.key] = (tier, origin, pos, e.msgstr, e.msgid_plural, _json(e.msgstr_plural),
                                     _json(e.references))
            held = {(msgctxt, msgid): (text, tuple(rest)) for text, msgctxt, msgid, *rest in db.execute(
                "SELECT o.text, t.msgctxt, t.msgid, o.tier, o.origin, o.pos, o.msgstr, o.msgid_plural, o.plural, "
                "o.refs FROM occurrences o JOIN texts t ON t.id = o.text WHERE o.origin = ?", (origin,))}
            changed = [key for key, row in wanted.items() if key not in held or held[key][1] != row]
            stale = [text for key, (text, row) in held.items() if wanted.get(key) != row]
            db.executemany("DELETE FROM occurrences WHERE text = ? AND origin = ?", [(t, origin) for t in stale])
            fresh: list[tuple[int, str, int]] = []
            ids = self._texts(changed, fresh) if changed else {}
            rows = [(ids[key], *wanted[key]) for key in changed]
            db.executemany("INSERT INTO occurrences VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
            self._add_words(fresh)
            if stale:
                self._drop_orphans(set(stale) - {row[0] for row in rows})
            if remove:
                db.execute("DELETE FROM catalogs WHERE origin = ?", (origin,))
            else:
                db.execute("INSERT OR REPLACE INTO catalogs VALUES (?, ?)", (origin, digest))
                db.execute("DELETE FROM staged WHERE origin = ? AND digest = ?", (origin, digest))
            db.execute("INSERT INTO meta VALUES ('generation', 1) "
                       "ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1")
            if not self.batched:
                self.flush()
            db.execute("RELEASE replace_catalog")
        except BaseException:
            self.forget()
            db.execute("ROLLBACK TO replace_catalog")
            db.execute("RELEASE replace_catalog")
            raise

    def flush(self) -> None:
        """Write the pending word counts, forgetting words no text holds any more."""
        db = self._writable()
        postings = self._postings.items()  # in key order, as the table keeps them: (rows only: sorting is faster)
        gone = sorted(row for row, n in postings if n < 0)
        if gone:
            db.executemany("DELETE FROM postings WHERE word = ? AND length = ? AND hkey = ? AND text = ?", gone)
        db.executemany("INSERT INTO postings VALUES (?, ?, ?, ?)", sorted(row for row, n in postings if n > 0))
        df = self._df
        added = [(i, word, df.pop(i, 0)) for word, i in self._new.items()]  # new words: written with their count
        db.executemany("INSERT INTO vocab (id, word, df) VALUES (?, ?, ?)", [row for row in added if row[2] > 0])
        changed = sorted(df.items())
        db.executemany("UPDATE vocab SET df = df + ? WHERE id = ?", [(n, i) for i, n in changed])
        emptied = [(i,) for i, n in changed if n <= 0]
        if emptied:
            db.executemany("DELETE FROM vocab WHERE id = ? AND df <= 0", emptied)
        self._new.clear()
        self._df.clear()
        self._postings.clear()
        if emptied or not self.sole or any(row[2] <= 0 for row in added):  # ids that may be gone: the file says
            self._forget_ids()

    def forget(self) -> None:
        """Drop what was not written yet (with a rollback)."""
        self._new.clear()
        self._df.clear()
        self._postings.clear()
        self._forget_ids()
        self._keys = None

    def _forget_ids(self) -> None:
        self._ids.clear()
        self._next_word = None
        self._all_words = False

    def _texts(self, keys: list[Key], fresh: list[tuple[int, str, int]]) -> dict[Key, int]:
        """The ids of texts, added (and listed in ``fresh``) when new."""
        db = self._writable()
        hkeys = {key: _hkey(*key) for key in keys}
        first = self._next_id("texts")
        if self.sole and self._keys is None and first == 1:
            self._keys = {}  # from empty, this process gives every id
        known = self._keys
        found: dict[Key, int] = {}
        if known is not None:
            found.update((key, known[key]) for key in keys if key in known)
        elif first > 1:  # an empty file has none of them
            for chunk in _chunks(sorted(set(hkeys.values()))):
                marks = ",".join("?" * len(chunk))
                found.update(((msgctxt, msgid), text) for text, msgctxt, msgid in db.execute(
                    f"SELECT id, msgctxt, msgid FROM texts WHERE hkey IN ({marks})", chunk))
        new = [key for key in dict.fromkeys(keys) if key not in found]
        if new:  # one statement for all: ids given as SQLite would (after the largest), this being the one writer
            rows = [(first + n, hkeys[key], key[0], key[1], len(key[1])) for n, key in enumerate(new)]
            db.executemany("INSERT INTO texts (id, hkey, msgctxt, msgid, length) VALUES (?, ?, ?, ?, ?)", rows)
            for (text, hkey, _, msgid, _), key in zip(rows, new):
                found[key] = text
                fresh.append((text, msgid, hkey))
            if known is not None:
                known.update(zip(new, (row[0] for row in rows)))
        return found

    def _next_id(self, table: str) -> int:
        """The id SQLite would give the next row of ``table`` (its largest id plus one)."""
        row = self._writable().execute(f"SELECT max(id) FROM {table}").fetchone()
        return (row[0] or 0) + 1

    def _word_ids(self, words: Iterable[str]) -> dict[str, int]:
        """Ids of words, added (in no text yet) when new."""
        ids = self._ids
        wanted = set(words)
        missing = sorted(w for w in wanted if w not in ids)
        if not missing:
            return ids
        if self._next_word is None:
            self._next_word = self._next_id("vocab")
            self._all_words = self._next_word == 1 and not ids  # an empty vocabulary: every word will be met here
        if not self._all_words:
            db = self._writable()
            for chunk in _chunks(missing):
                marks = ",".join("?" * len(chunk))
                ids.update((w, i) for i, w in db.execute(f"SELECT id, word FROM vocab WHERE word IN ({marks})", chunk))
        following = self._next_word
        for word in missing:  # ids given as SQLite would (after the largest), this being the one writer
            if word not in ids:
                ids[word] = self._new[word] = following
                following += 1
        self._next_word = following
        return ids

    def _posting_rows(self, texts: list[tuple[int, str, int]]) -> list[tuple[int, int, int, int]]:
        """(word id, length, hkey, text) for every term of the sketch of each (text, msgid, hkey)."""
        split = [(text, msgid, hkey, _sketch(msgid)) for text, msgid, hkey in texts]
        ids = self._word_ids(w for *_, words in split for w in words)
        return [(ids[w], len(msgid), hkey, text) for text, msgid, hkey, words in split for w in words]

    def _add_words(self, fresh: list[tuple[int, str, int]]) -> None:
        """Index new texts by their words, counting in how many texts each word is."""
        rows = self._posting_rows(fresh)
        self._df.update(row[0] for row in rows)
        self._postings.update(rows)

    def _drop_orphans(self, candidates: set[int]) -> None:
        """Delete the texts no catalog uses any more, with their words."""
        db = self._writable()
        orphans = [row for text in sorted(candidates) for row in db.execute(
            "SELECT id, msgid, hkey, msgctxt FROM texts WHERE id = ? AND NOT EXISTS "
            "(SELECT 1 FROM occurrences WHERE text = ?)", (text, text))]
        if not orphans:
            return
        rows = self._posting_rows([(text, msgid, hkey) for text, msgid, hkey, _ in orphans])
        self._df.subtract(row[0] for row in rows)
        self._postings.subtract(rows)
        db.executemany("DELETE FROM texts WHERE id = ?", [(text,) for text, *_ in orphans])
        if self._keys is not None:
            for _, msgid, _, msgctxt in orphans:
                del self._keys[(msgctxt, msgid)]


def _json(items: tuple[object, ...]) -> str:
    """A tuple as JSON ("" when empty, as most are)."""
    return json.dumps(items, ensure_ascii=False) if items else ""


def _entry(row: Sequence[Any], origin: str, position: int = -1) -> MemoryEntry:  # a row as sqlite3 gives it
    """A MemoryEntry from (msgctxt, msgid, msgstr, msgid_plural, plural JSON, references JSON)."""
    msgctxt, msgid, msgstr, plural_id, plural, refs = row
    return MemoryEntry(msgctxt, msgid, msgstr, plural_id or "",
                       tuple((int(k), v) for k, v in json.loads(plural)) if plural else (), origin,
                       tuple(json.loads(refs)) if refs else (), position)


class MemoryStore:
    """One locale's memory, its file of a :class:`MemoryIndex`, for lookups; each process opens its own connection."""

    def __init__(self, path: Path, locale: str) -> None:
        self.path, self.locale = path, locale
        self._db: sqlite3.Connection | None = None
        self._pid = 0
        self._version: object = _UNREAD   # the memory's generation when the rows below were read
        self._texts: dict[int, tuple[int, str | None, str]] = {}         # id -> (id, msgctxt, msgid)
        self._words: dict[str, tuple[int, str, int] | None] = {}       # word -> (df, word, id), None if absent
        self.read = 0          #: postings read by the last :meth:`similar`
        self.scored = 0        #: texts scored by the last :meth:`similar`

    def __getstate__(self) -> dict[str, object]:
        return {"path": self.path, "locale": self.locale}

    def __setstate__(self, state: dict[str, object]) -> None:
        type(self).__init__(self, cast(Path, state["path"]), cast(str, state["locale"]))  # as __getstate__ wrote

    def _conn(self) -> sqlite3.Connection:
        """This process's read-only connection (opened on first use, never one inherited through fork)."""
        if self._db is None or self._pid != os.getpid():
            if self._db is not None:
                _INHERITED.append(self._db)
            self._db = sqlite3.connect(f"{Path(self.path).resolve().as_uri()}?mode=ro", uri=True,
                                       isolation_level=None, timeout=30, check_same_thread=False)
            self._pid = os.getpid()
            self._version = _UNREAD  # rows remembered through another connection are not trusted
        return self._db

    def close(self) -> None:
        """Close this process's connection, if it opened one."""
        if self._db is not None and self._pid == os.getpid():
            self._db.close()
        self._db = None

    def __len__(self) -> int:
        found = self._conn().execute("SELECT count(*) FROM texts").fetchone()
        return cast(int, found[0])  # sqlite3 rows are untyped: count(*) is an int

    def __iter__(self) -> Iterator[MemoryEntry]:
        seen: set[int] = set()
        for text, *row in self._conn().execute(
                "SELECT o.text, t.msgctxt, t.msgid, o.msgstr, o.msgid_plural, o.plural, o.refs, o.origin "
                "FROM occurrences o JOIN texts t ON t.id = o.text ORDER BY o.tier, o.origin, o.pos"):
            if text not in seen:
                seen.add(text)
                yield _entry(tuple(row[:6]), row[6])

    def _winner(self, text: int) -> tuple[tuple[int, str, int], MemoryEntry]:
        """The occurrence of a text that wins (first origin), with its rank."""
        tier, origin, pos, *row = self._conn().execute(
            "SELECT o.tier, o.origin, o.pos, t.msgctxt, t.msgid, o.msgstr, o.msgid_plural, o.plural, o.refs "
            "FROM occurrences o JOIN texts t ON t.id = o.text WHERE o.text = ? "
            "ORDER BY o.tier, o.origin, o.pos LIMIT 1", (text,)).fetchone()
        return (tier, origin, pos), _entry(tuple(row), origin)

    def exact(self, key: Key) -> MemoryEntry | None:
        """The translation of exactly this (msgctxt, msgid), if any."""
        msgctxt, msgid = key
        row = self._conn().execute(
            "SELECT origin, msgstr, msgid_plural, plural, refs FROM occurrences WHERE text = "
            "(SELECT id FROM texts WHERE hkey = ? AND msgid = ? AND msgctxt IS ?) "
            "ORDER BY tier, origin, pos LIMIT 1", (_hkey(msgctxt, msgid), msgid, msgctxt)).fetchone()
        return _entry((msgctxt, msgid, *row[1:]), row[0]) if row is not None else None

    def _fresh(self) -> sqlite3.Connection:
        """This process's connection, the rows remembered from it dropped if the memory changed since they were read
        (its generation, which every replacement of a catalog advances; staging leaves it)."""
        db = self._conn()
        row = db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        version = row[0] if row is not None else None
        if version != self._version or len(self._texts) > _KEPT_ROWS or len(self._words) > _KEPT_ROWS:
            self._version = version
            self._texts.clear()
            self._words.clear()
        return db

    def _vocab(self, db: sqlite3.Connection, words: tuple[str, ...]) -> list[tuple[int, str, int]]:
        """(df, word, id) of the words the memory holds."""
        missing = [w for w in words if w not in self._words]
        if missing:
            marks = ",".join("?" * len(missing))
            found = {word: (df, word, i) for df, word, i in db.execute(
                f"SELECT df, word, id FROM vocab WHERE word IN ({marks})", missing)}
            self._words.update((w, found.get(w)) for w in missing)
        return [hit for w in words if (hit := self._words[w]) is not None]

    def candidates(self, msgid: str, threshold: float) -> list[tuple[int, str | None, str]]:
        """(id, msgctxt, msgid) of the texts worth scoring against ``msgid`` (see the module docstring)."""
        db, n = self._fresh(), len(msgid)
        low, high = length_window(n, threshold)
        chosen, budget = [], BUDGET
        for df, _, word in sorted(self._vocab(db, _sketch(msgid)))[:DISTINCTIVE_WORDS]:
            if budget < 2:
                break
            limit = min(POSTINGS, budget // 2)
            chosen.append((word, limit))
            budget -= 2 * min(df, limit)
        self.read = 0
        if not chosen:
            return []
        walk = ("SELECT * FROM (SELECT text, length, hkey FROM postings WHERE word = ? AND length BETWEEN ? AND ? "
                "ORDER BY length {0}, hkey {0} LIMIT ?)")
        union = " UNION ALL ".join(walk.format(order) for _ in chosen for order in ("ASC", "DESC"))
        params: list[object] = []
        for word, limit in chosen:
            params += [word, max(low, n), high, limit, word, low, min(high, n - 1), limit]
        met: Counter[tuple[int, int, int]] = Counter(db.execute(union, params).fetchall())
        self.read = met.total()
        ranked = sorted([(-count, abs(length - n), length, hkey, text) for (text, length, hkey), count in met.items()])
        ids = [row[4] for row in ranked[:MAX_CANDIDATES]]
        unknown = [text for text in ids if text not in self._texts]
        for chunk in _chunks(unknown):
            marks = ",".join("?" * len(chunk))
            self._texts.update((row[0], row) for row in db.execute(
                f"SELECT id, msgctxt, msgid FROM texts WHERE id IN ({marks})", chunk))
        return [self._texts[text] for text in ids]

    def similar(self, msgid: str, threshold: float) -> Match | None:
        """The most similar remembered text at or above ``threshold`` (0..1), or None."""
        self.read = self.scored = 0
        if not msgid:
            return None
        from rapidfuzz import fuzz, process  # at first use: a sync with nothing to do never scores

        texts = self.candidates(msgid, threshold)
        self.scored = len(texts)
        cutoff = threshold * 100
        scored: list[tuple[float, int, str, str, int]] = [
            (-score, len(other), other, texts[i][1] or "", texts[i][0])
            for other, score, i in process.extract(msgid, [text[2] for text in texts], scorer=fuzz.ratio,
                                                   score_cutoff=cutoff, limit=None)]
        if not scored:
            return None
        best = min(scored)[:4]
        tied = [self._winner(s[4]) for s in scored if s[:4] == best]
        return Match(min(tied, key=lambda t: t[0])[1], -best[0] / 100)
