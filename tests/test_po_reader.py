"""The fast PO reader: for every file it reads it makes polib's very catalog, and it leaves the rest to polib.

Equivalence is checked attribute by attribute (the catalog's and each entry's, their types and order too)
and through ``format_po``'s bytes, on every PO/POT file of the repository, a synced sample project, a small
bench corpus, GNU gettext's rewrites of those (msgcat, msgattrib, msgmerge with previous strings and
obsolete entries), hand-written edge cases and Hypothesis-made catalogs, well-formed or broken.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.core.errors import ParseError
from pipeline.po import files
from pipeline.po.files import _Lines, format_po, parse_po
from pipeline.po.model import Catalog, Entry
from pipeline.po.reader import (
    POLIB_VERSIONS,
    _catalog,
    _read_by_entries,
    _read_by_lines,
    read_catalog,
    unescape,
)

from .helpers import ROOT, copy_project, edit_lines, run_cli
from .test_properties import PO_PIECES

BUDGET = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_REPO_SAMPLES = sorted({*ROOT.glob("locales/**/*.po"), *ROOT.glob("locales/**/*.pot"),
                        *ROOT.glob("tests/**/*.po"), *ROOT.glob("tests/**/*.pot")})


def _lines(text: str) -> str:
    """The text as parse_po hands it to a parser: LF line ends, one final newline."""
    return text.replace("\r\n", "\n").removesuffix("\n") + "\n"


def _polib(text: str) -> Catalog:
    return polib.pofile(_Lines(text), encoding="utf-8", klass=Catalog)


def _attributes(obj: Any) -> list[tuple[str, str, Any]]:
    """Every attribute of ``obj`` in its order, with its type's name (polib's obsolete is 0/1, not a bool)."""
    return [(name, type(value).__name__, value) for name, value in vars(obj).items()]


def _written(po: Catalog) -> str:
    """``format_po``'s text, or the error it raises (plural forms polib read out of order)."""
    try:
        return format_po(po)
    except ValueError as exc:
        return repr(exc)


def _snapshot(po: Catalog) -> tuple[Any, ...]:
    return (type(po), _attributes(po), list(po.metadata.items()), len(po),
            [(type(e), _attributes(e), list(e.msgstr_plural.items())) for e in po], _written(po))


def _same_as_polib(text: str) -> bool:
    """Whether the fast reader read ``text`` (True) or left it to polib (False); either way the outcome is
    polib's: the same catalog, or None where polib raises."""
    text = _lines(text)
    fast = read_catalog(text)
    try:
        reference = _polib(text)
    except OSError:
        assert fast is None, "polib refuses this text"
        return False
    if fast is not None:
        assert _snapshot(fast) == _snapshot(reference)
        assert all(type(entry) is Entry for entry in fast)
    by_entries = _read_by_entries(text)
    if by_entries is not None:  # the entry-by-entry reading answers only where the line-by-line one agrees
        read, by_lines = _catalog(*by_entries), _read_by_lines(text)
        assert (read is None and by_lines is None) or (
            read is not None and by_lines is not None and _snapshot(read) == _snapshot(by_lines))
    return fast is not None


def _read_entry_by_entry(path: Path) -> bool:
    """Whether a file is read entry by entry (a file as gettext tools write it, without obsolete entries)."""
    text = _lines(_read(path))
    return "\n#~" in text or _read_by_entries(text) is not None


def _po_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".po", ".pot") and p.is_file())


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8").removeprefix("\ufeff")


def test_every_catalog_of_the_repository_is_read_fast_as_polib_reads_it() -> None:
    assert len(_REPO_SAMPLES) > 20
    for path in _REPO_SAMPLES:
        text = path.read_bytes().decode("utf-8", "replace").removeprefix("\ufeff")
        try:
            parse_po(text, path=str(path))
        except ParseError:
            _same_as_polib(text)  # a broken fixture: whichever reads it, the same outcome
            continue
        assert _same_as_polib(text), f"{path} is well formed but was left to polib"


