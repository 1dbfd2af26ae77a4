"""The numba kernels on small inputs, fast enough to run uncompiled (``NUMBA_DISABLE_JIT=1``).

Mutation testing (``mutation/run.py kernels``) runs this file once per mutant with the
JIT off; every expected value comes from outside bordermap: PROJ's geocentric
conversion (EPSG:4978), geographiclib (Karney's algorithms), or a construction whose
answer is known without measuring (a point set off a geodesic edge at a right angle
by a geodesic of length d is at distance d from the edge, with the foot as its nearest
point, as long as no other edge comes nearer).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic

from bordermap import _kernels as kern
from bordermap.geodesy import PolylineIndex

WGS84 = Geodesic.WGS84
NEAR_TOL_M = 0.5e-3  # README: within 200 km of the line
FAR_TOL_M = 0.04  # README: farther away

#: A zigzag over about 470 km of south-east Iran (lon, lat): four geodesic edges of
#: 100 to 130 km, so 2 km densification gives about 240 pieces, a tree several levels
#: deep and per-cell candidate lists; it turns left at (61.0, 25.5), right at
#: (61.2, 26.5) and left at (62.5, 26.4).
ZIGZAG = np.array([[60.0, 25.0], [61.0, 25.5], [61.2, 26.5], [62.5, 26.4], [62.0, 27.5]])


def _proj_ecef(lon, lat):
    from pyproj import Transformer

    t = Transformer.from_crs("EPSG:4326", "EPSG:4978", always_xy=True)
    return np.array(t.transform(lon, lat, np.zeros_like(lon))).T


# --- conversions ---------------------------------------------------------------------------

_LONS = np.array([0.0, 90.0, -179.9, 63.72, -45.0, 12.5, 180.0])
_LATS = np.array([0.0, 89.999, -89.999, 26.95, -33.3, 60.0, -0.5])


def test_ecef_is_proj_geocentric():
    ref = _proj_ecef(_LONS, _LATS)
    many = kern.ecef_many(_LONS, _LATS)
    np.testing.assert_allclose(many, ref, rtol=0, atol=1e-6)
    for i in range(len(_LONS)):
        np.testing.assert_allclose(kern._ecef(_LONS[i], _LATS[i]), ref[i], rtol=0, atol=1e-6)


def test_geodetic_inverts_proj_geocentric():
    ref = _proj_ecef(_LONS, _LATS)
    for i in range(len(_LONS)):
        lon, lat = kern._geodetic(*ref[i])
        # 180 and -180 are the same meridian; atan2 gives 180 for y = +0
        assert (lon - _LONS[i] + 180.0) % 360.0 - 180.0 == pytest.approx(0.0, rel=0, abs=1e-11)
        assert lat == pytest.approx(_LATS[i], rel=0, abs=1e-11)


# --- Vincenty's inverse and the chord series ------------------------------------------------

#: (lon1, lat1, lon2, lat2): short and long, along the equator (cos² α = 0) and a
#: meridian, across the antimeridian, both hemispheres, and nearly antipodal (but
#: converging) pairs.
_PAIRS = [
    (63.72, 26.95, 63.73, 26.96),
    (60.0, 25.0, 70.0, 35.0),
    (10.0, 0.0, 40.0, 0.0),
    (10.0, -30.0, 10.0, 50.0),
    (179.5, 10.0, -179.0, 11.5),
    (-60.0, -40.0, 120.0, 35.0),
    (0.0, 10.0, 150.0, -60.0),
    (-120.0, 80.0, 60.0, 85.0),
]


@pytest.mark.parametrize(("lon1", "lat1", "lon2", "lat2"), _PAIRS)
def test_vincenty_inverse_is_geographiclib(lon1, lat1, lon2, lat2):
    d, az1, az2 = kern.vincenty_inverse(lon1, lat1, lon2, lat2)
    ref = WGS84.Inverse(lat1, lon1, lat2, lon2)
    assert d == pytest.approx(ref["s12"], rel=0, abs=1e-4)  # Vincenty: 0.1 mm
    # azimuths compared modulo 360 (-180 and 180 are one direction)
    assert (az1 - ref["azi1"] + 180.0) % 360.0 - 180.0 == pytest.approx(0.0, rel=0, abs=1e-8)
    assert (az2 - ref["azi2"] + 180.0) % 360.0 - 180.0 == pytest.approx(0.0, rel=0, abs=1e-8)


def test_vincenty_inverse_same_point_and_no_convergence():
    assert kern.vincenty_inverse(63.7, 26.9, 63.7, 26.9) == (0.0, 0.0, 0.0)
    # same point written 360 degrees apart: sin sigma = 0 inside the loop
    assert kern.vincenty_inverse(-100.0, 20.0, 260.0, 20.0) == (0.0, 0.0, 0.0)
    # nearly antipodal on the equator: Vincenty's iteration does not converge
    assert kern.vincenty_inverse(0.0, 0.0, 179.7, 0.0)[0] == kern.NOT_CONVERGED == -1.0


@pytest.mark.parametrize(
    ("distance_m", "tol_m"), [(2_000.0, 1e-6), (200_000.0, 0.01e-3), (1_000_000.0, 0.04)]
)
def test_series_distance_is_geographiclib(distance_m, tol_m):
    """The chord series' docstring figures, in eight directions at six latitudes."""
    for lat in (-80.0, -45.0, -5.0, 0.0, 30.0, 70.0):
        for az in range(0, 360, 45):
            p = WGS84.Direct(lat, 40.0, az + 10.0, distance_m)
            g = kern._series_distance(*kern._ecef(40.0, lat), *kern._ecef(p["lon2"], p["lat2"]))
            assert g == pytest.approx(distance_m, rel=0, abs=tol_m)
    assert kern._series_distance(1.0, 2.0, 3.0, 1.0, 2.0, 3.0) == 0.0
    # a 223 km pair over the north pole (midpoint normal along z: the meridian radius is
    # used); the series' error grows as x⁶, (223/200)⁶ ≈ 1.9 times the 0.01 mm at 200 km
    p = kern._ecef(0.0, 89.0)
    q = kern._ecef(180.0, 89.0)
    ref = WGS84.Inverse(89.0, 0.0, 89.0, 180.0)["s12"]
    assert kern._series_distance(*p, *q) == pytest.approx(ref, rel=0, abs=0.02e-3)


