"""Publishing that can require clinical review (issue 14): `review: required` and `review: sections` in
l10n.yaml, the disclaimer approved once per locale, rejections from the command line, who translated,
the review checks and `review report`, and review state in status, manifest and the status page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import polib
import pytest
from lxml import html

from pipeline.po.files import read_po, write_po
from pipeline.po.review import ReviewState, approve, record_translator, records, review_state

from .conftest import TEST_OUTPUT, run_msgfmt_check
from .helpers import copy_project, run_cli

REVIEWER = "Dr. Kim Min-ji"
FERRITIN = "locales/ko/ferritin-levels.po"
DOSAGE = "Know typical daily needs:"


def _review(project: Path, mode: str, extra: str = "") -> None:
    config = project / "l10n.yaml"
    text = config.read_text("utf-8").replace("  - ko\n", f"  - code: ko\n    review: {mode}\n", 1)
    config.write_text(text + extra, encoding="utf-8")


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    return copy_project(tmp_path)


def _page(project: Path, slug: str, lang: str = "ko") -> html.HtmlElement | None:
    path = project / "output" / lang / f"{slug}.html"
    return html.fromstring(path.read_bytes()) if path.exists() else None


def _english(page: html.HtmlElement) -> list[str]:
    """Texts the page shows in English, inside a Korean page (the fallbacks)."""
    return [" ".join(e.text_content().split()) for e in page.xpath('//body//*[@lang="en"]')]


def test_review_required_publishes_nothing_until_the_disclaimer_is_approved(project):
    _review(project, "required")
    result = run_cli(project, "sync")
    assert result.exit_code == 0, result.output
    for slug in ("ferritin-levels", "vitamin-d-bone-health"):
        assert _page(project, slug) is None
        assert f"ko: {slug} not published: not reviewed: 1 unit(s) of the disclaimer not approved" in result.output
    assert _page(project, "ferritin-levels", "ja") is not None            # ja has no review: as before
    check = run_cli(project, "check")
    assert "warning[unreviewed]: not approved by a reviewer" in check.output


def test_review_required_publishes_approved_units_and_english_for_the_rest(project):
    _review(project, "required")
    assert run_cli(project, "review", "ko", "--approve", "--reviewer", REVIEWER,
                   "--article", "ferritin-levels").exit_code == 0
    assert run_cli(project, "sync").exit_code == 0
    page = _page(project, "ferritin-levels")
    assert page is not None and page.get("lang") == "ko" and _english(page) == []
    # the disclaimer's approval counts for every article, but the rest of them is not approved yet
    summary = run_cli(project, "sync", "--dry-run").output
    assert "vitamin-d-bone-health not published: 2% of units translated and approved" in summary

    # a translator edits an approved translation: the approval is stale, the unit falls back
    po = polib.pofile(str(project / FERRITIN))
    entry = po.find("Key Takeaway")
    entry.msgstr = "요점 정리"
    po.save()
    result = run_cli(project, "sync")
    assert "unreviewed" in result.output
    page = _page(project, "ferritin-levels")
    assert "Key Takeaway" in _english(page)
    assert "요점 정리" not in page.text_content()
    report = project / "check.json"
    run_cli(project, "check", "--format", "json", "--only", "review-stale,unreviewed", "-o", str(report))
    found = [f for f in json.loads(report.read_text("utf-8"))["findings"] if f["article"] == "ferritin-levels"]
    line = polib.pofile(str(project / FERRITIN)).find("Key Takeaway").linenum
    assert [(f["check"], f["line"]) for f in found] == [("review-stale", line)]


def test_a_changed_english_disclaimer_unpublishes_every_page_of_the_locale(project):
    _review(project, "required")
    run_cli(project, "review", "ko", "--approve", "--reviewer", REVIEWER)
    assert run_cli(project, "sync").exit_code == 0
    published = sorted(p.name for p in (project / "output" / "ko").glob("*.html"))
    assert len(published) == 3
    old = "This information is provided for general education only"
    for source in (project / "source_articles").glob("*.html"):
        text = source.read_text("utf-8")
        assert old in text
        source.write_text(text.replace(old, old.replace("general", "general health")), encoding="utf-8")
    result = run_cli(project, "sync")
    assert list((project / "output" / "ko").glob("*.html")) == []
    assert result.output.count("not reviewed: 1 unit(s) of the disclaimer not approved") == 3


def test_review_sections_holds_the_article_until_its_dosage_block_is_approved(project):
    _review(project, "sections")
    po = polib.pofile(str(project / FERRITIN))
    dosage = next(e for e in po if DOSAGE in e.msgid)
    units = {("ferritin-levels", e.msgctxt, e.msgid) for e in po if not e.obsolete and e is not dosage}
    from pipeline.workflow.project import apply_changes, open_project
    from pipeline.workflow.review import plan_approval

    loaded = open_project(project / "l10n.yaml")
    assert apply_changes(plan_approval(loaded, "ko", REVIEWER, ["ferritin-levels"], only=units).changes,
                         loaded) == []
    result = run_cli(project, "sync")
    assert "ferritin-levels not published: not reviewed: 1 unit(s) of the disclaimer and review sections" \
        in result.output
    assert _page(project, "ferritin-levels") is None
    # the other articles have no review section but their disclaimer, approved with ferritin's: published
    assert _page(project, "vitamin-d-bone-health") is not None
    assert run_cli(project, "review", "ko", "--approve", "--reviewer", REVIEWER,
                   "--article", "ferritin-levels").exit_code == 0
    run_cli(project, "sync")
    page = _page(project, "ferritin-levels")
    assert page is not None and page.xpath('//li[@data-l10n-role="dosage"]')[0].get("lang") is None


def test_reject_from_the_command_line_makes_the_unit_fuzzy_with_its_reason(project, msgfmt):
    _review(project, "required")
    result = run_cli(project, "review", "ko", "--reject", "Key Takeaway", "--article", "ferritin-levels",
                     "--reviewer", REVIEWER, "--category", "terminology", "--severity", "major",
                     "--reason", "use 요점, the house term")
    assert result.exit_code == 0, result.output
    entry = read_po(project / FERRITIN).find("Key Takeaway")
    assert "fuzzy" in entry.flags and review_state(entry) is ReviewState.REJECTED
    assert records(entry)[-1].reason == "use 요점, the house term"
    assert run_msgfmt_check(msgfmt, project / FERRITIN).returncode == 0
    check = run_cli(project, "check", "--only", "review-rejected")
    assert "rejected by Dr. Kim Min-ji (terminology/major: use 요점, the house term)" in check.output
    out = project / "review.json"
    run_cli(project, "review", "report", "ko", "--format", "json", "-o", str(out))
    report = json.loads(out.read_text("utf-8"))
    row = next(a for a in report["articles"] if a["article"] == "ferritin-levels")
    assert row["rejections"] == [{"category": "terminology", "severity": "major", "count": 1}]
    assert row["penalty"] == 5.0 and row["reviewed_words"] == 2 and row["passed"] is False
    assert run_cli(project, "check", "--only", "review-score").exit_code == 1
    # a reason is required; an unknown category is refused; nothing is written then
    before = (project / FERRITIN).read_bytes()
    for args in (["--reason", "  "], ["--category", "vibes"]):
        base = {"--category": "style", "--severity": "minor", "--reason": "x"}
        base.update(dict(zip(args[::2], args[1::2])))
        result = run_cli(project, "review", "ko", "--reject", "Iron", "--article", "ferritin-levels",
                         "--reviewer", REVIEWER, *[v for kv in base.items() for v in kv])
        assert result.exit_code != 0
    assert (project / FERRITIN).read_bytes() == before


def test_an_approval_by_the_translator_is_self_review_and_is_not_published(project, tmp_path):
    _review(project, "required")
    delivery = tmp_path / "delivery.po"
    assert run_cli(project, "export", "ko", "-o", str(delivery)).exit_code == 0
    po = polib.pofile(str(delivery))
    entry = po.find("Key Takeaway")
    entry.msgstr = "요점"
    po.save()
    result = run_cli(project, "import", "ko", str(delivery), "--overwrite", "--translator", "Lee Seo-yeon")
    assert result.exit_code == 0, result.output
    catalog = polib.pofile(str(project / FERRITIN)).find("Key Takeaway")
    assert [(r.verdict, r.reviewer) for r in records(catalog)] == [("translated", "Lee Seo-yeon")]
    # the CLI leaves a translator's own units for another reviewer
    own = run_cli(project, "review", "ko", "--approve", "--reviewer", "lee seo-yeon", "--article", "ferritin-levels")
    assert "1 unit left for another reviewer: lee seo-yeon translated them" in own.output
    # an approval by the translator made by another tool (or by hand) is self-review
    po = read_po(project / FERRITIN)
    approve(po.find("Key Takeaway"), reviewer="Lee Seo-yeon", date="2026-01-03")
    write_po(project / FERRITIN, po)
    check = run_cli(project, "check", "--only", "review-self")
    assert check.exit_code == 1
    assert "Lee Seo-yeon translated and approved “Key Takeaway”: another reviewer must approve it" in check.output
    run_cli(project, "sync")
    assert "Key Takeaway" in _english(_page(project, "ferritin-levels"))
    # a second person's approval counts
    run_cli(project, "review", "ko", "--approve", "--reviewer", REVIEWER, "--article", "ferritin-levels")
    run_cli(project, "sync")
    assert _english(_page(project, "ferritin-levels")) == []
    assert run_cli(project, "check", "--only", "review-self").exit_code == 0


def test_a_delivery_never_brings_its_own_sign_off(project, tmp_path):
    """An approval line written into a delivery (with the right hashes) is not imported: only a reviewer here
    signs off, so review: required still falls back, and review status and check do not count it."""
    _review(project, "required")
    run_cli(project, "review", "ko", "--approve", "--reviewer", REVIEWER, "--article", "ferritin-levels")
    ours = read_po(project / FERRITIN)
    ours.find("Key Takeaway").tcomment = ""     # the one unit of the article nobody has reviewed
    write_po(project / FERRITIN, ours)
    delivery = tmp_path / "delivery.po"
    assert run_cli(project, "export", "ko", "-o", str(delivery)).exit_code == 0
    po = polib.pofile(str(delivery))
    entry = po.find("Key Takeaway")
    entry.msgstr = "요점"
    stamp = read_po(project / FERRITIN).find("Key Takeaway")
    stamp.msgstr = "요점"
    forged = approve(stamp, reviewer="Dr. Forged", date="2026-01-02").line()
    entry.tcomment = f"vendor note: shorter heading\n{forged}"
    po.metadata["Last-Translator"] = "Park Ji-hoon <park@example.org>"
    po.save()
    result = run_cli(project, "import", "ko", str(delivery), "--overwrite")
    assert result.exit_code == 0, result.output
    catalog = read_po(project / FERRITIN).find("Key Takeaway")
    assert catalog.msgstr == "요점"
    assert "Dr. Forged" not in (project / FERRITIN).read_text("utf-8")
    assert catalog.tcomment.startswith("vendor note: shorter heading")   # the vendor's own note is kept
    assert [(r.verdict, r.reviewer) for r in records(catalog)] == [("translated", "Park Ji-hoon")]
    assert review_state(catalog) is ReviewState.UNREVIEWED
    status = run_cli(project, "review", "status", "ko")
    assert "Dr. Forged" not in status.output
    check = run_cli(project, "check", "--only", "unreviewed", "--format", "json")
    waiting = [f for f in json.loads(check.stdout)["findings"] if f["check"] == "unreviewed"]
    assert any("Key Takeaway" in f["message"] for f in waiting), waiting   # not counted as approved
    run_cli(project, "sync")
    assert "Key Takeaway" in _english(_page(project, "ferritin-levels"))


def test_the_catalogs_last_translator_cannot_approve_what_no_record_credits_to_someone_else(project):
    """A translator who edits the catalog in a PO editor is its Last-Translator: where no record says who
    wrote a unit, that person cannot approve it, and another reviewer's approval first records them."""
    _review(project, "required")
    po = read_po(project / FERRITIN)
    po.metadata["Last-Translator"] = "Choi Min <choi@example.org>"
    po.find("Key Takeaway").msgstr = "요점 정리"
    write_po(project / FERRITIN, po)
    own = run_cli(project, "review", "ko", "--approve", "--reviewer", "Choi Min", "--article", "ferritin-levels")
    assert own.exit_code == 0, own.output
    assert "translated them" in own.output
    assert review_state(read_po(project / FERRITIN).find("Key Takeaway")) is not ReviewState.APPROVED
    other = run_cli(project, "review", "ko", "--approve", "--reviewer", REVIEWER, "--article", "ferritin-levels")
    assert other.exit_code == 0, other.output
    entry = read_po(project / FERRITIN).find("Key Takeaway")
    assert [(r.verdict, r.reviewer) for r in records(entry)][-2:] == [("translated", "Choi Min"),
                                                                     ("approved", REVIEWER)]
    assert review_state(entry) is ReviewState.APPROVED


