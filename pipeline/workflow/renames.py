"""Which live article an orphan catalog most likely belongs to, for ``l10n status`` to name renames.

An orphan is a catalog (or template) whose source article is gone. Its translations stay in the memory (a
renamed article finds them again); this module only says where they most likely went: the live article whose
units hold the largest share of the orphan's entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.core.errors import PipelineError
from pipeline.core.model import Key
from pipeline.html.extract import read_source, segment_units
from pipeline.po.files import parse_po
from pipeline.workflow.project import Article, Project

#: An orphan is named as renamed when at least this share of its entries is in one live article.
RENAME_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class Rename:
    """The live article most of an orphan's entries are in, and that share."""

    slug: str
    share: float


def likely_renames(project: Project, orphans: list[str], articles: list[Article]) -> dict[str, Rename]:
    """For each orphan (project-relative path), the live article holding most of its entries, if it holds
    at least ``RENAME_SHARE`` of them."""
    if not orphans or not articles:
        return {}
    units = {a.slug: _article_keys(project, a) for a in articles}
    found: dict[str, Rename] = {}
    for rel in orphans:
        keys = _catalog_keys(project.config.root / rel)
        if not keys:
            continue
        share, slug = max((len(keys & theirs) / len(keys), slug) for slug, theirs in sorted(units.items(),
                                                                                            reverse=True))
        if share >= RENAME_SHARE:
            found[rel] = Rename(slug, share)
    return found


def _catalog_keys(path: Path) -> set[Key]:
    """The (msgctxt, msgid) of a catalog's live entries; empty when it cannot be read."""
    try:
        po = parse_po(path.read_bytes(), path=str(path))
    except (OSError, PipelineError):
        return set()
    return {e.key for e in po.live() if e.msgid}


def _article_keys(project: Project, article: Article) -> set[Key]:
    """The (msgctxt, msgid) of an article's units: from its template on disk, or from its source if it has none."""
    template = project.template_path(article.slug)
    if template.exists():
        return _catalog_keys(template)
    try:
        doc = read_source(article.path, slug=article.slug, reference=project.relative(article.path),
                          max_bytes=project.config.max_source_bytes)
    except PipelineError:
        return set()
    return {(u.context, u.msgid) for u in segment_units(doc, project.policy)}
