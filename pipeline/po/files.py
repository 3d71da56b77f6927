"""PO/POT text: parsing through polib with located errors, and writing gettext's canonical form.

This module owns the PO file format. ``format_po`` writes a catalog byte for byte as GNU ``msgcat``
(gettext 0.21, default options, UTF-8) rewrites it, so Poedit, Weblate or a ``msgcat`` run never
reflows our files; ``parse_po`` / ``read_po`` turn every problem that polib would raise or silently
accept into a ``ParseError`` with a path and a 1-based line, and ``parse_po_or_error`` returns that error
for readers that collect, skip or report a bad catalog and go on. Catalog policy lives elsewhere.

Wrapping is gettext's ``write-po.c``: a string is cut after each ``\\n``, and each piece is broken
by libunistring 1.0's UAX #14 line breaking, ported below, at 79 columns (East Asian wide characters
count 2). Line-break classes are exact for Latin, Greek, Cyrillic, Hebrew, general punctuation, CJK,
kana and Hangul, and guessed from Unicode categories for other scripts and for emoji. The port
(``_break_opportunities``, ``_width_linebreaks``) runs character by character; most text takes a
shortcut with the same result (``_line_breaks``), which looks at each line's end only.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

import polib

from pipeline.core.errors import ParseError
from pipeline.core.files import write_atomic
from pipeline.core.model import Key
from pipeline.core.plurals import nplurals_in

__all__ = ["format_po", "parse_po", "parse_po_or_error", "read_po", "write_po"]

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

# ---- UAX #14 line breaking: a port of libunistring 1.0 (gnulib lib/unilbrk, January 2022) ----
_CLASSES = ("WJ GL B2 BA BB HY CL CP1 CP2 EX IN NS OP1 OP2 QU IS NU PO PR SY AL H2 H3 ID1 ID2 JL JV "
            "JT HL RI ZWJ EB EM BK CR LF CM ZW SP").split()
(WJ, GL, B2, BA, BB, HY, CL, CP1, CP2, EX, IN, NS, OP1, OP2, QU, IS, NU, PO, PR, SY, AL, H2, H3, ID1,
 ID2, JL, JV, JT, HL, RI, ZWJ, EB, EM, BK, CR, LF, CM, ZW, SP) = range(len(_CLASSES))
_HL_BA = 100  # Hebrew letter followed by a hyphen (rule LB21a)
# unilbrk_table[before][after] for WJ..EM: D = break, I = break only after spaces, P = never
_PAIRS = """
PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII PIPIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD
PDDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII PDDIDIPPPPIIDDIPIDDPDDDDDDDDDDDDD
PIDIDIPPPPIPDDIPDIIPDDDDDDDDDDDDD PIDIDIPPPPIIDDIPIIIPIDDDDDDDIDIDD PIDIDIPPPPIIDDIPDIIPDDDDDDDDDDDDD
PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD
PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP PIIIIIPPPPIIPPIPIIIPIIIIIIIIIIIII
PIDIDIPPPPIIDDIPIDDPDDDDDDDDDDDDD PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD PIDIDIPPPPIIIIIPIDDPIDDDDDDDIDIDD
PIDIDIPPPPIIIIIPIDDPIIIIIIIIIDIII PIDIDIPPPPIIDDIPIDDPDDDDDDDDIDDDD PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD
PIDIDIPPPPIIDDIPDIDPDDDDDDIIDDDDD PIDIDIPPPPIIDDIPDIDPDDDDDDDIDDDDD PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDD
PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDI PIDIDIPPPPIIDDIPDIDPDIIDDIIDDDDDD PIDIDIPPPPIIDDIPDIDPDDDDDDIIDDDDD
PIDIDIPPPPIIDDIPDIDPDDDDDDDIDDDDD PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD
PIDIDIPPPPIIIDIPIIIPIDDIIDDDIDIII PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDI PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDD
""".split()
# Unicode 14 line-break classes (ambiguous ones resolved to AL, as for UTF-8) where _guess_class is
# wrong, for the blocks this module claims to be exact for; generated from libunistring's table.
_EXCEPTIONS = """0009:BA 000A:LF 000B-000C:BK 000D:CR 0020:SP 0021:EX 0022:QU 0025:PO 0027:QU 0029:CP1 002B:PR
002C:IS 002D:HY 002E:IS 002F:SY 003A-003B:IS 003F:EX 005C:PR 005D:CP1 007C:BA 0085:BK 00A0:GL
00A1:OP1 00A2:PO 00AD:BA 00B0:PO 00B1:PR 00B4:BB 00BF:OP1 02C8:BB 02CC:BB 02DF:BB 034F:GL
035C-0362:GL 037E:IS 0589:IS 05C6:EX 05D0-05EA:HL 05EF-05F2:HL 2007:GL 200B:ZW 200D:ZWJ 2011:GL
2014:B2 2015:AL 2024-2026:IN 2027:BA 2028-2029:BK 202F:GL 2030-2037:PO 203C-203D:NS 2044:IS
2047-2049:NS 2056:BA 2058-205B:BA 205D-205E:BA 2060:WJ 2061-2064:AL 20A7:PO 20B6:PO 20BB:PO 20BE:PO
20C0:PO 2103:PO 2109:PO 2116:PR 2212-2213:PR 22EF:IN 3001-3002:CL 3005:NS 301C:NS 3030:ID1 3035:CM
303B-303C:NS 303F:ID1 309B-309E:NS 30A0:NS 30FB-30FE:NS FB1D:HL FB1F-FB28:HL FB2A-FB4F:HL FDFC:PO
FE10:IS FE11-FE12:CL FE13-FE14:IS FE15-FE16:EX FE19:IN FE31-FE32:ID1 FE50:CL FE52:CL FE54-FE55:NS
FE56-FE57:EX FE58:ID1 FE63:ID1 FE6A:PO FEFF:WJ FF01:EX FF05:PO FF0C:CL FF0D:ID1 FF0E:CL
FF1A-FF1B:NS FF1F:EX FF61:CL FF64:CL FF65:NS FF66:ID1 FF70:NS FF71-FF9D:ID1 FF9E-FF9F:NS
FFA0-FFBE:ID1 FFC2-FFC7:ID1 FFCA-FFCF:ID1 FFD2-FFD7:ID1 FFDA-FFDC:ID1 FFE0:PO FFFC:ID1"""
_EXC = sorted((int(span[:4], 16), int(span[-4:], 16), _CLASSES.index(cls))
              for span, cls in (item.split(":") for item in _EXCEPTIONS.split()))
_EXC_STARTS = [start for start, _, _ in _EXC]
_POSSIBLE, _PROHIBITED, _MANDATORY = 1, 2, 3
# The pair table as booleans: may a line break between `before` and `after` when they are adjacent (D),
# and when spaces come between them (D or I)?
_BREAK_ADJACENT = [[rule == "D" for rule in row] for row in _PAIRS]
_BREAK_SPACED = [[rule != "P" for rule in row] for row in _PAIRS]
# Classes whose rules look further back than the last non-space character, and mandatory breaks: text
# with one of them is broken by the exact port (_width_linebreaks), all other text by _line_breaks's shortcut.
_CONTEXTUAL = re.compile(b"[" + re.escape(bytes([HL, RI, ZWJ, EB, EM, BK, CR, LF, CM, ZW])) + b"]")


def _guess_class(ch: str) -> int:
    """The line-break class of ``ch`` from its Unicode category, East Asian width and name."""
    cp, cat, eaw = ord(ch), unicodedata.category(ch), unicodedata.east_asian_width(ch)
    if 0xAC00 <= cp <= 0xD7A3:
        return H2 if (cp - 0xAC00) % 28 == 0 else H3
    for low, high, jamo in ((0x1100, 0x115F, JL), (0xA960, 0xA97C, JL), (0x1160, 0x11A7, JV),
                            (0xD7B0, 0xD7C6, JV), (0x11A8, 0x11FF, JT), (0xD7CB, 0xD7FB, JT)):
        if low <= cp <= high:
            return jamo
    simple = {"Mn": CM, "Mc": CM, "Me": CM, "Cc": CM, "Cf": CM, "Zs": BA, "Pd": BA, "Pe": CL,
              "Pi": QU, "Pf": QU, "Sc": PR}
    if cat in simple:
        return simple[cat]
    if cat == "Ps":
        return OP2 if eaw in "WFH" else OP1
    if cat == "Nd" and eaw not in "WF":
        return NU
    if eaw in "WFH" and "LETTER SMALL" in unicodedata.name(ch, ""):
        return NS  # small kana
    return ID1 if eaw in "WF" else AL


def _lb_class(ch: str) -> int:
    """The line-break class of ``ch``: the exceptions table, else the guess."""
    i = bisect_right(_EXC_STARTS, ord(ch)) - 1
    return _EXC[i][2] if i >= 0 and ord(ch) <= _EXC[i][1] else _guess_class(ch)


def _width(ch: str) -> int:
    """Columns of ``ch`` as libunistring's uc_width counts them (controls count 0)."""
    cp = ord(ch)
    if cp < 0x20 or 0x7F <= cp < 0xA0 or 0x1160 <= cp <= 0x11FF or 0xD7B0 <= cp <= 0xD7FF \
            or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


