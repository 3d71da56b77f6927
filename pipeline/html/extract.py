"""Source HTML -> ordered translation slots: the one traversal that decides what a unit is.

Extraction (:func:`segment_units`) and reassembly (:mod:`pipeline.html.build`) both walk the tree through
:func:`collect_slots`, so a build can never disagree with extraction about what a unit is.

Policy, as documented constants (after Translate Toolkit's ``storage/html.py``):

- every element that is not in :data:`~pipeline.text.placeholders.INLINE_TAGS` is a block; a block's inline content
  between nested blocks is one *run*, and each run with a letter in it is a unit;
- :data:`SKIPPED_TAGS`, anything under ``translate="no"``, under a ``lang`` other than the source language,
  or matched by ``ignore_selectors`` passes to the output unchanged;
- :data:`TRANSLATABLE_ATTRIBUTES` are units of their own; so are ``<title>`` and
  ``<meta name="description" content>``;
- blocks matched by ``disclaimer_selector`` hold units with the role "disclaimer".
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import cast, overload

from lxml import etree
from lxml.cssselect import CSSSelector

from pipeline.core.errors import SourceError
from pipeline.core.model import CountPhrase, Key, Role, Unit
from pipeline.text.placeholders import INLINE_TAGS, EncodedRun, encode_run, normalize_space, strip_tokens, text_content

SKIPPED_TAGS = frozenset({"script", "style", "pre", "code", "template", "noscript", "svg", "math",
                          "textarea", "select", "iframe", "object", "head"})
TRANSLATABLE_ATTRIBUTES: dict[str, tuple[str, ...]] = {"img": ("alt", "title"), "abbr": ("title",)}
ROLE_BY_TAG = {
    **{f"h{n}": Role.HEADING for n in range(1, 7)},
    "p": Role.PARAGRAPH, "li": Role.LIST_ITEM, "td": Role.TABLE_CELL, "th": Role.TABLE_CELL,
    "caption": Role.CAPTION, "figcaption": Role.FIGURE_CAPTION, "blockquote": Role.QUOTE,
    "dt": Role.TERM, "dd": Role.DEFINITION, "title": Role.TITLE,
}
ATTRIBUTE_ROLES = {("img", "alt"): Role.IMAGE_ALT, ("img", "title"): Role.IMAGE_TITLE,
                   ("abbr", "title"): Role.ABBR_TITLE, ("meta", "content"): Role.META_DESCRIPTION}
#: ``<meta>`` whose ``content`` is text readers see: the description, and the link previews of social sites
#: (Open Graph's ``property``, Twitter's ``name``; either attribute is accepted for both, as sites do).
META_ROLES = {
    "description": Role.META_DESCRIPTION,
    "og:title": Role.PREVIEW_TITLE, "og:description": Role.PREVIEW_DESCRIPTION,
    "og:image:alt": Role.PREVIEW_IMAGE_ALT,
    "twitter:title": Role.PREVIEW_TITLE, "twitter:description": Role.PREVIEW_DESCRIPTION,
    "twitter:image:alt": Role.PREVIEW_IMAGE_ALT,
}
MAX_DEPTH = 200
#: Elements whose end tag HTML never leaves out: one still open at the end means a cut-off file.
_END_TAG_REQUIRED = frozenset({
    "a", "abbr", "article", "aside", "b", "blockquote", "cite", "code", "div", "dl", "em", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "i", "main", "mark", "nav", "ol",
    "pre", "q", "s", "section", "small", "span", "strong", "sub", "sup", "table", "time", "u", "ul",
    "script", "style", "textarea", "title",
})
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?>")
_TAG_PARTS = re.compile(f"({_TAG.pattern})")  # _TAG, with the whole tag as a group too
_RAW_TEXT = re.compile(r"<!--.*?-->|<(script|style|textarea|title)\b.*?</\1\s*>", re.S | re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_INTERNAL_SUBSET = re.compile(r"<!DOCTYPE[^>\[]*\[", re.I)
_DOCUMENT_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype|html|head|body)\b", re.I | re.S)
#: A letter of ASCII: Latin (``letter_scripts`` counts it as ``Latn``).
_ASCII_LETTER = re.compile(r"[A-Za-z]")


@dataclass(frozen=True, slots=True)
class SegmentPolicy:
    """What the traversal needs from the configuration."""

    source_language: str = "en"
    ignore_selectors: tuple[str, ...] = ()
    disclaimer_selector: str = ".disclaimer, [data-l10n-role=disclaimer]"
    count_phrases: tuple[CountPhrase, ...] = ()
    format_dates: bool = True
    jsonld_fields: tuple[str, ...] = ("headline", "alternativeHeadline", "description", "name")


#: JSON-LD path of a value: keys and list indexes from the parsed document (``("@graph", 0, "headline")``).
JsonPath = tuple[str | int, ...]


def is_jsonld(el: etree._Element) -> bool:
    """Whether an element is a ``<script type="application/ld+json">`` (structured data search engines read)."""
    return el.tag == "script" and (el.get("type") or "").strip().lower() == "application/ld+json"


def jsonld_texts(data: object, fields: tuple[str, ...]) -> list[tuple[JsonPath, str]]:
    """The translatable strings of a parsed JSON-LD document: ``fields`` of its own objects (the top-level
    object, each object of a top-level list or of ``@graph``), not of nested ones (``author``, ``publisher``,
    ``image``: names of people and organisations are not translated)."""
    found: list[tuple[JsonPath, str]] = []

    def own(obj: object, path: JsonPath) -> None:
        if isinstance(obj, list):
            for index, item in enumerate(obj):
                if isinstance(item, dict):
                    own(item, path + (index,))
            return
        if not isinstance(obj, dict):
            return
        for key, value in obj.items():
            if key in fields and isinstance(value, str) and re.search(r"[^\W\d_]", value):
                found.append((path + (key,), value))
            elif key == "@graph":
                own(value, path + (key,))

    own(data, ())
    return found


def json_path_text(path: JsonPath) -> str:
    """A JSON-LD path as translators read it: ``@graph[0].headline``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


