"""The cache seen from a run: which articles are clean, what memory is known, what to record."""

from __future__ import annotations

from pathlib import Path

from ..articles import ArticleOutcome, Change, LocaleOutcome, digest, read_bytes
from ..cache import ArticleState, Cache, open_cache
from ..config import LocaleConfig
from ..memory import MemoryEntry
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

    def known_memory(self) -> dict[tuple[str, str], list[MemoryEntry]]:
        """(slug, catalog path) -> translations, for catalogs the cache knows by their current hash."""
        known = {}
        for loc in self.targets:
            for slug, (stored, entries) in self.cache.memory(loc.code).items():
                path = self.project.catalog_path(loc.code, slug)
                if stored is not None and stored == self.digests.get(path):
                    known[(slug, str(path))] = entries
        return known

    def store(self, outcomes: dict[str, ArticleOutcome], changes: list[Change]) -> None:
        """Record what this run left, once its changes are applied."""
        states: dict[str, ArticleState] = {}
        memory: dict[tuple[str, str], tuple[str | None, list[MemoryEntry]]] = {}
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
                memory[(code, slug)] = (done.catalog, done.memory)
                after[code][slug] = done.catalog
            states[slug] = state
        generations = {loc.code: self._generation(loc, after[loc.code]) for loc in self.targets}
        self.cache.store(articles=states, forget=forget, memory=memory, generations=generations)
        written = {change.path for change in changes}
        self.cache.remember_files(self._paths(), lambda path: _digest_path(path) if path in written
                                  else self.digests.get(path, _digest_path(path)))
        self.cache.close()


