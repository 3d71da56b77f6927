"""Write a vendor hand-off (the PO that ``l10n export`` makes) as XLIFF 2.1 or XLIFF 1.2.

Each PO entry is one unit (XLIFF 2) or trans-unit (1.2): its source and target with the inline codes of
:mod:`.codes` as the standard's elements, its ``#.`` comment and translator comment as notes, its context,
its references, and its state. A plural entry is a group with one unit per plural form of the language.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Callable

from lxml import etree

from pipeline import __version__
from pipeline.po.model import Catalog, Entry, State
from pipeline.xliff.codes import (
    Code,
    CodeMismatch,
    Item,
    Span,
    described_placeholders,
    match_target,
    parse_source,
    stray_tokens,
)

XLIFF2_NS = "urn:oasis:names:tc:xliff:document:2.0"
XLIFF1_NS = "urn:oasis:names:tc:xliff:document:1.2"
XML_NS = "http://www.w3.org/XML/1998/namespace"
VERSIONS = ("2.1", "1.2")
#: The unit type of a plural group (XLIFF 2), the restype of one (1.2, as Translate Toolkit writes it).
PLURAL_TYPE, PLURAL_RESTYPE = "l10n:plural", "x-gettext-plurals"
#: 1.2 context-type of an entry's msgctxt (the OASIS representation guide for PO, Translate Toolkit).
MSGCTXT_CONTEXT = "x-po-msgctxt"

#: XLIFF 2 ``type`` of a paired code by the placeholder's name.
_TYPES = {"a": "link", "img": "image", "q": "quote"}
#: XLIFF 1.2 ``ctype`` by placeholder name.
_CTYPES = {"b": "bold", "i": "italic", "u": "underlined", "a": "link", "br": "lb", "img": "image"}


#: XLIFF 2 segment state by entry state (approved, ``final``, is never written: the project keeps no
#: record of reviews).
STATE2 = {State.UNTRANSLATED: "initial", State.FUZZY: "translated", State.FINISHED: "reviewed"}
#: XLIFF 1.2 target state by entry state.
STATE1 = {State.FUZZY: "needs-review-translation", State.FINISHED: "translated"}


def _base(name: str) -> str:
    return re.sub(r"\d+$", "", name)


def _placeholder_name(code: Code) -> str:
    return code.start.strip("</>")


def source_codes(entry: Entry, text: str) -> tuple[list[Item], list[Code]]:
    """The tree and codes of an entry's source text (its placeholders as its comment describes them)."""
    return parse_source(text, described=described_placeholders(entry.comment),
                        variables="python-format" in entry.flags)


def plural_examples(expression: str, nplurals: int) -> dict[int, list[int]]:
    """Form -> a few counts that use it, for a Plural-Forms expression (``n == 1 ? 0 : 1``)."""
    try:
        plural: Callable[[int], int] = gettext.c2py(expression)
    except (ValueError, SyntaxError):
        return {}
    found: dict[int, list[int]] = {i: [] for i in range(nplurals)}
    for n in range(0, 1001):
        form = plural(n)
        if form in found and len(found[form]) < 4:
            found[form].append(n)
    return found


def _plural_info(po: Catalog) -> tuple[int, str]:
    nplurals, expression = po.nplurals, po.plural_expression
    return (nplurals if nplurals is not None else 2), (expression if expression is not None else "n != 1")


def _notes(entry: Entry) -> list[tuple[str, str]]:
    """(category, text) notes of an entry: comment, translator comment, context, references, previous."""
    notes: list[tuple[str, str]] = []
    if entry.comment:
        notes.append(("developer", entry.comment))
    if entry.tcomment:
        notes.append(("translator", entry.tcomment))
    if entry.msgctxt:
        notes.append(("context", entry.msgctxt))
    for path, line in entry.occurrences:
        notes.append(("location", f"{path}:{line}" if line else path))
    if entry.fuzzy and entry.previous_msgid:
        notes.append(("previous-source", entry.previous_msgid))
    return notes