@dataclass(slots=True)
class SourceDocument:
    """A parsed source article."""

    slug: str
    path: Path
    reference: str           #: project-relative path, as ``#:`` references show it
    root: etree._Element
    fragment: bool
    data: bytes = b""        #: the bytes it was parsed from

    def fresh(self) -> "SourceDocument":
        """A new, independent parse of the same bytes."""
        return document_from_bytes(self.data, path=self.path, slug=self.slug, reference=self.reference)

    def copy_with(self, slots: "list[Slot]") -> "tuple[SourceDocument, list[Slot]]":
        """An independent copy of the document, and ``slots`` (of this document) bound to the copy's nodes.

        A build consumes its tree; copying it and its slots is what lets every locale's build share one
        traversal instead of segmenting the article again.
        """
        tree = copy.deepcopy(self.root.getroottree())
        position = {node: i for i, node in enumerate(self.root.iter())}
        copied = list(tree.getroot().iter())

        @overload
        def same(node: etree._Element) -> etree._Element: ...
        @overload
        def same(node: etree._Element | None) -> etree._Element | None: ...
        def same(node: etree._Element | None) -> etree._Element | None:
            return None if node is None else copied[position[node]]

        def rebound(slot: Slot) -> Slot:
            run = replace(slot.run, elements={k: same(v) for k, v in slot.run.elements.items()},
                          wrappers={k: same(v) for k, v in slot.run.wrappers.items()})
            return replace(slot, element=same(slot.element), run=run, lead=same(slot.lead),
                           nodes=[same(n) for n in slot.nodes], disclaimer=same(slot.disclaimer))

        return replace(self, root=tree.getroot()), [rebound(slot) for slot in slots]


