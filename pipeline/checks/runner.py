"""``run_checks``: choose the checks, read the files and run the checks over them, grade and sort the findings.

The files are read an article at a time by ``jobs`` worker processes, which also run the per-article checks
and ``gather`` what the checks across articles need; they send back findings, how reading each file went
and the gathered data, never a parsed catalog. The parent then runs the checks across articles and puts
every check's findings together in registry order. The findings do not depend on ``jobs``.

An article whose files, scope and plan are those of a report kept by an earlier run (:mod:`reuse`) is not
read at all: its report is the kept one. The checks' ``prepare`` runs only when some article is read, their
``load`` only when an article needs what it loads (``LoadFirst``).
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from pipeline.checks.context import ProjectContext
from pipeline.checks.inputs import ArticleFiles, FileState
from pipeline.checks.kept import KeptAnswers
from pipeline.checks.kinds import ArticleCheck, LoadFirst, ProjectCheck
from pipeline.checks.registry import REGISTRY, Check
from pipeline.checks.reuse import NotKept, decode, encode, inputs_digest, open_reports, row_key, scope_digest
from pipeline.core.errors import InternalError, PipelineError
from pipeline.core.model import Finding, Severity
from pipeline.core.parallel import forks, ordered_map


@dataclass(frozen=True, slots=True)
class CheckedFile:
    """A file the run looked at."""

    path: str
    kind: str                  #: ``catalog``, ``template`` or ``source``
    locale: str | None
    article: str
    readable: bool             #: False: it is missing or could not be parsed


@dataclass(frozen=True, slots=True)
class RanCheck:
    """A check that ran, with the severity its findings had in this run."""

    id: str
    severity: Severity
    description: str


@dataclass(frozen=True, slots=True)
class Findings:
    """The result of a check run: findings sorted by file, line and check, and what was checked."""

    items: tuple[Finding, ...]
    checks: tuple[RanCheck, ...]
    files: tuple[CheckedFile, ...]
    locales: tuple[str, ...]
    #: the articles (slugs) whose files this run read and checked; the others' reports were kept from before
    read: tuple[str, ...] = field(default=(), compare=False)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def count(self, severity: Severity) -> int:
        """How many findings have this severity."""
        return sum(1 for f in self.items if f.severity is severity)

    @property
    def unreadable(self) -> bool:
        """Whether a file could not be parsed, so it was not checked (the run exits 2)."""
        return any(f.check == "syntax" for f in self.items)


def select_checks(only: Iterable[str] = (), skip: Iterable[str] = (), *,
                  skipped_by_config: Iterable[str] = ()) -> list[Check]:
    """The checks to run, in registry order: ``only`` (or all but those l10n.yaml skips) minus ``skip``.

    Required checks (``syntax``) always run. Unknown ids raise ValueError.
    """
    only, skip = list(only), list(skip)
    for check_id in [*only, *skip, *skipped_by_config]:
        if check_id not in REGISTRY:
            raise ValueError(f"unknown check {check_id!r}")
    chosen = set(only) if only else set(REGISTRY) - set(skipped_by_config)
    chosen -= set(skip)
    return [c for c in REGISTRY.values() if c.id in chosen or c.required]


@dataclass(frozen=True, slots=True)
class _Failure:
    """A check that raised: a PipelineError as it is, anything else (a bug) as an InternalError naming it."""

    error: PipelineError | None
    message: str = ""
    details: str = ""

    def exception(self) -> PipelineError:
        """The error to raise in the parent."""
        if self.error is not None:
            return self.error
        error = InternalError(self.message)
        error.details = self.details
        return error


@dataclass(slots=True)
class _ArticleReport:
    """What reading and checking one article sends back to the parent: small and picklable."""

    states: list[FileState]
    findings: dict[str, list[Finding]] = field(default_factory=dict)
    failures: dict[str, _Failure] = field(default_factory=dict)
    gathered: dict[str, Any] = field(default_factory=dict)
    #: the checks that asked for their ``load`` (LoadFirst) before they could check the article: not checked
    load_first: list[str] = field(default_factory=list)
    #: the report as the cache keeps it (:func:`reuse.encode`), made by the worker that checked the article;
    #: None: not to be kept (no cache, a failure, or its files changed while they were read)
    kept: str | None = None


def _failure(spec: Check, exc: Exception) -> _Failure:
    if isinstance(exc, PipelineError):
        return _Failure(exc)
    return _Failure(None, f"check {spec.id!r} failed ({type(exc).__name__}: {exc})", traceback.format_exc())


def _own_findings(spec: Check, found: Iterable[Finding]) -> list[Finding]:
    """A check's findings, each of which must carry the check's id."""
    items = []
    for finding in found:
        if finding.check != spec.id:
            raise ValueError(f"finding of check {finding.check!r} from check {spec.id!r}")
        items.append(finding)
    return items


def _check_kept(ctx: ProjectContext, files: ArticleFiles, checks: Sequence[Check], kept: _KeptReports | None,
                index: int) -> _ArticleReport:
    """:func:`_check_article`, with the report encoded as ``kept`` keeps it (the hashing of the article's files
    before and after, and the encoding, are done where the article is read: in the worker)."""
    before = kept.inputs_before(index) if kept is not None else None
    report = _check_article(ctx, files, checks)
    if kept is not None and before is not None and not report.failures and not report.load_first:
        report.kept = kept.encoded(index, before, report)
    return report


def _check_article(ctx: ProjectContext, files: ArticleFiles, checks: Sequence[Check]) -> _ArticleReport:
    """Read one article's files and run the per-article checks and the gatherers over them."""
    article = ctx.read_article(files)
    report = _ArticleReport(article.file_states())
    for spec in checks:
        try:
            if isinstance(spec, ArticleCheck):
                found = _own_findings(spec, spec.function(article))
                if found:
                    report.findings[spec.id] = found
            elif isinstance(spec, ProjectCheck) and spec.gather is not None:
                report.gathered[spec.id] = spec.gather(article)
        except LoadFirst as exc:
            if not ctx.session.defers_loads or not isinstance(spec, ArticleCheck) or spec.load is None:
                report.failures[spec.id] = _failure(spec, exc)
                continue
            report.load_first.append(spec.id)
            return report           # the article is checked again once the parent has loaded it
        except Exception as exc:  # reported in the parent, in registry order
            report.failures[spec.id] = _failure(spec, exc)
    return report


