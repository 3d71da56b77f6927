"""PO/POT text: parsing through polib with located errors, and writing gettext's canonical form.

This module owns the PO file format. ``format_po`` writes a catalog byte for byte as GNU ``msgcat``
(gettext 0.21, default options, UTF-8) rewrites it, so Poedit, Weblate or a ``msgcat`` run never
reflows our files; ``parse_po`` / ``read_po`` turn every problem that polib would raise or silently
accept into a ``ParseError`` with a path and a 1-based line, and ``parse_po_or_error`` returns that error
for readers that collect, skip or report a bad catalog and go on. Catalog policy lives elsewhere.

Wrapping is gettext's ``write-po.c``: a string is cut after each ``\\n``, and each piece is broken at 79
columns by libunistring's UAX #14 line breaking (:mod:`pipeline.po.linebreak`, which says which rules it
follows and where it departs), never inside an escape or a format directive.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import polib

from pipeline.core.errors import ParseError
from pipeline.core.files import write_atomic
from pipeline.po.linebreak import CONTEXTUAL, classes_and_columns, line_breaks
from pipeline.po.model import Catalog
from pipeline.po.reader import POLIB_VERSIONS, read_catalog

__all__ = ["blocks_by_key", "entry_key", "format_po", "format_po_reusing", "parse_po", "parse_po_or_error", "read_po", "write_po"]

_PAGE_WIDTH = 79
_FORMATS = ("c", "objc", "python", "python-brace", "java", "java-printf", "csharp", "javascript",
            "scheme", "lisp", "elisp", "librep", "ruby", "sh", "awk", "lua", "object-pascal",
            "smalltalk", "qt", "qt-plural", "kde", "kde-kuit", "boost", "tcl", "perl", "perl-brace",
            "php", "gcc-internal", "gfc-internal", "ycp")  # gettext 0.21's order of *-format flags
_ESCAPES = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t", "\v": "v",
            "\\": "\\", '"': '"'}
_ESCAPE_ORDER = sorted(_ESCAPES.items(), key=lambda item: item[0] != "\\")  # the backslash first
_ESCAPE = re.compile(r"\\.", re.DOTALL)  # one escape in escaped text
# c-format / python-format directives: gettext never breaks a line inside one. Simplified from its
# parsers (no <PRIx64> macros); w/p = "*" width/precision, n = argument number or name, c = conversion.
_C_BODY = r"(?P<w>\*(?:[1-9]\d*\$)?|\d+)?(?:\.(?P<p>\*(?:[1-9]\d*\$)?|\d+)?)?[hlLqjzZt]*"
_DIRECTIVES = {
    "c": re.compile(r"%(?P<n>[1-9]\d*\$)?[-+ #0']*" + _C_BODY + r"(?P<c>[%mcCsSiduoxXeEfFgGaApn])"),
    "objc": re.compile(r"%(?P<n>[1-9]\d*\$)?[-+ #0']*" + _C_BODY + r"(?P<c>[%mcCsSiduoxXeEfFgGaApn@])"),
    "python": re.compile(r"%(?P<n>\((?:[^()]|\([^()]*\))*\))?[-+ #0]*(?P<w>\*|\d+)?"
                         r"(?:\.(?P<p>\*|\d+)?)?[hlL]?(?P<c>[%csriduoxXeEfgG])"),
}


def _inside_directives(value: str, language: str) -> set[int]:
    """Indexes inside ``value``'s format directives, up to the first invalid one, as gettext marks them."""
    inside: set[int] = set()
    numbered: set[bool] = set()  # arguments by number/name (True) or in order (False): never both
    pattern, start = _DIRECTIVES.get(language), value.find("%")
    while pattern is not None and start >= 0 and (match := pattern.match(value, start)):
        numbered.update("$" in arg for arg in (match["w"], match["p"]) if arg and arg[0] == "*")
        if match["c"] not in "%m" or language == "python" and match["n"]:
            numbered.add(bool(match["n"]))
        if len(numbered) > 1:
            break
        inside.update(range(start + 1, match.end()))
        start = value.find("%", match.end())
    return inside


def _escape(text: str) -> str:
    """``text`` with the C escapes that gettext writes (``\\n``, ``\\"``, ``\\\\`` ...)."""
    for char, letter in _ESCAPE_ORDER:
        if char in text:
            text = text.replace(char, "\\" + letter)
    return text


