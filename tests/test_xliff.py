"""XLIFF hand-off: `l10n export LANG -o FILE.xlf` for CAT tools, and `l10n import LANG FILE.xlf` back."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from lxml import etree

from pipeline.xliff.validate import schema_errors

from .helpers import copy_project, run_cli, snapshot

X2 = "urn:oasis:names:tc:xliff:document:2.0"
X1 = "urn:oasis:names:tc:xliff:document:1.2"
N2, N1 = {"x": X2}, {"x": X1}
FERRITIN_PARAGRAPH = "Ferritin is a protein that holds iron"


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    return copy_project(tmp_path)


def _ok(result):
    assert result.exit_code == 0, result.output
    return result


def _export(project: Path, lang: str, name: str, *args: str) -> etree._Element:
    _ok(run_cli(project, "export", lang, "-o", str(project / name), *args))
    data = (project / name).read_bytes()
    assert schema_errors(data) == []
    return etree.fromstring(data)


def _catalogs(project: Path, lang: str) -> dict[str, list[tuple]]:
    """Each catalog's entries as (msgctxt, msgid, msgstr, plural forms, fuzzy)."""
    out = {}
    for path in sorted((project / "locales" / lang).glob("*.po")):
        out[path.name] = [(e.msgctxt, e.msgid, e.msgstr, tuple(sorted(e.msgstr_plural.items())),
                           "fuzzy" in e.flags) for e in polib.pofile(str(path)) if not e.obsolete]
    return out


def _unit(root: etree._Element, text: str, ns=N2) -> etree._Element:
    tag = "unit" if ns is N2 else "trans-unit"
    for unit in root.iter(f"{{{ns['x']}}}{tag}"):
        if text in "".join(unit.find("x:segment/x:source" if ns is N2 else "x:source", ns).itertext()):
            return unit
    raise AssertionError(f"no unit with {text!r}")


# --- export ---------------------------------------------------------------------------------------------


def test_xliff2_export_is_schema_valid_with_protected_codes_notes_references_and_state(project):
    root = _export(project, "ko", "hand.xlf")
    assert root.get("version") == "2.1" and root.get("srcLang") == "en" and root.get("trgLang") == "ko"
    unit = _unit(root, FERRITIN_PARAGRAPH)
    source = unit.find("x:segment/x:source", N2)
    markers = source.findall("x:ph", N2)
    assert [m.get("disp") for m in markers] == ["[1]", "[2]", "[4]", "[PM18]"]
    assert all(m.get("equiv") == m.get("disp") and m.get("canCopy") == "no" and m.get("canDelete") == "no"
               for m in markers)
    assert "[1]" not in (source.text or "") + "".join(m.tail or "" for m in markers)   # codes, not text
    assert unit.find("x:segment", N2).get("state") == "reviewed"                      # finished in ko
    byline = _unit(root, "Health Library Editorial Team")
    pc = byline.find("x:segment/x:source/x:pc", N2)
    assert (pc.get("dispStart"), pc.get("dispEnd"), pc.text) == ("<span>", "</span>", "Health Library Editorial Team")
    assert [ph.get("disp") for ph in byline.findall("x:segment/x:source/x:ph", N2)] == ["<time/>", "<span2/>"]
    target_pc = byline.find("x:segment/x:target/x:pc", N2)
    assert target_pc.get("id") == pc.get("id") and target_pc.text == "Health Library 편집팀"
    notes = {(n.get("category"), n.text) for n in byline.iter(f"{{{X2}}}note")}
    assert ("location", "source_articles/ferritin-levels.html") in notes
    assert ("location", "source_articles/vitamin-d-bone-health.html") in notes      # every article using it
    assert any(c == "developer" and "<span> = text span" in t for c, t in notes)
    # a disclaimer says so in its notes
    assert any("disclaimer: medical safety notice" in (n.text or "") for n in root.iter(f"{{{X2}}}note"))


