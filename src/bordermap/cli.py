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


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; turn bordermap errors into one line on stderr and exit code 1."""
    from bordermap.errors import BordermapError

    try:
        app(args=argv, standalone_mode=False)
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
