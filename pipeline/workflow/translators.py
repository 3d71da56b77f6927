"""Translators' hand-off (export, import) and the translation memory's export and import."""

from __future__ import annotations

from pathlib import Path

from pipeline.core.config import LocaleConfig
from pipeline.core.errors import ConfigError, InputErrors, ParseError, PipelineError
from pipeline.core.files import stage_file
from pipeline.core.model import Key
from pipeline.memory.store import TranslationMemory, build_memory
from pipeline.memory.tmx import read_tmx
from pipeline.po.catalog import now_stamp
from pipeline.po.files import format_po, parse_po, read_po
from pipeline.po.handoff import ImportReport, export_catalog, import_delivery, validate_delivery
from pipeline.po.model import Catalog, Entry
from pipeline.po.review import named_translator, record_translator, translation_hash
from pipeline.workflow.changes import Change, digest, read_bytes
from pipeline.workflow.project import Project, discover_articles, inside_project, read_catalog, refuse_links_outside
from pipeline.xliff import write_xliff
from pipeline.xliff.read import read_xliff


def article_slugs(project: Project, articles: list[str] | None = None) -> list[str]:
    """The slugs of the source articles, or of ``articles`` among them; ConfigError naming any unknown one."""
    slugs = [a.slug for a in discover_articles(project)]
    if not articles:
        return slugs
    unknown = sorted(set(articles) - set(slugs))
    if unknown:
        raise ConfigError(f"no source article named {', '.join(unknown)}",
                          hint="article names are the file names in the source folder, without .html")
    return [s for s in slugs if s in articles]


def read_locale_catalogs(project: Project, locale: str, articles: list[str] | None = None, *,
                         seen: dict[Path, bytes | None] | None = None) -> dict[str, tuple[Path, Catalog]]:
    """slug -> (path, catalog) for a locale's existing article catalogs; InputErrors if any fails to parse."""
    code = project.config.locale(locale).code
    slugs = article_slugs(project, articles)
    errors: list[PipelineError] = []
    found: dict[str, tuple[Path, Catalog]] = {}
    for slug in slugs:
        path = project.catalog_path(code, slug)
        po = read_catalog(project, path, errors, seen)
        if isinstance(po, Catalog):
            found[slug] = (path, po)
    if errors:
        raise InputErrors(errors)
    return found


def export_for_vendor(project: Project, locale: str, *, untranslated_only: bool = False,
                      articles: list[str] | None = None) -> Catalog:
    """One PO for a vendor with a locale's entries (the same text of several articles is one entry).

    With ``articles``, only their entries are exported, but every catalog of the locale is read: an import
    fills them all, so whether an entry is offered finished or fuzzy depends on all of them.
    """
    loc = project.config.locale(locale)
    selected = read_locale_catalogs(project, loc.code, articles)
    catalogs = read_locale_catalogs(project, loc.code) if articles else selected
    first = next(iter(selected.values()), None)
    metadata = dict(first[1].metadata) if first else {"Language": loc.code,
                                                       "Content-Type": "text/plain; charset=UTF-8"}
    metadata.setdefault("Plural-Forms", loc.info.plural_forms)
    header = f"{loc.info.name} hand-off of {project.config.project}: {', '.join(selected)}"
    return export_catalog([(slug, po) for slug, (_, po) in selected.items()],
                          others=[(slug, po) for slug, (_, po) in catalogs.items() if slug not in selected],
                          untranslated_only=untranslated_only, metadata=metadata, header=header)


#: File name endings of XLIFF files (``l10n export -o FILE.xlf``, ``l10n import LANG FILE.xlf``).
XLIFF_SUFFIXES = (".xlf", ".xliff")


def vendor_file(project: Project, locale: str, po: Catalog, *, version: str | None) -> bytes:
    """The hand-off catalog of :func:`export_for_vendor` as the file a vendor gets: an XLIFF ``version`` (2.1 or
    1.2) document, or with ``version`` None the PO itself."""
    if version is None:
        return format_po(po).encode("utf-8")
    loc = project.config.locale(locale)
    return write_xliff(po, version=version, source_language=project.config.source_language,
                       target_language=loc.info.bcp47, original=f"{project.config.project} ({loc.code})")


