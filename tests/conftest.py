"""Shared pytest fixtures."""

# --- no network: every test runs with outbound connections refused ---------------------

import ipaddress as _ipaddress
import os as _os
import shutil as _shutil
import socket as _socket
from pathlib import Path as _Path

import pytest

_real_connect = _socket.socket.connect
_real_connect_ex = _socket.socket.connect_ex


def _is_local(address) -> bool:
    if isinstance(address, (str, bytes)):  # AF_UNIX paths
        return True
    host = address[0]
    if host in ("localhost", ""):
        return True
    try:
        return _ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guarded(real):
    def connect(self, address):
        if not _is_local(address):
            raise OSError(f"tests must not use the network (tried to connect to {address!r})")
        return real(self, address)

    return connect


_socket.socket.connect = _guarded(_real_connect)
_socket.socket.connect_ex = _guarded(_real_connect_ex)

# --- maps and browser tests (tests/test_maps.py, tests/test_browser.py) ---------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

#: Analyst text that must show literally and never run (placed in every text field).
INJECTION_CORPUS = (
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    "${alert(1)}",
    "`alert(1)`",
    "C:\\path\\to\\x",
    "\"double\" 'single'",
    "<!-- {{7*7}} &amp;",
)


def hostile(field: str) -> str:
    """A field's text made of the whole injection corpus (unique per field)."""
    return f"{field} " + " ".join(INJECTION_CORPUS)


@pytest.fixture(scope="session")
def chromium_browser():
    """Headless Debian Chromium driven by Playwright (skips if chromium is missing)."""
    if not _os.path.exists(CHROMIUM) and _shutil.which("chromium") is None:
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


_TRANSPARENT_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


@pytest.fixture
def map_page(chromium_browser):
    """Open a local map file with no network: Leaflet's CDN files are served from the
    vendored copies, tile requests get a blank PNG, anything else is aborted and recorded.

    Returns a function ``open(path) -> (page, events)`` where ``events`` has the lists
    ``errors`` (page errors and console errors), ``dialogs`` and ``blocked`` (URLs).
    """
    import bordermap
    from bordermap._assets import MARKERCLUSTER_VERSION

    assets = _Path(bordermap.__file__).with_name("assets") / "leaflet"
    cluster_assets = assets.with_name("markercluster")
    pages = []

    def open_(path, *, wait_ms: int = 800):
        context = chromium_browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        events = {"errors": [], "dialogs": [], "blocked": []}
        page.on("pageerror", lambda e: events["errors"].append(f"pageerror: {e}"))
        page.on(
            "console",
            lambda m: events["errors"].append(f"console: {m.text}") if m.type == "error" else None,
        )

        def on_dialog(d):
            events["dialogs"].append(d.message)
            d.dismiss()

        page.on("dialog", on_dialog)

        def route(r):
            url = r.request.url
            if url.startswith(("file:", "data:", "blob:", "about:")):
                return r.continue_()
            cdn = url.startswith("https://cdn.jsdelivr.net/npm/leaflet@")
            cdn_cluster = url.startswith(
                f"https://cdn.jsdelivr.net/npm/leaflet.markercluster@{MARKERCLUSTER_VERSION}/"
            )
            if cdn or cdn_cluster:
                name = url.split("/dist/", 1)[-1].split("?")[0]
                ctype = {"css": "text/css", "png": "image/png"}.get(
                    name.rsplit(".", 1)[-1], "application/javascript"
                )
                return r.fulfill(
                    status=200,
                    body=((assets if cdn else cluster_assets) / name).read_bytes(),
                    headers={"Content-Type": ctype, "Access-Control-Allow-Origin": "*"},
                )
            host = url.split("/")[2] if url.count("/") >= 2 else ""
            if host.startswith("tile.") or ".tile." in host or host.endswith("arcgisonline.com"):
                return r.fulfill(status=200, body=_TRANSPARENT_PNG, content_type="image/png")
            events["blocked"].append(url)
            return r.abort()

        context.route("**/*", route)
        page.goto(_Path(path).resolve().as_uri())
        page.wait_for_function("window.bordermap && bordermap.states.length > 0", timeout=30_000)
        page.wait_for_timeout(wait_ms)
        pages.append(context)
        return page, events

    yield open_
    for c in pages:
        c.close()


@pytest.fixture(scope="session")
def scenario_maps(tmp_path_factory):
    """Both scenario maps, online and offline, built once per session."""
    from bordermap.examples import build_examples

    out = tmp_path_factory.mktemp("scenario_maps")
    return {p.name: p for p in build_examples(out)}


def hostile_layer_doc() -> dict:
    """A two-incident layer whose every free-text field holds the injection corpus."""
    src = {
        "id": "s1",
        "publisher": hostile("publisher"),
        "title": hostile("source title"),
        "date": "2024-01-17",
        "url": "https://example.org/report?a=1&b=<x>",
        "authors": hostile("authors"),
        "notes": hostile("source notes"),
    }
    return {
        "name": "hostile",
        "title": hostile("layer title"),
        "description": hostile("layer description"),
        "sources": [src],
        "incidents": [
            {
                "id": "h-1",
                "title": hostile("title"),
                "date": "2024-01-16",
                "kind": "missile strike",
                "operation": hostile("operation"),
                "actor": hostile("actor"),
                "target_side": hostile("target"),
                "target_group": hostile("group"),
                "origin": {
                    "lon": 61.2,
                    "lat": 27.2,
                    "precision_m": 20000,
                    "label": hostile("origin"),
                    "note": hostile("origin note"),
                },
                "impact": [
                    {
                        "lon": 63.72,
                        "lat": 26.95,
                        "precision_m": 5000,
                        "label": hostile("impact"),
                        "source": hostile("location source"),
                    }
                ],
                "claims": [
                    {
                        "claimant": hostile("claimant"),
                        "casualties": {"killed": {"low": 1, "best": 2, "high": 3}},
                        "hit": hostile("hit"),
                        "outcome": hostile("outcome"),
                        "notes": hostile("claim notes"),
                        "sources": ["s1"],
                    }
                ],
                "sources": ["s1"],
                "notes": hostile("notes"),
            },
            {
                "id": "h-2",
                "title": "second",
                "date": "2024-01-18",
                "kind": "drone strike",
                "actor": "PAK",
                "target_side": "IRN",
                "impact": {"lon": 62.1, "lat": 27.4, "precision_m": 3000},
                "sources": ["s1"],
            },
        ],
    }


@pytest.fixture
def hostile_layer(tmp_path):
    """Path of the hostile layer written as YAML (safe_dump) in a temporary folder."""
    import yaml

    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(hostile_layer_doc(), allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def geonames(tmp_path_factory) -> _Path:
    """A small GeoNames extract: the records the curated gazetteer merges (so that a base
    index builds in about a second), for the user-gazetteer and overlay tests."""
    import json

    import yaml

    from bordermap import gazetteer as gz

    data = json.loads(gz._default_geonames_path().read_text(encoding="utf-8"))
    merged = {e.get("geonames") for e in yaml.safe_load(
        gz._default_curated_path().read_text("utf-8"))["places"]}  # fmt: skip
    keep = {k: r for k, r in data.items() if int(r["geonameid"]) in merged}
    path = tmp_path_factory.mktemp("geonames") / "small.json"
    path.write_text(json.dumps(keep), encoding="utf-8")
    return path
