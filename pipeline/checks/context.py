"""What every check reads: the files in scope, the settings and the sync plan.

There are two kinds of context. The project's (``CheckContext.for_project``) lists every source,
template and catalog in scope; ``run_checks`` reads them an article at a time and records here whether
each one exists and parses, never its content. An article's context (``read_article``) holds one
article's files with their content: the source segmented into slots, the template and catalogs parsed.
Per-article checks run over article contexts, in the worker processes that read them; checks across
articles run over the project's context (see ``registry``).

A file that cannot be read is a recorded error (reported by the ``syntax`` check), not an exception, so
one broken catalog does not hide the problems of the others. The project layout and the sync plan come
from the caller (see ``pipeline.workflow.quality``): this package does not import ``workflow``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar, cast

import polib

from pipeline.checks.languages.base import language_of
from pipeline.checks.registry import default_severity
from pipeline.checks.settings import CheckSettings
from pipeline.core.config import Config, LocaleConfig
from pipeline.core.errors import ParseError, PipelineError
from pipeline.core.layout import ArticleLayout
from pipeline.core.model import Finding, Key, Severity
from pipeline.core.wording import quote as quote  # noqa: F401  (the checks quote texts with it)
from pipeline.html.extract import ForeignRun, SegmentPolicy, Slot, SourceDocument, collect_slots, read_source
from pipeline.po.catalog import is_fuzzy
from pipeline.po.files import parse_po_or_error
from pipeline.text.placeholders import EncodedRun
from pipeline.text.verdict import run_from_msgid

#: The steps of a sync, and of a build from the catalogs as they are on disk (``workflow.STEPS`` names).
SYNC = frozenset({"extract", "update", "build"})
BUILD = frozenset({"build"})

#: The type of a value a run shares between its contexts (see ``CheckContext.shared``).
_T = TypeVar("_T")


class Layout(Protocol):
    """Where the project's files are (``workflow.Project`` is one)."""

    @property
    def config(self) -> Config: ...
    @property
    def policy(self) -> SegmentPolicy: ...
    def relative(self, path: Path) -> str: ...
    def template_path(self, slug: str) -> Path: ...
    def catalog_path(self, locale: str, slug: str) -> Path: ...
    def files_of(self, slug: str, source: Path, locales: Iterable[LocaleConfig]) -> ArticleLayout: ...
    def output_path(self, bcp47: str, slug: str) -> Path: ...


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
    po: polib.POFile | None = None      #: None when missing or unreadable, and in the project's context
    text: str = ""
    exists: bool = False
    error: ParseError | None = None
    parsed: bool = False                #: it exists and parsed (also in the project's context)

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
    """What the checks need of one translation slot of a source."""

    kind: str                           #: as ``segment.Slot.kind``
    context: str | None
    run: EncodedRun                     #: msgid, placeholders, markers, literals
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
    slots: list[SlotInfo] = field(default_factory=list)   #: empty in the project's context
    #: runs in another script than the source language's, without a lang (not units; see segment)
    foreign: list[ForeignRun] = field(default_factory=list)
    #: the parsed source and its slots (an article's context only: they never cross processes)
    document: SourceDocument | None = None
    segments: list[Slot] = field(default_factory=list)

    def finding(self, check_id: str, message: str, *, line: int | None = None,
                severity: Severity | None = None) -> Finding:
        """A finding in the source article."""
        return Finding(check=check_id, severity=severity or default_severity(check_id), message=message,
                       path=self.rel, line=line, article=self.slug)


@dataclass(frozen=True, slots=True)
class FileState:
    """How reading a file went: all the project's context keeps of it (it crosses processes)."""

    exists: bool
    error: PipelineError | None


@dataclass(frozen=True, slots=True)
class ArticleFiles:
    """An article's files in scope: its source, its template, its catalog in each locale (in order)."""

    source: SourceFile
    template: CatalogFile
    catalogs: list[CatalogFile]


