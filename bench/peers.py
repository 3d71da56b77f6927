"""The peer tools, each in its directory mode, on the benchmark's corpus; every output checked.

Translate Toolkit (``html2po``, ``pot2po`` with RapidFuzz, ``po2html``, ``pofilter``) from ``bench/.peers``,
GNU ``msgmerge`` once per catalog, ``po4a`` (xhtml) on a subset, scaled to the corpus. Their previous
translations are in their own msgids (made once, untimed, with the corpus's fake translator), so ``pot2po``
and ``po4a`` do what an update does after a cold checkout. ``bash bench/setup-peers.sh`` installs them.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import corpus
import polib
from measure import MB, Scenario, count_files, record_check, run_measured

if TYPE_CHECKING:
    from run import Bench

BENCH = Path(__file__).resolve().parent
PEERS_BIN = BENCH / ".peers" / "bin"
TOOLS = ("html2po", "pot2po", "po2html", "pofilter", "msgmerge", "po4a")
QUIET = ["--progress", "none"]
#: The peer chains that do what a sync does (extract + update + build), by the scenario ids of their parts.
COMBINATIONS = [("combo-tt", "peers: html2po + pot2po + po2html", ("html2po", "pot2po", "po2html")),
                ("combo-msgmerge", "peers: html2po + msgmerge + po2html", ("html2po", "msgmerge", "po2html")),
                ("combo-po4a", "peers: po4a alone", ("po4a",))]


def find_tool(name: str) -> str | None:
    """A peer's executable: bench/.peers first, then PATH."""
    path = PEERS_BIN / name
    return str(path) if path.exists() else shutil.which(name)


def run_peer(bench: Bench, scenario: Scenario, steps: Callable[[], list[list[str]]], check: Callable[[], bool],
             *, prepare: Callable[[], object] | None = None, scale: float = 1.0) -> None:
    """Measure a peer: ``steps()`` gives the commands of one repetition (their times add up)."""
    scenario.scale = scale
    spent = 0.0
    for k in range(bench.args.repeat):
        if prepare:
            prepare()
        wall = cpu = 0.0
        rss = 0
        for cmd in steps():
            run = run_measured(cmd, cwd=bench.peers, timeout=bench.args.peer_timeout)
            if run.returncode != 0 or run.timed_out:
                record_check(scenario, False, f"{Path(cmd[0]).name} exit {run.returncode}"
                             f"{' (timed out)' if run.timed_out else ''}: "
                             f"{(run.stderr or run.stdout).strip()[-300:]}")
                return
            wall, cpu, rss = wall + run.wall, cpu + run.cpu, max(rss, run.rss)
        if not check():
            return
        scenario.measured(wall * scale, cpu * scale, rss, bench.round)
        spent += wall * scale
        bench.say(f"  {scenario.label}: run {k + 1}: {wall:.2f} s wall, {cpu:.2f} s CPU, {rss / MB:.0f} MB"
                  + (f" (x{scale:g} = {wall * scale:.1f} s)" if scale != 1 else ""))
        if spent > bench.args.repeat_budget:
            break


def _fresh(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)


def run_peers(bench: Bench) -> None:
    """Every installed peer, on the synced corpus; a line for each one that is missing."""
    bench.say("peers:")
    if not (bench.synced / "output").is_dir():
        bench.notes.append("peers not run: no synced baseline (the cold sync failed)")
        return
    _fresh(bench.peers)
    tools = {name: find_tool(name) for name in TOOLS}
    for name, path in tools.items():
        if path is None and bench.round == 0:
            bench.skipped.append(f"{name}: not installed (bash bench/setup-peers.sh); skipped")
            bench.say(f"  skipped {name}: not installed (run bash bench/setup-peers.sh)")
    if tools["html2po"]:
        _html2po(bench, tools["html2po"])
    if tools["pot2po"] and (bench.peers / "pot").is_dir():
        _previous_translations(bench, tools["pot2po"])
        _pot2po(bench, tools["pot2po"])
    if tools["po2html"] and (bench.peers / "po").is_dir():
        _po2html(bench, tools["po2html"])
    if tools["msgmerge"]:
        _msgmerge(bench, tools["msgmerge"])
    if tools["pofilter"]:
        _pofilter(bench, tools["pofilter"])
    if tools["po4a"] and bench.round == 0:  # minutes a run, and never the best peer: once is enough
        _po4a(bench, tools["po4a"])


