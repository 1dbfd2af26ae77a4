"""Word lists the extractor reads text with: countries, demonyms, frontiers, cue words.

Everything here is English newswire vocabulary written for bordermap (no list
is downloaded).  The lists are small on purpose: a word belongs here only when
a report of a border incident uses it and the gazetteer alone would read it
wrongly (a demonym is no gazetteer name; "Police" and "Most" are towns).
"""

from __future__ import annotations

from functools import lru_cache

__all__ = [
    "COMMON_WORDS",
    "DEMONYMS",
    "FEATURE_WORDS",
    "LOCATIVE",
    "MONTHS",
    "NON_PLACE_HEADS",
    "WEEKDAYS",
    "country_lookup",
    "frontier_phrases",
]

#: Adjectives and nouns of nationality -> ISO-3 (the countries of the borders bordermap maps,
#: their neighbours and the powers reports name beside them).
DEMONYMS: dict[str, str] = {
    "iranian": "IRN", "iranians": "IRN", "persian": "IRN",
    "pakistani": "PAK", "pakistanis": "PAK",
    "indian": "IND", "indians": "IND",
    "afghan": "AFG", "afghans": "AFG", "afghani": "AFG",
    "chinese": "CHN",
    "thai": "THA", "thais": "THA",
    "cambodian": "KHM", "cambodians": "KHM", "khmer": "KHM",
    "armenian": "ARM", "armenians": "ARM",
    "azerbaijani": "AZE", "azerbaijanis": "AZE", "azeri": "AZE", "azeris": "AZE",
    "american": "USA", "americans": "USA",
    "russian": "RUS", "russians": "RUS",
    "turkish": "TUR", "iraqi": "IRQ", "iraqis": "IRQ",
    "turkmen": "TKM", "tajik": "TJK", "uzbek": "UZB",
    "nepali": "NPL", "nepalese": "NPL", "bangladeshi": "BGD", "bhutanese": "BTN",
    "burmese": "MMR", "laotian": "LAO", "vietnamese": "VNM", "georgian": "GEO",
    "saudi": "SAU", "emirati": "ARE", "omani": "OMN", "qatari": "QAT",
    "israeli": "ISR", "israelis": "ISR", "british": "GBR", "french": "FRA",
    "german": "DEU", "swiss": "CHE", "yemeni": "YEM", "syrian": "SYR",
}  # fmt: skip

#: Other names of countries that reports use (the GeoNames names are added by country_lookup).
COUNTRY_ALIASES: dict[str, str] = {
    "burma": "MMR", "turkiye": "TUR", "the us": "USA", "us": "USA", "usa": "USA",
    "united states": "USA", "uk": "GBR", "britain": "GBR", "great britain": "GBR",
    "persia": "IRN", "kampuchea": "KHM", "the uae": "ARE", "uae": "ARE",
}  # fmt: skip

#: Names that are countries in GeoNames but in a report usually a region or something else.
NOT_COUNTRIES = frozenset({"georgia", "jersey", "chad", "niger", "guinea", "jordan", "israel"})

#: Frontier names as written in prose, beside the catalogue's own names and aliases.
FRONTIER_PHRASES: dict[str, str] = {
    "line of control": "loc", "loc": "loc", "l o c": "loc",
    "durand line": "durand-line",
    "line of actual control": "lac", "lac": "lac", "mcmahon line": "india-china",
    "working boundary": "india-pakistan", "radcliffe line": "india-pakistan",
    "actual ground position line": "india-pakistan", "agpl": "india-pakistan",
}  # fmt: skip

#: Prepositions after which a capitalised name is read as a place.
LOCATIVE = frozenset({
    "in", "near", "at", "outside", "around", "inside", "into", "towards", "toward", "across",
    "to", "from", "off", "beyond", "through", "along", "between", "over", "of", "nearby",
})  # fmt: skip

#: Words that name a kind of place; "Galwan Valley", "Khyber Pass", "Arabian Sea".
FEATURE_WORDS = frozenset({
    "valley", "pass", "river", "sea", "gulf", "lake", "bay", "strait", "glacier", "mountains",
    "mountain", "hills", "range", "plateau", "district", "province", "region", "sector",
    "temple", "dam", "desert", "corridor", "airbase", "cantonment", "county", "tehsil",
    "ridge", "peak", "heights", "border crossing", "crossing", "camp", "base", "village",
})  # fmt: skip

