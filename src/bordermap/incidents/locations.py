"""Locations: gazetteer names or explicit coordinates, with their uncertainty.

Coordinates follow :func:`bordermap.geodesy.as_lonlat`'s policy (lat in
[-90, 90]; lon in [-360, 360], wrapped to [-180, 180)).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from bordermap._yaml import LinedMap as _Map
from bordermap._yaml import lined as _lined
from bordermap.errors import (
    AmbiguousPlaceError,
    UnknownPlaceError,
    shorten,
)
from bordermap.incidents.fields import (
    _as_list,
    _check_fields,
    _count,
    _Ctx,
    _number,
    _reported_distance,
    _shown,
    _side,
    _text,
)
from bordermap.incidents.model import _LOCATION_FIELDS, GEO_PRECISION_M, Gazetteer, Location, Source

if TYPE_CHECKING:  # pragma: no cover
    pass


def _swap_hint(lon: float, lat: float) -> str | None:
    if abs(lat) > 90 and abs(lon) <= 90:
        return f"lon and lat look swapped: try lon: {lat:g}, lat: {lon:g}"
    return None


def _location(
    ctx: _Ctx,
    raw: Any,
    fld: str,
    line: int | None,
    gazetteer: Callable[[], Gazetteer],
    registry: Mapping[str, Source] | None = None,
) -> Location:
    if isinstance(raw, str):
        raw = _lined({"place": raw}, line)
    mark = ctx.mark()
    rec = _check_fields(ctx, raw, _LOCATION_FIELDS, fld, line, "a location")
    common = ctx.attempt(_location_fields, ctx, rec, fld, registry or {})
    has_place = rec.get("place") not in (None, "")
    has_coord = rec.get("lon") not in (None, "") or rec.get("lat") not in (None, "")
    loc = None
    if has_place and has_coord:
        ctx.report(
            ctx.error(
                "give either 'place' (a gazetteer name) or 'lon'/'lat', not both",
                rec.line_of("place"),
                f"{fld}.place",
                "use 'label' to name explicit coordinates",
            )
        )
    elif common is not None and has_place:
        loc = ctx.attempt(_named_location, ctx, rec, fld, gazetteer, common)
    elif common is not None:
        loc = ctx.attempt(_explicit_location, ctx, rec, fld, common)
    ctx.done(mark)
    return loc


def _precision(ctx: _Ctx, rec: _Map, fld: str) -> tuple[float | None, int | None]:
    """(precision_m, geo_precision) of a location; precision_m defaults from the code."""
    mark = ctx.mark()
    geo_p = rec.get("geo_precision")
    if geo_p not in (None, ""):
        geo_p = ctx.attempt(
            _count, ctx, geo_p, f"{fld}.geo_precision", rec.line_of("geo_precision")
        )
        if geo_p is not None and geo_p not in GEO_PRECISION_M:
            ctx.report(
                ctx.error(
                    f"geo_precision must be 1, 2 or 3, got {geo_p}",
                    rec.line_of("geo_precision"),
                    f"{fld}.geo_precision",
                    "1 = the named site, 2 = near it, 3 = only the region",
                )
            )
    else:
        geo_p = None
    prec = ctx.attempt(_number, ctx, rec, "precision_m", f"{fld}.precision_m")
    if prec is not None and prec <= 0:
        ctx.report(
            ctx.error(
                f"precision_m must be > 0 metres, got {_shown(rec['precision_m'])}",
                rec.line_of("precision_m"),
                f"{fld}.precision_m",
            )
        )
    ctx.done(mark)
    if prec is None and geo_p is not None:
        prec = GEO_PRECISION_M[geo_p]
    return prec, geo_p


def _location_fields(
    ctx: _Ctx, rec: _Map, fld: str, registry: Mapping[str, Source]
) -> dict[str, Any]:
    """The fields every location has, whether named or given by coordinates."""
    mark = ctx.mark()
    get = ctx.attempt
    prec_geo = get(_precision, ctx, rec, fld)
    country = get(_side, ctx, rec, "country", f"{fld}.country", required=False)
    if country is not None and not re.fullmatch(r"[A-Z]{3}", country):
        ctx.report(
            ctx.error(
                f"country must be an ISO-3 code, got {shorten(country)}",
                rec.line_of("country"),
                f"{fld}.country",
            )
        )
    out = {
        "country": country,
        "label": get(_text, ctx, rec, "label", f"{fld}.label"),
        "source": get(_text, ctx, rec, "source", f"{fld}.source"),
        "note": get(_text, ctx, rec, "note", f"{fld}.note"),
        "reported_distance": get(
            _reported_distance,
            ctx,
            rec.get("reported_distance_km"),
            f"{fld}.reported_distance_km",
            rec.line_of("reported_distance_km"),
            registry,
        ),
    }
    ctx.done(mark)
    out["precision_m"], out["geo_precision"] = prec_geo
    return out


def _named_location(
    ctx: _Ctx, rec: _Map, fld: str, gazetteer: Callable[[], Gazetteer], common: dict[str, Any]
) -> Location:
    """A location given by a gazetteer name (``place:``)."""
    name = _text(ctx, rec, "place", f"{fld}.place")
    pline = rec.line_of("place")
    try:
        place = gazetteer().geocode(name, country=common["country"])
    except UnknownPlaceError as exc:
        err = ctx.error(
            f"unknown place {shorten(name)}",
            pline,
            f"{fld}.place",
            (f"did you mean: {', '.join(exc.suggestions)}? " if exc.suggestions else "")
            + "or give lon/lat with precision_m",
        )
        err.suggestions = exc.suggestions
        raise err from None
    except AmbiguousPlaceError as exc:
        listed = "; ".join(str(c) for c in exc.candidates[:5])
        err = ctx.error(
            f"place {shorten(name)} is ambiguous ({listed})",
            pline,
            f"{fld}.place",
            "add 'country: XXX' (ISO-3) or use a more specific name",
        )
        err.suggestions = tuple(str(c) for c in exc.candidates)
        raise err from None
    _fuzzy_place(ctx, gazetteer(), name, common["country"], pline, f"{fld}.place")
    prec = common["precision_m"]
    if prec is None:
        prec = float(getattr(place, "precision_m", None) or GEO_PRECISION_M[1])
    return Location(
        lon=float(place.lon),
        lat=float(place.lat),
        precision_m=float(prec),
        name=common["label"] or getattr(place, "name", name),
        country=getattr(place, "country", None) or common["country"],
        geo_precision=common["geo_precision"],
        source=common["source"] or getattr(place, "source", None) or "gazetteer",
        from_gazetteer=True,
        note=common["note"],
        place_id=getattr(place, "id", None),
        place_kind=getattr(place, "kind", None),
        reported_distance=common["reported_distance"],
    )


def _fuzzy_place(
    ctx: _Ctx, gaz: Any, name: str, country: str | None, line: int | None, field: str
) -> None:
    """A fuzzy match is taken only in the location's stated country (with a warning);
    without ``country:`` it is a suggestion, never a silent answer (an error)."""
    cand = getattr(gaz, "fuzzy_match", lambda *a: None)(name, country)
    if cand is None:
        return
    p = cand.place
    what = f"{p.name} ({p.country}), a fuzzy match (score {cand.score:.0f})"
    if country is None:
        err = ctx.error(
            f"place {shorten(name)} is not a known name; the nearest is {what}: not taken",
            line,
            field,
            f"write the name as the gazetteer has it, add country: {p.country} to take "
            "the fuzzy match, or give lon/lat with precision_m",
        )
        err.suggestions = (f"{p.name} ({p.country})",)
        raise err
    ctx.warn(f"place {shorten(name)} is not a known name: taking {what} in {country}",
             line, field, "check it, or write the name as the gazetteer has it")


def _explicit_location(ctx: _Ctx, rec: _Map, fld: str, common: dict[str, Any]) -> Location:
    """A location given by ``lon``/``lat`` and a precision."""
    has_lon = rec.get("lon") not in (None, "")
    has_lat = rec.get("lat") not in (None, "")
    if not (has_lon and has_lat):
        missing = "lat" if has_lon else "lon" if has_lat else "place or lon/lat"
        raise ctx.error(
            f"a location needs {missing}",
            rec.line,
            f"{fld}",
            "write {place: NAME} or {lon: X, lat: Y, precision_m: R}",
        )
    mark = ctx.mark()
    lon, lat = _lonlat(ctx, rec, fld)
    if common["precision_m"] is None:
        ctx.report(
            ctx.error(
                "coordinates need a precision: precision_m (metres) or geo_precision",
                rec.line,
                f"{fld}.precision_m",
                "e.g. precision_m: 5000",
            )
        )
    ctx.done(mark)
    loc = Location(
        lon=lon,
        lat=lat,
        precision_m=float(common["precision_m"]),
        name=common["label"],
        country=common["country"],
        geo_precision=common["geo_precision"],
        source=common["source"],
        from_gazetteer=False,
        note=common["note"],
        reported_distance=common["reported_distance"],
    )
    if loc.country is not None:
        ctx.explicit.append((loc, rec.line_of("lon"), fld))
    return loc


#: Longitudes accepted in layers, as :func:`bordermap.geodesy.as_lonlat` accepts them:
#: anywhere in [-360, 360], wrapped to [-180, 180).
LON_LIMIT_DEG = 360.0


def _lonlat(ctx: _Ctx, rec: _Map, fld: str) -> tuple[float, float]:
    """Validated (lon, lat) degrees, lon wrapped; every problem of the pair is reported.

    The range policy is :func:`bordermap.geodesy.as_lonlat`'s; :func:`_check_coords`
    passes every accepted pair through it once per layer.
    """
    mark = ctx.mark()
    lon = ctx.attempt(_number, ctx, rec, "lon", f"{fld}.lon")
    lat = ctx.attempt(_number, ctx, rec, "lat", f"{fld}.lat")
    ctx.done(mark)
    if not -90.0 <= lat <= 90.0:
        ctx.report(
            ctx.error(
                f"lat {_shown(rec['lat'])} is out of range [-90, 90]",
                rec.line_of("lat"),
                f"{fld}.lat",
                _swap_hint(lon, lat),
            )
        )
    if not -LON_LIMIT_DEG <= lon <= LON_LIMIT_DEG:
        ctx.report(
            ctx.error(
                f"lon {_shown(rec['lon'])} is out of range [-{LON_LIMIT_DEG:g}, {LON_LIMIT_DEG:g}]",
                rec.line_of("lon"),
                f"{fld}.lon",
                "coordinates are degrees on WGS84 (EPSG:4326)",
            )
        )
    ctx.done(mark)
    ctx.coords.append((lon, lat))
    if -180.0 <= lon < 180.0:
        return lon, lat
    return (lon + 180.0) % 360.0 - 180.0, lat  # wrapped as bordermap.geodesy.as_lonlat does


def _impacts(
    ctx: _Ctx,
    rec: _Map,
    fld: str,
    gazetteer: Callable[[], Gazetteer],
    registry: Mapping[str, Source],
) -> tuple[Location, ...]:
    impact_raw = rec.get("impact")
    if impact_raw in (None, [], ""):
        raise ctx.error(
            "missing required field 'impact' (a place or lon/lat)",
            rec.line,
            f"{fld}.impact",
            "diplomatic events go at the capital or meeting place",
        )
    mark = ctx.mark()
    seq = _as_list(impact_raw, rec.line_of("impact"))
    impacts = tuple(
        ctx.attempt(_location, ctx, item, f"{fld}.impact[{i}]", seq.line_of(i), gazetteer, registry)
        for i, item in enumerate(seq)
    )
    ctx.done(mark)
    return impacts


def _check_coords(ctx: _Ctx) -> None:
    """Pass every accepted coordinate through :func:`bordermap.geodesy.as_lonlat` (one policy)."""
    if not ctx.coords:
        return
    import numpy as np

    from bordermap.errors import CoordinateError
    from bordermap.geodesy import as_lonlat

    pairs = np.asarray(ctx.coords, dtype="float64")
    try:
        as_lonlat(pairs[:, 0], pairs[:, 1], what="location")
    except CoordinateError as exc:  # only if the two policies ever drift apart
        ctx.report(ctx.error(f"coordinates refused: {exc.message}", None, exc.field))


def _check_swapped(ctx: _Ctx) -> None:
    """Warn about points outside their stated country that fall inside it once swapped.

    A point merely outside its stated country may be in disputed ground (Kashmir)
    or on a coast, so it is left alone; a swap that explains it is a warning.
    """
    if not ctx.explicit:
        return
    import numpy as np

    from bordermap.boundaries import country_of

    lon = np.array([loc.lon for loc, _, _ in ctx.explicit])
    lat = np.array([loc.lat for loc, _, _ in ctx.explicit])
    hint = np.array([loc.country for loc, _, _ in ctx.explicit], dtype=object)
    ok = np.abs(lon) <= 90.0  # a swapped point needs lon as a valid latitude
    here = country_of(lon, lat)
    swapped = np.full(lon.shape, "", dtype=object)
    if ok.any():
        swapped[ok] = country_of(lat[ok], lon[ok])
    for k in np.flatnonzero((here != hint) & (swapped == hint)):
        loc, line, fld = ctx.explicit[int(k)]
        where = here[k] or "no country"
        ctx.warn(
            f"point (lon {loc.lon!r}, lat {loc.lat!r}) lies in {where}, not in {loc.country}; "
            f"lon and lat look swapped",
            line,
            f"{fld}.lon",
            f"did you mean lon: {loc.lat!r}, lat: {loc.lon!r}?",
        )
