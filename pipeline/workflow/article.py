"""One article through extract, update and build: the unit of work a sync repeats (and runs in parallel).

:func:`process_article` reads an article's source, template and catalogs, computes the new template,
catalogs and outputs, and either stages them as temporary files beside their targets (to be renamed
into place by the caller once every article is known to be good) or only says which files would change.
It keeps nothing but paths, hashes and figures, so a sync's memory does not grow with the corpus.
"""

from __future__ import annotations

import traceback
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pipeline.core.config import LocaleConfig
from pipeline.core.errors import InternalError, ParseError, PipelineError, SourceError, WriteError
from pipeline.core.files import stage_file
from pipeline.core.locales import parse_locale
from pipeline.html.build import Assembled, Signature, finish_page, source_signature
from pipeline.html.extract import ForeignRun, Slot, SourceDocument, collect_slots, document_from_bytes, units_of
from pipeline.html.publish import render_output, unpublished_reason
from pipeline.html.reading import encode_reading
from pipeline.memory.store import catalog_entries
from pipeline.po.catalog import (
    MemoryLookup,
    build_template,
    catalog_stats,
    merge_catalog,
    same_content,
)
from pipeline.po.files import blocks_by_key, format_po_reusing, parse_po_or_error
from pipeline.po.model import Catalog
from pipeline.po.review import state_counts
from pipeline.text.verdict import KnownVerdicts
from pipeline.workflow.cache import SyncRecords
from pipeline.workflow.changes import Change, digest, read_bytes
from pipeline.workflow.job import ArticleJob, ArticleOutcome, LocaleOutcome, Settings


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _parse(path: Path, root: Path, outcome: ArticleOutcome
           ) -> tuple[bytes | None, Catalog | None | Literal[False]]:
    data = read_bytes(path)
    if data is None:
        return None, None
    po = parse_po_or_error(data, path=_relative(path, root))
    if isinstance(po, ParseError):
        outcome.errors.append(po)
        return data, False
    return data, po


def _stage(outcome: ArticleOutcome, job: ArticleJob, path: Path, kind: str, new: bytes | None,
           current: bytes | None, *, durable: bool = False) -> str | None:
    """Record a change (and stage its bytes) unless the file already holds them; return the new hash."""
    if new is None and current is None:
        return None
    if new is not None and new == current:
        return digest(new)
    change = Change(path, kind, remove=new is None, durable=durable, expected=digest(current), new=digest(new))
    if job.stage and new is not None:
        try:
            change.tmp = stage_file(path, new)   # a durable one is flushed with the others by apply_changes
        except OSError as exc:
            raise WriteError(f"cannot write: {exc.strerror or exc}", path=_relative(path, job.root),
                             hint="check that its folder is a folder, and writable") from None
    elif job.keep and kind != "output":
        change.content = new
    outcome.changes.append(change)
    return change.new


def _stage_po(outcome: ArticleOutcome, job: ArticleJob, path: Path, kind: str, po: Catalog, current: bytes | None,
              *, durable: bool = False) -> str | None:
    """Stage a template or catalog as ``format_po`` writes it, noting its layout; return its new hash.

    When an earlier sync wrote the file as it is now (its layout is known by its hash), the entries that did not
    change keep their text from it instead of being formatted again: the same bytes (``format_po_reusing``).
    """
    layout = job.layouts.get(digest(current) or "") if current is not None and job.layouts else None
    blocks = blocks_by_key(current.decode("utf-8"), layout) if layout is not None and current is not None else None
    text, written = format_po_reusing(po, blocks)
    hashed = _stage(outcome, job, path, kind, text.encode("utf-8"), current, durable=durable)
    if hashed is not None:
        outcome.layouts[hashed] = written
    return hashed


@dataclass(slots=True)
class _ArticleVerdicts:
    """The translations of one article known to have no problem (read from the cache) and found so (for it)."""

    reader: SyncRecords
    slug: str
    found: list[bytes] = field(default_factory=list)

    def clean(self, keys: Collection[bytes], *, article: str | None = None) -> set[bytes]:
        """Those of ``keys`` the cache knows to have no problem (this article's records read first)."""
        return self.reader.clean(keys, article=article or self.slug)

    def remember(self, keys: Iterable[bytes]) -> None:
        """Note keys found without a problem, for the cache to record."""
        self.found.extend(keys)


_READERS: dict[tuple[str, str], SyncRecords] = {}


