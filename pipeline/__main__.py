"""``python -m pipeline`` runs the ``l10n`` command."""

from pipeline.cli.main import main

main()