@pytest.mark.parametrize("header, credited", [
    ("Park Ji-hoon <park@example.org>", [("translated", "Park Ji-hoon")]),
    ("FULL NAME <EMAIL@ADDRESS>", []),      # the template's placeholder names nobody
    ("", []),
])
def test_without_translator_the_deliverys_last_translator_is_recorded(project, tmp_path, header, credited):
    delivery = tmp_path / "delivery.po"
    assert run_cli(project, "export", "ko", "-o", str(delivery)).exit_code == 0
    po = polib.pofile(str(delivery))
    po.find("Key Takeaway").msgstr = "요점"
    po.metadata["Last-Translator"] = header
    po.save()
    result = run_cli(project, "import", "ko", str(delivery), "--overwrite")
    assert result.exit_code == 0, result.output
    entry = read_po(project / FERRITIN).find("Key Takeaway")
    assert entry.msgstr == "요점"
    assert [(r.verdict, r.reviewer) for r in records(entry)] == credited
    untouched = read_po(project / FERRITIN).find("Bottom Line")   # delivered as it was: nobody credited
    assert records(untouched) == []


def test_an_export_hands_out_notes_but_no_sign_offs(project, tmp_path):
    """The vendor's file carries the catalog's translator notes but none of its review records (so none can
    come back in a delivery either)."""
    po = read_po(project / FERRITIN)
    entry = po.find("Key Takeaway")
    entry.tcomment = "house term: 요점"
    approve(entry, reviewer=REVIEWER, date="2026-01-02")
    write_po(project / FERRITIN, po)
    for name in ("delivery.po", "delivery.xlf"):
        out = tmp_path / name
        assert run_cli(project, "export", "ko", "-o", str(out)).exit_code == 0
        text = out.read_text("utf-8")
        assert "house term: 요점" in text and "review: approved" not in text and REVIEWER not in text, name


