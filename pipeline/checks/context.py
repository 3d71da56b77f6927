"""What every check reads: the catalogs, templates and sources in scope, loaded once.

``CheckContext.load`` reads every file a check may need, turning a file that cannot be read into a
recorded error (reported by the ``syntax`` check) instead of an exception, so one broken catalog
does not hide the problems of the others. The project layout and the sync plan come from the
caller (see ``pipeline.cli_check``): this package does not import ``workflow``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

import polib

from ..config import Config, LocaleConfig
from ..errors import ParseError, PipelineError
from ..inline import TAG_SHAPED, EncodedRun, find_markers
from ..model import Finding, Placeholder, Severity
from ..parallel import ordered_map
from ..pofile import parse_po
from ..segment import SegmentPolicy, collect_slots, read_source
from .registry import default_severity
from .settings import CheckSettings

Key = tuple[str | None, str]
#: The steps of a sync, and of a build from the catalogs as they are on disk (``workflow.STEPS`` names).
SYNC = frozenset({"extract", "update", "build"})
BUILD = frozenset({"build"})


class Layout(Protocol):
    """Where the project's files are (``workflow.Project`` is one)."""

    @property
    def config(self) -> Config: ...
    @property
    def policy(self) -> SegmentPolicy: ...
    def relative(self, path: Path) -> str: ...
    def template_path(self, slug: str) -> Path: ...
    def catalog_path(self, locale: str, slug: str) -> Path: ...


class ArticleRef(Protocol):
    """A source article (``workflow.Article`` is one)."""

    @property
    def slug(self) -> str: ...
    @property
    def path(self) -> Path: ...


class Plan(Protocol):
    """What a sync would do (``workflow.RunResult`` is one): ``changes`` (path, data, kind),
    ``summaries`` by locale, each with ``unpublished`` (slug, reason) pairs, and the ``errors`` of the
    inputs it could not use (PipelineErrors with a project-relative path)."""

    changes: Sequence[Any]
    summaries: dict[str, Any]
    errors: Sequence[Any]


#: Computes the plan of a run of the given steps, in memory, writing nothing (``workflow.plan_run``).
PlanFactory = Callable[[frozenset[str]], Plan]


@dataclass(slots=True)
class CatalogFile:
    """A PO (or POT) file in scope, parsed or with the reason it could not be."""

    path: Path
    rel: str                            #: project-relative path, as findings show it
    slug: str
    locale: LocaleConfig | None         #: None for a template
    po: polib.POFile | None = None      #: None when missing or unreadable
    text: str = ""
    exists: bool = False
    error: ParseError | None = None

    @property
    def code(self) -> str:
        """The locale's gettext code (empty for a template)."""
        return self.locale.code if self.locale is not None else ""

    @property
    def kind(self) -> str:
        """``catalog`` or ``template``."""
        return "catalog" if self.locale is not None else "template"

    def finding(self, check_id: str, message: str, *, entry: polib.POEntry | None = None,
                line: int | None = None, severity: Severity | None = None) -> Finding:
        """A finding in this file, at an entry's line (polib's ``linenum``) or a given line."""
        return Finding(check=check_id, severity=severity or default_severity(check_id), message=message,
                       path=self.rel, line=entry.linenum if entry is not None else line,
                       locale=self.code or None, article=self.slug)


@dataclass(frozen=True, slots=True)
class SlotInfo:
    """What the checks need of one translation slot of a source (no tree: it crosses processes)."""

    kind: str                           #: as ``segment.Slot.kind``
    context: str | None
    run: EncodedRun                     #: msgid, placeholders, markers, literals (no elements)
    unit: Key | None                    #: the catalog key of its unit (None for a date)
    in_disclaimer: bool


@dataclass(slots=True)
class SourceFile:
    """A source article in scope: whether it parsed (or why not) and its slots."""

    slug: str
    path: Path
    rel: str
    parsed: bool = False
    error: PipelineError | None = None
    slots: list[SlotInfo] = field(default_factory=list)

    def finding(self, check_id: str, message: str, *, line: int | None = None,
                severity: Severity | None = None) -> Finding:
        """A finding in the source article."""
        return Finding(check=check_id, severity=severity or default_severity(check_id), message=message,
                       path=self.rel, line=line, article=self.slug)


