"""GeoParquet 1.1 writer: WKB geometry, ``geo`` metadata, row groups, one table a file.

A table becomes one Parquet file (through pyarrow) with its properties as
typed columns (int64, float64, boolean, string, ``timestamp[ms, UTC]``), the
geometry as WKB in ``geometry`` and, as a *covering* of it, a ``bbox`` column
(a struct of ``xmin``, ``ymin``, ``xmax``, ``ymax``) that lets readers skip
row groups outside an area.  The file's ``geo`` metadata follows the
GeoParquet 1.1 specification: ``version``, ``primary_column`` and, for the
geometry column, ``encoding`` (``WKB``), ``geometry_types``, ``crs`` (the
PROJJSON of OGC:CRS84: longitude, latitude on WGS84), ``bbox`` and
``covering``.  bordermap's own metadata (version, sources, method) goes into
the ``bordermap`` key.

Rows are written in row groups of at most :data:`ROW_GROUP_ROWS`, and a
streaming export appends a chunk at a time, so memory is that of one chunk;
the ``geo`` metadata, which needs every row's geometry type and bounds, is
added to the file's footer when it is closed.  As for every format, the file
is written under a temporary name and renamed into place once complete.

Nulls and :data:`~bordermap.io.MISSING` are both Parquet nulls.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bordermap.errors import ExportError
from bordermap.io._columns import Col, check_strings, columns, to_wgs84
from bordermap.io._files import FileSet, writing
from bordermap.io._registry import Format

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["FORMAT", "GEOPARQUET_VERSION", "ROW_GROUP_ROWS", "write", "write_geoparquet"]

#: Version of the GeoParquet specification written.
GEOPARQUET_VERSION = "1.1.0"

#: Largest row group written (a streamed chunk of fewer rows is one row group).
ROW_GROUP_ROWS = 65_536

#: Names of the geometry and bounding-box columns.
GEOMETRY, BBOX = "geometry", "bbox"

_TYPE_NAMES = {
    0: "Point",
    1: "LineString",
    3: "Polygon",
    4: "MultiPoint",
    5: "MultiLineString",
    6: "MultiPolygon",
    7: "GeometryCollection",
}


def _crs84() -> dict[str, Any]:
    import pyproj

    return pyproj.CRS("OGC:CRS84").to_json_dict()


def _arrow_column(c: Col) -> Any:
    import pyarrow as pa

    mask = c.absent if c.absent.any() else None
    if c.kind == "int":
        return pa.array(c.values, type=pa.int64(), mask=mask)
    if c.kind == "float":
        return pa.array(c.values, type=pa.float64(), mask=mask)
    if c.kind == "bool":
        return pa.array(c.values, type=pa.bool_(), mask=mask)
    if c.kind == "datetime":
        return pa.array(c.values.astype("datetime64[ms]"), type=pa.timestamp("ms", tz="UTC"),
                        mask=mask)
    return pa.array(c.values, type=pa.string(), mask=mask)


def _wkb(geoms: np.ndarray) -> Any:
    """ISO WKB of every geometry as a pyarrow binary array (null for None).

    Two-dimensional points (the incident tables) are packed with numpy: byte
    order, type 1 and the two doubles, 21 bytes each, as ``shapely.to_wkb`` writes them.
    """
    import pyarrow as pa
    import shapely

    n = len(geoms)
    points = (
        n > 0
        and bool((shapely.get_type_id(geoms) == 0).all())
        and not shapely.has_z(geoms).any()
        and not shapely.is_empty(geoms).any()
    )
    if not points:
        wkb = shapely.to_wkb(geoms, output_dimension=3, flavor="iso")
        return pa.array(wkb, type=pa.binary())
    xy = shapely.get_coordinates(geoms)
    packed = np.empty(n, dtype=np.dtype([("o", "u1"), ("t", "<u4"), ("x", "<f8"), ("y", "<f8")]))
    packed["o"], packed["t"], packed["x"], packed["y"] = 1, 1, xy[:, 0], xy[:, 1]
    offsets = np.arange(0, 21 * (n + 1), 21, dtype=np.int32)
    return pa.Array.from_buffers(
        pa.binary(), n, [None, pa.py_buffer(offsets), pa.py_buffer(packed.view(np.uint8))]
    )


class _Stream:
    """One GeoParquet table written a chunk (one or more row groups) at a time."""

    def __init__(self, tmp: Path, target: Path | str) -> None:
        self.tmp = tmp
        self.target = target
        self.writer: Any = None
        self.schema: Any = None
        self.types: set[str] = set()
        self.bounds = np.array([np.inf, np.inf, -np.inf, -np.inf])

    def _table(self, name: str, gdf: Any) -> Any:
        import pyarrow as pa
        import shapely

        gdf = to_wgs84(gdf, name)
        cols = columns(gdf, name)
        check_strings(cols, name)
        for c in cols:
            if c.name in (GEOMETRY, BBOX):
                raise ExportError(
                    f"table {name!r}: column {c.name!r} clashes with GeoParquet's own "
                    f"{c.name} column",
                    field=c.name,
                    suggestion="rename it before exporting to GeoParquet",
                )
        geoms = np.asarray(gdf.geometry.to_numpy(), dtype=object)
        bounds = shapely.bounds(geoms)  # NaN for null and empty geometries
        self._note_geometry(geoms, bounds)
        none = np.isnan(bounds[:, 0])
        bbox = pa.StructArray.from_arrays(
            [pa.array(bounds[:, k], type=pa.float64()) for k in range(4)],
            names=["xmin", "ymin", "xmax", "ymax"],
            mask=pa.array(none) if none.any() else None,
        )
        arrays = [_arrow_column(c) for c in cols]
        arrays += [_wkb(geoms), bbox]
        names = [c.name for c in cols] + [GEOMETRY, BBOX]
        return pa.Table.from_arrays(arrays, names=names)

    def _note_geometry(self, geoms: np.ndarray, b: np.ndarray) -> None:
        import shapely

        kinds = shapely.get_type_id(geoms) * 2 + shapely.has_z(geoms)
        for t, z in (divmod(int(k), 2) for k in np.unique(kinds)):
            if t in _TYPE_NAMES:
                self.types.add(_TYPE_NAMES[t] + (" Z" if z else ""))
        if len(b) and not np.isnan(b[:, 0]).all():
            self.bounds = np.concatenate(
                [
                    np.minimum(self.bounds[:2], np.nanmin(b[:, :2], axis=0)),
                    np.maximum(self.bounds[2:], np.nanmax(b[:, 2:], axis=0)),
                ]
            )

    def append(self, name: str, gdf: Any) -> None:
        import pyarrow.parquet as pq

        for start in range(0, max(len(gdf), 1), ROW_GROUP_ROWS):
            table = self._table(name, gdf.iloc[start : start + ROW_GROUP_ROWS])
            if self.writer is None:
                self.schema = table.schema
                self.writer = pq.ParquetWriter(
                    self.tmp,
                    self.schema,
                    compression="snappy",
                    store_schema=False,
                    # dictionaries pay for repeated text (sides, kinds), not for ids or WKB
                    use_dictionary=_dictionary_columns(self.schema),
                )
            elif table.schema != self.schema:
                table = _conform(table, self.schema, name)
            if table.num_rows:
                self.writer.write_table(table, row_group_size=ROW_GROUP_ROWS)

    def geo(self) -> dict[str, Any]:
        """The ``geo`` metadata of the file written so far."""
        column: dict[str, Any] = {
            "encoding": "WKB",
            "geometry_types": sorted(self.types),
            "crs": _crs84(),
            "covering": {
                "bbox": {k: [BBOX, k] for k in ("xmin", "ymin", "xmax", "ymax")}
            },
        }
        if np.isfinite(self.bounds).all():
            column["bbox"] = [float(v) for v in self.bounds]
        return {"version": GEOPARQUET_VERSION, "primary_column": GEOMETRY,
                "columns": {GEOMETRY: column}}

    def finish(self, meta: Mapping[str, Any]) -> list[Path]:
        if self.writer is None:
            raise ExportError("no table was written", path=str(self.target))
        own = {"geo": json.dumps(self.geo())}
        if meta:
            own["bordermap"] = json.dumps(dict(meta), default=str)
        self.writer.add_key_value_metadata(own)
        self.writer.close()
        self.writer = None
        return [Path(self.target)]

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


def _dictionary_columns(schema: Any) -> list[str]:
    import pyarrow as pa

    return [f.name for f in schema if pa.types.is_string(f.type) and f.name != "id"]


def _conform(table: Any, schema: Any, name: str) -> Any:
    """A later chunk cast to the first chunk's schema (a column all null in one of them)."""
    import pyarrow as pa

    if table.schema.names != schema.names:
        raise ExportError(f"table {name!r}: the columns changed between chunks")
    arrays = []
    for col, want in zip(table.columns, schema, strict=True):
        if col.type == want.type:
            arrays.append(col)
        elif col.null_count == len(col):
            arrays.append(pa.nulls(len(col), type=want.type))
        else:
            raise ExportError(
                f"table {name!r}: column {want.name!r} holds {col.type} here but "
                f"{want.type} in the rows written before",
                field=want.name,
                suggestion="give the column one type throughout",
            )
    return pa.Table.from_arrays(arrays, schema=schema)


