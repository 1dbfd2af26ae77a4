"""Geodesic outlines: offset strips, circle arcs and fans whose union is a corridor or a ring.

The construction behind :mod:`bordermap.corridors` (see its docstring): every
vertex comes from ``Geod.fwd`` on WGS84, and chords are refined until their
midpoints lie within a quarter of the tolerance of the curve they approximate.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from bordermap.errors import CoordinateError
from bordermap.geodesy import geod

_STRIP_SPACING_M = 5000.0  # initial spacing of offset points along an edge
_MARGIN_DEG = 1e-3  # wedges overlap their neighbouring strips by this angle
_MAX_REFINE = 24


def _near(lon: np.ndarray, ref: np.ndarray) -> np.ndarray:
    """``lon`` shifted by multiples of 360° to lie within ±180° of ``ref``."""
    return ref + (lon - ref + 180.0) % 360.0 - 180.0


def _canonical(pieces: np.ndarray) -> np.ndarray:
    """Split polygons reaching past ±180° and shift the parts into [-180, 180]."""
    import shapely

    bounds = shapely.bounds(pieces)
    out = bounds[:, 0] < -180.0
    out |= bounds[:, 2] > 180.0
    if not out.any():
        return pieces
    keep = [pieces[~out]]
    wide = pieces[out]
    for k in range(-3, 4):
        box = shapely.box(360.0 * k - 180.0, -90.0, 360.0 * k + 180.0, 90.0)
        cut = shapely.intersection(wide, box)
        cut = cut[~shapely.is_empty(cut)]
        if len(cut):
            keep.append(shapely.transform(cut, lambda c, k=k: c - [360.0 * k, 0.0]))
    return _polygonal(np.concatenate(keep))


def _polygonal(geoms: np.ndarray) -> np.ndarray:
    """Only the polygon parts of ``geoms`` (drops lines/points from overlays)."""
    import shapely

    parts = shapely.get_parts(geoms)
    return parts[np.isin(shapely.get_type_id(parts), (3,))]


def _as_polygonal(geom: Any) -> Any:
    """A Polygon or MultiPolygon (possibly empty) oriented counter-clockwise."""
    import shapely

    polys = _polygonal(np.asarray([geom], dtype=object))
    polys = polys[~shapely.is_empty(polys)]
    if len(polys) == 0:
        return shapely.MultiPolygon()
    merged = polys[0] if len(polys) == 1 else shapely.MultiPolygon(list(polys))
    return shapely.orient_polygons(merged)


def _fwd(lon, lat, az, dist, ref_lon):
    lon, lat, az, dist = (
        np.ascontiguousarray(a, dtype="float64") for a in np.broadcast_arrays(lon, lat, az, dist)
    )
    lon2, lat2, back = geod().fwd(lon, lat, az, dist)
    return _near(np.asarray(lon2), ref_lon), np.asarray(lat2), np.asarray(back)


def _chord_error(lon_a, lat_a, lon_b, lat_b, lon_t, lat_t):
    """Distance (m) from the (lon, lat) midpoint of chords a-b to true points t."""
    mid_lon = 0.5 * (lon_a + lon_b)
    mid_lat = 0.5 * (lat_a + lat_b)
    _, _, err = geod().inv(mid_lon, mid_lat, lon_t, lat_t)
    return np.asarray(err)


def _arc_points(c_lon, c_lat, az0, az1, dist_m, target_m):
    """Refined geodesic arcs of radius ``dist_m`` around centres, ``az0`` → ``az1``.

    Returns (arc id, lon, lat) of points ordered along each arc.
    """
    n_arc = len(c_lon)
    step0 = math.degrees(2.0 * math.acos(max(-1.0, 1.0 - 0.6 * target_m / dist_m)))
    step0 = min(step0, 10.0)
    sweep = az1 - az0
    m = np.maximum(1, np.ceil(sweep / step0)).astype(np.int64)
    arc = np.repeat(np.arange(n_arc), m + 1)
    start = np.repeat(np.cumsum(m + 1) - (m + 1), m + 1)
    frac = (np.arange(arc.size) - start) / m[arc]
    az = az0[arc] + frac * sweep[arc]
    for _ in range(_MAX_REFINE):
        lon, lat, _ = _fwd(c_lon[arc], c_lat[arc], az, dist_m, c_lon[arc])
        same = arc[1:] == arc[:-1]
        a_mid = 0.5 * (az[1:] + az[:-1])
        t_lon, t_lat, _ = _fwd(c_lon[arc[1:]], c_lat[arc[1:]], a_mid, dist_m, c_lon[arc[1:]])
        err = _chord_error(lon[:-1], lat[:-1], lon[1:], lat[1:], t_lon, t_lat)
        bad = same & (err > target_m)
        if not bad.any():
            break
        arc = np.concatenate([arc, arc[1:][bad]])
        az = np.concatenate([az, a_mid[bad]])
        order = np.lexsort((az, arc))
        arc, az = arc[order], az[order]
    else:
        lon, lat, _ = _fwd(c_lon[arc], c_lat[arc], az, dist_m, c_lon[arc])
    return arc, lon, lat


def _strip_points(p_lon, p_lat, az_e, len_e, dist_m, target_m):
    """Refined offset points left and right of each geodesic edge.

    Returns (edge id, left lon, left lat, right lon, right lat, foot lon, foot lat,
    forward azimuth at the foot).
    """
    n_edge = len(p_lon)
    m = np.maximum(1, np.ceil(len_e / _STRIP_SPACING_M)).astype(np.int64)
    edge = np.repeat(np.arange(n_edge), m + 1)
    start = np.repeat(np.cumsum(m + 1) - (m + 1), m + 1)
    t = (np.arange(edge.size) - start) / m[edge] * len_e[edge]

    def offsets(e, tt):
        q_lon, q_lat, back = _fwd(p_lon[e], p_lat[e], az_e[e], tt, p_lon[e])
        fwd_az = back + 180.0
        l_lon, l_lat, _ = _fwd(q_lon, q_lat, fwd_az - 90.0, dist_m, q_lon)
        r_lon, r_lat, _ = _fwd(q_lon, q_lat, fwd_az + 90.0, dist_m, q_lon)
        return l_lon, l_lat, r_lon, r_lat, q_lon, q_lat, fwd_az

    for _ in range(_MAX_REFINE):
        l_lon, l_lat, r_lon, r_lat, q_lon, q_lat, q_az = offsets(edge, t)
        same = edge[1:] == edge[:-1]
        t_mid = 0.5 * (t[1:] + t[:-1])
        tl_lon, tl_lat, tr_lon, tr_lat, _, _, _ = offsets(edge[1:], t_mid)
        err = np.maximum(
            _chord_error(l_lon[:-1], l_lat[:-1], l_lon[1:], l_lat[1:], tl_lon, tl_lat),
            _chord_error(r_lon[:-1], r_lat[:-1], r_lon[1:], r_lat[1:], tr_lon, tr_lat),
        )
        bad = same & (err > target_m)
        if not bad.any():
            break
        edge = np.concatenate([edge, edge[1:][bad]])
        t = np.concatenate([t, t_mid[bad]])
        order = np.lexsort((t, edge))
        edge, t = edge[order], t[order]
    else:
        l_lon, l_lat, r_lon, r_lat, q_lon, q_lat, q_az = offsets(edge, t)
    return edge, l_lon, l_lat, r_lon, r_lat, q_lon, q_lat, q_az


def _rings_from(group: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Polygons from coordinates grouped (contiguously) by ``group``."""
    import shapely

    coords = np.column_stack([lon, lat])
    _, inverse = np.unique(group, return_inverse=True)
    return shapely.polygons(shapely.linearrings(coords, indices=inverse))


