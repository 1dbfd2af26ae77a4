"""Vendored browser assets and the safe serialisation used by :mod:`bordermap.maps`.

bordermap's page uses Leaflet (``assets/leaflet``, npm ``leaflet`` 1.9.4,
BSD-2-Clause) and Leaflet.markercluster (``assets/markercluster``, npm
``leaflet.markercluster`` 1.5.3, MIT); the assets of folium elements a user adds
are in ``assets/vendor`` (:mod:`bordermap.maps.interop`).  The fullscreen button,
measure tool, minimap, legend, time slider and timeline, label decluttering and
the "show all" control are bordermap's own small code in ``assets/bordermap.js``
and ``assets/bordermap_view.js``.  See ``assets/README.md``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

__all__ = [
    "LEAFLET_VERSION",
    "MARKERCLUSTER_VERSION",
    "asset_text",
    "cdn_tags",
    "inline_tags",
    "js_json",
]

#: Version of the vendored Leaflet (and of the CDN copy an online map links to).
LEAFLET_VERSION = "1.9.4"
#: Version of the vendored Leaflet.markercluster (and of its CDN copy).
MARKERCLUSTER_VERSION = "1.5.3"

_ASSETS = Path(__file__).with_name("assets")
_CDN = f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist/"
_CDN_CLUSTER = f"https://cdn.jsdelivr.net/npm/leaflet.markercluster@{MARKERCLUSTER_VERSION}/dist/"

_JS_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


_JINJA_OPEN = re.compile(r"\{(?=[{%#])")


def js_json(value: Any) -> str:
    """JSON text that is also a safe JavaScript expression inside an HTML ``<script>``.

    ``<``, ``>`` and ``&`` are written as ``\\u003c``... so that no ``</script>`` or
    ``<!--`` can appear, U+2028/U+2029 are escaped for older JS parsers, and a ``{``
    opening ``{{``, ``{%`` or ``{#`` becomes ``\\u007b``.  Backticks and ``${`` need
    nothing: they are inside double-quoted JSON strings.

    Examples
    --------
    >>> js_json({"t": "</script><script>alert(1)</script>"})
    '{"t":"\\\\u003c/script\\\\u003e\\\\u003cscript\\\\u003ealert(1)\\\\u003c/script\\\\u003e"}'
    >>> js_json("`${x}` C:\\\\path")
    '"`${x}` C:\\\\\\\\path"'
    >>> js_json("{{7*7}}")
    '"\\\\u007b{7*7}}"'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for raw, esc in _JS_ESCAPES.items():
        text = text.replace(raw, esc)
    # no Jinja delimiters ({{, {%, {#) either: folium/branca re-read some rendered
    # output as templates.  Structural JSON never has "{" before "{", "%" or "#".
    return _JINJA_OPEN.sub(r"\\u007b", text)


@cache
def asset_text(name: str) -> str:
    """Text of a file under ``bordermap/assets`` (e.g. ``"leaflet/leaflet.js"``)."""
    return (_ASSETS / name).read_text(encoding="utf-8")


def _sri(name: str) -> str:
    digest = hashlib.sha384((_ASSETS / name).read_bytes()).digest()
    return "sha384-" + base64.b64encode(digest).decode()


def _script_body(js: str) -> str:
    """JS source safe to place between ``<script>`` tags (no ``</script`` inside)."""
    return js.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT")


@cache
def _leaflet_css_inline() -> str:
    css = asset_text("leaflet/leaflet.css")
    for img in ("layers-2x.png", "layers.png"):
        data = base64.b64encode((_ASSETS / "leaflet" / "images" / img).read_bytes()).decode()
        css = css.replace(f"url(images/{img})", f"url(data:image/png;base64,{data})")
    # Leaflet finds its default marker images through this rule; offline pages set
    # them as data: URIs instead (_default_icon_js), so the CSS fetches nothing
    return css.replace("url(images/marker-icon.png)", "none")


@cache
def _default_icon_js() -> str:
    """Leaflet's default marker images as data: URIs (a folium.Marker added by a user).

    ``L.Icon.Default.imagePath`` set to a string stops Leaflet from deriving a
    folder from the stylesheet; each URL is then the data: URI itself.
    """
    def uri(name: str) -> str:
        data = (_ASSETS / "leaflet" / "images" / name).read_bytes()
        return "data:image/png;base64," + base64.b64encode(data).decode()

    return (
        'L.Icon.Default.imagePath="";L.Icon.Default.mergeOptions('
        + json.dumps({
            "iconUrl": uri("marker-icon.png"),
            "iconRetinaUrl": uri("marker-icon-2x.png"),
            "shadowUrl": uri("marker-shadow.png"),
        })
        + ");"
    )


def _own_tags() -> str:
    return (
        "<style>"
        + asset_text("bordermap.css").replace("</", "<\\/")
        + "</style>\n<script>"
        + _script_body(asset_text("bordermap_view.js"))
        + "</script>\n<script>"
        + _script_body(asset_text("bordermap.js"))
        + "</script>\n<script>"
        + _script_body(asset_text("bordermap-agg.js"))
        + "</script>\n"
    )


def _cluster_inline() -> str:
    js = asset_text("markercluster/leaflet.markercluster.js")
    js = js.replace("//# sourceMappingURL=leaflet.markercluster.js.map", "")
    return (
        "<style>"
        + asset_text("markercluster/MarkerCluster.css").replace("</", "<\\/")
        + "</style>\n<script>"
        + _script_body(js)
        + "</script>\n"
    )


def inline_tags() -> str:
    """``<style>``/``<script>`` tags holding Leaflet and bordermap's runtime (no network)."""
    js = asset_text("leaflet/leaflet.js")
    js = js.replace("//# sourceMappingURL=leaflet.js.map", "")
    return (
        "<style>"
        + _leaflet_css_inline().replace("</", "<\\/")
        + "</style>\n<script>"
        + _script_body(js)
        + "</script>\n<script>"
        + _default_icon_js()
        + "</script>\n"
        + _cluster_inline()
        + _own_tags()
    )


def cdn_tags() -> str:
    """Leaflet and Leaflet.markercluster from jsDelivr (pinned versions, subresource
    integrity) + the inline runtime."""
    return (
        f'<link rel="stylesheet" href="{_CDN}leaflet.css" '
        f'integrity="{_sri("leaflet/leaflet.css")}" crossorigin="anonymous">\n'
        f'<script src="{_CDN}leaflet.js" integrity="{_sri("leaflet/leaflet.js")}" '
        'crossorigin="anonymous"></script>\n'
        f'<link rel="stylesheet" href="{_CDN_CLUSTER}MarkerCluster.css" '
        f'integrity="{_sri("markercluster/MarkerCluster.css")}" crossorigin="anonymous">\n'
        f'<script src="{_CDN_CLUSTER}leaflet.markercluster.js" '
        f'integrity="{_sri("markercluster/leaflet.markercluster.js")}" '
        'crossorigin="anonymous"></script>\n' + _own_tags()
    )
