"""The cache seen from a run: which articles are clean, what memory is known, what to record."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import cast

from pipeline.core.config import LocaleConfig
from pipeline.core.model import Finding, Severity, Stats
from pipeline.memory.store import MemoryEntry, MemoryIndex
from pipeline.workflow.cache import Cache, StagedArticle, open_cache
from pipeline.workflow.changes import Change, digest, read_bytes
from pipeline.workflow.job import ArticleOutcome, LocaleOutcome
from pipeline.workflow.project import Article, Project, published_elsewhere

#: Articles set aside in memory before they are staged in the cache, a transaction at a time.
_STAGE_BATCH = 64
#: Articles whose catalogs' translations are held before they are staged in the memory: fewer commits, and few
#: enough entries held (64 articles' worth raised a cold 10-locale sync's peak RSS from 241 to 260 MB).
_MEMORY_BATCH = 8


def _digest_path(path: Path) -> str | None:
    return digest(read_bytes(path))


def state_record(outcome: ArticleOutcome) -> StagedArticle | None:
    """What the cache keeps of a finished article's outcome (None: it had errors, and is to be forgotten).

    Made where the article was processed, so that its fallback findings cross to the parent as one string.
    """
    if outcome.errors or any(done.skipped for done in outcome.locales.values()):
        return None
    rows = []
    for code, done in outcome.locales.items():
        state = {"catalog": done.catalog, "output": done.output, "published": done.published,
                 "reason": done.reason, "untranslated": done.untranslated, "fallbacks": done.fallback_count,
                 "reasons": done.reasons, "title": done.title, "alternates": done.alternates,
                 "review": done.review, "went_fuzzy": done.went_fuzzy,
                 "stats": [done.stats.translated, done.stats.fuzzy, done.stats.untranslated,
                           done.stats.words_translated, done.stats.words_fuzzy, done.stats.words_untranslated]}
        findings = [[f.check, f.severity.value, f.message, f.path, f.line, f.locale] for f in done.fallbacks]
        rows.append((code, json.dumps(state), json.dumps(findings)))
    return StagedArticle(outcome.slug, outcome.source, outcome.template, rows)


class Incremental:
    """The cache seen from a run: which articles are clean, what memory is known, what to record."""

    def __init__(self, project: Project, targets: list[LocaleConfig], valid: list[Article], store: Cache, *,
                 fallbacks: bool = False, orphans: dict[str, list[str]] | None = None) -> None:
        self.project, self.targets, self.valid, self.cache = project, targets, valid, store
        self.orphans = orphans or {}
        self.digests = store.file_digests(self._paths(), _digest_path)
        self.states = store.articles(fallbacks=fallbacks)
        self.before = store.generations()
        self.now = {loc.code: self._generation(loc) for loc in targets}
        self._memory: MemoryIndex | None = None
        self._memory_opened = False
        self._staged: list[StagedArticle] = []
        self._forget: set[str] = set()
        self._layouts: dict[str, bytes] = {}   # content hash -> layout of the PO and POT texts this run formatted
        self._readings: dict[str, bytes] = {}  # content hash -> reading of the sources this run segmented
        #: per finished article, the keys of the translations its build found without a problem
        self._verdicts: list[tuple[str, list[bytes]]] = []
        #: translations of the catalogs of finished articles, to be staged in the memory: (locale, slug, hash, entries)
        self._memory_staged: list[tuple[str, str, str, list[MemoryEntry]]] = []

    @classmethod
    def open(cls, project: Project, targets: list[LocaleConfig], valid: list[Article], *,
             readonly: bool, fallbacks: bool = False, orphans: dict[str, list[str]] | None = None
             ) -> Incremental | None:
        """The cache of the project, or None when there is none to be had; ``fallbacks``: the clean articles'
        outcomes list their fallback findings (else only their number); ``orphans``: per locale, the slugs of
        catalogs whose article is gone (part of the memory)."""
        store = open_cache(project.config.root, project.config.path.read_bytes(), readonly=readonly)
        return cls(project, targets, valid, store, fallbacks=fallbacks, orphans=orphans) if store is not None else None

    def _paths(self) -> Iterator[Path]:
        """Every file a sync of the valid articles reads or writes (made one at a time: there may be many)."""
        p = self.project
        for a in self.valid:
            yield from p.files_of(a.slug, a.path, self.targets).paths()
        for loc in self.targets:
            for slug in self.orphans.get(loc.code, ()):
                yield p.catalog_path(loc.code, slug)
            yield p.memory_path(loc.code)

    def _digest(self, path: Path) -> str | None:
        return self.digests.get(os.fspath(path))

    def _generation(self, loc: LocaleConfig) -> str:
        """A hash of every catalog of the locale (and its imported memory): what its memory is made of."""
        p = self.project
        parts = [f"{a.slug}={self._digest(p.catalog_path(loc.code, a.slug))}"
                 for a in sorted(self.valid, key=lambda a: a.slug)]
        parts += [f"orphan {slug}={self._digest(p.catalog_path(loc.code, slug))}"
                  for slug in self.orphans.get(loc.code, ())]
        parts.append(f"memory={self._digest(p.memory_path(loc.code))}")
        return digest("\n".join(parts).encode()) or ""

    def clean_articles(self) -> dict[str, ArticleOutcome]:
        """Articles the last sync left exactly as they are, as outcomes rebuilt from the cache."""
        p, clean = self.project, {}
        for article in self.valid:
            state = self.states.get(article.slug)
            if state is None or state.source != self._digest(article.path) or \
                    state.template != self._digest(p.template_path(article.slug)):
                continue
            outcome = ArticleOutcome(article.slug, source=state.source, template=state.template)
            for loc in self.targets:
                done = state.locales.get(loc.code)
                if done is None or done["catalog"] != self._digest(p.catalog_path(loc.code, article.slug)) \
                        or done["output"] != self._digest(p.output_path(loc.info.bcp47, article.slug)) \
                        or (done["untranslated"] and self.before.get(loc.code) != self.now[loc.code]):
                    break
                outcome.locales[loc.code] = LocaleOutcome(
                    stats=Stats(*done["stats"]), published=done["published"], reason=done["reason"],
                    fallbacks=[Finding(c, Severity(sev), m, path, line, locale)
                               for c, sev, m, path, line, locale in done.get("fallback_findings", ())],
                    fallback_count=done["fallbacks"], reasons=done.get("reasons", {}),
                    untranslated=done["untranslated"], catalog=done["catalog"],
                    output=done["output"], title=done.get("title"), alternates=done.get("alternates", []),
                    review=done.get("review"),
                    went_fuzzy=[(msgid, previous) for msgid, previous in done.get("went_fuzzy", ())])
            else:
                if self._links_current(article, outcome):
                    clean[article.slug] = outcome
        self.states = {}  # read once: the clean outcomes are all that is wanted of them
        return clean

    def _links_current(self, article: Article, outcome: ArticleOutcome) -> bool:
        """Whether the article's published pages link to the languages it is published in now (with
        base_url; a sync of some locales may have changed another's publishing since they were built)."""
        published = {loc.info.bcp47 for loc in self.targets if outcome.locales[loc.code].published}
        expected = sorted(published | set(published_elsewhere(self.project, self.targets, article.slug))) \
            if self.project.config.base_url else []
        return all(done.alternates == expected for done in outcome.locales.values() if done.published)

    def memory_index(self) -> MemoryIndex | None:
        """The cache's translation memory, opened on first use (read-only when the cache is); None if unusable."""
        if not self._memory_opened:
            self._memory = self.cache.open_memory([loc.code for loc in self.targets])
            self._memory_opened = True
        return self._memory

    def layouts(self, articles: Iterable[Article]) -> dict[str, bytes]:
        """The layouts the cache knows of the articles' templates and catalogs as they are now, by content hash
        (what ``process_article`` needs to keep the text of their unchanged entries)."""
        p = self.project
        wanted = [self._digest(path) for a in articles
                  for path in (p.template_path(a.slug), *(p.catalog_path(loc.code, a.slug) for loc in self.targets))]
        return self.cache.layouts(hashed for hashed in wanted if hashed is not None)

    def catalog_digest(self, path: Path) -> str | None:
        """The hash of a catalog (or imported memory) as this run found it; None when absent."""
        return self._digest(path)

    def knows_memory(self) -> bool:
        """Whether the cache holds the translations of some catalog as it is now (then the memory is cheap)."""
        index = self.memory_index()
        if index is None:
            return False
        for loc in self.targets:
            known = index.known(loc.code)
            if any((a.slug, self._digest(self.project.catalog_path(loc.code, a.slug))) in known
                   for a in self.valid):
                return True
        return False

    def remember(self, outcome: ArticleOutcome, record: StagedArticle | None) -> None:
        """Set aside what the cache is to record of a finished article: its state (``record``, from
        :func:`state_record`) and, by catalog hash and unseen by this run's lookups, the translations its
        catalogs end with.

        Keyed by content, they claim nothing about the files on disk, so they can be written before the changes
        are applied; they are made the cache's by :meth:`store`. The outcome's copy of the translations is dropped.
        """
        if not self.cache.readonly and self.memory_index() is not None:
            self._memory_staged += [(code, outcome.slug, done.catalog, done.memory)
                                    for code, done in outcome.locales.items()
                                    if not done.skipped and done.catalog is not None]
        for done in outcome.locales.values():
            done.memory = []
        self._layouts.update(outcome.layouts)
        outcome.layouts = {}
        if outcome.reading is not None and outcome.source is not None:
            self._readings[outcome.source] = outcome.reading
        outcome.reading = None
        if not self.cache.readonly:
            self._verdicts.append((outcome.slug, outcome.verdicts))
        outcome.verdicts = []
        if record is None:
            self._forget.add(outcome.slug)
        else:
            self._staged.append(record)
        if len(self._staged) >= _STAGE_BATCH or len(self._memory_staged) >= _MEMORY_BATCH * len(self.targets):
            self.flush()

    def flush(self) -> None:
        """Write what :meth:`remember` set aside so far (a few dozen articles a transaction): the translations
        staged in the memory can then be read from its files."""
        if self._staged:
            self.cache.stage(self._staged)
            self._staged = []
        if self._verdicts:
            self.cache.keep_verdicts(self._verdicts)
            self._verdicts = []
        index = self._memory if self._memory_staged else None
        if index is not None:
            with index.batch():
                for code, slug, hashed, entries in self._memory_staged:
                    index.stage(code, slug, hashed, entries)
        self._memory_staged = []

    def close(self) -> None:
        """Close the cache and its memory without recording anything."""
        if self._memory is not None:
            self._memory.close()
            self._memory = None
        self.cache.close()

    def store(self, changes: list[Change], *, close: bool = True) -> None:
        """Record what this run left (what :meth:`remember` set aside), once its changes are applied; from now on
        :meth:`catalog_digest` gives the hashes of the files as the run left them. The memory's staged
        translations stay (:meth:`drop_stale_staged`, once it is indexed)."""
        self.flush()
        slugs = {a.slug for a in self.valid}
        forget = self._forget | {slug for slug in self.cache.slugs() if slug not in slugs}
        written = {cast(str, change.target) for change in changes}  # held as a string (Change.__post_init__)
        for name in written:
            self.digests.pop(name, None)
            hashed = _digest_path(Path(name))
            if hashed is not None:
                self.digests[name] = hashed
        generations = {loc.code: self._generation(loc) for loc in self.targets}
        self.cache.store(forget=forget, generations=generations)
        current = set(self.digests.values())
        self.cache.keep_layouts(self._layouts, only=current)
        self.cache.keep_readings(self._readings, only=current)
        self._layouts, self._readings = {}, {}
        self.cache.remember_files(self._paths(), lambda path: self.digests.get(str(path)) or _digest_path(path),
                                  written)
        if close:
            self.close()

    def drop_stale_staged(self) -> None:
        """Forget the translations staged in the memory for catalogs as they no longer are: of no use."""
        if self._memory is not None:
            for loc in self.targets:
                self._memory.drop_staged(loc.code, {a.slug: self._digest(self.project.catalog_path(loc.code, a.slug))
                                                    for a in self.valid})
