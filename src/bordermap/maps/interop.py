"""Folium layers, plugins and ``GeoDataFrame.explore(m=...)`` on a bordermap map.

A bordermap page runs under a Content-Security-Policy that admits only the
scripts the page ships (by hash).  Folium elements a user adds bring their own
browser assets -- jQuery for :class:`folium.Popup`, Leaflet.awesome-markers and
Font Awesome for :class:`folium.Icon`, d3 for branca's colour legends (what
``explore(column=...)`` draws), the plugins' own scripts -- which folium links
from CDNs.  When a page is saved (:func:`bordermap.maps.save_map`) each such
link is resolved here:

* an asset bordermap vendors (:data:`VENDORED`, from npm, see
  ``assets/README.md``) or folium installs with itself is **inlined**, online and
  offline alike, its CSS ``url(...)`` images and fonts as ``data:`` URIs, and the
  page's policy admits it by hash;
* another asset on an **online** page stays a link and the policy admits exactly
  that URL (script and style), nothing else from its host;
* on an **offline** page, an asset that is neither vendored nor given by the
  caller (``save_map(..., assets={url: local_file})``) is an error naming the URL:
  the page could not render without the network.

:func:`add_folium_defaults` puts back the part of folium's default asset set that
the elements on a map need (bordermap maps start with none of it).
"""

from __future__ import annotations

import base64
import mimetypes
import os
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

__all__ = ["VENDORED", "add_folium_defaults", "resolve_assets"]

_ASSETS = Path(__file__).resolve().parents[1] / "assets"

_JQ = "vendor/jquery-3.7.1/jquery.min.js"
_AM = "vendor/leaflet.awesome-markers-2.0.2/"
_MC = "vendor/leaflet.markercluster-1.1.0/"
_FS = "vendor/leaflet.fullscreen-3.0.0/"
_MM = "vendor/leaflet-minimap-3.6.1/"
_ME = "vendor/leaflet-measure-2.1.7/"
_CDNJS = "https://cdnjs.cloudflare.com/ajax/libs/"
_JSD = "https://cdn.jsdelivr.net/"

#: Asset URLs used by folium 0.20 and branca -> file under ``bordermap/assets``.
VENDORED: dict[str, str] = {
    "https://code.jquery.com/jquery-3.7.1.min.js": _JQ,
    _CDNJS + "jquery/3.7.1/jquery.min.js": _JQ,
    _CDNJS + "d3/3.5.5/d3.min.js": "vendor/d3-3.5.5/d3.min.js",
    _CDNJS + "Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js":
        _AM + "leaflet.awesome-markers.min.js",
    _CDNJS + "Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.css":
        _AM + "leaflet.awesome-markers.css",
    _JSD + "npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css":
        "vendor/fontawesome-free-6.2.0/css/all.min.css",
    _CDNJS + "leaflet.markercluster/1.1.0/leaflet.markercluster.js":
        _MC + "leaflet.markercluster.js",
    _CDNJS + "leaflet.markercluster/1.1.0/MarkerCluster.css": _MC + "MarkerCluster.css",
    _CDNJS + "leaflet.markercluster/1.1.0/MarkerCluster.Default.css":
        _MC + "MarkerCluster.Default.css",
    _JSD + "npm/leaflet.fullscreen@3.0.0/Control.FullScreen.min.js":
        _FS + "Control.FullScreen.js",
    _JSD + "npm/leaflet.fullscreen@3.0.0/Control.FullScreen.css": _FS + "Control.FullScreen.css",
    _CDNJS + "leaflet-minimap/3.6.1/Control.MiniMap.js": _MM + "Control.MiniMap.min.js",
    _CDNJS + "leaflet-minimap/3.6.1/Control.MiniMap.css": _MM + "Control.MiniMap.min.css",
    _JSD + "gh/ljagis/leaflet-measure@2.1.7/dist/leaflet-measure.min.js":
        _ME + "leaflet-measure.min.js",
    _JSD + "gh/ljagis/leaflet-measure@2.1.7/dist/leaflet-measure.min.css":
        _ME + "leaflet-measure.css",
}  # fmt: skip

#: Folium's own copies in its package (``folium/templates``), linked from GitHub.
_FOLIUM_FILES = {
    "leaflet_heat.min.js",
    "pa7_hm.min.js",
    "pa7_leaflet_hm.min.js",
}

_SCRIPT_TAG = re.compile(r'<script src="([^"<>]+)"></script>')
_CSS_TAG = re.compile(r'<link rel="stylesheet" href="([^"<>]+)"\s*/?>')
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
# a web-font source whose file is not vendored (only the woff2 files are)
_TTF_SRC = re.compile(r""",\s*url\(\s*['"]?[^'")]+\.ttf['"]?\s*\)\s*format\(["']truetype["']\)""")


def _local_file(url: str, assets: Mapping[str, str | os.PathLike[str]]) -> Path | None:
    if url in assets:
        return Path(assets[url])
    if url in VENDORED:
        return _ASSETS / VENDORED[url]
    name = url.rsplit("/", 1)[-1]
    if "python-visualization/folium" in url and name in _FOLIUM_FILES:
        return _folium_templates() / name
    return None


@cache
def _folium_templates() -> Path:
    import folium

    return Path(folium.__file__).with_name("templates")


