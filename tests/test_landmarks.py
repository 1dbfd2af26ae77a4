"""Landmarks and natural features in the curated gazetteer, homonyms, and the issue-10
acceptance: three conflicts mapped and exported from place names only, by the CLI alone."""

from __future__ import annotations

import pytest

from bordermap.errors import AmbiguousPlaceError
from bordermap.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.load()


# --- homonyms: a lone main-name match over alternate names -------------------------------


def test_main_name_beats_alternate_names_of_smaller_places(gaz):
    # "Goris" is also an alternate name of Gori (Georgia, pop. ~42,000) and Gorey (Ireland);
    # the town whose own name it is (Goris, Armenia, ~17,600) is the answer.
    p = gaz.resolve("Goris")
    assert (p.country, p.geonameid) == ("ARM", 174895)
    # Jermuk: Mets Sepasar (ARM) lists "Jermuk" as an alternate name; with the hint the
    # town itself wins
    p = gaz.resolve("Jermuk", country="ARM")
    assert (p.country, p.geonameid) == ("ARM", 174884)


def test_alternate_name_of_a_much_larger_place_stays_ambiguous(gaz):
    # Çermik (TUR, ~21,000) carries "Jermuk" as an alternate name and is over five times
    # Jermuk's population: no silent choice without a country
    with pytest.raises(AmbiguousPlaceError) as exc:
        gaz.resolve("Jermuk")
    assert {c.place.country for c in exc.value.candidates} >= {"ARM", "TUR"}


def test_two_main_names_stay_ambiguous(gaz):
    with pytest.raises(AmbiguousPlaceError):
        gaz.resolve("Pishin")
