"""``bordermap geocode --csv IN --column NAME -o OUT``: a CSV file through the batch geocoder.

The file is read twice, a chunk of rows at a time (memory stays flat): first
every distinct name is looked up once (:class:`bordermap.gazetteer.BatchGeocoder`),
then the rows are written with the columns of :data:`bordermap.gazetteer.batch.COLUMNS`
added, judged in the context of the whole file (a fuzzy match is taken only
when a hint or the other rows' countries corroborate it).  Every input column
and the row order are kept; the output is written to a temporary file and
renamed into place only when the whole input was read, so a failure leaves
nothing half-written.  Standard input (``-``) is spooled to a temporary file
first; ``-o -`` copies the finished table to standard output.

Single names given to other commands (``distance``, ``pair``) go through
:func:`resolve_name`, which refuses a weak fuzzy match and warns about any
fuzzy match it takes.
"""

from __future__ import annotations

import csv
import logging
import math
import shutil
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from bordermap.errors import BordermapError, UnknownPlaceError, shorten

log = logging.getLogger("bordermap")

#: Rows read, looked up and written at a time.
CHUNK_ROWS = 20_000


class _Input:
    """A CSV file read a chunk of rows at a time; every problem is one error naming
    the file (``shown``), the line a row starts on and, where it applies, the column."""

    def __init__(self, path: Path, shown: str) -> None:
        self.path = path
        self.shown = shown
        self.total_bytes = path.stat().st_size
        self.bytes_read = 0
        self.header = self._header()

    def error(self, message: str, line: int | None, field: str | None = None,
              suggestion: str | None = None) -> BordermapError:
        return BordermapError(message, path=self.shown, line=line, field=field,
                              suggestion=suggestion)

    def _lines(self, fh: Any) -> Iterator[str]:
        for n, raw in enumerate(fh, 1):
            self.bytes_read += len(raw)
            if b"\x00" in raw:
                raise self.error("binary data (a NUL byte), not CSV text", n, None,
                                 "give a CSV file saved as text (CSV UTF-8)")
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise self.error(f"not UTF-8 text ({exc.reason})", n, None,
                                 "save the file as CSV UTF-8") from None
            yield text.removeprefix("\ufeff") if n == 1 else text

    def _reader(self, fh: Any) -> Any:
        return csv.reader(self._lines(fh), strict=True)

    def _open(self) -> Any:
        try:
            return open(self.path, "rb")
        except OSError as exc:
            raise self.error(f"cannot read: {exc.strerror}", None) from None

    def _next(self, reader: Any) -> list[str] | None:
        line = reader.line_num + 1
        try:
            return next(reader)
        except StopIteration:
            return None
        except csv.Error as exc:
            text = str(exc)
            if "unexpected end of data" in text:
                text = "a quoted field is never closed (a '\"' is missing)"
            elif "field limit" in text:
                text = f"a field is longer than {csv.field_size_limit():,} characters"
            else:
                text = shorten(text, 200)
            raise self.error(f"cannot read CSV: {text}", line) from None

    def _header(self) -> list[str]:
        with self._open() as fh:
            header = self._next(self._reader(fh))
        if not header or not any(c.strip() for c in header):
            raise self.error("empty file: no header line", 1, None,
                             "the first line names the columns, e.g. id,place")
        seen: dict[str, int] = {}
        for k, name in enumerate(header, 1):
            if name in seen:
                raise self.error(f"column {shorten(name)} appears twice (columns {seen[name]} "
                                 f"and {k})", 1, name[:80], "rename one of them")
            seen[name] = k
        return header

    def chunks(self, bar: Any, rows: int = CHUNK_ROWS) -> Iterator[list[list[str]]]:
        """Lists of up to ``rows`` rows (each as many values as the header)."""
        width = len(self.header)
        self.bytes_read = 0
        done = 0
        with self._open() as fh:
            reader = self._reader(fh)
            self._next(reader)  # the header
            chunk: list[list[str]] = []
            while True:
                line = reader.line_num + 1
                row = self._next(reader)
                if row is None:
                    break
                if not row:
                    continue  # a blank line
                if len(row) != width:
                    raise self.error(f"row has {len(row)} values, the header {width}", line,
                                     None, "quote values that contain commas")
                chunk.append(row)
                if len(chunk) >= rows:
                    done += len(chunk)
                    bar.update(self.bytes_read, self.total_bytes, done)
                    yield chunk
                    chunk = []
            done += len(chunk)
            bar.update(self.bytes_read, self.total_bytes, done)
            yield chunk