@dataclass(slots=True)
class Slot:
    """One place in the tree that holds a unit: a run of inline content, an attribute, or a title."""

    kind: str                          #: "run", "attr", "text", "count", "date" or "jsonld"
    element: etree._Element
    run: EncodedRun
    role: Role
    line: int | None
    attr: str | None = None
    lead: etree._Element | None = None
    nodes: list[etree._Element] = field(default_factory=list)
    context: str | None = None
    notes: tuple[str, ...] = ()
    disclaimer: etree._Element | None = None
    count: int | None = None               #: the number of a count phrase
    phrase: CountPhrase | None = None
    date: date | None = None               #: the date a ``<time datetime>`` shows
    json_path: JsonPath = ()               #: where a JSON-LD text is in its script's document

    def key(self) -> Key | None:
        """The catalog key of :meth:`unit` (msgctxt, msgid), without making the unit; None for a date."""
        if self.kind == "date":
            return None
        return (self.context, self.phrase.msgid if self.phrase is not None else self.run.msgid)

    def unit(self) -> Unit | None:
        """The catalog's view of this slot (None for a date, which babel writes and nobody translates)."""
        if self.kind == "date":
            return None
        if self.phrase is not None:
            return Unit(msgid=self.phrase.msgid, plural=self.phrase.msgid_plural, role=Role.COUNT_PHRASE,
                        line=self.line, context=self.context, flags=("python-format",),
                        notes=self.notes + ("%(count)d is replaced by the number; one form per plural form",))
        return Unit(msgid=self.run.msgid, role=self.role, line=self.line, context=self.context,
                    notes=self.notes, placeholders=tuple(self.run.placeholders),
                    markers=tuple(self.run.markers))


def decode_source(data: bytes, *, path: str) -> str:
    """Source bytes -> text: UTF-8 only (a BOM is dropped, CRLF becomes LF); SourceError otherwise."""
    if b"\x00" in data[:8192]:
        raise SourceError("not a text file (NUL bytes): expected UTF-8 HTML", path=path, line=1)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(f"invalid UTF-8 at byte {exc.start}", path=path, line=line,
                          hint="save the article as UTF-8") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _unclosed(text: str, *, names_first: bool = True) -> tuple[str, int] | None:
    """The first element whose end tag HTML requires but the text never gives: (tag, line), or None.

    With ``names_first``, the tags' names are walked first (:func:`_leaves_open`), and the walk with offsets
    only for a text that leaves an element open; the answer is the same.
    """
    stack: list[tuple[str, int]] = []   # (tag, offset): the line is counted for the one reported only
    scrubbed = _RAW_TEXT.sub(lambda m: "\n" * m.group().count("\n"), text)
    if (comment := scrubbed.find("<!--")) >= 0:     # a comment never closed swallows the rest of the file
        return "!--", scrubbed.count("\n", 0, comment) + 1
    if cut := re.search(r"<[A-Za-z/!][^>]*\Z", scrubbed):   # the file ends inside a tag
        return "", scrubbed.count("\n", 0, cut.start()) + 1
    if names_first and not _leaves_open(scrubbed):
        return None
    for match in _TAG.finditer(scrubbed):  # again, with offsets, for the line of the one reported
        closing, name = match.group(1) == "/", match.group(2).lower()
        if name not in _END_TAG_REQUIRED:
            continue
        if not closing:
            if not match.group().endswith("/>"):
                stack.append((name, match.start()))
            continue
        for depth in range(len(stack) - 1, -1, -1):
            if stack[depth][0] == name:
                del stack[depth:]
                break
    return (stack[-1][0], scrubbed.count("\n", 0, stack[-1][1]) + 1) if stack else None


def _leaves_open(scrubbed: str) -> bool:
    """Whether some element whose end tag HTML requires is never closed in the text: :func:`_unclosed`'s walk,
    on the tags' names only (most files close everything, and need no line)."""
    stack: list[str] = []
    for whole, closing, name in _TAG_PARTS.findall(scrubbed):
        if name not in _END_TAG_REQUIRED:
            name = name.lower()
            if name not in _END_TAG_REQUIRED:
                continue
        if not closing:
            if not whole.endswith("/>"):
                stack.append(name)
        elif stack and stack[-1] == name:
            stack.pop()
        elif name in stack:
            del stack[len(stack) - 1 - stack[::-1].index(name):]
    return bool(stack)


