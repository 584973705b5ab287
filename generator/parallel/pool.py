"""Spreading a cold build's CPU work — Markdown parsing and page rendering —
over worker processes (``--jobs N``).

Workers are forked, so they inherit the already-built site, pages and Jinja
environment instead of receiving them pickled; only page indices go out, and
what comes back is small (a rendered page is written to the staging folder
by the process that rendered it). With N jobs, N - 1 workers are forked and
this process does its share of the work too. Results are reassembled in
input order, so the output is byte-identical for any number of jobs.
Forking a process that runs other threads is unsafe, so the dev server
(which does) always works serially.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from generator.parallel.speedups import give_back_free_memory

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS_PER_WORKER = 40  # below this, starting workers costs more than it saves
MAX_CHUNK = 100  # items a worker takes at a time: small enough that the last chunks even out
CHUNKS_PER_WORKER = 8  # at least this many chunks per process on smaller sites

# Set in each worker process by ``_start_worker`` (never in the parent): the
# function to apply and the data it reads, inherited through fork.
_worker_task: Callable[[Any], Any] | None = None


def default_jobs() -> int:
    return os.cpu_count() or 1


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def workers_for(items: int, jobs: int, per_worker: int = MIN_ITEMS_PER_WORKER) -> int:
    """How many processes are worth starting for ``items`` pieces of work, ``per_worker`` at least each."""
    if jobs <= 1 or not can_fork():
        return 1
    return max(1, min(jobs, items // per_worker))


def _start_worker(task: Callable[[Any], Any]) -> None:
    global _worker_task
    _worker_task = task


def _run_chunk(chunk: Sequence[Any]) -> list[Any]:
    assert _worker_task is not None, "worker started without a task"
    return [_worker_task(item) for item in chunk]


def map_in_order(task: Callable[[T], R], items: Sequence[T], jobs: int,
                 on_done: Callable[[int], None] | None = None, per_worker: int = MIN_ITEMS_PER_WORKER) -> Iterator[R]:
    """``(task(item) for item in items)``, in worker processes when worthwhile.

    Results are yielded in order as they come, so a caller can handle each
    one as it arrives. ``task`` may be a closure over large data: it reaches
    the workers by fork, not by pickling. Items and results must pickle.

    The items are cut into chunks, all handed to the workers in order. This
    process works too instead of waiting idle (one process fewer, and each
    forked process counts the whole site in its resident memory): while the
    chunk it needs next is not ready, it takes back the last chunk no worker
    has started and does it itself. The workers go from the front and this
    process from the back, so the work stays balanced however long each
    chunk takes, and nobody waits for more than the end of one chunk.
    ``per_worker``: how many items make a worker worth starting (one, for
    work as heavy as resizing a photo).
    """
    workers = workers_for(len(items), jobs, per_worker)
    if workers == 1:
        for item in items:
            yield task(item)
            if on_done:
                on_done(1)
        return
    size = max(1, min(MAX_CHUNK, len(items) // (workers * CHUNKS_PER_WORKER)))
    chunks = [items[start:start + size] for start in range(0, len(items), size)]
    context = multiprocessing.get_context("fork")
    # What exists now (the whole site, when rendering) and the results as they
    # come are left out of garbage collection until the work is done: they
    # are not garbage, and a full collection would go through all of them,
    # again and again as they grow, and in
    # a forked worker would write to (and so copy) every page of memory it
    # touches. Garbage that happens to be frozen too is collected afterwards.
    gc.freeze()
    give_back_free_memory()  # a forked worker starts with a copy of this process's resident memory
    pool = ProcessPoolExecutor(workers - 1, mp_context=context, initializer=_start_worker, initargs=(task,))
    try:
        futures = [pool.submit(_run_chunk, chunk) for chunk in chunks]
        done_here: dict[int, list[R]] = {}  # chunks this process took back, by number
        untaken = len(chunks)  # chunks from here on were taken back (or started by a worker)
        for number, future in enumerate(futures):
            while number not in done_here and not future.done() and untaken > number:
                last = untaken - 1
                if not futures[last].cancel():  # started: so are all before it
                    untaken = 0
                    break
                done_here[last] = [task(item) for item in chunks[last]]
                untaken = last
            chunk_results = done_here.pop(number) if number in done_here else future.result()
            gc.freeze()
            if on_done:
                on_done(len(chunk_results))
            yield from chunk_results
    finally:
        # On an error (or a caller that stops early), chunks not started are dropped.
        pool.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()
