"""Geometry drawn on a map: geodesic circles and arcs, curated areas, display simplification.

Shapes are computed on WGS84 (:func:`bordermap.geodesy.geod`); simplification is for
display only (Web Mercator metres) and never feeds a measurement.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from bordermap.maps.styles import (
    _BASEMAP_MARGIN_DEG,
    BASEMAP_TOLERANCE_M,
    CIRCLE_VERTICES,
    COORD_DECIMALS,
)


def _rings_latlon(geom: Any, decimals: int) -> list:
    """Polygon/MultiPolygon as Leaflet rings: [[[lat, lon], ...], ...] per polygon."""
    import numpy as np
    import shapely

    parts = shapely.get_parts(geom)
    polys = []
    for poly in parts:
        if poly.is_empty or poly.geom_type != "Polygon":
            continue
        rings = [poly.exterior, *poly.interiors]
        polys.append([np.round(np.asarray(r.coords)[:, ::-1], decimals).tolist() for r in rings])
    return polys


def _lines_latlon(geom: Any, decimals: int) -> list:
    import numpy as np
    import shapely

    return [
        np.round(np.asarray(part.coords)[:, ::-1], decimals).tolist()
        for part in shapely.get_parts(geom)
        if not part.is_empty
    ]


def _display_simplify(geoms: Any, tolerance_m: float) -> Any:
    """Simplify geometries for display only: in Web Mercator metres, then back to lon/lat."""
    import geopandas as gpd

    s = gpd.GeoSeries(geoms, crs="EPSG:4326").to_crs(3857)
    return s.simplify(tolerance_m, preserve_topology=True).to_crs(4326).values


@cache
def _curated_area(place_id: str, country: str | None) -> Any:
    """The area polygon of a gazetteer place (curated, administrative or user), or None."""
    from bordermap.gazetteer import area_of

    return area_of(place_id)


def _geodesic_circles(lon: Any, lat: Any, radius_m: Any) -> Any:
    """(N, V, 2) lon/lat vertices of geodesic circles (exact forward problem)."""
    import numpy as np

    from bordermap.geodesy import geod

    n = len(lon)
    az = np.linspace(0.0, 360.0, CIRCLE_VERTICES, endpoint=False)
    lo = np.repeat(np.asarray(lon, float), CIRCLE_VERTICES)
    la = np.repeat(np.asarray(lat, float), CIRCLE_VERTICES)
    r = np.repeat(np.asarray(radius_m, float), CIRCLE_VERTICES)
    x, y, _ = geod().fwd(lo, la, np.tile(az, n), r)
    x = np.unwrap(np.asarray(x).reshape(n, CIRCLE_VERTICES), period=360.0, axis=1)
    return np.stack([x, np.asarray(y).reshape(n, CIRCLE_VERTICES)], axis=2)


def _arc(lon1: float, lat1: float, lon2: float, lat2: float) -> tuple[list, list, float]:
    """Geodesic arc origin→impact as [lat, lon] vertices, its arrowhead, its length (km)."""
    import numpy as np

    from bordermap.geodesy import geod

    g = geod()
    _, az21, dist = g.inv(lon1, lat1, lon2, lat2)
    n = int(min(128, max(8, dist / 10_000.0)))
    mid = np.asarray(g.npts(lon1, lat1, lon2, lat2, n), float).reshape(-1, 2)
    pts = np.vstack([[lon1, lat1], mid, [lon2, lat2]])
    pts[:, 0] = np.unwrap(pts[:, 0], period=360.0)
    head_m = min(20_000.0, 0.18 * dist)
    hx, hy, _ = g.fwd([lon2, lon2], [lat2, lat2], [az21 - 22.0, az21 + 22.0], [head_m, head_m])
    hx = np.unwrap(np.array([hx[0], pts[-1, 0], hx[1]]), period=360.0)
    hx += pts[-1, 0] - hx[1]
    head = np.round(np.c_[[hy[0], lat2, hy[1]], hx], COORD_DECIMALS).tolist()
    return np.round(pts[:, ::-1], COORD_DECIMALS).tolist(), head, dist / 1000.0


def _arc_span(length_km: float, origin_m: float, impact_m: float) -> str:
    """The length of a strike arc with what both ends' uncertainty allows.

    Examples
    --------
    >>> _arc_span(127.3, 0.0, 500.0)
    '127.3 km, geodesic'
    >>> _arc_span(127.3, 50_000.0, 5_000.0)
    '127 km, geodesic (anywhere from 72 to 182 km: the ends are known to ±55 km)'
    >>> _arc_span(127.3, 300_000.0, 5_000.0)
    'direction only: the ends are known to ±305 km, more than the 127 km between them'
    """
    from bordermap.uncertainty import km_text, pair_distance_bounds

    r_km = (origin_m + impact_m) / 1000.0
    if r_km < 1.0:
        return f"{length_km:.1f} km, geodesic"
    if r_km >= length_km:
        return (
            f"direction only: the ends are known to ±{km_text(r_km)} km, "
            f"more than the {km_text(length_km)} km between them"
        )
    lo, hi = pair_distance_bounds([length_km], [origin_m], [impact_m])
    return (
        f"{km_text(length_km)} km, geodesic (anywhere from {km_text(lo[0])} to "
        f"{km_text(hi[0])} km: the ends are known to ±{km_text(r_km)} km)"
    )


def _basemap(bounds: list | None, *, detail: float = 1500.0) -> list:
    """Countries near the data, simplified for display, as [iso3, name, polygons, label].

    ``label`` is the [lat, lon] where the country's name is written: the pole of
    inaccessibility (:func:`shapely.ops.polylabel`, in Web Mercator, the page's
    projection) of the country's largest part inside the region shown, or None.

    The simplification tolerance grows with the extent shown (display only):
    :data:`BASEMAP_TOLERANCE_M` for a region up to ~1,500 km across, proportionally
    more for wider views (the span over ``detail``), at most 10 km.
    """
    import shapely
    from pyproj import Transformer

    from bordermap.boundaries import load_countries

    countries = load_countries()
    if bounds is not None:
        (s, w), (n, e) = bounds
        pad = min(_BASEMAP_MARGIN_DEG, max(4.0, 0.3 * max(e - w, n - s)))
        box = (max(-180.0, w - pad), max(-85.0, s - pad), min(180.0, e + pad), min(85.0, n + pad))
    else:
        box = (-180.0, -85.0, 180.0, 85.0)
    countries = countries[countries.intersects(shapely.box(*box))]
    x, y = Transformer.from_crs(4326, 3857, always_xy=True).transform(
        [box[0], box[2]], [box[1], box[3]]
    )
    span_m = max(abs(x[1] - x[0]), abs(y[1] - y[0]))
    tol = min(10_000.0, max(BASEMAP_TOLERANCE_M, span_m / detail))
    geoms = _display_simplify(
        shapely.clip_by_rect(countries.geometry.values, -180.0, -85.0, 180.0, 85.0), tol
    )
    out = []
    for iso, name, geom in zip(countries["iso3"], countries["name"], geoms, strict=True):
        if geom is None or geom.is_empty:
            continue
        polys = [p for p in _rings_latlon(geom, 3 if tol < 5000.0 else 2) if len(p[0]) >= 4]
        if polys:
            out.append([str(iso), str(name), polys, _label_point(geom, box)])
    return out


def _basemap_views(first: list | None, everything: list | None) -> list:
    """The basemap of the first view, plus coarser countries out to every point.

    Countries near the first view keep its finer simplification; those only the
    "show all" view reaches are added at the coarser tolerance of that wider view,
    so a far-off event (a summit in Davos) still sits on land.
    """
    near = _basemap(first)
    if first is None or everything is None or everything == first:
        return near
    have = {c[0] for c in near}
    return near + [c for c in _basemap(everything, detail=500.0) if c[0] not in have]


def _label_point(geom: Any, box: tuple[float, float, float, float]) -> list | None:
    """[lat, lon] of a country's name: the pole of inaccessibility of its largest part
    inside ``box``, found in Web Mercator (display only: where text fits on screen)."""
    import numpy as np
    import shapely
    from pyproj import Transformer
    from shapely.ops import polylabel

    part = shapely.clip_by_rect(geom, *box)
    if part is None or part.is_empty:
        return None
    fwd = Transformer.from_crs(4326, 3857, always_xy=True)
    merc = shapely.transform(part, lambda xy: np.column_stack(fwd.transform(xy[:, 0], xy[:, 1])))
    polys = [g for g in getattr(merc, "geoms", [merc]) if g.geom_type == "Polygon"]
    if not polys:
        return None
    big = max(polys, key=lambda g: g.area)
    pt = polylabel(big, tolerance=max(1000.0, big.length / 2000.0))
    lon, lat = Transformer.from_crs(3857, 4326, always_xy=True).transform(pt.x, pt.y)
    return [round(float(lat), 3), round(float(lon), 3)]
