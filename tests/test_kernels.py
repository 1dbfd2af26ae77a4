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
FAR_TOL_M = 0.04  # README: 200 to 1,000 km
BEYOND_TOL_M = 1e-3  # README: beyond 1,000 km (the exact far-field search), antipodes included

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


# --- the chord series ----------------------------------------------------------------------


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


def test_far_points_meet_the_construction():
    """1,200 to 9,900 km off a single 800 km edge, at right angles: the exact far search.

    Up to about 10,000 km (the distance where the geodesics from the point stop
    converging towards the edge) the foot of the perpendicular is the nearest point; the
    kernel hands these points to ``_farfield.refine`` (their chord exceeds 1,000 km).
    """
    xy = np.array([[20.0, 10.0], [27.0, 13.0]])
    idx = PolylineIndex(xy, max_segment_m=2000.0, grid_cells=0)
    exp = _offsets(xy, 0.37, (1_200_000.0, 3_000_000.0, 6_000_000.0))
    r = idx.nearest(exp[0], exp[1])
    # a 2 km piece (a great-ellipse arc) turns from the geodesic by up to ~1.5e-7 rad,
    # which moves the perpendicular's foot by d tan(ε) along the line: 0.2 m at 1,200 km,
    # about 2 m at 6,000 km; the distance moves by only δ² / 2d
    _assert_nearest(r, exp, BEYOND_TOL_M, foot_tol_deg=3e-5, az_tol=1e-6)
    # 0.37 of the edge is a vertex of its 2 km pieces (148 of 400); at 0.3712 the foot is
    # inside a piece (t = 0.48), where the distance is 0.4 m (1,200 km off) below that of
    # either end: the golden-section search over the lifted chord decides it
    exp = _offsets(xy, 0.3712, (1_200_000.0, 3_000_000.0))
    r = idx.nearest(exp[0], exp[1])
    _assert_nearest(r, exp, BEYOND_TOL_M, foot_tol_deg=3e-5, az_tol=1e-6)
    # at 0.370375 the foot is 300 m into a piece (t = 0.15): 1,200 km off, the distance
    # grows as s² cot(d/R) / 2R = 4.1e-7 s² (m) along the line, so the near end is 3.7 cm
    # farther than the foot and the far end 0.9 m; a search bound that left out the
    # piece's length would skip this piece and answer its near end
    exp = _offsets(xy, 0.370375, (1_200_000.0,))
    r = idx.nearest(exp[0], exp[1])
    _assert_nearest(r, exp, BEYOND_TOL_M, foot_tol_deg=3e-5, az_tol=1e-6)
    # at 9,900 km the distance hardly changes along the line (the foot moves metres)
    exp = _offsets(xy, 0.37, (9_000_000.0, 9_900_000.0))
    r = idx.nearest(exp[0], exp[1])
    _assert_nearest(r, exp, BEYOND_TOL_M, foot_tol_deg=1e-3, az_tol=1e-4)


@pytest.mark.parametrize("xy", [[[100.0, -10.0], [107.0, -7.0]], [[-160.0, 40.0], [-153.0, 43.0]]],
                         ids=["x<0<y", "x<0,y<0"])  # fmt: skip
def test_far_points_get_their_side_wherever_they_are(xy):
    """Far points (1,500 and 4,000 km) either side of an edge where the ECEF axes weigh
    differently from the test above (x < 0): the side is the side they were set off to."""
    xy = np.array(xy)
    exp = _offsets(xy, 0.3712, (1_500_000.0, 4_000_000.0))
    r = PolylineIndex(xy, grid_cells=0).nearest(exp[0], exp[1])
    _assert_nearest(r, exp, BEYOND_TOL_M, foot_tol_deg=3e-5, az_tol=1e-6)


def _antipode(lon: float, lat: float) -> tuple[float, float]:
    return (lon + 360.0) % 360.0 - 180.0, -lat


#: rings round an antipode: (offset in degrees of arc, azimuth); the first is the antipode
_RINGS = [(0.0, 0.0)] + [
    (off, az) for off in (0.01, 0.3, 1.0) for az in (0.0, 135.0, 250.0)
]


