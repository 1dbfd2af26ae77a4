"""Maps: payload values, geodesic shapes, safe serialisation, offline HTML, CLI."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from pathlib import Path

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic

from bordermap._assets import js_json
from bordermap.errors import ExportError, LayerError
from bordermap.incidents import (
    Claim,
    Incident,
    Layer,
    Location,
    Range,
    Source,
    load_layer,
    parse_date,
)
from bordermap.maps import (
    COORD_DECIMALS,
    FRONTIER_STYLES,
    build_map,
    make_map,
    map_payload,
    parse_corridor_km,
    save_map,
)
from conftest import INJECTION_CORPUS, hostile

WGS84 = Geodesic.WGS84
SRC = Source("Example Wire", "A report", parse_date("2024-01-17"), "https://example.org/r")


def incident(**kw) -> Incident:
    base = dict(
        id="a",
        title="Strike",
        date=parse_date("2024-01-16"),
        kind="missile strike",
        actor="IRN",
        target_side="PAK",
        impacts=(Location(63.72, 26.95, 5000.0, name="Koh-e-Sabz area", country="PAK"),),
        sources=(SRC,),
    )
    base.update(kw)
    return Incident(**base)


def payload_of(*incs, **kw):
    kw.setdefault("corridor_km", ())
    kw.setdefault("basemap", False)
    return map_payload(Layer("t", "Test", tuple(incs)), **kw)


def payload_from_html(text: str) -> dict:
    m = re.search(r"bordermap\.render\([a-z_0-9]+, \{[^}]*\}, (\{.*\})\)\);", text)
    assert m, "runtime call not found"
    return json.loads(m.group(1))


# ---------------------------------------------------------------------------- JSON


@pytest.mark.parametrize("text", [*INJECTION_CORPUS, "\u2028\u2029", "{%- x %}{# y #}"])
def test_js_json_round_trips_and_cannot_close_script(text):
    out = js_json({"t": text, "n": [1, 2]})
    assert json.loads(out) == {"t": text, "n": [1, 2]}
    for bad in ("<", ">", "&", "\u2028", "\u2029", "{{", "{%", "{#"):
        assert bad not in out


def test_payload_columns_round_coordinates_to_5_decimals():
    inc = incident(impacts=(Location(63.123456789, 26.987654321, 100.0),))
    p = payload_of(inc, frontiers=[])
    assert COORD_DECIMALS == 5
    assert p["inc"]["x"] == [6312346] and p["inc"]["y"] == [2698765]
    # the rounding error is below 1.2 m on the ground
    err = WGS84.Inverse(26.987654321, 63.123456789, 2698765e-5, 6312346e-5)["s12"]
    assert err < 1.2


def test_context_is_the_geodesic_distance_to_the_nearest_frontier():
    from bordermap.analysis import analyse

    p = payload_of(incident())
    a = analyse([(63.72, 26.95)], frontier="iran-pakistan")
    km = float(a.loc[0, "distance_km"])
    assert p["inc"]["c"] == [round(km * 10)]
    assert p["ctx"] == ["{km} km inside Pakistan from the Iran–Pakistan international border"]
    assert 30 < km < 60  # Koh-e-Sabz lies well inside Pakistan, tens of km from Iran
    assert p["frontierTitles"] == ["Iran–Pakistan border"]


def test_default_frontiers_follow_the_incident_countries():
    p = payload_of(
        incident(actor="PAK", target_side="IND", impacts=(Location(74.3, 34.4, 5000.0),))
    )
    assert p["frontierTitles"] == ["India–Pakistan frontier"]
    styles = {s["label"]: s for s in p["lineStyles"]}
    loc, intl = styles["Line of Control"], styles["International border"]
    assert (loc["color"], loc["dash"]) == FRONTIER_STYLES["line of control"][:3:2]
    assert intl["dash"] is None and loc["color"] != intl["color"]
    assert "Working Boundary" in styles


def test_uncertainty_circle_vertices_are_at_precision_m_geodesically():
    p = payload_of(incident(impacts=(Location(74.0, 34.0, 25_000.0),)), frontiers=[])
    ring = np.array(p["unc"][0]["rings"])  # [lat, lon]
    assert len(ring) == 49 and (ring[0] == ring[-1]).all()
    d = [WGS84.Inverse(34.0, 74.0, la, lo)["s12"] for la, lo in ring[:-1]]
    assert max(abs(x - 25_000.0) for x in d) < 1.0  # 5-decimal rounding only


def test_curated_area_replaces_the_circle():
    from bordermap.gazetteer import geocode

    place = geocode("Koh-e-Sabz")
    loc = Location(
        place.lon, place.lat, place.precision_m, name=place.name, country="PAK",
        place_id=place.id, place_kind="area",
    )  # fmt: skip
    p = payload_of(incident(impacts=(loc,)), frontiers=[])
    ring = np.array(p["unc"][0]["rings"][0][0])
    # the curated polygon near the border (issue 8: about 90 km from Panjgur, BBC Urdu)
    assert ring[:, 1].min() == pytest.approx(63.14) and ring[:, 1].max() == pytest.approx(63.57)
    assert ring[:, 0].min() == pytest.approx(26.45) and ring[:, 0].max() == pytest.approx(27.29)


def test_strike_vector_is_a_geodesic_with_an_arrowhead_at_the_impact():
    origin = Location(60.9, 29.5, 10_000.0, name="launch area")  # Iranian side, ~400 km away
    p = payload_of(incident(origin=origin), frontiers=[])
    (arc,) = p["arcs"]
    line = np.array(arc["line"])
    assert tuple(line[0]) == (29.5, 60.9) and tuple(line[-1]) == (26.95, 63.72)
    total = WGS84.Inverse(29.5, 60.9, 26.95, 63.72)["s12"]
    for la, lo in line[1:-1]:  # each vertex lies on the geodesic: d(o,v) + d(v,i) == d(o,i)
        s = WGS84.Inverse(29.5, 60.9, la, lo)["s12"] + WGS84.Inverse(la, lo, 26.95, 63.72)["s12"]
        assert s - total < 0.5
    # launch point ±10 km, impact ±its own radius: the range combines both ends (km_text rounding)
    r_km = (10_000.0 + p["details"][0]["pm"]) / 1000
    lo, hi = round(total / 1000 - r_km), round(total / 1000 + r_km)
    want = (f"({total / 1000:,.0f} km, geodesic (anywhere from {lo:,} to {hi:,} km: the ends "
            f"are known to \u00b1{round(r_km):,} km))")
    assert want in arc["label"], arc["label"]

    head = np.array(arc["head"])
    assert tuple(head[1]) == (26.95, 63.72)
    back = WGS84.Inverse(26.95, 63.72, 29.5, 60.9)["azi1"]
    for (la, lo), sign in ((head[0], -1), (head[2], 1)):
        g = WGS84.Inverse(26.95, 63.72, la, lo)
        assert g["s12"] == pytest.approx(20_000.0, abs=1.0)
        assert (g["azi1"] - back) == pytest.approx(sign * 22.0, abs=0.01)


def test_strike_vector_label_says_direction_only_when_the_ends_are_vaguer_than_the_length():
    origin = Location(63.0, 27.5, 300_000.0, name="side marker")  # ±300 km, ~83 km away
    p = payload_of(incident(origin=origin), frontiers=[])
    (arc,) = p["arcs"]
    assert "direction only: the ends are known to \u00b1" in arc["label"]
    assert "anywhere" not in arc["label"]


def test_details_are_deduplicated_and_sources_indexed():
    a = incident(id="a")
    b = incident(id="b", date=parse_date("2024-01-18"))
    claim = Claim("PAK", casualties=(("killed", Range(2, 2, 2)),), hit="a house", sources=(SRC,))
    c = incident(id="c", claims=(claim,))
    p = payload_of(a, b, c, frontiers=[])
    assert p["inc"]["i"] == [0, 0, 1]
    assert p["inc"]["d"] == [0, 1, 0]
    assert p["sources"] == [
        ["Example Wire", "A report", "2024-01-17", "https://example.org/r", None]
    ]
    assert p["details"][1]["cl"] == [
        {"c": "PAK", "cas": [["killed", "2"]], "h": "a house", "s": [0]}
    ]
    assert p["dates"][1][:2] == ["2024-01-18", "day"]


def test_a_non_http_url_is_rendered_inert_even_if_it_bypasses_the_loader():
    bad = Source("P", "T", url="javascript:alert(1)")
    p = payload_of(incident(sources=(bad,)), frontiers=[])
    assert p["sources"][0][3] is None


def test_loader_refuses_javascript_urls(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text(
        "title: x\nincidents:\n  - id: a\n    title: t\n    date: 2024-01-01\n"
        "    kind: shelling\n    actor: PAK\n    impact: {lon: 70, lat: 30, precision_m: 10}\n"
        "    sources:\n      - {publisher: p, title: t, date: 2024-01-01,\n"
        "         url: 'javascript:alert(1)'}\n"
    )
    with pytest.raises(LayerError, match="javascript") as exc:
        load_layer(path)
    assert exc.value.line == 11 and exc.value.field.endswith("sources[0].url")


# ------------------------------------------------------------------------- HTML


def test_hostile_text_never_appears_raw_in_the_html(hostile_layer):
    layer = load_layer(hostile_layer)
    for offline in (False, True):
        text = build_map(layer, corridor_km=(10,), offline=offline).get_root().render()
        for raw in INJECTION_CORPUS:
            if raw.startswith(("`", "${", "C:")):
                continue  # harmless inside JSON strings; checked in the browser
            assert raw not in text.replace(hostile("layer title"), ""), raw
        assert text.count("<script>alert(1)") == 0
        title = re.search(r"<title>(.*?)</title>", text, re.S).group(1)
        assert "&#123;&#123;7*7&#125;&#125;" in title  # escaped as text (html_text)
        assert html.unescape(title) == hostile("layer title")
        assert "49 &amp;" not in text  # no server-side template evaluation
        p = payload_from_html(text)
        assert p["details"][0]["t"] == hostile("title")
        assert p["title"] == hostile("layer title")
        assert p["details"][0]["cl"][0]["c"] == hostile("claimant")


def test_jinja_in_data_is_not_evaluated_at_build_time():
    inc = incident(title="{{ 7*7 }} {% if 1 %}yes{% endif %} {{ cycler.__init__ }}")
    text = build_map(Layer("t", "{{ 6*6 }}", (inc,)), corridor_km=()).get_root().render()
    p = payload_from_html(text)
    assert p["details"][0]["t"] == inc.title
    assert p["title"] == "{{ 6*6 }}"
    assert "36" not in re.findall(r"<title>(.*)</title>", text)[0]


def test_offline_html_has_no_network_references(tmp_path):
    layer = Layer("t", "Test", (incident(),))
    text = save_map(build_map(layer, offline=True), tmp_path / "m.html").read_text()
    assert "<script src" not in text and "<link" not in text
    assert not re.search(r"url\((?!data:|#)", text)  # css images inlined
    assert "L.tileLayer" not in text
    assert "window.L=" in text  # Leaflet inlined
    assert "Offline basemap" in text


def test_online_html_pins_leaflet_with_subresource_integrity():
    text = build_map(Layer("t", "T", (incident(),)), corridor_km=()).get_root().render()
    js = (Path(__file__).parents[1] / "src/bordermap/assets/leaflet/leaflet.js").read_bytes()
    sri = "sha384-" + base64.b64encode(hashlib.sha384(js).digest()).decode()
    assert (
        f'src="https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js" integrity="{sri}"'
        in text
    )
    for name in ("OpenStreetMap.Mapnik", "OpenTopoMap", "Esri.WorldImagery"):
        assert f'"{name}"' in text
    assert "jquery" not in text.lower() and "bootstrap" not in text.lower()


def test_save_map_is_atomic(tmp_path, monkeypatch):
    out = tmp_path / "m.html"
    out.write_text("previous")
    m = build_map(Layer("t", "T", (incident(),)), corridor_km=(), offline=True)
    root = m.get_root()

    def boom(**kw):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(root, "render", boom)
    with pytest.raises(ExportError, match="No space left"):
        save_map(m, out)
    assert out.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["m.html"]


def test_save_map_into_a_file_path_fails_clearly(tmp_path):
    (tmp_path / "afile").write_text("x")
    m = build_map(Layer("t", "T", ()), corridor_km=(), offline=True)
    with pytest.raises(ExportError) as exc:
        save_map(m, tmp_path / "afile" / "m.html")
    assert exc.value.path.endswith("m.html")


def test_parse_corridor_km():
    assert parse_corridor_km("50,10, 25,10") == (10.0, 25.0, 50.0)
    assert parse_corridor_km("") == () and parse_corridor_km(None) == ()
    with pytest.raises(ExportError, match="'ten'") as exc:
        parse_corridor_km("10,ten")
    assert exc.value.field == "corridor_km"


@pytest.mark.parametrize("bad", ["0", "10,0", "-5", "nan", "inf"])
def test_parse_corridor_km_refuses_what_export_refuses(bad):
    """One rule for km lists: 0 is refused by the map as by the export (it was dropped)."""
    from bordermap.io._export import _bands_arg

    with pytest.raises(ExportError) as exc:
        parse_corridor_km(bad)
    assert exc.value.field == "corridor_km" and "corridor_km" in str(exc.value)
    with pytest.raises(ExportError) as exc:
        _bands_arg(bad, "bands_km")
    assert exc.value.field == "bands_km"


def test_map_command_names_the_bad_corridor_option(tmp_path):
    with pytest.raises(ExportError, match="corridor_km must be greater than 0 km"):
        layer = Path(__file__).parents[1] / "layers" / "iran-pakistan-2024.yaml"
        make_map([layer], tmp_path / "m.html", corridor_km="0")
    assert not (tmp_path / "m.html").exists()


# -------------------------------------------------------------------------- CLI


def test_cli_map_writes_an_offline_file(hostile_layer, tmp_path, capsys):
    from bordermap.cli import main

    out = tmp_path / "out" / "h.html"
    rc = main(["map", str(hostile_layer), "-o", str(out), "--corridor-km", "10", "--offline"])
    assert rc == 0 and out.exists()
    p = payload_from_html(out.read_text())
    assert len(p["inc"]["x"]) == 2 and len(p["bands"]) == 1
    assert capsys.readouterr().out.strip() == f"wrote {out}"


def test_cli_map_bad_layer_is_one_line_error(tmp_path, capsys):
    from bordermap.cli import main

    rc = main(["map", str(tmp_path / "missing.yaml"), "-o", str(tmp_path / "m.html")])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 1 and len(err) == 1 and "missing.yaml" in err[0]


def test_make_map_needs_layers(tmp_path):
    with pytest.raises(LayerError, match="no layer files"):
        make_map([], tmp_path / "m.html")


def test_examples_write_both_scenarios(scenario_maps):
    assert sorted(scenario_maps) == [
        "india-pakistan-2025-offline.html",
        "india-pakistan-2025.html",
        "iran-pakistan-2024-offline.html",
        "iran-pakistan-2024.html",
    ]
    ip = payload_from_html(scenario_maps["iran-pakistan-2024.html"].read_text())
    layer = load_layer(Path(__file__).parents[1] / "layers" / "iran-pakistan-2024.yaml")
    assert len(ip["inc"]["x"]) == sum(len(i.impacts) for i in layer)
    ind = payload_from_html(scenario_maps["india-pakistan-2025-offline.html"].read_text())
    assert "Line of Control" in {s["label"] for s in ind["lineStyles"]}


def test_saved_maps_carry_a_hash_based_content_security_policy(tmp_path):
    layer = Layer("t", "T", (incident(),))
    for offline in (True, False):
        text = save_map(build_map(layer, corridor_km=(), offline=offline), tmp_path / "m.html")
        text = text.read_text()
        policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', text)[1]
        bodies = re.findall(r"<script>(.*?)</script>", text, flags=re.S)
        hashes = {
            "'sha256-" + base64.b64encode(hashlib.sha256(b.encode()).digest()).decode() + "'"
            for b in bodies
        }
        script_src = re.search(r"script-src ([^;]+);", policy)[1].split()
        assert hashes == {h for h in script_src if h.startswith("'sha256-")}
        assert "'unsafe-inline'" not in script_src
        assert policy.startswith("default-src 'none';")
        assert ("img-src data:;" in policy) == offline


def test_cli_map_json(hostile_layer, tmp_path, capsys):
    from bordermap.cli import main

    out = tmp_path / "h.html"
    assert main(["map", str(hostile_layer), "-o", str(out), "--corridor-km", "", "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got == {
        "output": str(out),
        "offline": False,
        "layers": [str(hostile_layer)],
        "rasters": [],
    }
    assert payload_from_html(out.read_text())["bands"] == []


def test_cli_map_draws_a_geotiff_overlay(tmp_path, capsys):
    pytest.importorskip("rasterio")
    from bordermap.cli import main
    from bordermap.examples import layers_dir
    from bordermap.raster import signed_distance_raster

    tif = signed_distance_raster(
        "iran-pakistan", (60.0, 25.0, 65.0, 30.0), tmp_path / "dist.tif", resolution_deg=0.25
    )
    out = tmp_path / "m.html"
    rc = main(
        ["map", str(layers_dir() / "iran-pakistan-2024.yaml"), "-o", str(out), "--offline",
         "--raster", str(tif), "--json"]
    )
    assert rc == 0
    assert json.loads(capsys.readouterr().out)["rasters"] == [str(tif)]
    html_text = out.read_text(encoding="utf-8")
    assert "dist.tif" in html_text  # layer name and legend title
    assert "data:image/png;base64," in html_text  # the overlay travels inside the file


def test_popup_context_carries_the_range_over_the_place_extent():
    """Saravan's point with ±25 km: the payload holds the least/greatest distance (tenths)."""
    from bordermap.analysis import frontier_distance_bounds

    loc = Location(62.33096, 27.37089, 25_000.0, name="Saravan", country="IRN")
    p = payload_of(incident(impacts=(loc,), actor="PAK", target_side="IRN"),
                   frontiers=["iran-pakistan"])
    b = frontier_distance_bounds([62.33096], [27.37089], [25_000.0], frontier="iran-pakistan")
    assert p["inc"]["lo"] == [int(np.floor(b.min_distance_km[0] * 10))]
    assert p["inc"]["hi"] == [int(np.ceil(b.max_distance_km[0] * 10))]
    assert p["inc"]["sc"] == [1]  # 17 km of margin: the whole disc is in Iran
    exact = payload_of(incident(impacts=(Location(62.33096, 27.37089, 0.0, name="x"),)),
                       frontiers=["iran-pakistan"])
    assert "lo" not in exact["inc"]  # an exact point has no range to show


