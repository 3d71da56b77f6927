"""The ``numbers`` check: every number of the source, with its unit, is in the translation.

The rule is the publishing verdict's (``pipeline.verdict``, with ``pipeline.quantities``: what counts as a
number, a unit, a range; locale formats): what it reports, the build falls back to the source language for.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Finding, Severity
from ..verdict import number_problems
from .context import CheckContext
from .registry import check


@check("numbers", Severity.ERROR,
       "numbers, percentages, ranges and doses (10 mg, 5 mL, 2-3 times) of the source are in the "
       "translation, in any locale format (1,000 = 1.000) and order", per_article=True)
def check_numbers(ctx: CheckContext) -> Iterator[Finding]:
    source_locale = ctx.config.source_language.replace("-", "_")
    for cat, entry, msgid, msgstr in ctx.translations():
        for problem in number_problems(msgid, msgstr, source_locale=source_locale, target_locale=cat.code):
            yield cat.finding("numbers", problem, entry=entry)
