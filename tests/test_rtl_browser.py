"""An Arabic page as Chromium lays it out: citation markers stay `[1]` and sit at the end of their sentence
(its left side), English fallbacks read left to right. Positions come from the DOM, not from looking."""

from __future__ import annotations

from pathlib import Path

from pipeline.core.locales import parse_locale
from pipeline.core.model import Translation
from pipeline.html.build import assemble_html
from pipeline.html.extract import SegmentPolicy, document_from_bytes

from .conftest import TEST_OUTPUT

SOURCE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Iron</title>
<style>body { font: 20px "Noto Naskh Arabic", serif; width: 800px; } p { margin: 1em; }</style></head>
<body>
<h1>Iron stores</h1>
<p id="cited">Ferritin holds iron inside the body.<sup class="cite"><a href="#src-1">[1]</a></sup> Low levels are common.</p>
<p id="bare">Most adults need iron every day [2] from food.</p>
<p id="english">This sentence has no translation yet.</p>
</body>
</html>
"""
#: Arabic written for this test (not copied from any site).
ARABIC = {
    "Iron stores": "مخزون الحديد",
    "Ferritin holds iron inside the body.[1] Low levels are common.":
        "يحفظ الفيريتين الحديد داخل الجسم.[1] انخفاض مستواه شائع.",
    "Most adults need iron every day [2] from food.": "يحتاج معظم البالغين إلى الحديد كل يوم [2] من الطعام.",
}

#: The rectangles the test reads: the marker's link, the text just before it, and the brackets' glyphs.
_MEASURE = """
function rectOf(node, start, end) {
  const range = document.createRange();
  range.setStart(node, start); range.setEnd(node, end);
  const r = range.getBoundingClientRect();
  return {left: r.left, right: r.right, top: r.top, bottom: r.bottom};
}
const cited = document.getElementById('cited');
const before = cited.firstChild;                       // the Arabic sentence before the marker
const link = cited.querySelector('sup a').firstChild;  // "[1]"
const bare = document.getElementById('bare').firstChild;
const at = bare.data.indexOf('[2]');
const english = document.getElementById('english');
return {
  sentence: rectOf(before, 0, before.data.length),
  marker: rectOf(link, 0, link.data.length),
  open: rectOf(link, 0, 1), close: rectOf(link, 2, 3),
  bareOpen: rectOf(bare, at, at + 1), bareClose: rectOf(bare, at + 2, at + 3),
  englishDirection: getComputedStyle(english).direction,
  pageDirection: getComputedStyle(document.body).direction,
};
"""


def test_an_arabic_page_keeps_markers_whole_and_on_the_side_their_sentence_ends(browser, tmp_path):
    doc = document_from_bytes(SOURCE.encode(), path=Path("iron.html"), slug="iron", reference="iron.html")
    table = {(None, k): Translation(v) for k, v in ARABIC.items()}
    built = assemble_html(doc, SegmentPolicy(), table.get, locale=parse_locale("ar"), source_language="en",
                          article_path="iron.html")
    page = tmp_path / "iron.html"
    page.write_bytes(built.html)
    browser.get(page.as_uri())
    rects = browser.execute_script(_MEASURE)
    TEST_OUTPUT.mkdir(exist_ok=True)
    browser.save_screenshot(str(TEST_OUTPUT / "rtl-arabic-page.png"))

    assert rects["pageDirection"] == "rtl" and rects["englishDirection"] == "ltr"
    # "[1]" reads left to right: its "[" is left of its "]" (not "]1[")
    assert rects["open"]["left"] < rects["close"]["left"]
    assert rects["bareOpen"]["left"] < rects["bareClose"]["left"]
    # right to left, the sentence ends on its left: the marker that follows it stands left of it, on its line
    same_line = abs(rects["marker"]["top"] - rects["sentence"]["top"]) < rects["sentence"]["bottom"] - \
        rects["sentence"]["top"]
    assert same_line and rects["marker"]["right"] <= rects["sentence"]["left"] + 1, rects
