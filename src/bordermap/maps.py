"""Layered Folium maps of incident layers, safe with untrusted text.

:func:`build_map` turns one or more :class:`~bordermap.incidents.Layer` objects
into a :class:`folium.Map` with

* base layers: tile providers through :mod:`xyzservices` (:data:`TILE_PROVIDERS`)
  and an offline vector basemap of the embedded Natural Earth countries;
* toggleable overlays: frontiers (the Line of Control, the Working Boundary and the
  AGPL each drawn distinctly from international borders), geodesic corridor bands,
  incidents grouped by kind (one overlay per kind, distinct glyph and colour),
  strike vectors (geodesic arcs from origin to impact with an arrowhead),
  uncertainty circles (geodesic, radius ``precision_m``) or curated areas, and
  place labels;
* popups with date and precision, kind, actor → target, each claimant's claims,
  the computed context from :mod:`bordermap.analysis` and the sources as links;
* legend, layer control, scale bar, geodesic measure tool, fullscreen button,
  minimap and a time slider; the view fits the data.

Safety
------
Analyst text never reaches the page as HTML or script.  All data travel as one
JSON payload (:func:`bordermap._assets.js_json`: ``<``, ``>``, ``&``, U+2028 and
U+2029 escaped), and ``assets/bordermap.js`` builds every popup, tooltip, label
and legend row with ``createElement``/``textContent``.  Layer-control names are
HTML-escaped; colours and glyphs come from this module's tables; links are
emitted only for ``http``/``https`` URLs, with ``rel="noopener noreferrer"``.

Size and speed
--------------
Incidents are written as columns of integers: coordinates in units of 1e-5
degree (:data:`COORD_DECIMALS` = 5 decimals, about 1.1 m of latitude), indices into
tables of distinct dates, details and context phrases, and the distance to the
nearest frontier in tenths of a kilometre.  Up to :data:`DOM_MARKER_LIMIT`
incidents are drawn as DOM markers with glyphs; above that they are canvas circle
markers, so the page never holds more than 1,000 marker elements.

Examples
--------
>>> from bordermap.incidents import Incident, Layer, Location, Source, parse_date
>>> src = Source("Example Wire", "A report", url="https://example.org/r")
>>> inc = Incident(id="a", title="Shelling <b>near</b> X", date=parse_date("2025-05-07"),
...                kind="artillery/shelling", actor="PAK", target_side="IND",
...                impacts=(Location(74.10, 33.77, 5000.0, name="X", country="IND"),),
...                sources=(src,))
>>> m = build_map(Layer("demo", "Demo", (inc,)), corridor_km=(), offline=True)
>>> html = m.get_root().render()
>>> "<b>near</b>" in html, "\\\\u003cb\\\\u003enear" in html
(False, True)
"""

from __future__ import annotations

import html
import math
import os
import re
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bordermap.errors import ExportError, LayerError

if TYPE_CHECKING:  # pragma: no cover
    import folium

    from bordermap.frontiers import Frontier
    from bordermap.incidents import Incident, Layer, Location

__all__ = [
    "BAND_DISPLAY_TOLERANCE_M",
    "BASEMAP_TOLERANCE_M",
    "COORD_DECIMALS",
    "DOM_MARKER_LIMIT",
    "FRONTIER_STYLES",
    "KIND_STYLES",
    "TILE_PROVIDERS",
    "build_map",
    "make_map",
    "map_from_payload",
    "map_payload",
    "parse_corridor_km",
    "save_map",
]

#: Decimals kept for incident coordinates (1e-5 degree is about 1.1 m of latitude).
COORD_DECIMALS = 5
#: Above this many incident points, markers are canvas circles instead of DOM icons.
DOM_MARKER_LIMIT = 1000
#: Above this many points, uncertainty shapes and strike vectors are left out.
SHAPE_LIMIT = 2000
#: Display-only simplification of the offline basemap, in Web Mercator metres.
BASEMAP_TOLERANCE_M = 1000.0
#: Display-only simplification of corridor bands, in Web Mercator metres.
BAND_DISPLAY_TOLERANCE_M = 150.0
#: Vertices of a geodesic uncertainty circle.
CIRCLE_VERTICES = 48

#: Tile providers offered as base layers (xyzservices names) when not offline.
TILE_PROVIDERS: tuple[str, ...] = (
    "OpenStreetMap.Mapnik",
    "OpenTopoMap",
    "Esri.WorldImagery",
    "Esri.WorldTopoMap",
)