# --- nearest point on a polyline ----------------------------------------------------------


def _offsets(xy: np.ndarray, fraction: float, distances_m: tuple[float, ...]):
    """Points set off each edge at ``fraction`` of its length, at right angles, both sides.

    Returns lon, lat, expected distance, foot lon/lat, expected side (+1 left) and
    the back azimuth from each point to its foot.
    """
    rows = []
    for i in range(len(xy) - 1):
        inv = WGS84.Inverse(xy[i, 1], xy[i, 0], xy[i + 1, 1], xy[i + 1, 0])
        foot = WGS84.Line(xy[i, 1], xy[i, 0], inv["azi1"]).Position(fraction * inv["s12"])
        for d in distances_m:
            for side, turn in ((1, -90.0), (-1, 90.0)):
                p = WGS84.Direct(foot["lat2"], foot["lon2"], foot["azi2"] + turn, d)
                back = (p["azi2"] + 180.0) % 360.0
                rows.append((p["lon2"], p["lat2"], d, foot["lon2"], foot["lat2"], side, back, i))
    return np.array(rows).T


def _assert_nearest(r, exp, dist_tol_m, foot_tol_deg=1e-7, az_tol=1e-5):
    _lon, _lat, d, flon, flat, side, back, edge = exp
    np.testing.assert_allclose(r.distance_m, d, rtol=0, atol=dist_tol_m)
    np.testing.assert_allclose(r.lon, flon, rtol=0, atol=foot_tol_deg)
    np.testing.assert_allclose(r.lat, flat, rtol=0, atol=foot_tol_deg)
    assert r.side.tolist() == side.astype(int).tolist()
    assert r.segment.tolist() == edge.astype(int).tolist()
    # azimuth from the point to its foot, compared on the unit circle (1e-5 rad: a foot
    # 0.2 mm along the line from the constructed one, at 50 m)
    a, b = np.radians(r.azimuth_deg), np.radians(back)
    np.testing.assert_allclose(
        np.c_[np.sin(a), np.cos(a)], np.c_[np.sin(b), np.cos(b)], rtol=0, atol=az_tol
    )
    assert ((r.azimuth_deg >= 0) & (r.azimuth_deg < 360)).all()


