"""The two pages a reviewer reads side by side: the English source, and the page built from the catalog now."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.html.build import source_signature
from pipeline.html.extract import collect_slots, document_from_bytes
from pipeline.html.publish import render_output, unpublished_reason
from pipeline.po.files import parse_po
from pipeline.reviewapp.units import catalog_path
from pipeline.workflow import Project, discover_articles
from pipeline.workflow.changes import read_bytes


@dataclass(frozen=True, slots=True)
class Page:
    """An HTML page to show, and why the build would not publish it (empty: it would)."""

    html: bytes
    unpublished: str = ""


def source_page(project: Project, slug: str) -> Page:
    """The English article as it is in the source folder."""
    return Page(_source_path(project, slug).read_bytes())


def translated_page(project: Project, locale: str, slug: str) -> Page:
    """The page the build would write from the source and the catalog on disk now (rejected units fall back
    to English, as they will be published)."""
    loc = project.config.locale(locale)
    path = _source_path(project, slug)
    reference = project.relative(path)
    doc = document_from_bytes(path.read_bytes(), path=path, slug=slug, reference=reference)
    slots = collect_slots(doc, project.policy)
    catalog = catalog_path(project, locale, slug)
    data = read_bytes(catalog)
    po = parse_po(data, path=project.relative(catalog)) if data is not None else None
    assembled = render_output(doc, slots, source_signature(doc.root), po, loc, policy=project.policy,
                              source_language=project.config.source_language)
    return Page(assembled.html, unpublished_reason(assembled, loc))


def _source_path(project: Project, slug: str) -> Path:
    for article in discover_articles(project):
        if article.slug == slug:
            return article.path
    raise LookupError(f"no source article named {slug}")
