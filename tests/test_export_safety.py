"""`l10n export` and `l10n tm export` never write over the project, and a vendor round trip loses nothing."""

from __future__ import annotations

import os
import re
from pathlib import Path

import polib
import pytest

from pipeline.po.files import format_po

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


# 1. paths of the project are refused -------------------------------------------------------------------

@pytest.mark.parametrize("target, folder", [
    (FERRITIN_KO, "locales folder"),
    ("locales/ko/a-new-batch.po", "locales folder"),
    ("locales/templates/ferritin-levels.pot", "locales folder"),
    ("locales/_memory/ko.po", "locales folder"),
    ("locales/ja/../ko/./ferritin-levels.po", "locales folder"),
    ("source_articles/batch.po", "source articles folder"),
    ("output/ko/batch.po", "output folder"),
    ("l10n.yaml", "configuration file"),
])
@pytest.mark.parametrize("command", [["export", "ko", "--untranslated"], ["tm", "export", "ko"]])
def test_an_export_into_the_projects_own_files_is_refused_even_with_force(project, target, folder, command):
    before = snapshot(project)
    result = run_cli(project, *command, "-o", target, "--force")
    _refused(result, folder, "nothing was written", "write it outside source_articles/, locales/, output/")
    assert os.path.normpath(target) in result.output or target in result.output
    assert snapshot(project) == before
    assert len((project / FERRITIN_KO).read_text(encoding="utf-8").splitlines()) > 400


def test_links_and_absolute_paths_into_the_locales_folder_are_refused(project, tmp_path):
    (project / "batch.po").symlink_to(project / FERRITIN_KO)
    (tmp_path / "elsewhere").symlink_to(project / "locales")
    before = snapshot(project)
    for target in ["batch.po", str(tmp_path / "elsewhere" / "ko" / "batch.po"), str(project / FERRITIN_KO)]:
        _refused(run_cli(project, "export", "ko", "-o", target, "--force"), "locales folder")
    assert snapshot(project) == before
    assert os.readlink(project / "batch.po") == str(project / FERRITIN_KO)


# 2. existing files, missing folders, standard output ---------------------------------------------------

def test_an_existing_file_is_kept_unless_force_and_then_replaced_atomically(project, msgfmt):
    target = project / "ko-batch.po"
    target.write_text("a file someone keeps\n", encoding="utf-8")
    target.chmod(0o640)
    _refused(run_cli(project, "export", "ko", "-o", "ko-batch.po"), "ko-batch.po: already exists",
             "--force to replace it")
    assert target.read_text(encoding="utf-8") == "a file someone keeps\n"
    inode = target.stat().st_ino
    _ok(run_cli(project, "export", "ko", "-o", "ko-batch.po", "--force"))
    assert target.stat().st_ino != inode, "replaced by a rename, not rewritten in place"
    assert target.stat().st_mode & 0o777 == 0o640
    assert len(polib.pofile(str(target))) > 100
    assert run_msgfmt_check(msgfmt, target).returncode == 0
    assert not [p for p in project.iterdir() if p.name.endswith(".tmp")]


def test_a_new_file_is_created_and_a_missing_folder_is_an_error(project, tmp_path):
    _refused(run_cli(project, "export", "ko", "-o", "batches/ko.po"), "batches/ko.po",
             "the folder batches/ does not exist", "create the folder first")
    assert not (project / "batches").exists()
    outside = tmp_path / "vendor" / "ko.po"
    _refused(run_cli(project, "tm", "export", "ko", "-o", str(outside)), "does not exist")
    assert not outside.parent.exists()
    outside.parent.mkdir()
    _ok(run_cli(project, "export", "ko", "-o", str(outside)))
    assert polib.pofile(str(outside)).metadata["Language"] == "ko"
    assert sorted(p.name for p in outside.parent.iterdir()) == ["ko.po"], "no temporary file is left"


