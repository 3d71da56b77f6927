"""Review records: a reviewer's sign-off of one unit, bound to its exact English and translation.

A record is a translator comment line (``# ...``), the kind msgmerge, msgcat, polib, Poedit, Lokalize and
Weblate keep::

    # review: translated by Lee Seo-yeon on 2026-12-05 src=3f9a1c2e tr=b81d07aa
    # review: approved by Dr. Kim Min-ji on 2026-12-06 src=3f9a1c2e tr=b81d07aa
    # review: rejected by Dr. Kim Min-ji on 2026-12-06 src=3f9a1c2e tr=b81d07aa accuracy/major: dose reads 80 mg

``src`` is a short hash of the unit's msgctxt and msgid (and msgid_plural), ``tr`` of its translation (every
plural form). A record whose hashes no longer match the entry is *stale*: it never counts as approval, and it
is never deleted (it is the unit's history). The last approval or rejection that matches decides the unit's
state. A ``translated`` record names who wrote that translation (a vendor import with ``--translator``); where
no record names anyone for the current text, the catalog's ``Last-Translator`` (as PO editors set it) counts
as its translator. An approval by the translator is *self-review*, which does not count where the locale
requires review.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from pipeline.core.model import Key, Translation
from pipeline.core.review_terms import REVIEW_CATEGORIES, REVIEW_SEVERITIES
from pipeline.po.catalog import lookup_table
from pipeline.po.model import Catalog, Entry
from pipeline.text.placeholders import count_words

PREFIX = "review:"
#: The MQM-style categories and severities a rejection names.
CATEGORIES, SEVERITIES = REVIEW_CATEGORIES, REVIEW_SEVERITIES
_RECORD = re.compile(
    r"^review: (?P<verdict>approved|rejected|translated) by (?P<reviewer>.+?) on (?P<date>\d{4}-\d{2}-\d{2}) "
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

    verdict: str          #: ``approved``, ``rejected`` or ``translated``
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


def source_hash(entry: Entry) -> str:
    """The short hash of what the unit says in English: msgctxt, msgid and msgid_plural."""
    return _short(f"{entry.msgctxt or ''}\x04{entry.msgid}\x00{entry.msgid_plural or ''}")


def translation_hash(entry: Entry) -> str:
    """The short hash of the translation: msgstr, or every plural form in order."""
    return _short("\x00".join(entry.forms))


def records(entry: Entry) -> list[Record]:
    """The review records of an entry, oldest first (other translator comments are not records)."""
    found = []
    for line in (entry.tcomment or "").split("\n"):
        match = _RECORD.match(line.strip())
        if match:
            found.append(Record(**match.groupdict()))
    return found


def review_state(entry: Entry) -> ReviewState:
    """The unit's review state, from its records and its current text."""
    if not entry.has_translation:
        return ReviewState.UNTRANSLATED
    found = [r for r in records(entry) if r.verdict != "translated"]
    src, tr = source_hash(entry), translation_hash(entry)
    current = [r for r in found if r.src == src and r.tr == tr]
    if current and current[-1].verdict == "rejected":
        return ReviewState.REJECTED          # (a rejection also made it fuzzy)
    if entry.fuzzy:
        return ReviewState.UNTRANSLATED
    if current:
        return ReviewState.APPROVED
    return ReviewState.STALE if found else ReviewState.UNREVIEWED


def translator(entry: Entry, fallback: str | None = None) -> str | None:
    """Who wrote the entry's current translation: the last ``translated`` record for it, else ``fallback``
    (the catalog's translator, :func:`catalog_translator`, where the caller has the catalog)."""
    src, tr = source_hash(entry), translation_hash(entry)
    names = [r.reviewer for r in records(entry) if r.verdict == "translated" and r.src == src and r.tr == tr]
    return names[-1] if names else fallback


def catalog_translator(po: Catalog | None) -> str | None:
    """Who the catalog's ``Last-Translator`` names (None: nobody, or the template's placeholder): the
    translator of each unit no ``translated`` record credits to someone."""
    return named_translator(po.metadata.get("Last-Translator", "")) if po is not None else None


def last_decision(entry: Entry) -> Record | None:
    """The unit's last approval or rejection, whatever text it was for (a ``translated`` record is no
    decision); None when a reviewer never decided on it."""
    decided = [r for r in records(entry) if r.verdict != "translated"]
    return decided[-1] if decided else None