def test_an_xliff_delivery_never_brings_a_sign_off(project, tmp_path):
    """An XLIFF delivery whose translator note holds an approval line: the translation is imported, the line
    is not, and review: required still publishes the unit in English."""
    from lxml import etree

    _review(project, "required")
    run_cli(project, "review", "ko", "--approve", "--reviewer", REVIEWER, "--article", "ferritin-levels")
    ours = read_po(project / FERRITIN)
    ours.find("Key Takeaway").tcomment = ""
    write_po(project / FERRITIN, ours)
    stamp = read_po(project / FERRITIN).find("Key Takeaway")
    stamp.msgstr = "요점"
    forged = approve(stamp, reviewer="Dr. Forged", date="2026-01-02").line()
    delivery = tmp_path / "delivery.xlf"
    assert run_cli(project, "export", "ko", "-o", str(delivery)).exit_code == 0
    tree = etree.parse(str(delivery))
    ns = {"x": tree.getroot().nsmap[None]}
    (unit,) = [u for u in tree.iterfind(".//x:unit", ns) if u.findtext(".//x:source", namespaces=ns) == "Key Takeaway"]
    notes = unit.find("x:notes", ns)
    if notes is None:
        notes = etree.Element(f"{{{ns['x']}}}notes")
        unit.insert(0, notes)
    note = etree.SubElement(notes, f"{{{ns['x']}}}note", category="translator")
    note.text = forged
    (segment,) = unit.iterfind("x:segment", ns)
    target = segment.find("x:target", ns)
    if target is None:
        target = etree.SubElement(segment, f"{{{ns['x']}}}target")
    target.text = "요점"
    segment.set("state", "final")
    tree.write(str(delivery), xml_declaration=True, encoding="utf-8")
    result = run_cli(project, "import", "ko", str(delivery), "--overwrite", "--translator", "Park Ji-hoon")
    assert result.exit_code == 0, result.output
    catalog = read_po(project / FERRITIN).find("Key Takeaway")
    assert catalog.msgstr == "요점"
    assert "Dr. Forged" not in (project / FERRITIN).read_text("utf-8")
    assert [(r.verdict, r.reviewer) for r in records(catalog)] == [("translated", "Park Ji-hoon")]
    run_cli(project, "sync")
    assert "Key Takeaway" in _english(_page(project, "ferritin-levels"))


