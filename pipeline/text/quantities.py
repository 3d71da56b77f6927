"""Numbers in texts and in translations: every number of the source, with its unit, is in the translation.

Doses and thresholds are the text a reader acts on, so a number lost or changed in translation is an
error. What is compared:

- numbers outside citation markers and placeholders, as values: ``1,000`` in the source may be
  ``1.000`` or ``1 000`` in a translation, read with babel in the catalog's locale (``strict=True``) or
  as the source writes it; full-width digits and symbols are read as ASCII (NFKC);
- units written as symbols right after a number (``10 mg``, ``5 mL``, ``40%``, ``38°C``, ``ng/mL``): a
  translation may spell the unit out (``15마이크로그램``), but the same number with another symbol unit
  (``10 g`` for ``10 mg``) is a changed dose;
- ranges (``2-3``, ``600 to 800``) by their ends, whatever joins them in the translation (``2~3``,
  ``600〜800``); the unit after a range's second end also belongs to the first.

Order does not matter (``100.4°F (38°C)`` may become ``38°C(100.4°F)``); the source's numbers are a
multiset that the translation must contain. Extra numbers in the translation are fine (``1日`` for
"a day"). Numbers written as words (``two``, ``二``) are not recognised.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel.numbers import NumberFormatError, format_decimal, get_group_symbol, parse_decimal

from pipeline.text.placeholders import MARKER, TAG_SHAPED

_SPACES = "\u00a0\u202f\u2009"
#: a number; not one inside a name such as B2M, TIM-3 or COVID-19
_NUMBER = re.compile(rf"(?<![A-Za-z0-9])(?<![A-Za-z][-\u2010\u2011])\d+(?:[.,'\u2019{_SPACES}]\d+)*")
_ORDINAL = re.compile(r"(?:st|nd|rd|th)(?![A-Za-z])")
_BASE_UNITS = ("%", "‰", "°C", "°F", "°", "mg", "g", "kg", "μg", "mcg", "ug", "ng", "pg", "mL", "ml", "dL",
               "dl", "L", "μL", "uL", "mmol", "μmol", "nmol", "pmol", "mol", "mEq", "IU", "U", "mm", "cm",
               "km", "m", "kcal", "cal", "kJ", "mmHg", "bpm", "min", "h", "hr", "hrs", "s", "sec")
_PER = _BASE_UNITS + ("day", "d", "week", "wk", "m2")


def _alternatives(units: Sequence[str]) -> str:
    return "|".join(re.escape(u) for u in sorted(set(units), key=len, reverse=True))


_UNIT = re.compile(rf"[ {_SPACES}]?(?P<unit>(?:{_alternatives(_BASE_UNITS)})"
                   rf"(?:/(?:{_alternatives(_PER)})){{0,2}})(?![A-Za-z])")
_CANONICAL_UNITS = {"ml": "mL", "dl": "dL", "mcg": "μg", "ug": "μg", "uL": "μL", "hr": "h", "hrs": "h",
                    "sec": "s"}
_RANGE_JOIN = re.compile(r"\s*(?:-|\u2010|\u2011|\u2012|\u2013|\u2014|~|\u301c|to|through)\s*")


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number as written (``1,000 mg``), its possible values and its unit symbol."""

    text: str
    values: frozenset[Decimal]
    unit: str | None
    start: int
    end: int


def _canonical_unit(unit: str) -> str:
    return "/".join(_CANONICAL_UNITS.get(part, part) for part in unit.split("/"))


#: A decimal digit of another script (Arabic-Indic, Devanagari...): read as its ASCII digit.
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")


def _plain_text(text: str) -> str:
    """Text without placeholders and citation markers, NFKC-normalised, with non-ASCII digits as ASCII."""
    text = MARKER.sub(" ", TAG_SHAPED.sub(" ", text))
    text = unicodedata.normalize("NFKC", text).replace("\u00b5", "\u03bc")
    text = _OTHER_DIGIT.sub(lambda m: str(unicodedata.decimal(m.group())), text)
    return text.replace("\u066b", ".").replace("\u066c", ",")


@lru_cache(maxsize=4096)
def _readings(token: str, locales: tuple[str, ...]) -> frozenset[Decimal]:
    """The values ``token`` can be read as in any of ``locales`` (babel, strict)."""
    values = set()
    for locale in locales:
        text = token
        group = get_group_symbol(locale)
        if group.isspace() or group in _SPACES:
            text = re.sub(rf"[{_SPACES}]", group, text)
        try:
            values.add(parse_decimal(text, locale, strict=True))
        except (NumberFormatError, InvalidOperation, ValueError):
            pass
    return frozenset(values)


