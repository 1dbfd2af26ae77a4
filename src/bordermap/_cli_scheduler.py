"""``--scheduler``: run a command's analysis on a dask distributed cluster.

The option is shared by the commands that analyse layers (``distance``,
``export``).  The scheduler is connected before anything is read or written, so
one that does not answer costs a few seconds and one line (exit 1), and leaves
no file behind; see :mod:`bordermap.cluster`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer

__all__ = ["SCHEDULER_HELP", "on_scheduler", "scheduler_option"]

SCHEDULER_HELP = (
    "Run the analysis on a dask cluster: tcp://HOST:PORT of a running scheduler, or "
    "'local' for a LocalCluster of one worker per core (pip install 'bordermap\\[dask]')."
)


def _check(value: str | None) -> str | None:
    if value is None:
        return None
    text = value.strip()
    if not text:
        raise typer.BadParameter("is empty; give tcp://HOST:PORT or local")
    from bordermap.cluster import is_address

    if text != "local" and not is_address(text):
        raise typer.BadParameter(
            f"{text!r} is not a scheduler address; give tcp://HOST:PORT (as "
            "`dask scheduler` prints it) or local"
        )
    return text


def scheduler_option() -> str | None:
    """The ``--scheduler ADDRESS`` option (a typer parameter default)."""
    return typer.Option(None, "--scheduler", metavar="ADDRESS", callback=_check,
                        help=SCHEDULER_HELP)


@contextmanager
def on_scheduler(address: str | None) -> Iterator[None]:
    """Open the scheduler for the block (nothing without an address)."""
    if address is None:
        yield
        return
    import logging
    import os

    from bordermap.cluster import scheduler

    log = logging.getLogger("bordermap")
    log.debug("connecting to the dask scheduler %s", address)
    # dask's own log lines (worker start-up, shutdown) would break "one line per message";
    # failures still reach us as exceptions.  --verbose keeps dask's warnings.
    level = "warning" if log.isEnabledFor(logging.DEBUG) else "critical"
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", level)  # LocalCluster's workers
    import distributed  # noqa: F401 - configures its loggers on import; then quieten them

    logging.getLogger("distributed").setLevel(level.upper())
    with scheduler(address) as client:
        log.debug("dask scheduler %s: %d worker threads", client.scheduler.address,
                  sum(client.nthreads().values()))
        yield
