"""Landmarks and natural features in the curated gazetteer, homonyms, and the issue-10
acceptance: three conflicts mapped and exported from place names only, by the CLI alone."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bordermap.errors import AmbiguousPlaceError
from bordermap.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.load()


# --- homonyms: a lone main-name match over alternate names -------------------------------


def test_main_name_beats_alternate_names_of_smaller_places(gaz):
    # "Goris" is also an alternate name of Gori (Georgia, pop. ~42,000) and Gorey (Ireland);
    # the town whose own name it is (Goris, Armenia, ~17,600) is the answer.
    p = gaz.resolve("Goris")
    assert (p.country, p.geonameid) == ("ARM", 174895)
    # Jermuk: Mets Sepasar (ARM) lists "Jermuk" as an alternate name; with the hint the
    # town itself wins
    p = gaz.resolve("Jermuk", country="ARM")
    assert (p.country, p.geonameid) == ("ARM", 174884)


def test_alternate_name_of_a_much_larger_place_stays_ambiguous(gaz):
    # Çermik (TUR, ~21,000) carries "Jermuk" as an alternate name and is over five times
    # Jermuk's population: no silent choice without a country
    with pytest.raises(AmbiguousPlaceError) as exc:
        gaz.resolve("Jermuk")
    assert {c.place.country for c in exc.value.candidates} >= {"ARM", "TUR"}


def test_two_main_names_stay_ambiguous(gaz):
    with pytest.raises(AmbiguousPlaceError):
        gaz.resolve("Pishin")


# --- the curated landmarks themselves --------------------------------------------------


@pytest.mark.parametrize(
    ("name", "place_id", "kind"),
    [
        ("Ta Moan Thom", "prasat-ta-muen-thom", "temple"),
        ("Prasat Ta Muean Thom", "prasat-ta-muen-thom", "temple"),
        ("Ta Moan Tauch", "prasat-ta-muen-toch", "temple"),
        ("Ta Kwai", "prasat-ta-krabey", "temple"),
        ("Khao Phra Wihan", "preah-vihear-temple", "temple"),
        ("O'Smach", "chong-chom-o-smach-crossing", "crossing"),
        ("Chong Sa-ngam", "chong-sa-ngam-crossing", "crossing"),
        ("Emerald Triangle", "emerald-triangle", "area"),
        ("Galwan River", "galwan-valley", "valley"),
        ("PP14", "patrolling-point-14", "site"),
        ("Pangong Lake", "pangong-tso", "lake"),
        ("Depsang", "depsang-plains", "plain"),
        ("Siachen", "siachen-glacier", "glacier"),
        ("Khaibar Pass", "khyber-pass", "pass"),
        ("Wagah", "wagah-attari-crossing", "crossing"),
        ("Attari", "wagah-attari-crossing", "crossing"),
        ("Zod gold mine", "sotk-gold-mine", "mine"),
    ],
)
def test_landmark_names_and_transliterations_resolve(gaz, name, place_id, kind):
    p = gaz.resolve(name)
    assert (p.id, p.kind) == (place_id, kind)


def test_chushul_is_the_ladakh_village_not_the_tibetan_town(gaz):
    # GeoNames lists "Chushul" as an alternate name of Qushui (Quxu) near Lhasa, 1,100 km away
    p = gaz.resolve("Chushul")
    assert (p.id, p.country) == ("chushul", "IND")


def test_landmarks_agree_with_the_distances_their_sources_state(gaz):
    """The sources' own figures, checked against the coordinates with geographiclib."""
    from geographiclib.geodesic import Geodesic

    g = Geodesic.WGS84

    def km(a, b):
        pa, pb = gaz.resolve(a), gaz.resolve(b)
        return g.Inverse(pa.lat, pa.lon, pb.lat, pb.lon)["s12"] / 1000

    # independent: two places from two sources, and a third source's distance between them
    assert 11.0 < km("Ta Muen Thom", "Ta Krabey") < 12.2  # "11.6 km east" (thai-isan-lao.com)
    assert 4.0 < km("Torkham", "Khyber Pass") < 6.5  # "5 km west of the summit" (Landi Kotal)
    # estimates placed from a stated distance: guards against a slip when editing them
    assert 0.6 < km("Ta Muen Thom", "Ta Muen Toch") < 0.9  # "750 m" (TAT Surin)
    assert 13.0 < km("Chong Sa-ngam", "Anlong Veng") < 19.0  # "about 16 km north"


# --- issue 10 acceptance: three conflicts from place names only, CLI alone -----------------


REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
_beside = Path(sys.executable).with_name("bordermap")
BORDERMAP = str(_beside) if _beside.exists() else shutil.which("bordermap") or "bordermap"

