"""The streaming export: layers read, analysed and written a chunk at a time.

:func:`bordermap.io.export_layers` takes this path for CSV layers (and
:class:`~bordermap.incidents.LayerStream` s): each chunk of validated incidents
(:func:`bordermap.incidents.iter_layer`) becomes its table, is analysed and is
appended to the format's streaming writer (``Format.stream``), together with
its claims and range rings; the frontiers and bands follow at the end.  Memory
is that of one chunk (plus 8 bytes per id, to find ids used twice), whatever the
size of the layer.  Every file goes to a temporary file renamed into place only
once everything was written and the whole layer validated: an error or Ctrl-C
half-way leaves the previous files as they were.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bordermap.errors import ExportError
from bordermap.io._files import check_name_length, safe_name, writing
from bordermap.io._meta import metadata
from bordermap.io._progress import progress
from bordermap.io._registry import Format
from bordermap.io._tables import ExportSummary, single_file

__all__ = ["stream_export"]


@dataclass
class _Whole:
    """A loaded :class:`~bordermap.incidents.Layer` seen as a stream of one chunk."""

    layer: Any
    bytes_read: int = 0
    total_bytes: int = 0
    rows_read: int = 0

    def __getattr__(self, key: str) -> Any:
        return getattr(self.layer, key)

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        self.rows_read = len(self.layer.incidents)
        yield self.layer.incidents


@dataclass
class _Chunk:
    """A chunk of a layer's incidents, as :func:`claims_table` wants a layer."""

    name: str
    incidents: tuple[Any, ...]


def _open(layer: Any, input_format: str | None = None) -> Any:
    from bordermap.incidents import Layer, LayerStream, iter_layer
    from bordermap.io._export import _load

    if isinstance(layer, LayerStream):
        return layer
    from bordermap.io._export import _streamed

    if not isinstance(layer, Layer) and _streamed(layer, input_format):
        return iter_layer(layer, format=input_format)
    return _Whole(_load(layer, input_format))


class _Sinks:
    """The streaming writers of one export, a file each, opened when first needed."""

    def __init__(self, fmt: Format, target: Path, files: Any) -> None:
        self.fmt = fmt
        self.target = target
        self.one_file = single_file(fmt, target)
        self.files = files
        self.open: dict[Path, Any] = {}
        self.counts: dict[str, int] = {}

    def put(self, table: str, gdf: Any) -> None:
        table = safe_name(table, what="table name")
        path = self.target if self.one_file else self.target / f"{table}{self.fmt.extension}"
        if path not in self.open:
            if not self.one_file:
                try:
                    self.target.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise ExportError(
                        f"cannot create the output folder: {exc.strerror or exc}",
                        path=str(self.target),
                    ) from None
            assert self.fmt.stream is not None
            self.open[path] = self.fmt.stream(self.files, path)
        self.open[path].append(table, gdf)
        self.counts[table] = self.counts.get(table, 0) + len(gdf)

    def finish(self, meta: dict[str, Any]) -> list[Path]:
        return [p for sink in self.open.values() for p in sink.finish(meta)]

    def close(self) -> None:
        for sink in self.open.values():
            sink.close()


def stream_export(
    layers: Sequence[Any],
    target: Path,
    fmt: Format,
    wanted: list[str] | None,
    *,
    frontier: Any,
    bands_km: Any,
    rings_km: Any,
    boundaries: Any,
    input_format: str | None = None,
) -> ExportSummary:
    """:func:`bordermap.io.export_layers` a chunk at a time (its arguments, checked)."""
    from bordermap.io._export import _bands_arg, _generated_names, _layer_names, _select

    streams = [_open(x, input_format) for x in layers]
    rings = _bands_arg(rings_km, "rings_km")
    names = _layer_names(streams, frontier, bool(rings))
    one_file = single_file(fmt, target)
    if not one_file:  # every file name must fit before the analysis runs
        longest = max(names, key=lambda n: len(os.fsencode(n)))
        for file_name in fmt.file_names(longest + ("-rings" if rings else "")):
            check_name_length(target / file_name)
    if wanted is not None:
        _select(
            dict.fromkeys([*names, *_generated_names(names, frontier, bool(rings))]), wanted, []
        )
        bands_km = bands_km if any(w.startswith("bands-") for w in wanted) else None
        rings = rings if any(w.endswith("-rings") for w in wanted) else []

    def want(table: str) -> bool:
        if wanted is not None:
            return table in wanted
        return table in names or not (one_file and not fmt.multi_table)

    with writing() as files, progress("export") as bar:
        sinks = _Sinks(fmt, target, files)
        try:
            used = _write_layers(sinks, streams, names, want, frontier, rings, boundaries, bar)
            _write_frontiers(sinks, used, want, _bands_arg(bands_km, "bands_km"), boundaries)
            if wanted is not None:  # a table asked for that turned out empty (no claims)
                _select(sinks.counts, [safe_name(w, what="table name") for w in wanted], [])
            meta = metadata(layers=streams, frontiers=list(used.values()), boundaries=boundaries)
            written = sinks.finish(meta)
        finally:
            sinks.close()
    return ExportSummary(fmt.name, tuple(str(f) for f in written), tuple(sinks.counts.items()))


