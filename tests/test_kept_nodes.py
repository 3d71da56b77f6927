"""Comments, server-side includes and processing instructions inside running text survive translation."""

from __future__ import annotations

from pathlib import Path

from pipeline.core.locales import parse_locale
from pipeline.core.model import Translation
from pipeline.html.build import assemble_html
from pipeline.html.extract import SegmentPolicy, document_from_bytes, segment_units

POLICY = SegmentPolicy()
SSI = '<!--#include virtual="x.shtml"-->'


def _doc(markup: str):
    return document_from_bytes(markup.encode(), path=Path("a.html"), slug="a", reference="a.html")


def _build(markup: str, table: dict[str, str]):
    lookup = {(None, k): Translation(v) for k, v in table.items()}.get
    return assemble_html(_doc(markup), POLICY, lookup, locale=parse_locale("ko"), source_language="en",
                         article_path="a.html")


def test_an_ssi_inside_a_paragraph_is_a_void_placeholder_the_translator_places():
    markup = f"<html><body><p>A paragraph with an {SSI} SSI inside</p></body></html>"
    units = segment_units(_doc(markup), POLICY)
    assert [u.msgid for u in units] == ["A paragraph with an <include/> SSI inside"]
    assert "server-side include" in units[0].placeholders[0].description
    built = _build(markup, {"A paragraph with an <include/> SSI inside": "SSI가 <include/> 들어 있는 문단"})
    assert built.fallbacks == []
    assert f"<p>SSI가 {SSI} 들어 있는 문단</p>".encode() in built.html


def test_comments_keep_their_place_also_inside_inline_elements():
    markup = "<html><body><p>Start <b>bold<!-- editor: check --> end</b> and <!-- two --> tail.</p></body></html>"
    units = segment_units(_doc(markup), POLICY)
    assert units[0].msgid == "Start <b>bold<comment/> end</b> and <comment2/> tail."
    built = _build(markup, {units[0].msgid: "시작 <comment2/> <b>굵게<comment/> 끝</b> 꼬리."})
    assert built.fallbacks == []
    assert "<p>시작 <!-- two --> <b>굵게<!-- editor: check --> 끝</b> 꼬리.</p>".encode() in built.html


def test_a_translation_that_drops_the_include_falls_back_to_english_with_it():
    markup = f"<html><body><p>A paragraph with an {SSI} SSI inside</p></body></html>"
    built = _build(markup, {"A paragraph with an <include/> SSI inside": "SSI가 들어 있는 문단"})
    assert len(built.fallbacks) == 1 and "<include/>" in built.fallbacks[0].message
    assert f'<p lang="en">A paragraph with an {SSI} SSI inside</p>'.encode() in built.html


def test_a_processing_instruction_is_kept_too():
    markup = "<html><body><p>Before <?php echo 1 ?> after the code.</p></body></html>"
    units = segment_units(_doc(markup), POLICY)
    (name,) = [p.name for p in units[0].placeholders]
    built = _build(markup, {units[0].msgid: units[0].msgid.replace("Before", "앞").replace("after the code", "뒤")})
    assert built.fallbacks == []
    assert b"php echo 1" in built.html and "앞".encode() in built.html
    assert name in ("comment", "pi")


def test_comments_between_blocks_are_not_units_and_stay():
    markup = "<html><body><div><!-- section --><p>Text.</p><!--#include virtual=\"f.shtml\"--></div></body></html>"
    assert [u.msgid for u in segment_units(_doc(markup), POLICY)] == ["Text."]
    built = _build(markup, {"Text.": "텍스트."})
    assert b"<!-- section -->" in built.html and b'<!--#include virtual="f.shtml"-->' in built.html
