"""UAX #14 line breaking as GNU gettext does it: a port of libunistring 1.0 (gnulib ``lib/unilbrk``, January 2022).

``msgcat`` wraps each string of a PO file at 79 columns with libunistring's ``u8_width_linebreaks``;
:mod:`pipeline.po.files` breaks lines with this module so that it breaks exactly where msgcat does.

What it follows:

- the line-break classes of Unicode 14 (the version of libunistring 1.0 and of Python 3.11's
  ``unicodedata``), ambiguous ones (AI) resolved to AL as libunistring resolves them for UTF-8, with
  libunistring's split of CP, OP and ID in two (``CP1``/``CP2``, ``OP1``/``OP2``, ``ID1``/``ID2``);
- libunistring's pair table (``unilbrk_table``: break, break only after spaces, never) and the rules it
  applies outside the table: mandatory breaks (BK, CR, LF), ZW, combining marks and ZWJ kept with what
  precedes them, regional indicators in pairs, a Hebrew letter before a hyphen (LB21a);
- ``u8_width_linebreaks``'s greedy filling: a line ends at its last break opportunity before the text passes
  the width, or, with none there, at its first one after; East Asian wide and full-width characters count
  two columns, controls, non-spacing marks and format characters none.

Where it departs from libunistring:

- line-break classes are exact for Latin, Greek, Cyrillic, Hebrew, general punctuation, CJK, kana and Hangul
  (a table of exceptions to a guess, generated from libunistring's), and guessed from the Unicode category,
  East Asian width and name for other scripts and for emoji, so a Thai or emoji-rich string may be broken
  elsewhere than msgcat breaks it (tests/test_linebreak.py compares the exact blocks with libunistring);
- a caller may forbid breaks before given indexes (``prohibited``), which libunistring has no notion of:
  gettext's write-po.c forbids them inside an escape and a format directive, and :mod:`pipeline.po.files`
  says so this way.

:func:`break_opportunities` and :func:`width_linebreaks` are the port, character by character;
:func:`line_breaks` gives the same breaks and, in text without :data:`CONTEXTUAL` classes (most text),
looks at each line's end only.

>>> def lines(text, width, prohibited=()):
...     classes, columns = classes_and_columns(text)
...     ends = line_breaks(classes, columns, set(prohibited), width, 0)
...     return [text[a:b] for a, b in zip([0, *ends], [*ends, len(text)])]
>>> lines("Ferritin is a blood protein that contains iron.", 20)  # spaces stay at the end of a line
['Ferritin is a blood ', 'protein that ', 'contains iron.']
>>> lines("페리틴은 철분을 함유한 혈액 단백질입니다.", 20)  # two columns a syllable, a break between any two
['페리틴은 철분을 함유', '한 혈액 단백질입니', '다.']
>>> lines("フェリチンは鉄を含む血液中のタンパク質です。", 20)  # never before 。
['フェリチンは鉄を含む', '血液中のタンパク質で', 'す。']
>>> lines("see [3] [6], 10–20% of 5 mg/kg", 12)
['see [3] ', '[6], 10–20% ', 'of 5 mg/kg']
>>> lines("see [3] [6], 10–20% of 5 mg/kg", 12, prohibited={8})  # not before [6]: an earlier break
['see ', '[3] [6], 10–', '20% of 5 mg/', 'kg']
>>> [CLASSES[c] for c in classes_and_columns("(1.5)")[0]], classes_and_columns("가a")[1]
(['OP1', 'NU', 'IS', 'NU', 'CP1'], [0, 2, 3])
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate

#: The line-break classes in libunistring's order; a class is its index here (``CLASSES[H2] == "H2"``).
CLASSES = ("WJ GL B2 BA BB HY CL CP1 CP2 EX IN NS OP1 OP2 QU IS NU PO PR SY AL H2 H3 ID1 ID2 JL JV "
           "JT HL RI ZWJ EB EM BK CR LF CM ZW SP").split()
(WJ, GL, B2, BA, BB, HY, CL, CP1, CP2, EX, IN, NS, OP1, OP2, QU, IS, NU, PO, PR, SY, AL, H2, H3, ID1,
 ID2, JL, JV, JT, HL, RI, ZWJ, EB, EM, BK, CR, LF, CM, ZW, SP) = range(len(CLASSES))
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
_EXC = sorted((int(span[:4], 16), int(span[-4:], 16), CLASSES.index(cls))
              for span, cls in (item.split(":") for item in _EXCEPTIONS.split()))
_EXC_STARTS = [start for start, _, _ in _EXC]
#: What :func:`break_opportunities` says of a character: a line may, may not, or must break before it.
POSSIBLE, PROHIBITED, MANDATORY = 1, 2, 3
# The pair table as booleans: may a line break between `before` and `after` when they are adjacent (D),
# and when spaces come between them (D or I)?
_BREAK_ADJACENT = [[rule == "D" for rule in row] for row in _PAIRS]
_BREAK_SPACED = [[rule != "P" for rule in row] for row in _PAIRS]
#: Classes whose rules look further back than the last non-space character, and mandatory breaks: text
#: with one of them is broken by the exact port (width_linebreaks), all other text by line_breaks's shortcut.
CONTEXTUAL = re.compile(b"[" + re.escape(bytes([HL, RI, ZWJ, EB, EM, BK, CR, LF, CM, ZW])) + b"]")


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


def break_class(ch: str) -> int:
    """The line-break class of ``ch``: the exceptions table, else the guess."""
    i = bisect_right(_EXC_STARTS, ord(ch)) - 1
    return _EXC[i][2] if i >= 0 and ord(ch) <= _EXC[i][1] else _guess_class(ch)


def column_width(ch: str) -> int:
    """Columns of ``ch`` as libunistring's uc_width counts them (controls count 0)."""
    cp = ord(ch)
    if cp < 0x20 or 0x7F <= cp < 0xA0 or 0x1160 <= cp <= 0x11FF or 0xD7B0 <= cp <= 0xD7FF \
            or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


