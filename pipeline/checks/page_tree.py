"""A published output's tree against its source's: what a build may change, and what it may not.

A build changes text (the translations), ``lang`` and ``dir``, and the values of the attributes that are
units (``alt`` and ``title`` of an image, ``title`` of an abbreviation, ``content`` of a translated
``<meta>``); the text of a ``<time datetime>`` (a date babel writes) and a count phrase. Everything else is
the source's: the same block elements in the same order and nesting, each with the same attributes, and in
each run of inline content between two blocks the same inline elements (a translation may reorder and
renest them, never add, drop or alter one) and the same citation markers, each with its link target.
The one element a build adds is the ``<span lang dir>`` around a fallback run that shares its block with
another run (:func:`is_fallback_wrapper`): the run is compared as the span's content.

:func:`compare_trees` walks the two trees side by side, block by block; each difference is one
:class:`Difference` at the output's line. Along the way it finds English left in a translated page: a run
whose text is its unit's English, or holds another unit's English phrase, outside an element marked with
the source language.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import cast

from lxml import etree

from pipeline.core.model import Key
from pipeline.core.wording import quote
from pipeline.html.extract import TRANSLATABLE_ATTRIBUTES, SegmentPolicy, Slot, block_elements, meta_role
from pipeline.text.placeholders import MARKER, TAG_SHAPED, normalize_space, text_content

#: Attributes a build writes on any element: the output's language, its direction, a fallback's language.
_SET_BY_BUILD = frozenset({"lang", "dir"})
#: Attributes shown in an element's description, most telling first.
_TELLING = ("href", "src", "id", "name", "class")
_ASCII_WORD = re.compile(r"[A-Za-z]+")
#: Words an English phrase needs before it is looked for inside another run (one word may be a loanword).
_PHRASE_WORDS = 3
_HTML_SPACE = " \t\n\r\f"

Signature = tuple[str, tuple[tuple[str, str], ...]]


@dataclass(frozen=True, slots=True)
class Difference:
    """One way the output departs from its source: an error, or English left (a warning)."""

    line: int | None
    message: str
    english: bool = False


@dataclass(frozen=True, slots=True)
class Translations:
    """What the English check needs of a locale's catalog."""

    translated_page: bool                  #: the locale's language is not the source's
    source_language: str                   #: primary subtag, lower case (``en``)
    msgstrs: dict[Key, str] = field(default_factory=dict)   #: (msgctxt, msgid) -> msgstr
    texts: tuple[str, ...] = ()            #: every translation's plain text (tags dropped, spaces normalized)


@dataclass(slots=True)
class _Segment:
    """A run of inline content: the start text (after ``lead``, or the element's own) and the nodes after it."""

    lead: etree._Element | None
    text: str
    nodes: list[etree._Element] = field(default_factory=list)


def describe(el: etree._Element) -> str:
    """``<a href="#src-1">``: the tag and its telling attributes (a citation link with its marker)."""
    attrs = "".join(f' {name}="{el.get(name)}"' for name in _TELLING if el.get(name) is not None)
    text = f"<{el.tag!s}{attrs}>"
    content = normalize_space(text_content(el)) if isinstance(el.tag, str) else ""
    if MARKER.fullmatch(content):
        text += f"{content}</{el.tag!s}>"
    return text


#: The attributes of each element whose values are units (translated by the build); a ``<meta>`` adds its content.
_WRITTEN = {tag: frozenset(names) for tag, names in TRANSLATABLE_ATTRIBUTES.items()}
_NONE_WRITTEN: frozenset[str] = frozenset()


def _written(el: etree._Element) -> frozenset[str]:
    """The attributes of an element whose values are units (translated by the build)."""
    names = _WRITTEN.get(cast(str, el.tag), _NONE_WRITTEN)  # an element's: a parsed tag name is a str
    if el.tag == "meta" and meta_role(el) is not None:
        names = names | {"content"}
    return names


def _attributes(el: etree._Element) -> dict[str, str]:
    """The attributes a build keeps as they are (a translated one stands as ``*``: present, any value)."""
    return dict(_kept(el))


def _kept(el: etree._Element) -> list[tuple[str, str]]:
    """:func:`_attributes` as (name, value) pairs, in the element's order."""
    written = _written(el)
    return [(name, "*" if name in written else value) for name, value in el.attrib.items()
            if name not in _SET_BY_BUILD]


