"""Spatial analysis against frontiers: distance, side and depth, bands and queries.

Every function takes many points at once — a GeoDataFrame/GeoSeries of points,
an (N, 2) array of (lon, lat), or ``lon``/``lat`` arrays — and answers in
vectorized form.  Distances are geodesic on WGS84 (see
:class:`bordermap.geodesy.PolylineIndex` for the method and its accuracy).

Conventions
-----------
- ``distance_km`` is never negative; ``signed_distance_km`` is positive on the
  side of ``frontier.countries[0]`` and negative on the side of ``countries[1]``.
- A point closer to the line than ``on_line_m`` (default 100 m, about the
  positional accuracy of a 1:10m boundary) is reported *on the line*: its
  ``side`` is ``""`` and its phrase says so; it is never silently assigned.
- Which country contains a point is decided with geodesic polygon edges (the
  two frontier countries' polygons are densified so that their straight lon/lat
  edges stay within 1 cm of the geodesics), so the answer agrees with a
  geodesic-edge point-in-polygon test for every point beyond a centimetre.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from bordermap.errors import BordermapError, CoordinateError
from bordermap.geodesy import PolylineIndex, as_lonlat, densify, points_lonlat
from bordermap.uncertainty import DistanceBounds, km_text, polyline_distance_bounds

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from bordermap.frontiers import Frontier

__all__ = [
    "ANALYSIS_COLUMNS",
    "ON_LINE_M",
    "FrontierDistance",
    "analyse",
    "band_counts",
    "curated_area",
    "distance_to_frontier",
    "frontier_distance_bounds",
    "frontier_index",
    "frontier_table",
    "nearest_frontier",
    "side_of",
    "within_km",
]

ON_LINE_M = 100.0
"""Default tolerance (m) within which a point is reported as on the line."""

ANALYSIS_COLUMNS = (
    "distance_km",
    "nearest_lon",
    "nearest_lat",
    "azimuth_deg",
    "segment",
    "segment_kind",
    "country",
    "side",
    "signed_distance_km",
    "min_distance_km",
    "max_distance_km",
    "side_certain",
    "phrase",
)
"""Columns :func:`analyse` adds; input columns of the same names are kept as ``<name>_input``."""

POLYGON_SAG_M = 0.01
"""Largest gap allowed between a polygon's lon/lat edge and its geodesic edge."""


class FrontierDistance(NamedTuple):
    """Nearest point of a frontier for each query point (arrays of equal length)."""

    distance_km: np.ndarray
    nearest_lon: np.ndarray
    nearest_lat: np.ndarray
    azimuth_deg: np.ndarray
    segment: np.ndarray  # segment name, object array
    segment_kind: np.ndarray  # segment kind, object array
    line_side: np.ndarray  # ISO-3 of the country left/right of the line at the nearest point
    min_distance_km: np.ndarray | None = None  # over each place's disc or area
    max_distance_km: np.ndarray | None = None


class _FrontierIndex(NamedTuple):
    index: PolylineIndex
    seg_names: np.ndarray  # per input segment of the index: frontier segment name
    seg_kinds: np.ndarray
    left_iso: np.ndarray  # per part: country on the left of the directed line
    right_iso: np.ndarray
    part_of_segment: np.ndarray


def _frontier(frontier: Any, boundaries: Any = None) -> Frontier:
    from bordermap.frontiers import resolve_frontier

    return resolve_frontier(frontier, boundaries)


def resolve_frontier(frontier: Any, boundaries: Any = None) -> Frontier:
    """Same as :func:`bordermap.frontiers.resolve_frontier` (kept here for callers of analysis)."""
    return _frontier(frontier, boundaries)


