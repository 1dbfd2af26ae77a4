"""Layer readers: YAML, CSV and GeoJSON files into validated :class:`Layer` s.

Each reader turns its file into the structure of a YAML layer (line-tracking
mappings and lists); :func:`_build_layer` validates it the same way for all.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import warnings
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bordermap._yaml import MAX_NESTING, MAX_NUMBER_DIGITS
from bordermap._yaml import LinedMap as _Map
from bordermap._yaml import LinedSeq as _Seq
from bordermap._yaml import lined as _lined
from bordermap._yaml import load as load_yaml
from bordermap.errors import (
    LayerError,
    LayerWarning,
    Problem,
    shorten,
)
from bordermap.incidents.fields import _as_list, _Ctx, _InvalidRecordError
from bordermap.incidents.model import (
    _CATEGORY_RE,
    _DISTANCE_COLUMNS,
    _LOCATION_FIELDS,
    _SOURCE_FIELDS,
    MAX_FILE_BYTES,
    MAX_INCIDENTS,
    MAX_PROBLEMS,
    Gazetteer,
    Incident,
    Layer,
)
from bordermap.incidents.records import _build_layer

if TYPE_CHECKING:  # pragma: no cover
    pass


def _read_yaml(path: Path, text: str) -> Any:
    return load_yaml(text, path=str(path))


def _default_gazetteer() -> Gazetteer:
    try:
        from bordermap import gazetteer as gaz
    except ImportError as exc:  # pragma: no cover - only before the gazetteer exists
        raise LayerError(
            f"place names need bordermap.gazetteer ({exc})", suggestion="give lon/lat instead"
        ) from None
    return gaz


def _csv_row(row: dict[str, str], line: int) -> _Map:
    """One CSV row as an incident record in the YAML structure."""
    rec: dict[str, Any] = {}
    loc: dict[str, Any] = {}
    origin: dict[str, Any] = {}
    src: dict[str, Any] = {}
    claim: dict[str, Any] = {}
    cas: dict[str, Any] = {}
    for key, value in row.items():
        value = (value or "").strip()
        if value == "":
            continue
        if key in _DISTANCE_COLUMNS:
            loc.setdefault("reported_distance_km", {})[_DISTANCE_COLUMNS[key]] = value
        elif key.startswith("origin_") and key[7:] in _DISTANCE_COLUMNS:
            dist = origin.setdefault("reported_distance_km", {})
            dist[_DISTANCE_COLUMNS[key[7:]]] = value
        elif key in _LOCATION_FIELDS:
            loc[key] = value
        elif key.startswith("origin_") and key[7:] in _LOCATION_FIELDS:
            origin[key[7:]] = value
        elif key.startswith("source_") and key[7:] in _SOURCE_FIELDS:
            src[key[7:]] = value
        elif key in ("claimant", "hit", "outcome"):
            claim[key] = value
        elif _CATEGORY_RE.fullmatch(key):
            cas[key] = value
        else:
            rec[key] = value
    if loc:
        rec["impact"] = loc
    if origin:
        rec["origin"] = origin
    if src:
        rec["sources"] = [src]
    if claim or cas:
        if cas:
            claim["casualties"] = cas
        if src:
            claim["sources"] = [src]
        rec["claims"] = [claim]
    return _row_lined(rec, line)


def _row_lined(obj: Any, line: int) -> Any:
    """:func:`_lined` for a CSV row's small, known structure (every node on one line)."""
    if isinstance(obj, dict):
        out = _Map(
            {k: _row_lined(v, line) if not isinstance(v, str) else v for k, v in obj.items()}
        )
        out.line = line
        out.key_lines = dict.fromkeys(obj, line)
        return out
    if isinstance(obj, list):
        seq = _Seq(_row_lined(v, line) for v in obj)
        seq.line = line
        seq.item_lines = [line] * len(obj)
        return seq
    return obj


