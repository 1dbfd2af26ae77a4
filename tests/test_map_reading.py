"""Maps a reader reads at the first glance (issue 11, item 2, and the map timeline).

The browser tests open the example maps in headless Chromium (``map_page``) and
measure what is on screen: label and popup rectangles, the first view's bounds,
the frontier lines' SVG strokes, clusters and the timeline's bars.  The palette
test simulates colour-vision deficiencies with colorspacious (Machado et al. 2009).
With ``BORDERMAP_SCREENSHOTS=docs/screenshots`` the screenshots of both example
maps at three zooms are written there (the README shows them).
"""

from __future__ import annotations

import itertools
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bordermap.incidents import load_layer
from bordermap.maps.styles import _BAND_COLOURS, FRONTIER_STYLES, KIND_STYLES, NEAR_FRONTIER_KM

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ROOT / "layers"
EXAMPLES = ("iran-pakistan-2024", "india-pakistan-2025")
CVD = ("protanomaly", "deuteranomaly", "tritanomaly")

MAP_JS = "Object.values(window).find(v => v instanceof L.Map)"


# --------------------------------------------------------------------- palette
def _rgb1(hex_colour: str) -> list[float]:
    return [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]


def _delta_e(a: str, b: str, cvd: str | None) -> float:
    """Perceptual difference (CAM02-UCS) of two colours as seen with full dichromacy."""
    from colorspacious import cspace_convert, deltaE

    def seen(c: str):
        rgb = _rgb1(c)
        if cvd is None:
            return rgb
        space = {"name": "sRGB1+CVD", "cvd_type": cvd, "severity": 100}
        return cspace_convert(rgb, space, "sRGB1").clip(0, 1)

    return float(deltaE(seen(a), seen(b), input_space="sRGB1"))


#: Least CAM02-UCS difference between two frontier kinds, and between a frontier and a band.
MIN_DE_KINDS = 15.0
MIN_DE_BANDS = 12.0


def test_colour_blind_simulation_tells_confusable_colours():
    """The simulation is not a no-op: red and green apart for normal vision fall
    together with deuteranopia, and the old palette (LoC #d7191c, Working Boundary
    #f46d43) fails the threshold with tritanopia."""
    red, green = "#d7191c", "#33a02c"
    assert _delta_e(red, green, None) > 3 * MIN_DE_KINDS
    assert _delta_e(red, green, "deuteranomaly") < MIN_DE_KINDS / 2
    assert _delta_e(red, green, "protanomaly") < _delta_e(red, green, None) / 2
    assert _delta_e("#d7191c", "#f46d43", "tritanomaly") < MIN_DE_KINDS


@pytest.mark.parametrize("cvd", [None, *CVD])
def test_frontier_kinds_stay_apart_for_colour_blind_readers(cvd):
    colours = {k: v[0] for k, v in FRONTIER_STYLES.items()}
    for a, b in itertools.combinations(colours, 2):
        de = _delta_e(colours[a], colours[b], cvd)
        assert de >= MIN_DE_KINDS, f"{a} vs {b} under {cvd}: ΔE {de:.1f}"
    for kind, c in colours.items():
        for band in _BAND_COLOURS:
            de = _delta_e(c, band, cvd)
            assert de >= MIN_DE_BANDS, f"{kind} vs band {band} under {cvd}: ΔE {de:.1f}"


def test_frontier_kinds_have_their_own_dash_patterns_and_weights():
    from bordermap.maps.styles import _DEFAULT_FRONTIER_STYLE

    dashes = [v[2] for v in [*FRONTIER_STYLES.values(), _DEFAULT_FRONTIER_STYLE]]
    assert len(set(dashes)) == len(dashes)
    assert FRONTIER_STYLES["international border"][2] is None  # the one solid line
    wb = FRONTIER_STYLES["working boundary"]
    on, off = (float(x) for x in wb[2].split())
    assert wb[1] >= 4.0 and on <= 1.0 and off <= 2.5 * wb[1]  # round dots, close enough to read
    for _kind, (_c, weight, _d, _label) in FRONTIER_STYLES.items():
        assert weight > 2.2  # heavier than a strike arc (2.2 px)


