"""How far a place whose position is uncertain can be from a frontier or another place.

A place is known to a geodesic radius (``precision_m``) around its stated point,
or, for a curated area, to its polygon.  These functions give the *minimum* and
*maximum* geodesic distance over that whole disc or area, so that a phrase such
as "43.8 km inside Pakistan" can say "anywhere from 2 to 86 km".

Method
------
Let ``f(q)`` be the geodesic distance from ``q`` to the frontier and ``d = f(p)``
for the stated point ``p`` with radius ``r``.

- Minimum over the disc: ``max(0, d - r)``, exactly.  ``f`` is 1-Lipschitz for
  geodesic distance, so no point of the disc is nearer than ``d - r``; the point
  ``r`` along the shortest geodesic from ``p`` to its nearest frontier point is
  exactly ``d - r`` away.
- Maximum over the disc: at most ``d + r``.  The point ``r`` from ``p`` directly
  away from the nearest frontier point usually attains it; the kernel measures
  that point, and when it falls short by more than ``TOLERANCE_M`` (a line
  that bends round the disc) a branch-and-bound search over geodesic polar cells
  of the disc, using the Lipschitz bound ``f(q) <= f(c) + |qc|``, finds the
  maximum to within ``TOLERANCE_M``.
- Areas: the minimum over a polygon not crossed by the line lies on its
  boundary, sampled along geodesic edges every ``TOLERANCE_M`` metres (and
  lowered by half that); the maximum uses the same branch and bound over
  lon/lat cells.
- Pairs: between two discs the extremes are ``d ± (r_a + r_b)`` (the shortest
  geodesic through both centres, extended or shortened), clipped at zero.

Every bound encloses the true extreme (the minimum is never above it, the
maximum never below) and is within ``TOLERANCE_M`` (10 m) of it; the minimum
of a disc and both pair bounds are exact.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

__all__ = [
    "TOLERANCE_M",
    "DistanceBounds",
    "km_text",
    "pair_distance_bounds",
    "polyline_distance_bounds",
]

TOLERANCE_M = 10.0
"""Largest error (m) of a bound that is not exact."""


class DistanceBounds(NamedTuple):
    """Distances (km) from the stated point, and the least and greatest over its extent."""

    distance_km: np.ndarray
    min_distance_km: np.ndarray
    max_distance_km: np.ndarray


def _f_m(index: Any, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Geodesic distance (m) from each point to the indexed frontier."""
    if lon.size == 0:
        return np.zeros(0)
    return np.asarray(index.nearest(lon, lat).distance_m, dtype=float)


def _group_max(values: np.ndarray, owner: np.ndarray, n: int) -> np.ndarray:
    out = np.full(n, -np.inf)
    np.maximum.at(out, owner, values)
    return out


def _rim_max(index: Any, lon: np.ndarray, lat: np.ndarray, r_m: np.ndarray,
             best: np.ndarray) -> np.ndarray:
    """Greatest distance over each disc's rim (1-D branch and bound over the azimuth)."""
    from bordermap.geodesy import forward

    n = lon.size
    k = 16
    owner = np.repeat(np.arange(n), k)
    a0 = np.tile(np.arange(k) * (360.0 / k), n)
    da = np.full(owner.size, 360.0 / k)
    best = best.copy()
    while owner.size:
        c = forward(lon[owner], lat[owner], a0 + da / 2, r_m[owner])
        fc = _f_m(index, c.lon, c.lat)
        best = np.maximum(best, _group_max(fc, owner, n))
        # along the rim f is Lipschitz in azimuth with constant m12 <= 1.01 r per radian
        half = 1.01 * r_m[owner] * np.radians(da) / 2
        keep = (fc + half > best[owner] + TOLERANCE_M) & (half > TOLERANCE_M / 100)
        owner, a0, da = owner[keep], a0[keep], da[keep] / 2
        owner = np.concatenate([owner, owner])
        a0 = np.concatenate([a0, a0 + da])
        da = np.concatenate([da, da])
    return best


