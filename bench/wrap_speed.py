"""Time ``format_po`` (gettext's line wrapping, mostly) over real catalogs: parse once, format many times.

    python bench/wrap_speed.py                                # the benchmark corpus, else locales/**/*.po
    python bench/wrap_speed.py --files 'locales/ko/*.po'
    python bench/wrap_speed.py --module /tmp/old/pofile.py    # an older pofile.py, to compare

Each repetition starts cold: the module's caches (``functools.lru_cache``) are cleared first, as in a fresh
``l10n sync`` process. Prints the best of ``--repeat`` runs (``time.perf_counter``).
"""

from __future__ import annotations

import argparse
import glob
import importlib.util
import sys
import time
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = "bench/out/now/synced/locales/*/*.po*"  # ko, ja and the templates that bench/run.py leaves


def load_module(path: Path | None) -> ModuleType:
    """pipeline.po.files, or the pofile.py at ``path`` loaded under another name."""
    if path is None:
        from pipeline.po import files
        return files
    spec = importlib.util.spec_from_file_location("pofile_under_test", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def clear_caches(module: ModuleType) -> None:
    """Forget everything the module's lru_caches remember, and those of the line breaker it wraps with."""
    from pipeline.po import linebreak
    for each in (module, linebreak):
        for value in vars(each).values():
            if not isinstance(value, type) and callable(getattr(value, "cache_clear", None)):
                value.cache_clear()


def main(argv: list[str] | None = None) -> int:
    """Parse the files, then time formatting them all; print files, entries, seconds, ms per catalog."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", metavar="GLOB", help=f"default: {CORPUS} if present, else locales/**/*.po")
    parser.add_argument("--module", type=Path, help="time this pofile.py instead of pipeline/po/files.py")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    pattern = args.files or (CORPUS if glob.glob(str(ROOT / CORPUS)) else "locales/**/*.po")
    paths = sorted(glob.glob(pattern if Path(pattern).is_absolute() else str(ROOT / pattern), recursive=True))
    if not paths:
        parser.error(f"no files match {pattern}")
    module = load_module(args.module)
    catalogs = [module.parse_po(Path(path).read_bytes(), path=path) for path in paths]
    entries = sum(len(po) for po in catalogs)
    times = []
    for _ in range(args.repeat):
        clear_caches(module)
        start = time.perf_counter()
        for po in catalogs:
            module.format_po(po)
        times.append(time.perf_counter() - start)
    best = min(times)
    print(f"files {len(paths)}  entries {entries}  seconds {best:.3f}  ms/catalog {1000 * best / len(paths):.2f}"
          f"  (best of {args.repeat}: {', '.join(f'{t:.3f}' for t in times)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
