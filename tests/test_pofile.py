"""pofile: gettext-identical writing (checked against real msgcat/msgfmt) and located parse errors."""

from __future__ import annotations

import random
import re
import subprocess
import unicodedata
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.core.errors import ParseError
from pipeline.po.files import format_po, parse_po, read_po, write_po

from .helpers import edit_lines

DATA = Path(__file__).parent / "data" / "pofile"

EN_PARAGRAPH = (
    "Ferritin is a blood protein that contains iron. A ferritin test helps your doctor understand "
    "how much iron your body stores. If a ferritin test reveals that your blood ferritin level is "
    "lower than normal, it indicates your body's iron stores are low and you have iron deficiency. "
    "As a result, you could be anemic; see \"Anemia\" (and C:\\path\\to\\notes) for details.")
KO_PARAGRAPH = (
    "페리틴은 철분을 함유한 혈액 단백질입니다. 페리틴 검사는 신체에 저장된 철분의 양을 의사가 "
    "이해하는 데 도움이 됩니다. 페리틴 검사 결과 혈중 페리틴 수치가 정상보다 낮으면 신체의 철분 "
    "저장량이 부족하고 철 결핍이 있음을 나타냅니다. 그 결과 빈혈이 생길 수 있습니다.")
MIXED = ("<b>Foo:</b> 페리틴 수치가 높으면 염증이나 간 질환을 뜻할 수 있습니다 [3] [6]. <b>참고:</b> "
         "ferritin은 급성기 반응물질(acute-phase reactant)이므로 감염 중에는 수치가 올라갑니다 [12].")


def _catalog() -> polib.POFile:
    po = polib.POFile()
    po.header = "Korean translation of the ferritin article.\nCopyright (C) 2026 the project\n"
    po.metadata = {
        "Project-Id-Version": "health-l10n 0.1",
        "Report-Msgid-Bugs-To": "l10n@example.org",
        "POT-Creation-Date": "2026-03-05 10:00+0000",
        "PO-Revision-Date": "2026-03-06 11:30+0900",
        "Last-Translator": "Kim Minji <minji@example.org>",
        "Language-Team": "Korean <ko@example.org>",
        "Language": "ko",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=1; plural=0;",
        "X-Generator": "health-l10n with a deliberately long generator value that needs wrapping",
    }
    refs = [(f"source_articles/section-{i}/ferritin-levels.html", str(10 * i)) for i in range(9)]
    po.append(polib.POEntry(msgid=EN_PARAGRAPH, msgstr=KO_PARAGRAPH, occurrences=refs,
                            comment="Paragraph in <main>.\n" + "Keep the citation markers." * 6,
                            tcomment="Reviewed by the clinical team.\nSecond line."))
    po.append(polib.POEntry(msgid="가" * 100 + " " + KO_PARAGRAPH * 2, msgstr=MIXED,
                            occurrences=[("notes.txt", ""), ("glossary.md", "")]))
    po.append(polib.POEntry(msgid=MIXED, msgstr=MIXED + " " + EN_PARAGRAPH))
    po.append(polib.POEntry(msgid="Line one\nLine \"two\"\twith a tab\n\nback\\slash\n",
                            msgstr="첫째 줄\n둘째 줄\u00a0(NBSP)\n"))
    po.append(polib.POEntry(msgctxt="navigation", msgid="Next", msgstr="다음"))
    po.append(polib.POEntry(msgid="One result", msgid_plural="%d results", msgstr_plural={0: "결과 %d개"},
                            flags=["c-format"]))
    po.append(polib.POEntry(msgid="Iron stores are low in " + KO_PARAGRAPH, msgstr="철분 저장량이 낮음",
                            flags=["fuzzy"], previous_msgctxt="old-context",
                            previous_msgid="Iron stores are low " * 6))
    po.append(polib.POEntry(msgid="Old sentence " * 8, msgstr="옛 문장 " * 12, obsolete=True,
                            previous_msgid="Older sentence " * 7, flags=["fuzzy"]))
    po.append(polib.POEntry(msgid="Removed", msgstr="삭제됨", obsolete=True, tcomment="kept for reuse"))
    return po