def _unbreakable(portion: str, text: str, inside: set[int], offset: int) -> set[int]:
    """Indexes of ``text`` (``portion``, escaped) before which gettext never breaks, whatever UAX #14 says."""
    prohibited = {match.start() + 1 for match in _ESCAPE.finditer(text)}  # inside an escape
    if portion.endswith("\n"):
        prohibited.add(len(text) - 2)  # before the \n that ends the portion
    if inside:  # inside a directive: `inside` counts in the unescaped value
        at = 0
        for j, ch in enumerate(portion, offset):
            if j in inside:
                prohibited.add(at)
            at += 2 if ch in _ESCAPES else 1
    return prohibited


def _wrap(prefix: str, name: str, value: str, *, wrap: bool, language: str) -> list[str]:
    """The lines of ``name "value"`` exactly as gettext's write-po.c ``wrap()`` prints them."""
    if value.isascii() and "\n" not in value[:-1]:  # fast path: one line, if it fits
        escaped = _escape(value)
        line = f'{prefix}{name} "{escaped}"'
        if (len(line) <= _PAGE_WIDTH or not wrap) and escaped.isprintable():
            return [line]
    return list(_wrap_cached(prefix, name, value, wrap, language))


@lru_cache(maxsize=1 << 12)
def _wrap_cached(prefix: str, name: str, value: str, wrap: bool, language: str) -> tuple[str, ...]:
    """``_wrap``'s general case, remembered: the same msgid is written to a template and every catalog of an
    article (a few articles' worth: a text seldom recurs across articles, and a worker's memory should not
    grow with the corpus)."""
    width = (_PAGE_WIDTH if wrap else 1 << 30) - 1 - (len(prefix) + 1)
    inside = _inside_directives(value, language)
    portions = re.findall(r"[^\n]*\n|[^\n]+", value) or [""]
    lines: list[str] = []
    first, offset = True, 0
    for k, portion in enumerate(portions):
        text = _escape(portion)  # as printed: an escape is two characters
        prohibited = _unbreakable(portion, text, inside, offset)
        offset += len(portion)
        classes, cum = classes_and_columns(text)
        column = len(name) + 1 if first else 0
        breaks: list[int] | None = None     # None: the string starts empty, this portion breaks from column 0
        if first and text and k < len(portions) - 1:
            pass                            # more portions follow: it starts empty, whatever this one does
        elif cum[-1] <= width - column:
            breaks = []                     # it fits: no break to look for
        elif first and text and cum[-1] > width and not CONTEXTUAL.search(classes):
            # too long from either column: it breaks after `msgid ` exactly when it has a break opportunity,
            # and then from column 0, after `msgid ""`: one search instead of two
            breaks = line_breaks(classes, cum, prohibited, width, 0)
            if breaks:
                lines.append(f'{prefix}{name} ""')
                first = False
        else:
            breaks = line_breaks(classes, cum, prohibited, width, column)
            if first and text and breaks:
                breaks = None
        if breaks is None:
            lines.append(f'{prefix}{name} ""')  # a string that wraps or has \n starts empty
            first = False
            breaks = line_breaks(classes, cum, prohibited, width, 0)
        bounds = [0, *breaks, len(text)]
        lines += [f'{prefix}{name + " " if first and i == 0 else ""}"{text[a:b]}"'
                  for i, (a, b) in enumerate(zip(bounds, bounds[1:]))]
        first = False
    return tuple(lines)


def _flags(entry: polib.POEntry, msgstr0: str) -> tuple[str, bool, str]:
    """(the ``#,`` line or "", wrap?, format language) as gettext reads and writes the flags."""
    if not entry.flags:
        return "", True, ""
    tokens = re.split(r"[\s,]+", ", ".join(entry.flags))
    fuzzy, wrap, formats, span = False, True, {}, ""
    for i, token in enumerate(tokens):
        kind, _, language = token.removesuffix("-format").partition("-")
        if token == "fuzzy":
            fuzzy = True
        elif token in ("wrap", "no-wrap"):
            wrap = token == "wrap"
        elif token.endswith("-format") and token[:-7] in _FORMATS:
            formats[token[:-7]] = "yes"
        elif token.endswith("-format") and language in _FORMATS \
                and kind in ("no", "possible", "impossible"):
            formats[language] = "yes" if kind == "possible" else kind
        elif token == "range:" and i + 1 < len(tokens):
            m = re.fullmatch(r"(\d+)\.\.(\d+)", tokens[i + 1])
            if m and int(m[1]) <= int(m[2]):
                span = f"range: {int(m[1])}..{int(m[2])}"
    shown = ["fuzzy"] if fuzzy and (msgstr0 or entry.obsolete) else []
    ordered = [lang for lang in _FORMATS if lang in formats] if formats else []
    shown += [("no-" if formats[lang] == "no" else "") + lang + "-format"
              for lang in ordered if formats[lang] in ("yes", "no")]
    shown += [span] if span and not entry.obsolete else []
    shown += [] if wrap else ["no-wrap"]
    language = next((lang for lang in ordered if formats[lang] == "yes"), "")
    return ("#, " + ", ".join(shown) if shown else ""), wrap, language


