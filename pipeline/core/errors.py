"""The pipeline's exceptions and the one exit-code table every command shares."""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    """Process exit codes, shared by every ``l10n`` command (documented in the README)."""

    OK = 0
    FINDINGS = 1        #: ``check`` found problems at error level
    BAD_INPUT = 2       #: usage, configuration or input that could not be read
    INTERNAL = 3        #: an unforeseen error (a bug): the message names the file being processed
    LOCKED = 4          #: another sync holds the project lock
    INTERRUPTED = 130   #: Ctrl-C


class PipelineError(Exception):
    """Base of every error the pipeline raises on purpose; carries its exit code and location."""

    exit_code: ExitCode = ExitCode.BAD_INPUT

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None,
                 hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.hint = hint
        self.details: str | None = None   #: a traceback, for --debug

    @property
    def location(self) -> str:
        """``file:line`` (or ``file``, or empty) where the problem is."""
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line else self.path

    def format_message(self) -> str:
        """One line for people: ``file:line: message (hint)``."""
        where = self.location
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text += f" ({self.hint})"
        return text

    def __str__(self) -> str:
        return self.format_message()


class ConfigError(PipelineError):
    """``l10n.yaml`` is missing, unreadable or invalid."""


class SourceError(PipelineError):
    """A source article cannot be read or parsed safely."""


class ParseError(PipelineError):
    """A PO/POT file cannot be parsed."""


class LocaleError(PipelineError):
    """A locale code that babel does not know, or that is malformed."""


class WriteError(PipelineError):
    """A file could not be written, or changed on disk while the run was working on it."""


class UsageError(PipelineError):
    """The command line asks for something refused: an output path over the project's own files, say."""


class LockError(PipelineError):
    """Another process holds the project lock."""

    exit_code = ExitCode.LOCKED


class InputErrors(PipelineError):
    """Several inputs are bad; raised after all inputs were read, before anything is written."""

    def __init__(self, errors: list[PipelineError]) -> None:
        super().__init__(f"{len(errors)} bad input(s); nothing was written")
        self.errors = errors


class InternalError(PipelineError):
    """An unforeseen failure (a bug), wrapped with the file that was being processed."""

    exit_code = ExitCode.INTERNAL
