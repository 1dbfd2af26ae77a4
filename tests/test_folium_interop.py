"""Folium layers, plugins and ``GeoDataFrame.explore(m=...)`` on bordermap maps.

The page keeps its hash-based Content-Security-Policy: folium's assets are either
inlined from bordermap's vendored copies (admitted by hash) or, on online pages,
admitted by exact URL.  The browser tests open the pages with no network at all
(the ``map_page`` fixture routes only Leaflet's CDN files and blank tiles).
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path
from typing import ClassVar

import folium
import folium.plugins
import geopandas as gpd
import pytest
import shapely
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from bordermap.errors import ExportError
from bordermap.incidents import load_layer
from bordermap.maps import build_map, save_map
from bordermap.maps.interop import VENDORED
from conftest import hostile

ASSETS = Path(__file__).resolve().parents[1] / "src" / "bordermap" / "assets"
STUB_URL = "https://plugins.example.org/lib/stub-1.0.js"


def _policy(text: str) -> str:
    return re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', text)[1]


def _script_hashes(text: str) -> set[str]:
    return {
        "'sha256-" + base64.b64encode(hashlib.sha256(b.encode()).digest()).decode() + "'"
        for b in re.findall(r"<script>(.*?)</script>", text, flags=re.S)
    }


def _user_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"zone": ["Zone A", "Zone B"], "v": [1.0, 2.0]},
        geometry=[shapely.Point(63.3, 26.9).buffer(0.2), shapely.Point(62.7, 27.3).buffer(0.1)],
        crs=4326,
    )


def _with_user_layers(m: folium.Map) -> folium.Map:
    gdf = _user_frame()
    folium.GeoJson(
        gdf,
        name="User zones",
        tooltip=folium.GeoJsonTooltip(["zone"]),
        popup=folium.GeoJsonPopup(["zone"]),
    ).add_to(m)
    gdf.explore(m=m, column="v", name="Explored zones", tooltip="zone")
    folium.Marker(
        [27.0, 63.0], popup="Checkpoint note", icon=folium.Icon(icon="flag", prefix="fa")
    ).add_to(m)
    cluster = folium.plugins.MarkerCluster(name="Clustered points").add_to(m)
    for lat, lon in ((26.5, 62.5), (26.51, 62.51), (26.52, 62.5)):
        folium.CircleMarker([lat, lon], radius=4).add_to(cluster)
    folium.plugins.Fullscreen().add_to(m)
    return m


class _Stub(JSCSSMixin, MacroElement):
    """A plugin whose script bordermap does not vendor."""

    _template = Template(
        "{% macro script(this, kwargs) %}window.stubRan = (window.stubLoaded || 0) + 1;"
        "{% endmacro %}"
    )
    default_js: ClassVar = [("stub", STUB_URL)]


def test_vendored_assets_cover_folium_and_branca_urls():
    """Every asset a plain folium page links for these elements has a vendored copy,
    but for folium's defaults a bordermap page does not use (its own Leaflet,
    Bootstrap, glyphicons, the icon-rotation CSS)."""
    import branca.colormap

    m = folium.Map(tiles=None)
    folium.Marker([0, 0], popup="p", icon=folium.Icon(prefix="fa")).add_to(m)
    branca.colormap.LinearColormap(["red", "blue"]).add_to(m)
    folium.plugins.MarkerCluster().add_to(m)
    for plugin in (folium.plugins.Fullscreen, folium.plugins.MiniMap,
                   folium.plugins.MeasureControl):
        plugin().add_to(m)
    html = m.get_root().render()
    linked = re.findall(r'<(?:script src|link rel="stylesheet" href)="([^"]+)"', html)
    unused = ("leaflet@", "bootstrap", "awesome.rotate")
    needed = [u for u in linked if not any(k in u for k in unused)]
    assert len(needed) >= 12
    assert [u for u in needed if u not in VENDORED] == []
    for rel in set(VENDORED.values()):
        assert (ASSETS / rel).is_file(), rel


def test_vendored_files_match_their_recorded_hashes():
    """assets/README.md lists the SHA-256 of every vendored file (as npm shipped it)."""
    readme = (ASSETS / "README.md").read_text()
    rows = re.findall(r"^([0-9a-f]{64})  (vendor/\S+)$", readme, re.M)
    recorded = {path: digest for digest, path in rows}
    files = sorted(p.relative_to(ASSETS).as_posix() for p in (ASSETS / "vendor").rglob("*")
                   if p.is_file())
    assert files == sorted(recorded)
    for rel in files:
        assert hashlib.sha256((ASSETS / rel).read_bytes()).hexdigest() == recorded[rel], rel


@pytest.mark.parametrize("offline", [True, False])
def test_saved_page_inlines_folium_assets_and_admits_them_by_hash(tmp_path, offline):
    layer = load_layer(Path(__file__).parents[1] / "layers" / "iran-pakistan-2024.yaml")
    m = _with_user_layers(build_map(layer, corridor_km=(10,), offline=offline))
    text = save_map(m, tmp_path / "m.html").read_text()
    # nothing is linked but bordermap's own Leaflet and marker clusters (online, with integrity)
    linked = re.findall(r'<(?:script src|link rel="stylesheet" href)="([^"]+)"', text)
    assert sorted(linked) == ([] if offline else [
        "https://cdn.jsdelivr.net/npm/leaflet.markercluster@1.5.3/dist/MarkerCluster.css",
        "https://cdn.jsdelivr.net/npm/leaflet.markercluster@1.5.3/dist/leaflet.markercluster.js",
        "https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.css",
        "https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js",
    ])
    script_src = re.search(r"script-src ([^;]+);", _policy(text))[1].split()
    assert {h for h in script_src if h.startswith("'sha256-")} == _script_hashes(text)
    assert "'unsafe-inline'" not in script_src
    # jQuery (folium popups), d3 (branca legend), awesome-markers, markercluster are inline
    for marker in ("jQuery v3.7.1", "d3", "AwesomeMarkers", "MarkerClusterGroup", "fullscreen"):
        assert marker.lower() in text.lower()
    # Font Awesome's fonts are data: URIs, its unvendored .ttf sources are gone
    assert "url(data:font/woff2;base64," in text
    assert ".ttf" not in text


def test_offline_page_refuses_an_unvendored_plugin_and_writes_nothing(tmp_path):
    m = build_map(load_layer(Path(__file__).parents[1] / "layers" / "iran-pakistan-2024.yaml"),
                  corridor_km=(), offline=True)
    m.add_child(_Stub())
    out = tmp_path / "m.html"
    with pytest.raises(ExportError) as err:
        save_map(m, out)
    assert STUB_URL in str(err.value)
    assert "assets=" in (err.value.suggestion or "")
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_online_page_admits_exactly_the_unvendored_url(tmp_path):
    m = build_map(load_layer(Path(__file__).parents[1] / "layers" / "iran-pakistan-2024.yaml"),
                  corridor_km=(), offline=False)
    m.add_child(_Stub())
    text = save_map(m, tmp_path / "m.html").read_text()
    script_src = re.search(r"script-src ([^;]+);", _policy(text))[1].split()
    assert STUB_URL in script_src
    assert "https://plugins.example.org" not in script_src  # not the whole host
    assert f'<script src="{STUB_URL}"></script>' in text


def test_a_hostile_asset_url_cannot_widen_the_policy(tmp_path):
    class Bad(_Stub):
        default_js: ClassVar = [("bad", "https://x.example/a.js; script-src * 'unsafe-inline'")]

    m = build_map(load_layer(Path(__file__).parents[1] / "layers" / "iran-pakistan-2024.yaml"),
                  corridor_km=(), offline=False)
    m.add_child(Bad())
    text = save_map(m, tmp_path / "m.html").read_text()
    policy = _policy(text)
    assert "'unsafe-inline'" not in re.search(r"script-src ([^;]+);", policy)[1]
    directives = [d.split()[0] for d in policy.split(";") if d.strip()]
    assert directives == ["default-src", "script-src", "style-src", "img-src", "font-src",
                          "base-uri", "form-action"]
    assert "https://x.example/a.js%3B%20script-src%20*%20%27unsafe-inline%27" in policy


def _hover_lonlat(page, m, lon: float, lat: float) -> None:
    """Move the mouse onto a map position (through Leaflet's own projection)."""
    x, y = page.evaluate(
        f"() => {{ const p = {m.get_name()}.latLngToContainerPoint([{lat}, {lon}]);"
        f" const r = {m.get_name()}.getContainer().getBoundingClientRect();"
        " return [r.left + p.x, r.top + p.y]; }"
    )
    page.mouse.move(x - 3, y - 3)
    page.mouse.move(x, y)
    page.wait_for_timeout(300)


def _interactive_paths(page) -> int:
    return page.locator(".leaflet-overlay-pane path.leaflet-interactive").count()


@pytest.mark.browser
@pytest.mark.parametrize("offline", [True, False])
def test_folium_geojson_and_explore_render_on_a_bordermap_map(
    map_page, hostile_layer, tmp_path, offline
):
    layer = load_layer(hostile_layer)
    m = _with_user_layers(build_map(layer, offline=offline))
    page, events = map_page(save_map(m, tmp_path / "m.html"), wait_ms=1200)
    assert events["errors"] == [] and events["dialogs"] == [] and events["blocked"] == []
    names = page.eval_on_selector_all(
        ".leaflet-control-layers label", "els => els.map(e => e.textContent.trim())"
    )
    assert {"User zones", "Explored zones", "Clustered points"} <= set(names)
    # both user layers drew their two polygons (GeoJson and explore each); the three
    # clustered circle markers are one cluster icon at this zoom, not paths
    plain, _ = map_page(save_map(build_map(layer, offline=offline), tmp_path / "plain.html"))
    assert _interactive_paths(page) - _interactive_paths(plain) == 4
    # branca's colour legend (d3) for explore(column=...)
    assert page.locator(".legend svg, svg.legend, #legend").count() >= 1
    # the awesome marker with its Font Awesome glyph, drawn with the inlined font
    assert page.locator(".awesome-marker.leaflet-interactive").count() == 1
    family = page.eval_on_selector(
        ".awesome-marker.leaflet-interactive i", "el => getComputedStyle(el, '::before').fontFamily"
    )
    assert "Font Awesome" in family
    assert page.evaluate("document.fonts.check('900 16px \"Font Awesome 6 Free\"')")
    # its folium popup (built with jQuery) opens
    page.locator(".awesome-marker.leaflet-interactive").click()
    page.wait_for_timeout(300)
    assert "Checkpoint note" in page.locator(".leaflet-popup-content").all_text_contents()[-1]
    # the three close points are one cluster at this zoom
    assert page.locator(".marker-cluster").count() >= 1
    # the user layers' tooltips show the user's value on hover
    page.keyboard.press("Escape")
    _hover_lonlat(page, m, 62.7, 27.3)  # inside zone B
    assert any("Zone B" in t for t in page.locator(".leaflet-tooltip").all_text_contents())
    # bordermap's own hostile text is still literal
    assert page.title() == hostile("layer title")
    assert events["errors"] == [] and events["dialogs"] == []


@pytest.mark.browser
def test_offline_page_runs_a_plugin_from_a_given_local_copy(map_page, tmp_path):
    stub = tmp_path / "stub.js"
    stub.write_text("window.stubLoaded = 41;\n")
    m = build_map(load_layer(Path(__file__).parents[1] / "layers" / "iran-pakistan-2024.yaml"),
                  corridor_km=(), offline=True)
    m.add_child(_Stub())
    path = save_map(m, tmp_path / "m.html", assets={STUB_URL: stub})
    page, events = map_page(path)
    assert events == {"errors": [], "dialogs": [], "blocked": []}
    assert page.evaluate("window.stubRan") == 42


@pytest.mark.browser
def test_hostile_value_in_a_users_explore_tooltip_is_blocked_by_the_policy(map_page, tmp_path):
    """folium puts GeoJsonTooltip values in as HTML: the page's policy still runs none of it."""
    gdf = _user_frame()
    gdf.loc[0, "zone"] = '<img src=x onerror="alert(1)">'
    gdf.loc[0, "geometry"] = shapely.Point(61.0, 28.5).buffer(0.3)  # away from any incident
    m = build_map(load_layer(Path(__file__).parents[1] / "layers" / "iran-pakistan-2024.yaml"),
                  corridor_km=(), offline=True)
    gdf.explore(m=m, name="Explored", tooltip="zone")
    page, events = map_page(save_map(m, tmp_path / "m.html"))
    # the first view frames the frontier's incidents; bring the zone into view
    page.evaluate(f"void {m.get_name()}.setView([28.5, 61.0], 8, {{animate: false}})")
    _hover_lonlat(page, m, 61.0, 28.5)  # inside the hostile zone
    # folium made the value markup (its tooltip is HTML) ...
    assert page.locator(".leaflet-tooltip img").count() == 1
    # ... and the policy refused its handler: no dialog, a CSP report instead
    assert events["dialogs"] == []
    assert any("Content Security Policy" in e for e in events["errors"])
