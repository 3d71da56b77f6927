"""The ``glossary`` check: required term translations and do-not-translate terms (see ``terms``)."""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.checks.context import ArticleContext
from pipeline.checks.kinds import check
from pipeline.checks.terms import written_as
from pipeline.core.model import Finding, Severity
from pipeline.text.placeholders import strip_tokens


@check("glossary", Severity.ERROR,
       "glossary terms are translated as the glossary says; do-not-translate terms stay as written",
       per_article=True)
def check_glossary(ctx: ArticleContext) -> Iterator[Finding]:
    glossary = ctx.settings.glossary
    if glossary is None:
        return
    for cat, entry, msgid, msgstr in ctx.translations():
        source, target = strip_tokens(msgid), strip_tokens(msgstr)
        for kept in glossary.do_not_translate:
            if written_as(kept, source) and not written_as(kept, target):
                yield cat.finding("glossary", f"do-not-translate term \u201c{kept}\u201d must appear as "
                                  "written in the translation", entry=entry)
        for term in glossary.terms:
            wanted = term.wanted(cat.code)
            if wanted and term.found_in(source) and \
                    not any(w.casefold() in target.casefold() for w in wanted):
                choices = " or ".join(f"\u201c{w}\u201d" for w in wanted)
                yield cat.finding("glossary", f"glossary term \u201c{term.source}\u201d must be "
                                  f"translated as {choices}", entry=entry)
