"""Benchmark: bordermap's GeoJSON writer against GeoDataFrame.to_file(driver="GeoJSON").

Baseline ("to_file"): ``GeoDataFrame.to_file(path, driver="GeoJSON")`` (pyogrio/GDAL),
the usual way to write GeoJSON from geopandas.  bordermap's writer
(:func:`bordermap.export.write_geojson`) formats point coordinates with vectorized
integer arithmetic on digit arrays (7 decimals), property values per column with
numpy (text values once per distinct value), and joins whole blocks of features; it
builds no Python dict per feature.

Both write the same 1,000,000 incident-like points with six properties (text id,
float distance, side code, int64 beyond 2**53, UTC datetime, boolean).  The round
trip is then checked: bordermap's file is read back with pyogrio and every
coordinate must equal ``numpy.round(value, 7)`` exactly and every property value must
equal the original.

Run: python benchmarks/bench_export.py [N]

Second mode, the whole export of a CSV incident layer with the time and memory of each
stage (load, table, analysis, write) and the peak RSS (issue 9 row 10, streaming export):

    python benchmarks/bench_export.py layer [N] [FORMAT]     # default 200,000 rows, geojson

Measured (November 2026, shared 2-core machine): 200,000 rows to GeoJSON took 103 s to load
and 46 s to analyse and write, peak RSS 2.4 GB; per 50,000 rows, load_layer 31 s and 482 MB
(with ~200 MB of imports), to_geodataframe 4.7 s and +84 MB, analyse 5.1 s and +168 MB,
write 2.5 s and +35 MB.  Loading dominates time and memory, so a bounded export needs the
reader first: ``iter_layer(path, rows=50_000)`` yielding validated incidents (or their
GeoDataFrame) a chunk at a time, with the layer's name and sources up front; the export then
analyses and appends chunk by chunk (GeoJSON and CSV writers already work in blocks).

Third mode, the streaming export (``export_layers`` on a CSV layer: 50,000 incidents a
chunk, read, validated, analysed and appended to the output), in a child process whose
wall and CPU time and peak RSS (``getrusage(RUSAGE_CHILDREN)``) are reported:

    python benchmarks/bench_export.py stream [N] [FORMAT]   # default 1,000,000 rows, geojson

Measured (November 2026, shared 2-core machine with other jobs running, so wall time is
up to 4x the CPU time; CPU includes the child's imports; frontier iran-pakistan, no bands):

    rows       format   CPU       per row   peak RSS   output
    200,000    geojson   44.5 s   223 us    549 MB       282 MB
    1,000,000  geojson  225.0 s   225 us    552 MB     1,410 MB
    200,000    gpkg      47.2 s   236 us    481 MB       106 MB
    1,000,000  gpkg     222.8 s   223 us    489 MB       528 MB
    200,000    csv       46.4 s   232 us    484 MB       103 MB
    1,000,000  csv      195.2 s   195 us    493 MB       517 MB
    200,000    kml       56.1 s   281 us    527 MB       489 MB (2.4 KB a row, of which
                                                               ~2 KB the incident placemark)
    1,000,000  kml      296.2 s   296 us    537 MB     2,446 MB (KML also needs as much
                                                               disk again while it is written)

Peak RSS does not grow with the rows (one chunk of 50,000 at a time, plus 8 bytes per id
to find ids used twice): 5,000,000 rows stay near 0.6 GB, against 2.4 GB for 200,000 rows
and a MemoryError for 5,000,000 before.  Time is linear, about 200-300 us a row of CPU (5 M
rows: 16-25 minutes), some 70 % of it in the per-row validation of the reader.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def make_points(n: int):
    import geopandas as gpd
    import pandas as pd

    rng = np.random.default_rng(0)
    lon = rng.uniform(60.0, 78.0, n)
    lat = rng.uniform(23.0, 37.0, n)
    days = rng.integers(0, 3000, n)
    return gpd.GeoDataFrame(
        {
            "id": pd.array([f"incident-{i:07d}" for i in range(n)], dtype="str"),
            "distance_km": rng.uniform(0.0, 500.0, n),
            "side": rng.choice(np.array(["IRN", "PAK", "IND"]), n),
            "count": rng.integers(2**53, 2**62, n),
            "date_start": pd.to_datetime(days, unit="D", origin="2017-01-01", utc=True)
            + pd.to_timedelta(rng.integers(0, 86400, n), unit="s"),
            "confirmed": rng.random(n) < 0.5,
        },
        geometry=gpd.points_from_xy(lon, lat),
        crs="EPSG:4326",
    )


def check_round_trip(path: Path, gdf) -> None:
    import pyogrio
    import shapely

    try:
        import pyarrow  # noqa: F401

        back = pyogrio.read_dataframe(path, use_arrow=True)
    except ImportError:
        back = pyogrio.read_dataframe(path)
    xy = shapely.get_coordinates(gdf.geometry.to_numpy())
    xy_back = shapely.get_coordinates(back.geometry.to_numpy())
    assert np.array_equal(xy_back, np.round(xy, 7)), "coordinates differ from round(x, 7)"
    for col in ("id", "distance_km", "side", "count", "confirmed"):
        a = gdf[col].to_numpy()
        b = back[col].to_numpy()
        assert np.array_equal(
            a.astype(b.dtype) if col != "id" else a.astype(str), b if col != "id" else b.astype(str)
        ), f"column {col} differs"
    assert (back["date_start"].dt.tz_convert("UTC") == gdf["date_start"]).all(), "dates differ"


def main() -> None:
    from bordermap.export import write_geojson

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    gdf = make_points(n)
    folder = Path(tempfile.mkdtemp(prefix="bench_export_"))

    # warm-up on a small slice (imports, first calls)
    write_geojson(gdf.iloc[:1000], folder / "warm.geojson")
    gdf.iloc[:1000].to_file(folder / "warm_gdal.geojson", driver="GeoJSON")

    # wall-clock and CPU time of this process (the machine may be shared; GDAL and
    # bordermap both run single-threaded here, so CPU time is the steadier figure)
    t0, c0 = time.perf_counter(), time.process_time()
    gdf.to_file(folder / "baseline.geojson", driver="GeoJSON")
    t_base, c_base = time.perf_counter() - t0, time.process_time() - c0

    t0, c0 = time.perf_counter(), time.process_time()
    write_geojson(gdf, folder / "bordermap.geojson")
    t_ours, c_ours = time.perf_counter() - t0, time.process_time() - c0

    t0 = time.perf_counter()
    check_round_trip(folder / "bordermap.geojson", gdf)
    t_check = time.perf_counter() - t0

    mb = (folder / "bordermap.geojson").stat().st_size / 1e6
    mb_base = (folder / "baseline.geojson").stat().st_size / 1e6
    print(f"points: {n:,}, 6 properties")
    print(
        f"GeoDataFrame.to_file(GeoJSON): {t_base:6.2f} s wall, {c_base:6.2f} s CPU "
        f"({mb_base:,.0f} MB)"
    )
    print(
        f"bordermap write_geojson      : {t_ours:6.2f} s wall, {c_ours:6.2f} s CPU "
        f"({mb:,.0f} MB, 7 decimals)"
    )
    print(f"speed-up                     : {t_base / t_ours:.1f}x wall, {c_base / c_ours:.1f}x CPU")
    print(
        f"round trip (pyogrio read-back, coordinates == round(x, 7), values equal): "
        f"exact, checked in {t_check:.1f} s"
    )
    for p in folder.iterdir():
        p.unlink()
    folder.rmdir()


def _rss_mb() -> float:
    """Current resident set size in MB (Linux /proc; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * 4096 / 2**20
    except OSError:
        return 0.0


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_layer_csv(path: Path, n: int) -> None:
    """A CSV layer of n one-impact incidents around the Iran-Pakistan border (synthetic)."""
    import csv

    rng = np.random.default_rng(1)
    lon = rng.uniform(61.0, 66.0, n)
    lat = rng.uniform(25.5, 29.5, n)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        head = "id title date kind actor lon lat precision_m claimant killed"
        w.writerow([*head.split(), "source_publisher", "source_title", "source_date", "source_url"])
        for i in range(n):
            when = f"2024-01-{1 + i % 28:02d}"
            where = [f"{lon[i]:.5f}", f"{lat[i]:.5f}", "1000"]
            source = ["Test", "Report", "2024-02-01", "https://example.org/r"]
            ident = [f"e{i:07d}", f"Event {i}", when, "air strike", "IRN"]
            w.writerow([*ident, *where, "IRN", str(i % 7), *source])


def main_layer(n: int, fmt: str) -> None:
    from bordermap.analysis import analyse
    from bordermap.incidents import load_layer
    from bordermap.io import export_tables

    folder = Path(tempfile.mkdtemp(prefix="bench_export_layer_"))
    src = folder / "layer.csv"
    write_layer_csv(src, n)
    base = _rss_mb()
    stages = []

    def stage(name, fn):
        t0 = time.perf_counter()
        out = fn()
        stages.append((name, time.perf_counter() - t0, _rss_mb() - base, _peak_mb()))
        return out

    layer = stage("load_layer (CSV reader)", lambda: load_layer(src))
    gdf = stage("Layer.to_geodataframe", layer.to_geodataframe)
    out = stage("analyse (iran-pakistan)", lambda: analyse(gdf, frontier="iran-pakistan"))
    target = folder / ("out" + {"gpkg": ".gpkg", "kml": ".kml"}.get(fmt, ""))
    stage(f"write {fmt}", lambda: export_tables({"incidents": out}, target, format=fmt))
    print(f"CSV layer of {n:,} incidents -> {fmt}")
    for name, secs, grown, peak in stages:
        print(f"{name:28s}: {secs:7.1f} s, RSS +{grown:6.0f} MB, peak {peak:6.0f} MB")
    import shutil

    shutil.rmtree(folder)


def write_layer_csv_fast(path: Path, n: int, block: int = 100_000) -> None:
    """The same layer as :func:`write_layer_csv`, formatted a block at a time with numpy."""
    rng = np.random.default_rng(1)
    head = "id,title,date,kind,actor,lon,lat,precision_m,claimant,killed,"
    head += "source_publisher,source_title,source_date,source_url\n"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(head)
        for a in range(0, n, block):
            i = np.arange(a, min(n, a + block))
            lon = np.char.mod("%.5f", rng.uniform(61.0, 66.0, len(i)))
            lat = np.char.mod("%.5f", rng.uniform(25.5, 29.5, len(i)))
            ident = np.char.mod("e%07d", i)
            day = np.char.mod("%02d", 1 + i % 28)
            killed = (i % 7).astype(str)
            rows = [
                f"{e},Event {k},2024-01-{d},air strike,IRN,{x},{y},1000,IRN,{c},"
                "Test,Report,2024-02-01,https://example.org/r\n"
                for e, k, d, x, y, c in zip(ident, i, day, lon, lat, killed, strict=True)
            ]
            fh.write("".join(rows))


_CHILD = """
import sys
from bordermap.io import export_layers
s = export_layers([sys.argv[1]], sys.argv[2], format=sys.argv[3], frontier="iran-pakistan",
                  bands_km=None)
print(dict(s.tables))
"""


def main_stream(n: int, fmt: str) -> None:
    """A CSV layer of n rows exported (streaming) in a child process: wall, CPU, peak RSS."""
    import resource
    import shutil
    import subprocess

    folder = Path(tempfile.mkdtemp(prefix="bench_export_stream_"))
    src = folder / "layer.csv"
    t0 = time.perf_counter()
    write_layer_csv_fast(src, n)
    t_gen = time.perf_counter() - t0
    target = folder / ("out" + {"gpkg": ".gpkg", "kml": ".kml"}.get(fmt, ""))
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(src), str(target), fmt],
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - t0
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and p != src)
    print(
        f"CSV layer of {n:,} incidents ({src.stat().st_size / 1e6:,.0f} MB, made in {t_gen:.0f} s)"
    )
    print(f"export -> {fmt}: exit {done.returncode}, {done.stdout.strip() or done.stderr[-500:]}")
    print(
        f"wall {wall:.1f} s, CPU {use.ru_utime + use.ru_stime:.1f} s "
        f"({(use.ru_utime + use.ru_stime) / n * 1e6:.0f} us a row), "
        f"peak RSS {use.ru_maxrss / 1024:,.0f} MB, output {size / 1e6:,.0f} MB "
        f"({size / n:,.0f} B a row)"
    )
    shutil.rmtree(folder)


