"""What `l10n check` fails is never published: one verdict for the build and the checks (issue 11).

The equivalence is tested on the real commands' results: `l10n check --format json` findings against the
fallbacks of a real build (``plan_run``, as `l10n build -v` lists them), on every case of the check corpus
and on mutations of every Korean translation of the sample project.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import polib
import pytest

from pipeline.text.placeholders import find_markers
from pipeline.text.quantities import compare_numbers
from pipeline.text.reasons import SAFETY_CHECKS
from pipeline.text.verdict import disclaimer_problems
from pipeline.workflow import RunOptions, open_project, plan_run
from tests.helpers import copy_project, parse_html, run_cli
from tests.test_checks import CASES, make_case

BUILD = frozenset({"build"})
DISCLAIMER_KO = "<b>중요 안내:</b> 재미로 읽으세요."


def _safety_findings(project: Path, *args: str) -> dict[tuple[str, str, str], set[tuple[str, str]]]:
    """(locale, article, msgid) -> the (safety check, severity) findings on it, from `check --format json`."""
    out = project / "check.json"
    run_cli(project, "check", "--format", "json", "-o", str(out), *args)
    report = json.loads(out.read_text(encoding="utf-8"))
    out.unlink()
    entries: dict[str, dict[int, polib.POEntry]] = {}
    found: dict[tuple[str, str, str], set[tuple[str, str]]] = {}
    for finding in report["findings"]:
        if finding["check"] not in SAFETY_CHECKS or not finding.get("line"):
            continue
        path = finding["path"]
        if path not in entries:
            entries[path] = {e.linenum: e for e in polib.pofile(str(project / path))}
        entry = entries[path].get(finding["line"])
        if entry is not None:
            key = (finding["locale"], finding["article"], entry.msgid)
            found.setdefault(key, set()).add((finding["check"], finding["severity"]))
    return found


def _build(project: Path) -> tuple[list, dict[str, set[str]]]:
    """A real build's fallback findings and, per locale, the articles it does not publish."""
    result = plan_run(open_project(project / "l10n.yaml"),
                      RunOptions(steps=BUILD, keep_going=True, jobs=1, fallbacks=True))
    unpublished = {code: {slug for slug, _ in s.unpublished} for code, s in result.summaries.items()}
    return result.fallbacks, unpublished


def _fell_back(fallbacks: list, locale: str, slug: str, msgid: str) -> list[str]:
    """The reasons the build gave for falling back on a unit (a unit may stand in several places)."""
    return [f.message.partition(":")[0] for f in fallbacks
            if f.locale == locale and Path(f.path).stem == slug and f.message.endswith(repr(msgid[:80]))]


def _assert_one_verdict(project: Path) -> dict[tuple[str, str, str], set[tuple[str, str]]]:
    """Every error-level safety finding is a fallback of a real build; every unit the build holds back
    for a wrong translation has a finding (at the severity l10n.yaml gives the check: it changes how
    `check` reports, never what is published)."""
    findings = _safety_findings(project)
    fallbacks, unpublished = _build(project)
    for (locale, slug, msgid), checks in findings.items():
        if not any(severity == "error" for _, severity in checks) or slug in unpublished.get(locale, ()):
            continue  # nothing of it is published
        assert _fell_back(fallbacks, locale, slug, msgid), \
            f"check fails {msgid!r} in {locale}/{slug} ({sorted(checks)}) but the build publishes it"
    for finding in fallbacks:
        reason, _, rest = finding.message.partition(": ")
        if reason in ("citation", "tag", "number") or (reason == "disclaimer" and "not completely" not in rest):
            slug = Path(finding.path).stem
            assert any(loc == finding.locale and s == slug and finding.message.endswith(repr(m[:80]))
                       for loc, s, m in findings), f"the build held back what check passes: {finding.message}"
    return findings


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir() and p.name != "_base"))
def test_every_case_of_the_check_corpus_gets_one_verdict(tmp_path, case):
    _assert_one_verdict(make_case(case, tmp_path))