def _pole_check(lon: np.ndarray, lat: np.ndarray, dist_m: float) -> None:
    for pole_lat, name in ((90.0, "North"), (-90.0, "South")):
        _, _, to_pole = geod().inv(lon, lat, np.zeros_like(lon), np.full_like(lat, pole_lat))
        if np.min(to_pole) <= dist_m:
            raise CoordinateError(
                f"a corridor of {dist_m / 1000:g} km around this line would contain the "
                f"{name} Pole, which bordermap's (lon, lat) corridors do not support",
                field="width_km",
                suggestion="use a narrower width or range_rings() around points near the pole",
            )


def _radial_count(lat: np.ndarray, dist_m: float, target_m: float) -> int:
    """Vertices per radius so that (lon, lat) chords follow the geodesic within target."""
    # a (lon, lat) chord of length s strays about s² tan(lat) / (8 R) from the geodesic
    tan_lat = math.tan(math.radians(min(89.0, float(np.max(np.abs(lat))) + dist_m / 111e3)))
    spacing_m = math.sqrt(8.0 * 6.371e6 * target_m / max(tan_lat, 0.05))
    return max(1, math.ceil(dist_m / min(spacing_m, _STRIP_SPACING_M)))


def _corridor_pieces(lon: np.ndarray, lat: np.ndarray, dist_m: float, target_m: float):
    """Polygons whose union is the ``dist_m`` corridor of one line part.

    Strips run along each geodesic edge between its two geodesic
    perpendiculars; fans of geodesic radii and arcs cover the convex side of
    each join and the ends.  All piece outlines follow geodesic curves, so
    neighbouring pieces meet without gaps.
    """
    if len(lon) == 1:  # a single point: a full circle
        _pole_check(lon, lat, dist_m)
        arc, a_lon, a_lat = _arc_points(
            lon, lat, np.array([0.0]), np.array([360.0]), dist_m, target_m
        )
        return _rings_from(arc, a_lon, a_lat)

    az12, az21, len_e = geod().inv(lon[:-1], lat[:-1], lon[1:], lat[1:])
    az12 = np.asarray(az12)
    az_arrive = np.asarray(az21) + 180.0  # forward azimuth at each edge's end
    len_e = np.asarray(len_e)
    group, key, xs, ys = _strip_outlines(lon, lat, az12, len_e, dist_m, target_m)
    n_rad = _radial_count(lat, dist_m, target_m)
    s_rad = np.linspace(-dist_m, dist_m, 2 * n_rad + 1)[1:-1]  # interior of a perpendicular
    _fan_outlines(lon, lat, az12, az_arrive, dist_m, target_m, s_rad[n_rad:], len(len_e),
                  (group, key, xs, ys))  # fmt: skip
    group_a = np.concatenate(group)
    order = np.lexsort((np.concatenate(key), group_a))
    return _rings_from(group_a[order], np.concatenate(xs)[order], np.concatenate(ys)[order])


