"""The ``l10n check`` command: the quality gate CI runs.

Parses the options, runs ``workflow.check_project``, prints the report and exits with its status. Registered on the ``l10n`` group by ``cli.py``; it uses the group's
``Context`` (``ctx.obj``) and error handling, and imports nothing from ``cli`` (which imports this).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pipeline import __version__

if TYPE_CHECKING:  # at run time each command imports what it uses: `l10n --version` stays light
    from pipeline.checks import Findings

from pipeline.cli.options import adjust_verbosity, jobs_option
from pipeline.core.parallel import default_jobs

if TYPE_CHECKING:
    from pipeline.cli.main import Context

#: The report formats (``checks.report.FORMATS``, spelled out so that ``l10n --help`` imports no check).
FORMATS = ("text", "json", "junit", "github", "sarif")

CHECK_EPILOG = """\b
Thresholds apply per catalog (one locale, one article); the command line wins over
l10n.yaml (`checks:`), a locale's own setting over the top-level one:
  --min-translated PCT  a catalog with fewer than PCT% of its entries translated is one
                        `untranslated` finding; without any minimum, every untranslated
                        entry is a finding
  --max-fuzzy N         a catalog with more than N fuzzy entries is one `fuzzy` finding;
                        without it, every fuzzy entry is a finding
  --allow-fuzzy         fuzzy entries are reported as info and never fail

\b
Formats: text (file:line: severity[check]: message, grouped by file, then a summary),
json (versioned schema, see the README), junit (a testcase per catalog and check),
github (workflow annotations; also a Markdown summary to $GITHUB_STEP_SUMMARY when set),
sarif (SARIF 2.1.0 for code-scanning dashboards).

\b
Exit codes:
  0    no finding at error level (warnings and info never fail)
  1    findings at error level
  2    bad usage or configuration, or a file that does not parse (so it was not checked)
  3    internal error (a bug): --debug shows the traceback
  130  interrupted (Ctrl-C)
"""


def _ids(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    """Check ids from repeated or comma-separated values; unknown ids are a usage error."""
    from pipeline.checks import REGISTRY
    ids = [part.strip() for value in values for part in value.split(",") if part.strip()]
    for check_id in ids:
        if check_id not in REGISTRY:
            raise click.BadParameter(f"unknown check {check_id!r} (known: {', '.join(REGISTRY)})")
        if param.name == "skip" and REGISTRY[check_id].required:
            raise click.BadParameter(f"{check_id!r} cannot be skipped: a file that cannot be read cannot "
                                     "be checked")
    return tuple(dict.fromkeys(ids))


@click.command(epilog=CHECK_EPILOG)
@click.option("-q", "--quiet", count=True, expose_value=False, callback=adjust_verbosity(-1),
              help="Text report: only findings at error level, no summary.")
@click.option("-l", "--locale", "locales", multiple=True, metavar="LANG",
              help="Only this locale (repeatable). Default: every locale in l10n.yaml.")
@click.option("--only", multiple=True, metavar="ID[,ID]", callback=_ids,
              help="Run only these checks (repeatable; `syntax` always runs), even ones l10n.yaml skips.")
@click.option("--skip", multiple=True, metavar="ID[,ID]", callback=_ids, help="Do not run these checks.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Report format.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the report to this file (the summary line still goes to stderr).")
@click.option("--min-translated", type=click.FloatRange(0, 100), metavar="PCT",
              help="Minimum % of each catalog's entries translated (see below).")
@click.option("--max-fuzzy", type=click.IntRange(min=0), metavar="N", help="Fuzzy entries allowed per catalog.")
@click.option("--allow-fuzzy/--no-allow-fuzzy", default=None, help="Report fuzzy entries as info only.")
@jobs_option(default_jobs(), same="The findings are the same whatever N.")
@click.option("--no-cache", "no_cache", is_flag=True,
              help="Ignore .l10n-cache/: compute everything again, keep nothing (the findings are the same).")
@click.option("--list", "list_checks", is_flag=True, help="List the checks (id, default severity, description).")
@click.pass_obj
def check(obj: Context, locales: tuple[str, ...], only: tuple[str, ...], skip: tuple[str, ...], fmt: str,
          output: Path | None, min_translated: float | None, max_fuzzy: int | None, allow_fuzzy: bool | None,
          no_cache: bool, list_checks: bool) -> None:
    """Check the catalogs before publishing: completeness, citations, placeholders, numbers and
    doses, the disclaimer, the glossary, headers and syntax, and whether a sync is due.

    Writes nothing but the report file of -o (and, in .l10n-cache/, what the next check may reuse).
    `l10n check --list` names every check; choose with --only/--skip, set severities and thresholds in
    l10n.yaml under `checks:`.
    """
    from pipeline.checks import Thresholds
    from pipeline.checks.report import exit_status, format_check_list, format_summary, format_text, render
    from pipeline.core.files import write_atomic
    from pipeline.core.model import Severity
    from pipeline.workflow import check_project
    if list_checks:
        click.echo(format_check_list(), nl=False)
        return
    project = obj.project()
    findings = check_project(project, locales=locales, only=only, skip=skip,
                             override=Thresholds(min_translated, max_fuzzy, allow_fuzzy), jobs=obj.jobs,
                             cache=not no_cache)
    status = exit_status(findings)
    if fmt == "text":
        quiet = obj.verbosity < 1
        report = format_text(findings, min_severity=Severity.ERROR if quiet else Severity.INFO, summary=not quiet)
    else:
        report = render(findings, fmt, tool_version=__version__)
    if output is not None:
        write_atomic(output, report.encode("utf-8"))
        obj.say(format_summary(findings), err=True)
    else:
        click.echo(report, nl=False)
        if fmt not in ("text", "github"):
            obj.say(format_summary(findings), err=True)
    if fmt == "github":
        _write_step_summary(obj, findings)
    sys.exit(int(status))


def _write_step_summary(obj: Context, findings: Findings) -> None:
    """Append the Markdown summary to $GITHUB_STEP_SUMMARY (GitHub shows only 10 annotations per level)."""
    from pipeline.checks.report import format_markdown
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    try:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(format_markdown(findings))
    except OSError as exc:
        obj.say(f"warning: cannot write the step summary to {target}: {exc.strerror}", level=0, err=True)


__all__ = ["check"]
