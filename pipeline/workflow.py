"""Orchestration over the project layout: extract, update, build, sync, status, init.

The one module that knows where files live. Every command first *plans*: it reads and validates every
input, computes every file it would write, and only then (unless ``dry_run``) writes them, atomically.
So a run with a bad input writes nothing (or, with ``keep_going``, everything the bad input does not
touch), and a second run writes nothing at all.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polib
from filelock import FileLock, Timeout

from .assemble import assemble_html
from .catalog import (build_template, catalog_stats, lookup_table, merge_catalog, now_stamp,
                      plural_function, same_content)
from .checks import CheckContext, Findings, Thresholds, load_settings, run_checks
from .config import Config, LocaleConfig, find_config, load_config
from .errors import (ConfigError, InputErrors, InternalError, LockError, ParseError, PipelineError,
                     SourceError, WriteError)
from .fsutil import remove_file, write_atomic
from .handoff import ImportReport, export_catalog, import_delivery, validate_delivery
from .locale_codes import parse_locale
from .memory import TranslationMemory, build_memory
from .model import Finding, Stats
from .pofile import format_po, parse_po, read_po
from .segment import SegmentPolicy, SourceDocument, read_source, segment_units
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
class Change:
    """A file the run writes (``data``) or removes (``data is None``)."""

    path: Path
    data: bytes | None
    kind: str            #: "template", "catalog", "output", "leftovers" or "memory"
    durable: bool = False
    #: the file's bytes when the run read it (None: absent); a file changed since then is not replaced
    expected: bytes | None = None


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
    #: bytes of every file as the run first read it, to notice edits made while it works
    seen: dict[Path, bytes | None] = field(default_factory=dict)


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


def _text(path: Path) -> bytes | None:
    """The file's bytes; None when there is no such file (or its folder is not a folder)."""
    try:
        return path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None


def _stage(result: RunResult, path: Path, data: bytes | None, kind: str, *, durable: bool = False) -> None:
    current = result.seen[path] if path in result.seen else _text(path)
    if data is None and current is None:
        return
    if data is not None and current == data:
        return
    result.changes.append(Change(path, data, kind, durable, expected=current))


def plan_run(project: Project, *, steps: frozenset[str] = STEPS, locales: list[str] | None = None,
             keep_going: bool = False) -> RunResult:
    """Read every input and compute every change of a run; raise InputErrors on bad input unless keep_going."""
    config = project.config
    policy = project.policy
    targets = [config.locale(code) for code in locales] if locales else list(config.locales)
    result = RunResult()
    articles = discover_articles(project)
    result.articles = len(articles)
    slugs = {a.slug for a in articles}

    docs: dict[str, SourceDocument] = {}
    for article in articles:
        reference = project.relative(article.path)
        if not SLUG.match(article.slug):
            result.errors.append(SourceError(
                f"file name {article.path.name!r} is not a valid article slug", path=reference,
                hint="use lower-case letters, digits, '.', '_' and '-'"))
            continue
        if not _inside(article.path, config.root):
            result.errors.append(SourceError("the file is a link to outside the project", path=reference,
                                             hint="copy the article into the source folder instead"))
            continue
        try:
            docs[article.slug] = read_source(article.path, slug=article.slug, reference=reference,
                                             max_bytes=config.max_source_bytes)
        except PipelineError as exc:
            result.errors.append(exc)

    old_templates: dict[str, polib.POFile | None | bool] = {
        slug: _read_catalog(project, project.template_path(slug), result.errors, result.seen) for slug in docs}
    old_catalogs: dict[tuple[str, str], polib.POFile | None | bool] = {}
    for loc in targets:
        for slug in docs:
            old_catalogs[(loc.code, slug)] = _read_catalog(project, project.catalog_path(loc.code, slug),
                                                           result.errors, result.seen)
    memory_files = {loc.code: _read_catalog(project, project.memory_path(loc.code), result.errors)
                    for loc in targets}
    if result.errors and not keep_going:
        raise InputErrors(result.errors)
    memories = {loc.code: _memory_for(loc.code, docs, old_catalogs, memory_files[loc.code]) for loc in targets}

    stamp = now_stamp()
    for slug, doc in docs.items():
        old_pot = old_templates[slug]
        if old_pot is False:
            continue
        current = project.relative(doc.path)
        try:
            pot = _template(project, doc, old_pot, stamp)
            if ("extract" in steps or "update" in steps) and (old_pot is None or not same_content(old_pot, pot)):
                _stage(result, project.template_path(slug), format_po(pot).encode("utf-8"), "template")
            for loc in targets:
                summary = result.summaries.setdefault(loc.code, LocaleSummary(loc.code))
                old = old_catalogs[(loc.code, slug)]
                if old is False:
                    continue
                path = project.catalog_path(loc.code, slug)
                current = project.relative(path)
                po = old
                if "update" in steps:
                    po = merge_catalog(old, pot, loc.info, revision_date=stamp,
                                       fuzzy_threshold=config.fuzzy_threshold,
                                       title=f"{doc.reference} ({config.project}).",
                                       memory=memories[loc.code], memory_threshold=config.memory_threshold)
                    if old is None or not same_content(old, po):
                        _stage(result, path, format_po(po).encode("utf-8"), "catalog", durable=True)
                summary.articles += 1
                if po is not None:
                    summary.stats.add(catalog_stats(po))
                else:
                    summary.stats.add(catalog_stats(merge_catalog(None, pot, loc.info, revision_date=stamp)))
                if "build" in steps:
                    current = project.relative(doc.path)
                    _build(project, result, summary, doc, po, loc)
        except PipelineError:
            raise
        except Exception as exc:  # a bug: name the file, keep the traceback for --debug
            raise InternalError(f"internal error ({type(exc).__name__}: {exc})", path=current) from exc

    if "build" in steps:
        _remove_orphan_outputs(project, result, slugs, targets)
    result.orphans = _orphan_catalogs(project, slugs)
    return result