def _html2po(bench: Bench, tool: str) -> None:
    s = bench.add(Scenario("html2po", "html2po (directory)", "peer"))
    pot = bench.peers / "pot"

    def check() -> bool:
        made = count_files(pot, ".pot")
        return record_check(s, made == bench.n, f"{made} templates of {bench.n}")

    run_peer(bench, s, lambda: [[tool, *QUIET, "--pot", "-i", str(bench.synced / "source_articles"), "-o",
                                 str(pot)]], check, prepare=lambda: shutil.rmtree(pot, ignore_errors=True))


def _previous_translations(bench: Bench, pot2po: str) -> None:
    """Untimed set-up: Translate Toolkit's own catalogs, fully (fake-)translated, as pot2po's -t."""
    (bench.peers / "prev").mkdir(exist_ok=True)
    for code in bench.locales:
        subprocess.run([pot2po, *QUIET, "-i", str(bench.peers / "pot"), "-o", str(bench.peers / "prev" / code)],
                       check=True, capture_output=True, cwd=bench.peers)
        corpus.fill_catalogs(bench.peers / "prev" / code, code, pipeline_root=bench.pipeline_root)


def _pot2po(bench: Bench, tool: str) -> None:
    tt = PEERS_BIN / "python"
    fuzzy = tt.exists() and subprocess.run([str(tt), "-c", "import rapidfuzz"], capture_output=True).returncode == 0
    label = "pot2po -t previous (directory, per locale" + (", RapidFuzz)" if fuzzy else ", NO RapidFuzz)")
    s = bench.add(Scenario("pot2po", label, "peer"))
    if not fuzzy:
        bench.notes.append("pot2po ran without RapidFuzz: not the fair peer (bash bench/setup-peers.sh)")

    def check() -> bool:
        for code in bench.locales:
            files = sorted((bench.peers / "po" / code).glob("*.po"))
            if len(files) != bench.n:
                return record_check(s, False, f"{code}: {len(files)} catalogs of {bench.n}")
            if polib.pofile(str(files[0])).percent_translated() < 90:
                return record_check(s, False, f"{code}: {files[0].name} not translated from the previous")
        return record_check(s, True, f"{bench.n} catalogs per locale, translated from the previous ones")

    run_peer(bench, s, lambda: [[tool, *QUIET, "-i", str(bench.peers / "pot"), "-o", str(bench.peers / "po" / c),
                                 "-t", str(bench.peers / "prev" / c)] for c in bench.locales],
             check, prepare=lambda: _fresh(bench.peers / "po"))


def _po2html(bench: Bench, tool: str) -> None:
    s = bench.add(Scenario("po2html", "po2html -t sources (directory, per locale)", "peer"))
    src = bench.synced / "source_articles"

    def check() -> bool:
        for code in bench.locales:
            files = sorted((bench.peers / "html" / code).glob("*.html"))
            if len(files) != bench.n:
                return record_check(s, False, f"{code}: {len(files)} outputs of {bench.n}")
            if files[0].read_bytes() == (src / files[0].name).read_bytes():
                return record_check(s, False, f"{code}: {files[0].name} is not translated")
        return record_check(s, True, f"{bench.n} translated outputs per locale")

    run_peer(bench, s, lambda: [[tool, *QUIET, "-i", str(bench.peers / "po" / c), "-o",
                                 str(bench.peers / "html" / c), "-t", str(src)] for c in bench.locales],
             check, prepare=lambda: _fresh(bench.peers / "html"))


def _msgmerge(bench: Bench, tool: str) -> None:
    """One msgmerge process per catalog, as a script would run it (one shell runs them all)."""
    s = bench.add(Scenario("msgmerge", "msgmerge --previous, one process per catalog", "peer"))
    script, lines = bench.peers / "msgmerge.sh", []
    for code in bench.locales:
        for po in sorted((bench.synced / "locales" / code).glob("*.po")):
            pot = bench.synced / "locales" / "templates" / f"{po.stem}.pot"
            lines.append(f"{tool} --quiet --previous -o msgmerge/{code}/{po.name} {po} {pot}")
    script.write_text("set -e\n" + "\n".join(lines) + "\n")
    want = bench.n * len(bench.locales)

    def prepare() -> None:
        for code in bench.locales:
            _fresh(bench.peers / "msgmerge" / code)

    def check() -> bool:
        made = sum(1 for c in bench.locales for p in (bench.peers / "msgmerge" / c).glob("*.po") if p.stat().st_size)
        return record_check(s, made == want, f"{made} merged catalogs of {want}")

    run_peer(bench, s, lambda: [["sh", str(script)]], check, prepare=prepare)


