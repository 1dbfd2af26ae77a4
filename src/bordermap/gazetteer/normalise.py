"""Name normalisation and the hashed keys the index is built from.

:func:`normalize_name` turns any spelling or transliteration of a place name
into lower-case ASCII words (diacritics dropped, apostrophe-like marks
deleted, Persian/Urdu ezafe connectors dropped, "kuh"/"kooh" spelled "koh").
The index stores each normalised name's 64-bit key (:func:`_hash64`) and
those of its one-character deletions (:func:`_deletes1`); a query looks up
its own deletions and substrings (:func:`_query_variants`).
"""

from __future__ import annotations

import re
import unicodedata
from zlib import adler32, crc32

__all__ = ["normalize_name"]

# Letters that NFKD does not decompose into a base letter plus marks.
_LETTERS = str.maketrans(
    {
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "Æ": "ae",
        "ß": "ss",
        "đ": "d",
        "Đ": "d",
        "ł": "l",
        "Ł": "l",
        "ı": "i",
        "œ": "oe",
        "Œ": "oe",
        "þ": "th",
        "Þ": "th",
        "ð": "d",
        "Ð": "d",
        "ħ": "h",
        "Ħ": "h",
        "ŧ": "t",
        "Ŧ": "t",
    }
)
# Apostrophe-like marks (also ayn/hamza half rings) are deleted: "Ḩeydarīyeh", "‘Olyā".
_DROP_RE = re.compile(r"[\'\u2018\u2019\u201b`\u00b4\u02bb\u02bc\u02b9\u02be\u02bf\"\u201c\u201d]")
_COMBINING_RE = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# Every other non-alphanumeric character (hyphens, dots, commas, brackets...) splits words.
_SPLIT_RE = re.compile(r"[^0-9a-z]+")
# Persian/Urdu ezafe connectors ("Koh-e-Sabz", "Kuh-i-Sabz", "Torbat-e Jam") are dropped
# when they follow a word; "kuh"/"kooh" (mountain) is spelled "koh".
_CONNECTORS = frozenset({"e", "i", "ye", "yi", "y"})
_TOKEN_MAP = {"kuh": "koh", "kooh": "koh", "kohe": "koh", "kuhe": "koh", "kohi": "koh"}


def normalize_name(name: str) -> str:
    """Normalise a place name for matching.

    Rules, in order: fold letters NFKD does not decompose (``ø``→``o``,
    ``ß``→``ss`` …); Unicode NFKD and drop combining marks (diacritics);
    casefold; delete apostrophe-like marks (``'`` ``’`` ``ʻ`` ``ʿ`` …); turn
    every other non-alphanumeric run (hyphens, punctuation, whitespace) into
    one space; drop the Persian/Urdu ezafe connectors ``e``, ``i``, ``ye``,
    ``yi``, ``y`` when they follow another word; spell ``kuh``/``kooh``
    (mountain) as ``koh``.  Names that keep non-Latin letters after this
    return a string with those letters (they are not indexed).

    Parameters
    ----------
    name : str
        A place name in any spelling.

    Returns
    -------
    str
        Lower-case ASCII words separated by single spaces ("" when nothing is left).

    Examples
    --------
    >>> normalize_name("Kuh-i-Sabz")
    'koh sabz'
    >>> normalize_name("Koh-e-Sabz") == normalize_name("koh e sabz")
    True
    >>> normalize_name("  Sarāvān ")
    'saravan'
    >>> normalize_name("Torbat-e Ḩeydarīyeh")
    'torbat heydariyeh'
    """
    if not name.isascii():
        name = _COMBINING_RE.sub("", unicodedata.normalize("NFKD", name.translate(_LETTERS)))
        if not name.isascii():  # rare marks outside the common combining blocks
            name = "".join(ch for ch in name if not unicodedata.combining(ch))
    name = _DROP_RE.sub("", name.casefold())
    if name.isascii():
        tokens = _SPLIT_RE.sub(" ", name).split()
    else:  # keep non-Latin letters (so such names are recognisably non-Latin)
        tokens = re.sub(r"[\W_]+", " ", name).split()
    if len(tokens) > 1 or (tokens and tokens[0] in _TOKEN_MAP):
        out = []
        for i, tok in enumerate(tokens):
            if i and tok in _CONNECTORS and len(tokens) > 1:
                continue
            out.append(_TOKEN_MAP.get(tok, tok))
        tokens = out
    return " ".join(tokens)


def _is_indexable(norm: str) -> bool:
    return bool(norm) and norm.isascii()


def _hash64(text: str) -> int:
    """Stable 64-bit key: CRC-32 in the high half, Adler-32 in the low half.

    Not collision-free, and it need not be: every hit is checked against the
    stored name (exact look-ups) or re-scored (fuzzy candidates).
    """
    b = text.encode()
    return (crc32(b) << 32) | adler32(b)


def _deletes1(s: str) -> set[str]:
    return {s[:i] + s[i + 1 :] for i in range(len(s))}


def _query_variants(s: str) -> tuple[set[str], set[str]]:
    """Keys to look up for a normalised query: (delete keys, substring keys).

    The query, its 1-deletions and (for queries up to 24 chars) 2-deletions
    are looked up in the symmetric-delete index: they find every name within
    Indel distance 2 of the query except names two insertions longer (one
    substitution, insertion, deletion or transposition away).  WRatio also
    scores a shorter name by its best partial alignment (x0.9 when the query
    is 1.5 to 8 times longer), so the query's substrings of that length range
    are looked up as exact (space-free) names.
    """
    dels = {s}
    d1 = _deletes1(s)
    dels |= d1
    n = len(s)
    if n <= 24:
        for v in d1:
            dels |= _deletes1(v)
    subs: set[str] = set()
    for m in range(n // 8 + 1, int(n / 1.5) + 1 if n <= 64 else 0):
        subs.update(s[i : i + m].replace(" ", "") for i in range(n - m + 1))
    subs.discard("")
    return dels, subs

