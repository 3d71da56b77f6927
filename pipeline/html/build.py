"""Source tree + translations -> translated tree, walking the same slots as extraction.

A unit whose translation is missing, fuzzy or invalid stays in the source language, marked with
``lang`` on its element (``<title>`` and attributes: the source text alone), and is reported. A run that
shares its element with another run (text before and after a nested list) is marked on a ``<span>`` the
build adds around it, so that the other run's language is not claimed too. A disclaimer
is translated only when every unit of it is; otherwise all of it stays in the source language.
"""

from __future__ import annotations

import gettext
import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import cast

from babel.dates import format_date
from babel.numbers import format_decimal
from lxml import etree

from pipeline.core.errors import InternalError
from pipeline.core.locales import LocaleInfo
from pipeline.core.model import COUNT, Finding, Key, Severity, Stats, Translation
from pipeline.html.extract import JsonPath, SegmentPolicy, Slot, SourceDocument, collect_slots, matching, serialize
from pipeline.text.placeholders import Item, render_items, render_run
from pipeline.text.reasons import REASONS, SAFETY_CHECKS, SAFETY_REASONS
from pipeline.text.verdict import (
    KnownVerdicts,
    Problem,
    plural_problems,
    published_tree,
    translation_problems,
    verdict_key,
)

_HTML_SPACE = " \t\n\r\f"
#: What a catalog holds for a (msgctxt, msgid), or None when it has no entry.
Lookup = Callable[[Key], "Translation | None"]
#: What a source holds: (tag, attribute, value), (tag, attribute, "*") and (tag, "", "") (see ``_guard``).
Signature = set[tuple[str, str, str]]


@dataclass(slots=True)
class Assembled:
    """A translated article and what happened to its units."""

    html: bytes
    stats: Stats = field(default_factory=Stats)
    fallbacks: list[Finding] = field(default_factory=list)
    #: slots that fell back, by reason (``missing``, ``fuzzy``, then SAFETY_REASONS)
    reasons: Counter[str] = field(default_factory=Counter)
    title: str | None = None    #: the page's ``<title>`` text as published (whitespace-normalised)
    #: with review on: units of the disclaimer (and, for ``sections``, of the review sections) not approved;
    #: the article is not published while there is one (see ``publish.unpublished_reason``)
    unreviewed_required: int = 0
    #: with ``defer``: the translated document, for :func:`finish_page` (``html`` is then empty)
    doc: SourceDocument | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    """What the build does with one slot: the translation to render, or why it falls back."""

    items: list[Item] | None           #: the parsed translation; None: the slot falls back
    check: str = ""                    #: why not: ``untranslated``, ``fuzzy``, ``review`` or a SAFETY_CHECKS
    message: str = ""

    @property
    def reason(self) -> str:
        """The summary's name for why it fell back: missing, fuzzy, unreviewed, citation, tag, number,
        disclaimer."""
        return {"untranslated": "missing", "fuzzy": "fuzzy", "review": "unreviewed"}.get(self.check) \
            or REASONS[self.check]


@dataclass(frozen=True, slots=True)
class ReviewGate:
    """Clinical review's part in the verdict (README "Clinical review"): with ``required``, a unit is
    published only when approved; with ``sections``, the units of ``sections`` (and the disclaimer) must be
    approved for the article to be published at all."""

    mode: str                          #: ``required`` or ``sections``
    sections: tuple[str, ...] = ()     #: CSS selectors of the blocks ``sections`` requires


#: Why a unit falls back, least grave first.
_GRAVITY = ("untranslated", "fuzzy", "review", *SAFETY_CHECKS)
_UNREVIEWED = Decision(None, "review", "not approved by a reviewer")

_UNTRANSLATED = Decision(None, "untranslated")
_FUZZY = Decision(None, "fuzzy", "the translation is fuzzy")


