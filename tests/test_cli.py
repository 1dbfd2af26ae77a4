"""The command line, driven through its real console script (`bordermap`).

Every test runs the installed `bordermap` entry point in a subprocess with this
tree's `src/` first on PYTHONPATH (the script honours it), so what is tested is
what a user types: exit codes, the lines on stderr, what reaches stdout.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"
LAYER = REPO / "layers" / "iran-pakistan-2024.yaml"
_beside = Path(sys.executable).with_name("bordermap")
BORDERMAP = str(_beside) if _beside.exists() else shutil.which("bordermap") or "bordermap"
COMMANDS = (
    "geocode", "frontier", "frontiers", "pair", "corridor", "distance", "map", "examples", "export"
)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), env.get("PYTHONPATH")) if p)
    env.pop("BORDERMAP_PROGRESS", None)
    return env


def cli(*args: str, input: str | bytes | None = None, cwd: Path = REPO, timeout: float = 600):
    """Run `bordermap ARGS…`; returns the CompletedProcess (text, unless input is bytes)."""
    return subprocess.run(
        [BORDERMAP, *args],
        input=input,
        capture_output=True,
        text=not isinstance(input, bytes),
        env=_env(),
        cwd=cwd,
        timeout=timeout,
    )


def assert_usage_error(r, command: str = "bordermap", *words: str) -> str:
    """Exit 2, one error line and one hint line, nothing on stdout, no traceback."""
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr
    lines = r.stderr.splitlines()
    assert len(lines) == 2, r.stderr
    assert lines[0].startswith("bordermap: error: "), lines
    assert lines[1] == f"Try '{command} --help'.", lines
    for w in words:
        assert w in lines[0], (w, lines[0])
    assert r.stdout == ""
    return lines[0]


def assert_error(r, *words: str) -> str:
    """Exit 1 and exactly one `bordermap: error:` line on stderr, no traceback."""
    assert r.returncode == 1, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr
    lines = r.stderr.splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("bordermap: error: "), lines
    for w in words:
        assert w in lines[0], (w, lines[0])
    return lines[0]


# --- usage errors, --version, help -----------------------------------------------------


def test_the_console_script_runs_this_tree():
    r = cli("--version")
    assert r.returncode == 0, r.stderr
    assert r.stdout == f"bordermap {version('bordermap')}\n"
    assert r.stderr == ""
    probe = subprocess.run(
        [sys.executable, "-c", "import bordermap; print(bordermap.__file__)"],
        capture_output=True, text=True, env=_env(), check=True,
    )
    assert Path(probe.stdout.strip()).is_relative_to(SRC)


@pytest.mark.parametrize(
    ("args", "command", "words"),
    [
        (["--bogus"], "bordermap", ["no such option: --bogus"]),
        (["nowhere-command"], "bordermap", ["no such command 'nowhere-command'"]),
        (["geocode"], "bordermap geocode", ["missing argument 'NAME'"]),
        (["export", "x.yaml"], "bordermap export", ["missing option", "--output"]),
        (["distance", "1,2", "-f", "iran-pakistan", "--on-line-m", "abc"],
         "bordermap distance", ["--on-line-m"]),
        (["-q", "-v", "frontiers"], "bordermap", ["--quiet and --verbose"]),
    ],
)
def test_usage_errors_are_one_line_and_a_hint(args, command, words):
    assert_usage_error(cli(*args), command, *words)


def test_help_has_an_example_per_verb_and_no_python_type_names():
    top = cli("--help")
    assert top.returncode == 0, top.stderr
    text = " ".join(top.stdout.split())
    assert "Exit codes: 0 ok, 1 error, 2 usage error, 130 interrupted" in text
    for option in ("--version", "--quiet", "--verbose"):
        assert option in top.stdout
    for command in COMMANDS:
        r = cli(command, "--help")
        assert r.returncode == 0, (command, r.stderr)
        assert f"$ bordermap {command}" in r.stdout or f"| bordermap {command}" in r.stdout, command
        for tn in ("<str>", "<float>", "<int>", "<bool>", "list[", "TEXT", "FLOAT", "INTEGER"):
            assert tn not in r.stdout, (command, tn)
        assert "Exit codes:" in r.stdout


# --- every verb's error paths ------------------------------------------------------------

MISSING = "no-such-layer.yaml"

#: (arguments, expected exit code, words expected in the error line)
ERROR_PATHS = [
    # missing argument
    (["geocode"], 2, ["NAME"]),
    (["frontier"], 2, ["FRONTIER"]),
    (["pair", "Panjgur"], 2, ["'B'"]),
    (["corridor", "iran-pakistan"], 2, ["--output"]),
    (["distance", "Saravan"], 2, ["--frontier"]),
    (["map", "-o", "m.html"], 2, ["LAYER"]),
    (["export", "-o", "out.gpkg"], 2, ["LAYER"]),
    (["frontiers", "extra"], 2, ["extra"]),
    (["examples", "extra"], 2, ["extra"]),
    # unknown option
    *[([c, "--bogus"], 2, ["--bogus"]) for c in COMMANDS],
    # bad values that do not parse: usage
    (["corridor", "iran-pakistan", "--km", "abc", "-o", "b.geojson"], 2, ["--km", "abc"]),
    (["map", "x.yaml", "-o", "m.html", "--corridor-km", "5,x"], 2, ["--corridor-km"]),
    (["export", "x.yaml", "-o", "o.gpkg", "--format", "shp"], 2, ["--format", "shp"]),
    (["export", "x.yaml", "-o", "o", "--rings-km", "5,nan"], 2, ["--rings-km", "nan"]),
    (["distance", "Saravan", "-f", "iran-pakistan", "--on-line-m", "abc"], 2, ["--on-line-m"]),
    (["examples", "-o", "-"], 2, ["folder"]),
    (["export", "-", "-o", "-", "--format", "gpkg"], 2, ["gpkg", "standard output"]),
    (["export", LAYER.name, "-o", "-", "--json"], 2, ["--json"]),
    # bad data: error
    (["geocode", "Qqxyzzyplugh"], 1, ["unknown place", "Qqxyzzyplugh"]),
    (["frontier", "nowhere"], 1, ["nowhere"]),
    (["frontiers", "--boundaries", "no-such-file.gpkg"], 1, ["no-such-file.gpkg"]),
    (["pair", "Panjgur", "Saravan", "--frontier", "nowhere"], 1, ["nowhere"]),
    (["pair", "500,500", "Saravan"], 1, []),
    (["corridor", "nowhere", "-o", "b.geojson"], 1, ["nowhere"]),
    (["corridor", "iran-pakistan", "--km", "-3", "-o", "b.geojson"], 1, ["-3"]),
    (["distance", "Saravan", "--frontier", "nowhere"], 1, ["nowhere"]),
    (["map", MISSING, "-o", "m.html"], 1, [MISSING]),
    (["export", MISSING, "-o", "o.gpkg"], 1, [MISSING]),
]


@pytest.mark.parametrize(("args", "code", "words"), ERROR_PATHS, ids=lambda v: str(v)[:40])
def test_every_verb_error_path_is_one_line(tmp_path, args, code, words):
    args = [str(LAYER) if a == LAYER.name else a for a in args]
    r = cli(*args, cwd=tmp_path, input="")
    if code == 2:
        command = "bordermap" if args[0].startswith("-") else f"bordermap {args[0]}"
        assert_usage_error(r, command, *words)
    else:
        assert_error(r, *words)
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # nothing written, no "-" file


def test_examples_into_a_file_is_one_error_line(tmp_path):
    (tmp_path / "taken").write_text("a file, not a folder")
    r = cli("examples", "-o", "taken", cwd=tmp_path)
    assert_error(r)
    assert (tmp_path / "taken").read_text() == "a file, not a folder"


def test_long_values_are_cut_in_error_lines(tmp_path):
    line = assert_error(cli("geocode", "Q" * 100_000))
    assert len(line) < 1000
    line = assert_error(cli("frontier", "F" * 100_000), "unknown frontier")
    assert len(line) < 1000 and "100,002 characters" in line  # the quoted value, cut
    line = assert_usage_error(
        cli("corridor", "iran-pakistan", "--km", "k" * 100_000, "-o", "b.geojson", cwd=tmp_path),
        "bordermap corridor",
    )
    assert len(line) < 1000 and "characters)" in line
    # a 10 MB value inside a layer on standard input
    doc = LAYER.read_text(encoding="utf-8")
    bad = re.sub(r"(?m)^(\s*date:).*$", lambda m: m.group(1) + " " + "z" * 10_000_000, doc, count=1)
    r = cli("export", "-", "-o", str(tmp_path / "o.gpkg"), input=bad)
    line = assert_error(r, "<stdin>")
    assert len(line) < 1000
    assert not (tmp_path / "o.gpkg").exists()


# --- standard input and output -----------------------------------------------------------


def test_acceptance_pipeline_stdin_yaml_to_stdout_geojson():
    """`cat layer.yaml | bordermap export - --format geojson -o - | python -c json.load`."""
    from bordermap.incidents import load_layer

    script = (
        f"set -o pipefail; cat {LAYER} | {BORDERMAP} export - --format geojson -o - "
        f"| {sys.executable} -c 'import json,sys; d = json.load(sys.stdin); "
        f"print(json.dumps(d))'"
    )
    r = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, env=_env(), timeout=600
    )
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    doc = json.loads(r.stdout)
    gdf = load_layer(LAYER).to_geodataframe()
    assert doc["type"] == "FeatureCollection"
    assert [f["properties"]["id"] for f in doc["features"]] == gdf["id"].tolist()
    for f, (x, y) in zip(doc["features"], zip(gdf.geometry.x, gdf.geometry.y, strict=True),
                         strict=True):
        assert f["geometry"]["coordinates"] == pytest.approx([x, y], abs=1e-7)
        assert f["properties"]["distance_km"] >= 0
        assert f["properties"]["frontier"] in ("iran-pakistan", "india-pakistan")
    assert not list(Path(".").glob("-"))  # no file named "-"


CSV_LAYER = (
    "id,title,date,kind,actor,target_side,lon,lat,precision_m,"
    "source_publisher,source_title,source_date,source_url\n"
    "c1,Shelling,2025-05-07,shelling,PAK,IND,74.1,33.77,5000,Wire,T,2025-05-08,"
    "https://example.org/x\n"
    "c2,Shelling,2025-05-08,shelling,PAK,IND,73.9,33.6,5000,Wire,T,2025-05-08,"
    "https://example.org/y\n"
)


def test_csv_and_geojson_on_stdin_to_csv_on_stdout():
    r = cli("export", "-", "--frontier", "india-pakistan", "--format", "csv", "-o", "-",
            input=CSV_LAYER)
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [row["id"] for row in rows] == ["c1", "c2"]
    assert [float(row["lon"]) for row in rows] == [74.1, 73.9]
    assert all(row["frontier"] == "india-pakistan" for row in rows)

    fc = {
        "type": "FeatureCollection",
        "title": "piped",
        "features": [{
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [74.1, 33.77]},
            "properties": {"id": "g1", "title": "Shelling", "date": "2025-05-07",
                           "kind": "shelling", "actor": "PAK", "target_side": "IND",
                           "precision_m": 5000,
                           "sources": [{"publisher": "Wire", "title": "T",
                                        "date": "2025-05-08",
                                        "url": "https://example.org/x"}]},
        }],
    }
    r = cli("export", "-", "--frontier", "india-pakistan", "-o", "-", input=json.dumps(fc))
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert [f["properties"]["id"] for f in doc["features"]] == ["g1"]
    assert doc["features"][0]["geometry"]["coordinates"] == [74.1, 33.77]
    assert doc["features"][0]["properties"]["frontier"] == "india-pakistan"


def test_layer_errors_on_stdin_name_stdin_not_a_temp_file():
    r = cli("export", "-", "-o", "out.gpkg", input="title: t\nincidents:\n  - id: x\n")
    line = assert_error(r, "<stdin>")
    assert "/tmp" not in line and "bordermap-" not in line
    r = cli("export", "-", "-o", "out.gpkg", input="")
    assert_error(r, "standard input is empty")


def test_corridor_to_stdout_is_the_geojson_of_the_file(tmp_path):
    r = cli("corridor", "iran-pakistan", "--km", "10", "-o", "-")
    assert r.returncode == 0, r.stderr
    piped = json.loads(r.stdout)
    assert "0-10 km" in r.stderr  # the summary goes to stderr, not into the GeoJSON
    f = cli("corridor", "iran-pakistan", "--km", "10", "-o", str(tmp_path / "b.geojson"))
    assert f.returncode == 0, f.stderr
    written = json.loads((tmp_path / "b.geojson").read_text())
    assert piped["features"] == written["features"]
    assert [x["properties"]["band"] for x in piped["features"]] == ["0-10 km"]
    q = cli("-q", "corridor", "iran-pakistan", "--km", "10", "-o", "-")
    assert q.returncode == 0 and q.stderr == ""
    assert json.loads(q.stdout)["features"] == piped["features"]


def test_map_from_stdin_to_stdout_is_the_page_of_the_file(tmp_path):
    layer = REPO / "layers" / "india-pakistan-2025.yaml"
    r = cli("map", "-", "-o", "-", "--corridor-km", "", input=layer.read_text(encoding="utf-8"))
    assert r.returncode == 0, r.stderr
    f = cli("map", str(layer), "-o", str(tmp_path / "m.html"), "--corridor-km", "")
    assert f.returncode == 0, f.stderr

    def same(html: str) -> str:  # folium's random element ids, and the CSP hashes of them
        return re.sub(r"sha256-[A-Za-z0-9+/=]+|[0-9a-f]{32}", "X", html)

    assert same(r.stdout) == same((tmp_path / "m.html").read_text(encoding="utf-8"))
    assert "<title>Pahalgam, Operation Sindoor" in r.stdout


def _closed_pipe_run(*args: str):
    r, w = os.pipe()
    os.close(r)  # nobody will read: the first write fails with EPIPE
    try:
        return subprocess.run([BORDERMAP, *args], stdout=w, stderr=subprocess.PIPE, text=True,
                              env=_env(), cwd=REPO, timeout=600)
    finally:
        os.close(w)


@pytest.mark.parametrize(
    "args", [["frontiers"], ["geocode", "Springfield"], ["geocode", "Saravan"], ["--help"],
             ["--version"]],
)
def test_a_closed_pipe_ends_quietly_with_141(args):
    r = _closed_pipe_run(*args)
    assert r.returncode == 141, r.stderr
    assert r.stderr == ""


def test_head_in_a_shell_pipeline_is_quiet():
    for cmd in ("frontiers", "geocode Springfield"):
        r = subprocess.run(["bash", "-c", f"{BORDERMAP} {cmd} | head -1"], capture_output=True,
                           text=True, env=_env(), cwd=REPO, timeout=600)
        assert len(r.stdout.splitlines()) == 1
        assert "Traceback" not in r.stderr and "Exception ignored" not in r.stderr
        assert len(r.stderr.splitlines()) <= 1  # Springfield is ambiguous: its one error line


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_stdout_to_dev_full_is_one_error_line():
    for args in (["frontiers"], ["geocode", "Saravan"]):
        with open("/dev/full", "w") as full:
            r = subprocess.run([BORDERMAP, *args], stdout=full, stderr=subprocess.PIPE,
                               text=True, env=_env(), cwd=REPO, timeout=600)
        assert_error(r, "No space left on device")


def test_output_onto_a_pipe_or_device_is_refused_and_left_as_it_was(tmp_path):
    """-o FIFO (or /dev/full): the atomic writer would rename a file over it."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    layer = str(REPO / "layers" / "iran-pakistan-2024.yaml")
    for target in (str(fifo), "/dev/full"):
        r = cli("export", layer, "--format", "gpkg", "-o", target)
        assert_error(r, "not a regular file")
    assert fifo.is_fifo()
    if os.path.exists("/dev/full"):
        assert Path("/dev/full").is_char_device()


