"""The figures of ``l10n status --json`` and ``l10n report``: per locale and per article, as plain data.

What a sync would leave (the run is planned, never written): units and words translated, fuzzy and
untranslated, fallbacks by reason, and whether each article is published (or why not). The shape is the one
``pipeline.reporting.STATUS_SCHEMA`` describes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.core.errors import PipelineError
from pipeline.core.model import Stats
from pipeline.html.extract import read_source
from pipeline.po.review import ReviewState
from pipeline.text.reasons import FALLBACK_REASONS, SAFETY_REASONS
from pipeline.workflow.history import read_history
from pipeline.workflow.project import STEPS, Project, discover_articles
from pipeline.workflow.sync import CacheMode, RunOptions, RunResult, plan_run

#: Version of the status data's shape; it changes only when a field changes meaning or goes away.
STATUS_VERSION = 1
#: Fallback reasons in the order a content lead reads them (gravest last).
REASONS = FALLBACK_REASONS
#: Review states, as status and the manifest count units in them.
REVIEW_STATES = tuple(state.value for state in ReviewState)


def plan_status(project: Project, *, locales: Sequence[str] = (), jobs: int = 1,
                cache: CacheMode = CacheMode.READ) -> RunResult:
    """The run a sync would make, with every article's figures (``details``); nothing is written."""
    return plan_run(project, RunOptions(steps=STEPS, locales=tuple(locales), jobs=jobs, cache=cache, details=True))


def _counts(stats: Stats) -> tuple[dict[str, int], dict[str, int]]:
    units = {"translated": stats.translated, "fuzzy": stats.fuzzy, "untranslated": stats.untranslated,
             "total": stats.total}
    words = {"translated": stats.words_translated, "fuzzy": stats.words_fuzzy,
             "untranslated": stats.words_untranslated,
             "total": stats.words_translated + stats.words_fuzzy + stats.words_untranslated}
    return units, words


def _fallbacks(total: int, reasons: dict[str, int]) -> dict[str, Any]:
    by_reason = {reason: int(reasons.get(reason, 0)) for reason in REASONS}
    return {"total": total, "held_back": sum(by_reason[r] for r in SAFETY_REASONS), "by_reason": by_reason}


def _review_totals(mode: str, figures: Any) -> dict[str, Any] | None:
    """A locale's units per review state over its articles (None when its review is off)."""
    if mode == "off":
        return None
    totals: Counter[str] = Counter()
    for article in figures:
        totals.update(article.review or {})
    return {"mode": mode, **{state: totals[state] for state in REVIEW_STATES}}


def article_title(project: Project, path: Path, slug: str) -> str | None:
    """The source article's ``<title>`` text, whitespace-normalised (None if it has none or cannot be read)."""
    try:
        doc = read_source(path, slug=slug, reference=project.relative(path),
                          max_bytes=project.config.max_source_bytes)
    except PipelineError:
        return None
    title = doc.root.find(".//title")
    text = " ".join("".join(title.itertext() if title is not None else ()).split())
    return text or None


def last_english_changed(project: Project) -> set[str]:
    """The articles whose English changed in the last recorded sync (its newest history line's list)."""
    history = read_history(project)
    return set(history[-1]["english_changed"]) if history else set()


def project_status(project: Project, result: RunResult, *, tool_version: str) -> dict[str, Any]:
    """The status data of a planned run (see :func:`plan_status`): locales, articles, orphans, pending files."""
    config = project.config
    locales = []
    for code, summary in result.summaries.items():
        loc = config.locale(code)
        units, words = _counts(summary.stats)
        locales.append({
            "locale": code, "bcp47": loc.info.bcp47, "name": loc.info.name,
            "publish_threshold": loc.publish_threshold, "articles": summary.articles,
            "published": summary.published, "units": units, "words": words,
            "translated_share": round(summary.stats.ratio, 4),
            "fallbacks": _fallbacks(summary.fallbacks, summary.reasons),
            "unpublished": [{"article": slug, "reason": reason} for slug, reason in summary.unpublished],
            "review": _review_totals(loc.review, result.details.get(code, {}).values()),
        })
    changed = last_english_changed(project)
    articles = []
    for article in discover_articles(project):
        rows = []
        for code in result.summaries:
            figures = result.details.get(code, {}).get(article.slug)
            if figures is None:
                continue
            loc = config.locale(code)
            units, words = _counts(figures.stats)
            output = project.output_path(loc.info.bcp47, article.slug)
            rows.append({
                "locale": code, "catalog": project.relative(project.catalog_path(code, article.slug)),
                "output": project.relative(output) if figures.published else None,
                "units": units, "words": words, "translated_share": round(figures.stats.ratio, 4),
                "published": figures.published, "reason": figures.reason or None,
                "fallbacks": _fallbacks(figures.fallbacks, figures.reasons),
                "review": figures.review,
                "went_fuzzy": [{"msgid": msgid, "previous": previous} for msgid, previous in figures.went_fuzzy],
            })
        if rows:
            articles.append({"slug": article.slug, "title": article_title(project, article.path, article.slug),
                             "source": project.relative(article.path),
                             "english_changed_in_last_sync": article.slug in changed, "locales": rows})
    return {
        "version": STATUS_VERSION,
        "tool": {"name": "l10n status", "version": tool_version},
        "project": config.project,
        "source_language": config.source_language,
        "locales": locales,
        "articles": articles,
        "orphans": list(result.orphans),
        "stale": sorted(result.stale),
        "pending_changes": len(result.changes),
    }


@dataclass(frozen=True, slots=True)
class WorkLeft:
    """One entry a translator still has to do: untranslated, or fuzzy (a translation awaiting a look)."""

    path: Path          #: its catalog
    line: int | None    #: where the entry starts in it
    fuzzy: bool
    words: int          #: of its English
    msgid: str


def work_left(project: Project, locale: str) -> dict[str, list[WorkLeft]]:
    """slug -> the entries of the article's catalog in ``locale`` that are not translated, in catalog order;
    articles with none are left out (``l10n status --todo``)."""
    from pipeline.text.placeholders import count_words
    from pipeline.workflow.translators import read_locale_catalogs

    found: dict[str, list[WorkLeft]] = {}
    for slug, (path, po) in read_locale_catalogs(project, locale).items():
        left = [WorkLeft(path, entry.linenum, entry.fuzzy, count_words(entry.msgid), entry.msgid)
                for entry in po.live() if not entry.translated()]
        if left:
            found[slug] = left
    return found
