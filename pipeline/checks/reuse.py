"""What ``l10n check`` keeps of each article for the next run: how reading its files went, the findings of the
per-article checks and what the gatherers collected, in ``.l10n-cache/article-reports.sqlite``.

An article's report is kept (as JSON, in a :class:`~pipeline.checks.kept.KeptAnswers` store made for the
pipeline's code and ``l10n.yaml``) under two digests that together name everything the per-article checks and
the gatherers can see:

- the run's ``scope`` (:func:`scope_digest`): the checks that run in the workers (and which functions they
  are), their settings with the command line's thresholds and the glossary (and its file's bytes), the
  locales in scope, the project's place, the versions of Python and of the libraries that parse and count,
  and each check's own ``identity`` (the Korean analyser's);
- the article's ``inputs`` (:func:`inputs_digest`): the bytes of its source, template, catalog in each locale
  and output in each locale (absent files too), and, when a check in scope reads the plans, what the plans
  say of this article (``ProjectContext.plan_digest``: the plan may change because of other articles,
  through the translation memory).

A report is found by the article and the scope, and used only when its inputs digest is the one of the
files now: the store then holds one report per article and scope. Anything that does not decode is read and
checked again (and replaced); a file that cannot be read, an error or gathered value that JSON cannot carry
exactly, or a check whose identity is unknown, and nothing is kept.
"""

from __future__ import annotations

import dataclasses
import json
import re
import sys
from collections.abc import Mapping, Sequence
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.checks.context import ProjectContext
from pipeline.checks.inputs import ArticleFiles, FileState
from pipeline.checks.kept import KeptAnswers
from pipeline.checks.kinds import ArticleCheck, ProjectCheck
from pipeline.checks.registry import Check
from pipeline.core.errors import (
    ConfigError,
    LocaleError,
    ParseError,
    PipelineError,
    SourceError,
    UsageError,
    WriteError,
)
from pipeline.core.files import content_digest
from pipeline.core.model import Finding, Severity

SCHEMA = 1
FILE_NAME = "article-reports.sqlite"
#: The errors a file's reading may give that a kept report can carry (their fields are message, path, line, hint).
_ERRORS: dict[str, type[PipelineError]] = {cls.__name__: cls for cls in
                                           (PipelineError, ConfigError, SourceError, ParseError, LocaleError,
                                            WriteError, UsageError)}
_ERROR_FIELDS = frozenset({"message", "path", "line", "hint", "details"})
#: A repr that names an object by its address: not the same in the next run.
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


class NotKept(Exception):
    """What an article's report holds, or what it depends on, cannot be kept exactly."""


#: A decoded report: file states, findings by check, gathered data by check.
Report = tuple[list[FileState], dict[str, list[Finding]], dict[str, Any]]


def open_reports(ctx: ProjectContext) -> KeptAnswers | None:
    """The reports kept for the project's code and configuration; None when the run keeps nothing."""
    if ctx.cache_dir is None or not ctx.fingerprint:
        return None
    return KeptAnswers.open(ctx.cache_dir, FILE_NAME, f"{SCHEMA}:{ctx.fingerprint}")


@lru_cache(maxsize=1)
def _libraries() -> str:
    """The versions of Python and of the libraries whose parsing and counting the findings follow (each module's
    own ``__version__``: a check has imported them already, and reading the installed metadata costs more)."""
    import babel
    import lxml
    import rapidfuzz

    from pipeline.po.files import POLIB_VERSION

    versions = [sys.version, f"polib={POLIB_VERSION}"]
    for name, module in (("lxml", lxml), ("babel", babel), ("rapidfuzz", rapidfuzz)):
        versions.append(f"{name}={getattr(module, '__version__', 'unknown')}")
    return "\n".join(versions)


def _function_name(function: Any) -> str:
    return f"{getattr(function, '__module__', '?')}.{getattr(function, '__qualname__', repr(function))}"


def scope_digest(ctx: ProjectContext, checks: Sequence[Check]) -> str:
    """What every article's report of this run depends on besides its own files and plan (see the module);
    NotKept when a part of it cannot be told."""
    parts: list[object] = [SCHEMA, ctx.fingerprint, _libraries(), str(ctx.config.root), str(ctx.config.path)]
    for spec in checks:
        functions: list[Any] = []
        if isinstance(spec, ArticleCheck):
            functions += [spec.function, spec.prepare]
            if spec.identity is not None:
                identity = spec.identity()
                if identity is None:
                    raise NotKept(f"check {spec.id!r} cannot tell what its findings depend on")
                parts.append((spec.id, "identity", identity))
        elif isinstance(spec, ProjectCheck):
            functions += [spec.function, spec.gather]
        parts.append((spec.id, type(spec).__name__, [_function_name(f) for f in functions if f is not None]))
    parts.append(_canonical(ctx.settings))
    parts.append([_canonical(locale) for locale in ctx.locales])
    glossary = ctx.config.glossary
    if isinstance(glossary, str):
        parts.append(("glossary file", _file_digest(ctx.config.root / glossary)))
    text = repr(parts)
    if _ADDRESS.search(text):
        raise NotKept("a setting has no stable text")
    return content_digest(text.encode("utf-8"))


