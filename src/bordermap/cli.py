"""Command-line interface: a thin layer over the library functions.

Each command parses arguments, calls one library function and prints its
result (a table, or JSON with ``--json``).  Errors become one line on stderr
and a non-zero exit code; no command holds analysis logic of its own.  How a
run ends (exit codes, signals, pipes, usage errors) lives in
:mod:`bordermap._cli_runtime`.
"""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

import typer

from bordermap._cli_runtime import (
    EXIT_CODES_HELP,
    STDIO,
    CliUsageError,
    PipeClosedError,
    PlainCommand,
    PlainGroup,
)

log = logging.getLogger("bordermap")

from bordermap._cli_export import (  # noqa: E402
    _check_export_stdout,
    _export_format,
    _export_stdout,
)
from bordermap._cli_places import gazetteer_option  # noqa: E402
from bordermap._cli_scheduler import on_scheduler, scheduler_option  # noqa: E402
from bordermap._cli_text import (  # noqa: E402 - after the logger, as the helpers share it
    _candidate_lines,
    _console,
    _frontier_table,
    _input_format_option,
    _latlon,
    _literal_lonlat,
    _warn_swaps,
)

app = typer.Typer(
    name="bordermap",
    cls=PlainGroup,
    help="Offline geodesic analysis and maps of cross-border incidents.\n\n"
    "Coordinates are LON,LAT (longitude first). Use - as a layer to read it from standard "
    "input and -o - to write to standard output.",
    epilog=EXIT_CODES_HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _command(name: str) -> Any:
    """Register a command; a closed standard output reaches :func:`main` as PipeClosedError."""
    import functools

    def register(func: Any) -> Any:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except BrokenPipeError as exc:  # before typer turns it into a plain exit 1
                raise PipeClosedError from exc

        return app.command(name, cls=PlainCommand, epilog=EXIT_CODES_HELP)(wrapper)

    return register


def _version(value: bool) -> None:
    if not value:
        return
    from importlib.metadata import PackageNotFoundError, version

    try:
        v = version("bordermap")
    except PackageNotFoundError:  # running from a source tree
        from bordermap import __version__ as v
    typer.echo(f"bordermap {v}")
    raise typer.Exit(0)


@app.callback()
def _global_options(
    show_version: bool = typer.Option(
        False, "--version", is_eager=True, callback=_version, help="Print the version and exit."
    ),
    quiet: bool = typer.Option(
        False, "--quiet", "-q", help="Only warnings and errors on standard error; no progress."
    ),
    verbose: int = typer.Option(
        0, "--verbose", "-v", count=True, show_default=False,
        help="More on standard error: frontier and boundaries used, timings.",
    ),
) -> None:
    """Offline geodesic analysis and maps of cross-border incidents."""
    from bordermap import _settings

    if quiet and verbose:
        raise CliUsageError("--quiet and --verbose cannot be combined")
    _settings.configure(quiet=quiet, verbose=verbose)


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False))


def _km_list(value: str | None) -> str | None:
    """Check that a "10,25,50" option is numbers and commas; '' means none."""
    if value is None or not value.strip():
        return value
    import math

    for part in value.split(","):
        if not part.strip():
            continue
        try:
            km = float(part)
        except ValueError:
            km = math.nan
        if not math.isfinite(km):  # a range check (positive?) is the library's
            raise typer.BadParameter(
                f"{part.strip()!r} is not a number of km (e.g. 10,25,50)"
            )
    return value


_BOUNDARIES_HELP = "Country boundary file to use instead of the embedded one."
_GAZ = gazetteer_option
_JSON_HELP = "Print JSON."


# --- geocode (bordermap.gazetteer) ---


