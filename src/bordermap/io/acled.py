"""ACLED exports (CSV) read as incident layers (read-only format ``acled``).

Recognised by its header (:data:`COLUMNS`, any order, extra columns allowed)
or named with ``load_layer(path, format="acled")``.  One row is one incident:

- ``event_id_cnty`` is the incident id, as it is;
- ``event_date`` and ``time_precision`` are a day (1), the seven days centred on
  the date (2) or its calendar month (3);
- ``latitude``/``longitude`` and ``geo_precision`` are the impact point and its
  radius (:data:`GEO_PRECISION_M`: 2 km, 25 km, 100 km), the code kept as
  ``geo_precision``; a row without coordinates is skipped with a warning;
- ``sub_event_type`` is the kind (:data:`SUB_EVENT_KINDS`); ``actor1`` the actor,
  ``actor2`` the target side;
- ``fatalities`` is a claim by ``ACLED`` (``killed``, best figure), sourced to
  the row's ``source`` (its ``source_scale`` as the source's notes).

See ``layers/README.md`` ("Event datasets") for the tables and the codebook.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bordermap.incidents.model import _ID_RE, Claim, Incident, Location, Range, Source
from bordermap.io import _datasets as ds
from bordermap.io._registry import Format

__all__ = ["COLUMNS", "DATASET", "FORMAT", "SUB_EVENT_KINDS", "TIME_PRECISION"]

#: The columns of an ACLED export that bordermap reads (a file may have more).
COLUMNS: tuple[str, ...] = (
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "actor2",
    "assoc_actor_2",
    "iso",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)

#: ``geo_precision`` code -> radius in metres (1 the town, 2 near it, 3 the region).
GEO_PRECISION_M: dict[str, float] = {"1": 2_000.0, "2": 25_000.0, "3": 100_000.0}

#: ``time_precision`` code -> what the date stands for.
TIME_PRECISION: dict[str, str] = {"1": "day", "2": "week", "3": "month"}

#: ACLED ``sub_event_type`` (lower case) -> bordermap kind.
SUB_EVENT_KINDS: dict[str, str] = {
    "armed clash": "armed clash",
    "government regains territory": "government regains territory",
    "non-state actor overtakes territory": "non-state actor overtakes territory",
    "chemical weapon": "chemical weapon",
    "air/drone strike": "air/drone strike",
    "suicide bomb": "suicide bomb",
    "shelling/artillery/missile attack": "shelling/artillery/missile attack",
    "remote explosive/landmine/ied": "remote explosive/landmine/ied",
    "grenade": "grenade",
    "sexual violence": "sexual violence",
    "attack": "attack",
    "abduction/forced disappearance": "abduction/forced disappearance",
    "peaceful protest": "protest",
    "protest with intervention": "protest",
    "excessive force against protesters": "excessive force against protesters",
    "excessive force against protestors": "excessive force against protesters",
    "violent demonstration": "riot",
    "mob violence": "riot",
    "agreement": "agreement",
    "arrests": "arrests",
    "change to group/activity": "other",
    "disrupted weapons use": "disrupted weapons use",
    "headquarters or base established": "base established",
    "looting/property destruction": "looting/property destruction",
    "non-violent transfer of territory": "non-violent transfer of territory",
    "other": "other",
}

_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d-%m-%Y", "%d/%m/%Y")


def _day(text: str) -> datetime | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def _date(ctx: Any, text: str, prec: str, line: int, memo: dict) -> Any:
    """The DateSpec of ``event_date`` at ``time_precision`` (None, reported, if unreadable)."""
    key = (text, prec)
    if key in memo:
        return memo[key]
    from bordermap.incidents.dates import parse_date

    what = ds.code(ctx, prec, "time_precision", line, TIME_PRECISION, "ACLED time_precision")
    day = _day(text)
    if day is None:
        ctx.report(
            ctx.error(
                f"cannot read event_date {text!r}",
                line,
                "event_date",
                "write it as YYYY-MM-DD (or as ACLED does, '24 July 2025')",
            )
        )
        return None
    if what is None:
        return None
    if what == "day":
        iso = f"{day:%Y-%m-%d}"
    elif what == "week":
        iso = f"{day - timedelta(days=3):%Y-%m-%d}/{day + timedelta(days=3):%Y-%m-%d}"
    else:
        iso = f"{day:%Y-%m}"
    try:
        memo[key] = spec = parse_date(iso)
    except ValueError as exc:
        ctx.report(ctx.error(f"event_date {text!r}: {exc}", line, "event_date"))
        return None
    return spec


def _kind(ctx: Any, text: str, line: int, unknown: set[str]) -> str:
    kind = SUB_EVENT_KINDS.get(text.lower())
    if kind is None:
        kind = "other"
        if text not in unknown:
            unknown.add(text)
            ctx.warn(
                f"sub_event_type {text!r} is not in the ACLED codebook; drawn as 'other'",
                line,
                "sub_event_type",
            )
    return kind


def _source(row: dict[str, str], memo: dict) -> Any:
    key = (row["source"], row["source_scale"])
    found = memo.get(key)
    if found is None:
        found = memo[key] = Source(
            publisher="ACLED",
            title=row["source"] or "ACLED event data",
            notes=f"source scale: {row['source_scale']}" if row["source_scale"] else None,
        )
    return found


def _incident(ctx: Any, row: dict[str, str], line: int, path: str, memo: dict) -> Any:
    """One row as an Incident; None (problems reported) if it cannot be one."""
    mark = ctx.errors
    for key in ("event_id_cnty", "sub_event_type", "location", "actor1", "actor2", "iso"):
        row[key] = row[key].strip()
    lat_t, lon_t = row["latitude"].strip(), row["longitude"].strip()
    if lat_t == "" or lon_t == "":
        ds.no_coordinates(ctx, line, lat_t, lon_t)
        return None
    lat = ds.coordinate(ctx, lat_t, "latitude", line, 90.0)
    lon = ds.coordinate(ctx, lon_t, "longitude", line, 180.0)
    radius = ds.code(
        ctx, row["geo_precision"], "geo_precision", line, GEO_PRECISION_M, "ACLED geo_precision"
    )
    date = _date(ctx, row["event_date"], row["time_precision"], line, memo["dates"])
    killed = ds.count(ctx, row["fatalities"], "fatalities", line)
    inc_id = row["event_id_cnty"]
    if not _ID_RE.match(inc_id):
        ctx.report(ctx.error(f"event_id_cnty {inc_id!r} cannot be an id", line, "event_id_cnty"))
    if ctx.errors > mark:
        return None
    source = _source(row, memo["sources"])
    country = memo["iso"].get(row["iso"])
    if country is None:
        country = ds.iso3_of_numeric(row["iso"]) or ds.country_iso3(row["country"])
        memo["iso"][row["iso"]] = country
    sub = row["sub_event_type"]
    place = row["location"] or None
    claims = ()
    if killed is not None:
        claims = (
            ds.make(
                Claim,
                claimant="ACLED",
                casualties=(("killed", Range(None, killed, None)),),
                sources=(source,),
            ),
        )
    return ds.make(
        Incident,
        id=inc_id,
        title=f"{sub or row['event_type']}: {place or row['country']}",
        date=date,
        kind=_kind(ctx, sub, line, memo["unknown"]),
        actor=row["actor1"] or "unknown",
        target_side=row["actor2"] or None,
        impacts=(
            ds.make(
                Location,
                lon=lon,
                lat=lat,
                precision_m=radius,
                name=place,
                country=country,
                geo_precision=int(row["geo_precision"]),
                source="ACLED",
            ),
        ),
        claims=claims,
        sources=(source,),
        notes=row["notes"] or None,
        path=path,
        line=line,
    )


def build(ctx: Any, path: Path, table: ds.Table) -> Any:
    """The layer of an ACLED table (None when errors were reported to ``ctx``)."""
    memo: dict[str, Any] = {"dates": {}, "sources": {}, "iso": {}, "unknown": set()}
    where = str(path)
    incidents = ds.distinct_incidents(
        ctx,
        ((line, _incident(ctx, row, line, where, memo)) for line, row in table.records(COLUMNS)),
        "event_id_cnty",
    )
    if ctx.errors:
        return None
    return ds.dataset_layer(path, "ACLED", incidents, memo["sources"].values())


DATASET = ds.Dataset("acled", "ACLED", COLUMNS, "bordermap.io.acled:build")

FORMAT = Format(
    name="acled",
    extensions=(".csv",),
    multi_table=False,
    reader="bordermap.incidents:load_layer",
    description="ACLED event export (CSV), read as an incident layer (read-only)",
)
