"""The column-by-column CSV path (incidents.table) against the per-record path.

Oracle: the per-record path (``_csv_doc`` + ``_build_layer``), run on the same
file with the fast path switched off.  Layers must be equal (every incident,
every field); on files the fast path must not take, every problem (message,
line, field, hint) must be the per-record path's, through the console script too.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bordermap.errors import LayerError
from bordermap.incidents import check_layer, load_layer
from bordermap.incidents import table as tb

HEADER = ("id,title,date,kind,actor,target_side,lon,lat,precision_m,claimant,killed,"
          "injured_civilians,source_publisher,source_title,source_date,source_url,notes")
ROWS = [
    "a1,Strike on Panjgur,2024-01-16,air strike,IRN,PAK,64.09,26.97,5000,PAK,2,3,Dawn,"
    "Strikes,2024-01-17,https://example.org/a,",
    "a2,Réponse à Saravan,2024-01-18,Air_Strike,PAK,IRN,62.33,27.37,2000,IRN,9,,IRNA,"
    "Attack,2024-01-18,,\"quoted, with a comma\nand a line break\"",
    "",  # a blank line: skipped by both paths
    "a3,Clash,2024-01,armed clash,PAK,,-180,-90,1,,,,Dawn,Strikes,2024-01-17,"
    "https://example.org/a,",
    "a4,Shelling,2024-01-16/2024-01-18,shelling,IND,PAK,74.5,34.1,250.5,IND,,,The Hindu,"
    "Firing,2024-01-19,,   spaced   ",
]
_beside = Path(sys.executable).with_name("bordermap")
BORDERMAP = str(_beside) if _beside.exists() else shutil.which("bordermap") or "bordermap"


def _write(tmp_path: Path, rows: list[str], header: str = HEADER, name: str = "t.csv") -> Path:
    path = tmp_path / name
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _per_record(monkeypatch, func, path):
    with monkeypatch.context() as m:
        m.setattr(tb, "read_table_layer", lambda p, t: None)
        return func(path)


def _fast_taken(monkeypatch, path) -> bool:
    taken = []
    real = tb.read_table_layer
    with monkeypatch.context() as m:
        m.setattr(tb, "read_table_layer", lambda p, t: taken.append(real(p, t)) or taken[-1])
        load_layer(path) if not check_layer(path) else None
    return bool(taken) and taken[0] is not None


def test_clean_table_is_read_column_by_column_and_equals_the_per_record_layer(tmp_path,
                                                                              monkeypatch):
    path = _write(tmp_path, ROWS)
    assert _fast_taken(monkeypatch, path)
    fast = load_layer(path)
    slow = _per_record(monkeypatch, load_layer, path)
    assert fast == slow
    assert [i.line for i in fast.incidents] == [2, 3, 6, 7]  # the quoted break counts
    a2 = fast.incidents[1]
    assert a2.kind == "air strike" and a2.notes == "quoted, with a comma\nand a line break"
    assert a2.claims[0].casualty("killed").best == 9 and a2.claims[0].casualty(
        "injured_civilians") is None
    assert fast.incidents[0].claims[0].casualty("injured_civilians").best == 3
    assert fast.incidents[2].claims == () and fast.incidents[2].impacts[0].lon == -180.0
    assert fast.incidents[3].notes == "spaced" and fast.incidents[3].date.interval
    assert fast.incidents[3].impacts[0].precision_m == 250.5


def test_generated_benchmark_layer_is_identical(tmp_path, monkeypatch):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from benchmarks.bench_export import write_layer_csv_fast

    path = tmp_path / "bench.csv"
    write_layer_csv_fast(path, 3_000)
    assert _fast_taken(monkeypatch, path)
    assert load_layer(path) == _per_record(monkeypatch, load_layer, path)


AWKWARD = [
    ("lon", "a9,X,2024-01-16,air strike,IRN,,200.5,26.9,5,,,,P,T,,,"),  # wrapped by the slow path
    ("lat", "a9,X,2024-01-16,air strike,IRN,,64.0,96.9,5,,,,P,T,,,"),  # swapped-looking
    ("lon", "a9,X,2024-01-16,air strike,IRN,,abc,26.9,5,,,,P,T,,,"),
    ("precision", "a9,X,2024-01-16,air strike,IRN,,64.0,26.9,,,,,P,T,,,"),
    ("precision", "a9,X,2024-01-16,air strike,IRN,,64.0,26.9,0,,,,P,T,,,"),
    ("kind", "a9,X,2024-01-16,air strik,IRN,,64.0,26.9,5,,,,P,T,,,"),
    ("actor", "a9,X,2024-01-16,air strike,Iran,,64.0,26.9,5,,,,P,T,,,"),
    ("date", "a9,X,2024-13-16,air strike,IRN,,64.0,26.9,5,,,,P,T,,,"),
    ("id", "a1,X,2024-01-16,air strike,IRN,,64.0,26.9,5,,,,P,T,,,"),  # duplicate of row 2
    ("id", "bad id!,X,2024-01-16,air strike,IRN,,64.0,26.9,5,,,,P,T,,,"),
    ("figure", "a9,X,2024-01-16,air strike,IRN,,64.0,26.9,5,IRN,two,,P,T,,,"),
    ("claim", "a9,X,2024-01-16,air strike,IRN,,64.0,26.9,5,,4,,P,T,,,"),  # no claimant
    ("width", "a9,X,2024-01-16,air strike,IRN,,64.0,26.9,5,,,,P,T,,,,extra"),
    ("title", "a9,,2024-01-16,air strike,IRN,,64.0,26.9,5,,,,P,T,,,"),
    ("source", "a9,X,2024-01-16,air strike,IRN,,64.0,26.9,5,,,,,,,,"),
]


@pytest.mark.parametrize(("what", "row"), AWKWARD, ids=[f"{w}-{i}" for i, (w, _) in
                                                         enumerate(AWKWARD)])
def test_awkward_rows_give_the_per_record_answer(what, row, tmp_path, monkeypatch):
    path = _write(tmp_path, [*ROWS, row])
    assert not _fast_taken(monkeypatch, path)
    fast = [(p.severity, p.line, p.field, p.message, p.suggestion) for p in check_layer(path)]
    slow = [(p.severity, p.line, p.field, p.message, p.suggestion)
            for p in _per_record(monkeypatch, check_layer, path)]
    assert fast == slow
    try:
        got = load_layer(path)
    except LayerError as exc:
        assert slow and str(exc) == str(_raises(monkeypatch, path))
    else:
        assert got == _per_record(monkeypatch, load_layer, path)


def _raises(monkeypatch, path):
    try:
        _per_record(monkeypatch, load_layer, path)
    except LayerError as exc:
        return exc
    raise AssertionError("the per-record path loaded it")


@pytest.mark.parametrize("header", [HEADER + ",place", HEADER.replace("lon,lat,", ""),
                                    HEADER + ",country"])
def test_other_columns_go_the_per_record_way(header, tmp_path, monkeypatch):
    rows = [r + ",x" if header.endswith(("place", "country")) else r for r in ROWS if r]
    path = _write(tmp_path, rows, header)
    assert tb.read_table_layer(path, path.read_text(encoding="utf-8")) is None


def test_a_bad_row_is_one_line_from_the_console_script(tmp_path):
    path = _write(tmp_path, [*ROWS, AWKWARD[2][1]])
    done = subprocess.run([BORDERMAP, "check", str(path)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1
    assert f"{path}:8" in done.stdout + done.stderr
    assert "lon" in done.stdout + done.stderr


def _per_record_parquet(monkeypatch, func, path):
    with monkeypatch.context() as m:
        m.setattr(tb, "read_parquet_table", lambda p: None)
        return func(path)


@pytest.mark.parametrize("crs", ["EPSG:4326", "EPSG:32641"])
def test_geoparquet_table_equals_the_per_record_layer(crs, tmp_path, monkeypatch):
    gpd = pytest.importorskip("geopandas")
    import pandas as pd

    csv_path = _write(tmp_path, ROWS)
    df = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    pts = gpd.points_from_xy(df.pop("lon").astype(float), df.pop("lat").astype(float))
    path = tmp_path / "t.parquet"
    gpd.GeoDataFrame(df, geometry=pts, crs="EPSG:4326").to_crs(crs).to_parquet(path)
    fast = tb.read_parquet_table(path)
    assert fast is not None and len(fast) == 4
    assert fast == _per_record_parquet(monkeypatch, load_layer, path)
    assert fast == load_layer(path)
    assert [i.line for i in fast.incidents] == [1, 2, 3, 4]  # rows, as the per-record path
    parts = tmp_path / "parts"
    parts.mkdir()
    whole = gpd.read_parquet(path)
    whole.iloc[:2].to_parquet(parts / "a.parquet")
    whole.iloc[2:].to_parquet(parts / "b.parquet")
    assert tb.read_parquet_table(parts) == _per_record_parquet(monkeypatch, load_layer, parts)
    bad = whole.copy()
    bad.loc[bad.index[1], "kind"] = "air strik"  # a problem: the per-record path reports it
    bad.to_parquet(tmp_path / "bad.parquet")
    assert tb.read_parquet_table(tmp_path / "bad.parquet") is None
    assert [p.message for p in check_layer(tmp_path / "bad.parquet")] == \
        [p.message for p in _per_record_parquet(monkeypatch, check_layer,
                                                 tmp_path / "bad.parquet")]
