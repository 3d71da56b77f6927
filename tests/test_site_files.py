"""What the site publishes from (with ``base_url``): output/manifest.json and output/sitemap.xml with reciprocal
hreflang alternates, by Google's rules; deterministic, and unchanged by a sync with nothing changed."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import etree

from .helpers import copy_project, run_cli, snapshot
from .test_status_json import status_json

BASE = "https://health.example.org/library"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
#: sitemaps.org's schema, unchanged, with the xhtml:link alternates declared (tests/data/sitemap/README.md).
SCHEMAS = Path(__file__).parent / "data" / "sitemap"


@pytest.fixture()
def site(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    project = copy_project(tmp_path, with_outputs=True)
    with (project / "l10n.yaml").open("a", encoding="utf-8") as handle:
        handle.write(f"\nbase_url: {BASE}/\n")
    result = run_cli(project, "sync", "-v")
    assert result.exit_code == 0, result.output
    assert "wrote output/manifest.json" in result.output and "wrote output/sitemap.xml" in result.output
    return project


def sitemap(project: Path, tmp_path: Path) -> dict[str, dict[str, str]]:
    """loc -> {hreflang: href}, after validating the sitemap against the schema."""
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "xhtml-link.xsd")))
    doc = etree.parse(str(project / "output" / "sitemap.xml"))
    schema.assertValid(doc)
    return {url.findtext("s:loc", namespaces=NS): {link.get("hreflang"): link.get("href")
                                                  for link in url.findall("x:link", NS)}
            for url in doc.getroot().findall("s:url", NS)}


def test_the_sitemap_follows_googles_hreflang_rules(site, tmp_path):
    urls = sitemap(site, tmp_path)
    data = status_json(site)
    published = {(a["slug"], r["locale"]) for a in data["articles"] for r in a["locales"] if r["published"]}
    expected = {f"{BASE}/{lang}/{slug}.html" for slug, lang in published}
    expected |= {f"{BASE}/en/{a['slug']}.html" for a in data["articles"]}
    assert set(urls) == expected
    for loc, alternates in urls.items():
        assert all(urlsplit(href).scheme == "https" and urlsplit(href).netloc for href in alternates.values())
        assert loc in alternates.values(), f"{loc} does not name itself"                   # self-reference
        assert alternates["x-default"] == alternates["en"]                                   # x-default: the source
        for lang, href in alternates.items():                                                # reciprocity
            assert urls[href] == alternates, f"{href} does not link back to {loc} the same way"
    neutropenia = urls[f"{BASE}/ko/neutropenia-during-chemotherapy.html"]
    assert set(neutropenia) == {"en", "ko", "x-default"}, "an unpublished locale (ja) is never linked"


def test_the_manifest_lists_every_page_published_or_not(site):
    manifest = json.loads((site / "output" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["version"] == 1 and manifest["base_url"] == BASE
    pages = {(p["slug"], p["locale"]): p for p in manifest["pages"]}
    assert len(pages) == 6
    ko = pages[("ferritin-levels", "ko")]
    assert ko["title"].startswith("페리틴") and ko["published"] is True and ko["reason"] is None
    assert ko["path"] == "output/ko/ferritin-levels.html" and ko["url"] == f"{BASE}/ko/ferritin-levels.html"
    assert len(ko["source_hash"]) == len(ko["catalog_hash"]) == 40
    ja = pages[("neutropenia-during-chemotherapy", "ja")]
    assert ja["published"] is False and ja["url"] is None and ja["path"] is None and ja["title"] is None
    assert ja["reason"].startswith("30% of units translated")


def test_a_sync_with_nothing_changed_writes_neither_and_jobs_change_nothing(site, tmp_path, monkeypatch):
    before = snapshot(site)
    assert run_cli(site, "sync").output.endswith("0 file(s) changed\n")
    assert snapshot(site) == before
    again = tmp_path / "again"
    again.mkdir()
    other = copy_project(again, with_outputs=True)
    (other / "l10n.yaml").write_bytes((site / "l10n.yaml").read_bytes())
    assert run_cli(other, "sync", "--jobs", "1", "--no-cache").exit_code == 0
    for name in ("output/manifest.json", "output/sitemap.xml"):
        assert (other / name).read_bytes() == before[name]


def test_a_sync_of_one_locale_keeps_the_others_pages(site):
    before = (site / "output" / "manifest.json").read_bytes()
    source = site / "source_articles" / "ferritin-levels.html"
    source.write_text(source.read_text(encoding="utf-8").replace("iron", "Iron"), encoding="utf-8")
    assert run_cli(site, "sync", "-l", "ko").exit_code == 0
    pages = json.loads((site / "output" / "manifest.json").read_text(encoding="utf-8"))["pages"]
    old = {(p["slug"], p["locale"]): p for p in json.loads(before)["pages"]}
    assert {(p["slug"], p["locale"]) for p in pages} == set(old)
    assert [p for p in pages if p["locale"] == "ja"] == [p for p in old.values() if p["locale"] == "ja"]


def test_without_base_url_there_is_no_manifest(tmp_path):
    project = copy_project(tmp_path)
    assert run_cli(project, "sync").exit_code == 0
    assert not (project / "output" / "manifest.json").exists() and not (project / "output" / "sitemap.xml").exists()


@pytest.mark.parametrize("setting", ["base_url: ftp://example.org", "url_pattern: '{base_url}/{slug}.html'",
                                     "url_pattern: '{base_url}/{lang}/{slug}/{page}'"])
def test_a_bad_url_setting_is_refused_with_its_line(tmp_path, setting):
    project = copy_project(tmp_path)
    with (project / "l10n.yaml").open("a", encoding="utf-8") as handle:
        handle.write(f"\nbase_url: {BASE}\n" if not setting.startswith("base_url") else "\n")
        handle.write(setting + "\n")
    result = run_cli(project, "sync")
    assert result.exit_code == 2
    assert "l10n.yaml:" in result.output and ("base_url" in result.output or "url_pattern" in result.output)


def page_links(path: Path) -> tuple[list[str], dict[str, str]]:
    """The canonical links and the hreflang alternates of a published page's head."""
    from .helpers import parse_html

    head = parse_html(path.read_bytes()).find("head")
    canonical = [link.get("href") for link in head.findall("link") if link.get("rel") == "canonical"]
    alternates = {link.get("hreflang"): link.get("href") for link in head.findall("link")
                  if link.get("rel") == "alternate" and link.get("hreflang")}
    return canonical, alternates


