"""``l10n check`` keeps the Korean analyser's answers in ``.l10n-cache/`` (issue 18): a second check of an
unchanged project does not load the analyser, only a new translation is analysed, and the findings are the
same byte for byte with the cache, without it, with it deleted or broken. Checked on ``sys.modules`` and on
a counter, not on a clock."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.checks import reuse
from pipeline.checks.languages import analyses, korean

from .helpers import run_cli
from .test_checks import make_case

pytest.importorskip("kiwipiepy")

#: Runs `l10n ARGS` in a fresh interpreter; prints the report, then on stderr whether kiwipiepy was imported.
PROBE = ("import sys, json\nfrom pipeline.cli import main\nsys.argv = ['l10n', *json.loads(sys.argv[1])]\n"
         "try:\n    main()\nexcept SystemExit:\n    pass\n"
         "print(json.dumps('kiwipiepy' in sys.modules), file=sys.stderr)")
#: A translation only the analyser finds wrong: 이라든가 is 이라 + more, which a word-final rule cannot see.
ANALYSER_ONLY = ('msgstr "철분 복용량"\n', 'msgstr "ANC이라든가 철분 복용량"\n')


def _project(tmp_path: Path) -> Path:
    project = make_case("korean-particles", tmp_path)
    dosing = project / "locales" / "ko" / "dosing.po"
    text = dosing.read_text(encoding="utf-8")
    assert ANALYSER_ONLY[0] in text
    dosing.write_text(text.replace(*ANALYSER_ONLY), encoding="utf-8")
    return project


def _check(project: Path, *args: str) -> tuple[str, bool]:
    """The JSON report of `l10n check` in a new process, and whether that process imported kiwipiepy."""
    argv = ["--config", str(project / "l10n.yaml"), "check", "--format", "json", *args]
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(argv)], capture_output=True, text=True,
                          cwd=project, timeout=300)
    assert done.stdout.strip(), done.stderr
    return done.stdout, json.loads(done.stderr.strip().splitlines()[-1])


def _forget_reports(project: Path) -> None:
    """Delete the articles' kept reports, so that the next check reads the catalogs (and asks the analyser)."""
    (project / ".l10n-cache" / reuse.FILE_NAME).unlink()


def test_a_second_check_of_an_unchanged_project_does_not_load_the_analyser(tmp_path):
    project = _project(tmp_path)
    first, loaded_first = _check(project)
    assert loaded_first
    assert "ANC라든가" in first                     # the analyser's finding
    assert (project / ".l10n-cache" / analyses.FILE_NAME).is_file()
    second, loaded_second = _check(project)
    assert not loaded_second
    assert second == first
    again, _ = _check(project, "--jobs", "1")
    assert again == first


def test_the_findings_are_the_same_without_the_cache_deleted_or_broken(tmp_path):
    project = _project(tmp_path)
    cold, _ = _check(project)
    warm, _ = _check(project)
    off, loaded = _check(project, "--no-cache")
    assert loaded and off == cold == warm
    cache = project / ".l10n-cache" / analyses.FILE_NAME
    cache.unlink()
    kept, loaded = _check(project)                 # every article's report kept: the analyser is not needed
    assert not loaded and kept == cold
    _forget_reports(project)
    deleted, loaded = _check(project)
    assert loaded and deleted == cold
    cache.write_bytes(b"not a database" * 100)
    _forget_reports(project)
    broken, loaded = _check(project)
    assert loaded and broken == cold
    _forget_reports(project)
    rebuilt, loaded = _check(project)              # the broken file was replaced by a good one
    assert not loaded and rebuilt == cold


def test_a_stored_answer_that_does_not_decode_is_asked_again(tmp_path):
    import sqlite3

    project = _project(tmp_path)
    cold, _ = _check(project)
    db = sqlite3.connect(project / ".l10n-cache" / analyses.FILE_NAME)
    with db:
        db.execute("UPDATE answers SET value = '{not json'")
    db.close()
    _forget_reports(project)
    spoiled, loaded = _check(project)
    assert loaded and spoiled == cold
    _forget_reports(project)
    healed, loaded = _check(project)
    assert not loaded and healed == cold


def test_only_a_changed_translation_is_analysed_again(tmp_path, monkeypatch):
    project = _project(tmp_path)
    asked: list[str] = []
    real = korean._analyse

    def counting(text: str) -> analyses.Tokens | None:
        asked.append(text)
        return real(text)

    monkeypatch.setattr(korean, "_analyse", counting)
    first = run_cli(project, "check", "--jobs", "1", "--format", "json").output
    assert asked and any("ANC이라든가" in text for text in asked)
    asked.clear()
    assert run_cli(project, "check", "--jobs", "1", "--format", "json").output == first
    assert asked == []
    markers = project / "locales" / "ko" / "markers.po"
    text = markers.read_text(encoding="utf-8")
    markers.write_text(text.replace("B2M와", "B2M과"), encoding="utf-8")
    fixed = run_cli(project, "check", "--jobs", "1", "--format", "json").output
    assert len(asked) == 1 and "B2M과" in asked[0]
    assert "B2M\u201d is read" not in fixed and "B2M\u201d is read" in first


def test_another_analyser_starts_a_new_cache(tmp_path, monkeypatch):
    project = _project(tmp_path)
    run_cli(project, "check", "--jobs", "1")
    asked: list[str] = []
    real = korean._analyse
    monkeypatch.setattr(korean, "_analyse", lambda text: asked.append(text) or real(text))
    monkeypatch.setattr(korean, "analyser_identity", lambda: "another analyser")
    run_cli(project, "check", "--jobs", "1")
    assert asked                                   # nothing kept for that analyser: every text asked again
