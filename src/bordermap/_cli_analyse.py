"""``bordermap analyse``: every incident of a layer measured against its frontier, on screen.

Registered from :mod:`bordermap.cli` (``register(app, command)``).  The numbers are
:func:`bordermap.export.layer_tables`' (the columns of :func:`bordermap.analysis.analyse`,
against the frontiers the layer is about unless ``--frontier`` names them); this module
only chooses what a reader sees first: a summary per layer and the incidents nearest
the line, with their uncertainty.  ``--csv`` and ``--json`` print every row instead.
"""

from __future__ import annotations

import json
import math
import sys
from typing import Any

import typer

from bordermap._cli_runtime import CliUsageError

__all__ = ["register", "summary_lines"]

#: Columns of the on-screen table: (column, heading).
_SHOWN = (
    ("id", "id", 16),
    ("date_text", "date", 10),
    ("place", "place", 18),
    ("distance_km", "km (range)", 17),
    ("side", "side", 6),
    ("frontier", "frontier", 12),
)
#: Columns of --csv/--json, in this order (those a table has).
_OUT = ("id", "layer", "title", "kind", "date_start", "date_end", "date_precision", "actor",
        "target_side", "place", "place_id", "precision_m", "geo_precision", "lon", "lat",
        "frontier",
        "distance_km", "min_distance_km", "max_distance_km", "signed_distance_km", "side",
        "side_certain", "country", "nearest_lon", "nearest_lat", "segment", "segment_kind",
        "phrase")


def summary_lines(name: str, table: Any) -> list[str]:
    """One line per fact a reader wants first about a layer's analysed incidents.

    >>> import pandas as pd
    >>> t = pd.DataFrame({"side": ["PAK", "PAK", "IRN", ""], "frontier": ["iran-pakistan"] * 4,
    ...                   "distance_km": [3.0, 9.0, 1.0, 0.05], "side_certain": [1, 0, 1, 0]})
    >>> for line in summary_lines("demo", t): print(line)
    demo: 4 incidents measured against iran-pakistan
      by side: PAK 2, IRN 1, on the line or elsewhere 1; side uncertain for 2
      distance to the line: median 2.0 km, 90th percentile 7.2 km, largest 9.0 km
    """
    n = len(table)
    fronts = ", ".join(dict.fromkeys(str(f) for f in table.get("frontier", []) if f)) or "none"
    out = [f"{name}: {n} incident{'s' if n != 1 else ''} measured against {fronts}"]
    if n == 0:
        return out
    sides = table["side"].fillna("").astype(str)
    counts = sides[sides != ""].value_counts()
    parts = [f"{s} {c}" for s, c in counts.items()]
    if (sides == "").any():
        parts.append(f"on the line or elsewhere {(sides == '').sum()}")
    uncertain = int((~table["side_certain"].astype(bool)).sum()) \
        if "side_certain" in table else 0
    out.append("  by side: " + ", ".join(parts)
               + (f"; side uncertain for {uncertain}" if uncertain else ""))
    d = table["distance_km"].astype(float).dropna()
    if len(d):
        out.append(f"  distance to the line: median {d.median():.1f} km, 90th percentile "
                   f"{d.quantile(0.9):.1f} km, largest {d.max():.1f} km")
    return out


def _km_range(row: Any) -> str:
    d = float(row.get("distance_km", math.nan))
    lo, hi = row.get("min_distance_km"), row.get("max_distance_km")
    if math.isnan(d):
        return "–"
    if lo is None or hi is None or math.isnan(float(lo)) or abs(float(hi) - float(lo)) < 0.05:
        return f"{d:.1f}"
    return f"{d:.1f} ({float(lo):.1f}–{float(hi):.1f})"


def _print_table(name: str, table: Any, limit: int) -> None:
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    from bordermap._cli_text import _console

    shown = table.sort_values("distance_km", kind="stable").head(limit)
    columns = [(c, h, w) for c, h, w in _SHOWN
               if c != "frontier" or table["frontier"].nunique() > 1]
    t = Table(title=f"{escape(name)}: nearest the line first", title_justify="left",
              box=box.SIMPLE_HEAD, pad_edge=False)
    for col, heading, width in columns:
        t.add_column(heading, justify="right" if col == "distance_km" else "left",
                     no_wrap=True, overflow="ellipsis", max_width=width,
                     min_width=width if col in ("distance_km", "side") else None)
    for _, row in shown.iterrows():
        cells = []
        for col, _, _ in columns:
            if col == "distance_km":
                cells.append(_km_range(row))
            elif col == "side":
                side = str(row.get("side") or "")
                certain = bool(row.get("side_certain", True))
                cells.append(escape(side + ("" if certain or not side else " ?")))
            else:
                v = row.get(col)
                cells.append("" if v is None or v != v else escape(str(v)))
        t.add_row(*cells)
    _console().print(t)
    if len(table) > limit:
        typer.echo(f"  … {len(table) - limit} more (--limit N, or --csv for every row)")


