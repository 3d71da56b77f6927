"""Golden triples per extraction feature: ``<case>/source.html`` and a catalog per locale (``ko.po``,
``ar.po``) in, ``expected.pot`` and ``expected.<lang>.html`` out, as ``l10n extract`` and ``l10n build``
write them in a one-article project (see README.md in this folder).

``python -m tests.cases.extraction NAME`` (or ``make golden CASE=NAME``) writes a case's expected files and
prints what changed; ``tests/test_extraction_cases.py`` compares and never writes.
"""

from __future__ import annotations

import difflib
import re
import shutil
import tempfile
from pathlib import Path

from click.testing import CliRunner

CASES = Path(__file__).resolve().parent
#: The configuration of every case's project; a case with an ``l10n.yaml`` of its own uses that instead.
BASE_CONFIG = CASES / "l10n.yaml"
#: Fixed dates, so a refreshed expected.pot does not change for its POT-Creation-Date alone.
ENV = {"SOURCE_DATE_EPOCH": "1767225600"}
_CREATION_DATE = re.compile(rb'^"POT-Creation-Date: [^"\n]*\\n"$', re.M)


def case_names() -> list[str]:
    """The names of the case folders (each holds a ``source.html``), sorted."""
    return sorted(p.parent.name for p in CASES.glob("*/source.html"))


def languages(case: Path) -> list[str]:
    """The locales a case has a catalog for (``ko.po`` -> ``ko``), sorted."""
    return sorted(p.stem for p in case.glob("*.po"))


def _l10n(project: Path, *args: str) -> str:
    """Run ``l10n --config project/l10n.yaml ARGS`` in-process; its output (RuntimeError unless it exits 0)."""
    from pipeline.cli.main import cli

    result = CliRunner().invoke(cli, ["--config", str(project / "l10n.yaml"), *args], env=ENV,
                                catch_exceptions=False)
    if result.exit_code != 0:
        raise RuntimeError(f"l10n {' '.join(args)} exited {result.exit_code}:\n{result.output}")
    return result.output


def _project(case: Path, workdir: Path) -> Path:
    """A one-article project for the case in ``workdir``: its source as ``<case>.html``, its catalogs."""
    config = case / "l10n.yaml" if (case / "l10n.yaml").exists() else BASE_CONFIG
    workdir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(config, workdir / "l10n.yaml")
    (workdir / "source_articles").mkdir()
    shutil.copyfile(case / "source.html", workdir / "source_articles" / f"{case.name}.html")
    for lang in languages(case):
        (workdir / "locales" / lang).mkdir(parents=True)
        shutil.copyfile(case / f"{lang}.po", workdir / "locales" / lang / f"{case.name}.po")
    return workdir


def render(case: Path, workdir: Path) -> dict[str, bytes]:
    """What the pipeline makes of a case: ``expected.pot`` (``l10n extract``) and, for each catalog,
    ``expected.<lang>.html`` (``l10n build -l LANG`` with that catalog as it is), by file name."""
    project = _project(case, workdir)
    _l10n(project, "extract")
    files = {"expected.pot": (project / "locales" / "templates" / f"{case.name}.pot").read_bytes()}
    for lang in languages(case):
        _l10n(project, "build", "-l", lang)
        files[f"expected.{lang}.html"] = (project / "output" / lang / f"{case.name}.html").read_bytes()
    return files


def comparable(name: str, data: bytes) -> bytes:
    """A file's bytes as the comparison sees them: a template without its POT-Creation-Date value."""
    return _CREATION_DATE.sub(b'"POT-Creation-Date: \\\\n"', data) if name.endswith(".pot") else data


def diff(name: str, expected: bytes | None, actual: bytes) -> str:
    """A unified diff from the expected file (None: missing) to what the pipeline wrote; empty when equal."""
    old = [] if expected is None else expected.decode("utf-8").splitlines(keepends=True)
    new = actual.decode("utf-8").splitlines(keepends=True)
    return "".join(difflib.unified_diff(old, new, f"{name} (expected)", f"{name} (pipeline)"))


def updated_catalog(case: Path, lang: str) -> bytes:
    """The case's catalog for ``lang`` merged with its source as ``l10n update`` merges it (an untranslated
    one when the case has none yet)."""
    with tempfile.TemporaryDirectory(prefix="l10n-golden-") as tmp:
        project = _project(case, Path(tmp))
        _l10n(project, "update", "-l", lang)
        return (project / "locales" / lang / f"{case.name}.po").read_bytes()
