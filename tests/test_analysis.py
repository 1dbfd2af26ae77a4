"""Distance, side and depth against frontiers, with independent geodesic references."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic

from bordermap.analysis import (
    analyse,
    band_counts,
    distance_to_frontier,
    nearest_frontier,
    side_of,
    within_km,
)
from bordermap.errors import BordermapError, CoordinateError, FrontierError
from bordermap.frontiers import get_frontier
from test_geodesy import WITHIN_200_KM_TOL_M
from test_sides import geodesic_polygon

WGS84 = Geodesic.WGS84

PANJGUR = (64.09, 26.97)
SARAVAN = (62.33, 27.37)
SRINAGAR = (74.80, 34.08)
MUZAFFARABAD = (73.47, 34.37)
LAHORE = (74.35, 31.55)
AMRITSAR = (74.87, 31.63)


def _edge_offsets(xy: np.ndarray, offsets_m: list[float]):
    """Points at exact geodesic offsets either side of each edge's geodesic midpoint.

    Returns lon, lat, the edge's left/right (+1/-1) and the offset in metres.
    Only edges at least 100x longer than the largest offset are used, so the
    point is nearest to that edge and on the side it was put.
    """
    lon, lat, side, off = [], [], [], []
    for i in range(len(xy) - 1):
        inv = WGS84.Inverse(xy[i, 1], xy[i, 0], xy[i + 1, 1], xy[i + 1, 0])
        if inv["s12"] < 100 * max(offsets_m):
            continue
        mid = WGS84.Line(xy[i, 1], xy[i, 0], inv["azi1"]).Position(inv["s12"] / 2)
        for d in offsets_m:
            for sgn in (1, -1):  # left is azimuth - 90
                p = WGS84.Direct(mid["lat2"], mid["lon2"], mid["azi2"] - sgn * 90.0, d)
                lon.append(p["lon2"])
                lat.append(p["lat2"])
                side.append(sgn)
                off.append(d)
    return np.array(lon), np.array(lat), np.array(side), np.array(off)


@pytest.fixture(scope="module")
def ne_countries():
    """The Natural Earth countries read straight from the embedded file (not via bordermap)."""
    import geopandas as gpd

    from bordermap._data import natural_earth_path

    return gpd.read_file(f"zip://{natural_earth_path()}").set_index("ADM0_A3")


def test_known_places_on_known_sides():
    lon, lat = np.array([PANJGUR, SARAVAN]).T
    assert side_of(lon, lat, frontier="iran-pakistan").tolist() == ["PAK", "IRN"]
    lon, lat = np.array([SRINAGAR, MUZAFFARABAD, LAHORE, AMRITSAR]).T
    got = side_of(lon, lat, frontier="india-pakistan").tolist()
    assert got == ["IND", "PAK", "PAK", "IND"]


def test_segments_name_the_line_of_control_and_the_international_border():
    lon, lat = np.array([SRINAGAR, MUZAFFARABAD, LAHORE, AMRITSAR]).T
    d = distance_to_frontier(lon, lat, frontier="india-pakistan")
    assert d.segment_kind.tolist() == [
        "line of control",
        "line of control",
        "international border",
        "international border",
    ]
    assert d.line_side.tolist() == ["IND", "PAK", "PAK", "IND"]


def test_distance_matches_a_dense_geodesic_reference():
    from test_geodesy import ref_distance_to_polyline

    f = get_frontier("iran-pakistan")
    xy = shapely.get_coordinates(f.geometry)
    lon, lat = np.array([PANJGUR, SARAVAN, (61.5, 29.0)]).T
    d = distance_to_frontier(lon, lat, frontier=f)
    ref = [ref_distance_to_polyline(a, b, xy) for a, b in zip(lon, lat, strict=True)]
    assert max(ref) < 200_000  # README: below 0.5 mm within 200 km
    np.testing.assert_allclose(d.distance_km * 1000, ref, rtol=0, atol=WITHIN_200_KM_TOL_M)
    # the nearest point lies on the line and the azimuth points at it
    for i in range(3):
        inv = WGS84.Inverse(lat[i], lon[i], d.nearest_lat[i], d.nearest_lon[i])
        assert inv["s12"] == pytest.approx(ref[i], rel=0, abs=WITHIN_200_KM_TOL_M)
        turn = (inv["azi1"] - d.azimuth_deg[i] + 180) % 360 - 180
        assert turn == pytest.approx(0, rel=0, abs=1e-3)


@pytest.mark.parametrize("name", ["iran-pakistan", "india-pakistan"])
def test_side_agrees_with_geodesic_polygons_beyond_the_tolerance(name, ne_countries):
    """Points 2 cm to 5 m off the geodesic edges land in the country that contains them.

    The truth comes from the Natural Earth polygons read here and densified with
    geographiclib until every chord is within 1 cm of its geodesic (test_sides),
    independent of bordermap.  A planar test on the raw polygons gets some of them
    wrong, which is what makes this test able to fail.
    """
    f = get_frontier(name)
    lon, lat = [], []
    for seg in f.segments:
        for part in shapely.get_parts(seg.geometry):
            x, y, _sgn, _off = _edge_offsets(shapely.get_coordinates(part), [0.02, 0.05, 0.5, 5.0])
            lon.append(x)
            lat.append(y)
    lon, lat = np.concatenate(lon), np.concatenate(lat)
    tree = shapely.STRtree(shapely.points(lon, lat))
    want = np.full(len(lon), "", dtype=object)
    planar = np.full(len(lon), "", dtype=object)
    for iso in f.countries:
        raw = ne_countries.geometry[iso]
        want[shapely.contains_xy(geodesic_polygon(raw, tree), lon, lat)] = iso
        planar[shapely.contains_xy(raw, lon, lat)] = iso
    got = side_of(lon, lat, frontier=f)
    assert len(got) > 500
    assert set(want) >= set(f.countries)
    assert (got == want).all(), f"{(got != want).sum()} of {len(got)} on the wrong side"
    assert (planar != want).any()  # degree-space edges misplace some of them


def test_left_right_orientation_matches_point_in_polygon_far_from_the_line(ne_countries):
    """``line_side`` (left/right of the directed line) and ``side_of`` and ``analyse``
    each against shapely on the raw polygons, for points more than 0.02° (≈ 2 km)
    from either polygon's boundary, where straight and geodesic edges agree."""
    f = get_frontier("iran-pakistan")
    rng = np.random.default_rng(5)
    lon = rng.uniform(58, 68, 3000)
    lat = rng.uniform(24, 31, 3000)
    pts = shapely.points(lon, lat)
    want = np.full(len(lon), "", dtype=object)
    clear = np.ones(len(lon), dtype=bool)
    for iso in f.countries:
        geom = ne_countries.geometry[iso]
        want[shapely.contains_xy(geom, lon, lat)] = iso
        clear &= shapely.distance(pts, geom.boundary) > 0.02
    assert (clear & (want != "")).sum() > 1500
    assert (side_of(lon, lat, frontier=f)[clear] == want[clear]).all()
    gdf = analyse(np.c_[lon, lat], frontier=f)
    assert (gdf["side"].to_numpy()[clear] == want[clear]).all()
    # left/right of the line: beyond its ends it means little, so only points whose
    # nearest point (geographiclib-checked below for a sample) is inside the line
    d = distance_to_frontier(lon, lat, frontier=f)
    xy = shapely.get_coordinates(f.geometry)
    at_end = np.isin(d.nearest_lon, xy[[0, -1], 0]) & np.isin(d.nearest_lat, xy[[0, -1], 1])
    inside = clear & (want != "") & ~at_end
    assert inside.sum() > 1000
    assert (d.line_side[inside] == want[inside]).all()


