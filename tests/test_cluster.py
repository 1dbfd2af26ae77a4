"""The dask-geopandas path and ``--scheduler``: identical, row by row, to one process.

A LocalCluster of two worker processes runs the same public functions over a
partitioned table; the single-process results are the oracle (themselves checked
against geographiclib and independent polygons elsewhere).  Worker processes
listen on the loopback interface only, which the no-network guard allows.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

dask_geopandas = pytest.importorskip("dask_geopandas")
distributed = pytest.importorskip("distributed")

import geopandas as gpd  # noqa: E402

from bordermap import analysis as ba  # noqa: E402
from bordermap import cluster  # noqa: E402
from bordermap.errors import BordermapError  # noqa: E402
from bordermap.incidents import load_layer  # noqa: E402

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"
LAYER = REPO / "layers" / "iran-pakistan-2024.yaml"
_beside = Path(sys.executable).with_name("bordermap")
BORDERMAP = str(_beside) if _beside.exists() else shutil.which("bordermap") or "bordermap"


@pytest.fixture(scope="module")
def client():
    """Two single-threaded worker processes on this machine."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as lc, \
            distributed.Client(lc, set_as_default=False) as c:
        yield c


def _table(n: int = 3000, seed: int = 5) -> gpd.GeoDataFrame:
    """Points round Iran–Pakistan, with text, precisions and an unsorted index."""
    rng = np.random.default_rng(seed)
    lon = rng.uniform(59.0, 67.0, n)
    lat = rng.uniform(24.0, 31.0, n)
    f = ba.frontier_index("iran-pakistan").index
    k = rng.integers(0, f._arrays[0].shape[0], n // 5)  # a fifth near the line
    lon[: n // 5] = f._arrays[0][k] + rng.normal(0, 0.005, n // 5)
    lat[: n // 5] = f._arrays[1][k] + rng.normal(0, 0.005, n // 5)
    return gpd.GeoDataFrame(
        {"id": rng.permutation(n) * 7, "note": [f"row {i} <b>&" for i in range(n)],
         "precision_m": rng.choice([0.0, 500.0, 25_000.0], n)},
        geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326",
        index=rng.permutation(n) + 100,
    )


def _partitioned(gdf, n=4):
    return cluster.to_dask(gdf, n)


def test_analyse_on_two_workers_is_identical_row_by_row(client):
    gdf = _table()
    ref = ba.analyse(gdf, frontier="iran-pakistan")
    lazy = ba.analyse(_partitioned(gdf), frontier="iran-pakistan")
    assert isinstance(lazy, dask_geopandas.GeoDataFrame)  # lazy, nothing computed yet
    assert dict(lazy.dtypes) == dict(ref.dtypes)  # meta is what a partition returns
    out = client.compute(lazy).result()
    assert len(out) == len(ref) == 3000
    assert list(out.index) == list(ref.index)
    pd.testing.assert_frame_equal(pd.DataFrame(out.drop(columns="geometry")),
                                  pd.DataFrame(ref.drop(columns="geometry")), check_exact=True)
    assert out.geometry.geom_equals_exact(ref.geometry, tolerance=0).all()
    assert set(out["side"]) == {"", "IRN", "PAK"}  # both sides and the line were covered
    assert (out["min_distance_km"] < out["distance_km"]).any()  # precisions were used


def test_distance_side_and_bands_on_two_workers(client):
    gdf = _table(2000, seed=9)
    ddf = _partitioned(gdf, 3)
    ref = ba.distance_to_frontier(gdf, frontier="iran-pakistan", precision_m=gdf["precision_m"])
    lazy = ba.distance_to_frontier(ddf, frontier="iran-pakistan", precision_m="precision_m")
    got = client.compute(lazy).result()
    for name in ref._fields:
        want = np.asarray(getattr(ref, name))
        have = got[name].to_numpy()
        if want.dtype.kind == "f":
            assert np.array_equal(want.view(np.int64), have.astype(float).view(np.int64)), name
        else:
            assert (want == have).all(), name
    side = client.compute(ba.side_of(ddf, frontier="iran-pakistan")).result()
    assert (side.to_numpy() == ba.side_of(gdf, frontier="iran-pakistan")).all()
    assert list(side.index) == list(gdf.index)
    bands = ba.band_counts(ddf, frontier="iran-pakistan", bands_km=(1, 10, 100))
    table = client.compute(bands).result()
    pd.testing.assert_frame_equal(
        table, ba.band_counts(gdf, frontier="iran-pakistan", bands_km=(1, 10, 100)))
    assert table["total"].sum() == np.count_nonzero(ref.distance_km <= 100)


def test_frontier_scan_on_two_workers_is_identical_row_by_row(client):
    from bordermap.scan import frontier_scan

    gdf = _table(2500, seed=13)
    ref = frontier_scan(gdf, frontier="iran-pakistan", bands_km=(5, 50))
    lazy = frontier_scan(_partitioned(gdf, 3), frontier="iran-pakistan", bands_km=(5, 50))
    parts = client.gather(client.compute(lazy.to_delayed()))  # partition by partition
    got = pd.concat(parts)
    assert list(got.index) == list(gdf.index)
    assert got["distance_km"].to_numpy().tobytes() == ref.distance_km.tobytes()
    assert np.array_equal(got["side_code"].to_numpy(), ref.side_code)
    assert np.array_equal(got["band"].to_numpy(), ref.band)
    assert set(ref.side_code) == {0, 1, 2} and set(ref.band) == {0, 1, 2}
    assert dict(lazy.dtypes) == dict(got.dtypes)  # meta is what a partition returns


def test_arrays_are_refused_with_partitions():
    ddf = _partitioned(_table(50))
    with pytest.raises(BordermapError, match="precision_m cannot be an array"):
        ba.distance_to_frontier(ddf, frontier="iran-pakistan", precision_m=np.zeros(50))
    with pytest.raises(BordermapError, match="not a table of points"):
        ba.side_of(ddf["id"], frontier="iran-pakistan")


def test_scheduler_routes_analyse_of_an_ordinary_table(monkeypatch, client):
    """While a scheduler is open, analyse() runs on it and returns the same GeoDataFrame."""
    layer = load_layer(LAYER).to_geodataframe()
    ref = ba.analyse(layer, frontier="iran-pakistan")
    monkeypatch.setattr(cluster, "_client", client)
    submitted = []
    real = client.compute
    monkeypatch.setattr(client, "compute", lambda x: submitted.append(x) or real(x))
    got = ba.analyse(layer, frontier="iran-pakistan")
    assert submitted, "analyse did not go to the cluster"
    pd.testing.assert_frame_equal(pd.DataFrame(got), pd.DataFrame(ref), check_exact=True)
    # arrays given with plain points travel with their rows
    pts = [(63.72, 26.95), (62.33, 27.37), (64.09, 26.97)]
    kw = {"precision_m": [0.0, 25_000.0, 5_000.0], "frontier": "iran-pakistan"}
    got = ba.analyse(pts, **kw)
    monkeypatch.setattr(cluster, "_client", None)
    pd.testing.assert_frame_equal(pd.DataFrame(got), pd.DataFrame(ba.analyse(pts, **kw)),
                                  check_exact=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cli(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        filter(None, (str(SRC), os.environ.get("PYTHONPATH")))))
    env.pop("BORDERMAP_PROGRESS", None)
    return subprocess.run([BORDERMAP, *args], capture_output=True, text=True, env=env,
                          cwd=REPO, timeout=timeout)


def test_a_scheduler_that_does_not_answer_is_one_line_and_writes_nothing(tmp_path):
    out = tmp_path / "out.gpkg"
    started = time.monotonic()
    r = _cli("export", str(LAYER), "-o", str(out), "--scheduler",
             f"tcp://127.0.0.1:{_free_port()}")
    assert r.returncode == 1, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("bordermap: error: ")
    assert "no dask scheduler answered at tcp://127.0.0.1:" in lines[0]
    assert "--scheduler" in lines[0]
    assert list(tmp_path.iterdir()) == []  # nothing written, not even a temporary file
    # connect timeout plus interpreter and dask start-up on a busy machine
    assert time.monotonic() - started < cluster.CONNECT_TIMEOUT_S + 60


@pytest.mark.parametrize(("value", "code", "words"), [
    ("", 2, "is empty"),
    ("8786", 2, "is not a scheduler address"),
    ("tcp://no port", 2, "is not a scheduler address"),
    ("http://127.0.0.1:8787", 2, "give tcp://HOST:PORT"),
])
def test_bad_scheduler_values(value, code, words, tmp_path):
    r = _cli("distance", "63.72,26.95", "-f", "iran-pakistan", "--scheduler", value)
    assert r.returncode == code, r.stderr
    assert words in r.stderr
    assert r.stderr.count("bordermap: error:") == 1
    assert r.stdout == ""


def test_export_on_a_local_cluster_matches_the_single_process_export(tmp_path):
    a, b = tmp_path / "one.geojson", tmp_path / "two.geojson"
    r1 = _cli("-q", "export", str(LAYER), "--tables", "iran-pakistan-2024", "-o", str(a))
    r2 = _cli("-q", "export", str(LAYER), "--tables", "iran-pakistan-2024", "-o", str(b),
              "--scheduler", "local")
    assert r1.returncode == 0 and r2.returncode == 0, (r1.stderr, r2.stderr)
    assert r2.stderr == r1.stderr  # dask's own start-up and shutdown lines are kept quiet
    one, two = gpd.read_file(a), gpd.read_file(b)
    assert len(one) > 5
    pd.testing.assert_frame_equal(pd.DataFrame(one), pd.DataFrame(two), check_exact=True)


def test_meta_matches_what_the_partitions_return():
    """dask checks nothing: a wrong meta only shows when the result is used."""
    gdf = _table(300, seed=2)
    ddf = _partitioned(gdf, 2)
    for lazy in (ba.analyse(ddf, frontier="iran-pakistan"),
                 ba.distance_to_frontier(ddf, frontier="iran-pakistan"),
                 ba.side_of(ddf, frontier="iran-pakistan")):
        got = lazy.compute(scheduler="sync")
        want = got.dtypes if hasattr(got, "columns") else got.dtype
        have = lazy.dtypes if hasattr(lazy, "columns") else lazy.dtype
        assert (have == want).all() if hasattr(want, "all") else have == want
