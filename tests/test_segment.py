"""Segmentation: what a unit is, what is left alone, and the msgstr = msgid identity."""

from __future__ import annotations

import html as stdhtml
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.core.errors import SourceError
from pipeline.core.locales import parse_locale
from pipeline.core.model import CountPhrase, Role, Translation
from pipeline.html.build import assemble_html
from pipeline.html.extract import SegmentPolicy, SourceDocument, document_from_bytes, parse_source, segment_units

from .helpers import ROOT, normalized_text, parse_html, structure

POLICY = SegmentPolicy(ignore_selectors=(".sources .source-title",),
                       count_phrases=(CountPhrase("{count} min read", "{count} min read"),))
ARTICLES = sorted((ROOT / "source_articles").glob("*.html"))


def _doc(markup: str | bytes, slug: str = "t") -> SourceDocument:
    data = markup.encode() if isinstance(markup, str) else markup
    return document_from_bytes(data, path=Path(f"{slug}.html"), slug=slug, reference=f"{slug}.html")


def _identity_build(doc: SourceDocument, policy: SegmentPolicy = POLICY) -> bytes:
    units = {u.key: Translation(u.msgid, (u.msgid, u.plural) if u.plural else ()) for u in segment_units(doc, policy)}
    built = assemble_html(doc.fresh(), policy, units.get, locale=parse_locale("en"), source_language="en",
                          article_path=doc.reference)
    assert built.fallbacks == []
    return built.html


TEXT_ATTRIBUTES = {"alt", "title", "content"}


def _normalized_structure(root):
    """Elements and attributes in order; translatable attribute values whitespace-normalised, like text."""
    return [(tag, tuple((k, normalized_text(v) if k in TEXT_ATTRIBUTES else v) for k, v in attrs))
            for tag, attrs in structure(root)]


def _assert_same_document(source: bytes, built: bytes) -> None:
    a, b = parse_html(source), parse_html(built)
    assert _normalized_structure(a) == _normalized_structure(b)
    for x, y in zip(a.iter(), b.iter()):
        if isinstance(x.tag, str):
            assert normalized_text(x.text_content()) == normalized_text(y.text_content()), x.tag


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_msgstr_equal_to_msgid_rebuilds_each_sample_article(path: Path):
    source = path.read_bytes()
    _assert_same_document(source, _identity_build(_doc(source, path.stem)))


# --- property: any article, msgstr = msgid, same document --------------------------------------------
_TEXT = st.text(alphabet="abcdefg XYZ.,:;&<0123456789-\u00a0\u2265\u00e9", min_size=0, max_size=12)
_MARKERS = st.sampled_from(["[1]", "[3]", "[PM18]", "[1, 2]", "[2-4]"])


@st.composite
def _inline(draw, depth: int = 0, in_link: bool = False) -> str:
    kinds = ["text", "text", "strong", "em", "a", "cite", "cite-bare", "br", "code", "notr", "span"]
    if depth >= 2:
        kinds = ["text", "cite", "br"]
    if in_link:  # HTML forbids a link inside a link
        kinds = [k for k in kinds if k not in ("a", "cite")] or ["text"]
    kind = draw(st.sampled_from(kinds))
    text = stdhtml.escape(draw(_TEXT), quote=False)
    if kind == "text":
        return text
    if kind == "cite":
        n = draw(st.integers(1, 9))
        return f'<sup class="cite"><a href="#src-{n}">[{n}]</a></sup>'
    if kind == "cite-bare":
        return f" {draw(_MARKERS)} "
    if kind == "br":
        return "<br>"
    if kind == "code":
        return f"<code>{text or 'x'}</code>"
    if kind == "notr":
        return f'<span translate="no">{text or "Brand"}</span>'
    inner = "".join(draw(st.lists(_inline(depth + 1, in_link or kind == "a"), min_size=1, max_size=3)))
    attrs = {"strong": "", "em": "", "a": ' href="https://example.org/?a=1&amp;b=2"', "span": ' class="k"'}[kind]
    return f"<{kind}{attrs}>{inner}</{kind}>"


def _run(draw) -> str:
    return "".join(draw(st.lists(_inline(), min_size=1, max_size=5)))


@st.composite
def _block(draw) -> str:
    kind = draw(st.sampled_from(["p", "h2", "ul", "table", "quote", "div", "ko", "img", "nested"]))
    if kind in ("p", "h2"):
        return f"<{kind}>{_run(draw)}</{kind}>"
    if kind == "ul":
        return "<ul>" + "".join(f"<li>{_run(draw)}</li>" for _ in range(draw(st.integers(1, 3)))) + "</ul>"
    if kind == "table":
        return f"<table><caption>{_run(draw)}</caption><tr><th>{_run(draw)}</th><td>{_run(draw)}</td></tr></table>"
    if kind == "quote":
        return f"<blockquote><p>{_run(draw)}</p></blockquote>"
    if kind == "div":
        return f"<div>{_run(draw)}<p>{_run(draw)}</p>{_run(draw)}</div>"
    if kind == "ko":
        return '<p class="cta" lang="ko">궁금한 점은 언제든지 물어보세요</p>'
    if kind == "img":
        alt = stdhtml.escape(draw(_TEXT), quote=True)
        return f'<figure><img src="a.png" alt="{alt}"><figcaption>{_run(draw)}</figcaption></figure>'
    return f"<ul><li>{_run(draw)}<ul><li>{_run(draw)}</li></ul>{_run(draw)}</li></ul>"


