"""The project's catalog model: a gettext catalog (:class:`Catalog`) of entries (:class:`Entry`), with the facts
every stage asks of them.

Both are polib's classes, whose attribute names are gettext's own: ``msgctxt``, ``msgid``, ``msgid_plural``,
``msgstr``, ``msgstr_plural`` (form index -> text), ``flags`` (``#,``), ``tcomment`` (translator comments,
``#``), ``comment`` (extracted comments, ``#.``), ``occurrences`` (``#:``), ``previous_msgctxt`` /
``previous_msgid`` / ``previous_msgid_plural`` (``#|``), ``obsolete`` (``#~``) and ``linenum``; ``header``,
``metadata`` and ``metadata_is_fuzzy`` for a catalog's header. This module adds what the pipeline asks of
them, so that no other module re-derives it. The modules of ``pipeline.po`` are the only code that imports
polib; every other module works with these two classes (``parse_po`` returns them, and whatever makes
entries or catalogs, the merge, the hand-off, the XLIFF reader, makes them).

An entry's states, as msgfmt counts them:

>>> entry = Entry(msgid="Iron", msgstr="Fer")
>>> entry.translated(), entry.fuzzy, entry.has_translation
(True, False, True)

The English changed: the translation stays, marked fuzzy with the text it was made for, and is not published
until a translator clears the flag:

>>> entry.previous_msgid, entry.msgid = entry.msgid, "Iron and zinc"
>>> entry.fuzzy = True
>>> entry.flags, entry.translated(), entry.has_translation, entry.previous_key
(['fuzzy'], False, True, (None, 'Iron'))
>>> entry.fuzzy = False
>>> entry.forget_previous()
>>> entry.translated(), entry.previous_key
(True, None)

A catalog holds only entries of the model, whatever a caller appends:

>>> po = Catalog()
>>> po.metadata = {"Plural-Forms": "nplurals=2; plural=(n > 1);"}
>>> po.append(polib.POEntry(msgid="Ferritin", msgstr=""))
>>> type(po[0]).__name__, po.nplurals, po.plural_expression
('Entry', 2, '(n > 1)')
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from enum import IntEnum
from typing import Any, SupportsIndex, cast, overload

import polib

from pipeline.core.model import Key
from pipeline.core.plurals import expression_in, nplurals_in

__all__ = ["Catalog", "Entry", "State"]


class State(IntEnum):
    """How far an entry's translation is, in this order (the hand-off keeps the most finished of several)."""

    UNTRANSLATED = 0    #: no text, or a plural form missing (not fuzzy)
    FUZZY = 1           #: a text that awaits a translator's look
    FINISHED = 2        #: :meth:`Entry.translated`: every form filled, not fuzzy


