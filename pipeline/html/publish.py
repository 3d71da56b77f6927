"""A page from a catalog: what the build writes for one locale, and whether it is published.

Both the build (``workflow.article``) and the ``page`` check call these, so the check compares an output
with exactly what the build would write.
"""

from __future__ import annotations

import polib

from pipeline.core.config import LocaleConfig
from pipeline.html.build import Assembled, Signature, assemble_html
from pipeline.html.extract import SegmentPolicy, Slot, SourceDocument
from pipeline.po.catalog import lookup_table, plural_function


def render_output(doc: SourceDocument, slots: list[Slot], signature: Signature, po: polib.POFile | None,
                  loc: LocaleConfig, *, policy: SegmentPolicy, source_language: str, defer: bool = False
                  ) -> Assembled:
    """The output a build writes for one locale from a catalog (``doc``, a copy, is consumed); with ``defer``,
    not yet serialized (the site's links are added first, see ``assemble.finish_page``)."""
    return assemble_html(doc, policy, lookup_table(po).get, locale=loc.info, source_language=source_language,
                         article_path=doc.reference, plural=plural_function(po, loc.info), slots=slots,
                         signature=signature, defer=defer)


def unpublished_reason(assembled: Assembled, loc: LocaleConfig) -> str:
    """Why a build does not publish an assembled output for the locale; empty when it does."""
    ratio = assembled.stats.ratio
    if ratio + 1e-9 < loc.publish_threshold:
        share = "no unit is translated yet" if not assembled.stats.translated else f"{ratio:.0%} of units translated"
        return f"{share}, below the publish threshold {loc.publish_threshold:.0%}"
    return ""
