"""Fast tests of bordermap.analysis on a synthetic frontier (the mutation target's first judge).

Three square countries share the equator and the 4° E meridian:

    AAA "Northland"  0°–4° E,  0°–2° N
    BBB "Southland"  0°–4° E,  2° S–0°
    CCC "Eastland"   4°–6° E,  2° S–2° N

and the frontier AAA–BBB is the equator from 0° to 4° E in two segments.  The
equator and the meridians are geodesics, and the geodesic from a point to the
equator is its meridian: the distance to the line is the meridian arc from the
point's latitude to 0°, its foot has the point's longitude, and the azimuth from
the point to the foot is 180° (north of the line) or 0° (south of it).  Every
expected distance below is computed with geographiclib from that construction,
never with bordermap; the tables take milliseconds to build (the real frontiers
take seconds), so mutation/run.py runs this file first for each mutant.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic

from bordermap.analysis import (
    analyse,
    band_counts,
    curated_area,
    distance_to_frontier,
    frontier_distance_bounds,
    frontier_table,
    nearest_frontier,
    side_of,
    within_km,
)
from bordermap.errors import BordermapError, CoordinateError
from bordermap.frontiers import Frontier, FrontierSegment

WGS84 = Geodesic.WGS84
#: bordermap's distances agree with geographiclib to well below a millimetre here
#: (short lines, README "Accuracy"); 1 mm is the bound asserted.
TOL_KM = 1e-6


def _box(x0: float, y0: float, x1: float, y1: float) -> shapely.Polygon:
    return shapely.box(x0, y0, x1, y1)


@pytest.fixture(scope="module")
def world():
    """Northland holds an enclave of Inland (a hole); Southland has an island."""
    import geopandas as gpd

    enclave = _box(1.0, 1.2, 1.4, 1.6)
    north = shapely.Polygon(_box(0, 0, 4, 2).exterior, [enclave.exterior])
    south = shapely.MultiPolygon([_box(0, -2, 4, 0), _box(2.0, -3.0, 2.5, -2.6)])
    return gpd.GeoDataFrame(
        {
            "iso3": ["AAA", "BBB", "CCC", "DDD"],
            "name": ["Northland", "Southland", "Eastland", "Inland"],
        },
        geometry=[north, south, _box(4, -2, 6, 2), enclave],
        crs=4326,
    )


def _frontier(name: str, countries, segments, title: str = "") -> Frontier:
    geom = shapely.MultiLineString([s.geometry for s in segments])
    return Frontier(name, countries, tuple(segments), geom, 0.0, title=title)


@pytest.fixture(scope="module")
def equator():
    """West segment drawn eastwards (AAA on its left), east segment drawn westwards
    (AAA on its right), so that both branches of the side probe are used."""
    west = FrontierSegment(
        "West line", "international border", shapely.LineString([(0, 0), (1, 0), (2, 0)])
    )
    east = FrontierSegment(
        "East line", "line of control", shapely.LineString([(4, 0), (3, 0), (2, 0)])
    )
    return _frontier("north-south", ("AAA", "BBB"), [west, east])


@pytest.fixture(scope="module")
def meridian():
    """AAA–CCC along 4° E, 0°–2° N."""
    seg = FrontierSegment(
        "Meridian", "international border", shapely.LineString([(4, 0), (4, 1), (4, 2)])
    )
    return _frontier("north-east", ("AAA", "CCC"), [seg], title="Meridian line")


def arc_km(lat: float) -> float:
    """Meridian arc from the equator to ``lat`` (km): the distance to the equator."""
    return WGS84.Inverse(0.0, 0.0, lat, 0.0)["s12"] / 1000.0


def north_of_equator(lon: float, km: float) -> tuple[float, float]:
    """The point ``km`` due north (south when negative) of (lon, 0)."""
    p = WGS84.Direct(0.0, lon, 0.0 if km >= 0 else 180.0, abs(km) * 1000.0)
    return p["lon2"], p["lat2"]


def to_meridian_km(lon: float, lat: float, meridian_lon: float = 4.0) -> float:
    """Shortest geodesic distance from a point to the meridian ``meridian_lon``, 0°-2° N
    (golden-section search over the meridian's latitude with geographiclib)."""
    a, b = 0.0, 2.0
    g = (5**0.5 - 1) / 2

    def d(y: float) -> float:
        return WGS84.Inverse(lat, lon, y, meridian_lon)["s12"]

    for _ in range(80):
        c, e = b - g * (b - a), a + g * (b - a)
        a, b = (a, e) if d(c) < d(e) else (c, b)
    return d((a + b) / 2) / 1000.0


# ---------------------------------------------------------------------------
# distance, foot, azimuth, segment and the side of the line


def test_distance_foot_azimuth_and_segment_on_each_side(equator, world):
    lon = np.array([1.0, 3.0, 2.5, 0.5])
    lat = np.array([0.5, -0.25, 1.0, -1.5])
    r = distance_to_frontier(lon, lat, frontier=equator, boundaries=world)
    want = [arc_km(abs(y)) for y in lat]
    np.testing.assert_allclose(r.distance_km, want, rtol=0, atol=TOL_KM)
    # the foot is found to a metre (the distance, flat about it, to a millimetre):
    # 1e-5° is 1.1 m at the equator; 1 m off the foot turns the azimuth by 0.001°
    np.testing.assert_allclose(r.nearest_lon, lon, rtol=0, atol=1e-5)
    np.testing.assert_allclose(r.nearest_lat, 0.0, rtol=0, atol=1e-5)
    turn = (r.azimuth_deg - [180, 0, 180, 0] + 180) % 360 - 180
    np.testing.assert_allclose(turn, 0.0, rtol=0, atol=1e-3)
    assert ((r.azimuth_deg >= 0) & (r.azimuth_deg < 360)).all()
    assert r.segment.tolist() == ["West line", "East line", "East line", "West line"]
    assert r.segment_kind.tolist() == [
        "international border",
        "line of control",
        "line of control",
        "international border",
    ]
    # north of the equator is Northland, whichever way each segment was drawn
    assert r.line_side.tolist() == ["AAA", "BBB", "AAA", "BBB"]
    # no uncertainty given: the range is the distance itself
    np.testing.assert_array_equal(r.min_distance_km, r.distance_km)
    np.testing.assert_array_equal(r.max_distance_km, r.distance_km)


def test_points_given_as_an_array_of_pairs_or_as_lon_and_lat(equator, world):
    a = distance_to_frontier(np.array([[1.0, 0.5]]), frontier=equator, boundaries=world)
    b = distance_to_frontier([1.0], [0.5], frontier=equator, boundaries=world)
    assert a.distance_km[0] == pytest.approx(arc_km(0.5), abs=TOL_KM)
    assert b.distance_km[0] == pytest.approx(arc_km(0.5), abs=TOL_KM)


def test_a_disc_of_uncertainty_adds_and_subtracts_its_radius(equator, world):
    """Along a meridian distances add: a disc of radius r about a point d from the
    equator comes within d - r of it and reaches d + r (bounds hold to 10 m)."""
    r = distance_to_frontier(
        [1.0, 3.0],
        [0.5, -0.25],
        frontier=equator,
        boundaries=world,
        precision_m=[10_000.0, 5_000.0],
    )
    d = np.array([arc_km(0.5), arc_km(0.25)])
    np.testing.assert_allclose(r.min_distance_km, d - np.array([10, 5]), rtol=0, atol=0.01)
    np.testing.assert_allclose(r.max_distance_km, d + np.array([10, 5]), rtol=0, atol=0.01)
    b = frontier_distance_bounds([1.0], [0.5], [10_000.0], frontier=equator, boundaries=world)
    assert b.distance_km[0] == pytest.approx(d[0], abs=TOL_KM)
    assert b.min_distance_km[0] == pytest.approx(d[0] - 10, abs=0.01)
    assert b.max_distance_km[0] == pytest.approx(d[0] + 10, abs=0.01)


def test_an_area_replaces_the_disc(equator, world):
    """A box from 0.4° to 0.6° N: its edges at 0.4° and 0.6° N are the nearest and
    farthest from the equator (a geodesic edge between two points of one parallel
    bulges from it by L² tan φ / 8a, 0.07 m here)."""
    area = _box(0.9, 0.4, 1.1, 0.6)
    r = distance_to_frontier(
        [1.0, 3.0], [0.5, -0.25], frontier=equator, boundaries=world, areas=[area, None]
    )
    assert r.min_distance_km[0] == pytest.approx(arc_km(0.4), abs=0.01)
    assert r.max_distance_km[0] == pytest.approx(arc_km(0.6), abs=0.01)
    assert r.min_distance_km[1] == r.max_distance_km[1] == pytest.approx(arc_km(0.25), abs=TOL_KM)
    b = frontier_distance_bounds([1.0], [0.5], frontier=equator, boundaries=world, areas=[area])
    assert b.min_distance_km[0] == pytest.approx(arc_km(0.4), abs=0.01)


# ---------------------------------------------------------------------------
# which country: the side grid and the geodesic polygon edges


def _side_cases():
    """Points and the country holding them, chosen by construction:

    - 50 m either side of the equator and of the 4° E meridian (both geodesics);
    - 50 m either side of the geodesic from (0°, 2° N) to (4° E, 2° N), which is
      the northern edge of Northland: it bulges north of the parallel by about
      130 m at 2° E, so points between the parallel and the geodesic are inside;
    - the interiors, and points outside all three countries.
    """
    lon, lat, iso = [], [], []

    def add(x, y, code):
        lon.append(x)
        lat.append(y)
        iso.append(code)

    for x in np.linspace(0.3, 3.7, 9):
        add(*north_of_equator(x, 0.05), "AAA")
        add(*north_of_equator(x, -0.05), "BBB")
    for y in (-1.5, -0.4, 0.6, 1.7):  # 50 m west and east of 4° E
        for az, code in ((270.0, "AAA" if y > 0 else "BBB"), (90.0, "CCC")):
            p = WGS84.Direct(y, 4.0, az, 50.0)
            add(p["lon2"], p["lat2"], code)
    top = WGS84.InverseLine(2.0, 0.0, 2.0, 4.0)
    for frac in (0.25, 0.5, 0.75):
        m = top.Position(top.s13 * frac)
        assert m["lat2"] > 2.0005  # the bulge is there to be missed
        for az, code in ((0.0, ""), (180.0, "AAA")):
            p = WGS84.Direct(m["lat2"], m["lon2"], az, 50.0)
            add(p["lon2"], p["lat2"], code)
    for y in (1.25, 1.5):  # 50 m either side of the enclave's meridians (1° E and 1.4° E)
        for x0, az, code in (
            (1.0, 270.0, "AAA"),
            (1.0, 90.0, "DDD"),
            (1.4, 270.0, "DDD"),
            (1.4, 90.0, "AAA"),
        ):
            p = WGS84.Direct(y, x0, az, 50.0)
            add(p["lon2"], p["lat2"], code)
    for x, y, code in [
        (1.2, 1.4, "DDD"),  # the enclave
        (2.2, -2.8, "BBB"),  # the island
        (2.2, -2.5, ""),  # the strait
        (1.0, 1.0, "AAA"),
        (3.9, -1.9, "BBB"),
        (5.0, 0.0, "CCC"),
        (7.0, 0.0, ""),
        (2.0, 3.0, ""),
        (-1.0, -1.0, ""),
        (5.9, 1.9, "CCC"),
    ]:
        add(x, y, code)
    return np.array(lon), np.array(lat), np.array(iso, dtype=object)


def test_side_of_answers_the_geodesic_polygon_test(equator, world):
    lon, lat, iso = _side_cases()
    # side_of names only the frontier's two countries
    want = np.where(np.isin(iso, ["AAA", "BBB"]), iso, "")
    got = side_of(lon, lat, frontier=equator, boundaries=world)
    assert got.tolist() == want.tolist()
    # the frontier table also names the third country and nothing outside all three
    t = frontier_table(lon, lat, frontier=equator, boundaries=world)
    assert t["country"].tolist() == iso.tolist()


def test_side_of_the_meridian_frontier(meridian, world):
    lon, lat, iso = _side_cases()
    want = np.where(np.isin(iso, ["AAA", "CCC"]), iso, "")
    assert side_of(lon, lat, frontier=meridian, boundaries=world).tolist() == want.tolist()


# ---------------------------------------------------------------------------
# analyse: columns, signs, phrases


def test_analyse_columns_signs_and_phrases(equator, world):
    pts = np.array([(1.0, 0.5), (3.0, -0.25), (5.0, 0.3), (7.0, 0.0), (1.5, 0.0005)])
    g = analyse(pts, frontier=equator, boundaries=world)
    d_east = WGS84.Inverse(0.3, 5.0, 0.0, 4.0)["s12"] / 1000  # from the line's end
    d_out = 3 * WGS84.Inverse(0.0, 4.0, 0.0, 5.0)["s12"] / 1000  # 3° of equator
    near = arc_km(0.0005)  # 55 m: within the default 100 m
    want = [arc_km(0.5), arc_km(0.25), d_east, d_out, near]
    np.testing.assert_allclose(g["distance_km"], want, rtol=0, atol=TOL_KM)
    assert g["country"].tolist() == ["AAA", "BBB", "CCC", "", "AAA"]
    assert g["side"].tolist() == ["AAA", "BBB", "", "", ""]
    s = g["signed_distance_km"].to_numpy()
    assert s[0] == pytest.approx(want[0], abs=TOL_KM)
    assert s[1] == pytest.approx(-want[1], abs=TOL_KM)
    assert np.isnan(s[2]) and np.isnan(s[3])
    assert s[4] == 0.0
    assert g["side_certain"].tolist() == [True, True, False, False, False]
    assert g["phrase"].tolist() == [
        f"{want[0]:.1f} km inside Northland",
        f"{want[1]:.1f} km inside Southland",
        f"in Eastland, {d_east:.1f} km from the Northland–Southland frontier",
        f"{d_out:.1f} km from the Northland–Southland frontier, outside both countries",
        "on the Northland–Southland frontier (within 100 m)",
    ]
    assert g.crs.equals("EPSG:4326")
    np.testing.assert_array_equal(shapely.get_coordinates(g.geometry.values), pts)


def test_on_line_tolerance_is_inclusive_and_can_be_zero(equator, world):
    """``on_line_m`` includes its limit: with 0, a point exactly on the line is still
    on it; with 50 m, a point 55 m off is assigned to its country."""
    pts = np.array([(1.0, 0.0), (1.5, 0.0005)])
    g = analyse(pts, frontier=equator, boundaries=world, on_line_m=0.0)
    assert g["distance_km"].iloc[0] == 0.0
    assert g["side"].tolist() == ["", "AAA"]
    assert g["phrase"].iloc[0] == "on the Northland–Southland frontier (within 0 m)"
    assert g["signed_distance_km"].iloc[1] == pytest.approx(arc_km(0.0005), abs=TOL_KM)
    g = analyse(pts[1:], frontier=equator, boundaries=world, on_line_m=50.0)
    assert g["side"].tolist() == ["AAA"]
    g = analyse(pts[1:], frontier=equator, boundaries=world, on_line_m=60.0)
    assert g["side"].tolist() == [""]
    # 55.29 m off, with a tolerance 3 cm wider: on the line
    g = analyse(pts[1:], frontier=equator, boundaries=world, on_line_m=arc_km(0.0005) * 1e3 + 0.03)
    assert g["side"].tolist() == [""]


@pytest.mark.parametrize("bad", [-1.0, float("nan"), float("inf"), -np.inf])
def test_bad_on_line_tolerance_is_refused(equator, world, bad):
    with pytest.raises(CoordinateError, match="on_line_m must be >= 0") as e:
        frontier_table([1.0], [0.5], frontier=equator, boundaries=world, on_line_m=bad)
    assert e.value.field == "on_line_m"


def test_the_title_of_a_frontier_names_it_in_phrases(meridian, world):
    g = analyse(np.array([(3.5, 1.0), (4.0, 1.5)]), frontier=meridian, boundaries=world)
    d = to_meridian_km(3.5, 1.0)
    assert g["distance_km"].iloc[0] == pytest.approx(d, abs=1e-5)
    assert g["phrase"].tolist() == [
        f"{d:.1f} km inside Northland",
        "on the Meridian line (within 100 m)",
    ]
    # countries[0] is AAA: positive on its side
    assert g["signed_distance_km"].iloc[0] == pytest.approx(d, abs=1e-5)


def test_ranges_in_phrases_and_the_certainty_of_the_side(equator, world):
    """A 10 km disc 55 km from the line: side certain; a 60 km disc reaches the line."""
    pts = np.array([(1.0, 0.5), (3.0, 0.5), (5.0, 0.3)])
    g = analyse(pts, frontier=equator, boundaries=world, precision_m=[10_000.0, 60_000.0, 1e3])
    d = arc_km(0.5)
    d_east = WGS84.Inverse(0.3, 5.0, 0.0, 4.0)["s12"] / 1000
    assert g["side_certain"].tolist() == [True, False, False]
    assert g["min_distance_km"].iloc[1] == 0.0
    assert g["phrase"].tolist() == [
        f"{d:.1f} km inside Northland (anywhere from {d - 10:.0f} to {d + 10:.0f} km; "
        "side certain)",
        f"{d:.1f} km inside Northland (anywhere from 0 to {d + 60:.0f} km; side uncertain: "
        "the place's extent reaches the line)",
        # a third country: no side to be certain of; 1 km either way
        f"in Eastland, {d_east:.1f} km from the Northland–Southland frontier (anywhere "
        f"from {d_east - 1:.0f} to {d_east + 1:.0f} km)",
    ]


def test_a_disc_that_ends_just_beyond_the_tolerance_is_certain(equator, world):
    """Disc edge 150 m from the line with on_line_m 100: certain; with 200 m: not."""
    x, y = north_of_equator(1.0, 5.15)
    g = analyse(np.array([(x, y)]), frontier=equator, boundaries=world, precision_m=5_000.0)
    assert g["side_certain"].tolist() == [True]
    g = analyse(
        np.array([(x, y)]), frontier=equator, boundaries=world, precision_m=5_000.0, on_line_m=200.0
    )
    assert g["side_certain"].tolist() == [False]


def test_precision_from_a_column_by_default_or_by_name(equator, world):
    import geopandas as gpd

    gdf = gpd.GeoDataFrame(
        {"precision_m": [10_000.0], "radius": [2_000.0]},
        geometry=shapely.points([(1.0, 0.5)]),
        crs=4326,
    )
    d = arc_km(0.5)
    g = analyse(gdf, frontier=equator, boundaries=world)
    assert g["min_distance_km"].iloc[0] == pytest.approx(d - 10, abs=0.01)
    g = analyse(gdf, frontier=equator, boundaries=world, precision_m="radius")
    assert g["max_distance_km"].iloc[0] == pytest.approx(d + 2, abs=0.01)
    g = analyse(gdf, frontier=equator, boundaries=world, precision_m=[500.0])
    assert g["max_distance_km"].iloc[0] == pytest.approx(d + 0.5, abs=0.01)


def test_input_columns_are_kept_renamed_and_the_frame_reprojected(equator, world):
    import geopandas as gpd

    gdf = gpd.GeoDataFrame(
        {"country": ["stated: BBB"], "note": ["kept"]},
        geometry=shapely.points([(1.0, 0.5)]),
        crs=4326,
    ).to_crs(3857)
    g = analyse(gdf, frontier=equator, boundaries=world)
    assert g.crs.equals("EPSG:4326")
    np.testing.assert_allclose(
        shapely.get_coordinates(g.geometry.values), [[1.0, 0.5]], rtol=0, atol=1e-9
    )
    assert g["country_input"].tolist() == ["stated: BBB"]
    assert g["country"].tolist() == ["AAA"]
    assert g["note"].tolist() == ["kept"]
    assert g["distance_km"].iloc[0] == pytest.approx(arc_km(0.5), abs=TOL_KM)
    assert gdf.crs.equals("EPSG:3857")  # the caller's frame is untouched
    # a GeoSeries keeps its geometry
    g = analyse(gdf.geometry, frontier=equator, boundaries=world)
    np.testing.assert_allclose(
        shapely.get_coordinates(g.geometry.values), [[1.0, 0.5]], rtol=0, atol=1e-9
    )


def test_places_with_areas_use_their_polygon(equator, world, monkeypatch):
    """Rows naming a place that has an area use it; GeoNames ids and areas-less places
    keep their disc."""
    import geopandas as gpd

    import bordermap.gazetteer as gz

    area = _box(0.9, 0.4, 1.1, 0.6)
    asked = []

    def area_of(place_id):
        asked.append(place_id)
        return area if place_id in ("test-area", "geonames:1") else None

    monkeypatch.setattr(gz, "area_of", area_of)
    curated_area.cache_clear()
    try:
        gdf = gpd.GeoDataFrame(
            {
                "place_id": ["test-area", "geonames:1", "no-area", None],
                "place_kind": ["area", "area", "town", "town"],
            },
            geometry=shapely.points([(1.0, 0.5)] * 4),
            crs=4326,
        )
        g = analyse(gdf, frontier=equator, boundaries=world)
        assert g["min_distance_km"].tolist() == pytest.approx(
            [arc_km(0.4), arc_km(0.5), arc_km(0.5), arc_km(0.5)], abs=0.01
        )
        assert "geonames:1" not in asked
        # every row with an area
        g = analyse(gdf.iloc[:1], frontier=equator, boundaries=world)
        assert g["min_distance_km"].tolist() == pytest.approx([arc_km(0.4)], abs=0.01)
        # no row with an area: no areas at all
        g = analyse(gdf.iloc[2:], frontier=equator, boundaries=world)
        assert g["min_distance_km"].tolist() == pytest.approx([arc_km(0.5)] * 2, abs=TOL_KM)
    finally:
        curated_area.cache_clear()


# ---------------------------------------------------------------------------
# bands, within, nearest frontier


def test_band_counts_per_side_with_the_line_in_the_first_band(equator, world):
    km = [5.0, -9.99, 10.01, -20.0, 24.99, -25.01, 49.0, 60.0]
    pts = np.array(
        [north_of_equator(1.0 + 0.2 * i, k) for i, k in enumerate(km)] + [(1.5, 0.0005), (5.0, 0.0)]
    )  # 55 m off; 1° into Eastland (111 km)
    t = band_counts(pts, frontier=equator, boundaries=world, bands_km=(25, 10, 50, 10))
    assert t["band"].tolist() == ["0-10 km", "10-25 km", "25-50 km"]
    assert t["inner_km"].tolist() == [0.0, 10.0, 25.0]
    assert t["outer_km"].tolist() == [10.0, 25.0, 50.0]
    assert t["AAA"].tolist() == [1, 2, 1]
    assert t["BBB"].tolist() == [1, 1, 1]
    assert t["on_line"].tolist() == [1, 0, 0]
    assert t["total"].tolist() == [3, 3, 2]


def test_band_counts_on_line_follows_the_tolerance(equator, world):
    pts = np.array([(1.5, 0.0005)])  # 55 m north of the line
    t = band_counts(pts, frontier=equator, boundaries=world, bands_km=5, on_line_m=10.0)
    assert t[["AAA", "BBB", "on_line", "total"]].values.tolist() == [[1, 0, 0, 1]]


@pytest.mark.parametrize("bad", [0, -5, "x", None, float("nan"), float("inf")])
def test_bad_band_limits_are_refused(equator, world, bad):
    with pytest.raises(CoordinateError) as e:
        band_counts([(1.0, 0.5)], frontier=equator, boundaries=world, bands_km=(10, bad))
    assert e.value.field == "bands_km"


def test_within_km_includes_its_limit(equator, world):
    lon, lat = zip(*[north_of_equator(1.0, k) for k in (9.99, -10.01, 0.0)], strict=True)
    assert within_km(lon, lat, frontier=equator, boundaries=world, km=10).tolist() == [
        True,
        False,
        True,
    ]
    assert within_km(lon, lat, frontier=equator, boundaries=world, km="10.02").tolist() == [
        True,
        True,
        True,
    ]
    for bad in (0, -1, "ten", float("nan")):
        with pytest.raises(CoordinateError) as e:
            within_km(lon, lat, frontier=equator, boundaries=world, km=bad)
        assert e.value.field == "km"


def test_nearest_of_two_frontiers(equator, meridian, world):
    lon = np.array([3.5, 1.0, 3.9])
    lat = np.array([1.0, 0.2, 1.9])
    t = nearest_frontier(lon, lat, frontiers=[equator, meridian], boundaries=world)
    d_eq = [arc_km(y) for y in lat]
    d_me = [to_meridian_km(x, y) for x, y in zip(lon, lat, strict=True)]
    want = np.minimum(d_eq, d_me)
    assert t["frontier"].tolist() == ["north-east", "north-south", "north-east"]
    assert t["segment"].tolist() == ["Meridian", "West line", "Meridian"]
    np.testing.assert_allclose(t["distance_km"], want, rtol=0, atol=1e-5)
    # the order of the frontiers does not change the answer
    u = nearest_frontier(lon, lat, frontiers=[meridian, equator], boundaries=world)
    assert u["frontier"].tolist() == t["frontier"].tolist()
    with pytest.raises(BordermapError) as e:
        nearest_frontier(lon, lat, frontiers=[], boundaries=world)
    assert e.value.field == "frontiers"


def test_a_tie_goes_to_the_first_frontier_named(equator, world):
    """The same line under two names: the first named is reported."""
    import dataclasses

    twin = dataclasses.replace(equator, name="twin")
    t = nearest_frontier([1.0], [0.5], frontiers=[equator, twin], boundaries=world)
    assert t["frontier"].tolist() == ["north-south"]
    t = nearest_frontier([1.0], [0.5], frontiers=[twin, equator], boundaries=world)
    assert t["frontier"].tolist() == ["twin"]


def test_two_boundary_tables_in_one_session_are_not_confused(equator, world):
    """The frontier's tables are cached per boundary table: a second table (here the
    same squares with Northland and Southland swapped) gets its own answers."""
    swapped = world.copy()
    swapped["iso3"] = ["BBB", "AAA", "CCC", "DDD"]
    lon, lat = np.array([1.0, 3.0]), np.array([0.5, -0.25])
    assert side_of(lon, lat, frontier=equator, boundaries=world).tolist() == ["AAA", "BBB"]
    assert side_of(lon, lat, frontier=equator, boundaries=swapped).tolist() == ["BBB", "AAA"]
    r = distance_to_frontier(lon, lat, frontier=equator, boundaries=swapped)
    assert r.line_side.tolist() == ["BBB", "AAA"]
    g = analyse(np.c_[lon, lat], frontier=equator, boundaries=swapped)
    assert g["signed_distance_km"].tolist() == pytest.approx(
        [-arc_km(0.5), arc_km(0.25)], abs=TOL_KM
    )


def test_area_across_the_line_comes_to_zero(equator, world):
    """A box from 0.1° S to 0.1° N straddles the equator: it reaches the line (0 km) and,
    at its corners, the parallels 0.1° off it."""
    area = _box(0.9, -0.1, 1.1, 0.1)
    r = distance_to_frontier([1.0], [0.05], frontier=equator, boundaries=world, areas=[area])
    assert r.min_distance_km[0] == 0.0
    assert r.max_distance_km[0] == pytest.approx(arc_km(0.1), abs=0.01)
    b = frontier_distance_bounds([1.0], [0.05], frontier=equator, boundaries=world, areas=[area])
    assert b.min_distance_km[0] == 0.0


def test_an_area_holding_the_whole_line_comes_to_zero(equator, world):
    """A box from 0.5° W to 4.5° E and 0.5° S to 0.5° N holds the whole frontier: its
    boundary stays 55 km or more from the line, yet the area reaches it.  Its farthest
    points are its corners, 0.5° either way of the line's ends (0° E and 4° E)."""
    area = _box(-0.5, -0.5, 4.5, 0.5)
    far = WGS84.Inverse(0.5, -0.5, 0.0, 0.0)["s12"] / 1000
    r = distance_to_frontier([2.0], [0.2], frontier=equator, boundaries=world, areas=[area])
    assert r.min_distance_km[0] == 0.0
    assert r.max_distance_km[0] == pytest.approx(far, abs=0.01)
    b = frontier_distance_bounds([2.0], [0.2], frontier=equator, boundaries=world, areas=[area])
    assert b.min_distance_km[0] == 0.0


@pytest.mark.parametrize("lon0", [0.0, -60.0])
@pytest.mark.parametrize("swap", [False, True])
def test_sides_out_to_the_far_corners_of_both_countries(swap, lon0):
    """Northland (3° W to 3° E, 0° to 1.5° N) is wider than Southland (2° W to 2° E,
    2.5° S to 0°), around the Greenwich meridian: the side grid must reach each country's
    own west, east, north and south ends (with the two countries in either order), and
    the same 60° farther west, where every longitude is negative."""
    import geopandas as gpd

    north, south = _box(lon0 - 3, 0, lon0 + 3, 1.5), _box(lon0 - 2, -2.5, lon0 + 2, 0)
    codes = ["NNN", "SSS"]
    table = gpd.GeoDataFrame(
        {"iso3": codes, "name": ["North", "South"]}, geometry=[north, south], crs=4326
    )
    line = shapely.LineString([(lon0 - 2, 0), (lon0 + 2, 0)])
    seg = FrontierSegment("Equator", "international border", line)
    countries = ("SSS", "NNN") if swap else ("NNN", "SSS")
    f = _frontier("n-s", countries, [seg])
    # 0.1° inside every corner (the geodesic bulge of the parallels is below 0.003°)
    lon, lat, want = [], [], []
    for poly, code in ((north, "NNN"), (south, "SSS")):
        x0, y0, x1, y1 = poly.bounds
        for x, y in (
            (x0 + 0.1, y0 + 0.1),
            (x0 + 0.1, y1 - 0.1),
            (x1 - 0.1, y0 + 0.1),
            (x1 - 0.1, y1 - 0.1),
        ):
            lon.append(x)
            lat.append(y)
            want.append(code)
    for x in (lon0 - 1.5, lon0 + 0.7):  # 50 m either side of the border
        for km, code in ((0.05, "NNN"), (-0.05, "SSS")):
            q = north_of_equator(x, km)
            lon.append(q[0])
            lat.append(q[1])
            want.append(code)
    lon += [lon0 - 2.5, lon0 + 2.5, lon0, lon0]
    lat += [-0.5, -0.5, 1.6, -2.6]
    want += ["", "", "", ""]
    got = side_of(np.array(lon), np.array(lat), frontier=f, boundaries=table)
    assert got.tolist() == want


def test_sides_along_a_diagonal_border():
    """Two countries share a border of two geodesics, (0°, 1° S) to (1° E, 0.7° N) to
    (2° E, 1.3° N), steeper and flatter than 45°: it runs diagonally across the side
    grid's cells, through some only at a corner.  Points 20 m either side of it, at 400
    places along each edge and near its ends (geographiclib; left of the north-eastward
    line is Westland), get their own country."""
    import geopandas as gpd

    border = [(0, -1), (1, 0.7), (2, 1.3)]
    west = shapely.Polygon([*border, (2, 1.5), (0, 1.5)])
    east = shapely.Polygon([*border, (2, -1)])
    table = gpd.GeoDataFrame(
        {"iso3": ["WWW", "EEE"], "name": ["Westland", "Eastland"]},
        geometry=[west, east],
        crs=4326,
    )
    seg = FrontierSegment("Diagonal", "international border", shapely.LineString(border))
    f = _frontier("w-e", ("WWW", "EEE"), [seg])
    lon, lat, want = [], [], []
    for (x0, y0), (x1, y1) in itertools.pairwise(border):
        line = WGS84.InverseLine(y0, x0, y1, x1)
        # 400 places, and 60 m to 1 km from each end (the grid's first and last cells)
        ends = [0.0005, 0.001, 0.002, 0.005, 0.995, 0.998, 0.999, 0.9995]
        for s in np.r_[np.linspace(0.01, 0.99, 400), ends] * line.s13:
            p = line.Position(s)
            for turn, code in ((-90.0, "WWW"), (90.0, "EEE")):
                q = WGS84.Direct(p["lat2"], p["lon2"], p["azi2"] + turn, 20.0)
                lon.append(q["lon2"])
                lat.append(q["lat2"])
                want.append(code)
    got = side_of(np.array(lon), np.array(lat), frontier=f, boundaries=table)
    assert got.tolist() == want


# ---------------------------------------------------------------------------
# limits exactly at their values; defaults


def test_an_area_holding_the_whole_meridian_line_comes_to_zero(meridian, world):
    """A box from 3.5° to 4.5° E and 0.5° S to 2.5° N holds the whole meridian frontier
    (4° E, 0° to 2° N) and its boundary stays 0.5° from it: the area reaches the line all
    the same.  (On the equator world a lon/lat mix-up could go unseen: there both are 0.)"""
    area = _box(3.5, -0.5, 4.5, 2.5)
    b = frontier_distance_bounds([3.9], [1.0], frontier=meridian, boundaries=world, areas=[area])
    assert b.min_distance_km[0] == 0.0


def test_a_distance_exactly_at_the_limit_is_within_it(equator, world):
    """within_km and the on-line tolerance are closed: a point at exactly the limit is in."""
    x, y = north_of_equator(1.0, 7.3)
    d_km = float(distance_to_frontier([x], [y], frontier=equator, boundaries=world).distance_km[0])
    assert d_km == pytest.approx(7.3, abs=TOL_KM)
    assert within_km([x], [y], frontier=equator, boundaries=world, km=d_km).tolist() == [True]
    assert within_km([x], [y], frontier=equator, boundaries=world,
                     km=np.nextafter(d_km, 0)).tolist() == [False]  # fmt: skip
    for on_line_m, on in ((d_km * 1000.0, 1), (d_km * 1000.0 * 1.0005, 1),
                          (d_km * 1000.0 * 0.9995, 0)):  # fmt: skip
        t = band_counts([(x, y)], frontier=equator, boundaries=world, bands_km=10,
                        on_line_m=on_line_m)  # fmt: skip
        assert t["on_line"].tolist() == [on], on_line_m


def test_a_side_is_certain_only_beyond_the_tolerance_not_at_it(equator, world):
    """A 2 km disc 7.3 km from the line comes within `lo` km of it: with on_line_m equal
    to lo (in metres) the side is not certain, nor with 0.05 % more; with 0.05 % less it is."""
    x, y = north_of_equator(1.0, 7.3)
    lo_km = float(frontier_distance_bounds([x], [y], 2000.0, frontier=equator,
                                           boundaries=world).min_distance_km[0])  # fmt: skip
    assert lo_km == pytest.approx(5.3, abs=1e-3)
    for on_line_m, certain in ((lo_km * 1000.0, False), (lo_km * 1000.0 * 1.0005, False),
                               (lo_km * 1000.0 * 0.9995, True)):  # fmt: skip
        g = analyse(np.array([(x, y)]), frontier=equator, boundaries=world,
                    precision_m=2000.0, on_line_m=on_line_m)  # fmt: skip
        assert g["side_certain"].tolist() == [certain], on_line_m


def test_limits_below_one_km_and_the_default_bands(equator, world):
    """Half a kilometre is a limit like any other; bands default to 10, 25 and 50 km."""
    x, y = north_of_equator(1.0, 0.3)
    assert within_km([x], [y], frontier=equator, boundaries=world, km=0.5).tolist() == [True]
    t = band_counts([(x, y)], frontier=equator, boundaries=world, bands_km=(0.5, 0.25))
    assert t["outer_km"].tolist() == [0.25, 0.5] and t["total"].tolist() == [0, 1]
    t = band_counts([(x, y)], frontier=equator, boundaries=world)
    assert t["band"].tolist() == ["0-10 km", "10-25 km", "25-50 km"]
    assert t["outer_km"].tolist() == [10.0, 25.0, 50.0]
