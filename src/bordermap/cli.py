"""Command-line interface: a thin layer over the library functions.

Each command parses arguments, calls one library function and prints its
result (a table, or JSON with ``--json``).  Errors become one line on stderr
and a non-zero exit code; no command holds analysis logic of its own.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import typer

app = typer.Typer(
    name="bordermap",
    help="Offline geodesic analysis and maps of cross-border incidents.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False))


# --- commands are added below, one function per command, each calling the library ---


# --- geocode (bordermap.gazetteer) ---


def _latlon(lon: float, lat: float) -> str:
    return f"{abs(lat):.5f} {'N' if lat >= 0 else 'S'} {abs(lon):.5f} {'E' if lon >= 0 else 'W'}"


def _candidate_lines(cands: Any) -> None:
    for i, c in enumerate(cands, 1):
        p = c.place
        typer.echo(
            f"{i:>3}. {p.name} ({p.country}, {p.kind}) {_latlon(p.lon, p.lat)} "
            f"±{p.precision_m:,.0f} m  [{c.match} {c.score:.0f}] {p.id}"
        )


@app.command("geocode")
def geocode_cmd(
    name: str = typer.Argument(..., help="Place name (any spelling or transliteration)."),
    country: str | None = typer.Option(None, "--country", help="ISO-3 country hint (PAK)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Resolve a place name to coordinates, with its precision, source and candidates."""
    from bordermap.errors import AmbiguousPlaceError
    from bordermap.gazetteer import geocode_result

    try:
        r = geocode_result(name, country=country)
    except AmbiguousPlaceError as exc:  # show every candidate, then fail with one line
        if as_json:
            _print_json(
                {
                    "query": name,
                    "ambiguous": True,
                    "candidates": [c.to_dict() for c in exc.candidates],
                }
            )
        else:
            _candidate_lines(exc.candidates)
        raise
    if as_json:
        _print_json(r.to_dict())
        return
    p = r.place
    typer.echo(
        f"{p.name} ({p.country}, {p.kind}{', ' + p.admin if p.admin else ''}): "
        f"{_latlon(p.lon, p.lat)} ±{p.precision_m:,.0f} m"
    )
    typer.echo(f"source: {p.source}")
    typer.echo("candidates:")
    _candidate_lines(r.candidates)


# --- frontier / frontiers (bordermap.frontiers) ---


def _frontier_table(frontiers: Any) -> None:
    """Print frontiers, their segments and measured vs published lengths (rich)."""
    from rich.console import Console
    from rich.table import Table

    console = Console(soft_wrap=False)
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
                f"split: {p.name} at {p.line_lat:.4f} N {p.line_lon:.4f} E "
                f"({p.offset_km:.1f} km from the documented point, ±{p.uncertainty_km:g} km)"
            )
        console.print()


@app.command("frontier")
def frontier_cmd(
    name: str = typer.Argument(..., help="Named frontier (iran-pakistan) or ISO-3 pair (IRN-PAK)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    boundaries: str | None = typer.Option(
        None, "--boundaries", help="Country boundary file to use instead of the embedded one."
    ),
    geometry: bool = typer.Option(False, "--geometry", help="With --json: include GeoJSON lines."),
) -> None:
    """A frontier: countries, segments, measured vs published length."""
    from bordermap.frontiers import get_frontier

    f = get_frontier(name, boundaries)
    if as_json:
        _print_json(f.to_dict(include_geometry=geometry))
    else:
        _frontier_table([f])


@app.command("frontiers")
def frontiers_cmd(
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    boundaries: str | None = typer.Option(
        None, "--boundaries", help="Country boundary file to use instead of the embedded one."
    ),
) -> None:
    """List the named frontiers with their measured and published lengths."""
    from bordermap.frontiers import all_frontiers

    frontiers = all_frontiers(boundaries)
    if as_json:
        _print_json([f.to_dict() for f in frontiers])
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Named frontiers", title_justify="left")
    for col, just in (
        ("name", "left"),
        ("countries", "left"),
        ("segments", "right"),
        ("measured km", "right"),
        ("published km", "left"),
    ):
        table.add_column(col, justify=just, no_wrap=col == "name")  # type: ignore[arg-type]
    for f in frontiers:
        cited = ", ".join(f"{c.length_km:,.0f}" for c in f.cited_lengths)
        table.add_row(
            f.name, "–".join(f.countries), str(len(f.segments)), f"{f.length_km:,.1f}", cited or "–"
        )
    Console(soft_wrap=False).print(table)