def _pofilter(bench: Bench, tool: str) -> None:
    """pofilter's default checks over the pipeline's own catalogs (the files `l10n check` reads)."""
    s = bench.add(Scenario("pofilter", "pofilter, default checks (directory, all locales)", "peer"))
    out, want = bench.peers / "pofilter", bench.n * len(bench.locales)

    def check() -> bool:
        made = sum(count_files(out / c, ".po") for c in bench.locales)
        return record_check(s, made == want, f"{made} filtered catalogs of {want}")

    run_peer(bench, s, lambda: [[tool, *QUIET, "-i", str(bench.synced / "locales"), "-x", "templates", "-o",
                                 str(out)]], check, prepare=lambda: shutil.rmtree(out, ignore_errors=True))


def _po4a(bench: Bench, tool: str) -> None:
    """po4a (xhtml) on a subset, scaled to the corpus: it is far slower than the others."""
    src = bench.synced / "source_articles"
    subset = sorted(src.glob("*.html"))[: bench.args.po4a_articles or None]
    scale = bench.n / len(subset)
    base = bench.peers / "po4a"
    config = ["[po4a_langs] " + " ".join(bench.locales),
              f"[po4a_paths] {base}/pot/$master.pot $lang:{base}/po/$lang/$master.po",
              "[options] --keep 0 --master-charset UTF-8 --localized-charset UTF-8"]
    config += [f"[type: xhtml] {p} $lang:{base}/out/$lang/{p.stem}.html" for p in subset]
    for code in bench.locales:
        (base / "po" / code).mkdir(parents=True)
    (base / "po4a.cfg").write_text("\n".join(config) + "\n")
    label = "po4a, xhtml (one config, all locales)"
    if scale != 1:
        label += f" (run on {len(subset)} articles, x{scale:g})"
    s = bench.add(Scenario("po4a", label, "peer", note="extract + update + translate in one process; one PO "
                                                       "file per article ($master)"))
    setup = subprocess.run([tool, "po4a.cfg"], cwd=base, capture_output=True, text=True)
    if setup.returncode != 0:
        record_check(s, False, f"set-up run failed: {setup.stderr.strip()[-300:]}")
        return
    for code in bench.locales:
        corpus.fill_catalogs(base / "po" / code, code, pipeline_root=bench.pipeline_root)

    def prepare() -> None:
        shutil.rmtree(base / "pot", ignore_errors=True)
        shutil.rmtree(base / "out", ignore_errors=True)

    def check() -> bool:
        for code in bench.locales:
            files = sorted((base / "out" / code).glob("*.html"))
            if len(files) != len(subset):
                return record_check(s, False, f"{code}: {len(files)} outputs of {len(subset)}")
            if files[0].read_bytes() == (src / files[0].name).read_bytes():
                return record_check(s, False, f"{code}: {files[0].name} is not translated")
        return record_check(s, True, f"{len(subset)} templates, catalogs and translated outputs per locale")

    run_peer(bench, s, lambda: [[tool, str(base / "po4a.cfg")]], check, prepare=prepare, scale=scale)


def combine_peers(bench: Bench) -> None:
    """Rows for the peer chains that do what a sync does, from their parts' medians in this round."""
    by_id = {s.id: s for s in bench.scenarios}
    for sid, label, parts in COMBINATIONS:
        if not all(p in by_id for p in parts):
            continue
        rows = [by_id[p] for p in parts]
        s = bench.add(Scenario(sid, label, "combination"))
        if not all(r.counted for r in rows):
            record_check(s, False, "a part failed its output check")
            continue
        walls = [r.round_median(bench.round) for r in rows]
        if None in walls:  # a part not run this round (po4a runs in the first only)
            continue
        cpus = [r.round_median(bench.round, "cpus") or 0.0 for r in rows]
        rss = max(v for r in rows for v, n in zip(r.rss, r.rounds) if n == bench.round)
        s.measured(sum(walls), sum(cpus), rss, bench.round)  # type: ignore[arg-type]
        record_check(s, True, "every part checked")
