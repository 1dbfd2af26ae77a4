"""The benchmark command's contract (nothing is timed here): every ``benchmarks/bench_*.py``
exposes ``rows(quick: bool = False)``, rows carry the agreed keys, the table prints them."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import __main__ as runner  # noqa: E402
from benchmarks._harness import KEYS, isolated, row  # noqa: E402

BENCHES = sorted((ROOT / "benchmarks").glob("bench_*.py"))


@pytest.mark.parametrize("path", BENCHES, ids=[p.stem for p in BENCHES])
def test_every_benchmark_module_exposes_rows(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    funcs = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    assert "rows" in funcs, f"{path.name} has no rows(quick=False)"
    args = funcs["rows"].args
    assert [a.arg for a in args.args] == ["quick"]
    assert isinstance(args.defaults[0], ast.Constant) and args.defaults[0].value is False


def test_row_keys_ratio_and_table():
    r = row("export geoparquet", 1_000_000, 2.0, "to_file", 30.0, "exact", 512.4, "n")
    assert tuple(r) == KEYS
    assert r["ratio"] == 15.0
    assert row("map", 5, 1.0, "none", None, "", None)["ratio"] is None
    cells = runner.table([r, {"workload": "parallel scaling", "note": "missing"}])
    assert cells[0] == ["export geoparquet", "1,000,000", "2.000", "to_file", "30.0", "15.0×",
                        "exact", "512", "n"]
    assert cells[1][0] == "parallel scaling" and cells[1][2] == "–"
    md = runner.markdown(cells).splitlines()
    assert md[0].startswith("| workload | size | time s |") and len(md) == 4


def _square(x: int) -> int:
    return x * x


def test_isolated_runs_in_another_process_and_reports_its_peak():
    out, peak = isolated(_square, 12)
    assert out == 144
    assert 5 < peak < 10_000  # a fresh interpreter's high-water mark, in MB


def test_only_refuses_an_unknown_module(capsys):
    with pytest.raises(SystemExit) as e:
        runner.main(["--only", "nosuch"])
    assert e.value.code == 2
    assert "no benchmark module bench_nosuch" in capsys.readouterr().err
