"""``reported_distance_km`` on locations and claims: parsing and validation."""

from __future__ import annotations

import json

import pytest

from bordermap.incidents import ReportedDistance, Source, load_layer
from test_incidents import FakeGazetteer, expect_error, write


def layer(impact_extra: str = "", claim_extra: str = "") -> str:
    return f"""
title: Distances
incidents:
  - id: s-1
    title: A strike
    date: 2025-05-07
    kind: air strike
    actor: IND
    impact:
      - lon: 74.25
        lat: 32.87
        precision_m: 2000
{impact_extra}
      - {{lon: 74.30, lat: 32.90, precision_m: 2000}}
    claims:
      - claimant: IND
        sources: [pib]
{claim_extra}
    sources: [pib]
sources:
  - {{id: pib, publisher: Test Bureau, title: A briefing, date: 2025-05-07}}
"""


def test_location_distance_single_figure(tmp_path):
    extra = """        reported_distance_km:
          km: 9
          from: Line of Control
          source: pib
          quote: "about 9 km from the LoC\""""
    lay = load_layer(write(tmp_path, layer(extra)), gazetteer=FakeGazetteer())
    rd = lay.incidents[0].impacts[0].reported_distance
    assert isinstance(rd, ReportedDistance)
    assert (rd.low_km, rd.high_km, rd.measured_from) == (9.0, 9.0, "loc")
    assert rd.source.id == "pib" and rd.source.publisher == "Test Bureau"
    assert rd.quote == "about 9 km from the LoC"
    assert rd.line == 12 and rd.impact is None
    assert lay.incidents[0].impacts[1].reported_distance is None
    assert isinstance(rd.source, Source)


@pytest.mark.parametrize(
    ("km", "low", "high"),
    [
        ("[3, 4]", 3.0, 4.0),
        ("{low: 3, high: 4.5}", 3.0, 4.5),
        ('"12-18"', 12.0, 18.0),
        ("0", 0.0, 0.0),
    ],
)
def test_location_distance_ranges(tmp_path, km, low, high):
    extra = f"        reported_distance_km: {{km: {km}, from: border, source: pib}}"
    lay = load_layer(write(tmp_path, layer(extra)), gazetteer=FakeGazetteer())
    rd = lay.incidents[0].impacts[0].reported_distance
    assert (rd.low_km, rd.high_km, rd.measured_from) == (low, high, "border")


@pytest.mark.parametrize(
    ("written", "normal"),
    [
        ("LoC", "loc"),
        ("International-Border", "international border"),
        ("working_boundary", "working boundary"),
        ("AGPL", "agpl"),
        ("Iran - Pakistan", "iran-pakistan"),
        ("india-pakistan", "india-pakistan"),
    ],
)
def test_measured_from_is_normalised(tmp_path, written, normal):
    extra = f"        reported_distance_km: {{km: 3, from: '{written}', source: pib}}"
    lay = load_layer(write(tmp_path, layer(extra)), gazetteer=FakeGazetteer())
    assert lay.incidents[0].impacts[0].reported_distance.measured_from == normal


@pytest.mark.parametrize(
    ("value", "field", "words"),
    [
        ("{km: -1, from: loc, source: pib}", "reported_distance_km", (">= 0",)),
        (
            "{km: [5, 3], from: loc, source: pib}",
            "reported_distance_km.km",
            ("low (5) > high (3)",),
        ),
        ("{km: .nan, from: loc, source: pib}", "reported_distance_km.km", ("finite",)),
        ("{km: 3, source: pib}", "reported_distance_km.from", ("missing", "'from'")),
        ("{km: 3, from: borderr, source: pib}", "reported_distance_km.from", ("border",)),
        ("{km: 3, from: loc}", "reported_distance_km.source", ("missing", "'source'")),
        (
            "{km: 3, from: loc, source: pibb}",
            "reported_distance_km.source",
            ("unknown source", "pib"),
        ),
        (
            "{km: 3, from: loc, source: pib, impact: 1}",
            "reported_distance_km.impact",
            ("unknown field",),
        ),
        ("9", "reported_distance_km", ("mapping",)),
    ],
)
def test_location_distance_errors(tmp_path, value, field, words):
    extra = f"        reported_distance_km: {value}"
    expect_error(write(tmp_path, layer(extra)), 12, field, *words)


def test_claim_distance_with_impact_index(tmp_path):
    extra = (
        "        reported_distance_km:"
        " {km: [12, 18], from: working boundary, source: pib, impact: 2}"
    )
    lay = load_layer(write(tmp_path, layer(claim_extra=extra)), gazetteer=FakeGazetteer())
    rd = lay.incidents[0].claim("IND").reported_distance
    assert (rd.low_km, rd.high_km, rd.impact, rd.measured_from) == (
        12.0,
        18.0,
        2,
        "working boundary",
    )
    extra3 = extra.replace("impact: 2", "impact: 3")
    expect_error(
        write(tmp_path, layer(claim_extra=extra3)), 17, "impact", "impact 3 does not exist"
    )
    extra0 = extra.replace("impact: 2", "impact: 0")
    expect_error(write(tmp_path, layer(claim_extra=extra0)), 17, "impact", "1-based")


def test_csv_and_geojson_distance_columns(tmp_path):
    csv_text = (
        "id,title,date,kind,actor,lon,lat,precision_m,reported_distance_km,"
        "reported_distance_from,reported_distance_source,reported_distance_quote,"
        "source_id,source_publisher,source_title,source_date\n"
        "c1,T,2024-01-18,air strike,PAK,62.0,27.4,3000,3-4,border,mofa,"
        '"3 to 4 km from the border",mofa,Ministry,Statement,2024-01-18\n'
    )
    path = tmp_path / "d.csv"
    path.write_text(csv_text)
    rd = load_layer(path, gazetteer=FakeGazetteer()).get("c1").impacts[0].reported_distance
    assert (rd.low_km, rd.high_km, rd.measured_from, rd.source.id) == (3.0, 4.0, "border", "mofa")
    assert rd.quote == "3 to 4 km from the border" and rd.line == 2
    path.write_text(csv_text.replace(",border,", ",nowhere,"))
    expect_error(path, 2, "reported_distance_km.from", "unknown reference")

    feat = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [62.0, 27.4]},
        "properties": {
            "id": "g1",
            "title": "T",
            "date": "2024-01-18",
            "kind": "air strike",
            "actor": "PAK",
            "precision_m": 3000,
            "sources": ["mofa"],
            "reported_distance_km": 4,
            "reported_distance_from": "iran-pakistan",
            "reported_distance_source": "mofa",
        },
    }
    fc = {
        "type": "FeatureCollection",
        "features": [feat],
        "sources": [
            {"id": "mofa", "publisher": "Ministry", "title": "Statement", "date": "2024-01-18"}
        ],
    }
    gpath = tmp_path / "d.geojson"
    gpath.write_text(json.dumps(fc))
    rd = load_layer(gpath, gazetteer=FakeGazetteer()).get("g1").impacts[0].reported_distance
    assert (rd.low_km, rd.high_km, rd.measured_from) == (4.0, 4.0, "iran-pakistan")
    feat["properties"]["reported_distance_km"] = {"km": [3, 4], "from": "border", "source": "mofa"}
    del feat["properties"]["reported_distance_from"], feat["properties"]["reported_distance_source"]
    gpath.write_text(json.dumps(fc))
    rd = load_layer(gpath, gazetteer=FakeGazetteer()).get("g1").impacts[0].reported_distance
    assert (rd.low_km, rd.high_km, rd.measured_from) == (3.0, 4.0, "border")
