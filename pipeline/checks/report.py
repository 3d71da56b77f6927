"""Findings -> reports: text for people, JSON, JUnit XML, GitHub annotations (with a Markdown step
summary) and SARIF 2.1.0; and the exit status of a check run.

Every function returns text; the command decides where it goes. Output is deterministic: findings come
sorted from ``run_checks`` and no report carries a time stamp.
"""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from pipeline.checks import REGISTRY, Findings
from pipeline.core.errors import ExitCode
from pipeline.core.model import Finding, Severity

FORMATS = ("text", "json", "junit", "github", "sarif")
TOOL_NAME = "l10n check"
#: Version of the JSON report's schema; it changes only when a field changes meaning or goes away.
JSON_VERSION = 1
_SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)
_SARIF_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_GITHUB_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def exit_status(findings: Findings) -> ExitCode:
    """2 when a file could not be parsed (it was not checked), 1 with findings at error level, else 0."""
    if findings.unreadable:
        return ExitCode.BAD_INPUT
    if findings.count(Severity.ERROR):
        return ExitCode.FINDINGS
    return ExitCode.OK


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _where(finding: Finding) -> str:
    if finding.path is None:
        return ""
    return f"{finding.path}:{finding.line}: " if finding.line else f"{finding.path}: "


def format_finding(finding: Finding) -> str:
    """``locales/ko/ferritin-levels.po:57: error[citations]: lost citation marker [5]``."""
    return f"{_where(finding)}{finding.severity.value}[{finding.check}]: {finding.message}"


def format_summary(findings: Findings) -> str:
    """One line: the counts, what was checked, and the verdict."""
    files = len({f.path for f in findings})
    catalogs = [f for f in findings.files if f.kind == "catalog"]
    counts = ", ".join(_plural(findings.count(s), s.value) for s in _SEVERITIES[:2])
    counts += f", {findings.count(Severity.INFO)} info"
    scope = (f"{_plural(len(catalogs), 'catalog')} of {', '.join(findings.locales) or 'no locale'}, "
             f"{_plural(len(findings.checks), 'check')}")
    status = exit_status(findings)
    verdict = {ExitCode.OK: "passed", ExitCode.FINDINGS: "failed: findings at error level",
               ExitCode.BAD_INPUT: "failed: a file could not be parsed, so it was not checked"}[status]
    return f"{counts} in {_plural(files, 'file')} ({scope}); {verdict} (exit {int(status)})"


def format_text(findings: Findings, *, min_severity: Severity = Severity.INFO, summary: bool = True) -> str:
    """Findings grouped by file (a blank line between files), then counts per check and a summary line."""
    rank = {s: i for i, s in enumerate(reversed(_SEVERITIES))}
    shown = [f for f in findings if rank[f.severity] >= rank[min_severity]]
    lines: list[str] = []
    previous: str | None = None
    for finding in shown:
        if previous is not None and finding.path != previous:
            lines.append("")
        previous = finding.path
        lines.append(format_finding(finding))
    if summary:
        if lines:
            lines.append("")
        per_check = Counter((f.check, f.severity) for f in findings)
        for ran in findings.checks:
            parts = [_plural(per_check[(ran.id, s)], s.value) if s is not Severity.INFO
                     else f"{per_check[(ran.id, s)]} info" for s in _SEVERITIES if per_check[(ran.id, s)]]
            if parts:
                lines.append(f"  {ran.id}: {', '.join(parts)}")
        lines.append(format_summary(findings))
    return "\n".join(lines) + ("\n" if lines else "")


# ---- JSON ------------------------------------------------------------------------------------------------
def _finding_json(finding: Finding) -> dict[str, Any]:
    return {"check": finding.check, "severity": finding.severity.value, "message": finding.message,
            "path": finding.path, "line": finding.line, "locale": finding.locale, "article": finding.article}


