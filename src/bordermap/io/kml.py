"""KML 2.2 writer: one file, a styled, typed ``Folder`` per table.

Each table gets a typed ``Schema`` and a ``Folder`` of placemarks (colour by
side of the frontier; lines and bands in their own styles; ``TimeSpan`` from
``date_start``/``date_end``).  Every column is kept in ``ExtendedData``.
Integers beyond the 32-bit range of KML's ``int`` and datetimes are declared
``string`` (their text is exact).  GDAL's LIBKML driver renames data fields
whose names clash, in any letter case, with its own (``id`` → ``id2``,
``name`` → ``name2``).  Text XML cannot carry (most control characters) is
refused, naming the row.  Placemarks are streamed to the file one by one.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import numpy as np

from bordermap.errors import ExportError
from bordermap.io._columns import Col, check_strings, columns, row_error, to_wgs84
from bordermap.io._escape import XML_BAD, xml_text
from bordermap.io._files import FileSet, safe_name, writing
from bordermap.io._geometry import num
from bordermap.io._meta import metadata
from bordermap.io._registry import Format

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["FORMAT", "write", "write_kml"]

# colours as KML aabbggrr
_SIDE_COLOURS = ("ff2f2fd6", "ffd6892f", "ff2fa52f", "ff9c27b0", "ff00a5ff")
_KML_TYPES = {"float": "double", "bool": "bool", "str": "string", "datetime": "string"}
_INT32 = (-(2**31), 2**31 - 1)


def _check_xml_text(cols: list[Col], table: str) -> None:
    """Refuse text XML 1.0 cannot carry (most control characters), naming row and column."""
    for c in cols:
        if c.kind == "str" and XML_BAD.search("".join(c.values.tolist())):
            i = next(i for i, v in enumerate(c.values) if XML_BAD.search(v))
            raise row_error(
                table,
                i,
                c.name,
                "text holds control characters that XML (KML) cannot carry",
                suggestion="remove them, or export to GeoJSON, GeoPackage or CSV",
            )


def _kml_coords(xy: np.ndarray) -> str:
    return " ".join(f"{num(x)},{num(y)}" for x, y in xy)


def _kml_geometry(g: Any) -> str:
    import shapely

    if g is None or g.is_empty:
        return ""
    t = g.geom_type
    if t == "Point":
        return f"<Point><coordinates>{num(g.x)},{num(g.y)}</coordinates></Point>"
    if t == "LineString":
        return (
            "<LineString><tessellate>1</tessellate><coordinates>"
            f"{_kml_coords(shapely.get_coordinates(g))}</coordinates></LineString>"
        )
    if t == "Polygon":
        g = shapely.orient_polygons(g, exterior_cw=False)
        inner = "".join(
            f"<innerBoundaryIs><LinearRing><coordinates>{_kml_coords(shapely.get_coordinates(r))}"
            "</coordinates></LinearRing></innerBoundaryIs>"
            for r in g.interiors
        )
        return (
            "<Polygon><tessellate>1</tessellate><outerBoundaryIs><LinearRing><coordinates>"
            f"{_kml_coords(shapely.get_coordinates(g.exterior))}</coordinates></LinearRing>"
            f"</outerBoundaryIs>{inner}</Polygon>"
        )
    return "<MultiGeometry>" + "".join(_kml_geometry(p) for p in g.geoms) + "</MultiGeometry>"


def _sides(gdf: Any, sides: list[str]) -> None:
    """Add the table's ``side`` values not yet in ``sides``, in order of appearance."""
    if "side" in gdf.columns:
        for v in gdf["side"].dropna().unique():
            if isinstance(v, str) and v and v not in sides:
                sides.append(v)


def _kml_styles(tables: Mapping[str, Any]) -> tuple[str, dict[str, str]]:
    sides: list[str] = []
    for gdf in tables.values():
        _sides(gdf, sides)
    return _style_elements(sides)


