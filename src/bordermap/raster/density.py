"""Incident density (a geodesic Gaussian kernel), as arrays and GeoTIFFs."""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bordermap.errors import BordermapError
from bordermap.raster.grid import (
    DENSITY_NODATA,
    Grid,
    _to_pixel,
    cell_area_km2,  # noqa: F401 - used in the doctests
    make_grid,
    write_geotiff,
)

if TYPE_CHECKING:
    pass

__all__ = ["density", "density_raster"]

# --------------------------------------------------------------------------- density


def _points(points: Any, lat: Any = None) -> tuple[np.ndarray, np.ndarray]:
    from bordermap.geodesy import as_lonlat, points_lonlat

    ll = (
        as_lonlat(points, lat, what="incident")
        if lat is not None
        else points_lonlat(points, what="incident")
    )
    return np.atleast_1d(ll.lon), np.atleast_1d(ll.lat)


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
