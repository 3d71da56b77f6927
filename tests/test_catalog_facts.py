"""The catalog facts every module shares (issue 13): the ``Plural-Forms`` parser (core/plurals.py), the tolerant
catalog reader (``po.files.parse_po_or_error``) and the catalog model of po/model.py, on real PO files.
Their docstring examples run here too."""

from __future__ import annotations

import doctest
import re
import shutil
from pathlib import Path
from types import ModuleType

import polib
import pytest

import pipeline.core.plurals
import pipeline.po.model
from pipeline.core.errors import ParseError
from pipeline.core.model import Role, Unit
from pipeline.core.plurals import PluralForms, PluralFormsError, expression_in, nplurals_in, parse_plural_forms
from pipeline.po.catalog import build_template
from pipeline.po.files import format_po, parse_po, parse_po_or_error, read_po, write_po

from .helpers import ROOT, run_cli

BAD_FILES = sorted((Path(__file__).parent / "data" / "pofile").glob("bad_*.po"))
CATALOGS = sorted((ROOT / "locales").glob("*/*.po"))
CHECK_BASE = Path(__file__).parent / "cases" / "checks" / "_base"


@pytest.mark.parametrize("module", [pipeline.core.plurals, pipeline.po.model], ids=lambda m: m.__name__)
def test_the_docstring_examples_hold(module: ModuleType) -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0


def test_every_committed_catalog_says_the_same_strictly_and_tolerantly() -> None:
    assert CATALOGS
    for path in CATALOGS:
        value = read_po(path).metadata["Plural-Forms"]
        assert parse_plural_forms(value) == PluralForms(nplurals_in(value), expression_in(value)), path


@pytest.mark.parametrize(("value", "why"), [
    ("", "expected 'nplurals=N; plural=EXPRESSION;'"),
    ("nplurals=INTEGER; plural=EXPRESSION;", "expected 'nplurals=N; plural=EXPRESSION;'"),
    ("nplurals=3;", "expected 'nplurals=N; plural=EXPRESSION;'"),
    ("plural=(n != 1);", "expected 'nplurals=N; plural=EXPRESSION;'"),
    ("nplurals=0; plural=0;", "nplurals must be at least 1"),
])
def test_a_malformed_plural_forms_is_refused_saying_why(value: str, why: str) -> None:
    with pytest.raises(PluralFormsError) as caught:
        parse_plural_forms(value)
    assert str(caught.value) == f"malformed Plural-Forms {value!r} ({why})"


def test_a_partial_plural_forms_gives_what_it_says() -> None:
    # what a delivery read from XLIFF writes, and a template straight from xgettext
    assert (nplurals_in("nplurals=3;"), expression_in("nplurals=3;")) == (3, None)
    assert nplurals_in("nplurals=INTEGER; plural=EXPRESSION;") is None
    assert expression_in("nplurals=2; plural = n > 1 ;") == "n > 1"


def test_check_reports_a_malformed_header_that_the_tolerant_readers_still_use(tmp_path: Path) -> None:
    project = shutil.copytree(CHECK_BASE, tmp_path / "project")
    catalog = project / "locales" / "ko" / "dosing.po"
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text.replace("nplurals=1; plural=0;", "nplurals=1;"), encoding="utf-8")
    assert parse_po(catalog.read_bytes(), path="dosing.po").metadata["Plural-Forms"] == "nplurals=1;"
    result = run_cli(project, "check", "--only", "header")
    assert result.exit_code == 1, result.output
    assert "locales/ko/dosing.po:14: error[header]: malformed Plural-Forms 'nplurals=1;' (expected " \
           "'nplurals=N; plural=EXPRESSION;')" in result.output
    assert "error[syntax]" not in result.output


@pytest.mark.parametrize("path", BAD_FILES, ids=lambda p: p.name)
def test_the_tolerant_read_returns_the_error_a_strict_read_raises(path: Path) -> None:
    data, shown = path.read_bytes(), f"locales/ko/{path.name}"
    with pytest.raises(ParseError) as caught:
        parse_po(data, path=shown)
    found = parse_po_or_error(data, path=shown)
    assert isinstance(found, ParseError)
    assert found.format_message() == caught.value.format_message()
    assert (found.path, found.line) == (shown, caught.value.line)
    assert found.line is not None


def test_the_tolerant_read_of_a_good_catalog_is_the_catalog() -> None:
    for path in CATALOGS:
        found = parse_po_or_error(path.read_bytes(), path=str(path))
        assert isinstance(found, polib.POFile)
        assert format_po(found) == path.read_text(encoding="utf-8")


FRENCH = """\
msgid ""
msgstr ""
"Language: fr\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"

#, fuzzy
msgid "Iron"
msgstr "Fer"

msgid "Ferritin"
msgstr ""

#. note: the disclaimer is at the foot of the page
msgid "Read the disclaimer below."
msgstr "Lisez l'avertissement ci-dessous."

#, python-format
msgid "%(count)d day"
msgid_plural "%(count)d days"
msgstr[1] "%(count)d jours"
msgstr[0] "%(count)d jour"

#, fuzzy
msgid "%(count)d week"
msgid_plural "%(count)d weeks"
msgstr[0] ""
msgstr[1] ""
"""


def test_the_entry_predicates_on_a_real_catalog() -> None:
    po = parse_po(FRENCH.encode("utf-8"), path="locales/fr/iron.po")
    by_id = {entry.msgid: entry for entry in po}
    assert [e.msgid for e in po if e.fuzzy] == ["Iron", "%(count)d week"]
    assert [e.msgid for e in po if e.has_translation] == ["Iron", "Read the disclaimer below.", "%(count)d day"]
    assert by_id["%(count)d day"].forms == ["%(count)d jour", "%(count)d jours"]
    assert by_id["%(count)d week"].forms == ["", ""]
    assert by_id["Ferritin"].forms == [""]
    # "disclaimer" anywhere in the extracted comment counts, as it always has
    assert [e.msgid for e in po if e.is_disclaimer] == ["Read the disclaimer below."]


def test_a_disclaimer_unit_of_a_written_template_is_a_disclaimer(tmp_path: Path) -> None:
    units = [Unit("Iron helps your blood carry oxygen.", Role.PARAGRAPH, line=3),
             Unit("This article does not replace advice from your doctor.", Role.DISCLAIMER, line=9)]
    pot = build_template(units, reference="source_articles/iron.html", project="Iron", bugs_address="",
                         creation_date="2026-01-01 00:00+0000")
    write_po(tmp_path / "iron.pot", pot)
    assert [e.msgid for e in read_po(tmp_path / "iron.pot") if e.is_disclaimer] == [units[1].msgid]


def test_each_fact_is_defined_once() -> None:
    """The Key alias and the parse of Plural-Forms each have one home; a module that needs them imports it."""
    for path in sorted((ROOT / "pipeline").rglob("*.py")):
        rel, text = path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")
        if rel != "pipeline/core/model.py":
            assert not re.search(r"^Key\s*=|tuple\[str \| None, str\]", text, re.M), rel
        if rel != "pipeline/core/plurals.py":
            assert "nplurals\\s*=" not in text and "plural\\s*=" not in text, rel