def _strip_outlines(lon, lat, az12, len_e, dist_m, target_m):
    """Outline vertices of the strip along each edge: (group, sort key, lon, lat) lists.

    Left side forward, perpendicular at the end (left -> right), right side
    backward, perpendicular at the start (right -> left).
    """
    n_edge = len(len_e)
    edge, l_lon, l_lat, r_lon, r_lat, q_lon, q_lat, q_az = _strip_points(
        lon[:-1], lat[:-1], az12, len_e, dist_m, target_m
    )
    _pole_check(q_lon, q_lat, dist_m)
    n_rad = _radial_count(lat, dist_m, target_m)
    s_rad = np.linspace(-dist_m, dist_m, 2 * n_rad + 1)[1:-1]  # interior of a perpendicular
    counts = np.bincount(edge, minlength=n_edge)
    first = np.cumsum(counts) - counts
    last = first + counts - 1
    pos = np.arange(edge.size) - first[edge]
    n_e = counts[edge]
    span = 2 * n_e + 2 * len(s_rad)
    group = [edge, edge]
    key = [pos / span, (n_e + len(s_rad) + (n_e - 1 - pos)) / span]
    xs, ys = [l_lon, r_lon], [l_lat, r_lat]
    for rows, sign, base in ((last, -1.0, counts), (first, 1.0, 2 * counts + len(s_rad))):
        qa_lon, qa_lat = q_lon[rows], q_lat[rows]
        alpha = q_az[rows]
        p_lon, p_lat, _ = _fwd(
            np.repeat(qa_lon, len(s_rad)),
            np.repeat(qa_lat, len(s_rad)),
            np.repeat(alpha - 90.0, len(s_rad)),
            np.tile(sign * s_rad, n_edge),
            np.repeat(qa_lon, len(s_rad)),
        )
        e_ids = np.repeat(np.arange(n_edge), len(s_rad))
        group.append(e_ids)
        key.append(
            (np.repeat(base, len(s_rad)) + np.tile(np.arange(len(s_rad)), n_edge))
            / np.repeat(2 * counts + 2 * len(s_rad), len(s_rad))
        )
        xs.append(p_lon)
        ys.append(p_lat)
    return group, key, xs, ys