def _disc_max(index: Any, lon: np.ndarray, lat: np.ndarray, r_m: np.ndarray, d_m: np.ndarray,
              best: np.ndarray) -> np.ndarray:
    """Upper bounds, within TOLERANCE_M, of the greatest distance over each disc.

    ``best`` holds a distance attained in each disc.  The rim is searched first;
    then the cells of the interior (geodesic polar cells) that could still exceed
    it, pruned without measuring where ``d + s`` (``d`` from the stated point,
    ``s`` the cell's outer radius) is no larger.
    """
    from bordermap.geodesy import forward

    n = lon.size
    best = _rim_max(index, lon, lat, r_m, best)
    n_s, n_a = 4, 16
    owner = np.repeat(np.arange(n), n_s * n_a)
    s0 = np.tile(np.repeat(np.arange(n_s), n_a), n) * (r_m[owner] / n_s)
    a0 = np.tile(np.arange(n_a) * (360.0 / n_a), n * n_s)
    ds = r_m[owner] / n_s
    da = np.full(owner.size, 360.0 / n_a)
    for _ in range(60):
        # analytic pruning: f(q) <= d + |pq| <= d + s1
        keep = d_m[owner] + s0 + ds > best[owner] + TOLERANCE_M
        owner, s0, ds, a0, da = owner[keep], s0[keep], ds[keep], a0[keep], da[keep]
        if owner.size == 0:
            break
        c = forward(lon[owner], lat[owner], a0 + da / 2, s0 + ds / 2)
        fc = _f_m(index, c.lon, c.lat)
        best = np.maximum(best, _group_max(fc, owner, n))
        # reduced length <= arc length (x 1.01 for the ellipsoid): cell radius about its centre
        half = ds / 2 + 1.01 * (s0 + ds) * np.radians(da) / 2
        keep = fc + half > best[owner] + TOLERANCE_M
        owner, s0, ds, a0, da = owner[keep], s0[keep], ds[keep] / 2, a0[keep], da[keep] / 2
        owner = np.tile(owner, 4)
        s0 = np.concatenate([s0, s0 + ds, s0, s0 + ds])
        a0 = np.concatenate([a0, a0, a0 + da, a0 + da])
        ds, da = np.tile(ds, 4), np.tile(da, 4)
    # every pruned cell was below best + TOLERANCE_M: an upper bound within that of the max
    return np.minimum(best + TOLERANCE_M, d_m + r_m)


