"""Units <-> PO entries: template building, msgmerge-style update, statistics, and the facts every other
module asks of an entry (``has_translation``, ``is_fuzzy``, ``forms``, ``is_disclaimer``).

Merge semantics (those of ``msgmerge --previous``)::

    unchanged msgid (and msgctxt)   -> keeps its translation, flags and translator comments
    changed unit, similar old entry -> the old translation, marked fuzzy, old msgid as ``#| msgid``
    unit no longer in the template  -> obsolete (``#~``), if it held a translation or a comment, and if
                                       no new entry took its translation over (a fuzzy match did)
    obsolete entry whose text is back -> revived with its translation
    fuzzy entry whose ``#| msgid`` is back -> its translation, finished (a reverted source)
    changed ``msgid_plural``          -> the old translations, fuzzy, with ``#| msgid_plural``
    carried over, numbers or negations changed -> ``#. safety: 10 mg -> 15 mg changed; ...``

Nothing a translator wrote is ever dropped.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Protocol

import polib
from rapidfuzz import fuzz, process

from pipeline.core.locales import LocaleInfo
from pipeline.core.model import Key, Stats, Translation, Unit
from pipeline.core.plurals import expression_in, nplurals_in
from pipeline.text.changes import is_safety_line, safety_note
from pipeline.text.placeholders import count_words
from pipeline.text.quantities import compare_numbers

TEMPLATE_DATE = "YEAR-MO-DA HO:MI+ZONE"
HEADER_ORDER = ("Project-Id-Version", "Report-Msgid-Bugs-To", "POT-Creation-Date", "PO-Revision-Date",
                "Last-Translator", "Language-Team", "Language", "MIME-Version", "Content-Type",
                "Content-Transfer-Encoding", "Plural-Forms")


#: How a ``#.`` line that says where a translation came from begins (kept across updates).
ORIGIN_PREFIX = "translation memory:"


class Remembered(Protocol):
    """A translation a memory holds, as the merge reads it (:class:`pipeline.memory.store.MemoryEntry`)."""

    @property
    def msgctxt(self) -> str | None:
        """The context of the remembered text."""

    @property
    def msgid(self) -> str:
        """The remembered English text."""

    @property
    def msgstr(self) -> str:
        """Its translation (a singular entry's)."""

    @property
    def msgstr_plural(self) -> tuple[tuple[int, str], ...]:
        """Its plural forms, (index, text) in order."""

    @property
    def origin(self) -> str:
        """Where it was remembered from (an article's slug, ``imported memory``)."""


class Similar(Protocol):
    """A remembered text similar to a query, with its similarity (:class:`pipeline.memory.store.Match`)."""

    @property
    def entry(self) -> Remembered:
        """The remembered translation."""

    @property
    def score(self) -> float:
        """Its similarity, 0..1."""


class MemoryLookup(Protocol):
    """What a merge asks of a translation memory; both memories of :mod:`pipeline.memory.store` answer it."""

    def exact(self, key: Key) -> Remembered | None:
        """The translation of exactly this (msgctxt, msgid), if any."""

    def similar(self, msgid: str, threshold: float) -> Similar | None:
        """The most similar remembered text at or above ``threshold`` (0..1), or None."""


def now_stamp() -> str:
    """The current time as a PO header date, honouring ``SOURCE_DATE_EPOCH``."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (datetime.fromtimestamp(int(epoch), tz=timezone.utc) if epoch and epoch.strip().isdigit()
              else datetime.now(timezone.utc))
    return moment.strftime("%Y-%m-%d %H:%M+0000")


def copy_entry(entry: polib.POEntry) -> polib.POEntry:
    """An independent copy of an entry (what copy.deepcopy does, at a fraction of its cost)."""
    return polib.POEntry(
        msgid=entry.msgid, msgstr=entry.msgstr, msgid_plural=entry.msgid_plural,
        msgstr_plural=dict(entry.msgstr_plural), msgctxt=entry.msgctxt, obsolete=entry.obsolete,
        occurrences=list(entry.occurrences), comment=entry.comment, tcomment=entry.tcomment,
        flags=list(entry.flags), previous_msgctxt=entry.previous_msgctxt, previous_msgid=entry.previous_msgid,
        previous_msgid_plural=entry.previous_msgid_plural, linenum=entry.linenum)


def entry_key(entry: polib.POEntry) -> Key:
    """(msgctxt, msgid) of an entry."""
    return (entry.msgctxt, entry.msgid)


def _ordered(metadata: dict[str, str]) -> dict[str, str]:
    known = {k: metadata[k] for k in HEADER_ORDER if k in metadata}
    return {**known, **{k: v for k, v in metadata.items() if k not in known}}


def build_template(units: list[Unit], *, reference: str, project: str, bugs_address: str,
                   creation_date: str, reference_lines: bool = False,
                   source_plural_forms: str = "nplurals=2; plural=(n != 1);") -> polib.POFile:
    """A POT for one article: one entry per distinct (context, text), in document order."""
    pot = polib.POFile(wrapwidth=79)
    pot.header = (f"Translation template for {reference} ({project}).\n"
                  f"Generated by l10n: do not edit. Translators edit locales/<lang>/*.po.")
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
                                  occurrences=[occurrence], comment="\n".join(unit.comments()),
                                  flags=list(unit.flags))
            if unit.plural is not None:
                entry.msgid_plural = unit.plural
                entry.msgstr_plural = {0: "", 1: ""}
                # xgettext writes "nplurals=INTEGER; plural=EXPRESSION;", which msgfmt --check rejects:
                # the source language's own rule is valid and says what msgid/msgid_plural mean.
                pot.metadata["Plural-Forms"] = source_plural_forms
            by_key[unit.key] = entry
            pot.append(entry)
            continue
        if occurrence not in entry.occurrences:
            entry.occurrences.append(occurrence)
        lines = entry.comment.split("\n")
        entry.comment = "\n".join(lines + [c for c in unit.comments() if c not in lines])
    return pot


def _flowed(comment: str) -> str:
    """A comment as its words: polib, Poedit and msgcat each wrap ``#.`` and ``#`` lines their own way."""
    return " ".join(comment.split())


def _entry_content(e: polib.POEntry) -> tuple[object, ...]:
    return (e.obsolete, e.msgctxt, e.msgid, e.msgid_plural, e.msgstr, sorted(e.msgstr_plural.items()),
            sorted(e.flags), _flowed(e.comment), _flowed(e.tcomment), list(e.occurrences), e.previous_msgctxt,
            e.previous_msgid, e.previous_msgid_plural)


def same_content(a: polib.POFile, b: polib.POFile) -> bool:
    """Whether two catalogs say the same thing, however their files are wrapped or ordered in the header.

    A translator's tool that re-saves a file with its own wrapping changes nothing here, so a sync does
    not rewrite that file.
    """
    if a.header.strip() != b.header.strip() or dict(a.metadata) != dict(b.metadata):
        return False
    if bool(a.metadata_is_fuzzy) != bool(b.metadata_is_fuzzy) or len(a) != len(b):
        return False
    return all(_entry_content(x) == _entry_content(y) for x, y in zip(a, b))


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
                  revision_date: str, fuzzy_threshold: float = 0.6, title: str = "",
                  memory: MemoryLookup | None = None, memory_threshold: float = 0.8,
                  source_locale: str = "en") -> polib.POFile:
    """Update a locale's catalog from a new template (msgmerge semantics, see the module docstring).

    With no old catalog, a new one is made: ``title`` names it in the header comment. With a
    translation memory, a new or changed unit (or one left empty) takes an exact match from the memory as
    a finished translation, before any fuzzy match of its own old text; or else the closest old text of
    the catalog or the memory as a fuzzy one; ``#. translation memory: ...`` says where it came from. A unit whose text did not
    change keeps whatever its translator left, fuzzy included: only empty ones are filled from memory.
    A fuzzy entry whose ``#| msgid`` is the unit's text again (the source was reverted) gives back its
    translation finished. A translation carried over to a text whose numbers or negations differ gets a
    ``#. safety: ...`` line (``source_locale``: how the English writes numbers).
    """
    po = polib.POFile(wrapwidth=79)
    po.header = old.header if old is not None else f"{locale.name} translation of {title}".strip()
    po.metadata = _merged_header(old, template, locale, revision_date)
    po.metadata_is_fuzzy = False
    stated = nplurals_in(po.metadata.get("Plural-Forms", ""))
    nplurals = stated if stated is not None else locale.nplurals

    live = {entry_key(e): e for e in (old or []) if not e.obsolete}
    dead = {entry_key(e): e for e in (old or []) if e.obsolete}
    # what a fuzzy entry's translation was made for: its #| msgctxt / msgid
    made_for: dict[Key, polib.POEntry] = {}
    for e in live.values():
        if is_fuzzy(e) and e.previous_msgid is not None and has_translation(e):
            made_for.setdefault((e.previous_msgctxt, e.previous_msgid), e)
    candidates = [e for e in [*live.values(), *dead.values()] if has_translation(e)]
    candidate_ids = [e.msgid for e in candidates]
    used: set[int] = set()      # old entries whose translation lives on in the new catalog (msgmerge's "used")
    new_entries: dict[Key, polib.POEntry] = {}
    for tentry in template:
        key = entry_key(tentry)
        entry = copy_entry(tentry)
        if entry.msgid_plural:
            entry.msgstr_plural = {i: "" for i in range(nplurals)}
        previous = live.get(key) or dead.get(key)
        restored = made_for.get(key) if previous is None or not has_translation(previous) else None
        # the memory matters only where the catalog has no translation of its own (a lookup may be a query)
        remembered = memory.exact(key) if memory is not None and restored is None and (
            previous is None or not has_translation(previous)) else None
        carried_from = previous
        if previous is not None:
            used.add(id(previous))
        if restored is not None:
            used.add(id(restored))
            carried_from = restored
            _restore(restored, entry, nplurals)
            if previous is not None and not entry.tcomment:
                entry.tcomment = previous.tcomment
        elif previous is not None and (remembered is None or has_translation(previous)):
            _carry(previous, entry, keep_previous=True, nplurals=nplurals)
            _keep_origin(previous, entry)
        elif remembered is not None:
            if previous is not None:
                entry.tcomment = previous.tcomment
            _fill(entry, remembered.msgstr, remembered.msgstr_plural, nplurals)
            _note_origin(entry, f"{ORIGIN_PREFIX} from {remembered.origin}")
        else:
            carried_from = _fill_similar(entry, candidates, candidate_ids, fuzzy_threshold, memory,
                                         memory_threshold, nplurals) or previous
            if carried_from is not None and carried_from is not previous:
                used.add(id(carried_from))
        _note_safety(carried_from, entry, locale, source_locale)
        new_entries[key] = entry
        po.append(entry)
    for key, entry in [*live.items(), *dead.items()]:
        if id(entry) in used or _lives_on(entry, new_entries):
            continue
        if entry.obsolete or has_translation(entry) or entry.tcomment:
            ghost = copy_entry(entry)
            ghost.obsolete = True
            ghost.occurrences = []
            ghost.comment = ""
            po.append(ghost)
    return po


