"""What checks keep between runs in ``.l10n-cache/``: answers by key, in a small database per kind.

A check whose answer for some input is costly (the Korean analyser's tokens for a text, the ``page`` verdict on
an output; the runner's report on a whole article, :mod:`pipeline.checks.reuse`) keeps it by a key that names everything the answer depends on, in a database made for one
``identity`` (the code, the configuration or the analyser the answers come from). Nothing here changes a
finding: a database that does not open, has another schema or was made for another identity is thrown away
and rebuilt; an answer that does not decode is computed again and replaced. Writing is best effort (a
read-only checkout simply keeps nothing). Each process opens its own connection (the workers of a check are
forked) and writes the answers it computed in one transaction per :meth:`KeptAnswers.flush`.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from pipeline.core.cachedb import connect_cache

_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class KeptAnswers:
    """The answers kept for one identity (read when opened), and the new ones, written where the database can be."""

    def __init__(self, path: Path | None, identity: str, known: dict[str, str], *, fresh: bool) -> None:
        self.path = path
        self.identity = identity
        self.fresh = fresh                 #: made (or rebuilt) by this run: it knows nothing yet
        self._known = known                # key -> answer as stored
        self._pending: dict[str, str] = {}
        self._db: sqlite3.Connection | None = None
        self._pid = 0

    @classmethod
    def open(cls, folder: Path | None, name: str, identity: str) -> "KeptAnswers":
        """The answers kept in ``folder/name`` (``.l10n-cache/...``) for this identity; an empty store that
        keeps nothing when ``folder`` is None or cannot be written."""
        if folder is None:
            return cls(None, identity, {}, fresh=True)
        path = folder / name
        for attempt in (1, 2):
            try:
                folder.mkdir(parents=True, exist_ok=True)
                db = connect_cache(path, timeout=10)
                try:
                    db.executescript(_TABLES)
                    row = db.execute("SELECT value FROM meta WHERE key = 'identity'").fetchone()
                    fresh = row is None or row[0] != identity
                    if fresh:
                        db.execute("BEGIN IMMEDIATE")
                        db.execute("DELETE FROM answers")
                        db.execute("INSERT OR REPLACE INTO meta VALUES ('identity', ?)", (identity,))
                        db.execute("COMMIT")
                    known = dict(db.execute("SELECT key, value FROM answers"))
                finally:
                    db.close()
                return cls(path, identity, known, fresh=fresh)
            except sqlite3.DatabaseError:   # corrupt, or not a database at all: start again
                for suffix in ("", "-journal", "-wal", "-shm"):
                    try:
                        Path(f"{path}{suffix}").unlink(missing_ok=True)
                    except OSError:
                        break
                if attempt == 2:
                    break
            except (sqlite3.Error, OSError):  # locked too long, read-only: keep nothing
                break
        return cls(None, identity, {}, fresh=True)

    def get(self, key: str) -> str | None:
        """The answer kept (or put in this run) for ``key``, as stored; None when there is none."""
        found = self._pending.get(key)
        return found if found is not None else self._known.get(key)

    def put(self, key: str, value: str) -> None:
        """Keep an answer, written at the next :meth:`flush`."""
        self._pending[key] = value

    def flush(self) -> None:
        """Write the answers computed since the last flush (best effort: a failure keeps them unwritten)."""
        if not self._pending or self.path is None:
            self._pending.clear()
            return
        rows = list(self._pending.items())
        try:
            db = self._connection()
            db.execute("BEGIN IMMEDIATE")
            row = db.execute("SELECT value FROM meta WHERE key = 'identity'").fetchone()
            if row is not None and row[0] == self.identity:   # not rebuilt for another analyser meanwhile
                db.executemany("INSERT OR REPLACE INTO answers VALUES (?, ?)", rows)
            db.execute("COMMIT")
        except (sqlite3.Error, OSError):
            self._close()
        else:
            self._known.update(rows)
        self._pending.clear()

    def _connection(self) -> sqlite3.Connection:
        """This process's connection (a forked worker never uses its parent's)."""
        if self._db is None or self._pid != os.getpid():
            assert self.path is not None
            self._db = connect_cache(self.path, timeout=10)
            self._pid = os.getpid()
        return self._db

    def _close(self) -> None:
        if self._db is not None and self._pid == os.getpid():
            try:
                self._db.close()
            except sqlite3.Error:
                pass
        self._db = None