#: layer -> (frontier table name, frontier title on the map, countries of the line,
#: the line or segment the map's distance phrases name)
CONFLICTS = {
    "names-thailand-cambodia-2025": ("KHM-THA", "Cambodia–Thailand border", {"KHM", "THA"},
                                     "the Cambodia–Thailand border"),
    "names-armenia-azerbaijan-2022": ("ARM-AZE", "Armenia–Azerbaijan border", {"ARM", "AZE"},
                                      "from the Armenia–Azerbaijan border"),
    "names-india-china-2020": ("india-china", "India–China frontier (de facto line)",
                               {"IND", "CHN"}, "from the Western and middle sectors (Ladakh"),
}


def cli(*args, input=None, cwd=REPO):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO / "src"), env.get("PYTHONPATH")) if p)
    env.pop("BORDERMAP_PROGRESS", None)
    return subprocess.run([BORDERMAP, *args], input=input, capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=600)


def _payload(html: str) -> dict:
    m = re.search(r"bordermap\.render\([a-z_0-9]+, \{[^}]*\}, (\{.*\})\)\);", html)
    assert m, "runtime call not found"
    return json.loads(m.group(1))


def geodesic_distance_m(lon, lat, lines) -> float:
    """Least WGS84 distance (m) from a point to polylines whose edges are geodesics:
    geographiclib only, a golden-section search along every edge not ruled out by the
    triangle inequality (independent of bordermap's kernel)."""
    from geographiclib.geodesic import Geodesic

    g = Geodesic.WGS84
    best = float("inf")
    for coords in lines:
        dv = [g.Inverse(lat, lon, y, x)["s12"] for x, y in coords]
        best = min(best, *dv)
        for i in range(len(coords) - 1):
            (x0, y0), (x1, y1) = coords[i], coords[i + 1]
            edge = g.InverseLine(y0, x0, y1, x1)
            s = edge.s13
            if (dv[i] + dv[i + 1] - s) / 2 > best:
                continue  # no point of this edge can be nearer than the best so far
            a, b = 0.0, s

            def f(t, edge=edge):
                return g.Inverse(lat, lon, *_pos(edge, t))["s12"]

            r = (5**0.5 - 1) / 2
            c, d = b - r * (b - a), a + r * (b - a)
            fc, fd = f(c), f(d)
            while b - a > 1e-4:
                if fc < fd:
                    b, d, fd = d, c, fc
                    c = b - r * (b - a)
                    fc = f(c)
                else:
                    a, c, fc = c, d, fd
                    d = a + r * (b - a)
                    fd = f(d)
            best = min(best, fc, fd)
    return best


def _pos(line, t):
    p = line.Position(t)
    return p["lat2"], p["lon2"]


@pytest.fixture(scope="module", params=sorted(CONFLICTS))
def conflict(request, tmp_path_factory):
    name = request.param
    out = tmp_path_factory.mktemp(name)
    layer = DATA / f"{name}.yaml"
    m = cli("map", str(layer), "-o", str(out / "m.html"))
    x = cli("export", str(layer), "-o", str(out / "x.gpkg"))
    return name, m, x, out


def test_map_draws_the_frontier_the_layer_is_about(conflict):
    name, m, _, out = conflict
    assert m.returncode == 0, m.stderr
    assert "Traceback" not in m.stderr
    pay = _payload((out / "m.html").read_text(encoding="utf-8"))
    _, title, _, phrase = CONFLICTS[name]
    # exactly the right line: Armenia has four neighbours, the layer names Azerbaijan
    assert pay["frontierTitles"] == [title]
    assert pay["bandWidthsKm"] == [10.0, 25.0, 50.0] and len(pay["bands"]) == 3
    assert pay["ctx"] and all(phrase in c for c in pay["ctx"])
    assert len(pay["inc"]["x"]) == len(pay["labels"]) > 0


def test_export_measures_every_place_against_that_frontier(conflict):
    import pyogrio

    name, _, x, out = conflict
    assert x.returncode == 0, x.stderr
    table, _, countries, _ = CONFLICTS[name]
    path = out / "x.gpkg"
    layers = [n for n, _ in pyogrio.list_layers(path)]
    assert f"frontier-{table}" in layers and f"bands-{table}" in layers
    inc = pyogrio.read_dataframe(path, layer=name)
    line = pyogrio.read_dataframe(path, layer=f"frontier-{table}")
    assert (inc["frontier"] == table).all()
    assert set(inc["side"].dropna()) <= countries | {""}  # "" = on the line (within 100 m)
    parts = []
    for geom in line.geometry:
        for part in getattr(geom, "geoms", [geom]):
            parts.append(list(part.coords))
    for row in inc.itertuples():
        want = geodesic_distance_m(row.geometry.x, row.geometry.y, parts)
        assert abs(row.distance_km * 1000 - want) < 0.005, (row.id, row.place, want)
        # the uncertainty range encloses the distance, and is the place's radius wide
        assert row.min_distance_km <= row.distance_km <= row.max_distance_km
        assert row.max_distance_km <= row.distance_km + row.precision_m / 1000 + 1e-9
    # map and export agree (the map keeps tenths of km)
    pay = _payload((out / "m.html").read_text(encoding="utf-8"))
    assert sorted(pay["inc"]["c"]) == sorted(round(d * 10) for d in inc["distance_km"])