@pytest.fixture(scope="module", params=[0, 200], ids=["tree", "grid"])
def zigzag(request):
    return PolylineIndex(
        ZIGZAG, max_segment_m=2000.0, grid_cells=request.param, grid_margin_deg=0.5
    )


def test_points_set_off_every_edge_at_right_angles(zigzag):
    """50 m, 1 km and 15 km either side of every edge, off a piece's middle."""
    exp = _offsets(ZIGZAG, 0.37, (50.0, 1000.0, 15_000.0))
    r = zigzag.nearest(exp[0], exp[1])
    _assert_nearest(r, exp, NEAR_TOL_M)
    # 0.37 of the edge is well inside a 2 km piece: the foot lies between vertices
    assert not np.isin(np.round(r.lon, 9), np.round(ZIGZAG[:, 0], 9)).any()


def test_points_beyond_the_ends_and_on_the_vertices(zigzag):
    """Past an end along the edge's own geodesic, the end vertex is nearest, exactly."""
    first = WGS84.Inverse(ZIGZAG[0, 1], ZIGZAG[0, 0], ZIGZAG[1, 1], ZIGZAG[1, 0])
    last = WGS84.Inverse(ZIGZAG[-2, 1], ZIGZAG[-2, 0], ZIGZAG[-1, 1], ZIGZAG[-1, 0])
    before = WGS84.Direct(ZIGZAG[0, 1], ZIGZAG[0, 0], first["azi1"] + 180.0, 30_000.0)
    after = WGS84.Direct(ZIGZAG[-1, 1], ZIGZAG[-1, 0], last["azi2"], 25_000.0)
    r = zigzag.nearest([before["lon2"], after["lon2"]], [before["lat2"], after["lat2"]])
    np.testing.assert_allclose(r.distance_m, [30_000.0, 25_000.0], rtol=0, atol=NEAR_TOL_M)
    assert (r.lon.tolist(), r.lat.tolist()) == (
        [ZIGZAG[0, 0], ZIGZAG[-1, 0]],
        [ZIGZAG[0, 1], ZIGZAG[-1, 1]],
    )
    assert r.segment.tolist() == [0, 3]
    on = zigzag.nearest(ZIGZAG[:, 0], ZIGZAG[:, 1])
    # the point and the vertex are converted to ECEF by two formulas: 1e-9 m apart at most
    np.testing.assert_allclose(on.distance_m, 0.0, rtol=0, atol=1e-6)
    # densification returns the vertices through pyproj's forward step: 1e-14 degrees
    np.testing.assert_allclose(np.c_[on.lon, on.lat], ZIGZAG, rtol=0, atol=1e-12)


def test_outside_each_turn_the_vertex_is_nearest_and_the_side_follows_the_turn(zigzag):
    """On the outer bisector of each interior vertex, 5 km out: distance 5 km to the vertex.

    The outside of a left turn is the right side (-1), of a right turn the left (+1).
    """
    lons, lats, sides = [], [], []
    for v, turn in ((1, "left"), (2, "right"), (3, "left")):
        a = WGS84.Inverse(ZIGZAG[v - 1, 1], ZIGZAG[v - 1, 0], ZIGZAG[v, 1], ZIGZAG[v, 0])
        b = WGS84.Inverse(ZIGZAG[v, 1], ZIGZAG[v, 0], ZIGZAG[v + 1, 1], ZIGZAG[v + 1, 0])
        back, ahead = (a["azi2"] + 180.0) % 360.0, b["azi1"] % 360.0
        mid = math.degrees(
            math.atan2(
                math.sin(math.radians(back)) + math.sin(math.radians(ahead)),
                math.cos(math.radians(back)) + math.cos(math.radians(ahead)),
            )
        )
        outer = mid + 180.0  # the bisector of the reflex angle: outside the turn
        p = WGS84.Direct(ZIGZAG[v, 1], ZIGZAG[v, 0], outer, 5_000.0)
        lons.append(p["lon2"])
        lats.append(p["lat2"])
        sides.append(-1 if turn == "left" else 1)
    r = zigzag.nearest(lons, lats)
    np.testing.assert_allclose(r.distance_m, 5_000.0, rtol=0, atol=NEAR_TOL_M)
    np.testing.assert_allclose(r.lon, ZIGZAG[1:4, 0], rtol=0, atol=1e-12)
    np.testing.assert_allclose(r.lat, ZIGZAG[1:4, 1], rtol=0, atol=1e-12)
    assert r.side.tolist() == sides


