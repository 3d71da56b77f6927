"""Memory and delivery imports are checked as carefully as exports: the wrong language is refused, a file
that does not say its language is named, and imported memory never records where a file sat on one disk."""

from __future__ import annotations

import os
from pathlib import Path

import polib
import pytest

from .helpers import copy_project, run_cli, snapshot


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    (tmp_path / "project").mkdir()
    return copy_project(tmp_path / "project")


def _tmx(project: Path, outside: Path) -> Path:
    path = outside / "ko-memory.tmx"
    result = run_cli(project, "tm", "export", "ko", "-o", str(path))
    assert result.exit_code == 0, result.output
    return path


def test_a_tmx_without_the_locales_language_is_refused_and_nothing_is_written(project, tmp_path):
    tmx = _tmx(project, tmp_path)
    tmx.write_text(tmx.read_text("utf-8").replace('xml:lang="ko"', 'xml:lang="ja"'), encoding="utf-8")
    before = snapshot(project)
    result = run_cli(project, "tm", "import", "ko", str(tmx))
    assert result.exit_code == 2, result.output
    assert "has no translation into ko (its languages: ja)" in result.output
    assert snapshot(project) == before


def test_imported_memory_records_the_file_name_not_where_it_sat_on_one_disk(project, tmp_path):
    tmx = _tmx(project, tmp_path)
    (project / "locales" / "ko").rename(project / "locales" / "ko-away")   # the memory must come from the file
    (project / "locales" / "ko").mkdir()
    result = run_cli(project, "tm", "import", "ko", str(tmx))
    assert result.exit_code == 0, result.output
    memory = (project / "locales" / "_memory" / "ko.po").read_text("utf-8")
    assert str(tmp_path) not in memory and "#. origin: ko-memory.tmx:" in memory


def test_memory_inside_the_project_is_recorded_by_its_project_path(project):
    (project / "vendor").mkdir()
    tmx = _tmx(project, project / "vendor")
    (project / "locales" / "ko").rename(project / "locales" / "ko-away")
    (project / "locales" / "ko").mkdir()
    assert run_cli(project, "tm", "import", "ko", str(tmx)).exit_code == 0
    assert "#. origin: vendor/ko-memory.tmx:" in (project / "locales" / "_memory" / "ko.po").read_text("utf-8")


@pytest.mark.parametrize("command", [("import", "ko"), ("tm", "import", "ko")])
def test_a_po_without_a_language_header_is_imported_with_a_warning_naming_it(project, tmp_path, command):
    delivery = tmp_path / "delivery.po"
    assert run_cli(project, "export", "ko", "-o", str(delivery)).exit_code == 0
    po = polib.pofile(str(delivery))
    del po.metadata["Language"]
    po.save(str(delivery))
    result = run_cli(project, *command, str(delivery))
    assert result.exit_code == 0, result.output
    assert f"warning: {delivery} has no Language header: imported as ko" in result.output


def test_an_import_into_a_locale_folder_linked_outside_the_project_is_refused(project, tmp_path):
    delivery = tmp_path / "delivery.po"
    assert run_cli(project, "export", "ko", "-o", str(delivery)).exit_code == 0
    away = tmp_path / "elsewhere"
    (project / "locales" / "ko").rename(away)
    os.symlink(away, project / "locales" / "ko")
    before = {p.name: p.read_bytes() for p in away.iterdir()}
    result = run_cli(project, "import", "ko", str(delivery))
    assert result.exit_code == 2 and "link to outside the project" in result.output
    assert {p.name: p.read_bytes() for p in away.iterdir()} == before
