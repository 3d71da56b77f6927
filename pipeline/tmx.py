"""TMX 1.4b, the exchange format CAT tools read: write a memory out, read one in."""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from . import __version__
from .errors import ParseError
from .memory import MemoryEntry

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def write_tmx(entries: Iterable[MemoryEntry], *, source_language: str, target_language: str) -> bytes:
    """A TMX document with one translation unit per entry (placeholders and markers as plain text)."""
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
        for language, text in ((source_language, entry.msgid), (target_language, entry.msgstr)):
            variant = etree.SubElement(unit, "tuv", {XML_LANG: language})
            seg = etree.SubElement(variant, "seg")
            seg.text = text
    doctype = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True, doctype=doctype)


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
        raise ParseError(f"not a TMX file (root element <{root.tag}>)", path=path, line=root.sourceline)
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
            text = "".join(seg.itertext())
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
