"""Geometry as the writers need it: antimeridian splitting, RFC 7946 preparation, text.

Coordinates in GeoJSON are rounded to :data:`COORDINATE_DECIMALS` = 7
decimals (1e-7° ≈ 1.1 cm on the equator); the other formats keep full
precision, written in the shortest text that reads back exactly (:func:`num`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bordermap.errors import ExportError

__all__ = ["COORDINATE_DECIMALS", "geojson_geometry", "num", "round_coords", "split_antimeridian"]

#: Decimals of longitude/latitude in GeoJSON output (1e-7 degree ≈ 1.1 cm).
COORDINATE_DECIMALS = 7


def _crossing(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Edges taken to cross the antimeridian: |Δlon| > 180° (not along a pole or ±180°)."""
    d = np.abs(np.diff(lon))
    pole = (np.abs(lat[:-1]) == 90) & (np.abs(lat[1:]) == 90)
    meridian = (np.abs(lon[:-1]) == 180) & (np.abs(lon[1:]) == 180)
    return (d > 180) & ~pole & ~meridian


def _unwrap(xy: np.ndarray) -> np.ndarray:
    lon = xy[:, 0].copy()
    d = np.diff(lon)
    cross = _crossing(xy[:, 0], xy[:, 1])
    d[cross] -= 360.0 * np.round(d[cross] / 360.0)
    lon[1:] = lon[0] + np.cumsum(d)
    return np.column_stack([lon, xy[:, 1]])


def _needs_split(geom: Any) -> bool:
    import shapely

    xy = shapely.get_coordinates(geom)
    if not len(xy):
        return False
    if np.abs(xy[:, 0]).max() > 180:
        return True
    if geom.geom_type in ("Point", "MultiPoint"):
        return False
    if geom.geom_type == "GeometryCollection":  # its parts may be points
        return any(_needs_split(g) for g in geom.geoms)
    for part in shapely.get_parts(geom):
        rings = [part] if part.geom_type == "LineString" else [part.exterior, *part.interiors]
        for ring in rings:
            c = shapely.get_coordinates(ring)
            if len(c) > 1 and _crossing(c[:, 0], c[:, 1]).any():
                return True
    return False


def _clip_windows(geom: Any) -> Any:
    """Cut an unwrapped geometry into 360°-wide windows and shift each into [-180, 180]."""
    import shapely

    minx, _, maxx, _ = geom.bounds
    pieces = []
    for k in range(int(np.floor((minx + 180) / 360)), int(np.floor((maxx + 180) / 360)) + 1):
        box = shapely.box(-180 + 360 * k, -90, 180 + 360 * k, 90)
        part = shapely.intersection(geom, box)
        if not part.is_empty:
            pieces.append(shapely.transform(part, lambda c, k=k: c - [360.0 * k, 0.0]))
    return pieces


def _beside(hole: np.ndarray, ext: np.ndarray) -> np.ndarray:
    """An unwrapped hole moved by a whole turn (360°) or none to where its unwrapped shell is.

    Both rings are unwrapped from a first vertex within [-180°, 180°], and a shell extends
    less than a turn from its first vertex, so the hole is at most one turn away: the turn
    that puts its first vertex nearest the shell (inside it, for a valid polygon), no turn
    on a tie.  (A shell wider than 180° of longitude can hold a hole half a world from
    the mean of its vertices, so the means are no guide.)
    """
    import shapely

    turns = np.array([0.0, -1.0, 1.0])
    gaps = shapely.distance(
        shapely.Polygon(ext), shapely.points(hole[0, 0] - 360.0 * turns, hole[0, 1])
    )
    return hole - [360.0 * turns[int(np.argmin(gaps))], 0.0]


