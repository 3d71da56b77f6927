"""What the checks look at: the project's files or one article's, with the settings and the sync plan.

A run of the checks has two kinds of context, which share one ``Session`` (the layout, the settings, the
locales in scope, the plans computed for the run and the values checks made for it):

- the ``ProjectContext`` lists every source, template and catalog in scope and keeps how reading each one
  went, never its content. It computes the plans and collects what the workers gathered. Checks across
  articles run over it, in the parent.
- an ``ArticleContext`` (``ProjectContext.read_article``) holds one article's files with their content.
  Per-article checks run over it, in the worker process that read the article. It computes no plan (a worker
  could not share it): it reads the plans its checks' ``prepare`` computed in the parent.

The project layout and the sync plan come from the caller (see ``pipeline.workflow.quality``): this package
does not import ``workflow``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar, cast

from pipeline.checks.inputs import (
    ArticleFiles,
    CatalogFile,
    CatalogInScope,
    FileState,
    SourceFile,
    SourceInScope,
    SourceReadings,
    SyncedTemplates,
    read_catalog_file,
    read_source_file,
)
from pipeline.checks.languages.base import language_of
from pipeline.checks.settings import CheckSettings
from pipeline.core.config import Config, LocaleConfig
from pipeline.core.errors import ParseError
from pipeline.core.files import content_digest
from pipeline.core.layout import ArticleLayout
from pipeline.core.model import Key
from pipeline.core.wording import quote as quote  # noqa: F401  (the checks quote texts with it)
from pipeline.html.extract import SegmentPolicy
from pipeline.po.model import Entry
from pipeline.text.placeholders import EncodedRun
from pipeline.text.verdict import VerdictRecords, run_from_msgid, verdict_key

#: The steps of a sync, and of a build from the catalogs as they are on disk (``workflow.STEPS`` names).
SYNC = frozenset({"extract", "update", "build"})
BUILD = frozenset({"build"})

#: The type of a value a run shares between its contexts (see ``Session.shared``).
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
class Session:
    """What the contexts of one run share: the layout, settings and locales in scope, the plans the project's
    context computed (with their indexes), and the values checks made for the run."""

    layout: Layout
    settings: CheckSettings
    locales: list[LocaleConfig]
    #: where checks may keep what they computed for the next run (``.l10n-cache``); None: keep nothing
    cache_dir: Path | None = None
    #: the pipeline's code and configuration, which what checks keep depends on ("": keep nothing of that kind)
    fingerprint: str = ""
    #: the articles are being checked by forked workers, which leave to the parent what takes long to load (a
    #: check raises ``LoadFirst`` for an article that needs it, and its ``load`` runs in the parent)
    defers_loads: bool = False
    #: the translations the last sync's build found without a problem (its verdict records), for
    #: :meth:`ArticleContext.known_clean`; None: the run reads none
    verdicts: VerdictRecords | None = None
    #: the sources the last sync segmented (their slots, by content hash): the same bytes are not segmented
    #: again; None: the run segments every source
    readings: SourceReadings | None = None
    #: the templates the last sync recorded, which parse: the same bytes are parsed only if a check reads them;
    #: None: the run parses every template
    templates: SyncedTemplates | None = None
    plans: dict[frozenset[str], Plan] = field(default_factory=dict)   #: computed by the project's context
    _indexes: dict[tuple[str, frozenset[str]], Any] = field(default_factory=dict)
    _values: dict[str, Any] = field(default_factory=dict)

    @property
    def config(self) -> Config:
        """The project's configuration."""
        return self.layout.config

    def shared(self, key: str, make: Callable[[], _T]) -> _T:
        """The value of ``key`` for this run, made by ``make()`` the first time: made in a check's ``prepare``,
        in the parent, it is shared with the article contexts (and the workers they live in)."""
        if key not in self._values:
            self._values[key] = make()
        return cast(_T, self._values[key])

    def plan(self, steps: frozenset[str]) -> Plan:
        """The plan of a run of ``steps``, as the project's context computed it; a RuntimeError if it did not."""
        if steps not in self.plans:
            raise RuntimeError(f"the plan of {sorted(steps)} was not prepared before the articles were read "
                               "(a per-article check computes it in its `prepare`)")
        return self.plans[steps]

    def changes_by_file(self, steps: frozenset[str]) -> dict[Path, list[Any]]:
        """The plan's changes that write a template or catalog with new content, by resolved path, in plan order."""
        key = ("changes", steps)
        if key not in self._indexes:
            index: dict[Path, list[Any]] = {}
            for change in self.plan(steps).changes:
                if change.kind in ("template", "catalog") and change.data is not None:
                    index.setdefault(change.path.resolve(), []).append(change)
            self._indexes[key] = index
        return cast("dict[Path, list[Any]]", self._indexes[key])

    def touched(self, steps: frozenset[str]) -> set[Path]:
        """The paths of the templates and catalogs a plan changes (as the plan writes them)."""
        key = ("touched", steps)
        if key not in self._indexes:
            self._indexes[key] = {change.path for change in self.plan(steps).changes
                                  if change.kind in ("template", "catalog")}
        return cast("set[Path]", self._indexes[key])

    def unpublished(self, steps: frozenset[str]) -> dict[str, dict[str, str]]:
        """What a plan leaves unpublished: locale -> slug -> reason, for the locales it has a summary of."""
        key = ("unpublished", steps)
        if key not in self._indexes:
            self._indexes[key] = {code: dict(summary.unpublished)
                                  for code, summary in self.plan(steps).summaries.items()}
        return cast("dict[str, dict[str, str]]", self._indexes[key])

    def errors_by_path(self, steps: frozenset[str]) -> dict[str | None, list[Any]]:
        """A plan's errors by the project-relative path they name, in plan order."""
        key = ("errors", steps)
        if key not in self._indexes:
            index: dict[str | None, list[Any]] = {}
            for error in self.plan(steps).errors:
                index.setdefault(error.path, []).append(error)
            self._indexes[key] = index
        return cast("dict[str | None, list[Any]]", self._indexes[key])

    def changed_outputs(self) -> set[Path]:
        """The outputs the sync plan writes, resolved."""
        key = ("outputs", SYNC)
        if key not in self._indexes:
            self._indexes[key] = {change.path.resolve() for change in self.plan(SYNC).changes
                                  if change.kind == "output"}
        return cast("set[Path]", self._indexes[key])


