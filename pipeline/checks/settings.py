"""The ``checks:`` settings of ``l10n.yaml``, validated, and the command-line overrides on top of them.

::

    checks:
      skip: [inconsistent]        # checks that do not run (`syntax` always runs)
      severity: {obsolete: warning, glossary: warning}
      min_translated: 100         # % of each catalog's entries translated; unset: each untranslated entry is a finding
      max_fuzzy: 0                # fuzzy entries allowed per catalog; unset: each fuzzy entry is a finding
      allow_fuzzy: false          # true: fuzzy entries are reported as info and never fail
      locales:                    # the same three thresholds for one locale, and its language's settings
        ja: {min_translated: 50}
        ko: {register: formal}    # Korean articles in 합니다체 (see languages.korean)

A threshold given on the command line (``--min-translated``, ``--max-fuzzy``, ``--allow-fuzzy``) applies
to every locale and wins over ``l10n.yaml``; a locale's own setting wins over the top-level one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from pipeline.checks.languages.base import settings_for
from pipeline.checks.registry import REGISTRY
from pipeline.checks.terms import Glossary, load_glossary
from pipeline.core.config import Config
from pipeline.core.errors import LocaleError
from pipeline.core.locales import parse_locale
from pipeline.core.model import Severity

_KEYS = ("skip", "severity", "min_translated", "max_fuzzy", "allow_fuzzy", "locales")
_THRESHOLD_KEYS = ("min_translated", "max_fuzzy", "allow_fuzzy")


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Completeness thresholds of a catalog; ``None`` is "not set here"."""

    min_translated: float | None = None   #: percent (0-100) of a catalog's entries that must be translated
    max_fuzzy: int | None = None          #: fuzzy entries a catalog may have
    allow_fuzzy: bool | None = None       #: fuzzy entries are info, never a failure

    def over(self, base: "Thresholds") -> "Thresholds":
        """These thresholds, with ``base``'s values where these are not set."""
        return Thresholds(**{f.name: getattr(self, f.name) if getattr(self, f.name) is not None
                             else getattr(base, f.name) for f in fields(self)})


@dataclass(frozen=True, slots=True)
class CheckSettings:
    """What ``l10n.yaml`` and the command line say about the checks."""

    severities: Mapping[str, Severity] = field(default_factory=dict)
    skip: frozenset[str] = frozenset()
    defaults: Thresholds = Thresholds()
    per_locale: Mapping[str, Thresholds] = field(default_factory=dict)
    override: Thresholds = Thresholds()   #: from the command line: wins everywhere
    glossary: Glossary | None = None
    #: a language family's settings by locale (``checks.locales.ko.register``)
    locale_options: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def locale_option(self, locale: str, key: str) -> str | None:
        """A language family's setting for a locale (gettext code); None when not set."""
        return self.locale_options.get(locale, {}).get(key)

    def severity(self, check_id: str) -> Severity:
        """The severity of a check's findings: l10n.yaml's, else the check's default."""
        return self.severities.get(check_id, REGISTRY[check_id].severity)

    def thresholds(self, locale: str) -> Thresholds:
        """The thresholds in force for one locale (gettext code)."""
        return self.override.over(self.per_locale.get(locale, Thresholds()).over(self.defaults))

    def with_override(self, override: Thresholds) -> "CheckSettings":
        """A copy with command-line thresholds on top."""
        return CheckSettings(self.severities, self.skip, self.defaults, self.per_locale,
                             override.over(self.override), self.glossary, self.locale_options)


