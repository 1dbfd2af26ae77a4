"""Geodesic core: coordinate validation and the point-to-polyline distance.

Reference values come from geographiclib (Karney's algorithms, an implementation
independent of the compiled kernel under test).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bordermap.errors import CoordinateError
from bordermap.geodesy import PolylineIndex, as_lonlat, densify, forward, inverse, points_lonlat

WGS84 = Geodesic.WGS84

#: The accuracy README.md ("Method and accuracy") and DESIGN.md state, asserted below with
#: no relative slack (``rtol=0``): within 200 km of the line, from 200 to 1,000 km (the
#: chord series), and beyond 1,000 km (the exact far-field search), antipodes included.
WITHIN_200_KM_TOL_M = 0.5e-3
FAR_TOL_M = 0.04
BEYOND_1000_KM_TOL_M = 1e-3


def tol_m(ref_m: float) -> float:
    """The stated bound at a distance (the series serves chords up to 1,000 km, which are
    geodesics up to 1,001.03 km: g = c (1 + c² / 24 R²))."""
    if ref_m <= 200_000:
        return WITHIN_200_KM_TOL_M
    return FAR_TOL_M if ref_m <= 1_002_000 else BEYOND_1000_KM_TOL_M

#: The chord series' own accuracy (docstring of ``bordermap._kernels._series_distance``).
SERIES_TOL_200_KM_M = 0.01e-3
SERIES_TOL_1000_KM_M = 0.04


def assert_within_stated_bounds(got_m, ref_m) -> None:
    """|got - ref| <= tol_m(ref) for every row (absolute, no relative slack)."""
    got_m, ref_m = np.asarray(got_m, dtype=float), np.asarray(ref_m, dtype=float)
    tol = np.array([tol_m(x) for x in ref_m])
    bad = ~(np.abs(got_m - ref_m) <= tol)
    assert not bad.any(), list(zip(got_m[bad], ref_m[bad], tol[bad], strict=True))


def ref_distance_to_polyline(plon: float, plat: float, xy: np.ndarray) -> float:
    """Exact distance to a polyline with geodesic edges: ternary search on each edge.

    geographiclib throughout (Karney: nanometres everywhere, antipodes included).  An
    edge is skipped only when no point of it can be nearer than the best vertex (the
    distance is 1-Lipschitz along the edge).  Along a geodesic edge shorter than half a
    meridian the distance has at most one interior extremum (on a sphere cos d = cos d0
    cos x, stationary only at x = 0 and π; on the ellipsoid the cut locus near the
    antipode adds only ∧-shaped kinks, which are maxima).  So the function is unimodal
    (the search finds its minimum) or has one interior maximum (the minimum is at an
    end, which the search converges to, and the ends are in ``dv``).
    """
    dv = [WGS84.Inverse(plat, plon, y, x, Geodesic.DISTANCE)["s12"] for x, y in xy]
    best = min(dv)
    for i in range(len(xy) - 1):
        inv = WGS84.Inverse(xy[i, 1], xy[i, 0], xy[i + 1, 1], xy[i + 1, 0])
        length = inv["s12"]
        if min(dv[i], dv[i + 1]) - length > best:
            continue
        line = WGS84.Line(xy[i, 1], xy[i, 0], inv["azi1"])

        def f(s: float, line=line) -> float:
            p = line.Position(s)
            return WGS84.Inverse(plat, plon, p["lat2"], p["lon2"], Geodesic.DISTANCE)["s12"]

        lo, hi = 0.0, length
        for _ in range(64):  # (2/3)^64 of a 300 km edge: 2 µm
            m1, m2 = lo + (hi - lo) / 3, hi - (hi - lo) / 3
            if f(m1) < f(m2):
                hi = m2
            else:
                lo = m1
        best = min(best, f((lo + hi) / 2))
    return best


# --- validation ------------------------------------------------------------------------


def test_as_lonlat_wraps_longitudes():
    ll = as_lonlat([190.0, -190.0, 359.0, -180.0], [0.0, 0.0, 0.0, 0.0])
    assert ll.lon.tolist() == [-170.0, 170.0, -1.0, -180.0]


def test_as_lonlat_edges_of_the_valid_ranges():
    ll = as_lonlat([360.0, -360.0, 180.0, -180.0, 0.0], [90.0, -90.0, 0.0, 0.0, 89.999])
    assert ll.lon.tolist() == [0.0, 0.0, -180.0, -180.0, 0.0]
    assert ll.lat.tolist() == [90.0, -90.0, 0.0, 0.0, 89.999]
    with pytest.raises(CoordinateError, match=r"row 0, field 'lon'"):
        as_lonlat([360.001], [0.0])
    with pytest.raises(CoordinateError, match=r"row 0, field 'lat'"):
        as_lonlat([0.0], [-90.001])


def test_as_lonlat_broadcasts_a_scalar_and_refuses_unequal_lengths():
    ll = as_lonlat(62.0, [27.0, 28.0])
    assert ll.lon.tolist() == [62.0, 62.0] and ll.lat.tolist() == [27.0, 28.0]
    ll = as_lonlat([[61.0, 62.0]], [27.0, 28.0])  # any shape comes back flat
    assert ll.lon.tolist() == [61.0, 62.0] and ll.lat.tolist() == [27.0, 28.0]
    with pytest.raises(CoordinateError, match=r"^field 'lon/lat': 3 longitudes but 2 latitudes"):
        as_lonlat([1.0, 2.0, 3.0], [1.0, 2.0])
    one = as_lonlat(62.33, 27.37)
    assert one.lon.shape == () and one.lat.shape == () and float(one.lat) == 27.37


def test_as_lonlat_names_the_record_and_its_row_number():
    with pytest.raises(CoordinateError, match=r"row 12, field 'lat': incident has a non-finite"):
        as_lonlat([1.0, 2.0, 3.0], [1.0, 2.0, np.nan], what="incident", first_row=10)
    with pytest.raises(CoordinateError, match=r"row 11, field 'lat': latitude 95 is beyond"):
        as_lonlat([1.0, 120.0], [1.0, 95.0], first_row=10)
    with pytest.raises(CoordinateError, match=r"swap") as exc:
        as_lonlat([90.0], [95.0])  # |lon| = 90 could be a latitude: swapped
    assert "row 0" in str(exc.value)
    with pytest.raises(CoordinateError) as exc:
        as_lonlat([-90.5], [95.0])  # |lon| > 90 cannot be a latitude: no swap hint
    assert exc.value.suggestion is None
    with pytest.raises(CoordinateError, match=r"row 11, field 'lon': longitude 400 is beyond"):
        as_lonlat([1.0, 400.0], [1.0, 1.0], first_row=10)


def test_swapped_lat_lon_is_named_with_a_suggestion():
    with pytest.raises(CoordinateError) as exc:
        as_lonlat([62.3, 39.9], [27.4, 116.4])  # Beijing given as (lat, lon)
    msg = str(exc.value)
    assert "row 1" in msg and "'lat'" in msg and "swap" in msg


def test_latitude_beyond_90_without_swap_hint():
    with pytest.raises(CoordinateError) as exc:
        as_lonlat(120.0, 95.0)
    assert "beyond ±90" in str(exc.value) and "swap" not in str(exc.value)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_coordinates_are_named(bad):
    with pytest.raises(CoordinateError, match=r"row 2, field 'lon'"):
        as_lonlat([1.0, 2.0, bad], [1.0, 2.0, 3.0])


def test_longitude_beyond_360_suggests_reprojecting():
    with pytest.raises(CoordinateError, match=r"field 'lon'.*reproject"):
        as_lonlat([7_000_000.0], [3_000_000.0 / 1e5])


def test_points_from_projected_geoseries_are_reprojected():
    import geopandas as gpd

    s = gpd.GeoSeries(gpd.points_from_xy([64.09], [26.97]), crs=4326).to_crs(3857)
    ll = points_lonlat(s)
    assert ll.lon[0] == pytest.approx(64.09, rel=0, abs=1e-9)
    assert ll.lat[0] == pytest.approx(26.97, rel=0, abs=1e-9)


def test_empty_and_non_point_geometries_are_named():
    import geopandas as gpd

    s = gpd.GeoSeries([shapely.Point(1, 1), shapely.Point()], crs=4326)
    with pytest.raises(CoordinateError, match=r"row 1, field 'geometry'.*empty"):
        points_lonlat(s)
    s = gpd.GeoSeries([shapely.LineString([(0, 0), (1, 1)])], crs=4326)
    with pytest.raises(CoordinateError, match=r"LineString, not a Point"):
        points_lonlat(s)


def test_points_in_every_usual_form():
    import geopandas as gpd

    one = points_lonlat((64.09, 26.97))
    assert (float(one.lon), float(one.lat)) == pytest.approx((64.09, 26.97), rel=0, abs=1e-12)
    two = points_lonlat(np.array([[64.09, 26.97], [62.33, 27.37]]))
    assert two.lon.tolist() == pytest.approx([64.09, 62.33], rel=0, abs=1e-12)
    assert two.lat.tolist() == [26.97, 27.37]
    single = points_lonlat([shapely.Point(64.09, 26.97)])
    assert single.lat.tolist() == [26.97]
    pts = points_lonlat([shapely.Point(64.09, 26.97), shapely.Point(190.0, 1.0)])
    assert pts.lon.tolist() == pytest.approx([64.09, -170.0], rel=0, abs=1e-12)
    assert pts.lat.tolist() == [26.97, 1.0]
    df = gpd.GeoDataFrame({"a": [1]}, geometry=gpd.points_from_xy([62.33], [27.37]), crs=4326)
    assert points_lonlat(df).lon.tolist() == pytest.approx([62.33], rel=0, abs=1e-12)
    with pytest.raises(CoordinateError, match=r"got an array of shape \(2, 3\)"):
        points_lonlat(np.zeros((2, 3)))
    with pytest.raises(CoordinateError, match=r"got an array of shape \(3,\)"):
        points_lonlat([1.0, 2.0, 3.0])
    with pytest.raises(CoordinateError, match=r"row 1, field 'geometry': incident has no geom"):
        points_lonlat(gpd.GeoSeries([shapely.Point(1, 1), None]), what="incident")
    with pytest.raises(CoordinateError, match=r"representative_point"):
        points_lonlat([shapely.Point(1, 1), shapely.Polygon([(0, 0), (1, 0), (1, 1)])])


def test_same_crs_check_in_every_combination():
    import geopandas as gpd
    from pyproj import CRS

    from bordermap.geodesy import check_same_crs

    a = gpd.GeoSeries.from_xy([64.09], [26.97], crs=4326)
    bare = gpd.GeoSeries.from_xy([64.09], [26.97])
    check_same_crs(a=a, b=a.copy())
    check_same_crs(a=bare, b=bare.copy())  # neither declares one: nothing to compare
    check_same_crs(a=a)
    # only geo-objects (a geometry and a CRS) are compared: a raster-like object is not
    from types import SimpleNamespace

    check_same_crs(a=a, r=SimpleNamespace(crs=CRS.from_epsg(3857)))
    check_same_crs(a=a, g=SimpleNamespace(geometry=[shapely.Point(0, 0)]))
    with pytest.raises(CoordinateError, match=r"field 'b': b is in no CRS but a is in EPSG:4326"):
        check_same_crs(a=a, b=bare)
    with pytest.raises(CoordinateError, match=r"b is in EPSG:4326 but a is in no CRS"):
        check_same_crs(a=bare, b=a)
    custom = CRS.from_proj4("+proj=aeqd +lat_0=27 +lon_0=63 +datum=WGS84 +units=m")
    with pytest.raises(CoordinateError, match=r"c is in \+proj=aeqd.* but a is in EPSG:4326") as e:
        check_same_crs(a=a, b=a.copy(), c=a.to_crs(custom))
    assert e.value.suggestion == "reproject one of them first, e.g. c.to_crs(a.crs)"


def test_projected_points_without_crs_are_refused():
    import geopandas as gpd

    s = gpd.GeoSeries(gpd.points_from_xy([7_134_000.0], [3_110_000.0]))  # metres, no CRS
    with pytest.raises(CoordinateError):
        points_lonlat(s)


# --- inverse / forward -----------------------------------------------------------------


def test_ellipsoid_constants_are_wgs84():
    """The public constants and the kernel's own are geographiclib's WGS84 (a, f), exactly."""
    from bordermap import _kernels, geodesy

    a, f = WGS84.a, WGS84.f
    assert (a, f) == (geodesy.WGS84_A_M, geodesy.WGS84_F)
    assert (a, f) == (_kernels.A_M, _kernels.F)
    assert (a * (1 - f), f * (2 - f)) == (_kernels.B_M, _kernels.E2)
    g = geodesy.geod()
    assert (g.a, g.f) == pytest.approx((a, f), rel=1e-15, abs=0)


def test_inverse_matches_geographiclib_scalar_and_array():
    d, az = inverse(64.09, 26.97, 62.33, 27.37)
    ref = WGS84.Inverse(26.97, 64.09, 27.37, 62.33)
    assert float(d) == pytest.approx(ref["s12"], rel=0, abs=1e-6)
    assert float(az) == pytest.approx(ref["azi1"], rel=0, abs=1e-9)
    d2, _ = inverse([64.09, 64.09], [26.97, 26.97], [62.33, 0.0], [27.37, 0.0])
    assert d2[0] == pytest.approx(ref["s12"], rel=0, abs=1e-6)
    assert d2[1] == pytest.approx(WGS84.Inverse(26.97, 64.09, 0, 0)["s12"], rel=0, abs=1e-6)


def test_forward_broadcasts_and_matches_geographiclib():
    end = forward(64.09, 26.97, [0.0, 90.0, 225.0], 120_000.0)
    for i, az in enumerate([0.0, 90.0, 225.0]):
        p = WGS84.Direct(26.97, 64.09, az, 120_000.0)
        assert end.lon[i] == pytest.approx(p["lon2"], rel=0, abs=1e-9)
        assert end.lat[i] == pytest.approx(p["lat2"], rel=0, abs=1e-9)
    far = forward([64.09, 10.0], [26.97, -5.0], 45.0, [1000.0, 5_000_000.0])
    p = WGS84.Direct(-5.0, 10.0, 45.0, 5_000_000.0)
    assert (far.lon[1], far.lat[1]) == pytest.approx((p["lon2"], p["lat2"]), rel=0, abs=1e-9)


def test_forward_round_trip():
    end = forward(64.09, 26.97, 281.5, 150_000.0)
    d, az = inverse(64.09, 26.97, end.lon, end.lat)
    assert float(d) == pytest.approx(150_000.0, rel=0, abs=1e-6)
    assert float(az) % 360 == pytest.approx(281.5, rel=0, abs=1e-9)


def test_densify_points_lie_on_the_geodesic():
    lon, lat, edge = densify(np.array([60.0, 66.0]), np.array([24.0, 31.0]), max_segment_m=10_000)
    inv = WGS84.Inverse(24.0, 60.0, 31.0, 66.0)
    assert len(lon) == math.ceil(inv["s12"] / 10_000) + 1
    line = WGS84.Line(24.0, 60.0, inv["azi1"])
    for k in (1, len(lon) // 2, len(lon) - 2):
        p = line.Position(k * inv["s12"] / (len(lon) - 1))
        assert lon[k] == pytest.approx(p["lon2"], rel=0, abs=1e-9)
        assert lat[k] == pytest.approx(p["lat2"], rel=0, abs=1e-9)
    assert set(edge.tolist()) == {0}


# --- point to polyline -------------------------------------------------------------------


def test_equator_line_distance_is_the_meridian_arc():
    """Nearest point of an equatorial geodesic is straight south/north: exact answer."""
    idx = PolylineIndex(shapely.LineString([(0.0, 0.0), (10.0, 0.0)]))
    lats = np.array([0.001, 0.1, 1.0, 1.8, -1.8, -0.5])
    r = idx.nearest(np.full(lats.shape, 5.0), lats)
    ref = [WGS84.Inverse(0.0, 5.0, la, 5.0)["s12"] for la in lats]
    np.testing.assert_allclose(r.distance_m, ref, rtol=0, atol=WITHIN_200_KM_TOL_M)
    np.testing.assert_allclose(r.lon, 5.0, rtol=0, atol=1e-9)
    np.testing.assert_allclose(r.lat, 0.0, rtol=0, atol=1e-9)
    assert r.side.tolist() == [1, 1, 1, 1, -1, -1]  # north of an eastward line is left
    expected = np.radians([180, 180, 180, 180, 0, 0])
    az = np.radians(r.azimuth_deg)
    np.testing.assert_allclose(
        np.c_[np.sin(az), np.cos(az)],
        np.c_[np.sin(expected), np.cos(expected)],
        rtol=0,
        atol=1e-8,
    )


def test_scalar_input_gives_scalar_output():
    idx = PolylineIndex(shapely.LineString([(0.0, 0.0), (10.0, 0.0)]))
    r = idx.nearest(5.0, 1.0)
    assert np.ndim(r.distance_m) == 0
    assert float(r.distance_m) == pytest.approx(
        WGS84.Inverse(0, 5, 1, 5)["s12"], rel=0, abs=WITHIN_200_KM_TOL_M
    )


def test_beyond_an_end_the_nearest_point_is_the_vertex():
    idx = PolylineIndex([np.array([[0.0, 0.0], [10.0, 0.0]])])
    r = idx.nearest([12.0], [1.0])
    assert (r.lon[0], r.lat[0]) == (10.0, 0.0)
    assert r.distance_m[0] == pytest.approx(
        WGS84.Inverse(1, 12, 0, 10)["s12"], rel=0, abs=FAR_TOL_M
    )


@pytest.fixture(scope="module")
def irn_pak_xy():
    from bordermap.frontiers import get_frontier

    f = get_frontier("iran-pakistan")
    return shapely.get_coordinates(f.geometry)


def _perturbed(xy: np.ndarray, n: int, max_m: float, seed: int):
    rng = np.random.default_rng(seed)
    k = rng.integers(0, len(xy), n)
    az = rng.uniform(0, 360, n)
    d = rng.uniform(0, max_m, n)
    out = [WGS84.Direct(xy[j, 1], xy[j, 0], az[i], d[i]) for i, j in enumerate(k)]
    return np.array([p["lon2"] for p in out]), np.array([p["lat2"] for p in out])


def test_distance_within_200_km_of_the_iran_pakistan_line_is_within_half_a_mm(irn_pak_xy):
    """README's figure: below 0.5 mm within 200 km (largest seen 0.16 mm).

    A flattening of 1/298.26, or the chord series without its x⁴ term, misses it.
    """
    idx = PolylineIndex(irn_pak_xy)
    lon, lat = _perturbed(irn_pak_xy, 60, 200_000.0, seed=1)
    r = idx.nearest(lon, lat)
    ref = np.array(
        [ref_distance_to_polyline(x, y, irn_pak_xy) for x, y in zip(lon, lat, strict=True)]
    )
    assert ref.max() > 150_000.0  # the sample reaches out to where the series matters
    np.testing.assert_allclose(r.distance_m, ref, rtol=0, atol=WITHIN_200_KM_TOL_M)
    # the reported nearest point is where that distance is reached
    back = np.array(
        [
            WGS84.Inverse(y, x, b, a, Geodesic.DISTANCE)["s12"]
            for x, y, a, b in zip(lon, lat, r.lon, r.lat, strict=True)
        ]
    )
    np.testing.assert_allclose(back, r.distance_m, rtol=0, atol=WITHIN_200_KM_TOL_M)


def test_distance_far_from_the_line_meets_the_stated_bounds(irn_pak_xy):
    """README's figures beyond 200 km: 4 cm to 1,000 km (largest seen 3.4 cm), 1 mm beyond."""
    idx = PolylineIndex(irn_pak_xy)
    rng = np.random.default_rng(2)
    lon = np.r_[rng.uniform(40, 90, 15), 10.0, 120.0]
    lat = np.r_[rng.uniform(0, 50, 15), 50.0, -30.0]
    # and points 300 to 1,100 km off, where the chord series is used up to its limit
    near_lon, near_lat = _perturbed(irn_pak_xy, 12, 1_100_000.0, seed=4)
    lon, lat = np.r_[lon, near_lon], np.r_[lat, near_lat]
    r = idx.nearest(lon, lat)
    ref = np.array(
        [ref_distance_to_polyline(x, y, irn_pak_xy) for x, y in zip(lon, lat, strict=True)]
    )
    assert ((ref > 300_000) & (ref < 1_100_000)).sum() >= 5 and (ref > 2_000_000).sum() >= 5
    assert_within_stated_bounds(r.distance_m, ref)


