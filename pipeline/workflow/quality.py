"""``l10n check`` over the project: settings, locales and the sync plan, handed to the checks."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from pipeline.checks import CheckContext, Findings, Thresholds, load_settings, run_checks
from pipeline.workflow.project import Project, discover_articles
from pipeline.workflow.sync import CacheMode, RunOptions, plan_run


def check_project(project: Project, *, locales: tuple[str, ...] | list[str] = (), only: tuple[str, ...] = (),
                  skip: tuple[str, ...] = (), override: Thresholds = Thresholds(), jobs: int = 1) -> Findings:
    """Run the checks on a project: its settings (l10n.yaml ``checks:``, ``glossary:``) with ``override``
    on top, over the given locales (default: all), with the sync plan computed in memory, never written.
    ``jobs`` processes read the files, run the per-article checks and compute the plan; the findings do not
    depend on it.
    """
    config = project.config
    settings = load_settings(config).with_override(override)
    targets = [config.locale(code) for code in locales] if locales else list(config.locales)
    options = RunOptions(locales=tuple(loc.code for loc in targets), keep_going=True, keep_content=True,
                         cache=CacheMode.READ, jobs=jobs)

    def plan(steps: frozenset[str]) -> Any:
        return plan_run(project, replace(options, steps=steps))

    ctx = CheckContext.for_project(project, articles=discover_articles(project), locales=targets,
                                   settings=settings, plan=plan)
    return run_checks(ctx, only=only, skip=skip, jobs=jobs)