def _column(inp: _Input, name: str, what: str) -> int:
    """The index of a column (exact name, else the name with spaces trimmed)."""
    from bordermap.gazetteer.batch import check_column

    if name in inp.header:
        return inp.header.index(name)
    stripped = [c.strip() for c in inp.header]
    if name.strip() in stripped:
        return stripped.index(name.strip())
    try:
        check_column(inp.header, name, what)
    except BordermapError as exc:
        raise inp.error(exc.message, 1, exc.field, exc.suggestion) from None
    raise AssertionError("unreachable")  # pragma: no cover


def _cell(value: Any) -> str:
    from bordermap.io._escape import spreadsheet_cell

    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)
    if isinstance(value, int):
        return str(value)
    return spreadsheet_cell(value) if value else ""


def _source(src: str, tmp: Path) -> tuple[Path, str]:
    """The file to read and the name errors give it (``<stdin>`` for ``-``)."""
    if src == "-":
        stream = sys.stdin.buffer if sys.stdin is not None else None
        if stream is None or sys.stdin.isatty():
            raise BordermapError("'--csv -' reads standard input, but nothing is piped in",
                                 suggestion="e.g. cat places.csv | bordermap geocode --csv - "
                                 "--column place -o -")
        path = tmp / "stdin.csv"
        with open(path, "wb") as out:
            shutil.copyfileobj(stream, out, 1 << 20)
        return path, "<stdin>"
    path = Path(src)
    if path.is_dir():
        raise BordermapError("is a folder, not a CSV file", path=src)
    if not path.exists():
        raise BordermapError("no such file", path=src)
    return path, src


