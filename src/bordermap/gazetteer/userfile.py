"""User gazetteer files: the analyst's own places, merged into the index.

The files are indexed apart from the embedded places and merged at look-up
(:mod:`~bordermap.gazetteer.overlay`), so an edit re-indexes the file only.

A user gazetteer is a YAML or CSV file (told apart by its extension: ``.csv``
is CSV, anything else YAML) with the fields of the curated
``geodata/gazetteer.yaml``:

=============  ========  ==========================================================
field          required  meaning
=============  ========  ==========================================================
id             yes       unique id (not one of the embedded places' ids)
name           yes       preferred name
aliases        no        other names (YAML list; in CSV separated by ``;``)
kind           yes       one of :data:`~bordermap.gazetteer.KINDS`
country        yes       ISO-3 code
lon, lat       yes       WGS84 degrees
precision_m    yes [1]_  uncertainty radius in metres
area           no        WKT polygon (lon lat order) that contains lon/lat
admin          no        containing district or province
source         no        where the coordinate comes from (default: ``file:line``)
=============  ========  ==========================================================

.. [1] ``precision_m`` may be left out when ``area`` is given (the radius
   covering the polygon is used).

YAML files hold either a list of places or a mapping with a ``places`` list.
Every problem is one error ``file:line: field: message`` with a hint.

**Names shared with embedded places.**  A user place whose name or alias
matches exactly is returned *before* the embedded places of that name (the
file is an explicit statement of what the analyst means), and is never chosen
silently: every embedded place it shadows is reported, once per load, as a
warning naming the file and line, and the embedded places stay in the
candidates (``geocode --json``).  Two user places sharing a name are
ambiguous like any other pair.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bordermap.errors import BordermapError

__all__ = ["GazetteerFileError"]


class GazetteerFileError(BordermapError):
    """A user gazetteer file that cannot be used; ``str()`` is ``file:line: field: message``."""

    def __str__(self) -> str:
        where = self.path or "<input>"
        if self.line is not None:
            where += f":{self.line}"
        text = f"{where}: {self.field}: " if self.field else f"{where}: "
        text += self.message
        if self.suggestion:
            text += f" ({self.suggestion})"
        return text

#: Largest user gazetteer file read (bytes).
MAX_FILE_BYTES = 50_000_000
_FIELDS = ("id", "name", "aliases", "kind", "country", "lon", "lat", "precision_m", "area",
           "admin", "source")  # fmt: skip
_NUMERIC = ("lon", "lat", "precision_m")


def _read_text(path: Path) -> str:
    spath = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise GazetteerFileError(
                f"gazetteer file of {size:,} bytes is too large (limit {MAX_FILE_BYTES:,})",
                path=spath,
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise GazetteerFileError(
            "gazetteer file not found", path=spath, suggestion="check the --gazetteer path"
        ) from None
    except IsADirectoryError:
        raise GazetteerFileError("gazetteer file is a folder", path=spath,
                                 suggestion="give a YAML or CSV file") from None  # fmt: skip
    except OSError as exc:
        raise GazetteerFileError(f"cannot read gazetteer file: {exc.strerror or exc}",
                             path=spath) from None  # fmt: skip
    if b"\x00" in data:
        raise GazetteerFileError(
            "gazetteer file is binary, not text",
            path=spath,
            line=data[: data.index(b"\x00")].count(b"\n") + 1,
            suggestion="give a UTF-8 YAML or CSV file",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GazetteerFileError(
            f"gazetteer file is not UTF-8 text (byte {exc.start:,})",
            path=spath,
            line=data[: exc.start].count(b"\n") + 1,
            suggestion="save it as UTF-8",
        ) from None
    if not text.strip():
        raise GazetteerFileError(
            "gazetteer file is empty", path=spath, line=1,
            suggestion="one place per row: " + ",".join(_FIELDS),
        )  # fmt: skip
    return text


def _yaml_entries(path: Path, text: str) -> Iterable[tuple[Any, int, dict[str, int]]]:
    from bordermap import _yaml

    spath = str(path)
    data = _yaml.load(text, path=spath, error=GazetteerFileError)
    places = data.get("places") if isinstance(data, dict) else data
    if not isinstance(places, list):
        raise GazetteerFileError(
            "expected a list of places (or a mapping with a 'places' list)",
            path=spath,
            line=1,
            field="places",
            suggestion="see the example in 'bordermap geocode --help'",
        )
    if not places:
        raise GazetteerFileError("the gazetteer file lists no places", path=spath, line=1)
    for i, entry in enumerate(places):
        line = (places.line_of(i) if hasattr(places, "line_of") else None) or 1
        lines = {str(k): v for k, v in getattr(entry, "key_lines", {}).items()}
        yield entry, line, lines


def _number(value: str) -> Any:
    try:
        return float(value)
    except ValueError:
        return value  # left as text: the check names the field


def _csv_entries(path: Path, text: str) -> Iterable[tuple[Any, int, dict[str, int]]]:
    spath = str(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except (StopIteration, csv.Error) as exc:
        raise GazetteerFileError(f"cannot read the CSV header ({exc})", path=spath,
                                 line=1) from None  # fmt: skip
    unknown = [h for h in header if h not in _FIELDS]
    missing = [h for h in ("id", "name", "kind", "country", "lon", "lat") if h not in header]
    if missing or unknown or len(set(header)) != len(header):
        what = (f"missing column(s) {', '.join(missing)}" if missing else
                f"unknown column(s) {', '.join(map(repr, unknown))}" if unknown else
                "a column is repeated")  # fmt: skip
        raise GazetteerFileError(
            what, path=spath, line=1, field="header",
            suggestion="columns: " + ",".join(_FIELDS),
        )  # fmt: skip
    n = 0
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise GazetteerFileError(f"bad CSV ({exc})", path=spath, line=line) from None
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            raise GazetteerFileError(
                f"row has {len(row)} fields, the header {len(header)}",
                path=spath,
                line=line,
                suggestion="quote values that contain commas",
            )
        entry: dict[str, Any] = {}
        for key, raw in zip(header, row, strict=True):
            value = raw.strip()
            if value == "":
                continue
            if key == "aliases":
                entry[key] = [a.strip() for a in value.split(";") if a.strip()]
            else:
                entry[key] = _number(value) if key in _NUMERIC else value
        n += 1
        yield entry, line, {}
    if not n:
        raise GazetteerFileError("the gazetteer file lists no places", path=spath, line=2)


def load_user_places(path: str | Path, taken_ids: set[str]) -> list[dict[str, Any]]:
    """Validated records (``origin="user"``) of one user gazetteer file.

    ``taken_ids`` holds the ids already used (embedded places and earlier files);
    the ids of this file are added to it.  Raises :class:`GazetteerFileError`.
    """
    try:
        return _load(Path(path), taken_ids)
    except GazetteerFileError:
        raise
    except BordermapError as exc:  # from the shared entry checks: same place, file:line form
        raise GazetteerFileError(exc.message, path=exc.path or str(path), line=exc.line,
                                 field=exc.field, suggestion=exc.suggestion) from None  # fmt: skip


def check_user_file(path: str | Path) -> None:
    """Validate a user gazetteer file on its own (before an index build is announced)."""
    load_user_places(path, set())


def _load(p: Path, taken_ids: set[str]) -> list[dict[str, Any]]:
    from bordermap.gazetteer.sources import _check_entry, _Entry

    text = _read_text(p)
    entries = _csv_entries(p, text) if p.suffix.lower() == ".csv" else _yaml_entries(p, text)
    out = []
    seen: dict[str, int] = {}
    for entry, line, key_lines in entries:
        e = _Entry(entry, str(p), line, key_lines)
        if isinstance(entry, dict) and entry.get("source") in (None, ""):
            entry["source"] = f"user gazetteer {p.name}:{line}"
        rec = _check_entry(e)
        ident = rec["id"]
        if ident in seen:
            e.fail(f"duplicate id {ident!r} (first at line {seen[ident]})", "id")
        if ident in taken_ids:
            e.fail(f"id {ident!r} is already used by another place", "id",
                   "give your places ids of their own, e.g. 'my-" + ident + "'")  # fmt: skip
        seen[ident] = line
        rec.update(origin="user", geonames=None, population=0, _file=str(p))
        out.append(rec)
    taken_ids.update(seen)
    return out