# --- pair / corridor (bordermap.pairs, bordermap.corridors) ---


@app.command("pair")
def pair_cmd(
    a: str = typer.Argument(..., help='Start: a place name or "LON,LAT".'),
    b: str = typer.Argument(..., help='End: a place name or "LON,LAT".'),
    frontier: list[str] | None = typer.Option(  # noqa: B008
        None,
        "--frontier",
        help="Frontier to cross (name or ISO3-ISO3); repeatable. "
        "Default: the named frontiers of the countries of A and B.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    boundaries: str | None = typer.Option(
        None, "--boundaries", help="Country boundary file to use instead of the embedded one."
    ),
) -> None:
    """Geodesic distance and azimuth from A to B, and where the path crosses frontiers."""
    from bordermap.pairs import pair

    p = pair(a, b, frontiers=frontier or None, boundaries=boundaries)
    if as_json:
        _print_json(p.to_dict())
        return
    name_a = p.a_name or f"{p.a_lon:.5f},{p.a_lat:.5f}"
    name_b = p.b_name or f"{p.b_lon:.5f},{p.b_lat:.5f}"
    typer.echo(
        f"{name_a} -> {name_b}: {p.distance_km:,.3f} km (geodesic, WGS84), "
        f"azimuth {p.azimuth_deg:.2f}°, back azimuth {p.back_azimuth_deg:.2f}°"
    )
    if p.max_distance_km > p.min_distance_km:
        typer.echo(
            f"over both places' uncertainty (±{p.a_precision_m:,.0f} m, ±{p.b_precision_m:,.0f} m):"
            f" anywhere from {p.min_distance_km:,.1f} to {p.max_distance_km:,.1f} km"
        )
    if not p.crossings:
        typer.echo("crossings: none")
    for c in p.crossings:
        typer.echo(
            f"crosses {c.frontier} ({c.segment or 'line'}) at {c.lat:.6f} N "
            f"{c.lon:.6f} E, {c.distance_from_a_km:,.3f} km from A"
        )


@app.command("corridor")
def corridor_cmd(
    frontier: str = typer.Argument(..., help="Named frontier (iran-pakistan) or ISO3-ISO3."),
    km: str = typer.Option("10,25,50", "--km", help="Band edges in km, comma-separated."),
    side: str | None = typer.Option(None, "--side", help="Keep one country's side (ISO-3)."),
    output: str = typer.Option(..., "-o", "--output", help="Output file: .geojson or .gpkg."),
    as_json: bool = typer.Option(False, "--json", help="Print the bands as JSON."),
    boundaries: str | None = typer.Option(
        None, "--boundaries", help="Country boundary file to use instead of the embedded one."
    ),
) -> None:
    """Write geodesic distance bands along a frontier and print their areas."""
    from bordermap.corridors import write_bands

    bands = write_bands(frontier, km, output, side=side, boundaries=boundaries)
    rows = bands.drop(columns="geometry").to_dict(orient="records")
    if as_json:
        _print_json({"output": output, "bands": rows})
        return
    for r in rows:
        where = f" in {r['side']}" if r["side"] else ""
        typer.echo(f"{r['band']:>12}{where}: {r['area_km2']:,.1f} km²")
    typer.echo(f"wrote {len(rows)} bands to {output}")


# --- distance (bordermap.analysis) ---


