"""``l10n check`` takes the last sync's segmentation of a source whose bytes it has not changed since (issue 18):
the sync keeps, by content hash, what the checks need of each source it segmented (``html.reading``); a check
parses such a source but segments it only if a check asks for its slots (the page check's detailed walk, review
sections). The report is that of ``--no-cache``, whatever was kept. Observed by counting the segmentations, not
on a clock."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from pipeline.checks import inputs
from pipeline.core.files import content_digest

from .helpers import copy_project, run_cli

SLUGS = ("ferritin-levels", "neutropenia-during-chemotherapy", "vitamin-d-bone-health")
#: A Korean line in an English page without ``lang``: not a unit, reported by ``foreign-script``.
FOREIGN = "<p>혈액 검사 전에는 금식하세요.</p>"


@pytest.fixture
def segmented(monkeypatch) -> list[str]:
    """The sources a check segmented (their references), in order."""
    done: list[str] = []
    original = inputs.collect_slots

    def counting(doc, policy, **kwargs):
        done.append(doc.reference)
        return original(doc, policy, **kwargs)

    monkeypatch.setattr(inputs, "collect_slots", counting)
    return done


def _check(project: Path, *args: str) -> tuple[int, list[dict]]:
    result = run_cli(project, "check", "--jobs", "1", "--format", "json", *args)
    return result.exit_code, json.loads(result.stdout)["findings"]


def _readings(project: Path) -> dict[str, bytes]:
    with sqlite3.connect(project / ".l10n-cache" / "state.sqlite") as db:
        return dict(db.execute("SELECT digest, reading FROM readings"))


def _source(project: Path, slug: str) -> Path:
    return project / "source_articles" / f"{slug}.html"


def test_a_check_after_a_sync_segments_no_source_and_reports_the_same(tmp_path, segmented):
    project = copy_project(tmp_path)
    path = _source(project, "ferritin-levels")
    path.write_text(path.read_text("utf-8").replace("</h1>", f"</h1>\n{FOREIGN}", 1), encoding="utf-8")
    assert run_cli(project, "sync").exit_code == 0
    assert set(_readings(project)) == {content_digest(_source(project, slug).read_bytes()) for slug in SLUGS}
    first = _check(project)
    assert segmented == []
    assert any(f["check"] == "foreign-script" for f in first[1])     # the foreign runs are the sync's
    assert _check(project, "--no-cache") == first
    assert len(segmented) == len(SLUGS)


def test_an_edited_source_is_segmented_again(tmp_path, segmented):
    project = copy_project(tmp_path)
    assert run_cli(project, "sync").exit_code == 0
    path = _source(project, "vitamin-d-bone-health")
    path.write_text(path.read_text("utf-8").replace("</h1>", f"</h1>\n{FOREIGN}", 1), encoding="utf-8")
    edited = _check(project)
    assert segmented == ["source_articles/vitamin-d-bone-health.html"]
    assert any(f["check"] == "foreign-script" and f["article"] == "vitamin-d-bone-health" for f in edited[1])
    assert _check(project, "--no-cache") == edited


def test_a_source_the_sync_read_is_not_searched_for_an_unclosed_element_but_a_truncated_one_is(tmp_path,
                                                                                             monkeypatch):
    """The sync parsed these bytes without error, so the check does not look again for an element they leave
    open (half of a parse); a source cut short since has no reading, is searched, and is reported."""
    from pipeline.html import extract

    searched: list[str] = []
    original = extract._unclosed

    def counting(text: str, **kwargs: object) -> object:
        searched.append(text)
        return original(text, **kwargs)

    monkeypatch.setattr(extract, "_unclosed", counting)
    project = copy_project(tmp_path)
    assert run_cli(project, "sync").exit_code == 0
    sources = {_source(project, slug).read_text("utf-8") for slug in SLUGS}
    searched.clear()
    clean = _check(project, "--only", "syntax,page")
    assert searched and not sources & set(searched)       # the outputs are, the sources are not
    assert _check(project, "--only", "syntax,page", "--no-cache") == clean
    path = _source(project, "vitamin-d-bone-health")
    text = path.read_text("utf-8")
    path.write_text(text[:text.index("</ul>")], encoding="utf-8")   # cut short: a list left open
    searched.clear()
    code, found = _check(project, "--only", "syntax")
    assert path.read_text("utf-8") in searched
    assert code == 2 and any("never closed" in f["message"] and f["article"] == "vitamin-d-bone-health"
                             for f in found)
    assert _check(project, "--only", "syntax", "--no-cache") == (code, found)


def test_a_reading_that_does_not_decode_is_not_trusted(tmp_path, segmented):
    project = copy_project(tmp_path)
    assert run_cli(project, "sync").exit_code == 0
    with sqlite3.connect(project / ".l10n-cache" / "state.sqlite") as db:
        db.execute("UPDATE readings SET reading = ?", (b"not a reading",))
    broken = _check(project)
    assert len(segmented) == len(SLUGS)
    assert _check(project, "--no-cache") == broken


def test_a_check_that_needs_the_slots_segments_the_source_itself(tmp_path, segmented):
    """The page check walks an output that departs from its source against the source's slots."""
    project = copy_project(tmp_path)
    assert run_cli(project, "sync").exit_code == 0
    output = project / "output" / "ko" / "ferritin-levels.html"
    page = output.read_text("utf-8")
    assert "[1]" in page
    output.write_text(page.replace("[1]", "", 1), encoding="utf-8")
    found = _check(project, "--only", "page")
    assert segmented == ["source_articles/ferritin-levels.html"]
    assert any(f["check"] == "page" and f["locale"] == "ko" for f in found[1])
    assert _check(project, "--only", "page", "--no-cache") == found