@lru_cache(maxsize=32)
def _country_polygons(frontier: Frontier, boundaries_key: Any) -> tuple:
    """The two frontier countries' polygons with geodesic-faithful edges (prepared)."""
    import shapely

    from bordermap.boundaries import country_geometry

    boundaries = None if boundaries_key is None else boundaries_key.boundaries
    out = []
    for iso in frontier.countries:
        geom = country_geometry(iso, boundaries)
        polys = []
        for poly in shapely.get_parts(geom):
            rings = []
            for ring in [poly.exterior, *poly.interiors]:
                xy = shapely.get_coordinates(ring)
                lon, lat, _ = densify(xy[:, 0], xy[:, 1], sag_m=POLYGON_SAG_M)
                rings.append(np.column_stack([lon, lat]))
            polys.append(shapely.Polygon(rings[0], rings[1:]))
        dense = shapely.MultiPolygon(polys) if len(polys) > 1 else polys[0]
        shapely.prepare(dense)
        out.append(dense)
    return tuple(out)


@dataclass(frozen=True)
class _BoundariesKey:
    """Boundaries as a cache key: a path by value, a table by its id (a DataFrame cannot be
    hashed); the key holds the table, so that its id is not reused while it is cached."""

    key: Any
    boundaries: Any = field(compare=False, hash=False)


def _boundaries_key(boundaries: Any) -> Any:
    if boundaries is None:
        return None
    path = isinstance(boundaries, (str, bytes, os.PathLike))
    return _BoundariesKey(boundaries if path else id(boundaries), boundaries)


def frontier_index(frontier: Frontier | str, boundaries: Any = None) -> _FrontierIndex:
    """The (cached) geodesic index of a frontier and which country lies on each side."""
    f = _frontier(frontier, boundaries)
    return _frontier_index(f, _boundaries_key(boundaries))


@lru_cache(maxsize=32)
def _frontier_index(f: Frontier, boundaries_key: Any) -> _FrontierIndex:
    import shapely

    from bordermap.geodesy import forward

    parts, names, kinds = [], [], []
    for seg in f.segments:
        for part in shapely.get_parts(seg.geometry):
            xy = shapely.get_coordinates(part)
            parts.append(xy)
            names.extend([seg.name] * (len(xy) - 1))
            kinds.extend([seg.kind] * (len(xy) - 1))
    index = PolylineIndex(parts)
    poly_a = _country_polygons(f, boundaries_key)[0]
    left, right = [], []
    for xy in parts:
        # probe 200 m either side of the middle of the part's longest edge
        from bordermap.geodesy import inverse

        dist_m, az = inverse(xy[:-1, 0], xy[:-1, 1], xy[1:, 0], xy[1:, 1])
        k = int(np.argmax(dist_m))
        mid = forward(xy[k, 0], xy[k, 1], az[k], dist_m[k] / 2)
        probe = forward(np.repeat(mid.lon, 2), np.repeat(mid.lat, 2),
                        np.array([az[k] - 90, az[k] + 90]), 200.0)
        in_a = shapely.contains_xy(poly_a, probe.lon, probe.lat)
        if in_a[0] and not in_a[1]:
            left.append(f.countries[0])
            right.append(f.countries[1])
        else:
            left.append(f.countries[1])
            right.append(f.countries[0])
    return _FrontierIndex(
        index,
        np.array(names, dtype=object),
        np.array(kinds, dtype=object),
        np.array(left, dtype=object),
        np.array(right, dtype=object),
        index.part_of_segment,
    )


def _dask_path(points: Any, *, tables: bool = False) -> Any:
    """:mod:`bordermap.cluster` for a dask collection (or, for tables, an open scheduler)."""
    from bordermap import cluster

    return cluster if cluster.routes(points, tables=tables) else None


def _lonlat(points: Any, lat: Any = None) -> tuple[np.ndarray, np.ndarray]:
    ll = as_lonlat(points, lat) if lat is not None else points_lonlat(points)
    return np.atleast_1d(ll.lon), np.atleast_1d(ll.lat)