#: Colour and glyph of each incident kind (the controlled vocabulary of bordermap.incidents).
KIND_STYLES: dict[str, tuple[str, str]] = {
    "air strike": ("#1f78b4", "\u2708"),
    "missile strike": ("#e31a1c", "\u25b2"),
    "drone strike": ("#ff7f00", "\u25c6"),
    "missile and drone strike": ("#b2182b", "\u2726"),
    "artillery/shelling": ("#6a3d9a", "\u2739"),
    "cross-border fire": ("#8c6bb1", "\u2248"),
    "militant attack": ("#252525", "!"),
    "shoot-down": ("#33a02c", "\u2715"),
    "ground clash": ("#a6761d", "\u2694"),
    "military exercise": ("#1b9e77", "\u2693"),
    "ceasefire": ("#e7298a", "="),
    "diplomatic event": ("#636363", "\u2709"),
    "other": ("#969696", "\u2022"),
}

#: Line style per frontier segment kind: (colour, weight px, dash pattern, legend label).
FRONTIER_STYLES: dict[str, tuple[str, float, str | None, str]] = {
    "international border": ("#222222", 2.5, None, "International border"),
    "line of control": ("#d7191c", 3.0, "10 6", "Line of Control"),
    "working boundary": ("#f46d43", 3.0, "3 6", "Working Boundary"),
    "actual ground position line": ("#7b3294", 3.0, "1 5", "Actual Ground Position Line"),
}
_DEFAULT_FRONTIER_STYLE = ("#555555", 2.0, "6 4", "Other boundary")

_BAND_COLOURS = ("#d73027", "#fc8d59", "#fee090", "#e0f3f8", "#91bfdb")
_BASEMAP_MARGIN_DEG = 12.0  # countries whose bbox meets the data bbox grown by this (display)


# ----------------------------------------------------------------------------
# Payload
# ----------------------------------------------------------------------------


def _as_layers(layers: Any) -> tuple[Layer, ...]:
    from bordermap.incidents import Layer

    if isinstance(layers, Layer):
        return (layers,)
    out = tuple(layers)
    for i, layer in enumerate(out):
        if not isinstance(layer, Layer):
            raise LayerError(
                f"build_map expects incident layers, got {type(layer).__name__} at position {i}",
                suggestion="load files with bordermap.incidents.load_layer(path)",
            )
    return out


def _countries_of(incidents: Iterable[Incident]) -> set[str]:
    codes: set[str] = set()
    for inc in incidents:
        for code in (inc.actor, inc.target_side):
            if code and len(code) == 3 and code.isupper():
                codes.add(code)
        for loc in (*inc.impacts, inc.origin):
            if loc is not None and loc.country:
                codes.add(loc.country)
    return codes


@cache
def _all_frontiers() -> tuple[Frontier, ...]:
    """The named frontiers on the embedded boundaries (immutable values, built once)."""
    from bordermap.frontiers import all_frontiers

    return all_frontiers()


def _pick_frontiers(frontiers: Any, codes: set[str]) -> list[Frontier]:
    from bordermap.frontiers import Frontier, get_frontier

    if frontiers is not None:
        out = []
        for f in frontiers:
            out.append(f if isinstance(f, Frontier) else get_frontier(str(f)))
        return out
    if not codes:
        return []
    everything = _all_frontiers()
    both = [f for f in everything if set(f.countries) <= codes]
    return both or [f for f in everything if set(f.countries) & codes]


def _rings_latlon(geom: Any, decimals: int) -> list:
    """Polygon/MultiPolygon as Leaflet rings: [[[lat, lon], ...], ...] per polygon."""
    import numpy as np
    import shapely

    parts = shapely.get_parts(geom)
    polys = []
    for poly in parts:
        if poly.is_empty or poly.geom_type != "Polygon":
            continue
        rings = [poly.exterior, *poly.interiors]
        polys.append([np.round(np.asarray(r.coords)[:, ::-1], decimals).tolist() for r in rings])
    return polys


def _lines_latlon(geom: Any, decimals: int) -> list:
    import numpy as np
    import shapely

    return [
        np.round(np.asarray(part.coords)[:, ::-1], decimals).tolist()
        for part in shapely.get_parts(geom)
        if not part.is_empty
    ]


def _display_simplify(geoms: Any, tolerance_m: float) -> Any:
    """Simplify geometries for display only: in Web Mercator metres, then back to lon/lat."""
    import geopandas as gpd

    s = gpd.GeoSeries(geoms, crs="EPSG:4326").to_crs(3857)
    return s.simplify(tolerance_m, preserve_topology=True).to_crs(4326).values


@cache
def _curated_area(place_id: str, country: str | None) -> Any:
    """The curated area polygon of a gazetteer place, or None."""
    import shapely

    from bordermap.errors import BordermapError
    from bordermap.gazetteer import geocode

    try:
        place = geocode(place_id, country=country)
    except BordermapError:
        return None
    if place.id != place_id or not place.area_wkt:
        return None
    return shapely.from_wkt(place.area_wkt)


