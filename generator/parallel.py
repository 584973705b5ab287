"""Spreading a cold build's CPU work — Markdown parsing and page rendering —
over worker processes (``--jobs N``).

Workers are forked, so they inherit the already-built site, pages and Jinja
environment instead of receiving them pickled; only page indices go out and
bytes come back. With N jobs, N - 1 workers are forked and this process does
its share of the work too. Results are reassembled in input order, so the output is
byte-identical for any number of jobs. Forking a process that runs other
threads is unsafe, so the dev server (which does) always works serially.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS_PER_WORKER = 40  # below this, starting workers costs more than it saves

# Set in each worker process by ``_start_worker`` (never in the parent): the
# function to apply and the data it reads, inherited through fork.
_worker_task: Callable[[Any], Any] | None = None


def default_jobs() -> int:
    return os.cpu_count() or 1


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def workers_for(items: int, jobs: int) -> int:
    """How many processes are worth starting for ``items`` pieces of work."""
    if jobs <= 1 or not can_fork():
        return 1
    return max(1, min(jobs, items // MIN_ITEMS_PER_WORKER))


def _start_worker(task: Callable[[Any], Any]) -> None:
    global _worker_task
    _worker_task = task


def _run_chunk(chunk: Sequence[Any]) -> list[Any]:
    assert _worker_task is not None, "worker started without a task"
    return [_worker_task(item) for item in chunk]


def map_in_order(task: Callable[[T], R], items: Sequence[T], jobs: int,
                 on_done: Callable[[int], None] | None = None, busy_caller: bool = False) -> Iterator[R]:
    """``(task(item) for item in items)``, in worker processes when worthwhile.

    Results are yielded as they come, in order, so a caller can write each
    one away instead of holding them all. ``task`` may be a closure over
    large data: it reaches the workers by fork, not by pickling. Items and
    results must pickle. ``busy_caller`` says the caller does real work with
    each result (writing it to disk), so this process takes a smaller share.
    """
    workers = workers_for(len(items), jobs)
    if workers == 1:
        for item in items:
            yield task(item)
            if on_done:
                on_done(1)
        return
    size = max(1, min(200, len(items) // (workers * 4)))
    chunks = [items[start:start + size] for start in range(0, len(items), size)]
    context = multiprocessing.get_context("fork")
    # This process works too instead of waiting idle: one process fewer, and
    # each forked process counts the whole site in its resident memory. It
    # takes one chunk in ``share``: as much as a worker, or less when it also
    # has every result to write away.
    share = workers + 1 if busy_caller else workers
    with ProcessPoolExecutor(workers - 1, mp_context=context, initializer=_start_worker,
                             initargs=(task,)) as pool:
        futures = {number: pool.submit(_run_chunk, chunk)
                   for number, chunk in enumerate(chunks) if number % share}
        for number, chunk in enumerate(chunks):
            found = futures.pop(number, None)
            chunk_results = found.result() if found is not None else [task(item) for item in chunk]
            if on_done:
                on_done(len(chunk_results))
            yield from chunk_results
