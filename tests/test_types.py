"""The package's annotations hold: `mypy --strict` (a test dependency, configured in pyproject.toml) finds nothing."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import ROOT


def test_mypy_strict_finds_nothing(tmp_path_factory: pytest.TempPathFactory) -> None:
    if importlib.util.find_spec("mypy") is None:
        pytest.fail("mypy is not installed: `pip install '.[test]'` installs it", pytrace=False)
    cache: Path = tmp_path_factory.getbasetemp() / "mypy-cache"
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(cache), "--no-color-output", "--no-error-summary"],
        cwd=ROOT, capture_output=True, text=True,
    )
    if done.returncode != 0 or done.stdout.strip():
        pytest.fail("mypy --strict pipeline reports:\n" + done.stdout + done.stderr, pytrace=False)