def _decide(slot: Slot, lookup: Lookup, plural: Callable[[int], int], locale: LocaleInfo,
            source_locale: str, review: ReviewGate | None = None, *, clean: bool = False) -> Decision:
    """The publishing verdict for one slot (``pipeline.text.verdict``, shared with ``l10n check``); with
    ``review: required``, a translation that may be published still waits for its approval. ``clean``: its
    translation is known to have no problem (:class:`~pipeline.text.verdict.KnownVerdicts`)."""
    decision = _verdict(slot, lookup, plural, locale, source_locale, clean=clean)
    if review is not None and review.mode == "required" and decision.items is not None and slot.kind != "date":
        found = lookup((slot.context, slot.run.msgid))
        if found is not None and not found.approved:
            return _UNREVIEWED
    return decision


def _verdict(slot: Slot, lookup: Lookup, plural: Callable[[int], int], locale: LocaleInfo,
             source_locale: str, *, clean: bool = False) -> Decision:
    if slot.kind == "date":
        assert slot.date is not None
        return Decision([format_date(slot.date, format="long", locale=locale.gettext)])
    found = lookup((slot.context, slot.run.msgid))
    if found is None:
        return _UNTRANSLATED
    if slot.kind == "count":
        return _decide_count(slot, found, plural, locale, source_locale)
    if not found.msgstr:
        return _UNTRANSLATED
    if found.fuzzy:
        return _FUZZY
    problems = () if clean else translation_problems(found.msgstr, slot.run, source_locale=source_locale,
                                                     target_locale=locale.gettext,
                                                     disclaimer=slot.disclaimer is not None)
    if problems:
        return _held_back(problems)
    return Decision(published_tree(found.msgstr, slot.run))


def _verdict_keys(page: _Page, source_locale: str) -> dict[int, bytes]:
    """The :func:`~pipeline.text.verdict.verdict_key` of each slot whose verdict reads its translation's
    problems (by the slot's index): a run with a translation that is not fuzzy."""
    keys = {}
    for index, slot in enumerate(page.slots):
        if slot.kind in ("date", "count"):
            continue
        found = page.lookup((slot.context, slot.run.msgid))
        if found is not None and found.msgstr and not found.fuzzy:
            keys[index] = verdict_key(found.msgstr, slot.run, source_locale=source_locale,
                                      target_locale=page.locale.gettext, disclaimer=slot.disclaimer is not None)
    return keys


def _held_back(problems: tuple[Problem, ...]) -> Decision:
    """A fallback for the first problem of a translation (its check and every problem's message)."""
    return Decision(None, problems[0].check, "; ".join(p.message for p in problems))


def _decide_count(slot: Slot, found: Translation, plural: Callable[[int], int], locale: LocaleInfo,
                  source_locale: str) -> Decision:
    """The plural form the catalog's Plural-Forms picks for the count, with the number filled in."""
    assert slot.count is not None and slot.phrase is not None
    index = plural(slot.count)
    forms = found.plural or (found.msgstr,)
    form = forms[index] if 0 <= index < len(forms) else ""
    if not form:
        return _UNTRANSLATED
    if found.fuzzy:
        return _FUZZY
    problems = plural_problems(forms, slot.phrase.msgid, slot.phrase.msgid_plural,
                               source_locale=source_locale, target_locale=locale.gettext)
    if problems:
        return _held_back(problems)
    return Decision([form.replace(COUNT, format_decimal(slot.count, locale=locale.gettext))])


