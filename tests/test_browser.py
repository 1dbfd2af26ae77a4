"""Generated maps in headless Chromium, with no network at all.

Offline builds open as they are; online builds get Leaflet from the vendored copy
(routed in place of the CDN) and blank tiles.  Each test checks that nothing
errs, no dialog opens, and what a reader sees: layers, markers, popup text.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import pytest
import yaml
from geographiclib.geodesic import Geodesic

from bordermap.analysis import analyse
from bordermap.incidents import load_layer
from bordermap.maps import build_map, save_map
from conftest import hostile, hostile_layer_doc

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ROOT / "layers"


def control_names(page) -> list[str]:
    return page.eval_on_selector_all(
        ".leaflet-control-layers label", "els => els.map(e => e.textContent.trim())"
    )


def clean(events) -> None:
    assert events["errors"] == []
    assert events["dialogs"] == []


def open_popup(page, index: int):
    """Open point ``index``'s popup, zooming into its cluster first if it is in one."""
    page.evaluate(f"bordermap.states[0].show({index})")
    popup = page.locator(".leaflet-popup-content .bm-popup")
    popup.wait_for(state="visible")
    return popup


def marker_total(page) -> int:
    """Points the map's marker cluster holds (it draws only those in view: singles and
    cluster icons; tests/test_map_reading.py counts those on screen)."""
    return page.evaluate("bordermap.states[0].cluster.getLayers().length")


def popup_lines(popup) -> list[str]:
    return popup.evaluate(
        "el => Array.from(el.children).flatMap(c => c.tagName === 'UL' || c.tagName === 'OL'"
        " ? Array.from(c.children).map(li => li.textContent) : [c.textContent])"
    )


def test_offline_scenario_map(map_page, scenario_maps):
    layer = load_layer(LAYERS / "iran-pakistan-2024.yaml")
    page, events = map_page(scenario_maps["iran-pakistan-2024-offline.html"])
    clean(events)
    assert events["blocked"] == []  # the offline file asked for nothing at all
    names = control_names(page)
    assert names[0] == "Offline basemap (Natural Earth, simplified)"
    for expected in (
        "Frontier: Iran–Pakistan border",
        "Corridor bands 10/25/50 km",
        "missile and drone strike (1)",
        "Location uncertainty",
        "Place labels",
    ):
        assert expected in names
    # a toggle for strike vectors exactly when the layer has launch points (this one has)
    assert any(i.origin for i in layer)
    assert "Strike vectors (geodesic)" in names
    n_points = sum(len(i.impacts) for i in layer)
    assert marker_total(page) == n_points
    assert page.locator(".leaflet-tile").count() == 0

    # the Koh-e-Sabz strike: exact popup lines
    inc = layer.get("ir-strike-koh-e-sabz-2024-01-16")
    order = [i for i in layer for _ in i.impacts]
    popup = open_popup(page, order.index(inc))
    lines = popup_lines(popup)
    gdf = layer.to_geodataframe()
    a = analyse(gdf[gdf["id"] == inc.id].reset_index(drop=True), frontier="iran-pakistan")
    assert lines[0] == inc.title
    assert lines[1] == "2024-01-16 (day) · missile and drone strike"
    assert lines[2] == f"Actor → target: IRN → PAK ({inc.target_group})"
    ctx = next(t for t in lines if t.startswith("Context: "))
    def km_text(x: float) -> str:  # the page shows whole km from 10 km, tenths below
        return f"{x:,.0f}" if x >= 10 or x == 0 else f"{x:.1f}"

    lo = math.floor(a.loc[0, "min_distance_km"] * 10) / 10  # tenths, rounded outwards
    hi = math.ceil(a.loc[0, "max_distance_km"] * 10) / 10
    side = "side certain" if a.loc[0, "side_certain"] else (
        "side uncertain: the place's extent reaches the line")
    assert ctx == (
        f"Context: {a.loc[0, 'distance_km']:.1f} km inside Pakistan "
        f"from the Iran–Pakistan international border (anywhere from {km_text(lo)} to "
        f"{km_text(hi)} km; {side})"
    )
    claimants = [c.claimant for c in inc.claims]
    claim_lines = [t for t in lines if any(t.startswith(c + ": ") for c in claimants)]
    assert len(claim_lines) == len(inc.claims)
    links = popup.locator("a")
    assert links.count() == sum(1 for s in inc.all_sources if s.url)
    for i in range(links.count()):
        assert links.nth(i).get_attribute("rel") == "noopener noreferrer"
        assert links.nth(i).get_attribute("target") == "_blank"
        assert links.nth(i).get_attribute("href").startswith(("https://", "http://"))
    out = ROOT / "output"
    out.mkdir(exist_ok=True)
    page.screenshot(path=str(out / "iran-pakistan-2024-offline.png"))
    clean(events)


