"""Whether a translation may be published: the one verdict the build and ``l10n check`` share.

A translated unit is published only if it has no *problem*. Each problem belongs to the check that
reports it (the build falls back to the source language for it, whatever the check's severity):

- ``citations``: the msgid's citation markers (``[3]``, ``[PM18]``), as a multiset: lost or added;
- ``placeholders``: the msgid's inline tags, each once and properly nested, no other tag, no HTML
  entity the source lacks, text of its own; the python-format directives of a plural entry;
- ``numbers``: every number, unit, range end and dose of the source (``pipeline.text.quantities``);
- ``disclaimer`` (disclaimer units only): the translation is the whole disclaimer, see
  :func:`disclaimer_problems`.

The functions here read text only (a msgstr, the :class:`~pipeline.text.placeholders.EncodedRun` of its msgid),
so the build (``assemble``) and the checks (``checks.markup``, ``checks.numbers``,
``checks.completeness``) call the same code on the same strings.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from pipeline.core.model import Placeholder
from pipeline.text.placeholders import (
    MARKER,
    TAG_SHAPED,
    EncodedRun,
    InvalidTranslation,
    Item,
    find_markers,
    parse_translation,
)
from pipeline.text.quantities import compare_numbers, locale_form
from pipeline.text.reasons import REASONS

#: A disclaimer translation's display width, as a share of its source's (see ``disclaimer_problems``).
DISCLAIMER_WIDTH = (0.5, 2.0)

_PYTHON_DIRECTIVE = re.compile(r"%(?:\([^()]*\))?[-+ #0]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]")
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#\d{1,7}|#[xX][0-9A-Fa-f]{1,6});")
#: The end of a sentence: a full stop, question or exclamation mark (Latin, CJK, Arabic, Devanagari)
#: followed by a space, a closing quote or bracket, or the end; CJK ones end a sentence by themselves.
_SENTENCE_END = re.compile(r"[.!?\u061f\u06d4\u0964](?=[\s\"'\u201d\u2019)\]]|$)|[\u3002\uff01\uff1f\uff0e]")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a translation cannot be published: the check that reports it and what is wrong."""

    check: str      #: one of SAFETY_CHECKS
    message: str

    @property
    def reason(self) -> str:
        """The fallback reason the summary counts it under (``citation``, ``tag``, ``number``, ``disclaimer``)."""
        return REASONS[self.check]


def citation_problems(msgid: str, msgstr: str) -> list[str]:
    """Citation markers of the msgid the translation lost, and markers it added (as a multiset)."""
    in_msgid, in_msgstr = find_markers(msgid), find_markers(msgstr)
    if in_msgid == in_msgstr:  # the same markers in the same order: nothing to count
        return []
    expected, found = Counter(in_msgid), Counter(in_msgstr)
    problems = []
    lost = sorted((expected - found).elements())
    added = sorted((found - expected).elements())
    if lost:
        problems.append("lost citation marker " + " ".join(lost))
    if added:
        problems.append("added citation marker " + " ".join(added) + " (not in the source)")
    return problems


def tag_problems(msgstr: str, run: EncodedRun, *, python_format: bool = False) -> list[str]:
    """What is wrong with a translation's tags, entities and format directives against its msgid's run."""
    problems = []
    problem = _tag_problem(msgstr, run.msgid, tuple(run.placeholders), run.literals)
    if problem is not None:
        problems.append(problem)
    if python_format:
        wanted, found = _directives(run.msgid), _directives(msgstr)
        if wanted != found:
            problems.append("python-format: the translation must have " + _list(wanted)
                            + " as the msgid does (it has " + _list(found) + ")")
    if "&" in msgstr:
        source_entities = set(_ENTITY.findall(run.msgid))
        for entity in dict.fromkeys(_ENTITY.findall(msgstr)):
            if entity not in source_entities:
                problems.append(f"HTML entity {entity} would show as typed: write the character itself")
    return problems


def number_problems(msgid: str, msgstr: str, *, source_locale: str, target_locale: str) -> list[str]:
    """The numbers (with units, range ends, doses) of the source the translation lacks or changed."""
    problems = []
    for mismatch in compare_numbers(msgid, msgstr, source_locale=source_locale, target_locale=target_locale):
        wanted = mismatch.source
        if mismatch.found is None:
            problems.append(f"number \u201c{wanted.text}\u201d of the source is missing"
                            + locale_form(wanted, target_locale))
        else:
            problems.append(f"\u201c{wanted.text}\u201d of the source is \u201c{mismatch.found.text}\u201d "
                            "in the translation: the unit changed")
    return problems