def _target_tree(text: str, codes: list[Code], source: str) -> tuple[list[Item] | None, str | None]:
    """The target tree of a translation, or None and a note when its codes do not match the source's
    (it would not import back: see :mod:`.read`)."""
    try:
        tree = match_target(text, codes)
        typed = stray_tokens(text, codes, source)
        if typed:
            raise CodeMismatch(", ".join(typed) + " not in the source")
    except CodeMismatch as exc:
        return None, (f"The current translation does not keep this text's codes ({exc}), so it is not "
                      f"offered as the target; translate anew. It reads: {text}")
    return tree, None


class _Writer:
    """Shared walk over a hand-off PO; subclasses write one XLIFF version."""

    def __init__(self, po: Catalog, *, source_language: str, target_language: str, original: str) -> None:
        self.po = po
        self.source_language = source_language
        self.target_language = target_language
        self.original = original
        self.nplurals, self.plural_expr = _plural_info(po)

    def forms(self, entry: Entry) -> list[tuple[str, str, str]]:
        """(form source, form translation, note) for each plural form of a plural entry."""
        examples = plural_examples(self.plural_expr, self.nplurals)
        out = []
        for i in range(self.nplurals):
            source = entry.msgid if i == 0 else entry.msgid_plural
            counts = ", ".join(map(str, examples.get(i, []))) or "none below 1000"
            note = (f"plural form {i} of {self.nplurals} for {self.target_language} "
                    f"(Plural-Forms: plural={self.plural_expr}); used for counts such as {counts}")
            out.append((source, entry.msgstr_plural.get(i, ""), note))
        return out


def _indent(element: etree._Element, level: int, structural: frozenset[str]) -> None:
    """Pretty-print structural elements only: text inside sources, targets and notes is never touched."""
    children = [c for c in element if isinstance(c.tag, str)]
    if not children or etree.QName(element).localname not in structural:
        return
    pad = "\n" + "  " * (level + 1)
    element.text = pad
    for child in children:
        _indent(child, level + 1, structural)
        child.tail = pad
    children[-1].tail = "\n" + "  " * level


