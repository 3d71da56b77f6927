"""Language marking as screen readers and bidi need it: `lang="en"` marks only English, the page's language
comes back inside it, and right-to-left pages isolate what is left-to-right."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from pipeline.core.locales import parse_locale
from pipeline.core.model import CountPhrase, Translation
from pipeline.html.build import assemble_html
from pipeline.html.extract import SegmentPolicy, document_from_bytes
from pipeline.po.catalog import lookup_table
from pipeline.po.files import read_po
from pipeline.text.placeholders import LRI, PDI

from .helpers import ROOT, parse_html

PHRASE = CountPhrase("{count} min read", "{count} min read")
POLICY = SegmentPolicy(count_phrases=(PHRASE,), ignore_selectors=(".sources .source-title",))
KO, AR = parse_locale("ko"), parse_locale("ar")
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _doc(markup: str, name: str = "a.html"):
    return document_from_bytes(markup.encode(), path=Path(name), slug=Path(name).stem, reference=name)


def _build(markup: str, table: dict[str, str], locale=KO):
    lookup = {(None, k): Translation(v) for k, v in table.items()}
    return parse_html(assemble_html(_doc(markup), POLICY, lookup.get, locale=locale, source_language="en",
                                    article_path="a.html").html)


def _lang_of(el) -> str | None:
    while el is not None and el.get("lang") is None:
        el = el.getparent()
    return None if el is None else el.get("lang")


def test_a_translated_item_inside_one_that_fell_back_carries_the_page_language():
    page = ('<!DOCTYPE html><html lang="en"><body><ul><li>Outer text<ul><li>Inner text</li></ul></li></ul>'
            '</body></html>')
    root = _build(page, {"Inner text": "안쪽 글"})
    outer, inner = root.findall(".//li")
    assert outer.get("lang") == "en" and inner.get("lang") == "ko" and inner.text == "안쪽 글"


def test_a_byline_that_stayed_english_marks_its_localized_date_and_reading_time_korean():
    page = ('<!DOCTYPE html><html lang="en"><body><p class="byline"><span class="author">Team</span> · '
            '<time datetime="2026-03-05">March 5, 2026</time> · <span class="reading-time">6 min read</span></p>'
            '</body></html>')
    root = _build(page, {"%(count)d min read": "%(count)d분 분량"})
    byline = root.find(".//p")
    assert byline.get("lang") == "en"
    time, reading = byline.find("time"), byline.find("span[@class='reading-time']")
    assert time.text == "2026년 3월 5일" and time.get("lang") == "ko"
    assert reading.text == "6분 분량" and reading.get("lang") == "ko"
    assert byline.find("span[@class='author']").get("lang") is None     # English, as its parent says


def test_a_source_element_marked_english_that_is_translated_says_korean():
    root = _build('<!DOCTYPE html><html lang="en"><body><p lang="en">Iron matters.</p></body></html>',
                  {"Iron matters.": "철분은 중요합니다."})
    assert root.find(".//p").get("lang") == "ko"


@pytest.mark.parametrize("seed", range(6))
def test_nothing_korean_is_ever_under_lang_en_whatever_falls_back(seed):
    """Every sample article built with a random half of its Korean translations: each text node whose
    language is English holds no Hangul, and each Korean one is under lang="ko"."""
    rng = random.Random(seed)
    for source in sorted((ROOT / "source_articles").glob("*.html")):
        po = read_po(ROOT / "locales" / "ko" / f"{source.stem}.po")
        table = {k: v for k, v in lookup_table(po).items() if rng.random() < 0.5}
        doc = document_from_bytes(source.read_bytes(), path=source, slug=source.stem,
                                  reference=f"source_articles/{source.name}")
        root = parse_html(assemble_html(doc, POLICY, table.get, locale=KO, source_language="en",
                                        article_path=doc.reference).html)
        for el in root.iter():
            if not isinstance(el.tag, str) or el.tag in ("script", "style"):
                continue
            for text, owner in ((el.text, el), (el.tail, el.getparent())):
                if text and HANGUL.search(text) and owner is not None:
                    assert _lang_of(owner) == "ko", (source.name, seed, text[:60])


def test_right_to_left_pages_mark_english_fallbacks_ltr_and_isolate_markers():
    page = ('<!DOCTYPE html><html lang="en"><body>'
            '<p>Iron is stored in ferritin.<sup class="cite"><a href="#src-1">[1]</a></sup> More text.</p>'
            '<p>Bare marker here [2] in text.</p><p>Left in English.</p></body></html>')
    root = _build(page, {"Iron is stored in ferritin.[1] More text.": "يُخزَّن الحديد في الفيريتين.[1] نص آخر.",
                         "Bare marker here [2] in text.": "علامة هنا [2] في النص."}, locale=AR)
    assert root.get("lang") == "ar" and root.get("dir") == "rtl"
    first, second, english = root.findall(".//p")
    assert first.find("sup").get("dir") == "ltr"                       # the marker's wrapper is isolated
    assert f"{LRI}[2]{PDI}" in second.text                              # a bare marker: Unicode isolates
    assert english.get("lang") == "en" and english.get("dir") == "ltr"


def test_left_to_right_pages_get_no_direction_marks():
    page = ('<!DOCTYPE html><html lang="en"><body><p>Iron.<sup class="cite"><a href="#s">[1]</a></sup></p>'
            '<p>English.</p></body></html>')
    root = _build(page, {"Iron.[1]": "철분.[1]"})
    assert root.find(".//sup").get("dir") is None and root.findall(".//p")[1].get("dir") is None


def test_a_fallback_run_beside_a_nested_list_is_marked_on_a_span_of_its_own_with_its_date_korean():
    page = ('<!DOCTYPE html><html lang="en"><body><ul><li>Checked often:<ol><li>serum iron</li></ol>\n'
            'Next review on <time datetime="2026-03-05">March 5, 2026</time>.\n</li></ul></body></html>')
    root = _build(page, {"Checked often:": "자주 검사:", "serum iron": "혈청 철"})
    item = root.find(".//ul/li")
    span = item.find("span")
    assert item.get("lang") is None and item.text == "자주 검사:"
    assert span.get("lang") == "en" and span.text == "Next review on " and span.tail == "\n"
    assert span.getprevious().tag == "ol" and span.getprevious().tail == "\n"   # white space left outside
    assert span.find("time").text == "2026년 3월 5일" and span.find("time").get("lang") == "ko"
