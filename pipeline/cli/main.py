"""The ``l10n`` command: parse arguments, call the workflow, print, and turn errors into exit codes."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from pipeline import __version__
from pipeline.cli.options import adjust_verbosity, jobs_option, refuse_quiet_and_verbose

if TYPE_CHECKING:  # at run time each command imports what it uses: `l10n --version` stays light
    from pipeline.workflow import (
        CacheMode,
        Change,
        Project,
        Rename,
        RunOptions,
        RunResult,
    )
    from pipeline.workflow.seal import SealWatch

from pipeline.core.errors import ExitCode, InputErrors, PipelineError
from pipeline.core.parallel import default_jobs
from pipeline.core.review_terms import REVIEW_CATEGORIES, REVIEW_SEVERITIES
from pipeline.core.wording import counted, quote

EXIT_CODES_HELP = """\b
Exit codes (the same for every command):
  0    success
  1    `check` found problems at error level; `sync --strict` held a unit back
  2    bad usage, configuration or input (file and line are named)
  3    internal error (a bug): the message names the file; --debug shows the traceback
  4    another sync holds the project lock
  130  interrupted (Ctrl-C)
"""


class Context:
    """Options shared by every command."""

    def __init__(self, config: Path | None, verbosity: int, debug: bool, lock_timeout: float = 5.0) -> None:
        self.config_path = config
        self.verbosity = verbosity
        self.debug = debug
        self.lock_timeout = lock_timeout
        self.jobs = default_jobs()
        self.use_cache = True
        self.verbosity_flags: set[int] = set()     #: -1 for -q, +1 for -v, wherever they were given

    @contextmanager
    def progress(self, label: str, project: Project) -> Iterator[Callable[[int], None] | None]:
        """A progress bar on stderr for long work, when a person watches (a terminal, not CI, not -q)."""
        from pipeline.workflow import discover_articles
        if self.verbosity < 1 or not sys.stderr.isatty() or os.environ.get("CI"):
            yield None
            return
        total = len(discover_articles(project))
        with click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True) as bar:
            yield bar.update

    def locked(self, project: Project) -> AbstractContextManager[None]:
        """The project lock, for commands that write."""
        from pipeline.workflow import project_lock
        return project_lock(project, self.lock_timeout)

    def apply(self, project: Project, changes: list[Change]) -> None:
        """Write the changes; report files it could not write (or that changed meanwhile) and exit 2."""
        from pipeline.workflow import apply_changes
        problems = apply_changes(changes, project)
        if self.verbosity >= 2:
            for change in changes:
                self.say(f"{'removed' if change.remove else 'wrote'} {project.relative(change.path)}", level=2)
        if problems:
            for problem in problems:
                click.echo(f"error: {problem.format_message()}", err=True)
            sys.exit(ExitCode.BAD_INPUT)

    def project(self) -> Project:
        """The project, loaded from --config or the nearest l10n.yaml."""
        from pipeline.workflow import open_project
        return open_project(self.config_path)

    def say(self, message: str, *, level: int = 1, err: bool = False) -> None:
        """Print at or above a verbosity level (0 quiet, 1 normal, 2 verbose)."""
        if self.verbosity >= level:
            click.echo(message, err=err)


class L10nGroup(click.Group):
    """Turns every failure into a one-line message and a documented exit code."""

    def invoke(self, ctx: click.Context) -> object:
        debug = bool(ctx.params.get("debug"))
        try:
            return super().invoke(ctx)
        except InputErrors as exc:
            for error in exc.errors:
                click.echo(f"error: {error.format_message()}", err=True)
            command = self.get_command(ctx, ctx.invoked_subcommand or "")
            keep_going = command is not None and any(p.name == "keep_going" for p in command.params)
            click.echo(f"error: {len(exc.errors)} bad input(s); nothing was written "
                       f"({'fix them, or use --keep-going to process the rest' if keep_going else 'fix them'})",
                       err=True)
            sys.exit(ExitCode.BAD_INPUT)
        except PipelineError as exc:
            click.echo(f"error: {exc.format_message()}", err=True)
            if debug and exc.details:
                click.echo(exc.details, err=True)
            elif debug and exc.__cause__ is not None:
                traceback.print_exception(exc.__cause__, file=sys.stderr)
            sys.exit(exc.exit_code)
        except BrokenPipeError:  # `l10n status | head`: the reader went away; not an error
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(ExitCode.OK)
        except (KeyboardInterrupt, click.exceptions.Abort):
            click.echo("interrupted", err=True)
            sys.exit(ExitCode.INTERRUPTED)
        except (click.ClickException, click.exceptions.Exit, SystemExit):
            raise
        except Exception as exc:  # anything unforeseen: one line, exit 3
            click.echo(f"error: internal error: {type(exc).__name__}: {exc} (rerun with --debug for details)",
                       err=True)
            if debug:
                traceback.print_exc()
            sys.exit(ExitCode.INTERNAL)


@click.group(cls=L10nGroup, epilog=EXIT_CODES_HELP)
@click.version_option(__version__, "--version", prog_name="l10n")
@click.option("--config", "config", type=click.Path(path_type=Path, dir_okay=False),
              help="Path of l10n.yaml (default: the nearest one in this folder or a parent).")
@click.option("-q", "--quiet", count=True, help="Print only errors.")
@click.option("-v", "--verbose", count=True, help="Also list every file written and every fallback.")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@click.option("--lock-timeout", type=float, default=5.0, show_default=True, metavar="SECONDS",
              help="How long a writing command waits for another run's project lock (then exit 4).")
@click.pass_context
def cli(ctx: click.Context, config: Path | None, quiet: int, verbose: int, debug: bool,
        lock_timeout: float) -> None:
    """Localize health articles: HTML sources -> gettext catalogs -> translated HTML.

    \b
    Typical day:
      l10n sync              extract, update every catalog, build every output
      l10n status            the same figures, writing nothing
      l10n init ja           add a locale (recorded in l10n.yaml)

    Translators edit locales/<lang>/<slug>.po in any PO editor; `l10n sync` does the rest.
    """
    ctx.obj = Context(config, 1 - quiet + verbose, debug, lock_timeout)
    ctx.obj.verbosity_flags = {flag for flag, count in ((-1, quiet), (1, verbose)) if count}
    refuse_quiet_and_verbose(ctx.obj.verbosity_flags)


#: a command's function, as the option decorators below take and give it back
_Command = TypeVar("_Command", bound=Callable[..., object])


def _verbosity_options(func: _Command) -> _Command:
    """-q/-v after the command name too (``l10n sync -v``), as before it."""
    func = click.option("-q", "--quiet", count=True, expose_value=False, callback=adjust_verbosity(-1),
                        help="Print only errors.")(func)
    return click.option("-v", "--verbose", count=True, expose_value=False, callback=adjust_verbosity(1),
                        help="Also list every file written and every fallback.")(func)


_jobs_option = jobs_option(default_jobs())


def _cache_option(func: _Command) -> _Command:
    def callback(ctx: click.Context, param: click.Parameter, value: bool) -> None:
        if value and ctx.obj is not None:
            ctx.obj.use_cache = False
    return click.option("--no-cache", is_flag=True, expose_value=False, callback=callback,
                        help="Ignore .l10n-cache/: read and compute everything (the result is the same).")(func)


def _locale_option(func: _Command) -> _Command:
    return click.option("-l", "--locale", "locales", multiple=True, metavar="LANG",
                        help="Only this locale (repeatable). Default: every locale in l10n.yaml.")(func)


def _cache_mode(obj: Context, *, dry_run: bool) -> CacheMode:
    """How a command uses the cache: not at all with --no-cache; only reading it when it writes nothing."""
    from pipeline.workflow import CacheMode
    if not obj.use_cache:
        return CacheMode.OFF
    return CacheMode.READ if dry_run else CacheMode.WRITE


def _run_options(obj: Context, steps: frozenset[str], locales: tuple[str, ...], *, dry_run: bool,
                 keep_going: bool = False, details: bool = False) -> RunOptions:
    """The run a command's flags ask for: a dry run stages nothing, -j sets the workers, --no-cache the cache
    mode, -vv lists every fallback."""
    from pipeline.workflow import RunOptions
    return RunOptions(steps=steps, locales=locales, keep_going=keep_going, stage=not dry_run, jobs=obj.jobs,
                      cache=_cache_mode(obj, dry_run=dry_run), fallbacks=obj.verbosity >= 2, details=details)


def _run(obj: Context, steps: frozenset[str], locales: tuple[str, ...], dry_run: bool, keep_going: bool,
         *, summary: bool = True, strict: bool = False, fail_on_change: bool = False) -> None:
    from pipeline.workflow import STEPS, plan_run
    project = obj.project()
    details = steps == STEPS and bool(project.config.base_url)   # the site's manifest needs every article's
    options = _run_options(obj, steps, locales, dry_run=dry_run, keep_going=keep_going, details=details)
    lines: list[tuple[str, int, bool]] = []
    if dry_run:
        result = plan_run(project, options)
        _add_history(project, result, steps, stage=False)
        for change in result.changes:
            verb = "would remove" if change.remove else "would write"
            obj.say(f"{verb} {project.relative(change.path)}")
        obj.say(f"dry run: {len(result.changes)} file(s) would change; nothing was written")
        if summary:
            lines = _summary_lines(project, result, built="build" in steps)
    else:
        with obj.locked(project), obj.progress("syncing", project) as advance:
            watch = _seal_watch(obj, project, steps, _seal_options(locales, keep_going, strict))
            result = plan_run(project, options, progress=advance)
            _add_history(project, result, steps, stage=True)
            result.prepare()  # the memory is indexed while the changes are applied
            try:
                obj.apply(project, result.changes)
            except BaseException:
                result.abandon()
                raise
            result.finish()
            if summary:
                lines = _summary_lines(project, result, built="build" in steps)
            if watch is not None and not result.errors and not (strict and _held_back(result)):
                watch.seal([os.fspath(change.path) for change in result.changes],
                           [(text, err) for text, level, err in lines if level <= 1])
    for text, level, err in lines:
        obj.say(text, level=level, err=err)
    if summary and not dry_run:
        obj.say(f"{len(result.changes)} file(s) changed")
    if result.errors:
        for error in result.errors:
            click.echo(f"error: {error.format_message()}", err=True)
        click.echo(f"error: {len(result.errors)} bad input(s) skipped (--keep-going); the rest was processed",
                   err=True)
        sys.exit(ExitCode.BAD_INPUT)
    held = _held_back(result)
    if strict and held:
        where = ", ".join(f"{count} in {code}" for code, count in held.items())
        click.echo(f"error: --strict: {sum(held.values())} unit(s) held back because their translation is wrong "
                   f"({where}); `l10n sync -v` lists them, `l10n check` explains them", err=True)
        sys.exit(ExitCode.FINDINGS)
    if fail_on_change and result.changes:
        click.echo(f"error: --check: a sync would change {len(result.changes)} file(s); run `l10n sync` and "
                   "commit what it writes", err=True)
        sys.exit(ExitCode.FINDINGS)


def _held_back(result: RunResult) -> dict[str, int]:
    """Per locale, the units a run held back (published in the source language because they were wrong)."""
    return {code: s.held_back for code, s in result.summaries.items() if s.held_back}


def _seal_options(locales: tuple[str, ...], keep_going: bool, strict: bool) -> tuple[object, ...]:
    """What of a sync's flags its seal is valid for (``--jobs`` and the verbosity change nothing it writes)."""
    return (sorted(locales), keep_going, strict)


