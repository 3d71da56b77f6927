"""The benchmark: the pipeline, its peers and the floor, measured side by side on one synthetic corpus.

    python bench/run.py                       # 1,000 articles x ko,ja, both shapes, peers when installed
    python bench/run.py --shape small         # only the many-small-articles corpus
    python bench/run.py --locales 10          # ten locales: the locale-scaling and peak-RSS targets
    python bench/run.py --smoke --skip-peers  # a tiny corpus, pipeline and floor only, a few seconds
    bash bench/setup-peers.sh                 # installs the peers (Translate Toolkit in bench/.peers, po4a)

Every scenario runs as a child process. Wall time is measured around it; CPU is the child's user + sys
(``os.wait4``, which includes every process it waited for); peak RSS is the peak of the RSS of its whole
process tree summed, sampled every 20 ms (so a ``--jobs N`` pool counts all its workers together), or the
child's ``ru_maxrss`` where that is higher and meaningful (``measure.run_measured``). Each scenario is
repeated ``--repeat`` times while its runs stay under ``--repeat-budget`` seconds; the table shows medians (peak RSS: the maximum) and ``n``.
With ``--rounds N`` the whole sequence (pipeline, floor, peers) runs N times and a ratio is the median of the
rounds' ratios (``measure.paired_ratio``): on a machine that drifts, the two sides of a ratio run minutes apart
otherwise.
Every scenario and every peer has its output checked before its time is counted: a failed check is
shown in the table and the time is left out of every ratio.

Each corpus shape (``--shape``: ``long``, about 53 units and 1,000 words an article, and ``small``, 150-300
words and about 8 KB of HTML; default both) is its own run in ``<out>/<shape>/``, with its own peers and floor.
Results: a table and verdicts per shape on stdout, ``<out>/<shape>/results.json`` and ``<out>/results.json``
(every shape; default ``bench/out/``, gitignored), rewritten after each phase (``"partial": true`` until the
end), so a long run leaves a record.

Beside this file: ``corpus.py`` (the seeded corpus, fake translations, edits), ``measure.py`` (measuring a
child process, scenario records, snapshots), ``peers.py`` (the peer tools), ``profile_sync.py`` (cProfile
of one cold sync).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402  (bench/*.py, beside this file)
from measure import (  # noqa: E402
    MB,
    Run,
    Scenario,
    changed_files,
    copy_state,
    count_files,
    elsewhere_note,
    markdown_table,
    paired_ratio,
    record_check,
    run_measured,
    snapshot,
    split_watched,
    tree_digest,
)
from peers import PEERS_BIN, combine_peers, run_peers  # noqa: E402

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
#: The pipeline's incremental-sync cache: a cold sync starts without it.
CACHE_DIRS = (".l10n-cache",)
#: ``--locales N`` takes the first N of these (gettext codes; plain plurals, the fake translation's scripts).
LOCALE_POOL = ("ko", "ja", "fr", "de", "es", "pt_BR", "it", "nl", "vi", "sv", "id", "da")
SHAPES = ("long", "small")
#: Runs of the start-up scenarios (each a fraction of a second): their median counts.
STARTUP_RUNS = 7


def bcp47(code: str) -> str:
    """Gettext locale spelling -> BCP 47 (``pt_BR`` -> ``pt-BR``), as output folders are named."""
    return code.replace("_", "-")


# ---- the benchmark ---------------------------------------------------------------------------------

class Bench:
    """One benchmark run: a corpus, its states, every scenario, the table."""

    def __init__(self, args: argparse.Namespace, shape: str, pipeline: tuple[Path, str]) -> None:
        self.args = args
        self.shape = shape
        self.n = args.articles
        self.locales = args.locales
        self.out: Path = args.out.resolve() / shape
        self.pristine = self.out / "corpus"          # sources + translated catalogs + templates
        self.work = self.out / "work"                # where each scenario runs
        self.synced = self.out / "synced"            # after a cold sync: the baseline of the others
        self.peers = self.out / "peers"
        self.python = args.python
        self.pipeline_root, self.pipeline_version = pipeline
        self.env = corpus.pipeline_env(self.pipeline_root)
        self.scenarios: list[Scenario] = []
        self.results: dict[str, Any] = {}
        self.notes: list[str] = []
        self.skipped: list[str] = []
        self.features: dict[str, object] = {}
        self.round = 0                               # the round being run (``--rounds``), from 0

    # -- helpers --
    def say(self, message: str) -> None:
        print(message, flush=True)

    def l10n(self, *argv: str) -> list[str]:
        return [self.python, "-m", "pipeline", "--config", str(self.work / "l10n.yaml"), *argv]

    def add(self, scenario: Scenario) -> Scenario:
        """The table's row for ``scenario``: the one of an earlier round with its id, else ``scenario``, added."""
        known = self.find(scenario.id)
        if known is not None:
            return known
        self.scenarios.append(scenario)
        return scenario

    def repeat(self, scenario: Scenario, prepare: Callable[[], Any], command: Callable[[], list[str]],
               check: Callable[[Run, Any], bool], *, exit_ok: tuple[int, ...] = (0,)) -> None:
        """Run ``prepare()`` then the command up to ``--repeat`` times (while under the budget).

        ``check(run, what prepare returned)`` checks each run's output; a run is counted only if it passes.
        """
        spent = 0.0
        for k in range(self.args.repeat):
            context = prepare()
            run = run_measured(command(), cwd=self.work, env=self.env, timeout=self.args.timeout)
            spent += run.wall
            if run.returncode not in exit_ok or run.timed_out:
                scenario.status = "failed"
                record_check(scenario, False, f"exit {run.returncode}{' (timed out)' if run.timed_out else ''}: "
                             f"{(run.stderr or run.stdout).strip()[-300:]}")
                return
            if not check(run, context):
                return
            scenario.measured(run.wall, run.cpu, run.rss, self.round)
            self.say(f"  {scenario.label}: run {k + 1}: {run.wall:.2f} s wall, {run.cpu:.2f} s CPU, "
                     f"{run.rss / MB:.0f} MB")
            if spent > self.args.repeat_budget:
                break

    # -- features the pipeline may not have yet --
    def detect_features(self) -> None:
        env, cwd = self.env, self.pristine
        base = [self.python, "-m", "pipeline", "--config", str(self.pristine / "l10n.yaml")]
        sync_help = subprocess.run(base + ["sync", "--help"], capture_output=True, text=True, env=env, cwd=cwd)
        self.features["jobs"] = sync_help.returncode == 0 and "--jobs" in sync_help.stdout
        check_help = subprocess.run(base + ["check", "--help"], capture_output=True, text=True, env=env,
                                    cwd=cwd)
        self.features["check"] = check_help.returncode == 0
        text = check_help.stdout if check_help.returncode == 0 else ""
        if "--list" in text:  # the check ids, when `check` can list them
            listed = subprocess.run(base + ["check", "--list"], capture_output=True, text=True, env=env, cwd=cwd)
            text += listed.stdout if listed.returncode == 0 else ""
        # How `check` leaves out its `stale` check, if it can: the first such option its --help offers.
        nostale = None
        if re.search(r"\bstale\b", text):
            for option in ("--skip", "--disable", "--exclude", "--ignore"):
                if re.search(rf"{option}\b", text):
                    nostale = [option, "stale"]
                    break
            if nostale is None and "--no-stale" in text:
                nostale = ["--no-stale"]
        self.features["check_without_stale"] = nostale
        self.features["cpus"] = len(os.sched_getaffinity(0))

    # -- corpus --
    def generate(self) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        counts = corpus.write_project(self.pristine, articles=self.n, locales=self.locales, seed=self.args.seed,
                                      python=self.python, pipeline_root=self.pipeline_root, shape=self.shape)
        self.corpus_info = {**counts, "seconds": round(time.perf_counter() - started, 1)}
        self.say(f"corpus ({self.shape}): {self.n} articles x {','.join(self.locales)} in {self.pristine} "
                 f"({counts['source_bytes'] / MB:.1f} MB of HTML, {counts['entries_filled']} entries translated, "
                 f"{self.corpus_info['seconds']} s)")

    # -- pipeline scenarios --
    def prepare_cold(self, *, catalogs: bool) -> None:
        copy_state(self.pristine, self.work)
        shutil.rmtree(self.work / "output", ignore_errors=True)
        for name in CACHE_DIRS:
            shutil.rmtree(self.work / name, ignore_errors=True)
        if catalogs:
            shutil.rmtree(self.work / "locales" / "templates", ignore_errors=True)
        else:
            shutil.rmtree(self.work / "locales", ignore_errors=True)

    def check_outputs(self, scenario: Scenario, *, translated: bool) -> bool:
        n, problems = self.n, []
        if count_files(self.work / "locales" / "templates", ".pot") != n:
            problems.append(f"{count_files(self.work / 'locales' / 'templates', '.pot')} templates, not {n}")
        for code in self.locales:
            if count_files(self.work / "locales" / code, ".po") != n:
                problems.append(f"{code}: {count_files(self.work / 'locales' / code, '.po')} catalogs")
            folder = self.work / "output" / bcp47(code)
            outputs = sorted(folder.glob("*.html")) if folder.is_dir() else []
            if len(outputs) != n:
                problems.append(f"{code}: {len(outputs)} outputs, not {n}")
            if translated:
                fallback = [p.name for p in outputs if b'lang="en"' in p.read_bytes()
                            or f'<html lang="{bcp47(code)}"'.encode() not in p.read_bytes()]
                if fallback:
                    problems.append(f"{code}: {len(fallback)} outputs not fully translated ({fallback[0]})")
        what = "fully translated" if translated else "in place"
        return record_check(scenario, not problems, "; ".join(problems) or
                            f"{n} templates, {n * len(self.locales)} catalogs and outputs {what}")

    def run_cold(self) -> None:
        jobs = self.features["jobs"]
        cold_new = self.add(Scenario("sync-cold-new", "sync, cold: no catalogs, no outputs", "pipeline"))
        self.repeat(cold_new, lambda: self.prepare_cold(catalogs=False), lambda: self.l10n("-q", "sync"),
                    lambda run, _: self.check_outputs(cold_new, translated=False))
        cold = self.add(Scenario("sync-cold", "sync, cold: translated catalogs, no templates or outputs",
                                 "pipeline", note="default --jobs" if jobs else "one process (no --jobs yet)"))
        self.repeat(cold, lambda: self.prepare_cold(catalogs=True), lambda: self.l10n("-q", "sync"),
                    lambda run, _: self.check_outputs(cold, translated=True))
        if not cold.counted:
            return
        digest = tree_digest(self.work)
        cold.extra["digest"] = digest
        copy_state(self.work, self.synced)
        one = self.add(Scenario("sync-cold-jobs1", "sync, cold, --jobs 1", "pipeline"))
        if not jobs:
            one.status = "not available"
            one.note = "`l10n sync` has no --jobs option yet"
            return

        def check_one(run: Run, _: object) -> bool:
            if not self.check_outputs(one, translated=True):
                return False
            same = tree_digest(self.work) == digest
            one.extra["identical_to_default_jobs"] = same
            return record_check(one, same, one.check + ("; byte-identical to the default --jobs" if same else
                                                        "; NOT byte-identical to the default --jobs"))

        self.repeat(one, lambda: self.prepare_cold(catalogs=True), lambda: self.l10n("-q", "sync", "--jobs", "1"),
                    check_one)

    def run_fewer_locales(self, count: int) -> None:
        """A cold sync of the first ``count`` locales only (``-l``), for the locale-scaling and RSS targets."""
        codes = self.locales[:count]
        scenario = self.add(Scenario(f"sync-cold-{count}loc", f"sync, cold, {count} locale(s) of "
                                     f"{len(self.locales)} ({','.join(codes)})", "pipeline"))
        scenario.extra["locales"] = count

        def check(run: Run, _: object) -> bool:
            missing = [c for c in codes if count_files(self.work / "output" / bcp47(c), ".html") != self.n]
            return record_check(scenario, not missing, f"outputs missing in {missing}" if missing else
                                f"{self.n} outputs in each of {', '.join(codes)}")

        argv = ["-q", "sync", *[arg for code in codes for arg in ("-l", code)]]
        self.repeat(scenario, lambda: self.prepare_cold(catalogs=True), lambda: self.l10n(*argv), check)

    def run_startup(self) -> None:
        """``l10n --version`` against ``python -c "import click"``: what a pre-commit hook pays to start."""
        for sid, label, cmd in (
                ("start-click", 'python -c "import click"', [self.python, "-c", "import click"]),
                ("start-version", "l10n --version", [self.python, "-m", "pipeline", "--version"])):
            scenario = self.add(Scenario(sid, label, "pipeline"))
            for _ in range(STARTUP_RUNS):
                run = run_measured(cmd, cwd=self.work, env=self.env, timeout=60)
                if run.returncode != 0:
                    record_check(scenario, False, f"exit {run.returncode}: {run.stderr.strip()[-200:]}")
                    break
                scenario.measured(run.wall, run.cpu, run.rss, self.round)
            else:
                record_check(scenario, True, f"exit 0, median of {STARTUP_RUNS} runs")
            this_round = scenario.round_median(self.round)
            if this_round is not None:
                self.say(f"  {label}: {this_round * 1000:.0f} ms (median of {STARTUP_RUNS})")

    def run_incremental(self, sid: str, label: str, edit: Callable[[], list[str]]) -> Scenario:
        """A sync after ``edit()`` (on a copy of the synced state); only the edited articles may change."""
        scenario = self.add(Scenario(sid, label, "pipeline"))

        def prepare() -> dict[str, Any]:
            copy_state(self.synced, self.work)
            slugs = edit()
            return {"before": snapshot(self.work), "slugs": set(slugs)}

        def check(run: Run, context: dict[str, Any]) -> bool:
            changed, elsewhere = split_watched(changed_files(context["before"], snapshot(self.work)))
            slugs: set[str] = context["slugs"]
            generated = {p for p in changed if not p.startswith("source_articles/")}
            stray = sorted(p for p in generated if Path(p).stem not in slugs)
            templates = {Path(p).stem for p in generated if p.startswith("locales/templates/")}
            missing = sorted(slugs - templates)
            scenario.extra.update(files_written=len(generated), articles_edited=len(slugs))
            if stray:
                return record_check(scenario, False, f"{len(stray)} file(s) of unedited articles written, "
                                    f"e.g. {stray[0]}")
            if missing:
                return record_check(scenario, False, f"{len(missing)} edited article(s) without a new template, "
                                    f"e.g. {missing[0]}")
            return record_check(scenario, True, f"{len(generated)} files written, all of the {len(slugs)} edited "
                                "articles; nothing else" + elsewhere_note(elsewhere))

        self.repeat(scenario, prepare, lambda: self.l10n("-q", "sync"), check)
        return scenario

    def run_noop(self) -> None:
        """A sync with nothing to do, twice: right after another sync (the seal it left answers: a hook run on
        every commit), and first in a copy of the synced project (new inodes and change times, so the seal is
        not trusted and the cache's stat comparison decides: a fresh checkout with its cache)."""
        for sid, label, fresh in (
                ("sync-noop", "sync, no-op (nothing changed since the last sync)", False),
                ("sync-noop-copied", "sync, no-op, first in a copy of the synced project", True)):
            scenario = self.add(Scenario(sid, label, "pipeline"))

            def prepare(fresh: bool = fresh) -> dict[str, Any]:
                if fresh:
                    copy_state(self.synced, self.work)
                return {"before": snapshot(self.work)}  # a no-op leaves the state as it found it

            def check(run: Run, context: dict[str, Any], scenario: Scenario = scenario) -> bool:
                changed, elsewhere = split_watched(changed_files(context["before"], snapshot(self.work)))
                return record_check(scenario, not changed, f"{len(changed)} file(s) written" +
                                    (f", e.g. {sorted(changed)[0]}" if changed else "") + elsewhere_note(elsewhere))

            copy_state(self.synced, self.work)
            if not fresh:   # the copy's first sync leaves the seal the measured ones find
                subprocess.run(self.l10n("-q", "sync"), cwd=self.work, env=self.env, capture_output=True)
            self.repeat(scenario, prepare, lambda: self.l10n("-q", "sync"), check)

    def run_readonly(self, sid: str, label: str, argv: list[str], *, exit_ok: tuple[int, ...] = (0,),
                     expect: str | None = None, fresh: bool = False, warm: list[str] | None = None) -> Scenario:
        """A command that must write nothing in the project, right after a sync; each run from a fresh copy of
        the synced state with ``fresh``, after one unmeasured run of ``warm`` (``l10n`` arguments) if given."""
        scenario = self.add(Scenario(sid, label, "pipeline"))

        def prepare() -> dict[str, Any]:
            if fresh:
                copy_state(self.synced, self.work)
            return {"before": snapshot(self.work)}

        def check(run: Run, context: dict[str, Any]) -> bool:
            changed, elsewhere = split_watched(changed_files(context["before"], snapshot(self.work)))
            if changed:
                return record_check(scenario, False, f"wrote {len(changed)} file(s), e.g. {sorted(changed)[0]}")
            if expect and expect not in run.stdout:
                return record_check(scenario, False, f"output lacks {expect!r}: {run.stdout.strip()[:200]}")
            return record_check(scenario, True, f"exit {run.returncode}, nothing written" + elsewhere_note(elsewhere))

        copy_state(self.synced, self.work)
        if warm is not None:
            subprocess.run(self.l10n(*warm), cwd=self.work, env=self.env, capture_output=True)
        self.repeat(scenario, prepare, lambda: self.l10n(*argv), check, exit_ok=exit_ok)
        return scenario

    def run_pipeline(self) -> None:
        self.say("pipeline:")
        self.work.mkdir(parents=True, exist_ok=True)
        self.run_startup()
        self.run_cold()
        if not (self.synced / "output").is_dir():
            self.notes.append("the cold sync failed: the incremental scenarios were not run")
            return
        self.run_noop()
        k = max(1, round(self.n / 100))
        self.run_incremental(
            "sync-edit-articles", f"sync after editing {k} of {self.n} articles",
            lambda: corpus.edit_articles(self.work / "source_articles", k, seed=self.args.seed))
        info: dict[str, int] = {}

        def edit_share() -> list[str]:
            edited, total, slugs = corpus.edit_paragraphs(self.work / "source_articles", 0.05, seed=self.args.seed)
            info.update(edited=edited, total=total, articles=len(slugs))
            return slugs

        s = self.run_incremental("sync-edit-paragraphs", "sync after editing 5% of all paragraphs", edit_share)
        if info and not s.label.endswith(" articles)"):  # (said once: a later round edits the same)
            s.label += f" ({info['edited']} of {info['total']}, in {info['articles']} articles)"
        if self.features["check"]:
            self.run_readonly("check-first", "check, whole corpus, first after a sync", ["-q", "check"],
                              exit_ok=(0, 1), fresh=True)
            self.run_readonly("check", "check, whole corpus, again (nothing changed)", ["-q", "check"],
                              exit_ok=(0, 1), warm=["-q", "check"])
            nostale = self.features["check_without_stale"]
            if nostale:
                self.run_readonly("check-no-stale", "check, whole corpus, without `stale`, again",
                                  ["-q", "check", *nostale], exit_ok=(0, 1), warm=["-q", "check", *nostale])
            else:
                self.add(Scenario("check-no-stale", "check, whole corpus, without `stale`", "pipeline",
                                  status="not available", note="no option of `l10n check` leaves out `stale`"))
        else:
            for sid, label in (("check", "check, whole corpus"),
                               ("check-no-stale", "check, whole corpus, without `stale`")):
                self.add(Scenario(sid, label, "pipeline", status="not available",
                                  note="the pipeline has no `l10n check` command yet"))
        self.run_readonly("status", "status, whole corpus", ["status"], expect="locale")
        if len(self.locales) > 2:
            self.run_fewer_locales(1)
            self.run_fewer_locales(2)

    # -- the floor --
    def run_floor(self) -> None:
        self.say("floor:")
        scenario = self.add(Scenario("floor", "floor: lxml parse+serialize, polib load+save, one process",
                                     "floor"))
        source = self.synced if (self.synced / "locales").is_dir() else self.pristine
        target = self.out / "floor"
        cmd = [self.python, str(Path(__file__).resolve()), "--floor-worker", str(source), "--out", str(target),
               "--locales", ",".join(self.locales)]

        def prepare() -> None:
            shutil.rmtree(target, ignore_errors=True)

        def check(run: Run, _: object) -> bool:
            report = json.loads(run.stdout.strip().splitlines()[-1])
            scenario.extra["inner_seconds"] = report["seconds"]
            want_html, want_po = self.n * len(self.locales), self.n * (len(self.locales) + 1)
            ok = report["html"] == want_html and report["po"] == want_po
            return record_check(scenario, ok, f"{report['html']} HTML and {report['po']} PO/POT files written "
                                f"(expected {want_html} and {want_po})")

        self.work.mkdir(parents=True, exist_ok=True)
        self.repeat(scenario, prepare, lambda: cmd, check)
        scenario.note = ("per article and locale: parse the source, serialize and write it, load and save its "
                         "catalog; plus every template once")

    # -- ratios, targets, table --
    def find(self, sid: str) -> Scenario | None:
        return next((s for s in self.scenarios if s.id == sid), None)

    def best_peers(self) -> Scenario | None:
        combos = [s for s in self.scenarios if s.group == "combination" and s.counted]
        return min(combos, key=lambda s: s.wall) if combos else None  # type: ignore[arg-type, return-value]

    def ratio(self, a: str | Scenario | None, b: str | Scenario | None) -> float | None:
        x = self.find(a) if isinstance(a, str) else a
        y = self.find(b) if isinstance(b, str) else b
        if x is None or y is None or not x.counted or not y.counted or not y.wall:
            return None
        return paired_ratio(x, y)

    def targets(self) -> list[dict[str, object]]:
        best = self.best_peers()
        out: list[dict[str, object]] = []

        def target(name: str, value: float | None, limit: float, why_missing: str = "") -> None:
            if value is None:
                out.append({"target": name, "limit": limit, "value": None, "met": None,
                            "verdict": f"not measured{': ' + why_missing if why_missing else ''}"})
                return
            met = value <= limit
            verdict = (f"met ({value:.3g}x, limit {limit:g}x)" if met else
                       f"MISSED: {value:.3g}x, limit {limit:g}x ({value / limit:.1f} times over)")
            out.append({"target": name, "limit": limit, "value": round(value, 4), "met": met, "verdict": verdict})

        no_peers = "no peer combination measured" if best is None else ""
        target("`l10n --version` vs `python -c \"import click\"`", self.ratio("start-version", "start-click"), 1.5)
        # (the limits of issue 18 where it sets one; the earlier ones otherwise)
        for sid, what, limit_peers, limit_floor in (("sync-cold", "default --jobs", 0.5, 3.0),
                                                    ("sync-cold-jobs1", "--jobs 1", 0.45, 2.0)):
            s = self.find(sid)
            why = s.note if s is not None and s.status == "not available" else ""
            target(f"cold sync ({what}) vs best peer combination", self.ratio(sid, best), limit_peers,
                   why or no_peers)
            target(f"cold sync ({what}) vs floor", self.ratio(sid, "floor"), limit_floor, why)
        target("no-op sync vs cold sync", self.ratio("sync-noop", "sync-cold"), 0.05)
        target("sync after editing 1% of articles vs cold sync", self.ratio("sync-edit-articles", "sync-cold"), 0.1)
        target("sync after editing 5% of all paragraphs vs best peer combination",
               self.ratio("sync-edit-paragraphs", best), 0.35, no_peers)
        pofilter = self.find("pofilter")
        no_pofilter = "" if pofilter is not None and pofilter.counted else "no pofilter measured"
        for sid, what in (("check", "again (nothing changed)"), ("check-first", "first after a sync"),
                          ("check-no-stale", "without `stale`, again")):
            s = self.find(sid)
            why = s.note if s is not None and s.status == "not available" else no_pofilter
            target(f"check, {what}, vs pofilter", self.ratio(sid, pofilter), 0.3, why)
        one_loc, two_loc, all_loc = self.find("sync-cold-1loc"), self.find("sync-cold-2loc"), self.find("sync-cold")
        k = len(self.locales)
        if one_loc is not None and one_loc.counted and all_loc is not None and all_loc.counted:
            target(f"cold sync of {k} locales vs {k} times that of 1 locale",
                   paired_ratio(all_loc, one_loc) / k, 1.1)  # type: ignore[operator]
        else:
            target("cold sync of N locales vs N times that of 1 locale", None, 1.1, "run with --locales 10")
        if two_loc is not None and two_loc.counted and all_loc is not None and all_loc.counted:
            target(f"peak RSS of the cold sync, {k} locales vs 2", all_loc.peak_rss / two_loc.peak_rss,
                   1.5)  # type: ignore[operator]
        else:
            target("peak RSS of the cold sync, 10 locales vs 2", None, 1.5, "run with --locales 10")
        mem = self.find("memory-large")
        base = self.find("sync-cold-new")
        if mem is not None and mem.counted and base is not None and base.counted:
            target(f"peak RSS at {mem.extra['articles']} articles vs at {self.n} (cold sync, no catalogs)",
                   mem.peak_rss / base.peak_rss, 1.5)  # type: ignore[operator]
        else:
            target("peak RSS at 10,000 articles vs at 1,000", None, 1.5, "run with --memory-articles 10000")
        one, default = self.find("sync-cold-jobs1"), self.find("sync-cold")
        cpus = self.features.get("cpus", 1)
        if one is not None and one.counted and default is not None and default.counted:
            speedup = paired_ratio(one, default) or 0.0
            eff = speedup / cpus  # type: ignore[operator]
            same = one.extra.get("identical_to_default_jobs")
            out.append({"target": f"--jobs scales the cold sync ({cpus} CPUs); outputs byte-identical",
                        "limit": None, "value": round(speedup, 3), "met": bool(same) and eff >= 0.8,
                        "verdict": f"speed-up {speedup:.2f}x on {cpus} CPUs ({eff:.0%} of linear); outputs "
                                   f"{'byte-identical' if same else 'DIFFER'}"})
        else:
            out.append({"target": "--jobs scales the cold sync; outputs byte-identical", "limit": None,
                        "value": None, "met": None, "verdict": "not measured: `l10n sync` has no --jobs yet"
                        if not self.features.get("jobs") else "not measured"})
        return out

    def table(self) -> str:
        best, floor = self.best_peers(), self.find("floor")
        head = ("scenario", "n", "wall s", "CPU s", "peak RSS MB", "ms/art.loc", "x best peers", "x floor",
                "output check")
        rows = []
        for s in self.scenarios:
            if s.status in ("not available", "skipped"):
                rows.append((s.label, "-", "-", "-", "-", "-", "-", "-", f"{s.status}: {s.note}"))
                continue
            if not s.walls:
                rows.append((s.label, "0", "-", "-", "-", "-", "-", "-", f"FAILED: {s.check}"))
                continue
            r_best = self.ratio(s, best) if s.group != "combination" or s is not best else 1.0
            r_floor = self.ratio(s, floor)
            rows.append((s.label, str(len(s.walls)), f"{s.wall:.2f}", f"{s.cpu:.2f}", f"{s.peak_rss / MB:.0f}",
                         f"{self.ms_per_unit(s):.2f}", f"{r_best:.3g}" if r_best is not None else "-",
                         f"{r_floor:.3g}" if r_floor is not None else "-",
                         ("ok: " if s.check_passed else "FAILED: ") + s.check))
        return markdown_table(head, rows)

    def machine(self) -> dict[str, Any]:
        model = ""
        try:
            for line in Path("/proc/cpuinfo").read_text().splitlines():
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
        except OSError:
            pass
        mem = ""
        try:
            mem = Path("/proc/meminfo").read_text().splitlines()[0].split(":")[1].strip()
        except (OSError, IndexError):
            pass

        def version(cmd: list[str]) -> str:
            try:
                r = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
                return (r.stdout or r.stderr).strip().splitlines()[0]
            except (OSError, IndexError, subprocess.TimeoutExpired):
                return "not installed"

        py = subprocess.run([self.python, "-c", "import sys, lxml.etree as e, polib, rapidfuzz; "
                             "print(sys.version.split()[0], '.'.join(map(str, e.LXML_VERSION)), polib.__version__, "
                             "rapidfuzz.__version__)"], capture_output=True, text=True).stdout.split()
        tt = PEERS_BIN / "python"
        commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "pipeline"], capture_output=True,
                               text=True).stdout.strip()
        return {
            "nproc": len(os.sched_getaffinity(0)), "cpu_model": model, "memory": mem,
            "kernel": platform.release(), "python": py[0] if py else platform.python_version(),
            "lxml": py[1] if len(py) > 1 else "", "polib": py[2] if len(py) > 2 else "",
            "rapidfuzz": py[3] if len(py) > 3 else "",
            "translate_toolkit": version([str(tt), "-c", "import translate.__version__ as v; print(v.sver)"])
            if tt.exists() else "not installed",
            "msgmerge": version(["msgmerge", "--version"]), "po4a": version(["po4a", "--version"]),
            "load_average_at_start": os.getloadavg(),
            "checkout": commit + (" (pipeline/ modified)" if dirty else ""),
            "pipeline_measured": self.pipeline_version,
        }

    def run(self) -> int:
        """Every scenario on this shape's corpus; the table and verdicts printed; 1 if a scenario failed."""
        started = time.perf_counter()
        machine = self.machine()
        self.say(f"machine: {machine['nproc']} CPUs ({machine['cpu_model']}), Python {machine['python']}, "
                 f"load {machine['load_average_at_start'][0]:.2f}; pipeline: {self.pipeline_version}")
        self.generate()
        self.detect_features()
        for name in ("jobs", "check"):
            if not self.features[name]:
                self.say(f"not available in the pipeline yet: {'sync --jobs' if name == 'jobs' else 'l10n check'}")
        if self.args.skip_peers:
            self.skipped.append("peers: --skip-peers")
        for self.round in range(self.args.rounds):
            if self.args.rounds > 1:
                self.say(f"round {self.round + 1} of {self.args.rounds}:")
            self.run_pipeline()
            self.run_floor()
            self.save(machine, started, partial=True)
            if not self.args.skip_peers:
                run_peers(self)
                combine_peers(self)
                self.save(machine, started, partial=True)
        self.notes = list(dict.fromkeys(self.notes))
        if self.args.memory_articles:
            self.run_memory(self.args.memory_articles)
        results = self.results = self.save(machine, started)
        targets, table = results["targets"], results["table_markdown"]
        elapsed = time.perf_counter() - started
        best = self.best_peers()
        self.say("")
        self.say(f"shape {self.shape}: {self.n} articles x {len(self.locales)} locales ({','.join(self.locales)}), seed "
                 f"{self.args.seed}; medians of n runs; best peer combination: {best.label if best else 'none'}")
        self.say(table)
        self.say("")
        self.say(markdown_table(("target", "verdict"), [(t["target"], t["verdict"]) for t in targets]))
        for line in self.skipped + self.notes:
            self.say(f"note: {line}")
        self.say(f"benchmark took {elapsed:.0f} s")
        self.say(f"wrote {self.out / 'results.json'}")
        failed = [s.id for s in self.scenarios if s.status == "failed"]
        return 1 if failed else 0

    def save(self, machine: dict[str, object], started: float, *, partial: bool = False) -> dict[str, Any]:
        """Write ``results.json`` (also part way through, marked ``partial``, so a long run leaves a record)."""
        best = self.best_peers()
        table = self.table()
        targets = self.targets()
        elapsed = time.perf_counter() - started
        results = {
            "machine": machine,
            "settings": {"shape": self.shape, "articles": self.n, "locales": self.locales, "seed": self.args.seed,
                         "repeat": self.args.repeat, "rounds": self.args.rounds,
                         "repeat_budget_s": self.args.repeat_budget,
                         "smoke": self.args.smoke},
            "corpus": self.corpus_info,
            "features": self.features,
            "scenarios": [self.record(s) for s in self.scenarios],
            "best_peer_combination": best.id if best else None,
            "targets": targets,
            "skipped": self.skipped,
            "notes": self.notes,
            "table_markdown": table,
            "elapsed_seconds": round(elapsed, 1),
            "partial": partial,
        }
        (self.out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        return results

    def ms_per_unit(self, s: Scenario) -> float:
        """Median wall time in ms per article and locale (of the scenario's own corpus)."""
        articles = int(s.extra.get("articles", self.n))  # type: ignore[call-overload]
        locales = int(s.extra.get("locales", len(self.locales)))  # type: ignore[call-overload]
        return (s.wall or 0.0) * 1000 / (articles * locales)

    def record(self, s: Scenario) -> dict[str, Any]:
        d = asdict(s)
        d.update(wall_median=s.wall, cpu_median=s.cpu, peak_rss_bytes=s.peak_rss, runs=len(s.walls),
                 counted=s.counted,
                 ms_per_article_locale=self.ms_per_unit(s) if s.wall else None,
                 x_best_peers=self.ratio(s, self.best_peers()), x_floor=self.ratio(s, "floor"))
        return d

    def run_memory(self, articles: int) -> None:
        """Peak RSS of a cold sync (no catalogs) of a larger corpus, for the memory target."""
        self.say(f"memory: cold sync of {articles} articles")
        s = self.add(Scenario("memory-large", f"sync, cold, no catalogs, {articles} articles", "pipeline"))
        s.extra["articles"] = articles
        big = self.out / "corpus-large"
        corpus.write_project(big, articles=articles, locales=self.locales, seed=self.args.seed, translate=False,
                             python=self.python, pipeline_root=self.pipeline_root, shape=self.shape)
        run = run_measured([self.python, "-m", "pipeline", "--config", str(big / "l10n.yaml"), "-q", "sync"],
                           cwd=big, env=self.env, timeout=self.args.timeout)
        outputs = sum(count_files(big / "output" / bcp47(c), ".html") for c in self.locales)
        if run.returncode != 0 or outputs != articles * len(self.locales):
            record_check(s, False, f"exit {run.returncode}, {outputs} outputs: {run.stderr.strip()[-200:]}")
            return
        record_check(s, True, f"{outputs} outputs")
        s.measured(run.wall, run.cpu, run.rss, self.round)
        self.say(f"  {run.wall:.1f} s wall, {run.rss / MB:.0f} MB")
        shutil.rmtree(big)


def export_pipeline(rev: str | None, out: Path) -> tuple[Path, str]:
    """The folder holding the ``pipeline`` package to measure, and a description of its version.

    Without ``rev``: this checkout as it is. With one (``HEAD``, a commit): that revision's ``pipeline/``,
    exported under ``<out>/pipeline-<commit>``, so edits made to the checkout during a long run do not mix in.
    """
    def git(*argv: str) -> str:
        return subprocess.run(["git", "-C", str(REPO), *argv], capture_output=True, text=True,
                              check=True).stdout.strip()

    if not rev:
        dirty = git("status", "--porcelain", "pipeline")
        return REPO, f"working tree at {git('rev-parse', '--short', 'HEAD')}" + (" + uncommitted changes to "
                                                                                "pipeline/" if dirty else "")
    commit = git("rev-parse", "--short", f"{rev}^{{commit}}")
    target = out / f"pipeline-{commit}"
    if not (target / "pipeline").is_dir():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "-C", str(REPO), "archive", commit, "pipeline"], capture_output=True,
                                 check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    subject = git("log", "-1", "--format=%s", commit)
    return target, f"commit {commit} ({subject[:60]})"