def test_online_scenario_map_with_routed_cdn(map_page, scenario_maps):
    page, events = map_page(scenario_maps["india-pakistan-2025.html"], wait_ms=1500)
    clean(events)
    assert events["blocked"] == []
    names = control_names(page)
    for expected in (
        "OpenStreetMap.Mapnik",
        "OpenTopoMap",
        "Esri.WorldImagery",
        "Offline basemap (Natural Earth, simplified)",
        "Frontier: India–Pakistan frontier",
    ):
        assert expected in names
    layer = load_layer(LAYERS / "india-pakistan-2025.yaml")
    assert marker_total(page) == sum(len(i.impacts) for i in layer)
    # and no empty strike-vector toggle on a map with no launch points
    assert ("Strike vectors (geodesic)" in names) == any(i.origin for i in layer)
    assert page.locator(".leaflet-tile-loaded").count() > 0
    # the legend shows the Line of Control distinct from the international border
    legend = page.locator(".bm-legend").text_content()
    assert "Line of Control" in legend and "International border" in legend
    assert page.locator(".bm-popup").count() == 0  # none open yet
    out = ROOT / "output"
    out.mkdir(exist_ok=True)
    page.screenshot(path=str(out / "india-pakistan-2025.png"))
    offline, ev2 = map_page(scenario_maps["india-pakistan-2025-offline.html"], wait_ms=1000)
    clean(ev2)
    offline.screenshot(path=str(out / "india-pakistan-2025-offline.png"))
    if os.environ.get("BORDERMAP_UPDATE_DOCS") == "1":  # refresh the README's screenshot
        order = [i for i in layer for _ in i.impacts]
        first = next(j for j, i in enumerate(order) if i.kind == "militant attack")
        open_popup(offline, first)
        offline.wait_for_timeout(800)  # popup fade-in and auto-pan
        (ROOT / "docs").mkdir(exist_ok=True)
        offline.screenshot(path=str(ROOT / "docs" / "map.png"))
        clean(ev2)


@pytest.mark.parametrize("offline", [True, False])
def test_injection_corpus_shows_literally(map_page, hostile_layer, tmp_path, offline):
    layer = load_layer(hostile_layer)
    path = save_map(build_map(layer, offline=offline), tmp_path / "hostile.html")
    page, events = map_page(path)
    clean(events)
    assert "Strike vectors (geodesic)" in control_names(page)
    assert page.title() == hostile("layer title")
    assert page.locator(".bm-legend-title").text_content() == hostile("layer title")
    assert page.locator(".bm-place-label").first.text_content() in {
        hostile("impact"),
        hostile("origin"),
    }
    popup = open_popup(page, 0)
    lines = popup_lines(popup)
    src = "publisher {0} (authors {0}), “source title {0}”, 2024-01-17"
    corpus = hostile("")[1:]
    assert lines == [
        hostile("title"),
        "2024-01-16 (day) · missile strike",
        f"Actor → target: {hostile('actor')} → {hostile('target')} ({hostile('group')})",
        f"Operation: {hostile('operation')}",
        f"Where: {hostile('impact')} (±5.0 km)",
        f"Launched from: {hostile('origin')}",
        "Context: 43.8 km inside Pakistan from the Iran–Pakistan international border "
        "(anywhere from 39 to 49 km; side certain)",  # ±5 km: 38.8 to 48.8 km, whole km
        "Claims",
        f"{hostile('claimant')}: killed 2 (1–3); hit: {hostile('hit')}; "
        f"outcome: {hostile('outcome')}; notes: {hostile('claim notes')} [1]",
        "Sources",
        src.format(corpus),
        f"Notes: {hostile('notes')}",
    ]
    # nothing in the popup became markup: only text nodes, the one link and its list
    assert popup.locator("img, script, iframe").count() == 0
    link = popup.locator("a")
    assert link.count() == 1
    assert link.get_attribute("href") == "https://example.org/report?a=1&b=%3Cx%3E"
    assert link.get_attribute("rel") == "noopener noreferrer"
    # the tooltip, hovered, shows the title literally
    page.keyboard.press("Escape")
    page.locator(".bm-incident[data-point='0']").hover()
    page.wait_for_timeout(200)
    assert hostile("title") in page.locator(".leaflet-tooltip").all_text_contents()
    clean(events)