def test_package_keeps_the_public_names():
    """maps became a package: the old module's names are importable from it."""
    import bordermap.maps as maps

    old = {"BAND_DISPLAY_TOLERANCE_M", "BASEMAP_TOLERANCE_M", "COORD_DECIMALS",
           "DOM_MARKER_LIMIT", "FRONTIER_STYLES", "KIND_STYLES", "TILE_PROVIDERS", "build_map",
           "make_map", "map_from_payload", "map_payload", "parse_corridor_km",
           "save_map"}  # fmt: skip
    assert old <= set(maps.__all__) and all(hasattr(maps, n) for n in old)
    assert maps.KIND_STYLES["drone strike"][0].startswith("#")


def test_a_border_no_code_names_gets_its_frontier_on_the_map():
    """Thai and Cambodian incidents: the Cambodia–Thailand border, not a named one far away."""
    loc = Location(103.2, 14.4, 2_000.0, name="near the border", country="THA")
    p = payload_of(incident(impacts=(loc,), actor="KHM", target_side="THA"),
                   corridor_km=(10,))
    assert p["frontierTitles"] == ["Cambodia–Thailand border"]
    assert p["bands"], "corridor bands along that frontier"
    assert p["ctx"] and "from the Cambodia–Thailand border" in p["ctx"][0]


def test_map_command_takes_repeatable_frontiers(tmp_path):
    import shutil
    import subprocess

    exe = shutil.which("bordermap")
    out = tmp_path / "m.html"
    layer = Path(__file__).resolve().parents[1] / "layers" / "india-pakistan-2025.yaml"
    r = subprocess.run([exe, "map", str(layer), "-f", "loc", "-f",
                        "india-china", "-o", str(out), "--corridor-km", ""],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    p = payload_from_html(out.read_text(encoding="utf-8"))
    assert p["frontierTitles"] == ["India–Pakistan frontier",
                                   "India–China frontier (de facto line)"]