def _data_uri(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if path.suffix == ".woff2":
        mime = "font/woff2"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode()}"


def _inline_css(css: str, folder: Path) -> str:
    """CSS with every relative ``url(...)`` that exists under ``folder`` as a data: URI."""
    css = _TTF_SRC.sub("", css)

    def repl(match: re.Match[str]) -> str:
        target = match.group(2).strip()
        if target.startswith(("data:", "#")) or urlsplit(target).scheme:
            return match.group(0)
        path = (folder / target.split("?")[0].split("#")[0]).resolve()
        if not path.is_file():
            return match.group(0)
        return f"url({_data_uri(path)})"

    return _CSS_URL.sub(repl, css)


def _read(path: Path, url: str) -> str:
    from bordermap.errors import ExportError

    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ExportError(
            f"cannot read the local copy of {url}: {getattr(exc, 'strerror', None) or exc}",
            path=str(path),
            suggestion="give save_map(assets={url: file}) a readable UTF-8 file",
        ) from None


def resolve_assets(
    html: str,
    *,
    offline: bool,
    assets: Mapping[str, str | os.PathLike[str]] | None = None,
    keep: tuple[str, ...] = (),
) -> tuple[str, list[str]]:
    """Inline the folium/branca asset links of a rendered page where a copy is at hand.

    Parameters
    ----------
    html : str
        A rendered page (``m.get_root().render()``).
    offline : bool
        Whether the page must render with no network.
    assets : mapping of str to path, optional
        Local copies of further assets, by the URL the page links.
    keep : tuple of str
        URL prefixes left alone (bordermap's own Leaflet links, with integrity).

    Returns
    -------
    (str, list of str)
        The page, and the URLs it still links (online pages only), for the policy.

    Raises
    ------
    ExportError
        On an offline page, naming every linked asset with no local copy.

    Examples
    --------
    >>> page = '<head><script src="https://code.jquery.com/jquery-3.7.1.min.js"></script></head>'
    >>> out, linked = resolve_assets(page, offline=True)
    >>> out.startswith("<head><script>/*! jQuery v3.7.1"), linked
    (True, [])
    >>> resolve_assets('<link rel="stylesheet" href="https://x.example/p.css"/>', offline=False)[1]
    ['https://x.example/p.css']
    """
    from bordermap._assets import _script_body
    from bordermap.errors import ExportError

    given = dict(assets or {})
    linked: list[str] = []
    missing: list[str] = []

    def inline(match: re.Match[str], tag: str) -> str:
        """The linked file's text inside ``<tag>``, or the link as it was (recorded)."""
        url = match.group(1)
        if url.startswith(keep):
            return match.group(0)
        path = _local_file(url, given)
        if path is None:
            (missing if offline else linked).append(url)
            return match.group(0)
        text = _read(path, url)
        if tag == "script":
            return "<script>" + _script_body(text) + "</script>"
        return "<style>" + _inline_css(text, path.parent).replace("</", "<\\/") + "</style>"

    def script(match: re.Match[str]) -> str:
        return inline(match, "script")

    def style(match: re.Match[str]) -> str:
        return inline(match, "style")

    html = _CSS_TAG.sub(style, _SCRIPT_TAG.sub(script, html))
    if missing:
        listed = ", ".join(dict.fromkeys(missing))
        raise ExportError(
            f"an offline map cannot load {listed}: added folium elements need it and "
            "bordermap ships no copy",
            suggestion="save the map online (offline=False), or pass "
            "save_map(..., assets={url: local_file}) with a copy of each file",
        )
    return html, list(dict.fromkeys(linked))


def _needs(root: Any) -> tuple[bool, bool]:
    """(jQuery, awesome-markers) needed by the elements under ``root``."""
    import folium
    from folium.features import GeoJson

    jquery = awesome = False
    stack = [root]
    while stack:
        el = stack.pop()
        if isinstance(el, folium.Popup):
            jquery = True  # folium builds popup content with $(`...`)
        elif isinstance(el, folium.Icon):
            awesome = True
        elif isinstance(el, GeoJson) and not getattr(el, "embed", True):
            jquery = True  # $.ajax fetches the data
        elif isinstance(el, folium.Map) and getattr(el, "objects_to_stay_in_front", None):
            jquery = True
        stack.extend(getattr(el, "_children", {}).values())
    return jquery, awesome


def add_folium_defaults(m: Any) -> None:
    """Link the part of folium's default assets that the map's elements use.

    bordermap maps drop folium's default set (jQuery, Bootstrap, Font Awesome,
    awesome-markers): its own page needs none of it.  A :class:`folium.Popup`
    needs jQuery, a :class:`folium.Icon` needs awesome-markers and Font Awesome;
    this adds exactly those links, as folium names them, to the page header
    (saved pages then inline the vendored copies).
    """
    import folium
    from branca.element import CssLink, JavascriptLink

    jquery, awesome = _needs(m)
    js = dict(folium.Map.default_js)
    css = dict(folium.Map.default_css)
    header = m.get_root().header
    if jquery:
        header.add_child(JavascriptLink(js["jquery"]), name="jquery")
    if awesome:
        header.add_child(JavascriptLink(js["awesome_markers"]), name="awesome_markers")
        for name in ("awesome_markers_font_css", "awesome_markers_css"):
            header.add_child(CssLink(css[name]), name=name)
