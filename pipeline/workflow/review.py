"""Clinical review from the command line: sign off a locale's clean units, and count where review stands."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.po.catalog import now_stamp
from pipeline.po.files import format_po
from pipeline.po.review import ReviewState, approve, review_state
from pipeline.text.placeholders import count_words
from pipeline.text.verdict import run_from_msgid, translation_problems
from pipeline.workflow.article import Change
from pipeline.workflow.project import Project
from pipeline.workflow.translators import read_locale_catalogs, staged_change


@dataclass(slots=True)
class ReviewCounts:
    """Units (and their English words) of one catalog, by review state."""

    units: Counter[str] = field(default_factory=Counter)
    words: Counter[str] = field(default_factory=Counter)


def review_status(project: Project, locale: str, articles: list[str] | None = None) -> dict[str, ReviewCounts]:
    """slug -> the units and words of the locale's catalog in each review state."""
    result: dict[str, ReviewCounts] = {}
    for slug, (_, po) in sorted(read_locale_catalogs(project, locale, articles).items()):
        counts = result.setdefault(slug, ReviewCounts())
        for entry in po:
            if entry.obsolete:
                continue
            state = review_state(entry).value
            counts.units[state] += 1
            counts.words[state] += count_words(entry.msgid)
    return result


def plan_approval(project: Project, locale: str, reviewer: str, articles: list[str] | None = None
                  ) -> tuple[dict[str, int], dict[str, int], list[Change]]:
    """Approve, for ``reviewer``, every translated unit of the locale (of ``articles``) that is not approved
    yet and that the build would publish (the shared verdict finds nothing wrong); return approved per
    article, held (not clean) per article, and the catalog changes."""
    loc = project.config.locale(locale)
    date = now_stamp()[:10]
    source_locale = project.config.source_language.replace("-", "_")
    approved: dict[str, int] = {}
    held: dict[str, int] = {}
    changes: list[Change] = []
    seen: dict[Path, bytes | None] = {}
    catalogs = read_locale_catalogs(project, locale, articles, seen=seen)
    for slug, (path, po) in sorted(catalogs.items()):
        count = skipped = 0
        for entry in po:
            if entry.obsolete or review_state(entry) in (ReviewState.APPROVED, ReviewState.UNTRANSLATED,
                                                         ReviewState.REJECTED):
                continue
            forms = [entry.msgstr] if not entry.msgid_plural else \
                [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
            sources = [entry.msgid] + [entry.msgid_plural or entry.msgid] * (len(forms) - 1)
            disclaimer = "disclaimer" in (entry.comment or "")
            if any(translation_problems(form, run_from_msgid(msgid), source_locale=source_locale,
                                        target_locale=loc.code, disclaimer=disclaimer,
                                        python_format="python-format" in entry.flags)
                   for form, msgid in zip(forms, sources) if form):
                skipped += 1
                continue
            approve(entry, reviewer=reviewer, date=date)
            count += 1
        approved[slug], held[slug] = count, skipped
        if count:
            data = format_po(po).encode("utf-8")
            changes.append(staged_change(path, data, "catalog", seen.get(path), True))
    return approved, held, changes