def _fan_outlines(lon, lat, az12, az_arrive, dist_m, target_m, s_out, n_edge, out) -> None:
    """Append to ``out`` = (group, key, lon, lat) the outlines of the fans at the joins
    (convex side only) and the half discs at both ends; ``s_out`` are the radial
    distances in (0, d) exclusive."""
    group, key, xs, ys = out
    a_in = az_arrive[:-1]
    a_out = az12[1:]
    turn = (a_out - a_in + 180.0) % 360.0 - 180.0
    w_az0 = np.where(turn >= 0, a_in - 90.0, a_out + 90.0)
    w_az1 = w_az0 + np.abs(turn)
    c_lon = np.concatenate([lon[1:-1], lon[:1], lon[-1:]])
    c_lat = np.concatenate([lat[1:-1], lat[:1], lat[-1:]])
    az0 = np.concatenate([w_az0, az12[:1] + 90.0, az_arrive[-1:] - 90.0]) - _MARGIN_DEG
    az1 = np.concatenate([w_az1, az12[:1] + 270.0, az_arrive[-1:] + 90.0]) + _MARGIN_DEG
    arc, a_lon, a_lat = _arc_points(c_lon, c_lat, az0, az1, dist_m, target_m)
    n_fan = len(c_lon)
    fan_ids = np.arange(n_fan) + n_edge
    a_pos = (
        np.arange(arc.size)
        - (np.cumsum(np.bincount(arc, minlength=n_fan)) - np.bincount(arc, minlength=n_fan))[arc]
    )
    group += [fan_ids, arc + n_edge]
    key += [np.zeros(n_fan), 1.0 + a_pos / (a_pos.max() + 1.0)]
    xs += [c_lon, a_lon]
    ys += [c_lat, a_lat]
    for az, k0, k1 in ((az0, 0.0, 1.0), (az1, 3.0, 2.0)):
        p_lon, p_lat, _ = _fwd(
            np.repeat(c_lon, len(s_out)),
            np.repeat(c_lat, len(s_out)),
            np.repeat(az, len(s_out)),
            np.tile(s_out, n_fan),
            np.repeat(c_lon, len(s_out)),
        )
        group.append(np.repeat(fan_ids, len(s_out)))
        key.append(k0 + (k1 - k0) * np.tile(s_out / dist_m, n_fan))
        xs.append(p_lon)
        ys.append(p_lat)


