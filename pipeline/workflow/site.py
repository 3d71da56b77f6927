"""What the web site publishes from: ``output/manifest.json`` and ``output/sitemap.xml``, per sync.

Written when ``base_url`` is set in ``l10n.yaml``, and only when their content changes (so a second sync with
nothing changed still writes nothing). The manifest lists every article and locale: the page's translated
title, output path and URL, published or why not, the translated share, and the hashes of the source and
catalog it was built from, so a CMS importer reads one file instead of scanning folders. The sitemap lists
every published page (the source language's too) with an ``xhtml:link`` alternate for each language it is
published in and ``x-default`` (the source), with absolute URLs. A sync of some locales (``-l``) keeps what
the previous manifest says of the others.
"""

from __future__ import annotations

import json
from typing import Any, cast

from pipeline.core.config import LocaleConfig
from pipeline.core.files import stage_file
from pipeline.workflow.changes import Change, digest, read_bytes
from pipeline.workflow.job import SiteLinks
from pipeline.workflow.project import Project, discover_articles
from pipeline.workflow.sync import RunResult, site_links

#: Version of the manifest's shape.
MANIFEST_VERSION = 1
MANIFEST = "manifest.json"
SITEMAP = "sitemap.xml"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def page_url(project: Project, lang: str, slug: str, loc: LocaleConfig | None = None) -> str:
    """The absolute URL of a page (``loc`` None: the source language's), as the pages link to it."""
    links = site_links(project)
    assert links is not None, "only with base_url"
    return links.url(loc.info.bcp47 if loc is not None else links.source, slug)


def _previous_pages(project: Project) -> list[dict[str, Any]]:
    data = read_bytes(project.config.output_dir / MANIFEST)
    try:
        pages = json.loads(data)["pages"] if data else []
    except (ValueError, KeyError, TypeError):
        return []
    return [p for p in pages if isinstance(p, dict)] if isinstance(pages, list) else []


def manifest_pages(project: Project, result: RunResult) -> list[dict[str, Any]]:
    """Every (article, locale) the run covered, in slug then configured-locale order, with the pages of
    configured locales it did not cover taken from the previous manifest."""
    config = project.config
    slugs = [a.slug for a in discover_articles(project)]
    covered = set(result.details)
    previous = {(p.get("slug"), p.get("locale")): p for p in _previous_pages(project)}
    pages = []
    for slug in slugs:
        for loc in config.locales:
            if loc.code not in covered:
                kept = previous.get((slug, loc.info.bcp47))
                if kept is not None:
                    pages.append(kept)
                continue
            figures = result.details[loc.code].get(slug)
            if figures is None:
                continue
            output = project.output_path(loc.info.bcp47, slug)
            pages.append({
                "slug": slug, "locale": loc.info.bcp47, "catalog_locale": loc.code,
                "title": figures.title, "published": figures.published, "reason": figures.reason or None,
                "path": project.relative(output) if figures.published else None,
                "url": page_url(project, loc.info.bcp47, slug, loc) if figures.published else None,
                "translated_share": round(figures.stats.ratio, 4),
                "source_hash": figures.source_hash, "catalog_hash": figures.catalog_hash,
                "review": None if figures.review is None else {"mode": loc.review, **figures.review},
            })
    return pages


def manifest_data(project: Project, pages: list[dict[str, Any]]) -> bytes:
    """The manifest's bytes (deterministic: sorted keys, no time stamp)."""
    config = project.config
    data = {"version": MANIFEST_VERSION, "base_url": config.base_url, "source_language": config.source_language,
            "pages": pages}
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def sitemap_data(project: Project, pages: list[dict[str, Any]]) -> bytes:
    """The sitemap's bytes: a ``<url>`` per published page with its reciprocal alternates."""
    # imported here: xml.sax.saxutils imports urllib.request, a tenth of a sync's start without a base_url
    from xml.sax.saxutils import escape as xml_escape
    from xml.sax.saxutils import quoteattr

    source = cast(SiteLinks, site_links(project)).source  # called only for a project with a base_url
    by_slug: dict[str, list[tuple[str, str]]] = {}
    for page in pages:
        if page.get("published") and page.get("url"):
            by_slug.setdefault(page["slug"], []).append((page["locale"], page["url"]))
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}">']
    for slug in sorted(by_slug):
        source_url = page_url(project, source, slug)
        versions = [(source, source_url), *by_slug[slug]]
        alternates = [*versions, ("x-default", source_url)]
        for _, url in versions:
            lines.append("  <url>")
            lines.append(f"    <loc>{xml_escape(url)}</loc>")
            for lang, href in alternates:
                lines.append(f'    <xhtml:link rel="alternate" hreflang={quoteattr(lang)} href={quoteattr(href)}/>')
            lines.append("  </url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _change(path: Any, data: bytes, *, stage: bool) -> Change | None:
    current = read_bytes(path)
    if current == data:
        return None
    return Change(path, "site", durable=True, expected=digest(current), new=digest(data),
                  staged=stage_file(path, data, durable=True) if stage else None)


def site_changes(project: Project, result: RunResult, *, stage: bool) -> list[Change]:
    """The manifest and sitemap as this run leaves the project, as changes where they differ from the files
    (none without ``base_url``)."""
    config = project.config
    if not config.base_url or not result.details:
        return []
    pages = manifest_pages(project, result)
    changes = [_change(config.output_dir / MANIFEST, manifest_data(project, pages), stage=stage),
               _change(config.output_dir / SITEMAP, sitemap_data(project, pages), stage=stage)]
    return [change for change in changes if change is not None]
