"""How many cores the spatial core uses, and the chunked thread pool it runs on.

The compiled kernels (:mod:`bordermap._kernels`) split their loops over
``numba.prange``; the remaining vectorised steps (shapely's point-in-polygon
tests, which release the GIL) run over chunks in a thread pool.  Both use
:func:`get_threads` threads: ``BORDERMAP_THREADS`` if set, else what
:func:`set_threads` chose, else every core numba sees.  Results never depend on
the thread count: every point is computed on its own, in the same order of
floating-point operations (``tests/test_parallel.py`` compares 1 and N threads
bit for bit).

Examples
--------
>>> set_threads(1)
>>> get_threads()
1
>>> set_threads(None)  # back to the default: BORDERMAP_THREADS, else every core
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from bordermap.errors import BordermapError

__all__ = ["ENV_VAR", "chunk_bounds", "get_threads", "kernel_threads", "map_chunks",
           "max_threads", "set_threads", "threads_here"]

ENV_VAR = "BORDERMAP_THREADS"
#: Points per chunk of the thread pool: large enough that a chunk's fixed cost
#: (a few numpy calls) is noise, small enough to balance two to 64 threads.
CHUNK_POINTS = 1 << 16

_chosen: int | None = None  # set_threads(); None: the environment or every core
_here = threading.local()  # per-thread override (dask worker threads: one core each)

T = TypeVar("T")


def max_threads() -> int:
    """Threads numba can run at most (``NUMBA_NUM_THREADS``, by default the core count)."""
    import numba

    return int(numba.config.NUMBA_NUM_THREADS)


def _check(value: Any, source: str) -> int:
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        n = 0
    if n < 1 or str(value).strip() != str(n):
        raise BordermapError(
            f"{source} must be a whole number of threads >= 1, got {value!r}",
            field=source, suggestion=f"e.g. {ENV_VAR}=2, or unset it to use every core",
        )
    return n


def set_threads(n: int | None) -> None:
    """Use ``n`` threads in the spatial core (``None``: back to the default).

    The default is ``BORDERMAP_THREADS`` when set, else every core.  Values above
    the cores numba was started with (``NUMBA_NUM_THREADS``) are capped there.

    Raises
    ------
    BordermapError
        ``n`` is not a whole number >= 1.
    """
    global _chosen
    _chosen = None if n is None else _check(n, "threads")


def get_threads() -> int:
    """Threads the spatial core uses now (see :func:`set_threads`)."""
    if getattr(_here, "n", None) is not None:
        n = _here.n
    elif _chosen is not None:
        n = _chosen
    elif os.environ.get(ENV_VAR, "").strip():
        n = _check(os.environ[ENV_VAR], ENV_VAR)
    else:
        n = max_threads()
    return max(1, min(n, max_threads()))


@contextmanager
def kernel_threads(n: int | None = None) -> Iterator[int]:
    """Run numba's parallel loops in this block on ``n`` (default :func:`get_threads`) threads.

    numba's thread count is per calling thread, so pool workers and dask
    worker threads each set their own; the previous value is restored.
    """
    import numba

    n = get_threads() if n is None else max(1, min(int(n), max_threads()))
    before = numba.get_num_threads()
    numba.set_num_threads(n)
    try:
        with _layer_lock():
            yield n
    finally:
        numba.set_num_threads(before)


_workqueue_lock = threading.RLock()


@contextmanager
def _layer_lock() -> Iterator[None]:
    """numba's fallback ``workqueue`` layer aborts on concurrent parallel kernels (dask's
    threaded scheduler calls them from several threads): take turns there; omp/tbb need not."""
    import numba

    try:
        layer = numba.threading_layer()
    except ValueError:  # no parallel kernel has run yet: the layer is not chosen
        layer = "workqueue"
    if layer != "workqueue":
        yield
        return
    with _workqueue_lock:
        yield


@contextmanager
def threads_here(n: int | None) -> Iterator[None]:
    """In this block and this thread only, :func:`get_threads` answers ``n`` (None: no override)."""
    before = getattr(_here, "n", None)
    _here.n = None if n is None else _check(n, "threads")
    try:
        yield
    finally:
        _here.n = before


def chunk_bounds(n: int, chunk: int) -> list[tuple[int, int]]:
    """``[(start, stop), ...]`` covering ``range(n)`` in pieces of at most ``chunk``.

    >>> chunk_bounds(5, 2)
    [(0, 2), (2, 4), (4, 5)]
    """
    return [(a, min(n, a + chunk)) for a in range(0, n, max(1, int(chunk)))]


def map_chunks(func: Callable[[int, int], T], n: int, *, chunk: int | None = None,
               threads: int | None = None) -> list[T]:
    """``[func(start, stop) for each chunk of range(n)]``, on a pool of threads.

    ``func`` should spend its time in code that releases the GIL (numba
    ``nogil`` kernels, shapely's vectorised predicates, large numpy operations).
    Results come back in chunk order whatever the thread count; with one thread
    (or one chunk) everything runs in the calling thread.
    """
    bounds = chunk_bounds(n, CHUNK_POINTS if chunk is None else chunk)
    threads = get_threads() if threads is None else threads
    if threads <= 1 or len(bounds) <= 1:
        return [func(a, b) for a, b in bounds]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(threads, len(bounds)),
                            thread_name_prefix="bordermap") as pool:
        return list(pool.map(lambda ab: func(*ab), bounds))
