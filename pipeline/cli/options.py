"""Option callbacks shared by the command modules (cli.py, cli_check.py)."""

from __future__ import annotations

from collections.abc import Callable

import click


def adjust_verbosity(delta: int) -> Callable[[click.Context, click.Parameter, int], None]:
    """A callback for -q/-v given after the command name: moves the shared verbosity by ``delta`` per use.

    -q and -v together (before or after the command name) are a usage error: they ask for opposite things.
    """
    def callback(ctx: click.Context, param: click.Parameter, value: int) -> None:
        if value and ctx.obj is not None:
            ctx.obj.verbosity += delta * value
            ctx.obj.verbosity_flags.add(delta)
            refuse_quiet_and_verbose(ctx.obj.verbosity_flags)
    return callback


def refuse_quiet_and_verbose(flags: set[int]) -> None:
    """UsageError (exit 2) when both -q (-1) and -v (+1) were given."""
    if len(flags) > 1:
        raise click.UsageError("-q (print only errors) and -v (print more) ask for opposite things: give one")


def jobs_option(default: int, *, same: str = "The output is the same whatever N."
                ) -> Callable[[Callable[..., object]], Callable[..., object]]:
    """The -j/--jobs option: sets the shared number of worker processes (``default``: the CPUs)."""
    def callback(ctx: click.Context, param: click.Parameter, value: int | None) -> None:
        if value is not None and ctx.obj is not None:
            ctx.obj.jobs = value
    return click.option("-j", "--jobs", type=click.IntRange(min=1), expose_value=False, callback=callback,
                        metavar="N", help=f"Worker processes (default: the number of CPUs, here {default}). "
                        + same)
