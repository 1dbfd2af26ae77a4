"""Cross-border pairs: geodesic distance and azimuth between two places, and where
the geodesic between them crosses each frontier.

The geodesic from A to B is densified with ``pyproj.Geod`` (vertices at most
1 km apart) and its chords are intersected with the frontier edges (shapely
STR-tree).  Each hit is then refined by bisection along the true geodesic,
using which side of the frontier edge (itself a geodesic) a point lies on,
until it lies on both lines to well under a millimetre.

Everything runs over many pairs at once (:func:`pairs`, :func:`crossings`);
:func:`pair` is the one-pair convenience.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from bordermap.errors import CoordinateError, FrontierError
from bordermap.geodesy import as_lonlat, geod

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Crossing", "Pair", "crossings", "pair", "pairs", "resolve_frontiers"]

#: Largest spacing of the densified geodesic, m.
DENSIFY_SPACING_M = 1000.0
#: Dense geodesic points handled at once (bounds memory for millions of pairs).
CHUNK_POINTS = 2_000_000
#: Dense points per chunk of the thread pool (fixed, so that the last bits of a crossing,
#: which depend on the chunk its pair is solved in, do not depend on the thread count).
PARALLEL_CHUNK_POINTS = 100_000
_ROOT_STEPS = 60  # Illinois iterations at most (it takes ~6-10)
_ROOT_TOL_M = 1e-7  # stop when the point is this close to the frontier edge
_SAME_CROSSING_M = 0.5  # hits closer than this along the geodesic are one crossing
_LONLAT = re.compile(
    r"^\s*([-+]?\d+(?:\.\d*)?|[-+]?\.\d+)\s*,\s*([-+]?\d+(?:\.\d*)?|[-+]?\.\d+)\s*$"
)


@dataclass(frozen=True)
class Crossing:
    """Where a geodesic crosses a frontier.

    Attributes
    ----------
    lon, lat : float
        The crossing point, WGS84 degrees (on both the geodesic and the frontier).
    distance_from_a_km : float
        Geodesic distance from A along the path, km.
    frontier : str or None
        Name of the frontier (``"iran-pakistan"``), None for an unnamed line.
    segment : str or None
        Name of the frontier segment crossed ("Line of Control" ...).
    kind : str or None
        Kind of that segment ("line of control", "international border" ...).
    """

    lon: float
    lat: float
    distance_from_a_km: float
    frontier: str | None = None
    segment: str | None = None
    kind: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (coordinates to 1e-7°, distance to the metre)."""
        return {
            "lon": round(self.lon, 7),
            "lat": round(self.lat, 7),
            "distance_from_a_km": round(self.distance_from_a_km, 3),
            "frontier": self.frontier,
            "segment": self.segment,
            "kind": self.kind,
        }


@dataclass(frozen=True)
class Pair:
    """Geodesic between two places and its frontier crossings.

    Attributes
    ----------
    a_lon, a_lat, b_lon, b_lat : float
        End points, WGS84 degrees.
    distance_km : float
        Geodesic distance on WGS84, km.
    azimuth_deg : float
        Forward azimuth at A towards B, degrees clockwise from north in [0, 360).
    back_azimuth_deg : float
        Azimuth at B towards A, degrees in [0, 360).
    crossings : tuple of Crossing
        Ordered by distance from A.
    a_name, b_name : str or None
        Names of the places, when they had one.
    a_precision_m, b_precision_m : float
        Uncertainty radius of each end (m): a Place's ``precision_m``, else 0.
    min_distance_km, max_distance_km : float
        Least and greatest distance between any point of A's disc and any point
        of B's (exact; see :func:`bordermap.uncertainty.pair_distance_bounds`).
    """

    a_lon: float
    a_lat: float
    b_lon: float
    b_lat: float
    distance_km: float
    azimuth_deg: float
    back_azimuth_deg: float
    crossings: tuple[Crossing, ...] = field(default=())
    a_name: str | None = None
    b_name: str | None = None
    a_precision_m: float = 0.0
    b_precision_m: float = 0.0

    @property
    def min_distance_km(self) -> float:
        """Least distance between the two places' uncertainty discs (km)."""
        return float(self._bounds()[0][0])

    @property
    def max_distance_km(self) -> float:
        """Greatest distance between the two places' uncertainty discs (km)."""
        return float(self._bounds()[1][0])

    def _bounds(self) -> tuple[np.ndarray, np.ndarray]:
        from bordermap.uncertainty import pair_distance_bounds

        return pair_distance_bounds([self.distance_km], [self.a_precision_m],
                                    [self.b_precision_m])

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "a": {"name": self.a_name, "lon": self.a_lon, "lat": self.a_lat,
                  "precision_m": self.a_precision_m},
            "b": {"name": self.b_name, "lon": self.b_lon, "lat": self.b_lat,
                  "precision_m": self.b_precision_m},
            "distance_km": round(self.distance_km, 6),
            "min_distance_km": round(self.min_distance_km, 6),
            "max_distance_km": round(self.max_distance_km, 6),
            "azimuth_deg": round(self.azimuth_deg, 6),
            "back_azimuth_deg": round(self.back_azimuth_deg, 6),
            "crossings": [c.to_dict() for c in self.crossings],
        }


