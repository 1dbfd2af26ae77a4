"""Every figure the docs show comes from the code: README examples and the data notes.

- Each ``$ bordermap …`` line of a ``console`` block in README.md that is followed
  by output lines is run through the console script; each shown line must
  match the printed one (a line ending in ``...`` matches as a prefix).
- The measured frontier lengths in ``geodata/README.md`` must equal what
  ``bordermap frontiers --json`` / ``frontier NAME --json`` print, to 0.1 km.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


def _console_script() -> str | None:
    """The bordermap script of the Python running the tests (a venv's, not a shim)."""
    beside = Path(sys.executable).with_name("bordermap")
    return str(beside) if beside.exists() else shutil.which("bordermap")


def _console_examples() -> list[tuple[str, list[str]]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    out: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", text, flags=re.S):
        cmd: str | None = None
        shown: list[str] = []
        for line in block.splitlines():
            if line.startswith("$ "):
                if cmd and shown:
                    out.append((cmd, shown))
                cmd, shown = line[2:].split("  #")[0].strip(), []
            elif cmd is not None and line.strip():
                shown.append(line)
        if cmd and shown:
            out.append((cmd, shown))
    return out


EXAMPLES = _console_examples()


def test_the_readme_shows_examples_with_output() -> None:
    assert len(EXAMPLES) >= 2


@pytest.mark.parametrize(("cmd", "shown"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_readme_console_example_prints_what_the_readme_shows(cmd: str, shown: list[str],
                                                              tmp_path: Path) -> None:
    args = shlex.split(cmd)
    if args[0] != "bordermap" or "|" in args:
        pytest.skip("not a plain bordermap command")
    exe = _console_script()
    assert exe
    r = subprocess.run([exe, *args[1:]], capture_output=True, text=True, cwd=ROOT)
    printed = (r.stdout + r.stderr).splitlines()
    for want in shown:
        if want.endswith("..."):
            assert any(p.startswith(want[:-3].rstrip()) for p in printed), (want, printed)
        else:
            assert want in printed, (want, printed)


def test_measured_lengths_in_the_data_notes_match_the_cli() -> None:
    exe = _console_script()
    assert exe
    notes = (ROOT / "geodata" / "README.md").read_text(encoding="utf-8")
    para = notes[notes.index("Measured on the embedded layer"):]
    para = para[: para.index("\n\n")]
    r = subprocess.run([exe, "frontiers", "--json"], capture_output=True, text=True, check=True)
    measured = {"–".join(f["countries"]): f for f in json.loads(r.stdout)}
    found = re.findall(r"([A-Z]{3})–([A-Z]{3}) ([\d,]+\.\d) km", para)
    assert len(found) >= 4
    for a, b, km in found:
        f = measured.get(f"{a}–{b}") or measured.get(f"{b}–{a}")
        assert f is not None, (a, b)
        assert f"{f['length_km']:,.1f}" == km, (a, b, km, f["length_km"])
    r = subprocess.run([exe, "frontier", "india-pakistan", "--json"], capture_output=True,
                       text=True, check=True)
    segs = {s["kind"]: s["length_km"] for s in json.loads(r.stdout)["segments"]}
    short = {"IB": "international border", "WB": "working boundary", "LoC": "line of control",
             "AGPL": "actual ground position line"}
    for abbr, km in re.findall(r"(IB|WB|LoC|AGPL) ([\d,]+\.\d)", para):
        assert f"{segs[short[abbr]]:,.1f}" == km, (abbr, km)


def test_the_chhamb_caveat_is_shown_wherever_the_line_of_control_is(tmp_path: Path) -> None:
    """The Natural Earth LoC follows the pre-1971 line near Chhamb: the CLI and exports say so."""
    import pyogrio

    exe = _console_script()
    assert exe
    r = subprocess.run([exe, "frontier", "india-pakistan"], capture_output=True, text=True,
                       check=True, env={"COLUMNS": "200", "PATH": str(Path(exe).parent)})
    assert "pre-1971 ceasefire line" in r.stdout.replace("\n", " ")
    out = tmp_path / "x.gpkg"
    subprocess.run([exe, "export", str(ROOT / "layers" / "india-pakistan-2025.yaml"), "-o",
                    str(out), "--frontier", "india-pakistan"], capture_output=True, check=True)
    seg = pyogrio.read_dataframe(out, layer="frontier-india-pakistan")
    loc = seg[seg["kind"] == "line of control"]
    assert loc["note"].str.contains("Chhamb").all() and len(loc) == 1


def test_southern_and_western_coordinates_print_with_hemisphere_letters() -> None:
    """A border no code names (Kenya–Tanzania), south of the equator: 'S', never '-… N'."""
    exe = _console_script()
    assert exe
    r = subprocess.run([exe, "distance", "34.0,-1.2", "-f", "KEN-TZA"], capture_output=True,
                       text=True, check=True)
    assert "inside United Republic of Tanzania" in r.stdout
    assert re.search(r"nearest point \d+\.\d{5} S 34\.\d{5} E on the Kenya–United Republic of "
                     r"Tanzania border", r.stdout), r.stdout
    assert "-1." not in r.stdout.split(":", 1)[1]  # the label repeats the input