def distance_to_frontier(
    points: Any,
    lat: Any = None,
    *,
    frontier: Frontier | str,
    boundaries: Any = None,
    precision_m: Any = None,
    areas: Any = None,
) -> FrontierDistance:
    """Geodesic distance from each point to the nearest point of a frontier.

    Parameters
    ----------
    points : GeoDataFrame, GeoSeries, (N, 2) array, or longitudes
        Points; when ``lat`` is given, ``points`` holds the longitudes.  A
        dask-geopandas frame gives a lazy frame of these fields (:mod:`bordermap.cluster`).
    lat : array_like, optional
        Latitudes, with ``points`` as longitudes.
    frontier : Frontier or str
        A :class:`~bordermap.frontiers.Frontier` or a name such as
        ``"iran-pakistan"`` or ``"IND-PAK"``.
    boundaries : optional
        A boundary file or table (see :func:`bordermap.boundaries.load_countries`).
    precision_m : float or array_like, optional
        Uncertainty radius of each point (m).  With it (or ``areas``),
        ``min_distance_km``/``max_distance_km`` hold the least and greatest
        distance over each disc or area (see :func:`frontier_distance_bounds`);
        without, they equal ``distance_km``.
    areas : sequence of shapely Polygon or None, optional
        A curated area per point, replacing its disc.

    Returns
    -------
    FrontierDistance
        ``distance_km``, the nearest point, the azimuth from the point to it
        (degrees clockwise from north, 0–360; NaN on the line), the named segment
        it lies on, and ``line_side``: the frontier country on the point's side of
        the line at that nearest point (beyond the ends of a frontier this need
        not be the country containing the point; :func:`side_of` answers that).

    Examples
    --------
    >>> r = distance_to_frontier([64.09], [26.97], frontier="iran-pakistan")  # Panjgur
    >>> round(float(r.distance_km[0]), 1), r.segment[0], r.line_side[0]
    (78.2, 'Iran–Pakistan international border', 'PAK')
    >>> r = distance_to_frontier([64.09], [26.97], frontier="iran-pakistan", precision_m=5000)
    >>> round(float(r.min_distance_km[0]), 1), round(float(r.max_distance_km[0]), 1)
    (73.2, 83.2)
    """
    if (dask_path := _dask_path(points)) is not None:  # lazy, over partitions
        return dask_path.distance_to_frontier(points, frontier=frontier, boundaries=boundaries,
                                              precision_m=precision_m, areas=areas)
    f = _frontier(frontier, boundaries)
    fi = frontier_index(f, boundaries)
    lon, lat_ = _lonlat(points, lat)
    res = fi.index.nearest(lon, lat_)
    part = fi.part_of_segment[res.segment]
    line_side = np.where(res.side > 0, fi.left_iso[part], fi.right_iso[part])
    d_km = res.distance_m / 1000.0
    lo = hi = d_km
    if precision_m is not None or areas is not None:
        lines = _frontier_lines(f) if areas is not None else None
        b = polyline_distance_bounds(fi.index, lon, lat_, 0.0 if precision_m is None
                                     else precision_m, areas=areas, lines=lines)
        lo, hi = b.min_distance_km, b.max_distance_km
    return FrontierDistance(
        d_km,
        res.lon,
        res.lat,
        res.azimuth_deg,
        fi.seg_names[res.segment],
        fi.seg_kinds[res.segment],
        line_side,
        lo,
        hi,
    )


def side_of(
    points: Any, lat: Any = None, *, frontier: Frontier | str, boundaries: Any = None
) -> np.ndarray:
    """ISO-3 code of the frontier country containing each point (``""`` for neither).

    Polygon edges are geodesics (see the module notes), so the answer is exact
    for points more than a centimetre from a border.  Most points are answered
    by a lookup in a grid of cells classified once per frontier; only points in
    cells a border crosses are tested against the polygons.

    Examples
    --------
    >>> side_of([64.09, 62.33, 66.0], [26.97, 27.37, 34.0], frontier="iran-pakistan").tolist()
    ['PAK', 'IRN', '']
    """
    import shapely

    from bordermap import _kernels, _threads

    if (dask_path := _dask_path(points)) is not None:
        return dask_path.side_of(points, frontier=frontier, boundaries=boundaries)
    f = _frontier(frontier, boundaries)
    lon, lat_ = _lonlat(points, lat)
    key = _boundaries_key(boundaries)
    g = _side_grid(f, key)
    code = np.empty(lon.shape, dtype=np.int8)  # 0 neither, 1/2 countries[0/1], 3 to test
    with _threads.kernel_threads():
        _kernels.grid_lookup(lon, lat_, g.lon0, g.lat0, g.size, g.nx, g.ny, g.label.ravel(), code)
    mixed = np.flatnonzero(code == 3)
    poly_a, poly_b = _country_polygons(f, key) if mixed.size else (None, None)

    def exact(a: int, b: int) -> np.ndarray:  # cells a border crosses: geodesic-edge polygons
        x, y = lon[mixed[a:b]], lat_[mixed[a:b]]
        in_a = shapely.contains_xy(poly_a, x, y)  # shapely releases the GIL: threads help
        return np.where(in_a, 1, np.where(shapely.contains_xy(poly_b, x, y), 2, 0))

    if mixed.size:
        code[mixed] = np.concatenate(_threads.map_chunks(exact, mixed.size))
    return np.array(["", *f.countries], dtype=object)[code]


