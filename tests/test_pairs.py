"""Cross-border pairs: distances against geographiclib, crossings on both lines."""

from __future__ import annotations

import json
import math
from types import SimpleNamespace

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from hypothesis import given, settings
from hypothesis import strategies as st

from bordermap._data import natural_earth_path
from bordermap.errors import CoordinateError, FrontierError
from bordermap.pairs import Crossing, Pair, crossings, pair, pairs

WGS = Geodesic.WGS84
PANJGUR = (64.09, 26.97)
SARAVAN = (62.33, 27.37)
SRINAGAR = (74.80, 34.08)
MUZAFFARABAD = (73.47, 34.37)


@pytest.fixture(scope="module")
def countries():
    import geopandas as gpd

    return gpd.read_file(f"zip://{natural_earth_path()}").set_index("ADM0_A3")


@pytest.fixture(scope="module")
def irn_pak(countries):
    return shapely.line_merge(
        shapely.intersection(countries.geometry["IRN"].boundary, countries.geometry["PAK"].boundary)
    )


def distance_to_line_m(line, lon: float, lat: float) -> float:
    """Geodesic distance (m) from a point to a polyline with geodesic edges (geographiclib).

    The few edges nearest in degrees are candidates; on each, the nearest point
    is found by golden-section search of geographiclib distances.
    """
    parts = [shapely.get_coordinates(p) for p in shapely.get_parts(line)]
    edges = [(xy[i], xy[i + 1]) for xy in parts for i in range(len(xy) - 1)]
    segs = shapely.linestrings(np.array([[a, b] for a, b in edges]))
    near = np.argsort(shapely.distance(segs, shapely.Point(lon, lat)))[:4]
    best = math.inf
    for k in near:
        a, b = edges[k]
        gl = WGS.InverseLine(a[1], a[0], b[1], b[0])

        def f(s, gl=gl):
            p = gl.Position(s)
            return WGS.Inverse(lat, lon, p["lat2"], p["lon2"])["s12"]

        lo, hi = 0.0, gl.s13
        g = (math.sqrt(5) - 1) / 2
        c1, c2 = hi - g * (hi - lo), lo + g * (hi - lo)
        f1, f2 = f(c1), f(c2)
        for _ in range(80):
            if f1 < f2:
                hi, c2, f2 = c2, c1, f1
                c1 = hi - g * (hi - lo)
                f1 = f(c1)
            else:
                lo, c1, f1 = c1, c2, f2
                c2 = lo + g * (hi - lo)
                f2 = f(c2)
        best = min(best, f1, f2, f(0.0), f(gl.s13))
    return best


def side_changes(a, b, countries, spacing_m: float = 50.0) -> int:
    """IRN <-> PAK changes along the geodesic, from geographiclib points in polygons."""
    gl = WGS.InverseLine(a[1], a[0], b[1], b[0])
    n = max(2, math.ceil(gl.s13 / spacing_m))
    pts = [gl.Position(s) for s in np.linspace(0.0, gl.s13, n + 1)]
    lon = np.array([p["lon2"] for p in pts])
    lat = np.array([p["lat2"] for p in pts])
    code = np.full(len(lon), "", dtype=object)
    code[shapely.contains_xy(countries.geometry["IRN"], lon, lat)] = "IRN"
    code[shapely.contains_xy(countries.geometry["PAK"], lon, lat)] = "PAK"
    code = code[code != ""]
    return int(np.sum(code[1:] != code[:-1]))


# ------------------------------------------------------------ Panjgur -> Saravan


def test_panjgur_saravan_distance_and_azimuths():
    p = pair(PANJGUR, SARAVAN, frontiers=())
    ref = WGS.Inverse(PANJGUR[1], PANJGUR[0], SARAVAN[1], SARAVAN[0])
    assert abs(p.distance_km * 1000 - ref["s12"]) < 1e-3
    assert p.distance_km == pytest.approx(179.966, abs=1e-3)
    assert p.azimuth_deg == pytest.approx(ref["azi1"] % 360, abs=1e-9)
    assert p.back_azimuth_deg == pytest.approx((ref["azi2"] + 180) % 360, abs=1e-9)
    assert (p.a_lon, p.a_lat, p.b_lon, p.b_lat) == (*PANJGUR, *SARAVAN)
    assert p.crossings == ()


