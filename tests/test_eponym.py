"""A town and the administrative area named after it (bordermap.gazetteer.eponym).

Oracles: the GeoNames records read straight from ``cities500.json`` and the polygons
read straight from ``geodata/admin1.json`` (shapely), not through the index; distances
with geographiclib.  Fixture gazetteers (a town just inside, just outside and far
outside its same-name area; a same-name town abroad) check that the rule pairs only a
town with the area that holds it and never chooses silently between different places.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
import shapely
from geographiclib.geodesic import Geodesic

from bordermap import gazetteer as gz
from bordermap.errors import AmbiguousPlaceError
from bordermap.gazetteer import Gazetteer, geocode, geocode_frame
from test_cli import cli

WGS84 = Geodesic.WGS84
ADMIN = {a["id"]: a for a in json.loads(
    (gz._default_curated_path().parent / "admin1.json").read_text("utf-8"))["areas"]}


def _geonames(name: str, cc2: str) -> tuple[float, float]:
    """(lon, lat) of the most populous GeoNames place of that name in that country."""
    data = json.loads(gz._default_geonames_path().read_text(encoding="utf-8"))
    recs = [r for r in data.values() if r["name"] == name and r["countrycode"] == cc2]
    best = max(recs, key=lambda r: int(r.get("population") or 0))
    return float(best["longitude"]), float(best["latitude"])


# query, GeoNames name, ISO-2, Natural Earth area id of the same-name province
CAPITALS = [
    ("Asuncion", "Asunción", "PY", "PRY-4837"),
    ("Bangkok", "Bangkok", "TH", "THA-416"),
    ("Phnom Penh", "Phnom Penh", "KH", "KHM-1789"),
    ("Kandahar", "Kandahār", "AF", "AFG-1754"),
    ("Sisaket", "Si Sa Ket", "TH", "THA-425"),
    ("Surin", "Surin", "TH", "THA-443"),
]


@pytest.mark.parametrize(("query", "gname", "cc2", "area_id"), CAPITALS)
def test_a_bare_name_is_the_town_and_the_kind_word_reaches_the_area(query, gname, cc2, area_id):
    lon, lat = _geonames(gname, cc2)
    area = shapely.from_wkt(ADMIN[area_id]["wkt"])
    assert area.covers(shapely.Point(lon, lat))  # the premise: the town is in its area
    town = geocode(query)
    assert town.kind == "town" and town.area_wkt is None
    assert WGS84.Inverse(lat, lon, town.lat, town.lon)["s12"] < 1.0
    assert geocode(f"{query} city") == town
    province = geocode(f"{query} province")
    assert province.id == f"admin1:{area_id}" and province.kind == "province"
    assert shapely.from_wkt(province.area_wkt).equals(area)


def test_the_area_is_still_listed_among_the_candidates():
    r = gz.geocode_result("Kandahar")
    ids = [c.place.id for c in r.candidates]
    assert "admin1:AFG-1754" in ids and r.place.id == ids[0]
    # Kandahār in India is 21 times smaller: population still decides between towns
    assert any(c.place.country == "IND" and c.place.kind == "town" for c in r.candidates)


def _fixture(tmp_path, towns, areas):
    """A gazetteer of ``towns`` [(id, name, lon, lat, cc2, pop)] and ``areas``
    [(id, name, iso3, wkt)] only (an empty curated file)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    curated = tmp_path / "c.yaml"
    curated.write_text("places: []\n", encoding="utf-8")
    geon = tmp_path / "g.json"
    geon.write_text(json.dumps({str(i): {
        "geonameid": i, "name": n, "latitude": la, "longitude": lo, "countrycode": cc,
        "population": pop, "alternatenames": []} for i, n, lo, la, cc, pop in towns}), "utf-8")
    admin = tmp_path / "a.json"
    admin.write_text(json.dumps({"source": "test fixture", "error_m": 1196.0, "areas": [
        {"id": i, "name": n, "aliases": [], "type": "Province", "country": cc, "wkt": w}
        for i, n, cc, w in areas]}), "utf-8")
    return Gazetteer.load(curated_path=curated, geonames_path=geon, admin_path=admin,
                          directory=tmp_path / "cache")


SQUARE = "POLYGON ((100 10, 101 10, 101 11, 100 11, 100 10))"  # THA-like, lon 100-101


def _east_of_edge(km: float) -> float:
    """Longitude ``km`` east of the square's east edge (lon 101) at lat 10.5."""
    return WGS84.Direct(10.5, 101.0, 90.0, km * 1000.0)["lon2"]


def test_a_town_inside_or_on_the_edge_of_its_area_answers_for_it(tmp_path):
    g = _fixture(tmp_path, [(1, "Khet", _east_of_edge(0.8), 10.5, "TH", 30000)],
                 [("THA-1", "Khet", "THA", SQUARE)])
    # 800 m outside the simplified polygon: within its 1,196 m error, still "inside"
    assert g.resolve("Khet").id == "geonames:1"
    assert g.resolve("Khet province").id == "admin1:THA-1"


def test_a_town_outside_its_namesake_area_stays_ambiguous(tmp_path):
    g = _fixture(tmp_path, [(1, "Khet", _east_of_edge(5.0), 10.5, "TH", 30000)],
                 [("THA-1", "Khet", "THA", SQUARE)])
    with pytest.raises(AmbiguousPlaceError) as info:
        g.resolve("Khet")
    assert {c.place.id for c in info.value.candidates} == {"geonames:1", "admin1:THA-1"}
    assert info.value.suggestion == (
        "write 'Khet city' or 'Khet province' (a kind word decides), or add a country hint")
    assert "'Khet city' or 'Khet province'" in str(info.value)
    assert g.resolve("Khet city").id == "geonames:1"


