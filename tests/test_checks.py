"""``l10n check``: the corpus of broken catalogs, the bundled corpus, settings, exit codes.

Each folder of ``tests/cases/checks/`` (but ``_base``) holds files laid over the mini project in
``_base`` (two short articles, Korean complete) and one or more ``expected*.txt``: a comment, the
``# args:`` of ``l10n check``, the ``# exit:`` code, then exactly the finding lines the text report must
print, in order.
"""

from __future__ import annotations

import dataclasses
import re
import shlex
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.checks import REGISTRY
from pipeline.po.files import read_po, write_po
from pipeline.text.quantities import compare_numbers, find_quantities

from .helpers import copy_project, run_cli, snapshot

CASES = Path(__file__).parent / "cases" / "checks"
FINDING = re.compile(r"^\S.*?(?:error|warning|info)\[[a-z-]+\]: ")
ISSUE_CHECKS = {"untranslated", "fuzzy", "citations", "placeholders", "numbers", "disclaimer", "glossary",
                "stale", "syntax", "header", "inconsistent", "obsolete", "safety-changed",
                "foreign-script", "page", "ko-particles", "ko-register", "ko-spacing",
                "unreviewed", "review-stale", "review-self", "review-rejected", "review-score"}


def _expectations() -> list[Path]:
    return sorted(p for p in CASES.glob("*/expected*.txt") if p.parent.name != "_base")


def _read_expectation(path: Path) -> tuple[list[str], int, list[str]]:
    args: list[str] = []
    code = None
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# args:"):
            args = shlex.split(line.partition(":")[2])
        elif line.startswith("# exit:"):
            code = int(line.partition(":")[2])
        elif line and not line.startswith("#"):
            lines.append(line)
    assert code is not None, f"{path}: no '# exit:' line"
    return args, code, lines