def test_panjgur_saravan_crossings_lie_on_both_lines(irn_pak, countries):
    p = pair(PANJGUR, SARAVAN, frontiers={"IRN-PAK (Natural Earth)": irn_pak})
    # Natural Earth's line bends across this geodesic: out of Pakistan near 63.30 E,
    # back in near 62.98 E, out again near 62.77 E; points-in-polygons agree
    assert len(p.crossings) == side_changes(PANJGUR, SARAVAN, countries) == 3
    d = [c.distance_from_a_km for c in p.crossings]
    assert d == sorted(d) and d[0] > 0 and d[-1] < p.distance_km
    gl = WGS.InverseLine(PANJGUR[1], PANJGUR[0], SARAVAN[1], SARAVAN[0])
    for c in p.crossings:
        assert c.frontier == "IRN-PAK (Natural Earth)" and c.segment is None
        # on the frontier (geodesic edges), to well under a metre
        assert distance_to_line_m(irn_pak, c.lon, c.lat) < 0.01
        # on the geodesic, at the stated distance from Panjgur
        at = gl.Position(c.distance_from_a_km * 1000)
        assert WGS.Inverse(c.lat, c.lon, at["lat2"], at["lon2"])["s12"] < 1e-3
    assert [round(c.lon, 2) for c in p.crossings] == [63.30, 62.98, 62.77]


def test_default_frontiers_come_from_the_countries_of_a_and_b():
    pytest.importorskip("bordermap.frontiers")
    p = pair(PANJGUR, SARAVAN)
    assert [c.frontier for c in p.crossings] == ["iran-pakistan"] * 3
    assert {c.kind for c in p.crossings} == {"international border"}
    same = pair(SimpleNamespace(lon=64.09, lat=26.97, name="Panjgur"), "62.33, 27.37")
    assert same.a_name == "Panjgur" and same.b_name is None
    assert [c.to_dict() for c in same.crossings] == [c.to_dict() for c in p.crossings]


def test_line_of_control_segment_is_named(countries):
    frontiers = pytest.importorskip("bordermap.frontiers")
    p = pair(SRINAGAR, MUZAFFARABAD)
    assert len(p.crossings) == 1
    c = p.crossings[0]
    assert (c.frontier, c.segment, c.kind) == (
        "india-pakistan",
        "Line of Control",
        "line of control",
    )
    line = frontiers.get_frontier("india-pakistan").geometry
    assert distance_to_line_m(line, c.lon, c.lat) < 0.01
    ref = WGS.Inverse(SRINAGAR[1], SRINAGAR[0], MUZAFFARABAD[1], MUZAFFARABAD[0])["s12"]
    assert abs(p.distance_km * 1000 - ref) < 1e-3


# ---------------------------------------------------------------- many pairs


def test_many_pairs_match_geographiclib_and_the_point_in_polygon_count(
    irn_pak, countries, monkeypatch
):
    rng = np.random.default_rng(7)
    n = 60
    a = np.column_stack([rng.uniform(61.8, 63.6, n), rng.uniform(26.3, 28.8, n)])
    b = np.column_stack([rng.uniform(61.8, 63.6, n), rng.uniform(26.3, 28.8, n)])
    table, hits = pairs(a, b, frontiers=[irn_pak])
    ref = np.array([WGS.Inverse(p[1], p[0], q[1], q[0])["s12"] for p, q in zip(a, b, strict=True)])
    assert np.max(np.abs(table.distance_km.to_numpy() * 1000 - ref)) < 1e-3
    expected = [side_changes(p, q, countries) for p, q in zip(a, b, strict=True)]
    assert table.n_crossings.tolist() == expected
    assert sum(expected) > 20  # the sample does cross the border
    assert list(hits.columns) == [
        "pair",
        "lon",
        "lat",
        "distance_from_a_km",
        "frontier",
        "segment",
        "kind",
    ]
    for row in hits.sample(15, random_state=1).itertuples():
        assert distance_to_line_m(irn_pak, row.lon, row.lat) < 0.01
        p = a[row.pair]
        gl = WGS.InverseLine(p[1], p[0], b[row.pair][1], b[row.pair][0])
        at = gl.Position(row.distance_from_a_km * 1000)
        assert WGS.Inverse(row.lat, row.lon, at["lat2"], at["lon2"])["s12"] < 1e-3
    # small chunks give the same answer
    import bordermap.pairs as pairs_module

    monkeypatch.setattr(pairs_module, "CHUNK_POINTS", 500)
    table2, hits2 = pairs(a, b, frontiers=[irn_pak])
    assert table2.n_crossings.tolist() == expected
    assert np.array_equal(hits2.lon.to_numpy(), hits.lon.to_numpy())
    # one pair at a time gives the same answer
    k = int(np.argmax(expected))
    single = pair(tuple(a[k]), tuple(b[k]), frontiers=[irn_pak])
    assert [c.lon for c in single.crossings] == pytest.approx(
        hits[hits.pair == k].lon.tolist(), abs=1e-12
    )
    assert len(crossings(a, b, frontiers=[irn_pak])) == len(hits)


