"""Distances a report states ("about 50 km inside Pakistan", "3–4 km from the border").

Each is kept as the report gives it, in the layer's ``reported_distance_km``
form: ``km`` (a number or a [low, high] range, miles converted at 1.609344
km), ``from`` (``border``, ``loc``, ``international border``, ``working
boundary``, ``agpl`` or a frontier name) and the ``quote``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any

from bordermap.extract.text import Sentence

__all__ = ["DistanceMention", "find_distances"]

_KM_PER_MILE = 1.609344
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
          "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "a": 1}
_NUM = r"(?:\d+(?:[.,]\d+)?|" + "|".join(sorted(_WORDS, key=len, reverse=True)) + r")"
_FROM_WORDS = {
    "border": "border", "frontier": "border", "boundary": "border", "line": "border",
    "border line": "border", "international boundary": "border",
    "line of control": "loc", "loc": "loc", "international border": "international border",
    "ib": "international border", "working boundary": "working boundary", "agpl": "agpl",
    "durand line": "afghanistan-pakistan", "lac": "india-china",
    "line of actual control": "india-china",
}
_FROM = "|".join(sorted((re.escape(k) for k in _FROM_WORDS), key=len, reverse=True))
_RE = re.compile(
    r"(?P<q>\b(?:about|around|some|nearly|almost|roughly|approximately|up\s+to|at\s+least|over|"
    r"more\s+than|less\s+than|barely|just|only)\s+)?"
    r"\b(?P<a>" + _NUM + r")(?:\s*(?:-|–|—|to|or)\s*(?P<b>" + _NUM + r"))?\s*"
    r"(?P<unit>km|kms|kilomet(?:re|er)s?|miles?|mi)\b\.?"
    r"(?P<how>\s+(?:deep\s+)?(?:inside|into|within|from|of|away\s+from|beyond|short\s+of|"
    r"across|off)\s+(?:the\s+)?"
    r"(?:(?P<from>" + _FROM + r")\b|(?P<country>[A-Z][a-z]+(?:['’]s)?)(?:\s+territory)?))",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class DistanceMention:
    """A stated distance: span, sentence, km range, what it is measured from, and the quote."""

    text: str
    start: int
    end: int
    sentence: int
    low_km: float
    high_km: float
    measured_from: str
    side: str | None = None  # ISO-3 of "inside Pakistan"

    def to_layer(self) -> dict[str, Any]:
        """The ``reported_distance_km`` mapping of the layer format (source left to the caller)."""
        km: Any = self.low_km if self.low_km == self.high_km else [self.low_km, self.high_km]
        return {"km": km, "from": self.measured_from, "quote": self.text}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {k: getattr(self, k) for k in self.__slots__}


def _num(s: str) -> float:
    s = s.lower()
    return float(_WORDS[s]) if s in _WORDS else float(s.replace(",", "."))


def find_distances(text: str, sents: list[Sentence]) -> list[DistanceMention]:
    """Every distance from a line the text states.

    Examples
    --------
    >>> from bordermap.extract.text import sentences
    >>> t = "The drone was 3-4 km inside Pakistani territory, some 2 miles from the LoC."
    >>> [(d.low_km, d.high_km, d.measured_from, d.side) for d in find_distances(t, sentences(t))]
    [(3.0, 4.0, 'border', 'PAK'), (3.219, 3.219, 'loc', None)]
    """
    from bordermap.extract.lexicon import country_lookup

    countries = country_lookup()
    starts = [s.start for s in sents]
    out = []
    for m in _RE.finditer(text):
        side = None
        if m.group("from"):
            frm = _FROM_WORDS[m.group("from").lower()]
        else:
            word = re.sub(r"['’]s$", "", m.group("country")).lower()
            if word not in countries:
                continue
            frm, side = "border", countries[word]
        a = _num(m.group("a"))
        b = _num(m.group("b")) if m.group("b") else a
        if m.group("unit").lower().startswith("mi"):
            a, b = round(a * _KM_PER_MILE, 3), round(b * _KM_PER_MILE, 3)
        if b < a:
            a, b = b, a
        start = m.start("q") if m.group("q") else m.start("a")
        sent = max(0, bisect.bisect_right(starts, start) - 1)
        out.append(DistanceMention(text[start : m.end()], start, m.end(), sent, a, b, frm, side))
    return out