def published_pages(project: Path) -> dict[str, Path]:
    """URL -> output file of every published page."""
    return {f"{BASE}/{path.parent.name}/{path.stem}.html": path for path in (project / "output").glob("*/*.html")}


def test_every_published_page_links_to_itself_and_its_translations(site, tmp_path):
    urls = sitemap(site, tmp_path)
    pages = published_pages(site)
    assert len(pages) == 5
    for url, path in pages.items():
        canonical, alternates = page_links(path)
        assert canonical == [url], f"{path}: one canonical link, to itself"
        assert alternates == urls[url], f"{path}: the same alternates as the sitemap"
        for lang, href in alternates.items():       # reciprocity between the pages themselves
            if href in pages:
                assert page_links(pages[href])[1] == alternates
    assert "ja" not in page_links(site / "output" / "ko" / "neutropenia-during-chemotherapy.html")[1]


def test_a_sources_own_canonical_and_hreflang_links_are_replaced(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    project = copy_project(tmp_path)
    source = project / "source_articles" / "ferritin-levels.html"
    source.write_text(source.read_text(encoding="utf-8").replace(
        "</head>", '<link rel="canonical" href="https://old.example.org/ferritin">\n'
                   '<link rel="alternate" hreflang="de" href="https://old.example.org/de/ferritin">\n'
                   '<link rel="stylesheet" href="/site.css">\n</head>'), encoding="utf-8")
    with (project / "l10n.yaml").open("a", encoding="utf-8") as handle:
        handle.write(f"\nbase_url: {BASE}\n")
    assert run_cli(project, "sync").exit_code == 0
    page = project / "output" / "ko" / "ferritin-levels.html"
    canonical, alternates = page_links(page)
    assert canonical == [f"{BASE}/ko/ferritin-levels.html"] and set(alternates) == {"en", "ko", "ja", "x-default"}
    assert b'<link rel="stylesheet" href="/site.css">' in page.read_bytes()


def test_a_locale_synced_alone_is_linked_from_the_others_at_the_next_sync(site):
    import polib

    catalog = site / "locales" / "ja" / "vitamin-d-bone-health.po"
    po = polib.pofile(str(catalog))
    for entry in [e for e in po if e.translated() and not e.obsolete][:8]:
        entry.msgstr = ""
    po.save(str(catalog))
    assert run_cli(site, "sync", "-l", "ja").exit_code == 0
    assert not (site / "output" / "ja" / "vitamin-d-bone-health.html").exists()   # no longer published
    assert run_cli(site, "sync").exit_code == 0                                    # ko's page follows
    assert set(page_links(site / "output" / "ko" / "vitamin-d-bone-health.html")[1]) == {"en", "ko", "x-default"}
    before = snapshot(site)
    assert run_cli(site, "sync").output.endswith("0 file(s) changed\n")
    assert snapshot(site) == before
    fresh = json.loads((site / "output" / "manifest.json").read_text(encoding="utf-8"))["pages"]
    assert {(p["slug"], p["locale"]): p["published"] for p in fresh}[("vitamin-d-bone-health", "ja")] is False


@pytest.mark.parametrize("old, new", [("<loc>", "<location>"), ('hreflang="ko"', 'hreflang="ko_KR"'),
                                      ('rel="alternate"', 'rel="canonical"')])
def test_the_schema_refuses_what_a_search_engine_would(site, old, new):
    """The official schema (with the alternates declared) is a real check: a broken sitemap fails it."""
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "xhtml-link.xsd")))
    text = (site / "output" / "sitemap.xml").read_text("utf-8")
    assert old in text
    broken = text.replace(old, new, 1)
    if old == "<loc>":
        broken = broken.replace("</loc>", "</location>", 1)
    assert not schema.validate(etree.fromstring(broken.encode("utf-8")))


