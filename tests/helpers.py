"""Test helpers: a scratch copy of the sample project, a CLI runner, tree comparison."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from click.testing import CliRunner, Result
from lxml import etree, html

ROOT = Path(__file__).resolve().parent.parent
MARKER = re.compile(r"\[(?:[A-Z]{1,4})?\d+(?:\s*[,\u2013-]\s*(?:[A-Z]{1,4})?\d+)*\]")
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def copy_project(dest: Path, *, with_outputs: bool = False) -> Path:
    """A copy of the bundled project (config, sources, catalogs) in ``dest``."""
    shutil.copy(ROOT / "l10n.yaml", dest / "l10n.yaml")
    shutil.copytree(ROOT / "source_articles", dest / "source_articles")
    shutil.copytree(ROOT / "locales", dest / "locales")
    if with_outputs:
        shutil.copytree(ROOT / "output", dest / "output")
    return dest


def run_cli(project: Path, *args: str) -> Result:
    """Run ``l10n --config project/l10n.yaml ARGS`` in-process."""
    from pipeline.cli.main import cli

    runner = CliRunner()
    return runner.invoke(cli, ["--config", str(project / "l10n.yaml"), *args], catch_exceptions=False)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` with its bytes (the lock and cache folder, which git ignores, aside)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".l10n-cache" not in p.relative_to(folder).parts}


def parse_html(data: bytes) -> etree._Element:
    """Parse HTML bytes the way a reader's tools would."""
    return etree.fromstring(data, html.HTMLParser(remove_comments=True, encoding="utf-8"))


def normalized_text(text: str | None) -> str:
    """Whitespace-normalised text."""
    return re.sub(r"[ \t\n\r\f]+", " ", text or "").strip()


def structure(root: etree._Element) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    """Elements in document order with their attributes (tag, sorted attributes)."""
    return [(el.tag, tuple(sorted(el.attrib.items()))) for el in root.iter() if isinstance(el.tag, str)]


def markers_of(data: bytes) -> list[str]:
    """Every citation marker in a document's text, sorted."""
    root = parse_html(data)
    body = root.find("body") if root.find("body") is not None else root
    return sorted(MARKER.findall(body.text_content()))
