"""``run_checks``: choose the checks, run them over a loaded context, grade and sort their findings."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from ..errors import InternalError, PipelineError
from ..model import Finding, Severity
from .context import CheckContext
from .registry import REGISTRY, Check


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


def run_checks(ctx: CheckContext, *, only: Iterable[str] = (), skip: Iterable[str] = ()) -> Findings:
    """Run the chosen checks; a check that fails unexpectedly is an InternalError naming it (exit 3)."""
    chosen = select_checks(only, skip, skipped_by_config=ctx.settings.skip)
    ran: list[RanCheck] = []
    items: list[Finding] = []
    for spec in chosen:
        severity = ctx.settings.severity(spec.id)
        ran.append(RanCheck(spec.id, severity, spec.description))
        try:
            for finding in spec.function(ctx):
                if finding.check != spec.id:
                    raise ValueError(f"finding of check {finding.check!r} from check {spec.id!r}")
                # l10n.yaml re-grades the check's findings; those it grades apart keep their grade
                if finding.severity is spec.severity and severity is not spec.severity:
                    finding = replace(finding, severity=severity)
                items.append(finding)
        except PipelineError:
            raise
        except Exception as exc:  # a bug in a check: name it, keep the traceback for --debug
            raise InternalError(f"check {spec.id!r} failed ({type(exc).__name__}: {exc})") from exc
    order = {check_id: index for index, check_id in enumerate(REGISTRY)}
    items.sort(key=lambda f: (f.path or "", f.line or 0, order[f.check], f.message))
    files = [CheckedFile(s.rel, "source", None, s.slug, s.parsed) for s in ctx.sources]
    files += [CheckedFile(c.rel, c.kind, c.code or None, c.slug, c.po is not None)
              for c in [*ctx.templates, *ctx.catalogs]]
    return Findings(tuple(items), tuple(ran), tuple(files), tuple(loc.code for loc in ctx.locales))