def _references(entry: polib.POEntry) -> list[str]:
    refs: list[str] = []
    for occurrence in entry.occurrences:
        filename, line = occurrence if isinstance(occurrence, tuple) else (occurrence, "")
        ref = f"{filename}:{line}" if line not in ("", None) else str(filename)
        if ref not in refs:
            refs.append(ref)
    lines, column = ["#:"], 2
    for ref in refs:
        while ref.startswith("./"):
            ref = ref[2:]
        size = len(ref.encode("utf-8")) + 1
        if column > 2 and column + size > _PAGE_WIDTH:
            lines.append("#:")
            column = 2
        lines[-1] += " " + ref
        column += size
    return lines if refs else []


def _format_entry(entry: polib.POEntry) -> str:
    if entry.msgid_plural:
        forms = entry.msgstr_plural or {0: "", 1: ""}
        if sorted(forms) != list(range(len(forms))):
            raise ValueError(f"msgstr_plural of {entry.msgid!r} must be numbered 0..n-1")
        msgstrs = [(f"msgstr[{n}]", forms[n]) for n in sorted(forms)]
    else:
        msgstrs = [("msgstr", entry.msgstr)]
    flag_line, wrap, language = _flags(entry, msgstrs[0][1])
    lines = ["#" + (" " + line if line else "") for line in entry.tcomment.split("\n")
             if entry.tcomment]
    lines += ["#." + (" " + line if line else "") for line in entry.comment.split("\n")
              if entry.comment]
    lines += _references(entry) + ([flag_line] if flag_line else [])
    for name in ("msgctxt", "msgid", "msgid_plural"):
        if (value := getattr(entry, "previous_" + name)) is not None:
            lines += _wrap("#~| " if entry.obsolete else "#| ", name, value, wrap=wrap,
                           language=language)
    fields = [("msgctxt", entry.msgctxt)] if entry.msgctxt is not None else []
    fields += [("msgid", entry.msgid)]
    fields += [("msgid_plural", entry.msgid_plural)] if entry.msgid_plural else []
    for name, value in fields + msgstrs:
        lines += _wrap("#~ " if entry.obsolete else "", name, value, wrap=wrap, language=language)
    return "\n".join(lines) + "\n"


def format_po(po: polib.POFile) -> str:
    """Return the text of ``po`` (a :class:`~pipeline.po.model.Catalog`, or any catalog polib made) exactly as
    GNU ``msgcat`` 0.21 writes it (UTF-8, 79 columns).

    The header comes first (``po.header`` as comment lines, ``po.metadata`` in its dict order,
    ``#, fuzzy`` when ``po.metadata_is_fuzzy``; left out when all three are empty), then the entries
    in their order, then the obsolete ones. Like msgcat, it drops what gettext does not keep: flags
    it does not know (only ``fuzzy``, ``[no-]<lang>-format``, ``range:`` and ``no-wrap`` remain, in
    gettext's order), ``fuzzy`` where the (first) msgstr is empty, a repeated reference, ``./``
    before a reference, and obsolete entries with an empty msgstr.
    """
    return "\n".join(_format_entry(entry) for entry in _written_entries(po))


def format_po_reusing(po: polib.POFile, blocks: dict[bytes, str] | None = None) -> tuple[str, bytes]:
    """``format_po(po)``, and the *layout* of that text: the :func:`entry_key` of each entry written, in order
    (16 bytes each). An entry whose key ``blocks`` holds (:func:`blocks_by_key` of a file written so) is not
    formatted again: its text is the one written from an entry with the same key, the same bytes."""
    texts, keys = [], []
    for entry in _written_entries(po):
        key = entry_key(entry)
        keys.append(key)
        text = blocks.get(key) if blocks else None
        texts.append(text if text is not None else _format_entry(entry))
    return "\n".join(texts), b"".join(keys)


