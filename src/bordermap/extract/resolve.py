"""Ranking each mention's candidates in the context of the whole report.

Every gazetteer candidate gets a score from four kinds of evidence:

* the kind of match (curated exact 3.5, GeoNames main name 2, alias 1.2);
* the **document's countries** (+2): countries named or implied by demonyms,
  the countries of the frontiers named, and those of curated places found;
* the **frontier the text is about** (+1): the most named frontier, else the
  pair of the two most named countries;
* **nearby mentions** (+1.5 within 150 km, +0.75 within 500 km, geodesic on
  WGS84) of the places already resolved with confidence >= 0.8; and
* population (+0.25 per power of ten).

Scores become confidences by a softmax that includes a "none of these"
option of fixed score :data:`NONE_SCORE`, so that a lone candidate with no
support is not certain.  A mention is ``resolved`` when its best candidate's
confidence is at least 0.5 and leads the next by :data:`MARGIN`, ``ambiguous``
when candidates remain but none is clearly best, and ``unresolved`` when none
remains (a GeoNames alias in a country foreign to the report, with fewer than
100,000 people, is dropped: "Kashmir" is an alias of Cashmere, Washington).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from bordermap.extract.mentions import RawMention

__all__ = ["MARGIN", "NONE_SCORE", "Candidate", "Mention", "resolve_mentions"]

NONE_SCORE = 2.5
MARGIN = 0.15
_NEAR_KM = ((150.0, 1.5), (500.0, 0.75))
_ANCHOR = 0.8
_MAX_CANDIDATES = 10
#: Candidates of one country closer than this are one place named twice (km).
SAME_PLACE_KM = 25.0


@dataclass(frozen=True, slots=True)
class Candidate:
    """One reading of a mention: a gazetteer place, a country or a frontier.

    ``id`` is the gazetteer id (``"panjgur"``, ``"geonames:1168312"``),
    ``"country:PAK"`` or ``"frontier:india-pakistan"``; ``lon``/``lat`` are None
    for countries and frontiers.
    """

    id: str
    name: str
    country: str
    confidence: float
    lon: float | None = None
    lat: float | None = None
    kind: str = ""
    precision_m: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {k: getattr(self, k) for k in self.__slots__}


@dataclass(frozen=True, slots=True)
class Mention:
    """A place named in the text: span, sentence, kind, status and ranked candidates.

    ``status`` is ``"resolved"``, ``"ambiguous"`` or ``"unresolved"``; ``kind`` is
    ``"place"``, ``"country"``, ``"frontier"`` or ``"feature"`` (a named feature
    the gazetteer lacks).
    """

    text: str
    start: int
    end: int
    sentence: int
    kind: str
    status: str
    candidates: tuple[Candidate, ...]

    @property
    def id(self) -> str | None:
        """The best candidate's id (also for an ambiguous mention), None when unresolved."""
        return self.candidates[0].id if self.candidates else None

    @property
    def best(self) -> Candidate | None:
        """The best candidate, or None."""
        return self.candidates[0] if self.candidates else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {
            "text": self.text, "start": self.start, "end": self.end,
            "sentence": self.sentence, "kind": self.kind, "status": self.status,
            "id": self.id, "candidates": [c.to_dict() for c in self.candidates],
        }


def _about(raw: list[RawMention]) -> set[str]:
    """Countries of the frontier the text is about."""
    from bordermap.extract.mentions import _frontier_countries

    fr = Counter(m.code for m in raw if m.kind == "frontier")
    if fr:
        return set(_frontier_countries(fr.most_common(1)[0][0]))
    cc = Counter(m.code for m in raw if m.kind == "country")
    return {c for c, _ in cc.most_common(2)} if len(cc) >= 2 else set()


def _scores(gaz: Any, m: RawMention, doc: set[str], about: set[str]) -> list[tuple[float, int]]:
    out = []
    for r in m.rank:
        tier, i = r[0], r[4]
        place = gaz.place(i)
        if tier == 2 and place.country not in doc and place.population < 100_000:
            continue
        s = (3.5, 2.0, 1.2)[tier] + 0.25 * math.log10(place.population + 1)
        s += 2.0 * (place.country in doc) + 1.0 * (place.country in about)
        out.append((s, i))
    return out


def _near_bonus(gaz: Any, cands: list[tuple[float, int]], anchors: dict[int, tuple[float, float]],
                cache: dict[int, float]) -> list[tuple[float, int]]:
    """Add the proximity bonus: geodesic distance to the nearest anchor that is another place."""
    if not anchors or not cands:
        return cands
    todo = [i for _, i in cands if i not in cache]
    if todo:
        from bordermap.geodesy import geod

        keys = list(anchors)
        alon = np.array([anchors[k][0] for k in keys])
        alat = np.array([anchors[k][1] for k in keys])
        own = np.array(keys)
        places = [gaz.place(i) for i in todo]
        plon = np.repeat([p.lon for p in places], len(keys))
        plat = np.repeat([p.lat for p in places], len(keys))
        _, _, dist_m = geod().inv(plon, plat, np.tile(alon, len(todo)), np.tile(alat, len(todo)))
        dist_m = dist_m.reshape(len(todo), len(keys))
        dist_m[np.asarray(todo)[:, None] == own[None, :]] = np.inf  # no support from itself
        for i, d_m in zip(todo, dist_m.min(axis=1).tolist(), strict=True):
            cache[i] = next((b for km, b in _NEAR_KM if d_m / 1000.0 <= km), 0.0)
    return [(s + cache[i], i) for s, i in cands]


