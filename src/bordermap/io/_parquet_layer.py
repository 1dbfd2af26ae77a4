"""GeoParquet files read as incident layers, a batch of rows at a time.

A GeoParquet layer has the columns of a CSV layer (``id``, ``title``,
``date``, ``kind``, ``actor``, ``precision_m``, ``source_*`` ... see
``layers/README.md``), with the impact point as the file's geometry instead
of ``lon``/``lat``.  Each row becomes the same record a CSV row becomes and
is validated the same way, so every problem is reported as
``file:ROW: field: message`` — for Parquet the number is the row, 1 being the
first row of the file (of the first file, for a folder).

A folder of ``.parquet`` files (a partitioned dataset, as dask or Spark write
it) is one layer, read file by file in name order; every file must name the
same geometry column and CRS.  Geometries in another CRS than WGS84
longitude/latitude are transformed (pyproj, ``always_xy``).

Read with pyarrow by record batches, so memory is that of one batch.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bordermap.errors import LayerError, shorten

__all__ = ["PARQUET_SUFFIXES", "ParquetLayer", "is_parquet"]

#: File extensions read as GeoParquet layers.
PARQUET_SUFFIXES = (".parquet", ".geoparquet")

_MAGIC = b"PAR1"


def is_parquet(path: Path) -> bool:
    """Whether ``path`` is read as a GeoParquet layer (by extension, or a folder of them)."""
    if path.suffix.lower() in PARQUET_SUFFIXES:
        return True
    return path.is_dir() and any(_parts(path))


def _parts(folder: Path) -> list[Path]:
    return sorted(
        q for q in folder.iterdir()
        if q.suffix.lower() in PARQUET_SUFFIXES and q.is_file() and not q.name.startswith(".")
    )


@dataclass
class _Part:
    path: Path
    file: Any  # pyarrow.parquet.ParquetFile
    column: str
    crs: Any  # the CRS's PROJJSON (dict), or None for OGC:CRS84
    skip: frozenset[str]  # the geometry column and its bbox covering


def _fail(
    path: Path,
    message: str,
    field: str | None = None,
    hint: str | None = None,
    line: int | None = None,
) -> Any:
    raise LayerError(message, path=str(path), line=line, field=field, suggestion=hint)


def _candidates(schema: Any) -> str:
    """A hint naming the column that could hold geometries, and how to declare it."""
    import pyarrow as pa

    names = list(schema.names)
    lower = {n.lower(): n for n in names}
    binary = [f.name for f in schema if pa.types.is_binary(f.type)
              or pa.types.is_large_binary(f.type)]
    for want in ("geometry", "geom", "wkb", "wkb_geometry", "the_geom"):
        if want in lower and lower[want] in binary:
            col = lower[want]
            return (
                f"column {col!r} looks like WKB geometry: write the file with geopandas "
                "(gpd.GeoSeries.from_wkb on that column, then GeoDataFrame.to_parquet)"
            )
    if binary:
        return (f"if column {binary[0]!r} holds WKB, write the file with geopandas "
                "(GeoDataFrame.to_parquet) so that it carries 'geo' metadata")
    if "lon" in lower and "lat" in lower:
        return (
            f"columns {lower['lon']!r} and {lower['lat']!r} could be the points: write "
            "gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df.lon, df.lat), "
            "crs=4326).to_parquet(path), or save the table as CSV"
        )
    return "no column looks like geometry: write the file with GeoDataFrame.to_parquet"


def _open_part(path: Path) -> _Part:
    import pyarrow.parquet as pq

    try:
        with open(path, "rb") as fh:
            head = fh.read(4)
    except OSError as exc:
        return _fail(path, f"cannot read layer: {exc.strerror}")
    if head != _MAGIC:
        return _fail(path, "not a Parquet file (it does not start with PAR1)",
                     hint="give a GeoParquet file, or name the file by its real format")
    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError ...
        reason = str(exc).split(". ")[0].strip().rstrip(".")[:120]
        return _fail(path, f"cannot read Parquet: {reason}",
                     hint="the file is damaged or truncated; write it again")
    meta = pf.metadata.metadata or {}
    if b"geo" not in meta:
        return _fail(path, "Parquet file without GeoParquet 'geo' metadata", "geo",
                     _candidates(pf.schema_arrow))
    return _part(path, pf, meta[b"geo"])


def _part(path: Path, pf: Any, raw: bytes) -> _Part:
    """Check the ``geo`` metadata against the GeoParquet specification's required keys."""
    try:
        geo = json.loads(raw)
    except ValueError as exc:
        return _fail(path, f"'geo' metadata is not JSON ({exc.args[0]})", "geo")
    if not isinstance(geo, dict):
        return _fail(path, "'geo' metadata must be a JSON object", "geo")
    for key in ("version", "primary_column", "columns"):
        if key not in geo:
            return _fail(path, f"'geo' metadata lacks the required key {key!r}", f"geo.{key}",
                         "write the file with a GeoParquet writer (geopandas, GDAL, bordermap)")
    column = geo["primary_column"]
    cols = geo["columns"]
    if not isinstance(cols, dict) or not isinstance(cols.get(column), dict):
        return _fail(path, f"'geo' metadata describes no primary column {shorten(column)}",
                     "geo.columns")
    info = cols[column]
    names = pf.schema_arrow.names
    if column not in names:
        return _fail(path, f"geometry column {shorten(column)} named in 'geo' is not in the "
                     f"file (its columns: {shorten(', '.join(names), 100)})", str(column))
    encoding = info.get("encoding")
    if not isinstance(encoding, str) or encoding.upper() != "WKB":
        return _fail(path, f"geometry encoding {shorten(encoding)} is not supported",
                     f"geo.columns.{column}.encoding",
                     "write WKB geometries (GeoDataFrame.to_parquet(geometry_encoding='WKB'))")
    crs = info.get("crs", "absent")
    if crs is None:
        return _fail(path, "the geometry's CRS is unknown ('crs': null)",
                     f"geo.columns.{column}.crs",
                     "declare it when writing (gdf.set_crs('EPSG:4326').to_parquet(path))")
    skip = {column}
    covering = info.get("covering")
    if isinstance(covering, dict) and isinstance(covering.get("bbox"), dict):
        for ref in covering["bbox"].values():
            if isinstance(ref, list) and ref:
                skip.add(str(ref[0]))
    return _Part(path, pf, column, None if crs == "absent" else crs, frozenset(skip))