def _contrast(hex_colour: str) -> float:
    """WCAG contrast ratio of white text on the colour."""

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(c) for c in _rgb1(hex_colour))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def test_every_kind_the_readers_produce_has_its_own_style():
    from bordermap.incidents import KINDS
    from bordermap.io.acled import SUB_EVENT_KINDS
    from bordermap.io.ucdp import VIOLENCE_KINDS

    assert set(KIND_STYLES) == set(KINDS)
    assert set(SUB_EVENT_KINDS.values()) | set(VIOLENCE_KINDS.values()) <= set(KIND_STYLES)
    styles = list(KIND_STYLES.values())
    assert len(set(styles)) == len(styles)  # no two kinds look alike
    assert len({c for c, _g in styles}) == len(styles)
    for kind, (colour, _glyph) in KIND_STYLES.items():
        if kind != "other":
            assert _contrast(colour) >= 2.9, kind  # the white glyph stays legible


def test_the_glyphs_are_in_the_page_font():
    from fontTools.ttLib import TTFont

    fonts = sorted(Path("/usr/share/fonts").rglob("DejaVuSans.ttf"))
    if not fonts:
        pytest.skip("DejaVu Sans is not installed")
    cmap = TTFont(fonts[0]).getBestCmap()
    for kind, (_c, glyph) in KIND_STYLES.items():
        assert all(ord(ch) in cmap for ch in glyph), kind


# ----------------------------------------------------------------- browser
def _labels(page) -> list[dict]:
    return page.evaluate(
        "() => Array.from(document.querySelectorAll('.bm-place-label, .bm-country-label'))"
        ".filter(e => e.style.display !== 'none').map(e => { const r = e.getBoundingClientRect();"
        " return {text: e.textContent, cls: e.className, l: r.left, t: r.top, r: r.right,"
        " b: r.bottom}; }).filter(r => r.r > r.l)"
    )


def _overlaps(boxes: list[dict]) -> list[tuple[str, str]]:
    return [
        (a["text"], b["text"])
        for a, b in itertools.combinations(boxes, 2)
        if a["l"] < b["r"] and b["l"] < a["r"] and a["t"] < b["b"] and b["t"] < a["b"]
    ]


@pytest.mark.browser
@pytest.mark.parametrize("name", EXAMPLES)
def test_no_two_labels_overlap_at_each_zoom(map_page, scenario_maps, name):
    page, events = map_page(scenario_maps[f"{name}-offline.html"])
    boxes = _labels(page)
    assert _overlaps(boxes) == []
    places = [b for b in boxes if "bm-place-label" in b["cls"]]
    countries = [b for b in boxes if "bm-country-label" in b["cls"]]
    assert len(places) >= 3 and len(countries) >= 2
    assert "PAKISTAN" in {c["text"].upper() for c in countries}
    if name == "iran-pakistan-2024":  # the label the issue found covered, at the default zoom
        assert "Koh-e-Sabz" in {p["text"] for p in places}
    zoom = page.evaluate(f"{MAP_JS}.getZoom()")
    for z in (zoom + 1, zoom + 2, zoom - 1):
        page.evaluate(f"void {MAP_JS}.setZoom({z}, {{animate: false}})")
        page.wait_for_timeout(300)
        assert page.evaluate(f"{MAP_JS}.getZoom()") == z
        assert _overlaps(_labels(page)) == [], f"zoom {z}"
    events["errors"] == [] or pytest.fail(str(events["errors"]))


def _near_and_far(name: str):
    from bordermap.analysis import analyse

    layer = load_layer(LAYERS / f"{name}.yaml")
    gdf = layer.to_geodataframe()
    a = analyse(gdf, frontier=name.rsplit("-", 1)[0])
    near = a[(a["distance_km"] <= NEAR_FRONTIER_KM) & (gdf["kind"] != "diplomatic event")]
    far = gdf[(a["distance_km"] > NEAR_FRONTIER_KM) | (gdf["kind"] == "diplomatic event")]
    pts = lambda df: list(zip(df.geometry.y, df.geometry.x, strict=True))  # noqa: E731
    return layer, pts(gdf.loc[near.index]), pts(far)


def _inside(page, points) -> list[bool]:
    return page.evaluate(
        f"pts => {{ const b = {MAP_JS}.getBounds(); return pts.map(p => b.contains(p)); }}",
        [list(p) for p in points],
    )


