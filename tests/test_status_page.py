"""``l10n report``: one self-contained HTML page, read back with lxml and in headless Chromium."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree, html

from .conftest import TEST_OUTPUT
from .helpers import copy_project, run_cli, snapshot
from .test_status_json import status_json

#: The title of an article added to the sample: markup in it must show as text, never run.
HOSTILE_TITLE = '<script>window.__l10nXss = 1</script> Iron & "you" <b>bold</b>'


def add_hostile_article(project: Path) -> str:
    """A copy of the ferritin article whose <title> holds markup (as text: entities in the source)."""
    source = (project / "source_articles" / "ferritin-levels.html").read_text(encoding="utf-8")
    escaped = HOSTILE_TITLE.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    source = source.replace("<title>Ferritin Levels: What Your Iron Stores Test Can Tell You | Health Library</title>",
                            f"<title>{escaped}</title>")
    assert escaped in source
    (project / "source_articles" / "script-title.html").write_text(source, encoding="utf-8")
    return "script-title"


@pytest.fixture()
def project(tmp_path, monkeypatch) -> Path:
    """The sample project, synced twice with an edit in between (so the history has two syncs), plus an
    article with markup in its title."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    root = tmp_path / "p"
    root.mkdir()
    copy_project(root)
    assert run_cli(root, "sync").exit_code == 0
    add_hostile_article(root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767312000")
    assert run_cli(root, "sync").exit_code == 0
    return root


def parse(path: Path) -> etree._Element:
    return html.fromstring(path.read_bytes())


def test_report_is_written_at_the_project_root_and_nowhere_else(project):
    before = snapshot(project)
    result = run_cli(project, "report")
    assert result.exit_code == 0, result.output
    after = snapshot(project)
    assert set(after) - set(before) == {"l10n-report.html"}
    assert all(after[name] == data for name, data in before.items())
    assert "wrote l10n-report.html: 2 locale(s), 4 article(s)" in result.output


@pytest.mark.parametrize("target", ["locales/report.html", "output/ko/report.html", "source_articles/r.html",
                                    ".l10n-cache/r.html", "report.txt"])
def test_report_is_refused_where_it_would_mix_with_the_projects_files(project, target):
    (project / ".l10n-cache").mkdir(exist_ok=True)
    before = snapshot(project)
    result = run_cli(project, "report", "-o", str(project / target))
    assert result.exit_code == 2
    assert "nothing was written" in result.output or "only .html or .htm" in result.output
    assert snapshot(project) == before


def test_report_is_self_contained_and_deterministic(project, tmp_path):
    first, second = tmp_path / "one.html", tmp_path / "two.html"
    assert run_cli(project, "report", "-o", str(first)).exit_code == 0
    assert run_cli(project, "report", "-o", str(second), "--jobs", "1").exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    root = parse(first)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name in ("src", "href", "srcset", "data", "action", "poster"):
            assert name not in element.attrib, (element.tag, name, element.get(name))
    assert root.xpath("//link") == [] and root.xpath("//iframe|//img|//object|//embed") == []
    scripts = root.xpath("//script")
    assert len(scripts) == 3 and all(s.text and s.text.strip() for s in scripts)
    assert "Chart.js v4" in scripts[1].text              # the vendored library, inline
    csp = root.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')
    assert csp and "default-src 'none'" in csp[0]


def test_markup_in_a_title_is_text_in_the_page(project):
    assert run_cli(project, "report").exit_code == 0
    root = parse(project / "l10n-report.html")
    assert len(root.xpath("//script")) == 3                  # ours only: the title's script is not an element
    assert root.xpath("//b") == []
    titles = [" ".join(cell.xpath("string(text())").split())
              for cell in root.xpath('//*[@id="articles-table"]//td[@data-key="title"]')]
    assert " ".join(HOSTILE_TITLE.split()) in titles
    data = json.loads(root.get_element_by_id("l10n-data").text)
    assert data["locales"][0]["locale"] == "ko"


def test_failing_checks_are_listed_by_id_with_file_and_line(project, tmp_path):
    assert run_cli(project, "report").exit_code == 0
    root = parse(project / "l10n-report.html")
    run_cli(project, "check", "--format", "json", "-o", str(tmp_path / "check.json"))
    findings = json.loads((tmp_path / "check.json").read_text(encoding="utf-8"))["findings"]
    rows = root.xpath('//*[@id="findings-table"]/tbody/tr')
    assert len(rows) == len(findings) > 0
    shown = {(row.get("data-check"), row.xpath('string(td[@data-key="where"])')) for row in rows}
    assert shown == {(f["check"], f"{f['path']}:{f['line']}" if f["line"] else f["path"]) for f in findings}
    summary = {row.get("data-check"): int(row.xpath('string(td[@data-key="count"])'))
               for row in root.xpath('//*[@id="checks-summary"]/tbody/tr')}
    assert summary["untranslated"] == sum(1 for f in findings if f["check"] == "untranslated")


def _dom_figures(browser, table: str) -> list[dict]:
    """Every row of a table as the browser shows it: its data-* identity and each figure cell's value."""
    return browser.execute_script("""
        return Array.from(document.querySelectorAll('#' + arguments[0] + ' tbody tr')).map(function (row) {
          var cells = {};
          row.querySelectorAll('td[data-key]').forEach(function (td) {
            cells[td.dataset.key] = td.dataset.value !== undefined ? Number(td.dataset.value) : td.textContent;
          });
          return {locale: row.dataset.locale || null, article: row.dataset.article || null, cells: cells,
                  visible: row.offsetParent !== null};
        });""", table)


def test_the_page_in_a_browser_shows_the_figures_of_status_json(project, browser):
    data = status_json(project)
    assert run_cli(project, "report").exit_code == 0
    page = project / "l10n-report.html"
    try:
        _check_page(browser, page, data)
    finally:
        browser.set_window_size(900, 700)   # the session's browser, as other tests expect it


def _check_page(browser, page: Path, data: dict) -> None:
    browser.set_window_size(1200, 900)
    browser.get(page.as_uri())
    charts = browser.execute_script("return Object.keys(window.l10nCharts || {}).sort()")
    assert charts == ["chart-fallbacks", "chart-history", "chart-words"]
    assert browser.execute_script("return window.__l10nXss === undefined")   # the title's script never ran

    locales = _dom_figures(browser, "locales-table")
    assert [row["locale"] for row in locales] == [loc["locale"] for loc in data["locales"]]
    for row, loc in zip(locales, data["locales"]):
        for kind in ("units", "words"):
            for key in ("translated", "fuzzy", "untranslated"):
                assert row["cells"][f"{kind}.{key}"] == loc[kind][key], (loc["locale"], kind, key)
        assert row["cells"]["published"] == loc["published"]
        assert row["cells"]["fallbacks.total"] == loc["fallbacks"]["total"]
        for reason, count in loc["fallbacks"]["by_reason"].items():
            assert row["cells"][f"fallbacks.{reason}"] == count

    shown = {(row["article"], row["locale"]): row for row in _dom_figures(browser, "articles-table")}
    expected = {(a["slug"], r["locale"]): (a, r) for a in data["articles"] for r in a["locales"]}
    assert set(shown) == set(expected) and len(expected) == 4 * 2
    for key, (article, row) in expected.items():
        cells = shown[key]["cells"]
        assert cells["words.translated"] == row["words"]["translated"]
        assert cells["units.untranslated"] == row["units"]["untranslated"]
        assert cells["published"] == ("yes" if row["published"] else "no")
        assert cells["title"].startswith(article["title"])
    heat = browser.execute_script("""
        return Array.from(document.querySelectorAll('#heatmap td.heat')).map(function (td) {
          return [td.closest('tr').dataset.article, td.dataset.locale, Number(td.dataset.value)];
        });""")
    assert sorted(map(tuple, heat)) == sorted((a, loc, r["translated_share"]) for (a, loc), (_, r) in expected.items())

    title = browser.execute_script(
        "return document.querySelector('#articles-table tr[data-article=\"script-title\"] td.title').firstChild.textContent")
    assert title == HOSTILE_TITLE

    # sorting: the articles table by words translated, descending after two clicks
    button = browser.find_element("css selector", "#articles-table thead th:nth-child(6) button")
    button.click()
    button.click()
    values = [row["cells"]["words.translated"] for row in _dom_figures(browser, "articles-table")]
    assert values == sorted(values, reverse=True)
    # filtering: the locale select leaves one locale's rows
    browser.execute_script("""
        var select = document.querySelector('select[data-locale-filter-for="articles-table"]');
        select.value = 'ja'; select.dispatchEvent(new Event('change'));""")
    visible = [row for row in _dom_figures(browser, "articles-table") if row["visible"]]
    assert {row["locale"] for row in visible} == {"ja"} and len(visible) == 4
    browser.execute_script("""
        var select = document.querySelector('select[data-locale-filter-for="articles-table"]');
        select.value = ''; select.dispatchEvent(new Event('change'));""")

    TEST_OUTPUT.mkdir(exist_ok=True)
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1200, min(int(height) + 40, 4000))
    browser.execute_script("window.scrollTo(0, 0)")
    assert browser.save_screenshot(str(TEST_OUTPUT / "status-page.png"))