@pytest.mark.parametrize(
    "xy", [[[-0.3, 0.0], [0.3, 0.0]], [[60.0, 30.0], [60.5, 30.3]], [[10.0, -70.0], [11.0, -69.2]]],
    ids=["equator", "30N", "70S"],
)
@pytest.mark.parametrize("at", [0.0, 0.5, 0.83], ids=["start", "middle", "0.83"])
def test_within_a_degree_of_the_antipodes_the_distance_is_exact(xy, at):
    """Round the antipode of a vertex or of a point inside the edge, out to 1°.

    There Vincenty's inverse does not converge and the piece nearest by chord is not the
    nearest by geodesic (errors of 3 to 16 km before the far search); the far search
    measures every piece that could be nearest with Karney's inverse.  The reference is
    geographiclib's own search along the geodesic edge (``_ref_on_edge_m``).
    """
    xy = np.array(xy)
    idx = PolylineIndex(xy, grid_cells=0)
    inv = WGS84.Inverse(xy[0, 1], xy[0, 0], xy[1, 1], xy[1, 0])
    on = WGS84.Line(xy[0, 1], xy[0, 0], inv["azi1"]).Position(at * inv["s12"])
    alon, alat = _antipode(on["lon2"], on["lat2"])
    lon, lat = [], []
    for off, az in _RINGS:
        p = WGS84.Direct(alat, alon, az, off * 111_000.0)
        lon.append(p["lon2"])
        lat.append(p["lat2"])
    r = idx.nearest(lon, lat)
    ref = [_ref_on_edge_m(x, y, xy) for x, y in zip(lon, lat, strict=True)]
    assert min(ref) > 19_800_000.0
    np.testing.assert_allclose(r.distance_m, ref, rtol=0, atol=BEYOND_TOL_M)
    # the reported point is a point of the edge at that distance, in that direction
    for i in range(len(lon)):
        back = WGS84.Inverse(lat[i], lon[i], r.lat[i], r.lon[i])
        assert back["s12"] == pytest.approx(r.distance_m[i], rel=0, abs=1e-6)
        assert (r.azimuth_deg[i] - back["azi1"] + 180.0) % 360.0 - 180.0 == pytest.approx(
            0.0, rel=0, abs=1e-6
        )
        assert 0.0 <= r.azimuth_deg[i] < 360.0


def test_at_the_exact_antipode_of_an_end_the_far_end_is_nearest():
    """The antipode of the start of a 60 km equatorial edge: its far end is nearest.

    Moving along the edge away from the start brings the point nearer (the distance to the
    antipode of the start decreases), so the other end is nearest; the distance is
    geographiclib's between the antipode and that end.
    """
    xy = np.array([[-0.3, 0.0], [0.3, 0.0]])
    r = PolylineIndex(xy, grid_cells=0).nearest([179.7], [0.0])
    ref = WGS84.Inverse(0.0, 179.7, 0.0, 0.3)["s12"]
    assert r.distance_m[0] == pytest.approx(ref, rel=0, abs=BEYOND_TOL_M)
    # the vertex as stored (longitudes wrapped to [-180, 180): 0.3 + 1e-14)
    assert (r.lon[0], r.lat[0]) == pytest.approx((0.3, 0.0), rel=0, abs=1e-12)
    assert ref < _ref_on_edge_m(179.7, 0.0, xy) + BEYOND_TOL_M


def test_far_points_gather_every_piece_within_the_chord_limit():
    """``segments_within`` returns exactly the pieces a full numpy scan finds within each limit.

    Chord distances from PROJ's ECEF to every piece of the zigzag by a closed form
    (foot parameter clipped to [0, 1]); limits from 1 km to 3,000 km.
    """
    idx = PolylineIndex(ZIGZAG, grid_cells=0)
    xyz, seg_start = idx._arrays[2], idx._arrays[3]
    tab, mn, mx, left, right, lo, hi = idx._arrays[6:13]
    lon = np.array([61.0, 70.0, -100.0, 61.2, 0.0])
    lat = np.array([26.0, 20.0, -20.0, 26.5, 89.0])
    limit = np.array([30_000.0, 1_500_000.0, 3_000_000.0, 1_000.0, 9_000_000.0])
    p = _proj_ecef(lon, lat)
    offsets, items = kern.segments_within(p[:, 0], p[:, 1], p[:, 2], limit, tab, mn, mx, left,
                                          right, lo, hi)
    s0, d = xyz[seg_start], xyz[seg_start + 1] - xyz[seg_start]
    for i in range(len(lon)):
        w = p[i] - s0
        t = np.clip((w * d).sum(1) / (d * d).sum(1), 0.0, 1.0)
        dist = np.linalg.norm(w - t[:, None] * d, axis=1)
        want = np.flatnonzero(dist <= limit[i]).tolist()
        assert sorted(items[offsets[i]:offsets[i + 1]].tolist()) == want
    assert np.diff(offsets).tolist()[3] > 0 and np.diff(offsets).tolist()[4] == len(seg_start)


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
    # south-west (x > 0, y < 0, z < 0): a box test that mixes up axes or signs shows;
    # and across 0° N 0° E, where the grid's origin is negative (a cell found by adding
    # the origin instead of subtracting it would be a cell at the other end)
    [(0.0, 0.0, 1.0), (-50.0, 35.0, 1.0), (0.0, 0.0, -1.0), (-61.0, -26.0, 1.0)],
    ids=["iran", "norway", "mirrored", "origin"],
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


