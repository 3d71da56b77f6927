"""A msgid's inline codes: placeholders, citation markers and ``%(count)d``, as a tree CAT formats can carry.

A catalog's text is plain text with tokens in it (see :mod:`pipeline.text.placeholders`): paired placeholders
``<b>...</b>``, void ones ``<br/>``, citation markers ``[3]`` and, in count phrases, ``%(count)d``. XLIFF and
TMX carry such tokens as inline elements, so a CAT tool shows them as protected tags rather than as words.
:func:`parse_source` turns a msgid into :class:`Code` objects (numbered in order) and a tree of text and code
uses; :func:`match_target` reads a msgstr against those codes; :func:`check_uses` says what is wrong with a
target's codes (one dropped, used twice, unknown, misnested) and :func:`join` writes a tree back as text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Union, cast

from pipeline.text.placeholders import MARKER, TAG_SHAPED

#: ``<b>``, ``</a2>``, ``<br/>``: the shapes of the placeholders the pipeline writes.
_PLACEHOLDER = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)(/?)>")
#: python-format variables of count phrases.
VARIABLE = re.compile(r"%\([A-Za-z_]\w*\)[diouxXeEfFgGcrs]")
#: a ``#.`` comment line describing a placeholder: ``<b> = bold text``
_DESCRIBED = re.compile(r"^(<[A-Za-z][A-Za-z0-9]*/?>) = ", re.M)
_TOKENS = re.compile(f"(?P<tag>{TAG_SHAPED.pattern})|(?P<marker>{MARKER.pattern})|(?P<var>{VARIABLE.pattern})")


@dataclass(frozen=True, slots=True)
class Code:
    """One inline code of a source text: a paired or void placeholder, a citation marker or a variable."""

    id: str        #: ``1``, ``2`` ... in order of appearance in the source
    kind: str      #: ``pair``, ``void``, ``marker`` or ``var``
    start: str     #: the token as the catalog writes it (``<b>``, ``<br/>``, ``[3]``, ``%(count)d``)
    end: str = ""  #: the closing token of a pair (``</b>``)

    @property
    def paired(self) -> bool:
        """Whether it encloses text (``<b>...</b>``)."""
        return self.kind == "pair"


@dataclass(slots=True)
class Span:
    """A paired code and the text it encloses."""

    code: Code
    children: list["Item"] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Mark:
    """A use of a void code: a placeholder, a citation marker or a variable."""

    code: Code


Item = Union[str, Span, Mark]


class CodeMismatch(ValueError):
    """A target whose inline codes do not match its source's."""


def described_placeholders(comment: str | None) -> set[str] | None:
    """The placeholder tokens a ``#.`` comment describes (``<b>``, ``<br/>``), or None without a comment.

    The pipeline describes every placeholder of a unit in its comment, so a tag-shaped token the comment
    does not name is text of the source (``use the <b> tag``), not a code.
    """
    if not comment:
        return None
    return set(_DESCRIBED.findall(comment))


def _known_tags(text: str, described: set[str] | None) -> set[int]:
    """Start offsets of the tag-shaped tokens of ``text`` that are placeholders."""
    tags = [(m.start(), m.group()) for m in TAG_SHAPED.finditer(text)]
    if described is not None:
        known: set[int] = set()
        for start, token in tags:
            shape = _PLACEHOLDER.fullmatch(token)
            if shape and (f"<{shape.group(2)}{shape.group(3)}>" in described):
                known.add(start)
        return known
    known = set()
    stack: list[tuple[int, str]] = []
    for start, token in tags:
        shape = _PLACEHOLDER.fullmatch(token)
        if not shape:
            continue
        closing, name, void = shape.groups()
        if void and not closing:
            known.add(start)
        elif not closing:
            stack.append((start, name))
        elif stack and stack[-1][1] == name:
            known.update((stack.pop()[0], start))
    return known


def parse_source(text: str, *, described: set[str] | None = None, variables: bool = False
                 ) -> tuple[list[Item], list[Code]]:
    """A source text (a msgid) as a tree of text and codes, and its codes in order.

    ``described`` are the placeholder tokens its comment names (see :func:`described_placeholders`); None
    infers them from the text (a balanced ``<x>...</x>`` or a ``<x/>``). ``variables`` makes
    ``%(name)d`` codes too (python-format entries).
    """
    known = _known_tags(text, described)
    codes: list[Code] = []
    root: list[Item] = []
    stack: list[tuple[str, list[Item]]] = []
    current = root
    position = 0

    def new(kind: str, start: str, end: str = "") -> Code:
        code = Code(str(len(codes) + 1), kind, start, end)
        codes.append(code)
        return code

    for match in _TOKENS.finditer(text):
        kind = match.lastgroup
        if (kind == "tag" and match.start() not in known) or (kind == "var" and not variables):
            continue
        if match.start() > position:
            current.append(text[position:match.start()])
        position = match.end()
        token = match.group()
        if kind == "marker":
            current.append(Mark(new("marker", token)))
        elif kind == "var":
            current.append(Mark(new("var", token)))
        else:
            closing, name, void = cast(re.Match[str], _PLACEHOLDER.fullmatch(token)).groups()  # a "tag" token
            if void:
                current.append(Mark(new("void", token)))
            elif not closing:
                span = Span(new("pair", token, f"</{name}>"))
                current.append(span)
                stack.append((name, current))
                current = span.children
            else:
                current = stack.pop()[1]
    if position < len(text):
        current.append(text[position:])
    return root, codes


