"""Korean checks: ``ko-particles``, ``ko-register``, ``ko-spacing`` (see the README, "Korean checks").

``ko-particles`` reads the word before a particle where it is not plain Hangul (a Latin term, a number, a
unit) or where a tag or citation marker stands between the word and its particle, and tells the right form
(``korean_readings``). The morphological analyser kiwipiepy (the optional extra ``.[ko]``) tells particles
from syllables that only look like them (``3가지``, ``IU이상``); without it only a word-final run that is a
particle as a whole (을, 으로는, 이라고) is checked, and an info finding says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, cast

from pipeline.checks.context import ArticleContext, Context, ProjectContext
from pipeline.checks.inputs import CatalogFile
from pipeline.checks.kept import KeptAnswers
from pipeline.checks.kinds import LoadFirst, check
from pipeline.checks.languages.analyses import Tokens, analyser_identity, open_analyses, tokens, tokens_of
from pipeline.checks.languages.base import language_of, locale_setting
from pipeline.checks.languages.korean_readings import (
    Particle,
    particle_chain,
    particle_prefix,
    readings,
    syllable_sound,
)
from pipeline.core.model import Finding, Severity
from pipeline.po.model import Entry
from pipeline.text.placeholders import MARKER, TAG_SHAPED, text_content

REGISTER = locale_setting("ko", "register", ("formal", "polite"),
                          "the one register of Korean articles: formal (합니다체) or polite (해요체)")
REGISTER_NAMES = {"formal": "합니다체 (formal)", "polite": "해요체 (polite)"}
#: The placeholder of a text whose content the check does not know (a date, a count, a python-format).
UNKNOWN = "\ufffc"
_HANGUL_RUN = re.compile(r"[가-힣]+")
_TOKEN = re.compile(rf"{TAG_SHAPED.pattern}|{MARKER.pattern}|%\([A-Za-z_]\w*\)[a-z]|%[sd]|\{{[A-Za-z_]\w*\}}")
_LATIN_TAIL = re.compile(r"[A-Za-z0-9%％°℃℉µμ/,.+~\u2013\u301c\uff5e-]+$")
_CLOSING_QUOTES = "\u201d\u2019\"'\u300d\u300f\u300b\u3009"
#: The characters of a msgstr without which no Hangul run follows a word :func:`_words_before` reads: a Latin
#: letter, digit or unit sign (``_LATIN_TAIL`` but its leading ``,.~-``, which alone make no word), a closing
#: quote or parenthesis, and the start of a tag, marker or placeholder (``_TOKEN``).
_MAY_FOLLOW_A_WORD = re.compile("[A-Za-z0-9%\uff05\u00b0\u2103\u2109\u00b5\u03bc/+\u2013\u301c\uff5e<\\[{)"
                                + re.escape(_CLOSING_QUOTES) + "]")


# ---- the analyser -----------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def analyser() -> Any | None:
    """The kiwipiepy analyser (loaded once per process), or None when the ``ko`` extra is not installed.
    (How it is built and asked is part of ``analyses.ANALYSER_OPTIONS``.)"""
    try:
        from kiwipiepy import Kiwi
    except ImportError:
        return None
    # Without the typo dictionary (misspellings, chat-style endings) and the multi-word proper nouns of WikiData:
    # edited health texts need neither, and loading them took half the time and 190 MB (tokens of the 8,801
    # Korean texts of the sample, test and bench catalogs are the same with and without them).
    kiwi = Kiwi(load_typo_dict=False, load_multi_dict=False)
    kiwi.tokenize("가")          # the model loads on first use: now, in the process that prepares
    return kiwi


def analyser_installed() -> bool:
    """Whether the analyser can be used, told from the package metadata when it is there (no import)."""
    return analyser_identity() is not None or analyser() is not None


def _analyses(ctx: Context) -> KeptAnswers | None:
    """This run's kept answers of the analyser (None without an installed analyser to key them by)."""
    identity = analyser_identity()
    if identity is None:
        return None
    return ctx.shared("ko-analyses", lambda: open_analyses(ctx.cache_dir, identity))


def _open_answers(ctx: ProjectContext) -> None:
    """When Korean is in scope, open the kept answers in the parent, for the workers to share."""
    if any(language_of(locale.code) == "ko" for locale in ctx.locales):
        _analyses(ctx)


