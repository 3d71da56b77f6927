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