def read_delivery(path: Path, shown: str) -> Catalog:
    """A delivery as a PO: a PO file as it is, an XLIFF file (by its name) read by :func:`read_xliff`."""
    if path.suffix.lower() not in XLIFF_SUFFIXES:
        return read_po(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(f"cannot read: {exc.strerror}", path=shown) from None
    return read_xliff(data, path=shown)


def plan_import(project: Project, locale: str, delivery_path: Path, *, overwrite: bool = False,
                leftovers_path: Path | None = None, stage: bool = True,
                translator: str | None = None) -> tuple[ImportReport, list[Change]]:
    """Merge a delivered PO or XLIFF into a locale's article catalogs; return the report and the files to
    write. Each translation the delivery finished is recorded as the work of ``translator`` (default: the
    delivery's ``Last-Translator``, when it names someone), so that review can tell reviser from translator."""
    loc = project.config.locale(locale)
    refuse_links_outside(project, [loc])
    shown = project.relative(delivery_path)
    try:
        delivery = read_delivery(delivery_path, shown)
    except InputErrors:
        raise
    except PipelineError as exc:
        exc.path = shown
        raise
    seen: dict[Path, bytes | None] = {}
    catalogs = read_locale_catalogs(project, loc.code, seen=seen)
    nplurals = {po.nplurals for _, po in catalogs.values()} - {None}
    warnings = validate_delivery(delivery, locale=loc.info, nplurals=nplurals.pop() if len(nplurals) == 1 else None,
                                 path=shown)
    by_name = {project.relative(path): po for path, po in catalogs.values()}
    before = {name: {e.key: translation_hash(e) for e in po if e.has_translation and not e.fuzzy}
              for name, po in by_name.items()}
    report = import_delivery(delivery, by_name, overwrite=overwrite)
    report.warnings += warnings
    changes: list[Change] = []
    stamp = now_stamp()
    name = translator or named_translator(delivery.metadata.get("Last-Translator", ""))
    if name:
        for shown_name in report.changed_catalogs:
            old = before.get(shown_name, {})
            for entry in by_name[shown_name].live():
                if old.get(entry.key) != translation_hash(entry):
                    record_translator(entry, name=name, date=stamp[:10])
    for path, po in catalogs.values():
        if project.relative(path) in report.changed_catalogs:
            po.metadata["PO-Revision-Date"] = stamp
            changes.append(staged_change(path, format_po(po).encode("utf-8"), "catalog", seen.get(path), stage))
    if report.leftovers:
        target = leftovers_path or delivery_path.with_name(delivery_path.stem + ".leftovers.po")
        rest = Catalog()
        rest.header = f"Entries of {shown} that match no catalog of {loc.code}; nothing was lost."
        rest.metadata = dict(delivery.metadata)
        for entry in report.leftovers:
            rest.append(entry)
        changes.append(staged_change(target, format_po(rest).encode("utf-8"), "leftovers", read_bytes(target), stage))
    return report, changes


def staged_change(path: Path, data: bytes, kind: str, current: bytes | None, stage: bool) -> Change:
    """A durable change of ``path`` to ``data``, staged beside it unless ``stage`` is false (a dry run)."""
    return Change(path, kind, durable=True, expected=digest(current), new=digest(data),
                  staged=stage_file(path, data, durable=True) if stage else None)


def locale_memory(project: Project, locale: str) -> TranslationMemory:
    """A locale's translation memory: its article catalogs, then what was imported."""
    loc = project.config.locale(locale)
    catalogs = read_locale_catalogs(project, loc.code)
    pairs = [(slug, po) for slug, (_, po) in sorted(catalogs.items())]
    memory_file = project.memory_path(loc.code)
    if memory_file.exists():
        pairs.append(("imported memory", read_po(memory_file)))
    return build_memory(pairs)


def memory_file(project: Project, locale: str, path: Path) -> tuple[bytes, int]:
    """A locale's translation memory (:func:`locale_memory`) as the file ``path`` names: TMX 1.4 for a
    ``.tmx`` file, else a PO compendium; with the number of translations it holds."""
    from pipeline.memory.tmx import write_tmx

    loc = project.config.locale(locale)
    memory = locale_memory(project, locale)
    if path.suffix.lower() == ".tmx":
        data = write_tmx(memory, source_language=project.config.source_language, target_language=loc.info.bcp47)
    else:
        header = f"Translation memory of {project.config.project}, {loc.info.name}."
        data = format_po(memory_as_catalog(memory, locale=loc, header=header)).encode("utf-8")
    return data, len(memory)


def memory_as_catalog(memory: TranslationMemory, *, locale: LocaleConfig, header: str) -> Catalog:
    """A translation memory as one PO compendium (references say where each translation is used)."""
    po = Catalog()
    po.header = header
    po.metadata = {"Language": locale.code, "MIME-Version": "1.0",
                   "Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit",
                   "Plural-Forms": locale.info.plural_forms}
    for entry in memory:
        po.append(Entry(msgctxt=entry.msgctxt, msgid=entry.msgid, msgstr=entry.msgstr,
                        msgid_plural=entry.msgid_plural or None,
                        msgstr_plural=dict(entry.msgstr_plural) if entry.msgid_plural else {},
                        occurrences=[(ref, "") for ref in entry.references],
                        comment=f"origin: {entry.origin}" if entry.origin else ""))
    return po


def plan_memory_import(project: Project, locale: str, path: Path) -> tuple[int, list[Change], list[str]]:
    """Add a compendium (PO) or TMX file to the locale's imported memory; return entries added, changes
    and warnings. Each entry's origin is the file's project-relative path (its name, for a file outside)."""
    loc = project.config.locale(locale)
    shown = project.relative(path)
    origin = shown if not Path(shown).is_absolute() else path.name
    target = project.memory_path(loc.code)
    if not inside_project(target.parent, project.config.root):
        raise ConfigError("the folder is a link to outside the project; nothing was written",
                          path=project.relative(target.parent), hint="replace the link by a folder inside the project")
    warnings: list[str] = []
    before = read_bytes(target)
    current = parse_po(before, path=project.relative(target)) if before is not None else memory_as_catalog(
        TranslationMemory(), locale=loc, header=f"Translation memory imported into {loc.code}.")
    known: set[Key] = {e.key for e in current}
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(f"cannot read: {exc.strerror}", path=shown) from None
    if path.suffix.lower() == ".tmx":
        incoming = read_tmx(data, source_language=project.config.source_language,
                            target_language=loc.info.bcp47, path=shown, origin=origin)
    else:
        po = parse_po(data, path=shown)
        warnings += validate_delivery(po, locale=loc.info, nplurals=None, path=shown)
        memory = TranslationMemory()
        memory.add_catalog(po, origin)
        incoming = list(memory)
    added = 0
    for entry in incoming:
        if entry.key in known or not entry.msgstr:
            continue
        known.add(entry.key)
        current.append(Entry(msgctxt=entry.msgctxt, msgid=entry.msgid, msgstr=entry.msgstr,
                             comment=f"origin: {entry.origin}"))
        added += 1
    changes = [staged_change(target, format_po(current).encode("utf-8"), "memory", before, True)] if added else []
    return added, changes, warnings


