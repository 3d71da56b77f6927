"""JSON-LD structured data: its text fields are units, and the build writes valid JSON back in the page's
language, with nothing a translation could use to close the script element."""

from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest

from pipeline.core.locales import parse_locale
from pipeline.core.model import Translation
from pipeline.html.build import assemble_html, translated_jsonld
from pipeline.html.extract import SegmentPolicy, document_from_bytes, segment_units

from .helpers import copy_project, parse_html, run_cli

KO = parse_locale("ko")
PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<title>Iron</title>
<script type="application/ld+json">
{
  "@context": "https://schema.org",
  "@type": "MedicalWebPage",
  "headline": "Iron and You",
  "alternativeHeadline": "What iron does",
  "inLanguage": "en",
  "author": {"@type": "Person", "name": "Dr. Jane Doe"},
  "publisher": {"@type": "Organization", "name": "Health Library"}
}
</script>
<script type="application/ld+json">{ not json </script>
<script type="application/ld+json" translate="no">{"headline": "Kept as written"}</script>
</head>
<body><h1>Iron and You</h1><p>Iron is stored in ferritin.</p>
<script type="application/ld+json">{"@graph": [{"@type": "FAQPage", "name": "Questions about iron"}]}</script>
</body>
</html>
"""


def _doc(text: str = PAGE):
    return document_from_bytes(text.encode(), path=Path("iron.html"), slug="iron", reference="iron.html")


def _scripts(root) -> list[str]:
    return [el.text or "" for el in root.iter("script")]


def test_the_page_texts_of_jsonld_are_units_with_their_path_and_people_are_not():
    units = segment_units(_doc(), SegmentPolicy())
    jsonld = [u for u in units if u.role.name == "STRUCTURED_DATA"]
    assert [(u.msgid, u.notes) for u in jsonld] == [
        ("Iron and You", ("JSON-LD headline",)),
        ("What iron does", ("JSON-LD alternativeHeadline",)),
        ("Questions about iron", ("JSON-LD @graph[0].name",)),
    ]
    assert not any(u.msgid in ("Dr. Jane Doe", "Health Library", "Kept as written") for u in units)


def test_jsonld_fields_choose_the_properties():
    units = segment_units(_doc(), SegmentPolicy(jsonld_fields=("headline",)))
    assert [u.msgid for u in units if u.role.name == "STRUCTURED_DATA"] == ["Iron and You"]


def test_the_build_writes_valid_json_in_the_page_language_and_keeps_the_rest_as_written():
    translations = {"Iron and You": "철분과 당신", "What iron does": "철분이 하는 일",
                    "Questions about iron": "철분에 관한 질문"}
    doc = _doc()
    out = assemble_html(doc, SegmentPolicy(),
                        lambda key: Translation(translations[key[1]]) if key[1] in translations else None,
                        locale=KO, source_language="en", article_path="iron.html")
    scripts = _scripts(parse_html(out.html))
    first = json.loads(scripts[0])
    assert first["headline"] == "철분과 당신" and first["alternativeHeadline"] == "철분이 하는 일"
    assert first["inLanguage"] == "ko" and first["author"]["name"] == "Dr. Jane Doe"
    assert scripts[0].replace("철분과 당신", "Iron and You").replace("철분이 하는 일", "What iron does").replace(
        '"ko"', '"en"') == _scripts(parse_html(PAGE.encode()))[0]          # nothing else moved
    assert scripts[1] == "{ not json "                                       # not JSON: left as it was
    assert json.loads(scripts[2]) == {"headline": "Kept as written"}
    assert json.loads(scripts[3])["@graph"][0]["name"] == "철분에 관한 질문"


@pytest.mark.parametrize("text", ["</script><script>alert(1)</script>", "a < b & c > d <!-- x", "</SCRIPT >"])
def test_no_translation_can_close_the_script_element(text):
    out = translated_jsonld('{"headline": "Iron"}', [(("headline",), text)], language="ko")
    assert "<" not in out and ">" not in out and "&" not in out
    assert json.loads(out) == {"headline": text}


def test_a_translation_with_markup_is_not_published_and_the_page_still_parses():
    doc = _doc()
    out = assemble_html(doc, SegmentPolicy(),
                        lambda key: Translation("</script><b>x</b>") if key[1] == "Iron and You" else None,
                        locale=KO, source_language="en", article_path="iron.html")
    root = parse_html(out.html)
    assert json.loads(_scripts(root)[0])["headline"] == "Iron and You"      # fell back: tags are not text
    assert len(list(root.iter("script"))) == 4
    assert any("Iron and You" in f.message for f in out.fallbacks)


def test_the_sample_page_publishes_its_structured_data_in_korean(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    project = copy_project(tmp_path)
    result = run_cli(project, "sync")
    assert result.exit_code == 0, result.output
    root = parse_html((project / "output" / "ko" / "vitamin-d-bone-health.html").read_bytes())
    data = json.loads(next(el.text for el in root.iter("script") if el.get("type") == "application/ld+json"))
    assert data["headline"] == "".join(root.find(".//h1").itertext())
    assert data["description"] == root.find(".//meta[@name='description']").get("content")
    assert data["inLanguage"] == "ko" and data["author"]["name"] == "Health Library Editorial Team"
    po = polib.pofile(str(project / "locales" / "ko" / "vitamin-d-bone-health.po"))
    assert "JSON-LD headline" in po.find(data["headline"], by="msgstr").comment
