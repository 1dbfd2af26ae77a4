"""The references the other tests trust, checked against values derived by hand.

``test_geodesy.ref_distance_to_polyline`` (geographiclib, golden-section search) and
``test_sides.geodesic_polygon`` (geographiclib densification) judge the code in the
other test files; here they, and the code, meet closed-form values of the WGS84
ellipsoid that need neither geographiclib nor bordermap.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import shapely

from bordermap.geodesy import PolylineIndex
from test_geodesy import WITHIN_200_KM_TOL_M, ref_distance_to_polyline
from test_sides import _split

A = 6378137.0  # WGS84 semi-major axis (m), by definition
F = 1 / 298.257223563  # WGS84 flattening, by definition
E2 = F * (2 - F)


def meridian_arc_m(lat_deg: float, n: int = 2000) -> float:
    """Distance along a meridian from the equator to ``lat_deg``.

    The meridian's radius of curvature is M(φ) = a(1 − e²) / (1 − e² sin² φ)^{3/2}, and
    the arc is the integral of M dφ from 0 to φ; Simpson's rule with 2,000 intervals is
    exact to far below a micrometre for |φ| ≤ 2° (the integrand is smooth, error ~ h⁴).
    A meridian is a geodesic, and the shortest way from a point to the equator runs
    along it (by symmetry), so this is the distance from (λ, φ) to an equatorial line.
    """
    phi = math.radians(abs(lat_deg))
    h = phi / n
    total = 0.0
    for k in range(n + 1):
        s = math.sin(k * h)
        m = A * (1 - E2) / (1 - E2 * s * s) ** 1.5
        total += m * (1 if k in (0, n) else 4 if k % 2 else 2)
    return total * h / 3


def equator_arc_m(dlon_deg: float) -> float:
    """The equator is a circle of radius a and, for |Δλ| < (1 − f)·180°, a geodesic."""
    return A * math.radians(abs(dlon_deg))


def test_the_meridian_arc_matches_the_textbook_degree():
    # the length of the first degree of latitude on WGS84 is 110,574.4 m (textbook value)
    assert meridian_arc_m(1.0) == pytest.approx(110_574.4, rel=0, abs=0.05)


EQUATOR = np.array([[0.0, 0.0], [10.0, 0.0]])


@pytest.mark.parametrize("lat", [0.001, 0.1, 1.0, 1.8, -0.5, -1.8])
def test_reference_and_code_meet_the_meridian_arc(lat):
    want = meridian_arc_m(lat)
    assert ref_distance_to_polyline(5.0, lat, EQUATOR) == pytest.approx(want, rel=0, abs=1e-6)
    got = PolylineIndex(EQUATOR).nearest([5.0], [lat])
    assert got.distance_m[0] == pytest.approx(want, rel=0, abs=WITHIN_200_KM_TOL_M)
    assert (got.lon[0], got.lat[0]) == pytest.approx((5.0, 0.0), rel=0, abs=1e-9)


@pytest.mark.parametrize("lon", [10.5, 11.0, 12.0, -1.5])
def test_reference_and_code_meet_the_equator_arc_beyond_an_end(lon):
    want = equator_arc_m(lon - 10.0 if lon > 10 else lon)
    assert ref_distance_to_polyline(lon, 0.0, EQUATOR) == pytest.approx(want, rel=0, abs=1e-6)
    got = PolylineIndex(EQUATOR).nearest([lon], [0.0])
    assert got.distance_m[0] == pytest.approx(want, rel=0, abs=WITHIN_200_KM_TOL_M)


def test_polygon_densification_stays_on_meridians_and_the_equator_and_bows_elsewhere():
    """Meridians and the equator are geodesics and straight in lon/lat: the oracle's
    points stay on them (it splits by distance, so it still adds some: conservative).
    Any other edge bows poleward of its lon/lat chord, and the oracle follows it."""
    meridian = _split(np.array([30.0, 10.0]), np.array([30.0, 20.0]))
    assert all(p[0] == pytest.approx(30.0, rel=0, abs=1e-9) for p in meridian)
    assert all(10.0 < p[1] < 20.0 for p in meridian)
    equator = _split(np.array([0.0, 0.0]), np.array([20.0, 0.0]))
    assert all(p[1] == pytest.approx(0.0, rel=0, abs=1e-9) for p in equator)
    # the top edge of a 2° x 1° lon/lat square at 31° N: its geodesic bulges north of 31°
    top = _split(np.array([62.0, 31.0]), np.array([60.0, 31.0]))
    assert len(top) > 10
    assert max(p[1] for p in top) > 31.0 + 1e-4
    sq = np.array([[60.0, 30.0], [62.0, 30.0], [62.0, 31.0], [60.0, 31.0], [60.0, 30.0]])
    dense = [sq[0]]
    for a, b in itertools.pairwise(sq):
        dense += [*_split(a, b), b]
    poly = shapely.Polygon(np.array(dense))
    # a point just north of the lon/lat top edge is inside the geodesic square
    assert not shapely.Polygon(sq).contains(shapely.Point(61.0, 31.0001))
    assert poly.contains(shapely.Point(61.0, 31.0001))