def test_the_page_says_what_the_last_sync_changed(project):
    assert run_cli(project, "report").exit_code == 0
    root = parse(project / "l10n-report.html")
    items = {li.get("data-locale"): " ".join(li.text_content().split())
             for li in root.xpath('//*[@id="since-previous"]/li')}
    assert set(items) == {"ko", "ja"}
    # the second sync added an article (four instead of three): its words count in
    assert "(2026-01-01T00:00Z → 2026-01-02T00:00Z)" in items["ko"] and "words translated" in items["ko"]


def test_a_report_of_one_locale(project, tmp_path):
    out = tmp_path / "ja.html"
    assert run_cli(project, "report", "-l", "ja", "-o", str(out)).exit_code == 0
    root = parse(out)
    assert [row.get("data-locale") for row in root.xpath('//*[@id="locales-table"]/tbody/tr')] == ["ja"]
    assert {row.get("data-locale") for row in root.xpath('//*[@id="findings-table"]/tbody/tr')} == {"ja"}
    history = json.loads(root.get_element_by_id("l10n-data").text)["history"]
    assert history and {row["locale"] for row in history} == {"ja"}


def test_a_long_list_of_findings_is_cut_with_a_note(project, monkeypatch):
    from pipeline.reporting import page

    monkeypatch.setattr(page, "MAX_FINDINGS", 5)
    assert run_cli(project, "report").exit_code == 0
    root = parse(project / "l10n-report.html")
    assert len(root.xpath('//*[@id="findings-table"]/tbody/tr')) == 5
    total = sum(int(row.xpath('string(td[@data-key="count"])')) for row in root.xpath('//*[@id="checks-summary"]/tbody/tr'))
    note = root.get_element_by_id("findings-left-out").text_content()
    assert note.startswith(f"{total - 5} more finding(s) not shown")


