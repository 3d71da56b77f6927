"""End to end through the CLI on a scratch copy of the sample project."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from .conftest import run_msgfmt_check
from .helpers import HANGUL, ROOT, copy_project, markers_of, parse_html, run_cli, snapshot

EPOCH = "1767225600"  # 2026-01-01 00:00 UTC


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return copy_project(tmp_path)


def _sync(project: Path, *args: str):
    result = run_cli(project, "sync", *args)
    assert result.exit_code == 0, result.output
    return result


def _edit_po(path: Path, change) -> None:
    po = polib.pofile(str(path))
    change(po)
    po.save()


def test_sync_publishes_every_article_in_korean_with_markers_and_disclaimer(project):
    _sync(project)
    for source in sorted((project / "source_articles").glob("*.html")):
        out = project / "output" / "ko" / source.name
        data = out.read_bytes()
        assert markers_of(data) == markers_of(source.read_bytes()), source.name
        root = parse_html(data)
        assert root.get("lang") == "ko"
        disclaimer = root.cssselect(".disclaimer")[0]
        assert HANGUL.search(disclaimer.text_content()), "disclaimer must be in Korean"
        assert not disclaimer.xpath(".//*[@lang='en']")
        assert not root.xpath("//body//*[@lang='en']"), "Korean is complete: no fallback"


def test_a_second_sync_changes_no_file(project):
    _sync(project)
    before = snapshot(project)
    result = _sync(project)
    assert snapshot(project) == before
    assert "0 file(s) changed" in result.output


def test_the_bundled_corpus_is_in_sync():
    """What is committed is what a sync writes: a fresh clone's first sync changes nothing."""
    result = run_cli(ROOT, "sync", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "dry run: 0 file(s) would change" in result.output, result.output


@pytest.mark.gettext
def test_msgfmt_check_accepts_every_generated_catalog(project, msgfmt):
    _sync(project)
    catalogs = sorted((project / "locales").rglob("*.po*"))
    assert len(catalogs) == 9
    for path in catalogs:
        checked = run_msgfmt_check(msgfmt, path)
        assert checked.returncode == 0, f"{path}: {checked.stderr}"


def test_a_broken_translation_falls_back_to_english_and_is_reported(project):
    po_path = project / "locales" / "ko" / "ferritin-levels.po"

    def damage(po):
        dropped = next(e for e in po if "[5]" in e.msgid and e.msgstr)
        dropped.msgstr = dropped.msgstr.replace("[5]", "")
        injected = next(e for e in po if e.msgid == "Key Takeaway")
        injected.msgstr = "<script>alert('x')</script>핵심 요약"
        entity = next(e for e in po if e.msgid == "What Is Ferritin?")
        entity.msgstr = "&lt;img src=x onerror=alert(1)&gt; 페리틴이란?"
        damage.ids = (dropped.msgid, injected.msgid)

    _edit_po(po_path, damage)
    result = _sync(project, "-v")
    assert "lost citation marker [5]" in result.output
    assert "unknown tag '<script>'" in result.output
    assert "HTML entity &lt; would show as typed" in result.output, "what check fails, the build holds back"
    out = (project / "output" / "ko" / "ferritin-levels.html").read_bytes()
    assert b"<script" not in out and b"<img src=x" not in out
    root = parse_html(out)
    fallback = root.xpath("//h2[@lang='en']")
    assert sorted(h.text for h in fallback) == ["Key Takeaway", "What Is Ferritin?"]
    assert markers_of(out) == markers_of((project / "source_articles" / "ferritin-levels.html").read_bytes())
    assert not root.xpath("//*[contains(., 'onerror')]"), "an entity-laden translation is held back"


def test_an_incomplete_disclaimer_is_published_whole_in_english(project):
    def fuzz_disclaimer(po):
        entry = next(e for e in po if e.msgid.startswith("<b>Important Notice:</b>"))
        entry.flags.append("fuzzy")

    _edit_po(project / "locales" / "ko" / "vitamin-d-bone-health.po", fuzz_disclaimer)
    result = _sync(project, "-v")
    assert "disclaimer" in result.output
    root = parse_html((project / "output" / "ko" / "vitamin-d-bone-health.html").read_bytes())
    disclaimer = root.cssselect(".disclaimer p")[0]
    assert disclaimer.get("lang") == "en"
    assert "not a substitute for professional medical advice" in disclaimer.text_content()


def test_below_the_publish_threshold_an_article_is_not_written_and_a_stale_output_is_removed(project):
    _sync(project)
    unpublished = project / "output" / "ja" / "neutropenia-during-chemotherapy.html"
    assert not unpublished.exists()
    assert (project / "output" / "ja" / "ferritin-levels.html").exists()
    unpublished.parent.mkdir(parents=True, exist_ok=True)
    unpublished.write_text("<p>stale</p>")
    result = _sync(project)
    assert not unpublished.exists()
    assert "neutropenia-during-chemotherapy not published" in result.output
    assert "below the publish threshold 50%" in result.output


def test_a_removed_article_loses_its_outputs_but_keeps_its_catalogs(project):
    _sync(project)
    (project / "source_articles" / "vitamin-d-bone-health.html").unlink()
    _sync(project)
    assert not (project / "output" / "ko" / "vitamin-d-bone-health.html").exists()
    assert (project / "locales" / "ko" / "vitamin-d-bone-health.po").exists()
    status = run_cli(project, "status")
    assert status.exit_code == 0
    assert "orphan catalog" in status.output and "locales/ko/vitamin-d-bone-health.po" in status.output


def test_header_dates_move_only_when_content_changes(project, monkeypatch):
    _sync(project)
    pot = project / "locales" / "templates" / "ferritin-levels.pot"
    before = pot.read_text(encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(EPOCH) + 86400 * 40))
    _sync(project)
    assert pot.read_text(encoding="utf-8") == before
    source = project / "source_articles" / "ferritin-levels.html"
    source.write_text(source.read_text(encoding="utf-8").replace("Key Takeaway", "Key Points"), encoding="utf-8")
    _sync(project)
    assert "POT-Creation-Date: 2026-02-10 00:00+0000" in pot.read_text(encoding="utf-8")
    po = polib.pofile(str(project / "locales" / "ko" / "ferritin-levels.po"))
    assert po.metadata["POT-Creation-Date"] == "2026-02-10 00:00+0000"
    entry = po.find("Key Points")
    # too different for a fuzzy match (rapidfuzz ratio below 0.6): a new unit, the old one obsolete
    assert entry.msgstr == "" and "fuzzy" not in entry.flags
    assert [e.msgid for e in po.obsolete_entries()] == ["Key Takeaway"]


