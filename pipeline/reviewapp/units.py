"""What the review page shows of one article's catalog: each unit with its state, history, diff and findings."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.core.errors import PipelineError
from pipeline.po.files import parse_po
from pipeline.po.model import Entry
from pipeline.po.review import (
    Record,
    ReviewState,
    last_decision,
    records,
    review_state,
    source_hash,
    translation_hash,
)
from pipeline.text.diff import Piece, word_diff
from pipeline.workflow import Project, check_project
from pipeline.workflow.changes import digest, read_bytes
from pipeline.workflow.review import entry_problems

#: Checks whose finding the unit's state already says (the page shows the state itself).
_STATE_CHECKS = frozenset({"unreviewed", "review-stale", "review-rejected"})


@dataclass(frozen=True, slots=True)
class UnitFinding:
    """One finding of ``l10n check`` (or of the build's verdict) about a unit."""

    check: str
    severity: str
    message: str


@dataclass(slots=True)
class UnitView:
    """One unit as the reviewer sees it."""

    number: int                        #: 1-based, in catalog order (the page's ``#uN``)
    index: int                         #: the entry's position in the catalog file
    context: str | None
    english: str
    english_plural: str | None
    translation: list[str]             #: msgstr, or every plural form
    notes: list[str]                   #: the extracted comments (what the unit is, its placeholders)
    state: str                         #: a ReviewState value
    source: str                        #: the source hash a decision is bound to
    history: list[Record]
    stale_because: str = ""            #: for a stale unit: what changed since its last approval or rejection
    diff: list[Piece] | None = None    #: the English against ``#| msgid``, when the catalog has it
    findings: list[UnitFinding] = field(default_factory=list)
    clean: bool = True                 #: the build's verdict finds nothing wrong (the build would publish it)

    @property
    def can_approve(self) -> bool:
        """Whether an approval would count: translated, not decided for this text, and clean."""
        return self.state in (ReviewState.UNREVIEWED.value, ReviewState.STALE.value) and self.clean

    @property
    def can_reject(self) -> bool:
        """Whether a rejection applies: a translation that is not already rejected."""
        return self.state in (ReviewState.UNREVIEWED.value, ReviewState.STALE.value, ReviewState.APPROVED.value)


@dataclass(slots=True)
class ArticleReview:
    """One article's catalog as read for the page, with the content hash every decision is checked against."""

    slug: str
    catalog: str                       #: the catalog's path, as shown
    digest: str                        #: hash of the catalog's bytes as read (see ``decisions``)
    units: list[UnitView]
    counts: Counter[str]
    checks_error: str = ""             #: why `l10n check` could not run (the verdict is shown anyway)
    findings: list[UnitFinding] = field(default_factory=list)   #: the checks' findings not about one unit

    @property
    def remaining_clean(self) -> int:
        """Units "approve every remaining clean unit" would approve."""
        return sum(1 for unit in self.units if unit.can_approve)


def verdict_problems(project: Project, locale: str, entry: Entry) -> list[UnitFinding]:
    """What the build's shared verdict finds wrong with the entry's translation (empty: it would publish it),
    as ``review --approve`` asks it."""
    return [UnitFinding(problem.check, "error", f"the build holds it back: {problem.message}")
            for problem in entry_problems(project, locale, entry)]


def stale_reason(entry: Entry) -> str:
    """Why a stale unit needs reading again, as a sentence naming its last approval or rejection (as the
    ``review-stale`` check does: an import's ``translated`` record is no decision); empty without one."""
    last = last_decision(entry)
    if last is None:
        return ""
    changed = [what for what, same in (("English", last.src == source_hash(entry)),
                                       ("translation", last.tr == translation_hash(entry))) if not same]
    what = " and the ".join(changed) or "text"
    verb = "have" if len(changed) > 1 else "has"
    return f"The {what} {verb} changed since it was {last.verdict} by {last.reviewer} on {last.date}."


def catalog_path(project: Project, locale: str, slug: str) -> Path:
    """The article's catalog for the locale (``locales/<lang>/<slug>.po``)."""
    return project.catalog_path(project.config.locale(locale).code, slug)


def load_article(project: Project, locale: str, slug: str, *, with_checks: bool = True) -> ArticleReview:
    """The article's catalog as it is on disk now, unit by unit; LookupError when it has none."""
    loc = project.config.locale(locale)
    path = catalog_path(project, locale, slug)
    shown = project.relative(path)
    data = read_bytes(path)
    if data is None:
        raise LookupError(f"{shown} does not exist: run `l10n sync` first")
    po = parse_po(data, path=shown)
    source_locale = project.config.source_language.replace("-", "_")
    by_line: dict[int, list[UnitFinding]] = {}
    checks_error = ""
    if with_checks:
        try:
            by_line = _findings_by_line(project, loc.code, shown)
        except PipelineError as exc:
            checks_error = exc.format_message()
    live = [(i, e) for i, e in enumerate(iter(po)) if not e.obsolete]
    lines = [e.linenum or 0 for _, e in live]
    per_entry: dict[int, list[UnitFinding]] = {}
    for line, found in by_line.items():
        at = bisect_right(lines, line) - 1
        per_entry.setdefault(at, []).extend(found)   # -1: the header, or the file as a whole
    units: list[UnitView] = []
    counts: Counter[str] = Counter()
    for number, (index, entry) in enumerate(live, 1):
        state = review_state(entry)
        counts[state.value] += 1
        history = records(entry)
        problems = verdict_problems(project, locale, entry)
        unit = UnitView(number=number, index=index, context=entry.msgctxt, english=entry.msgid,
                        english_plural=entry.msgid_plural or None, translation=entry.forms,
                        notes=[n for n in (entry.comment or "").split("\n") if n.strip()], state=state.value,
                        source=source_hash(entry), history=history,
                        findings=problems + [f for f in per_entry.get(number - 1, []) if f not in problems],
                        clean=not problems)
        if state is ReviewState.STALE:
            unit.stale_because = stale_reason(entry)
        if entry.previous_msgid and entry.previous_msgid != entry.msgid:
            unit.diff = word_diff(entry.previous_msgid, entry.msgid)
        units.append(unit)
    return ArticleReview(slug=slug, catalog=shown, digest=digest(data) or "", units=units, counts=counts,
                         checks_error=checks_error, findings=per_entry.get(-1, []))


def _findings_by_line(project: Project, code: str, catalog: str) -> dict[int, list[UnitFinding]]:
    """The findings of the project's checks for one catalog, by line (the line of the entry's msgid)."""
    found: dict[int, list[UnitFinding]] = {}
    for finding in check_project(project, locales=[code]).items:
        if finding.path != catalog or finding.check in _STATE_CHECKS:
            continue
        found.setdefault(finding.line or 0, []).append(
            UnitFinding(finding.check, getattr(finding.severity, "value", str(finding.severity)), finding.message))
    return found
