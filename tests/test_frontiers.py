"""Frontiers: shared boundaries, named and segmented frontiers, the CLI commands."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic

from bordermap.boundaries import country_of, load_countries
from bordermap.cli import main
from bordermap.errors import BoundaryError, FrontierError
from bordermap.frontiers import (
    Frontier,
    get_frontier,
    list_frontiers,
    neighbours,
    shared_boundary,
)

# documented split points (see geodata/frontiers.yaml)
# Manawar, where the 1949 Karachi Agreement's cease-fire line begins (Chhamb sector)
MANAWAR = (74.31, 32.81)
CHHAMB = (74.386, 32.837)  # held by Pakistan since 1971 (Wikipedia "Chhamb")
CHICKENS_NECK_TIP = (74.6777, 32.8365)  # Sialkot salient: part of the working boundary
NJ9842 = (77.0088, 35.0084)  # northern end of the Line of Control
SIR_CREEK_AREA = (68.2, 23.8)


def geodesic_km(a, b):
    """Independent geodesic distance (geographiclib), (lon, lat) in, km out."""
    return Geodesic.WGS84.Inverse(a[1], a[0], b[1], b[0])["s12"] / 1000.0


def polyline_km(geom):
    """Independent geodesic length of a (multi)line: geographiclib over its vertices."""
    total = 0.0
    for part in shapely.get_parts(geom):
        c = shapely.get_coordinates(part)
        total += sum(geodesic_km(c[i], c[i + 1]) for i in range(len(c) - 1))
    return total


@pytest.fixture(scope="module")
def india_pakistan():
    return get_frontier("india-pakistan")


# --- shared boundaries -------------------------------------------------------------------


def test_iran_pakistan_shared_boundary_is_one_line_of_shared_vertices():
    line = shared_boundary("IRN", "PAK")
    assert line.geom_type == "MultiLineString"
    assert len(line.geoms) == 1
    assert len(line.geoms[0].coords) == 223
    length = polyline_km(line)
    assert 810 < length < 825  # ~817 km on Natural Earth 1:10m
    start, end = line.geoms[0].coords[0], line.geoms[0].coords[-1]
    assert start[1] < 25.5 and end[1] > 29.5  # runs from the coast north to Afghanistan


@pytest.mark.parametrize(("a", "b"), [("IRN", "PAK"), ("IND", "CHN"), ("FRA", "ESP")])
def test_shared_boundary_does_not_depend_on_order_or_case(a, b):
    one = shared_boundary(a, b)
    two = shared_boundary(b.lower(), a)
    assert one.equals(two)
    assert shapely.get_coordinates(one).tolist() == shapely.get_coordinates(two).tolist()


def test_multi_part_boundary_is_ordered_west_to_east():
    line = shared_boundary("IND", "CHN")  # cut by Nepal and Bhutan
    assert len(line.geoms) == 3
    west = [float(shapely.get_coordinates(g)[:, 0].min()) for g in line.geoms]
    assert west == sorted(west)


def test_point_touch_is_not_a_frontier():
    # two squares meeting at one corner share no line
    import geopandas as gpd

    table = gpd.GeoDataFrame(
        {"iso3": ["XAA", "XBB"], "name": ["A", "B"]},
        geometry=[shapely.box(0, 0, 1, 1), shapely.box(1, 1, 2, 2)],  # touch at (1, 1)
        crs=4326,
    )
    with pytest.raises(FrontierError, match="XAA and XBB share no boundary"):
        shared_boundary("XAA", "XBB", table)


def test_no_shared_border_lists_neighbours():
    with pytest.raises(FrontierError, match="FRA and PAK share no boundary") as info:
        shared_boundary("PAK", "FRA")
    assert "FRA borders:" in str(info.value)
    assert "ESP" in str(info.value) and "DEU" in str(info.value)


def test_neighbours_of_pakistan():
    assert neighbours("PAK") == ("AFG", "CHN", "IND", "IRN")


def test_same_country_twice_and_unknown_code():
    with pytest.raises(FrontierError, match="two different countries"):
        shared_boundary("PAK", "pak")
    with pytest.raises(BoundaryError, match="unknown country code 'PKA'"):
        get_frontier("PKA-IRN")


# --- named frontiers ------------------------------------------------------------------------


def test_catalogue_names():
    assert set(list_frontiers()) >= {
        "iran-pakistan",
        "afghanistan-pakistan",
        "india-china",
        "india-pakistan",
    }


def test_iran_pakistan_measured_beside_cited():
    f = get_frontier("iran-pakistan")
    assert isinstance(f, Frontier)
    assert f.countries == ("IRN", "PAK")
    assert 810 < f.length_km < 825
    assert f.length_km == pytest.approx(polyline_km(f.geometry), rel=1e-6)
    cited = {c.length_km: c.source for c in f.cited_lengths}
    assert 909.0 in cited
    assert "Schofield" in cited[909.0]
    assert f.length_note  # one line on why they differ
    assert "\n" not in f.length_note
    assert f.length_km < min(cited)  # generalised line measures shorter


@pytest.mark.parametrize(
    "query", ["IRN-PAK", "PAK-IRN", "irn-pak", "Iran-Pakistan", "pakistan iran"]
)
def test_pair_and_name_spellings_give_the_same_frontier(query):
    f = get_frontier(query)
    assert f.name == "iran-pakistan"
    assert f.geometry.equals(get_frontier("iran-pakistan").geometry)


def test_unnamed_pair_gives_a_derived_frontier():
    f = get_frontier("FRA-ESP")
    assert f.name == "ESP-FRA"
    assert f.countries == ("ESP", "FRA")
    assert f.cited_lengths == ()
    assert len(f.segments) == 1 and f.segments[0].kind == "shared boundary"
    assert f.geometry.equals(get_frontier("esp-fra").geometry)
    assert 500 < f.length_km < 700


def test_unknown_frontier_name_suggests_close_names():
    with pytest.raises(FrontierError, match="unknown frontier 'indai-pakistan'") as info:
        get_frontier("indai-pakistan")
    assert "india-pakistan" in str(info.value)
    with pytest.raises(FrontierError, match="non-empty"):
        get_frontier("  ")


def test_durand_line():
    f = get_frontier("durand line")
    assert f.name == "afghanistan-pakistan"
    assert 2200 < f.length_km < 2300
    assert 2670.0 in [c.length_km for c in f.cited_lengths]


def test_india_china_de_facto_line():
    f = get_frontier("india-china")
    assert [s.kind for s in f.segments] == [
        "de facto line",
        "international border",
        "de facto line",
    ]
    assert 2300 < f.length_km < 2400
    assert 3488.0 in [c.length_km for c in f.cited_lengths]
    assert sum(s.length_km for s in f.segments) == pytest.approx(f.length_km, rel=1e-9)


# --- India-Pakistan segments ----------------------------------------------------------


def test_india_pakistan_segment_kinds_in_order(india_pakistan):
    assert [s.kind for s in india_pakistan.segments] == [
        "international border",
        "working boundary",
        "line of control",
        "actual ground position line",
    ]
    assert len(india_pakistan.split_points) == 3


def test_line_of_control_is_its_own_line_from_manawar_to_nj9842(india_pakistan):
    loc = india_pakistan.segment("line of control")
    coords = shapely.get_coordinates(loc.geometry)
    south, north = coords[0], coords[-1]
    assert geodesic_km(south, MANAWAR) < 1  # the Karachi Agreement's southern end
    assert geodesic_km(north, NJ9842) < 5
    assert 600 < loc.length_km < 760  # 740 km published; 1:10m is shorter
    assert loc.length_km == pytest.approx(polyline_km(loc.geometry), rel=1e-6)
    assert 740.0 in [c.length_km for c in loc.cited_lengths]


def test_working_boundary_ends_at_manawar_not_the_chickens_neck(india_pakistan):
    """The 1949 line begins at Manawar; the Chicken's Neck is a Sialkot salient (WB)."""
    split = next(p for p in india_pakistan.split_points if "Manawar" in p.name)
    assert (split.lon, split.lat) == (74.31, 32.81)
    assert "Karachi Agreement" in split.source and "Manawar" in split.source
    wb = india_pakistan.segment("working boundary")
    assert wb.length_km == pytest.approx(161.3, abs=0.05)  # what `bordermap frontier` prints
    assert wb.length_km == pytest.approx(polyline_km(wb.geometry), rel=1e-6)
    # about 0.83 of the published 193-198 km, as for the international border (1,851.6 / 2,240)
    assert 0.80 < wb.length_km / 195.5 < 0.86
    from bordermap.analysis import distance_to_frontier

    # the Chicken's Neck (a Sialkot salient) is on the working boundary, 34.8 km east of the cut
    lon, lat = CHICKENS_NECK_TIP
    r = distance_to_frontier([lon], [lat], frontier=india_pakistan)
    assert r.segment[0] == "Jammu–Sialkot Working Boundary" and float(r.distance_km[0]) < 0.01
    assert geodesic_km(CHICKENS_NECK_TIP, (split.line_lon, split.line_lat)) == pytest.approx(
        34.8, abs=0.05
    )


