"""Make docs/status-page.png, the README's picture of the status page, from a copy of the sample project.

The copy gets a story a content lead would see: Korean under ``review: required`` with one article signed off,
a sync that records the history, then an English edit (a unit goes fuzzy, the history names the article), and
the page is laid out in Debian's headless Chromium (as in the tests). Run: ``.venv/bin/python
scripts/docs-screenshot.py`` (needs chromium and chromium-driver: ``scripts/install-tools.sh``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def l10n(project: Path, *args: str) -> None:
    """Run the CLI in ``project``; stop on failure."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1780000000")}
    subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=project, check=True, env=env,
                   stdout=subprocess.DEVNULL)


def main() -> None:
    """Build the story in a temporary copy and save the screenshot."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    with tempfile.TemporaryDirectory(prefix="l10n-docs-") as scratch:
        project = Path(scratch) / "site"
        project.mkdir()
        for name in ("l10n.yaml", "source_articles", "locales", "output"):
            source = ROOT / name
            (shutil.copytree if source.is_dir() else shutil.copy2)(source, project / name)
        config = project / "l10n.yaml"
        config.write_text(config.read_text(encoding="utf-8").replace(
            "locales:\n  - ko\n", "locales:\n  - code: ko\n    review: required\n", 1), encoding="utf-8")
        l10n(project, "review", "ko", "--approve", "--reviewer", "Dr. Kim Min-ji", "--article", "ferritin-levels")
        l10n(project, "sync", "-q")
        article = project / "source_articles" / "vitamin-d-bone-health.html"
        text = article.read_text(encoding="utf-8")
        head, _, body = text.partition("<h2")   # the first paragraph of the article's body, not the byline
        edited = head + _ + body.replace("</p>", " Ask your doctor before you start a supplement.</p>", 1)
        assert edited != text, "the sample article has no paragraph to edit"
        article.write_text(edited, encoding="utf-8")
        os.environ["SOURCE_DATE_EPOCH"] = "1780086400"
        l10n(project, "sync", "-q")
        page = project / "status.html"
        l10n(project, "report", "-o", str(page))

        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium") or ""
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                     f"--user-data-dir={scratch}/profile", "--window-size=1200,900", "--force-device-scale-factor=1"):
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or ""), options=options)
        try:
            driver.get(page.as_uri())
            height = driver.execute_script("return document.documentElement.scrollHeight")
            driver.set_window_size(1200, min(int(height) + 40, 4000))
            target = ROOT / "docs" / "status-page.png"
            assert driver.save_screenshot(str(target))
            print(f"wrote {target.relative_to(ROOT)}")
        finally:
            driver.quit()


if __name__ == "__main__":
    main()
