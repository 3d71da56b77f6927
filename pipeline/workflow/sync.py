"""Extract, update and build over the whole project: plan a run, in parallel and incrementally."""

from __future__ import annotations

import functools
import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import cast

from pipeline.core.config import LocaleConfig
from pipeline.core.errors import InputErrors, InternalError, ParseError, PipelineError, SourceError
from pipeline.core.locales import parse_locale
from pipeline.core.model import Finding, Stats
from pipeline.core.parallel import Children, ordered_map, start_children
from pipeline.memory.store import IMPORTED, ORPHAN_TIER, MemoryEntry, MemoryIndex, MemoryStore, catalog_entries
from pipeline.po.model import Catalog
from pipeline.text.reasons import SAFETY_REASONS
from pipeline.workflow.cache import StagedArticle
from pipeline.workflow.changes import Change, digest, read_bytes
from pipeline.workflow.incremental import Incremental, state_record
from pipeline.workflow.job import ArticleJob, ArticleOutcome, Settings, SiteLinks
from pipeline.workflow.project import (
    SLUG,
    STEPS,
    Article,
    Project,
    discard_changes,
    discover_articles,
    inside_project,
    published_elsewhere,
    read_catalog,
    refuse_links_outside,
    suggest_slug,
)


@dataclass(slots=True)
class LocaleSummary:
    """Per-locale figures for the summary table."""

    locale: str
    stats: Stats = field(default_factory=Stats)
    articles: int = 0
    published: int = 0
    fallbacks: int = 0
    #: units of published articles that fell back, by reason (missing, fuzzy, citation, tag, number, disclaimer)
    reasons: Counter[str] = field(default_factory=Counter)
    unpublished: list[tuple[str, str]] = field(default_factory=list)

    @property
    def held_back(self) -> int:
        """Units held back because their translation is wrong (a citation, tag, number or disclaimer)."""
        return sum(self.reasons[reason] for reason in SAFETY_REASONS)


@dataclass(slots=True)
class ArticleFigures:
    """One article's figures in one locale (kept only when a run is asked for ``details``)."""

    stats: Stats
    published: bool
    reason: str              #: why it is not published ("" when it is)
    fallbacks: int           #: units of the published page that fell back to the source language
    reasons: dict[str, int]  #: those fallbacks by reason
    title: str | None = None      #: the published page's <title> text
    source_hash: str | None = None
    catalog_hash: str | None = None   #: of the catalog as the run leaves it
    review: dict[str, int] | None = None   #: units per review state (None: the locale's review is off)
    went_fuzzy: list[tuple[str, str]] = field(default_factory=list)   #: (msgid, previous msgid) of fuzzy units


@dataclass(slots=True)
class RunResult:
    """What a run did or would do."""

    changes: list[Change] = field(default_factory=list)
    errors: list[PipelineError] = field(default_factory=list)
    summaries: dict[str, LocaleSummary] = field(default_factory=dict)
    fallbacks: list[Finding] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    #: articles whose template a build (without extract) found out of date with the source
    stale: list[str] = field(default_factory=list)
    articles: int = 0
    #: with ``details``: per locale, per article slug, its figures
    details: dict[str, dict[str, ArticleFigures]] = field(default_factory=dict)
    #: call just before apply_changes: starts what recording the run can do meanwhile (indexing its memory)
    prepare: Callable[[], None] = lambda: None
    #: records the run in the cache; call it after apply_changes (it waits for what ``prepare`` started)
    finish: Callable[[], None] = lambda: None
    #: call instead of ``finish`` when the changes could not all be applied: waits for what ``prepare``
    #: started, records nothing
    abandon: Callable[[], None] = lambda: None


def _settings(project: Project) -> Settings:
    c = project.config
    return Settings(policy=project.policy, project=c.project, bugs_address=c.bugs_address,
                    source_language=c.source_language, reference_lines=c.reference_lines,
                    fuzzy_threshold=c.fuzzy_threshold, memory_threshold=c.memory_threshold,
                    max_source_bytes=c.max_source_bytes, root=c.root, site=site_links(project), review=c.review)