def test_on_the_line_is_reported_not_assigned():
    f = get_frontier("iran-pakistan")
    xy = shapely.get_coordinates(f.geometry)
    inv = WGS84.Inverse(xy[50, 1], xy[50, 0], xy[51, 1], xy[51, 0])
    mid = WGS84.Line(xy[50, 1], xy[50, 0], inv["azi1"]).Position(inv["s12"] / 2)
    p = WGS84.Direct(mid["lat2"], mid["lon2"], mid["azi2"] + 90, 40.0)
    gdf = analyse([(p["lon2"], p["lat2"])], frontier=f)
    assert gdf.loc[0, "side"] == ""
    assert gdf.loc[0, "signed_distance_km"] == 0.0
    assert gdf.loc[0, "phrase"] == "on the Iran–Pakistan border (within 100 m)"
    # put 40 m from the edge's geodesic midpoint, perpendicular to it: 40 m from the line
    assert gdf.loc[0, "distance_km"] == pytest.approx(0.040, rel=0, abs=1e-6)
    gdf = analyse([(p["lon2"], p["lat2"])], frontier=f, on_line_m=10)
    assert gdf.loc[0, "side"] in {"IRN", "PAK"}
    assert gdf.loc[0, "phrase"].endswith("km inside Iran") or gdf.loc[0, "phrase"].endswith(
        "km inside Pakistan"
    )