# --- python -m benchmarks ---------------------------------------------------------------


def check_geoparquet(path: Path, gdf) -> None:
    """The GeoParquet file read back by geopandas and pyarrow equals ``gdf`` exactly."""
    import json

    import geopandas as gpd
    import pyarrow.parquet as pq

    geo = json.loads(pq.read_metadata(path).metadata[b"geo"])
    info = geo["columns"][geo["primary_column"]]
    assert geo["version"] == "1.1.0" and info["encoding"] == "WKB", geo
    assert info["geometry_types"] == ["Point"], info
    back = gpd.read_parquet(path)
    assert back.geometry.to_wkb().tolist() == gdf.geometry.to_wkb().tolist(), "geometry"
    for col in ("id", "distance_km", "side", "count", "confirmed", "date_start"):
        assert (back[col].to_numpy() == gdf[col].to_numpy()).all(), col


def _export_work(n: int, which: str) -> dict:
    """One export of n points in this process: seconds, peak RSS when written, checked."""
    from benchmarks._harness import peak_rss_mb
    from bordermap.io.geojson import write_geojson
    from bordermap.io.parquet import write_geoparquet

    gdf = make_points(n)
    folder = Path(tempfile.mkdtemp(prefix="bench_export_"))
    try:
        ext = ".parquet" if which in ("geoparquet", "to_parquet") else ".geojson"
        write = {
            "geojson": lambda g, p: write_geojson(g, p),
            "geoparquet": lambda g, p: write_geoparquet(g, p),
            "to_file": lambda g, p: g.to_file(p, driver="GeoJSON"),
            "to_parquet": lambda g, p: g.to_parquet(p),
        }[which]
        write(gdf.iloc[:1000], folder / f"warm{ext}")
        t = time.perf_counter()
        write(gdf, folder / f"out{ext}")
        seconds = time.perf_counter() - t
        peak = peak_rss_mb()
        size = (folder / f"out{ext}").stat().st_size
        if which == "geojson":
            check_round_trip(folder / f"out{ext}", gdf)
        elif which == "geoparquet":
            check_geoparquet(folder / f"out{ext}", gdf)
        return {"seconds": seconds, "peak": peak, "mb": size / 1e6}
    finally:
        import shutil

        shutil.rmtree(folder)