# ------------------------------------------------------------------------ inputs


def _checked(lon: Any, lat: Any, what: str) -> tuple[float, float]:
    """Validated (lon, lat); longitudes already in [-180, 180) are kept bit for bit."""
    ll = as_lonlat(lon, lat, what=what)
    lon_f = float(lon) if -180.0 <= float(lon) < 180.0 else float(ll.lon)
    return lon_f, float(ll.lat)


def _precision(value: Any) -> float:
    """A place's uncertainty radius (m), 0 when it has none."""
    p = getattr(value, "precision_m", None)
    try:
        p = float(p)
    except (TypeError, ValueError):
        return 0.0
    return p if np.isfinite(p) and p > 0 else 0.0


def _place(value: Any, what: str) -> tuple[float, float, str | None, str]:
    """(lon, lat, name, country or '') from a Place-like, a (lon, lat) pair or a string."""
    if isinstance(value, str):
        match = _LONLAT.match(value)
        if match:
            return (*_checked(float(match.group(1)), float(match.group(2)), what), None, "")
        from bordermap.gazetteer import geocode

        place = geocode(value)
        return float(place.lon), float(place.lat), place.name, place.country
    if hasattr(value, "lon") and hasattr(value, "lat"):
        name = getattr(value, "name", None)
        country = str(getattr(value, "country", "") or "")
        return (*_checked(value.lon, value.lat, what), name, country)
    try:
        lon, lat = (float(v) for v in value)
    except (TypeError, ValueError):
        raise CoordinateError(
            f"{what} must be a place, a (lon, lat) pair or 'LON,LAT', got {value!r}",
            field=what,
        ) from None
    return (*_checked(lon, lat, what), None, "")


@dataclass(frozen=True)
class _Line:
    name: str | None
    parts: tuple[np.ndarray, ...]  # (n, 2) lon/lat vertex arrays
    segments: tuple[tuple[str, str, Any], ...]  # (name, kind, geometry)


def _as_line(value: Any, name: str | None = None, boundaries: Any = None) -> _Line:
    import shapely

    if isinstance(value, str):
        from bordermap.frontiers import resolve_frontier

        value = resolve_frontier(value, boundaries)
    segs: tuple[tuple[str, str, Any], ...] = ()
    if hasattr(value, "segments") and hasattr(value, "geometry"):  # a Frontier
        name = name or getattr(value, "name", None)
        segs = tuple((s.name, s.kind, s.geometry) for s in value.segments)
        geom = value.geometry
    elif isinstance(value, shapely.Geometry):
        geom = value
    else:
        raise FrontierError(
            f"expected a frontier name, Frontier or (Multi)LineString, got {type(value).__name__}",
            field="frontiers",
        )
    parts = []
    for part in shapely.get_parts(shapely.get_parts(geom)):
        if shapely.get_type_id(part) not in (1, 2):
            raise FrontierError(
                f"frontier {name or ''} has a {part.geom_type}, expected lines".replace("  ", " "),
                field="frontiers",
            )
        xy = shapely.get_coordinates(part)
        if len(xy) < 2:
            continue
        ll = as_lonlat(xy[:, 0], xy[:, 1], what="frontier vertex")
        lon = np.where((xy[:, 0] >= -180.0) & (xy[:, 0] < 180.0), xy[:, 0], ll.lon)
        parts.append(np.column_stack([np.unwrap(lon, period=360.0), ll.lat]))
    if not parts:
        raise FrontierError(f"frontier {name or ''} is empty".replace("  ", " "), field="frontiers")
    return _Line(name, tuple(parts), segs)


