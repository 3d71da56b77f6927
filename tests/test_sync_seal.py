"""A sync with nothing to do answers from the last sync's seal (issue 18): at once, without loading the pipeline,
saying what the whole sync would say. Anything a sync reads or writes that changed makes it do the whole work."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import pipeline.workflow
from pipeline.workflow.seal import SEAL_NAME, watched_paths

from .helpers import copy_project, forget_seal, run_cli, snapshot

SEAL = Path(".l10n-cache") / SEAL_NAME


@pytest.fixture
def synced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sample project after a sync (which left a seal)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    project = copy_project(tmp_path, with_outputs=True)
    assert run_cli(project, "sync").exit_code == 0
    assert (project / SEAL).is_file()
    return project


@pytest.fixture
def whole_syncs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A counter of the syncs that did their whole work (planned the run) rather than answer from the seal."""
    ran: list[int] = []
    real = pipeline.workflow.plan_run

    def counting(*args: Any, **kwargs: Any) -> Any:
        ran.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline.workflow, "plan_run", counting)
    return ran


def test_a_sync_with_nothing_to_do_says_what_the_whole_sync_says_and_writes_nothing(synced, whole_syncs):
    before = snapshot(synced)
    answered = run_cli(synced, "sync")
    assert answered.exit_code == 0 and whole_syncs == []
    assert snapshot(synced) == before
    whole = run_cli(synced, "sync", "--no-cache")
    assert whole.exit_code == 0 and whole_syncs == [1]
    assert answered.output == whole.output
    assert answered.output.endswith("0 file(s) changed\n") and "ko " in answered.output
    assert run_cli(synced, "sync", "-q").output == ""


def test_the_answer_loads_none_of_the_pipelines_heavy_modules(synced):
    script = ("import sys, json\nfrom pipeline.cli import main\nsys.argv = ['l10n', *json.loads(sys.argv[1])]\n"
              "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
              "print(json.dumps(sorted(sys.modules)), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", script, json.dumps(["--config", str(synced / "l10n.yaml"), "sync"])],
                          capture_output=True, text=True, cwd=synced)
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stderr.strip().splitlines()[-1])
    heavy = ("lxml", "polib", "babel", "ruamel", "filelock", "sqlite3", "rapidfuzz", "multiprocessing",
             "pipeline.workflow.sync", "pipeline.workflow.project", "pipeline.core.config", "pipeline.po",
             "pipeline.html", "pipeline.memory")
    assert [m for m in loaded if any(m == h or m.startswith(h + ".") for h in heavy)] == []
    assert "0 file(s) changed" in done.stdout


def _edit_source(project: Path) -> None:
    source = project / "source_articles" / "ferritin-levels.html"
    source.write_text(source.read_text(encoding="utf-8").replace("Key Takeaway", "Key Points"), encoding="utf-8")


def _new_article(project: Path) -> None:
    shutil.copy(project / "source_articles" / "ferritin-levels.html", project / "source_articles" / "iron-copy.html")


def _remove_output(project: Path) -> None:
    (project / "output" / "ko" / "ferritin-levels.html").unlink()


def _stray_output(project: Path) -> None:
    (project / "output" / "ko" / "gone.html").write_text("<html></html>", encoding="utf-8")


def _translator_edit(project: Path) -> None:
    catalog = project / "locales" / "ko" / "ferritin-levels.po"
    text = catalog.read_text(encoding="utf-8")
    assert "축된 철의 양을" in text
    catalog.write_text(text.replace("축된 철의 양을", "축된 철분의 양을"), encoding="utf-8")


def _config_edit(project: Path) -> None:
    config = project / "l10n.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("publish_threshold: 0.5\n",
                                                                 "publish_threshold: 1.0\n"), encoding="utf-8")


def _article_removed(project: Path) -> None:
    (project / "source_articles" / "vitamin-d-bone-health.html").unlink()


def _imported_memory(project: Path) -> None:
    folder = project / "locales" / "_memory"
    folder.mkdir(exist_ok=True)
    shutil.copy(project / "locales" / "ko" / "ferritin-levels.po", folder / "ko.po")


def _orphan_catalog(project: Path) -> None:
    shutil.copy(project / "locales" / "ko" / "ferritin-levels.po", project / "locales" / "ko" / "old-name.po")


@pytest.mark.parametrize("change", [_edit_source, _new_article, _remove_output, _stray_output, _translator_edit,
                                    _config_edit, _article_removed, _imported_memory, _orphan_catalog])
def test_any_change_to_what_a_sync_reads_or_writes_makes_it_do_the_whole_work(synced, whole_syncs, change):
    change(synced)
    done = run_cli(synced, "sync")
    assert done.exit_code == 0, done.output
    assert whole_syncs == [1]
    after = snapshot(synced)
    assert run_cli(synced, "sync", "--no-cache").output.endswith("0 file(s) changed\n")  # it did all there was
    assert snapshot(synced) == after
    assert run_cli(synced, "sync").output.endswith("0 file(s) changed\n") and whole_syncs == [1, 1]  # sealed again


