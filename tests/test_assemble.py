"""Build-time details: plural forms of count phrases, dates written by babel, fallbacks of attributes."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest

from pipeline.core.locales import parse_locale
from pipeline.core.model import CountPhrase, Translation
from pipeline.html.build import assemble_html
from pipeline.html.extract import SegmentPolicy, document_from_bytes, segment_units

from .helpers import parse_html

PHRASE = CountPhrase("{count} min read", "{count} min read")
POLICY = SegmentPolicy(count_phrases=(PHRASE,))
RU_FORMS = "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"


def _doc(markup: str):
    return document_from_bytes(markup.encode(), path=Path("a.html"), slug="a", reference="a.html")


@pytest.mark.parametrize("count, expected", [(1, "1 минута чтения"), (3, "3 минуты чтения"),
                                             (5, "5 минут чтения"), (21, "21 минута чтения")])
def test_a_count_phrase_takes_the_form_the_catalogs_plural_forms_pick(count, expected):
    markup = (f'<p class="byline">By <span class="author">Team</span> · '
              f'<span class="reading-time">{count} min read</span></p>')
    units = segment_units(_doc(markup), POLICY)
    assert [u.msgid for u in units] == ["By <span>Team</span> · <span2/>", "%(count)d min read"]
    assert units[1].plural == "%(count)d min read" and units[1].flags == ("python-format",)
    table = {
        (None, "By <span>Team</span> · <span2/>"): Translation("Автор: <span>Команда</span> · <span2/>"),
        (None, "%(count)d min read"): Translation("", ("%(count)d минута чтения", "%(count)d минуты чтения",
                                                       "%(count)d минут чтения")),
    }
    plural = gettext.c2py(RU_FORMS.split("plural=")[1].rstrip(";"))
    built = assemble_html(_doc(markup), POLICY, table.get, locale=parse_locale("ru"), source_language="en",
                          article_path="a.html", plural=plural)
    p = parse_html(built.html).cssselect("p.byline")[0]
    assert p.text_content() == f"Автор: Команда · {expected}"
    assert built.fallbacks == []


def test_a_count_phrase_with_a_broken_form_falls_back_to_english():
    markup = '<p>Intro <span class="rt">6 min read</span></p>'
    table = {(None, "Intro <span/>"): Translation("소개 <span/>"),
             (None, "%(count)d min read"): Translation("", ("%(count)d분 %(oops)s",))}
    built = assemble_html(_doc(markup), POLICY, table.get, locale=parse_locale("ko"), source_language="en",
                          article_path="a.html")
    span = parse_html(built.html).cssselect("span.rt")[0]
    assert span.text == "6 min read" and span.get("lang") == "en"
    assert "python-format: the translation must have %(count)d" in built.fallbacks[0].message


def test_dates_are_written_by_babel_in_the_readers_format():
    markup = '<p>Updated <time datetime="2026-03-05">March 5, 2026</time>.</p>'
    units = segment_units(_doc(markup), POLICY)
    assert [u.msgid for u in units] == ["Updated <time/>."]
    for code, expected in (("ko", "2026년 3월 5일"), ("ja", "2026年3月5日"), ("de", "5. März 2026")):
        table = {(None, "Updated <time/>."): Translation("X <time/>.")}
        built = assemble_html(_doc(markup), POLICY, table.get, locale=parse_locale(code), source_language="en",
                              article_path="a.html")
        assert parse_html(built.html).cssselect("time")[0].text == expected


def test_untranslated_attributes_and_title_keep_the_source_text_alone():
    markup = ('<html><head><title>Iron | Library</title><meta name="description" content="About iron."></head>'
              '<body><p>Text <img src="a.png" alt="A tube"> here.</p></body></html>')
    table = {(None, "Text <img/> here."): Translation("텍스트 <img/> 여기.")}
    built = assemble_html(_doc(markup), POLICY, table.get, locale=parse_locale("ko"), source_language="en",
                          article_path="a.html")
    root = parse_html(built.html)
    assert root.findtext(".//title") == "Iron | Library" and root.find(".//title").get("lang") is None
    assert root.cssselect("img")[0].get("alt") == "A tube"
    assert root.cssselect("p")[0].text_content() == "텍스트  여기."
    assert len(built.fallbacks) == 3