def blocks_by_key(text: str, layout: bytes) -> dict[bytes, str] | None:
    """The text of each entry of ``text``, a file as :func:`format_po_reusing` wrote it with ``layout``, by the
    entry's key; None when the text does not hold as many entries as the layout says."""
    if not text.endswith("\n") or len(layout) % _KEY_SIZE:
        return None
    pieces = text[:-1].split("\n\n")  # an entry's text ends with a newline and has no empty line
    if len(pieces) * _KEY_SIZE != len(layout):
        return None
    return {layout[i * _KEY_SIZE:(i + 1) * _KEY_SIZE]: piece + "\n" for i, piece in enumerate(pieces)}


_KEY_SIZE = 16


def entry_key(entry: polib.POEntry) -> bytes:
    """A 128-bit hash of everything :func:`format_po` reads of an entry: equal keys, the same text."""
    plural = sorted(entry.msgstr_plural.items()) if entry.msgid_plural else None
    fields = (entry.obsolete, entry.msgctxt, entry.msgid, entry.msgid_plural, entry.msgstr, plural, entry.flags,
              entry.comment, entry.tcomment, entry.occurrences, entry.previous_msgctxt, entry.previous_msgid,
              entry.previous_msgid_plural)
    return hashlib.blake2b(repr(fields).encode("utf-8", "surrogatepass"), digest_size=_KEY_SIZE).digest()


def _written_entries(po: polib.POFile) -> list[polib.POEntry]:
    """The entries :func:`format_po` writes, in order: the header entry, the live ones, the obsolete ones that
    have a translation."""
    fuzzy = po.metadata_is_fuzzy  # a bool, or (from polib's parser) the header's list of flags
    header = polib.POEntry(msgid="", tcomment=po.header or "",
                           msgstr="".join(f"{key}: {value}\n" for key, value in po.metadata.items()),
                           flags=["fuzzy"] if ("fuzzy" in fuzzy if isinstance(fuzzy, list) else fuzzy)
                           else [])
    entries = [header] if header.msgstr or header.tcomment else []
    entries += [e for e in po if not e.obsolete]
    entries += [e for e in po if e.obsolete and (e.msgstr_plural.get(0) if e.msgid_plural else e.msgstr)]
    return entries


def write_po(path: Path, po: polib.POFile) -> bool:
    """Write ``format_po(po)`` to ``path`` as UTF-8, atomically and durably; return whether it changed."""
    return write_atomic(path, format_po(po).encode("utf-8"), durable=True)