def _columns(table: Any) -> list[str]:
    return [c for c in _OUT if c in table.columns]


def _records(table: Any) -> list[dict[str, Any]]:
    import pandas as pd

    df = pd.DataFrame(table.drop(columns=table.geometry.name))
    df["lon"], df["lat"] = table.geometry.x.to_numpy(), table.geometry.y.to_numpy()
    df = df[_columns(df)]
    return [{k: _plain(v) for k, v in rec.items()} for rec in df.to_dict(orient="records")]


def _plain(v: Any) -> Any:
    """A JSON-ready value: NaN as None, timestamps as ISO 8601 (UTC as Z), numpy as Python."""
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "isoformat"):
        return v.isoformat().replace("+00:00", "Z")
    return v.item() if hasattr(v, "item") else v


def register(app: Any, command: Any) -> None:
    """Add ``analyse`` to the typer ``app`` through the CLI's ``command`` decorator."""
    from bordermap._cli_places import gazetteer_option
    from bordermap._cli_text import _input_format_option

    @command("analyse")
    def analyse_cmd(
        layers: list[str] = typer.Argument(  # noqa: B008
            ..., metavar="LAYER",
            help="Incident layer files (.yaml, .csv, .geojson, .parquet, ACLED or UCDP CSV) or "
            "names in layers/.",
        ),
        frontier: list[str] | None = typer.Option(  # noqa: B008
            None, "--frontier", "-f", metavar="FRONTIER",
            help="Frontier to measure against; repeatable (each point against the nearest). "
            "Default: the frontiers between the layer's countries and their neighbours.",
        ),
        limit: int = typer.Option(20, "--limit", min=0, metavar="N",
                                  help="Rows shown per layer (nearest the line first)."),
        as_csv: bool = typer.Option(False, "--csv", help="Print every row as CSV."),
        as_json: bool = typer.Option(False, "--json", help="Print every row as JSON."),
        boundaries: str | None = typer.Option(
            None, "--boundaries", metavar="FILE",
            help="Country boundary file to use instead of the embedded one."),
        input_format: str | None = _input_format_option(),
        gazetteer: list[str] | None = gazetteer_option(),  # noqa: B008
    ) -> None:
        """Measure every incident of a layer against its frontier: a summary, then the rows.

        For each layer: how many incidents lie on each side, how many sides are
        uncertain (the place's extent reaches the line), the median and largest
        distance; then the incidents nearest the line, each distance with its
        range over the place's uncertainty.  --csv or --json print every row with
        every measured column.

        Examples:

            $ bordermap analyse layers/iran-pakistan-2024.yaml

            $ bordermap analyse acled-export.csv --frontier THA-KHM --csv > measured.csv
        """
        from bordermap.export import layer_tables
        from bordermap.io._export import _load

        if as_csv and as_json:
            raise CliUsageError("--csv and --json cannot be combined", "bordermap analyse")
        if "-" in layers:
            raise CliUsageError("analyse reads files; pipe into 'bordermap export - -o -' "
                                "for standard input", "bordermap analyse")
        loaded = [_load(p, input_format) for p in layers]
        tables, _ = layer_tables(loaded, frontier=frontier or None, bands_km=None,
                                 boundaries=boundaries, claims=False)
        incident_tables = [(layer.name, tables[layer.name]) for layer in loaded
                           if layer.name in tables]
        if as_json:
            typer.echo(json.dumps({n: _records(t) for n, t in incident_tables},
                                  ensure_ascii=False, indent=1, default=str))
            return
        if as_csv:
            import pandas as pd

            frames = []
            for n, t in incident_tables:
                df = pd.DataFrame(_records(t))
                if "layer" not in df.columns:
                    df.insert(0, "layer", n)
                frames.append(df)
            out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
            from bordermap.io._escape import spreadsheet_cell

            for col in out.columns:  # analyst text is untrusted in spreadsheets too
                if out[col].dtype == object or pd.api.types.is_string_dtype(out[col].dtype):
                    out[col] = out[col].map(
                        lambda v: spreadsheet_cell(v) if isinstance(v, str) else v)
            out.to_csv(sys.stdout, index=False, lineterminator="\n")
            return
        for n, t in incident_tables:
            for line in summary_lines(n, t):
                typer.echo(line)
            if len(t) and limit:
                _print_table(n, t, limit)
