"""Locale codes: validation through babel's CLDR data, gettext and BCP 47 spellings, plural rules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.messages.plurals import get_plural

from pipeline.core.errors import LocaleError

_SHAPE = re.compile(r"^[A-Za-z]{2,3}(?:[_-][A-Za-z]{4})?(?:[_-](?:[A-Za-z]{2}|\d{3}))?$")


@dataclass(frozen=True, slots=True)
class LocaleInfo:
    """One target locale in both spellings, with what babel knows of it."""

    gettext: str        #: ``pt_BR``: catalogs, folder names, the Language header
    bcp47: str          #: ``pt-BR``: output folders, ``<html lang>``
    nplurals: int
    plural_expr: str

    @property
    def name(self) -> str:
        """The English display name (``Korean``)."""
        return _english_name(self.gettext)

    @property
    def rtl(self) -> bool:
        """Whether the language is written right to left."""
        return _text_direction(self.gettext) == "rtl"

    @property
    def plural_forms(self) -> str:
        """The Plural-Forms header value babel's data gives for a new catalog."""
        return f"nplurals={self.nplurals}; plural={self.plural_expr};"


@lru_cache(maxsize=None)
def parse_locale(code: str) -> LocaleInfo:
    """Validate a locale code (``ko``, ``pt-BR``, ``pt_BR``, ``ko_KR``) and describe it; LocaleError if unknown."""
    if not isinstance(code, str) or not _SHAPE.match(code) or code.lower() in ("und", "root"):
        raise LocaleError(f"{code!r} is not a locale code",
                          hint="use a language code such as ko, ja, es or pt_BR")
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        raise LocaleError(f"unknown locale {code!r}",
                          hint="use a CLDR language code such as ko, ja, es or pt_BR") from None
    gettext = str(locale)
    plural = get_plural(locale)
    return LocaleInfo(gettext=gettext, bcp47=gettext.replace("_", "-"), nplurals=plural.num_plurals,
                      plural_expr=plural.plural_expr)


# The name and the direction need the locale's CLDR data (and English's), 20-40 ms a locale to load: read when
# asked (a build, a new catalog), not by every command that validates the configuration.
@lru_cache(maxsize=None)
def _english_name(gettext: str) -> str:
    return Locale.parse(gettext).english_name or gettext


@lru_cache(maxsize=None)
def _text_direction(gettext: str) -> str:
    return Locale.parse(gettext).text_direction


def same_language(header_value: str, locale: LocaleInfo) -> bool:
    """Whether a Language header (``ko``, ``ko_KR``, ``ko-KR``) names this locale's language."""
    value = header_value.strip().replace("-", "_")
    if not value:
        return False
    if value == locale.gettext:
        return True
    return "_" not in locale.gettext and value.split("_")[0].lower() == locale.gettext.lower()
