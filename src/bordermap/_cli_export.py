"""Helpers of the ``export`` command: its ``--format`` check and ``-o -`` (standard output)."""

from __future__ import annotations

import logging
from typing import Any

import typer

from bordermap._cli_runtime import CliUsageError
from bordermap._cli_text import _INPUT_FORMATS

log = logging.getLogger("bordermap")

def _export_format(value: str | None) -> str | None:
    from bordermap.export import FORMATS

    if value is None or value.strip().lower() in FORMATS:
        return value
    if value.strip().lower() in _INPUT_FORMATS:
        raise typer.BadParameter(
            f"{value!r} is an input layout: --format names the output format "
            f"({', '.join(FORMATS)}); use --input-format {value.strip().lower()}"
        )
    raise typer.BadParameter(f"{value!r} is not one of: {', '.join(FORMATS)}")


def _check_export_stdout(
    layers: list[str], fmt: str | None, bands_km: str | None, rings_km: str, as_json: bool
) -> str:
    """The format ``export -o -`` will write, or a usage error."""

    def refuse(why: str) -> CliUsageError:
        return CliUsageError(why, "bordermap export")

    fmt = (fmt or "geojson").strip().lower()
    if as_json:
        raise refuse("--json and -o - would both write to standard output")
    if fmt not in ("geojson", "csv"):
        raise refuse(f"{fmt} cannot be streamed to standard output; give -o FILE")
    if len(layers) != 1:
        raise refuse("-o - writes one layer; give -o FOLDER for several")
    if bands_km or rings_km:
        raise refuse("-o - carries only the incidents; bands and rings need -o FOLDER")
    return fmt


def _export_stdout(paths: list[str], tmp: Any, fmt: str, **kw: Any) -> Any:
    """``export -o -``: the layer's incident table as GeoJSON or CSV on standard output."""
    from bordermap._cli_runtime import copy_to_stdout
    from bordermap.export import export_layers

    summary = export_layers(paths, tmp / "out", format=fmt, bands_km=None, rings_km=None, **kw)
    # tables come in order: the layer's incidents first, then its frontiers
    copy_to_stdout(summary.files[0])
    name, count = summary.tables[0]
    log.debug(
        "standard output: table %s (%d features); not sent: %s", name, count,
        ", ".join(n for n, _ in summary.tables[1:]) or "nothing",
    )
    return summary
