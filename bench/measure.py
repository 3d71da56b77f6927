"""Measuring a child process (wall, CPU, peak RSS of its whole tree), scenario records, project snapshots."""

from __future__ import annotations

import hashlib
import os
import shutil
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")
MB = 1024 * 1024


# ---- measuring one child process ------------------------------------------------------------------

@dataclass(slots=True)
class Run:
    """One measured child process."""

    wall: float
    cpu: float
    rss: int                 #: bytes: peak RSS of the child's whole process tree (see run_measured)
    returncode: int
    stdout: str = ""
    stderr: str = ""
    timed_out: bool = False


def _children(pid: int) -> list[int]:
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    found: list[int] = []
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as handle:
                found += [int(c) for c in handle.read().split()]
        except OSError:
            pass
    return found


def _tree_rss(pid: int) -> int:
    total, stack, seen = 0, [pid], set()
    while stack:
        p = stack.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            with open(f"/proc/{p}/statm") as handle:
                total += int(handle.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
        stack += _children(p)
    return total


def _own_high_water() -> int:
    """This process's peak RSS (VmHWM), in bytes."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def run_measured(cmd: list[str], *, cwd: Path, env: dict[str, str] | None = None,
                 timeout: float | None = None) -> Run:
    """Run ``cmd`` as a child; measure wall, CPU (user + sys of it and its descendants) and peak RSS.

    Peak RSS is the larger of the child's ``ru_maxrss`` and the sampled peak of its tree's summed RSS,
    except that Linux carries the spawning process's high-water mark into the child at exec: a
    ``ru_maxrss`` no higher than ours says nothing about the child, and only the samples count then.
    """
    parent_peak = _own_high_water()
    out_path = cwd / ".bench-stdout"
    err_path = cwd / ".bench-stderr"
    peak = [0]
    done = threading.Event()
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                start_new_session=True)

        def sample() -> None:
            while not done.wait(0.02):
                peak[0] = max(peak[0], _tree_rss(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        timed_out = [False]

        def kill() -> None:
            timed_out[0] = True
            try:
                os.killpg(proc.pid, 9)  # the session this child leads: only what we started
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill) if timeout else None
        if timer:
            timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if timer:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        done.set()
        sampler.join()
    stdout = out_path.read_text(errors="replace")
    stderr = err_path.read_text(errors="replace")
    out_path.unlink()
    err_path.unlink()
    maxrss = usage.ru_maxrss * 1024
    rss = max(maxrss, peak[0]) if maxrss > parent_peak or not peak[0] else peak[0]
    return Run(wall=wall, cpu=usage.ru_utime + usage.ru_stime, rss=rss,
               returncode=proc.returncode, stdout=stdout, stderr=stderr, timed_out=timed_out[0])


# ---- scenario records -----------------------------------------------------------------------------

@dataclass(slots=True)
class Scenario:
    """A row of the table: medians over its runs, and whether its output was checked."""

    id: str
    label: str
    group: str                       #: "pipeline", "peer", "combination" or "floor"
    status: str = "ok"               #: "ok", "not available", "skipped", "failed"
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    rss: list[int] = field(default_factory=list)
    check_passed: bool | None = None
    check: str = ""
    note: str = ""
    scale: float = 1.0               #: times were multiplied by this (a peer run on a subset)
    extra: dict[str, object] = field(default_factory=dict)
    rounds: list[int] = field(default_factory=list)  #: the round (``--rounds``) of each run, beside ``walls``

    def measured(self, wall: float, cpu: float, rss: int, round_: int) -> None:
        """Add a run's figures, made in round ``round_``."""
        self.walls.append(wall)
        self.cpus.append(cpu)
        self.rss.append(rss)
        self.rounds.append(round_)

    def round_median(self, round_: int, which: str = "walls") -> float | None:
        """The median wall time (or CPU: ``which="cpus"``) of this scenario's runs in one round."""
        values = [v for v, r in zip(getattr(self, which), self.rounds) if r == round_]
        return statistics.median(values) if values else None

    @property
    def wall(self) -> float | None:
        return statistics.median(self.walls) if self.walls else None

    @property
    def cpu(self) -> float | None:
        return statistics.median(self.cpus) if self.cpus else None

    @property
    def peak_rss(self) -> int | None:
        return max(self.rss) if self.rss else None

    @property
    def counted(self) -> bool:
        """Whether its time may enter a ratio: measured, and its output checked."""
        return self.status == "ok" and bool(self.walls) and self.check_passed is True


def paired_ratio(x: Scenario, y: Scenario) -> float | None:
    """``x``'s wall time over ``y``'s: the median, over the rounds both ran in, of the ratio of their medians in
    that round; with one round (or none in common), the ratio of their medians.

    A shared machine drifts slower or faster over minutes: a ratio of two scenarios run side by side in one
    round holds while the drift is slow, a ratio of medians taken minutes apart does not.
    """
    if not x.walls or not y.walls:
        return None
    ratios = []
    for round_ in sorted(set(x.rounds) & set(y.rounds)):
        a, b = x.round_median(round_), y.round_median(round_)
        if a is not None and b:
            ratios.append(a / b)
    if len(ratios) > 1:
        return statistics.median(ratios)
    return x.wall / y.wall if y.wall else None  # type: ignore[operator]


def record_check(scenario: Scenario, ok: bool, detail: str) -> bool:
    """Record an output check; a failure is kept (the first one wins) and makes the row 'failed'."""
    if scenario.check_passed is False:
        return False
    scenario.check_passed = ok
    scenario.check = detail
    if not ok:
        scenario.status = "failed"
    return ok


# ---- files and states -----------------------------------------------------------------------------

#: The project's own folders: a write anywhere else (a cache, a lock) is reported apart.
WATCHED = ("source_articles", "locales", "output")
#: Files of the harness itself, never counted.
HARNESS_FILES = frozenset({".bench-stdout", ".bench-stderr"})


def snapshot(project: Path) -> dict[str, tuple[int, int, int]]:
    """(size, mtime_ns, inode) of every file in the project (the harness's own files aside)."""
    state: dict[str, tuple[int, int, int]] = {}
    for root, _, files in os.walk(project):
        for name in files:
            if name in HARNESS_FILES:
                continue
            path = Path(root) / name
            try:
                st = path.stat()
            except FileNotFoundError:  # a temporary file gone between listing and stat
                continue
            state[path.relative_to(project).as_posix()] = (st.st_size, st.st_mtime_ns, st.st_ino)
    return state


def split_watched(paths: set[str]) -> tuple[set[str], set[str]]:
    """(paths in the project's own folders, paths elsewhere: a cache, a lock file ...)."""
    watched = {p for p in paths if p.split("/", 1)[0] in WATCHED}
    return watched, paths - watched


def elsewhere_note(paths: set[str]) -> str:
    """'; also wrote N file(s) outside the project folders (e.g. ...)', or ''."""
    if not paths:
        return ""
    return f"; also wrote {len(paths)} file(s) outside the project folders, e.g. {sorted(paths)[0]}"


def changed_files(before: dict[str, tuple[int, int, int]], after: dict[str, tuple[int, int, int]]) -> set[str]:
    """Files created, removed or rewritten between two snapshots."""
    return {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}


def tree_digest(project: Path, folders: tuple[str, ...] = ("locales", "output")) -> str:
    """One hash of every file's path and bytes under ``folders``."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted((project / folder).rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(project).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def copy_state(source: Path, target: Path) -> None:
    """Replace ``target`` by a copy of ``source`` (modes and mtimes kept, as a checkout would keep them)."""
    if target.exists():
        shutil.rmtree(target)
    subprocess.run(["cp", "-a", str(source), str(target)], check=True)


def count_files(folder: Path, suffix: str) -> int:
    """Files named ``*<suffix>`` directly in ``folder`` (0 if it does not exist)."""
    return sum(1 for _ in folder.glob(f"*{suffix}")) if folder.is_dir() else 0


def markdown_table(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """A Markdown table, columns padded so it also reads as plain text."""
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    line = lambda r: "| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |"  # noqa: E731
    return "\n".join([line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, rows)])