@pytest.mark.parametrize("cells", [4, 30, 1000])
def test_a_line_of_exactly_48_pieces_in_coarse_and_fine_grids(cells):
    """A 95 km edge (48 pieces of 1.98 km: MAX_CELL_LIST) in grids of 4 to 1,000 cells.

    In a coarse grid every piece is a candidate of every cell, so each list holds all 48:
    the most a list may hold before its cell falls back to the tree.  600 points over the
    whole grid, checked against a full scan.
    """
    end = WGS84.Direct(25.0, 61.0, 70.0, 95_000.0)
    xy = np.array([[61.0, 25.0], [end["lon2"], end["lat2"]]])
    index = PolylineIndex(xy, grid_cells=cells, grid_margin_deg=0.5)
    assert index._arrays[3].shape[0] == 48
    rng = np.random.default_rng(3)
    lon = rng.uniform(xy[:, 0].min() - 0.5, xy[:, 0].max() + 0.5, 600)
    lat = rng.uniform(xy[:, 1].min() - 0.5, xy[:, 1].max() + 0.5, 600)
    r = index.nearest(lon, lat)
    np.testing.assert_allclose(r.distance_m, _brute_force_m(lon, lat, xy), rtol=0,
                               atol=NEAR_TOL_M)


def test_points_in_the_corner_cells_of_the_grid(zigzag):
    """Just inside the four corners of the grid's box (the line's box and 0.5°): the first
    and the last cell's candidate lists are read to their own ends, no further."""
    lo_lon, hi_lon = ZIGZAG[:, 0].min() - 0.5 + 1e-6, ZIGZAG[:, 0].max() + 0.5 - 1e-6
    lo_lat, hi_lat = ZIGZAG[:, 1].min() - 0.5 + 1e-6, ZIGZAG[:, 1].max() + 0.5 - 1e-6
    lon = np.array([lo_lon, hi_lon, lo_lon, hi_lon])
    lat = np.array([lo_lat, lo_lat, hi_lat, hi_lat])
    r = zigzag.nearest(lon, lat)
    np.testing.assert_allclose(r.distance_m, _brute_force_m(lon, lat, ZIGZAG), rtol=0,
                               atol=NEAR_TOL_M)


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
    ternary search around the best of 101 samples).

    Why this is exact: along a geodesic edge shorter than half a meridian the distance
    from a point has at most one interior extremum (on a sphere cos d = cos d0 cos x,
    stationary only at x = 0 and π).  If it is a minimum, f is unimodal and the minimiser
    lies within one sample of the best sample, inside the bracket searched; if it is a
    maximum (points beyond about 10,000 km, near the antipodes), the least value is at an
    end, which is a sample, and the ternary search there converges to that end.
    """
    line = WGS84.InverseLine(xy[0, 1], xy[0, 0], xy[1, 1], xy[1, 0])

    def f(s: float) -> float:
        p = line.Position(s)
        return WGS84.Inverse(py, px, p["lat2"], p["lon2"])["s12"]

    k = int(np.argmin([f(line.s13 * j / 100) for j in range(101)]))
    lo, hi = line.s13 * max(k - 1, 0) / 100, line.s13 * min(k + 1, 100) / 100
    for _ in range(60):
        a, b = lo + (hi - lo) / 3, hi - (hi - lo) / 3
        lo, hi = (lo, b) if f(a) < f(b) else (a, hi)
    return f((lo + hi) / 2)


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


@pytest.mark.parametrize("turn", [-150.0, 150.0], ids=["left", "right"])
@pytest.mark.parametrize(
    ("vlon", "vlat", "heading"),
    [(0.0, 60.0, 90.0), (90.0, 0.0, 0.0), (0.0, 0.0, 0.0), (-90.0, 45.0, 45.0),
     (150.0, -70.0, 200.0), (45.0, 35.0, 300.0)],
    ids=["x-normal", "x-east", "y-east", "45N", "70S", "35N"],
)  # fmt: skip
def test_across_the_whole_outer_wedge_of_a_hairpin(vlon, vlat, heading, turn):
    """Outside a 150° turn, at six places and headings, across the whole outer wedge.

    The vertex V is nearest for the points whose azimuth from V lies beyond the end of
    the arriving piece and before the start of the leaving one: for a left turn (heading
    h, leaving at h - 150°) the wedge from h - 60° to h + 90°, for a right turn from h - 90°
    to h + 60°.  Points 5 km from V at 5° inside both edges and between them are all
    outside the turn (right of a left turn, left of a right one) and 5 km from the line.
    Near a wedge's edge the offset is almost along one piece's normal while the other
    piece's normal points 150° away, so a left normal with a component dropped or
    rescaled gets the side wrong in some of these places.
    """
    before = WGS84.Direct(vlat, vlon, heading + 180.0, 100_000.0)
    arrive = (before["azi2"] + 180.0) % 360.0  # heading of the arriving piece at V
    after = WGS84.Direct(vlat, vlon, arrive + turn, 100_000.0)
    xy = np.array([[before["lon2"], before["lat2"]], [vlon, vlat], [after["lon2"], after["lat2"]]])
    lo, hi = (-60.0, 90.0) if turn < 0 else (-90.0, 60.0)
    azimuths = arrive + np.r_[lo + 5.0, np.linspace(lo + 20.0, hi - 20.0, 4), hi - 5.0]
    pts = [WGS84.Direct(vlat, vlon, az, 5000.0) for az in azimuths]
    r = PolylineIndex(xy, grid_cells=0).nearest([p["lon2"] for p in pts], [p["lat2"] for p in pts])
    np.testing.assert_allclose(r.distance_m, 5000.0, rtol=0, atol=NEAR_TOL_M)
    assert r.side.tolist() == [-1 if turn < 0 else 1] * len(pts)


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


# --- the cell grid, by its definition (build_cells' docstring) -----------------------------


def _enu(lon: float, lat: float) -> tuple[np.ndarray, np.ndarray]:
    """East and north unit vectors (ECEF) at a place."""
    lam, phi = math.radians(lon), math.radians(lat)
    east = np.array([-math.sin(lam), math.cos(lam), 0.0])
    north = np.array(
        [-math.sin(phi) * math.cos(lam), -math.sin(phi) * math.sin(lam), math.cos(phi)]
    )
    return east, north


def _ecef_past_the_pole(lon, lat):
    """PROJ's ECEF, also for a latitude past a pole (90° + x at λ is 90° - x at λ + 180°),
    as a grid's centre row near a pole can be."""
    lon, lat = np.atleast_1d(lon).astype(float), np.atleast_1d(lat).astype(float)
    past = np.abs(lat) > 90.0
    lat = np.where(past, np.sign(lat) * 180.0 - lat, lat)
    lon = np.where(past, lon + 180.0, lon)
    return _proj_ecef(lon, lat)


