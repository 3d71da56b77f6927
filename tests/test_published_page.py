"""The page as published: the same document as the source, attribute for attribute (issue 12)."""

from __future__ import annotations

import polib

from .helpers import copy_project, parse_html, run_cli


def _translate_all(catalog, prefix: str = "번역: ") -> None:
    """Give every entry of a catalog a translation (its msgid behind a prefix), as a translator would."""
    po = polib.pofile(str(catalog))
    for entry in po:
        entry.msgstr = prefix + entry.msgid
    po.save()

ATTRIBUTES = [
    ('a', 'href', "https://ko.wikipedia.org/wiki/철분 결핍"),
    ('img', 'src', "my image.png"),
    ('a', 'href', "{{ url }}"),
    ('a', 'href', "/search?q=iron &amp; ferritin"),
    ('a', 'name', "section one"),
    ('form', 'action', "  "),
]


def test_attribute_values_come_back_exactly_as_the_source_has_them(tmp_path):
    project = copy_project(tmp_path)
    links = "".join(f'<{tag} {attr}="{value}">link {i}</{tag}> ' if tag == "a" else
                    (f'<img {attr}="{value}" alt=""> ' if tag == "img" else "")
                    for i, (tag, attr, value) in enumerate(ATTRIBUTES))
    page = ("<!DOCTYPE html>\n<html lang=\"en\"><head><title>Links</title></head><body>\n"
            f"<p>See {links}here.</p>\n<form action=\"  \"><p>Search</p></form>\n</body></html>\n")
    (project / "source_articles" / "links.html").write_text(page, encoding="utf-8")
    assert run_cli(project, "sync").exit_code == 0
    _translate_all(project / "locales" / "ko" / "links.po")
    assert run_cli(project, "sync").exit_code == 0
    for lang in ("ko",):
        out = (project / "output" / lang / "links.html").read_bytes().decode("utf-8")
        for _, attr, value in ATTRIBUTES:
            assert f'{attr}="{value}"' in out, (lang, attr, value, out)
        assert "%20" not in out and "%EC" not in out
        root = parse_html(out.encode())
        assert root.cssselect("a")[0].get("href") == "https://ko.wikipedia.org/wiki/철분 결핍"
        assert root.cssselect("form")[0].get("action") == "  "


PREVIEW_META = {
    ('property', 'og:title'): "Iron basics",
    ('property', 'og:description'): "What iron does in the body.",
    ('property', 'og:image:alt'): "A drop of blood on a test strip",
    ('name', 'twitter:title'): "Iron basics for readers",
    ('name', 'twitter:description'): "What iron does, in short.",
    ('name', 'twitter:image:alt'): "A test strip",
}


def test_link_preview_metadata_is_translated_like_the_description(tmp_path):
    project = copy_project(tmp_path)
    metas = "\n".join(f'<meta {attr}="{key}" content="{text}">' for (attr, key), text in PREVIEW_META.items())
    page = ("<!DOCTYPE html>\n<html lang=\"en\"><head><title>Iron</title>\n"
            '<meta property="og:type" content="article">\n<meta property="og:url" content="https://x.test/iron">\n'
            f"{metas}\n</head><body><p>Iron is a mineral.</p></body></html>\n")
    (project / "source_articles" / "iron.html").write_text(page, encoding="utf-8")
    assert run_cli(project, "sync").exit_code == 0
    template = polib.pofile(str(project / "locales" / "templates" / "iron.pot"))
    assert {e.msgid for e in template} == {"Iron", "Iron is a mineral.", *PREVIEW_META.values()}
    assert "link-preview description" in template.find("What iron does in the body.").comment
    _translate_all(project / "locales" / "ko" / "iron.po")
    assert run_cli(project, "sync").exit_code == 0
    root = parse_html((project / "output" / "ko" / "iron.html").read_bytes())
    for (attr, key), text in PREVIEW_META.items():
        (meta,) = root.xpath(f"//meta[@{attr}='{key}']")
        assert meta.get("content") == "번역: " + text
    assert root.xpath("//meta[@property='og:url']")[0].get("content") == "https://x.test/iron"
    assert root.xpath("//meta[@property='og:type']")[0].get("content") == "article"


def test_a_fragment_keeps_what_it_has_before_its_first_block(tmp_path):
    project = copy_project(tmp_path)
    fragment = ('<title>Iron in brief</title>\n<meta property="og:description" content="Iron, in brief.">\n'
                '<link rel="stylesheet" href="/css/a b.css">\n<style>p { margin: 0 }</style>\n'
                "<p>Iron is a mineral.</p>\n")
    (project / "source_articles" / "brief.html").write_text(fragment, encoding="utf-8")
    only_meta = '<meta property="og:description" content="Only a preview.">\n'
    (project / "source_articles" / "meta-only.html").write_text(only_meta, encoding="utf-8")
    assert run_cli(project, "sync").exit_code == 0
    _translate_all(project / "locales" / "ko" / "brief.po")
    _translate_all(project / "locales" / "ko" / "meta-only.po")
    assert run_cli(project, "sync").exit_code == 0
    out = (project / "output" / "ko" / "brief.html").read_text(encoding="utf-8")
    assert out == fragment.replace("<title>Iron in brief", "<title>번역: Iron in brief").replace(
        'content="Iron, in brief."', 'content="번역: Iron, in brief."').replace(
        "<p>Iron is a mineral.", "<p>번역: Iron is a mineral.")
    assert (project / "output" / "ko" / "meta-only.html").read_text(encoding="utf-8") == \
        '<meta property="og:description" content="번역: Only a preview.">\n'