def assemble_html(doc: SourceDocument, policy: SegmentPolicy, lookup: Lookup, *, locale: LocaleInfo,
                  source_language: str, article_path: str,
                  plural: Callable[[int], int] | None = None, slots: list[Slot] | None = None,
                  signature: Signature | None = None, defer: bool = False,
                  review: ReviewGate | None = None, verdicts: KnownVerdicts | None = None) -> Assembled:
    """Translate a parsed source document in place and serialize it (``doc`` is consumed).

    ``plural`` maps a count to the msgstr index (the catalog's Plural-Forms); babel's rule by default.
    ``slots`` (the document's own, see ``SourceDocument.copy_with``) and ``signature`` (``source_signature``
    of the source) save segmenting the document again; both are computed from ``doc`` when not given.
    ``defer`` leaves the translated document unserialized in ``doc`` (see :func:`finish_page`).
    ``review`` (None: review is off) holds back what clinical review has not approved (:class:`ReviewGate`).
    ``verdicts``: the translations an earlier run found without a problem, which are not checked again.
    """
    page = _Page(doc, lookup, locale, source_language, article_path, review=review,
                 plural=plural or gettext.c2py(locale.plural_expr),
                 signature=signature if signature is not None else source_signature(doc.root),
                 slots=slots if slots is not None else collect_slots(doc, policy), verdicts=verdicts)
    _decide_slots(page)
    _hold_disclaimers(page)
    _render_slots(page)
    _count_units(page)
    _mark_languages(page)
    _write_jsonld(page)
    _set_root_language(page)
    _guard_signature(page)
    _read_title(page)
    result = page.result
    if defer:
        result.doc = doc
    else:
        result.html = serialize(doc)
    return result


@dataclass(slots=True)
class _Page:
    """A document the passes of :func:`assemble_html` translate in place, and what they found so far."""

    doc: SourceDocument
    lookup: Lookup
    locale: LocaleInfo
    source_language: str
    article_path: str
    review: ReviewGate | None
    plural: Callable[[int], int]
    signature: Signature
    slots: list[Slot]
    verdicts: KnownVerdicts | None = None                          #: translations known to have no problem
    result: Assembled = field(default_factory=lambda: Assembled(html=b""))
    decisions: list[Decision] = field(default_factory=list)       #: one per slot, in the slots' order
    #: per disclaimer (by id): the gravest fallback of its units, for which all of it falls back
    held: dict[int, Decision] = field(default_factory=dict)
    #: per unit (msgctxt, msgid): whether every slot of it was published
    counted: dict[Key, bool] = field(default_factory=dict)
    fallen: set[etree._Element] = field(default_factory=set)     #: elements a fallback marked as the source language
    #: elements holding more than one run (split by a nested block): a fallback run of one is wrapped
    shared: set[etree._Element] = field(default_factory=set)
    #: the ``<span>`` elements the build added around fallback runs (see :func:`wrap_run`), in document order
    wrappers: list[etree._Element] = field(default_factory=list)
    published: list[Slot] = field(default_factory=list)           #: slots written in the target language
    #: per JSON-LD script element, its translated strings by path
    structured: dict[etree._Element, list[tuple[JsonPath, str]]] = field(default_factory=dict)


def _decide_slots(page: _Page) -> None:
    """Decide every slot: the translation to publish or why it falls back (the verdict ``l10n check`` shares);
    with review on, count the units it requires approved that are not."""
    source_locale = page.source_language.replace("-", "_")
    known = page.verdicts
    keys = _verdict_keys(page, source_locale) if known is not None else {}
    clean = known.clean(keys.values()) if known is not None and keys else set()
    page.decisions = [_decide(slot, page.lookup, page.plural, page.locale, source_locale, page.review,
                              clean=index in keys and keys[index] in clean)
                      for index, slot in enumerate(page.slots)]
    if known is not None:  # published, or held back only for review: no problem
        known.remember(key for index, key in keys.items()
                       if page.decisions[index].items is not None or page.decisions[index].check == "review")
    if page.review is not None:
        page.result.unreviewed_required = _unreviewed_required(page.doc, page.slots, page.lookup, page.review)


def _hold_disclaimers(page: _Page) -> None:
    """A disclaimer is published whole or not at all: note, per disclaimer with a unit that falls back, the
    gravest of its units' reasons."""
    for slot, decision in zip(page.slots, page.decisions):
        if slot.disclaimer is not None and decision.items is None:
            known = page.held.get(id(slot.disclaimer))
            if known is None or _GRAVITY.index(decision.check) > _GRAVITY.index(known.check):
                page.held[id(slot.disclaimer)] = decision


