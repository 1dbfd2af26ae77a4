"""Layers that check themselves: consistency of what a layer says with where it puts things.

:func:`check_layers` reports, for each layer file, every problem at once: the
validation problems of :func:`bordermap.incidents.check_layer` (fields, dates,
sources, places) and these consistency findings, computed geodesically:

- **reported distance**: a location (or a claim about it) states
  ``reported_distance_km`` from a line (the border, the LoC, a frontier); the
  place's least and greatest distance to that line over its uncertainty disc or
  area (:func:`bordermap.analysis.frontier_distance_bounds`) must overlap the
  reported range, widened by :data:`REPORTED_SLACK_KM` and
  :data:`REPORTED_SLACK_FRACTION` for the rounding of published figures.
  An error otherwise.
- **stated country**: a location whose stated ``country`` does not contain it
  and whose disc does not reach that country is an error, unless the two
  countries' frontier there is a de-facto line (Line of Control, AGPL, working
  boundary), which is a dispute: a warning.
- **"inside X" not certain**: an incident whose target side is ``X``, or a claim
  whose text says "inside X", with an impact whose disc or area reaches across
  the frontier: a warning.
- **sources**: a source listed in the layer that nothing cites: a warning.

Examples
--------
>>> [p.severity for p in check_layers(["layers/iran-pakistan-2024.yaml"])
...  if p.severity == "error"]
[]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bordermap.errors import BordermapError, Problem

if TYPE_CHECKING:
    from bordermap.frontiers import Frontier
    from bordermap.incidents import Incident, Layer, Location, ReportedDistance

__all__ = [
    "DE_FACTO_KINDS",
    "LAYER_SUFFIXES",
    "REPORTED_SLACK_FRACTION",
    "REPORTED_SLACK_KM",
    "check_layers",
    "layer_files",
    "summary",
]

REPORTED_SLACK_KM = 0.5
"""Absolute slack (km) for published distances ("9 km" may mean 8.5 to 9.5)."""

REPORTED_SLACK_FRACTION = 0.1
"""Relative slack for published distances ("about 30 km")."""

DE_FACTO_KINDS = frozenset(
    {"line of control", "working boundary", "actual ground position line",
     "line of actual control"}
)
"""Segment kinds that mark a dispute: a point across one from its stated country is a warning."""

LAYER_SUFFIXES = (".yaml", ".yml", ".csv", ".geojson", ".json", ".parquet", ".geoparquet")
"""Files :func:`layer_files` picks up from a folder."""

_SEGMENT_WORDS = {
    "loc": "line of control",
    "line of control": "line of control",
    "international border": "international border",
    "working boundary": "working boundary",
    "agpl": "actual ground position line",
}


def layer_files(paths: Iterable[str | Path]) -> list[Path]:
    """Layer files named, or found (not recursively) in named folders, in order.

    A folder holding only GeoParquet files is one layer of parts (as
    :func:`~bordermap.incidents.load_layer` reads it), not a folder of layers.

    Examples
    --------
    >>> [p.name for p in layer_files(["layers"])][:2]
    ['india-pakistan-2025.yaml', 'iran-pakistan-2024.yaml']
    """
    from bordermap.io._parquet_layer import PARQUET_SUFFIXES

    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(q for q in p.iterdir()
                           if q.suffix.lower() in LAYER_SUFFIXES and q.is_file())
            if found and all(q.suffix.lower() in PARQUET_SUFFIXES for q in found):
                out.append(p)  # a folder of GeoParquet parts is one layer, as load_layer reads it
            else:
                out.extend(found)
        else:
            out.append(p)
    return out


def check_layers(
    paths: Iterable[str | Path], *, boundaries: Any = None, input_format: str | None = None
) -> list[Problem]:
    """Every problem of each layer file: validation, then consistency findings.

    Parameters
    ----------
    paths : iterable of str or Path
        Layer files or folders of layer files.
    boundaries : optional
        Country polygons (embedded Natural Earth by default).
    input_format : {"acled", "ucdp", "layer"}, optional
        The layout of every file, as ``format=`` of
        :func:`~bordermap.incidents.load_layer` (default: detected).

    Returns
    -------
    list of Problem
        In file and line order; ``severity`` is ``"error"`` or ``"warning"``.
    """
    import warnings

    from bordermap.incidents import LayerWarning, check_layer, load_layer

    problems: list[Problem] = []
    for path in layer_files(paths):
        found = check_layer(path, format=input_format)
        problems.extend(found)
        if any(p.severity == "error" for p in found):
            continue  # consistency needs a layer that loads
        try:
            with warnings.catch_warnings():  # check_layer has reported them already
                warnings.simplefilter("ignore", LayerWarning)
                layer = load_layer(path, format=input_format)
        except BordermapError as exc:  # pragma: no cover - check_layer found nothing
            problems.append(Problem(str(path), getattr(exc, "line", None), None, str(exc)))
            continue
        problems.extend(_consistency(layer, str(path), boundaries))
    return problems


# --------------------------------------------------------------------- findings


def _consistency(layer: Layer, path: str, boundaries: Any) -> list[Problem]:
    out: list[Problem] = []
    for k, inc in enumerate(layer.incidents):
        where = f"incidents[{k}]({inc.id})"
        for j, loc in enumerate(inc.impacts):
            field = f"{where}.impact[{j}]"
            if loc.reported_distance is not None:
                out.extend(_reported(inc, loc, loc.reported_distance, field, path, boundaries))
            for c, claim in enumerate(inc.claims):
                rd = claim.reported_distance
                if rd is not None and rd.impact in (None, j + 1):
                    out.extend(_reported(inc, loc, rd, f"{where}.claims[{c}]", path,
                                         boundaries))
            out.extend(_stated_country(inc, loc, field, path, boundaries))
            out.extend(_inside_claims(inc, loc, field, path, boundaries))
    out.extend(_unused_sources(layer, path))
    out.sort(key=lambda p: (p.line is None, p.line or 0))
    return out


def _area(loc: Location) -> Any:
    if loc.place_id and not str(loc.place_id).startswith("geonames:"):
        from bordermap.analysis import curated_area

        return curated_area(loc.place_id, loc.country)
    return None


def _bounds(loc: Location, frontier: Frontier, boundaries: Any) -> tuple[float, float, float]:
    from bordermap.analysis import frontier_distance_bounds

    area = _area(loc)
    b = frontier_distance_bounds([loc.lon], [loc.lat], [loc.precision_m or 0.0],
                                 frontier=frontier, boundaries=boundaries,
                                 areas=None if area is None else [area])
    return float(b.distance_km[0]), float(b.min_distance_km[0]), float(b.max_distance_km[0])


def _segment_bounds(loc: Location, frontier: Frontier, kind: str) -> tuple[float, float, float]:
    """Distance bounds to the segments of one kind only (e.g. the Line of Control)."""
    import shapely

    from bordermap.geodesy import PolylineIndex
    from bordermap.uncertainty import polyline_distance_bounds

    parts = [shapely.get_coordinates(p) for s in frontier.segments if s.kind == kind
             for p in shapely.get_parts(s.geometry)]
    index = PolylineIndex(parts)
    area = _area(loc)
    lines = None
    if area is not None:
        from bordermap.analysis import _frontier_lines

        lines = _frontier_lines(frontier)
    b = polyline_distance_bounds(index, np.array([loc.lon]), np.array([loc.lat]),
                                 loc.precision_m or 0.0,
                                 areas=None if area is None else [area], lines=lines)
    return float(b.distance_km[0]), float(b.min_distance_km[0]), float(b.max_distance_km[0])


def _codes(inc: Incident, loc: Location) -> list[str]:
    codes = [c for c in (inc.actor, inc.target_side, loc.country)
             if isinstance(c, str) and re.fullmatch(r"[A-Z]{3}", c)]
    return list(dict.fromkeys(codes))


def _incident_frontier(inc: Incident, loc: Location, boundaries: Any) -> Frontier | None:
    """The frontier an incident is about: its two countries' shared boundary."""
    from bordermap.frontiers import get_frontier

    codes = _codes(inc, loc)
    for i in range(len(codes)):
        for j in range(i + 1, len(codes)):
            try:
                return get_frontier(f"{codes[i]}-{codes[j]}", boundaries)
            except BordermapError:
                continue
    return None


