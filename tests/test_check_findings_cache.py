"""``l10n check`` keeps each article's report in ``.l10n-cache/`` (issue 18): a second check of an unchanged
project reads no article and reports the same, byte for byte, in every format and whatever ``--jobs``; an
edit makes exactly the articles it concerns read again (a catalog, a source, an output, the glossary file,
l10n.yaml, a threshold or ``--only``, another article's catalog through the translation memory); a broken
store is rebuilt and one that cannot be written keeps nothing. Which articles were read is
``Findings.read``, told by the run, not by a clock."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.checks import REGISTRY, ArticleCheck, ArticleContext, Findings, ProjectContext, Thresholds, reuse
from pipeline.checks.report import FORMATS
from pipeline.core.model import Finding, Severity
from pipeline.workflow.project import open_project
from pipeline.workflow.quality import check_project

from .helpers import copy_project, run_cli

SLUGS = ("ferritin-levels", "neutropenia-during-chemotherapy", "vitamin-d-bone-health")
FERRITIN, NEUTROPENIA, VITAMIN = SLUGS
GLOSSARY = "do_not_translate: [AML]\nterms:\n  ferritin: {ko: 페리틴}\n"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _translate_sources(project: Path, slug: str, text: str) -> None:
    """Translate the "Sources" heading in an article's Japanese catalog (untranslated in the bundled project)."""
    _edit(project / "locales" / "ja" / f"{slug}.po", 'msgid "Sources"\nmsgstr ""', f'msgid "Sources"\nmsgstr "{text}"')


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    """The bundled project with its outputs, a glossary file, and findings of most kinds: untranslated entries,
    two translations of one text (inconsistent, gathered across articles), a translation the memory would
    give a third article (stale) and outputs a build would write otherwise (page)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # the plan's new template carries the date: a fixed one
    root = copy_project(tmp_path, with_outputs=True)
    (root / "glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    with (root / "l10n.yaml").open("a", encoding="utf-8") as config:
        config.write("\nglossary: glossary.yaml\n")
    _translate_sources(root, FERRITIN, "出典")
    _translate_sources(root, NEUTROPENIA, "参考文献")
    return root


def _findings(project: Path, **options: Any) -> Findings:
    return check_project(open_project(project / "l10n.yaml"), **options)


def _reports(project: Path, *args: str, formats: tuple[str, ...] = FORMATS) -> dict[str, str]:
    """Each format's report of `l10n check ARGS` (with the exit status and the summary line)."""
    reports = {}
    for fmt in formats:
        result = run_cli(project, "check", "--format", fmt, *args)
        reports[fmt] = f"exit {result.exit_code}\n{result.output}"
    return reports


@pytest.mark.parametrize("broken", [False, True], ids=["readable", "a-catalog-that-does-not-parse"])
def test_a_second_check_reads_no_article_and_reports_the_same_in_every_format(project, broken):
    if broken:
        with (project / "locales" / "ko" / f"{VITAMIN}.po").open("a", encoding="utf-8") as po:
            po.write('\nmsgid "unterminated\n')
    cold = _reports(project, "--no-cache")
    assert not (project / ".l10n-cache" / reuse.FILE_NAME).exists()       # --no-cache keeps nothing
    assert "inconsistent" in cold["text"] and "stale" in cold["text"] and "untranslated" in cold["text"]
    assert ("syntax" in cold["text"]) == broken
    first = _findings(project, jobs=1)
    assert first.read == SLUGS
    for jobs in (1, 2):
        again = _findings(project, jobs=jobs)
        assert again.read == ()
        assert again == first
    for jobs in ("1", "2"):
        assert _reports(project, "--jobs", jobs) == cold


Edit = Callable[[Path], None]


def _edit_catalog(project: Path) -> None:
    _edit(project / "locales" / "ja" / f"{VITAMIN}.po", 'msgid "What You Can Do for Your Bones"\nmsgstr ""',
          'msgid "What You Can Do for Your Bones"\nmsgstr "骨のためにできること"')


def _edit_source(project: Path) -> None:
    _edit(project / "source_articles" / f"{VITAMIN}.html", "What You Can Do for Your Bones",
          "What You Can Do for Strong Bones")


def _edit_output(project: Path) -> None:
    _edit(project / "output" / "ko" / f"{FERRITIN}.html", "</body>", "<p>added by hand</p></body>")


def _edit_glossary(project: Path) -> None:
    _edit(project / "glossary.yaml", "{ko: 페리틴}", "{ko: 철저장단백}")


def _edit_config(project: Path) -> None:
    with (project / "l10n.yaml").open("a", encoding="utf-8") as config:
        config.write("checks:\n  min_translated: 40\n")


def _translate_the_last(project: Path) -> None:
    """Translate "Sources" in the only Japanese catalog that lacks it: the memory filled it (stale), and it
    is one translation more for the check across articles (inconsistent); the other articles' own files and
    plans are unchanged (the memory fills only what is untranslated)."""
    _translate_sources(project, VITAMIN, "出典")