def _signature(node: etree._Element) -> Signature:
    """An element's tag and the attributes a build keeps (by name); what a comment or instruction says."""
    tag = node.tag
    if isinstance(tag, str):       # an element (a comment's or instruction's tag is a function)
        if not len(node.attrib):
            return (tag, ())
        kept = _kept(node)
        if len(kept) > 1:
            kept.sort()            # by name: each attribute once
        return (tag, tuple(kept))
    if isinstance(node, etree._Comment):  # the same test as `node.tag is etree.Comment`, which mypy can narrow
        return ("<!-- -->", (("", normalize_space(node.text or "")),))
    if isinstance(node, etree._ProcessingInstruction):
        return ("<? ?>", (("", normalize_space(str(node))),))
    return (str(tag), ())


def _segments(el: etree._Element, blocks: set[etree._Element]) -> tuple[list[etree._Element], list[_Segment]]:
    """An element's child blocks, and the runs of inline content around them (one more than the blocks)."""
    children: list[etree._Element] = []
    runs = [_Segment(None, el.text or "")]
    for child in el:
        if child in blocks:
            children.append(child)
            runs.append(_Segment(child, child.tail or ""))
        else:
            runs[-1].nodes.append(child)
    return children, runs


def _line(el: etree._Element, run: _Segment) -> int | None:
    """Where a run is: its first inline element, else the end of the block before it, else its element."""
    for node in run.nodes:
        if isinstance(node.tag, str) and node.sourceline:
            return node.sourceline
    if run.lead is not None:
        return max((n.sourceline or 0 for n in run.lead.iter()), default=0) or run.lead.sourceline
    return el.sourceline


def is_fallback_wrapper(el: etree._Element, blocks: set[etree._Element], source_language: str) -> bool:
    """Whether an element of an output is what a build wraps around a fallback run (``build.wrap_run``): a
    ``<span>`` with only ``lang`` (the source language) and ``dir="ltr"``, that is a whole run of its block."""
    if el.tag != "span" or el in blocks or not set(el.attrib) <= _SET_BY_BUILD or el.get("dir", "ltr") != "ltr":
        return False
    if el.get("lang", "").split("-")[0].lower() != source_language.split("-")[0].lower():
        return False
    parent, before, after = el.getparent(), el.getprevious(), el.getnext()
    if parent is None or parent not in blocks or (after is not None and after not in blocks):
        return False
    if before is not None and before not in blocks:
        return False
    start = before.tail if before is not None else parent.text
    return not (start or "").strip(_HTML_SPACE) and not (el.tail or "").strip(_HTML_SPACE)


def _link(el: etree._Element | None) -> str | None:
    """The target of the link an element is in (itself included), or None."""
    while el is not None:
        if el.tag == "a" and el.get("href") is not None:
            return el.get("href")
        el = el.getparent()
    return None


