"""Vendor hand-off: one PO out of many article catalogs, and a delivered PO merged back into them.

Export joins the same text of several articles into one entry with all their references, so a vendor
translates it once; an entry fuzzy or untranslated in any article is exported fuzzy (see
:func:`export_catalog`). Import gives each article catalog that has the entry (msgctxt and msgid) the
delivered translation where it has none or only a fuzzy one; where it already has a different finished
translation that is a conflict, kept as it was unless ``overwrite``. A fuzzy delivery never replaces a
finished translation, and one whose text a catalog already holds for the entry changes nothing, so a
delivery returned untouched changes no catalog. Delivered entries that match nothing are returned as
leftovers, never dropped. Review records (``pipeline.po.review``) never travel: the export hands out the
translator notes without them, and an import takes none from a delivery (a sign-off is given here only).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.core.errors import ParseError
from pipeline.core.locales import LocaleInfo, same_language
from pipeline.core.model import Key
from pipeline.po.model import Catalog, Entry, State
from pipeline.po.review import english_changed_since_decision, without_records


def export_catalog(catalogs: list[tuple[str, Catalog]], *, untranslated_only: bool,
                   metadata: dict[str, str], header: str,
                   others: Sequence[tuple[str, Catalog]] = ()) -> Catalog:
    """One PO holding the entries of several catalogs; the same (msgctxt, msgid) is one entry.

    Each entry has the references and comments of every catalog and the most finished translation of any:
    finished where all of them have it finished; where some have it finished and others fuzzy or
    untranslated, the finished translation flagged fuzzy, with a comment naming which is which (the vendor
    confirms it by removing the flag); otherwise a fuzzy one with its ``#|`` previous strings, or none.
    ``others`` (the locale's catalogs not exported, which an import also fills) count for that choice but
    add no entry, reference or comment. ``untranslated_only`` keeps the entries that one of ``catalogs``
    has fuzzy or untranslated.
    """
    out = Catalog()
    out.header = header
    out.metadata = dict(metadata)
    groups: dict[Key, list[tuple[str, Entry]]] = {}
    for name, po in catalogs:
        for entry in po.live():
            groups.setdefault(entry.key, []).append((name, entry))
    extra: dict[Key, list[tuple[str, Entry]]] = {}
    for name, po in others:
        for entry in po.live():
            if entry.key in groups:
                extra.setdefault(entry.key, []).append((name, entry))
    for key, group in groups.items():
        if untranslated_only and all(entry.state is State.FINISHED for _, entry in group):
            continue
        out.append(_joined(group, extra.get(key, [])))
    return out


def _joined(group: list[tuple[str, Entry]], extra: list[tuple[str, Entry]]) -> Entry:
    """One entry for the same key in several catalogs (see :func:`export_catalog`)."""
    found = group[0][1].copy()
    lines = found.comment.split("\n") if found.comment else []
    for _, entry in group[1:]:
        for occurrence in entry.occurrences:
            if occurrence not in found.occurrences:
                found.occurrences.append(occurrence)
        lines += [c for c in entry.comment.split("\n") if c and c not in lines]
    everywhere = group + extra
    states = [entry.state for _, entry in everywhere]
    best = max(states)
    source = everywhere[states.index(best)][1]
    found.msgstr, found.msgstr_plural = source.msgstr, dict(source.msgstr_plural)
    found.tcomment = without_records(source.tcomment or found.tcomment)   # notes for the vendor, no sign-offs
    found.fuzzy = False
    if best is State.FINISHED and min(states) < State.FINISHED:
        found.fuzzy = True
        found.forget_previous()
        where = "; ".join(f"{label} in {', '.join(names)}" for label, names in (
            (label, [name for (name, _), state in zip(everywhere, states) if state == value])
            for value, label in ((State.FINISHED, "finished"), (State.FUZZY, "fuzzy"),
                                 (State.UNTRANSLATED, "untranslated"))) if names)
        lines.append(f"l10n export: {where}. The finished translation is offered, flagged fuzzy: remove the "
                     "flag to finish it in every article.")
    elif best is State.FUZZY:
        found.fuzzy = True
        found.previous_msgctxt, found.previous_msgid = source.previous_msgctxt, source.previous_msgid
        found.previous_msgid_plural = source.previous_msgid_plural
    elif best is State.FINISHED:
        found.forget_previous()
    found.comment = "\n".join(lines)
    return found


@dataclass(slots=True)
class Conflict:
    """A delivered translation that differs from a finished one already in a catalog."""

    catalog: str
    line: int | None
    msgid: str
    existing: str
    delivered: str
    fuzzy: bool = False     #: the delivery is fuzzy, so it is kept out even with ``overwrite``


@dataclass(slots=True)
class ImportReport:
    """What an import changed, refused or could not place."""

    updated: list[tuple[str, str]] = field(default_factory=list)      #: (catalog, msgid)
    conflicts: list[Conflict] = field(default_factory=list)
    overwritten: list[Conflict] = field(default_factory=list)
    leftovers: list[Entry] = field(default_factory=list)
    unchanged: int = 0
    changed_catalogs: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)                 #: said, but nothing refused


def validate_delivery(delivery: Catalog, *, locale: LocaleInfo, nplurals: int | None, path: str
                      ) -> list[str]:
    """Refuse a delivery for another language or with another number of plural forms; return warnings
    (a delivery that does not say its language)."""
    language = delivery.metadata.get("Language", "").strip()
    warnings = [] if language else [f"{path} has no Language header: imported as {locale.gettext} "
                                    "(check that it is a delivery for that language)"]
    if language and not same_language(language, locale):
        raise ParseError(f"the delivery is for language {language!r}, not {locale.gettext!r}", path=path,
                         line=1, hint="check the file, or import it for its own locale")
    delivered = delivery.nplurals
    if nplurals is not None and delivered is not None and delivered != nplurals:
        raise ParseError(f"the delivery has {delivered} plural forms, the catalogs have {nplurals}",
                         path=path, line=1, hint="ask for a delivery made from `l10n export`")
    return warnings


def _text(entry: Entry) -> tuple[str, tuple[tuple[int, str], ...]]:
    return entry.msgstr, tuple(sorted(entry.msgstr_plural.items()))


def import_delivery(delivery: Catalog, catalogs: dict[str, Catalog], *,
                    overwrite: bool = False) -> ImportReport:
    """Merge a delivered PO into article catalogs (changed in place); see the module docstring."""
    report = ImportReport()
    index: dict[Key, list[tuple[str, Entry]]] = {}
    for name, po in catalogs.items():
        for entry in po.live():
            index.setdefault(entry.key, []).append((name, entry))
    for delivered in delivery:
        if delivered.obsolete or not delivered.has_translation:
            continue
        targets = index.get(delivered.key)
        if not targets:
            report.leftovers.append(delivered)
            continue
        fuzzy = delivered.fuzzy
        if fuzzy and _text(delivered) in {_text(entry) for _, entry in targets}:
            report.unchanged += len(targets)   # what the export offered, returned unconfirmed
            continue
        for name, entry in targets:
            same = _text(entry) == _text(delivered)
            if entry.translated():
                if same:
                    report.unchanged += 1
                    continue
                conflict = Conflict(name, entry.linenum, entry.msgid, entry.msgstr or str(entry.msgstr_plural),
                                    delivered.msgstr or str(delivered.msgstr_plural), fuzzy=fuzzy)
                if fuzzy or not overwrite:
                    report.conflicts.append(conflict)
                    continue
                report.overwritten.append(conflict)
            elif same and entry.fuzzy == fuzzy:
                report.unchanged += 1
                continue
            entry.msgstr = delivered.msgstr
            if entry.msgid_plural:
                entry.msgstr_plural = {i: delivered.msgstr_plural.get(i, "") for i in entry.msgstr_plural}
            entry.fuzzy = fuzzy
            if not fuzzy and not english_changed_since_decision(entry):
                entry.forget_previous()     # (kept where a reviewer signed off another English: the page's diff)
            brought = without_records(delivered.tcomment)   # a delivery never brings a sign-off
            if brought and not entry.tcomment:
                entry.tcomment = brought
            report.updated.append((name, entry.msgid))
            report.changed_catalogs.add(name)
    return report
