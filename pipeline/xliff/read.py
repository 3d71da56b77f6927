"""Read a delivered XLIFF (2.x or 1.2) into a PO, so that it is imported by the rules of a PO delivery.

Each unit's source becomes the msgid (its codes written back as the catalog's tokens), its target the
msgstr, and its state the fuzzy flag: a target comes back finished unless its state says it still needs
review (XLIFF 2 ``translated``, which the export writes for fuzzy entries; XLIFF 1.2 ``approved="no"`` or a
``needs-*`` state), as a msgstr filled in without touching the fuzzy flag does in PO. A target's codes must
be its source's: a code dropped, used twice, not in the source or closed out of nesting order refuses the
whole file, naming every such unit, before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from lxml import etree

from pipeline.core.errors import InputErrors, ParseError, PipelineError
from pipeline.po.model import Catalog, Entry
from pipeline.xliff.codes import Code, CodeMismatch, Item, build_tree, code_kind, describe, join, stray_tokens
from pipeline.xliff.write import MSGCTXT_CONTEXT, PLURAL_RESTYPE, PLURAL_TYPE, XLIFF1_NS, XLIFF2_NS

#: XLIFF 1.2 target states whose text is not confirmed.
_UNCONFIRMED_1 = ("new", "needs-translation", "needs-adaptation", "needs-l10n", "needs-review-translation",
                  "needs-review-adaptation", "needs-review-l10n")


@dataclass(slots=True)
class _Read:
    """One unit read from the file."""

    source: str
    target: str | None
    fuzzy: bool
    line: int | None  #: lxml gives None for an element it did not parse


class _Reader:
    """Shared reading of inline content; subclasses know one version's elements."""

    ns = ""

    def __init__(self, path: str) -> None:
        self.path = path
        self.errors: list[PipelineError] = []

    def q(self, name: str) -> str:
        """An element name in this version's namespace."""
        return f"{{{self.ns}}}{name}"

    def local(self, element: etree._Element) -> str:
        """An element's name without its namespace ("" for a comment or processing instruction)."""
        return etree.QName(element).localname if isinstance(element.tag, str) else ""

    def source_events(self, element: etree._Element) -> tuple[str, list[Code], dict[str, Code]]:
        """The catalog text of a source and its codes, by id (tokens from the codes' native data)."""
        raise NotImplementedError

    def unit_text(self, unit: etree._Element, label: str) -> _Read | None:
        """A unit's source, target and state (None for a unit without a source)."""
        raise NotImplementedError

    def target_text(self, element: etree._Element, source: str, codes: dict[str, Code], label: str
                    ) -> str | None:
        """The catalog text of a target; None (and an error recorded) when its codes do not match."""
        events: list[tuple[str, Code | str]] = []
        problems: list[str] = []
        self.walk(element, codes, events, problems)
        if not problems:
            try:
                tree: list[Item] = build_tree(events, list(codes.values()))
            except CodeMismatch as exc:
                problems.append(str(exc))
            else:
                text = join(tree)
                typed = stray_tokens("".join(cast(str, v) for k, v in events if k == "text"), list(codes.values()), source,
                                     codes_in_text=False)
                if not typed:
                    return text
                problems.append(", ".join(typed) + " typed as text: no code of the source is text in the "
                                "target (use the unit's codes)")
        self.errors.append(ParseError(f"{label}: the target's inline codes do not match the source's: "
                                      + "; ".join(problems), path=self.path, line=element.sourceline,
                                      hint="restore the codes as in the source (the CAT tool's tag check "
                                           "shows them), then import again"))
        return None

    def walk(self, element: etree._Element, codes: dict[str, Code], events: list[tuple[str, Code | str]],
             problems: list[str]) -> None:
        """A target's content as events over its source's codes; what cannot be one goes to ``problems``."""
        raise NotImplementedError


def _text_event(events: list[tuple[str, Code | str]], text: str | None) -> None:
    if text:
        events.append(("text", text))


