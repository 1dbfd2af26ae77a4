"""CSV writer: one file per table with ``lon``, ``lat`` and ``wkt`` columns, plus a ``.csvt``.

Point coordinates go into ``lon`` and ``lat`` (empty for other geometries),
every geometry into ``wkt``, then the properties; a GDAL ``.csvt`` sidecar
declares every column's type so that GDAL reads int64, reals, booleans
(``1``/``0``) and datetimes back typed.  Coordinates in full precision.

Safe for spreadsheets: a text cell (or column name) that starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return — which Excel, LibreOffice and
Google Sheets would run as a formula — gets a leading single quote, as OWASP
recommends ("CSV injection"); a text cell that is just a number (``-3``) is
left as it is, and number columns are written as numbers, untouched.  GDAL
reads a neutralised cell back with its quote.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bordermap.errors import ExportError
from bordermap.io._columns import Col, check_strings, columns, to_wgs84
from bordermap.io._escape import spreadsheet_cell, spreadsheet_cells
from bordermap.io._files import FileSet, writing
from bordermap.io._geometry import num
from bordermap.io._registry import Format

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["FORMAT", "write", "write_csv"]


_CSVT = {
    "int": "Integer64",
    "float": "Real",
    "bool": "Integer(Boolean)",
    "str": "String",
    "datetime": "DateTime",
}


def _wkt(g: Any) -> str:
    """WKT with every coordinate in its shortest exact form (GEOS rounds some)."""
    import shapely

    if g is None:
        return ""
    t = g.geom_type.upper()
    if g.is_empty:
        return f"{t} EMPTY"

    def seq(obj: Any) -> str:
        return ", ".join(f"{num(x)} {num(y)}" for x, y in shapely.get_coordinates(obj))

    if t == "POINT":
        return f"POINT ({num(g.x)} {num(g.y)})"
    if t == "LINESTRING":
        return f"LINESTRING ({seq(g)})"
    if t == "POLYGON":
        return "POLYGON (" + ", ".join(f"({seq(r)})" for r in [g.exterior, *g.interiors]) + ")"
    if t == "MULTIPOINT":
        return "MULTIPOINT (" + ", ".join(f"({seq(p)})" for p in g.geoms) + ")"
    if t == "MULTILINESTRING":
        return "MULTILINESTRING (" + ", ".join(f"({seq(p)})" for p in g.geoms) + ")"
    if t == "MULTIPOLYGON":
        return (
            "MULTIPOLYGON ("
            + ", ".join(
                "(" + ", ".join(f"({seq(r)})" for r in [p.exterior, *p.interiors]) + ")"
                for p in g.geoms
            )
            + ")"
        )
    return "GEOMETRYCOLLECTION (" + ", ".join(_wkt(p) for p in g.geoms) + ")"


def write_csv(
    gdf: gpd.GeoDataFrame, path: str | os.PathLike[str], *, table: str | None = None
) -> Path:
    """Write one table as CSV with ``lon``, ``lat`` and ``wkt`` columns, plus a ``.csvt``.

    Examples
    --------
    >>> import geopandas as gpd, pathlib, tempfile
    >>> g = gpd.GeoDataFrame({"n": [1]}, geometry=gpd.points_from_xy([64.1], [27.0]),
    ...                      crs="EPSG:4326")
    >>> out = write_csv(g, pathlib.Path(tempfile.mkdtemp()) / "x.csv")
    >>> out.read_text().splitlines()
    ['lon,lat,wkt,n', '64.1,27.0,POINT (64.1 27.0),1']
    >>> out.with_suffix(".csvt").read_text().strip()
    'Real,Real,WKT,Integer64'

    Text a spreadsheet would run as a formula is neutralised; numbers stay numbers:

    >>> g = gpd.GeoDataFrame({"t": ["=1+2", "-3", "@x"], "n": [-1, 2, 3]},
    ...                      geometry=gpd.points_from_xy([1, 2, 3], [4, 5, 6]), crs=4326)
    >>> [r.split(",")[3:] for r in write_csv(g, out).read_text().splitlines()[1:]]
    [["'=1+2", '-1'], ['-3', '2'], ["'@x", '3']]
    """
    target = Path(path)
    with writing() as files:
        write(files, target, {table or target.stem: gdf})
    return target


def _write_csv_to(tmp: Path, tmpt: Path, gdf: Any, table: str) -> None:
    sink = _Stream(tmp, tmpt, table)
    try:
        sink.append(table, gdf)
        sink.finish({})
    finally:
        sink.close()


def _prepared(gdf: Any, table: str) -> list[Col]:
    gdf = to_wgs84(gdf, table)
    cols = columns(gdf, table)
    check_strings(cols, table)
    for c in cols:
        if c.name.lower() in ("lon", "lat", "wkt"):
            raise ExportError(
                f"table {table!r}: column {c.name!r} clashes with the CSV's own coordinate columns",
                field=c.name,
                suggestion="rename it before exporting to CSV",
            )
    return cols


def _write_rows(fh: Any, cols: list[Col], geoms: np.ndarray) -> None:
    import csv

    import shapely

    is_pt = (shapely.get_type_id(geoms) == 0) & ~shapely.is_empty(geoms)
    x = np.where(is_pt, shapely.get_x(geoms), np.nan)
    y = np.where(is_pt, shapely.get_y(geoms), np.nan)
    texts = []
    for c in cols:
        t = c.plain()
        if c.kind == "bool":
            t = np.where(c.absent, "", np.where(c.values, "1", "0")).astype(object)
        elif c.kind == "str":
            t = spreadsheet_cells(t)
        texts.append(t)
    # csv quotes a field with "\n" but not one with a lone "\r", which readers take as
    # a line break: rows holding one are written with every field quoted
    cr = np.zeros(len(geoms), dtype=bool)
    for c, t in zip(cols, texts, strict=True):
        if c.kind == "str" and "\r" in "".join(t.tolist()):
            cr |= np.fromiter(("\r" in v for v in t), dtype=bool, count=len(t))
    plain = csv.writer(fh, lineterminator="\n")
    quoted = csv.writer(fh, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for i, g in enumerate(geoms):
        (quoted if cr[i] else plain).writerow(
            [
                num(x[i]) if is_pt[i] else "",
                num(y[i]) if is_pt[i] else "",
                _wkt(g),
                *(t[i] for t in texts),
            ]
        )


class _Stream:
    """One CSV table (and its ``.csvt``) written a chunk at a time (see :func:`stream`)."""

    def __init__(self, tmp: Path, tmpt: Path, target: Path | str) -> None:
        self.tmpt = tmpt
        self.target = target
        self.fh = open(tmp, "w", encoding="utf-8", newline="")  # noqa: SIM115 - see finish
        self.kinds: list[str] | None = None
        self.names: list[str] = []

    def append(self, name: str, gdf: Any) -> None:
        import csv

        cols = _prepared(gdf, name)
        if self.kinds is None:
            self.names = [c.name for c in cols]
            self.kinds = [c.kind for c in cols]
            head = ["lon", "lat", "wkt", *(spreadsheet_cell(c.name) for c in cols)]
            csv.writer(self.fh, lineterminator="\n").writerow(head)
        elif [c.name for c in cols] != self.names:
            raise ExportError(f"table {name!r}: the columns changed between chunks")
        _write_rows(self.fh, cols, gdf.geometry.to_numpy())

    def finish(self, meta: Mapping[str, Any]) -> list[Path]:
        self.fh.close()
        kinds = self.kinds or []
        self.tmpt.write_text(
            ",".join(["Real", "Real", "WKT", *(_CSVT[k] for k in kinds)]) + "\n", encoding="utf-8"
        )
        return [Path(self.target)]

    def close(self) -> None:
        self.fh.close()


def stream(files: FileSet, target: Path) -> _Stream:
    """Registry entry point for a streaming export of one table (header once, rows per chunk)."""
    return _Stream(files.temp_for(target), files.temp_for(target.with_suffix(".csvt")), target)


def write(
    files: FileSet,
    target: Path,
    tables: Mapping[str, Any],
    meta: Mapping[str, Any] | None = None,
) -> list[Path]:
    """Registry entry point: one table as ``target`` and its ``.csvt`` sidecar."""
    from bordermap.io._registry import single_table

    name, gdf = single_table(tables, target, "CSV")
    _write_csv_to(files.temp_for(target), files.temp_for(target.with_suffix(".csvt")), gdf, name)
    return [target]


FORMAT = Format(
    name="csv",
    extensions=(".csv",),
    multi_table=False,
    sidecars=(".csvt",),
    write=write,
    stream=stream,
    reader="bordermap.incidents:load_layer",
    description="CSV with lon, lat and WKT columns and a GDAL .csvt sidecar",
)
