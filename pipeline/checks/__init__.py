"""``l10n check``: named checks over the catalogs, an explicit registry, ``run_checks -> Findings``.

Each family of checks is a small module; importing this package registers them all, in this order::

    files         syntax, header, stale, obsolete
    completeness  untranslated, fuzzy, disclaimer
    markup        citations, placeholders
    numbers       numbers, safety-changed
    glossary      glossary (the glossary itself is read by ``terms``)
    consistency   inconsistent
    sources       foreign-script
    page          page (the outputs on disk, whole, against their sources; the tree walk is ``page_tree``)
    review        unreviewed, review-stale, review-self, review-rejected, review-score (clinical review)
    languages     ko-particles, ko-register, ko-spacing (one module per language family)

A check is a function registered with ``@check(id, severity, description)`` (``kinds``). Most checks
look at one article's files at a time (``per_article=True``): they take an ``ArticleContext`` and
``run_checks`` runs them in the worker processes that read each article, so that only findings come back;
``syntax`` and ``inconsistent`` take the ``ProjectContext`` and run once over the whole project (see
``kinds``). ``report`` turns Findings into text, JSON, JUnit, GitHub annotations or SARIF and
decides the exit status.
"""

from __future__ import annotations

# The order of registration is the order of `l10n check --list` and of the reports: not alphabetical.
# isort: off
from pipeline.checks import files, completeness, markup, numbers, glossary, consistency, sources, page  # noqa: F401
from pipeline.checks import review  # noqa: F401
from pipeline.checks.languages import korean  # noqa: F401  (registration)
# isort: on
from pipeline.checks.context import ArticleContext, ProjectContext
from pipeline.checks.inputs import CatalogFile, SourceFile
from pipeline.checks.kinds import ArticleCheck, ProjectCheck, check
from pipeline.checks.registry import REGISTRY, Check
from pipeline.checks.runner import CheckedFile, Findings, RanCheck, run_checks, select_checks
from pipeline.checks.settings import CheckSettings, Thresholds, load_settings

__all__ = ["REGISTRY", "ArticleCheck", "ArticleContext", "CatalogFile", "Check", "CheckSettings", "CheckedFile",
           "Findings", "ProjectCheck", "ProjectContext", "RanCheck", "SourceFile", "Thresholds", "check",
           "load_settings", "run_checks", "select_checks"]
