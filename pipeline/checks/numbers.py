"""The ``numbers`` check: every number of the source, with its unit, is in the translation; and
``safety-changed``: a translation carried over to a text with other numbers was really re-translated.

The rule is the publishing verdict's (``pipeline.text.verdict``, with ``pipeline.text.quantities``: what counts as a
number, a unit, a range; locale formats): what it reports, the build falls back to the source language for.
A translation the last sync's build found without a problem (``ArticleContext.known_clean``) is not checked again.
"""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.checks.context import ArticleContext
from pipeline.checks.kinds import check
from pipeline.core.model import Finding, Severity
from pipeline.text.changes import SAFETY_PREFIX, is_safety_line
from pipeline.text.verdict import number_problems


@check("numbers", Severity.ERROR,
       "numbers, percentages, ranges and doses (10 mg, 5 mL, 2-3 times) of the source are in the "
       "translation, in any locale format (1,000 = 1.000) and order", per_article=True)
def check_numbers(ctx: ArticleContext) -> Iterator[Finding]:
    source_locale = ctx.config.source_language.replace("-", "_")
    for cat, entry, msgid, msgstr in ctx.translations():
        if ctx.known_clean(entry, msgid):
            continue
        for problem in number_problems(msgid, msgstr, source_locale=source_locale, target_locale=cat.code):
            yield cat.finding("numbers", problem, entry=entry)


@check("safety-changed", Severity.ERROR,
       "a translation carried over from an older English text whose numbers changed (the merge's "
       "'#. safety:' line) was re-translated, not only cleared of its fuzzy flag", per_article=True)
def check_safety_changed(ctx: ArticleContext) -> Iterator[Finding]:
    source_locale = ctx.config.source_language.replace("-", "_")
    seen: set[int] = set()
    for cat, entry, msgid, msgstr in ctx.translations():
        if id(entry) in seen:
            continue
        note = next((line for line in entry.comment.split("\n") if is_safety_line(line)), None)
        if note is None:
            continue
        seen.add(id(entry))
        problems = number_problems(msgid, msgstr, source_locale=source_locale, target_locale=cat.code)
        if problems:
            changed = note[len(SAFETY_PREFIX):].split(" changed;")[0].strip()
            yield cat.finding("safety-changed", f"the English changed ({changed}) and the fuzzy flag was "
                              f"cleared, but the translation was not updated: {problems[0]}; re-translate "
                              "it (until then it is published in English)", entry=entry)