def _nine_sample_radius(clon, clat, dlon, dlat):
    """The radius build_cells must give a cell: the largest chord (PROJ's ECEF) from the
    centre to its corners and edge midpoints (latitudes held to ±90°), widened by 2 % and
    1 m."""
    sx, sy = np.meshgrid([-0.5, 0.0, 0.5], [-0.5, 0.0, 0.5])
    lon = clon + sx.ravel() * dlon
    lat = np.clip(clat + sy.ravel() * dlat, -90.0, 90.0)
    c = _ecef_past_the_pole(clon, clat)[0]
    q = _proj_ecef(lon, lat)
    return 1.02 * np.sqrt(((q - c) ** 2).sum(1)).max() + 1.0


def _cells_of(index):
    lon0, lat0, dlon, dlat, nx, ny, offsets, items, item_d, radius = index._cells
    iy, ix = np.divmod(np.arange(nx * ny), nx)
    return (lon0 + (ix + 0.5) * dlon, lat0 + (iy + 0.5) * dlat, dlon, dlat, nx, ny,
            offsets, items, item_d, radius)  # fmt: skip


@pytest.mark.parametrize(
    ("xy", "margin"),
    [
        (ZIGZAG, 0.5),
        # near the poles the grid's top (bottom) row reaches past ±90°: its samples are
        # held to the pole, not taken beyond it
        (np.array([[10.0, 88.9], [40.0, 89.3], [70.0, 88.95]]), 0.8),
        (np.array([[-170.0, -89.2], [-120.0, -88.9], [-80.0, -89.25]]), 0.8),
        # across the equator and the prime meridian (origin of the grid below zero)
        (ZIGZAG - np.array([61.0, 26.0]), 0.5),
    ],
    ids=["iran", "north-pole", "south-pole", "origin"],
)
def test_each_cell_radius_is_its_nine_samples_widened_and_covers_the_cell(xy, margin):
    """Every cell's radius (a) is the one build_cells defines, to 1e-9 relative, and (b)
    bounds the chord from its centre to 33 points on each edge of the cell: the property
    the candidate lists rest on."""
    index = PolylineIndex(xy, grid_cells=200, grid_margin_deg=margin, max_segment_m=20_000.0)
    clon, clat, dlon, dlat, nx, ny, _o, _i, _d, radius = _cells_of(index)
    assert nx * ny > 20
    if xy[0, 1] > 80:  # the case is what its name says: samples past the pole, held to it
        assert 90.0 < index._cells[1] + ny * dlat < 91.0
    ok = radius >= 0.0
    assert ok.sum() >= 20
    expect = np.array([_nine_sample_radius(*c, dlon, dlat) for c in zip(clon, clat, strict=True)])
    np.testing.assert_allclose(radius[ok], expect[ok], rtol=1e-9, atol=0)
    edge = np.linspace(-0.5, 0.5, 33)
    ring = np.r_[np.c_[edge, np.full(33, -0.5)], np.c_[edge, np.full(33, 0.5)],
                 np.c_[np.full(33, -0.5), edge], np.c_[np.full(33, 0.5), edge]]  # fmt: skip
    for c in np.flatnonzero(ok):
        lat = np.clip(clat[c] + ring[:, 1] * dlat, -90.0, 90.0)
        q = _proj_ecef(clon[c] + ring[:, 0] * dlon, lat)
        p = _ecef_past_the_pole(clon[c], clat[c])[0]
        assert np.sqrt(((q - p) ** 2).sum(1)).max() < radius[c]