def _render_slots(page: _Page) -> None:
    """Write each slot's translation in place, or leave it in the source language (marked, and reported).
    Attributes come first: runs copy inline elements (an <img> with its alt) when they are rendered."""
    slots = page.slots
    page.structured = {slot.element: [] for slot in slots if slot.kind == "jsonld"}
    runs = Counter(slot.element for slot in slots if slot.kind == "run")
    page.shared = {element for element, count in runs.items() if count > 1}
    for index in sorted(range(len(slots)), key=lambda i: slots[i].kind == "run"):
        _render_slot(page, slots[index], page.decisions[index])


def _render_slot(page: _Page, slot: Slot, decision: Decision) -> None:
    """One slot, as its decision (or its disclaimer's) says."""
    items, message, reason = decision.items, decision.message, decision.reason if decision.check else ""
    if slot.kind == "date":
        _set_text(slot.element, str(items[0]) if items else "")
        page.published.append(slot)
        return
    held = page.held.get(id(slot.disclaimer)) if slot.disclaimer is not None else None
    if held is not None:
        message = "disclaimer published in the source language, since it is not completely translated" + (
            f" (this unit: {message})" if message else "")
        items, reason = None, held.reason
    key = (slot.context, slot.run.msgid)
    page.counted[key] = page.counted.get(key, True) and items is not None
    if items is None:
        _report_fallback(page, slot, reason, message)
    else:
        page.published.append(slot)
        _write_translation(page, slot, items)


def _report_fallback(page: _Page, slot: Slot, reason: str, message: str) -> None:
    """Leave a slot in the source language and report it: a warning for a disclaimer or a translation held back
    as wrong, else for information."""
    locale = page.locale
    _fall_back(page, slot)
    page.result.reasons[reason] += 1
    severity = Severity.WARNING if slot.disclaimer is not None or reason in SAFETY_REASONS else Severity.INFO
    text = f"{reason}: {message}: " if message else f"{reason}: "
    page.result.fallbacks.append(Finding("fallback", severity, f"{text}{slot.run.msgid[:80]!r}",
                                         path=page.article_path, line=slot.line, locale=locale.gettext))


def _write_translation(page: _Page, slot: Slot, items: list[Item]) -> None:
    """Put a slot's translation in place: a count's text, a run's nodes, an attribute, a JSON-LD string (kept
    for :func:`_write_jsonld`) or an element's text."""
    pieces = render_items(items, slot.run, isolate_markers=page.locale.rtl)
    if slot.kind == "count":
        _set_text(slot.element, str(pieces[0]))
    elif slot.kind == "run":
        render_run(slot.element, slot.lead, slot.nodes, pieces, slot.run)
    else:
        text = "".join(p for p in pieces if isinstance(p, str)).strip(_HTML_SPACE)
        text = slot.run.leading + text + slot.run.trailing
        if slot.kind == "attr":
            assert slot.attr is not None  # an attribute slot names its attribute
            slot.element.set(slot.attr, text)
        elif slot.kind == "jsonld":
            page.structured[slot.element].append((slot.json_path, text))
        else:
            slot.element.text = text


def _count_units(page: _Page) -> None:
    """Count the units translated (every slot of it published) and not; put the fallbacks in line order."""
    stats = page.result.stats
    for ok in page.counted.values():
        if ok:
            stats.translated += 1
        else:
            stats.untranslated += 1
    page.result.fallbacks.sort(key=lambda f: (f.line or 0))


def _mark_languages(page: _Page) -> None:
    """Give the page's language back to what was translated inside an element a fallback marked as the source
    language (see :func:`_mark_target_language`)."""
    _mark_target_language(page.published, page.fallen, page.doc.root, page.locale, page.source_language)


def _write_jsonld(page: _Page) -> None:
    """Write the translated strings into each JSON-LD script, with its ``inLanguage`` the page's language."""
    for script, texts in page.structured.items():
        script.text = translated_jsonld(script.text or "", texts, language=page.locale.bcp47)


