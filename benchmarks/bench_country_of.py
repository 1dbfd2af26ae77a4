"""Benchmark: bordermap.boundaries.country_of against a naive point-in-polygon loop.

Baseline ("naive loop"): for each point, build a shapely Point and test every country
polygon (plain, unprepared copies) with ``polygon.intersects(point)`` until one matches —
the obvious per-point Python loop.  bordermap queries the STR-tree for candidate
polygons of all points at once and tests them with ``shapely.intersects_xy`` on
prepared polygons.

Run: python benchmarks/bench_country_of.py
"""

from __future__ import annotations

import time

import numpy as np
import shapely

from bordermap.boundaries import country_of, load_countries


def naive(lon: np.ndarray, lat: np.ndarray, table) -> list[str]:
    # plain copies: the table's own polygons are prepared (indexed) by bordermap
    geoms = list(shapely.from_wkb(shapely.to_wkb(table.geometry.to_numpy())))
    codes = list(table.iso3)
    out = []
    for x, y in zip(lon, lat, strict=True):
        p = shapely.Point(x, y)
        out.append(next((c for c, g in zip(codes, geoms, strict=True) if g.intersects(p)), ""))
    return out


def main() -> None:
    t0 = time.perf_counter()
    table = load_countries()
    print(f"load embedded Natural Earth 1:10m: {time.perf_counter() - t0:.2f} s (cold)")

    rng = np.random.default_rng(0)
    n_fast, n_naive = 200_000, 300
    # points over South and West Asia, where the frontiers are
    lon = rng.uniform(44, 98, n_fast)
    lat = rng.uniform(5, 40, n_fast)

    country_of(lon[:10], lat[:10], table)  # warm-up (prepares polygons, builds the tree)
    t0 = time.perf_counter()
    fast = country_of(lon, lat, table)
    t_fast = time.perf_counter() - t0

    t0 = time.perf_counter()
    slow = naive(lon[:n_naive], lat[:n_naive], table)
    t_slow = time.perf_counter() - t0

    assert fast[:n_naive].tolist() == slow, "vectorized and naive answers differ"
    rate_fast = n_fast / t_fast
    rate_slow = n_naive / t_slow
    print(f"country_of (vectorized): {rate_fast:,.0f} points/s ({n_fast:,} points)")
    print(f"naive loop             : {rate_slow:,.0f} points/s ({n_naive:,} points)")
    print(f"speed-up               : {rate_fast / rate_slow:,.0f}x (answers identical)")


# --- python -m benchmarks ---------------------------------------------------------------


def _country_work(n: int, n_naive: int) -> tuple[float, float, bool]:
    table = load_countries()
    rng = np.random.default_rng(0)
    lon, lat = rng.uniform(44, 98, n), rng.uniform(5, 40, n)
    country_of(lon[:10], lat[:10], table)
    t0 = time.perf_counter()
    fast = country_of(lon, lat, table)
    t_fast = time.perf_counter() - t0
    t0 = time.perf_counter()
    slow = naive(lon[:n_naive], lat[:n_naive], table)
    t_slow = (time.perf_counter() - t0) * n / n_naive
    return t_fast, t_slow, fast[:n_naive].tolist() == slow


def rows(quick: bool = False) -> list[dict]:
    """country_of over South and West Asia against a per-point loop over the polygons."""
    from benchmarks._harness import isolated, row

    n = 50_000 if quick else 200_000
    (s, sb, same), peak = isolated(_country_work, n, 300)
    return [row("country of a point", n, s, "per-point intersects loop", sb,
                "identical answers" if same else "ANSWERS DIFFER", peak,
                "baseline timed on 300 points, scaled; peak covers both")]


if __name__ == "__main__":
    main()
