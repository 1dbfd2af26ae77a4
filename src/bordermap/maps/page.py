"""Pages on disk: :func:`save_map` (atomic, with its CSP) and :func:`make_map` (the command)."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bordermap.errors import ExportError, LayerError
from bordermap.maps.render import _with_csp, build_map

if TYPE_CHECKING:  # pragma: no cover
    import folium

__all__ = ["make_map", "parse_corridor_km", "save_map"]


def save_map(
    m: folium.Map,
    path: str | os.PathLike[str],
    *,
    assets: Mapping[str, str | os.PathLike[str]] | None = None,
) -> Path:
    """Write a map as one HTML file, atomically (temporary file, then rename).

    Maps from :func:`build_map` get a Content-Security-Policy ``<meta>`` that allows
    only the page's own scripts (by hash) and, offline, no network at all.  Folium
    layers and plugins added to such a map (and ``GeoDataFrame.explore(m=...)``)
    keep working: their assets are inlined from bordermap's vendored copies, or,
    online, admitted by exact URL (:mod:`bordermap.maps.interop`).

    Parameters
    ----------
    m : folium.Map
        The map (from :func:`build_map`, or any folium map).
    path : path-like
        The HTML file to write.
    assets : mapping of str to path, optional
        Local copies of further assets by the URL the page links (plugins
        bordermap does not vendor), so that an offline page can inline them.

    Returns
    -------
    Path
        The written file.

    Raises
    ------
    ExportError
        If the folder cannot be created or the file cannot be written, or an
        offline page would need an asset that no local copy is given for.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from bordermap.incidents import Layer
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "empty.html"
    >>> save_map(build_map(Layer("e", "Empty", ()), corridor_km=()), out).exists()
    True
    """
    path = Path(path)
    try:
        text = m.get_root().render()
        offline = getattr(m, "_bordermap_offline", None)
        if offline is not None:
            from bordermap._assets import _CDN, _CDN_CLUSTER
            from bordermap.maps.interop import resolve_assets

            # names any asset an offline page could not load, before anything is written
            text, linked = resolve_assets(
                text, offline=offline, assets=assets, keep=(_CDN, _CDN_CLUSTER)
            )
            text = _with_csp(text, offline=offline, linked=linked)
        path.parent.mkdir(parents=True, exist_ok=True)
    except ExportError:
        raise
    except OSError as exc:
        raise ExportError(
            f"cannot write map: {exc.strerror or exc}",
            path=str(path),
            suggestion="check that the folder exists and is writable",
        ) from None
    from bordermap.io import write_text

    write_text(path, text)  # atomic; ExportError with the path and reason
    return path


def parse_corridor_km(value: str | Sequence[float] | None) -> tuple[float, ...]:
    """Band widths from ``"10,25,50"`` (or a sequence); ``""`` or None mean none.

    The rule of :func:`bordermap._units.parse_km_list`: positive, finite widths,
    sorted and distinct; 0 is refused, as by the export.

    Raises
    ------
    ExportError
        Naming ``corridor_km`` and the bad item, when a width is not a positive number.

    Examples
    --------
    >>> parse_corridor_km("10, 25,50")
    (10.0, 25.0, 50.0)
    >>> parse_corridor_km("")
    ()
    """
    from bordermap._units import parse_km_list

    return parse_km_list(value, field="corridor_km")


def make_map(
    paths: Sequence[str | os.PathLike[str]],
    output: str | os.PathLike[str],
    *,
    corridor_km: str | Sequence[float] | None = (10, 25, 50),
    offline: bool = False,
    title: str | None = None,
    rasters: Sequence[str | os.PathLike[str]] = (),
    frontiers: Sequence[str] | None = None,
    input_format: str | None = None,
) -> Path:
    """Load incident layer files, build their map and save it (the ``map`` command).

    ``frontiers`` names the frontiers to draw and measure against (names, ISO-3
    pairs, "thailand-cambodia"); by default those the incidents are about.
    ``input_format`` names the layout of every layer file (``"acled"``,
    ``"ucdp"``, ``"layer"``), as ``format=`` of :func:`bordermap.incidents.load_layer`.

    ``rasters`` are GeoTIFFs (population, elevation, a signed-distance grid …)
    drawn as overlays with a colour legend each (see
    :func:`bordermap.raster.raster_overlay`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from bordermap.examples import layers_dir
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "m.html"
    >>> make_map([layers_dir() / "india-pakistan-2025.yaml"], out, offline=True).exists()
    True
    """
    from bordermap.incidents import load_layers

    if not paths:
        raise LayerError("no layer files given", suggestion="e.g. bordermap map layers/x.yaml")
    layers = load_layers(paths, format=input_format)
    m = build_map(layers, corridor_km=parse_corridor_km(corridor_km), offline=offline, title=title,
                  frontiers=list(frontiers) if frontiers else None)
    if rasters:
        from bordermap.raster import raster_overlay

        for r in rasters:
            raster_overlay(r, name=Path(r).name).add_to(m)
    return save_map(m, output)