def _reported(inc: Incident, loc: Location, rd: ReportedDistance, field: str, path: str,
              boundaries: Any) -> list[Problem]:
    from bordermap.frontiers import get_frontier
    from bordermap.uncertainty import km_text

    line = rd.line or inc.line
    what = rd.measured_from
    kind = _SEGMENT_WORDS.get(what)
    try:
        if kind is None and what != "border":
            frontier = get_frontier(what, boundaries)
        else:
            frontier = _incident_frontier(inc, loc, boundaries)
            if frontier is None and kind is not None:
                frontier = _frontier_with_kind(kind, boundaries)
    except BordermapError as exc:
        return [Problem(path, line, f"{field}.reported_distance_km.from", str(exc))]
    if frontier is None:
        return [Problem(path, line, f"{field}.reported_distance_km.from",
                        f"cannot tell which frontier {what!r} means for this incident",
                        suggestion="name the frontier, e.g. from: iran-pakistan")]
    if kind is not None and kind != "international border" and not any(
            s.kind == kind for s in frontier.segments):
        return [Problem(path, line, f"{field}.reported_distance_km.from",
                        f"the {frontier.title or frontier.name} has no {kind} segment")]
    if kind is not None and any(s.kind == kind for s in frontier.segments) and \
            len({s.kind for s in frontier.segments}) > 1:
        d, lo, hi = _segment_bounds(loc, frontier, kind)
        line_name = kind
    else:
        d, lo, hi = _bounds(loc, frontier, boundaries)
        line_name = frontier.title or frontier.name
    slack = REPORTED_SLACK_KM + REPORTED_SLACK_FRACTION * rd.high_km
    if rd.low_km - slack <= hi and lo <= rd.high_km + slack:
        return []
    reported = (f"{rd.low_km:g}" if rd.low_km == rd.high_km
                else f"{rd.low_km:g}–{rd.high_km:g}")
    label = loc.name or f"{loc.lon:.4f},{loc.lat:.4f}"
    return [Problem(
        path, line, f"{field}.reported_distance_km",
        f"{rd.source.publisher} reports {reported} km from the {line_name}, but {label} "
        f"(±{loc.precision_m or 0:,.0f} m) is {km_text(d)} km from it "
        f"(anywhere from {km_text(lo)} to {km_text(hi)} km)",
        suggestion="move the point to where the source puts it, or widen its precision_m",
    )]