def run_checks(ctx: ProjectContext, *, only: Iterable[str] = (), skip: Iterable[str] = (), jobs: int = 1) -> Findings:
    """Read the files of the project's context (``jobs`` processes) and run the chosen checks on them; a
    check that fails unexpectedly is an InternalError naming it (exit 3)."""
    chosen = select_checks(only, skip, skipped_by_config=ctx.settings.skip)
    failures: dict[str, _Failure] = {}
    found, read = _check_articles(ctx, chosen, jobs, failures)
    ran: list[RanCheck] = []
    items: list[Finding] = []
    for spec in chosen:
        severity = ctx.settings.severity(spec.id)
        ran.append(RanCheck(spec.id, severity, spec.description))
        if spec.id in failures:
            raise failures[spec.id].exception()
        for finding in found[spec.id] if isinstance(spec, ArticleCheck) else _check_project(ctx, spec):
            # l10n.yaml re-grades the check's findings; those it grades apart keep their grade
            if finding.severity is spec.severity and severity is not spec.severity:
                finding = replace(finding, severity=severity)
            items.append(finding)
    order = {check_id: index for index, check_id in enumerate(REGISTRY)}
    items.sort(key=lambda f: (f.path or "", f.line or 0, order[f.check], f.message))
    files = [CheckedFile(s.rel, "source", None, s.slug, s.parsed) for s in ctx.sources]
    files += [CheckedFile(c.rel, c.kind, c.code or None, c.slug, c.parsed)
              for c in [*ctx.templates, *ctx.catalogs]]
    return Findings(tuple(items), tuple(ran), tuple(files), tuple(loc.code for loc in ctx.locales), read)


