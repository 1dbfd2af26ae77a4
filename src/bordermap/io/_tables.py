"""Writing named tables in any registered format: :func:`export_tables`."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bordermap.errors import ExportError
from bordermap.io._files import check_target, safe_name, writing
from bordermap.io._meta import metadata
from bordermap.io._registry import Format, format_for_path, formats, get_format

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["FORMATS", "ExportSummary", "export_tables", "resolve_format", "single_file"]


def _writable() -> dict[str, Format]:
    return {name: f for name, f in formats().items() if f.can_write}


class _Formats(Mapping[str, str]):
    """Read-only view of the writable formats as ``{name: extension}`` (``FORMATS``)."""

    def __getitem__(self, key: str) -> str:
        return _writable()[key].extension

    def __iter__(self) -> Any:
        return iter(_writable())

    def __len__(self) -> int:
        return len(_writable())

    def __repr__(self) -> str:
        return repr(dict(self))


#: Export formats and the extension of their files (a view of the registry).
FORMATS: Mapping[str, str] = _Formats()


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote: format, files and the tables with their feature counts."""

    format: str
    files: tuple[str, ...]
    tables: tuple[tuple[str, int], ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "files": list(self.files),
            "tables": [{"name": n, "features": c} for n, c in self.tables],
        }


def resolve_format(path: Path, fmt: str | None) -> Format:
    """The format named ``fmt``, else the one ``path``'s extension stands for."""
    if fmt is not None:
        found = get_format(fmt)
        if not found.can_write:
            raise ExportError(
                f"bordermap reads {found.name} files but does not write them",
                path=str(path),
                field="format",
                suggestion="give --format " + "|".join(_writable()),
            )
        return found
    found = format_for_path(path)
    if found is None or not found.can_write:
        raise ExportError(
            "cannot tell the format from the output name",
            path=str(path),
            suggestion="give --format " + "|".join(_writable()),
        )
    return found


def single_file(fmt: Format, target: Path) -> bool:
    """Whether ``target`` is one file (else a folder of one file per table)."""
    return fmt.multi_table or target.suffix.lower() in fmt.extensions


def check_one_file(fmt: Format, target: Path, names: Iterable[str]) -> None:
    """Refuse, before any work, several tables for one file of a one-table format (CSV)."""
    names = list(names)
    one = single_file(fmt, target) and not fmt.multi_table and not fmt.mixes_tables
    if one and len(names) != 1:
        shown = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
        raise ExportError(
            f"{len(names)} tables ({shown}) cannot go into one {fmt.name} file",
            path=str(target),
            suggestion=f"give a folder (a name without {fmt.extension}) for one file "
            "per table, or choose one table (--tables NAME)",
        )


def _sanitised(tables: Mapping[str, Any]) -> dict[str, str]:
    names: dict[str, str] = {}
    seen: dict[str, str] = {}  # GeoPackage table names and some file systems ignore case
    for raw in tables:
        name = safe_name(raw, what="table name")
        if name.casefold() in seen:
            raise ExportError(
                f"two tables are both named {name!r} once sanitised"
                + ("" if seen[name.casefold()] == name else f" ({seen[name.casefold()]!r})")
                + " (letter case aside)",
                field="table name",
            )
        seen[name.casefold()] = name
        names[raw] = name
    return names


def _folder_targets(fmt: Format, target: Path, names: Mapping[str, str]) -> dict[str, Path]:
    if target.exists() and not target.is_dir():
        raise ExportError("the output path is a file, not a folder", path=str(target))
    outs = {k: target / f"{v}{fmt.extension}" for k, v in names.items()}
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(
            f"cannot create the output folder: {exc.strerror or exc}", path=str(target)
        ) from None
    for p in outs.values():  # belt and braces: names cannot leave the folder
        if p.resolve().parent != target.resolve():
            raise ExportError("output name leaves the folder", path=str(p))
        check_target(p)
    return outs


def export_tables(
    tables: Mapping[str, gpd.GeoDataFrame],
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    meta: Mapping[str, Any] | None = None,
) -> ExportSummary:
    """Write named tables in one format.

    ``gpkg`` and ``kml`` write one file at ``path``.  ``geojson`` and ``csv``
    write one file per table, named after the (sanitised) table, into the
    folder ``path`` (created if missing); when ``path`` itself ends in the
    format's extension, one file is written: for ``csv`` this needs exactly
    one table, ``geojson`` puts every table's features into one
    FeatureCollection.  Nothing is renamed into place until every file has
    been written.

    Examples
    --------
    >>> import geopandas as gpd, pathlib, tempfile
    >>> g = gpd.GeoDataFrame({"a": [1]}, geometry=gpd.points_from_xy([64.1], [27.0]),
    ...                      crs="EPSG:4326")
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> s = export_tables({"one": g, "two": g}, d / "out", format="geojson")
    >>> [pathlib.Path(f).name for f in s.files], s.tables
    (['one.geojson', 'two.geojson'], (('one', 1), ('two', 1)))
    """
    target = Path(path)
    fmt = resolve_format(target, format)
    if fmt.write is None:
        raise ExportError(f"bordermap cannot write {fmt.name}", field="format")
    names = _sanitised(tables)
    check_one_file(fmt, target, names.values())
    counts = tuple((names[k], len(v)) for k, v in tables.items())
    meta = dict(meta) if meta is not None else metadata()
    files: list[Path] = []
    if single_file(fmt, target):
        check_target(target)
        outs = None
    else:
        outs = _folder_targets(fmt, target, names)
    with writing() as fs:
        if outs is None:
            files += fmt.write(fs, target, {names[k]: v for k, v in tables.items()}, meta)
        else:
            for k, out in outs.items():
                files += fmt.write(fs, out, {names[k]: tables[k]}, meta)
    return ExportSummary(fmt.name, tuple(str(f) for f in files), counts)