def _known_verdicts(job: ArticleJob) -> _ArticleVerdicts | None:
    """What the cache knows of the verdicts of translations, for this article's build (None: no cache)."""
    if job.verdicts is None:
        return None
    reader = _READERS.get(job.verdicts)
    if reader is None:
        reader = _READERS[job.verdicts] = SyncRecords(*job.verdicts)
    return _ArticleVerdicts(reader, job.slug)


def process_article(job: ArticleJob, settings: Settings,
                    memories: Mapping[str, MemoryLookup] | None) -> ArticleOutcome:
    """Extract, update and build one article (see the module docstring); errors are in the outcome.

    With ``memories`` None, an article whose update could draw on the translation memory stops early with
    ``needs_memory`` set, so that the memory is built only when some article needs it.
    """
    outcome = ArticleOutcome(job.slug)
    current = job.reference
    try:
        _process(job, settings, memories, outcome)
    except (PipelineError, OSError) as exc:
        if isinstance(exc, OSError):
            exc = WriteError(f"cannot write: {exc.strerror or exc}", path=current,
                             hint="check that the folder is a folder and writable")
        outcome.errors.append(exc)
    except Exception as exc:  # a bug: name the file, keep the traceback for --debug (as text: it may cross processes)
        error = InternalError(f"internal error ({type(exc).__name__}: {exc})", path=current)
        error.details = traceback.format_exc()
        outcome.errors.append(error)
    return outcome


def _process(job: ArticleJob, settings: Settings, memories: Mapping[str, MemoryLookup] | None,
             outcome: ArticleOutcome) -> None:
    root = settings.root
    size = job.source.stat().st_size
    if size > settings.max_source_bytes:
        raise SourceError(f"the article is {size:,} bytes, over the limit of {settings.max_source_bytes:,}",
                         path=job.reference, hint="split it, or raise max_source_bytes in l10n.yaml")
    data = job.source.read_bytes()
    outcome.source = digest(data)
    doc = document_from_bytes(data, path=job.source, slug=job.slug, reference=job.reference)
    template_bytes, old_pot = _parse(job.template, root, outcome)
    olds = {loc.code: _parse(path, root, outcome) for loc, path, _ in job.catalogs}
    if old_pot is False:
        return
    foreign: list[ForeignRun] = []
    slots = collect_slots(doc, settings.policy, foreign=foreign)
    if job.remember:     # what a check of the same bytes needs of them, for the cache to keep
        outcome.reading = encode_reading(slots, foreign)
    pot = _template(doc, slots, old_pot, job.stamp, settings)
    if memories is None and "update" in job.steps and any(
            _wants_memory(po, pot) for _, po in olds.values() if po is not False):
        outcome.needs_memory = True  # the caller builds the memory and asks again
        return
    write_template = "extract" in job.steps or "update" in job.steps
    if write_template and (old_pot is None or not same_content(old_pot, pot)):
        outcome.template = _stage_po(outcome, job, job.template, "template", pot, template_bytes)
    else:
        outcome.template = digest(template_bytes)
        outcome.stale = old_pot is None or not same_content(old_pot, pot)
    signature = source_signature(doc.root) if "build" in job.steps else set()
    verdicts = _known_verdicts(job) if "build" in job.steps else None
    pages: list[tuple[LocaleConfig, Path, LocaleOutcome, Assembled, bytes | None]] = []
    for index, (loc, path, output) in enumerate(job.catalogs):
        result = outcome.locales.setdefault(loc.code, LocaleOutcome())
        current_bytes, old = olds[loc.code]
        if old is False:
            result.skipped = True
            continue
        po = old
        if "update" in job.steps:
            po = merge_catalog(old, pot, loc.info, revision_date=job.stamp,
                               fuzzy_threshold=settings.fuzzy_threshold,
                               title=f"{job.reference} ({settings.project}).",
                               memory=(memories or {}).get(loc.code), memory_threshold=settings.memory_threshold,
                               source_locale=settings.source_language.replace("-", "_"))
            if old is None or not same_content(old, po):
                result.catalog = _stage_po(outcome, job, path, "catalog", po, current_bytes, durable=True)
            else:
                result.catalog = digest(current_bytes)
        else:
            result.catalog = digest(current_bytes)
        # count what the source has now, also when a build uses catalogs a sync has not yet updated
        # (a catalog that lacks a unit of a current template, or has one more, is counted as merged too)
        if po is not None and not outcome.stale and _same_units(po, pot):
            counted = po
        else:
            counted = merge_catalog(po, pot, loc.info, revision_date=job.stamp,
                                    fuzzy_threshold=settings.fuzzy_threshold,
                                    source_locale=settings.source_language.replace("-", "_"))
        result.stats = catalog_stats(counted)
        if loc.review != "off":
            result.review = state_counts(counted)
        result.went_fuzzy = [(e.msgid, e.previous_msgid) for e in counted
                             if not e.obsolete and e.previous_msgid is not None and e.fuzzy]
        result.untranslated = result.stats.untranslated
        if po is not None and job.remember:
            result.memory = catalog_entries(po, job.slug)
        if "build" in job.steps:
            # a build consumes its tree: each locale's gets a copy, but the last one, after which nothing reads it
            last = index == len(job.catalogs) - 1
            copy, copied_slots = (doc, slots) if last else doc.copy_with(slots)
            page = _build(job, settings, copy, copied_slots, signature, po, loc, Path(output), result, outcome,
                          verdicts)
            if page is not None:
                pages.append((loc, Path(output), result, *page))
    if verdicts is not None:
        outcome.verdicts = verdicts.found
    if pages and settings.site is not None:  # every locale's publishing known: link the pages to each other
        published = {loc.info.bcp47 for loc, *_ in pages} | set(job.elsewhere)
        for loc, output_path, result, assembled, current in pages:
            canonical, alternates = settings.site.links(job.slug, published, loc.info.bcp47)
            result.alternates = sorted(published)
            assert assembled.doc is not None  # built with defer (a site): the document, not yet serialized
            html = finish_page(assembled.doc, canonical=canonical, alternates=alternates)
            result.output = _stage(outcome, job, output_path, "output", html, current)