def resolve_frontiers(
    frontiers: Any = None, countries: Iterable[str] = (), boundaries: Any = None
) -> tuple[Any, ...]:
    """The frontiers to test: given ones, or the named frontiers of ``countries``.

    With ``frontiers=None``: the named frontiers whose two countries include
    every (non-empty) code in ``countries``; if there is none and the two
    countries share a boundary, that shared boundary; failing that, every
    named frontier touching one of them.

    Examples
    --------
    >>> [f.name for f in resolve_frontiers(None, ["PAK", "IRN"])]
    ['iran-pakistan']
    """
    if frontiers is not None:
        if isinstance(frontiers, str) or hasattr(frontiers, "segments"):
            return (frontiers,)
        if isinstance(frontiers, Mapping):
            return tuple(frontiers.items())
        import shapely

        if isinstance(frontiers, shapely.Geometry):
            return (frontiers,)
        if not isinstance(frontiers, Iterable):
            raise FrontierError(
                f"frontiers must be names, frontiers or lines, got {type(frontiers).__name__}",
                field="frontiers",
                suggestion="e.g. frontiers='iran-pakistan' or frontiers=['IND-PAK']",
            )
        return tuple(frontiers)
    from bordermap.frontiers import all_frontiers, get_frontier

    codes = {c for c in countries if c}
    if not codes:
        return ()
    named = all_frontiers(boundaries)
    picked = tuple(f for f in named if codes <= set(f.countries))
    if picked:
        return picked
    if len(codes) == 2:
        try:
            return (get_frontier("-".join(sorted(codes)), boundaries),)
        except FrontierError:
            pass
    return tuple(f for f in named if codes & set(f.countries))


def _lines(frontiers: tuple[Any, ...], boundaries: Any = None) -> list[_Line]:
    out = []
    for item in frontiers:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
            out.append(_as_line(item[1], item[0], boundaries))
        else:
            out.append(_as_line(item, None, boundaries))
    return out


# ------------------------------------------------------------------ computation


def _wrap(x: np.ndarray) -> np.ndarray:
    return (x + 180.0) % 360.0 - 180.0


def _offset_m(lon, lat, piv_lon, piv_lat, piv_az, sign):
    """Signed offset (m) of points from the geodesic through a pivot at azimuth ``piv_az``.

    ``d · sin(azimuth to the point - azimuth of the edge)``: zero exactly on the
    edge's geodesic, smooth and nearly linear across it.
    """
    az, _, d = geod().inv(piv_lon, piv_lat, lon, lat)
    return sign * np.asarray(d) * np.sin(np.radians(np.asarray(az) - piv_az))


def _orient(ax, ay, bx, by, cx, cy):
    return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax)


def _chord_hits(lon, lat, first_chord, n_chord, cand_pair, e0, e1, chunk=2_000_000):
    """(candidate, chord) index pairs where chord and edge segments meet (lon/lat)."""
    reps = n_chord[cand_pair]
    out_c, out_k = [], []
    bounds = np.r_[0, np.cumsum(reps)]
    start = 0
    while start < len(cand_pair):
        stop = int(np.searchsorted(bounds, bounds[start] + chunk, side="right"))
        stop = min(max(stop - 1, start + 1), len(cand_pair))
        cand = np.repeat(np.arange(start, stop), reps[start:stop])
        local = np.arange(cand.size) - (bounds[cand] - bounds[start])
        k = first_chord[cand_pair[cand]] + local  # index of the chord's first point
        px, py, qx, qy = lon[k], lat[k], lon[k + 1], lat[k + 1]
        ax, ay, bx, by = e0[cand, 0], e0[cand, 1], e1[cand, 0], e1[cand, 1]
        d1 = _orient(px, py, qx, qy, ax, ay)
        d2 = _orient(px, py, qx, qy, bx, by)
        d3 = _orient(ax, ay, bx, by, px, py)
        d4 = _orient(ax, ay, bx, by, qx, qy)
        hit = (d1 * d2 <= 0) & (d3 * d4 <= 0)
        out_c.append(cand[hit])
        out_k.append(k[hit])
        start = stop
    return np.concatenate(out_c), np.concatenate(out_k)


