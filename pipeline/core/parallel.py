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


def in_children(function: Callable[..., None], calls: Sequence[tuple[Any, ...]], workers: int) -> list[int]:
    """Run ``function(*args)`` for each ``args`` of ``calls``, each in a forked process of its own, at most
    ``workers`` at once (here, one after the other, without fork); return the children's exit statuses, in the
    order of ``calls``."""
    if not can_fork():
        for args in calls:
            function(*args)
        return [0] * len(calls)
    import multiprocessing
    from multiprocessing.connection import wait

    release_free_heap()
    context = multiprocessing.get_context("fork")
    statuses = [0] * len(calls)
    running: dict[Any, tuple[int, Any]] = {}   # sentinel -> (index of the call, process)

    def reap() -> None:
        for sentinel in wait(list(running)):
            index, child = running.pop(sentinel)
            child.join()
            statuses[index] = child.exitcode or 0

    for index, args in enumerate(calls):
        while len(running) >= max(1, workers):
            reap()
        child = context.Process(target=function, args=args)
        child.start()
        running[child.sentinel] = (index, child)
    while running:
        reap()
    return statuses


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
