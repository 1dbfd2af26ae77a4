"""Batch geocoding: a column of place names to places, with every doubt flagged.

:func:`geocode_frame` adds to a table (a pandas DataFrame, or a Series of
names) the place each name resolves to and how sure that is; the command line's
``bordermap geocode --csv IN --column place -o OUT`` streams a CSV file through
the same :class:`BatchGeocoder` a chunk of rows at a time.

Every name is looked up once (a cache keyed on the name and the country hint),
with :meth:`Gazetteer.resolve_result <bordermap.gazetteer.Gazetteer.resolve_result>`
and its "clearly best" rule, so a batch says no more than a single look-up
would.  Each row gets a ``status``:

``ok``
    One place: ``lon``, ``lat``, ``precision_m`` and the place's id, name and
    country are filled, ``match_kind`` says how (``exact``, ``alias`` or
    ``fuzzy``) and ``score`` how well (0-100).
``ambiguous``
    Several places and none clearly best: ``candidate_list`` lists them and
    ``lon``/``lat`` stay empty.  A country hint (``country_column``) that picks
    one of them decides.
``weak``
    A lone *fuzzy* match that nothing corroborates: no country hint on the row,
    and its country is not that of any place the other rows name exactly (nor
    any row's hint).  It is offered in ``suggestion``, never taken:
    ``lon``/``lat`` stay empty.  (A misspelt "Chong Bok" must not land on a
    village of that sound 379 km away.)
``not found``
    No place: ``suggestion`` holds the nearest names.
``empty``, ``invalid``
    No name in the cell, or a name or country hint that cannot be looked up
    (``suggestion`` says why).

``candidates`` counts the places the name matched: exactly (name or alias),
or, for a fuzzy match, closely (within :data:`~bordermap.gazetteer.FUZZY_MARGIN`
of the best score).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bordermap.errors import (
    AmbiguousPlaceError,
    BordermapError,
    BoundaryError,
    UnknownPlaceError,
)
from bordermap.gazetteer.places import Candidate, Place

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["COLUMNS", "STATUSES", "BatchGeocoder", "Lookup", "geocode_frame", "weak_reason"]

#: The columns :func:`geocode_frame` adds, in order (each with the ``prefix``).
COLUMNS = (
    "lon",
    "lat",
    "precision_m",
    "status",
    "match_kind",
    "score",
    "candidates",
    "place_id",
    "place_name",
    "place_country",
    "candidate_list",
    "suggestion",
)
#: Row statuses, from sure to empty.
STATUSES = ("ok", "ambiguous", "weak", "not found", "empty", "invalid")
#: Candidates listed in ``candidate_list`` (the count is in ``candidates``).
MAX_LISTED = 10
#: Candidates :meth:`~bordermap.gazetteer.Gazetteer.resolve_result` is asked for.
_LIMIT = 50


@dataclass(frozen=True, slots=True)
class Lookup:
    """What the gazetteer says about one name (and country hint), before the file's context.

    ``status`` is one of :data:`STATUSES` except ``"weak"``, which only the
    context decides (:meth:`BatchGeocoder.row`).
    """

    status: str
    place: Place | None = None
    match: str = ""
    score: float = math.nan
    count: int = 0
    listed: str = ""
    suggestion: str = ""


def _latlon(p: Place) -> str:
    return (f"{abs(p.lat):.4f} {'N' if p.lat >= 0 else 'S'} "
            f"{abs(p.lon):.4f} {'E' if p.lon >= 0 else 'W'}")


def _listed(cands: Iterable[Candidate]) -> str:
    cands = list(cands)
    shown = [
        f"{c.place.name} ({c.place.country}, {c.place.kind}, {_latlon(c.place)}, {c.place.id})"
        for c in cands[:MAX_LISTED]
    ]
    more = f"; and {len(cands) - MAX_LISTED} more" if len(cands) > MAX_LISTED else ""
    return "; ".join(shown) + more


def weak_reason(
    cand: Candidate, countries: Iterable[str], hinted: bool = False, *, neighbours: bool = True
) -> str | None:
    """Why a chosen candidate must stay a suggestion, or None if it may be taken.

    Only a fuzzy match can be weak: one that no country hint restricted
    (``hinted``) and whose country is neither among ``countries`` (those of the
    places around it: the other rows, the frontier, the other end of a pair)
    nor, with ``neighbours``, a country sharing a border with one of them.

    Examples
    --------
    >>> from bordermap.gazetteer import search
    >>> c = search("Saravn", limit=1)[0]
    >>> c.match, c.place.country, weak_reason(c, {"IRN"}), weak_reason(c, {"PAK"})
    ('fuzzy', 'IRN', None, None)
    >>> weak_reason(c, {"PAK"}, neighbours=False)
    'a fuzzy match (score 92) in IRN, not in PAK like the places around it'
    >>> weak_reason(c, {"THA", "KHM"})
    'a fuzzy match (score 92) in IRN, not in or next to KHM, THA like the places around it'
    >>> weak_reason(c, set())
    'a fuzzy match (score 92) that nothing corroborates (no country hint, no other place)'
    >>> weak_reason(c, set(), hinted=True) is None
    True
    """
    if cand.match != "fuzzy" or hinted:
        return None
    where = tuple(sorted(set(countries)))
    if cand.place.country in where:
        return None
    if not where:
        return (f"a fuzzy match (score {cand.score:.0f}) that nothing corroborates "
                "(no country hint, no other place)")
    if neighbours and cand.place.country in _next_to(where):
        return None
    shown = ", ".join(where[:6]) + (" …" if len(where) > 6 else "")
    return (f"a fuzzy match (score {cand.score:.0f}) in {cand.place.country}, "
            f"not in {'or next to ' if neighbours else ''}{shown} like the places around it")


_NEAR: dict[tuple[str, ...], frozenset[str]] = {}


def _next_to(countries: tuple[str, ...]) -> frozenset[str]:
    """The countries sharing a border with any of ``countries`` (embedded boundaries)."""
    found = _NEAR.get(countries)
    if found is None:
        from bordermap.frontiers import neighbours

        out: set[str] = set()
        for cc in countries:
            try:
                out.update(neighbours(cc))
            except BordermapError:  # a code without a polygon: no neighbours known
                continue
        found = _NEAR[countries] = frozenset(out)
    return found


def country_hint(value: Any) -> str | None:
    """An ISO-3 code from a country cell: ISO-3 (any case) or a country's name; None if empty.

    Text that is neither comes back as it is (the look-up then reports it).

    Examples
    --------
    >>> country_hint("tha"), country_hint("Cambodia"), country_hint(" "), country_hint("Xx")
    ('THA', 'KHM', None, 'Xx')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    if not text:
        return None
    from bordermap.gazetteer.sources import country_codes

    codes = country_codes()
    if text.upper() in codes:
        return text.upper()
    by_name = _names_to_codes(codes)
    return by_name.get(text.casefold(), text)  # an unknown code is refused by the look-up