def _frontier_with_kind(kind: str, boundaries: Any) -> Frontier | None:
    from bordermap.frontiers import all_frontiers

    for f in all_frontiers(boundaries):
        if any(s.kind == kind for s in f.segments):
            return f
    return None


def _stated_country(inc: Incident, loc: Location, field: str, path: str,
                    boundaries: Any) -> list[Problem]:
    from bordermap.boundaries import country_of
    from bordermap.frontiers import get_frontier

    stated = loc.country
    if not stated or not re.fullmatch(r"[A-Z]{3}", stated):
        return []
    found = str(np.asarray(country_of(np.array([loc.lon]), np.array([loc.lat]),
                                      boundaries))[0] or "")
    if found == stated or not found:
        return []
    label = loc.name or f"{loc.lon:.4f},{loc.lat:.4f}"
    try:
        frontier = get_frontier(f"{stated}-{found}", boundaries)
    except BordermapError:
        return [Problem(path, inc.line, f"{field}.country",
                        f"{label} is in {found}, not in its stated country {stated}, and the "
                        "two share no boundary", suggestion="check the coordinates (lon, lat)")]
    from bordermap.analysis import distance_to_frontier

    near = distance_to_frontier([loc.lon], [loc.lat], frontier=frontier, boundaries=boundaries)
    d_km = float(near.distance_km[0])
    if d_km * 1000.0 <= (loc.precision_m or 0.0):
        return []  # the place's own uncertainty reaches its stated country
    seg_kind = str(near.segment_kind[0])
    if seg_kind in DE_FACTO_KINDS:
        return [Problem(path, inc.line, f"{field}.country",
                        f"{label} is {d_km:.1f} km on {found}'s side of the {seg_kind}, stated "
                        f"as {stated}: a disputed area", severity="warning")]
    return [Problem(path, inc.line, f"{field}.country",
                    f"{label} is {d_km:.1f} km inside {found}, not in its stated country "
                    f"{stated} (its ±{loc.precision_m or 0:,.0f} m does not reach {stated})",
                    suggestion="check the coordinates, or widen precision_m if the place "
                    "is that uncertain")]


