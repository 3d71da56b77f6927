"""`l10n init`: validates before it writes, and keeps l10n.yaml as its author wrote it."""

from __future__ import annotations

import difflib

import polib
import pytest

from tests.helpers import copy_project, run_cli, snapshot


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    return copy_project(tmp_path)


def _added_lines(before: str, after: str) -> list[str]:
    diff = list(difflib.ndiff(before.splitlines(), after.splitlines()))
    assert not [line for line in diff if line.startswith("- ")], "init removed or changed a line"
    return [line[2:] for line in diff if line.startswith("+ ")]


@pytest.mark.parametrize("code", ["en", "EN"])
def test_init_of_the_source_language_is_refused_with_nothing_written(project, code):
    before = snapshot(project)
    result = run_cli(project, "init", code)
    assert result.exit_code == 2
    assert "source language" in result.output and "nothing was written" in result.output
    assert snapshot(project) == before
    assert run_cli(project, "status").exit_code == 0    # the project still works


def test_a_regional_variant_of_the_source_language_is_a_valid_target(project):
    result = run_cli(project, "init", "en-GB")
    assert result.exit_code == 0, result.output
    po = polib.pofile(str(project / "locales" / "en_GB" / "ferritin-levels.po"))
    assert po.metadata["Language"] == "en_GB"
    assert run_cli(project, "sync", "-q").exit_code == 0


def test_init_adds_one_line_in_the_files_own_indentation_below_the_last_locale(project):
    path = project / "l10n.yaml"
    before = path.read_text(encoding="utf-8")
    assert run_cli(project, "init", "ar").exit_code == 0
    after = path.read_text(encoding="utf-8")
    assert _added_lines(before, after) == ["  - ar"]
    lines = after.splitlines()
    # the new locale ends the list; the comment that describes publish_threshold stays right above it
    at = lines.index("  - ar")
    assert lines[at - 1] == "    publish_threshold: 0.5"
    comment = next(i for i, line in enumerate(lines) if line.startswith("# Share of translated units"))
    setting = next(i for i, line in enumerate(lines) if line.startswith("publish_threshold:"))
    assert comment > at and all(line.startswith("#") for line in lines[comment:setting])


@pytest.mark.parametrize("text, expected", [
    ("locales:\n- ko\n\n# next setting\nformat_dates: true\n",
     "locales:\n- ko\n- ar\n\n# next setting\nformat_dates: true\n"),
    ("locales:\n    -   ko   # the first one\n# above the flag\nformat_dates: true\n",
     "locales:\n    -   ko   # the first one\n    -   ar\n# above the flag\nformat_dates: true\n"),
    ("locales: [ko] # inline\nformat_dates: true\n",
     "locales: [ko, ar] # inline\nformat_dates: true\n"),
])
def test_init_keeps_other_shapes_of_l10n_yaml(project, text, expected):
    path = project / "l10n.yaml"
    path.write_text(text, encoding="utf-8")
    assert run_cli(project, "init", "ar").exit_code == 0
    assert path.read_text(encoding="utf-8") == expected


def test_init_twice_changes_nothing(project):
    assert run_cli(project, "init", "ar").exit_code == 0
    before = snapshot(project)
    result = run_cli(project, "init", "ar")
    assert result.exit_code == 0 and "already configured" in result.output
    assert snapshot(project) == before
