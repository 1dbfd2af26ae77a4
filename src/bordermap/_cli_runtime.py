"""How the command line runs: errors, exit codes, signals and standard streams.

Kept apart from :mod:`bordermap.cli` (which only declares the commands).

Exit codes
----------
0 ok; 1 error (bad data, a file that cannot be read or written); 2 usage
(unknown command or option, missing argument, bad option value); 130
interrupted (Ctrl-C or SIGTERM); 141 standard output closed early (a reader
such as ``head`` went away: the run ends quietly, as ``cat`` or ``ogrinfo``
killed by SIGPIPE would).

Every failure is one line on standard error, ``bordermap: error: …``; usage
errors add one line ``Try 'bordermap COMMAND --help'.``.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from typer.core import TyperCommand, TyperGroup

__all__ = [
    "EXIT_CODES_HELP",
    "EXIT_ERROR",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_PIPE",
    "EXIT_USAGE",
    "STDIO",
    "CliUsageError",
    "PipeClosedError",
    "PlainCommand",
    "PlainGroup",
    "copy_to_stdout",
    "run",
    "spool_stdin_layer",
]

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
EXIT_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a tool killed by a closed pipe

#: The argument that stands for standard input (layers) or standard output (-o).
STDIO = "-"

EXIT_CODES_HELP = (
    "Exit codes: 0 ok, 1 error, 2 usage error, 130 interrupted (Ctrl-C, SIGTERM), "
    "141 output pipe closed early."
)


class PipeClosedError(Exception):
    """Standard output was closed by its reader (EPIPE): end quietly with exit 141."""


class CliUsageError(Exception):
    """A combination of arguments the command cannot honour (exit 2, with the usage hint)."""

    def __init__(self, message: str, command: str = "bordermap") -> None:
        super().__init__(message)
        self.command = command


# --------------------------------------------------------------------------- help


def _plain_types(params: list[Any]) -> list[Any]:
    """Help shows metavars (KM, FILE …) and never Python type names (str, list[str] …)."""
    for p in params:
        if getattr(p, "_bm_plain", False) or not hasattr(p, "display_type_rich"):
            continue
        label = None
        if getattr(p, "param_type_name", "") == "option" and not getattr(p, "is_flag", False):
            label = p.metavar
        p.display_type_rich = lambda ctx, _label=label: _label
        p._bm_plain = True
    return params


class PlainCommand(TyperCommand):
    """A typer command whose help shows no Python type names."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _plain_types(super().get_params(ctx))


class PlainGroup(TyperGroup):
    """A typer group whose help shows no Python type names."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _plain_types(super().get_params(ctx))


# --------------------------------------------------------------------------- signals


def _install_signal_handlers() -> dict[int, Any]:
    """SIGINT and SIGTERM raise KeyboardInterrupt once; later signals wait for the cleanup.

    Writers remove their temporary files while the KeyboardInterrupt unwinds;
    a second Ctrl-C must not cut that short.  Returns the handlers replaced.
    """
    fired: list[int] = []
    old: dict[int, Any] = {}

    def handler(signum: int, frame: Any) -> None:
        if fired:
            return
        fired.append(signum)
        raise KeyboardInterrupt

    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(ValueError, OSError):  # not the main thread
            old[sig] = signal.signal(sig, handler)
    return old


def _restore_signal_handlers(old: dict[int, Any]) -> None:
    for sig, h in old.items():
        with contextlib.suppress(ValueError, OSError, TypeError):
            signal.signal(sig, h)


# --------------------------------------------------------------------------- streams


def _quiet_stdout() -> None:
    """Point standard output at /dev/null so that the exit flush cannot fail again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _fd1_identity() -> tuple[int, int] | None:
    try:
        st = os.fstat(1)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _pipe_was_closed(before: tuple[int, int] | None) -> bool:
    """Whether typer or rich already met a closed pipe and exited 1 their own way.

    typer wraps sys.stdout in click's PacifyFlushWrapper; rich points file
    descriptor 1 at /dev/null.  Either marks a closed pipe, not an error.
    """
    if type(sys.stdout).__name__ == "PacifyFlushWrapper":
        return True
    now = _fd1_identity()
    if now is None or now == before:
        return False
    try:
        null = os.stat(os.devnull)
    except OSError:
        return False
    return now == (null.st_dev, null.st_ino)


