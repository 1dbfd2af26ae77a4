"""The user gazetteer files' own index (bordermap.gazetteer.overlay), merged at look-up.

Oracles: the coordinates written in the user files themselves (an answer is right when
it equals what the file says now); the embedded index's files on disk (inode and mtime
of its meta.json: an edit of a user file must leave it alone); and a build function
replaced by one that fails, so that a rebuild of the embedded index cannot hide.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bordermap.errors import UnknownPlaceError
from bordermap.gazetteer import Gazetteer
from bordermap.gazetteer import index as gindex
from bordermap.gazetteer.overlay import OVERLAY_PREFIX, _open_checked, overlay_key

CSV = ("id,name,aliases,kind,country,lon,lat,precision_m\n"
       "camp-7,Camp Seven,C7;Camp 7,site,PAK,63.01,26.51,500\n"
       "obs-z,Observation Post Zulu,OP Zulu,site,IND,74.61,34.52,300\n")  # fmt: skip


def _load(cache: Path, geonames: Path, *users: Path) -> Gazetteer:
    return Gazetteer.load(geonames_path=geonames, directory=cache, user_paths=users)


def _base(cache: Path) -> tuple[Path, tuple[int, int]]:
    (folder,) = cache.glob("gazetteer-*")
    st = (folder / "meta.json").stat()
    return folder, (st.st_ino, st.st_mtime_ns)


def _overlay(cache: Path) -> Path:
    return max(cache.glob(f"{OVERLAY_PREFIX}*"), key=lambda p: p.stat().st_mtime_ns)


def test_an_edit_rebuilds_the_user_index_only(tmp_path, geonames, monkeypatch):
    cache, f = tmp_path / "cache", tmp_path / "mine.csv"
    f.write_text(CSV, encoding="utf-8")
    g = _load(cache, geonames, f)
    assert g.resolve("C7").lonlat == (63.01, 26.51)
    base, stamp = _base(cache)
    n_embedded = len(_load(cache, geonames))
    assert len(g) == n_embedded + 2  # the user places come on top of the embedded ones

    def no_base_build(*a, **k):
        raise AssertionError("the embedded index was rebuilt")

    monkeypatch.setattr(gindex, "build_arrays", no_base_build)
    for lon in ("63.02", "63.03", "63.04"):
        f.write_text(CSV.replace("63.01", lon), encoding="utf-8")
        assert _load(cache, geonames, f).resolve("Camp 7").lon == float(lon)
    assert _base(cache) == (base, stamp)  # not even rewritten
    assert len(list(cache.glob(f"{OVERLAY_PREFIX}*"))) == 4  # one per version of the file
    # the embedded index alone still answers without the user places
    assert _load(cache, geonames).search("C7", fuzzy=False) == []


def test_the_key_is_the_content_not_the_time(tmp_path):
    f = tmp_path / "mine.csv"
    f.write_text(CSV, encoding="utf-8")
    k1, _ = overlay_key("base", (f,))
    f.write_text(CSV, encoding="utf-8")  # same bytes, new mtime
    os.utime(f, (1, 1))
    assert overlay_key("base", (f,))[0] == k1
    f.write_text(CSV.replace("26.51", "26.52"), encoding="utf-8")  # same size
    assert overlay_key("base", (f,))[0] != k1
    assert overlay_key("other-embedded-index", (f,))[0] != overlay_key("base", (f,))[0]


def _flip_byte_in_place(path: Path, at: int) -> None:
    st = path.stat()
    data = bytearray(path.read_bytes())
    data[at] ^= 0x5A
    path.write_bytes(bytes(data))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same mtime


DAMAGE = {
    "a lon byte in place": lambda d: _flip_byte_in_place(d / "lon.npy", -3),
    "a name byte in place": lambda d: _flip_byte_in_place(d / "name.bin", 2),
    "meta.json edited": lambda d: (d / "meta.json").write_text(
        (d / "meta.json").read_text("utf-8").replace('"n_places": 2', '"n_places": 3'), "utf-8"),
    "a file removed": lambda d: (d / "post_place.npy").unlink(),
    "a file truncated": lambda d: (d / "lat.npy").write_bytes((d / "lat.npy").read_bytes()[:-8]),
    "replaced by a folder": lambda d: (d / "disp.bin").unlink() or (d / "disp.bin").mkdir(),
}


@pytest.mark.parametrize("how", list(DAMAGE))
def test_a_damaged_user_index_is_rebuilt_never_answered(tmp_path, geonames, how, caplog):
    cache, f = tmp_path / "cache", tmp_path / "mine.csv"
    f.write_text(CSV, encoding="utf-8")
    assert _load(cache, geonames, f).resolve("OP Zulu").lonlat == (74.61, 34.52)
    folder = _overlay(cache)
    DAMAGE[how](folder)
    with caplog.at_level("WARNING", logger="bordermap.gazetteer"):
        g = _load(cache, geonames, f)
        assert g.resolve("OP Zulu").lonlat == (74.61, 34.52)
        assert g.resolve("Camp Seven").lonlat == (63.01, 26.51)
    assert any("damaged" in r.getMessage() and "rebuilding" in r.getMessage()
               for r in caplog.records), caplog.text  # fmt: skip
    key = folder.name.removeprefix(OVERLAY_PREFIX)
    _open_checked(folder, key)  # healed: every file matches its SHA-256 again


def test_another_files_index_under_this_key_is_refused(tmp_path, geonames):
    cache, f, other = tmp_path / "cache", tmp_path / "mine.csv", tmp_path / "other.csv"
    f.write_text(CSV, encoding="utf-8")
    other.write_text(CSV.replace("63.01,26.51", "60.00,25.00"), encoding="utf-8")
    _load(cache, geonames, other)
    wrong = _overlay(cache)
    g = _load(cache, geonames, f)
    right = _overlay(cache)
    assert right != wrong
    os.rename(right, tmp_path / "set-aside")
    os.rename(wrong, right)  # a stale overlay of other contents where this one should be
    assert _load(cache, geonames, f).resolve("C7").lonlat == (63.01, 26.51)
    assert g.resolve("C7").lonlat == (63.01, 26.51)


def test_merged_look_ups_see_both_indexes(tmp_path, geonames):
    cache, f = tmp_path / "cache", tmp_path / "mine.csv"
    f.write_text(CSV + "my-panjgur,Panjgur,,site,PAK,64.10,26.97,800\n", encoding="utf-8")
    g = _load(cache, geonames, f)
    # a user place first, the embedded place of that name still a candidate
    cands = g.search("Panjgur", limit=None, fuzzy=False)
    assert [c.place.id for c in cands][:2] == ["my-panjgur", "panjgur"]
    assert g.resolve("Panjgur").id == "my-panjgur"
    assert g.place_by_id("obs-z").name == "Observation Post Zulu"
    assert g.place_by_id("panjgur").origin == "curated"
    assert "observation post zulu" in g.names() and "panjgur" in g.names()
    # fuzzy over both: a typo of a user name; far typos get suggestions from both
    assert g.resolve("Observation Post Zulo").id == "obs-z"
    with pytest.raises(UnknownPlaceError) as info:
        g.resolve("Obsrvatin Pst Zlu")
    assert any(s.startswith("Observation Post Zulu") for s in info.value.suggestions)
    # a country filter applies to user places too
    assert g.search("OP Zulu", country="PAK", fuzzy=False) == []


def test_report_extraction_finds_user_places(tmp_path, geonames):
    from bordermap.extract import extract

    cache, f = tmp_path / "cache", tmp_path / "mine.csv"
    f.write_text(CSV, encoding="utf-8")
    g = _load(cache, geonames, f)
    found = extract("Shelling was reported near Observation Post Zulu on 3 May.",
                    report_date="2025-05-04", gazetteer=g)  # fmt: skip
    (m,) = [m for m in found.mentions if m.text == "Observation Post Zulu"]
    assert m.id == "obs-z" and m.candidates[0].lon == 74.61  # the user place, as before
