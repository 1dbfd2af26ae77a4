"""The gazetteer's cached index: damage is never an answer, repair, sharing, progress.

Most repair cases run the real console script against a small GeoNames extract
(``BORDERMAP_GEONAMES``) so that each rebuild takes a second; one case repairs
the full index.  Every case uses its own temporary ``BORDERMAP_CACHE_DIR``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import yaml

from bordermap import gazetteer as gz
from bordermap.gazetteer import Gazetteer, IndexDamagedError

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
CURATED = ROOT / "geodata" / "gazetteer.yaml"


def _expected(place_id: str) -> str:
    """The curated coordinate of an entry, read from the YAML (not from the index)."""
    entry = next(e for e in yaml.safe_load(CURATED.read_text())["places"] if e["id"] == place_id)
    lon, lat = entry["lon"], entry["lat"]
    return f"{abs(lat):.5f} {'N' if lat >= 0 else 'S'} {abs(lon):.5f} {'E' if lon >= 0 else 'W'}"


SARAVAN = _expected("saravan")


def _curated_row(place_id: str) -> int:
    entries = yaml.safe_load(CURATED.read_text())["places"]
    return [e["id"] for e in entries].index(place_id)


def cli(*args: str, cache: Path, geonames: Path | None = None, wrap: list[str] | None = None,
        timeout: float = 600) -> subprocess.CompletedProcess:  # fmt: skip
    """Run the real console script with its own cache folder."""
    env = dict(os.environ, PYTHONPATH=str(SRC), BORDERMAP_CACHE_DIR=str(cache))
    env.pop("BORDERMAP_GEONAMES", None)
    if geonames is not None:
        env["BORDERMAP_GEONAMES"] = str(geonames)
    exe = shutil.which("bordermap")
    cmd = [exe] if exe else [sys.executable, "-m", "bordermap.cli"]
    return subprocess.run(
        [*(wrap or []), *cmd, *args], env=env, capture_output=True, text=True, timeout=timeout
    )


def assert_saravan(r: subprocess.CompletedProcess, notices: int) -> None:
    """Exit 0, the right coordinate, ``notices`` lines on stderr and no traceback."""
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Sarāvān (IRN") and SARAVAN in r.stdout.splitlines()[0], r.stdout
    assert "Traceback" not in r.stderr
    assert len(r.stderr.splitlines()) == notices, r.stderr


def index_dirs(cache: Path) -> list[Path]:
    return sorted(p for p in cache.iterdir() if p.name.startswith("gazetteer-"))


def leftovers(cache: Path) -> list[str]:
    return [p.name for p in cache.iterdir()
            if p.name.startswith(".gazetteer") and p.name != ".gazetteer.lock"]  # fmt: skip


def overwrite(path: Path, offset: int, data: bytes) -> None:
    """Write ``data`` at ``offset``, first making the file a private copy if it is hard-linked."""
    if path.stat().st_nlink > 1:
        tmp = path.with_name(path.name + ".private")
        shutil.copyfile(path, tmp)
        os.replace(tmp, path)
    assert path.stat().st_nlink == 1
    with open(path, "r+b") as fh:
        fh.seek(offset)
        fh.write(data)


def random_unlike(path: Path, offset: int, n: int, seed: int = 9) -> bytes:
    """``n`` random bytes that differ from the file's bytes at ``offset``."""
    old = path.read_bytes()[offset : offset + n]
    rng = np.random.default_rng(seed)
    while True:
        new = rng.integers(0, 256, n, dtype=np.uint8).tobytes()
        if new != old:
            return new


# --- a small GeoNames extract: every merged id of the curated file, and some others ------