def test_dash_writes_the_po_to_standard_output_and_the_summary_to_stderr(project):
    result = _ok(run_cli(project, "export", "ja", "--untranslated", "-o", "-"))
    assert not (project / "-").exists()
    assert SUMMARY.search(result.stderr) and SUMMARY.search(result.stderr)["file"] == "standard output"
    assert "wrote" not in result.stdout
    _ok(run_cli(project, "export", "ja", "--untranslated", "-o", "ja.po"))
    assert result.stdout_bytes == (project / "ja.po").read_bytes()
    assert all(not e.translated() for e in polib.pofile(result.stdout))


# 3. tm export -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["ko.txt", "ko", "ko.po.bak", "-"])
def test_tm_export_accepts_only_po_and_tmx(project, name):
    _refused(run_cli(project, "tm", "export", "ko", "-o", name), name, ".po or .tmx", "FILE.po or FILE.tmx")
    assert not (project / name).exists()


def test_tm_export_keeps_an_existing_file_unless_force(project):
    for name in ("ko.tmx", "ko-memory.PO"):
        target = project / name
        target.write_text("kept\n", encoding="utf-8")
        _refused(run_cli(project, "tm", "export", "ko", "-o", name), f"{name}: already exists", "--force")
        assert target.read_text(encoding="utf-8") == "kept\n"
        result = _ok(run_cli(project, "tm", "export", "ko", "-o", name, "--force"))
        assert f"wrote {name}: " in result.output and "translations" in result.output
        assert target.read_text(encoding="utf-8") != "kept\n"
    assert b"<tmx" in (project / "ko.tmx").read_bytes()
    assert len(polib.pofile(str(project / "ko-memory.PO"))) > 100


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


# 5. the summary adds up -------------------------------------------------------------------------------

@pytest.mark.parametrize("lang, args", [("ko", []), ("ja", []), ("ja", ["--untranslated"]),
                                        ("ko", ["--untranslated", "--article", "ferritin-levels"])])
def test_the_export_summary_adds_up_and_agrees_with_the_file(project, lang, args):
    _mixed_states(project)
    result = _ok(run_cli(project, "export", lang, *args, "-o", "out.po"))
    found = SUMMARY.search(result.output)
    assert found, result.output
    n, t, f, u = (int(found[k]) for k in "ntfu")
    assert t + f + u == n
    po = polib.pofile(str(project / "out.po"))
    assert n == len(po)
    assert f == sum("fuzzy" in e.flags for e in po) and u == len(po.untranslated_entries())
    assert (n == 1) == ("1 entry (" in result.output) and (int(found["w"]) == 1) == (" 1 word " in result.output)


def test_one_pending_entry_is_counted_in_the_singular(project):
    def fuzzy_one(po):
        po.find("Key Takeaway").flags.append("fuzzy")

    _edit(project / FERRITIN_KO, fuzzy_one)
    result = _ok(run_cli(project, "export", "ko", "--untranslated", "--article", "ferritin-levels",
                         "-o", "one.po"))
    assert "wrote one.po: 1 entry (0 translated, 1 fuzzy, 0 untranslated; 2 words to translate)" in result.output


# atomic creation ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("hard_links", [True, False])
def test_creating_an_export_never_replaces_a_file_that_appeared_meanwhile(tmp_path, monkeypatch, hard_links):
    from pipeline.core import files as fsutil

    if not hard_links:   # a file system without hard links (some network and FAT mounts)
        monkeypatch.setattr(fsutil.os, "link", lambda *a: (_ for _ in ()).throw(PermissionError(1, "no links")))
    target = tmp_path / "ko.po"
    fsutil.create_atomic(target, b"new\n")
    assert target.read_bytes() == b"new\n"
    with pytest.raises(FileExistsError):
        fsutil.create_atomic(target, b"other\n")
    (tmp_path / "dangling.po").symlink_to(tmp_path / "nowhere.po")
    with pytest.raises(FileExistsError):
        fsutil.create_atomic(tmp_path / "dangling.po", b"other\n")
    assert target.read_bytes() == b"new\n" and not (tmp_path / "nowhere.po").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dangling.po", "ko.po"], "no temporary file is left"
