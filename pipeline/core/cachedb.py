"""The connection every database of ``.l10n-cache/`` is written through.

The cache's databases (the run state, the translation memory, what checks keep) are derived data: each can be
thrown away and rebuilt, and each is checked on opening (a fingerprint or identity row) before it is trusted.
So they are written with SQLite's write-ahead log and ``synchronous = NORMAL``: a commit appends to the log
instead of the two fsyncs of a rollback journal (a cold sync commits often, and creating a database in that
mode cost 130-170 ms here against 5-25 ms), and a power loss may lose the last commits but never leaves the
file inconsistent. Readers open the same files with ``?mode=ro``; the log is shared with them.

Deleted rows are not overwritten with zeros (``secure_delete``, on in Debian's SQLite): the data is the project's
own and stays in its folder, and zeroing doubled what a sync after an edit wrote, the staged translations it
drops once indexed first.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


def connect_cache(path: Path | str, *, timeout: float = 30) -> sqlite3.Connection:
    """A read-write connection to a cache database (created if absent): autocommit, WAL, NORMAL sync, deleted
    rows not zeroed."""
    db = sqlite3.connect(path, isolation_level=None, timeout=timeout)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA secure_delete = OFF")
    return db