def test_exported_facts_match_the_sources(tmp_path):
    """What the sources say of the places, read back from the exports."""
    import pyogrio

    layer = DATA / "names-thailand-cambodia-2025.yaml"
    r = cli("export", str(layer), "-o", str(tmp_path / "t.gpkg"))
    assert r.returncode == 0, r.stderr
    inc = pyogrio.read_dataframe(tmp_path / "t.gpkg", layer=layer.stem).set_index("place_id")
    # Ta Muen Thom lies "a few dozen metres from the border" (Wikipedia): on the line
    assert inc.loc["prasat-ta-muen-thom", "distance_km"] < 0.1
    # Preah Vihear, awarded to Cambodia in 1962: inside Cambodia, whole extent included
    pv = inc.loc["preah-vihear-temple"]
    assert pv["side"] == "KHM" and bool(pv["side_certain"])
    # Galwan: India's LAC is at PP14 (The Indian Express); the line passes within its radius
    ic = DATA / "names-india-china-2020.yaml"
    r = cli("export", str(ic), "-o", str(tmp_path / "i.gpkg"))
    assert r.returncode == 0, r.stderr
    inc = pyogrio.read_dataframe(tmp_path / "i.gpkg", layer=ic.stem).set_index("place_id")
    assert inc.loc["patrolling-point-14", "min_distance_km"] == 0.0
    assert inc.loc["patrolling-point-14", "distance_km"] < 3.0


# --- used as a stranger would ------------------------------------------------------------


def test_ambiguous_place_in_a_layer_is_one_clear_line(tmp_path):
    text = (DATA / "names-armenia-azerbaijan-2022.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "amb.yaml"
    bad.write_text(text.replace("{place: Jermuk, country: ARM}", "{place: Jermuk}"), "utf-8")
    r = cli("-q", "map", str(bad), "-o", str(tmp_path / "m.html"))  # -q: no progress notes
    assert r.returncode == 1 and not (tmp_path / "m.html").exists()
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr
    line = lines[0]
    assert "amb.yaml, line 14" in line and "impact[1].place" in line
    # the candidates and the hint survive the one-line cut whole
    assert "Jermuk (ARM" in line and "Çermik (TUR" in line
    assert line.endswith("(add 'country: XXX' (ISO-3) or use a more specific name)")


def test_names_layer_from_a_pipe(tmp_path):
    text = (DATA / "names-india-china-2020.yaml").read_text(encoding="utf-8")
    r = cli("export", "-", "-o", "-", input=text)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    places = {f["properties"]["place_id"] for f in doc["features"]}
    assert places == {"galwan-valley", "patrolling-point-14", "pangong-tso",
                      "kailash-range-ladakh", "depsang-plains"}
    assert {f["properties"]["frontier"] for f in doc["features"]} == {"india-china"}


def test_natural_earth_line_in_ladakh_is_the_lac_not_a_claim_line(gaz):
    """The frontier note's figures: the embedded India–China line, measured with
    geographiclib from the sourced points, is where the sources put the LAC."""
    import shapely

    from bordermap.frontiers import get_frontier

    f = get_frontier("india-china")
    seg = f.segment("de facto line")
    assert "not either" in seg.note and "Finger 8" in seg.note
    parts = [shapely.get_coordinates(g).tolist() for g in getattr(seg.geometry, "geoms",
                                                                  [seg.geometry])]
    parts = [p for p in parts if any(76 < x < 80 and 32 < y < 36 for x, y in p)]

    def line_km(lon, lat):
        return geodesic_distance_m(lon, lat, parts) / 1000

    hot = gaz.resolve("Hot Springs")
    assert 1.5 < line_km(hot.lon, hot.lat) < 4.0  # the LAC is "3 km to the east"
    assert 4.5 < line_km(78.1656, 34.7491) < 8.0  # PP14 "five to six km east" of the mouth
    chushul = gaz.resolve("Chushul")
    assert 4.0 < line_km(chushul.lon, chushul.lat) < 14.0  # "about 5 miles east"