class _SideGrid(NamedTuple):
    """Lon/lat cells labelled 0 (neither country), 1 (countries[0]), 2 (countries[1])
    or 3 (crossed by a border, to be tested exactly)."""

    lon0: float
    lat0: float
    size: float
    nx: int
    ny: int
    label: np.ndarray  # int8, (ny, nx); read by _kernels.grid_lookup


@lru_cache(maxsize=32)
def _side_grid(f: Frontier, boundaries_key: Any, cells: int = 1 << 18) -> _SideGrid:
    """Classify a grid over both countries; only cells a border crosses need a real test.

    A cell that no edge of either (densified) polygon touches lies wholly inside
    or outside each polygon, so its centre's answer holds for all its points.
    Edges are split so that no piece spans more than one cell; each piece marks
    the cells at the corners of its bounding box, which covers every cell it crosses.
    """
    import shapely

    poly_a, poly_b = _country_polygons(f, boundaries_key)
    xmin = min(poly_a.bounds[0], poly_b.bounds[0])
    ymin = min(poly_a.bounds[1], poly_b.bounds[1])
    xmax = max(poly_a.bounds[2], poly_b.bounds[2])
    ymax = max(poly_a.bounds[3], poly_b.bounds[3])
    size = float(np.sqrt((xmax - xmin) * (ymax - ymin) / cells)) or 1e-3
    nx = int(np.ceil((xmax - xmin) / size)) + 1
    ny = int(np.ceil((ymax - ymin) / size)) + 1
    label = np.zeros((ny, nx), dtype=np.int8)
    cx = xmin + (np.arange(nx) + 0.5) * size
    cy = ymin + (np.arange(ny) + 0.5) * size
    gx, gy = np.meshgrid(cx, cy)
    label[shapely.contains_xy(poly_b, gx, gy)] = 2
    label[shapely.contains_xy(poly_a, gx, gy)] = 1
    rings = shapely.get_rings(shapely.get_parts(np.array([poly_a, poly_b])))
    coords, ring_id = shapely.get_coordinates(rings, return_index=True)
    same = ring_id[1:] == ring_id[:-1]
    x0, y0 = coords[:-1][same].T
    x1, y1 = coords[1:][same].T
    pieces = np.maximum(np.ceil(np.maximum(np.abs(x1 - x0), np.abs(y1 - y0)) / size), 1)
    pieces = pieces.astype(np.int64)
    edge = np.repeat(np.arange(len(x0)), pieces)
    k = np.arange(len(edge)) - np.repeat(np.cumsum(pieces) - pieces, pieces)
    t0 = k / pieces[edge]
    t1 = (k + 1) / pieces[edge]
    px0 = x0[edge] + t0 * (x1 - x0)[edge]
    py0 = y0[edge] + t0 * (y1 - y0)[edge]
    px1 = x0[edge] + t1 * (x1 - x0)[edge]
    py1 = y0[edge] + t1 * (y1 - y0)[edge]
    ix = np.floor((np.r_[px0, px1] - xmin) / size).astype(np.int64)
    iy = np.floor((np.r_[py0, py1] - ymin) / size).astype(np.int64)
    n = len(px0)
    for jx in (ix[:n], ix[n:]):
        for jy in (iy[:n], iy[n:]):
            label[np.clip(jy, 0, ny - 1), np.clip(jx, 0, nx - 1)] = 3
    return _SideGrid(xmin, ymin, size, nx, ny, label)


