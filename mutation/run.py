"""Mutation testing of the modules that decide correctness (mutmut 2, one command).

Usage, from the repository root (not run in CI; minutes to hours on a small machine)::

    pip install -e ".[mutation]"
    nice -n 19 python mutation/run.py                 # every target, 25 min cap each
    nice -n 19 python mutation/run.py geodesy dates   # some targets
    python mutation/run.py --report-only              # rewrite docs/mutation.md from results

Targets have separate work directories, so on a machine with cores to spare run them
side by side (one process each: mutmut 2 runs one mutant at a time), e.g.::

    for t in geodesy kernels-math kernels-index; do
        nice -n 19 python mutation/run.py $t --max-minutes 85 > /tmp/mut-$t.log 2>&1 &
    done; wait; python mutation/run.py --report-only

Each target is mutated in a scratch copy of the repository (``src``, ``tests``,
``geodata``, ``layers``, ``pyproject.toml``) under ``$BORDERMAP_MUTATION_DIR``
(default ``~/.cache/bordermap-mutation/<target>``), so the working tree is never
touched; results stay in that copy's ``.mutmut-cache`` and a later run resumes them.
Only the named functions of a target are mutated (a patch file listing their lines,
mutmut's ``--use-patch-file``), and each mutant runs only the test files that
cover the target.  The report, with the score per target and every surviving
mutant's diff, is written to ``docs/mutation.md``.

Each mutant's tests run through ``mutation/pytest_runner.py`` (any failing ending is
exit 1, which is all mutmut 2 counts as killed; memory capped at 4 GB).  Survivors'
reasons live in ``mutation/explained.py``; ``mutation/last-run-notes.md``, when present,
is copied into the report.

Do not run ``mutmut`` commands (``show``, ``results``) in a work directory while a run
is in progress there: they re-read the source, which is mutated at that moment, and
corrupt the cache.
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from explained import EXPLAINED  # mutation/explained.py (this directory is on sys.path)
from explained_2611 import REASONS  # survivors re-examined on 2026-11-28
from explained_more import MORE  # reasons added on the mutation2 branch

EXPLAINED = {**EXPLAINED, **MORE, **REASONS}

ROOT = Path(__file__).resolve().parents[1]
#: Mutations not made: the wording of messages (strings, f-strings; their content is
#: checked by the error-message tests, not by these correctness targets) and removing
#: decorators (``numba.njit`` off gives the same answers, only slower).
DISABLED = ("string", "fstring", "decorator")
REPORT = ROOT / "docs" / "mutation.md"
COPY = ("src", "tests", "geodata", "layers", "pyproject.toml")


@dataclass(frozen=True)
class Target:
    """What to mutate and which tests judge it.

    ``modules`` (files under src/bordermap) are mutated whole; ``names`` (top-level
    functions, classes or constants) are found in whichever files define them.  ``tests``
    are test files or node ids, run in that order with ``-x`` (put the fastest killers
    first).  ``disabled`` are mutmut's mutation types left out.
    """

    name: str
    modules: tuple[str, ...]
    tests: tuple[str, ...]
    names: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    note: str = ""
    disabled: tuple[str, ...] = DISABLED
    where: str = ""  # look for ``names`` only in this file (under src/bordermap)
    part_of: str = ""  # reported together with the other parts of this name

    @property
    def group(self) -> str:
        return self.part_of or self.name


#: The numba kernels run uncompiled (NUMBA_DISABLE_JIT=1): compiled, every mutant
#: recompiles them (about 20 s of CPU); uncompiled, ``tests/test_kernels.py`` (small
#: inputs, independent oracles) takes about 3 s.  Split in two so that two cores can
#: share the 1,170 mutants.
_NOJIT = {"NUMBA_DISABLE_JIT": "1"}
_KERNEL_MATH = (
    "A_M",
    "F",
    "B_M",
    "E2",
    "CHORD_SLACK",
    "CHORD_SLACK_M",
    "LEAF_SIZE",
    "MAX_CELL_LIST",
    "SERIES_LIMIT_M",
    "_ecef",
    "_geodetic",
    "ecef_many",
    "_series_distance",
)
_KERNEL_EVAL = ("_evaluate", "_side", "nearest_on_polyline")
_KERNEL_INDEX = (
    "segment_table",
    "build_tree",
    "_box_d2",
    "_foot",
    "_limit2",
    "_add_candidate",
    "_search",
    "_tree_within_sorted",
    "build_cells",
    "_search_cell",
)
_KERNEL_FAR = ("REFINE", "_within", "segments_within", "sides_many")
_MAPS = "tests/test_maps.py::"
_ANALYSIS = "tests/test_analysis.py::"
_EXPORT = "tests/test_export.py::"

TARGETS = (
    Target(
        "geodesy",
        ("geodesy.py",),
        ("tests/test_mutants.py", "tests/test_kernels.py", "tests/test_geodesy.py"),
        note="in two parts run side by side: the whole module (geodesy) and, from "
        "_line_parts on, geodesy-tail",
    ),
    Target(
        "geodesy-tail",
        (),
        (
            "tests/test_mutants.py",
            "tests/test_kernels.py",
            "src/bordermap/geodesy.py",
            "tests/test_geodesy.py",
        ),
        names=("_line_parts", "densify", "_cell_grid", "_without_zero_pieces", "PolylineIndex",
               "SwapHint", "swap_hint"),
        where="geodesy.py",
        part_of="geodesy",
    ),
    Target(
        "kernels-math",
        (),
        ("tests/test_kernels.py",),
        names=_KERNEL_MATH,
        where="_kernels.py",
        env=_NOJIT,
        part_of="kernels",
        note="_kernels.py, run uncompiled (NUMBA_DISABLE_JIT=1) in three parts: constants, "
        "conversions and the chord series (kernels-math); the evaluation of "
        "candidates, the side and the driver loop (kernels-eval); the segment table, "
        "bounding-box tree, candidate search and cell grid (kernels-index); the far-field "
        "flag, gathering and sides (kernels-far)",
    ),
    Target(
        "kernels-eval",
        (),
        ("tests/test_kernels.py",),
        names=_KERNEL_EVAL,
        where="_kernels.py",
        env=_NOJIT,
        part_of="kernels",
    ),
    Target(
        "kernels-index",
        (),
        ("tests/test_kernels.py",),
        names=_KERNEL_INDEX,
        where="_kernels.py",
        env=_NOJIT,
        part_of="kernels",
    ),
    Target(
        "kernels-far",
        (),
        ("tests/test_kernels.py",),
        names=_KERNEL_FAR,
        where="_kernels.py",
        env=_NOJIT,
        part_of="kernels",
    ),
    Target(
        "farfield",
        ("_farfield.py",),
        (
            "tests/test_kernels.py",
            "tests/test_geodesy.py::test_the_chord_limit_bounds_every_chord_and_is_tight",
            "tests/test_geodesy.py::test_the_far_field_defect_point_145e_14s_is_exact",
            "tests/test_geodesy.py::test_within_a_degree_of_the_antipodes_of_vertices_and_edges",
        ),
        note="the exact far-field search (Python and pyproj; the kernels it calls compiled "
        "once and cached, as _kernels.py is not mutated here)",
    ),
    Target(
        "analysis",
        ("analysis.py",),
        (
            "tests/test_mutants_analysis.py",
            _ANALYSIS + "test_a_boundary_table_from_load_countries_is_accepted",
        ),
        note="tests/test_mutants_analysis.py (a synthetic equator frontier; about 4 s of "
        "CPU) and the module's doctests (real frontiers); the real-frontier tests of "
        "test_analysis.py and test_sides.py are left to the full suite, so that a "
        "surviving mutant costs seconds, not minutes",
    ),
    Target(
        "dates",
        (),
        ("tests/test_dates.py", "tests/test_mutants.py"),
        names=("DateSpec", "_parse_bound", "parse_date", "_date_text"),
    ),
    Target(
        "geojson",
        ("io/geojson.py", "io/_geometry.py"),
        (
            "tests/test_mutants_geojson.py",
            *(
                _EXPORT + t
                for t in (
                    "test_geojson_round_trip_values_and_precision",
                    "test_split_antimeridian_line_and_range_ring",
                    "test_geojson_bbox_of_wrapped_points",
                    "test_geojson_full_int64_range_in_the_file",
                    "test_geojson_empty_and_null_geometry",
                    "test_geojson_reprojects_and_requires_crs",
                    "test_metadata_member",
                    "test_bands_go_through_the_rfc7946_writer",
                    "test_inf_is_refused_naming_row_column_and_id",
                    "test_naive_and_submillisecond_datetimes_are_refused",
                    "test_unexportable_values",
                    "test_bad_point_coordinates",
                    "test_failed_export_leaves_previous_file_and_no_temp",
                    "test_dates_outside_the_nanosecond_range_export",
                    "test_any_datespec_exports",
                    "test_geojson_passes_geojson_validator_and_orientation",
                )
            ),
        ),
        note="tests/test_mutants_geojson.py (tiny tables re-read with json; about 4 s) "
        "first, then the fast GeoJSON tests of test_export.py; the slow ones (whole "
        "layers exported, corridor bands, the hypothesis property test) are left to the "
        "full suite",
    ),
    Target(
        "map-escaping",
        ("io/_escape.py",),
        (
            "tests/test_escaping.py",
            _MAPS + "test_js_json_round_trips_and_cannot_close_script",
            _MAPS + "test_a_non_http_url_is_rendered_inert_even_if_it_bypasses_the_loader",
            _MAPS + "test_hostile_text_never_appears_raw_in_the_html",
            _MAPS + "test_jinja_in_data_is_not_evaluated_at_build_time",
            _MAPS + "test_saved_maps_carry_a_hash_based_content_security_policy",
            _EXPORT + "test_kml_metadata_is_escaped_xml",
            _EXPORT + "test_kml_refuses_control_characters_naming_the_row",
            _EXPORT + "test_csv_cells_that_spreadsheets_would_run_are_neutralised",
        ),
        names=("js_json", "_JS_ESCAPES", "_JINJA_OPEN", "_control_name", "_with_csp",
               "_SCRIPT_RE", "_source_row", "_claim_json"),
        note="io/_escape.py whole, and the Python that puts analyst text into the page "
        "(js_json, _control_name, _with_csp, _source_row, _claim_json); string "
        "mutations included here.  The escaping that runs in the page is JavaScript "
        "(assets/bordermap.js), which mutmut does not mutate: test_browser.py covers it",
        disabled=("decorator",),
    ),
)  # fmt: skip


def _mutated_line(diff: str) -> str:
    for line in diff.splitlines():
        if line.startswith("+") and not line.startswith("+++"):
            return line[1:].strip()
    return ""


def _defined_in(path: Path, names: tuple[str, ...]) -> list[tuple[int, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    spans = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name in names:
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            spans.append((first, node.end_lineno or node.lineno))
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id in names for t in targets):
                spans.append((node.lineno, node.end_lineno or node.lineno))
    return spans


def locate(target: Target, src: Path) -> list[tuple[Path, list[tuple[int, int]]]]:
    """Each file to mutate with the line spans mutated in it (a whole module: all lines)."""
    pkg = src / "bordermap"
    out = []
    for module in target.modules:
        path = pkg / module
        n = len(path.read_text(encoding="utf-8").splitlines())
        out.append((path, [(1, n)]))
    if target.names:
        found = []
        files = [pkg / target.where] if target.where else sorted(pkg.rglob("*.py"))
        for path in files:
            if any(path == p for p, _ in out):
                continue
            spans = _defined_in(path, target.names)
            if spans:
                out.append((path, spans))
                found.extend(spans)
        if not found:
            raise SystemExit(f"mutation: no file under {pkg} defines {', '.join(target.names)}")
    return out


def _patch(rel: str, path: Path, spans: list[tuple[int, int]]) -> str:
    lines = path.read_text(encoding="utf-8").splitlines()
    # each file opens with a git header: without it whatthepatch (mutmut's patch reader)
    # reads only the first file of a multi-file patch
    out = [f"diff --git {rel} {rel}", f"--- {rel}", f"+++ {rel}"]
    for a, b in spans:
        out.append(f"@@ -0,0 +{a},{b - a + 1} @@")
        out.extend("+" + line for line in lines[a - 1 : b])
    return "\n".join(out) + "\n"


def workdir(target: Target) -> Path:
    base = Path(os.environ.get("BORDERMAP_MUTATION_DIR", "~/.cache/bordermap-mutation"))
    return base.expanduser() / target.name


def prepare(target: Target) -> tuple[Path, list[str], Path]:
    """Fresh copy of the sources in the target's work dir (its mutmut cache is kept)."""
    work = workdir(target)
    work.mkdir(parents=True, exist_ok=True)
    for name in COPY:
        dst = work / name
        if dst.is_dir():
            shutil.rmtree(dst)
        elif dst.exists():
            dst.unlink()
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(src, dst)
    rels, text = [], ""
    for path, spans in locate(target, work / "src"):
        rel = str(path.relative_to(work))
        rels.append(rel)
        text += _patch(rel, path, spans)
    patch = work / "mutation.patch"
    patch.write_text(text, encoding="utf-8")
    return work, rels, patch


