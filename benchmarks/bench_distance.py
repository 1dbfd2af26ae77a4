"""Benchmark: geodesic distance to a frontier and side, against the naive baselines.

Baseline for distance (what a GeoPandas user would write)::

    gdf.to_crs(gdf.estimate_utm_crs()).distance(line_in_utm)

Baseline for side: ``shapely.contains_xy(polygon, lon, lat)`` in degrees on one
country polygon.

Run:  python benchmarks/bench_distance.py [--n 1000000]

Prints wall-clock seconds, the ratio baseline/bordermap, the largest
difference between them (the baseline's error, bordermap being exact to the
millimetre per the test-suite), and the peak resident memory.  Compilation of
the numba kernel happens once, in a warm-up call, and is reported separately.
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np
import shapely


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def baseline_distance_km(lon, lat, line) -> tuple[np.ndarray, float]:
    import geopandas as gpd

    t = time.perf_counter()
    gdf = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=4326)
    crs = gdf.estimate_utm_crs()
    projected_line = gpd.GeoSeries([line], crs=4326).to_crs(crs).iloc[0]
    d = gdf.to_crs(crs).distance(projected_line).to_numpy() / 1000
    return d, time.perf_counter() - t


def ours_km(lon, lat, frontier) -> tuple[np.ndarray, float]:
    from bordermap.analysis import distance_to_frontier

    t = time.perf_counter()
    d = distance_to_frontier(lon, lat, frontier=frontier).distance_km
    return d, time.perf_counter() - t


def report(title, ours_s, base_s, d_ours, d_base, goal):
    err_m = np.abs(d_ours - d_base).max() * 1000
    print(
        f"{title}\n  bordermap {ours_s:7.3f} s   baseline {base_s:7.3f} s   "
        f"ratio {base_s / ours_s:5.1f}x (goal >= {goal}x)   "
        f"max |bordermap - baseline| = {err_m:,.1f} m (the baseline's error)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    args = ap.parse_args()
    n = args.n

    from bordermap.analysis import frontier_index, side_of
    from bordermap.boundaries import country_geometry
    from bordermap.frontiers import Frontier, FrontierSegment, get_frontier
    from bordermap.geodesy import densify, geod

    f = get_frontier("iran-pakistan")
    xy = shapely.get_coordinates(f.geometry)
    rng = np.random.default_rng(0)

    t = time.perf_counter()
    frontier_index(f).index.nearest([60.0], [27.0])
    print(
        f"first call (index build + loading the compiled kernel): {time.perf_counter() - t:.2f} s"
    )

    k = rng.integers(0, len(xy), n)
    lon, lat, _ = geod().fwd(xy[k, 0], xy[k, 1], rng.uniform(0, 360, n), rng.uniform(0, 50e3, n))
    lon2 = rng.uniform(58, 66, n)
    lat2 = rng.uniform(24, 31, n)
    dlon, dlat, _ = densify(xy[:, 0], xy[:, 1], max_segment_m=82.0)
    dense_line = shapely.LineString(np.c_[dlon, dlat])
    dense = Frontier(
        name="iran-pakistan-dense",
        countries=f.countries,
        segments=(FrontierSegment("dense", "international border", dense_line),),
        geometry=shapely.MultiLineString([dense_line]),
        length_km=f.length_km,
    )
    frontier_index(dense).index.nearest([60.0], [27.0])
    rss0 = peak_rss_mb()
    # bordermap first, so that its peak memory is measured before the baselines'
    ours = [ours_km(lon, lat, f), ours_km(lon, lat, dense), ours_km(lon2, lat2, f)]
    print(
        f"bordermap peak RSS {peak_rss_mb():,.0f} MB (inputs and indexes: {rss0:,.0f} MB; "
        f"points are processed in chunks of {1 << 20:,})"
    )
    cases = [
        (f"{n:,} points 0-50 km from iran-pakistan ({len(xy)} vertices)", lon, lat, f.geometry, 10),
        (
            f"{n:,} points 0-50 km from a frontier of {len(dlon):,} vertices",
            lon,
            lat,
            dense_line,
            40,
        ),
        (f"{n:,} points over 58-66 E, 24-31 N", lon2, lat2, f.geometry, 5),
    ]
    for (title, x, y, line, goal), (d_ours, s_ours) in zip(cases, ours, strict=True):
        d_base, s_base = baseline_distance_km(x, y, line)
        report(title, s_ours, s_base, d_ours, d_base, goal)

    # 4. side: which frontier country contains each point
    side_of(lon2[:10], lat2[:10], frontier=f)  # builds the geodesic-edge polygons once
    t = time.perf_counter()
    side_of(lon2, lat2, frontier=f)
    s_side = time.perf_counter() - t
    pak = country_geometry("PAK")
    shapely.prepare(pak)
    t = time.perf_counter()
    shapely.contains_xy(pak, lon2, lat2)
    s_cxy = time.perf_counter() - t
    print(
        f"side_of for {n:,} points (two countries, geodesic edges)\n  bordermap {s_side:7.3f} s"
        f"   shapely.contains_xy(PAK) in degrees {s_cxy:7.3f} s   "
        f"speed {s_cxy / s_side:4.2f} of contains_xy (goal >= 0.5)"
    )


# --- python -m benchmarks ---------------------------------------------------------------


def _points(n: int):
    from bordermap.frontiers import get_frontier
    from bordermap.geodesy import geod

    f = get_frontier("iran-pakistan")
    xy = shapely.get_coordinates(f.geometry)
    rng = np.random.default_rng(0)
    k = rng.integers(0, len(xy), n)
    lon, lat, _ = geod().fwd(xy[k, 0], xy[k, 1], rng.uniform(0, 360, n), rng.uniform(0, 50e3, n))
    return f, lon, lat


def _work(n: int, which: str):
    """One workload in its own process: (seconds, result array)."""
    f, lon, lat = _points(n)
    if which == "distance":
        from bordermap.analysis import frontier_index

        frontier_index(f).index.nearest([60.0], [27.0])  # index build and kernel load
        d, s = ours_km(lon, lat, f)
        return s, d
    if which == "distance-baseline":
        return tuple(reversed(baseline_distance_km(lon, lat, f.geometry)))
    if which == "side":
        from bordermap.analysis import side_of

        side_of(lon[:10], lat[:10], frontier=f)
        t = time.perf_counter()
        side = side_of(lon, lat, frontier=f)
        return time.perf_counter() - t, np.asarray(side, dtype=object) == "PAK"
    from bordermap.boundaries import country_geometry

    pak = country_geometry("PAK")
    shapely.prepare(pak)
    t = time.perf_counter()
    inside = shapely.contains_xy(pak, lon, lat)
    return time.perf_counter() - t, inside


def rows(quick: bool = False) -> list[dict]:
    """Distance (and side) of points 0-50 km from Iran-Pakistan, against the baselines."""
    from benchmarks._harness import isolated, row

    n = 100_000 if quick else 1_000_000
    (s, d), peak = isolated(_work, n, "distance")
    (sb, db), _ = isolated(_work, n, "distance-baseline")
    err = float(np.abs(d - db).max() * 1000)
    out = [row("distance to frontier", n, s, "to_crs(UTM).distance(line)", sb,
               f"baseline off by up to {err:,.0f} m (bordermap < 1 mm vs geographiclib, tests)",
               peak)]
    (s, side), peak = isolated(_work, n, "side")
    (sb, inside), _ = isolated(_work, n, "side-baseline")
    agree = float(np.mean(side == inside) * 100)
    out.append(row("side of frontier", n, s, "shapely.contains_xy(PAK) in degrees", sb,
                   f"{agree:.3f} % agree on PAK (they differ within cm of the line: "
                   "geodesic vs planar edges)", peak))
    return out


if __name__ == "__main__":
    main()
