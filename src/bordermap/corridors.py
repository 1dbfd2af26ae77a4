"""Geodesic corridors along frontiers, distance bands and range rings.

Every outline vertex is an exact WGS84 geodesic construction (pyproj's
``Geod.fwd``): a ``d``-km corridor is the union of offset strips (points
exactly ``d`` away, perpendicular to the densified geodesic edges of the line)
and of circular wedges (geodesic circle arcs of radius ``d``) at the joins and
ends of the line.  Vertices are inserted until the midpoint of every chord,
taken in (lon, lat) as GeoJSON stores edges, lies within a quarter of the
tolerance ``max(1 m, 0.01 % of d)`` of the curve it approximates; the result
is therefore within that tolerance of the true geodesic distance ``d``.
Nothing is buffered in degrees.

Outputs are in (lon, lat) on WGS84 (EPSG:4326); shapes crossing the
antimeridian are split into parts on both sides of ±180°.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, Any

import numpy as np

from bordermap.errors import BoundaryError, CoordinateError, ExportError
from bordermap.geodesy import as_lonlat, geod

if TYPE_CHECKING:
    import geopandas as gpd
    import shapely

__all__ = [
    "corridor",
    "corridor_bands",
    "geodesic_area_km2",
    "range_rings",
    "tolerance_m",
    "write_bands",
]

#: Largest corridor width or ring radius accepted, in km.
MAX_WIDTH_KM = 5000.0
_STRIP_SPACING_M = 5000.0  # initial spacing of offset points along an edge
_MARGIN_DEG = 1e-3  # wedges overlap their neighbouring strips by this angle
_MAX_REFINE = 24
_RING_CHUNK = 2000  # centres per batch of range rings


# --------------------------------------------------------------------------- helpers


def tolerance_m(width_km: float) -> float:
    """Accuracy promised for a corridor edge or ring of ``width_km``: max(1 m, 0.01 %).

    Examples
    --------
    >>> tolerance_m(50)
    5.0
    >>> tolerance_m(2)
    1.0
    """
    return max(1.0, 1e-4 * float(width_km) * 1000.0)


def _check_width(value: Any, field: str = "width_km") -> float:
    """A finite, positive width in km, or a CoordinateError naming ``field``."""
    if isinstance(value, bool) or value is None:
        raise CoordinateError(f"{field} must be a number of km, got {value!r}", field=field)
    try:
        width = float(value)
    except (TypeError, ValueError):
        raise CoordinateError(
            f"{field} must be a number of km, got {value!r}", field=field
        ) from None
    if not math.isfinite(width):
        raise CoordinateError(f"{field} must be finite, got {value!r}", field=field)
    if width <= 0:
        raise CoordinateError(
            f"{field} must be greater than 0 km, got {width:g}",
            field=field,
            suggestion="give a positive width such as 10",
        )
    if width > MAX_WIDTH_KM:
        raise CoordinateError(
            f"{field} of {width:g} km is beyond the supported {MAX_WIDTH_KM:g} km", field=field
        )
    return width


def _keep_in_range(given: Any, wrapped: np.ndarray) -> np.ndarray:
    """Longitudes as given where already in [-180, 180) (bit for bit), else wrapped."""
    given = np.broadcast_to(np.asarray(given, dtype="float64"), wrapped.shape).ravel()
    wrapped = np.ravel(wrapped)
    return np.where((given >= -180.0) & (given < 180.0), given, wrapped)


def _near(lon: np.ndarray, ref: np.ndarray) -> np.ndarray:
    """``lon`` shifted by multiples of 360° to lie within ±180° of ``ref``."""
    return ref + (lon - ref + 180.0) % 360.0 - 180.0


def _frontier(line: Any, boundaries: Any = None) -> Any:
    """``line`` itself, or the frontier a name or ISO-3 pair ("IRN-PAK") stands for."""
    if isinstance(line, str):
        import shapely

        from bordermap.frontiers import get_frontier

        table = None if isinstance(boundaries, (shapely.Geometry, Mapping)) else boundaries
        return get_frontier(line, table)
    return line


def _line_geometry(line: Any) -> Any:
    """A shapely geometry in EPSG:4326 from a Frontier, GeoSeries/GeoDataFrame or geometry."""
    import shapely

    if isinstance(line, shapely.Geometry):
        return line
    if hasattr(line, "crs") and hasattr(line, "geometry"):  # GeoSeries / GeoDataFrame
        series = line.geometry
        if series.crs is None:
            xy = shapely.get_coordinates(np.asarray(series.values, dtype=object))
            if xy.size and (np.abs(xy[:, 0]).max() > 360 or np.abs(xy[:, 1]).max() > 90):
                raise CoordinateError(
                    "line coordinates look projected but the layer has no CRS",
                    field="geometry",
                    suggestion="set its CRS (e.g. .set_crs(...)) first",
                )
        elif not series.crs.equals("EPSG:4326"):
            series = series.to_crs("EPSG:4326")
        return shapely.GeometryCollection(
            [g for g in series.values if g is not None and not g.is_empty]
        )
    geometry = getattr(line, "geometry", None)  # a Frontier or anything with .geometry
    if isinstance(geometry, shapely.Geometry):
        return geometry
    raise CoordinateError(
        f"expected a frontier or a (Multi)LineString, got {type(line).__name__}",
        field="line",
        suggestion="use bordermap.frontiers.get_frontier('IRN-PAK')",
    )


def _line_parts(line: Any) -> list[tuple[np.ndarray, np.ndarray]]:
    """Validated (lon, lat) vertex arrays of each part of ``line``.

    Longitudes are made continuous along each part (a part crossing the
    antimeridian runs past ±180°); repeated vertices are dropped.
    """
    import shapely

    geom = _line_geometry(line)
    if geom.is_empty:
        raise CoordinateError("the line is empty", field="geometry")
    parts = shapely.get_parts(shapely.get_parts(geom))
    kinds = set(shapely.get_type_id(parts).tolist())
    if not kinds <= {1, 2}:  # LineString, LinearRing
        names = sorted({p.geom_type for p in parts if shapely.get_type_id(p) not in (1, 2)})
        raise CoordinateError(
            f"expected line geometries, got {', '.join(names)}",
            field="geometry",
            suggestion="pass a frontier line, or polygon.boundary for an outline",
        )
    out = []
    offset = 0
    for part in parts:
        xy = shapely.get_coordinates(part)
        if not len(xy):
            continue
        ll = as_lonlat(xy[:, 0], xy[:, 1], what="line vertex", first_row=offset)
        offset += len(xy)
        lon = np.unwrap(_keep_in_range(xy[:, 0], ll.lon), period=360.0)
        lat = ll.lat
        keep = np.ones(len(lon), dtype=bool)
        if len(lon) > 1:
            _, _, step = geod().inv(lon[:-1], lat[:-1], lon[1:], lat[1:])
            keep[1:] = np.asarray(step) > 1e-3
        out.append((lon[keep], lat[keep]))
    if not out:
        raise CoordinateError("the line is empty", field="geometry")
    return out


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


def _drop_slivers(geom: Any, size_deg: float = 1e-6) -> Any:
    """Drop holes narrower than ``size_deg`` (~0.1 m): overlay noise where pieces meet."""
    import shapely

    polys = []
    for poly in shapely.get_parts(geom):
        if shapely.get_type_id(poly) != 3:
            continue
        holes = [
            ring
            for ring in poly.interiors
            if min(ring.bounds[2] - ring.bounds[0], ring.bounds[3] - ring.bounds[1]) > size_deg
        ]
        polys.append(shapely.Polygon(poly.exterior, holes))
    if not polys:
        return shapely.MultiPolygon()
    return polys[0] if len(polys) == 1 else shapely.MultiPolygon(polys)


def geodesic_area_km2(geometry: Any) -> float:
    """Geodesic area of a (multi)polygon in (lon, lat) on WGS84, in km².

    Examples
    --------
    >>> import shapely
    >>> round(geodesic_area_km2(shapely.box(0, 0, 1, 1)), 1)
    12308.8
    """
    import shapely

    total = 0.0
    g = geod()
    for poly in shapely.get_parts(geometry):
        if shapely.get_type_id(poly) != 3 or poly.is_empty:
            continue
        for k, ring in enumerate((poly.exterior, *poly.interiors)):
            xy = shapely.get_coordinates(ring)
            area, _ = g.polygon_area_perimeter(xy[:, 0], xy[:, 1])
            total += abs(area) if k == 0 else -abs(area)
    return total / 1e6


# ------------------------------------------------------------------ corridor pieces


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
    n_edge = len(len_e)

    edge, l_lon, l_lat, r_lon, r_lat, q_lon, q_lat, q_az = _strip_points(
        lon[:-1], lat[:-1], az12, len_e, dist_m, target_m
    )
    _pole_check(q_lon, q_lat, dist_m)
    n_rad = _radial_count(lat, dist_m, target_m)
    s_rad = np.linspace(-dist_m, dist_m, 2 * n_rad + 1)[1:-1]  # interior of a perpendicular

    # strips: left side forward, perpendicular at the end (left -> right), right side
    # backward, perpendicular at the start (right -> left)
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

    # fans at joins (convex side only) and half discs at both ends
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
    s_out = s_rad[n_rad:]  # (0, d) exclusive
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

    group_a = np.concatenate(group)
    order = np.lexsort((np.concatenate(key), group_a))
    return _rings_from(group_a[order], np.concatenate(xs)[order], np.concatenate(ys)[order])


def corridor(
    line: Any,
    width_km: float,
    *,
    side: str | None = None,
    boundaries: Any = None,
) -> shapely.Polygon | shapely.MultiPolygon:
    """Area within ``width_km`` (geodesic) of a frontier line, optionally on one side.

    Parameters
    ----------
    line : str, Frontier, LineString, MultiLineString, GeoSeries or GeoDataFrame
        A frontier name or ISO-3 pair (``"iran-pakistan"``, ``"IRN-PAK"``), or
        the line in (lon, lat) degrees on WGS84 (other CRSs are reprojected).
        Its edges are taken as geodesics.
    width_km : float
        Distance from the line, in km (> 0).
    side : str, optional
        ISO-3 code of a country: keep only the part of the corridor inside it.
    boundaries : None, path, GeoDataFrame, geometry or mapping, optional
        Country polygons for ``side`` (and for frontier names): the embedded
        Natural Earth layer by default, a boundary file or table as accepted
        by :func:`bordermap.boundaries.country_geometry`, the side's polygon
        itself, or a mapping ISO-3 → polygon.

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon
        In (lon, lat); parts split at ±180°; exterior rings counter-clockwise.
        Every edge vertex and (lon, lat) chord midpoint is within
        :func:`tolerance_m` of geodesic distance ``width_km`` from the line
        (with ``side``, except where the edge is the country's own boundary).

    Raises
    ------
    CoordinateError
        For a width that is not a positive number (field ``width_km``), bad or
        empty line coordinates, or a corridor that would contain a pole.

    Examples
    --------
    >>> import shapely
    >>> line = shapely.LineString([(62.0, 27.0), (63.0, 27.5)])
    >>> area = corridor(line, 10)
    >>> area.contains(shapely.Point(62.5, 27.3)), area.contains(shapely.Point(62.5, 27.5))
    (True, False)
    """
    import shapely

    width = _check_width(width_km)
    line = _frontier(line, boundaries)
    dist_m = width * 1000.0
    target_m = 0.25 * tolerance_m(width)
    pieces = [_corridor_pieces(lon, lat, dist_m, target_m) for lon, lat in _line_parts(line)]
    pieces = _canonical(np.concatenate(pieces))
    result = _drop_slivers(shapely.union_all(pieces))
    if side is not None:
        result = shapely.intersection(result, _side_geometry(side, boundaries, line))
    return _as_polygonal(result)


def _side_geometry(side: str, boundaries: Any, line: Any = None) -> Any:
    """The polygon of country ``side`` (ISO-3) from ``boundaries`` or the embedded data."""
    import shapely

    if not isinstance(side, str) or not side.strip():
        raise BoundaryError(f"side must be an ISO-3 country code, got {side!r}", field="side")
    iso3 = side.strip().upper()
    countries = getattr(line, "countries", None)
    if countries and iso3 not in countries:
        raise BoundaryError(
            f"{iso3} is not one of the countries of frontier {getattr(line, 'name', '')!r}",
            field="side",
            suggestion="use " + " or ".join(countries),
        )
    if isinstance(boundaries, shapely.Geometry):
        geom = boundaries
    elif isinstance(boundaries, Mapping):
        geom = boundaries.get(iso3)
        if geom is None:
            raise BoundaryError(f"no country {iso3} in the boundaries", field="side")
    else:
        from bordermap.boundaries import country_geometry

        geom = country_geometry(iso3, boundaries)
    if geom is None or geom.is_empty:
        raise BoundaryError(f"country {iso3} has an empty boundary", field="side")
    return geom


def _widths(widths_km: Any, field: str = "width_km") -> list[float]:
    """Sorted distinct widths from a number, a sequence or a string such as "10,25,50"."""
    if isinstance(widths_km, str):
        widths_km = [w for w in widths_km.split(",") if w.strip()] or [widths_km]
    elif isinstance(widths_km, (int, float)) or not isinstance(widths_km, Iterable):
        widths_km = [widths_km]
    values = [_check_width(w, field) for w in widths_km]
    if not values:
        raise CoordinateError("no widths given", field=field, suggestion="e.g. 10,25,50")
    return sorted(set(values))


def corridor_bands(
    line: Any,
    widths_km: Sequence[float] = (10, 25, 50),
    *,
    side: str | None = None,
    boundaries: Any = None,
) -> gpd.GeoDataFrame:
    """Nested distance bands along a line: 0–w1, w1–w2, ... km, each with its area.

    Parameters
    ----------
    line : str, Frontier, LineString, MultiLineString, GeoSeries or GeoDataFrame
        See :func:`corridor`.
    widths_km : sequence of float
        Outer distances of the bands in km (sorted, duplicates dropped).
    side, boundaries
        Clip every band to one country; see :func:`corridor`.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, one row a band with columns ``band`` (label such as
        ``"10-25 km"``), ``inner_km``, ``outer_km``, ``side`` (ISO-3 or None),
        ``area_km2`` (geodesic) and ``geometry``.

    Examples
    --------
    >>> import shapely
    >>> bands = corridor_bands(shapely.LineString([(62.0, 27.0), (63.0, 27.5)]), [5, 10])
    >>> bands["band"].tolist()
    ['0-5 km', '5-10 km']
    >>> bool(bands["area_km2"].iloc[1] > bands["area_km2"].iloc[0])
    True
    """
    import geopandas as gpd
    import shapely

    widths = _widths(widths_km)
    line = _frontier(line, boundaries)
    side_geom = None if side is None else _side_geometry(side, boundaries, line)
    outers = [corridor(line, w) for w in widths]
    if side_geom is not None:
        outers = [_as_polygonal(shapely.intersection(o, side_geom)) for o in outers]
    geoms = [outers[0]]
    for inner, outer in pairwise(outers):
        geoms.append(_as_polygonal(shapely.difference(outer, inner)))
    inner_km = [0.0, *widths[:-1]]
    return gpd.GeoDataFrame(
        {
            "band": [f"{i:g}-{o:g} km" for i, o in zip(inner_km, widths, strict=True)],
            "inner_km": inner_km,
            "outer_km": widths,
            "side": [None if side is None else side.strip().upper()] * len(widths),
            "area_km2": [geodesic_area_km2(g) for g in geoms],
        },
        geometry=geoms,
        crs="EPSG:4326",
    )


def write_bands(
    line: Any,
    widths_km: Sequence[float],
    path: str | os.PathLike[str],
    *,
    side: str | None = None,
    boundaries: Any = None,
) -> gpd.GeoDataFrame:
    """Compute :func:`corridor_bands` and write them to GeoJSON or GeoPackage.

    The format follows the extension (``.geojson``/``.json``: an RFC 7946
    FeatureCollection by :mod:`bordermap.io.geojson`; ``.gpkg``: a table
    ``bands``; ``.kml`` and ``.csv`` work too).  The file goes through
    :mod:`bordermap.io`: the same checks as every export, written to a
    temporary name beside ``path`` and renamed, so a failure never leaves a
    half-written file.

    Returns
    -------
    geopandas.GeoDataFrame
        The bands written.

    Raises
    ------
    ExportError
        Unknown extension, or the file cannot be written (with the path and
        the reason, e.g. a read-only folder), checked before the bands are built.

    Examples
    --------
    >>> import shapely, tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "bands.geojson"
    >>> bands = write_bands(shapely.LineString([(62, 27), (63, 27.5)]), [5, 10], out)
    >>> out.exists(), len(bands)
    (True, 2)
    """
    from pathlib import Path

    from bordermap.io import check_target, export_tables, format_for_path

    target = Path(path)
    fmt = format_for_path(target)
    if fmt is None or not fmt.can_write:
        raise ExportError(
            f"cannot tell the format of {target.name!r} from its extension",
            path=str(target),
            suggestion="use .geojson or .gpkg",
        )
    check_target(target)
    bands = corridor_bands(line, widths_km, side=side, boundaries=boundaries)
    export_tables({"bands": bands}, target, format=fmt.name)
    return bands


# ------------------------------------------------------------------------ range rings


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


def range_rings(lon: Any, lat: Any, radii_km: Any) -> gpd.GeoDataFrame:
    """Geodesic circles (discs) of the given radii around one or many points.

    Parameters
    ----------
    lon, lat : float or array_like
        Centres in degrees on WGS84.
    radii_km : float, sequence of float or str
        Radii in km (> 0), e.g. ``[10, 50]`` or ``"10,50"``; sorted, duplicates dropped.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, one row per centre and radius, with columns ``point``
        (index of the centre), ``center_lon``, ``center_lat``, ``radius_km``,
        ``area_km2`` (geodesic) and ``geometry``.  Every vertex and (lon, lat)
        chord midpoint is within :func:`tolerance_m` of the radius; rings over
        the antimeridian are split, rings around a pole include it.

    Examples
    --------
    >>> rings = range_rings(64.09, 26.97, [10, 50])
    >>> rings["radius_km"].tolist(), rings["point"].tolist()
    ([10.0, 50.0], [0, 0])
    >>> round(float(rings.area_km2.iloc[0]) / (3.14159265 * 10**2), 3)
    1.0
    """
    import geopandas as gpd

    centres = as_lonlat(lon, lat, what="ring centre")
    c_lon = _keep_in_range(lon, np.atleast_1d(centres.lon))
    c_lat = np.atleast_1d(centres.lat)
    radii = _widths(radii_km, "radii_km")
    rows: dict[str, list] = {k: [] for k in ("point", "center_lon", "center_lat", "radius_km")}
    geoms = []
    for r in radii:
        polys = []
        for start in range(0, len(c_lon), _RING_CHUNK):  # bounded memory
            part = slice(start, start + _RING_CHUNK)
            polys.extend(
                _ring_polygons(c_lon[part], c_lat[part], r * 1000.0, 0.25 * tolerance_m(r))
            )
        rows["point"].extend(range(len(c_lon)))
        rows["center_lon"].extend(c_lon.tolist())
        rows["center_lat"].extend(c_lat.tolist())
        rows["radius_km"].extend([r] * len(c_lon))
        geoms.extend(polys)
    frame = gpd.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4326")
    frame.insert(4, "area_km2", [geodesic_area_km2(g) for g in geoms])
    frame = frame.sort_values(["point", "radius_km"], kind="stable").reset_index(drop=True)
    return frame