def _geodesic_circles(lon: Any, lat: Any, radius_m: Any) -> Any:
    """(N, V, 2) lon/lat vertices of geodesic circles (exact forward problem)."""
    import numpy as np

    from bordermap.geodesy import geod

    n = len(lon)
    az = np.linspace(0.0, 360.0, CIRCLE_VERTICES, endpoint=False)
    lo = np.repeat(np.asarray(lon, float), CIRCLE_VERTICES)
    la = np.repeat(np.asarray(lat, float), CIRCLE_VERTICES)
    r = np.repeat(np.asarray(radius_m, float), CIRCLE_VERTICES)
    x, y, _ = geod().fwd(lo, la, np.tile(az, n), r)
    x = np.unwrap(np.asarray(x).reshape(n, CIRCLE_VERTICES), period=360.0, axis=1)
    return np.stack([x, np.asarray(y).reshape(n, CIRCLE_VERTICES)], axis=2)


def _arc(lon1: float, lat1: float, lon2: float, lat2: float) -> tuple[list, list, float]:
    """Geodesic arc origin→impact as [lat, lon] vertices, its arrowhead, its length (km)."""
    import numpy as np

    from bordermap.geodesy import geod

    g = geod()
    _, az21, dist = g.inv(lon1, lat1, lon2, lat2)
    n = int(min(128, max(8, dist / 10_000.0)))
    mid = np.asarray(g.npts(lon1, lat1, lon2, lat2, n), float).reshape(-1, 2)
    pts = np.vstack([[lon1, lat1], mid, [lon2, lat2]])
    pts[:, 0] = np.unwrap(pts[:, 0], period=360.0)
    head_m = min(20_000.0, 0.18 * dist)
    hx, hy, _ = g.fwd([lon2, lon2], [lat2, lat2], [az21 - 22.0, az21 + 22.0], [head_m, head_m])
    hx = np.unwrap(np.array([hx[0], pts[-1, 0], hx[1]]), period=360.0)
    hx += pts[-1, 0] - hx[1]
    head = np.round(np.c_[[hy[0], lat2, hy[1]], hx], COORD_DECIMALS).tolist()
    return np.round(pts[:, ::-1], COORD_DECIMALS).tolist(), head, dist / 1000.0


def _context(
    lon: Any, lat: Any, frontiers: Sequence[Frontier], precision_m: Any = None,
    areas: Any = None,
) -> tuple[Any, Any, list, Any]:
    """Distance to the nearest frontier (tenths of km), phrase-template indices, and the
    range over each place's extent: (least, greatest) in tenths of km and side certainty."""
    import numpy as np
    import pandas as pd

    from bordermap.analysis import (
        ON_LINE_M,
        frontier_distance_bounds,
        frontier_table,
        nearest_frontier,
    )

    n = len(lon)
    tenths = np.zeros(n, dtype=np.int64)
    which = np.full(n, -1, dtype=np.int64)
    lo_t = np.zeros(n, dtype=np.int64)
    hi_t = np.zeros(n, dtype=np.int64)
    certain = np.zeros(n, dtype=np.int64)
    if precision_m is None:
        precision_m = np.zeros(n)
    if n == 0 or not frontiers:
        return tenths, which, [], (lo_t, hi_t, certain)
    if len(frontiers) == 1:
        names = np.full(n, frontiers[0].name, dtype=object)
    else:
        near = nearest_frontier(lon, lat, frontiers=list(frontiers))
        names = near["frontier"].to_numpy(dtype=object)
    templates = np.empty(n, dtype=object)
    for f in frontiers:
        sel = np.flatnonzero(names == f.name)
        if sel.size == 0:
            continue
        a = frontier_table(lon[sel], lat[sel], frontier=f)
        km = a["distance_km"].to_numpy(float)
        tenths[sel] = np.rint(km * 10.0).astype(np.int64)
        b = frontier_distance_bounds(
            lon[sel], lat[sel], precision_m[sel], frontier=f,
            areas=None if areas is None else [areas[k] for k in sel],
        )
        spread = b.max_distance_km - b.min_distance_km > 1e-6
        lo_t[sel] = np.where(spread, np.floor(b.min_distance_km * 10.0), tenths[sel])
        hi_t[sel] = np.where(spread, np.ceil(b.max_distance_km * 10.0), tenths[sel])
        side = a["side"].to_numpy(dtype=object)
        certain[sel] = ((side != "") & (b.min_distance_km * 1000.0 > ON_LINE_M)).astype(np.int64)
        phrase = a["phrase"].to_numpy(dtype=object).astype(str)
        kmtxt = np.char.mod("%.1f", km)
        tpl = np.array(
            [p.replace(k, "{km}", 1) for p, k in zip(phrase, kmtxt, strict=True)], dtype=object
        )
        inside = (a["country"].to_numpy(dtype=object) == a["side"].to_numpy(dtype=object)) & (
            a["side"].to_numpy(dtype=object) != ""
        )
        seg = a["segment"].to_numpy(dtype=object).astype(str)
        tpl[inside] = tpl[inside] + " from the " + seg[inside]
        templates[sel] = tpl
    have = np.flatnonzero(templates != None)  # noqa: E711 - element-wise
    codes, uniques = pd.factorize(pd.Series(templates[have], dtype=object))
    which[have] = codes
    return tenths, which, [str(u) for u in uniques], (lo_t, hi_t, certain)


