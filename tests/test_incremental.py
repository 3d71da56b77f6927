"""The cache only saves work: a sync with it writes byte for byte what a sync without it writes."""

from __future__ import annotations

import os
import random
import shutil
import time
from pathlib import Path

import polib
import pytest

from .helpers import copy_project, forget_seal, run_cli, snapshot


def _files(project: Path) -> dict[str, bytes]:
    return snapshot(project)  # .l10n-cache aside


def _edit(project: Path, kind: str, rng: random.Random, step: int) -> None:
    sources = sorted((project / "source_articles").glob("*.html"))
    if kind == "add":
        text = rng.choice(sources).read_text(encoding="utf-8").replace("Key Takeaway", f"Key Takeaway {step}")
        (project / "source_articles" / f"added-{step}.html").write_text(text, encoding="utf-8")
    elif kind == "change" and sources:
        path = rng.choice(sources)
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("</h2>", f" {step}</h2>", 1), encoding="utf-8")
    elif kind == "remove" and len(sources) > 1:
        rng.choice(sources).unlink()
    elif kind == "translate":
        catalogs = sorted((project / "locales" / "ja").glob("*.po"))
        if catalogs:
            path = rng.choice(catalogs)
            po = polib.pofile(str(path))
            empty = [e for e in po if not e.obsolete and not e.msgstr and not e.msgid_plural]
            if empty:
                entry = empty[0]
                entry.msgstr = "訳 " + entry.msgid
                po.save()
    elif kind == "retranslate":
        path = rng.choice(sorted((project / "locales" / "ko").glob("*.po")))
        po = polib.pofile(str(path))
        entry = next(e for e in po if e.msgid == "Key Takeaway")
        entry.msgstr = f"핵심 요약 {step}"
        po.save()
    elif kind == "config":
        config = project / "l10n.yaml"
        text = config.read_text(encoding="utf-8")
        text = text.replace("publish_threshold: 0.5", "publish_threshold: 0.2") if "0.5" in text else \
            text.replace("publish_threshold: 0.2", "publish_threshold: 0.5")
        config.write_text(text, encoding="utf-8")
    elif kind == "touch" and sources:
        path = rng.choice(sources)
        path.write_bytes(path.read_bytes())
    elif kind == "delete-output":
        outputs = sorted((project / "output").rglob("*.html"))
        if outputs:
            rng.choice(outputs).unlink()