@pytest.mark.browser
@pytest.mark.parametrize("name", EXAMPLES)
def test_first_view_frames_the_frontier_and_show_all_reaches_the_rest(
    map_page, scenario_maps, name
):
    layer, near, far = _near_and_far(name)
    assert near and far
    page, events = map_page(scenario_maps[f"{name}-offline.html"])
    assert all(_inside(page, near))
    z0 = page.evaluate(f"{MAP_JS}.getZoom()")
    if name == "iran-pakistan-2024":  # the summit the issue found stretching the view
        davos = next(i for i in layer if "Davos" in i.title).impacts[0]
        assert (davos.lat, davos.lon) in far
        assert not any(_inside(page, far))  # no far-off event stretches the first view
    # the view is tight: the near points span at least half of it one way or the other
    b = page.evaluate(f"(() => {{ const b = {MAP_JS}.getBounds(); return [b.getSouth(),"
                      " b.getWest(), b.getNorth(), b.getEast()]; })()")  # fmt: skip
    lat = [p[0] for p in near]
    lon = [p[1] for p in near]
    assert max((max(lat) - min(lat)) / (b[2] - b[0]), (max(lon) - min(lon)) / (b[3] - b[1])) > 0.4
    page.locator(".bm-showall a").click()
    page.wait_for_timeout(300)
    assert all(_inside(page, near + far))
    assert page.locator(".bm-showall a").text_content() == "Frontier"
    z_all = page.evaluate(f"{MAP_JS}.getZoom()")
    assert z_all < z0 if name == "iran-pakistan-2024" else z_all <= z0
    page.locator(".bm-showall a").click()
    page.wait_for_timeout(300)
    assert page.evaluate(f"{MAP_JS}.getZoom()") == z0
    assert events["errors"] == []


@pytest.mark.browser
def test_frontier_kinds_are_drawn_distinct_with_a_casing(map_page, scenario_maps):
    page, events = map_page(scenario_maps["india-pakistan-2025-offline.html"])
    strokes = page.eval_on_selector_all(
        "path.bm-frontier",
        "els => els.map(e => [e.getAttribute('stroke'), e.getAttribute('stroke-dasharray'),"
        " e.getAttribute('stroke-width')])",
    )
    casings = page.locator("path.bm-casing").count()
    assert casings == len(strokes) > 0
    seen = {(c, d) for c, d, _w in strokes}
    expected = {(c, d) for c, _w, d, _l in FRONTIER_STYLES.values()}
    assert seen == expected  # all four kinds, each as styled
    # no strike arc or band uses a frontier colour
    arcs = page.eval_on_selector_all(
        "path.leaflet-interactive:not(.bm-frontier)",
        "els => els.map(e => e.getAttribute('stroke'))",
    )
    assert arcs and not ({c for c, _d in expected} & set(arcs))
    assert events["errors"] == []


def _popup_box(page):
    return page.locator(".leaflet-popup").last.bounding_box()


def _tooltip_boxes(page) -> list[dict]:
    return page.evaluate(
        "() => Array.from(document.querySelectorAll('.leaflet-tooltip')).filter(e =>"
        " !e.classList.contains('bm-place-label') && !e.classList.contains('bm-country-label')"
        " && getComputedStyle(e).display !== 'none' && getComputedStyle(e).opacity !== '0')"
        ".map(e => { const r = e.getBoundingClientRect();"
        " return {x: r.left, y: r.top, width: r.width, height: r.height}; })"
        ".filter(r => r.width > 0)"
    )


def _intersect(a, b) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])  # fmt: skip