@pytest.mark.parametrize(
    ("distance_m", "tol_m"), [(200_000.0, SERIES_TOL_200_KM_M), (1_000_000.0, SERIES_TOL_1000_KM_M)]
)
def test_chord_series_meets_its_docstring(distance_m, tol_m):
    """``_series_distance``: 0.01 mm at 200 km and 4 cm at 1,000 km, against geographiclib.

    Pairs at exactly that geodesic distance (geographiclib's Direct), in every
    direction and at latitudes from -85° to 85°.
    """
    from bordermap._kernels import _ecef, _series_distance

    rng = np.random.default_rng(0)
    err = []
    for _ in range(200):
        lat, lon, az = rng.uniform(-85, 85), rng.uniform(-180, 180), rng.uniform(0, 360)
        p = WGS84.Direct(lat, lon, az, distance_m)
        g = _series_distance(*_ecef(lon, lat), *_ecef(p["lon2"], p["lat2"]))
        err.append(g - distance_m)
    np.testing.assert_allclose(err, 0.0, rtol=0, atol=tol_m)


def test_planar_shortcuts_would_fail_this_test(irn_pak_xy):
    """The tolerance above is meaningful: a UTM-planar distance misses it by metres."""
    from pyproj import Transformer

    lon, lat = _perturbed(irn_pak_xy, 20, 200_000.0, seed=3)
    t = Transformer.from_crs(4326, 32641, always_xy=True)
    x, y = t.transform(lon, lat)
    lx, ly = t.transform(irn_pak_xy[:, 0], irn_pak_xy[:, 1])
    planar = shapely.distance(shapely.points(x, y), shapely.LineString(np.c_[lx, ly]))
    ref = np.array(
        [ref_distance_to_polyline(a, b, irn_pak_xy) for a, b in zip(lon, lat, strict=True)]
    )
    assert np.abs(planar - ref).max() > 1.0