def rows(quick: bool = False) -> list[dict]:
    """1 M points written as GeoJSON and GeoParquet against GeoDataFrame.to_file(GeoJSON)."""
    from benchmarks._harness import isolated, row

    n = 50_000 if quick else 1_000_000
    base, _ = isolated(_export_work, n, "to_file")
    ref, _ = isolated(_export_work, n, "to_parquet")
    out = []
    for fmt, acc in (
        ("geojson", "exact round trip (pyogrio; coordinates round(x, 7))"),
        ("geoparquet", "exact round trip (geopandas.read_parquet, geo metadata checked)"),
    ):
        r, _ = isolated(_export_work, n, fmt)
        note = f"{r['mb']:,.0f} MB vs {base['mb']:,.0f} MB"
        if fmt == "geoparquet":
            note += (f"; GeoDataFrame.to_parquet {ref['seconds']:.2f} s; target >= 5x to_file")
        out.append(row(f"export {fmt}", n, r["seconds"], 'to_file(driver="GeoJSON")',
                       base["seconds"], acc, r["peak"], note))
    return out


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "stream":
        main_stream(
            int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000,
            sys.argv[3] if len(sys.argv) > 3 else "geojson",
        )
    elif len(sys.argv) > 1 and sys.argv[1] == "layer":
        main_layer(
            int(sys.argv[2]) if len(sys.argv) > 2 else 200_000,
            sys.argv[3] if len(sys.argv) > 3 else "geojson",
        )
    else:
        main()