def _mutations(entry: polib.POEntry, disclaimer: bool) -> list[tuple[str, str]]:
    """Ways to break a translation, each (kind, new msgstr), for the ones that apply to it."""
    s, found = entry.msgstr, []
    if disclaimer:
        found.append(("disclaimer-cut", DISCLAIMER_KO))
    if find_markers(s):
        found.append(("drop-marker", s.replace(find_markers(s)[0], "", 1)))
    number = re.search(r"\d+", re.sub(r"\[[^\]]*\]", "", s))
    if number and re.search(r"\d", re.sub(r"\[[^\]]*\]", "", entry.msgid)):
        found.append(("change-number", s.replace(number.group(), number.group() + "0", 1)))
    if " mg" in s:
        found.append(("change-unit", s.replace(" mg", " g", 1)))
    if "</b>" in s:
        found.append(("unbalanced", s.replace("</b>", "", 1)))
        found.append(("drop-placeholder", s.replace("<b>", "").replace("</b>", "")))
    found.append(("added-marker", s + " [77]"))
    found.append(("raw-tag", "<i>" + s + "</i>"))
    found.append(("entity", s + " &amp;"))
    return found


def test_generated_mutations_of_every_korean_translation_get_one_verdict(tmp_path):
    project = copy_project(tmp_path)
    # most units are broken on purpose: publish every article anyway, so every verdict is on the page
    config = project / "l10n.yaml"
    config.write_text(config.read_text("utf-8").replace("publish_threshold: 0.5", "publish_threshold: 0.0"),
                      encoding="utf-8")
    run_cli(project, "sync")
    rng = random.Random(11)
    broken: dict[tuple[str, str], str] = {}
    for path in sorted((project / "locales" / "ko").glob("*.po")):
        po = polib.pofile(str(path))
        for entry in po:
            if entry.obsolete or entry.msgid_plural or not entry.msgstr or "fuzzy" in entry.flags:
                continue
            if rng.random() < 0.3:
                continue  # some stay as the translator wrote them: they must be published
            options = _mutations(entry, "disclaimer" in entry.comment)
            rng.shuffle(options)  # then the kind tried least so far: every kind gets its turn
            kind, msgstr = min(options, key=lambda option: list(broken.values()).count(option[0]))
            entry.msgstr = msgstr
            broken[(path.stem, entry.msgid)] = kind
        po.save(str(path))
    findings = _assert_one_verdict(project)
    missed = {key: kind for key, kind in broken.items() if ("ko", *key) not in findings}
    assert not missed, f"mutations no check found: {missed}"
    assert len(set(broken.values())) == 9, "every kind of mutation was tried"


def test_a_changed_dose_is_held_back_and_listed(tmp_path):
    """The issue's repro: "약 18 mg" -> "약 180 mg" in the Korean ferritin catalog."""
    project = copy_project(tmp_path)
    catalog = project / "locales" / "ko" / "ferritin-levels.po"
    text = catalog.read_text(encoding="utf-8")
    assert text.count("약 18 mg") == 1
    catalog.write_text(text.replace("약 18 mg", "약 180 mg"), encoding="utf-8")
    result = run_cli(project, "sync", "-v")
    assert result.exit_code == 0, result.output
    page = (project / "output" / "ko" / "ferritin-levels.html").read_bytes()
    assert "180 mg".encode() not in page
    (item,) = [li for li in parse_html(page).iter("li") if "18 mg" in li.text_content()]
    assert item.get("lang") == "en" and "adult men need about 8 mg" in item.text_content()
    listed = [line for line in result.output.splitlines() if "fallback to en: number:" in line]
    assert len(listed) == 1 and listed[0].startswith("source_articles/ferritin-levels.html:")
    assert "“18 mg” of the source is missing" in listed[0]
    table = _reasons_table(result.output)
    assert table["ko"] == {"missing": 0, "fuzzy": 0, "unreviewed": 0, "citation": 0, "tag": 0, "number": 1, "disclaimer": 0,
                           "held back": 1}
    strict = run_cli(project, "sync", "--strict")
    assert strict.exit_code == 1 and "1 unit(s) held back" in strict.output
    check = run_cli(project, "check", "-l", "ko")
    assert check.exit_code == 1 and "error[numbers]: number “18 mg” of the source is missing" in check.output


