"""The sqlite translation memory: same answers as the in-memory one, bounded work, safe across fork."""

from __future__ import annotations

import multiprocessing
import random
import shutil
import sqlite3
from pathlib import Path

import polib
import pytest

from pipeline.core.parallel import Children
from pipeline.memory import store as tm
from pipeline.memory.store import IMPORTED, MemoryEntry, MemoryIndex, TranslationMemory

from .helpers import copy_project, run_cli, snapshot
from .test_translators import NEW_ARTICLE


def _entry(msgid: str, msgstr: str, origin: str, msgctxt: str | None = None) -> MemoryEntry:
    return MemoryEntry(msgctxt, msgid, msgstr, origin=origin)


@pytest.fixture
def index():
    made = MemoryIndex.temporary()
    yield made
    made.close()
    assert not made.path.exists()


def test_exact_lookup_by_context_and_text(index):
    plural = MemoryEntry(None, "{n} day", "{n}일", "{n} days", ((0, "{n}일"),), "a", ("source_articles/a.html",))
    index.replace("ko", "a", "h1", [_entry("Sources", "출처", "a"), _entry("Sources", "참고", "a", "heading"),
                                    _entry("", "empty msgid is never memory", "a"), plural])
    store = index.lookup("ko")
    assert store.exact((None, "Sources")).msgstr == "출처"
    assert store.exact(("heading", "Sources")).msgstr == "참고"
    assert store.exact(("", "Sources")) is None and store.exact((None, "sources")) is None
    assert store.exact((None, "{n} day")) == plural
    assert index.lookup("ja").exact((None, "Sources")) is None
    assert len(store) == 3 and {e.msgid for e in store} == {"Sources", "{n} day"}


def test_the_first_origin_wins_whatever_the_order_catalogs_are_added_in(index):
    index.replace("ko", IMPORTED, "h0", [_entry("Key Takeaway", "외부", IMPORTED),
                                         _entry("Only here", "외", IMPORTED)])
    index.replace("ko", "zinc", "h1", [_entry("Key Takeaway", "Z", "zinc")])
    index.replace("ko", "iron", "h2", [_entry("Key Takeaway", "I", "iron"), _entry("Key Takeaway", "I2", "iron")])
    store = index.lookup("ko")
    assert store.exact((None, "Key Takeaway")) == _entry("Key Takeaway", "I", "iron")
    assert store.exact((None, "Only here")).origin == IMPORTED
    index.replace("ko", "iron", "h3", [])
    assert store.exact((None, "Key Takeaway")).msgstr == "Z"
    index.keep_only("ko", [IMPORTED])
    assert store.exact((None, "Key Takeaway")).msgstr == "외부"


def test_similar_above_and_below_the_threshold_scores_as_rapidfuzz(index):
    known = "Iron not needed right away is stored inside ferritin, mostly in the liver."
    index.replace("ko", "a", "h", [_entry(known, "철", "a"), _entry("Something else entirely", "x", "a")])
    reference = TranslationMemory()
    reference.add(_entry(known, "철", "a"))
    query = known.replace("right away", "right now")
    found = index.lookup("ko").similar(query, 0.8)
    assert found is not None and found.entry.msgid == known
    assert found == reference.similar(query, 0.8)
    assert index.lookup("ko").similar(query, found.score + 0.001) is None
    assert index.lookup("ko").similar("Iron is a mineral.", 0.8) is None
    assert index.lookup("ko").similar("", 0.8) is None


def test_ties_go_to_the_smaller_text_then_the_first_origin_whatever_the_insertion_order():
    texts = ["Take iron daily?", "Take iron daily!", "Take iron dailyy", "Take iron daily."]
    for seed in range(4):
        order = texts[:]
        random.Random(seed).shuffle(order)
        made = MemoryIndex.temporary()
        for i, text in enumerate(order):
            made.replace("ko", f"slug-{i}", "h", [_entry(text, f"t{i}", f"slug-{i}")])
        made.replace("ko", "aaa", "h", [_entry("Take iron daily!", "first", "aaa", msgctxt="")])
        found = made.lookup("ko").similar("Take iron daily", 0.8)
        reference = TranslationMemory()
        for origin in sorted(made.catalogs("ko")):
            for entry in made.entries("ko", origin, "h") or []:
                reference.add(entry)
        assert found == reference.similar("Take iron daily", 0.8)
        assert (found.entry.msgid, found.entry.msgctxt, found.entry.msgstr) == ("Take iron daily!", "", "first")
        made.close()