@pytest.mark.parametrize(
    ("line", "point"),
    [
        ([(179.5, 10.0), (-179.5, 10.2), (-178.0, 11.0)], (180.0, 10.6)),  # antimeridian
        ([(179.5, 10.0), (-179.5, 10.2), (-178.0, 11.0)], (-180.0, 9.5)),
        ([(0.0, 89.0), (180.0, 89.0)], (90.0, 89.5)),  # over the north pole
        ([(-60.0, -89.5), (120.0, -89.5), (150.0, -88.0)], (30.0, -89.9)),
        ([(10.0, 89.99), (100.0, 89.99)], (55.0, 89.0)),
    ],
)
def test_pinned_cases_at_the_antimeridian_and_poles(line, point):
    xy = np.array(line)
    idx = PolylineIndex(xy)
    r = idx.nearest([point[0]], [point[1]])
    ref = ref_distance_to_polyline(point[0], point[1], xy)
    assert r.distance_m[0] == pytest.approx(ref, rel=0, abs=tol_m(ref))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lon=st.floats(-180, 180),
    lat=st.floats(-89, 89),
    lon2=st.floats(-180, 180),
    lat2=st.floats(-89, 89),
)
def test_point_to_point_distance_is_symmetric_non_negative_and_exact(lon, lat, lon2, lat2):
    ref = WGS84.Inverse(lat, lon, lat2, lon2, Geodesic.DISTANCE)["s12"]
    a = PolylineIndex([np.array([[lon2, lat2], [lon2, lat2]])]).nearest([lon], [lat])
    b = PolylineIndex([np.array([[lon, lat], [lon, lat]])]).nearest([lon2], [lat2])
    assert a.distance_m[0] >= 0
    tol = tol_m(ref)
    assert a.distance_m[0] == pytest.approx(ref, rel=0, abs=tol)
    assert a.distance_m[0] == pytest.approx(b.distance_m[0], rel=0, abs=tol)