def _say(line: str) -> None:
    """One line on standard error; a closed stderr is not worth a second failure."""
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(line + "\n")
        sys.stderr.flush()


def copy_to_stdout(path: str | os.PathLike[str]) -> None:
    """Copy a finished file to standard output (for ``-o -``)."""
    sys.stdout.flush()
    with open(path, "rb") as fh:
        shutil.copyfileobj(fh, sys.stdout.buffer, 1 << 20)
    sys.stdout.buffer.flush()


def _sniff_layer_suffix(head: bytes) -> str:
    """The file extension of a layer given on standard input, judged from its first bytes."""
    if head.startswith(b"PAR1"):
        return ".parquet"
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if text.startswith(("{", "[")):
        return ".geojson"
    import re

    for line in text.splitlines():
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        if s.startswith(("---", "%")) or re.match(r"[\w\"' .-]+\s*:(\s|$)", s):
            return ".yaml"
        return ".csv" if "," in s else ".yaml"
    return ".yaml"


def spool_stdin_layer(folder: str | os.PathLike[str]) -> Path:
    """Copy standard input into ``folder``/stdin.<ext> (YAML, GeoJSON or CSV by content)."""
    from bordermap.errors import LayerError

    stream = sys.stdin.buffer if sys.stdin is not None else None
    if stream is None or sys.stdin.isatty():
        raise LayerError(
            "'-' reads a layer from standard input, but nothing is piped in",
            suggestion="e.g. cat layer.yaml | bordermap export - -o out.gpkg",
        )
    head = stream.read(65536)
    if not head:
        raise LayerError("standard input is empty", path="<stdin>")
    path = Path(folder) / f"stdin{_sniff_layer_suffix(head)}"
    with open(path, "wb") as out:
        out.write(head)
        shutil.copyfileobj(stream, out, 1 << 20)
    return path


@contextlib.contextmanager
def scratch_dir() -> Iterator[Path]:
    """A private temporary folder, removed however the command ends."""
    with tempfile.TemporaryDirectory(prefix="bordermap-") as d:
        yield Path(d)


# --------------------------------------------------------------------------- messages


def _click_exceptions() -> Any:
    """The click exceptions module typer uses (its vendored copy or click itself)."""
    import typer

    return sys.modules[typer.BadParameter.__module__]


_TYPE_WORDS = (
    ("is not a valid float", "is not a number"),
    ("is not a valid integer", "is not a whole number"),
    ("is not a valid boolean", "is not yes/no"),
)


def _usage_message(text: str) -> str:
    from bordermap.errors import one_line

    for old, new in _TYPE_WORDS:
        text = text.replace(old, new)
    text = one_line(text).rstrip(".")
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        text = text[0].lower() + text[1:]
    return text


def _negative_number_hint(exc: Exception, command: str) -> str | None:
    """A negative coordinate ("-117.5,-27.5") that click read as an option, said plainly."""
    name = getattr(exc, "option_name", "") or ""
    if type(exc).__name__ != "NoSuchOption" or not re.match(r"-[0-9.]", name):
        return None
    return (
        f"{name}... looks like a negative coordinate read as an option: put the options "
        f"first and the places after '--', e.g. {command} [OPTIONS] -- -117.5,-27.5"
    )


def _usage(message: str, command: str) -> int:
    _say(f"bordermap: error: {_usage_message(message)}")
    _say(f"Try '{command} --help'.")
    return EXIT_USAGE