def english_changed_since_decision(entry: Entry) -> bool:
    """Whether the unit's last approval or rejection was for another English (its ``#| msgid``, where the
    catalog has it, is then what the reviewer needs to see of the change)."""
    last = last_decision(entry)
    return last is not None and last.src != source_hash(entry)


def approver(entry: Entry) -> str | None:
    """Who approved the entry's current text (None unless its state is approved)."""
    if review_state(entry) is not ReviewState.APPROVED:
        return None
    src, tr = source_hash(entry), translation_hash(entry)
    return [r.reviewer for r in records(entry) if r.verdict == "approved" and r.src == src and r.tr == tr][-1]


def self_reviewed(entry: Entry, fallback: str | None = None) -> bool:
    """Whether the approval of the current text is by the person who translated it (two people needed);
    ``fallback`` is the translator where no record names one (:func:`translator`)."""
    name = approver(entry)
    return name is not None and _same_person(name, translator(entry, fallback))


def _same_person(one: str, other: str | None) -> bool:
    return other is not None and one.casefold() == other.casefold()


def translated_by(entry: Entry, name: str, fallback: str | None = None) -> bool:
    """Whether ``name`` (spelt as a record writes it, any case) wrote the entry's current translation
    (``fallback``: see :func:`translator`)."""
    return _same_person(" ".join(name.split()), translator(entry, fallback))


def is_approved(entry: Entry, fallback: str | None = None) -> bool:
    """Approved by someone other than its translator: what publishing under review counts."""
    return review_state(entry) is ReviewState.APPROVED and not self_reviewed(entry, fallback)


def reviewed_lookup_table(po: Catalog | None) -> dict[Key, Translation]:
    """:func:`~pipeline.po.catalog.lookup_table` with each unit's approval (:func:`is_approved`) filled in."""
    table = lookup_table(po)
    if po is None:
        return table
    fallback = catalog_translator(po)
    for entry in po.live():
        if is_approved(entry, fallback):
            key = entry.key
            found = table[key]
            table[key] = Translation(found.msgstr, found.plural, found.fuzzy, approved=True)
    return table


def record_translator(entry: Entry, *, name: str, date: str) -> Record | None:
    """Record that ``name`` wrote the entry's current translation (None, nothing written, when it has none
    or the same person is already recorded for it)."""
    if not entry.has_translation or entry.fuzzy:
        return None
    name = validate_name(name)
    if _same_person(name, translator(entry)):
        return None
    record = Record("translated", name, date, source_hash(entry), translation_hash(entry))
    _append(entry, record)
    return record


def without_records(comment: str) -> str:
    """A translator comment without its review records: what an import may take from a file others made (a
    delivery's own ``approved`` line would otherwise count as a sign-off nobody here gave)."""
    return "\n".join(line for line in comment.split("\n") if not _RECORD.match(line.strip()))


def named_translator(header: str) -> str | None:
    """The name of a ``Last-Translator`` header (``Lee Seo-yeon <lee@example.org>`` -> ``Lee Seo-yeon``);
    None for the template's ``FULL NAME <EMAIL@ADDRESS>``, an empty one, or a name a record cannot hold."""
    name = header.split("<", 1)[0].strip()
    if not name or name.upper() == "FULL NAME":
        return None
    try:
        return validate_name(name)
    except ValueError:
        return None


def credit_translator(entry: Entry, po: Catalog, *, date: str) -> Record | None:
    """Where no record says who wrote the entry's current translation, record the catalog's
    ``Last-Translator`` as its translator (the person who last saved the catalog, as PO editors set it), so
    that an approval can tell reviser from translator; None, nothing written, when the header names nobody."""
    if translator(entry) is not None:
        return None
    name = catalog_translator(po)
    return record_translator(entry, name=name, date=date) if name else None


def validate_name(reviewer: str) -> str:
    """A reviewer's or translator's name as a record writes it (spaces collapsed); ValueError when a record
    cannot hold it (empty, several lines, or the word ``on``, which ends the name in the record)."""
    name = " ".join(reviewer.split())
    if not name or " on " in f" {name} " or any(c in name for c in "\n\r"):
        raise ValueError("a reviewer's name is one line of text, without the word 'on'")
    return name


