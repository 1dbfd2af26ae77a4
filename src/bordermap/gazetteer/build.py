"""Building the gazetteer's index arrays from its sources (no files involved).

:func:`build_arrays` turns the places of :func:`~bordermap.gazetteer.sources.collect_places`
into the flat numpy arrays the index is made of:

* places: ``lon``, ``lat``, ``pop``, ``precision_m``, ``country``, ``gid`` and
  the packed strings ``disp`` (display name), ``alias``, ``admin`` (``*_off``
  hold each string's start);
* names: the distinct normalised names (``name``, ``name_off``) and their
  postings (``ptr`` → ``post_place``, ``post_alias``: which places carry the
  name, as main name or alias);
* exact keys: the 64-bit hash of each space-free name, sorted (``ex_hash``,
  ``ex_name``), with a bucket table on the top bits (``ex_bucket``);
* the symmetric-delete index: the hashes of every name and of its
  one-character deletions, sorted (``del_hash``, ``del_name``, ``del_bucket``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from bordermap.gazetteer.normalise import _deletes1, _hash64, _is_indexable, normalize_name
from bordermap.gazetteer.sources import Places, collect_places

__all__: list[str] = []

_BUCKET_BITS = 20
_DEL_BUCKET_BITS = 21
#: Names of the packed string columns (stored as raw UTF-8 ``<key>.bin`` files).
BLOBS = ("name", "disp", "alias", "admin", "area")

Tick = Callable[[str, float], None]


def _buckets(sorted_hashes: np.ndarray, bits: int) -> np.ndarray:
    """Start of each bucket of hashes sharing their top ``bits`` bits (length 2**bits + 1).

    Look-ups then read a handful of entries instead of binary-searching the
    whole array (whose random probes miss the CPU cache).
    """
    edges = np.arange(2**bits, dtype=np.uint64) << np.uint64(64 - bits)
    starts = np.searchsorted(sorted_hashes, edges)
    return np.append(starts, len(sorted_hashes)).astype(np.int64)


def _pack(strings: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Strings → (uint8 UTF-8 blob, int64 offsets of length n+1)."""
    enc = [s.encode() for s in strings]
    offsets = np.zeros(len(enc) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in enc], out=offsets[1:])
    return np.frombuffer(b"".join(enc), dtype=np.uint8), offsets


def _geonames_precision_m(population: np.ndarray) -> np.ndarray:
    """Rough settlement radius for a GeoNames point: 1 km + 10 m × sqrt(population)."""
    return 1000.0 + 10.0 * np.sqrt(np.maximum(population, 0).astype(np.float64))


def _name_postings(
    places: Places, tick: Callable[[float], None]
) -> tuple[list[str], dict[str, np.ndarray]]:
    """Distinct normalised names and, per name, the places carrying it (main 0 / alias 1)."""
    name_id: dict[str, int] = {}
    post: dict[int, dict[int, int]] = {}
    n_places = len(places.place_names)
    for p, lst in enumerate(places.place_names):
        if p % 16384 == 0:
            tick(p / n_places)
        for disp, kind in lst:
            n = normalize_name(disp)
            if not _is_indexable(n):
                continue
            k = name_id.setdefault(n, len(name_id))
            d = post.setdefault(k, {})
            d[p] = min(kind, d.get(p, kind))
    norm_names = list(name_id)
    n_names = len(norm_names)
    ptr = np.zeros(n_names + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(post[k]) for k in range(n_names)])
    post_place = np.fromiter(
        (p for k in range(n_names) for p in post[k]), dtype=np.int32, count=int(ptr[-1])
    )
    post_alias = np.fromiter(
        (a for k in range(n_names) for a in post[k].values()),
        dtype=np.uint8,
        count=int(ptr[-1]),
    )
    return norm_names, {"ptr": ptr, "post_place": post_place, "post_alias": post_alias}