def _phrases(
    distance_km: np.ndarray,
    country: np.ndarray,
    on_line: np.ndarray,
    frontier: Frontier,
    boundaries: Any,
    on_line_m: float,
) -> np.ndarray:
    from bordermap.boundaries import country_name

    names: dict[str, str] = {}

    def name(iso: str) -> str:
        if iso not in names:
            try:
                names[iso] = country_name(iso, boundaries)
            except BordermapError:
                names[iso] = iso
        return names[iso]

    title = frontier.title or (
        f"{name(frontier.countries[0])}–{name(frontier.countries[1])} frontier"
    )
    km = [f"{x:.1f}" for x in distance_km.tolist()]
    templates = {}
    for code in set(country.tolist()):
        if code in frontier.countries:
            templates[code] = "{} km inside " + name(code)
        elif code:
            templates[code] = "in " + name(code) + ", {} km from the " + title
        else:
            templates[code] = "{} km from the " + title + ", outside both countries"
    out = np.array([templates[c].format(k) for c, k in zip(country.tolist(), km, strict=True)],
                   dtype=object)
    out[on_line] = f"on the {title} (within {on_line_m:g} m)"
    return out


def _with_range(
    phrase: np.ndarray,
    distance_km: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    side_certain: np.ndarray,
    in_pair: np.ndarray,
) -> np.ndarray:
    """Add "(anywhere from A to B km; side certain)" where the place has an extent."""
    out = phrase.copy()
    for k in np.flatnonzero((hi - lo) > 1e-6):
        span = f"anywhere from {km_text(lo[k])} to {km_text(hi[k])} km"
        if in_pair[k]:
            span += "; side certain" if side_certain[k] else (
                "; side uncertain: the place's extent reaches the line"
            )
        out[k] = f"{phrase[k]} ({span})"
    return out


def analyse(
    points: Any,
    *,
    frontier: Frontier | str,
    boundaries: Any = None,
    on_line_m: float = ON_LINE_M,
    precision_m: Any = None,
    areas: Any = None,
) -> gpd.GeoDataFrame:
    """Distance, side and depth of every point relative to a frontier, as a GeoDataFrame.

    Parameters
    ----------
    points : GeoDataFrame, GeoSeries or (N, 2) array of (lon, lat)
        Or a dask-geopandas GeoDataFrame: the result is then lazy (:mod:`bordermap.cluster`).
    frontier : Frontier or str
    boundaries : optional
        A boundary file or table; the embedded Natural Earth layer by default.
    on_line_m : float
        Points nearer the line than this are reported on the line.
    precision_m : float, array_like or str, optional
        Uncertainty radius of each point (m), or the name of a column holding
        it.  By default the ``precision_m`` column of a GeoDataFrame (as made
        by :meth:`bordermap.incidents.Layer.to_geodataframe`), else 0.
    areas : sequence of shapely Polygon or None, optional
        A curated area per point, replacing its disc.  By default, rows whose
        ``place_kind`` is ``"area"`` use their gazetteer place's polygon.

    Returns
    -------
    geopandas.GeoDataFrame
        The input's columns (if any) plus ``distance_km``, ``nearest_lon``,
        ``nearest_lat``, ``azimuth_deg``, ``segment``, ``segment_kind``,
        ``country`` (the country containing the point), ``side`` (the frontier
        country containing it; ``""`` on the line or in a third country),
        ``signed_distance_km`` (positive in ``countries[0]``, negative in
        ``countries[1]``, 0 on the line, NaN elsewhere), ``min_distance_km`` and
        ``max_distance_km`` (over the place's disc or area, within 10 m),
        ``side_certain`` (the whole disc or area lies on the point's side) and
        ``phrase``.  An
        input column with one of these names (say, a stated ``country``) is
        kept, renamed ``<name>_input``.

    Examples
    --------
    >>> gdf = analyse([(64.09, 26.97)], frontier="iran-pakistan")
    >>> gdf.loc[0, "phrase"]
    '78.2 km inside Pakistan'
    """
    import geopandas as gpd

    if (dask_path := _dask_path(points, tables=True)) is not None:  # partitions, or a cluster
        return dask_path.analyse(points, frontier=frontier, boundaries=boundaries,
                                 on_line_m=on_line_m, precision_m=precision_m, areas=areas)
    lon, lat = _lonlat(points)
    if precision_m is None:
        precision_m = points["precision_m"] if _has_column(points, "precision_m") else 0.0
    elif isinstance(precision_m, str):
        precision_m = points[precision_m]
    precision_m = np.asarray(precision_m, dtype=float)
    if areas is None and _has_column(points, "place_kind") and _has_column(points, "place_id"):
        areas = _curated_areas(points)
    table = frontier_table(lon, lat, frontier=frontier, boundaries=boundaries,
                           on_line_m=on_line_m, precision_m=precision_m, areas=areas)
    if hasattr(points, "geometry") and hasattr(points, "crs"):
        out = gpd.GeoDataFrame(points.copy()) if hasattr(points, "columns") else \
            gpd.GeoDataFrame(geometry=points.copy())
        if out.crs is not None and not out.crs.equals("EPSG:4326"):
            out = out.to_crs("EPSG:4326")
    else:
        out = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    clash = [c for c in ANALYSIS_COLUMNS if c in out.columns]
    if clash:  # keep what the caller had (e.g. a stated country) beside the computed value
        out = out.rename(columns={c: f"{c}_input" for c in clash})
    for column in ANALYSIS_COLUMNS:
        out[column] = table[column].to_numpy()
    return out


