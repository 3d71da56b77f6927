"""The merge as msgmerge --previous does it, compared with GNU msgmerge on the same inputs, and safer:
a reverted source gets its translation back finished, and a carried-over translation whose numbers or
negations changed says so until it is re-translated."""

from __future__ import annotations

import subprocess
from pathlib import Path

import polib
import pytest

from pipeline.core.locales import parse_locale
from pipeline.core.model import Role, Unit
from pipeline.memory.store import MemoryEntry, MemoryIndex, TranslationMemory, catalog_entries
from pipeline.po.catalog import build_template, merge_catalog
from pipeline.po.files import format_po
from pipeline.text.changes import safety_note

from .helpers import copy_project, run_cli

KO = parse_locale("ko")
BEFORE = "Most adults need about 8 mg of iron a day."
AFTER = "Most adult men need about 8 mg of iron a day."
KO_BEFORE = "대부분의 성인은 하루 약 8 mg의 철분이 필요합니다."
HEADING = "Unrelated heading"


def _pot(*units: Unit) -> polib.POFile:
    return build_template(list(units), reference="source_articles/a.html", project="P", bugs_address="",
                          creation_date="2026-01-01 00:00+0000")


def _paras(*msgids: str) -> polib.POFile:
    return _pot(*[Unit(m, Role.PARAGRAPH, i + 1) for i, m in enumerate(msgids)])


def _catalog(pot: polib.POFile, translations: dict[str, object]) -> polib.POFile:
    po = merge_catalog(None, pot, KO, revision_date="2026-01-01 00:00+0000")
    for entry in po:
        value = translations.get(entry.msgid, "")
        if entry.msgid_plural:
            entry.msgstr_plural = {0: str(value)}
        else:
            entry.msgstr = str(value)
    return po


def _facts(po: polib.POFile) -> list[tuple[object, ...]]:
    """What a translator sees of each entry, in the terms both tools share."""
    return sorted((e.obsolete, e.msgid, e.msgid_plural or None, e.msgstr or None,
                   tuple(sorted(e.msgstr_plural.items())) or None, "fuzzy" in e.flags, e.previous_msgid,
                   e.previous_msgid_plural) for e in po if e.msgid)


def _gnu_merge(msgmerge: str, tmp: Path, old: polib.POFile, pot: polib.POFile) -> polib.POFile:
    (tmp / "old.po").write_text(format_po(old), encoding="utf-8")
    (tmp / "new.pot").write_text(format_po(pot), encoding="utf-8")
    subprocess.run([msgmerge, "--previous", "--quiet", "-o",
                    str(tmp / "gnu.po"), str(tmp / "old.po"), str(tmp / "new.pot")], check=True)
    return polib.pofile(str(tmp / "gnu.po"))


def test_a_changed_unit_is_fuzzy_once_as_gnu_msgmerge_makes_it(msgmerge, tmp_path):
    old = _catalog(_paras(BEFORE, HEADING), {BEFORE: KO_BEFORE, HEADING: "관련 없는 제목"})
    pot = _paras(AFTER, HEADING)
    ours = merge_catalog(old, pot, KO, revision_date="x")
    assert _facts(ours) == _facts(_gnu_merge(msgmerge, tmp_path, old, pot))
    assert ours.obsolete_entries() == []            # not also kept as #~: the translation is there once
    entry = ours.find(AFTER)
    assert entry.msgstr == KO_BEFORE and "fuzzy" in entry.flags and entry.previous_msgid == BEFORE


def test_a_changed_english_plural_makes_the_entry_fuzzy_as_gnu_msgmerge_does(msgmerge, tmp_path):
    before = Unit("{count} min read", Role.PARAGRAPH, 1, plural="{count} mins read")
    after = Unit("{count} min read", Role.PARAGRAPH, 1, plural="{count} minutes read")
    old = _catalog(_pot(before), {"{count} min read": "{count}분 읽기"})
    pot = _pot(after)
    ours = merge_catalog(old, pot, KO, revision_date="x")
    assert _facts(ours) == _facts(_gnu_merge(msgmerge, tmp_path, old, pot))
    entry = ours.find("{count} min read")
    assert "fuzzy" in entry.flags and entry.previous_msgid_plural == "{count} mins read"
    assert entry.msgstr_plural == {0: "{count}분 읽기"}


def test_an_unchanged_plural_stays_finished():
    unit = Unit("{count} min read", Role.PARAGRAPH, 1, plural="{count} mins read")
    old = _catalog(_pot(unit), {"{count} min read": "{count}분 읽기"})
    entry = merge_catalog(old, _pot(unit), KO, revision_date="x").find("{count} min read")
    assert "fuzzy" not in entry.flags and entry.previous_msgid is None