def test_far_points_use_vincenty_and_meet_the_construction():
    """1,200, 1,800 and 3,000 km off a single 800 km edge, at right angles: beyond the series.

    The chord series (used up to a 1,000 km chord) would be off by decimetres at 1,800 km
    (its error grows as x⁶, from 4 cm at 1,000 km).
    """
    xy = np.array([[20.0, 10.0], [27.0, 13.0]])
    idx = PolylineIndex(xy, max_segment_m=2000.0, grid_cells=0)
    exp = _offsets(xy, 0.5, (1_200_000.0, 1_800_000.0, 3_000_000.0))
    r = idx.nearest(exp[0], exp[1])
    # the chord's foot is not the geodesic foot this far out: up to 0.0022° (250 m) along
    # the line, which moves the distance by only 250² / (2 · 1.2e6) m = 2.6 cm (< 4 cm)
    _assert_nearest(r, exp, FAR_TOL_M, foot_tol_deg=0.003, az_tol=1e-4)


def test_a_geodesic_circle_fills_the_candidate_list():
    """Every piece of a 400-gon on a 50 km geodesic circle is within the chord slack.

    The candidate list (64 slots) overflows; the nearest point must still be within the
    sag of a piece (r (1 - cos(pi/400)) = 1.54 m) of 50 km, and a vertex is at exactly
    50 km, so the distance lies in [50 km - 1.6 m, 50 km].
    """
    c_lat, c_lon = 26.0, 62.0
    ring = [WGS84.Direct(c_lat, c_lon, 360.0 * k / 400, 50_000.0) for k in range(401)]
    xy = np.array([[p["lon2"], p["lat2"]] for p in ring])
    for cells in (0, 16):
        idx = PolylineIndex(xy, max_segment_m=5000.0, grid_cells=cells, grid_margin_deg=0.1)
        r = idx.nearest([c_lon], [c_lat])
        assert 50_000.0 - 1.6 <= r.distance_m[0] <= 50_000.0
        back = WGS84.Inverse(c_lat, c_lon, r.lat[0], r.lon[0])["s12"]
        assert back == pytest.approx(r.distance_m[0], rel=0, abs=NEAR_TOL_M)
        # azimuths 0, 90, 180... run north, east, south: clockwise, the centre on the right
        assert r.side.tolist() == [-1]


def test_a_repeated_vertex_and_a_sub_metre_edge():
    """A zero-length edge (a vertex given twice) changes nothing; a 0.8 m edge is an edge.

    Set 1 m off the middle of a 0.8 m edge at a right angle, a point is 1 m from the
    line, its foot is that middle (the ends are sqrt(1 + 0.4²) = 1.077 m away).
    """
    twice = np.array([[61.0, 25.5], [61.0, 25.5], [61.2, 26.5]])
    r = PolylineIndex(twice, grid_cells=0).nearest([61.3], [26.0])
    ref = PolylineIndex(twice[1:], grid_cells=0).nearest([61.3], [26.0])
    assert r.distance_m[0] == pytest.approx(ref.distance_m[0], rel=0, abs=1e-9)
    assert r.segment.tolist() == [1] and r.side.tolist() == ref.side.tolist()
    end = WGS84.Direct(25.5, 61.0, 30.0, 0.8)
    short = np.array([[61.0, 25.5], [end["lon2"], end["lat2"]]])
    exp = _offsets(short, 0.5, (1.0,))
    r = PolylineIndex(short, grid_cells=0).nearest(exp[0], exp[1])
    _assert_nearest(r, exp, NEAR_TOL_M, foot_tol_deg=1e-8, az_tol=1e-3)


