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


#: Where tests keep what a person may want to look at afterwards (browser screenshots); not committed.
TEST_OUTPUT = ROOT / "test-output"


def _browser_missing() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (`pip install '.[test]'`; `make test` does so)"
    for name in ("chromium", "chromedriver"):
        if shutil.which(name) is None:
            package = "chromium" if name == "chromium" else "chromium-driver"
            return (f"Debian's `{package}` is not installed: `scripts/install-tools.sh` installs it when run as "
                    "root (`make test` runs it)")
    return None


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium (Debian's, through chromedriver) for the pages we write; skips loudly when missing,
    fails under CI=true."""
    reason = _browser_missing()
    if reason is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true and {reason}", pytrace=False)
        pytest.skip(f"SKIPPED LOUDLY: {reason}")
    import tempfile

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or ""
    profile = tempfile.mkdtemp(prefix="l10n-chromium-")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=900,700",
                 "--force-device-scale-factor=1"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or ""), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
