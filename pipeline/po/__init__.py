"""Gettext catalogs: reading and writing PO files as msgcat does (``files``), templates, the msgmerge-style
merge and statistics (``catalog``), and the vendor hand-off of one PO for many articles (``handoff``)."""
