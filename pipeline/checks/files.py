"""Checks of files as files: they parse (``syntax``), their header is right (``header``), they are in
step with the sources (``stale``), and what they carry from earlier versions (``obsolete``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from pipeline.checks.context import SYNC, ArticleContext, ProjectContext, quote
from pipeline.checks.kinds import check
from pipeline.checks.registry import default_severity
from pipeline.core.errors import ParseError
from pipeline.core.locales import same_language
from pipeline.core.model import Finding, Severity
from pipeline.core.plurals import PluralFormsError, parse_plural_forms
from pipeline.po.files import ASCII_CHARSETS, parse_po

if TYPE_CHECKING:
    from pipeline.checks.inputs import CatalogFile

#: header dates that follow the content: a change of theirs alone is not news
_DATES = {"POT-Creation-Date", "PO-Revision-Date"}


@check("syntax", Severity.ERROR,
       "every catalog, template and source article parses (a file that does not is reported and the run exits 2)",
       required=True)
def check_syntax(ctx: ProjectContext) -> Iterator[Finding]:
    for source in ctx.sources:
        if source.error is not None:
            yield source.finding("syntax", _describe(source.error), line=source.error.line)
    for cat in [*ctx.templates, *ctx.catalogs]:
        if cat.error is not None:
            yield cat.finding("syntax", _describe(cat.error), line=cat.error.line)
    # whatever else would stop a sync: a translation memory file, an article file name that is no slug
    reported = {s.rel for s in ctx.sources if s.error} | {c.rel for c in [*ctx.templates, *ctx.catalogs] if c.error}
    for error in ctx.plan(SYNC).errors:
        if error.path not in reported:
            yield Finding("syntax", default_severity("syntax"), _describe(error), path=error.path, line=error.line)


def _describe(error: Exception) -> str:
    message = getattr(error, "message", str(error))
    hint = getattr(error, "hint", None)
    return f"{message} ({hint})" if hint else message


def _header_line(cat: CatalogFile, field: str) -> int | None:
    """The line of a header field in the file (the header entry's line when the field is absent)."""
    for number, text in enumerate(cat.text.split("\n"), 1):
        if text.startswith(f'"{field}:'):
            return number
        if number > 1 and text.startswith("msgid") and not text.startswith('msgid ""'):
            break
    header = next((n for n, t in enumerate(cat.text.split("\n"), 1) if t.startswith('msgid ""')), None)
    return header


@check("header", Severity.ERROR,
       "Language matches the catalog's folder; Plural-Forms is present and every plural entry has nplurals "
       "forms; a Plural-Forms unlike CLDR's (babel) is a warning", per_article=True)
def check_header(ctx: ArticleContext) -> Iterator[Finding]:
    for cat in ctx.readable():
        assert cat.po is not None and cat.locale is not None
        info = cat.locale.info
        meta = cat.po.metadata
        language = meta.get("Language", "").strip()
        if not language:
            yield cat.finding("header", f"no Language header (expected {info.gettext!r})",
                              line=_header_line(cat, "Language"))
        elif not same_language(language, info):
            yield cat.finding("header", f"Language is {language!r}, but the catalog is in the folder of "
                              f"{info.gettext!r}", line=_header_line(cat, "Language"))
        content_type = meta.get("Content-Type", "")
        charset = re.search(r"charset\s*=\s*([\w.-]+)", content_type)
        if not charset or charset[1].upper().replace("_", "-") not in ("UTF-8", "UTF8", *ASCII_CHARSETS):
            yield cat.finding("header", f"Content-Type must declare charset=UTF-8 (it says "
                              f"{content_type or 'nothing'!r})", line=_header_line(cat, "Content-Type"))
        plural_forms = meta.get("Plural-Forms", "")
        line = _header_line(cat, "Plural-Forms")
        if not plural_forms.strip():
            yield cat.finding("header", f"no Plural-Forms header (for {info.gettext}: "
                              f"{info.plural_forms!r})", line=line)
            continue
        try:
            nplurals = parse_plural_forms(plural_forms).nplurals
        except PluralFormsError:
            yield cat.finding("header", f"malformed Plural-Forms {plural_forms!r} (expected "
                              f"'nplurals=N; plural=EXPRESSION;')", line=line)
            continue
        for entry in cat.po:
            if entry.msgid_plural and not entry.obsolete:
                forms = sorted(entry.msgstr_plural)
                if forms != list(range(nplurals)):
                    yield cat.finding("header", f"plural entry has msgstr{forms} but Plural-Forms says "
                                      f"nplurals={nplurals}", entry=entry)
        if _normal(plural_forms) != _normal(info.plural_forms):
            yield cat.finding("header", f"Plural-Forms {plural_forms!r} differs from CLDR's (babel) "
                              f"{info.plural_forms!r}; gettext's and CLDR's tables differ for some "
                              "languages: keep it if your tools agree", line=line, severity=Severity.WARNING)


def _normal(plural_forms: str) -> str:
    return re.sub(r"\s+", "", plural_forms).rstrip(";")


@check("stale", Severity.ERROR,
       "templates and catalogs are up to date with the source articles (a sync would change nothing)",
       per_article=True, prepare=ProjectContext.prepare_plan)
def check_stale(ctx: ArticleContext) -> Iterator[Finding]:
    origin = ctx.source.rel
    for cat in [ctx.template, *ctx.catalogs]:
        for change in ctx.changes_to(cat):
            if not cat.exists:
                yield cat.finding("stale", f"missing: `l10n sync` would create it from {origin}")
            elif cat.po is not None:
                yield _describe_change(cat, change.data, origin)


def _describe_change(cat: CatalogFile, data: bytes, origin: str) -> Finding:
    assert cat.po is not None
    try:
        new = parse_po(data, path=cat.rel)
    except ParseError:  # a plan that does not parse would be a bug of ours: say it plainly
        return cat.finding("stale", f"out of date with {origin}: run `l10n sync`")
    old_live = {e.key: e for e in cat.po.live()}
    new_live = {e.key: e for e in new.live()}
    added = [k for k in new_live if k not in old_live]
    gone = [e for k, e in old_live.items() if k not in new_live]
    kept = [(old_live[k], e) for k, e in new_live.items() if k in old_live]
    filled = [o for o, n in kept if (o.msgstr, o.msgstr_plural) != (n.msgstr, n.msgstr_plural)]
    flagged = [o for o, n in kept if sorted(o.flags) != sorted(n.flags)]
    noted = [o for o, n in kept if (o.comment.split(), o.occurrences) != (n.comment.split(), n.occurrences)]
    fields = sorted(k for k in {*cat.po.metadata, *new.metadata} - _DATES
                    if cat.po.metadata.get(k) != new.metadata.get(k))
    parts = []
    if added:
        parts.append(f"{len(added)} new unit(s)")
    if gone:
        parts.append(f"{len(gone)} entry(ies) no longer in the source")
    if filled:
        parts.append(f"{len(filled)} translation(s) filled or replaced (translation memory)")
    if flagged:
        parts.append(f"{len(flagged)} entry(ies) with other flags")
    if noted:
        parts.append(f"{len(noted)} entry(ies) with other comments or references")
    if fields:
        parts.append("header " + ", ".join(fields))
    if not parts:
        parts.append("obsolete entries or layout")
    first = [e.linenum for e in [*gone, *filled, *flagged, *noted] if e.linenum]
    line = min(first) if first else (_header_line(cat, fields[0]) if fields else None)
    return cat.finding("stale", f"out of date with {origin} ({'; '.join(parts)}): run `l10n sync`", line=line)


@check("obsolete", Severity.INFO, "obsolete entries (#~) kept from earlier versions of the source",
       per_article=True)
def check_obsolete(ctx: ArticleContext) -> Iterator[Finding]:
    for cat in ctx.readable():
        assert cat.po is not None
        for entry in (e for e in cat.po if e.obsolete):
            yield cat.finding("obsolete", f"obsolete entry {quote(entry.msgid)}", entry=entry)

