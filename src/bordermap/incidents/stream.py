"""Reading a layer a chunk at a time: :func:`iter_layer`.

A CSV layer is read, validated and handed out ``rows`` incidents at a time, so
that memory does not grow with the file: only a hash of every id is kept (to
find an id used twice anywhere in the file).  Every problem is still reported
with its line and field, exactly as :func:`~bordermap.incidents.load_layer`
reports it; as the file is read once, the :class:`~bordermap.errors.LayerError`
listing them is raised when the iteration reaches the end of the file (a
consumer must therefore not publish what it made of earlier chunks until the
iteration has finished: :func:`bordermap.io.export_layers` writes to temporary
files).  YAML and GeoJSON layers, bounded by their size limits, come as one chunk.
"""

from __future__ import annotations

import contextlib
import gc
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bordermap.errors import LayerError, LayerWarning, Problem, shorten
from bordermap.incidents.fields import _Ctx, _InvalidRecordError
from bordermap.incidents.model import STOP_AFTER_ERRORS, Gazetteer, Incident, Layer

if TYPE_CHECKING:  # pragma: no cover
    import geopandas

__all__ = ["LayerStream", "iter_layer"]

#: Incidents per chunk by default: about 100 MB of validated incidents and their table.
CHUNK_ROWS = 50_000

#: Rows parsed and validated at a time within a chunk.
_BATCH = 5_000


class LayerStream:
    """A layer read a chunk at a time (see :func:`iter_layer`); iterate it once.

    Attributes
    ----------
    name, title, description, path : str
        As on :class:`~bordermap.incidents.Layer`, known before the first chunk.
    sources : tuple of Source
        The layer-level sources (none in a CSV layer).
    rows_read : int
        Incidents handed out so far.
    bytes_read, total_bytes : int
        How far into the file the reader is, for a progress bar.
    """

    def __init__(
        self, path: Path, rows: int, gazetteer: Gazetteer | None, format: str | None = None
    ) -> None:
        self.path = str(path)
        self._path = path
        self._rows = rows
        self._gazetteer = gazetteer
        self.rows_read = 0
        self.bytes_read = 0
        self.total_bytes = _size(path) if not path.is_dir() else 0
        self._layer: Layer | None = None
        self._used = False
        self._parquet = _parquet(path)
        if self._parquet is not None:
            self.total_bytes = self._parquet.total_bytes
        if self._parquet is not None or (
            path.suffix.lower() == ".csv" and _csv_layout(path, format) is None
        ):
            self.name = self.title = path.stem if path.is_file() else path.name
            self.description: str | None = None
            self.sources: tuple[Any, ...] = ()
        else:
            from bordermap.incidents.readers import load_layer

            self._layer = load_layer(path, gazetteer=gazetteer, format=format)
            self.name = self._layer.name
            self.title = self._layer.title
            self.description = self._layer.description
            self.sources = self._layer.sources

    def __iter__(self) -> Iterator[tuple[Incident, ...]]:
        """Chunks of validated incidents (at least one chunk, possibly empty)."""
        if self._used:
            raise RuntimeError(f"layer stream {self.path} was already read")
        self._used = True
        if self._layer is not None:
            self.rows_read = len(self._layer.incidents)
            self.bytes_read = self.total_bytes
            yield self._layer.incidents
            return
        yield from _csv_chunks(self)

    def geodataframes(self) -> Iterator[geopandas.GeoDataFrame]:
        """Each chunk as :func:`~bordermap.incidents.incidents_to_geodataframe` makes it."""
        from bordermap.incidents.frame import incidents_to_geodataframe

        for chunk in self:
            yield incidents_to_geodataframe(chunk, layer=self.name)

    def __repr__(self) -> str:
        return f"LayerStream({self.path!r}, rows={self._rows})"


