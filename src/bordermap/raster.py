"""Rasters: signed distance to a frontier, incident density, zonal statistics, map overlays.

Grids
-----
A :class:`Grid` covers a lon/lat bounding box either in EPSG:4326 with a
resolution in degrees, or in a metric CRS (by default the UTM zone of the box
centre) with a resolution in metres.  Pixel values are always computed at pixel
*centres*, from their exact longitude and latitude on WGS84; distances are
geodesic (never measured in degrees or in the grid's projection).

Outputs are GeoTIFFs (rasterio, deflate-compressed, tiled when large) with
their CRS, affine transform and nodata value set, written atomically
(temporary file + ``os.replace``).

- :func:`signed_distance_raster` — geodesic distance (km) from every pixel
  centre to the frontier, positive on the side of ``frontier.countries[0]``
  and negative on the other (see :mod:`bordermap.analysis`); float32, so values
  are kept to better than 0.5 m below 8,000 km.
- :func:`density_raster` — incident density (incidents per km²): the sum over
  incidents of a Gaussian kernel of the geodesic distance, with bandwidth
  ``bandwidth_km`` and a cutoff radius (4 bandwidths by default), normalised so
  that each incident integrates to 1 over the disc within the cutoff.
- :func:`zonal_stats` — count, sum, mean, min and max of any GeoTIFF's pixels
  whose centres fall in each zone (zones are reprojected to the raster's CRS;
  nodata and NaN pixels are left out and counted apart);
  :func:`corridor_stats`, :func:`side_stats` and :func:`incident_stats` build
  the zones (corridor bands per side, the frontier countries, rings around
  incidents).
- :func:`raster_overlay` — a raster as a Folium ``ImageOverlay`` (resampled to
  Web Mercator rows, nodata transparent) with a colour legend element.

rasterio is imported on first use.
"""

from __future__ import annotations

import html
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from bordermap.errors import BordermapError, CoordinateError, ExportError

if TYPE_CHECKING:
    import folium
    import pandas as pd