def _prepare(ctx: ProjectContext, chosen: Sequence[Check]) -> dict[str, _Failure]:
    """Let the per-article checks compute what they need of the whole project; return those that failed."""
    failures: dict[str, _Failure] = {}
    for spec in chosen:
        if isinstance(spec, ArticleCheck) and spec.prepare is not None:
            try:
                spec.prepare(ctx)
            except Exception as exc:
                failures[spec.id] = _failure(spec, exc)
    return failures


def _check_articles(ctx: ProjectContext, chosen: Sequence[Check], jobs: int,
                    failures: dict[str, _Failure]) -> tuple[dict[str, list[Finding]], tuple[str, ...]]:
    """Read every article whose report was not kept (``jobs`` processes), running the prepares, the per-article
    checks and the gatherers for them; take the kept reports of the others.

    Records in ``ctx`` how reading each file went and what was gathered, adds the checks that failed to
    ``failures`` (the first article's failure of each), and returns each per-article check's findings and
    the slugs of the articles read.
    """
    in_workers = [spec for spec in chosen
                  if isinstance(spec, ArticleCheck) or (isinstance(spec, ProjectCheck) and spec.gather is not None)]
    found: dict[str, list[Finding]] = {spec.id: [] for spec in chosen if isinstance(spec, ArticleCheck)}
    articles = ctx.articles()
    kept = _KeptReports.open(ctx, in_workers, articles)
    reports: list[_ArticleReport | None] = [kept.report(index) for index in range(len(articles))]
    missing = [index for index, report in enumerate(reports) if report is None]
    if missing:
        failures.update(_prepare(ctx, chosen))
        workers = [spec for spec in in_workers if spec.id not in failures]
        for index, done in _read_and_check(ctx, articles, missing, workers, jobs, failures, kept):
            reports[index] = done
            if not failures and not done.failures:
                kept.keep(index, done)
        kept.flush()
    for files, report in zip(articles, reports, strict=True):
        assert report is not None
        ctx.record(files, report.states)
        for check_id, items in report.findings.items():
            found[check_id].extend(items)
        for check_id, failure in report.failures.items():
            failures.setdefault(check_id, failure)
        for check_id, data in report.gathered.items():
            ctx.gathered.setdefault(check_id, []).append((files.source.slug, data))
    return found, tuple(articles[index].source.slug for index in missing)


def _read_and_check(ctx: ProjectContext, articles: list[ArticleFiles], indexes: list[int], checks: Sequence[Check],
                    jobs: int, failures: dict[str, _Failure], kept: _KeptReports | None = None
                    ) -> Iterator[tuple[int, _ArticleReport]]:
    """(index, report) of each article of ``indexes``, in order, read and checked by ``jobs`` workers, each
    report encoded for ``kept`` by its worker.

    Forked workers leave to the parent what takes long to load (the Korean analyser), so that it is loaded once,
    and only when some article needs it: at the first article whose check raises LoadFirst, the parent stops
    the workers, runs that check's ``load`` (a failure goes to ``failures``) and has that article and those
    after it checked by new workers, which share what it loaded.
    """
    session = ctx.session
    session.defers_loads = forks(len(indexes), jobs, at_least=16)
    try:
        left: list[int] = []
        asked: set[str] = set()
        def check(index: int) -> _ArticleReport:
            return _check_kept(ctx, articles[index], checks, kept, index)

        checked = ordered_map(check, indexes, jobs, at_least=16)
        for position, (index, report) in enumerate(zip(indexes, checked)):
            if report.load_first:
                left, asked = indexes[position:], set(report.load_first)
                break
            yield index, report
        checked.close()             # stops the workers, which may have gone on ahead
        if not left:
            return
        session.defers_loads = False
        for spec in checks:
            if spec.id in asked and isinstance(spec, ArticleCheck) and spec.load is not None:
                try:
                    spec.load(ctx)
                except Exception as exc:
                    failures[spec.id] = _failure(spec, exc)
        checks = [spec for spec in checks if spec.id not in failures]
        again = ordered_map(check, left, jobs, at_least=16)
        yield from zip(left, again, strict=True)
    finally:
        session.defers_loads = False


