"""What a translation must carry over from its msgid: citation markers and inline placeholders.

The rules are the publishing verdict's (``pipeline.text.verdict``): what these checks report at error level,
the build falls back to the source language for. A translation the last sync's build found without a problem
(``ArticleContext.known_clean``) has none of these problems, and is not checked again.
"""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.checks.context import ArticleContext
from pipeline.checks.kinds import check
from pipeline.core.model import Finding, Severity
from pipeline.text.verdict import citation_problems, tag_problems


@check("citations", Severity.ERROR,
       "the translation keeps the source's citation markers ([3], [1, 2], [1-3], [PM18]) as a multiset; "
       "order may change", per_article=True)
def check_citations(ctx: ArticleContext) -> Iterator[Finding]:
    for cat, entry, msgid, msgstr in ctx.translations():
        if ctx.known_clean(entry, msgid):
            continue
        for problem in citation_problems(msgid, msgstr):
            yield cat.finding("citations", problem, entry=entry)


@check("placeholders", Severity.ERROR,
       "the translation has the msgid's inline tags, each once and properly nested, and no other tag "
       "(no raw HTML)", per_article=True)
def check_placeholders(ctx: ArticleContext) -> Iterator[Finding]:
    for cat, entry, msgid, msgstr in ctx.translations():
        if ctx.known_clean(entry, msgid):
            continue
        run = ctx.run_for(msgid, entry.msgctxt)
        for problem in tag_problems(msgstr, run, python_format="python-format" in entry.flags):
            yield cat.finding("placeholders", problem, entry=entry)