def _load_analyser(ctx: ProjectContext) -> None:
    """Load the analyser in the parent, once a worker has met a text it has no answer for and whose particles
    could be wrong (:func:`could_disagree`): the workers that check the rest share it instead of loading it
    (a second) each. A corpus whose particles are all right never loads it."""
    analyser()


def _analyse_or_defer(text: str) -> Tokens | None:
    """:func:`_analyse`, in a worker that leaves the analyser's load to the parent: LoadFirst if this process
    has not loaded it."""
    if analyser.cache_info().currsize == 0:
        raise LoadFirst("ko-particles needs the Korean analyser")
    return _analyse(text)


def _analyser_key() -> str | None:
    """What ``ko-particles`` findings depend on besides the catalogs: the installed analyser's identity, or
    that there is none; None (do not keep them) for an analyser importable without package metadata."""
    identity = analyser_identity()
    if identity is not None:
        return identity
    from importlib.util import find_spec

    return "no analyser" if find_spec("kiwipiepy") is None else None


def _analyse(text: str) -> Tokens | None:
    """What the analyser says of a text: (start, tag) of each token; None without the analyser."""
    kiwi = analyser()
    if kiwi is None:
        return None
    return tokens_of(kiwi.tokenize(text))


def particle_offsets(reading: "Reading", analyses: KeptAnswers | None = None,
                     analyse: Callable[[str], Tokens | None] | None = None) -> dict[int, str] | None:
    """Where the analyser finds a particle (``J...``) or the copula 이 (``VCP``) in a reading: offset in
    ``reading.text`` -> tag; None without the analyser. The analyser reads the text with its citation markers
    in place (``페리틴[1]는``): without them the word and the particle would run together. ``analyses``: the
    answers kept from earlier runs (the analyser is asked only for a text they lack); ``analyse``: how it is
    asked (:func:`_analyse`)."""
    pieces: list[str] = []
    back: dict[int, int] = {}           # offset in the analysed text -> offset in the reading
    length = 0
    for offset, char in enumerate(reading.text):
        markers = "".join(MARKER.findall(reading.cuts.get(offset, "")))
        if markers:
            pieces.append(markers)
            length += len(markers)
        back[length] = offset
        pieces.append(" " if char == UNKNOWN else char)
        length += 1
    text = "".join(pieces)
    analyse = analyse or _analyse
    found = tokens(analyses, text, analyse) if analyses is not None else analyse(text)
    if found is None:
        return None
    return {back[start]: tag for start, tag in found
            if (tag.startswith("J") or tag == "VCP") and start in back}


# ---- reading a translation ----------------------------------------------------------------------------------
@dataclass(slots=True)
class Reading:
    """A msgstr as read aloud: paired tags and markers taken out (``cuts`` keeps them by position), void
    placeholders replaced by their source content when known."""

    text: str
    cuts: dict[int, str]
    #: end offset of each void placeholder's content -> the placeholder (``<span/>``)
    voids: dict[int, str] = field(default_factory=dict)

    def breaks(self) -> set[int]:
        """The offsets where a tag, marker or placeholder stood in the msgstr."""
        return set(self.cuts) | set(self.voids)


def read_msgstr(msgstr: str, void_content: dict[str, str]) -> Reading:
    """The reading of a msgstr; ``void_content`` maps a void placeholder's name to its text (a brand)."""
    parts: list[str] = []
    cuts: dict[int, str] = {}
    voids: dict[int, str] = {}
    length = 0
    last = 0
    for token in _TOKEN.finditer(msgstr):
        parts.append(msgstr[last:token.start()])
        length += token.start() - last
        last = token.end()
        raw = token[0]
        if raw.startswith("<") and raw.endswith("/>"):
            content = void_content.get(raw[1:-2], "") or UNKNOWN
            parts.append(content)
            length += len(content)
            if content != UNKNOWN:
                voids[length] = raw
            else:
                cuts[length] = cuts.get(length, "") + raw
        elif raw.startswith("<") or MARKER.fullmatch(raw):
            cuts[length] = cuts.get(length, "") + raw
        else:
            parts.append(UNKNOWN)
            length += 1
    parts.append(msgstr[last:])
    return Reading("".join(parts), cuts, voids)