def parse_source(text: str, *, path: str, whole: bool = False) -> tuple[etree._Element, bool]:
    """Parse article text; return the root element and whether it is a fragment. SourceError if malformed.

    ``whole``: the text is known to close every element whose end tag HTML requires (this code parsed the same
    text before without error), so it is not searched for one left open again."""
    text = _XML_DECLARATION.sub("", text, count=1)
    fragment = not _DOCUMENT_START.match(text)
    if not text.strip():
        raise SourceError("the article is empty", path=path, line=1)
    subset = _INTERNAL_SUBSET.search(text)
    if subset:
        raise SourceError("a DOCTYPE with declarations (entities) is not accepted", path=path,
                          line=text.count("\n", 0, subset.start()) + 1,
                          hint="use <!DOCTYPE html>; entities are never resolved")
    parser = etree.HTMLParser(recover=True, remove_comments=False, remove_pis=False, no_network=True,
                             default_doctype=False)
    try:
        root = etree.fromstring(text, parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise SourceError(f"cannot parse HTML: {exc}", path=path, line=1) from None
    if root is None:
        raise SourceError("no HTML content", path=path, line=1)
    for entry in parser.error_log:
        if entry.type_name == "ERR_TAG_NAME_MISMATCH" or "depth" in entry.message.lower():
            raise SourceError(f"malformed HTML: {entry.message.strip()}", path=path, line=entry.line,
                              hint="fix the markup; a silently repaired article could lose text")
    # </body> and </html> are optional (HTML's own rule), so a document may end without them; an element
    # whose end tag HTML requires (a <div>, a <table>, an <h2>...) left open means the file was cut short
    if not whole and (open_element := _unclosed(text)):
        opened = {"!--": "a comment (<!--)", "": "a tag"}.get(open_element[0], f"<{open_element[0]}>")
        raise SourceError(f"{opened} opened here is never closed: the article looks truncated",
                          path=path, line=open_element[1], hint="restore the end of the file, or close it")
    return root, fragment


def read_source(path: Path, *, slug: str, reference: str, max_bytes: int | None = None,
                known: Callable[[bytes], bool] | None = None) -> SourceDocument:
    """Read, decode and parse one source article; SourceError if it cannot be used safely. ``known`` says of
    the bytes read whether this code parsed them before without error (see ``document_from_bytes``)."""
    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise SourceError(f"the article is {size:,} bytes, over the limit of {max_bytes:,}", path=reference,
                              hint="split it, or raise max_source_bytes in l10n.yaml")
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror}", path=reference) from None
    return document_from_bytes(data, path=path, slug=slug, reference=reference,
                               known=known is not None and known(data))


def document_from_bytes(data: bytes, *, path: Path, slug: str, reference: str, known: bool = False) -> SourceDocument:
    """Decode and parse an article's bytes (a fresh tree each call: assembly consumes its tree). ``known``: this
    code parsed the same bytes before without error (a sync's reading of them is kept), so the checks that
    cannot fail on them again (an element left open) are skipped; the tree is the same."""
    text = decode_source(data, path=reference)
    root, fragment = parse_source(text, path=reference, whole=known)
    return SourceDocument(slug=slug, path=path, reference=reference, root=root, fragment=fragment,
                          data=data)


#: Attributes libxml2's HTML serializer treats as URIs (``name`` only on ``<a>``): it percent-encodes
#: their non-ASCII characters and spaces and strips their white space.
_URI_ATTRIBUTES = frozenset({"href", "src", "action"})
#: A value the serializer would change: anything but printable ASCII without the space.
_NOT_URI_SAFE = re.compile(r"[^!-~]")


def _tostring(node: etree._Element | etree._ElementTree) -> bytes:
    """``etree.tostring(method="html")``, with URI attributes written exactly as the source has them.

    Each value the serializer would percent-encode stands in as an ASCII token while the tree is written,
    and is then put back escaped as any other attribute value is (same quotes, same entities).
    """
    root = node.getroot() if isinstance(node, etree._ElementTree) else node
    kept: list[tuple[etree._Element, str, str, bytes]] = []
    for el in root.iter():
        if not isinstance(el.tag, str) or not el.attrib:
            continue
        for name, value in el.attrib.items():
            if (name in _URI_ATTRIBUTES or (name == "name" and el.tag == "a")) and _NOT_URI_SAFE.search(value):
                kept.append((el, name, value, f"l10n-uri-{len(kept)}-l10n".encode()))
    if not kept:
        return etree.tostring(node, method="html", encoding="utf-8")
    for el, name, _, token in kept:
        el.set(name, token.decode())
    try:
        out = etree.tostring(node, method="html", encoding="utf-8")
    finally:
        for el, name, value, _ in kept:
            el.set(name, value)
    for _, _, value, token in kept:
        written = etree.tostring(etree.Element("i", title=value), method="html", encoding="utf-8")
        out = out.replace(b'"' + token + b'"', written[len(b"<i title="):-len(b"></i>")], 1)
    return out