@_command("geocode")
def geocode_cmd(
    name: str | None = typer.Argument(
        None, metavar="NAME", help="Place name (any spelling or transliteration)."
    ),
    country: str | None = typer.Option(
        None, "--country", metavar="ISO3", help="Country hint, ISO-3 code (PAK)."
    ),
    csv_in: str | None = typer.Option(
        None, "--csv", metavar="FILE",
        help="Geocode a column of this CSV file (- for standard input) instead of NAME.",
    ),
    column: str | None = typer.Option(
        None, "--column", metavar="COLUMN", help="With --csv: the column of place names."
    ),
    country_column: str | None = typer.Option(
        None, "--country-column", metavar="COLUMN",
        help="With --csv: a column of country hints (ISO-3 codes or names).",
    ),
    output: str | None = typer.Option(
        None, "-o", "--output", metavar="FILE", help="With --csv: output CSV (- for standard "
        "output): every input column, then lon, lat, precision_m, status, match_kind, …",
    ),
    prefix: str = typer.Option(
        "", "--prefix", metavar="PREFIX", help="With --csv: put before each added column's name."
    ),
    as_json: bool = typer.Option(False, "--json", help=_JSON_HELP),
    gazetteer: list[str] | None = _GAZ(),  # noqa: B008
) -> None:
    """Resolve a place name to coordinates, with its precision, source and candidates;
    or, with --csv, a column of names in a CSV file.

    Examples:

        $ bordermap geocode "Green Mountains" --country PAK

        $ bordermap geocode --csv reports.csv --column place --country-column iso3 -o out.csv
    """
    from bordermap import _cli_geocode
    from bordermap.errors import AmbiguousPlaceError
    from bordermap.gazetteer import geocode_result

    if _cli_geocode.csv_mode(name, csv_in, column, country_column, output, prefix, as_json,
                             country):
        _cli_geocode.run_csv(csv_in, output, column, country_column, country, prefix, as_json)
        return
    assert name is not None
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
    if any(c.place == p and c.match == "fuzzy" for c in r.candidates):
        log.warning("%r is not a known name: %s (%s) is a fuzzy match", name, p.name, p.country)
    typer.echo(
        f"{p.name} ({p.country}, {p.kind}{', ' + p.admin if p.admin else ''}): "
        f"{_latlon(p.lon, p.lat)} ±{p.precision_m:,.0f} m"
    )
    typer.echo(f"source: {p.source}")
    typer.echo("candidates:")
    _candidate_lines(r.candidates)


# --- frontier / frontiers (bordermap.frontiers) ---


def _frontier_used(f: Any) -> Any:
    log.debug("frontier %s (%s), %s", f.name, "–".join(f.countries), f.boundaries_source)
    return f


@_command("frontier")
def frontier_cmd(
    name: str = typer.Argument(
        ..., metavar="FRONTIER", help="Named frontier (iran-pakistan) or ISO-3 pair (IRN-PAK)."
    ),
    as_json: bool = typer.Option(False, "--json", help=_JSON_HELP),
    boundaries: str | None = typer.Option(
        None, "--boundaries", metavar="FILE", help=_BOUNDARIES_HELP
    ),
    geometry: bool = typer.Option(False, "--geometry", help="With --json: include GeoJSON lines."),
) -> None:
    """A frontier: countries, segments, measured vs published length.

    Example:

        $ bordermap frontier india-pakistan
    """
    from bordermap.frontiers import get_frontier

    f = _frontier_used(get_frontier(name, boundaries))
    if as_json:
        _print_json(f.to_dict(include_geometry=geometry))
    else:
        _frontier_table([f])


@_command("frontiers")
def frontiers_cmd(
    as_json: bool = typer.Option(False, "--json", help=_JSON_HELP),
    boundaries: str | None = typer.Option(
        None, "--boundaries", metavar="FILE", help=_BOUNDARIES_HELP
    ),
) -> None:
    """List the named frontiers with their measured and published lengths.

    Example:

        $ bordermap frontiers --json
    """
    from bordermap.frontiers import all_frontiers

    frontiers = all_frontiers(boundaries)
    if as_json:
        _print_json([f.to_dict() for f in frontiers])
        return
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
    _console().print(table)


# --- coordinates on the command line ---


# --- pair / corridor (bordermap.pairs, bordermap.corridors) ---


