"""Worker processes: forked, so that they share what the parent holds; results come in the order of the tasks."""

from __future__ import annotations

import os
from collections.abc import Callable, Generator, Sequence
from typing import Any

#: The function and tasks of the running map, set before the workers fork: they receive indexes only, so
#: neither the tasks nor the function (a closure is fine) are pickled.
_WORK: list[Any] = []


def can_fork() -> bool:
    """Whether worker processes can be forked here (not on Windows)."""
    import multiprocessing  # at first use: a command that starts no worker does not pay for it

    return "fork" in multiprocessing.get_all_start_methods()


def _run(index: int) -> Any:
    function, tasks = _WORK
    return function(tasks[index])


def forks(tasks: int, workers: int, *, at_least: int = 2) -> bool:
    """Whether :func:`ordered_map` of ``tasks`` tasks by ``workers`` processes (``at_least`` as given to it)
    runs them in forked workers rather than here."""
    return workers > 1 and tasks >= at_least and can_fork()


def ordered_map(function: Callable[[Any], Any], tasks: Sequence[Any], workers: int, *, at_least: int = 2,
                window: int | None = None) -> Generator[Any, None, None]:
    """``function(task)`` for every task, in order, by ``workers`` forked processes (here, when fewer
    than ``at_least`` tasks, one worker, or no fork). ``window`` bounds the results waiting to be consumed."""
    if not forks(len(tasks), workers, at_least=at_least):
        yield from map(function, tasks)
        return
    _WORK[:] = [function, tasks]
    try:
        chunksize = max(1, min(16, len(tasks) // (workers * 8)))
        step = window or len(tasks)
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(min(workers, len(tasks))) as pool:
            for start in range(0, len(tasks), step):
                yield from pool.imap(_run, range(start, min(start + step, len(tasks))), chunksize=chunksize)
    finally:
        _WORK.clear()


class Children:
    """Processes :func:`start_children` started, each running one call: :meth:`wait` reaps them."""

    def __init__(self, processes: list[Any], statuses: list[int]) -> None:
        self._processes, self._statuses = processes, statuses

    def wait(self) -> list[int]:
        """Wait for every child to end; their exit statuses, in the order of their calls (0 for one run here)."""
        for index, child in enumerate(self._processes):
            child.join()
            self._statuses[index] = child.exitcode or 0
        self._processes = []
        return list(self._statuses)


def start_children(function: Callable[..., None], calls: Sequence[tuple[Any, ...]]) -> Children:
    """Start ``function(*args)`` for each ``args`` of ``calls``, each in a forked process of its own, all at once,
    and return without waiting for them (here, without fork: each call is run before this returns)."""
    if not can_fork():
        for args in calls:
            function(*args)
        return Children([], [0] * len(calls))
    import multiprocessing

    release_free_heap()
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=function, args=args) for args in calls]
    for child in processes:
        child.start()
    return Children(processes, [0] * len(calls))


def default_jobs() -> int:
    """Worker processes by default: one per CPU this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def release_free_heap() -> bool:
    """Give the free pages of the C heap back to the system (glibc's ``malloc_trim``), so that children forked
    next do not count them as resident; False where the C library has no such call (it is then a no-op)."""
    import ctypes  # at first use: only a run that forks children for long work pays for it

    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return False
    trim(0)
    return True