def match_target(text: str, codes: list[Code]) -> list[Item]:
    """A target text (a msgstr) as a tree over its source's ``codes``; CodeMismatch if its codes do not match.

    A token is one of the source's codes by its text; the k-th ``[3]`` of the target is the k-th ``[3]``
    code of the source. Tag-shaped text that is no code of the source stays text.
    """
    by_start: dict[str, list[Code]] = {}
    by_end: dict[str, Code] = {}
    for code in codes:
        by_start.setdefault(code.start, []).append(code)
        if code.end:
            by_end[code.end] = code
    seen: Counter[str] = Counter()
    events: list[tuple[str, Code | str]] = []
    position = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token not in by_start and token not in by_end:
            continue
        if match.start() > position:
            events.append(("text", text[position:match.start()]))
        position = match.end()
        if token in by_end:
            events.append(("end", by_end[token]))
            continue
        candidates = by_start[token]
        code = candidates[min(seen[token], len(candidates) - 1)]
        seen[token] += 1
        events.append(("start" if code.paired else "mark", code))
    if position < len(text):
        events.append(("text", text[position:]))
    return build_tree(events, codes)


def build_tree(events: list[tuple[str, Code | str]], codes: list[Code]) -> list[Item]:
    """A tree from a flat sequence of ``("text", str)``, ``("start"|"end"|"mark", Code)`` events, checked
    against the source's ``codes`` (see :func:`check_uses`); CodeMismatch if they do not match."""
    root: list[Item] = []
    stack: list[tuple[Code, list[Item]]] = []
    current = root
    starts: Counter[str] = Counter()
    for kind, value in events:
        if kind == "text":
            assert isinstance(value, str)
            if current and isinstance(current[-1], str):
                current[-1] += value
            else:
                current.append(value)
            continue
        code = value
        assert isinstance(code, Code)
        if kind == "end":
            if not stack or stack[-1][0].id != code.id:
                opened = f"; {_name(stack[-1][0])} is still open" if stack else ""
                raise CodeMismatch(f"{_name(code)} is closed where it is not open{opened} (misnested)")
            stack.pop()
            current = stack[-1][1] if stack else root
            continue
        starts[code.id] += 1
        if starts[code.id] > 1:
            raise CodeMismatch(f"{_name(code)} is used more than once")
        if kind == "start":
            span = Span(code)
            current.append(span)
            stack.append((code, span.children))
            current = span.children
        else:
            current.append(Mark(code))
    if stack:
        raise CodeMismatch(f"{_name(stack[-1][0])} is opened and never closed")
    dropped = [_name(code) for code in codes if not starts[code.id]]
    if dropped:
        raise CodeMismatch("dropped " + ", ".join(dropped))
    return root


def code_kind(token: str) -> str:
    """The kind of a single code by its token: ``marker`` (``[3]``), ``var`` (``%(count)d``) or ``void``."""
    if MARKER.fullmatch(token):
        return "marker"
    return "var" if VARIABLE.fullmatch(token) else "void"


def _name(code: Code) -> str:
    what = {"pair": "tag", "void": "tag", "marker": "citation marker", "var": "variable"}[code.kind]
    return f"{what} {code.start} (code {code.id})"


def describe(code: Code) -> str:
    """How a message names a code: ``tag <b> (code 1)``."""
    return _name(code)


def join(items: list[Item]) -> str:
    """A tree written back as catalog text, codes as their tokens."""
    parts: list[str] = []

    def visit(items: list[Item]) -> None:
        for item in items:
            if isinstance(item, str):
                parts.append(item)
            elif isinstance(item, Mark):
                parts.append(item.code.start)
            else:
                parts.append(item.code.start)
                visit(item.children)
                parts.append(item.code.end)

    visit(items)
    return "".join(parts)


_STRAY = re.compile(f"{TAG_SHAPED.pattern}|{MARKER.pattern}")


def stray_tokens(text: str, codes: list[Code], source_text: str, *, codes_in_text: bool = True) -> list[str]:
    """Tag-shaped tokens and citation markers in a target's text that are not text of its source (a tag or
    a marker a translator typed): in the catalog they would read as codes. With ``codes_in_text`` false
    (``text`` is the target's text alone, its codes being elements), a code's token typed is one too."""
    tokens = {c.start for c in codes} | {c.end for c in codes if c.end}
    literal = set(_STRAY.findall(source_text)) - tokens
    return [t for t in _STRAY.findall(text) if t not in literal and not (codes_in_text and t in tokens)]
