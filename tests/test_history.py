"""Progress over time: every sync that changed something appends a line per locale to l10n-history.tsv; a
sync that changes nothing appends nothing."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import html

from .helpers import copy_project, run_cli, snapshot
from .test_status_json import status_json

OLD_HEADER = ("date\tcommit\tlocale\tarticles\tpublished\tunits_translated\tunits_fuzzy\tunits_untranslated\t"
              "words_translated\twords_fuzzy\twords_untranslated")
HEADER = OLD_HEADER + "\tenglish_changed"


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
    assert [row[2:-1] for row in first] == [figures(data, "ko"), figures(data, "ja")]
    assert [row[-1] for row in first] == ["-", "-"], "the sample's templates are up to date: no English changed"

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
    assert [row[2:-1] for row in second[2:]] == [figures(data, "ko"), figures(data, "ja")]
    assert int(second[2][6]) > 0, "the edit made fuzzy units, and the history says so"
    assert [row[-1] for row in second[2:]] == ["ferritin-levels", "ferritin-levels"]


def add_article(project: Path, slug: str) -> None:
    """A new article: a copy of the vitamin D one under another slug."""
    source = project / "source_articles" / "vitamin-d-bone-health.html"
    (project / "source_articles" / f"{slug}.html").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")


def test_english_changed_names_every_article_whose_template_was_written_sorted(project, monkeypatch):
    assert run_cli(project, "sync").exit_code == 0
    edit(project)
    add_article(project, "a-new-article")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767312000")
    assert run_cli(project, "sync").exit_code == 0
    rows = lines(project)
    assert [row[-1] for row in rows[2:]] == ["a-new-article,ferritin-levels"] * 2, "a new article counts"
    data = status_json(project)
    assert {a["slug"]: a["english_changed_in_last_sync"] for a in data["articles"]} == {
        "a-new-article": True, "ferritin-levels": True, "neutropenia-during-chemotherapy": False,
        "vitamin-d-bone-health": False}


def test_a_history_without_the_english_changed_column_still_reads_and_gains_only_the_new_header(
        project, monkeypatch):
    assert run_cli(project, "sync").exit_code == 0
    history = project / "l10n-history.tsv"
    # the file as a sync wrote it before the column existed
    old_lines = ["\t".join(row[:-1]) + "\n" for row in lines(project)]
    history.write_text(OLD_HEADER + "\n" + "".join(old_lines), encoding="utf-8")
    old = history.read_bytes()
    report = project / "report.html"
    assert run_cli(project, "report", "-o", str(report)).exit_code == 0
    records = json.loads(html.fromstring(report.read_bytes()).get_element_by_id("l10n-data").text)["history"]
    assert [r["english_changed"] for r in records] == [[], []], "an old line reads, with no article named"
    assert [r["words_translated"] for r in records] == [2491, 1425]

    edit(project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767312000")
    assert run_cli(project, "sync").exit_code == 0
    new = history.read_bytes()
    head, _, rest = new.partition(b"\n")
    assert head.decode("utf-8") == HEADER
    assert rest.startswith(old.partition(b"\n")[2]), "the old lines stay byte for byte"
    appended = rest[len(old.partition(b"\n")[2]):].decode("utf-8").splitlines()
    assert [line.split("\t")[-1] for line in appended] == ["ferritin-levels", "ferritin-levels"]
    assert all(len(line.split("\t")) == 12 for line in appended)
    assert run_cli(project, "report", "-o", str(report)).exit_code == 0
    records = json.loads(html.fromstring(report.read_bytes()).get_element_by_id("l10n-data").text)["history"]
    assert [r["english_changed"] for r in records] == [[], [], ["ferritin-levels"], ["ferritin-levels"]]


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
    for project in (one, two):   # English changed in several articles: the list is the same too
        edit(project)
        add_article(project, "a-new-article")
        add_article(project, "z-new-article")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767312000")
    assert run_cli(one, "sync", "--jobs", "1").exit_code == 0
    assert run_cli(two, "sync", "--jobs", "2").exit_code == 0
    assert snapshot(one) == snapshot(two)
    assert lines(one)[-1][-1] == "a-new-article,ferritin-levels,z-new-article"


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