def _spread_json(spread: Any) -> dict:
    """Least/greatest distance (tenths of km) and side certainty, when any place has extent."""
    if spread is None:
        return {}
    lo, hi, certain = spread
    if not (hi > lo).any():
        return {}
    return {"lo": lo.tolist(), "hi": hi.tolist(), "sc": certain.tolist()}


def _arc_span(length_km: float, origin_m: float, impact_m: float) -> str:
    """The length of a strike arc with what both ends' uncertainty allows.

    Examples
    --------
    >>> _arc_span(127.3, 0.0, 500.0)
    '127.3 km, geodesic'
    >>> _arc_span(127.3, 50_000.0, 5_000.0)
    '127 km, geodesic (anywhere from 72 to 182 km: the ends are known to ±55 km)'
    >>> _arc_span(127.3, 300_000.0, 5_000.0)
    'direction only: the ends are known to ±305 km, more than the 127 km between them'
    """
    from bordermap.uncertainty import km_text, pair_distance_bounds

    r_km = (origin_m + impact_m) / 1000.0
    if r_km < 1.0:
        return f"{length_km:.1f} km, geodesic"
    if r_km >= length_km:
        return (f"direction only: the ends are known to ±{km_text(r_km)} km, "
                f"more than the {km_text(length_km)} km between them")
    lo, hi = pair_distance_bounds([length_km], [origin_m], [impact_m])
    return (f"{km_text(length_km)} km, geodesic (anywhere from {km_text(lo[0])} to "
            f"{km_text(hi[0])} km: the ends are known to ±{km_text(r_km)} km)")


def _claim_json(claim: Any, source_index: dict) -> dict:
    out: dict[str, Any] = {"c": claim.claimant}
    if claim.casualties:
        out["cas"] = [[cat.replace("_", " "), str(rng)] for cat, rng in claim.casualties]
    if claim.hit:
        out["h"] = claim.hit
    if claim.outcome:
        out["o"] = claim.outcome
    if claim.notes:
        out["n"] = claim.notes
    if claim.sources:
        out["s"] = [source_index[s] for s in claim.sources]
    return out


def _source_row(src: Any) -> list:
    url = src.url
    if url is not None and not url.lower().startswith(("http://", "https://")):
        url = None  # rendered inert; load_layer already refuses such urls
    return [src.publisher, src.title, src.date.text if src.date else None, url, src.authors]


