"""Exporting incident layers: the tables an export holds, and :func:`export_layers`.

An export of layers holds, for every layer, its incidents with the frontier
analysis (table ``<layer>``) and, on request, range rings (``<layer>-rings``);
the casualty figures of every claim as a tidy table (``claims``); and for
every frontier used its segments (``frontier-<name>``) and corridor bands
(``bands-<name>``).  A layer whose name is also the name of a generated table
is refused before any work (its incidents would otherwise be overwritten).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bordermap.errors import ExportError
from bordermap.io._files import check_name_length, check_target, safe_name
from bordermap.io._meta import metadata
from bordermap.io._registry import Format
from bordermap.io._tables import (
    ExportSummary,
    check_one_file,
    export_tables,
    resolve_format,
    single_file,
)

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["claims_table", "export_layers", "layer_tables"]

#: Name of the tidy table of casualty figures.
CLAIMS = "claims"


def _load(layer: Any, input_format: str | None = None) -> Any:
    from bordermap.incidents import Layer, load_layer

    if isinstance(layer, Layer):
        return layer
    p = Path(layer)
    if not p.exists() and not p.suffix and os.sep not in str(layer):
        from bordermap._data import geodata_dir

        candidate = geodata_dir().parent / "layers" / f"{layer}.yaml"
        if candidate.exists():
            p = candidate
    return load_layer(p, format=input_format)


def _streamed(layer: Any, input_format: str | None = None) -> bool:
    """Whether a layer is exported a chunk at a time (CSV and GeoParquet files, and
    streams): not an event dataset (named by ``input_format``, or detected), which is
    read whole."""
    from bordermap.incidents import Layer, LayerStream
    from bordermap.io._datasets import _OWN_FORMATS
    from bordermap.io._parquet_layer import is_parquet

    if isinstance(layer, LayerStream):
        return True
    if isinstance(layer, Layer):
        return False
    if is_parquet(Path(layer)):
        return True
    if Path(layer).suffix.lower() != ".csv":
        return False
    if input_format is None:
        return not _is_dataset(Path(layer))
    return str(input_format).strip().lower() in _OWN_FORMATS


def _is_dataset(path: Path) -> bool:
    """An ACLED or UCDP export (read whole by its own reader), judged from its header."""
    from bordermap.io._datasets import _header, detect_layout

    try:
        with open(path, encoding="utf-8-sig", errors="replace") as fh:
            first = fh.readline(1_000_000)
    except OSError:
        return False
    return detect_layout(_header(first)) is not None


def _bands_arg(value: Any, field: str) -> list[float]:
    from bordermap._units import parse_km_list  # the one km-list rule

    return list(parse_km_list(value, field=field))


def _tables_arg(value: Any) -> list[str] | None:
    if value is None:
        return None
    parts = value.split(",") if isinstance(value, str) else list(value)
    names = [str(p).strip() for p in parts if str(p).strip()]
    if not names:
        raise ExportError("no table named", field="tables", suggestion="e.g. --tables claims")
    return names


def _layer_names(loaded: Sequence[Any], frontier: str | None, rings: bool) -> list[str]:
    """Sanitised, distinct layer names that no generated table can overwrite."""
    names: list[str] = []
    for layer in loaded:
        try:
            name = safe_name(layer.name)
        except ExportError as exc:
            raise ExportError(
                f"layer name {exc.message}",
                path=layer.path,
                field="name",
                suggestion=exc.suggestion,
            ) from None
        if name.casefold() in {n.casefold() for n in names}:
            raise ExportError(
                f"two layers are both named {name!r} (letter case aside)",
                field="name",
                path=layer.path,
                suggestion="give them distinct 'name:' fields",
            )
        names.append(name)
    generated = _generated_names(names, frontier, rings)
    for layer, name in zip(loaded, names, strict=True):
        if name.casefold().startswith(("frontier-", "bands-")):
            raise ExportError(
                f"layer name {name!r} looks like a generated table (frontier-*, bands-*); "
                "its incidents could be lost",
                path=layer.path,
                field="name",
                suggestion="rename the layer (its 'name:' field)",
            )
        clash = next((v for k, v in generated.items() if k.casefold() == name.casefold()), None)
        if clash is not None:
            raise ExportError(
                f"layer name {name!r} is also the name of a generated table ({clash}); "
                "its incidents would be lost",
                path=layer.path,
                field="name",
                suggestion="rename the layer (its 'name:' field)",
            )
    return names


def _frontier_names(frontier: Any) -> list[str]:
    """``--frontier`` as a list of names: one name, several (a list or "a,b"), or none."""
    if frontier is None:
        return []
    items = [frontier] if isinstance(frontier, str) else list(frontier)
    out: list[str] = []
    for item in items:
        out.extend(x.strip() for x in str(item).split(",") if x.strip())
    return out


def _generated_names(names: Sequence[str], frontier: str | None, rings: bool) -> dict[str, str]:
    """Every name a generated table of these layers could get, with what it would hold."""
    from bordermap.frontiers import list_frontiers

    fronts = _frontier_names(frontier) or list(list_frontiers())
    generated = {CLAIMS: "the claims table"}
    for f in fronts:
        generated[f"frontier-{safe_name(f, what='frontier')}"] = f"the {f} frontier's segments"
        generated[f"bands-{safe_name(f, what='frontier')}"] = f"the {f} frontier's bands"
    if rings:
        generated.update({f"{n}-rings": f"the range rings of layer {n!r}" for n in names})
    return generated


def claims_table(layers: Iterable[Any]) -> gpd.GeoDataFrame:
    """Every casualty figure of every claim, one row each (a tidy table, no geometry).

    Columns: ``incident_id``, ``claimant``, ``category`` (``killed``,
    ``injured_police`` ...), ``low``, ``best``, ``high`` (nullable int64),
    ``source_ids`` (the claim's sources, ``;``-separated) and ``layer``.

    Examples
    --------
    >>> import pathlib
    >>> from bordermap.incidents import load_layer
    >>> p = pathlib.Path(__file__).resolve().parents[3] / "layers" / "iran-pakistan-2024.yaml"
    >>> t = claims_table([load_layer(p)])
    >>> t.iloc[0][["incident_id", "claimant", "category"]].tolist(), int(t["best"].iloc[0])
    (['ir-rask-police-attack-2023-12-15', 'IRN', 'killed_police'], 11)
    """
    import geopandas as gpd
    import pandas as pd

    rows: dict[str, list[Any]] = {
        k: [] for k in ("incident_id", "claimant", "category", "low", "best", "high", "source_ids")
    }
    layer_col: list[str] = []
    for layer in layers:
        for inc in layer.incidents:
            for claim in inc.claims:
                ids = ";".join(s.id or s.url or s.title for s in claim.sources)
                for category, figure in claim.casualties:
                    for key, value in (
                        ("incident_id", inc.id),
                        ("claimant", claim.claimant),
                        ("category", category),
                        ("low", figure.low),
                        ("best", figure.best),
                        ("high", figure.high),
                        ("source_ids", ids),
                    ):
                        rows[key].append(value)
                    layer_col.append(layer.name)
    frame = pd.DataFrame(rows).astype({k: object for k in ("incident_id", "claimant")})
    for k in ("low", "best", "high"):
        frame[k] = pd.array(frame[k].tolist(), dtype="Int64")
    frame["layer"] = pd.Series(layer_col, dtype=object)
    return gpd.GeoDataFrame(frame, geometry=[None] * len(frame), crs="EPSG:4326")


def _incident_tables(
    loaded: Sequence[Any], names: Sequence[str], frontier: str | None, boundaries: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Each layer's incidents with the frontier analysis; the frontiers used."""
    tables: dict[str, Any] = {}
    used: dict[str, Any] = {}
    for layer, name in zip(loaded, names, strict=True):
        tables[name] = analysed(layer.to_geodataframe(), frontier, boundaries, used)
        _report_far(tables[name], name)
    return tables, used


def analysed(gdf: Any, frontier: Any, boundaries: Any, used: dict[str, Any]) -> Any:
    """One table of incidents with the frontier analysis (frontiers used are added to ``used``)."""
    import geopandas as gpd
    import pandas as pd

    from bordermap.analysis import analyse, nearest_frontier
    from bordermap.frontiers import get_frontier

    given = _frontier_names(frontier)
    if len(given) == 1:
        if given[0] not in used:
            used[given[0]] = get_frontier(given[0], boundaries)
        f = used[given[0]]
        out = analyse(gdf, frontier=f, boundaries=boundaries)
        out.insert(len(out.columns) - 1, "frontier", f.name)
    elif len(gdf) and (all_f := tuple(get_frontier(g, boundaries) for g in given)
                       if given else _frontiers_of(gdf, boundaries)):
        near = nearest_frontier(gdf, frontiers=list(all_f), boundaries=boundaries)
        pieces = []
        for fname in pd.unique(near["frontier"]):
            f = next(x for x in all_f if x.name == fname)
            used.setdefault(f.name, f)
            sel = (near["frontier"] == fname).to_numpy()
            part = analyse(gdf[sel], frontier=f, boundaries=boundaries)
            part["frontier"] = f.name
            pieces.append(part)
        out = gpd.GeoDataFrame(pd.concat(pieces).sort_index(), crs="EPSG:4326")
    else:
        out = gdf
    out = out.reset_index(drop=True)
    geom = out.geometry.name
    return out[[c for c in out.columns if c != geom] + [geom]]


def _frontiers_of(gdf: Any, boundaries: Any) -> tuple[Any, ...]:
    """The frontiers a layer is about (see :func:`bordermap.frontiers.frontiers_about`)."""
    from bordermap.frontiers import frontiers_about

    codes: set[str] = set()
    for col in ("actor", "target_side", "country"):
        if col in gdf.columns:
            codes.update(str(v) for v in gdf[col].dropna().unique())
    return frontiers_about(gdf.geometry.x.to_numpy(), gdf.geometry.y.to_numpy(), codes,
                           boundaries=boundaries)


def _report_far(out: Any, name: str) -> None:
    """Say which incidents lie farther from their frontier than FAR_FROM_FRONTIER_KM."""
    import logging

    from bordermap.frontiers import FAR_FROM_FRONTIER_KM

    if "distance_km" not in out.columns:
        return
    far = out[out["distance_km"] > FAR_FROM_FRONTIER_KM]
    if far.empty:
        return
    listed = list(dict.fromkeys(str(i) for i in far["id"]))
    ids = ", ".join(listed[:4]) + (f" and {len(listed) - 4} more" if len(listed) > 4 else "")
    logging.getLogger("bordermap").warning(
        "%s: %d of %d points lie more than %g km from the frontier they are measured "
        "against (%s); give --frontier to measure against another",
        name, len(far), len(out), FAR_FROM_FRONTIER_KM, ids,
    )


def _frontier_table(f: Any) -> Any:
    import geopandas as gpd

    return gpd.GeoDataFrame(
        {
            "frontier": [f.name] * len(f.segments),
            "segment": [s.name for s in f.segments],
            "kind": [s.kind for s in f.segments],
            "countries": ["-".join(f.countries)] * len(f.segments),
            "length_km": [float(s.length_km) for s in f.segments],
            "note": [s.note or None for s in f.segments],
        },
        geometry=[s.geometry for s in f.segments],
        crs="EPSG:4326",
    )


def _add(tables: dict[str, Any], name: str, table: Any) -> None:
    if name in tables:  # _layer_names refuses these; never overwrite a table
        raise ExportError(f"two tables would both be named {name!r}", field="name")
    tables[name] = table


def layer_tables(
    layers: Iterable[Any],
    *,
    frontier: str | Sequence[str] | None = None,
    bands_km: Any = (10, 25, 50),
    rings_km: Any = None,
    boundaries: Any = None,
    claims: bool = True,
) -> tuple[dict[str, gpd.GeoDataFrame], dict[str, Any]]:
    """The tables an export writes, and the metadata that goes with them.

    For every layer: its incidents (one row per impact) with the columns of
    :func:`bordermap.analysis.analyse` against ``frontier`` — or, when it is
    None or several, against each point's nearest of the frontiers the layer is
    about (column ``frontier``; see :func:`export_layers`);
    the casualty figures of every claim (:func:`claims_table`, when there are
    any and ``claims`` is true); then for every frontier used: its segments
    (one feature each) and its corridor bands; and, if ``rings_km`` is given,
    range rings around every impact.

    Returns
    -------
    tables : dict of str to GeoDataFrame
        Named ``<layer>``, ``<layer>-rings``, ``claims``, ``frontier-<name>``,
        ``bands-<name>``.
    meta : dict
        :func:`metadata` for them.

    Raises
    ------
    ExportError
        A layer name is unusable, repeated, or the name of a generated table
        (``frontier-iran-pakistan``, ``claims`` ...), checked before any analysis.

    Examples
    --------
    >>> import pathlib
    >>> p = pathlib.Path(__file__).resolve().parents[3] / "layers" / "iran-pakistan-2024.yaml"
    >>> tables, meta = layer_tables([p], bands_km=None)  # the frontiers the layer is about
    >>> list(tables)
    ['iran-pakistan-2024', 'claims', 'frontier-iran-pakistan']
    >>> "signed_distance_km" in tables["iran-pakistan-2024"].columns
    True
    """
    from bordermap.corridors import corridor_bands, range_rings

    loaded = [_load(x) for x in layers]
    if not loaded:
        raise ExportError("no layers given", field="layers")
    bands = _bands_arg(bands_km, "bands_km")
    rings = _bands_arg(rings_km, "rings_km")
    names = _layer_names(loaded, frontier, bool(rings))
    incidents, used = _incident_tables(loaded, names, frontier, boundaries)
    tables: dict[str, Any] = {}
    for name, out in incidents.items():
        tables[name] = out
        if rings and len(out):
            r = range_rings(out.geometry.x.to_numpy(), out.geometry.y.to_numpy(), rings)
            r.insert(1, "id", out["id"].to_numpy()[r["point"].to_numpy()])
            _add(tables, f"{name}-rings", r)
    if claims:
        figures = claims_table(loaded)
        if len(figures):
            _add(tables, CLAIMS, figures)
    for fname, f in used.items():
        _add(tables, f"frontier-{safe_name(fname, what='frontier')}", _frontier_table(f))
    for fname, f in used.items():
        if bands:
            b = corridor_bands(f, bands, boundaries=boundaries)
            b.insert(0, "frontier", f.name)
            b["side"] = b["side"].astype(object)
            _add(tables, f"bands-{safe_name(fname, what='frontier')}", b)
    meta = metadata(layers=loaded, frontiers=list(used.values()), boundaries=boundaries)
    return tables, meta


def _select(tables: dict[str, Any], wanted: list[str] | None, default: list[str]) -> dict:
    keep = default if wanted is None else wanted
    unknown = [w for w in keep if w not in tables]
    if unknown:
        raise ExportError(
            f"no table named {unknown[0]!r} in this export",
            field="tables",
            suggestion="choose from: " + ", ".join(tables),
        )
    return {k: tables[k] for k in keep}


def export_layers(
    layers: Iterable[Any],
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    frontier: str | Sequence[str] | None = None,
    bands_km: Any = (10, 25, 50),
    rings_km: Any = None,
    boundaries: Any = None,
    tables: str | Iterable[str] | None = None,
    input_format: str | None = None,
) -> ExportSummary:
    """Export incident layers with their frontier analysis, claims, frontiers, bands and rings.

    Parameters
    ----------
    layers : iterable of path, layer name or Layer
        Incident layers (see :func:`bordermap.incidents.load_layer`); a bare
        name such as ``"iran-pakistan-2024"`` is looked up in ``layers/``.
    path : path
        Output file (gpkg, kml; or one ``.geojson``/``.csv`` file) or folder
        (geojson, csv: one file per table); see :func:`export_tables`.
    format : {"geojson", "gpkg", "kml", "csv"}, optional
        Default: from the extension of ``path``.
    frontier : str or sequence of str, optional
        Frontier(s) to analyse against (names, ISO-3 pairs, "thailand-cambodia");
        with several, each point is measured against the nearest.  Default: the
        frontiers the layer is about (:func:`bordermap.frontiers.frontiers_about`:
        its countries and their neighbours, never a frontier a continent away);
        points more than ``FAR_FROM_FRONTIER_KM`` from theirs are reported as a
        warning on the ``bordermap`` logger.
    bands_km : sequence of float or "10,25,50", optional
        Corridor band edges along each frontier used (None: no bands).
    rings_km : sequence of float, optional
        Range-ring radii around every impact (None: no rings).
    boundaries : optional
        Country boundary file (embedded Natural Earth by default).
    tables : sequence of str or "a,b", optional
        Only these tables (see :func:`layer_tables` for their names).  By
        default every table, except that a single ``.geojson`` or ``.csv``
        file gets the incidents only: for GeoJSON one FeatureCollection (of
        every table named), for CSV exactly one table.
    input_format : {"acled", "ucdp", "layer"}, optional
        The layout of every layer file, as ``format=`` of
        :func:`~bordermap.incidents.load_layer` (default: detected).

    Returns
    -------
    ExportSummary

    Notes
    -----
    CSV layers (and :class:`~bordermap.incidents.LayerStream` s from
    :func:`~bordermap.incidents.iter_layer`) are exported a chunk of 50,000
    incidents at a time: read, validated, analysed and appended to the output,
    so that memory stays flat (about 0.5 GB) whatever the number of rows, up to
    :data:`~bordermap.incidents.MAX_INCIDENTS`.  The output is the same as for
    the layer loaded whole (in GeoJSON the ``bbox`` and ``bordermap`` members
    come after the features); it is renamed into place only once the whole
    layer was read and found valid.  On a terminal, a progress bar is shown on
    stderr (see :func:`bordermap.io.set_progress`).

    Raises
    ------
    ExportError
        Before any work if the output cannot take the tables asked for (two
        tables for one CSV file), if a name is too long for the file system,
        or if a layer's name is that of a generated table.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(__file__).resolve().parents[3] / "layers" / "iran-pakistan-2024.yaml"
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "ip.gpkg"
    >>> s = export_layers([p], out, frontier="iran-pakistan", bands_km=[10])
    >>> [name for name, _ in s.tables]
    ['iran-pakistan-2024', 'claims', 'frontier-iran-pakistan', 'bands-iran-pakistan']
    """
    target = Path(path)
    fmt = resolve_format(target, format)
    wanted = _tables_arg(tables)
    layers = list(layers)
    if not layers:
        raise ExportError("no layers given", field="layers")
    one_file = single_file(fmt, target)
    stems = [str(getattr(x, "name", None) or Path(x).stem) for x in layers]  # not read yet
    _check_output(fmt, target, wanted or stems)
    if any(_streamed(x, input_format) for x in layers) and fmt.stream is not None:
        from bordermap.io._stream import stream_export

        return stream_export(
            layers,
            target,
            fmt,
            wanted,
            frontier=frontier,
            bands_km=bands_km,
            rings_km=rings_km,
            boundaries=boundaries,
            input_format=input_format,
        )
    loaded = [_load(x, input_format) for x in layers]
    rings = _bands_arg(rings_km, "rings_km")
    names = _layer_names(loaded, frontier, bool(rings))
    if not one_file:  # every file name must fit before the analysis runs
        longest = max(names, key=lambda n: len(os.fsencode(n)))
        for file_name in fmt.file_names(longest + ("-rings" if rings else "")):
            check_name_length(target / file_name)
    if wanted is not None:  # unknown names fail now; compute only what was asked for
        possible = [*names, *_generated_names(names, frontier, bool(rings))]
        _select(dict.fromkeys(possible), wanted, [])
        bands_km = bands_km if any(w.startswith("bands-") for w in wanted) else None
        rings_km = rings_km if any(w.endswith("-rings") for w in wanted) else None
    all_tables, meta = layer_tables(
        loaded, frontier=frontier, bands_km=bands_km, rings_km=rings_km, boundaries=boundaries
    )
    default = names if one_file and not fmt.multi_table else list(all_tables)
    return export_tables(_select(all_tables, wanted, default), target, format=fmt.name, meta=meta)


def _check_output(fmt: Format, target: Path, first_tables: list[str]) -> None:
    """Checks of the output that need no data: run before any layer is read."""
    if single_file(fmt, target):
        # a one-table file gets the incidents (one table per layer) unless tables were named
        check_one_file(fmt, target, first_tables)
        check_target(target)
    elif target.exists() and not target.is_dir():
        raise ExportError("the output path is a file, not a folder", path=str(target))
    else:
        check_name_length(target)