def _lives_on(entry: polib.POEntry, new_entries: dict[Key, polib.POEntry]) -> bool:
    """Whether the new catalog already holds this old entry's translation for the text it was made for
    (a fuzzy entry of a reverted source, an obsolete copy of a fuzzy one): keeping it would say it twice."""
    made_for = (entry.previous_msgctxt, entry.previous_msgid) if entry.previous_msgid is not None else None
    for key in (entry_key(entry), made_for):
        found = new_entries.get(key) if key is not None else None
        if found is not None and found.msgstr == entry.msgstr and \
                dict(found.msgstr_plural) == dict(entry.msgstr_plural) and found.tcomment == entry.tcomment:
            return True
    return False


def _note_safety(carried_from: polib.POEntry | None, entry: polib.POEntry, locale: LocaleInfo,
                 source_locale: str) -> None:
    """Add the ``#. safety:`` line to a translation carried to a text whose numbers or negations changed.

    A fuzzy entry gets it from its ``#|`` text; a finished one keeps the line its old entry had only while
    its numbers still disagree with the source (the translator cleared fuzzy without re-translating).
    """
    if not has_translation(entry):
        return
    if is_fuzzy(entry) and entry.previous_msgid is not None:
        note = safety_note(entry.previous_msgid, entry.msgid, source_locale=source_locale)
    elif carried_from is not None and not is_fuzzy(entry):
        note = next((line for line in carried_from.comment.split("\n") if is_safety_line(line)), None)
        if note is not None and not entry.msgid_plural and not compare_numbers(
                entry.msgid, entry.msgstr, source_locale=source_locale, target_locale=locale.gettext):
            note = None
    else:
        note = None
    if note is not None and note not in entry.comment.split("\n"):
        _note_origin(entry, note)