@dataclass(frozen=True, slots=True)
class ParticleProblem:
    """A particle that disagrees with the word it follows."""

    word: str                 #: the word, as read (AML, 페리틴)
    between: str              #: tags or markers between the word and the particle ("[1]")
    particle: Particle
    right: str                #: the form that fits
    spoken: tuple[str, ...]   #: the readings of the word (empty for Hangul)
    rest: str = ""            #: what follows the particle in the word (고 of 라고)
    placeholder: str = ""     #: the void placeholder the word is the content of (``<span/>``)

    def message(self) -> str:
        """The finding's text."""
        written = f"{self.word}{self.between}{self.particle.written}{self.rest}"
        fixed = f"{self.word}{self.between}{self.right}{self.rest}"
        if self.placeholder:
            read = " or ".join(self.spoken)
            written = f"{self.placeholder}{self.between}{self.particle.written}{self.rest}"
            fixed = f"{self.placeholder}{self.between}{self.right}{self.rest}"
            said = f"ends in \u201c{self.word}\u201d" if _HANGUL_RUN.fullmatch(self.word) else \
                f"is \u201c{self.word}\u201d, read {read}"
            return (f"wrong particle \u201c{self.particle.written}\u201d in \u201c{written}\u201d: "
                    f"{self.placeholder} {said}, so write \u201c{fixed}\u201d")
        if self.spoken:
            read = " or ".join(self.spoken)
            return (f"wrong particle \u201c{self.particle.written}\u201d in \u201c{written}\u201d: "
                    f"\u201c{self.word}\u201d is read {read}, so write \u201c{fixed}\u201d")
        return (f"wrong particle \u201c{self.particle.written}\u201d in \u201c{written}\u201d: the particle "
                f"follows \u201c{self.word}\u201d, not \u201c{self.between}\u201d, so write \u201c{fixed}\u201d")


#: The copula forms that alternate (이라/라, 이나/나); the copula 이 of 이면, 이어야 may follow a vowel too.
_COPULA_PAIRS = frozenset({("이라", "라"), ("이나", "나"), ("이란", "란")})


def particle_problems(reading: Reading, offsets: dict[int, str] | None = None) -> list[ParticleProblem]:
    """The particles of a reading that disagree with the non-Hangul word (or the word across a marker or tag)
    they follow. ``offsets``: where the analyser sees particles (None: without the analyser)."""
    problems = []
    breaks = reading.breaks()
    for start, segment in _segments(reading):
        if offsets is None:
            particle = particle_chain(segment)
        else:
            particle = particle_prefix(segment) if start in offsets else None
            if particle is not None and offsets[start] == "VCP" and particle.pair not in _COPULA_PAIRS:
                particle = None
            if particle is None and start in breaks:
                # a wrong particle after a closing tag can make the analyser read one word (안내서을)
                particle = particle_chain(segment)
        problem = _disagreement(reading, start, segment, particle) if particle is not None else None
        if problem is not None:
            problems.append(problem)
    return problems


def could_disagree(reading: Reading) -> bool:
    """Whether some answer of the analyser could make :func:`particle_problems` find a problem in a reading.

    Whatever the analyser says, the particle read at a Hangul run is the form the run starts with
    (``particle_prefix``), the run as a whole (``particle_chain``) or none; where neither form disagrees with
    the word before it, every answer gives the same findings (none), and the analyser need not be asked. That
    is the case of almost every translation (a right particle after a term), so a check of correct Korean
    seldom loads the analyser at all.
    """
    for start, segment in _segments(reading):
        for particle in {particle_prefix(segment), particle_chain(segment)}:
            if particle is not None and _disagreement(reading, start, segment, particle) is not None:
                return True
    return False


def _disagreement(reading: Reading, start: int, segment: str, particle: Particle) -> ParticleProblem | None:
    """The problem of ``particle``, read at the Hangul run ``segment`` at ``start``: it fits none of the
    readings of the word it follows (None: it fits one, or follows no word the check reads)."""
    text = reading.text
    rights: list[tuple[str, str, tuple[str, ...], int]] = []
    for word, spoken, end in _words_before(text, start, reading.breaks()):
        sounds = cast("set[str]", {syllable_sound(s[-1]) for s in spoken} - {None})
        if not sounds:
            continue
        if any(particle.right_after(sound) == particle.written for sound in sounds):
            return None
        rights.append((word, particle.right_after(next(iter(sounds))), spoken, end))
    if not rights:
        return None
    word, right, spoken, end = rights[0]
    between = text[end:start] + reading.cuts.get(start, "")
    shown = () if _HANGUL_RUN.fullmatch(word) and start not in reading.voids else spoken
    return ParticleProblem(word, between, particle, right, shown, segment[len(particle.written):],
                           reading.voids.get(start, ""))


