"""Units <-> PO entries: template building, msgmerge-style update, statistics.

Merge semantics (those of ``msgmerge --previous``)::

    unchanged msgid (and msgctxt)   -> keeps its translation, flags and translator comments
    changed unit, similar old entry -> the old translation, marked fuzzy, old msgid as ``#| msgid``
    unit no longer in the template  -> obsolete (``#~``), if it held a translation or a comment
    obsolete entry whose text is back -> revived with its translation

Nothing a translator wrote is ever dropped.
"""

from __future__ import annotations

import copy
import os
from datetime import datetime, timezone

import polib
from rapidfuzz import fuzz, process

from .inline import count_words
from .locale_codes import LocaleInfo
from .model import Stats, Unit

Key = tuple[str | None, str]
TEMPLATE_DATE = "YEAR-MO-DA HO:MI+ZONE"
#: Header fields that translators' tools own; the pipeline keeps whatever a catalog has for them.
TRANSLATOR_FIELDS = ("PO-Revision-Date", "Last-Translator", "Language-Team", "X-Generator")
HEADER_ORDER = ("Project-Id-Version", "Report-Msgid-Bugs-To", "POT-Creation-Date", "PO-Revision-Date",
                "Last-Translator", "Language-Team", "Language", "MIME-Version", "Content-Type",
                "Content-Transfer-Encoding", "Plural-Forms")


def now_stamp() -> str:
    """The current time as a PO header date, honouring ``SOURCE_DATE_EPOCH``."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (datetime.fromtimestamp(int(epoch), tz=timezone.utc) if epoch and epoch.strip().isdigit()
              else datetime.now(timezone.utc))
    return moment.strftime("%Y-%m-%d %H:%M+0000")


def entry_key(entry: polib.POEntry) -> Key:
    """(msgctxt, msgid) of an entry."""
    return (entry.msgctxt, entry.msgid)


def _ordered(metadata: dict[str, str]) -> dict[str, str]:
    known = {k: metadata[k] for k in HEADER_ORDER if k in metadata}
    return {**known, **{k: v for k, v in metadata.items() if k not in known}}


def build_template(units: list[Unit], *, reference: str, project: str, bugs_address: str,
                   creation_date: str, reference_lines: bool = False) -> polib.POFile:
    """A POT for one article: one entry per distinct (context, text), in document order."""
    pot = polib.POFile(wrapwidth=79)
    pot.header = ""
    pot.metadata = _ordered({
        "Project-Id-Version": project,
        "Report-Msgid-Bugs-To": bugs_address,
        "POT-Creation-Date": creation_date,
        "PO-Revision-Date": TEMPLATE_DATE,
        "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
        "Language-Team": "LANGUAGE <LL@li.org>",
        "Language": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    })
    pot.metadata_is_fuzzy = True
    by_key: dict[Key, polib.POEntry] = {}
    for unit in units:
        occurrence = (reference, str(unit.line) if reference_lines and unit.line else "")
        entry = by_key.get(unit.key)
        if entry is None:
            entry = polib.POEntry(msgid=unit.msgid, msgstr="", msgctxt=unit.context,
                                  occurrences=[occurrence], comment="\n".join(unit.comments()))
            by_key[unit.key] = entry
            pot.append(entry)
            continue
        if occurrence not in entry.occurrences:
            entry.occurrences.append(occurrence)
        lines = entry.comment.split("\n")
        entry.comment = "\n".join(lines + [c for c in unit.comments() if c not in lines])
    return pot


def same_entries(a: polib.POFile, b: polib.POFile) -> bool:
    """Whether two catalogs hold the same entries (headers aside)."""
    def dump(po: polib.POFile) -> list[str]:
        return [str(e) for e in po] + [str(e) for e in po.obsolete_entries()]
    return dump(a) == dump(b)


def new_catalog_header(template: polib.POFile, locale: LocaleInfo, revision_date: str) -> dict[str, str]:
    """Header of a catalog created for a locale (``l10n init``, or the first sync of a new article)."""
    metadata = dict(template.metadata)
    metadata.update({
        "PO-Revision-Date": revision_date,
        "Last-Translator": "",
        "Language-Team": f"{locale.name} <>".replace(" <>", ""),
        "Language": locale.gettext,
        "Plural-Forms": locale.plural_forms,
    })
    return _ordered(metadata)


def merge_catalog(old: polib.POFile | None, template: polib.POFile, locale: LocaleInfo, *,
                  revision_date: str, fuzzy_threshold: float = 0.6) -> polib.POFile:
    """Update a locale's catalog from a new template (msgmerge semantics, see the module docstring)."""
    po = polib.POFile(wrapwidth=79)
    po.header = old.header if old is not None else ""
    if old is None:
        po.metadata = new_catalog_header(template, locale, revision_date)
    else:
        metadata = dict(old.metadata)
        for name in ("Project-Id-Version", "Report-Msgid-Bugs-To", "POT-Creation-Date"):
            metadata[name] = template.metadata.get(name, "")
        metadata.setdefault("Language", locale.gettext)
        if not metadata.get("Language"):
            metadata["Language"] = locale.gettext
        metadata.setdefault("MIME-Version", "1.0")
        metadata["Content-Type"] = "text/plain; charset=UTF-8"
        metadata.setdefault("Content-Transfer-Encoding", "8bit")
        metadata.setdefault("Plural-Forms", locale.plural_forms)
        po.metadata = _ordered(metadata)
    po.metadata_is_fuzzy = False

    live = {entry_key(e): e for e in (old or []) if not e.obsolete}
    dead = {entry_key(e): e for e in (old.obsolete_entries() if old is not None else [])}
    candidates = [e for e in [*live.values(), *dead.values()] if e.translated() or e.msgstr or
                  any(e.msgstr_plural.values())]
    candidate_ids = [e.msgid for e in candidates]
    matched: set[Key] = set()
    for tentry in template:
        key = entry_key(tentry)
        entry = copy.deepcopy(tentry)
        previous = live.get(key) or dead.get(key)
        if previous is not None:
            matched.add(key)
            _carry(previous, entry, keep_previous=True)
        elif candidate_ids:
            best = process.extractOne(tentry.msgid, candidate_ids, scorer=fuzz.ratio,
                                      score_cutoff=fuzzy_threshold * 100)
            if best is not None:
                source = candidates[best[2]]
                _carry(source, entry, keep_previous=False)
                if "fuzzy" not in entry.flags:
                    entry.flags.append("fuzzy")
                entry.previous_msgid = source.msgid
                entry.previous_msgctxt = source.msgctxt
        po.append(entry)
    for key, entry in [*live.items(), *dead.items()]:
        if key in matched:
            continue
        if entry.obsolete or entry.msgstr or any(entry.msgstr_plural.values()) or entry.tcomment:
            ghost = copy.deepcopy(entry)
            ghost.obsolete = True
            ghost.occurrences = []
            ghost.comment = ""
            po.append(ghost)
    return po