# --- --quiet, --verbose, warnings --------------------------------------------------------


def test_verbose_names_the_frontier_and_time_and_quiet_is_silent():
    v = cli("-v", "distance", "63.72,26.95", "-f", "iran-pakistan")
    assert v.returncode == 0, v.stderr
    assert re.search(r"^bordermap: frontier iran-pakistan \(IRN–PAK\), .+$", v.stderr, re.M)
    assert re.search(r"^bordermap: finished in \d+\.\d\d s$", v.stderr, re.M)
    plain = cli("distance", "63.72,26.95", "-f", "iran-pakistan")
    assert plain.returncode == 0 and plain.stderr == ""
    assert plain.stdout == v.stdout
    assert "inside Pakistan" in plain.stdout


def test_verbose_map_names_the_frontier_it_chose_for_an_unnamed_border(tmp_path):
    # Kyrgyzstan-Tajikistan is named nowhere in the code: -v must say which line the map uses.
    layer = tmp_path / "kgz.yaml"
    layer.write_text(
        "name: kgz\ntitle: KGZ-TJK\nincidents:\n"
        "  - id: a\n    title: t\n    date: 2022-09-16\n    kind: artillery/shelling\n"
        "    actor: TJK\n    target_side: KGZ\n"
        "    impact: [{lon: 70.82, lat: 40.06, precision_m: 3000}]\n    sources: [s]\n"
        "sources: [{id: s, publisher: p, title: t, date: 2022-09-17}]\n",
        encoding="utf-8")
    r = cli("-v", "map", str(layer), "-o", str(tmp_path / "m.html"))
    assert r.returncode == 0, r.stderr
    assert re.search(r"^bordermap: frontiers the incidents are about: KGZ-TJK "
                     r"\(countries KGZ, TJK\)$", r.stderr, re.M), r.stderr