def stream(files: FileSet, target: Path) -> _Stream:
    """Registry entry point for a streaming export of one table (row groups per chunk)."""
    return _Stream(files.temp_for(target), target)


def write(
    files: FileSet,
    target: Path,
    tables: Mapping[str, Any],
    meta: Mapping[str, Any] | None = None,
) -> list[Path]:
    """Registry entry point: one table as the GeoParquet file ``target``."""
    from bordermap.io._registry import single_table

    name, gdf = single_table(tables, target, "GeoParquet")
    sink = stream(files, target)
    try:
        sink.append(name, gdf)
        return sink.finish(meta or {})
    finally:
        sink.close()


def write_geoparquet(
    gdf: gpd.GeoDataFrame, path: str | os.PathLike[str], *, table: str | None = None
) -> Path:
    """Write one table as a GeoParquet 1.1 file (atomically).

    Examples
    --------
    >>> import geopandas as gpd, pathlib, tempfile, json, pyarrow.parquet as pq
    >>> g = gpd.GeoDataFrame({"n": [1, 2]}, geometry=gpd.points_from_xy([64.1, 63.9],
    ...                      [27.0, 26.5]), crs="EPSG:4326")
    >>> out = write_geoparquet(g, pathlib.Path(tempfile.mkdtemp()) / "x.parquet")
    >>> geo = json.loads(pq.read_metadata(out).metadata[b"geo"])
    >>> geo["version"], geo["columns"]["geometry"]["geometry_types"]
    ('1.1.0', ['Point'])
    >>> geo["columns"]["geometry"]["bbox"]
    [63.9, 26.5, 64.1, 27.0]
    >>> gpd.read_parquet(out)["n"].tolist()
    [1, 2]
    """
    target = Path(path)
    with writing() as files:
        write(files, target, {table or target.stem: gdf})
    return target


FORMAT = Format(
    name="geoparquet",
    extensions=(".parquet", ".geoparquet"),
    multi_table=False,
    write=write,
    stream=stream,
    reader="bordermap.incidents:load_layer",
    description="GeoParquet 1.1 (WKB geometry, geo metadata, bbox covering) via pyarrow",
)