def _nothing(project: Path) -> None:
    pass


@pytest.mark.parametrize("edit, options, args, read", [
    (_edit_catalog, {}, (), (VITAMIN,)),
    (_edit_source, {}, (), (VITAMIN,)),
    (_edit_output, {}, (), (FERRITIN,)),
    (_edit_glossary, {}, (), SLUGS),
    (_edit_config, {}, (), SLUGS),
    (_translate_the_last, {}, (), (VITAMIN,)),
    (_nothing, {"override": Thresholds(min_translated=40)}, ("--min-translated", "40"), SLUGS),
    (_nothing, {"only": ("untranslated", "stale")}, ("--only", "untranslated,stale"), SLUGS),
    (_nothing, {"locales": ("ja",)}, ("--locale", "ja"), SLUGS),
], ids=["catalog", "source", "output", "glossary-file", "l10n.yaml", "a-translation-the-memory-had",
        "cli-threshold", "only", "locale"])
def test_an_edit_makes_the_articles_it_concerns_read_again(project, edit, options, args, read):
    _findings(project)
    before = _findings(project, **options)
    assert before.read == (() if not options else SLUGS)
    settled = _reports(project, *args, formats=("json",))
    edit(project)
    after = _findings(project, **options)
    assert after.read == (read if edit is not _nothing else ())
    report = _reports(project, *args, formats=("json",))
    assert report == _reports(project, *args, "--no-cache", formats=("json",))
    if edit is not _nothing:
        assert report != settled
    assert _findings(project, **options).read == ()
    if options:      # the default run's reports are kept apart: they are still there
        assert _findings(project).read == ()


def _stale_articles(findings: Findings) -> set[str | None]:
    return {f.article for f in findings if f.check == "stale"}


def test_the_memory_of_other_articles_is_part_of_an_articles_key(tmp_path):
    root = copy_project(tmp_path, with_outputs=True)
    assert _stale_articles(_findings(root)) == set()
    assert _findings(root).read == ()
    _translate_sources(root, FERRITIN, "出典")           # the memory now fills "Sources" of the other two
    after = _findings(root)
    assert _stale_articles(after) == {NEUTROPENIA, VITAMIN}
    assert after.read == SLUGS
    assert _reports(root) == _reports(root, "--no-cache")


def test_a_broken_store_is_rebuilt(project):
    cold = _reports(project, "--no-cache")
    _findings(project)
    store = project / ".l10n-cache" / reuse.FILE_NAME
    store.write_bytes(b"not a database" * 100)
    assert _findings(project).read == SLUGS
    assert _findings(project).read == ()
    db = sqlite3.connect(store)
    with db:
        db.execute("UPDATE answers SET value = '{\"inputs\": 1'")
    db.close()
    assert _findings(project).read == SLUGS              # a report that does not decode is made again
    assert _findings(project).read == ()
    assert _reports(project) == cold


def test_a_store_that_cannot_be_written_keeps_nothing(project):
    cold = _reports(project, "--no-cache")
    store = project / ".l10n-cache" / reuse.FILE_NAME
    store.mkdir(parents=True)                             # no database can be made there
    for _ in range(2):
        assert _findings(project).read == SLUGS
    assert _reports(project) == cold


@pytest.mark.parametrize("library", ["lxml", "babel", "polib", "rapidfuzz"])
def test_another_version_of_a_library_makes_every_article_read_again(project, monkeypatch, library):
    """The findings follow how lxml parses, babel counts plurals, polib reads and rapidfuzz matches: a report
    kept under other versions of them is not taken."""
    assert _findings(project).read == SLUGS
    assert _findings(project).read == ()
    if library == "polib":
        from pipeline.po import files
        monkeypatch.setattr(files, "POLIB_VERSION", "0.0-another")
    else:
        monkeypatch.setattr(__import__(library), "__version__", "0.0-another", raising=False)
    monkeypatch.setattr(reuse, "_libraries", reuse._libraries.__wrapped__)
    assert _findings(project).read == SLUGS


#: Prints the articles a check of the project in the current folder read, in a new interpreter.
PROBE = ("from pathlib import Path\nfrom pipeline.workflow.project import open_project\n"
         "from pipeline.workflow.quality import check_project\n"
         "print(' '.join(check_project(open_project(Path('l10n.yaml'))).read))")


def test_a_new_process_finds_the_reports_whatever_its_string_hashes(project):
    """Each `l10n check` is a new process, with its own string hashes: a set in the settings (checks.skip)
    must not make the key differ from one run to the next."""
    with (project / "l10n.yaml").open("a", encoding="utf-8") as config:
        config.write("checks:\n  skip: [obsolete, foreign-script, review-score, ko-spacing]\n")
    read = []
    for seed in ("1", "2", "3"):
        done = subprocess.run([sys.executable, "-c", PROBE], cwd=project, capture_output=True, text=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}, timeout=300)
        assert done.returncode == 0, done.stderr
        read.append(done.stdout.split())
    assert read == [list(SLUGS), [], []]