# ---- the floor, in one process -----------------------------------------------------------------------

def floor_worker(project: Path, out: Path, locales: list[str]) -> None:
    """Parse + serialize every article per locale with lxml; load + save every catalog with polib."""
    import polib  # noqa: PLC0415
    from lxml import etree, html  # noqa: PLC0415

    start = time.perf_counter()
    sources = sorted((project / "source_articles").glob("*.html"))
    counts = {"html": 0, "po": 0}
    (out / "templates").mkdir(parents=True)
    for pot in sorted((project / "locales" / "templates").glob("*.pot")):
        polib.pofile(str(pot), wrapwidth=79).save(str(out / "templates" / pot.name))
        counts["po"] += 1
    for code in locales:
        (out / code).mkdir()
        (out / f"{code}-po").mkdir()
        for path in sources:
            parser = html.HTMLParser(remove_comments=False, default_doctype=False)
            root = etree.fromstring(path.read_bytes(), parser)
            (out / code / path.name).write_bytes(
                etree.tostring(root.getroottree(), method="html", encoding="utf-8"))
            counts["html"] += 1
            catalog = project / "locales" / code / f"{path.stem}.po"
            polib.pofile(str(catalog), wrapwidth=79).save(str(out / f"{code}-po" / catalog.name))
            counts["po"] += 1
    print(json.dumps({**counts, "seconds": time.perf_counter() - start}))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000, help="articles in the corpus (default 1000)")
    parser.add_argument("--locales", default="ko,ja",
                        help=f"comma-separated locales, or a number N: the first N of {','.join(LOCALE_POOL)} "
                             "(default ko,ja)")
    parser.add_argument("--shape", choices=[*SHAPES, "both"], default="both",
                        help="corpus shape: long (about 1,000 words an article), small (150-300 words, about 8 KB "
                             "of HTML) or both (default)")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per scenario, medians reported (default 3)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="run the whole sequence (pipeline, floor, peers) this many times and take each ratio "
                             "as the median of the rounds' ratios: steadier on a machine that drifts (default 1)")
    parser.add_argument("--repeat-budget", type=float, default=90.0,
                        help="stop repeating a scenario once its runs took this many seconds (default 90)")
    parser.add_argument("--smoke", action="store_true", help="tiny corpus, pipeline and floor only, one run each")
    parser.add_argument("--skip-peers", action="store_true", help="do not run the peer tools")
    parser.add_argument("--po4a-articles", type=int, default=100,
                        help="run po4a on this many articles and scale (0: all; default 100, it is slow)")
    parser.add_argument("--memory-articles", type=int, default=0,
                        help="also measure the peak RSS of a cold sync of this many articles (e.g. 10000)")
    parser.add_argument("--out", type=Path, default=BENCH / "out", help="work folder (default bench/out)")
    parser.add_argument("--python", default=sys.executable, help="Python that runs the pipeline")
    parser.add_argument("--pipeline-rev", metavar="REV",
                        help="measure this git revision's pipeline/ (exported), not the working tree")
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds one pipeline run may take")
    parser.add_argument("--peer-timeout", type=float, default=1800.0, help="seconds one peer run may take")
    parser.add_argument("--floor-worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.locales.strip().isdigit():
        count = int(args.locales)
        if not 1 <= count <= len(LOCALE_POOL):
            parser.error(f"--locales N: N from 1 to {len(LOCALE_POOL)}")
        args.locales = list(LOCALE_POOL[:count])
    else:
        args.locales = [c.strip() for c in args.locales.split(",") if c.strip()]
    args.shapes = list(SHAPES) if args.shape == "both" else [args.shape]
    if args.smoke:
        args.articles, args.repeat, args.skip_peers = min(args.articles, 6), 1, True
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.floor_worker:
        floor_worker(args.floor_worker, args.out, args.locales)
        return 0
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    pipeline = export_pipeline(args.pipeline_rev, out)
    status, shapes = 0, {}
    for shape in args.shapes:
        bench = Bench(args, shape, pipeline)
        status = max(status, bench.run())
        shapes[shape] = bench.results
        (out / "results.json").write_text(json.dumps({"shapes": shapes, "partial": shape != args.shapes[-1]},
                                                     indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {out / 'results.json'} (shapes: {', '.join(shapes)})", flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
