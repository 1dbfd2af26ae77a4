"""A map of the places a report names, each with what the text says about it.

:func:`mentions_map` writes one self-contained HTML page (Leaflet inlined, no
network needed apart from optional base-map tiles): a circle per resolved or
ambiguous place mention (its gazetteer radius), the frontiers the text names,
and a side list of the mentions that have no point (countries, places the
gazetteer lacks).  The report's text is untrusted: it reaches the page only as
JSON in a ``<script type="application/json">`` block (:func:`bordermap._assets.js_json`)
and is put on screen with ``textContent``, never as HTML.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["mentions_map", "mentions_payload"]

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
{assets}
<style>
html, body {{ height: 100%; margin: 0; font: 14px/1.35 system-ui, sans-serif; }}
#map {{ position: absolute; top: 0; bottom: 0; left: 0; right: 320px; }}
#side {{ position: absolute; top: 0; bottom: 0; right: 0; width: 320px; overflow: auto;
        padding: 8px 10px; box-sizing: border-box; border-left: 1px solid #ccc; }}
#side h2 {{ font-size: 15px; margin: 6px 0; }} .q {{ color: #444; font-style: italic; }}
.status-ambiguous {{ color: #b35c00; }} .status-unresolved {{ color: #a00; }}
</style></head>
<body><div id="map"></div><div id="side"><h2 id="title"></h2><div id="list"></div></div>
<script type="application/json" id="bordermap-mentions">{data}</script>
<script>
(function () {{
  var data = JSON.parse(document.getElementById("bordermap-mentions").textContent);
  document.getElementById("title").textContent = data.title;
  var map = L.map("map", {{ worldCopyJump: true }}).setView([30, 70], 4);
  if (data.tiles) {{
    L.tileLayer("https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png", {{
      maxZoom: 18, attribution: "&copy; OpenStreetMap contributors" }}).addTo(map);
  }}
  function el(tag, text, cls) {{
    var e = document.createElement(tag); e.textContent = text; if (cls) e.className = cls;
    return e;
  }}
  function card(m) {{
    var d = document.createElement("div");
    d.appendChild(el("b", m.text));
    d.appendChild(el("span", " — " + m.label + " [" + m.status + "]", "status-" + m.status));
    d.appendChild(el("div", "“" + m.quote + "”", "q"));
    return d;
  }}
  var bounds = [];
  data.frontiers.forEach(function (f) {{
    L.geoJSON(f.geometry, {{ style: {{ color: "#c00", weight: 2 }} }})
      .bindTooltip(f.name).addTo(map);
  }});
  data.points.forEach(function (m) {{
    var c = m.status === "resolved" ? "#1565c0" : "#ef6c00";
    L.circle([m.lat, m.lon], {{ radius: m.radius_m, color: c, weight: 1, fillOpacity: 0.08 }})
      .addTo(map);
    L.circleMarker([m.lat, m.lon], {{ radius: 6, color: c, fillOpacity: 0.9 }})
      .bindPopup(card(m), {{ maxWidth: 360 }}).addTo(map);
    bounds.push([m.lat, m.lon]);
  }});
  var list = document.getElementById("list");
  list.appendChild(el("h2", "Not on the map"));
  data.unmapped.forEach(function (m) {{ list.appendChild(card(m)); }});
  list.appendChild(el("h2", "On the map"));
  data.points.forEach(function (m) {{ list.appendChild(card(m)); }});
  if (bounds.length) {{ map.fitBounds(bounds, {{ padding: [30, 30], maxZoom: 9 }}); }}
}})();
</script></body></html>
"""


def _label(m: Any) -> str:
    c = m.best
    if c is None:
        return "not in the gazetteer"
    conf = f", confidence {c.confidence:.2f}" if m.kind == "place" else ""
    where = f" ({c.country})" if c.country and m.kind == "place" else ""
    return f"{c.name}{where}, {c.id}{conf}"


def mentions_payload(ex: Any, *, title: str = "Places named in the report",
                     frontiers: bool = True) -> dict[str, Any]:
    """The data the page draws: points, unmapped mentions and frontier lines.

    Examples
    --------
    >>> from bordermap.extract import extract
    >>> ex = extract("Shelling near Panjgur <b>and</b> in Ladakh.")
    >>> p = mentions_payload(ex, frontiers=False)
    >>> [m["text"] for m in p["points"]], [m["text"] for m in p["unmapped"]]
    (['Panjgur'], ['Ladakh'])
    """
    points, unmapped, names = [], [], []
    for m in ex.mentions:
        item = {"text": m.text, "status": m.status, "kind": m.kind, "label": _label(m),
                "quote": ex.sentence_text(m.sentence), "start": m.start, "end": m.end}
        c = m.best
        if c is not None and c.lon is not None:
            item.update(lon=c.lon, lat=c.lat, radius_m=float(c.precision_m or 1000.0))
            points.append(item)
        else:
            unmapped.append(item)
            if m.kind == "frontier" and c is not None:
                names.append(c.id.split(":", 1)[1])
    lines = []
    if frontiers:
        import shapely

        from bordermap.frontiers import resolve_frontier

        for name in dict.fromkeys(names):
            f = resolve_frontier(name)
            lines.append({"name": f.title or f.name,
                          "geometry": shapely.geometry.mapping(f.geometry)})
    return {"title": title, "points": points, "unmapped": unmapped, "frontiers": lines}


def mentions_map(ex: Any, path: str | Path, *, title: str = "Places named in the report",
                 offline: bool = False) -> Path:
    """Write the page (atomically) and return its path.

    Parameters
    ----------
    ex : Extraction
        From :func:`bordermap.extract.extract`.
    path : path
        The HTML file to write.
    title : str
        Shown above the list (escaped like every text).
    offline : bool, default False
        No base-map tiles (the page then needs no network at all).
    """
    from bordermap._assets import inline_tags, js_json
    from bordermap.io._escape import html_text
    from bordermap.io._files import write_text

    data = mentions_payload(ex, title=title)
    data["tiles"] = not offline
    page = _PAGE.format(title=html_text(title), assets=inline_tags(), data=js_json(data))
    return write_text(path, page)