def _merge_duplicates(gaz: Any, scored: list[tuple[float, int]]) -> list[tuple[float, int]]:
    """One candidate per place: a candidate within :data:`SAME_PLACE_KM` of a better one of the
    same country (a curated entry and its GeoNames twin, two spellings of one town) is dropped."""
    from bordermap.geodesy import geod

    kept: list[tuple[float, int]] = []
    for s, i in sorted(scored, key=lambda t: (-t[0], t[1])):
        p = gaz.place(i)
        same = [gaz.place(k) for _, k in kept]
        same = [q for q in same if q.country == p.country]
        if any(q.geonameid and q.geonameid == p.geonameid for q in same):
            continue
        if same:
            n = len(same)
            _, _, d_m = geod().inv(np.full(n, p.lon), np.full(n, p.lat),
                                   np.array([q.lon for q in same]), np.array([q.lat for q in same]))
            if float(np.min(d_m)) <= SAME_PLACE_KM * 1000.0:
                continue
        kept.append((s, i))
    return kept


def _confidences(scored: list[tuple[float, int]]) -> list[tuple[float, int]]:
    scored = sorted(scored, key=lambda t: (-t[0], t[1]))[:_MAX_CANDIDATES]
    if not scored:
        return []
    top = max(NONE_SCORE, scored[0][0])
    z = math.exp(NONE_SCORE - top) + sum(math.exp(s - top) for s, _ in scored)
    return [(math.exp(s - top) / z, i) for s, i in scored]


def _status(conf: list[float]) -> str:
    if not conf:
        return "unresolved"
    second = conf[1] if len(conf) > 1 else 0.0
    return "resolved" if conf[0] >= 0.5 and conf[0] - second >= MARGIN else "ambiguous"


def _place_cands(gaz: Any, ranked: list[tuple[float, int]]) -> tuple[Candidate, ...]:
    out = []
    for c, i in ranked:
        p = gaz.place(i)
        out.append(Candidate(p.id, p.name, p.country, round(c, 3), p.lon, p.lat, p.kind,
                             p.precision_m))
    return tuple(out)


def _fixed(m: RawMention) -> tuple[Candidate, ...]:
    if m.kind == "country":
        from bordermap.gazetteer import country_codes

        return (Candidate(f"country:{m.code}", country_codes().get(m.code, m.code), m.code, 1.0,
                          kind="country"),)
    if m.kind == "frontier":
        from bordermap.extract.mentions import _frontier_countries

        cc = "-".join(_frontier_countries(m.code))
        return (Candidate(f"frontier:{m.code}", m.code, cc, 1.0, kind="frontier"),)
    return ()


def resolve_mentions(text: str, toks: list[Any], raw: list[RawMention], gaz: Any) -> list[Mention]:
    """Rank every raw mention's candidates in context (see module notes).

    Examples
    --------
    >>> from bordermap.extract.mentions import find_mentions
    >>> from bordermap.extract.text import sentences, tokens
    >>> from bordermap.gazetteer import get_gazetteer
    >>> gaz = get_gazetteer()
    >>> t = "Indian officials said drones flew over Samba, near Jammu."
    >>> toks = tokens(t, sentences(t))
    >>> ms = resolve_mentions(t, toks, find_mentions(t, toks, gaz), gaz)
    >>> [(m.text, m.status, m.best.country) for m in ms]
    [('Indian', 'resolved', 'IND'), ('Samba', 'resolved', 'IND'), ('Jammu', 'resolved', 'IND')]
    """
    about = _about(raw)
    doc = {m.code for m in raw if m.kind == "country"} | about
    from bordermap.extract.mentions import _frontier_countries

    doc |= {c for m in raw if m.kind == "frontier" for c in _frontier_countries(m.code)}
    doc |= {gaz.place(m.rank[0][4]).country for m in raw if m.kind == "place" and
            m.rank[0][0] == 0}
    merged: dict[tuple, list[tuple[float, int]]] = {}
    first = {}
    for m in raw:
        if m.kind == "place":
            key = tuple(r[4] for r in m.rank)  # the same name again: the same candidates
            if key not in merged:
                merged[key] = _merge_duplicates(gaz, _scores(gaz, m, doc, about))
            first[id(m)] = merged[key][:_MAX_CANDIDATES]
    anchors: dict[int, tuple[float, float]] = {}  # place index -> (lon, lat)
    for m in raw:
        if m.kind == "place":
            conf = _confidences(first[id(m)])
            if conf and conf[0][0] >= _ANCHOR:
                p = gaz.place(conf[0][1])
                anchors[conf[0][1]] = (p.lon, p.lat)
    bonus: dict[int, float] = {}
    out = []
    for m in raw:
        if m.kind == "place":
            ranked = _confidences(_near_bonus(gaz, first[id(m)], anchors, bonus))
            cands = _place_cands(gaz, ranked)
            status = _status([c for c, _ in ranked])
        else:
            cands = _fixed(m)
            status = "resolved" if cands else "unresolved"
        a, b = toks[m.i].start, toks[m.j - 1].end
        b = _strip_possessive(text, a, b)
        out.append(Mention(text[a:b], a, b, toks[m.i].sentence, m.kind, status, cands))
    return out


def _strip_possessive(text: str, a: int, b: int) -> int:
    tail = text[max(a, b - 2) : b]
    if len(tail) == 2 and tail[0] in "'’ʼ" and tail[1] in "sS" and b - a > 3:
        return b - 2
    if b - a > 3 and text[b - 1] in "'’ʼ" and text[b - 2] in "sS":
        return b - 1
    return b
