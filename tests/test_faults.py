"""A sync killed at any moment (SIGKILL) leaves every file old or new, and the next sync completes.

Killed before it renames its files into place, the next sync writes exactly what an uninterrupted one does.
Killed while it renames them (a few milliseconds at its end), some files are new and some old, and the next
sync starts from that: it writes the same templates, translations and pages, but the memory may credit a
translation to an article whose catalog the killed sync had already written (``#. translation memory:``), and
the history's row lists the articles whose English that sync still found changed. Either way a further sync
changes nothing.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .helpers import ROOT, copy_project, snapshot

RUNS = 12
#: A file staged by ``fsutil.stage_file``: ``.<target name>.<random>.tmp`` beside its target.
STAGED = re.compile(r"\.(?P<name>.+)\.[A-Za-z0-9_]{6,}\.tmp")


def _sync_command(project: Path) -> list[str]:
    return [sys.executable, "-m", "pipeline", "--config", str(project / "l10n.yaml"), "-q", "sync"]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1767225600"}


def _base(folder: Path) -> Path:
    """The sample project with more articles and no outputs: a sync has much to write."""
    project = copy_project(folder)
    sources = sorted((project / "source_articles").glob("*.html"))
    for n in range(3):
        text = sources[n % 3].read_text(encoding="utf-8").replace("Key Takeaway", f"Key Takeaway {n}")
        (project / "source_articles" / f"copy-{n}.html").write_text(text, encoding="utf-8")
    return project


def _as_finished(files: dict[str, bytes]) -> dict[str, bytes]:
    """A project's files without what a sync resumed after a kill mid-rename may word otherwise: the memory's
    credit lines of the catalogs, and the history's list of articles whose English changed (its last column)."""
    shown = {}
    for rel, data in files.items():
        if rel.endswith((".po", ".pot")):
            data = b"".join(line for line in data.splitlines(keepends=True)
                            if not line.startswith(b"#. translation memory:"))
        elif rel == "l10n-history.tsv":
            data = b"".join(line.rsplit(b"\t", 1)[0] + b"\n" for line in data.splitlines())
        shown[rel] = data
    return shown


def _finishes(work: Path, old: dict[str, bytes], new: dict[str, bytes], what: str) -> None:
    """The next sync of a project a killed sync left: exactly ``new``, or, if the killed one had renamed some
    of its files into place, ``new`` but for what :func:`_as_finished` leaves out; then a sync changes nothing."""
    renamed = any(data == new.get(rel) != old.get(rel) for rel, data in snapshot(work).items())
    subprocess.run(_sync_command(work), env=_env(), check=True)
    finished = snapshot(work)
    if renamed:
        assert _as_finished(finished) == _as_finished(new), f"{what}: the next sync did not reach the same result"
    else:
        assert finished == new, f"{what}: the next sync did not reach the same result"
    subprocess.run(_sync_command(work), env=_env(), check=True)
    assert snapshot(work) == finished, f"{what}: a further sync changed files"


def test_a_sync_killed_while_renaming_leaves_a_project_the_next_sync_finishes(tmp_path):
    """The state a kill leaves between two renames of the same sync: one new article's files in place, the
    others not yet. The next sync writes the same templates, translations and pages as an uninterrupted one."""
    (tmp_path / "base").mkdir()
    base = _base(tmp_path / "base")
    reference = tmp_path / "reference"
    shutil.copytree(base, reference)
    subprocess.run(_sync_command(reference), env=_env(), check=True)
    old, new = snapshot(base), snapshot(reference)
    work = tmp_path / "work"
    shutil.copytree(base, work)
    renamed = [rel for rel in new if "copy-0." in rel and new[rel] != old.get(rel)]
    assert len(renamed) == 5      # its template, two catalogs and two pages
    for rel in renamed:
        (work / rel).parent.mkdir(parents=True, exist_ok=True)
        (work / rel).write_bytes(new[rel])
    _finishes(work, old, new, "renamed in part")


def test_a_killed_sync_leaves_old_or_new_files_and_the_next_sync_finishes_the_job(tmp_path):
    (tmp_path / "base").mkdir()
    base = _base(tmp_path / "base")
    reference = tmp_path / "reference"
    shutil.copytree(base, reference)
    started = time.monotonic()
    subprocess.run(_sync_command(reference), env=_env(), check=True)
    duration = time.monotonic() - started
    old, new = snapshot(base), snapshot(reference)
    assert len(new) >= len(old) + 15, "the reference sync wrote the templates, catalogs and outputs"
    rng = random.Random(20261127)
    interrupted = 0
    for run in range(RUNS):
        work = tmp_path / f"run-{run}"
        shutil.copytree(base, work)
        process = subprocess.Popen(_sync_command(work), env=_env(), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 1.0) * duration)
        process.kill()
        interrupted += process.wait() == -9
        for rel, data in snapshot(work).items():
            staged = STAGED.fullmatch(Path(rel).name)
            if staged:  # killed between staging and renaming: a (partial) copy of the new file, beside it
                target = (Path(rel).parent / staged["name"]).as_posix()
                assert target in new, f"run {run}: {rel} is staged for a file the sync does not write"
                assert new[target].startswith(data), f"run {run}: {rel} is not (part of) the new {target}"
                continue
            assert data in (old.get(rel), new.get(rel)), f"run {run}: {rel} is neither old nor new"
        _finishes(work, old, new, f"run {run}")
    assert interrupted >= RUNS // 2, "most runs must really be killed mid-way"