def test_reverting_the_source_gives_back_exactly_the_original_entry_finished():
    original = _catalog(_paras(BEFORE, HEADING), {BEFORE: KO_BEFORE, HEADING: "관련 없는 제목"})
    original.find(BEFORE).tcomment = "checked by Dr. Kim"
    changed = merge_catalog(original, _paras(AFTER, HEADING), KO, revision_date="x")
    back = merge_catalog(changed, _paras(BEFORE, HEADING), KO, revision_date="x")
    assert _facts(back) == _facts(original)
    assert back.find(BEFORE).tcomment == "checked by Dr. Kim"
    assert "#~" not in format_po(back)


def test_a_catalog_written_by_the_old_merge_loses_its_duplicate_on_revert():
    """Earlier versions kept the changed unit's old entry as #~ too; a revert must not leave `#~|` behind."""
    original = _catalog(_paras(BEFORE), {BEFORE: KO_BEFORE})
    changed = merge_catalog(original, _paras(AFTER), KO, revision_date="x")
    ghost = polib.POEntry(msgid=BEFORE, msgstr=KO_BEFORE, obsolete=True)
    changed.append(ghost)
    back = merge_catalog(changed, _paras(BEFORE), KO, revision_date="x")
    text = format_po(back)
    assert "#~" not in text and back.find(BEFORE).msgstr == KO_BEFORE and "fuzzy" not in back.find(BEFORE).flags


def test_a_fuzzy_translation_that_the_translator_changed_is_kept_as_obsolete_when_its_unit_goes():
    original = _catalog(_paras(BEFORE, HEADING), {BEFORE: KO_BEFORE})
    changed = merge_catalog(original, _paras(AFTER, HEADING), KO, revision_date="x")
    changed.find(AFTER).msgstr = "성인 남성은 하루 약 8 mg의 철분이 필요합니다."     # work in progress, still fuzzy
    later = merge_catalog(changed, _paras("Something else entirely about vitamin D.", HEADING), KO,
                          revision_date="x")
    assert [e.msgstr for e in later.obsolete_entries()] == ["성인 남성은 하루 약 8 mg의 철분이 필요합니다."]


@pytest.mark.parametrize(("old", "new", "note"), [
    ("Adults need 10 mg a day.", "Adults need 15 mg a day.", "10 mg -> 15 mg"),
    ("Take it with food.", "Do not take it with food.", '"do not" added'),
    ("Never give aspirin to a child.", "Give aspirin to a child.", '"never" removed'),
    ("A fever above 38°C lasting 2-3 days.", "A fever above 39°C lasting 2-3 days.", "38°C -> 39°C"),
])
def test_a_carried_translation_whose_numbers_or_negations_changed_says_so(old, new, note):
    before = _catalog(_paras(old), {old: "번역 " + old})
    entry = merge_catalog(before, _paras(new), KO, revision_date="x").find(new)
    assert "fuzzy" in entry.flags
    assert f"safety: {note} changed; re-translate, do not just clear fuzzy" in entry.comment.split("\n")


def test_a_wording_change_gets_no_safety_line():
    before = _catalog(_paras(BEFORE), {BEFORE: KO_BEFORE})
    entry = merge_catalog(before, _paras(AFTER), KO, revision_date="x").find(AFTER)
    assert "fuzzy" in entry.flags and "safety:" not in entry.comment
    assert safety_note(BEFORE, AFTER) is None


def test_a_memory_match_with_other_numbers_is_fuzzy_with_a_safety_line_however_similar():
    other = _catalog(_paras("Adults need 8 mg of iron a day."), {"Adults need 8 mg of iron a day.": "성인은 하루 8 mg의 철분이 필요합니다."})
    memory = TranslationMemory()
    for item in catalog_entries(other, "other-article"):
        memory.add(item)
    new = merge_catalog(None, _paras("Adults need 18 mg of iron a day."), KO, revision_date="x", memory=memory)
    entry = new.find("Adults need 18 mg of iron a day.")
    assert entry.msgstr and "fuzzy" in entry.flags
    assert "safety: 8 mg -> 18 mg changed; re-translate, do not just clear fuzzy" in entry.comment


@pytest.fixture(params=["dictionaries", "sqlite"])
def memory_of(request):
    """A function making a memory of (msgid, msgstr) pairs from another article, of either kind."""
    made: list[MemoryIndex] = []

    def make(*pairs: tuple[str, str]):
        entries = [MemoryEntry(None, msgid, msgstr, origin="other-article") for msgid, msgstr in pairs]
        if request.param == "dictionaries":
            memory = TranslationMemory()
            for entry in entries:
                memory.add(entry)
            return memory
        made.append(MemoryIndex.temporary())
        made[-1].replace("ko", "other-article", "h", entries)
        return made[-1].lookup("ko")

    yield make
    for index in made:
        index.close()