def test_javascript_url_is_inert_in_the_browser(map_page, tmp_path):
    from dataclasses import replace

    from bordermap.incidents import Layer, Source

    doc = hostile_layer_doc()
    path = tmp_path / "h.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True))
    layer = load_layer(path)
    bad = Source("P", "T", url="javascript:alert(1)")
    inc = replace(layer.incidents[1], sources=(bad,))
    m = build_map(Layer("x", "X", (inc,)), corridor_km=(), offline=True)
    page, events = map_page(save_map(m, tmp_path / "js.html"))
    popup = open_popup(page, 0)
    assert popup.locator("a").count() == 0
    assert "P, “T”" in popup.text_content()
    assert page.evaluate("bordermap.safeHref('javascript:alert(1)')") is None
    assert page.evaluate("bordermap.safeHref(' https://x.org')") is None
    assert page.evaluate("bordermap.safeHref('https://x.org/a b')") is None
    clean(events)


def test_time_slider_hides_later_incidents(map_page, hostile_layer, tmp_path):
    layer = load_layer(hostile_layer)
    page, events = map_page(save_map(build_map(layer, offline=True), tmp_path / "h.html"))
    assert page.locator(".bm-incident").count() == 2
    page.locator(".bm-slider input").fill("0")
    assert page.locator(".bm-slider-label").text_content() == "Incidents up to 2024-01-16"
    assert page.locator(".bm-incident").count() == 1
    page.locator(".bm-slider input").fill("1")
    assert page.locator(".bm-incident").count() == 2
    assert page.locator(".bm-slider-label").text_content() == "Incidents up to 2024-01-18 (all)"
    clean(events)


def test_measure_tool_is_geodesic(map_page, hostile_layer, tmp_path):
    """The JS measure tool (Vincenty on WGS84) agrees with geographiclib to 1 mm."""
    layer = load_layer(hostile_layer)
    page, events = map_page(save_map(build_map(layer, offline=True), tmp_path / "h.html"))
    pairs = [
        ((26.95, 63.72), (27.2, 61.2)),
        ((34.08, 74.79), (31.52, 74.35)),
        ((0.0, 0.0), (0.5, 179.0)),
        ((-33.9, 18.4), (51.5, -0.1)),
    ]
    for (la1, lo1), (la2, lo2) in pairs:
        js = page.evaluate(f"bordermap.geodesicDistanceM({la1}, {lo1}, {la2}, {lo2})")
        ref = Geodesic.WGS84.Inverse(la1, lo1, la2, lo2)["s12"]
        assert js == pytest.approx(ref, abs=1e-3)
    # and the tool itself: two clicks give the geodesic length of the clicked points
    page.locator(".bm-measure a").click()
    box = page.locator(".leaflet-container").first.bounding_box()
    x0, y0 = box["x"] + 300, box["y"] + 300
    page.mouse.click(x0, y0)
    page.mouse.click(x0 + 200, y0 + 100)
    pts = page.evaluate(
        "() => { const m = Object.values(window).find(v => v instanceof L.Map);"
        " return [m.containerPointToLatLng([300, 300]), m.containerPointToLatLng([500, 400])]; }"
    )
    ref = Geodesic.WGS84.Inverse(pts[0]["lat"], pts[0]["lng"], pts[1]["lat"], pts[1]["lng"])
    measured = page.evaluate("bordermap.states[0].measured_m")
    assert measured == pytest.approx(ref["s12"], rel=1e-6)
    assert page.locator(".bm-measure-out").text_content().startswith("Geodesic length: ")
    clean(events)


