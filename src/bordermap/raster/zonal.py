"""Zonal statistics of any GeoTIFF, and the zones bordermap builds (bands, sides, rings)."""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bordermap.errors import BordermapError
from bordermap.raster.density import _points
from bordermap.raster.grid import (  # noqa: F401 - make_grid, write_geotiff in the doctests
    _to_pixel,
    cell_area_km2,
    make_grid,
    write_geotiff,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["corridor_stats", "incident_stats", "side_stats", "zonal_stats"]

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

    z = _zones(zones)
    with _open_checked(Path(raster), band, z) as src:
        zr = z.to_crs(src.crs)
        rows = [_zone_stats(src, band, geom, all_touched) for geom in zr.geometry]
    attrs = pd.DataFrame(z.drop(columns=z.geometry.name)).reset_index(drop=True)
    return pd.concat([attrs, pd.DataFrame(rows)], axis=1)


def _open_checked(path: Path, band: int, z: Any) -> Any:
    """The open raster, once it is known to have a CRS and the band, and the zones a CRS."""
    import rasterio

    try:
        src = rasterio.open(path)
    except rasterio.errors.RasterioIOError as exc:
        raise BordermapError(f"cannot open the raster: {exc}", path=str(path)) from None
    problem = None
    if src.crs is None:
        problem = BordermapError(
            "the raster has no CRS",
            path=str(path),
            suggestion="assign one with gdal_edit.py -a_srs",
        )
    elif not 1 <= band <= src.count:
        problem = BordermapError(
            f"band {band} does not exist (the raster has {src.count})",
            path=str(path),
            field="band",
        )
    elif z.crs is None:
        problem = BordermapError(
            "the zones have no CRS",
            field="zones",
            suggestion="set it, e.g. zones.set_crs('EPSG:4326')",
        )
    if problem is not None:
        src.close()
        raise problem
    return src


def _zone_stats(src: Any, band: int, geom: Any, all_touched: bool) -> dict[str, Any]:
    """Count, nodata count, sum, mean, min and max of the pixels of one zone (raster CRS)."""
    from affine import Affine
    from rasterio.features import geometry_mask
    from rasterio.windows import Window

    stats: dict[str, Any] = {
        "count": 0, "nodata_count": 0, "sum": np.nan, "mean": np.nan, "min": np.nan,
        "max": np.nan,
    }  # fmt: skip
    if geom is None or geom.is_empty:
        return stats
    gt = tuple(src.transform)[:6]
    x0, y0, x1, y1 = geom.bounds
    px, py = _to_pixel(gt, [x0, x1, x0, x1], [y0, y0, y1, y1])
    c0 = max(0, math.floor(px.min()))
    r0 = max(0, math.floor(py.min()))
    c1 = min(src.width, math.ceil(px.max()))
    r1 = min(src.height, math.ceil(py.max()))
    if c1 <= c0 or r1 <= r0:
        return stats
    data = src.read(band, window=Window(c0, r0, c1 - c0, r1 - r0))
    a, b, c, d, e, f = gt
    win_t = Affine(a, b, c + a * c0 + b * r0, d, e, f + d * c0 + e * r0)
    inside = geometry_mask(
        [geom], out_shape=data.shape, transform=win_t, invert=True, all_touched=all_touched
    )
    bad = ~np.isfinite(data) if data.dtype.kind == "f" else np.zeros(data.shape, dtype=bool)
    nodata = src.nodata
    if nodata is not None:
        bad |= (data == nodata) if not np.isnan(nodata) else np.isnan(data)
    vals = data[inside & ~bad].astype("float64")
    stats["count"] = int(vals.size)
    stats["nodata_count"] = int((inside & bad).sum())
    if vals.size:
        stats.update(
            sum=float(vals.sum()), mean=float(vals.mean()), min=float(vals.min()),
            max=float(vals.max()),
        )  # fmt: skip
    return stats


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

    from bordermap.corridors import corridor_bands
    from bordermap.frontiers import resolve_frontier

    f = resolve_frontier(frontier, boundaries)
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

    from bordermap.boundaries import country_geometry
    from bordermap.frontiers import resolve_frontier

    f = resolve_frontier(frontier, boundaries)
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