@pytest.mark.parametrize(("remembered", "memory_wins"), [
    ("Most adult women need about 8 mg of iron a day.", True),   # 97.8% against the catalog's own 94.3%
    ("Most adults need about 8 mg iron a day.", False),          # 90.5%: the catalog's own text is closer
    (BEFORE, False),                                             # as close: a tie goes to the catalog
])
def test_a_changed_unit_takes_the_closer_of_its_own_old_text_and_the_memorys(memory_of, remembered, memory_wins):
    old = _catalog(_paras(BEFORE, HEADING), {BEFORE: KO_BEFORE, HEADING: "관계없는 제목"})
    memory = memory_of((remembered, "기억된 번역"))
    new = merge_catalog(old, _paras(AFTER, HEADING), KO, revision_date="x", memory=memory)
    entry = new.find(AFTER)
    assert "fuzzy" in entry.flags
    if memory_wins:
        assert (entry.msgstr, entry.previous_msgid) == ("기억된 번역", remembered)
        assert "similar text in other-article (98%)" in entry.comment
    else:
        assert (entry.msgstr, entry.previous_msgid) == (KO_BEFORE, BEFORE)
        assert "translation memory" not in entry.comment


def test_a_cleared_fuzzy_flag_keeps_the_safety_line_until_the_numbers_match():
    old_en, new_en = "Adults need 10 mg a day.", "Adults need 15 mg a day."
    po = merge_catalog(_catalog(_paras(old_en), {old_en: "성인은 하루 10 mg이 필요합니다."}), _paras(new_en), KO,
                       revision_date="x")
    entry = po.find(new_en)
    entry.flags.remove("fuzzy")                                 # cleared by hand, still 10 mg
    entry.previous_msgid = None
    again = merge_catalog(po, _paras(new_en), KO, revision_date="x").find(new_en)
    assert any(line.startswith("safety: 10 mg -> 15 mg") for line in again.comment.split("\n"))
    again.msgstr = "성인은 하루 15 mg이 필요합니다."                  # re-translated
    holder = polib.POFile()
    holder.metadata = po.metadata
    holder.append(again)
    fixed = merge_catalog(holder, _paras(new_en), KO, revision_date="x").find(new_en)
    assert "safety:" not in fixed.comment


# -- end to end: what a content lead and CI see --------------------------------------------------------


def test_a_changed_dose_with_fuzzy_cleared_by_hand_fails_check_and_falls_back(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    project = copy_project(tmp_path)
    source = project / "source_articles" / "ferritin-levels.html"
    html = source.read_text(encoding="utf-8")
    assert html.count("about 18 mg") == 1
    source.write_text(html.replace("about 18 mg", "about 25 mg"), encoding="utf-8")
    result = run_cli(project, "sync")
    assert result.exit_code == 0, result.output
    catalog = project / "locales" / "ko" / "ferritin-levels.po"
    po = polib.pofile(str(catalog))
    entry = next(e for e in po if "about 25 mg" in e.msgid)
    assert "fuzzy" in entry.flags and "약 18 mg" in entry.msgstr
    assert "safety: 18 mg -> 25 mg changed; re-translate, do not just clear fuzzy" in entry.comment.split("\n")
    entry.flags.remove("fuzzy")                 # the translator clears fuzzy without re-translating
    po.save(str(catalog))
    result = run_cli(project, "check", "-l", "ko")
    assert result.exit_code == 1
    assert "error[safety-changed]" in result.output and "(18 mg -> 25 mg)" in result.output
    result = run_cli(project, "sync", "-v")
    assert "fallback to en" in result.output
    published = (project / "output" / "ko" / "ferritin-levels.html").read_text("utf-8")
    assert "약 18 mg" not in published and "about 25 mg" in published
    # re-translated: the check passes, and the next sync drops the line
    po = polib.pofile(str(catalog))
    entry = next(e for e in po if "about 25 mg" in e.msgid)
    entry.msgstr = entry.msgstr.replace("약 18 mg", "약 25 mg")
    po.save(str(catalog))
    assert "safety-changed" not in run_cli(project, "check", "-l", "ko").output
    run_cli(project, "sync")
    assert "safety:" not in next(e for e in polib.pofile(str(catalog)) if "about 25 mg" in e.msgid).comment
    assert "약 25 mg" in (project / "output" / "ko" / "ferritin-levels.html").read_text("utf-8")