def _csv_header(ctx: _Ctx, fieldnames: list[str] | None) -> None:
    """Refuse an empty CSV and a column named twice."""
    if fieldnames is None:
        raise ctx.error("empty CSV file", 1, None)
    first: dict[str, int] = {}
    for k, name in enumerate(fieldnames, 1):
        key = name.strip()
        if key in first:
            ctx.report(
                ctx.error(
                    f"column {shorten(key)} appears twice (columns {first[key]} and {k})",
                    1,
                    key[:80],
                    "keep one of them: the other would be silently lost",
                )
            )
        else:
            first[key] = k
    ctx.done(0)


def _csv_reason(exc: csv.Error) -> str:
    text = str(exc)
    if "field limit" in text:
        return f"a field is longer than {csv.field_size_limit():,} characters"
    if "unexpected end of data" in text:
        return "a quoted field is never closed (a '\"' is missing)"
    return shorten(text, 200)


class _DuplicateKeyError(ValueError):
    pass


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKeyError(key)
            seen.add(key)
    return obj


def _json_int(text: str) -> int:
    if len(text) > MAX_NUMBER_DIGITS:
        raise ValueError(f"a number of {len(text)} digits (more than {MAX_NUMBER_DIGITS})", text)
    return int(text)


def _duplicate_key(ctx: _Ctx, text: str, key: str) -> LayerError:
    """The error for a key given twice in one JSON object, with its line."""
    line = None
    try:
        load_yaml(text, path=ctx.path)  # JSON is YAML, and this loader refuses duplicates
    except LayerError as exc:
        line = exc.line
    return ctx.error(
        f"key {shorten(key)} appears twice in one object",
        line,
        str(key)[:80],
        "keep one of them: the other would be silently lost",
    )


def _read_json(ctx: _Ctx, text: str) -> Any:
    """Parse JSON; duplicate keys, huge integers and deep nesting are clear errors."""
    try:
        return json.loads(text, object_pairs_hook=_json_object, parse_int=_json_int)
    except json.JSONDecodeError as exc:
        raise ctx.error(f"invalid JSON: {exc.msg}", exc.lineno, None) from None
    except _DuplicateKeyError as exc:
        raise _duplicate_key(ctx, text, exc.args[0]) from None
    except RecursionError:
        raise ctx.error(f"nested more than {MAX_NESTING} levels deep", None, None) from None
    except ValueError as exc:
        digits = exc.args[1] if len(exc.args) > 1 else None
        where = text.find(digits) if digits else -1
        line = text.count("\n", 0, where) + 1 if where >= 0 else None
        raise ctx.error(f"invalid JSON: {exc.args[0]}", line, None) from None


def _feature(ctx: _Ctx, feat: Any, i: int, fline: int | None) -> _Map:
    """One GeoJSON Feature as an incident record (its geometry becomes the impact)."""
    if not isinstance(feat, dict) or feat.get("type") != "Feature":
        raise ctx.error("expected a Feature", fline, f"features[{i}]")
    props = feat.get("properties") or _lined({}, fline)
    if not isinstance(props, dict):
        raise ctx.error("'properties' must be an object", fline, f"features[{i}].properties")
    if not isinstance(props, _Map):
        props = _lined(props, fline)
    rec = _Map(props)
    rec.line = props.line or fline
    rec.key_lines = dict(getattr(props, "key_lines", {}))
    geom = feat.get("geometry")
    if geom is None:
        return rec
    gline = feat.line_of("geometry") if isinstance(feat, _Map) else fline
    if "impact" in rec:
        raise ctx.error(
            "give the impact as the geometry or as properties.impact, not both",
            rec.line_of("impact"),
            f"features[{i}].impact",
        )
    gtype = geom.get("type") if isinstance(geom, dict) else None
    coords = geom.get("coordinates") if isinstance(geom, dict) else None
    points = [coords] if gtype == "Point" else coords if gtype == "MultiPoint" else None
    if not isinstance(points, list) or not all(
        isinstance(p, list) and len(p) in (2, 3) for p in points
    ):
        raise ctx.error(
            "geometry must be a Point or MultiPoint [lon, lat]", gline, f"features[{i}].geometry"
        )
    shared = {
        k: rec.pop(k) for k in ("precision_m", "geo_precision", "label", "country") if k in rec
    }
    dist = {_DISTANCE_COLUMNS[k]: rec.pop(k) for k in _DISTANCE_COLUMNS if k in rec}
    if len(dist) == 1 and isinstance(dist.get("km"), dict):
        shared["reported_distance_km"] = dist["km"]  # the YAML form
    elif dist:
        shared["reported_distance_km"] = dist
    impacts = [_lined({"lon": p[0], "lat": p[1], **shared}, gline) for p in points]
    rec["impact"] = _lined(impacts, gline)
    rec.key_lines["impact"] = gline
    return rec


