"""The local engine: every core of the machine, the index loaded once.

The parent process loads the index, then forks the workers, which share its memory
copy-on-write (no index is pickled or rebuilt per worker; `gc.freeze` keeps the
collector from touching, and so copying, the shared pages; no full collection first,
which would cost the parent most of a second on the real lists). The parent reads the
input in chunks and keeps a few chunks in flight per worker, so memory stays flat
however big the book, and it takes results back in input order.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from multiprocessing.pool import AsyncResult, Pool
from types import TracebackType

from sanctionsnet.batch.readers import InputRow
from sanctionsnet.batch.screening import Outcome, Plan, RowScreener

# Set in the parent just before forking; the workers inherit it.
_PLAN: Plan | None = None
_WORKER: RowScreener | None = None
_PR_SET_PDEATHSIG = 1


def default_workers() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _load_reference_data() -> None:
    """Load what the first query would (followthemoney reads its country names then, 1.5 s)
    in the parent, so that the workers share it instead of each loading it."""
    from followthemoney import registry

    registry.country.clean("Germany")
    registry.date.clean("2001-02-03")


def _init_worker() -> None:
    global _WORKER
    # Ctrl-C is the parent's to handle (it keeps the checkpoint consistent); a worker
    # whose parent is killed outright exits instead of lingering with the index.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent may have its own handler
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    assert _PLAN is not None
    _WORKER = RowScreener(_PLAN)


def _screen_chunk(rows: Sequence[InputRow]) -> list[Outcome]:
    assert _WORKER is not None
    outcomes = _WORKER.screen(rows)
    # What survives a chunk is mostly the similarity caches, which only grow: frozen, the
    # collector stops rescanning them in every full collection (a sixth of a worker's
    # time on a big book). Young cycles are collected first, so none is frozen.
    gc.collect(1)
    gc.freeze()
    return outcomes


class LocalEngine:
    """Screens chunks of rows in worker processes (or in-process with one worker)."""

    def __init__(self, plan: Plan, workers: int | None = None) -> None:
        self.plan = plan
        self.workers = max(1, workers or default_workers())
        self._pool: Pool | None = None
        self._inline: RowScreener | None = None

    def __enter__(self) -> LocalEngine:
        global _PLAN
        if self.workers == 1:
            self._inline = RowScreener(self.plan)
            return self
        _PLAN = self.plan
        _load_reference_data()
        gc.freeze()
        context = multiprocessing.get_context("fork")
        self._pool = context.Pool(self.workers, initializer=_init_worker)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        global _PLAN
        if self._pool is not None:
            if exc_type is None:
                self._pool.close()
            else:
                self._pool.terminate()
            self._pool.join()
            self._pool = None
            gc.unfreeze()
            _PLAN = None

    def map(
        self, chunks: Iterable[list[InputRow]]
    ) -> Iterator[tuple[list[InputRow], list[Outcome]]]:
        """Each chunk with its outcomes, in input order."""
        if self._inline is not None:
            for chunk in chunks:
                yield chunk, self._inline.screen(chunk)
            return
        assert self._pool is not None, "use LocalEngine as a context manager"
        window = 2 * self.workers + 1
        pending: deque[tuple[list[InputRow], AsyncResult[list[Outcome]]]] = deque()
        for chunk in chunks:
            pending.append((chunk, self._pool.apply_async(_screen_chunk, (chunk,))))
            while len(pending) >= window:
                done, result = pending.popleft()
                yield done, result.get()
        while pending:
            done, result = pending.popleft()
            yield done, result.get()