_WRAP_XY = np.array([[61.0, 25.0], [62.5, 27.0], [63.3, 29.5]])
_WRAP_INDEX = PolylineIndex(_WRAP_XY)


@settings(max_examples=40, deadline=None)
@given(lon=st.floats(-180, 180), lat=st.floats(-60, 60))
def test_longitude_wrapping_changes_nothing(lon, lat):
    """The same place written 360° apart is the same place; every example asserts.

    Longitudes beyond ±360° are refused (most likely a projected CRS), so each
    longitude in [-180°, 180°] is also written once on the other side of zero.
    """
    a = _WRAP_INDEX.nearest([lon], [lat])
    ref = ref_distance_to_polyline(lon, lat, _WRAP_XY)
    # the accuracy README states, at every distance (0.5 mm, 4 cm, 1 mm beyond 1,000 km)
    assert a.distance_m[0] == pytest.approx(ref, rel=0, abs=tol_m(ref))
    written = lon - 360.0 if lon >= 0 else lon + 360.0
    b = _WRAP_INDEX.nearest([written], [lat])
    assert b.distance_m[0] == pytest.approx(a.distance_m[0], rel=0, abs=1e-6)
    assert b.segment[0] == a.segment[0] and b.side[0] == a.side[0]
    assert (b.lon[0], b.lat[0]) == pytest.approx((a.lon[0], a.lat[0]), rel=0, abs=1e-9)


