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
    "NEAR_FRONTIER_KM",
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

#: Colour and glyph of each incident kind (the controlled vocabulary of bordermap.incidents,
#: :data:`bordermap.incidents.KINDS`, including the kinds the ACLED and UCDP readers produce).
#: Every glyph is in DejaVu Sans; every colour is dark enough for a white glyph.
KIND_STYLES: dict[str, tuple[str, str]] = {
    "air strike": ("#1f78b4", "\u2708"),
    "missile strike": ("#e31a1c", "\u25b2"),
    "drone strike": ("#d98200", "\u25c6"),
    "missile and drone strike": ("#b2182b", "\u2726"),
    "artillery/shelling": ("#6a3d9a", "\u2739"),
    "cross-border fire": ("#8c6bb1", "\u2248"),
    "militant attack": ("#252525", "!"),
    "shoot-down": ("#33a02c", "\u2715"),
    "ground clash": ("#a6761d", "\u2694"),
    "military exercise": ("#1b9e77", "\u2693"),
    "ceasefire": ("#e7298a", "="),
    "diplomatic event": ("#636363", "\u2709"),
    # the event datasets' kinds (ACLED sub-event types, UCDP GED types of violence)
    "armed clash": ("#8c510a", "\u2694"),
    "government regains territory": ("#35978f", "\u2691"),
    "non-state actor overtakes territory": ("#01665e", "\u2690"),
    "non-violent transfer of territory": ("#5a8f86", "\u21c4"),
    "air/drone strike": ("#2b5c8a", "\u2708"),
    "shelling/artillery/missile attack": ("#54278f", "\u2738"),
    "remote explosive/landmine/ied": ("#b35806", "\u25c9"),
    "grenade": ("#7f3b08", "\u25cf"),
    "suicide bomb": ("#67001f", "\u2737"),
    "chemical weapon": ("#4d7a1f", "\u2697"),
    "attack": ("#3d3d3d", "!"),
    "abduction/forced disappearance": ("#762a83", "?"),
    "sexual violence": ("#a50f4a", "\u26a0"),
    "looting/property destruction": ("#8c2d04", "\u2692"),
    "protest": ("#2166ac", "\u2605"),
    "excessive force against protesters": ("#9e3b2f", "\u2716"),
    "riot": ("#c2410c", "\u26a1"),
    "arrests": ("#44546a", "\u2297"),
    "agreement": ("#1a7f3c", "\u2714"),
    "disrupted weapons use": ("#3f7f4f", "\u2298"),
    "base established": ("#225ea8", "\u25a3"),
    "state-based armed conflict": ("#993404", "\u2694"),
    "non-state conflict": ("#cc4c02", "\u2694"),
    "one-sided violence": ("#7f2704", "\u2620"),
    "other": ("#969696", "\u2022"),
}

#: Line style per frontier segment kind: (colour, weight px, dash pattern, legend label).
#: Colours from the Okabe-Ito and Tol palettes, apart under protanopia, deuteranopia and
#: tritanopia (tests/test_maps.py simulates them) and from the corridor bands; each kind
#: also has its own dash pattern, and every frontier line is drawn over a white casing,
#: which bands (filled) and strike arcs (thin, no casing) never have.
FRONTIER_STYLES: dict[str, tuple[str, float, str | None, str]] = {
    "international border": ("#222222", 2.5, None, "International border"),
    "line of control": ("#d55e00", 3.5, "12 6", "Line of Control"),
    "working boundary": ("#0072b2", 4.0, "1 8", "Working Boundary"),
    "actual ground position line": ("#882255", 3.5, "8 5 1 5", "Actual Ground Position Line"),
}
_DEFAULT_FRONTIER_STYLE = ("#555555", 2.0, "6 4", "Other boundary")

#: Corridor bands, innermost first: sand shades, far from every frontier colour.
_BAND_COLOURS = ("#b8a26a", "#c4b07c", "#cfbd8f", "#d9caa2", "#e2d7b6")
_BASEMAP_MARGIN_DEG = 12.0  # countries whose bbox meets the data bbox grown by this (display)
#: The first view frames the points within this distance of a frontier (and their launch
#: points); farther events (summits, a far-off exercise) are one click away ("Show all").
NEAR_FRONTIER_KM = 300.0
