"""Translators' workflow: translation memory, vendor hand-off and import, TMX."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from .helpers import copy_project, run_cli, snapshot

FERRITIN = "source_articles/ferritin-levels.html"


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    return copy_project(tmp_path)


def _ok(result):
    assert result.exit_code == 0, result.output
    return result


NEW_ARTICLE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Iron Basics | Health Library</title></head>
<body>
<article>
<h1>Iron Basics</h1>
<p>Your body needs iron to make hemoglobin, which carries oxygen in red blood cells. Iron not needed right away is stored inside ferritin, mostly in the liver and bone marrow.</p>
<p>Your body needs iron to make hemoglobin, which carries oxygen in red blood cells. Iron not needed right now is stored inside ferritin, mostly in the liver and bone marrow.</p>
<aside class="disclaimer">
<p><strong>Important Notice:</strong> This information is provided for general education only and is not a substitute for professional medical advice, diagnosis, or treatment. Always ask a qualified healthcare provider about any medical question or decision.</p>
</aside>
</article>
</body>
</html>
"""
KNOWN = ("Your body needs iron to make hemoglobin, which carries oxygen in red blood cells. Iron not needed "
         "right away is stored inside ferritin, mostly in the liver and bone marrow.")


def test_a_new_article_reuses_the_disclaimer_and_a_known_paragraph_with_their_origin(project):
    (project / "source_articles" / "iron-basics.html").write_text(NEW_ARTICLE, encoding="utf-8")
    _ok(run_cli(project, "update", "-l", "ko"))
    ferritin = polib.pofile(str(project / "locales/ko/ferritin-levels.po"))
    po = polib.pofile(str(project / "locales/ko/iron-basics.po"))
    disclaimer = next(e for e in po if e.msgid.startswith("<b>Important Notice:</b>"))
    assert disclaimer.msgstr.startswith("<b>중요 안내:</b>") and "fuzzy" not in disclaimer.flags
    assert "translation memory: from" in disclaimer.comment
    known = po.find(KNOWN)
    assert known.msgstr == ferritin.find(KNOWN).msgstr and "fuzzy" not in known.flags
    assert "translation memory: from ferritin-levels" in known.comment
    changed = po.find(KNOWN.replace("right away", "right now"))
    assert "fuzzy" in changed.flags and changed.previous_msgid == KNOWN
    assert changed.msgstr == ferritin.find(KNOWN).msgstr
    assert "similar text in ferritin-levels" in changed.comment
    # and the next sync leaves all of that alone
    before = snapshot(project)
    _ok(run_cli(project, "sync"))
    _ok(run_cli(project, "sync"))
    after = snapshot(project)
    assert after["locales/ko/iron-basics.po"] == before["locales/ko/iron-basics.po"]


def test_a_translator_tool_resaving_a_catalog_causes_no_churn(project):
    path = project / "locales/ko/ferritin-levels.po"
    po = polib.pofile(str(path), wrapwidth=0)
    po.metadata["X-Generator"] = "Poedit 3.4.2"
    po.metadata["Last-Translator"] = "Kim Minji <minji@example.org>"
    po.save()  # polib's own wrapping: unwrapped long lines, its own header order
    saved = path.read_bytes()
    _ok(run_cli(project, "sync"))
    assert path.read_bytes() == saved


def _fill(path: Path, translate) -> None:
    po = polib.pofile(str(path))
    for entry in po:
        entry.msgstr = translate(entry)
    po.save()


def test_export_edit_import_round_trip_lands_every_translation(project, tmp_path):
    delivery = tmp_path / "vendor-ja.po"
    result = _ok(run_cli(project, "export", "ja", "--untranslated", "-o", str(delivery)))
    assert "untranslated" in result.output
    exported = polib.pofile(str(delivery))
    catalogs = {p.stem: polib.pofile(str(p)) for p in (project / "locales/ja").glob("*.po")}
    pending = {(e.msgctxt, e.msgid) for po in catalogs.values() for e in po if not e.obsolete and not e.translated()}
    assert {(e.msgctxt, e.msgid) for e in exported} == pending
    shared = [e for e in exported if len({path for path, _ in e.occurrences}) > 1]
    assert shared, "text repeated across articles is one entry with every reference"
    _fill(delivery, lambda e: "訳：" + e.msgid)
    before_total = sum(len(po) for po in catalogs.values())
    _ok(run_cli(project, "import", "ja", str(delivery)))
    after = {p.stem: polib.pofile(str(p)) for p in (project / "locales/ja").glob("*.po")}
    assert sum(len(po) for po in after.values()) == before_total, "no entry gained or lost"
    for slug, po in after.items():
        for entry in po:
            if entry.obsolete:
                continue
            assert entry.translated(), (slug, entry.msgid)
            old = catalogs[slug].find(entry.msgid, msgctxt=entry.msgctxt)
            if old.translated():
                assert entry.msgstr == old.msgstr, "existing translations are untouched"
            else:
                assert entry.msgstr == "訳：" + entry.msgid