@_command("pair")
def pair_cmd(
    a: str = typer.Argument(..., metavar="A", help='Start: a place name or "LON,LAT".'),
    b: str = typer.Argument(..., metavar="B", help='End: a place name or "LON,LAT".'),
    frontier: list[str] | None = typer.Option(  # noqa: B008
        None,
        "--frontier",
        metavar="FRONTIER",
        help="Frontier to cross (name or ISO3-ISO3); repeatable. "
        "Default: the named frontiers of the countries of A and B.",
    ),
    as_json: bool = typer.Option(False, "--json", help=_JSON_HELP),
    boundaries: str | None = typer.Option(
        None, "--boundaries", metavar="FILE", help=_BOUNDARIES_HELP
    ),
    gazetteer: list[str] | None = _GAZ(),  # noqa: B008
) -> None:
    """Geodesic distance and azimuth from A to B, and where the path crosses frontiers.

    Example:

        $ bordermap pair Panjgur Saravan
    """
    from bordermap._cli_geocode import resolve_pair
    from bordermap.pairs import pair

    used = []
    if frontier:
        from bordermap.frontiers import get_frontier

        used = [_frontier_used(get_frontier(n, boundaries)) for n in frontier]
        _warn_swaps([a, b], used)
    end_a, end_b = resolve_pair(a, b, [c for f in used for c in f.countries])
    p = pair(end_a, end_b, frontiers=frontier or None, boundaries=boundaries)
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
            f"crosses {c.frontier} ({c.segment or 'line'}) at {_latlon(c.lon, c.lat, 6)}, "
            f"{c.distance_from_a_km:,.3f} km from A"
        )


@_command("corridor")
def corridor_cmd(
    frontier: str = typer.Argument(
        ..., metavar="FRONTIER", help="Named frontier (iran-pakistan) or ISO3-ISO3."
    ),
    km: str = typer.Option(
        "10,25,50", "--km", metavar="KM,KM…", callback=_km_list,
        help="Band edges in km, comma-separated.",
    ),
    side: str | None = typer.Option(
        None, "--side", metavar="ISO3", help="Keep one country's side (ISO-3 code)."
    ),
    output: str = typer.Option(
        ..., "-o", "--output", metavar="FILE",
        help="Output file: .geojson or .gpkg; - writes GeoJSON to standard output.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the bands as JSON."),
    boundaries: str | None = typer.Option(
        None, "--boundaries", metavar="FILE", help=_BOUNDARIES_HELP
    ),
) -> None:
    """Write geodesic distance bands along a frontier and print their areas.

    Example:

        $ bordermap corridor iran-pakistan --km 10,25,50 -o bands.geojson
    """
    from bordermap._cli_runtime import copy_to_stdout, scratch_dir
    from bordermap.corridors import write_bands

    if output == STDIO and as_json:
        raise CliUsageError(
            "--json and -o - would both write to standard output", "bordermap corridor"
        )
    with scratch_dir() as tmp:
        target = tmp / "bands.geojson" if output == STDIO else output
        bands = write_bands(frontier, km, target, side=side, boundaries=boundaries)
        if output == STDIO:
            copy_to_stdout(target)
    rows = bands.drop(columns="geometry").to_dict(orient="records")
    if as_json:
        _print_json({"output": output, "bands": rows})
        return
    say = log.info if output == STDIO else typer.echo
    for r in rows:
        where = f" in {r['side']}" if r["side"] else ""
        say(f"{r['band']:>12}{where}: {r['area_km2']:,.1f} km²")
    say(f"wrote {len(rows)} bands to {'standard output' if output == STDIO else output}")


# --- distance (bordermap.analysis) ---


def _points_arg(
    values: list[str], countries: tuple[str, ...] = ()
) -> tuple[list[str], list[tuple[float, float]], list[float], list[Any]]:
    """Place names (looked up in the gazetteer; a fuzzy match only in or next to
    ``countries``) or "LON,LAT" strings -> labels, points, uncertainty radii (m; 0 for
    coordinates) and curated area polygons (or None)."""
    from bordermap._cli_geocode import resolve_name

    labels, points, precision, areas = [], [], [], []
    for value in values:
        point = _literal_lonlat(value)
        if point is not None:
            labels.append(value.strip())
            points.append(point)
            precision.append(0.0)
            areas.append(None)
        else:
            place = resolve_name(value, countries)
            labels.append(place.name)
            points.append((place.lon, place.lat))
            precision.append(place.precision_m)
            areas.append(place.geometry() if place.area_wkt else None)
    return labels, points, precision, areas