def run(target: Target, max_minutes: float) -> None:
    work, rels, patch = prepare(target)
    tests = " ".join(target.tests)
    whole = [f"src/bordermap/{m}" for m in target.modules]
    doctest = "".join(f" {m}" for m in whole)  # the doctests of whole modules judge too
    wrapper = ROOT / "mutation" / "pytest_runner.py"  # any failure or crash: exit 1
    runner = f"{sys.executable} {wrapper} -x -q -p no:cacheprovider {tests}{doctest}"
    cmd = [
        sys.executable, "-m", "mutmut", "run",
        "--paths-to-mutate", ",".join(rels),
        "--tests-dir", "tests",
        "--runner", runner,
        "--simple-output", "--no-progress",
        "--use-patch-file", str(patch),
    ]  # fmt: skip
    if target.disabled:
        cmd += ["--disable-mutation-types", ",".join(target.disabled)]
    env = {**os.environ, "PYTHONPATH": str(work / "src"), **target.env}
    env["NUMBA_CACHE_DIR"] = str(work / ".numba-cache")
    # pytest's plugins (hypothesis' among them: @given works without it) cost a second
    # of CPU per mutant; none is needed to judge a mutant
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    print(f"mutation: {target.name}: mutating {', '.join(rels)} in {work} "
          f"(cap {max_minutes:g} min)")  # fmt: skip
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=work, env=env, start_new_session=True)
    interrupted = False
    try:
        proc.wait(timeout=max_minutes * 60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait()
        print(f"mutation: {target.name}: stopped at the {max_minutes:g}-minute cap")
    except KeyboardInterrupt:  # mutmut runs in its own session: Ctrl-C does not reach it
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait()
        interrupted = True
    # a run stopped at the cap leaves its last mutant in place: put the source back
    # before anything (mutmut show) reads it
    shutil.rmtree(work / "src")
    shutil.copytree(ROOT / "src", work / "src", ignore=shutil.ignore_patterns("__pycache__"))
    (work / "last-run.txt").write_text(
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"{(time.monotonic() - t0) / 60:.1f} min\n",
        encoding="utf-8",
    )
    if interrupted:
        raise KeyboardInterrupt


def _diff(target: Target, filename: str, line_no: int, line: str, index: int) -> str:
    """The mutant's diff, made from the working tree's source (safe during a run)."""
    import difflib

    import mutmut
    from mutmut.__main__ import mutations_by_type

    class _Config:  # what mutmut's Context reads of its config
        mutation_types_to_apply = set(mutations_by_type) - set(target.disabled)
        covered_lines_by_filename = None
        coverage_data = None

    source = (ROOT / filename).read_text(encoding="utf-8")
    mid = mutmut.RelativeMutationID(line, index, line_no, filename=filename)
    ctx = mutmut.Context(source=source, mutation_id=mid, filename=filename)
    ctx.config = _Config()
    mutated, _n = mutmut.mutate(ctx)
    lines = difflib.unified_diff(
        source.splitlines(), mutated.splitlines(), f"{filename}", f"{filename}", n=2, lineterm=""
    )
    return "\n".join(lines)


def results(target: Target) -> dict | None:
    """Status of each mutant of the current source, keyed by (file, line number, line, index).

    The cache keeps mutants of lines since changed or deleted; only those whose line
    still reads the same, inside the target's spans, are kept.
    """
    work = workdir(target)
    db = work / ".mutmut-cache"
    if not db.exists():
        return None
    current = {}
    for path, spans in locate(target, ROOT / "src"):
        text = path.read_text(encoding="utf-8").splitlines()
        rel = str(path.relative_to(ROOT))
        current[rel] = (text, {n for a, b in spans for n in range(a, b + 1)})
    con = sqlite3.connect(db)
    rows = con.execute(
        'SELECT m.id, m.status, l.line_number, l.line, s.filename, m."index" FROM mutant m '
        "JOIN line l ON m.line = l.id JOIN sourcefile s ON l.sourcefile = s.id"
    ).fetchall()
    con.close()
    out = {}
    for mid, status, line_no, line, filename, index in rows:
        text, lines = current.get(filename, ([], set()))
        if line_no + 1 not in lines or text[line_no] != line:
            continue  # a mutant of an older version of the source
        out[(filename, line_no, line, index)] = (status, f"{target.name}#{mid}")
    last = work / "last-run.txt"
    return {"rows": out, "last": last.read_text().strip() if last.exists() else ""}


_RANK = {"ok_killed": 3, "ok_suspicious": 3, "bad_survived": 2, "bad_timeout": 2}


def merged(parts: list[Target]) -> dict | None:
    """The results of a target's parts together (a mutant tested by any part counts)."""
    rows: dict = {}
    last = []
    for t in parts:
        r = results(t)
        if r is None:
            continue
        if r["last"]:
            last.append(f"{t.name}: {r['last']}")
        for key, (status, mid) in r["rows"].items():
            if key not in rows or _RANK.get(status, 0) > _RANK.get(rows[key][0], 0):
                rows[key] = (status, mid)
    if not rows:
        return None
    counts: dict[str, int] = {}
    survivors = []
    for key in sorted(rows):
        status, mid = rows[key]
        counts[status] = counts.get(status, 0) + 1
        if status in ("bad_survived", "bad_timeout"):
            filename, line_no, line, index = key
            diff = _diff(parts[0], filename, line_no, line, index)
            survivors.append((mid, status, filename, line_no + 1, line.strip(), diff))
    return {"counts": counts, "survivors": survivors, "last": "; ".join(last)}


SEEDED = """
## Bugs seeded by hand (issue 15), in a scratch copy

| bug | caught by |
|---|---|
| kernel flattening 1/298.26 (not 1/298.257223563) | 12 tests in `test_geodesy.py` |
| chord series without its x⁴ term | 6 tests in `test_geodesy.py` |
| strike-arc tooltip set from a string (HTML) | `test_browser.py`, schema-generated test |
| popup "Location note" inserted as HTML | `test_browser.py`, schema-generated test |
| `2017-06/2017-08` ending 2017-08-02 | 10 tests in `test_dates.py` |
"""


def report(targets: tuple[Target, ...]) -> str:
    out = [
        "# Mutation testing",
        "",
        "Written by `python mutation/run.py` (mutmut 2; see that file's docstring).",
        "A mutant is *killed* when the target's tests fail on it; a *timeout* (the tests",
        "never finish: a hang that cannot go unnoticed) counts as killed, as in PIT and",
        "Stryker.  Untested mutants were not reached before the time cap.  *score* is",
        "killed (timeouts included) over tested; *equivalent* counts the survivors shown",
        "below to behave as the original (no test can kill them), and *score w/o eq.* leaves",
        "them out; *unexplained* counts the survivors with no reason given (each wants a test).",
        "",
        "| target | tests | mutants | killed | timeout | survived | equivalent | unexplained "
        "| untested | score | score w/o eq. |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    details = []
    groups: dict[str, list[Target]] = {}
    for t in targets:
        groups.setdefault(t.group, []).append(t)
    for name, parts in groups.items():
        r = merged(parts)
        files = dict.fromkeys(x.split("::")[0] for t in parts for x in t.tests)
        some = {x.split("::")[0] for t in parts for x in t.tests if "::" in x}
        tests = ", ".join(f"`{f}`" + (" (some)" if f in some else "") for f in files)
        notes = " ".join(f"{t.note}." for t in parts if t.note)
        if r is None or not r["counts"]:
            out.append(f"| {name} | {tests} | not run | | | | | | | | |")
            details.append(f"\n## {name} (not run)\n" + (f"\nNote: {notes}\n" if notes else ""))
            continue
        c = r["counts"]
        killed = c.get("ok_killed", 0) + c.get("ok_suspicious", 0)
        surv = c.get("bad_survived", 0)
        tmo = c.get("bad_timeout", 0)
        untested = c.get("untested", 0) + c.get("skipped", 0)
        done = killed + surv + tmo
        score = f"{100 * (killed + tmo) / done:.1f} %" if done else "–"
        whys = [
            EXPLAINED.get((name, _mutated_line(diff)))
            for _mid, status, *_rest, diff in r["survivors"]
            if status == "bad_survived"
        ]
        unexplained = sum(1 for w in whys if w is None)
        equivalent = sum(1 for w in whys if w and w.startswith("equivalent"))
        rest = done - equivalent
        score_ne = f"{100 * (killed + tmo) / rest:.1f} %" if rest else "–"
        out.append(
            f"| {name} | {tests} | {sum(c.values())} | {killed} | {tmo} | {surv} "
            f"| {equivalent} | {unexplained} | {untested} | {score} | {score_ne} |"
        )
        details.append(f"\n## {name}\n")
        if len(parts) > 1:
            details.append("Run in parts: " + ", ".join(f"`{t.name}`" for t in parts) + ".\n")
        if notes:
            details.append(f"Note: {notes}\n")
        if r["last"]:
            details.append(f"Last run: {r['last']}.\n")
        if not r["survivors"]:
            details.append("No surviving mutants.\n")
        for mid, status, filename, line_no, line, diff in r["survivors"]:
            details.append(f"### mutant {mid} ({status}), {filename}:{line_no}\n")
            details.append(f"```diff\n{diff or line}\n```\n")
            why = EXPLAINED.get((name, _mutated_line(diff)))
            if why:
                details.append(f"Explained: {why}.\n")
    notes = ROOT / "mutation" / "last-run-notes.md"  # what the person who ran it saw
    extra = "\n" + notes.read_text(encoding="utf-8") if notes.exists() else ""
    return "\n".join(out) + "\n" + extra + SEEDED + "\n".join(details)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("targets", nargs="*", help="target names (default: all)")
    p.add_argument("--max-minutes", type=float, default=25.0, help="cap per target")
    p.add_argument("--report-only", action="store_true", help="only rewrite the report")
    a = p.parse_args(argv)
    known = {t.name: t for t in TARGETS}
    bad = [n for n in a.targets if n not in known]
    if bad:
        p.error(f"unknown target {bad[0]!r}; choose from {', '.join(known)}")
    if not a.max_minutes > 0:
        p.error(f"--max-minutes must be a positive number of minutes, not {a.max_minutes:g}")
    if importlib.util.find_spec("mutmut") is None:
        print("mutation: mutmut is not installed (pip install -e '.[mutation]')", file=sys.stderr)
        return 1
    chosen = tuple(known[n] for n in a.targets) or TARGETS
    if not a.report_only:
        try:
            for t in chosen:
                run(t, a.max_minutes)
        except KeyboardInterrupt:
            print("mutation: interrupted; the results so far are kept in each target's "
                  "cache (python mutation/run.py --report-only writes them)", file=sys.stderr)
            return 130
    if not any((workdir(t) / ".mutmut-cache").exists() for t in TARGETS):
        # a fresh clone has no results: keep the committed report rather than blank it
        base = workdir(TARGETS[0]).parent
        print(f"mutation: no results under {base} (run a target first, or set "
              f"BORDERMAP_MUTATION_DIR); {REPORT.relative_to(ROOT)} left as it is",
              file=sys.stderr)  # fmt: skip
        return 1
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(report(TARGETS), encoding="utf-8")
    print(f"mutation: wrote {REPORT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