def _chords_to_pieces(p, index):
    """Chord distance (m) from ECEF point p to every piece of the index (numpy, PROJ)."""
    lon_v, lat_v, _xyz, seg_start = index._arrays[:4]
    v = _proj_ecef(lon_v, lat_v)
    a, d = v[seg_start], v[seg_start + 1] - v[seg_start]
    t = np.clip(((p - a) * d).sum(1) / (d * d).sum(1), 0.0, 1.0)
    return np.sqrt(((p - a - t[:, None] * d) ** 2).sum(1))


@pytest.mark.parametrize("cells", [6, 200])
def test_each_cell_list_holds_exactly_the_pieces_its_bound_admits(cells):
    """Per cell: the pieces within (best + r)(1 + CHORD_SLACK) + CHORD_SLACK_M + r of its
    centre (best: the nearest piece's chord), nearest first, with their distances; a
    cell whose list would exceed MAX_CELL_LIST has a negative radius and no list."""
    index = PolylineIndex(ZIGZAG, grid_cells=cells, grid_margin_deg=0.5)
    clon, clat, _dl, _dt, nx, ny, offsets, items, item_d, radius = _cells_of(index)
    assert offsets.shape == (nx * ny + 1,) and offsets[0] == 0
    assert (np.diff(offsets) >= 0).all() and offsets[-1] == items.size == item_d.size
    fallback = 0
    for c in range(nx * ny):
        p = _proj_ecef(np.array([clon[c]]), np.array([clat[c]]))[0]
        d = _chords_to_pieces(p, index)
        r = radius[c] if radius[c] >= 0 else _nine_sample_radius(clon[c], clat[c], _dl, _dt)
        limit = (d.min() + r) * (1.0 + kern.CHORD_SLACK) + kern.CHORD_SLACK_M + r
        sure_in = np.flatnonzero(d <= limit - 1e-6)
        sure_out = np.flatnonzero(d > limit + 1e-6)
        got = items[offsets[c] : offsets[c + 1]]
        if radius[c] < 0:
            fallback += 1
            assert got.size == 0 and sure_in.size >= kern.MAX_CELL_LIST
            continue
        assert got.size <= kern.MAX_CELL_LIST
        assert set(sure_in) <= set(got.tolist()) and not set(sure_out) & set(got.tolist())
        np.testing.assert_allclose(item_d[offsets[c] : offsets[c + 1]], d[got], rtol=0,
                                   atol=1e-6)  # fmt: skip
        assert (np.diff(item_d[offsets[c] : offsets[c + 1]]) >= 0).all()
    assert fallback > 0 if cells == 6 else fallback < nx * ny


def _radial_pieces(clon, clat, distances_m):
    """10 m pieces pointing away from the place, the near end at each distance (ECEF):
    each piece's chord distance from the place is its distance exactly."""
    c = _proj_ecef(np.array([clon]), np.array([clat]))[0]
    east, north = _enu(clon, clat)
    xyz = []
    for j, dist in enumerate(distances_m):
        theta = 2.0 * math.pi * j / len(distances_m)
        u = math.cos(theta) * east + math.sin(theta) * north
        xyz += [c + dist * u, c + (dist + 10.0) * u]
    xyz = np.array(xyz)
    seg_start = np.arange(0, len(xyz), 2, dtype=np.int64)
    tab = kern.segment_table(xyz, seg_start)
    return tab, kern.build_tree(tab)


@pytest.mark.parametrize("fill", [0, kern.MAX_CELL_LIST - 2, kern.MAX_CELL_LIST - 1])
def test_a_one_cell_grid_admits_a_piece_5_cm_inside_its_bound_not_5_cm_outside(fill):
    """One 0.02° cell at 25° N.  Its nearest piece is 3 km from the centre, one piece lies
    5 cm inside the bound (3 km + r)(1 + CHORD_SLACK) + CHORD_SLACK_M + r, one 5 cm
    outside, and ``fill`` more in between: with 48 admitted (MAX_CELL_LIST) the cell keeps
    its list, with 49 it falls back to the tree (negative radius, empty list)."""
    lon0, lat0, size = 61.0, 25.0, 0.02
    clon, clat = lon0 + size / 2, lat0 + size / 2
    r = _nine_sample_radius(clon, clat, size, size)
    limit = (3000.0 + r) * (1.0 + kern.CHORD_SLACK) + kern.CHORD_SLACK_M + r
    between = list(np.linspace(3100.0, limit - 1.0, fill))
    dist = [3000.0, limit - 0.05, limit + 0.05, *between]
    tab, tree = _radial_pieces(clon, clat, dist)
    offsets, items, item_d, radius = kern.build_cells(lon0, lat0, size, size, 1, 1, tab, *tree)
    admitted = 2 + fill
    assert offsets.shape == (2,) and offsets[0] == 0
    if admitted > kern.MAX_CELL_LIST:
        assert radius[0] < 0 and offsets[1] == 0
        return
    assert radius[0] == pytest.approx(r, rel=1e-9, abs=0)
    assert offsets[1] == admitted
    want = sorted(set(range(len(dist))) - {2}, key=lambda k: dist[k])
    assert items.tolist() == want
    np.testing.assert_allclose(item_d, np.sort(np.delete(dist, 2)), rtol=0, atol=1e-6)