# --- the far field: every distance, the whole globe, the antipodes ------------------------

#: The README's three-vertex line in Iran (the far-field scan that found the defect).
_IRAN_3 = np.array([[61.0, 25.0], [62.5, 27.0], [63.3, 29.5]])
_IRAN_3_INDEX = PolylineIndex(_IRAN_3)


def _dense_min_m(plon: float, plat: float, xy: np.ndarray, step_m: float) -> float:
    """Least geographiclib distance to points every ``step_m`` (at most) along each edge.

    Densification bound: the true nearest point is within step/2 of a sample along its
    edge and, f being stationary there, the nearest sample is at most
    ½ max|f''| (step/2)² farther.  Along a geodesic, f'' <= m'/m (the geodesic curvature
    of the circle of radius f), which on the sphere is cot(f/R)/R: for f = 8,980 km
    that is 2.6e-8 /m, so 200 m samples overshoot by at most 0.13 mm (the ellipsoid
    changes this by a fraction of a per cent).
    """
    best = np.inf
    for i in range(len(xy) - 1):
        line = WGS84.InverseLine(xy[i, 1], xy[i, 0], xy[i + 1, 1], xy[i + 1, 0])
        n = max(1, math.ceil(line.s13 / step_m))
        for k in range(n + 1):
            q = line.Position(line.s13 * k / n)
            best = min(best, WGS84.Inverse(plat, plon, q["lat2"], q["lon2"],
                                           Geodesic.DISTANCE)["s12"])
    return best


