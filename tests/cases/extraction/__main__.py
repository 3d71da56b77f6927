"""``python -m tests.cases.extraction NAME... [--init LANG] [--update]``: (re)write golden cases' expected files.

For each case, prints a diff of every expected file that changes, then writes it. ``--init LANG`` first
writes an untranslated ``LANG.po`` (from the case's source, as ``l10n update`` starts one) when the case has
none: fill in its msgstr, then run the command again. ``--update`` first merges the case's catalogs with its
edited source, as ``l10n update`` does (new units untranslated). Read each diff: a wrong expected file is a
defect.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from . import CASES, comparable, diff, languages, render, updated_catalog


def _write(path: Path, data: bytes, label: str) -> bool:
    """Write ``data`` to ``path`` unless it holds it already, printing the diff; whether it changed."""
    old = path.read_bytes() if path.exists() else None
    if old is not None and comparable(path.name, old) == comparable(path.name, data):
        return False
    sys.stdout.write(diff(label, old, data) or f"{label}: bytes changed\n")
    path.write_bytes(data)
    return True


def refresh(name: str, *, init: str | None = None, update: bool = False) -> bool:
    """Write the expected files of the case ``name``, printing a diff of each change; whether any changed."""
    case = CASES / name
    if not (case / "source.html").is_file():
        raise SystemExit(f"error: {case / 'source.html'} does not exist: write the case's source first")
    changed = False
    if init and not (case / f"{init}.po").exists():
        (case / f"{init}.po").write_bytes(updated_catalog(case, init))
        print(f"{name}: wrote {init}.po (untranslated): fill in its msgstr")
        changed = True
    if update:
        for lang in languages(case):
            changed |= _write(case / f"{lang}.po", updated_catalog(case, lang), f"{name}/{lang}.po")
    with tempfile.TemporaryDirectory(prefix="l10n-golden-") as tmp:
        files = render(case, Path(tmp))
    for file, data in files.items():
        changed |= _write(case / file, data, f"{name}/{file}")
    for stale in sorted(set(p.name for p in case.glob("expected.*")) - set(files)):
        (case / stale).unlink()
        print(f"{name}/{stale}: removed (no catalog for it)")
        changed = True
    if not changed:
        print(f"{name}: up to date")
    return changed


def main(argv: list[str] | None = None) -> int:
    """The command line: refresh each case named; exit 0."""
    parser = argparse.ArgumentParser(prog="python -m tests.cases.extraction", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="+", metavar="NAME", help="case folders under tests/cases/extraction/")
    parser.add_argument("--init", metavar="LANG", help="start LANG.po for a case that has none")
    parser.add_argument("--update", action="store_true", help="merge the case's catalogs with its source first")
    args = parser.parse_args(argv)
    for name in args.names:
        refresh(name.rstrip("/").split("/")[-1], init=args.init, update=args.update)
    return 0


if __name__ == "__main__":
    sys.exit(main())
