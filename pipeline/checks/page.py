"""``page``: each published output on disk, whole, against its source and catalog.

Three questions, for every locale and article whose ``output/<lang>/<slug>.html`` exists:

- is it the source's page (``page_tree``): the same elements, links, ids, images and citation markers,
  apart from what a build translates or marks; a difference is an error at the output's line;
- is English left in it that the build did not mark as a fallback (``lang`` of the source): a warning;
- is it what ``l10n build`` writes now from the current source and catalog. The sync plan, which the
  check computes anyway and the cache makes cheap, says which outputs may not be: only those are built
  again (in memory) and compared byte for byte. A stale or hand-edited output is an error at its first
  differing line; one the build would remove (the article is no longer published) is an error too.

An output the plan finds to be what the build writes is compared with its source in one pass
(``page_tree.same_page``: blocks, elements, citation markers and their links), and walked in detail only if
that finds a difference, so that a check over a synced project costs little more than reading the outputs.
Its verdict is kept in ``.l10n-cache/page-verdicts.sqlite`` (:mod:`pipeline.checks.kept`) by the hashes of
the source, catalog and output bytes, for the pipeline's code and configuration: the next check of the same
files reads the output's bytes and nothing more.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import re
from collections.abc import Iterator

from lxml import etree

from pipeline.checks.context import ArticleContext, ProjectContext
from pipeline.checks.inputs import CatalogFile, SourceFile
from pipeline.checks.kept import KeptAnswers
from pipeline.checks.kinds import check
from pipeline.checks.page_tree import Outline, Translations, compare_trees, page_outline, same_page
from pipeline.core.errors import PipelineError
from pipeline.core.model import Finding, Key, Severity
from pipeline.html.build import site_links, source_signature
from pipeline.html.extract import decode_source, parse_source
from pipeline.html.publish import render_output, unpublished_reason
from pipeline.text.placeholders import TAG_SHAPED, normalize_space


@check("page", Severity.ERROR,
       "each output on disk is its source's page (the same elements, links, ids, images and citation markers), "
       "with no unmarked English (a warning), and what `l10n build` writes now",
       per_article=True, prepare=ProjectContext.prepare_outputs)
def check_page(ctx: ArticleContext) -> Iterator[Finding]:
    verdicts = _verdicts(ctx)
    source, template = ctx.source, ctx.template
    if source.document is None:
        return  # `syntax` reports it
    source_digest = source.digest if verdicts is not None else None
    compared = _SourcePage(ctx, source)
    for cat in ctx.catalogs:
        if cat.locale is None or cat.error is not None:
            continue
        path = ctx.output_path(cat)
        try:
            data = path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            continue  # not published: nothing on disk to check
        except OSError as exc:
            yield _finding(ctx, cat, f"the output cannot be read ({exc.strerror}): run `l10n build`")
            continue
        may_differ = ctx.output_may_differ(cat) and template.error is None
        key = None
        if verdicts is not None and source_digest is not None and not may_differ:
            key = _verdict_key(source_digest, cat, data)
            kept = _decoded(verdicts.get(key))
            if kept is not None:
                yield from kept
                continue
        errors = list(_page_findings(ctx, compared, cat, data, whole=may_differ))
        if verdicts is not None and key is not None:
            verdicts.put(key, _encoded(errors))
        yield from errors
        if may_differ and not any(f.severity is Severity.ERROR for f in errors):
            yield from _built_again(ctx, source, cat, data)
    if verdicts is not None:
        verdicts.flush()


def _verdicts(ctx: ArticleContext) -> KeptAnswers | None:
    """This run's kept verdicts (None when the run keeps nothing)."""
    if ctx.cache_dir is None or not ctx.fingerprint:
        return None
    return ctx.shared("page-verdicts",
                      lambda: KeptAnswers.open(ctx.cache_dir, "page-verdicts.sqlite", ctx.fingerprint))


def _verdict_key(source_digest: str, cat: CatalogFile, data: bytes) -> str:
    """What the verdict on an output the plan finds up to date depends on, besides the code and configuration
    (the cache's identity): the source, the catalog and the output, and where they are."""
    digest = hashlib.blake2b(digest_size=20)
    for part in (cat.rel, cat.slug, cat.code, source_digest, cat.text.encode("utf-8"), data):
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part if isinstance(part, bytes) else part.encode("utf-8"))
    return digest.hexdigest()


def _encoded(findings: list[Finding]) -> str:
    return json.dumps([[f.severity.value, f.message, f.path, f.line, f.locale, f.article] for f in findings],
                      ensure_ascii=False, separators=(",", ":"))


def _decoded(raw: str | None) -> list[Finding] | None:
    """Kept findings, or None when there are none or they do not decode (then the check runs again)."""
    if raw is None:
        return None
    try:
        return [Finding("page", Severity(severity), str(message), path, line, locale, article)
                for severity, message, path, line, locale, article in json.loads(raw)]
    except (ValueError, TypeError):
        return None


def _finding(ctx: ArticleContext, cat: CatalogFile, message: str, *, line: int | None = None,
             severity: Severity = Severity.ERROR) -> Finding:
    return Finding("page", severity, message, path=ctx.layout.relative(ctx.output_path(cat)), line=line,
                   locale=cat.code, article=cat.slug)