def test_large_map_uses_canvas_not_dom_markers(map_page, tmp_path):
    """5,000 points: canvas circle markers, no DOM markers, clicks still open popups."""
    import numpy as np

    from bordermap.incidents import Incident, Layer, Location, Source, parse_date

    rng = np.random.default_rng(1)
    src = Source("Wire", "Bulk", url="https://example.org/b")
    d = parse_date("2024-01-16")
    lon = rng.uniform(61.0, 66.0, 5000)
    lat = rng.uniform(25.5, 29.0, 5000)
    incs = tuple(
        Incident(id=f"i{j}", title="shelling", date=d, kind="artillery/shelling", actor="PAK",
                 impacts=(Location(float(x), float(y), 1000.0),), sources=(src,))
        for j, (x, y) in enumerate(zip(lon, lat, strict=True))
    )  # fmt: skip
    m = build_map(Layer("bulk", "Bulk", incs), corridor_km=(), offline=True, context=False)
    page, events = map_page(save_map(m, tmp_path / "bulk.html"), wait_ms=500)
    clean(events)
    assert page.locator(".leaflet-marker-icon").count() == 0
    assert page.locator(".leaflet-overlay-pane canvas").count() >= 1
    assert page.evaluate("bordermap.states[0].markers") == 5000
    # a canvas marker still opens its popup when clicked
    pts = [
        [round(float(y), 5), round(float(x), 5)] for x, y in zip(lon[:50], lat[:50], strict=True)
    ]
    xy = page.evaluate(
        "pts => { const m = Object.values(window).find(v => v instanceof L.Map);"
        " const c = m.getSize().divideBy(2);"  # the marker nearest the centre, on screen
        " const ps = pts.map(p => m.latLngToContainerPoint(p));"
        " ps.sort((a, b) => a.distanceTo(c) - b.distanceTo(c)); return [ps[0].x, ps[0].y]; }",
        pts,
    )
    box = page.locator(".leaflet-container").first.bounding_box()
    page.mouse.click(box["x"] + xy[0], box["y"] + xy[1])
    popup = page.locator(".leaflet-popup-content .bm-popup")
    popup.wait_for(state="visible")
    assert popup.locator(".bm-title").text_content() == "shelling"
    clean(events)


def test_content_security_policy_blocks_injected_markup(map_page, hostile_layer, tmp_path):
    """Defence in depth: even markup spliced into the saved file cannot run script."""
    layer = load_layer(hostile_layer)
    path = save_map(build_map(layer, offline=True), tmp_path / "h.html")
    text = path.read_text(encoding="utf-8")
    spliced = text.replace(
        "</body>",
        '<img src="x" onerror="alert(1)"><script>alert(2)</script>'
        '<img src="https://example.org/pixel.png"></body>',
    )
    path.write_text(spliced, encoding="utf-8")
    page, events = map_page(path)
    assert events["dialogs"] == []
    assert events["blocked"] == []  # the CSP stopped the image request before the network
    assert all("Content Security Policy" in e for e in events["errors"])
    assert len(events["errors"]) >= 2
    assert page.locator(".bm-incident").count() == 2  # the map itself still works


def test_a_folium_layer_added_after_build_map_joins_the_layer_control(map_page, tmp_path):
    import folium

    from bordermap.maps import build_map, save_map

    m = build_map(load_layer(LAYERS / "iran-pakistan-2024.yaml"), offline=True)
    folium.GeoJson(
        {"type": "LineString", "coordinates": [[63.7, 26.9], [62.3, 27.4]]}, name="my own layer"
    ).add_to(m)
    path = tmp_path / "extra.html"
    save_map(m, path)
    page, events = map_page(path)
    clean(events)
    assert "my own layer" in control_names(page)


