"""A raster as a Folium image overlay with a colour legend."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from bordermap.errors import BordermapError
from bordermap.raster.grid import (
    Grid,
    _bbox,
    _to_pixel,
)

if TYPE_CHECKING:
    import folium

__all__ = ["RasterOverlay", "raster_overlay"]

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

    from bordermap.io import html_text

    data, valid, (west, south, east, north) = _values(source, bounds, band, nodata)
    palette = _palette(cmap)
    lo, hi = _colour_range(data[valid], cmap, vmin, vmax)
    rgba = _to_mercator_rows(_rgba(data, valid, lo, hi, palette), south, north)
    overlay = folium.raster_layers.ImageOverlay(
        image=rgba,
        bounds=[[south, west], [north, east]],
        name=html_text(name),
        opacity=opacity,
        mercator_project=False,
        pixelated=True,
    )
    title = legend_title if legend_title is not None else name
    return RasterOverlay(overlay, _legend(_legend_html(palette, lo, hi, title, units)))


def _values(
    source: Any, bounds: Sequence[float] | None, band: int, nodata: float | None
) -> tuple[np.ndarray, np.ndarray, tuple[float, float, float, float]]:
    """Values on an EPSG:4326 grid (first row north), their validity mask and bounds."""
    if not isinstance(source, np.ndarray):
        return _read_lonlat(Path(source), band)
    if bounds is None:
        raise BordermapError("an array needs bounds=(west, south, east, north)", field="bounds")
    box = _bbox(bounds)
    data = np.asarray(source, dtype="float64")
    if data.ndim != 2:
        raise BordermapError(f"expected a 2-D array, got shape {data.shape}", field="source")
    valid = np.isfinite(data)
    if nodata is not None:
        valid &= data != nodata
    return data, valid, box


def _colour_range(
    finite: np.ndarray, cmap: Any, vmin: float | None, vmax: float | None
) -> tuple[float, float]:
    """(lo, hi) of the colour scale: the data's range, centred on 0 for "diverging"."""
    lo = float(finite.min()) if finite.size else 0.0
    hi = float(finite.max()) if finite.size else 1.0
    if cmap == "diverging" and vmin is None and vmax is None:
        m = max(abs(lo), abs(hi)) or 1.0
        lo, hi = -m, m
    lo = lo if vmin is None else float(vmin)
    hi = hi if vmax is None else float(vmax)
    return lo, hi


def _legend_html(palette: np.ndarray, lo: float, hi: float, title: str, units: str | None) -> str:
    """The colour legend as HTML; every text in it escaped (braces too)."""
    from bordermap.io import html_text

    stops = ", ".join(
        f"rgb({int(r)},{int(g)},{int(b)}) {100 * i / (len(palette) - 1):.1f}%"
        for i, (r, g, b) in enumerate(palette)
    )
    unit = f" {html_text(units)}" if units else ""
    return (
        '<div class="bordermap-legend" style="position:absolute;z-index:1000;bottom:24px;'
        "left:10px;background:rgba(255,255,255,0.9);padding:6px 8px;border-radius:4px;"
        'font:12px sans-serif;box-shadow:0 1px 4px rgba(0,0,0,0.3)">'
        f'<div style="font-weight:bold;margin-bottom:4px">{html_text(title)}</div>'
        f'<div style="width:180px;height:10px;background:linear-gradient(to right, {stops})">'
        "</div>"
        '<div style="display:flex;justify-content:space-between;width:180px">'
        f"<span>{html_text(_fmt(lo))}{unit}</span><span>{html_text(_fmt(hi))}{unit}</span>"
        "</div></div>"
    )


def _legend(legend_html: str) -> Any:
    """A branca element placing ``legend_html`` (already escaped) on the map."""
    from branca.element import MacroElement, Template

    class _Legend(MacroElement):
        _template = Template("{% macro html(this, kwargs) %}{{ this.legend_html }}{% endmacro %}")

        def __init__(self) -> None:
            super().__init__()
            self._name = "BordermapLegend"
            self.legend_html = legend_html

    return _Legend()