def test_add_candidate_keeps_the_window_and_replaces_the_farthest():
    """The candidate list's contract, call by call (chord distances in metres): a new best
    keeps the earlier candidates still within best (1 + CHORD_SLACK) + CHORD_SLACK_M, with
    their distances and foot parameters; a full list replaces its farthest if farther."""
    seg = np.full(4, -1, dtype=np.int64)
    d2 = np.full(4, np.nan)
    t = np.full(4, np.nan)
    n, best, lim2 = 0, np.inf, np.inf

    def add(k, d, tt):
        nonlocal n, best, lim2
        n, best, lim2 = kern._add_candidate(k, d * d, tt, n, best, lim2, seg, d2, t)

    def held():
        return sorted(zip(seg[:n].tolist(), np.sqrt(d2[:n]).round(9).tolist(),
                          t[:n].tolist(), strict=True))  # fmt: skip

    add(0, 100.0, 0.1)
    assert (n, best) == (1, 100.0)
    assert lim2 == pytest.approx((100.0 * (1 + kern.CHORD_SLACK) + kern.CHORD_SLACK_M) ** 2)
    add(1, 100.3, 0.2)
    add(2, 100.45, 0.25)
    assert held() == [(0, 100.0, 0.1), (1, 100.3, 0.2), (2, 100.45, 0.25)]
    add(3, 99.9, 0.3)  # new best: window 100.40999 m, so piece 2 goes
    assert best == 99.9
    assert held() == [(0, 100.0, 0.1), (1, 100.3, 0.2), (3, 99.9, 0.3)]
    add(4, 99.95, 0.4)  # fills the list
    add(5, 99.92, 0.5)  # full: replaces the farthest (piece 1, 100.3 m)
    assert n == 4 and held() == [(0, 100.0, 0.1), (3, 99.9, 0.3), (4, 99.95, 0.4),
                                 (5, 99.92, 0.5)]  # fmt: skip
    add(6, 100.2, 0.6)  # full, and farther than all: not kept
    assert held() == [(0, 100.0, 0.1), (3, 99.9, 0.3), (4, 99.95, 0.4), (5, 99.92, 0.5)]


@pytest.mark.parametrize("cells", [0, 200], ids=["tree", "grid"])
def test_points_within_half_a_metre_of_every_turn(cells):
    """A line wandering in 64 edges of 1 km, turning up to 70° at every vertex, and 12
    points 5 to 45 cm from each vertex (seeded).  Within the window
    best (1 + CHORD_SLACK) + CHORD_SLACK_M of a point lie pieces of several leaves of
    the tree; a box distance overstated by even a metre on one axis lets the tree skip
    the box that holds the nearest piece (seen for 2 % to 3 % of these points)."""
    rng = np.random.default_rng(11)
    lon, lat, az = [61.0], [25.5], 30.0
    for _ in range(64):
        az += rng.uniform(-70.0, 70.0)
        p = WGS84.Direct(lat[-1], lon[-1], az, 1000.0)
        lon.append(p["lon2"])
        lat.append(p["lat2"])
    xy = np.c_[lon, lat]
    pts = np.array([
        (q["lon2"], q["lat2"])
        for v in range(1, 64)
        for q in (WGS84.Direct(lat[v], lon[v], rng.uniform(0, 360), rng.uniform(0.05, 0.45))
                  for _ in range(12))
    ])  # fmt: skip
    r = PolylineIndex(xy, grid_cells=cells).nearest(pts[:, 0], pts[:, 1])
    np.testing.assert_allclose(r.distance_m, _brute_force_m(pts[:, 0], pts[:, 1], xy),
                               rtol=0, atol=NEAR_TOL_M)  # fmt: skip
    assert r.distance_m.max() < 0.45


