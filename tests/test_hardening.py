"""Every bad input gets a clear answer, nothing is lost, nothing is injected.

Each case under tests/cases/bad_inputs/<name>/ damages a copy of the sample project: ``setup.json`` edits its
files (replace a string, cut, re-encode), adds links, removals or generated long lines, and ``files/`` lays new
files over it; ``expect.yaml`` says what
must happen: the exit code, a message naming the file and line, which files must stay byte-identical,
strings that must never reach output/ and strings that must.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from .helpers import copy_project, run_cli, snapshot

CASES = Path(__file__).parent / "cases" / "bad_inputs"
NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir())


def _prepare(project: Path, case: Path) -> None:
    setup = json.loads((case / "setup.json").read_text()) if (case / "setup.json").exists() else {}
    for rel in setup.get("remove", []):
        target = project / rel
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    files = case / "files"
    if files.is_dir():
        for path in sorted(p for p in files.rglob("*") if p.is_file()):
            dest = project / path.relative_to(files)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)
    for edit in setup.get("edits", []):
        _edit(project / edit["path"], edit)
    for rel, target in setup.get("symlinks", {}).items():
        os.symlink(target, project / rel)
    if "long_comment" in setup:
        spec = setup["long_comment"]
        path = project / spec["path"]
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(spec["before"], "# " + "x" * spec["bytes"] + "\n" + spec["before"], 1),
                        encoding="utf-8")


def _edit(path: Path, edit: dict) -> None:
    """Damage one file of the sample project as a case says (lone surrogates in it stand for raw bytes)."""
    text = path.read_text(encoding="utf-8")
    if "replace" in edit:
        assert edit["replace"] in text, f"{edit['replace']!r} is no longer in {path.name}: update the case"
        text = text.replace(edit["replace"], edit["with"], 1)
    if "keep" in edit:
        text = text[: int(len(text) * edit["keep"])]
    if "cut_at" in edit:
        assert edit["cut_at"] in text, f"{edit['cut_at']!r} is no longer in {path.name}: update the case"
        text = text[: text.index(edit["cut_at"])] + edit.get("append", "")
    encoding = edit.get("encoding")
    if encoding == "utf-16":
        data = b"\xff\xfe" + text.encode("utf-16-le")
    elif encoding == "bom-crlf":
        data = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")
    else:
        data = text.encode("utf-8", "surrogateescape")
    path.write_bytes(data)


def _outputs(project: Path) -> dict[str, bytes]:
    return {k: v for k, v in snapshot(project).items() if k.startswith("output/")}


def test_the_corpus_is_large_enough():
    assert len(NAMES) >= 30


@pytest.mark.parametrize("name", NAMES)
def test_bad_input(tmp_path, monkeypatch, name):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    case = CASES / name
    expect = YAML(typ="safe").load((case / "expect.yaml").read_text(encoding="utf-8"))
    (tmp_path / "p").mkdir()
    project = copy_project(tmp_path / "p", with_outputs=True)
    _prepare(project, case)
    before = snapshot(project)
    result = run_cli(project, *expect.get("command", ["sync"]))
    output = result.output
    assert result.exit_code == expect["exit_code"], output
    for phrase in expect.get("messages", []):
        assert phrase in output, output
    after = snapshot(project)
    if expect.get("unchanged") == "all":
        assert after == before, "a failed run must not write anything"
    else:
        for rel in expect.get("unchanged", []):
            assert after.get(rel) == before.get(rel), f"{rel} must stay byte-identical"
    published = b"".join(_outputs(project).values())
    for text in expect.get("never_in_output", []):
        assert text.encode() not in published, f"{text!r} reached output/"
    for rel, texts in (expect.get("in_output") or {}).items():
        data = (project / rel).read_bytes()
        for text in texts:
            assert text.encode() in data, f"{rel} lacks {text!r}"


def test_a_second_run_waits_for_the_lock_then_exits_4(tmp_path):
    from filelock import FileLock

    project = copy_project(tmp_path)
    lock_path = project / ".l10n-cache" / "sync.lock"
    lock_path.parent.mkdir()
    before = snapshot(project)
    with FileLock(str(lock_path)):
        result = run_cli(project, "--lock-timeout", "0.3", "sync")
    assert result.exit_code == 4
    assert "another l10n run has held the project lock for 0.3 s" in result.output
    assert snapshot(project) == before
    assert run_cli(project, "sync").exit_code == 0, "the lock is free again once the holder lets go"


def test_a_catalog_saved_by_an_editor_during_a_sync_is_not_overwritten(tmp_path):
    from pipeline.workflow import RunOptions, apply_changes, open_project, plan_run

    project_dir = copy_project(tmp_path)
    source = project_dir / "source_articles" / "ferritin-levels.html"
    source.write_text(source.read_text(encoding="utf-8").replace("Key Takeaway", "Key Points"), encoding="utf-8")
    project = open_project(project_dir / "l10n.yaml")
    result = plan_run(project, RunOptions(stage=True))
    catalog = project_dir / "locales" / "ko" / "ferritin-levels.po"
    assert any(change.path == catalog for change in result.changes)
    edited = catalog.read_bytes().replace(b"\xed\x95\xb5\xec\x8b\xac \xec\x9a\x94\xec\x95\xbd", "요점".encode())
    catalog.write_bytes(edited)  # the translator's editor saves, mid-sync
    problems = apply_changes(result.changes, project)
    assert [p.path for p in problems] == ["locales/ko/ferritin-levels.po"]
    assert "changed on disk while l10n was working; not overwritten" in problems[0].message
    assert catalog.read_bytes() == edited
    assert run_cli(project_dir, "sync").exit_code == 0
    assert "요점".encode() in catalog.read_bytes(), "the next sync takes the edit in"


def test_an_unforeseen_error_exits_3_naming_the_file_with_the_traceback_only_on_debug(tmp_path, monkeypatch):
    import pipeline.workflow.article as articles

    project = copy_project(tmp_path)

    def broken(*args, **kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(articles, "render_output", broken)
    before = snapshot(project)
    result = run_cli(project, "sync")
    assert result.exit_code == 3
    assert "source_articles/ferritin-levels.html: internal error (RuntimeError: simulated bug)" in result.output
    assert "Traceback" not in result.output
    assert snapshot(project) == before, "nothing is written when a bug stops the run"
    debug = run_cli(project, "--debug", "sync")
    assert debug.exit_code == 3 and "Traceback" in debug.output and "broken" in debug.output
