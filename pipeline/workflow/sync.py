"""Extract, update and build over the whole project: plan a run, in parallel and incrementally."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import polib

from pipeline.core.config import LocaleConfig
from pipeline.core.errors import InputErrors, InternalError, ParseError, PipelineError, SourceError
from pipeline.core.locales import parse_locale
from pipeline.core.model import Finding, Stats
from pipeline.core.parallel import in_child, ordered_map
from pipeline.memory.store import IMPORTED, ORPHAN_TIER, MemoryEntry, MemoryIndex, MemoryStore, catalog_entries
from pipeline.po.catalog import now_stamp
from pipeline.po.files import parse_po_or_error
from pipeline.text.verdict import SAFETY_REASONS
from pipeline.workflow.article import (
    ArticleJob,
    ArticleOutcome,
    Change,
    Settings,
    SiteLinks,
    digest,
    process_article,
    read_bytes,
)
from pipeline.workflow.cache import StagedArticle
from pipeline.workflow.incremental import Incremental, state_record
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
    #: records the run in the cache; call it after apply_changes
    finish: Callable[[], None] = lambda: None


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


def plan_run(project: Project, *, steps: frozenset[str] = STEPS, locales: list[str] | None = None,
             keep_going: bool = False, stage: bool = False, jobs: int = 1,
             progress: Callable[[int], None] | None = None, keep_content: bool = False,
             cache: str = "off", fallbacks: bool = False, details: bool = False) -> RunResult:
    """Read every input and compute every change of a run; raise InputErrors on bad input unless keep_going.

    With ``stage``, new contents are written to temporary files beside their targets, for
    :func:`apply_changes` to rename into place; on bad input they are removed again, so nothing is
    written. Without it, ``keep_content`` keeps the new templates and catalogs in memory (``Change.data``).
    ``jobs`` worker processes share the articles; the result does not depend on their number.
    ``cache`` ("off", "read" or "write"; full syncs only) skips articles that the last sync left exactly as
    they are (see :mod:`pipeline.workflow.cache`); with "write", ``result.finish()`` records this run once applied.
    ``fallbacks`` lists every fallback in ``result.fallbacks``; else the summaries only count them (there may
    be a great many). ``details`` keeps every article's figures per locale in ``result.details``.
    """
    config = project.config
    targets = [config.locale(code) for code in locales] if locales else list(config.locales)
    refuse_links_outside(project, targets)
    result = RunResult()
    articles = discover_articles(project)
    result.articles = len(articles)
    slugs = {a.slug for a in articles}
    valid: list[Article] = []
    for article in articles:
        reference = project.relative(article.path)
        if not SLUG.match(article.slug):
            slug = suggest_slug(article.path.stem)
            rename = f"rename it to {slug}{article.path.suffix}" if slug else "rename it"
            result.errors.append(SourceError(
                f"file name {article.path.name!r} is not a valid article slug", path=reference,
                hint=f"{rename}: a slug has lower-case letters, digits, '.', '_' and '-'"))
        elif not inside_project(article.path, config.root):
            result.errors.append(SourceError("the file is a link to outside the project", path=reference,
                                             hint="copy the article into the source folder instead"))
        else:
            valid.append(article)
    orphans = _orphan_slugs(project, targets, slugs)
    incremental = (Incremental.open(project, targets, valid, readonly=cache != "write", fallbacks=fallbacks,
                                    orphans=orphans)
                   if cache != "off" and steps == STEPS else None)
    for loc in targets:
        result.summaries[loc.code] = LocaleSummary(loc.code)
    collected = _Collected(result, fallbacks=fallbacks, details=details)
    clean: set[str] = set()
    if incremental is not None:
        for slug, outcome in incremental.clean_articles().items():
            collected.add(outcome)
            clean.add(slug)
            if progress:
                progress(1)
    pending = [a for a in valid if a.slug not in clean]
    # The memory is gathered up front when the cache knows some of it, or when there is none to gather;
    # otherwise (None) only if some article turns out to need it.
    memories: dict[str, MemoryStore] | None = {}
    extras = {loc.code: read_catalog(project, project.memory_path(loc.code), result.errors)
              for loc in targets} if "update" in steps else {}
    write = incremental is not None and cache == "write"
    memory = _RunMemory(incremental if "update" in steps and pending else None, write=write)
    if "update" in steps and pending:
        if incremental is not None and incremental.knows_memory():
            memories = _memories(project, targets, [a.slug for a in valid], orphans, jobs, extras, memory, incremental)
        elif any(extras.values()) or any(orphans.values()) or _any_catalog(project, targets, valid):
            memories = None
    work = _Work(project, targets, _settings(project), steps=steps, stamp=now_stamp(), stage=stage,
                 keep=keep_content, remember=write, fallbacks=fallbacks)
    try:
        again: list[Article] = []
        for article, (outcome, record) in zip(pending, work.run(pending, memories, jobs)):
            if outcome.needs_memory:
                again.append(article)
                continue
            _finished(outcome, record, collected, incremental if write else None, progress)
        if again:
            memories = _memories(project, targets, [a.slug for a in valid], orphans, jobs, extras, memory, incremental)
            for outcome, record in work.run(again, memories, jobs):
                _finished(outcome, record, collected, incremental if write else None, progress)
        memory.close()
        collected.finish([a.slug for a in valid])  # in slug order, whichever way each outcome was had
        internal = next((e for e in result.errors if isinstance(e, InternalError)), None)
        if internal is not None:
            raise internal
        if result.errors and not keep_going:
            raise InputErrors(result.errors)
    except BaseException:  # bad input, a bug or Ctrl-C: nothing staged may stay behind
        discard_changes(result.changes)
        discard_changes(collected.changes())
        memory.close()
        if incremental is not None:
            incremental.close()
        raise
    if "build" in steps:
        _remove_orphan_outputs(project, result, slugs, targets)
    result.orphans = _orphan_catalogs(project, slugs)
    if write:
        assert incremental is not None  # a run writes the cache only when there is one
        def finish() -> None:
            try:
                incremental.store(result.changes, close=False)
                index = incremental.memory_index()
                if "update" in steps and pending and index is not None:  # what this run staged, indexed now
                    _update_index(project, targets, [a.slug for a in valid], orphans, jobs, extras, index, index,
                                  incremental)
            finally:
                incremental.close()
        result.finish = finish
    elif incremental is not None:
        incremental.close()
    return result


@dataclass(frozen=True, slots=True)
class _Work:
    """Processing one article as a run asks (in a worker process): its job, the outcome, the cache's record."""

    project: Project
    targets: list[LocaleConfig]
    settings: Settings
    steps: frozenset[str]
    stamp: str
    stage: bool
    keep: bool
    remember: bool
    fallbacks: bool

    def job(self, article: Article) -> ArticleJob:
        """What :func:`process_article` needs to know of an article (made in the worker: there may be many)."""
        p = self.project
        return ArticleJob(
            slug=article.slug, source=article.path, reference=p.relative(article.path),
            template=p.template_path(article.slug),
            catalogs=tuple((loc, p.catalog_path(loc.code, article.slug),
                            str(p.output_path(loc.info.bcp47, article.slug))) for loc in self.targets),
            steps=self.steps, stamp=self.stamp, stage=self.stage, keep=self.keep, root=p.config.root,
            remember=self.remember, elsewhere=published_elsewhere(p, self.targets, article.slug))

    def run(self, articles: list[Article], memories: dict[str, MemoryStore] | None,
            workers: int) -> Iterator[tuple[ArticleOutcome, StagedArticle | None]]:
        """(outcome, cache record) of each article, in order, computed by ``workers`` forked processes."""
        def one(article: Article) -> tuple[ArticleOutcome, StagedArticle | None]:
            outcome = process_article(self.job(article), self.settings, memories)
            record = state_record(outcome) if self.remember and not outcome.needs_memory else None
            if not self.fallbacks:
                for done in outcome.locales.values():
                    done.fallbacks = []  # counted in fallback_count; the cache's record has them
            return outcome, record

        return ordered_map(one, articles, workers, at_least=4)


