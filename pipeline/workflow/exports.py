"""Where the export commands (``l10n export``, ``l10n tm export``) may write: never over the project's files.

An export is a file for people outside the project (a vendor, a CAT tool). Written into the source,
locales, output or cache folder, or over ``l10n.yaml``, it would replace the project's own work, so such
a path is refused; so is an existing file (unless ``force``) and a folder that does not exist.
"""

from __future__ import annotations

import os
from pathlib import Path

from pipeline.core.errors import UsageError, WriteError
from pipeline.core.files import create_atomic, write_atomic
from pipeline.workflow.project import CACHE_DIR, Project

#: ``-o -``: write to standard output.
STDOUT = Path("-")


def _protected_folders(project: Project) -> list[tuple[Path, str]]:
    config = project.config
    return [(config.source_dir, "source articles folder"), (config.locales_dir, "locales folder"),
            (config.output_dir, "output folder"), (config.root / CACHE_DIR, "cache folder")]


def check_export_path(project: Project, path: Path, *, force: bool, suffixes: tuple[str, ...] = (),
                      stdout: bool = False) -> None:
    """Raise UsageError (exit 2) unless ``path`` is a file an export may write (see the module docstring).

    Links and ``..`` are resolved first, so no spelling of a catalog's path gets through; ``suffixes``,
    when given, are the file name endings accepted (``.po``, ``.tmx``); ``stdout`` accepts ``-``.
    """
    if path == STDOUT and stdout:
        return
    shown = project.relative(path)
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):
        raise UsageError("cannot be resolved (a loop of links?); nothing was written", path=shown,
                         hint="give another -o path") from None
    config = project.config
    folders = [f"{project.relative(folder)}/" for folder, _ in _protected_folders(project)]
    hint = f"write it outside {', '.join(folders[:-1])} and {folders[-1]}, e.g. in the project folder itself"
    if resolved == config.path:
        raise UsageError("is the project's configuration file; an export must not replace it, nothing was "
                         "written", path=shown, hint=hint)
    for folder, name in _protected_folders(project):
        if resolved == folder or folder in resolved.parents:
            raise UsageError(f"is in the project's {name} ({project.relative(folder)}/), where an export would "
                             "replace the project's own files; nothing was written", path=shown, hint=hint)
    if suffixes and path.suffix.lower() not in suffixes:
        raise UsageError(f"only {' or '.join(suffixes)} files can be written, not {path.name!r}", path=shown,
                         hint=f"name it FILE{' or FILE'.join(suffixes)}")
    parent = Path(os.path.abspath(path)).parent
    if not parent.is_dir():
        missing = not os.path.lexists(parent)
        what = f"the folder {project.relative(parent)}/ does not exist" if missing else \
            f"{project.relative(parent)} is not a folder"
        raise UsageError(f"{what}; nothing was written", path=shown,
                         hint="create the folder first, or give another -o path" if missing
                         else "give another -o path")
    if os.path.lexists(path) and not force:
        raise UsageError("already exists; nothing was written", path=shown, hint="--force to replace it")


def write_export(project: Project, path: Path, data: bytes, *, force: bool) -> None:
    """Write an export checked by :func:`check_export_path`: a new file atomically, or (``force``) atomically
    in place of an existing one. UsageError if a file appeared meanwhile, WriteError if it cannot be written."""
    shown = project.relative(path)
    try:
        if force:
            write_atomic(path, data, durable=True)
        else:
            create_atomic(path, data, durable=True)
    except FileExistsError:
        raise UsageError("already exists; nothing was written", path=shown, hint="--force to replace it") from None
    except OSError as exc:
        raise WriteError(f"cannot write: {exc.strerror or exc}", path=shown,
                         hint="check that the folder is writable") from None