def _seal_watch(obj: Context, project: Project, steps: frozenset[str],
                options: tuple[object, ...]) -> SealWatch | None:
    """The watch that leaves a seal after a whole sync (not with --no-cache, which leaves .l10n-cache alone)."""
    from pipeline.workflow import STEPS
    from pipeline.workflow.seal import SealWatch
    return SealWatch(project, options) if steps == STEPS and obj.use_cache else None


def _add_history(project: Project, result: RunResult, steps: frozenset[str], *, stage: bool) -> None:
    """A sync also writes the site's manifest and sitemap where they changed (with base_url), and when it
    changes files appends its figures to the progress history (l10n-history.tsv)."""
    from pipeline.workflow import STEPS, history_change, site_changes
    if steps == STEPS:
        result.changes.extend(site_changes(project, result, stage=stage))
        change = history_change(project, result, stage=stage)
        if change is not None:
            result.changes.append(change)


def _print_summary(obj: Context, project: Project, result: RunResult, *, written: bool, built: bool = True,
                   renames: dict[str, Rename] | None = None) -> None:
    """Print the summary table of a run (see :func:`_summary_lines`), and with ``written`` how many files it
    changed."""
    for text, level, err in _summary_lines(project, result, built=built, renames=renames):
        obj.say(text, level=level, err=err)
    if written:
        obj.say(f"{len(result.changes)} file(s) changed")