@pytest.fixture(scope="module")
def synced_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project after ``l10n sync`` (what ``make sync`` writes)."""
    project = copy_project(tmp_path_factory.mktemp("sample"))
    result = run_cli(project, "sync")
    assert result.exit_code == 0, result.output
    return project


def test_the_catalogs_a_sample_sync_writes_are_read_fast_as_polib_reads_them(synced_project: Path) -> None:
    paths = _po_files(synced_project / "locales")
    assert any(p.suffix == ".pot" for p in paths) and any(p.suffix == ".po" for p in paths)
    for path in paths:
        assert _same_as_polib(_read(path)), path
        assert _read_entry_by_entry(path), path


def _bench_corpus_module() -> Any:
    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "bench" / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = sys.modules.setdefault("bench_corpus", importlib.util.module_from_spec(spec))
    spec.loader.exec_module(module)  # its dataclasses look their module up in sys.modules
    return module


@pytest.mark.parametrize("shape", ["long", "small"])
def test_a_bench_corpus_is_read_fast_as_polib_reads_it(shape: str, tmp_path: Path) -> None:
    corpus = _bench_corpus_module()
    project = tmp_path / "corpus"
    corpus.write_project(project, articles=3, locales=["ko", "ja"], seed=7, python=sys.executable, shape=shape)
    result = run_cli(project, "sync")
    assert result.exit_code == 0, result.output
    paths = _po_files(project / "locales")
    assert len(paths) >= 9
    for path in paths:
        assert _same_as_polib(_read(path)), path
        assert _read_entry_by_entry(path), path


def _gettext(tool: str, *args: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"GNU gettext's {tool} is not installed")
    done = subprocess.run([path, *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.gettext
def test_gettext_rewrites_of_the_sample_catalogs_are_read_fast_as_polib_reads_them(
        synced_project: Path, tmp_path: Path) -> None:
    """msgcat, msgattrib and msgmerge output: other wrapping, no or bare locations, sorted, fuzzy, obsolete,
    ``#|`` and ``#~|`` previous strings."""
    texts: list[str] = []
    for po in _po_files(synced_project / "locales" / "ko"):
        pot = synced_project / "locales" / "templates" / (po.stem + ".pot")
        for options in ([], ["--no-wrap"], ["-w", "30"], ["--sort-output"], ["--no-location"],
                        ["--add-location=file"], ["--indent"]):
            texts.append(_gettext("msgcat", *options, str(po), "-o", "-"))
        for options in (["--set-fuzzy"], ["--clear-fuzzy", "--empty"], ["--set-obsolete"], ["--only-fuzzy"]):
            texts.append(_gettext("msgattrib", *options, str(po), "-o", "-"))
        # the English changes: every other msgid edited (fuzzy, with #| previous strings), one gone (obsolete)
        template = parse_po(_read(pot), path=str(pot))
        for entry in template[::2]:
            entry.msgid += " Updated."
        del template[1]
        edited_pot = tmp_path / "edited.pot"
        edited_pot.write_text(format_po(template), encoding="utf-8")
        merged = _gettext("msgmerge", "--previous", "-q", str(po), str(edited_pot), "-o", "-")
        texts.append(merged)
        merged_po = tmp_path / "merged.po"
        merged_po.write_text(merged, encoding="utf-8")
        # everything goes: fuzzy entries with previous strings become obsolete, with #~| lines
        empty_pot = tmp_path / "empty.pot"
        empty_pot.write_text(_read(pot).split("\n\n")[0] + "\n", encoding="utf-8")
        texts.append(_gettext("msgmerge", "--previous", "-q", str(merged_po), str(empty_pot), "-o", "-"))
    assert any("\n#| msgid" in t for t in texts) and any("\n#~| msgid" in t for t in texts)
    assert any("\n#~ msgid" in t for t in texts) and any("\n#, fuzzy" in t for t in texts)
    for text in texts:
        assert _same_as_polib(text), text[:2000]


_HEADER = ('msgid ""\nmsgstr ""\n"Language: ko\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
           '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n')
