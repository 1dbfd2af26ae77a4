"""The progress bar of long exports: rich, on stderr, only for a person watching.

Shown only when stderr is a terminal, progress is enabled (:func:`set_progress`)
and the ``bordermap`` logger lets warnings through (``logging.getLogger(
"bordermap").setLevel(logging.ERROR)`` silences it, as a ``--quiet`` flag would).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["progress", "set_progress"]

_ENABLED = True


def set_progress(enabled: bool) -> None:
    """Turn the progress bar of long exports on or off (on by default).

    Examples
    --------
    >>> set_progress(False); set_progress(True)
    """
    global _ENABLED
    _ENABLED = bool(enabled)


def _wanted() -> bool:
    """On a terminal, unless switched off here, by ``--quiet`` or ``BORDERMAP_PROGRESS=0``
    (:func:`bordermap._settings.progress_enabled`, which ``BORDERMAP_PROGRESS=1`` forces on)."""
    import os

    from bordermap import _settings

    forced = getattr(_settings, "_progress", None)
    if not _ENABLED or forced is False:
        return False
    env = os.environ.get("BORDERMAP_PROGRESS", "").strip().lower()
    level = logging.getLogger("bordermap").level
    if env in ("0", "false", "no", "off") or (level and level > logging.INFO):
        return False  # switched off, or the command line's --quiet
    if forced or env in ("1", "true", "yes", "on"):
        return True
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


class _Silent:
    def update(self, done: int, total: int, rows: int) -> None:
        pass


class _Bar:
    def __init__(self, bar: Any, task: Any) -> None:
        self.bar = bar
        self.task = task

    def update(self, done: int, total: int, rows: int) -> None:
        self.bar.update(self.task, completed=done, total=max(total, 1), rows=rows)


@contextmanager
def progress(what: str) -> Iterator[Any]:
    """A bar with ``update(bytes_done, bytes_total, rows)``; silent unless wanted."""
    if not _wanted():
        yield _Silent()
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%  {task.fields[rows]:,} rows"),
        TimeRemainingColumn(),
        console=Console(file=sys.stderr),
        transient=True,
    )
    with bar:
        yield _Bar(bar, bar.add_task(what, total=None, rows=0))