__all__ = [
    "DENSITY_NODATA",
    "DISTANCE_NODATA",
    "Grid",
    "RasterOverlay",
    "cell_area_km2",
    "corridor_stats",
    "density",
    "density_raster",
    "incident_stats",
    "make_grid",
    "raster_overlay",
    "side_stats",
    "signed_distance",
    "signed_distance_raster",
    "write_geotiff",
    "zonal_stats",
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
    from bordermap.analysis import _frontier, distance_to_frontier, side_of

    if outside not in ("nodata", "line_side"):
        raise BordermapError(
            f"outside must be 'nodata' or 'line_side', got {outside!r}", field="outside"
        )
    f = _frontier(frontier, boundaries)
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
    from bordermap.analysis import _frontier

    f = _frontier(frontier, boundaries)
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


# --------------------------------------------------------------------------- density


def _points(points: Any, lat: Any = None) -> tuple[np.ndarray, np.ndarray]:
    from bordermap.geodesy import as_lonlat, points_lonlat

    ll = (
        as_lonlat(points, lat, what="incident")
        if lat is not None
        else points_lonlat(points, what="incident")
    )
    return np.atleast_1d(ll.lon), np.atleast_1d(ll.lat)


def _to_pixel(transform: Sequence[float], x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    """(col, row) of map coordinates under a GDAL-order affine (a, b, c, d, e, f)."""
    a, b, c, d, e, f = (float(v) for v in transform[:6])
    det = a * e - b * d
    dx = np.asarray(x, dtype="float64") - c
    dy = np.asarray(y, dtype="float64") - f
    return (e * dx - b * dy) / det, (a * dy - d * dx) / det


def _windows(
    lon: np.ndarray, lat: np.ndarray, radius_m: float, grid: Grid
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Row/column ranges [r0, r1) x [c0, c1) of the pixels within radius_m of each point."""
    from bordermap.geodesy import geod

    n_az = 36
    az = np.linspace(0.0, 360.0, n_az, endpoint=False)
    plon = np.repeat(lon, n_az)
    plat = np.repeat(lat, n_az)
    # 1.02: the circle bulges at most r (1 - cos 5°) ≈ 0.4 % beyond the polygon of samples
    clon, clat, _ = geod().fwd(
        plon, plat, np.tile(az, len(lon)), np.full(plon.size, 1.02 * radius_m)
    )
    clon = plon + ((np.asarray(clon) - plon + 180.0) % 360.0 - 180.0)
    clat = np.asarray(clat)
    if grid.is_geographic:
        x, y = clon, clat
    else:
        from pyproj import Transformer

        t = Transformer.from_crs("EPSG:4326", grid.crs, always_xy=True)
        x, y = t.transform(clon, clat)
        x, y = np.asarray(x), np.asarray(y)
    cols, rows = _to_pixel(grid.transform, x, y)
    cols = cols.reshape(len(lon), n_az)
    rows = rows.reshape(len(lon), n_az)
    c0 = np.clip(np.floor(cols.min(axis=1)) - 1, 0, grid.width).astype(np.int64)
    c1 = np.clip(np.ceil(cols.max(axis=1)) + 1, 0, grid.width).astype(np.int64)
    r0 = np.clip(np.floor(rows.min(axis=1)) - 1, 0, grid.height).astype(np.int64)
    r1 = np.clip(np.ceil(rows.max(axis=1)) + 1, 0, grid.height).astype(np.int64)
    # a disc around a pole covers every longitude
    _, _, to_pole = geod().inv(lon, lat, lon, np.where(lat >= 0, 90.0, -90.0))
    polar = np.asarray(to_pole) <= 1.02 * radius_m
    if polar.any():
        c0[polar] = 0
        c1[polar] = grid.width
        north = lat >= 0
        r0[polar & north] = 0
        r1[polar & ~north] = grid.height
    return r0, r1, c0, c1


def density(
    points: Any,
    grid: Grid,
    *,
    bandwidth_km: float,
    cutoff_km: float | None = None,
    weights: Any = None,
    chunk_pairs: int = 4_000_000,
) -> np.ndarray:
    """Incident density (per km²) at every pixel centre: a geodesic Gaussian kernel sum.

    ``K(d) = exp(-d² / 2h²) / (2π h² (1 - exp(-c² / 2h²)))`` for geodesic distance
    ``d <= c`` (``h`` the bandwidth, ``c`` the cutoff, both km), 0 beyond: every
    incident integrates to its weight (1 by default) over its disc.  Work is
    vectorized over (incident, pixel) pairs within the cutoff, in chunks of
    ``chunk_pairs``; there is no loop over pixels.

    Examples
    --------
    >>> g = make_grid((63.5, 26.5, 64.5, 27.5), resolution_deg=0.01)
    >>> d = density([(64.0, 27.0)], g, bandwidth_km=10)
    >>> round(float((d * cell_area_km2(g)).sum()), 3)
    1.0
    """
    from bordermap.geodesy import geod

    h = float(bandwidth_km)
    if not math.isfinite(h) or h <= 0:
        raise BordermapError(
            f"bandwidth_km must be positive, got {bandwidth_km}", field="bandwidth_km"
        )
    c = 4.0 * h if cutoff_km is None else float(cutoff_km)
    if not math.isfinite(c) or c <= 0:
        raise BordermapError(f"cutoff_km must be positive, got {cutoff_km}", field="cutoff_km")
    lon, lat = _points(points)
    w = np.ones(len(lon)) if weights is None else np.asarray(weights, dtype="float64")
    if w.shape != lon.shape or not np.isfinite(w).all():
        raise BordermapError("weights must be finite, one per point", field="weights")
    norm = 1.0 / (2 * math.pi * h * h * (1 - math.exp(-c * c / (2 * h * h))))
    plon, plat = grid.centres_lonlat()
    plon, plat = plon.ravel(), plat.ravel()
    out = np.zeros(grid.width * grid.height)
    if not len(lon):
        return out.reshape(grid.shape)
    r0, r1, c0, c1 = _windows(lon, lat, c * 1000.0, grid)
    hh = np.maximum(r1 - r0, 0)
    ww = np.maximum(c1 - c0, 0)
    size = hh * ww
    keep = np.flatnonzero(size > 0)
    start = 0
    while start < len(keep):
        # a batch of incidents whose windows hold about chunk_pairs pixels together
        cum = np.cumsum(size[keep[start:]])
        stop = start + max(1, int(np.searchsorted(cum, chunk_pairs, side="right")))
        idx = keep[start:stop]
        start = stop
        n_pairs = int(size[idx].sum())
        owner = np.repeat(np.arange(len(idx)), size[idx])
        k = np.arange(n_pairs) - np.repeat(np.cumsum(size[idx]) - size[idx], size[idx])
        wi = ww[idx][owner]
        row = r0[idx][owner] + k // wi
        col = c0[idx][owner] + k % wi
        pix = row * grid.width + col
        _, _, dist_m = geod().inv(lon[idx][owner], lat[idx][owner], plon[pix], plat[pix])
        d_km = np.asarray(dist_m) / 1000.0
        val = np.where(d_km <= c, np.exp(-(d_km * d_km) / (2 * h * h)) * norm, 0.0)
        out += np.bincount(pix, weights=val * w[idx][owner], minlength=out.size)
    return out.reshape(grid.shape)


def density_raster(
    points: Any,
    bbox: Sequence[float],
    path: str | os.PathLike[str],
    *,
    bandwidth_km: float,
    cutoff_km: float | None = None,
    weights: Any = None,
    resolution_deg: float | None = None,
    resolution_m: float | None = None,
    crs: str | None = None,
) -> Path:
    """Write a GeoTIFF of incident density (incidents per km²); see :func:`density`.

    Examples
    --------
    >>> import tempfile, pathlib, rasterio
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "k.tif"
    >>> _ = density_raster([(64.09, 26.97), (62.33, 27.37)], (61, 26, 65, 28), out,
    ...                    bandwidth_km=25, resolution_deg=0.05)
    >>> with rasterio.open(out) as src:
    ...     src.units, src.tags()["bandwidth_km"], src.nodata
    (('1/km2',), '25.0', -1.0)
    """
    grid = make_grid(bbox, resolution_deg=resolution_deg, resolution_m=resolution_m, crs=crs)
    values = density(points, grid, bandwidth_km=bandwidth_km, cutoff_km=cutoff_km, weights=weights)
    c = 4.0 * float(bandwidth_km) if cutoff_km is None else float(cutoff_km)
    return write_geotiff(
        values,
        grid,
        path,
        nodata=DENSITY_NODATA,
        description="incident density, incidents per km² (geodesic Gaussian kernel)",
        units="1/km2",
        tags={
            "bandwidth_km": str(float(bandwidth_km)),
            "cutoff_km": str(c),
            "kernel": "Gaussian of geodesic distance (WGS84), normalised over the cutoff disc",
        },
    )


# --------------------------------------------------------------------------- zonal stats


def _zones(zones: Any) -> Any:
    import geopandas as gpd
    import shapely

    if isinstance(zones, gpd.GeoDataFrame):
        return zones
    if isinstance(zones, gpd.GeoSeries):
        return gpd.GeoDataFrame(geometry=zones)
    if isinstance(zones, shapely.Geometry):
        zones = [zones]
    return gpd.GeoDataFrame(geometry=list(zones), crs="EPSG:4326")


def zonal_stats(
    raster: str | os.PathLike[str],
    zones: Any,
    *,
    band: int = 1,
    all_touched: bool = False,
) -> pd.DataFrame:
    """Count, sum, mean, min and max of a raster's pixels in each zone.

    A pixel belongs to a zone when its centre does (``all_touched=False``,
    GDAL's rule) or when the zone touches it (``all_touched=True``).  Pixels
    equal to the raster's nodata value, and NaN pixels, are left out of the
    statistics and counted in ``nodata_count``.

    Parameters
    ----------
    raster : path
        Any GeoTIFF (or other file rasterio reads) with a CRS.
    zones : GeoDataFrame, GeoSeries or sequence of shapely geometries
        Reprojected to the raster's CRS; plain geometries are taken as
        EPSG:4326 lon/lat.

    Returns
    -------
    pandas.DataFrame
        The zones' attribute columns (no geometry) and ``count``,
        ``nodata_count``, ``sum``, ``mean``, ``min``, ``max`` (NaN for a zone
        with no valid pixel).

    Examples
    --------
    >>> import tempfile, pathlib, shapely
    >>> g = make_grid((60.0, 25.0, 61.0, 26.0), resolution_deg=0.25)
    >>> tif = write_geotiff(np.arange(16.0).reshape(4, 4), g,
    ...                     pathlib.Path(tempfile.mkdtemp()) / "v.tif", nodata=-1.0)
    >>> zonal_stats(tif, [shapely.box(60.0, 25.5, 60.5, 26.0)])[["count", "sum", "max"]]
       count  sum  max
    0      4 10.0  5.0
    """
    import pandas as pd
    import rasterio
    from affine import Affine
    from rasterio.features import geometry_mask
    from rasterio.windows import Window

    path = Path(raster)
    z = _zones(zones)
    try:
        src = rasterio.open(path)
    except rasterio.errors.RasterioIOError as exc:
        raise BordermapError(f"cannot open the raster: {exc}", path=str(path)) from None
    with src:
        if src.crs is None:
            raise BordermapError(
                "the raster has no CRS",
                path=str(path),
                suggestion="assign one with gdal_edit.py -a_srs",
            )
        if not 1 <= band <= src.count:
            raise BordermapError(
                f"band {band} does not exist (the raster has {src.count})",
                path=str(path),
                field="band",
            )
        if z.crs is None:
            raise BordermapError(
                "the zones have no CRS",
                field="zones",
                suggestion="set it, e.g. zones.set_crs('EPSG:4326')",
            )
        zr = z.to_crs(src.crs)
        nodata = src.nodata
        gt = tuple(src.transform)[:6]
        rows = []
        for geom in zr.geometry:
            stats = {
                "count": 0,
                "nodata_count": 0,
                "sum": np.nan,
                "mean": np.nan,
                "min": np.nan,
                "max": np.nan,
            }
            if geom is not None and not geom.is_empty:
                x0, y0, x1, y1 = geom.bounds
                px, py = _to_pixel(gt, [x0, x1, x0, x1], [y0, y0, y1, y1])
                c0 = max(0, math.floor(px.min()))
                r0 = max(0, math.floor(py.min()))
                c1 = min(src.width, math.ceil(px.max()))
                r1 = min(src.height, math.ceil(py.max()))
                if c1 > c0 and r1 > r0:
                    data = src.read(band, window=Window(c0, r0, c1 - c0, r1 - r0))
                    a, b, c, d, e, f = gt
                    win_t = Affine(a, b, c + a * c0 + b * r0, d, e, f + d * c0 + e * r0)
                    inside = geometry_mask(
                        [geom],
                        out_shape=data.shape,
                        transform=win_t,
                        invert=True,
                        all_touched=all_touched,
                    )
                    bad = (
                        ~np.isfinite(data)
                        if data.dtype.kind == "f"
                        else np.zeros(data.shape, dtype=bool)
                    )
                    if nodata is not None:
                        bad |= (data == nodata) if not np.isnan(nodata) else np.isnan(data)
                    valid = inside & ~bad
                    vals = data[valid].astype("float64")
                    stats["count"] = int(vals.size)
                    stats["nodata_count"] = int((inside & bad).sum())
                    if vals.size:
                        stats.update(
                            sum=float(vals.sum()),
                            mean=float(vals.mean()),
                            min=float(vals.min()),
                            max=float(vals.max()),
                        )
            rows.append(stats)
    attrs = pd.DataFrame(z.drop(columns=z.geometry.name)).reset_index(drop=True)
    return pd.concat([attrs, pd.DataFrame(rows)], axis=1)


def corridor_stats(
    raster: str | os.PathLike[str],
    frontier: Any,
    widths_km: Sequence[float] = (10, 25, 50),
    *,
    by_side: bool = True,
    boundaries: Any = None,
    all_touched: bool = False,
) -> pd.DataFrame:
    """:func:`zonal_stats` per corridor band of a frontier, per side by default.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> g = make_grid((61.5, 26.5, 63.5, 28.0), resolution_deg=0.02)
    >>> tif = write_geotiff(cell_area_km2(g), g, pathlib.Path(tempfile.mkdtemp()) / "a.tif",
    ...                     nodata=-1.0)  # each pixel holds its own area: sums are areas
    >>> t = corridor_stats(tif, "iran-pakistan", [10], by_side=False)
    >>> t[["band", "side"]].values.tolist()
    [['0-10 km', None]]
    """
    import pandas as pd

    from bordermap.analysis import _frontier
    from bordermap.corridors import corridor_bands

    f = _frontier(frontier, boundaries)
    if by_side:
        bands = pd.concat(
            [corridor_bands(f, widths_km, side=iso, boundaries=boundaries) for iso in f.countries],
            ignore_index=True,
        )
    else:
        bands = corridor_bands(f, widths_km, boundaries=boundaries)
    bands.insert(0, "frontier", f.name)
    return zonal_stats(raster, bands, all_touched=all_touched)


def side_stats(
    raster: str | os.PathLike[str],
    frontier: Any,
    *,
    boundaries: Any = None,
    all_touched: bool = False,
) -> pd.DataFrame:
    """:func:`zonal_stats` over each of the frontier's two countries (its two sides)."""
    import geopandas as gpd

    from bordermap.analysis import _frontier
    from bordermap.boundaries import country_geometry

    f = _frontier(frontier, boundaries)
    zones = gpd.GeoDataFrame(
        {"frontier": [f.name] * 2, "side": list(f.countries)},
        geometry=[country_geometry(iso, boundaries) for iso in f.countries],
        crs="EPSG:4326",
    )
    return zonal_stats(raster, zones, all_touched=all_touched)


def incident_stats(
    raster: str | os.PathLike[str],
    points: Any,
    radius_km: float,
    *,
    all_touched: bool = False,
) -> pd.DataFrame:
    """:func:`zonal_stats` in a geodesic disc of ``radius_km`` around each incident.

    ``points`` is a GeoDataFrame of incidents (its ``id`` column, if any, is
    kept) or an (N, 2) array of (lon, lat).
    """
    from bordermap.corridors import range_rings

    lon, lat = _points(points)
    rings = range_rings(lon, lat, [radius_km])
    if hasattr(points, "columns") and "id" in points.columns:
        rings.insert(1, "id", np.asarray(points["id"])[rings["point"].to_numpy()])
    return zonal_stats(raster, rings, all_touched=all_touched)


# --------------------------------------------------------------------------- Folium overlay


_PALETTES = {
    "viridis": [
        "#440154",
        "#482878",
        "#3e4989",
        "#31688e",
        "#26828e",
        "#1f9e89",
        "#35b779",
        "#6ece58",
        "#b5de2b",
        "#fde725",
    ],
    "magma": [
        "#000004",
        "#1c1044",
        "#4f127b",
        "#812581",
        "#b5367a",
        "#e55064",
        "#fb8761",
        "#fec287",
        "#fcfdbf",
    ],
    "diverging": ["#b2182b", "#ef8a62", "#fddbc7", "#f7f7f7", "#d1e5f0", "#67a9cf", "#2166ac"],
}


class RasterOverlay(NamedTuple):
    """A Folium image overlay and its legend; ``add_to(map)`` adds both."""

    overlay: Any
    legend: Any

    def add_to(self, m: folium.Map) -> folium.Map:
        self.overlay.add_to(m)
        self.legend.add_to(m)
        return m


def _palette(cmap: str | Sequence[str]) -> np.ndarray:
    colours = _PALETTES.get(cmap) if isinstance(cmap, str) else list(cmap)
    if not colours or len(colours) < 2:
        raise BordermapError(
            f"unknown colour map {cmap!r}",
            field="cmap",
            suggestion="use " + ", ".join(_PALETTES) + " or a list of #rrggbb",
        )
    out = []
    for c in colours:
        s = str(c).lstrip("#")
        if len(s) != 6 or any(ch not in "0123456789abcdefABCDEF" for ch in s):
            raise BordermapError(f"not a #rrggbb colour: {c!r}", field="cmap")
        out.append([int(s[i : i + 2], 16) for i in (0, 2, 4)])
    return np.array(out, dtype="float64")


def _rgba(
    values: np.ndarray, valid: np.ndarray, vmin: float, vmax: float, palette: np.ndarray
) -> np.ndarray:
    """Colour values linearly between vmin and vmax; invalid pixels fully transparent."""
    span = vmax - vmin if vmax > vmin else 1.0
    t = np.clip((np.where(valid, values, vmin) - vmin) / span, 0, 1) * (len(palette) - 1)
    i = np.minimum(np.floor(t).astype(int), len(palette) - 2)
    frac = (t - i)[..., None]
    rgb = palette[i] * (1 - frac) + palette[i + 1] * frac
    out = np.zeros((*values.shape, 4), dtype=np.uint8)
    out[..., :3] = np.round(rgb).astype(np.uint8)
    out[..., 3] = np.where(valid, 255, 0)
    return out


def _read_lonlat(path: Path, band: int) -> tuple[np.ndarray, np.ndarray, tuple]:
    """Band values (float64), validity mask and (west, south, east, north), in EPSG:4326.

    A raster in another CRS is resampled (nearest pixel) onto a lon/lat grid
    of about the same number of rows and columns.
    """
    import rasterio
    from pyproj import Transformer

    try:
        src = rasterio.open(path)
    except rasterio.errors.RasterioIOError as exc:
        raise BordermapError(f"cannot open the raster: {exc}", path=str(path)) from None
    with src:
        if src.crs is None:
            raise BordermapError("the raster has no CRS", path=str(path))
        data = src.read(band).astype("float64")
        valid = np.isfinite(data)
        if src.nodata is not None and not np.isnan(src.nodata):
            valid &= data != src.nodata
        gt = tuple(src.transform)[:6]
        height, width = data.shape
        if src.crs.to_epsg() == 4326 and gt[1] == 0 and gt[3] == 0:
            west, north = gt[2], gt[5]
            east, south = west + gt[0] * width, north + gt[4] * height
            return data, valid, (west, south, east, north)
        crs = src.crs.to_wkt()
    # outline of the raster in lon/lat (densified edges)
    s = np.linspace(0, 1, 101)
    cols = np.concatenate([s * width, np.full(101, width), (1 - s) * width, np.zeros(101)])
    rows = np.concatenate([np.zeros(101), s * height, np.full(101, height), (1 - s) * height])
    a, b, c, d, e, f = gt
    to_ll = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    lon, lat = to_ll.transform(a * cols + b * rows + c, d * cols + e * rows + f)
    west, east = float(np.min(lon)), float(np.max(lon))
    south, north = float(np.min(lat)), float(np.max(lat))
    grid = Grid(
        "EPSG:4326",
        ((east - west) / width, 0.0, west, 0.0, -(north - south) / height, north),
        width,
        height,
    )
    glon, glat = grid.centres_lonlat()
    x, y = Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(glon, glat)
    col, row = _to_pixel(gt, x, y)
    col = np.floor(col).astype(np.int64)
    row = np.floor(row).astype(np.int64)
    inside = (col >= 0) & (col < width) & (row >= 0) & (row < height)
    out = np.full(grid.shape, np.nan)
    ok = np.zeros(grid.shape, dtype=bool)
    out[inside] = data[row[inside], col[inside]]
    ok[inside] = valid[row[inside], col[inside]]
    return out, ok, (west, south, east, north)


def _to_mercator_rows(rgba: np.ndarray, south: float, north: float) -> np.ndarray:
    """Resample rows equally spaced in latitude to rows equally spaced in Web Mercator y."""

    def merc(lat: np.ndarray) -> np.ndarray:
        return np.arcsinh(np.tan(np.radians(np.clip(lat, -85.0511, 85.0511))))

    h = rgba.shape[0]
    y = np.linspace(merc(np.array(north)), merc(np.array(south)), h + 1)
    y = 0.5 * (y[1:] + y[:-1])
    lat = np.degrees(np.arctan(np.sinh(y)))
    src_row = np.clip(((north - lat) / (north - south) * h).astype(int), 0, h - 1)
    return rgba[src_row]


def _text(value: str) -> str:
    """HTML-escaped text with braces as entities (Leaflet sets labels as innerHTML)."""
    from bordermap.io import html_text

    return html_text(value)


def _fmt(v: float) -> str:
    return f"{v:,.3g}" if abs(v) < 1e4 else f"{v:,.0f}"


def raster_overlay(
    source: str | os.PathLike[str] | np.ndarray,
    *,
    name: str,
    bounds: Sequence[float] | None = None,
    band: int = 1,
    cmap: str | Sequence[str] = "viridis",
    vmin: float | None = None,
    vmax: float | None = None,
    opacity: float = 0.7,
    legend_title: str | None = None,
    units: str | None = None,
    nodata: float | None = None,
) -> RasterOverlay:
    """A raster as a Folium ``ImageOverlay`` plus a colour-legend element.

    Parameters
    ----------
    source : path or 2-D array
        A GeoTIFF (any CRS: reprojected to EPSG:4326 by nearest neighbour), or
        an array of values on an EPSG:4326 grid (first row north) with ``bounds``.
    name : str
        Layer name in Folium's layer control (shown as plain text: escaped).
    bounds : (west, south, east, north), optional
        Required for an array.
    cmap : {"viridis", "magma", "diverging"} or list of "#rrggbb"
        "diverging" centres on 0 (red negative, blue positive) unless
        vmin/vmax are given.
    vmin, vmax : float, optional
        Colour range; default the data's range.
    legend_title, units : str, optional
        Legend text (HTML-escaped); the title defaults to ``name``.
    nodata : float, optional
        Value treated as missing in an array (NaN always is).

    Returns
    -------
    RasterOverlay
        ``overlay`` (a :class:`folium.raster_layers.ImageOverlay` whose image
        rows are resampled to Web Mercator so that they sit at the right
        latitudes) and ``legend`` (a :class:`branca.element.MacroElement`).

    Examples
    --------
    >>> import folium
    >>> ov = raster_overlay(np.array([[0.0, 1.0], [2.0, np.nan]]), name="demo",
    ...                     bounds=(60, 25, 62, 27), units="km")
    >>> m = ov.add_to(folium.Map(location=[26, 61], zoom_start=6, tiles=None))
    >>> html = m.get_root().render()
    >>> "data:image/png;base64" in html, "bordermap-legend" in html
    (True, True)
    """
    import folium
    from branca.element import MacroElement, Template

    if isinstance(source, np.ndarray):
        if bounds is None:
            raise BordermapError("an array needs bounds=(west, south, east, north)", field="bounds")
        west, south, east, north = _bbox(bounds)
        data = np.asarray(source, dtype="float64")
        if data.ndim != 2:
            raise BordermapError(f"expected a 2-D array, got shape {data.shape}", field="source")
        valid = np.isfinite(data)
        if nodata is not None:
            valid &= data != nodata
    else:
        data, valid, (west, south, east, north) = _read_lonlat(Path(source), band)
    palette = _palette(cmap)
    finite = data[valid]
    lo = float(finite.min()) if finite.size else 0.0
    hi = float(finite.max()) if finite.size else 1.0
    if cmap == "diverging" and vmin is None and vmax is None:
        m = max(abs(lo), abs(hi)) or 1.0
        lo, hi = -m, m
    lo = lo if vmin is None else float(vmin)
    hi = hi if vmax is None else float(vmax)
    rgba = _to_mercator_rows(_rgba(data, valid, lo, hi, palette), south, north)
    overlay = folium.raster_layers.ImageOverlay(
        image=rgba,
        bounds=[[south, west], [north, east]],
        name=_text(name),
        opacity=opacity,
        mercator_project=False,
        pixelated=True,
    )
    stops = ", ".join(
        f"rgb({int(r)},{int(g)},{int(b)}) {100 * i / (len(palette) - 1):.1f}%"
        for i, (r, g, b) in enumerate(palette)
    )
    title = _text(legend_title if legend_title is not None else name)
    unit = f" {_text(units)}" if units else ""
    legend_html = (
        '<div class="bordermap-legend" style="position:absolute;z-index:1000;bottom:24px;'
        "left:10px;background:rgba(255,255,255,0.9);padding:6px 8px;border-radius:4px;"
        'font:12px sans-serif;box-shadow:0 1px 4px rgba(0,0,0,0.3)">'
        f'<div style="font-weight:bold;margin-bottom:4px">{title}</div>'
        f'<div style="width:180px;height:10px;background:linear-gradient(to right, {stops})">'
        "</div>"
        '<div style="display:flex;justify-content:space-between;width:180px">'
        f"<span>{html.escape(_fmt(lo))}{unit}</span><span>{html.escape(_fmt(hi))}{unit}</span>"
        "</div></div>"
    )

    class _Legend(MacroElement):
        _template = Template("{% macro html(this, kwargs) %}{{ this.legend_html }}{% endmacro %}")

        def __init__(self) -> None:
            super().__init__()
            self._name = "BordermapLegend"
            self.legend_html = legend_html

    return RasterOverlay(overlay, _Legend())
