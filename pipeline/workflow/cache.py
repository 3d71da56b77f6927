"""The incremental-sync cache (``.l10n-cache/state.sqlite``): what the last sync read and wrote.

A sync skips an article when its source, template, catalogs and outputs are byte for byte what the last sync
left (compared by content hash), the configuration and the pipeline's code are the same, and the translation
memory it could draw on has not changed (or it has nothing left that memory could fill). Beside it,
``.l10n-cache/memory/`` keeps the translation memory (:class:`pipeline.memory.store.MemoryIndex`, a file a
locale), catalog by catalog and by content hash, so that it is updated rather than rebuilt and unchanged catalogs
are not parsed again.

Nothing here is trusted blindly: a cache that does not open, has another schema, or was made by other code or
another configuration is thrown away and rebuilt; a file's hash is reused only while its size and
modification time are unchanged and were not too recent to tell (git's "racily clean" rule).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pipeline import __version__
from pipeline.core.cachedb import connect_cache
from pipeline.memory.store import MemoryIndex

SCHEMA = 4
_RACY_NS = 2_000_000_000
_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER, mtime INTEGER, digest TEXT);
CREATE TABLE IF NOT EXISTS articles (slug TEXT PRIMARY KEY, source TEXT, template TEXT);
CREATE TABLE IF NOT EXISTS outcomes (slug TEXT, locale TEXT, state TEXT, fallbacks TEXT, PRIMARY KEY (slug, locale));
CREATE TABLE IF NOT EXISTS generations (locale TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS staged_articles (slug TEXT PRIMARY KEY, source TEXT, template TEXT);
CREATE TABLE IF NOT EXISTS staged_outcomes (slug TEXT, locale TEXT, state TEXT, fallbacks TEXT,
                                            PRIMARY KEY (slug, locale));
CREATE TABLE IF NOT EXISTS layouts (digest TEXT PRIMARY KEY, layout BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS readings (digest TEXT PRIMARY KEY, reading BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS verdicts (key BLOB NOT NULL, slug TEXT NOT NULL, PRIMARY KEY (key, slug)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS verdicts_by_slug ON verdicts (slug);
"""
#: Every table of the schema (and the ``memory`` table schema 1 had), dropped when the cache is reset.
_ALL_TABLES = ("meta", "files", "articles", "outcomes", "generations", "staged_articles", "staged_outcomes",
               "layouts", "readings", "verdicts", "memory")


#: The cache's file in ``.l10n-cache/``.
STATE_FILE = "state.sqlite"


def code_fingerprint(config_bytes: bytes) -> str:
    """What every cached result depends on: schema, pipeline version and code, and ``l10n.yaml``."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(f"{SCHEMA}:{__version__}".encode())
    package = Path(__file__).resolve().parent.parent     # the whole pipeline package
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    digest.update(config_bytes)
    return digest.hexdigest()


@dataclass(slots=True)
class ArticleState:
    """What the last sync knew of an article."""

    source: str | None
    template: str | None
    locales: dict[str, dict[str, Any]]     # locale -> outcome state (JSON) (see :mod:`pipeline.workflow`)


@dataclass(slots=True)
class StagedArticle:
    """What a sync learnt of one article, set aside until the sync's changes are applied."""

    slug: str
    source: str | None
    template: str | None
    locales: list[tuple[str, str, str]]   #: (locale, state as JSON, fallback findings as JSON)