@dataclass(slots=True)
class CheckContext:
    """Everything the checks look at: the project's files (or one article's, with their content), the
    settings and the sync plan, with lazily computed views."""

    layout: Layout
    settings: CheckSettings
    locales: list[LocaleConfig]
    sources: list[SourceFile]
    templates: list[CatalogFile]
    catalogs: list[CatalogFile]         #: one per locale in scope and source article, present or not
    plan_factory: PlanFactory
    #: what each check's ``gather`` collected, (slug, data) article by article (the project's context)
    gathered: dict[str, list[tuple[str, Any]]] = field(default_factory=dict)
    #: where checks may keep what they computed for the next run (``.l10n-cache``); None: keep nothing
    cache_dir: Path | None = None
    #: the pipeline's code and configuration, which what checks keep depends on ("": keep nothing of that kind)
    fingerprint: str = ""
    _plans: dict[frozenset[str], Plan] = field(default_factory=dict)        # shared with article contexts
    _indexes: dict[tuple[str, frozenset[str]], Any] = field(default_factory=dict)   # likewise
    _shared: dict[str, Any] = field(default_factory=dict)                             # likewise
    _by_slug: dict[str, SourceFile] = field(default_factory=dict)
    _files: dict[tuple[str, str], CatalogFile] = field(default_factory=dict)  # (locale or "", slug)
    _translations: list[tuple[CatalogFile, polib.POEntry, str, str]] | None = None
    _runs: dict[str, dict[tuple[str, str | None], EncodedRun]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._by_slug = {source.slug: source for source in self.sources}
        self._files = {(cat.code, cat.slug): cat for cat in [*self.templates, *self.catalogs]}

    @classmethod
    def for_project(cls, layout: Layout, *, articles: Sequence[ArticleRef], locales: Sequence[LocaleConfig],
                    settings: CheckSettings, plan: PlanFactory, cache_dir: Path | None = None,
                    fingerprint: str = "") -> "CheckContext":
        """The project's context: every source, template and catalog in scope, none read yet; checks may keep
        what they computed for the next run in ``cache_dir``, for the code and configuration ``fingerprint``."""
        files = [layout.files_of(a.slug, a.path, locales) for a in articles]
        sources = [SourceFile(f.slug, f.source, layout.relative(f.source)) for f in files]
        templates = [CatalogFile(f.template, layout.relative(f.template), f.slug, None) for f in files]
        catalogs = [CatalogFile(each.catalog, layout.relative(each.catalog), f.slug, each.locale)
                    for index in range(len(locales)) for f in files for each in [f.locales[index]]]
        return cls(layout, settings, list(locales), sources, templates, catalogs, plan, cache_dir=cache_dir,
                   fingerprint=fingerprint)

    def articles(self) -> list[ArticleFiles]:
        """Each article's files, in the order of the sources."""
        return [ArticleFiles(source, self._files[("", source.slug)],
                             [self._files[(loc.code, source.slug)] for loc in self.locales])
                for source in self.sources]

    def read_article(self, files: ArticleFiles) -> "CheckContext":
        """The context of one article, its files read: the source segmented, the template and catalogs parsed.

        It shares this context's settings and the plans computed so far; it computes no plan of its own
        (it may live in a worker process, which could not share it): per-article checks compute them in ``prepare``.
        """
        source = SourceFile(files.source.slug, files.source.path, files.source.rel)
        source.error, source.document, source.segments, source.foreign = _read_source(
            source.path, source.slug, source.rel, self.layout.policy)
        source.slots = [SlotInfo(slot.kind, slot.context, slot.run,
                                 unit.key if (unit := slot.unit()) is not None else None,
                                 slot.disclaimer is not None) for slot in source.segments]
        source.parsed = source.error is None
        cats = [CatalogFile(cat.path, cat.rel, cat.slug, cat.locale) for cat in [files.template, *files.catalogs]]
        for cat in cats:
            cat.exists, cat.po, cat.text, cat.error = _read(cat.path, cat.rel)
            cat.parsed = cat.po is not None
        return CheckContext(self.layout, self.settings, self.locales, [source], cats[:1], cats[1:], _unprepared,
                            cache_dir=self.cache_dir, fingerprint=self.fingerprint, _plans=self._plans,
                            _indexes=self._indexes,
                            _shared=self._shared)

    def file_states(self) -> list[FileState]:
        """How reading each file went: the sources, then the templates, then the catalogs."""
        return [FileState(True, s.error) for s in self.sources] + \
            [FileState(c.exists, c.error) for c in [*self.templates, *self.catalogs]]

    def record(self, files: ArticleFiles, states: Sequence[FileState]) -> None:
        """Keep how reading an article's files went (``file_states`` of its context), not their content."""
        source_state, *cat_states = states
        files.source.parsed, files.source.error = source_state.error is None, source_state.error
        for cat, state in zip([files.template, *files.catalogs], cat_states, strict=True):
            # a catalog's state holds the ParseError its reading gave (FileState is shared with sources)
            cat.exists, cat.error = state.exists, cast("ParseError | None", state.error)
            cat.parsed = state.exists and state.error is None

    @property
    def config(self) -> Config:
        """The project's configuration."""
        return self.layout.config

    def plan(self, steps: frozenset[str] = SYNC) -> Plan:
        """What a run of ``steps`` over the locales in scope would do, computed once, in memory."""
        if steps not in self._plans:
            self._plans[steps] = self.plan_factory(steps)
        return self._plans[steps]

    def prepare_plan(self) -> None:
        """Compute the sync plan and its index of changed files now, before worker processes share them."""
        self._changes_by_file(SYNC)

    def prepare_publishing(self) -> None:
        """Compute now, before worker processes share them, the plans that ``published`` may ask for."""
        if self._touched(SYNC):
            self.plan(BUILD)

    def prepare_outputs(self) -> None:
        """Compute now, before worker processes share them, the sync plan's outputs and the files it touches."""
        self._changed_outputs()
        self._touched(SYNC)

    def shared(self, key: str, make: Callable[[], _T]) -> _T:
        """The value of ``key`` for this run, made by ``make()`` the first time: made in a check's ``prepare``,
        in the parent, it is shared with the article contexts (and the workers they live in)."""
        if key not in self._shared:
            self._shared[key] = make()
        return cast(_T, self._shared[key])

    def output_path(self, cat: CatalogFile) -> Path:
        """The output a build writes from a catalog: ``output/<lang>/<slug>.html``."""
        assert cat.locale is not None
        return self.layout.output_path(cat.locale.info.bcp47, cat.slug)

    def output_may_differ(self, cat: CatalogFile) -> bool:
        """Whether the output of a catalog may differ from what a build from the files on disk writes.

        False when the sync plan (which the cache makes cheap) leaves the output, the template and the catalog
        as they are: the output is then what the build writes. Otherwise only building it again can tell.
        """
        template = self._files.get(("", cat.slug))
        if self.output_path(cat).resolve() in self._changed_outputs():
            return True
        return bool({template.path if template is not None else None, cat.path} & self._touched(SYNC))

    def _changed_outputs(self) -> set[Path]:
        key = ("outputs", SYNC)
        if key not in self._indexes:
            self._indexes[key] = {change.path.resolve() for change in self.plan(SYNC).changes
                                  if change.kind == "output"}
        return cast("set[Path]", self._indexes[key])

    def changes_to(self, cat: CatalogFile, steps: frozenset[str] = SYNC) -> list[Any]:
        """The plan's changes that write ``cat`` with new content (paths compared resolved), in plan order."""
        return self._changes_by_file(steps).get(cat.path.resolve(), [])

    def _changes_by_file(self, steps: frozenset[str]) -> dict[Path, list[Any]]:
        key = ("changes", steps)
        if key not in self._indexes:
            index: dict[Path, list[Any]] = {}
            for change in self.plan(steps).changes:
                if change.kind in ("template", "catalog") and change.data is not None:
                    index.setdefault(change.path.resolve(), []).append(change)
            self._indexes[key] = index
        return cast("dict[Path, list[Any]]", self._indexes[key])

    def _touched(self, steps: frozenset[str]) -> set[Path]:
        """The paths of the templates and catalogs a plan changes (as the plan writes them)."""
        key = ("touched", steps)
        if key not in self._indexes:
            self._indexes[key] = {change.path for change in self.plan(steps).changes
                                  if change.kind in ("template", "catalog")}
        return cast("set[Path]", self._indexes[key])

    def gathered_by(self, check_id: str) -> list[tuple[str, Any]]:
        """What a check's ``gather`` collected, as (slug, data) in the order of the articles."""
        return self.gathered.get(check_id, [])

    def readable(self) -> Iterator[CatalogFile]:
        """The catalogs in scope that exist and parsed (with their content: in an article's context)."""
        return (cat for cat in self.catalogs if cat.po is not None)

    def translations(self) -> Iterator[tuple[CatalogFile, polib.POEntry, str, str]]:
        """(catalog, entry, msgid, msgstr) for every translated form of every live, non-fuzzy entry.

        These are the translations a build publishes; a plural entry gives one pair per msgstr[n]
        (msgid for form 0, msgid_plural for the others). Listed once, then remembered.
        """
        if self._translations is None:
            self._translations = list(self._published_forms())
        return iter(self._translations)

    def translations_in(self, language: str) -> Iterator[tuple[CatalogFile, polib.POEntry, str, str]]:
        """:meth:`translations` of the catalogs of one language (``ko``: ``ko`` and ``ko_KR``)."""
        return ((cat, entry, msgid, msgstr) for cat, entry, msgid, msgstr in self.translations()
                if language_of(cat.code) == language)

    def _published_forms(self) -> Iterator[tuple[CatalogFile, polib.POEntry, str, str]]:
        for cat in self.readable():
            assert cat.po is not None
            for entry in cat.po:
                if entry.obsolete or is_fuzzy(entry):
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

    def file(self, locale: str, slug: str) -> CatalogFile | None:
        """The catalog of a locale and article (the template for locale ``""``)."""
        return self._files.get((locale, slug))

    def slots(self, slug: str) -> list[SlotInfo]:
        """The translation slots of an article (empty if its source could not be read)."""
        source = self.source(slug)
        return source.slots if source is not None else []

    def run_for(self, slug: str, msgid: str, context: str | None) -> EncodedRun:
        """The encoding of a msgid as the source has it; derived from the msgid when the source lacks it."""
        runs = self._runs.get(slug)
        if runs is None:
            runs = self._runs[slug] = {}
            for slot in self.slots(slug):
                if slot.kind != "date":
                    runs.setdefault((slot.run.msgid, slot.context), slot.run)
        run = runs.get((msgid, context))
        return run if run is not None else run_from_msgid(msgid)

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
        if {template.path if template is not None else None, catalog.path} & self._touched(SYNC):
            plan = self.plan(BUILD)
        summary = plan.summaries.get(locale)
        if summary is None or any(error.path == source.rel for error in plan.errors):
            return False
        return slug not in {unpublished for unpublished, _ in summary.unpublished}


def _unprepared(steps: frozenset[str]) -> Plan:
    """The plan factory of an article's context: its plans are computed beforehand, in the parent."""
    raise RuntimeError(f"the plan of {sorted(steps)} was not prepared before the articles were read "
                       "(a per-article check computes it in its `prepare`)")


Loaded = tuple[bool, "polib.POFile | None", str, "ParseError | None"]  # exists, parsed, text, error


def _read(path: Path, rel: str) -> Loaded:
    """A PO/POT file read and parsed; a missing file is (False, None, "", None)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return False, None, "", None
    except OSError as exc:
        return True, None, "", ParseError(f"cannot read the file: {exc.strerror}", path=rel)
    po = parse_po_or_error(data, path=rel)
    if isinstance(po, ParseError):
        return True, None, "", po
    return True, po, data.decode("utf-8-sig").replace("\r\n", "\n"), None


def _read_source(path: Path, slug: str, rel: str, policy: SegmentPolicy
                 ) -> tuple[PipelineError | None, SourceDocument | None, list[Slot], list[ForeignRun]]:
    """A source article parsed and segmented (with its foreign-script runs), or why it cannot be read."""
    foreign: list[ForeignRun] = []
    try:
        doc = read_source(path, slug=slug, reference=rel)
        slots = collect_slots(doc, policy, foreign=foreign)
    except PipelineError as exc:
        return exc, None, [], []
    return None, doc, slots, foreign
