"""One compiled pass for distance, side and band of every point (numba).

Private: :func:`bordermap.scan.frontier_scan` wraps it.  The point-to-frontier
search and evaluation are those of :mod:`bordermap._kernels` (same functions,
same order of operations, so the distances are bit-identical to
:meth:`bordermap.geodesy.PolylineIndex.nearest`); the side-grid lookup is
:func:`bordermap._kernels.grid_lookup`'s.  Fusing them into one ``prange`` loop
(``nogil``) leaves nothing between kernel calls under the GIL: no temporary
arrays of nearest points, azimuths or segment names, no object arrays, and the
band counts are summed per block of points inside the loop.

The per-point cell-or-tree search below is written out as in
:func:`bordermap._kernels.nearest_on_polyline`, not called from a shared function:
as one, 2 M points near the Iran-Pakistan line took 0.95-1.0 s instead of 0.65-0.7 s
(a call per point; numba's ``inline="always"`` refuses these arguments).
"""

from __future__ import annotations

import math

import numba
import numpy as np

from bordermap._kernels import _JIT, _evaluate, _point_frame, _search, _search_cell

BLOCK = 1024
"""Points per ``prange`` block: scratch arrays and band counts are per block."""

#: ``out_code`` values: 0 neither country, 1/2 countries[0]/[1], 3 to test exactly,
#: 4 coordinates the fast path does not take (non-finite, |lat| > 90, lon outside [-180, 180)).
TO_TEST = 3
NOT_TAKEN = 4
#: ``out_band`` value of a point whose distance Vincenty could not give (near-antipodal).
NO_BAND = -1


@numba.njit(parallel=True, nogil=True, **_JIT)
def scan_points(
    lon, lat, lon_v, lat_v, xyz, seg_start, seg_prev, seg_next, tab,
    mn, mx, left, right, lo, hi,
    lon0, lat0, dlon, dlat, nx, ny, offsets, items, item_d, cell_r,
    glon0, glat0, gsize, gnx, gny, glabel, edges_km, on_line_m,
    out_km, out_code, out_band, counts,
):
    """Distance (km), side code and band of each point; ``counts[block, band, column]``.

    Columns of ``counts``: 0 neither country, 1 countries[0], 2 countries[1],
    3 on the line (``distance_km * 1000 <= on_line_m``, whatever the side).  Band
    ``b`` holds ``edges_km[b - 1] < d <= edges_km[b]``; ``len(edges_km)``: beyond.
    Points whose code is :data:`TO_TEST` or :data:`NOT_TAKEN`, or whose band is
    :data:`NO_BAND`, are not counted: the caller settles and counts them.
    """
    n = lon.shape[0]
    nbands = edges_km.shape[0]
    for ib in numba.prange((n + BLOCK - 1) // BLOCK):
        a = ib * BLOCK
        b = min(n, a + BLOCK)
        stack = np.empty(128, dtype=np.int64)
        cand_seg = np.empty(64, dtype=np.int64)
        cand_d2 = np.empty(64)
        cand_t = np.empty(64)
        s_dist = np.empty(BLOCK)
        s_lon = np.empty(BLOCK)
        s_lat = np.empty(BLOCK)
        s_az = np.empty(BLOCK)
        s_seg = np.empty(BLOCK, dtype=np.int64)
        s_t = np.empty(BLOCK)
        s_side = np.empty(BLOCK, dtype=np.int8)
        lon_b = lon[a:b]
        lat_b = lat[a:b]
        for j in range(b - a):
            i = a + j
            x = lon_b[j]
            y = lat_b[j]
            if not (-180.0 <= x < 180.0 and -90.0 <= y <= 90.0):  # NaN fails too
                out_code[i] = NOT_TAKEN
                out_band[i] = NO_BAND
                out_km[i] = np.nan
                continue
            x = (x + 180.0) % 360.0 - 180.0  # as geodesy.as_lonlat wraps: the same bits
            px, py, pz, sphi, cphi, slam, clam = _point_frame(x, y)
            fx = (x - lon0) / dlon
            fy = (y - lat0) / dlat
            c = int(fy) * nx + int(fx) if (0.0 <= fx < nx and 0.0 <= fy < ny) else -1
            if c >= 0 and cell_r[c] >= 0.0:
                ncand, best = _search_cell(px, py, pz, tab, items, item_d, offsets[c],
                                           offsets[c + 1], cell_r[c], cand_seg, cand_d2, cand_t)
            else:
                ncand, best = _search(px, py, pz, tab, mn, mx, left, right, lo, hi, stack,
                                      cand_seg, cand_d2, cand_t)
            _evaluate(j, px, py, pz, sphi, cphi, slam, clam, best, ncand, lon_v, lat_v, xyz,
                      seg_start, seg_prev, seg_next, cand_seg, cand_d2, cand_t,
                      s_dist, s_lon, s_lat, s_az, s_seg, s_t, s_side)
            gx = math.floor((x - glon0) / gsize)
            gy = math.floor((y - glat0) / gsize)
            code = glabel[int(gy) * gnx + int(gx)] if (0 <= gx < gnx and 0 <= gy < gny) else 0
            out_code[i] = code
            if s_dist[j] < 0.0:  # REFINE, beyond 1,000 km: the caller's exact search
                out_km[i] = np.nan
                out_band[i] = NO_BAND
                continue
            km = s_dist[j] / 1000.0
            out_km[i] = km
            band = 0
            while band < nbands and edges_km[band] < km:
                band += 1
            out_band[i] = band
            if code != TO_TEST:
                counts[ib, band, 3 if km * 1000.0 <= on_line_m else code] += 1
