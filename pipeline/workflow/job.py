"""What the per-article work (:mod:`pipeline.workflow.article`) is given and gives back.

An :class:`ArticleJob` names one article's files, :class:`Settings` the project settings every worker shares;
an :class:`ArticleOutcome` holds what the article did (its changes, and per locale a :class:`LocaleOutcome`),
which the incremental cache stores and a later sync takes back without processing the article again. Plain
values, picklable, importing none of the processing: a sync that finds nothing to do stays light.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.core.config import LocaleConfig, ReviewSettings
from pipeline.core.errors import PipelineError
from pipeline.core.model import Finding, Stats
from pipeline.workflow.changes import Change

if TYPE_CHECKING:  # at run time only the article's processing needs lxml and the memory
    from pipeline.html.extract import SegmentPolicy
    from pipeline.memory.store import MemoryEntry


@dataclass(slots=True)
class LocaleOutcome:
    """What one article did in one locale."""

    stats: Stats = field(default_factory=Stats)
    published: bool = False
    reason: str = ""
    fallbacks: list[Finding] = field(default_factory=list)   #: may be dropped once counted (see fallback_count)
    fallback_count: int = 0
    reasons: dict[str, int] = field(default_factory=dict)   #: fallbacks by reason (missing, fuzzy, number...)
    untranslated: int = 0
    catalog: str | None = None     #: hash of the catalog after the run
    output: str | None = None      #: hash of the output after the run
    memory: list[MemoryEntry] = field(default_factory=list)   #: the catalog's translations after the run
    skipped: bool = False          #: its catalog did not parse (keep-going)
    title: str | None = None       #: the published page's <title> text
    alternates: list[str] = field(default_factory=list)   #: languages the page links to (with base_url)
    review: dict[str, int] | None = None   #: units per review state, where the locale's review is on
    #: units fuzzy since their English changed: (msgid, the English the translation was made for)
    went_fuzzy: list[tuple[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class ArticleOutcome:
    """What one article did: changes, figures per locale, errors."""

    slug: str
    source: str | None = None
    template: str | None = None
    changes: list[Change] = field(default_factory=list)
    locales: dict[str, LocaleOutcome] = field(default_factory=dict)
    errors: list[PipelineError] = field(default_factory=list)
    needs_memory: bool = False     #: stopped early: ask again with the translation memory
    stale: bool = False            #: a build without extract found the template out of date with the source
    #: the layout of each PO or POT text formatted (content hash -> ``po.files.format_po_reusing``'s layout)
    layouts: dict[str, bytes] = field(default_factory=dict)
    #: the keys (``text.verdict.verdict_key``) of the translations its build found without a problem
    verdicts: list[bytes] = field(default_factory=list)
    #: what the checks need of its source's segmentation (``html.reading.encode_reading``), when it was read
    reading: bytes | None = None


@dataclass(frozen=True, slots=True)
class ArticleJob:
    """Everything :func:`process_article` needs to know about one article."""

    slug: str
    source: Path
    reference: str
    template: Path
    catalogs: tuple[tuple[LocaleConfig, Path, str], ...]     #: (locale, catalog path, output path)
    steps: frozenset[str]
    stamp: str
    stage: bool                                              #: write temporary files for the changes
    keep: bool = False                                       #: else keep new templates and catalogs in memory
    root: Path = Path(".")                                   #: the project root, to name files
    remember: bool = False                                   #: collect the catalogs' translations (for the cache)
    elsewhere: tuple[str, ...] = ()                          #: other locales (BCP 47) that publish it, not built now
    #: layouts of PO and POT texts an earlier sync wrote, by content hash: their unchanged entries are not formatted again
    layouts: Mapping[str, bytes] = field(default_factory=dict)
    #: where the cache records the translations found without a problem: (its folder, its fingerprint)
    verdicts: tuple[str, str] | None = None


@dataclass(frozen=True, slots=True)
class SiteLinks:
    """Where the site publishes the pages (``base_url``): each page's URL, canonical and hreflang links."""

    base_url: str
    source: str                                  #: the source language (BCP 47)
    pattern: str                                 #: the project's URL pattern
    locales: tuple[tuple[str, str | None], ...]  #: (BCP 47, its own pattern or None), configured order

    def url(self, lang: str, slug: str) -> str:
        """The absolute URL of the page of ``slug`` in ``lang``."""
        own = dict(self.locales).get(lang) if lang != self.source else None
        return (own or self.pattern).format(base_url=self.base_url, lang=lang, slug=slug)

    def links(self, slug: str, published: set[str], lang: str) -> tuple[str, list[tuple[str, str]]]:
        """(canonical, alternates) of the page in ``lang``: every published language, the source, x-default."""
        langs = [self.source, *(code for code, _ in self.locales if code in published)]
        alternates = [(code, self.url(code, slug)) for code in langs]
        return self.url(lang, slug), [*alternates, ("x-default", self.url(self.source, slug))]


@dataclass(frozen=True, slots=True)
class Settings:
    """The project settings the per-article work needs (picklable, shared by every worker)."""

    policy: SegmentPolicy
    project: str
    bugs_address: str
    source_language: str
    reference_lines: bool
    fuzzy_threshold: float
    memory_threshold: float
    max_source_bytes: int
    root: Path
    site: SiteLinks | None = None   #: with base_url: pages get canonical and hreflang links
    review: ReviewSettings | None = None   #: clinical review's settings (each locale has its mode)
