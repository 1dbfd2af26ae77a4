"""Which frontier a text or a layer is about: country-name pairs and the layer's countries.

Kept apart from :mod:`bordermap.frontiers` (which builds frontiers) so that each
room stays small; :func:`bordermap.frontiers.frontiers_about` and
:func:`bordermap.frontiers.get_frontier` call into it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

from bordermap.frontiers import Frontier, _table, get_frontier, neighbours

__all__ = ["country_name_pair", "frontiers_about", "suggest_country_pair"]


#: Short forms reports use that neither GeoNames nor Natural Earth spell this way.
_ALIASES = {
    "dr-congo": "COD", "drc": "COD", "congo-kinshasa": "COD", "congo-brazzaville": "COG",
    "burma": "MMR", "uk": "GBR", "britain": "GBR", "great-britain": "GBR", "usa": "USA",
    "us": "USA", "america": "USA", "east-timor": "TLS", "swaziland": "SWZ",
    "macedonia": "MKD", "turkiye": "TUR", "cape-verde": "CPV", "vatican": "VAT",
}
#: Natural Earth's other name fields (long, formal, alternative, English, sort names).
_NE_NAME_FIELDS = ("NAME_LONG", "NAME_EN", "FORMAL_EN", "NAME_ALT", "NAME_SORT", "BRK_NAME",
                   "NAME_CIAWF", "ADMIN")


def _loose(name: str) -> str:
    """A country name's key: no accents, dots, commas or apostrophes, words joined by '-'."""
    import re
    import unicodedata

    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[.'\u2019,()]", "", text)
    return re.sub(r"[\s_\u2013\u2014/-]+", "-", text).strip("-")


def country_name_pair(key: str) -> tuple[str, str] | None:
    """Two country names joined by a hyphen ("thailand-cambodia") as ISO-3 codes, or None.

    Names are matched, after normalisation (case, accents, dots, apostrophes), against
    the GeoNames country names, the embedded boundaries' name fields and a few short
    forms ("DR Congo", "Burma"); every hyphen is tried as the joint, so names with
    hyphens of their own ("guinea-bissau-senegal") work too.

    Examples
    --------
    >>> country_name_pair("dr-congo-rwanda"), country_name_pair("cote-divoire-ghana")
    (('COD', 'RWA'), ('CIV', 'GHA'))
    """
    lookup = _country_names()
    for i, ch in enumerate(key):
        if ch != "-":
            continue
        a, b = lookup.get(_loose(key[:i])), lookup.get(_loose(key[i + 1:]))
        if a and b and a != b:
            return a, b
    return None


def suggest_country_pair(key: str) -> str | None:
    """The neighbouring pair of countries a misspelt or ambiguous pair most likely means.

    Each side is matched loosely against the country names; of the close candidates,
    only pairs that share a boundary are offered ("congo-rwanda" means the
    Democratic Republic of the Congo, the Republic of the Congo not touching Rwanda).

    >>> suggest_country_pair("congo-rwanda")
    'COD-RWA (Democratic Republic of the Congo–Rwanda)'
    >>> suggest_country_pair("xx") is None
    True
    """
    from rapidfuzz import fuzz, process

    lookup = _country_names()
    names = list(lookup)
    best: tuple[float, str, str] | None = None
    for i, ch in enumerate(key):
        if ch != "-":
            continue
        left, right = _loose(key[:i]), _loose(key[i + 1:])
        if not left or not right:
            continue
        ca = {lookup[n]: sc for n, sc, _ in process.extract(left, names, scorer=fuzz.WRatio,
                                                             limit=8) if sc >= 80}
        cb = {lookup[n]: sc for n, sc, _ in process.extract(right, names, scorer=fuzz.WRatio,
                                                             limit=8) if sc >= 80}
        for a, sa in ca.items():
            near = set(neighbours(a, None))
            for b, sb in cb.items():
                if b in near and (best is None or min(sa, sb) > best[0]):
                    best = (min(sa, sb), a, b)
    if best is None:
        return None
    from bordermap.boundaries import country_name

    _, a, b = best
    return f"{a}-{b} ({country_name(a)}\u2013{country_name(b)})"


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    from bordermap.gazetteer import country_codes

    out = {_loose(name): iso for iso, name in country_codes().items()}
    table = _table(None)
    for iso, name in zip(table["iso3"], table["name"], strict=True):
        out.setdefault(_loose(str(name)), str(iso))
    for iso, names in _natural_earth_names().items():
        for name in names:
            out.setdefault(_loose(name), iso)
    for alias, iso in _ALIASES.items():
        out.setdefault(alias, iso)
    out.pop("", None)
    return out


def _natural_earth_names() -> dict[str, list[str]]:
    """The embedded Natural Earth file's other name fields, by the table's ISO-3 code."""
    import pyogrio

    from bordermap._data import natural_earth_path
    from bordermap.boundaries import _natural_earth_codes, _utf8_read_as_latin1

    path = f"zip://{natural_earth_path()}"
    fields = [f for f in _NE_NAME_FIELDS if f in set(pyogrio.read_info(path)["fields"])]
    df = pyogrio.read_dataframe(path, columns=["ISO_A3", "ADM0_A3", *fields],
                                read_geometry=False)
    codes = _natural_earth_codes(df, "ISO_A3", "ADM0_A3")
    out: dict[str, list[str]] = {}
    for iso, row in zip(codes, df[fields].itertuples(index=False), strict=True):
        out.setdefault(str(iso), []).extend(
            _utf8_read_as_latin1(v) for v in row if isinstance(v, str) and v)
    return out


def frontiers_about(
    lon: Any, lat: Any, codes: Any = (), *, boundaries: Any = None
) -> tuple[Frontier, ...]:
    """The frontiers a set of incidents is about, never one a continent away.

    Countries come from the incidents' stated codes (actor, target side, each
    location's country) and from the country containing each point.  The
    frontiers are the shared boundaries between any two of those countries;
    when no two of them are neighbours, the boundaries between the country
    holding most points and each of its neighbours.  Named frontiers (with their
    segments) are used where the pair has one.

    Parameters
    ----------
    lon, lat : array_like
        The incidents' points.
    codes : iterable of str
        ISO-3 codes the incidents name (other values are ignored).
    boundaries : optional
        Country polygons (embedded Natural Earth by default).

    Returns
    -------
    tuple of Frontier
        Empty when the points lie in no country and name none.

    Examples
    --------
    >>> [f.name for f in frontiers_about([103.0], [14.4], ["THA", "KHM"])]
    ['KHM-THA']
    >>> [f.name for f in frontiers_about([64.09, 62.33], [26.97, 27.37], ["IRN"])]
    ['iran-pakistan']
    """
    from collections import Counter

    from bordermap.boundaries import country_of

    lon = np.atleast_1d(np.asarray(lon, dtype=float))
    lat = np.atleast_1d(np.asarray(lat, dtype=float))
    found = [str(c) for c in np.asarray(country_of(lon, lat, boundaries)) if c] if lon.size \
        else []
    table = _table(boundaries)
    known = set(table["iso3"].astype(str))
    named = {str(c).upper() for c in codes if isinstance(c, str)} & known
    countries = sorted(named | set(found))
    pairs: list[tuple[str, str]] = []
    for a in countries:
        for b in neighbours(a, boundaries):
            if b in countries and a < b:
                pairs.append((a, b))
    if not pairs and found:
        top = Counter(found).most_common(1)[0][0]
        pairs = [tuple(sorted((top, b))) for b in neighbours(top, boundaries)]  # type: ignore[misc]
    out: dict[str, Frontier] = {}
    for a, b in pairs:
        f = get_frontier(f"{a}-{b}", boundaries)
        out.setdefault(f.name, f)
    from bordermap._settings import logger

    logger().debug(
        "frontiers the incidents are about: %s (countries %s)",
        ", ".join(out) or "none", ", ".join(countries) or "none")
    return tuple(out.values())
