"""Completeness: untranslated and fuzzy entries against the thresholds, and the disclaimer of every
published article.

Counting is msgfmt's (``msgfmt --statistics``): live entries only; a fuzzy entry is not translated.
Thresholds (see ``settings``) are per catalog, that is per locale and article:

- ``min_translated`` (percent) set: one ``untranslated`` finding per catalog below it, at its first
  untranslated entry; not set: every untranslated entry is a finding.
- ``max_fuzzy`` set: one ``fuzzy`` finding per catalog above it; not set: every fuzzy entry is a finding.
- ``allow_fuzzy``: fuzzy entries are reported at info level only.
"""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.checks.context import ArticleContext, ProjectContext, quote
from pipeline.checks.inputs import CatalogFile
from pipeline.checks.kinds import check
from pipeline.core.model import Finding, Key, Severity
from pipeline.po.model import Entry
from pipeline.text.verdict import translation_problems


def _live(cat: CatalogFile) -> list[Entry]:
    """The live entries of a readable catalog."""
    assert cat.po is not None
    return cat.po.live()


@check("untranslated", Severity.ERROR,
       "untranslated entries, per locale and article, against min_translated (default: none allowed)",
       per_article=True)
def check_untranslated(ctx: ArticleContext) -> Iterator[Finding]:
    for cat in ctx.readable():
        live = _live(cat)
        missing = [e for e in live if not e.fuzzy and not e.translated()]
        if not missing:
            continue
        minimum = ctx.settings.thresholds(cat.code).min_translated
        if minimum is None:
            for entry in missing:
                yield cat.finding("untranslated", f"no translation for {quote(entry.msgid)}", entry=entry)
            continue
        done = sum(1 for e in live if e.translated())
        percent = 100.0 * done / len(live)
        if percent + 1e-9 < minimum:
            yield cat.finding("untranslated", f"{percent:.0f}% translated ({done} of {len(live)} entries, "
                              f"{len(missing)} untranslated), below the minimum {minimum:g}%",
                              entry=missing[0])


@check("fuzzy", Severity.ERROR,
       "fuzzy entries (published in the source language), against max_fuzzy and allow_fuzzy (default: none allowed)",
       per_article=True)
def check_fuzzy(ctx: ArticleContext) -> Iterator[Finding]:
    for cat in ctx.readable():
        fuzzy = [e for e in _live(cat) if e.fuzzy]
        if not fuzzy:
            continue
        limits = ctx.settings.thresholds(cat.code)
        if limits.allow_fuzzy:
            for entry in fuzzy:
                yield cat.finding("fuzzy", f"fuzzy translation of {quote(entry.msgid)} (allowed)", entry=entry,
                                  severity=Severity.INFO)
        elif limits.max_fuzzy is None:
            for entry in fuzzy:
                yield cat.finding("fuzzy", f"fuzzy translation of {quote(entry.msgid)} (review it, then "
                                  "remove the fuzzy flag)", entry=entry)
        elif len(fuzzy) > limits.max_fuzzy:
            noun = "entry" if len(fuzzy) == 1 else "entries"
            yield cat.finding("fuzzy", f"{len(fuzzy)} fuzzy {noun}, more than the {limits.max_fuzzy} allowed",
                              entry=fuzzy[0])


@check("disclaimer", Severity.ERROR,
       "every article published for a locale has its whole disclaimer translated, valid, not fuzzy and "
       "complete (every sentence, a length that fits its source, its lead-in)",
       per_article=True, prepare=ProjectContext.prepare_publishing)
def check_disclaimer(ctx: ArticleContext) -> Iterator[Finding]:
    if ctx.source.parsed and not ctx.disclaimer_keys():
        yield ctx.source.finding("disclaimer", "the article has no disclaimer (nothing matches "
                                 f"disclaimer_selector {ctx.config.disclaimer_selector!r})",
                                 severity=Severity.WARNING)
    source_locale = ctx.config.source_language.replace("-", "_")
    for cat in ctx.catalogs:
        if cat.error is not None or not ctx.published(cat):
            continue
        entries: dict[Key, Entry] = {e.key: e for e in _live(cat)} if cat.po is not None else {}
        for context, msgid in ctx.disclaimer_keys():
            entry = entries.get((context, msgid))
            if entry is None:
                yield cat.finding("disclaimer", f"the disclaimer unit {quote(msgid)} has no entry: the "
                                  "article would be published with its disclaimer in the source language "
                                  "(run `l10n sync`, then translate it)")
            elif entry.fuzzy:
                yield cat.finding("disclaimer", "the disclaimer translation is fuzzy: the article would be "
                                  "published with its disclaimer in the source language", entry=entry)
            elif not entry.translated():
                yield cat.finding("disclaimer", "the disclaimer is not translated: the article would be "
                                  "published with its disclaimer in the source language", entry=entry)
            elif not entry.msgid_plural:
                problems = translation_problems(entry.msgstr, ctx.run_for(msgid, context),
                                                source_locale=source_locale, target_locale=cat.code,
                                                disclaimer=True)
                if problems:
                    why = "; ".join(problem.message for problem in problems)
                    yield cat.finding("disclaimer", f"the disclaimer translation cannot be used ({why}): "
                                      "the article would be published with its disclaimer in the source "
                                      "language", entry=entry)
