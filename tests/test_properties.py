"""Property tests with a bounded budget: no traceback on arbitrary input, no markup from any msgstr."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.core.errors import ParseError
from pipeline.core.locales import parse_locale
from pipeline.core.model import Translation
from pipeline.html.build import assemble_html
from pipeline.html.extract import SegmentPolicy, collect_slots, document_from_bytes, segment_units
from pipeline.po.files import parse_po
from pipeline.text.placeholders import _NOT_XML as NOT_XML
from pipeline.text.placeholders import TAG_SHAPED, InvalidTranslation, find_markers, parse_translation, strip_tokens

from .helpers import ROOT, parse_html

BUDGET = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PO_PIECES = st.sampled_from([
    'msgid ""', 'msgstr ""', 'msgid "a"', 'msgstr "b"', 'msgctxt "c"', 'msgid_plural "p"', "msgstr[0] \"x\"",
    "msgstr[7] \"y\"", '"continued"', '"unterminated', '"esc \\x41"', '"\\"', "#, fuzzy", "#| msgid \"old\"",
    "#~ msgid \"gone\"", "#~ msgstr \"weg\"", "#. note", "#: a.html:3", '"Plural-Forms: nplurals=2; plural=n;\\n"',
    '"Content-Type: text/plain; charset=UTF-8\\n"', "", "garbage", "msgid", "\ufeff", "\r", "\x00", "\x07",
    "\u2028", '"\ud55c\uad6d\uc5b4"',
])


@BUDGET
@given(st.lists(st.one_of(PO_PIECES, st.text(max_size=20)), max_size=30))
def test_the_po_reader_parses_or_says_where_it_failed(lines):
    text = "\n".join(lines)
    for data in (text, text.encode("utf-8", "surrogatepass")):
        try:
            parse_po(data, path="t.po")
        except ParseError as exc:
            assert exc.path == "t.po"
            assert exc.line is None or exc.line >= 1


@BUDGET
@given(st.binary(max_size=200))
def test_the_po_reader_survives_arbitrary_bytes(data):
    try:
        parse_po(data, path="b.po")
    except ParseError as exc:
        assert exc.path == "b.po"


_LEAD = document_from_bytes(
    b'<li><strong>Dose:</strong> 10 mg <a href="#x">twice</a> a day.<sup><a href="#s1">[1]</a></sup><br></li>',
    path=Path("t.html"), slug="t", reference="t.html")
TOKENS = st.sampled_from(["<b>", "</b>", "<a>", "</a>", "<br/>", "<b/>", "<script>", "</a2>", "[1]", "[2]",
                          "<", ">", "&", "&lt;b&gt;", " ", "용량", "10 mg", '<a href="javascript:x">'])


def _acceptable(msgstr: str) -> bool:
    """What the translation of ``<b>Dose:</b> 10 mg <a>twice</a> a day.[1]<br/>`` may be, said plainly:
    exactly its four placeholders once each, pairs closed in order, the marker [1] once, text of its own,
    and only characters an HTML document can hold."""
    if NOT_XML.search(msgstr):
        return False
    tokens = TAG_SHAPED.findall(msgstr)
    if sorted(tokens) != sorted(["<b>", "</b>", "<a>", "</a>", "<br/>"]):
        return False
    open_pairs: list[str] = []
    for token in tokens:
        if token == "<br/>":
            continue
        if not token.startswith("</"):
            open_pairs.append(token[1:-1])
        elif not open_pairs or open_pairs.pop() != token[2:-1]:
            return False
    return find_markers(msgstr) == ["[1]"] and re.search(r"[^\W_]", strip_tokens(msgstr)) is not None


@BUDGET
@given(st.lists(st.one_of(TOKENS, st.text(max_size=8)), max_size=12))
def test_the_placeholder_parser_accepts_exactly_the_translations_that_keep_the_run(pieces):
    run = collect_slots(_LEAD.fresh(), SegmentPolicy())[0].run
    assert run.msgid == "<b>Dose:</b> 10 mg <a>twice</a> a day.[1]<br/>"
    msgstr = "".join(pieces)
    try:
        parse_translation(msgstr, run)
        accepted = True
    except InvalidTranslation:
        accepted = False
    assert accepted == _acceptable(msgstr), msgstr


def test_the_placeholder_parser_accepts_a_reordered_translation():
    run = collect_slots(_LEAD.fresh(), SegmentPolicy())[0].run
    parse_translation("<b>용량:</b> 하루 <a>두 번</a> 10 mg.[1]<br/>", run)


ARTICLE = ROOT / "source_articles" / "ferritin-levels.html"
SOURCE = document_from_bytes(ARTICLE.read_bytes(), path=ARTICLE, slug="ferritin-levels",
                             reference="source_articles/ferritin-levels.html")
POLICY = SegmentPolicy(ignore_selectors=(".sources .source-title",))
KEYS = [u.key for u in segment_units(SOURCE.fresh(), POLICY)]
ALLOWED_VALUES = {"alt", "title", "content", "lang", "dir"}


def _element_signature(root):
    tags, attrs = set(), set()
    for el in root.iter():
        if isinstance(el.tag, str):
            tags.add(el.tag)
            attrs.update((el.tag, k, "*" if k in ALLOWED_VALUES else v) for k, v in el.attrib.items())
    return tags, attrs


SOURCE_TAGS, SOURCE_ATTRS = _element_signature(parse_html(ARTICLE.read_bytes()))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(TOKENS, st.text(max_size=12)), min_size=len(KEYS), max_size=len(KEYS)), st.data())
def test_no_msgstr_can_add_an_element_or_attribute_the_source_lacks(texts, data):
    table = {}
    for key, text in zip(KEYS, texts):
        extra = data.draw(st.lists(TOKENS, max_size=4))
        table[key] = Translation(text + "".join(extra), fuzzy=data.draw(st.booleans()))
    built = assemble_html(SOURCE.fresh(), POLICY, table.get, locale=parse_locale("ko"), source_language="en",
                          article_path="a.html")
    tags, attrs = _element_signature(parse_html(built.html))
    assert tags <= SOURCE_TAGS
    assert {a for a in attrs if a[1] not in ("lang", "dir")} <= SOURCE_ATTRS
    assert b"javascript:" not in built.html and b"<script" not in built.html