def _msgcat(msgcat: str, tmp_path: Path, text: str) -> str:
    src, out = tmp_path / "in.po", tmp_path / "out.po"
    src.write_bytes(text.encode("utf-8"))
    run = subprocess.run([msgcat, str(src), "-o", str(out)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return out.read_bytes().decode("utf-8")


def _columns(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def _fields(entry: polib.POEntry) -> tuple:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural, entry.msgstr, entry.msgstr_plural,
            entry.tcomment, entry.comment, entry.occurrences, entry.flags, entry.obsolete,
            entry.previous_msgctxt, entry.previous_msgid, entry.previous_msgid_plural)


@pytest.mark.gettext
def test_format_po_is_byte_identical_to_msgcat(msgcat: str, tmp_path: Path) -> None:
    text = format_po(_catalog())
    assert _msgcat(msgcat, tmp_path, text) == text
    assert "#~| msgid" in text and "#| msgctxt" in text and "\n#: " in text
    assert max(_columns(line) for line in text.splitlines() if not line.startswith("#.")) <= 79


def test_hangul_counts_two_columns() -> None:
    po = polib.POFile()
    po.append(polib.POEntry(msgid="가" * 100))
    lines = format_po(po).splitlines()
    assert lines[:2] == ['msgid ""', '"' + "가" * 38 + '"']  # 78 columns; a 39th syllable makes 80


@pytest.mark.gettext
def test_polib_own_writer_is_not_what_msgcat_writes(msgcat: str, tmp_path: Path) -> None:
    """Why this module exists: polib counts a Hangul syllable as one column, so msgcat reflows it."""
    po = polib.POFile()
    po.header = "polib"
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="Ferritin", msgstr=KO_PARAGRAPH))
    polib_text = str(po) + "\n"
    assert max(_columns(line) for line in polib_text.splitlines()) > 79
    assert _msgcat(msgcat, tmp_path, polib_text) != polib_text
    assert _msgcat(msgcat, tmp_path, polib_text) == format_po(po)


@pytest.mark.gettext
def test_msgfmt_check_accepts_output(msgfmt: str, tmp_path: Path) -> None:
    path = tmp_path / "ko.po"
    write_po(path, _catalog())
    run = subprocess.run([msgfmt, "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_parse_po_of_format_po_gives_back_the_entries() -> None:
    po = _catalog()
    back = parse_po(format_po(po), path="ko.po")
    assert back.metadata == po.metadata
    assert back.header.rstrip("\n") == po.header.rstrip("\n")
    assert [_fields(e) for e in back] == [_fields(e) for e in po]


def test_parse_po_keeps_line_separators_inside_strings() -> None:
    po = polib.POFile()
    po.append(polib.POEntry(msgid="a\u2028b\u0085c\x0cd", msgstr="x"))
    assert parse_po(format_po(po), path="x.po")[0].msgid == "a\u2028b\u0085c\x0cd"


def test_write_po_writes_only_changes(tmp_path: Path) -> None:
    path, po = tmp_path / "ko.po", _catalog()
    assert write_po(path, po) is True
    assert path.read_bytes() == format_po(po).encode("utf-8")
    assert write_po(path, po) is False
    po[0].msgstr = "바뀐 번역"
    assert write_po(path, po) is True
    assert read_po(path)[0].msgstr == "바뀐 번역"


@pytest.mark.gettext
def test_format_po_normalises_like_msgcat(msgcat: str, tmp_path: Path) -> None:
    po = polib.POFile()
    po.header = "Normalisation"
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="a", msgstr="", flags=["fuzzy", "python-format", "x-custom"],
                            occurrences=[("./a.py", "1"), ("./a.py", "1"), ("b.py", "")]))
    po.append(polib.POEntry(msgid="b", msgstr="b", flags=["c-format, fuzzy", "range: 1..3"]))
    po.append(polib.POEntry(msgid="gone", msgstr="", obsolete=True))
    expected = ('# Normalisation\nmsgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                '#: a.py:1 b.py\n#, python-format\nmsgid "a"\nmsgstr ""\n\n'
                '#, fuzzy, c-format, range: 1..3\nmsgid "b"\nmsgstr "b"\n')
    assert format_po(po) == expected
    assert _msgcat(msgcat, tmp_path, str(po) + "\n") == expected  # polib writes them as given