class Xliff2Writer(_Writer):
    """XLIFF 2.1: ``<pc>`` for paired codes, ``<ph>`` for void ones, protected ``<ph>`` for citations."""

    STRUCTURAL = frozenset({"xliff", "file", "group", "unit", "notes", "originalData", "segment"})

    def q(self, name: str) -> str:
        """An element name in the XLIFF 2 namespace."""
        return f"{{{XLIFF2_NS}}}{name}"

    def write(self) -> bytes:
        """The document."""
        root = etree.Element(self.q("xliff"), nsmap={None: XLIFF2_NS}, version="2.1",
                             srcLang=self.source_language, trgLang=self.target_language)
        file = etree.SubElement(root, self.q("file"), {"id": "f1", "original": self.original,
                                                       f"{{{XML_NS}}}space": "preserve"})
        if self.po.header:
            notes = etree.SubElement(file, self.q("notes"))
            note = etree.SubElement(notes, self.q("note"), category="header")
            note.text = self.po.header
        units = 0
        for number, entry in enumerate(iter(self.po), 1):
            if entry.obsolete:
                continue
            units += 1
            if entry.msgid_plural:
                self.plural(file, entry, number)
            else:
                self.unit(file, f"u{number}", entry, entry.msgid, entry.msgstr, _notes(entry))
        if not units:   # a file holds at least one unit or group: an empty hand-off has an empty group
            etree.SubElement(file, self.q("group"), id="empty", name="nothing to translate")
        _indent(root, 0, self.STRUCTURAL)
        return etree.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"

    def plural(self, file: etree._Element, entry: Entry, number: int) -> None:
        """A plural entry as a group with the entry's notes and one unit per plural form."""
        attrs = {"id": f"p{number}", "type": PLURAL_TYPE}
        if entry.msgctxt:
            attrs["name"] = entry.msgctxt
        group = etree.SubElement(file, self.q("group"), attrs)
        notes = etree.SubElement(group, self.q("notes"))
        for category, text in _notes(entry):
            note = etree.SubElement(notes, self.q("note"), category=category)
            note.text = text
        for i, (source, translation, form_note) in enumerate(self.forms(entry)):
            self.unit(group, f"p{number}-{i}", entry, source, translation, [("plural-form", form_note)],
                      plural=True)

    def unit(self, parent: etree._Element, unit_id: str, entry: Entry, source: str, translation: str,
             notes: list[tuple[str, str]], *, plural: bool = False) -> None:
        """One unit: notes, the codes' original data, a segment with its state, source and target."""
        attrs = {"id": unit_id}
        if entry.msgctxt and not plural:
            attrs["name"] = entry.msgctxt
        unit = etree.SubElement(parent, self.q("unit"), attrs)
        tree, codes = source_codes(entry, source)
        state = entry.state
        target_tree, problem = (None, None)
        if state and translation:
            target_tree, problem = _target_tree(translation, codes, source)
        if problem:
            notes = notes + [("l10n", problem)]
            state = State.UNTRANSLATED
        if notes:
            box = etree.SubElement(unit, self.q("notes"))
            for category, text in notes:
                note = etree.SubElement(box, self.q("note"), category=category)
                note.text = text
        if codes:
            data = etree.SubElement(unit, self.q("originalData"))
            for code in codes:
                etree.SubElement(data, self.q("data"), id=f"d{code.id}").text = code.start
                if code.end:
                    etree.SubElement(data, self.q("data"), id=f"d{code.id}e").text = code.end
        segment = etree.SubElement(unit, self.q("segment"), state=STATE2[state])
        self.inline(etree.SubElement(segment, self.q("source")), tree)
        if target_tree is not None:
            self.inline(etree.SubElement(segment, self.q("target")), target_tree)

    def inline(self, element: etree._Element, items: list[Item]) -> None:
        """Append a tree of text and codes to a source or target as ``<pc>`` and ``<ph>``."""
        last: etree._Element | None = None
        for item in items:
            if isinstance(item, str):
                if last is None:
                    element.text = (element.text or "") + item
                else:
                    last.tail = (last.tail or "") + item
                continue
            code = item.code
            if isinstance(item, Span):
                name = _placeholder_name(code)
                last = etree.SubElement(element, self.q("pc"), {
                    "id": code.id, "canCopy": "no", "canDelete": "no", "dataRefStart": f"d{code.id}",
                    "dataRefEnd": f"d{code.id}e", "dispStart": code.start, "dispEnd": code.end,
                    "type": _TYPES.get(_base(name), "fmt")})
                self.inline(last, item.children)
            else:
                attrs = {"id": code.id, "canCopy": "no", "canDelete": "no", "dataRef": f"d{code.id}",
                         "disp": code.start}
                if code.kind in ("marker", "var"):
                    attrs["equiv"] = code.start
                    attrs["type"] = "other"
                    attrs["subType"] = "l10n:citation" if code.kind == "marker" else "l10n:variable"
                else:
                    attrs["type"] = "image" if _base(_placeholder_name(code)) == "img" else "fmt"
                last = etree.SubElement(element, self.q("ph"), attrs)