def disclaimer_problems(msgid: str, msgstr: str) -> list[str]:
    """Why a disclaimer translation is not the whole disclaimer.

    The rule: every sentence of the source has one in the translation (a translation has at least as
    many sentences, ended by ``.``, ``?``, ``!`` or their CJK and Arabic forms); its display width (East
    Asian wide characters count two columns) is between half and twice the source's (the sample
    translations measure 0.79 in Korean and 0.90 in Japanese; European languages run 1.0 to 1.4); and
    every bold or other tagged lead-in of the source with text keeps text in the translation.
    """
    problems = []
    source_text, text = _plain(msgid), _plain(msgstr)
    wanted, found = _sentences(source_text), _sentences(text)
    if found < wanted:
        problems.append(f"the disclaimer has {found} sentence(s), its source {wanted}: translate every sentence")
    source_width, width = display_width(source_text), display_width(text)
    low, high = DISCLAIMER_WIDTH
    if source_width and not low <= width / source_width <= high:
        problems.append(f"the disclaimer is {width / source_width:.0%} of its source's length (display width "
                        f"{width} for {source_width}; between {low:.0%} and {high:.0%} expected): "
                        "translate it in full")
    for name in _lead_ins(msgid):
        if not _LETTER.search(_plain(_inside(msgstr, name))):
            problems.append(f"the disclaimer's lead-in <{name}> has no text: keep it translated")
    return problems


def translation_problems(msgstr: str, run: EncodedRun, *, source_locale: str, target_locale: str,
                         disclaimer: bool = False, python_format: bool = False) -> tuple[Problem, ...]:
    """Every problem of a translation of a run; empty: it may be published."""
    return _problems(msgstr, run.msgid, tuple(run.placeholders), run.literals, source_locale, target_locale,
                     disclaimer, python_format)


def verdict_key(msgstr: str, run: EncodedRun, *, source_locale: str, target_locale: str,
                disclaimer: bool = False) -> bytes:
    """A 128-bit hash of everything :func:`translation_problems` reads of a translation (the msgstr; the
    msgid, placeholders and literal text of its run; the locales; whether it is a disclaimer): one found
    without a problem under a key has none under it again, for the same code."""
    fields = (msgstr, run.msgid, tuple(run.placeholders), sorted(run.literals), source_locale, target_locale,
              disclaimer)
    return hashlib.blake2b(repr(fields).encode("utf-8", "surrogatepass"), digest_size=16).digest()


class VerdictRecords(Protocol):
    """Keys (:func:`verdict_key`) of translations an earlier build found without a problem."""

    def clean(self, keys: Collection[bytes], *, article: str | None = None) -> set[bytes]:
        """Those of ``keys`` known to have no problem; ``article``: the slug whose build most likely recorded
        them (looked at first; the answer is the same)."""
        ...


class KnownVerdicts(VerdictRecords, Protocol):
    """:class:`VerdictRecords` for one article's build, which notes what it finds."""

    def remember(self, keys: Iterable[bytes]) -> None:
        """Note the keys of the translations found without a problem now (known before, or not)."""
        ...


def plural_problems(forms: Sequence[str], msgid: str, msgid_plural: str, *, source_locale: str,
                    target_locale: str) -> tuple[Problem, ...]:
    """Every problem of the filled forms of a plural entry (form 0 against the msgid, others the plural)."""
    found: list[Problem] = []
    for index, form in enumerate(forms):
        if form:
            run = run_from_msgid(msgid if index == 0 else msgid_plural)
            found.extend(translation_problems(form, run, source_locale=source_locale,
                                              target_locale=target_locale, python_format=True))
    return tuple(dict.fromkeys(found))


@lru_cache(maxsize=16384)
def _problems(msgstr: str, msgid: str, placeholders: tuple[Placeholder, ...], literals: frozenset[str],
              source_locale: str, target_locale: str, disclaimer: bool, python_format: bool
              ) -> tuple[Problem, ...]:
    """Remembered: disclaimers, headings and advice repeat word for word across articles and syncs."""
    run = EncodedRun(msgid, list(placeholders), markers=find_markers(msgid), literals=literals)
    found = [Problem("citations", m) for m in citation_problems(msgid, msgstr)]
    found += [Problem("placeholders", m) for m in tag_problems(msgstr, run, python_format=python_format)]
    found += [Problem("numbers", m) for m in number_problems(msgid, msgstr, source_locale=source_locale,
                                                             target_locale=target_locale)]
    if disclaimer:
        found += [Problem("disclaimer", m) for m in disclaimer_problems(msgid, msgstr)]
    return tuple(found)