def test_the_far_field_defect_point_145e_14s_is_exact():
    """145° E 14° S: 159 m off (README's scan, the three-vertex line) before the far search.

    There the piece nearest by chord is not the nearest by geodesic.  Checked against
    two references: the search along each edge, and the least of dense samples.
    """
    r = PolylineIndex(_IRAN_3).nearest([145.0], [-14.0])
    ref = ref_distance_to_polyline(145.0, -14.0, _IRAN_3)
    assert 8_000_000 < ref < 11_000_000
    assert r.distance_m[0] == pytest.approx(ref, rel=0, abs=BEYOND_1000_KM_TOL_M)
    dense = _dense_min_m(145.0, -14.0, _IRAN_3, 1000.0)
    # 1 km samples at 9,900 km: ½ · cot(1.55)/R · 500² < 0.4 mm over the true least
    assert ref - 1e-6 <= dense <= ref + 0.4e-3  # (1e-6: rounding of the two searches)


def test_145e_14s_against_the_india_pakistan_frontier():
    """The same point against a real frontier with many vertices (8,980 km away)."""
    from bordermap.frontiers import get_frontier

    geom = get_frontier("india-pakistan").geometry
    parts = [shapely.get_coordinates(p) for p in shapely.get_parts(geom)]
    r = PolylineIndex(parts).nearest([145.0], [-14.0])
    ref = min(ref_distance_to_polyline(145.0, -14.0, xy) for xy in parts)
    assert r.distance_m[0] == pytest.approx(ref, rel=0, abs=BEYOND_1000_KM_TOL_M)
    dense = min(_dense_min_m(145.0, -14.0, xy, 200.0) for xy in parts)
    assert ref - 1e-6 <= dense <= ref + 0.13e-3
    back = WGS84.Inverse(-14.0, 145.0, r.lat[0], r.lon[0], Geodesic.DISTANCE)["s12"]
    assert back == pytest.approx(r.distance_m[0], rel=0, abs=1e-6)