def read_po(path: Path) -> Catalog:
    """Read and parse the PO/POT file at ``path`` (see ``parse_po``); an unreadable file is a ParseError."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(f"cannot read the file: {exc.strerror}", path=path) from exc
    return parse_po(data, path=str(path))


def parse_po_or_error(data: bytes, *, path: str) -> Catalog | ParseError:
    """The catalog in ``data`` (``parse_po``), or the located ParseError saying why there is none: the tolerant
    read of a sync, a check run or a hand-off, which collects, skips or reports a bad file and goes on."""
    try:
        return parse_po(data, path=path)
    except ParseError as exc:
        return exc


@dataclass(slots=True)
class _ScannedEntry:
    """One entry as the line scan sees it: where its parts are, for the checks polib does not make."""

    line: int
    obsolete: bool
    previous: dict[str, str]
    strings: dict[str, str] = field(default_factory=dict)  # msgctxt, msgid
    plural_line: int | None = None
    msgstr_lines: list[tuple[int, int]] = field(default_factory=list)  # (n of msgstr[n], line)


_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr\[(\d+)\]|msgstr)(?=[\s\"]|$)\s*(.*)")
_UNESCAPE = {"n": "\n", "t": "\t", "r": "\r", "v": "\v", "b": "\b", "f": "\f", '"': '"', "\\": "\\"}


def _scan(text: str, path: str) -> list[_ScannedEntry]:
    """Check every quoted string (polib drops or truncates bad ones) and locate each entry's parts."""
    units: list[_ScannedEntry] = []
    pending: dict[str, str] = {}  # #| / #~| fields, for the next entry
    target: tuple[dict[str, str], str] | None = None  # where continuation strings go
    for number, line in enumerate(text.split("\n"), 1):
        line = line.strip()
        obsolete = line.startswith("#~")
        line = line[2:].lstrip() if obsolete else line
        previous = line.startswith("|") if obsolete else line.startswith("#|")
        if previous:
            line = line.lstrip("#")[1:].lstrip()
        elif line.startswith("#"):
            continue
        match = _KEYWORD.match(line)
        keyword, string = (match[1], match[3]) if match else (None, line)
        if not string.startswith('"'):
            if match:  # polib reads msgstr[7] msgstr[0] "x" as msgstr[7] "x", msgstr[1] # c as "msgstr[1] # "
                raise ParseError(f"syntax error: {keyword} must be followed by a quoted string", path=path,
                                 line=number, hint=f'write {keyword} "..." on the line')
            continue  # not a string: polib reports the syntax error
        content = re.fullmatch(r'"((?:[^"\\]|\\.)*)"\s*', string)
        if content is None:
            unterminated = re.fullmatch(r'"(?:[^"\\]|\\.)*', string)
            raise ParseError("unterminated string" if unterminated else "text after the closing quote",
                             path=path, line=number, hint='end the string with ", write " inside as \\"')
        bad = next((e for e in re.findall(r"\\(.)", content[1]) if e not in _UNESCAPE), None)
        if bad is not None:
            raise ParseError(f"unsupported escape sequence \\{bad}", path=path, line=number,
                             hint='use \\n, \\t, \\r, \\" or \\\\, or the character itself')
        value = re.sub(r"\\(.)", lambda m: _UNESCAPE[m[1]], content[1])
        if previous and keyword:
            target, pending[keyword] = (pending, keyword), ""
        elif not previous and keyword:
            if keyword == "msgctxt" or keyword == "msgid" and (not units or "msgid" in units[-1].strings):
                units.append(_ScannedEntry(number, obsolete, pending))
                pending = {}
            target = None
            if units and keyword in ("msgctxt", "msgid"):
                units[-1].line, units[-1].strings[keyword] = number, ""
                target = (units[-1].strings, keyword)
            elif units and keyword == "msgid_plural":
                units[-1].plural_line = number
            elif units and match and match[2] is not None:
                units[-1].msgstr_lines.append((int(match[2]), number))
        if target is not None and (target[0] is pending) == previous:
            target[0][target[1]] += value
    return units


def _check(units: list[_ScannedEntry], po: Catalog, path: str) -> None:
    """Duplicates and plural forms, which polib accepts silently."""
    first: dict[tuple[str | None, str | None], int] = {}
    plural_forms = po.metadata.get("Plural-Forms")
    nplurals = po.nplurals  # not in a POT's template
    for unit in (u for u in units if not u.obsolete):
        key = (unit.strings.get("msgctxt"), unit.strings.get("msgid"))
        if key in first:
            raise ParseError(f"duplicate message definition; the first one is at line {first[key]}",
                             path=path, line=unit.line, hint="merge the two entries or delete one")
        first[key] = unit.line
        if unit.plural_line is not None and plural_forms is None:
            raise ParseError("plural message, but the header has no Plural-Forms", path=path,
                             line=unit.plural_line,
                             hint='add e.g. "Plural-Forms: nplurals=1; plural=0;\\n" to the header')
        for index, line in unit.msgstr_lines:
            if nplurals is not None and index >= nplurals:
                raise ParseError(f"msgstr[{index}] is beyond nplurals={nplurals} of the "
                                 "Plural-Forms header", path=path, line=line,
                                 hint=f"use msgstr[0] to msgstr[{nplurals - 1}]")
    for unit in units:  # obsolete ones too: the writer keeps them
        for expected, (index, line) in enumerate(unit.msgstr_lines):
            if index != expected:
                raise ParseError(f"plural form has wrong index: msgstr[{index}] where msgstr[{expected}] "
                                 "belongs", path=path, line=line,
                                 hint="number the forms msgstr[0], msgstr[1], ... in order")


#: C0 controls and DEL, except tab, line feed and carriage return: nothing a PO editor writes.
_CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")


class _Lines(str):
    """PO text that polib splits only at ``\\n`` (str.splitlines also splits at U+2028, U+0085...)."""

    def splitlines(self, keepends: bool = False) -> list[str]:  # the one call polib makes
        return self.split("\n")