def _reasons_table(output: str) -> dict[str, dict[str, int]]:
    """The summary's fallbacks-by-reason table, as {locale: {reason: count}}."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("fallbacks "))
    header = re.split(r"\s{2,}", lines[start].strip())
    rows = {}
    for line in lines[start + 1:]:
        cells = re.split(r"\s{2,}", line.strip())
        if len(cells) != len(header):
            break
        rows[cells[0]] = dict(zip(header[1:], map(int, cells[1:])))
    return rows


def test_a_disclaimer_cut_short_falls_back_whole_and_fails_check(tmp_path):
    project = copy_project(tmp_path)
    for path in (project / "locales" / "ko").glob("*.po"):
        po = polib.pofile(str(path))
        (entry,) = [e for e in po if "disclaimer" in e.comment]
        entry.msgstr = DISCLAIMER_KO
        po.save(str(path))
    result = run_cli(project, "sync", "-v")
    assert result.exit_code == 0, result.output
    assert _reasons_table(result.output)["ko"]["disclaimer"] == 3
    for page in (project / "output" / "ko").glob("*.html"):
        (aside,) = parse_html(page.read_bytes()).cssselect("aside.disclaimer")
        (paragraph,) = aside.iter("p")
        assert paragraph.get("lang") == "en" and "Important Notice:" in paragraph.text_content()
        assert "재미로" not in page.read_text(encoding="utf-8")
    check = run_cli(project, "check", "-l", "ko")
    lines = [line for line in check.output.splitlines() if "error[disclaimer]" in line]
    assert check.exit_code == 1 and len(lines) == 3
    assert all("1 sentence(s), its source 2" in line and "of its source's length" in line for line in lines)
    assert run_cli(project, "sync", "--strict").exit_code == 1


def test_the_sample_disclaimers_fit_the_rule_and_short_ones_do_not():
    source = ("<b>Important Notice:</b> This information is provided for general education only and is not a "
              "substitute for professional medical advice, diagnosis, or treatment. Always ask a qualified "
              "healthcare provider about any medical question or decision.")
    for lang in ("ko", "ja"):
        po = polib.pofile(str(Path(__file__).parent.parent / "locales" / lang / "ferritin-levels.po"))
        (entry,) = [e for e in po if e.msgid == source]
        assert disclaimer_problems(source, entry.msgstr) == [], lang
    assert any("sentence" in p for p in disclaimer_problems(source, DISCLAIMER_KO))
    dropped_lead = "<b></b> 이 정보는 일반적인 교육 목적으로만 제공되며, 전문적인 의학적 조언, 진단 또는 치료를 " \
                   "대신할 수 없습니다. 의학적 질문이나 결정에 관해서는 항상 자격을 갖춘 의료 전문가와 상의하세요."
    assert any("lead-in <b> has no text" in p for p in disclaimer_problems(source, dropped_lead))
    padded = DISCLAIMER_KO + " 가나다라." * 60
    assert any("of its source's length" in p for p in disclaimer_problems(source, padded))


def test_a_translation_left_with_the_old_number_after_the_source_changed_is_held_back(tmp_path):
    """10 mg -> 15 mg in the English, the fuzzy flag removed by hand: the old dose is never published."""
    project = copy_project(tmp_path)
    run_cli(project, "sync")
    article = project / "source_articles" / "ferritin-levels.html"
    html = article.read_text(encoding="utf-8")
    assert html.count("about 18 mg") == 1
    article.write_text(html.replace("about 18 mg", "about 15 mg"), encoding="utf-8")
    run_cli(project, "sync")
    catalog = project / "locales" / "ko" / "ferritin-levels.po"
    po = polib.pofile(str(catalog))
    (entry,) = [e for e in po if "about 15 mg" in e.msgid]
    assert "fuzzy" in entry.flags and "18 mg" in entry.msgstr
    entry.flags.remove("fuzzy")
    entry.previous_msgid = None
    po.save(str(catalog))
    result = run_cli(project, "sync", "-v")
    assert "fallback to en: number: number “15 mg” of the source is missing" in result.output
    assert "18 mg".encode() not in (project / "output" / "ko" / "ferritin-levels.html").read_bytes()


def test_a_changed_unit_is_found_even_when_the_bare_number_appears_elsewhere():
    """Found by the mutation test: "8 mg" -> "8 g" hid behind the "8" of "4~8세"."""
    source = "adult men need about 8 mg of iron a day, and children aged 4 to 8 need about 10 mg."
    (problem,) = compare_numbers(source, "성인 남성은 하루 약 8 g, 4~8세 어린이는 약 10 mg이 필요합니다.",
                                 source_locale="en", target_locale="ko")
    assert problem.source.text == "8 mg" and problem.found is not None and problem.found.text == "8 g"
    assert compare_numbers(source, "성인 남성은 하루 약 8밀리그램, 4~8세 어린이는 약 10 mg이 필요합니다.",
                           source_locale="en", target_locale="ko") == []
