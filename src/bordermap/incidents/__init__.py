"""Incident layers: dated, located, sourced events with each side's claims.

A layer is a file in ``layers/`` -- YAML for hand-written layers, CSV or
GeoJSON for bulk -- holding incidents.  Every loader runs the same validation
and every error is a :class:`~bordermap.errors.LayerError` naming the file,
the line and the field (``incidents[3].claims[1].casualties.killed``), with a
suggestion where one exists.  ``layers/README.md`` is the format reference.

Values are small frozen dataclasses: :class:`Incident`, :class:`Location`,
:class:`Claim`, :class:`Range`, :class:`Source` and :class:`DateSpec`; a
:class:`Layer` holds a tuple of incidents.  Place names are resolved through
:func:`bordermap.gazetteer.geocode` (or any object with a
``geocode(name, country=None)`` method passed as ``gazetteer=``).

The package is split by job: :mod:`~bordermap.incidents.model` (the values),
:mod:`~bordermap.incidents.dates` (:func:`parse_date`),
:mod:`~bordermap.incidents.fields` (the validation context and scalar fields),
:mod:`~bordermap.incidents.locations`, :mod:`~bordermap.incidents.records`
(claims, incidents, the layer), :mod:`~bordermap.incidents.readers` (YAML, CSV,
GeoJSON; :func:`load_layer`, :func:`check_layer`) and
:mod:`~bordermap.incidents.frame` (:func:`incidents_to_geodataframe`).

Examples
--------
>>> import textwrap, tempfile, pathlib
>>> class Gaz:  # a stand-in gazetteer for the example
...     def geocode(self, name, country=None):
...         raise AssertionError("no place names in this layer")
>>> text = textwrap.dedent('''
...     title: Example
...     incidents:
...       - id: ex-1
...         title: Shelling near a village
...         date: 2025-05-07
...         kind: shelling
...         actor: PAK
...         target_side: IND
...         impact: {lon: 74.10, lat: 33.77, precision_m: 5000}
...         sources:
...           - {publisher: Example Wire, title: A report, date: 2025-05-07,
...              url: "https://example.org/report"}
... ''')
>>> path = pathlib.Path(tempfile.mkdtemp()) / "example.yaml"
>>> _ = path.write_text(text)
>>> layer = load_layer(path, gazetteer=Gaz())
>>> inc = layer.incidents[0]
>>> inc.kind, inc.date.precision, inc.date.start.isoformat()
('artillery/shelling', 'day', '2025-05-07T00:00:00+00:00')
>>> inc.impacts[0].lon, inc.impacts[0].lat, inc.impacts[0].precision_m
(74.1, 33.77, 5000.0)
"""

from __future__ import annotations

from bordermap.errors import LayerWarning, Problem
from bordermap.incidents.dates import DATE_MAX, DATE_MIN, parse_date
from bordermap.incidents.frame import incidents_to_geodataframe
from bordermap.incidents.model import (
    CASUALTY_CATEGORIES,
    DISTANCE_REFERENCES,
    GEO_PRECISION_M,
    KINDS,
    MAX_FIELD_CHARS,
    MAX_FILE_BYTES,
    MAX_INCIDENTS,
    MAX_PROBLEMS,
    Claim,
    DateSpec,
    Gazetteer,
    Incident,
    Layer,
    Location,
    Range,
    ReportedDistance,
    Source,
)
from bordermap.incidents.readers import check_layer, load_layer, load_layers
from bordermap.incidents.stream import LayerStream, iter_layer

__all__ = [
    "CASUALTY_CATEGORIES",
    "DATE_MAX",
    "DATE_MIN",
    "DISTANCE_REFERENCES",
    "GEO_PRECISION_M",
    "KINDS",
    "MAX_FIELD_CHARS",
    "MAX_FILE_BYTES",
    "MAX_INCIDENTS",
    "MAX_PROBLEMS",
    "Claim",
    "DateSpec",
    "Gazetteer",
    "Incident",
    "Layer",
    "LayerStream",
    "LayerWarning",
    "Location",
    "Problem",
    "Range",
    "ReportedDistance",
    "Source",
    "check_layer",
    "incidents_to_geodataframe",
    "iter_layer",
    "load_layer",
    "load_layers",
    "parse_date",
]
