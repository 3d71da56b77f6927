"""A sync killed at any moment (SIGKILL) leaves every file old or new, and the next sync completes."""

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
        subprocess.run(_sync_command(work), env=_env(), check=True)
        assert snapshot(work) == new, f"run {run}: the next sync did not reach the same result"
    assert interrupted >= RUNS // 2, "most runs must really be killed mid-way"
