"""A catalog re-saved by a translator's tool (polib, msgcat) is not stale: staleness is content, not wrapping."""

from __future__ import annotations

import subprocess

import polib
import pytest

from tests.conftest import run_msgfmt_check
from tests.helpers import copy_project, run_cli, snapshot

SLUG = "ferritin-levels"


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    return copy_project(tmp_path)


def _catalogs(project):
    return [project / "locales" / "ko" / f"{SLUG}.po", project / "locales" / "templates" / f"{SLUG}.pot"]


def _resave_with_polib(project):
    for path in _catalogs(project):
        po = polib.pofile(str(path))
        po.save()


def _resave_with_msgcat(project, msgcat):
    for path in _catalogs(project):
        subprocess.run([msgcat, "--width=60", "-o", str(path), str(path)], check=True)


@pytest.mark.parametrize("tool", ["polib", "msgcat"])
def test_a_resaved_catalog_is_not_stale_and_a_sync_leaves_it_alone(project, msgcat, msgfmt, tool):
    before = {p: p.read_bytes() for p in _catalogs(project)}
    _resave_with_polib(project) if tool == "polib" else _resave_with_msgcat(project, msgcat)
    resaved = snapshot(project)
    assert any(p.read_bytes() != before[p] for p in _catalogs(project)), "the tool should rewrap the files"
    result = run_cli(project, "check", "-l", "ko")
    assert result.exit_code == 0, result.output
    assert "stale" not in result.output
    assert run_cli(project, "sync", "-q").exit_code == 0
    after = snapshot(project)
    changed = sorted(k for k in after if k.startswith("locales/") and resaved.get(k) != after[k])
    assert changed == []
    for path in _catalogs(project):
        assert run_msgfmt_check(msgfmt, path).returncode == 0


def test_a_changed_word_in_an_extracted_comment_is_still_stale(project):
    _resave_with_polib(project)
    path = project / "locales" / "ko" / f"{SLUG}.po"
    text = path.read_text(encoding="utf-8")
    assert "#. paragraph\n" in text
    path.write_text(text.replace("#. paragraph\n", "#. heading\n", 1), encoding="utf-8")
    result = run_cli(project, "check", "-l", "ko")
    assert result.exit_code == 1
    assert "error[stale]" in result.output and "other comments" in result.output