def test_the_chord_foot_is_lifted_onto_the_ellipsoid():
    """190 km off the middle of a single 1,990 m piece: the foot is on the surface.

    The chord's middle lies L²/8R = 7.8 cm below the ellipsoid; left there, it would
    shorten the distance by about 7.8 cm · d / 2R = 1.2 mm at d = 190 km.
    """
    a = (61.0, 25.5)
    end = WGS84.Direct(a[1], a[0], 60.0, 1990.0)
    xy = np.array([a, (end["lon2"], end["lat2"])])
    exp = _offsets(xy, 0.5, (190_000.0,))
    r = PolylineIndex(xy, grid_cells=0).nearest(exp[0], exp[1])
    # the chord foot is 6 cm along the line from the geodesic foot this far out
    _assert_nearest(r, exp, NEAR_TOL_M, foot_tol_deg=1e-6)


def _brute_force_m(lon, lat, xy, max_piece_m=2000.0):
    """Geodesic distance to the nearest chord foot over every piece, found without a tree.

    The pieces are cut with geographiclib (equal pieces of at most ``max_piece_m``), their
    ends converted to ECEF by PROJ; the nearest chord foot of each point is found by a
    full numpy scan, lifted radially onto the ellipsoid, converted back by PROJ and
    measured by geographiclib.
    """
    from pyproj import Transformer

    lons, lats = [], []
    for i in range(len(xy) - 1):
        line = WGS84.InverseLine(xy[i, 1], xy[i, 0], xy[i + 1, 1], xy[i + 1, 0])
        n = math.ceil(line.s13 / max_piece_m)
        for k in range(n + (i == len(xy) - 2)):
            p = line.Position(line.s13 * k / n)
            lons.append(p["lon2"])
            lats.append(p["lat2"])
    v = _proj_ecef(np.array(lons), np.array(lats))
    p = _proj_ecef(np.asarray(lon), np.asarray(lat))
    s0, d = v[:-1], v[1:] - v[:-1]
    w = p[:, None, :] - s0[None, :, :]
    t = np.clip((w * d).sum(-1) / (d * d).sum(-1), 0.0, 1.0)
    foot = s0[None] + t[..., None] * d[None]
    k = np.argmin(((p[:, None, :] - foot) ** 2).sum(-1), axis=1)
    q = foot[np.arange(len(p)), k]
    b = WGS84.a * (1 - WGS84.f)
    q = q / np.sqrt((q[:, 0] ** 2 + q[:, 1] ** 2) / WGS84.a**2 + q[:, 2] ** 2 / b**2)[:, None]
    back = Transformer.from_crs("EPSG:4978", "EPSG:4326", always_xy=True)
    qlon, qlat, _h = back.transform(q[:, 0], q[:, 1], q[:, 2])
    return np.array(
        [
            WGS84.Inverse(y, x, b_, a_)["s12"]
            for x, y, a_, b_ in zip(lon, lat, qlon, qlat, strict=True)
        ]
    )


@pytest.mark.parametrize("cells", [0, 200], ids=["tree", "grid"])
@pytest.mark.parametrize(
    "shift",
    # the zigzag where it is, moved north-west (ECEF z > y > 0), and mirrored into the
    # south-west (x > 0, y < 0, z < 0): a box test that mixes up axes or signs shows
    [(0.0, 0.0, 1.0), (-50.0, 35.0, 1.0), (0.0, 0.0, -1.0)],
    ids=["iran", "norway", "mirrored"],
)
def test_random_points_agree_with_a_full_scan(shift, cells):
    """200 points within half a degree around a zigzag: the tree and grid miss no piece."""
    xy = (ZIGZAG + np.array(shift[:2])) * shift[2]
    index = PolylineIndex(xy, grid_cells=cells, grid_margin_deg=0.5)
    rng = np.random.default_rng(7)
    lon = rng.uniform(xy[:, 0].min() - 0.5, xy[:, 0].max() + 0.5, 200)
    lat = rng.uniform(xy[:, 1].min() - 0.5, xy[:, 1].max() + 0.5, 200)
    r = index.nearest(lon, lat)
    ref = _brute_force_m(lon, lat, xy)
    np.testing.assert_allclose(r.distance_m, ref, rtol=0, atol=NEAR_TOL_M)