def _pole_polygon(lon: np.ndarray, lat: np.ndarray, pole_lat: float) -> Any:
    """One polygon in [-180, 180] for a ring (continuous lon, not closed) around a pole.

    Every meridian crosses such a ring once, so its longitudes run monotonically
    once around; the ring is cut where it crosses ±180° and closed along the pole.
    """
    import shapely

    wrapped = (lon + 180.0) % 360.0 - 180.0
    order = np.argsort(wrapped, kind="stable")
    x, y = wrapped[order], lat[order]
    # the seam chord joins the last and the first vertex, 360° apart after sorting
    x0, y0, x1, y1 = x[-1] - 360.0, y[-1], x[0], y[0]
    y_seam = y0 + (y1 - y0) * (-180.0 - x0) / (x1 - x0) if x1 != x0 else y0
    xy = np.column_stack(
        [
            np.r_[-180.0, x, 180.0, 180.0, -180.0],
            np.r_[y_seam, y, y_seam, pole_lat, pole_lat],
        ]
    )
    return shapely.Polygon(xy)


def _ring_polygons(c_lon, c_lat, radius_m, target_m):
    """Polygons of geodesic circles of one radius around many centres."""
    import shapely

    g = geod()
    step = math.degrees(2.0 * math.acos(max(-1.0, 1.0 - 0.6 * target_m / radius_m)))
    n0 = math.ceil(360.0 / step)
    n0 = max(n0, 36)
    counts = np.full(len(c_lon), n0, dtype=np.int64)
    # which rings enclose a pole
    zeros = np.zeros_like(c_lon)
    _, _, to_n = g.inv(c_lon, c_lat, zeros, zeros + 90.0)
    _, _, to_s = g.inv(c_lon, c_lat, zeros, zeros - 90.0)
    pole = np.where(
        np.asarray(to_n) < radius_m, 90.0, np.where(np.asarray(to_s) < radius_m, -90.0, 0.0)
    )
    out = np.empty(len(c_lon), dtype=object)
    todo = np.arange(len(c_lon))
    for _ in range(_MAX_REFINE):
        if not len(todo):
            break
        still = []
        for n in np.unique(counts[todo]):
            idx = todo[counts[todo] == n]
            az = np.linspace(0.0, 360.0, n + 1)  # closed: last = first azimuth
            cl = np.repeat(c_lon[idx], n + 1)
            ct = np.repeat(c_lat[idx], n + 1)
            lon, lat, _ = g.fwd(cl, ct, np.tile(az, len(idx)), np.full(cl.size, radius_m))
            lon = np.unwrap(
                _near(np.asarray(lon), cl).reshape(len(idx), n + 1), period=360.0, axis=1
            )
            lat = np.asarray(lat).reshape(len(idx), n + 1)
            mid = 0.5 * (az[1:] + az[:-1])
            cm = np.repeat(c_lon[idx], n)
            tm = np.repeat(c_lat[idx], n)
            t_lon, t_lat, _ = g.fwd(cm, tm, np.tile(mid, len(idx)), np.full(cm.size, radius_m))
            err = _chord_error(
                lon[:, :-1].ravel(),
                lat[:, :-1].ravel(),
                lon[:, 1:].ravel(),
                lat[:, 1:].ravel(),
                np.asarray(t_lon),
                np.asarray(t_lat),
            ).reshape(len(idx), n)
            bad = err.max(axis=1) > target_m
            if n >= 2**20:
                bad[:] = False
            still.append(idx[bad])
            counts[idx[bad]] *= 2
            ok = np.flatnonzero(~bad)
            plain = ok[pole[idx[ok]] == 0]
            xy = np.stack([lon[plain], lat[plain]], axis=-1)
            xy[:, -1] = xy[:, 0]
            out[idx[plain]] = shapely.polygons(xy)
            for j in ok[pole[idx[ok]] != 0]:  # rings around a pole: close along the pole
                out[idx[j]] = _pole_polygon(lon[j, :-1], lat[j, :-1], pole[idx[j]])
        todo = np.concatenate(still) if still else np.array([], dtype=np.int64)
    bounds = shapely.bounds(out)
    wide = np.flatnonzero((bounds[:, 0] < -180.0) | (bounds[:, 2] > 180.0))
    for i in wide:  # split at the antimeridian (rare: no hot loop)
        out[i] = _as_polygonal(shapely.union_all(_canonical(out[i : i + 1])))
    return shapely.orient_polygons(out)
