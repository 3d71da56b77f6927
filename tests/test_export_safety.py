"""A vendor round trip loses nothing: fuzzy entries go out fuzzy, and an untouched delivery changes no file."""

from __future__ import annotations

import os
import re
from pathlib import Path

import polib
import pytest

from pipeline.pofile import format_po

from .conftest import run_msgfmt_check
from .helpers import copy_project, run_cli, snapshot

FERRITIN_KO = "locales/ko/ferritin-levels.po"
EDITED = "Every laboratory sets its own reference range"
SUMMARY = re.compile(r"wrote (?P<file>.+): (?P<n>\d+) entr(?:y|ies) \((?P<t>\d+) translated, (?P<f>\d+) fuzzy, "
                     r"(?P<u>\d+) untranslated; (?P<w>\d+) words? to translate\)")


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    root = tmp_path / "project"
    root.mkdir()
    copy_project(root, with_outputs=True)
    monkeypatch.chdir(root)
    return root


def _ok(result):
    assert result.exit_code == 0, result.output
    return result


def _refused(result, *phrases: str):
    assert result.exit_code == 2, result.output
    for phrase in phrases:
        assert phrase in result.output, result.output
    return result


def _edit(path: Path, change) -> None:
    """Change a catalog with polib and write it back the way the pipeline writes catalogs."""
    po = polib.pofile(str(path))
    change(po)
    path.write_text(format_po(po), encoding="utf-8")


def _catalogs(project: Path) -> dict[str, bytes]:
    return {name: data for name, data in snapshot(project / "locales").items()}


# 4. fuzzy survives the round trip ---------------------------------------------------------------------

def _mixed_states(project: Path) -> None:
    """A realistic fuzzy entry (source edited, then `l10n update`), and keys finished in one article only."""
    source = project / "source_articles" / "ferritin-levels.html"
    source.write_text(source.read_text(encoding="utf-8").replace("Each laboratory sets its own reference range",
                                                                 EDITED), encoding="utf-8")
    _ok(run_cli(project, "update"))

    def fuzzy_takeaway(po):
        entry = po.find("Key Takeaway")
        entry.msgstr, entry.previous_msgid = "요점 (검토 필요)", "Key Takeaways"
        entry.flags.append("fuzzy")

    def untranslated_bottom_line(po):
        po.find("Bottom Line").msgstr = ""

    def fuzzy_sources_in_ja(po):
        entry = po.find("Sources")
        entry.msgstr = "参考文献"
        entry.flags.append("fuzzy")

    _edit(project / "locales/ko/neutropenia-during-chemotherapy.po", fuzzy_takeaway)
    _edit(project / "locales/ko/vitamin-d-bone-health.po", untranslated_bottom_line)
    _edit(project / "locales/ja/vitamin-d-bone-health.po", fuzzy_sources_in_ja)


def test_fuzzy_entries_are_exported_fuzzy_with_their_previous_text(project, msgfmt):
    _mixed_states(project)
    _ok(run_cli(project, "export", "ko", "-o", "ko.po"))
    exported = polib.pofile(str(project / "ko.po"))
    assert run_msgfmt_check(msgfmt, project / "ko.po").returncode == 0
    edited = next(e for e in exported if e.msgid.startswith(EDITED))
    assert "fuzzy" in edited.flags and edited.previous_msgid.startswith("Each laboratory") and edited.msgstr
    raw = (project / "ko.po").read_text(encoding="utf-8")
    assert '#| msgid ""\n#| "Each laboratory sets' in raw
    ko_finished = polib.pofile(str(project / FERRITIN_KO)).find("Key Takeaway").msgstr
    for msgid, other in [("Key Takeaway", "fuzzy in neutropenia-during-chemotherapy"),
                         ("Bottom Line", "untranslated in vitamin-d-bone-health")]:
        entry = exported.find(msgid)
        assert "fuzzy" in entry.flags, "not finished in every article: the vendor confirms it"
        assert entry.previous_msgid is None, "the offered translation is of this text, not of an older one"
        assert "finished in ferritin-levels" in entry.comment and other in entry.comment
    assert exported.find("Key Takeaway").msgstr == ko_finished, "the finished translation is offered"
    assert "fuzzy" not in exported.find("Sources").flags, "finished everywhere"
    _ok(run_cli(project, "export", "ja", "--untranslated", "-o", "ja.po"))
    sources = polib.pofile(str(project / "ja.po")).find("Sources")
    assert sources.msgstr == "参考文献" and "fuzzy" in sources.flags, "a fuzzy translation is not dropped"


@pytest.mark.parametrize("lang, args", [("ko", []), ("ja", ["--untranslated"]),
                                        ("ko", ["--article", "vitamin-d-bone-health"])])
def test_importing_an_untouched_export_changes_no_file(project, lang, args):
    _mixed_states(project)
    _ok(run_cli(project, "export", lang, *args, "-o", "delivery.po"))
    before = _catalogs(project)
    result = _ok(run_cli(project, "import", lang, "delivery.po"))
    assert "0 translation(s) imported into 0 catalog(s)" in result.output
    assert "0 leftover(s)" in result.output and not (project / "delivery.leftovers.po").exists()
    assert _catalogs(project) == before


def test_a_fuzzy_delivery_never_replaces_a_finished_translation(project):
    _mixed_states(project)
    _ok(run_cli(project, "export", "ko", "-o", "delivery.po"))
    ferritin, neutropenia = project / FERRITIN_KO, project / "locales/ko/neutropenia-during-chemotherapy.po"
    finished = polib.pofile(str(ferritin)).find("Key Takeaway").msgstr

    def vendor_proposes(po):
        po.find("Key Takeaway").msgstr = "핵심 정리"           # still fuzzy: not confirmed

    _edit(project / "delivery.po", vendor_proposes)
    result = _ok(run_cli(project, "import", "ko", "delivery.po", "--overwrite"))
    assert "conflict, kept (the delivery is fuzzy)" in result.output and "0 overwritten" in result.output
    assert polib.pofile(str(ferritin)).find("Key Takeaway").msgstr == finished
    fuzzy = polib.pofile(str(neutropenia)).find("Key Takeaway")
    assert fuzzy.msgstr == "핵심 정리" and "fuzzy" in fuzzy.flags, "a fuzzy entry takes the new proposal, fuzzy"

    def vendor_confirms(po):
        entry = po.find("Key Takeaway")
        entry.msgstr = finished
        entry.flags.remove("fuzzy")

    _edit(project / "delivery.po", vendor_confirms)
    _ok(run_cli(project, "import", "ko", "delivery.po"))
    confirmed = polib.pofile(str(neutropenia)).find("Key Takeaway")
    assert confirmed.msgstr == finished and "fuzzy" not in confirmed.flags and confirmed.previous_msgid is None
    assert polib.pofile(str(ferritin)).find("Key Takeaway").msgstr == finished
