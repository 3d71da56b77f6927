"""The files a check run looks at: listed in scope, then read an article at a time.

The project's context lists every file in scope (``SourceInScope``, ``CatalogInScope``) and keeps how reading
each one went (``FileState``), never its content. Reading an article's files (``read_source_file``,
``read_catalog_file``) gives them with their content: the source segmented into slots (``SourceFile``), the
template and catalogs parsed (``CatalogFile``). A file that cannot be read is a recorded error (reported by
the ``syntax`` check), not an exception, so one broken catalog does not hide the problems of the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from pipeline.checks.registry import default_severity
from pipeline.core.config import LocaleConfig
from pipeline.core.errors import ParseError, PipelineError
from pipeline.core.files import content_digest
from pipeline.core.model import Finding, Severity
from pipeline.html.extract import ForeignRun, SegmentPolicy, Slot, SourceDocument, collect_slots, read_source
from pipeline.html.reading import SlotInfo, decode_reading, slot_infos
from pipeline.po.files import parse_po_or_error
from pipeline.po.model import Catalog, Entry


@dataclass(slots=True)
class SourceInScope:
    """A source article in scope: whether it parsed, or why not."""

    slug: str
    path: Path
    rel: str                            #: project-relative path, as findings show it
    parsed: bool = False
    error: PipelineError | None = None

    def finding(self, check_id: str, message: str, *, line: int | None = None,
                severity: Severity | None = None) -> Finding:
        """A finding in the source article."""
        return Finding(check=check_id, severity=severity or default_severity(check_id), message=message,
                       path=self.rel, line=line, article=self.slug)


@dataclass(slots=True)
class CatalogInScope:
    """A PO (or POT) file in scope: whether it exists and parsed, or why not."""

    path: Path
    rel: str                            #: project-relative path, as findings show it
    slug: str
    locale: LocaleConfig | None         #: None for a template
    exists: bool = False
    error: ParseError | None = None
    parsed: bool = False                #: it exists and parsed

    @property
    def code(self) -> str:
        """The locale's gettext code (empty for a template)."""
        return self.locale.code if self.locale is not None else ""

    @property
    def kind(self) -> str:
        """``catalog`` or ``template``."""
        return "catalog" if self.locale is not None else "template"

    def finding(self, check_id: str, message: str, *, entry: Entry | None = None,
                line: int | None = None, severity: Severity | None = None) -> Finding:
        """A finding in this file, at an entry's line (its ``linenum``) or a given line."""
        return Finding(check=check_id, severity=severity or default_severity(check_id), message=message,
                       path=self.rel, line=entry.linenum if entry is not None else line,
                       locale=self.code or None, article=self.slug)


@dataclass(frozen=True, slots=True)
class ArticleFiles:
    """An article's files in scope: its source, its template, its catalog in each locale (in order)."""

    source: SourceInScope
    template: CatalogInScope
    catalogs: list[CatalogInScope]


@dataclass(frozen=True, slots=True)
class FileState:
    """How reading a file went: all the project's context keeps of it (it crosses processes)."""

    exists: bool
    error: PipelineError | None


@dataclass(slots=True)
class SourceFile(SourceInScope):
    """A source article read: parsed (or why not) and segmented."""

    slots: list[SlotInfo] = field(default_factory=list)   #: empty when it could not be read
    #: runs in another script than the source language's, without a lang (not units; see segment)
    foreign: list[ForeignRun] = field(default_factory=list)
    #: the parsed source and its slots (they never cross processes)
    document: SourceDocument | None = None
    digest: str | None = None           #: the hash of its bytes (:func:`content_digest`), once read
    policy: SegmentPolicy | None = None
    _segments: list[Slot] | None = None

    @property
    def segments(self) -> list[Slot]:
        """The slots of :attr:`document` (empty when it could not be read); segmented on first use when
        :attr:`slots` came from a sync's reading of the same bytes."""
        if self._segments is None:
            self._segments = [] if self.document is None or self.policy is None else \
                collect_slots(self.document, self.policy)
        return self._segments