def map_payload(
    layers: Any,
    *,
    corridor_km: Sequence[float] = (10, 25, 50),
    frontiers: Any = None,
    title: str | None = None,
    context: bool = True,
    basemap: bool = True,
) -> dict[str, Any]:
    """The JSON-ready data a map is drawn from (what :func:`build_map` embeds).

    Parameters
    ----------
    layers : Layer or sequence of Layer
    corridor_km : sequence of float
        Outer widths of the corridor bands either side of each frontier (km).
    frontiers : sequence of Frontier or frontier names, optional
        Default: the frontiers between the incidents' countries.
    title : str, optional
    context : bool
        Compute each point's distance and side relative to its nearest frontier.
    basemap : bool
        Include the offline vector basemap.

    Returns
    -------
    dict
        Keys ``title, kinds, dates, details, sources, ctx, inc, arcs, unc, labels,
        frontiers, bands, lineStyles, basemap, bounds, dom, note``; ``inc`` holds the
        per-point columns ``x, y`` (1e-5 degree), ``k`` (kind), ``d`` (date),
        ``i`` (details), ``c`` (tenths of km to the nearest frontier), ``s`` (phrase).

    Examples
    --------
    >>> from bordermap.incidents import Incident, Layer, Location, parse_date
    >>> inc = Incident(id="a", title="A", date=parse_date("2024-01-16"), kind="drone strike",
    ...                actor="IRN", impacts=(Location(64.09, 26.97, 5000.0),))
    >>> p = map_payload(Layer("x", "X", (inc,)), corridor_km=(), frontiers=[], basemap=False)
    >>> p["inc"]["x"], p["inc"]["y"], p["kinds"][p["inc"]["k"][0]]["label"]
    ([6409000], [2697000], 'drone strike')
    """
    import numpy as np

    layer_tuple = _as_layers(layers)
    incidents = [inc for layer in layer_tuple for inc in layer.incidents]
    if title is None:
        title = " + ".join(layer.title or layer.name for layer in layer_tuple) or "bordermap"

    # --- flatten to one row per impact point (plain loop over the dataclasses) ---
    kinds = list(KIND_STYLES)
    kind_idx = {k: i for i, k in enumerate(kinds)}
    date_idx: dict[tuple, int] = {}
    dates: list[list] = []
    detail_idx: dict[tuple, int] = {}
    details: list[dict] = []
    source_idx: dict[Any, int] = {}
    sources: list[list] = []
    lon_l: list[float] = []
    lat_l: list[float] = []
    k_l: list[int] = []
    d_l: list[int] = []
    i_l: list[int] = []
    pts_inc: list[Incident] = []
    pts_loc: list[Location] = []

    for inc in incidents:
        if inc.kind not in kind_idx:  # not in the vocabulary: drawn as "other"
            kind_idx[inc.kind] = kind_idx["other"]
        dkey = (inc.date.text, inc.date.precision, inc.date.start, inc.date.end)
        di = date_idx.get(dkey)
        if di is None:
            di = date_idx[dkey] = len(dates)
            dates.append(
                [
                    inc.date.text or inc.date.start.isoformat(),
                    "interval" if inc.date.interval else inc.date.precision,
                    int(inc.date.start.timestamp() * 1000),
                    int(inc.date.end.timestamp() * 1000),
                ]
            )
        all_src = inc.all_sources if inc.claims else inc.sources
        src_ids = []
        for s in all_src:
            si = source_idx.get(s)
            if si is None:
                si = source_idx[s] = len(sources)
                sources.append(_source_row(s))
            src_ids.append(si)
        src_key = tuple(src_ids)
        ki = kind_idx[inc.kind]
        for loc in inc.impacts:
            key = (
                inc.title, inc.actor, inc.target_side, inc.target_group, inc.operation,
                inc.claims, src_key, inc.notes, loc.name, loc.precision_m, loc.note,
                inc.origin.name if inc.origin else None,
            )  # fmt: skip
            ii = detail_idx.get(key)
            if ii is None:
                ii = detail_idx[key] = len(details)
                det: dict[str, Any] = {"t": inc.title, "a": inc.actor, "pm": loc.precision_m}
                for short, value in (
                    ("ts", inc.target_side),
                    ("tg", inc.target_group),
                    ("op", inc.operation),
                    ("pl", loc.name),
                    ("ln", loc.note),
                    ("n", inc.notes),
                    ("o", inc.origin.name or "coordinates given" if inc.origin else None),
                ):
                    if value:
                        det[short] = value
                if inc.claims:
                    det["cl"] = [_claim_json(c, source_idx) for c in inc.claims]
                det["s"] = list(src_ids)
                details.append(det)
            lon_l.append(loc.lon)
            lat_l.append(loc.lat)
            k_l.append(ki)
            d_l.append(di)
            i_l.append(ii)
            pts_inc.append(inc)
            pts_loc.append(loc)

    lon = np.asarray(lon_l, dtype=float)
    lat = np.asarray(lat_l, dtype=float)
    n = len(lon)
    scale = 10**COORD_DECIMALS
    codes = _countries_of(incidents)
    chosen = _pick_frontiers(frontiers, codes)
    prec = np.array([loc.precision_m or 0.0 for loc in pts_loc], dtype=float)
    areas = [
        _curated_area(loc.place_id, loc.country)
        if loc.place_kind == "area" and loc.place_id
        else None
        for loc in pts_loc
    ]
    spread = None
    if context:
        tenths, which, ctx, spread = _context(lon, lat, chosen, prec,
                                              areas if any(a is not None for a in areas) else None)
    else:
        tenths, which, ctx = np.zeros(n, np.int64), np.full(n, -1, np.int64), []

    counts = np.bincount(np.asarray(k_l, dtype=np.int64), minlength=len(kinds))
    kinds_json = [
        {
            "label": k,
            "color": KIND_STYLES[k][0],
            "glyph": KIND_STYLES[k][1],
            "n": int(counts[i]),
        }
        for i, k in enumerate(kinds)
    ]

    # --- shapes: uncertainty, strike vectors, labels (small maps only) ---
    unc: list[dict] = []
    arcs: list[dict] = []
    labels: list[list] = []
    if 0 < n <= SHAPE_LIMIT:
        circ_sel = [j for j, a in enumerate(areas) if a is None]
        if circ_sel:
            prec = np.array([pts_loc[j].precision_m for j in circ_sel])
            rings = _geodesic_circles(lon[circ_sel], lat[circ_sel], prec)
            for j, ring in zip(circ_sel, rings, strict=True):
                closed = np.vstack([ring, ring[:1]])
                unc.append(
                    {
                        "k": k_l[j],
                        "d": d_l[j],
                        "rings": np.round(closed[:, ::-1], COORD_DECIMALS).tolist(),
                    }
                )
        for j, a in enumerate(areas):
            if a is not None:
                unc.append({"k": k_l[j], "d": d_l[j], "rings": _rings_latlon(a, COORD_DECIMALS)})
        seen_arcs: set[tuple] = set()
        for j, (inc, loc) in enumerate(zip(pts_inc, pts_loc, strict=True)):
            o = inc.origin
            if o is None or (o.lon, o.lat) == (loc.lon, loc.lat):
                continue
            key = (inc.id, loc.lon, loc.lat)
            if key in seen_arcs:
                continue
            seen_arcs.add(key)
            line, head, length_km = _arc(o.lon, o.lat, loc.lon, loc.lat)
            o_prec = o.precision_m or 0.0
            span = _arc_span(length_km, o_prec, loc.precision_m or 0.0)
            label = f"{inc.title}: {o.name or 'origin'} \u2192 {loc.name or 'impact'} ({span})"
            arcs.append({"k": k_l[j], "d": d_l[j], "line": line, "head": head, "label": label})
            if o_prec > 0 and (inc.id, o.lon, o.lat) not in seen_arcs:
                seen_arcs.add((inc.id, o.lon, o.lat))
                ring = _geodesic_circles(np.array([o.lon]), np.array([o.lat]), np.array([o_prec]))[
                    0
                ]
                closed = np.vstack([ring, ring[:1]])
                unc.append(
                    {
                        "k": k_l[j],
                        "d": d_l[j],
                        "rings": np.round(closed[:, ::-1], COORD_DECIMALS).tolist(),
                        "o": 1,
                    }
                )
        if n <= DOM_MARKER_LIMIT:
            named: dict[tuple, str] = {}
            for loc in [*pts_loc, *(i.origin for i in pts_inc if i.origin is not None)]:
                if loc.name:
                    named.setdefault((round(loc.lat, 4), round(loc.lon, 4)), loc.name)
            labels = [[la, lo, name] for (la, lo), name in named.items()]

    # --- frontiers and corridor bands ---
    line_styles: list[dict] = []
    style_idx: dict[str, int] = {}

    def style_of(kind: str) -> int:
        if kind not in style_idx:
            colour, weight, dash, label = FRONTIER_STYLES.get(kind, _DEFAULT_FRONTIER_STYLE)
            if kind not in FRONTIER_STYLES:
                label = kind
            style_idx[kind] = len(line_styles)
            line_styles.append({"color": colour, "weight": weight, "dash": dash, "label": label})
        return style_idx[kind]

    fronts_json = []
    bands_json: list[dict] = []
    widths = sorted(float(w) for w in corridor_km)
    for fi, f in enumerate(chosen):
        segs = []
        for s in f.segments:
            for part in _lines_latlon(s.geometry, 5):
                segs.append({"name": s.name, "style": style_of(s.kind), "coords": part})
        fronts_json.append({"group": f"frontier{fi}", "segments": segs})
        if widths:
            from bordermap.corridors import corridor_bands

            bands = corridor_bands(f.geometry, widths)
            simple = _display_simplify(bands.geometry.values, BAND_DISPLAY_TOLERANCE_M)
            for bi, geom in enumerate(simple):
                bands_json.append(
                    {
                        "color": _BAND_COLOURS[bi % len(_BAND_COLOURS)],
                        "rings": _rings_latlon(geom, 4),
                    }
                )

    # --- bounds ---
    # the view fits the incidents; diplomatic events (often far away, e.g. a summit)
    # only count when there is nothing else to show
    field = np.array([inc.kind != "diplomatic event" for inc in pts_inc], dtype=bool)
    if not field.any():
        field[:] = True
    origins = [inc.origin for j, inc in enumerate(pts_inc) if inc.origin is not None and field[j]]
    allx = np.r_[lon[field], [o.lon for o in origins]]
    ally = np.r_[lat[field], [o.lat for o in origins]]
    if allx.size == 0:
        for f in chosen:
            b = f.geometry.bounds
            allx = np.r_[allx, b[0], b[2]]
            ally = np.r_[ally, b[1], b[3]]
    bounds = None
    if allx.size:
        bounds = [[float(ally.min()), float(allx.min())], [float(ally.max()), float(allx.max())]]

    payload: dict[str, Any] = {
        "title": title,
        "kinds": kinds_json,
        "dates": dates,
        "details": details,
        "sources": sources,
        "ctx": ctx,
        "inc": {
            "x": np.rint(lon * scale).astype(np.int64).tolist(),
            "y": np.rint(lat * scale).astype(np.int64).tolist(),
            "k": k_l,
            "d": d_l,
            "i": i_l,
            "c": tenths.tolist(),
            "s": which.tolist(),
            **_spread_json(spread),
        },
        "arcs": arcs,
        "unc": unc,
        "labels": labels,
        "frontiers": fronts_json,
        "bands": bands_json,
        "bandWidthsKm": widths,
        "lineStyles": line_styles,
        "basemap": _basemap(bounds) if basemap else [],
        "bounds": bounds,
        "dom": n <= DOM_MARKER_LIMIT,
        "note": (
            f"Coordinates rounded to {COORD_DECIMALS} decimals (\u2248 1 m). "
            "Distances and circles are geodesic (WGS84)."
        ),
        "frontierTitles": [f.title or f.name for f in chosen],
    }
    return payload


