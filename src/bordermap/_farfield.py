"""Exact distance from far points to a polyline: every piece that could be nearest, searched.

Private: :meth:`bordermap.geodesy.PolylineIndex.nearest` calls :func:`refine` for the
points the compiled kernel flags as far (nearest chord beyond
``_kernels.SERIES_LIMIT_M``, 1,000 km).  There the chord is no safe guide to the
geodesic: the piece nearest by chord need not be nearest by geodesic, so every piece that
*could* be nearest is measured with Karney's inverse (geographiclib's algorithm, through
:func:`bordermap.geodesy.geod`), which is exact to nanometres everywhere, antipodes
included.

The line is the one the kernel measures: the edges densified along their geodesics into
pieces of at most ``max_segment_m``, each piece the chord between its two vertices lifted
radially onto the ellipsoid (an arc of the great ellipse through them; for a 2 km piece
it departs from the geodesic by at most about 0.3 mm, measured against geographiclib).

Accuracy, as tests/test_geodesy.py and tests/test_kernels.py assert it (``rtol=0``):
within 1 mm of geographiclib at every distance beyond 1,000 km, within 1° of the
antipodes and at them included.

Which pieces could be nearest (the candidate window)
----------------------------------------------------
Let ``U`` be the geodesic distance from the point P to any point of the line (the
kernel's chord foot is one); the least distance is at most ``U``.  For any point Q of the
ellipsoid, with θ the angle POQ at the Earth's centre O:

1. ``s(P, Q) >= b θ``.  Every point of the ellipsoid is at least b (the polar semi-axis)
   from O, and the nearest-point projection onto the ball of radius b, X -> b X / |X|
   outside it, is 1-Lipschitz (projection onto a convex set), so it maps the geodesic
   from P to Q onto a curve on the sphere of radius b, no longer, joining points θ apart:
   that curve is at least b θ long.
2. ``|PQ|² = (|P| - |Q|)² + 4 |P| |Q| sin²(θ / 2) <= (a - b)² + 4 a² sin²(θ / 2)``, since
   b <= |P|, |Q| <= a.  The right side increases with θ on [0, π].

So if Q is within ``U`` of P, θ <= min(U / b, π) and the chord |PQ| is at most
``chord_limit(U) = sqrt((a - b)² + (2 a sin(min(U / b, π) / 2))²)``.  The relation between
chord and geodesic is monotone but not linear, and this is the bound it gives, with no
small-distance approximation.  The kernel's tree holds the unlifted chords, which lie
below the lifted pieces by at most their sag, L² / (8 ρ_min) with ρ_min = b² / a the
least radius of curvature of the ellipsoid (7.9 cm for a 2 km piece, taken 1 % larger
and plus 1 mm for rounding): every piece with a point within ``U`` of P has its chord
within ``chord_limit(U) + sag`` of P, and the tree returns all of them.

The search on each piece
------------------------
``f(s)``, the distance from P along a piece, is 1-Lipschitz, so a piece whose ends are
at ``f_a`` and ``f_b`` and which is ``L`` long holds no point nearer than
``(f_a + f_b - L) / 2``; pieces where that exceeds the least end distance ``U_end`` are
dropped.  On a remaining piece ``f' = -cos ψ`` (ψ: the angle at the piece between its
direction and the geodesic back to P, from the inverse's azimuths).  At a critical
point the sign of ``f''`` is that of m'/m at distance f (m: the reduced length), which
is positive before the "quarter" distance (about 10,000 km) and negative beyond it, so
off a band round that distance every interior minimum is a sign change of ``f'`` from
- at the piece's start to + at its end, and beyond the quarter distance (near the
antipodes, where the cut locus puts ∧-shaped kinks in f) no interior minimum exists
at all.  Pieces with that sign change are searched by golden section on the chord
parameter (``GOLDEN_STEPS`` steps: the parameter to 1e-10 of the piece, micrometres);
the answer is the least of the searched minima and every piece end.  In the band where
m'/m is smaller than the piece's own geodesic curvature (~5e-10 /m for a great-ellipse
arc), f is flat to within |f''| L² / 8 < 0.5 mm over a 2 km piece, which bounds what a
missed dip could cost there.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from bordermap.geodesy import geod

A_M = 6378137.0
B_M = A_M * (1 - 1 / 298.257223563)
RHO_MIN_M = B_M * B_M / A_M  # least radius of curvature of WGS84 (meridian at the equator)
GOLDEN_STEPS = 48  # 0.618**48 = 1e-10 of the piece
_INV_PHI = (math.sqrt(5.0) - 1.0) / 2.0


def chord_limit_m(u_m: np.ndarray) -> np.ndarray:
    """Longest chord from P to a point of the ellipsoid within geodesic distance ``u_m``.

    See the module docstring (steps 1 and 2): ``sqrt((a-b)² + (2a sin(min(u/b, π)/2))²)``.

    Examples
    --------
    >>> round(float(chord_limit_m(np.array([0.0]))[0]), 3)  # |P| and |Q| may differ by a - b
    21384.686
    >>> float(chord_limit_m(np.array([3e7]))[0]) == math.hypot(A_M - B_M, 2 * A_M)
    True
    """
    theta = np.minimum(np.asarray(u_m, dtype=float) / B_M, math.pi)
    return np.hypot(A_M - B_M, 2.0 * A_M * np.sin(theta / 2.0))


def _lifted(xyz: np.ndarray, va: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(lon, lat) of the point at chord parameter t of the piece from vertex va, lifted.

    The chord point is lifted radially onto the ellipsoid, which keeps its longitude and
    its ratio z / p; the geodetic latitude of a point of the ellipsoid is
    atan(z / ((1 - e²) p)), so both are read from the chord point as it is.
    """
    q = xyz[va] + t[:, None] * (xyz[va + 1] - xyz[va])
    e2 = 1.0 - (B_M / A_M) ** 2
    lon = np.degrees(np.arctan2(q[:, 1], q[:, 0]))
    lat = np.degrees(np.arctan2(q[:, 2], (1.0 - e2) * np.hypot(q[:, 0], q[:, 1])))
    return lon, lat


