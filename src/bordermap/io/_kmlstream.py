"""A KML file written a chunk at a time (the streaming export's KML writer).

The ``Style`` and ``Schema`` elements that open the document depend on every
row (the sides seen, whether integers fit KML's 32-bit ``int``), so each
table's placemarks are spooled to a temporary file beside the target while
chunks arrive; :meth:`KmlStream.finish` writes the head and copies the
spools after it.  Memory stays that of one chunk; the file is the same as
:func:`bordermap.io.kml.write_kml` writes for the whole table.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

import numpy as np

from bordermap.io._columns import Col, check_strings, columns, to_wgs84
from bordermap.io._escape import xml_text
from bordermap.io._files import safe_name
from bordermap.io.kml import (
    _check_xml_text,
    _head,
    _placemarks,
    _schema,
    _sides,
    _style_elements,
)

__all__ = ["KmlStream"]


class KmlStream:
    """Tables into one KML file, a chunk at a time: ``append``, then ``finish`` or ``close``."""

    def __init__(self, tmp: Path, target: Path) -> None:
        self.tmp = tmp
        self.target = target
        self.sides: list[str] = []
        self.tables: dict[str, tuple[IO[str], list[Col], int]] = {}

    def append(self, name: str, gdf: Any) -> None:
        name = safe_name(name, what="table name")
        gdf = to_wgs84(gdf, name)
        cols = columns(gdf, name)
        check_strings(cols, name)
        _check_xml_text(cols, name)
        _sides(gdf, self.sides)
        _, side_ids = _style_elements(self.sides)
        if name not in self.tables:
            fd, spool = tempfile.mkstemp(prefix=".bordermap-tmp-kml-", dir=self.tmp.parent)
            fh = open(fd, "w+", encoding="utf-8")  # noqa: SIM115 - closed in close()
            os.unlink(spool)  # gone with the process, whatever happens
            self.tables[name] = (fh, _span(cols, None), 0)
        fh, span, rows = self.tables[name]
        _placemarks(fh, name, cols, gdf.geometry.to_numpy(), side_ids, first=rows)
        self.tables[name] = (fh, _span(cols, span), rows + len(gdf))

    def finish(self, meta: Mapping[str, Any], title: str | None = None) -> list[Path]:
        styles, _ = _style_elements(self.sides)
        title = title or "bordermap: " + ", ".join(self.tables)
        with open(self.tmp, "w", encoding="utf-8") as out:
            out.write(_head(title, meta, styles))
            for name, (_, cols, _) in self.tables.items():
                out.write("\n" + _schema(name, cols))
            for name, (fh, _, _) in self.tables.items():
                out.write(f"\n<Folder><name>{xml_text(name)}</name>")
                fh.seek(0)
                shutil.copyfileobj(fh, out, 1 << 20)
                out.write("\n</Folder>")
            out.write("\n</Document>\n</kml>\n")
        self.close()
        return [self.target]

    def close(self) -> None:
        for fh, _, _ in self.tables.values():
            fh.close()


def _span(cols: list[Col], before: list[Col] | None) -> list[Col]:
    """Columns standing for every row so far: integer columns keep their smallest and
    largest present values (all :func:`_schema` needs to choose ``int`` or ``string``)."""
    out = []
    for k, c in enumerate(cols):
        vals = c.values[~c.absent] if c.kind == "int" else c.values[:0]
        if before is not None and c.kind == "int":
            old = before[k].values
            vals = np.concatenate([old, vals])
        if c.kind == "int" and len(vals):
            vals = np.array([vals.min(), vals.max()], dtype="int64")
        no = np.zeros(len(vals), dtype=bool)
        out.append(Col(c.name, c.kind, vals, no, no))
    return out
