"""Option callbacks shared by the command modules (cli.py, cli_check.py)."""

from __future__ import annotations

from collections.abc import Callable

import click


def adjust_verbosity(delta: int) -> Callable[[click.Context, click.Parameter, int], None]:
    """A callback for -q/-v given after the command name: moves the shared verbosity by ``delta`` per use."""
    def callback(ctx: click.Context, param: click.Parameter, value: int) -> None:
        if value and ctx.obj is not None:
            ctx.obj.verbosity += delta * value
    return callback


def jobs_option(default: int, *, same: str = "The output is the same whatever N."
                ) -> Callable[[Callable[..., object]], Callable[..., object]]:
    """The -j/--jobs option: sets the shared number of worker processes (``default``: the CPUs)."""
    def callback(ctx: click.Context, param: click.Parameter, value: int | None) -> None:
        if value is not None and ctx.obj is not None:
            ctx.obj.jobs = value
    return click.option("-j", "--jobs", type=click.IntRange(min=1), expose_value=False, callback=callback,
                        metavar="N", help=f"Worker processes (default: the number of CPUs, here {default}). "
                        + same)
