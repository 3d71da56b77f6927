"""A sync indexes the translations it staged while its changes are applied: the memory ends as the catalogs on
disk are, also when a translator saves a catalog meanwhile, or when the changes cannot all be applied."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

import pipeline.workflow
import pipeline.workflow.sync as sync

from .helpers import copy_project, run_cli

SOURCE = Path("source_articles") / "ferritin-levels.html"
CATALOG = Path("locales") / "ko" / "ferritin-levels.po"
REAL = sync.start_children, pipeline.workflow.apply_changes


def _indexed_and_on_disk(project: Path, locale: str) -> tuple[dict[str, str], dict[str, str]]:
    """(origin -> hash of the catalog the locale's memory indexes, slug -> hash of the catalog on disk)."""
    db = sqlite3.connect(project / ".l10n-cache" / "memory" / f"{locale}.sqlite")
    try:
        indexed = dict(db.execute("SELECT origin, digest FROM catalogs"))
    finally:
        db.close()
    on_disk = {p.stem: hashlib.blake2b(p.read_bytes(), digest_size=20).hexdigest()
               for p in (project / "locales" / locale).glob("*.po")}
    return indexed, on_disk


def _translator_saves(project: Path) -> None:
    catalog = project / CATALOG
    text = catalog.read_text(encoding="utf-8")
    assert "축된 철의 양을" in text
    catalog.write_text(text.replace("축된 철의 양을", "축된 철분의 양을"), encoding="utf-8")


@pytest.fixture
def edited(tmp_path, monkeypatch):
    """A synced copy of the sample project whose article ``ferritin-levels`` was edited since: the next sync
    rewrites its catalogs, and indexes them."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    project = copy_project(tmp_path, with_outputs=True)
    assert run_cli(project, "sync").exit_code == 0
    source = project / SOURCE
    source.write_text(source.read_text(encoding="utf-8").replace("Key Takeaway", "Key Points"), encoding="utf-8")
    return project


def _watch(monkeypatch, events: list[str], *, before=None, after=None) -> None:
    """Note when the memory's children start and when the changes are applied (with a translator's save before
    or after applying them)."""
    start, apply = REAL

    def start_children(function, calls):
        events.append("index")
        return start(function, calls)

    def apply_changes(changes, project=None):
        events.append("apply")
        if before is not None:
            before()
        problems = apply(changes, project)
        if after is not None:
            after()
        return problems

    monkeypatch.setattr(sync, "start_children", start_children)
    monkeypatch.setattr(pipeline.workflow, "apply_changes", apply_changes)


def test_the_memory_is_indexed_while_the_changes_are_applied(edited, monkeypatch):
    events: list[str] = []
    _watch(monkeypatch, events)
    assert run_cli(edited, "sync").exit_code == 0
    assert events == ["index", "apply"], "the children fill the memory as the changes are applied, not after"
    for locale in ("ko", "ja"):
        indexed, on_disk = _indexed_and_on_disk(edited, locale)
        assert indexed == on_disk, locale


def test_a_catalog_saved_as_the_changes_are_applied_is_indexed_as_saved(edited, monkeypatch):
    """The children index a catalog as the run wrote it; a translator saved it right after: the run indexes
    it again, as it is on disk, before it ends."""
    events: list[str] = []
    _watch(monkeypatch, events, after=lambda: _translator_saves(edited))
    assert run_cli(edited, "sync").exit_code == 0
    assert events == ["index", "apply", "index"], "only the end of the run indexes again"
    indexed, on_disk = _indexed_and_on_disk(edited, "ko")
    assert indexed == on_disk
    found = sqlite3.connect(edited / ".l10n-cache" / "memory" / "ko.sqlite").execute(
        "SELECT count(*) FROM occurrences WHERE msgstr LIKE '%축된 철분의 양을%'").fetchone()
    assert found == (1,), "the memory holds the translator's words"


def test_changes_that_cannot_be_applied_leave_a_memory_the_next_sync_puts_right(edited, monkeypatch):
    """A catalog saved before the run renames its own into place is not overwritten: the run stops (exit 2) and
    records nothing, its children done; the next sync indexes the catalog as the translator left it."""
    events: list[str] = []
    _watch(monkeypatch, events, before=lambda: _translator_saves(edited))
    assert run_cli(edited, "sync").exit_code == 2
    assert events == ["index", "apply"]
    monkeypatch.setattr(sync, "start_children", REAL[0])
    monkeypatch.setattr(pipeline.workflow, "apply_changes", REAL[1])
    assert run_cli(edited, "sync").exit_code == 0
    for locale in ("ko", "ja"):
        indexed, on_disk = _indexed_and_on_disk(edited, locale)
        assert indexed == on_disk, locale
    assert "축된 철분의 양을" in (edited / "output" / "ko" / "ferritin-levels.html").read_text(encoding="utf-8")