def _memory_for(locale: str, docs: dict[str, SourceDocument],
                old_catalogs: dict[tuple[str, str], polib.POFile | None | bool],
                extra: polib.POFile | None | bool) -> TranslationMemory:
    """The locale's memory: its article catalogs as they are on disk (by slug), then imported memory."""
    pairs = [(slug, po) for slug in sorted(docs)
             if isinstance(po := old_catalogs.get((locale, slug)), polib.POFile)]
    if isinstance(extra, polib.POFile):
        pairs.append(("imported memory", extra))
    return build_memory(pairs)


def _template(project: Project, doc: SourceDocument, old: polib.POFile | None, stamp: str) -> polib.POFile:
    """The article's POT; its creation date moves only when its content does."""
    config = project.config
    units = segment_units(doc, project.policy)

    def build(date: str) -> polib.POFile:
        return build_template(units, reference=doc.reference, project=config.project,
                              bugs_address=config.bugs_address, creation_date=date,
                              reference_lines=config.reference_lines,
                              source_plural_forms=parse_locale(config.source_language).plural_forms)

    if old is not None:
        candidate = build(old.metadata.get("POT-Creation-Date", ""))
        if same_content(candidate, old):
            return candidate
    return build(stamp)


def _build(project: Project, result: RunResult, summary: LocaleSummary, doc: SourceDocument,
           po: polib.POFile | None, loc: LocaleConfig) -> None:
    config = project.config
    slug = doc.slug
    doc = doc.fresh()
    table = lookup_table(po)
    assembled = assemble_html(doc, project.policy, table.get, locale=loc.info,
                              source_language=config.source_language, article_path=doc.reference,
                              plural=plural_function(po, loc.info))
    out = project.output_path(loc.info.bcp47, slug)
    ratio = assembled.stats.ratio
    if ratio + 1e-9 < loc.publish_threshold:
        reason = (f"{ratio:.0%} of units translated, below the publish threshold "
                  f"{loc.publish_threshold:.0%}")
        summary.unpublished.append((slug, reason))
        _stage(result, out, None, "output")
        return
    summary.published += 1
    summary.fallbacks += len(assembled.fallbacks)
    result.fallbacks.extend(assembled.fallbacks)
    _stage(result, out, assembled.html, "output")


def _remove_orphan_outputs(project: Project, result: RunResult, slugs: set[str],
                           targets: list[LocaleConfig]) -> None:
    for loc in targets:
        folder = project.config.output_dir / loc.info.bcp47
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.html")):
            if path.stem not in slugs:
                _stage(result, path, None, "output")


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
    """Write (atomically) or remove every planned file; return the files it could not.

    A file whose bytes changed since the run read it (a translator's editor saved it meanwhile) is left
    as it is and reported: the next run takes the edit in.
    """
    problems: list[PipelineError] = []
    for change in changes:
        shown = project.relative(change.path) if project is not None else str(change.path)
        if _text(change.path) != change.expected:
            problems.append(WriteError("changed on disk while l10n was working; not overwritten", path=shown,
                                       hint="run the command again to take the change in"))
            continue
        try:
            for stale in change.path.parent.glob(f".{change.path.name}.*.tmp"):
                stale.unlink()  # left by a run that was killed mid-write (we hold the lock)
            if change.data is None:
                remove_file(change.path)
            else:
                write_atomic(change.path, change.data, durable=change.durable)
        except OSError as exc:
            problems.append(WriteError(f"cannot write: {exc.strerror or exc}", path=shown,
                                       hint="check that the folder is a folder and writable"))
    return problems


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
                leftovers_path: Path | None = None) -> tuple[ImportReport, list[Change]]:
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
            changes.append(Change(path, format_po(po).encode("utf-8"), "catalog", durable=True,
                                  expected=seen.get(path)))
    if report.leftovers:
        target = leftovers_path or delivery_path.with_name(delivery_path.stem + ".leftovers.po")
        rest = polib.POFile(wrapwidth=79)
        rest.header = f"Entries of {shown} that match no catalog of {loc.code}; nothing was lost."
        rest.metadata = dict(delivery.metadata)
        for entry in report.leftovers:
            rest.append(entry)
        changes.append(Change(target, format_po(rest).encode("utf-8"), "leftovers", durable=True,
                              expected=_text(target)))
    return report, changes


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
    before = _text(target)
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
    changes = [Change(target, format_po(current).encode("utf-8"), "memory", durable=True,
                      expected=before)] if added else []
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
        return plan_run(project, steps=steps, locales=codes or None, keep_going=True)

    ctx = CheckContext.load(project, articles=discover_articles(project), locales=targets,
                            settings=settings, plan=plan)
    return run_checks(ctx, only=only, skip=skip)
