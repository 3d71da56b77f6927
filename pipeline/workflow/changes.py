"""The files a run writes or removes, and the hashes it knows them by.

A command plans first: every file it would write becomes a :class:`Change` (its new content staged in a
temporary file beside the target, or kept in memory), and only once every input is known to be good are the
changes applied (``project.apply_changes``). Light on purpose: a no-op sync imports this, not the per-article
work.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.files import content_digest


def digest(data: bytes | None) -> str | None:
    """The content hash the pipeline keys files by (None for an absent file)."""
    return None if data is None else content_digest(data)


def read_bytes(path: Path) -> bytes | None:
    """A file's bytes; None when it does not exist (or its folder is not a folder)."""
    try:
        return path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None


@dataclass(slots=True)
class Change:
    """A file the run writes (staged in ``tmp``, or not staged in a dry run) or removes.

    Paths are held as strings: a sync keeps every change until it applies them, and a string is a third
    of a :class:`~pathlib.Path` in memory.
    """

    target: str | Path             #: the file (given as a path, held as a string)
    kind: str                      #: "template", "catalog", "output", "leftovers" or "memory"
    remove: bool = False
    durable: bool = False
    expected: str | None = None    #: hash of the file when the run read it (None: absent)
    staged: str | Path | None = None   #: the staged new content's file (see ``tmp``)
    new: str | None = None         #: hash of the new content
    content: bytes | None = None   #: the new content, kept in memory when asked (templates, catalogs)

    def __post_init__(self) -> None:
        self.target = os.fspath(self.target)
        if self.staged is not None:
            self.staged = os.fspath(self.staged)

    @property
    def path(self) -> Path:
        """The file written or removed."""
        return Path(self.target)

    @property
    def tmp(self) -> Path | None:
        """The staged new content (renamed onto ``path`` when the change is applied); None if not staged."""
        return Path(self.staged) if self.staged is not None else None

    @tmp.setter
    def tmp(self, value: Path | None) -> None:
        self.staged = os.fspath(value) if value is not None else None

    @property
    def data(self) -> bytes | None:
        """The new content (kept, or read back from the staged file); None for a removal or if neither."""
        if self.remove:
            return None
        if self.content is not None:
            return self.content
        return Path(self.staged).read_bytes() if self.staged is not None else None