def test_chhamb_falls_inside_india_on_the_pre_1971_line(india_pakistan):
    """Natural Earth follows the pre-1971 ceasefire line at Chhamb: 5.1 km on the Indian side."""
    from bordermap.analysis import distance_to_frontier

    r = distance_to_frontier([CHHAMB[0]], [CHHAMB[1]], frontier="india-pakistan")
    assert country_of(*CHHAMB) == "IND"
    assert float(r.distance_km[0]) == pytest.approx(5.1, abs=0.05)
    assert r.segment[0] == "Line of Control"
    assert "pre-1971" in india_pakistan.segment("line of control").note


def test_loc_separates_the_two_kashmirs(india_pakistan):
    loc = india_pakistan.segment("line of control").geometry
    srinagar, muzaffarabad = (74.80, 34.08), (73.47, 34.37)
    assert country_of(*srinagar) == "IND" and country_of(*muzaffarabad) == "PAK"
    link = shapely.LineString([srinagar, muzaffarabad])
    assert link.intersects(loc)
    # the international border and working boundary are nowhere near that link
    assert not link.intersects(india_pakistan.segment("international border").geometry)
    assert not link.intersects(india_pakistan.segment("working boundary").geometry)


def test_segments_are_contiguous_and_add_up(india_pakistan):
    segs = india_pakistan.segments
    for a, b in itertools.pairwise(segs):
        end = shapely.get_coordinates(a.geometry)[-1]
        start = shapely.get_coordinates(b.geometry)[0]
        assert end.tolist() == start.tolist()
    total = sum(s.length_km for s in segs)
    assert total == pytest.approx(india_pakistan.length_km, abs=0.05)
    first = shapely.get_coordinates(segs[0].geometry)[0]
    assert geodesic_km(first, SIR_CREEK_AREA) < 30
    assert 2650 < india_pakistan.length_km < 2800


