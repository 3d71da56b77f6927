"""Shared fixtures: real GNU gettext tools, a scratch copy of the sample project."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _require_tool(name: str) -> str:
    path = shutil.which(name)
    if path:
        return path
    reason = (f"GNU gettext's `{name}` is not installed: install Debian's package `gettext` "
              f"(`make test` does so when run as root)")
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(f"SKIPPED LOUDLY: {reason}")


@pytest.fixture(scope="session")
def msgfmt() -> str:
    """Path of GNU msgfmt (skips loudly when missing; fails when CI=true)."""
    return _require_tool("msgfmt")


@pytest.fixture(scope="session")
def msgcat() -> str:
    """Path of GNU msgcat (skips loudly when missing; fails when CI=true)."""
    return _require_tool("msgcat")


def run_msgfmt_check(msgfmt: str, path: Path) -> subprocess.CompletedProcess[str]:
    """Run ``msgfmt --check`` on one PO/POT file, output discarded."""
    return subprocess.run([msgfmt, "--check", "-o", os.devnull, str(path)],
                          capture_output=True, text=True)


@pytest.fixture(scope="session")
def msgmerge() -> str:
    """Path of GNU msgmerge (skips loudly when missing; fails when CI=true)."""
    return _require_tool("msgmerge")