def format_json(findings: Findings, *, tool_version: str) -> str:
    """The JSON report (schema: ``JSON_SCHEMA``; ``version`` 1)."""
    status = exit_status(findings)
    by_check: dict[str, dict[str, int]] = {ran.id: {s.value: 0 for s in _SEVERITIES} for ran in findings.checks}
    for finding in findings:
        by_check[finding.check][finding.severity.value] += 1
    data = {
        "version": JSON_VERSION,
        "tool": {"name": TOOL_NAME, "version": tool_version},
        "status": {ExitCode.OK: "passed", ExitCode.FINDINGS: "failed"}.get(status, "unreadable"),
        "exit_code": int(status),
        "locales": list(findings.locales),
        "checks": [{"id": r.id, "severity": r.severity.value, "description": r.description}
                   for r in findings.checks],
        "files": [{"path": f.path, "kind": f.kind, "locale": f.locale, "article": f.article,
                   "readable": f.readable} for f in findings.files],
        "summary": {**{s.value: findings.count(s) for s in _SEVERITIES}, "by_check": by_check},
        "findings": [_finding_json(f) for f in findings],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


_NULLABLE_STRING = {"type": ["string", "null"]}
_COUNTS: dict[str, Any] = {"type": "object", "required": ["error", "warning", "info"], "additionalProperties": False,
           "properties": {s.value: {"type": "integer", "minimum": 0} for s in _SEVERITIES}}
#: JSON Schema (draft 2020-12) of ``--format json``, version 1. Fields may be added; none changes meaning.
JSON_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "l10n check report, version 1",
    "type": "object",
    "required": ["version", "tool", "status", "exit_code", "locales", "checks", "files", "summary", "findings"],
    "properties": {
        "version": {"const": JSON_VERSION},
        "tool": {"type": "object", "required": ["name", "version"],
                 "properties": {"name": {"type": "string"}, "version": {"type": "string"}}},
        "status": {"enum": ["passed", "failed", "unreadable"]},
        "exit_code": {"enum": [0, 1, 2]},
        "locales": {"type": "array", "items": {"type": "string"}},
        "checks": {"type": "array", "items": {
            "type": "object", "required": ["id", "severity", "description"],
            "properties": {"id": {"type": "string"}, "severity": {"enum": ["error", "warning", "info"]},
                           "description": {"type": "string"}}}},
        "files": {"type": "array", "items": {
            "type": "object", "required": ["path", "kind", "locale", "article", "readable"],
            "properties": {"path": {"type": "string"}, "kind": {"enum": ["catalog", "template", "source"]},
                           "locale": _NULLABLE_STRING, "article": {"type": "string"},
                           "readable": {"type": "boolean"}}}},
        "summary": {"type": "object", "required": ["error", "warning", "info", "by_check"],
                    "properties": {**_COUNTS["properties"],
                                   "by_check": {"type": "object", "additionalProperties": _COUNTS}}},
        "findings": {"type": "array", "items": {
            "type": "object", "required": ["check", "severity", "message", "path", "line", "locale", "article"],
            "properties": {"check": {"type": "string"}, "severity": {"enum": ["error", "warning", "info"]},
                           "message": {"type": "string"}, "path": _NULLABLE_STRING,
                           "line": {"type": ["integer", "null"], "minimum": 1},
                           "locale": _NULLABLE_STRING, "article": _NULLABLE_STRING}}},
    },
}


# ---- JUnit XML -------------------------------------------------------------------------------------------
def format_junit(findings: Findings) -> str:
    """JUnit XML: a testsuite per locale (and one for templates and sources), a testcase per file and check.

    A testcase fails (``<failure>``) with findings at error level, errs (``<error>``) when its file could
    not be parsed, and is skipped for the other checks of such a file; warnings and info go to its
    ``<system-out>``. ``classname`` is ``<locale>.<article>`` (``templates.<article>``,
    ``sources.<article>``) and names are unique: ``<check> <path>``.
    """
    by_case: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in findings:
        by_case[(finding.path or "", finding.check)].append(finding)
    files = {f.path: f for f in findings.files}
    cases: list[tuple[str, str]] = []
    order = {"catalog": 0, "template": 1, "source": 2}
    for file in sorted(findings.files, key=lambda f: order.get(f.kind, 3)):
        checks = [r.id for r in findings.checks] if file.kind == "catalog" else ["syntax"]
        cases.extend((file.path, check_id) for check_id in checks)
    cases.extend(key for key in by_case if key not in set(cases))
    suites: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for path, check_id in cases:
        known = files.get(path)
        group = (known.locale or f"{known.kind}s") if known is not None else "project"
        suites[group].append((path, check_id))

    root = ET.Element("testsuites", name=TOOL_NAME)
    totals = Counter[str]()
    for group, members in suites.items():
        suite = ET.SubElement(root, "testsuite", name=f"{TOOL_NAME}: {group}")
        counts = Counter[str]()
        for path, check_id in members:
            checked = files.get(path)
            article = checked.article if checked is not None else path
            case = ET.SubElement(suite, "testcase", classname=f"{group}.{article}",
                                 name=f"{check_id} {path}", file=path, time="0")
            found = by_case.get((path, check_id), [])
            errors = [f for f in found if f.severity is Severity.ERROR]
            counts["tests"] += 1
            if check_id == "syntax" and found:
                node = ET.SubElement(case, "error", type="syntax", message=found[0].message)
                node.text = "\n".join(format_finding(f) for f in found)
                counts["errors"] += 1
            elif errors:
                node = ET.SubElement(case, "failure", type=check_id,
                                     message=f"{_plural(len(errors), 'error')}: {errors[0].message}")
                node.text = "\n".join(format_finding(f) for f in errors)
                counts["failures"] += 1
            elif checked is not None and not checked.readable and checked.kind == "catalog":
                ET.SubElement(case, "skipped", message="not checked: the file is missing or does not parse")
                counts["skipped"] += 1
            others = [f for f in found if f.severity is not Severity.ERROR and check_id != "syntax"]
            if others:
                ET.SubElement(case, "system-out").text = "\n".join(format_finding(f) for f in others)
        for key in ("tests", "failures", "errors", "skipped"):
            suite.set(key, str(counts[key]))
        suite.set("time", "0")
        totals.update(counts)
    for key in ("tests", "failures", "errors", "skipped"):
        root.set(key, str(totals[key]))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# ---- GitHub Actions --------------------------------------------------------------------------------------