class _CharTable(dict[int, str]):
    """``str.translate`` table, filled in on first use: code point -> chr(4 * line-break class + width)."""

    def __missing__(self, code: int) -> str:
        """Compute, remember and return the entry of code point ``code``."""
        value = self[code] = chr(_lb_class(chr(code)) << 2 | _width(chr(code)))
        return value

    cache_clear = dict.clear  # as functools' caches have it (bench/wrap_speed.py starts each run cold)


_CHAR_TABLE = _CharTable()
_CLASS_OF_CODE, _WIDTH_OF_CODE = bytes(code >> 2 for code in range(256)), bytes(code & 3 for code in range(256))


def _classes_and_columns(text: str) -> tuple[bytes, list[int]]:
    """The line-break class of each character of ``text``, and the columns before each index (len + 1 of them)."""
    codes = text.translate(_CHAR_TABLE).encode("latin-1")  # one dict lookup per character
    return codes.translate(_CLASS_OF_CODE), list(accumulate(codes.translate(_WIDTH_OF_CODE), initial=0))


def _break_opportunities(classes: bytes) -> list[int]:
    """u8_possible_linebreaks: for each character (given by its class), whether a line may break before it."""
    result: list[int] = []
    last = prev = BK  # last: class of the last non-space character; prev: of the previous one
    seen_space, ri_count = False, 0
    for prop in classes:
        if prop in (BK, CR, LF):
            result.append(_MANDATORY)
            prev, last, seen_space = prop, BK, False
        else:
            if prop == SP:
                result.append(_PROHIBITED)
                seen_space = True
            elif prop == ZW:
                result.append(_PROHIBITED)
                last, seen_space = ZW, False
            elif prop in (CM, ZWJ):
                attached = last != ZW and not seen_space and last != BK
                result.append(_PROHIBITED if attached or last == BK else _POSSIBLE)
                if not attached:
                    last, seen_space = AL, False
            else:
                if last == BK or prev in (ZWJ, _HL_BA):
                    brk = _PROHIBITED
                elif last == ZW:
                    brk = _POSSIBLE
                elif last == RI and prop == RI:
                    brk = _POSSIBLE if seen_space or ri_count % 2 == 0 else _PROHIBITED
                else:
                    rule = _PAIRS[last][prop]
                    brk = _POSSIBLE if rule == "D" or rule == "I" and seen_space else _PROHIBITED
                result.append(brk)
                last, seen_space = prop, False
            prev = _HL_BA if prev == HL and prop in (HY, BA) else prop
        ri_count = ri_count + 1 if prop == RI else 0
    return result


