"""Kind words in a query: "Preah Vihear province", "Surin town", "Kupwara district".

When a query has no exact match as a whole, a leading or trailing kind word is
split off and the rest is looked up among the places of that kind only.  The
word decides between places that share a name (a province and its eponymous
town, a temple and a province), which a bare name never does silently.
"""

from __future__ import annotations

__all__: list[str] = []

_ADMIN1 = frozenset({"province"})
_DISTRICT = frozenset({"district"})
_SETTLEMENT = frozenset({"town", "village"})

#: Query words and the place kinds they select.
QUALIFIERS: dict[str, frozenset[str]] = {
    **dict.fromkeys(("province", "state", "region", "territory", "ostan", "changwat",
                     "khett", "marz", "oblast", "provincia"), _ADMIN1),
    **dict.fromkeys(("district", "county", "zilla", "zila", "shahrestan", "tehsil",
                     "division"), _DISTRICT),
    **dict.fromkeys(("city", "town", "village", "township"), _SETTLEMENT),
}  # fmt: skip
#: Query words that ask for a second-level area.
DISTRICT_WORDS = frozenset(w for w, kinds in QUALIFIERS.items() if kinds is _DISTRICT)
#: Words naming a kind of landmark: they select places whose kind contains the word.
LANDMARK_WORDS = frozenset(
    {"temple", "pass", "valley", "lake", "glacier", "river", "peak", "mountain", "crossing",
     "checkpoint", "camp", "base", "airport"}
)  # fmt: skip


def split_qualifier(q: str) -> tuple[str, str] | None:
    """(rest, kind word) of a normalised query that starts or ends with a kind word.

    Examples
    --------
    >>> split_qualifier("preah vihear province"), split_qualifier("changwat surin")
    (('preah vihear', 'province'), ('surin', 'changwat'))
    >>> split_qualifier("panjgur") is None
    True
    """
    words = q.split()
    if len(words) < 2:
        return None
    known = QUALIFIERS.keys() | LANDMARK_WORDS
    if words[-1] in known:
        return " ".join(words[:-1]), words[-1]
    if words[0] in known:
        return " ".join(words[1:]), words[0]
    return None


def kind_matches(word: str, kind: str) -> bool:
    """Whether a place of ``kind`` answers a query qualified by ``word``.

    Examples
    --------
    >>> kind_matches("state", "province"), kind_matches("city", "town")
    (True, True)
    >>> kind_matches("temple", "temple"), kind_matches("province", "town")
    (True, False)
    """
    kinds = QUALIFIERS.get(word)
    if kinds is not None:
        return kind in kinds
    return word in kind.split()
