"""From a payload to a :class:`folium.Map`, and the page's Content-Security-Policy."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bordermap._assets import LEAFLET_VERSION, MARKERCLUSTER_VERSION
from bordermap.maps.elements import _control_name, _elements, _map_class
from bordermap.maps.payload import map_payload
from bordermap.maps.styles import TILE_PROVIDERS

if TYPE_CHECKING:  # pragma: no cover
    import folium

__all__ = ["build_map", "map_from_payload"]


def build_map(
    layers: Any,
    *,
    corridor_km: Sequence[float] = (10, 25, 50),
    frontiers: Any = None,
    offline: bool = False,
    title: str | None = None,
    context: bool = True,
) -> folium.Map:
    """A layered, self-describing map of incident layers.

    Parameters
    ----------
    layers : Layer or sequence of Layer
        Incident layers (:func:`bordermap.incidents.load_layer`).
    corridor_km : sequence of float
        Corridor band widths either side of each frontier, km; ``()`` for none.
    frontiers : sequence of Frontier or frontier names, optional
        Frontiers to draw and measure against.  Default: those between the
        incidents' countries (actor, target side, location countries).
    offline : bool
        No tile layers and Leaflet inlined: the saved file renders with no network.
    title : str, optional
        Map title (legend and page title); default: the layers' titles.
    context : bool
        Compute each point's distance and side relative to its nearest frontier.

    Returns
    -------
    folium.Map

    Examples
    --------
    >>> from bordermap.incidents import Incident, Layer, Location, parse_date
    >>> inc = Incident(id="a", title="A", date=parse_date("2024-01-16"), kind="drone strike",
    ...                actor="IRN", target_side="PAK",
    ...                impacts=(Location(64.09, 26.97, 5000.0, country="PAK"),))
    >>> m = build_map(Layer("x", "X", (inc,)), corridor_km=(10,))
    >>> html = m.get_root().render()
    >>> "{km} km inside Pakistan from the Iran–Pakistan international border" in html
    True
    >>> '"c":[782]' in html  # 78.2 km, in tenths of a km
    True
    """
    payload = map_payload(
        layers, corridor_km=corridor_km, frontiers=frontiers, title=title, context=context
    )
    return map_from_payload(payload, offline=offline)


def map_from_payload(payload: dict[str, Any], *, offline: bool = False) -> folium.Map:
    """The :class:`folium.Map` for a :func:`map_payload` (lets one payload make two maps).

    Examples
    --------
    >>> from bordermap.incidents import Layer
    >>> p = map_payload(Layer("e", "Empty", ()), corridor_km=(), basemap=False)
    >>> import folium
    >>> isinstance(map_from_payload(p, offline=True), folium.Map)
    True
    """
    import folium
    import xyzservices.providers as xyz

    from bordermap._assets import cdn_tags, inline_tags, js_json
    from bordermap.io import html_text

    raw_html, group, runtime = _elements()
    bounds = payload["bounds"] or [[-60.0, -170.0], [75.0, 170.0]]
    centre = [(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2]
    # maxZoom: Leaflet plugins (marker clustering) need one even with no tile layer
    m = _map_class()(location=centre, zoom_start=5, tiles=None, control_scale=False, maxZoom=19)
    m.default_js = []
    m.default_css = []
    m._bordermap_offline = offline  # save_map adds the matching Content-Security-Policy
    root = m.get_root()
    root.header.add_child(
        raw_html(f"<title>{html_text(payload['title'])}</title>\n"), name="bordermap_title"
    )
    root.header.add_child(
        raw_html(inline_tags() if offline else cdn_tags()), name="bordermap_assets"
    )

    if not offline:
        for i, pname in enumerate(TILE_PROVIDERS):
            provider = xyz.query_name(pname)
            folium.TileLayer(
                provider,
                name=_control_name(pname),
                show=(i == 0),
                max_zoom=provider.get("max_zoom", 19),
            ).add_to(m)
    basemap = group(
        "Offline basemap (Natural Earth, simplified)", overlay=False, show=offline
    ).add_to(m)
    groups: dict[str, Any] = {"basemap": basemap}
    for fi, name in enumerate(payload["frontierTitles"]):
        groups[f"frontier{fi}"] = group(f"Frontier: {name}").add_to(m)
    if payload["bandWidthsKm"] and payload["bands"]:
        widths = "/".join(f"{w:g}" for w in payload["bandWidthsKm"])
        groups["bands"] = group(f"Corridor bands {widths} km").add_to(m)
    else:
        groups["bands"] = group("Corridor bands", show=False).add_to(m)
    for ki, k in enumerate(payload["kinds"]):
        if k["n"]:
            groups[f"kind{ki}"] = group(f"{k['label']} ({k['n']})").add_to(m)
    if payload.get("agg"):
        agg = payload["agg"]
        name = f"Incidents per hexagon ({agg['n']:,})"
        if agg.get("summary"):  # the points are drawn too: the hexagons are a summary
            name = f"Hexagon summary: uncertainty, launch flows ({agg['n']:,})"
        groups["agg"] = group(name, show=not agg.get("summary")).add_to(m)
    # overlays with nothing to show get no entry in the layer control
    if payload["arcs"]:
        groups["vectors"] = group("Strike vectors (geodesic)").add_to(m)
    if payload["unc"]:
        groups["uncertainty"] = group("Location uncertainty").add_to(m)
    # labels are decluttered by priority at each zoom (assets/bordermap_view.js)
    if payload["labels"]:
        groups["labels"] = group("Place labels").add_to(m)

    group_js = "{" + ",".join(f"{js_json(k)}:{g.get_name()}" for k, g in groups.items()) + "}"
    runtime(
        f"bordermap.states.push(bordermap.render({m.get_name()}, {group_js}, {js_json(payload)}));"
    ).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    return m


def _csp_source(url: str) -> str:
    """A CSP source expression for exactly one URL (no query; ``;`` and ``,`` encoded)."""
    from urllib.parse import quote, urlsplit

    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        from bordermap.errors import ExportError

        raise ExportError(f"a map asset must be an http(s) URL, got {url!r}")
    path = quote(parts.path, safe="/@:+~!$()*=.-_")
    return f"{parts.scheme}://{parts.netloc}{path}"


def _origin(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


_SCRIPT_RE = re.compile(r"<script(\s[^>]*)?>(.*?)</script>", re.S | re.I)


def _with_csp(text: str, *, offline: bool, linked: Sequence[str] = ()) -> str:
    """Add a Content-Security-Policy allowing exactly the page's own inline scripts.

    Each inline ``<script>`` is allowed by its SHA-256, so no other script -- an
    injected ``<script>`` or an ``onerror=`` attribute -- could run even if text were
    ever to slip through as HTML.  Offline pages may load nothing at all
    (``default-src 'none'``, images only as ``data:``); online pages may load Leaflet
    and Leaflet.markercluster from jsDelivr (by exact URL), tile images over https,
    and exactly the ``linked`` asset URLs
    of folium plugins that bordermap does not vendor.
    """
    import base64
    import hashlib

    hashes: dict[str, None] = {}
    for match in _SCRIPT_RE.finditer(text):
        if "src=" in (match.group(1) or ""):
            continue
        digest = hashlib.sha256(match.group(2).encode("utf-8")).digest()
        hashes[f"'sha256-{base64.b64encode(digest).decode()}'"] = None
    scripts = " ".join(hashes)
    if offline:
        policy = (
            f"default-src 'none'; script-src {scripts}; style-src 'unsafe-inline'; "
            "img-src data:; font-src data:; base-uri 'none'; form-action 'none'"
        )
    else:
        extra = "".join(f" {_csp_source(u)}" for u in linked)
        fonts = "".join(f" {o}" for o in dict.fromkeys(_origin(u) for u in linked))
        cluster = f"https://cdn.jsdelivr.net/npm/leaflet.markercluster@{MARKERCLUSTER_VERSION}/dist/"
        policy = (
            f"default-src 'none'; script-src {scripts} https://cdn.jsdelivr.net/npm/leaflet@"
            f"{LEAFLET_VERSION}/dist/leaflet.js {cluster}leaflet.markercluster.js{extra}; "
            f"style-src 'unsafe-inline' https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}"
            f"/dist/leaflet.css {cluster}MarkerCluster.css{extra}; img-src data: https:; "
            f"font-src data:{fonts}; base-uri 'none'; form-action 'none'"
        )
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    return text.replace("<head>", "<head>\n    " + meta, 1)
