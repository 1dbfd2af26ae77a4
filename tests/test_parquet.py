"""GeoParquet in and out (issue 13 item 1): files checked against the specification and
re-read with geopandas and pyarrow; layers written by geopandas read back like CSV layers."""

from __future__ import annotations

import json
import shutil
import subprocess

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pyproj
import pytest
import shapely

from bordermap.errors import LayerError
from bordermap.incidents import incidents_to_geodataframe, iter_layer, load_layer
from bordermap.io import export_layers, get_format, layer_tables
from test_cli import assert_error, cli
from test_streaming import _rows, _write

#: Geometry types the GeoParquet 1.1 specification allows in ``geometry_types``.
SPEC_TYPES = {
    t + z
    for t in ("Point", "LineString", "Polygon", "MultiPoint", "MultiLineString",
              "MultiPolygon", "GeometryCollection")
    for z in ("", " Z", " M", " ZM")
}


@pytest.fixture(scope="module")
def layer_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("pq") / "synthetic.csv"
    _write(path, _rows(1200))
    return path


def _geo(path) -> dict:
    return json.loads(pq.read_metadata(path).metadata[b"geo"])


def check_geoparquet(path) -> gpd.GeoDataFrame:
    """The file's ``geo`` metadata against the specification; returns it read by geopandas."""
    geo = _geo(path)
    assert geo["version"] == "1.1.0"
    col = geo["primary_column"]
    info = geo["columns"][col]
    assert info["encoding"] == "WKB"
    assert set(info["geometry_types"]) <= SPEC_TYPES
    assert pyproj.CRS.from_json_dict(info["crs"]).equals("OGC:CRS84")
    schema = pq.read_schema(path)
    assert schema.field(col).type == pa.binary()
    gdf = gpd.read_parquet(path)
    assert gdf.crs.equals("OGC:CRS84") and gdf.geometry.name == col
    types = sorted(set(gdf.geometry.geom_type.dropna()))
    assert info["geometry_types"] == types
    if gdf.geometry.notna().any() and not gdf.geometry.is_empty.all():
        assert info["bbox"] == list(gdf.total_bounds)
    else:  # no geometry at all (the claims table): no bbox to give
        assert "bbox" not in info and info["geometry_types"] == []
    # the covering column holds each row's bounds, as the metadata points to it
    cover = info["covering"]["bbox"]
    assert cover == {k: ["bbox", k] for k in ("xmin", "ymin", "xmax", "ymax")}
    boxes = pq.read_table(path, columns=["bbox"]).column("bbox").to_pylist()
    want = shapely.bounds(gdf.geometry.to_numpy())
    nan = dict.fromkeys(("xmin", "ymin", "xmax", "ymax"), np.nan)  # a null box: no geometry
    got = np.array([[(r or nan)[k] for k in ("xmin", "ymin", "xmax", "ymax")] for r in boxes])
    assert [r is None for r in boxes] == np.isnan(want[:, 0]).tolist()
    np.testing.assert_array_equal(got, want)
    return gdf


def _expected(layer, **kw):
    tables, _ = layer_tables([layer], **kw)
    return tables


def _same(got: gpd.GeoDataFrame, want: gpd.GeoDataFrame) -> None:
    assert list(got.columns) == list(want.columns)
    assert got.geometry.to_wkb().tolist() == want.geometry.to_wkb().tolist()
    for name in want.columns.drop(want.geometry.name):
        a, b = got[name], want[name]
        if pd.api.types.is_datetime64_any_dtype(b):
            assert (a.dt.tz_convert("UTC") == b.dt.tz_convert("UTC")).where(b.notna(), True).all()
        elif pd.api.types.is_float_dtype(b) or pd.api.types.is_integer_dtype(b):
            np.testing.assert_array_equal(a.to_numpy("float64", na_value=np.nan),
                                          b.to_numpy("float64", na_value=np.nan), err_msg=name)
        else:
            assert a.astype(object).where(a.notna(), None).tolist() == \
                b.astype(object).where(b.notna(), None).tolist(), name


def test_format_is_registered():
    fmt = get_format("GeoParquet")
    assert (fmt.extensions, fmt.can_write, fmt.can_read, fmt.multi_table) == (
        (".parquet", ".geoparquet"), True, True, False)