def test_raster_overlay_with_legend_on_a_map(map_page, tmp_path):
    """A raster (here a signed-distance grid) drawn on a scenario map with its colour legend."""
    import numpy as np

    from bordermap.maps import build_map, save_map
    from bordermap.raster import make_grid, raster_overlay, signed_distance

    m = build_map(load_layer(LAYERS / "iran-pakistan-2024.yaml"), offline=True)
    name = "Signed distance <img src=x onerror=alert(1)>"
    bbox = (60.0, 25.0, 65.0, 30.0)
    values = signed_distance("iran-pakistan", make_grid(bbox, resolution_deg=0.1))
    assert np.isfinite(values).sum() > 1000
    ov = raster_overlay(values, name=name, bounds=bbox, cmap="diverging", units="km")
    ov.add_to(m)
    path = tmp_path / "raster.html"
    save_map(m, path)
    page, events = map_page(path)
    clean(events)
    assert name in control_names(page)  # shown literally, not as markup
    assert page.locator(".leaflet-image-layer").count() == 1
    assert name in page.locator("body").text_content()  # the legend's title


# --- hostile text in every field, generated from the layer schema --------------------------

#: String fields of the layer dataclasses that cannot hold free text, with the reason.
#: Every other string field gets injection-corpus text; a new field fails the test below
#: until it is either filled (automatically, if the YAML key is the field's name or in
#: YAML_KEYS) or listed here with its reason.
NOT_FREE_TEXT = {
    "Incident.id": "identifier: letters, digits, - _ . : only",
    "Incident.kind": "one of the documented kinds",
    "Incident.path": "set by the loader (the file read)",
    "Location.country": "an ISO-3 code, checked against the point",
    "Location.place_id": "set from the gazetteer, not written in a layer",
    "Location.place_kind": "set from the gazetteer, not written in a layer",
    "Source.id": "identifier cited by claims and incidents",
    "Source.url": "http(s) only; a hostile query string is used instead",
    "DateSpec.text": "the date as written: ISO 8601 only",
    "DateSpec.precision": "year, month, day or time",
    "ReportedDistance.measured_from": "normalised: border, loc, a segment kind or frontier name",
}
#: Dataclass field -> key in a YAML layer, where they differ.
YAML_KEYS = {"Location.name": "label"}
#: Filled fields that no map shows (the popup, tooltips and labels leave them out).
NOT_SHOWN = {
    "impact Location.source": "where a coordinate comes from: kept in exports, not on the map",
    "origin Location.source": "where a coordinate comes from: kept in exports, not on the map",
    "origin Location.note": "only the impact's note has a popup line (Location note)",
    "Source.notes": "the popup's source line is publisher (authors), title, date",
    "impact ReportedDistance.quote": "reported distances are checked by bordermap check; "
    "the popup does not show them",
    "claim ReportedDistance.quote": "reported distances are checked by bordermap check; "
    "the popup does not show them",
}


def _string_fields(cls) -> list[str]:
    import dataclasses

    text = {"str", "str|None", "None|str", "Optional[str]"}
    return [f.name for f in dataclasses.fields(cls) if str(f.type).replace(" ", "") in text]


def _fill(cls, where: str = "") -> dict:
    """A YAML mapping with hostile text in every free-text string field of ``cls``."""
    out = {}
    for name in _string_fields(cls):
        key = f"{cls.__name__}.{name}"
        if key in NOT_FREE_TEXT:
            continue
        out[YAML_KEYS.get(key, name)] = hostile(f"{where}{key}")
    return out


