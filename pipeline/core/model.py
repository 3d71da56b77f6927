"""Core value types shared by every stage. Imports nothing of ours."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

#: A unit's identity within a catalog: (msgctxt, msgid); msgctxt is None for a unit without a context.
Key = tuple[str | None, str]


class Role(str, Enum):
    """What a unit is in its article; shown to translators in the ``#.`` comment."""

    TITLE = "page title"
    META_DESCRIPTION = "meta description"
    PREVIEW_TITLE = "link-preview title (Open Graph, Twitter card)"
    PREVIEW_DESCRIPTION = "link-preview description (Open Graph, Twitter card)"
    PREVIEW_IMAGE_ALT = "link-preview image alt text (Open Graph, Twitter card)"
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list item"
    TABLE_CELL = "table cell"
    CAPTION = "table caption"
    FIGURE_CAPTION = "figure caption"
    QUOTE = "quotation"
    TERM = "definition term"
    DEFINITION = "definition"
    IMAGE_ALT = "image alt text"
    IMAGE_TITLE = "image title"
    ABBR_TITLE = "expansion of an abbreviation"
    BLOCK = "text block"
    DISCLAIMER = "disclaimer"
    COUNT_PHRASE = "phrase with a count"
    STRUCTURED_DATA = "structured data for search engines (JSON-LD)"


@dataclass(frozen=True, slots=True)
class Placeholder:
    """An inline element shown to translators as a short tag (``<b>``, ``</a2>``, ``<br/>``)."""

    name: str          #: ``b``, ``a2``, ``br`` ...
    void: bool         #: ``<br/>``-style: no translatable content of its own
    tag: str           #: the source element's tag
    description: str   #: what it stands for, for the ``#.`` comment

    @property
    def open(self) -> str:
        """The token that opens it (or the whole void token)."""
        return f"<{self.name}/>" if self.void else f"<{self.name}>"

    @property
    def close(self) -> str:
        """The token that closes it (empty for void placeholders)."""
        return "" if self.void else f"</{self.name}>"


@dataclass(frozen=True, slots=True)
class Unit:
    """One translatable string of an article, as the catalog sees it."""

    msgid: str
    role: Role
    line: int | None
    context: str | None = None
    notes: tuple[str, ...] = ()
    placeholders: tuple[Placeholder, ...] = ()
    markers: tuple[str, ...] = ()
    plural: str | None = None          #: msgid_plural of a count phrase
    flags: tuple[str, ...] = ()

    @property
    def key(self) -> Key:
        """(msgctxt, msgid): identity of the unit within a catalog."""
        return (self.context, self.msgid)

    def comments(self) -> list[str]:
        """The extracted (``#.``) comment lines for this unit."""
        lines = [self.role.value]
        if self.role is Role.DISCLAIMER:
            lines[0] = "disclaimer: medical safety notice; translate in full, keep every sentence"
        for ph in self.placeholders:
            lines.append(f"{ph.open} = {ph.description}")
        if self.markers:
            lines.append("citation markers, keep each one: " + " ".join(dict.fromkeys(self.markers)))
        lines.extend(f"note: {n}" for n in self.notes)
        return lines


COUNT = "%(count)d"


@lru_cache(maxsize=None)
def _count_regex(template: str) -> re.Pattern[str]:
    before, _, after = template.partition("{count}")
    return re.compile(re.escape(before) + r"(\d{1,9})" + re.escape(after))


@dataclass(frozen=True, slots=True)
class CountPhrase:
    """A phrase with a number that recurs across articles ("6 min read"), translated once as a plural."""

    singular: str      #: ``{count} min read``
    plural: str        #: ``{count} min read``

    @property
    def msgid(self) -> str:
        """The catalog's msgid: the singular with a ``%(count)d`` placeholder."""
        return self.singular.replace("{count}", COUNT)

    @property
    def msgid_plural(self) -> str:
        """The catalog's msgid_plural."""
        return self.plural.replace("{count}", COUNT)

    def match(self, text: str) -> int | None:
        """The count if ``text`` (whitespace-normalised) is this phrase, else None."""
        for template in (self.plural, self.singular):
            found = _count_regex(template).fullmatch(text)
            if found:
                return int(found.group(1))
        return None


@dataclass(frozen=True, slots=True)
class Translation:
    """What a catalog holds for a unit."""

    msgstr: str
    plural: tuple[str, ...] = ()
    fuzzy: bool = False
    approved: bool = False      #: a reviewer approved this exact text (read only where review is on)


class Severity(str, Enum):
    """How much a finding matters; ``error`` fails a check run."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found by a check or a build, with where it is."""

    check: str
    severity: Severity
    message: str
    path: str | None = None
    line: int | None = None
    locale: str | None = None
    article: str | None = None


@dataclass(slots=True)
class Stats:
    """Translation statistics of a set of units (msgfmt's counting: fuzzy is not translated)."""

    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    words_translated: int = 0
    words_fuzzy: int = 0
    words_untranslated: int = 0

    @property
    def total(self) -> int:
        """Number of units."""
        return self.translated + self.fuzzy + self.untranslated

    @property
    def ratio(self) -> float:
        """Share of units translated (0..1; 1 for an empty set)."""
        return self.translated / self.total if self.total else 1.0

    def add(self, other: "Stats") -> None:
        """Accumulate another Stats into this one."""
        for name in ("translated", "fuzzy", "untranslated", "words_translated", "words_fuzzy",
                     "words_untranslated"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