def test_a_likely_lat_lon_swap_is_a_warning_naming_the_alternative():
    r = cli("distance", "26.95,63.72", "--frontier", "iran-pakistan")
    assert r.returncode == 0, r.stderr
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("bordermap: warning: ")
    assert "did you mean 63.72,26.95?" in lines[0]
    assert "Finland" in r.stdout  # the point as given is still measured
    q = cli("-q", "distance", "26.95,63.72", "--frontier", "iran-pakistan")
    assert "did you mean 63.72,26.95?" in q.stderr  # warnings survive --quiet
    ok = cli("pair", "63.72,26.95", "62.33,27.37", "--frontier", "iran-pakistan")
    assert ok.returncode == 0 and ok.stderr == ""


def test_swap_hint_distances_match_geographiclib():
    import shapely
    from geographiclib.geodesic import Geodesic

    from bordermap.geodesy import swap_hint

    line = shapely.LineString([(61.6, 25.2), (63.3, 27.1), (62.8, 29.4), (61.0, 29.9)])
    hint = swap_hint(26.95, 63.72, line)
    assert (hint.lon, hint.lat) == (63.72, 26.95)

    def nearest_km(lon, lat):
        return min(Geodesic.WGS84.Inverse(lat, lon, y, x)["s12"] for x, y in line.coords) / 1e3

    assert hint.distance_km == pytest.approx(nearest_km(26.95, 63.72), abs=1e-6)
    assert hint.swapped_distance_km == pytest.approx(nearest_km(63.72, 26.95), abs=1e-6)
    assert swap_hint(63.72, 26.95, line) is None  # right way round
    assert swap_hint(26.95, 63.72) is None  # no region, no suspicion
    assert swap_hint(150.0, 10.0, line) is None  # 150 cannot be a latitude
    assert swap_hint(10.0, 20.0, line) is None  # neither reading is near


