"""Review records (issue 14, first slice): a sign-off bound to the exact English and translation, kept by
every PO tool, stale as soon as either text changes."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import polib
import pytest

from pipeline.po.files import read_po
from pipeline.po.model import Entry
from pipeline.po.review import ReviewState, approve, record_translator, records, reject, review_state
from pipeline.text.placeholders import count_words

from .helpers import copy_project, run_cli

CATALOG = "locales/ko/ferritin-levels.po"
REVIEWER = "Dr. Kim Min-ji"


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    return copy_project(tmp_path)


def _states(path: Path) -> dict[str, ReviewState]:
    return {e.msgid: review_state(e) for e in read_po(path) if not e.obsolete}


def test_the_cli_approves_clean_units_and_the_record_names_reviewer_date_and_hashes(project):
    result = run_cli(project, "review", "ko", "--approve", "--reviewer", REVIEWER, "--article", "ferritin-levels")
    assert result.exit_code == 0, result.output
    assert "ko: 55 units approved in 3 catalogs (2 of them the same disclaimer in other articles)" in result.output
    po = read_po(project / CATALOG)
    entry = po[0]
    (record,) = records(entry)
    assert record.reviewer == REVIEWER and record.date == "2026-01-01"
    assert entry.tcomment.startswith(f"review: approved by {REVIEWER} on 2026-01-01 src=")
    assert set(_states(project / CATALOG).values()) == {ReviewState.APPROVED}
    other = read_po(project / "locales/ko/vitamin-d-bone-health.po")
    # the disclaimer is approved once per locale: the same English and translation in another article too
    assert {e.msgid: review_state(e) for e in other if "disclaimer" in e.comment} == {
        e.msgid: ReviewState.APPROVED for e in other if "disclaimer" in e.comment}
    assert {review_state(e) for e in other if "disclaimer" not in e.comment} == {ReviewState.UNREVIEWED}
    status = run_cli(project, "review", "status", "ko")
    line = next(row for row in status.output.splitlines() if "ferritin-levels" in row)
    assert line.split()[:7] == ["ko", "ferritin-levels", "53", "0", "0", "0", "0"]
    words = sum(count_words(e.msgid) for e in read_po(project / CATALOG).live())   # every unit is approved
    assert line.split()[7:] == [str(words), "0", "0", "0", "0"]
    assert words == 880


def test_a_unit_the_build_would_hold_back_is_not_approved(project):
    catalog = project / CATALOG
    catalog.write_text(catalog.read_text("utf-8").replace("약 18 mg", "약 180 mg"), encoding="utf-8")
    result = run_cli(project, "review", "ko", "--approve", "--reviewer", REVIEWER, "--article", "ferritin-levels")
    assert "52 units approved by Dr. Kim Min-ji, 1 unit left: the build would hold it back" in result.output
    held = [msgid for msgid, state in _states(catalog).items() if state is ReviewState.UNREVIEWED]
    assert len(held) == 1 and "18 mg" in held[0]


@pytest.mark.parametrize("tool", ["msgmerge", "msgcat", "polib"])
def test_records_survive_the_po_tools(project, tool, msgmerge, msgcat, tmp_path):
    run_cli(project, "review", "ko", "--approve", "--reviewer", REVIEWER, "--article", "ferritin-levels")
    catalog = project / CATALOG
    out = tmp_path / "out.po"
    if tool == "msgmerge":
        subprocess.run([msgmerge, "--previous", "-q", "-o", str(out), str(catalog),
                        str(project / "locales/templates/ferritin-levels.pot")], check=True)
    elif tool == "msgcat":
        subprocess.run([msgcat, "-o", str(out), str(catalog)], check=True)
    else:
        polib.pofile(str(catalog)).save(str(out))
    assert set(_states(out).values()) == {ReviewState.APPROVED}


def test_an_edited_translation_or_english_makes_the_approval_stale_never_approved(project):
    run_cli(project, "review", "ko", "--approve", "--reviewer", REVIEWER, "--article", "ferritin-levels")
    catalog = project / CATALOG
    po = polib.pofile(str(catalog))
    po.find("Key Takeaway").msgstr = "핵심 내용"
    po.save()
    assert _states(catalog)["Key Takeaway"] is ReviewState.STALE
    assert len(records(read_po(catalog).find("Key Takeaway"))) == 1       # history kept
    # the English changes: the merge carries the record along, fuzzy; once the fuzzy flag goes, it is stale
    source = project / "source_articles" / "ferritin-levels.html"
    old = "Ferritin acts like a storage box for iron inside the body."
    source.write_text(source.read_text("utf-8").replace(old, old.replace("the body", "your body")), encoding="utf-8")
    assert run_cli(project, "sync").exit_code == 0
    po = read_po(catalog)
    entry = po.find(old.replace("the body", "your body"))
    assert "fuzzy" in entry.flags and records(entry)
    entry.flags.remove("fuzzy")
    assert review_state(entry) is ReviewState.STALE


def test_a_rejection_has_a_reason_and_makes_the_unit_fuzzy(project):
    po = read_po(project / CATALOG)
    entry = po.find("Key Takeaway")
    reject(entry, reviewer=REVIEWER, date="2026-01-02", category="terminology", severity="minor",
           reason="use 요점, the house term")
    assert review_state(entry) is ReviewState.REJECTED and "fuzzy" in entry.flags
    assert records(entry)[-1].line().endswith("terminology/minor: use 요점, the house term")
    with pytest.raises(ValueError):
        reject(entry, reviewer=REVIEWER, date="2026-01-02", category="vibes", severity="minor", reason="x")
    with pytest.raises(ValueError):
        reject(entry, reviewer=REVIEWER, date="2026-01-02", category="style", severity="minor", reason="  ")


def test_a_record_for_another_text_does_not_approve_this_one():
    entry = Entry(msgid="Iron", msgstr="철분")
    approve(entry, reviewer=REVIEWER, date="2026-01-01")
    copied = Entry(msgid="Iron stores", msgstr="철분", tcomment=entry.tcomment)
    assert review_state(entry) is ReviewState.APPROVED and review_state(copied) is ReviewState.STALE


def test_a_reviewer_name_must_be_one_plain_line(project):
    result = run_cli(project, "review", "ko", "--approve", "--reviewer", "Kim on duty")
    assert result.exit_code == 2 and "reviewer" in result.output
    assert "review:" not in (project / CATALOG).read_text("utf-8")


def test_a_self_approved_unit_counts_neither_as_approved_share_nor_as_reviewed_words(project):
    from pipeline.po.review import tally

    po = read_po(project / CATALOG)
    entry = po.find("Key Takeaway")
    record_translator(entry, name="Lee Seo-yeon", date="2026-01-01")
    approve(entry, reviewer="Lee Seo-yeon", date="2026-01-02")
    other = po.find("Bottom Line")
    approve(other, reviewer=REVIEWER, date="2026-01-02")
    figures = tally(po, lambda severity: 1.0)
    total = sum(count_words(e.msgid) for e in po.live())
    assert figures.self_reviewed == 1
    assert figures.reviewed_words == count_words("Bottom Line")
    assert figures.approved_share() == count_words("Bottom Line") / total


def test_review_status_gives_the_words_of_every_state_as_the_catalog_has_them(project):
    assert run_cli(project, "review", "ko", "--approve", "--reviewer", REVIEWER,
                   "--article", "ferritin-levels").exit_code == 0
    po = polib.pofile(str(project / CATALOG))
    po.find("Bottom Line").msgstr = "결론 요약"                  # approved before: stale
    po.find("Key Takeaway").tcomment = ""                         # nobody approved it
    po.find("Sources").msgstr = ""                                # untranslated
    po.save()
    rejected = run_cli(project, "review", "ko", "--reject", "Ferritin acts like", "--article", "ferritin-levels",
                       "--reviewer", REVIEWER, "--category", "accuracy", "--severity", "major",
                       "--reason", "storage box reads as a shipping box")
    assert rejected.exit_code == 0, rejected.output
    states = ("approved", "stale", "rejected", "unreviewed", "untranslated")
    words = dict.fromkeys(states, 0)
    units = dict.fromkeys(states, 0)
    for entry in read_po(project / CATALOG).live():
        words[review_state(entry).value] += count_words(entry.msgid)
        units[review_state(entry).value] += 1
    assert all(words[s] > 0 for s in states), words
    status = run_cli(project, "review", "status", "ko")
    header = re.split(r"\s{2,}", status.output.splitlines()[0])
    assert header == ["locale", "article", *states, "appr. w.", "stale w.", "rej. w.", "unrev. w.", "untr. w."]
    line = next(row for row in status.output.splitlines() if "ferritin-levels" in row).split()
    assert line[2:7] == [str(units[s]) for s in states]
    assert line[7:] == [str(words[s]) for s in states]


def test_an_approval_by_the_catalogs_last_translator_is_not_reviewed_words(project):
    """No record names the unit's translator, the catalog's Last-Translator approved it: no revision, so
    neither the approved share nor the score's reviewed words count it."""
    from pipeline.po.review import tally

    po = read_po(project / CATALOG)
    po.metadata["Last-Translator"] = "Lee Seo-yeon <lee@example.org>"
    approve(po.find("Key Takeaway"), reviewer="Lee Seo-yeon", date="2026-01-02")
    approve(po.find("Bottom Line"), reviewer=REVIEWER, date="2026-01-02")
    figures = tally(po, lambda severity: 1.0)
    total = sum(count_words(e.msgid) for e in po.live())
    assert figures.self_reviewed == 1
    assert figures.reviewed_words == count_words("Bottom Line")
    assert figures.approved_share() == count_words("Bottom Line") / total
