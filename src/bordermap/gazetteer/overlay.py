"""The user gazetteer files' own small index (an *overlay* on the embedded one).

User places (``--gazetteer FILE``, :mod:`~bordermap.gazetteer.userfile`) are not
built into the large embedded index (GeoNames, curated places, administrative
areas: about 15 s of CPU).  They get an index of their own, in the same
format (:func:`~bordermap.gazetteer.index.write_index`: ``.npy`` arrays,
``blocks.crc32``, ``meta.json`` with a SHA-256 of every file), with bucket
tables sized to the file, cached in ``gazuser-<key>`` folders beside the
embedded index.  ``<key>`` is a fingerprint of the **SHA-256 of each file's
contents**, its resolved path (errors and warnings name it), the embedded
index it was checked against (user ids must not repeat embedded ones) and the
format version.  Editing a user file therefore costs an overlay build
proportional to the file (milliseconds for a few hundred places); the
embedded index is untouched and shared with runs without ``--gazetteer``.
:class:`~bordermap.gazetteer.lookup.IndexReader` merges the two at look-up.

An overlay is small, so it is checked **whole** when it is opened: ``meta.json``'s
own hash, then every file against the SHA-256 ``meta.json`` records.  A
damaged, truncated or edited overlay is rebuilt from the user files (one
warning line) and never answers.  The newest :data:`KEEP` overlays are kept;
older ones are removed when a new one is written.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from bordermap import _data
from bordermap._settings import progress_enabled
from bordermap.gazetteer.build import _delete_keys, _exact_keys, _name_postings, _pack
from bordermap.gazetteer.build import _place_columns as _columns
from bordermap.gazetteer.index import (
    INDEX_VERSION,
    IndexDamagedError,
    IndexFiles,
    _cache_root,
    _remove,
    _sha256,
    _warn,
    build_and_publish,
)

__all__ = ["KEEP", "OVERLAY_PREFIX", "open_overlay"]

#: Folder name prefix of cached overlays (apart from the embedded index's ``gazetteer-``).
OVERLAY_PREFIX = "gazuser-"
#: How many cached overlays are kept (most recently used first).
KEEP = 8
_TMP = ".gazuser-tmp-"
_ANNOUNCE_BYTES = 1_000_000


def _inputs(user_paths: tuple[Path, ...]) -> dict[str, Any]:
    """Content digest and size of each user file, by resolved path; one error for a bad path."""
    from bordermap.gazetteer.userfile import MAX_FILE_BYTES, GazetteerFileError

    inputs: dict[str, Any] = {}
    for src in user_paths:
        p = Path(src)
        if not p.is_file():
            why = ("is a folder" if p.is_dir() else "is not a regular file" if p.exists()
                   else "not found")  # fmt: skip
            raise GazetteerFileError(f"gazetteer file {why}", path=str(src),
                                     suggestion="give a YAML or CSV file")  # fmt: skip
        try:
            size = p.stat().st_size
            if size > MAX_FILE_BYTES:  # the reader says so with the limit, file and hint
                from bordermap.gazetteer.userfile import check_user_file

                check_user_file(p)
            data = p.read_bytes()
        except OSError as exc:
            raise GazetteerFileError(f"cannot read it: {exc.strerror or exc}",
                                     path=str(src)) from None  # fmt: skip
        inputs[f"user:{p.resolve()}"] = {"sha256": hashlib.sha256(data).hexdigest(),
                                         "size": len(data)}  # fmt: skip
    return inputs


def overlay_key(base_key: str, user_paths: tuple[Path, ...]) -> tuple[str, dict[str, Any]]:
    """(key, inputs) of the overlay of ``user_paths`` over the embedded index ``base_key``.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = f.write_text("x")
    >>> k1, _ = overlay_key("base", (f,))
    >>> _ = f.write_text("y")
    >>> k2, inputs = overlay_key("base", (f,))
    >>> k1 != k2, len(k2), list(inputs.values())[0]["size"]
    (True, 16, 1)
    """
    inputs = _inputs(user_paths)
    h = hashlib.sha256(f"{INDEX_VERSION}|overlay-1|{base_key}".encode())
    h.update(json.dumps(inputs, sort_keys=True).encode())
    return h.hexdigest()[:16], inputs


def _bits(n: int) -> int:
    """Bucket-table bits for ``n`` keys: about one key per bucket (4 to 20 bits)."""
    return int(min(20, max(4, int(np.ceil(np.log2(max(n, 1)))))))


def build_overlay(
    user_paths: tuple[Path, ...], taken_ids: set[str]
) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """The arrays and metadata of the index of ``user_paths`` (ids in ``taken_ids`` refused)."""
    from bordermap.gazetteer.sources import Places
    from bordermap.gazetteer.userfile import load_user_places

    taken = set(taken_ids)
    users = [r for p in user_paths for r in load_user_places(p, taken)]
    places = Places(users)
    for c in users:
        places.add(c["name"], c["aliases"], c["lon"], c["lat"], c["population"], c["country"],
                   c["admin"], 0)  # fmt: skip
    norm_names, postings = _name_postings(places, lambda f: None)
    arrays: dict[str, np.ndarray] = {}
    arrays["name"], arrays["name_off"] = _pack(norm_names)
    arrays.update(postings)
    ex_bits = _bits(len(norm_names))
    arrays.update(_exact_keys(norm_names, ex_bits))
    dels = _delete_keys(norm_names, lambda f: None, _bits(8 * len(norm_names)))
    arrays.update(dels)
    arrays.update(_columns(places))
    meta = {
        "curated": [{k: c[k] for k in ("id", "kind", "admin", "source", "origin")}
                    | {"file": c["_file"], "line": c["_line"]} for c in users],
        "n_places": len(users),
        "n_names": len(norm_names),
        "ex_bits": ex_bits,
        "del_bits": _bits(8 * len(norm_names)),
    }  # fmt: skip
    return arrays, meta


def _open_checked(folder: Path, key: str) -> IndexFiles:
    """Open an overlay and check all of it: every file against its SHA-256 and its CRCs."""
    ix = IndexFiles.open(folder, key)
    for name, desc in ix.meta["files"].items():
        try:
            data = (folder / name).read_bytes()
        except OSError as exc:
            raise IndexDamagedError(folder, f"cannot read {name}: {exc.strerror}") from None
        if len(data) != desc["size"] or _sha256(data) != desc["sha256"]:
            raise IndexDamagedError(folder, f"{name} fails its SHA-256")
    ix.verify()
    return ix


def _clean(root: Path, final: Path) -> None:
    """Remove leftovers of killed overlay builds and all but the :data:`KEEP` newest overlays."""
    found = []
    for p in root.iterdir():
        if p.name.startswith(_TMP):
            _remove(p)
        elif p.name.startswith(OVERLAY_PREFIX) and p != final:
            try:
                found.append((p.stat().st_mtime, p))
            except OSError:
                continue
    found.sort(reverse=True)
    for _, p in found[KEEP - 1 :]:
        _remove(p)


def open_overlay(
    base: IndexFiles,
    user_paths: tuple[Path, ...],
    directory: Path | None = None,
    *,
    cache: bool = True,
    damaged: IndexDamagedError | None = None,
) -> IndexFiles | None:
    """The checked overlay of ``user_paths`` over ``base`` (None without user files).

    Built when missing, changed or damaged (``damaged``: the error a query met in it).
    """
    if not user_paths:
        return None
    key, inputs = overlay_key(str(base.meta.get("key", "")), tuple(user_paths))
    taken = {e["id"] for e in base.meta["curated"]}

    def build() -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        return _build(user_paths, taken, key, inputs)

    if not cache:
        return IndexFiles.in_memory(*build())
    root_path = Path(directory) if directory is not None else _data.cache_dir_path()
    final = root_path / f"{OVERLAY_PREFIX}{key}"
    if damaged is None:
        try:
            return _touch(_open_checked(final, key))
        except IndexDamagedError as exc:
            if final.exists() or final.is_symlink():
                damaged = exc
    root, why = _cache_root(directory)
    if root is None:
        _warn("%s: indexing the gazetteer files in memory for this run", why)
        return IndexFiles.in_memory(*build())
    return build_and_publish(
        root, final, key, damaged, lambda _damaged: build(),
        open_index=_open_checked, clean=_clean,
        rebuilding="rebuilding it from the gazetteer files",
        what="the gazetteer files' index", tmp_prefix=_TMP,
    )  # fmt: skip


def _build(user_paths: tuple[Path, ...], taken: set[str], key: str,
           inputs: dict[str, Any]) -> tuple[dict[str, np.ndarray], dict[str, Any]]:  # fmt: skip
    size = sum(v["size"] for v in inputs.values())
    if size > _ANNOUNCE_BYTES and progress_enabled() and sys.stderr is not None:
        names = ", ".join(str(p) for p in user_paths)
        print(f"bordermap: indexing the gazetteer file{'s' * (len(user_paths) > 1)} {names} "
              f"({size / 1e6:.1f} MB)…", file=sys.stderr, flush=True)
    arrays, meta = build_overlay(user_paths, taken)
    meta.update(key=key, inputs=inputs)
    return arrays, meta


def _touch(ix: IndexFiles) -> IndexFiles:
    """Mark an overlay as used now (the clean-up keeps the most recently used)."""
    import contextlib
    import os

    if ix.folder is not None:
        with contextlib.suppress(OSError):
            os.utime(ix.folder, (time.time(), time.time()))
    return ix
