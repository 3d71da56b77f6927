"""The registry of checks: every registered check by id, with its default severity and description.

``REGISTRY`` is an explicit dict filled in import order (``pipeline.checks`` imports every check module), never
discovered by scanning names; it is the order of ``l10n check --list`` and of the reports. A check is
registered with ``@check`` (``kinds``), which says where it runs and which context it gets. This module
knows nothing of contexts, so that the settings and the files in scope can ask it a check's default severity.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.core.model import Severity


@dataclass(frozen=True, slots=True)
class Check:
    """A registered check: what ``--list``, the settings and the reports know of it (``kinds.ArticleCheck``
    and ``kinds.ProjectCheck`` add its functions)."""

    id: str
    severity: Severity         #: default severity of its findings (``l10n.yaml`` can change it)
    description: str           #: one line, shown by ``l10n check --list``
    #: always runs and keeps its severity: files that cannot be read cannot be checked (exit 2)
    required: bool = field(default=False, kw_only=True)


#: Every check, by id, in the order ``--list`` shows them.
REGISTRY: dict[str, Check] = {}


def register(spec: Check) -> None:
    """Add a check to the registry; an id registered twice, or a description of more than one line, is refused."""
    if spec.id in REGISTRY:
        raise ValueError(f"check {spec.id!r} is registered twice")
    if "\n" in spec.description:
        raise ValueError(f"check {spec.id!r}: the description must be one line")
    REGISTRY[spec.id] = spec


def default_severity(check_id: str) -> Severity:
    """The default severity of a registered check."""
    return REGISTRY[check_id].severity
