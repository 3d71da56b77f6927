"""XLIFF for translation agencies: the vendor hand-off as XLIFF 2.1 or 1.2, and deliveries read back.

:mod:`.codes` turns a catalog text's placeholders and citation markers into inline codes,
:mod:`.write` writes the hand-off, :mod:`.read` reads a delivery into a PO for the usual import,
:mod:`.validate` checks a file against the vendored OASIS schemas.
"""

from __future__ import annotations

from pipeline.xliff.write import VERSIONS, write_xliff

__all__ = ["VERSIONS", "write_xliff"]