def split_antimeridian(geom: Any) -> Any:
    """Split a lon/lat geometry at the antimeridian and wrap it into [-180, 180].

    An edge whose longitudes differ by more than 180° is taken to cross the
    antimeridian (the short way round), as RFC 7946 readers assume; edges
    along ±180° or along a pole are left alone.  Longitudes beyond ±180 are
    wrapped.  A ring that goes once round a pole is closed along the pole.

    Examples
    --------
    >>> from shapely import LineString
    >>> split_antimeridian(LineString([(179, 0), (-179, 2)])).wkt
    'MULTILINESTRING ((179 0, 180 1), (-180 1, -179 2))'
    """
    import shapely

    if geom is None or geom.is_empty or not _needs_split(geom):
        return geom
    kind = geom.geom_type
    if kind in ("Point", "MultiPoint"):
        return shapely.transform(
            geom,
            lambda c: np.column_stack(
                [np.where(np.abs(c[:, 0]) == 180, c[:, 0], (c[:, 0] + 180) % 360 - 180), c[:, 1]]
            ),
        )
    if kind == "GeometryCollection":
        return shapely.GeometryCollection([split_antimeridian(g) for g in geom.geoms])
    out: list[Any] = []
    for part in shapely.get_parts(geom):
        if part.geom_type == "LineString":
            u = shapely.LineString(_unwrap(shapely.get_coordinates(part)))
            for piece in _clip_windows(u):
                out.extend(
                    p
                    for p in shapely.get_parts(shapely.line_merge(piece))
                    if p.geom_type == "LineString" and not p.is_empty
                )
        else:
            ext = _unwrap(shapely.get_coordinates(part.exterior))
            if abs(ext[-1, 0] - ext[0, 0]) > 1e-9:  # encircles a pole: close along it
                pole = 90.0 if ext[:, 1].mean() > 0 else -90.0
                ext = np.vstack([ext, [[ext[-1, 0], pole], [ext[0, 0], pole]], ext[:1]])
            holes = [_beside(_unwrap(shapely.get_coordinates(r)), ext) for r in part.interiors]
            poly = shapely.make_valid(shapely.Polygon(ext, holes))
            for piece in _clip_windows(poly):
                out.extend(
                    p
                    for p in shapely.get_parts(piece)
                    if p.geom_type == "Polygon" and not p.is_empty
                )
    if kind in ("LineString", "MultiLineString"):
        return out[0] if len(out) == 1 else shapely.MultiLineString(out)
    return out[0] if len(out) == 1 else shapely.MultiPolygon(out)


def round_coords(c: np.ndarray) -> np.ndarray:
    return np.round(c, COORDINATE_DECIMALS) + 0.0  # + 0.0 turns -0.0 into 0.0


def geojson_geometry(geom: Any) -> Any:
    """A geometry as RFC 7946 wants it: split at ±180°, rounded, rings oriented.

    Coordinates are rounded to :data:`COORDINATE_DECIMALS` decimals, repeated
    vertices left by the rounding are dropped, outer rings are made
    counter-clockwise and holes clockwise.

    Examples
    --------
    >>> from shapely import Polygon
    >>> g = geojson_geometry(Polygon([(0, 0), (0, 1), (1.000000004, 1), (1, 0)]))
    >>> g.exterior.is_ccw, g.wkt
    (True, 'POLYGON ((0 1, 0 0, 1 0, 1 1, 0 1))')
    """
    import shapely

    if geom is None or geom.is_empty:
        return None
    if shapely.has_z(geom):
        raise ExportError(
            "3-D coordinates are not exported", suggestion="drop them with shapely.force_2d"
        )
    g = split_antimeridian(geom)
    if g.geom_type not in ("Point", "MultiPoint"):
        # snap to the 1e-7 grid keeping the geometry valid (plain rounding can make a
        # ring touch itself), then drop repeated vertices and orient the rings
        g = shapely.set_precision(g, 10.0**-COORDINATE_DECIMALS)
        if g.is_empty:
            raise ExportError(
                f"the {geom.geom_type} is smaller than the "
                f"{COORDINATE_DECIMALS}-decimal grid and vanishes"
            )
        g = shapely.remove_repeated_points(shapely.transform(g, round_coords), 0.0)
        g = shapely.orient_polygons(g, exterior_cw=False)
    else:
        g = shapely.transform(g, round_coords)
    return g


def num(v: float) -> str:
    return repr(float(v))
