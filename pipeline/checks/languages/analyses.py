"""The Korean analyser's answers, kept between runs of ``l10n check`` in ``.l10n-cache/ko-analyses.sqlite``.

Loading kiwipiepy's model takes seconds and hundreds of MB; what ``ko-particles`` asks of it is a pure
function of the text it hands over (a msgstr as read, with its citation markers and the source content of
its placeholders) and of the analyser installed. So each answer is kept by that text, in a database made
for one analyser identity (:func:`analyser_identity`: the installed files of kiwipiepy and its model, and
the options the check uses): a check of a project whose Korean translations did not change asks the
analyser nothing and never imports it.

Nothing here changes a finding: a database that does not open, has another schema or was made for another
analyser is thrown away and rebuilt; a row that does not decode is asked again and replaced. Writing is best
effort (a read-only checkout simply keeps nothing). Each process opens its own connection (the workers of a
check are forked) and writes the answers it had to compute, one transaction per article.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

SCHEMA = 1
FILE_NAME = "ko-analyses.sqlite"
#: How ``korean.analyser`` builds the analyser and asks it; part of the identity (change both together).
ANALYSER_OPTIONS = "Kiwi() tokenize(text)"
#: The analyser's answer for one text: (start offset, tag) of each token, in the analyser's order.
Tokens = tuple[tuple[int, str], ...]
_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS analyses (text TEXT PRIMARY KEY, tokens TEXT NOT NULL);
"""


@lru_cache(maxsize=1)
def analyser_identity() -> str | None:
    """What the analyser's answers depend on: the installed files of kiwipiepy and kiwipiepy_model (their
    ``RECORD``, which lists each file's hash) and the options the check uses; None when kiwipiepy is not
    installed as a distribution. Read from the packages' metadata: kiwipiepy is not imported."""
    from importlib import metadata

    digest = hashlib.blake2b(f"{SCHEMA}:{ANALYSER_OPTIONS}".encode(), digest_size=20)
    for name in ("kiwipiepy", "kiwipiepy_model"):
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            if name == "kiwipiepy":
                return None
            digest.update(b"no model package")
            continue
        digest.update(f"{name}={dist.version}\n".encode())
        digest.update((dist.read_text("RECORD") or "").encode())
    return digest.hexdigest()


def _decode(raw: str) -> Tokens | None:
    """A stored answer, or None when it is not one (then it is asked again)."""
    try:
        value = json.loads(raw)
        tokens = tuple((int(start), str(tag)) for start, tag in value)
    except (ValueError, TypeError):
        return None
    return tokens


class AnalysisCache:
    """The answers known for one analyser identity, and the new ones, written where the database can be."""

    def __init__(self, path: Path | None, identity: str, known: dict[str, str], *, fresh: bool) -> None:
        self.path = path
        self.identity = identity
        self.fresh = fresh                 #: made (or rebuilt) by this run: it knows nothing yet
        self._known = known                # text -> tokens as stored (decoded on use)
        self._pending: dict[str, Tokens] = {}
        self._db: sqlite3.Connection | None = None
        self._pid = 0

    @classmethod
    def open(cls, folder: Path | None, identity: str) -> "AnalysisCache":
        """The answers kept in ``folder`` (``.l10n-cache``) for this identity; an empty cache that keeps
        nothing when ``folder`` is None or cannot be written."""
        if folder is None:
            return cls(None, identity, {}, fresh=True)
        path = folder / FILE_NAME
        for attempt in (1, 2):
            try:
                folder.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(path, isolation_level=None, timeout=10)
                try:
                    db.executescript(_TABLES)
                    row = db.execute("SELECT value FROM meta WHERE key = 'identity'").fetchone()
                    fresh = row is None or row[0] != identity
                    if fresh:
                        db.execute("BEGIN IMMEDIATE")
                        db.execute("DELETE FROM analyses")
                        db.execute("INSERT OR REPLACE INTO meta VALUES ('identity', ?)", (identity,))
                        db.execute("COMMIT")
                    known = dict(db.execute("SELECT text, tokens FROM analyses"))
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

    def tokens(self, text: str, analyse: Callable[[str], Tokens | None]) -> Tokens | None:
        """The analyser's tokens for ``text``: the kept answer, or ``analyse(text)`` (kept for the next run);
        None when there is no analyser."""
        raw = self._known.get(text)
        if raw is not None:
            found = _decode(raw)
            if found is not None:
                return found
        if text in self._pending:
            return self._pending[text]
        found = analyse(text)
        if found is not None:
            self._pending[text] = found
        return found

    def flush(self) -> None:
        """Write the answers computed since the last flush (best effort: a failure keeps them unwritten)."""
        if not self._pending or self.path is None:
            self._pending.clear()
            return
        rows = [(text, json.dumps([list(t) for t in tokens], ensure_ascii=False, separators=(",", ":")))
                for text, tokens in self._pending.items()]
        try:
            db = self._connection()
            db.execute("BEGIN IMMEDIATE")
            row = db.execute("SELECT value FROM meta WHERE key = 'identity'").fetchone()
            if row is not None and row[0] == self.identity:   # not rebuilt for another analyser meanwhile
                db.executemany("INSERT OR REPLACE INTO analyses VALUES (?, ?)", rows)
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
            self._db = sqlite3.connect(self.path, isolation_level=None, timeout=10)
            self._pid = os.getpid()
        return self._db

    def _close(self) -> None:
        if self._db is not None and self._pid == os.getpid():
            try:
                self._db.close()
            except sqlite3.Error:
                pass
        self._db = None


def tokens_of(found: Sequence[object]) -> Tokens:
    """kiwipiepy tokens as the cache keeps them: (start, tag)."""
    return tuple((int(token.start), str(token.tag)) for token in found)  # type: ignore[attr-defined]