def site_links(project: Project) -> SiteLinks | None:
    """The site's URLs (``base_url``, ``url_pattern``), or None when the project has no base_url."""
    c = project.config
    if not c.base_url:
        return None
    return SiteLinks(c.base_url, parse_locale(c.source_language).bcp47, c.url_pattern,
                     tuple((loc.info.bcp47, loc.url_pattern) for loc in c.locales))


class _RunMemory:
    """Where a run's translation memory lives: the cache's file, updated in place, or a temporary one."""

    def __init__(self, incremental: Incremental | None, *, write: bool) -> None:
        self.source = incremental.memory_index() if incremental is not None else None
        self.index = self.source if write else None
        self._temporary: MemoryIndex | None = None
        self._stores: list[MemoryStore] = []

    def target(self) -> MemoryIndex:
        """The index this run's lookups read (a temporary file unless the cache's may be written)."""
        if self.index is None:
            self.index = self._temporary = MemoryIndex.temporary()
        return self.index

    def lookup(self, locale: str) -> MemoryStore:
        """One locale's memory, for lookups."""
        store = self.target().lookup(locale)
        self._stores.append(store)
        return store

    def close(self) -> None:
        """Close this process's lookups; delete the temporary file."""
        for store in self._stores:
            store.close()
        if self._temporary is not None:
            self._temporary.close()
            self._temporary = self.index = None


class CacheMode(Enum):
    """How a run uses the incremental cache, ``.l10n-cache/`` (full runs only; see :mod:`pipeline.workflow.cache`)."""

    OFF = "off"      #: ignore it: read and compute everything
    READ = "read"    #: skip the articles the last sync left exactly as they are; record nothing
    WRITE = "write"  #: also record this run, through ``RunResult.finish`` once its changes are applied


@dataclass(frozen=True, slots=True)
class RunOptions:
    """What a run is asked to do. The result does not depend on ``jobs`` nor on ``cache``."""

    steps: frozenset[str] = STEPS      #: some of extract, update and build
    locales: tuple[str, ...] = ()      #: locale codes; () for every locale of l10n.yaml
    keep_going: bool = False           #: bad input goes to ``RunResult.errors`` instead of raising InputErrors
    #: write new contents to temporary files beside their targets, for :func:`apply_changes` to rename into place
    stage: bool = False
    keep_content: bool = False         #: without ``stage``, keep new templates and catalogs in memory (Change.data)
    jobs: int = 1                      #: worker processes sharing the articles
    cache: CacheMode = CacheMode.OFF
    #: list every fallback in ``RunResult.fallbacks``; else the summaries only count them (there may be many)
    fallbacks: bool = False
    details: bool = False              #: keep every article's figures per locale in ``RunResult.details``


def plan_run(project: Project, options: RunOptions = RunOptions(), *,
             progress: Callable[[int], None] | None = None) -> RunResult:
    """Read every input and compute every change of a run as ``options`` ask (see :class:`RunOptions`); raise
    InputErrors on bad input unless ``keep_going``.

    With ``stage``, new contents are written to temporary files beside their targets, for
    :func:`apply_changes` to rename into place; on bad input they are removed again, so nothing is
    written. With ``cache`` at WRITE, ``result.finish()`` records this run in the cache once it is applied.
    ``progress`` is told of each article done (1 at a time).
    """
    return _Run(project, options, progress).plan()


