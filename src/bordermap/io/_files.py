"""Every file bordermap writes goes through here: safe names, atomic writes, clean-up.

A file is written to a temporary file in the target's folder, flushed to disk
and renamed over the target (``os.replace``), so a failed or interrupted write
leaves an existing file byte-identical.  Several files written together
(:class:`FileSet`) are renamed only when all of them were written.

Temporary files are named ``.bordermap-tmp-<host>-<pid>-<random><suffix>``:
the name does not grow with the target's name (a 250-character target still
gets a short temporary name), and the host tag and process id let the next
write into the same folder remove the leftovers of a process that was killed
(``kill -9``) — only files of this machine whose process no longer runs are
removed, never those of a live writer or of another machine sharing the folder.

Failures are :class:`~bordermap.errors.ExportError` naming the path: a
read-only folder, a full disk, a name longer than the file system allows.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import os
import re
import secrets
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bordermap.errors import BordermapError, ExportError

__all__ = [
    "TEMP_PREFIX",
    "FileSet",
    "atomic_write",
    "check_name_length",
    "check_target",
    "clean_stale_temps",
    "safe_name",
    "write_bytes",
    "write_text",
    "writing",
]

#: Prefix of every temporary file bordermap creates beside a target.
TEMP_PREFIX = ".bordermap-tmp-"

_TEMP_RE = re.compile(re.escape(TEMP_PREFIX) + r"([0-9a-f]{8})-(\d+)-")
_NAME_OK = re.compile(r"[^\w.\-]+", flags=re.UNICODE)
_MAX_SUFFIX = 16  # longest target suffix copied onto a temporary name (.geojson, .tiff ...)


# --------------------------------------------------------------------------- names


def safe_name(name: Any, *, what: str = "layer name") -> str:
    """A file/table name derived from data, made safe to use inside a folder.

    Letters, digits, ``_``, ``-`` and ``.`` are kept; runs of anything else
    (spaces, punctuation) become ``_``.  Names that could leave the folder —
    with ``/`` or ``\\``, ``..``, a drive or an absolute path — or that start
    with a dot are refused.

    Raises
    ------
    ExportError
        The name is empty or could escape the output folder.

    Examples
    --------
    >>> safe_name("iran-pakistan 2024")
    'iran-pakistan_2024'
    >>> safe_name("../etc/passwd")
    Traceback (most recent call last):
    ...
    bordermap.errors.ExportError: field 'layer name': '../etc/passwd' could leave the output ...
    """
    text = str(name)
    if (
        not text.strip()
        or "/" in text
        or "\\" in text
        or "\x00" in text
        or ".." in text
        or text.startswith(".")
        or os.path.isabs(text)
        or re.match(r"^[A-Za-z]:", text)
    ):
        shown = text if len(text) <= 60 else text[:57] + "..."
        raise ExportError(
            f"{shown!r} could leave the output folder or is empty",
            field=what,
            suggestion="use letters, digits, '-', '_' and single dots",
        )
    out = _NAME_OK.sub("_", text.strip()).strip("_")
    if not out or out.startswith("."):
        raise ExportError(f"{text[:60]!r} gives no usable file name", field=what)
    return out


def _name_max(folder: Path) -> int:
    try:
        return int(os.pathconf(folder, "PC_NAME_MAX"))
    except (OSError, ValueError, AttributeError):  # not POSIX, or not answered
        return 255


def check_target(target: str | os.PathLike[str]) -> Path:
    """Check that ``target`` can be written: its folder exists, it is no folder,
    and its name fits the file system.  Returns it as a Path.

    Raises
    ------
    ExportError
        Naming the path, with what to do.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> check_target(d / ("x" * 300 + ".csv"))
    Traceback (most recent call last):
    ...
    bordermap.errors.ExportError: ...: the file name is 304 bytes long, ... (shorten it ...)
    >>> check_target("/dev/null")
    Traceback (most recent call last):
    ...
    bordermap.errors.ExportError: /dev/null: the output path is not a regular file ...
    """
    path = Path(target)
    folder = path.parent
    check_name_length(path)
    if not folder.is_dir():
        raise ExportError(
            "the output folder does not exist",
            path=str(path),
            suggestion=f"create {str(folder)!r} first",
        )
    if path.is_dir():
        raise ExportError("the output path is a folder", path=str(path))
    if path.exists() and not path.is_file():
        # a device or a pipe: renaming a temporary file over it would replace it
        raise ExportError(
            "the output path is not a regular file (a device, pipe or socket)",
            path=str(path),
            suggestion="write to a file, or give -o - for standard output",
        )
    return path


def check_name_length(path: str | os.PathLike[str]) -> None:
    """Refuse a file name longer than its file system allows (the folder need not exist yet).

    Raises
    ------
    ExportError
        Naming the path and its length.
    """
    path = Path(path)
    folder = path.parent
    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent
    size = len(os.fsencode(path.name))
    limit = _name_max(folder)
    if size > limit:
        raise ExportError(
            f"the file name is {size} bytes long, more than the {limit} this file system allows",
            path=str(path),
            suggestion="shorten it (for a layer, its 'name:' field)",
        )


# --------------------------------------------------------------------------- temporary files


@functools.cache
def host_tag() -> str:
    """Eight hex digits naming this machine in temporary file names."""
    return hashlib.sha1(socket.gethostname().encode(), usedforsecurity=False).hexdigest()[:8]


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):  # exists but not ours, or cannot tell: keep
        return True
    return True


def clean_stale_temps(folder: str | os.PathLike[str]) -> list[Path]:
    """Remove bordermap's temporary files left in ``folder`` by processes that died.

    Only names starting with :data:`TEMP_PREFIX`, made on this machine and
    carrying the id of a process that no longer runs are removed (with any
    GDAL journal beside them).  Returns the removed paths.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> stale = d / f".bordermap-tmp-{host_tag()}-999999999-ab.csv"
    >>> _ = stale.write_text("half")
    >>> clean_stale_temps(d) == [stale]
    True
    """
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        m = _TEMP_RE.match(entry.name)
        if m is None or m.group(1) != host_tag() or _alive(int(m.group(2))):
            continue
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
            removed.append(Path(entry.path))
    return removed


def _os_error(exc: OSError, path: Path, doing: str) -> ExportError:
    reason = exc.strerror or str(exc)
    hint = None
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        hint = "choose a folder you can write to"
    elif exc.errno == errno.ENOSPC:
        hint = "free some space or write elsewhere"
    elif exc.errno == errno.ENAMETOOLONG:
        hint = "shorten the name"
    return ExportError(f"cannot {doing}: {reason}", path=str(path), suggestion=hint)


def _new_temp(target: Path) -> Path:
    """Create an empty temporary file beside ``target`` with the mode the target will have."""
    suffix = target.suffix if len(target.suffix) <= _MAX_SUFFIX else ""
    folder = target.parent
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        name = f"{TEMP_PREFIX}{host_tag()}-{os.getpid()}-{secrets.token_hex(4)}{suffix}"
        tmp = folder / name
        try:
            fd = os.open(tmp, flags, 0o600)
        except FileExistsError:
            continue
        except OSError as exc:
            raise _os_error(exc, target, "write into this folder") from None
        os.close(fd)
        break
    else:  # pragma: no cover - 100 collisions of 32 random bits
        raise ExportError("cannot find a free temporary name", path=str(target))
    try:  # keep the mode of the file replaced, or give a new file the umask's mode
        mode = target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(tmp, mode)
    return tmp


def _remove_temp(tmp: Path) -> None:
    for p in tmp.parent.glob(tmp.name + "*"):  # the file and any GDAL journal beside it
        with contextlib.suppress(OSError):
            p.unlink()


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform/filesystem allows it
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class FileSet:
    """Temporary files for several targets, renamed into place only when all were written.

    Use through :func:`writing`; :meth:`temp_for` checks a target (see
    :func:`check_target`), cleans stale temporary files from its folder and
    returns a new empty temporary path beside it.
    """

    def __init__(self) -> None:
        self.pairs: list[tuple[Path, Path]] = []
        self._cleaned: set[Path] = set()

    def temp_for(self, target: str | os.PathLike[str]) -> Path:
        path = check_target(target)
        if path.parent not in self._cleaned:
            clean_stale_temps(path.parent)
            self._cleaned.add(path.parent)
        tmp = _new_temp(path)
        self.pairs.append((tmp, path))
        return tmp

    def commit(self) -> None:
        for tmp, target in self.pairs:
            try:
                with open(tmp, "rb+") as fh:
                    os.fsync(fh.fileno())
            except FileNotFoundError:
                raise ExportError("the writer left no file behind", path=str(target)) from None
        for tmp, target in self.pairs:
            try:
                os.replace(tmp, target)
            except OSError as exc:
                raise _os_error(exc, target, "put the file in place") from None
        for folder in {t.parent for _, t in self.pairs}:
            _fsync_dir(folder)
        self.pairs = []

    def abort(self) -> None:
        for tmp, _ in self.pairs:
            _remove_temp(tmp)
        self.pairs = []


@contextlib.contextmanager
def writing() -> Iterator[FileSet]:
    """A :class:`FileSet` committed when the block ends, removed if it raises.

    Errors other than :class:`~bordermap.errors.BordermapError` become an
    :class:`~bordermap.errors.ExportError` naming the first target (OS errors
    with their reason); KeyboardInterrupt and other BaseExceptions propagate
    unchanged once the temporary files are gone.
    """
    files = FileSet()
    try:
        yield files
        files.commit()
    except BordermapError:
        files.abort()
        raise
    except BaseException as exc:
        first = files.pairs[0][1] if files.pairs else None
        files.abort()
        if isinstance(exc, OSError) and (first is not None or exc.filename):
            where = Path(exc.filename) if first is None else first
            raise _os_error(exc, where, "write the file") from exc
        if isinstance(exc, Exception):
            reason = str(exc) or type(exc).__name__
            if len(reason) > 300:
                reason = reason[:297] + "..."
            raise ExportError(
                f"export failed: {reason}", path=None if first is None else str(first)
            ) from exc
        raise


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Context manager giving a temporary path that replaces ``path`` on success.

    The temporary file lies in the target's folder (so the rename is atomic),
    is flushed to disk before ``os.replace``, and is removed on any exception;
    an existing ``path`` is then left untouched.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> with atomic_write(out) as tmp:
    ...     _ = tmp.write_text("hello")
    >>> out.read_text(), sorted(p.name for p in out.parent.iterdir())
    ('hello', ['a.txt'])
    """
    with writing() as files:
        yield files.temp_for(path)


def write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; returns the path."""
    with atomic_write(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def write_text(path: str | os.PathLike[str], text: str, *, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically (UTF-8 by default); returns the path.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = write_text(pathlib.Path(tempfile.mkdtemp()) / "m.html", "<p>é</p>")
    >>> p.read_bytes()
    b'<p>\\xc3\\xa9</p>'
    """
    return write_bytes(path, text.encode(encoding))
