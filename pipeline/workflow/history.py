"""Progress over time: ``l10n-history.tsv``, one line per sync that changed something and per locale.

The file is meant to be committed with the catalogs: tab-separated, a header line, lines only ever appended,
so a diff shows one new line per locale and sync. A sync that changes no file appends nothing (so a second
sync with nothing changed still writes nothing); the date honours ``SOURCE_DATE_EPOCH``.

The last column, ``english_changed``, names the articles whose English changed in that sync (their template
was written: a new article counts), sorted and comma-separated, ``-`` for none; the same on every locale line
of a sync. A file written before that column existed (:data:`OLD_COLUMNS`) still reads (the column is then
empty), and the next sync rewrites only its header line: the old lines stay as they are.
"""

from __future__ import annotations

import os
import subprocess
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pipeline.core.files import stage_file
from pipeline.workflow.changes import Change, digest, read_bytes
from pipeline.workflow.project import Project
from pipeline.workflow.sync import RunResult

#: The history file, at the project root (beside ``l10n.yaml``).
HISTORY_FILE = "l10n-history.tsv"
#: Its columns, in order (the header line).
COLUMNS = ("date", "commit", "locale", "articles", "published", "units_translated", "units_fuzzy",
           "units_untranslated", "words_translated", "words_fuzzy", "words_untranslated", "english_changed")
#: The columns before ``english_changed`` was added: such a file still reads, and is appended to.
OLD_COLUMNS = COLUMNS[:-1]
_NUMBERS = OLD_COLUMNS[3:]
#: How ``english_changed`` says no article's English changed.
_NONE = "-"


def history_path(project: Project) -> Path:
    """Where the project's history is kept."""
    return project.config.root / HISTORY_FILE


def sync_date() -> str:
    """The time of this sync, to the minute, UTC (``2026-03-05T09:30Z``), honouring ``SOURCE_DATE_EPOCH``."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (datetime.fromtimestamp(int(epoch), tz=timezone.utc) if epoch and epoch.strip().isdigit()
              else datetime.now(timezone.utc))
    return moment.strftime("%Y-%m-%dT%H:%MZ")


def git_commit(root: Path) -> str:
    """The commit checked out where the project is a git repository (12 hex digits), else ``-``."""
    try:
        done = subprocess.run(["git", "-C", str(root), "rev-parse", "--verify", "--quiet", "HEAD"],
                              capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return "-"
    commit = done.stdout.strip()
    return commit[:12] if done.returncode == 0 and commit else "-"


def english_changed(result: RunResult) -> list[str]:
    """The slugs (sorted) of the articles whose English a run changed: those whose template it writes."""
    return sorted({Path(change.target).stem for change in result.changes
                   if change.kind == "template" and not change.remove})


def history_lines(result: RunResult, *, date: str, commit: str) -> list[str]:
    """The lines a run appends: one per locale it covered."""
    changed = ",".join(english_changed(result)) or _NONE
    lines = []
    for code, summary in result.summaries.items():
        st = summary.stats
        values = (date, commit, code, summary.articles, summary.published, st.translated, st.fuzzy,
                  st.untranslated, st.words_translated, st.words_fuzzy, st.words_untranslated, changed)
        lines.append("\t".join(str(value) for value in values))
    return lines


def history_change(project: Project, result: RunResult, *, stage: bool) -> Change | None:
    """The history file with this run's lines appended, as a change (staged beside it with ``stage``);
    None when the run changes no file, or covers no locale."""
    if not result.changes or not result.summaries:
        return None
    path = history_path(project)
    current = read_bytes(path)
    text = current.decode("utf-8", errors="replace") if current else ""
    if not text:
        text = "\t".join(COLUMNS) + "\n"
    elif not text.endswith("\n"):
        text += "\n"
    head, newline, rest = text.partition("\n")
    if head.rstrip("\r") == "\t".join(OLD_COLUMNS):     # a file from before english_changed: its header only
        text = "\t".join(COLUMNS) + newline + rest
    lines = history_lines(result, date=sync_date(), commit=git_commit(project.config.root))
    data = (text + "".join(line + "\n" for line in lines)).encode("utf-8")
    return Change(path, "history", durable=True, expected=digest(current), new=digest(data),
                  staged=stage_file(path, data, durable=True) if stage else None)


def read_history(project: Project) -> list[dict[str, Any]]:
    """The history's lines as records (numbers as ints, ``english_changed`` a list of slugs), oldest first;
    lines it cannot read are skipped."""
    data = read_bytes(history_path(project))
    if not data:
        return []
    rows = data.decode("utf-8", errors="replace").splitlines()
    header = rows[0].split("\t") if rows else []
    records = []
    for line in rows[1:]:
        record = dict(zip(header, line.split("\t")))
        if not all(column in record for column in OLD_COLUMNS):
            continue
        try:
            numbers = {c: int(record[c]) for c in _NUMBERS}
        except ValueError:
            continue
        changed = record.get("english_changed", _NONE).strip()
        slugs = [] if changed in ("", _NONE) else [slug for slug in changed.split(",") if slug]
        records.append({**{c: record[c] for c in COLUMNS[:3]}, **numbers, "english_changed": slugs})
    return records