HANGUL = st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3)
OTHER = st.sampled_from(list(" \n\"\\\t.,;:!?()[]<>/-%'") + [" "] * 8 +
                        list("\u00a0…—–“”‘’·「」《》、。一中文")) | st.characters(min_codepoint=0x20,
                                                                                 max_codepoint=0x7E)
TEXT = st.text(alphabet=HANGUL | OTHER, max_size=300)


@pytest.mark.gettext
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(TEXT, TEXT, st.booleans()), min_size=1, max_size=25))
def test_arbitrary_text_survives_msgcat(msgcat: str, tmp_path: Path,
                                        texts: list[tuple[str, str, bool]]) -> None:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for i, (msgid, msgstr, obsolete) in enumerate(texts):
        po.append(polib.POEntry(msgid=f"{i} {msgid}", msgstr=msgstr or "x", obsolete=obsolete,
                                flags=["fuzzy"], previous_msgid=msgstr))
    text = format_po(po)
    assert _msgcat(msgcat, tmp_path, text) == text
    assert [_fields(e) for e in parse_po(text, path="h.po")] == \
        [_fields(e) for e in po if not e.obsolete] + [_fields(e) for e in po if e.obsolete]


# Pieces of health-article text as translators write it, for the tests below; emoji are left out of
# the msgcat comparisons because po/linebreak.py guesses their classes (its docstring).
PIECES = {
    "ko": "페리틴은 철분을 함유한 혈액 단백질입니다 검사 결과 수치가 낮으면 빈혈이 생길 수 있습니다".split(),
    "ja": ["フェリチンは", "鉄を含む", "血液中の", "タンパク質です。", "検査では、", "「貧血」", "ことがあります",
           "ビタミンD", "ー", "ゃっ", "・", "〜", "※", "ください。", "（注）"],
    "latin": ["ferritin", "Iron", "e.g.", "U.S.", "don't", "C:\\path", '"quoted"', "(see", "note)",
              "well-known", "http://example.org/a/b?c=1", "naïve", "Ωmega", "Привет", "x" * 90],
    "markers": ["[3]", "[6]", "[12]", "[3] [6]", "[3,6]", "[3–5]", "<b1>", "</b1>", "<a2>", "</a2>", "<br/>",
                "{count}", "{name}", "%d", "%s", "%(n)s", "%1$s", "%%", "%5.2f"],
    "numbers": ["5 mg/kg", "10–20%", "1,000", "3.5", "37.5°C", "≥ 30 ng/mL", "±2", "$20", "€5", "¥100",
                "1/2", "50%", "2.5×", "No. 5"],
    "punctuation": [", ", ". ", "、", "。", "！", "？", "（", "）", "：", "；", "…", "—", "–", "‘", "’", "“",
                    "”", "«", "»", "·", "-", "/", ";", "!", "?", "'", "ＡＢＣ", "１２３", "％", "＆", "ｶﾀｶﾅ"],
    "spaces": [" ", " ", " ", "  ", "\n", "\t", "\u00a0", "\u3000", "\n\n"],
    "rare": ["e\u0301", "か\u3099", "가\u0300", "\u0301", "\u200b", "\u2060", "\u202f", "\u2028", "\u0085",
             "שָׁלוֹם-", "\u200d", "\ufeff", "——", "\u00ad", "\u1100\u1161\u11a8"],
}
PIECE = st.sampled_from([piece for pieces in PIECES.values() for piece in pieces])
MIXED_TEXT = st.lists(PIECE | st.sampled_from(["", " "]), max_size=120).map("".join)


def _mixed_text(rng: random.Random) -> str:
    """Mostly Korean or Japanese, with Latin, markers, numbers and punctuation; now and then long or rare."""
    main = rng.choice(["ko", "ja"])
    groups = [main] * 6 + ["latin", "markers", "numbers", "punctuation", "punctuation", "spaces"]
    groups += ["rare"] if rng.random() < 0.1 else []
    size = rng.choice([1, 2, 5, 12, 30, 60, 150])
    return "".join(rng.choice(PIECES[rng.choice(groups)]) + rng.choice(["", " ", " "]) for _ in range(size))