@dataclass(slots=True)
class CheckContext:
    """Everything the checks look at, loaded once, with lazily computed views."""

    layout: Layout
    settings: CheckSettings
    locales: list[LocaleConfig]
    sources: list[SourceFile]
    templates: list[CatalogFile]
    catalogs: list[CatalogFile]         #: one per locale in scope and source article, present or not
    plan_factory: PlanFactory
    _plans: dict[frozenset[str], Plan] = field(default_factory=dict)
    _by_slug: dict[str, SourceFile] = field(default_factory=dict)
    _files: dict[tuple[str, str], CatalogFile] = field(default_factory=dict)  # (locale or "", slug)

    def __post_init__(self) -> None:
        self._by_slug = {source.slug: source for source in self.sources}
        self._files = {(cat.code, cat.slug): cat for cat in [*self.templates, *self.catalogs]}

    @classmethod
    def load(cls, layout: Layout, *, articles: Sequence[ArticleRef], locales: Sequence[LocaleConfig],
             settings: CheckSettings, plan: PlanFactory, jobs: int = 1) -> "CheckContext":
        """Read every source, template and catalog in scope, by ``jobs`` processes; sources are segmented."""
        sources = [SourceFile(a.slug, a.path, layout.relative(a.path)) for a in articles]
        policy = layout.policy
        read = ordered_map(lambda s: _read_source(s.path, s.slug, s.rel, policy), sources, jobs, at_least=16)
        for source, (error, slots) in zip(sources, read):
            source.parsed, source.error, source.slots = error is None, error, slots
        templates = [CatalogFile(path, layout.relative(path), a.slug, None)
                     for a in articles for path in [layout.template_path(a.slug)]]
        catalogs = [CatalogFile(path, layout.relative(path), a.slug, loc)
                    for loc in locales for a in articles for path in [layout.catalog_path(loc.code, a.slug)]]
        files = [*templates, *catalogs]
        parsed = ordered_map(lambda f: _read(f.path, f.rel), files, jobs, at_least=16)
        for cat, (exists, po, text, error) in zip(files, parsed):
            cat.exists, cat.po, cat.text, cat.error = exists, po, text, error
        return cls(layout, settings, list(locales), sources, templates, catalogs, plan)

    @property
    def config(self) -> Config:
        """The project's configuration."""
        return self.layout.config

    def plan(self, steps: frozenset[str] = SYNC) -> Plan:
        """What a run of ``steps`` over the locales in scope would do, computed once, in memory."""
        if steps not in self._plans:
            self._plans[steps] = self.plan_factory(steps)
        return self._plans[steps]

    def readable(self) -> Iterator[CatalogFile]:
        """The catalogs in scope that exist and parsed."""
        return (cat for cat in self.catalogs if cat.po is not None)

    def translations(self) -> Iterator[tuple[CatalogFile, polib.POEntry, str, str]]:
        """(catalog, entry, msgid, msgstr) for every translated form of every live, non-fuzzy entry.

        These are the translations a build publishes; a plural entry gives one pair per msgstr[n]
        (msgid for form 0, msgid_plural for the others).
        """
        for cat in self.readable():
            assert cat.po is not None
            for entry in cat.po:
                if entry.obsolete or "fuzzy" in entry.flags:
                    continue
                if entry.msgid_plural:
                    for index, msgstr in sorted(entry.msgstr_plural.items()):
                        if msgstr:
                            yield cat, entry, entry.msgid if index == 0 else entry.msgid_plural, msgstr
                elif entry.msgstr:
                    yield cat, entry, entry.msgid, entry.msgstr

    def source(self, slug: str) -> SourceFile | None:
        """The source article of a slug."""
        return self._by_slug.get(slug)

    def slots(self, slug: str) -> list[SlotInfo]:
        """The translation slots of an article (empty if its source could not be read)."""
        source = self.source(slug)
        return source.slots if source is not None else []

    def run_for(self, slug: str, msgid: str, context: str | None) -> EncodedRun:
        """The encoding of a msgid as the source has it; derived from the msgid when the source lacks it."""
        for slot in self.slots(slug):
            if slot.run.msgid == msgid and slot.context == context and slot.kind != "date":
                return slot.run
        return run_from_msgid(msgid)

    def disclaimer_keys(self, slug: str) -> list[Key]:
        """(msgctxt, msgid) of the units inside the article's disclaimer, in document order."""
        keys = [slot.unit for slot in self.slots(slug) if slot.in_disclaimer and slot.unit is not None]
        return list(dict.fromkeys(keys))

    def published(self, locale: str, slug: str) -> bool:
        """Whether a build from the catalogs as they are publishes the article for the locale.

        The decision is workflow's own (the publish threshold against the share of the article's units
        translated), taken from the plan of a build; a sync that would change the catalogs is ``stale``.
        """
        source = self.source(slug)
        template = self._files.get(("", slug))
        catalog = self._files.get((locale, slug)) if locale else None
        if source is None or not source.parsed or (template is not None and template.error) \
                or catalog is None or catalog.error:
            return False
        # A sync that changes neither the template nor the catalog builds from the catalogs as they are:
        # its plan (which the cache makes cheap) already holds the decision. Otherwise, plan a build.
        plan = self.plan(SYNC)
        touched = {template.path if template is not None else None, catalog.path}
        if any(change.kind in ("template", "catalog") and change.path in touched for change in plan.changes):
            plan = self.plan(BUILD)
        summary = plan.summaries.get(locale)
        if summary is None or any(error.path == source.rel for error in plan.errors):
            return False
        return slug not in {unpublished for unpublished, _ in summary.unpublished}