EDGE_CASES = {
    "empty msgstr": _HEADER + '\nmsgid "Iron"\nmsgstr ""\n',
    "plural entry": _HEADER + '\nmsgid "%d day"\nmsgid_plural "%d days"\nmsgstr[0] "%d jour"\n'
                              'msgstr[1] ""\n"%d "\n"jours"\n',
    "fuzzy header": "# Header comment\n#\n# second paragraph\n#, fuzzy\n" + _HEADER + '\nmsgid "a"\nmsgstr "b"\n',
    "header lines that continue": 'msgid ""\nmsgstr ""\n"Language: ko\\n"\n"no colon here\\n"\n"X-A:  b  \\n"\n',
    "obsolete with previous": _HEADER + '\nmsgid "a"\nmsgstr "b"\n\n#, fuzzy\n#~| msgctxt "old"\n'
                              '#~| msgid "older"\n#~ msgctxt "ctx"\n#~ msgid "gone"\n#~ msgstr "weg"\n',
    "live previous strings": _HEADER + '\n#, fuzzy\n#| msgctxt "c"\n#| msgid ""\n#| "old text "\n#| "on two lines"\n'
                             '#| msgid_plural "olds"\nmsgid "new"\nmsgid_plural "news"\nmsgstr[0] "x"\n'
                             'msgstr[1] "y"\n',
    "msgctxt with empty string": _HEADER + '\nmsgctxt ""\nmsgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n',
    "several flags": _HEADER + '\n#, fuzzy, python-format, no-wrap\n#, range: 1..5\nmsgid "%d"\nmsgstr ""\n',
    "a flags line with spaces": _HEADER + '\n#,   fuzzy ,  c-format  ,\nmsgid "%s"\nmsgstr "%s"\n',
    "multi-line strings": _HEADER + '\nmsgid ""\n"line one\\n"\n"line two"\nmsgstr ""\n"eins\\n"\n"zwei"\n',
    "escapes": _HEADER + '\nmsgid "tab\\t quote\\" back\\\\ slash\\\\n \\a \\q \\x41 bell"\nmsgstr '
                         '"\\r\\v\\b\\f \\\\\\" end\\\\"\n',
    "references polib splits its own way": _HEADER + '\n#: a.html:1 b.html c:d:12 :3 e: f:x1 ./g.html:04 h:\u00b2\n'
                                           '#: my file.html:5\nmsgid "a"\nmsgstr ""\n',
    "comments of all kinds": _HEADER + '\n# translator\n#\n#  indented\n# \u00a0nbsp\n#. extracted\n#.\n'
                             '#.  two spaces\n#:\n#,\nmsgid "a"\nmsgstr ""\n',
    "a comment between msgid and msgstr": _HEADER + '\nmsgid "a"\n# between\nmsgstr "b"\n',
    "no header": '#. note\nmsgid "a"\nmsgstr "b"\n\nmsgid "c"\nmsgstr "d"\n',
    "header only": _HEADER,
    "comments only": "# just a comment\n#. and another\n",
    "empty": "",
    "trailing comment drops nothing but the comment": _HEADER + '\nmsgid "a"\nmsgstr "b"\n\n# trailing\n',
    "trailing #~| line": _HEADER + '\nmsgid "a"\nmsgstr "b"\n#~| msgid "x"\n',
    "blank and indented lines": '\n\n   msgid ""\n  msgstr ""\n\t"Language: ko\\n"  \n\n\n  msgid "a"  \nmsgstr "b"\n',
    "Poedit's shape": ('msgid ""\nmsgstr ""\n"Project-Id-Version: \\n"\n"POT-Creation-Date: \\n"\n'
                       '"Language: ko\\n"\n"MIME-Version: 1.0\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                       '"Content-Transfer-Encoding: 8bit\\n"\n"X-Generator: Poedit 3.4.2\\n"\n\n'
                       '#: source_articles/a.html:12\nmsgid "Iron"\nmsgstr "\ucca0\ubd84"\n'),
    "msgcat --indent's shape, tabs and ##": _HEADER + '\n##  double\n#\ttab\n#.\tx\n#:\ta:1\n#,\tfuzzy\n'
                                           '#|\tmsgid\t"old"\n#|  "er"\nmsgid   "a"\nmsgid_plural\t"as"\n'
                                           'msgstr[0]\t"x"\nmsgstr[1]  "y"\n\n#~\tmsgid  "o"\n#~  msgstr "p"\n',
    "obsolete plural": _HEADER + '\n#~ msgid "a"\n#~ msgid_plural "as"\n#~ msgstr[0] "x"\n#~ msgstr[1] ""\n#~ "y"\n',
    "unicode whitespace at the ends of lines": _HEADER + '\n# note\u3000\nmsgid "a"\u2028\nmsgstr "b"\u0085\n',
}


