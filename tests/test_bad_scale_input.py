"""Bad columnar input through the console script: one clear line, exit 1, nothing written.

A GeoParquet without ``geo`` metadata and a layer of parts whose CRSs differ
(a folder of row-group files, as dask and Spark write them) are refused by
``export``, ``map`` and ``check`` alike; an output that existed is left as it was
and no temporary file stays behind.  (A scheduler that does not answer:
``tests/test_cluster.py``.)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

gpd = pytest.importorskip("geopandas")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"
_beside = Path(sys.executable).with_name("bordermap")
BORDERMAP = str(_beside) if _beside.exists() else shutil.which("bordermap") or "bordermap"


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        filter(None, (str(SRC), os.environ.get("PYTHONPATH")))))
    env.pop("BORDERMAP_PROGRESS", None)
    return subprocess.run([BORDERMAP, *args], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=300)


def _layer(n: int = 40) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"id": [f"p{i}" for i in range(n)], "title": ["T"] * n, "date": ["2024-01-16"] * n,
         "kind": ["shelling"] * n, "actor": ["PAK"] * n, "precision_m": ["500"] * n,
         "source_publisher": ["W"] * n, "source_title": ["R"] * n,
         "source_date": ["2024-01-17"] * n},
        geometry=gpd.points_from_xy([63.0 + i / 100 for i in range(n)], [27.0] * n),
        crs="EPSG:4326")


@pytest.fixture
def bad(tmp_path):
    parts = tmp_path / "parts"
    parts.mkdir()
    g = _layer()
    g.iloc[:20].to_parquet(parts / "part.0.parquet")
    g.iloc[20:].to_crs("EPSG:32641").to_parquet(parts / "part.1.parquet")  # UTM 41N
    pq.write_table(pa.table({"lon": [63.3], "lat": [26.9]}), tmp_path / "nogeo.parquet")
    (tmp_path / "keep.gpkg").write_bytes(b"old")
    return tmp_path


CASES = [
    ("parts", ["part.1.parquet", "EPSG:32641", "part.0.parquet", "one CRS"]),
    ("nogeo.parquet", ["nogeo.parquet", "'geo' metadata", "points_from_xy"]),
]


def _one_error_line(r: subprocess.CompletedProcess) -> str:
    assert r.returncode == 1, (r.returncode, r.stdout, r.stderr)
    lines = [ln for ln in r.stderr.strip().splitlines() if ln.startswith("bordermap: error")]
    assert len(lines) == 1 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    return lines[0]


@pytest.mark.parametrize(("name", "words"), CASES)
def test_export_refuses_and_leaves_the_old_file(bad, name, words):
    before = sorted(p.name for p in bad.iterdir())
    line = _one_error_line(_cli("export", name, "-o", "keep.gpkg", "-f", "iran-pakistan",
                                cwd=bad))
    for w in words:
        assert w in line, (w, line)
    assert (bad / "keep.gpkg").read_bytes() == b"old"
    assert sorted(p.name for p in bad.iterdir()) == before  # no temporary file left


@pytest.mark.parametrize(("name", "words"), CASES)
def test_map_refuses_and_writes_nothing(bad, name, words):
    before = sorted(p.name for p in bad.iterdir())
    line = _one_error_line(_cli("map", name, "-o", "m.html", cwd=bad))
    assert all(w in line for w in words), line
    assert sorted(p.name for p in bad.iterdir()) == before


@pytest.mark.parametrize(("name", "words"), CASES)
def test_check_reports_the_folder_of_parts_as_one_layer(bad, name, words):
    r = _cli("check", name, cwd=bad)
    assert r.returncode == 1, r.stdout + r.stderr
    found = [ln for ln in r.stdout.splitlines() if ln.strip()]
    assert len(found) == 1 and all(w in found[0] for w in words), r.stdout
    assert "1 error" in r.stderr
