"""Real data in (issue 10): bordermap's own CSV reader, naming the input layout, bad input.

The CLI is driven through its console script (helpers from ``tests/test_cli.py``).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bordermap.errors import LayerError
from bordermap.incidents import check_layer, iter_layer, load_layer

DATA = Path(__file__).resolve().parent / "data"
ACLED = DATA / "acled-thailand-cambodia.csv"
UCDP = DATA / "ucdp-thailand-cambodia.csv"
REPO = Path(__file__).resolve().parents[1]
LAYER = REPO / "layers" / "iran-pakistan-2024.yaml"

HEADER = (
    "id,title,date,kind,actor,lon,lat,precision_m,notes,"
    "source_publisher,source_title,source_date,source_url"
)


def _row(i: int, notes: str, precision: str = "500") -> str:
    return (
        f"e{i},Event {i},2024-01-0{i},shelling,PAK,74.{i},33.{i},{precision},{notes},"
        f"Wire,Report {i},2024-01-09,https://example.org/{i}"
    )


# --- 4. quoted fields with line breaks in bordermap's own CSV layers ----------------------


def _multiline_layer(tmp_path: Path, eol: str = "\n") -> Path:
    """Rows on lines 2-4 (a note over three lines), 5, 6-7 (a note over two lines)."""
    rows = [
        HEADER,
        _row(1, '"first line\nsecond, with a comma\nthird ""quoted"""'),
        _row(2, "plain"),
        _row(3, '"line\u2028separator and\nbreak"'),
    ]
    path = tmp_path / "multi.csv"
    path.write_bytes("\n".join(rows).replace("\n", eol).encode("utf-8") + eol.encode())
    return path


@pytest.mark.parametrize("eol", ["\n", "\r\n"])
def test_quoted_newlines_survive_whole_and_streamed_reads(tmp_path, eol):
    path = _multiline_layer(tmp_path, eol)
    # an independent oracle: the csv module over the file opened with newline=""
    with path.open(encoding="utf-8", newline="") as fh:
        expected = [r["notes"] for r in csv.DictReader(fh)]
    assert expected[0] == f'first line{eol}second, with a comma{eol}third "quoted"'
    expected = [e.replace("\r\n", "\n") for e in expected]  # read in text mode, as Python does
    layer = load_layer(path)
    assert [i.notes for i in layer] == expected
    assert [i.line for i in layer] == [2, 5, 6]  # the line each row starts on
    streamed = [i for chunk in iter_layer(path, rows=1) for i in chunk]
    assert [i.notes for i in streamed] == expected
    assert [i.line for i in streamed] == [2, 5, 6]


def test_errors_after_a_multiline_row_name_the_line_the_row_starts_on(tmp_path):
    rows = [HEADER, _row(1, '"a\nb\nc"'), _row(2, '"d\ne"', precision="zz"), _row(3, "f")]
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    problems = [str(p) for p in check_layer(path)]
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}:5: incidents[1](e2).impact[0].precision_m:")
    with pytest.raises(LayerError) as err:
        list(iter_layer(path))
    assert err.value.line == 5


def test_unterminated_quote_names_its_line(tmp_path):
    path = tmp_path / "open.csv"
    path.write_text(HEADER + "\n" + _row(1, "ok") + "\n" + _row(2, '"never closed') + "\n")
    with pytest.raises(LayerError) as err:
        load_layer(path)
    # the csv module reads to the end of the file looking for the closing quote
    assert err.value.line == 3, str(err.value)
