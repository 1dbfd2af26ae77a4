"""Both cores: the spatial core on N threads gives bit-identical results to one thread.

The oracle for the parallel path is the serial path (one thread, one chunk): every
point is computed by the same operations whatever the thread count, so results must
match bit for bit, not within a tolerance.  The serial path itself is checked against
geographiclib and independently densified polygons in test_geodesy.py / test_sides.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

import bordermap
from bordermap import _threads
from bordermap import analysis as ba
from bordermap.errors import BordermapError

FRONTIERS = ("iran-pakistan", "india-pakistan")
REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"
_beside = Path(sys.executable).with_name("bordermap")
BORDERMAP = str(_beside) if _beside.exists() else shutil.which("bordermap") or "bordermap"


@pytest.fixture(autouse=True)
def _default_threads(monkeypatch):
    monkeypatch.delenv(_threads.ENV_VAR, raising=False)
    yield
    _threads.set_threads(None)


def _points(n: int, seed: int, near: str = "india-pakistan") -> tuple[np.ndarray, np.ndarray]:
    """Points over both frontiers' region, many of them in cells a border crosses."""
    rng = np.random.default_rng(seed)
    lon = rng.uniform(58.0, 80.0, n)
    lat = rng.uniform(22.0, 37.0, n)
    # a tenth within ~1 km of a frontier vertex, where the side needs the exact test
    f = ba.frontier_index(near).index
    k = rng.integers(0, f._arrays[0].shape[0], n // 10)
    lon[: n // 10] = f._arrays[0][k] + rng.normal(0, 0.01, n // 10)
    lat[: n // 10] = f._arrays[1][k] + rng.normal(0, 0.01, n // 10)
    return lon, lat


def _run(lon, lat, frontier):
    d = ba.distance_to_frontier(lon, lat, frontier=frontier)
    return d, ba.side_of(lon, lat, frontier=frontier)


@pytest.mark.parametrize("frontier", FRONTIERS)
def test_threads_give_bit_identical_results(frontier, monkeypatch):
    lon, lat = _points(60_000, seed=7, near=frontier)
    _threads.set_threads(1)
    d1, s1 = _run(lon, lat, frontier)
    _threads.set_threads(2)
    monkeypatch.setattr(_threads, "CHUNK_POINTS", 997)  # many uneven chunks in the pool
    d2, s2 = _run(lon, lat, frontier)
    for name, a, b in zip(d1._fields, d1, d2, strict=True):
        a, b = np.asarray(a), np.asarray(b)
        if a.dtype.kind == "f":  # same bits, NaN included
            assert np.array_equal(a.view(np.int64), b.view(np.int64)), name
        else:
            assert (a == b).all(), name
    assert (s1 == s2).all()
    # both sides and both kinds of cell were exercised
    assert set(s1.tolist()) >= {"", *ba.frontier_index(frontier).left_iso}
    assert np.count_nonzero(d1.distance_km < 1.0) > 1000


def test_band_counts_and_within_km_do_not_depend_on_threads():
    lon, lat = _points(20_000, seed=3, near="iran-pakistan")
    pts = np.column_stack([lon, lat])
    _threads.set_threads(1)
    t1 = ba.band_counts(pts, frontier="iran-pakistan", bands_km=(5, 50, 200))
    w1 = ba.within_km(lon, lat, frontier="iran-pakistan", km=25)
    _threads.set_threads(2)
    t2 = ba.band_counts(pts, frontier="iran-pakistan", bands_km=(5, 50, 200))
    w2 = ba.within_km(lon, lat, frontier="iran-pakistan", km=25)
    assert t1.equals(t2)
    assert (w1 == w2).all()
    # the table counts what an independent count over distance and side gives
    d = ba.distance_to_frontier(lon, lat, frontier="iran-pakistan").distance_km
    s = ba.side_of(lon, lat, frontier="iran-pakistan")
    first = (d <= 5) & (d * 1000 > ba.ON_LINE_M)
    assert t1.loc[0, "IRN"] == np.count_nonzero(first & (s == "IRN"))
    assert t1.loc[2, "total"] == np.count_nonzero((d > 50) & (d <= 200))


def test_the_pool_really_runs_chunks_on_several_threads():
    seen = set()
    barrier = threading.Barrier(2, timeout=20)

    def work(a, b):
        seen.add(threading.get_ident())
        if a < 2:  # the first two chunks wait for each other: only two threads get past
            barrier.wait()
        return a, b

    out = _threads.map_chunks(work, 10, chunk=1, threads=2)
    assert out == [(i, i + 1) for i in range(10)]  # in order
    assert len(seen) == 2
    assert _threads.map_chunks(work, 0, chunk=4) == []


def test_kernel_threads_sets_numba_and_restores_it():
    import numba

    before = numba.get_num_threads()
    _threads.set_threads(1)
    with _threads.kernel_threads() as n:
        assert n == 1 == numba.get_num_threads()
    assert numba.get_num_threads() == before


def test_thread_count_setting(monkeypatch):
    assert _threads.get_threads() == _threads.max_threads()
    monkeypatch.setenv(_threads.ENV_VAR, "1")
    assert _threads.get_threads() == 1
    monkeypatch.setenv(_threads.ENV_VAR, "4096")  # capped at the cores numba has
    assert _threads.get_threads() == _threads.max_threads()
    bordermap.set_threads(1)  # the API wins over the environment
    monkeypatch.setenv(_threads.ENV_VAR, "2")
    assert bordermap.get_threads() == 1
    with _threads.threads_here(2):
        assert _threads.get_threads() == min(2, _threads.max_threads())
    assert _threads.get_threads() == 1


@pytest.mark.parametrize("bad", ["0", "-1", "two", "1.5", " ", "2x", True])
def test_bad_thread_counts_are_one_clear_error(bad, monkeypatch):
    if isinstance(bad, str) and bad.strip():
        monkeypatch.setenv(_threads.ENV_VAR, bad)
        with pytest.raises(BordermapError, match=f"{_threads.ENV_VAR} must be a whole number"):
            _threads.get_threads()
        monkeypatch.delenv(_threads.ENV_VAR)
    with pytest.raises(BordermapError, match="threads must be a whole number"):
        _threads.set_threads(bad)


def test_bad_environment_value_from_the_console_script():
    env = dict(os.environ, BORDERMAP_THREADS="lots",
               PYTHONPATH=os.pathsep.join(filter(None, (str(SRC), os.environ.get("PYTHONPATH")))))
    p = subprocess.run([BORDERMAP, "distance", "63.72,26.95", "-f", "iran-pakistan"],
                       capture_output=True, text=True, env=env, cwd=REPO, timeout=300)
    assert p.returncode == 1, p.stderr
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "BORDERMAP_THREADS" in lines[0] and "'lots'" in lines[0]
    assert lines[0].startswith("bordermap: error: ")
    assert p.stdout == ""


def test_pair_crossings_do_not_depend_on_threads(monkeypatch):
    from bordermap import pairs

    rng = np.random.default_rng(11)
    n = 600  # ~300 km pairs across Iran–Pakistan: ~180,000 dense points, several chunks
    a = np.column_stack([rng.uniform(59.5, 62.5, n), rng.uniform(25.5, 29.5, n)])
    b = np.column_stack([rng.uniform(63.0, 66.0, n), rng.uniform(25.5, 29.5, n)])
    monkeypatch.setattr(pairs, "PARALLEL_CHUNK_POINTS", 20_000)
    _threads.set_threads(1)
    t1, c1 = pairs.pairs(a, b, frontiers=["iran-pakistan"])
    _threads.set_threads(2)
    t2, c2 = pairs.pairs(a, b, frontiers=["iran-pakistan"])
    import pandas as pd

    pd.testing.assert_frame_equal(t1, t2, check_exact=True)
    pd.testing.assert_frame_equal(c1, c2, check_exact=True)
    assert c1["pair"].nunique() > n // 2  # most pairs cross the line
    assert (t1["n_crossings"] == c1.groupby("pair").size().reindex(range(n), fill_value=0)).all()