def _golden(plon, plat, xyz, va) -> tuple[np.ndarray, np.ndarray]:
    """Golden-section minimum of the distance over t in [0, 1] on each piece: (t, d)."""
    g = geod()
    n = va.shape[0]
    lo = np.zeros(n)
    hi = np.ones(n)
    c = hi - _INV_PHI
    d = lo + _INV_PHI

    def f(t: np.ndarray) -> np.ndarray:
        lon, lat = _lifted(xyz, va, t)
        return np.asarray(g.inv(plon, plat, lon, lat)[2])

    fc, fd = f(c), f(d)
    for _ in range(GOLDEN_STEPS):
        left = fc < fd  # the minimum is in [lo, d]: d becomes hi, c becomes d
        hi = np.where(left, d, hi)
        lo = np.where(left, lo, c)
        keep = np.where(left, c, d)
        fkeep = np.where(left, fc, fd)
        new = np.where(left, hi - _INV_PHI * (hi - lo), lo + _INV_PHI * (hi - lo))
        fnew = f(new)
        c = np.where(left, new, keep)
        fc = np.where(left, fnew, fkeep)
        d = np.where(left, keep, new)
        fd = np.where(left, fkeep, fnew)
    t = np.where(fc < fd, c, d)
    return t, np.minimum(fc, fd)


