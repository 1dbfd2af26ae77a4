"""User gazetteer files (``--gazetteer FILE``), driven through the console script.

A small GeoNames extract (``$BORDERMAP_GEONAMES``) keeps each index build short; every
test has its own cache folder unless it tests the cache.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from geographiclib.geodesic import Geodesic

from bordermap import gazetteer as gz

REPO = Path(__file__).resolve().parents[1]
_beside = Path(sys.executable).with_name("bordermap")
BORDERMAP = str(_beside) if _beside.exists() else shutil.which("bordermap") or "bordermap"
WGS84 = Geodesic.WGS84

YAML = """\
places:
  - id: op-zulu
    name: Observation Post Zulu
    aliases: [OP Zulu, Post Z]
    kind: site
    country: IND
    lon: 74.61
    lat: 34.52
    precision_m: 300
    source: own survey, 2025
"""

CSV = (
    "id,name,aliases,kind,country,lon,lat,precision_m,area,admin,source\n"
    "camp-7,Camp Seven,C7;Camp 7,site,PAK,63.01,26.51,500,,Panjgur District,field notes\n"
    'ridge-a,Ridge A,,area,PAK,63.2,26.6,,"POLYGON ((63.1 26.5, 63.3 26.5, 63.3 26.7, '
    '63.1 26.7, 63.1 26.5))",,sketch map\n'
)


def run(*args: str, cache: Path, geonames: Path, input: str | None = None):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO / "src"), env.get("PYTHONPATH"))
                                        if p)  # fmt: skip
    env.update(BORDERMAP_CACHE_DIR=str(cache), BORDERMAP_GEONAMES=str(geonames))
    env.pop("BORDERMAP_PROGRESS", None)
    return subprocess.run([BORDERMAP, *args], capture_output=True, text=True, env=env,
                          cwd=REPO, input=input, timeout=900)  # fmt: skip


def one_error(r, code: int = 1) -> str:
    """The single error line of a failed run (no traceback, nothing on stdout)."""
    assert r.returncode == code, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr and r.stdout == ""
    errors = [ln for ln in r.stderr.splitlines() if ln.startswith("bordermap: error:")]
    assert len(errors) == 1, r.stderr
    return errors[0]


def test_yaml_and_csv_places_resolve_on_every_name(tmp_path, geonames):
    y, c = tmp_path / "mine.yaml", tmp_path / "mine.csv"
    y.write_text(YAML, encoding="utf-8")
    c.write_text(CSV, encoding="utf-8")
    cache = tmp_path / "cache"
    for query, lonlat, prec in (("op zulu", (74.61, 34.52), 300), ("C7", (63.01, 26.51), 500),
                                ("Camp 7", (63.01, 26.51), 500)):  # fmt: skip
        r = run("geocode", query, "--json", "--gazetteer", str(y), "--gazetteer", str(c),
                cache=cache, geonames=geonames)  # fmt: skip
        assert r.returncode == 0, r.stderr
        d = json.loads(r.stdout)
        assert (d["lon"], d["lat"], d["precision_m"]) == (*lonlat, prec)
        assert d["origin"] == "user"
    # the area's radius is the greatest geodesic distance to its corners (geographiclib)
    r = run("geocode", "Ridge A", "--json", "--gazetteer", str(c), cache=cache,
            geonames=geonames)  # fmt: skip
    d = json.loads(r.stdout)
    far = max(WGS84.Inverse(26.6, 63.2, la, lo)["s12"] for lo, la in
              ((63.1, 26.5), (63.3, 26.5), (63.3, 26.7), (63.1, 26.7)))  # fmt: skip
    assert d["precision_m"] == pytest.approx(far, abs=0.01) and d["area_wkt"]
    # without the file the names are unknown
    r = run("geocode", "OP Zulu", cache=cache, geonames=geonames)
    assert "unknown place" in one_error(r)


def test_a_user_place_sharing_an_embedded_name_wins_and_says_so(tmp_path, geonames):
    f = tmp_path / "over.csv"
    f.write_text("id,name,kind,country,lon,lat,precision_m\n"
                 "my-saravan,Saravan,site,IRN,62.5,27.5,100\n", encoding="utf-8")  # fmt: skip
    r = run("geocode", "Saravan", "--json", "--gazetteer", str(f), cache=tmp_path / "c",
            geonames=geonames)  # fmt: skip
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert (d["id"], d["lon"], d["lat"]) == ("my-saravan", 62.5, 27.5)
    assert {c["id"] for c in d["candidates"]} >= {"my-saravan", "saravan"}
    warn = [ln for ln in r.stderr.splitlines() if "warning" in ln]
    assert warn == [  # the curated town and Laos's Saravan province, each on one line
        f"bordermap: warning: {f}:2: name: 'Saravan' is also Sarāvān "
        "(IRN, town, saravan); the user place is used",
        f"bordermap: warning: {f}:2: name: 'Saravan' is also Saravan "
        "(LAO, province, admin1:LAO-3281); the user place is used",
    ]
    # two user places sharing a name: ambiguous, both listed, exit 1
    f.write_text(f.read_text() + "my-saravan-2,Saravan,site,IRN,62.6,27.6,100\n", "utf-8")
    r = run("geocode", "Saravan", "--gazetteer", str(f), cache=tmp_path / "c",
            geonames=geonames)  # fmt: skip
    assert r.returncode == 1 and "'Saravan' matches 4 places" in r.stderr
    listed = [ln.split()[-1] for ln in r.stdout.splitlines()]
    assert listed[:2] == ["my-saravan", "my-saravan-2"] and "saravan" in listed


@pytest.mark.parametrize(("name", "text", "where", "words"), [
    ("bad.csv", "id,name,kind,country,lon,lat,precision_m\na,A,site,PAK,63,x,5\n",
     ":2: lat:", ["lat must be a number"]),
    ("bad.csv", "id,name,kind,country,lon,lat,precision_m\na,A,temple-ish,PAK,63,26,5\n",
     ":2: kind:", ["unknown kind 'temple-ish'", "one of:"]),
    ("bad.csv", "id,name,kind,country,lon,lat,precision_m\na,A,site,PK,63,26,5\n",
     ":2: country:", ["unknown country code 'PK'", "PAK"]),
    ("bad.csv", "id,name,kind,country,lon,lat,precision_m\na,A,site,PAK,63,26,-5\n",
     ":2: precision_m:", ["positive number of metres"]),
    ("bad.csv", "id,name,kind,country,lon,lat,precision_m\na,A,site,PAK,63,26,5\n"
     "a,B,site,PAK,63,26,5\n", ":3: id:", ["duplicate id 'a' (first at line 2)"]),
    ("bad.csv", "id,name,kind,country,lon,lat,precision_m\nkoh-e-sabz,A,site,PAK,63,26,5\n",
     ":2: id:", ["already used", "my-koh-e-sabz"]),
    ("bad.csv", "id,name,kind,country,lon,lat\n", ":2:", ["lists no places"]),
    ("bad.csv", "name,lon,lat\nA,63,26\n", ":1: header:", ["missing column(s) id, kind"]),
    ("bad.csv", "id,name,kind,country,lon,lat,precision_m,colour\n", ":1: header:",
     ["unknown column(s) 'colour'"]),
    ("bad.csv", "id,name,kind,country,lon,lat,precision_m\na,A,site,PAK,63,26\n", ":2:",
     ["row has 6 fields, the header 7"]),
    ("bad.yaml", "places:\n  - id: a\n    name: A\n    kind: site\n    country: PAK\n"
     "    lon: 63\n    lat: 26\n    precison_m: 5\n", ":8: precison_m:",
     ["unknown field", "did you mean 'precision_m'"]),
    ("bad.yaml", "places:\n  - id: a\n    name: A\n    kind: site\n    country: PAK\n"
     "    lon: 63\n    lat: 26\n    area: POLYGON ((0 0, 1 0, 1 1, 0 0))\n", ":8: area:",
     ["lon/lat must lie inside its area"]),
    ("bad.yaml", "just: text\n", ":1: places:", ["expected a list of places"]),
    ("bad.yaml", "", ":1:", ["gazetteer file is empty"]),
    ("bad.yaml", "places: [\n", ":", ["bad.yaml"]),
])  # fmt: skip
def test_bad_files_are_one_line_with_file_line_and_field(tmp_path, geonames, name, text,
                                                         where, words):  # fmt: skip
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    line = one_error(run("geocode", "Panjgur", "--gazetteer", str(f), cache=tmp_path / "c",
                         geonames=geonames))  # fmt: skip
    assert f"{f}{where}" in line, line
    for w in words:
        assert w in line, line


def test_binary_missing_folder_and_stdin(tmp_path, geonames):
    b = tmp_path / "b.csv"
    b.write_bytes(b"id,name\n\x00\x01\x02\xff")
    assert "is binary" in one_error(run("geocode", "Panjgur", "--gazetteer", str(b),
                                        cache=tmp_path / "c", geonames=geonames))  # fmt: skip
    latin = tmp_path / "l.csv"
    latin.write_bytes("id,name,kind,country,lon,lat,precision_m\nx,Jos\xe9\n".encode("latin-1"))
    assert "not UTF-8" in one_error(run("geocode", "Panjgur", "--gazetteer", str(latin),
                                        cache=tmp_path / "c", geonames=geonames))  # fmt: skip
    missing = one_error(run("geocode", "Panjgur", "--gazetteer", str(tmp_path / "nope.yaml"),
                            cache=tmp_path / "c", geonames=geonames))  # fmt: skip
    assert "nope.yaml" in missing and "not found" in missing
    assert "is a folder" in one_error(run("geocode", "Panjgur", "--gazetteer", str(tmp_path),
                                          cache=tmp_path / "c", geonames=geonames))  # fmt: skip
    r = run("geocode", "Panjgur", "--gazetteer", "-", cache=tmp_path / "c", geonames=geonames)
    assert "standard input is not read" in one_error(r, 2)
    r = run("geocode", "Panjgur", "--gazetteer", cache=tmp_path / "c", geonames=geonames)
    assert "requires an argument" in one_error(r, 2)


def test_layers_map_export_check_distance_and_pair_use_the_file(tmp_path, geonames):
    f = tmp_path / "mine.yaml"
    f.write_text(YAML, encoding="utf-8")
    layer = tmp_path / "layer.yaml"
    layer.write_text(
        "title: Test layer\n"
        "incidents:\n"
        "  - id: shelling-1\n"
        "    title: Shelling near a post\n"
        "    date: 2025-05-07\n"
        "    kind: shelling\n"
        "    actor: PAK\n"
        "    target_side: IND\n"
        "    impact:\n"
        "      - place: OP Zulu\n"
        "    sources: [wire]\n"
        "sources:\n"
        "  - {id: wire, publisher: Test Wire, title: A test report, date: 2025-05-08,\n"
        "     url: 'https://example.org/a'}\n",
        encoding="utf-8",
    )
    cache, g = tmp_path / "c", ["--gazetteer", str(f)]
    r = run("export", str(layer), "-o", "-", "-f", "loc", *g, cache=cache, geonames=geonames)
    assert r.returncode == 0, r.stderr
    feats = json.loads(r.stdout)["features"]
    assert feats[0]["geometry"]["coordinates"] == [74.61, 34.52]
    assert feats[0]["properties"]["precision_m"] == 300
    r = run("export", str(layer), "-o", "-", "-f", "loc", cache=cache, geonames=geonames)
    assert "unknown place 'OP Zulu'" in one_error(r)
    r = run("check", str(layer), *g, cache=cache, geonames=geonames)
    assert "unknown place" not in r.stdout + r.stderr
    out = tmp_path / "m.html"
    r = run("map", str(layer), "-o", str(out), "-f", "loc", *g, cache=cache, geonames=geonames)
    assert r.returncode == 0 and out.stat().st_size > 1000, r.stderr
    r = run("distance", "OP Zulu", "--frontier", "loc", "--json", *g, cache=cache,
            geonames=geonames)  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["results"][0]["lon"] == 74.61
    r = run("pair", "OP Zulu", "Post Z", "--json", *g, cache=cache, geonames=geonames)
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["distance_km"] == 0.0 and d["a"]["precision_m"] == 300


def test_cache_is_reused_rebuilt_on_change_and_never_answers_from_damage(tmp_path, geonames):
    f, cache = tmp_path / "mine.csv", tmp_path / "cache"
    f.write_text(CSV, encoding="utf-8")
    args = ("geocode", "C7", "--json", "--gazetteer", str(f))
    assert run("geocode", "Panjgur", cache=cache, geonames=geonames).returncode == 0
    (base,) = cache.glob("gazetteer-*")
    stamp = (base / "meta.json").stat().st_mtime_ns
    # the user file gets an index of its own: the embedded one is not rebuilt
    first = run(*args, cache=cache, geonames=geonames)
    assert first.returncode == 0 and first.stderr == "", first.stderr
    again = run(*args, cache=cache, geonames=geonames)
    assert again.stderr == "" and again.stdout == first.stdout
    f.write_text(CSV.replace("63.01,26.51", "63.02,26.52"), encoding="utf-8")
    changed = run(*args, cache=cache, geonames=geonames)
    assert changed.returncode == 0 and "building" not in changed.stderr, changed.stderr
    assert json.loads(changed.stdout)["lon"] == 63.02
    assert list(cache.glob("gazetteer-*")) == [base]
    assert (base / "meta.json").stat().st_mtime_ns == stamp
    plain = run("geocode", "Panjgur", cache=cache, geonames=geonames)
    assert plain.returncode == 0 and "building" not in plain.stderr, plain.stderr
    # damage every data file of the user index: the next run rebuilds and answers right
    index = max(cache.glob("gazuser-*"), key=lambda p: (p / "meta.json").stat().st_mtime_ns)
    assert "camp-7" in (index / "meta.json").read_text("utf-8")
    for p in index.glob("*.bin"):
        p.write_bytes(bytes(b ^ 0xFF for b in p.read_bytes()))
    healed = run(*args, cache=cache, geonames=geonames)
    assert healed.returncode == 0, healed.stderr
    assert "damaged" in healed.stderr and "rebuilding" in healed.stderr
    assert json.loads(healed.stdout)["lon"] == 63.02


def test_api_and_help(tmp_path, geonames, monkeypatch):
    monkeypatch.setenv("BORDERMAP_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.setenv("BORDERMAP_GEONAMES", str(geonames))
    f = tmp_path / "mine.yaml"
    f.write_text(YAML, encoding="utf-8")
    previous = gz.use_gazetteer_files([f])
    try:
        assert gz.geocode("Post Z").id == "op-zulu"
        assert gz.get_gazetteer(user_paths=[]).search("Post Z", fuzzy=False) == []
    finally:
        gz.use_gazetteer_files(previous)
    for verb in ("geocode", "distance", "pair", "map", "export", "check"):
        r = run(verb, "--help", cache=tmp_path / "c", geonames=geonames)
        assert "--gazetteer" in r.stdout, verb