@st.composite
def _article(draw) -> str:
    blocks = "\n".join(draw(st.lists(_block(), min_size=1, max_size=6)))
    title = stdhtml.escape(draw(_TEXT), quote=False) or "Title"
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n'
            f'<meta name="description" content="About things.">\n</head>\n<body>\n<article>\n{blocks}\n'
            f'<aside class="disclaimer"><p><strong>Important Notice:</strong> not a substitute for '
            f'professional medical advice.</p></aside>\n</article>\n</body>\n</html>\n')


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_article())
def test_msgstr_equal_to_msgid_rebuilds_any_article(markup: str):
    source = markup.encode()
    _assert_same_document(source, _identity_build(_doc(source)))


# --- what is a unit ------------------------------------------------------------------------------------
def test_units_of_a_sample_article_have_roles_and_keep_order():
    doc = _doc((ROOT / "source_articles" / "ferritin-levels.html").read_bytes(), "ferritin-levels")
    units = segment_units(doc, POLICY)
    roles = [u.role for u in units]
    assert roles[0] is Role.TITLE and roles[1] is Role.META_DESCRIPTION
    assert roles[-1] is Role.DISCLAIMER
    assert units[-1].msgid.startswith("<b>Important Notice:</b>")
    assert Role.IMAGE_ALT in roles and Role.TABLE_CELL in roles and Role.CAPTION in roles
    msgids = [u.msgid for u in units]
    assert not any("source-title" in m or "medlineplus" in m for m in msgids)
    assert not any("\uc9c8" in m or "\uad81\uae08" in m for m in msgids)  # the Korean CTA is not a unit


SKIPS = """<p>Keep <code>x = 1</code> and <span translate="no">Neupogen</span>.</p>
<pre>preformatted text</pre><script>var a = "text";</script><style>p { color: red }</style>
<div translate="no"><p>Not for translation</p></div><p lang="ko">한국어 문장</p>
<p class="skip-me">ignored by selector</p><p data-l10n-note="Say it kindly" data-l10n-context="cta">Ask us</p>
<p>[1] 10</p><p>[2]</p><p>30\u2013400</p>"""


def test_skipped_regions_notes_and_context():
    units = segment_units(_doc(SKIPS), SegmentPolicy(ignore_selectors=(".skip-me",)))
    assert [u.msgid for u in units] == ["Keep <code/> and <span/>.", "Ask us"]
    assert units[1].context == "cta" and units[1].notes == ("Say it kindly",)
    comments = units[0].comments()
    assert any("x = 1" in c for c in comments) and any("Neupogen" in c for c in comments)


def test_a_nested_block_splits_its_parent_into_runs():
    units = segment_units(_doc("<ul><li>Iron studies include: <ul><li>serum iron</li></ul> and more</li></ul>"),
                          POLICY)
    assert [u.msgid for u in units] == ["Iron studies include:", "serum iron", "and more"]


def test_disclaimer_units_say_so():
    units = segment_units(_doc('<div data-l10n-role="disclaimer"><p>Not medical advice.</p></div>'), POLICY)
    assert units[0].role is Role.DISCLAIMER
    assert units[0].comments()[0].startswith("disclaimer")


def test_a_fragment_source_round_trips_without_a_wrapper():
    source = b'<h2>Key Takeaway</h2>\n<p>Low ferritin <b>often</b> means low stores.<sup><a href="#s1">[1]</a></sup></p>\n'
    doc = _doc(source, "frag")
    assert doc.fragment
    built = _identity_build(doc)
    assert built == source


# --- one traversal per article: each locale's build works on a copy of the tree and of its slots ----
@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("code", ["ko", "ja"])
def test_a_build_from_copied_slots_equals_a_build_from_a_fresh_parse(path: Path, code: str):
    from pipeline.html.build import source_signature
    from pipeline.html.extract import collect_slots, serialize
    from pipeline.po.catalog import lookup_table, plural_function
    from pipeline.po.files import read_po

    doc = _doc(path.read_bytes(), path.stem)
    before = serialize(doc)
    slots = collect_slots(doc, POLICY)
    po = read_po(ROOT / "locales" / code / f"{path.stem}.po")
    table, locale = lookup_table(po), parse_locale(code)

    def build(target: SourceDocument, **shared):
        return assemble_html(target, POLICY, table.get, locale=locale, source_language="en",
                             article_path=doc.reference, plural=plural_function(po, locale), **shared)

    expected = build(doc.fresh())
    for _ in range(2):  # the same slots serve any number of builds
        copy, copied = doc.copy_with(slots)
        assert all(a.element is not b.element for a, b in zip(slots, copied))
        built = build(copy, slots=copied, signature=source_signature(doc.root))
        assert built.html == expected.html
        assert built.stats == expected.stats and built.fallbacks == expected.fallbacks
    assert b'lang="en"' not in expected.html or code == "ja"  # ko is complete: a real translation was built
    assert serialize(doc) == before  # the source tree the slots came from is untouched