@dataclass(slots=True)
class _KeptReports:
    """The reports kept for this run's articles (see :mod:`reuse`), and the keeping of new ones."""

    ctx: ProjectContext
    articles: list[ArticleFiles]
    store: KeptAnswers | None = None      #: None: keep nothing
    scope: str = ""
    plans: list[str | None] = field(default_factory=list)
    inputs: list[str | None] = field(default_factory=list)

    @classmethod
    def open(cls, ctx: ProjectContext, checks: Sequence[Check], articles: list[ArticleFiles]) -> "_KeptReports":
        """The kept reports of the articles, for the checks that run in the workers."""
        kept = cls(ctx, articles)
        store = open_reports(ctx)
        if store is None:
            return kept
        try:
            kept.scope = scope_digest(ctx, checks)
            reads_plans = any(isinstance(spec, ArticleCheck) and spec.prepare is not None for spec in checks)
            kept.plans = [ctx.plan_digest(files) if reads_plans else None for files in articles]
        except Exception:  # NotKept, or a plan that fails: the checks' prepare reports it, as without the cache
            return kept
        kept.store = store
        kept.inputs = [None] * len(articles)
        return kept

    def _inputs(self, index: int) -> str | None:
        try:
            return inputs_digest(self.ctx, self.articles[index], self.plans[index])
        except NotKept:
            return None

    def report(self, index: int) -> _ArticleReport | None:
        """The kept report of an article whose inputs are those it was made from; None: read the article.

        Its files are hashed only when some report is kept for it (a first run hashes them where it reads them)."""
        if self.store is None:
            return None
        raw = self.store.get(row_key(self.articles[index], self.scope))
        if raw is None:
            return None
        inputs = self.inputs[index] = self._inputs(index)
        found = decode(raw, inputs) if inputs is not None else None
        if found is None or len(found[0]) != 2 + len(self.articles[index].catalogs):
            return None
        states, findings, gathered = found
        return _ArticleReport(states, findings, {}, gathered)

    def inputs_before(self, index: int) -> str | None:
        """The inputs digest of an article about to be read (None: its report is not to be kept)."""
        if self.store is None:
            return None
        return self.inputs[index] if self.inputs[index] is not None else self._inputs(index)

    def encoded(self, index: int, before: str, report: _ArticleReport) -> str | None:
        """An article's new report as kept, if its files are still those hashed (``before``) before reading them."""
        if self._inputs(index) != before:
            return None
        try:
            return encode(before, report.states, report.findings, report.gathered)
        except NotKept:
            return None

    def keep(self, index: int, report: _ArticleReport) -> None:
        """Keep an article's new report, as its worker encoded it (if it did)."""
        if self.store is not None and report.kept is not None:
            self.store.put(row_key(self.articles[index], self.scope), report.kept)
        report.kept = None  # the store holds it now

    def flush(self) -> None:
        """Write the reports kept in this run (best effort)."""
        if self.store is not None:
            self.store.flush()


def _check_project(ctx: ProjectContext, spec: Check) -> list[Finding]:
    """Run a check across articles over the project's context."""
    assert isinstance(spec, ProjectCheck), f"check {spec.id!r} is neither per-article nor across articles"
    try:
        return _own_findings(spec, spec.function(ctx))
    except PipelineError:
        raise
    except Exception as exc:  # a bug in a check: name it, keep the traceback for --debug
        raise InternalError(f"check {spec.id!r} failed ({type(exc).__name__}: {exc})") from exc
