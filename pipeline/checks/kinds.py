"""The two kinds of check, and ``@check``, which registers a function as one of them.

Where a check runs, and so which context it receives (see ``runner``):

- ``per_article=True`` (an ``ArticleCheck``): what it finds in an article's files depends on those files alone
  (and on the settings and the sync plan). It receives each article's ``ArticleContext``, in the worker
  process that read the article, so that parsed catalogs and segmented sources never travel between
  processes. What it needs of the whole project (a plan) its ``prepare(project_ctx)`` computes in the parent,
  before the workers start. What takes long to load and few articles need (an analyser), its
  ``load(project_ctx)`` loads in the parent only once a worker has asked for it (``LoadFirst``). What else its
  findings depend on, beyond the files, the settings and the plan (an analyser's version), its ``identity()``
  names: ``run_checks`` keeps an article's findings under it.
- otherwise (a ``ProjectCheck``) it runs once, in the parent, over the ``ProjectContext``, which knows whether
  each file could be read but holds no content. What it needs of the content, its ``gather(article_ctx)``
  collects in the workers (small and picklable); the check reads it with ``ctx.gathered_by(id)``.

The functions' types say which context each one gets, so that mypy reports a per-article check that asks for
what only the project's context has.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal, overload

from pipeline.checks.context import ArticleContext, ProjectContext
from pipeline.checks.registry import Check, register
from pipeline.core.model import Finding, Severity

#: A per-article check: ``check(article_ctx) -> Iterable[Finding]``.
ArticleFunction = Callable[[ArticleContext], Iterable[Finding]]
#: A check across articles: ``check(project_ctx) -> Iterable[Finding]``.
ProjectFunction = Callable[[ProjectContext], Iterable[Finding]]
#: Computes in the parent, once, what a per-article check needs of the whole project.
Prepare = Callable[[ProjectContext], None]
#: Collects in the workers, per article, what a check across articles needs of its files.
Gather = Callable[[ArticleContext], Any]
#: Names what a per-article check's findings depend on besides the files, settings and plan (None: unknown).
Identity = Callable[[], str | None]


class LoadFirst(Exception):
    """Raised by a per-article check, in a worker, where an article needs what the check's ``load`` loads and
    this process lacks it, when the article's context ``defers_loads``: the parent then runs ``load`` once and
    has the article checked again, by workers that share what it loaded (rather than each loading it)."""


@dataclass(frozen=True, slots=True)
class ArticleCheck(Check):
    """A check that runs over each article apart, in the workers that read it."""

    function: ArticleFunction
    prepare: Prepare | None = None
    #: what else its findings depend on (an analyser's version); None from it: its findings are never kept
    identity: Identity | None = None
    #: loads in the parent what the check's workers asked for by raising LoadFirst
    load: Prepare | None = None


@dataclass(frozen=True, slots=True)
class ProjectCheck(Check):
    """A check that runs once over the project's context, in the parent."""

    function: ProjectFunction
    gather: Gather | None = None


@overload
def check(id: str, severity: Severity, description: str, *, per_article: Literal[True], required: bool = False,
          prepare: Prepare | None = None, identity: Identity | None = None,
          load: Prepare | None = None) -> Callable[[ArticleFunction], ArticleFunction]: ...
@overload
def check(id: str, severity: Severity, description: str, *, per_article: Literal[False] = False,
          required: bool = False, gather: Gather | None = None) -> Callable[[ProjectFunction], ProjectFunction]: ...
def check(id: str, severity: Severity, description: str, *, per_article: bool = False, required: bool = False,
          prepare: Prepare | None = None, gather: Gather | None = None,
          identity: Identity | None = None, load: Prepare | None = None) -> Callable[[Any], Any]:
    """Register the decorated function as check ``id``: a per-article check (with its ``prepare``,
    ``identity`` and ``load``) or a check across articles (with its ``gather``); see the module's docstring."""
    if per_article and gather is not None:
        raise ValueError(f"check {id!r}: a per-article check reads its articles itself, it gathers nothing")
    if identity is not None and not per_article:
        raise ValueError(f"check {id!r}: only a per-article check's findings are kept, by its identity")
    if (prepare is not None or load is not None) and not per_article:
        raise ValueError(f"check {id!r}: only a per-article check prepares (a project check computes "
                         "what it needs when it runs)")

    def register_article(function: ArticleFunction) -> ArticleFunction:
        register(ArticleCheck(id, severity, description, function, prepare, identity, load, required=required))
        return function

    def register_project(function: ProjectFunction) -> ProjectFunction:
        register(ProjectCheck(id, severity, description, function, gather, required=required))
        return function

    return register_article if per_article else register_project