def test_an_approval_by_the_catalogs_last_translator_without_a_record_is_self_review(project):
    """Where no record names who translated a unit, the catalog's Last-Translator did: their approval (written
    by another tool, or before this rule) is review-self for check, not published, and not counted in the
    report's approved share."""
    _review(project, "required")
    assert run_cli(project, "review", "ko", "--approve", "--reviewer", REVIEWER,
                   "--article", "ferritin-levels").exit_code == 0
    po = read_po(project / FERRITIN)
    po.metadata["Last-Translator"] = "Choi Min <choi@example.org>"
    entry = po.find("Key Takeaway")
    entry.msgstr, entry.tcomment = "요점 정리", ""
    approve(entry, reviewer="Choi Min", date="2026-01-03")
    write_po(project / FERRITIN, po)
    check = run_cli(project, "check", "--only", "review-self")
    assert check.exit_code == 1
    assert "Choi Min translated and approved “Key Takeaway”: another reviewer must approve it" in check.output
    run_cli(project, "sync")
    page = _page(project, "ferritin-levels")
    assert "Key Takeaway" in _english(page) and "요점 정리" not in page.text_content()
    report = json.loads(run_cli(project, "review", "report", "ko", "--format", "json").stdout)
    row = next(a for a in report["articles"] if a["article"] == "ferritin-levels")
    assert row["self_reviewed"] == 1 and row["approved_share"] < 1.0
    # another reviewer's approval records Choi Min as translator first, then counts
    again = run_cli(project, "review", "ko", "--approve", "--reviewer", REVIEWER, "--article", "ferritin-levels")
    assert again.exit_code == 0, again.output
    entry = read_po(project / FERRITIN).find("Key Takeaway")
    assert [(r.verdict, r.reviewer) for r in records(entry)] == [
        ("approved", "Choi Min"), ("translated", "Choi Min"), ("approved", REVIEWER)]
    assert run_cli(project, "check", "--only", "review-self").exit_code == 0
    run_cli(project, "sync")
    assert "요점 정리" in _page(project, "ferritin-levels").text_content()


