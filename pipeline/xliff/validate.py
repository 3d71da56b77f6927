"""Validate an XLIFF document against the OASIS schemas vendored in ``schemas/`` (see its LICENSE.md)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

if TYPE_CHECKING:  # the stubs' name for what the resolve_* methods return (no such module at run time)
    from lxml.etree._docloader import _InputDocument

SCHEMAS = Path(__file__).resolve().parent / "schemas"
_FILES = {"2": "xliff_core_2.0.xsd", "1": "xliff-core-1.2-strict.xsd"}


class _LocalXml(etree.Resolver):
    """Resolves the schemas' imports of the ``xml:`` namespace schema to the vendored copy."""

    def resolve(self, url: str | None, pubid: str | None, context: object) -> _InputDocument | None:
        if url and url.endswith("xml.xsd"):
            return self.resolve_filename(str(SCHEMAS / "xml.xsd"), context)
        return None


@lru_cache(maxsize=None)
def schema(version: str) -> etree.XMLSchema:
    """The core schema of XLIFF ``version`` (``2.1``/``2.0``: the 2.x core; ``1.2``: 1.2 strict)."""
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_LocalXml())
    return etree.XMLSchema(etree.parse(str(SCHEMAS / _FILES[version[0]]), parser))


def schema_errors(data: bytes) -> list[str]:
    """The schema's complaints about an XLIFF document, ``line: message`` (empty: valid)."""
    root = etree.fromstring(data, etree.XMLParser(no_network=True, resolve_entities=False))
    checker = schema(root.get("version", "2.1"))
    if checker.validate(root):
        return []
    return [f"{error.line}: {error.message}" for error in checker.error_log]