def test_states_follow_the_catalogs_untranslated_initial_fuzzy_translated(project):
    path = project / "locales/ja/ferritin-levels.po"
    po = polib.pofile(str(path))
    done = next(e for e in po if e.translated() and not e.msgid_plural)
    done.flags.append("fuzzy")
    po.save()
    root = _export(project, "ja", "ja.xlf")
    states = {u.find("x:segment/x:source", N2).xpath("string()"): u.find("x:segment", N2).get("state")
              for u in root.iter(f"{{{X2}}}unit")}
    assert states[done.msgid] == "translated"
    assert "initial" in states.values() and "reviewed" in states.values()
    untranslated = next(u for u in root.iter(f"{{{X2}}}unit") if u.find("x:segment", N2).get("state") == "initial")
    assert untranslated.find("x:segment/x:target", N2) is None
    assert "final" not in states.values()                  # no review records: never claimed approved


def test_plural_entries_are_groups_with_one_unit_per_form(project):
    root = _export(project, "ko", "hand.xlf")
    groups = [g for g in root.iter(f"{{{X2}}}group") if g.get("type") == "l10n:plural"]
    assert len(groups) == 1
    units = groups[0].findall("x:unit", N2)
    assert len(units) == 1                                    # Korean: one plural form
    ph = units[0].find("x:segment/x:source/x:ph", N2)
    assert ph.get("disp") == "%(count)d" and ph.get("canDelete") == "no"
    assert "plural form 0 of 1" in units[0].find("x:notes/x:note", N2).text


def test_xliff12_export_is_strict_valid_and_translate_toolkit_reads_the_po_texts(project):
    from translate.storage import xliff

    path = project / "locales/ja/ferritin-levels.po"          # ja: finished, untranslated, and one fuzzy
    po = polib.pofile(str(path))
    next(e for e in po if e.translated() and not e.msgid_plural).flags.append("fuzzy")
    po.save()
    root = _export(project, "ja", "hand12.xlf", "--xliff", "1.2")
    assert root.tag == f"{{{X1}}}xliff"
    unit = _unit(root, "Health Library Editorial Team", N1)
    assert [e.tag.split("}")[1] for e in unit.find("x:source", N1)] == ["bpt", "ept", "ph", "ph"]
    _ok(run_cli(project, "export", "ja", "-o", str(project / "hand.po")))
    exported = polib.pofile(str(project / "hand.po"))
    store = xliff.xlifffile.parsefile(str(project / "hand12.xlf"))
    singular = [e for e in exported if not e.msgid_plural]
    plural_forms = sum(len(e.msgstr_plural) for e in exported if e.msgid_plural)
    assert len(store.units) == len(singular) + plural_forms
    by_source = {u.source: u for u in store.units}
    states = set()
    for entry in singular:
        unit = by_source[entry.msgid]                         # the source reads as the PO's msgid
        assert (unit.target or "") == entry.msgstr
        assert unit.getnotes("developer") == entry.comment
        assert unit.getlocations() == [path for path, _ in entry.occurrences]
        assert unit.isfuzzy() == ("fuzzy" in entry.flags)
        assert unit.isapproved() == (entry.translated() and "fuzzy" not in entry.flags)
        states.add((bool(entry.msgstr), "fuzzy" in entry.flags))
    assert states == {(True, False), (True, True), (False, False)}


def test_untranslated_and_article_select_units(project):
    root = _export(project, "ja", "part.xlf", "--untranslated", "--article", "ferritin-levels")
    locations = {n.text for n in root.iter(f"{{{X2}}}note") if n.get("category") == "location"}
    assert "source_articles/ferritin-levels.html" in locations
    assert {u.find("x:segment", N2).get("state") for u in root.iter(f"{{{X2}}}unit")} <= {"initial", "translated"}