#: Capitalised heads that make a name an organisation, office or person, not a place.
NON_PLACE_HEADS = frozenset({
    "army", "force", "forces", "ministry", "office", "council", "party", "corps", "guard",
    "guards", "police", "court", "university", "times", "news", "agency", "nations", "union",
    "front", "minister", "president", "general", "spokesman", "spokesperson", "department",
    "committee", "commission", "group", "service", "services", "relations", "command",
    "organisation", "organization", "government", "parliament", "assembly", "tribune",
    "post", "press", "journal", "review", "institute", "bank", "company", "airlines",
    "day", "week", "operation", "treaty", "accord", "agreement", "summit", "forum", "ltd",
    "mr", "mrs", "ms", "dr", "sir", "colonel", "major", "captain", "lieutenant", "brigadier",
    "commander", "chief", "secretary", "governor", "ambassador", "spokeswoman",
    "prime", "foreign", "defence", "defense", "interior", "federal", "national", "islamic",
    "revolutionary", "republic", "kingdom", "state", "states", "said", "says", "told",
})  # fmt: skip

MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip

WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}  # fmt: skip

#: English words that are also GeoNames place names ("Police", "Most", "Of", "Can", "Mobile"):
#: refused as a single-word mention unless the context supports them (see mentions).
_COMMON_TEXT = """
a about above across act after again against ago air all also am among an and any are area army
as asia at attack attacks away back bad base be been before behind being below best between big
black blue both but by call called came camp can capital car case centre center chief city
clear close come could country court cross day days dead deep did do does done down during each
early east end europe even every face fact fall far fell few field fire first five for force
four free from front full gate general get give go good got great green ground group had half
hand has have he head her here high him his home hope hot house how if in india into is it its
just keep key kill killed king land large last late law lay lead least left less let life light
like line little live long look lost low made main make man many march may me men mid might
military mine miles mobile more most much must my near new news next night nine no none north
not now of off old on once one only open or order other our out over own park part party past
peace people place plan point police port post power press put rain range red report rest right
river road rock round run said saint same say says sea second security see seven she shot side
since six small so some son south spring square star state still stone strike such summer sun
sure take ten than that the their them then there these they third this those three through
time to told top town two under union unity up upon us use valley very victory view village war
was water way we week well were west what when where which while white who why will win winter
with within without woman women work world year years yet you young zero
"""
COMMON_WORDS = frozenset(_COMMON_TEXT.split())

#: Words that may stand inside a multi-word place name without ending it ("Gulf of Oman").
NAME_CONNECTORS = frozenset({"of", "and", "e", "i", "al", "el", "ul", "o", "de", "la", "the"})


@lru_cache(maxsize=1)
def country_lookup() -> dict[str, str]:
    """Normalised country name, alias or demonym -> ISO-3 code.

    Examples
    --------
    >>> lk = country_lookup()
    >>> lk["pakistan"], lk["iranian"], lk["cambodia"], lk["azerbaijani"]
    ('PAK', 'IRN', 'KHM', 'AZE')
    """
    from bordermap.gazetteer import country_codes, normalize_name

    out: dict[str, str] = {}
    for iso, name in country_codes().items():
        key = normalize_name(name)
        if key and key not in NOT_COUNTRIES:
            out[key] = iso
    out.update(COUNTRY_ALIASES)
    out.update(DEMONYMS)
    return out


@lru_cache(maxsize=1)
def frontier_phrases() -> dict[str, str]:
    """Normalised frontier phrase -> catalogue frontier name (``bordermap.frontiers``).

    Each phrase is resolved with :func:`bordermap.frontiers.get_frontier`'s own name
    rules (catalogue names and aliases), so the catalogue stays the one authority.

    Examples
    --------
    >>> fp = frontier_phrases()
    >>> fp["line of control"], fp["durand line"], fp["lac"]
    ('india-pakistan', 'afghanistan-pakistan', 'india-china')
    """
    from bordermap.frontiers import _entries, _resolve

    out: dict[str, str] = {}
    for name, entry in _entries().items():
        for alias in entry.get("aliases") or []:
            if "-" in alias and len(alias.split("-")) == 2 and len(alias) < 25:
                a, b = alias.split("-")
                if f"{b}-{a}" == name:  # "pakistan-iran": a country pair, not prose
                    continue
            out[alias.replace("-", " ").lower()] = name
    for phrase, alias in FRONTIER_PHRASES.items():
        out[phrase] = _resolve(alias)[0] or alias
    return out