def _random_corpus(rng: random.Random, words: list[str], catalogs: int, per: int) -> dict[str, list[MemoryEntry]]:
    result = {}
    for c in range(catalogs):
        origin = f"article-{c:05d}"
        result[origin] = [_entry(" ".join(rng.choice(words) for _ in range(rng.randint(3, 20))).capitalize() + ".",
                                 f"{origin}/{i}", origin) for i in range(per)]
    return result


def test_the_prefilter_rarely_drops_a_similar_text_and_never_finds_a_better_one(index):
    rng = random.Random(5)
    words = [f"word{i}" for i in range(400)]
    corpus = _random_corpus(rng, words, 40, 30)
    reference = TranslationMemory()
    for origin, entries in sorted(corpus.items()):
        index.replace("ko", origin, "h", entries)
        for entry in entries:
            reference.add(entry)
    store = index.lookup("ko")
    texts = sorted(e.msgid for e in reference)
    missed: list[str] = []
    for query in rng.sample(texts, 150):
        parts = query.rstrip(".").split()
        parts[rng.randrange(len(parts))] = rng.choice(words)
        query = " ".join(parts)
        expected, found = reference.similar(query, 0.75), store.similar(query, 0.75)
        if expected != found:
            missed.append(query)
            assert found is None or expected.score >= found.score
    assert len(missed) <= 3, missed


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    """50,000 remembered texts over a small vocabulary, so that common words are in thousands of them."""
    rng = random.Random(7)
    made = MemoryIndex.temporary()
    corpus = _random_corpus(rng, [f"w{i}" for i in range(300)], 1000, 50)
    with made.batch():
        for origin, entries in corpus.items():
            made.replace("ko", origin, "h", entries)
    yield made, corpus
    made.close()


def test_a_large_memory_scores_a_bounded_number_of_candidates(large):
    made, corpus = large
    store = made.lookup("ko")
    assert len(store) == len({e.key for entries in corpus.values() for e in entries}) > 49_900
    rng = random.Random(3)
    for origin in rng.sample(sorted(corpus), 20):
        known = rng.choice(corpus[origin]).msgid
        query = known.replace(".", " w1.")
        found = store.similar(query, 0.8)
        assert found is not None and found.score >= 0.8 and len(found.entry.msgid) <= len(query) + 1
        assert 0 < store.scored <= tm.MAX_CANDIDATES
        assert store.read <= tm.BUDGET
    assert store.similar("w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14 w15", 0.5) is not None
    assert store.scored == tm.MAX_CANDIDATES


#: The store the forked workers query (set before they fork, as the sync does).
_SHARED_STORE: list = []


def _query(msgid: str) -> tuple[str, str, float] | None:
    store = _SHARED_STORE[0]
    found = store.similar(msgid, 0.8)
    exact = store.exact((None, found.entry.msgid)) if found else None
    return (found.entry.msgid, exact.msgstr if exact else "", found.score) if found else None


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
def test_forked_workers_query_through_connections_of_their_own(large):
    made, corpus = large
    store = made.lookup("ko")
    msgids = [entries[0].msgid for _, entries in sorted(corpus.items())[:40]]
    queries = [m.replace(".", " w2.") for m in msgids]
    _SHARED_STORE[:] = [store]
    try:
        here = [_query(q) for q in queries]  # the parent's connection is open when the workers fork
        with multiprocessing.get_context("fork").Pool(2) as pool:
            there = pool.map(_query, queries, chunksize=3)
    finally:
        _SHARED_STORE.clear()
    assert here == there and all(found is not None for found in here)
    assert store.exact((None, msgids[0])) is not None  # the parent's connection still works
    store.close()


def _contents(made: MemoryIndex, locale: str) -> tuple:
    db = sqlite3.connect(tm.locale_file(made.path, locale))
    texts = sorted(db.execute("SELECT msgctxt, msgid, length, hkey FROM texts"))
    vocab = sorted(db.execute("SELECT word, df FROM vocab"))
    postings = sorted(db.execute("SELECT v.word, p.length, p.hkey FROM postings p JOIN vocab v ON v.id = p.word"))
    occurrences = sorted(db.execute("SELECT t.msgid, o.origin, o.pos, o.msgstr FROM occurrences o "
                                    "JOIN texts t ON t.id = o.text"))
    db.close()
    return texts, vocab, postings, occurrences


