"""Maps of very many incidents: hexagon counts per zoom band (bordermap.maps.aggregate).

Counts are checked against H3 looked up point by point (an independent path: the
module looks up distinct coordinates once and walks parents up the hierarchy),
sides against :func:`bordermap.analysis.analyse`, and the page in Chromium.
"""

from __future__ import annotations

from collections import Counter

import h3.api.basic_int as h3
import numpy as np
import pytest

import bordermap.maps.aggregate as agg_mod
import bordermap.maps.payload as payload_mod
from bordermap.incidents import Incident, Layer, Location, Source, parse_date
from bordermap.maps import build_map, map_payload, save_map


def _points(n: int, seed: int = 1):
    rng = np.random.default_rng(seed)
    lon = rng.uniform(69.0, 75.5, n)  # either side of the India–Pakistan line
    lat = rng.uniform(24.0, 33.0, n)
    lon[: n // 10] = 72.35  # a tenth of the rows at one place centroid (as event data do)
    lat[: n // 10] = 31.07
    return lon, lat


def _layer(n: int, seed: int = 1) -> Layer:
    lon, lat = _points(n, seed)
    src = Source("Example Wire", "Daily log")
    dates = [parse_date(f"2024-{m:02d}-{d:02d}") for m in (1, 2, 3) for d in (3, 17)]
    kinds = ("artillery/shelling", "cross-border fire", "drone strike")
    return Layer("bulk", "Bulk", tuple(
        Incident(id=f"i{j}", title="Fire", date=dates[j % 6], kind=kinds[j % 3], actor="PAK",
                 target_side="IND",
                 impacts=(Location(float(lon[j]), float(lat[j]), 500.0 * (j % 4)),),
                 sources=(src,))
        for j in range(n)
    ))  # fmt: skip


def _centre_key(band: dict, j: int) -> tuple[int, int]:
    return band["c"][2 * j], band["c"][2 * j + 1]


def test_counts_match_h3_point_by_point_in_every_band():
    lon, lat = _points(3000)
    kind = np.arange(3000) % 3
    start = np.where(np.arange(3000) % 2 == 0, 0, 40 * 86_400_000)  # January, February 1970
    prec = np.full(3000, 250.0)
    agg = agg_mod.aggregate(lon, lat, kind=kind, start_ms=start, precision_m=prec)
    assert agg["n"] == 3000
    assert [d[0] for d in agg["dates"]] == ["1970-01", "1970-02"]
    for band in agg["bands"]:
        res = band["res"]
        expected = Counter()
        for x, y in zip(np.round(lon, 5), np.round(lat, 5), strict=True):  # as on the page
            la, lo = h3.cell_to_latlng(h3.latlng_to_cell(float(y), float(x), res))
            expected[(round(la * 1e4), round(lo * 1e4))] += 1
        got = {_centre_key(band, j): n for j, n in enumerate(band["n"])}
        assert got == dict(expected)
        for j, n in enumerate(band["n"]):
            assert sum(band["t"][j][1::2]) == n  # months add up
            assert sum(band["k"][j][1::2]) == n  # kinds add up
            assert band["pm"][j] == 250
        # each cell's ring: 6 vertices (5 for a pentagon) around its centre
        assert all(len(v) in (10, 12) for v in band["v"])
    # the place centroid's cell holds at least its 300 rows in the finest band
    assert max(agg["bands"][-1]["n"]) >= 300


def test_sides_agree_with_the_spatial_core():
    from bordermap.analysis import analyse
    from bordermap.frontiers import get_frontier

    lon, lat = _points(600)
    f = get_frontier("india-pakistan")
    agg = agg_mod.aggregate(lon, lat, kind=np.zeros(600, int), start_ms=np.zeros(600, int),
                            precision_m=np.zeros(600), frontiers=[f])
    import geopandas as gpd

    gdf = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=4326)
    want = Counter(analyse(gdf, frontier="india-pakistan")["side"])
    band = agg["bands"][0]
    got = Counter()
    for j in range(len(band["n"])):
        for code, n in zip(band["s"][j][0::2], band["s"][j][1::2], strict=True):
            got[agg["sides"][code]] += n
    assert got == want
    assert {"IND", "PAK"} <= set(want)  # and "" for points in neither country (the sea)


def test_cell_budget_bounds_every_band(monkeypatch):
    monkeypatch.setattr(agg_mod, "CELL_BUDGET", 40)
    lon, lat = _points(2000)
    agg = agg_mod.aggregate(lon, lat, kind=np.zeros(2000, int), start_ms=np.zeros(2000, int),
                            precision_m=np.zeros(2000))
    for band, (_, _, res) in zip(agg["bands"], agg_mod.ZOOM_BANDS, strict=True):
        assert len(band["n"]) <= 40
        assert band["res"] <= res
    assert agg["bands"][-1]["res"] < 8  # the finest band had to coarsen


def test_large_layers_aggregate_and_the_page_stays_bounded(monkeypatch, tmp_path):
    monkeypatch.setattr(payload_mod, "AGGREGATE_LIMIT", 100)
    monkeypatch.setattr(agg_mod, "CELL_BUDGET", 300)
    p = map_payload(_layer(400), corridor_km=(), frontiers=["india-pakistan"], basemap=False)
    assert p["inc"]["x"] == [] and p["details"] == [] and p["unc"] == [] and p["arcs"] == []
    assert [d[0] for d in p["dates"]] == ["2024-01", "2024-02", "2024-03"]
    assert p["agg"]["n"] == 400 and sum(p["agg"]["bands"][0]["n"]) == 400
    assert sum(k["n"] for k in p["kinds"]) == 400  # the legend still counts kinds
    sizes = []
    for n in (1000, 4000):
        m = build_map(_layer(n), corridor_km=(), frontiers=["india-pakistan"], offline=True)
        sizes.append(save_map(m, tmp_path / f"m{n}.html").stat().st_size)
    assert sizes[1] < 2 * sizes[0]  # four times the incidents, not twice the page


@pytest.mark.browser
def test_aggregated_map_in_chromium(monkeypatch, map_page, tmp_path):
    monkeypatch.setattr(payload_mod, "AGGREGATE_LIMIT", 100)
    layer = _layer(1500)
    p = map_payload(layer, corridor_km=(), frontiers=["india-pakistan"], basemap=False)
    m = build_map(layer, corridor_km=(), frontiers=["india-pakistan"], offline=True)
    page, events = map_page(save_map(m, tmp_path / "agg.html"))
    assert events == {"errors": [], "dialogs": [], "blocked": []}
    st = page.evaluate(
        "({band: bordermap.states[0].agg.band, drawn: bordermap.states[0].agg.drawn})")
    zoom = page.evaluate(f"{m.get_name()}.getZoom()")
    b = next(i for i, (z0, z1, _) in enumerate(agg_mod.ZOOM_BANDS) if z0 <= zoom <= z1)
    assert st["band"] == b
    band = p["agg"]["bands"][b]
    assert st["drawn"] == sum(1 for n in band["n"] if n)
    names = page.eval_on_selector_all(
        ".leaflet-control-layers label", "els => els.map(e => e.textContent.trim())")
    assert "Incidents per hexagon (1,500)" in names
    # the slider at the first month keeps only cells with January incidents
    page.locator(".bm-slider input").evaluate(
        "e => { e.value = 0; e.dispatchEvent(new Event('input')); }")
    jan = sum(1 for t in band["t"] if 0 in t[0::2])
    assert page.evaluate("bordermap.states[0].agg.drawn") == jan < st["drawn"]
    assert page.locator(".bm-slider-label").text_content() == "Incidents up to 2024-01"
    # zooming in switches to a finer band
    page.evaluate(f"() => {{ {m.get_name()}.setZoom({zoom + 2}, {{animate: false}}); }}")
    page.wait_for_timeout(300)
    assert page.evaluate("bordermap.states[0].agg.band") > b
    assert page.locator(".bm-agg-legend").count() == 1
    assert events["errors"] == []


@pytest.mark.browser
def test_mid_size_maps_keep_points_and_add_a_hexagon_summary(monkeypatch, map_page, tmp_path):
    """Between SHAPE_LIMIT and AGGREGATE_LIMIT points are drawn, and uncertainty and
    launch flows, too many to draw one by one, are summarised on a layer."""
    monkeypatch.setattr(payload_mod, "SHAPE_LIMIT", 50)
    layer = _layer(300)
    p = map_payload(layer, corridor_km=(), frontiers=["india-pakistan"], basemap=False)
    assert len(p["inc"]["x"]) == 300 and p["unc"] == [] and p["agg"]["summary"] is True
    assert [d[0] for d in p["agg"]["dates"]] == ["2024-01", "2024-02", "2024-03"]
    m = build_map(layer, corridor_km=(), frontiers=["india-pakistan"], offline=True)
    page, events = map_page(save_map(m, tmp_path / "mid.html"))
    label = "Hexagon summary: uncertainty, launch flows (300)"
    names = page.eval_on_selector_all(
        ".leaflet-control-layers label", "els => els.map(e => e.textContent.trim())")
    assert label in names
    assert page.locator(".bm-agg-legend").count() == 0  # the layer starts hidden
    page.locator(".leaflet-control-layers").hover()
    page.locator(".leaflet-control-layers label", has_text=label).locator("input").check()
    assert page.locator(".bm-agg-legend").count() == 1
    # the slider at the second incident date (2024-01-17) keeps January's cells only
    page.locator(".bm-slider input").evaluate(
        "e => { e.value = 1; e.dispatchEvent(new Event('input')); }")
    st = page.evaluate(
        "({band: bordermap.states[0].agg.band, drawn: bordermap.states[0].agg.drawn,"
        " upTo: bordermap.states[0].agg.upTo})")
    band = p["agg"]["bands"][st["band"]]
    assert st["upTo"] == 0
    assert st["drawn"] == sum(1 for t in band["t"] if 0 in t[0::2])
    assert events["errors"] == [] and events["dialogs"] == []
