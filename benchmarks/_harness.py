"""What every benchmark module shares: the row format, and workloads run in their own process.

Every ``benchmarks/bench_*.py`` module exposes ``rows(quick: bool = False) -> list[dict]``
returning dicts with the keys of :data:`KEYS`; ``python -m benchmarks`` prints them as one
table.  :func:`isolated` runs one workload (a module-level function) in a fresh interpreter
(``multiprocessing`` spawn), so that each peak RSS is that workload's own (imports
included) and not the high-water mark of everything run before it.
"""

from __future__ import annotations

import multiprocessing
import resource
import time
from collections.abc import Callable
from typing import Any

KEYS = (
    "workload",
    "size",
    "seconds",
    "baseline",
    "baseline_seconds",
    "ratio",
    "accuracy",
    "peak_rss_mb",
    "note",
)


def peak_rss_mb() -> float:
    """This process's peak resident memory so far (MB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(fn: Callable[..., Any], args: tuple, kwargs: dict) -> tuple[Any, float]:
    out = fn(*args, **kwargs)
    return out, peak_rss_mb()


def isolated(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, float]:
    """``fn(*args, **kwargs)`` in a new interpreter: (its result, that process's peak RSS MB).

    ``fn`` must be a module-level function of an importable module; its result must pickle.
    """
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1, maxtasksperchild=1) as pool:
        return pool.apply(_child, (fn, args, kwargs))


def timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """(shortest wall time over ``repeat`` runs, the last result)."""
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def row(
    workload: str,
    size: int | str,
    seconds: float | None,
    baseline: str,
    baseline_seconds: float | None,
    accuracy: str,
    peak: float | None,
    note: str = "",
) -> dict[str, Any]:
    """One table row; ``ratio`` is baseline time / bordermap time (above 1: bordermap faster)."""
    ratio = None
    if seconds and baseline_seconds:
        ratio = baseline_seconds / seconds
    return {
        "workload": workload,
        "size": size,
        "seconds": seconds,
        "baseline": baseline,
        "baseline_seconds": baseline_seconds,
        "ratio": ratio,
        "accuracy": accuracy,
        "peak_rss_mb": peak,
        "note": note,
    }
