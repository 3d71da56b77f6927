"""``l10n check``'s ``page`` check: each published output on disk against its source (issue 11).

The sample project is synced once; each test takes a copy, edits ``output/ko/ferritin-levels.html`` (or a
catalog, or l10n.yaml) the way a person or a stale deploy would, and reads the findings of the real command.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .helpers import copy_project, run_cli

PAGE = "output/ko/ferritin-levels.html"


@pytest.fixture(scope="module")
def synced(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("synced"))
    assert run_cli(project, "sync").exit_code == 0
    return project


@pytest.fixture
def project(synced, tmp_path) -> Path:
    dest = tmp_path / "project"
    shutil.copytree(synced, dest)
    return dest


def _page_findings(project: Path, *args: str) -> list[dict]:
    out = project.parent / "report.json"
    run_cli(project, "check", "--only", "page", "--format", "json", "-o", str(out), *args)
    return [f for f in json.loads(out.read_text(encoding="utf-8"))["findings"] if f["check"] == "page"]


def _edit(project: Path, old: str, new: str, path: str = PAGE) -> int:
    """Replace ``old`` (once, it must be there) in a file; return the line it was on."""
    file = project / path
    text = file.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    line = text[: text.index(old)].count("\n") + 1
    file.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


def _one(findings: list[dict], severity: str = "error") -> dict:
    found = [f for f in findings if f["severity"] == severity]
    assert len(found) == 1, findings
    return found[0]


def test_outputs_just_built_have_no_finding(project):
    assert _page_findings(project) == []
    result = run_cli(project, "check", "--locale", "ko")
    assert result.exit_code == 0, result.output
    assert "[page]" not in result.output


def test_outputs_just_built_have_no_finding_without_the_cache_either(project):
    shutil.rmtree(project / ".l10n-cache")
    assert _page_findings(project) == []


def test_a_removed_citation_link_is_an_error_at_its_line(project):
    line = _edit(project, '<sup class="cite"><a href="#src-PM18">[PM18]</a></sup></p>', "</p>")
    finding = _one(_page_findings(project))
    assert (finding["path"], finding["line"], finding["locale"]) == (PAGE, line, "ko")
    assert finding["message"].startswith('<a href="#src-PM18">[PM18]</a> of the source (line ')
    assert "is missing" in finding["message"] and "run `l10n build`" in finding["message"]


def test_a_changed_href_is_an_error_that_names_both(project):
    line = _edit(project, '이 검사를 받을 수 있습니다. <sup class="cite"><a href="#src-1">',
                 '이 검사를 받을 수 있습니다. <sup class="cite"><a href="https://example.com/">')
    finding = _one(_page_findings(project))
    assert finding["line"] == line
    assert finding["message"].startswith('<a href="https://example.com/">[1]</a> where the source has '
                                         '<a href="#src-1">[1]</a>')


def test_a_deleted_element_makes_the_tree_differ(project):
    line = _edit(project, "<h2>핵심 요약</h2>\n", "")
    finding = _one(_page_findings(project))
    assert finding["line"] == line  # where it was: the paragraph that now comes first
    assert finding["message"].startswith("element tree differs from the source at <section class=\"key-takeaway\">")
    assert "<h2> of the source (line 16) is missing: run `l10n build`" in finding["message"]


def test_a_bare_citation_marker_deleted_by_hand_is_missing(project):
    line = _edit(project, "가려낼 수 있습니다. [2-4]</p>", "가려낼 수 있습니다.</p>")
    finding = _one(_page_findings(project))
    assert finding["line"] == line
    assert finding["message"] == "citation marker [2-4] of the source is missing: run `l10n build`"


def test_english_put_back_unmarked_is_a_warning_and_the_edit_an_error(project):
    english = ("Your body needs iron to make hemoglobin, which carries oxygen in red blood cells. Iron not "
               "needed right away is stored inside ferritin, mostly in the liver and bone marrow.")
    line = _edit(project, "<p>우리 몸은 적혈구에서 산소를 운반하는 헤모글로빈을 만들기 위해 철이 필요합니다. 당장 쓰이지 않는 "
                 "철은 주로 간과 골수에서 페리틴 안에 저장됩니다.</p>", f"<p>{english}</p>")
    findings = _page_findings(project)
    warning = _one(findings, "warning")
    assert warning["line"] == line
    assert warning["message"].startswith('the English of the source (line 21) is left in a translated page, '
                                         'not marked lang="en": “Your body needs iron')
    stale = _one(findings, "error")
    assert stale["line"] == line and "stale or was edited by hand" in stale["message"]


def test_an_english_phrase_inside_a_translated_run_is_a_warning(project):
    line = _edit(project, "가려낼 수 있습니다. [2-4]</p>", "가려낼 수 있습니다. What Is Ferritin? [2-4]</p>")
    warning = _one(_page_findings(project), "warning")
    assert warning["line"] == line
    assert warning["message"] == ('English text of the source (line 20) in a translated run, not marked '
                                  'lang="en": “What Is Ferritin?”')


def test_fallbacks_marked_lang_en_are_not_english_left(project):
    # the Japanese pages publish many units in English, each marked: none of them is a finding
    assert 'lang="en"' in (project / "output/ja/ferritin-levels.html").read_text(encoding="utf-8")
    assert _page_findings(project, "--locale", "ja") == []


def test_a_word_edited_by_hand_is_an_error_at_its_line(project):
    line = _edit(project, "핵심 요약", "핵심 요점")
    finding = _one(_page_findings(project))
    assert (finding["path"], finding["line"]) == (PAGE, line)
    assert finding["message"] == ("differs from what `l10n build` writes from the current source and catalog "
                                  "(first difference on this line): the output is stale or was edited by hand: "
                                  "run `l10n build`")
    assert run_cli(project, "build").exit_code == 0
    assert _page_findings(project) == []


def test_an_output_older_than_its_catalog_is_stale(project):
    _edit(project, 'msgstr "핵심 요약"', 'msgstr "요약"', path="locales/ko/ferritin-levels.po")
    line = (project / PAGE).read_text(encoding="utf-8").split("\n").index("<h2>핵심 요약</h2>") + 1
    finding = _one(_page_findings(project))
    assert finding["line"] == line and "stale or was edited by hand" in finding["message"]


def test_an_output_the_build_would_remove_is_an_error(project):
    _edit(project, "publish_threshold: 0.5", "publish_threshold: 0.99", path="l10n.yaml")
    findings = _page_findings(project, "--locale", "ja")
    assert {f["path"] for f in findings} == {"output/ja/ferritin-levels.html", "output/ja/vitamin-d-bone-health.html"}
    assert all(f["message"].startswith("`l10n build` would remove it: the article is no longer published for ja")
               for f in findings)


def test_the_check_writes_nothing(project):
    _edit(project, "핵심 요약", "핵심 요점")
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file() and ".l10n-cache" not in p.parts}
    run_cli(project, "check")
    assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file() and ".l10n-cache" not in p.parts} == before


@pytest.mark.parametrize("cache", [True, False], ids=["cache", "no-cache"])
def test_a_site_builds_canonical_and_hreflang_links_the_page_check_accepts(project, cache):
    with (project / "l10n.yaml").open("a", encoding="utf-8") as handle:
        handle.write("\nbase_url: https://health.example.org\n")
    assert run_cli(project, "sync").exit_code == 0
    assert 'rel="canonical"' in (project / PAGE).read_text("utf-8")
    if not cache:
        shutil.rmtree(project / ".l10n-cache")
    assert _page_findings(project) == []
    line = _edit(project, "핵심 요약", "핵심  요약")        # a hand edit is still found on a site page
    assert _one(_page_findings(project))["line"] == line


def test_a_second_check_keeps_the_verdicts_and_compares_no_unchanged_output_again(project, monkeypatch):
    from pipeline.checks import page

    compared: list[str] = []
    real = page.same_page

    def counting(original, root, **kwargs):  # type: ignore[no-untyped-def]
        compared.append("page")
        return real(original, root, **kwargs)

    monkeypatch.setattr(page, "same_page", counting)
    first = _page_findings(project, "--jobs", "1")
    assert compared and (project / ".l10n-cache" / "page-verdicts.sqlite").is_file()
    outputs = len(compared)
    compared.clear()
    assert _page_findings(project, "--jobs", "1") == first == []
    assert compared == []
    assert _page_findings(project, "--jobs", "1", "--no-cache") == first
    assert len(compared) == outputs                  # compared again without the cache
    line = _edit(project, "<h1>", '<h1 class="x">')  # by hand, after the verdicts were kept
    edited = _page_findings(project, "--jobs", "1")
    assert edited == _page_findings(project, "--jobs", "1", "--no-cache")
    assert [f["line"] for f in edited if f["severity"] == "error"] == [line]


# --- a fallback run beside a nested list: the build's own <span lang dir> -------------------------------

SPLIT = "output/ar/lead-in-list.html"
WRAPPED = '<span lang="en" dir="ltr">Ask which ones you need.</span>'


@pytest.fixture
def split(tmp_path) -> Path:
    """The lead-in-list case as a project, synced: its Arabic page publishes the text after the nested list
    in English, in a span of its own."""
    from .cases.extraction import CASES, _project

    project = _project(CASES / "lead-in-list", tmp_path / "split")
    assert run_cli(project, "sync").exit_code == 0
    assert WRAPPED in (project / SPLIT).read_text("utf-8")
    return project


@pytest.mark.parametrize("cache", [True, False], ids=["cache", "no-cache"])
def test_a_fallback_span_beside_a_nested_list_is_the_build_s_and_no_finding(split, cache):
    if not cache:
        shutil.rmtree(split / ".l10n-cache")
    assert _page_findings(split) == []


def test_the_fallback_span_compared_in_detail_is_no_difference_and_no_english_left(split):
    from pipeline.checks.page_tree import Translations, compare_trees, same_page
    from pipeline.html.extract import SegmentPolicy, collect_slots, document_from_bytes, parse_source

    source = document_from_bytes((split / "source_articles/lead-in-list.html").read_bytes(),
                                 path=split / "source_articles/lead-in-list.html", slug="lead-in-list",
                                 reference="source_articles/lead-in-list.html")
    output, _ = parse_source((split / SPLIT).read_text("utf-8"), path=SPLIT)
    policy = SegmentPolicy()
    assert same_page(source.root, output, policy=policy)
    assert compare_trees(source.root, output, policy=policy, slots=collect_slots(source, policy),
                         translations=Translations(True, "en")) == []


def test_a_fallback_span_unmarked_by_hand_is_not_the_build_s(split):
    line = _edit(split, WRAPPED, '<span dir="ltr">Ask which ones you need.</span>', path=SPLIT)
    errors = [f for f in _page_findings(split) if f["severity"] == "error"]
    assert [(f["line"], f["message"]) for f in errors] == [(line, "<span> is not in the source: run `l10n build`")]


def test_a_fallback_span_removed_by_hand_leaves_english_unmarked(split):
    line = _edit(split, WRAPPED, "Ask which ones you need.", path=SPLIT)
    findings = _page_findings(split)
    assert _one(findings, "warning")["message"] == (
        'the English of the source (line 12) is left in a translated page, not marked lang="en": '
        "“Ask which ones you need.”")
    assert _one(findings)["line"] == line and "stale or was edited by hand" in _one(findings)["message"]


def test_pages_with_fallback_spans_are_the_same_bytes_whatever_jobs(tmp_path, monkeypatch):
    from .cases.extraction import CASES, _project
    from .helpers import ROOT, snapshot

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    projects = []
    for jobs in ("1", "2"):
        project = _project(CASES / "lead-in-list", tmp_path / jobs)
        for source in sorted((ROOT / "source_articles").glob("*.html")):    # more articles than workers
            shutil.copy(source, project / "source_articles" / source.name)
            shutil.copy(ROOT / "locales" / "ko" / f"{source.stem}.po", project / "locales" / "ko" / f"{source.stem}.po")
        assert run_cli(project, "sync", "--jobs", jobs).exit_code == 0
        projects.append(snapshot(project / "output"))
    assert WRAPPED in projects[0]["ar/lead-in-list.html"].decode("utf-8")
    assert projects[0] == projects[1]