def test_split_points_are_geodesically_nearest_on_the_line(india_pakistan):
    """Each split lies on the line's geodesic edges, no farther than any densified line point."""
    from bordermap.geodesy import PolylineIndex

    line = india_pakistan.geometry
    dense = shapely.get_coordinates(shapely.segmentize(line, 0.002))
    index = PolylineIndex(line)
    for p in india_pakistan.split_points:
        on_line = (p.line_lon, p.line_lat)
        assert float(index.nearest(*on_line).distance_m) < 0.001
        assert p.offset_km == pytest.approx(geodesic_km((p.lon, p.lat), on_line), abs=1e-6)
        nearest_dense = min(geodesic_km((p.lon, p.lat), q) for q in dense)
        assert p.offset_km <= nearest_dense + 0.05
        assert p.offset_km <= max(p.uncertainty_km, 10)


def test_agpl_runs_north_of_nj9842(india_pakistan):
    agpl = india_pakistan.segment("actual ground position line")
    c = shapely.get_coordinates(agpl.geometry)
    assert geodesic_km(c[0], NJ9842) < 5
    assert c[-1][1] > 35.5  # reaches the China tripoint near Sia Kangri
    assert 50 < agpl.length_km < 120


def test_user_boundary_file_gives_the_same_segments(tmp_path, india_pakistan):
    countries = load_countries()
    path = tmp_path / "south_asia.gpkg"
    countries[countries.iso3.isin(["IND", "PAK", "CHN", "AFG", "IRN"])].to_file(path)
    f = get_frontier("india-pakistan", path)
    assert [s.kind for s in f.segments] == [s.kind for s in india_pakistan.segments]
    assert f.length_km == pytest.approx(india_pakistan.length_km, rel=1e-9)
    assert f.boundaries_source == str(path.resolve())