def test_a_whole_globe_scan_meets_the_stated_bounds():
    """Every 15° of longitude and latitude, and both poles, against the three-vertex line.

    Distances from 0 to 19,700 km; every one is held to the figure for its range.
    """
    lon, lat = np.meshgrid(np.arange(-180.0, 180.0, 15.0), np.arange(-75.0, 76.0, 15.0))
    lon = np.r_[lon.ravel(), 0.0, 0.0]
    lat = np.r_[lat.ravel(), 90.0, -90.0]
    r = PolylineIndex(_IRAN_3).nearest(lon, lat)
    ref = np.array([ref_distance_to_polyline(x, y, _IRAN_3) for x, y in zip(lon, lat, strict=True)])
    assert ref.max() > 19_000_000 and (ref > 9_000_000).sum() > 100
    assert_within_stated_bounds(r.distance_m, ref)


def _antipodal_ring(lon: float, lat: float, offsets_deg, azimuths):
    alon, alat = (lon + 360.0) % 360.0 - 180.0, -lat
    pts = [(alon, alat)]
    for off in offsets_deg:
        for az in azimuths:
            p = WGS84.Direct(alat, alon, az, off * 111_000.0)
            pts.append((p["lon2"], p["lat2"]))
    return pts


def test_within_a_degree_of_the_antipodes_of_vertices_and_edges():
    """Round the antipodes of each vertex and of points inside each edge, out to 1°.

    Vincenty's inverse does not converge there, and the chord order is wrong by
    kilometres; the far search uses Karney's inverse.  Exact antipodes included.
    """
    on = [tuple(v) for v in _IRAN_3]
    for i in range(len(_IRAN_3) - 1):
        inv = WGS84.Inverse(_IRAN_3[i, 1], _IRAN_3[i, 0], _IRAN_3[i + 1, 1], _IRAN_3[i + 1, 0])
        line = WGS84.Line(_IRAN_3[i, 1], _IRAN_3[i, 0], inv["azi1"])
        for frac in (0.3, 0.71):
            q = line.Position(frac * inv["s12"])
            on.append((q["lon2"], q["lat2"]))
    pts = [p for x, y in on for p in _antipodal_ring(x, y, (0.05, 0.3, 1.0), (20.0, 140.0, 260.0))]
    lon, lat = np.array(pts).T
    r = PolylineIndex(_IRAN_3).nearest(lon, lat)
    ref = np.array([ref_distance_to_polyline(x, y, _IRAN_3) for x, y in pts])
    assert ref.min() > 19_300_000  # the line is 530 km long: its far end is that much nearer
    np.testing.assert_allclose(r.distance_m, ref, rtol=0, atol=BEYOND_1000_KM_TOL_M)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    az=st.floats(0, 360),
    dist_m=st.floats(9_000_000, 19_990_000),
    frac=st.floats(0, 1),
)
def test_points_9000_to_19990_km_away_are_exact(az, dist_m, frac):
    """From a point of the line (anywhere along it), any direction, 9,000 to 19,990 km."""
    inv = WGS84.Inverse(_IRAN_3[0, 1], _IRAN_3[0, 0], _IRAN_3[1, 1], _IRAN_3[1, 0])
    q = WGS84.Line(_IRAN_3[0, 1], _IRAN_3[0, 0], inv["azi1"]).Position(frac * inv["s12"])
    p = WGS84.Direct(q["lat2"], q["lon2"], az, dist_m)
    r = _IRAN_3_INDEX.nearest([p["lon2"]], [p["lat2"]])
    ref = ref_distance_to_polyline(p["lon2"], p["lat2"], _IRAN_3)
    assert r.distance_m[0] == pytest.approx(ref, rel=0, abs=tol_m(ref))


