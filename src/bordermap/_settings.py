"""Run-time output settings shared by the command line and the library.

The command line's global ``--quiet`` and ``--verbose`` options set them; the
library reads them.  Messages go through the standard :mod:`logging` module on
the ``bordermap`` logger (progress notes at INFO, details and timings at DEBUG,
warnings at WARNING), so a program that imports bordermap configures them as it
configures any library's logging.

Progress bars (the gazetteer's first index build, long exports) ask
:func:`progress_enabled` before drawing anything: ``--quiet`` turns them off,
so does ``BORDERMAP_PROGRESS=0``, and they are off when standard error is not
a terminal unless ``BORDERMAP_PROGRESS=1``.

Examples
--------
>>> set_progress(False)
>>> progress_enabled()
False
>>> set_progress(None)  # back to automatic
"""

from __future__ import annotations

import logging
import os
import sys

__all__ = ["LOGGER_NAME", "configure", "logger", "progress_enabled", "set_progress"]

#: Name of the logger every bordermap module logs to (``logging.getLogger(LOGGER_NAME)``).
LOGGER_NAME = "bordermap"

_progress: bool | None = None  # None: automatic


def logger() -> logging.Logger:
    """The ``bordermap`` logger."""
    return logging.getLogger(LOGGER_NAME)


def set_progress(enabled: bool | None) -> None:
    """Force progress bars on (True) or off (False), or back to automatic (None)."""
    global _progress
    _progress = enabled


def progress_enabled() -> bool:
    """Whether a long-running step may draw a progress bar on standard error."""
    if _progress is not None:
        return _progress
    env = os.environ.get("BORDERMAP_PROGRESS", "").strip().lower()
    if env in ("0", "false", "no", "off"):
        return False
    if not logger().isEnabledFor(logging.INFO):
        return False
    if env in ("1", "true", "yes", "on"):
        return True
    stream = sys.stderr
    return bool(stream is not None and hasattr(stream, "isatty") and stream.isatty())


class _CliFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        text = record.getMessage()
        if record.levelno >= logging.WARNING:
            return f"bordermap: {record.levelname.lower()}: {text}"
        return f"bordermap: {text}"


def snapshot() -> tuple:
    """The logger and progress state, for :func:`restore` (the CLI run in-process)."""
    log = logger()
    return list(log.handlers), log.level, log.propagate, _progress


def restore(state: tuple) -> None:
    """Put back what :func:`snapshot` saved."""
    log = logger()
    handlers, level, propagate, progress = state
    log.handlers[:] = handlers
    log.setLevel(level)
    log.propagate = propagate
    set_progress(progress)


def configure(*, quiet: bool = False, verbose: int = 0) -> None:
    """Set up the ``bordermap`` logger for the command line.

    ``quiet`` shows warnings and errors only and turns progress bars off;
    ``verbose`` (1 or more) adds details such as the frontier and boundaries
    used and timings.  Messages go to standard error, one line each, as
    ``bordermap: …``.
    """
    log = logger()
    for h in list(log.handlers):
        if getattr(h, "_bordermap_cli", False):
            log.removeHandler(h)
    handler = logging.StreamHandler(sys.stderr)
    handler._bordermap_cli = True  # type: ignore[attr-defined]
    handler.setFormatter(_CliFormatter())
    log.addHandler(handler)
    log.propagate = False
    if quiet:
        log.setLevel(logging.WARNING)
    elif verbose:
        log.setLevel(logging.DEBUG)
    else:
        log.setLevel(logging.INFO)
    # Hook for progress bars: quiet turns them off; otherwise automatic (a terminal).
    set_progress(False if quiet else None)