def _set_root_language(page: _Page) -> None:
    """Give a whole page (not a fragment) the target language and its direction on its root element."""
    if page.doc.fragment:
        return
    root, locale = page.doc.root, page.locale
    root.set("lang", locale.bcp47)
    if locale.rtl:
        root.set("dir", "rtl")
    elif root.get("dir") == "rtl":
        root.set("dir", "ltr")


def _guard_signature(page: _Page) -> None:
    """Refuse the page if it holds an element or attribute value its source does not (see :func:`_guard`)."""
    _guard(page.doc.root, page.signature, page.article_path, owned=page.wrappers)


def _read_title(page: _Page) -> None:
    """Note the page's ``<title>`` text as published, whitespace-normalised (None when it has none or it is
    empty)."""
    title = page.doc.root.find(".//title")
    page.result.title = (" ".join("".join(title.itertext()).split()) or None) if title is not None else None


def _unreviewed_required(doc: SourceDocument, slots: list[Slot], lookup: Lookup, review: ReviewGate) -> int:
    """Units the review gate requires approved before the article may be published, and not approved."""
    return sum(1 for key in required_units(doc, slots, review)
               if (found := lookup(key)) is None or not found.approved)


def required_units(doc: SourceDocument, slots: list[Slot], review: ReviewGate) -> set[Key]:
    """The catalog keys of the units that must be approved for the article to be published: the disclaimer's,
    and with ``sections`` those inside the review sections."""
    sections = matching(doc.root, review.sections) if review.mode == "sections" else set()
    required = set()
    for slot in slots:
        if slot.kind == "date":
            continue
        if slot.disclaimer is not None or (sections and (
                slot.element in sections or any(a in sections for a in slot.element.iterancestors()))):
            required.add((slot.context, slot.run.msgid))
    return required


def finish_page(doc: SourceDocument, *, canonical: str | None = None,
                alternates: Sequence[tuple[str, str]] = ()) -> bytes:
    """Serialize a translated document (``assemble_html(defer=True)``), its head linking to ``canonical``
    and to each (hreflang, URL) of ``alternates``, in place of any canonical or hreflang links of the source."""
    head = doc.root.find("head") if canonical else None
    if head is not None:
        for link in site_links(doc.root):
            _drop(link)
        last = head[-1] if len(head) else None
        indent = (last.tail if last is not None else head.text) or "\n"
        tail = last.tail if last is not None else None
        if last is not None:
            last.tail = indent
        # the head is looked up only when there is a canonical URL
        links = [("canonical", None, cast(str, canonical)), *(("alternate", lang, url) for lang, url in alternates)]
        for index, (rel, lang, url) in enumerate(links):
            link = etree.SubElement(head, "link", rel=rel)
            if lang is not None:
                link.set("hreflang", lang)
            link.set("href", url)
            link.tail = indent if index < len(links) - 1 else (tail if tail is not None else "\n")
    return serialize(doc)


def site_links(root: etree._Element) -> list[etree._Element]:
    """The head's canonical link and its hreflang alternates: what :func:`finish_page` writes for a site."""
    head = root.find("head")
    found = []
    for link in head.findall("link") if head is not None else []:
        rel = (link.get("rel") or "").lower().split()
        if "canonical" in rel or ("alternate" in rel and link.get("hreflang") is not None):
            found.append(link)
    return found


def _drop(element: etree._Element) -> None:
    """Remove an element, keeping the text that follows it."""
    parent, previous = element.getparent(), element.getprevious()
    assert parent is not None  # only elements inside the page are dropped
    if element.tail and element.tail.strip():
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


#: Attributes whose values the build may write: translated text, the output's language and direction.
_WRITTEN_ATTRIBUTES = frozenset({"alt", "title", "content", "lang", "dir"})


