"""The project's layout: where sources, catalogs and outputs live; discovery, locking, applying changes."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.core.config import Config, LocaleConfig, find_config, load_config
from pipeline.core.errors import ConfigError, LockError, ParseError, PipelineError, WriteError
from pipeline.core.files import commit_file, discard, make_durable, remove_file
from pipeline.core.layout import ArticleLayout, LocaleFiles
from pipeline.core.locate import CACHE_DIR as CACHE_DIR  # part of the workflow's names
from pipeline.workflow.changes import Change, digest, read_bytes

if TYPE_CHECKING:
    from pipeline.html.extract import SegmentPolicy
    from pipeline.po.model import Catalog

SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_NOT_SLUG = re.compile(r"[^a-z0-9._-]+")


def suggest_slug(stem: str) -> str | None:
    """The slug a file name would need (``My Article`` -> ``my-article``), or None if none is near."""
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", ascii_stem.lower()).strip("-._")
    return slug if slug and SLUG.match(slug) else None


SOURCE_SUFFIXES = (".html", ".htm")
STEPS = frozenset({"extract", "update", "build"})


@dataclass(frozen=True, slots=True)
class Project:
    """A loaded configuration and the segmentation policy it implies."""

    config: Config
    #: the paths made so far: a sync asks for each many times (its cache, its plan, its summary)
    _paths: dict[tuple[str, ...], Path] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def policy(self) -> SegmentPolicy:
        """Segmentation settings from the configuration."""
        from pipeline.html.extract import SegmentPolicy  # lxml: imported by the commands that segment

        c = self.config
        return SegmentPolicy(source_language=c.source_language, ignore_selectors=c.ignore_selectors,
                             disclaimer_selector=c.disclaimer_selector, count_phrases=c.count_phrases,
                             format_dates=c.format_dates, jsonld_fields=c.jsonld_fields)

    def relative(self, path: Path) -> str:
        """A path as shown to people: relative to the project root (links not followed)."""
        try:
            return Path(os.path.abspath(path)).relative_to(self.config.root).as_posix()
        except ValueError:
            pass
        try:  # through a link (resolved only then: it asks the file system for every part of the path)
            return path.resolve().relative_to(self.config.root).as_posix()
        except ValueError:
            return str(path)

    def template_path(self, slug: str) -> Path:
        """``locales/templates/<slug>.pot``."""
        return self._path(self.config.templates_dir, f"{slug}.pot")

    def catalog_path(self, locale: str, slug: str) -> Path:
        """``locales/<lang>/<slug>.po`` (gettext locale spelling)."""
        return self._path(self.config.locales_dir, locale, f"{slug}.po")

    def memory_path(self, locale: str) -> Path:
        """``locales/_memory/<lang>.po``: translation memory imported from outside (``l10n tm import``)."""
        return self._path(self.config.locales_dir, "_memory", f"{locale}.po")

    def output_path(self, bcp47: str, slug: str) -> Path:
        """``output/<lang>/<slug>.html`` (BCP 47 locale spelling)."""
        return self._path(self.config.output_dir, bcp47, f"{slug}.html")

    def _path(self, folder: Path, *parts: str) -> Path:
        """``folder`` joined with ``parts``, made once: a sync asks for each path many times."""
        key = (str(folder), *parts)
        found = self._paths.get(key)
        if found is None:
            found = self._paths[key] = folder.joinpath(*parts)
        return found

    def files_of(self, slug: str, source: Path, locales: Iterable[LocaleConfig]) -> ArticleLayout:
        """Every file that belongs to an article for ``locales``: the one statement of the layout that the
        sync, its cache and ``l10n check`` each walk."""
        return ArticleLayout(slug, source, self.template_path(slug),
                             tuple(LocaleFiles(loc, self.catalog_path(loc.code, slug),
                                               self.output_path(loc.info.bcp47, slug)) for loc in locales))




def open_project(config_path: Path | None = None, *, cwd: Path | None = None) -> Project:
    """Find, read and validate ``l10n.yaml``."""
    path = config_path if config_path is not None else find_config(cwd or Path.cwd())
    return Project(load_config(path))


@dataclass(frozen=True, slots=True)
class Article:
    """A source article on disk."""

    slug: str
    path: Path
    link: bool = False     #: the file is a symbolic link (it may lead outside the project)


def discover_articles(project: Project) -> list[Article]:
    """The source articles, sorted by slug; ConfigError if the source folder is missing."""
    folder = project.config.source_dir
    if not folder.is_dir():
        raise ConfigError(f"source folder {project.relative(folder)!r} does not exist",
                          path=project.config.path, hint="create it or set source_dir in l10n.yaml")
    articles = []
    with os.scandir(folder) as entries:  # the folder's listing says which entries are files or links: no stat
        for entry in sorted(entries, key=lambda e: e.name):
            name = entry.name
            if os.path.splitext(name)[1].lower() in SOURCE_SUFFIXES and not name.startswith(".") and entry.is_file():
                articles.append(Article(os.path.splitext(name)[0], folder / name, entry.is_symlink()))
    return articles


def inside_project(path: Path, root: Path) -> bool:
    """Whether ``path``, links resolved, is ``root`` or below it."""
    resolved = path.resolve()
    return resolved == root or root in resolved.parents


def refuse_links_outside(project: Project, targets: list[LocaleConfig]) -> None:
    """Raise ConfigError, before anything is read or written, if a folder the run writes leads outside the project."""
    config = project.config
    folders = [config.templates_dir]
    for loc in targets:
        folders += [config.locales_dir / loc.info.gettext, config.output_dir / loc.info.bcp47]
    for folder in folders:
        if not inside_project(folder, config.root):
            raise ConfigError("the folder is a link to outside the project; nothing was written",
                              path=project.relative(folder), hint="replace the link by a folder inside the project")


def read_catalog(project: Project, path: Path, errors: list[PipelineError],
                  seen: dict[Path, bytes | None] | None = None) -> Catalog | None | bool:
    """The parsed catalog, None when absent, False when it failed (error recorded)."""
    shown = project.relative(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        if seen is not None:
            seen[path] = None
        return None
    except OSError as exc:
        errors.append(ParseError(f"cannot read: {exc.strerror}", path=shown))
        return False
    if seen is not None:
        seen[path] = data
    from pipeline.po.files import parse_po_or_error  # the catalogs' module: when there is a catalog to read

    po = parse_po_or_error(data, path=shown)
    if isinstance(po, ParseError):
        errors.append(po)
        return False
    return po


@contextmanager
def project_lock(project: Project, timeout: float) -> Iterator[None]:
    """Hold the project's lock (``.l10n-cache/sync.lock``) while writing; LockError after ``timeout`` s."""
    from filelock import FileLock, Timeout  # here: `check` and `status`, which take no lock, never load it
    path = project.config.root / CACHE_DIR / "sync.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path), timeout=max(timeout, 0))
    try:
        lock.acquire()
    except Timeout:
        raise LockError(f"another l10n run has held the project lock for {timeout:g} s",
                        path=project.relative(path),
                        hint="wait for it to finish, or give it longer with --lock-timeout") from None
    try:
        yield
    finally:
        lock.release()


