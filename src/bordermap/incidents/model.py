"""Incident-layer values: the frozen dataclasses and the controlled vocabularies.

:class:`Layer` holds a tuple of :class:`Incident`; an incident has its
:class:`DateSpec`, its impact :class:`Location` s, each side's :class:`Claim`
(casualty :class:`Range` s, a :class:`ReportedDistance`) and its
:class:`Source` s.  The limits every reader enforces are here too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # pragma: no cover
    import geopandas


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
    # kinds the event datasets use (ACLED sub-event types, UCDP GED types of
    # violence; see layers/README.md, "Event datasets")
    "armed clash",
    "government regains territory",
    "non-state actor overtakes territory",
    "non-violent transfer of territory",
    "air/drone strike",
    "shelling/artillery/missile attack",
    "remote explosive/landmine/ied",
    "grenade",
    "suicide bomb",
    "chemical weapon",
    "attack",
    "abduction/forced disappearance",
    "sexual violence",
    "looting/property destruction",
    "protest",
    "excessive force against protesters",
    "riot",
    "arrests",
    "agreement",
    "disrupted weapons use",
    "base established",
    "state-based armed conflict",
    "non-state conflict",
    "one-sided violence",
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
    # the dataset kinds: ACLED's own spellings and common short forms
    "landmine": "remote explosive/landmine/ied",
    "ied": "remote explosive/landmine/ied",
    "remote explosive": "remote explosive/landmine/ied",
    "rocket": "shelling/artillery/missile attack",
    "rocket attack": "shelling/artillery/missile attack",
    "suicide bombing": "suicide bomb",
    "abduction": "abduction/forced disappearance",
    "forced disappearance": "abduction/forced disappearance",
    "looting": "looting/property destruction",
    "property destruction": "looting/property destruction",
    "peaceful protest": "protest",
    "protest with intervention": "protest",
    "excessive force against protestors": "excessive force against protesters",
    "violent demonstration": "riot",
    "mob violence": "riot",
    "headquarters or base established": "base established",
    "change to group/activity": "other",
    "state-based conflict": "state-based armed conflict",
    "non-state armed conflict": "non-state conflict",
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
#: A layer stops being read after this many distinct errors: a file whose every row
#: fails alike (a wrong date format, say) is refused in seconds, not after millions of
#: rows, and the first errors are what its reader needs to see.
STOP_AFTER_ERRORS = 1_000


#: Most incidents (rows, features) in one layer.
MAX_INCIDENTS = 5_000_000


#: Longest text field, in characters (CSV's own field limit).
MAX_FIELD_CHARS = 131_072


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
    "draft",
)

#: Keys of an incident's ``draft`` mapping (written by ``bordermap extract``).
_DRAFT_FIELDS = ("quote", "start", "end")


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
    >>> from bordermap.incidents import parse_date
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
        from bordermap.incidents.frame import incidents_to_geodataframe

        return incidents_to_geodataframe(self.incidents, layer=self.name)


class Gazetteer(Protocol):  # pragma: no cover - typing only
    def geocode(self, name: str, country: str | None = None) -> Any: ...


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