def _segments(reading: Reading) -> Iterator[tuple[int, str]]:
    """(offset, text) of each Hangul run of a reading, cut where a tag or marker was taken out."""
    breaks = sorted(reading.breaks())
    for run in _HANGUL_RUN.finditer(reading.text):
        bounds = [run.start(), *(c for c in breaks if run.start() < c < run.end()), run.end()]
        for start, end in zip(bounds, bounds[1:]):
            if start > 0:
                yield start, reading.text[start:end]


Word = tuple[str, tuple[str, ...], int]   # a word, its readings, the offset where it ends


def _words_before(text: str, start: int, cuts: set[int]) -> list[Word]:
    """The word(s) a particle at ``start`` may follow, each with its readings and end: the word itself, or,
    after a parenthesis, the word before it (first: Korean style agrees with it) and the last word inside.
    Plain Hangul with nothing between: none."""
    end = start
    crossed = start in cuts
    while end > 0 and text[end - 1] in _CLOSING_QUOTES:
        end -= 1
        crossed = True
    if end > 0 and text[end - 1] == ")":
        opening = text.rfind("(", 0, end - 1)
        if opening <= 0:
            return []
        return [w for w in (_word_at(text, opening, True), _word_at(text, end - 1, True)) if w is not None]
    word = _word_at(text, end, crossed)
    return [word] if word is not None else []


#: The first syllable of a Hangul run after a character that is neither a space nor Hangul.
_RUN_AFTER_OTHER = re.compile(r"(?<![ 가-힣])[가-힣]")


def follows_some_word(reading: Reading) -> bool:
    """Whether :func:`_words_before` finds a word before some segment of a reading (:func:`_segments`): before
    a particle the check could read.

    Only the segments that start after something other than a plain space, or where a tag or marker stood, are
    looked at: no quote, parenthesis, Latin or Hangul letter ends before the others, which are most of them.
    """
    text, breaks = reading.text, reading.breaks()
    starts = {found.start() for found in _RUN_AFTER_OTHER.finditer(text)}
    starts.update(cut for cut in breaks if cut < len(text) and "가" <= text[cut] <= "힣")
    return any(_words_before(text, start, breaks) for start in sorted(starts) if start > 0)


def _tail(pattern: re.Pattern[str], text: str, end: int) -> re.Match[str] | None:
    """``pattern.search(text[:end])`` for a pattern anchored at the end (``...$``), looking at the last
    ``_TAIL`` characters only unless the match reaches their start: the same match, without a scan of the whole
    text for every word (a msgstr has dozens)."""
    start = max(0, end - _TAIL)
    found = pattern.search(text, start, end)
    if found is not None and found.start() == start and start > 0:
        return pattern.search(text, 0, end)
    return found


_TAIL = 64
_HANGUL_TAIL = re.compile(r"[가-힣]+$")
_NUMBER_TAIL = re.compile(r"\d[\d,.]*\s?$")


def _word_at(text: str, end: int, crossed: bool) -> Word | None:
    hangul = _tail(_HANGUL_TAIL, text, end)
    if hangul is not None:
        return (hangul[0], (hangul[0],), end) if crossed else None
    latin = _tail(_LATIN_TAIL, text, end)
    if latin is None:
        return None
    word = latin[0].lstrip(",.~-")
    after_number = _tail(_NUMBER_TAIL, text, end - len(word)) is not None or bool(re.match(r"\d", word))
    spoken = readings(word, after_number=after_number)
    return (word, spoken, end) if spoken else None


def _void_content(ctx: ArticleContext, cat: CatalogFile, entry: Entry, msgid: str) -> dict[str, str]:
    """The source text of each void placeholder of an entry (a ``translate="no"`` brand)."""
    run = ctx.run_for(msgid, entry.msgctxt)
    content = {}
    for placeholder in run.placeholders:
        element = run.elements.get(placeholder.name)
        if placeholder.void and element is not None and isinstance(element.tag, str) \
                and element.tag not in ("br", "img", "wbr", "time"):
            content[placeholder.name] = " ".join(text_content(element).split())
    return content