@pytest.mark.gettext
def test_mixed_text_is_wrapped_as_msgcat_wraps_it(msgcat: str, tmp_path: Path) -> None:
    """Two thousand entries of every shape (plural, context, flags, obsolete, previous) against msgcat."""
    rng = random.Random(14)
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    for i in range(2000):
        entry = polib.POEntry(msgid=f"{i} {_mixed_text(rng)}", msgstr=_mixed_text(rng) or "x",
                              flags=rng.choice([[], [], ["fuzzy"], ["c-format"], ["python-format"], ["no-wrap"]]),
                              obsolete=rng.random() < 0.05)
        if rng.random() < 0.1:
            entry.msgctxt = _mixed_text(rng)
        if rng.random() < 0.1:
            entry.msgid_plural, entry.msgstr_plural = _mixed_text(rng), {0: _mixed_text(rng), 1: _mixed_text(rng)}
        if rng.random() < 0.1:
            entry.previous_msgid = _mixed_text(rng)
        po.append(entry)
    text = format_po(po)
    assert _msgcat(msgcat, tmp_path, text) == text


@pytest.mark.gettext
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(MIXED_TEXT, MIXED_TEXT, st.sampled_from(["", "c-format", "no-wrap"])),
                min_size=1, max_size=20))
def test_mixed_pieces_survive_msgcat(msgcat: str, tmp_path: Path, texts: list[tuple[str, str, str]]) -> None:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for i, (msgid, msgstr, flag) in enumerate(texts):
        po.append(polib.POEntry(msgid=f"{i} {msgid}", msgstr=msgstr, flags=[flag] if flag else []))
    text = format_po(po)
    assert _msgcat(msgcat, tmp_path, text) == text


@pytest.mark.parametrize(("name", "line", "phrase"), [
    ("bad_syntax.po", 11, "syntax error"),
    ("bad_unterminated.po", 9, "unterminated string"),
    ("bad_quote.po", 9, "after the closing quote"),
    ("bad_duplicate.po", 16, "duplicate message definition; the first one is at line 8"),
    ("bad_plural_index.po", 11, "msgstr[1] is beyond nplurals=1"),
    ("bad_plural_no_header.po", 6, "no Plural-Forms"),
    ("bad_escape.po", 9, "unsupported escape sequence \\x"),
    ("bad_utf8.po", 9, "invalid UTF-8"),
])
def test_bad_file_raises_located_parse_error(name: str, line: int, phrase: str) -> None:
    path = DATA / name
    with pytest.raises(ParseError) as caught:
        read_po(path)
    assert (caught.value.path, caught.value.line) == (str(path), line)
    assert phrase in caught.value.message
    assert caught.value.hint
    assert str(caught.value).startswith(f"{path}:{line}: ")


def test_utf8_error_hint_and_nul() -> None:
    with pytest.raises(ParseError) as caught:
        read_po(DATA / "bad_utf8.po")
    assert "UTF-8" in caught.value.hint
    with pytest.raises(ParseError) as caught:
        parse_po(b'msgid "a"\nmsgstr "b"\n\nmsgid "c\x00"\nmsgstr ""\n', path="nul.po")
    assert (caught.value.path, caught.value.line) == ("nul.po", 4)
    assert "NUL" in caught.value.message


def test_bom_and_crlf_are_accepted_and_lines_still_count() -> None:
    data = (b'\xef\xbb\xbfmsgid ""\r\nmsgstr ""\r\n"Content-Type: text/plain; charset=UTF-8\\n"\r\n\r\n'
            b'msgid "a"\r\nmsgstr "\xea\xb0\x80"\r\n')
    po = parse_po(data, path="crlf.po")
    assert (po[0].msgid, po[0].msgstr) == ("a", "가")
    with pytest.raises(ParseError) as caught:
        parse_po(data + b'\r\nmsgid "a"\r\nmsgstr "b"\r\n', path="crlf.po")
    assert caught.value.line == 8


