"""Orchestration over the project layout: extract, update, build, sync, status, init, hand-off, checks.

The one package that knows where files live. Every command first *plans*: it reads and validates every
input and computes every file it would write, staged beside its target, and only then renames them into
place. So a run with a bad input writes nothing (or, with ``keep_going``, everything the bad input does not
touch), and a second run writes nothing at all.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

#: Where each name lives. A name is imported when first used (PEP 562 ``__getattr__``), so a command loads only
#: the modules it uses: a no-op sync never imports the per-article work, the hand-off or the checks.
_HOMES = {
    "default_jobs": "pipeline.core.parallel",
    "Change": "pipeline.workflow.changes",
    **dict.fromkeys(("STDOUT", "check_export_path", "write_export"), "pipeline.workflow.exports"),
    **dict.fromkeys(("HISTORY_FILE", "history_change", "read_history"), "pipeline.workflow.history"),
    **dict.fromkeys(("CACHE_DIR", "STEPS", "Article", "Project", "apply_changes", "discard_changes",
                     "discover_articles", "open_project", "project_lock"), "pipeline.workflow.project"),
    **dict.fromkeys(("Rename", "likely_renames"), "pipeline.workflow.renames"),
    "site_changes": "pipeline.workflow.site",
    **dict.fromkeys(("plan_status", "project_status", "work_left", "WorkLeft"), "pipeline.workflow.status"),
    **dict.fromkeys(("CacheMode", "LocaleSummary", "RunOptions", "RunResult", "plan_run"), "pipeline.workflow.sync"),
    **dict.fromkeys(("XLIFF_SUFFIXES", "export_for_vendor", "locale_memory", "memory_as_catalog", "memory_file",
                     "plan_import", "plan_memory_import", "read_locale_catalogs", "vendor_file"),
                    "pipeline.workflow.translators"),
    "check_project": "pipeline.workflow.quality",
}

if TYPE_CHECKING:
    from pipeline.core.parallel import default_jobs
    from pipeline.workflow.changes import Change
    from pipeline.workflow.exports import STDOUT, check_export_path, write_export
    from pipeline.workflow.history import HISTORY_FILE, history_change, read_history
    from pipeline.workflow.project import (
        CACHE_DIR,
        STEPS,
        Article,
        Project,
        apply_changes,
        discard_changes,
        discover_articles,
        open_project,
        project_lock,
    )
    from pipeline.workflow.quality import check_project
    from pipeline.workflow.renames import Rename, likely_renames
    from pipeline.workflow.site import site_changes
    from pipeline.workflow.status import WorkLeft, plan_status, project_status, work_left
    from pipeline.workflow.sync import CacheMode, LocaleSummary, RunOptions, RunResult, plan_run
    from pipeline.workflow.translators import (
        XLIFF_SUFFIXES,
        export_for_vendor,
        locale_memory,
        memory_as_catalog,
        memory_file,
        plan_import,
        plan_memory_import,
        read_locale_catalogs,
        vendor_file,
    )

__all__ = [
    "CACHE_DIR", "HISTORY_FILE", "STDOUT", "STEPS", "Article", "CacheMode", "Change", "LocaleSummary", "Project", "Rename",
    "RunOptions", "RunResult",
    "apply_changes", "check_export_path", "check_project", "default_jobs", "discard_changes", "discover_articles",
    "export_for_vendor", "history_change", "likely_renames", "locale_memory", "memory_as_catalog", "memory_file",
    "open_project",
    "plan_import", "plan_memory_import", "plan_run", "plan_status", "project_lock", "project_status", "read_history",
    "read_locale_catalogs", "site_changes", "vendor_file", "work_left", "WorkLeft", "write_export", "XLIFF_SUFFIXES",
]


def __getattr__(name: str) -> object:
    """Import a name of the package from its module when it is first used (see ``_HOMES``)."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
