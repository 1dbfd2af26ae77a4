"""The ``--gazetteer FILE`` option shared by every command that resolves place names.

Each command declares ``gazetteer: list[str] | None = gazetteer_option()``; the
option's callback hands the files to :func:`bordermap.gazetteer.use_gazetteer_files`
while the command line is parsed, so every look-up the command makes (names
given as arguments, ``place:`` fields of layers) sees the user's places.  The
files are read on the first look-up: a bad row is one error line
``file:line: field: message`` with exit 1.
"""

from __future__ import annotations

from typing import Any

import typer

__all__ = ["GAZETTEER_HELP", "gazetteer_option"]

GAZETTEER_HELP = (
    "User gazetteer (YAML or CSV with id,name,aliases,kind,country,lon,lat,precision_m,"
    "area,admin,source; aliases separated by ';'); repeatable. Its places come before "
    "embedded places of the same name (each such name is reported)."
)


def _apply(values: list[str] | None) -> list[str] | None:
    from bordermap.gazetteer import use_gazetteer_files

    values = [v for v in values or () if v is not None]
    for v in values:
        if v.strip() in ("", "-"):
            raise typer.BadParameter(
                "give a file (standard input is not read for --gazetteer)"
                if v.strip() == "-"
                else "empty file name"
            )
    use_gazetteer_files(values)
    return values


def gazetteer_option() -> Any:
    """A fresh ``--gazetteer`` typer option (one per command)."""
    return typer.Option(
        None, "--gazetteer", metavar="FILE", help=GAZETTEER_HELP, callback=_apply
    )