def test_replacing_catalogs_one_by_one_leaves_what_building_afresh_would(index):
    rng = random.Random(11)
    words = [f"v{i}" for i in range(60)]
    current: dict[str, list[MemoryEntry]] = {}
    for step in range(60):
        origin = f"a{rng.randrange(8)}"
        if rng.random() < 0.2:
            index.keep_only("ko", set(current) - {origin})
            current.pop(origin, None)
        else:
            entries = _random_corpus(rng, words, 1, rng.randint(0, 6))["article-00000"]
            entries = [_entry(e.msgid, e.msgstr, origin) for e in entries]
            if current.get("a0") and rng.random() < 0.5:
                entries.append(_entry(current["a0"][0].msgid, "shared", origin))
            index.replace("ko", origin, f"h{step}", entries)
            current[origin] = entries
    fresh = MemoryIndex.temporary()
    for origin in sorted(current, reverse=True):
        fresh.replace("ko", origin, "h", current[origin])
    assert _contents(index, "ko") == _contents(fresh, "ko")
    for entries in current.values():
        for entry in entries:
            assert index.lookup("ko").exact(entry.key) == fresh.lookup("ko").exact(entry.key)
    fresh.close()


def test_staged_translations_are_kept_apart_until_asked_for(index):
    index.replace("ko", "a", "old", [_entry("Old text", "옛", "a")])
    index.stage("ko", "a", "new", [_entry("New text", "새", "a")])
    assert index.lookup("ko").exact((None, "New text")) is None, "staging never changes what lookups see"
    assert index.known("ko") == {("a", "old"), ("a", "new")}
    assert index.entries("ko", "a", "new") == [_entry("New text", "새", "a")]
    assert index.entries("ko", "a", "old") == [_entry("Old text", "옛", "a")]
    assert index.entries("ko", "a", "other") is None
    index.drop_staged("ko", {"a": "old"})
    assert index.known("ko") == {("a", "old")}


def test_a_foreign_or_corrupt_memory_file_is_emptied_never_trusted(tmp_path):
    path = tmp_path / "memory"
    made = MemoryIndex.open(path, fingerprint="one")
    made.replace("ko", "a", "h", [_entry("Text", "글", "a")])
    made.close()
    assert MemoryIndex.open_readonly(path, fingerprint="two").catalogs("ko") == {}
    again = MemoryIndex.open(path, fingerprint="two")
    assert again.catalogs("ko") == {} and again.lookup("ko").exact((None, "Text")) is None
    again.close()
    tm.locale_file(path, "ko").write_bytes(b"SQLite format 3\x00" + b"\xff" * 300)
    rebuilt = MemoryIndex.open(path, fingerprint="two", locales=["ko"])
    assert rebuilt is not None and rebuilt.catalogs("ko") == {}
    rebuilt.close()


def test_imported_memory_comes_after_every_article_with_the_cache_or_without(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    (tmp_path / "cached").mkdir()
    project = copy_project(tmp_path / "cached", with_outputs=True)
    assert run_cli(project, "sync").exit_code == 0
    compendium = polib.POFile()
    compendium.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "ko"}
    compendium.append(polib.POEntry(msgid="Iron Basics", msgstr="철분 기초"))
    compendium.append(polib.POEntry(msgid="Key Takeaway", msgstr="외부 번역"))
    compendium.save(str(tmp_path / "agency.po"))
    assert run_cli(project, "tm", "import", "ko", str(tmp_path / "agency.po")).exit_code == 0
    (project / "source_articles" / "iron-basics.html").write_text(
        NEW_ARTICLE.replace("<h1>Iron Basics</h1>", "<h1>Iron Basics</h1>\n<h2>Key Takeaway</h2>"), encoding="utf-8")
    fresh = tmp_path / "fresh"
    shutil.copytree(project, fresh, ignore=shutil.ignore_patterns(".l10n-cache"))
    assert run_cli(project, "sync", "--jobs", "2").exit_code == 0
    assert run_cli(fresh, "sync", "--no-cache", "--jobs", "1").exit_code == 0
    assert snapshot(project) == snapshot(fresh)
    po = polib.pofile(str(project / "locales/ko/iron-basics.po"))
    ferritin = polib.pofile(str(project / "locales/ko/ferritin-levels.po"))
    assert po.find("Iron Basics").msgstr == "철분 기초"
    assert "translation memory: from imported memory" in po.find("Iron Basics").comment
    assert po.find("Key Takeaway").msgstr == ferritin.find("Key Takeaway").msgstr
    assert (project / ".l10n-cache" / "memory" / "ko.sqlite").is_file()


def test_a_corrupt_memory_file_in_the_cache_changes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    (tmp_path / "cached").mkdir()
    project = copy_project(tmp_path / "cached", with_outputs=True)
    assert run_cli(project, "sync").exit_code == 0
    (project / "source_articles" / "iron-basics.html").write_text(NEW_ARTICLE, encoding="utf-8")
    fresh = tmp_path / "fresh"
    shutil.copytree(project, fresh, ignore=shutil.ignore_patterns(".l10n-cache"))
    Path(project / ".l10n-cache" / "memory" / "ja.sqlite").write_bytes(b"not a database at all")
    assert run_cli(project, "sync").exit_code == 0
    assert run_cli(fresh, "sync", "--no-cache").exit_code == 0
    assert snapshot(project) == snapshot(fresh)


