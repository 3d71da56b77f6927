"""Clinical review from the command line: sign off a locale's clean units, reject one with its reason, and
count where review stands.

The disclaimer is approved once per locale: approving it in one article's catalog approves the same English
and the same translation in every catalog of the locale (the memory fills every article's disclaimer with the
same text, so one reading signs off all of them). When the English disclaimer changes, every one of those
approvals is stale at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.core.errors import ConfigError
from pipeline.po.catalog import now_stamp
from pipeline.po.files import format_po
from pipeline.po.model import Catalog, Entry
from pipeline.po.review import (
    ReviewState,
    ReviewTally,
    approve,
    catalog_translator,
    credit_translator,
    reject,
    review_state,
    self_reviewed,
    source_hash,
    tally,
    translated_by,
    translation_hash,
)
from pipeline.text.verdict import Problem, run_from_msgid, translation_problems
from pipeline.workflow.changes import Change
from pipeline.workflow.project import Project
from pipeline.workflow.translators import article_slugs, read_locale_catalogs, staged_change


def review_status(project: Project, locale: str, articles: list[str] | None = None) -> dict[str, ReviewTally]:
    """slug -> the review figures of the locale's catalog (units and words per state, rejections, penalty)."""
    weight = project.config.review.weight
    return {slug: tally(po, weight)
            for slug, (_, po) in sorted(read_locale_catalogs(project, locale, articles).items())}


def entry_problems(project: Project, locale: str, entry: Entry) -> list[Problem]:
    """What the build's shared verdict finds wrong with the entry's translation, every plural form
    (empty: the build would publish it)."""
    loc = project.config.locale(locale)
    source_locale = project.config.source_language.replace("-", "_")
    translated = entry.forms
    sources = [entry.msgid] + [entry.msgid_plural or entry.msgid] * (len(translated) - 1)
    found: dict[Problem, None] = {}
    for form, msgid in zip(translated, sources):
        if form:
            for problem in translation_problems(form, run_from_msgid(msgid), source_locale=source_locale,
                                                target_locale=loc.code, disclaimer=entry.is_disclaimer,
                                                python_format="python-format" in entry.flags):
                found[problem] = None
    return list(found)


def clean(project: Project, locale: str, entry: Entry) -> bool:
    """Whether the build would publish the entry's translation (the shared verdict finds nothing wrong)."""
    return not entry_problems(project, locale, entry)


@dataclass(slots=True)
class ApprovalPlan:
    """What an approval run does: units approved and held (not clean) per article, and the catalog changes."""

    approved: dict[str, int]
    held: dict[str, int]
    changes: list[Change]
    shared: int = 0       #: disclaimer units approved in other articles' catalogs, since they are the same
    own: int = 0          #: units left because the reviewer translated them (revision takes a second person)


def _awaits(entry: Entry, fallback: str | None) -> bool:
    """Whether the entry waits for an approval: translated, not rejected, and not yet approved by someone other
    than its translator (``fallback``: the catalog's; whether this reviewer may give it is ``translated_by``'s
    question)."""
    state = review_state(entry)
    if state in (ReviewState.UNTRANSLATED, ReviewState.REJECTED):
        return False
    if state is ReviewState.APPROVED and not self_reviewed(entry, fallback):
        return False
    return True


def _sign_off(entry: Entry, po: Catalog, reviewer: str, date: str) -> None:
    """Approve the entry for ``reviewer``: first record who translated it where no record says so (the
    catalog's Last-Translator), so the catalog keeps that with the text; the change in the English it shows
    as ``#| msgid`` has now been read."""
    credit_translator(entry, po, date=date)
    approve(entry, reviewer=reviewer, date=date)
    entry.forget_previous()


