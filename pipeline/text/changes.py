"""What changed for a reader's safety between two versions of an English unit.

When a unit's source changes and its old translation is carried over as fuzzy, a translator who only
clears the fuzzy flag publishes the old meaning. For most edits that is a wording slip; for a changed dose
(``10 mg`` -> ``15 mg``) or a negation added or dropped (``take`` -> ``do not take``) it is a danger. The
merge writes a ``#. safety: ...`` line on such entries (see :func:`safety_note`), and ``l10n check``
reports a finished entry that still carries it while its numbers disagree with the new source.

Numbers are compared as :mod:`pipeline.text.quantities` reads them (values and units, ranges by their ends);
negations as the English words and phrases in :data:`NEGATIONS`, counted.
"""

from __future__ import annotations

import re
from collections import Counter

from pipeline.text.quantities import source_quantities

#: English words and phrases that turn an instruction around; a change in how often one occurs is a change
#: of meaning (``do not`` is counted once, not also as ``not``).
NEGATIONS = ("do not", "does not", "don't", "doesn't", "cannot", "can't", "should not", "shouldn't",
             "must not", "mustn't", "not", "never", "no", "avoid", "without", "stop")
_NEGATION = re.compile(r"(?<![\w'])(" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in NEGATIONS)
                       + r")(?![\w'])", re.IGNORECASE)
#: The start of the comment line the merge writes; the check and the next merge recognise it by it.
SAFETY_PREFIX = "safety:"
_ADVICE = "re-translate, do not just clear fuzzy"


def _negations(text: str) -> Counter[str]:
    return Counter(" ".join(m.group(1).lower().split()) for m in _NEGATION.finditer(text))


def _quantities(text: str, source_locale: str) -> list[tuple[str, tuple[object, ...]]]:
    return [(q.text, (min(q.values), q.unit or "")) for q in source_quantities(text, source_locale)]


def safety_changes(old: str, new: str, *, source_locale: str = "en") -> list[str]:
    """The changes from ``old`` to ``new`` English text that matter for safety, each as a few words:
    ``10 mg -> 15 mg``, ``38°C removed``, ``2 added``, ``"not" added``, ``"avoid" removed``."""
    before, after = _quantities(old, source_locale), _quantities(new, source_locale)
    changes: list[str] = []
    if sorted(v for _, v in before) != sorted(v for _, v in after):
        after_values = Counter(v for _, v in after)
        before_values = Counter(v for _, v in before)
        gone = [text for text, v in before if not _take(after_values, v)]
        came = [text for text, v in after if not _take(before_values, v)]
        for index in range(max(len(gone), len(came))):
            if index < len(gone) and index < len(came):
                changes.append(f"{gone[index]} -> {came[index]}")
            elif index < len(gone):
                changes.append(f"{gone[index]} removed")
            else:
                changes.append(f"{came[index]} added")
    old_neg, new_neg = _negations(old), _negations(new)
    for word in sorted(set(old_neg) | set(new_neg)):
        if new_neg[word] > old_neg[word]:
            changes.append(f'"{word}" added')
        elif new_neg[word] < old_neg[word]:
            changes.append(f'"{word}" removed')
    return changes


def _take(pool: Counter[tuple[object, ...]], value: tuple[object, ...]) -> bool:
    if pool[value] > 0:
        pool[value] -= 1
        return True
    return False


def safety_note(old: str, new: str, *, source_locale: str = "en") -> str | None:
    """The ``#.`` line for a translation carried from ``old`` to ``new`` English, or None if nothing that
    matters for safety changed: ``safety: 10 mg -> 15 mg changed; re-translate, do not just clear fuzzy``."""
    changes = safety_changes(old, new, source_locale=source_locale)
    if not changes:
        return None
    return f"{SAFETY_PREFIX} {', '.join(changes)} changed; {_ADVICE}"


def is_safety_line(line: str) -> bool:
    """Whether a ``#.`` comment line is one :func:`safety_note` wrote."""
    return line.startswith(SAFETY_PREFIX + " ") and line.endswith(_ADVICE)