@dataclass(slots=True)
class CatalogFile(CatalogInScope):
    """A PO (or POT) file read: parsed, with its text, or with the reason it could not be.

    A template whose bytes the last sync recorded as its article's (``SyncedTemplates``) is known to parse: it
    is parsed only if a check asks for its content (:attr:`po`, :attr:`text`).
    """

    _po: Catalog | None = None
    _text: str = ""
    _unparsed: bytes | None = None      #: the bytes of a file known to parse, not parsed yet

    @property
    def po(self) -> Catalog | None:
        """The parsed catalog; None when missing or unreadable."""
        if self._unparsed is not None:
            self._parse()
        return self._po

    @property
    def text(self) -> str:
        """The file's text (newlines as ``\\n``); empty when missing or unreadable."""
        if self._unparsed is not None:
            self._parse()
        return self._text

    def _parse(self) -> None:
        data, self._unparsed = self._unparsed, None
        assert data is not None
        _take(self, data)


class SyncedTemplates(Protocol):
    """Which templates the last sync recorded: each article's as it left it, which parsed."""

    def parsed_template(self, slug: str, digest: str) -> bool:
        """Whether the last sync recorded the article's template with the bytes of this :func:`content_digest`."""
        ...


class SourceReadings(Protocol):
    """What an earlier sync kept of the sources it segmented (``html.reading.encode_reading``), by content
    hash."""

    def reading(self, digest: str) -> bytes | None:
        """The kept reading of the source whose bytes have this :func:`content_digest`, or None."""
        ...


def read_source_file(source: SourceInScope, policy: SegmentPolicy,
                     readings: SourceReadings | None = None) -> SourceFile:
    """A source article parsed and segmented (with its foreign-script runs), or with why it cannot be read.

    A source whose bytes a sync segmented under the same code and configuration (in ``readings``) is parsed
    but not segmented again: its slots and foreign runs are the sync's, and :attr:`SourceFile.segments` are
    made only if a check asks for them. Its text is not searched again for an element left open either: the
    sync parsed the same bytes without error.
    """
    read = SourceFile(source.slug, source.path, source.rel, policy=policy)
    kept: tuple[list[SlotInfo], list[ForeignRun]] | None = None

    def known(data: bytes) -> bool:  # a sync that kept a reading of these bytes parsed them without error
        nonlocal kept
        read.digest = content_digest(data)
        kept = decode_reading(readings.reading(read.digest)) if readings is not None else None
        return kept is not None

    try:
        read.document = read_source(read.path, slug=read.slug, reference=read.rel, known=known)
        if kept is not None:
            read.slots, read.foreign = kept
        else:
            read._segments = collect_slots(read.document, policy, foreign=read.foreign)
            read.slots = slot_infos(read._segments)
    except PipelineError as exc:
        read.error, read.document, read._segments, read.foreign, read.slots = exc, None, [], [], []
        read.digest = None
    read.parsed = read.error is None
    return read


def read_catalog_file(cat: CatalogInScope, synced: SyncedTemplates | None = None) -> CatalogFile:
    """A PO/POT file read and parsed; a missing one does not exist, an unreadable one has its error.

    A template that ``synced`` knows with these bytes is parsed only when its content is asked for.
    """
    read = CatalogFile(cat.path, cat.rel, cat.slug, cat.locale)
    try:
        data = read.path.read_bytes()
    except FileNotFoundError:
        return read
    except OSError as exc:
        read.exists, read.error = True, ParseError(f"cannot read the file: {exc.strerror}", path=read.rel)
        return read
    read.exists = True
    if synced is not None and cat.locale is None and synced.parsed_template(cat.slug, content_digest(data)):
        read._unparsed, read.parsed = data, True
        return read
    _take(read, data)
    return read


def _take(read: CatalogFile, data: bytes) -> None:
    """Parse a file's bytes into ``read``: its catalog and text, or its error."""
    po = parse_po_or_error(data, path=read.rel)
    if isinstance(po, ParseError):
        read.error, read.parsed = po, False
    else:
        read._po, read._text, read.parsed = po, data.decode("utf-8-sig").replace("\r\n", "\n"), True