def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(findings: Findings) -> str:
    """Workflow commands (``::error file=F,line=L,title=T::message``), one per finding, then the summary."""
    lines = []
    for finding in findings:
        props = []
        if finding.path:
            props.append(f"file={_escape_property(finding.path)}")
            if finding.line:
                props.append(f"line={finding.line}")
        props.append("title=" + _escape_property(f"{TOOL_NAME} [{finding.check}]"))
        lines.append(f"::{_GITHUB_LEVELS[finding.severity]} {','.join(props)}::{_escape_data(finding.message)}")
    lines.append(format_summary(findings))
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")
            .replace("\n", " "))


def format_markdown(findings: Findings, *, limit: int = 200) -> str:
    """A Markdown summary (for ``$GITHUB_STEP_SUMMARY``): counts per check, then the findings."""
    status = exit_status(findings)
    title = {ExitCode.OK: "passed", ExitCode.FINDINGS: "failed"}.get(status, "could not check every file")
    lines = [f"## {TOOL_NAME}: {title}", "", _cell(format_summary(findings)), ""]
    per_check = Counter((f.check, f.severity) for f in findings)
    lines += ["| check | errors | warnings | info |", "| --- | ---: | ---: | ---: |"]
    for ran in findings.checks:
        lines.append(f"| {ran.id} | " + " | ".join(str(per_check[(ran.id, s)]) for s in _SEVERITIES) + " |")
    if len(findings):
        lines += ["", "| file | severity | check | message |", "| --- | --- | --- | --- |"]
        for finding in findings.items[:limit]:
            where = finding.path or ""
            if finding.path and finding.line:
                where += f":{finding.line}"
            lines.append(f"| `{_cell(where)}` | {finding.severity.value} | {finding.check} | "
                         f"{_cell(finding.message)} |")
        if len(findings) > limit:
            lines.append(f"\n{len(findings) - limit} more: run `l10n check` for all of them.")
    return "\n".join(lines) + "\n"


# ---- SARIF 2.1.0 -----------------------------------------------------------------------------------------
def format_sarif(findings: Findings, *, tool_version: str) -> str:
    """A SARIF 2.1.0 log: one run, the registry as ``tool.driver.rules``, a result per finding."""
    ran = {r.id: r.severity for r in findings.checks}
    rules = []
    index = {}
    for position, spec in enumerate(REGISTRY.values()):
        index[spec.id] = position
        rules.append({
            "id": spec.id,
            "name": "".join(part.capitalize() for part in spec.id.split("-")),
            "shortDescription": {"text": spec.description},
            "defaultConfiguration": {"level": _SARIF_LEVELS[ran.get(spec.id, spec.severity)],
                                     "enabled": spec.id in ran},
            "properties": {"tags": ["localization"]},
        })
    results = []
    for finding in findings:
        location: dict[str, Any] = {"artifactLocation": {"uri": finding.path or "l10n.yaml"},
                                    "region": {"startLine": max(finding.line or 1, 1)}}
        digest = hashlib.sha256("\0".join((finding.check, finding.path or "", finding.message))
                                .encode("utf-8")).hexdigest()
        result: dict[str, Any] = {
            "ruleId": finding.check,
            "ruleIndex": index[finding.check],
            "level": _SARIF_LEVELS[finding.severity],
            "message": {"text": finding.message},
            "locations": [{"physicalLocation": location}],
            "partialFingerprints": {"l10nFinding/v1": digest},
        }
        properties = {k: v for k, v in (("locale", finding.locale), ("article", finding.article)) if v}
        if properties:
            result["properties"] = properties
        results.append(result)
    status = exit_status(findings)
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": TOOL_NAME, "version": tool_version, "rules": rules}},
            "invocations": [{"executionSuccessful": status is not ExitCode.BAD_INPUT, "exitCode": int(status)}],
            "results": results,
        }],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def render(findings: Findings, fmt: str, *, tool_version: str) -> str:
    """The report in one of ``FORMATS``."""
    renderers: dict[str, Callable[[], str]] = {
        "text": lambda: format_text(findings),
        "json": lambda: format_json(findings, tool_version=tool_version),
        "junit": lambda: format_junit(findings),
        "github": lambda: format_github(findings),
        "sarif": lambda: format_sarif(findings, tool_version=tool_version),
    }
    return renderers[fmt]()


def format_check_list(checks: Iterable[Any] = ()) -> str:
    """The registry as ``l10n check --list`` shows it: id, default severity, description."""
    specs = list(checks) or list(REGISTRY.values())
    width = max(len(s.id) for s in specs)
    return "\n".join(f"{s.id.ljust(width)}  {s.severity.value.ljust(7)}  {s.description}" for s in specs) + "\n"
