"""A town and the administrative area named after it: "Asuncion", "Bangkok", "Kandahar".

Many provinces and districts bear the name of their chief town (Asunción,
Bangkok, Phnom Penh, Kandahar, Surin, Tehran).  A bare name then matches both
the town and the area around it.  They are not two unrelated places: the town
lies inside the area.  The unqualified name resolves to the town, as a reader
of "shelling near Kandahar" understands it; the area keeps its own name with a
kind word ("Kandahar province", "Si Sa Ket province"; see
:mod:`~bordermap.gazetteer.qualify`).

The rule is narrow, so that no choice between genuinely different places is
made silently:

* only exact matches of the query take part (a fuzzy match never pairs);
* the area must be an administrative area (kind ``province`` or ``district``
  with a polygon) and the town a settlement (kind ``town`` or ``village``) of
  the **same country** whose point lies inside the polygon, or within the
  polygon's simplification error (:data:`EDGE_TOLERANCE_M`) of its edge,
  measured geodesically;
* the area is then set aside; the town still competes with every other
  candidate under the usual rules (a town of the same name in another country
  must still be dominated in population; a curated landmark of the same
  country and name stays ambiguous with the pair, as an area would be).

When candidates remain ambiguous, :func:`qualifier_hint` says which kind words
separate them ("write 'Surin city' or 'Surin province'").
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from bordermap.gazetteer.places import Candidate, Place

__all__ = ["EDGE_TOLERANCE_M", "eponymous_areas", "qualifier_hint", "town_in_area"]

#: Kinds of places that are administrative areas (with a polygon) and settlements.
AREA_KINDS = frozenset({"province", "district"})
SETTLEMENT_KINDS = frozenset({"town", "village"})
#: A town this close (geodesic metres) outside its area's polygon still counts as inside:
#: the simplification error of the embedded administrative areas (``admin1.json``).
EDGE_TOLERANCE_M = 1196.0
#: The kind word that selects each kind in a query (see ``qualify.QUALIFIERS``).
_WORD = {"town": "city", "village": "village", "province": "province", "district": "district"}


@lru_cache(maxsize=512)
def _prepared(wkt: str) -> Any:
    import shapely

    geom = shapely.from_wkt(wkt)
    shapely.prepare(geom)
    return geom


def town_in_area(town: Place, area: Place) -> bool:
    """Whether ``town`` lies in ``area``'s polygon (or within :data:`EDGE_TOLERANCE_M` of it).

    Examples
    --------
    >>> sq = "POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))"
    >>> area = Place("a", "A", 0.5, 0.5, "XXX", "province", 1.0, "", area_wkt=sq)
    >>> town_in_area(Place("t", "A", 0.2, 0.3, "XXX", "town", 1.0, ""), area)
    True
    >>> town_in_area(Place("t", "A", 1.005, 0.5, "XXX", "town", 1.0, ""), area)  # 557 m out
    True
    >>> town_in_area(Place("t", "A", 1.02, 0.5, "XXX", "town", 1.0, ""), area)  # 2.2 km out
    False
    """
    if not area.area_wkt:
        return False
    import shapely
    from shapely.ops import nearest_points

    poly = _prepared(area.area_wkt)
    pt = shapely.Point(town.lon, town.lat)
    if poly.covers(pt):
        return True
    from bordermap.geodesy import geod

    near = nearest_points(poly, pt)[0]
    _, _, dist_m = geod().inv(town.lon, town.lat, near.x, near.y)
    return bool(dist_m <= EDGE_TOLERANCE_M)


def eponymous_areas(cands: Sequence[Candidate]) -> list[Candidate]:
    """The exactly matched areas that hold an exactly matched town of their own country.

    ``cands`` are ranked candidates for one query; the areas returned are set
    aside when the query names no kind (the town answers for them).

    Examples
    --------
    >>> sq = "POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))"
    >>> prov = Place("a", "Xa", 0.5, 0.5, "XXX", "province", 1.0, "", area_wkt=sq, origin="admin")
    >>> town = Place("t", "Xa", 0.2, 0.3, "XXX", "town", 1.0, "")
    >>> other = Place("u", "Xa", 9.0, 9.0, "YYY", "town", 1.0, "")
    >>> [c.place.id for c in eponymous_areas([Candidate(town, 100.0, "exact"),
    ...                                       Candidate(prov, 100.0, "exact")])]
    ['a']
    >>> eponymous_areas([Candidate(other, 100.0, "exact"), Candidate(prov, 100.0, "exact")])
    []
    """
    exact = [c for c in cands if c.match != "fuzzy"]
    towns = [c.place for c in exact if c.place.kind in SETTLEMENT_KINDS]
    if not towns:
        return []
    out = []
    for c in exact:
        a = c.place
        if a.kind in AREA_KINDS and a.area_wkt and any(
            t.country == a.country and town_in_area(t, a) for t in towns
        ):
            out.append(c)
    return out


def qualifier_hint(name: str, cands: Sequence[Candidate]) -> str | None:
    """A suggestion naming the kind words that separate ambiguous candidates, or None.

    Examples
    --------
    >>> t = Place("t", "Surin", 103.5, 14.9, "THA", "town", 1.0, "")
    >>> p = Place("p", "Surin", 103.7, 14.9, "THA", "province", 1.0, "")
    >>> qualifier_hint("Surin", [Candidate(t, 100.0, "exact"), Candidate(p, 100.0, "exact")])
    "write 'Surin city' or 'Surin province' (a kind word decides), or add a country hint"
    >>> qualifier_hint("Punjab", [Candidate(p, 100.0, "exact")]) is None
    True
    """
    from bordermap.gazetteer.qualify import LANDMARK_WORDS

    words: list[str] = []
    for c in cands:
        if c.match == "fuzzy":
            continue
        kind = c.place.kind
        word = _WORD.get(kind) or next((w for w in kind.split() if w in LANDMARK_WORDS), None)
        if word is not None and word not in words:
            words.append(word)
    if len(words) < 2:
        return None
    base = " ".join(name.split())
    quoted = [f"'{base} {w}'" for w in words]
    listed = ", ".join(quoted[:-1]) + f" or {quoted[-1]}"
    return f"write {listed} (a kind word decides), or add a country hint"