def _write_layers(
    sinks: _Sinks,
    streams: Sequence[Any],
    names: Sequence[str],
    want: Any,
    frontier: Any,
    rings: list[float],
    boundaries: Any,
    bar: Any,
) -> dict[str, Any]:
    """Every layer, chunk by chunk: its incidents, their rings and claims; the frontiers used."""
    from bordermap.incidents import incidents_to_geodataframe
    from bordermap.io._export import CLAIMS, analysed

    used: dict[str, Any] = {}
    total = sum(s.total_bytes for s in streams)
    done = rows = 0
    for stream, name in zip(streams, names, strict=True):
        first = 0
        far = _Far(name)
        for chunk in stream:
            out = analysed(
                incidents_to_geodataframe(chunk, layer=stream.name), frontier, boundaries, used
            )
            far.add(out)
            if want(name):
                sinks.put(name, out)
            if rings and want(f"{name}-rings") and len(out):
                sinks.put(f"{name}-rings", _rings(out, rings, first))
            if want(CLAIMS):
                _put_claims(sinks, stream.name, chunk)
            first += len(out)
            bar.update(done + stream.bytes_read, total, rows + stream.rows_read)
            del chunk, out  # before the stream builds the next chunk
        far.report()
        done += stream.total_bytes
        rows += stream.rows_read
    return used


class _Far:
    """Points farther than FAR_FROM_FRONTIER_KM from their frontier, counted over chunks
    and reported once per layer (as :func:`bordermap.io._export._report_far` does)."""

    def __init__(self, name: str) -> None:
        self.name, self.n, self.total, self.ids = name, 0, 0, []

    def add(self, out: Any) -> None:
        from bordermap.frontiers import FAR_FROM_FRONTIER_KM

        self.total += len(out)
        if "distance_km" not in out.columns:
            return
        sel = out[out["distance_km"] > FAR_FROM_FRONTIER_KM]
        self.n += len(sel)
        for i in sel["id"]:
            if len(self.ids) < 5 and str(i) not in self.ids:
                self.ids.append(str(i))

    def report(self) -> None:
        import logging

        from bordermap.frontiers import FAR_FROM_FRONTIER_KM

        if not self.n:
            return
        ids = ", ".join(self.ids[:4]) + (" and more" if len(self.ids) > 4 else "")
        logging.getLogger("bordermap").warning(
            "%s: %d of %d points lie more than %g km from the frontier they are measured "
            "against (%s); give --frontier to measure against another",
            self.name, self.n, self.total, FAR_FROM_FRONTIER_KM, ids,
        )


def _put_claims(sinks: _Sinks, layer: str, chunk: tuple[Any, ...]) -> None:
    from bordermap.io._export import CLAIMS, claims_table

    figures = claims_table([_Chunk(layer, chunk)])
    if len(figures):
        sinks.put(CLAIMS, figures)


def _rings(out: Any, rings: list[float], first: int) -> Any:
    from bordermap.corridors import range_rings

    r = range_rings(out.geometry.x.to_numpy(), out.geometry.y.to_numpy(), rings)
    r.insert(1, "id", out["id"].to_numpy()[r["point"].to_numpy()])
    r["point"] = r["point"] + first
    return r


def _write_frontiers(
    sinks: _Sinks, used: dict[str, Any], want: Any, bands: list[float], boundaries: Any
) -> None:
    from bordermap.corridors import corridor_bands
    from bordermap.io._export import _frontier_table

    for fname, f in used.items():
        table = f"frontier-{safe_name(fname, what='frontier')}"
        if want(table):
            sinks.put(table, _frontier_table(f))
    for fname, f in used.items():
        table = f"bands-{safe_name(fname, what='frontier')}"
        if bands and want(table):
            b = corridor_bands(f, bands, boundaries=boundaries)
            b.insert(0, "frontier", f.name)
            b["side"] = b["side"].astype(object)
            sinks.put(table, b)