def _disc_bounds(
    index: Any, lon: np.ndarray, lat: np.ndarray, r_m: np.ndarray, d_m: np.ndarray,
    az_deg: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    from bordermap.geodesy import forward

    lo = np.maximum(d_m - r_m, 0.0)
    hi = d_m + r_m
    todo = np.flatnonzero(r_m > 0)
    if todo.size == 0:
        return lo, hi
    away = np.where(np.isfinite(az_deg[todo]), az_deg[todo] + 180.0, 0.0)
    far = forward(lon[todo], lat[todo], away, r_m[todo])
    f_far = _f_m(index, far.lon, far.lat)
    short = (hi[todo] - f_far > TOLERANCE_M) | ~np.isfinite(az_deg[todo])
    k = todo[short]
    if k.size:
        hi[k] = _disc_max(index, lon[k], lat[k], r_m[k], d_m[k], f_far[short])
    return lo, hi


def _area_bounds(index: Any, area: Any, line: Any) -> tuple[float, float]:
    """Least and greatest distance (m) to the frontier over a lon/lat polygon."""
    import shapely

    from bordermap.geodesy import densify, geod

    poly = area
    xy = np.concatenate([shapely.get_coordinates(r) for r in shapely.get_rings(poly)])
    # boundary samples every TOLERANCE_M along geodesic edges: no boundary point is more
    # than TOLERANCE_M / 2 from a sample, so the least sample less that is a lower bound
    lon, lat, _ = densify(xy[:, 0], xy[:, 1], max_segment_m=TOLERANCE_M)
    f_b = _f_m(index, lon, lat)
    crossed = line is not None and shapely.intersects(line, poly)
    lo = 0.0 if crossed else max(0.0, float(f_b.min()) - TOLERANCE_M / 2)
    best = float(f_b.max())
    # branch and bound for the maximum over lon/lat cells covering the polygon
    x0, y0, x1, y1 = poly.bounds
    n = 16
    gx, gy = np.meshgrid(np.linspace(x0, x1, n + 1)[:-1], np.linspace(y0, y1, n + 1)[:-1])
    cx0, cy0 = gx.ravel(), gy.ravel()
    w = np.full(cx0.shape, (x1 - x0) / n)
    h = np.full(cx0.shape, (y1 - y0) / n)
    g = geod()
    for _ in range(40):
        boxes = shapely.box(cx0, cy0, cx0 + w, cy0 + h)
        hit = shapely.intersects(boxes, poly)
        cx0, cy0, w, h = cx0[hit], cy0[hit], w[hit], h[hit]
        if cx0.size == 0:
            break
        cx, cy = cx0 + w / 2, cy0 + h / 2
        fc = _f_m(index, cx, cy)
        inside = shapely.contains_xy(poly, cx, cy)
        if inside.any():
            best = max(best, float(fc[inside].max()))
        # half-diagonal of each cell, geodesic, from the centre to its farthest corner
        corners = [(cx0, cy0), (cx0 + w, cy0), (cx0, cy0 + h), (cx0 + w, cy0 + h)]
        half = np.max([g.inv(cx, cy, a, b)[2] for a, b in corners], axis=0) * 1.001
        keep = fc + half > best + TOLERANCE_M / 2
        if not keep.any():
            break
        cx0, cy0, w, h = cx0[keep], cy0[keep], w[keep] / 2, h[keep] / 2
        cx0 = np.concatenate([cx0, cx0 + w, cx0, cx0 + w])
        cy0 = np.concatenate([cy0, cy0, cy0 + h, cy0 + h])
        w, h = np.tile(w, 4), np.tile(h, 4)
    return lo, best + TOLERANCE_M / 2


def polyline_distance_bounds(
    index: Any,
    lon: np.ndarray,
    lat: np.ndarray,
    precision_m: Any = 0.0,
    *,
    areas: Any = None,
    lines: Any = None,
) -> DistanceBounds:
    """Distance bounds to the polyline of a :class:`~bordermap.geodesy.PolylineIndex`.

    Parameters
    ----------
    index : PolylineIndex
        The line (a frontier's index, see :func:`bordermap.analysis.frontier_index`).
    lon, lat : numpy.ndarray
        Validated stated points.
    precision_m : float or array_like
        Radius of each point's uncertainty (m); 0 or NaN for an exact point.
    areas : sequence of shapely Polygon or None, optional
        A curated area per point, replacing its disc.
    lines : shapely geometry, optional
        The line in lon/lat with geodesic-faithful vertices, to tell whether an
        area is crossed by it (needed when ``areas`` is given).
    """
    r = np.broadcast_to(np.asarray(precision_m, dtype=float), lon.shape).copy()
    r[~np.isfinite(r) | (r < 0)] = 0.0
    res = index.nearest(lon, lat)
    d_m = np.asarray(res.distance_m, dtype=float)
    lo, hi = _disc_bounds(index, lon, lat, r, d_m, np.asarray(res.azimuth_deg, float))
    if areas is not None:
        for k, area in enumerate(areas):
            if area is not None:
                lo[k], hi[k] = _area_bounds(index, area, lines)
    return DistanceBounds(d_m / 1000.0, lo / 1000.0, hi / 1000.0)


def pair_distance_bounds(
    distance_km: Any, precision_a_m: Any = 0.0, precision_b_m: Any = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """Least and greatest geodesic distance (km) between two uncertain places.

    Exact for discs: ``d - (r_a + r_b)`` clipped at 0, and ``d + r_a + r_b``.

    Examples
    --------
    >>> lo, hi = pair_distance_bounds([127.0], [300_000], [5_000])
    >>> float(lo[0]), float(hi[0])
    (0.0, 432.0)
    """
    d = np.asarray(distance_km, dtype=float)
    ra = np.nan_to_num(np.asarray(precision_a_m, dtype=float), nan=0.0)
    rb = np.nan_to_num(np.asarray(precision_b_m, dtype=float), nan=0.0)
    r_km = (np.maximum(ra, 0.0) + np.maximum(rb, 0.0)) / 1000.0
    return np.maximum(d - r_km, 0.0), d + r_km


def km_text(km: float) -> str:
    """A distance in km as people write it: whole km from 10 km, tenths below.

    Examples
    --------
    >>> km_text(86.4), km_text(2.04), km_text(0.0)
    ('86', '2.0', '0')
    """
    if km >= 10 or km == 0:
        return f"{km:,.0f}"
    return f"{km:.1f}"
