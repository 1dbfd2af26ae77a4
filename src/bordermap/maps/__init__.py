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

Package layout
--------------
:mod:`~bordermap.maps.styles` (kinds, colours, segment styles, limits),
:mod:`~bordermap.maps.shapes` (geodesic circles and arcs, curated areas, display
simplification, basemap), :mod:`~bordermap.maps.payload` (the JSON payload),
:mod:`~bordermap.maps.elements` (folium element classes),
:mod:`~bordermap.maps.render` (payload to :class:`folium.Map`, the CSP) and
:mod:`~bordermap.maps.page` (saving pages, the ``map`` command).
"""

from __future__ import annotations

from bordermap.maps.page import make_map, parse_corridor_km, save_map
from bordermap.maps.payload import map_payload
from bordermap.maps.render import build_map, map_from_payload
from bordermap.maps.styles import (
    BAND_DISPLAY_TOLERANCE_M,
    BASEMAP_TOLERANCE_M,
    CIRCLE_VERTICES,
    COORD_DECIMALS,
    DOM_MARKER_LIMIT,
    FRONTIER_STYLES,
    KIND_STYLES,
    SHAPE_LIMIT,
    TILE_PROVIDERS,
)

__all__ = [
    "BAND_DISPLAY_TOLERANCE_M",
    "BASEMAP_TOLERANCE_M",
    "CIRCLE_VERTICES",
    "COORD_DECIMALS",
    "DOM_MARKER_LIMIT",
    "FRONTIER_STYLES",
    "KIND_STYLES",
    "SHAPE_LIMIT",
    "TILE_PROVIDERS",
    "build_map",
    "make_map",
    "map_from_payload",
    "map_payload",
    "parse_corridor_km",
    "save_map",
]