def test_the_cache_memory_is_updated_catalog_by_catalog_not_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    project = copy_project(tmp_path, with_outputs=True)
    assert run_cli(project, "sync", "--jobs", "1").exit_code == 0
    import pipeline.workflow.sync as sync

    parsed: list[str] = []
    real = sync._catalog_memory
    monkeypatch.setattr(sync, "_catalog_memory", lambda task: parsed.append(task[3]) or real(task))
    monkeypatch.setattr(sync, "start_children",  # in this process: to see what it parses
                        lambda function, calls: Children([], [function(*args) or 0 for args in calls]))
    path = project / "locales/ja/ferritin-levels.po"
    po = polib.pofile(str(path))
    po.find("Sources").msgstr = "出典"
    po.save()
    assert run_cli(project, "sync", "--jobs", "1").exit_code == 0
    assert parsed == [str(path)], "only the catalog edited since the last sync is read for the memory"
    other = polib.pofile(str(project / "locales/ja/vitamin-d-bone-health.po")).find("Sources")
    assert other.msgstr == "出典"
    parsed.clear()
    source = project / "source_articles" / "vitamin-d-bone-health.html"
    source.write_text(source.read_text(encoding="utf-8").replace("Key Takeaway", "Key Points"), encoding="utf-8")
    assert run_cli(project, "sync", "--jobs", "1").exit_code == 0
    assert parsed == [], "catalogs the last sync wrote are known by their translations, set aside as it ran"


def test_translations_set_aside_by_a_run_never_applied_are_not_taken_for_what_is_on_disk(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    from pipeline.workflow.project import discard_changes, open_project
    from pipeline.workflow.sync import CacheMode, RunOptions, plan_run

    (tmp_path / "cached").mkdir()
    project = copy_project(tmp_path / "cached", with_outputs=True)
    assert run_cli(project, "sync").exit_code == 0
    ferritin = project / "locales/ja/ferritin-levels.po"
    before = ferritin.read_bytes()
    po = polib.pofile(str(ferritin))
    po.find("Sources").msgstr = "出典"
    po.save()
    result = plan_run(open_project(project / "l10n.yaml"), RunOptions(stage=True, jobs=1, cache=CacheMode.WRITE))
    assert any(c.path.name == "vitamin-d-bone-health.po" for c in result.changes), "memory filled another article"
    discard_changes(result.changes)  # the run dies here: nothing applied, the cache not told
    ferritin.write_bytes(before)
    fresh = tmp_path / "fresh"
    shutil.copytree(project, fresh, ignore=shutil.ignore_patterns(".l10n-cache"))
    assert run_cli(project, "sync").exit_code == 0
    assert run_cli(fresh, "sync", "--no-cache").exit_code == 0
    assert snapshot(project) == snapshot(fresh)
    assert polib.pofile(str(project / "locales/ja/vitamin-d-bone-health.po")).find("Sources").msgstr != "出典"


def test_a_sync_leaves_the_memory_indexed_as_its_catalogs_are_so_the_next_one_fills_nothing(tmp_path, monkeypatch):
    import hashlib

    import pipeline.workflow.sync as sync

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    project = copy_project(tmp_path, with_outputs=True)
    for catalog in (project / "locales" / "ja").glob("*.po"):
        catalog.unlink()  # the sync makes them anew: their translations are only staged as it runs
    assert run_cli(project, "sync").exit_code == 0
    for locale in ("ko", "ja"):
        db = sqlite3.connect(project / ".l10n-cache" / "memory" / f"{locale}.sqlite")
        on_disk = {p.stem: hashlib.blake2b(p.read_bytes(), digest_size=20).hexdigest()
                   for p in (project / "locales" / locale).glob("*.po")}
        indexed = dict(db.execute("SELECT origin, digest FROM catalogs"))
        assert indexed == on_disk, locale
        assert db.execute("SELECT count(*) FROM staged").fetchone() == (0,)
        db.close()
    fills: list[list[str]] = []
    real = sync.start_children
    monkeypatch.setattr(sync, "start_children", lambda function, calls: fills.append(
        [plan.locale for call in calls for plan in call[2]]) or real(function, calls))
    source = project / "source_articles" / "ferritin-levels.html"
    source.write_text(source.read_text(encoding="utf-8").replace("Key Takeaway", "Key Points"), encoding="utf-8")
    assert run_cli(project, "sync").exit_code == 0
    assert sorted(fills[0]) == ["ja", "ko"] and len(fills) == 1, \
        "only the end of the run indexes something: the two catalogs it changed"
