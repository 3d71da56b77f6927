"""A unit's text: placeholders and citation markers (``placeholders``), numbers and doses (``quantities``),
what changed for safety between two English texts (``changes``), and the one publishing verdict the build
and ``l10n check`` share (``verdict``)."""
