"""Progress over time: every sync that changed something appends a line per locale to l10n-history.tsv; a
sync that changes nothing appends nothing."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from .helpers import copy_project, run_cli, snapshot
from .test_status_json import status_json

HEADER = ("date\tcommit\tlocale\tarticles\tpublished\tunits_translated\tunits_fuzzy\tunits_untranslated\t"
          "words_translated\twords_fuzzy\twords_untranslated")


def lines(project: Path) -> list[list[str]]:
    text = (project / "l10n-history.tsv").read_text(encoding="utf-8")
    rows = text.splitlines()
    assert rows[0] == HEADER and text.endswith("\n")
    return [row.split("\t") for row in rows[1:]]


def figures(data: dict, code: str) -> list[str]:
    """The history columns after date and commit, as status --json gives them."""
    loc = next(loc for loc in data["locales"] if loc["locale"] == code)
    return [code, *(str(v) for v in (loc["articles"], loc["published"], loc["units"]["translated"],
                                     loc["units"]["fuzzy"], loc["units"]["untranslated"], loc["words"]["translated"],
                                     loc["words"]["fuzzy"], loc["words"]["untranslated"]))]


def edit(project: Path) -> None:
    source = project / "source_articles" / "ferritin-levels.html"
    source.write_text(source.read_text(encoding="utf-8").replace("iron", "Iron"), encoding="utf-8")


@pytest.fixture()
def project(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    return copy_project(tmp_path)


def test_a_sync_that_changes_files_appends_a_line_per_locale(project, monkeypatch):
    result = run_cli(project, "sync", "-v")
    assert result.exit_code == 0
    assert "wrote l10n-history.tsv" in result.output
    first = lines(project)
    assert [row[:3] for row in first] == [["2026-01-01T00:00Z", "-", "ko"], ["2026-01-01T00:00Z", "-", "ja"]]
    data = status_json(project)
    assert [row[2:] for row in first] == [figures(data, "ko"), figures(data, "ja")]

    before = snapshot(project)
    assert run_cli(project, "sync").output.endswith("0 file(s) changed\n")
    assert snapshot(project) == before, "a sync with nothing changed must change no file, the history included"

    edit(project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767312000")
    assert run_cli(project, "sync").exit_code == 0
    second = lines(project)
    assert second[:2] == first, "lines are only ever appended"
    assert [row[:3] for row in second[2:]] == [["2026-01-02T00:00Z", "-", "ko"], ["2026-01-02T00:00Z", "-", "ja"]]
    data = status_json(project)
    assert [row[2:] for row in second[2:]] == [figures(data, "ko"), figures(data, "ja")]
    assert int(second[2][6]) > 0, "the edit made fuzzy units, and the history says so"


def test_a_dry_run_names_the_history_and_writes_nothing(project):
    before = snapshot(project)
    result = run_cli(project, "sync", "--dry-run")
    assert "would write l10n-history.tsv" in result.output
    assert snapshot(project) == before


def test_only_the_synced_locales_are_recorded(project):
    assert run_cli(project, "sync", "-l", "ja").exit_code == 0
    assert [row[2] for row in lines(project)] == ["ja"]


def test_extract_update_and_build_keep_no_history(project):
    for command in ("extract", "update", "build"):
        assert run_cli(project, command).exit_code == 0
        assert not (project / "l10n-history.tsv").exists(), command


def test_the_history_is_the_same_whatever_jobs(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    one, two = copy_project(tmp_path / "a"), copy_project(tmp_path / "b")
    assert run_cli(one, "sync", "--jobs", "1").exit_code == 0
    assert run_cli(two, "sync", "--jobs", "2").exit_code == 0
    assert snapshot(one) == snapshot(two)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_commit_is_recorded_where_the_project_is_a_git_repository(project):
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@example.org",
                               *args], check=True, capture_output=True, text=True).stdout.strip()

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "sample")
    head = git("rev-parse", "HEAD")
    assert run_cli(project, "sync").exit_code == 0
    assert {row[1] for row in lines(project)} == {head[:12]}
