"""Test helpers: a scratch copy of the sample project, a CLI runner, tree comparison."""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

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


def forget_seal(project: Path) -> None:
    """Remove the last sync's seal, so that the next sync does its whole work even if nothing changed."""
    (project / ".l10n-cache" / "last-sync.json").unlink(missing_ok=True)


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


def edit_lines(lines: list[str], data: Any, edits: Sequence[str]) -> str:
    """``lines`` with 1 to 4 random edits drawn from Hypothesis ``data``: a piece of ``edits`` inserted, a
    character deleted, a run of lines repeated or a line dropped; joined with newlines."""
    from hypothesis import strategies as st

    lines = list(lines)
    for _ in range(data.draw(st.integers(1, 4))):
        index = data.draw(st.integers(0, len(lines) - 1))
        line = lines[index]
        kind = data.draw(st.sampled_from(["insert", "delete", "duplicate", "drop"]))
        if kind == "insert":
            at = data.draw(st.integers(0, len(line)))
            lines[index] = line[:at] + data.draw(st.sampled_from(list(edits))) + line[at:]
        elif kind == "delete" and line:
            at = data.draw(st.integers(0, len(line) - 1))
            lines[index] = line[:at] + line[at + 1:]
        elif kind == "duplicate":
            stop = min(len(lines), index + data.draw(st.integers(1, 6)))
            lines[stop:stop] = lines[index:stop]
        elif kind == "drop":
            del lines[index]
    return "\n".join(lines)