def approve(entry: Entry, *, reviewer: str, date: str) -> Record:
    """Record ``reviewer``'s approval of the entry's current English and translation (appended)."""
    record = Record("approved", validate_name(reviewer), date, source_hash(entry), translation_hash(entry))
    _append(entry, record)
    return record


def reject(entry: Entry, *, reviewer: str, date: str, category: str, severity: str, reason: str) -> Record:
    """Record a rejection with its reason, and make the entry fuzzy, so it is published in English until
    someone translates it again."""
    if category not in CATEGORIES:
        raise ValueError(f"category must be one of {', '.join(CATEGORIES)}")
    if severity not in SEVERITIES:
        raise ValueError(f"severity must be one of {', '.join(SEVERITIES)}")
    reason = " ".join(reason.split())
    if not reason:
        raise ValueError("a rejection needs a reason")
    record = Record("rejected", validate_name(reviewer), date, source_hash(entry), translation_hash(entry),
                    category, severity, reason)
    _append(entry, record)
    entry.fuzzy = True
    return record


def _append(entry: Entry, record: Record) -> None:
    entry.tcomment = f"{entry.tcomment}\n{record.line()}" if entry.tcomment else record.line()


@dataclass(slots=True)
class ReviewTally:
    """Where one catalog (or a sum of catalogs) stands with review, and its MQM-style penalty.

    ``reviewed_words`` are the English words of the units a reviewer other than their translator decided on for
    their current English;
    ``penalty`` is the points of every rejection of the current English (a fixed translation keeps its
    rejection's points until the English changes: the score measures the translation as delivered, as MQM
    does).
    """

    units: Counter[str] = field(default_factory=Counter)      #: ReviewState value -> units
    words: Counter[str] = field(default_factory=Counter)      #: ReviewState value -> English words
    rejections: Counter[tuple[str, str]] = field(default_factory=Counter)   #: (category, severity) -> count
    reviewed_words: int = 0
    penalty: float = 0.0
    self_reviewed: int = 0
    self_reviewed_words: int = 0    #: words of units approved by their own translator (counted as approved)

    def add(self, other: ReviewTally) -> None:
        """Add another tally's figures to this one."""
        self.units.update(other.units)
        self.words.update(other.words)
        self.rejections.update(other.rejections)
        self.reviewed_words += other.reviewed_words
        self.penalty += other.penalty
        self.self_reviewed += other.self_reviewed
        self.self_reviewed_words += other.self_reviewed_words

    def score(self) -> float | None:
        """Penalty points per 1,000 reviewed English words (None: nothing reviewed yet)."""
        return 1000.0 * self.penalty / self.reviewed_words if self.reviewed_words else None

    def approved_share(self) -> float:
        """The share of the English words whose unit is approved by someone other than its translator."""
        total = sum(self.words.values())
        return (self.words[ReviewState.APPROVED.value] - self.self_reviewed_words) / total if total else 0.0


def state_counts(po: Catalog) -> dict[str, int]:
    """Live units of a catalog per review state (every state present, in ReviewState order)."""
    counts = Counter(review_state(entry).value for entry in po.live())
    return {state.value: counts[state.value] for state in ReviewState}


def tally(po: Catalog, weight: Callable[[str], float]) -> ReviewTally:
    """The review figures of a catalog's live entries; ``weight`` gives a severity's penalty points."""
    result = ReviewTally()
    fallback = catalog_translator(po)
    for entry in po.live():
        state = review_state(entry).value
        words = count_words(entry.msgid)
        result.units[state] += 1
        result.words[state] += words
        own = self_reviewed(entry, fallback)   # an approval by the translator is no revision: not counted as review
        result.self_reviewed += own
        result.self_reviewed_words += words if own else 0
        src = source_hash(entry)
        decided = [r for r in records(entry) if r.src == src and r.verdict != "translated"
                   and not (own and r.verdict == "approved")]
        if decided:
            result.reviewed_words += words
        for record in decided:
            if record.verdict == "rejected":
                assert record.category is not None and record.severity is not None
                result.rejections[(record.category, record.severity)] += 1
                result.penalty += weight(record.severity)
    return result
