"""Benchmark: ``load_layer`` on an ACLED-layout CSV (issue 10: 100,000 rows in <= 5 s).

Writes N synthetic rows in the exact ACLED export layout (every column of
:data:`bordermap.io.acled.COLUMNS` plus the usual extra ones; random points in
the Thailand-Cambodia border area, all three time and geo precision codes,
several sub-event types, sources that repeat, every 50th row's notes over two
lines) and times ``load_layer`` (detection from the header included), then
``Layer.to_geodataframe``.  Wall-clock and CPU time are both reported: the
machine is shared, so the CPU time is the steadier figure.

Run: python benchmarks/bench_datasets.py [N]      # default 100,000

Measured (November 2026, shared 2-core machine, 100,000 rows): see the
``layers/README.md`` section "Event datasets".
"""

from __future__ import annotations

import csv
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

SUB_EVENTS = (
    ("Battles", "Armed clash"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("Violence against civilians", "Attack"),
    ("Strategic developments", "Looting/property destruction"),
)


def write_acled(path: Path, n: int) -> Path:
    """N ACLED-layout rows (fictional) at random points near the Thailand-Cambodia border."""
    from bordermap.io.acled import COLUMNS

    extra = ("year", "disorder_type", "inter1", "inter2", "interaction", "region")
    header = [*COLUMNS, *extra]
    rng = np.random.default_rng(10)
    lat = rng.uniform(13.0, 15.0, n)
    lon = rng.uniform(102.0, 105.0, n)
    day = rng.integers(0, 365, n)
    tp = rng.choice(np.array(["1", "1", "1", "2", "3"]), n)
    gp = rng.choice(np.array(["1", "1", "2", "3"]), n)
    sub = rng.integers(0, len(SUB_EVENTS), n)
    fat = rng.integers(0, 12, n)
    src = rng.integers(0, 40, n)
    base = np.datetime64("2024-01-01")
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        for i in range(n):
            etype, stype = SUB_EVENTS[sub[i]]
            iso, country = ("764", "Thailand") if i % 2 else ("116", "Cambodia")
            row = {
                "event_id_cnty": f"{'THA' if i % 2 else 'KHM'}{i:07d}",
                "event_date": str(base + day[i]),
                "time_precision": tp[i],
                "event_type": etype,
                "sub_event_type": stype,
                "actor1": "Military Forces of Thailand (2014-)",
                "assoc_actor_1": "",
                "actor2": "Military Forces of Cambodia (1993-)",
                "assoc_actor_2": "",
                "iso": iso,
                "country": country,
                "admin1": "Oddar Meanchey",
                "admin2": "Samraong",
                "admin3": "",
                "location": f"Village {i % 500}",
                "latitude": f"{lat[i]:.4f}",
                "longitude": f"{lon[i]:.4f}",
                "geo_precision": gp[i],
                "source": f"Outlet {src[i]}",
                "source_scale": "National",
                "notes": ("Fighting reported.\nSecond line." if i % 50 == 0
                          else "Fighting reported."),
                "fatalities": str(fat[i]),
                "tags": "",
                "timestamp": "1735689600",
                "year": str(base + day[i])[:4],
                "disorder_type": "Political violence",
                "inter1": "1",
                "inter2": "1",
                "interaction": "11",
                "region": "Southeast Asia",
            }
            w.writerow([row[c] for c in header])
    return path


def main(n: int = 100_000) -> None:
    from bordermap.incidents import load_layer

    with tempfile.TemporaryDirectory() as tmp:
        path = write_acled(Path(tmp) / "acled-bench.csv", n)
        print(f"{n:,} rows, {path.stat().st_size / 1e6:.1f} MB")
        w0, c0 = time.perf_counter(), time.process_time()
        layer = load_layer(path)
        w1, c1 = time.perf_counter(), time.process_time()
        gdf = layer.to_geodataframe()
        w2, c2 = time.perf_counter(), time.process_time()
    assert len(layer) == n and len(gdf) == n
    print(f"load_layer:       {w1 - w0:6.2f} s wall, {c1 - c0:6.2f} s CPU")
    print(f"to_geodataframe:  {w2 - w1:6.2f} s wall, {c2 - c1:6.2f} s CPU")


# --- python -m benchmarks ---------------------------------------------------------------


def _load_work(n: int, which: str) -> tuple[float, list]:
    """(seconds to load n rows, the first 1,000 points) for one reader in this process."""
    import pandas as pd

    from bordermap.incidents import load_layer

    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        if which.startswith("acled"):
            path = write_acled(d / "acled.csv", n)
        else:
            from benchmarks.bench_export import write_layer_csv_fast

            path = d / "layer.csv"
            write_layer_csv_fast(path, n)
            if which.startswith("geoparquet"):
                import geopandas as gpd

                df = pd.read_csv(path, dtype=str, keep_default_na=False)
                pts = gpd.points_from_xy(df.pop("lon").astype(float), df.pop("lat").astype(float))
                path = d / "layer.parquet"
                gpd.GeoDataFrame(df, geometry=pts, crs=4326).to_parquet(path)
        t = time.perf_counter()
        if which.endswith("baseline"):
            if which.startswith("geoparquet"):
                import geopandas as gpd

                g = gpd.read_parquet(path)
                xy = list(zip(g.geometry.x[:1000], g.geometry.y[:1000], strict=True))
            else:
                df = pd.read_csv(path)
                x, y = ("longitude", "latitude") if which.startswith("acled") else ("lon", "lat")
                xy = list(zip(df[x][:1000], df[y][:1000], strict=True))
        else:
            layer = load_layer(path)
            xy = [(i.impacts[0].lon, i.impacts[0].lat) for i in layer.incidents[:1000]]
        return time.perf_counter() - t, xy


def rows(quick: bool = False) -> list[dict]:
    """Layers loaded and validated (ACLED layout, bordermap CSV, GeoParquet) against a
    plain unvalidated read of the same file."""
    from benchmarks._harness import isolated, row

    n = 5_000 if quick else 100_000
    out = []
    for which, name, base in (
        ("acled", "ACLED-layout load", "pandas.read_csv"),
        ("csv", "CSV layer load", "pandas.read_csv"),
        ("geoparquet", "GeoParquet layer load", "geopandas.read_parquet"),
    ):
        (s, xy), peak = isolated(_load_work, n, which)
        (sb, xyb), _ = isolated(_load_work, n, which + "-baseline")
        same = sum(abs(a[0] - b[0]) < 1e-12 and abs(a[1] - b[1]) < 1e-12
                   for a, b in zip(xy, xyb, strict=True))
        out.append(row(name, n, s, base + " (no validation)", sb,
                       f"{same}/{len(xy)} points equal", peak,
                       f"{s / n * 1e6:.0f} us a row, validated"))
    return out


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
