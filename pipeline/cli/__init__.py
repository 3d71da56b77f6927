"""The ``l10n`` command: ``main`` (the group and the sync, catalog and hand-off commands), ``check_command``,
``report_command``, and the options they share (``options``)."""

from pipeline.cli.main import cli, main

__all__ = ["cli", "main"]