# --- Ctrl-C and SIGTERM --------------------------------------------------------------------


def _assert_interrupted(p, out: str, err: str, folder: Path, old: str) -> None:
    assert p.returncode == 130, (p.returncode, err)
    assert err.splitlines()[-1] == "bordermap: interrupted", err
    assert "Traceback" not in err and err.count("interrupted") == 1
    assert out == ""
    assert sorted(x.name for x in folder.iterdir()) == ["out.gpkg"]  # no temporary files
    assert (folder / "out.gpkg").read_text() == old


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_signal_while_reading_stdin_exits_130_and_writes_nothing(tmp_path, sig):
    (tmp_path / "out.gpkg").write_text("old file\n")
    p = subprocess.Popen([BORDERMAP, "export", "-", "-o", str(tmp_path / "out.gpkg")],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, env=_env(), cwd=REPO)
    p.stdin.write("name: half\ntitle: a layer still arriving\n")
    p.stdin.flush()
    time.sleep(3)  # the layer never finishes: the command waits on standard input
    assert p.poll() is None, p.stderr.read()
    p.send_signal(sig)
    out, err = p.communicate(timeout=120)
    _assert_interrupted(p, out, err, tmp_path, "old file\n")


def _big_csv(path: Path, rows: int) -> None:
    lines = [CSV_LAYER.splitlines()[0]]
    for i in range(rows):
        lon, lat = 73.5 + (i % 997) / 997, 33.0 + (i % 991) / 991
        lines.append(f"c{i},Shelling,2025-05-07,shelling,PAK,IND,{lon:.5f},{lat:.5f},5000,"
                     "Wire,T,2025-05-08,https://example.org/x")
    path.write_text("\n".join(lines) + "\n")