def _width_linebreaks(classes: bytes, widths: Sequence[int], prohibited: set[int], width: int,
                      column: int) -> list[int]:
    """u8_width_linebreaks: the indexes where gettext starts a new line; the exact port, for any text."""
    result: list[int] = []
    last: int | None = None
    piece = 0
    for i, brk in enumerate(_break_opportunities(classes)):
        if i in prohibited:
            brk = _PROHIBITED
        if brk != _PROHIBITED and last is not None and column + piece > width:
            result.append(last)
            column = 0
        if brk == _MANDATORY:
            last, column, piece = None, 0, 0
            continue
        if brk == _POSSIBLE:
            last, column, piece = i, column + piece, 0
        piece += widths[i]
    if last is not None and column + piece > width:
        result.append(last)
    return result


def _may_break(classes: bytes, at: int, prohibited: set[int]) -> bool:
    """Whether a line may break before ``classes[at]`` (at > 0), in text without _CONTEXTUAL classes."""
    after = classes[at]
    if after == SP or at in prohibited:
        return False
    before = classes[at - 1]
    if before != SP:
        return _BREAK_ADJACENT[before][after]
    at -= 2
    while at >= 0 and classes[at] == SP:
        at -= 1
    return at >= 0 and _BREAK_SPACED[classes[at]][after]  # only spaces before it: no break


