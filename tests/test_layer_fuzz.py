"""Fuzzing the three layer readers (issue 9, item 6).

Random and mutated YAML, CSV and GeoJSON bytes must give either a Layer or a
BordermapError with a bounded, traceback-free message -- never another
exception -- in bounded time and memory.
"""

from __future__ import annotations

import json
import textwrap
import tracemalloc
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bordermap.errors import BordermapError, LayerWarning
from bordermap.incidents import Layer, load_layer
from test_incidents import FakeGazetteer, good_layer

SEED_YAML = textwrap.dedent(good_layer()).lstrip("\n").encode()
SEED_CSV = (
    b"id,title,date,kind,actor,target_side,lon,lat,precision_m,country,claimant,killed,"
    b"reported_distance_km,reported_distance_from,reported_distance_source,"
    b"source_id,source_publisher,source_title,source_date,source_url\n"
    b"c1,Shelling,2025-05-07,shelling,PAK,IND,74.1,33.77,5000,IND,IND,12,3-4,loc,s1,"
    b"s1,Wire,T,2025-05-08,https://example.org/x\n"
    b"c2,Strike,2024-01-18/2024-01-19,air strike,PAK,IRN,62.3,27.4,2000,,IRN,2,,,,"
    b"s2,Wire,T,2024-01,https://example.org/y\n"
)
SEED_GEOJSON = json.dumps(
    {
        "type": "FeatureCollection",
        "title": "Fuzz",
        "sources": [{"id": "w", "publisher": "W", "title": "T", "date": "2024-01-01"}],
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "MultiPoint", "coordinates": [[74.1, 33.7], [74.2, 33.8]]},
                "properties": {
                    "id": "g1",
                    "title": "T",
                    "date": "2024-01-01",
                    "kind": "shelling",
                    "actor": "PAK",
                    "precision_m": 4000,
                    "sources": ["w"],
                    "claims": [
                        {"claimant": "IND", "casualties": {"killed": "1-2"}, "sources": ["w"]}
                    ],
                },
            }
        ],
    },
    indent=1,
).encode()

# fragments a careless or hostile author might type
TOKENS = [
    b"&a ",
    b"*a",
    b"&b [*a, *a, *a, *a]",
    b": ",
    b"- ",
    b"[",
    b"]",
    b"{",
    b"}",
    b",",
    b'"',
    b"'",
    b"\n",
    b"\n  ",
    b"\t",
    b"#",
    b"!!python/object:os.system",
    b"!!int",
    b"190:30",
    b"9" * 400,
    b"1e999",
    b".nan",
    b"-.inf",
    b"nan",
    b"null",
    b"true",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\x00",
    b"https://",
    b"javascript:alert(1)",
    b"lat",
    b"lon",
    b"date",
    b"2300",
    b"9999-12-31",
    b"0000-00-00",
    b"24:61+99:99",
    b"impact",
    b"claims",
    b"sources",
    b"reported_distance_km",
    b"{km: [5, 3], from: nowhere, source: x}",
    b"precision_m",
    b"country: PAK",
    b'"type": "Feature"',
    b"[[[[[[[[",
    b"]]]]]]]]",
    b"=HYPERLINK(1)",
]


@st.composite
def mutated(draw, seed: bytes) -> bytes:
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["insert", "delete", "replace", "flip", "dup"]))
        pos = draw(st.integers(0, len(data)))
        if op == "insert":
            data[pos:pos] = draw(st.sampled_from(TOKENS))
        elif op == "delete":
            del data[pos : pos + draw(st.integers(1, 40))]
        elif op == "replace":
            data[pos : pos + draw(st.integers(1, 12))] = draw(st.sampled_from(TOKENS))
        elif op == "flip" and data:
            i = min(pos, len(data) - 1)
            data[i] = draw(st.integers(0, 255))
        elif op == "dup":
            end = pos + draw(st.integers(1, 200))
            data[pos:pos] = data[pos:end]
    return bytes(data)


def contents(seed: bytes) -> st.SearchStrategy[bytes]:
    return st.one_of(mutated(seed), st.binary(max_size=300))


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("fuzz")
    # warm the lazily loaded tables (countries, boundaries) outside the timed examples
    for suffix, seed in (("yaml", SEED_YAML), ("csv", SEED_CSV), ("geojson", SEED_GEOJSON)):
        path = d / f"seed.{suffix}"
        path.write_bytes(seed)
        assert isinstance(load_layer(path, gazetteer=FakeGazetteer()), Layer)
    return d


def check_reader(path, data: bytes) -> None:
    path.write_bytes(data)
    tracemalloc.start()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", LayerWarning)
            try:
                result = load_layer(path, gazetteer=FakeGazetteer())
            except BordermapError as exc:
                text = str(exc)
                assert "Traceback" not in text
                assert len(text) < 250 * 500, len(text)
                assert all(len(line) < 2000 for line in text.splitlines())
            else:
                assert isinstance(result, Layer)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 64 * 2**20, peak


FUZZ = settings(
    max_examples=120,
    deadline=3000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)


@FUZZ
@given(data=contents(SEED_YAML))
def test_fuzz_yaml_reader(fuzz_dir, data):
    check_reader(fuzz_dir / "fuzz.yaml", data)


@FUZZ
@given(data=contents(SEED_CSV))
def test_fuzz_csv_reader(fuzz_dir, data):
    check_reader(fuzz_dir / "fuzz.csv", data)


@FUZZ
@given(data=contents(SEED_GEOJSON))
def test_fuzz_geojson_reader(fuzz_dir, data):
    check_reader(fuzz_dir / "fuzz.geojson", data)