_WS = r"[^\S\n]"  # white space within a line
# The whole-text tests below are searched in "\n" + text with "\n" for "^": the search then tries only line
# starts (found by a fast scan for the newline), not every character; a string's content is matched as
# "unrolled" runs of plain characters, never one character per alternative. The languages are the ones of
# the plain forms (tests/test_pofile.py holds the two to the same answers).
_STRING = r'"[^"\\\n]*(?:\\[ntrvbf"\\][^"\\\n]*)*"'  # "(?:[^"\\\n]|\\[ntrvbf"\\])*": known escapes only
_KEYWORDS = r"(?:msgctxt|msgid_plural|msgid|msgstr\[\d+\]|msgstr)"
#: A line that _scan may read as a string (it holds a quote and is no comment but #~ or #|) and that is not
#: a well-formed one: keyword or none, then one string with known escapes only. None means _scan cannot fail.
_SUSPECT_STRING = re.compile(
    rf'\n(?!{_WS}*(?:#~{_WS}*)?(?:#?\|{_WS}*)?(?:{_KEYWORDS}{_WS}*)?{_STRING}{_WS}*$)(?!{_WS}*#[^~|\n])[^\n"]*"',
    re.M)
#: A keyword without its string on the same line (polib garbles such entries; _scan reports them).
_BARE_KEYWORD = re.compile(rf'^{_WS}*(?:#~{_WS}*)?(?:#?\|{_WS}*)?{_KEYWORDS}(?=\s|$)(?!{_WS}*")', re.M)
#: Where _BARE_KEYWORD's keyword may be: searched first (a literal start), then its line is tried.
_KEYWORD_WITHOUT_STRING = re.compile(rf'{_KEYWORDS}(?=\s|$)(?!{_WS}*")', re.M)
_OBSOLETE = re.compile(rf"^{_WS}*#~", re.M)
_PREVIOUS = re.compile(rf"^{_WS}*#(?:~{_WS}*)?\|", re.M)
_LIVE_MSGID = re.compile(rf'\n{_WS}*msgid{_WS}*"')  # in "\n" + text
_PLURAL_INDEX = re.compile(r"msgstr\[(\d+)\]")


def _strings_well_formed(text: str) -> bool:
    """Whether every string of the text is terminated and uses known escapes (so _scan would not fail)."""
    if _SUSPECT_STRING.search("\n" + text) is not None:
        return False
    return not any(_BARE_KEYWORD.match(text, text.rfind("\n", 0, candidate.start()) + 1)
                   for candidate in _KEYWORD_WITHOUT_STRING.finditer(text))


def _obsolete_previous(text: str) -> bool:
    """Whether the text may hold previous strings of obsolete entries, which only _scan restores."""
    return "#~" in text and _OBSOLETE.search(text) is not None and _PREVIOUS.search(text) is not None


def _needs_check(text: str, po: Catalog) -> bool:
    """Whether _check could find anything: a repeated key, or plurals at odds with Plural-Forms."""
    live = [e.key for e in po.live()]
    if len(set(live)) != len(live) or (None, "") in live \
            or len(_LIVE_MSGID.findall("\n" + text)) - len(live) not in (0, 1):  # 1: the header, not in the list
        return True
    forms = [sorted(e.msgstr_plural) for e in po if e.msgstr_plural]
    if any(indices != list(range(len(indices))) for indices in forms) \
            or sum(map(len, forms)) != len(_PLURAL_INDEX.findall(text)):  # a gap, or one form twice
        return True
    if po.metadata.get("Plural-Forms") is None:
        return "msgid_plural" in text
    nplurals = po.nplurals
    return nplurals is not None and any(int(n) >= nplurals for n in _PLURAL_INDEX.findall(text))


#: The installed polib's version (types-polib lacks ``__version__``).
POLIB_VERSION: str = str(vars(polib).get("__version__", "unknown"))
#: Whether the fast reader follows the installed polib (it makes polib's very catalog of what it reads).
_FAST_READER = POLIB_VERSION in POLIB_VERSIONS

#: Charsets whose files are the ASCII subset of UTF-8: read as UTF-8 (a sync writes charset=UTF-8).
ASCII_CHARSETS = ("ASCII", "US-ASCII", "ANSI-X3.4-1968")


