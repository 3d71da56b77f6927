"""Profile one sync with cProfile: a cold one (translated catalogs, no templates, no outputs) or one after
editing 5% of all paragraphs of a synced corpus (``--scenario edit``), on either corpus shape.

    python bench/profile_sync.py --articles 200 --out bench/profiles/cold-sync-before.txt
    python bench/profile_sync.py --scenario edit --shape small --out bench/profiles/edit-small.txt

Writes the top entries by cumulative and by total (own) time, with the corpus, the pipeline's version and
the machine named at the top. The corpus is the benchmark's (``bench/corpus.py``), in ``bench/out/profile``.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import pstats
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402
from run import BENCH, export_pipeline  # noqa: E402


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--locales", default="ko,ja")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--scenario", choices=("cold", "edit"), default="cold")
    parser.add_argument("--shape", choices=tuple(corpus.SHAPES), default="long")
    parser.add_argument("--pipeline-rev", metavar="REV", help="profile this revision's pipeline/ (exported)")
    parser.add_argument("--work", type=Path, default=BENCH / "out" / "profile")
    parser.add_argument("--out", type=Path, default=BENCH / "profiles" / "cold-sync.txt")
    args = parser.parse_args(argv)
    locales = [c for c in args.locales.split(",") if c]
    args.work.mkdir(parents=True, exist_ok=True)
    root, version = export_pipeline(args.pipeline_rev, args.work)
    project = args.work / "corpus"
    corpus.write_project(project, articles=args.articles, locales=locales, seed=args.seed, pipeline_root=root,
                         shape=args.shape)
    sync = [sys.executable, "-m", "pipeline", "--config", str(project / "l10n.yaml"), "-q", "sync", "--jobs", "1"]
    if args.scenario == "cold":
        shutil.rmtree(project / "locales" / "templates")
        shutil.rmtree(project / "output", ignore_errors=True)
        described = "one cold sync"
    else:
        subprocess.run(sync, check=True, env=corpus.pipeline_env(root), cwd=project)
        edited, total, slugs = corpus.edit_paragraphs(project / "source_articles", 0.05, seed=args.seed)
        described = f"one sync after editing {edited} of {total} paragraphs (in {len(slugs)} articles)"
    stats_path = args.work / f"{args.scenario}-sync.prof"
    cmd = [sys.executable, "-m", "cProfile", "-o", str(stats_path), *sync[1:]]  # --jobs 1: the profile sees all
    start = time.perf_counter()
    subprocess.run(cmd, check=True, env=corpus.pipeline_env(root), cwd=project)
    wall = time.perf_counter() - start

    buffer = io.StringIO()
    stats = pstats.Stats(str(stats_path), stream=buffer)
    views = (("cumulative", "cumulative time", ()), ("tottime", "total (own) time", ()),
             ("cumulative", "cumulative time, the pipeline's own functions only", (r"/pipeline/(?:\w+/)*\w+\.py",)))
    for key, title, restrictions in views:
        buffer.write(f"\n==== top {args.top} by {title} ====\n")
        stats.sort_stats(key).print_stats(*restrictions, args.top)
    text = buffer.getvalue()
    for prefix, short in ((str(root) + os.sep, ""), (sysconfig.get_paths()["purelib"] + os.sep, "site-packages/"),
                          (sysconfig.get_paths()["platlib"] + os.sep, "site-packages/"),
                          (sysconfig.get_paths()["stdlib"] + os.sep, "stdlib/")):
        text = text.replace(prefix, short)
    header = (f"cProfile of {described}: {args.articles} {args.shape} articles x {','.join(locales)} "
              f"(seed {args.seed})" + (", translated catalogs present, no templates, no outputs" if
                                        args.scenario == "cold" else "") + ".\n"
              f"pipeline: {version}\n"
              f"machine: {len(os.sched_getaffinity(0))} CPUs, {cpu_model()}, Python {platform.python_version()}\n"
              f"wall time under cProfile: {wall:.1f} s (the profiler adds overhead)\n"
              f"command: python bench/profile_sync.py --scenario {args.scenario} --shape {args.shape} "
              f"--articles {args.articles} --locales {args.locales}"
              + (f" --pipeline-rev {args.pipeline_rev}" if args.pipeline_rev else "") + "\n")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(header + text)
    print(f"wrote {args.out} ({wall:.1f} s under cProfile)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