def refine(arrays: tuple, qlon: np.ndarray, qlat: np.ndarray, which: np.ndarray,
           out: Any, t_out: np.ndarray) -> None:
    """Measure the points ``which`` (indices) exactly; overwrite their rows of ``out``.

    ``arrays`` are :class:`~bordermap.geodesy.PolylineIndex`'s (vertices, ECEF, segment
    table, tree); ``out`` is its :class:`~bordermap.geodesy.NearestResult` with segments
    still numbered by piece, as the kernel left them, and ``t_out`` the pieces' chord
    parameters.  The kernel's foot of each point (a point of the line) gives ``U``.
    """
    from bordermap import _kernels as k

    lon_v, lat_v, xyz, seg_start, seg_prev, seg_next, tab, mn, mx, left, right, lo, hi = (
        arrays[:13]
    )
    g = geod()
    plon, plat = qlon[which], qlat[which]
    p = k.ecef_many(plon, plat)
    _az, _baz, u_m = g.inv(plon, plat, out.lon[which], out.lat[which])
    len2 = np.where(tab[:, 6] > 0.0, 1.0 / np.where(tab[:, 6] > 0.0, tab[:, 6], 1.0), 0.0)
    sag_m = float(len2.max()) / (8.0 * RHO_MIN_M) * 1.01 + 1e-3
    limit = chord_limit_m(np.asarray(u_m)) + sag_m
    offsets, seg = k.segments_within(p[:, 0], p[:, 1], p[:, 2], limit, tab, mn, mx, left,
                                     right, lo, hi)
    owner = np.repeat(np.arange(which.shape[0]), np.diff(offsets))
    va = seg_start[seg]
    olon, olat = plon[owner], plat[owner]
    # both ends of every candidate piece, and the piece's own azimuths there
    _az, back_a, f_a = (np.asarray(x) for x in g.inv(olon, olat, lon_v[va], lat_v[va]))
    _az, back_b, f_b = (np.asarray(x) for x in g.inv(olon, olat, lon_v[va + 1], lat_v[va + 1]))
    beta_a, beta_b, length = (np.asarray(x) for x in g.inv(lon_v[va], lat_v[va],
                                                           lon_v[va + 1], lat_v[va + 1]))
    beta_b = beta_b + 180.0  # forward azimuth of the piece at its end
    u_end = np.full(which.shape[0], np.inf)
    np.minimum.at(u_end, owner, np.minimum(f_a, f_b))
    slope_a = -np.cos(np.radians(back_a - beta_a))
    slope_b = -np.cos(np.radians(back_b - beta_b))
    chord = np.sqrt(len2[seg])
    search = (
        (length > 0.0)
        & ((f_a + f_b - chord * 1.0001 - 1e-3) / 2.0 <= u_end[owner])
        & (slope_a < 1e-9)
        & (slope_b > -1e-9)
    )
    s = np.flatnonzero(search)
    ts, fs = _golden(olon[s], olat[s], xyz, va[s])
    # every option: the start and the end of each piece, and the searched minima
    opt_owner = np.concatenate([owner, owner, owner[s]])
    opt_d = np.concatenate([f_a, f_b, fs])
    opt_seg = np.concatenate([seg, seg, seg[s]])
    opt_t = np.concatenate([np.zeros(seg.shape[0]), np.ones(seg.shape[0]), ts])
    order = np.lexsort((opt_seg, opt_d, opt_owner))  # ties: the lowest piece, for stable output
    first = order[np.unique(opt_owner[order], return_index=True)[1]]
    best_seg, best_t = opt_seg[first], opt_t[first]
    bva = seg_start[best_seg]
    flon, flat = _lifted(xyz, bva, best_t)
    flon = np.where(best_t == 0.0, lon_v[bva], np.where(best_t == 1.0, lon_v[bva + 1], flon))
    flat = np.where(best_t == 0.0, lat_v[bva], np.where(best_t == 1.0, lat_v[bva + 1], flat))
    az, _baz, d = g.inv(plon, plat, flon, flat)
    out.distance_m[which] = d
    out.lon[which] = flon
    out.lat[which] = flat
    az = np.mod(az, 360.0)
    out.azimuth_deg[which] = np.where(az >= 360.0, 0.0, az)  # -1e-17 % 360 is 360
    out.segment[which] = best_seg
    t_out[which] = best_t
    side = np.empty(which.shape[0], dtype=np.int8)
    k.sides_many(p[:, 0], p[:, 1], p[:, 2], best_seg, best_t, seg_start, seg_prev, seg_next,
                 xyz, side)
    out.side[which] = side
