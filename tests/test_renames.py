"""A renamed article keeps its translations: the old article's catalogs (orphans) are memory."""

from __future__ import annotations

import polib
import pytest

from .helpers import copy_project, run_cli, snapshot

OLD, NEW = "ferritin-levels", "iron-stores"


def _finished(path) -> dict[tuple[str | None, str], str]:
    return {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(path))
            if e.translated() and not e.obsolete}


@pytest.mark.parametrize("cache", [[], ["--no-cache"]])
def test_a_renamed_article_gets_every_finished_translation_back(tmp_path, cache):
    (tmp_path / "p").mkdir()
    project = copy_project(tmp_path / "p", with_outputs=True)
    before = _finished(project / "locales" / "ko" / f"{OLD}.po")
    published = (project / "output" / "ko" / f"{OLD}.html").read_bytes()
    (project / "source_articles" / f"{OLD}.html").rename(project / "source_articles" / f"{NEW}.html")
    result = run_cli(project, "sync", *cache)
    assert result.exit_code == 0, result.output
    assert _finished(project / "locales" / "ko" / f"{NEW}.po") == before
    assert (project / "output" / "ko" / f"{NEW}.html").read_bytes() == published
    assert (project / "locales" / "ko" / f"{OLD}.po").exists(), "the orphan is kept: it holds people's work"
    again = snapshot(project)
    assert run_cli(project, "sync", *cache).exit_code == 0
    assert snapshot(project) == again, "a second sync changes no file"


def test_an_edited_paragraph_of_the_renamed_article_comes_back_fuzzy_and_status_names_the_rename(tmp_path):
    project = copy_project(tmp_path)
    source = project / "source_articles" / f"{OLD}.html"
    text = source.read_text(encoding="utf-8")
    old_text = "Ferritin acts like a storage box for iron inside the body."
    new_text = "Ferritin acts like a storage box for iron inside your body."
    assert old_text in text
    (project / "source_articles" / f"{NEW}.html").write_text(text.replace(old_text, new_text), encoding="utf-8")
    source.unlink()
    assert run_cli(project, "sync").exit_code == 0
    entry = polib.pofile(str(project / "locales" / "ko" / f"{NEW}.po")).find(new_text)
    assert entry.fuzzy and entry.previous_msgid == old_text and entry.msgstr
    status = run_cli(project, "status")
    assert f"locales/ko/{OLD}.po; 98% of its entries match {NEW} (renamed?)" in status.output, status.output


def test_a_live_catalogs_translation_wins_over_an_orphans(tmp_path):
    project = copy_project(tmp_path)
    ko = project / "locales" / "ko"
    # an orphan with a different translation of a text that a live article also has
    live = polib.pofile(str(ko / f"{OLD}.po"))
    entry = next(e for e in live if e.translated() and not e.obsolete)
    orphan = polib.POFile()
    orphan.metadata = dict(live.metadata)
    orphan.append(polib.POEntry(msgid=entry.msgid, msgctxt=entry.msgctxt, msgstr="고아의 번역"))
    orphan.save(str(ko / "aaa-gone.po"))
    # a new article with that text
    (project / "source_articles" / "new-one.html").write_text(
        f"<!DOCTYPE html><html lang=\"en\"><head><title>T</title></head><body><p>{entry.msgid}</p></body></html>",
        encoding="utf-8")
    assert run_cli(project, "sync").exit_code == 0
    got = polib.pofile(str(ko / "new-one.po")).find(entry.msgid, msgctxt=entry.msgctxt)
    assert got.msgstr == entry.msgstr and not got.fuzzy