def test_units_that_went_fuzzy_are_listed_with_what_changed_in_the_english(project):
    source = project / "source_articles" / "ferritin-levels.html"
    old = "Ferritin acts like a storage box for iron inside the body."
    source.write_text(source.read_text("utf-8").replace(old, old.replace("the body", "your <body> & blood")
                                                        .replace("<", "&lt;").replace(">", "&gt;")
                                                        .replace(" & ", " &amp; ")), encoding="utf-8")
    assert run_cli(project, "sync").exit_code == 0
    status = status_json(project)
    fuzzy = {(a["slug"], r["locale"]): r["went_fuzzy"] for a in status["articles"] for r in a["locales"]}
    new = "Ferritin acts like a storage box for iron inside your <body> & blood."
    assert fuzzy[("ferritin-levels", "ko")] == [{"msgid": new, "previous": old}]
    assert run_cli(project, "report").exit_code == 0
    root = parse(project / "l10n-report.html")
    rows = root.xpath('//*[@id="went-fuzzy"]/tbody/tr')
    assert [(r.get("data-article"), r.get("data-locale")) for r in rows] == [("ferritin-levels", "ko"),
                                                                              ("ferritin-levels", "ja")]
    cell = rows[0].xpath('td[@data-key="diff"]')[0]
    deleted, inserted = "".join(cell.xpath("del/text()")), "".join(cell.xpath("ins/text()"))
    assert "the" in deleted and "your" in inserted and "<body>" in inserted and "&" in inserted
    kept = "".join(t for t in cell.xpath(".//text()") if t.getparent().tag != "del")
    assert kept == new                            # what is not struck out reads as the English now
    assert cell.xpath(".//body") == []           # the English is text, never markup