#: ja's pages live on their own host, under a pattern of their own (README: `url_pattern` per locale).
JA_PATTERN = "https://ja.example.org/{slug}"


@pytest.fixture()
def urls_site(tmp_path, monkeypatch) -> Path:
    """The sample with ja on its own URL pattern, pt_BR published whatever its share (threshold 0: all its
    pages, in English), and de, which has nothing translated and so publishes nothing."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    project = copy_project(tmp_path, with_outputs=True)
    config = project / "l10n.yaml"
    text = config.read_text(encoding="utf-8")
    old = "  - code: ja\n    publish_threshold: 0.5\n"
    assert old in text
    config.write_text(text.replace(old, old + f'    url_pattern: "{JA_PATTERN}"\n'
                                         "  - code: pt_BR\n    publish_threshold: 0\n  - de\n")
                      + f"\nbase_url: {BASE}\n", encoding="utf-8")
    result = run_cli(project, "sync")
    assert result.exit_code == 0, result.output
    return project


def test_a_locales_url_pattern_and_bcp47_codes_are_used_everywhere_a_page_is_linked(urls_site, tmp_path):
    manifest = json.loads((urls_site / "output" / "manifest.json").read_text(encoding="utf-8"))["pages"]
    by_path = {p["path"]: p for p in manifest if p["published"]}
    assert {p["locale"] for p in by_path.values()} == {"ko", "ja", "pt-BR"}, "de publishes nothing"
    urls = sitemap(urls_site, tmp_path)
    pages = sorted((urls_site / "output").glob("*/*.html"))
    assert {p.relative_to(urls_site).as_posix() for p in pages} == set(by_path)
    for path in pages:
        entry = by_path[path.relative_to(urls_site).as_posix()]
        slug, lang = entry["slug"], entry["locale"]
        own = JA_PATTERN.format(slug=slug) if lang == "ja" else f"{BASE}/{lang}/{slug}.html"
        assert entry["url"] == own
        canonical, alternates = page_links(path)
        assert canonical == [own], f"{path}: its canonical is its own URL, by its locale's pattern"
        assert alternates[lang] == own and alternates == urls[own], f"{path}: the sitemap entry's alternates"
        for href in alternates.values():                          # reciprocal, on the pages themselves too
            assert urls[href] == alternates
    ferritin = urls[f"{BASE}/en/ferritin-levels.html"]
    assert ferritin == {"en": f"{BASE}/en/ferritin-levels.html", "ko": f"{BASE}/ko/ferritin-levels.html",
                        "ja": "https://ja.example.org/ferritin-levels",
                        "pt-BR": f"{BASE}/pt-BR/ferritin-levels.html",
                        "x-default": f"{BASE}/en/ferritin-levels.html"}
    linked = (urls_site / "output" / "sitemap.xml").read_text("utf-8") + "".join(
        p.read_text("utf-8") for p in pages)
    assert "pt_BR" not in linked and 'hreflang="pt-BR"' in linked, "the gettext spelling is never a hreflang"
    assert 'hreflang="de"' not in linked and "/de/" not in linked, "an unpublished locale is never linked"
    assert "https://ja.example.org/neutropenia-during-chemotherapy" not in linked, "nor an unpublished page"
    assert "neutropenia-during-chemotherapy" in urls_site.joinpath("output", "sitemap.xml").read_text("utf-8")
