"""``l10n check`` parses a template the last sync left only if a check reads it (issue 18): an article the sync
recorded had no error, so a template with the bytes it recorded parses; its content is parsed when a check asks
for it (``stale`` describing a change, for one). The report is that of ``--no-cache``, whatever the sync
recorded. Observed by counting the parses, not on a clock."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.checks import inputs

from .helpers import copy_project, run_cli

SLUGS = ("ferritin-levels", "neutropenia-during-chemotherapy", "vitamin-d-bone-health")


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """The files a check parsed (their project-relative paths), in order."""
    done: list[str] = []
    original = inputs.parse_po_or_error

    def counting(data, *, path):
        done.append(path)
        return original(data, path=path)

    monkeypatch.setattr(inputs, "parse_po_or_error", counting)
    return done


def _check(project: Path, *args: str) -> tuple[int, list[dict]]:
    result = run_cli(project, "check", "--jobs", "1", "--format", "json", *args)
    return result.exit_code, json.loads(result.stdout)["findings"]


def _templates(paths: list[str]) -> list[str]:
    return sorted(p for p in paths if p.endswith(".pot"))


def _template(project: Path, slug: str) -> Path:
    return project / "locales" / "templates" / f"{slug}.pot"


def test_a_check_after_a_sync_parses_no_template_and_reports_the_same(tmp_path, parsed):
    project = copy_project(tmp_path)
    assert run_cli(project, "sync").exit_code == 0
    first = _check(project)
    assert _templates(parsed) == []
    assert len(parsed) == 2 * len(SLUGS)  # the catalogs are parsed: the checks read them all
    assert _check(project, "--no-cache") == first
    assert _templates(parsed) == sorted(f"locales/templates/{slug}.pot" for slug in SLUGS)


def test_a_template_edited_after_the_sync_is_parsed_and_a_broken_one_reported(tmp_path, parsed):
    project = copy_project(tmp_path)
    assert run_cli(project, "sync").exit_code == 0
    path = _template(project, "ferritin-levels")
    path.write_text(path.read_text("utf-8") + '\nmsgid "Added by hand"\nmsgstr ""\n', encoding="utf-8")
    edited = _check(project)
    assert _templates(parsed) == ["locales/templates/ferritin-levels.pot"]
    assert any(f["check"] == "stale" and f["path"] == "locales/templates/ferritin-levels.pot" for f in edited[1])
    assert _check(project, "--no-cache") == edited

    path.write_text(path.read_text("utf-8") + 'msgid "unterminated\n', encoding="utf-8")
    broken = _check(project)
    assert broken[0] == 2
    assert any(f["check"] == "syntax" and f["path"] == "locales/templates/ferritin-levels.pot" for f in broken[1])
    assert _check(project, "--no-cache") == broken


def test_a_template_the_sync_left_is_parsed_when_a_check_reads_it(tmp_path, parsed):
    """The source changed since the sync: ``stale`` describes what a sync would change in the template, so it
    reads the template the sync left, which is parsed then, and says what ``--no-cache`` says."""
    project = copy_project(tmp_path)
    assert run_cli(project, "sync").exit_code == 0
    source = project / "source_articles" / "vitamin-d-bone-health.html"
    source.write_text(source.read_text("utf-8").replace("</h1>", "</h1>\n<p>A new paragraph.</p>", 1),
                      encoding="utf-8")
    edited = _check(project)
    assert _templates(parsed) == ["locales/templates/vitamin-d-bone-health.pot"]
    stale = [f for f in edited[1] if f["check"] == "stale" and f["path"].endswith("vitamin-d-bone-health.pot")]
    assert [f["message"] for f in stale] == ["out of date with source_articles/vitamin-d-bone-health.html "
                                             "(1 new unit(s)): run `l10n sync`"]
    assert _check(project, "--no-cache") == edited


def test_a_sync_without_the_cache_records_no_template(tmp_path, parsed):
    project = copy_project(tmp_path)
    assert run_cli(project, "sync", "--no-cache").exit_code == 0
    first = _check(project)
    assert len(_templates(parsed)) == len(SLUGS)
    assert _check(project, "--no-cache") == first