def _basemap(bounds: list | None) -> list:
    """Countries near the data, simplified for display, as [iso3, name, polygons].

    The simplification tolerance grows with the extent shown (display only):
    :data:`BASEMAP_TOLERANCE_M` for a region up to ~1,500 km across, proportionally
    more for wider views, at most 10 km.
    """
    import shapely
    from pyproj import Transformer

    from bordermap.boundaries import load_countries

    countries = load_countries()
    if bounds is not None:
        (s, w), (n, e) = bounds
        pad = min(_BASEMAP_MARGIN_DEG, max(4.0, 0.3 * max(e - w, n - s)))
        box = (max(-180.0, w - pad), max(-85.0, s - pad), min(180.0, e + pad), min(85.0, n + pad))
    else:
        box = (-180.0, -85.0, 180.0, 85.0)
    countries = countries[countries.intersects(shapely.box(*box))]
    x, y = Transformer.from_crs(4326, 3857, always_xy=True).transform(
        [box[0], box[2]], [box[1], box[3]]
    )
    span_m = max(abs(x[1] - x[0]), abs(y[1] - y[0]))
    tol = min(10_000.0, max(BASEMAP_TOLERANCE_M, span_m / 1500.0))
    geoms = _display_simplify(
        shapely.clip_by_rect(countries.geometry.values, -180.0, -85.0, 180.0, 85.0), tol
    )
    out = []
    for iso, name, geom in zip(countries["iso3"], countries["name"], geoms, strict=True):
        if geom is None or geom.is_empty:
            continue
        polys = [p for p in _rings_latlon(geom, 3) if len(p[0]) >= 4]
        if polys:
            out.append([str(iso), str(name), polys])
    return out


