"""What a catalog's ``Plural-Forms`` header says: how many plural forms its language has (``nplurals``) and the
C expression that picks the form for a count (``plural``).

Two readings of one header value. :func:`parse_plural_forms` is strict: the value must be what msgfmt
expects, ``nplurals=N; plural=EXPRESSION;`` with N >= 1, or :class:`PluralFormsError` says so (the ``header``
check reports it). :func:`nplurals_in` and :func:`expression_in` take what a partial value gives, as the
merge, the hand-off and the XLIFF writer need: a delivery read from XLIFF says only ``nplurals=3;``, a
template may say nothing. Imports nothing of ours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["PluralForms", "PluralFormsError", "expression_in", "nplurals_in", "parse_plural_forms"]

_NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")
_EXPRESSION = re.compile(r"plural\s*=\s*([^;]+)")
_WHOLE = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$")
EXPECTED = "nplurals=N; plural=EXPRESSION;"


class PluralFormsError(ValueError):
    """A ``Plural-Forms`` value that is not ``nplurals=N; plural=EXPRESSION;`` with N >= 1."""


@dataclass(frozen=True, slots=True)
class PluralForms:
    """A well-formed ``Plural-Forms`` value: the number of forms and the expression that picks one."""

    nplurals: int       #: how many msgstr[n] a plural entry has
    expression: str     #: C expression of ``n`` giving the form's index, as written (``(n != 1)``)


def parse_plural_forms(value: str) -> PluralForms:
    """The ``Plural-Forms`` header value ``value``, read strictly; PluralFormsError says what is wrong.

    >>> parse_plural_forms("nplurals=2; plural=(n != 1);")
    PluralForms(nplurals=2, expression='(n != 1)')
    >>> parse_plural_forms(" nplurals = 1 ; plural = 0 ")
    PluralForms(nplurals=1, expression='0')
    >>> parse_plural_forms("nplurals=3;")
    Traceback (most recent call last):
    ...
    pipeline.core.plurals.PluralFormsError: malformed Plural-Forms 'nplurals=3;' (expected 'nplurals=N; plural=EXPRESSION;')
    >>> parse_plural_forms("nplurals=0; plural=0;")
    Traceback (most recent call last):
    ...
    pipeline.core.plurals.PluralFormsError: malformed Plural-Forms 'nplurals=0; plural=0;' (nplurals must be at least 1)
    """
    found = _WHOLE.match(value)
    if found is None:
        raise PluralFormsError(f"malformed Plural-Forms {value!r} (expected {EXPECTED!r})")
    if int(found[1]) < 1:
        raise PluralFormsError(f"malformed Plural-Forms {value!r} (nplurals must be at least 1)")
    return PluralForms(int(found[1]), found[2])


def nplurals_in(value: str) -> int | None:
    """The number ``nplurals=`` gives anywhere in a ``Plural-Forms`` value; None where it gives none.

    >>> nplurals_in("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2);")
    3
    >>> nplurals_in("nplurals=3;")
    3
    >>> nplurals_in("nplurals=INTEGER; plural=EXPRESSION;") is None
    True
    """
    found = _NPLURALS.search(value)
    return int(found[1]) if found else None


def expression_in(value: str) -> str | None:
    """The expression ``plural=`` gives in a ``Plural-Forms`` value (up to its ``;``, stripped); None where it
    gives none. Whether it is a valid C expression is for its user to find out.

    >>> expression_in("nplurals=2; plural=(n != 1);")
    '(n != 1)'
    >>> expression_in("nplurals=1; plural=0")
    '0'
    >>> expression_in("nplurals=3;") is None
    True
    """
    found = _EXPRESSION.search(value)
    return found[1].strip() if found else None
