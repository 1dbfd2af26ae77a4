"""Fuzzing the command line's argument parsing (issue: reliability, item 6).

Argument lists are drawn from the real verbs and options mixed with hostile
strings (empty, huge, control characters, option-like values, bad numbers,
paths that do not exist).  Whatever comes in, ``bordermap.cli.main`` must return
0, 1 or 2, print at most one error line (plus the usage hint for exit 2) and
never a traceback, within bounded time and memory.  It runs in a temporary
folder so that nothing a command writes is left behind.
"""

from __future__ import annotations

import resource

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bordermap.cli import main

VERBS = ["geocode", "frontier", "frontiers", "pair", "corridor", "distance", "map", "export",
         "check", "examples", "nope", ""]
OPTIONS = ["--json", "--frontier", "-f", "--km", "--bands-km", "--rings-km", "--format", "-o",
           "--output", "--boundaries", "--country", "--on-line-m", "--side", "--offline",
           "--corridor-km", "--title", "--raster", "--geometry", "--help", "--version", "-q",
           "-v", "--nope", "-", "--csv", "--column", "--country-column", "--prefix",
           "--input-format"]
HOSTILE = ["", " ", "-", "--", "nan", "inf", "-1", "0", "1e309", "abc", "10,,20", "a" * 5000,
           "\x00", "\u202e\u0661", "../../etc/passwd", "/nonexistent/layer.yaml",
           "/dev/full/x.geojson", "63.72,26.95", "999,999", "iran-pakistan", "IRN-PAK", "XXX-YYY",
           "Saravan", "Springfield", "{{7*7}}", "<script>", "x.shp", "geojson", "kml"]

ARGV = st.lists(st.one_of(st.sampled_from(OPTIONS), st.sampled_from(HOSTILE),
                          st.text(max_size=30)), max_size=6)


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


@settings(max_examples=80, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(verb=st.sampled_from(VERBS), rest=ARGV)
def test_any_argument_list_ends_in_0_1_or_2_with_one_line(verb, rest, capsys):
    argv = [verb, *rest] if verb else rest
    if "examples" in argv[:1] and "-o" not in argv:
        argv = [*argv, "-o", "out"]  # never build into the default folder of the caller
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    code = main(argv)
    out, err = capsys.readouterr()
    assert code in (0, 1, 2), (argv, code, err)
    assert "Traceback" not in err and "Traceback" not in out, argv
    lines = [x for x in err.splitlines() if x.startswith("bordermap: error:")]
    assert len(lines) <= 1, (argv, err)
    if code == 2:  # a usage error, or no command at all (then the help is the answer)
        assert (lines and "--help" in err) or "Usage:" in out + err, (argv, err)
    elif code == 1:  # an error line, or the problems themselves (check --json, candidates)
        assert lines or err.strip() or out.strip(), (argv, err)
    for line in err.splitlines():
        assert len(line) <= 1000, argv  # values are clipped, never echoed whole
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 1500, (argv, grown_mb)
