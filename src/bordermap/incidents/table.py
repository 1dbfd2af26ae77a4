"""Table-shaped CSV and GeoParquet layers read column by column (``load_layer``'s fast path).

A bordermap CSV layer (or GeoParquet layer, whose rows come as the same texts)
whose columns are all "one value per incident" (id,
title, date, kind, actor, target side/group, operation, notes, lon, lat,
precision_m, one claim: claimant and casualty counts, one source) is read
here without building the YAML-shaped record of every row
(:func:`bordermap.incidents.readers._csv_row`) and without the per-row
validation framework:

- coordinates and precisions are checked as whole columns (numbers, ranges);
- a field whose values repeat (dates, kinds, actors, sources, claims) is
  validated once per distinct value, by the very function the per-record path
  uses (:mod:`bordermap.incidents.fields`, :mod:`~bordermap.incidents.records`),
  and the validated value is shared by every row that has it;
- ids and titles are checked row by row with the same rules.

Anything this path does not take -- another column, an empty required value, a
number out of range, a duplicate id, any problem or warning at all -- makes it
step aside (return None) and the per-record path reads the file from the start,
so every message (file, line, field, hint) is the one that path gives.  The
layer built here equals the per-record one (``tests/test_table_csv.py``
compares them on the fixtures and on generated files).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bordermap._yaml import lined as _lined
from bordermap.incidents.fields import _Ctx, _date, _InvalidRecordError, _side, _sources, _text
from bordermap.incidents.model import (
    _CATEGORY_RE,
    _ID_RE,
    MAX_INCIDENTS,
    Incident,
    Layer,
    Location,
)

__all__ = ["SIMPLE_COLUMNS", "read_parquet_table", "read_table_layer"]

#: Columns the fast path takes (besides casualty categories: killed, injured_civilians ...).
SIMPLE_COLUMNS = frozenset({
    "id", "title", "date", "kind", "actor", "target_side", "target_group", "operation",
    "notes", "lon", "lat", "precision_m", "claimant", "source_publisher", "source_title",
    "source_date", "source_url", "source_authors", "source_notes",
})
_REQUIRED = ("id", "title", "date", "kind", "actor", "lon", "lat", "precision_m",
             "source_publisher", "source_title")
_SOURCE_COLUMNS = ("source_publisher", "source_title", "source_date", "source_url",
                   "source_authors", "source_notes")


class _StepAsideError(Exception):
    """The file is not for the fast path: the per-record path reads it."""


def _takes(header: list[str]) -> bool:
    names = [h.strip() for h in header]
    return (len(set(names)) == len(names) and all(c in names for c in _REQUIRED)
            and all(n in SIMPLE_COLUMNS or _CATEGORY_RE.fullmatch(n) for n in names))


def _rows(text: str) -> tuple[list[str], list[list[str]], list[int]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None or not _takes(header):
            raise _StepAsideError
        width = len(header)
        rows, lines = [], []
        while True:
            line = reader.line_num + 1
            values = next(reader, None)
            if values is None:
                break
            if not values:
                continue
            if len(values) != width or len(rows) >= MAX_INCIDENTS:
                raise _StepAsideError
            rows.append([v.strip() for v in values])
            lines.append(line)
    except csv.Error:
        raise _StepAsideError from None
    return [h.strip() for h in header], rows, lines


def _numbers(column: list[str], low: float, high: float, *, below: bool = False) -> list[float]:
    """Every value as a float within [low, high] (or [low, high)); else step aside."""
    out = []
    for text in column:
        try:
            x = float(text)
        except ValueError:
            raise _StepAsideError from None
        if not (low <= x < high if below else low <= x <= high) or not math.isfinite(x):
            raise _StepAsideError
        out.append(x)
    return out


class _Once:
    """The per-record validators, run once per distinct value in a scratch context."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.memo: dict[Any, Any] = {}

    def __call__(self, kind: str, key: Any, func: Callable[..., Any], rec: dict) -> Any:
        found = self.memo.get((kind, key), self)
        if found is not self:
            return found
        ctx = _Ctx(self.path)
        try:
            value = func(ctx, _lined(rec, 2))
        except (_InvalidRecordError, Exception):
            raise _StepAsideError from None
        if ctx.problems:
            raise _StepAsideError
        self.memo[(kind, key)] = value
        return value


def _claim_of(key: tuple, ctx: _Ctx) -> tuple:
    """The claims of a row whose claim and source columns are ``key`` (pairs of column, value)."""
    from bordermap.incidents.readers import _csv_row
    from bordermap.incidents.records import _claims

    row = dict(key)
    if not row.get("claimant") and not any(_CATEGORY_RE.fullmatch(c) for c in row):
        return ()
    return _claims(ctx, _csv_row(row, 2), "c", {}, 1)