def parse_po(text_or_bytes: str | bytes, *, path: str, exact: bool = False) -> Catalog:
    """Parse PO/POT text with polib; every problem raises ``ParseError`` with ``path`` and line.

    Accepted: a UTF-8 byte order mark (stripped), CRLF line endings (read as LF) and long lines.
    Rejected: bytes that are not UTF-8, NUL and other control characters, a charset header other
    than UTF-8, polib's syntax errors, unterminated strings, escapes
    polib cannot read (it knows ``\\n \\t \\r \\v \\b \\f \\" \\\\``), a duplicate (msgctxt, msgid)
    among live entries, plural entries without a Plural-Forms header, msgstr[n] with
    n >= nplurals, plural forms out of order (msgfmt's "wrong index") and a keyword followed by
    another keyword instead of its string. The ``#~|`` previous strings of obsolete entries, which polib skips, are restored.
    ``exact`` always runs the line scan behind these checks, which well-formed files otherwise skip
    (the result is the same; tests compare the two).
    """
    if isinstance(text_or_bytes, bytes):
        data = text_or_bytes.removeprefix(b"\xef\xbb\xbf")
        if b"\0" in data:
            raise ParseError("NUL character in the file", path=path,
                             line=data[:data.index(b"\0")].count(b"\n") + 1,
                             hint="PO files are UTF-8 text (a UTF-16 file is full of NULs)")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ParseError("invalid UTF-8 byte sequence", path=path,
                             line=data[:exc.start].count(b"\n") + 1,
                             hint="PO files must be UTF-8: msgconv --to-code=UTF-8") from None
    else:
        text = text_or_bytes.removeprefix("\ufeff")
        if "\0" in text:
            raise ParseError("NUL character in the text", path=path,
                             line=text[:text.index("\0")].count("\n") + 1, hint="remove it")
    text = text.replace("\r\n", "\n")
    control = _CONTROL.search(text)
    if control:
        raise ParseError(f"control character U+{ord(control.group()):04X} in the file", path=path,
                         line=text[:control.start()].count("\n") + 1,
                         hint="remove it; write a tab as \\t inside strings")
    # The exact line scan runs up front only when the cheap whole-text tests cannot vouch for the strings
    # or the file has previous strings of obsolete entries to restore; otherwise only if polib's entries
    # show what _check reports (then with _check's lines). Either way the outcome is the scan's.
    units = _scan(text, path) if exact or not _strings_well_formed(text) or _obsolete_previous(text) else None
    lines = text.removesuffix("\n") + "\n"  # the trailing newline also keeps polib from taking it for a path
    try:  # the fast reader makes polib's very catalog of the lines it knows; polib reads the rest
        fast = read_catalog(lines) if _FAST_READER else None
        po = fast if fast is not None else polib.pofile(_Lines(lines), encoding="utf-8", klass=Catalog)
    except Exception as exc:  # polib raises OSError; any failure of its parser means a bad file
        located = re.search(r"\(line (\d+)\)", str(exc))
        detail = str(exc).partition("): ")[2]
        raise ParseError("syntax error" + (f": {detail}" if detail else ""), path=path,
                         line=int(located[1]) if located else None,
                         hint="a line is a comment, a keyword and a string, or a string") from None
    if units is None and _needs_check(text, po):
        units = _scan(text, path)
    if units is not None:
        _check(units, po, path)
    charset = re.search(r"charset=([^\s;]+)", po.metadata.get("Content-Type", ""))
    if charset and charset[1].upper().replace("_", "-") in ASCII_CHARSETS and not text.isascii():
        line = next(n for n, t in enumerate(text.split("\n"), 1) if not t.isascii())
        raise ParseError(f"the header declares charset {charset[1]}, but the file has characters outside ASCII",
                         path=path, line=line, hint="set charset=UTF-8 in the header; the file is read as UTF-8")
    if charset and charset[1].upper().replace("_", "-") not in ("UTF-8", "UTF8", "CHARSET", *ASCII_CHARSETS):
        line = next((n for n, t in enumerate(text.split("\n"), 1) if "charset=" in t), 1)
        raise ParseError(f"the header declares charset {charset[1]}, but the file is read and written as UTF-8",
                         path=path, line=line,
                         hint="if the text is right, set charset=UTF-8; else convert: msgconv --to-code=UTF-8")
    obsolete, scanned = [e for e in po if e.obsolete], [u for u in units or () if u.obsolete]
    if units is not None and [e.msgid for e in obsolete] == [u.strings.get("msgid") for u in scanned]:
        for entry, unit in zip(obsolete, scanned):
            for name, value in unit.previous.items():
                setattr(entry, "previous_" + name, value)
    return po
