"""Template building and msgmerge semantics: keep, fuzzy with the previous msgid, obsolete."""

from __future__ import annotations

import polib

from pipeline.core.locales import parse_locale
from pipeline.core.model import Role, Unit
from pipeline.po.catalog import build_template, catalog_stats, merge_catalog, now_stamp

KO = parse_locale("ko")


def _pot(*msgids: str) -> polib.POFile:
    units = [Unit(m, Role.PARAGRAPH, i + 1) for i, m in enumerate(msgids)]
    return build_template(units, reference="source_articles/a.html", project="P", bugs_address="",
                          creation_date="2026-01-01 00:00+0000")


def _translated(pot: polib.POFile, translations: dict[str, str], **extra: str) -> polib.POFile:
    po = merge_catalog(None, pot, KO, revision_date="2026-01-01 00:00+0000")
    for entry in po:
        entry.msgstr = translations.get(entry.msgid, "")
        if entry.msgid in extra:
            entry.tcomment = extra[entry.msgid]
    return po


def test_identical_text_in_one_article_is_one_entry_with_merged_comments():
    units = [Unit("Sources", Role.HEADING, 3), Unit("Sources", Role.PARAGRAPH, 9), Unit("Other", Role.BLOCK, 4)]
    pot = build_template(units, reference="a.html", project="P", bugs_address="", creation_date="d",
                         reference_lines=True)
    assert [e.msgid for e in pot] == ["Sources", "Other"]
    assert pot[0].occurrences == [("a.html", "3"), ("a.html", "9")]
    assert pot[0].comment.split("\n") == ["heading", "paragraph"]


def test_references_name_the_file_alone_by_default():
    pot = _pot("One")
    assert pot[0].occurrences == [("source_articles/a.html", "")]


def test_unchanged_text_keeps_translation_and_translator_comment():
    old = _translated(_pot("Iron is stored in ferritin."), {"Iron is stored in ferritin.": "철은 페리틴에 저장됩니다."},
                      **{"Iron is stored in ferritin.": "checked by Dr. Kim"})
    new = merge_catalog(old, _pot("Iron is stored in ferritin."), KO, revision_date="x")
    entry = new.find("Iron is stored in ferritin.")
    assert entry.msgstr == "철은 페리틴에 저장됩니다." and entry.tcomment == "checked by Dr. Kim"
    assert "fuzzy" not in entry.flags and not new.obsolete_entries()


def test_changed_text_gets_old_translation_as_fuzzy_with_previous_msgid_and_is_not_kept_twice():
    before = "Most adults need about 8 mg of iron a day."
    after = "Most adult men need about 8 mg of iron a day."
    old = _translated(_pot(before, "Unrelated heading"), {before: "대부분의 성인은 하루 약 8 mg의 철분이 필요합니다."})
    new = merge_catalog(old, _pot(after, "Unrelated heading"), KO, revision_date="x")
    entry = new.find(after)
    assert entry.msgstr == "대부분의 성인은 하루 약 8 mg의 철분이 필요합니다."
    assert "fuzzy" in entry.flags and entry.previous_msgid == before
    # msgmerge --previous: the fuzzy entry carries the translation; no #~ copy of it
    assert new.obsolete_entries() == []
    assert "#| msgid \"Most adults need" in str(new)


def test_removed_translated_unit_becomes_obsolete_and_comes_back_when_the_text_returns():
    old = _translated(_pot("Keep me", "Drop me"), {"Drop me": "저를 빼세요"})
    gone = merge_catalog(old, _pot("Keep me"), KO, revision_date="x")
    assert [(e.msgid, e.msgstr) for e in gone.obsolete_entries()] == [("Drop me", "저를 빼세요")]
    back = merge_catalog(gone, _pot("Keep me", "Drop me"), KO, revision_date="x")
    assert back.find("Drop me").msgstr == "저를 빼세요" and not back.obsolete_entries()


def test_untranslated_removed_units_leave_no_trace_and_dissimilar_text_is_not_matched():
    old = _translated(_pot("Alpha beta gamma", "Delta"), {"Alpha beta gamma": "알파"})
    new = merge_catalog(old, _pot("Completely different sentence about vitamin D"), KO, revision_date="x")
    entry = new.find("Completely different sentence about vitamin D")
    assert entry.msgstr == "" and "fuzzy" not in entry.flags
    assert [e.msgid for e in new.obsolete_entries()] == ["Alpha beta gamma"]


def test_existing_header_fields_translators_set_are_kept_and_new_catalog_gets_babel_plural_forms():
    new = merge_catalog(None, _pot("A"), parse_locale("ar"), revision_date="2026-01-01 00:00+0000")
    assert new.metadata["Plural-Forms"].startswith("nplurals=6;")
    assert new.metadata["Language"] == "ar"
    new.metadata.update({"Last-Translator": "Kim <kim@example.org>", "X-Generator": "Poedit 3.4",
                         "Plural-Forms": "nplurals=1; plural=0;"})
    again = merge_catalog(new, _pot("A", "B"), parse_locale("ar"), revision_date="2027-01-01 00:00+0000")
    for field in ("Last-Translator", "X-Generator", "Plural-Forms", "PO-Revision-Date"):
        assert again.metadata[field] == new.metadata[field]


def test_stats_count_as_msgfmt_does():
    po = _translated(_pot("One two", "Three", "Four five six"), {"One two": "하나 둘", "Three": "셋"})
    po.find("Three").flags.append("fuzzy")
    stats = catalog_stats(po)
    assert (stats.translated, stats.fuzzy, stats.untranslated) == (1, 1, 1)
    assert (stats.words_translated, stats.words_fuzzy, stats.words_untranslated) == (2, 1, 3)


def test_dates_honour_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert now_stamp() == "2026-01-01 00:00+0000"
