"""The format registry: one entry per module of :mod:`bordermap.io`, found by name or extension.

Every public module of the package (a name without a leading ``_``) that
defines ``FORMAT`` is a format; adding a format (GeoParquet, ACLED, UCDP ...)
is adding one module.  An entry says what bordermap can do with the format:
write tables (``write``: one table per file, or many in one file) and read
(``reader``: the dotted path of the function that reads it, if any).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from bordermap.errors import ExportError

__all__ = ["Format", "format_for_path", "formats", "get_format", "single_table"]


@dataclass(frozen=True)
class Format:
    """What bordermap can do with one file format.

    Attributes
    ----------
    name : str
        The format's name (``--format NAME``).
    extensions : tuple of str
        File extensions, lower case with the dot; the first one is used for new files.
    multi_table : bool
        True if one file holds many named tables (GeoPackage, KML), False for
        one table per file (GeoJSON, CSV).
    mixes_tables : bool
        For a one-table format: several tables can still go into one file as
        one collection of features (GeoJSON), their names kept only in the
        metadata.
    sidecars : tuple of str
        Extensions of files written beside each file (``.csvt`` for CSV).
    write : callable or None
        ``write(files, target, tables, meta)``: write ``tables`` (a mapping of
        sanitised name to GeoDataFrame; exactly one for a one-table format)
        to ``target`` through the :class:`~bordermap.io._files.FileSet`
        ``files``.  None if bordermap cannot write the format.
    stream : callable or None
        ``stream(files, target)``: a writer of one file that takes tables a
        chunk at a time (``append(table, gdf)``, then ``finish(meta)`` giving
        the paths written, or ``close()`` on failure), for exports too large
        to hold in memory; one table per file unless ``multi_table`` or
        ``mixes_tables``.
    reader : str or None
        ``"module:function"`` that reads the format (e.g. incident layers), or None.
    description : str
        One line for listings.
    """

    name: str
    extensions: tuple[str, ...]
    multi_table: bool
    mixes_tables: bool = False
    sidecars: tuple[str, ...] = ()
    write: Callable[..., Any] | None = field(default=None, repr=False, compare=False)
    stream: Callable[..., Any] | None = field(default=None, repr=False, compare=False)
    reader: str | None = None
    description: str = ""

    @property
    def extension(self) -> str:
        """The extension new files get (``.geojson``)."""
        return self.extensions[0]

    def file_names(self, stem: str) -> tuple[str, ...]:
        """Names of the files one table called ``stem`` becomes, sidecars included."""
        return (stem + self.extension, *(stem + ext for ext in self.sidecars))

    @property
    def can_write(self) -> bool:
        return self.write is not None

    @property
    def can_read(self) -> bool:
        return self.reader is not None

    def read_function(self) -> Callable[..., Any]:
        """The reader, imported on demand (ValueError if the format cannot be read)."""
        if self.reader is None:
            raise ValueError(f"bordermap does not read {self.name}")
        module, _, name = self.reader.partition(":")
        return getattr(importlib.import_module(module), name)


@cache
def _registry() -> Mapping[str, Format]:
    package = importlib.import_module("bordermap.io")
    found: dict[str, Format] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"bordermap.io.{info.name}")
        fmt = getattr(module, "FORMAT", None)
        if isinstance(fmt, Format):
            found[fmt.name] = fmt
    # the historical order first; the read-only dataset layouts (ACLED, UCDP) after them
    order = {"geojson": 0, "gpkg": 1, "kml": 2, "csv": 3, "geoparquet": 4}
    return dict(sorted(found.items(), key=lambda kv: (order.get(kv[0], 99), kv[0])))


def formats() -> Mapping[str, Format]:
    """Every known format by name.

    Examples
    --------
    >>> {n: (f.extension, f.can_write) for n, f in formats().items()}
    {'geojson': ('.geojson', True), 'gpkg': ('.gpkg', True), 'kml': ('.kml', True), 'csv': ('.csv', True), 'geoparquet': ('.parquet', True), 'acled': ('.csv', False), 'ucdp': ('.csv', False)}
    """  # noqa: E501
    return _registry()


def get_format(name: str) -> Format:
    """The format called ``name`` (any letter case).

    Raises
    ------
    ExportError
        Unknown name, listing the known ones.
    """
    key = str(name).strip().lower()
    fmt = formats().get(key)
    if fmt is None:
        raise ExportError(
            f"unknown format {name!r}",
            field="format",
            suggestion="use one of: " + ", ".join(formats()),
        )
    return fmt


def format_for_path(path: str | Path) -> Format | None:
    """The format a file name's extension stands for, or None.

    Examples
    --------
    >>> format_for_path("out/ip.GPKG").name, format_for_path("a.json").name
    ('gpkg', 'geojson')
    >>> format_for_path("a.shp") is None
    True
    """
    suffix = Path(path).suffix.lower()
    for fmt in formats().values():
        if suffix in fmt.extensions:
            return fmt
    return None


def single_table(tables: Mapping[str, Any], target: Path, what: str) -> tuple[str, Any]:
    """The one (name, table) of a one-file format, or an error for several.

    Examples
    --------
    >>> single_table({"incidents": 1}, Path("x.csv"), "CSV")
    ('incidents', 1)
    """
    if len(tables) != 1:
        raise ExportError(
            f"{len(tables)} tables cannot go into one {what} file",
            path=str(target),
            suggestion="give a folder for one file per table",
        )
    ((name, table),) = tables.items()
    return name, table