@pytest.mark.parametrize("name", sorted(EDGE_CASES))
def test_edge_cases_are_read_fast_as_polib_reads_them(name: str) -> None:
    assert _same_as_polib(EDGE_CASES[name]), name


OUTSIDE = {  # lines the reader does not read: polib does (or raises), and the outcome is polib's
    "no space after #.": _HEADER + '\n#.note\nmsgid "a"\nmsgstr ""\n',
    "#| msgstr (polib refuses)": _HEADER + '\n#| msgstr "x"\nmsgid "a"\nmsgstr ""\n',
    "msgstr[0] without a space": _HEADER + '\nmsgid "a"\nmsgid_plural "b"\nmsgstr[0]"x"\n',
    "msgstr[10]": _HEADER + '\nmsgid "a"\nmsgid_plural "b"\nmsgstr[10] "x"\n',
    "#~ #| (polib refuses)": _HEADER + '\n#~ #| msgid "x"\n#~ msgid "a"\n#~ msgstr "b"\n',
    "an unescaped quote (polib refuses)": _HEADER + '\nmsgid "a"b"\nmsgstr ""\n',
    "unterminated": _HEADER + '\nmsgid "a\nmsgstr ""\n',
    "msgstr twice (polib refuses)": _HEADER + '\nmsgid "a"\nmsgstr "b"\nmsgstr "c"\n',
    "a second header (polib picks one)": _HEADER + '\nmsgid "a"\nmsgstr ""\n\n' + _HEADER,
    "the header not first": 'msgid "a"\nmsgstr ""\n\n' + _HEADER,
    "a byte order mark": "\ufeff" + _HEADER,
    "garbage": _HEADER + "\ngarbage\n",
}


@pytest.mark.parametrize("name", sorted(OUTSIDE))
def test_what_the_reader_does_not_read_is_left_to_polib(name: str) -> None:
    assert read_catalog(_lines(OUTSIDE[name])) is None
    assert not _same_as_polib(OUTSIDE[name])


@BUDGET
@given(st.lists(st.one_of(PO_PIECES, st.text(max_size=20)), max_size=30))
def test_the_property_tests_catalogs_are_read_as_polib_reads_them(lines: list[str]) -> None:
    """test_properties' line soup: mostly broken, sometimes not; the outcome is always polib's."""
    _same_as_polib("\n".join(lines).replace("\r", ""))


_TEXT = st.lists(st.sampled_from([*'ab \\"\n\t\r\x0b\x0c\u00e9\ud55c\u2028\u0085', "%s", "%(n)d", "\\n", "#~ "]),
                 max_size=30).map("".join)
_ENTRY = st.fixed_dictionaries({
    "msgid": _TEXT.filter(bool), "msgstr": _TEXT, "msgctxt": st.none() | _TEXT,
    "tcomment": _TEXT.map(lambda t: t.replace("\r", "")), "comment": _TEXT.map(lambda t: t.replace("\r", "")),
    "occurrences": st.lists(st.tuples(st.sampled_from(["a.html", "b/c.html", "d:e", "x"]),
                                      st.sampled_from(["", "1", "23", "x"])), max_size=3),
    "flags": st.lists(st.sampled_from(["fuzzy", "python-format", "c-format", "no-wrap", "range: 1..3"]),
                      max_size=3, unique=True),
    "previous_msgid": st.none() | _TEXT, "previous_msgctxt": st.none() | _TEXT,
    "obsolete": st.booleans(), "plural": st.booleans(),
})


