"""Clinical review: units a reviewer has not approved, approvals of an older text, approvals by the unit's own
translator, open rejections, and the MQM-style penalty of the rejections (README "Clinical review").

They report only for locales whose ``review`` is ``required`` or ``sections`` in ``l10n.yaml``: with review
off, nobody waits for a sign-off. The states are those of ``pipeline.po.review``, the module the build reads
approvals with, so a unit ``unreviewed`` reports is a unit the build holds back.
"""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.checks.context import ArticleContext, quote
from pipeline.checks.inputs import CatalogFile
from pipeline.checks.kinds import check
from pipeline.core.model import Finding, Key, Severity
from pipeline.html.build import ReviewGate, required_units
from pipeline.po.model import Catalog
from pipeline.po.review import (
    ReviewState,
    catalog_translator,
    last_decision,
    records,
    review_state,
    self_reviewed,
    tally,
    translator,
)


def _reviewed(ctx: ArticleContext) -> Iterator[tuple[CatalogFile, Catalog]]:
    """The readable catalogs of the locales with review on."""
    for cat in ctx.readable():
        if cat.locale is not None and cat.locale.review != "off" and cat.po is not None:
            yield cat, cat.po


def _required(ctx: ArticleContext, cat: CatalogFile, po: Catalog) -> set[Key] | None:
    """Under ``review: sections``: the units the article needs approved (None: every unit counts)."""
    assert cat.locale is not None
    if cat.locale.review != "sections":
        return None
    source = ctx.source
    if source.document is None:
        return {e.key for e in po.live() if e.is_disclaimer}
    return required_units(source.document, source.segments, ReviewGate("sections", ctx.config.review.sections))


@check("unreviewed", Severity.WARNING,
       "translated units no reviewer has approved (review: required publishes them in English; review: sections "
       "holds the article back)", per_article=True)
def check_unreviewed(ctx: ArticleContext) -> Iterator[Finding]:
    for cat, po in _reviewed(ctx):
        required = _required(ctx, cat, po)
        for entry in po.live():
            if review_state(entry) is not ReviewState.UNREVIEWED:
                continue
            if required is not None and entry.key not in required:
                continue
            effect = ("published in English until approved" if required is None
                      else "the article is not published until it is approved")
            yield cat.finding("unreviewed", f"not approved by a reviewer: {quote(entry.msgid)} ({effect})",
                              entry=entry)


@check("review-stale", Severity.WARNING,
       "approvals of an earlier English or translation: the unit needs reading again", per_article=True)
def check_review_stale(ctx: ArticleContext) -> Iterator[Finding]:
    for cat, po in _reviewed(ctx):
        for entry in po.live():
            if review_state(entry) is not ReviewState.STALE:
                continue
            last = last_decision(entry)
            assert last is not None   # stale: a decision exists, for another text
            yield cat.finding("review-stale", f"{last.verdict} by {last.reviewer} on {last.date} for an earlier "
                              f"text; the English or the translation changed since: review "
                              f"{quote(entry.msgid)} again", entry=entry)


@check("review-self", Severity.ERROR,
       "units approved by the person who translated them (revision takes a second person; where no record "
       "names the translator, the catalog's Last-Translator)", per_article=True)
def check_review_self(ctx: ArticleContext) -> Iterator[Finding]:
    for cat, po in _reviewed(ctx):
        fallback = catalog_translator(po)
        for entry in po.live():
            if self_reviewed(entry, fallback):
                yield cat.finding("review-self", f"{translator(entry, fallback)} translated and approved "
                                  f"{quote(entry.msgid)}: another reviewer must approve it", entry=entry)


@check("review-rejected", Severity.WARNING,
       "units a reviewer rejected, with the reason (fuzzy: published in English until translated again)",
       per_article=True)
def check_review_rejected(ctx: ArticleContext) -> Iterator[Finding]:
    for cat, po in _reviewed(ctx):
        for entry in po.live():
            if review_state(entry) is ReviewState.REJECTED:
                last = [r for r in records(entry) if r.verdict == "rejected"][-1]
                yield cat.finding("review-rejected", f"rejected by {last.reviewer} ({last.category}/"
                                  f"{last.severity}: {last.reason}): {quote(entry.msgid)}", entry=entry)


@check("review-score", Severity.ERROR,
       "MQM-style penalty of an article's rejections, per 1,000 reviewed words, over review max_penalty",
       per_article=True)
def check_review_score(ctx: ArticleContext) -> Iterator[Finding]:
    settings = ctx.config.review
    for cat, po in _reviewed(ctx):
        figures = tally(po, settings.weight)
        score = figures.score()
        if score is not None and score > settings.max_penalty + 1e-9:
            yield cat.finding("review-score", f"review penalty {score:.1f} points per 1,000 words "
                              f"({figures.penalty:g} points over {figures.reviewed_words} reviewed words), over "
                              f"the maximum {settings.max_penalty:g}", line=1)