def serialize(doc: SourceDocument) -> bytes:
    """The document as UTF-8 HTML (a fragment without the wrapper the parser added), attribute values as
    the source has them."""
    if not doc.fragment:
        return _tostring(doc.root.getroottree()) + b"\n"
    parts: list[bytes] = []
    before = doc.root.getprevious()
    while before is not None:  # comments before the first element sit outside the wrapper
        parts.insert(0, etree.tostring(before, method="html", encoding="utf-8", with_tail=False))
        before = before.getprevious()
    for name in ("head", "body"):  # <meta>, <link>, <title> before the first block went to the head
        wrapper = doc.root.find(name)
        if wrapper is not None:
            out = _tostring(wrapper)
            start, end = f"<{name}>".encode(), f"</{name}>".encode()
            parts.append(out[len(start):-len(end)] if out.startswith(start) and out.endswith(end) else out)
    inner = b"".join(parts).strip(b"\n")
    return inner + b"\n" if inner else b""


def _compile(selectors: tuple[str, ...] | str) -> list[CSSSelector]:
    if isinstance(selectors, str):
        selectors = (selectors,)
    return [CSSSelector(s, translator="html") for s in selectors if s.strip()]


def matching(root: etree._Element, selectors: tuple[str, ...] | str) -> set[etree._Element]:
    """The elements of a tree that any of the CSS selectors matches."""
    return _matches(root, _compile(selectors))


def _matches(root: etree._Element, selectors: list[CSSSelector]) -> set[etree._Element]:
    found: set[etree._Element] = set()
    for selector in selectors:
        found.update(selector(root))
    return found


def block_elements(root: etree._Element) -> set[etree._Element]:
    """Elements that act as blocks: not inline, or inline but holding a block (``<a><div>``)."""
    blocks: set[etree._Element] = set()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag not in INLINE_TAGS:
            blocks.add(el)
            parent = el.getparent()
            while parent is not None and parent not in blocks:
                blocks.add(parent)
                parent = parent.getparent()
    return blocks


#: Unicode script names (the first word of a character's name) -> ISO 15924 codes, for the scripts a
#: source article may hold a passage in.
_SCRIPT_CODES = {"LATIN": "Latn", "HANGUL": "Hang", "CJK": "Hani", "HIRAGANA": "Hira", "KATAKANA": "Kana",
                 "ARABIC": "Arab", "CYRILLIC": "Cyrl", "GREEK": "Grek", "HEBREW": "Hebr", "DEVANAGARI": "Deva",
                 "THAI": "Thai", "BENGALI": "Beng", "TAMIL": "Taml", "GEORGIAN": "Geor", "ARMENIAN": "Armn",
                 "ETHIOPIC": "Ethi"}
#: Scripts a language's usual script code stands for (Japanese writes Han and both kanas; Korean Hangul and Han).
_SCRIPT_SETS = {"Jpan": frozenset({"Hani", "Hira", "Kana"}), "Kore": frozenset({"Hang", "Hani"}),
                "Hans": frozenset({"Hani"}), "Hant": frozenset({"Hani"})}


def language_scripts(language: str) -> frozenset[str]:
    """The ISO 15924 scripts a language is usually written in (CLDR's likely subtags, via babel)."""
    from babel.core import get_global

    code = language.replace("-", "_").split("_")[0].lower()
    likely = get_global("likely_subtags").get(code, "")
    parts = likely.split("_")
    script = parts[1] if len(parts) > 1 and len(parts[1]) == 4 else "Latn"
    return _SCRIPT_SETS.get(script, frozenset({script}))