def iter_layer(
    path: str | Path,
    *,
    rows: int = CHUNK_ROWS,
    gazetteer: Gazetteer | None = None,
    format: str | None = None,
) -> LayerStream:
    """Read and validate a layer a chunk of ``rows`` incidents at a time.

    Parameters
    ----------
    path : str or Path
        The layer file; a CSV or GeoParquet (file, or folder of parts) is
        streamed, YAML and GeoJSON come as one chunk.
    rows : int
        Incidents per chunk.
    gazetteer : object with ``geocode(name, country=None)``, optional
        Resolves ``place:`` names; defaults to :mod:`bordermap.gazetteer`.
    format : str, optional
        The layout, as for :func:`~bordermap.incidents.load_layer`: a CSV is
        streamed as a bordermap layer; ``"acled"`` or ``"ucdp"`` read it whole
        as that dataset (one chunk).

    Returns
    -------
    LayerStream
        Its ``name``, ``title`` and ``sources`` are known at once; iterating
        it gives tuples of :class:`~bordermap.incidents.Incident`.

    Raises
    ------
    LayerError
        The file cannot be opened (at once), or, once the last chunk was read,
        listing every problem of the file, as :func:`load_layer` does.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "few.csv"
    >>> rows = [f"e{i},Event {i},2024-01-0{i + 1},shelling,PAK,74.1,33.{i},500,Wire,Report,"
    ...         f"2024-01-09,https://example.org/{i}" for i in range(3)]
    >>> _ = p.write_text("id,title,date,kind,actor,lon,lat,precision_m,source_publisher,"
    ...                  "source_title,source_date,source_url\\n" + "\\n".join(rows) + "\\n")
    >>> stream = iter_layer(p, rows=2)
    >>> stream.name, [[inc.id for inc in chunk] for chunk in stream]
    ('few', [['e0', 'e1'], ['e2']])
    """
    if int(rows) < 1:
        raise ValueError("rows must be at least 1")
    return LayerStream(Path(path), int(rows), gazetteer, format)


def _csv_layout(path: Path, format: str | None) -> str | None:
    """The event dataset a CSV is (read whole), None for a bordermap layer (streamed);
    LayerError at once if its columns match no layout."""
    from bordermap.io._datasets import csv_layout

    return csv_layout(path, format)


def _parquet(path: Path) -> Any:
    """A GeoParquet layer opened and checked (LayerError at once), or None for other files."""
    from bordermap.io._parquet_layer import ParquetLayer, is_parquet

    return ParquetLayer(path) if is_parquet(path) else None


def _records(stream: LayerStream, ctx: _Ctx, stack: Any) -> Iterator[tuple[int, Any]]:
    """(line or row, record) for every row of a CSV or GeoParquet layer."""
    from bordermap.incidents.readers import _csv_records, _parquet_records

    if stream._parquet is None:
        fh = stack.enter_context(open(stream._path, "rb"))  # noqa: SIM115 - closed by the stack
        yield from _csv_records(ctx, _lines(stream, fh, ctx))
        return
    source = stream._parquet
    for item in _parquet_records(ctx, source):
        stream.bytes_read = source.bytes_read
        yield item


def _size(path: Path) -> int:
    from bordermap.incidents.readers import _file_size

    return _file_size(path)


def _lines(stream: LayerStream, fh: Any, ctx: _Ctx) -> Iterator[str]:
    """The file's lines as text with their ends (a leading BOM dropped, CRLF read as LF),
    counting the bytes read."""
    for n, raw in enumerate(fh, 1):
        stream.bytes_read += len(raw)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ctx.error(f"not UTF-8 text ({exc.reason})", n, None) from None
        if text.endswith("\r\n"):  # as the whole-file reader's text mode reads it
            text = text[:-2] + "\n"
        yield text.removeprefix("\ufeff") if n == 1 else text