def _csv_records(ctx: _Ctx, lines: Iterable[str]) -> Iterator[tuple[int, _Map]]:
    """(line, record) for every row of a CSV (one incident a row), in file order.

    ``lines`` is the text line by line *with* its line ends (a file opened with
    ``newline=""``, or ``io.StringIO(text, newline="")``), so that a quoted
    field keeps its line breaks; a record's line is the one its row starts on.
    A row with more values than the header is reported and skipped; past
    :data:`MAX_INCIDENTS` rows, or on a broken CSV (such as a quote never
    closed), a :class:`LayerError` is raised.
    """
    reader = csv.reader(lines, strict=True)
    try:
        fieldnames = next(reader, None)
        _csv_header(ctx, fieldnames)
    except csv.Error as exc:
        raise ctx.error(f"cannot read CSV: {_csv_reason(exc)}", 1, None) from None
    assert fieldnames is not None
    width = len(fieldnames)
    count = 0
    while True:
        line = reader.line_num + 1  # the line this row starts on
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise ctx.error(f"cannot read CSV: {_csv_reason(exc)}", line, None) from None
        if not values:
            continue  # a blank line
        if len(values) > width:
            ctx.report(ctx.error("row has more values than the header", line, None))
            continue
        if count >= MAX_INCIDENTS:
            raise ctx.error(
                f"more than {MAX_INCIDENTS:,} rows",
                line,
                None,
                "split the file into several layers",
            )
        count += 1
        yield line, _csv_row(dict(zip(fieldnames, values, strict=False)), line)


def _parquet_records(ctx: _Ctx, source: Any) -> Iterator[tuple[int, _Map]]:
    """(row, record) for every row of a GeoParquet layer (a ``ParquetLayer``), in order."""
    for count, (row, values) in enumerate(source.rows()):
        if count >= MAX_INCIDENTS:
            raise ctx.error(
                f"more than {MAX_INCIDENTS:,} rows", row, None, "split the file into several layers"
            )
        yield row, _csv_row(values, row)


def _parquet_doc(ctx: _Ctx, path: Path) -> _Map:
    """Turn a GeoParquet layer (file or folder of parts) into the structure of a YAML layer."""
    from bordermap.io._parquet_layer import ParquetLayer

    if not path.is_dir():
        _file_size(path)
    doc = _lined({"title": path.stem if path.is_file() else path.name}, 1)
    doc["incidents"] = _csv_seq(_parquet_records(ctx, ParquetLayer(path)))
    doc.key_lines["incidents"] = 1
    return doc


def _csv_doc(ctx: _Ctx, path: Path, text: str) -> _Map:
    """Turn a CSV (one incident a row) into the same structure as a YAML layer."""
    # a StringIO, not text.splitlines(): a quoted field keeps its line breaks
    incidents = _csv_seq(_csv_records(ctx, io.StringIO(text, newline="")))
    doc = _lined({"title": path.stem}, 1)
    doc["incidents"] = incidents
    doc.key_lines["incidents"] = 1
    return doc


def _csv_seq(records: Iterable[tuple[int, _Map]]) -> _Seq:
    """The records as the ``incidents`` list of a layer doc."""
    incidents = _Seq()
    incidents.line = 2
    incidents.item_lines = []
    for line, rec in records:
        incidents.append(rec)
        incidents.item_lines.append(line)
    return incidents


