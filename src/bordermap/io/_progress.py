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
    if not _ENABLED or not logging.getLogger("bordermap").isEnabledFor(logging.WARNING):
        return False
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