def _line_breaks(classes: bytes, cum: list[int], prohibited: set[int], width: int, column: int) -> list[int]:
    """The indexes where gettext starts a new line: ``_width_linebreaks``, with a shortcut for most text.

    Filling lines greedily needs the break opportunities near each line's end only: a line ends at
    its last opportunity before the first character that passes ``width`` (a binary search in ``cum``,
    the columns before each index), or, if it has none there, at its first opportunity. Without the
    _CONTEXTUAL classes, whether a line may break before a character depends only on the last
    non-space character before it and on whether spaces came between (``_may_break``); text with
    them goes through the exact port.
    """
    if _CONTEXTUAL.search(classes):
        widths = [after - before for before, after in zip(cum, cum[1:])]
        return _width_linebreaks(classes, widths, prohibited, width, column)
    end, breaks = len(classes), []
    start, limit = 0, width - column  # the current line starts at index start; it fits while cum <= limit
    while (over := bisect_right(cum, limit, start + 1)) <= end:  # the line would reach past width
        at = over - 1
        while at > start and not _may_break(classes, at, prohibited):
            at -= 1
        if at == start:  # no opportunity where the line fits: it runs on to its first one
            at = over
            while at < end and not _may_break(classes, at, prohibited):
                at += 1
            if at == end:
                break
        breaks.append(at)
        start, limit = at, cum[at] + width
    return breaks


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
        classes, cum = _classes_and_columns(text)
        breaks = _line_breaks(classes, cum, prohibited, width, len(name) + 1 if first else 0)
        if first and text and (k < len(portions) - 1 or breaks):
            lines.append(f'{prefix}{name} ""')  # a string that wraps or has \n starts empty
            first = False
            breaks = _line_breaks(classes, cum, prohibited, width, 0)
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
    """Return the text of ``po`` exactly as GNU ``msgcat`` 0.21 writes it (UTF-8, 79 columns).

    The header comes first (``po.header`` as comment lines, ``po.metadata`` in its dict order,
    ``#, fuzzy`` when ``po.metadata_is_fuzzy``; left out when all three are empty), then the entries
    in their order, then the obsolete ones. Like msgcat, it drops what gettext does not keep: flags
    it does not know (only ``fuzzy``, ``[no-]<lang>-format``, ``range:`` and ``no-wrap`` remain, in
    gettext's order), ``fuzzy`` where the (first) msgstr is empty, a repeated reference, ``./``
    before a reference, and obsolete entries with an empty msgstr.
    """
    fuzzy = po.metadata_is_fuzzy  # a bool, or (from polib's parser) the header's list of flags
    header = polib.POEntry(msgid="", tcomment=po.header or "",
                           msgstr="".join(f"{key}: {value}\n" for key, value in po.metadata.items()),
                           flags=["fuzzy"] if ("fuzzy" in fuzzy if isinstance(fuzzy, list) else fuzzy)
                           else [])
    entries = [header] if header.msgstr or header.tcomment else []
    entries += [e for e in po if not e.obsolete]
    entries += [e for e in po if e.obsolete and (e.msgstr_plural.get(0) if e.msgid_plural else e.msgstr)]
    return "\n".join(_format_entry(entry) for entry in entries)


def write_po(path: Path, po: polib.POFile) -> bool:
    """Write ``format_po(po)`` to ``path`` as UTF-8, atomically and durably; return whether it changed."""
    return write_atomic(path, format_po(po).encode("utf-8"), durable=True)


def read_po(path: Path) -> polib.POFile:
    """Read and parse the PO/POT file at ``path`` (see ``parse_po``); an unreadable file is a ParseError."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(f"cannot read the file: {exc.strerror}", path=path) from exc
    return parse_po(data, path=str(path))


def parse_po_or_error(data: bytes, *, path: str) -> polib.POFile | ParseError:
    """The catalog in ``data`` (``parse_po``), or the located ParseError saying why there is none: the tolerant
    read of a sync, a check run or a hand-off, which collects, skips or reports a bad file and goes on."""
    try:
        return parse_po(data, path=path)
    except ParseError as exc:
        return exc


@dataclass(slots=True)
class _Unit:
    """One entry as the line scan sees it: where its parts are, for the checks polib does not make."""

    line: int
    obsolete: bool
    previous: dict[str, str]
    strings: dict[str, str] = field(default_factory=dict)  # msgctxt, msgid
    plural_line: int | None = None
    msgstr_lines: list[tuple[int, int]] = field(default_factory=list)  # (n of msgstr[n], line)


_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr\[(\d+)\]|msgstr)(?=[\s\"])\s*(.*)")
_UNESCAPE = {"n": "\n", "t": "\t", "r": "\r", "v": "\v", "b": "\b", "f": "\f", '"': '"', "\\": "\\"}


def _scan(text: str, path: str) -> list[_Unit]:
    """Check every quoted string (polib drops or truncates bad ones) and locate each entry's parts."""
    units: list[_Unit] = []
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
                units.append(_Unit(number, obsolete, pending))
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