def _exact_keys(norm_names: list[str], bits: int = _BUCKET_BITS) -> dict[str, np.ndarray]:
    """Hash of each space-free name, sorted, with the name it belongs to."""
    n_names = len(norm_names)
    ex_hash = np.fromiter(
        (_hash64(n.replace(" ", "")) for n in norm_names), dtype=np.uint64, count=n_names
    )
    order = np.argsort(ex_hash, kind="stable")
    ex_hash = ex_hash[order]
    return {
        "ex_hash": ex_hash,
        "ex_name": order.astype(np.int32),
        "ex_bucket": _buckets(ex_hash, bits),
    }


def _delete_keys(
    norm_names: list[str], tick: Callable[[float], None], bits: int = _DEL_BUCKET_BITS
) -> dict[str, np.ndarray]:
    """Symmetric-delete index: the hashes of each name and of its 1-deletions, sorted."""
    del_hash_list: list[int] = []
    del_name_list: list[int] = []
    n = len(norm_names)
    for k, name in enumerate(norm_names):
        if k % 16384 == 0:
            tick(k / n)
        variants = _deletes1(name)
        variants.add(name)
        del_hash_list.extend(_hash64(v) for v in variants)
        del_name_list.extend([k] * len(variants))
    del_hash = np.array(del_hash_list, dtype=np.uint64)
    del_name = np.array(del_name_list, dtype=np.int32)
    del del_hash_list, del_name_list
    order = np.argsort(del_hash, kind="stable")
    del_hash, del_name = del_hash[order], del_name[order]
    return {
        "del_hash": del_hash,
        "del_name": del_name,
        "del_bucket": _buckets(del_hash, bits),
    }


def _place_columns(places: Places) -> dict[str, np.ndarray]:
    pop = np.array(places.pop, dtype=np.int64)
    prec = _geonames_precision_m(pop)
    for i, c in enumerate(places.curated):
        prec[i] = c["precision_m"]
    out = {
        "lon": np.array(places.lon, dtype=np.float64),
        "lat": np.array(places.lat, dtype=np.float64),
        "pop": pop,
        "precision_m": prec,
        "country": np.array(places.country, dtype="<U3"),
        "gid": np.array(places.gids, dtype=np.int64),
    }
    areas = [c["area_wkt"] or "" for c in places.curated]
    for key, strings in (("disp", places.names), ("alias", places.aliases),
                         ("admin", places.admin), ("area", areas)):  # fmt: skip
        out[key], out[f"{key}_off"] = _pack(strings)
    return out


def build_arrays(
    geonames_path: Path,
    curated_path: Path,
    tick: Tick | None = None,
    *,
    admin_path: Path | None = None,
    user_paths: tuple[Path, ...] = (),
) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Every array of the index, and the metadata that goes with them.

    ``tick(phase, fraction)`` reports progress: phases ``"read"``, ``"names"``,
    ``"keys"``, in this order (the caller adds ``"write"``).  The places that are
    not GeoNames towns (curated, administrative areas, user places, in this order)
    come first; ``meta["curated"]`` describes them (their polygons are in ``area``).
    """
    report: Tick = tick or (lambda phase, frac: None)
    places = collect_places(geonames_path, curated_path, lambda f: report("read", f),
                            admin_path=admin_path, user_paths=user_paths)  # fmt: skip
    report("names", 0.0)
    norm_names, postings = _name_postings(places, lambda f: report("names", f))
    arrays: dict[str, np.ndarray] = {}
    arrays["name"], arrays["name_off"] = _pack(norm_names)
    arrays.update(postings)
    arrays.update(_exact_keys(norm_names))
    arrays.update(_delete_keys(norm_names, lambda f: report("keys", f)))
    arrays.update(_place_columns(places))
    meta = {
        "curated": [
            {k: c[k] for k in ("id", "kind", "admin", "source", "origin")}
            | ({"file": c["_file"], "line": c["_line"]} if c["origin"] == "user" else {})
            for c in places.curated
        ],
        "n_places": len(places.names),
        "n_names": len(norm_names),
    }
    return arrays, meta