def _nan_to_none(value: Any, digits: int) -> float | None:
    return None if value != value else round(float(value), digits)


@_command("distance")
def distance_cmd(
    places: list[str] = typer.Argument(  # noqa: B008
        ..., metavar="PLACE", help='Place names or "LON,LAT" (longitude first).'
    ),
    frontier: str = typer.Option(
        ..., "--frontier", "-f", metavar="FRONTIER",
        help="Named frontier (iran-pakistan) or ISO3-ISO3.",
    ),
    on_line_m: float = typer.Option(
        100.0, "--on-line-m", metavar="M",
        help="Points nearer the line than this many metres are 'on the line'.",
    ),
    as_json: bool = typer.Option(False, "--json", help=_JSON_HELP),
    boundaries: str | None = typer.Option(
        None, "--boundaries", metavar="FILE", help=_BOUNDARIES_HELP
    ),
    scheduler: str | None = scheduler_option(),
    gazetteer: list[str] | None = _GAZ(),  # noqa: B008
) -> None:
    """Geodesic distance from places to a frontier, the nearest point, segment and side.

    Example:

        $ bordermap distance "Green Mountains" Saravan 63.72,26.95 -f iran-pakistan
    """
    from bordermap.analysis import analyse
    from bordermap.frontiers import get_frontier

    f = _frontier_used(get_frontier(frontier, boundaries))
    _warn_swaps(places, [f])
    labels, points, precision, areas = _points_arg(places, tuple(f.countries))
    with on_scheduler(scheduler):
        gdf = analyse(points, frontier=f, boundaries=boundaries, on_line_m=on_line_m,
                      precision_m=precision,
                      areas=areas if any(a is not None for a in areas) else None)
    rows = []
    for label, prec, (_i, r) in zip(labels, precision, gdf.iterrows(), strict=True):
        rows.append({
            "place": label,
            "lon": round(float(r.geometry.x), 7),
            "lat": round(float(r.geometry.y), 7),
            "distance_km": round(float(r.distance_km), 4),
            "nearest_lon": round(float(r.nearest_lon), 7),
            "nearest_lat": round(float(r.nearest_lat), 7),
            "azimuth_deg": _nan_to_none(r.azimuth_deg, 3),
            "segment": r.segment,
            "segment_kind": r.segment_kind,
            "country": r.country,
            "side": r.side,
            "signed_distance_km": _nan_to_none(r.signed_distance_km, 4),
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
        azimuth = "" if r["azimuth_deg"] is None else f", azimuth {r['azimuth_deg']}°"
        typer.echo(
            f"{r['place']}: {r['phrase']}; nearest point "
            f"{_latlon(r['nearest_lon'], r['nearest_lat'])} on the {r['segment']} "
            f"({r['segment_kind']}){azimuth}"
        )


# --- layers from standard input ---


def _layer_args(layers: list[str], tmp: Any, command: str) -> list[str]:
    """Replace a "-" layer by a file holding standard input (YAML/GeoJSON/CSV sniffed)."""
    from bordermap import _cli_runtime

    if layers.count(STDIO) > 1:
        raise CliUsageError("standard input (-) can be given only once", command)
    if STDIO not in layers:
        return list(layers)
    path = _cli_runtime.spool_stdin_layer(tmp)
    _cli_runtime.stdin_paths.append(str(path))
    return [str(path) if x == STDIO else x for x in layers]


# --- map and examples (bordermap.maps, bordermap.examples) ---


@_command("map")
def map_cmd(
    layers: list[str] = typer.Argument(  # noqa: B008
        ..., metavar="LAYER",
        help="Incident layer files (.yaml, .csv, .geojson, .parquet); - reads one from "
        "standard input.",
    ),
    output: str = typer.Option(
        ..., "-o", "--output", metavar="FILE",
        help="Output HTML file; - writes it to standard output.",
    ),
    corridor_km: str = typer.Option(
        "10,25,50", "--corridor-km", metavar="KM,KM…", callback=_km_list,
        help="Corridor band widths in km ('' for none).",
    ),
    offline: bool = typer.Option(
        False, "--offline", help="One self-contained file: no tiles, vector basemap, inlined JS."
    ),
    title: str | None = typer.Option(None, "--title", metavar="TITLE", help="Map title."),
    raster: list[str] | None = typer.Option(  # noqa: B008
        None, "--raster", metavar="FILE",
        help="GeoTIFF drawn as an overlay with a legend; repeatable.",
    ),
    frontier: list[str] | None = typer.Option(  # noqa: B008
        None, "--frontier", "-f", metavar="FRONTIER",
        help="Frontier to draw and measure against (iran-pakistan, THA-KHM, "
        "thailand-cambodia, loc); repeatable. Default: the frontiers the incidents are about.",
    ),
    input_format: str | None = _input_format_option(),
    as_json: bool = typer.Option(False, "--json", help=_JSON_HELP),
    gazetteer: list[str] | None = _GAZ(),  # noqa: B008
) -> None:
    """Draw incident layers on a layered, offline-capable HTML map.

    Example:

        $ bordermap map layers/iran-pakistan-2024.yaml -o irn-pak.html --offline
    """
    from bordermap._cli_runtime import copy_to_stdout, scratch_dir
    from bordermap.maps import make_map

    if output == STDIO and as_json:
        raise CliUsageError("--json and -o - would both write to standard output", "bordermap map")
    with scratch_dir() as tmp:
        paths = _layer_args(layers, tmp, "bordermap map")
        target = tmp / "map.html" if output == STDIO else output
        path = make_map(
            paths, target, corridor_km=corridor_km, offline=offline, title=title,
            rasters=raster or (), frontiers=frontier or None, input_format=input_format,
        )
        if output == STDIO:
            copy_to_stdout(path)
            return
    if as_json:
        _print_json({"output": str(path), "offline": offline, "layers": list(layers),
                     "rasters": raster or []})
        return
    typer.echo(f"wrote {path}")


@_command("examples")
def examples_cmd(
    output: str = typer.Option(
        "output", "-o", "--output", metavar="FOLDER", help="Output folder."
    ),
    as_json: bool = typer.Option(False, "--json", help=_JSON_HELP),
) -> None:
    """Build the two scenario maps (Iran–Pakistan 2024, India–Pakistan 2025).

    Example:

        $ bordermap examples -o output
    """
    from bordermap.examples import build_examples

    if output == STDIO:
        raise CliUsageError(
            "examples writes four files: give a folder, not -", "bordermap examples"
        )
    paths = build_examples(output)
    if as_json:
        _print_json({"outputs": [str(p) for p in paths]})
        return
    for path in paths:
        typer.echo(f"wrote {path}")


# --- check (bordermap.checks) ---


@_command("check")
def check_cmd(
    layers: list[str] = typer.Argument(  # noqa: B008
        ..., metavar="LAYER",
        help="Layer files, or folders of them (.yaml, .csv, .geojson, .parquet)."
    ),
    as_json: bool = typer.Option(False, "--json", help=_JSON_HELP),
    boundaries: str | None = typer.Option(
        None, "--boundaries", metavar="FILE", help=_BOUNDARIES_HELP
    ),
    input_format: str | None = _input_format_option(),
    gazetteer: list[str] | None = _GAZ(),  # noqa: B008
) -> None:
    """Report every problem of each layer at once: fields, places, sources, and whether
    reported distances, stated countries and 'inside X' claims agree with the map.

    Exits 1 when any problem is an error (warnings alone exit 0).

    Example:

        $ bordermap check layers/
    """
    from dataclasses import asdict

    from bordermap.checks import check_layers, summary

    problems = check_layers(layers, boundaries=boundaries, input_format=input_format)
    if as_json:
        _print_json({"problems": [asdict(p) for p in problems], "summary": summary(problems)})
    else:
        for p in problems:
            typer.echo(str(p))
        typer.echo(summary(problems), err=True)
    if any(p.severity == "error" for p in problems):
        raise typer.Exit(1)


# --- export (bordermap.export) ---


@_command("export")
def export_cmd(
    layers: list[str] = typer.Argument(  # noqa: B008
        ..., metavar="LAYER",
        help="Incident layer files (.yaml, .csv, .geojson, .parquet), names in layers/, "
        "or - for one layer on standard input.",
    ),
    fmt: str | None = typer.Option(
        None, "--format", metavar="FORMAT", callback=_export_format,
        help="Output format: geojson, gpkg, kml, csv or geoparquet (default: from the output "
        "name; geojson for -o -). The input layout is --input-format.",
    ),
    output: str = typer.Option(
        ..., "-o", "--output", metavar="PATH",
        help="Output file (gpkg, kml) or folder (geojson, csv, geoparquet); - writes the incidents "
        "as GeoJSON or CSV to standard output.",
    ),
    frontier: list[str] | None = typer.Option(  # noqa: B008
        None, "--frontier", "-f", metavar="FRONTIER",
        help="Frontier to measure against (iran-pakistan, THA-KHM, thailand-cambodia, loc); "
        "repeatable: each point is measured against the nearest. Default: the frontiers "
        "between the layer's countries and their neighbours.",
    ),
    bands_km: str | None = typer.Option(
        None, "--bands-km", metavar="KM,KM…", callback=_km_list,
        help="Corridor band edges in km ('' for no bands). Default: 10,25,50 (none with -o -).",
    ),
    rings_km: str = typer.Option(
        "", "--rings-km", metavar="KM,KM…", callback=_km_list,
        help="Range-ring radii in km around every impact ('' for none).",
    ),
    tables: str | None = typer.Option(
        None, "--tables", metavar="NAME,NAME…",
        help="Tables to write (by name, e.g. the layer's name,claims); with a .geojson "
        "file they go into one FeatureCollection. Default: every table (the incidents "
        "only for one .geojson file).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print what was written as JSON."),
    boundaries: str | None = typer.Option(
        None, "--boundaries", metavar="FILE", help=_BOUNDARIES_HELP
    ),
    scheduler: str | None = scheduler_option(),
    input_format: str | None = _input_format_option(),
    gazetteer: list[str] | None = _GAZ(),  # noqa: B008
) -> None:
    """Export layers with distances and sides, frontiers, bands and rings for GIS tools.

    Examples:

        $ bordermap export layers/india-pakistan-2025.yaml -o ind-pak.gpkg

        $ cat layer.yaml | bordermap export - --format geojson -o - | jq .features
    """
    from bordermap._cli_runtime import scratch_dir
    from bordermap.export import export_layers

    if output == STDIO:
        fmt = _check_export_stdout(layers, fmt, bands_km, rings_km, as_json)
    with on_scheduler(scheduler), scratch_dir() as tmp:
        paths = _layer_args(layers, tmp, "bordermap export")
        log.debug("exporting %s to %s", ", ".join(layers), output)
        if output == STDIO:
            _export_stdout(paths, tmp, fmt, frontier=frontier, boundaries=boundaries,
                           input_format=input_format)
            return
        summary = export_layers(
            paths,
            output,
            format=fmt,
            frontier=frontier,
            bands_km=("10,25,50" if bands_km is None else bands_km) or None,
            rings_km=rings_km or None,
            boundaries=boundaries,
            tables=tables or None,
            input_format=input_format,
        )
    if as_json:
        _print_json(summary.to_dict())
        return
    for name, count in summary.tables:
        typer.echo(f"{name}: {count} features")
    typer.echo(f"wrote {', '.join(summary.files)}")


# --- extract (bordermap.extract; the command's body is in _cli_extract) ---

from bordermap._cli_extract import register as _register_extract  # noqa: E402

_register_extract(app, _command)


# --- analyse (bordermap.analysis through export.layer_tables; body in _cli_analyse) ---

from bordermap._cli_analyse import register as _register_analyse  # noqa: E402

_register_analyse(app, _command)


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code (see :mod:`bordermap._cli_runtime`)."""
    import time

    from bordermap import _settings
    from bordermap._cli_runtime import run

    state = _settings.snapshot()  # main() may run inside another program (the tests)
    _settings.configure()
    started = time.perf_counter()

    def invoke() -> Any:
        rv = app(args=argv, prog_name="bordermap", standalone_mode=False)
        if not rv:  # not interrupted (typer returns 130 for a KeyboardInterrupt)
            log.debug("finished in %.2f s", time.perf_counter() - started)
        return rv

    try:
        return run(invoke)
    finally:
        _settings.restore(state)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
