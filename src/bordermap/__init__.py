"""bordermap: offline geodesic analysis and maps of cross-border incidents.

The flow runs one way, one module a stage::

    gazetteer (names -> places) -> incidents (layers) ->
    geodesy / frontiers / analysis / corridors (spatial core) -> maps / export / charts

Importing :mod:`bordermap` is cheap: submodules load on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_SUBMODULES = {
    "analysis",
    "boundaries",
    "charts",
    "cli",
    "cluster",
    "corridors",
    "errors",
    "export",
    "frontiers",
    "gazetteer",
    "geodesy",
    "incidents",
    "maps",
    "pairs",
    "raster",
    "scan",
}


#: Functions re-exported from private modules (loaded on first use).
_FUNCTIONS = {"get_threads": "_threads", "set_threads": "_threads"}


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"bordermap.{name}")
    if name in _FUNCTIONS:  # bordermap.set_threads(2): cores used by the spatial core
        return getattr(importlib.import_module(f"bordermap.{_FUNCTIONS[name]}"), name)
    raise AttributeError(f"module 'bordermap' has no attribute {name!r}")


__all__ = ["__version__", *sorted(_SUBMODULES), *sorted(_FUNCTIONS)]