def _same_units(po: Catalog, pot: Catalog) -> bool:
    """Whether a catalog's live entries are exactly the template's units."""
    live = [(e.msgctxt, e.msgid) for e in po if not e.obsolete]
    return len(live) == len(pot) and set(live) == {(e.msgctxt, e.msgid) for e in pot}


def _wants_memory(old: Catalog | None, pot: Catalog) -> bool:
    """Whether merging could draw on the translation memory: a unit the catalog lacks, or has empty."""
    if old is None:
        return True
    live = {(e.msgctxt, e.msgid): e for e in old if not e.obsolete}
    for entry in pot:
        found = live.get((entry.msgctxt, entry.msgid))
        if found is None or not found.has_translation:
            return True
    return False


def _template(doc: SourceDocument, slots: list[Slot], old: Catalog | None, stamp: str,
              settings: Settings) -> Catalog:
    """The article's POT; its creation date moves only when its content does."""
    units = units_of(slots)

    def build(date: str) -> Catalog:
        return build_template(units, reference=doc.reference, project=settings.project,
                              bugs_address=settings.bugs_address, creation_date=date,
                              reference_lines=settings.reference_lines,
                              source_plural_forms=parse_locale(settings.source_language).plural_forms)

    if old is None:
        return build(stamp)
    candidate = build(old.metadata.get("POT-Creation-Date", ""))
    if not same_content(candidate, old):
        candidate.metadata["POT-Creation-Date"] = stamp  # in its place: the template as built with the stamp
    return candidate


def _build(job: ArticleJob, settings: Settings, doc: SourceDocument, slots: list[Slot], signature: Signature,
           po: Catalog | None, loc: LocaleConfig, output: Path, result: LocaleOutcome,
           outcome: ArticleOutcome, verdicts: KnownVerdicts | None = None
           ) -> tuple[Assembled, bytes | None] | None:
    """Build one locale's page; with ``settings.site``, a published page is returned unserialized (with the
    output's current bytes) for the caller to link, else staged here."""
    assembled = render_output(doc, slots, signature, po, loc, policy=settings.policy,
                              source_language=settings.source_language, defer=settings.site is not None,
                              review=settings.review, verdicts=verdicts)
    current = read_bytes(output)
    reason = unpublished_reason(assembled, loc)
    if reason:
        result.reason = reason
        result.output = _stage(outcome, job, output, "output", None, current)
        return None
    result.published = True
    result.title = assembled.title
    result.fallbacks = assembled.fallbacks
    result.fallback_count = len(assembled.fallbacks)
    result.reasons = dict(sorted(assembled.reasons.items()))
    if settings.site is not None:
        return assembled, current
    result.output = _stage(outcome, job, output, "output", assembled.html, current)
    return None
