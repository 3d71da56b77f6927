"""Orchestration over the project layout: extract, update, build, sync, status, init.

The one module that knows where files live. Every command first *plans*: it reads and validates every
input, computes every file it would write, and only then (unless ``dry_run``) writes them, atomically.
So a run with a bad input writes nothing (or, with ``keep_going``, everything the bad input does not
touch), and a second run writes nothing at all.
"""

from __future__ import annotations

import multiprocessing
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polib
from filelock import FileLock, Timeout

from .articles import (ArticleJob, ArticleOutcome, Change, LocaleOutcome, Settings, digest, process_article,
                       read_bytes)
from .cache import ArticleState, Cache, open_cache
from .catalog import now_stamp
from .checks import CheckContext, Findings, Thresholds, load_settings, run_checks
from .config import Config, LocaleConfig, find_config, load_config
from .errors import (ConfigError, InputErrors, InternalError, LockError, ParseError, PipelineError,
                     SourceError, WriteError)
from .fsutil import commit_file, discard, remove_file, stage_file
from .handoff import ImportReport, export_catalog, import_delivery, validate_delivery
from .memory import MemoryEntry, TranslationMemory, build_memory
from .model import Finding, Severity, Stats
from .pofile import format_po, parse_po, read_po
from .segment import SegmentPolicy
from .tmx import read_tmx

CACHE_DIR = ".l10n-cache"
SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
SOURCE_SUFFIXES = (".html", ".htm")
STEPS = frozenset({"extract", "update", "build"})


@dataclass(frozen=True, slots=True)
class Project:
    """A loaded configuration and the segmentation policy it implies."""

    config: Config

    @property
    def policy(self) -> SegmentPolicy:
        """Segmentation settings from the configuration."""
        c = self.config
        return SegmentPolicy(source_language=c.source_language, ignore_selectors=c.ignore_selectors,
                             disclaimer_selector=c.disclaimer_selector, count_phrases=c.count_phrases,
                             format_dates=c.format_dates)

    def relative(self, path: Path) -> str:
        """A path as shown to people: relative to the project root (links not followed)."""
        absolute = Path(os.path.abspath(path))
        for candidate in (absolute, path.resolve()):
            try:
                return candidate.relative_to(self.config.root).as_posix()
            except ValueError:
                continue
        return str(path)

    def template_path(self, slug: str) -> Path:
        """``locales/templates/<slug>.pot``."""
        return self.config.templates_dir / f"{slug}.pot"

    def catalog_path(self, locale: str, slug: str) -> Path:
        """``locales/<lang>/<slug>.po`` (gettext locale spelling)."""
        return self.config.locales_dir / locale / f"{slug}.po"

    def memory_path(self, locale: str) -> Path:
        """``locales/_memory/<lang>.po``: translation memory imported from outside (``l10n tm import``)."""
        return self.config.locales_dir / "_memory" / f"{locale}.po"

    def output_path(self, bcp47: str, slug: str) -> Path:
        """``output/<lang>/<slug>.html`` (BCP 47 locale spelling)."""
        return self.config.output_dir / bcp47 / f"{slug}.html"


def open_project(config_path: Path | None = None, *, cwd: Path | None = None) -> Project:
    """Find, read and validate ``l10n.yaml``."""
    path = config_path if config_path is not None else find_config(cwd or Path.cwd())
    return Project(load_config(path))


@dataclass(frozen=True, slots=True)
class Article:
    """A source article on disk."""

    slug: str
    path: Path