def test_export_path_safety_applies_to_xliff(project):
    result = run_cli(project, "export", "ko", "-o", str(project / "locales/ko/hand.xlf"))
    assert result.exit_code == 2 and "locales folder" in result.output
    (project / "hand.xlf").write_text("keep")
    result = run_cli(project, "export", "ko", "-o", str(project / "hand.xlf"))
    assert result.exit_code == 2 and "--force" in result.output
    assert (project / "hand.xlf").read_text() == "keep"
    result = run_cli(project, "export", "ko", "-o", str(project / "hand.po"), "--xliff", "2.1")
    assert result.exit_code == 2 and "FILE.xlf" in result.output


# --- import ---------------------------------------------------------------------------------------------


def _fill_targets(path: Path, fill) -> None:
    """What a script that only touches <target> does: set each unit's target to fill(source element)."""
    tree = etree.parse(str(path))
    ns = tree.getroot().nsmap[None]
    for segment in tree.iter(f"{{{ns}}}segment" if ns == X2 else f"{{{ns}}}trans-unit"):
        source = segment.find(f"{{{ns}}}source")
        target = segment.find(f"{{{ns}}}target")
        new = fill(source)
        if new is None:
            continue
        if target is not None:
            segment.remove(target)
        new.tag = f"{{{ns}}}target"
        source.addnext(new)
        new.tail = source.tail
    tree.write(str(path), encoding="UTF-8", xml_declaration=True)


def _copy(source: etree._Element) -> etree._Element:
    copy = etree.fromstring(etree.tostring(source))
    copy.tail = None
    return copy


def test_untouched_delivery_changes_nothing(project):
    before = snapshot(project / "locales")
    for version in ("2.1", "1.2"):
        _export(project, "ja", f"ja{version}.xlf", "--xliff", version)
        _ok(run_cli(project, "import", "ja", str(project / f"ja{version}.xlf")))
    assert snapshot(project / "locales") == before


