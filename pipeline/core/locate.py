"""Finding the project: the nearest ``l10n.yaml``, with nothing but the standard library (a command that may
have nothing to do finds its project before it loads anything else)."""

from __future__ import annotations

from pathlib import Path

CONFIG_NAME = "l10n.yaml"
CACHE_DIR = ".l10n-cache"   #: beside l10n.yaml: what runs keep to do less the next time, never people's work


def nearest_config(start: Path) -> Path | None:
    """The ``l10n.yaml`` in ``start`` or its nearest parent (``start`` resolved), or None if there is none."""
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None
