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
    from pipeline.workflow.article import Change, digest

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
