"""`l10n build` counts units against the current template, also when a catalog lacks one (found by the
golden cases: a build used to report 100% for a catalog missing an entry, while the page showed it in English)."""

from __future__ import annotations

import polib

from .helpers import copy_project, run_cli


def _row(output: str, code: str) -> list[str]:
    return next(line.split() for line in output.splitlines() if line.startswith(f"{code} "))


def test_a_catalog_missing_a_unit_is_counted_with_it_untranslated(tmp_path):
    project = copy_project(tmp_path)
    catalog = project / "locales/ko/ferritin-levels.po"
    po = polib.pofile(str(catalog))
    po.remove(po.find("Key Takeaway"))
    po.save()
    result = run_cli(project, "build")
    assert result.exit_code == 0, result.output
    row = _row(result.output, "ko")
    assert row[3:7] == ["139/140", "(99%)", "0", "1"], result.output
    assert _row(result.output.split("fallbacks  missing")[1], "ko")[1] == "1"      # the page shows it in English
