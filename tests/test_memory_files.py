"""The cache's memory, a file a locale: filled side by side, each file on its own, the same whatever --jobs."""

from __future__ import annotations

import multiprocessing
import os
import random
import shutil
import sqlite3
from pathlib import Path

import polib
import pytest

from pipeline.core import parallel
from pipeline.core.parallel import start_children
from pipeline.memory import store as tm
from pipeline.memory.store import MemoryEntry, MemoryIndex, TranslationMemory

from .helpers import copy_project, run_cli, snapshot
from .test_translators import NEW_ARTICLE

needs_fork = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")


def _entry(msgid: str, msgstr: str, origin: str) -> MemoryEntry:
    return MemoryEntry(None, msgid, msgstr, origin=origin)


def _rows(path: Path) -> tuple:
    """What a locale's file holds, ids aside."""
    db = sqlite3.connect(path)
    found = (sorted(db.execute("SELECT origin, digest FROM catalogs")),
             sorted(db.execute("SELECT msgctxt, msgid, length, hkey FROM texts")),
             sorted(db.execute("SELECT word, df FROM vocab")),
             sorted(db.execute("SELECT v.word, p.length, p.hkey FROM postings p JOIN vocab v ON v.id = p.word")),
             sorted(db.execute("SELECT t.msgid, o.tier, o.origin, o.pos, o.msgstr FROM occurrences o "
                               "JOIN texts t ON t.id = o.text")),
             db.execute("SELECT count(*) FROM staged").fetchone())
    db.close()
    return found


def test_a_lookup_answers_from_the_file_as_it_is_now_after_another_process_changed_it():
    made = MemoryIndex.temporary()
    try:
        made.replace("ko", "a", "h1", [_entry("Iron is stored in the liver as ferritin.", "간", "a")])
        store = made.lookup("ko")
        query = "Iron is stored in the liver as ferritin now."
        assert store.similar(query, 0.8).entry.msgstr == "간"
        # the text goes and another takes its id (the largest plus one): a remembered row would be wrong now
        made.replace("ko", "a", "h2", [])
        other = _entry("Iron is stored in the liver, mostly as ferritin.", "철", "a")
        made.replace("ko", "a", "h3", [other])
        reference = TranslationMemory()
        reference.add(other)
        assert store.similar(query, 0.8) == reference.similar(query, 0.8) != None  # noqa: E711
        store.close()
    finally:
        made.close()


def test_each_locale_has_a_file_and_a_broken_one_is_made_anew_alone(tmp_path):
    folder = tmp_path / "memory"
    made = MemoryIndex.open(folder, fingerprint="one", locales=["ko", "ja"])
    made.replace("ko", "a", "h", [_entry("Text", "글", "a")])
    made.replace("ja", "a", "h", [_entry("Text", "文", "a")])
    made.close()
    assert sorted(p.name for p in folder.iterdir() if p.suffix == ".sqlite") == ["ja.sqlite", "ko.sqlite"]
    tm.locale_file(folder, "ja").write_bytes(b"not a database at all")
    again = MemoryIndex.open(folder, fingerprint="one", locales=["ko", "ja"])
    assert again.catalogs("ko") == {"a": "h"} and again.lookup("ko").exact((None, "Text")).msgstr == "글"
    assert again.catalogs("ja") == {} and again.lookup("ja").exact((None, "Text")) is None
    again.close()
    other = sqlite3.connect(tm.locale_file(folder, "ko"))  # as other code (another version) would leave it
    other.execute("UPDATE meta SET value = 'two' WHERE key = 'fingerprint'")
    other.commit()
    other.close()
    assert MemoryIndex.open_readonly(folder, fingerprint="one").catalogs("ko") == {}, "never trusted for reading"
    rebuilt = MemoryIndex.open(folder, fingerprint="one", locales=["ko"])
    assert rebuilt.catalogs("ko") == {}, "made anew for writing"
    rebuilt.close()


def _fail_on(code: int) -> None:
    os._exit(code)


