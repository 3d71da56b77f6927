"""The glossary: required term translations per locale and do-not-translate terms, read and validated.

In ``l10n.yaml``, inline or in a file it names (a path inside the project, same shape)::

    glossary:
      do_not_translate: [B2M, AML, TIM-3, Health Library]   # kept exactly as written
      terms:
        leukemia: {ko: 백혈병, ja: 白血病}                     # a required translation per locale
        neutropenia: {ko: [호중구 감소증, 호중구감소증]}         # or a list of accepted ones

    glossary: glossary.yaml

A term is found in a msgid as a whole word, ignoring case (and a plural ``s``/``es``); the translation must
then contain one of its translations for the catalog's locale (a substring: Korean particles attach to
words). A do-not-translate term found in a msgid (case-sensitive) must appear, case and all, in the msgstr.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.core.config import Config, parse_yaml
from pipeline.core.errors import ConfigError, LocaleError
from pipeline.core.locales import parse_locale

_EDGE_BEFORE = r"(?<![A-Za-z0-9])"
_EDGE_AFTER = r"(?![A-Za-z0-9])"


@dataclass(frozen=True, slots=True)
class Term:
    """A source term and its required translations, by gettext locale code."""

    source: str
    translations: Mapping[str, tuple[str, ...]]

    def wanted(self, locale: str) -> tuple[str, ...]:
        """The accepted translations for a locale (``pt_BR`` falls back to ``pt``); empty if none."""
        return self.translations.get(locale) or self.translations.get(locale.split("_")[0]) or ()

    def found_in(self, text: str) -> bool:
        """Whether the term occurs in a source text (whole words, any case, plural ``s``/``es``)."""
        words = r"\s+".join(re.escape(w) for w in self.source.split())
        plural = r"(?:s|es)?" if self.source[-1:].isalpha() else ""
        return re.search(_EDGE_BEFORE + words + plural + _EDGE_AFTER, text, re.IGNORECASE) is not None


@dataclass(frozen=True, slots=True)
class Glossary:
    """Required term translations and do-not-translate terms."""

    terms: tuple[Term, ...] = ()
    do_not_translate: tuple[str, ...] = ()


def written_as(term: str, text: str) -> bool:
    """Whether ``term`` occurs in ``text`` exactly as written, not inside a longer Latin word or code."""
    return re.search(_EDGE_BEFORE + re.escape(term) + _EDGE_AFTER, text) is not None


def load_glossary(config: Config) -> Glossary | None:
    """The glossary that ``l10n.yaml`` defines or names; ConfigError with file and line when invalid."""
    raw = config.glossary
    if raw is None:
        return None
    if isinstance(raw, str):
        where, data = _read_file(config, raw)
        keys: tuple[Any, ...] = ()
    else:
        where, data, keys = config, raw, ("glossary",)

    def fail(message: str, *path: Any) -> ConfigError:
        return where.setting_error(message, *keys, *path)

    if not isinstance(data, Mapping):
        raise fail("the glossary is a mapping with `terms` and `do_not_translate`")
    for key in data:
        if key not in ("terms", "do_not_translate"):
            raise fail(f"unknown glossary key {key!r} (known: terms, do_not_translate)", key)
    dnt = data.get("do_not_translate") or []
    if not isinstance(dnt, list) or not all(isinstance(t, str) and t.strip() for t in dnt):
        raise fail("do_not_translate must be a list of terms", "do_not_translate")
    terms_raw = data.get("terms") or {}
    if not isinstance(terms_raw, Mapping):
        raise fail("terms must map each source term to its translations by locale", "terms")
    terms = []
    for source, by_locale in terms_raw.items():
        if not isinstance(source, str) or not source.strip() or not isinstance(by_locale, Mapping):
            raise fail(f"term {source!r} must map locale codes to translations, e.g. {{ko: 백혈병}}",
                       "terms", source)
        translations: dict[str, tuple[str, ...]] = {}
        for code, value in by_locale.items():
            try:
                gettext = parse_locale(str(code)).gettext
            except LocaleError as exc:
                raise fail(exc.message, "terms", source, code) from None
            values = [value] if isinstance(value, str) else value
            if not isinstance(values, list) or not values or \
                    not all(isinstance(v, str) and v.strip() for v in values):
                raise fail(f"the {code} translation of {source!r} must be a term or a list of terms",
                           "terms", source, code)
            translations[gettext] = tuple(str(v).strip() for v in values)
        terms.append(Term(source.strip(), translations))
    return Glossary(tuple(terms), tuple(str(t).strip() for t in dnt))


def _read_file(config: Config, name: str) -> tuple[Config, Any]:
    """Parse a glossary file; return a Config view whose setting_error points into that file."""
    path = (config.root / name).resolve()
    if Path(name).is_absolute() or (path != config.root and config.root not in path.parents):
        raise config.setting_error(f"glossary file {name!r} must be inside the project", "glossary")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise config.setting_error(f"glossary file {name!r} not found", "glossary") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise config.setting_error(f"cannot read glossary file {name!r}: {exc}", "glossary") from None
    data = parse_yaml(text, path=path)
    return dataclasses.replace(config, path=path, raw=data), data
