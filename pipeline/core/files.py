"""Atomic, change-aware file writes: a reader sees the old file or the new one, never half of one; and the hash
a file's content is known by."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def content_digest(data: bytes) -> str:
    """The hash the pipeline keys a file's content by (its cache, its records, the checks' kept answers)."""
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def stage_file(path: Path, data: bytes, *, durable: bool = False) -> Path:
    """Write ``data`` to a temporary file beside ``path`` (mode of the old file) and return its path.

    :func:`commit_file` renames it into place. The name (``.<name>.<random>.tmp``) is one no scan mistakes
    for a catalog; ``durable`` fsyncs it (for catalogs, which hold people's work).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o7777 if not path.is_symlink() else None
    except (FileNotFoundError, NotADirectoryError):
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
    except BaseException:
        discard(Path(tmp))
        raise
    return Path(tmp)


def make_durable(paths: list[Path]) -> dict[Path, OSError]:
    """Flush staged files to disk (fsync), several at a time, before any is renamed into place: a file
    system commits concurrent flushes together, where one after the other each waits for its own. Returns
    the files that could not be flushed, with the error."""
    failed: dict[Path, OSError] = {}

    def flush(path: Path) -> None:
        try:
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            failed[path] = exc

    if len(paths) <= 1:
        for path in paths:
            flush(path)
        return failed
    from concurrent.futures import ThreadPoolExecutor  # at first use: most commands flush nothing

    with ThreadPoolExecutor(max_workers=min(16, len(paths))) as pool:
        list(pool.map(flush, paths))
    return failed


def commit_file(tmp: Path, path: Path) -> None:
    """Rename a staged file into place (atomic; a symlink at ``path`` is replaced, not followed)."""
    os.replace(tmp, path)


def discard(tmp: Path) -> None:
    """Remove a staged file that will not be used."""
    try:
        tmp.unlink()
    except FileNotFoundError:
        pass


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
    tmp = stage_file(path, data, durable=durable)
    try:
        commit_file(tmp, path)
    except BaseException:
        discard(tmp)
        raise
    return True


def create_atomic(path: Path, data: bytes, *, durable: bool = False) -> None:
    """Create ``path`` holding ``data`` atomically; FileExistsError, writing nothing, if anything is there.

    Staged like :func:`write_atomic`, then hard-linked into place, which fails rather than replace a file
    that appeared meanwhile (on a file system without hard links: checked, then renamed).
    """
    tmp = stage_file(path, data, durable=durable)
    try:
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise
        except OSError:
            if os.path.lexists(path):
                raise FileExistsError(17, "File exists", str(path)) from None
            os.replace(tmp, path)
    finally:
        discard(tmp)


def remove_file(path: Path) -> bool:
    """Remove ``path`` if it exists; return whether it did."""
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True
