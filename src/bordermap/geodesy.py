"""Geodesy on the WGS84 ellipsoid: validated coordinates, inverse/forward problems,
and the point-to-polyline distance that the spatial analysis is built on.

All functions take (lon, lat) in degrees, as scalars or arrays, and return
metres unless a name says otherwise (``distance_km``).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from bordermap.errors import CoordinateError

if TYPE_CHECKING:
    from pyproj import Geod

__all__ = [
    "WGS84_A_M",
    "WGS84_F",
    "LonLatArrays",
    "NearestResult",
    "PolylineIndex",
    "as_lonlat",
    "densify",
    "forward",
    "geod",
    "inverse",
    "points_lonlat",
]

WGS84_A_M = 6378137.0
WGS84_F = 1 / 298.257223563


@cache
def geod() -> Geod:
    """The WGS84 :class:`pyproj.Geod` used everywhere in bordermap."""
    from pyproj import Geod

    return Geod(ellps="WGS84")


class LonLatArrays(NamedTuple):
    """Validated coordinates: float64 arrays with longitudes wrapped to [-180, 180)."""

    lon: np.ndarray
    lat: np.ndarray


def _first_bad(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0])


def as_lonlat(lon: Any, lat: Any, *, what: str = "point", first_row: int = 0) -> LonLatArrays:
    """Validate longitudes and latitudes and return them as 1-d float64 arrays.

    Longitudes may lie anywhere in [-360, 360]; they are wrapped to [-180, 180).

    Parameters
    ----------
    lon, lat : float or array_like
        Degrees on WGS84, same length (or broadcastable scalars).
    what : str
        Word for the record in error messages ("point", "incident" ...).
    first_row : int
        Number of the first record, for error messages (0-based rows by default).

    Raises
    ------
    CoordinateError
        Naming the first bad row and field: non-finite values, latitude beyond
        ±90 (suggesting a swap when the longitude would be a valid latitude),
        longitude beyond ±360, or lengths that differ.

    Examples
    --------
    >>> as_lonlat(62.33, 27.37).lon
    array(62.33)
    >>> as_lonlat([190.0], [10.0]).lon
    array([-170.])
    >>> as_lonlat(39.9, 116.4)  # Beijing given as (lat, lon)
    Traceback (most recent call last):
    ...
    bordermap.errors.CoordinateError: row 0, field 'lat': latitude 116.4 is beyond ±90 (did you ...
    """
    lon_a = np.asarray(lon, dtype="float64")
    lat_a = np.asarray(lat, dtype="float64")
    if lon_a.shape != lat_a.shape:
        try:
            lon_a, lat_a = np.broadcast_arrays(lon_a, lat_a)
        except ValueError:
            raise CoordinateError(
                f"{lon_a.size} longitudes but {lat_a.size} latitudes", field="lon/lat"
            ) from None
    scalar = lon_a.ndim == 0
    lon_a = np.atleast_1d(lon_a).ravel()
    lat_a = np.atleast_1d(lat_a).ravel()
    for name, arr in (("lon", lon_a), ("lat", lat_a)):
        bad = ~np.isfinite(arr)
        if bad.any():
            i = _first_bad(bad)
            raise CoordinateError(
                f"{what} has a non-finite {name} ({arr[i]})", line=first_row + i, field=name
            )
    bad_lat = np.abs(lat_a) > 90
    if bad_lat.any():
        i = _first_bad(bad_lat)
        hint = (
            "did you swap lat and lon? (lon, lat) order is expected"
            if abs(lon_a[i]) <= 90
            else None
        )
        raise CoordinateError(
            f"latitude {lat_a[i]:g} is beyond ±90",
            line=first_row + i,
            field="lat",
            suggestion=hint,
        )
    bad_lon = np.abs(lon_a) > 360
    if bad_lon.any():
        i = _first_bad(bad_lon)
        raise CoordinateError(
            f"longitude {lon_a[i]:g} is beyond ±360",
            line=first_row + i,
            field="lon",
            suggestion="coordinates must be degrees on WGS84 (EPSG:4326); "
            "reproject projected data first",
        )
    lon_a = (lon_a + 180.0) % 360.0 - 180.0
    if scalar:
        return LonLatArrays(lon_a.reshape(()), lat_a.reshape(()))
    return LonLatArrays(lon_a, lat_a)


def inverse(lon1: Any, lat1: Any, lon2: Any, lat2: Any) -> tuple[np.ndarray, np.ndarray]:
    """Geodesic distance (m) and forward azimuth (degrees from north) from 1 to 2.

    Examples
    --------
    >>> d_m, az = inverse(-71 - 7 / 60, 42 + 15 / 60, -123 - 41 / 60, 45 + 31 / 60)
    >>> round(float(d_m), 3)  # Boston -> Portland, pyproj's own pinned figure
    4164074.239
    """
    a = as_lonlat(lon1, lat1)
    b = as_lonlat(lon2, lat2)
    az12, _az21, dist_m = geod().inv(a.lon, a.lat, b.lon, b.lat)
    return np.asarray(dist_m), np.asarray(az12)


def forward(lon: Any, lat: Any, azimuth_deg: Any, distance_m: Any) -> LonLatArrays:
    """End point of the geodesic leaving (lon, lat) at ``azimuth_deg`` for ``distance_m``.

    Examples
    --------
    >>> end = forward(64.09, 26.97, 90.0, 0.0)
    >>> round(float(end.lon), 9), round(float(end.lat), 9)
    (64.09, 26.97)
    """
    a = as_lonlat(lon, lat)
    az, dist = np.broadcast_arrays(
        np.asarray(azimuth_deg, dtype="float64"), np.asarray(distance_m, dtype="float64")
    )
    lon2, lat2, _ = geod().fwd(*np.broadcast_arrays(a.lon, a.lat, az, dist))
    return LonLatArrays(np.asarray(lon2), np.asarray(lat2))


def check_same_crs(**inputs: Any) -> None:
    """Refuse geo-objects whose CRSs differ (or where only some declare one).

    Mixing a GeoSeries in EPSG:3857 with one in EPSG:4326 is almost always a
    mistake upstream, so it is an error rather than a silent reprojection.

    Examples
    --------
    >>> import geopandas as gpd
    >>> a = gpd.GeoSeries.from_xy([64.09], [26.97], crs=4326)
    >>> check_same_crs(a=a, b=a.to_crs(3857))
    Traceback (most recent call last):
    ...
    bordermap.errors.CoordinateError: field 'b': b is in EPSG:3857 but a is in EPSG:4326 (...)
    """
    named = [(k, v.crs) for k, v in inputs.items() if hasattr(v, "crs") and hasattr(v, "geometry")]
    if len(named) < 2:
        return
    first_name, first_crs = named[0]
    for name, crs in named[1:]:
        same = (crs is None and first_crs is None) or (
            crs is not None and first_crs is not None and crs.equals(first_crs)
        )
        if not same:

            def label(c: Any) -> str:
                return (
                    "no CRS"
                    if c is None
                    else (c.to_string() if c.to_epsg() is None else f"EPSG:{c.to_epsg()}")
                )

            raise CoordinateError(
                f"{name} is in {label(crs)} but {first_name} is in {label(first_crs)}",
                field=name,
                suggestion=f"reproject one of them first, e.g. {name}.to_crs({first_name}.crs)",
            )


def points_lonlat(points: Any, *, what: str = "point") -> LonLatArrays:
    """(lon, lat) arrays from points given in any of the usual forms.

    Accepts a GeoSeries/GeoDataFrame of points (reprojected to EPSG:4326 when it
    carries another CRS), an array of shapely Points, an (N, 2) array of
    (lon, lat), or a single (lon, lat) pair.

    Raises
    ------
    CoordinateError
        For empty or non-point geometries (naming the row), or a GeoSeries whose
        coordinates are clearly projected metres but which has no CRS.
    """
    import shapely

    geoms = None
    if hasattr(points, "geometry") and hasattr(points, "crs"):
        series = points.geometry
        if series.crs is not None and not series.crs.equals("EPSG:4326"):
            series = series.to_crs("EPSG:4326")
        geoms = np.asarray(series.values, dtype=object)
    else:
        arr = np.asarray(points, dtype=object)
        if arr.size and isinstance(arr.flat[0], shapely.Geometry):
            geoms = arr.ravel()
    if geoms is not None:
        missing = shapely.is_missing(geoms)  # vectorised: no Python loop over the rows
        if missing.any():
            raise CoordinateError(
                f"{what} has no geometry", line=_first_bad(missing), field="geometry"
            )
        empty = shapely.is_empty(geoms)
        if empty.any():
            raise CoordinateError(
                f"{what} geometry is empty", line=_first_bad(empty), field="geometry"
            )
        kinds = shapely.get_type_id(geoms)
        bad = kinds != 0
        if bad.any():
            i = _first_bad(bad)
            raise CoordinateError(
                f"{what} geometry is a {geoms[i].geom_type}, not a Point",
                line=i,
                field="geometry",
                suggestion="use .representative_point() or .centroid first",
            )
        xy = shapely.get_coordinates(geoms)
        return as_lonlat(xy[:, 0], xy[:, 1], what=what)
    xy = np.asarray(points, dtype="float64")
    if xy.ndim == 1 and xy.shape[0] == 2:
        return as_lonlat(xy[0], xy[1], what=what)
    if xy.ndim != 2 or xy.shape[1] != 2:
        raise CoordinateError(f"expected (lon, lat) pairs, got an array of shape {xy.shape}")
    return as_lonlat(xy[:, 0], xy[:, 1], what=what)


# --- point-to-polyline distance ------------------------------------------------------------


class NearestResult(NamedTuple):
    """Nearest points on a polyline, one row per query point (arrays of equal length).

    ``segment`` indexes the *input* segments (over all parts, in order);
    ``side`` is +1 left of the directed line, -1 right, 0 on it.
    """

    distance_m: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    azimuth_deg: np.ndarray
    segment: np.ndarray
    side: np.ndarray


def _line_parts(line: Any) -> list[np.ndarray]:
    import shapely

    if isinstance(line, shapely.Geometry):
        if line.is_empty:
            raise CoordinateError("the line is empty", field="geometry")
        parts = shapely.get_parts(line)
        coords = []
        for part in parts:
            if part.geom_type != "LineString":
                raise CoordinateError(
                    f"expected a LineString or MultiLineString, got {part.geom_type}",
                    field="geometry",
                    suggestion="take .boundary of polygons first",
                )
            coords.append(shapely.get_coordinates(part))
        return coords
    arrs = [np.asarray(p, dtype="float64") for p in line]
    if arrs and arrs[0].ndim == 1:
        arrs = [np.asarray(line, dtype="float64")]
    return arrs


def densify(
    lon: np.ndarray, lat: np.ndarray, *, max_segment_m: float = np.inf, sag_m: float | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Insert points along the geodesic edges of a vertex chain.

    Every edge is split into equal geodesic pieces no longer than ``max_segment_m``
    and, when ``sag_m`` is given, short enough that the straight (lon, lat) chord
    of a piece departs from the geodesic by less than ``sag_m`` (L ≤ 0.9 √(8a·sag/tan φ)).

    Returns
    -------
    lon, lat : numpy.ndarray
        The densified chain; inserted points lie exactly on the geodesic edges.
    edge : numpy.ndarray
        For each piece, the index of the input edge it belongs to.

    Examples
    --------
    >>> lon, lat, edge = densify(np.array([60.0, 61.0]), np.array([30.0, 30.0]),
    ...                          max_segment_m=50_000)
    >>> len(lon), edge.tolist()
    (3, [0, 0])
    """
    g = geod()
    _az, _baz, length_m = g.inv(lon[:-1], lat[:-1], lon[1:], lat[1:])
    az = np.asarray(_az)
    length_m = np.asarray(length_m)
    step_m = np.full(length_m.shape, float(max_segment_m))
    if sag_m is not None:
        # each edge's step from the latitudes of its ends; (lon, lat) chords of
        # diagonal edges sag up to 8 % more than L² tan φ / 8a says (tests/test_mutants.py
        # measures it): see _sag_step_m
        step_m = np.minimum(step_m, _sag_step_m(lat, sag_m))
    pieces = np.maximum(np.ceil(length_m / step_m).astype(np.int64), 1)
    total = int(pieces.sum())
    seg_of = np.repeat(np.arange(len(pieces)), pieces)
    k = np.arange(total) - np.repeat(np.cumsum(pieces) - pieces, pieces)
    frac = k / pieces[seg_of]
    nlon, nlat, _ = g.fwd(lon[:-1][seg_of], lat[:-1][seg_of], az[seg_of], frac * length_m[seg_of])
    nlon = np.where(k == 0, lon[:-1][seg_of], nlon)
    nlat = np.where(k == 0, lat[:-1][seg_of], nlat)
    return np.append(nlon, lon[-1]), np.append(nlat, lat[-1]), seg_of


def _cell_grid(lon_v, lat_v, tab, tree, margin_deg: float, cells: int):
    """Grid of per-cell candidate lists around a line (an empty grid where it would not help)."""
    from bordermap import _kernels as k

    if cells <= 0 or (np.ptp(lon_v) > 180.0):  # no grid for lines crossing the antimeridian
        empty = np.zeros(1, dtype=np.int64)
        return (0.0, 0.0, 1.0, 1.0, 0, 0, empty, empty, np.zeros(1), np.zeros(1))
    lon0 = float(lon_v.min()) - margin_deg
    lon1 = float(lon_v.max()) + margin_deg
    lat0 = max(-90.0, float(lat_v.min()) - margin_deg)
    lat1 = min(90.0, float(lat_v.max()) + margin_deg)
    cells = min(cells, 256 * tab.shape[0])  # a short line needs few cells
    size = float(np.sqrt((lon1 - lon0) * (lat1 - lat0) / cells))
    nx = max(1, int(np.ceil((lon1 - lon0) / size)))
    ny = max(1, int(np.ceil((lat1 - lat0) / size)))
    offsets, items, item_d, radius = k.build_cells(lon0, lat0, size, size, nx, ny, tab, *tree)
    return (lon0, lat0, size, size, nx, ny, offsets, items, item_d, radius)


def _without_zero_pieces(xyz, seg_start, seg_prev, seg_next, seg_orig):
    """Drop the pieces of length zero (a vertex given twice), relinking their neighbours.

    A zero-length piece has no direction, so a point whose nearest piece it was got
    no side (0) beyond a line that starts or ends with a repeated vertex.  The
    vertices stay; only the pieces between equal vertices go.  A part made of one
    repeated point keeps its pieces (there is no direction to be had).
    """
    d = xyz[seg_start + 1] - xyz[seg_start]
    zero = ~(np.einsum("ij,ij->i", d, d) > 0.0)
    if not zero.any():
        return seg_start, seg_prev, seg_next, seg_orig
    part = np.cumsum(seg_prev < 0) - 1  # pieces are stored part by part
    whole_part_zero = np.bincount(part, weights=~zero) == 0
    keep = ~zero | whole_part_zero[part]
    part = part[keep]
    n = int(keep.sum())
    ids = np.arange(n)
    first = np.r_[True, part[1:] != part[:-1]]
    last = np.r_[part[1:] != part[:-1], True]
    return (
        seg_start[keep],
        np.where(first, -1, ids - 1),
        np.where(last, -1, ids + 1),
        seg_orig[keep],
    )


class PolylineIndex:
    """An immutable index over a (multi-part) polyline with geodesic edges.

    Build it once per frontier; :meth:`nearest` answers for many points at once.
    Edges are geodesics on WGS84 between consecutive vertices.

    Accuracy against geographiclib, as the tests assert it (no relative slack): within
    0.5 mm up to 200 km from the line, 4 cm up to 1,000 km (the compiled chord
    series), and 1 mm beyond 1,000 km, anywhere on the globe, antipodes included (an
    exact search with Karney's inverse over every piece that could be nearest,
    :mod:`bordermap._farfield`; slower, about 0.3 ms a point).

    Parameters
    ----------
    line : shapely LineString/MultiLineString or sequence of (N, 2) lon/lat arrays
    max_segment_m : float
        Densification step along the geodesic edges.
    grid_margin_deg, grid_cells : float, int
        Points within ``grid_margin_deg`` of the line's bounding box look up their
        candidate segments in a grid of about ``grid_cells`` cells, built once;
        others walk the bounding-box tree.  Both give identical answers.

    Examples
    --------
    >>> from shapely import LineString
    >>> idx = PolylineIndex(LineString([(62.0, 27.0), (63.0, 27.0)]))
    >>> r = idx.nearest([62.5], [27.5])
    >>> round(float(r.distance_m[0]) / 1000, 3)
    55.305
    >>> int(r.side[0])  # north of an eastward line is on its left
    1
    """

    __slots__ = ("_arrays", "_cells", "n_parts", "n_segments", "part_of_segment")

    def __init__(
        self,
        line: Any,
        *,
        max_segment_m: float = 2000.0,
        grid_margin_deg: float = 1.0,
        grid_cells: int = 1 << 17,
    ) -> None:
        parts = _line_parts(line)
        lon_all, lat_all, starts, orig, prev, nxt, part_ids = [], [], [], [], [], [], []
        offset_v = 0
        offset_orig = 0
        offset_seg = 0
        for p, xy in enumerate(parts):
            if xy.ndim != 2 or xy.shape[0] < 2:
                raise CoordinateError(
                    "a line part has fewer than two vertices", line=p, field="geometry"
                )
            ll = as_lonlat(xy[:, 0], xy[:, 1], what="line vertex")
            dlon, dlat, seg_of = densify(ll.lon, ll.lat, max_segment_m=max_segment_m)
            nseg = len(dlon) - 1
            lon_all.append(dlon)
            lat_all.append(dlat)
            starts.append(offset_v + np.arange(nseg))
            orig.append(offset_orig + seg_of)
            ids = offset_seg + np.arange(nseg)
            prev.append(np.where(np.arange(nseg) > 0, ids - 1, -1))
            nxt.append(np.where(np.arange(nseg) < nseg - 1, ids + 1, -1))
            part_ids.append(np.full(xy.shape[0] - 1, p))
            offset_v += len(dlon)
            offset_orig += xy.shape[0] - 1
            offset_seg += nseg
        if not parts:
            raise CoordinateError("the line has no parts", field="geometry")
        from bordermap import _kernels as k

        lon_v = np.concatenate(lon_all)
        lat_v = np.concatenate(lat_all)
        xyz = k.ecef_many(lon_v, lat_v)
        seg_start, seg_prev, seg_next, seg_orig = _without_zero_pieces(
            xyz, np.concatenate(starts), np.concatenate(prev), np.concatenate(nxt),
            np.concatenate(orig),
        )  # fmt: skip
        tab = k.segment_table(xyz, seg_start)
        tree = k.build_tree(tab)
        self._arrays = (
            lon_v,
            lat_v,
            xyz,
            seg_start,
            seg_prev,
            seg_next,
            tab,
            *tree,
            seg_orig,
        )
        self._cells = _cell_grid(lon_v, lat_v, tab, tree, grid_margin_deg, grid_cells)
        self.n_parts = len(parts)
        self.n_segments = offset_orig
        self.part_of_segment = np.concatenate(part_ids)

    def nearest(self, lon: Any, lat: Any, *, chunk_size: int = 1 << 20) -> NearestResult:
        """Nearest point of the line to each (lon, lat): distance, location, azimuth, side.

        ``azimuth_deg`` is the forward azimuth at the query point towards its nearest
        point, in [0, 360) degrees clockwise from north (NaN where the point lies on
        the line).
        """
        from bordermap import _kernels as k
        from bordermap._threads import kernel_threads

        pts = as_lonlat(lon, lat)
        qlon = np.atleast_1d(pts.lon)
        qlat = np.atleast_1d(pts.lat)
        n = qlon.shape[0]
        out = NearestResult(
            np.empty(n),
            np.empty(n),
            np.empty(n),
            np.empty(n),
            np.empty(n, dtype=np.int64),
            np.empty(n, dtype=np.int8),
        )
        t = np.empty(n)
        arrays = self._arrays[:-1]
        with kernel_threads():  # every core (bordermap.set_threads), per point independent
            for a in range(0, n, chunk_size):
                s = slice(a, min(n, a + chunk_size))
                outs = (
                    out.distance_m[s],
                    out.lon[s],
                    out.lat[s],
                    out.azimuth_deg[s],
                    out.segment[s],
                    t[s],
                    out.side[s],
                )
                k.nearest_on_polyline(qlon[s], qlat[s], *arrays, *self._cells, *outs)
        far = np.flatnonzero(out.distance_m < 0)  # the kernel's REFINE: beyond 1,000 km
        if far.size:
            from bordermap._farfield import refine

            refine(self._arrays, qlon, qlat, far, out, t)
        on = out.distance_m == 0
        out.azimuth_deg[on] = np.nan
        seg = out.segment
        seg[:] = self._arrays[-1][seg]
        if pts.lon.ndim == 0:
            return NearestResult(*(x[0] for x in out))
        return out


# --- likely latitude/longitude swaps (used by the command line) ---------------------------


class SwapHint(NamedTuple):
    """A point that is probably (lat, lon) given as (lon, lat), and the point meant.

    ``lon``/``lat`` are the swapped reading; the distances (km, geodesic on WGS84)
    are from each reading to the nearest vertex of the expected region.
    """

    lon: float
    lat: float
    distance_km: float
    swapped_distance_km: float


def swap_hint(
    lon: float, lat: float, expected_region: Any = None, *, near_km: float = 500.0
) -> SwapHint | None:
    """Tell whether (lon, lat) looks like latitude and longitude given in the wrong order.

    It does when the point as given is farther than ``near_km`` from
    ``expected_region`` while the swapped point (lon=lat, lat=lon) is within
    ``near_km`` of it.  Distances are geodesic (WGS84) to the region's nearest
    vertex, which is close enough for a warning.

    Parameters
    ----------
    lon, lat : float
        The point as given, in degrees.
    expected_region : shapely geometry or sequence of (lon, lat), optional
        Where the point is expected, e.g. the frontier being measured against.
        Without a region nothing is suspected (None is returned).
    near_km : float
        How near the region a reading must be to count as plausible.

    Returns
    -------
    SwapHint or None

    Examples
    --------
    Koh-e-Sabz is at 63.72 E 26.95 N; typed latitude first it lands in Finland:

    >>> import shapely
    >>> line = shapely.LineString([(61.6, 25.2), (63.3, 27.1), (62.8, 29.4)])
    >>> hint = swap_hint(26.95, 63.72, line)
    >>> hint.lon, hint.lat, round(hint.swapped_distance_km)
    (63.72, 26.95, 45)
    >>> swap_hint(63.72, 26.95, line) is None
    True
    """
    if expected_region is None:
        return None
    lon, lat = float(lon), float(lat)
    if not (np.isfinite(lon) and np.isfinite(lat)) or abs(lon) > 90 or abs(lat) > 180:
        return None
    if hasattr(expected_region, "geom_type"):
        import shapely

        xy = shapely.get_coordinates(expected_region)
    else:
        xy = np.asarray(expected_region, dtype=float).reshape(-1, 2)
    if not len(xy):
        return None

    def nearest_km(x: float, y: float) -> float:
        n = len(xy)
        _, _, d = geod().inv(np.full(n, x), np.full(n, y), xy[:, 0], xy[:, 1])
        return float(np.min(d)) / 1000.0

    as_given = nearest_km(lon, lat) if abs(lat) <= 90 else float("inf")
    if as_given <= near_km:
        return None
    swapped = nearest_km(lat, lon)
    if swapped > near_km:
        return None
    return SwapHint(lat, lon, as_given, swapped)


def _sag_step_m(lat: np.ndarray, sag_m: float) -> np.ndarray:
    """Longest piece of each edge whose (lon, lat) chord stays within ``sag_m`` of the geodesic.

    A piece of length L at latitude φ sags by about L² tan φ / 8a; measured against
    geographiclib the rule falls short by up to 8 % on diagonal edges (azimuth 45°),
    so the step is 0.9 of it (0.81 of the sag: margin for the 8 %).  φ is the larger
    |latitude| of the edge's ends, capped at 89.99°; tan φ at least 1e-3.
    """
    tan_max = np.tan(np.radians(np.minimum(np.maximum(np.abs(lat[:-1]), np.abs(lat[1:])), 89.99)))
    return 0.9 * np.sqrt(8 * WGS84_A_M * sag_m / np.maximum(tan_max, 1e-3))
