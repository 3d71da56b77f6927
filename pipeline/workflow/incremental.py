"""The cache seen from a run: which articles are clean, what memory is known, what to record."""

from __future__ import annotations

from pathlib import Path

from ..articles import ArticleOutcome, Change, LocaleOutcome, digest, read_bytes
from ..cache import ArticleState, Cache, open_cache
from ..config import LocaleConfig
from ..memory import MemoryIndex
from ..model import Finding, Severity, Stats
from .project import Article, Project


def _digest_path(path: Path) -> str | None:
    return digest(read_bytes(path))


class Incremental:
    """The cache seen from a run: which articles are clean, what memory is known, what to record."""

    def __init__(self, project: Project, targets: list[LocaleConfig], valid: list[Article], store: Cache) -> None:
        self.project, self.targets, self.valid, self.cache = project, targets, valid, store
        paths = self._paths()
        self.digests = store.file_digests(paths, _digest_path)
        self.states = store.articles()
        self.before = store.generations()
        self.now = {loc.code: self._generation(loc, {}) for loc in targets}
        self._memory: MemoryIndex | None = None
        self._memory_opened = False

    @classmethod
    def open(cls, project: Project, targets: list[LocaleConfig], valid: list[Article], *,
             readonly: bool) -> Incremental | None:
        """The cache of the project, or None when there is none to be had."""
        store = open_cache(project.config.root, project.config.path.read_bytes(), readonly=readonly)
        return cls(project, targets, valid, store) if store is not None else None

    def _paths(self) -> list[Path]:
        p = self.project
        paths = [a.path for a in self.valid] + [p.template_path(a.slug) for a in self.valid]
        for loc in self.targets:
            paths += [p.catalog_path(loc.code, a.slug) for a in self.valid]
            paths += [p.output_path(loc.info.bcp47, a.slug) for a in self.valid]
            paths.append(p.memory_path(loc.code))
        return paths

    def _generation(self, loc: LocaleConfig, after: dict[str, str | None]) -> str:
        """A hash of every catalog of the locale (and its imported memory): what its memory is made of."""
        p = self.project
        parts = [f"{a.slug}={after.get(a.slug, self.digests.get(p.catalog_path(loc.code, a.slug)))}"
                 for a in sorted(self.valid, key=lambda a: a.slug)]
        parts.append(f"memory={self.digests.get(p.memory_path(loc.code))}")
        return digest("\n".join(parts).encode()) or ""

    def clean_articles(self) -> dict[str, ArticleOutcome]:
        """Articles the last sync left exactly as they are, as outcomes rebuilt from the cache."""
        p, clean = self.project, {}
        for article in self.valid:
            state = self.states.get(article.slug)
            if state is None or state.source != self.digests.get(article.path) or \
                    state.template != self.digests.get(p.template_path(article.slug)):
                continue
            outcome = ArticleOutcome(article.slug, source=state.source, template=state.template)
            for loc in self.targets:
                done = state.locales.get(loc.code)
                if done is None or done["catalog"] != self.digests.get(p.catalog_path(loc.code, article.slug)) \
                        or done["output"] != self.digests.get(p.output_path(loc.info.bcp47, article.slug)) \
                        or (done["untranslated"] and self.before.get(loc.code) != self.now[loc.code]):
                    break
                outcome.locales[loc.code] = LocaleOutcome(
                    stats=Stats(*done["stats"]), published=done["published"], reason=done["reason"],
                    fallbacks=[Finding(c, Severity(sev), m, path, line, locale)
                               for c, sev, m, path, line, locale in done["fallbacks"]],
                    untranslated=done["untranslated"], catalog=done["catalog"], output=done["output"])
            else:
                clean[article.slug] = outcome
        return clean

    def memory_index(self) -> MemoryIndex | None:
        """The cache's translation memory, opened on first use (read-only when the cache is); None if unusable."""
        if not self._memory_opened:
            self._memory, self._memory_opened = self.cache.open_memory(), True
        return self._memory

    def catalog_digest(self, path: Path) -> str | None:
        """The hash of a catalog (or imported memory) as this run found it; None when absent."""
        return self.digests.get(path)

    def knows_memory(self) -> bool:
        """Whether the cache holds the translations of some catalog as it is now (then the memory is cheap)."""
        index = self.memory_index()
        if index is None:
            return False
        for loc in self.targets:
            known = index.known(loc.code)
            if any((a.slug, self.digests.get(self.project.catalog_path(loc.code, a.slug))) in known
                   for a in self.valid):
                return True
        return False

    def remember(self, outcome: ArticleOutcome) -> None:
        """Set aside (by catalog hash, unseen by this run's lookups) the translations an article's catalogs end with.

        Keyed by content, they claim nothing about the files on disk, so they can be written before the changes
        are applied; the outcome's own copy is dropped.
        """
        index = self.memory_index() if not self.cache.readonly else None
        if index is not None and any(not done.skipped for done in outcome.locales.values()):
            with index.batch():
                for code, done in outcome.locales.items():
                    if not done.skipped and done.catalog is not None:
                        index.stage(code, outcome.slug, done.catalog, done.memory)
        for done in outcome.locales.values():
            done.memory = []

    def close(self) -> None:
        """Close the cache and its memory without recording anything."""
        if self._memory is not None:
            self._memory.close()
            self._memory = None
        self.cache.close()

    def store(self, outcomes: dict[str, ArticleOutcome], changes: list[Change]) -> None:
        """Record what this run left, once its changes are applied."""
        states: dict[str, ArticleState] = {}
        forget = {slug for slug in self.states if slug not in {a.slug for a in self.valid}}
        after: dict[str, dict[str, str | None]] = {loc.code: {} for loc in self.targets}
        for slug, outcome in outcomes.items():
            if outcome.errors or any(done.skipped for done in outcome.locales.values()):
                forget.add(slug)
                continue
            state = ArticleState(outcome.source, outcome.template, {})
            for code, done in outcome.locales.items():
                state.locales[code] = {
                    "catalog": done.catalog, "output": done.output, "published": done.published,
                    "reason": done.reason, "untranslated": done.untranslated,
                    "stats": [done.stats.translated, done.stats.fuzzy, done.stats.untranslated,
                              done.stats.words_translated, done.stats.words_fuzzy, done.stats.words_untranslated],
                    "fallbacks": [[f.check, f.severity.value, f.message, f.path, f.line, f.locale]
                                  for f in done.fallbacks]}
                after[code][slug] = done.catalog
            states[slug] = state
        generations = {loc.code: self._generation(loc, after[loc.code]) for loc in self.targets}
        self.cache.store(articles=states, forget=forget, generations=generations)
        written = {change.path for change in changes}
        self.cache.remember_files(self._paths(), lambda path: _digest_path(path) if path in written
                                  else self.digests.get(path, _digest_path(path)))
        if self._memory is not None:
            for loc in self.targets:  # staged translations of catalogs as they are no longer: of no use
                self._memory.drop_staged(loc.code, {a.slug: after[loc.code].get(
                    a.slug, self.digests.get(self.project.catalog_path(loc.code, a.slug))) for a in self.valid})
        self.close()