def test_review_state_in_status_manifest_and_status_page(project):
    _review(project, "required", "\nbase_url: https://example.org/health\n")
    run_cli(project, "review", "ko", "--approve", "--reviewer", REVIEWER, "--article", "ferritin-levels")
    assert run_cli(project, "sync").exit_code == 0
    status = json.loads(run_cli(project, "status", "--json").stdout)
    ko = next(loc for loc in status["locales"] if loc["locale"] == "ko")
    assert ko["review"]["mode"] == "required" and ko["review"]["approved"] == 55
    ja = next(loc for loc in status["locales"] if loc["locale"] == "ja")
    assert ja["review"] is None
    manifest = json.loads((project / "output" / "manifest.json").read_text("utf-8"))
    page = next(p for p in manifest["pages"] if p["slug"] == "ferritin-levels" and p["locale"] == "ko")
    assert page["review"] == {"mode": "required", "approved": 53, "stale": 0, "rejected": 0, "unreviewed": 0,
                              "untranslated": 0}
    assert run_cli(project, "sync").output.endswith("0 file(s) changed\n")   # a no-op stays a no-op
    assert run_cli(project, "report").exit_code == 0
    root = html.fromstring((project / "l10n-report.html").read_bytes())
    cell = root.xpath('//*[@id="articles-table"]//tr[@data-article="ferritin-levels"][@data-locale="ko"]'
                      '/td[@data-key="review"]')[0]
    assert cell.text_content() == "53/53"