def _merged_header(old: polib.POFile | None, template: polib.POFile, locale: LocaleInfo,
                   revision_date: str) -> dict[str, str]:
    if old is None:
        return new_catalog_header(template, locale, revision_date)
    metadata = dict(old.metadata)
    for name in ("Project-Id-Version", "Report-Msgid-Bugs-To", "POT-Creation-Date"):
        metadata[name] = template.metadata.get(name, "")
    if not metadata.get("Language"):
        metadata["Language"] = locale.gettext
    metadata.setdefault("MIME-Version", "1.0")
    metadata["Content-Type"] = "text/plain; charset=UTF-8"
    metadata.setdefault("Content-Transfer-Encoding", "8bit")
    metadata.setdefault("Plural-Forms", locale.plural_forms)
    return _ordered(metadata)


def has_translation(entry: polib.POEntry) -> bool:
    """Whether an entry holds any translated text (msgstr or a plural form), fuzzy or not.

    >>> has_translation(polib.POEntry(msgid="Iron", msgstr="Fer", flags=["fuzzy"]))
    True
    >>> has_translation(polib.POEntry(msgid="%(count)d day", msgid_plural="%(count)d days",
    ...                               msgstr_plural={0: "", 1: "%(count)d jours"}))
    True
    >>> has_translation(polib.POEntry(msgid="Iron", msgstr=""))
    False
    """
    return bool(entry.msgstr or any(entry.msgstr_plural.values()))


