"""Vendor hand-off: one PO out of many article catalogs, and a delivered PO merged back into them.

Export joins the same text of several articles into one entry with all their references, so a vendor
translates it once. Import gives each article catalog that has the entry (msgctxt and msgid) the delivered
translation where it has none or only a fuzzy one; where it already has a different finished translation
that is a conflict, kept as it was unless ``overwrite``. Delivered entries that match nothing are returned
as leftovers, never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import polib

from .catalog import copy_entry, entry_key
from .errors import ParseError
from .locale_codes import LocaleInfo, same_language

Key = tuple[str | None, str]


def _translated(entry: polib.POEntry) -> bool:
    return "fuzzy" not in entry.flags and entry.translated()


def _has_text(entry: polib.POEntry) -> bool:
    return bool(entry.msgstr or any(entry.msgstr_plural.values()))


def export_catalog(catalogs: list[tuple[str, polib.POFile]], *, untranslated_only: bool,
                   metadata: dict[str, str], header: str) -> polib.POFile:
    """One PO holding the entries of several catalogs; the same (msgctxt, msgid) is one entry."""
    out = polib.POFile(wrapwidth=79)
    out.header = header
    out.metadata = dict(metadata)
    by_key: dict[Key, polib.POEntry] = {}
    pending: set[Key] = set()
    for _, po in catalogs:
        for entry in po:
            if entry.obsolete:
                continue
            key = entry_key(entry)
            if not _translated(entry):
                pending.add(key)
            found = by_key.get(key)
            if found is None:
                found = copy_entry(entry)
                by_key[key] = found
                out.append(found)
                continue
            for occurrence in entry.occurrences:
                if occurrence not in found.occurrences:
                    found.occurrences.append(occurrence)
            lines = found.comment.split("\n") if found.comment else []
            found.comment = "\n".join(lines + [c for c in entry.comment.split("\n") if c and c not in lines])
            if not _translated(found) and _translated(entry):
                found.msgstr, found.msgstr_plural = entry.msgstr, dict(entry.msgstr_plural)
                found.flags = [f for f in found.flags if f != "fuzzy"]
                found.previous_msgid = found.previous_msgctxt = None
    if untranslated_only:
        for entry in [e for e in out if entry_key(e) not in pending]:
            out.remove(entry)
    return out


@dataclass(slots=True)
class Conflict:
    """A delivered translation that differs from a finished one already in a catalog."""

    catalog: str
    line: int | None
    msgid: str
    existing: str
    delivered: str


@dataclass(slots=True)
class ImportReport:
    """What an import changed, refused or could not place."""

    updated: list[tuple[str, str]] = field(default_factory=list)      #: (catalog, msgid)
    conflicts: list[Conflict] = field(default_factory=list)
    overwritten: list[Conflict] = field(default_factory=list)
    leftovers: list[polib.POEntry] = field(default_factory=list)
    unchanged: int = 0
    changed_catalogs: set[str] = field(default_factory=set)


def validate_delivery(delivery: polib.POFile, *, locale: LocaleInfo, nplurals: int | None, path: str) -> None:
    """Refuse a delivery for another language or with another number of plural forms."""
    language = delivery.metadata.get("Language", "").strip()
    if language and not same_language(language, locale):
        raise ParseError(f"the delivery is for language {language!r}, not {locale.gettext!r}", path=path,
                         line=1, hint="check the file, or import it for its own locale")
    forms = delivery.metadata.get("Plural-Forms", "")
    if nplurals is not None and "nplurals" in forms:
        match = re.search(r"nplurals\s*=\s*(\d+)", forms)
        if match and int(match.group(1)) != nplurals:
            raise ParseError(f"the delivery has {match.group(1)} plural forms, the catalogs have {nplurals}",
                             path=path, line=1, hint="ask for a delivery made from `l10n export`")


def import_delivery(delivery: polib.POFile, catalogs: dict[str, polib.POFile], *,
                    overwrite: bool = False) -> ImportReport:
    """Merge a delivered PO into article catalogs (changed in place); see the module docstring."""
    report = ImportReport()
    index: dict[Key, list[tuple[str, polib.POEntry]]] = {}
    for name, po in catalogs.items():
        for entry in po:
            if not entry.obsolete:
                index.setdefault(entry_key(entry), []).append((name, entry))
    for delivered in delivery:
        if delivered.obsolete or not _has_text(delivered):
            continue
        targets = index.get(entry_key(delivered))
        if not targets:
            report.leftovers.append(delivered)
            continue
        fuzzy = "fuzzy" in delivered.flags
        for name, entry in targets:
            same = entry.msgstr == delivered.msgstr and entry.msgstr_plural == delivered.msgstr_plural
            if _translated(entry):
                if same or fuzzy and not overwrite:
                    report.unchanged += 1
                    continue
                conflict = Conflict(name, entry.linenum, entry.msgid, entry.msgstr or str(entry.msgstr_plural),
                                    delivered.msgstr or str(delivered.msgstr_plural))
                if not overwrite:
                    report.conflicts.append(conflict)
                    continue
                report.overwritten.append(conflict)
            elif same and ("fuzzy" in entry.flags) == fuzzy:
                report.unchanged += 1
                continue
            entry.msgstr = delivered.msgstr
            if entry.msgid_plural:
                entry.msgstr_plural = {i: delivered.msgstr_plural.get(i, "") for i in entry.msgstr_plural}
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
            if fuzzy:
                entry.flags.insert(0, "fuzzy")
            else:
                entry.previous_msgid = entry.previous_msgctxt = entry.previous_msgid_plural = None
            if delivered.tcomment and not entry.tcomment:
                entry.tcomment = delivered.tcomment
            report.updated.append((name, entry.msgid))
            report.changed_catalogs.add(name)
    return report
