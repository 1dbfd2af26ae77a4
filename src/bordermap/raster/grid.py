"""Grids (CRS, transform, size), pixel areas and atomic GeoTIFF writing."""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from bordermap.errors import BordermapError, CoordinateError, ExportError

__all__ = [
    "DENSITY_NODATA",
    "DISTANCE_NODATA",
    "MAX_PIXELS",
    "Grid",
    "cell_area_km2",
    "make_grid",
    "write_geotiff",
]

#: Nodata of distance rasters (no geodesic distance on Earth is that large).
DISTANCE_NODATA = -99999.0
#: Nodata of density rasters (densities are never negative).
DENSITY_NODATA = -1.0
#: Largest grid accepted, in pixels.
MAX_PIXELS = 50_000_000

_WGS84_A = 6378137.0
_WGS84_F = 1 / 298.257223563


# --------------------------------------------------------------------------- grids


@dataclass(frozen=True)
class Grid:
    """A raster grid: CRS, affine transform (GDAL order) and size.

    ``transform`` is ``(a, b, c, d, e, f)`` as in :class:`affine.Affine`:
    ``x = a * col + b * row + c``, ``y = d * col + e * row + f``.
    """

    crs: str
    transform: tuple[float, float, float, float, float, float]
    width: int
    height: int

    @property
    def affine(self) -> Any:
        from affine import Affine

        return Affine(*self.transform)

    @property
    def shape(self) -> tuple[int, int]:
        return (self.height, self.width)

    @property
    def is_geographic(self) -> bool:
        from pyproj import CRS

        return CRS.from_user_input(self.crs).is_geographic

    def centres_xy(self) -> tuple[np.ndarray, np.ndarray]:
        """Pixel-centre coordinates in the grid's CRS, each of shape (height, width)."""
        a, b, c, d, e, f = self.transform
        col = np.arange(self.width) + 0.5
        row = np.arange(self.height) + 0.5
        cc, rr = np.meshgrid(col, row)
        return a * cc + b * rr + c, d * cc + e * rr + f

    def centres_lonlat(self) -> tuple[np.ndarray, np.ndarray]:
        """Pixel-centre longitudes and latitudes (WGS84), each of shape (height, width)."""
        x, y = self.centres_xy()
        if self.is_geographic:
            return x, y
        from pyproj import Transformer

        t = Transformer.from_crs(self.crs, "EPSG:4326", always_xy=True)
        lon, lat = t.transform(x, y)
        return np.asarray(lon), np.asarray(lat)


def _bbox(bbox: Any) -> tuple[float, float, float, float]:
    try:
        west, south, east, north = (float(v) for v in bbox)
    except (TypeError, ValueError):
        raise CoordinateError(
            f"bbox must be (west, south, east, north), got {bbox!r}", field="bbox"
        ) from None
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise CoordinateError("bbox has a non-finite value", field="bbox")
    if not (-90 <= south < north <= 90):
        raise CoordinateError(
            f"bbox latitudes must satisfy -90 <= south < north <= 90, got {south}, {north}",
            field="bbox",
            suggestion="the order is (west, south, east, north), longitude first",
        )
    if not (-180 <= west < east <= 180):
        raise CoordinateError(
            f"bbox longitudes must satisfy -180 <= west < east <= 180, got {west}, {east}",
            field="bbox",
            suggestion="boxes across the antimeridian are not supported; split them",
        )
    return west, south, east, north