class _Run:
    """One run being planned: its articles, its cache and memory, and its result, filled step by step."""

    def __init__(self, project: Project, options: RunOptions, progress: Callable[[int], None] | None) -> None:
        config = project.config
        self.project, self.options, self.progress = project, options, progress
        self.targets = [config.locale(code) for code in options.locales] if options.locales else list(config.locales)
        self.result = RunResult(summaries={loc.code: LocaleSummary(loc.code) for loc in self.targets})
        self.collected = _Collected(self.result, fallbacks=options.fallbacks, details=options.details)
        self.slugs: set[str] = set()                 #: of every article found, valid or not
        self.valid: list[Article] = []               #: the articles the run processes
        self.order: list[str] = []                   #: their slugs, the order of the result's lists
        self.orphans: dict[str, list[str]] = {}      #: per locale, catalogs whose article is gone
        self.incremental: Incremental | None = None  #: the cache, when the run uses one
        self.writing: Incremental | None = None      #: the cache, when the run records itself in it
        self.pending: list[Article] = []             #: the valid articles the cache does not know unchanged
        self.extras: dict[str, Catalog | None | bool] = {}   #: per locale, its imported memory
        self.memory = _RunMemory(None, write=False)
        #: the memory's indexing ``prepare`` started, and the hashes it took the files it read to have
        self.indexing: tuple[Children, dict[str, str | None]] | None = None

    def plan(self) -> RunResult:
        """The run's result, its changes staged or kept as asked; on any exception, nothing staged stays behind."""
        refuse_links_outside(self.project, self.targets)
        self._find_articles()
        self._open_cache()
        self._take_clean()
        memories = self._prepare_memory()
        try:
            self._process(memories)
            self._raise_errors()
        except BaseException:  # bad input, a bug or Ctrl-C
            self._discard()
            raise
        self._tidy()
        self._hand_over_cache()
        return self.result

    def _find_articles(self) -> None:
        """Find the articles (one whose file name is not a slug, or a link to outside the project, is an error)
        and, per locale, the catalogs whose article is gone."""
        project = self.project
        articles = discover_articles(project)
        self.result.articles = len(articles)
        self.slugs = {a.slug for a in articles}
        # a file that is no link is where its folder is: only links, or a folder that leads out, need resolving
        folder_inside = inside_project(project.config.source_dir, project.config.root)
        for article in articles:
            reference = project.relative(article.path)
            if not SLUG.match(article.slug):
                slug = suggest_slug(article.path.stem)
                rename = f"rename it to {slug}{article.path.suffix}" if slug else "rename it"
                self.result.errors.append(SourceError(
                    f"file name {article.path.name!r} is not a valid article slug", path=reference,
                    hint=f"{rename}: a slug has lower-case letters, digits, '.', '_' and '-'"))
            elif (article.link or not folder_inside) and not inside_project(article.path, project.config.root):
                self.result.errors.append(SourceError("the file is a link to outside the project", path=reference,
                                                      hint="copy the article into the source folder instead"))
            else:
                self.valid.append(article)
        self.order = [a.slug for a in self.valid]
        self.orphans = _orphan_slugs(project, self.targets, self.slugs)

    def _open_cache(self) -> None:
        """Open the cache if the run uses it: a full run, read-only unless the cache mode is WRITE."""
        options = self.options
        if options.cache is CacheMode.OFF or options.steps != STEPS:
            return
        self.incremental = Incremental.open(self.project, self.targets, self.valid,
                                            readonly=options.cache is not CacheMode.WRITE,
                                            fallbacks=options.fallbacks, orphans=self.orphans)
        self.writing = self.incremental if options.cache is CacheMode.WRITE else None

    def _take_clean(self) -> None:
        """Take in the articles the cache knows unchanged, as it recorded them; the others are pending."""
        clean: set[str] = set()
        if self.incremental is not None:
            for slug, outcome in self.incremental.clean_articles().items():
                self.collected.add(outcome)
                clean.add(slug)
                self._advance()
        self.pending = [a for a in self.valid if a.slug not in clean]

    def _prepare_memory(self) -> dict[str, MemoryStore] | None:
        """The translation memory the pending articles' update reads: gathered now when the cache knows some of
        it ({} when there is none to gather), or None: gathered later, only if some article turns out to need it."""
        updating = "update" in self.options.steps
        self.extras = {loc.code: read_catalog(self.project, self.project.memory_path(loc.code), self.result.errors)
                       for loc in self.targets} if updating else {}
        self.memory = _RunMemory(self.incremental if updating and self.pending else None,
                                 write=self.writing is not None)
        if not (updating and self.pending):
            return {}
        if self.incremental is not None and self.incremental.knows_memory():
            return self._memories()
        if any(self.extras.values()) or any(self.orphans.values()) or _any_catalog(self.project, self.targets,
                                                                                    self.valid):
            return None
        return {}

    def _process(self, memories: dict[str, MemoryStore] | None) -> None:
        """Process the pending articles (``jobs`` workers share them), again with the memory those that turned out
        to need it; then put the result's lists in slug order, whichever way each outcome was had."""
        jobs = self.options.jobs
        again: list[Article] = []
        work = self._work() if self.pending else None
        for article, (outcome, record) in zip(self.pending, work.run(self.pending, memories, jobs) if work else ()):
            if outcome.needs_memory:
                again.append(article)
                continue
            self._finished(outcome, record)
        if again and work is not None:
            memories = self._memories()
            for outcome, record in work.run(again, memories, jobs):
                self._finished(outcome, record)
        self.memory.close()
        self.collected.finish(self.order)

    def _work(self) -> _Work:
        """How this run processes an article, with the revision date of the catalogs it writes."""
        from pipeline.po.catalog import now_stamp  # the catalogs' module: only when there is work

        cache = self.incremental
        layouts = cache.layouts(self.pending) if cache is not None else {}
        verdicts = (str(cache.cache.path.parent), cache.cache.fingerprint) if cache is not None else None
        return _Work(self.project, self.targets, _settings(self.project), self.options, stamp=now_stamp(),
                     remember=self.writing is not None, layouts=layouts, verdicts=verdicts)

    def _finished(self, outcome: ArticleOutcome, record: StagedArticle | None) -> None:
        """Take in a finished article's outcome: set aside what the cache keeps, add it to the result."""
        if self.writing is not None:
            self.writing.remember(outcome, record)
        self.collected.add(outcome)
        self._advance()

    def _advance(self) -> None:
        """Tell the progress bar of one more article done."""
        if self.progress:
            self.progress(1)

    def _raise_errors(self) -> None:
        """Raise the first internal error (a bug) met, or the bad inputs unless the run keeps going."""
        errors = self.result.errors
        internal = next((e for e in errors if isinstance(e, InternalError)), None)
        if internal is not None:
            raise internal
        if errors and not self.options.keep_going:
            raise InputErrors(errors)

    def _discard(self) -> None:
        """Remove what the run staged, close its memory and its cache."""
        discard_changes(self.result.changes)
        discard_changes(self.collected.changes())
        self.memory.close()
        if self.incremental is not None:
            self.incremental.close()

    def _tidy(self) -> None:
        """Remove the outputs of articles that are gone (when building); list the catalogs that are left over."""
        if "build" in self.options.steps:
            _remove_orphan_outputs(self.project, self.result, self.slugs, self.targets)
        self.result.orphans = _orphan_catalogs(self.project, self.slugs)

    def _hand_over_cache(self) -> None:
        """Leave recording the run to ``result.finish`` when it writes the cache; else close the cache now."""
        if self.writing is not None:
            self.result.prepare = functools.partial(self._start_recording, self.writing)
            self.result.finish = functools.partial(self._record, self.writing)
            self.result.abandon = functools.partial(self._abandon, self.writing)
        elif self.incremental is not None:
            self.incremental.close()

    def _indexed(self, cache: Incremental) -> MemoryIndex | None:
        """The memory the end of the run indexes the translations it staged in; None: nothing to index."""
        index = cache.memory_index()
        return index if "update" in self.options.steps and self.pending and index is not None else None

    def _start_recording(self, cache: Incremental) -> None:
        """Start indexing the translations the run staged, as its catalogs are to be once its changes are applied
        (by the hashes of their new contents): child processes fill the memory while the changes are applied."""
        index = self._indexed(cache)
        if index is None or self.indexing is not None:
            return
        cache.flush()  # the translations set aside so far: the children read them from the memory's files
        expected = {cast(str, change.target): change.new for change in self.result.changes
                    if change.kind in ("catalog", "memory")}
        children = self._start_index(index, index, expected)
        if children is not None:
            self.indexing = (children, expected)

    def _record(self, cache: Incremental) -> None:
        """Record the applied run in the cache and index the memory it staged (or wait for the indexing that
        ``prepare`` started, and index again what is not as the run expected: a file edited meanwhile, or one it
        could not write); close the cache."""
        try:
            cache.store(self.result.changes, close=False)
            index = self._indexed(cache)
            started, self.indexing = self.indexing, None
            if started is not None:
                _check(started[0])
            if index is not None and (started is None or any(
                    cache.catalog_digest(Path(target)) != hashed for target, hashed in started[1].items())):
                self._update_index(index, index)
            cache.drop_stale_staged()
        finally:
            cache.close()

    def _abandon(self, cache: Incremental) -> None:
        """Give up recording the run: wait for the indexing ``prepare`` started (what it indexed is keyed by
        content, true whatever the files hold), then close the cache."""
        try:
            if self.indexing is not None:
                self.indexing[0].wait()
                self.indexing = None
        finally:
            cache.close()

    def _memories(self) -> dict[str, MemoryStore]:
        """Each locale's memory: its article catalogs as they are on disk (by slug), its orphans', then imported
        memory."""
        self._update_index(self.memory.target(), self.memory.source)
        return {loc.code: self.memory.lookup(loc.code) for loc in self.targets}

    def _update_index(self, index: MemoryIndex, source: MemoryIndex | None) -> None:
        """Bring ``index`` up to date with the catalogs as they are on disk and the imported memory.

        Catalogs whose translations the cache (``source``) holds by their current hash are not parsed again. The
        locales' files are filled side by side by ``jobs`` child processes (one locale or more each), catalog by
        catalog, so that neither this process nor the workers it forks later grow by it.
        """
        children = self._start_index(index, source)
        if children is not None:
            _check(children)

    def _start_index(self, index: MemoryIndex, source: MemoryIndex | None,
                     expected: Mapping[str, str | None] | None = None) -> Children | None:
        """Start the child processes of :meth:`_update_index` and return them; None: nothing to index.
        ``expected``: the hashes of files as they are to be (by path), in place of those the run found."""
        plans = [plan for plan in self._memory_plan(index, source, expected or {}) if plan.busy()]
        if not plans:
            return None
        children = min(max(1, self.options.jobs), len(plans))
        parsers = max(1, self.options.jobs // children)  # the workers each child may parse catalogs with
        shares = [(index, source, plans[start::children], parsers) for start in range(children)]
        index.shrink()  # the children fork from this process: they need none of its page cache
        return start_children(_build_memory, shares)

    def _memory_plan(self, index: MemoryIndex, source: MemoryIndex | None,
                     expected: Mapping[str, str | None]) -> list[_MemoryPlan]:
        """What bringing ``index`` up to date takes, locale by locale (see :meth:`_update_index`), for files with
        the hashes ``expected`` gives (by path), the others as the run found them."""
        project, incremental = self.project, self.incremental

        def hash_of(path: Path) -> str | None:
            if str(path) in expected:
                return expected[str(path)]
            return incremental.catalog_digest(path) if incremental else None
        plans = []
        for loc in self.targets:
            plan = _MemoryPlan(loc.code)
            plans.append(plan)
            wanted: dict[str, str | None] = {}
            for slug in [*sorted(self.order), *self.orphans.get(loc.code, ())]:
                hashed = hash_of(project.catalog_path(loc.code, slug))
                if incremental is None or hashed is not None:  # without the cache, absence is found when parsing
                    wanted[slug] = hashed
            plan.orphans.update((loc.code, slug) for slug in self.orphans.get(loc.code, ()))
            extra = self.extras.get(loc.code)
            if isinstance(extra, Catalog):
                wanted[IMPORTED] = hash_of(project.memory_path(loc.code))
            plan.keep = list(wanted)
            held = index.catalogs(loc.code)
            plan.drop = bool(set(held) - set(wanted))
            known = source.known(loc.code) if source is not None else set()
            for origin, hashed in wanted.items():
                if hashed is not None and held.get(origin) == hashed:
                    continue
                if origin == IMPORTED:
                    # IMPORTED is wanted only above, for an imported catalog
                    plan.imported = (hashed, cast(Catalog, extra))
                    continue
                task = (loc.code, origin, hashed, str(project.catalog_path(loc.code, origin)))
                (plan.known if (origin, hashed) in known else plan.parse).append(task)
        return plans


def _check(children: Children) -> None:
    """Wait for the children filling the memory; raise InternalError if one failed."""
    status = next((status for status in children.wait() if status != 0), 0)
    if status != 0:
        raise InternalError(f"internal error (filling the translation memory: exit status {status})")


@dataclass(frozen=True, slots=True)
class _Work:
    """Processing one article as a run asks (in a worker process): its job, the outcome, the cache's record."""

    project: Project
    targets: list[LocaleConfig]
    settings: Settings
    options: RunOptions
    stamp: str
    remember: bool       #: the run records itself in the cache
    #: the layouts of the PO and POT files an earlier sync wrote, as the articles' files are now (by content hash)
    layouts: Mapping[str, bytes] = field(default_factory=dict)
    #: where the cache records the translations found without a problem: (its folder, its fingerprint)
    verdicts: tuple[str, str] | None = None

    def job(self, article: Article) -> ArticleJob:
        """What :func:`process_article` needs to know of an article (made in the worker: there may be many)."""
        p, options = self.project, self.options
        files = p.files_of(article.slug, article.path, self.targets)
        return ArticleJob(
            slug=article.slug, source=article.path, reference=p.relative(article.path),
            template=files.template,
            catalogs=tuple((f.locale, f.catalog, str(f.output)) for f in files.locales),
            steps=options.steps, stamp=self.stamp, stage=options.stage, keep=options.keep_content,
            root=p.config.root, remember=self.remember, elsewhere=published_elsewhere(p, self.targets, article.slug),
            layouts=self.layouts, verdicts=self.verdicts)

    def run(self, articles: list[Article], memories: dict[str, MemoryStore] | None,
            workers: int) -> Iterator[tuple[ArticleOutcome, StagedArticle | None]]:
        """(outcome, cache record) of each article, in order, computed by ``workers`` forked processes."""
        from pipeline.workflow.article import process_article  # lxml, babel, polib: only when there is work

        def one(article: Article) -> tuple[ArticleOutcome, StagedArticle | None]:
            outcome = process_article(self.job(article), self.settings, memories)
            record = state_record(outcome) if self.remember and not outcome.needs_memory else None
            if not self.options.fallbacks:
                for done in outcome.locales.values():
                    done.fallbacks = []  # counted in fallback_count; the cache's record has them
            return outcome, record

        return ordered_map(one, articles, workers, at_least=4)


class _Collected:
    """A run's result, filled as outcomes arrive, keeping of each article only what the result lists."""

    def __init__(self, result: RunResult, *, fallbacks: bool, details: bool = False) -> None:
        self.result, self.fallbacks, self.details = result, fallbacks, details
        self._lists: dict[str, tuple[list[Change], list[PipelineError], list[Finding]]] = {}

    def add(self, outcome: ArticleOutcome) -> None:
        """Count an article's figures in; keep its changes, errors and (if asked) fallbacks for :meth:`finish`."""
        findings: list[Finding] = []
        if outcome.stale:
            self.result.stale.append(outcome.slug)
        for code, done in outcome.locales.items():
            if done.skipped:
                continue
            summary = self.result.summaries[code]
            summary.articles += 1
            summary.stats.add(done.stats)
            if done.published:
                summary.published += 1
                summary.fallbacks += done.fallback_count
                summary.reasons.update(done.reasons)
                if self.fallbacks:
                    findings.extend(done.fallbacks)
            elif done.reason:
                summary.unpublished.append((outcome.slug, done.reason))
            if self.details:
                self.result.details.setdefault(code, {})[outcome.slug] = ArticleFigures(
                    done.stats, done.published, "" if done.published else done.reason,
                    done.fallback_count if done.published else 0, dict(done.reasons) if done.published else {},
                    done.title if done.published else None, outcome.source, done.catalog, done.review,
                    list(done.went_fuzzy))
        if outcome.changes or outcome.errors or findings:
            self._lists[outcome.slug] = (outcome.changes, outcome.errors, findings)

    def changes(self) -> list[Change]:
        """The changes of the articles added and not yet finished."""
        return [change for changes, _, _ in self._lists.values() for change in changes]

    def finish(self, order: list[str]) -> None:
        """Put the articles' changes, errors and fallbacks in the result, in the order of ``order`` (slugs)."""
        for slug in order:
            changes, errors, findings = self._lists.pop(slug, ((), (), ()))
            self.result.changes.extend(changes)
            self.result.errors.extend(errors)
            self.result.fallbacks.extend(findings)
        position = {slug: index for index, slug in enumerate(order)}
        for summary in self.result.summaries.values():
            summary.unpublished.sort(key=lambda pair: position[pair[0]])


def _any_catalog(project: Project, targets: list[LocaleConfig], valid: list[Article]) -> bool:
    """Whether any article catalog exists that a memory could be made of."""
    return any(project.catalog_path(loc.code, a.slug).exists() for loc in targets for a in valid)


def _catalog_memory(task: tuple[str, str, str | None, str]
                    ) -> tuple[str, str, str | None, list[MemoryEntry] | None]:
    """(locale, slug, hash, translations) of one catalog; None if it is absent, none if it does not parse."""
    from pipeline.po.files import parse_po_or_error  # in the child that fills the memory

    locale, slug, hashed, path = task
    data = read_bytes(Path(path))
    if data is None:
        return locale, slug, hashed, None
    po = parse_po_or_error(data, path=path)
    if isinstance(po, ParseError):
        return locale, slug, hashed, []  # its article reports it
    return locale, slug, hashed, catalog_entries(po, slug)


def _parsed(tasks: list[tuple[str, str, str | None, str]], workers: int
            ) -> Iterator[tuple[str, str, str | None, list[MemoryEntry] | None]]:
    """The translations of catalogs, parsed by ``workers`` processes, yielded as they come (few queued at once)."""
    return ordered_map(_catalog_memory, tasks, workers, at_least=8, window=256)


def _fill(index: MemoryIndex, items: Iterable[tuple[str, str, str | None, list[MemoryEntry] | None]],
          orphans: set[tuple[str, str]] | frozenset[tuple[str, str]] = frozenset()) -> None:
    """Put catalogs' translations in the index, a few dozen catalogs a transaction (each commit is whole);
    ``orphans`` (locale, origin) rank after every live article's."""
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, 64)):
        with index.batch():
            for locale, origin, hashed, entries in chunk:
                if entries is not None:
                    index.replace(locale, origin, hashed, entries,
                                  tier=ORPHAN_TIER if (locale, origin) in orphans else None)