class Entry(polib.POEntry):
    """One message of a catalog: polib's entry, with the facts asked of it.

    Its state: :meth:`translated` (polib's, msgfmt's count: live, not fuzzy, every form filled),
    :attr:`fuzzy`, :attr:`has_translation` (any text at all, fuzzy or not), ``obsolete``; :attr:`state` sums
    them up.
    """

    @staticmethod
    def of(entry: polib.POEntry) -> Entry:
        """The entry as the model's (the same object): for an entry polib made (its parser, or a caller that
        appends a ``polib.POEntry`` to a :class:`Catalog`)."""
        if not isinstance(entry, Entry):
            entry.__class__ = Entry
            entry.__dict__ = dict(entry.__dict__)  # attributes as fast as an Entry's own (CPython 3.11)
        return cast(Entry, entry)

    @property
    def key(self) -> Key:
        """(msgctxt, msgid): the entry's identity in its catalog; msgctxt is None without a context.

        >>> Entry(msgid="Iron", msgctxt="title").key, Entry(msgid="Iron").key
        (('title', 'Iron'), (None, 'Iron'))
        """
        return (self.msgctxt, self.msgid)  # polib's msgctxt is None without a context (types-polib says str)

    @property
    def previous_key(self) -> Key | None:
        """(msgctxt, msgid) of the ``#|`` previous strings: the text a fuzzy translation was made for."""
        return (self.previous_msgctxt, self.previous_msgid) if self.previous_msgid is not None else None

    @property
    def fuzzy(self) -> bool:
        """Whether the entry is marked fuzzy: its translation awaits a translator's look, and is not published.
        Setting it adds the flag first, as msgmerge writes it, or removes it.

        >>> entry = Entry(msgid="Iron", msgstr="Fer", flags=["python-format"])
        >>> entry.fuzzy
        False
        >>> entry.fuzzy = True
        >>> entry.flags
        ['fuzzy', 'python-format']
        """
        return "fuzzy" in self.flags

    @fuzzy.setter
    def fuzzy(self, value: bool) -> None:
        if value and "fuzzy" not in self.flags:
            self.flags.insert(0, "fuzzy")
        elif not value and "fuzzy" in self.flags:
            self.flags = [flag for flag in self.flags if flag != "fuzzy"]

    @property
    def has_translation(self) -> bool:
        """Whether the entry holds any translated text (msgstr or a plural form), fuzzy or not.

        >>> Entry(msgid="Iron", msgstr="Fer", flags=["fuzzy"]).has_translation
        True
        >>> Entry(msgid="%(count)d day", msgid_plural="%(count)d days",
        ...       msgstr_plural={0: "", 1: "%(count)d jours"}).has_translation
        True
        >>> Entry(msgid="Iron", msgstr="").has_translation
        False
        """
        return bool(self.msgstr or any(self.msgstr_plural.values()))

    @property
    def state(self) -> State:
        """How far the translation is: finished, fuzzy (with a text), or untranslated.

        >>> [Entry(msgid="Iron", msgstr=text, flags=flags).state.name
        ...  for text, flags in (("Fer", []), ("Fer", ["fuzzy"]), ("", ["fuzzy"]), ("", []))]
        ['FINISHED', 'FUZZY', 'UNTRANSLATED', 'UNTRANSLATED']
        """
        if self.fuzzy:
            return State.FUZZY if self.has_translation else State.UNTRANSLATED
        return State.FINISHED if self.translated() else State.UNTRANSLATED

    @property
    def is_plural(self) -> bool:
        """Whether the entry has plural forms (a ``msgid_plural``)."""
        return bool(self.msgid_plural)

    @property
    def forms(self) -> list[str]:
        """The translation as a list: [msgstr], or a plural entry's forms in order, msgstr[0] first.

        >>> Entry(msgid="Iron", msgstr="Fer").forms
        ['Fer']
        >>> Entry(msgid="%(count)d day", msgid_plural="%(count)d days",
        ...       msgstr_plural={1: "%(count)d jours", 0: "%(count)d jour"}).forms
        ['%(count)d jour', '%(count)d jours']
        """
        return self.plural_forms if self.msgid_plural else [self.msgstr]

    @property
    def plural_forms(self) -> list[str]:
        """msgstr[0], msgstr[1] ... in their order (none for an entry without plural forms)."""
        return [self.msgstr_plural[i] for i in sorted(self.msgstr_plural)]

    @property
    def is_disclaimer(self) -> bool:
        """Whether the entry is (part of) the article's disclaimer: its extracted comment says so, as the
        template writes it for a unit of the disclaimer (:meth:`pipeline.core.model.Unit.comments`).

        >>> from pipeline.core.model import Role, Unit
        >>> unit = Unit("This article is not medical advice.", Role.DISCLAIMER, line=40)
        >>> Entry(msgid=unit.msgid, comment="\\n".join(unit.comments())).is_disclaimer
        True
        >>> Entry(msgid="Iron", comment="paragraph").is_disclaimer
        False
        """
        return "disclaimer" in (self.comment or "")

    def forget_previous(self) -> None:
        """Drop the ``#|`` previous strings (the translation is for the current text)."""
        self.previous_msgid = self.previous_msgctxt = self.previous_msgid_plural = None

    def copy(self) -> Entry:
        """An independent copy of the entry (what copy.deepcopy does, at a fraction of its cost)."""
        return Entry(
            msgid=self.msgid, msgstr=self.msgstr, msgid_plural=self.msgid_plural,
            msgstr_plural=dict(self.msgstr_plural), msgctxt=self.msgctxt, obsolete=self.obsolete,
            occurrences=list(self.occurrences), comment=self.comment, tcomment=self.tcomment,
            flags=list(self.flags), previous_msgctxt=self.previous_msgctxt, previous_msgid=self.previous_msgid,
            previous_msgid_plural=self.previous_msgid_plural, linenum=self.linenum)


class Catalog(polib.POFile):
    """A PO or POT catalog: its header (``header``, ``metadata``, ``metadata_is_fuzzy``) and its entries, in
    order, obsolete ones included; every entry is an :class:`Entry` (one appended as polib's becomes one).

    Iterating it or indexing it gives :class:`Entry`; to type checkers it is still polib's list of POEntry
    where its type is taken apart, as in ``enumerate(po)`` or ``zip(po, other)``: give those ``iter(po)``.
    """

    def __init__(self, *, wrapwidth: int = 79, **kwargs: Any) -> None:  # polib's keywords (pofile, encoding...)
        super().__init__(wrapwidth=wrapwidth, **kwargs)

    def __iter__(self) -> Iterator[Entry]:
        return cast("Iterator[Entry]", list.__iter__(self))  # append, insert and extend keep entries Entry

    @overload
    def __getitem__(self, index: SupportsIndex) -> Entry: ...

    @overload
    def __getitem__(self, index: slice) -> list[polib.POEntry]: ...

    def __getitem__(self, index: SupportsIndex | slice) -> Entry | list[polib.POEntry]:
        return cast("Entry | list[polib.POEntry]", super().__getitem__(index))

    def append(self, entry: polib.POEntry) -> None:
        """Add an entry at the end (polib's own becomes an :class:`Entry`)."""
        if type(entry) is not Entry:  # what the parser appends: its own entries, once each
            Entry.of(entry)
        super().append(entry)

    def insert(self, index: SupportsIndex, entry: polib.POEntry) -> None:
        """Add an entry before ``index`` (polib's own becomes an :class:`Entry`)."""
        super().insert(index, Entry.of(entry))

    def extend(self, entries: Iterable[polib.POEntry]) -> None:
        """Add entries at the end (polib's own become :class:`Entry`)."""
        super().extend(Entry.of(entry) for entry in entries)

    def live(self) -> list[Entry]:
        """The entries that are not obsolete, in order."""
        return [entry for entry in self if not entry.obsolete]

    @property
    def nplurals(self) -> int | None:
        """How many plural forms the ``Plural-Forms`` header gives (None: no header, or none it says)."""
        return nplurals_in(self.metadata.get("Plural-Forms", ""))

    @property
    def plural_expression(self) -> str | None:
        """The C expression of ``n`` the ``Plural-Forms`` header picks a form with (None: none it says)."""
        return expression_in(self.metadata.get("Plural-Forms", ""))