_INSIDE = re.compile(r"\binside\s+([A-Z][A-Za-z]+(?:\s[A-Z][a-z]+)?)")


def _inside_claims(inc: Incident, loc: Location, field: str, path: str,
                   boundaries: Any) -> list[Problem]:
    from bordermap.boundaries import country_name
    from bordermap.uncertainty import km_text

    targets: dict[str, str] = {}
    if inc.target_side and re.fullmatch(r"[A-Z]{3}", inc.target_side):
        targets[inc.target_side] = "target_side"
    texts = [(f"claims[{i}]", " ".join(filter(None, (c.hit, c.outcome, c.notes))))
             for i, c in enumerate(inc.claims)]
    codes = _codes(inc, loc)
    names = {}
    for code in codes:
        try:
            names[country_name(code, boundaries).lower()] = code
        except BordermapError:
            continue
    for where, text in texts:
        for m in _INSIDE.finditer(text or ""):
            code = names.get(m.group(1).lower())
            if code:
                targets.setdefault(code, where)
    if not targets or ((loc.precision_m or 0.0) <= 0 and _area(loc) is None):
        return []
    frontier = _incident_frontier(inc, loc, boundaries)
    if frontier is None:
        return []
    d, lo, _hi = _bounds(loc, frontier, boundaries)
    if lo * 1000.0 > 100.0:
        return []
    label = loc.name or f"{loc.lon:.4f},{loc.lat:.4f}"
    extent = ("its area" if _area(loc) is not None
              else f"its ±{loc.precision_m or 0:,.0f} m")
    return [Problem(
        path, inc.line, f"{field}",
        f"'inside {code}' ({where}) is not certain: {label} is {km_text(d)} km from the "
        f"{frontier.title or frontier.name}, and {extent} reaches across it",
        severity="warning",
    ) for code, where in targets.items()]


def _unused_sources(layer: Layer, path: str) -> list[Problem]:
    cited: set[Any] = set()
    for inc in layer.incidents:
        cited.update(inc.all_sources)
        for loc in (*inc.impacts, *([inc.origin] if inc.origin else [])):
            if loc.reported_distance is not None:
                cited.add(loc.reported_distance.source)
        for c in inc.claims:
            if c.reported_distance is not None:
                cited.add(c.reported_distance.source)
    unused = [s for s in layer.sources if s not in cited]
    return [Problem(path, None, "sources", f"source {s.id or s.title!r} is listed but never "
                    "cited", severity="warning", suggestion="cite it or remove it")
            for s in unused]


def summary(problems: Sequence[Problem]) -> str:
    """One line: how many errors and warnings.

    Examples
    --------
    >>> summary([Problem("a", 1, "f", "m"), Problem("a", 2, "f", "m", "warning")])
    '1 error, 1 warning'
    """
    e = sum(p.severity == "error" for p in problems)
    w = len(problems) - e
    return f"{e} error{'s' * (e != 1)}, {w} warning{'s' * (w != 1)}"