def letter_scripts(text: str) -> dict[str, int]:
    """How many letters of each script a text has (ISO 15924 codes; ``Zyyy`` for letters of other scripts)."""
    counts: dict[str, int] = {}
    if text.isascii():  # the common case: Latin letters only (their count is all that is asked)
        latin = sum(1 for char in text if char.isalpha())
        return {"Latn": latin} if latin else counts
    for char in text:
        if char.isalpha():
            script = _script_of(char)
            counts[script] = counts.get(script, 0) + 1
    return counts


@lru_cache(maxsize=4096)
def _script_of(letter: str) -> str:
    """The script of a letter, from its Unicode name (``HANGUL SYLLABLE GA``: ``Hang``)."""
    import unicodedata

    name = unicodedata.name(letter, "")
    if name.startswith(("HALFWIDTH KATAKANA", "KATAKANA-HIRAGANA")):
        return "Kana"
    return _SCRIPT_CODES.get(name.split(" ")[0], "Zyyy")


@dataclass(frozen=True, slots=True)
class ForeignRun:
    """Source text in another script than the source language's, without a ``lang``: not a unit."""

    line: int | None
    scripts: tuple[str, ...]       #: its scripts, most letters first (``("Hang",)``)
    text: str


def meta_role(meta: etree._Element) -> Role | None:
    """The role of a ``<meta>`` whose content is translated (description, link previews), or None."""
    key = (meta.get("property") or meta.get("name") or "").strip().lower()
    return META_ROLES.get(key)


@dataclass(frozen=True, slots=True)
class _Inherited:
    """What an element passes down to the elements inside it."""

    disclaimer: etree._Element | None = None   #: the disclaimer block it is in
    context: str | None = None                 #: ``data-l10n-context``
    notes: tuple[str, ...] = ()                #: ``data-l10n-note`` / ``its-loc-note``, outermost first


#: What :meth:`_SlotCollector.special` finds: (the count phrase, its number, None) or (None, None, the date).
_Special = tuple[CountPhrase | None, int | None, date | None]


def collect_slots(doc: SourceDocument, policy: SegmentPolicy, *,
                  foreign: list[ForeignRun] | None = None) -> list[Slot]:
    """Every translation slot of the document, in document order.

    A run whose letters are all in other scripts than the source language's (a Korean line in an English
    page, not marked ``lang="ko"``) is not a unit: it passes to the output unchanged, and is added to
    ``foreign`` when a list is given (``l10n check`` reports it).
    """
    collector = _SlotCollector(doc, policy, foreign)
    collector.walk(doc.root, _Inherited(), 0)
    return collector.slots