def source_signature(root: etree._Element) -> Signature:
    """Every (tag, attribute, value) of the source, (tag, attribute, "*") and (tag, "", "") for each tag."""
    found: set[tuple[str, str, str]] = set()
    for el in root.iter():
        if isinstance(el.tag, str):
            found.add((el.tag, "", ""))
            for name, value in el.attrib.items():
                found.add((el.tag, name, value))
                found.add((el.tag, name, "*"))
    return found


def _guard(root: etree._Element, signature: Signature, article_path: str, *,
           owned: Sequence[etree._Element] = ()) -> None:
    """The last line of defence: an output may hold only elements and attribute values of its source, and
    the ``<span lang dir>`` the build itself wrapped around fallback runs (``owned``)."""
    wrappers = set(owned)
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el in wrappers:
            if el.tag != "span" or not set(el.attrib) <= {"lang", "dir"}:
                raise InternalError(f"refusing to publish: a fallback's <{el.tag}> has attributes "
                                    f"{sorted(el.attrib)}", path=article_path, line=el.sourceline)
            continue
        if (el.tag, "", "") not in signature:
            raise InternalError(f"refusing to publish: <{el.tag}> is not in the source", path=article_path,
                                line=el.sourceline)
        for name, value in el.attrib.items():
            if name in _WRITTEN_ATTRIBUTES:
                if (el.tag, name, "*") not in signature and name not in ("lang", "dir"):
                    raise InternalError(f"refusing to publish: {name}= on <{el.tag}> is not in the source",
                                        path=article_path, line=el.sourceline)
            elif (el.tag, name, value) not in signature:
                raise InternalError(f"refusing to publish: {name}={value!r} on <{el.tag}> is not in the source",
                                    path=article_path, line=el.sourceline)


#: What JSON-LD text must not hold inside a <script>: ``</script>`` or ``<!--`` would end or bend it.
_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