@pytest.mark.parametrize("cells", [0, 200], ids=["tree", "grid"])
def test_points_near_the_end_of_every_piece(cells):
    """30 m either side of 95 % along every 2 km piece: no piece end falls out of a box.

    The pieces are the edges cut into equal geodesic pieces of at most 2 km (as
    PolylineIndex cuts them); a point set off a piece at a right angle is at that
    distance from the line, with the foot on the piece.
    """
    xy = ZIGZAG[:3]
    index = PolylineIndex(xy, grid_cells=cells, grid_margin_deg=0.5)
    lon, lat, dist = [], [], []
    for i in range(len(xy) - 1):
        line = WGS84.InverseLine(xy[i, 1], xy[i, 0], xy[i + 1, 1], xy[i + 1, 0])
        n = math.ceil(line.s13 / 2000.0)
        for k in range(n):
            # 30 m off at 95 %, and 2 cm off 20 cm before the piece's end
            for frac, off in ((0.95, 30.0), (1.0 - 0.2 / (line.s13 / n), 0.02)):
                foot = line.Position(line.s13 * (k + frac) / n)
                for turn in (-90.0, 90.0):
                    p = WGS84.Direct(foot["lat2"], foot["lon2"], foot["azi2"] + turn, off)
                    lon.append(p["lon2"])
                    lat.append(p["lat2"])
                    dist.append(off)
    r = index.nearest(lon, lat)
    np.testing.assert_allclose(r.distance_m, dist, rtol=0, atol=NEAR_TOL_M)
    assert r.side.tolist() == [1, -1] * (len(lon) // 2)


def _ref_on_edge_m(px: float, py: float, xy: np.ndarray) -> float:
    """geographiclib: least distance from a point to a single geodesic edge (grid, then
    ternary search around the best of 401 samples)."""
    line = WGS84.InverseLine(xy[0, 1], xy[0, 0], xy[1, 1], xy[1, 0])

    def f(s: float) -> float:
        p = line.Position(s)
        return WGS84.Inverse(py, px, p["lat2"], p["lon2"])["s12"]

    k = int(np.argmin([f(line.s13 * j / 400) for j in range(401)]))
    lo, hi = line.s13 * max(k - 1, 0) / 400, line.s13 * min(k + 1, 400) / 400
    for _ in range(60):
        a, b = lo + (hi - lo) / 3, hi - (hi - lo) / 3
        lo, hi = (lo, b) if f(a) < f(b) else (a, hi)
    return f((lo + hi) / 2)


@pytest.mark.parametrize(
    "xy", [[[-0.3, 0.0], [0.3, 0.0]], [[60.0, 30.0], [60.5, 30.3]]], ids=["equator", "30N"]
)
def test_four_cm_holds_up_to_a_degree_and_a_half_from_the_antipodes(xy):
    """README's far bound (4 cm) and where it ends.

    Nearer than about 1° to the antipode of a point of the line, Vincenty's inverse does
    not converge; the kernel then keeps the candidate nearest by chord, which is not
    the nearest by geodesic there (errors of 3 to 16 km were seen), and README says so.
    Points 1.5° to 5° from the antipode of the line's middle (at least 1.2° from that
    of every point of these 60 km lines) meet the 4 cm.
    """
    xy = np.array(xy)
    idx = PolylineIndex(xy, grid_cells=0)
    mid = xy.mean(axis=0)
    alon, alat = mid[0] - 180.0 if mid[0] > 0 else mid[0] + 180.0, -mid[1]
    lon, lat = [], []
    for off in (1.5, 2.0, 3.0, 5.0):
        for az in (0.0, 45.0, 90.0, 200.0, 300.0):
            p = WGS84.Direct(alat, alon, az, off * 111_000.0)
            lon.append(p["lon2"])
            lat.append(p["lat2"])
    r = idx.nearest(lon, lat)
    ref = [_ref_on_edge_m(x, y, xy) for x, y in zip(lon, lat, strict=True)]
    assert min(ref) > 19_000_000.0
    np.testing.assert_allclose(r.distance_m, ref, rtol=0, atol=FAR_TOL_M)


def test_near_the_antipodes_the_distance_is_that_of_the_reported_point():
    """Where Vincenty does not converge (0.2° from the antipode of an equatorial line).

    The answer is not the nearest point there (README), but it is a point of the line,
    measured by geographiclib: never shorter than the true least distance, and equal to
    the distance and azimuth from the point to the reported point.
    """
    xy = np.array([[-0.3, 0.0], [0.3, 0.0]])
    lon, lat = [179.8, 179.9, 179.75], [0.0, 0.05, -0.02]
    r = PolylineIndex(xy, grid_cells=0).nearest(lon, lat)
    for i in range(3):
        assert kern.vincenty_inverse(lon[i], lat[i], r.lon[i], r.lat[i])[0] == -1.0
        inv = WGS84.Inverse(lat[i], lon[i], r.lat[i], r.lon[i])
        assert r.distance_m[i] == pytest.approx(inv["s12"], rel=0, abs=1e-3)
        assert r.azimuth_deg[i] == pytest.approx(inv["azi1"] % 360.0, rel=0, abs=1e-6)
        assert r.distance_m[i] >= _ref_on_edge_m(lon[i], lat[i], xy) - FAR_TOL_M
        assert r.lat[i] == 0.0 and -0.3 <= r.lon[i] <= 0.3


def test_an_azimuth_due_north_is_zero_not_360():
    """A point 1° south of a one-point "line" at (0, 0): the foot is due north.

    The foot is that vertex, and at longitude 0 the east component of the chord is
    exactly 0, so the azimuth is exactly 0 (a zero must not become 360).
    """
    line = np.array([[0.0, 0.0], [0.0, 0.0]])
    r = PolylineIndex(line, grid_cells=0).nearest([0.0], [-1.0])
    assert r.azimuth_deg[0] == 0.0
    assert r.distance_m[0] == pytest.approx(WGS84.Inverse(-1, 0, 0, 0)["s12"], rel=0, abs=1e-4)


@pytest.mark.parametrize("turn", ["left", "right"])
def test_outside_a_hairpin_the_side_is_decided_by_both_pieces(turn):
    """A 150° turn: east, then back west-north-west (or west-south-west).

    Points 5 km east of the vertex, at azimuths 70°, 90° and 110°, have the vertex as
    nearest point (beyond the first piece's end, behind the second's start).  They lie
    outside the turn: right of a left turn, left of a right turn.  The two pieces'
    own sides disagree there (a point east-north-east of the vertex is left of the
    eastward piece but right of the returning one), so only the rule that weighs both
    gets every one right.
    """
    back = 1.0 if turn == "left" else -1.0
    xy = np.array([[60.0, 25.0], [61.0, 25.0], [60.2, 25.0 + 0.35 * back]])
    r = PolylineIndex(xy, grid_cells=0).nearest(
        *np.array([[p["lon2"], p["lat2"]] for p in (WGS84.Direct(25.0, 61.0, az, 5000.0)
                                                     for az in (70.0, 90.0, 110.0))]).T
    )  # fmt: skip
    np.testing.assert_allclose(r.distance_m, 5000.0, rtol=0, atol=NEAR_TOL_M)
    np.testing.assert_allclose(r.lon, 61.0, rtol=0, atol=1e-12)
    assert r.side.tolist() == [-1 if turn == "left" else 1] * 3


@pytest.mark.parametrize(
    ("shift", "flip"),
    [((-50.0, 35.0), 1.0), ((0.0, 0.0), -1.0), ((-180.0, -65.0), 1.0), ((60.0, 30.0), 1.0)],
    ids=["norway", "mirrored", "pacific", "siberia"],
)
def test_sides_and_distances_by_construction_in_every_octant(shift, flip):
    """The zigzag moved (or mirrored) so that the ECEF axes weigh differently.

    A left normal computed with a wrong component keeps the right sign where that
    component is small; in these places each component is large somewhere.
    """
    xy = (ZIGZAG + np.array(shift)) * flip
    xy[:, 0] = (xy[:, 0] + 180.0) % 360.0 - 180.0
    exp = _offsets(xy, 0.37, (50.0, 15_000.0))
    r = PolylineIndex(xy, grid_cells=0).nearest(exp[0], exp[1])
    _assert_nearest(r, exp, NEAR_TOL_M)
