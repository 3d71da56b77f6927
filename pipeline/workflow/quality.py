"""``l10n check`` over the project: settings, locales and the sync plan, handed to the checks."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from pipeline.checks import Findings, ProjectContext, Thresholds, load_settings, run_checks
from pipeline.workflow.cache import SyncRecords, code_fingerprint
from pipeline.workflow.project import CACHE_DIR, Project, discover_articles
from pipeline.workflow.sync import CacheMode, RunOptions, plan_run


def check_project(project: Project, *, locales: tuple[str, ...] | list[str] = (), only: tuple[str, ...] = (),
                  skip: tuple[str, ...] = (), override: Thresholds = Thresholds(), jobs: int = 1,
                  cache: bool = True) -> Findings:
    """Run the checks on a project: its settings (l10n.yaml ``checks:``, ``glossary:``) with ``override``
    on top, over the given locales (default: all), with the sync plan computed in memory, never written.
    ``jobs`` processes read the files, run the per-article checks and compute the plan; the findings do not
    depend on it. With ``cache`` the plan reads ``.l10n-cache/`` and the checks keep there what they may reuse
    (each article's report, the Korean analyser's answers, the ``page`` verdicts) and takes the last sync's
    verdict records (a translation its build found clean is not checked again), its readings of the sources
    (the same bytes are not segmented again) and its templates (the same bytes are parsed only if a check reads
    them): an article whose files, checks, settings and plan are those of a kept report is not read again
    (``Findings.read`` lists those that were). Without it, everything is computed again. The findings are the
    same.
    """
    config = project.config
    settings = load_settings(config).with_override(override)
    targets = [config.locale(code) for code in locales] if locales else list(config.locales)
    options = RunOptions(locales=tuple(loc.code for loc in targets), keep_going=True, keep_content=True,
                         cache=CacheMode.READ if cache else CacheMode.OFF, jobs=jobs)

    def plan(steps: frozenset[str]) -> Any:
        return plan_run(project, replace(options, steps=steps))

    fingerprint = code_fingerprint(config.path.read_bytes()) if cache else ""
    # the last sync's records: a translation its build found clean is not checked again for citations,
    # placeholders and numbers, a source it segmented is not segmented again, and a template it left is parsed
    # only if a check reads it (each worker opens the cache read-only, on first use)
    records = SyncRecords(config.root / CACHE_DIR, fingerprint) if cache else None
    ctx = ProjectContext.for_project(project, articles=discover_articles(project), locales=targets,
                                     settings=settings, plan=plan,
                                     cache_dir=config.root / CACHE_DIR if cache else None,
                                     fingerprint=fingerprint, verdicts=records, readings=records,
                                     templates=records)
    return run_checks(ctx, only=only, skip=skip, jobs=jobs)