@check("ko-particles", Severity.ERROR,
       "Korean particles (은/는, 이/가, 을/를, 과/와, 으로/로, 이나/나, 이라/라, 아/야) agree with the Latin term, "
       "number, unit or marked-up word they follow (AML을, 10 mg으로, 페리틴[1]은)", per_article=True,
       prepare=_open_answers, identity=_analyser_key, load=_load_analyser)
def check_ko_particles(ctx: ArticleContext) -> Iterator[Finding]:
    """Particles that disagree with the non-Hangul or marked-up word they follow."""
    told: set[str] = set()
    analyses = _analyses(ctx)
    installed: bool | None = None
    analyse = _analyse
    for cat, entry, msgid, msgstr in ctx.translations_in("ko"):
        if installed is None:
            installed = analyser_installed()
            analyse = _analyse_or_defer if installed and ctx.session.defers_loads else _analyse
        if not installed and cat.rel not in told:
            told.add(cat.rel)
            yield cat.finding("ko-particles", "the Korean analyser (kiwipiepy) is not installed: only "
                              "particles that end a word (AML을, 10 mg으로는) are checked, not those followed "
                              "by more (install `.[ko]`)", severity=Severity.INFO)
        if not _MAY_FOLLOW_A_WORD.search(msgstr):
            continue        # plain Hangul and punctuation: no particle follows a word the check reads
        reading = read_msgstr(msgstr, _void_content(ctx, cat, entry, msgid))
        if not follows_some_word(reading):
            continue        # no particle follows a non-Hangul or marked-up word: nothing to ask the analyser
        if not could_disagree(reading):
            continue        # no answer of the analyser could make a finding: it is not asked
        for problem in particle_problems(reading, particle_offsets(reading, analyses, analyse)):
            yield cat.finding("ko-particles", problem.message(), entry=entry)
    if analyses is not None:
        analyses.flush()


# ---- register -------------------------------------------------------------------------------------------------
#: Entry kinds (the ``#.`` comment the extraction writes) whose text is not running prose.
NEUTRAL_KINDS = frozenset({"heading", "page title", "image alt text", "phrase with a count",
                           "expansion of an abbreviation"})
_QUOTED = re.compile(r"\u201c[^\u201d]*\u201d|\"[^\"]*\"|\u2018[^\u2019]*\u2019|\u300c[^\u300d]*\u300d|"
                     r"\u300e[^\u300f]*\u300f|<q\d*>.*?</q\d*>")
_SENTENCE_END = re.compile(r"(?<=[.?!:;\u2026])\s+")
#: The syllable before a 해요체 요 (있어요, 해요, 돼요, 봐요, 이에요, 하나요, 할까요, 좋네요, 그렇군요 ...): a noun
#: that ends in 요 (중요, 필요, 주요) is no sentence ending, nor is an imperative (하세요, 마세요: 세 is not here;
#: 하십시오 ends in 오).
_POLITE_BEFORE_YO = frozenset("어아여에예해돼봐와워줘져쳐켜펴려써가나까네군데래대지게걸야워")


def sentence_register(sentence: str) -> str | None:
    """``formal`` (…니다, …니까), ``polite`` (…요, …죠), or None: an imperative (하세요, 마세요), a noun
    ending or any other sentence is neutral."""
    words = re.findall(r"[가-힣]+", sentence)
    if not words:
        return None
    last = words[-1]
    if last.endswith(("니다", "니까")):
        return "formal"
    if last.endswith("죠") or (last.endswith("요") and len(last) > 1 and last[-2] in _POLITE_BEFORE_YO):
        return "polite"
    return None


def sentences(msgstr: str) -> list[str]:
    """The sentences of a msgstr outside quotations, tags and markers left out."""
    text = _QUOTED.sub(" ", msgstr)
    text = MARKER.sub(" ", TAG_SHAPED.sub(lambda m: " " if m[0].startswith("<br") else "", text))
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def _kind(entry: Entry) -> str:
    return (entry.comment or "").split("\n", 1)[0].strip()


@check("ko-register", Severity.WARNING,
       "a Korean article keeps one register: 합니다체 or 해요체 sentence endings, not both (outside quotations; "
       "imperatives, headings and noun endings are neutral); l10n.yaml may fix it per locale", per_article=True)
