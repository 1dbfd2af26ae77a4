"""``bordermap extract``: a report's text to place mentions, dates, distances and a draft layer.

Registered from :mod:`bordermap.cli` (``register(app, command)``); the logic is
:mod:`bordermap.extract`'s, the page :mod:`bordermap.maps.mentions`'.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

from bordermap._cli_runtime import STDIO, CliUsageError

__all__ = ["register"]

_EXAMPLE = """Example:

    $ bordermap extract report.txt -o draft.yaml --map places.html

    $ cat report.txt | bordermap extract - --date 2024-01-17 --json
"""


def _read_stdin() -> tuple[str, str]:
    from bordermap.extract import ArticleError, decode_article
    from bordermap.extract.text import MAX_TEXT_BYTES

    if sys.stdin is None or sys.stdin.isatty():
        raise ArticleError("'-' reads the report from standard input, but nothing is piped in",
                           suggestion="e.g. cat report.txt | bordermap extract -")
    data = sys.stdin.buffer.read(MAX_TEXT_BYTES + 1)
    return decode_article(data, "<stdin>"), "<stdin>"


def _summary(ex: Any, name: str) -> None:
    for m in ex.mentions:
        c = m.best
        what = "not in the gazetteer" if c is None else f"{c.id} {c.name}" + (
            f" ({c.country}) {c.confidence:.2f}" if m.kind == "place" else "")
        more = f" (+{len(m.candidates) - 1} more)" if m.status == "ambiguous" else ""
        typer.echo(f"{name}:{m.start}-{m.end}: {m.text!r} {m.kind} {m.status}: {what}{more}")
    for d in ex.dates:
        typer.echo(f"{name}:{d.start}-{d.end}: date {d.text!r} -> {d.value or 'unanchored'} "
                   f"({d.how})")
    for x in ex.distances:
        km = f"{x.low_km:g}" if x.low_km == x.high_km else f"{x.low_km:g}-{x.high_km:g}"
        typer.echo(f"{name}:{x.start}-{x.end}: distance {km} km from {x.measured_from}: "
                   f"{x.text!r}")


def register(app: Any, command: Any) -> None:
    """Add ``extract`` to the typer ``app`` through the CLI's ``command`` decorator."""

    @command("extract")
    def extract_cmd(
        article: str = typer.Argument(
            ..., metavar="ARTICLE", help="The report as UTF-8 text; - reads standard input."
        ),
        output: str | None = typer.Option(
            None, "-o", "--output", metavar="FILE",
            help="Write the draft incident layer (YAML); - writes it to standard output.",
        ),
        map_path: str | None = typer.Option(
            None, "--map", metavar="FILE", help="Write an HTML map of the mentions and quotes."
        ),
        date: str | None = typer.Option(
            None, "--date", metavar="YYYY-MM-DD",
            help="The report's date (default: its dateline), to anchor dates without a year, "
            "weekdays and 'the next day'.",
        ),
        offline: bool = typer.Option(False, "--offline", help="--map without base-map tiles."),
        as_json: bool = typer.Option(False, "--json", help="Print the mentions, dates and "
                                     "distances as JSON."),
    ) -> None:
        """Find the places, dates and distances a report gives, and draft incidents from them.

        Each place mention gets its character offsets, its sentence, and ranked
        candidates with a confidence (resolved, ambiguous or unresolved). The draft
        layer leaves empty what the text does not say; `bordermap check` lists it.
        """
        from bordermap.extract import extract, parse_report_date, read_article

        if output == STDIO and as_json:
            raise CliUsageError("--json and -o - would both write to standard output",
                                "bordermap extract")
        if map_path == STDIO:
            raise CliUsageError("--map needs a file name, not -", "bordermap extract")
        anchor = None
        if date is not None:
            try:
                anchor = parse_report_date(date)
            except ValueError as exc:
                raise CliUsageError(f"--date: {exc}", "bordermap extract") from None
        if article == STDIO:
            text, name = _read_stdin()
        else:
            text, name = read_article(article), article
        ex = extract(text, report_date=anchor)
        title = Path(name).name if name != "<stdin>" else "standard input"
        if output is not None:
            layer = ex.draft_yaml(name=_layer_name(title), source_title=title)
            if output == STDIO:
                sys.stdout.write(layer)
            else:
                from bordermap.io._files import write_text

                write_text(output, layer)
        if map_path is not None:
            from bordermap.maps.mentions import mentions_map

            mentions_map(ex, map_path, title=f"Places named in {title}", offline=offline)
        if as_json:
            import json

            typer.echo(json.dumps(ex.to_dict(), ensure_ascii=False, indent=2))
        elif output != STDIO:
            _summary(ex, name)
        n = len(ex.draft_layer()["incidents"])
        for what, path in (("draft layer", output), ("map", map_path)):
            if path is not None and path != STDIO:
                typer.echo(f"wrote {what} {path}" + (f" ({n} draft incidents)"
                                                    if what == "draft layer" else ""), err=True)
        if not ex.mentions:
            typer.echo("bordermap: warning: no place names found in the text", err=True)
        if ex.report_date is None and any(d.value is None for d in ex.dates):
            typer.echo("bordermap: warning: no report date found, so dates without a year "
                       "are left empty (give --date YYYY-MM-DD)", err=True)

    import inspect

    extract_cmd.__doc__ = inspect.cleandoc(extract_cmd.__doc__ or "") + "\n\n" + _EXAMPLE


def _layer_name(title: str) -> str:
    import re

    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", Path(title).stem).strip("-")[:60]
    return f"draft-{stem or 'report'}"
