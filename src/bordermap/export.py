"""Export incidents, frontiers, corridors and rings to GeoJSON, GeoPackage, KML and CSV.

This module keeps the historical import path; the code lives in
:mod:`bordermap.io` (one module per format, see there for what each format
keeps of nulls, datetimes and integers, and how files are written).

Examples
--------
>>> from bordermap.export import export_layers, write_geojson
>>> export_layers.__module__, write_geojson.__module__
('bordermap.io._export', 'bordermap.io.geojson')
"""

from __future__ import annotations

from bordermap.io import (
    COORDINATE_DECIMALS,
    FORMATS,
    MISSING,
    ExportSummary,
    atomic_write,
    claims_table,
    export_layers,
    export_tables,
    geojson_geometry,
    layer_tables,
    metadata,
    safe_name,
    split_antimeridian,
)
from bordermap.io.csv import write_csv
from bordermap.io.geojson import write_geojson
from bordermap.io.gpkg import write_gpkg
from bordermap.io.kml import write_kml

__all__ = [
    "COORDINATE_DECIMALS",
    "FORMATS",
    "MISSING",
    "ExportSummary",
    "atomic_write",
    "claims_table",
    "export_layers",
    "export_tables",
    "geojson_geometry",
    "layer_tables",
    "metadata",
    "safe_name",
    "split_antimeridian",
    "write_csv",
    "write_geojson",
    "write_gpkg",
    "write_kml",
]
