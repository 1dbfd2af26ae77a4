"""The package layout DESIGN.md describes: data flow one way, no oversized module.

Every module of ``src/bordermap`` belongs to a stage (the table in DESIGN.md,
mirrored in :data:`STAGES`); a module may import only from its own stage or from
earlier ones -- imports inside functions count too.  A name imported through a
package's ``__init__`` counts as an import of the module that defines it
(``from bordermap.io import html_text`` is an import of ``bordermap.io._escape``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "bordermap"

#: Stages in the order data flows; a unit is a top-level module or package of
#: bordermap (``io`` is split: its writers come early, ``io._export`` late).
STAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("infrastructure", ("bordermap", "errors", "_data", "_units", "_yaml", "_settings", "_threads",
                        "geodesy", "_kernels", "_farfield", "_fused", "_outline",
                        "uncertainty")),
    ("writers", ("io._files", "io._escape", "io._columns", "io._geometry", "io._meta",
                 "io._registry", "io._tables", "io._progress", "io._kmlstream", "io.csv",
                 "io.geojson", "io.gpkg", "io.kml",
                 "io.parquet")),
    ("places", ("boundaries", "gazetteer", "frontiers", "frontier_choice")),
    ("incidents", ("incidents", "io._datasets", "io.acled", "io.ucdp", "io._parquet_layer")),
    ("extract", ("extract",)),
    ("spatial core", ("analysis", "scan", "pairs", "corridors", "cluster")),
    ("output", ("maps", "raster", "_assets", "examples", "io._export", "io._stream", "io",
                "export",
                "checks", "charts")),
    ("interface", ("cli", "_cli_runtime", "_cli_text", "_cli_extract", "_cli_scheduler",
                   "_cli_geocode", "_cli_export", "_cli_places", "_cli_analyse", "__main__")),
)  # fmt: skip

#: Modules allowed over MAX_LINES, each with the reason (the issue that splits it).
LINE_EXCEPTIONS: dict[str, str] = {
}
MAX_LINES = 800

STAGE_OF = {unit: i for i, (_, units) in enumerate(STAGES) for unit in units}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _unit(module: str) -> str:
    """The stage-table entry of a dotted module name."""
    parts = module.split(".")
    if len(parts) == 1:
        return "bordermap"
    if parts[1] == "io" and len(parts) > 2:
        return f"io.{parts[2]}"
    return parts[1]


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def _reexports(modules: dict[str, Path]) -> dict[str, dict[str, str]]:
    """For each package: the names its ``__init__`` imports, and from which module."""
    out: dict[str, dict[str, str]] = {}
    for name, path in modules.items():
        if path.name != "__init__.py":
            continue
        table = out.setdefault(name, {})
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    table[alias.asname or alias.name] = node.module
    return out


def _imports(path: Path, modules: dict[str, Path], reexports: dict) -> set[str]:
    """bordermap modules ``path`` imports, anywhere in it, through re-exports resolved."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "bordermap"}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] != "bordermap":
                continue
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                if sub in modules:
                    found.add(sub)
                elif node.module in reexports and alias.name in reexports[node.module]:
                    found.add(reexports[node.module][alias.name])
                else:
                    found.add(node.module)
    return found


def _violations() -> list[str]:
    modules = _modules()
    reexports = _reexports(modules)
    bad = []
    for name, path in modules.items():
        own = _unit(name)
        for target in sorted(_imports(path, modules, reexports)):
            tgt = _unit(target)
            if STAGE_OF[tgt] > STAGE_OF[own]:
                bad.append(
                    f"{name} ({STAGES[STAGE_OF[own]][0]}) imports {target} "
                    f"({STAGES[STAGE_OF[tgt]][0]}), a later stage"
                )
    return bad


def test_every_module_has_a_stage():
    missing = sorted({_unit(m) for m in _modules()} - set(STAGE_OF))
    assert not missing, f"add these to STAGES here and to the table in DESIGN.md: {missing}"


def test_no_module_imports_a_later_stage():
    assert _violations() == []


def test_the_check_finds_an_import_running_back_up(tmp_path, monkeypatch):
    """The checker itself: an infrastructure module importing maps is reported."""
    fake = tmp_path / "bordermap"
    (fake / "maps").mkdir(parents=True)
    (fake / "__init__.py").write_text("")
    (fake / "maps" / "__init__.py").write_text("from bordermap.maps.page import save_map\n")
    (fake / "maps" / "page.py").write_text("def save_map(): ...\n")
    (fake / "geodesy.py").write_text("def f():\n    from bordermap.maps import save_map\n")
    monkeypatch.setitem(globals(), "SRC", fake)
    assert _violations() == [
        "bordermap.geodesy (infrastructure) imports bordermap.maps.page (output), a later stage"
    ]


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: str(p.relative_to(SRC)))
def test_no_module_over_800_lines(path):
    rel = str(path.relative_to(SRC))
    lines = path.read_text(encoding="utf-8").count("\n")
    if rel in LINE_EXCEPTIONS:
        pytest.skip(f"{rel}: {lines} lines, allowed: {LINE_EXCEPTIONS[rel]}")
    assert lines <= MAX_LINES, f"{rel} has {lines} lines (limit {MAX_LINES}): split it"


def test_line_exceptions_are_still_needed():
    """An exception that no longer applies is removed, so the list stays honest."""
    for rel in LINE_EXCEPTIONS:
        path = SRC / rel
        assert path.exists(), f"{rel} no longer exists: drop it from LINE_EXCEPTIONS"
        lines = path.read_text(encoding="utf-8").count("\n")
        assert lines > MAX_LINES, f"{rel} is {lines} lines now: drop it from LINE_EXCEPTIONS"


def test_stage_table_matches_design_md():
    """DESIGN.md lists the stages in this order, each with its modules."""
    design = (SRC.parents[1] / "DESIGN.md").read_text(encoding="utf-8")
    positions = [design.find(f"| {stage} |") for stage, _ in STAGES]
    missing = [s for (s, _), p in zip(STAGES, positions, strict=True) if p < 0]
    assert not missing, f"stages missing from DESIGN.md's table: {missing}"
    assert positions == sorted(positions)
