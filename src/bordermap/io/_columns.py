"""The property checks every writer shares: one validated column per property.

Every format accepts the same values (see :mod:`bordermap.io`): strings,
integers (int64), finite floats, booleans and timezone-aware datetimes, with
null and :data:`MISSING` kept apart.  :func:`columns` checks a table once and
hands the writers typed numpy arrays; anything else raises
:class:`~bordermap.errors.ExportError` naming the table, row, column and (if
the table has one) the row's ``id``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

from bordermap.errors import ExportError

__all__ = [
    "MISSING",
    "Col",
    "check_strings",
    "columns",
    "datetime_bytes",
    "datetime_text",
    "row_error",
    "slice_col",
    "to_wgs84",
]


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


# --------------------------------------------------------------------------- columns


@dataclass
class Col:
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
            out[ok] = datetime_text(v)
        else:
            out[ok] = v
        return out


def row_error(
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


def datetime_text(v: np.ndarray) -> np.ndarray:
    """ISO 8601 UTC text with Z; milliseconds only when present (object array)."""
    return datetime_bytes(v).astype(str).astype(object)


def _digits(m: np.ndarray, col: int, values: np.ndarray, width: int) -> None:
    """Write ``values`` as zero-padded decimal digits into columns col..col+width of ``m``."""
    v = values.copy()
    for j in range(width - 1, -1, -1):
        m[:, col + j] = 48 + v % 10
        v //= 10


def datetime_bytes(v: np.ndarray) -> np.ndarray:
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


def columns(gdf: Any, table: str) -> list[Col]:
    """Validate every property column; see the module notes for what is accepted."""
    import pandas as pd

    geom_name = gdf.geometry.name if hasattr(gdf, "geometry") else None
    ids = gdf["id"].to_numpy(dtype=object) if "id" in gdf.columns else None
    n = len(gdf)
    cols: list[Col] = []
    seen: set[str] = set()

    def err(i: int, col: str, msg: str, hint: str | None = None) -> ExportError:
        ident = None
        if ids is not None and isinstance(ids[i], str):
            ident = ids[i]
        return row_error(table, i, col, msg, suggestion=hint, ident=ident)

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
            cols.append(Col(name, "bool", vals, null, missing))
        elif pd.api.types.is_integer_dtype(dtype):
            null = s.isna().to_numpy()
            if str(dtype).lower() in ("uint64",):
                raw = s.to_numpy(dtype="uint64", na_value=0)
                big = raw > np.iinfo(np.int64).max
                if big.any():
                    i = int(np.flatnonzero(big)[0])
                    raise err(i, name, f"value {raw[i]} is beyond the int64 range")
            vals = s.to_numpy(dtype="int64", na_value=0)
            cols.append(Col(name, "int", vals, null, missing))
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
            cols.append(Col(name, "float", vals, null, missing))
        elif isinstance(dtype, pd.DatetimeTZDtype):
            cols.append(datetime_col(s.dt.tz_convert("UTC"), name, err))
        elif pd.api.types.is_datetime64_dtype(dtype):
            bad = np.flatnonzero(s.notna().to_numpy())
            raise err(
                int(bad[0]) if len(bad) else 0,
                name,
                "naive datetimes have no timezone; cannot write them as UTC",
                f"declare it: gdf[{name!r}] = gdf[{name!r}].dt.tz_localize('UTC')",
            )
        elif pd.api.types.is_string_dtype(dtype) or pd.api.types.is_object_dtype(dtype):
            cols.append(object_col(s, name, err))
        else:
            raise ExportError(
                f"table {table!r}: column {name!r} has type {dtype}, which cannot be exported",
                field=name,
                suggestion="convert it to text, numbers or datetimes",
            )
    return cols


def datetime_col(s: Any, name: str, err: Any) -> Col:
    """A tz-aware (UTC) datetime Series -> column of datetime64[ms] (naive UTC)."""
    null = s.isna().to_numpy()
    # stay in the series' own unit (s, ms, us or ns): dates outside 1677-2262 do
    # not fit in nanoseconds, and a cast there would wrap round silently
    raw = s.dt.tz_localize(None).to_numpy()
    ms = raw.astype("datetime64[ms]")
    fine = (raw != ms.astype(raw.dtype)) & ~null
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
    return Col(name, "datetime", ms, null, np.zeros(len(s), dtype=bool))


def object_col(s: Any, name: str, err: Any) -> Col:
    import pandas as pd

    if not pd.api.types.is_object_dtype(s.dtype):  # a pandas string dtype: text or null
        null = s.isna().to_numpy()
        vals = s.to_numpy(dtype=object, na_value="")
        return Col(name, "str", vals, null, np.zeros(len(s), dtype=bool))

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
        return Col(name, "str", out, null, missing)
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
        col = datetime_col(pd.to_datetime(conv, utc=True), name, err)
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


def check_strings(cols: list[Col], table: str) -> None:
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
                    raise row_error(
                        table,
                        i,
                        c.name,
                        "text holds an unpaired surrogate, which UTF-8 cannot encode",
                    ) from None


def to_wgs84(gdf: Any, table: str) -> Any:
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


def slice_col(c: Col, s: slice) -> Col:
    return Col(c.name, c.kind, c.values[s], c.null[s], c.missing[s])
