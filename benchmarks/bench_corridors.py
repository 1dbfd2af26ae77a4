"""Corridors, range rings and cross-border pairs against named naive baselines.

Run:  python benchmarks/bench_corridors.py [--quick]

Baselines (what people usually write):

- corridor: ``gdf.to_crs(gdf.estimate_utm_crs()).buffer(d).to_crs(4326)``
  (one UTM zone, GEOS's default 8 segments per quarter circle);
- range rings: per point, an azimuthal-equidistant projection centred on the
  point, ``Point(0, 0).buffer(r)`` and back (the common "geodesic buffer" recipe);
- pairs: per pair, ``Geod.npts`` to a LineString and ``shapely.intersection``
  with the frontier (crossings at chord precision, no refinement).

Accuracy is the worst |distance - d| of outline vertices and chord midpoints,
measured with geographiclib on a sample (for rings: exact distance to the centre).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import shapely
from geographiclib.geodesic import Geodesic

WGS = Geodesic.WGS84


def _timed(fn, repeat=3):
    best = float("inf")
    out = None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def _edge_sample(geom, n, seed=0):
    pts = []
    for poly in shapely.get_parts(geom):
        xy = np.asarray(poly.exterior.coords)
        pts += [xy, 0.5 * (xy[1:] + xy[:-1])]
    xy = np.vstack(pts)
    xy = xy[np.abs(xy[:, 0]) < 180]
    rng = np.random.default_rng(seed)
    return xy[rng.choice(len(xy), min(n, len(xy)), replace=False)]


def _dist_to_line_m(line, xy):
    """Exact-enough distance (geographiclib, dense 50 m edges, nearest point)."""
    parts = [shapely.get_coordinates(p) for p in shapely.get_parts(line)]
    dense = []
    for c in parts:
        for i in range(len(c) - 1):
            gl = WGS.InverseLine(c[i, 1], c[i, 0], c[i + 1, 1], c[i + 1, 0])
            for s in np.linspace(0, gl.s13, max(1, int(np.ceil(gl.s13 / 50))) + 1):
                p = gl.Position(s)
                dense.append((p["lon2"], p["lat2"]))
    dense = np.array(dense)
    lo, la = np.radians(dense[:, 0]), np.radians(dense[:, 1])
    xyz = np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])
    out = []
    for x, y in xy:
        q = np.array(
            [
                np.cos(np.radians(y)) * np.cos(np.radians(x)),
                np.cos(np.radians(y)) * np.sin(np.radians(x)),
                np.sin(np.radians(y)),
            ]
        )
        approx = np.linalg.norm(xyz - q, axis=1) * 6371008.8
        # sphere vs ellipsoid can shift the nearest point by ~1 km: keep a wide window
        cand = np.flatnonzero(approx <= approx.min() * 1.01 + 200.0)
        out.append(min(WGS.Inverse(y, x, dense[c, 1], dense[c, 0])["s12"] for c in cand))
    return np.array(out)


def bench_corridor(line, widths_km, n_sample):
    import geopandas as gpd

    from bordermap.corridors import corridor

    print("\n== corridor along the Iran–Pakistan frontier (Natural Earth 1:10m) ==")
    print(
        f"{'width':>8} {'ours s':>8} {'naive s':>8} {'speed ratio':>11} "
        f"{'ours max err m':>15} {'naive max err m':>16} {'error ratio':>11}"
    )
    gdf = gpd.GeoDataFrame(geometry=[line], crs="EPSG:4326")
    utm = gdf.estimate_utm_crs()
    for w in widths_km:
        t_ours, ours = _timed(lambda w=w: corridor(line, w))
        t_naive, naive = _timed(lambda w=w: gdf.to_crs(utm).buffer(w * 1000.0).to_crs(4326).iloc[0])
        e_ours = np.abs(_dist_to_line_m(line, _edge_sample(ours, n_sample)) - w * 1000).max()
        e_naive = np.abs(_dist_to_line_m(line, _edge_sample(naive, n_sample)) - w * 1000).max()
        print(
            f"{w:>6g}km {t_ours:>8.3f} {t_naive:>8.3f} {t_naive / t_ours:>10.2f}x "
            f"{e_ours:>15.3f} {e_naive:>16.1f} {e_naive / e_ours:>10.0f}x"
        )
    print(
        "speed ratio = naive time / ours (< 1 means ours is slower); "
        "error ratio = naive error / ours"
    )


def bench_rings(n_points, radii_km):
    import pyproj

    from bordermap.corridors import range_rings

    print(f"\n== range rings: {n_points:,} centres in 58–66 E, 24–31 N, radii {radii_km} km ==")
    rng = np.random.default_rng(1)
    lon = rng.uniform(58, 66, n_points)
    lat = rng.uniform(24, 31, n_points)
    t_ours, ours = _timed(lambda: range_rings(lon, lat, radii_km), repeat=1)

    def naive():
        out = []
        for x, y in zip(lon, lat, strict=True):
            crs = pyproj.CRS.from_proj4(f"+proj=aeqd +lon_0={x} +lat_0={y} +datum=WGS84")
            back = pyproj.Transformer.from_crs(crs, 4326, always_xy=True)
            for r in radii_km:
                disc = shapely.Point(0, 0).buffer(r * 1000.0)
                out.append(
                    shapely.transform(disc, lambda c, b=back: np.column_stack(b.transform(*c.T)))
                )
        return out

    t_naive, naive_rings = _timed(naive, repeat=1)

    def worst(geoms, centres_r):
        err = 0.0
        for g, (x, y, r) in zip(geoms, centres_r, strict=True):
            xy = _edge_sample(g, 40)
            d = np.array([WGS.Inverse(y, x, b, a)["s12"] for a, b in xy])
            err = max(err, float(np.abs(d - r * 1000).max()))
        return err

    k = min(50, n_points)
    centres = [(lon[i], lat[i], r) for i in range(k) for r in radii_km]
    ours_geoms = [
        ours.geometry[(ours.point == i) & (ours.radius_km == r)].iloc[0]
        for i in range(k)
        for r in radii_km
    ]
    e_ours = worst(ours_geoms, centres)
    e_naive = worst(naive_rings[: k * len(radii_km)], centres)
    print(f"ours  {t_ours:8.3f} s   max err {e_ours:8.3f} m (incl. geodesic areas)")
    print(f"naive {t_naive:8.3f} s   max err {e_naive:8.3f} m   (per-point AEQD + GEOS buffer)")
    print(f"speed ratio naive/ours {t_naive / t_ours:.2f}x, error ratio {e_naive / e_ours:.0f}x")


def bench_pairs(line, n_pairs):
    from pyproj import Geod

    from bordermap.pairs import pairs

    print(f"\n== cross-border pairs: {n_pairs:,} random pairs across Iran–Pakistan ==")
    rng = np.random.default_rng(2)
    a = np.column_stack([rng.uniform(61.8, 63.6, n_pairs), rng.uniform(26.3, 28.8, n_pairs)])
    b = np.column_stack([rng.uniform(61.8, 63.6, n_pairs), rng.uniform(26.3, 28.8, n_pairs)])
    t_ours, (_table, hits) = _timed(lambda: pairs(a, b, frontiers=[line]), repeat=1)
    g = Geod(ellps="WGS84")

    def naive():
        found = 0
        for p, q in zip(a, b, strict=True):
            _, _, dist = g.inv(p[0], p[1], q[0], q[1])
            n = max(1, int(np.ceil(dist / 1000.0)))
            mid = g.npts(p[0], p[1], q[0], q[1], n - 1) if n > 1 else []
            path = shapely.LineString([tuple(p), *mid, tuple(q)])
            hit = shapely.get_parts(shapely.intersection(path, line))
            found += int(np.sum(~shapely.is_empty(hit)))
        return found

    t_naive, n_naive = _timed(naive, repeat=1)
    print(f"ours  {t_ours:8.3f} s  ({len(hits):,} crossings, refined onto the geodesic)")
    print(f"naive {t_naive:8.3f} s  ({n_naive:,} crossings at chord precision)")
    print(f"speed ratio naive/ours {t_naive / t_ours:.2f}x")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes")
    args = parser.parse_args()

    from bordermap.frontiers import get_frontier

    line = get_frontier("iran-pakistan").geometry
    bench_corridor(line, [1, 10, 50, 100], 100 if args.quick else 300)
    bench_rings(200 if args.quick else 2000, [10, 50])
    bench_pairs(line, 500 if args.quick else 5000)


# --- python -m benchmarks ---------------------------------------------------------------


def _corridor_work(width_km: float, n_sample: int):
    import geopandas as gpd

    from bordermap.corridors import corridor
    from bordermap.frontiers import get_frontier

    line = get_frontier("iran-pakistan").geometry
    corridor(line, 1.0)  # warm-up
    gdf = gpd.GeoDataFrame(geometry=[line], crs="EPSG:4326")
    utm = gdf.estimate_utm_crs()
    t_ours, ours = _timed(lambda: corridor(line, width_km))
    t_naive, naive = _timed(lambda: gdf.to_crs(utm).buffer(width_km * 1e3).to_crs(4326).iloc[0])
    e_ours = np.abs(_dist_to_line_m(line, _edge_sample(ours, n_sample)) - width_km * 1e3).max()
    e_naive = np.abs(_dist_to_line_m(line, _edge_sample(naive, n_sample)) - width_km * 1e3).max()
    return t_ours, t_naive, float(e_ours), float(e_naive)


def rows(quick: bool = False) -> list[dict]:
    """Corridors along Iran-Pakistan against a UTM buffer, checked with geographiclib."""
    from benchmarks._harness import isolated, row

    out = []
    for w in (10.0,) if quick else (10.0, 50.0):
        (t, tb, e, eb), peak = isolated(_corridor_work, w, 15 if quick else 100)
        out.append(row(f"corridor {w:g} km", "iran-pakistan", t, "UTM buffer (to_crs.buffer)",
                       tb, f"edge off by {e:.3f} m; baseline {eb:,.0f} m (geographiclib)", peak,
                       "peak covers both in one process"))
    return out


if __name__ == "__main__":
    main()