def test_review_sections_take_the_slots_of_the_source(tmp_path, segmented):
    project = copy_project(tmp_path)
    config = project / "l10n.yaml"
    config.write_text(config.read_text("utf-8").replace("  - ko\n", "  - code: ko\n    review: sections\n", 1),
                      encoding="utf-8")
    assert run_cli(project, "sync").exit_code == 0
    found = _check(project, "--only", "unreviewed")
    assert found[1] and len(segmented) == len(SLUGS)
    assert _check(project, "--only", "unreviewed", "--no-cache") == found


def test_the_sync_keeps_the_readings_of_the_sources_it_has_now(tmp_path):
    project = copy_project(tmp_path)
    assert run_cli(project, "sync").exit_code == 0
    before = _readings(project)
    path = _source(project, "ferritin-levels")
    path.write_text(path.read_text("utf-8").replace("</h1>", f"</h1>\n{FOREIGN}", 1), encoding="utf-8")
    _source(project, "neutropenia-during-chemotherapy").unlink()
    assert run_cli(project, "sync").exit_code == 0
    after = _readings(project)
    assert set(after) == {content_digest(_source(project, slug).read_bytes())
                          for slug in ("ferritin-levels", "vitamin-d-bone-health")}
    vitamin = content_digest(_source(project, "vitamin-d-bone-health").read_bytes())
    assert after[vitamin] == before[vitamin]


def test_a_sync_without_the_cache_keeps_no_reading(tmp_path, segmented):
    project = copy_project(tmp_path)
    assert run_cli(project, "sync", "--no-cache").exit_code == 0
    assert not (project / ".l10n-cache" / "state.sqlite").exists() or not _readings(project)
    _check(project)
    assert len(segmented) == len(SLUGS)


def _plain(slot) -> tuple:
    run = slot.run
    return (slot.kind, slot.context, run.msgid, tuple(run.placeholders), tuple(run.markers), run.literals,
            slot.unit, slot.in_disclaimer)


@pytest.mark.parametrize("slug", SLUGS)
def test_a_reading_reads_back_as_the_slots_and_foreign_runs_it_was_made_from(tmp_path, slug):
    from pipeline.html.extract import collect_slots, read_source
    from pipeline.html.reading import decode_reading, encode_reading, slot_infos
    from pipeline.workflow.project import open_project

    project = copy_project(tmp_path)
    path = _source(project, slug)
    extra = f'{FOREIGN}\n<p data-l10n-context="dose">Write the dose as &lt;dose&gt; mg.</p>'
    path.write_text(path.read_text("utf-8").replace("</h1>", f"</h1>\n{extra}", 1), encoding="utf-8")
    doc = read_source(path, slug=slug, reference=path.name)
    foreign: list = []
    segments = collect_slots(doc, open_project(project / "l10n.yaml").policy, foreign=foreign)
    # what the checks tell apart: a count phrase, the disclaimer, a context, literal text, a foreign run
    assert foreign and any(slot.kind == "count" for slot in segments)
    assert any(slot.disclaimer is not None for slot in segments)
    assert any(slot.context == "dose" and slot.run.literals == {"<dose>"} for slot in segments)
    decoded = decode_reading(encode_reading(segments, foreign))
    assert decoded is not None
    assert [_plain(slot) for slot in decoded[0]] == [_plain(slot) for slot in slot_infos(segments)]
    assert [slot.unit for slot in slot_infos(segments)] == \
        [unit.key if (unit := slot.unit()) is not None else None for slot in segments]
    assert decoded[1] == foreign


def test_a_reading_made_under_another_configuration_is_not_used(tmp_path, segmented):
    """The segmentation follows l10n.yaml (ignored regions, the disclaimer's selector): after an edit of it the
    sync's readings are another configuration's, and every source is segmented again."""
    project = copy_project(tmp_path)
    assert run_cli(project, "sync").exit_code == 0
    config = project / "l10n.yaml"
    text = config.read_text("utf-8")
    assert "  - .sources .source-title\n" in text
    config.write_text(text.replace("  - .sources .source-title\n", "  - .sources .source-title\n  - .no-such-region\n"),
                      encoding="utf-8")
    edited = _check(project)
    assert len(segmented) == len(SLUGS)
    assert _check(project, "--no-cache") == edited
