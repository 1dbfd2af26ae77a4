"""The JSON payload a map is drawn from, built by small steps.

:func:`map_payload` flattens the layers to one row per impact point
(:class:`_Rows`: kinds, dates, details and sources as lookup tables), adds the
geodesic context of each point (:func:`_context_columns`), the shapes of small
maps (:func:`_shapes`: uncertainty circles or curated areas, strike vectors,
labels), the frontiers and corridor bands (:func:`_frontiers_and_bands`), and the
view (:func:`_bounds`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from bordermap.errors import LayerError
from bordermap.maps.aggregate import AGGREGATE_LIMIT
from bordermap.maps.shapes import (
    _arc,
    _arc_span,
    _basemap_views,
    _curated_area,
    _display_simplify,
    _geodesic_circles,
    _lines_latlon,
    _rings_latlon,
)
from bordermap.maps.styles import (
    _BAND_COLOURS,
    _DEFAULT_FRONTIER_STYLE,
    BAND_DISPLAY_TOLERANCE_M,
    COORD_DECIMALS,
    DOM_MARKER_LIMIT,
    FRONTIER_STYLES,
    KIND_STYLES,
    NEAR_FRONTIER_KM,
    SHAPE_LIMIT,
)

if TYPE_CHECKING:  # pragma: no cover
    from bordermap.frontiers import Frontier
    from bordermap.incidents import Incident, Layer, Location

__all__ = ["map_payload"]


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


def _pick_frontiers(
    frontiers: Any, codes: set[str], lon: Any = (), lat: Any = ()
) -> list[Frontier]:
    """The frontiers to draw: those given; else the named frontiers between the countries
    the incidents name; else the frontiers the incidents are about (any border: their
    countries and the points' countries, and their neighbours — never one far away)."""
    from bordermap.frontiers import frontiers_about, resolve_frontier

    if frontiers is not None:
        if isinstance(frontiers, str):
            frontiers = [frontiers]
        return [resolve_frontier(f) for f in frontiers]
    both = [f for f in _all_frontiers() if codes and set(f.countries) <= codes]
    if both:
        return both
    if len(lon) == 0 and not codes:
        return []
    return list(frontiers_about(lon, lat, codes))


def _context(
    lon: Any,
    lat: Any,
    frontiers: Sequence[Frontier],
    precision_m: Any = None,
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
            lon[sel],
            lat[sel],
            precision_m[sel],
            frontier=f,
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


def _date_row(date: Any) -> list:
    """[text, precision, start ms, end ms] of an incident date."""
    return [
        date.text or date.start.isoformat(),
        "interval" if date.interval else date.precision,
        int(date.start.timestamp() * 1000),
        int(date.end.timestamp() * 1000),
    ]


def _detail(inc: Incident, loc: Location, src_ids: list[int], source_idx: dict) -> dict:
    """The popup details of one impact point (only the fields that are set)."""
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
    return det


class _Rows:
    """Incidents flattened to one row per impact point, with distinct dates, details
    and sources kept once each in lookup tables (plain loops over the dataclasses)."""

    def __init__(self) -> None:
        self.kinds = list(KIND_STYLES)
        self.kind_idx = {k: i for i, k in enumerate(self.kinds)}
        self.date_idx: dict[tuple, int] = {}
        self.dates: list[list] = []
        self.detail_idx: dict[tuple, int] = {}
        self.details: list[dict] = []
        self.source_idx: dict[Any, int] = {}
        self.sources: list[list] = []
        self.lon: list[float] = []
        self.lat: list[float] = []
        self.k: list[int] = []
        self.d: list[int] = []
        self.i: list[int] = []
        self.incs: list[Incident] = []
        self.u: list[int] = []  # incident ordinal of each point (the timeline counts incidents)
        self.n_incidents = 0
        self.locs: list[Location] = []

    def _date(self, date: Any) -> int:
        key = (date.text, date.precision, date.start, date.end)
        di = self.date_idx.get(key)
        if di is None:
            di = self.date_idx[key] = len(self.dates)
            self.dates.append(_date_row(date))
        return di

    def _sources(self, inc: Incident) -> list[int]:
        ids = []
        for s in inc.all_sources if inc.claims else inc.sources:
            si = self.source_idx.get(s)
            if si is None:
                si = self.source_idx[s] = len(self.sources)
                self.sources.append(_source_row(s))
            ids.append(si)
        return ids

    def add(self, inc: Incident) -> None:
        """Add every impact point of one incident."""
        if inc.kind not in self.kind_idx:  # not in the vocabulary: drawn as "other"
            self.kind_idx[inc.kind] = self.kind_idx["other"]
        di = self._date(inc.date)
        src_ids = self._sources(inc)
        src_key = tuple(src_ids)
        ki = self.kind_idx[inc.kind]
        ui = self.n_incidents
        self.n_incidents += 1
        for loc in inc.impacts:
            key = (
                inc.title, inc.actor, inc.target_side, inc.target_group, inc.operation,
                inc.claims, src_key, inc.notes, loc.name, loc.precision_m, loc.note,
                inc.origin.name if inc.origin else None,
            )  # fmt: skip
            ii = self.detail_idx.get(key)
            if ii is None:
                ii = self.detail_idx[key] = len(self.details)
                self.details.append(_detail(inc, loc, src_ids, self.source_idx))
            self.lon.append(loc.lon)
            self.lat.append(loc.lat)
            self.k.append(ki)
            self.d.append(di)
            self.i.append(ii)
            self.incs.append(inc)
            self.locs.append(loc)
            self.u.append(ui)

    def kinds_json(self) -> list[dict]:
        """Each kind's label, colour, glyph and number of points."""
        import numpy as np

        counts = np.bincount(np.asarray(self.k, dtype=np.int64), minlength=len(self.kinds))
        return [
            {"label": k, "color": KIND_STYLES[k][0], "glyph": KIND_STYLES[k][1],
             "n": int(counts[i])}
            for i, k in enumerate(self.kinds)
        ]  # fmt: skip


def _areas(locs: Sequence[Location]) -> list:
    """The curated area polygon of each point's place (None where it has none)."""
    return [
        _curated_area(loc.place_id, loc.country)
        if loc.place_id and not str(loc.place_id).startswith("geonames:")
        else None
        for loc in locs
    ]


def _context_columns(
    rows: _Rows, lon: Any, lat: Any, chosen: list[Frontier], areas: list, context: bool
) -> tuple[Any, Any, list, Any]:
    """Distance (tenths of km), phrase index, phrases and spread of every point."""
    import numpy as np

    n = len(lon)
    if not context:
        return np.zeros(n, np.int64), np.full(n, -1, np.int64), [], None
    prec = np.array([loc.precision_m or 0.0 for loc in rows.locs], dtype=float)
    return _context(lon, lat, chosen, prec, areas if any(a is not None for a in areas) else None)


def _ring_json(k: int, d: int, ring: Any, **extra: int) -> dict:
    """A closed geodesic circle as a payload shape, [lat, lon] rounded."""
    import numpy as np

    closed = np.vstack([ring, ring[:1]])
    return {"k": k, "d": d, "rings": np.round(closed[:, ::-1], COORD_DECIMALS).tolist(), **extra}


def _uncertainty(rows: _Rows, lon: Any, lat: Any, areas: list) -> list[dict]:
    """Geodesic circles of radius ``precision_m``, or the curated area where a place has one."""
    import numpy as np

    unc: list[dict] = []
    circ_sel = [j for j, a in enumerate(areas) if a is None]
    if circ_sel:
        prec = np.array([rows.locs[j].precision_m for j in circ_sel])
        rings = _geodesic_circles(lon[circ_sel], lat[circ_sel], prec)
        for j, ring in zip(circ_sel, rings, strict=True):
            unc.append(_ring_json(rows.k[j], rows.d[j], ring))
    for j, a in enumerate(areas):
        if a is not None:
            unc.append({"k": rows.k[j], "d": rows.d[j], "rings": _rings_latlon(a, COORD_DECIMALS)})
    return unc


def _strike_vectors(rows: _Rows, unc: list[dict]) -> list[dict]:
    """Geodesic arcs origin → impact (one per incident and impact); appends the origins'
    uncertainty circles to ``unc``."""
    import numpy as np

    arcs: list[dict] = []
    seen_arcs: set[tuple] = set()
    for j, (inc, loc) in enumerate(zip(rows.incs, rows.locs, strict=True)):
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
        arcs.append({"k": rows.k[j], "d": rows.d[j], "line": line, "head": head, "label": label})
        if o_prec > 0 and (inc.id, o.lon, o.lat) not in seen_arcs:
            seen_arcs.add((inc.id, o.lon, o.lat))
            ring = _geodesic_circles(np.array([o.lon]), np.array([o.lat]), np.array([o_prec]))[0]
            unc.append(_ring_json(rows.k[j], rows.d[j], ring, o=1))
    return arcs


def _labels(rows: _Rows) -> list[list]:
    """[lat, lon, name, priority] of each distinct named place (impacts, then origins).

    Labels are listed by priority, highest first: the page declutters them in this
    order at each zoom.  An impact place ranks by its number of incidents (a
    diplomatic event counting a tenth), a launch point below every impact place.
    """
    named: dict[tuple, str] = {}
    weight: dict[tuple, float] = {}
    impacts = [(loc, 0.1 if inc.kind == "diplomatic event" else 1.0)
               for loc, inc in zip(rows.locs, rows.incs, strict=True)]  # fmt: skip
    for loc, w in [*impacts,
                   *((i.origin, 1e-3) for i in rows.incs if i.origin is not None)]:  # fmt: skip
        if loc.name:
            key = (round(loc.lat, 4), round(loc.lon, 4))
            named.setdefault(key, loc.name)
            weight[key] = weight.get(key, 0.0) + w
    order = sorted(named, key=lambda key: -weight[key])  # stable: first seen first on ties
    return [[key[0], key[1], named[key], round(weight[key], 3)] for key in order]


def _shapes(rows: _Rows, lon: Any, lat: Any, areas: list) -> tuple[list, list, list]:
    """Uncertainty shapes, strike vectors and labels (small maps only)."""
    n = len(lon)
    if not 0 < n <= SHAPE_LIMIT:
        return [], [], []
    unc = _uncertainty(rows, lon, lat, areas)
    arcs = _strike_vectors(rows, unc)
    labels = _labels(rows) if n <= DOM_MARKER_LIMIT else []
    return unc, arcs, labels


class _LineStyles:
    """The distinct line styles of frontier segment kinds, indexed in order of use."""

    def __init__(self) -> None:
        self.styles: list[dict] = []
        self.index: dict[str, int] = {}

    def of(self, kind: str) -> int:
        if kind not in self.index:
            colour, weight, dash, label = FRONTIER_STYLES.get(kind, _DEFAULT_FRONTIER_STYLE)
            if kind not in FRONTIER_STYLES:
                label = kind
            self.index[kind] = len(self.styles)
            self.styles.append({"color": colour, "weight": weight, "dash": dash, "label": label})
        return self.index[kind]


def _bands_json(f: Frontier, widths: list[float]) -> list[dict]:
    """The corridor bands of one frontier, simplified for display."""
    from bordermap.corridors import corridor_bands

    bands = corridor_bands(f.geometry, widths)
    simple = _display_simplify(bands.geometry.values, BAND_DISPLAY_TOLERANCE_M)
    return [
        {"color": _BAND_COLOURS[bi % len(_BAND_COLOURS)], "rings": _rings_latlon(geom, 4)}
        for bi, geom in enumerate(simple)
    ]


def _frontiers_and_bands(
    chosen: list[Frontier], corridor_km: Sequence[float]
) -> tuple[list, list, list, list[float]]:
    """Frontier segments, corridor bands, line styles and the band widths (sorted)."""
    styles = _LineStyles()
    fronts_json = []
    bands_json: list[dict] = []
    widths = sorted(float(w) for w in corridor_km)
    for fi, f in enumerate(chosen):
        segs = []
        for s in f.segments:
            for part in _lines_latlon(s.geometry, 5):
                segs.append({"name": s.name, "style": styles.of(s.kind), "coords": part})
        fronts_json.append({"group": f"frontier{fi}", "segments": segs})
        if widths:
            bands_json.extend(_bands_json(f, widths))
    return fronts_json, bands_json, styles.styles, widths


def _bbox(lon: Any, lat: Any) -> list | None:
    if not len(lon):
        return None
    return [[float(min(lat)), float(min(lon))], [float(max(lat)), float(max(lon))]]


def _bounds(
    rows: _Rows, lon: Any, lat: Any, chosen: list[Frontier], tenths: Any = None
) -> tuple[list | None, list | None]:
    """The first view and the view of everything, each [[south, west], [north, east]].

    The first view fits the incidents near the frontiers (within
    :data:`NEAR_FRONTIER_KM` of the nearest, with their launch points); diplomatic
    events (often far away, e.g. a summit) and far-off points count only when there
    is nothing else to show; with no incidents, the frontiers.  The second view fits
    every point and launch point.
    """
    import numpy as np

    field = np.array([inc.kind != "diplomatic event" for inc in rows.incs], dtype=bool)
    if tenths is not None and chosen and len(tenths):
        near = field & (np.asarray(tenths) <= NEAR_FRONTIER_KM * 10.0)
        if near.any():
            field = near
    if not field.any():
        field[:] = True

    def with_origins(sel: Any) -> tuple[Any, Any]:
        origins = [inc.origin for j, inc in enumerate(rows.incs)
                   if inc.origin is not None and sel[j]]  # fmt: skip
        return (np.r_[lon[sel], [o.lon for o in origins]],
                np.r_[lat[sel], [o.lat for o in origins]])  # fmt: skip

    allx, ally = with_origins(field)
    everything = _bbox(*with_origins(np.ones(len(rows.incs), dtype=bool)))
    if allx.size == 0:
        for f in chosen:
            b = f.geometry.bounds
            allx = np.r_[allx, b[0], b[2]]
            ally = np.r_[ally, b[1], b[3]]
    first = _bbox(allx, ally)
    return first, everything or first


def _inc_columns(rows: _Rows, lon: Any, lat: Any, tenths: Any, which: Any, spread: Any) -> dict:
    """The per-point integer columns (coordinates in units of 1e-5 degree)."""
    import numpy as np

    scale = 10**COORD_DECIMALS
    return {
        "x": np.rint(lon * scale).astype(np.int64).tolist(),
        "y": np.rint(lat * scale).astype(np.int64).tolist(),
        "k": rows.k,
        "d": rows.d,
        "i": rows.i,
        "c": tenths.tolist(),
        "s": which.tolist(),
        **_spread_json(spread),
        # incident of each point, when some incident has several points (else the row)
        **({"u": rows.u} if rows.n_incidents != len(rows.u) else {}),
    }


def _hexagons(rows: _Rows, lon: Any, lat: Any, chosen: list[Frontier]) -> dict[str, Any]:
    """:func:`bordermap.maps.aggregate.aggregate` of the rows (with strike flows)."""
    import numpy as np

    from bordermap.maps.aggregate import aggregate

    start_ms = np.array([row[2] for row in rows.dates], dtype=np.int64)[np.asarray(rows.d)]
    with_origin = [j for j, inc in enumerate(rows.incs) if inc.origin is not None]
    return aggregate(
        lon, lat, kind=np.asarray(rows.k), start_ms=start_ms,
        precision_m=np.array([loc.precision_m or 0.0 for loc in rows.locs], dtype=float),
        frontiers=chosen,
        origins=np.array([[rows.incs[j].origin.lon, rows.incs[j].origin.lat]
                          for j in with_origin]).reshape(-1, 2),
        impacts_of_origins=np.c_[lon[with_origin], lat[with_origin]],
    )  # fmt: skip


def _aggregated_payload(
    rows: _Rows, lon: Any, lat: Any, chosen: list[Frontier], corridor_km: Sequence[float],
    title: str, basemap: bool,
) -> dict[str, Any]:
    """The payload of a map above AGGREGATE_LIMIT points: hexagon counts, no markers."""
    import numpy as np

    agg = _hexagons(rows, lon, lat, chosen)
    fronts_json, bands_json, line_styles, widths = _frontiers_and_bands(chosen, corridor_km)
    bounds, bounds_all = _bounds(rows, lon, lat, chosen)
    empty = np.zeros(0)
    return {
        "title": title,
        "kinds": rows.kinds_json(),
        "dates": agg.pop("dates"),
        "details": [],
        "sources": [],
        "ctx": [],
        "inc": _inc_columns(_Rows(), empty, empty, empty, empty, None),
        "arcs": [],
        "unc": [],
        "labels": [],
        "frontiers": fronts_json,
        "bands": bands_json,
        "bandWidthsKm": widths,
        "lineStyles": line_styles,
        "basemap": _basemap_views(bounds, bounds_all) if basemap else [],
        "bounds": bounds,
        "boundsAll": bounds_all,
        "dom": False,
        "agg": agg,
        "note": (
            f"{len(lon):,} incident points, above {AGGREGATE_LIMIT:,}: counted on H3 hexagons "
            "(recomputed per zoom band) instead of drawn one by one. "
            "Distances and circles are geodesic (WGS84)."
        ),
        "frontierTitles": [f.title or f.name for f in chosen],
    }


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
        frontiers, bands, lineStyles, basemap, bounds, boundsAll, dom, note``; ``inc``
        holds the per-point columns ``x, y`` (1e-5 degree), ``k`` (kind), ``d``
        (date), ``i`` (details), ``c`` (tenths of km to the nearest frontier), ``s``
        (phrase), and ``u`` (incident ordinal) when an incident has several points.
        ``bounds`` is the first view (the incidents near the frontiers),
        ``boundsAll`` the view of every point.

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
    rows = _Rows()
    for inc in incidents:
        rows.add(inc)
    lon = np.asarray(rows.lon, dtype=float)
    lat = np.asarray(rows.lat, dtype=float)
    chosen = _pick_frontiers(frontiers, _countries_of(incidents), lon, lat)
    if len(lon) > AGGREGATE_LIMIT:
        return _aggregated_payload(rows, lon, lat, chosen, corridor_km, title, basemap)
    areas = _areas(rows.locs)
    tenths, which, ctx, spread = _context_columns(rows, lon, lat, chosen, areas, context)
    unc, arcs, labels = _shapes(rows, lon, lat, areas)
    fronts_json, bands_json, line_styles, widths = _frontiers_and_bands(chosen, corridor_km)
    bounds, bounds_all = _bounds(rows, lon, lat, chosen, tenths if context else None)
    summary = {}
    if len(lon) > SHAPE_LIMIT:  # no circles or vectors: hexagons summarise them (a layer)
        summary = {"agg": {**_hexagons(rows, lon, lat, chosen), "summary": True}}
    return {
        **summary,
        "title": title,
        "kinds": rows.kinds_json(),
        "dates": rows.dates,
        "details": rows.details,
        "sources": rows.sources,
        "ctx": ctx,
        "inc": _inc_columns(rows, lon, lat, tenths, which, spread),
        "arcs": arcs,
        "unc": unc,
        "labels": labels,
        "frontiers": fronts_json,
        "bands": bands_json,
        "bandWidthsKm": widths,
        "lineStyles": line_styles,
        "basemap": _basemap_views(bounds, bounds_all) if basemap else [],
        "bounds": bounds,
        "boundsAll": bounds_all,
        "dom": len(lon) <= DOM_MARKER_LIMIT,
        "note": (
            f"Coordinates rounded to {COORD_DECIMALS} decimals (\u2248 1 m). "
            "Distances and circles are geodesic (WGS84)."
        ),
        "frontierTitles": [f.title or f.name for f in chosen],
    }