def find_quantities(text: str, locales: tuple[str, ...], *, join_ranges: bool = False) -> list[Quantity]:
    """The numbers of a text with their units; ``locales``: how numbers may be written, first one first.

    A token that reads as a number in none of the locales (``1,2,3``) counts as its separate digits
    groups. With ``join_ranges``, the unit after a range's second end is given to the first.
    """
    plain = _plain_text(text)
    found: list[Quantity] = []
    for match in _NUMBER.finditer(plain):
        if _ORDINAL.match(plain, match.end()):
            continue
        unit_match = _UNIT.match(plain, match.end())
        unit = _canonical_unit(unit_match["unit"]) if unit_match else None
        end = unit_match.end() if unit_match else match.end()
        token = match.group()
        values = _readings(token, locales)
        if values:
            found.append(Quantity(plain[match.start():end].strip(), values, unit, match.start(), end))
            continue
        parts = list(re.finditer(r"\d+", token))
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            try:
                value = Decimal(part.group())
            except InvalidOperation:
                continue
            start = match.start() + part.start()
            found.append(Quantity(part.group() + (plain[match.end():end] if last else ""), frozenset({value}),
                                  unit if last else None, start, end if last else match.start() + part.end()))
    if join_ranges:
        for index in range(len(found) - 1):
            first, second = found[index], found[index + 1]
            if first.unit is None and second.unit is not None and \
                    _RANGE_JOIN.fullmatch(plain[first.end:second.start]):
                found[index] = Quantity(first.text, first.values, second.unit, first.start, first.end)
    return found


@dataclass(frozen=True, slots=True)
class Mismatch:
    """A number of the source that the translation lacks (``found`` None) or has with another unit."""

    source: Quantity
    found: Quantity | None


@lru_cache(maxsize=8192)
def source_quantities(msgid: str, source_locale: str) -> tuple[Quantity, ...]:
    """The numbers of a source text, remembered: every locale's catalog holds the same msgids."""
    return tuple(find_quantities(msgid, (source_locale,), join_ranges=True))


def compare_numbers(msgid: str, msgstr: str, *, source_locale: str, target_locale: str) -> list[Mismatch]:
    """The source's numbers that the translation does not keep (as a multiset; order free)."""
    wanted = source_quantities(msgid, source_locale)
    if not wanted:
        return []
    pool = find_quantities(msgstr, (target_locale, source_locale))
    used = [False] * len(pool)
    problems = []

    def take(test: Callable[..., bool]) -> Quantity | None:  # called with one Quantity; `...` admits the q=q lambdas
        for index, candidate in enumerate(pool):
            if not used[index] and test(candidate):
                used[index] = True
                return candidate
        return None

    united = [q for q in wanted if q.unit is not None]
    bare = [q for q in wanted if q.unit is None]
    # 1. a dose as written (10 mg = 10 mg); 2. a bare number as a bare number;
    # 3. a dose whose unit a translation spells out (15 mg = 15마이크로그램), unless the same number
    #    stands there with another symbol unit (10 mg = 10 g: a changed dose);
    # 4. a bare number to which the translation added a unit.
    left = [q for q in united if take(lambda c, q=q: bool(q.values & c.values) and c.unit == q.unit) is None]
    left_bare = [q for q in bare if take(lambda c, q=q: bool(q.values & c.values) and c.unit is None) is None]
    for quantity in left:
        changed = take(lambda c, q=quantity: bool(q.values & c.values) and c.unit is not None)
        if changed is not None:
            problems.append(Mismatch(quantity, changed))
        elif take(lambda c, q=quantity: bool(q.values & c.values)) is None:
            problems.append(Mismatch(quantity, None))
    for quantity in left_bare:
        if take(lambda c, q=quantity: bool(q.values & c.values)) is None:
            problems.append(Mismatch(quantity, None))
    return sorted(problems, key=lambda m: m.source.start)


def locale_form(quantity: Quantity, locale: str) -> str:
    """`` (in ko: 1,000)``: how the locale writes a quantity's number, when that differs from the source; else ""."""
    value = min(quantity.values)
    try:
        written = format_decimal(value, locale=locale)
    except (ValueError, TypeError):
        return ""
    number = _NUMBER.match(quantity.text)
    return "" if number is None or number.group() == written else f" (in {locale}: {written})"
