"""The words of a reviewer's rejection (README "Clinical review"), in a module of their own: the command line
offers them as choices when it starts, before it loads anything else."""

from __future__ import annotations

#: The MQM-style error categories and severities a reviewer's rejection names.
REVIEW_CATEGORIES = ("accuracy", "omission", "addition", "terminology", "fluency", "style", "locale-convention")
REVIEW_SEVERITIES = ("minor", "major", "critical")
