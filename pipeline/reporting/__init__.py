"""What a content lead reads: ``l10n status --json`` (the figures, with their JSON Schema) and the status page
of ``l10n report`` (one self-contained HTML file). Takes plain data; knows nothing of where files live."""

from __future__ import annotations

from pipeline.reporting.page import chart_library, render_page
from pipeline.reporting.status_json import STATUS_SCHEMA, format_status_json

__all__ = ["STATUS_SCHEMA", "chart_library", "format_status_json", "render_page"]