def _finished(outcome: ArticleOutcome, record: StagedArticle | None, collected: _Collected,
              incremental: Incremental | None, progress: Callable[[int], None] | None) -> None:
    """Take in a finished article's outcome: set aside what the cache keeps, add it to the result."""
    if incremental is not None:
        incremental.remember(outcome, record)
    collected.add(outcome)
    if progress:
        progress(1)


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
    """What bringing a memory index up to date takes: per locale, the catalogs to keep, add or replace."""

    keep: dict[str, list[str]] = field(default_factory=dict)                          #: locale -> origins
    drop: bool = False                                                                 #: some are not kept
    imported: list[tuple[str, str | None, polib.POFile]] = field(default_factory=list)  #: locale, hash, catalog
    known: list[tuple[str, str, str | None, str]] = field(default_factory=list)        #: held by the cache
    parse: list[tuple[str, str, str | None, str]] = field(default_factory=list)        #: (locale, slug, hash, path)
    orphans: set[tuple[str, str]] = field(default_factory=set)                         #: (locale, slug) of orphans


def _memories(project: Project, targets: list[LocaleConfig], slugs: list[str], orphans: dict[str, list[str]],
              workers: int, extras: dict[str, polib.POFile | None | bool], memory: _RunMemory,
              incremental: Incremental | None) -> dict[str, MemoryStore]:
    """Each locale's memory: its article catalogs as they are on disk (by slug), its orphans', then imported memory."""
    _update_index(project, targets, slugs, orphans, workers, extras, memory.target(), memory.source, incremental)
    return {loc.code: memory.lookup(loc.code) for loc in targets}


