"""Checks that follow one language's grammar, a module per language family (see ``base``).

    korean   ko-particles, ko-register, ko-spacing

A new family (Japanese) is a module here that registers its checks with ``@check`` and its per-locale
settings with ``base.locale_setting``; ``pipeline.checks`` imports it (this package imports no family, so
that ``settings`` can read ``base`` before the checks are registered).
"""

from __future__ import annotations

from pipeline.checks.languages.base import LOCALE_SETTINGS, LocaleSetting, language_of, locale_setting, settings_for

__all__ = ["LOCALE_SETTINGS", "LocaleSetting", "language_of", "locale_setting", "settings_for"]