def _has_column(points: Any, name: str) -> bool:
    return hasattr(points, "columns") and name in points.columns


def _curated_areas(points: Any) -> list | None:
    """Area polygons of rows naming a gazetteer place that has one (curated, administrative
    or user areas), else None per row; None when no row has one."""
    ids = points["place_id"].to_numpy(dtype=object)
    countries = (points["country"].to_numpy(dtype=object) if _has_column(points, "country")
                 else np.full(len(ids), None, dtype=object))
    out = [curated_area(i, c) if isinstance(i, str) and not i.startswith("geonames:") else None
           for i, c in zip(ids, countries, strict=True)]
    return out if any(a is not None for a in out) else None


@lru_cache(maxsize=1024)
def curated_area(place_id: str, country: str | None = None) -> Any:
    """The area polygon of a gazetteer place id (curated, administrative or user), or None.

    ``country`` is accepted for compatibility; ids are unique.

    Examples
    --------
    >>> curated_area("koh-e-sabz", "PAK").geom_type
    'Polygon'
    >>> curated_area("no-such-place") is None
    True
    """
    from bordermap.gazetteer import area_of

    return area_of(place_id)


def frontier_table(
    lon: Any,
    lat: Any,
    *,
    frontier: Frontier | str,
    boundaries: Any = None,
    on_line_m: float = ON_LINE_M,
    precision_m: Any = 0.0,
    areas: Any = None,
) -> pd.DataFrame:
    """The columns of :func:`analyse` as a plain DataFrame, without geometry.

    For callers that only need the numbers and phrases (maps, exports of many
    points): building point geometries costs more than the analysis itself.

    Examples
    --------
    >>> frontier_table([62.33], [27.37], frontier="iran-pakistan").loc[0, "phrase"]
    '42.2 km inside Iran'
    """
    import pandas as pd

    from bordermap.boundaries import country_of

    if not np.isfinite(on_line_m) or on_line_m < 0:
        raise CoordinateError(f"on_line_m must be >= 0, got {on_line_m}", field="on_line_m")
    f = _frontier(frontier, boundaries)
    lon, lat = _lonlat(lon, lat)
    d = distance_to_frontier(lon, lat, frontier=f, boundaries=boundaries)
    country = side_of(lon, lat, frontier=f, boundaries=boundaries)
    other = np.flatnonzero(country == "")
    if other.size:
        country[other] = np.asarray(country_of(lon[other], lat[other], boundaries), dtype=object)
    on_line = d.distance_km * 1000.0 <= on_line_m
    in_pair = np.isin(country.astype(str), np.array(f.countries))
    side = np.where(in_pair & ~on_line, country, "").astype(object)
    signed = np.where(country == f.countries[0], d.distance_km, -d.distance_km)
    signed = np.where(on_line, 0.0, np.where(in_pair, signed, np.nan))
    bounds = frontier_distance_bounds(
        lon, lat, precision_m, frontier=f, areas=areas, boundaries=boundaries
    )
    lo, hi = bounds.min_distance_km, bounds.max_distance_km
    # the whole disc/area on one side: it never comes within on_line_m of the line
    side_certain = in_pair & (lo * 1000.0 > on_line_m)
    phrase = _phrases(d.distance_km, country, on_line, f, boundaries, on_line_m)
    phrase = _with_range(phrase, d.distance_km, lo, hi, side_certain, in_pair)
    return pd.DataFrame(
        {
            "distance_km": d.distance_km,
            "nearest_lon": d.nearest_lon,
            "nearest_lat": d.nearest_lat,
            "azimuth_deg": d.azimuth_deg,
            "segment": d.segment,
            "segment_kind": d.segment_kind,
            "country": country,
            "side": side,
            "signed_distance_km": signed,
            "min_distance_km": lo,
            "max_distance_km": hi,
            "side_certain": side_certain,
            "phrase": phrase,
        },
        columns=list(ANALYSIS_COLUMNS),
    )