def _summary_lines(project: Project, result: RunResult, *, built: bool = True,
                   renames: dict[str, Rename] | None = None) -> list[tuple[str, int, bool]]:
    """The summary of a run as (text, verbosity level, to stderr) lines: the table, publishing figures only for
    runs that built (or would build) pages, the fallbacks, what was not published, the orphans."""
    lines: list[tuple[str, int, bool]] = []
    for finding in result.fallbacks:
        lines.append((f"{finding.path}:{finding.line}: {finding.locale}: fallback to "
                      f"{project.config.source_language}: {finding.message}", 2, False))
    header: tuple[str, ...] = ("locale", "articles", "published", "units done", "fuzzy", "untransl.",
                               "words done", "fuzzy w.", "untr. w.", "fallbacks")
    rows: list[tuple[str, ...]] = []
    for code, s in result.summaries.items():
        st = s.stats
        rows.append((code, str(s.articles), str(s.published), f"{st.translated}/{st.total} ({st.ratio:.0%})",
                     str(st.fuzzy), str(st.untranslated), str(st.words_translated), str(st.words_fuzzy),
                     str(st.words_untranslated), str(s.fallbacks)))
    if not built:   # nothing was published or held back by this run: say nothing about it
        keep = [i for i, name in enumerate(header) if name not in ("published", "fallbacks")]
        header = tuple(header[i] for i in keep)
        rows = [tuple(row[i] for i in keep) for row in rows]
    if result.stale:
        lines.append((f"warning: {len(result.stale)} article(s) changed since their catalogs were updated "
                      f"({', '.join(sorted(result.stale)[:5])}{', ...' if len(result.stale) > 5 else ''}): their "
                      "new units were built in English; run `l10n sync` to update the catalogs", 1, True))
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        lines.append(("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip(), 1, False))
    lines += _reason_lines(result)
    for code, s in result.summaries.items():
        for slug, reason in s.unpublished:
            lines.append((f"{code}: {slug} not published: {reason}", 1, False))
    for orphan in result.orphans:
        rename = (renames or {}).get(orphan)
        hint = f"; {rename.share:.0%} of its entries match {rename.slug} (renamed?)" if rename else ""
        lines.append((f"orphan catalog (its source article is gone; kept): {orphan}{hint}", 1, False))
    return lines


_strict_option = click.option(
    "--strict", is_flag=True,
    help="Exit 1 when a unit was held back because its translation is wrong (a citation, tag, number or "
         "disclaimer): for a publishing job that must stop rather than publish English in its place.")



#: The columns of the fallbacks table, in the order a content lead reads them (gravest last).


def _reason_columns() -> tuple[str, ...]:
    """The fallback table's reason columns: missing, fuzzy, then the safety reasons."""
    from pipeline.text.reasons import FALLBACK_REASONS
    return FALLBACK_REASONS


def _reason_lines(result: RunResult) -> list[tuple[str, int, bool]]:
    """Units of published articles that fell back to the source language, by reason and locale (as summary
    lines)."""
    rows = [(code, s) for code, s in result.summaries.items() if s.fallbacks]
    if not rows:
        return []
    header = ("fallbacks", *_reason_columns(), "held back")
    cells = [(code, *(str(s.reasons[r]) for r in _reason_columns()), str(s.held_back)) for code, s in rows]
    widths = [max(len(r[i]) for r in [header, *cells]) for i in range(len(header))]
    return [("", 1, False)] + [("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip(), 1, False)
                               for row in [header, *cells]]

@cli.command()
@_verbosity_options
@_jobs_option
@_cache_option
@_locale_option
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
@click.option("--check", "fail_on_change", is_flag=True,
              help="As --dry-run, and exit 1 when a file would change (a pre-commit hook, a CI step).")
@click.option("--keep-going", is_flag=True,
              help="Process everything that is not bad input, skip the rest; still exit 2.")
@_strict_option
@click.pass_obj
def sync(obj: Context, locales: tuple[str, ...], dry_run: bool, fail_on_change: bool, keep_going: bool,
         strict: bool) -> None:
    """Extract templates, update every catalog, build every output, print a summary.

    Every input is read and checked first: if any is bad, all bad inputs are reported and nothing is
    written (unless --keep-going). A second sync with no edits in between changes no file.

    A unit whose translation `l10n check` would fail (a lost citation, a wrong tag, a changed number or
    dose, a disclaimer cut short) is published in English instead, counted under "held back" in the
    summary and listed with -v; --strict makes that exit 1.

    --check writes nothing either, and exits 1 when a sync would change a file: the catalogs, templates or
    pages a commit left behind its articles or catalogs.
    """
    dry_run = dry_run or fail_on_change
    if not dry_run and obj.use_cache and obj.verbosity <= 1:
        from pipeline.workflow.seal import replay
        said = replay(obj.config_path, _seal_options(locales, keep_going, strict))
        if said is not None:   # every file is as the last sync left it: it said this, and changed nothing
            for text, err in said:
                obj.say(text, err=err)
            obj.say("0 file(s) changed")
            return
    from pipeline.workflow import STEPS
    _run(obj, STEPS, locales, dry_run, keep_going, strict=strict, fail_on_change=fail_on_change)


@cli.command()
@_verbosity_options
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
@click.option("--keep-going", is_flag=True, help="Skip bad inputs instead of stopping; still exit 2.")
@click.pass_obj
def extract(obj: Context, dry_run: bool, keep_going: bool) -> None:
    """Write locales/templates/<slug>.pot for every source article."""
    _run(obj, frozenset({"extract"}), (), dry_run, keep_going, summary=False)


@cli.command()
@_verbosity_options
@_jobs_option
@_locale_option
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
@click.option("--keep-going", is_flag=True, help="Skip bad inputs instead of stopping; still exit 2.")
@click.pass_obj
def update(obj: Context, locales: tuple[str, ...], dry_run: bool, keep_going: bool) -> None:
    """Extract, then merge every catalog with its template (msgmerge semantics).

    Unchanged units keep their translation; a changed unit gets the closest old translation marked
    fuzzy, with the old source text as `#| msgid`; a removed unit becomes obsolete (`#~`).
    """
    _run(obj, frozenset({"extract", "update"}), locales, dry_run, keep_going)


@cli.command()
@_verbosity_options
@_jobs_option
@_locale_option
@click.option("--keep-going", is_flag=True, help="Skip bad inputs instead of stopping; still exit 2.")
@_strict_option
@click.pass_obj
def build(obj: Context, locales: tuple[str, ...], keep_going: bool, strict: bool) -> None:
    """Write output/<lang>/<slug>.html from the catalogs as they are on disk."""
    _run(obj, frozenset({"build"}), locales, False, keep_going, strict=strict)


@cli.command()
@_verbosity_options
@_cache_option
@_locale_option
@click.option("--todo", "todo", metavar="LANG",
              help="List what is left for LANG's translators: untranslated and fuzzy entries, file:line.")
@click.option("--json", "as_json", is_flag=True,
              help="The same figures as JSON, per locale and per article (schema: pipeline.reporting.STATUS_SCHEMA).")
@click.pass_obj
def status(obj: Context, locales: tuple[str, ...], todo: str | None, as_json: bool) -> None:
    """Print the sync summary (units and words per locale, publishing, orphans); write nothing."""
    from pipeline.reporting import format_status_json
    from pipeline.workflow import STEPS, discover_articles, likely_renames, plan_run, plan_status, project_status
    project = obj.project()
    if as_json:
        if todo:
            raise click.UsageError("--json gives the figures of every article; it does not apply to --todo")
        result = plan_status(project, locales=locales, jobs=obj.jobs, cache=_cache_mode(obj, dry_run=True))
        click.echo(format_status_json(project_status(project, result, tool_version=__version__)), nl=False)
        return
    if todo:
        if locales:
            raise click.UsageError("--todo LANG lists one locale's work; -l/--locale does not apply to it "
                                   f"(use `l10n status --todo {todo}` alone)")
        _print_todo(obj, project, todo)
        return
    result = plan_run(project, _run_options(obj, STEPS, locales, dry_run=True))
    renames = likely_renames(project, result.orphans, discover_articles(project)) if result.orphans else {}
    _print_summary(obj, project, result, written=False, renames=renames)
    pending = len(result.changes)
    if pending:
        obj.say(f"{pending} file(s) are out of date: run `l10n sync`")


def _print_todo(obj: Context, project: Project, lang: str) -> None:
    from pipeline.workflow import work_left
    total_entries = total_words = 0
    for slug, left in work_left(project, lang).items():
        words = sum(entry.words for entry in left)
        total_entries, total_words = total_entries + len(left), total_words + words
        obj.say(f"{slug}: {counted(len(left), 'entry')}, {counted(words, 'word')}")
        for entry in left:
            obj.say(f"  {project.relative(entry.path)}:{entry.line}: {'fuzzy' if entry.fuzzy else 'untranslated'} "
                    f"({counted(entry.words, 'word')}) {quote(entry.msgid)}")
    obj.say(f"{lang}: {counted(total_entries, 'entry')}, {counted(total_words, 'word')} left to translate")


@cli.command()
@_verbosity_options
@click.argument("lang")
@click.pass_obj
def init(obj: Context, lang: str) -> None:
    """Add locale LANG (ko, ja, pt-BR ...): record it in l10n.yaml and create its catalogs."""
    from pipeline.core.config import add_locale
    project = obj.project()
    info, added = add_locale(project.config.path, lang)
    obj.say(f"{'added' if added else 'already configured:'} {info.gettext} ({info.name}), "
            f"Plural-Forms: {info.plural_forms}")
    _run(obj, frozenset({"extract", "update"}), (info.gettext,), False, False, summary=False)


_force_option = click.option("--force", is_flag=True, help="Replace FILE if it already exists.")


@cli.command("export")
@_verbosity_options
@click.argument("lang")
@click.option("-o", "--output", "output", required=True, metavar="FILE",
              type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
              help="The PO file to write for the vendor (- for standard output), or FILE.xlf / FILE.xliff for "
                   "XLIFF; in a folder that exists, outside the project's source, locales and output folders.")
@click.option("--xliff", "xliff", type=click.Choice(["2.1", "1.2"]), metavar="2.1|1.2",
              help="Write XLIFF of this version (default for a .xlf/.xliff FILE: 2.1) instead of PO.")
@_force_option
@click.option("--untranslated", is_flag=True, help="Only entries not yet translated (or fuzzy) somewhere.")
@click.option("--article", "articles", multiple=True, metavar="SLUG",
              help="Only this article (repeatable). Default: every article.")
@click.pass_obj
def export_command(obj: Context, lang: str, output: Path, xliff: str | None, force: bool, untranslated: bool,
                   articles: tuple[str, ...]) -> None:
    """Write one PO (or XLIFF) for a vendor with the entries of LANG's article catalogs.

    The same text in several articles is one entry with all their references, context and comments, so
    the delivery can be merged back with `l10n import`. An entry goes out finished only when every article
    has it finished; otherwise fuzzy, with the best translation an article has (or none), so importing the
    file back untouched changes nothing. An existing FILE is replaced only with --force.

    FILE.xlf (or --xliff 2.1|1.2) writes XLIFF for CAT tools: placeholders and citation markers as the
    standard's inline codes, protected; `l10n import` reads the delivery back.
    """
    from pipeline.po.catalog import catalog_stats
    from pipeline.workflow import (
        STDOUT,
        XLIFF_SUFFIXES,
        check_export_path,
        export_for_vendor,
        vendor_file,
        write_export,
    )
    project = obj.project()
    suffix = output.suffix.lower()
    if xliff and output != STDOUT and suffix not in XLIFF_SUFFIXES:
        raise click.UsageError(f"--xliff writes XLIFF: name the file FILE.xlf, not {output.name!r}")
    version = xliff or ("2.1" if suffix in XLIFF_SUFFIXES else None)
    check_export_path(project, output, force=force, stdout=True)
    po = export_for_vendor(project, lang, untranslated_only=untranslated, articles=list(articles) or None)
    data = vendor_file(project, lang, po, version=version)
    if output == STDOUT:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_export(project, output, data, force=force)
    stats = catalog_stats(po)
    words = stats.words_untranslated + stats.words_fuzzy
    what = f"XLIFF {version}, " if version else ""
    obj.say(f"wrote {'standard output' if output == STDOUT else output}: {what}{counted(len(po), 'entry')} "
            f"({stats.translated} translated, {stats.fuzzy} fuzzy, {stats.untranslated} untranslated; "
            f"{counted(words, 'word')} to translate)", err=output == STDOUT)


@cli.command("import")
@_verbosity_options
@click.argument("lang")
@click.argument("delivery", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--dry-run", is_flag=True, help="Print what would change; write nothing.")
@click.option("--overwrite", is_flag=True, help="Replace finished translations that differ (conflicts).")
@click.option("--leftovers", type=click.Path(path_type=Path, dir_okay=False),
              help="Where entries that match no catalog go (default: DELIVERY.leftovers.po beside it).")
@click.option("--translator", metavar="NAME",
              help="Who translated the delivery, recorded per entry for review (default: its Last-Translator).")
@click.pass_obj
def import_command(obj: Context, lang: str, delivery: Path, dry_run: bool, overwrite: bool,
                   leftovers: Path | None, translator: str | None) -> None:
    """Merge a delivered PO or XLIFF (from `l10n export`, or a whole catalog) into LANG's article catalogs.

    \b
    - untranslated and fuzzy entries take the delivered translation (a fuzzy delivery stays fuzzy);
    - a different finished translation is a conflict: shown side by side and kept, unless --overwrite;
    - delivered entries that match no catalog are written to a leftovers PO, never lost.
    A delivery for another language or with another number of plural forms is refused; so is an XLIFF
    delivery a target of which lost, repeated or misnested its source's inline codes (each unit named).
    """
    from pipeline.workflow import plan_import
    project = obj.project()
    with obj.locked(project):
        try:
            report, changes = plan_import(project, lang, delivery, overwrite=overwrite, leftovers_path=leftovers,
                                          stage=not dry_run, translator=translator)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--translator") from None
        if not dry_run:
            obj.apply(project, changes)
    for warning in report.warnings:
        obj.say(f"warning: {warning}", err=True)
    for conflict in report.conflicts + report.overwritten:
        verb = "overwritten" if conflict in report.overwritten else \
            "conflict, kept (the delivery is fuzzy)" if conflict.fuzzy else "conflict, kept"
        obj.say(f"{conflict.catalog}:{conflict.line}: {verb}: {conflict.msgid[:70]!r}\n"
                f"    existing:  {conflict.existing}\n    delivered: {conflict.delivered}")
    for name, msgid in report.updated:
        obj.say(f"{name}: updated {msgid[:70]!r}", level=2)
    if dry_run:
        for change in changes:
            obj.say(f"would write {project.relative(change.path)}")
    obj.say(f"{'dry run: ' if dry_run else ''}{len(report.updated)} translation(s) imported into "
            f"{len(report.changed_catalogs)} catalog(s), {len(report.conflicts)} conflict(s) kept, "
            f"{len(report.overwritten)} overwritten, {report.unchanged} already there, "
            f"{len(report.leftovers)} leftover(s)" + (" (see the leftovers PO)" if report.leftovers else ""))


@cli.group()
def tm() -> None:
    """Translation memory: export it for CAT tools, import memory from outside.

    Every translated, non-fuzzy entry of a locale is memory: `l10n update` fills a new or changed unit
    whose exact text is translated elsewhere, and offers close matches as fuzzy.
    """


@tm.command("export")
@_verbosity_options
@click.argument("lang")
@click.option("-o", "--output", "output", required=True, metavar="FILE",
              type=click.Path(path_type=Path, dir_okay=False),
              help="FILE.po (a compendium) or FILE.tmx (TMX 1.4), in a folder that exists, outside the "
                   "project's source, locales and output folders.")
@_force_option
@click.pass_obj
def tm_export(obj: Context, lang: str, output: Path, force: bool) -> None:
    """Write LANG's translation memory as a PO compendium or as TMX (by the file's extension).

    An existing FILE is replaced only with --force.
    """
    from pipeline.workflow import check_export_path, memory_file, write_export
    project = obj.project()
    check_export_path(project, output, force=force, suffixes=(".po", ".tmx"))
    data, translations = memory_file(project, lang, output)
    write_export(project, output, data, force=force)
    obj.say(f"wrote {output}: {counted(translations, 'translation')}")


@tm.command("import")
@_verbosity_options
@click.argument("lang")
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.pass_obj
def tm_import(obj: Context, lang: str, source: Path) -> None:
    """Add a PO compendium or a TMX file to LANG's memory (locales/_memory/LANG.po)."""
    from pipeline.workflow import plan_memory_import
    project = obj.project()
    with obj.locked(project):
        added, changes, warnings = plan_memory_import(project, lang, source)
        obj.apply(project, changes)
    for warning in warnings:
        obj.say(f"warning: {warning}", err=True)
    obj.say(f"{added} translation(s) added to {project.relative(project.memory_path(project.config.locale(lang).code))}")


class _ReviewGroup(click.Group):
    """`l10n review LANG ...` reviews or signs off (the default command); `l10n review status [LANG]` counts."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["sign", *args]
        return super().parse_args(ctx, args)


@cli.group(cls=_ReviewGroup)
def review() -> None:
    """Clinical review: a reviewer's sign-off per unit, bound to its exact English and translation.

    \b
    l10n review LANG [--article SLUG]... [--reviewer NAME] [--no-browser] [--port N]
        the review page on 127.0.0.1: read, approve or reject unit by unit
    l10n review LANG --approve --reviewer NAME [--article SLUG]...
        approve every translated unit of LANG that the build would publish
    l10n review LANG --reject TEXT --article SLUG --reviewer NAME --category C --severity S --reason R
        reject one unit (it becomes fuzzy: English is published until it is translated again)
    l10n review status [LANG]
        units and words approved / stale / rejected / unreviewed, per article
    The record is a translator comment in the catalog (see the README, "Clinical review"); a changed
    English or translation makes it stale, never approved.
    """


@review.command("sign")
@_verbosity_options
@click.argument("lang")
@click.option("--approve", is_flag=True,
              help="Approve every clean, translated unit not yet approved, without the page (needs --reviewer).")
@click.option("--reject", "reject_unit", metavar="TEXT",
              help="Reject the unit whose English is TEXT (or starts with it) of --article, with --reason.")
@click.option("--reviewer", metavar="NAME", help="Who signs off (recorded in each entry); the page asks if not given.")
@click.option("--article", "articles", multiple=True, metavar="SLUG", help="Only this article (repeatable).")
@click.option("--msgctxt", metavar="CONTEXT", help="With --reject: the unit's msgctxt, when its English repeats.")
@click.option("--category", type=click.Choice(REVIEW_CATEGORIES), help="With --reject: the MQM-style error category.")
@click.option("--severity", type=click.Choice(REVIEW_SEVERITIES), help="With --reject: minor, major or critical.")
@click.option("--reason", metavar="TEXT", help="With --reject: what is wrong (shown to the translator).")
@click.option("--no-browser", is_flag=True, help="Print the page's address; do not open a browser.")
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="The page's port on 127.0.0.1 (0: a free port).")
@click.pass_obj
def review_sign(obj: Context, lang: str, approve: bool, reject_unit: str | None, reviewer: str | None,
                articles: tuple[str, ...], msgctxt: str | None, category: str | None, severity: str | None,
                reason: str | None, no_browser: bool, port: int) -> None:
    """Review LANG on a local page (127.0.0.1), or sign off from the command line.

    \b
    Without --approve or --reject: starts the review page and prints its address (with a one-time token);
    opens it in the browser unless --no-browser. Each decision is written to the catalog at once. Ctrl-C
    stops it.
    With --approve: LANG's clean units are approved as REVIEWER (units the build would hold back are left for
    a person). With --reject TEXT: one unit of --article is rejected with its reason.
    """
    project = obj.project()
    if approve and reject_unit:
        raise click.UsageError("give --approve or --reject TEXT, not both")
    if not approve and not reject_unit:
        _serve_review(obj, project, lang, reviewer, list(articles), no_browser=no_browser, port=port)
        return
    if not reviewer:
        raise click.UsageError(f"{'--approve' if approve else '--reject'} needs --reviewer NAME")
    from pipeline.workflow.review import plan_approval, plan_rejection

    if reject_unit:
        missing = [name for name, value in (("--category", category), ("--severity", severity),
                                            ("--reason", reason)) if not value]
        if len(articles) != 1 or missing:
            raise click.UsageError("--reject needs one --article and " + (", ".join(missing) or "--article"))
        assert category is not None and severity is not None and reason is not None
        with obj.locked(project):
            entry, change = plan_rejection(project, lang, reviewer, articles[0], reject_unit, msgctxt=msgctxt,
                                           category=category, severity=severity, reason=reason)
            obj.apply(project, [change])
        obj.say(f"{articles[0]}: rejected {entry.msgid[:60]!r} ({category}/{severity}); it is fuzzy now and "
                "published in English until it is translated again")
        return
    with obj.locked(project):
        try:
            plan = plan_approval(project, lang, reviewer, list(articles) or None)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--reviewer") from None
        obj.apply(project, plan.changes)
    for slug, count in plan.approved.items():
        held = plan.held[slug]
        extra = f", {counted(held, 'unit')} left: the build would hold it back" if held else ""
        obj.say(f"{slug}: {counted(count, 'unit')} approved by {reviewer}{extra}", level=2 if not
                (count or held) else 1)
    if plan.own:
        obj.say(f"{counted(plan.own, 'unit')} left for another reviewer: {reviewer} translated them")
    shared = f" ({plan.shared} of them the same disclaimer in other articles)" if plan.shared else ""
    obj.say(f"{lang}: {counted(sum(plan.approved.values()) + plan.shared, 'unit')} approved in "
            f"{counted(len(plan.changes), 'catalog')}{shared}")


def _serve_review(obj: Context, project: Project, lang: str, reviewer: str | None, articles: list[str], *,
                  no_browser: bool, port: int) -> None:
    """Run the review page on 127.0.0.1 until Ctrl-C."""
    import webbrowser

    from pipeline.reviewapp import address, bind, create_app, new_token
    from pipeline.workflow.review import review_status

    review_status(project, lang, articles or None)        # an unknown locale or article fails here, not later
    token = new_token()
    try:
        app = create_app(project, lang, articles or None, reviewer, token, lock_timeout=obj.lock_timeout)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--reviewer") from None
    try:
        server = bind(app, port)
    except OSError as exc:
        raise click.UsageError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}") from None
    url = address(server, token)
    obj.say(f"review page for {lang}: {url}\n(only this address opens it; Ctrl-C stops it)", level=0)
    if not no_browser:
        webbrowser.open(url)
    try:
        server.serve_forever()      # (werkzeug's returns on Ctrl-C)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    obj.say("review page stopped")


@review.command("status")
@_verbosity_options
@click.argument("lang", required=False)
@click.pass_obj
def review_status_command(obj: Context, lang: str | None) -> None:
    """Per article: units approved, stale, rejected, unreviewed and untranslated, then their English words
    (w.)."""
    from pipeline.workflow.review import review_status

    project = obj.project()
    codes = [lang] if lang else [loc.code for loc in project.config.locales]
    states = ("approved", "stale", "rejected", "unreviewed", "untranslated")
    header = ("locale", "article", *states, "appr. w.", "stale w.", "rej. w.", "unrev. w.", "untr. w.")
    rows = []
    for code in codes:
        for slug, counts in review_status(project, code).items():
            rows.append((code, slug, *(str(counts.units[s]) for s in states),
                         *(str(counts.words[s]) for s in states)))
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        obj.say("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())


@review.command("report")
@_verbosity_options
@click.argument("lang")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text", show_default=True,
              help="A table, JSON (for a dashboard), or one self-contained HTML page.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the report to FILE (default: standard output; an existing file needs --force).")
@click.option("--force", is_flag=True, help="Replace an existing FILE.")
@click.pass_obj
def review_report_command(obj: Context, lang: str, fmt: str, output: Path | None, force: bool) -> None:
    """Per article and overall: approved share, rejections by category and severity, and the MQM-style score
    (penalty points per 1,000 reviewed English words, weights and the pass mark from `review:` in l10n.yaml)."""
    import json

    from pipeline.workflow.review import review_report

    project = obj.project()
    report_data = review_report(project, lang)
    if fmt == "json":
        text = json.dumps(report_data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    elif fmt == "html":
        from pipeline.reporting.review_page import review_report_html
        text = review_report_html(report_data, project=project.config.project)
    else:
        text = _review_report_text(report_data)
    if output is None:
        click.echo(text, nl=False)
        return
    from pipeline.workflow.exports import check_export_path, write_export
    check_export_path(project, output, force=force, suffixes=(".html", ".json", ".txt"))
    write_export(project, output, text.encode("utf-8"), force=force)
    obj.say(f"wrote {output}")


def _review_report_text(data: dict[str, Any]) -> str:
    """The review report as a table: one row per article, then the total."""
    header = ("article", "approved", "stale", "rejected", "unreviewed", "words approved", "rejections",
              "penalty", "score", "passes")

    def row(name: str, figures: dict[str, Any]) -> tuple[str, ...]:
        units = figures["units"]
        rejections = ", ".join(f"{r['count']} {r['category']}/{r['severity']}" for r in figures["rejections"])
        score = figures["score"]
        return (name, str(units["approved"]), str(units["stale"]), str(units["rejected"]), str(units["unreviewed"]),
                f"{figures['approved_share']:.0%}", rejections or "-", f"{figures['penalty']:g}",
                "-" if score is None else f"{score:.1f}",
                "-" if figures["passed"] is None else ("yes" if figures["passed"] else "NO"))

    rows = [row(a["article"], a) for a in data["articles"]] + [row("total", data["total"])]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [f"{data['locale']}: review {data['review']}, max penalty {data['max_penalty']:g} points per "
             f"1,000 reviewed words (weights " + ", ".join(f"{k} {v:g}" for k, v in data["weights"].items()) + ")"]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in [header, *rows]]
    return "\n".join(lines) + "\n"


from pipeline.cli.check_command import check  # noqa: E402  (the command lives in its own module)
from pipeline.cli.report_command import report  # noqa: E402

cli.add_command(check)
cli.add_command(report)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="l10n")