class _Walk:
    """Walks a source and an output side by side, collecting differences."""

    def __init__(self, source: etree._Element, output: etree._Element, policy: SegmentPolicy,
                 slots: list[Slot], translations: Translations) -> None:
        self.source_blocks = block_elements(source)
        self.output_blocks = block_elements(output)
        self.policy = policy
        self.translations = translations
        self.units = {(slot.element, slot.lead): slot for slot in slots if slot.kind == "run"}
        self.differences: list[Difference] = []
        self._phrases: dict[tuple[str, ...], list[tuple[str, Slot]]] | None = None

    # --- the tree ------------------------------------------------------------------------------------
    def compare(self, src: etree._Element, out: etree._Element) -> None:
        """Compare two elements of the same tag: attributes, child blocks, runs; then their child blocks."""
        self._attributes(src, out)
        if self._date(src):
            return  # its content is the date babel writes
        src_blocks, src_runs = _segments(src, self.source_blocks)
        out_blocks, out_runs = _segments(out, self.output_blocks)
        if [b.tag for b in src_blocks] == [b.tag for b in out_blocks]:
            for src_run, out_run in zip(src_runs, out_runs):
                self._run(src, out, src_run, out_run)
            for src_child, out_child in zip(src_blocks, out_blocks):
                self.compare(src_child, out_child)
            return
        # blocks are paired by tag and kept attributes: of two list items, the one with a class is that one
        matcher = SequenceMatcher(a=[_signature(b) for b in src_blocks], b=[_signature(b) for b in out_blocks],
                                  autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            pairs = list(zip(src_blocks[i1:i2], out_blocks[j1:j2]))
            if op == "equal" or (op == "replace" and i2 - i1 == j2 - j1 and all(a.tag == b.tag for a, b in pairs)):
                for src_child, out_child in pairs:  # the same elements (their attributes may differ)
                    self.compare(src_child, out_child)
                continue
            self._blocks_differ(src, out, src_blocks[i1:i2], out_blocks[j1:j2],
                                out_blocks[j1] if j1 < len(out_blocks) else None)

    def _blocks_differ(self, src: etree._Element, out: etree._Element, missing: list[etree._Element],
                       extra: list[etree._Element], here: etree._Element | None) -> None:
        at = f"element tree differs from the source at {describe(out)} (source line {src.sourceline})"
        if missing and extra:
            for el in extra:
                self._add(el.sourceline, f"{at}: {describe(el)} where the source has "
                          + ", ".join(f"{describe(s)} (line {s.sourceline})" for s in missing)
                          + ": run `l10n build`")
        elif missing:
            for el in missing:
                self._add((here if here is not None else out).sourceline,
                          f"{at}: {describe(el)} of the source (line {el.sourceline}) is missing: run `l10n build`")
        else:
            for el in extra:
                self._add(el.sourceline, f"{at}: {describe(el)} is not in the source: run `l10n build`")

    def _attributes(self, src: etree._Element, out: etree._Element) -> None:
        src_attrs, out_attrs = _attributes(src), _attributes(out)
        if src_attrs == out_attrs:
            return
        for name in dict.fromkeys([*src_attrs, *out_attrs]):
            old, new = src_attrs.get(name), out_attrs.get(name)
            if old == new:
                continue
            if new is None:
                text = f'{name}="{old}" of the source is missing on <{out.tag!s}>'
            elif old is None:
                text = f'{name}="{new}" on <{out.tag!s}> is not in the source'
            else:
                text = f'<{out.tag!s} {name}="{new}"> where the source has {name}="{old}"'
            self._add(out.sourceline, f"{text} (source line {src.sourceline}): run `l10n build`")

    def _date(self, el: etree._Element) -> bool:
        return self.policy.format_dates and el.tag == "time" and bool(el.get("datetime"))

    # --- runs of inline content ------------------------------------------------------------------------
    def _inline(self, nodes: list[etree._Element]) -> Iterator[etree._Element]:
        """Every node of a run, in document order, but the content of dates (babel writes it)."""
        for node in nodes:
            yield node
            if isinstance(node.tag, str) and not self._date(node):
                yield from self._inline(list(node))

    def _texts(self, owner: etree._Element, run: _Segment) -> Iterator[tuple[str, etree._Element | None]]:
        """(text, the element it is in) of a run, in document order (a date's content aside)."""
        yield run.text, owner

        def visit(node: etree._Element) -> Iterator[tuple[str, etree._Element | None]]:
            if isinstance(node.tag, str) and not self._date(node):
                yield node.text or "", node
                for child in node:
                    yield from visit(child)
            yield node.tail or "", node.getparent()

        for node in run.nodes:
            yield from visit(node)

    def _markers(self, owner: etree._Element, run: _Segment) -> Counter[tuple[str, str | None]]:
        """Each citation marker of a run with the target of the link it is in."""
        found: Counter[tuple[str, str | None]] = Counter()
        for text, el in self._texts(owner, run):
            if "[" not in text:
                continue
            for marker in MARKER.findall(TAG_SHAPED.sub(" ", text)):
                found[(marker, _link(el))] += 1
        return found

    def _run(self, src: etree._Element, out: etree._Element, src_run: _Segment, out_run: _Segment) -> None:
        line = _line(out, out_run)
        src_nodes = list(self._inline(src_run.nodes))
        out_nodes = list(self._inline(out_run.nodes))
        src_items = Counter(_signature(n) for n in src_nodes)
        out_items = Counter(_signature(n) for n in out_nodes)
        wrapper = out_run.nodes[0] if len(out_run.nodes) == 1 else None
        if (src_items != out_items and wrapper is not None and out_items[_signature(wrapper)] > src_items[
                _signature(wrapper)] and is_fallback_wrapper(wrapper, self.output_blocks, self.policy.source_language)):
            # the build's own span around a fallback run: the run is what it holds
            out, out_run = wrapper, _Segment(None, wrapper.text or "", list(wrapper))
            out_nodes = list(self._inline(out_run.nodes))
            out_items = Counter(_signature(n) for n in out_nodes)
        if src_items != out_items:
            self._items_differ(src_nodes, out_nodes, src_items, out_items, line)
        else:
            self._markers_differ(self._markers(src, src_run), self._markers(out, out_run), line)
        self._english(src, out, src_run, out_run, line)

    def _items_differ(self, src_nodes: list[etree._Element], out_nodes: list[etree._Element],
                      src_items: Counter[Signature], out_items: Counter[Signature], line: int | None) -> None:
        first: dict[Signature, etree._Element] = {}
        for node in src_nodes:
            first.setdefault(_signature(node), node)
        missing = [first[sig] for sig in (src_items - out_items).elements()]
        surplus = out_items - src_items
        extra = []
        for node in out_nodes:  # the output's own elements, in document order, for their lines
            if surplus[_signature(node)] > 0:
                surplus[_signature(node)] -= 1
                extra.append(node)
        # one finding a difference: an element with a link, a source or an id says most; a wrapper around
        # it (the <sup> of a citation link) adds nothing when it went with it
        telling = [n for n in missing if any(n.get(a) is not None for a in ("href", "src", "id"))]
        if telling and len(telling) < len(missing):
            missing = telling
        for el in extra:
            paired = next((m for m in missing if m.tag == el.tag), None)
            if paired is not None:
                missing.remove(paired)
                self._add(el.sourceline or line, f"{describe(el)} where the source has {describe(paired)} "
                          f"(source line {paired.sourceline}): run `l10n build`")
            else:
                self._add(el.sourceline or line, f"{describe(el)} is not in the source: run `l10n build`")
        for el in missing:
            self._add(line, f"{describe(el)} of the source (line {el.sourceline}) is missing: run `l10n build`")

    def _markers_differ(self, src: Counter[tuple[str, str | None]], out: Counter[tuple[str, str | None]],
                        line: int | None) -> None:
        if src == out:
            return

        def shown(marker: str, target: str | None) -> str:
            return f"citation marker {marker}" + (f" (linking to {target})" if target is not None else "")

        missing, extra = list((src - out).elements()), list((out - src).elements())
        for marker, target in extra:
            paired = next((m for m in missing if m[1] == target or m[0] == marker), None)
            if paired is not None:
                missing.remove(paired)
                self._add(line, f"{shown(marker, target)} where the source has {shown(*paired)}: run `l10n build`")
            else:
                self._add(line, f"{shown(marker, target)} is not in the source: run `l10n build`")
        for marker, target in missing:
            self._add(line, f"{shown(marker, target)} of the source is missing: run `l10n build`")

    # --- English left --------------------------------------------------------------------------------
    def _english(self, src: etree._Element, out: etree._Element, src_run: _Segment, out_run: _Segment,
                 line: int | None) -> None:
        slot = self.units.get((src, src_run.lead))
        tr = self.translations
        if slot is None or not tr.translated_page or out.tag in ("html", "body") or self._marked(out):
            return  # a fallback of a run directly in <body> cannot be marked: the build leaves it so
        msgid = slot.run.msgid
        if tr.msgstrs.get((slot.context, msgid)) == msgid:
            return  # translated as itself (a name, an acronym)
        src_text = self._plain(src, src_run)
        out_text = self._plain(out, out_run)
        if out_text == src_text:
            self._add(line, f"the English of the source (line {slot.line}) is left in a translated page, not "
                      f'marked lang="{tr.source_language}": {quote(src_text)}', english=True)
            return
        words = _ASCII_WORD.findall(out_text)
        for index in range(len(words) - _PHRASE_WORDS + 1):
            for phrase, unit in self.phrases().get(tuple(words[index:index + _PHRASE_WORDS]), ()):
                if phrase in out_text and phrase not in src_text and not any(phrase in t for t in tr.texts):
                    self._add(line, f"English text of the source (line {unit.line}) in a translated run, not "
                              f'marked lang="{tr.source_language}": {quote(phrase)}', english=True)
                    return

    def phrases(self) -> dict[tuple[str, ...], list[tuple[str, Slot]]]:
        """The English of each unit of a few words, by its first words (listed once, on first use)."""
        if self._phrases is None:
            self._phrases = {}
            for slot in self.units.values():
                start = slot.lead.tail if slot.lead is not None else slot.element.text
                text = self._plain(slot.element, _Segment(slot.lead, start or "", list(slot.nodes)))
                words = _ASCII_WORD.findall(text)
                if len(words) >= _PHRASE_WORDS:
                    self._phrases.setdefault(tuple(words[:_PHRASE_WORDS]), []).append((text, slot))
        return self._phrases

    def _plain(self, owner: etree._Element, run: _Segment) -> str:
        """A run's text as a reader sees it, spaces normalized."""
        return normalize_space("".join(text for text, _ in self._texts(owner, run)))

    def _marked(self, el: etree._Element | None) -> bool:
        """Whether the nearest ``lang`` around an element (itself included) is the source language."""
        while el is not None:
            lang = el.get("lang")
            if lang is not None:
                return lang.split("-")[0].lower() == self.translations.source_language
            el = el.getparent()
        return False

    def _add(self, line: int | None, message: str, *, english: bool = False) -> None:
        self.differences.append(Difference(line, message, english))


def compare_trees(source: etree._Element, output: etree._Element, *, policy: SegmentPolicy, slots: list[Slot],
                  translations: Translations) -> list[Difference]:
    """Every difference between a source's tree and its output's that a build does not make (see the module)."""
    walk = _Walk(source, output, policy, slots, translations)
    if source.tag != output.tag:
        return [Difference(output.sourceline, f"element tree differs from the source: the output's root is "
                           f"<{output.tag!s}>, the source's <{source.tag!s}>: run `l10n build`")]
    walk.compare(source, output)
    return walk.differences


#: What :func:`same_page` compares of a tree (:func:`page_outline`).
Outline = tuple[object, ...]


def same_page(source: etree._Element | Outline, output: etree._Element, *, policy: SegmentPolicy) -> bool:
    """Whether two trees agree as a whole: the same blocks in the same nesting, the same elements and the
    same citation markers with their links (one pass each; :func:`compare_trees` says where they differ).
    The spans a build wraps around fallback runs are not counted in the output. ``source`` may be given as
    its :func:`page_outline`, computed once for all of its outputs."""
    known = source if isinstance(source, tuple) else page_outline(source, policy)
    return known == _outline(output, policy, output=True)


def page_outline(source: etree._Element, policy: SegmentPolicy) -> Outline:
    """What :func:`same_page` compares of a source's tree."""
    return _outline(source, policy)


def _outline(root: etree._Element, policy: SegmentPolicy, *, output: bool = False) -> Outline:
    """What :func:`same_page` compares of a tree: its blocks (with their parent's place), every element
    (a date's content aside, and in an ``output`` the build's fallback spans) and the citation markers, bare
    and in links."""
    blocks = block_elements(root)
    dated = {el for time in root.iter("time") if policy.format_dates and time.get("datetime")
             for el in time.iterdescendants()}
    place: dict[etree._Element, int] = {}
    skeleton: list[tuple[Signature, int]] = []
    elements: Counter[Signature] = Counter()
    for el in root.iter():
        if el in dated or (output and is_fallback_wrapper(el, blocks, policy.source_language)):
            continue
        signature = _signature(el)
        elements[signature] += 1
        if el in blocks:
            parent = el.getparent()
            while parent is not None and parent not in place:
                parent = parent.getparent()
            place[el] = len(skeleton)
            skeleton.append((signature, place[parent] if parent is not None else -1))
    markers = Counter(MARKER.findall(TAG_SHAPED.sub(" ", "\n".join(
        text for text in root.itertext() if "[" in text))))
    linked = Counter((marker, a.get("href")) for a in root.iter("a") if a.get("href") is not None
                     for marker in MARKER.findall(text_content(a)))
    return tuple(skeleton), elements, markers, linked
