"""``l10n status --json``: the status data as JSON, and the JSON Schema it follows."""

from __future__ import annotations

import json
from typing import Any

from pipeline.text.reasons import FALLBACK_REASONS

_COUNTS = {
    "type": "object",
    "required": ["translated", "fuzzy", "untranslated", "total"],
    "additionalProperties": False,
    "properties": {name: {"type": "integer", "minimum": 0}
                   for name in ("translated", "fuzzy", "untranslated", "total")},
}
_REASONS = FALLBACK_REASONS
_FALLBACKS = {
    "type": "object",
    "required": ["total", "held_back", "by_reason"],
    "additionalProperties": False,
    "properties": {
        "total": {"type": "integer", "minimum": 0, "description": "units of the published page in English"},
        "held_back": {"type": "integer", "minimum": 0,
                      "description": "of those, units whose translation is wrong (citation, tag, number, "
                                     "disclaimer)"},
        "by_reason": {"type": "object", "required": list(_REASONS), "additionalProperties": False,
                      "properties": {r: {"type": "integer", "minimum": 0} for r in _REASONS}},
    },
}
_STATES = ("approved", "stale", "rejected", "unreviewed", "untranslated")
_REVIEW_COUNTS = {"type": "object", "required": list(_STATES), "additionalProperties": False,
                  "properties": {s: {"type": "integer", "minimum": 0} for s in _STATES},
                  "description": "units per review state (null: the locale's review is off)"}
_LOCALE_REVIEW = {"type": ["object", "null"], "required": ["mode", *_STATES], "additionalProperties": False,
                  "properties": {"mode": {"enum": ["required", "sections"]},
                                 **{s: {"type": "integer", "minimum": 0} for s in _STATES}},
                  "description": "the locale's review mode and its units per review state (null: review off)"}
_SHARE = {"type": "number", "minimum": 0, "maximum": 1, "description": "share of units translated"}
_NULLABLE_STRING = {"type": ["string", "null"]}

#: JSON Schema (draft 2020-12) of ``l10n status --json``, ``version`` 1.
STATUS_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "l10n status --json",
    "type": "object",
    "required": ["version", "tool", "project", "source_language", "locales", "articles", "orphans", "stale",
                 "pending_changes"],
    "additionalProperties": False,
    "properties": {
        "version": {"const": 1},
        "tool": {"type": "object", "required": ["name", "version"], "additionalProperties": False,
                 "properties": {"name": {"const": "l10n status"}, "version": {"type": "string"}}},
        "project": {"type": "string"},
        "source_language": {"type": "string"},
        "locales": {"type": "array", "items": {
            "type": "object",
            "required": ["locale", "bcp47", "name", "publish_threshold", "articles", "published", "units", "words",
                         "translated_share", "fallbacks", "unpublished", "review"],
            "additionalProperties": False,
            "properties": {
                "locale": {"type": "string", "description": "gettext code (pt_BR)"},
                "bcp47": {"type": "string", "description": "BCP 47 code (pt-BR)"},
                "name": {"type": "string"},
                "publish_threshold": {"type": "number", "minimum": 0, "maximum": 1},
                "articles": {"type": "integer", "minimum": 0},
                "published": {"type": "integer", "minimum": 0},
                "units": _COUNTS, "words": _COUNTS, "translated_share": _SHARE, "fallbacks": _FALLBACKS,
                "unpublished": {"type": "array", "items": {
                    "type": "object", "required": ["article", "reason"], "additionalProperties": False,
                    "properties": {"article": {"type": "string"}, "reason": {"type": "string"}}}},
                "review": _LOCALE_REVIEW,
            }}},
        "articles": {"type": "array", "items": {
            "type": "object", "required": ["slug", "title", "source", "english_changed_in_last_sync", "locales"],
            "additionalProperties": False,
            "properties": {
                "slug": {"type": "string"},
                "title": {**_NULLABLE_STRING, "description": "the source's <title> text"},
                "source": {"type": "string"},
                "english_changed_in_last_sync": {
                    "type": "boolean",
                    "description": "its English changed (its template was written, a new article included) in "
                                   "the last sync l10n-history.tsv records"},
                "locales": {"type": "array", "items": {
                    "type": "object",
                    "required": ["locale", "catalog", "output", "units", "words", "translated_share", "published",
                                 "reason", "fallbacks", "review", "went_fuzzy"],
                    "additionalProperties": False,
                    "properties": {
                        "locale": {"type": "string"},
                        "catalog": {"type": "string"},
                        "output": {**_NULLABLE_STRING, "description": "the published page (null: not published)"},
                        "units": _COUNTS, "words": _COUNTS, "translated_share": _SHARE,
                        "published": {"type": "boolean"},
                        "reason": {**_NULLABLE_STRING, "description": "why it is not published"},
                        "fallbacks": _FALLBACKS,
                        "review": {**_REVIEW_COUNTS, "type": ["object", "null"]},
                        "went_fuzzy": {
                            "type": "array",
                            "description": "units fuzzy since their English changed: the English now, and the "
                                           "English the translation was made for (#| msgid)",
                            "items": {"type": "object", "required": ["msgid", "previous"],
                                      "additionalProperties": False,
                                      "properties": {"msgid": {"type": "string"}, "previous": {"type": "string"}}}},
                    }}},
            }}},
        "orphans": {"type": "array", "items": {"type": "string"},
                    "description": "catalogs and templates whose source article is gone"},
        "stale": {"type": "array", "items": {"type": "string"}},
        "pending_changes": {"type": "integer", "minimum": 0,
                            "description": "files a sync would write or remove (0: up to date)"},
    },
}


def format_status_json(data: dict[str, Any]) -> str:
    """The status data (see :data:`STATUS_SCHEMA`) as indented JSON, ending with a newline."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
