"""What the first index build tells the user while it runs (12-19 s).

On a terminal, a rich progress bar on stderr with the phase and the time
left; otherwise one line on stderr before the build starts.  Nothing at all
after :func:`set_progress` ``(False)`` (the command line's ``--quiet``).
"""

from __future__ import annotations

import sys
import time
from typing import Any

__all__ = ["set_progress"]

_STATE = {"enabled": True}

#: Share of the build time each phase takes (measured on the full GeoNames file).
_PHASES = {"read": 0.30, "names": 0.20, "keys": 0.35, "write": 0.15}
_LABELS = {
    "read": "reading places",
    "names": "normalising names",
    "keys": "hashing names",
    "write": "writing",
}
_TITLE = "building the gazetteer index"
#: Build speed in MB of GeoNames JSON a second, for the announced estimate.
_MB_PER_S = 5.5


def set_progress(enabled: bool) -> None:
    """Show (default) or silence the progress of index builds on stderr.

    Parameters
    ----------
    enabled : bool
        False silences the progress bar and the "building the gazetteer
        index" line (notices about a damaged cache are log warnings and are
        not affected).

    Examples
    --------
    >>> set_progress(False); set_progress(True)
    """
    _STATE["enabled"] = bool(enabled)


def progress_enabled() -> bool:
    """Whether index builds report their progress.

    Off after ``set_progress(False)``, with the command line's ``--quiet`` (the
    ``bordermap`` logger set above INFO), with ``BORDERMAP_PROGRESS=0``, or when
    :func:`bordermap._settings.set_progress` forced progress off.
    """
    import logging
    import os

    from bordermap import _settings

    if not _STATE["enabled"] or getattr(_settings, "_progress", None) is False:
        return False
    if os.environ.get("BORDERMAP_PROGRESS", "").strip().lower() in ("0", "false", "no", "off"):
        return False
    level = _settings.logger().level
    return not (level and level > logging.INFO)


def estimate_s(geonames_bytes: int) -> float:
    """Rough duration of a build, in seconds, from the size of the GeoNames file."""
    return max(1.0, geonames_bytes / 1e6 / _MB_PER_S)


class BuildProgress:
    """Context manager reporting a build's phases; call it as ``tick(phase, fraction)``.

    Parameters
    ----------
    what : str
        The line shown when stderr is not a terminal.
    announce : bool
        Print ``what`` when stderr is not a terminal (False when a notice
        about the build was already printed).
    """

    def __init__(self, what: str, *, announce: bool = True) -> None:
        self.what = what
        self.announce = announce
        self._bar: Any = None
        self._task: Any = None
        self._t0 = time.perf_counter()

    def __enter__(self) -> BuildProgress:
        if not progress_enabled():
            return self
        stream = sys.stderr
        if stream is not None and getattr(stream, "isatty", lambda: False)():
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                Progress,
                TaskProgressColumn,
                TextColumn,
                TimeRemainingColumn,
            )

            self._bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TaskProgressColumn(),
                TimeRemainingColumn(),
                console=Console(file=stream),
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task(f"{_TITLE}: starting", total=1.0)
        elif self.announce and stream is not None:
            print(self.what, file=stream, flush=True)
        return self

    def __call__(self, phase: str, fraction: float) -> None:
        if self._bar is None:
            return
        done = 0.0
        for name, share in _PHASES.items():
            if name == phase:
                done += share * min(max(fraction, 0.0), 1.0)
                break
            done += share
        self._bar.update(self._task, completed=done, description=f"{_TITLE}: {_LABELS[phase]}")

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()
