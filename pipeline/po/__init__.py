"""Gettext catalogs, the only package that imports polib: the project's catalog model (``model``: ``Catalog``
and ``Entry``), reading and writing PO files as msgcat does (``files``), templates, the msgmerge-style merge and
statistics (``catalog``), the vendor hand-off of one PO for many articles (``handoff``) and review records
(``review``)."""
