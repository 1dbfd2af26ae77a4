"""A CSV layer that no row could make valid is refused at its header, and a file whose
rows all fail alike stops being read after STOP_AFTER_ERRORS errors."""

from __future__ import annotations

import pytest

from bordermap.errors import LayerError
from bordermap.incidents import load_layer
from bordermap.incidents.model import STOP_AFTER_ERRORS
from test_cli import cli

ROW = "e{i},Shelling,2024-01-27,artillery/shelling,PAK,70.1,30.2,100,Dawn,a title,2024-01-28\n"
HEADER = ("id,title,date,kind,actor,lon,lat,precision_m,source_publisher,source_title,"
          "source_date\n")


def _write(path, header, rows, row=ROW):
    with open(path, "w", encoding="utf-8") as f:
        f.write(header)
        for i in range(rows):
            f.write(row.format(i=i))
    return path


@pytest.mark.parametrize(
    ("drop", "field", "words"),
    [
        ("source_publisher,source_title,source_date", "source_publisher", "no source column"),
        ("source_date", "source_date", "a source needs its publisher, title and date"),
        ("precision_m", "precision_m", "coordinates need a precision"),
        ("lon,lat,precision_m", "place", "no place column and no lon and lat"),
    ],
)
def test_a_header_no_row_could_satisfy_is_one_error_at_line_1(tmp_path, drop, field, words):
    cols = HEADER.strip().split(",")
    keep = [i for i, c in enumerate(cols) if c not in drop.split(",")]
    values = ROW.strip().split(",")
    header = ",".join(cols[i] for i in keep) + "\n"
    row = ",".join(values[i] for i in keep) + "\n"
    path = _write(tmp_path / "events.csv", header, 20_000, row)
    r = cli("export", str(path), "-o", str(tmp_path / "out.parquet"))
    assert r.returncode == 1
    lines = r.stderr.splitlines()
    assert len(lines) == 1, r.stderr
    assert f"events.csv, line 1, field '{field}'" in lines[0]
    assert words in lines[0]
    assert not (tmp_path / "out.parquet").exists()


def test_the_whole_header_passes(tmp_path):
    path = _write(tmp_path / "ok.csv", HEADER, 3)
    assert len(load_layer(path).incidents) == 3


def test_rows_that_all_fail_alike_stop_the_reading_early(tmp_path):
    rows = 60_000
    path = _write(tmp_path / "dates.csv", HEADER, rows, ROW.replace("2024-01-27", "27/01/2024"))
    with pytest.raises(LayerError) as info:
        load_layer(path)
    problems = info.value.problems
    notes = [p for p in problems if p.severity == "note"]
    assert len(notes) == 1 and "stopped reading after" in notes[0].message
    read = int(notes[0].message.split("first ")[1].split(" ")[0].replace(",", ""))
    assert STOP_AFTER_ERRORS <= read < rows
    assert problems[0].line == 2 and "bad date 27/01/2024" in problems[0].message


def test_a_streamed_export_stops_early_too(tmp_path):
    path = _write(tmp_path / "dates.csv", HEADER, 30_000, ROW.replace("2024-01-27", "27/01/2024"))
    r = cli("export", str(path), "-o", str(tmp_path / "out.parquet"))
    assert r.returncode == 1
    assert "dates.csv:2: incidents[0](e0).date: bad date 27/01/2024" in r.stderr
    assert not (tmp_path / "out.parquet").exists()