class Xliff1Writer(_Writer):
    """XLIFF 1.2: ``<bpt>``/``<ept>`` around paired text, ``<ph>`` for void codes and citations, each with the
    catalog's token as its native code, so a plain-text reader sees the same text as the PO."""

    STRUCTURAL = frozenset({"xliff", "file", "header", "body", "group", "trans-unit", "context-group"})

    def q(self, name: str) -> str:
        """An element name in the XLIFF 1.2 namespace."""
        return f"{{{XLIFF1_NS}}}{name}"

    def write(self) -> bytes:
        """The document."""
        root = etree.Element(self.q("xliff"), nsmap={None: XLIFF1_NS}, version="1.2")
        file = etree.SubElement(root, self.q("file"), {
            "original": self.original, "source-language": self.source_language,
            "target-language": self.target_language, "datatype": "plaintext", f"{{{XML_NS}}}space": "preserve"})
        header = etree.SubElement(file, self.q("header"))
        etree.SubElement(header, self.q("tool"), {"tool-id": "l10n", "tool-name": "l10n",
                                                  "tool-version": __version__})
        if self.po.header:
            etree.SubElement(header, self.q("note"), {"from": "l10n"}).text = self.po.header
        body = etree.SubElement(file, self.q("body"))
        for number, entry in enumerate(iter(self.po), 1):
            if entry.obsolete:
                continue
            if entry.msgid_plural:
                group = etree.SubElement(body, self.q("group"), id=f"p{number}", restype=PLURAL_RESTYPE)
                for i, (source, translation, note) in enumerate(self.forms(entry)):
                    self.unit(group, f"p{number}[{i}]", entry, source, translation, extra=note)
            else:
                self.unit(body, str(number), entry, entry.msgid, entry.msgstr)
        _indent(root, 0, self.STRUCTURAL)
        return etree.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"

    def unit(self, parent: etree._Element, unit_id: str, entry: Entry, source: str, translation: str,
             *, extra: str | None = None) -> None:
        """One trans-unit: source, target with its state, notes, references and context."""
        unit = etree.SubElement(parent, self.q("trans-unit"), id=unit_id)
        tree, codes = source_codes(entry, source)
        state = entry.state
        target_tree, problem = (None, None)
        if state and translation:
            target_tree, problem = _target_tree(translation, codes, source)
        if problem:
            state = State.UNTRANSLATED
        if state:
            unit.set("approved", "yes" if state is State.FINISHED else "no")
        self.inline(etree.SubElement(unit, self.q("source")), tree)
        if target_tree is not None:
            target = etree.SubElement(unit, self.q("target"), state=STATE1[state])
            self.inline(target, target_tree)
        for category, text in _notes(entry) + ([("plural-form", extra)] if extra else []) + (
                [("l10n", problem)] if problem else []):
            if category == "location":
                continue
            origin = {"developer": "developer", "translator": "translator"}.get(category, "l10n")
            prefix = "" if category in ("developer", "translator") else f"{category}: "
            etree.SubElement(unit, self.q("note"), {"from": origin}).text = prefix + text
        for path, line in entry.occurrences:
            group = etree.SubElement(unit, self.q("context-group"), purpose="location")
            etree.SubElement(group, self.q("context"), {"context-type": "sourcefile"}).text = path
            if line:
                etree.SubElement(group, self.q("context"), {"context-type": "linenumber"}).text = str(line)
        if entry.msgctxt:
            group = etree.SubElement(unit, self.q("context-group"), name="po-entry", purpose="information")
            etree.SubElement(group, self.q("context"), {"context-type": MSGCTXT_CONTEXT}).text = entry.msgctxt

    def inline(self, element: etree._Element, items: list[Item]) -> None:
        """Append a tree of text and codes to a source or target as ``<bpt>``/``<ept>`` and ``<ph>``."""
        last: list[etree._Element | None] = [None]

        def add_text(text: str) -> None:
            if last[0] is None:
                element.text = (element.text or "") + text
            else:
                last[0].tail = (last[0].tail or "") + text

        def add(tag: str, attrs: dict[str, str], native: str) -> None:
            node = etree.SubElement(element, self.q(tag), attrs)
            node.text = native
            last[0] = node

        def visit(items: list[Item]) -> None:
            for item in items:
                if isinstance(item, str):
                    add_text(item)
                elif isinstance(item, Span):
                    ctype = _CTYPES.get(_base(_placeholder_name(item.code)), f"x-{_placeholder_name(item.code)}")
                    add("bpt", {"id": item.code.id, "ctype": ctype}, item.code.start)
                    visit(item.children)
                    add("ept", {"id": item.code.id}, item.code.end)
                else:
                    code = item.code
                    if code.kind == "marker":
                        ctype = "x-citation"
                    elif code.kind == "var":
                        ctype = "x-variable"
                    else:
                        name = _base(_placeholder_name(code))
                        ctype = _CTYPES.get(name, f"x-{name}")
                    add("ph", {"id": code.id, "ctype": ctype, "equiv-text": code.start}, code.start)

        visit(items)


def write_xliff(po: Catalog, *, version: str, source_language: str, target_language: str,
                original: str) -> bytes:
    """A hand-off PO (see :func:`pipeline.po.handoff.export_catalog`) as an XLIFF ``version`` document."""
    writer = Xliff2Writer if version.startswith("2") else Xliff1Writer
    return writer(po, source_language=source_language, target_language=target_language,
                  original=original).write()