@needs_fork
def test_children_started_together_report_their_exit_status_in_the_order_of_their_calls():
    children = start_children(_fail_on, [(4,), (0,), (6,)])
    assert children.wait() == [4, 0, 6]


@needs_fork
def test_jobs_1_and_2_leave_the_same_catalogs_outputs_and_memory_files(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    results = {}
    for jobs in ("1", "2"):
        (tmp_path / jobs).mkdir()
        project = copy_project(tmp_path / jobs, with_outputs=True)
        for catalog in (project / "locales" / "ja").glob("*.po"):
            catalog.unlink()  # made anew by the sync: their translations are staged, then indexed at its end
        assert run_cli(project, "sync", "--jobs", jobs).exit_code == 0
        (project / "source_articles" / "iron-basics.html").write_text(NEW_ARTICLE, encoding="utf-8")
        assert run_cli(project, "sync", "--jobs", jobs).exit_code == 0  # looks up the memory, then replaces in it
        results[jobs] = (snapshot(project), {code: _rows(project / ".l10n-cache" / "memory" / f"{code}.sqlite")
                                             for code in ("ko", "ja")})
    assert results["1"] == results["2"]
    assert all(rows[0] and rows[5] == (0,) for rows in results["1"][1].values()), "indexed, nothing left staged"


def test_the_single_memory_file_of_earlier_versions_is_removed_and_never_read(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    (tmp_path / "cached").mkdir()
    project = copy_project(tmp_path / "cached", with_outputs=True)
    assert run_cli(project, "sync").exit_code == 0
    old = project / ".l10n-cache" / "memory.sqlite"
    db = sqlite3.connect(old)  # what the previous version kept: every locale in one file, with a translation
    db.execute("CREATE TABLE catalogs (locale TEXT, origin TEXT, digest TEXT)")
    db.execute("INSERT INTO catalogs VALUES ('ja', 'ferritin-levels', 'x')")
    db.commit()
    db.close()
    Path(f"{old}-wal").write_bytes(b"")
    po = polib.pofile(str(project / "locales/ja/ferritin-levels.po"))
    po.find("Sources").msgstr = "出典"
    po.save()
    (project / "source_articles" / "iron-basics.html").write_text(NEW_ARTICLE, encoding="utf-8")
    fresh = tmp_path / "fresh"
    shutil.copytree(project, fresh, ignore=shutil.ignore_patterns(".l10n-cache"))
    assert run_cli(project, "sync").exit_code == 0
    assert run_cli(fresh, "sync", "--no-cache").exit_code == 0
    assert snapshot(project) == snapshot(fresh)
    assert not old.exists() and not Path(f"{old}-wal").exists()
    assert (project / ".l10n-cache" / "memory" / "ja.sqlite").is_file()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_filling_process_ends_with_what_building_afresh_leaves_whatever_it_replaces(seed):
    """The process that fills a file (``reopen``) remembers ids from commit to commit: replacing, removing and
    sharing texts across catalogs, in batches or not, it leaves what a fresh build of the same catalogs does."""
    rng = random.Random(seed)
    words = [f"v{i}" for i in range(40)]
    pool = [" ".join(rng.choice(words) for _ in range(rng.randint(3, 12))) + "." for _ in range(25)]
    made = MemoryIndex.temporary()
    fresh = MemoryIndex.temporary()
    try:
        made.lookup("ko")  # the file exists before the filling process opens it, as in a sync
        writer = made.reopen()
        current: dict[str, list[MemoryEntry]] = {}
        for _ in range(30):
            with writer.batch():
                for _ in range(rng.randint(1, 6)):
                    origin = f"a{rng.randrange(6)}"
                    if rng.random() < 0.2:
                        writer.keep_only("ko", set(current) - {origin})
                        current.pop(origin, None)
                        continue
                    # from a small pool: texts are shared, and come back after no catalog had them
                    entries = [_entry(rng.choice(pool), f"{origin}/{i}", origin) for i in range(rng.randint(0, 5))]
                    writer.replace("ko", origin, "h", entries)
                    current[origin] = entries
        for origin in sorted(current, reverse=True):
            fresh.replace("ko", origin, "h", current[origin])
        assert _rows(tm.locale_file(made.path, "ko")) == _rows(tm.locale_file(fresh.path, "ko"))
        writer.close()
    finally:
        made.close()
        fresh.close()


def _catalog(entries: list[MemoryEntry], origin: str) -> list[MemoryEntry]:
    """The entries as ``catalog_entries`` gives them: each with its position in the catalog (gaps where a unit is
    fuzzy or untranslated), the first of a repeated key only."""
    seen: set = set()
    listed = []
    for index, e in enumerate(entries):
        if e.msgstr and e.key not in seen:
            seen.add(e.key)
            listed.append(MemoryEntry(e.msgctxt, e.msgid, e.msgstr, e.msgid_plural, e.msgstr_plural, origin,
                                      e.references, index))
    return listed


@pytest.mark.parametrize("seed", [4, 5, 6])
def test_a_catalog_replaced_after_a_few_units_changed_ends_as_building_afresh_leaves_it(seed):
    """A sync replaces a catalog of which most units are as they were: only the rows that differ are written,
    and the file ends as a fresh build of the same catalogs leaves it, whatever changed: a translation, a unit
    gone fuzzy (a gap), a unit added or removed (the others move), a text another catalog shares, a reference,
    a plural."""
    rng = random.Random(seed)
    words = [f"w{i}" for i in range(50)]
    pool = [" ".join(rng.choice(words) for _ in range(rng.randint(3, 12))) + "." for _ in range(60)]
    units = {f"a{n}": [_entry(text, f"a{n}/{text}", f"a{n}") for text in rng.sample(pool, 12)] for n in range(4)}
    made, fresh = MemoryIndex.temporary(), MemoryIndex.temporary()
    digests = dict.fromkeys(units, "h0")
    try:
        made.lookup("ko")
        writer = made.reopen()
        with writer.batch():
            for origin, entries in units.items():
                writer.replace("ko", origin, "h0", _catalog(entries, origin))
        for step in range(1, 30):
            origin = f"a{rng.randrange(4)}"
            entries = list(units[origin])
            for _ in range(rng.randint(1, 2)):
                i, change = rng.randrange(len(entries)), rng.randrange(7)
                e = entries[i]
                if change == 0:
                    entries[i] = MemoryEntry(e.msgctxt, e.msgid, e.msgstr + " (edited)", origin=origin)
                elif change == 1:
                    entries[i] = MemoryEntry(e.msgctxt, rng.choice(pool), e.msgstr, origin=origin)
                elif change == 2 and len(entries) > 1:
                    del entries[i]
                elif change == 3:
                    entries.insert(i, _entry(f"new {step} {rng.choice(pool)}", f"{origin}/new", origin))
                elif change == 4:
                    entries[i] = MemoryEntry(e.msgctxt, e.msgid, e.msgstr, origin=origin, references=(f"x:{step}",))
                elif change == 5:
                    entries[i] = MemoryEntry(e.msgctxt, e.msgid, e.msgstr, "plural", ((0, "a"), (1, "b")), origin)
                else:
                    entries[i] = MemoryEntry(e.msgctxt, e.msgid, "", origin=origin)  # gone fuzzy: not memory
            with writer.batch():
                writer.replace("ko", origin, f"h{step}", _catalog(entries, origin))
            units[origin], digests[origin] = entries, f"h{step}"
        for origin in sorted(units, reverse=True):
            fresh.replace("ko", origin, "h", _catalog(units[origin], origin))
        assert _rows(tm.locale_file(made.path, "ko"))[1:] == _rows(tm.locale_file(fresh.path, "ko"))[1:]
        for origin, entries in units.items():
            expected = _catalog(entries, origin)  # read back in order, with their positions
            found = writer.entries("ko", origin, digests[origin])
            assert found == expected and [e.position for e in found] == [e.position for e in expected]
            for e in entries:
                assert made.lookup("ko").exact(e.key) == fresh.lookup("ko").exact(e.key)
        writer.close()
    finally:
        made.close()
        fresh.close()


def test_a_catalog_replaced_with_one_unit_gone_fuzzy_rewrites_only_that_row():
    """The units after one that went fuzzy keep their rows: positions are the catalog's, not the memory's."""
    made = MemoryIndex.temporary()
    try:
        made.lookup("ko")
        writer = made.reopen()
        entries = [_entry(f"Sentence number {n} of the article.", f"ko {n}", "a") for n in range(20)]
        writer.replace("ko", "a", "h0", _catalog(entries, "a"))
        db = sqlite3.connect(tm.locale_file(made.path, "ko"))
        rowids = dict(db.execute("SELECT pos, rowid FROM occurrences"))
        entries[3] = MemoryEntry(None, entries[3].msgid + " Edited.", "", origin="a")  # fuzzy: no translation
        writer.replace("ko", "a", "h1", _catalog(entries, "a"))
        after = dict(db.execute("SELECT pos, rowid FROM occurrences"))
        db.close()
        assert sorted(after) == [n for n in range(20) if n != 3]
        assert all(after[pos] == rowids[pos] for pos in after)  # the same rows, not written again
        writer.close()
    finally:
        made.close()


def test_a_process_filling_many_locales_shares_one_page_cache_budget_among_them(tmp_path):
    """The process that fills the memory gives its files 16 MB of page cache in all, not 16 MB each: with 10
    locales a share of 5 files took up to 80 MB a child before; any other writer (staging) keeps a small one."""
    index = MemoryIndex.open(tmp_path / "memory", fingerprint="f", locales=["ko"])
    assert index is not None

    def cache_kib(opened: MemoryIndex, locale: str) -> int:
        db = opened._file(locale).db
        assert db is not None
        return -db.execute("PRAGMA cache_size").fetchone()[0]

    assert cache_kib(index, "ko") == tm._FILE_CACHE_KIB
    for files in (1, 2, 5, 40):
        filler = index.reopen(files=files)
        locales = [f"l{n}" for n in range(files)]
        total = sum(cache_kib(filler, locale) for locale in locales)
        assert total <= max(tm._WRITER_CACHE_KIB, files * tm._FILE_CACHE_KIB)
        assert cache_kib(filler, locales[0]) >= tm._FILE_CACHE_KIB
        filler.close()
    assert cache_kib(index.reopen(), "ko") == tm._WRITER_CACHE_KIB
    index.close()


def _resident_kib() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


@pytest.mark.skipif(not os.path.exists("/proc/self/status") or not parallel.release_free_heap(),
                    reason="needs Linux's /proc and glibc's malloc_trim")
def test_the_heap_a_process_freed_is_given_back_before_it_forks_the_filling_children():
    """Freed C heap stays resident (and every forked child counts it again) until it is given back: 90 MB freed
    between blocks still in use is released, as start_children does before it forks."""
    kept, freed = [], []
    for n in range(3000):
        (kept if n % 2 else freed).append(bytearray(60_000))
    freed.clear()
    before = _resident_kib()
    assert parallel.release_free_heap()
    assert before - _resident_kib() > 40_000
    del kept


def test_the_translations_a_run_sets_aside_keep_their_positions_in_the_catalog(tmp_path):
    """What a sync stages (by catalog hash) is indexed after the run with the positions the catalog gave."""
    po = polib.POFile()
    for n in range(6):
        po.append(polib.POEntry(msgid=f"Unit {n}", msgstr=f"단위 {n}" if n != 2 else "",
                                flags=["fuzzy"] if n == 4 else []))
    entries = tm.catalog_entries(po, "a")
    assert [e.position for e in entries] == [0, 1, 3, 5]
    back = tm.decode_entries(tm.encode_entries(entries), "a")
    assert back == entries and [e.position for e in back] == [0, 1, 3, 5]
    made = MemoryIndex.temporary()
    try:
        made.stage("ko", "a", "h", entries)
        assert [e.position for e in made.entries("ko", "a", "h")] == [0, 1, 3, 5]
    finally:
        made.close()