def test_points_beside_the_grid_and_on_its_far_edges():
    """Points just outside the grid's box on each side (their cell is none: they walk the
    tree), and exactly on its east and north edges (x = nx or y = ny: outside too).  The
    zigzag's box and a 0.75° margin make a 4° square; 256 cells of 0.25° tile it exactly."""
    index = PolylineIndex(ZIGZAG, grid_cells=256, grid_margin_deg=0.75)
    lon0, lat0, dlon, dlat, nx, ny = index._cells[:6]
    assert (lon0, lat0, dlon, dlat, nx, ny) == (59.25, 24.25, 0.25, 0.25, 16, 16)
    lon1, lat1 = lon0 + nx * dlon, lat0 + ny * dlat
    mid_lon, mid_lat = (lon0 + lon1) / 2, (lat0 + lat1) / 2
    def exactly_on(origin, step, n):  # a float x with (x - origin) / step == n exactly
        x = y = origin + n * step
        for _ in range(1000):
            for z in (x, y):
                if (z - origin) / step == n:
                    return z
            x, y = np.nextafter(x, -np.inf), np.nextafter(y, np.inf)
        raise AssertionError("no float lies exactly on the edge")

    east, north = exactly_on(lon0, dlon, nx), exactly_on(lat0, dlat, ny)
    lon = np.array([lon0 - 0.2, lon1 + 0.2, mid_lon, mid_lon, lon0 - 0.2, lon1 + 0.2,
                    east, east, mid_lon, lon0 + 0.1])  # fmt: skip
    lat = np.array([mid_lat, mid_lat, lat0 - 0.2, lat1 + 0.2, lat1 + 0.2, lat0 - 0.2,
                    mid_lat, lat0 + 0.05, north, north])  # fmt: skip
    r = index.nearest(lon, lat)
    np.testing.assert_allclose(r.distance_m, _brute_force_m(lon, lat, ZIGZAG), rtol=0,
                               atol=NEAR_TOL_M)  # fmt: skip


@pytest.mark.parametrize("turn", [-150.0, 150.0], ids=["left", "right"])
def test_a_hairpin_at_the_first_and_the_last_vertex_but_one(turn):
    """A 150° turn after a first piece of 1.5 km (so the turning vertex ends piece 0) and,
    reversed, before a last piece of 1.5 km: points 500 m out in the outer wedge are
    outside the turn, whichever of the two pieces meeting there is taken as nearest."""
    v = (61.0, 25.5)
    before = WGS84.Direct(v[1], v[0], 180.0 + 60.0, 1500.0)
    arrive = (before["azi2"] + 180.0) % 360.0
    after = WGS84.Direct(v[1], v[0], arrive + turn, 30_000.0)
    xy = np.array([[before["lon2"], before["lat2"]], v, [after["lon2"], after["lat2"]]])
    lo, hi = (-60.0, 90.0) if turn < 0 else (-90.0, 60.0)
    azimuths = arrive + np.r_[lo + 5.0, np.linspace(lo + 20.0, hi - 20.0, 6), hi - 5.0]
    pts = np.array([(p["lon2"], p["lat2"]) for p in (WGS84.Direct(v[1], v[0], az, 500.0)
                                                      for az in azimuths)])  # fmt: skip
    for line, side in ((xy, -1 if turn < 0 else 1), (xy[::-1], 1 if turn < 0 else -1)):
        for cells in (0, 200):
            r = PolylineIndex(line, grid_cells=cells).nearest(pts[:, 0], pts[:, 1])
            np.testing.assert_allclose(r.distance_m, 500.0, rtol=0, atol=NEAR_TOL_M)
            assert r.side.tolist() == [side] * len(pts)


@pytest.mark.parametrize("cells", [0, 200], ids=["tree", "grid"])
def test_a_vertex_given_twice_at_either_end_still_gives_a_side(cells):
    """A line starting (or ending) with a repeated vertex: a point beyond that end takes its
    side from the piece there, as without the repeat (a zero-length piece has no
    direction: it used to give side 0).  A part that is one repeated point has no side."""
    a, b = (61.0, 25.5), (61.2, 26.5)
    lon = np.array([60.99, 61.01, 61.0, 61.19, 61.21, 61.2])
    lat = np.array([25.49, 25.49, 25.45, 26.51, 26.51, 26.55])
    plain = PolylineIndex(np.array([a, b]), grid_cells=cells).nearest(lon, lat)
    assert 0 not in plain.side.tolist()
    for xy in (np.array([a, a, b]), np.array([a, b, b]), np.array([a, a, b, b])):
        r = PolylineIndex(xy, grid_cells=cells).nearest(lon, lat)
        assert r.side.tolist() == plain.side.tolist()
        np.testing.assert_allclose(r.distance_m, plain.distance_m, rtol=0, atol=1e-9)
    dot = PolylineIndex([np.array([[1.0, 1.0], [1.0, 1.0]]), np.array([a, a, b])],
                        grid_cells=cells).nearest([1.1, 60.99], [1.1, 25.49])  # fmt: skip
    assert dot.side.tolist() == [0, plain.side[0]]
    assert dot.distance_m[0] == pytest.approx(WGS84.Inverse(1.1, 1.1, 1.0, 1.0)["s12"], abs=1e-3)


