"""Place mentions in a report: gazetteer names, countries and demonyms, frontiers, features.

:func:`find_mentions` reads a report's tokens and returns every span that
names a place, with its kind and its unranked candidates; ranking in context
is :mod:`bordermap.extract.resolve`.  The rules, in order:

* **frontiers**: prose names of a catalogued frontier ("the Line of Control",
  "the Durand Line", "the LAC"), resolved by the frontier catalogue's own rules;
* **countries**: country names, other names and demonyms ("Iranian",
  "Pakistan's"), written with a capital (``US`` in capitals only);
* **gazetteer names**: capitalised n-grams that are exact gazetteer names or
  aliases (diacritics, transliterations and spacing ignored: "Chah Bahar",
  "Siestan-o-Baluchistan").  A name is refused when it is only part of a longer
  capitalised name ("Imran *Khan*"), when it is a common English word
  ("Police", "Most", "May") or a one-word GeoNames name, unless the context
  supports it: a place preposition before it ("in", "near", "at" ...), or a
  candidate in one of the document's countries;
* **named features the gazetteer lacks**: a capitalised name followed by a
  feature word ("Galwan Valley", "Arabian Sea") or after "Gulf of", and a
  capitalised name after a place preposition that is no organisation or person
  ("in Ladakh"): kept as mentions with no candidate (``unresolved``), never
  resolved to an invented place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from bordermap.extract import lexicon as lx
from bordermap.extract.spans import NameHit, gazetteer_hits, joins, ngrams, token_keys
from bordermap.extract.text import Token

__all__ = ["RawMention", "find_mentions"]

_ETHNIC = frozenset({
    "baloch", "baluch", "balochi", "pashtun", "pakhtun", "pathan", "kashmiri", "kashmiris",
    "sikh", "hindu", "muslim", "shia", "sunni", "sindhi", "punjabi", "hazara", "tamil",
})  # fmt: skip
# Place prepositions strict enough to make an unknown capitalised name a place.
_STRICT_LOCATIVE = frozenset({"in", "near", "at", "outside", "around", "inside", "across",
                              "towards", "toward", "beyond", "along", "nearby"})
_DETERMINERS = frozenset({"the"})
_COMMON_OR_LOCATIVE = lx.COMMON_WORDS | lx.LOCATIVE
_INNER_CONNECTORS = frozenset({"al", "ul", "el", "e", "i", "o", "de", "bin", "ibn"})
_POSSESSIVE_END = re.compile(r"['’ʼ]s$|s['’ʼ]$")


@dataclass(slots=True)
class RawMention:
    """A span found in the text, before ranking.

    ``kind`` is ``"place"`` (gazetteer), ``"country"``, ``"frontier"`` or ``"feature"``
    (a named feature the gazetteer lacks); ``rank`` holds the gazetteer's rank tuples
    for places, ``code`` the ISO-3 code or frontier name for the others.
    """

    i: int
    j: int
    kind: str
    code: str = ""
    rank: list[tuple] = field(default_factory=list)
    locative: bool = False


def _lower(t: Token) -> str:
    return t.text.lower()


def _is_cap(t: Token) -> bool:
    return t.text[:1].isupper()


def _prev_word(toks: list[Token], i: int, skip_det: bool = True) -> str:
    k = i - 1
    if skip_det and k >= 0 and toks[k].sentence == toks[i].sentence and \
            _lower(toks[k]) in _DETERMINERS:
        k -= 1
    if k < 0 or toks[k].sentence != toks[i].sentence:
        return ""
    return _lower(toks[k])


def _sentence_initial(toks: list[Token], i: int) -> bool:
    return i == 0 or toks[i - 1].sentence != toks[i].sentence


def _name_case(toks: list[Token], i: int, j: int) -> bool:
    """Every word of tokens i..j capitalised, except connectors inside ("Gulf of Oman")."""
    if not _is_cap(toks[i]) or not _is_cap(toks[j - 1]):
        return False
    return all(_is_cap(t) or _lower(t) in lx.NAME_CONNECTORS for t in toks[i:j])


def _joined(text: str, a: Token, b: Token) -> bool:
    return a.sentence == b.sentence and text[a.end : b.start] in (" ", "-", " - ")


def _inside_longer_name(text: str, toks: list[Token], i: int, j: int) -> bool:
    """A capitalised word right before or after tokens i..j (part of a longer name)."""
    k = i - 1  # "Jaish al-Adl": walk back over lower-case connectors
    while k > 0 and _joined(text, toks[k], toks[k + 1]) and _lower(toks[k]) in \
            _INNER_CONNECTORS and not _is_cap(toks[k]):
        k -= 1
    if k < i - 1 and k >= 0 and _joined(text, toks[k], toks[k + 1]) and _is_cap(toks[k]):
        return True
    if i > 0 and _joined(text, toks[i - 1], toks[i]) and _is_cap(toks[i - 1]) and \
            not _POSSESSIVE_END.search(toks[i - 1].text):
        w = _lower(toks[i - 1])
        initial_word = _sentence_initial(toks, i - 1) and w in _COMMON_OR_LOCATIVE
        if not initial_word and w not in lx.country_lookup():
            return True
    if j < len(toks) and _joined(text, toks[j - 1], toks[j]) and _is_cap(toks[j]):
        w = _lower(toks[j])
        if w not in lx.FEATURE_WORDS and w not in lx.country_lookup():
            return True
    return False


def _spans_fixed(
    text: str, toks: list[Token], keys: list[str], poss: list[bool], joined: list[bool]
) -> list[Any]:
    """Frontier and country spans (lexicon look-ups on normalised n-grams)."""
    fronts, countries = lx.frontier_phrases(), lx.country_lookup()
    firsts = _first_words()
    out = []
    spaced = [_lower(t) for t in toks]
    starts = [k in firsts for k in keys]
    for i, j, _key in ngrams(text, toks, keys, poss, starts=starts, longest=4, joined=joined):
        phrase = " ".join(k for k in keys[i:j])
        words = " ".join(spaced[i:j])
        if phrase in fronts or words in fronts:
            code = fronts.get(phrase) or fronts[words]
            if j - i == 1 and not toks[i].text[:1].isupper():
                continue  # "lac" in lower case is a word, "LAC" and "LoC" are frontiers
            if j - i == 1 and toks[i].text.lower() == toks[i].text:
                continue
            out.append(RawMention(i, j, "frontier", code))
        elif phrase in countries or words in countries:
            code = countries.get(phrase) or countries[words]
            if not _name_case(toks, i, j):
                continue
            if words in ("us", "uk", "uae", "usa") and not toks[i].text.isupper():
                continue
            out.append(RawMention(i, j, "country", code))
    return out


@lru_cache(maxsize=1)
def _first_words() -> frozenset[str]:
    """First words of every frontier phrase and country name (where a fixed span can start)."""
    phrases = [*lx.frontier_phrases(), *lx.country_lookup()]
    return frozenset(p.split()[0] for p in phrases if p)


def _place_rank(gaz: Any, hit: NameHit) -> list[tuple]:
    best: dict[int, tuple] = {}
    for k in hit.names:
        gaz._hits(k, gaz._name(k), 100.0, True, None, best)
    return sorted(best.values())


def _features(text: str, toks: list[Token], taken: list[bool]) -> list[RawMention]:
    """Capitalised names the gazetteer lacks, read as places from a feature word or preposition."""
    out = []
    n = len(toks)
    i = 0
    while i < n:
        if taken[i] or not _is_cap(toks[i]) or _lower(toks[i]) in lx.MONTHS or \
                _lower(toks[i]) in lx.WEEKDAYS:
            i += 1
            continue
        j = i + 1  # grow a capitalised run (connectors inside, "Gulf of Oman")
        while j < n and not taken[j] and _joined(text, toks[j - 1], toks[j]) and (
            _is_cap(toks[j]) or (_lower(toks[j]) in {"of"} and j + 1 < n and _is_cap(toks[j + 1]))
        ):
            j += 1
        if j - i > 1 and _lower(toks[i]) in _COMMON_OR_LOCATIVE:
            i += 1  # a capitalised first word of a sentence ("The Torkham crossing")
        words = [_POSSESSIVE_END.sub("", _lower(t)) for t in toks[i:j]]
        prev = _prev_word(toks, i)
        feature = words[-1] in lx.FEATURE_WORDS and len(words) > 1
        nxt = toks[j] if j < n and _joined(text, toks[j - 1], toks[j]) else None
        if nxt is not None and not _is_cap(nxt) and _lower(nxt) in lx.FEATURE_WORDS:
            feature = True  # "the Torkham crossing", "Paktika province"
        if i > 0 and text[toks[i - 1].end : toks[i].start] == "-":
            feature = False  # the end of a hyphenated name ("Jaish al-Adl camp")
        gulf = len(words) >= 3 and words[0] in {"gulf", "bay", "sea", "lake"} and words[1] == "of"
        loc = prev in _STRICT_LOCATIVE and not _sentence_initial(toks, i)
        bad = any(w in lx.NON_PLACE_HEADS or w in lx.MONTHS or w in lx.WEEKDAYS for w in words)
        bad = bad or any(w in _ETHNIC for w in words)
        bad = bad or (not gulf and any(w in lx.country_lookup() for w in words))
        common = len(words) == 1 and words[0] in lx.COMMON_WORDS
        if not bad and not common and (feature or gulf or loc):
            out.append(RawMention(i, j, "feature", locative=loc))
        i = j
    return out


def find_mentions(text: str, toks: list[Token], gaz: Any) -> list[RawMention]:
    """Every place mention of the text, in text order, no two overlapping.

    Examples
    --------
    >>> from bordermap.extract.text import sentences, tokens
    >>> from bordermap.gazetteer import get_gazetteer
    >>> t = "Police said Imran Khan was near the Durand Line, not in Chah Bahar but in Ladakh."
    >>> toks = tokens(t, sentences(t))
    >>> [(t[toks[m.i].start:toks[m.j - 1].end], m.kind)
    ...  for m in find_mentions(t, toks, get_gazetteer())]
    [('Durand Line', 'frontier'), ('Chah Bahar', 'place'), ('Ladakh', 'feature')]
    """
    keys, poss = token_keys(toks)
    joined = joins(text, toks)
    fixed = _spans_fixed(text, toks, keys, poss, joined)
    starts = [_is_cap(t) for t in toks]
    places = []
    ranks: dict[tuple[int, ...], list[tuple]] = {}  # a name seen again: the same candidates
    for h in gazetteer_hits(gaz, ngrams(text, toks, keys, poss, starts=starts, joined=joined)):
        rank = ranks.get(h.names)
        if rank is None:
            rank = ranks[h.names] = _place_rank(gaz, h)
        if rank:
            m = RawMention(h.i, h.j, "place", rank=rank)
            m.locative = _prev_word(toks, h.i) in lx.LOCATIVE and not _sentence_initial(toks, h.i)
            places.append(m)
    chosen = _non_overlapping(fixed, [])
    doc = {m.code for m in chosen if m.kind == "country"}
    doc |= {c for m in chosen if m.kind == "frontier" for c in _frontier_countries(m.code)}
    country = gaz._country_of
    kept = []
    countries_of: dict[int, set[str]] = {}
    for m in places:
        m_countries = countries_of.get(id(m.rank))
        if m_countries is None:
            m_countries = countries_of[id(m.rank)] = {country(r[4]) for r in m.rank}
        if _keep_place_ctx(text, toks, m, doc, m_countries):
            kept.append(m)
    chosen = _non_overlapping(fixed, kept)
    taken = [False] * len(toks)
    for m in chosen:
        for k in range(m.i, m.j):
            taken[k] = True
    feats = [f for f in _features(text, toks, [False] * len(toks)) if not f.locative or
             not any(taken[f.i:f.j])]
    chosen = _non_overlapping(chosen, feats)
    return sorted(chosen, key=lambda m: m.i)


def _keep_place_ctx(text: str, toks: list[Token], m: RawMention, doc: set[str],
                    countries: set[str]) -> bool:
    i, j = m.i, m.j
    if not _name_case(toks, i, j) or _inside_longer_name(text, toks, i, j):
        return False
    words = [_lower(t) for t in toks[i:j]]
    if j - i == 1 and (words[0] in _ETHNIC or words[0] in lx.MONTHS or words[0] in lx.WEEKDAYS):
        return False
    top = m.rank[0]
    in_doc = bool(countries & doc)
    if j - i == 1 and (words[0] in lx.COMMON_WORDS or words[0] in lx.NON_PLACE_HEADS):
        return m.locative and in_doc  # "Police" the town: "in Police", in a text about Poland
    if top[0] == 0 or j - i > 1:
        return True
    return m.locative or in_doc or -top[3] >= 100_000


def _frontier_countries(name: str) -> tuple[str, ...]:
    from bordermap.frontiers import _entries

    entry = _entries().get(name)
    return tuple(str(c).upper() for c in entry["countries"]) if entry else ()


_PRIORITY = {"frontier": 0, "country": 1, "place": 2, "feature": 3}


def _non_overlapping(first: list[RawMention], second: list[RawMention]) -> list[RawMention]:
    """Longest spans win; on equal length frontier > country > place > feature."""
    allm = sorted(first + second, key=lambda m: (-(m.j - m.i), _PRIORITY[m.kind], m.i))
    used: set[int] = set()
    out = []
    for m in allm:
        span = set(range(m.i, m.j))
        if span & used:
            continue
        used |= span
        out.append(m)
    return out