def frontier_distance_bounds(
    lon: Any,
    lat: Any,
    precision_m: Any = 0.0,
    *,
    frontier: Frontier | str,
    areas: Any = None,
    boundaries: Any = None,
) -> DistanceBounds:
    """Distance to a frontier from each stated point, and its range over the place's extent.

    See :mod:`bordermap.uncertainty` for the method; bounds are within 10 m.

    Parameters
    ----------
    lon, lat : array_like
        Stated points (degrees).
    precision_m : float or array_like
        Geodesic radius of each point's uncertainty (m); 0 or NaN for an exact point.
    frontier : Frontier or str
        A frontier or a name such as ``"iran-pakistan"``.
    areas : sequence of shapely Polygon or None, optional
        A curated area per point (lon/lat); where given it replaces the disc.
    boundaries : optional
        A boundary file or table.

    Returns
    -------
    DistanceBounds
        ``distance_km`` from the stated point, ``min_distance_km`` and
        ``max_distance_km`` over the disc or area.

    Examples
    --------
    Saravan's stated point with a 25 km radius:

    >>> b = frontier_distance_bounds([62.33096], [27.37089], [25_000], frontier="iran-pakistan")
    >>> [round(float(x[0]), 1) for x in b]
    [42.1, 17.1, 67.1]
    """
    f = _frontier(frontier, boundaries)
    fi = frontier_index(f, boundaries)
    lon_, lat_ = _lonlat(lon, lat)
    lines = _frontier_lines(f) if areas is not None else None
    return polyline_distance_bounds(fi.index, lon_, lat_, precision_m, areas=areas, lines=lines)


@lru_cache(maxsize=32)
def _frontier_lines(f: Frontier) -> Any:
    """The frontier as lon/lat lines densified to 1 m sag (for crossing tests)."""
    import shapely

    lines = []
    for seg in f.segments:
        for part in shapely.get_parts(seg.geometry):
            xy = shapely.get_coordinates(part)
            x, y, _ = densify(xy[:, 0], xy[:, 1], sag_m=1.0)
            lines.append(shapely.LineString(np.column_stack([x, y])))
    return shapely.MultiLineString(lines)


def within_km(
    points: Any, lat: Any = None, *, frontier: Frontier | str, km: float, boundaries: Any = None
) -> np.ndarray:
    """Boolean mask of the points within ``km`` kilometres of the frontier.

    Examples
    --------
    >>> within_km([64.09, 62.33], [26.97, 27.37], frontier="iran-pakistan", km=50).tolist()
    [False, True]
    """
    km = _positive(km, "km")
    d = distance_to_frontier(points, lat, frontier=frontier, boundaries=boundaries)
    return d.distance_km <= km


