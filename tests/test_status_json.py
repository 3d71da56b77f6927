"""``l10n status --json``: the summary's figures per locale and per article, valid against the shipped schema,
counted as GNU msgfmt counts them, and written by nothing."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import jsonschema
import pytest

from pipeline.reporting import STATUS_SCHEMA

from .helpers import copy_project, run_cli, snapshot

STATISTICS = re.compile(r"(?:(\d+) translated messages?)?(?:, )?(?:(\d+) fuzzy translations?)?(?:, )?"
                        r"(?:(\d+) untranslated messages?)?\.")


def status_json(project: Path, *args: str) -> dict:
    """``l10n status --json`` of a project, parsed (and validated against the schema)."""
    result = run_cli(project, "status", "--json", *args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    jsonschema.Draft202012Validator(STATUS_SCHEMA).validate(data)
    return data


def msgfmt_statistics(msgfmt: str, catalog: Path) -> tuple[int, int, int]:
    """(translated, fuzzy, untranslated) as ``msgfmt --statistics`` counts them."""
    done = subprocess.run([msgfmt, "--statistics", "-o", os.devnull, str(catalog)], capture_output=True, text=True,
                          env={**os.environ, "LC_ALL": "C"})
    assert done.returncode == 0, done.stderr
    found = STATISTICS.search(done.stderr.strip())
    assert found, done.stderr
    return tuple(int(group or 0) for group in found.groups())  # type: ignore[return-value]


@pytest.fixture()
def synced(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    return copy_project(tmp_path, with_outputs=True)


def test_the_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(STATUS_SCHEMA)


def test_status_json_has_every_locale_and_article_with_the_summary_figures(synced):
    before = snapshot(synced)
    data = status_json(synced)
    assert snapshot(synced) == before, "status --json wrote something"
    assert [loc["locale"] for loc in data["locales"]] == ["ko", "ja"]
    ko, ja = data["locales"]
    # the figures of the README's summary table
    assert (ko["units"]["translated"], ko["units"]["total"], ko["words"]["translated"]) == (140, 140, 2491)
    assert (ja["units"]["translated"], ja["units"]["untranslated"], ja["words"]["untranslated"]) == (84, 56, 1066)
    assert (ja["published"], ja["fallbacks"]["total"], ja["fallbacks"]["by_reason"]["missing"]) == (2, 24, 24)
    assert ja["unpublished"] == [{"article": "neutropenia-during-chemotherapy",
                                  "reason": "30% of units translated, below the publish threshold 50%"}]
    slugs = [a["slug"] for a in data["articles"]]
    assert slugs == sorted(p.stem for p in (synced / "source_articles").glob("*.html"))
    ferritin = data["articles"][slugs.index("ferritin-levels")]
    assert ferritin["title"] == "Ferritin Levels: What Your Iron Stores Test Can Tell You | Health Library"
    neutropenia = {row["locale"]: row for row in data["articles"][slugs.index("neutropenia-during-chemotherapy")]["locales"]}
    assert neutropenia["ja"]["published"] is False and neutropenia["ja"]["output"] is None
    assert neutropenia["ja"]["reason"] == ja["unpublished"][0]["reason"]
    assert neutropenia["ko"]["output"] == "output/ko/neutropenia-during-chemotherapy.html"
    for loc in data["locales"]:  # the articles add up to their locale
        rows = [row for a in data["articles"] for row in a["locales"] if row["locale"] == loc["locale"]]
        for key in ("translated", "fuzzy", "untranslated", "total"):
            assert sum(r["units"][key] for r in rows) == loc["units"][key]
            assert sum(r["words"][key] for r in rows) == loc["words"][key]
        assert sum(r["published"] for r in rows) == loc["published"]
        assert sum(r["fallbacks"]["total"] for r in rows) == loc["fallbacks"]["total"]
    assert data["pending_changes"] == 0 and data["orphans"] == [] and data["stale"] == []


def test_status_json_of_one_locale(synced):
    data = status_json(synced, "-l", "ja")
    assert [loc["locale"] for loc in data["locales"]] == ["ja"]
    assert all([row["locale"] for row in a["locales"]] == ["ja"] for a in data["articles"])


def test_json_and_todo_together_are_a_usage_error(synced):
    result = run_cli(synced, "status", "--json", "--todo", "ja")
    assert result.exit_code == 2


@pytest.mark.gettext
def test_every_catalogs_counts_agree_with_msgfmt_statistics(synced, msgfmt):
    """On the sample catalogs as they are, then after an English edit turned entries fuzzy."""
    for round_ in ("as shipped", "after an edit"):
        if round_ == "after an edit":
            source = synced / "source_articles" / "ferritin-levels.html"
            source.write_text(source.read_text(encoding="utf-8").replace("iron", "Iron"), encoding="utf-8")
            assert run_cli(synced, "sync").exit_code == 0
        data = status_json(synced)
        compared = 0
        fuzzy = 0
        for article in data["articles"]:
            for row in article["locales"]:
                units = row["units"]
                ours = (units["translated"], units["fuzzy"], units["untranslated"])
                assert ours == msgfmt_statistics(msgfmt, synced / row["catalog"]), (round_, row["catalog"])
                compared += 1
                fuzzy += units["fuzzy"]
        assert compared == 6
        assert (fuzzy > 0) == (round_ == "after an edit")