def _csv_chunks(stream: LayerStream) -> Iterator[tuple[Incident, ...]]:
    """Validated chunks of a CSV layer; the LayerError, if any, at the end."""
    import numpy as np

    from bordermap.incidents.readers import _gazetteer_getter

    ctx = _Ctx(stream.path)
    gaz = _gazetteer_getter(stream._gazetteer, [])
    hashes: list[Any] = []  # a hash of every id, to find ids used twice across chunks
    yielded = False
    try:
        with contextlib.ExitStack() as stack:
            records = _records(stream, ctx, stack)
            start = 0
            chunk: list[Incident] = []
            while True:
                # rows are parsed and validated a few thousand at a time: the raw
                # records weigh several times the incidents made of them
                batch = _take(records, min(stream._rows, _BATCH))
                if not batch and (yielded or ctx.errors or chunk):
                    break
                chunk.extend(_validate_chunk(ctx, stream, batch, start, gaz))
                start += len(batch)
                if ctx.distinct >= STOP_AFTER_ERRORS:  # the rest would fail alike
                    ctx.problems.append(Problem(  # listed past MAX_PROBLEMS too
                        stream.path, None, None, f"stopped reading after {ctx.distinct:,} "
                        f"errors in the first {start:,} rows", "note", "fix these and run again"))
                    break
                hashes.append(np.fromiter(_id_hashes(batch), "int64"))
                last = len(batch) < min(stream._rows, _BATCH)
                del batch
                if len(chunk) >= stream._rows or last:
                    out, chunk = tuple(chunk), []
                    if not ctx.errors:
                        stream.rows_read += len(out)
                        yielded = True
                        yield out
                    del out
                if last:
                    break
    except OSError as exc:
        ctx.report(ctx.error(f"cannot read layer: {exc.strerror}", None, None))
    except LayerError as exc:
        ctx.report(exc)
    if hashes:
        _duplicates(ctx, stream, np.concatenate(hashes))
    exc = ctx.exception()
    if exc is not None:
        raise exc
    for problem in ctx.problems:
        warnings.warn(str(problem), LayerWarning, stacklevel=3)


def _id_hashes(batch: list[Any]) -> Iterator[int]:
    for _, rec in batch:
        inc_id = rec.get("id")
        if isinstance(inc_id, str):
            yield hash(inc_id)


def _take(records: Iterator[Any], n: int) -> list[Any]:
    out = []
    for item in records:
        out.append(item)
        if len(out) >= n:
            break
    return out


def _validate_chunk(
    ctx: _Ctx, stream: LayerStream, batch: list[Any], start: int, gaz: Any
) -> tuple[Incident, ...]:
    """One chunk through the validation every reader shares (with the GC paused)."""
    from bordermap._yaml import lined
    from bordermap.incidents.readers import _csv_seq
    from bordermap.incidents.records import _build_layer

    doc = lined({"title": stream.title}, 1)
    doc["incidents"] = _csv_seq(batch)
    doc.key_lines["incidents"] = 1
    paused = gc.isenabled()
    gc.disable()
    try:
        layer = _build_layer(ctx, doc, stream._path, gaz, start=start)
    except _InvalidRecordError:
        layer = None
    finally:
        ctx.coords.clear()  # checked for this chunk; keep memory flat
        ctx.explicit.clear()
        if paused:
            gc.enable()
    return layer.incidents if layer is not None else ()


def _duplicates(ctx: _Ctx, stream: LayerStream, hashes: Any) -> None:
    """Report every id used twice (found by hash, confirmed by a second pass over the ids)."""
    import numpy as np

    order = np.sort(hashes)
    repeated = set(order[1:][order[1:] == order[:-1]].tolist())
    if not repeated:
        return
    first: dict[str, int] = {}
    check = _Ctx(stream.path)
    if stream._parquet is not None:
        stream._parquet = _parquet(stream._path)  # read again from the start
    with contextlib.ExitStack() as stack:
        for i, (line, rec) in enumerate(_records(stream, check, stack)):
            inc_id = rec.get("id")
            if not isinstance(inc_id, str) or hash(inc_id) not in repeated:
                continue
            if inc_id in first:
                ctx.report(
                    ctx.error(
                        f"duplicate id {shorten(inc_id)}: first at {ctx.path}:{first[inc_id]}, "
                        f"again at {ctx.path}:{line}",
                        line,
                        f"incidents[{i}].id",
                        "ids must be unique",
                    )
                )
            else:
                first[inc_id] = line
