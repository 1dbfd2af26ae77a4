"""Styles of a map: incident kinds, frontier segment kinds, bands, tiles and limits.

Every colour and glyph on the page comes from these tables (never from layer text).
"""

from __future__ import annotations

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
