"""Which frontier a text or a layer is about: country-name pairs and the layer's countries.

Kept apart from :mod:`bordermap.frontiers` (which builds frontiers) so that each
room stays small; :func:`bordermap.frontiers.frontiers_about` and
:func:`bordermap.frontiers.get_frontier` call into it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

from bordermap.frontiers import Frontier, _norm, _table, get_frontier, neighbours

__all__ = ["country_name_pair", "frontiers_about"]


def country_name_pair(key: str) -> tuple[str, str] | None:
    """Two country names joined by a hyphen ("thailand-cambodia") as ISO-3 codes, or None.

    Names are matched, after normalisation, against the GeoNames country names and
    the names in the embedded boundaries; every hyphen is tried as the joint, so
    names with hyphens of their own ("guinea-bissau-senegal") work too.
    """
    lookup = _country_names()
    for i, ch in enumerate(key):
        if ch != "-":
            continue
        a, b = lookup.get(key[:i]), lookup.get(key[i + 1:])
        if a and b and a != b:
            return a, b
    return None


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    from bordermap.gazetteer import country_codes

    out = {_norm(name): iso for iso, name in country_codes().items()}
    table = _table(None)
    for iso, name in zip(table["iso3"], table["name"], strict=True):
        out.setdefault(_norm(str(name)), str(iso))
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
