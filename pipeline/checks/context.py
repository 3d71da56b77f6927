"""What every check reads: the catalogs, templates and sources in scope, loaded once.

``CheckContext.load`` reads every file a check may need, turning a file that cannot be read into a
recorded error (reported by the ``syntax`` check) instead of an exception, so one broken catalog
does not hide the problems of the others. The project layout and the sync plan come from the
caller (see ``pipeline.cli_check``): this package does not import ``workflow``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import polib

from ..config import Config, LocaleConfig
from ..errors import ParseError, PipelineError
from ..inline import TAG_SHAPED, EncodedRun, find_markers
from ..model import Finding, Placeholder, Severity
from ..pofile import parse_po
from ..segment import SegmentPolicy, Slot, SourceDocument, collect_slots, read_source
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


@dataclass(slots=True)
class SourceFile:
    """A source article in scope, parsed or with the reason it could not be."""

    slug: str
    path: Path
    rel: str
    doc: SourceDocument | None = None
    error: PipelineError | None = None

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
    _slots: dict[str, list[Slot]] = field(default_factory=dict)

    @classmethod
    def load(cls, layout: Layout, *, articles: Sequence[ArticleRef], locales: Sequence[LocaleConfig],
             settings: CheckSettings, plan: PlanFactory) -> "CheckContext":
        """Read every source, template and catalog in scope."""
        sources = []
        for article in articles:
            source = SourceFile(article.slug, article.path, layout.relative(article.path))
            try:
                source.doc = read_source(article.path, slug=article.slug, reference=source.rel)
            except PipelineError as exc:
                source.error = exc
            sources.append(source)
        templates = [_read(layout, layout.template_path(a.slug), a.slug, None) for a in articles]
        catalogs = [_read(layout, layout.catalog_path(loc.code, a.slug), a.slug, loc)
                    for loc in locales for a in articles]
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
        return next((s for s in self.sources if s.slug == slug), None)

    def slots(self, slug: str) -> list[Slot]:
        """The translation slots of an article (empty if its source could not be read)."""
        if slug not in self._slots:
            source = self.source(slug)
            doc = source.doc if source is not None else None
            self._slots[slug] = collect_slots(doc, self.layout.policy) if doc is not None else []
        return self._slots[slug]

    def run_for(self, slug: str, msgid: str, context: str | None) -> EncodedRun:
        """The encoding of a msgid as the source has it; derived from the msgid when the source lacks it."""
        for slot in self.slots(slug):
            if slot.run.msgid == msgid and slot.context == context and slot.kind != "date":
                return slot.run
        return run_from_msgid(msgid)

    def disclaimer_keys(self, slug: str) -> list[Key]:
        """(msgctxt, msgid) of the units inside the article's disclaimer, in document order."""
        keys = [unit.key for slot in self.slots(slug)
                if slot.disclaimer is not None and (unit := slot.unit()) is not None]
        return list(dict.fromkeys(keys))

    def published(self, locale: str, slug: str) -> bool:
        """Whether a build from the catalogs as they are publishes the article for the locale.

        The decision is workflow's own (the publish threshold against the share of the article's units
        translated), taken from the plan of a build; a sync that would change the catalogs is ``stale``.
        """
        source = self.source(slug)
        template = next((t for t in self.templates if t.slug == slug), None)
        catalog = next((c for c in self.catalogs if c.slug == slug and c.code == locale), None)
        if source is None or source.doc is None or (template is not None and template.error) \
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


def _read(layout: Layout, path: Path, slug: str, locale: LocaleConfig | None) -> CatalogFile:
    cat = CatalogFile(path, layout.relative(path), slug, locale)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return cat
    except OSError as exc:
        cat.exists = True
        cat.error = ParseError(f"cannot read the file: {exc.strerror}", path=cat.rel)
        return cat
    cat.exists = True
    try:
        cat.po = parse_po(data, path=cat.rel)
        cat.text = data.decode("utf-8-sig").replace("\r\n", "\n")
    except ParseError as exc:
        cat.error = exc
    return cat


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