# ----------------------------------------------------------------------------
# Folium elements
# ----------------------------------------------------------------------------


def _control_name(name: str) -> str:
    """A layer-control label: HTML-escaped (Leaflet sets it as innerHTML) and with no
    ``{`` left, since folium re-reads the control's script as a Jinja template."""
    from bordermap.io import html_text

    return html_text(name)


@cache
def _elements() -> tuple[type, type, type]:
    from branca.element import Element, MacroElement
    from folium.map import Layer
    from folium.template import Template

    class RawHtml(Element):
        """Pre-escaped HTML placed verbatim (never parsed as a Jinja template)."""

        _template = Template("{{ this.html }}")

        def __init__(self, html_text: str) -> None:
            super().__init__()
            self.html = html_text

    class Group(Layer):
        """An empty L.featureGroup that the runtime fills; a named layer-control entry."""

        _template = Template(
            "{% macro script(this, kwargs) %}"
            "var {{ this.get_name() }} = L.featureGroup();"
            "{% endmacro %}"
        )

        def __init__(self, name: str, *, overlay: bool = True, show: bool = True) -> None:
            super().__init__(name=_control_name(name), overlay=overlay, control=True, show=show)

    class Runtime(MacroElement):
        """Calls bordermap.render(map, groups, payload) with the JSON payload.

        The script goes into the figure as a verbatim element: branca's
        ``MacroElement`` would wrap a macro's output in a new Jinja template and
        evaluate any ``{{ ... }}`` found in the data (server-side template injection).
        """

        _template = Template("")

        def __init__(self, js: str) -> None:
            super().__init__()
            self.js = js

        def render(self, **kwargs: Any) -> None:
            self.get_root().script.add_child(RawHtml(self.js), name=self.get_name())

    return RawHtml, Group, Runtime


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

    raw_html, group, runtime = _elements()
    bounds = payload["bounds"] or [[-60.0, -170.0], [75.0, 170.0]]
    centre = [(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2]
    m = _map_class()(location=centre, zoom_start=5, tiles=None, control_scale=False)
    m.default_js = []
    m.default_css = []
    m._bordermap_offline = offline  # save_map adds the matching Content-Security-Policy
    root = m.get_root()
    root.header.add_child(
        raw_html(f"<title>{html.escape(payload['title'])}</title>\n"), name="bordermap_title"
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
    # overlays with nothing to show get no entry in the layer control
    if payload["arcs"]:
        groups["vectors"] = group("Strike vectors (geodesic)").add_to(m)
    if payload["unc"]:
        groups["uncertainty"] = group("Location uncertainty").add_to(m)
    # labels crowd a busy map: shown at first only for a few places (toggle to see all)
    if payload["labels"]:
        groups["labels"] = group("Place labels", show=len(payload["labels"]) <= 15).add_to(m)

    group_js = "{" + ",".join(f"{js_json(k)}:{g.get_name()}" for k, g in groups.items()) + "}"
    runtime(
        f"bordermap.states.push(bordermap.render({m.get_name()}, {group_js}, {js_json(payload)}));"
    ).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    return m


@cache
def _map_class() -> type:
    """A folium.Map that renders its layer control last.

    Folium writes each layer's script in the order layers were added, and the
    layer control refers to every layer by name; a layer a user adds after
    :func:`build_map` would be referred to before it exists.  Rendering the
    control last lets notebooks and scripts add their own folium layers.
    """
    import folium

    class BordermapMap(folium.Map):
        def render(self, **kwargs: Any) -> None:
            for key, child in list(self._children.items()):
                if isinstance(child, folium.LayerControl):
                    self._children.move_to_end(key)
            super().render(**kwargs)

    return BordermapMap


_SCRIPT_RE = re.compile(r"<script(\s[^>]*)?>(.*?)</script>", re.S | re.I)


def _with_csp(text: str, *, offline: bool) -> str:
    """Add a Content-Security-Policy allowing exactly the page's own inline scripts.

    Each inline ``<script>`` is allowed by its SHA-256, so no other script -- an
    injected ``<script>`` or an ``onerror=`` attribute -- could run even if text were
    ever to slip through as HTML.  Offline pages may load nothing at all
    (``default-src 'none'``, images only as ``data:``); online pages may load Leaflet
    from jsDelivr and tile images over https.
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
        policy = (
            f"default-src 'none'; script-src {scripts} https://cdn.jsdelivr.net; "
            "style-src 'unsafe-inline' https://cdn.jsdelivr.net; img-src data: https:; "
            "font-src data:; base-uri 'none'; form-action 'none'"
        )
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    return text.replace("<head>", "<head>\n    " + meta, 1)


def save_map(m: folium.Map, path: str | os.PathLike[str]) -> Path:
    """Write a map as one HTML file, atomically (temporary file, then rename).

    Maps from :func:`build_map` get a Content-Security-Policy ``<meta>`` that allows
    only the page's own scripts (by hash) and, offline, no network at all.

    Returns
    -------
    Path
        The written file.

    Raises
    ------
    ExportError
        If the folder cannot be created or the file cannot be written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from bordermap.incidents import Layer
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "empty.html"
    >>> save_map(build_map(Layer("e", "Empty", ()), corridor_km=()), out).exists()
    True
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = m.get_root().render()
        offline = getattr(m, "_bordermap_offline", None)
        if offline is not None:
            text = _with_csp(text, offline=offline)
    except OSError as exc:
        raise ExportError(
            f"cannot write map: {exc.strerror or exc}",
            path=str(path),
            suggestion="check that the folder exists and is writable",
        ) from None
    from bordermap.io import write_text

    write_text(path, text)  # atomic; ExportError with the path and reason
    return path


def parse_corridor_km(value: str | Sequence[float] | None) -> tuple[float, ...]:
    """Band widths from ``"10,25,50"`` (or a sequence); ``""``/``"0"``/None mean none.

    Raises
    ------
    ExportError
        Naming the bad item, when a width is not a positive number.

    Examples
    --------
    >>> parse_corridor_km("10, 25,50")
    (10.0, 25.0, 50.0)
    >>> parse_corridor_km("")
    ()
    """
    if value is None:
        return ()
    items = value.split(",") if isinstance(value, str) else list(value)
    out: list[float] = []
    for item in items:
        text = str(item).strip()
        if not text:
            continue
        try:
            km = float(text)
        except ValueError:
            km = math.nan
        if not math.isfinite(km) or km < 0:
            raise ExportError(
                f"corridor width {text!r} is not a positive number of kilometres",
                field="corridor_km",
                suggestion="write widths like 10,25,50",
            )
        if km > 0:
            out.append(km)
    return tuple(sorted(set(out)))


def make_map(
    paths: Sequence[str | os.PathLike[str]],
    output: str | os.PathLike[str],
    *,
    corridor_km: str | Sequence[float] | None = (10, 25, 50),
    offline: bool = False,
    title: str | None = None,
    rasters: Sequence[str | os.PathLike[str]] = (),
) -> Path:
    """Load incident layer files, build their map and save it (the ``map`` command).

    ``rasters`` are GeoTIFFs (population, elevation, a signed-distance grid …)
    drawn as overlays with a colour legend each (see
    :func:`bordermap.raster.raster_overlay`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from bordermap.examples import layers_dir
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "m.html"
    >>> make_map([layers_dir() / "india-pakistan-2025.yaml"], out, offline=True).exists()
    True
    """
    from bordermap.incidents import load_layers

    if not paths:
        raise LayerError("no layer files given", suggestion="e.g. bordermap map layers/x.yaml")
    layers = load_layers(paths)
    m = build_map(layers, corridor_km=parse_corridor_km(corridor_km), offline=offline, title=title)
    if rasters:
        from bordermap.raster import raster_overlay

        for r in rasters:
            raster_overlay(r, name=Path(r).name).add_to(m)
    return save_map(m, output)
