"""What a translation must carry over from its msgid: citation markers and inline placeholders."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Iterator

from ..inline import InvalidTranslation, find_markers, parse_translation
from ..model import Finding, Severity
from .context import CheckContext
from .registry import check

_PYTHON_DIRECTIVE = re.compile(r"%(?:\([^()]*\))?[-+ #0]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]")
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#\d{1,7}|#[xX][0-9A-Fa-f]{1,6});")


@check("citations", Severity.ERROR,
       "the translation keeps the source's citation markers ([3], [1, 2], [1-3], [PM18]) as a multiset; "
       "order may change")
def check_citations(ctx: CheckContext) -> Iterator[Finding]:
    for cat, entry, msgid, msgstr in ctx.translations():
        expected, found = Counter(find_markers(msgid)), Counter(find_markers(msgstr))
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
       "(no raw HTML)")
def check_placeholders(ctx: CheckContext) -> Iterator[Finding]:
    for cat, entry, msgid, msgstr in ctx.translations():
        run = ctx.run_for(cat.slug, msgid, entry.msgctxt)
        # citation markers are the `citations` check's business: compare the tags alone here
        tags_only = dataclasses.replace(run, markers=find_markers(msgstr))
        try:
            parse_translation(msgstr, tags_only)
        except InvalidTranslation as exc:
            yield cat.finding("placeholders", str(exc), entry=entry)
        if "python-format" in entry.flags:
            wanted, found = _directives(msgid), _directives(msgstr)
            if wanted != found:
                yield cat.finding("placeholders", "python-format: the translation must have "
                                  + _list(wanted) + " as the msgid does (it has " + _list(found) + ")",
                                  entry=entry)
        source_entities = set(_ENTITY.findall(msgid))
        for entity in dict.fromkeys(_ENTITY.findall(msgstr)):
            if entity not in source_entities:
                yield cat.finding("placeholders", f"HTML entity {entity} would show as typed: write the "
                                  "character itself", entry=entry)


def _directives(text: str) -> Counter[str]:
    return Counter(d for d in _PYTHON_DIRECTIVE.findall(text) if d != "%%")


def _list(directives: Counter[str]) -> str:
    return " ".join(sorted(directives.elements())) or "none"