def _points_arg(
    values: list[str],
) -> tuple[list[str], list[tuple[float, float]], list[float], list[Any]]:
    """Place names (looked up in the gazetteer) or "LON,LAT" strings -> labels, points,
    uncertainty radii (m; 0 for coordinates) and curated area polygons (or None)."""
    import re

    from bordermap.gazetteer import geocode

    labels, points, precision, areas = [], [], [], []
    for value in values:
        m = re.fullmatch(r"\s*([-+]?[\d.]+(?:e[-+]?\d+)?)\s*,\s*([-+]?[\d.]+(?:e[-+]?\d+)?)\s*",
                         value, flags=re.IGNORECASE)
        if m:
            labels.append(value.strip())
            points.append((float(m.group(1)), float(m.group(2))))
            precision.append(0.0)
            areas.append(None)
        else:
            place = geocode(value)
            labels.append(place.name)
            points.append((place.lon, place.lat))
            precision.append(place.precision_m)
            areas.append(place.geometry() if place.area_wkt else None)
    return labels, points, precision, areas


@app.command("distance")
def distance_cmd(
    places: list[str] = typer.Argument(  # noqa: B008
        ..., help='Place names or "LON,LAT" (lon first).'
    ),
    frontier: str = typer.Option(
        ..., "--frontier", "-f", help="Named frontier (iran-pakistan) or ISO3-ISO3."
    ),
    on_line_m: float = typer.Option(
        100.0, "--on-line-m", help="Points nearer the line than this are 'on the line'."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    boundaries: str | None = typer.Option(
        None, "--boundaries", help="Country boundary file to use instead of the embedded one."
    ),
) -> None:
    """Geodesic distance from places to a frontier, the nearest point, segment and side."""
    from bordermap.analysis import analyse

    labels, points, precision, areas = _points_arg(places)
    gdf = analyse(points, frontier=frontier, boundaries=boundaries, on_line_m=on_line_m,
                  precision_m=precision, areas=areas if any(a is not None for a in areas) else None)
    rows = []
    for label, prec, (_i, r) in zip(labels, precision, gdf.iterrows(), strict=True):
        rows.append({
            "place": label,
            "lon": round(float(r.geometry.x), 7),
            "lat": round(float(r.geometry.y), 7),
            "distance_km": round(float(r.distance_km), 4),
            "nearest_lon": round(float(r.nearest_lon), 7),
            "nearest_lat": round(float(r.nearest_lat), 7),
            "azimuth_deg": None
            if r.azimuth_deg != r.azimuth_deg
            else round(float(r.azimuth_deg), 3),
            "segment": r.segment,
            "segment_kind": r.segment_kind,
            "country": r.country,
            "side": r.side,
            "signed_distance_km": None
            if r.signed_distance_km != r.signed_distance_km
            else round(float(r.signed_distance_km), 4),
            "precision_m": prec,
            "min_distance_km": round(float(r.min_distance_km), 4),
            "max_distance_km": round(float(r.max_distance_km), 4),
            "side_certain": bool(r.side_certain),
            "phrase": r.phrase,
        })
    if as_json:
        _print_json({"frontier": frontier, "on_line_m": on_line_m, "method":
                     "geodesic distance on WGS84 to the frontier's geodesic edges",
                     "results": rows})
        return
    for r in rows:
        typer.echo(
            f"{r['place']}: {r['phrase']}; nearest point {r['nearest_lat']:.5f} N "
            f"{r['nearest_lon']:.5f} E on the {r['segment']} ({r['segment_kind']}), "
            f"azimuth {r['azimuth_deg']}°"
        )


# --- map and examples (bordermap.maps, bordermap.examples) ---


@app.command("map")
def map_cmd(
    layers: list[str] = typer.Argument(  # noqa: B008
        ..., help="Incident layer files (.yaml, .csv, .geojson)."
    ),
    output: str = typer.Option(..., "-o", "--output", help="Output HTML file."),
    corridor_km: str = typer.Option(
        "10,25,50", "--corridor-km", help="Corridor band widths in km ('' for none)."
    ),
    offline: bool = typer.Option(
        False, "--offline", help="One self-contained file: no tiles, vector basemap, inlined JS."
    ),
    title: str | None = typer.Option(None, "--title", help="Map title."),
    raster: list[str] | None = typer.Option(  # noqa: B008
        None, "--raster", help="GeoTIFF drawn as an overlay with a legend; repeatable."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Draw incident layers on a layered, offline-capable HTML map."""
    from bordermap.maps import make_map

    path = make_map(
        layers, output, corridor_km=corridor_km, offline=offline, title=title,
        rasters=raster or (),
    )
    if as_json:
        _print_json({"output": str(path), "offline": offline, "layers": list(layers),
                     "rasters": raster or []})
        return
    typer.echo(f"wrote {path}")


@app.command("examples")
def examples_cmd(
    output: str = typer.Option("output", "-o", "--output", help="Output folder."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Build the two scenario maps (Iran–Pakistan 2024, India–Pakistan 2025)."""
    from bordermap.examples import build_examples

    paths = build_examples(output)
    if as_json:
        _print_json({"outputs": [str(p) for p in paths]})
        return
    for path in paths:
        typer.echo(f"wrote {path}")


# --- check (bordermap.checks) ---


@app.command("check")
def check_cmd(
    layers: list[str] = typer.Argument(  # noqa: B008
        ..., help="Layer files, or folders of them (.yaml, .csv, .geojson)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the problems as JSON."),
    boundaries: str | None = typer.Option(
        None, "--boundaries", help="Country boundary file to use instead of the embedded one."
    ),
) -> None:
    """Report every problem of each layer at once: fields, places, sources, and whether
    reported distances, stated countries and 'inside X' claims agree with the map.

    Exits 1 when any problem is an error (warnings alone exit 0).

    Example: bordermap check layers/
    """
    from dataclasses import asdict

    from bordermap.checks import check_layers, summary

    problems = check_layers(layers, boundaries=boundaries)
    if as_json:
        _print_json({"problems": [asdict(p) for p in problems], "summary": summary(problems)})
    else:
        for p in problems:
            typer.echo(str(p))
        typer.echo(summary(problems), err=True)
    if any(p.severity == "error" for p in problems):
        raise typer.Exit(1)


# --- export (bordermap.export) ---


@app.command("export")
def export_cmd(
    layers: list[str] = typer.Argument(  # noqa: B008
        ..., help="Incident layer files (.yaml, .csv, .geojson) or names in layers/."
    ),
    fmt: str | None = typer.Option(
        None, "--format", help="geojson, gpkg, kml or csv (default: from the output name)."
    ),
    output: str = typer.Option(
        ..., "-o", "--output", help="Output file (gpkg, kml) or folder (geojson, csv)."
    ),
    frontier: str | None = typer.Option(
        None, "--frontier", help="Frontier to measure against (default: the nearest named one)."
    ),
    bands_km: str = typer.Option(
        "10,25,50", "--bands-km", help="Corridor band edges in km ('' for no bands)."
    ),
    rings_km: str = typer.Option(
        "", "--rings-km", help="Range-ring radii in km around every impact ('' for none)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print what was written as JSON."),
    boundaries: str | None = typer.Option(
        None, "--boundaries", help="Country boundary file to use instead of the embedded one."
    ),
) -> None:
    """Export layers with distances and sides, frontiers, bands and rings for GIS tools."""
    from bordermap.export import export_layers

    summary = export_layers(
        layers,
        output,
        format=fmt,
        frontier=frontier,
        bands_km=bands_km or None,
        rings_km=rings_km or None,
        boundaries=boundaries,
    )
    if as_json:
        _print_json(summary.to_dict())
        return
    for name, count in summary.tables:
        typer.echo(f"{name}: {count} features")
    typer.echo(f"wrote {', '.join(summary.files)}")


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; turn bordermap errors into one line on stderr and exit code 1."""
    from bordermap.errors import BordermapError

    try:
        rv = app(args=argv, standalone_mode=False)
        if isinstance(rv, int) and rv:  # typer.Exit(n) inside a command returns n here
            return rv
    except BordermapError as exc:
        typer.echo(f"bordermap: error: {exc}", err=True)
        return 1
    except (typer.Exit, SystemExit) as exc:  # --help, explicit exits
        code = getattr(exc, "exit_code", getattr(exc, "code", 0))
        return int(code or 0)
    except typer.Abort:
        typer.echo("bordermap: aborted", err=True)
        return 1
    except Exception as exc:  # click usage errors and friends
        import click

        if isinstance(exc, click.ClickException):
            typer.echo(f"bordermap: error: {exc.format_message()}", err=True)
            return exc.exit_code
        raise
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
