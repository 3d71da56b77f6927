"""Consistency across the articles of a locale: one source text, one translation."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator

import polib

from ..model import Finding, Severity
from .context import CatalogFile, CheckContext, quote
from .registry import check


@check("inconsistent", Severity.WARNING,
       "one source text (same msgctxt) translated differently in different articles of a locale")
def check_inconsistent(ctx: CheckContext) -> Iterator[Finding]:
    groups: dict[tuple[str, str | None, str], list[tuple[CatalogFile, polib.POEntry, str]]] = defaultdict(list)
    for cat, entry, msgid, msgstr in ctx.translations():
        if msgid == entry.msgid:  # plural forms other than the first are left alone
            groups[(cat.code, entry.msgctxt, msgid)].append((cat, entry, " ".join(msgstr.split())))
    for members in groups.values():
        variants = Counter(text for _, _, text in members)
        if len(variants) < 2:
            continue
        # the most common translation (the first one met on a tie) is taken as the reference
        reference = max(variants, key=lambda text: (variants[text], -_first(members, text)))
        where = [f"{cat.rel}:{entry.linenum}" for cat, entry, text in members if text == reference]
        for cat, entry, text in members:
            if text != reference:
                yield cat.finding("inconsistent", f"translated differently from {len(where)} other "
                                  f"article(s): {quote(reference, 40)} in {', '.join(where[:3])}"
                                  + (" ..." if len(where) > 3 else ""), entry=entry)


def _first(members: list[tuple[CatalogFile, polib.POEntry, str]], text: str) -> int:
    return next(index for index, (_, _, t) in enumerate(members) if t == text)