def _carry(source: polib.POEntry, target: polib.POEntry, *, keep_previous: bool) -> None:
    """Copy a translator's work (msgstr, fuzzy flag, comments) onto a fresh template entry."""
    target.msgstr = source.msgstr
    if target.msgid_plural:
        target.msgstr_plural = dict(source.msgstr_plural)
    target.tcomment = source.tcomment
    if "fuzzy" in source.flags and "fuzzy" not in target.flags:
        target.flags.append("fuzzy")
    if keep_previous and "fuzzy" in target.flags:
        target.previous_msgid = source.previous_msgid
        target.previous_msgctxt = source.previous_msgctxt
        target.previous_msgid_plural = source.previous_msgid_plural


def catalog_stats(po: polib.POFile) -> Stats:
    """Translated / fuzzy / untranslated units and words, counted as msgfmt counts."""
    stats = Stats()
    for entry in po:
        if entry.obsolete:
            continue
        words = count_words(entry.msgid)
        if "fuzzy" in entry.flags:
            stats.fuzzy += 1
            stats.words_fuzzy += words
        elif entry.translated():
            stats.translated += 1
            stats.words_translated += words
        else:
            stats.untranslated += 1
            stats.words_untranslated += words
    return stats


def lookup_table(po: polib.POFile | None) -> dict[Key, tuple[str, bool]]:
    """(msgctxt, msgid) -> (msgstr, fuzzy) for the live entries of a catalog."""
    if po is None:
        return {}
    return {entry_key(e): (e.msgstr, "fuzzy" in e.flags) for e in po if not e.obsolete}