def _on_screen(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    if box is None:
        return False
    return box["x"] > 0 and box["y"] > 0 and (
        box["x"] + box["width"] < size["width"] and box["y"] + box["height"] < size["height"]
    )


@pytest.mark.browser
@pytest.mark.parametrize("name", EXAMPLES)
def test_tooltips_never_cover_an_open_popup(map_page, scenario_maps, name):
    page, events = map_page(scenario_maps[f"{name}-offline.html"])
    markers = page.locator(".bm-incident")
    points = [markers.nth(i).get_attribute("data-point") for i in range(markers.count())]
    shown = 0
    for first in points[:4]:
        page.evaluate(f"void {MAP_JS}.closePopup()")
        page.wait_for_timeout(250)  # the closed popup fades out
        marker = page.locator(f".bm-incident[data-point='{first}']")
        if not _on_screen(page, marker):
            continue
        marker.click()
        page.locator(".leaflet-popup").last.wait_for(state="visible")
        page.wait_for_timeout(400)  # auto-pan
        for other in points:
            hover = page.locator(f".bm-incident[data-point='{other}']")
            if not _on_screen(page, hover):
                continue
            box = hover.bounding_box()
            if _intersect(box, _popup_box(page)):
                continue  # a marker under the popup cannot be hovered
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            page.wait_for_timeout(80)
            for tb in _tooltip_boxes(page):
                shown += 1
                assert not _intersect(tb, _popup_box(page)), (first, other)
    assert shown >= 3  # the test hovered markers whose tooltips showed
    assert events["errors"] == []


@pytest.mark.browser
def test_dense_places_cluster_and_open_when_zoomed(map_page, scenario_maps):
    layer = load_layer(LAYERS / "india-pakistan-2025.yaml")
    points = [(loc.lat, loc.lon) for i in layer for loc in i.impacts]
    page, events = map_page(scenario_maps["india-pakistan-2025-offline.html"])
    counts = page.eval_on_selector_all(".bm-cluster-count", "els => els.map(e => +e.textContent)")
    singles = page.locator(".bm-incident").count()
    assert counts and singles + sum(counts) == len(points)
    # the biggest cluster, seen from zoom 12 (no clustering there): each point its own icon
    centre = page.evaluate(
        "() => { let best = null; bordermap.states[0].cluster.eachLayer(l => {"
        " const p = bordermap.states[0].cluster.getVisibleParent(l);"
        " if (p && p !== l && (!best || p.getChildCount() > best.getChildCount())) best = p; });"
        " const c = best.getLatLng(); return [c.lat, c.lng]; }"
    )
    page.evaluate(f"void {MAP_JS}.setView([{centre[0]}, {centre[1]}], 12, {{animate: false}})")
    page.wait_for_timeout(400)
    in_view = sum(_inside(page, points))
    assert in_view >= 2
    assert page.locator(".bm-cluster-count").count() == 0
    on_screen = page.evaluate(
        f"() => {{ const b = {MAP_JS}.getBounds(); return Array.from(document.querySelectorAll("
        "'.bm-incident')).filter(e => e.getBoundingClientRect().width > 0).length; }"
    )
    assert on_screen >= in_view
    assert events["errors"] == []


@pytest.mark.browser
def test_clusters_load_from_the_cdn_online(map_page, scenario_maps):
    page, events = map_page(scenario_maps["india-pakistan-2025.html"], wait_ms=1200)
    assert events["blocked"] == [] and events["errors"] == []
    assert page.evaluate("typeof L.markerClusterGroup") == "function"
    assert page.locator(".bm-cluster-count").count() >= 1


def _timeline_oracle(layer):
    """Incidents per UTC day by kind over the timeline's window, an incident spread over
    the days its date allows; and the numbers of incidents before and after the window.

    The window (as the page documents it): the shortest run of dates holding 80 % of
    the incidents, grown to every incident it overlaps; all dates if that is at most
    1.5 times as long.
    """
    import math

    day = timedelta(days=1)
    spans = [(i.date.start, max(i.date.end, i.date.start + timedelta(milliseconds=1)), i.kind)
             for i in layer]  # fmt: skip
    k = max(1, math.ceil(0.8 * len(spans)))
    by_start = sorted(spans, key=lambda r: r[0])
    windows = [(by_start[i][0], max(r[1] for r in by_start[i : i + k]))
               for i in range(len(by_start) - k + 1)]  # fmt: skip
    lo, hi = min(windows, key=lambda w: w[1] - w[0])
    for s, e, _k in spans:
        if s < hi and e > lo:
            lo, hi = min(lo, s), max(hi, e)
    all_lo, all_hi = min(r[0] for r in spans), max(r[1] for r in spans)
    if all_hi - all_lo <= 1.5 * (hi - lo):
        lo, hi = all_lo, all_hi
    t0 = lo.replace(hour=0, minute=0, second=0, microsecond=0)
    out: dict[tuple[int, str], float] = {}
    inside = [r for r in spans if r[1] > lo and r[0] < hi]
    for s, e, kind in inside:
        d = t0 + ((s - t0) // day) * day
        while d < e:
            a, b = max(s, d), min(e, d + day)
            if b > a:
                key = ((d - t0) // day, kind)
                out[key] = out.get(key, 0.0) + (b - a) / (e - s)
            d += day
    earlier = sum(1 for r in spans if r[1] <= lo)
    later = sum(1 for r in spans if r[0] >= hi)
    return t0, out, earlier, later


@pytest.mark.browser
@pytest.mark.parametrize("name", EXAMPLES)
def test_timeline_counts_incidents_per_day_by_kind(map_page, scenario_maps, name):
    layer = load_layer(LAYERS / f"{name}.yaml")
    t0, want, earlier, later = _timeline_oracle(layer)
    page, events = map_page(scenario_maps[f"{name}-offline.html"])
    svg = page.locator(".bm-slider svg.bm-timeline")
    assert svg.get_attribute("data-bin-ms") == str(86_400_000)
    assert datetime.fromtimestamp(int(svg.get_attribute("data-start-ms")) / 1000, UTC) == t0
    assert (int(svg.get_attribute("data-earlier")), int(svg.get_attribute("data-later"))) == (
        earlier, later)  # fmt: skip
    if name == "iran-pakistan-2024":  # a 2017 event does not squash January 2024 into a bar
        assert earlier == 1 and t0 == datetime(2023, 12, 15, tzinfo=UTC)
        assert page.locator(".bm-timeline-out").text_content() == (
            "◂ 1 earlier (from 2017-06-19) · 1 later (to 2024-04-03) ▸")
    bars = page.eval_on_selector_all(
        ".bm-timeline rect",
        "els => els.map(e => [+e.dataset.bin, e.dataset.kind, +e.dataset.count,"
        " +e.getAttribute('height')])",
    )
    got = {(b, k): c for b, k, c, _h in bars}
    assert got.keys() == want.keys()
    for key, c in want.items():
        assert got[key] == pytest.approx(c, abs=1e-3), key
    assert sum(got.values()) + earlier + later == pytest.approx(len(layer), abs=0.01)
    # heights are to scale: the tallest day fills the 44 px
    per_bin: dict[int, float] = {}
    for b, _k, _c, h in bars:
        per_bin[b] = per_bin.get(b, 0.0) + h
    assert max(per_bin.values()) == pytest.approx(44.0, abs=0.01)
    # moving the slider back dims the bars after the chosen date
    page.locator(".bm-slider input").fill("0")
    dim = page.eval_on_selector_all(".bm-timeline rect", "els => els.map(e => [+e.dataset.bin,"
                                    " e.getAttribute('opacity')])")  # fmt: skip
    cut = min(i.date.start for i in layer)  # the slider's first date
    for b, o in dim:
        assert o == ("1" if t0 + timedelta(days=b) <= cut else "0.25"), b
    assert {o for _b, o in dim} == ({"0.25"} if earlier else {"1", "0.25"})
    assert events["errors"] == []


# ------------------------------------------------------------- screenshots
@pytest.mark.browser
@pytest.mark.parametrize("name", EXAMPLES)
def test_screenshots_at_three_zooms(map_page, scenario_maps, name):
    """Both example maps at the first view, two zooms in, and "show all"; written to
    ``$BORDERMAP_SCREENSHOTS`` (e.g. docs/screenshots) as small palette PNGs when set."""
    from PIL import Image

    out = os.environ.get("BORDERMAP_SCREENSHOTS")
    page, events = map_page(scenario_maps[f"{name}-offline.html"])
    z0 = page.evaluate(f"{MAP_JS}.getZoom()")
    shots = []
    for label, action in (
        ("first-view", None),
        # two zooms in, on the place with the most incidents (the first label)
        ("zoom-in", f"void {MAP_JS}.setView(bordermap.states[0].topPlace || {MAP_JS}.getCenter(),"
                    f" {z0 + 2}, {{animate: false}})"),
        ("show-all", "document.querySelector('.bm-showall a').click()"),
    ):
        if action:
            page.evaluate(action)
            if label == "show-all" and page.evaluate(f"{MAP_JS}.getZoom()") >= z0:
                page.evaluate(f"void {MAP_JS}.setZoom({z0 - 1}, {{animate: false}})")
            page.wait_for_timeout(500)
        assert _overlaps(_labels(page)) == [], label
        png = page.screenshot()
        shots.append((label, page.evaluate(f"{MAP_JS}.getZoom()"), png))
    zooms = [z for _l, z, _p in shots]
    assert len(set(zooms)) == 3, zooms  # three different zooms
    assert events["errors"] == []
    if out:
        folder = ROOT / out if not Path(out).is_absolute() else Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        import io

        for label, _z, png in shots:
            img = Image.open(io.BytesIO(png)).convert("RGB")
            img = img.resize((img.width * 3 // 4, img.height * 3 // 4), Image.LANCZOS)
            img.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(
                folder / f"{name}-{label}.png", optimize=True
            )


def test_readme_shows_the_screenshots_and_they_are_small():
    from PIL import Image

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in EXAMPLES:
        for label in ("first-view", "zoom-in", "show-all"):
            rel = f"docs/screenshots/{name}-{label}.png"
            assert f"]({rel})" in readme, rel
            path = ROOT / rel
            assert path.stat().st_size < 200_000, rel
            with Image.open(path) as img:
                assert img.size == (960, 600) and img.format == "PNG", rel