def _style_elements(sides: list[str]) -> tuple[str, dict[str, str]]:
    ids = {s: f"side-{safe_name(s, what='side')}" for s in sides}
    parts = []
    for i, s in enumerate(sides):
        colour = _SIDE_COLOURS[i % len(_SIDE_COLOURS)]
        parts.append(
            f'<Style id="{ids[s]}"><IconStyle><color>{colour}</color><scale>1.1</scale>'
            "<Icon><href>http://maps.google.com/mapfiles/kml/shapes/placemark_circle.png"
            "</href></Icon></IconStyle><LineStyle><color>"
            f"{colour}</color><width>2</width></LineStyle><PolyStyle><color>"
            f"40{colour[2:]}</color></PolyStyle></Style>"
        )
    parts.append(
        '<Style id="point"><IconStyle><color>ff808080</color><Icon><href>'
        "http://maps.google.com/mapfiles/kml/shapes/placemark_circle.png</href></Icon>"
        "</IconStyle></Style>"
    )
    parts.append(
        '<Style id="line"><LineStyle><color>ff00d7ff</color><width>3</width></LineStyle></Style>'
    )
    parts.append(
        '<Style id="polygon"><LineStyle><color>ffb48246</color><width>1</width>'
        "</LineStyle><PolyStyle><color>40b48246</color></PolyStyle></Style>"
    )
    return "".join(parts), ids


def write_kml(
    tables: Mapping[str, gpd.GeoDataFrame],
    path: str | os.PathLike[str],
    *,
    meta: Mapping[str, Any] | None = None,
    title: str = "bordermap export",
) -> Path:
    """Write tables into one KML file: a styled, typed ``Folder`` per table (atomically).

    Placemarks take their name from ``title``, ``name``, ``segment``, ``band`` or ``id``,
    their description from ``phrase``, a ``TimeSpan`` from tz-aware
    ``date_start``/``date_end`` and a style from ``side``; every column is
    kept in ``ExtendedData`` (see the module notes for the types).

    Examples
    --------
    >>> import geopandas as gpd, pathlib, tempfile, pyogrio
    >>> g = gpd.GeoDataFrame({"title": ["A & B"]}, geometry=gpd.points_from_xy([64.1], [27.0]),
    ...                      crs="EPSG:4326")
    >>> out = write_kml({"incidents": g}, pathlib.Path(tempfile.mkdtemp()) / "x.kml")
    >>> pyogrio.read_dataframe(out, layer="incidents")["Name"].tolist()
    ['A & B']
    """
    target = Path(path)
    with writing() as files:
        _write_kml_to(files.temp_for(target), tables, meta, title)
    return target


def _schema(name: str, cols: list[Col]) -> str:
    fields = []
    for c in cols:
        kind = _KML_TYPES.get(c.kind, "string")
        if c.kind == "int":
            v = c.values[~c.absent]
            fits = not len(v) or (v.min() >= _INT32[0] and v.max() <= _INT32[1])
            kind = "int" if fits else "string"
        fields.append(f'<SimpleField name="{xml_text(c.name)}" type="{kind}"/>')
    return f'<Schema name="{xml_text(name)}" id="{xml_text(name)}">{"".join(fields)}</Schema>'


def _style(g: Any, side: str, side_ids: Mapping[str, str]) -> str:
    gt = "" if g is None else g.geom_type
    if side in side_ids and gt.endswith("Point"):
        return side_ids[side]
    if gt.endswith("Point"):
        return "point"
    if gt.endswith("LineString"):
        return "line"
    return "polygon"


def _write_folder(
    fh: IO[str], name: str, cols: list[Col], geoms: np.ndarray, side_ids: Mapping[str, str]
) -> None:
    """One table's ``Folder``, a placemark a line."""
    fh.write(f"\n<Folder><name>{xml_text(name)}</name>")
    _placemarks(fh, name, cols, geoms, side_ids)
    fh.write("\n</Folder>")


