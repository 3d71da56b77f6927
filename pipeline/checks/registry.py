"""The registry of checks: each one a plain function ``check(ctx) -> Iterable[Finding]``.

A check is registered with :func:`check`, which records its id, default severity and the one-line
description that ``l10n check --list`` shows. The registry is an explicit dict filled in import order
(``pipeline.checks`` imports every check module), never discovered by scanning names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import Finding, Severity

if TYPE_CHECKING:
    from .context import CheckContext

CheckFunction = Callable[["CheckContext"], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class Check:
    """A registered check."""

    id: str
    severity: Severity         #: default severity of its findings (``l10n.yaml`` can change it)
    description: str           #: one line, shown by ``l10n check --list``
    function: CheckFunction
    #: always runs and keeps its severity: files that cannot be read cannot be checked (exit 2)
    required: bool = False


#: Every check, by id, in the order ``--list`` shows them.
REGISTRY: dict[str, Check] = {}


def check(id: str, severity: Severity, description: str, *,
          required: bool = False) -> Callable[[CheckFunction], CheckFunction]:
    """Register the decorated function as check ``id``."""
    def register(function: CheckFunction) -> CheckFunction:
        if id in REGISTRY:
            raise ValueError(f"check {id!r} is registered twice")
        if "\n" in description:
            raise ValueError(f"check {id!r}: the description must be one line")
        REGISTRY[id] = Check(id, severity, description, function, required)
        return function
    return register


def default_severity(check_id: str) -> Severity:
    """The default severity of a registered check."""
    return REGISTRY[check_id].severity
