"""The core everything else stands on: value types, errors, files written atomically, worker processes,
locale codes, configuration (``l10n.yaml``) and how messages word things. Imports nothing of ours above it."""