def _canonical(value: Any) -> Any:
    """A value as text that is the same in every run: dataclasses field by field, sets sorted (their order
    follows the string hashes of the process), mappings and sequences in their order."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, [(f.name, _canonical(getattr(value, f.name)))
                                       for f in dataclasses.fields(value)])
    if isinstance(value, (set, frozenset)):
        return ("set", sorted(repr(_canonical(v)) for v in value))
    if isinstance(value, Mapping):
        return ("map", [(_canonical(k), _canonical(v)) for k, v in value.items()])
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, Enum):
        return (type(value).__name__, value.value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return repr(value)


def inputs_digest(ctx: ProjectContext, files: ArticleFiles, plan: str | None) -> str:
    """The digest of an article's files (source, template, catalogs, outputs: their bytes, or that they are
    absent) and of what the plans say of it (``plan``, None when no check in scope reads them); NotKept when
    a file cannot be read."""
    parts: list[str] = [files.source.slug, plan or "-"]
    for rel, path in [(files.source.rel, files.source.path), (files.template.rel, files.template.path),
                      *((cat.rel, cat.path) for cat in files.catalogs)]:
        parts += [rel, str(path), _file_digest(path)]
    for cat in files.catalogs:
        assert cat.locale is not None
        output = ctx.layout.output_path(cat.locale.info.bcp47, cat.slug)
        parts += [str(output), _file_digest(output)]
    return content_digest("\n".join(parts).encode("utf-8"))


def _file_digest(path: Path) -> str:
    try:
        return content_digest(path.read_bytes())
    except FileNotFoundError:
        return "absent"
    except OSError as exc:          # read as an error by the checks: read again each time
        raise NotKept(f"{path}: {exc}") from None


def row_key(files: ArticleFiles, scope: str) -> str:
    """Where an article's report for a scope is kept."""
    return f"{files.source.slug}\n{scope}"


# ---- the report as JSON ---------------------------------------------------------------------------------------
def encode(inputs: str, states: Sequence[FileState], findings: dict[str, list[Finding]],
           gathered: dict[str, Any]) -> str:
    """A report as kept, with the inputs digest it was made from; NotKept when JSON cannot carry it exactly."""
    data = {"inputs": inputs,
            "states": [[state.exists, _error(state.error)] for state in states],
            "findings": {check_id: [[f.severity.value, f.message, f.path, f.line, f.locale, f.article]
                                    for f in items] for check_id, items in findings.items()},
            "gathered": {check_id: _value(value) for check_id, value in gathered.items()}}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:      # a lone surrogate: SQLite takes UTF-8 only, so escape it
        text = json.dumps(data, separators=(",", ":"))
    return text


def decode(raw: str | None, inputs: str) -> Report | None:
    """A kept report made from these inputs; None when there is none, it was made from others, or it does
    not decode (then the article is read again)."""
    if raw is None:
        return None
    try:
        data = json.loads(raw)
        if data["inputs"] != inputs:
            return None
        states = [FileState(_bool(exists), _error_back(error)) for exists, error in data["states"]]
        findings = {str(check_id): [_finding_back(str(check_id), item) for item in items]
                    for check_id, items in data["findings"].items()}
        gathered = {str(check_id): _value_back(value) for check_id, value in data["gathered"].items()}
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    return states, findings, gathered


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError("not a boolean")
    return value


def _optional(value: Any, kind: type) -> Any:
    if value is not None and (not isinstance(value, kind) or isinstance(value, bool)):
        raise TypeError(f"not a {kind.__name__}")
    return value


def _error(error: PipelineError | None) -> dict[str, Any] | None:
    if error is None:
        return None
    if _ERRORS.get(type(error).__name__) is not type(error) or not set(vars(error)) <= _ERROR_FIELDS:
        raise NotKept(f"an error of type {type(error).__name__}")
    return {"type": type(error).__name__, "message": error.message, "path": error.path, "line": error.line,
            "hint": error.hint}


def _error_back(data: Any) -> PipelineError | None:
    if data is None:
        return None
    cls = _ERRORS[data["type"]]
    return cls(_optional(data["message"], str), path=_optional(data["path"], str),
               line=_optional(data["line"], int), hint=_optional(data["hint"], str))


def _finding_back(check_id: str, item: Any) -> Finding:
    severity, message, path, line, locale, article = item
    if not isinstance(message, str):
        raise TypeError("a message is text")
    return Finding(check_id, Severity(severity), message, _optional(path, str), _optional(line, int),
                   _optional(locale, str), _optional(article, str))


def _value(value: Any) -> Any:
    """A gathered value as JSON that tells lists, tuples and mappings apart; NotKept for anything else."""
    if value is None or type(value) in (bool, int, str):
        return value
    if type(value) is float:
        if value != value or value in (float("inf"), float("-inf")):
            raise NotKept("a float JSON cannot carry")
        return value
    if type(value) is list:
        return {"l": [_value(v) for v in value]}
    if type(value) is tuple:
        return {"t": [_value(v) for v in value]}
    if type(value) is dict and all(type(k) is str for k in value):
        return {"d": {k: _value(v) for k, v in value.items()}}
    raise NotKept(f"a gathered {type(value).__name__}")


def _value_back(data: Any) -> Any:
    if not isinstance(data, dict):
        return data
    (kind, items), = data.items()
    if kind == "l":
        return [_value_back(v) for v in items]
    if kind == "t":
        return tuple(_value_back(v) for v in items)
    if kind == "d":
        return {str(k): _value_back(v) for k, v in items.items()}
    raise ValueError(f"unknown kind {kind!r}")
