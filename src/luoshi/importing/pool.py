"""Run extraction jobs in a process pool while the calling process writes the results.

At most a few jobs per worker are in flight, so memory stays flat however many files there
are; results are handed to ``handle`` in the order of the jobs.  ``workers <= 1`` runs the
jobs in this process (no pool), which is what a single file needs.

Workers end with the process that started them: killed (``kill -9``) or crashed, it leaves no
worker running (Linux: ``PR_SET_PDEATHSIG``; elsewhere a thread in each worker that checks its
parent every ``WATCH_SECONDS``).
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, Iterable, Iterator

from ..pipeline import extract
from ..store.segment import tokens

Job = tuple[Callable[[Any], dict], Any, Any]  # (function, argument, context given back to handle)
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>: the signal this process gets when its parent dies
WATCH_SECONDS = 0.5  # without prctl: how often a worker checks that its parent lives


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def _start(parent: int) -> None:
    """A new worker: end with ``parent``, then load what every job needs."""
    end_with_parent(parent)
    _warm()


def end_with_parent(parent: int) -> None:
    """Make this process end (SIGKILL: it holds nothing to save) when ``parent`` does."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            asked = libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
        except (OSError, AttributeError):
            asked = False
        if asked:
            if os.getppid() != parent:  # it died before the signal was asked for
                os._exit(1)
            return
    threading.Thread(target=_watch, args=(parent,), name="luoshi-parent-watch", daemon=True).start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os._exit(1)


def _warm() -> None:
    """Load the rule tables and the segmenter's dictionary once per worker."""
    extract("一、2024年工作回顾\n地区生产总值增长5%。\n")
    tokens("预热")


def run(jobs: Iterable[Job], handle: Callable[[dict, Any], None], workers: int | None = None) -> None:
    workers = default_workers() if workers is None else workers
    jobs = iter(jobs)
    if workers <= 1:
        for fn, arg, ctx in jobs:
            handle(fn(arg), ctx)
        return
    # "spawn": a clean interpreter per worker, whatever threads (a progress bar) the parent runs.
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start,
        initargs=(os.getpid(),),
    ) as pool:
        try:
            _drive(pool, jobs, handle, limit=workers * 3)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _drive(pool: ProcessPoolExecutor, jobs: Iterator[Job], handle, limit: int) -> None:
    """Results are handled in the order the jobs came (documents get their ids in file order),
    while up to ``limit`` jobs run ahead."""
    pending: deque[tuple[Future, Any, Any]] = deque()

    def fill() -> None:
        while len(pending) < limit:
            job = next(jobs, None)
            if job is None:
                return
            fn, arg, ctx = job
            pending.append((pool.submit(fn, arg), arg, ctx))

    fill()
    while pending:
        future, arg, ctx = pending[0]
        try:
            result = future.result()
        except BrokenProcessPool:
            raise
        except Exception as e:  # pickling and similar failures of one job
            result = {
                "path": str(arg.get("source") if isinstance(arg, dict) else arg),
                "error": f"internal error: {type(e).__name__}: {e}",
            }
        pending.popleft()
        fill()  # keep the workers busy while this one is written
        handle(result, ctx)
