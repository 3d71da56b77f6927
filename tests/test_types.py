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


def test_no_type_check_is_silenced_in_the_package() -> None:
    """mypy's silence is earned: no ``# type: ignore`` anywhere in ``pipeline/`` (a library without type hints
    is read through a Protocol of what is used of it, as ``checks.languages.analyses.AnalyserToken``)."""
    silenced = [f"{path.relative_to(ROOT)}:{number}" for path in sorted((ROOT / "pipeline").rglob("*.py"))
                for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if "type: ignore" in line]
    assert silenced == []


PER_ARTICLE_PROBE = '''
from __future__ import annotations

from collections.abc import Iterator

from pipeline.checks import ArticleContext, ProjectContext, check
from pipeline.core.model import Finding, Severity


@check("probe-gathered", Severity.INFO, "asks an article for what only the project has", per_article=True)
def asks_for_gathered(ctx: ArticleContext) -> Iterator[Finding]:
    yield from ctx.gathered_by("inconsistent")


@check("probe-project", Severity.INFO, "a per-article check typed for the project's context", per_article=True)
def takes_the_project(ctx: ProjectContext) -> Iterator[Finding]:
    yield from ()


@check("probe-fine", Severity.INFO, "what an article has", per_article=True, prepare=ProjectContext.prepare_plan)
def reads_its_article(ctx: ArticleContext) -> Iterator[Finding]:
    for cat in ctx.readable():
        yield cat.finding("probe-fine", f"{len(ctx.changes_to(cat))} changes")
'''


def test_a_per_article_check_that_asks_for_project_data_is_a_type_error(
        tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """What a check may ask of its context is in its type: mypy tells a check writer, before any run."""
    if importlib.util.find_spec("mypy") is None:
        pytest.fail("mypy is not installed: `pip install '.[test]'` installs it", pytrace=False)
    probe = tmp_path / "probe_check.py"
    probe.write_text(PER_ARTICLE_PROBE, encoding="utf-8")
    cache: Path = tmp_path_factory.getbasetemp() / "mypy-cache"
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(cache), "--no-color-output", "--no-error-summary",
         str(probe)], cwd=ROOT, capture_output=True, text=True,
    )
    errors = sorted(line.split(": error: ")[1] for line in done.stdout.splitlines() if ": error: " in line)
    assert len(errors) == 2, done.stdout + done.stderr
    assert errors[0].startswith('"ArticleContext" has no attribute "gathered_by"'), errors
    assert errors[1].startswith('Argument 1 has incompatible type "Callable[[ProjectContext]'), errors
    where = [n for n, text in enumerate(PER_ARTICLE_PROBE.splitlines(), 1)
             if "ctx.gathered_by" in text or '@check("probe-project"' in text]
    assert sorted(int(line.split(":")[1]) for line in done.stdout.splitlines() if ": error: " in line) == where