def _geojson_doc(ctx: _Ctx, path: Path, text: str, *, with_lines: bool = False) -> _Map:
    """Turn a GeoJSON FeatureCollection (Point/MultiPoint impacts) into a layer doc.

    The fast path parses with :mod:`json` (no line numbers); ``with_lines`` re-reads the
    text with the line-recording YAML loader (JSON is YAML), used to locate an error.
    """
    data = _read_json(ctx, text)
    doc = None
    if with_lines:
        try:
            doc = load_yaml(text, path=ctx.path)
        except LayerError:
            doc = None
    if doc is None:
        try:
            doc = _lined(data, None)
        except ValueError as exc:
            raise ctx.error(str(exc), None, None) from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise ctx.error("expected a GeoJSON FeatureCollection", 1, "type")
    feats = doc.get("features")
    if not isinstance(feats, list):
        raise ctx.error("'features' must be a list", doc.line_of("features"), "features")
    feats = _as_list(feats, doc.line_of("features"))
    incidents = _Seq()
    incidents.line = feats.line
    incidents.item_lines = []
    for i, feat in enumerate(feats):
        rec = ctx.attempt(_feature, ctx, feat, i, feats.line_of(i))
        if rec is not None:
            incidents.append(rec)
            incidents.item_lines.append(rec.line)
    ctx.done(0)
    out = _Map()
    out.line = 1
    out.key_lines = {}
    for key in ("name", "title", "description", "sources"):
        if key in doc:
            out[key] = doc[key]
            out.key_lines[key] = doc.line_of(key)
    out.setdefault("title", path.stem)
    out["incidents"] = incidents
    out.key_lines["incidents"] = feats.line
    return out


def load_layer(
    path: str | Path, *, gazetteer: Gazetteer | None = None, format: str | None = None
) -> Layer:
    """Read and validate one incident layer (``.yaml``/``.yml``, ``.csv``, ``.geojson``,
    ``.parquet``: GeoParquet, a file or a folder of parts).

    A CSV in the column layout of an event dataset (ACLED, UCDP GED) is read
    as one: see :mod:`bordermap.io.acled` and :mod:`bordermap.io.ucdp`.

    Parameters
    ----------
    path : str or Path
        The layer file.
    gazetteer : object with ``geocode(name, country=None)``, optional
        Resolves ``place:`` names; defaults to :mod:`bordermap.gazetteer`.
    format : {"acled", "ucdp", "layer", "csv", "yaml", "geojson"}, optional
        ``"acled"``/``"ucdp"`` read the file (any name) in that dataset's
        layout; ``"layer"`` (or ``"csv"``, ``"yaml"``, ``"geojson"``) reads it
        as a bordermap layer by its extension, without detection (the CLI's
        ``--input-format``).  By default a ``.csv``
        file's layout is detected from its header.

    Returns
    -------
    Layer

    Raises
    ------
    LayerError
        Listing every problem of the file (``exc.problems``); its ``line`` and
        ``field`` are those of the first.

    Warns
    -----
    LayerWarning
        For each likely mistake that does not stop the layer loading, such as a
        point whose lon and lat look swapped.

    Examples
    --------
    >>> from pathlib import Path
    >>> p = Path(__file__).resolve().parents[3] / "layers" / "iran-pakistan-2024.yaml"
    >>> if p.exists():
    ...     layer = load_layer(p)
    ...     print(layer.get("ir-strike-koh-e-sabz-2024-01-16").kind)
    ... else:
    ...     print("missile and drone strike")
    missile and drone strike
    """
    layer, ctx = _validate(Path(path), gazetteer, format)
    exc = ctx.exception()
    if exc is not None or layer is None:
        raise exc or ctx.error("the layer could not be read", None, None)
    for problem in ctx.problems:
        warnings.warn(str(problem), LayerWarning, stacklevel=2)
    return layer