@dataclass(slots=True)
class _MemoryPlan:
    """What bringing one locale's memory up to date takes: the catalogs to keep, add or replace."""

    locale: str
    keep: list[str] = field(default_factory=list)                                      #: origins
    drop: bool = False                                                                 #: some are not kept
    imported: tuple[str | None, Catalog] | None = None                                 #: hash, catalog
    known: list[tuple[str, str, str | None, str]] = field(default_factory=list)        #: held by the cache
    parse: list[tuple[str, str, str | None, str]] = field(default_factory=list)        #: (locale, slug, hash, path)
    orphans: set[tuple[str, str]] = field(default_factory=set)                         #: (locale, slug) of orphans

    def busy(self) -> bool:
        """Whether the locale's memory has something to change."""
        return self.drop or self.imported is not None or bool(self.known or self.parse)


def _build_memory(index: MemoryIndex, source: MemoryIndex | None, plans: list[_MemoryPlan], workers: int) -> None:
    """Bring some locales' memory up to date as planned, through connections of this process's own."""
    target = index.reopen(files=len(plans))
    reader = target if source is index else source.reopen(files=len(plans)) if source is not None else None
    orphans = {orphan for plan in plans for orphan in plan.orphans}
    # article by article, its locales together: they share source texts (and so the terms they are found by)
    known = sorted((task for plan in plans for task in plan.known), key=lambda task: (task[1], task[0]))
    parse = sorted((task for plan in plans for task in plan.parse), key=lambda task: (task[1], task[0]))
    try:
        for plan in plans:
            target.keep_only(plan.locale, plan.keep)
            if plan.imported is not None:
                hashed, po = plan.imported
                _fill(target, [(plan.locale, IMPORTED, hashed, catalog_entries(po, IMPORTED))])
        # plan.known holds the catalogs the source index knows by (origin, hash): there is a reader, and a hash
        _fill(target, (_known_memory(cast(MemoryIndex, reader), cast("tuple[str, str, str, str]", task))
                       for task in known), orphans)
        _fill(target, _parsed(parse, workers), orphans)
    finally:
        if reader is not None and reader is not target:
            reader.close()
        target.close()