class Cache:
    """An open cache; every method degrades to "nothing known" rather than trust something doubtful."""

    def __init__(self, folder: Path, fingerprint: str, *, readonly: bool = False) -> None:
        self.path = folder / STATE_FILE
        self.fingerprint = fingerprint
        self.readonly = readonly
        self._stored: dict[str, tuple[int, int, str]] = {}          # path -> (size, mtime, hash) as stored
        self._read: dict[str, tuple[int, int, str]] = {}            # path -> (size, mtime, hash) when hashed
        self._racy = False     # a file's stored stat was too close to the last write to be trusted
        if readonly:
            self._db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
            row = self._db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
            if row is None or row[0] != fingerprint:
                self._db.close()
                raise sqlite3.DatabaseError("made by other code or another configuration")
            return
        folder.mkdir(parents=True, exist_ok=True)
        self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        for attempt in (1, 2):
            try:
                db = connect_cache(self.path)
                db.executescript(_TABLES)
                row = db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
                if row is None or row[0] != self.fingerprint:
                    self._reset(db)
                db.execute("DELETE FROM staged_articles")  # set aside by a run that did not finish
                db.execute("DELETE FROM staged_outcomes")
                return db
            except sqlite3.DatabaseError:  # corrupt, or not a database at all: start again
                try:
                    db.close()
                except Exception:  # noqa: BLE001 - closing a broken handle
                    pass
                for suffix in ("", "-journal", "-wal", "-shm"):
                    Path(f"{self.path}{suffix}").unlink(missing_ok=True)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _reset(self, db: sqlite3.Connection) -> None:
        """Start again with empty tables of this schema (an older one may have had other columns)."""
        db.execute("BEGIN")
        for table in _ALL_TABLES:
            db.execute(f"DROP TABLE IF EXISTS {table}")
        db.execute("COMMIT")
        db.executescript(_TABLES)
        db.execute("BEGIN")
        db.execute("INSERT INTO meta VALUES ('fingerprint', ?)", (self.fingerprint,))
        db.execute("INSERT INTO meta VALUES ('written', ?)", (str(time.time_ns()),))
        db.execute("COMMIT")

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    # --- file hashes ---------------------------------------------------------------------------------
    def file_digests(self, paths: Iterable[Path], digest_of: Callable[[Path], str | None]) -> dict[str, str]:
        """Content hash of each path that exists (by its string), reusing stored hashes of files whose stat is
        unchanged; absent files are left out. Each hash is kept with the stat it was taken under, for
        :meth:`remember_files`."""
        self._stored = {row[0]: row[1:] for row in self._db.execute("SELECT path, size, mtime, digest FROM files")}
        written = int(self._meta("written") or 0)
        found: dict[str, str] = {}
        for path in paths:
            try:
                stat = path.stat()
            except (FileNotFoundError, NotADirectoryError):
                continue
            name = str(path)
            row = self._stored.get(name)
            if row and row[0] == stat.st_size and row[1] == stat.st_mtime_ns and stat.st_mtime_ns < written - _RACY_NS:
                found[name] = row[2]
            else:
                self._racy = self._racy or bool(row and row[:2] == (stat.st_size, stat.st_mtime_ns))
                hashed = digest_of(path)
                if hashed is not None:
                    found[name] = hashed
            if name in found:
                self._read[name] = (stat.st_size, stat.st_mtime_ns, found[name])
        return found

    def remember_files(self, paths: Iterable[Path], digest_of: Callable[[Path], str | None],
                       written: set[str]) -> None:
        """Store the stat and hash of the files the run read or wrote (``written``: the paths it wrote, by their
        string): a file it only read keeps the stat its hash was taken under, so an edit made while the run was
        going is found by the next one. Nothing is written when nothing changed (a sync with nothing to do)."""
        rows = []
        for path in paths:
            name = str(path)
            read = self._read.get(name)
            if name not in written and read is not None and read[2] == digest_of(path):
                size, mtime, hashed = read
            else:
                try:
                    stat = path.stat()
                except (FileNotFoundError, NotADirectoryError):
                    continue
                size, mtime, new = stat.st_size, stat.st_mtime_ns, digest_of(path)
                if new is None:
                    continue
                hashed = new
            if self._stored.get(name) != (size, mtime, hashed):
                rows.append((name, size, mtime, hashed))
        if not rows and not self._racy:
            return
        self._db.execute("BEGIN")
        self._db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)", rows)
        self._db.execute("UPDATE meta SET value = ? WHERE key = 'written'", (str(time.time_ns()),))
        self._db.execute("COMMIT")

    def _meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    # --- articles ------------------------------------------------------------------------------------
    def articles(self, *, fallbacks: bool = False) -> dict[str, ArticleState]:
        """Every article the last sync processed; with ``fallbacks``, each state's ``fallback_findings`` too."""
        states = {slug: ArticleState(source, template, {})
                  for slug, source, template in self._db.execute("SELECT slug, source, template FROM articles")}
        column = "fallbacks" if fallbacks else "NULL"
        for slug, locale, state, found in self._db.execute(f"SELECT slug, locale, state, {column} FROM outcomes"):
            if slug in states:
                states[slug].locales[locale] = decoded = json.loads(state)
                if found is not None:
                    decoded["fallback_findings"] = json.loads(found)
        return states

    def template_of(self, slug: str) -> str | None:
        """The hash of the template the last sync left for an article, if it recorded the article."""
        row = self._db.execute("SELECT template FROM articles WHERE slug = ?", (slug,)).fetchone()
        return row[0] if row is not None else None

    def slugs(self) -> set[str]:
        """The articles the cache knows."""
        return {slug for slug, in self._db.execute("SELECT slug FROM articles")}

    def generations(self) -> dict[str, str]:
        """Each locale's memory generation as the last sync left it."""
        return dict(self._db.execute("SELECT locale, value FROM generations"))

    def open_memory(self, locales: Iterable[str] = ()) -> MemoryIndex | None:
        """The cache's translation memory (read-only if the cache is; ``locales``: their files opened now); None
        when it cannot be used. The single file earlier versions kept every locale in is removed."""
        path = self.path.parent / "memory"
        if self.readonly:
            return MemoryIndex.open_readonly(path, fingerprint=self.fingerprint)
        for suffix in ("", "-journal", "-wal", "-shm"):
            try:
                (self.path.parent / f"memory.sqlite{suffix}").unlink(missing_ok=True)
            except OSError:
                pass  # a folder of that name, or no right to: it is never read
        return MemoryIndex.open(path, fingerprint=self.fingerprint, locales=locales)

    def stage(self, articles: Iterable[StagedArticle]) -> None:
        """Set aside what a running sync learnt of these articles (one transaction); see :meth:`store`."""
        db = self._db
        db.execute("BEGIN")
        for article in articles:
            db.execute("INSERT OR REPLACE INTO staged_articles VALUES (?, ?, ?)",
                       (article.slug, article.source, article.template))
            db.executemany("INSERT OR REPLACE INTO staged_outcomes VALUES (?, ?, ?, ?)",
                           [(article.slug, *row) for row in article.locales])
        db.execute("COMMIT")

    # --- layouts of the PO files a sync wrote ----------------------------------------------------------
    def _rows_in(self, query: str, values: Iterable[object]) -> Iterator[tuple[Any, ...]]:
        """The rows of ``query`` (ending in ``IN``) for the distinct ``values``, a few hundred at a time."""
        wanted = list(dict.fromkeys(values))
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            yield from self._db.execute(f"{query} ({','.join('?' * len(chunk))})", chunk)

    def layouts(self, digests: Iterable[str]) -> dict[str, bytes]:
        """The layout (``po.files.format_po_reusing``) of each PO or POT text a sync wrote, by its content hash,
        of those asked that the cache has."""
        return dict(self._rows_in("SELECT digest, layout FROM layouts WHERE digest IN", digests))

    def keep_layouts(self, layouts: dict[str, bytes], *, only: set[str]) -> None:
        """Add layouts (content hash -> layout) and forget every other one but those of ``only`` (hashes of the
        files as a sync left them). Keyed by content, a layout claims nothing about the files on disk."""
        self._keep_by_content("layouts", layouts, only=only)

    def _keep_by_content(self, table: str, values: dict[str, bytes], *, only: set[str]) -> None:
        """Add ``values`` (content hash -> blob) to a table of such, and forget every row but those of ``only``."""
        db = self._db
        db.execute("BEGIN")
        db.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)", sorted(values.items()))
        gone = [(hashed,) for hashed, in db.execute(f"SELECT digest FROM {table}") if hashed not in only]
        db.executemany(f"DELETE FROM {table} WHERE digest = ?", gone)
        db.execute("COMMIT")

    # --- what the checks need of the sources a sync segmented ----------------------------------------------
    def keep_readings(self, readings: dict[str, bytes], *, only: set[str]) -> None:
        """Add readings of sources (``html.reading.encode_reading``, by the source's content hash) and forget
        every other one but those of ``only`` (hashes of the files as a sync left them)."""
        self._keep_by_content("readings", readings, only=only)

    def reading(self, digest: str) -> bytes | None:
        """The reading kept of the source whose content has this hash, or None."""
        row = self._db.execute("SELECT reading FROM readings WHERE digest = ?", (digest,)).fetchone()
        return row[0] if row is not None else None

    # --- translations found without a problem -----------------------------------------------------------
    def keep_verdicts(self, articles: list[tuple[str, list[bytes]]]) -> None:
        """Record, per article, the keys (``text.verdict.verdict_key``) of the translations its build found
        without a problem, in place of those recorded before. Keyed by content, they claim nothing about the files
        on disk; by article only so that they are forgotten with it.

        Only the difference is written: an article rebuilt after a few of its units changed keeps most of its keys.
        """
        db = self._db
        db.execute("BEGIN")
        for slug, keys in articles:
            wanted = set(keys)
            held = {key for key, in db.execute("SELECT key FROM verdicts WHERE slug = ?", (slug,))}
            db.executemany("DELETE FROM verdicts WHERE key = ? AND slug = ?",
                           [(key, slug) for key in sorted(held - wanted)])
            db.executemany("INSERT INTO verdicts VALUES (?, ?)", [(key, slug) for key in sorted(wanted - held)])
        db.execute("COMMIT")

    def clean_verdicts(self, keys: Iterable[bytes], *, article: str | None = None) -> set[bytes]:
        """Those of ``keys`` (``text.verdict.verdict_key``) some article's build found without a problem.

        The records of ``article`` are read first, in one scan of its index: they hold almost all of the keys of
        its own translations; only the others are looked up one by one.
        """
        wanted = set(keys)
        found: set[bytes] = set()
        if article is not None:
            found = {key for key, in self._db.execute("SELECT key FROM verdicts WHERE slug = ?", (article,))}
            found &= wanted
        rest = wanted - found
        if rest:
            found |= {key for key, in self._rows_in("SELECT DISTINCT key FROM verdicts WHERE key IN", sorted(rest))}
        return found

    def store(self, *, forget: Iterable[str], generations: dict[str, str]) -> None:
        """Record the outcome of a sync (one transaction): the staged articles replace what was known of them,
        the forgotten ones are dropped."""
        db = self._db
        db.execute("BEGIN")
        db.executemany("DELETE FROM articles WHERE slug = ?", [(slug,) for slug in forget])
        db.executemany("DELETE FROM outcomes WHERE slug = ?", [(slug,) for slug in forget])
        db.executemany("DELETE FROM verdicts WHERE slug = ?", [(slug,) for slug in forget])
        db.execute("INSERT OR REPLACE INTO articles SELECT slug, source, template FROM staged_articles")
        db.execute("INSERT OR REPLACE INTO outcomes SELECT slug, locale, state, fallbacks FROM staged_outcomes")
        db.execute("DELETE FROM staged_articles")
        db.execute("DELETE FROM staged_outcomes")
        for locale, value in generations.items():
            db.execute("INSERT OR REPLACE INTO generations VALUES (?, ?)", (locale, value))
        db.execute("COMMIT")


