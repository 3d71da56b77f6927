"""Placeholders and citation markers: what translators see, and what a msgstr may and may not do."""

from __future__ import annotations

import pytest
from lxml import etree, html

from pipeline.text.placeholders import InvalidTranslation, encode_run, parse_translation, render_items, render_run


def _p(markup: str) -> etree._Element:
    return html.fragment_fromstring(markup)


def _encode(p: etree._Element):
    return encode_run(p.text, list(p), passthrough=lambda el: el.get("translate") == "no")


def _translate(markup: str, msgstr: str) -> str:
    p = _p(markup)
    run = _encode(p)
    items = parse_translation(msgstr, run)
    render_run(p, None, list(p), render_items(items, run), run)
    return etree.tostring(p, encoding="unicode", method="html")


LEAD_IN = ('<li><strong>Monitoring treatment:</strong> falling levels can suggest a response.'
           '<sup class="cite"><a href="#src-3">[3]</a></sup> <sup class="cite"><a href="#src-6">[6]</a></sup></li>')


def test_bold_lead_in_and_wrapped_markers_read_as_plain_tokens():
    run = _encode(_p(LEAD_IN))
    assert run.msgid == "<b>Monitoring treatment:</b> falling levels can suggest a response.[3] [6]"
    assert [ph.name for ph in run.placeholders] == ["b"]
    assert run.markers == ["[3]", "[6]"]
    assert "href" not in run.msgid and "class" not in run.msgid


def test_several_tags_of_a_kind_are_numbered_and_attributes_stay_out():
    run = _encode(_p('<p>See <a href="https://a.example/x">one</a> and <a href="/y" id="k">two</a>.</p>'))
    assert run.msgid == "See <a>one</a> and <a2>two</a2>."
    descriptions = {ph.name: ph.description for ph in run.placeholders}
    assert "https://a.example/x" in descriptions["a"]


def test_text_reads_as_characters_and_lookalike_text_is_not_a_tag():
    run = _encode(_p("<p>Levels &lt; 50 nmol/L &amp; doses &lt;5 mg \u2265 10\u00a0mg</p>"))
    assert run.msgid == "Levels < 50 nmol/L & doses <5 mg \u2265 10\u00a0mg"
    assert run.placeholders == []


def test_markers_come_back_inside_their_wrappers_wherever_the_translator_moved_them():
    out = _translate(LEAD_IN, "[6] <b>치료 모니터링:</b> 수치가 떨어지면 치료 반응을 뜻할 수 있습니다.[3]")
    assert out.startswith('<li><sup class="cite"><a href="#src-6">[6]</a></sup> <strong>치료 모니터링:</strong>')
    assert out.endswith('<sup class="cite"><a href="#src-3">[3]</a></sup></li>')


@pytest.mark.parametrize("msgstr, reason", [
    ("<b>치료 모니터링:</b> 설명. [3]", "lost citation marker [6]"),
    ("<b>치료 모니터링:</b> 설명. [3] [6] [7]", "added citation marker [7]"),
    ("치료 모니터링: 설명. [3] [6]", "lost placeholder <b>"),
    ("<b>치료</b> <script>alert(1)</script> [3] [6]", "unknown tag '<script>'"),
    ('<b onclick="x()">치료</b> [3] [6]', "unknown tag"),
    ("<b>치료 [3] [6]", "never closed"),
    ("</b>치료<b> [3] [6]", "closes a tag that is not open"),
    ("<b>치료</b><b>또</b> [3] [6]", "more than once"),
])
def test_a_broken_msgstr_is_rejected_with_a_reason(msgstr, reason):
    run = _encode(_p(LEAD_IN))
    with pytest.raises(InvalidTranslation, match=reason.replace("[", r"\[").replace("]", r"\]")):
        parse_translation(msgstr, run)


def test_text_that_looks_like_markup_is_escaped_never_injected():
    out = _translate("<p>Take <b>one</b> tablet.</p>", "&lt;img src=x onerror=alert(1)&gt; <b>한</b> 알 & \"따옴표\"")
    root = html.fragment_fromstring(out)
    assert [el.tag for el in root.iter()] == ["p", "b"]
    assert "&amp;lt;img" in out


def test_void_placeholders_keep_their_source_element_whole():
    markup = '<p>Ask about <span translate="no">Neupogen</span> (filgrastim).<br>Call us.</p>'
    run = _encode(_p(markup))
    assert run.msgid == "Ask about <span/> (filgrastim).<br/>Call us."
    out = _translate(markup, "<span/>(필그라스팀)에 대해 물어보세요.<br/>전화 주세요.")
    assert '<span translate="no">Neupogen</span>(필그라스팀)' in out and "<br>" in out


def test_nested_placeholders_may_be_reordered_but_must_nest():
    markup = "<p><b>Bold <i>and italic</i></b> then <i>plain italic</i>.</p>"
    run = _encode(_p(markup))
    assert run.msgid == "<b>Bold <i>and italic</i></b> then <i2>plain italic</i2>."
    out = _translate(markup, "<i2>기울임</i2> 다음 <b>굵게 <i>기울임</i></b>.")
    assert out == "<p><i>기울임</i> 다음 <b>굵게 <i>기울임</i></b>.</p>"


def test_outer_whitespace_of_a_run_is_restored():
    p = _p("<li>\n  Serum iron <b>and</b> TIBC\n  </li>")
    run = _encode(p)
    assert run.msgid == "Serum iron <b>and</b> TIBC"
    render_run(p, None, list(p), render_items(parse_translation("혈청 철 <b>및</b> TIBC", run), run), run)
    assert p.text == "\n  혈청 철 " and p[0].tail == " TIBC\n  "
