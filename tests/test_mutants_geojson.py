"""Fast tests of the GeoJSON writer (the mutation target's first judge).

Tiny tables, written with :func:`bordermap.export.write_geojson` and read back with
the standard library's ``json`` (and the raw text where the form of a number
matters).  Expected values are written out by hand: RFC 7946 wants positions of at
most 7 decimals here (``round(v, 7)``, Python's own rounding), counter-clockwise
outer rings and clockwise holes, and lines that cross ±180° split there.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta, timezone

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from bordermap.errors import ExportError
from bordermap.export import MISSING, write_geojson


def _write(tmp_path, gdf, name="t.geojson", **kw):
    out = write_geojson(gdf, tmp_path / name, **kw)
    raw = out.read_text(encoding="utf-8")
    return raw, json.loads(raw)


def _points(lon, lat, **cols):
    return gpd.GeoDataFrame(cols, geometry=gpd.points_from_xy(lon, lat), crs=4326)


def _as_written(v: float) -> str:
    """Shortest text of round(v, 7) in plain decimals: '12.5', '-0.1', '180' (no '-0')."""
    r = round(v, 7) + 0.0
    text = f"{r:.7f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


COORDS = [
    0.0,
    -0.0,
    1e-8,
    -4e-8,
    0.00000006,
    -0.0000001,
    12.5,
    -12.05,
    9.99999999,
    -9.99999996,
    99.1234567,
    -99.1234567,
    100.0000001,
    -100.00000005,
    179.99999994,
    -179.9999999,
    180.0,
    -180.0,
    123.4560001,
    7.0000010,
]


def test_point_coordinates_are_written_to_seven_decimals_as_text(tmp_path):
    lat = [max(-90.0, min(90.0, v / 2)) for v in COORDS]
    raw, doc = _write(tmp_path, _points(COORDS, lat))
    # the writer may pad numbers with spaces (JSON allows them between tokens)
    texts = [t.replace(" ", "") for t in re.findall(r'"coordinates":\[([^\]]*)\]', raw)]
    assert texts == [f"{_as_written(x)},{_as_written(y)}" for x, y in zip(COORDS, lat, strict=True)]
    xy = [f["geometry"]["coordinates"] for f in doc["features"]]
    assert xy == [[round(x, 7), round(y, 7)] for x, y in zip(COORDS, lat, strict=True)]
    assert all(f["geometry"]["type"] == "Point" for f in doc["features"])


def test_longitudes_beyond_180_are_wrapped_and_the_bbox_follows(tmp_path):
    # 190 E is 170 W; 540 is 180 W written as -180; -181 is 179 E
    lon = [190.0, 540.0, -181.0, 180.0, -540.0, 10.0]
    lat = [1.0, -90.0, 90.0, 0.5, 2.0, -3.25]
    _, doc = _write(tmp_path, _points(lon, lat))
    xy = [f["geometry"]["coordinates"] for f in doc["features"]]
    assert xy == [[-170, 1], [-180, -90], [179, 90], [180, 0.5], [-180, 2], [10, -3.25]]
    assert doc["bbox"] == [-180.0, -90.0, 180.0, 90.0]
    _, doc = _write(tmp_path, _points([190.0, 200.5], [1.0, 2.5]))
    assert doc["bbox"] == [-170.0, 1.0, -159.5, 2.5]


def test_points_among_other_geometries_are_wrapped_alike(tmp_path):
    """A table mixing points with a line takes the general path: the same wrapping,
    the same limits (±90° of latitude and ±540° of longitude are still valid)."""
    lon = [190.0, 540.0, -181.0, 180.0, -540.0, 180.5, -180.0, 10.0]
    lat = [1.0, -90.0, 90.0, 0.5, 2.0, 0.0, 3.0, -3.25]
    geoms = [shapely.LineString([(0, 0), (1, 1)]), *shapely.points(np.c_[lon, lat])]
    _, doc = _write(tmp_path, gpd.GeoDataFrame(geometry=geoms, crs=4326))
    xy = [f["geometry"]["coordinates"] for f in doc["features"][1:]]
    assert xy == [
        [-170, 1],
        [-180, -90],
        [179, 90],
        [180, 0.5],
        [-180, 2],
        [-179.5, 0],
        [-180, 3],
        [10, -3.25],
    ]
    assert doc["bbox"] == [-180.0, -90.0, 180.0, 90.0]


@pytest.mark.parametrize(
    ("lon", "lat"),
    [(0.0, 90.0000001), (0.0, -91.0), (540.0001, 0.0), (-541.0, 0.0), (np.nan, 0.0), (0.0, np.inf)],
)
def test_a_point_off_the_globe_is_refused_naming_its_row(tmp_path, lon, lat):
    gdf = _points([1.0, 2.0, lon, 3.0], [1.0, 2.0, lat, 3.0], name=["a", "b", "c", "d"])
    with pytest.raises(ExportError, match="point is not a valid longitude/latitude") as e:
        write_geojson(gdf, tmp_path / "bad.geojson")
    assert (e.value.line, e.value.field) == (2, "geometry")
    assert not (tmp_path / "bad.geojson").exists()
    # the same among lines and polygons (the general path)
    gdf.loc[0, "geometry"] = shapely.LineString([(0, 0), (1, 1)])
    with pytest.raises(ExportError, match="point is not a valid longitude/latitude") as e:
        write_geojson(gdf, tmp_path / "bad.geojson")
    assert (e.value.line, e.value.field) == (2, "geometry")


def test_three_dimensional_points_are_refused_naming_their_row(tmp_path):
    for first in (shapely.Point(0, 0), shapely.LineString([(0, 0), (1, 1)])):
        gdf = gpd.GeoDataFrame(
            geometry=[first, shapely.Point(1, 1), shapely.Point(1, 2, 3)], crs=4326
        )
        with pytest.raises(ExportError, match="3-D coordinates are not exported") as e:
            write_geojson(gdf, tmp_path / "z.geojson")
        assert (e.value.line, e.value.field) == (2, "geometry")
    line_z = shapely.LineString([(0, 0, 1), (1, 1, 1)])
    gdf = gpd.GeoDataFrame(geometry=[shapely.Point(0, 0), line_z], crs=4326)
    with pytest.raises(ExportError, match="3-D coordinates are not exported") as e:
        write_geojson(gdf, tmp_path / "z.geojson")
    assert (e.value.line, e.value.field) == (1, "geometry")
    assert e.value.suggestion == "drop them with shapely.force_2d"


def test_every_kind_of_geometry(tmp_path):
    hole = [(0.2, 0.2), (0.4, 0.2), (0.4, 0.4), (0.2, 0.4)]  # counter-clockwise: to be turned
    geoms = [
        shapely.LineString([(1, 2), (3.5, 4.12345678)]),
        shapely.Polygon([(0, 0), (0, 1), (1, 1), (1, 0)], [hole]),  # clockwise shell
        shapely.MultiPoint([(5, 6), (190, 7)]),
        shapely.MultiLineString([[(0, 0), (1, 0)], [(2, 2), (2, 3)]]),
        shapely.MultiPolygon([shapely.box(10, 10, 11, 11), shapely.box(12, 10, 13, 11)]),
        shapely.GeometryCollection([shapely.Point(1, 1), shapely.LineString([(0, 0), (0, 1)])]),
        shapely.Point(-5, -6),
        None,
        shapely.Point(),
        shapely.LineString(),
    ]
    gdf = gpd.GeoDataFrame({"i": range(len(geoms))}, geometry=geoms, crs=4326)
    _, doc = _write(tmp_path, gdf)
    g = [f["geometry"] for f in doc["features"]]
    assert g[0] == {"type": "LineString", "coordinates": [[1, 2], [3.5, 4.1234568]]}
    assert g[1]["type"] == "Polygon"
    shell, inner = g[1]["coordinates"]
    assert shapely.LinearRing(shell).is_ccw and not shapely.LinearRing(inner).is_ccw
    assert shapely.Polygon(shell, [inner]).normalize().equals_exact(geoms[1].normalize(), 0)
    assert g[2] == {"type": "MultiPoint", "coordinates": [[5, 6], [-170, 7]]}
    assert g[3] == {"type": "MultiLineString", "coordinates": [[[0, 0], [1, 0]], [[2, 2], [2, 3]]]}
    assert g[4]["type"] == "MultiPolygon"
    assert [shapely.Polygon(p[0]).bounds for p in g[4]["coordinates"]] == [
        (10, 10, 11, 11),
        (12, 10, 13, 11),
    ]
    assert all(shapely.LinearRing(p[0]).is_ccw for p in g[4]["coordinates"])
    assert g[5] == {
        "type": "GeometryCollection",
        "geometries": [
            {"type": "Point", "coordinates": [1, 1]},
            {"type": "LineString", "coordinates": [[0, 0], [0, 1]]},
        ],
    }
    assert g[6] == {"type": "Point", "coordinates": [-5, -6]}
    assert g[7:] == [None, None, None]
    assert [f["properties"]["i"] for f in doc["features"]] == list(range(len(geoms)))
    # the bbox of what was written: the MultiPoint's 190° E is 170° W
    assert doc["bbox"] == [-170.0, -6.0, 13.0, 11.0]


def test_a_line_across_the_antimeridian_is_split_at_it(tmp_path):
    gdf = gpd.GeoDataFrame(geometry=[shapely.LineString([(179, 0), (-179, 2)])], crs=4326)
    _, doc = _write(tmp_path, gdf)
    assert doc["features"][0]["geometry"] == {
        "type": "MultiLineString",
        # the straight lon/lat line from 179 E to 181 E crosses 180 halfway, at 1 N
        "coordinates": [[[179, 0], [180, 1]], [[-180, 1], [-179, 2]]],
    }
    assert doc["bbox"] == [-180.0, 0.0, 180.0, 2.0]


def test_a_table_of_empty_geometries_has_no_bbox(tmp_path):
    gdf = gpd.GeoDataFrame({"a": [1, 2]}, geometry=[None, shapely.Point()], crs=4326)
    _, doc = _write(tmp_path, gdf)
    assert "bbox" not in doc
    assert [f["geometry"] for f in doc["features"]] == [None, None]
    _, doc = _write(tmp_path, gdf.iloc[:0])
    assert doc["features"] == [] and "bbox" not in doc


def test_property_values_are_written_exactly(tmp_path):
    ints = [0, -1, 2**63 - 1, -(2**63), 10**15 + 1]
    floats = [0.1, -0.0, 1e-300, 2.5e16, 1 / 3]
    when = [
        datetime(2024, 1, 16, 21, 30, tzinfo=UTC),
        datetime(1799, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-5))),
        datetime(2024, 2, 29, tzinfo=timezone(timedelta(hours=5, minutes=30))),
        datetime(2262, 4, 12, tzinfo=UTC),
        datetime(2000, 3, 1, tzinfo=UTC),
    ]
    texts = ['say "hi"', "back\\slash", "line\nbreak\ttab", "Ďurďa — 日本 \u2028", "plain"]
    gdf = _points(
        range(5),
        range(5),
        n=ints,
        x=floats,
        b=[True, False, True, False, True],
        when=pd.Series(when, dtype=object),
        t=texts,
    )
    _, doc = _write(tmp_path, gdf)
    props = [f["properties"] for f in doc["features"]]
    assert [p["n"] for p in props] == ints
    assert [p["x"] for p in props] == floats
    assert str(props[1]["x"]) == "-0.0"
    assert [p["b"] for p in props] == [True, False, True, False, True]
    assert [p["when"] for p in props] == [
        "2024-01-16T21:30:00Z",
        "1800-01-01T04:59:59Z",
        "2024-02-28T18:30:00Z",
        "2262-04-12T00:00:00Z",
        "2000-03-01T00:00:00Z",
    ]
    assert [p["t"] for p in props] == texts
    assert list(props[0]) == ["n", "x", "b", "when", "t"]


def test_nulls_and_missing_properties(tmp_path):
    """None/NaN/NaT are null; MISSING leaves the property out of that feature."""
    gdf = _points(
        [0, 1, 2, 3],
        [0, 1, 2, 3],
        a=pd.Series([MISSING, "x", MISSING, None], dtype=object),
        b=pd.Series([1.5, np.nan, 2.5, np.nan]),
        c=pd.Series([MISSING, MISSING, "z", MISSING], dtype=object),
        d=pd.array([1, None, 3, None], dtype="Int64"),
        e=pd.Series([True, None, False, None], dtype="boolean"),
        w=pd.Series([datetime(2024, 1, 1, tzinfo=UTC), None, MISSING, None], dtype=object),
    )
    _, doc = _write(tmp_path, gdf)
    assert [f["properties"] for f in doc["features"]] == [
        {"b": 1.5, "d": 1, "e": True, "w": "2024-01-01T00:00:00Z"},
        {"a": "x", "b": None, "d": None, "e": None, "w": None},
        {"b": 2.5, "c": "z", "d": 3, "e": False},
        {"a": None, "b": None, "d": None, "e": None, "w": None},
    ]
    only = _points([0, 1], [0, 1], a=pd.Series([MISSING, "y"], dtype=object))
    _, doc = _write(tmp_path, only)
    assert [f["properties"] for f in doc["features"]] == [{}, {"a": "y"}]


def test_text_with_and_without_escapes_in_one_column(tmp_path):
    vals = ["a", 'q"uote', "a", "tab\t", "é", "", None]
    _, doc = _write(tmp_path, _points(range(7), range(7), t=pd.Series(vals, dtype=object)))
    assert [f["properties"]["t"] for f in doc["features"]] == vals
    short = ["", "é", None, "xyz"]  # values shorter than "null" beside null
    _, doc = _write(tmp_path, _points(range(4), range(4), t=pd.Series(short, dtype=object)))
    assert [f["properties"]["t"] for f in doc["features"]] == short
    _, doc = _write(tmp_path, _points([0, 1], [0, 1], k=pd.array([None, 7], dtype="Int8")))
    assert [f["properties"]["k"] for f in doc["features"]] == [None, 7]


def test_an_unpaired_surrogate_is_refused_naming_row_and_column(tmp_path):
    gdf = _points([0, 1], [0, 1], t=pd.Series(["ok", "bad \ud800"], dtype=object))
    with pytest.raises(ExportError, match="unpaired surrogate") as e:
        write_geojson(gdf, tmp_path / "s.geojson")
    assert (e.value.line, e.value.field) == (1, "t")


def test_metadata_member_and_crs(tmp_path):
    gdf = _points([0.5], [1.5]).to_crs(3857)
    raw, doc = _write(tmp_path, gdf, meta={"who": "test", "n": 1})
    assert doc["bordermap"] == {"who": "test", "n": 1}
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    assert doc["features"][0]["geometry"]["coordinates"] == [0.5, 1.5]
    assert doc["features"][0]["properties"] == {}
    assert raw.endswith("\n]}\n")
    _, doc = _write(tmp_path, gdf)
    assert doc["bordermap"]["version"]
    with pytest.raises(ExportError, match="has no CRS"):
        write_geojson(gpd.GeoDataFrame(geometry=[shapely.Point(0, 0)]), tmp_path / "n.geojson")


def test_several_tables_in_one_collection(tmp_path):
    from bordermap.io._files import writing
    from bordermap.io.geojson import write

    a = _points([1.0, 2.0], [1.0, 2.0], k=[1, 2])
    b = gpd.GeoDataFrame({"k": [3]}, geometry=[shapely.box(-5, -4, -3, -2)], crs=4326)
    target = tmp_path / "two.geojson"
    with writing() as files:
        write(files, target, {"points": a, "boxes": b}, {"m": 1})
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert [f["properties"]["k"] for f in doc["features"]] == [1, 2, 3]
    assert doc["bordermap"] == {
        "m": 1,
        "tables": [{"name": "points", "features": 2}, {"name": "boxes", "features": 1}],
    }
    assert doc["bbox"] == [-5.0, -4.0, 2.0, 2.0]
    # an empty first table still leaves valid JSON
    with writing() as files:
        write(files, target, {"none": a.iloc[:0], "boxes": b}, {"m": 2})
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert len(doc["features"]) == 1 and doc["bbox"] == [-5.0, -4.0, -3.0, -2.0]


def test_streamed_collection(tmp_path):
    from bordermap.io._files import writing
    from bordermap.io.geojson import stream

    a = _points([1.0, 2.0], [1.0, 2.0], k=[1, 2])
    b = _points([-7.0], [3.0], k=[3])
    target = tmp_path / "s.geojson"
    with writing() as files:
        s = stream(files, target)
        s.append("a", a)
        s.append("b", b)
        s.append("a", _points([250.0], [-1.0], k=[4]))
        assert s.finish({"m": 1}) == [target]
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert [f["properties"]["k"] for f in doc["features"]] == [1, 2, 3, 4]
    assert doc["features"][3]["geometry"]["coordinates"] == [-110, -1]
    assert doc["bbox"] == [-110.0, -1.0, 2.0, 3.0]
    assert doc["bordermap"] == {
        "m": 1,
        "tables": [{"name": "a", "features": 3}, {"name": "b", "features": 1}],
    }
    # a later chunk of a table names its rows from the table's start
    with pytest.raises(ExportError) as e, writing() as files:
        s = stream(files, target)
        try:
            s.append("a", a)
            s.append("a", _points([0.0, 0.0], [0.0, 99.0]))
        finally:
            s.close()  # as io._stream does on failure
    assert e.value.line == 3
    # one table, nothing appended: no tables list, no bbox
    with writing() as files:
        s = stream(files, target)
        s.append("a", a.iloc[:0])
        s.finish({"m": 2})
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert doc == {"type": "FeatureCollection", "features": [], "bordermap": {"m": 2}}
    with writing() as files:
        s = stream(files, target)
        s.append("a", a)
        s.finish({"m": 3})
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert doc["bordermap"] == {"m": 3} and doc["bbox"] == [1.0, 1.0, 2.0, 2.0]


def test_a_ring_round_a_pole_is_closed_along_it(tmp_path):
    ring = [(-180 + 60 * k, 80.0) for k in range(6)] + [(-180.0, 80.0)]
    ring = [(x + 30, y) for x, y in ring]
    gdf = gpd.GeoDataFrame(geometry=[shapely.Polygon(ring)], crs=4326)
    _, doc = _write(tmp_path, gdf)
    g = shapely.geometry.shape(doc["features"][0]["geometry"])
    assert g.is_valid
    # the cap north of 80 N, split at ±180: it holds the pole region and not 70 N
    assert shapely.contains_xy(g, [0, 179.5, -179.5], [85, 89, 89]).all()
    assert not shapely.contains_xy(g, [0], [70]).any()
    assert doc["bbox"][1] == pytest.approx(80.0) and doc["bbox"][3] == 90.0
    assert doc["bbox"][0] == -180.0 and doc["bbox"][2] == 180.0


def test_row_numbers_count_across_blocks_of_rows(tmp_path):
    """The writer works 50,000 rows at a time; a bad point in the second block is
    still named by its own row number."""
    n = 50_003
    lon = np.linspace(-10, 10, n)
    lat = np.zeros(n)
    lat[50_001] = 95.0
    with pytest.raises(ExportError) as e:
        write_geojson(_points(lon, lat), tmp_path / "big.geojson")
    assert e.value.line == 50_001
    # and in a block that also holds a line (the general path)
    gdf = _points(lon, lat)
    gdf.loc[50_002, "geometry"] = shapely.LineString([(0, 0), (1, 1)])
    with pytest.raises(ExportError) as e:
        write_geojson(gdf, tmp_path / "big.geojson")
    assert e.value.line == 50_001
    lat[50_001] = 0.5
    _, doc = _write(tmp_path, _points(lon, lat, k=np.arange(n)))
    assert len(doc["features"]) == n
    assert [f["properties"]["k"] for f in doc["features"]] == list(range(n))
    assert doc["features"][50_001]["geometry"]["coordinates"] == [round(lon[50_001], 7), 0.5]
    assert doc["bbox"] == [-10.0, 0.0, 10.0, 0.5]


def test_errors_name_the_table_or_the_file(tmp_path):
    gdf = _points([0.0, 1.0], [0.0, 95.0])
    with pytest.raises(ExportError, match=r"table 'strikes': point is not a valid") as e:
        write_geojson(gdf, tmp_path / "out.geojson", table="strikes")
    assert e.value.line == 1
    with pytest.raises(ExportError, match=r"table 'out': point is not a valid"):
        write_geojson(gdf, tmp_path / "out.geojson")


def test_metadata_that_json_cannot_hold_fails_the_export(tmp_path):
    """A NaN in the metadata would make the file invalid JSON (RFC 8259 has no NaN):
    the export fails and leaves no file."""
    with pytest.raises(ExportError):
        write_geojson(_points([0.0], [0.0]), tmp_path / "m.geojson", meta={"x": float("nan")})
    assert list(tmp_path.iterdir()) == []
    from bordermap.io._files import writing
    from bordermap.io.geojson import stream

    with pytest.raises(ExportError), writing() as files:
        s = stream(files, tmp_path / "s.geojson")
        try:
            s.append("a", _points([0.0], [0.0]))
            s.finish({"x": float("nan")})
        finally:
            s.close()
    assert list(tmp_path.iterdir()) == []


def test_edges_along_a_pole_are_not_antimeridian_crossings(tmp_path):
    """An edge from 170° W to 170° E along the pole itself is a point of the globe, not a
    crossing of ±180°: it is left alone.  An edge that only ends at the pole does cross
    (the straight lon/lat edge from 170° E, 89° N to 190° E, 90° N meets 180° at 89.5° N)."""
    lines = [
        [(-170, 90), (170, 90)],
        [(170, 89), (-170, 90)],
        [(0, 90), (170, 89), (-170, 90)],
    ]
    gdf = gpd.GeoDataFrame(geometry=[shapely.LineString(c) for c in lines], crs=4326)
    _, doc = _write(tmp_path, gdf)
    assert [f["geometry"] for f in doc["features"]] == [
        {"type": "LineString", "coordinates": [[-170, 90], [170, 90]]},
        {
            "type": "MultiLineString",
            "coordinates": [[[170, 89], [180, 89.5]], [[-180, 89.5], [-170, 90]]],
        },
        {
            "type": "MultiLineString",
            "coordinates": [[[0, 90], [170, 89], [180, 89.5]], [[-180, 89.5], [-170, 90]]],
        },
    ]


def test_edges_along_the_antimeridian_and_just_over_half_way_round(tmp_path):
    """An edge along ±180° itself is not a crossing, nor is an edge along a pole; an
    edge that only ends at ±180° or goes 180.5° round (the short way is 179.5° the
    other way) is.  Expected lines worked out on the unwrapped straight lon/lat edges."""
    lines = [
        [(180, 10), (-180, 20)],  # along the antimeridian: as given
        [(170, 0), (-180, 5)],  # ends at 180° W = 180° E: drawn to 180° E
        [(180, 0), (170, 1), (-180, 2)],
        [(170, 0), (-10.5, 2)],  # 170° E to 349.5° E, crossing 180° at 10/179.5 of it
        [(-170, 90), (170, 90), (-170, 89)],  # along the pole, then across 180° at 89.5° N
    ]
    gdf = gpd.GeoDataFrame(geometry=[shapely.LineString(c) for c in lines], crs=4326)
    _, doc = _write(tmp_path, gdf)
    g = [f["geometry"] for f in doc["features"]]
    assert g[0] == {"type": "LineString", "coordinates": [[180, 10], [-180, 20]]}
    assert g[1] == {"type": "LineString", "coordinates": [[170, 0], [180, 5]]}
    assert g[2] == {"type": "LineString", "coordinates": [[180, 0], [170, 1], [180, 2]]}
    at = round(2 * 10 / 179.5, 7)
    assert g[3] == {
        "type": "MultiLineString",
        "coordinates": [[[170, 0], [180, at]], [[-180, at], [-10.5, 2]]],
    }
    assert g[4] == {
        "type": "MultiLineString",
        "coordinates": [[[-170, 90], [170, 90], [180, 89.5]], [[-180, 89.5], [-170, 89]]],
    }


def test_ascii_text_with_quotes_and_a_multipoint_touching_180(tmp_path):
    """ASCII-only text that still needs escapes; a MultiPoint with a point on 180° E
    (kept as 180) beside points beyond it (wrapped)."""
    texts = ['say "hi"', "back\\slash", "tab\there", "plain"]
    gdf = _points(range(4), range(4), t=pd.Series(texts, dtype=object))
    _, doc = _write(tmp_path, gdf)
    assert [f["properties"]["t"] for f in doc["features"]] == texts
    mp = shapely.MultiPoint([(180, 0), (190, 1), (181, 2)])
    _, doc = _write(tmp_path, gpd.GeoDataFrame(geometry=[mp], crs=4326))
    assert doc["features"][0]["geometry"] == {
        "type": "MultiPoint",
        "coordinates": [[180, 0], [-170, 1], [-179, 2]],
    }


# --- polygons across ±180° and round a pole, with areas worked out by hand ------------
# All areas below are planar (degrees²) of lon/lat rectangles, so each is a product of
# two widths: the split must neither lose nor add a sliver, and the pieces must sit in
# the windows named.


def _pieces(geom):
    from bordermap.io._geometry import split_antimeridian

    out = split_antimeridian(geom)
    return list(shapely.get_parts(out)), out


@pytest.mark.parametrize(("lat", "pole"), [(80.0, 90.0), (-75.0, -90.0)])
def test_a_cap_round_either_pole_keeps_its_exact_area(lat, pole):
    ring = [(-150.0 + 60 * k, lat) for k in range(6)]  # once round the pole, eastwards
    parts, whole = _pieces(shapely.Polygon(ring))
    # the cap is the band between `lat` and the pole: 360° x |pole - lat|
    assert whole.area == pytest.approx(360.0 * abs(pole - lat), abs=1e-9)
    assert whole.bounds == pytest.approx((-180.0, min(lat, pole), 180.0, max(lat, pole)))
    assert all(p.is_valid for p in parts) and len(parts) == 2
    ys = shapely.get_coordinates(whole)[:, 1]
    assert ys.min() == pytest.approx(min(lat, pole)) and ys.max() == pytest.approx(max(lat, pole))


def test_a_hole_across_the_antimeridian_is_cut_with_its_polygon():
    outer = [(170, -10), (-170, -10), (-170, 10), (170, 10)]
    hole = [(178, -2), (178, 2), (-178, 2), (-178, -2)]
    parts, whole = _pieces(shapely.Polygon(outer, [hole]))
    # 20° x 20° less the 4° x 4° hole; each side keeps half of each
    assert whole.area == pytest.approx(400.0 - 16.0, abs=1e-9)
    east = [p for p in parts if p.bounds[0] >= 0]
    west = [p for p in parts if p.bounds[2] <= 0]
    assert len(east) == 1 and len(west) == 1
    assert east[0].area == pytest.approx(200.0 - 8.0) and west[0].area == pytest.approx(192.0)
    assert east[0].bounds == pytest.approx((170.0, -10.0, 180.0, 10.0))
    assert west[0].bounds == pytest.approx((-180.0, -10.0, -170.0, 10.0))
    # the hole became a notch in each half: the points inside it are outside both
    assert not shapely.contains_xy(whole, [179.0, -179.0], [0.0, 0.0]).any()
    assert shapely.contains_xy(whole, [179.0, -179.0], [5.0, -5.0]).all()


@pytest.mark.parametrize("hole_lon", [(-176.0, -174.0), (174.0, 176.0)])
def test_a_hole_on_one_side_stays_a_hole_of_that_side(hole_lon):
    a, b = hole_lon
    outer = [(170, -10), (-170, -10), (-170, 10), (170, 10)]
    hole = [(a, -2), (a, 2), (b, 2), (b, -2)]
    parts, whole = _pieces(shapely.Polygon(outer, [hole]))
    assert whole.area == pytest.approx(400.0 - 8.0, abs=1e-9)  # a 2° x 4° hole
    holed = [p for p in parts if len(p.interiors) == 1]
    assert len(parts) == 2 and len(holed) == 1
    (hx0, hy0, hx1, hy1) = shapely.Polygon(holed[0].interiors[0]).bounds
    assert (hx0, hy0, hx1, hy1) == pytest.approx((a, -2.0, b, 2.0))
    assert not shapely.contains_xy(whole, [(a + b) / 2], [0.0]).any()


def test_a_polygon_written_beyond_180_is_wrapped_with_its_hole(tmp_path):
    poly = shapely.Polygon([(175, 0), (185, 0), (185, 6), (175, 6)],
                           [[(181, 2), (183, 2), (183, 4), (181, 4)]])
    gdf = gpd.GeoDataFrame(geometry=[poly], crs=4326)
    _, doc = _write(tmp_path, gdf)
    g = shapely.geometry.shape(doc["features"][0]["geometry"])
    assert g.geom_type == "MultiPolygon" and g.area == pytest.approx(60.0 - 4.0)
    assert doc["bbox"] == [-180.0, 0.0, 180.0, 6.0]
    west = next(p for p in g.geoms if p.bounds[2] <= 0)
    assert len(west.interiors) == 1
    assert shapely.Polygon(west.interiors[0]).bounds == pytest.approx((-179.0, 2.0, -177.0, 4.0))


def test_a_polygon_just_beyond_180_is_wrapped_whole():
    # 179° to 180.5° (no edge crosses: |Δlon| = 1.5°): 1.5° x 1° = 1.5, half a degree of
    # it west of -179.5° after wrapping; nothing left beyond ±180°
    parts, whole = _pieces(shapely.Polygon([(179, 0), (180.5, 0), (180.5, 1), (179, 1)]))
    assert whole.area == pytest.approx(1.5, abs=1e-9)
    assert whole.bounds == pytest.approx((-180.0, 0.0, 180.0, 1.0))
    assert sorted(round(p.area, 9) for p in parts) == [0.5, 1.0]


def test_a_polygon_crossing_westwards_keeps_the_sliver_next_to_180():
    # from 170° W westwards across ±180° to 175° E: 15° x 1°, of which 5° east of 175° E
    parts, whole = _pieces(shapely.Polygon([(-170, 0), (175, 0), (175, 1), (-170, 1)]))
    assert whole.area == pytest.approx(15.0, abs=1e-9)
    east = next(p for p in parts if p.bounds[0] >= 0)
    assert east.bounds == pytest.approx((175.0, 0.0, 180.0, 1.0))
    assert east.area == pytest.approx(5.0, abs=1e-9)


def test_a_geometry_that_only_touches_180_is_returned_as_it_is():
    from bordermap.io._geometry import split_antimeridian

    for g in (shapely.Polygon([(170, 0), (180, 0), (180, 1), (170, 1)]),
              shapely.LineString([(-180, 0), (-170, 3)])):
        assert split_antimeridian(g) is g


def test_a_line_ending_on_180_after_crossing_is_one_line():
    from bordermap.io._geometry import split_antimeridian

    # 170° E to 180° W at 5° N: the short way reaches the antimeridian and stops there
    out = split_antimeridian(shapely.LineString([(170, 0), (-180, 5)]))
    assert out.geom_type == "LineString"
    assert shapely.get_coordinates(out).tolist() == [[170.0, 0.0], [180.0, 5.0]]


def test_a_polygon_wholly_beyond_180_is_one_polygon_wrapped():
    # 181° to 182° E is 179° to 178° W: one polygon, moved by a turn, not split
    out = _pieces(shapely.Polygon([(181, 0), (182, 0), (182, 1), (181, 1)]))[1]
    assert out.geom_type == "Polygon"
    assert out.bounds == pytest.approx((-179.0, 0.0, -178.0, 1.0)) and out.area == 1.0


def test_a_ring_starting_mid_edge_is_not_closed_along_a_pole():
    """A 20° x 10° rectangle across 180° written from the middle of its south edge: it
    closes on itself (no pole involved), so it is cut at 180° into exactly two
    rectangles of 100 square degrees, nothing drawn up towards the north pole."""
    ring = [(176, 10), (-170, 10), (-170, 20), (170, 20), (170, 10)]
    parts, _whole = _pieces(shapely.Polygon(ring))
    assert sorted(p.bounds for p in parts) == [(-180.0, 10.0, -170.0, 20.0),
                                               (170.0, 10.0, 180.0, 20.0)]  # fmt: skip
    assert [p.area for p in parts] == [100.0, 100.0]
    assert parts[0].equals(shapely.box(170, 10, 180, 20)) or parts[0].equals(
        shapely.box(-180, 10, -170, 20)
    )
    assert max(y for p in parts for _x, y in p.exterior.coords) == 20.0


@pytest.mark.parametrize(("lat", "cap"), [(0.5, (0.5, 90.0)), (-0.5, (-90.0, -0.5))])
def test_a_ring_round_the_globe_just_off_the_equator_takes_the_nearer_pole(lat, cap):
    """Once round the globe at 0.5° N the smaller cap (89.5°, against 90.5°) is the one
    closed along the north pole; at 0.5° S, the south one."""
    ring = [(-150.0 + 60 * k, lat) for k in range(6)]
    _parts, whole = _pieces(shapely.Polygon(ring))
    assert whole.bounds == pytest.approx((-180.0, cap[0], 180.0, cap[1]))
    assert whole.area == pytest.approx(360.0 * 89.5, abs=1e-9)


def test_a_polygon_touching_180_at_a_point_from_the_far_side():
    """Unwrapped, the polygon runs from 175° to 190° E; east of 180° it has a notch whose
    tip touches 180° at 5° N.  West of 180° that leaves a 5° x 2° rectangle and the tip,
    a single point: the point is no part of a polygon and is dropped."""
    ring = [(175, 0), (-170, 0), (-170, 10), (-178, 10), (180, 5), (-178, 3), (180, 2),
            (175, 2)]  # fmt: skip
    parts, whole = _pieces(shapely.Polygon(ring))
    assert whole.geom_type == "MultiPolygon" and len(parts) == 2
    west = next(p for p in parts if p.bounds[0] >= 0)
    assert west.bounds == (175.0, 0.0, 180.0, 2.0) and west.area == 10.0
    # east of 180°: 10° x 10° less the notch (triangles (182,10)-(180,5)-(182,3) and
    # (182,3)-(180,2)-... worked out by the shoelace formula below)
    east = next(p for p in parts if p.bounds[2] <= 0)
    xy = np.array([(-180, 0), (-170, 0), (-170, 10), (-178, 10), (-180, 5), (-178, 3),
                   (-180, 2)], dtype=float)  # fmt: skip
    shoelace = 0.5 * abs(np.dot(xy[:, 0], np.roll(xy[:, 1], -1))
                         - np.dot(xy[:, 1], np.roll(xy[:, 0], -1)))  # fmt: skip
    assert east.area == pytest.approx(shoelace, abs=1e-9)


def test_a_hole_half_a_world_from_its_shells_mean_stays_a_hole():
    """A band 340° wide (10° E eastwards to 10° W, 10° S to 10° N) with a 1° x 2° hole at
    17.25° W: the mean longitude of the shell's unwrapped vertices is 162.5°, 179.75°
    from the hole, so a hole placed by the means would land outside the band and come
    out as a polygon of its own.  Area: 340 x 20 - 1 x 2."""
    shell = [(10, -10), (100, -10), (-170, -10), (-10, -10), (-10, 10), (-170, 10),
             (100, 10), (10, 10)]  # fmt: skip
    hole = [(-17.75, -1), (-16.75, -1), (-16.75, 1), (-17.75, 1)]
    parts, whole = _pieces(shapely.Polygon(shell, [hole]))
    assert len(parts) == 2 and whole.area == pytest.approx(340 * 20 - 2, abs=1e-9)
    west = next(p for p in parts if p.bounds[2] <= 0)
    assert [shapely.Polygon(r).bounds for r in west.interiors] == [(-17.75, -1.0, -16.75, 1.0)]


def test_a_polygon_smaller_than_the_grid_vanishes_with_an_error(tmp_path):
    """4e-8° across (under half the 1e-7° grid of seven decimals, so every corner snaps
    to the same grid point): refused, not written as a ring of repeated points."""
    tiny = shapely.Polygon([(10.0, 10.0), (10.0 + 4e-8, 10.0), (10.0 + 4e-8, 10.0 + 4e-8),
                            (10.0, 10.0 + 4e-8)])  # fmt: skip
    gdf = gpd.GeoDataFrame(geometry=[tiny], crs=4326)
    with pytest.raises(ExportError, match="vanishes"):
        _write(tmp_path, gdf)


def test_coordinates_that_round_to_zero_are_written_without_a_sign(tmp_path):
    """-1e-9 and -4e-8 round to zero at seven decimals: written 0.0, never -0.0, in lines,
    polygons and multipoints as in points."""
    gdf = gpd.GeoDataFrame(
        geometry=[
            shapely.LineString([(-1e-9, -4e-8), (1, 1)]),
            shapely.Polygon([(-1e-9, -4e-8), (1, 0), (1, 1)]),
            shapely.MultiPoint([(-4e-8, -1e-9), (1, 1)]),
            shapely.Point(-1e-9, -4e-8),
        ],
        crs=4326,
    )
    raw, doc = _write(tmp_path, gdf)
    assert "-0.0" not in raw and "-0," not in raw and "-0]" not in raw
    assert doc["features"][0]["geometry"]["coordinates"][0] == [0.0, 0.0]
    assert doc["bbox"][:2] == [0.0, 0.0] and "[0.0,0.0]" in raw


@pytest.mark.parametrize("west", [False, True], ids=["eastwards", "westwards"])
def test_a_hole_beyond_180_from_where_its_shell_starts(west):
    """A 20° x 10° shell across 180°, written from 170° E eastwards (unwrapped 170° to
    190°) or from 170° W westwards (-170° to -190°), with a 2° x 2° hole on the far side
    of 180° from the shell's first vertex: the hole is moved a turn east, or west, to
    stay a hole.  Area 200 - 4."""
    if west:
        shell = [(-170, 0), (-170, 10), (170, 10), (170, 0)]
        hole, side = [(175, 4), (177, 4), (177, 6), (175, 6)], (175.0, 4.0, 177.0, 6.0)
    else:
        shell = [(170, 0), (-170, 0), (-170, 10), (170, 10)]
        hole, side = [(-177, 4), (-175, 4), (-175, 6), (-177, 6)], (-177.0, 4.0, -175.0, 6.0)
    parts, whole = _pieces(shapely.Polygon(shell, [hole]))
    assert len(parts) == 2 and whole.area == pytest.approx(196.0, abs=1e-9)
    holed = [p for p in parts if p.interiors]
    assert len(holed) == 1 and shapely.Polygon(holed[0].interiors[0]).bounds == side