def _utm(lon: float, lat: float) -> str:
    zone = int((lon + 180) // 6) % 60 + 1
    return f"EPSG:{32600 + zone if lat >= 0 else 32700 + zone}"


def make_grid(
    bbox: Sequence[float],
    *,
    resolution_deg: float | None = None,
    resolution_m: float | None = None,
    crs: str | None = None,
) -> Grid:
    """A grid over a lon/lat box, in degrees (EPSG:4326) or in metres (a metric CRS).

    Parameters
    ----------
    bbox : (west, south, east, north)
        Degrees on WGS84, longitude first; not across the antimeridian.
    resolution_deg : float, optional
        Pixel size in degrees; the grid is EPSG:4326.
    resolution_m : float, optional
        Pixel size in metres of ``crs`` (default: the UTM zone of the box
        centre); the grid covers the box's projected extent.
    crs : str, optional
        A projected CRS for ``resolution_m`` (anything pyproj understands).

    Examples
    --------
    >>> g = make_grid((60.0, 25.0, 61.0, 25.5), resolution_deg=0.1)
    >>> g.crs, g.width, g.height, g.transform
    ('EPSG:4326', 10, 5, (0.1, 0.0, 60.0, 0.0, -0.1, 25.5))
    >>> make_grid((62.0, 26.0, 63.0, 27.0), resolution_m=5000).crs
    'EPSG:32641'
    """
    west, south, east, north = _bbox(bbox)
    if (resolution_deg is None) == (resolution_m is None):
        raise BordermapError(
            "give exactly one of resolution_deg and resolution_m", field="resolution"
        )
    res = float(resolution_deg if resolution_deg is not None else resolution_m)  # type: ignore[arg-type]
    if not math.isfinite(res) or res <= 0:
        raise BordermapError(f"resolution must be a positive number, got {res}", field="resolution")
    if resolution_deg is not None:
        if crs is not None:
            raise BordermapError(
                "resolution_deg makes an EPSG:4326 grid; crs goes with resolution_m",
                field="crs",
            )
        width = max(1, math.ceil(round((east - west) / res, 9)))
        height = max(1, math.ceil(round((north - south) / res, 9)))
        grid = Grid("EPSG:4326", (res, 0.0, west, 0.0, -res, north), width, height)
    else:
        from pyproj import CRS, Transformer

        target = crs or _utm((west + east) / 2, (south + north) / 2)
        if CRS.from_user_input(target).is_geographic:
            raise BordermapError(
                f"{target} is geographic; resolution_m needs a projected CRS",
                field="crs",
                suggestion="use resolution_deg for an EPSG:4326 grid",
            )
        t = Transformer.from_crs("EPSG:4326", target, always_xy=True)
        s = np.linspace(0, 1, 101)
        lon = np.concatenate(
            [
                west + (east - west) * s,
                np.full(101, east),
                east - (east - west) * s,
                np.full(101, west),
            ]
        )
        lat = np.concatenate(
            [
                np.full(101, south),
                south + (north - south) * s,
                np.full(101, north),
                north - (north - south) * s,
            ]
        )
        x, y = t.transform(lon, lat)
        x0 = math.floor(np.min(x) / res) * res
        y1 = math.ceil(np.max(y) / res) * res
        width = max(1, math.ceil((np.max(x) - x0) / res))
        height = max(1, math.ceil((y1 - np.min(y)) / res))
        grid = Grid(str(target), (res, 0.0, x0, 0.0, -res, y1), width, height)
    if grid.width * grid.height > MAX_PIXELS:
        raise BordermapError(
            f"the grid would have {grid.width * grid.height:,} pixels (limit {MAX_PIXELS:,})",
            field="resolution",
            suggestion="use a coarser resolution or a smaller bbox",
        )
    return grid


def cell_area_km2(grid: Grid) -> np.ndarray:
    """Geodesic area of every pixel on the WGS84 ellipsoid, km² (shape (height, width)).

    EPSG:4326 cells are bounded by meridians and parallels: their area is exact
    (ellipsoidal zone formula).  Projected cells use the projection's areal
    scale factor at the pixel centre.

    Examples
    --------
    >>> a = cell_area_km2(make_grid((0.0, 0.0, 1.0, 1.0), resolution_deg=1.0))
    >>> round(float(a[0, 0]), 3)  # geographiclib, densified edges: 12308.464
    12308.464
    """
    if grid.is_geographic:
        a_, _, _, _, e, f = grid.transform
        e2 = _WGS84_F * (2 - _WGS84_F)
        ecc = math.sqrt(e2)

        def q(lat_deg: np.ndarray) -> np.ndarray:
            s = np.sin(np.radians(lat_deg))
            return s / (1 - e2 * s * s) + np.log((1 + ecc * s) / (1 - ecc * s)) / (2 * ecc)

        edges = f + e * np.arange(grid.height + 1)
        top, bottom = edges[:-1], edges[1:]
        dlon = math.radians(abs(a_))
        area_m2 = _WGS84_A**2 * (1 - e2) / 2 * dlon * np.abs(q(top) - q(bottom))
        return np.repeat(area_m2[:, None] / 1e6, grid.width, axis=1)
    from pyproj import Proj

    lon, lat = grid.centres_lonlat()
    factors = Proj(grid.crs).get_factors(lon, lat)
    a_, b, _, d, e, _ = grid.transform
    pixel = abs(a_ * e - b * d)  # map units² (metres)
    return pixel / np.asarray(factors.areal_scale) / 1e6


def _to_pixel(transform: Sequence[float], x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    """(col, row) of map coordinates under a GDAL-order affine (a, b, c, d, e, f)."""
    a, b, c, d, e, f = (float(v) for v in transform[:6])
    det = a * e - b * d
    dx = np.asarray(x, dtype="float64") - c
    dy = np.asarray(y, dtype="float64") - f
    return (e * dx - b * dy) / det, (a * dy - d * dx) / det


# --------------------------------------------------------------------------- writing


def write_geotiff(
    values: np.ndarray,
    grid: Grid,
    path: str | os.PathLike[str],
    *,
    nodata: float,
    description: str = "",
    units: str = "",
    tags: dict[str, str] | None = None,
    dtype: str = "float32",
) -> Path:
    """Write one band as a GeoTIFF (deflate, tiled when large), atomically.

    Examples
    --------
    >>> import tempfile, pathlib, rasterio
    >>> g = make_grid((60.0, 25.0, 61.0, 26.0), resolution_deg=0.5)
    >>> p = write_geotiff(np.ones(g.shape), g, pathlib.Path(tempfile.mkdtemp()) / "a.tif",
    ...                   nodata=-1.0, units="km")
    >>> with rasterio.open(p) as src:
    ...     src.crs.to_epsg(), src.nodata, src.units, src.read(1).tolist()
    (4326, -1.0, ('km',), [[1.0, 1.0], [1.0, 1.0]])
    """
    import rasterio

    from bordermap import __version__
    from bordermap.io import atomic_write

    arr = np.asarray(values)
    if arr.shape != grid.shape:
        raise BordermapError(f"values have shape {arr.shape}, the grid {grid.shape}")
    target = Path(path)
    if target.suffix.lower() not in (".tif", ".tiff"):
        raise ExportError("GeoTIFF output needs a .tif or .tiff name", path=str(target))
    profile = {
        "driver": "GTiff",
        "width": grid.width,
        "height": grid.height,
        "count": 1,
        "dtype": dtype,
        "crs": grid.crs,
        "transform": grid.affine,
        "nodata": nodata,
        "compress": "deflate",
    }
    if grid.width >= 256 and grid.height >= 256:
        profile.update(tiled=True, blockxsize=256, blockysize=256)
    all_tags = {
        "bordermap_version": __version__,
        "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        **(tags or {}),
    }
    arr = np.where(np.isfinite(arr), arr, nodata)  # NaN/inf pixels become nodata
    with atomic_write(target) as tmp, rasterio.open(tmp, "w", **profile) as dst:
        dst.write(arr.astype(dtype), 1)
        if description:
            dst.set_band_description(1, description)
        if units:
            dst.units = (units,)
        dst.update_tags(**all_tags)
    return target
