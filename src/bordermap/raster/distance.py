"""Signed geodesic distance from pixel centres to a frontier, as arrays and GeoTIFFs."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bordermap.errors import BordermapError
from bordermap.raster.grid import (
    DISTANCE_NODATA,
    Grid,
    make_grid,
    write_geotiff,
)

if TYPE_CHECKING:
    pass

__all__ = ["signed_distance", "signed_distance_raster"]

# --------------------------------------------------------------------------- distance


def signed_distance(
    frontier: Any, grid: Grid, *, outside: str = "nodata", boundaries: Any = None
) -> np.ndarray:
    """Signed geodesic distance (km) from every pixel centre to a frontier.

    As ``signed_distance_km`` of :func:`bordermap.analysis.analyse`: the
    distance to the nearest point of the frontier, positive where the pixel
    centre lies in ``frontier.countries[0]``, negative in ``countries[1]``.
    Pixels in neither country (sea, third countries) are NaN with
    ``outside="nodata"``, or take the sign of the side of the line they are on
    (left/right at the nearest point) with ``outside="line_side"``.

    Examples
    --------
    >>> g = make_grid((62.0, 26.5, 62.5, 27.0), resolution_deg=0.25)
    >>> d = signed_distance("iran-pakistan", g)
    >>> d.shape, bool((d[:, 0] > 0).all())  # the western column is in Iran
    ((2, 2), True)
    """
    from bordermap.analysis import distance_to_frontier, side_of
    from bordermap.frontiers import resolve_frontier

    if outside not in ("nodata", "line_side"):
        raise BordermapError(
            f"outside must be 'nodata' or 'line_side', got {outside!r}", field="outside"
        )
    f = resolve_frontier(frontier, boundaries)
    lon, lat = grid.centres_lonlat()
    lon, lat = lon.ravel(), lat.ravel()
    r = distance_to_frontier(lon, lat, frontier=f, boundaries=boundaries)
    country = side_of(lon, lat, frontier=f, boundaries=boundaries)
    sign = np.where(
        country == f.countries[0], 1.0, np.where(country == f.countries[1], -1.0, np.nan)
    )
    if outside == "line_side":
        line = np.where(r.line_side == f.countries[0], 1.0, -1.0)
        sign = np.where(np.isnan(sign), line, sign)
    return (sign * r.distance_km).reshape(grid.shape)


def signed_distance_raster(
    frontier: Any,
    bbox: Sequence[float],
    path: str | os.PathLike[str],
    *,
    resolution_deg: float | None = None,
    resolution_m: float | None = None,
    crs: str | None = None,
    outside: str = "nodata",
    boundaries: Any = None,
) -> Path:
    """Write a GeoTIFF of the signed geodesic distance (km) to a frontier.

    Parameters
    ----------
    frontier : str or Frontier
        ``"iran-pakistan"``, ``"IND-PAK"`` …; positive values lie on the side of
        ``frontier.countries[0]``.
    bbox : (west, south, east, north)
        Region, degrees.
    path : path
        Output ``.tif``.
    resolution_deg, resolution_m, crs
        See :func:`make_grid`.
    outside : {"nodata", "line_side"}
        Pixels in neither frontier country: nodata (:data:`DISTANCE_NODATA`),
        or signed by the side of the line; see :func:`signed_distance`.

    Examples
    --------
    >>> import tempfile, pathlib, rasterio
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "d.tif"
    >>> _ = signed_distance_raster("iran-pakistan", (62, 26.5, 63, 27.5), out,
    ...                            resolution_deg=0.5)
    >>> with rasterio.open(out) as src:
    ...     src.crs.to_epsg(), src.nodata, src.units, src.tags()["positive_side"]
    (4326, -99999.0, ('km',), 'IRN')
    """
    from bordermap.frontiers import resolve_frontier

    f = resolve_frontier(frontier, boundaries)
    grid = make_grid(bbox, resolution_deg=resolution_deg, resolution_m=resolution_m, crs=crs)
    values = signed_distance(f, grid, outside=outside, boundaries=boundaries)
    return write_geotiff(
        values,
        grid,
        path,
        nodata=DISTANCE_NODATA,
        description=f"signed geodesic distance to the {f.name} frontier, km "
        f"(+ {f.countries[0]} side, - {f.countries[1]} side)",
        units="km",
        tags={
            "frontier": f.name,
            "positive_side": f.countries[0],
            "negative_side": f.countries[1],
            "method": "geodesic distance on WGS84 from each pixel centre to the frontier",
            "outside": outside,
        },
    )
