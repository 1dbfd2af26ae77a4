"""Frontiers: the shared boundary of two countries, named and cut into segments.

A frontier is derived from country polygons (the embedded Natural Earth layer
or a user's file, see :mod:`bordermap.boundaries`): the intersection of the
two countries' outlines, merged into lines.  Natural Earth's neighbouring
polygons share their vertices exactly, so the shared boundary is the common
part of both outlines with no tolerance.  ``geodata/frontiers.yaml`` names the
frontiers reports talk about, documents where a frontier changes character
(the India–Pakistan international border, working boundary, Line of Control
and Actual Ground Position Line) and lists published lengths beside which the
geodesic length measured here is shown.

Lengths are geodesic on WGS84 (:meth:`pyproj.Geod.geometry_length`); split
points are put on the line at the point geodesically nearest to the
documented coordinate.  Lines run from their southern end (or western end,
for lines that run more east–west); multi-part lines are ordered west to east.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bordermap.errors import FrontierError

if TYPE_CHECKING:
    from shapely import LineString, MultiLineString

__all__ = [
    "FAR_FROM_FRONTIER_KM",
    "CitedLength",
    "Frontier",
    "FrontierSegment",
    "SplitPoint",
    "all_frontiers",
    "frontiers_about",
    "get_frontier",
    "list_frontiers",
    "neighbours",
    "resolve_frontier",
    "shared_boundary",
]

#: A split point farther than this from the line (and than 3x its uncertainty)
#: means the boundary file does not carry the documented line.
_MAX_SPLIT_OFFSET_KM = 25.0

_GENERIC_NOTE = (
    "Measured on generalised polygons (Natural Earth 1:10m by default), which "
    "shortens every line; published lengths come from surveys at larger scale."
)


def _length_km(geom: Any) -> float:
    if geom is None or geom.is_empty:
        return 0.0
    from bordermap.geodesy import geod

    return float(geod().geometry_length(geom)) / 1000.0


# ---------------------------------------------------------------------------
# values


@dataclass(frozen=True)
class CitedLength:
    """A published length of a frontier or segment, with where it was published.

    Examples
    --------
    >>> CitedLength(909.0, "seed report").length_km
    909.0
    """

    length_km: float
    source: str
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {"length_km": self.length_km, "source": self.source, "note": self.note}


@dataclass(frozen=True)
class SplitPoint:
    """A documented point where one segment of a frontier ends and the next begins.

    ``lon``/``lat`` are the documented coordinates; ``line_lon``/``line_lat``
    the point of the line nearest to them and ``offset_km`` the geodesic
    distance between the two.
    """

    name: str
    lon: float
    lat: float
    line_lon: float
    line_lat: float
    offset_km: float
    uncertainty_km: float
    source: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "name": self.name,
            "lon": self.lon,
            "lat": self.lat,
            "line_lon": round(self.line_lon, 6),
            "line_lat": round(self.line_lat, 6),
            "offset_km": round(self.offset_km, 3),
            "uncertainty_km": self.uncertainty_km,
            "source": self.source,
        }


@dataclass(frozen=True)
class FrontierSegment:
    """One stretch of a frontier of a single kind.

    ``kind`` is one of "international border", "working boundary", "line of
    control", "actual ground position line", "de facto line" or "shared
    boundary" (a derived line with no documented kind).

    Examples
    --------
    >>> from shapely import LineString
    >>> seg = FrontierSegment("test", "international border", LineString([(0, 0), (1, 0)]))
    >>> round(seg.length_km, 3)
    111.319
    """

    name: str
    kind: str
    geometry: LineString | MultiLineString
    note: str = ""
    cited_lengths: tuple[CitedLength, ...] = ()

    @property
    def length_km(self) -> float:
        """Geodesic length on WGS84, km."""
        return _length_km(self.geometry)

    def to_dict(self, *, include_geometry: bool = False) -> dict[str, Any]:
        """JSON-ready dict (start/end as [lon, lat])."""
        import shapely

        coords = shapely.get_coordinates(self.geometry)
        out: dict[str, Any] = {
            "name": self.name,
            "kind": self.kind,
            "length_km": round(self.length_km, 1),
            "start": [round(float(v), 6) for v in coords[0]] if len(coords) else None,
            "end": [round(float(v), 6) for v in coords[-1]] if len(coords) else None,
            "note": self.note,
            "cited_lengths": [c.to_dict() for c in self.cited_lengths],
        }
        if include_geometry:
            out["geometry"] = shapely.geometry.mapping(self.geometry)
        return out


@dataclass(frozen=True)
class Frontier:
    """A frontier between two countries: its line, segments and lengths.

    Attributes
    ----------
    name : str
        Catalogue name (``"iran-pakistan"``) or the code pair (``"IRN-PAK"``).
    countries : tuple of str
        The two ISO-3 codes.
    segments : tuple of FrontierSegment
        In line order.
    geometry : shapely.MultiLineString
        The whole line, lon/lat.
    length_km : float
        Geodesic length of ``geometry`` on WGS84.
    cited_lengths : tuple of CitedLength
        Published lengths with their sources.
    length_note : str
        Why the measured and published lengths differ.
    """

    name: str
    countries: tuple[str, str]
    segments: tuple[FrontierSegment, ...]
    geometry: MultiLineString
    length_km: float
    cited_lengths: tuple[CitedLength, ...] = ()
    length_note: str = _GENERIC_NOTE
    title: str = ""
    description: str = ""
    split_points: tuple[SplitPoint, ...] = ()
    boundaries_source: str = ""

    def segment(self, kind_or_name: str) -> FrontierSegment:
        """The first segment whose kind or name matches (case-insensitive).

        Examples
        --------
        >>> get_frontier("india-pakistan").segment("line of control").kind
        'line of control'
        """
        want = kind_or_name.strip().lower()
        for seg in self.segments:
            if seg.kind.lower() == want or seg.name.lower() == want:
                return seg
        for seg in self.segments:
            if want in seg.name.lower():
                return seg
        choices = ", ".join(f"{s.name} ({s.kind})" for s in self.segments)
        raise FrontierError(
            f"frontier {self.name!r} has no segment {kind_or_name!r}; segments: {choices}"
        )

    def to_dict(self, *, include_geometry: bool = False) -> dict[str, Any]:
        """JSON-ready dict; geometry (GeoJSON) only when asked for."""
        import shapely

        out: dict[str, Any] = {
            "name": self.name,
            "title": self.title,
            "countries": list(self.countries),
            "length_km": round(self.length_km, 1),
            "length_method": "geodesic, WGS84 ellipsoid (pyproj.Geod)",
            "boundaries": self.boundaries_source,
            "cited_lengths": [c.to_dict() for c in self.cited_lengths],
            "length_note": self.length_note,
            "description": self.description,
            "segments": [s.to_dict(include_geometry=include_geometry) for s in self.segments],
            "split_points": [p.to_dict() for p in self.split_points],
        }
        if include_geometry:
            out["geometry"] = shapely.geometry.mapping(self.geometry)
        return out


# ---------------------------------------------------------------------------
# shared boundaries


def _table(boundaries: Any) -> Any:
    from bordermap.boundaries import _as_table

    return _as_table(boundaries)


def _orient(coords: np.ndarray) -> np.ndarray:
    """Run a line from its southern end, or western end if it runs more east-west."""
    (x0, y0), (x1, y1) = coords[0], coords[-1]
    north_south = abs(y1 - y0) >= abs(x1 - x0)
    flip = (y1, x1) < (y0, x0) if north_south else (x1, y1) < (x0, y0)
    return coords[::-1] if flip else coords


def _line_parts(geom: Any) -> list[Any]:
    import shapely

    parts = shapely.get_parts(shapely.get_parts(geom))
    return [p for p in parts if p.geom_type == "LineString" and not p.is_empty]


def _shared_parts(ga: Any, gb: Any) -> list[np.ndarray]:
    import shapely

    if not shapely.intersects(ga, gb):
        return []
    inter = shapely.intersection(shapely.boundary(ga), shapely.boundary(gb))
    lines = _line_parts(inter)
    if not lines:
        return []
    merged = shapely.line_merge(shapely.MultiLineString(lines))
    parts = [_orient(shapely.get_coordinates(p)) for p in _line_parts(merged)]
    parts.sort(key=lambda c: (float(c[:, 0].min()), float(c[:, 1].min())))
    return parts


def neighbours(iso3: str, boundaries: Any = None) -> tuple[str, ...]:
    """Codes of the countries sharing a boundary line with ``iso3`` (not just a point).

    Examples
    --------
    >>> neighbours("PAK")
    ('AFG', 'CHN', 'IND', 'IRN')
    """
    from bordermap.boundaries import _row

    table = _table(boundaries)
    i = _row(table, iso3)
    geoms = table.geometry.to_numpy()
    codes = table["iso3"].to_numpy()
    candidates = table.sindex.query(geoms[i], predicate="intersects")
    found = {str(codes[j]) for j in candidates if j != i and _shared_parts(geoms[i], geoms[j])}
    return tuple(sorted(found))


def shared_boundary(a_iso3: str, b_iso3: str, boundaries: Any = None) -> MultiLineString:
    """The boundary two countries share, as a lon/lat MultiLineString.

    The common part of both countries' outlines, merged into as few lines as
    possible; single-point touches are dropped.  The result does not depend on
    the order of the two codes.

    Parameters
    ----------
    a_iso3, b_iso3 : str
        ISO 3166-1 alpha-3 codes (any case).
    boundaries : None, path or GeoDataFrame, optional
        Embedded Natural Earth layer (default), a boundary file, or a table
        from :func:`bordermap.boundaries.load_countries`.

    Raises
    ------
    BoundaryError
        An unknown country code.
    FrontierError
        The same code twice, or two countries that share no boundary line (the
        message lists the first country's neighbours).

    Examples
    --------
    >>> line = shared_boundary("IRN", "PAK")
    >>> len(line.geoms), len(line.geoms[0].coords)
    (1, 223)
    >>> line.equals(shared_boundary("pak", "irn"))
    True
    """
    import shapely

    from bordermap.boundaries import _row

    table = _table(boundaries)
    ia, ib = _row(table, a_iso3), _row(table, b_iso3)
    codes = table["iso3"].to_numpy()
    a, b = str(codes[ia]), str(codes[ib])
    if a == b:
        raise FrontierError(f"a frontier needs two different countries, got {a} twice")
    if a > b:
        ia, ib, a, b = ib, ia, b, a
    geoms = table.geometry.to_numpy()
    parts = _shared_parts(geoms[ia], geoms[ib])
    if not parts:
        near = neighbours(a, table)
        raise FrontierError(
            f"{a} and {b} share no boundary",
            path=table.attrs.get("path"),
            suggestion=f"{a} borders: {', '.join(near)}" if near else f"{a} has no land neighbours",
        )
    return shapely.MultiLineString(parts)


# ---------------------------------------------------------------------------
# splitting a line at documented points


def _nearest_on_chain(
    parts: list[np.ndarray], lon: np.ndarray, lat: np.ndarray
) -> list[tuple[int, int, float, float, float, float]]:
    """Nearest points of a multi-part line with geodesic edges to each (lon, lat).

    Returns, per point, (part, segment, t, lon, lat, distance_m): ``t`` is the
    geodesic fraction along the segment (for ordering cuts); the point lies on
    the geodesic edge.
    """
    from bordermap.geodesy import PolylineIndex, inverse

    index = PolylineIndex(parts, grid_cells=0)
    res = index.nearest(lon, lat)
    first = np.cumsum([0] + [len(c) - 1 for c in parts])
    out = []
    for k in range(len(res.segment)):
        seg = int(res.segment[k])
        p = int(index.part_of_segment[seg])
        i = seg - int(first[p])
        c = parts[p]
        along, _ = inverse(c[i, 0], c[i, 1], res.lon[k], res.lat[k])
        length, _ = inverse(c[i, 0], c[i, 1], c[i + 1, 0], c[i + 1, 1])
        t = float(along / length) if length > 0 else 0.0
        out.append((p, i, t, float(res.lon[k]), float(res.lat[k]), float(res.distance_m[k])))
    return out


def _piece(c: np.ndarray, start: tuple | None, end: tuple | None):
    """Sub-line of coordinates ``c`` from ``start`` to ``end``: (segment, lon, lat) cut points."""
    i0, p0 = (start[0], np.array(start[1:])) if start is not None else (0, c[0])
    i1, p1 = (end[0], np.array(end[1:])) if end is not None else (len(c) - 2, c[-1])
    pts = np.vstack([p0[None, :], c[i0 + 1 : i1 + 1], p1[None, :]])
    keep = np.ones(len(pts), bool)
    keep[1:] = np.any(np.diff(pts, axis=0) != 0, axis=1)
    pts = pts[keep]
    return pts if len(pts) >= 2 else None


def _cut_chain(parts: list[np.ndarray], cuts: list[tuple]) -> list[Any]:
    """Cut a multi-part line at ordered points (part, segment, t, lon, lat); return the pieces."""
    import shapely

    bounds = [None, *cuts, None]
    pieces = []
    for start, end in itertools.pairwise(bounds):
        p_start = 0 if start is None else start[0]
        p_end = len(parts) - 1 if end is None else end[0]
        lines = []
        for p in range(p_start, p_end + 1):
            s = (start[1], start[3], start[4]) if start is not None and p == start[0] else None
            e = (end[1], end[3], end[4]) if end is not None and p == end[0] else None
            sub = _piece(parts[p], s, e)
            if sub is not None:
                lines.append(sub)
        if not lines:
            pieces.append(shapely.MultiLineString())
        elif len(lines) == 1:
            pieces.append(shapely.LineString(lines[0]))
        else:
            pieces.append(shapely.MultiLineString(lines))
    return pieces


# ---------------------------------------------------------------------------
# the catalogue (geodata/frontiers.yaml)


def _catalogue_path() -> Path:
    from bordermap._data import geodata_dir

    return geodata_dir() / "frontiers.yaml"


def _norm(name: str) -> str:
    return re.sub(r"[\s_–—/]+", "-", name.strip().lower()).strip("-")


@lru_cache(maxsize=4)
def _catalogue(path: str, mtime_ns: int) -> dict[str, dict[str, Any]]:
    from bordermap._yaml import load as load_yaml

    del mtime_ns
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except OSError as exc:
        raise FrontierError(f"cannot read frontier catalogue: {exc}", path=path) from None
    data = load_yaml(text, path=path, error=FrontierError)
    entries = (data or {}).get("frontiers")
    if not isinstance(entries, dict) or not entries:
        raise FrontierError("no 'frontiers' mapping found", path=path, field="frontiers")
    out: dict[str, dict[str, Any]] = {}
    for name, entry in entries.items():
        _validate_entry(str(name), entry, path)
        out[str(name)] = entry
    return out


def _validate_entry(name: str, entry: Any, path: str) -> None:
    def fail(msg: str, fld: str) -> None:
        raise FrontierError(f"frontier {name!r}: {msg}", path=path, field=fld)

    if not isinstance(entry, dict):
        fail("must be a mapping", name)
    countries = entry.get("countries")
    if not (isinstance(countries, list) and len(countries) == 2):
        fail("needs two ISO-3 codes", "countries")
    segments = entry.get("segments") or []
    splits = entry.get("split_points") or []
    if splits and len(segments) != len(splits) + 1:
        fail(f"{len(splits)} split points need {len(splits) + 1} segments", "segments")
    for k, sp in enumerate(splits):
        for key in ("name", "lon", "lat", "source"):
            if key not in sp:
                fail(f"split point {k + 1} lacks {key!r}", f"split_points[{k}].{key}")
        if not (-180 <= float(sp["lon"]) <= 180 and -90 <= float(sp["lat"]) <= 90):
            fail(f"split point {k + 1} is not lon/lat degrees", f"split_points[{k}]")
    for k, seg in enumerate(segments):
        if "name" not in seg or "kind" not in seg:
            fail(f"segment {k + 1} needs name and kind", f"segments[{k}]")
    for key in ("cited_lengths",):
        for k, c in enumerate(entry.get(key) or []):
            if "length_km" not in c or "source" not in c:
                fail(f"cited length {k + 1} needs length_km and source", f"{key}[{k}]")


def _entries() -> dict[str, dict[str, Any]]:
    p = _catalogue_path()
    return _catalogue(str(p), p.stat().st_mtime_ns)


def list_frontiers() -> tuple[str, ...]:
    """Names of the frontiers in ``geodata/frontiers.yaml``.

    Examples
    --------
    >>> "iran-pakistan" in list_frontiers()
    True
    """
    return tuple(_entries())


def _cited(items: Any) -> tuple[CitedLength, ...]:
    return tuple(
        CitedLength(
            float(c["length_km"]),
            " ".join(str(c["source"]).split()),
            " ".join(str(c.get("note", "")).split()),
        )
        for c in (items or [])
    )


def _text(value: Any) -> str:
    return " ".join(str(value or "").split())


def _resolve(name_or_pair: str) -> tuple[str | None, tuple[str, str] | None]:
    """(catalogue name, None) or (None, (A, B)) for a code pair not in the catalogue."""
    if not isinstance(name_or_pair, str) or not _norm(name_or_pair):
        raise FrontierError(
            f"frontier name must be a non-empty string, got {name_or_pair!r}",
            suggestion="give a name such as iran-pakistan or a pair such as IRN-PAK",
        )
    key = _norm(name_or_pair)
    entries = _entries()
    for name, entry in entries.items():
        if key == name or key in [_norm(a) for a in entry.get("aliases") or []]:
            return name, None
    m = re.fullmatch(r"([a-z]{3})-([a-z]{3})", key) or re.fullmatch(
        r"([a-z]{3})[,;:]([a-z]{3})", key
    )
    if m:
        pair = frozenset((m.group(1).upper(), m.group(2).upper()))
        for name, entry in entries.items():
            if frozenset(c.upper() for c in entry["countries"]) == pair:
                return name, None
        a, b = m.group(1).upper(), m.group(2).upper()
        return None, (a, b)
    from bordermap.frontier_choice import country_name_pair

    named = country_name_pair(key)
    if named is not None:
        pair = frozenset(named)
        for name, entry in entries.items():
            if frozenset(c.upper() for c in entry["countries"]) == pair:
                return name, None
        return None, named
    from rapidfuzz import fuzz, process

    names = list(entries)
    keys = names + [a for e in entries.values() for a in (e.get("aliases") or [])]
    from bordermap.frontier_choice import suggest_country_pair

    pair_hint = suggest_country_pair(key)
    floor = 85 if pair_hint is not None else 60  # a country pair beats a loose name match
    close = [
        k for k, score, _ in process.extract(key, keys, scorer=fuzz.WRatio, limit=3)
        if score >= floor
    ]
    if pair_hint is not None:
        close = [pair_hint, *close][:3]
    hint = f"did you mean: {', '.join(close)}?" if close else f"known: {', '.join(names)}."
    raise FrontierError(
        f"unknown frontier {name_or_pair!r}",
        suggestion=hint + " Or give two ISO-3 codes such as IRN-PAK",
    )


def get_frontier(name_or_pair: str, boundaries: Any = None) -> Frontier:
    """A named frontier (``"iran-pakistan"``) or any country pair (``"IRN-PAK"``).

    A pair that matches a named frontier (in either order, any case) returns
    the named one, with its segments and published lengths.

    Parameters
    ----------
    name_or_pair : str
        Catalogue name or alias (case-insensitive), or two ISO-3 codes joined
        by a hyphen.
    boundaries : None, path or GeoDataFrame, optional
        Country polygons (embedded Natural Earth by default).

    Raises
    ------
    FrontierError
        Unknown name (with close names), countries that share no boundary, or
        documented split points that do not lie on the line in ``boundaries``.
    BoundaryError
        Unknown country code.

    Examples
    --------
    >>> f = get_frontier("Iran-Pakistan")
    >>> f.countries, round(f.length_km)
    (('IRN', 'PAK'), 817)
    >>> [c.length_km for c in f.cited_lengths][:1]
    [909.0]
    >>> [s.kind for s in get_frontier("IND-PAK").segments]  # doctest: +NORMALIZE_WHITESPACE
    ['international border', 'working boundary', 'line of control',
     'actual ground position line']
    """
    name, pair = _resolve(name_or_pair)
    table = _table(boundaries)
    source = str(table.attrs.get("source", ""))
    if name is None:
        assert pair is not None
        from bordermap.boundaries import _row

        line = shared_boundary(pair[0], pair[1], table)

        codes = table["iso3"].to_numpy()
        a, b = sorted((str(codes[_row(table, pair[0])]), str(codes[_row(table, pair[1])])))
        names = dict(zip(table["iso3"].astype(str), table["name"].astype(str), strict=True))
        title = f"{names.get(a, a)}–{names.get(b, b)} border"
        seg = FrontierSegment(title, "shared boundary", line)
        return Frontier(
            name=f"{a}-{b}",
            countries=(a, b),
            segments=(seg,),
            geometry=line,
            length_km=_length_km(line),
            title=title,
            boundaries_source=source,
        )
    return _named(name, table, source)


def _named(name: str, table: Any, source: str) -> Frontier:
    import shapely

    entry = _entries()[name]
    a, b = (str(c).upper() for c in entry["countries"])
    line = shared_boundary(a, b, table)
    parts = [shapely.get_coordinates(g) for g in line.geoms]
    seg_specs = entry.get("segments") or [
        {"name": entry.get("title", name), "kind": "shared boundary"}
    ]
    split_specs = entry.get("split_points") or []

    splits: list[SplitPoint] = []
    if split_specs:
        cuts = []
        nearest = _nearest_on_chain(
            parts,
            np.array([float(sp["lon"]) for sp in split_specs]),
            np.array([float(sp["lat"]) for sp in split_specs]),
        )
        for sp, (p, i, t, lon, lat, dist_m) in zip(split_specs, nearest, strict=True):
            unc = float(sp.get("uncertainty_km", 0.0))
            if dist_m / 1000.0 > max(_MAX_SPLIT_OFFSET_KM, 3 * unc):
                raise FrontierError(
                    f"split point {sp['name']!r} ({sp['lat']} N, {sp['lon']} E) lies "
                    f"{dist_m / 1000:.0f} km from the {a}–{b} line in these boundaries",
                    path=table.attrs.get("path"),
                    suggestion="this boundary file draws the frontier elsewhere; "
                    f"use the pair {a}-{b} for the unsegmented line",
                )
            cuts.append((p, i, t, lon, lat))
            splits.append(
                SplitPoint(
                    _text(sp["name"]),
                    float(sp["lon"]),
                    float(sp["lat"]),
                    lon,
                    lat,
                    dist_m / 1000.0,
                    unc,
                    _text(sp["source"]),
                )
            )
        if [c[:3] for c in cuts] != sorted(c[:3] for c in cuts):
            raise FrontierError(
                f"split points of {name!r} are not in order along the {a}–{b} line",
                path=str(_catalogue_path()),
                field="split_points",
            )
        pieces = _cut_chain(parts, cuts)
    elif len(seg_specs) == len(parts):
        pieces = [shapely.LineString(c) for c in parts]
    else:
        pieces = [line]
        seg_specs = [
            {
                "name": _text(entry.get("title", name)),
                "kind": "shared boundary",
                "note": f"the {len(seg_specs)} documented segments do not fit the "
                f"{len(parts)} part(s) of this line",
            }
        ]
    segments = tuple(
        FrontierSegment(
            name=_text(spec["name"]),
            kind=_text(spec["kind"]),
            geometry=piece,
            note=_text(spec.get("note")),
            cited_lengths=_cited(spec.get("cited_lengths")),
        )
        for spec, piece in zip(seg_specs, pieces, strict=True)
    )
    return Frontier(
        name=name,
        countries=(a, b),
        segments=segments,
        geometry=line,
        length_km=_length_km(line),
        cited_lengths=_cited(entry.get("cited_lengths")),
        length_note=_text(entry.get("length_note")) or _GENERIC_NOTE,
        title=_text(entry.get("title", name)),
        description=_text(entry.get("description")),
        split_points=tuple(splits),
        boundaries_source=source,
    )


def all_frontiers(boundaries: Any = None) -> tuple[Frontier, ...]:
    """Every named frontier, measured on ``boundaries`` (embedded by default).

    Examples
    --------
    >>> [f.name for f in all_frontiers()][:2]
    ['iran-pakistan', 'afghanistan-pakistan']
    """
    table = _table(boundaries)
    return tuple(get_frontier(name, table) for name in list_frontiers())


def resolve_frontier(frontier: Any, boundaries: Any = None) -> Frontier:
    """A :class:`Frontier` given as itself or by name (``"iran-pakistan"``, ``"IRN-PAK"``).

    The one place where the library turns a user's frontier argument into a
    frontier; every module that takes ``frontier=`` calls it.

    Examples
    --------
    >>> resolve_frontier("PAK-IRN").name
    'iran-pakistan'
    >>> resolve_frontier(resolve_frontier("iran-pakistan")).countries
    ('IRN', 'PAK')
    """
    from bordermap.errors import BordermapError

    if isinstance(frontier, Frontier):
        return frontier
    if isinstance(frontier, str):
        return get_frontier(frontier, boundaries)
    raise BordermapError(
        f"expected a Frontier or a frontier name, got {type(frontier).__name__}",
        field="frontier",
        suggestion="use a name such as 'iran-pakistan' or an ISO-3 pair such as 'IRN-PAK'",
    )


#: An incident farther than this from the frontier it is measured against is reported.
FAR_FROM_FRONTIER_KM = 500.0


def frontiers_about(
    lon: Any, lat: Any, codes: Any = (), *, boundaries: Any = None
) -> tuple[Frontier, ...]:
    """The frontiers a set of incidents is about (see :mod:`bordermap.frontier_choice`).

    Examples
    --------
    >>> [f.name for f in frontiers_about([103.0], [14.4], ["THA", "KHM"])]
    ['KHM-THA']
    """
    from bordermap.frontier_choice import frontiers_about as about

    return about(lon, lat, codes, boundaries=boundaries)