def _error(message: object, *, stdin_path: str | None = None) -> int:
    from bordermap.errors import one_line

    text = str(message)
    if stdin_path:
        text = text.replace(stdin_path, "<stdin>")
    _say(f"bordermap: error: {one_line(text)}")
    return EXIT_ERROR


def _unexpected(exc: BaseException) -> int:
    """A bug or an unforeseen failure: one line, the traceback only with --verbose."""
    import logging

    from bordermap._settings import logger

    if isinstance(exc, MemoryError):
        return _error("out of memory (the input is too large for this machine)")
    if isinstance(exc, RecursionError):
        return _error("the input is nested too deeply")
    if logger().isEnabledFor(logging.DEBUG):
        import traceback

        with contextlib.suppress(OSError, ValueError):
            traceback.print_exception(exc, file=sys.stderr)
    name = type(exc).__name__
    return _error(f"unexpected {name}: {exc} (a bug? --verbose shows where; please report it)")


# --------------------------------------------------------------------------- running


#: Set by a command that spooled standard input: error lines name it ``<stdin>``.
stdin_paths: list[str] = []


def _show_warning(message: Any, category: Any, filename: str, lineno: int, *a: Any) -> None:
    from bordermap._settings import logger

    logger().warning("%s", str(message))


def run(invoke: Callable[[], Any]) -> int:
    """Run a typer app (``invoke()``) and turn every outcome into an exit code."""
    import warnings

    import typer

    from bordermap.errors import BordermapError

    old_handlers = _install_signal_handlers()
    old_showwarning, warnings.showwarning = warnings.showwarning, _show_warning
    ce = _click_exceptions()
    fd1 = _fd1_identity()
    try:
        try:
            rv = invoke()
            sys.stdout.flush()
        finally:
            spooled = stdin_paths[-1] if stdin_paths else None
        if rv == EXIT_INTERRUPTED:  # typer turned a KeyboardInterrupt into Exit(130)
            raise KeyboardInterrupt
        return int(rv) if isinstance(rv, int) else EXIT_OK
    except KeyboardInterrupt:
        _quiet_stdout()
        _say("bordermap: interrupted")
        return EXIT_INTERRUPTED
    except PipeClosedError:
        _quiet_stdout()
        return EXIT_PIPE
    except CliUsageError as exc:
        return _usage(str(exc), exc.command)
    except ce.NoArgsIsHelpError as exc:  # plain "bordermap": the help, as a usage error
        with contextlib.suppress(OSError, ValueError):
            exc.ctx.command.get_help(exc.ctx)  # typer prints rich help itself
        return EXIT_USAGE
    except ce.UsageError as exc:
        command = exc.ctx.command_path if exc.ctx is not None else "bordermap"
        return _usage(_negative_number_hint(exc, command) or exc.format_message(), command)
    except ce.ClickException as exc:
        return _error(exc.format_message())
    except BordermapError as exc:
        return _error(exc, stdin_path=spooled)
    except OSError as exc:
        if exc.errno == errno.EPIPE:
            _quiet_stdout()
            return EXIT_PIPE
        if exc.filename:
            return _error(f"{exc.filename}: {exc.strerror or exc}", stdin_path=spooled)
        _quiet_stdout()  # most likely standard output itself (a full disk, /dev/full)
        return _error(f"cannot write the output: {exc.strerror or exc}")
    except (SystemExit, typer.Exit) as exc:  # --help, --version and explicit exits
        code = getattr(exc, "exit_code", getattr(exc, "code", 0))
        if code == EXIT_ERROR and _pipe_was_closed(fd1):
            _quiet_stdout()
            return EXIT_PIPE
        return int(code) if isinstance(code, int) else EXIT_ERROR if code else EXIT_OK
    except typer.Abort:
        return _error("aborted")
    except Exception as exc:
        return _unexpected(exc)
    finally:
        stdin_paths.clear()
        warnings.showwarning = old_showwarning
        _restore_signal_handlers(old_handlers)