def check_ko_register(ctx: ArticleContext) -> Iterator[Finding]:
    """Sentences of a Korean article outside its register (the majority's, or l10n.yaml's)."""
    by_catalog: dict[str, tuple[CatalogFile, list[tuple[Entry, str, str]]]] = {}
    for cat, entry, _msgid, msgstr in ctx.translations_in("ko"):
        if _kind(entry) in NEUTRAL_KINDS:
            continue
        found = by_catalog.setdefault(cat.rel, (cat, []))[1]
        for sentence in sentences(msgstr):
            register = sentence_register(sentence)
            if register is not None:
                found.append((entry, sentence, register))
    for cat, found in by_catalog.values():
        counts = {name: sum(1 for *_, r in found if r == name) for name in REGISTER_NAMES}
        fixed = ctx.settings.locale_option(cat.code, "register")
        if fixed is not None:
            wanted, why = fixed, f"l10n.yaml sets {REGISTER_NAMES[fixed]} for {cat.code}"
        else:
            if not counts["formal"] or not counts["polite"]:
                continue
            wanted = "formal" if counts["formal"] >= counts["polite"] else "polite"
            why = f"the article is in {REGISTER_NAMES[wanted]} ({counts[wanted]} of {sum(counts.values())} sentences)"
        by_entry: dict[int, tuple[Entry, list[str]]] = {}
        for entry, sentence, register in found:
            if register != wanted:
                by_entry.setdefault(id(entry), (entry, []))[1].append(sentence)
        other = "polite" if wanted == "formal" else "formal"
        for entry, listed in by_entry.values():
            quoted = "; ".join(f"\u201c{s}\u201d" for s in listed)
            yield cat.finding("ko-register", f"{REGISTER_NAMES[other]} ending where {why}: {quoted}", entry=entry)


# ---- spacing --------------------------------------------------------------------------------------------------
#: Particles that never stand alone as a word (이, 가, 나, 아, 야 do: 이 = "this", 나 = "I").
_LONE_PARTICLES = "은|는|을|를|과|와|으로|로|의|에|에서|에게|도|만|이나|이라고|라고|으로는|로는|에는|과의|와의"
_SPACED_PARTICLE = re.compile(rf"(?<=[가-힣A-Za-z0-9%>\]])((?:</[A-Za-z][A-Za-z0-9]*>)+|{MARKER.pattern})"
                              rf"(\s+)({_LONE_PARTICLES})(?=[\s.,;:!?)]|$)")
_SPACED_MARKER = re.compile(rf"([가-힣A-Za-z0-9%])\s+({MARKER.pattern})([가-힣]+)")


def spacing_problems(msgstr: str) -> list[str]:
    """Spacing mistakes around placeholders and markers in a Korean msgstr (see ``ko-spacing``)."""
    problems = []
    for found in _SPACED_PARTICLE.finditer(msgstr):
        before = msgstr[max(0, found.start() - 12):found.start()].split()[-1:] or [""]
        problems.append(f"a space splits the particle \u201c{found[3]}\u201d from its word in "
                        f"\u201c{before[0]}{found[1]}{found[2]}{found[3]}\u201d: write "
                        f"\u201c{before[0]}{found[1]}{found[3]}\u201d")
    for found in _SPACED_MARKER.finditer(msgstr):
        if particle_chain(found[3]) is None and particle_prefix(found[3]) is None:
            continue
        word = msgstr[:found.end(1)].split()[-1]
        problems.append(f"the citation marker {found[2]} stands apart from the word its particle follows: "
                        f"write \u201c{word}{found[2]}{found[3]}\u201d, not \u201c{word} {found[2]}{found[3]}\u201d")
    return problems


@check("ko-spacing", Severity.WARNING,
       "Korean spacing across placeholders and markers: no space between a word and its particle (<b>철분</b>을), "
       "a citation marker before a particle attached to its word (페리틴[1]은)", per_article=True)
def check_ko_spacing(ctx: ArticleContext) -> Iterator[Finding]:
    """Spaces that split a particle from its word across a placeholder or marker."""
    for cat, entry, _msgid, msgstr in ctx.translations_in("ko"):
        for problem in spacing_problems(msgstr):
            yield cat.finding("ko-spacing", problem, entry=entry)