@dataclass(slots=True)
class LocaleSummary:
    """Per-locale figures for the summary table."""

    locale: str
    stats: Stats = field(default_factory=Stats)
    articles: int = 0
    published: int = 0
    fallbacks: int = 0
    unpublished: list[tuple[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class RunResult:
    """What a run did or would do."""

    changes: list[Change] = field(default_factory=list)
    errors: list[PipelineError] = field(default_factory=list)
    summaries: dict[str, LocaleSummary] = field(default_factory=dict)
    fallbacks: list[Finding] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    articles: int = 0
    #: records the run in the cache; call it after apply_changes
    finish: Callable[[], None] = lambda: None


def discover_articles(project: Project) -> list[Article]:
    """The source articles, sorted by slug; ConfigError if the source folder is missing."""
    folder = project.config.source_dir
    if not folder.is_dir():
        raise ConfigError(f"source folder {project.relative(folder)!r} does not exist",
                          path=project.config.path, hint="create it or set source_dir in l10n.yaml")
    articles = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() in SOURCE_SUFFIXES and path.is_file() and not path.name.startswith("."):
            articles.append(Article(path.stem, path))
    return articles


def _inside(path: Path, root: Path) -> bool:
    """Whether ``path``, links resolved, is ``root`` or below it."""
    resolved = path.resolve()
    return resolved == root or root in resolved.parents


def _read_catalog(project: Project, path: Path, errors: list[PipelineError],
                  seen: dict[Path, bytes | None] | None = None) -> polib.POFile | None | bool:
    """The parsed catalog, None when absent, False when it failed (error recorded)."""
    shown = project.relative(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        if seen is not None:
            seen[path] = None
        return None
    except OSError as exc:
        errors.append(ParseError(f"cannot read: {exc.strerror}", path=shown))
        return False
    if seen is not None:
        seen[path] = data
    try:
        return parse_po(data, path=shown)
    except PipelineError as exc:
        errors.append(exc)
        return False


def _settings(project: Project) -> Settings:
    c = project.config
    return Settings(policy=project.policy, project=c.project, bugs_address=c.bugs_address,
                    source_language=c.source_language, reference_lines=c.reference_lines,
                    fuzzy_threshold=c.fuzzy_threshold, memory_threshold=c.memory_threshold,
                    max_source_bytes=c.max_source_bytes, root=c.root)


#: Set before the worker processes fork, so that they share it instead of receiving a copy each.
_SHARED: dict[str, object] = {}


def _work(job: ArticleJob) -> ArticleOutcome:
    return process_article(job, _SHARED["settings"], _SHARED["memories"])  # type: ignore[arg-type]


def _run_jobs(jobs: list[ArticleJob], settings: Settings, memories: dict[str, TranslationMemory],
              workers: int, progress: Callable[[int], None] | None) -> Iterator[ArticleOutcome]:
    """Outcomes in the order of ``jobs``, computed by ``workers`` processes (forked: they share memory)."""
    _SHARED.update(settings=settings, memories=memories)
    if workers <= 1 or len(jobs) < 4 or "fork" not in multiprocessing.get_all_start_methods():
        for job in jobs:
            yield _work(job)
            if progress:
                progress(1)
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(min(workers, len(jobs))) as pool:
        for outcome in pool.imap(_work, jobs, chunksize=max(1, min(16, len(jobs) // (workers * 8)))):
            yield outcome
            if progress:
                progress(1)


def default_jobs() -> int:
    """Worker processes by default: one per CPU this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def plan_run(project: Project, *, steps: frozenset[str] = STEPS, locales: list[str] | None = None,
             keep_going: bool = False, stage: bool = False, jobs: int = 1,
             progress: Callable[[int], None] | None = None, keep_content: bool = False,
             cache: str = "off") -> RunResult:
    """Read every input and compute every change of a run; raise InputErrors on bad input unless keep_going.

    With ``stage``, new contents are written to temporary files beside their targets, for
    :func:`apply_changes` to rename into place; on bad input they are removed again, so nothing is
    written. Without it, ``keep_content`` keeps the new templates and catalogs in memory (``Change.data``).
    ``jobs`` worker processes share the articles; the result does not depend on their number.
    ``cache`` ("off", "read" or "write"; full syncs only) skips articles that the last sync left exactly as
    they are (see :mod:`pipeline.cache`); with "write", ``result.finish()`` records this run once applied.
    """
    config = project.config
    targets = [config.locale(code) for code in locales] if locales else list(config.locales)
    result = RunResult()
    articles = discover_articles(project)
    result.articles = len(articles)
    slugs = {a.slug for a in articles}
    valid: list[Article] = []
    for article in articles:
        reference = project.relative(article.path)
        if not SLUG.match(article.slug):
            result.errors.append(SourceError(
                f"file name {article.path.name!r} is not a valid article slug", path=reference,
                hint="use lower-case letters, digits, '.', '_' and '-'"))
        elif not _inside(article.path, config.root):
            result.errors.append(SourceError("the file is a link to outside the project", path=reference,
                                             hint="copy the article into the source folder instead"))
        else:
            valid.append(article)
    incremental = (_Incremental.open(project, targets, valid, readonly=cache != "write")
                   if cache != "off" and steps == STEPS else None)
    clean = incremental.clean_articles() if incremental is not None else {}
    pending = [a for a in valid if a.slug not in clean]
    memories: dict[str, TranslationMemory] = {}
    if "update" in steps and pending:
        memories = _memories(project, targets, [a.slug for a in valid], jobs, result.errors, incremental)
    stamp = now_stamp()
    job_list = [ArticleJob(
        slug=a.slug, source=a.path, reference=project.relative(a.path), template=project.template_path(a.slug),
        catalogs=tuple((loc, project.catalog_path(loc.code, a.slug),
                        str(project.output_path(loc.info.bcp47, a.slug))) for loc in targets),
        steps=steps, stamp=stamp, stage=stage, keep=keep_content, root=config.root) for a in pending]
    for loc in targets:
        result.summaries[loc.code] = LocaleSummary(loc.code)
    outcomes: dict[str, ArticleOutcome] = {}
    try:
        for outcome in _run_jobs(job_list, _settings(project), memories, jobs, progress):
            outcomes[outcome.slug] = outcome
        for article in valid:  # in slug order, whichever way each outcome was had
            if article.slug in clean:
                _collect(result, clean[article.slug])
                if progress:
                    progress(1)
            else:
                _collect(result, outcomes[article.slug])
        internal = next((e for e in result.errors if isinstance(e, InternalError)), None)
        if internal is not None:
            raise internal
        if result.errors and not keep_going:
            raise InputErrors(result.errors)
    except BaseException:
        discard_changes(result.changes)
        raise
    if "build" in steps:
        _remove_orphan_outputs(project, result, slugs, targets)
    result.orphans = _orphan_catalogs(project, slugs)
    if incremental is not None and cache == "write":
        result.finish = lambda: incremental.store(outcomes, result.changes)
    return result


def _digest_path(path: Path) -> str | None:
    return digest(read_bytes(path))


class _Incremental:
    """The cache seen from a run: which articles are clean, what memory is known, what to record."""

    def __init__(self, project: Project, targets: list[LocaleConfig], valid: list[Article], store: Cache) -> None:
        self.project, self.targets, self.valid, self.cache = project, targets, valid, store
        paths = self._paths()
        self.digests = store.file_digests(paths, _digest_path)
        self.states = store.articles()
        self.before = store.generations()
        self.now = {loc.code: self._generation(loc, {}) for loc in targets}

    @classmethod
    def open(cls, project: Project, targets: list[LocaleConfig], valid: list[Article], *,
             readonly: bool) -> _Incremental | None:
        """The cache of the project, or None when there is none to be had."""
        store = open_cache(project.config.root, project.config.path.read_bytes(), readonly=readonly)
        return cls(project, targets, valid, store) if store is not None else None

    def _paths(self) -> list[Path]:
        p = self.project
        paths = [a.path for a in self.valid] + [p.template_path(a.slug) for a in self.valid]
        for loc in self.targets:
            paths += [p.catalog_path(loc.code, a.slug) for a in self.valid]
            paths += [p.output_path(loc.info.bcp47, a.slug) for a in self.valid]
            paths.append(p.memory_path(loc.code))
        return paths

    def _generation(self, loc: LocaleConfig, after: dict[str, str | None]) -> str:
        """A hash of every catalog of the locale (and its imported memory): what its memory is made of."""
        p = self.project
        parts = [f"{a.slug}={after.get(a.slug, self.digests.get(p.catalog_path(loc.code, a.slug)))}"
                 for a in sorted(self.valid, key=lambda a: a.slug)]
        parts.append(f"memory={self.digests.get(p.memory_path(loc.code))}")
        return digest("\n".join(parts).encode()) or ""

    def clean_articles(self) -> dict[str, ArticleOutcome]:
        """Articles the last sync left exactly as they are, as outcomes rebuilt from the cache."""
        p, clean = self.project, {}
        for article in self.valid:
            state = self.states.get(article.slug)
            if state is None or state.source != self.digests.get(article.path) or \
                    state.template != self.digests.get(p.template_path(article.slug)):
                continue
            outcome = ArticleOutcome(article.slug, source=state.source, template=state.template)
            for loc in self.targets:
                done = state.locales.get(loc.code)
                if done is None or done["catalog"] != self.digests.get(p.catalog_path(loc.code, article.slug)) \
                        or done["output"] != self.digests.get(p.output_path(loc.info.bcp47, article.slug)) \
                        or (done["untranslated"] and self.before.get(loc.code) != self.now[loc.code]):
                    break
                outcome.locales[loc.code] = LocaleOutcome(
                    stats=Stats(*done["stats"]), published=done["published"], reason=done["reason"],
                    fallbacks=[Finding(c, Severity(sev), m, path, line, locale)
                               for c, sev, m, path, line, locale in done["fallbacks"]],
                    untranslated=done["untranslated"], catalog=done["catalog"], output=done["output"])
            else:
                clean[article.slug] = outcome
        return clean

    def known_memory(self) -> dict[tuple[str, str], list[MemoryEntry]]:
        """(slug, catalog path) -> translations, for catalogs the cache knows by their current hash."""
        known = {}
        for loc in self.targets:
            for slug, (stored, entries) in self.cache.memory(loc.code).items():
                path = self.project.catalog_path(loc.code, slug)
                if stored is not None and stored == self.digests.get(path):
                    known[(slug, str(path))] = entries
        return known

    def store(self, outcomes: dict[str, ArticleOutcome], changes: list[Change]) -> None:
        """Record what this run left, once its changes are applied."""
        states: dict[str, ArticleState] = {}
        memory: dict[tuple[str, str], tuple[str | None, list[MemoryEntry]]] = {}
        forget = {slug for slug in self.states if slug not in {a.slug for a in self.valid}}
        after: dict[str, dict[str, str | None]] = {loc.code: {} for loc in self.targets}
        for slug, outcome in outcomes.items():
            if outcome.errors or any(done.skipped for done in outcome.locales.values()):
                forget.add(slug)
                continue
            state = ArticleState(outcome.source, outcome.template, {})
            for code, done in outcome.locales.items():
                state.locales[code] = {
                    "catalog": done.catalog, "output": done.output, "published": done.published,
                    "reason": done.reason, "untranslated": done.untranslated,
                    "stats": [done.stats.translated, done.stats.fuzzy, done.stats.untranslated,
                              done.stats.words_translated, done.stats.words_fuzzy, done.stats.words_untranslated],
                    "fallbacks": [[f.check, f.severity.value, f.message, f.path, f.line, f.locale]
                                  for f in done.fallbacks]}
                memory[(code, slug)] = (done.catalog, done.memory)
                after[code][slug] = done.catalog
            states[slug] = state
        generations = {loc.code: self._generation(loc, after[loc.code]) for loc in self.targets}
        self.cache.store(articles=states, forget=forget, memory=memory, generations=generations)
        written = {change.path for change in changes}
        self.cache.remember_files(self._paths(), lambda path: _digest_path(path) if path in written
                                  else self.digests.get(path, _digest_path(path)))
        self.cache.close()


def _collect(result: RunResult, outcome: ArticleOutcome) -> None:
    """Add one article's outcome to the run's figures."""
    result.errors.extend(outcome.errors)
    result.changes.extend(outcome.changes)
    for code, done in outcome.locales.items():
        if done.skipped:
            continue
        summary = result.summaries[code]
        summary.articles += 1
        summary.stats.add(done.stats)
        if done.published:
            summary.published += 1
            summary.fallbacks += len(done.fallbacks)
            result.fallbacks.extend(done.fallbacks)
        elif done.reason:
            summary.unpublished.append((outcome.slug, done.reason))


def _catalog_memory(task: tuple[str, str]) -> list[MemoryEntry]:
    """The translations of one catalog (none if it is absent or does not parse: its article reports it)."""
    slug, path = task
    data = read_bytes(Path(path))
    if data is None:
        return []
    try:
        po = parse_po(data, path=path)
    except PipelineError:
        return []
    memory = TranslationMemory()
    memory.add_catalog(po, slug)
    return list(memory)


def _memories(project: Project, targets: list[LocaleConfig], slugs: list[str], workers: int,
              errors: list[PipelineError], incremental: _Incremental | None = None
              ) -> dict[str, TranslationMemory]:
    """Each locale's memory: its article catalogs as they are on disk (by slug), then imported memory.

    Catalogs the cache knows by their current hash are not parsed again.
    """
    known = incremental.known_memory() if incremental is not None else {}
    tasks = [(slug, str(project.catalog_path(loc.code, slug))) for loc in targets for slug in sorted(slugs)]
    wanted = [task for task in tasks if task not in known]
    if workers > 1 and len(wanted) >= 8 and "fork" in multiprocessing.get_all_start_methods():
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parsed = pool.map(_catalog_memory, wanted, chunksize=max(1, len(wanted) // (workers * 8)))
    else:
        parsed = [_catalog_memory(task) for task in wanted]
    fresh = dict(zip(wanted, parsed))
    found = [known[task] if task in known else fresh[task] for task in tasks]
    memories: dict[str, TranslationMemory] = {}
    per_locale = len(slugs)
    for index, loc in enumerate(targets):
        memory = TranslationMemory()
        for entries in found[index * per_locale:(index + 1) * per_locale]:
            for entry in entries:
                memory.add(entry)
        extra = _read_catalog(project, project.memory_path(loc.code), errors)
        if isinstance(extra, polib.POFile):
            memory.add_catalog(extra, "imported memory")
        memories[loc.code] = memory
    return memories


def _remove_orphan_outputs(project: Project, result: RunResult, slugs: set[str],
                           targets: list[LocaleConfig]) -> None:
    for loc in targets:
        folder = project.config.output_dir / loc.info.bcp47
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.html")):
            if path.stem not in slugs:
                result.changes.append(Change(path, "output", remove=True, expected=digest(read_bytes(path))))


def _orphan_catalogs(project: Project, slugs: set[str]) -> list[str]:
    """Catalogs of configured locales (and templates) whose source article is gone."""
    config = project.config
    found = [p for loc in config.locales for p in sorted((config.locales_dir / loc.code).glob("*.po"))]
    found += sorted(config.templates_dir.glob("*.pot"))
    return [project.relative(p) for p in found if p.stem not in slugs]


@contextmanager
def project_lock(project: Project, timeout: float) -> Iterator[None]:
    """Hold the project's lock (``.l10n-cache/sync.lock``) while writing; LockError after ``timeout`` s."""
    path = project.config.root / CACHE_DIR / "sync.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path), timeout=max(timeout, 0))
    try:
        lock.acquire()
    except Timeout:
        raise LockError(f"another l10n run has held the project lock for {timeout:g} s",
                        path=project.relative(path),
                        hint="wait for it to finish, or give it longer with --lock-timeout") from None
    try:
        yield
    finally:
        lock.release()


def apply_changes(changes: list[Change], project: Project | None = None) -> list[PipelineError]:
    """Rename every staged file into place, or remove it; return the files it could not.

    A file whose content changed since the run read it (a translator's editor saved it meanwhile) is
    left as it is and reported: the next run takes the edit in.
    """
    problems: list[PipelineError] = []
    for change in changes:
        shown = project.relative(change.path) if project is not None else str(change.path)
        if digest(read_bytes(change.path)) != change.expected:
            problems.append(WriteError("changed on disk while l10n was working; not overwritten", path=shown,
                                       hint="run the command again to take the change in"))
            if change.tmp is not None:
                discard(change.tmp)
            continue
        try:
            if change.remove:
                remove_file(change.path)
            elif change.tmp is not None:
                commit_file(change.tmp, change.path)
            for stale in change.path.parent.glob(f".{change.path.name}.*.tmp"):
                stale.unlink()  # left by a run that was killed mid-write (we hold the lock)
        except OSError as exc:
            problems.append(WriteError(f"cannot write: {exc.strerror or exc}", path=shown,
                                       hint="check that the folder is a folder and writable"))
    return problems


def discard_changes(changes: list[Change]) -> None:
    """Remove the staged files of changes that will not be applied."""
    for change in changes:
        if change.tmp is not None:
            discard(change.tmp)


# --- translators' hand-off and translation memory ---------------------------------------------------------
def read_locale_catalogs(project: Project, locale: str, articles: list[str] | None = None, *,
                         seen: dict[Path, bytes | None] | None = None) -> dict[str, tuple[Path, polib.POFile]]:
    """slug -> (path, catalog) for a locale's existing article catalogs; InputErrors if any fails to parse."""
    code = project.config.locale(locale).code
    slugs = [a.slug for a in discover_articles(project)]
    if articles:
        unknown = sorted(set(articles) - set(slugs))
        if unknown:
            raise ConfigError(f"no source article named {', '.join(unknown)}",
                              hint="article names are the file names in the source folder, without .html")
        slugs = [s for s in slugs if s in articles]
    errors: list[PipelineError] = []
    found: dict[str, tuple[Path, polib.POFile]] = {}
    for slug in slugs:
        path = project.catalog_path(code, slug)
        po = _read_catalog(project, path, errors, seen)
        if isinstance(po, polib.POFile):
            found[slug] = (path, po)
    if errors:
        raise InputErrors(errors)
    return found


def export_for_vendor(project: Project, locale: str, *, untranslated_only: bool = False,
                      articles: list[str] | None = None) -> polib.POFile:
    """One PO for a vendor with a locale's entries (the same text of several articles is one entry)."""
    loc = project.config.locale(locale)
    catalogs = read_locale_catalogs(project, loc.code, articles)
    first = next(iter(catalogs.values()), None)
    metadata = dict(first[1].metadata) if first else {"Language": loc.code,
                                                       "Content-Type": "text/plain; charset=UTF-8"}
    metadata.setdefault("Plural-Forms", loc.info.plural_forms)
    header = f"{loc.info.name} hand-off of {project.config.project}: {', '.join(catalogs)}"
    return export_catalog([(slug, po) for slug, (_, po) in catalogs.items()],
                          untranslated_only=untranslated_only, metadata=metadata, header=header)


def plan_import(project: Project, locale: str, delivery_path: Path, *, overwrite: bool = False,
                leftovers_path: Path | None = None, stage: bool = True) -> tuple[ImportReport, list[Change]]:
    """Merge a delivered PO into a locale's article catalogs; return the report and the files to write."""
    loc = project.config.locale(locale)
    shown = project.relative(delivery_path)
    try:
        delivery = read_po(delivery_path)
    except PipelineError as exc:
        exc.path = shown
        raise
    seen: dict[Path, bytes | None] = {}
    catalogs = read_locale_catalogs(project, loc.code, seen=seen)
    nplurals = {_nplurals_of(po) for _, po in catalogs.values()} - {None}
    validate_delivery(delivery, locale=loc.info, nplurals=nplurals.pop() if len(nplurals) == 1 else None,
                      path=shown)
    by_name = {project.relative(path): po for path, po in catalogs.values()}
    report = import_delivery(delivery, by_name, overwrite=overwrite)
    changes: list[Change] = []
    stamp = now_stamp()
    for path, po in catalogs.values():
        if project.relative(path) in report.changed_catalogs:
            po.metadata["PO-Revision-Date"] = stamp
            changes.append(_staged(path, format_po(po).encode("utf-8"), "catalog", seen.get(path), stage))
    if report.leftovers:
        target = leftovers_path or delivery_path.with_name(delivery_path.stem + ".leftovers.po")
        rest = polib.POFile(wrapwidth=79)
        rest.header = f"Entries of {shown} that match no catalog of {loc.code}; nothing was lost."
        rest.metadata = dict(delivery.metadata)
        for entry in report.leftovers:
            rest.append(entry)
        changes.append(_staged(target, format_po(rest).encode("utf-8"), "leftovers", read_bytes(target), stage))
    return report, changes


def _staged(path: Path, data: bytes, kind: str, current: bytes | None, stage: bool) -> Change:
    """A durable change of ``path`` to ``data``, staged beside it unless ``stage`` is false (a dry run)."""
    return Change(path, kind, durable=True, expected=digest(current), new=digest(data),
                  tmp=stage_file(path, data, durable=True) if stage else None)


def _nplurals_of(po: polib.POFile) -> int | None:
    match = re.search(r"nplurals\s*=\s*(\d+)", po.metadata.get("Plural-Forms", ""))
    return int(match.group(1)) if match else None


def locale_memory(project: Project, locale: str) -> TranslationMemory:
    """A locale's translation memory: its article catalogs, then what was imported."""
    loc = project.config.locale(locale)
    catalogs = read_locale_catalogs(project, loc.code)
    pairs = [(slug, po) for slug, (_, po) in sorted(catalogs.items())]
    memory_file = project.memory_path(loc.code)
    if memory_file.exists():
        pairs.append(("imported memory", read_po(memory_file)))
    return build_memory(pairs)


def memory_as_catalog(memory: TranslationMemory, *, locale: LocaleConfig, header: str) -> polib.POFile:
    """A translation memory as one PO compendium (references say where each translation is used)."""
    po = polib.POFile(wrapwidth=79)
    po.header = header
    po.metadata = {"Language": locale.code, "MIME-Version": "1.0",
                   "Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit",
                   "Plural-Forms": locale.info.plural_forms}
    for entry in memory:
        po.append(polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid, msgstr=entry.msgstr,
                                msgid_plural=entry.msgid_plural or None,
                                msgstr_plural=dict(entry.msgstr_plural) if entry.msgid_plural else {},
                                occurrences=[(ref, "") for ref in entry.references],
                                comment=f"origin: {entry.origin}" if entry.origin else ""))
    return po


def plan_memory_import(project: Project, locale: str, path: Path) -> tuple[int, list[Change]]:
    """Add a compendium (PO) or TMX file to the locale's imported memory; return entries added, changes."""
    loc = project.config.locale(locale)
    shown = project.relative(path)
    target = project.memory_path(loc.code)
    before = read_bytes(target)
    current = parse_po(before, path=project.relative(target)) if before is not None else memory_as_catalog(
        TranslationMemory(), locale=loc, header=f"Translation memory imported into {loc.code}.")
    known = {(e.msgctxt, e.msgid) for e in current}
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(f"cannot read: {exc.strerror}", path=shown) from None
    if path.suffix.lower() == ".tmx":
        incoming = read_tmx(data, source_language=project.config.source_language,
                            target_language=loc.info.bcp47, path=shown)
    else:
        po = parse_po(data, path=shown)
        validate_delivery(po, locale=loc.info, nplurals=None, path=shown)
        memory = TranslationMemory()
        memory.add_catalog(po, shown)
        incoming = list(memory)
    added = 0
    for entry in incoming:
        if entry.key in known or not entry.msgstr:
            continue
        known.add(entry.key)
        current.append(polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid, msgstr=entry.msgstr,
                                     comment=f"origin: {entry.origin}"))
        added += 1
    changes = [_staged(target, format_po(current).encode("utf-8"), "memory", before, True)] if added else []
    return added, changes


# --- quality checks ----------------------------------------------------------------------------------------
def check_project(project: Project, *, locales: tuple[str, ...] | list[str] = (), only: tuple[str, ...] = (),
                  skip: tuple[str, ...] = (), override: Thresholds = Thresholds()) -> Findings:
    """Run the checks on a project: its settings (l10n.yaml ``checks:``, ``glossary:``) with ``override``
    on top, over the given locales (default: all), with the sync plan computed in memory, never written.
    """
    config = project.config
    settings = load_settings(config).with_override(override)
    targets = [config.locale(code) for code in locales] if locales else list(config.locales)
    codes = [loc.code for loc in targets]

    def plan(steps: frozenset[str]) -> Any:
        return plan_run(project, steps=steps, locales=codes or None, keep_going=True, keep_content=True,
                        cache="read")

    ctx = CheckContext.load(project, articles=discover_articles(project), locales=targets,
                            settings=settings, plan=plan)
    return run_checks(ctx, only=only, skip=skip)
