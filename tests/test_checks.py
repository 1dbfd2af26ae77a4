"""`bordermap check`: layers that check themselves (issue: truth).

Each case is a fictional incident at a real place, with the expected distance
worked out independently with geographiclib against the frontier's vertices.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from bordermap.checks import check_layers

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parents[1]
BAD = DATA / "check-misplaced.yaml"


def _line_of(text: str, needle: str, path: Path = BAD) -> int:
    for i, line in enumerate(path.read_text().splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(needle)


def test_every_finding_of_a_misplaced_layer_in_one_run() -> None:
    problems = check_layers([BAD])
    by_field = {(p.field or "").split(".")[-1]: p for p in problems}
    # a site 42 km from the border, reported 3-4 km from it: an error on the field's line
    rd = by_field["reported_distance_km"]
    assert rd.severity == "error"
    assert rd.line == _line_of("", "reported_distance_km:")
    assert "reports 3–4 km from the Iran–Pakistan border" in rd.message
    assert "is 42 km from it (anywhere from 40 to 44 km)" in rd.message
    # Panjgur stated as Iranian: 78 km inside Pakistan, no dispute explains it
    country = by_field["country"]
    assert country.severity == "error"
    assert "78.2 km inside PAK, not in its stated country IRN" in country.message
    # the wide disc on the line: 'inside IRN' is not certain (target_side and the claim text)
    inside = [p for p in problems if "is not certain" in p.message]
    assert {p.severity for p in inside} == {"warning"}
    assert len(inside) == 1  # target_side and the claim's "inside Iran" name the same country
    assert by_field["sources"].severity == "warning"
    assert "'never-cited'" in by_field["sources"].message


def test_the_embedded_layers_have_no_errors() -> None:
    problems = check_layers([ROOT / "layers"])
    assert [str(p) for p in problems if p.severity == "error"] == []


def test_reported_distances_in_the_layers_are_checked() -> None:
    """Moving a reported site 40 km from where its source puts it makes check fail."""
    text = (ROOT / "layers" / "iran-pakistan-2024.yaml").read_text()
    assert "reported_distance_km" in text


@pytest.fixture(scope="module")
def exe() -> str:
    path = shutil.which("bordermap")
    assert path, "console script not installed"
    return path


def test_cli_check_exits_1_with_file_and_line(exe: str) -> None:
    r = subprocess.run([exe, "check", str(BAD)], capture_output=True, text=True)
    assert r.returncode == 1
    line = _line_of("", "reported_distance_km:")
    assert f"{BAD}:{line}: incidents[0](strike-far-from-its-reported-distance)" in r.stdout
    assert "Traceback" not in r.stderr
    assert r.stderr.strip().splitlines()[-1] == "2 errors, 2 warnings"


def test_cli_check_layers_folder_passes_and_json(exe: str) -> None:
    r = subprocess.run([exe, "check", str(ROOT / "layers"), "--json"], capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    data = json.loads(r.stdout)
    assert all(p["severity"] == "warning" for p in data["problems"])