def test_a_namesake_town_abroad_is_not_outweighed_by_the_pair(tmp_path):
    inside = (1, "Khet", 100.5, 10.5, "TH", 30000)
    abroad = (2, "Khet", 20.0, 45.0, "RO", 20000)  # comparable population: a real tie
    g = _fixture(tmp_path, [inside, abroad], [("THA-1", "Khet", "THA", SQUARE)])
    with pytest.raises(AmbiguousPlaceError) as info:
        g.resolve("Khet")
    assert {c.place.id for c in info.value.candidates} == {"geonames:1", "geonames:2",
                                                          "admin1:THA-1"}
    assert "'Khet city' or 'Khet province'" in info.value.suggestion
    assert g.resolve("Khet", country="THA").id == "geonames:1"
    # five times the population decides between towns, as without the area
    big = (1, "Khet", 100.5, 10.5, "TH", 100001)
    g2 = _fixture(tmp_path / "b", [big, abroad], [("THA-1", "Khet", "THA", SQUARE)])
    assert g2.resolve("Khet").id == "geonames:1"


def test_a_town_of_another_country_inside_the_polygon_does_not_pair(tmp_path):
    g = _fixture(tmp_path, [(1, "Khet", 100.5, 10.5, "KH", 30000)],
                 [("THA-1", "Khet", "THA", SQUARE)])
    with pytest.raises(AmbiguousPlaceError):
        g.resolve("Khet")


def test_cli_distance_to_a_frontier_from_a_capital_named_like_its_province():
    lon, lat = _geonames("Asunción", "PY")
    by_name = cli("distance", "Asuncion", "-f", "PRY-BOL", "--json")
    assert by_name.returncode == 0, by_name.stderr
    by_point = cli("distance", "-f", "PRY-BOL", "--json", "--", f"{lon},{lat}")
    assert by_point.returncode == 0, by_point.stderr
    a, b = (json.loads(r.stdout)["results"][0] for r in (by_name, by_point))
    assert a["distance_km"] == b["distance_km"] and a["country"] == "PRY"
    assert (a["lon"], a["lat"]) == (b["lon"], b["lat"])


def test_cli_ambiguity_names_the_kind_words(tmp_path):
    # "Khet" is unknown to the embedded gazetteer: a user file brings town and area apart
    r = cli("geocode", "Surin province")
    assert r.returncode == 0 and "province" in r.stdout.splitlines()[0]
    user = tmp_path / "mine.csv"
    rows = [f"k{i},Khetpura,{'town' if i % 2 else 'temple'},THA,100.{i},10.5,500\n"
            for i in range(1, 13)]  # twelve candidates: more than one line can list
    user.write_text("id,name,kind,country,lon,lat,precision_m\n" + "".join(rows), "utf-8")
    r = cli("geocode", "Khetpura", "--gazetteer", str(user))
    assert r.returncode == 1
    (line,) = [ln for ln in r.stderr.splitlines() if ln.startswith("bordermap: error:")]
    assert "matches 12 places" in line and "more (write 'Khetpura city' or 'Khetpura "\
        "temple' (a kind word decides), or add a country hint)" in line, line
    assert "message cut" not in line and len(line) <= 820


def test_batch_geocoding_follows_the_same_rule():
    frame = geocode_frame(
        __import__("pandas").DataFrame({"p": ["Bangkok", "Kandahar", "Kandahar province",
                                              "Punjab"]}), "p")
    assert frame["status"].tolist() == ["ok", "ok", "ok", "ambiguous"]
    assert frame["place_id"].tolist()[:3] == [geocode("Bangkok city").id,
                                              geocode("Kandahar city").id, "admin1:AFG-1754"]
    lon, lat = _geonames("Bangkok", "TH")
    assert WGS84.Inverse(lat, lon, frame.loc[0, "lat"], frame.loc[0, "lon"])["s12"] < 1.0


def test_cli_geocode_csv_flags_an_unpaired_namesake_with_the_kind_words(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("place\nPhnom Penh\nSi Sa Ket province\n", encoding="utf-8")
    r = cli("geocode", "--csv", str(src), "--column", "place", "-o", "-")
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [x["status"] for x in rows] == ["ok", "ok"]
    assert rows[0]["place_id"] == geocode("Phnom Penh city").id
    assert rows[1]["place_id"] == "admin1:THA-425"


@pytest.mark.parametrize(("query", "word", "found"), [
    ("Kupwara district", "district", "Kupwara (IND, town)"),
    ("Lahore province", "province", "Lahore (PAK, town)"),
])  # fmt: skip
def test_a_kind_word_the_name_does_not_have_says_what_the_name_is(query, word, found):
    from bordermap.errors import UnknownPlaceError

    base = query.rsplit(" ", 1)[0]
    assert geocode(base).kind == "town"  # the premise: the bare name is a town
    with pytest.raises(UnknownPlaceError) as info:
        geocode(query)
    assert found in info.value.suggestions
    hint = info.value.suggestion
    assert f"no place of the kind '{word}'" in hint and f"without '{word}'" in hint
    assert ("second-level areas" in hint) == (word == "district")