def _read_text(path: Path) -> str:
    """The file's text (UTF-8, a leading BOM dropped); LayerError if it cannot be read."""
    _file_size(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise LayerError(f"not UTF-8 text ({exc.reason})", path=str(path)) from None
    except OSError as exc:
        raise LayerError(f"cannot read layer: {exc.strerror}", path=str(path)) from None
    return text.removeprefix("\ufeff")


def _file_size(path: Path) -> int:
    """The size of a layer file in bytes; LayerError if missing, unreadable or over the limit."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise LayerError("no such layer file", path=str(path)) from None
    except OSError as exc:
        raise LayerError(f"cannot read layer: {exc.strerror}", path=str(path)) from None
    if size > MAX_FILE_BYTES:
        raise LayerError(
            f"file is {size / 1e6:.0f} MB, over the limit for a layer "
            f"({MAX_FILE_BYTES / 1e6:.0f} MB)",
            path=str(path),
            suggestion="split it into several layers",
        )
    return size


def _validate(
    path: Path, gazetteer: Gazetteer | None, format: str | None = None
) -> tuple[Layer | None, _Ctx]:
    """Read and validate a layer; every problem is in the returned context.

    A layer is hundreds of thousands of small, acyclic containers: the cyclic
    garbage collector is paused while they are built (a third of the time on a
    large CSV otherwise goes into collections that can free nothing).
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        # event datasets (ACLED, UCDP GED) in their own layouts: bordermap.io._datasets
        from bordermap.io._datasets import validate_dataset

        dataset = validate_dataset(path, format)
        if dataset is not None:
            return dataset
        return _validate_file(path, gazetteer)
    finally:
        if paused:
            gc.enable()


def _validate_file(path: Path, gazetteer: Gazetteer | None) -> tuple[Layer | None, _Ctx]:
    from bordermap.io._parquet_layer import is_parquet

    ctx = _Ctx(str(path))
    gaz = _gazetteer_getter(gazetteer, [])
    try:
        if is_parquet(path):
            from bordermap.incidents.table import read_parquet_table

            if (layer := read_parquet_table(path)) is not None:  # column by column
                return layer, ctx
            return _build_layer(ctx, _parquet_doc(ctx, path), path, gaz), ctx
        text = _read_text(path)
        suffix = path.suffix.lower()
        if suffix in (".yaml", ".yml"):
            doc = _read_yaml(path, text)
        elif suffix == ".csv":
            from bordermap.incidents.table import read_table_layer

            if (layer := read_table_layer(path, text)) is not None:  # column by column
                return layer, ctx
            doc = _csv_doc(ctx, path, text)
        elif suffix in (".geojson", ".json"):
            return _validate_geojson(path, text, gaz)
        else:
            raise LayerError(
                f"unknown layer format {shorten(suffix)}",
                path=str(path),
                suggestion="use .yaml, .csv, .geojson or .parquet",
            )
        if doc is None:
            raise ctx.error("the layer file is empty", 1, None)
        return _build_layer(ctx, doc, path, gaz), ctx
    except _InvalidRecordError:
        return None, ctx
    except LayerError as exc:
        ctx.report(exc)
        return None, ctx


def _validate_geojson(
    path: Path, text: str, gaz: Callable[[], Gazetteer]
) -> tuple[Layer | None, _Ctx]:
    """GeoJSON is read fast without line numbers, and again with them to place problems."""
    ctx = _Ctx(str(path))
    try:
        layer = _build_layer(ctx, _geojson_doc(ctx, path, text), path, gaz)
    except _InvalidRecordError:
        layer = None
    except LayerError as exc:
        ctx.report(exc)
        layer = None
    if all(p.line is not None for p in ctx.problems):
        return layer, ctx
    lined = _Ctx(str(path))
    try:
        _build_layer(lined, _geojson_doc(lined, path, text, with_lines=True), path, gaz)
    except _InvalidRecordError:
        pass
    except LayerError as exc:
        lined.report(exc)
    return (layer, lined) if lined.problems else (layer, ctx)


def check_layer(
    path: str | Path, *, gazetteer: Gazetteer | None = None, format: str | None = None
) -> list[Problem]:
    """Every problem of one layer file, errors and warnings, without raising.

    Parameters
    ----------
    path : str or Path
        The layer file.
    gazetteer : object with ``geocode(name, country=None)``, optional
        Resolves ``place:`` names; defaults to :mod:`bordermap.gazetteer`.
    format : str, optional
        The layout, as for :func:`load_layer`.

    Returns
    -------
    list of Problem
        In file order; ``problem.severity`` is ``"error"`` or ``"warning"`` and
        ``str(problem)`` is ``file:line: field: message``.  Empty for a clean layer.

    Examples
    --------
    >>> [str(p) for p in check_layer("missing.yaml")]
    ['missing.yaml: no such layer file']
    """
    _, ctx = _validate(Path(path), gazetteer, format)
    return sorted(ctx.problems, key=lambda p: (p.line is None, p.line or 0))


class _MemoGazetteer:
    """Wraps a gazetteer so that a name repeated in a layer is looked up once, and
    remembers which names were fuzzy matches (when the gazetteer says so: bordermap's
    own has ``geocode_result`` or ``resolve_result``)."""

    def __init__(self, inner: Gazetteer) -> None:
        self.inner = inner
        self.memo: dict[tuple[str, str | None], Any] = {}
        self.fuzzy: dict[tuple[str, str | None], Any] = {}

    def geocode(self, name: str, country: str | None = None) -> Any:
        key = (name, country)
        if key not in self.memo:
            result = getattr(self.inner, "geocode_result", None) or getattr(
                self.inner, "resolve_result", None
            )
            if result is None:
                self.memo[key] = self.inner.geocode(name, country=country)
            else:
                r = result(name, country=country)
                self.memo[key] = r.place
                self.fuzzy[key] = next(
                    (c for c in r.candidates if c.place == r.place and c.match == "fuzzy"), None
                )
        return self.memo[key]

    def fuzzy_match(self, name: str, country: str | None = None) -> Any:
        """The candidate ``name`` resolved to when that was a fuzzy match, else None."""
        return self.fuzzy.get((name, country))


def _gazetteer_getter(
    gazetteer: Gazetteer | None, holder: list[Gazetteer]
) -> Callable[[], Gazetteer]:
    """A callable giving the gazetteer, opening the default one only when first needed."""

    def gaz() -> Gazetteer:
        if not holder:
            inner = gazetteer if gazetteer is not None else _default_gazetteer()
            holder.append(_MemoGazetteer(inner))
        return holder[0]

    return gaz


def load_layers(
    paths: Iterable[str | Path],
    *,
    gazetteer: Gazetteer | None = None,
    format: str | None = None,
) -> tuple[Layer, ...]:
    """Load several layers; an id used in two layers is an error naming both places.

    ``format`` names the layout of every file, as for :func:`load_layer`.

    Examples
    --------
    >>> load_layers([])
    ()
    """
    layers = tuple(load_layer(p, gazetteer=gazetteer, format=format) for p in paths)
    seen: dict[str, Incident] = {}
    problems: list[Problem] = []
    for layer in layers:
        for inc in layer.incidents:
            if inc.id in seen:
                first = seen[inc.id]
                problems.append(
                    Problem(
                        inc.path,
                        inc.line,
                        "id",
                        f"duplicate id {shorten(inc.id)}: first at {first.path}:{first.line}, "
                        f"again at {inc.path}:{inc.line}",
                        "error",
                        "ids must be unique across the layers shown together",
                    )
                )
            else:
                seen[inc.id] = inc
    if problems:
        first_p = problems[0]
        raise LayerError(
            first_p.message,
            path=first_p.path,
            line=first_p.line,
            field=first_p.field,
            suggestion=first_p.suggestion,
            problems=problems[:MAX_PROBLEMS],
        )
    return layers