def _crossings_arrays(a_lon, a_lat, az12, dist_m, lines: list[_Line]):
    """All crossings of the geodesics with the lines, as flat arrays."""
    import shapely

    g = geod()
    n_seg = np.maximum(1, np.ceil(dist_m / DENSIFY_SPACING_M)).astype(np.int64)
    n_seg[dist_m == 0] = 0
    pair_of_pt = np.repeat(np.arange(len(a_lon)), n_seg + 1)
    first = np.cumsum(n_seg + 1) - (n_seg + 1)
    k = np.arange(pair_of_pt.size) - first[pair_of_pt]
    s = k / np.maximum(n_seg, 1)[pair_of_pt] * dist_m[pair_of_pt]
    lon, lat, _ = g.fwd(a_lon[pair_of_pt], a_lat[pair_of_pt], az12[pair_of_pt], s)
    lon, lat = np.asarray(lon), np.asarray(lat)
    # continuous longitudes along each geodesic, starting at A
    step = _wrap(np.diff(lon, prepend=lon[:1]))
    step[k == 0] = 0.0
    cum = np.cumsum(step)
    lon = a_lon[pair_of_pt] + cum - cum[first[pair_of_pt]]
    moving = np.flatnonzero(n_seg > 0)
    if not len(moving):
        return np.array([], dtype=np.int64), np.array([]), np.array([], dtype=np.int64)
    on_path = n_seg[pair_of_pt] > 0
    paths = shapely.linestrings(
        np.column_stack([lon, lat])[on_path],
        indices=np.searchsorted(moving, pair_of_pt[on_path]),  # path i is pair moving[i]
    )

    rows = []
    for li, line in enumerate(lines):
        xy0 = np.vstack([p[:-1] for p in line.parts])
        xy1 = np.vstack([p[1:] for p in line.parts])
        shifts = (-360.0, 0.0, 360.0)
        e0 = np.vstack([xy0 + np.array([sh, 0.0]) for sh in shifts])
        e1 = np.vstack([xy1 + np.array([sh, 0.0]) for sh in shifts])
        edges = shapely.linestrings(np.stack([e0, e1], axis=1))
        tree = shapely.STRtree(edges)
        path_i, edge_i = tree.query(paths, predicate="intersects")
        if not len(path_i):
            continue
        cand_pair = moving[path_i]
        cand, p0 = _chord_hits(lon, lat, first, n_seg, cand_pair, e0[edge_i], e1[edge_i])
        if not len(cand):
            continue
        pid = cand_pair[cand]
        ei = edge_i[cand]
        f0, f1 = e0[ei], e1[ei]
        # pivot on the edge end farther from the chord (azimuths are best there)
        mid_lon = 0.5 * (lon[p0] + lon[p0 + 1])
        mid_lat = 0.5 * (lat[p0] + lat[p0 + 1])
        _, _, d0 = g.inv(f0[:, 0], f0[:, 1], mid_lon, mid_lat)
        _, _, d1 = g.inv(f1[:, 0], f1[:, 1], mid_lon, mid_lat)
        use0 = np.asarray(d0) >= np.asarray(d1)
        piv = np.where(use0[:, None], f0, f1)
        other = np.where(use0[:, None], f1, f0)
        piv_az, _, _ = g.inv(piv[:, 0], piv[:, 1], other[:, 0], other[:, 1])
        piv_az = np.asarray(piv_az)
        sign = np.where(use0, 1.0, -1.0)

        def h(idx, lo_lat, lo_lon, piv=piv, piv_az=piv_az, sign=sign):
            return _offset_m(lo_lon, lo_lat, piv[idx, 0], piv[idx, 1], piv_az[idx], sign[idx])

        every = np.arange(len(pid))
        a_t, b_t = s[p0].copy(), s[p0 + 1].copy()
        fa = h(every, lat[p0], lon[p0])
        fb = h(every, lat[p0 + 1], lon[p0 + 1])
        bracketed = fa * fb < 0
        exact = fb == 0
        b_t = np.where(fa == 0, a_t, b_t)
        fb = np.where(fa == 0, 0.0, fb)
        # Illinois (regula falsi) on the signed offset along the true geodesic
        active = np.flatnonzero(bracketed & ~exact)
        for _ in range(_ROOT_STEPS):
            if not len(active):
                break
            c = b_t[active] - fb[active] * (b_t[active] - a_t[active]) / (fb[active] - fa[active])
            c_lon, c_lat, _ = g.fwd(a_lon[pid[active]], a_lat[pid[active]], az12[pid[active]], c)
            fc = h(active, np.asarray(c_lat), np.asarray(c_lon))
            flip = fc * fb[active] < 0
            a_t[active] = np.where(flip, b_t[active], a_t[active])
            fa[active] = np.where(flip, fb[active], 0.5 * fa[active])
            b_t[active], fb[active] = c, fc
            active = active[np.abs(fc) > _ROOT_TOL_M]
        t = b_t
        touching = ~bracketed & (fa != 0) & (fb != 0)
        if touching.any():
            # grazing or collinear: where the chord meets the edge
            bad = np.flatnonzero(touching)
            chord = shapely.linestrings(
                np.stack(
                    [
                        np.column_stack([lon[p0[bad]], lat[p0[bad]]]),
                        np.column_stack([lon[p0[bad] + 1], lat[p0[bad] + 1]]),
                    ],
                    axis=1,
                )
            )
            hit = shapely.intersection(chord, edges[ei[bad]])
            hxy = shapely.get_coordinates(shapely.point_on_surface(hit))
            _, _, t_bad = g.inv(a_lon[pid[bad]], a_lat[pid[bad]], _wrap(hxy[:, 0]), hxy[:, 1])
            t[bad] = np.asarray(t_bad)
        rows.append((pid, t, np.full(len(t), li)))
    if not rows:
        empty = np.array([], dtype=np.int64)
        return empty, np.array([]), empty
    pid = np.concatenate([r[0] for r in rows])
    t = np.concatenate([r[1] for r in rows])
    line_id = np.concatenate([r[2] for r in rows])
    order = np.lexsort((t, line_id, pid))
    pid, t, line_id = pid[order], t[order], line_id[order]
    dup = np.r_[
        False,
        (pid[1:] == pid[:-1]) & (line_id[1:] == line_id[:-1]) & (np.diff(t) < _SAME_CROSSING_M),
    ]
    return pid[~dup], t[~dup], line_id[~dup]


