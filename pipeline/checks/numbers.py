"""The ``numbers`` check: every number of the source, with its unit, is in the translation.

The rule itself (what counts as a number, a unit, a range; locale formats) is ``pipeline.quantities``'.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Finding, Severity
from ..quantities import compare_numbers, locale_form
from .context import CheckContext
from .registry import check


@check("numbers", Severity.ERROR,
       "numbers, percentages, ranges and doses (10 mg, 5 mL, 2-3 times) of the source are in the "
       "translation, in any locale format (1,000 = 1.000) and order", per_article=True)
def check_numbers(ctx: CheckContext) -> Iterator[Finding]:
    source_locale = ctx.config.source_language.replace("-", "_")
    for cat, entry, msgid, msgstr in ctx.translations():
        for problem in compare_numbers(msgid, msgstr, source_locale=source_locale, target_locale=cat.code):
            wanted = problem.source
            if problem.found is None:
                message = f"number \u201c{wanted.text}\u201d of the source is missing" + \
                    locale_form(wanted, cat.code)
            else:
                message = (f"\u201c{wanted.text}\u201d of the source is \u201c{problem.found.text}\u201d "
                           "in the translation: the unit changed")
            yield cat.finding("numbers", message, entry=entry)