@BUDGET
@given(st.lists(_ENTRY, max_size=6), st.booleans())
def test_catalogs_our_writer_writes_are_read_fast_as_polib_reads_them(entries: list[dict[str, Any]],
                                                                      fuzzy: bool) -> None:
    po = Catalog()
    po.header = "Header\n\nwith a blank line"
    po.metadata = {"Language": "ko", "Content-Type": "text/plain; charset=UTF-8",
                   "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    po.metadata_is_fuzzy = fuzzy
    seen = set()
    for fields in entries:
        plural = fields.pop("plural")
        if (fields["msgctxt"], fields["msgid"]) in seen:
            continue
        seen.add((fields["msgctxt"], fields["msgid"]))
        if plural:
            fields.update(msgid_plural=fields["msgid"] + "s", msgstr_plural={0: fields.pop("msgstr"), 1: "x"})
        po.append(Entry(**fields))
    assert _same_as_polib(format_po(po))


_SAMPLES = [p for p in _REPO_SAMPLES if p.stat().st_size < 40_000]
_EDITS = ['"', "\\", "\\n", '\\"', "\u00a0", "\u3000", "\t", " ", "#", "#~ ", "#| ", "#~| ", "#, ", "#. ",
          "#: ", "##", 'msgid "x"', 'msgid ""', "msgstr[1] ", "msgid_plural ", 'msgctxt "c"\n', "\n", "msgstr ", ":"]


@BUDGET
@given(st.sampled_from(_SAMPLES), st.data())
def test_edited_catalogs_are_read_as_polib_reads_them(path: Path, data: st.DataObject) -> None:
    """A sample catalog with a few lines edited, deleted, repeated or dropped: whichever reads it, the
    outcome is polib's."""
    lines = path.read_bytes().decode("utf-8", "replace").removeprefix("\ufeff").replace("\r", "").split("\n")
    _same_as_polib(edit_lines(lines, data, _EDITS))


@BUDGET
@given(st.text(st.sampled_from(list('\\ntrvbfa"x\u00e9')), max_size=30))
def test_unescape_is_polibs(text: str) -> None:
    assert unescape(text) == polib.unescape(text)


def test_the_reader_follows_the_installed_polib() -> None:
    """parse_po uses the fast reader only under a polib release it was compared with; under any other, polib
    reads every file (slower, never different) and this test is skipped, saying so: the equivalence tests of
    this file compare the reader with the installed polib, so once they pass, add the version to
    POLIB_VERSIONS. (A skip, not a failure: a new polib on PyPI must not turn a clean clone's CI red.)"""
    listed = polib.__version__ in POLIB_VERSIONS
    assert files._FAST_READER == listed
    if not listed:
        pytest.skip(f"polib {polib.__version__} is not in POLIB_VERSIONS {POLIB_VERSIONS}: parse_po reads every "
                    "file with polib; if this file's equivalence tests pass, add the version to turn the fast "
                    "reader on")


def test_parse_po_reads_a_well_formed_file_without_polib(monkeypatch: pytest.MonkeyPatch) -> None:
    if not files._FAST_READER:
        pytest.skip(f"the fast reader is off under polib {polib.__version__} (see the test above)")
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("polib.pofile was called")

    text = EDGE_CASES["live previous strings"]
    expected = _snapshot(parse_po(text, path="x.po"))
    monkeypatch.setattr(files.polib, "pofile", refuse)
    assert _snapshot(parse_po(text, path="x.po")) == expected
    assert _snapshot(parse_po(text, path="x.po", exact=True)) == expected


def test_parse_po_leaves_other_files_to_polib_with_the_same_errors() -> None:
    text = OUTSIDE["msgstr[0] without a space"]
    po = parse_po(text, path="x.po")
    assert _snapshot(po) == _snapshot(_polib(_lines(text))) and po[0].msgstr_plural == {0: "x"}
    with pytest.raises(ParseError) as caught:
        parse_po(OUTSIDE["msgstr twice (polib refuses)"], path="x.po")
    assert caught.value.line == 9 and "syntax error" in str(caught.value)
