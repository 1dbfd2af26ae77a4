"""Compiled kernels for the point-to-polyline geodesic distance (numba).

Private: :mod:`bordermap.geodesy` wraps these with validation and documents them.

Method
------
The polyline is first densified along its geodesic edges (pyproj) so that no
piece is longer than ``max_segment_m`` (2 km by default); every vertex then lies
exactly on the true geodesic edge, and the straight 3-D chord between two
vertices sags below the surface by at most L²/8R (8 cm at 2 km).

For each point the kernel

1. converts the point to Earth-centred (ECEF) metres;
2. finds every piece whose 3-D chord distance is within ``CHORD_SLACK``
   (relative) + ``CHORD_SLACK_M`` of the smallest one — from the candidate list
   of the point's cell in a lon/lat grid built once around the line
   (:func:`build_cells`), or by walking an axis-aligned bounding-box tree over
   consecutive pieces (:func:`build_tree`).  Chord length orders candidates as
   geodesic distance does, except for the ellipsoid's direction-dependent
   curvature, whose effect on two nearly equidistant candidates is of order
   e²·(d/R)² — far inside the slack;
3. for each candidate, lifts the chord foot radially onto the ellipsoid and
   measures the geodesic distance from the chord (:func:`_series_distance`:
   0.01 mm at 200 km, 4 cm at 1,000 km), keeping the smallest.

Moving the foot point by δ along the line changes the distance by only
δ²/(2d), so the chord foot (which differs from the geodesic foot by far less
than a metre at 200 km) gives the distance to well under a millimetre; the
test-suite holds the result to geographiclib within 0.5 mm up to 200 km from the
line and 4 cm up to 1,000 km.

Beyond a 1,000 km chord (``SERIES_LIMIT_M``) the chord order is no safe guide to the
geodesic order, and the series no longer holds: the kernel writes the foot of the
nearest chord with the distance ``REFINE`` (-1), and :mod:`bordermap._farfield`
gathers every piece that could be nearest (:func:`segments_within`) and searches
them with Karney's inverse: within 1 mm of geographiclib everywhere, the antipodes
included (tests/test_geodesy.py, tests/test_kernels.py).
"""

from __future__ import annotations

import math

import numba
import numpy as np

A_M = 6378137.0
F = 1 / 298.257223563
B_M = A_M * (1 - F)
E2 = F * (2 - F)
CHORD_SLACK = 1e-4  # relative: see step 2 of the method above
CHORD_SLACK_M = 0.5  # absolute, for points very near the line
LEAF_SIZE = 8
MAX_CELL_LIST = 48  # longer candidate lists fall back to the tree
REFINE = -1.0  # distance written for a far point: bordermap._farfield measures it
SERIES_LIMIT_M = 1_000_000.0  # chord length up to which _series_distance is used

_JIT = {"cache": True, "fastmath": False, "error_model": "numpy"}


@numba.njit(**_JIT)
def _point_frame(lon_deg, lat_deg):
    """A point's ECEF position and the sines and cosines ``_evaluate`` needs.

    Returns (px, py, pz, sin φ, cos φ, sin λ, cos λ).
    """
    lam = math.radians(lon_deg)
    phi = math.radians(lat_deg)
    sphi = math.sin(phi)
    cphi = math.cos(phi)
    slam = math.sin(lam)
    clam = math.cos(lam)
    nrad = A_M / math.sqrt(1.0 - E2 * sphi * sphi)
    return (nrad * cphi * clam, nrad * cphi * slam, nrad * (1.0 - E2) * sphi,
            sphi, cphi, slam, clam)


@numba.njit(**_JIT)
def _ecef(lon_deg: float, lat_deg: float) -> tuple[float, float, float]:
    lam = math.radians(lon_deg)
    phi = math.radians(lat_deg)
    s = math.sin(phi)
    c = math.cos(phi)
    n = A_M / math.sqrt(1.0 - E2 * s * s)
    return n * c * math.cos(lam), n * c * math.sin(lam), n * (1.0 - E2) * s