def test_review_report_page_in_a_browser(project, browser):
    _review(project, "required")
    run_cli(project, "review", "ko", "--approve", "--reviewer", REVIEWER, "--article", "ferritin-levels")
    run_cli(project, "review", "ko", "--reject", "Key Takeaway", "--article", "vitamin-d-bone-health",
            "--reviewer", REVIEWER, "--category", "accuracy", "--severity", "critical",
            "--reason", "<script>window.__pwned = 1</script> wrong")
    out = project / "review.html"
    assert run_cli(project, "review", "report", "ko", "--format", "html", "-o", str(out)).exit_code == 0
    browser.get(out.as_uri())
    assert browser.execute_script("return window.__pwned === undefined")
    rows = browser.execute_script("""return [...document.querySelectorAll('#review-table tbody tr')].map(tr =>
        [tr.dataset.article, tr.querySelector('[data-key="score"]').textContent,
         tr.querySelector('[data-key="passed"]').textContent])""")
    run_cli(project, "review", "report", "ko", "--format", "json", "-o", str(project / "review.json"))
    data = json.loads((project / "review.json").read_text("utf-8"))
    expected = [[a["article"], "-" if a["score"] is None else f"{a['score']:.1f}",
                 "-" if a["passed"] is None else ("passes" if a["passed"] else "fails")] for a in data["articles"]]
    assert rows[:-1] == expected and rows[-1][0] == "total"
    assert browser.execute_script("return Chart.getChart('chart-rejections').data.datasets[2].data[0]") == 1
    TEST_OUTPUT.mkdir(exist_ok=True)
    browser.save_screenshot(str(TEST_OUTPUT / "review-report.png"))


@pytest.mark.parametrize("setting, message", [
    ("  - code: ko\n    review: maybe\n", "review must be one of off, required, sections, not 'maybe'"),
    ("review: {mode: required, weights: {minor: -1}}\n", "the weight of minor must be a number of points"),
    ("review: {sections: ['p[']}\n", "invalid CSS selector 'p['"),
    ("review: {mode: required, colour: red}\n", "unknown review setting 'colour'"),
])
def test_bad_review_settings_name_the_file_and_line(project, setting, message):
    config = project / "l10n.yaml"
    text = config.read_text("utf-8")
    text = text.replace("  - ko\n", setting, 1) if setting.startswith("  -") else text + setting
    config.write_text(text, encoding="utf-8")
    result = run_cli(project, "sync")
    assert result.exit_code == 2
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "review" in row or "maybe" in row)
    assert f"l10n.yaml:{line}" in result.output and message in result.output, result.output


REVIEW_CHECKS = ("unreviewed", "review-stale", "review-self", "review-rejected", "review-score")


def test_every_review_check_appears_in_every_report_format(project):
    """Each review check id, read back from each format with its own reader (JSON, JUnit XML, GitHub
    workflow commands, SARIF)."""
    from lxml import etree

    _review(project, "required")
    assert run_cli(project, "review", "ko", "--approve", "--reviewer", REVIEWER,
                   "--article", "ferritin-levels").exit_code == 0
    rejected = run_cli(project, "review", "ko", "--reject", "Key Takeaway", "--article", "ferritin-levels",
                       "--reviewer", REVIEWER, "--category", "accuracy", "--severity", "critical",
                       "--reason", "wrong heading")
    assert rejected.exit_code == 0, rejected.output
    po = read_po(project / FERRITIN)
    po.find("Bottom Line").msgstr = "결론 요약"                     # approved before: now stale
    own = po.find("Sources")
    record_translator(own, name="Lee Seo-yeon", date="2026-01-03")
    approve(own, reviewer="Lee Seo-yeon", date="2026-01-03")      # self-review
    write_po(project / FERRITIN, po)
    only = ["--only", ",".join(REVIEW_CHECKS)]
    found: dict[str, set[str]] = {}
    for fmt in ("text", "json", "junit", "github", "sarif"):
        result = run_cli(project, "check", *only, "--format", fmt)
        assert result.exit_code == 1, (fmt, result.output)
        out = result.stdout
        if fmt == "text":
            ids = set(re.findall(r"(?:error|warning|info)\[([a-z-]+)\]", out))
        elif fmt == "json":
            ids = {f["check"] for f in json.loads(out)["findings"]}
        elif fmt == "junit":    # errors fail a testcase; warnings are in its system-out
            tree = etree.fromstring(out.encode("utf-8"))
            ids = {f.get("type") for f in tree.iter("failure")}
            ids |= {case.get("name").split()[0] for case in tree.iter("testcase")
                    if any(f"warning[{case.get('name').split()[0]}]" in (o.text or "")
                           for o in case.iter("system-out"))}
        elif fmt == "github":
            ids = set(re.findall(r"^::(?:error|warning|notice) [^:]*title=l10n check \[([a-z-]+)\]", out, re.M))
        else:
            sarif = json.loads(out)
            ids = {r["ruleId"] for run in sarif["runs"] for r in run["results"]}
        found[fmt] = ids & set(REVIEW_CHECKS)
    assert all(ids == set(REVIEW_CHECKS) for ids in found.values()), found
