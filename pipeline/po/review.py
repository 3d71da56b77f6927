"""Review records: a reviewer's sign-off of one unit, bound to its exact English and translation.

A record is a translator comment line (``# ...``), the kind msgmerge, msgcat, polib, Poedit, Lokalize and
Weblate keep::

    # review: approved by Dr. Kim Min-ji on 2026-12-06 src=3f9a1c2e tr=b81d07aa
    # review: rejected by Dr. Kim Min-ji on 2026-12-06 src=3f9a1c2e tr=b81d07aa accuracy/major: dose reads 80 mg

``src`` is a short hash of the unit's msgctxt and msgid (and msgid_plural), ``tr`` of its translation (every
plural form). A record whose hashes no longer match the entry is *stale*: it never counts as approval, and it
is never deleted (it is the unit's history). The last record that matches decides the unit's state.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from enum import Enum

import polib

from pipeline.po.catalog import has_translation

PREFIX = "review:"
#: MQM-style categories and severities a rejection names.
CATEGORIES = ("accuracy", "omission", "addition", "terminology", "fluency", "style", "locale-convention")
SEVERITIES = ("minor", "major", "critical")
_RECORD = re.compile(
    r"^review: (?P<verdict>approved|rejected) by (?P<reviewer>.+?) on (?P<date>\d{4}-\d{2}-\d{2}) "
    r"src=(?P<src>[0-9a-f]{8}) tr=(?P<tr>[0-9a-f]{8})"
    r"(?: (?P<category>[a-z-]+)/(?P<severity>minor|major|critical): (?P<reason>.+))?$")


class ReviewState(str, Enum):
    """Where a unit stands with its reviewers."""

    UNREVIEWED = "unreviewed"     #: translated, no record for this text
    APPROVED = "approved"         #: the last matching record approves this exact text
    REJECTED = "rejected"         #: the last matching record rejects it
    STALE = "stale"               #: records exist, none for the current English and translation
    UNTRANSLATED = "untranslated"  #: nothing to review (empty or fuzzy)


@dataclass(frozen=True, slots=True)
class Record:
    """One parsed review line."""

    verdict: str          #: ``approved`` or ``rejected``
    reviewer: str
    date: str
    src: str
    tr: str
    category: str | None = None
    severity: str | None = None
    reason: str | None = None

    def line(self) -> str:
        """The record as its comment line (without the ``# `` polib adds)."""
        text = f"{PREFIX} {self.verdict} by {self.reviewer} on {self.date} src={self.src} tr={self.tr}"
        if self.verdict == "rejected":
            text += f" {self.category}/{self.severity}: {self.reason}"
        return text


def _short(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=4).hexdigest()


def source_hash(entry: polib.POEntry) -> str:
    """The short hash of what the unit says in English: msgctxt, msgid and msgid_plural."""
    return _short(f"{entry.msgctxt or ''}\x04{entry.msgid}\x00{entry.msgid_plural or ''}")


def translation_hash(entry: polib.POEntry) -> str:
    """The short hash of the translation: msgstr, or every plural form in order."""
    forms = [entry.msgstr] if not entry.msgid_plural else [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
    return _short("\x00".join(forms))


def records(entry: polib.POEntry) -> list[Record]:
    """The review records of an entry, oldest first (other translator comments are not records)."""
    found = []
    for line in (entry.tcomment or "").split("\n"):
        match = _RECORD.match(line.strip())
        if match:
            found.append(Record(**match.groupdict()))
    return found


def review_state(entry: polib.POEntry) -> ReviewState:
    """The unit's review state, from its records and its current text."""
    if not has_translation(entry):
        return ReviewState.UNTRANSLATED
    found = records(entry)
    src, tr = source_hash(entry), translation_hash(entry)
    current = [r for r in found if r.src == src and r.tr == tr]
    if current and current[-1].verdict == "rejected":
        return ReviewState.REJECTED          # (a rejection also made it fuzzy)
    if "fuzzy" in entry.flags:
        return ReviewState.UNTRANSLATED
    if current:
        return ReviewState.APPROVED
    return ReviewState.STALE if found else ReviewState.UNREVIEWED


def _validate_reviewer(reviewer: str) -> str:
    name = " ".join(reviewer.split())
    if not name or " on " in f" {name} " or any(c in name for c in "\n\r"):
        raise ValueError("a reviewer's name is one line of text, without the word 'on'")
    return name


def approve(entry: polib.POEntry, *, reviewer: str, date: str) -> Record:
    """Record ``reviewer``'s approval of the entry's current English and translation (appended)."""
    record = Record("approved", _validate_reviewer(reviewer), date, source_hash(entry), translation_hash(entry))
    _append(entry, record)
    return record


def reject(entry: polib.POEntry, *, reviewer: str, date: str, category: str, severity: str, reason: str) -> Record:
    """Record a rejection with its reason, and make the entry fuzzy, so it is published in English until
    someone translates it again."""
    if category not in CATEGORIES:
        raise ValueError(f"category must be one of {', '.join(CATEGORIES)}")
    if severity not in SEVERITIES:
        raise ValueError(f"severity must be one of {', '.join(SEVERITIES)}")
    reason = " ".join(reason.split())
    if not reason:
        raise ValueError("a rejection needs a reason")
    record = Record("rejected", _validate_reviewer(reviewer), date, source_hash(entry), translation_hash(entry),
                    category, severity, reason)
    _append(entry, record)
    if "fuzzy" not in entry.flags:
        entry.flags.insert(0, "fuzzy")
    return record


def _append(entry: polib.POEntry, record: Record) -> None:
    entry.tcomment = f"{entry.tcomment}\n{record.line()}" if entry.tcomment else record.line()
