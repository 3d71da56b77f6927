"""po/linebreak.py: the UAX #14 line breaking the PO writer wraps with, against the libunistring msgcat uses.

The writer's bytes are compared with GNU msgcat in tests/test_pofile.py; here the breaker itself: its
classes and opportunities against libunistring, its shortcut against the exact port, and its docstring
examples.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import doctest
import unicodedata
from itertools import accumulate

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pipeline.po.linebreak
from pipeline.po.linebreak import (
    CLASSES,
    CONTEXTUAL,
    MANDATORY,
    POSSIBLE,
    PROHIBITED,
    SP,
    break_class,
    break_opportunities,
    classes_and_columns,
    column_width,
    line_breaks,
    width_linebreaks,
)

from .test_pofile import PIECE

# Where the module says its line-break classes are exact (module docstring).
EXACT_BLOCKS = [(0x20, 0x600), (0x2000, 0x2200), (0x3000, 0x3190), (0x3400, 0xA000), (0xAC00, 0xD7A4),
                (0xF900, 0xFB50), (0xFE10, 0xFE70), (0xFF00, 0xFFF0)]


def test_the_docstring_examples_hold() -> None:
    result = doctest.testmod(pipeline.po.linebreak)
    assert result.attempted > 0
    assert result.failed == 0


def test_line_break_opportunities_match_libunistring() -> None:
    """The UAX #14 port agrees with the libunistring that msgcat uses, character by character."""
    name = ctypes.util.find_library("unistring")
    if name is None:
        pytest.skip("SKIPPED LOUDLY: libunistring (a dependency of GNU gettext) is not installed")
    lib = ctypes.CDLL(name)
    chars = [chr(c) for low, high in EXACT_BLOCKS for c in range(low, high)
             if unicodedata.category(chr(c)) not in ("Cn", "Co", "Cs")]
    text = "".join(f"a{c}{c} {c}1{c}({c}\u00a0{c}가{c}-{c}.{c}" for c in chars)
    data = text.encode("utf-8")
    raw = ctypes.create_string_buffer(len(data))
    lib.u8_possible_linebreaks(data, len(data), b"UTF-8", raw)
    starts, offset = [], 0
    for ch in text:
        starts.append(offset)
        offset += len(ch.encode("utf-8"))
    breaks = raw.raw
    theirs = [{1: "no", 2: "yes", 3: "must"}[breaks[i]] for i in starts]
    ours = [{PROHIBITED: "no", POSSIBLE: "yes", MANDATORY: "must"}[b]
            for b in break_opportunities(classes_and_columns(text)[0])]
    wrong = sorted({text[i] for i, (a, b) in enumerate(zip(ours, theirs)) if a != b})
    assert wrong == []


SHORTCUT_CLASSES = [c for c in range(len(CLASSES)) if not CONTEXTUAL.search(bytes([c]))]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(SHORTCUT_CLASSES + [SP] * 8), st.integers(0, 2)), max_size=160),
       st.sets(st.integers(0, 160), max_size=20), st.integers(0, 80), st.integers(0, 20))
def test_line_breaks_shortcut_agrees_with_exact_port(chars: list[tuple[int, int]], prohibited: set[int],
                                                     width: int, column: int) -> None:
    """line_breaks, which looks at line ends only, breaks where the character-by-character port does."""
    classes, widths = bytes(c for c, _ in chars), [w for _, w in chars]
    cum = list(accumulate(widths, initial=0))
    assert line_breaks(classes, cum, prohibited, width, column) == \
        width_linebreaks(classes, widths, prohibited, width, column)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.characters(blacklist_categories=("Cs",)) | PIECE | st.sampled_from(["😀", "👍🏽", "❤️", "🇰🇷"]),
                max_size=120).map("".join), st.integers(10, 78))
def test_classes_and_line_breaks_agree_with_exact_port_on_any_text(text: str, width: int) -> None:
    classes, cum = classes_and_columns(text)
    assert classes == bytes(break_class(ch) for ch in text)
    widths = [column_width(ch) for ch in text]
    assert cum == list(accumulate(widths, initial=0))
    assert line_breaks(classes, cum, set(), width, 7) == width_linebreaks(classes, widths, set(), width, 7)