def schema_hostile_layer() -> tuple[dict, dict[str, str]]:
    """The layer document and the hostile text expected per field (``where`` + ``Class.field``)."""
    from bordermap.incidents import Claim, Incident, Location, ReportedDistance, Source

    src = {
        **_fill(Source),
        "id": "s1",
        "date": "2024-01-17",
        "url": "https://example.org/report?a=1&b=<x>&c=\"'`${alert(1)}",
    }
    impact = {**_fill(Location, "impact "), "lon": 63.72, "lat": 26.95, "precision_m": 5000,
              "reported_distance_km": {**_fill(ReportedDistance, "impact "), "km": 3,
                                       "from": "border", "source": "s1"}}
    origin = {**_fill(Location, "origin "), "lon": 61.2, "lat": 27.2, "precision_m": 20000}
    claim = {**_fill(Claim), "casualties": {"killed": {"low": 1, "best": 2, "high": 3}},
             "sources": ["s1"],
             "reported_distance_km": {**_fill(ReportedDistance, "claim "), "km": [3, 4],
                                      "from": "border", "source": "s1"}}  # fmt: skip
    inc = {
        **_fill(Incident),
        "id": "h-1",
        "kind": "missile strike",
        "date": "2024-01-16",
        "impact": [impact],
        "origin": origin,
        "claims": [claim],
        "sources": ["s1"],
    }
    doc = {
        "name": "hostile-schema",
        "title": hostile("layer title"),
        "description": hostile("layer description"),
        "sources": [src],
        "incidents": [inc],
    }
    expected = {}
    for cls, where in ((Source, ""), (Claim, ""), (Incident, ""),
                       (Location, "impact "), (Location, "origin "),
                       (ReportedDistance, "impact "), (ReportedDistance, "claim ")):  # fmt: skip
        for name in _string_fields(cls):
            key = f"{cls.__name__}.{name}"
            if key not in NOT_FREE_TEXT:
                expected[f"{where}{key}"] = hostile(f"{where}{key}")
    return doc, expected


def hostile_frontier():
    """The Iran–Pakistan frontier with hostile text in its title and segment name and kind."""
    from dataclasses import replace

    from bordermap.frontiers import get_frontier

    f = get_frontier("iran-pakistan")
    segs = tuple(replace(s, name=hostile("segment name"), kind=hostile("segment kind"))
                 for s in f.segments)  # fmt: skip
    return replace(f, title=hostile("frontier title"), segments=segs)


def _dataclasses_within(cls, seen=None) -> list:
    """``cls`` and every dataclass its fields hold (directly, in tuples or as Optional)."""
    import dataclasses
    import typing

    seen = [] if seen is None else seen
    if cls in seen:
        return seen
    seen.append(cls)
    for hint in typing.get_type_hints(cls).values():
        stack = [hint]
        while stack:
            t = stack.pop()
            stack.extend(typing.get_args(t))
            if dataclasses.is_dataclass(t) and isinstance(t, type):
                _dataclasses_within(t, seen)
    return seen


def test_every_string_field_of_the_schema_is_filled_or_explained():
    """Every string field of Incident and of every dataclass inside it (Location, Claim,
    Source, and any added later) gets hostile text, or is listed with a reason."""
    from bordermap.incidents import Claim, Incident, Location, Source

    _doc, expected = schema_hostile_layer()
    classes = _dataclasses_within(Incident)
    assert {Location, Claim, Source} <= set(classes)
    for cls in classes:
        for name in _string_fields(cls):
            key = f"{cls.__name__}.{name}"
            filled = any(k.endswith(key) for k in expected)
            assert filled or key in NOT_FREE_TEXT, f"{key}: no hostile text and no reason"
    assert "impact Location.note" in expected and "impact Location.name" in expected
    assert "Claim.claimant" in expected and "Incident.actor" in expected


def _loaded_values(layer) -> dict[str, str]:
    inc = layer.incidents[0]
    got = {}
    for where, obj in (("", inc.sources[0]), ("", inc.claims[0]), ("", inc),
                       ("impact ", inc.impacts[0]), ("origin ", inc.origin),
                       ("impact ", inc.impacts[0].reported_distance),
                       ("claim ", inc.claims[0].reported_distance)):  # fmt: skip
        for name in _string_fields(type(obj)):
            got[f"{where}{type(obj).__name__}.{name}"] = getattr(obj, name)
    return got