@pytest.fixture(scope="module")
def small_geonames(tmp_path_factory) -> Path:
    real = json.loads(Path(gz._default_geonames_path()).read_text(encoding="utf-8"))
    records = list(real.values()) if isinstance(real, dict) else real
    merged = {e.get("geonames") for e in yaml.safe_load(CURATED.read_text())["places"]}
    keep = [r for r in records if int(r["geonameid"]) in merged or r["name"] == "Salavan"]
    keep += records[:: max(1, len(records) // 300)]
    path = tmp_path_factory.mktemp("geonames") / "geonames-small.json"
    path.write_text(json.dumps({str(r["geonameid"]): r for r in keep}), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def small_index(small_geonames, tmp_path_factory) -> Path:
    """A cache folder holding the small index, built once through the console script."""
    cache = tmp_path_factory.mktemp("small-cache")
    r = cli("geocode", "Saravan", cache=cache, geonames=small_geonames)
    assert_saravan(r, notices=1)  # the one "building the gazetteer index" line
    assert "building the gazetteer index (first run" in r.stderr
    return cache


@pytest.fixture()
def small_cache(small_index, tmp_path) -> tuple[Path, Path]:
    """A private copy of the small index's cache folder, and its index folder."""
    cache = tmp_path / "cache"
    shutil.copytree(small_index, cache)
    (index,) = index_dirs(cache)
    return cache, index


def _lat_offset(index: Path, row: int) -> int:
    meta = json.loads((index / "meta.json").read_text())
    return meta["files"]["lat.npy"]["offset"] + 8 * row


# --- repair through the console script ------------------------------------------------


def test_unchanged_cache_is_reused_quietly(small_cache, small_geonames):
    cache, index = small_cache
    stamp = (index / "meta.json").stat().st_mtime_ns
    assert_saravan(cli("geocode", "Saravan", cache=cache, geonames=small_geonames), notices=0)
    assert (index / "meta.json").stat().st_mtime_ns == stamp


@pytest.mark.parametrize("how", ["at-the-record", "whole-file", "truncated"])
def test_random_bytes_in_lat_are_repaired_never_answered(small_cache, small_geonames, how):
    cache, index = small_cache
    lat = index / "lat.npy"
    if how == "at-the-record":
        off = _lat_offset(index, _curated_row("saravan"))
        overwrite(lat, off, random_unlike(lat, off, 8))
    elif how == "whole-file":
        lat.write_bytes(random_unlike(lat, 0, lat.stat().st_size))
    else:
        os.truncate(lat, lat.stat().st_size // 2)
    r = cli("geocode", "Saravan", cache=cache, geonames=small_geonames)
    assert_saravan(r, notices=1)
    assert "lat.npy" in r.stderr and "damaged" in r.stderr and "rebuilding" in r.stderr
    # repaired in place: the next run is quiet and the folder verifies in full
    assert_saravan(cli("geocode", "Saravan", cache=cache, geonames=small_geonames), notices=0)
    assert index_dirs(cache) == [index] and not leftovers(cache)
    Gazetteer(index).verify()


def test_random_bytes_in_name_bin_are_repaired(small_cache, small_geonames):
    cache, index = small_cache
    name = index / "name.bin"
    off = name.read_bytes().index(b"saravan")
    overwrite(name, off, random_unlike(name, off, 64))
    r = cli("geocode", "Saravan", cache=cache, geonames=small_geonames)
    assert_saravan(r, notices=1)
    assert "name.bin" in r.stderr and "damaged" in r.stderr
    assert_saravan(cli("geocode", "Saravan", cache=cache, geonames=small_geonames), notices=0)


@pytest.mark.parametrize("victim", ["meta.json", "blocks.crc32", "ptr.npy", "del_hash.npy"])
def test_missing_file_is_rebuilt_once(small_cache, small_geonames, victim):
    cache, index = small_cache
    (index / victim).unlink()
    r = cli("geocode", "Saravan", cache=cache, geonames=small_geonames)
    assert_saravan(r, notices=1)
    assert victim in r.stderr and "rebuilding" in r.stderr
    r = cli("geocode", "Saravan", cache=cache, geonames=small_geonames)
    assert_saravan(r, notices=0)  # fixed for good: no rebuild on every query
    assert (index / victim).exists() and not leftovers(cache)


def test_edited_meta_json_is_refused(small_cache, small_geonames):
    cache, index = small_cache
    meta = json.loads((index / "meta.json").read_text())
    meta["n_places"] -= 1  # still valid JSON, but no longer what was built
    (index / "meta.json").write_text(json.dumps(meta))
    r = cli("geocode", "Saravan", cache=cache, geonames=small_geonames)
    assert_saravan(r, notices=1)
    assert "meta.json fails its checksum" in r.stderr


def test_a_file_where_the_index_folder_should_be(small_cache, small_geonames):
    cache, index = small_cache
    shutil.rmtree(index)
    index.write_text("not an index")
    r = cli("geocode", "Saravan", cache=cache, geonames=small_geonames)
    assert_saravan(r, notices=1)
    assert "not a folder" in r.stderr
    assert index.is_dir() and not leftovers(cache)


def test_cache_dir_pointing_at_a_file(tmp_path, small_geonames):
    cache = tmp_path / "cache-is-a-file"
    cache.write_text("x")
    r = cli("geocode", "Saravan", cache=cache, geonames=small_geonames)
    assert_saravan(r, notices=1)
    assert f"cannot write the cache folder {cache}" in r.stderr and "in memory" in r.stderr
    assert cache.read_text() == "x"


def _read_only_wrapper(folder: Path) -> list[str]:
    """Command prefix under which ``folder`` (mode 555) really is read-only, or skip."""
    folder.chmod(0o555)
    if os.geteuid() != 0:
        return []
    wrap = ["unshare", "-U"]  # root maps to nobody: permission bits apply again
    try:
        probe = subprocess.run([*wrap, "touch", str(folder / "probe")], capture_output=True)
    except FileNotFoundError:
        pytest.skip("running as root without unshare: cannot make a read-only folder")
    if probe.returncode == 0:
        pytest.skip("cannot make a read-only folder here")
    return wrap


def test_read_only_empty_cache_builds_in_memory(tmp_path, small_geonames):
    cache = tmp_path / "ro"
    cache.mkdir()
    wrap = _read_only_wrapper(cache)
    try:
        r = cli("geocode", "Saravan", cache=cache, geonames=small_geonames, wrap=wrap)
    finally:
        cache.chmod(0o755)
    assert_saravan(r, notices=1)
    assert "cannot write the cache folder" in r.stderr and "BORDERMAP_CACHE_DIR" in r.stderr
    assert list(cache.iterdir()) == []


def test_read_only_cache_with_damaged_index_names_the_folder_to_delete(
    small_cache, small_geonames
):
    cache, index = small_cache
    off = _lat_offset(index, _curated_row("saravan"))
    overwrite(index / "lat.npy", off, random_unlike(index / "lat.npy", off, 8))
    wrap = _read_only_wrapper(cache)
    index.chmod(0o555)
    try:
        r = cli("geocode", "Saravan", cache=cache, geonames=small_geonames, wrap=wrap)
    finally:
        cache.chmod(0o755)
        index.chmod(0o755)
    assert_saravan(r, notices=1)
    assert "lat.npy" in r.stderr and f"delete {index}" in r.stderr


def test_leftovers_of_a_killed_build_are_cleaned(small_cache, small_geonames):
    cache, index = small_cache
    shutil.rmtree(index)
    half = cache / ".gazetteer-tmp-killed" / "index"
    half.mkdir(parents=True)
    (half / "lat.npy").write_bytes(b"\x93NUMPY half")
    r = cli("geocode", "Saravan", cache=cache, geonames=small_geonames)
    assert_saravan(r, notices=1)
    assert index.is_dir() and not leftovers(cache)


def test_build_killed_midway_then_next_run_builds(tmp_path, small_geonames):
    cache = tmp_path / "cache"
    env = dict(os.environ, PYTHONPATH=str(SRC), BORDERMAP_CACHE_DIR=str(cache),
               BORDERMAP_GEONAMES=str(small_geonames))  # fmt: skip
    code = (
        "import os, signal, bordermap.gazetteer.index as ix\n"
        "real = ix.write_index\n"
        "def die(out, arrays, meta):\n"
        "    real(out, arrays, meta)\n"
        "    (out / 'meta.json').unlink()\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "ix.write_index = die\n"
        "from bordermap.gazetteer import geocode\n"
        "geocode('Saravan')\n"
    )
    p = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, timeout=600)
    assert p.returncode == -signal.SIGKILL
    assert leftovers(cache) and not index_dirs(cache)  # killed with its work half done
    assert_saravan(cli("geocode", "Saravan", cache=cache, geonames=small_geonames), notices=1)
    assert len(index_dirs(cache)) == 1 and not leftovers(cache)


def test_concurrent_builders_share_one_build(tmp_path, small_geonames):
    cache = tmp_path / "cache"
    env = dict(os.environ, PYTHONPATH=str(SRC), BORDERMAP_CACHE_DIR=str(cache),
               BORDERMAP_GEONAMES=str(small_geonames))  # fmt: skip
    exe = shutil.which("bordermap") or sys.executable
    cmd = [exe, "geocode", "Saravan"] if exe != sys.executable else [
        exe, "-m", "bordermap.cli", "geocode", "Saravan"]  # fmt: skip
    procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(3)]  # fmt: skip
    for p in procs:
        out, err = p.communicate(timeout=600)
        r = subprocess.CompletedProcess(cmd, p.returncode, out, err)
        assert_saravan(r, notices=len(err.splitlines()))
        assert len(err.splitlines()) <= 1 and "damaged" not in err
    assert len(index_dirs(cache)) == 1 and not leftovers(cache)
    Gazetteer(index_dirs(cache)[0]).verify()


def test_shared_across_checkouts_and_superseded_cleaned(tmp_path, small_index, small_geonames):
    """Two copies of the same curated file share one index; old versions are dropped."""
    from bordermap.gazetteer.admin import _default_admin_path
    from bordermap.gazetteer.index import open_index
    from bordermap.gazetteer.sources import _countries_path

    cache = tmp_path / "cache"
    shutil.copytree(small_index, cache)
    (index,) = index_dirs(cache)
    paths = []
    for n, text in enumerate(["", "# one\n", "# two\n"]):
        other = tmp_path / f"checkout{n}" / "gazetteer.yaml"
        other.parent.mkdir()
        other.write_text(CURATED.read_text(encoding="utf-8") + text, encoding="utf-8")
        paths.append(open_index(small_geonames, other, _countries_path(), cache,
                                admin_path=_default_admin_path()).folder)  # as Gazetteer.load
    assert paths[0] == index  # same content elsewhere: the same index, not rebuilt
    assert len(set(paths)) == 3
    assert index_dirs(cache) == sorted(paths[1:])  # current + the previous one


# --- detection on the full index, without repair ---------------------------------------


@pytest.fixture(scope="module")
def full_index() -> Path:
    """The real index folder (built in the cache the test run uses, if not there yet)."""
    g = gz.get_gazetteer()
    assert g.path is not None
    return g.path


@pytest.fixture()
def full_copy(full_index, tmp_path) -> Path:
    """A copy of the real index (hard links: every damage goes through :func:`overwrite`)."""
    dst = tmp_path / full_index.name
    shutil.copytree(full_index, dst, copy_function=os.link)
    return dst


def test_full_index_verifies(full_index):
    Gazetteer(full_index).verify()


FILES = ["lat.npy", "lon.npy", "name.bin", "disp.bin", "ptr.npy", "post_place.npy",
         "country.npy", "ex_hash.npy", "del_hash.npy", "del_name.npy", "blocks.crc32"]  # fmt: skip


@pytest.mark.parametrize("victim", FILES)
def test_damaged_full_index_never_answers_wrong(full_copy, victim):
    """A bare Gazetteer(path) cannot repair: it answers right or raises, never wrong."""
    good = Gazetteer(full_copy).resolve("Saravan")
    path = full_copy / victim
    size = path.stat().st_size
    overwrite(path, 0, random_unlike(path, 0, size))
    try:
        g = Gazetteer(full_copy)
        got = g.resolve("Saravan")
    except IndexDamagedError as exc:
        assert victim in str(exc) and f"delete {full_copy}" in str(exc)
    else:
        assert got == good  # that file was not read for this answer...
        with pytest.raises(IndexDamagedError, match=victim.replace(".", r"\.")):
            g.verify()  # ...but a full check finds it


def test_bytes_at_saravans_latitude_in_full_index(full_copy):
    g0 = Gazetteer(full_copy)
    row = next(i for i in range(len(g0._curated)) if g0.place(i).id == "saravan")
    off = _lat_offset(full_copy, row)
    overwrite(full_copy / "lat.npy", off, np.float64(0.0).tobytes())  # the 0.00000 N of issue 9
    with pytest.raises(IndexDamagedError, match=r"lat\.npy fails its checksum"):
        Gazetteer(full_copy).resolve("Saravan")


@pytest.mark.slow
def test_full_index_repaired_through_console_script(full_copy, tmp_path):
    """Issue 9 row 2 end to end on the real data: random bytes in lat.npy, then geocode."""
    cache = full_copy.parent
    off = _lat_offset(full_copy, _curated_row("saravan"))
    overwrite(full_copy / "lat.npy", off, random_unlike(full_copy / "lat.npy", off, 8))
    r = cli("geocode", "Saravan", cache=cache)
    assert_saravan(r, notices=1)
    assert "lat.npy" in r.stderr and "rebuilding" in r.stderr
    Gazetteer(full_copy).verify()


# --- progress ------------------------------------------------------------------------------


def _small_paths(tmp_path: Path) -> tuple[Path, Path]:
    gpath = tmp_path / "g.json"
    gpath.write_text(json.dumps({"1": {
        "geonameid": 1, "name": "Alpha", "latitude": 10.0, "longitude": 20.0,
        "countrycode": "PK", "population": 1000, "timezone": "Asia/Karachi",
        "admin1code": "02", "alternatenames": ["Alfa"]}}), encoding="utf-8")  # fmt: skip
    cpath = tmp_path / "c.yaml"
    cpath.write_text("places: []\n", encoding="utf-8")
    return gpath, cpath


def test_first_build_says_one_line_unless_quiet(tmp_path, monkeypatch, capsys):
    gpath, cpath = _small_paths(tmp_path)
    monkeypatch.setenv("BORDERMAP_CACHE_DIR", str(tmp_path / "c1"))
    Gazetteer.load(curated_path=cpath, geonames_path=gpath)
    err = capsys.readouterr().err
    assert err.startswith("bordermap: building the gazetteer index (first run, ~")
    assert err.count("\n") == 1
    Gazetteer.load(curated_path=cpath, geonames_path=gpath)  # cached: silent
    assert capsys.readouterr().err == ""
    cpath.write_text("# edited\nplaces: []\n", encoding="utf-8")
    Gazetteer.load(curated_path=cpath, geonames_path=gpath)
    err = capsys.readouterr().err
    assert err.startswith("bordermap: building the gazetteer index (the data changed, ~")
    assert err.count("\n") == 1
    monkeypatch.setenv("BORDERMAP_CACHE_DIR", str(tmp_path / "c2"))
    gz.set_progress(False)
    try:
        g = Gazetteer.load(curated_path=cpath, geonames_path=gpath)
    finally:
        gz.set_progress(True)
    assert capsys.readouterr().err == "" and g.resolve("Alfa").name == "Alpha"


def test_progress_bar_on_a_terminal(tmp_path, small_geonames):
    """With stderr on a terminal the build shows a rich bar with phases and time left."""
    pty = pytest.importorskip("pty")
    env = dict(os.environ, PYTHONPATH=str(SRC), BORDERMAP_CACHE_DIR=str(tmp_path / "c"),
               BORDERMAP_GEONAMES=str(small_geonames), COLUMNS="100", TERM="xterm")  # fmt: skip
    master, slave = pty.openpty()
    code = "from bordermap.gazetteer import geocode; print(geocode('Saravan').lat)"
    p = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE,
                         stderr=slave, text=True)  # fmt: skip
    os.close(slave)
    chunks = []
    t0 = time.time()
    while time.time() - t0 < 300:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    out, _ = p.communicate(timeout=300)
    os.close(master)
    tty = b"".join(chunks).decode("utf-8", "replace")
    assert p.returncode == 0 and out.strip()
    assert "building the gazetteer index: " in tty  # then the phase, as far as it got
    assert "%" in tty and "\x1b[2K" in tty  # the bar's percentage, redrawn in place