@pytest.mark.parametrize(("forms", "line", "message", "msgfmt_rejects"), [
    ('msgstr[0] "x"\nmsgstr[2] "y"\n', 9, "wrong index: msgstr[2] where msgstr[1]", True),
    ('msgstr[0] "x"\nmsgstr[0] "y"\n', 9, "wrong index: msgstr[0] where msgstr[1]", True),
    ('msgstr[1] "x"\n', 8, "wrong index", True),
    ('msgstr[7] msgstr[0] "x"\n', 8, "msgstr[7] must be followed by a quoted string", True),
    ('msgstr[0] "x"\nmsgstr[1] # c\n', 9, "msgstr[1] must be followed by a quoted string", True),
    # valid for GNU gettext, but polib reads msgstr[1] as "msgstr[1y": refused rather than garbled
    ('msgstr[0] "x"\nmsgstr[1]\n"y"\nmsgstr[2] "z"\n', 9, "msgstr[1] must be followed by a quoted string",
     False),
])
def test_plural_forms_polib_would_misread_are_parse_errors(msgfmt: str, tmp_path: Path, forms: str, line: int,
                                                           message: str, msgfmt_rejects: bool) -> None:
    text = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
            '"Plural-Forms: nplurals=3; plural=n%3;\\n"\n\nmsgid "a"\nmsgid_plural "b"\n' + forms)
    for exact in (False, True):
        with pytest.raises(ParseError, match=re.escape(message)) as caught:
            parse_po(text, path="p.po", exact=exact)
        assert caught.value.line == line
    (tmp_path / "p.po").write_text(text, encoding="utf-8")
    checked = subprocess.run([msgfmt, "--check", "-o", "/dev/null", str(tmp_path / "p.po")], capture_output=True)
    assert (checked.returncode != 0) == msgfmt_rejects, checked.stderr


def test_missing_file_is_a_parse_error(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="cannot read"):
        read_po(tmp_path / "missing.po")


# ---- parse_po's shortcut: the line scan is skipped for well-formed files, with the same outcome ---------
_ROOT = Path(__file__).resolve().parent.parent
_PO_SAMPLES = sorted({*_ROOT.glob("locales/**/*.po"), *_ROOT.glob("locales/**/*.pot"),
                      *Path(__file__).parent.glob("**/*.po"), *Path(__file__).parent.glob("**/*.pot")})


def _outcome(text: str, exact: bool) -> tuple:
    """What parse_po makes of ``text``: the error (message, line) or the entries with previous strings."""
    try:
        po = parse_po(text, path="x.po", exact=exact)
    except ParseError as exc:
        return ("error", exc.message if hasattr(exc, "message") else str(exc), exc.line)
    entries = [(e.msgctxt, e.msgid, e.msgstr, sorted(e.msgstr_plural.items()), e.obsolete, e.previous_msgid,
                e.previous_msgctxt, e.previous_msgid_plural, tuple(e.flags)) for e in po]
    return ("po", format_po(po), entries, sorted(po.metadata.items()))


def test_every_catalog_of_the_project_parses_the_same_with_and_without_the_scan():
    assert len(_PO_SAMPLES) > 20
    for path in _PO_SAMPLES:
        text = path.read_bytes().decode("utf-8", "replace").replace("\r\n", "\n")
        assert _outcome(text, False) == _outcome(text, True), path


_EDITS = ['"', "\\", "\\q", "\\n", '\\"', "\u00a0", "\u3000", "\t", " ", "#", "#~ ", "#| ", "#~| ", "|",
          'msgid "x"', 'msgid ""', "msgstr[7] ", "msgid_plural ", 'msgctxt "c"\n', "\n", "msgstr ",
          '"Plural-Forms: nplurals=1; plural=0;\\n"', "x"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([p for p in _PO_SAMPLES if p.stat().st_size < 40_000]), st.data())
def test_edited_catalogs_give_the_same_outcome_with_and_without_the_scan(path, data):
    lines = path.read_bytes().decode("utf-8", "replace").split("\n")
    text = edit_lines(lines, data, _EDITS)
    assert _outcome(text, False) == _outcome(text, True)


_ASCII_CATALOG = '''msgid ""
msgstr ""
"Language: de\\n"
"Content-Type: text/plain; charset={charset}\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgid "Iron"
msgstr "{msgstr}"
'''


