"""Golden triples per extraction feature: ``tests/cases/extraction/<case>/``.

Each case is an article (``source.html``) and its translation (``ko.po``, ``ar.po``); ``l10n extract`` must
write exactly ``expected.pot`` (its POT-Creation-Date aside) and ``l10n build -l LANG``, with the catalog as
it is, exactly ``expected.<lang>.html``. Nothing here writes an expected file:
``python -m tests.cases.extraction NAME`` does, printing the diff (tests/cases/extraction/README.md).
"""

from __future__ import annotations

import shutil

import polib
import pytest

from .cases.extraction import CASES, case_names, comparable, diff, languages, render
from .conftest import run_msgfmt_check
from .helpers import HANGUL, parse_html

NAMES = case_names()
REFRESH = "python -m tests.cases.extraction {name}  (or: make golden CASE={name}), then read the diff"


def test_the_corpus_has_its_cases():
    assert len(NAMES) >= 12, NAMES
    for name in NAMES:
        case = CASES / name
        assert languages(case), f"{name}: no catalog (ko.po, ar.po)"
        expected = {p.name for p in case.glob("expected.*")}
        assert expected == {"expected.pot", *(f"expected.{lang}.html" for lang in languages(case))}, (
            f"{name}: expected files do not match its catalogs; run " + REFRESH.format(name=name))


@pytest.mark.parametrize("name", NAMES)
def test_extract_and_build_give_the_expected_files(tmp_path, name):
    case = CASES / name
    written = render(case, tmp_path)
    problems = []
    for file, actual in written.items():
        path = case / file
        expected = path.read_bytes() if path.exists() else None
        if expected is None or comparable(file, expected) != comparable(file, actual):
            problems.append(diff(f"{name}/{file}", expected, actual) or f"{name}/{file}: bytes differ\n")
    if problems:
        pytest.fail("".join(problems) + "if the change is right: " + REFRESH.format(name=name), pytrace=False)


@pytest.mark.gettext
@pytest.mark.parametrize("name", NAMES)
def test_gnu_msgfmt_accepts_the_template_and_catalogs(msgfmt, name):
    case = CASES / name
    for path in [case / "expected.pot", *(case / f"{lang}.po" for lang in languages(case))]:
        done = run_msgfmt_check(msgfmt, path)
        assert done.returncode == 0, f"{path.relative_to(CASES)}: {done.stderr}"


def _source_language_text(data: bytes) -> str:
    """The text a page marks as English: what elements whose nearest ``lang`` is ``en`` hold themselves."""
    texts = []
    for el in parse_html(data).iter():
        if not isinstance(el.tag, str):
            continue
        nearest = next((a.get("lang") for a in (el, *el.iterancestors()) if a.get("lang") is not None), None)
        if nearest == "en":
            texts.append(el.text or "")
            texts.extend(child.tail or "" for child in el)
    return "".join(texts)


@pytest.mark.parametrize("name", [n for n in NAMES if (CASES / n / "expected.ko.html").exists()])
def test_no_korean_text_is_marked_english(name):
    assert not HANGUL.search(_source_language_text((CASES / name / "expected.ko.html").read_bytes()))


def test_a_translated_run_beside_a_nested_list_is_not_marked_english(tmp_path):
    case = tmp_path / "lead-in-list"
    shutil.copytree(CASES / "lead-in-list", case)
    po = polib.pofile(str(case / "ko.po"))
    po.find("Ask which ones you need.").msgstr = ""
    po.save()
    page = render(case, tmp_path / "project")["expected.ko.html"]
    assert "Ask which ones you need." in _source_language_text(page)
    assert not HANGUL.search(_source_language_text(page))
    item = parse_html(page).findall(".//ul/li")[2]
    assert item.get("lang") is None and item.find("strong").text == "더 큰 그림의 일부:"
    assert [(s.get("lang"), s.get("dir"), s.text) for s in item.iter("span")] == [
        ("en", None, "Ask which ones you need.")]                  # a left-to-right page: no dir


def _nearest(el, name: str) -> str | None:
    """The value of the nearest ``name`` attribute around an element (itself included)."""
    return next((a.get(name) for a in (el, *el.iterancestors()) if a.get(name) is not None), None)


def test_an_arabic_fallback_beside_a_nested_list_is_a_ltr_span_and_its_translated_run_stays_rtl(tmp_path):
    # lead-in-list/ar.po leaves the text after the nested list untranslated, and translates the rest
    page = parse_html(render(CASES / "lead-in-list", tmp_path)["expected.ar.html"])
    assert (page.get("lang"), page.get("dir")) == ("ar", "rtl")
    item = page.findall(".//ul/li")[2]
    spans = item.findall("span")
    assert [(s.get("lang"), s.get("dir"), s.text) for s in spans] == [("en", "ltr", "Ask which ones you need.")]
    assert item.get("lang") is None and item.get("dir") is None
    lead = item.find("strong")
    assert lead.getparent() is item and lead.text == "جزء من صورة أكبر:"
    assert (_nearest(lead, "lang"), _nearest(lead, "dir")) == ("ar", "rtl")
    assert "فحص الفيريتين" in lead.tail and spans[0].getprevious().tag == "ol"
    for nested in item.iter("ol"):
        assert (_nearest(nested, "lang"), _nearest(nested, "dir")) == ("ar", "rtl")


def test_the_refresh_command_writes_a_case_and_prints_the_diff(tmp_path, monkeypatch, capsys):
    from .cases.extraction import __main__ as refresh_command

    shutil.copytree(CASES / "headings", tmp_path / "headings")
    page = tmp_path / "headings" / "expected.ko.html"
    page.write_bytes(page.read_bytes().replace("식단 속 철분".encode(), b"stale"))
    monkeypatch.setattr(refresh_command, "CASES", tmp_path)
    assert refresh_command.main(["headings"]) == 0
    out = capsys.readouterr().out
    assert "-<h1>stale</h1>\n+<h1>식단 속 철분</h1>\n" in out, out
    assert page.read_bytes() == (CASES / "headings" / "expected.ko.html").read_bytes()
    refresh_command.main(["headings"])
    assert capsys.readouterr().out == "headings: up to date\n"