@dataclass(slots=True)
class Context:
    """What both kinds of context give a check: the session's layout, settings, locales and shared values."""

    session: Session

    @property
    def layout(self) -> Layout:
        """Where the project's files are."""
        return self.session.layout

    @property
    def settings(self) -> CheckSettings:
        """The checks' settings (l10n.yaml ``checks:``, ``glossary:``, the command line's thresholds)."""
        return self.session.settings

    @property
    def config(self) -> Config:
        """The project's configuration."""
        return self.session.config

    @property
    def locales(self) -> list[LocaleConfig]:
        """The locales in scope, in order."""
        return self.session.locales

    @property
    def cache_dir(self) -> Path | None:
        """Where checks may keep what they computed for the next run; None: keep nothing."""
        return self.session.cache_dir

    @property
    def fingerprint(self) -> str:
        """The pipeline's code and configuration, which what checks keep depends on ("": keep nothing)."""
        return self.session.fingerprint

    def shared(self, key: str, make: Callable[[], _T]) -> _T:
        """The value of ``key`` for this run (``Session.shared``)."""
        return self.session.shared(key, make)


@dataclass(slots=True)
class ProjectContext(Context):
    """The project's files in scope, with how reading each one went (not their content), the plans, and what
    the workers gathered for the checks across articles."""

    plan_factory: PlanFactory
    sources: list[SourceInScope]
    templates: list[CatalogInScope]
    catalogs: list[CatalogInScope]      #: one per locale in scope and source article, present or not
    #: what each check's ``gather`` collected, (slug, data) article by article
    gathered: dict[str, list[tuple[str, Any]]] = field(default_factory=dict)
    _files: dict[tuple[str, str], CatalogInScope] = field(default_factory=dict)  # (locale or "", slug)

    def __post_init__(self) -> None:
        self._files = {(cat.code, cat.slug): cat for cat in [*self.templates, *self.catalogs]}

    @classmethod
    def for_project(cls, layout: Layout, *, articles: Sequence[ArticleRef], locales: Sequence[LocaleConfig],
                    settings: CheckSettings, plan: PlanFactory, cache_dir: Path | None = None,
                    fingerprint: str = "", verdicts: VerdictRecords | None = None,
                    readings: SourceReadings | None = None,
                    templates: SyncedTemplates | None = None) -> "ProjectContext":
        """Every source, template and catalog in scope, none read yet; checks may keep what they computed for
        the next run in ``cache_dir``, for the code and configuration ``fingerprint``, and may take the last
        sync's ``verdicts`` (see :meth:`ArticleContext.known_clean`), ``readings`` of the sources it
        segmented (see :func:`~pipeline.checks.inputs.read_source_file`) and record of the ``templates`` it
        left (see :func:`~pipeline.checks.inputs.read_catalog_file`)."""
        files = [layout.files_of(a.slug, a.path, locales) for a in articles]
        sources = [SourceInScope(f.slug, f.source, layout.relative(f.source)) for f in files]
        template_files = [CatalogInScope(f.template, layout.relative(f.template), f.slug, None) for f in files]
        catalogs = [CatalogInScope(each.catalog, layout.relative(each.catalog), f.slug, each.locale)
                    for index in range(len(locales)) for f in files for each in [f.locales[index]]]
        session = Session(layout, settings, list(locales), cache_dir=cache_dir, fingerprint=fingerprint,
                          verdicts=verdicts, readings=readings, templates=templates)
        return cls(session, plan, sources, template_files, catalogs)

    def articles(self) -> list[ArticleFiles]:
        """Each article's files, in the order of the sources."""
        return [ArticleFiles(source, self._files[("", source.slug)],
                             [self._files[(loc.code, source.slug)] for loc in self.locales])
                for source in self.sources]

    def read_article(self, files: ArticleFiles) -> "ArticleContext":
        """The context of one article, its files read; it shares this context's session."""
        return ArticleContext.read(self.session, files)

    def record(self, files: ArticleFiles, states: Sequence[FileState]) -> None:
        """Keep how reading an article's files went (``ArticleContext.file_states``), not their content."""
        source_state, *cat_states = states
        files.source.parsed, files.source.error = source_state.error is None, source_state.error
        for cat, state in zip([files.template, *files.catalogs], cat_states, strict=True):
            # a catalog's state holds the ParseError its reading gave (FileState is shared with sources)
            cat.exists, cat.error = state.exists, cast("ParseError | None", state.error)
            cat.parsed = state.exists and state.error is None

    def gathered_by(self, check_id: str) -> list[tuple[str, Any]]:
        """What a check's ``gather`` collected, as (slug, data) in the order of the articles."""
        return self.gathered.get(check_id, [])

    def file(self, locale: str, slug: str) -> CatalogInScope | None:
        """The catalog of a locale and article (the template for locale ``""``)."""
        return self._files.get((locale, slug))

    def plan(self, steps: frozenset[str] = SYNC) -> Plan:
        """What a run of ``steps`` over the locales in scope would do, computed once, in memory."""
        if steps not in self.session.plans:
            self.session.plans[steps] = self.plan_factory(steps)
        return self.session.plans[steps]

    def plan_digest(self, files: ArticleFiles) -> str:
        """A digest of what the plans say of one article, as the per-article checks read it through
        ``changes_to``, ``output_may_differ`` and ``published``: the sync plan's changes to its template and
        catalogs (with their data), whether it touches them or writes their outputs, its publish decision per
        locale and the plan's errors in its source; and when the sync touches its files, the plan of a build's
        changes to them, decisions and errors. Two runs with the same digest (and the same files) give those
        helpers the same answers.
        """
        session = self.session
        self.plan(SYNC)
        touched, by_file, outputs = session.touched(SYNC), session.changes_by_file(SYNC), session.changed_outputs()
        parts: list[object] = []
        build_too = False
        for cat in [files.template, *files.catalogs]:   # (a no-op plan changes nothing: nothing to resolve)
            changes = [(change.kind, _data_digest(change.data))
                       for change in (by_file.get(cat.path.resolve(), []) if by_file else [])]
            build_too = build_too or cat.path in touched
            parts.append((cat.rel, cat.path in touched, changes))
        for cat in files.catalogs:
            assert cat.locale is not None
            output = self.layout.output_path(cat.locale.info.bcp47, cat.slug)
            parts.append((str(output), bool(outputs) and output.resolve() in outputs))
        for steps in (SYNC, BUILD) if build_too else (SYNC,):
            self.plan(steps)
            unpublished = session.unpublished(steps)
            parts.append(sorted(steps))
            if steps is BUILD:          # what ``changes_to(cat, BUILD)`` would say
                built = session.changes_by_file(BUILD)
                parts.append([[(change.kind, _data_digest(change.data))
                               for change in (built.get(cat.path.resolve(), []) if built else [])]
                              for cat in [files.template, *files.catalogs]])
            for cat in files.catalogs:
                by_slug = unpublished.get(cat.code)
                parts.append((cat.code, by_slug is not None, by_slug.get(cat.slug) if by_slug is not None else None))
            parts.append([(type(error).__name__, error.message, error.line, error.hint)
                          for error in session.errors_by_path(steps).get(files.source.rel, [])])
        return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=20).hexdigest()

    def prepare_plan(self) -> None:
        """Compute the sync plan and its index of changed files now, before worker processes share them."""
        self.plan(SYNC)
        self.session.changes_by_file(SYNC)

    def prepare_publishing(self) -> None:
        """Compute now, before worker processes share them, the plans that ``published`` may ask for."""
        self.plan(SYNC)
        if self.session.touched(SYNC):
            self.plan(BUILD)

    def prepare_outputs(self) -> None:
        """Compute now, before worker processes share them, the sync plan's outputs and the files it touches."""
        self.plan(SYNC)
        self.session.changed_outputs()
        self.session.touched(SYNC)


