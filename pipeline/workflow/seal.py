"""The last sync's seal: how every file a sync reads or writes stood when that sync ended, and what it said.

A sync with nothing to do (a pre-commit hook, a CI step) then finds so at once, with the standard library alone,
and says what the last sync said; anything else runs the whole sync. The seal is ``.l10n-cache/last-sync.json``.
A sync removes it as it starts, under the project lock, and writes it again only when it ended well and no file
it watched changed under it while it ran, so a sync stopped half-way, a failed one or a raced one leaves none.

Watched are ``l10n.yaml``, the history file, the folders a sync lists (sources, templates, each locale's
catalogs, the imported memory, the outputs) and every file in them, the pipeline's own modules and the folders
Python imports libraries from (an upgrade changes them). A file counts as unchanged when its size, its
modification and change times and its inode are as recorded. One modified so shortly before the seal was
written that a later edit could leave its times as they were (file systems count time in ticks, some of 2 s)
is compared by content instead, as git does with its "racily clean" entries; a folder by its listing.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pipeline
from pipeline.core.locate import CACHE_DIR, nearest_config

if TYPE_CHECKING:
    from pipeline.workflow.project import Project

SEAL_NAME = "last-sync.json"
FORMAT = 1
#: a file modified less than this long before the seal is written is compared by content (2 s: FAT's tick)
RACY_NS = 2_000_000_000

#: how a watched path stood: [size, modification ns, change ns, inode, 1 for a folder]; None when absent
Stamp = list[int] | None
#: a line of the summary as the sync printed it: its text, and whether it went to stderr
Line = tuple[str, bool]


def seal_key(config: Path, options: Sequence[object]) -> str:
    """What a seal is valid for: this pipeline and Python, this ``l10n.yaml`` and these sync ``options``."""
    return json.dumps([FORMAT, pipeline.__version__, sys.version, sys.executable, os.path.realpath(config),
                       [list(o) if isinstance(o, (tuple, list)) else o for o in options]])


def replay(config: Path | None, options: Sequence[object]) -> list[Line] | None:
    """The summary of the last sync when every file it watched is as it left them (a second sync would do
    nothing); None when anything changed, or there is no seal (``config``: None for the nearest ``l10n.yaml``)."""
    path = config if config is not None else nearest_config(Path.cwd())
    if path is None or not path.is_file():
        return None
    try:
        seal = json.loads((path.parent.resolve() / CACHE_DIR / SEAL_NAME).read_bytes())
        if seal["key"] != seal_key(path, options):
            return None
        for name, recorded, content in seal["files"]:
            if _stamp(name) != recorded or (content is not None and _content(name, recorded) != content):
                return None
        return [(str(text), bool(err)) for text, err in seal["lines"]]
    except (OSError, ValueError, TypeError, KeyError):   # none yet, or not one we wrote: run the sync
        return None


class SealWatch:
    """A sync's watch over the files it reads and writes, from its start under the lock to the seal it leaves."""

    def __init__(self, project: Project, options: Sequence[object]) -> None:
        self.project = project
        self.key = seal_key(project.config.path, options)
        self.file = project.config.root / CACHE_DIR / SEAL_NAME
        forget(project)
        self.before = {name: _stamp(name) for name in watched_paths(project)}

    def seal(self, written: Iterable[str], lines: Sequence[Line]) -> bool:
        """Write the seal of a sync that ended well, having written ``written`` and said ``lines``; False
        (writing none) when some watched file it did not write changed while it ran, or it cannot be written."""
        import tempfile  # here: a sync with nothing to do only reads the seal

        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{SEAL_NAME}.", suffix=".tmp", dir=self.file.parent)
        except OSError:
            return False
        try:
            with os.fdopen(fd, "wb") as handle:
                now = os.fstat(handle.fileno()).st_mtime_ns     # the file system's clock, as its files show it
                after = {name: _stamp(name) for name in watched_paths(self.project)}   # all taken after ``now``
                if not self._unchanged(after, set(written)):
                    raise OSError("changed meanwhile")
                files = [[name, stamp, _content(name, stamp) if stamp is not None and stamp[1] >= now - RACY_NS
                          else None] for name, stamp in sorted(after.items())]
                handle.write(json.dumps({"key": self.key, "files": files, "lines": [list(line) for line in lines]},
                                        ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
            os.replace(tmp, self.file)
            return True
        except OSError:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            return False

    def _unchanged(self, after: dict[str, Stamp], written: set[str]) -> bool:
        """Whether every watched file this sync did not write is as it was when the sync started (folders change
        with the files written in them: their files are what is compared)."""
        for name in (self.before.keys() | after.keys()) - written:
            stamp = after.get(name)
            if (stamp is None or not stamp[4]) and self.before.get(name) != stamp:
                return False     # someone else changed it meanwhile: what this sync read may be out of date
        return True


def forget(project: Project) -> None:
    """Remove the project's seal (a run is about to change what it describes)."""
    try:
        (project.config.root / CACHE_DIR / SEAL_NAME).unlink()
    except OSError:
        pass


def watched_paths(project: Project) -> list[str]:
    """Every path a seal watches for ``project`` (see the module's docstring)."""
    from pipeline.workflow.history import HISTORY_FILE

    config = project.config
    folders = [config.source_dir, config.templates_dir, config.locales_dir / "_memory", config.output_dir]
    folders += [config.locales_dir / loc.code for loc in config.locales]
    folders += [config.output_dir / loc.info.bcp47 for loc in config.locales]
    names = {os.fspath(config.path), os.fspath(config.root / HISTORY_FILE)}
    for folder in folders:
        names.add(os.fspath(folder))
        try:
            with os.scandir(folder) as entries:
                names.update(entry.path for entry in entries if not entry.is_dir())
        except OSError:    # absent: its stamp says so
            continue
    names.update(_code_paths())
    return sorted(names)


def _code_paths() -> list[str]:
    """The pipeline's modules and their folders, and the folders Python imports libraries from."""
    package = os.path.dirname(os.path.abspath(pipeline.__file__))
    found = []
    for folder, subfolders, files in os.walk(package):
        subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
        found.append(folder)
        found += [os.path.join(folder, name) for name in files if name.endswith(".py")]
    # sys.path[0] is the script's folder or the working folder, not a library's (unless -P left it out)
    libraries = sys.path[0 if getattr(sys.flags, "safe_path", False) else 1:]  # -P: Python 3.11+
    found += [os.path.abspath(entry) for entry in libraries if entry and os.path.isdir(entry)]
    return found


def _stamp(name: str) -> Stamp:
    """How ``name`` stands now (links followed)."""
    try:
        st = os.stat(name)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, 1 if stat.S_ISDIR(st.st_mode) else 0]


def _content(name: str, stamp: Any) -> str | None:
    """A hash of a file's bytes, or of a folder's sorted listing; None if it cannot be read."""
    import hashlib  # here: most seals compare no content

    try:
        if stamp is not None and stamp[4]:
            data = "\n".join(sorted(os.listdir(name))).encode("utf-8", "surrogateescape")
        else:
            with open(name, "rb") as handle:
                data = handle.read()
    except OSError:
        return None
    return hashlib.blake2b(data, digest_size=16).hexdigest()
