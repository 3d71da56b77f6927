"""Reports of ``l10n check``, read back by real parsers: junitparser, jsonschema (SARIF 2.1.0 and our JSON)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from junitparser import Error, Failure, JUnitXml, Skipped

from pipeline.checks import REGISTRY, CheckedFile, Findings, RanCheck
from pipeline.checks.report import JSON_SCHEMA, format_github, format_markdown, format_text
from pipeline.core.model import Finding, Severity

from .helpers import run_cli
from .test_checks import finding_lines, make_case

SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def broken(tmp_path_factory) -> Path:
    """The mini project with lost citation markers in one catalog and a syntax error in the other."""
    return make_case("syntax", tmp_path_factory.mktemp("broken"))


@pytest.fixture(scope="module")
def failing(tmp_path_factory) -> Path:
    """The mini project with errors, a warning and an info finding, every file readable."""
    project = make_case("placeholders", tmp_path_factory.mktemp("failing"))
    obsolete = project / "locales" / "ko" / "dosing.po"
    obsolete.write_text(obsolete.read_text(encoding="utf-8") + '\n#~ msgid "Old"\n#~ msgstr "옛"\n',
                        encoding="utf-8")
    return project


def _findings(*items: Finding) -> Findings:
    checks = tuple(RanCheck(s.id, s.severity, s.description) for s in REGISTRY.values())
    files = (CheckedFile("locales/ko/a,b.po", "catalog", "ko", "a", True),)
    return Findings(items, checks, files, ("ko",))


# ---- text ------------------------------------------------------------------------------------------------
def test_text_report_lines_are_grouped_by_file_with_a_summary(failing):
    result = run_cli(failing, "check")
    assert result.exit_code == 1
    assert "locales/ko/dosing.po:31: error[placeholders]: unknown tag '<strong>': only the msgid's " \
           "placeholders may be used\n" in result.output
    blocks = result.output.split("\n\n")
    assert all(line.startswith("locales/ko/dosing.po:") for line in blocks[0].splitlines())
    assert all(line.startswith("locales/ko/markers.po:") for line in blocks[1].splitlines())
    summary = blocks[2].splitlines()
    assert "  placeholders: 5 errors" in summary and "  obsolete: 1 info" in summary
    assert summary[-1] == (f"7 errors, 1 warning, 1 info in 2 files (2 catalogs of ko, {len(REGISTRY)} checks); "
                           "failed: findings at error level (exit 1)")


def test_quiet_text_report_shows_errors_only(failing):
    result = run_cli(failing, "check", "-q")
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line]
    assert lines and finding_lines(result.output) == lines
    assert all(" error[" in line for line in lines)


# ---- JUnit -----------------------------------------------------------------------------------------------
def test_junit_is_read_back_by_junitparser(broken, tmp_path):
    out = tmp_path / "report.xml"
    result = run_cli(broken, "check", "--format", "junit", "-o", str(out))
    assert result.exit_code == 2
    xml = JUnitXml.fromfile(str(out))
    cases = {(case.classname, case.name): case for suite in xml for case in suite}
    assert len(cases) == sum(1 for suite in xml for _ in suite), "testcase names must be unique"
    suites = {suite.name: suite for suite in xml}
    assert set(suites) == {"l10n check: ko", "l10n check: templates", "l10n check: sources"}
    ko = suites["l10n check: ko"]
    assert ko.tests == 2 * len(REGISTRY)                       # a testcase per catalog and check
    citations = cases[("ko.dosing", "citations locales/ko/dosing.po")]
    assert [type(r) for r in citations.result] == [Failure]
    assert "lost citation marker [2]" in citations.result[0].text
    syntax = cases[("ko.markers", "syntax locales/ko/markers.po")]
    assert [type(r) for r in syntax.result] == [Error]
    assert "locales/ko/markers.po:24" in syntax.result[0].text
    skipped = cases[("ko.markers", "numbers locales/ko/markers.po")]
    assert [type(r) for r in skipped.result] == [Skipped]
    assert cases[("ko.dosing", "numbers locales/ko/dosing.po")].is_passed
    assert (ko.failures, ko.errors) == (1, 1)


def test_junit_reports_findings_on_a_missing_catalog(tmp_path):
    project = make_case("stale", tmp_path)
    xml = JUnitXml.fromstring(run_cli(project, "check", "--format", "junit").stdout.encode("utf-8"))
    cases = {case.name: case for suite in xml for case in suite}
    # not published (nothing translated), so its disclaimer is not a finding; the missing catalog is not checked
    assert [type(r) for r in cases["disclaimer locales/ko/platelets.po"].result] == [Skipped]
    assert [type(r) for r in cases["stale locales/ko/platelets.po"].result] == [Failure]
    assert [type(r) for r in cases["citations locales/ko/platelets.po"].result] == [Skipped]
    assert [type(r) for r in cases["stale locales/templates/dosing.pot"].result] == [Failure]


# ---- SARIF -----------------------------------------------------------------------------------------------
def test_sarif_validates_against_the_oasis_schema(failing, tmp_path):
    out = tmp_path / "report.sarif"
    result = run_cli(failing, "check", "--format", "sarif", "-o", str(out))
    assert result.exit_code == 1
    log = json.loads(out.read_text(encoding="utf-8"))
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER).validate(log)
    (run,) = log["runs"]
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == list(REGISTRY)
    results = run["results"]
    assert len(results) == 9
    for item in results:
        assert item["ruleId"] in REGISTRY and item["message"]["text"]
        assert run["tool"]["driver"]["rules"][item["ruleIndex"]]["id"] == item["ruleId"]
        location = item["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"].startswith("locales/ko/")
        assert location["region"]["startLine"] >= 1
    levels = {item["level"] for item in results}
    assert levels == {"error", "warning", "note"}


def test_sarif_of_a_clean_run_is_valid_too(tmp_path):
    project = make_case("_base", tmp_path)
    result = run_cli(project, "check", "--format", "sarif")
    assert result.exit_code == 0
    log = json.loads(result.stdout)
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))).validate(log)
    assert log["runs"][0]["results"] == []


# ---- JSON ------------------------------------------------------------------------------------------------
def test_json_report_follows_its_documented_schema(broken):
    result = run_cli(broken, "check", "--format", "json")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(JSON_SCHEMA)
    jsonschema.Draft202012Validator(JSON_SCHEMA).validate(data)
    assert data["version"] == 1 and data["status"] == "unreadable" and data["exit_code"] == 2
    assert data["summary"]["error"] == 2 and data["summary"]["by_check"]["citations"]["error"] == 1
    assert {"check": "citations", "severity": "error", "message": "lost citation marker [2]",
            "path": "locales/ko/dosing.po", "line": 31, "locale": "ko", "article": "dosing"} in data["findings"]
    unreadable = [f for f in data["files"] if not f["readable"]]
    assert unreadable == [{"path": "locales/ko/markers.po", "kind": "catalog", "locale": "ko",
                           "article": "markers", "readable": False}]


# ---- GitHub ----------------------------------------------------------------------------------------------
def test_github_annotations_escape_data_and_properties():
    finding = Finding("numbers", Severity.ERROR, "50% lost\nsecond line", path="locales/ko/a,b.po", line=7,
                      locale="ko", article="a")
    note = Finding("obsolete", Severity.INFO, "old: entry", path="locales/ko/a,b.po", line=9)
    lines = format_github(_findings(finding, note)).splitlines()
    assert lines[0] == "::error file=locales/ko/a%2Cb.po,line=7,title=l10n check [numbers]::50%25 lost%0Asecond line"
    assert lines[1] == "::notice file=locales/ko/a%2Cb.po,line=9,title=l10n check [obsolete]::old: entry"
    assert lines[2].startswith("1 error, 0 warnings, 1 info in 1 file")


def test_github_format_writes_the_step_summary(failing, tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = run_cli(failing, "check", "--format", "github")
    assert result.exit_code == 1
    assert "::error file=locales/ko/dosing.po,line=31,title=l10n check [placeholders]::unknown tag" in result.output
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## l10n check: failed")
    assert "| placeholders | 5 | 0 | 0 |" in text
    assert "| `locales/ko/dosing.po:31` | error | placeholders | unknown tag '&lt;strong&gt;'" in text


def test_markdown_cells_cannot_break_the_table():
    finding = Finding("numbers", Severity.WARNING, "a | b\n<b>c</b>", path="x.po", line=1)
    text = format_markdown(_findings(finding))
    assert "| `x.po:1` | warning | numbers | a \\| b &lt;b&gt;c&lt;/b&gt; |" in text


def test_text_finding_without_a_line_names_the_file():
    finding = Finding("stale", Severity.ERROR, "missing", path="locales/ko/x.po")
    assert format_text(_findings(finding), summary=False) == "locales/ko/x.po: error[stale]: missing\n"