@settings(max_examples=25, deadline=None)
@given(
    ax=st.floats(61.8, 63.6),
    ay=st.floats(26.3, 28.8),
    bx=st.floats(61.8, 63.6),
    by=st.floats(26.3, 28.8),
)
def test_pairs_are_symmetric(ax, ay, bx, by):
    line = _IRN_PAK_CACHE.setdefault("line", _load_irn_pak())
    ab = pair((ax, ay), (bx, by), frontiers=[line])
    ba = pair((bx, by), (ax, ay), frontiers=[line])
    assert ab.distance_km >= 0
    assert ab.distance_km == pytest.approx(ba.distance_km, rel=1e-12, abs=1e-12)
    # and against geographiclib, not only against itself
    gl = WGS.InverseLine(ay, ax, by, bx)
    assert ab.distance_km * 1000 == pytest.approx(gl.s13, rel=0, abs=1e-3)
    for c in ab.crossings:  # each crossing is on the geodesic a-b and on the frontier line
        at = gl.Position(c.distance_from_a_km * 1000)
        assert WGS.Inverse(c.lat, c.lon, at["lat2"], at["lon2"])["s12"] < 1e-3
        assert distance_to_line_m(line, c.lon, c.lat) < 1e-3
    assert len(ab.crossings) == len(ba.crossings)
    for c, r in zip(ab.crossings, reversed(ba.crossings), strict=True):
        assert c.distance_from_a_km == pytest.approx(
            ab.distance_km - r.distance_from_a_km, abs=1e-6
        )
        assert WGS.Inverse(c.lat, c.lon, r.lat, r.lon)["s12"] < 1e-3


_IRN_PAK_CACHE: dict = {}


def _load_irn_pak():
    import geopandas as gpd

    c = gpd.read_file(f"zip://{natural_earth_path()}").set_index("ADM0_A3")
    return shapely.line_merge(
        shapely.intersection(c.geometry["IRN"].boundary, c.geometry["PAK"].boundary)
    )


# ------------------------------------------------------------- pinned cases


def test_crossings_across_the_antimeridian():
    east = shapely.LineString([(179.9, -5.0), (179.9, 5.0)])
    west = shapely.LineString([(-179.9, -5.0), (-179.9, 5.0)])
    p = pair((179.5, 0.0), (-179.5, 0.5), frontiers={"east": east, "west": west})
    assert [c.frontier for c in p.crossings] == ["east", "west"]
    assert [round(c.lon, 9) for c in p.crossings] == [179.9, -179.9]
    gl = WGS.InverseLine(0.0, 179.5, 0.5, -179.5)
    for c in p.crossings:
        at = gl.Position(c.distance_from_a_km * 1000)
        assert WGS.Inverse(c.lat, c.lon, at["lat2"], at["lon2"])["s12"] < 1e-3
    assert p.distance_km * 1000 == pytest.approx(gl.s13, abs=1e-3)


def test_wrapped_longitudes_give_the_same_pair():
    a = pair(PANJGUR, SARAVAN, frontiers=())
    b = pair((PANJGUR[0] - 360, PANJGUR[1]), (SARAVAN[0] + 360 - 720, SARAVAN[1]), frontiers=())
    assert b.distance_km == pytest.approx(a.distance_km, abs=1e-9)
    assert b.a_lon == pytest.approx(PANJGUR[0], abs=1e-12)


