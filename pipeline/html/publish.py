"""A page from a catalog: what the build writes for one locale, and whether it is published.

Both the build (``workflow.article``) and the ``page`` check call these, so the check compares an output
with exactly what the build would write.
"""

from __future__ import annotations

from pipeline.core.config import LocaleConfig, ReviewSettings
from pipeline.html.build import Assembled, ReviewGate, Signature, assemble_html
from pipeline.html.extract import SegmentPolicy, Slot, SourceDocument
from pipeline.po.catalog import lookup_table, plural_function
from pipeline.po.model import Catalog
from pipeline.po.review import reviewed_lookup_table
from pipeline.text.verdict import KnownVerdicts


def render_output(doc: SourceDocument, slots: list[Slot], signature: Signature, po: Catalog | None,
                  loc: LocaleConfig, *, policy: SegmentPolicy, source_language: str, defer: bool = False,
                  review: ReviewSettings | None = None, verdicts: KnownVerdicts | None = None) -> Assembled:
    """The output a build writes for one locale from a catalog (``doc``, a copy, is consumed); with ``defer``,
    not yet serialized (the site's links are added first, see ``assemble.finish_page``). ``review`` (the
    project's review settings) applies the locale's review mode; ``verdicts``: translations known to have no
    problem (not checked again)."""
    gate = None
    if loc.review != "off":
        gate = ReviewGate(loc.review, (review or ReviewSettings()).sections)
    table = reviewed_lookup_table(po) if gate is not None else lookup_table(po)
    return assemble_html(doc, policy, table.get, locale=loc.info, source_language=source_language,
                         article_path=doc.reference, plural=plural_function(po, loc.info), slots=slots,
                         signature=signature, defer=defer, review=gate, verdicts=verdicts)


def unpublished_reason(assembled: Assembled, loc: LocaleConfig) -> str:
    """Why a build does not publish an assembled output for the locale; empty when it does."""
    if assembled.unreviewed_required:
        where = "the disclaimer" if loc.review == "required" else "the disclaimer and review sections"
        return (f"not reviewed: {assembled.unreviewed_required} unit(s) of {where} not approved "
                f"(review: {loc.review})")
    ratio = assembled.stats.ratio
    if ratio + 1e-9 < loc.publish_threshold:
        done = "translated and approved" if loc.review == "required" else "translated"
        share = f"no unit is {done} yet" if not assembled.stats.translated else f"{ratio:.0%} of units {done}"
        return f"{share}, below the publish threshold {loc.publish_threshold:.0%}"
    return ""
