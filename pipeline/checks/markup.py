"""What a translation must carry over from its msgid: citation markers and inline placeholders."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache

from ..inline import EncodedRun, InvalidTranslation, find_markers, parse_translation
from ..model import Finding, Placeholder, Severity
from .context import CheckContext
from .registry import check

_PYTHON_DIRECTIVE = re.compile(r"%(?:\([^()]*\))?[-+ #0]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]")
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#\d{1,7}|#[xX][0-9A-Fa-f]{1,6});")


@check("citations", Severity.ERROR,
       "the translation keeps the source's citation markers ([3], [1, 2], [1-3], [PM18]) as a multiset; "
       "order may change", per_article=True)
def check_citations(ctx: CheckContext) -> Iterator[Finding]:
    for cat, entry, msgid, msgstr in ctx.translations():
        in_msgid, in_msgstr = find_markers(msgid), find_markers(msgstr)
        if in_msgid == in_msgstr:  # the same markers in the same order: nothing to count
            continue
        expected, found = Counter(in_msgid), Counter(in_msgstr)
        if expected == found:
            continue
        lost = sorted((expected - found).elements())
        added = sorted((found - expected).elements())
        if lost:
            yield cat.finding("citations", "lost citation marker " + " ".join(lost), entry=entry)
        if added:
            yield cat.finding("citations", "added citation marker " + " ".join(added)
                              + " (not in the source)", entry=entry)


@check("placeholders", Severity.ERROR,
       "the translation has the msgid's inline tags, each once and properly nested, and no other tag "
       "(no raw HTML)", per_article=True)
def check_placeholders(ctx: CheckContext) -> Iterator[Finding]:
    for cat, entry, msgid, msgstr in ctx.translations():
        run = ctx.run_for(cat.slug, msgid, entry.msgctxt)
        problem = _tag_problem(msgstr, run.msgid, tuple(run.placeholders), run.literals)
        if problem is not None:
            yield cat.finding("placeholders", problem, entry=entry)
        if "python-format" in entry.flags:
            wanted, found = _directives(msgid), _directives(msgstr)
            if wanted != found:
                yield cat.finding("placeholders", "python-format: the translation must have "
                                  + _list(wanted) + " as the msgid does (it has " + _list(found) + ")",
                                  entry=entry)
        if "&" not in msgstr:
            continue
        source_entities = set(_ENTITY.findall(msgid))
        for entity in dict.fromkeys(_ENTITY.findall(msgstr)):
            if entity not in source_entities:
                yield cat.finding("placeholders", f"HTML entity {entity} would show as typed: write the "
                                  "character itself", entry=entry)


@lru_cache(maxsize=8192)
def _tag_problem(msgstr: str, msgid: str, placeholders: tuple[Placeholder, ...],
                 literals: frozenset[str]) -> str | None:
    """Why a translation's tags do not fit the run of its msgid (None: they do).

    Citation markers are the ``citations`` check's business, so the run is given the translation's own
    markers (``parse_translation`` reads a run's msgid, placeholders, literals and markers). Remembered:
    disclaimers, headings and advice repeat word for word across articles.
    """
    tags_only = EncodedRun(msgid, list(placeholders), markers=find_markers(msgstr), literals=literals)
    try:
        parse_translation(msgstr, tags_only)
    except InvalidTranslation as exc:
        return str(exc)
    return None


def _directives(text: str) -> Counter[str]:
    return Counter(d for d in _PYTHON_DIRECTIVE.findall(text) if d != "%%")


def _list(directives: Counter[str]) -> str:
    return " ".join(sorted(directives.elements())) or "none"
