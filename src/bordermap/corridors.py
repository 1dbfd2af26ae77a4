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

import os
from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, Any

import numpy as np

from bordermap._outline import _as_polygonal, _canonical, _corridor_pieces, _ring_polygons
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
    from bordermap._units import parse_km

    return parse_km(value, field=field, error=CoordinateError, max_km=MAX_WIDTH_KM)


def _keep_in_range(given: Any, wrapped: np.ndarray) -> np.ndarray:
    """Longitudes as given where already in [-180, 180) (bit for bit), else wrapped."""
    given = np.broadcast_to(np.asarray(given, dtype="float64"), wrapped.shape).ravel()
    wrapped = np.ravel(wrapped)
    return np.where((given >= -180.0) & (given < 180.0), given, wrapped)


def _frontier(line: Any, boundaries: Any = None) -> Any:
    """``line`` itself, or the frontier a name or ISO-3 pair ("IRN-PAK") stands for."""
    if isinstance(line, str):
        import shapely

        from bordermap.frontiers import resolve_frontier

        table = None if isinstance(boundaries, (shapely.Geometry, Mapping)) else boundaries
        return resolve_frontier(line, table)
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
    from bordermap._units import parse_km_list

    return list(
        parse_km_list(
            widths_km, field=field, error=CoordinateError, max_km=MAX_WIDTH_KM, required=True
        )
    )


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