@lru_cache(maxsize=8192)
def _parsed(msgstr: str, msgid: str, placeholders: tuple[Placeholder, ...], literals: frozenset[str]
            ) -> tuple[list[Item] | None, str | None]:
    """A translation parsed against the run of its msgid: (tree, None), or (None, why its tags do not fit).

    Citation markers are :func:`citation_problems`' business, so the run is given the translation's own
    markers (``parse_translation`` checks a run's placeholders, literals and markers). Remembered: the check
    and the build's rendering ask for the same parse, and disclaimers repeat word for word; the tree is shared,
    so it is only read (``render_items`` makes new elements of it).
    """
    tags_only = EncodedRun(msgid, list(placeholders), markers=find_markers(msgstr), literals=literals)
    try:
        return parse_translation(msgstr, tags_only), None
    except InvalidTranslation as exc:
        return None, str(exc)


def _tag_problem(msgstr: str, msgid: str, placeholders: tuple[Placeholder, ...],
                 literals: frozenset[str]) -> str | None:
    """Why a translation's tags do not fit the run of its msgid (None: they do)."""
    return _parsed(msgstr, msgid, placeholders, literals)[1]


def published_tree(msgstr: str, run: EncodedRun) -> list[Item]:
    """The parsed translation of a msgstr that :func:`translation_problems` found nothing wrong with (read it,
    do not change it: it is shared); raise InvalidTranslation for one it would not pass."""
    tree, _ = _parsed(msgstr, run.msgid, tuple(run.placeholders), run.literals)
    if tree is None or sorted(find_markers(msgstr)) != sorted(run.markers):
        return parse_translation(msgstr, run)  # raises: the problem, as parse_translation words it
    return tree


def run_from_msgid(msgid: str) -> EncodedRun:
    """An encoding rebuilt from a msgid alone: ``<x>``…``</x>`` pairs and ``<x/>`` are placeholders;
    any other tag-shaped text is literal text of the source."""
    tokens = TAG_SHAPED.findall(msgid)
    placeholders: list[Placeholder] = []
    literals = set()
    for token in tokens:
        name = token.strip("</>").strip()
        if token.endswith("/>") and not token.startswith("</"):
            placeholders.append(Placeholder(name, True, name, ""))
        elif not token.startswith("</") and f"</{name}>" in tokens:
            placeholders.append(Placeholder(name, False, name, ""))
        elif not (token.startswith("</") and f"<{name}>" in tokens):
            literals.add(token)
    return EncodedRun(msgid=msgid, placeholders=placeholders, markers=find_markers(msgid),
                      literals=frozenset(literals))


def display_width(text: str) -> int:
    """Columns a text takes in a monospaced terminal: wide and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1
               for c in text)


def _plain(text: str) -> str:
    """Text without tags and citation markers, whitespace collapsed."""
    return " ".join(MARKER.sub(" ", TAG_SHAPED.sub(" ", text)).split())


def _sentences(text: str) -> int:
    """Sentences of a text: one per sentence end, and a last one left without its end."""
    ends = list(_SENTENCE_END.finditer(text))
    rest = text[ends[-1].end():] if ends else text
    return len(ends) + (1 if _LETTER.search(rest) else 0)


def _lead_ins(msgid: str) -> list[str]:
    """Names of the paired placeholders of a msgid that hold text (``b`` of ``<b>Important:</b>``)."""
    return [match.group(1) for match in re.finditer(r"<([A-Za-z][\w-]*)>", msgid)
            if _LETTER.search(_plain(_inside(msgid, match.group(1))))]


def _inside(text: str, name: str) -> str:
    """The text between ``<name>`` and ``</name>`` (empty if the pair is not there)."""
    start, end = text.find(f"<{name}>"), text.find(f"</{name}>")
    return text[start + len(name) + 2:end] if 0 <= start < end else ""


def _directives(text: str) -> Counter[str]:
    return Counter(d for d in _PYTHON_DIRECTIVE.findall(text) if d != "%%")


def _list(directives: Counter[str]) -> str:
    return " ".join(sorted(directives.elements())) or "none"