KINDS = ["add", "change", "remove", "translate", "retranslate", "config", "touch", "delete-output"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_sync_with_the_cache_writes_what_a_sync_without_it_writes(tmp_path, monkeypatch, seed):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    (tmp_path / "cached").mkdir()
    cached = copy_project(tmp_path / "cached", with_outputs=True)
    fresh = tmp_path / "fresh"
    rng = random.Random(seed)
    assert run_cli(cached, "sync").exit_code == 0
    for step in range(5):
        kind = rng.choice(KINDS)
        _edit(cached, kind, random.Random(seed * 100 + step), step)
        shutil.rmtree(fresh, ignore_errors=True)
        shutil.copytree(cached, fresh, ignore=shutil.ignore_patterns(".l10n-cache"))
        with_cache = run_cli(cached, "sync", "--jobs", str(1 + step % 2))
        without = run_cli(fresh, "sync", "--no-cache", "--jobs", "1")
        assert with_cache.exit_code == without.exit_code == 0, (kind, with_cache.output, without.output)
        assert _files(cached) == _files(fresh), f"step {step} ({kind}): the cache changed the result"
        assert with_cache.output == without.output, f"step {step} ({kind}): the summary differs"


def test_a_second_sync_reads_nothing_it_does_not_need(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    project = copy_project(tmp_path, with_outputs=True)
    assert run_cli(project, "sync").exit_code == 0
    import pipeline.workflow.article as article

    calls = []
    real = article.process_article
    monkeypatch.setattr(article, "process_article", lambda *a, **k: calls.append(a[0].slug) or real(*a, **k))
    result = run_cli(project, "sync")
    assert result.exit_code == 0 and calls == [], "no article is processed when nothing changed"
    assert "0 file(s) changed" in result.output
    assert run_cli(project, "sync", "--no-cache").exit_code == 0
    assert set(calls) == {"ferritin-levels", "neutropenia-during-chemotherapy", "vitamin-d-bone-health"}, \
        "without the cache every article is processed"


@pytest.mark.parametrize("damage", [b"not a database at all", b"SQLite format 3\x00" + b"\xff" * 200])
def test_a_corrupt_cache_is_rebuilt_never_trusted(tmp_path, monkeypatch, damage):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    project = copy_project(tmp_path, with_outputs=True)
    assert run_cli(project, "sync").exit_code == 0
    (project / ".l10n-cache" / "state.sqlite").write_bytes(damage)
    source = project / "source_articles" / "ferritin-levels.html"
    source.write_text(source.read_text(encoding="utf-8").replace("Key Takeaway", "Key Points"), encoding="utf-8")
    result = run_cli(project, "sync")
    assert result.exit_code == 0, result.output
    assert b"Key Points" in (project / "locales/templates/ferritin-levels.pot").read_bytes()
    assert run_cli(project, "sync").output.endswith("0 file(s) changed\n")


def test_a_cache_from_another_configuration_is_not_used(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    project = copy_project(tmp_path, with_outputs=True)
    assert run_cli(project, "sync").exit_code == 0
    config = project / "l10n.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("publish_threshold: 0.5",
                                                                 "publish_threshold: 0.2"), encoding="utf-8")
    result = run_cli(project, "sync")
    assert (project / "output/ja/neutropenia-during-chemotherapy.html").exists(), result.output


def test_a_translation_in_one_article_reaches_an_unchanged_one_through_memory_with_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    project = copy_project(tmp_path, with_outputs=True)
    assert run_cli(project, "sync").exit_code == 0
    path = project / "locales/ja/ferritin-levels.po"
    po = polib.pofile(str(path))
    po.find("Sources").msgstr = "出典"
    po.save()
    assert run_cli(project, "sync").exit_code == 0
    other = polib.pofile(str(project / "locales/ja/vitamin-d-bone-health.po")).find("Sources")
    assert other.msgstr == "出典" and "translation memory: from ferritin-levels" in other.comment


def test_a_sync_skipped_by_the_cache_still_lists_every_fallback_with_v(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    project = copy_project(tmp_path, with_outputs=True)
    assert run_cli(project, "sync").exit_code == 0
    cached = run_cli(project, "sync", "-v")
    fresh = run_cli(project, "sync", "-v", "--no-cache")
    fallbacks = [line for line in cached.output.splitlines() if ": fallback to en: " in line]
    assert fallbacks, "the sample project has untranslated units that fall back to English"
    assert cached.output == fresh.output
    quiet = run_cli(project, "sync")
    assert ": fallback to en: " not in quiet.output and quiet.output in cached.output


def test_a_sync_with_nothing_to_do_writes_nothing_to_the_cache(tmp_path, monkeypatch):
    """The second sync records nothing: its state database is left as it is (byte for byte)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    project = copy_project(tmp_path, with_outputs=True)
    assert run_cli(project, "sync").exit_code == 0
    state = project / ".l10n-cache" / "state.sqlite"
    old = time.time() - 60  # every file older than the last write: trusted by its stat from now on
    for path in project.rglob("*"):
        if path.is_file() and ".l10n-cache" not in path.parts:
            os.utime(path, (old, old))
    assert run_cli(project, "sync").exit_code == 0  # records the files' new stats
    import sqlite3

    def recorded() -> list[tuple[object, ...]]:
        with sqlite3.connect(state) as db:
            return db.execute("SELECT * FROM files ORDER BY path").fetchall() + \
                db.execute("SELECT * FROM meta ORDER BY key").fetchall()

    before = recorded()
    result = run_cli(project, "sync")
    assert result.exit_code == 0 and "0 file(s) changed" in result.output
    assert recorded() == before


def test_an_edit_made_while_a_sync_runs_is_found_by_the_next_one(tmp_path, monkeypatch):
    """A file edited after the sync hashed it and before it recorded the files keeps the stat its hash was
    taken under: the next sync sees a changed stat and reads the file again (it never trusts the old hash)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    project = copy_project(tmp_path, with_outputs=True)
    assert run_cli(project, "sync").exit_code == 0
    source = project / "source_articles" / "ferritin-levels.html"
    from pipeline.workflow.cache import Cache

    real = Cache.remember_files

    def edit_then_remember(self, *args, **kwargs):  # a person saves the article while the sync finishes
        source.write_text(source.read_text(encoding="utf-8").replace("Key Takeaway", "Key Points"), encoding="utf-8")
        old = time.time() - 60
        os.utime(source, (old, old))  # as if saved long before: the stat alone would be trusted
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Cache, "remember_files", edit_then_remember)
    forget_seal(project)  # else the last sync's seal answers at once, and this sync records nothing
    assert run_cli(project, "sync").exit_code == 0  # nothing to do when it looked: it records what it read
    monkeypatch.setattr(Cache, "remember_files", real)
    result = run_cli(project, "sync")
    assert result.exit_code == 0, result.output
    assert b"Key Points" in (project / "locales/templates/ferritin-levels.pot").read_bytes()


def test_an_edit_sync_keeps_the_text_of_unchanged_entries_and_writes_what_a_sync_without_the_cache_writes(
        tmp_path, monkeypatch):
    """A sync remembers how it laid out each PO file it wrote; after an English edit, the entries that did not
    change are not formatted again (most of them), and the files are byte for byte those of ``--no-cache``."""
    import pipeline.po.files as po_files

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    (tmp_path / "cached").mkdir()
    cached = copy_project(tmp_path / "cached", with_outputs=True)
    assert run_cli(cached, "sync", "--no-cache").exit_code == 0
    source = cached / "source_articles" / "ferritin-levels.html"
    source.write_text(source.read_text(encoding="utf-8").replace("</h2>", " again</h2>", 1), encoding="utf-8")
    assert run_cli(cached, "sync", "--jobs", "1").exit_code == 0   # it writes the article's files: layouts kept
    fresh = tmp_path / "fresh"
    source.write_text(source.read_text(encoding="utf-8").replace("</h2>", " once more</h2>", 1), encoding="utf-8")
    shutil.copytree(cached, fresh, ignore=shutil.ignore_patterns(".l10n-cache"))
    formatted = []
    real = po_files._format_entry
    monkeypatch.setattr(po_files, "_format_entry", lambda entry: formatted.append(entry.msgid) or real(entry))
    assert run_cli(cached, "sync", "--jobs", "1").exit_code == 0
    with_cache = len(formatted)
    formatted.clear()
    assert run_cli(fresh, "sync", "--no-cache", "--jobs", "1").exit_code == 0
    assert _files(cached) == _files(fresh)
    assert 0 < with_cache < len(formatted) / 4, (with_cache, len(formatted))


def test_a_translation_is_checked_again_only_when_what_its_verdict_reads_changed(tmp_path, monkeypatch):
    """The cache records the translations a build found without a problem, by a hash of everything the verdict
    reads. A rebuilt article checks only the others: a dose changed in one msgstr is checked (and held back),
    its unchanged neighbours and the other locale are not; the pages are those of ``--no-cache``."""
    import pipeline.html.build as build

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    (tmp_path / "cached").mkdir()
    cached = copy_project(tmp_path / "cached", with_outputs=True)
    assert run_cli(cached, "sync").exit_code == 0
    catalog = cached / "locales" / "ko" / "ferritin-levels.po"
    text = catalog.read_text(encoding="utf-8")
    assert text.count("약 18 mg") == 1
    catalog.write_text(text.replace("약 18 mg", "약 180 mg"), encoding="utf-8")
    fresh = tmp_path / "fresh"
    shutil.copytree(cached, fresh, ignore=shutil.ignore_patterns(".l10n-cache"))
    checked = []
    real = build.translation_problems
    monkeypatch.setattr(build, "translation_problems", lambda msgstr, *a, **k: checked.append(msgstr) or real(msgstr, *a, **k))
    with_cache = run_cli(cached, "sync", "-v", "--jobs", "1")
    assert [msgstr for msgstr in checked if "180 mg" in msgstr] == checked and len(checked) == 1
    assert "fallback to en: number:" in with_cache.output
    checked.clear()
    without = run_cli(fresh, "sync", "-v", "--no-cache", "--jobs", "1")
    assert len(checked) > 50
    assert _files(cached) == _files(fresh)
    assert with_cache.output == without.output