def open_cache(root: Path, config_bytes: bytes, *, readonly: bool = False) -> Cache | None:
    """The project's cache, or None when it cannot be used (none yet for reading, a read-only folder...).

    ``readonly`` opens it for a run that writes nothing (status, check): a foreign or stale cache is then
    simply not used, rather than reset.
    """
    folder = root / ".l10n-cache"
    if readonly and not (folder / STATE_FILE).is_file():
        return None
    try:
        return Cache(folder, code_fingerprint(config_bytes), readonly=readonly)
    except (sqlite3.Error, OSError):
        return None


_T = TypeVar("_T")


class SyncRecords:
    """What the last sync recorded for the checks, read through a read-only :class:`Cache` of this process's own
    (opened on first use: never one inherited through fork): the verdicts of its builds
    (:meth:`Cache.keep_verdicts`), its readings of the sources (:meth:`Cache.keep_readings`) and the templates
    it left (:meth:`Cache.template_of`). Nothing is known when the cache does not open or was made by other code
    or another configuration."""

    def __init__(self, folder: Path | str, fingerprint: str) -> None:
        self.folder, self.fingerprint = Path(folder), fingerprint
        self._cache: Cache | None = None
        self._pid = 0

    def _ask(self, question: Callable[[Cache], _T], unknown: _T) -> _T:
        """``question``'s answer from this process's cache; ``unknown`` when the cache cannot say."""
        try:
            if self._pid != os.getpid():
                self._pid, self._cache = os.getpid(), None
                self._cache = Cache(self.folder, self.fingerprint, readonly=True)
            return question(self._cache) if self._cache is not None else unknown
        except sqlite3.Error:
            return unknown

    def clean(self, keys: Iterable[bytes], *, article: str | None = None) -> set[bytes]:
        """Those of ``keys`` some article's build found without a problem (none when the cache cannot say);
        ``article``: the slug whose build most likely recorded them."""
        return self._ask(lambda cache: cache.clean_verdicts(keys, article=article), set())

    def parsed_template(self, slug: str, digest: str) -> bool:
        """Whether the last sync recorded the article with a template of these bytes (a recorded article had no
        error: its template parsed); False when the cache cannot say."""
        return self._ask(lambda cache: cache.template_of(slug) == digest, False)

    def reading(self, digest: str) -> bytes | None:
        """The sync's reading of the source whose bytes have this hash (None when the cache cannot say)."""
        return self._ask(lambda cache: cache.reading(digest), None)
