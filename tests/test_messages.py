"""Summaries and messages agree with themselves: usage errors, counts, no-break spaces, stale builds."""

from __future__ import annotations

import shutil

import pytest

from pipeline.core.wording import counted, quote
from tests.helpers import copy_project, run_cli, snapshot

SOURCE = "source_articles/ferritin-levels.html"


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    return copy_project(tmp_path)


@pytest.mark.parametrize("args", [["-v", "-q", "status"], ["status", "-v", "-q"], ["-q", "status", "-v"]])
def test_quiet_and_verbose_together_are_a_usage_error(project, args):
    result = run_cli(project, *args)
    assert result.exit_code == 2
    assert "-q" in result.output and "opposite" in result.output


def test_todo_with_a_locale_filter_is_a_usage_error(project):
    result = run_cli(project, "status", "--todo", "ko", "-l", "ja")
    assert result.exit_code == 2 and "--todo" in result.output


def test_counts_agree_with_their_number_and_no_break_spaces_stay_characters():
    assert counted(1, "word") == "1 word" and counted(2, "word") == "2 words"
    assert counted(1, "entry") == "1 entry" and counted(0, "entry") == "0 entries"
    assert quote("10\u00a0mg a\n  day") == "\u201c10\u00a0mg a day\u201d"


def test_todo_lists_one_word_and_one_entry_in_the_singular(project):
    path = project / SOURCE
    path.write_text(path.read_text(encoding="utf-8").replace("Key Takeaway", "Summary"), encoding="utf-8")
    assert run_cli(project, "sync", "-q").exit_code == 0
    out = run_cli(project, "status", "--todo", "ko").output
    assert "ferritin-levels: 1 entry, 1 word" in out and "(1 word) \u201cSummary\u201d" in out
    assert "words)" not in out.split("\n")[1] and "\\xa0" not in out


def test_update_dry_run_says_nothing_about_publishing(project):
    path = project / SOURCE
    path.write_text(path.read_text(encoding="utf-8").replace("Key Takeaway", "Summary"), encoding="utf-8")
    out = run_cli(project, "update", "--dry-run").output
    header = next(line for line in out.splitlines() if line.startswith("locale"))
    assert "published" not in header and "fallbacks" not in header
    assert "units done" in header


def test_build_after_a_source_edit_says_the_catalogs_are_stale(project):
    assert run_cli(project, "sync", "-q").exit_code == 0
    path = project / SOURCE
    path.write_text(path.read_text(encoding="utf-8").replace("Key Takeaway", "Summary"), encoding="utf-8")
    before = {k: v for k, v in snapshot(project).items() if k.startswith("locales/")}
    result = run_cli(project, "build")
    assert result.exit_code == 0
    assert "ferritin-levels" in result.output and "run `l10n sync`" in result.output
    ko = next(line for line in result.output.splitlines() if line.startswith("ko "))
    # the table counts the new unit as not done, as the fallback column does
    assert "100%" not in ko and ko.split()[-1] == "1"
    assert {k: v for k, v in snapshot(project).items() if k.startswith("locales/")} == before


def test_a_file_name_that_is_not_a_slug_names_the_slug_it_needs(project):
    shutil.copy(project / SOURCE, project / "source_articles" / "My Article.html")
    before = snapshot(project)
    result = run_cli(project, "sync")
    assert result.exit_code == 2
    assert "rename it to my-article.html" in result.output
    assert snapshot(project) == before