def geocode_csv(
    src: str,
    output: str,
    column: str,
    *,
    country_column: str | None = None,
    country: str | None = None,
    prefix: str = "",
) -> dict[str, Any]:
    """Geocode the column ``column`` of the CSV ``src`` into ``output`` (``-``: stdio).

    Returns a summary: rows, distinct look-ups, counts by status, seconds, rows/s.
    """
    from bordermap._cli_runtime import copy_to_stdout, scratch_dir
    from bordermap.gazetteer.batch import STATUSES, BatchGeocoder, output_columns
    from bordermap.io._files import atomic_write, check_target
    from bordermap.io._progress import progress

    started = time.perf_counter()
    with scratch_dir() as tmp:
        path, shown = _source(src, tmp)
        inp = _Input(path, shown)
        name_at = _column(inp, column, "column")
        cc_at = None if country_column is None else _column(inp, country_column,
                                                           "country column")
        try:
            added = output_columns(inp.header, prefix)
        except BordermapError as exc:
            raise inp.error(exc.message, 1, exc.field, exc.suggestion) from None
        geo = BatchGeocoder()
        country = None if country is None else _check_hint(country)
        with progress("geocode: looking up") as bar:
            for chunk in inp.chunks(bar):
                geo.lookup_all([r[name_at] for r in chunk], _hints(chunk, cc_at, country))
        context = geo.context()
        counts = dict.fromkeys(STATUSES, 0)
        target = tmp / "out.csv" if output == "-" else check_target(output)
        with atomic_write(target) as out, open(out, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            # the file is read in a spreadsheet too: every text cell is neutralised
            writer.writerow([*map(_cell, inp.header), *added])
            with progress("geocode: writing") as bar:
                for chunk in inp.chunks(bar):
                    rows = geo.annotate([r[name_at] for r in chunk],
                                        _hints(chunk, cc_at, country), context)
                    for values, extra in zip(chunk, rows, strict=True):
                        counts[extra[3]] += 1
                        writer.writerow([*map(_cell, values), *map(_cell, extra)])
        if output == "-":
            copy_to_stdout(target)
    seconds = time.perf_counter() - started
    total = sum(counts.values())
    return {"input": shown, "output": output, "rows": total, "distinct": len(geo.cache),
            "counts": counts, "seconds": round(seconds, 3),
            "rows_per_s": round(total / seconds) if seconds > 0 else None}


def csv_mode(name: str | None, csv_in: str | None, *options: Any) -> bool:
    """Whether ``geocode`` runs on a CSV file; a usage error for options that do not fit."""
    column, country_column, output, prefix, as_json, country = options

    from bordermap._cli_runtime import STDIO, CliUsageError

    def refuse(why: str) -> CliUsageError:
        return CliUsageError(why, "bordermap geocode")

    if csv_in is None:
        given = [o for o, v in (("--column", column), ("--country-column", country_column),
                                ("-o", output), ("--prefix", prefix)) if v]
        if given:
            raise refuse(f"{given[0]} goes with --csv FILE")
        if name is None:
            raise refuse("missing argument 'NAME' (or --csv FILE --column COLUMN -o OUT)")
        return False
    if name is not None:
        raise refuse(f"give a NAME or --csv FILE, not both (got NAME {name!r})")
    if not column:
        raise refuse("--csv needs --column COLUMN: the column of place names")
    if not output:
        raise refuse("--csv needs -o OUT (- for standard output)")
    if output == STDIO and as_json:
        raise refuse("--json and -o - would both write to standard output")
    if country is not None:
        try:
            _check_hint(country)
        except BordermapError as exc:
            raise refuse(f"--country: {exc.message} ({exc.suggestion})") from None
    return True


def run_csv(csv_in: Any, output: Any, column: Any, country_column: str | None,
            country: str | None, prefix: str, as_json: bool) -> None:
    """``geocode --csv``: geocode the file, then say what was done (stderr with ``-o -``)."""
    import json

    import typer

    s = geocode_csv(csv_in, output, column, country_column=country_column, country=country,
                    prefix=prefix)
    if as_json:
        typer.echo(json.dumps(s, ensure_ascii=False, indent=2))
        return
    for line in summary_lines(s):
        if output == "-":
            log.info(line)
        else:
            typer.echo(line)


def _hints(chunk: list[list[str]], at: int | None, default: str | None) -> list[Any] | None:
    if at is None:
        return None if default is None else [default] * len(chunk)
    if default is None:
        return [r[at] for r in chunk]
    return [r[at] if r[at].strip() else default for r in chunk]


def _check_hint(country: str) -> str:
    """The ISO-3 code of ``--country`` (a code or a country's name); an error if none."""
    from bordermap.gazetteer import country_codes
    from bordermap.gazetteer.batch import country_hint

    cc = country_hint(country)
    if cc is None or cc not in country_codes():
        raise BordermapError(f"unknown country {shorten(country)}",
                             suggestion="give an ISO-3 code such as THA, or a country's name")
    return cc


def summary_lines(s: dict[str, Any]) -> list[str]:
    """What ``geocode --csv`` reports when it is done."""
    counts = ", ".join(f"{n:,} {k}" for k, n in s["counts"].items() if n)
    rate = f", {s['rows_per_s']:,} rows/s" if s["rows_per_s"] else ""
    where = "standard output" if s["output"] == "-" else s["output"]
    return [
        f"geocoded {s['rows']:,} rows ({s['distinct']:,} distinct names): {counts or 'none'}",
        f"wrote {where} in {s['seconds']:.2f} s{rate}",
    ]


# --- single names on the command line ------------------------------------------------------


def resolve_name(value: str, countries: Sequence[str] = ()) -> Any:
    """The place a name given on the command line resolves to, judged against ``countries``
    (the frontier's, the other place's): a weak fuzzy match is an error suggesting it, and
    any fuzzy match that is taken is a warning line."""
    from bordermap.gazetteer import geocode_result, weak_reason

    r = geocode_result(value)
    cand = next((c for c in r.candidates if c.place == r.place), None)
    if cand is None or cand.match != "fuzzy":
        return r.place
    p = r.place
    why = weak_reason(cand, countries)
    if why is not None:
        raise UnknownPlaceError(
            value,
            (f"{p.name} ({p.country})",),
            suggestion=f"the nearest is {p.name} ({p.country}), {why}: not taken; "
            "write the name as the gazetteer has it, or give LON,LAT",
        )
    log.warning("%r is not a known name: taking %s (%s), a fuzzy match (score %.0f)",
                value, p.name, p.country, cand.score)
    return p


def resolve_pair(a: str, b: str, countries: Sequence[str] = ()) -> tuple[Any, Any]:
    """The two ends of ``pair``: "LON,LAT" as they are, names through :func:`resolve_name`,
    each judged against the frontiers' ``countries`` and the other end's country."""
    from bordermap._cli_text import _literal_lonlat
    from bordermap.gazetteer import geocode_result

    def exact_country(value: str) -> list[str]:
        if _literal_lonlat(value) is not None:
            return []
        try:  # only a name resolved without fuzziness corroborates the other end
            r = geocode_result(value)
        except BordermapError:
            return []
        ok = any(c.place == r.place and c.match != "fuzzy" for c in r.candidates)
        return [r.place.country] if ok else []

    ends = []
    for value, other in ((a, b), (b, a)):
        if _literal_lonlat(value) is not None:
            ends.append(value)
        else:
            ends.append(resolve_name(value, [*countries, *exact_country(other)]))
    return ends[0], ends[1]