def test_analyse_phrases_and_signs():
    gdf = analyse([PANJGUR, SARAVAN, (66.0, 34.0)], frontier="iran-pakistan")
    assert gdf.crs.to_epsg() == 4326
    assert gdf["phrase"].tolist()[:2] == ["78.2 km inside Pakistan", "42.2 km inside Iran"]
    assert gdf["phrase"][2].startswith("in Afghanistan, ")
    assert gdf["country"].tolist() == ["PAK", "IRN", "AFG"]
    assert gdf["side"].tolist() == ["PAK", "IRN", ""]
    assert np.isnan(gdf["signed_distance_km"][2])
    # positive on the side of countries[0]
    assert f"{gdf['signed_distance_km'][0]:.1f}" == "-78.2"
    assert gdf["signed_distance_km"][1] > 0


def test_analyse_keeps_columns_and_reprojects_a_geodataframe():
    import geopandas as gpd

    g = gpd.GeoDataFrame(
        {"id": ["a", "b"]}, geometry=gpd.points_from_xy(*np.array([PANJGUR, SARAVAN]).T), crs=4326
    ).to_crs(3857)
    out = analyse(g, frontier="iran-pakistan")
    assert out["id"].tolist() == ["a", "b"]
    assert out.crs.to_epsg() == 4326
    assert out["side"].tolist() == ["PAK", "IRN"]


def test_band_counts_and_within(ne_countries):
    """Counts per band against geographiclib distances and geodesic-polygon sides."""
    from test_geodesy import ref_distance_to_polyline

    rng = np.random.default_rng(7)
    f = get_frontier("iran-pakistan")
    xy = shapely.get_coordinates(f.geometry)
    k = rng.integers(0, len(xy), 40)
    pts = [WGS84.Direct(xy[j, 1], xy[j, 0], rng.uniform(0, 360), rng.uniform(0, 60_000)) for j in k]
    lon = np.array([p["lon2"] for p in pts])
    lat = np.array([p["lat2"] for p in pts])
    # and points 10 m either side of the 10 and 25 km limits: perpendicular offsets from
    # every 15th edge's midpoint (their true distance is whatever geographiclib says)
    for i in range(0, len(xy) - 1, 15):
        line = WGS84.InverseLine(xy[i, 1], xy[i, 0], xy[i + 1, 1], xy[i + 1, 0])
        mid = line.Position(line.s13 / 2)
        for d, turn in [(9_990.0, 90), (10_010.0, -90), (24_990.0, -90), (25_010.0, 90)]:
            p = WGS84.Direct(mid["lat2"], mid["lon2"], mid["azi2"] + turn, d)
            lon, lat = np.r_[lon, p["lon2"]], np.r_[lat, p["lat2"]]
    d_km = np.array([ref_distance_to_polyline(a, b, xy) for a, b in zip(lon, lat, strict=True)])
    d_km /= 1000
    for limit in (10.0, 25.0):  # the limits are exercised from both sides
        assert ((d_km > limit - 0.02) & (d_km <= limit)).sum() >= 3
        assert ((d_km > limit) & (d_km < limit + 0.02)).sum() >= 3
    tree = shapely.STRtree(shapely.points(lon, lat))
    side = np.full(len(lon), "", dtype=object)
    for iso in f.countries:
        poly = geodesic_polygon(ne_countries.geometry[iso], tree)
        side[shapely.contains_xy(poly, lon, lat)] = iso
    side[d_km < 0.1] = "on_line"
    t = band_counts(np.c_[lon, lat], frontier=f, bands_km=(10, 25, 50))
    for row, (lo, hi) in enumerate([(0, 10), (10, 25), (25, 50)]):
        band = ((d_km > lo) | (lo == 0)) & (d_km <= hi)
        assert band.sum() > 0
        assert t["total"].iloc[row] == band.sum()
        for col in ("IRN", "PAK", "on_line"):
            assert t[col].iloc[row] == (band & (side == col)).sum(), (row, col)
    assert within_km(lon, lat, frontier=f, km=25).sum() == int((d_km <= 25).sum())
    assert within_km(lon, lat, frontier=f, km=10).sum() == int((d_km <= 10).sum())


