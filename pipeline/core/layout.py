"""Which files belong to an article: the project's layout as one value (``workflow.Project.files_of`` makes
it; the sync, its cache and ``l10n check`` walk it)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.config import LocaleConfig


@dataclass(frozen=True, slots=True)
class LocaleFiles:
    """An article's files in one locale."""

    locale: LocaleConfig
    catalog: Path        #: ``locales/<lang>/<slug>.po``
    output: Path         #: ``output/<lang>/<slug>.html``


@dataclass(frozen=True, slots=True)
class ArticleLayout:
    """Which files belong to an article: its source, its template, and per locale its catalog and output."""

    slug: str
    source: Path
    template: Path
    locales: tuple[LocaleFiles, ...]

    def paths(self) -> Iterator[Path]:
        """Every one of the files, source first."""
        yield self.source
        yield self.template
        for files in self.locales:
            yield files.catalog
            yield files.output
