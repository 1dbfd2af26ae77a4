"""Validation reports every problem of a layer file in one run."""

from __future__ import annotations

import pytest

from bordermap.errors import LayerError, Problem
from bordermap.incidents import check_layer, load_layer
from test_incidents import FakeGazetteer, write

SIX_MISTAKES = """
title: Six mistakes
incidents:
  - id: one
    title: First
    date: 2024-13-01
    kind: shelling
    actor: PAK
    impact: {lon: 74.1, lat: 33.7, precision_m: 5000}
    sources: [wire]
  - id: two
    title: Second
    date: 2024-01-02
    kind: missle strike
    actor: Pakistan
    impact: {lon: 74.1, lat: 33.7}
    sources: [wire]
  - id: three
    title: Third
    date: 2024-01-03
    kind: shelling
    actor: PAK
    impact: {place: Panjgur}
    claims:
      - {claimant: PAK, casualties: {kiled: 2}, sources: [wrie]}
    sources: [wire]
sources:
  - {id: wire, publisher: Test Wire, title: A report, date: 2024-01-17,
     url: "https://example.org/a"}
"""

# (line, field ending, words in the message)
EXPECTED = [
    (5, "incidents[0](one).date", "bad date"),
    (13, "incidents[1](two).kind", "unknown kind"),
    (14, "incidents[1](two).actor", "country written as a name"),
    (15, "incidents[1](two).impact[0].precision_m", "need a precision"),
    (24, "incidents[2](three).claims[0].casualties.kiled", "unknown casualty category"),
    (24, "incidents[2](three).claims[0].sources[0]", "unknown source id 'wrie'"),
]


def test_six_mistakes_in_five_fields_all_reported_in_one_run(tmp_path):
    path = write(tmp_path, SIX_MISTAKES)
    with pytest.raises(LayerError) as info:
        load_layer(path, gazetteer=FakeGazetteer())
    err = info.value
    got = [(p.line, p.field, p.message) for p in err.problems]
    assert len(got) == len(EXPECTED), got
    for (line, fld, message), (want_line, want_fld, words) in zip(got, EXPECTED, strict=True):
        assert (line, fld) == (want_line, want_fld), got
        assert words in message, message
    assert all(isinstance(p, Problem) and p.severity == "error" for p in err.problems)
    lines = str(err).splitlines()
    assert lines[0] == f"{path}: 6 problems"
    assert lines[1].startswith(f"{path}:5: incidents[0](one).date: bad date")
    assert len(lines) == 7 and all(ln.startswith(f"{path}:") for ln in lines[1:])
    # the exception's own location is the first problem's
    assert (err.path, err.line, err.field) == (str(path), 5, "incidents[0](one).date")
    # check_layer gives the same list without raising
    assert check_layer(path, gazetteer=FakeGazetteer()) == err.problems


def test_check_layer_on_a_good_layer_and_on_unreadable_files(tmp_path):
    from test_incidents import good_layer

    assert check_layer(write(tmp_path, good_layer()), gazetteer=FakeGazetteer()) == []
    (p,) = check_layer(tmp_path / "nope.yaml")
    assert (p.severity, p.message) == ("error", "no such layer file")
    bad = write(tmp_path, "title: [unclosed\n", "bad.yaml")
    (p,) = check_layer(bad)
    assert p.line == 1 or p.line == 2
    assert "cannot read YAML" in p.message


def test_a_broken_layer_source_is_not_echoed_by_every_citation(tmp_path):
    from test_incidents import good_layer

    body = good_layer().replace("date: 2024-01-17,", "date: 2024-02-30,")
    problems = check_layer(write(tmp_path, body), gazetteer=FakeGazetteer())
    assert [(p.field, p.line) for p in problems] == [("sources[0].date", 27)]


def test_problems_are_capped(tmp_path):
    from bordermap.incidents import MAX_PROBLEMS

    rows = "".join(
        f"c{i},T,2024-01-01,shelling,PAK,74.1,95,5000,W,T,2024-01-01\n" for i in range(300)
    )
    path = tmp_path / "many.csv"
    path.write_text(
        "id,title,date,kind,actor,lon,lat,precision_m,source_publisher,source_title,"
        "source_date\n" + rows
    )
    with pytest.raises(LayerError) as info:
        load_layer(path, gazetteer=FakeGazetteer())
    assert str(info.value).splitlines()[0] == f"{path}: 300 problems"
    assert len(info.value.problems) == MAX_PROBLEMS + 1
    assert info.value.problems[-1].message == "100 more problems are not listed"


def test_a_repeated_problem_is_listed_once_and_still_invalidates(tmp_path):
    # found by the fuzz test: two points of one MultiPoint share a line, and so the
    # same "needs a precision" problem; the second must still stop its location
    import json

    feat = {
        "type": "Feature",
        "geometry": {"type": "MultiPoint", "coordinates": [[74.1, 33.7], [74.2, 33.8]]},
        "properties": {
            "id": "g1",
            "title": "T",
            "date": "2024-01-01",
            "kind": "shelling",
            "actor": "PAK",
            "sources": [{"publisher": "W", "title": "T", "date": "2024-01-01"}],
        },
    }
    path = tmp_path / "multi.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feat]}, indent=1))
    with pytest.raises(LayerError) as info:
        load_layer(path, gazetteer=FakeGazetteer())
    (problem,) = info.value.problems
    assert "need a precision" in problem.message
    assert problem.field == "incidents[0](g1).impact[0].precision_m"
    assert "\n" not in str(info.value)