def _distinct(once: _Once, kind: str, values: list[Any], func: Callable[..., Any],
              rec: Callable[[Any], dict]) -> list[Any]:
    """``func`` over each distinct value (see :class:`_Once`), mapped back onto ``values``."""
    table = {v: once(kind, v, func, rec(v)) for v in dict.fromkeys(values)}
    return [table[v] for v in values]


def read_table_layer(path: Path, text: str) -> Layer | None:
    """The layer of a table-shaped CSV, or None when the per-record path must read it."""
    try:
        return _build(path, *_rows(text), title=path.stem)
    except _StepAsideError:
        return None


def read_parquet_table(path: Path) -> Layer | None:
    """The layer of a table-shaped GeoParquet file (or folder of parts), or None when the
    per-record path must read it (which also reports every problem of the file)."""
    from bordermap.errors import BordermapError
    from bordermap.incidents.readers import _file_size
    from bordermap.io._parquet_layer import ParquetLayer

    try:
        if not path.is_dir():
            _file_size(path)
        source = ParquetLayer(path)
        if source.num_rows > MAX_INCIDENTS:
            return None
        names = {tuple(n for n in p.file.schema_arrow.names if n not in p.skip)
                 for p in source.parts}
        if len(names) != 1:
            return None
        header = [*names.pop(), "lon", "lat"]
        if not _takes(header):
            return None
        rows, lines = [], []
        for line, values in source.rows():
            rows.append([(values.get(h) or "").strip() for h in header])
            lines.append(line)
        return _build(path, header, rows, lines,
                      title=path.stem if path.is_file() else path.name)
    except (_StepAsideError, BordermapError, OSError):
        return None


def _build(path: Path, header: list[str], rows: list[list[str]], lines: list[int], *,
           title: str) -> Layer:
    from bordermap.incidents.records import _kind
    from bordermap.io._datasets import make

    n = len(rows)
    col = {name: [r[k] for r in rows] for k, name in enumerate(header)}
    ids = col["id"]
    if len(set(ids)) != n or not all(i and _ID_RE.match(i) for i in ids):
        raise _StepAsideError
    lon = _numbers(col["lon"], -180.0, 180.0, below=True)
    lat = _numbers(col["lat"], -90.0, 90.0)
    prec = _numbers(col["precision_m"], 0.0, math.inf)
    if not all(p > 0 for p in prec):
        raise _StepAsideError
    where = str(path)
    once = _Once(where)
    none = [None] * n

    def text_of(name: str, required: bool = False) -> list[Any]:
        if name not in col:
            return none
        return _distinct(once, name, col[name], lambda ctx, r: _text(
            ctx, r, name, name, required=required), lambda v: {name: v})

    def side_of(name: str, required: bool) -> list[Any]:
        if name not in col:
            return none
        return _distinct(once, "side", col[name], lambda ctx, r: _side(
            ctx, r, "v", name, required=required), lambda v: {"v": v} if v else {})

    src_cols = [c for c in _SOURCE_COLUMNS if c in col]
    src_keys = list(zip(*(col[c] for c in src_cols), strict=True))
    sources = _distinct(once, "sources", src_keys, lambda ctx, r: _sources(
        ctx, r, "sources", "s", {}, required=True), lambda key: {"sources": [
            {c[7:]: v for c, v in zip(src_cols, key, strict=True) if v}]})
    claim_cols = [c for c in header if c == "claimant" or _CATEGORY_RE.fullmatch(c)]
    claim_keys = [tuple((c, v) for c, v in zip([*claim_cols, *src_cols], values, strict=True)
                        if v)
                  for values in zip(*(col[c] for c in (*claim_cols, *src_cols)), strict=True)]
    claims = _distinct(once, "claims", claim_keys, lambda ctx, r: _claim_of(
        tuple(r["k"]), ctx), lambda key: {"k": [list(p) for p in key]})
    fields = {
        "id": ids,
        "title": text_of("title", required=True),
        "date": _distinct(once, "date", col["date"], lambda ctx, r: _date(
            ctx, r, "date", "d", required=True), lambda v: {"date": v}),
        "kind": _distinct(once, "kind", col["kind"], lambda ctx, r: _kind(ctx, r, "k"),
                          lambda v: {"kind": v}),
        "actor": side_of("actor", True),
        "target_side": side_of("target_side", False),
        "target_group": text_of("target_group"),
        "operation": text_of("operation"),
        "notes": text_of("notes"),
        "claims": claims,
        "sources": sources,
    }
    names = list(fields)
    incidents = tuple(
        make(Incident, **dict(zip(names, values, strict=True)),
             impacts=(make(Location, lon=x, lat=y, precision_m=p),), path=where, line=line)
        for *values, x, y, p, line in zip(*fields.values(), lon, lat, prec, lines, strict=True))
    return Layer(name=path.stem, title=title, description=None, incidents=incidents,
                 path=where, sources=())