def _crs_label(crs: Any) -> str:
    if crs is None:
        return "OGC:CRS84"
    import pyproj

    try:
        c = pyproj.CRS.from_user_input(crs)
    except Exception:  # a malformed PROJJSON
        return "an unreadable CRS"
    auth = c.to_authority()
    return ":".join(auth) if auth else shorten(c.name, 60)


def _transformer(path: Path, crs: Any) -> Any:
    """A transformer to WGS84 (lon, lat), or None when the CRS is WGS84 lon/lat already."""
    if crs is None:
        return None
    import pyproj

    try:
        c = pyproj.CRS.from_user_input(crs)
    except Exception as exc:
        return _fail(path, f"the geometry's CRS cannot be read ({shorten(str(exc), 100)})",
                     "geo.crs", "declare a CRS such as EPSG:4326 when writing")
    if c.equals("OGC:CRS84") or c.equals("EPSG:4326"):
        return None  # GeoParquet: geographic coordinates are (lon, lat) whatever the CRS says
    return pyproj.Transformer.from_crs(c, "EPSG:4326", always_xy=True)


class ParquetLayer:
    """A GeoParquet file or folder of them, opened and checked, read as layer records.

    Raises :class:`~bordermap.errors.LayerError` at once for a file that is no
    Parquet, has no or broken ``geo`` metadata, or (in a folder) disagrees
    with the first file on the geometry column or CRS.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        files = _parts(path) if path.is_dir() else [path]
        if not files:
            _fail(path, "folder holds no .parquet files")
        self.parts = [_open_part(f) for f in files]
        first = self.parts[0]
        for p in self.parts[1:]:
            if p.column != first.column:
                _fail(p.path, f"geometry column {p.column!r} differs from {first.column!r} "
                      f"in {first.path.name}", "geo.primary_column",
                      "write every part with the same geometry column")
            if _crs_label(p.crs) != _crs_label(first.crs) or (p.crs or {}) != (first.crs or {}):
                _fail(p.path, f"CRS {_crs_label(p.crs)} differs from {_crs_label(first.crs)} "
                      f"in {first.path.name}: the parts of one layer need one CRS",
                      f"geo.columns.{p.column}.crs",
                      "reproject the parts to one CRS (gdf.to_crs('EPSG:4326')) and write again")
        self.to_wgs84 = _transformer(first.path, first.crs)
        self.num_rows = sum(p.file.metadata.num_rows for p in self.parts)
        self.total_bytes = sum(p.path.stat().st_size for p in self.parts)
        self.bytes_read = 0

    def rows(self, batch_rows: int = 5_000) -> Iterator[tuple[int, dict[str, str]]]:
        """(row number, {column: text}) for every row, as a CSV row gives them."""
        row = 0
        for part in self.parts:
            size = part.path.stat().st_size
            groups = max(part.file.metadata.num_row_groups, 1)
            for batch in part.file.iter_batches(batch_size=batch_rows):
                texts = _batch_texts(part, batch, row, self.to_wgs84)
                names = list(texts)
                for i, values in enumerate(zip(*texts.values(), strict=True)):
                    yield row + i + 1, {k: v for k, v in zip(names, values, strict=True) if v}
                row += batch.num_rows
                self.bytes_read = min(self.bytes_read + size // groups, self.total_bytes)


def _batch_texts(part: _Part, batch: Any, row: int, to_wgs84: Any) -> dict[str, list[str]]:
    """Every column of a record batch as text (``""`` for null), lon/lat from the geometry."""
    out: dict[str, list[str]] = {}
    for name, col in zip(batch.schema.names, batch.columns, strict=True):
        if name in part.skip:
            continue
        if name in ("lon", "lat"):
            _fail(part.path, f"column {name!r} and a geometry column {part.column!r}: "
                  "the impact is the geometry", name,
                  "drop the lon and lat columns (or write the table as CSV)")
        out[name] = _column_texts(part.path, name, col, row)
    lon, lat = _points(part, batch.column(part.column), row, to_wgs84)
    out["lon"], out["lat"] = lon, lat
    return out


def _column_texts(path: Path, name: str, col: Any, row: int) -> list[str]:
    import pyarrow as pa
    import pyarrow.compute as pc

    t = col.type
    if pa.types.is_dictionary(t):
        col, t = col.cast(t.value_type), t.value_type
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return [v or "" for v in col.to_pylist()]
    if pa.types.is_boolean(t):
        return ["" if v is None else ("true" if v else "false") for v in col.to_pylist()]
    if pa.types.is_integer(t):
        return ["" if v is None else str(v) for v in col.to_pylist()]
    if pa.types.is_floating(t):
        return ["" if v is None or math.isnan(v) else repr(float(v)) for v in col.to_pylist()]
    if pa.types.is_date(t):
        return ["" if v is None else v.isoformat() for v in col.to_pylist()]
    if pa.types.is_timestamp(t):
        if t.tz is None:
            _fail(path, f"column {name!r} holds timestamps without a timezone", name,
                  "store dates as text (2024-01-16) or as UTC timestamps")
        utc = pc.cast(col, pa.timestamp("ms", tz="UTC"), safe=False)
        return [_timestamp_text(v) for v in utc.to_pylist()]
    return _fail(path, f"column {name!r} has type {t}, which a layer column cannot hold", name,
                 "use text, numbers, booleans, dates or UTC timestamps, as in a CSV layer",
                 line=row + 1)


def _timestamp_text(v: Any) -> str:
    if v is None:
        return ""
    if (v.hour, v.minute, v.second, v.microsecond) == (0, 0, 0, 0):
        return v.date().isoformat()
    return v.strftime("%Y-%m-%dT%H:%M:%SZ")


def _points(part: _Part, col: Any, row: int, to_wgs84: Any) -> tuple[list[str], list[str]]:
    """Lon and lat text of every row's Point geometry ('' for a null or empty one)."""
    import numpy as np
    import shapely

    raw = np.asarray(col.to_numpy(zero_copy_only=False), dtype=object)
    geoms = shapely.from_wkb(raw, on_invalid="ignore")
    bad = np.flatnonzero(np.not_equal(raw, None) & (geoms == None))  # noqa: E711
    if len(bad):
        _fail(part.path, "the geometry is not valid WKB", part.column, line=row + int(bad[0]) + 1)
    kinds = shapely.get_type_id(geoms)
    other = np.flatnonzero((kinds > 0) & ~shapely.is_empty(geoms))
    if len(other):
        i = int(other[0])
        _fail(part.path, f"the geometry is a {geoms[i].geom_type}; a layer row holds one "
              "Point (its impact)", part.column,
              "one row per impact point, or use the geometry's representative point",
              line=row + i + 1)
    ok = (kinds == 0) & ~shapely.is_empty(geoms)
    x = np.where(ok, shapely.get_x(geoms), np.nan)
    y = np.where(ok, shapely.get_y(geoms), np.nan)
    if to_wgs84 is not None and ok.any():
        x[ok], y[ok] = to_wgs84.transform(x[ok], y[ok])
    lon = ["" if not k else repr(float(v)) for k, v in zip(ok.tolist(), x.tolist(), strict=True)]
    lat = ["" if not k else repr(float(v)) for k, v in zip(ok.tolist(), y.tolist(), strict=True)]
    return lon, lat