def _check(units: list[_Unit], po: polib.POFile, path: str) -> None:
    """Duplicates and plural forms, which polib accepts silently."""
    first: dict[tuple[str | None, str | None], int] = {}
    plural_forms = po.metadata.get("Plural-Forms")
    nplurals = nplurals_in(plural_forms or "")  # not in a POT's template
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


#: C0 controls and DEL, except tab, line feed and carriage return: nothing a PO editor writes.
_CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")


class _Lines(str):
    """PO text that polib splits only at ``\\n`` (str.splitlines also splits at U+2028, U+0085...)."""

    def splitlines(self, keepends: bool = False) -> list[str]:  # the one call polib makes
        return self.split("\n")


_WS = r"[^\S\n]"  # white space within a line
#: A line that _scan may read as a string (it holds a quote and is no comment but #~ or #|) and that is not
#: a well-formed one: keyword or none, then one string with known escapes only. None means _scan cannot fail.
_SUSPECT_STRING = re.compile(
    rf'^(?!{_WS}*(?:#~{_WS}*)?(?:#?\|{_WS}*)?(?:(?:msgctxt|msgid_plural|msgid|msgstr\[\d+\]|msgstr){_WS}*)?'
    rf'"(?:[^"\\\n]|\\[ntrvbf"\\])*"{_WS}*$)(?!{_WS}*#[^~|\n])[^\n"]*"', re.M)
_OBSOLETE = re.compile(rf"^{_WS}*#~", re.M)
_PREVIOUS = re.compile(rf"^{_WS}*#(?:~{_WS}*)?\|", re.M)
_LIVE_MSGID = re.compile(rf'^{_WS}*msgid{_WS}*"', re.M)
_PLURAL_INDEX = re.compile(r"msgstr\[(\d+)\]")


def _strings_well_formed(text: str) -> bool:
    """Whether every string of the text is terminated and uses known escapes (so _scan would not fail)."""
    return _SUSPECT_STRING.search(text) is None


def _obsolete_previous(text: str) -> bool:
    """Whether the text may hold previous strings of obsolete entries, which only _scan restores."""
    return _OBSOLETE.search(text) is not None and _PREVIOUS.search(text) is not None


def _needs_check(text: str, po: polib.POFile) -> bool:
    """Whether _check could find anything: a repeated key, or plurals at odds with Plural-Forms."""
    # polib's msgctxt is None without a context (types-polib says str)
    live: list[Key] = [(e.msgctxt, e.msgid) for e in po if not e.obsolete]
    if len(set(live)) != len(live) or (None, "") in live \
            or len(_LIVE_MSGID.findall(text)) - len(live) not in (0, 1):  # 1: the header, not in the list
        return True
    plural_forms = po.metadata.get("Plural-Forms")
    if plural_forms is None:
        return "msgid_plural" in text
    nplurals = nplurals_in(plural_forms)
    return nplurals is not None and any(int(n) >= nplurals for n in _PLURAL_INDEX.findall(text))


#: Charsets whose files are the ASCII subset of UTF-8: read as UTF-8 (a sync writes charset=UTF-8).
ASCII_CHARSETS = ("ASCII", "US-ASCII", "ANSI-X3.4-1968")


def parse_po(text_or_bytes: str | bytes, *, path: str, exact: bool = False) -> polib.POFile:
    """Parse PO/POT text with polib; every problem raises ``ParseError`` with ``path`` and line.

    Accepted: a UTF-8 byte order mark (stripped), CRLF line endings (read as LF) and long lines.
    Rejected: bytes that are not UTF-8, NUL and other control characters, a charset header other
    than UTF-8, polib's syntax errors, unterminated strings, escapes
    polib cannot read (it knows ``\\n \\t \\r \\v \\b \\f \\" \\\\``), a duplicate (msgctxt, msgid)
    among live entries, plural entries without a Plural-Forms header, and msgstr[n] with
    n >= nplurals. The ``#~|`` previous strings of obsolete entries, which polib skips, are restored.
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
    try:  # the trailing newline also keeps polib from taking the text for a file name
        po = polib.pofile(_Lines(text.removesuffix("\n") + "\n"), encoding="utf-8")
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