def test_a_cell_with_more_than_4096_pieces_within_its_bound():
    """A 500 km edge in 100 m pieces (5,000) and a grid of 4 cells: a cell's search may
    gather more pieces than its list holds (4,096); it falls back to the tree."""
    a = (61.0, 25.5)
    end = WGS84.Direct(a[1], a[0], 80.0, 500_000.0)
    xy = np.array([a, (end["lon2"], end["lat2"])])
    index = PolylineIndex(xy, max_segment_m=100.0, grid_cells=4, grid_margin_deg=0.5)
    assert index._arrays[3].shape[0] > 4096 + kern.MAX_CELL_LIST
    assert (index._cells[-1] < 0).all()
    lon = np.array([62.0, 63.5, 65.0])
    lat = np.array([25.9, 26.1, 26.4])
    r = index.nearest(lon, lat)
    np.testing.assert_allclose(r.distance_m, _brute_force_m(lon, lat, xy, 100.0), rtol=0,
                               atol=NEAR_TOL_M)  # fmt: skip


@pytest.mark.parametrize("end", ["last", "first"])
def test_beyond_either_end_the_side_follows_the_piece_there(end):
    """Points 5 km beyond the last (or before the first) vertex of the zigzag, at bearings
    10° to 60° either side of the line's own direction there: the nearest point is that
    vertex, and the side is the side of the end piece alone (the zigzag's first and last
    edges head about 80° apart, so a normal borrowed from elsewhere would tip some)."""
    xy = ZIGZAG if end == "last" else ZIGZAG[::-1]
    inv = WGS84.Inverse(xy[-2, 1], xy[-2, 0], xy[-1, 1], xy[-1, 0])
    heading = inv["azi2"]  # forward azimuth of the last edge at its end
    offsets = np.r_[-60.0:-9.0:10.0, 10.0:61.0:10.0]
    pts = [WGS84.Direct(xy[-1, 1], xy[-1, 0], heading + o, 5000.0) for o in offsets]
    r = PolylineIndex(xy).nearest([p["lon2"] for p in pts], [p["lat2"] for p in pts])
    np.testing.assert_allclose(r.distance_m, 5000.0, rtol=0, atol=NEAR_TOL_M)
    assert r.side.tolist() == [1 if o < 0 else -1 for o in offsets]  # left of the way on


def test_by_default_edges_are_cut_into_pieces_of_at_most_2_km():
    """README: pieces of at most 2 km.  A 100.01 km edge takes 51 of them, 99.99 km 50."""
    for length_m, pieces in ((100_010.0, 51), (99_990.0, 50)):
        end = WGS84.Direct(25.0, 61.0, 70.0, length_m)
        index = PolylineIndex(np.array([[61.0, 25.0], [end["lon2"], end["lat2"]]]))
        assert index._arrays[3].shape[0] == pieces


def test_zero_length_pieces_are_dropped_and_their_neighbours_relinked():
    """geodesy._without_zero_pieces on three parts worked out by hand (ECEF metres):
    part 0 opens with a repeated vertex and ends with a 0.5 m piece (kept: short is not
    zero), part 1 has a repeated vertex between two pieces, part 2 is one point twice
    (kept: nothing else to keep).  Piece ids are renumbered, each part's first piece has
    no previous piece and its last no next one."""
    from bordermap.geodesy import _without_zero_pieces

    xyz = np.array([
        (0, 0, 0), (0, 0, 0), (1000, 0, 0), (1000, 0.5, 0),          # part 0: v0-v3
        (0, 5000, 0), (10, 5000, 0), (10, 5000, 0), (20, 5000, 0),   # part 1: v4-v7
        (7, 7, 7), (7, 7, 7),                                        # part 2: v8-v9
    ], dtype=float)  # fmt: skip
    seg_start = np.array([0, 1, 2, 4, 5, 6, 8])
    prev = np.array([-1, 0, 1, -1, 3, 4, -1])
    nxt = np.array([1, 2, -1, 4, 5, -1, -1])
    orig = np.arange(7)
    start, p, n, o = _without_zero_pieces(xyz, seg_start, prev, nxt, orig)
    assert start.tolist() == [1, 2, 4, 6, 8]
    assert p.tolist() == [-1, 0, -1, 2, -1]
    assert n.tolist() == [1, -1, 3, -1, -1]
    assert o.tolist() == [1, 2, 3, 5, 6]
    # nothing to drop: the arrays come back as they are
    same = _without_zero_pieces(xyz, np.array([1, 2]), np.array([-1, 0]), np.array([1, -1]),
                                np.array([0, 1]))  # fmt: skip
    assert [a.tolist() for a in same] == [[1, 2], [-1, 0], [1, -1], [0, 1]]
