"""UCDP Georeferenced Event Dataset (GED) CSV read as incident layers (format ``ucdp``).

Recognised by its header (:data:`COLUMNS`, any order, extra columns allowed)
or named with ``load_layer(path, format="ucdp")``.  One row is one incident:

- ``id`` becomes the incident id ``ucdp-<id>`` (a bare number would be
  ambiguous beside other layers' ids);
- ``date_start``/``date_end`` are the date (a day, or the interval of days
  when they differ); ``date_prec`` (1-5) is checked against the codebook;
- ``latitude``/``longitude`` and ``where_prec`` (1-7) are the impact point and
  its radius (:data:`WHERE_PREC_M`; code 6, the country, is the radius of a
  circle with the country's area); a row without coordinates is skipped with a
  warning;
- ``type_of_violence`` (1-3) is the kind (:data:`VIOLENCE_KINDS`); ``side_a``
  the actor, ``side_b`` the target side;
- ``low``/``best``/``high`` are a claim by ``UCDP GED`` (``killed``), with
  ``deaths_a``, ``deaths_b``, ``deaths_civilians`` and ``deaths_unknown`` as
  ``killed_side_a``, ``killed_side_b``, ``killed_civilians``, ``killed_unknown``;
  the row's ``source_headline`` / ``source_article`` is its source.

See ``layers/README.md`` ("Event datasets") for the tables and the codebook.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bordermap.incidents.dates import parse_date
from bordermap.incidents.model import _ID_RE, Claim, Incident, Location, Range, Source
from bordermap.io import _datasets as ds
from bordermap.io._registry import Format

__all__ = ["COLUMNS", "DATASET", "DATE_PREC", "FORMAT", "VIOLENCE_KINDS", "WHERE_PREC_M"]

#: The columns of a UCDP GED CSV that bordermap reads (a file may have more).
COLUMNS: tuple[str, ...] = (
    "id",
    "year",
    "type_of_violence",
    "side_a",
    "side_b",
    "country",
    "country_id",
    "date_start",
    "date_end",
    "date_prec",
    "where_prec",
    "adm_1",
    "adm_2",
    "where_coordinates",
    "latitude",
    "longitude",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "low",
    "high",
    "source_article",
    "source_headline",
)

#: ``where_prec`` code -> radius in metres (None: the country's own radius).
WHERE_PREC_M: dict[str, float | None] = {
    "1": 2_000.0,  # the exact place
    "2": 25_000.0,  # within about 25 km of a known point
    "3": 50_000.0,  # a second-order administrative division (its centroid)
    "4": 150_000.0,  # a first-order administrative division (its centroid)
    "5": 300_000.0,  # part of a country larger than a province, or a linear feature
    "6": None,  # the country (its centroid): radius of a circle with its area
    "7": 100_000.0,  # international waters or airspace
}

#: Radius (metres) for ``where_prec`` 6 when the country's area is unknown.
COUNTRY_FALLBACK_M = 500_000.0

#: ``date_prec`` codes (the interval itself is ``date_start`` .. ``date_end``).
DATE_PREC: dict[str, str] = {
    "1": "exact day",
    "2": "2-6 days",
    "3": "a week",
    "4": "8-30 days or a month",
    "5": "more than a month, or a year",
}

#: ``type_of_violence`` -> bordermap kind.
VIOLENCE_KINDS: dict[str, str] = {
    "1": "state-based armed conflict",
    "2": "non-state conflict",
    "3": "one-sided violence",
}

_DEATHS = (
    ("deaths_a", "killed_side_a"),
    ("deaths_b", "killed_side_b"),
    ("deaths_civilians", "killed_civilians"),
    ("deaths_unknown", "killed_unknown"),
)


def _day(text: str) -> str | None:
    """``YYYY-MM-DD`` of a UCDP date (``2020-06-15`` or ``2020-06-15 00:00:00.000``)."""
    day = text[:10]
    if len(day) == 10 and day[4] == "-" and day[7] == "-" and (len(text) == 10 or text[10] in " T"):
        return day
    return None


def _date(ctx: Any, row: dict[str, str], line: int, memo: dict) -> Any:
    ds.code(ctx, row["date_prec"], "date_prec", line, DATE_PREC, "UCDP GED date_prec")
    start, end = _day(row["date_start"]), _day(row["date_end"])
    for column, day in (("date_start", start), ("date_end", end)):
        if day is None:
            text = row[column]
            ctx.report(ctx.error(f"cannot read {column} {text!r}", line, column, "use YYYY-MM-DD"))
            return None
    iso = start if start == end else f"{start}/{end}"
    found = memo.get(iso)
    if found is None:
        try:
            found = memo[iso] = parse_date(iso)
        except ValueError as exc:
            ctx.report(ctx.error(f"date_start/date_end: {exc}", line, "date_end"))
    return found


def _radius(ctx: Any, row: dict[str, str], line: int, country: str | None) -> float | None:
    code = row["where_prec"]
    if code not in WHERE_PREC_M:
        ds.code(ctx, code, "where_prec", line, WHERE_PREC_M, "UCDP GED where_prec")
        return None
    radius = WHERE_PREC_M[code]
    if radius is None:
        radius = ds.country_radius_m(country) or COUNTRY_FALLBACK_M
    return radius


def _claim(ctx: Any, row: dict[str, str], line: int, source: Any) -> Any:
    low, best, high = (ds.count(ctx, row[c], c, line) for c in ("low", "best", "high"))
    figures = []
    if (low, best, high) != (None, None, None):
        if None not in (low, best, high) and not low <= best <= high:
            ctx.report(
                ctx.error(f"low {low}, best {best}, high {high} are not in order", line, "best")
            )
        figures.append(("killed", Range(low, best, high)))
    for column, category in _DEATHS:
        n = ds.count(ctx, row[column], column, line)
        if n is not None:
            figures.append((category, Range(None, n, None)))
    if not figures:
        return None
    return ds.make(Claim, claimant="UCDP GED", casualties=tuple(figures), sources=(source,))


def _incident(ctx: Any, row: dict[str, str], line: int, path: str, memo: dict) -> Any:
    """One row as an Incident; None (problems reported) if it cannot be one."""
    mark = ctx.errors
    for key in ("id", "side_a", "side_b", "country", "where_coordinates", "adm_1", "adm_2"):
        row[key] = row[key].strip()
    lat_t, lon_t = row["latitude"].strip(), row["longitude"].strip()
    if lat_t == "" or lon_t == "":
        ds.no_coordinates(ctx, line, lat_t, lon_t)
        return None
    lat = ds.coordinate(ctx, lat_t, "latitude", line, 90.0)
    lon = ds.coordinate(ctx, lon_t, "longitude", line, 180.0)
    country = memo["countries"].get(row["country"], "")
    if country == "":
        country = memo["countries"][row["country"]] = ds.country_iso3(row["country"])
    radius = _radius(ctx, row, line, country)
    kind = ds.code(
        ctx,
        row["type_of_violence"],
        "type_of_violence",
        line,
        VIOLENCE_KINDS,
        "UCDP GED type_of_violence",
    )
    date = _date(ctx, row, line, memo["dates"])
    inc_id = f"ucdp-{row['id']}"
    if not _ID_RE.match(inc_id):
        ctx.report(ctx.error(f"id {row['id']!r} cannot be an id", line, "id"))
    source = Source(
        publisher="UCDP GED",
        title=row["source_headline"] or row["source_article"] or f"UCDP GED event {row['id']}",
        notes=row["source_article"] or None,
    )
    claim = _claim(ctx, row, line, source)
    if ctx.errors > mark:
        return None
    place = row["where_coordinates"] or row["adm_2"] or row["adm_1"] or None
    return ds.make(
        Incident,
        id=inc_id,
        title=f"{row['side_a']} – {row['side_b']}: {place or row['country']}",
        date=date,
        kind=kind,
        actor=row["side_a"] or "unknown",
        target_side=row["side_b"] or None,
        impacts=(
            ds.make(
                Location,
                lon=lon,
                lat=lat,
                precision_m=radius,
                name=place,
                country=country,
                source="UCDP GED",
            ),
        ),
        claims=(claim,) if claim is not None else (),
        sources=(source,),
        path=path,
        line=line,
    )


def build(ctx: Any, path: Path, table: ds.Table) -> Any:
    """The layer of a UCDP GED table (None when errors were reported to ``ctx``)."""
    memo: dict[str, Any] = {"dates": {}, "countries": {}}
    where = str(path)
    incidents = ds.distinct_incidents(
        ctx,
        ((line, _incident(ctx, row, line, where, memo)) for line, row in table.records(COLUMNS)),
        "id",
        shown=lambda i: i[5:],  # without the "ucdp-" prefix
    )
    if ctx.errors:
        return None
    return ds.dataset_layer(path, "UCDP GED", incidents, (i.sources[0] for i in incidents))


DATASET = ds.Dataset("ucdp", "UCDP GED", COLUMNS, "bordermap.io.ucdp:build")

FORMAT = Format(
    name="ucdp",
    extensions=(".csv",),
    multi_table=False,
    reader="bordermap.incidents:load_layer",
    description="UCDP GED event CSV, read as an incident layer (read-only)",
)