def test_a_conflicting_delivery_keeps_the_existing_translation_and_reports_it(project, tmp_path):
    delivery = tmp_path / "ko.po"
    _ok(run_cli(project, "export", "ko", "--article", "ferritin-levels", "-o", str(delivery)))
    po = polib.pofile(str(delivery))
    target = po.find("Key Takeaway")
    target.msgstr = "주요 내용"
    extra = polib.POEntry(msgid="A sentence no article has", msgstr="어느 글에도 없는 문장")
    po.append(extra)
    po.save()
    catalog = project / "locales/ko/ferritin-levels.po"
    before = catalog.read_bytes()
    dry = _ok(run_cli(project, "import", "ko", str(delivery), "--dry-run"))
    assert catalog.read_bytes() == before and not (tmp_path / "ko.leftovers.po").exists()
    result = _ok(run_cli(project, "import", "ko", str(delivery)))
    assert "dry run: 0 translation(s) imported" in dry.output and "3 conflict(s) kept" in dry.output
    assert "conflict, kept" in result.output and "existing:  핵심 요약" in result.output
    assert "delivered: 주요 내용" in result.output
    assert catalog.read_bytes() == before
    leftovers = polib.pofile(str(tmp_path / "ko.leftovers.po"))
    assert [e.msgid for e in leftovers] == ["A sentence no article has"]
    _ok(run_cli(project, "import", "ko", str(delivery), "--overwrite"))
    assert polib.pofile(str(catalog)).find("Key Takeaway").msgstr == "주요 내용"


@pytest.mark.parametrize("header, phrase", [
    ("Language: ja\\n", "is for language 'ja', not 'ko'"),
    ("Language: ko_KR\\nPlural-Forms: nplurals=2; plural=(n != 1);\\n", "2 plural forms"),
])
def test_a_delivery_for_another_language_or_plural_count_is_refused(project, tmp_path, header, phrase):
    delivery = tmp_path / "bad.po"
    delivery.write_text(f'msgid ""\nmsgstr "{header}"\n\nmsgid "Key Takeaway"\nmsgstr "x"\n', encoding="utf-8")
    before = snapshot(project)
    result = run_cli(project, "import", "ko", str(delivery))
    assert result.exit_code == 2 and phrase in result.output
    assert snapshot(project) == before


def test_a_delivery_that_does_not_parse_is_refused_with_its_line(project, tmp_path):
    delivery = tmp_path / "broken.po"
    delivery.write_text('msgid ""\nmsgstr ""\n\nmsgid "Key Takeaway\nmsgstr "x"\n', encoding="utf-8")
    before = snapshot(project)
    result = run_cli(project, "import", "ko", str(delivery))
    assert result.exit_code == 2 and "broken.po:4" in result.output
    assert snapshot(project) == before


def test_tmx_export_is_read_back_by_translate_toolkit(project, tmp_path):
    tmx = pytest.importorskip("translate.storage.tmx")
    out = tmp_path / "ko.tmx"
    _ok(run_cli(project, "tm", "export", "ko", "-o", str(out)))
    store = tmx.tmxfile.parsefile(str(out))
    pairs = {(u.source, u.target) for u in store.units}
    ferritin = polib.pofile(str(project / "locales/ko/ferritin-levels.po"))
    key = ferritin.find("Key Takeaway")
    assert ("Key Takeaway", key.msgstr) in pairs
    assert len(pairs) >= 120


def test_tm_import_of_a_tmx_fills_a_new_article(project, tmp_path):
    tmx = tmp_path / "agency.tmx"
    tmx.write_text("""<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="en" datatype="plaintext" segtype="block" adminlang="en"
 creationtool="agency" creationtoolversion="1" o-tmf="x"/><body>
<tu><tuv xml:lang="en"><seg>Iron Basics</seg></tuv><tuv xml:lang="ko-KR"><seg>철분 기초</seg></tuv></tu>
</body></tmx>""", encoding="utf-8")
    _ok(run_cli(project, "tm", "import", "ko", str(tmx)))
    assert (project / "locales/_memory/ko.po").exists()
    (project / "source_articles" / "iron-basics.html").write_text(NEW_ARTICLE, encoding="utf-8")
    _ok(run_cli(project, "update", "-l", "ko"))
    po = polib.pofile(str(project / "locales/ko/iron-basics.po"))
    assert po.find("Iron Basics").msgstr == "철분 기초"
    assert "translation memory: from imported memory" in po.find("Iron Basics").comment


def test_status_todo_lists_what_is_left_with_file_and_line(project):
    result = _ok(run_cli(project, "status", "--todo", "ja"))
    assert "locales/ja/neutropenia-during-chemotherapy.po:" in result.output
    assert "untranslated" in result.output and "words left to translate" in result.output
    ko = _ok(run_cli(project, "status", "--todo", "ko"))
    assert "ko: 0 entries, 0 words left" in ko.output