def test_split_points_far_from_the_line_are_refused():
    countries = load_countries()
    moved = countries[countries.iso3.isin(["IND", "PAK"])].copy()
    moved["geometry"] = moved.geometry.translate(xoff=2.0)  # a wrong file: line 190 km east
    with pytest.raises(FrontierError, match=r"lies \d+ km from the IND–PAK line"):
        get_frontier("india-pakistan", moved)
    # the plain pair still works on that table
    assert get_frontier("IND-CHN", countries).segments


def test_to_dict_is_json_ready(india_pakistan):
    d = india_pakistan.to_dict(include_geometry=True)
    text = json.dumps(d, allow_nan=False)
    back = json.loads(text)
    assert back["countries"] == ["IND", "PAK"]
    assert [s["kind"] for s in back["segments"]][2] == "line of control"
    assert back["geometry"]["type"] == "MultiLineString"
    assert np.isclose(back["length_km"], india_pakistan.length_km, atol=0.05)


# --- CLI --------------------------------------------------------------------------------------


def test_cli_frontier_json(capsys):
    assert main(["frontier", "iran-pakistan", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["countries"] == ["IRN", "PAK"]
    assert 810 < data["length_km"] < 825
    assert 909.0 in [c["length_km"] for c in data["cited_lengths"]]
    assert data["length_note"]


def test_cli_frontier_table(capsys):
    assert main(["frontier", "PAK-IND"]) == 0
    out = capsys.readouterr().out
    assert "Line of Control" in out
    assert "Working Boundary" in out
    assert "NJ9842" in out


def test_cli_frontiers_list(capsys):
    assert main(["frontiers"]) == 0
    out = capsys.readouterr().out
    for name in ("iran-pakistan", "afghanistan-pakistan", "india-pakistan", "india-china"):
        assert name in out
    assert main(["frontiers", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {d["name"] for d in data} >= {"iran-pakistan", "india-china"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["frontier", "FRA-PAK"], "FRA and PAK share no boundary"),
        (["frontier", "indai-pakistan"], "unknown frontier"),
        (["frontier", "QQX-PAK"], "unknown country code"),
        (["frontier", "IRN-PAK", "--boundaries", "/nonexistent/b.gpkg"], "not found"),
    ],
)
def test_cli_errors_are_one_line(capsys, args, message):
    assert main(args) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1
    assert message in lines[0]
    assert "Traceback" not in captured.err


# --- country names as people write them ------------------------------------------------


@pytest.mark.parametrize(
    ("key", "pair"),
    [
        ("DR Congo-Rwanda", {"COD", "RWA"}),
        ("Côte d'Ivoire–Ghana", {"CIV", "GHA"}),
        ("cote-divoire-ghana", {"CIV", "GHA"}),
        ("Burma-Thailand", {"MMR", "THA"}),
        ("north korea-south korea", {"PRK", "KOR"}),
        ("Guinea-Bissau-Senegal", {"GNB", "SEN"}),
    ],
)
def test_frontier_by_country_names_as_reports_spell_them(key, pair):
    assert set(get_frontier(key).countries) == pair


def test_an_ambiguous_or_misspelt_pair_suggests_the_neighbouring_countries():
    # "Congo" is two countries; only the Democratic Republic of the Congo borders Rwanda.
    with pytest.raises(FrontierError, match=r"did you mean: COD-RWA \(Democratic Republic"):
        get_frontier("Congo-Rwanda")
    with pytest.raises(FrontierError, match=r"did you mean: THA-KHM \(Thailand–Cambodia\)"):
        get_frontier("thailnd-cambodia")


def test_natural_earth_names_are_read_as_utf8():
    # The embedded shapefile has no .cpg: read as Latin-1, "Curaçao" came out "CuraÃ§ao".
    names = load_countries().set_index("iso3")["name"]
    assert names["CUW"] == "Curaçao"
    assert names["STP"] == "São Tomé and Principe"
    assert not names.str.contains("Ã", regex=False).any()


def test_a_latin1_shapefile_keeps_its_accents(tmp_path):
    import geopandas as gpd
    from shapely.geometry import box

    gdf = gpd.GeoDataFrame({"ISO_A3": ["CIV"], "NAME": ["Côte d'Ivoire"]},
                           geometry=[box(-8, 4, -3, 10)], crs="EPSG:4326")
    path = tmp_path / "civ.shp"
    gdf.to_file(path, engine="pyogrio", encoding="latin1")
    assert load_countries(path).loc[0, "name"] == "Côte d'Ivoire"
