"""Atomic writes: old or new, the old file's mode kept, links replaced rather than written through."""

from __future__ import annotations

import os

from pipeline.core.files import stage_file, write_atomic


def test_a_rewritten_file_keeps_its_mode_and_no_temporary_file_is_left(tmp_path):
    path = tmp_path / "ko.po"
    path.write_text("old")
    os.chmod(path, 0o640)
    assert write_atomic(path, b"new", durable=True) is True
    assert path.read_bytes() == b"new" and (path.stat().st_mode & 0o777) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ko.po"]
    assert write_atomic(path, b"new") is False, "identical content is not rewritten"


def test_a_symlink_is_replaced_never_written_through(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("precious")
    link = tmp_path / "project" / "out.html"
    link.parent.mkdir()
    link.symlink_to(outside)
    write_atomic(link, b"<p>new</p>")
    assert outside.read_text() == "precious"
    assert not link.is_symlink() and link.read_bytes() == b"<p>new</p>"


def test_staged_files_never_look_like_catalogs(tmp_path):
    staged = stage_file(tmp_path / "locales" / "ko" / "a.po", b"x")
    assert staged.name.startswith(".a.po.") and staged.suffix == ".tmp"
    assert list((tmp_path / "locales").rglob("*.po")) == []


def test_applying_changes_removes_what_killed_runs_left_and_keeps_nothing_else(tmp_path):
    """Leftover staged files of a target are removed when it is written; other files of the folder stay."""
    from pipeline.workflow import apply_changes
    from pipeline.workflow.changes import Change, digest

    folder = tmp_path / "ko"
    folder.mkdir()
    (folder / "a.po").write_bytes(b"old a")
    (folder / ".a.po.killed1.tmp").write_bytes(b"half")          # a killed run's, for a.po
    (folder / ".a.pot.other.tmp").write_bytes(b"not a.po's")     # shares a prefix, not a.po's
    (folder / "notes.tmp").write_bytes(b"a person's file")
    changes = [Change(folder / name, "catalog", expected=digest(b"old a") if name == "a.po" else None,
                      staged=stage_file(folder / name, f"new {name}".encode()))
               for name in ("a.po", "b.po", "c.po")]
    assert apply_changes(changes) == []
    assert sorted(p.name for p in folder.iterdir()) == [".a.pot.other.tmp", "a.po", "b.po", "c.po", "notes.tmp"]
    assert (folder / "b.po").read_bytes() == b"new b.po"


def test_a_sync_flushes_every_catalog_it_writes_before_renaming_it_into_place(tmp_path, monkeypatch):
    """Catalogs hold people's work: each one a sync rewrites is on disk (fsync) before it replaces the old."""
    from .helpers import copy_project, run_cli

    project = copy_project(tmp_path)
    for source in (project / "source_articles").glob("*.html"):   # an edit in every article: new catalogs
        text = source.read_text(encoding="utf-8")
        source.write_text(text.replace("<p>", "<p>New words. ", 1), encoding="utf-8")
    events: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append(("flushed", os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def replace(src, dst) -> None:  # type: ignore[no-untyped-def]
        events.append(("renamed", f"{os.fspath(src)} -> {os.fspath(dst)}"))
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    result = run_cli(project, "sync", "--jobs", "1")
    assert result.exit_code == 0, result.output
    renamed = [(i, e[1].split(" -> ")) for i, e in enumerate(events) if e[0] == "renamed"]
    catalogs = [(i, src, dst) for i, (src, dst) in renamed if dst.endswith(".po") and "/_memory/" not in dst]
    assert len(catalogs) >= 3
    for index, src, _ in catalogs:
        assert ("flushed", os.path.realpath(src)) in events[:index], src


def test_a_catalog_that_cannot_be_flushed_is_reported_and_the_old_one_kept(tmp_path, monkeypatch):
    from pipeline.core import files
    from pipeline.workflow import apply_changes
    from pipeline.workflow.changes import Change, digest

    path = tmp_path / "ko.po"
    path.write_bytes(b"old")
    change = Change(path, "catalog", durable=True, expected=digest(b"old"), new=digest(b"new"))
    change.tmp = stage_file(path, b"new")
    monkeypatch.setattr(files, "make_durable", lambda paths: {p: OSError(28, "No space left on device")
                                                              for p in paths})
    monkeypatch.setattr("pipeline.workflow.project.make_durable", files.make_durable)
    [problem] = apply_changes([change])
    assert "No space left on device" in problem.format_message()
    assert path.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["ko.po"]