class _CharTable(dict[int, str]):
    """``str.translate`` table: code point -> chr(4 * line-break class + width), each Latin-1 one from the start
    and any other once met (:meth:`learn`). A plain lookup: ``__missing__`` would make each one slower."""

    def __init__(self) -> None:
        super().__init__()
        self.ascii = b""  #: the same for the ASCII code points, as a ``bytes.translate`` table

    def learn(self, text: str) -> None:
        """Add the entries of the characters of ``text`` not in the table yet (all Latin-1 ones at first)."""
        if not self:
            self.update((code, _char_code(chr(code))) for code in range(256))
            self.ascii = self.translate_bytes()
        for char in set(text):
            if ord(char) not in self:
                self[ord(char)] = _char_code(char)

    def translate_bytes(self) -> bytes:
        """The 256-byte ``bytes.translate`` table of the Latin-1 entries."""
        return bytes(ord(self[code]) for code in range(256))

    def cache_clear(self) -> None:
        """Forget every entry, as functools' caches do (bench/wrap_speed.py starts each run cold)."""
        self.clear()
        self.ascii = b""


def _char_code(char: str) -> str:
    return chr(break_class(char) << 2 | column_width(char))


_CHAR_TABLE = _CharTable()
_CLASS_OF_CODE, _WIDTH_OF_CODE = bytes(code >> 2 for code in range(256)), bytes(code & 3 for code in range(256))


def classes_and_columns(text: str) -> tuple[bytes, list[int]]:
    """The line-break class of each character of ``text``, and the columns before each index (len + 1 of them)."""
    table = _CHAR_TABLE
    if not table:
        table.learn("")
    if text.isascii():  # one byte a character: a bytes table, and each printable one takes a column
        codes = text.encode("ascii").translate(table.ascii)
        if text.isprintable():
            return codes.translate(_CLASS_OF_CODE), list(range(len(text) + 1))
    else:
        try:  # one dict lookup per character; a character the table lacks stays as it is, past Latin-1
            codes = text.translate(table).encode("latin-1")
        except UnicodeEncodeError:
            table.learn(text)
            codes = text.translate(table).encode("latin-1")
    return codes.translate(_CLASS_OF_CODE), list(accumulate(codes.translate(_WIDTH_OF_CODE), initial=0))


def break_opportunities(classes: bytes) -> list[int]:
    """u8_possible_linebreaks: for each character (given by its class), whether a line may break before it."""
    result: list[int] = []
    last = prev = BK  # last: class of the last non-space character; prev: of the previous one
    seen_space, ri_count = False, 0
    for prop in classes:
        if prop in (BK, CR, LF):
            result.append(MANDATORY)
            prev, last, seen_space = prop, BK, False
        else:
            if prop == SP:
                result.append(PROHIBITED)
                seen_space = True
            elif prop == ZW:
                result.append(PROHIBITED)
                last, seen_space = ZW, False
            elif prop in (CM, ZWJ):
                attached = last != ZW and not seen_space and last != BK
                result.append(PROHIBITED if attached or last == BK else POSSIBLE)
                if not attached:
                    last, seen_space = AL, False
            else:
                if last == BK or prev in (ZWJ, _HL_BA):
                    brk = PROHIBITED
                elif last == ZW:
                    brk = POSSIBLE
                elif last == RI and prop == RI:
                    brk = POSSIBLE if seen_space or ri_count % 2 == 0 else PROHIBITED
                else:
                    rule = _PAIRS[last][prop]
                    brk = POSSIBLE if rule == "D" or rule == "I" and seen_space else PROHIBITED
                result.append(brk)
                last, seen_space = prop, False
            prev = _HL_BA if prev == HL and prop in (HY, BA) else prop
        ri_count = ri_count + 1 if prop == RI else 0
    return result


def width_linebreaks(classes: bytes, widths: Sequence[int], prohibited: set[int], width: int,
                      column: int) -> list[int]:
    """u8_width_linebreaks: the indexes where gettext starts a new line; the exact port, for any text."""
    result: list[int] = []
    last: int | None = None
    piece = 0
    for i, brk in enumerate(break_opportunities(classes)):
        if i in prohibited:
            brk = PROHIBITED
        if brk != PROHIBITED and last is not None and column + piece > width:
            result.append(last)
            column = 0
        if brk == MANDATORY:
            last, column, piece = None, 0, 0
            continue
        if brk == POSSIBLE:
            last, column, piece = i, column + piece, 0
        piece += widths[i]
    if last is not None and column + piece > width:
        result.append(last)
    return result


def _may_break(classes: bytes, at: int, prohibited: set[int]) -> bool:
    """Whether a line may break before ``classes[at]`` (at > 0), in text without CONTEXTUAL classes."""
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


def line_breaks(classes: bytes, cum: list[int], prohibited: set[int], width: int, column: int) -> list[int]:
    """The indexes where gettext starts a new line: ``width_linebreaks``, with a shortcut for most text.

    Filling lines greedily needs the break opportunities near each line's end only: a line ends at
    its last opportunity before the first character that passes ``width`` (a binary search in ``cum``,
    the columns before each index), or, if it has none there, at its first opportunity. Without the
    CONTEXTUAL classes, whether a line may break before a character depends only on the last
    non-space character before it and on whether spaces came between (``_may_break``); text with
    them goes through the exact port.
    """
    if CONTEXTUAL.search(classes):
        widths = [after - before for before, after in zip(cum, cum[1:])]
        return width_linebreaks(classes, widths, prohibited, width, column)
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

