"""Reading and writing files: one module per format, and the helpers they share.

=============  ============  ==========================================  ==========
module         name          what                                        tables
=============  ============  ==========================================  ==========
``geojson``    geojson       RFC 7946 GeoJSON, bordermap's own writer    one a file
``gpkg``       gpkg          GeoPackage 1.3 through GDAL (pyogrio)       many
``kml``        kml           KML 2.2, styled and typed                   many
``csv``        csv           CSV with lon, lat, WKT and a ``.csvt``      one a file
``parquet``    geoparquet    GeoParquet 1.1 (pyarrow), also a layer      one a file
``acled``      acled         ACLED export (CSV), read-only: a layer      --
``ucdp``       ucdp          UCDP GED CSV, read-only: a layer            --
=============  ============  ==========================================  ==========

Each format module defines ``FORMAT`` (a :class:`Format`: name, extensions,
whether one file holds one table or many, what bordermap can read and write);
:func:`formats`, :func:`get_format` and :func:`format_for_path` find them, so a
new format is one new module.  The two event datasets are
read-only: ``load_layer`` recognises their CSV headers (``_datasets``), and
the export functions refuse them as output formats.  Shared helpers:
``_files`` (safe names, atomic writes, clean-up of temporary files; every file
bordermap writes — exports, bands, maps, rasters — goes through it),
``_columns`` (the property checks every writer shares), ``_geometry``
(antimeridian, RFC 7946 geometry), ``_escape`` (HTML, XML and spreadsheet
escaping), ``_meta`` (the metadata member).

Every export goes through the same checks, so that nothing is lost without an
error: property values must be strings, integers (int64), finite floats,
booleans or timezone-aware datetimes; anything else raises
:class:`~bordermap.errors.ExportError` naming the table, row and column.

Null and missing values
-----------------------
A property may be *null* (``None``, ``NaN``, ``NaT``, ``pd.NA``: the value is
unknown) or *missing* (:data:`MISSING` in an object column: the feature does
not have that property).  What each format keeps:

=========  ==============================  ==============================
format     null                            missing
=========  ==============================  ==============================
geojson    ``"key": null``                 key absent (kept in the file;
                                           GDAL readers show both as null)
gpkg       SQL NULL                        SQL NULL (distinction lost)
kml        no ``SimpleData`` element       no ``SimpleData`` (lost)
csv        empty field                     empty field (lost); GDAL reads
                                           an empty *string* field as ``""``
=========  ==============================  ==============================

``NaN`` in a float column is pandas' marker for a missing number and is
written as null (never as ``NaN``, which JSON lacks); ``inf`` cannot be
written by any of the formats faithfully (GDAL drops it silently from
GeoJSON) and raises :class:`~bordermap.errors.ExportError`.

Datetimes
---------
Timezone-aware datetimes are written in UTC with a ``Z`` suffix
(``2024-01-16T00:00:00Z``), to the millisecond (GDAL's resolution); naive
datetimes and sub-millisecond parts raise an error (localise with
``Series.dt.tz_localize``, round with ``Series.dt.floor("ms")``).

Integers
--------
int64 values are written in full (also beyond 2**53).  GDAL 3.6's GeoJSON
reader reads negative integers of 19 digits (below -999,999,999,999,999,999)
as reals; the file itself is exact, and GeoPackage and CSV keep the whole
int64 range through GDAL.  Integer columns *with nulls* (pandas ``Int64``) are
written exactly too, but pyogrio's DataFrame readers hand them back as
float64, which rounds values beyond 2**53 (read the GeoPackage through
SQLite, or parse the GeoJSON, to get them whole).

Files
-----
Every file is written to a temporary file in the target folder, flushed to
disk and renamed over the target (``os.replace``): a failed export leaves an
existing file byte-identical and no temporary files.  A multi-file export
prepares every file first and renames them only when all succeeded.  File and
table names derived from the data (layer names) are sanitised; names with
path separators, ``..`` or absolute paths are refused, and a name longer than
the file system allows is one clear error.  Temporary files are named
``.bordermap-tmp-<pid>-...``; those left by a killed process are removed on
the next write into their folder (see :mod:`bordermap.io._files`).

Large layers
------------
:func:`export_layers` streams CSV and GeoParquet layers (:mod:`bordermap.io._stream`): each
format module also offers ``stream(files, target)``, a writer that takes a
table a chunk at a time, so memory does not grow with the layer.  A KML
placemark of an incident row takes about 2 KB (every column is kept in
``ExtendedData``), one of the claims table about 0.5 KB a casualty figure; the
budget, checked by the tests, is 3 KB an incident row.  Long
exports show a progress bar on stderr when it is a terminal; turn it off with
:func:`set_progress` (``set_progress(False)``) or by raising the level of the
``bordermap`` logger above ``WARNING``.
"""

from __future__ import annotations

from bordermap.io._columns import MISSING
from bordermap.io._escape import html_text, spreadsheet_cell, xml_text
from bordermap.io._export import claims_table, export_layers, layer_tables
from bordermap.io._files import (
    atomic_write,
    check_target,
    safe_name,
    write_bytes,
    write_text,
)
from bordermap.io._geometry import COORDINATE_DECIMALS, geojson_geometry, split_antimeridian
from bordermap.io._meta import metadata
from bordermap.io._progress import set_progress
from bordermap.io._registry import Format, format_for_path, formats, get_format
from bordermap.io._tables import FORMATS, ExportSummary, export_tables

__all__ = [
    "COORDINATE_DECIMALS",
    "FORMATS",
    "MISSING",
    "ExportSummary",
    "Format",
    "atomic_write",
    "check_target",
    "claims_table",
    "export_layers",
    "export_tables",
    "format_for_path",
    "formats",
    "geojson_geometry",
    "get_format",
    "html_text",
    "layer_tables",
    "metadata",
    "safe_name",
    "set_progress",
    "split_antimeridian",
    "spreadsheet_cell",
    "write_bytes",
    "write_text",
    "xml_text",
]