def plan_approval(project: Project, locale: str, reviewer: str, articles: list[str] | None = None,
                  *, only: set[tuple[str, str | None, str]] | None = None) -> ApprovalPlan:
    """Approve, for ``reviewer``, every translated unit of the locale (of ``articles``; of ``only``, a set of
    (slug, msgctxt, msgid), when given) that is not approved yet and that the build would publish; an approved
    disclaimer is approved in every catalog of the locale that has the same English and translation."""
    date = now_stamp()[:10]
    seen: dict[Path, bytes | None] = {}
    chosen = set(article_slugs(project, articles))
    catalogs = read_locale_catalogs(project, locale, None, seen=seen)   # all: the disclaimer is shared
    plan = ApprovalPlan({}, {}, [])
    touched: set[str] = set()
    disclaimers: set[tuple[str, str]] = set()
    for slug, (_, po) in sorted(catalogs.items()):
        if slug not in chosen:
            continue
        count = skipped = 0
        fallback = catalog_translator(po)
        for entry in po:
            if entry.obsolete or not _awaits(entry, fallback):
                continue
            if only is not None and (slug, entry.msgctxt, entry.msgid) not in only:
                continue
            if translated_by(entry, reviewer, fallback):
                plan.own += 1
                continue
            if not clean(project, locale, entry):
                skipped += 1
                continue
            _sign_off(entry, po, reviewer, date)
            if entry.is_disclaimer:
                disclaimers.add((source_hash(entry), translation_hash(entry)))
            count += 1
        plan.approved[slug], plan.held[slug] = count, skipped
        if count:
            touched.add(slug)
    for slug, (_, po) in sorted(catalogs.items()):
        fallback = catalog_translator(po)
        for entry in po.live():
            if not (entry.is_disclaimer and _awaits(entry, fallback)
                    and (source_hash(entry), translation_hash(entry)) in disclaimers):
                continue
            if not translated_by(entry, reviewer, fallback):
                _sign_off(entry, po, reviewer, date)
                plan.shared += slug not in chosen
                touched.add(slug)
    for slug in sorted(touched):
        path, po = catalogs[slug]
        plan.changes.append(staged_change(path, format_po(po).encode("utf-8"), "catalog", seen.get(path), True))
    return plan


def find_unit(po: Catalog, text: str, msgctxt: str | None = None) -> Entry:
    """The live entry whose msgid is ``text``, or the only one that starts with it; ConfigError otherwise."""
    live = [e for e in po.live() if msgctxt is None or e.msgctxt == msgctxt]
    exact = [e for e in live if e.msgid == text]
    found = exact or [e for e in live if e.msgid.startswith(text)]
    if len(found) == 1:
        return found[0]
    if not found:
        raise ConfigError(f"no unit whose English is or starts with {text!r}",
                          hint="give the msgid (or its beginning) as the catalog has it")
    raise ConfigError(f"{len(found)} units start with {text!r}",
                      hint="give more of the msgid, or --msgctxt")


def plan_rejection(project: Project, locale: str, reviewer: str, slug: str, unit: str, *, category: str,
                   severity: str, reason: str, msgctxt: str | None = None) -> tuple[Entry, Change]:
    """Reject one unit of an article's catalog with its reason (the entry becomes fuzzy, so the build
    publishes the English until it is translated again); the entry and the catalog change."""
    seen: dict[Path, bytes | None] = {}
    catalogs = read_locale_catalogs(project, locale, [slug], seen=seen)
    if slug not in catalogs:
        raise ConfigError(f"article {slug!r} has no catalog for {locale}", hint="run `l10n sync` first")
    path, po = catalogs[slug]
    entry = find_unit(po, unit, msgctxt)
    if review_state(entry) is ReviewState.UNTRANSLATED:
        raise ConfigError(f"{entry.msgid[:60]!r} has no finished translation to reject",
                          hint="a fuzzy or empty unit is not published anyway")
    try:
        reject(entry, reviewer=reviewer, date=now_stamp()[:10], category=category, severity=severity,
               reason=reason)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    return entry, staged_change(path, format_po(po).encode("utf-8"), "catalog", seen.get(path), True)


def review_report(project: Project, locale: str, articles: list[str] | None = None) -> dict[str, object]:
    """The review report of a locale, JSON-ready: per article and overall, units and words per review state,
    the approved share of the words, rejections by category and severity, and the MQM-style score against
    ``review.max_penalty`` (points per 1,000 reviewed words; README "Clinical review")."""
    settings = project.config.review
    loc = project.config.locale(locale)
    per_article = review_status(project, locale, articles)
    total = ReviewTally()
    rows = []
    for slug, figures in per_article.items():
        total.add(figures)
        rows.append({"article": slug, **_figures(figures, settings.max_penalty)})
    return {"locale": loc.info.bcp47, "review": loc.review, "weights": dict(settings.weights),
            "max_penalty": settings.max_penalty, "articles": rows, "total": _figures(total, settings.max_penalty)}


def _figures(figures: ReviewTally, max_penalty: float) -> dict[str, object]:
    score = figures.score()
    return {
        "units": {state.value: figures.units[state.value] for state in ReviewState},
        "words": {state.value: figures.words[state.value] for state in ReviewState},
        "approved_share": round(figures.approved_share(), 4),
        "self_reviewed": figures.self_reviewed,
        "rejections": [{"category": c, "severity": s, "count": n}
                       for (c, s), n in sorted(figures.rejections.items())],
        "reviewed_words": figures.reviewed_words,
        "penalty": figures.penalty,
        "score": None if score is None else round(score, 2),
        "passed": None if score is None else score <= max_penalty + 1e-9,
    }