def test_each_effect_is_the_whole_syncs(synced):
    _edit_source(synced)
    _remove_output(synced)
    _stray_output(synced)
    _translator_edit(synced)
    assert run_cli(synced, "sync").exit_code == 0
    assert b"Key Points" in (synced / "locales/templates/ferritin-levels.pot").read_bytes()
    page = (synced / "output" / "ko" / "ferritin-levels.html").read_text(encoding="utf-8")
    assert "축된 철분의 양을" in page
    assert not (synced / "output" / "ko" / "gone.html").exists()


def test_other_flags_do_the_whole_work(synced, whole_syncs):
    assert run_cli(synced, "sync", "-l", "ko").exit_code == 0 and whole_syncs == [1]
    assert run_cli(synced, "sync", "--strict").exit_code == 0 and whole_syncs == [1, 1]
    assert run_cli(synced, "sync", "-v").exit_code == 0 and whole_syncs == [1, 1, 1]   # -v lists every file
    assert run_cli(synced, "sync", "--dry-run").exit_code == 0 and len(whole_syncs) == 4


def test_a_strict_sync_that_holds_a_unit_back_fails_every_time(synced, whole_syncs):
    catalog = synced / "locales" / "ko" / "ferritin-levels.po"
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text.replace("양을 반영합니다.[1]", "양을 반영합니다."), encoding="utf-8")
    for _ in range(2):
        done = run_cli(synced, "sync", "--strict")
        assert done.exit_code == 1 and "held back" in done.output
        assert not (synced / SEAL).exists()
    assert len(whole_syncs) == 2


def test_a_failed_sync_leaves_no_seal(synced):
    (synced / "source_articles" / "Bad Name.html").write_text("<html><body><p>x</p></body></html>", encoding="utf-8")
    assert run_cli(synced, "sync").exit_code == 2
    assert not (synced / SEAL).exists()
    assert run_cli(synced, "sync").exit_code == 2


def test_a_file_edited_while_the_sync_runs_leaves_no_seal(synced, monkeypatch):
    from pipeline.workflow.cache import Cache

    real = Cache.remember_files

    def edit_then_remember(self, *args, **kwargs):   # a person saves a catalog while the sync finishes
        _translator_edit(synced)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Cache, "remember_files", edit_then_remember)
    forget_seal(synced)
    assert run_cli(synced, "sync").exit_code == 0
    assert not (synced / SEAL).exists()
    monkeypatch.setattr(Cache, "remember_files", real)
    assert run_cli(synced, "sync").exit_code == 0
    assert "축된 철분의 양을" in (synced / "output" / "ko" / "ferritin-levels.html").read_text(encoding="utf-8")


def test_files_written_just_before_the_seal_are_compared_by_content(synced, whole_syncs):
    """A file modified in the last 2 s may be modified again within the same tick of the file system's clock,
    its times unchanged: the seal keeps a hash of it, and a different hash is a change."""
    output = os.fspath(synced / "output" / "ko" / "ferritin-levels.html")
    old = time.time() - 3600
    for path in (synced / "locales").rglob("*.po"):
        os.utime(path, (old, old))
    _remove_output(synced)
    assert run_cli(synced, "sync").exit_code == 0 and whole_syncs == [1]
    seal = json.loads((synced / SEAL).read_bytes())
    by_name = {name: content for name, _, content in seal["files"]}
    assert by_name[os.fspath(synced / "locales" / "ko" / "ferritin-levels.po")] is None   # old: its times suffice
    assert by_name[output] is not None                     # just written by the sync
    for entry in seal["files"]:
        if entry[0] == output:
            entry[2] = "0" * 32       # as if the page had been edited within the same tick
    (synced / SEAL).write_text(json.dumps(seal), encoding="utf-8")
    assert run_cli(synced, "sync").exit_code == 0 and whole_syncs == [1, 1]


@pytest.mark.parametrize("damage", [b"", b"{not json", b'{"key": 1}', b'{"key": null, "files": 3}'])
def test_a_damaged_seal_is_replaced(synced, whole_syncs, damage):
    (synced / SEAL).write_bytes(damage)
    assert run_cli(synced, "sync").exit_code == 0 and whole_syncs == [1]
    assert run_cli(synced, "sync").exit_code == 0 and whole_syncs == [1]


def test_no_cache_neither_reads_nor_writes_the_seal(synced):
    forget_seal(synced)
    assert run_cli(synced, "sync", "--no-cache").exit_code == 0
    assert not (synced / SEAL).exists()


def test_the_seal_watches_every_module_of_the_pipeline_and_the_library_folders(synced):
    import click

    from pipeline.workflow import open_project

    watched = set(watched_paths(open_project(synced / "l10n.yaml")))
    package = Path(pipeline.__file__).resolve().parent
    modules = {os.fspath(p) for p in package.rglob("*.py") if "__pycache__" not in p.parts}
    assert modules and modules <= watched
    assert os.path.dirname(os.path.dirname(os.path.abspath(click.__file__))) in watched   # site-packages