def is_fuzzy(entry: polib.POEntry) -> bool:
    """Whether the entry is marked fuzzy: its translation awaits a translator's look, and is not published.

    >>> is_fuzzy(polib.POEntry(msgid="Iron", msgstr="Fer", flags=["fuzzy", "python-format"]))
    True
    >>> is_fuzzy(polib.POEntry(msgid="Iron", msgstr="Fer", flags=["python-format"]))
    False
    """
    return "fuzzy" in entry.flags


def _plural_forms(entry: polib.POEntry) -> list[str]:
    """msgstr[0], msgstr[1] ... in their order (none for an entry without plural forms)."""
    return [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]


def forms(entry: polib.POEntry) -> list[str]:
    """The entry's translation as a list: [msgstr], or a plural entry's forms in order, msgstr[0] first.

    >>> forms(polib.POEntry(msgid="Iron", msgstr="Fer"))
    ['Fer']
    >>> forms(polib.POEntry(msgid="%(count)d day", msgid_plural="%(count)d days",
    ...                     msgstr_plural={1: "%(count)d jours", 0: "%(count)d jour"}))
    ['%(count)d jour', '%(count)d jours']
    """
    return _plural_forms(entry) if entry.msgid_plural else [entry.msgstr]


def is_disclaimer(entry: polib.POEntry) -> bool:
    """Whether an entry is (part of) the article's disclaimer: its extracted comment says so, as the
    template writes it for a unit of the disclaimer (:meth:`pipeline.core.model.Unit.comments`).

    >>> from pipeline.core.model import Role
    >>> unit = Unit("This article is not medical advice.", Role.DISCLAIMER, line=40)
    >>> is_disclaimer(polib.POEntry(msgid=unit.msgid, comment="\\n".join(unit.comments())))
    True
    >>> is_disclaimer(polib.POEntry(msgid="Iron", comment="paragraph"))
    False
    """
    return "disclaimer" in (entry.comment or "")


def _fill(entry: polib.POEntry, msgstr: str, plural: tuple[tuple[int, str], ...], nplurals: int) -> None:
    if entry.msgid_plural:
        given = dict(plural)
        entry.msgstr_plural = {i: given.get(i, "") for i in range(nplurals)}
    else:
        entry.msgstr = msgstr


def _fill_similar(entry: polib.POEntry, candidates: list[polib.POEntry], candidate_ids: list[str],
                  threshold: float, memory: MemoryLookup | None, memory_threshold: float,
                  nplurals: int) -> polib.POEntry | None:
    """Offer the closest old text of this catalog, or of the memory, as a fuzzy translation; returns the
    catalog's entry it came from (None for the memory or no match)."""
    own = process.extractOne(entry.msgid, candidate_ids, scorer=fuzz.ratio,
                             score_cutoff=threshold * 100) if candidate_ids else None
    remembered = memory.similar(entry.msgid, memory_threshold) if memory is not None else None
    if own is not None and (remembered is None or own[1] / 100 >= remembered.score):
        source: polib.POEntry | None
        source = candidates[own[2]]
        _carry(source, entry, keep_previous=False, nplurals=nplurals)
        if is_fuzzy(source) and source.previous_msgid is not None:
            # still unreviewed: its translation was made for the text of its own #| msgid
            entry.previous_msgid, entry.previous_msgctxt = source.previous_msgid, source.previous_msgctxt
            entry.previous_msgid_plural = source.previous_msgid_plural
        else:
            entry.previous_msgid, entry.previous_msgctxt = source.msgid, source.msgctxt
            entry.previous_msgid_plural = source.msgid_plural or None
    elif remembered is not None:
        source = None
        found = remembered.entry
        _fill(entry, found.msgstr, found.msgstr_plural, nplurals)
        entry.previous_msgid, entry.previous_msgctxt = found.msgid, found.msgctxt
        _note_origin(entry, f"{ORIGIN_PREFIX} similar text in {found.origin} ({remembered.score:.0%})")
    else:
        return None
    if not is_fuzzy(entry):
        entry.flags.insert(0, "fuzzy")
    return source


