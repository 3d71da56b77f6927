"""Language families of checks: which checks follow a language's grammar, and the per-locale settings they take.

A family (``korean``, later ``japanese``) is a module of this package that registers its checks with
``@check`` (ids prefixed by the language: ``ko-particles``) and its per-locale settings with
:func:`locale_setting`. ``checks.locales.<code>`` in ``l10n.yaml`` then accepts those settings for the
locales of that language (``checks: {locales: {ko: {register: formal}}}``); ``settings`` validates them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LocaleSetting:
    """A setting of ``checks.locales.<code>`` that a language family takes."""

    language: str                  #: language subtag it applies to (``ko``)
    key: str
    choices: tuple[str, ...]       #: the values it accepts
    description: str


#: language -> key -> setting, filled by the family modules as they are imported.
LOCALE_SETTINGS: dict[str, dict[str, LocaleSetting]] = {}


def locale_setting(language: str, key: str, choices: tuple[str, ...], description: str) -> LocaleSetting:
    """Declare a per-locale setting of a language family; returns it."""
    setting = LocaleSetting(language, key, choices, description)
    keys = LOCALE_SETTINGS.setdefault(language, {})
    if key in keys:
        raise ValueError(f"locale setting {language}.{key} is declared twice")
    keys[key] = setting
    return setting


def settings_for(locale: str) -> dict[str, LocaleSetting]:
    """The family settings a locale (gettext code, ``ko`` or ``ko_KR``) takes: its language's."""
    return LOCALE_SETTINGS.get(language_of(locale), {})


def language_of(locale: str) -> str:
    """The language subtag of a gettext locale code (``ko_KR`` -> ``ko``)."""
    return locale.split("_")[0].split("@")[0].lower()