def _known_memory(source: MemoryIndex, task: tuple[str, str, str, str]
                  ) -> tuple[str, str, str | None, list[MemoryEntry] | None]:
    """(locale, slug, hash, translations) of a catalog the cache holds (parsed after all if it no longer does)."""
    locale, slug, hashed, _ = task
    entries = source.entries(locale, slug, hashed)
    return (locale, slug, hashed, entries) if entries is not None else _catalog_memory(task)


def _remove_orphan_outputs(project: Project, result: RunResult, slugs: set[str],
                           targets: list[LocaleConfig]) -> None:
    for loc in targets:
        folder = project.config.output_dir / loc.info.bcp47
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.html")):
            if path.stem not in slugs:
                result.changes.append(Change(path, "output", remove=True, expected=digest(read_bytes(path))))


def _orphan_slugs(project: Project, targets: list[LocaleConfig], slugs: set[str]) -> dict[str, list[str]]:
    """Per target locale, the slugs of its catalogs whose source article is gone (sorted): memory for renames."""
    found: dict[str, list[str]] = {}
    for loc in targets:
        folder = project.config.locales_dir / loc.code
        found[loc.code] = sorted(p.stem for p in folder.glob("*.po")
                                 if p.stem not in slugs and SLUG.match(p.stem) and p.is_file()) if folder.is_dir() else []
    return found


def _orphan_catalogs(project: Project, slugs: set[str]) -> list[str]:
    """Catalogs of configured locales (and templates) whose source article is gone."""
    config = project.config
    found = [p for loc in config.locales for p in sorted((config.locales_dir / loc.code).glob("*.po"))]
    found += sorted(config.templates_dir.glob("*.pot"))
    return [project.relative(p) for p in found if p.stem not in slugs]