def test_the_prepares_run_only_when_an_article_is_read(project, monkeypatch):
    """A check's ``prepare`` (the Korean analyser's load takes seconds) is for the articles read: when every
    report is kept, none runs."""
    prepared: list[str] = []

    def prepare(ctx: ProjectContext) -> None:
        prepared.append("probe")

    def probe(ctx: ArticleContext) -> Iterator[Finding]:
        yield ctx.source.finding("probe", f"{len(ctx.source.slots)} slots", severity=Severity.INFO)

    monkeypatch.setitem(REGISTRY, "probe", ArticleCheck("probe", Severity.INFO, "counts slots", probe, prepare))
    first = _findings(project, only=("probe",))
    assert prepared == ["probe"] and first.read == SLUGS
    again = _findings(project, only=("probe",))
    assert prepared == ["probe"] and again.read == () and again == first
    _edit_source(project)
    assert _findings(project, only=("probe",)).read == (VITAMIN,)
    assert prepared == ["probe", "probe"]


def _copies(tmp_path: Path) -> tuple[Path, tuple[str, ...]]:
    """The bundled project with each article copied 5 times: 18 articles, enough for worker processes."""
    root = copy_project(tmp_path)
    for source in sorted((root / "source_articles").glob("*.html")):
        for n in range(5):
            shutil.copy(source, source.with_name(f"{source.stem}-{n}.html"))
            for po in [root / "locales" / "templates" / f"{source.stem}.pot",
                       *(root / "locales" / code / f"{source.stem}.po" for code in ("ko", "ja"))]:
                shutil.copy(po, po.with_name(f"{source.stem}-{n}{po.suffix}"))
    return root, tuple(sorted(path.stem for path in (root / "source_articles").glob("*.html")))


@pytest.mark.parametrize("jobs", [1, 2], ids=["here", "in-workers"])
def test_a_report_is_not_kept_when_its_files_change_while_it_is_made(tmp_path, monkeypatch, jobs):
    """An article's report is kept under the hash of its files as they were before it was read, and only if they
    are still so once it is made: a catalog saved meanwhile (an editor) leaves no report for either content,
    so that putting the old content back has the article read again, not answered from a report of other
    bytes. The hashing and keeping happen where the article is read (in a worker with --jobs 2)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    root, slugs = _copies(tmp_path)
    edited = f"{VITAMIN}-3"             # an article a worker checks, not the first one
    catalog = root / "locales" / "ko" / f"{edited}.po"
    original = catalog.read_bytes()

    def saved_meanwhile(ctx: ArticleContext) -> Iterator[Finding]:
        if ctx.source.slug == edited:
            catalog.write_bytes(original + b"\n")     # the same catalog, saved again with one more line
            (tmp_path / "checked-by").write_text(str(os.getpid()))
        return iter(())

    monkeypatch.setitem(REGISTRY, "probe", ArticleCheck("probe", Severity.INFO, "saves a file", saved_meanwhile))
    assert sorted(_findings(root, jobs=jobs).read) == sorted(slugs)
    assert ((tmp_path / "checked-by").read_text() != str(os.getpid())) == (jobs > 1)
    catalog.write_bytes(original)                      # as it was when the run hashed it
    assert _findings(root, jobs=jobs).read == (edited,)
    monkeypatch.delitem(REGISTRY, "probe")
    catalog.write_bytes(original)
    assert sorted(_findings(root, jobs=jobs).read) == sorted(slugs)   # another scope: every report is new
    assert _findings(root, jobs=jobs).read == ()


def test_a_report_is_kept_as_it_was_made_lone_surrogates_and_all():
    """What JSON gives back is what was kept: tuples stay tuples, a text with a lone surrogate (which SQLite,
    UTF-8 only, could not take) is escaped, an error keeps its type, line and hint."""
    from pipeline.checks.inputs import FileState
    from pipeline.core.errors import ParseError

    error = ParseError("unterminated string", path="locales/ko/a.po", line=3, hint="close it")
    findings = {"numbers": [Finding("numbers", Severity.WARNING, "lost \ud800 10 mg", "locales/ko/a.po", 7, "ko", "a")]}
    gathered = {"inconsistent": [("ko", None, "Sources", "출처", 12)]}
    raw = reuse.encode("digest", [FileState(True, None), FileState(True, error)], findings, gathered)
    raw.encode("utf-8")
    states, found, back = reuse.decode(raw, "digest") or ([], {}, {})
    assert found == findings and back == gathered and type(back["inconsistent"][0]) is tuple
    assert states[0] == FileState(True, None)
    assert type(states[1].error) is ParseError and states[1].error.format_message() == error.format_message()
    assert reuse.decode(raw, "other digest") is None
    with pytest.raises(reuse.NotKept):
        reuse.encode("digest", [], {}, {"inconsistent": {1, 2}})