class _Xliff2(_Reader):
    ns = XLIFF2_NS

    def source_events(self, element: etree._Element) -> tuple[str, list[Code], dict[str, Code]]:
        segment = element.getparent()
        assert segment is not None  # a <source> sits in a <segment> of a <unit>
        unit = segment.getparent()
        assert unit is not None
        data = {d.get("id"): "".join(d.itertext()) for d in unit.iter(self.q("data"))}
        parts: list[str] = []
        codes: list[Code] = []
        starts: dict[str, int] = {}

        def visit(node: etree._Element) -> None:
            if node.text:
                parts.append(node.text)
            for child in node:
                name, code_id = self.local(child), child.get("id") or ""
                if name == "pc":
                    start = data.get(child.get("dataRefStart"), child.get("dispStart") or "")
                    end = data.get(child.get("dataRefEnd"), child.get("dispEnd") or "")
                    codes.append(Code(code_id, "pair", start, end))
                    parts.append(start)
                    visit(child)
                    parts.append(end)
                elif name in ("ph", "sc", "ec"):
                    token = data.get(child.get("dataRef"), child.get("disp") or child.get("equiv") or "")
                    parts.append(token)
                    if name == "ph":
                        codes.append(Code(code_id, code_kind(token), token))
                    elif name == "sc":
                        starts[code_id] = len(codes)
                        codes.append(Code(code_id, "pair", token))
                    elif (ref := child.get("startRef")) in starts:
                        begun = codes[starts[ref]]
                        codes[starts[ref]] = Code(begun.id, "pair", begun.start, token)
                elif name == "mrk":
                    visit(child)
                if child.tail:
                    parts.append(child.tail)

        visit(element)
        return "".join(parts), codes, {c.id: c for c in codes}

    def walk(self, element: etree._Element, codes: dict[str, Code], events: list[tuple[str, Code | str]],
             problems: list[str]) -> None:
        _text_event(events, element.text)
        for child in element:
            name = self.local(child)
            ref = child.get("startRef") if name == "ec" and child.get("startRef") else child.get("id")
            code = codes.get(ref) if ref is not None else None
            if name in ("pc", "ph", "sc", "ec"):
                if code is None:
                    problems.append(f"<{name} id={child.get('id') or child.get('startRef')!r}> is no code of "
                                    "the source")
                elif name == "pc" or name == "sc" or name == "ec":
                    if not code.paired:
                        problems.append(f"{describe(code)} is a single code in the source, paired in the target")
                    elif name == "pc":
                        events.append(("start", code))
                        self.walk(child, codes, events, problems)
                        events.append(("end", code))
                    else:
                        events.append(("start" if name == "sc" else "end", code))
                elif code.paired:
                    problems.append(f"{describe(code)} is paired in the source, a single code in the target")
                else:
                    events.append(("mark", code))
            elif name == "mrk":
                self.walk(child, codes, events, problems)
            elif name == "cp":
                events.append(("text", chr(int(child.get("hex", "0"), 16))))
            _text_event(events, child.tail)

    def unit_text(self, unit: etree._Element, label: str) -> _Read | None:
        segments = [s for s in unit if self.local(s) in ("segment", "ignorable")]
        if not segments:
            return None
        sources, targets, fuzzy, has_target = [], [], False, False
        all_codes: dict[str, Code] = {}
        for segment in segments:
            source = segment.find(self.q("source"))
            if source is None:
                continue
            text, _, codes = self.source_events(source)
            sources.append(text)
            all_codes.update(codes)
            target = segment.find(self.q("target"))
            if target is not None and (target.text or len(target)):
                has_target = True
                value = self.target_text(target, text, codes, label)
                targets.append(value if value is not None else "")
                if self.local(segment) == "segment" and segment.get("state", "initial") == "translated":
                    fuzzy = True
            else:
                targets.append(text if self.local(segment) == "ignorable" else "")
        return _Read("".join(sources), "".join(targets) if has_target else None, fuzzy, unit.sourceline)


class _Xliff1(_Reader):
    ns = XLIFF1_NS

    def source_events(self, element: etree._Element) -> tuple[str, list[Code], dict[str, Code]]:
        parts: list[str] = []
        codes: list[Code] = []
        starts: dict[str, int] = {}

        def visit(node: etree._Element) -> None:
            if node.text:
                parts.append(node.text)
            for child in node:
                name, code_id = self.local(child), child.get("id") or ""
                if name in ("bpt", "ept", "ph", "it"):
                    token = "".join(child.itertext())
                    parts.append(token)
                    if name == "bpt":
                        starts[code_id] = len(codes)
                        codes.append(Code(code_id, "pair", token))
                    elif name == "ept" and (ref := child.get("rid") or code_id) in starts:
                        begun = codes[starts[ref]]
                        codes[starts[ref]] = Code(begun.id, "pair", begun.start, token)
                    elif name == "ph":
                        codes.append(Code(code_id, code_kind(token), token))
                elif name in ("g", "mrk"):
                    visit(child)
                if child.tail:
                    parts.append(child.tail)

        visit(element)
        return "".join(parts), codes, {c.id: c for c in codes}

    def walk(self, element: etree._Element, codes: dict[str, Code], events: list[tuple[str, Code | str]],
             problems: list[str]) -> None:
        _text_event(events, element.text)
        for child in element:
            name = self.local(child)
            key = child.get("rid") if name in ("ept", "ex") and child.get("rid") else child.get("id")
            code = codes.get(key or "")
            if name in ("bpt", "ept", "ph", "x", "g", "bx", "ex"):
                single = name in ("ph", "x")
                if code is None:
                    problems.append(f"<{name} id={key!r}> is no code of the source")
                elif single and code.paired:
                    problems.append(f"{describe(code)} is paired in the source, a single code in the target")
                elif not single and not code.paired:
                    problems.append(f"{describe(code)} is a single code in the source, paired in the target")
                elif name == "g":
                    events.append(("start", code))
                    self.walk(child, codes, events, problems)
                    events.append(("end", code))
                else:
                    events.append(("mark" if single else "start" if name in ("bpt", "bx") else "end", code))
            elif name == "mrk":
                self.walk(child, codes, events, problems)
            _text_event(events, child.tail)

    def unit_text(self, unit: etree._Element, label: str) -> _Read | None:
        source = unit.find(self.q("source"))
        if source is None:
            return None
        text, _, codes = self.source_events(source)
        target = unit.find(self.q("target"))
        if target is None or not (target.text or len(target)):
            return _Read(text, None, False, unit.sourceline)
        value = self.target_text(target, text, codes, label)
        state = target.get("state")
        fuzzy = unit.get("approved") == "no" or state in _UNCONFIRMED_1
        return _Read(text, value if value is not None else "", fuzzy, unit.sourceline)