def make_case(case: str, dest: Path) -> Path:
    """The mini project with a case's files laid over it, in ``dest``."""
    shutil.copytree(CASES / "_base", dest, dirs_exist_ok=True)
    shutil.copytree(CASES / case, dest, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected*.txt"))
    return dest


def finding_lines(output: str) -> list[str]:
    """The finding lines of a text report (not the blank lines, counts or summary)."""
    return [line for line in output.splitlines() if FINDING.match(line)]


@pytest.mark.parametrize("expectation", _expectations(),
                         ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_each_broken_catalog_gives_exactly_its_findings(tmp_path, expectation):
    args, code, expected = _read_expectation(expectation)
    project = make_case(expectation.parent.name, tmp_path)
    before = snapshot(project)
    result = run_cli(project, "check", *args)
    assert finding_lines(result.output) == expected, result.output
    assert result.exit_code == code, result.output
    assert snapshot(project) == before, "check must write nothing"


def test_every_check_is_exercised_by_the_corpus():
    """Removing any check makes at least one case fail: each one has expected findings of its own."""
    seen = set()
    for expectation in _expectations():
        for line in _read_expectation(expectation)[2]:
            seen.add(re.search(r"\[([a-z-]+)\]: ", line)[1])
    assert seen == set(REGISTRY)


def test_the_intact_mini_project_passes_every_check(tmp_path):
    project = make_case("_base", tmp_path)
    result = run_cli(project, "check")
    assert result.exit_code == 0, result.output
    assert finding_lines(result.output) == []


# ---- the registry ----------------------------------------------------------------------------------------
def test_the_registry_has_the_issue_checks_with_one_line_descriptions():
    assert set(REGISTRY) == ISSUE_CHECKS
    for spec in REGISTRY.values():
        assert spec.description and "\n" not in spec.description
    assert REGISTRY["obsolete"].severity.value == "info"
    assert REGISTRY["inconsistent"].severity.value == "warning"
    assert REGISTRY["syntax"].required


def test_list_shows_every_check_with_its_severity(tmp_path):
    result = run_cli(copy_project(tmp_path), "check", "--list")
    assert result.exit_code == 0
    for spec in REGISTRY.values():
        assert re.search(rf"^{spec.id}\s+{spec.severity.value}\s+{re.escape(spec.description)}$",
                         result.output, re.M), spec.id


def test_help_documents_exit_codes_formats_and_thresholds(tmp_path):
    result = run_cli(copy_project(tmp_path), "check", "--help")
    assert result.exit_code == 0
    for text in ("0    no finding at error level", "1    findings at error level", "2    bad usage",
                 "3    internal error", "130  interrupted", "--min-translated", "--allow-fuzzy", "sarif", "junit"):
        assert text in result.output


# ---- the bundled corpus ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("corpus"))


def test_the_bundled_korean_catalogs_pass(corpus):
    result = run_cli(corpus, "check", "--locale", "ko")
    assert result.exit_code == 0, result.output
    assert finding_lines(result.output) == []
    assert "passed (exit 0)" in result.output


def test_the_half_translated_japanese_fails_with_untranslated_findings_only(corpus):
    result = run_cli(corpus, "check")
    assert result.exit_code == 1, result.output
    lines = finding_lines(result.output)
    assert lines and all(re.match(r"locales/ja/[a-z-]+\.po:\d+: error\[untranslated\]: ", line) for line in lines)
    assert finding_lines(run_cli(corpus, "check", "--locale", "ja").output) == lines


def test_a_minimum_can_let_the_japanese_pass(corpus):
    result = run_cli(corpus, "check", "--locale", "ja", "--min-translated", "25")
    assert result.exit_code == 0, result.output
    result = run_cli(corpus, "check", "--locale", "ja", "--min-translated", "50")
    lines = finding_lines(result.output)
    assert lines == [line for line in lines if "neutropenia-during-chemotherapy.po" in line] and len(lines) == 1


# ---- numbers: locale formats, ranges, units, order -------------------------------------------------------
@pytest.mark.parametrize("msgid, msgstr, locale", [
    ("a fever of 100.4°F (38°C) or higher", "체온이 38°C(100.4°F) 이상이면", "ko"),
    ("exercise 2-3 times a week", "주 2~3회 운동", "ko"),
    ("exercise 2-3 times a week", "週2〜3回の運動", "ja"),
    ("600 to 800 IU a day", "하루 600~800 IU", "ko"),
    ("600 to 800 IU a day", "1日600～800 IU", "ja"),
    ("an ANC below 1,500 cells", "ANC가 1,500개 미만", "ko"),
    ("below 1,000 cells", "unter 1.000 Zellen", "de"),
    ("100.4°F", "100,4 °F", "de"),
    ("about 40% to 70% of cells", "약 40%~70%", "ko"),
    ("about 40% of cells", "約40％", "ja"),
    ("5 mL of syrup", "시럽 5 ml", "ko"),
    ("15 micrograms", "15마이크로그램", "ko"),
    ("March 5, 2026", "2026년 3월 5일", "ko"),
    ("25-hydroxyvitamin D", "25-하이드록시비타민 D", "ko"),
    ("TIM-3 and B2M", "TIM-3와 B2M", "ko"),
    ("the 1st dose", "첫 번째 투여", "ko"),
    ("1.000.000 units", "1 000 000 unités", "fr"),
])
def test_numbers_kept_in_any_locale_format_and_order(msgid, msgstr, locale):
    assert compare_numbers(msgid, msgstr, source_locale="en", target_locale=locale) == []


@pytest.mark.parametrize("msgid, msgstr, locale, wanted, found", [
    ("take 10 mg a day", "하루 10 g 복용", "ko", "10 mg", "10 g"),
    ("take 10 mg a day", "하루 100 mg 복용", "ko", "10 mg", None),
    ("exercise 2-3 times a week", "주 2~4회 운동", "ko", "3", None),
    ("below 1,000 cells", "unter 1,0 Zellen", "de", "1,000", None),
    ("38°C (100.4°F)", "38°C", "ko", "100.4°F", None),
    ("5 mL twice", "5 L 두 번", "ko", "5 mL", "5 L"),
    ("10 mg and 10 mg", "10 mg", "ko", "10 mg", None),
])
def test_numbers_lost_or_with_another_unit_are_found(msgid, msgstr, locale, wanted, found):
    problems = compare_numbers(msgid, msgstr, source_locale="en", target_locale=locale)
    assert [(p.source.text, p.found.text if p.found else None) for p in problems] == [(wanted, found)]


def test_quantities_read_units_and_ranges():
    found = find_quantities("600 to 800 IU, 2-3 times, 1,000 ng/mL", ("en",), join_ranges=True)
    assert [(q.text, sorted(q.values), q.unit) for q in found] == [
        ("600", [Decimal(600)], "IU"), ("800 IU", [Decimal(800)], "IU"), ("2", [Decimal(2)], None),
        ("3", [Decimal(3)], None), ("1,000 ng/mL", [Decimal(1000)], "ng/mL")]


# ---- settings in l10n.yaml, the glossary file, usage errors ---------------------------------------------
def _config(project: Path, extra: str) -> Path:
    path = project / "l10n.yaml"
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return path


@pytest.mark.parametrize("extra, line, phrase", [
    ("checks:\n  severity:\n    citations: fatal\n", 9, "must be error, warning or info"),
    ("checks:\n  skip: [citations, bogus]\n", 8, "unknown check 'bogus'"),
    ("checks:\n  skip: [syntax]\n", 8, "cannot be skipped"),
    ("checks:\n  min_translated: 150\n", 8, "percentage from 0 to 100"),
    ("checks:\n  max_fuzzy: -1\n", 8, "0 or more"),
    ("checks:\n  locales:\n    fr: {min_translated: 50}\n", 9, "not a locale of this project"),
    ("checks:\n  colour: red\n", 8, "unknown checks setting 'colour'"),
    ("checks:\n  severity:\n    syntax: warning\n", 9, "cannot be changed"),
    ("checks:\n  locales:\n    ko: {register: casual}\n", 9, "register is formal or polite"),
    ("checks:\n  locales:\n    ko: {registre: formal}\n", 9, "takes min_translated, max_fuzzy, allow_fuzzy, register"),
])
def test_bad_check_settings_are_config_errors_with_the_line(tmp_path, extra, line, phrase):
    project = make_case("_base", tmp_path)
    text = (project / "l10n.yaml").read_text(encoding="utf-8")
    text = text[: text.index("glossary:")]  # keep the line numbers simple: no glossary
    (project / "l10n.yaml").write_text(text + extra, encoding="utf-8")
    result = run_cli(project, "check")
    assert result.exit_code == 2, result.output
    assert re.search(rf"l10n\.yaml:{line}: .*{re.escape(phrase)}", result.output), result.output


def test_a_glossary_file_named_in_l10n_yaml(tmp_path):
    project = make_case("glossary", tmp_path)
    text = (project / "l10n.yaml").read_text(encoding="utf-8")
    (project / "l10n.yaml").write_text(text[: text.index("glossary:")] + "glossary: terms/glossary.yaml\n",
                                       encoding="utf-8")
    (project / "terms").mkdir()
    glossary = project / "terms" / "glossary.yaml"
    glossary.write_text("do_not_translate:\n  - AML\nterms:\n  leukemia:\n    ko: [백혈병, 백혈 병]\n",
                        encoding="utf-8")
    result = run_cli(project, "check", "--only", "glossary")
    assert finding_lines(result.output) == [
        "locales/ko/dosing.po:31: error[glossary]: do-not-translate term \u201cAML\u201d must appear as written "
        "in the translation",
        "locales/ko/dosing.po:31: error[glossary]: glossary term \u201cleukemia\u201d must be translated as "
        "\u201c백혈병\u201d or \u201c백혈 병\u201d"]
    glossary.write_text("terms:\n  leukemia:\n    ko: [백혈병]\n  anemia:\n    xx: 빈혈\n", encoding="utf-8")
    result = run_cli(project, "check")
    assert result.exit_code == 2
    assert "terms/glossary.yaml:5: unknown locale 'xx'" in result.output


def test_the_bundled_corpus_meets_a_glossary_of_its_own_terms(tmp_path):
    project = copy_project(tmp_path)
    _config(project, "glossary:\n  do_not_translate: [Health Library, ANC]\n  terms:\n"
                     "    ferritin: {ko: 페리틴, ja: フェリチン}\n    neutropenia: {ko: 호중구 감소증}\n")
    result = run_cli(project, "check", "--only", "glossary")
    assert result.exit_code == 0, result.output
    assert finding_lines(result.output) == []


@pytest.mark.parametrize("args, phrase", [
    (("--only", "bogus"), "unknown check 'bogus'"),
    (("--skip", "syntax"), "cannot be skipped"),
    (("--locale", "xx"), "unknown locale"),
    (("--format", "xml"), "Invalid value for '--format'"),
    (("--min-translated", "120"), "Invalid value for '--min-translated'"),
])
def test_usage_errors_exit_2(tmp_path, args, phrase):
    result = run_cli(make_case("_base", tmp_path), "check", *args)
    assert result.exit_code == 2
    assert phrase in result.output


def test_only_and_skip_accept_lists(tmp_path):
    project = make_case("citations", tmp_path)
    assert run_cli(project, "check", "--skip", "citations,numbers").exit_code == 0
    result = run_cli(project, "check", "--only", "numbers", "--only", "citations")
    assert result.exit_code == 1 and "error[citations]" in result.output


# ---- exit codes 3 and 130 --------------------------------------------------------------------------------
def _replace_check(monkeypatch, check_id: str, exc: BaseException) -> None:
    def boom(ctx):  # type: ignore[no-untyped-def]
        raise exc
        yield  # pragma: no cover
    monkeypatch.setitem(REGISTRY, check_id, dataclasses.replace(REGISTRY[check_id], function=boom))


def test_a_bug_in_a_check_exits_3_naming_the_check(tmp_path, monkeypatch):
    _replace_check(monkeypatch, "numbers", ZeroDivisionError("oops"))
    result = run_cli(make_case("_base", tmp_path), "check")
    assert result.exit_code == 3
    assert "check 'numbers' failed (ZeroDivisionError: oops)" in result.output


def test_an_interrupt_exits_130_not_1(tmp_path, monkeypatch):
    _replace_check(monkeypatch, "citations", KeyboardInterrupt())
    result = run_cli(make_case("_base", tmp_path), "check")
    assert result.exit_code == 130
    assert "interrupted" in result.output


# ---- parallel reading ------------------------------------------------------------------------------------
def test_findings_are_the_same_whatever_the_number_of_jobs(tmp_path):
    """With enough files to use worker processes, -j 2 reports exactly what -j 1 does, broken files included."""
    project = copy_project(tmp_path)
    for source in sorted((project / "source_articles").glob("*.html")):
        for n in range(5):  # 18 articles, 54 catalogs and templates: above the threshold for workers
            shutil.copy(source, source.with_name(f"{source.stem}-{n}.html"))
            for code in ("ko", "ja"):
                po = project / "locales" / code / f"{source.stem}.po"
                shutil.copy(po, po.with_name(f"{source.stem}-{n}.po"))
    broken_po = project / "locales" / "ko" / "ferritin-levels-1.po"
    broken_po.write_text(broken_po.read_text(encoding="utf-8") + '\nmsgid "unterminated\n', encoding="utf-8")
    broken_source = project / "source_articles" / "vitamin-d-bone-health-2.html"
    broken_source.write_bytes(broken_source.read_bytes()[:-400])  # cut off: no </html>
    lost_marker = project / "locales" / "ko" / "neutropenia-during-chemotherapy-3.po"
    po = read_po(lost_marker)
    entry = next(e for e in po if re.search(r"\[\d+\]", e.msgstr))
    entry.msgstr = re.sub(r"\[\d+\]", "", entry.msgstr, count=1)
    write_po(lost_marker, po)
    # checks that need more than an article's files: the sync plan (stale) and every article (inconsistent)
    edited = project / "source_articles" / "ferritin-levels-4.html"
    edited.write_text(edited.read_text(encoding="utf-8").replace("</p>", " A new sentence.</p>", 1),
                      encoding="utf-8")
    other = project / "locales" / "ja" / "vitamin-d-bone-health-0.po"
    po = read_po(other)
    entry = next(e for e in po if e.msgstr and not e.msgid_plural and "fuzzy" not in e.flags)
    entry.msgstr += "（別訳）"
    write_po(other, po)
    before = snapshot(project)
    reports = [run_cli(project, "check", "--format", "json", "--jobs", jobs) for jobs in ("1", "2")]
    assert reports[0].exit_code == reports[1].exit_code == 2
    assert reports[0].output == reports[1].output
    stale_catalog = project / "locales" / "ko" / "ferritin-levels-4.po"
    for path, check_id in ((broken_po, "syntax"), (broken_source, "syntax"), (lost_marker, "citations"),
                           (stale_catalog, "stale"), (other, "inconsistent")):
        rel = path.relative_to(project).as_posix()
        assert re.search(rf'"check": "{check_id}",[^{{}}]*"path": "{re.escape(rel)}"', reports[1].output), rel
    assert snapshot(project) == before
