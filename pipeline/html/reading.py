"""A source's segmentation as the checks need it (:class:`SlotInfo`), in a form that outlives its tree.

``extract.collect_slots`` gives slots bound to the nodes of one parsed tree. What the checks ask of them (each
slot's kind, context, encoded run and unit key, and the runs in a foreign script) is plain data: a sync keeps it
(:func:`encode_reading`, by the source's content hash) and a check of the same bytes, under the same code and
configuration, reads it back (:func:`decode_reading`) instead of segmenting the source again.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.core.model import Key, Placeholder
from pipeline.html.extract import ForeignRun, Slot
from pipeline.text.placeholders import EncodedRun


@dataclass(frozen=True, slots=True)
class SlotInfo:
    """What the checks need of one translation slot of a source."""

    kind: str                           #: as ``segment.Slot.kind``
    context: str | None
    run: EncodedRun                     #: msgid, placeholders, markers, literals
    unit: Key | None                    #: the catalog key of its unit (None for a date)
    in_disclaimer: bool


def slot_infos(segments: Sequence[Slot]) -> list[SlotInfo]:
    """What the checks need of each slot of a source."""
    return [SlotInfo(slot.kind, slot.context, slot.run, slot.key(), slot.disclaimer is not None) for slot in segments]


#: Version of :func:`encode_reading`'s format (the cache's fingerprint covers the code as well).
_READING_FORMAT = 1


def encode_reading(segments: Sequence[Slot], foreign: Sequence[ForeignRun]) -> bytes:
    """What the checks need of a source's segmentation (:func:`slot_infos` and its foreign-script runs) as
    compressed JSON, which :func:`decode_reading` reads back: a sync keeps it by the source's content hash,
    so that a check of the same bytes need not segment them again."""
    rows = []
    for slot in segments:
        run = slot.run
        key = slot.key()
        rows.append([slot.kind, slot.context, run.msgid,
                     [[p.name, p.void, p.tag, p.description] for p in run.placeholders], run.markers,
                     sorted(run.literals), None if key is None else key[1], slot.disclaimer is not None])
    data = [_READING_FORMAT, rows, [[run.line, list(run.scripts), run.text] for run in foreign]]
    return zlib.compress(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 1)


def decode_reading(data: bytes | None) -> tuple[list[SlotInfo], list[ForeignRun]] | None:
    """The slots and foreign runs :func:`encode_reading` kept; None when there are none or they do not decode
    (then the source is segmented again)."""
    if data is None:
        return None
    try:
        version, rows, foreign = json.loads(zlib.decompress(data))
        if version != _READING_FORMAT:
            return None
        slots = [SlotInfo(kind, context, EncodedRun(msgid, [Placeholder(*p) for p in placeholders],
                                                    markers=markers, literals=frozenset(literals)),
                          None if unit is None else (context, unit), in_disclaimer)
                 for kind, context, msgid, placeholders, markers, literals, unit, in_disclaimer in rows]
        return slots, [ForeignRun(line, tuple(scripts), text) for line, scripts, text in foreign]
    except (ValueError, TypeError, zlib.error):
        return None
