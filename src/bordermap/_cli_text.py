"""How the command line shows things: rich tables, candidate lists, coordinates.

Formatting helpers of :mod:`bordermap.cli` (and options several commands
share), kept apart so that the command module holds only the commands.
"""

from __future__ import annotations

import logging
from typing import Any

import typer

from bordermap._cli_runtime import PipeClosedError

log = logging.getLogger("bordermap")


def _console() -> Any:
    """A rich console for stdout whose closed pipe ends the run quietly (exit 141)."""
    from rich.console import Console

    class _PipeConsole(Console):
        def on_broken_pipe(self) -> None:
            raise PipeClosedError

    return _PipeConsole(soft_wrap=False)


def _latlon(lon: float, lat: float, digits: int = 5) -> str:
    """``26.90616 N 63.25648 E`` (hemisphere letters, no signs)."""
    return (f"{abs(lat):.{digits}f} {'N' if lat >= 0 else 'S'} "
            f"{abs(lon):.{digits}f} {'E' if lon >= 0 else 'W'}")


def _candidate_lines(cands: Any) -> None:
    for i, c in enumerate(cands, 1):
        p = c.place
        typer.echo(
            f"{i:>3}. {p.name} ({p.country}, {p.kind}) {_latlon(p.lon, p.lat)} "
            f"±{p.precision_m:,.0f} m  [{c.match} {c.score:.0f}] {p.id}"
        )


def _frontier_table(frontiers: Any) -> None:
    """Print frontiers, their segments and measured vs published lengths (rich)."""
    from rich.table import Table

    console = _console()
    for f in frontiers:
        table = Table(title=f"{f.title or f.name} ({'–'.join(f.countries)})", title_justify="left")
        table.add_column("segment")
        table.add_column("kind")
        table.add_column("measured km", justify="right")
        table.add_column("published km (source)")
        for seg in f.segments:
            cited = "; ".join(f"{c.length_km:,.0f} ({c.source})" for c in seg.cited_lengths)
            table.add_row(seg.name, seg.kind, f"{seg.length_km:,.1f}", cited or "–")
        cited = "; ".join(f"{c.length_km:,.0f} ({c.source})" for c in f.cited_lengths)
        table.add_row("[b]whole frontier[/b]", "", f"[b]{f.length_km:,.1f}[/b]", cited or "–")
        console.print(table)
        console.print(f"measured: geodesic on WGS84, {f.boundaries_source}")
        console.print(f"why measured and published differ: {f.length_note}")
        for seg in f.segments:
            if seg.note:
                console.print(f"note on the {seg.name}: {seg.note}", markup=False)
        for p in f.split_points:
            console.print(
                f"split: {p.name} at {_latlon(p.line_lon, p.line_lat, 4)} "
                f"({p.offset_km:.1f} km from the documented point, ±{p.uncertainty_km:g} km)"
            )
        console.print()


def _literal_lonlat(value: str) -> tuple[float, float] | None:
    """``"LON,LAT"`` as two floats, or None for a place name."""
    import re

    m = re.fullmatch(
        r"\s*([-+]?[\d.]+(?:e[-+]?\d+)?)\s*,\s*([-+]?[\d.]+(?:e[-+]?\d+)?)\s*",
        value,
        flags=re.IGNORECASE,
    )
    if not m:
        return None
    try:
        return float(m.group(1)), float(m.group(2))
    except ValueError:
        return None


def _warn_swaps(values: list[str], frontiers: list[Any]) -> None:
    """Warn about "LON,LAT" arguments that look like LAT,LON for these frontiers."""
    if not frontiers:
        return
    import shapely

    from bordermap.geodesy import swap_hint

    region = shapely.union_all([f.geometry for f in frontiers])
    where = ", ".join(f.name for f in frontiers)
    for value in values:
        point = _literal_lonlat(value)
        hint = swap_hint(*point, region) if point else None
        if hint is not None:
            log.warning(
                "%s (LON,LAT) is %s km from the %s frontier; did you mean %s,%s? "
                "(that point is %s km from it)",
                value.strip(), f"{hint.distance_km:,.0f}", where,
                f"{hint.lon:g}", f"{hint.lat:g}", f"{hint.swapped_distance_km:,.0f}",
            )


_INPUT_FORMATS = ("acled", "ucdp", "layer")


def _input_format(value: str | None) -> str | None:
    """``--input-format``: the layout of the layer files (like GDAL's ``-if``)."""
    if value is None or value.strip().lower() in _INPUT_FORMATS:
        return None if value is None else value.strip().lower()
    raise typer.BadParameter(f"{value!r} is not one of: {', '.join(_INPUT_FORMATS)}")


def _input_format_option() -> Any:
    return typer.Option(
        None, "--input-format", metavar="LAYOUT", callback=_input_format,
        help="Layout of the layer files: acled, ucdp or layer (bordermap's own YAML, CSV, "
        "GeoJSON). Default: detected from the CSV header.",
    )