def _note_origin(entry: polib.POEntry, line: str) -> None:
    entry.comment = f"{entry.comment}\n{line}" if entry.comment else line


def _keep_origin(previous: polib.POEntry, entry: polib.POEntry) -> None:
    """Carry the ``#.`` lines that record where the old translation came from."""
    for line in previous.comment.split("\n"):
        if line.startswith(ORIGIN_PREFIX) and line not in entry.comment.split("\n"):
            _note_origin(entry, line)


def _carry(source: polib.POEntry, target: polib.POEntry, *, keep_previous: bool, nplurals: int) -> None:
    """Copy a translator's work (msgstr, fuzzy flag, comments) onto a fresh template entry.

    Between a singular and a plural entry the translation moves to or from the first plural form. An
    entry whose English plural changed (or that became, or stopped being, a plural) is fuzzy with the old
    texts as ``#| msgid`` / ``#| msgid_plural``, as msgmerge does.
    """
    if target.msgid_plural:
        carried = dict(source.msgstr_plural) if source.msgid_plural else {0: source.msgstr}
        target.msgstr_plural = {i: carried.get(i, "") for i in range(max(nplurals, len(carried)))}
    else:
        target.msgstr = source.msgstr if not source.msgid_plural else source.msgstr_plural.get(0, "")
    target.tcomment = source.tcomment
    if is_fuzzy(source) and not is_fuzzy(target):
        target.flags.append("fuzzy")
    if keep_previous and is_fuzzy(target):
        target.previous_msgid = source.previous_msgid
        target.previous_msgctxt = source.previous_msgctxt
        target.previous_msgid_plural = source.previous_msgid_plural
    if keep_previous and (source.msgid_plural or "") != (target.msgid_plural or "") and has_translation(target):
        if not is_fuzzy(target):
            target.flags.insert(0, "fuzzy")
        if target.previous_msgid is None:
            target.previous_msgid, target.previous_msgctxt = source.msgid, source.msgctxt
            target.previous_msgid_plural = source.msgid_plural or None


def _restore(source: polib.POEntry, target: polib.POEntry, nplurals: int) -> None:
    """Give a unit back the translation a fuzzy entry's ``#| msgid`` says was made for its text, finished."""
    _carry(source, target, keep_previous=False, nplurals=nplurals)
    target.flags = [flag for flag in target.flags if flag != "fuzzy"]
    target.previous_msgid = target.previous_msgctxt = target.previous_msgid_plural = None


def catalog_stats(po: polib.POFile) -> Stats:
    """Translated / fuzzy / untranslated units and words, counted as msgfmt counts."""
    stats = Stats()
    for entry in po:
        if entry.obsolete:
            continue
        words = count_words(entry.msgid)
        if is_fuzzy(entry):
            stats.fuzzy += 1
            stats.words_fuzzy += words
        elif entry.translated():
            stats.translated += 1
            stats.words_translated += words
        else:
            stats.untranslated += 1
            stats.words_untranslated += words
    return stats


def lookup_table(po: polib.POFile | None) -> dict[Key, Translation]:
    """(msgctxt, msgid) -> what the catalog holds, for its live entries."""
    if po is None:
        return {}
    return {entry_key(e): Translation(e.msgstr, tuple(_plural_forms(e)), is_fuzzy(e))
            for e in po if not e.obsolete}


def plural_function(po: polib.POFile | None, locale: LocaleInfo) -> Callable[[int], int]:
    """n -> msgstr index, from the catalog's Plural-Forms (babel's rule when it has none)."""
    stated = expression_in(po.metadata.get("Plural-Forms", "") if po is not None else "")
    expression = stated if stated is not None else locale.plural_expr
    try:
        return gettext.c2py(expression)
    except (ValueError, RecursionError):
        return gettext.c2py(locale.plural_expr)
