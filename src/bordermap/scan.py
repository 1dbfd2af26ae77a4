"""Distance, side and band of many points in one compiled pass, on every core.

:func:`frontier_scan` answers what :func:`~bordermap.analysis.distance_to_frontier`,
:func:`~bordermap.analysis.side_of` and :func:`~bordermap.analysis.band_counts`
answer together, for callers that need numbers only (millions of points, a
chunk at a time): one ``nogil`` ``prange`` loop (:mod:`bordermap._fused`) does
the nearest-point search, the side-grid lookup and the band, and sums the band
counts per block; only the points in grid cells a border crosses go to
shapely's exact test (in the thread pool, GIL released).  No object arrays are
made.  Distances are bit-identical to ``distance_to_frontier``'s and sides equal
``side_of``'s (``tests/test_scan.py``).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from bordermap.analysis import (
    ON_LINE_M,
    _boundaries_key,
    _country_polygons,
    _dask_path,
    _frontier,
    _lonlat,
    _positive,
    _side_grid,
    frontier_index,
)
from bordermap.errors import CoordinateError

__all__ = ["SIDE_GRID_CELLS", "FrontierScan", "frontier_scan"]

SIDE_GRID_CELLS = 1 << 20
"""Cells of the side grid the scan uses (``side_of``'s has 2**18): built once per frontier
(0.14 s for Iran-Pakistan), it halves the points left for the exact polygon test
(15,198 instead of 28,267 of the benchmark's 1 M points), which cost ~14 µs each."""


class FrontierScan(NamedTuple):
    """Per-point numbers and the band table of :func:`frontier_scan`.

    ``side_code``: 0 neither frontier country, 1 ``countries[0]``, 2 ``countries[1]``.
    ``band``: index ``b`` of the band ``(edges[b-1], edges[b]]``; ``len(bands_km)`` beyond.
    ``counts``: ``(len(bands_km) + 1, 4)`` points per band (the last row: beyond)
    and column: neither country, ``countries[0]``, ``countries[1]``, on the line
    (within ``on_line_m``, whatever the side; not counted in the other columns).
    """

    distance_km: np.ndarray
    side_code: np.ndarray
    band: np.ndarray
    counts: np.ndarray
    countries: tuple[str, str]
    bands_km: np.ndarray


def _edges(bands_km: Any) -> np.ndarray:
    edges = sorted({_positive(b, "bands_km") for b in np.atleast_1d(bands_km)})
    if not edges or len(edges) > 1000:
        raise CoordinateError(f"bands_km needs 1 to 1,000 values, got {len(edges)}",
                              field="bands_km")
    return np.array(edges, dtype=np.float64)


def _as_float(a: Any) -> np.ndarray:
    return np.ascontiguousarray(np.atleast_1d(np.asarray(a, dtype=np.float64)).ravel())


def frontier_scan(
    points: Any,
    lat: Any = None,
    *,
    frontier: Any,
    bands_km: Any = (10, 25, 50),
    boundaries: Any = None,
    on_line_m: float = ON_LINE_M,
) -> FrontierScan:
    """Distance to a frontier, side and distance band of every point, and the band counts.

    Parameters
    ----------
    points : lon array, GeoSeries/GeoDataFrame or (N, 2) array
        With ``lat``: ``points`` holds the longitudes (the fast form: float64
        arrays are used as they are, without a copy).
    lat : array_like, optional
    frontier : Frontier or str
    bands_km : sequence of float
        Band edges (km, positive); bands are ``(0, b1]``, ``(b1, b2]`` …
    boundaries : optional
        A boundary file or table (see :func:`bordermap.boundaries.load_countries`).
    on_line_m : float
        Points nearer the line than this count in the ``on_line`` column.

    Returns
    -------
    FrontierScan
        For a dask-geopandas frame: a lazy dask DataFrame of ``distance_km``,
        ``side_code`` and ``band`` per row (:func:`bordermap.cluster.frontier_scan`).

    Examples
    --------
    >>> s = frontier_scan([64.09, 62.33], [26.97, 27.37], frontier="iran-pakistan",
    ...                   bands_km=(50, 100))  # Panjgur 78 km, Saravan 42 km from the line
    >>> s.distance_km.round(1).tolist(), s.side_code.tolist(), s.band.tolist()
    ([78.2, 42.2], [2, 1], [1, 0])
    >>> s.counts.tolist()  # rows: 0-50, 50-100, beyond; columns: neither, IRN, PAK, on line
    [[0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 0]]
    """
    from bordermap import _fused, _threads

    if (dask_path := _dask_path(points)) is not None:  # lazy, over partitions
        return dask_path.frontier_scan(points, frontier=frontier, bands_km=bands_km,
                                       boundaries=boundaries, on_line_m=on_line_m)
    if not np.isfinite(on_line_m) or on_line_m < 0:
        raise CoordinateError(f"on_line_m must be >= 0, got {on_line_m}", field="on_line_m")
    edges = _edges(bands_km)
    if lat is None:
        lon, lat = map(_as_float, _lonlat(points))  # geometries: validated and wrapped here
    else:
        lon, lat = _as_float(points), _as_float(lat)
        if lon.shape != lat.shape:
            lon, lat = map(_as_float, _lonlat(lon, lat))  # broadcasts, or names the mismatch
    f = _frontier(frontier, boundaries)
    fi = frontier_index(f, boundaries)
    key = _boundaries_key(boundaries)
    g = _side_grid(f, key, SIDE_GRID_CELLS)
    n = lon.shape[0]
    km = np.empty(n)
    code = np.empty(n, dtype=np.int8)
    band = np.empty(n, dtype=np.int16)
    counts = np.zeros(((n + _fused.BLOCK - 1) // _fused.BLOCK, len(edges) + 1, 4), np.int64)
    with _threads.kernel_threads():
        _fused.scan_points(lon, lat, *fi.index._arrays[:-1], *fi.index._cells, g.lon0, g.lat0,
                           g.size, g.nx, g.ny, g.label.ravel(), edges, float(on_line_m),
                           km, code, band, counts)
    table = counts.sum(axis=0)
    settle = np.flatnonzero((code >= _fused.TO_TEST) | (band == _fused.NO_BAND))
    if settle.size:
        lon, lat = _settle(lon, lat, settle, code, km, band, edges, f, fi, key)
        column = np.where(km[settle] * 1000.0 <= on_line_m, 3, code[settle])
        np.add.at(table, (band[settle], column), 1)
    return FrontierScan(km, code, band, table, tuple(f.countries), edges)


def _settle(lon, lat, idx, code, km, band, edges, f, fi, key):
    """The points the compiled pass left: other coordinate forms, border cells, no Vincenty."""
    import shapely

    from bordermap import _fused, _threads

    if (code[idx] == _fused.NOT_TAKEN).any():  # as_lonlat names the first bad row, or wraps
        lon, lat = _lonlat(lon, lat)
        redo = idx[code[idx] == _fused.NOT_TAKEN]
        part = frontier_scan(lon[redo], lat[redo], frontier=f, bands_km=edges,
                             boundaries=None if key is None else key[1])
        km[redo], code[redo], band[redo] = part.distance_km, part.side_code, part.band
    far = idx[band[idx] == _fused.NO_BAND]
    if far.size:  # beyond 1,000 km: PolylineIndex.nearest's exact far-field search
        km[far] = fi.index.nearest(lon[far], lat[far]).distance_m / 1000.0
        band[far] = np.searchsorted(edges, km[far], side="left")
    mixed = idx[code[idx] == _fused.TO_TEST]
    if mixed.size:
        poly_a, poly_b = _country_polygons(f, key)

        def exact(a: int, b: int) -> np.ndarray:  # shapely releases the GIL
            x = (lon[mixed[a:b]] + 180.0) % 360.0 - 180.0  # as as_lonlat wraps
            y = lat[mixed[a:b]]
            out = np.where(shapely.contains_xy(poly_a, x, y), 1, 0).astype(np.int8)
            rest = np.flatnonzero(out == 0)  # the second country only where the first is not
            out[rest[shapely.contains_xy(poly_b, x[rest], y[rest])]] = 2
            return out

        # small chunks, several per thread: this is the one step outside the compiled loop
        chunk = max(1024, -(-mixed.size // (4 * _threads.get_threads())))
        code[mixed] = np.concatenate(_threads.map_chunks(exact, mixed.size, chunk=chunk))
    return lon, lat
