"""The ``l10n report`` command: the status page, one self-contained HTML file for content leads.

Registered on the ``l10n`` group by ``cli.py``; uses the group's ``Context`` (``ctx.obj``) and error handling,
and imports nothing from ``cli`` (which imports this).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pipeline import __version__
from pipeline.cli.options import adjust_verbosity, jobs_option
from pipeline.core.parallel import default_jobs

if TYPE_CHECKING:  # at run time each command imports what it uses: `l10n --version` stays light
    from pipeline.cli.main import Context
    from pipeline.core.model import Finding

#: Where the page goes without -o: the project root, outside every folder the pipeline owns.
DEFAULT_REPORT = "l10n-report.html"


def _finding(finding: Finding) -> dict[str, Any]:
    return {"check": finding.check, "severity": finding.severity.value, "message": finding.message,
            "path": finding.path, "line": finding.line, "locale": finding.locale, "article": finding.article}


@click.command()
@click.option("-q", "--quiet", count=True, expose_value=False, callback=adjust_verbosity(-1), help="Print only errors.")
@click.option("-v", "--verbose", count=True, expose_value=False, callback=adjust_verbosity(1),
              help="Print more.")
@click.option("-l", "--locale", "locales", multiple=True, metavar="LANG",
              help="Only this locale (repeatable). Default: every locale in l10n.yaml.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE.html",
              help=f"Where to write the page (default: {DEFAULT_REPORT} in the project root); replaced if it "
                   "exists; never inside the source, locales, output or cache folders.")
@jobs_option(default_jobs())
@click.pass_obj
def report(obj: Context, locales: tuple[str, ...], output: Path | None) -> None:
    """Write the status page: one HTML file that opens without a network.

    Per locale and article: units and words translated, fuzzy and untranslated, fallbacks by reason,
    published or why not; a locale x article heat map of the translated share; the findings of
    `l10n check` with file:line; words translated per locale over time (from l10n-history.tsv).
    Tables sort (click a heading) and filter. Writes nothing else; the exit status is 0 whatever it shows.
    """
    from pipeline.checks.report import format_summary
    from pipeline.reporting import render_page
    from pipeline.workflow import (
        HISTORY_FILE,
        check_export_path,
        check_project,
        plan_status,
        project_status,
        read_history,
        write_export,
    )
    project = obj.project()
    path = output if output is not None else project.config.root / DEFAULT_REPORT
    check_export_path(project, path, force=True, suffixes=(".html", ".htm"))
    codes = [project.config.locale(code).code for code in locales]
    result = plan_status(project, locales=codes, jobs=obj.jobs)
    status = project_status(project, result, tool_version=__version__)
    findings = check_project(project, locales=codes, jobs=obj.jobs)
    checks = {"findings": [_finding(f) for f in findings], "summary": format_summary(findings)}
    history = [row for row in read_history(project) if not codes or row["locale"] in codes]
    page = render_page(status, checks, history)
    write_export(project, path, page.encode("utf-8"), force=True)
    obj.say(f"wrote {project.relative(path)}: {len(status['locales'])} locale(s), {len(status['articles'])} "
            f"article(s), {len(checks['findings'])} finding(s), {len(history)} line(s) of {HISTORY_FILE}")


__all__ = ["DEFAULT_REPORT", "report"]
