"""A plain `pip install .` gives a working `l10n` (the README's CI workflow installs it that way, not editable)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.helpers import ROOT, copy_project, snapshot

#: What a clean clone does not have (a stale build/lib would hide a package the wheel lacks).
_NOT_IN_A_CLONE = shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info", ".l10n-cache", "__pycache__",
                                         ".pytest_cache", ".hypothesis")


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    """The project's wheel, built from a clean copy, and the `l10n` of a fresh virtual environment it is
    installed in (``pip install`` of the wheel, as `pip install .` does)."""
    where = tmp_path_factory.mktemp("install")
    shutil.copytree(ROOT, where / "src", ignore=_NOT_IN_A_CLONE)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(where / "wheel"),
                    str(where / "src")], check=True, capture_output=True)
    (wheel,) = (where / "wheel").glob("*.whl")
    venv.create(where / "venv", with_pip=True)
    pip = subprocess.run([str(where / "venv" / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)],
                         capture_output=True, text=True)
    if pip.returncode != 0:
        pytest.fail(f"pip install of the wheel failed: {pip.stderr[-2000:]}")
    return wheel, where / "venv" / "bin" / "l10n"


def test_the_wheel_carries_every_file_of_the_package(installed):
    wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    files = [p.relative_to(ROOT).as_posix() for p in (ROOT / "pipeline").rglob("*")
             if p.is_file() and "__pycache__" not in p.parts]
    assert [f for f in files if f not in names] == []


def test_the_installed_l10n_syncs_the_sample_project_as_the_repository_has_it(installed, tmp_path):
    _, l10n = installed
    version = subprocess.run([str(l10n), "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.startswith("l10n, version"), version.stderr
    project = copy_project(tmp_path)
    sync = subprocess.run([str(l10n), "sync"], cwd=project, capture_output=True, text=True)
    assert sync.returncode == 0, sync.stderr
    built = {k: v for k, v in snapshot(project).items() if k.startswith("output/")}
    committed = {f"output/{k}": v for k, v in snapshot(ROOT / "output").items()}
    assert built and built == committed, "the installed package builds what the repository holds"
    report = subprocess.run([str(l10n), "report"], cwd=project, capture_output=True, text=True)
    assert report.returncode == 0, report.stderr
    assert "Chart.js v4" in (project / "l10n-report.html").read_text(encoding="utf-8"), "the vendored charts ship"