def test_same_point_and_no_crossing(irn_pak):
    p = pair(PANJGUR, PANJGUR, frontiers=[irn_pak])
    assert p.distance_km == 0.0 and p.crossings == ()
    # a zero-length pair among others, and no pairs at all
    table, hits = pairs([PANJGUR, PANJGUR], [PANJGUR, SARAVAN], frontiers=[irn_pak])
    assert table.n_crossings.tolist() == [0, 3] and hits.pair.tolist() == [1, 1, 1]
    table, hits = pairs(np.zeros((0, 2)), np.zeros((0, 2)), frontiers=[irn_pak])
    assert len(table) == 0 and len(hits) == 0
    inside = pair((64.09, 26.97), (65.0, 27.5), frontiers=[irn_pak])  # both in Pakistan
    assert inside.crossings == ()


def test_to_dict_is_json_ready():
    p = pair(PANJGUR, SARAVAN, frontiers=[shapely.LineString([(63.0, 26.0), (63.0, 28.0)])])
    d = json.loads(json.dumps(p.to_dict(), allow_nan=False))
    assert d["distance_km"] == pytest.approx(179.966374, abs=1e-6)
    assert d["crossings"][0]["lon"] == 63.0 and d["crossings"][0]["frontier"] is None
    assert isinstance(p, Pair) and isinstance(p.crossings[0], Crossing)


# ------------------------------------------------------------------- errors


def test_bad_points_name_the_field():
    with pytest.raises(CoordinateError) as err:
        pair((26.97, 164.09), SARAVAN, frontiers=())
    assert err.value.field == "lat"
    with pytest.raises(CoordinateError) as err:
        pair((64.09, 26.97, 5.0), SARAVAN, frontiers=())
    assert err.value.field == "a"
    with pytest.raises(CoordinateError) as err:
        pair(PANJGUR, (float("nan"), 27.0), frontiers=())
    assert err.value.field == "lon"
    with pytest.raises(CoordinateError, match="2 start points but 1 end"):
        pairs([PANJGUR, SARAVAN], [SARAVAN])


def test_bad_frontiers():
    with pytest.raises(FrontierError):
        pair(PANJGUR, SARAVAN, frontiers=[shapely.box(0, 0, 1, 1)])
    with pytest.raises(FrontierError):
        pair(PANJGUR, SARAVAN, frontiers=[42])
    with pytest.raises(FrontierError, match="int"):
        pair(PANJGUR, SARAVAN, frontiers=42)
    pytest.importorskip("bordermap.frontiers")
    with pytest.raises(FrontierError, match="unknown frontier"):
        pair(PANJGUR, SARAVAN, frontiers="iran-atlantis")


def test_place_names_through_the_gazetteer():
    gazetteer = pytest.importorskip("bordermap.gazetteer")
    from bordermap.errors import UnknownPlaceError

    p = pair("Panjgur", "Saravan")
    a = gazetteer.geocode("Panjgur")
    assert (p.a_lon, p.a_lat) == (a.lon, a.lat)
    assert p.b_name and p.crossings and p.crossings[0].frontier == "iran-pakistan"
    with pytest.raises(UnknownPlaceError):
        pair("Qxzzyqa Bvvw", "Saravan")


# ---------------------------------------------------------------------- CLI


def test_cli_pair_json_and_text(capsys):
    pytest.importorskip("bordermap.frontiers")
    from bordermap.cli import main

    assert main(["pair", "64.09,26.97", "62.33,27.37", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["distance_km"] == pytest.approx(179.966374, abs=1e-6)
    assert [c["frontier"] for c in out["crossings"]] == ["iran-pakistan"] * 3
    assert main(["pair", "74.80,34.08", "73.47,34.37", "--frontier", "IND-PAK"]) == 0
    text = capsys.readouterr().out
    assert "126.698 km" in text and "Line of Control" in text
    assert main(["pair", "64.09,26.97", "62.33,27.37", "--frontier", "iran-atlantis"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("bordermap: error:") and err.count("\n") == 1