def since_previous(root: etree._Element) -> dict[str, list[str]]:
    """Per locale, the slugs "Since the previous sync" names as articles whose English changed."""
    return {li.get("data-locale"): li.xpath('ul[@class="english-changed"]/li/@data-article')
            for li in root.xpath('//*[@id="since-previous"]/li')}


def test_the_page_names_the_articles_whose_english_changed_in_the_last_sync(project):
    assert run_cli(project, "report").exit_code == 0
    root = parse(project / "l10n-report.html")
    # the fixture's second sync added an article: a new article's English counts as changed
    assert since_previous(root) == {"ko": ["script-title"], "ja": ["script-title"]}
    item = root.xpath('//*[@id="since-previous"]/li[@data-locale="ko"]/ul/li')[0]
    assert item.text == HOSTILE_TITLE and item.xpath("span[@class='slug']/text()") == ["script-title"]
    assert root.xpath("//b") == [], "the title is text"

    source = project / "source_articles" / "vitamin-d-bone-health.html"
    anchor = "<p>There are three main sources, and most people get some from each.</p>"
    added = "<p>Sardines, egg yolks and fortified cereal each carry a modest amount as well.</p>"
    source.write_text(source.read_text("utf-8").replace(anchor, anchor + "\n" + added), encoding="utf-8")
    assert run_cli(project, "sync").exit_code == 0
    status = status_json(project)
    assert all(not row["went_fuzzy"] and row["units"]["fuzzy"] == 0
               for article in status["articles"] for row in article["locales"]), "only a paragraph was added"
    assert {a["slug"]: a["english_changed_in_last_sync"] for a in status["articles"]} == {
        "ferritin-levels": False, "neutropenia-during-chemotherapy": False, "script-title": False,
        "vitamin-d-bone-health": True}
    assert run_cli(project, "report").exit_code == 0
    root = parse(project / "l10n-report.html")
    assert since_previous(root) == {"ko": ["vitamin-d-bone-health"], "ja": ["vitamin-d-bone-health"]}
    title = next(a["title"] for a in status["articles"] if a["slug"] == "vitamin-d-bone-health")
    names = root.xpath('//*[@id="since-previous"]/li[@data-locale="ja"]/ul/li/text()')
    assert names == [title]


def test_a_long_list_of_articles_whose_english_changed_is_cut_with_a_note(project, monkeypatch):
    from pipeline.reporting import page

    for slug in ("x-one", "x-two", "x-three"):
        add_hostile_article(project)
        (project / "source_articles" / "script-title.html").rename(project / "source_articles" / f"{slug}.html")
    add_hostile_article(project)
    assert run_cli(project, "sync").exit_code == 0
    monkeypatch.setattr(page, "MAX_ENGLISH_CHANGED", 2)
    assert run_cli(project, "report").exit_code == 0
    root = parse(project / "l10n-report.html")
    assert since_previous(root)["ko"] == ["x-one", "x-three"]      # sorted by slug, the first two
    more = root.xpath('//*[@id="since-previous"]/li[@data-locale="ko"]/ul/li[@class="more"]/text()')
    assert more == ["…and 1 more"]