def apply_changes(changes: list[Change], project: Project | None = None) -> list[PipelineError]:
    """Rename every staged file into place, or remove it; return the files it could not.

    The durable ones (catalogs) are flushed to disk first, all together, before any is renamed.

    A file whose content changed since the run read it (a translator's editor saved it meanwhile) is
    left as it is and reported: the next run takes the edit in.
    """
    problems: list[PipelineError] = []
    leftovers = _leftovers(changes)
    unflushed = make_durable([c.tmp for c in changes if c.durable and c.tmp is not None and not c.remove])
    for change in changes:
        if change.tmp is not None and change.tmp in unflushed:
            problems.append(WriteError(f"cannot write: {unflushed[change.tmp].strerror or unflushed[change.tmp]}",
                                       path=_shown(change.path, project),
                                       hint="check that the disk is not full and the folder writable"))
            discard(change.tmp)
            continue
        if digest(read_bytes(change.path)) != change.expected:
            problems.append(WriteError("changed on disk while l10n was working; not overwritten",
                                       path=_shown(change.path, project),
                                       hint="run the command again to take the change in"))
            if change.tmp is not None:
                discard(change.tmp)
            continue
        try:
            if change.remove:
                remove_file(change.path)
            elif change.tmp is not None:
                commit_file(change.tmp, change.path)
            for stale in leftovers.get(change.path.parent, ()):
                if stale.startswith(f".{change.path.name}."):
                    (change.path.parent / stale).unlink(missing_ok=True)  # left by a killed run (we hold the lock)
        except OSError as exc:
            problems.append(WriteError(f"cannot write: {exc.strerror or exc}", path=_shown(change.path, project),
                                       hint="check that the folder is a folder and writable"))
    return problems


def _shown(path: Path, project: Project | None) -> str:
    return project.relative(path) if project is not None else str(path)


def _leftovers(changes: list[Change]) -> dict[Path, list[str]]:
    """Per folder of the changes, the staged files (``.<name>.<random>.tmp``) that are not this run's own.

    Each folder is listed once: a glob per change made applying quadratic in the files of a folder.
    """
    own = {change.tmp.name for change in changes if change.tmp is not None}
    found: dict[Path, list[str]] = {}
    for folder in {change.path.parent for change in changes}:
        try:
            with os.scandir(folder) as entries:
                found[folder] = [e.name for e in entries
                                 if e.name.startswith(".") and e.name.endswith(".tmp") and e.name not in own]
        except OSError:
            found[folder] = []
    return found


def discard_changes(changes: list[Change]) -> None:
    """Remove the staged files of changes that will not be applied."""
    for change in changes:
        if change.tmp is not None:
            discard(change.tmp)


def published_elsewhere(project: Project, targets: list[LocaleConfig], slug: str) -> tuple[str, ...]:
    """The configured locales a run does not build (``-l``) whose page of ``slug`` is published (on disk)."""
    if not project.config.base_url:
        return ()
    built = {loc.code for loc in targets}
    return tuple(loc.info.bcp47 for loc in project.config.locales
                 if loc.code not in built and project.output_path(loc.info.bcp47, slug).is_file())