def _placemarks(
    fh: IO[str],
    name: str,
    cols: list[Col],
    geoms: np.ndarray,
    side_ids: Mapping[str, str],
    first: int = 0,
) -> None:
    """The placemarks of (a chunk of) one table, a line each; ``first`` numbers the rows."""
    texts = [c.plain() for c in cols]
    absent = [c.absent for c in cols]  # a property: compute each once
    by = {c.name: (t, a) for c, t, a in zip(cols, texts, absent, strict=True)}
    label_col = next((k for k in ("title", "name", "segment", "band", "id") if k in by), None)
    dt = {c.name: c for c in cols if c.kind == "datetime"}
    keys = [f'<SimpleData name="{xml_text(c.name)}">' for c in cols]
    schema_url = f'<ExtendedData><SchemaData schemaUrl="#{xml_text(name)}">'
    for i, g in enumerate(geoms):
        try:
            geom = _kml_geometry(g)
        except ExportError as exc:
            raise row_error(name, first + i, "geometry", exc.message) from None
        parts = ["\n<Placemark>"]
        if label_col and not by[label_col][1][i]:
            parts.append(f"<name>{xml_text(by[label_col][0][i])}</name>")
        if "phrase" in by and not by["phrase"][1][i]:
            parts.append(f"<description>{xml_text(by['phrase'][0][i])}</description>")
        if "date_start" in dt and not by["date_start"][1][i]:
            end = by["date_end"][0][i] if "date_end" in dt and not by["date_end"][1][i] else ""
            parts.append(
                f"<TimeSpan><begin>{by['date_start'][0][i]}</begin>"
                + (f"<end>{end}</end>" if end else "")
                + "</TimeSpan>"
            )
        side = by["side"][0][i] if "side" in by and not by["side"][1][i] else ""
        parts.append(f"<styleUrl>#{_style(g, side, side_ids)}</styleUrl>")
        parts.append(schema_url)
        parts.extend(
            f"{key}{xml_text(t[i])}</SimpleData>"
            for key, t, a in zip(keys, texts, absent, strict=True)
            if not a[i]
        )
        parts.append("</SchemaData></ExtendedData>")
        parts.append(geom)
        parts.append("</Placemark>")
        fh.write("".join(parts))


def _write_kml_to(
    tmp: Path, tables: Mapping[str, Any], meta: Mapping[str, Any] | None, title: str
) -> None:
    styles, side_ids = _kml_styles(tables)
    meta = dict(meta) if meta is not None else metadata()
    checked = []
    for raw_name, gdf in tables.items():  # check every table before writing any
        name = safe_name(raw_name, what="table name")
        gdf = to_wgs84(gdf, name)
        cols = columns(gdf, name)
        check_strings(cols, name)
        _check_xml_text(cols, name)
        checked.append((name, cols, gdf.geometry.to_numpy()))
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(_head(title, meta, styles))
        for name, cols, _ in checked:
            fh.write("\n" + _schema(name, cols))
        for name, cols, geoms in checked:
            _write_folder(fh, name, cols, geoms, side_ids)
        fh.write("\n</Document>\n</kml>\n")


def _head(title: str, meta: Mapping[str, Any], styles: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<kml xmlns="http://www.opengis.net/kml/2.2">\n<Document>\n'
        f"<name>{xml_text(title)}</name>\n"
        '<ExtendedData><Data name="bordermap"><value>'
        f"{xml_text(json.dumps(meta, ensure_ascii=False))}</value></Data></ExtendedData>\n" + styles
    )


def write(
    files: FileSet,
    target: Path,
    tables: Mapping[str, Any],
    meta: Mapping[str, Any] | None = None,
    *,
    title: str | None = None,
) -> list[Path]:
    """Registry entry point: every table into one KML file at ``target``."""
    title = title or "bordermap: " + ", ".join(tables)
    _write_kml_to(files.temp_for(target), tables, meta, title)
    return [target]


def stream(files: FileSet, target: Path) -> Any:
    """Registry entry point for a streaming export (see :class:`bordermap.io._kmlstream`)."""
    from bordermap.io._kmlstream import KmlStream

    return KmlStream(files.temp_for(target), target)


FORMAT = Format(
    name="kml",
    extensions=(".kml",),
    multi_table=True,
    write=write,
    stream=stream,
    description="KML 2.2, a styled, typed Folder per table",
)
