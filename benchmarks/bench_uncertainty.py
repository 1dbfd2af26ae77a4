"""Benchmark: what the distance bounds over each place's uncertainty cost.

Compares, on the same points, the distance to the Iran–Pakistan frontier alone
(``distance_to_frontier``) with the distance plus its least and greatest value
over a disc of 0–25 km radius around every point
(``frontier_distance_bounds``), and the naive way of bounding: sampling each
disc's rim at 64 azimuths with ``pyproj.Geod.fwd`` and measuring every sample
(which is also less exact: the maximum can lie between samples, and inside).

Run:  python benchmarks/bench_uncertainty.py [--n 1000000]
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    args = ap.parse_args()
    from bordermap.analysis import distance_to_frontier, frontier_distance_bounds
    from bordermap.geodesy import forward

    rng = np.random.default_rng(7)
    n = args.n
    # points 0–60 km from the line on both sides, radii 0–25 km
    lon0 = rng.uniform(61.0, 63.6, n)
    lat0 = rng.uniform(25.5, 29.5, n)
    warm = frontier_distance_bounds(lon0[:1000], lat0[:1000], 5_000.0, frontier="iran-pakistan")
    del warm
    d = distance_to_frontier(lon0, lat0, frontier="iran-pakistan").distance_km
    keep = d < 60
    lon, lat = lon0[keep][:n], lat0[keep][:n]
    r = rng.uniform(0.0, 25_000.0, lon.size)
    print(f"{lon.size:,} points within 60 km of the Iran–Pakistan line, radii 0–25 km")

    t = time.perf_counter()
    distance_to_frontier(lon, lat, frontier="iran-pakistan")
    t_plain = time.perf_counter() - t

    t = time.perf_counter()
    b = frontier_distance_bounds(lon, lat, r, frontier="iran-pakistan")
    t_bounds = time.perf_counter() - t
    exact = np.isclose(b.max_distance_km, b.distance_km + r / 1000, rtol=0, atol=0.005)

    # naive: 64 rim samples per disc, each measured (only a tenth of the points: memory)
    m = max(1, lon.size // 10)
    k = 64
    t = time.perf_counter()
    az = np.tile(np.linspace(0, 360, k, endpoint=False), m)
    rim = forward(np.repeat(lon[:m], k), np.repeat(lat[:m], k), az, np.repeat(r[:m], k))
    dd = distance_to_frontier(rim.lon, rim.lat, frontier="iran-pakistan").distance_km
    naive_hi = dd.reshape(m, k).max(axis=1)
    t_naive = (time.perf_counter() - t) * lon.size / m
    under_m = (b.max_distance_km[:m] - naive_hi).max() * 1000

    print(f"  distance only          {t_plain:7.3f} s")
    print(f"  distance + bounds      {t_bounds:7.3f} s   ({t_bounds / t_plain:.1f}x the distance;"
          f" {100 * (~exact).mean():.2f} % of discs needed the branch-and-bound search)")
    print(f"  naive 64-sample rims   {t_naive:7.3f} s   (extrapolated from {m:,} points; "
          f"ratio {t_naive / t_bounds:.1f}x; its maximum falls short by up to {under_m:,.0f} m)")
    print(f"  peak RSS {peak_rss_mb():,.0f} MB")


# --- python -m benchmarks ---------------------------------------------------------------


def _bounds_work(n: int) -> tuple[int, float, float, float]:
    """(points, bounds seconds, naive seconds extrapolated, naive shortfall m)."""
    from bordermap.analysis import distance_to_frontier, frontier_distance_bounds
    from bordermap.geodesy import forward

    rng = np.random.default_rng(7)
    lon0, lat0 = rng.uniform(61.0, 63.6, n), rng.uniform(25.5, 29.5, n)
    frontier_distance_bounds(lon0[:1000], lat0[:1000], 5_000.0, frontier="iran-pakistan")
    keep = distance_to_frontier(lon0, lat0, frontier="iran-pakistan").distance_km < 60
    lon, lat = lon0[keep], lat0[keep]
    r = rng.uniform(0.0, 25_000.0, lon.size)
    t = time.perf_counter()
    b = frontier_distance_bounds(lon, lat, r, frontier="iran-pakistan")
    t_bounds = time.perf_counter() - t
    m, k = max(1, lon.size // 10), 64
    t = time.perf_counter()
    az = np.tile(np.linspace(0, 360, k, endpoint=False), m)
    rim = forward(np.repeat(lon[:m], k), np.repeat(lat[:m], k), az, np.repeat(r[:m], k))
    dd = distance_to_frontier(rim.lon, rim.lat, frontier="iran-pakistan").distance_km
    t_naive = (time.perf_counter() - t) * lon.size / m
    under = float((b.max_distance_km[:m] - dd.reshape(m, k).max(axis=1)).max() * 1000)
    return int(lon.size), t_bounds, t_naive, under


def rows(quick: bool = False) -> list[dict]:
    """Least/greatest distance over discs of 0-25 km against 64 rim samples per disc."""
    from benchmarks._harness import isolated, row

    (n, s, sb, under), peak = isolated(_bounds_work, 20_000 if quick else 1_000_000)
    return [row("distance bounds over discs", n, s, "64 rim samples a disc (Geod.fwd)", sb,
                f"samples' maximum short by up to {under:,.0f} m; bounds within 10 m (tests)",
                peak, "baseline timed on a tenth of the points, scaled; peak covers both")]


if __name__ == "__main__":
    main()