def _translations(ctx: ArticleContext, cat: CatalogFile) -> Translations:
    """What the English check needs of a catalog (nothing when the locale's language is the source's)."""
    assert cat.locale is not None
    source_language = ctx.config.source_language.split("-")[0].lower()
    if cat.locale.code.split("_")[0].lower() == source_language:
        return Translations(False, source_language)
    msgstrs: dict[Key, str] = {}
    texts: list[str] = []
    for entry in cat.po.live() if cat.po is not None else ():
        if entry.fuzzy:
            continue
        msgstrs[entry.key] = entry.msgstr
        texts += [normalize_space(TAG_SHAPED.sub("", form)) for form in entry.forms if form]
    return Translations(True, source_language, msgstrs, tuple(texts))


class _SourcePage:
    """An article's source as its outputs are compared with it: its tree without the site's links, and that
    tree's outline, each made once for all of the article's outputs."""

    def __init__(self, ctx: ArticleContext, source: SourceFile) -> None:
        assert source.document is not None
        self.ctx, self.source = ctx, source

    @functools.cached_property
    def root(self) -> etree._Element:
        """The source's tree, without the canonical and hreflang links (the site's, not the source's)."""
        assert self.source.document is not None
        original = self.source.document.root
        if self.ctx.config.base_url and site_links(original):
            original = copy.deepcopy(original)
            _drop_site_links(original)
        return original

    @functools.cached_property
    def outline(self) -> Outline:
        """What :func:`same_page` compares of the tree."""
        return page_outline(self.root, self.ctx.layout.policy)


def _page_findings(ctx: ArticleContext, compared: _SourcePage, cat: CatalogFile, data: bytes, *,
                   whole: bool) -> Iterator[Finding]:
    """How the output's tree departs from the source's (errors), and English left in it (warnings).

    An output the sync plan finds to be what the build writes (not ``whole``) is compared in one pass, and
    walked only if that finds a difference (a build that went wrong): English in it is the build's choice.
    """
    rel = ctx.layout.relative(ctx.output_path(cat))
    try:
        root, _ = parse_source(decode_source(data, path=rel), path=rel)
    except PipelineError as exc:
        yield _finding(ctx, cat, f"the output cannot be read as HTML ({exc.message}): run `l10n build`",
                       line=exc.line)
        return
    if ctx.config.base_url:      # the canonical and hreflang links are the site's, not the source's
        _drop_site_links(root)
    if not whole and same_page(compared.outline, root, policy=ctx.layout.policy):
        return
    for difference in compare_trees(compared.root, root, policy=ctx.layout.policy, slots=compared.source.segments,
                                    translations=_translations(ctx, cat)):
        yield _finding(ctx, cat, difference.message, line=difference.line,
                       severity=Severity.WARNING if difference.english else Severity.ERROR)


def _built_again(ctx: ArticleContext, source: SourceFile, cat: CatalogFile, data: bytes) -> Iterator[Finding]:
    """The output built again from the source and catalog on disk, against the file."""
    assert source.document is not None and cat.locale is not None
    doc, slots = source.document.copy_with(source.segments)
    po = cat.po
    assembled = render_output(doc, slots, source_signature(doc.root), po, cat.locale, policy=ctx.layout.policy,
                              source_language=ctx.config.source_language, review=ctx.config.review)
    reason = unpublished_reason(assembled, cat.locale)
    if reason:
        yield _finding(ctx, cat, f"`l10n build` would remove it: the article is no longer published for "
                       f"{cat.code} ({reason}): run `l10n build`")
    elif _without_site_links(assembled.html, ctx) != _without_site_links(data, ctx):
        yield _finding(ctx, cat, "differs from what `l10n build` writes from the current source and catalog "
                       "(first difference on this line): the output is stale or was edited by hand: run `l10n build`",
                       line=_first_difference(data, assembled.html, skip=_SITE_LINE if ctx.config.base_url else None))


def _drop_site_links(root: etree._Element) -> None:
    for link in site_links(root):
        previous = link.getprevious()
        parent = link.getparent()
        if previous is not None:
            previous.tail = link.tail
        elif parent is not None:
            parent.text = link.tail
        if parent is not None:
            parent.remove(link)


_SITE_LINK = re.compile(rb'\s*<link rel="(?:canonical|alternate)"(?: hreflang="[^"]*")? href="[^"]*">')


def _without_site_links(data: bytes, ctx: ArticleContext) -> bytes:
    """An output without the links a site build adds (compared apart: they depend on every locale's state)."""
    return _SITE_LINK.sub(b"", data) if ctx.config.base_url else data


#: A line of the output that holds only such a link.
_SITE_LINE = re.compile(_SITE_LINK.pattern + rb"\s*")


def _first_difference(old: bytes, new: bytes, *, skip: re.Pattern[bytes] | None = None) -> int:
    """The first line (from 1) of ``old`` on which it differs from ``new``; lines ``skip`` matches whole
    (a site's links) are passed over in both."""
    def lines(text: bytes) -> list[tuple[int, bytes]]:
        return [(n, line) for n, line in enumerate(text.split(b"\n"), 1)
                if skip is None or not skip.fullmatch(line)]
    old_lines, new_lines = lines(old), lines(new)
    for (number, a), (_, b) in zip(old_lines, new_lines):
        if a != b:
            return number
    shorter = min(len(old_lines), len(new_lines))
    return old_lines[shorter][0] if shorter < len(old_lines) else (old_lines[-1][0] + 1 if old_lines else 1)
