"""Streaming export of CSV layers (issue 9 row 10): chunked reading, same output, bounded."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import pytest

from bordermap.errors import ExportError, LayerError
from bordermap.incidents import iter_layer, load_layer
from bordermap.io import export_layers, set_progress

HEAD = [
    "id",
    "title",
    "date",
    "kind",
    "actor",
    "target_side",
    "operation",
    "lon",
    "lat",
    "precision_m",
    "country",
    "origin_lon",
    "origin_lat",
    "origin_precision_m",
    "claimant",
    "killed",
    "injured_civilians",
    "notes",
    "source_publisher",
    "source_title",
    "source_date",
    "source_url",
]


def _rows(n: int, seed: int = 3) -> list[list[str]]:
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        lon, lat = rng.uniform(61.5, 65.5), rng.uniform(25.8, 29.2)
        out.append(
            [
                f"s{i:05d}",
                f"Event {i}" + (" =cmd" if i % 97 == 0 else ""),
                f"2024-0{1 + i % 9}-{1 + i % 28:02d}" if i % 5 else f"2024-0{1 + i % 9}",
                ["air strike", "shelling", "drone strike"][i % 3],
                ["IRN", "PAK"][i % 2],
                ["PAK", "IRN", ""][i % 3],
                "Op Test" if i % 4 == 0 else "",
                f"{lon:.5f}",
                f"{lat:.5f}",
                ["1000", "500", "25000"][i % 3],
                "",
                f"{lon - 1:.4f}" if i % 6 == 0 else "",
                f"{lat:.4f}" if i % 6 == 0 else "",
                "5000" if i % 6 == 0 else "",
                ["IRN", "PAK"][i % 2] if i % 3 else "",
                str(i % 7) if i % 3 else "",
                str(i % 2) if i % 3 == 1 else "",
                "a note, with a comma" if i % 10 == 0 else "",
                "Test Wire",
                f"Report {i % 13}",
                "2024-12-01",
                f"https://example.org/r/{i % 13}",
            ]
        )
    return out


def _write(path, rows) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEAD)
        w.writerows(rows)


@pytest.fixture(scope="module")
def layer_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("layer") / "synthetic.csv"
    _write(path, _rows(1200))
    return path


def test_iter_layer_chunks_equal_load_layer(layer_csv):
    whole = load_layer(layer_csv)
    stream = iter_layer(layer_csv, rows=500)
    assert (stream.name, stream.title, stream.sources) == (whole.name, whole.title, ())
    chunks = list(stream)
    assert [len(c) for c in chunks] == [500, 500, 200]
    assert tuple(i for c in chunks for i in c) == whole.incidents
    assert stream.rows_read == 1200 and stream.bytes_read == layer_csv.stat().st_size
    with pytest.raises(RuntimeError):
        list(stream)


def test_iter_layer_reports_every_problem_like_load_layer(tmp_path):
    rows = _rows(900)
    rows[850][0] = rows[10][0]  # an id used twice, in different chunks
    rows[620][8] = "95.5"  # lat out of range, in a later chunk
    rows[30][3] = "air strik"  # a typo in the first chunk
    path = tmp_path / "bad.csv"
    _write(path, rows)
    with pytest.raises(LayerError) as whole:
        load_layer(path)
    with pytest.raises(LayerError) as chunked:
        for _ in iter_layer(path, rows=200):
            pass
    shown = [str(p) for p in chunked.value.problems]
    assert shown == [str(p) for p in whole.value.problems]
    assert any("duplicate id 's00010': first at" in s and ":12, again at" in s for s in shown)
    assert any("incidents[620](s00620).impact[0].lat" in s for s in shown)


def _created(text: str) -> str:
    text = re.sub(r'"created":"[^"]+"', '"created":"C"', text)
    return re.sub(r"&quot;created&quot;: &quot;[^&]+&quot;", "C", text)


def _both(layer_csv, tmp_path, fmt, name, **kw):
    """The export of the layer read whole, and streamed in chunks of 250 incidents."""
    whole = tmp_path / "whole" / name
    streamed = tmp_path / "streamed" / name
    whole.parent.mkdir(exist_ok=True)
    streamed.parent.mkdir(exist_ok=True)
    s1 = export_layers([load_layer(layer_csv)], whole, format=fmt, **kw)
    s2 = export_layers([iter_layer(layer_csv, rows=250)], streamed, format=fmt, **kw)
    assert s1.tables == s2.tables
    assert [p.replace("whole", "streamed") for p in s1.files] == list(s2.files)
    return whole, streamed, s1


@pytest.mark.parametrize("kw", [{"frontier": "iran-pakistan", "rings_km": [5]}, {}])
def test_streamed_geojson_equals_whole(layer_csv, tmp_path, kw):
    _whole, _streamed, s = _both(layer_csv, tmp_path, "geojson", "out", **kw)
    assert ("synthetic", 1200) in s.tables and ("claims", 1200) in s.tables
    for f in s.files:
        a = json.loads(_created(Path(f).read_text()))
        b = json.loads(_created(Path(f.replace("whole", "streamed")).read_text()))
        assert a == b and a["features"]
    one_a, one_b, _ = _both(layer_csv, tmp_path, "geojson", "one.geojson", frontier="iran-pakistan")
    assert json.loads(_created(one_a.read_text())) == json.loads(_created(one_b.read_text()))


def test_streamed_csv_is_byte_identical(layer_csv, tmp_path):
    whole, _streamed, s = _both(layer_csv, tmp_path, "csv", "out", frontier="iran-pakistan")
    for f in s.files:
        for ext in (".csv", ".csvt"):
            a = Path(f[:-4] + ext).read_bytes()
            assert a == Path(f.replace("whole", "streamed")[:-4] + ext).read_bytes()
    text = (whole / "synthetic.csv").read_text()
    assert len(text.splitlines()) == 1201 and ",Event 0 =cmd," in text


def test_streamed_kml_is_identical(layer_csv, tmp_path):
    whole, streamed, _s = _both(layer_csv, tmp_path, "kml", "o.kml", frontier="iran-pakistan")
    assert _created(whole.read_text()) == _created(streamed.read_text())
    back = pyogrio.read_dataframe(streamed, layer="synthetic")
    assert len(back) == 1200
    text = streamed.read_text()
    folder = text[text.index("<Folder><name>synthetic</name>") :]
    folder = folder[: folder.index("</Folder>")]
    per_row = len(folder.encode()) / 1200
    assert 1000 < per_row < KML_BYTES_PER_ROW, per_row


#: The KML budget per incident row of a CSV layer (bytes), every column in ExtendedData.
KML_BYTES_PER_ROW = 3000


def test_streamed_gpkg_reads_back_equal(layer_csv, tmp_path):
    whole, streamed, _s = _both(layer_csv, tmp_path, "gpkg", "o.gpkg", rings_km=[5, 10])
    layers_a = pyogrio.list_layers(whole)[:, 0].tolist()
    assert layers_a == pyogrio.list_layers(streamed)[:, 0].tolist()
    for name in layers_a:
        a = pyogrio.read_dataframe(whole, layer=name)
        b = pyogrio.read_dataframe(streamed, layer=name)
        assert a.geometry.to_wkb().tolist() == b.geometry.to_wkb().tolist()
        pd.testing.assert_frame_equal(a.drop(columns="geometry"), b.drop(columns="geometry"))


def test_csv_path_takes_the_streaming_path_and_fails_atomically(tmp_path, monkeypatch):
    import bordermap.io._stream as st

    rows = _rows(300)
    rows[280][8] = "not a number"
    bad = tmp_path / "bad.csv"
    _write(bad, rows)
    out = tmp_path / "o.gpkg"
    out.write_bytes(b"previous")
    calls = []
    real = st.stream_export
    monkeypatch.setattr(st, "stream_export", lambda *a, **k: calls.append(1) or real(*a, **k))
    with pytest.raises(LayerError, match="lat"):
        export_layers([bad], out, frontier="iran-pakistan")
    assert calls and out.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "o.gpkg"]


def test_tables_asked_for_and_claims_missing(layer_csv, tmp_path):
    s = export_layers([layer_csv], tmp_path / "c", format="csv", tables="claims")
    assert s.tables == (("claims", 1200),)
    rows = _rows(10)
    for r in rows:
        r[14] = r[15] = r[16] = ""
    quiet = tmp_path / "quiet.csv"
    _write(quiet, rows)
    with pytest.raises(ExportError, match="no table named 'claims'"):
        export_layers([quiet], tmp_path / "d", format="csv", tables="claims")
    assert not (tmp_path / "d" / "claims.csv").exists()


def test_progress_is_silent_without_a_terminal(layer_csv, tmp_path, capsys):
    set_progress(True)
    export_layers([layer_csv], tmp_path / "p.geojson", frontier="iran-pakistan")
    assert capsys.readouterr().err == ""


def test_progress_bar_on_a_terminal(layer_csv, tmp_path, monkeypatch):
    import io
    import sys

    class Tty(io.StringIO):
        def isatty(self):
            return True

    err = Tty()
    monkeypatch.setattr(sys, "stderr", err)
    export_layers([layer_csv], tmp_path / "p.geojson", frontier="iran-pakistan")
    assert "rows" in err.getvalue()
    err2 = Tty()
    monkeypatch.setattr(sys, "stderr", err2)
    set_progress(False)
    try:
        export_layers([layer_csv], tmp_path / "q.geojson", frontier="iran-pakistan")
    finally:
        set_progress(True)
    assert err2.getvalue() == ""


def test_a_chunk_is_freed_before_the_next_is_read(layer_csv):
    import weakref

    stream = iter_layer(layer_csv, rows=300)
    chunks = iter(stream)
    first = next(chunks)
    ref = weakref.ref(first[0])
    del first
    next(chunks)
    assert ref() is None  # nothing of an earlier chunk is kept: memory is that of one chunk


def test_interrupt_mid_export_keeps_the_old_file(layer_csv, tmp_path, monkeypatch):
    import bordermap.io.geojson as gj

    out = tmp_path / "o.geojson"
    out.write_text("old")
    real = gj._Stream.append
    seen = []

    def append(self, name, gdf):
        seen.append(len(gdf))
        if len(seen) == 3:
            raise KeyboardInterrupt
        real(self, name, gdf)

    monkeypatch.setattr(gj._Stream, "append", append)
    with pytest.raises(KeyboardInterrupt):
        export_layers([iter_layer(layer_csv, rows=400)], out, frontier="iran-pakistan")
    assert seen == [400, 400, 400]
    assert out.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["o.geojson"]


CLI = "import sys; from bordermap.cli import main; sys.exit(main(sys.argv[1:]))"


def test_cli_exports_a_csv_layer(layer_csv, tmp_path):
    import subprocess
    import sys

    out = tmp_path / "cli.gpkg"
    done = subprocess.run(
        [sys.executable, "-c", CLI, "export", str(layer_csv), "-o", str(out), "--bands-km", ""],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert len(pyogrio.read_dataframe(out, layer="synthetic")) == 1200


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "kml", "csv", "geoparquet"])
def test_empty_csv_layer_with_a_yaml_layer(tmp_path, fmt):
    from bordermap._data import geodata_dir

    empty = tmp_path / "empty.csv"
    _write(empty, [])
    yaml = geodata_dir().parent / "layers" / "iran-pakistan-2024.yaml"
    out = tmp_path / ("o" + {"gpkg": ".gpkg", "kml": ".kml"}.get(fmt, ""))
    s = export_layers([empty, yaml], out, format=fmt, frontier="iran-pakistan", bands_km=None)
    counts = dict(s.tables)
    assert counts["empty"] == 0
    assert counts["iran-pakistan-2024"] == len(load_layer(yaml).to_geodataframe())
    if fmt == "gpkg":
        assert len(pyogrio.read_dataframe(out, layer="empty")) == 0
    if fmt == "geoparquet":
        import geopandas as gpd

        assert len(gpd.read_parquet(out / "empty.parquet")) == 0
        assert len(gpd.read_parquet(out / "iran-pakistan-2024.parquet")) == counts[
            "iran-pakistan-2024"]


def test_streamed_geojson_errors_number_rows_across_chunks(tmp_path):
    import geopandas as gpd
    import shapely

    from bordermap.io import get_format
    from bordermap.io._files import writing

    def chunk(xs):
        return gpd.GeoDataFrame({"n": list(range(len(xs)))}, geometry=xs, crs="EPSG:4326")

    good = chunk(gpd.points_from_xy([64.0] * 5, [27.0] * 5))
    bad = chunk([shapely.Point(64, 27), shapely.Point(64, 95), shapely.Point(64, 27)])
    out = tmp_path / "o.geojson"
    with pytest.raises(ExportError) as err, writing() as files:
        sink = get_format("geojson").stream(files, out)
        try:
            sink.append("t", good)
            sink.append("t", bad)
            sink.finish({})
        finally:
            sink.close()
    assert err.value.line == 6 or "row 6" in str(err.value), str(err.value)
    assert not out.exists() and list(tmp_path.iterdir()) == []