def test_update_makes_an_edited_unit_fuzzy_with_its_previous_text(project):
    source = project / "source_articles" / "ferritin-levels.html"
    text = source.read_text(encoding="utf-8")
    old = "Ferritin acts like a storage box for iron inside the body."
    source.write_text(text.replace(old, "Ferritin acts like a storage box for iron inside your body."),
                      encoding="utf-8")
    result = run_cli(project, "update")
    assert result.exit_code == 0, result.output
    po = polib.pofile(str(project / "locales" / "ko" / "ferritin-levels.po"))
    entry = po.find("Ferritin acts like a storage box for iron inside your body.")
    assert "fuzzy" in entry.flags and entry.previous_msgid == old and entry.msgstr
    assert po.obsolete_entries() == []      # as msgmerge --previous: the translation is not kept twice


def test_init_adds_a_locale_with_babel_plural_forms_and_rtl_output(project):
    config_before = (project / "l10n.yaml").read_text(encoding="utf-8")
    result = run_cli(project, "init", "ar")
    assert result.exit_code == 0, result.output
    config_after = (project / "l10n.yaml").read_text(encoding="utf-8")
    assert "- ar" in config_after
    assert all(line in config_after for line in config_before.splitlines() if line.startswith("#"))
    po = polib.pofile(str(project / "locales" / "ar" / "ferritin-levels.po"))
    assert po.metadata["Language"] == "ar" and po.metadata["Plural-Forms"].startswith("nplurals=6;")
    result = run_cli(project, "sync")
    # nothing is translated yet: no English page is published as Arabic
    assert result.exit_code == 0 and not (project / "output" / "ar").exists()
    assert "ar: ferritin-levels not published: no unit is translated yet, below the publish threshold 50%" \
        in result.output
    (project / "l10n.yaml").write_text(config_after.replace("- ar", "- {code: ar, publish_threshold: 0}"),
                                       encoding="utf-8")
    po.find("Key Takeaway").msgstr = "الخلاصة"
    po.save()
    _sync(project)
    root = parse_html((project / "output" / "ar" / "ferritin-levels.html").read_bytes())
    assert root.get("lang") == "ar" and root.get("dir") == "rtl"
    heading = next(h for h in root.iter("h2") if h.text == "الخلاصة")
    assert heading.get("lang") is None and all(
        h.get("lang") == "en" and h.get("dir") == "ltr" for h in root.iter("h2") if h is not heading)