def _data_digest(data: bytes | str | None) -> str | None:
    """A digest of what a change writes (None: it removes the file)."""
    if data is None:
        return None
    return content_digest(data if isinstance(data, bytes) else data.encode("utf-8"))


@dataclass(slots=True)
class ArticleContext(Context):
    """One article's files with their content: its source segmented, its template and catalogs parsed; and
    what the plans the project's context prepared say of them."""

    source: SourceFile
    template: CatalogFile
    catalogs: list[CatalogFile]         #: one per locale in scope, present or not
    _translations: list[tuple[CatalogFile, Entry, str, str]] | None = None
    _runs: dict[tuple[str, str | None], tuple[EncodedRun, bool]] | None = None
    _clean: set[tuple[int, str]] | None = None

    @classmethod
    def read(cls, session: Session, files: ArticleFiles) -> "ArticleContext":
        """An article's files read: the source segmented, the template and catalogs parsed."""
        return cls(session, read_source_file(files.source, session.layout.policy, session.readings),
                   read_catalog_file(files.template, session.templates),
                   [read_catalog_file(cat) for cat in files.catalogs])

    def file_states(self) -> list[FileState]:
        """How reading each file went: the source, the template, then the catalogs."""
        return [FileState(True, self.source.error)] + \
            [FileState(c.exists, c.error) for c in [self.template, *self.catalogs]]

    def readable(self) -> Iterator[CatalogFile]:
        """The article's catalogs that exist and parsed."""
        return (cat for cat in self.catalogs if cat.po is not None)

    def translations(self) -> Iterator[tuple[CatalogFile, Entry, str, str]]:
        """(catalog, entry, msgid, msgstr) for every translated form of every live, non-fuzzy entry.

        These are the translations a build publishes; a plural entry gives one pair per msgstr[n]
        (msgid for form 0, msgid_plural for the others). Listed once, then remembered.
        """
        if self._translations is None:
            self._translations = list(self._published_forms())
        return iter(self._translations)

    def translations_in(self, language: str) -> Iterator[tuple[CatalogFile, Entry, str, str]]:
        """:meth:`translations` of the catalogs of one language (``ko``: ``ko`` and ``ko_KR``)."""
        return ((cat, entry, msgid, msgstr) for cat, entry, msgid, msgstr in self.translations()
                if language_of(cat.code) == language)

    def _published_forms(self) -> Iterator[tuple[CatalogFile, Entry, str, str]]:
        for cat in self.readable():
            assert cat.po is not None
            for entry in cat.po:
                if entry.obsolete or entry.fuzzy:
                    continue
                if entry.msgid_plural:
                    for index, msgstr in sorted(entry.msgstr_plural.items()):
                        if msgstr:
                            yield cat, entry, entry.msgid if index == 0 else entry.msgid_plural, msgstr
                elif entry.msgstr:
                    yield cat, entry, entry.msgid, entry.msgstr

    def run_for(self, msgid: str, context: str | None) -> EncodedRun:
        """The encoding of a msgid as the source has it; derived from the msgid when the source lacks it."""
        found = self._slot_run(msgid, context)
        return found[0] if found is not None else run_from_msgid(msgid)

    def _slot_run(self, msgid: str, context: str | None) -> tuple[EncodedRun, bool] | None:
        """The run of the source's first slot with this msgid and context, and whether it is in the disclaimer."""
        if self._runs is None:
            self._runs = {}
            for slot in self.source.slots:
                if slot.kind != "date":
                    self._runs.setdefault((slot.run.msgid, slot.context), (slot.run, slot.in_disclaimer))
        return self._runs.get((msgid, context))

    def known_clean(self, entry: Entry, msgid: str) -> bool:
        """Whether the last sync's build found this translation (of :meth:`translations`) without a problem,
        so that it has no citation, placeholder or number problem: the build's verdict (``text.verdict``)
        checks each, on the same msgstr, run and locales. False when the records cannot say: then check it."""
        if self._clean is None:
            self._clean = self._known_clean()
        return (id(entry), msgid) in self._clean

    def _known_clean(self) -> set[tuple[int, str]]:
        """(id of the entry, msgid) of the translations the verdict records know clean, asked in one go; only
        a plain translation of a source's run (no plural, no ``python-format``) is looked up, as the build
        keyed it."""
        known = self.session.verdicts
        if known is None:
            return set()
        source_locale = self.config.source_language.replace("-", "_")
        keys: dict[bytes, list[tuple[int, str]]] = {}
        for cat, entry, msgid, msgstr in self.translations():
            found = self._slot_run(msgid, entry.msgctxt)
            if found is None or entry.msgid_plural or "python-format" in entry.flags or cat.locale is None \
                    or cat.code != cat.locale.info.gettext:
                continue
            run, in_disclaimer = found
            key = verdict_key(msgstr, run, source_locale=source_locale, target_locale=cat.locale.info.gettext,
                              disclaimer=in_disclaimer)
            keys.setdefault(key, []).append((id(entry), msgid))
        if not keys:
            return set()
        return {item for key in known.clean(keys, article=self.source.slug) for item in keys[key]}

    def disclaimer_keys(self) -> list[Key]:
        """(msgctxt, msgid) of the units inside the article's disclaimer, in document order."""
        keys = [slot.unit for slot in self.source.slots if slot.in_disclaimer and slot.unit is not None]
        return list(dict.fromkeys(keys))

    def plan(self, steps: frozenset[str] = SYNC) -> Plan:
        """What a run of ``steps`` would do, as a check's ``prepare`` had the project's context compute it."""
        return self.session.plan(steps)

    def changes_to(self, cat: CatalogFile, steps: frozenset[str] = SYNC) -> list[Any]:
        """The plan's changes that write ``cat`` with new content (paths compared resolved), in plan order."""
        return self.session.changes_by_file(steps).get(cat.path.resolve(), [])

    def output_path(self, cat: CatalogFile) -> Path:
        """The output a build writes from a catalog: ``output/<lang>/<slug>.html``."""
        assert cat.locale is not None
        return self.layout.output_path(cat.locale.info.bcp47, cat.slug)

    def output_may_differ(self, cat: CatalogFile) -> bool:
        """Whether the output of a catalog may differ from what a build from the files on disk writes.

        False when the sync plan (which the cache makes cheap) leaves the output, the template and the catalog
        as they are: the output is then what the build writes. Otherwise only building it again can tell.
        """
        if self.output_path(cat).resolve() in self.session.changed_outputs():
            return True
        return bool({self.template.path, cat.path} & self.session.touched(SYNC))

    def published(self, cat: CatalogFile) -> bool:
        """Whether a build from the catalogs as they are publishes the article in a catalog's locale.

        The decision is workflow's own (the publish threshold against the share of the article's units
        translated), taken from the plan of a build; a sync that would change the catalogs is ``stale``.
        """
        if not self.source.parsed or self.template.error is not None or cat.error is not None:
            return False
        # A sync that changes neither the template nor the catalog builds from the catalogs as they are:
        # its plan (which the cache makes cheap) already holds the decision. Otherwise, plan a build.
        plan = self.plan(SYNC)
        if {self.template.path, cat.path} & self.session.touched(SYNC):
            plan = self.plan(BUILD)
        summary = plan.summaries.get(cat.code)
        if summary is None or any(error.path == self.source.rel for error in plan.errors):
            return False
        return cat.slug not in {unpublished for unpublished, _ in summary.unpublished}
