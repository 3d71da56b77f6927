"""A folder the build writes that is a link to outside the project is refused; nothing goes through it."""

from __future__ import annotations

import os
import shutil

import pytest

from .helpers import copy_project, run_cli, snapshot


@pytest.mark.parametrize("folder", ["output/ko", "locales/ko", "locales/templates"])
def test_a_linked_folder_leading_outside_is_refused_before_anything_is_written(tmp_path, folder):
    (tmp_path / "p").mkdir()
    project = copy_project(tmp_path / "p", with_outputs=True)
    outside = tmp_path / "outside"
    shutil.copytree(project / folder, outside)
    shutil.rmtree(project / folder)
    os.symlink(outside, project / folder)
    # something to write: a changed source
    source = project / "source_articles" / "ferritin-levels.html"
    source.write_text(source.read_text(encoding="utf-8").replace("Key Takeaway", "Key Points"), encoding="utf-8")
    before, outside_before = snapshot(project), snapshot(outside)
    for args in (["sync"], ["sync", "--keep-going"], ["build"]):
        result = run_cli(project, *args)
        assert result.exit_code == 2, result.output
        assert f"{folder}: the folder is a link to outside the project; nothing was written" in result.output
    assert snapshot(outside) == outside_before, "nothing may be written through the link"
    assert snapshot(project) == before


def test_output_itself_linked_outside_is_a_configuration_error(tmp_path):
    (tmp_path / "p").mkdir()
    project = copy_project(tmp_path / "p", with_outputs=True)
    outside = tmp_path / "outside"
    shutil.move(project / "output", outside)
    os.symlink(outside, project / "output")
    outside_before = snapshot(outside)
    result = run_cli(project, "sync")
    assert result.exit_code == 2, result.output
    assert "output_dir must be a folder inside the project" in result.output
    assert snapshot(outside) == outside_before
