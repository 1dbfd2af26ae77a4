"""GeoJSON (RFC 7946) writer: vectorized, exact, one FeatureCollection per file.

WGS84 longitude/latitude, no ``crs`` member, polygons with counter-clockwise
outer rings and clockwise holes, geometries that cross the antimeridian split
at ±180°, a top-level ``bbox`` and a ``bordermap`` metadata member.
Coordinates are rounded to 7 decimals (1e-7° ≈ 1.1 cm); property values are
written exactly (integers in full, floats in their shortest round-trip form).
The writer is bordermap's own: point coordinates and property values are
formatted a column at a time with numpy and joined a block of rows at a time,
with no Python dict per feature.

A folder export writes one file per table; a single ``.geojson`` file holds
one FeatureCollection, with the features of every table given one after the
other (the metadata member lists the tables and their feature counts).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bordermap.errors import ExportError
from bordermap.io._columns import Col, check_strings, columns, datetime_bytes, slice_col, to_wgs84
from bordermap.io._files import FileSet, writing
from bordermap.io._geometry import geojson_geometry, num, round_coords
from bordermap.io._meta import metadata
from bordermap.io._registry import Format

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["FORMAT", "write", "write_geojson"]

_CHUNK = 50_000  # rows per block in the vectorized GeoJSON writer (fits in cache)


# --------------------------------------------------------------------------- geometry text


def _positions(xy: np.ndarray) -> str:
    return ",".join(f"[{num(x)},{num(y)}]" for x, y in xy)


def _geometry_json(g: Any) -> str:
    """GeoJSON text of a (prepared) geometry; coordinates already rounded."""
    import shapely

    if g is None:
        return "null"
    t = g.geom_type
    if t == "Point":
        return f'{{"type":"Point","coordinates":[{num(g.x)},{num(g.y)}]}}'
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


def _json_matrix(col: Col) -> np.ndarray:
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
        m = _quoted(datetime_bytes(v))
    else:
        m = _json_str_matrix(v)
    if col.null.any():
        if m.shape[1] < 4:
            m = np.hstack([m, np.zeros((len(m), 4 - m.shape[1]), dtype=np.uint8)])
        m = m.copy() if not m.flags.writeable else m
        m[col.null] = 0
        m[col.null, :4] = np.frombuffer(b"null", dtype=np.uint8)
    return m


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
            boxes.append(round_coords(np.array([[x.min(), y.min(), x.max(), y.max()]])))
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
    with writing() as files:
        write(files, target, {table or target.stem: gdf}, meta)
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


def _feature_blocks(
    cols: list[Col], geoms: np.ndarray, table: str, first: int = 0
) -> Iterator[Any]:
    """Features of one table as blocks of ``feature,\nfeature,\n`` ... bytes (trailing ",\n").

    ``first`` is the number of the first row, for error messages.
    """
    keys = [json.dumps(c.name, ensure_ascii=False).encode() + b":" for c in cols]
    n = len(geoms)
    for a in range(0, n, _CHUNK):
        s = slice(a, min(n, a + _CHUNK))
        m = s.stop - a
        geo = _point_pieces(geoms[s], table, first + a)
        if geo is None:
            geo = [_as_matrix(_geometry_block(geoms[s], table, first + a))]
        pieces: list[Any] = [b'{"type":"Feature","geometry":', *geo, b',"properties":{']
        present = ~np.column_stack([c.missing[s] for c in cols]) if cols else None
        for k, (key, c) in enumerate(zip(keys, cols, strict=True)):
            vals = _json_matrix(slice_col(c, s))
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
        yield _assemble(pieces, m)


def _write_collection(tmp: Path, tables: Mapping[str, Any], meta: Mapping[str, Any] | None) -> None:
    prepared = []
    for name, gdf in tables.items():
        gdf = to_wgs84(gdf, name)
        cols = columns(gdf, name)
        check_strings(cols, name)
        prepared.append((name, cols, np.asarray(gdf.geometry.array, dtype=object)))
    head: dict[str, Any] = {"type": "FeatureCollection"}
    boxes = [b for _, _, geoms in prepared if (b := _bbox(geoms)) is not None]
    if boxes:
        head["bbox"] = [
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        ]
    head["bordermap"] = dict(meta) if meta is not None else metadata()
    if len(prepared) > 1:
        head["bordermap"]["tables"] = [
            {"name": name, "features": len(geoms)} for name, _, geoms in prepared
        ]
    text = json.dumps(head, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    with open(tmp, "wb") as fh:
        fh.write(text[:-1].encode() + b',"features":[\n')
        first = True
        for name, cols, geoms in prepared:
            for block in _feature_blocks(cols, geoms, name):
                if not first:
                    fh.write(b",\n")
                fh.write(block[:-2])  # without the comma after the block's last feature
                first = False
        fh.write(b"]}\n" if first else b"\n]}\n")


def write(
    files: FileSet,
    target: Path,
    tables: Mapping[str, Any],
    meta: Mapping[str, Any] | None = None,
) -> list[Path]:
    """Registry entry point: ``tables`` as one FeatureCollection at ``target``."""
    _write_collection(files.temp_for(target), tables, meta)
    return [target]


class _Stream:
    """A FeatureCollection written a chunk at a time (see :func:`stream`)."""

    def __init__(self, files: FileSet, target: Path) -> None:
        self.target = target
        self.fh = open(files.temp_for(target), "wb")  # noqa: SIM115 - closed in finish
        self.fh.write(b'{"type":"FeatureCollection","features":[\n')
        self.first = True
        self.boxes: list[list[float]] = []
        self.counts: dict[str, int] = {}

    def append(self, name: str, gdf: Any) -> None:
        gdf = to_wgs84(gdf, name)
        cols = columns(gdf, name)
        check_strings(cols, name)
        geoms = np.asarray(gdf.geometry.array, dtype=object)
        first = self.counts.get(name, 0)
        self.counts[name] = first + len(geoms)
        if (box := _bbox(geoms)) is not None:
            self.boxes.append(box)
        for block in _feature_blocks(cols, geoms, name, first):
            if not self.first:
                self.fh.write(b",\n")
            self.fh.write(block[:-2])
            self.first = False

    def finish(self, meta: Mapping[str, Any]) -> list[Path]:
        tail: dict[str, Any] = {}
        if self.boxes:
            b = self.boxes
            tail["bbox"] = [
                min(x[0] for x in b),
                min(x[1] for x in b),
                max(x[2] for x in b),
                max(x[3] for x in b),
            ]
        tail["bordermap"] = dict(meta)
        if len(self.counts) > 1:
            tail["bordermap"]["tables"] = [
                {"name": k, "features": v} for k, v in self.counts.items()
            ]
        text = json.dumps(tail, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        self.fh.write((b"]," if self.first else b"\n],") + text[1:].encode() + b"\n")
        self.fh.close()
        return [self.target]

    def close(self) -> None:
        self.fh.close()


def stream(files: FileSet, target: Path) -> _Stream:
    """Registry entry point for a streaming export: ``append(table, gdf)`` then ``finish(meta)``.

    The features come first and the ``bbox`` and ``bordermap`` members after them
    (JSON members have no order), so that nothing needs to be known in advance.
    """
    return _Stream(files, target)


FORMAT = Format(
    name="geojson",
    extensions=(".geojson", ".json"),
    multi_table=False,
    mixes_tables=True,
    write=write,
    stream=stream,
    reader="bordermap.incidents:load_layer",
    description="RFC 7946 GeoJSON, one FeatureCollection per file",
)