def load_settings(config: Config) -> CheckSettings:
    """Validate ``checks:`` and ``glossary:`` of l10n.yaml; ConfigError with the line of the bad setting."""
    raw: Any = config.checks or {}
    if not isinstance(raw, dict):
        raise config.setting_error("checks must be a mapping of settings (see the README)", "checks")
    for key in raw:
        if key not in _KEYS:
            raise config.setting_error(f"unknown checks setting {key!r}", "checks", key,
                                       hint="known: " + ", ".join(_KEYS))
    skip = raw.get("skip") or []
    if isinstance(skip, str):
        skip = [skip]
    if not isinstance(skip, list):
        raise config.setting_error("checks.skip must be a list of check ids", "checks", "skip")
    for index, check_id in enumerate(skip):
        _known(config, check_id, "checks", "skip", index)
        if REGISTRY[check_id].required:
            raise config.setting_error(f"check {check_id!r} cannot be skipped: a file that cannot be "
                                       "read cannot be checked", "checks", "skip", index)
    severities_raw = raw.get("severity") or {}
    if not isinstance(severities_raw, dict):
        raise config.setting_error("checks.severity must map check ids to error, warning or info",
                                   "checks", "severity")
    severities: dict[str, Severity] = {}
    for check_id, value in severities_raw.items():
        _known(config, check_id, "checks", "severity", check_id)
        try:
            severity = Severity(str(value).lower())
        except ValueError:
            raise config.setting_error(f"severity of {check_id!r} must be error, warning or info, not "
                                       f"{value!r}", "checks", "severity", check_id) from None
        if REGISTRY[check_id].required and severity is not REGISTRY[check_id].severity:
            raise config.setting_error(f"the severity of {check_id!r} cannot be changed",
                                       "checks", "severity", check_id)
        severities[check_id] = severity
    defaults = _thresholds(config, raw, ("checks",))
    locales_raw = raw.get("locales") or {}
    if not isinstance(locales_raw, dict):
        raise config.setting_error("checks.locales must map locale codes to thresholds", "checks", "locales")
    configured = {loc.code for loc in config.locales}
    per_locale: dict[str, Thresholds] = {}
    locale_options: dict[str, dict[str, str]] = {}
    for code, values in locales_raw.items():
        try:
            gettext = parse_locale(str(code)).gettext
        except LocaleError as exc:
            raise config.setting_error(exc.message, "checks", "locales", code) from None
        if gettext not in configured:
            raise config.setting_error(f"checks.locales: {code!r} is not a locale of this project",
                                       "checks", "locales", code,
                                       hint="configured: " + ", ".join(sorted(configured)))
        family = settings_for(gettext)
        if not isinstance(values, dict) or set(values) - set(_THRESHOLD_KEYS) - set(family):
            raise config.setting_error(f"checks.locales.{code} takes " + ", ".join([*_THRESHOLD_KEYS, *family]),
                                       "checks", "locales", code)
        per_locale[gettext] = _thresholds(config, values, ("checks", "locales", code))
        for key, setting in family.items():
            if key in values:
                if values[key] not in setting.choices:
                    raise config.setting_error(f"checks.locales.{code}.{key} is {' or '.join(setting.choices)} "
                                               f"({setting.description}), not {values[key]!r}",
                                               "checks", "locales", code, key)
                locale_options.setdefault(gettext, {})[key] = values[key]
    return CheckSettings(severities=severities, skip=frozenset(skip), defaults=defaults,
                         per_locale=per_locale, glossary=load_glossary(config), locale_options=locale_options)


def _known(config: Config, check_id: Any, *keys: Any) -> None:
    if check_id not in REGISTRY:
        raise config.setting_error(f"unknown check {check_id!r}", *keys,
                                   hint="`l10n check --list` shows them: " + ", ".join(REGISTRY))


def _thresholds(config: Config, values: dict[str, Any], keys: tuple[Any, ...]) -> Thresholds:
    minimum = values.get("min_translated")
    if minimum is not None and (isinstance(minimum, bool) or not isinstance(minimum, (int, float))
                                or not 0 <= minimum <= 100):
        raise config.setting_error(f"min_translated is a percentage from 0 to 100, not {minimum!r}",
                                   *keys, "min_translated")
    fuzzy = values.get("max_fuzzy")
    if fuzzy is not None and (isinstance(fuzzy, bool) or not isinstance(fuzzy, int) or fuzzy < 0):
        raise config.setting_error(f"max_fuzzy is a number of entries (0 or more), not {fuzzy!r}",
                                   *keys, "max_fuzzy")
    allow = values.get("allow_fuzzy")
    if allow is not None and not isinstance(allow, bool):
        raise config.setting_error(f"allow_fuzzy must be true or false, not {allow!r}", *keys, "allow_fuzzy")
    return Thresholds(float(minimum) if minimum is not None else None, fuzzy, allow)