Loaded = tuple[bool, "polib.POFile | None", str, "ParseError | None"]  # exists, parsed, text, error


def _read(path: Path, rel: str) -> Loaded:
    """A PO/POT file read and parsed; a missing file is (False, None, "", None)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return False, None, "", None
    except OSError as exc:
        return True, None, "", ParseError(f"cannot read the file: {exc.strerror}", path=rel)
    try:
        return True, parse_po(data, path=rel), data.decode("utf-8-sig").replace("\r\n", "\n"), None
    except ParseError as exc:
        return True, None, "", exc


def _read_source(path: Path, slug: str, rel: str, policy: SegmentPolicy
                 ) -> tuple[PipelineError | None, list[SlotInfo]]:
    """A source article's slots as the checks see them, or why it cannot be read."""
    try:
        doc = read_source(path, slug=slug, reference=rel)
        slots = collect_slots(doc, policy)
    except PipelineError as exc:
        return exc, []
    return None, [SlotInfo(slot.kind, slot.context, replace(slot.run, elements={}, wrappers={}),
                           unit.key if (unit := slot.unit()) is not None else None, slot.disclaimer is not None)
                  for slot in slots]


def quote(text: str, width: int = 60) -> str:
    """A text for a message: whitespace collapsed, cut at ``width`` characters, in curly quotes."""
    text = " ".join(text.split())
    return "\u201c" + (text if len(text) <= width else text[: width - 1] + "\u2026") + "\u201d"


def run_from_msgid(msgid: str) -> EncodedRun:
    """An encoding rebuilt from a msgid alone: ``<x>``…``</x>`` pairs and ``<x/>`` are placeholders;
    any other tag-shaped text is literal text of the source."""
    tokens = TAG_SHAPED.findall(msgid)
    placeholders: list[Placeholder] = []
    literals = set()
    for token in tokens:
        name = token.strip("</>").strip()
        if token.endswith("/>") and not token.startswith("</"):
            placeholders.append(Placeholder(name, True, name, ""))
        elif not token.startswith("</") and f"</{name}>" in tokens:
            placeholders.append(Placeholder(name, False, name, ""))
        elif not (token.startswith("</") and f"<{name}>" in tokens):
            literals.add(token)
    return EncodedRun(msgid=msgid, placeholders=placeholders, markers=find_markers(msgid),
                      literals=frozenset(literals))
