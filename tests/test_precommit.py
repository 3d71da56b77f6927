"""The pre-commit hooks this repository offers (.pre-commit-hooks.yaml), run by pre-commit itself on a
project in a scratch git repository: they pass on a synced project and fail when a commit leaves catalogs
stale or breaks a translation."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import ROOT, copy_project


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.email=ci@example.org", "-c", "user.name=CI", "-c", "commit.gpgsign=false",
                    *args], cwd=cwd, check=True, capture_output=True)


def _snapshot_repository(dest: Path) -> Path:
    """A git repository in ``dest`` holding this repository's working tree as it is: tracked files (edited or
    not) and untracked ones git does not ignore (a new module not yet added), committed.

    ``pre-commit try-repo`` of the working tree itself would leave untracked files out, and the hook would
    then run a package missing the module."""
    listed = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", "-co", "--exclude-standard"],
                            check=True, capture_output=True).stdout.decode("utf-8").split("\0")
    dest.mkdir()
    for name in filter(None, listed):
        source = ROOT / name
        if not source.is_file() and not source.is_symlink():   # tracked, but deleted in the working tree
            continue
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, dest / name, follow_symlinks=False)
    _git(dest, "init", "-q")
    _git(dest, "add", "-A")
    _git(dest, "commit", "-qm", "the working tree under test")
    return dest


def _try(project: Path, hook: str, home: Path, repo: Path) -> subprocess.CompletedProcess[str]:
    """``pre-commit try-repo`` of ``repo`` (a snapshot of this repository's working tree)."""
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "SOURCE_DATE_EPOCH": "1767225600"}
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(repo), hook, "--all-files"],
                          cwd=project, capture_output=True, text=True, env=env, timeout=600)


@pytest.mark.skipif(shutil.which("git") is None, reason="SKIPPED LOUDLY: git is not installed")
def test_the_hooks_pass_on_a_synced_project_and_fail_on_a_stale_or_broken_one(tmp_path):
    pytest.importorskip("pre_commit", reason="SKIPPED LOUDLY: pre-commit is not installed (pip install '.[test]')")
    (tmp_path / "site").mkdir()
    project = copy_project(tmp_path / "site", with_outputs=True)
    _git(project, "init", "-q")
    _git(project, "add", "-A")
    _git(project, "commit", "-qm", "articles and translations")
    home = tmp_path / "pre-commit-home"
    repo = _snapshot_repository(tmp_path / "pipeline-repo")
    stale = _try(project, "l10n-stale", home, repo)
    assert stale.returncode == 0, stale.stdout + stale.stderr
    assert "Passed" in stale.stdout
    assert _try(project, "l10n-sync", home, repo).returncode == 0

    source = project / "source_articles" / "ferritin-levels.html"
    source.write_text(source.read_text("utf-8").replace("Key Takeaway", "Key Points"), encoding="utf-8")
    stale = _try(project, "l10n-stale", home, repo)
    assert stale.returncode == 1 and "Failed" in stale.stdout
    assert "error[stale]" in stale.stdout and "run `l10n sync`" in stale.stdout

    source.write_text(source.read_text("utf-8").replace("Key Points", "Key Takeaway"), encoding="utf-8")
    catalog = project / "locales" / "ko" / "ferritin-levels.po"
    catalog.write_text(catalog.read_text("utf-8").replace("약 18 mg", "약 180 mg"), encoding="utf-8")
    check = _try(project, "l10n-check", home, repo)
    assert check.returncode == 1 and "error[numbers]" in check.stdout
    # the catalog is not stale against its source, but its page was not rebuilt: only l10n-sync says so
    assert _try(project, "l10n-stale", home, repo).returncode == 0
    sync = _try(project, "l10n-sync", home, repo)
    assert sync.returncode == 1 and "would write output/ko/ferritin-levels.html" in sync.stdout, sync.stdout
    assert "--check: a sync would change" in sync.stdout
    assert catalog.read_text("utf-8").count("약 180 mg") == 1   # the hook wrote nothing