def _hover_all_tooltips(page) -> list[str]:
    """Move the real mouse over every marker and over the middle of every interactive
    polyline (strike arcs, frontier segments) and collect the tooltip texts shown."""
    texts = []
    box = page.locator(".leaflet-container").first.bounding_box()
    points = page.evaluate(
        "() => { const m = Object.values(window).find(v => v instanceof L.Map); const out = [];"
        " const s = m.getSize();"
        " m.eachLayer(l => { if (l instanceof L.Polyline && !(l instanceof L.Polygon)"
        "   && l.options.interactive !== false) {"
        "   const ps = l.getLatLngs().flat().map(ll => m.latLngToContainerPoint(ll))"
        "     .filter(p => p.x > 40 && p.y > 40 && p.x < s.x - 300 && p.y < s.y - 40);"
        "   [0.5, 0.25, 0.75].forEach(f => { const p = ps[Math.floor(ps.length * f)];"
        "     if (p) out.push([p.x, p.y]); }); } }); return out; }"
    )
    assert points, "no interactive line on screen"
    for x, y in points:
        page.mouse.move(box["x"] + x, box["y"] + y)
        page.wait_for_timeout(120)
        texts += page.locator(".leaflet-tooltip:not(.bm-place-label)").all_text_contents()
        page.mouse.move(box["x"] + 2, box["y"] + box["height"] - 2)
    for i in range(page.locator(".bm-incident").count()):
        page.locator(".bm-incident").nth(i).hover()
        page.wait_for_timeout(120)
        texts += page.locator(".leaflet-tooltip:not(.bm-place-label)").all_text_contents()
    return texts


@pytest.mark.parametrize("offline", [True, False])
def test_schema_generated_hostile_text_shows_literally_everywhere(map_page, tmp_path, offline):
    doc, expected = schema_hostile_layer()
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    layer = load_layer(path)
    got = _loaded_values(layer)
    for key, text in expected.items():  # the loader kept every field as written
        assert got[key] == text, key
    front = hostile_frontier()
    m = build_map(layer, frontiers=[front], offline=offline)
    page, events = map_page(save_map(m, tmp_path / "hostile.html"))
    clean(events)
    assert page.title() == hostile("layer title")

    popup_text = " ".join(popup_lines(open_popup(page, 0)))
    page.keyboard.press("Escape")
    tooltips = _hover_all_tooltips(page)
    labels = page.locator(".bm-place-label").all_text_contents()
    controls = control_names(page)
    legend = page.locator(".bm-legend").text_content()
    shown = " ".join([popup_text, *tooltips, *labels, *controls, legend])

    for key, text in expected.items():
        if key in NOT_SHOWN:
            assert text not in shown, f"{key} is shown now: move it out of NOT_SHOWN"
        else:
            assert text in shown, f"{key} is not shown literally"
    # where each kind of text is shown: tooltips of the strike arc and the frontier, on hover
    arc = [t for t in tooltips if t.startswith(hostile("Incident.title") + ": ")]
    km = Geodesic.WGS84.Inverse(27.2, 61.2, 26.95, 63.72)["s12"] / 1000  # origin -> impact
    assert set(arc) == {  # hovered on the arc and on its head
        f"{hostile('Incident.title')}: {hostile('origin Location.name')} → "
        f"{hostile('impact Location.name')} ({km:,.0f} km, geodesic (anywhere from "
        f"{km - 25:,.0f} to {km + 25:,.0f} km: the ends are known to ±25 km))"
    }  # launch point ±20 km and impact ±5 km: both ends' uncertainty combined
    seg = f"{hostile('segment name')} ({hostile('segment kind')})"
    assert seg in tooltips
    assert hostile("Incident.title") in tooltips  # the marker's own tooltip
    assert f"Location note: {hostile('impact Location.note')}" in popup_text
    assert any(c.endswith(hostile("frontier title")) for c in controls)
    assert {hostile("impact Location.name"), hostile("origin Location.name")} <= set(labels)
    # nothing became markup anywhere in the page
    assert page.locator("[onerror], iframe").count() == 0
    assert page.locator("img[src='x']").count() == 0
    scripts = page.eval_on_selector_all("script", "els => els.map(e => e.textContent.trim())")
    assert "alert(1)" not in scripts
    clean(events)