def test_band_counts_do_not_call_a_third_country_on_the_line():
    """A point in Afghanistan 14.5 km from the Iran–Pakistan line is in no side column."""
    t = band_counts([(61.0, 29.9), (61.3, 29.6)], frontier="iran-pakistan", bands_km=(10, 25))
    assert t[["IRN", "PAK", "on_line", "total"]].values.tolist() == [[0, 0, 0, 0], [0, 1, 0, 2]]


def test_nearest_frontier_picks_the_line_of_control_for_srinagar():
    t = nearest_frontier(
        np.array([SRINAGAR, PANJGUR]), frontiers=["iran-pakistan", "india-pakistan"]
    )
    assert t["frontier"].tolist() == ["india-pakistan", "iran-pakistan"]
    assert t.loc[0, "segment"] == "Line of Control"
    assert t.loc[1, "segment"] == "Iran–Pakistan international border"
    # the distance is the smaller of the two geographiclib distances
    from test_geodesy import ref_distance_to_polyline

    for row, (x, y) in enumerate([SRINAGAR, PANJGUR]):
        ref = min(
            ref_distance_to_polyline(x, y, shapely.get_coordinates(part))
            for name in ("iran-pakistan", "india-pakistan")
            for part in shapely.get_parts(get_frontier(name).geometry)
        )
        assert t.loc[row, "distance_km"] * 1000 == pytest.approx(
            ref, rel=0, abs=WITHIN_200_KM_TOL_M
        )


def test_bad_inputs_are_named():
    with pytest.raises(CoordinateError, match=r"row 1, field 'lat'.*swap"):
        analyse([(64.09, 26.97), (39.9, 116.4)], frontier="iran-pakistan")
    with pytest.raises(CoordinateError, match="km"):
        within_km([64.0], [27.0], frontier="iran-pakistan", km=0)
    with pytest.raises(CoordinateError, match="bands_km"):
        band_counts([(64.0, 27.0)], frontier="iran-pakistan", bands_km=(10, -5))
    with pytest.raises(FrontierError):
        analyse([(64.0, 27.0)], frontier="iran-pakistn")
    with pytest.raises(BordermapError):
        nearest_frontier([(64.0, 27.0)], frontiers=[])
    with pytest.raises(CoordinateError, match="on_line_m"):
        analyse([(64.0, 27.0)], frontier="iran-pakistan", on_line_m=-1)


def test_analyse_keeps_a_stated_country_beside_the_computed_one():
    import geopandas as gpd

    g = gpd.GeoDataFrame(
        {"country": ["IRN"]}, geometry=gpd.points_from_xy([64.09], [26.97]), crs=4326
    )
    out = analyse(g, frontier="iran-pakistan")
    assert out.loc[0, "country_input"] == "IRN"  # as the analyst stated it
    assert out.loc[0, "country"] == "PAK"  # where the point actually lies


def test_a_boundary_table_from_load_countries_is_accepted():
    """``boundaries=`` takes a table (documented); it used to raise TypeError
    (unhashable GeoDataFrame) in the cache of the frontier index."""
    from bordermap.boundaries import load_countries

    table = load_countries()
    g = analyse([PANJGUR], frontier="iran-pakistan", boundaries=table)
    assert g.loc[0, "side"] == "PAK"
    assert g.loc[0, "distance_km"] == pytest.approx(
        analyse([PANJGUR], frontier="iran-pakistan").loc[0, "distance_km"], rel=0, abs=1e-9)
    assert side_of([SARAVAN[0]], [SARAVAN[1]], frontier="iran-pakistan",
                   boundaries=table).tolist() == ["IRN"]
