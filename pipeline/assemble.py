"""Source tree + translations -> translated tree, walking the same slots as extraction.

A unit whose translation is missing, fuzzy or invalid stays in the source language, marked with
``lang`` on its element (``<title>`` and attributes: the source text alone), and is reported. A disclaimer
is translated only when every unit of it is; otherwise all of it stays in the source language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .inline import InvalidTranslation, Item, parse_translation, render_items, render_run
from .locale_codes import LocaleInfo
from .model import Finding, Severity, Stats
from .segment import SegmentPolicy, Slot, SourceDocument, collect_slots, serialize

_HTML_SPACE = " \t\n\r\f"
#: What a catalog says of a unit: (msgstr, fuzzy), or None when it has no entry.
Lookup = Callable[[tuple[str | None, str]], "tuple[str, bool] | None"]


@dataclass(slots=True)
class Assembled:
    """A translated article and what happened to its units."""

    html: bytes
    stats: Stats = field(default_factory=Stats)
    fallbacks: list[Finding] = field(default_factory=list)


def _decide(slot: Slot, lookup: Lookup) -> tuple[list[Item] | None, str]:
    found = lookup((slot.context, slot.run.msgid))
    if found is None or not found[0]:
        return None, "untranslated"
    msgstr, fuzzy = found
    if fuzzy:
        return None, "fuzzy"
    try:
        return parse_translation(msgstr, slot.run), ""
    except InvalidTranslation as exc:
        return None, f"invalid translation: {exc}"


def assemble_html(doc: SourceDocument, policy: SegmentPolicy, lookup: Lookup, *, locale: LocaleInfo,
                  source_language: str, article_path: str) -> Assembled:
    """Translate a parsed source document in place and serialize it (``doc`` is consumed)."""
    slots = collect_slots(doc, policy)
    decisions = [_decide(slot, lookup) for slot in slots]
    incomplete_disclaimers = {id(slot.disclaimer) for slot, (items, _) in zip(slots, decisions)
                              if slot.disclaimer is not None and items is None}
    result = Assembled(html=b"")
    counted: dict[tuple[str | None, str], bool] = {}
    # Attributes first: runs copy inline elements (an <img> with its alt) when they are rendered.
    order = sorted(range(len(slots)), key=lambda i: slots[i].kind == "run")
    for index in order:
        slot = slots[index]
        items, reason = decisions[index]
        if slot.disclaimer is not None and id(slot.disclaimer) in incomplete_disclaimers:
            reason = "disclaimer published in the source language, since it is not completely translated" + (
                f" (this unit: {reason})" if reason else "")
            items = None
        key = (slot.context, slot.run.msgid)
        counted[key] = counted.get(key, True) and items is not None
        if items is None:
            _fall_back(slot, source_language)
            severity = Severity.WARNING if slot.disclaimer is not None else Severity.INFO
            result.fallbacks.append(Finding("fallback", severity, f"{reason}: {slot.run.msgid[:80]!r}",
                                            path=article_path, line=slot.line, locale=locale.gettext))
            continue
        pieces = render_items(items, slot.run)
        if slot.kind == "run":
            render_run(slot.element, slot.lead, slot.nodes, pieces, slot.run)
        else:
            text = "".join(p for p in pieces if isinstance(p, str)).strip(_HTML_SPACE)
            text = slot.run.leading + text + slot.run.trailing
            if slot.kind == "attr":
                slot.element.set(slot.attr, text)
            else:
                slot.element.text = text
    for ok in counted.values():
        if ok:
            result.stats.translated += 1
        else:
            result.stats.untranslated += 1
    result.fallbacks.sort(key=lambda f: (f.line or 0))
    if not doc.fragment:
        root = doc.root
        root.set("lang", locale.bcp47)
        if locale.rtl:
            root.set("dir", "rtl")
        elif root.get("dir") == "rtl":
            root.set("dir", "ltr")
    result.html = serialize(doc)
    return result


def _fall_back(slot: Slot, source_language: str) -> None:
    """Leave the slot in the source language, marked as such where an element can carry it."""
    if slot.kind == "run" and slot.element.tag not in ("html", "body"):
        slot.element.set("lang", source_language)