def _positive(value: Any, field: str) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise CoordinateError(f"{field} must be a number, got {value!r}", field=field) from None
    if not np.isfinite(v) or v <= 0:
        raise CoordinateError(f"{field} must be a positive number of km, got {value!r}",
                              field=field)
    return v


def band_counts(
    points: Any,
    *,
    frontier: Frontier | str,
    bands_km: Any = (10, 25, 50),
    boundaries: Any = None,
    on_line_m: float = ON_LINE_M,
) -> pd.DataFrame:
    """Number of points in each distance band, per side of the frontier.

    Bands are ``(0, b1]``, ``(b1, b2]`` …; points beyond the last band are not
    counted.  Points on the line count in the first band under side ``""``.

    Returns
    -------
    pandas.DataFrame
        One row per band: ``inner_km``, ``outer_km``, one column per frontier
        country, ``on_line`` and ``total``.

    Examples
    --------
    >>> t = band_counts([(64.09, 26.97), (62.33, 27.37)], frontier="iran-pakistan",
    ...                 bands_km=(50, 100))  # Panjgur 78 km, Saravan 42 km from the line
    >>> t[["band", "IRN", "PAK", "total"]].values.tolist()
    [['0-50 km', 1, 0, 1], ['50-100 km', 0, 1, 1]]
    """
    import pandas as pd

    edges = sorted({_positive(b, "bands_km") for b in np.atleast_1d(bands_km)})
    if (dask_path := _dask_path(points)) is not None:  # a Delayed table
        return dask_path.band_counts(points, frontier=frontier, bands_km=edges,
                                     boundaries=boundaries, on_line_m=on_line_m)
    gdf = analyse(points, frontier=frontier, boundaries=boundaries, on_line_m=on_line_m)
    f = _frontier(frontier, boundaries)
    inner = np.array([0.0, *edges[:-1]])
    outer = np.array(edges)
    band = np.searchsorted(outer, gdf["distance_km"].to_numpy(), side="left")
    rows = []
    side = gdf["side"].to_numpy().astype(str)
    on_line = gdf["distance_km"].to_numpy() * 1000.0 <= on_line_m  # not a third country
    for b in range(len(outer)):
        sel = band == b
        row = {"band": f"{inner[b]:g}-{outer[b]:g} km", "inner_km": inner[b],
               "outer_km": outer[b]}
        for iso in f.countries:
            row[iso] = int(np.count_nonzero(sel & (side == iso)))
        row["on_line"] = int(np.count_nonzero(sel & on_line))
        row["total"] = int(np.count_nonzero(sel))
        rows.append(row)
    return pd.DataFrame(rows)


def nearest_frontier(
    points: Any, lat: Any = None, *, frontiers: Any, boundaries: Any = None
) -> pd.DataFrame:
    """For each point, the nearest of several frontiers and the distance to it.

    Examples
    --------
    >>> t = nearest_frontier([74.79], [34.08], frontiers=["iran-pakistan", "india-pakistan"])
    >>> t.loc[0, "frontier"], t.loc[0, "segment"]
    ('india-pakistan', 'Line of Control')
    """
    import pandas as pd

    fs = [_frontier(f, boundaries) for f in frontiers]
    if not fs:
        raise BordermapError("no frontiers given", field="frontiers")
    lon, lat_ = _lonlat(points, lat)
    best = np.full(lon.shape, np.inf)
    which = np.full(lon.shape, -1)
    seg = np.full(lon.shape, "", dtype=object)
    for i, f in enumerate(fs):
        d = distance_to_frontier(lon, lat_, frontier=f, boundaries=boundaries)
        closer = d.distance_km < best
        best[closer] = d.distance_km[closer]
        which[closer] = i
        seg[closer] = d.segment[closer]
    names = np.array([f.name for f in fs], dtype=object)
    return pd.DataFrame({"frontier": names[which], "segment": seg, "distance_km": best})
