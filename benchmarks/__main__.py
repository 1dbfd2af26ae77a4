"""``python -m benchmarks [--quick] [--only NAME,...] [--markdown FILE]``: every workload
beside its naive baseline, in one table.

Each ``benchmarks/bench_*.py`` module exposes ``rows(quick: bool = False) -> list[dict]``
(keys: workload, size, seconds, baseline, baseline_seconds, ratio, accuracy, peak_rss_mb,
note; see ``benchmarks/_harness.py``).  Each module runs in its own process here, and its
workloads in processes of their own, so every peak RSS is that workload's.  ``--quick``
uses small sizes (a couple of minutes in all); the full run takes a quarter of an hour or
more on a 2-core machine.  Run from the repository root (``PYTHONPATH=src`` for a checkout
that is not installed).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent

_CHILD = """
import json, sys
import benchmarks.{name} as m
print("BENCH-ROWS " + json.dumps(m.rows(quick={quick}), default=str))
"""


def modules() -> list[str]:
    """Names of the benchmark modules, in name order."""
    return sorted(p.stem for p in HERE.glob("bench_*.py"))


def run_module(name: str, quick: bool) -> tuple[list[dict], float, str]:
    """(rows, seconds, error text) of one module run in a child process."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(HERE.parent), str(HERE.parent / "src"), env.get("PYTHONPATH")) if p
    )
    t = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _CHILD.format(name=name, quick=quick)],
        capture_output=True, text=True, env=env, cwd=HERE.parent, check=False,
    )
    seconds = time.perf_counter() - t
    for line in done.stdout.splitlines():
        if line.startswith("BENCH-ROWS "):
            return json.loads(line[len("BENCH-ROWS "):]), seconds, ""
    tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
    return [], seconds, f"exit {done.returncode}: {tail[:200]}"


def _fmt(v: object, kind: str = "") -> str:
    if v is None or v == "":
        return "–"
    if kind == "s":
        v = float(v)  # type: ignore[arg-type]
        return f"{v:.3f}" if v < 10 else f"{v:,.1f}"
    if kind == "x":
        v = float(v)  # type: ignore[arg-type]
        return f"{v:,.1f}×" if v >= 1 else f"{v:.2g}×"
    if kind == "mb":
        return f"{float(v):,.0f}"  # type: ignore[arg-type]
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


HEAD = ("workload", "size", "time s", "baseline", "baseline s", "ratio", "accuracy",
        "peak RSS MB", "note")


def table(rows: list[dict]) -> list[list[str]]:
    return [
        [_fmt(r.get("workload")), _fmt(r.get("size")), _fmt(r.get("seconds"), "s"),
         _fmt(r.get("baseline")), _fmt(r.get("baseline_seconds"), "s"),
         _fmt(r.get("ratio"), "x"), _fmt(r.get("accuracy")), _fmt(r.get("peak_rss_mb"), "mb"),
         _fmt(r.get("note"))]
        for r in rows
    ]


def markdown(cells: list[list[str]]) -> str:
    def esc(c: str) -> str:
        return c.replace("|", "\\|")

    out = ["| " + " | ".join(HEAD) + " |", "|" + "---|" * len(HEAD)]
    out += ["| " + " | ".join(esc(c) for c in r) + " |" for r in cells]
    return "\n".join(out)


def plain(cells: list[list[str]]) -> str:
    cols = list(zip(HEAD, *cells, strict=True))
    width = [min(max(len(c) for c in col), 48) for col in cols]
    lines = []
    for r in [list(HEAD), *cells]:
        lines.append("  ".join(c[:w].ljust(w) for c, w in zip(r, width, strict=True)).rstrip())
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Every workload beside its naive baseline, in one table.",
    )
    ap.add_argument("--quick", action="store_true", help="small sizes (a couple of minutes)")
    ap.add_argument("--only", default="", metavar="NAME,...",
                    help="only these modules (e.g. distance,export)")
    ap.add_argument("--markdown", metavar="FILE", help="also write the table as Markdown")
    ap.add_argument("--json", metavar="FILE", help="also write the rows as JSON")
    args = ap.parse_args(argv)
    names = modules()
    if args.only:
        wanted = {f"bench_{w.strip().removeprefix('bench_')}" for w in args.only.split(",")}
        unknown = wanted - set(names)
        if unknown:
            ap.error(f"no benchmark module {', '.join(sorted(unknown))}; have: "
                     + ", ".join(n.removeprefix("bench_") for n in names))
        names = [n for n in names if n in wanted]
    rows: list[dict] = []
    failed = 0
    started = time.perf_counter()
    for name in names:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        got, seconds, error = run_module(name, args.quick)
        if error:
            failed += 1
            got = [{"workload": name.removeprefix("bench_"), "note": f"FAILED: {error}"}]
        print(f"  {name}: {len(got)} rows in {seconds:.0f} s", file=sys.stderr, flush=True)
        rows += got
        if args.json:  # kept as the run goes, so that an interrupted run keeps its rows
            Path(args.json).write_text(json.dumps(rows, indent=1, default=str), encoding="utf-8")
    if "bench_parallel" not in modules() and not args.only:
        rows.append({"workload": "parallel scaling",
                     "note": "benchmarks/bench_parallel.py (branch parallel) is not here yet"})
    cells = table(rows)
    print(plain(cells))
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    about = (f"{'quick' if args.quick else 'full'} run, {when}, {os.cpu_count()} cores, "
             f"Python {platform.python_version()}, {time.perf_counter() - started:.0f} s")
    print(about)
    if args.markdown:
        Path(args.markdown).write_text(markdown(cells) + "\n\n" + about + "\n", encoding="utf-8")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1, default=str), encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