@pytest.mark.parametrize("charset", ["ASCII", "US-ASCII", "ascii", "ANSI_X3.4-1968"])
def test_a_catalog_declaring_ascii_is_read_as_the_utf8_subset_it_is(charset, msgfmt, tmp_path):
    text = _ASCII_CATALOG.format(charset=charset, msgstr="Eisen")
    path = tmp_path / "de.po"
    path.write_text(text, encoding="ascii")
    assert subprocess.run([msgfmt, "--check", "-o", "/dev/null", str(path)]).returncode == 0
    po = parse_po(text, path="de.po")
    assert po.find("Iron").msgstr == "Eisen"


def test_a_catalog_declaring_ascii_with_other_characters_is_refused_at_their_line():
    text = _ASCII_CATALOG.format(charset="ASCII", msgstr="Eisenmangel \u00fcberall")
    with pytest.raises(ParseError) as caught:
        parse_po(text, path="de.po")
    assert caught.value.line == 8 and "outside ASCII" in caught.value.format_message()


def test_a_sync_writes_an_ascii_catalog_back_as_utf8(tmp_path, monkeypatch):
    import shutil

    from .helpers import copy_project, run_cli
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    project = copy_project(tmp_path)
    for folder in ("source_articles", "locales"):
        shutil.rmtree(project / folder)
    (project / "source_articles").mkdir()
    (project / "source_articles" / "iron.html").write_text(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><title>Iron</title></head>\n<body>\n<h1>Iron</h1>\n"
        "<p>Iron is stored in ferritin.</p>\n</body>\n</html>\n", encoding="utf-8")
    assert run_cli(project, "sync").exit_code == 0
    catalog = project / "locales" / "ko" / "iron.po"
    text = catalog.read_text("utf-8").replace("charset=UTF-8", "charset=ASCII")
    assert text.isascii()
    catalog.write_text(text, encoding="ascii")
    check = run_cli(project, "check", "-l", "ko", "--only", "header")
    assert check.exit_code == 0, check.output
    result = run_cli(project, "sync", "-l", "ko")
    assert result.exit_code == 0, result.output
    assert "charset=UTF-8" in catalog.read_text("utf-8")


# ---- the whole-text tests, searched fast, answer as their plain forms do ---------------------------------
_WS = r"[^\S\n]"
_PLAIN_SUSPECT_STRING = re.compile(  # what files._SUSPECT_STRING was: tried at every character
    rf'^(?!{_WS}*(?:#~{_WS}*)?(?:#?\|{_WS}*)?(?:(?:msgctxt|msgid_plural|msgid|msgstr\[\d+\]|msgstr){_WS}*)?'
    rf'"(?:[^"\\\n]|\\[ntrvbf"\\])*"{_WS}*$)(?!{_WS}*#[^~|\n])[^\n"]*"', re.M)
_PLAIN_BARE_KEYWORD = re.compile(
    rf'^{_WS}*(?:#~{_WS}*)?(?:#?\|{_WS}*)?(?:msgctxt|msgid_plural|msgid|msgstr\[\d+\]|msgstr)(?=\s|$)(?!{_WS}*")',
    re.M)
_PLAIN_OBSOLETE = re.compile(rf"^{_WS}*#~", re.M)
_PLAIN_PREVIOUS = re.compile(rf"^{_WS}*#(?:~{_WS}*)?\|", re.M)
_PLAIN_LIVE_MSGID = re.compile(rf'^{_WS}*msgid{_WS}*"', re.M)


def _whole_text_tests(text: str) -> tuple[object, ...]:
    from pipeline.po import files

    fast = (files._strings_well_formed(text), files._obsolete_previous(text),
            len(files._LIVE_MSGID.findall("\n" + text)))
    plain = (_PLAIN_SUSPECT_STRING.search(text) is None and _PLAIN_BARE_KEYWORD.search(text) is None,
             _PLAIN_OBSOLETE.search(text) is not None and _PLAIN_PREVIOUS.search(text) is not None,
             len(_PLAIN_LIVE_MSGID.findall(text)))
    return fast, plain


