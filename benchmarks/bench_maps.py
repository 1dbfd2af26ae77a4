"""Benchmark: a 50,000-incident map, bordermap.maps vs a folium.Marker-per-row baseline.

Baseline (named ``folium-marker-per-row``): one ``folium.Marker`` per incident added
to a ``folium.Map`` and saved with ``Map.save`` -- the obvious way to map a table.
It carries only positions, so the like-for-like bordermap figure is
``build_map(..., context=False)``; the figure with the geodesic context of every
point (distance and side relative to its nearest frontier) is printed as well.

bordermap writes incidents as integer columns: coordinates rounded to 5 decimals
(1e-5 degree, about 1.1 m of latitude), indices into tables of dates, details and
context phrases.  Both maps are online builds (Leaflet from the CDN, tiles) so
their sizes compare; bytes per feature include the whole page (Leaflet links,
the runtime, the offline basemap).  Both sides are warmed up on 100 incidents
first (imports, embedded boundaries, frontiers); times are the best of 3 runs
(baseline: best of 2).

If /usr/bin/chromium exists, the bordermap page is opened headless (no network;
Leaflet served from the vendored copy) and the time to a drawn map and the number
of DOM marker elements are printed.

Run:  python benchmarks/bench_maps.py [N]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

N = 50_000
REPEAT = 3  # best of 3 runs (the machine may be shared)
REPEAT_BASELINE = 2


def make_layer(n: int):
    from bordermap.incidents import Incident, Layer, Location, Source, parse_date

    rng = np.random.default_rng(0)
    lon = rng.uniform(61.0, 75.0, n)  # Iran–Pakistan–India border region
    lat = rng.uniform(25.0, 35.0, n)
    src = Source("Example Wire", "Daily incident log", url="https://example.org/log")
    dates = [parse_date(f"2024-{m:02d}-{d:02d}") for m in range(1, 13) for d in range(1, 29)]
    kinds = ("artillery/shelling", "cross-border fire", "drone strike", "air strike")
    incs = tuple(
        Incident(
            id=f"i{j}",
            title="Cross-border fire reported",
            date=dates[j % len(dates)],
            kind=kinds[j % 4],
            actor="PAK",
            target_side="IND",
            impacts=(Location(float(lon[j]), float(lat[j]), 1000.0),),
            sources=(src,),
        )
        for j in range(n)
    )
    return Layer("bulk", "Bulk incidents", incs), lon, lat


def baseline(lon, lat, path: Path) -> float:
    import folium

    t = time.perf_counter()
    m = folium.Map(location=[30.0, 68.0], zoom_start=5)
    for x, y in zip(lon, lat, strict=True):
        folium.Marker([y, x]).add_to(m)
    m.save(str(path))
    return time.perf_counter() - t


def ours(layer, path: Path, *, context: bool) -> float:
    from bordermap.maps import build_map, save_map

    t = time.perf_counter()
    save_map(build_map(layer, corridor_km=(), context=context), path)
    return time.perf_counter() - t


def open_in_chromium(path: Path) -> None:
    if not os.path.exists("/usr/bin/chromium"):
        print("chromium: /usr/bin/chromium not found, page not opened")
        return
    from playwright.sync_api import sync_playwright

    import bordermap

    assets = Path(bordermap.__file__).with_name("assets") / "leaflet"
    args = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))

        def route(r):
            url = r.request.url
            if url.startswith("file:") or url.startswith("data:"):
                return r.continue_()
            if url.startswith("https://cdn.jsdelivr.net/npm/leaflet@"):
                name = url.split("/dist/", 1)[1]
                return r.fulfill(status=200, body=(assets / name).read_bytes())
            return r.abort()

        page.route("**/*", route)
        t = time.perf_counter()
        page.goto(path.resolve().as_uri())
        page.wait_for_function("window.bordermap && bordermap.states.length > 0", timeout=120_000)
        ready = time.perf_counter() - t
        t = time.perf_counter()
        page.mouse.move(640, 400)
        page.mouse.wheel(0, -300)  # zoom in: the page answers
        page.wait_for_timeout(50)
        page.evaluate("1")
        answer = time.perf_counter() - t
        dom = page.locator(".leaflet-marker-icon").count()
        drawn = page.evaluate("bordermap.states[0].markers")
        print(
            f"chromium: map drawn in {ready:.2f} s; {drawn:,} incidents on canvas, "
            f"{dom} DOM markers (limit 1,000); zoom answered in {answer:.2f} s; "
            f"page errors: {len(errors)}"
        )
        browser.close()


def main(n: int = N) -> None:
    layer, lon, lat = make_layer(n)
    small, slon, slat = make_layer(100)
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        baseline(slon, slat, d / "warm-b.html")
        ours(small, d / "warm-o.html", context=True)

        tb = min(baseline(lon, lat, d / "baseline.html") for _ in range(REPEAT_BASELINE))
        to = min(ours(layer, d / "ours.html", context=False) for _ in range(REPEAT))
        tc = min(ours(layer, d / "ours-context.html", context=True) for _ in range(REPEAT))
        sb = (d / "baseline.html").stat().st_size
        so = (d / "ours.html").stat().st_size
        sc = (d / "ours-context.html").stat().st_size
        print(f"{n:,} incidents; coordinates rounded to 5 decimals (~1.1 m)")
        print(f"baseline folium-marker-per-row: {tb:7.2f} s  {sb / n:6.1f} B/feature")
        print(
            f"bordermap (no context):         {to:7.2f} s  {so / n:6.1f} B/feature"
            f"   speed x{tb / to:.1f}  size x{sb / so:.1f}"
        )
        print(
            f"bordermap (geodesic context):   {tc:7.2f} s  {sc / n:6.1f} B/feature"
            f"   speed x{tb / tc:.1f}  size x{sb / sc:.1f}"
        )
        open_in_chromium(d / "ours-context.html")


# --- python -m benchmarks ---------------------------------------------------------------


def _map_work(n: int, which: str) -> tuple[float, int]:
    """(seconds, bytes) of one map build and save in this process (warmed up on 100)."""
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        small, slon, slat = make_layer(100)
        layer, lon, lat = make_layer(n)
        if which == "baseline":
            baseline(slon, slat, d / "warm.html")
            s = baseline(lon, lat, d / "map.html")
        else:
            ours(small, d / "warm.html", context=True)
            s = ours(layer, d / "map.html", context=True)
        return s, (d / "map.html").stat().st_size


def rows(quick: bool = False) -> list[dict]:
    """Maps of 50 k and 1 M incidents (geodesic context) against a folium.Marker per row."""
    from benchmarks._harness import isolated, row

    out = []
    for n in ((2_000, 10_000) if quick else (50_000, 1_000_000)):
        (s, size), peak = isolated(_map_work, n, "ours")
        if n <= 50_000:
            (sb, size_b), _ = isolated(_map_work, n, "baseline")
            acc = f"{size / n:.1f} B/incident vs {size_b / n:.1f}"
        else:
            sb, acc = None, f"{size / n:.1f} B/incident, {size / 1e6:,.0f} MB page"
        out.append(row("map (build + save)", n, s, "folium.Marker per row", sb, acc, peak,
                       "" if sb else "baseline not run at this size (minutes); the current "
                       "code draws every point (aggregation: future work)"))
    return out


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else N)
