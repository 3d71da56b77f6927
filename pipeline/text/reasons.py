"""Why a unit falls back to the source language: the names the verdict (``text.verdict``) gives, and the
summary, the status page and ``status --json`` count by. Plain names, so that whatever only counts them (a
sync with nothing to do, a report) does not load the verdict's parsers."""

from __future__ import annotations

#: The checks whose error-level findings the build holds back (falls back to the source language for).
SAFETY_CHECKS = ("citations", "placeholders", "numbers", "disclaimer")
#: What the summary calls each check's fallbacks ("invalid: citation / tag / number / disclaimer").
REASONS = {"citations": "citation", "placeholders": "tag", "numbers": "number", "disclaimer": "disclaimer"}
#: Fallback reasons the translation itself is wrong for (``sync --strict`` fails on them).
SAFETY_REASONS = tuple(REASONS.values())
#: Every reason a unit falls back, as the summary, the status page and ``status --json`` count them:
#: no translation, a fuzzy one, one that clinical review has not approved, then SAFETY_REASONS.
FALLBACK_REASONS = ("missing", "fuzzy", "unreviewed", *SAFETY_REASONS)