def test_export_whole_and_streamed_equal_the_tables(layer_csv, tmp_path, monkeypatch):
    import bordermap.io.parquet as bp

    monkeypatch.setattr(bp, "ROW_GROUP_ROWS", 500)
    layer = load_layer(layer_csv)
    want = _expected(layer, frontier="iran-pakistan", bands_km=[10, 25], rings_km=[5])
    kw = {"frontier": "iran-pakistan", "bands_km": [10, 25], "rings_km": [5]}
    s1 = export_layers([layer], tmp_path / "whole", format="geoparquet", **kw)
    s2 = export_layers([iter_layer(layer_csv, rows=250)], tmp_path / "streamed",
                       format="geoparquet", **kw)
    assert s1.tables == s2.tables
    assert dict(s1.tables) == {k: len(v) for k, v in want.items()}
    for name, table in want.items():
        for folder, groups in (("whole", -(-len(table) // 500)), ("streamed", None)):
            path = tmp_path / folder / f"{name}.parquet"
            gdf = check_geoparquet(path)
            _same(gdf.drop(columns=[], errors="ignore"), table.to_crs("OGC:CRS84"))
            if groups is not None:
                assert pq.read_metadata(path).num_row_groups == groups
    incidents = tmp_path / "streamed" / "synthetic.parquet"
    assert pq.read_metadata(incidents).num_row_groups == 5  # chunks of 250 rows
    t = pq.read_table(incidents)
    assert t.schema.field("date_start").type == pa.timestamp("ms", tz="UTC")
    assert t.schema.field("n_claims").type == pa.int64()
    assert json.loads(pq.read_metadata(incidents).metadata[b"bordermap"])["layers"] == [
        "synthetic"]


def test_one_file_holds_the_incidents_and_refuses_two_tables(layer_csv, tmp_path):
    out = tmp_path / "one.geoparquet"
    s = export_layers([layer_csv], out, frontier="iran-pakistan")
    assert s.tables == (("synthetic", 1200),) and s.files == (str(out),)
    gdf = check_geoparquet(out)
    assert gdf["id"].tolist() == [f"s{i:05d}" for i in range(1200)]
    from bordermap.errors import ExportError

    with pytest.raises(ExportError, match=r"one GeoParquet file|one file"):
        export_layers([layer_csv], tmp_path / "two.parquet", tables="synthetic,claims")


def test_failed_export_leaves_the_old_file(tmp_path):
    rows = _rows(600)
    rows[580][8] = "north"  # a bad latitude in the last chunk
    bad = tmp_path / "bad.csv"
    _write(bad, rows)
    out = tmp_path / "o.parquet"
    out.write_bytes(b"previous")
    with pytest.raises(LayerError, match="lat"):
        export_layers([iter_layer(bad, rows=200)], out, frontier="iran-pakistan")
    assert out.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "o.parquet"]


# --------------------------------------------------------------------------- reading


def _as_geoparquet(csv_path, out, crs="EPSG:4326"):
    """The CSV layer written by geopandas (an independent writer) with points as geometry."""
    df = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    gdf = gpd.GeoDataFrame(
        df.drop(columns=["lon", "lat"]),
        geometry=gpd.points_from_xy(df["lon"].astype(float), df["lat"].astype(float)),
        crs="EPSG:4326",
    ).to_crs(crs)
    gdf.to_parquet(out, row_group_size=300)
    return gdf


def _frame(layer):
    return incidents_to_geodataframe(layer.incidents, layer=layer.name).drop(columns="layer")


def test_geoparquet_layer_equals_the_csv_layer(layer_csv, tmp_path):
    path = tmp_path / "synthetic.parquet"
    _as_geoparquet(layer_csv, path)
    got, want = load_layer(path), load_layer(layer_csv)
    assert got.name == "synthetic" and len(got.incidents) == 1200
    pd.testing.assert_frame_equal(_frame(got), _frame(want))
    assert [i.line for i in got.incidents[:3]] == [1, 2, 3]  # rows, not lines
    chunks = list(iter_layer(path, rows=500))
    assert [len(c) for c in chunks] == [500, 500, 200]
    assert tuple(i for c in chunks for i in c) == got.incidents


def test_reprojected_file_is_read_in_wgs84(layer_csv, tmp_path):
    path = tmp_path / "merc.parquet"
    merc = _as_geoparquet(layer_csv, path, crs="EPSG:3857")
    got = load_layer(path)
    back = merc.to_crs("EPSG:4326")
    lon = np.array([i.impacts[0].lon for i in got.incidents])
    lat = np.array([i.impacts[0].lat for i in got.incidents])
    np.testing.assert_allclose(lon, back.geometry.x, rtol=0, atol=1e-9)
    np.testing.assert_allclose(lat, back.geometry.y, rtol=0, atol=1e-9)


def test_problems_carry_row_numbers_like_csv_lines(tmp_path):
    rows = _rows(900)
    rows[850][0] = rows[10][0]
    rows[30][3] = "air strik"
    rows[620][9] = "-5"  # a negative precision
    csv_path = tmp_path / "bad.csv"
    _write(csv_path, rows)
    path = tmp_path / "bad.parquet"
    _as_geoparquet(csv_path, path)
    with pytest.raises(LayerError) as from_csv:
        load_layer(csv_path)
    with pytest.raises(LayerError) as whole:
        load_layer(path)
    with pytest.raises(LayerError) as chunked:
        for _ in iter_layer(path, rows=200):
            pass
    shown = [str(p) for p in whole.value.problems]
    assert shown == [str(p) for p in chunked.value.problems]

    def as_rows(p):  # the CSV's line N is the Parquet's row N - 1
        text = str(p).replace("bad.csv", "bad.parquet")
        return text.replace(f":{p.line}:", f":{p.line - 1}:", 1) if p.line else text

    want = [as_rows(p) for p in from_csv.value.problems]
    want = [w.replace(":12, again", ":11, again").replace(":852", ":851") for w in want]
    assert shown == want
    assert any("duplicate id 's00010'" in s for s in shown)


def test_folder_of_parts_is_one_layer_and_refuses_mixed_crs(layer_csv, tmp_path):
    whole = _as_geoparquet(layer_csv, tmp_path / "w.parquet")
    parts = tmp_path / "parts"
    parts.mkdir()
    for k, start in enumerate(range(0, 1200, 450)):
        whole.iloc[start : start + 450].to_parquet(parts / f"part.{k}.parquet")
    got = load_layer(parts)
    assert got.name == "parts"
    pd.testing.assert_frame_equal(_frame(got), _frame(load_layer(layer_csv)))
    whole.iloc[:10].to_crs("EPSG:32641").to_parquet(parts / "part.9.parquet")
    with pytest.raises(LayerError) as e:
        load_layer(parts)
    msg = str(e.value)
    assert "part.9.parquet" in msg and "EPSG:32641" in msg and "part.0.parquet" in msg
    assert "one CRS" in msg


def _bad(tmp_path, name, table: pa.Table, geo: dict | None = None):
    meta = {b"geo": json.dumps(geo).encode()} if geo is not None else None
    path = tmp_path / name
    pq.write_table(table.replace_schema_metadata(meta), path)
    return path


GEO = {"version": "1.1.0", "primary_column": "geometry",
       "columns": {"geometry": {"encoding": "WKB", "geometry_types": ["Point"]}}}


def _props(n=1):
    return {"id": ["a"] * n, "title": ["T"] * n, "date": ["2024-01-16"] * n,
            "kind": ["shelling"] * n, "actor": ["PAK"] * n, "source_publisher": ["W"] * n,
            "source_title": ["R"] * n, "source_date": ["2024-01-17"] * n,
            "source_url": ["https://example.org/x"] * n}


@pytest.mark.parametrize(
    ("name", "columns", "geo", "words"),
    [
        ("lonlat.parquet", {"lon": [63.3], "lat": [26.9]}, None,
         ["without GeoParquet 'geo' metadata", "points_from_xy", "'lon' and 'lat'"]),
        ("wkb.parquet", {"geometry": [shapely.to_wkb(shapely.Point(63.3, 26.9))]}, None,
         ["without GeoParquet 'geo' metadata", "'geometry' looks like WKB", "from_wkb"]),
        ("nokeys.parquet", {"geometry": [shapely.to_wkb(shapely.Point(63.3, 26.9))]},
         {"version": "1.1.0", "columns": {}}, ["lacks the required key 'primary_column'"]),
        ("multi.parquet", {"geometry": [shapely.to_wkb(shapely.MultiPoint([(63, 26), (64, 27)]))]},
         GEO, ["line 1, field 'geometry'", "MultiPoint", "one row per impact point"]),
        ("badwkb.parquet", {"geometry": [b"\x01\x02junk"]}, GEO,
         ["line 1, field 'geometry'", "not valid WKB"]),
        ("list.parquet", {"geometry": [shapely.to_wkb(shapely.Point(63.3, 26.9))],
                          "tags": [["a", "b"]]}, GEO, ["tags", "list<", "cannot hold"]),
        ("crsnull.parquet", {"geometry": [shapely.to_wkb(shapely.Point(63.3, 26.9))]},
         {**GEO, "columns": {"geometry": {"encoding": "WKB", "geometry_types": [], "crs": None}}},
         ["CRS is unknown", "set_crs"]),
        ("lonlatgeom.parquet", {"geometry": [shapely.to_wkb(shapely.Point(63.3, 26.9))],
                                "lon": ["63.3"]}, GEO, ["'lon'", "the impact is the geometry"]),
    ],
)
def test_bad_files_give_one_clear_error(tmp_path, name, columns, geo, words):
    table = pa.table({**_props(), **columns})
    path = _bad(tmp_path, name, table, geo)
    with pytest.raises(LayerError) as e:
        load_layer(path)
    msg = str(e.value)
    assert msg.startswith(str(path)), msg
    for w in words:
        assert w in msg, (w, msg)


def test_not_parquet_and_truncated(tmp_path):
    text = tmp_path / "t.parquet"
    text.write_text("id,title\n")
    with pytest.raises(LayerError, match="not a Parquet file"):
        load_layer(text)
    good = tmp_path / "g.parquet"
    pq.write_table(pa.table({"a": [1, 2]}), good)
    cut = tmp_path / "cut.parquet"
    cut.write_bytes(good.read_bytes()[:-10])
    with pytest.raises(LayerError, match=r"cannot read Parquet.*damaged or truncated"):
        load_layer(cut)
    with pytest.raises(LayerError, match="no such layer file"):
        load_layer(tmp_path / "missing.parquet")


# --------------------------------------------------------------------------- command line


def test_cli_round_trip_pipe_and_errors(layer_csv, tmp_path):
    src = tmp_path / "in.parquet"
    _as_geoparquet(layer_csv, src)
    out = tmp_path / "out.parquet"
    r = cli("export", str(src), "-o", str(out), "-f", "iran-pakistan", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["tables"] == [{"name": "in", "features": 1200}]
    gdf = check_geoparquet(out)
    assert gdf["id"].tolist()[:2] == ["s00000", "s00001"]
    r = cli("-q", "export", "-", "-o", str(tmp_path / "p.gpkg"), "-f", "iran-pakistan",
            input=src.read_bytes())
    assert r.returncode == 0, r.stderr
    import pyogrio

    assert pyogrio.read_dataframe(tmp_path / "p.gpkg", layer="stdin")["id"].tolist() == \
        gdf["id"].tolist()
    r = cli("check", str(src))
    assert r.returncode == 0, r.stderr
    nogeo = tmp_path / "nogeo.parquet"
    pq.write_table(pa.table({"lon": [1.0], "lat": [2.0]}), nogeo)
    out.write_bytes(b"keep")
    line = assert_error(cli("export", str(nogeo), "-o", str(out)), "nogeo.parquet",
                        "'geo' metadata")
    assert len(line) < 400 and out.read_bytes() == b"keep"
    assert_error(cli("export", str(src), "-o", str(tmp_path / "x.parquet"), "-f", "nowhere"),
                 "nowhere")


@pytest.mark.skipif(
    shutil.which("ogrinfo") is None
    or "Parquet" not in subprocess.run(["ogrinfo", "--formats"], capture_output=True,
                                       text=True).stdout,
    reason="GDAL has no Parquet driver here",
)
def test_gdal_reads_the_export(layer_csv, tmp_path):  # pragma: no cover - needs GDAL >= 3.5
    out = tmp_path / "o.parquet"
    export_layers([layer_csv], out, frontier="iran-pakistan")
    r = subprocess.run(["ogrinfo", "-so", "-al", str(out)], capture_output=True, text=True)
    assert r.returncode == 0 and "Feature Count: 1200" in r.stdout
