"""GeoPackage writer: one file, one table per layer, written by GDAL through pyogrio.

Coordinates and values in full precision; null and missing are both SQL NULL.
The file is GeoPackage 1.3, so that GDAL before 3.7 (Debian 12, QGIS LTR)
reads it without warnings.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bordermap.errors import ExportError
from bordermap.io._columns import Col, check_strings, columns
from bordermap.io._files import FileSet, safe_name, writing
from bordermap.io._registry import Format

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["FORMAT", "write", "write_gpkg"]


def _gdal_frame(gdf: Any, cols: list[Col]) -> Any:
    """The table with validated columns as GDAL should receive them."""
    import geopandas as gpd
    import pandas as pd

    data: dict[str, Any] = {}
    for c in cols:
        if c.kind == "datetime":
            v = pd.Series(pd.to_datetime(c.values).tz_localize("UTC"))
            v[c.absent] = pd.NaT
        elif c.kind == "str":
            v = pd.Series(np.where(c.absent, None, c.values), dtype=object)
        elif c.kind == "int" and c.absent.any():
            v = pd.Series(pd.array(c.values, dtype="Int64"))
            v[c.absent] = pd.NA
        elif c.kind == "bool" and c.absent.any():
            v = pd.Series(pd.array(c.values, dtype="boolean"))
            v[c.absent] = pd.NA
        else:
            v = pd.Series(c.values)
        data[c.name] = (
            v.to_numpy() if not isinstance(v.dtype, pd.api.extensions.ExtensionDtype) else v.array
        )
    return gpd.GeoDataFrame(data, geometry=gdf.geometry.to_numpy(), crs=gdf.crs)


def write_gpkg(tables: Mapping[str, gpd.GeoDataFrame], path: str | os.PathLike[str]) -> Path:
    """Write tables into one GeoPackage, one table each (atomically, via pyogrio).

    Examples
    --------
    >>> import geopandas as gpd, pathlib, tempfile, pyogrio
    >>> g = gpd.GeoDataFrame({"a": [1]}, geometry=gpd.points_from_xy([64.1], [27.0]),
    ...                      crs="EPSG:4326")
    >>> out = write_gpkg({"one": g, "two": g}, pathlib.Path(tempfile.mkdtemp()) / "x.gpkg")
    >>> pyogrio.list_layers(out)[:, 0].tolist()
    ['one', 'two']
    """
    target = Path(path)
    with writing() as files:
        write(files, target, tables)
    return target


def _write_gpkg_to(tmp: Path, tables: Mapping[str, Any]) -> None:
    sink = _Stream(tmp, tmp)
    for name, gdf in tables.items():
        sink.append(name, gdf)


class _Stream:
    """Tables written into one GeoPackage a chunk at a time (see :func:`stream`)."""

    def __init__(self, tmp: Path, target: Path) -> None:
        self.tmp = tmp
        self.target = target
        self.created: set[str] = set()

    def append(self, name: str, gdf: Any) -> None:
        import pyogrio

        name = safe_name(name, what="table name")
        cols = columns(gdf, name)
        check_strings(cols, name)
        frame = _gdal_frame(gdf, cols)
        if not self.created:
            self.tmp.unlink(missing_ok=True)  # GDAL creates the file itself
        more = name in self.created
        try:
            # GeoPackage 1.3 so that GDAL < 3.7 (Debian 12, QGIS LTR) reads it without warnings
            pyogrio.write_dataframe(
                frame,
                self.tmp,
                layer=name,
                driver="GPKG",
                append=more,
                **({} if more else {"dataset_options": {"VERSION": "1.3"}}),
            )
        except Exception as exc:
            raise ExportError(f"table {name!r}: GDAL could not write it: {exc}") from exc
        self.created.add(name)

    def finish(self, meta: Mapping[str, Any]) -> list[Path]:
        return [self.target]

    def close(self) -> None:
        pass


def stream(files: FileSet, target: Path) -> _Stream:
    """Registry entry point for a streaming export: each chunk appended through GDAL."""
    return _Stream(files.temp_for(target), target)


def write(
    files: FileSet,
    target: Path,
    tables: Mapping[str, Any],
    meta: Mapping[str, Any] | None = None,
) -> list[Path]:
    """Registry entry point: every table into one GeoPackage at ``target``."""
    _write_gpkg_to(files.temp_for(target), tables)
    return [target]


FORMAT = Format(
    name="gpkg",
    extensions=(".gpkg",),
    multi_table=True,
    write=write,
    stream=stream,
    description="OGC GeoPackage 1.3, one table per layer",
)