def test_init_refuses_an_unknown_locale(project):
    before = snapshot(project)
    result = run_cli(project, "init", "xx")
    assert result.exit_code == 2
    assert "unknown locale 'xx'" in result.output
    assert snapshot(project) == before


def test_dry_run_writes_nothing(project):
    source = project / "source_articles" / "ferritin-levels.html"
    source.write_text(source.read_text(encoding="utf-8").replace("Key Takeaway", "Key Points"), encoding="utf-8")
    before = snapshot(project)
    result = run_cli(project, "sync", "--dry-run")
    assert result.exit_code == 0
    assert "would write locales/templates/ferritin-levels.pot" in result.output
    assert snapshot(project) == before


def test_sync_check_exits_1_when_a_file_would_change_and_writes_nothing(project):
    """`sync --check` is the dry run a hook or a CI step can fail on."""
    assert run_cli(project, "sync").exit_code == 0
    clean = run_cli(project, "sync", "--check")
    assert clean.exit_code == 0, clean.output
    assert "dry run: 0 file(s) would change" in clean.output
    catalog = project / "locales" / "ko" / "ferritin-levels.po"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace('msgstr "핵심 요약"', 'msgstr "요약"', 1),
                       encoding="utf-8")
    before = snapshot(project)
    result = run_cli(project, "sync", "--check")
    assert result.exit_code == 1, result.output
    assert "would write output/ko/ferritin-levels.html" in result.output
    assert "error: --check: a sync would change" in result.output
    assert snapshot(project) == before


def test_status_writes_nothing_and_counts_units_and_words(project):
    before = snapshot(project)
    result = run_cli(project, "status")
    assert result.exit_code == 0, result.output
    assert snapshot(project) == before
    assert re.search(r"^ko\s+3\s+3\s+\d+/\d+ \(100%\)", result.output, re.M), result.output
    assert re.search(r"^ja\s+3\s+2\s+", result.output, re.M), result.output


def test_python_dash_m_pipeline_and_version(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "pipeline", "--version"], capture_output=True, text=True,
                          env=env, cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.startswith("l10n, version")
    helped = subprocess.run([sys.executable, "-m", "pipeline", "--help"], capture_output=True, text=True,
                            env=env, cwd=tmp_path)
    assert "Exit codes" in helped.stdout and "sync" in helped.stdout


@pytest.mark.gettext
def test_msgcat_leaves_every_catalog_byte_identical(project, msgcat, tmp_path):
    _sync(project)
    for path in sorted((project / "locales").rglob("*.po*")):
        out = tmp_path / "out.po"
        done = subprocess.run([msgcat, str(path), "-o", str(out)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert out.read_bytes() == path.read_bytes(), f"msgcat rewrites {path.relative_to(project)}"


def test_the_reading_time_is_one_plural_entry_translated_once(project):
    _sync(project)
    for slug, text in (("ferritin-levels", "6분 분량"), ("vitamin-d-bone-health", "5분 분량")):
        root = parse_html((project / "output" / "ko" / f"{slug}.html").read_bytes())
        assert root.cssselect(".reading-time")[0].text == text
    po = polib.pofile(str(project / "locales" / "ko" / "ferritin-levels.po"))
    entry = po.find("%(count)d min read")
    assert entry.msgid_plural == "%(count)d min read" and "python-format" in entry.flags
    assert entry.msgstr_plural == {0: "%(count)d분 분량"}