@numba.njit(**_JIT)
def _geodetic(x: float, y: float, z: float) -> tuple[float, float]:
    """(lon, lat) in degrees of a point *on* the ellipsoid surface.

    On the surface z = N (1 - e²) sin φ and √(x² + y²) = N cos φ, so
    tan φ = z / ((1 - e²) √(x² + y²)) exactly; callers lift points onto the
    surface first.
    """
    return (
        math.degrees(math.atan2(y, x)),
        math.degrees(math.atan2(z, (1.0 - E2) * math.sqrt(x * x + y * y))),
    )


@numba.njit(**_JIT)
def ecef_many(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    out = np.empty((lon.shape[0], 3))
    for i in range(lon.shape[0]):
        x, y, z = _ecef(lon[i], lat[i])
        out[i, 0] = x
        out[i, 1] = y
        out[i, 2] = z
    return out


@numba.njit(**_JIT)
def segment_table(xyz: np.ndarray, seg_start: np.ndarray) -> np.ndarray:
    """Per segment: start point (3), direction (3) and 1/|direction|² (0 if degenerate)."""
    n = seg_start.shape[0]
    tab = np.empty((n, 7))
    for k in range(n):
        v = seg_start[k]
        ll = 0.0
        for j in range(3):
            tab[k, j] = xyz[v, j]
            tab[k, 3 + j] = xyz[v + 1, j] - xyz[v, j]
            ll += tab[k, 3 + j] ** 2
        tab[k, 6] = 1.0 / ll if ll > 0.0 else 0.0
    return tab


@numba.njit(**_JIT)
def build_tree(tab: np.ndarray) -> tuple:
    """Axis-aligned bounding-box hierarchy over consecutive segments.

    Returns (mn (m,3), mx (m,3), left, right, lo, hi); a leaf has left == -1 and
    covers segments lo..hi-1.  Splitting index ranges in half suits a polyline,
    whose consecutive segments are neighbours in space.
    """
    n = tab.shape[0]
    cap = 4 * (n // LEAF_SIZE + 2)
    mn = np.empty((cap, 3))
    mx = np.empty((cap, 3))
    left = -np.ones(cap, dtype=np.int64)
    right = -np.ones(cap, dtype=np.int64)
    lo = np.zeros(cap, dtype=np.int64)
    hi = np.zeros(cap, dtype=np.int64)
    todo = np.empty((128, 3), dtype=np.int64)
    todo[0, 0] = 0
    todo[0, 1] = n
    todo[0, 2] = 0
    top = 1
    count = 1
    while top > 0:
        top -= 1
        a = todo[top, 0]
        b = todo[top, 1]
        node = todo[top, 2]
        lo[node] = a
        hi[node] = b
        for j in range(3):
            mn[node, j] = np.inf
            mx[node, j] = -np.inf
        for k in range(a, b):
            for j in range(3):
                p0 = tab[k, j]
                p1 = tab[k, j] + tab[k, 3 + j]
                mn[node, j] = min(mn[node, j], p0, p1)
                mx[node, j] = max(mx[node, j], p0, p1)
        if b - a > LEAF_SIZE:
            mid = (a + b) // 2
            left[node] = count
            right[node] = count + 1
            todo[top, 0] = a
            todo[top, 1] = mid
            todo[top, 2] = count
            todo[top + 1, 0] = mid
            todo[top + 1, 1] = b
            todo[top + 1, 2] = count + 1
            top += 2
            count += 2
    return mn[:count], mx[:count], left[:count], right[:count], lo[:count], hi[:count]


@numba.njit(**_JIT)
def _box_d2(px, py, pz, mn, mx, node):
    dx = max(0.0, mn[node, 0] - px, px - mx[node, 0])
    dy = max(0.0, mn[node, 1] - py, py - mx[node, 1])
    dz = max(0.0, mn[node, 2] - pz, pz - mx[node, 2])
    return dx * dx + dy * dy + dz * dz


@numba.njit(**_JIT)
def _foot(px, py, pz, tab, k):
    """Squared chord distance from the point to segment k, and the foot parameter t."""
    wx = px - tab[k, 0]
    wy = py - tab[k, 1]
    wz = pz - tab[k, 2]
    t = (wx * tab[k, 3] + wy * tab[k, 4] + wz * tab[k, 5]) * tab[k, 6]
    t = min(1.0, max(0.0, t))
    qx = wx - t * tab[k, 3]
    qy = wy - t * tab[k, 4]
    qz = wz - t * tab[k, 5]
    return qx * qx + qy * qy + qz * qz, t


@numba.njit(**_JIT)
def _limit2(best):
    lim = best * (1.0 + CHORD_SLACK) + CHORD_SLACK_M
    return lim * lim


@numba.njit(**_JIT)
def _add_candidate(k, d2, t, ncand, best, lim2, cand_seg, cand_d2, cand_t):
    """Record segment k (squared chord distance d2, foot t) if within the slack window.

    Keeps only candidates within the window of the best so far; when the list is
    full, the farthest is replaced.  Returns (ncand, best, lim2).
    """
    if d2 < best * best:
        best = math.sqrt(d2)
        lim2 = _limit2(best)
        keep = 0  # drop candidates that fell out of the slack window
        for c in range(ncand):
            if cand_d2[c] <= lim2:
                cand_seg[keep] = cand_seg[c]
                cand_d2[keep] = cand_d2[c]
                cand_t[keep] = cand_t[c]
                keep += 1
        ncand = keep
    slot = ncand
    if ncand == cand_seg.shape[0]:  # full: replace the farthest if farther
        slot = 0
        for c in range(ncand):
            if cand_d2[c] > cand_d2[slot]:
                slot = c
        if cand_d2[slot] <= d2:
            return ncand, best, lim2
    else:
        ncand += 1
    cand_seg[slot] = k
    cand_d2[slot] = d2
    cand_t[slot] = t
    return ncand, best, lim2


@numba.njit(**_JIT)
def _search(px, py, pz, tab, mn, mx, left, right, lo, hi, stack, cand_seg, cand_d2, cand_t):
    """Every segment whose chord distance is within the slack of the nearest one.

    Returns (number of candidates, smallest chord distance).
    """
    ncand = 0
    best = np.inf
    lim2 = np.inf
    stack[0] = 0
    top = 1
    while top > 0:
        top -= 1
        node = stack[top]
        if _box_d2(px, py, pz, mn, mx, node) > lim2:
            continue
        if left[node] < 0:
            for k in range(lo[node], hi[node]):
                d2, t = _foot(px, py, pz, tab, k)
                if d2 <= lim2:
                    ncand, best, lim2 = _add_candidate(k, d2, t, ncand, best, lim2,
                                                       cand_seg, cand_d2, cand_t)
        else:
            a = left[node]
            b = right[node]
            if _box_d2(px, py, pz, mn, mx, a) < _box_d2(px, py, pz, mn, mx, b):
                stack[top] = b
                stack[top + 1] = a
            else:
                stack[top] = a
                stack[top + 1] = b
            top += 2
    return ncand, best


@numba.njit(**_JIT)
def _series_distance(px, py, pz, qx, qy, qz):
    """Geodesic distance (m) from the 3-D chord, accurate to 0.01 mm at 200 km, 4 cm at 1000 km.

    g = c (1 + x²/24 + 3x⁴/640), x = c / R, with R the radius of curvature of the normal
    section at the chord's midpoint in the chord's direction (Euler's formula).
    """
    dx = qx - px
    dy = qy - py
    dz = qz - pz
    c = math.sqrt(dx * dx + dy * dy + dz * dz)
    if c == 0.0:
        return 0.0
    mx = 0.5 * (px + qx)
    my = 0.5 * (py + qy)
    mz = 0.5 * (pz + qz)
    # ellipsoid normal at the midpoint's direction
    nx = mx / (A_M * A_M)
    ny = my / (A_M * A_M)
    nz = mz / (B_M * B_M)
    nn = math.sqrt(nx * nx + ny * ny + nz * nz)
    nx /= nn
    ny /= nn
    nz /= nn
    h = math.sqrt(nx * nx + ny * ny)
    w = 1.0 - E2 * nz * nz
    m_rad = A_M * (1.0 - E2) / (w * math.sqrt(w))
    n_rad = A_M / math.sqrt(w)
    dn_up = dx * nx + dy * ny + dz * nz
    hor2 = c * c - dn_up * dn_up
    if h > 1e-12 and hor2 > 0.0:
        # east = (-ny, nx, 0) / h ; its component of d
        de = (-dx * ny + dy * nx) / h
        cos2 = max(0.0, 1.0 - de * de / hor2)
        r = 1.0 / (cos2 / m_rad + (1.0 - cos2) / n_rad)
    else:
        r = m_rad
    x = c / r
    x2 = x * x
    return c * (1.0 + x2 / 24.0 + 3.0 * x2 * x2 / 640.0)


@numba.njit(**_JIT)
def _evaluate(i, px, py, pz, sphi, cphi, slam, clam, best, ncand, lon_v, lat_v,
              xyz, seg_start, seg_prev, seg_next, cand_seg, cand_d2, cand_t,
              out_dist, out_lon, out_lat, out_az, out_seg, out_t, out_side):
    """Geodesic distance to each candidate foot point; write the nearest.

    A far point (nearest chord beyond ``SERIES_LIMIT_M``) gets the foot of its nearest
    chord and the distance ``REFINE``: :mod:`bordermap._farfield` then searches every
    piece that could be nearest by geodesic with an exact inverse.
    """
    far = best > SERIES_LIMIT_M
    best_geo = np.inf
    best_c = -1
    bx = 0.0
    by = 0.0
    bz = 0.0
    for c in range(ncand):
        k = cand_seg[c]
        t = cand_t[c]
        v = seg_start[k]
        qx = xyz[v, 0] + t * (xyz[v + 1, 0] - xyz[v, 0])
        qy = xyz[v, 1] + t * (xyz[v + 1, 1] - xyz[v, 1])
        qz = xyz[v, 2] + t * (xyz[v + 1, 2] - xyz[v, 2])
        if 0.0 < t < 1.0:  # lift the chord point to the ellipsoid
            s = 1.0 / math.sqrt((qx * qx + qy * qy) / (A_M * A_M) + qz * qz / (B_M * B_M))
            qx *= s
            qy *= s
            qz *= s
        d = cand_d2[c] if far else _series_distance(px, py, pz, qx, qy, qz)
        if d < best_geo:
            best_geo = d
            best_c = c
            bx = qx
            by = qy
            bz = qz
    k = cand_seg[best_c]
    t = cand_t[best_c]
    v = seg_start[k]
    if t <= 0.0:
        flon = lon_v[v]
        flat = lat_v[v]
    elif t >= 1.0:
        flon = lon_v[v + 1]
        flat = lat_v[v + 1]
    else:
        flon, flat = _geodetic(bx, by, bz)
    dx = bx - px
    dy = by - py
    dz = bz - pz
    east = -dx * slam + dy * clam
    north = -dx * sphi * clam - dy * sphi * slam + dz * cphi
    az1 = math.degrees(math.atan2(east, north))
    out_dist[i] = REFINE if far else best_geo
    out_lon[i] = flon
    out_lat[i] = flat
    out_az[i] = az1 + 360.0 if az1 < 0.0 else az1  # [0, 360)
    out_seg[i] = k
    out_t[i] = t
    out_side[i] = _side(px, py, pz, k, t, seg_start, seg_prev, seg_next, xyz)


@numba.njit(**_JIT)
def _side(px, py, pz, seg, t, seg_start, seg_prev, seg_next, xyz):
    """+1 if the point is left of the directed polyline at its nearest point, -1 if right."""
    v0 = seg_start[seg]
    # left normal of a segment at vertex: up x direction
    nx = 0.0
    ny = 0.0
    nz = 0.0
    use = 1
    other = seg
    if t <= 0.0 and seg_prev[seg] >= 0:
        other = seg_prev[seg]
        use = 2
    elif t >= 1.0 and seg_next[seg] >= 0:
        other = seg_next[seg]
        use = 2
    vx = xyz[v0, 0] + t * (xyz[v0 + 1, 0] - xyz[v0, 0])
    vy = xyz[v0, 1] + t * (xyz[v0 + 1, 1] - xyz[v0, 1])
    vz = xyz[v0, 2] + t * (xyz[v0 + 1, 2] - xyz[v0, 2])
    # ellipsoid normal ("up") at the foot, without trigonometry
    ux = vx / (A_M * A_M)
    uy = vy / (A_M * A_M)
    uz = vz / (B_M * B_M)
    for k in range(use):
        s0 = seg_start[seg if k == 0 else other]
        dx = xyz[s0 + 1, 0] - xyz[s0, 0]
        dy = xyz[s0 + 1, 1] - xyz[s0, 1]
        dz = xyz[s0 + 1, 2] - xyz[s0, 2]
        norm = math.sqrt(dx * dx + dy * dy + dz * dz)
        if norm == 0.0:
            continue
        # left normal = up x d
        nx += (uy * dz - uz * dy) / norm
        ny += (uz * dx - ux * dz) / norm
        nz += (ux * dy - uy * dx) / norm
    s = (px - vx) * nx + (py - vy) * ny + (pz - vz) * nz
    if s > 0.0:
        return 1
    if s < 0.0:
        return -1
    return 0


@numba.njit(**_JIT)
def _tree_within_sorted(px, py, pz, limit, tab, mn, mx, left, right, lo, hi, stack,
                        out_seg, out_d):
    """Segments with chord distance <= limit from the point, nearest first; returns count."""
    n = 0
    lim2 = limit * limit
    stack[0] = 0
    top = 1
    while top > 0:
        top -= 1
        node = stack[top]
        if _box_d2(px, py, pz, mn, mx, node) > lim2:
            continue
        if left[node] < 0:
            for k in range(lo[node], hi[node]):
                d2, _t = _foot(px, py, pz, tab, k)
                if d2 <= lim2 and n < out_seg.shape[0]:
                    out_seg[n] = k
                    out_d[n] = math.sqrt(d2)
                    n += 1
        else:
            stack[top] = left[node]
            stack[top + 1] = right[node]
            top += 2
    order = np.argsort(out_d[:n])
    seg_sorted = out_seg[:n][order].copy()
    d_sorted = out_d[:n][order].copy()
    out_seg[:n] = seg_sorted
    out_d[:n] = d_sorted
    return n


@numba.njit(parallel=True, **_JIT)
def build_cells(lon0, lat0, dlon, dlat, nx, ny, tab, mn, mx, left, right, lo, hi):
    """Candidate segments for every cell of a lon/lat grid (see PolylineIndex).

    For a cell with centre c and chord circumradius r, any point p in it has
    best(p) <= min_seg d(c, seg) + r, and a segment can be within the slack of
    best(p) only if d(c, seg) <= best(p) (1 + slack) + slack_m + r.  The list
    holds those segments sorted by d(c, seg), so a point can stop early.
    Returns (offsets, segment ids, distances from the centre, radius per cell).
    """
    ncell = nx * ny
    nseg = tab.shape[0]
    counts = np.zeros(ncell, dtype=np.int64)
    radius = np.zeros(ncell)
    cap = min(nseg, 4096)
    if cap <= MAX_CELL_LIST:
        cap = MAX_CELL_LIST + 1
    # pass 1: counts (lists are recomputed in pass 2 to keep memory to the final size)
    for c in numba.prange(ncell):
        stack = np.empty(128, dtype=np.int64)
        segs = np.empty(cap, dtype=np.int64)
        ds = np.empty(cap)
        iy = c // nx
        ix = c - iy * nx
        clon = lon0 + (ix + 0.5) * dlon
        clat = lat0 + (iy + 0.5) * dlat
        cx, cy, cz = _ecef(clon, clat)
        r = 0.0
        for sx in (-0.5, 0.0, 0.5):
            for sy in (-0.5, 0.0, 0.5):
                qx, qy, qz = _ecef(clon + sx * dlon, max(-90.0, min(90.0, clat + sy * dlat)))
                r = max(r, math.sqrt((qx - cx) ** 2 + (qy - cy) ** 2 + (qz - cz) ** 2))
        r = r * 1.02 + 1.0  # a lon/lat cell's edges bulge slightly beyond these samples
        radius[c] = r
        _n, best = _search(cx, cy, cz, tab, mn, mx, left, right, lo, hi, stack,
                           np.empty(64, dtype=np.int64), np.empty(64), np.empty(64))
        limit = (best + r) * (1.0 + CHORD_SLACK) + CHORD_SLACK_M + r
        m = _tree_within_sorted(cx, cy, cz, limit, tab, mn, mx, left, right, lo, hi, stack,
                                segs, ds)
        if m > MAX_CELL_LIST:  # long lists are slower than the tree: search it instead
            m = 0
            radius[c] = -1.0
        counts[c] = m
    offsets = np.zeros(ncell + 1, dtype=np.int64)
    for c in range(ncell):
        offsets[c + 1] = offsets[c] + counts[c]
    items = np.empty(offsets[ncell], dtype=np.int64)
    item_d = np.empty(offsets[ncell])
    for c in numba.prange(ncell):
        stack = np.empty(128, dtype=np.int64)
        segs = np.empty(cap, dtype=np.int64)
        ds = np.empty(cap)
        iy = c // nx
        ix = c - iy * nx
        cx, cy, cz = _ecef(lon0 + (ix + 0.5) * dlon, lat0 + (iy + 0.5) * dlat)
        r = radius[c]
        if r < 0.0:
            continue
        _n, best = _search(cx, cy, cz, tab, mn, mx, left, right, lo, hi, stack,
                           np.empty(64, dtype=np.int64), np.empty(64), np.empty(64))
        limit = (best + r) * (1.0 + CHORD_SLACK) + CHORD_SLACK_M + r
        m = _tree_within_sorted(cx, cy, cz, limit, tab, mn, mx, left, right, lo, hi, stack,
                                segs, ds)
        items[offsets[c]:offsets[c] + m] = segs[:m]
        item_d[offsets[c]:offsets[c] + m] = ds[:m]
    return offsets, items, item_d, radius


@numba.njit(**_JIT)
def _search_cell(px, py, pz, tab, items, item_d, a, b, r, cand_seg, cand_d2, cand_t):
    """As _search, over one cell's sorted candidate list, stopping when no closer one can follow."""
    ncand = 0
    best = np.inf
    lim2 = np.inf
    lim = np.inf
    for j in range(a, b):
        if item_d[j] - r > lim:
            break
        k = items[j]
        d2, t = _foot(px, py, pz, tab, k)
        if d2 <= lim2:
            ncand, best, lim2 = _add_candidate(k, d2, t, ncand, best, lim2,
                                               cand_seg, cand_d2, cand_t)
            lim = math.sqrt(lim2)
    return ncand, best


@numba.njit(parallel=True, nogil=True, **_JIT)
def nearest_on_polyline(
    lon, lat, lon_v, lat_v, xyz, seg_start, seg_prev, seg_next, tab,
    mn, mx, left, right, lo, hi,
    lon0, lat0, dlon, dlat, nx, ny, offsets, items, item_d, cell_r,
    out_dist, out_lon, out_lat, out_az, out_seg, out_t, out_side,
):
    """Nearest point of the polyline for every (lon, lat); results written to ``out_*``.

    Points inside the grid (built by :func:`build_cells`) scan their cell's
    candidate list; others, and those of cells marked with a negative radius,
    walk the bounding-box tree.  An empty grid (nx = ny = 0) means the tree only.
    """
    n = lon.shape[0]
    block = 1024
    for ib in numba.prange((n + block - 1) // block):
        stack = np.empty(128, dtype=np.int64)
        cand_seg = np.empty(64, dtype=np.int64)
        cand_d2 = np.empty(64)
        cand_t = np.empty(64)
        for i in range(ib * block, min(n, (ib + 1) * block)):
            px, py, pz, sphi, cphi, slam, clam = _point_frame(lon[i], lat[i])
            fx = (lon[i] - lon0) / dlon
            fy = (lat[i] - lat0) / dlat
            c = int(fy) * nx + int(fx) if (0.0 <= fx < nx and 0.0 <= fy < ny) else -1
            if c >= 0 and cell_r[c] >= 0.0:
                ncand, best = _search_cell(px, py, pz, tab, items, item_d, offsets[c],
                                           offsets[c + 1], cell_r[c], cand_seg, cand_d2, cand_t)
            else:
                ncand, best = _search(px, py, pz, tab, mn, mx, left, right, lo, hi, stack,
                                      cand_seg, cand_d2, cand_t)
            _evaluate(i, px, py, pz, sphi, cphi, slam, clam, best, ncand, lon_v,
                      lat_v, xyz, seg_start, seg_prev, seg_next, cand_seg, cand_d2, cand_t,
                      out_dist, out_lon, out_lat, out_az, out_seg, out_t, out_side)


@numba.njit(parallel=True, nogil=True, **_JIT)
def grid_lookup(lon, lat, lon0, lat0, size, nx, ny, label, out):
    """``out[i]`` = label of the lon/lat cell holding point i (0 outside the grid).

    ``label`` is the flat (ny * nx) int8 table of a side grid; the cell index is
    floor((x - x0) / size), as numpy computes it.
    """
    for i in numba.prange(lon.shape[0]):
        ix = math.floor((lon[i] - lon0) / size)
        iy = math.floor((lat[i] - lat0) / size)
        if 0 <= ix < nx and 0 <= iy < ny:
            out[i] = label[int(iy) * nx + int(ix)]
        else:
            out[i] = 0


@numba.njit(**_JIT)
def _within(px, py, pz, lim2, tab, mn, mx, left, right, lo, hi, stack, out, at):
    """Count the segments whose chord distance² is <= lim2; with ``at`` >= 0, store them.

    Every one is kept (no cap, no order): the far-field search needs them all.
    """
    n = 0
    stack[0] = 0
    top = 1
    while top > 0:
        top -= 1
        node = stack[top]
        if _box_d2(px, py, pz, mn, mx, node) > lim2:
            continue
        if left[node] < 0:
            for k in range(lo[node], hi[node]):
                d2, _t = _foot(px, py, pz, tab, k)
                if d2 <= lim2:
                    if at >= 0:
                        out[at + n] = k
                    n += 1
        else:
            stack[top] = left[node]
            stack[top + 1] = right[node]
            top += 2
    return n


@numba.njit(parallel=True, nogil=True, **_JIT)
def segments_within(px, py, pz, limit, tab, mn, mx, left, right, lo, hi):
    """For each point i, every segment within chord distance ``limit[i]``.

    Returns (offsets, segment ids): point i's segments are
    ``items[offsets[i]:offsets[i + 1]]``, in tree order.  Two passes (count, then
    fill), each a ``prange`` loop over the points.
    """
    n = px.shape[0]
    counts = np.zeros(n, dtype=np.int64)
    none = np.empty(0, dtype=np.int64)
    for i in numba.prange(n):
        stack = np.empty(128, dtype=np.int64)
        counts[i] = _within(px[i], py[i], pz[i], limit[i] * limit[i], tab, mn, mx, left,
                            right, lo, hi, stack, none, -1)
    offsets = np.zeros(n + 1, dtype=np.int64)
    for i in range(n):
        offsets[i + 1] = offsets[i] + counts[i]
    items = np.empty(offsets[n], dtype=np.int64)
    for i in numba.prange(n):
        stack = np.empty(128, dtype=np.int64)
        _within(px[i], py[i], pz[i], limit[i] * limit[i], tab, mn, mx, left, right, lo, hi,
                stack, items, offsets[i])
    return offsets, items


@numba.njit(parallel=True, nogil=True, **_JIT)
def sides_many(px, py, pz, seg, t, seg_start, seg_prev, seg_next, xyz, out):
    """``out[i]`` = :func:`_side` of point i at parameter ``t[i]`` of segment ``seg[i]``."""
    for i in numba.prange(px.shape[0]):
        out[i] = _side(px[i], py[i], pz[i], seg[i], t[i], seg_start, seg_prev, seg_next, xyz)