def _segment_of(lon, lat, line_id, lines: list[_Line]):
    """(segment name, kind) of each crossing: the frontier segment nearest to it."""
    import shapely

    names = np.full(len(lon), None, dtype=object)
    kinds = np.full(len(lon), None, dtype=object)
    for li, line in enumerate(lines):
        sel = np.flatnonzero(line_id == li)
        if not len(sel) or not line.segments:
            continue
        pts = shapely.points(lon[sel], lat[sel])
        geoms = np.array([s[2] for s in line.segments], dtype=object)
        nearest = np.argmin(shapely.distance(pts[:, None], geoms[None, :]), axis=1)
        names[sel] = [line.segments[j][0] for j in nearest]
        kinds[sel] = [line.segments[j][1] for j in nearest]
    return names, kinds


def _points(values: Any, what: str) -> tuple[np.ndarray, np.ndarray]:
    from bordermap.geodesy import points_lonlat

    ll = points_lonlat(values, what=what)
    return np.atleast_1d(ll.lon), np.atleast_1d(ll.lat)


def _chunked(a_lon, a_lat, az12, dist_m, lines):
    """:func:`_crossings_arrays` over chunks of ~PARALLEL_CHUNK_POINTS dense points.

    The chunks run on a thread pool (``bordermap.set_threads``; pyproj and shapely
    release the GIL) and are joined in order, so any thread count gives the same bytes.
    """
    from bordermap._threads import map_chunks

    n_pts = np.ceil(dist_m / DENSIFY_SPACING_M) + 2
    per = min(CHUNK_POINTS, PARALLEL_CHUNK_POINTS)  # fixed: not the thread count
    ends = np.searchsorted(np.cumsum(n_pts), np.arange(1, 1 + int(n_pts.sum() // per)) * per)
    bounds = np.unique(np.r_[0, ends, len(a_lon)])

    def one(k: int, _stop: int) -> tuple:
        lo, hi = bounds[k], bounds[k + 1]
        pid, t, line_id = _crossings_arrays(
            a_lon[lo:hi], a_lat[lo:hi], az12[lo:hi], dist_m[lo:hi], lines
        )
        return pid + lo, t, line_id

    out = map_chunks(one, len(bounds) - 1, chunk=1)
    if not out:
        return np.array([], dtype=np.int64), np.array([]), np.array([], dtype=np.int64)
    return tuple(np.concatenate([o[k] for o in out]) for k in range(3))


def _compute(a_lon, a_lat, b_lon, b_lat, frontiers: tuple[Any, ...], boundaries: Any = None):
    g = geod()
    az12, az21, dist_m = g.inv(a_lon, a_lat, b_lon, b_lat)
    az12, az21, dist_m = np.asarray(az12), np.asarray(az21), np.asarray(dist_m)
    lines = _lines(frontiers, boundaries)
    if lines:
        pair, t, line_id = _chunked(a_lon, a_lat, az12, dist_m, lines)
    else:
        pair, t, line_id = np.array([], dtype=np.int64), np.array([]), np.array([], np.int64)
    c_lon, c_lat, _ = g.fwd(a_lon[pair], a_lat[pair], az12[pair], t)
    c_lon, c_lat = np.asarray(c_lon), np.asarray(c_lat)
    seg_name, seg_kind = _segment_of(c_lon, c_lat, line_id, lines)
    cross = {
        "pair": pair,
        "lon": c_lon,
        "lat": c_lat,
        "distance_from_a_km": t / 1000.0,
        "frontier": np.array([lines[i].name for i in line_id], dtype=object),
        "segment": seg_name,
        "kind": seg_kind,
    }
    return dist_m, az12 % 360.0, az21 % 360.0, cross


def pairs(
    a: Any, b: Any, *, frontiers: Any = (), boundaries: Any = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Distances, azimuths and frontier crossings of many A → B pairs at once.

    Parameters
    ----------
    a, b : array_like or GeoSeries
        Start and end points: (N, 2) arrays of (lon, lat), shapely Points or
        GeoSeries (see :func:`bordermap.geodesy.points_lonlat`).
    frontiers : frontier, sequence or mapping, optional
        Lines to cross: frontier names (``"iran-pakistan"``, ``"IND-PAK"``),
        :class:`~bordermap.frontiers.Frontier` objects, (Multi)LineStrings in
        lon/lat, or a mapping name → line.  Empty by default (no crossings).
    boundaries : optional
        Country polygons used to build frontiers from names.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        One row per pair: ``a_lon, a_lat, b_lon, b_lat, distance_km,
        azimuth_deg, back_azimuth_deg, n_crossings``; and one row per
        crossing: ``pair, lon, lat, distance_from_a_km, frontier, segment,
        kind``, ordered by pair and distance from A.

    Examples
    --------
    >>> import shapely
    >>> line = shapely.LineString([(63.0, 26.0), (63.0, 28.0)])
    >>> table, hits = pairs([(64.09, 26.97)], [(62.33, 27.37)], frontiers={"x": line})
    >>> table.n_crossings.tolist(), round(float(hits.lon.iloc[0]), 9)
    ([1], 63.0)
    """
    import pandas as pd

    from bordermap.geodesy import check_same_crs

    check_same_crs(a=a, b=b)
    a_lon, a_lat = _points(a, "a")
    b_lon, b_lat = _points(b, "b")
    if a_lon.size != b_lon.size:
        raise CoordinateError(f"{a_lon.size} start points but {b_lon.size} end points", field="b")
    chosen = resolve_frontiers(frontiers if frontiers is not None else (), (), boundaries)
    dist_m, az, back, cross = _compute(a_lon, a_lat, b_lon, b_lat, chosen, boundaries)
    table = pd.DataFrame(
        {
            "a_lon": a_lon,
            "a_lat": a_lat,
            "b_lon": b_lon,
            "b_lat": b_lat,
            "distance_km": dist_m / 1000.0,
            "azimuth_deg": az,
            "back_azimuth_deg": back,
            "n_crossings": np.bincount(cross["pair"], minlength=a_lon.size),
        }
    )
    return table, pd.DataFrame(cross)


def crossings(a: Any, b: Any, *, frontiers: Any, boundaries: Any = None) -> pd.DataFrame:
    """Only the crossings table of :func:`pairs`.

    Examples
    --------
    >>> import shapely
    >>> line = shapely.LineString([(63.0, 26.0), (63.0, 28.0)])
    >>> len(crossings([(64.09, 26.97), (64.0, 27.0)], [(62.33, 27.37), (63.5, 27.0)],
    ...               frontiers=[line]))
    1
    """
    return pairs(a, b, frontiers=frontiers, boundaries=boundaries)[1]


def pair(a: Any, b: Any, *, frontiers: Any = None, boundaries: Any = None) -> Pair:
    """Geodesic distance, azimuth and frontier crossings between two places.

    Parameters
    ----------
    a, b : Place, (lon, lat) or str
        Anything with ``lon``/``lat`` attributes (a gazetteer Place), a
        (lon, lat) pair, ``"LON,LAT"`` or a place name (looked up with
        :func:`bordermap.gazetteer.geocode`).
    frontiers : optional
        As in :func:`pairs`.  By default the named frontiers of the countries
        of A and B (a Place's own ``country``, else the country containing the
        point; see :func:`resolve_frontiers`); pass ``()`` for none.
    boundaries : optional
        Country polygons for finding those countries and frontiers.

    Returns
    -------
    Pair

    Raises
    ------
    CoordinateError, UnknownPlaceError, AmbiguousPlaceError, FrontierError

    Examples
    --------
    >>> p = pair((64.09, 26.97), (62.33, 27.37))  # Panjgur -> Saravan
    >>> round(p.distance_km, 3), round(p.azimuth_deg, 2)
    (179.966, 284.66)
    >>> [(c.frontier, round(c.distance_from_a_km, 1)) for c in p.crossings]
    [('iran-pakistan', 80.7), ('iran-pakistan', 113.7), ('iran-pakistan', 135.5)]
    """
    if isinstance(a, str) and not _LONLAT.match(a):
        from bordermap.gazetteer import geocode

        a = geocode(a)
    if isinstance(b, str) and not _LONLAT.match(b):
        from bordermap.gazetteer import geocode

        b = geocode(b)
    a_lon, a_lat, a_name, a_country = _place(a, "a")
    b_lon, b_lat, b_name, b_country = _place(b, "b")
    if frontiers is None:
        codes = [a_country, b_country]
        if not all(codes):
            from bordermap.boundaries import country_of

            found = country_of(np.array([a_lon, b_lon]), np.array([a_lat, b_lat]), boundaries)
            codes = [c or str(f) for c, f in zip(codes, found, strict=True)]
        chosen = resolve_frontiers(None, codes, boundaries)
    else:
        chosen = resolve_frontiers(frontiers, (), boundaries)
    dist_m, az, back, cross = _compute(
        np.array([a_lon]),
        np.array([a_lat]),
        np.array([b_lon]),
        np.array([b_lat]),
        chosen,
        boundaries,
    )
    hits = tuple(
        Crossing(float(lo), float(la), float(d), fr, sg, kd)
        for lo, la, d, fr, sg, kd in zip(
            cross["lon"],
            cross["lat"],
            cross["distance_from_a_km"],
            cross["frontier"],
            cross["segment"],
            cross["kind"],
            strict=True,
        )
    )
    return Pair(
        a_lon,
        a_lat,
        b_lon,
        b_lat,
        float(dist_m[0]) / 1000.0,
        float(az[0]),
        float(back[0]),
        hits,
        a_name,
        b_name,
        _precision(a),
        _precision(b),
    )
