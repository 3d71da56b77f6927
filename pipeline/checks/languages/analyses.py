"""The Korean analyser's answers, kept between runs of ``l10n check`` in ``.l10n-cache/ko-analyses.sqlite``.

Loading kiwipiepy's model takes seconds and hundreds of MB; what ``ko-particles`` asks of it is a pure
function of the text it hands over (a msgstr as read, with its citation markers and the source content of
its placeholders) and of the analyser installed. So each answer is kept by that text, in a database made
for one analyser identity (:func:`analyser_identity`: the installed files of kiwipiepy and its model, and
the options the check uses): a check of a project whose Korean translations did not change asks the
analyser nothing and never imports it.

They are kept as :mod:`pipeline.checks.kept` keeps answers (rebuilt when doubtful, never changing a finding);
an answer that does not decode is asked again and replaced.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from pipeline.checks.kept import KeptAnswers

SCHEMA = 2
FILE_NAME = "ko-analyses.sqlite"
#: How ``korean.analyser`` builds the analyser and asks it; part of the identity (change both together).
ANALYSER_OPTIONS = "Kiwi(load_typo_dict=False, load_multi_dict=False) tokenize(text)"
#: The analyser's answer for one text: (start offset, tag) of each token, in the analyser's order.
Tokens = tuple[tuple[int, str], ...]


@lru_cache(maxsize=1)
def analyser_identity() -> str | None:
    """What the analyser's answers depend on: the installed files of kiwipiepy and kiwipiepy_model (their
    ``RECORD``, which lists each file's hash) and the options the check uses; None when kiwipiepy is not
    installed as a distribution. Read from the packages' metadata: kiwipiepy is not imported."""
    from importlib import metadata

    digest = hashlib.blake2b(f"{SCHEMA}:{ANALYSER_OPTIONS}".encode(), digest_size=20)
    for name in ("kiwipiepy", "kiwipiepy_model"):
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            if name == "kiwipiepy":
                return None
            digest.update(b"no model package")
            continue
        digest.update(f"{name}={dist.version}\n".encode())
        digest.update((dist.read_text("RECORD") or "").encode())
    return digest.hexdigest()


def _decode(raw: str) -> Tokens | None:
    """A stored answer, or None when it is not one (then it is asked again)."""
    try:
        value = json.loads(raw)
        tokens = tuple((int(start), str(tag)) for start, tag in value)
    except (ValueError, TypeError):
        return None
    return tokens


def tokens(kept: KeptAnswers, text: str, analyse: Callable[[str], Tokens | None]) -> Tokens | None:
    """The analyser's tokens for ``text``: the kept answer, or ``analyse(text)`` (kept for the next run); None
    when there is no analyser."""
    raw = kept.get(text)
    if raw is not None:
        found = _decode(raw)
        if found is not None:
            return found
    found = analyse(text)
    if found is not None:
        kept.put(text, json.dumps([list(t) for t in found], ensure_ascii=False, separators=(",", ":")))
    return found


def open_analyses(folder: Path | None, identity: str) -> KeptAnswers:
    """The analyser's answers kept in ``folder`` (``.l10n-cache``) for this analyser."""
    return KeptAnswers.open(folder, FILE_NAME, identity)


class AnalyserToken(Protocol):
    """What is read of a kiwipiepy ``Token`` (the library has no type hints)."""

    @property
    def start(self) -> int: ...
    @property
    def tag(self) -> str: ...


def tokens_of(found: Sequence[AnalyserToken]) -> Tokens:
    """kiwipiepy tokens as the cache keeps them: (start, tag)."""
    return tuple((int(token.start), str(token.tag)) for token in found)