def translated_jsonld(source: str, texts: list[tuple[JsonPath, str]], *, language: str) -> str:
    """A JSON-LD script's text with its translated strings in place, and ``inLanguage`` (where the source
    has it) set to the page's language.

    Only those string literals are rewritten: the rest of the text (layout, key order, escapes) stays the
    source's. A new string has ``<``, ``>`` and ``&`` as ``\\u`` escapes, so no translation can close the
    script element.
    """
    data = json.loads(source)
    wanted = {path: text for path, text in texts}
    for path, obj in _own_objects(data):
        if isinstance(obj.get("inLanguage"), str):
            wanted[path + ("inLanguage",)] = language
    return _replace_strings(source, wanted)


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]|[^\s{}\[\],:"]+')


def _replace_strings(source: str, wanted: dict[JsonPath, str]) -> str:
    """``source`` with the string value at each path of ``wanted`` replaced (a walk over its tokens)."""
    out: list[str] = []
    done = 0
    # each frame: [is_object, key or index, awaiting a key]
    stack: list[list[object]] = []
    for match in _JSON_TOKEN.finditer(source):
        token = match.group()
        top = stack[-1] if stack else None
        if token in "{[":
            stack.append([token == "{", None if token == "{" else 0, token == "{"])
        elif token in "}]":
            stack.pop()
        elif token == ",":
            if top is not None and top[0]:
                top[2] = True
            elif top is not None:
                top[1] = cast(int, top[1]) + 1  # a list's frame counts its items from 0
        elif token == ":":
            if top is not None:
                top[2] = False
        elif token.startswith('"'):
            if top is not None and top[0] and top[2]:
                top[1] = json.loads(token)
                continue
            path = cast(JsonPath, tuple(frame[1] for frame in stack))  # the frames' keys and indexes
            if path in wanted and json.loads(token) != wanted[path]:
                literal = json.dumps(wanted[path], ensure_ascii=False)
                for char, escaped in _SCRIPT_UNSAFE.items():
                    literal = literal.replace(char, escaped)
                out.append(source[done:match.start()])
                out.append(literal)
                done = match.end()
    out.append(source[done:])
    return "".join(out)


def _own_objects(data: object) -> list[tuple[JsonPath, dict[str, object]]]:
    """The objects of a JSON-LD document that describe the page (as :func:`~pipeline.html.extract.jsonld_texts`),
    with their paths."""
    items: list[tuple[int | JsonPath, object]] = list(enumerate(data)) if isinstance(data, list) else [((), data)]
    found: list[tuple[JsonPath, dict[str, object]]] = []
    for where, item in items:
        path: JsonPath = where if isinstance(where, tuple) else (where,)
        if isinstance(item, dict):
            found.append((path, item))
            graph = item.get("@graph")
            if isinstance(graph, list):
                found.extend((path + ("@graph", i), g) for i, g in enumerate(graph) if isinstance(g, dict))
    return found


def _fall_back(page: _Page, slot: Slot) -> None:
    """Leave the slot in the source language, marked as such where an element can carry it (and, in a
    right-to-left page, as left-to-right): its element, or for a run that shares its element with another,
    a ``<span>`` around the run alone."""
    if slot.kind not in ("run", "count") or slot.element.tag in ("html", "body"):
        return
    if slot.kind == "run" and slot.element in page.shared:
        marked = wrap_run(slot.element, slot.lead, slot.nodes)
        page.wrappers.append(marked)
    else:
        marked = slot.element
        page.fallen.add(marked)
    marked.set("lang", page.source_language)
    if page.locale.rtl:
        marked.set("dir", "ltr")


def wrap_run(parent: etree._Element, lead: etree._Element | None, nodes: list[etree._Element]) -> etree._Element:
    """Put a run of ``parent`` (its start text after ``lead``, or the element's own, and ``nodes``) inside a
    new ``<span>``, white space at its ends left outside; return the span."""
    start = (lead.tail if lead is not None else parent.text) or ""
    text = start.lstrip(_HTML_SPACE)
    index = parent.index(nodes[0]) if nodes else (parent.index(lead) + 1 if lead is not None else 0)
    if lead is not None:
        lead.tail = start[:len(start) - len(text)] or None
    else:
        parent.text = start[:len(start) - len(text)] or None
    span = parent.makeelement("span", {})
    span.text = text or None
    for node in nodes:
        span.append(node)       # with its tail
    last = nodes[-1] if nodes else None
    end = (last.tail if last is not None else span.text) or ""
    kept = end.rstrip(_HTML_SPACE)
    if last is not None:
        last.tail = kept or None
    else:
        span.text = kept or None
    span.tail = end[len(kept):] or None
    parent.insert(index, span)
    return span


def _mark_target_language(published: list[Slot], fallen: set[etree._Element], root: etree._Element,
                          locale: LocaleInfo, source_language: str) -> None:
    """Give the page's language back to what was translated inside an element marked as the source
    language: a translated list item in one that fell back, a localized date or reading time in a byline
    that stayed English, a translated ``alt`` of an image in an English paragraph."""
    source = source_language.split("-")[0].lower()
    for slot in published:
        element = slot.element
        if element in fallen or slot.kind == "jsonld" or element.tag in ("html", "head", "title", "meta"):
            continue
        if slot.kind in ("attr", "text") and (len(element) or (element.text or "").strip()):
            continue        # an element with content of its own: its lang would speak for that content too
        nearest: etree._Element | None
        nearest, top = element, element
        while nearest is not None and nearest.get("lang") is None:
            top, nearest = nearest, nearest.getparent()
        if nearest is None or nearest is root:
            continue        # detached (a placeholder copied into a rendered run) or the page's own language
        if nearest.get("lang", "").split("-")[0].lower() == source:
            element.set("lang", locale.bcp47)
            if locale.rtl:
                element.set("dir", "rtl")


def _set_text(element: etree._Element, text: str) -> None:
    """Make ``text`` the whole content of an element (its tail stays)."""
    for child in list(element):
        element.remove(child)
    element.text = text
