"""TMX 1.4b, the exchange format CAT tools read: write a memory out, read one in.

Placeholders, citation markers and ``%(count)d`` travel as TMX inline codes (``<bpt>``/``<ept>`` around
paired text, ``<ph>`` for the rest), each holding the catalog's token as its native code, so a CAT tool's
memory matches them as tags and a reader of the segment's text gets the catalog's text back.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from pipeline import __version__
from pipeline.core.errors import ParseError
from pipeline.memory.store import MemoryEntry
from pipeline.xliff.codes import CodeMismatch, Item, Span, match_target, parse_source

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def write_tmx(entries: Iterable[MemoryEntry], *, source_language: str, target_language: str) -> bytes:
    """A TMX document with one translation unit per entry (placeholders and markers as inline codes)."""
    root = etree.Element("tmx", version="1.4")
    etree.SubElement(root, "header", {
        "creationtool": "l10n", "creationtoolversion": __version__, "datatype": "plaintext",
        "segtype": "block", "adminlang": "en", "srclang": source_language, "o-tmf": "PO",
    })
    body = etree.SubElement(root, "body")
    for entry in entries:
        if not entry.msgstr:
            continue
        unit = etree.SubElement(body, "tu")
        if entry.msgctxt:
            prop = etree.SubElement(unit, "prop", type="x-context")
            prop.text = entry.msgctxt
        if entry.origin:
            note = etree.SubElement(unit, "note")
            note.text = entry.origin
        tree, codes = parse_source(entry.msgid, variables="%(" in entry.msgid)
        try:
            target = match_target(entry.msgstr, codes)
        except CodeMismatch:      # a translation that lost a code: its text as it is
            target = [entry.msgstr]
        for language, items in ((source_language, tree), (target_language, target)):
            variant = etree.SubElement(unit, "tuv", {XML_LANG: language})
            _fill_seg(etree.SubElement(variant, "seg"), items)
    doctype = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True, doctype=doctype)


#: TMX ``type`` of a code by placeholder name.
_TYPES = {"b": "bold", "i": "italic", "u": "ulined", "a": "link", "br": "lb", "img": "image"}


def _fill_seg(seg: etree._Element, items: list[Item]) -> None:
    """A segment's content: text, and each code as ``<bpt>``/``<ept>`` or ``<ph>`` holding its token."""
    last: list[etree._Element | None] = [None]

    def add(tag: str, attrs: dict[str, str], native: str) -> None:
        node = etree.SubElement(seg, tag, attrs)
        node.text = native
        last[0] = node

    def visit(items: list[Item]) -> None:
        for item in items:
            if isinstance(item, str):
                if last[0] is None:
                    seg.text = (seg.text or "") + item
                else:
                    last[0].tail = (last[0].tail or "") + item
                continue
            code = item.code
            name = code.start.strip("</>").rstrip("0123456789")
            if isinstance(item, Span):
                add("bpt", {"i": code.id, "type": _TYPES.get(name, f"x-{name}")}, code.start)
                visit(item.children)
                add("ept", {"i": code.id}, code.end)
            else:
                kind = {"marker": "x-citation", "var": "x-variable"}.get(code.kind) or _TYPES.get(name, f"x-{name}")
                add("ph", {"x": code.id, "type": kind}, code.start)

    visit(items)


def seg_text(seg: etree._Element) -> str:
    """A segment's text with its inline codes' native content (``<b>``, ``[3]``) in place; ``<sub>``
    flows inside codes (a link's title, say) are not part of it."""
    parts: list[str] = []

    def visit(node: etree._Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if child.tag != "sub":
                visit(child)
            if child.tail:
                parts.append(child.tail)

    visit(seg)
    return "".join(parts)


def _matches(language: str | None, wanted: str) -> bool:
    if not language:
        return False
    a, b = language.replace("_", "-").lower(), wanted.replace("_", "-").lower()
    return a == b or a.split("-")[0] == b.split("-")[0]


def read_tmx(data: bytes, *, source_language: str, target_language: str, path: str,
             origin: str | None = None) -> list[MemoryEntry]:
    """The (source, target) pairs of a TMX document; ParseError with the line if it is not one, or if no
    unit has a variant in ``target_language`` (a memory for another language). Entries' origin is
    ``origin`` (default ``path``) and the unit's line."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"not a TMX file: {exc.msg}", path=path, line=exc.lineno) from None
    if root.tag != "tmx":
        raise ParseError(f"not a TMX file (root element <{root.tag!s}>)", path=path, line=root.sourceline)
    header = root.find("header")
    srclang = header.get("srclang") if header is not None else None
    entries: list[MemoryEntry] = []
    languages: set[str] = set()
    found_target = False
    for unit in root.iter("tu"):
        texts: dict[str, str] = {}
        for variant in unit.findall("tuv"):
            language = variant.get(XML_LANG) or variant.get("lang")
            if language:
                languages.add(language)
            found_target = found_target or _matches(language, target_language)
            seg = variant.find("seg")
            if seg is None:
                continue
            text = seg_text(seg)
            if _matches(language, source_language) or (language == srclang and "src" not in texts):
                texts.setdefault("src", text)
            elif _matches(language, target_language):
                texts.setdefault("tgt", text)
        if texts.get("src") and texts.get("tgt"):
            context = unit.find("prop[@type='x-context']")
            entries.append(MemoryEntry(context.text if context is not None else None, texts["src"], texts["tgt"],
                                       origin=f"{origin or path}:{unit.sourceline}"))
    if not found_target:
        others = ", ".join(sorted(languages - {srclang or ""}, key=str.lower)) or "none"
        raise ParseError(f"the TMX has no translation into {target_language} (its languages: {others})",
                         path=path, line=root.sourceline,
                         hint="check the file, or import it for the locale it is for")
    return entries
