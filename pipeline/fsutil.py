"""Atomic, change-aware file writes: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes, *, durable: bool = False) -> bool:
    """Write ``data`` to ``path`` atomically; return False (writing nothing) if it already holds it.

    The temporary file lives in the target directory under a name no scan mistakes for a catalog
    (``.<name>.<random>.tmp``); the old file's mode is kept; ``durable`` fsyncs before the rename
    (for catalogs, which hold people's work). A symlink at ``path`` is replaced, never written through.
    """
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o7777 if not path.is_symlink() else None
    except FileNotFoundError:
        mode = None
    if mode is None:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return True


def remove_file(path: Path) -> bool:
    """Remove ``path`` if it exists; return whether it did."""
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True
