"""Finding name spans in text: token n-grams looked up in the gazetteer's exact-name index.

The gazetteer already keeps a hashed index of every normalised name with its
spaces removed (``Chah Bahar`` and ``Chahbahar`` share a key).  A report's
token n-grams (up to :data:`MAX_NGRAM` words, never across punctuation) are
normalised the same way, hashed and looked up in one vectorised pass; each hit
is then checked against the stored name.  No second automaton (Aho-Corasick)
is built: see DESIGN.md, "Text extraction".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from bordermap.extract.text import Token
from bordermap.gazetteer import Gazetteer, normalize_name
from bordermap.gazetteer.normalise import _CONNECTORS

__all__ = ["MAX_NGRAM", "NameHit", "gazetteer_hits", "joins", "ngrams", "token_keys"]

#: Longest name looked up, in words ("Sistan and Baluchestan" is three, connectors count).
MAX_NGRAM = 6
# Between two words of one name: spaces, or a hyphen ("Koh-e-Sabz"); anything else ends it.
_JOIN_RE = re.compile(r"[ \t\u00a0]*(?:[-‐‑–][ \t]*)?|[ \t\u00a0]+")
_POSSESSIVE_RE = re.compile(r"['’ʼ]s$|s['’ʼ]$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class NameHit:
    """Tokens ``i`` to ``j`` (exclusive) read together as an indexed name."""

    i: int
    j: int
    key: str  # normalised name, spaces removed
    names: tuple[int, ...]  # index name numbers


def token_keys(toks: list[Token]) -> tuple[list[str], list[bool]]:
    """Normalised form of each token (possessive dropped) and whether it had one."""
    cache: dict[str, tuple[str, bool]] = {}
    keys, poss = [], []
    for t in toks:
        got = cache.get(t.text)
        if got is None:
            m = _POSSESSIVE_RE.search(t.text)
            core = t.text[: m.start()] if m and len(t.text) > 3 else t.text
            got = cache[t.text] = (normalize_name(core).replace(" ", ""), core != t.text)
        keys.append(got[0])
        poss.append(got[1])
    return keys, poss


def _joined(text: str, toks: list[Token], i: int) -> bool:
    """Whether token i and i+1 may belong to one name (same sentence, only a space or hyphen)."""
    a, b = toks[i], toks[i + 1]
    if a.sentence != b.sentence:
        return False
    gap = text[a.end : b.start]
    if gap == " " or gap == "-":
        return True
    return len(gap) <= 3 and _JOIN_RE.fullmatch(gap) is not None


def joins(text: str, toks: list[Token]) -> list[bool]:
    """For each token, whether it may run on into the next one in a name."""
    return [_joined(text, toks, i) for i in range(len(toks) - 1)] + [False]


def ngrams(
    text: str, toks: list[Token], keys: list[str], poss: list[bool], *, starts: Any = None,
    longest: int = MAX_NGRAM, joined: list[bool] | None = None,
) -> list[tuple[int, int, str]]:
    """``(i, j, key)`` for every n-gram of up to MAX_NGRAM joined tokens.

    ``starts`` limits the first token (a boolean per token); a possessive ends a name.
    """
    out = []
    n = len(toks)
    joined = joins(text, toks) if joined is None else joined
    for i in range(n):
        if starts is not None and not starts[i]:
            continue
        key = ""
        for j in range(i, min(n, i + longest)):
            if not keys[j]:
                break
            # ezafe connectors inside a name are dropped, as normalize_name does ("Koh-i-Sabz")
            key += "" if j > i and keys[j] in _CONNECTORS else keys[j]
            out.append((i, j + 1, key))
            if poss[j] or not joined[j]:
                break
    return out


def gazetteer_hits(gaz: Gazetteer, grams: list[tuple[int, int, str]]) -> list[NameHit]:
    """The n-grams that are indexed names (exact, spaces ignored), in one vectorised look-up."""
    if not grams:
        return []
    return gaz._guard(_lookup, gaz, grams)


def _lookup(gaz: Any, grams: list[tuple[int, int, str]]) -> list[NameHit]:
    uniq = sorted({g[2] for g in grams})
    found: dict[str, list[int]] = {}
    _lookup_in(gaz, uniq, found, lambda k: k)
    if getattr(gaz, "_over", None) is not None:  # the user files' index: names -1 - k
        _lookup_in(gaz._over, uniq, found, lambda k: -1 - k)
    return [NameHit(i, j, key, tuple(found[key])) for i, j, key in grams if key in found]


def _lookup_in(reader: Any, uniq: list[str], found: dict[str, list[int]], number: Any) -> None:
    """Add to ``found`` the name numbers (``number(k)``) of ``uniq`` keys in one index."""
    from bordermap.gazetteer.normalise import _hash64

    bits = reader._bits[0]
    hashes = np.fromiter((_hash64(k) for k in uniq), dtype=np.uint64, count=len(uniq))
    b = (hashes >> np.uint64(64 - bits)).astype(np.intp)
    lo, hi = reader._ex_bucket.take(b), reader._ex_bucket.take(b + 1)
    lens = hi - lo
    total = int(lens.sum())
    if not total:
        return
    ends = np.cumsum(lens)
    idx = np.repeat(lo - (ends - lens), lens) + np.arange(total)
    owner = np.repeat(np.arange(len(uniq)), lens)
    hit = reader._ex_hash.take(idx) == hashes[owner]
    ks = reader._ex_name.take(idx[hit]).tolist()
    for q, k in zip(owner[hit].tolist(), ks, strict=True):
        if reader._name(k).replace(" ", "") == uniq[q]:  # a hash collision is not a match
            found.setdefault(uniq[q], []).append(number(k))