class _SlotCollector:
    """One traversal of a document for :func:`collect_slots`: the policy's answers for this tree, the slots
    found so far, and one method per concern, in the order the traversal meets them."""

    def __init__(self, doc: SourceDocument, policy: SegmentPolicy, foreign: list[ForeignRun] | None) -> None:
        self.doc, self.policy, self.foreign = doc, policy, foreign
        self.own_scripts = language_scripts(policy.source_language)
        self.latin_source = "Latn" in self.own_scripts
        self.ignored = _matches(doc.root, _compile(policy.ignore_selectors))
        self.disclaimers = _matches(doc.root, _compile(policy.disclaimer_selector))
        self.source_language = policy.source_language.split("-")[0].lower()
        self.blocks = block_elements(doc.root)
        self.slots: list[Slot] = []

    # ---- blocks and runs ----

    def walk(self, el: etree._Element, inh: _Inherited, depth: int) -> None:
        """The slots of ``el`` and everything inside it: its attributes, then each run of inline content
        between its nested blocks, each nested block in its place (``<head>`` and JSON-LD apart)."""
        if isinstance(el.tag, str) and is_jsonld(el):
            self.structured_data(el)
            return
        if not isinstance(el.tag, str) or self.skipped(el):
            return
        if depth > MAX_DEPTH:
            raise SourceError(f"elements nested deeper than {MAX_DEPTH} levels", path=self.doc.reference,
                              line=el.sourceline)
        if el.tag == "head":
            self.head(el)
            return
        inh = self.inherited(el, inh)
        if self.add_special(el, inh):
            return
        self.attributes(el, inh)
        role = Role.DISCLAIMER if inh.disclaimer is not None else ROLE_BY_TAG.get(el.tag, Role.BLOCK)
        lead: etree._Element | None = None
        nodes: list[etree._Element] = []
        for child in el:
            if child in self.blocks:
                self.run(el, lead, nodes, inh, role)
                self.walk(child, inh, depth + 1)
                lead, nodes = child, []
            else:
                nodes.append(child)
        self.run(el, lead, nodes, inh, role)

    def run(self, block: etree._Element, lead: etree._Element | None, nodes: list[etree._Element],
            inh: _Inherited, role: Role) -> None:
        """The run of ``block`` that starts after the nested block ``lead`` (or at the block's start) and
        holds ``nodes``: a slot if it has text to translate, then the attributes of its inline elements."""
        start = lead.tail if lead is not None else block.text
        if (not start or start.isspace()) and all(not isinstance(n.tag, str) for n in nodes) and not any(
                n.tail and not n.tail.isspace() for n in nodes):
            return  # only white space (and comments) between two blocks: nothing to translate
        run = encode_run(start, nodes, passthrough=self.passthrough)
        line = lead.sourceline if lead is not None else block.sourceline
        foreign = self.foreign_run(run, line)
        if foreign is not None:
            if self.foreign is not None:
                self.foreign.append(foreign)
        elif run.translatable:
            notes = inh.notes + tuple(n for n in run.notes if n not in inh.notes)
            self.slots.append(Slot("run", block, run, role, line, lead=lead, nodes=list(nodes),
                                   context=inh.context, notes=notes, disclaimer=inh.disclaimer))
        self.inline_attributes(nodes, inh)

    def foreign_run(self, run: EncodedRun, line: int | None) -> ForeignRun | None:
        """The run as a :class:`ForeignRun` if all its letters are in other scripts than the source
        language's, else None."""
        if not run.translatable or run.msgid.isascii():
            return None
        text = strip_tokens(run.msgid)
        if self.latin_source and _ASCII_LETTER.search(text):
            return None  # a Latin letter, in the source language's script: no need to count the others
        scripts = letter_scripts(text)
        if not scripts or self.own_scripts & set(scripts):
            return None
        return ForeignRun(line, tuple(sorted(scripts, key=lambda k: -scripts[k])), run.msgid)

    # ---- ignored regions ----

    def skipped(self, el: etree._Element) -> bool:
        """Whether ``el`` passes to the output unchanged: a skipped tag, ``translate="no"``, another
        language's ``lang``, or matched by ``ignore_selectors``."""
        if el.tag in SKIPPED_TAGS and el.tag != "head":
            return True
        if el.get("translate", "").strip().lower() == "no" or el in self.ignored:
            return True
        lang = el.get("lang")
        return lang is not None and el.tag != "html" and lang.split("-")[0].lower() != self.source_language

    def passthrough(self, el: etree._Element) -> bool | str:
        """Whether an inline element of a run travels untranslated, as :func:`encode_run` asks: True, or for
        a date or a count phrase the note that describes its placeholder to translators."""
        if self.skipped(el):
            return True
        found = self.special(el)
        if found is None:
            return False
        phrase, count, when = found
        if when is not None:
            return f"date, written by the build in the reader's format (here: {when.isoformat()})"
        assert phrase is not None  # not a date, so a count phrase
        content = text_content(el)
        return f"\u201c{normalize_space(content)}\u201d, translated in its own entry {phrase.msgid!r}"

    # ---- disclaimer regions, context and notes ----

    def inherited(self, el: etree._Element, inh: _Inherited) -> _Inherited:
        """What ``el`` passes down: the disclaimer block it opens or is in, its context, the notes so far."""
        note = el.get("data-l10n-note") or el.get("its-loc-note")
        return _Inherited(
            disclaimer=el if el in self.disclaimers and inh.disclaimer is None else inh.disclaimer,
            context=el.get("data-l10n-context", inh.context) or None,
            notes=inh.notes + ((normalize_space(note),) if note else ()),
        )

    # ---- counts and dates ----

    def special(self, el: etree._Element) -> _Special | None:
        """A count phrase or a formatted date: written by the build, not as a run of text."""
        if self.policy.format_dates and el.tag == "time" and el.get("datetime"):
            try:
                return (None, None, date.fromisoformat(el.get("datetime", "").strip()[:10]))
            except ValueError:
                pass
        if self.policy.count_phrases and len(el) == 0:
            text = normalize_space(el.text or "")
            for phrase in self.policy.count_phrases:
                count = phrase.match(text)
                if count is not None:
                    return (phrase, count, None)
        return None

    def add_special(self, el: etree._Element, inh: _Inherited) -> bool:
        """Add the slot of ``el`` if it is a count phrase or a date (see :meth:`special`); whether it was."""
        found = self.special(el)
        if found is None:
            return False
        phrase, count, when = found
        kind = "date" if when is not None else "count"
        self.slots.append(Slot(kind, el, EncodedRun(msgid=phrase.msgid if phrase else ""), Role.COUNT_PHRASE,
                               el.sourceline, context=inh.context, notes=inh.notes, disclaimer=inh.disclaimer,
                               count=count, phrase=phrase, date=when))
        return True

    # ---- attributes ----

    def attributes(self, el: etree._Element, inh: _Inherited) -> None:
        """The slots of ``el``'s :data:`TRANSLATABLE_ATTRIBUTES` (``alt``, ``title``) that hold text."""
        tag = cast(str, el.tag)  # an element's: a parsed tag name is a str
        for attr in TRANSLATABLE_ATTRIBUTES.get(tag, ()):
            value = el.get(attr)
            if value and normalize_space(value):
                run = encode_run(value, [], passthrough=self.skipped)
                if run.translatable:
                    role = Role.DISCLAIMER if inh.disclaimer is not None else ATTRIBUTE_ROLES[(tag, attr)]
                    self.slots.append(Slot("attr", el, run, role, el.sourceline, attr=attr, context=inh.context,
                                           notes=inh.notes, disclaimer=inh.disclaimer))

    def inline_attributes(self, nodes: list[etree._Element], inh: _Inherited) -> None:
        """The attribute, count and date slots of a run's inline elements and of everything inside them."""
        for node in nodes:
            if isinstance(node.tag, str) and not self.skipped(node):
                for el in node.iter():
                    if isinstance(el.tag, str) and not self.add_special(el, inh):
                        self.attributes(el, inh)

    # ---- title and meta ----

    def head(self, el: etree._Element) -> None:
        """The slots of ``<head>``: ``<title>``, the ``<meta>`` of :data:`META_ROLES`, JSON-LD scripts."""
        for child in el:
            if isinstance(child.tag, str) and is_jsonld(child):
                self.structured_data(child)
                continue
            if not isinstance(child.tag, str) or self.skipped(child):
                continue
            if child.tag == "title" and child.text and normalize_space(child.text):
                run = encode_run(child.text, [], passthrough=self.skipped)
                if run.translatable:
                    self.slots.append(Slot("text", child, run, Role.TITLE, child.sourceline))
            elif child.tag == "meta" and (role := meta_role(child)) is not None:
                value = child.get("content", "")
                run = encode_run(value, [], passthrough=self.skipped)
                if run.translatable:
                    self.slots.append(Slot("attr", child, run, role, child.sourceline, attr="content"))

    # ---- JSON-LD ----

    def structured_data(self, el: etree._Element) -> None:
        """The texts of a JSON-LD script, one slot each (a script that is not valid JSON stays as it is)."""
        if el.get("translate", "").strip().lower() == "no" or el in self.ignored or not self.policy.jsonld_fields:
            return
        try:
            data = json.loads(el.text or "")
        except ValueError:
            return
        for path, value in jsonld_texts(data, self.policy.jsonld_fields):
            run = encode_run(value, [], passthrough=self.skipped)
            if run.translatable:
                self.slots.append(Slot("jsonld", el, run, Role.STRUCTURED_DATA, el.sourceline, json_path=path,
                                       notes=(f"JSON-LD {json_path_text(path)}",)))


def segment_units(doc: SourceDocument, policy: SegmentPolicy) -> list[Unit]:
    """The article's units, in document order (duplicates included; the catalog merges them)."""
    return units_of(collect_slots(doc, policy))


def units_of(slots: list[Slot]) -> list[Unit]:
    """The units of already collected slots, in their order."""
    return [unit for slot in slots if (unit := slot.unit()) is not None]