def test_the_fast_whole_text_tests_answer_as_the_plain_ones_on_the_project_catalogs():
    for path in _PO_SAMPLES:
        fast, plain = _whole_text_tests(path.read_bytes().decode("utf-8", "replace"))
        assert fast == plain, path


_LINE_PIECES = st.sampled_from(['"', "\\", "\\q", "\\n", "\\f", "\\t", '\\"', "\\\\", "\t", " ", "\u3000", "#", "#~", "#|", "|",
                                "#.", "#:", "msgid", "msgstr", "msgstr[1]", "msgstr[x]", "msgid_plural", "msgctxt",
                                "msgidx", "a", "\n", "\r", "\u2028", '\n#~| msgid "x"', '\n#~|', '\n#~ msgid "y"',
                                '\n#| msgid "z"', '\nmsgid "a"', '\nmsgstr ""', '\n"b"', "\n#, fuzzy",
                                '\nmsgstr "\\f\\v\\b\\r\\t\\n\\\\\\""'])


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LINE_PIECES, max_size=25).map("".join))
def test_the_fast_whole_text_tests_answer_as_the_plain_ones_on_any_text(text):
    fast, plain = _whole_text_tests(text)
    assert fast == plain


# ---- keeping the text of unchanged entries --------------------------------------------------------------
_COMMENT = st.sampled_from(["", "note", "note ", " lead", "two\nlines", "trailing\u3000", "# hash", "~ tilde",
                            "origin: similar text in ferritin-levels (91%)"])
_ENTRY = st.fixed_dictionaries({
    "msgid": MIXED_TEXT.map(lambda t: t or "x"), "msgstr": MIXED_TEXT, "tcomment": _COMMENT, "comment": _COMMENT,
    "flags": st.sampled_from([[], ["fuzzy"], ["python-format"], ["no-wrap"], ["fuzzy", "c-format"]]),
    "obsolete": st.sampled_from([False, False, False, True]),
    "occurrences": st.sampled_from([[], [("source_articles/ferritin-levels.html", "")], [("a.html", "12")]]),
    "previous_msgid": st.sampled_from([None, "old text", "old text "]),
})


@settings(max_examples=150, deadline=None)
@given(st.lists(_ENTRY, min_size=1, max_size=8, unique_by=lambda e: e["msgid"]),
       st.lists(st.tuples(st.integers(0, 7), st.sampled_from(["msgstr", "tcomment", "comment", "flags",
                                                              "previous_msgid", "drop", "keep"])), max_size=6),
       st.booleans())
def test_an_entry_keeps_its_text_only_where_format_po_would_write_the_same(entries, edits, reparse):
    """``format_po_reusing`` with the blocks of a file it wrote gives ``format_po``'s text, whatever changed:
    edited fields, dropped entries, and entries read back from the file (which lose a comment's trailing space,
    so their text is written anew)."""
    from pipeline.po.files import blocks_by_key, format_po_reusing

    old = polib.POFile()
    old.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": "nplurals=1; plural=0;"}
    for fields in entries:
        old.append(polib.POEntry(**{k: (list(v) if isinstance(v, list) else v) for k, v in fields.items()}))
    text, layout = format_po_reusing(old)
    assert text == format_po(old)
    new = parse_po(text, path="x.po") if reparse else old
    for index, field in edits:
        if index >= len(new):
            continue
        entry = new[index]
        if field == "drop":
            new.remove(entry)
        elif field == "flags":
            entry.flags = [] if entry.flags else ["fuzzy"]
        elif field == "previous_msgid":
            entry.previous_msgid = None if entry.previous_msgid else "older"
        elif field != "keep":
            setattr(entry, field, getattr(entry, field) + " edited")
    blocks = blocks_by_key(text, layout)
    assert blocks is not None
    reused, _ = format_po_reusing(new, blocks)
    assert reused == format_po(new)


def test_blocks_of_a_file_that_does_not_fit_its_layout_are_not_used() -> None:
    from pipeline.po.files import blocks_by_key, format_po_reusing

    text, layout = format_po_reusing(_catalog())
    assert blocks_by_key(text, layout) is not None
    assert blocks_by_key(text, layout[:-16]) is None                 # one entry more than the layout says
    assert blocks_by_key(text.rstrip("\n"), layout) is None