def test_ctrl_c_during_export_exits_130_and_leaves_the_old_file(tmp_path):
    """Issue 9 row 4: Ctrl-C during export used to exit 0 silently."""
    src = tmp_path / "in"
    src.mkdir()
    _big_csv(src / "big.csv", 20_000)
    out = tmp_path / "out"
    out.mkdir()
    (out / "out.gpkg").write_text("old file\n")
    p = subprocess.Popen(
        [BORDERMAP, "-v", "export", str(src / "big.csv"), "--frontier", "india-pakistan",
         "-o", str(out / "out.gpkg")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(), cwd=REPO,
    )
    first = p.stderr.readline()  # "bordermap: exporting …": the export has started
    assert first.startswith("bordermap: exporting"), first
    p.send_signal(signal.SIGINT)
    rest_out, rest_err = p.communicate(timeout=300)
    _assert_interrupted(p, rest_out, first + rest_err, out, "old file\n")


def test_ctrl_c_between_writing_and_renaming_removes_the_temporary_files(tmp_path):
    """The worst moment: every temporary file written, none renamed yet (main(), in-process
    signal, so that the moment is exact)."""
    (tmp_path / "out.gpkg").write_text("old file\n")
    code = (
        "import os, signal, sys\n"
        "real = os.replace\n"
        "def interrupted_replace(a, b):\n"
        "    signal.raise_signal(signal.SIGINT)\n"
        "    return real(a, b)\n"
        "os.replace = interrupted_replace\n"
        "from bordermap.cli import main\n"
        f"sys.exit(main(['export', {str(LAYER)!r}, '--frontier', 'iran-pakistan',"
        f" '--bands-km', '10', '-o', {str(tmp_path / 'out.gpkg')!r}]))\n"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=_env(),
                       cwd=REPO, timeout=600)
    _assert_interrupted(p, p.stdout, p.stderr, tmp_path, "old file\n")


def test_help_keeps_square_brackets_that_rich_markup_would_eat():
    # rich reads "[dask]" as a style tag; the install hint must survive it.
    r = cli("distance", "--help")
    assert r.returncode == 0
    assert "bordermap[dask]" in re.sub(r"[\s│]+", "", r.stdout)


def test_a_negative_coordinate_read_as_an_option_is_explained():
    """``distance -117.5,-27.5``: click reads "-1" as an option; the error says what to do.

    Given after ``--``, the same place (0.7° from the antipode of the Iran-Pakistan
    border, where the far-field search measures it) is 19,702.9 km away: geographiclib's
    least distance to the frontier's edges sampled every 100 m, computed once by hand.
    """
    r = cli("distance", "-117.5,-27.5", "-f", "iran-pakistan")
    line = assert_usage_error(r, "bordermap distance")
    assert "negative coordinate" in line and "-- -117.5,-27.5" in line
    r = cli("distance", "-f", "iran-pakistan", "--", "-117.5,-27.5")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("-117.5,-27.5: 19702.9 km from the Iran–Pakistan border")