def test_the_chord_limit_bounds_every_chord_and_is_tight():
    """``_farfield.chord_limit_m``: no chord to a point within s is longer (derivation in
    its module); and it is not loose by more than a - b plus 0.34 % (a/b - 1).

    Pairs from geographiclib's Direct at distances up to 20,000 km, from the poles (|P| =
    b), the equator (|P| = a) and between; chords from PROJ's geocentric conversion.
    """
    from pyproj import Transformer

    from bordermap._farfield import chord_limit_m

    t = Transformer.from_crs("EPSG:4326", "EPSG:4978", always_xy=True)
    rng = np.random.default_rng(5)
    a, b = WGS84.a, WGS84.a * (1 - WGS84.f)
    for lat in (90.0, 0.0, 45.0, -30.0, -89.0):
        for _ in range(40):
            s = rng.uniform(0, 20_000_000)
            p = WGS84.Direct(lat, rng.uniform(-180, 180), rng.uniform(0, 360), s)
            if p["s12"] != s:
                continue
            x1 = np.array(t.transform(p["lon1"], p["lat1"], 0.0))
            x2 = np.array(t.transform(p["lon2"], p["lat2"], 0.0))
            chord = float(np.linalg.norm(x1 - x2))
            limit = float(chord_limit_m(np.array([s]))[0])
            assert chord <= limit
            assert limit <= chord * a / b + (a - b) + 1.0


def test_a_2_km_piece_lies_within_0_3_mm_of_its_geodesic():
    """The line the kernel and the far search measure: chords lifted radially (DESIGN.md).

    The middle of each 2 km chord, from PROJ's geocentric coordinates, scaled onto the
    ellipsoid, is within 0.3 mm of the geodesic through the piece's ends (geographiclib:
    ternary search for the least distance along it); the figure the docs state.
    """
    from pyproj import Transformer

    fwd = Transformer.from_crs("EPSG:4326", "EPSG:4978", always_xy=True)
    back = Transformer.from_crs("EPSG:4978", "EPSG:4326", always_xy=True)
    a, b = WGS84.a, WGS84.a * (1 - WGS84.f)
    worst = 0.0
    for lat in (0.0, 30.0, 45.0, 60.0, 85.0):
        for az in (0.0, 45.0, 90.0, 135.0):
            line = WGS84.Line(lat, 30.0, az)
            ends = [line.Position(s) for s in (0.0, 2000.0)]
            xyz = np.array([fwd.transform(e["lon2"], e["lat2"], 0.0) for e in ends])
            q = xyz.mean(axis=0)
            q = q / math.sqrt((q[0] ** 2 + q[1] ** 2) / a**2 + q[2] ** 2 / b**2)
            qlon, qlat, _h = back.transform(*q)

            def f(s: float, line=line, qlon=qlon, qlat=qlat) -> float:
                p = line.Position(s)
                return WGS84.Inverse(qlat, qlon, p["lat2"], p["lon2"], Geodesic.DISTANCE)["s12"]

            lo, hi = 900.0, 1100.0
            for _ in range(60):
                m1, m2 = lo + (hi - lo) / 3, hi - (hi - lo) / 3
                lo, hi = (lo, m2) if f(m1) < f(m2) else (m1, hi)
            worst = max(worst, f((lo + hi) / 2))
    assert 0.05e-3 < worst <= 0.3e-3

def test_line_errors_are_clear():
    with pytest.raises(CoordinateError, match="fewer than two"):
        PolylineIndex([np.array([[1.0, 2.0]])])
    with pytest.raises(CoordinateError, match="empty"):
        PolylineIndex(shapely.LineString())
    with pytest.raises(CoordinateError, match="LineString"):
        PolylineIndex(shapely.Point(1, 1))


def test_inputs_in_different_crss_are_refused():
    import geopandas as gpd

    from bordermap.geodesy import check_same_crs
    from bordermap.pairs import pairs

    a = gpd.GeoSeries.from_xy([64.09], [26.97], crs=4326)
    with pytest.raises(CoordinateError, match=r"field 'b'.*EPSG:3857.*EPSG:4326.*to_crs"):
        pairs(a, a.to_crs(3857))
    with pytest.raises(CoordinateError, match="no CRS"):
        check_same_crs(a=a, b=gpd.GeoSeries.from_xy([62.33], [27.37]))
    check_same_crs(a=a, b=a, c=[(1.0, 2.0)])  # plain arrays carry no CRS to compare


def test_the_test_suite_cannot_reach_the_network():
    import socket

    with pytest.raises(OSError, match="must not use the network"):
        socket.create_connection(("93.184.216.34", 80), timeout=1)
