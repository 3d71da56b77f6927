"""Localization pipeline for health-information articles: HTML -> gettext catalogs -> translated HTML."""

from __future__ import annotations

__version__ = "0.1.0"
