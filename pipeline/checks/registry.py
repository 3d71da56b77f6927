"""The registry of checks: each one a plain function ``check(ctx) -> Iterable[Finding]``.

A check is registered with :func:`check`, which records its id, default severity and the one-line
description that ``l10n check --list`` shows. The registry is an explicit dict filled in import order
(``pipeline.checks`` imports every check module), never discovered by scanning names.

Where a check runs (see ``runner``):

- ``per_article=True``: what it finds in an article's files depends on those files alone (and on the
  settings and the sync plan). It runs over each article's own context, in the worker processes that read
  the article, so that parsed catalogs and segmented sources never travel between processes. What it needs
  of the whole project (a plan) it computes in ``prepare(ctx)``, in the parent, before the workers start.
- otherwise it runs once, in the parent, over the project's context, which knows whether each file could
  be read but holds no content. What it needs of the content, ``gather(article_ctx)`` collects in the
  workers (small and picklable); the check reads it with ``ctx.gathered_by(id)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pipeline.core.model import Finding, Severity

# Each function below takes a ``checks.context.CheckContext``. The registry does not name that type: the
# context imports this module (findings take their default severity from here), and a module that both
# imports and is imported by another hides an import loop, even under TYPE_CHECKING.
#: A check: ``check(ctx) -> Iterable[Finding]``.
CheckFunction = Callable[[Any], Iterable[Finding]]
#: Computes in the parent, once, what a per-article check needs of the whole project.
Prepare = Callable[[Any], None]
#: Collects in the workers, per article, what a check across articles needs of its files.
Gather = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class Check:
    """A registered check."""

    id: str
    severity: Severity         #: default severity of its findings (``l10n.yaml`` can change it)
    description: str           #: one line, shown by ``l10n check --list``
    function: CheckFunction
    #: always runs and keeps its severity: files that cannot be read cannot be checked (exit 2)
    required: bool = False
    #: runs over each article apart, in the workers that read it (see the module's docstring)
    per_article: bool = False
    prepare: Prepare | None = None
    gather: Gather | None = None


#: Every check, by id, in the order ``--list`` shows them.
REGISTRY: dict[str, Check] = {}


def check(id: str, severity: Severity, description: str, *, required: bool = False, per_article: bool = False,
          prepare: Prepare | None = None, gather: Gather | None = None) -> Callable[[CheckFunction], CheckFunction]:
    """Register the decorated function as check ``id``; ``per_article``, ``prepare`` and ``gather`` say where
    it runs (see the module's docstring)."""
    def register(function: CheckFunction) -> CheckFunction:
        if id in REGISTRY:
            raise ValueError(f"check {id!r} is registered twice")
        if "\n" in description:
            raise ValueError(f"check {id!r}: the description must be one line")
        if per_article and gather is not None:
            raise ValueError(f"check {id!r}: a per-article check reads its articles itself, it gathers nothing")
        if prepare is not None and not per_article:
            raise ValueError(f"check {id!r}: only a per-article check prepares (a project check computes "
                             "what it needs when it runs)")
        REGISTRY[id] = Check(id, severity, description, function, required, per_article, prepare, gather)
        return function
    return register


def default_severity(check_id: str) -> Severity:
    """The default severity of a registered check."""
    return REGISTRY[check_id].severity
