"""Inline markup <-> readable placeholders, and citation markers as protected tokens.

A *run* is the inline content of a block element between two nested blocks: a start text plus the inline
nodes that follow it. :func:`encode_run` turns a run into the msgid a translator reads
(``<b>Monitoring:</b> falling levels suggest a response. [3] [6]``) and remembers which source element
each placeholder and citation-marker wrapper stands for. :func:`parse_translation` validates a msgstr
against that encoding and :func:`render_run` rebuilds the run from it. Attributes and elements only ever
come from the source: a msgstr is text, escaped by the serializer, plus the msgid's own placeholders.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Union, cast

from lxml import etree

from pipeline.core.model import Placeholder

#: An element's text, its descendants' included, comments not (what lxml.html's ``text_content`` is: pages are
#: parsed into plain elements, which skips lxml.html's class lookup for every element).
_STRING = etree.XPath("string()")


def text_content(el: etree._Element) -> str:
    """The text of an element and its descendants, without comments, processing instructions or its tail."""
    return cast(str, _STRING(el))


#: HTML's whitespace (not Python's ``\s``, which would also eat no-break spaces).
HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
#: Citation markers: ``[1]``, ``[12]``, ``[PM18]``, ``[1, 2]``, ``[1-3]``, ``[1–3]``.
MARKER = re.compile(r"\[(?:[A-Z]{1,4})?\d+(?:\s*[,\u2013-]\s*(?:[A-Z]{1,4})?\d+)*\]")
#: Anything shaped like a tag. Only the unit's own placeholders are tags; ``< 50``, ``<5 mg`` are not shaped so.
TAG_SHAPED = re.compile(r"</?[A-Za-z][^<>]*>")
_LETTER = re.compile(r"[^\W\d_]")
_TEXT = re.compile(r"[^\W_]")
#: Characters an HTML document cannot carry: C0 controls but tab and line ends, surrogates, non-characters.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_WORD = re.compile(r"\w+")

#: Elements that sit inside running text. Every other element is a block.
INLINE_TAGS = frozenset({
    "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "br", "cite", "code", "data", "del", "dfn", "em",
    "font", "i", "img", "ins", "kbd", "label", "mark", "q", "s", "samp", "small", "span", "strike",
    "strong", "sub", "sup", "time", "tt", "u", "var", "wbr",
})
#: Inline elements whose content is never translated: they travel whole, as one void placeholder.
OPAQUE_INLINE_TAGS = frozenset({"br", "code", "img", "kbd", "samp", "var", "wbr", "script", "style",
                                "svg", "math", "input", "select", "textarea", "button", "iframe",
                                "object", "video", "audio", "canvas"})
#: Short placeholder names for common tags; others use the tag itself.
SHORT_NAMES = {"strong": "b", "em": "i"}

_DESCRIPTIONS = {
    "b": "bold text", "strong": "bold text (strong)", "i": "italic text", "em": "emphasis",
    "a": "link", "sup": "superscript", "sub": "subscript", "abbr": "abbreviation", "time": "date or time",
    "span": "text span", "br": "line break", "img": "image", "code": "code, not translated",
    "q": "quotation", "cite": "title of a work", "mark": "highlighted text", "u": "underlined text",
    "small": "small print", "dfn": "defined term",
}


@dataclass(slots=True)
class EncodedRun:
    """A run as a msgid, with the source elements its placeholders and markers stand for."""

    msgid: str
    placeholders: list[Placeholder] = field(default_factory=list)
    elements: dict[str, etree._Element] = field(default_factory=dict)
    markers: list[str] = field(default_factory=list)
    #: wrapper element (or None for a bare marker) of each marker occurrence, keyed (marker, k-th)
    wrappers: dict[tuple[str, int], etree._Element | None] = field(default_factory=dict)
    literals: frozenset[str] = frozenset()
    notes: list[str] = field(default_factory=list)
    leading: str = ""
    trailing: str = ""

    @property
    def translatable(self) -> bool:
        """Whether it has text worth translating (a letter outside placeholders and markers)."""
        return bool(_LETTER.search(strip_tokens(self.msgid)))


class InvalidTranslation(ValueError):
    """A msgstr that cannot be used: it lost or added a tag or a citation marker."""


@dataclass(slots=True)
class Node:
    """A placeholder pair in a parsed translation, with its content."""

    name: str
    children: list["Item"] = field(default_factory=list)


@dataclass(slots=True)
class Void:
    """A void placeholder in a parsed translation."""

    name: str


Item = Union[str, Node, Void]
#: element -> travels untranslated? (True, or a description of it for translators)
Passthrough = Callable[[etree._Element], "bool | str"]


def normalize_space(text: str) -> str:
    """Collapse runs of HTML whitespace to one space and strip the ends."""
    return HTML_SPACE.sub(" ", text).strip(" ")


def strip_tokens(text: str) -> str:
    """The text with tag-shaped tokens and citation markers removed (for word counts, letters)."""
    return MARKER.sub(" ", TAG_SHAPED.sub(" ", text))


def count_words(text: str) -> int:
    """Words in a msgid, placeholders and markers not counted."""
    return len(_WORD.findall(strip_tokens(text)))


def find_markers(text: str) -> list[str]:
    """Citation markers in a msgid or msgstr, in order, outside tag-shaped tokens."""
    return MARKER.findall(TAG_SHAPED.sub(" ", text))


def is_marker_wrapper(el: etree._Element) -> bool:
    """Whether an inline element holds exactly one citation marker and nothing else."""
    if el.tag in OPAQUE_INLINE_TAGS:
        return False
    return MARKER.fullmatch(normalize_space(text_content(el))) is not None


def _is_opaque(el: etree._Element, passthrough: Passthrough | None) -> bool | str:
    if el.tag in OPAQUE_INLINE_TAGS:
        return True
    if passthrough is not None and (said := passthrough(el)):
        return said
    return not normalize_space(text_content(el))


def _describe(el: etree._Element, opaque: bool) -> str:
    tag = cast(str, el.tag)  # an element's, not a comment's: a parsed tag name is a str
    text = _DESCRIPTIONS.get(tag, f"<{tag}> element")
    details = []
    if tag == "a" and el.get("href"):
        details.append(f"to {el.get('href')}")
    if tag == "abbr" and el.get("title"):
        details.append(f"of \u201c{el.get('title')}\u201d")
    if el.get("class"):
        details.append(f"class {el.get('class')}")
    if opaque and tag not in ("br", "img", "wbr"):
        content = normalize_space(text_content(el))
        if content:
            text = "kept as in the source" if tag != "code" else text
            details.append(f"\u201c{content[:60]}\u201d")
    if tag == "img" and el.get("alt"):
        details.append(f"alt \u201c{normalize_space(el.get('alt', ''))[:60]}\u201d")
    return text + (" " + ", ".join(details) if details else "")


def kept_node(node: etree._Element) -> tuple[str, str] | None:
    """For a comment, server-side include or processing instruction: its placeholder name and description.

    Such nodes inside running text are not shown to readers but matter to the page (an SSI includes a
    header, a comment carries an editor's note): they travel as void placeholders the translator places.
    Anything else (an element, an entity) gives None.
    """
    if isinstance(node, etree._Comment):  # the same test as `node.tag is etree.Comment`, which mypy can narrow
        content = normalize_space(node.text or "")
        if content.startswith("#"):
            return "include", f"server-side include \u201c{content[:60]}\u201d, kept as in the source"
        return "comment", f"HTML comment, not shown to readers: \u201c{content[:60]}\u201d"
    if isinstance(node, etree._ProcessingInstruction):
        return "pi", f"processing instruction \u201c{normalize_space(str(node))[:60]}\u201d, kept as in the source"
    return None


def encode_run(start_text: str | None, nodes: list[etree._Element], *,
               passthrough: Passthrough | None = None) -> EncodedRun:
    """Turn a run (start text + inline nodes) into its msgid and the bindings to rebuild it.

    ``passthrough(element)`` says which inline elements travel untranslated (``translate="no"``,
    another language, ignored by selector): they become void placeholders. A string instead of True
    describes the placeholder for translators (a date the build writes, a count phrase).
    """
    run = EncodedRun(msgid="")
    counters: dict[str, int] = {}
    marker_counts: dict[str, int] = {}
    parts: list[str] = []
    literals: set[str] = set()

    def text(value: str | None) -> None:
        if value:
            literals.update(TAG_SHAPED.findall(value))
            for found in MARKER.findall(value):
                seen = marker_counts.get(found, 0)
                run.wrappers[(found, seen)] = None
                marker_counts[found] = seen + 1
            parts.append(value)

    def name_for(tag: str) -> str:
        base = SHORT_NAMES.get(tag, tag)
        count = counters[base] = counters.get(base, 0) + 1
        return base if count == 1 else f"{base}{count}"

    def visit(nodes: list[etree._Element]) -> None:
        for node in nodes:
            if (kept := kept_node(node)) is not None:
                ph = Placeholder(name_for(kept[0]), True, kept[0], kept[1])
                run.placeholders.append(ph)
                run.elements[ph.name] = node
                parts.append(ph.open)
            elif isinstance(node.tag, str):
                for attr in ("data-l10n-note", "its-loc-note"):
                    if node.get(attr):
                        run.notes.append(normalize_space(node.get(attr, "")))
                if is_marker_wrapper(node):
                    marker = normalize_space(text_content(node))
                    seen = marker_counts.get(marker, 0)
                    run.wrappers[(marker, seen)] = node
                    marker_counts[marker] = seen + 1
                    parts.append(marker)
                elif opaque := _is_opaque(node, passthrough):
                    description = opaque if isinstance(opaque, str) else _describe(node, True)
                    ph = Placeholder(name_for(node.tag), True, node.tag, description)
                    run.placeholders.append(ph)
                    run.elements[ph.name] = node
                    parts.append(ph.open)
                else:
                    ph = Placeholder(name_for(node.tag), False, node.tag, _describe(node, False))
                    run.placeholders.append(ph)
                    run.elements[ph.name] = node
                    parts.append(ph.open)
                    text(node.text)
                    visit(list(node))
                    parts.append(ph.close)
            text(node.tail)

    text(start_text)
    visit(nodes)
    raw = "".join(parts)
    run.msgid = normalize_space(raw)
    stripped = raw.lstrip(" \t\n\r\f")
    run.leading = raw[: len(raw) - len(stripped)]
    run.trailing = stripped[len(stripped.rstrip(" \t\n\r\f")):]
    run.markers = find_markers(run.msgid)
    run.literals = frozenset(literals)
    return run


def parse_translation(msgstr: str, run: EncodedRun) -> list[Item]:
    """Validate a msgstr against its run and return it as a tree; raise InvalidTranslation if unusable."""
    bad = _NOT_XML.search(msgstr)
    if bad:
        raise InvalidTranslation(f"character U+{ord(bad.group()):04X} cannot appear in HTML text")
    by_token: dict[str, tuple[str, Placeholder]] = {}
    for ph in run.placeholders:
        by_token[ph.open] = ("void" if ph.void else "open", ph)
        if not ph.void:
            by_token[ph.close] = ("close", ph)
    root: list[Item] = []
    stack: list[tuple[Node, list[Item]]] = []
    current = root
    seen: set[str] = set()
    position = 0
    for match in TAG_SHAPED.finditer(msgstr):
        if match.start() > position:
            current.append(msgstr[position:match.start()])
        position = match.end()
        token = match.group()
        kind_ph = by_token.get(token)
        if kind_ph is None:
            if token in run.literals:
                current.append(token)
                continue
            raise InvalidTranslation(f"unknown tag {token!r}: only the msgid's placeholders may be used")
        kind, ph = kind_ph
        if kind == "close":
            if not stack or stack[-1][0].name != ph.name:
                raise InvalidTranslation(f"{token} closes a tag that is not open")
            stack.pop()
            current = stack[-1][1] if stack else root
            continue
        if ph.name in seen:
            raise InvalidTranslation(f"placeholder {ph.open} is used more than once")
        seen.add(ph.name)
        if kind == "void":
            current.append(Void(ph.name))
        else:
            node = Node(ph.name)
            current.append(node)
            stack.append((node, node.children))
            current = node.children
    if position < len(msgstr):
        current.append(msgstr[position:])
    if _LETTER.search(strip_tokens(run.msgid)) and not _TEXT.search(strip_tokens(msgstr)):
        raise InvalidTranslation("the translation has no text of its own")
    if stack:
        raise InvalidTranslation(f"{stack[-1][0].name!r} is opened and never closed")
    missing = [ph.open for ph in run.placeholders if ph.name not in seen]
    if missing:
        raise InvalidTranslation("lost placeholder " + ", ".join(missing))
    markers = find_markers(msgstr)
    if sorted(markers) != sorted(run.markers):  # the same markers, as many times each
        expected, found = Counter(run.markers), Counter(markers)
        lost = sorted((expected - found).elements())
        added = sorted((found - expected).elements())
        what = []
        if lost:
            what.append("lost citation marker " + " ".join(lost))
        if added:
            what.append("added citation marker " + " ".join(added))
        raise InvalidTranslation("; ".join(what))
    return root


def render_items(items: list[Item], run: EncodedRun, *, isolate_markers: bool = False
                 ) -> list[str | etree._Element]:
    """Turn a parsed translation into text pieces and fresh elements copied from the source.

    With ``isolate_markers`` (a right-to-left page), each citation marker is isolated from the text around
    it, so that ``[1]`` neither flips to ``]1[`` nor moves to the wrong side: its wrapper gets
    ``dir="ltr"`` (which isolates an element in HTML), a bare marker the Unicode isolates LRI ... PDI.
    """
    marker_counts: dict[str, int] = {}

    def render(items: list[Item]) -> list[str | etree._Element]:
        out: list[str | etree._Element] = []
        for item in items:
            if isinstance(item, str):
                out.extend(_render_text(item, run, marker_counts, isolate=isolate_markers))
            elif isinstance(item, Void):
                element = copy.deepcopy(run.elements[item.name])
                element.tail = None
                out.append(element)
            else:
                source = run.elements[item.name]
                element = source.makeelement(source.tag, dict(source.attrib))
                _fill(element, render(item.children))
                out.append(element)
        return out

    return render(items)


#: Unicode's LEFT-TO-RIGHT ISOLATE and POP DIRECTIONAL ISOLATE, around a bare marker in right-to-left text.
LRI, PDI = "\u2066", "\u2069"


def _render_text(text: str, run: EncodedRun, counts: dict[str, int], *, isolate: bool = False
                 ) -> list[str | etree._Element]:
    out: list[str | etree._Element] = []
    position = 0
    for match in MARKER.finditer(text):
        marker = match.group()
        seen = counts.get(marker, 0)
        wrapper = run.wrappers.get((marker, seen))
        counts[marker] = seen + 1
        if wrapper is None:
            if isolate:
                out.append(text[position:match.start()] + LRI + marker + PDI)
                position = match.end()
            continue
        out.append(text[position:match.start()])
        element = copy.deepcopy(wrapper)
        element.tail = None
        if isolate:
            element.set("dir", "ltr")
        out.append(element)
        position = match.end()
    out.append(text[position:])
    return [piece for piece in out if not isinstance(piece, str) or piece]


def _fill(element: etree._Element, pieces: list[str | etree._Element]) -> None:
    """Append text pieces and elements as ``element``'s content."""
    last: etree._Element | None = None
    for piece in pieces:
        if isinstance(piece, str):
            if last is None:
                element.text = (element.text or "") + piece
            else:
                last.tail = (last.tail or "") + piece
        else:
            element.append(piece)
            last = piece


def render_run(parent: etree._Element, lead: etree._Element | None, nodes: list[etree._Element],
               pieces: list[str | etree._Element], run: EncodedRun) -> None:
    """Replace a run in the tree (start text after ``lead`` plus ``nodes``) by rendered pieces."""
    if pieces and isinstance(pieces[0], str):
        pieces = [run.leading + pieces[0].lstrip(" \t\n\r\f"), *pieces[1:]]
    else:
        pieces = [run.leading, *pieces]
    if isinstance(pieces[-1], str):
        pieces = pieces[:-1] + [pieces[-1].rstrip(" \t\n\r\f") + run.trailing]
    else:
        pieces = pieces + [run.trailing]
    if nodes:
        index = parent.index(nodes[0])
        for node in nodes:
            parent.remove(node)
    else:
        index = parent.index(lead) + 1 if lead is not None else 0
    start = pieces[0] if isinstance(pieces[0], str) else ""
    rest = pieces[1:] if isinstance(pieces[0], str) else pieces
    if lead is None:
        parent.text = start or None
    else:
        lead.tail = start or None
    last: etree._Element | None = None
    for piece in rest:
        if isinstance(piece, str):
            if last is not None:
                last.tail = (last.tail or "") + piece or None
            elif lead is None:
                parent.text = (parent.text or "") + piece or None
            else:
                lead.tail = (lead.tail or "") + piece or None
        else:
            parent.insert(index, piece)
            index += 1
            last = piece