def _update_index(project: Project, targets: list[LocaleConfig], slugs: list[str], orphans: dict[str, list[str]],
                  workers: int,
                  extras: dict[str, polib.POFile | None | bool], index: MemoryIndex, source: MemoryIndex | None,
                  incremental: Incremental | None) -> None:
    """Bring ``index`` up to date with the catalogs as they are on disk and the imported memory.

    Catalogs whose translations the cache (``source``) holds by their current hash are not parsed again. The
    index is filled by a child process, catalog by catalog, so that neither this process nor the workers it
    forks later grow by it.
    """
    plan = _MemoryPlan()
    for loc in targets:
        wanted: dict[str, str | None] = {}
        for slug in [*sorted(slugs), *orphans.get(loc.code, ())]:
            hashed = incremental.catalog_digest(project.catalog_path(loc.code, slug)) if incremental else None
            if incremental is None or hashed is not None:  # without the cache, absence is found when parsing
                wanted[slug] = hashed
        plan.orphans.update((loc.code, slug) for slug in orphans.get(loc.code, ()))
        extra = extras.get(loc.code)
        if isinstance(extra, polib.POFile):
            wanted[IMPORTED] = incremental.catalog_digest(project.memory_path(loc.code)) if incremental else None
        plan.keep[loc.code] = list(wanted)
        held = index.catalogs(loc.code)
        plan.drop = plan.drop or bool(set(held) - set(wanted))
        known = source.known(loc.code) if source is not None else set()
        for origin, hashed in wanted.items():
            if hashed is not None and held.get(origin) == hashed:
                continue
            if origin == IMPORTED:
                # IMPORTED is wanted only above, for an imported catalog
                plan.imported.append((loc.code, hashed, cast(polib.POFile, extra)))
                continue
            task = (loc.code, origin, hashed, str(project.catalog_path(loc.code, origin)))
            (plan.known if (origin, hashed) in known else plan.parse).append(task)
    for tasks in (plan.known, plan.parse):  # article by article, all locales together: they share source texts
        tasks.sort(key=lambda task: (task[1], task[0]))
    if plan.drop or plan.imported or plan.known or plan.parse:
        status = in_child(_build_memory, index, source, plan, workers)
        if status != 0:
            raise InternalError(f"internal error (filling the translation memory: exit status {status})")


def _build_memory(index: MemoryIndex, source: MemoryIndex | None, plan: _MemoryPlan, workers: int) -> None:
    """Bring the index up to date as planned, through connections of this process's own."""
    target = index.reopen()
    reader = target if source is index else source.reopen() if source is not None else None
    try:
        for locale, origins in plan.keep.items():
            target.keep_only(locale, origins)
        _fill(target, ((code, IMPORTED, hashed, catalog_entries(po, IMPORTED)) for code, hashed, po in plan.imported))
        # plan.known holds the catalogs the source index knows by (origin, hash): there is a reader, and a hash
        _fill(target, (_known_memory(cast(MemoryIndex, reader), cast("tuple[str, str, str, str]", task))
                       for task in plan.known), plan.orphans)
        _fill(target, _parsed(plan.parse, workers), plan.orphans)
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


