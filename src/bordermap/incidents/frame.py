"""Incidents as a GeoDataFrame (EPSG:4326), one row per impact point."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from bordermap.incidents.model import Incident

if TYPE_CHECKING:  # pragma: no cover
    import geopandas


def incidents_to_geodataframe(
    incidents: Iterable[Incident], *, layer: str | None = None
) -> geopandas.GeoDataFrame:
    """A GeoDataFrame (EPSG:4326) with one row per impact point.

    Columns: ``id, title, kind, operation, date_start, date_end`` (UTC timestamps),
    ``date_precision, date_interval, date_text, actor, target_side, target_group,
    place, place_id, place_kind, country, precision_m, geo_precision, origin_lon,
    origin_lat, origin_place, claims`` (one-line summary per claimant, joined by
    ``" | "``), ``n_claims, n_sources, layer, geometry``.  Missing values are NA.

    Examples
    --------
    >>> from bordermap.incidents import Incident, Location, parse_date
    >>> d = parse_date("2024-01-16")
    >>> inc = Incident(id="a", title="A", date=d, kind="drone strike", actor="IRN",
    ...                impacts=(Location(64.1, 26.9, 5000.0, name="X"),))
    >>> gdf = incidents_to_geodataframe([inc])
    >>> gdf.crs.to_epsg(), len(gdf), str(gdf["date_start"].dt.tz)
    (4326, 1, 'UTC')
    """
    import geopandas as gpd
    import pandas as pd

    cols: dict[str, list] = {k: [] for k in _COLUMNS}
    lons: list[float] = []
    lats: list[float] = []
    for lon, lat, values in _rows(incidents, layer):
        lons.append(lon)
        lats.append(lat)
        for key, value in zip(_COLUMNS, values, strict=True):
            cols[key].append(value)
    frame = pd.DataFrame(cols)
    frame["date_start"] = pd.to_datetime(frame["date_start"], utc=True)
    frame["date_end"] = pd.to_datetime(frame["date_end"], utc=True)
    frame["precision_m"] = frame["precision_m"].astype("float64")
    frame["origin_lon"] = frame["origin_lon"].astype("float64")
    frame["origin_lat"] = frame["origin_lat"].astype("float64")
    frame["geo_precision"] = frame["geo_precision"].astype("Int64")
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lons, lats), crs="EPSG:4326")


#: Columns of :func:`incidents_to_geodataframe` (before ``geometry``), in order.
_COLUMNS: tuple[str, ...] = (
    "id",
    "title",
    "kind",
    "operation",
    "date_start",
    "date_end",
    "date_precision",
    "date_interval",
    "date_text",
    "actor",
    "target_side",
    "target_group",
    "place",
    "place_id",
    "place_kind",
    "country",
    "precision_m",
    "geo_precision",
    "origin_lon",
    "origin_lat",
    "origin_place",
    "claims",
    "n_claims",
    "n_sources",
    "layer",
)


def _rows(incidents: Iterable[Incident], layer: str | None) -> Iterator[tuple[float, float, tuple]]:
    """(lon, lat, values in :data:`_COLUMNS` order) for every impact point."""
    for inc in incidents:
        summary = " | ".join(c.summary() for c in inc.claims)
        n_src = len(inc.all_sources)
        origin = inc.origin
        for loc in inc.impacts:
            yield (
                loc.lon,
                loc.lat,
                (
                    inc.id,
                    inc.title,
                    inc.kind,
                    inc.operation,
                    inc.date.start,
                    inc.date.end,
                    inc.date.precision,
                    inc.date.interval,
                    inc.date.text,
                    inc.actor,
                    inc.target_side,
                    inc.target_group,
                    loc.name,
                    loc.place_id,
                    loc.place_kind,
                    loc.country,
                    loc.precision_m,
                    loc.geo_precision,
                    origin.lon if origin else math.nan,
                    origin.lat if origin else math.nan,
                    origin.name if origin else None,
                    summary,
                    len(inc.claims),
                    n_src,
                    layer,
                ),
            )