def _parse(data: bytes, path: str) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"not an XLIFF file: {exc.msg}", path=path, line=exc.lineno) from None
    if not isinstance(root.tag, str) or etree.QName(root).localname != "xliff" or \
            etree.QName(root).namespace not in (XLIFF2_NS, XLIFF1_NS):
        raise ParseError(f"not an XLIFF file (root element <{root.tag!s}>, not <xliff> of XLIFF 2 or 1.2)",
                         path=path, line=root.sourceline if isinstance(root.tag, str) else 1)
    return root


def read_xliff(data: bytes, *, path: str) -> Catalog:
    """A delivered XLIFF as a PO delivery (Language from the file's target language, Plural-Forms' nplurals
    from its plural groups); ParseError if it is no XLIFF, InputErrors naming each unit whose target's
    codes do not match its source's."""
    root = _parse(data, path)
    version2 = etree.QName(root).namespace == XLIFF2_NS
    reader: _Reader = _Xliff2(path) if version2 else _Xliff1(path)
    po = Catalog()
    language = root.get("trgLang") if version2 else next(
        (f.get("target-language") for f in root.iter(reader.q("file")) if f.get("target-language")), None)
    po.metadata = {"Language": (language or "").replace("-", "_"), "Content-Type": "text/plain; charset=UTF-8"}
    forms: set[int] = set()
    unit_tag, group_tag = reader.q("unit" if version2 else "trans-unit"), reader.q("group")
    for element in root.iter(unit_tag, group_tag):
        if element.tag == group_tag:
            plural = element.get("type") == PLURAL_TYPE if version2 else element.get("restype") == PLURAL_RESTYPE
            if plural:
                entry = _plural(reader, element, unit_tag, version2)
                if entry is not None:
                    forms.add(len(entry.msgstr_plural))
                    po.append(entry)
            continue
        parent = element.getparent()
        if parent is not None and parent.tag == group_tag and (
                parent.get("type") == PLURAL_TYPE if version2 else parent.get("restype") == PLURAL_RESTYPE):
            continue
        label = f"unit {element.get('id')!r}"
        read = reader.unit_text(element, label)
        if read is None:
            continue
        entry = Entry(msgctxt=_context(reader, element, version2), msgid=read.source, msgstr=read.target or "",
                      linenum=read.line)
        entry.fuzzy = bool(read.fuzzy and read.target)
        po.append(entry)
    if reader.errors:
        raise InputErrors(reader.errors)
    if len(forms) > 1:
        raise ParseError(f"the plural groups have different numbers of forms ({', '.join(map(str, sorted(forms)))})",
                         path=path, line=1, hint="ask for a delivery made from `l10n export`")
    if forms:
        po.metadata["Plural-Forms"] = f"nplurals={forms.pop()};"
    return po


def _context(reader: _Reader, unit: etree._Element, version2: bool) -> str | None:
    if version2:
        return unit.get("name")
    for context in unit.iter(reader.q("context")):
        if context.get("context-type") == MSGCTXT_CONTEXT:
            return context.text or ""
    return unit.get("resname")


def _plural(reader: _Reader, group: etree._Element, unit_tag: str, version2: bool) -> Entry | None:
    units = [u for u in group if u.tag == unit_tag]
    read = [reader.unit_text(u, f"unit {u.get('id')!r}") for u in units]
    if not read or read[0] is None:
        return None
    msgid = read[0].source
    msgid_plural = read[1].source if len(read) > 1 and read[1] is not None else msgid
    context = group.get("name") if version2 else _context(reader, units[0], version2)
    entry = Entry(msgctxt=context, msgid=msgid, msgid_plural=msgid_plural, linenum=group.sourceline,
                  msgstr_plural={i: (r.target or "") if r else "" for i, r in enumerate(read)})
    entry.fuzzy = any(r and r.fuzzy and r.target for r in read)
    return entry
