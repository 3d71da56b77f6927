"""A reviewer's decision written to the catalog at once: under the project lock, atomically, and never over
an edit made since the page was opened (the page carries the catalog's content hash)."""

from __future__ import annotations

import threading

from pipeline.po.catalog import now_stamp
from pipeline.po.files import format_po, parse_po
from pipeline.po.review import (
    Record,
    ReviewState,
    catalog_translator,
    records,
    reject,
    review_state,
    self_reviewed,
    source_hash,
)
from pipeline.reviewapp.units import catalog_path, verdict_problems
from pipeline.workflow import Change, Project, apply_changes, discard_changes, project_lock
from pipeline.workflow.changes import digest, read_bytes
from pipeline.workflow.review import plan_approval
from pipeline.workflow.translators import staged_change

#: One decision at a time in this process too (the file lock is per open file, the server is threaded).
_WRITING = threading.Lock()


class CatalogChanged(Exception):
    """The catalog on disk is not the one the page showed: nothing was written."""


class Refused(ValueError):
    """A decision that does not apply to the unit (or lacks its reason, category, severity or reviewer)."""


def decide(project: Project, locale: str, slug: str, *, expected: str, index: int, source: str, verdict: str,
           reviewer: str, category: str = "", severity: str = "", reason: str = "",
           lock_timeout: float = 5.0) -> Record:
    """Approve or reject one unit (the entry at ``index`` whose source hash is ``source``) of the catalog
    whose content hash is ``expected``; CatalogChanged when the file is no longer that one, Refused when the
    decision does not apply."""
    path = catalog_path(project, locale, slug)
    shown = project.relative(path)
    with _WRITING, project_lock(project, lock_timeout):
        current = read_bytes(path)
        if current is None or digest(current) != expected:
            raise CatalogChanged(shown)
        po = parse_po(current, path=shown)
        if not 0 <= index < len(po) or po[index].obsolete or source_hash(po[index]) != source:
            raise CatalogChanged(shown)
        entry = po[index]
        state = review_state(entry)
        date = now_stamp()[:10]
        try:
            if verdict == "approve":
                if state not in (ReviewState.UNREVIEWED, ReviewState.STALE) and \
                        not self_reviewed(entry, catalog_translator(po)):
                    raise Refused(f"a unit that is {state.value} cannot be approved")
                if verdict_problems(project, locale, entry):
                    raise Refused("the build would hold this translation back: it cannot be approved as it is")
                # as `review --approve` does: the translator cannot approve their own unit, and an approved
                # disclaimer is approved in every catalog of the locale that has the same text
                plan = plan_approval(project, locale, reviewer, [slug], only={(slug, entry.msgctxt, entry.msgid)})
                if plan.own:
                    raise Refused(f"{reviewer} translated this unit: another reviewer must approve it")
                if any(change.path == path and change.expected != expected for change in plan.changes):
                    discard_changes(plan.changes)
                    raise CatalogChanged(shown)
                _write(project, plan.changes)
                return records(parse_po(read_bytes(path) or b"", path=shown)[index])[-1]
            elif verdict == "reject":
                if state not in (ReviewState.UNREVIEWED, ReviewState.STALE, ReviewState.APPROVED):
                    raise Refused(f"a unit that is {state.value} cannot be rejected")
                record = reject(entry, reviewer=reviewer, date=date, category=category, severity=severity,
                                reason=reason)
            else:
                raise Refused(f"unknown decision {verdict!r}")
        except Refused:
            raise
        except ValueError as exc:        # po.review's own validation: reviewer, category, severity, reason
            raise Refused(str(exc)) from None
        _write(project, [staged_change(path, format_po(po).encode("utf-8"), "catalog", current, True)])
    return record


def approve_clean(project: Project, locale: str, slug: str, *, expected: str, reviewer: str,
                  lock_timeout: float = 5.0) -> tuple[int, int]:
    """Approve every remaining clean unit of the article (``plan_approval``), if its catalog is still the one
    whose hash is ``expected``; return units approved and units held back."""
    path = catalog_path(project, locale, slug)
    with _WRITING, project_lock(project, lock_timeout):
        if digest(read_bytes(path)) != expected:
            raise CatalogChanged(project.relative(path))
        try:
            plan = plan_approval(project, locale, reviewer, [slug])
        except ValueError as exc:
            raise Refused(str(exc)) from None
        if any(change.path == path and change.expected != expected for change in plan.changes):
            discard_changes(plan.changes)
            raise CatalogChanged(project.relative(path))
        _write(project, plan.changes)
    return plan.approved.get(slug, 0), plan.held.get(slug, 0)


def _write(project: Project, changes: list[Change]) -> None:
    """Rename the staged catalog into place; CatalogChanged when it changed on disk meanwhile."""
    problems = apply_changes(changes, project)
    if problems:
        raise CatalogChanged(problems[0].format_message())
