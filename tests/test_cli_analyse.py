"""``bordermap analyse`` driven through its console script.

The distances are checked against geographiclib (the geodesic from each point to the
nearest point the command reports, and the minimum over a densified frontier), not
against another part of bordermap.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic

from bordermap.frontiers import get_frontier
from test_cli import REPO, cli

WGS84 = Geodesic.WGS84

LAYER = """\
name: kgz-demo
title: Kyrgyz-Tajik border, a test layer written for these tests
incidents:
  - id: near-batken
    title: "=HYPERLINK(\\"http://evil.example\\",\\"x\\")"
    date: 2022-09-16
    kind: artillery/shelling
    actor: TJK
    target_side: KGZ
    impact: [{lon: 70.82, lat: 40.06, precision_m: 3000}]
    sources: [s]
  - id: near-isfara
    title: Clash
    date: 2022-09-14
    kind: armed clash
    actor: KGZ
    target_side: TJK
    impact: [{lon: 70.63, lat: 40.13, precision_m: 6000}]
    sources: [s]
sources: [{id: s, publisher: p, title: t, date: 2022-09-17}]
"""


@pytest.fixture(scope="module")
def layer(tmp_path_factory):
    p = tmp_path_factory.mktemp("analyse") / "kgz.yaml"
    p.write_text(LAYER, encoding="utf-8")
    return p


def _geodesic_min_km(lon, lat, parts, upper_km, step_m=20.0):
    """Least geodesic distance from a point to polylines, by geographiclib alone.

    Edges are skipped when no point of them can be nearer than ``upper_km``: by the
    triangle inequality a point of an edge is at least (distance to an end - the
    edge's length) away.  The others are densified geodesically every ``step_m``
    metres; the densified vertices lie on the true edges, so the result exceeds the
    true minimum by at most (step_m/2)^2 / (2 d) < 1 mm for d > 50 m.
    """
    best = np.inf
    for line in parts:
        for (x0, y0), (x1, y1) in itertools.pairwise(line):
            g = WGS84.InverseLine(y0, x0, y1, x1)
            d0 = WGS84.Inverse(lat, lon, y0, x0)["s12"]
            if (d0 - g.s13) / 1000.0 > upper_km:
                continue
            n = max(1, int(np.ceil(g.s13 / step_m)))
            for s in np.linspace(0.0, g.s13, n + 1):
                p = g.Position(s)
                best = min(best, WGS84.Inverse(lat, lon, p["lat2"], p["lon2"])["s12"])
    return best / 1000.0


def test_analyse_summary_and_table_of_a_border_named_nowhere(layer):
    r = cli("analyse", str(layer))
    assert r.returncode == 0, r.stderr
    assert "kgz-demo: 2 incidents measured against KGZ-TJK" in r.stdout
    assert re.search(r"by side: (KGZ 1, TJK 1|TJK 1, KGZ 1)", r.stdout)
    # nearest the line first
    assert r.stdout.index("near-isfara") < r.stdout.index("near-batken")


def test_analyse_csv_distances_agree_with_geographiclib(layer):
    r = cli("analyse", str(layer), "--csv")
    assert r.returncode == 0, r.stderr
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(r.stdout))}
    assert set(rows) == {"near-batken", "near-isfara"}
    import shapely

    parts = [np.asarray(p.coords) for p in shapely.get_parts(get_frontier("KGZ-TJK").geometry)]
    for row in rows.values():
        lon, lat, d = float(row["lon"]), float(row["lat"]), float(row["distance_km"])
        # the reported nearest point is at the reported distance
        s = WGS84.Inverse(lat, lon, float(row["nearest_lat"]), float(row["nearest_lon"]))["s12"]
        assert abs(s / 1000.0 - d) <= 1e-6
        # the disc's range brackets the distance by the precision radius exactly
        r_km = float(row["precision_m"]) / 1000.0
        assert float(row["min_distance_km"]) == pytest.approx(max(0.0, d - r_km), abs=0.011)
        assert float(row["max_distance_km"]) <= d + r_km + 0.011
        assert abs(_geodesic_min_km(lon, lat, parts, d + 0.01) - d) <= 1e-3
    # the hostile title cannot run as a spreadsheet formula
    assert rows["near-batken"]["title"].startswith("'=HYPERLINK")


def test_analyse_json_has_iso_dates_and_numbers(layer):
    r = cli("analyse", str(layer), "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    rec = {x["id"]: x for x in data["kgz-demo"]}
    assert rec["near-isfara"]["date_start"] == "2022-09-14T00:00:00Z"
    assert isinstance(rec["near-isfara"]["distance_km"], float)
    assert rec["near-isfara"]["side"] in ("KGZ", "TJK")


def test_analyse_reads_an_acled_export_with_its_precision_as_radius():
    r = cli("analyse", str(REPO / "tests" / "data" / "acled-thailand-cambodia.csv"), "--csv")
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert rows and {row["frontier"] for row in rows} == {"KHM-THA"}
    assert {row["geo_precision"] for row in rows} <= {"1", "2", "3"}
    for row in rows:
        assert float(row["precision_m"]) > 0


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--csv", "--json"], 2, "--csv and --json cannot be combined"),
        (["-"], 2, "analyse reads files"),
        (["no-such-layer.yaml"], 1, "no such layer file"),
        (["-f", "narnia"], 1, "unknown frontier 'narnia'"),
    ],
)
def test_analyse_bad_use_is_one_line(layer, args, code, message):
    argv = list(args)
    if "-" not in argv and "no-such-layer.yaml" not in argv:
        argv = [str(layer), *argv]
    r = cli("analyse", *argv)
    assert r.returncode == code
    assert message in r.stderr
    assert "Traceback" not in r.stderr
    assert r.stderr.splitlines()[0].startswith("bordermap: error: ")