@pytest.mark.parametrize("version", ["2.1", "1.2"])
def test_script_filled_xliff_imports_like_the_same_po_round_trip(tmp_path, monkeypatch, version):
    """Targets set to the source text (identity) in XLIFF and in PO: the catalogs come out identical."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    by_xliff, by_po = copy_project(tmp_path / "a"), copy_project(tmp_path / "b")
    _export(by_xliff, "ja", "ja.xlf", "--xliff", version)
    _fill_targets(by_xliff / "ja.xlf", _copy)
    result = _ok(run_cli(by_xliff, "import", "ja", str(by_xliff / "ja.xlf")))
    assert "translation(s) imported" in result.output

    _ok(run_cli(by_po, "export", "ja", "-o", str(by_po / "ja.po")))
    po = polib.pofile(str(by_po / "ja.po"))
    for entry in po:
        if entry.msgid_plural:
            entry.msgstr_plural = {i: (entry.msgid if i == 0 else entry.msgid_plural) for i in entry.msgstr_plural}
        else:
            entry.msgstr = entry.msgid
    po.save()
    _ok(run_cli(by_po, "import", "ja", str(by_po / "ja.po")))
    assert _catalogs(by_xliff, "ja") == _catalogs(by_po, "ja")
    # and the identity build is the same page
    _ok(run_cli(by_xliff, "build", "-l", "ja"))
    _ok(run_cli(by_po, "build", "-l", "ja"))
    assert snapshot(by_xliff / "output") == snapshot(by_po / "output")


def test_translated_targets_come_back_with_their_codes_and_fuzzy_stays_fuzzy(project):
    _export(project, "ja", "ja.xlf")

    blood_loss = "Ongoing symptoms:"     # untranslated in ja, with a <b> and a citation marker

    def fill(source):
        if blood_loss not in source.xpath("string()"):
            return None
        target = _copy(source)
        target[0].text = "出血："
        target[0].tail = "月経の量が多いことは原因です。"
        return target

    _fill_targets(project / "ja.xlf", fill)
    tree = etree.parse(str(project / "ja.xlf"))
    unit = _unit(tree.getroot(), blood_loss)
    unit.find("x:segment", N2).set("state", "translated")       # translated, not reviewed: fuzzy
    tree.write(str(project / "ja.xlf"))
    _ok(run_cli(project, "import", "ja", str(project / "ja.xlf")))
    entry = next(e for e in polib.pofile(str(project / "locales/ja/ferritin-levels.po"))
                 if e.msgid.startswith("<b>" + blood_loss))
    assert entry.msgstr == "<b>出血：</b>月経の量が多いことは原因です。[3]"
    assert re.findall(r"\[[A-Z]*\d+\]", entry.msgstr) == ["[3]"]
    assert "fuzzy" in entry.flags


@pytest.mark.parametrize("version", ["2.1", "1.2"])
@pytest.mark.parametrize("damage", ["dropped", "duplicated", "misnested", "typed", "typed code"])
def test_a_target_with_broken_codes_is_refused_naming_the_unit(project, version, damage):
    root = _export(project, "ko", "ko.xlf", "--xliff", version)
    ns = N2 if version == "2.1" else N1
    unit = _unit(root, "Health Library Editorial Team", ns)
    target = unit.find("x:segment/x:target" if ns is N2 else "x:target", ns)
    codes = list(target)
    if damage == "dropped":
        target.remove(codes[-1])
    elif damage == "duplicated":
        target.append(_copy(codes[-1]))
    elif damage == "misnested":
        if ns is N2:     # a start and end code pair closed before it opens
            pc = codes[0]
            ec = etree.SubElement(target, f"{{{X2}}}ec", startRef=pc.get("id"))
            target.remove(pc)
            target.insert(0, ec)
            target.append(etree.Element(f"{{{X2}}}sc", id=pc.get("id")))
        else:
            bpt, ept = codes[0], codes[1]
            target.remove(bpt)
            ept.addnext(bpt)
    elif damage == "typed":
        target.text = "<b>" + (target.text or "")
    else:                # a code's token typed as text beside the code itself
        codes[-1].tail = (codes[-1].tail or "") + " <time/>"
    (project / "ko.xlf").write_bytes(etree.tostring(root))
    before = snapshot(project / "locales")
    result = run_cli(project, "import", "ko", str(project / "ko.xlf"))
    assert result.exit_code == 2, result.output
    assert f"unit {unit.get('id')!r}" in result.output and "inline codes do not match" in result.output
    assert snapshot(project / "locales") == before


def test_wrong_language_or_unparsable_xliff_exits_2_and_writes_nothing(project):
    _export(project, "ja", "ja.xlf")
    before = snapshot(project)
    result = run_cli(project, "import", "ko", str(project / "ja.xlf"))
    assert result.exit_code == 2 and "'ja'" in result.output
    (project / "bad.xlf").write_text("<xliff><unit>")
    result = run_cli(project, "import", "ko", str(project / "bad.xlf"))
    assert result.exit_code == 2 and "not an XLIFF file" in result.output
    (project / "bad.xlf").unlink()
    assert snapshot(project) == before


def test_conflicts_kept_unless_overwrite_and_leftovers_written(project):
    root = _export(project, "ko", "ko.xlf")
    unit = _unit(root, "Key Takeaway")
    unit.find("x:segment/x:target", N2).text = "요점"
    extra = etree.fromstring(etree.tostring(unit))
    extra.set("id", "extra")
    extra.find("x:segment/x:source", N2).text = "A sentence no article has"
    unit.addnext(extra)
    (project / "ko.xlf").write_bytes(etree.tostring(root))
    result = _ok(run_cli(project, "import", "ko", str(project / "ko.xlf")))
    assert "conflict, kept" in result.output and "1 leftover(s)" in result.output
    leftovers = polib.pofile(str(project / "ko.leftovers.po"))
    assert [e.msgid for e in leftovers] == ["A sentence no article has"]
    entry = next(e for e in polib.pofile(str(project / "locales/ko/ferritin-levels.po")) if e.msgid == "Key Takeaway")
    assert entry.msgstr == "핵심 요약"
    _ok(run_cli(project, "import", "ko", str(project / "ko.xlf"), "--overwrite", "--leftovers",
                str(project / "rest.po")))
    entry = next(e for e in polib.pofile(str(project / "locales/ko/ferritin-levels.po")) if e.msgid == "Key Takeaway")
    assert entry.msgstr == "요점"


# --- TMX ------------------------------------------------------------------------------------------------


def test_tmx_carries_inline_codes_and_reads_back_as_the_catalog_text(project, tmp_path):
    from translate.storage import tmx

    out = tmp_path / "ko.tmx"
    _ok(run_cli(project, "tm", "export", "ko", "-o", str(out)))
    root = etree.parse(str(out)).getroot()
    byline = next(tu for tu in root.iter("tu") if "Editorial Team" in "".join(tu.find("tuv/seg").itertext()))
    seg = byline.find("tuv/seg")
    assert [(c.tag, c.text) for c in seg] == [("bpt", "<span>"), ("ept", "</span>"), ("ph", "<time/>"),
                                              ("ph", "<span2/>")]
    assert seg[0].get("i") == seg[1].get("i")
    cited = next(tu for tu in root.iter("tu") if FERRITIN_PARAGRAPH in "".join(tu.find("tuv/seg").itertext()))
    assert [(c.tag, c.get("type"), c.text) for c in cited.find("tuv/seg")] == [
        ("ph", "x-citation", m) for m in ("[1]", "[2]", "[4]", "[PM18]")]
    assert "[1]" not in (cited.find("tuv/seg").text or "")
    # a CAT tool's reader sees the catalog's text, and so does our import
    store = tmx.tmxfile.parsefile(str(out))
    ferritin = polib.pofile(str(project / "locales/ko/ferritin-levels.po"))
    entry = next(e for e in ferritin if e.msgid.startswith("<span>"))
    assert (entry.msgid, entry.msgstr) in {(u.source, u.target) for u in store.units}
    _ok(run_cli(project, "tm", "import", "ko", str(out)))
    imported = {(e.msgid, e.msgstr) for e in polib.pofile(str(project / "locales/_memory/ko.po"))}
    assert (entry.msgid, entry.msgstr) in imported
    assert {(e.msgid, e.msgstr) for e in ferritin if e.msgstr and not e.msgid_plural} <= imported


def test_a_translation_that_lost_its_codes_is_not_offered_as_target(project):
    path = project / "locales/ko/ferritin-levels.po"
    po = polib.pofile(str(path))
    entry = next(e for e in po if e.msgid.startswith("<span>Health Library"))
    entry.msgstr = "Health Library 편집팀 · <time/> · <span2/>"          # <span> lost: held back at build
    po.save()
    root = _export(project, "ko", "ko.xlf")
    unit = _unit(root, "Health Library Editorial Team")
    assert unit.find("x:segment", N2).get("state") == "initial"
    assert unit.find("x:segment/x:target", N2) is None
    assert any("does not keep this text's codes" in n.text for n in unit.iter(f"{{{X2}}}note"))
    before = snapshot(project / "locales")
    _ok(run_cli(project, "import", "ko", str(project / "ko.xlf")))      # returned untouched: no change
    assert snapshot(project / "locales") == before


# --- any text: codes survive the trip -------------------------------------------------------------------

from hypothesis import assume, given, settings  # noqa: E402
from hypothesis import strategies as st

from pipeline.po.model import Catalog, Entry  # noqa: E402
from pipeline.xliff import write_xliff  # noqa: E402
from pipeline.xliff.codes import join, parse_source  # noqa: E402
from pipeline.xliff.read import read_xliff  # noqa: E402

_WORDS = st.sampled_from(["Iron", " stores", " < 50", " 5 mg/L", " & ", " \u00a0", "é", " x<y", " [", "]", " ·"])
_MARKERS = st.sampled_from(["[1]", "[PM18]", "[2, 3]", "[1\u20133]"])


@st.composite
def _texts(draw, depth: int = 0) -> str:
    parts: list[str] = []
    names = iter(["b", "i", "a", "b2", "sup", "span"][depth * 2:])
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["word", "word", "marker", "void", "pair"] if depth < 2 else ["word", "marker"]))
        if kind == "word":
            parts.append(draw(_WORDS))
        elif kind == "marker":
            parts.append(" " + draw(_MARKERS))
        elif kind == "void":
            parts.append(draw(st.sampled_from(["<br/>", "<time/>", "<img/>"])))
        else:
            name = next(names, None)
            if name:
                parts.append(f"<{name}>{draw(_texts(depth + 1))}</{name}>")
    return "".join(parts) or "Text"


@settings(max_examples=80, deadline=None)
@given(text=_texts(), version=st.sampled_from(["2.1", "1.2"]), described=st.booleans())
def test_any_text_goes_out_as_codes_and_comes_back_the_same(text, version, described):
    """Placeholders (described by the #. comment, or inferred without one) and markers become codes."""
    tokens = re.findall(r"<\w+/?>", text)
    assume(len(tokens) == len(set(tokens)))          # the pipeline names each placeholder once (b, b2 ...)
    placeholders = sorted(set(tokens))
    comment = "\n".join(["paragraph", *(f"{p} = a tag" for p in placeholders)]) if described else ""
    tree, codes = parse_source(text)
    assert join(tree) == text
    po = Catalog()
    po.metadata = {"Language": "ko"}
    po.append(Entry(msgid=text, msgstr=text, comment=comment))
    data = write_xliff(po, version=version, source_language="en", target_language="ko", original="t")
    assert schema_errors(data) == []
    source = next(etree.fromstring(data).iter(f"{{{X2}}}source", f"{{{X1}}}source"))
    elements = source.xpath(".//*[local-name()!='ept']")           # one per code: pc/bpt, ph
    expected = len(re.findall(r"<\w+/?>", text)) + len(re.findall(r"\[[A-Z]*\d[^\]]*\]", text))
    assert len(elements) == expected and not re.search(r"<\w+/?>|\[\d", "".join(source.xpath("text()")))
    back = read_xliff(data, path="t.xlf")
    assert [(e.msgid, e.msgstr, "fuzzy" in e.flags) for e in back] == [(text, text, False)]


@pytest.mark.parametrize("version", ["2.1", "1.2"])
def test_codes_rewritten_as_cat_tools_write_them_import(project, version):
    """2.1 start/end codes for a <pc>, 1.2 <g>/<x/> for <bpt>/<ept>/<ph>: the same codes, by id."""
    root = _export(project, "ko", "ko.xlf", "--xliff", version)
    ns = N2 if version == "2.1" else N1
    unit = _unit(root, "Health Library Editorial Team", ns)
    target = unit.find("x:segment/x:target" if ns is N2 else "x:target", ns)
    ids = [c.get("id") for c in target if not c.tag.endswith("ept")]
    for child in list(target):
        target.remove(child)
    target.text = None
    q = f"{{{ns['x']}}}"
    if version == "2.1":
        pair = [etree.SubElement(target, q + "sc", id=ids[0]), etree.SubElement(target, q + "ec", startRef=ids[0])]
        pair[0].tail = "편집팀"
        void = [etree.SubElement(target, q + "ph", id=i) for i in ids[1:]]
    else:
        g = etree.SubElement(target, q + "g", id=ids[0])
        g.text = "편집팀"
        void = [etree.SubElement(target, q + "x", id=i) for i in ids[1:]]
    void[0].getprevious().tail = " · "
    void[0].tail = " | "
    (project / "ko.xlf").write_bytes(etree.tostring(root))
    _ok(run_cli(project, "import", "ko", str(project / "ko.xlf"), "--overwrite"))
    entry = next(e for e in polib.pofile(str(project / "locales/ko/ferritin-levels.po"))
                 if e.msgid.startswith("<span>Health"))
    assert entry.msgstr == "<span>편집팀</span> · <time/> | <span2/>"