_BY_NAME: dict[str, str] = {}


def _names_to_codes(codes: dict[str, str]) -> dict[str, str]:
    if not _BY_NAME:
        _BY_NAME.update({name.casefold(): code for code, name in codes.items()})
    return _BY_NAME


def _cell_name(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = value if isinstance(value, str) else str(value)
    return text if text.strip() else None


class BatchGeocoder:
    """Looks names up once each and judges each row in the context of the whole table.

    Parameters
    ----------
    gazetteer : Gazetteer, optional
        Default :func:`bordermap.gazetteer.get_gazetteer`.

    Attributes
    ----------
    cache : dict
        ``(name, country hint) -> Lookup``: every distinct key looked up.

    Examples
    --------
    >>> g = BatchGeocoder()
    >>> g.lookup("Panjgur").status, g.lookup("Panjgur") is g.lookup("Panjgur")
    ('ok', True)
    >>> g.lookup("Springfield").status, g.lookup("Springfield", "USA").status
    ('ambiguous', 'ambiguous')
    """

    def __init__(self, gazetteer: Any = None) -> None:
        self._gaz = gazetteer
        self.cache: dict[tuple[str, str | None], Lookup] = {}
        self._hints: set[str] = set()

    @property
    def gazetteer(self) -> Any:
        if self._gaz is None:
            from bordermap.gazetteer import get_gazetteer

            self._gaz = get_gazetteer()
        return self._gaz

    def lookup(self, name: Any, country: Any = None) -> Lookup:
        """The cached :class:`Lookup` of one cell (and its country hint)."""
        text = _cell_name(name)
        cc = country_hint(country)
        key = (text or "", cc)
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = self._lookup(text, cc)
            if cc is not None and found.status != "invalid":
                self._hints.add(cc)
        return found

    def _lookup(self, name: str | None, cc: str | None) -> Lookup:
        if name is None:
            return Lookup("empty")
        try:
            quick = self._quick(name, cc)
            if quick is not None:
                return quick
            r = self.gazetteer.resolve_result(name, country=cc, limit=_LIMIT)
        except AmbiguousPlaceError as exc:
            return Lookup("ambiguous", count=len(exc.candidates), listed=_listed(exc.candidates),
                          suggestion=exc.suggestion or "")
        except UnknownPlaceError as exc:
            return Lookup("not found", suggestion=self._suggestions(name, cc, exc.suggestions))
        except BoundaryError as exc:  # a country hint that is no country
            return Lookup("invalid", suggestion=f"country {exc.message.split(' ', 3)[-1]}"
                          + (f": {exc.suggestion}" if exc.suggestion else ""))
        except BordermapError as exc:  # no letters, too long
            return Lookup("invalid", suggestion=exc.message)
        cand = next((c for c in r.candidates if c.place == r.place), None)
        if cand is None:  # pragma: no cover - resolve_result lists its choice
            return Lookup("ok", r.place, "", math.nan, 1)
        if cand.match == "fuzzy":
            from bordermap.gazetteer.rank import FUZZY_MARGIN

            count = sum(1 for c in r.candidates
                        if c.match == "fuzzy" and cand.score - c.score < FUZZY_MARGIN)
        else:
            count = sum(1 for c in r.candidates if c.match != "fuzzy")
        return Lookup("ok", r.place, cand.match, round(float(cand.score), 1), count)

    def _quick(self, name: str, cc: str | None) -> Lookup | None:
        """The answer of ``resolve`` where it is plain without its full ranking (a lone
        exact match is clearly best; no candidate within two edits is not found, without
        the exhaustive scan ``resolve`` makes for suggestions); None otherwise."""
        exact = self.gazetteer.search(name, country=cc, limit=None, fuzzy=False)
        if len(exact) == 1:
            c = exact[0]
            return Lookup("ok", c.place, c.match, round(float(c.score), 1), 1)
        if exact or self.gazetteer.search(name, country=cc, limit=1):
            return None
        return Lookup("not found", suggestion=self._suggestions(name, cc, ()))

    def _suggestions(self, name: str, cc: str | None, near: tuple[str, ...]) -> str:
        text = ("did you mean: " + ", ".join(near) + "?" if near
                else "no similar name (none within two edits)")
        if cc is None:
            return text
        try:  # the name may be known elsewhere: say so
            others = self.gazetteer.search(name, limit=3, fuzzy=False)
        except BordermapError:
            others = []
        if others:
            text += "; elsewhere: " + ", ".join(f"{c.place.name} ({c.place.country})"
                                                for c in others)
        return text

    def context(self) -> frozenset[str]:
        """Countries that corroborate a fuzzy match: those of the places named exactly
        (or by an alias) and of every valid country hint, over all the keys looked up."""
        out = {lk.place.country for lk in self.cache.values()
               if lk.status == "ok" and lk.match != "fuzzy" and lk.place is not None}
        return frozenset(out | self._hints)

    def row(self, lk: Lookup, hinted: bool, context: frozenset[str]) -> tuple:
        """The values of :data:`COLUMNS` for one row."""
        p = lk.place
        if lk.status != "ok" or p is None:
            return (math.nan, math.nan, math.nan, lk.status, lk.match, lk.score, lk.count,
                    "", "", "", lk.listed, lk.suggestion)
        cand = Candidate(p, lk.score, lk.match)  # type: ignore[arg-type]
        why = weak_reason(cand, context, hinted)
        if why is not None:
            hint = (f"{p.name} ({p.country}, {p.kind}, {_latlon(p)}, {p.id}): {why}; "
                    "give a country hint or correct the name to take it")
            return (math.nan, math.nan, math.nan, "weak", lk.match, lk.score, lk.count,
                    "", "", "", "", hint)
        return (p.lon, p.lat, float(p.precision_m), "ok", lk.match, lk.score, lk.count,
                p.id, p.name, p.country, "", "")

    def lookup_all(self, names: Iterable[Any], countries: Iterable[Any] | None = None) -> None:
        """Look up every distinct name (and hint) not yet in the cache."""
        if countries is None:
            for name in names:
                self.lookup(name)
        else:
            for name, cc in zip(names, countries, strict=True):
                self.lookup(name, cc)

    def annotate(
        self,
        names: Iterable[Any],
        countries: Iterable[Any] | None = None,
        context: frozenset[str] | None = None,
    ) -> list[tuple]:
        """The rows of :data:`COLUMNS` for the names (looked up if not yet cached).

        ``context`` defaults to :meth:`context` after the look-ups: call
        :meth:`lookup_all` on the whole table first when it comes in chunks.
        """
        names = list(names)
        hints = [None] * len(names) if countries is None else list(countries)
        lks = [self.lookup(n, c) for n, c in zip(names, hints, strict=True)]
        ctx = self.context() if context is None else context
        return [self.row(lk, country_hint(c) is not None, ctx)
                for lk, c in zip(lks, hints, strict=True)]


def output_columns(existing: Iterable[str], prefix: str = "") -> list[str]:
    """The added column names; a clash with an input column is an error naming it."""
    have = set(existing)
    out = [f"{prefix}{c}" for c in COLUMNS]
    clash = [c for c in out if c in have]
    if clash:
        raise BordermapError(
            f"the input already has a column {clash[0]!r}, which geocoding adds",
            field=clash[0],
            suggestion="give a prefix for the added columns: --prefix geo_, "
            "prefix='geo_' in Python",
        )
    return out


def check_column(existing: list[str], column: str, what: str = "column") -> None:
    """A column that is not in the table is an error naming the closest one."""
    if column in existing:
        return
    import difflib

    near = difflib.get_close_matches(column, existing, n=1, cutoff=0.5)
    folded = [c for c in existing if c.casefold() == column.casefold()]
    guess = (folded or near or [None])[0]
    shown = ", ".join(existing[:12]) + (" …" if len(existing) > 12 else "")
    raise BordermapError(
        f"no {what} named {column!r} (columns: {shown})",
        field=column,
        suggestion=f"did you mean {guess!r}?" if guess else "name one of the columns",
    )


def geocode_frame(
    data: pd.DataFrame | pd.Series,
    column: str | None = None,
    *,
    country_column: str | None = None,
    country: str | None = None,
    prefix: str = "",
    gazetteer: Any = None,
) -> pd.DataFrame:
    """Geocode a column of place names; every input column and the row order are kept.

    Parameters
    ----------
    data : DataFrame or Series
        The table, or a Series of names (its name, or ``"place"``, becomes the column).
    column : str, optional
        The column of names (required for a DataFrame).
    country_column : str, optional
        A column of country hints (ISO-3 codes or country names; empty cells: none).
        A hint restricts the look-up to that country: it decides between
        ambiguous candidates and makes a fuzzy match in that country a match.
    country : str, optional
        A hint for every row whose ``country_column`` cell is empty (or with no such column).
    prefix : str, default ""
        Put before each added column's name (see :data:`COLUMNS`); a clash
        between an added column and an input column is an error.
    gazetteer : Gazetteer, optional
        Default :func:`bordermap.gazetteer.get_gazetteer`.

    Returns
    -------
    DataFrame
        ``data`` with :data:`COLUMNS` added (``status`` explains each row: see
        :mod:`bordermap.gazetteer.batch`).

    Raises
    ------
    BordermapError
        A column that does not exist (naming the closest), or a clash of column names.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"where": ["Panjgur", "Saravn", "Pishin", "Pishin", "Qqzx"],
    ...                    "cc": ["", "", "", "IRN", ""]})
    >>> out = geocode_frame(df, "where", country_column="cc")
    >>> out[["where", "status", "match_kind", "place_country"]].values.tolist()[:2]
    [['Panjgur', 'ok', 'exact', 'PAK'], ['Saravn', 'ok', 'fuzzy', 'IRN']]
    >>> out["status"].tolist()[2:], int(out["candidates"][2]), out["place_country"][3]
    (['ambiguous', 'ok', 'not found'], 2, 'IRN')
    >>> out.loc[0, ["lon", "lat"]].astype(float).round(3).tolist(), bool(out["precision_m"][0] > 0)
    ([64.095, 26.972], True)

    A fuzzy match that no other row (and no hint) corroborates is only a suggestion:

    >>> alone = geocode_frame(pd.Series(["Saravn"]))
    >>> alone.loc[0, "status"], bool(alone["lon"].isna()[0]), alone.loc[0, "suggestion"][:21]
    ('weak', True, 'Sarāvān (IRN, town, 2')
    """
    import pandas as pd

    if isinstance(data, pd.Series):
        data = data.to_frame(name=data.name if isinstance(data.name, str) else "place")
        column = column or data.columns[0]
    if column is None:
        raise BordermapError("name the column of place names", field="column")
    existing = [str(c) for c in data.columns]
    check_column(existing, column)
    if country_column is not None:
        check_column(existing, country_column, "country column")
    added = output_columns(existing, prefix)
    hints = _hints(data, country_column, country)
    rows = BatchGeocoder(gazetteer).annotate(data[column].tolist(), hints)
    extra = pd.DataFrame.from_records(rows, columns=added, index=data.index)
    return pd.concat([data, _typed(extra, prefix)], axis=1)


def _hints(data: Any, country_column: str | None, country: str | None) -> list[Any] | None:
    if country_column is None:
        return None if country is None else [country] * len(data)
    cells = data[country_column].tolist()
    if country is None:
        return cells
    return [c if country_hint(c) is not None else country for c in cells]


def _typed(frame: Any, prefix: str) -> Any:
    """Numbers as floats, the count as an integer, text as text."""
    for c in ("lon", "lat", "precision_m", "score"):
        frame[prefix + c] = frame[prefix + c].astype("float64")
    frame[prefix + "candidates"] = frame[prefix + "candidates"].astype("int64")
    return frame