_WHOLE = (Path(__file__).resolve().parent.parent / "source_articles" / "ferritin-levels.html").read_text("utf-8")


@pytest.mark.parametrize("text", [
    _WHOLE.replace("</body>\n</html>\n", ""),                       # both optional end tags left out
    _WHOLE.replace("</html>\n", ""),
    _WHOLE.replace("</article>\n</body>\n</html>\n", "</article>\n<!-- end -->\n"),
], ids=["no-body-html-end", "no-html-end", "comment-after"])
def test_a_document_without_the_optional_end_tags_is_whole(text):
    root, fragment = parse_source(text, path="a.html")
    assert not fragment and root.find(".//article") is not None
    assert "Sources" in "".join(root.itertext())


@pytest.mark.parametrize(("cut", "message"), [
    (lambda t: t[: t.index("<title>") + 20], "<title> opened here is never closed"),
    (lambda t: t[: t.index('content="') + 12], "a tag opened here is never closed"),
    (lambda t: t.replace("<body>", "<body><!-- unfinished"), "a comment (<!--) opened here is never closed"),
    (lambda t: t[: len(t) * 2 // 3], "<ul> opened here is never closed"),
], ids=["in-title", "in-a-tag", "open-comment", "in-a-list"])
def test_a_document_cut_inside_an_element_whose_end_tag_html_requires_is_refused(cut, message):
    with pytest.raises(SourceError) as caught:
        parse_source(cut(_WHOLE), path="a.html")
    assert message in caught.value.format_message() and "looks truncated" in caught.value.format_message()


_TAG_PIECES = ["<div>", "</div>", "<DIV class='x'>", "</Div>", "<span>", "</span>", "<p>", "</p>", "<li>",
               "<ul>", "</ul>", "<div/>", "<span />", "<br>", "<a href='a/b'>", "</a>", "<b>", "</b>", "text",
               "\n", "<!-- c -->", "<script>if (a < b) {}</script>", "<h2 id=x>", "</h2>", "<section>",
               "</section>", "<title>T</title>"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_TAG_PIECES), max_size=24).map("".join))
def test_the_unclosed_element_found_by_names_first_is_the_one_every_tag_finds(text):
    from pipeline.html.extract import _unclosed

    assert _unclosed(text) == _unclosed(text, names_first=False)  # the walk over every tag, with offsets


def _units_and_foreign(body: str, source_language: str = "en"):
    from pipeline.html.extract import collect_slots
    doc = document_from_bytes(f"<!DOCTYPE html><html><body>{body}</body></html>".encode(), path=Path("a.html"),
                              slug="a", reference="a.html")
    foreign: list = []
    slots = collect_slots(doc, SegmentPolicy(source_language=source_language), foreign=foreign)
    return [s.run.msgid for s in slots], foreign


def test_a_passage_in_another_script_without_lang_is_not_a_unit_but_a_mixed_one_is():
    units, foreign = _units_and_foreign(
        "<p>궁금한 점이 있으면 <b>상담 서비스</b>에 물어보세요.</p>"
        "<p>Ask about <i>철분</i> (iron) at your next visit.</p><p>Ещё одна строка.</p>")
    assert units == ["Ask about <i>철분</i> (iron) at your next visit."]
    assert [(f.scripts, f.text) for f in foreign] == [(("Hang",), "궁금한 점이 있으면 <b>상담 서비스</b>에 물어보세요."),
                                                     (("Cyrl",), "Ещё одна строка.")]


def test_the_source_languages_own_scripts_count_for_japanese():
    units, foreign = _units_and_foreign("<p>鉄分は大切です。</p><p>철분</p>", source_language="ja")
    assert units == ["鉄分は大切です。"] and [f.text for f in foreign] == ["철분"]


def test_a_passage_in_another_script_passes_to_the_output_unchanged():
    from pipeline.html.build import assemble_html
    markup = "<!DOCTYPE html><html><body><p>Iron.</p><p class=\"cta\">궁금한 점이 있으면 물어보세요.</p></body></html>"
    doc = document_from_bytes(markup.encode(), path=Path("a.html"), slug="a", reference="a.html")
    out = assemble_html(doc, SegmentPolicy(), {(None, "Iron."): Translation("Fer.")}.get,
                        locale=parse_locale("fr"), source_language="en", article_path="a.html")
    root = parse_html(out.html)
    cta = root.find(".//p[@class='cta']")
    assert cta.text == "궁금한 점이 있으면 물어보세요." and cta.get("lang") is None
