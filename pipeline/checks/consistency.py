"""Consistency across the articles of a locale: one source text, one translation.

The check looks across articles, so it runs in the parent; the workers that read the catalogs gather
each article's published translations for it, whitespace collapsed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator

from pipeline.checks.context import ArticleContext, ProjectContext, quote
from pipeline.checks.inputs import CatalogInScope
from pipeline.checks.kinds import check
from pipeline.core.model import Finding, Severity

#: A published translation of an article: (locale, msgctxt, msgid, msgstr with whitespace collapsed, line).
Translation = tuple[str, str | None, str, str, int | None]


def gather_translations(ctx: ArticleContext) -> list[Translation]:
    """The published translations of an article's catalogs (the first form of a plural entry only)."""
    return [(cat.code, entry.msgctxt, msgid, " ".join(msgstr.split()), entry.linenum)
            for cat, entry, msgid, msgstr in ctx.translations() if msgid == entry.msgid]


@check("inconsistent", Severity.WARNING,
       "one source text (same msgctxt) translated differently in different articles of a locale",
       gather=gather_translations)
def check_inconsistent(ctx: ProjectContext) -> Iterator[Finding]:
    groups: dict[tuple[str, str | None, str], list[tuple[CatalogInScope, int | None, str]]] = defaultdict(list)
    for slug, translations in ctx.gathered_by("inconsistent"):
        for code, context, msgid, text, line in translations:
            cat = ctx.file(code, slug)
            assert cat is not None
            groups[(code, context, msgid)].append((cat, line, text))
    for members in groups.values():
        if len(members) < 2 or all(text == members[0][2] for _, _, text in members):
            continue
        variants = Counter(text for _, _, text in members)
        # the most common translation (the first one met on a tie) is taken as the reference
        reference = max(variants, key=lambda text: (variants[text], -_first(members, text)))
        where = [f"{cat.rel}:{line}" for cat, line, text in members if text == reference]
        for cat, line, text in members:
            if text != reference:
                yield cat.finding("inconsistent", f"translated differently from {len(where)} other "
                                  f"article(s): {quote(reference, 40)} in {', '.join(where[:3])}"
                                  + (" ..." if len(where) > 3 else ""), line=line)


def _first(members: list[tuple[CatalogInScope, int | None, str]], text: str) -> int:
    return next(index for index, (_, _, t) in enumerate(members) if t == text)
