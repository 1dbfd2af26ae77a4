"""The spatial core on partitioned data: dask-geopandas and dask distributed clusters.

:func:`bordermap.analysis.distance_to_frontier`, :func:`~bordermap.analysis.side_of`,
:func:`~bordermap.analysis.analyse` and :func:`~bordermap.analysis.band_counts`
accept a :class:`dask_geopandas.GeoDataFrame` and hand it to this module, which
maps the single-process function over the partitions (``map_partitions`` with
the exact ``meta`` the function produces) and returns a lazy result: a dask
(Geo)DataFrame or Series, and a :class:`dask.delayed.Delayed` for the band table
(a sum over partitions).  Nothing is computed until ``.compute()``; dask does
the scheduling, on threads, processes or any ``distributed`` cluster.

Every point is computed on its own by the same code, so a partitioned result is
identical, row for row, to the single-process one (``tests/test_cluster.py``
compares them on a two-worker ``LocalCluster``).  Inside a partition the
compiled kernels use one thread per dask worker thread: the cluster's threads
are the parallelism (``BORDERMAP_THREADS`` overrides).

The command line's ``--scheduler tcp://HOST:PORT`` (or ``local``) makes
:func:`scheduler` connect a :class:`distributed.Client` before anything is
read or written; while it is open, :func:`~bordermap.analysis.analyse` on an
ordinary table partitions it (one partition per worker thread) and runs it on
the cluster.  The workers need bordermap installed (same version).

dask, distributed and dask-geopandas are imported on first use only.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from bordermap.errors import BordermapError

__all__ = ["CONNECT_TIMEOUT_S", "analyse", "band_counts", "distance_to_frontier",
           "frontier_scan", "is_address", "is_dask", "routes", "scheduler", "side_of",
           "to_dask"]

#: Seconds to wait for a scheduler to answer before giving up with one line.
CONNECT_TIMEOUT_S = 3.0
_ADDRESS = re.compile(r"^(tcp|tls|ws|wss)://\[?[A-Za-z0-9_.:-]+\]?:\d{1,5}/?$")
_DISTANCE_COLUMNS = ("distance_km", "nearest_lon", "nearest_lat", "azimuth_deg", "segment",
                     "segment_kind", "line_side", "min_distance_km", "max_distance_km")
_PRECISION, _AREA = "__bordermap_precision_m", "__bordermap_area"

_client: Any = None  # the Client opened by scheduler(), if any
_inside = threading.local()  # set while a partition runs in this thread: never re-route


def is_dask(obj: Any) -> bool:
    """Whether ``obj`` is a dask collection (checked without importing dask)."""
    return type(obj).__module__.split(".")[0] in ("dask", "dask_geopandas", "dask_expr")


def is_address(text: str) -> bool:
    """Whether ``text`` reads as a scheduler address (``tcp://HOST:PORT``, also tls/ws/wss).

    >>> is_address("tcp://10.0.0.5:8786"), is_address("10.0.0.5:8786"), is_address("tcp://h")
    (True, False, False)
    """
    return bool(_ADDRESS.match(text))


def routes(points: Any, *, tables: bool = False) -> bool:
    """Whether the spatial core should send ``points`` here.

    Always for a dask collection; with ``tables=True`` (``analyse``) also any
    input while a :func:`scheduler` is open, except inside a partition.
    """
    if getattr(_inside, "on", False):
        return False
    return is_dask(points) or (tables and _client is not None)


def to_dask(gdf: Any, npartitions: int | None = None) -> Any:
    """A GeoDataFrame as a :class:`dask_geopandas.GeoDataFrame` (default: one partition
    per worker thread of the open scheduler, else per core)."""
    import dask_geopandas

    from bordermap._threads import max_threads

    if npartitions is None:
        npartitions = _worker_threads() if _client is not None else max_threads()
    import dask

    n = max(1, min(npartitions, len(gdf) or 1))
    with dask.config.set({"dataframe.convert-string": False}):  # text stays text, as given
        return dask_geopandas.from_geopandas(gdf, npartitions=n, sort=False)  # rows in order


def _worker_threads() -> int:
    info = _client.scheduler_info(n_workers=-1)
    return max(1, sum(w.get("nthreads", 1) for w in info.get("workers", {}).values()))


@contextmanager
def _partition() -> Iterator[None]:
    """Run one partition: no re-routing, and one kernel thread per dask thread."""
    from bordermap._threads import ENV_VAR, threads_here

    before = getattr(_inside, "on", False)
    _inside.on = True
    try:
        with threads_here(None if os.environ.get(ENV_VAR, "").strip() else 1):
            yield
    finally:
        _inside.on = before


def _check_dask_input(points: Any, **arrays: Any) -> None:
    if not hasattr(points, "map_partitions") or not hasattr(points, "geometry"):
        raise BordermapError(
            f"a dask {type(points).__name__} is not a table of points",
            suggestion="pass a dask_geopandas.GeoDataFrame or GeoSeries",
        )
    for name, value in arrays.items():
        if value is not None and not isinstance(value, str) and np.ndim(value) > 0:
            raise BordermapError(
                f"{name} cannot be an array with partitioned points", field=name,
                suggestion=f"give the name of a column holding it ({name}='column')",
            )


def _meta_of(func: Any, points: Any, **kw: Any) -> Any:
    """What ``func`` returns for a partition, without rows: dask's ``meta``.

    An empty partition gives the columns; text columns the function adds hold
    only strings, which pandas stores with its string dtype once there are rows
    (empty object arrays stay ``object``), so those get the dtype rows would give.
    """
    import pandas as pd

    with _partition():
        meta = func(points._meta, **kw)
    probe = pd.DataFrame(index=[0])
    probe["text"] = np.array(["text"], dtype=object)
    given = set(getattr(points._meta, "columns", ()))
    for c in getattr(meta, "columns", ()):  # a Series (side_of) says its own dtype
        if c not in given and meta[c].dtype == object:
            meta[c] = meta[c].astype(probe["text"].dtype)
    return meta


# --- distance, side ------------------------------------------------------------------


def _distance_part(part: Any, **kw: Any) -> Any:
    import pandas as pd

    from bordermap.analysis import distance_to_frontier

    with _partition():
        for name in ("precision_m",):
            if isinstance(kw.get(name), str):
                kw[name] = part[kw[name]].to_numpy(dtype=float)
        r = distance_to_frontier(part, **kw)
    return pd.DataFrame(dict(zip(_DISTANCE_COLUMNS, r, strict=True)), index=part.index)


def distance_to_frontier(points: Any, **kw: Any) -> Any:
    """Lazy :func:`bordermap.analysis.distance_to_frontier` over partitions.

    Returns a dask DataFrame with the fields of
    :class:`~bordermap.analysis.FrontierDistance` as columns, indexed like ``points``.
    ``precision_m`` may name a column; ``areas`` is not supported here.
    """
    _check_dask_input(points, precision_m=kw.get("precision_m"), areas=kw.get("areas"))
    if kw.get("areas") is not None:
        raise BordermapError("areas are not supported with partitioned points", field="areas",
                             suggestion="use analyse(), which reads curated areas per row")
    kw.pop("areas", None)
    return points.map_partitions(_distance_part, meta=_meta_of(_distance_part, points, **kw),
                                 **kw)


def _side_part(part: Any, **kw: Any) -> Any:
    import pandas as pd

    from bordermap.analysis import side_of

    with _partition():
        return pd.Series(side_of(part, **kw), index=part.index, name="side", dtype=object)


def side_of(points: Any, **kw: Any) -> Any:
    """Lazy :func:`bordermap.analysis.side_of`: a dask Series of ISO-3 codes (``""``: neither)."""
    _check_dask_input(points)
    return points.map_partitions(_side_part, meta=_meta_of(_side_part, points, **kw), **kw)


def _scan_part(part: Any, **kw: Any) -> Any:
    import pandas as pd

    from bordermap.scan import frontier_scan

    with _partition():
        s = frontier_scan(part, **kw)
    return pd.DataFrame({"distance_km": s.distance_km, "side_code": s.side_code,
                         "band": s.band}, index=part.index)


def frontier_scan(points: Any, **kw: Any) -> Any:
    """Lazy :func:`bordermap.scan.frontier_scan` over partitions: a dask DataFrame of
    ``distance_km``, ``side_code`` and ``band`` (numbers only: little to ship back)."""
    _check_dask_input(points)
    return points.map_partitions(_scan_part, meta=_meta_of(_scan_part, points, **kw), **kw)


# --- analyse, bands --------------------------------------------------------------------


def _analyse_part(part: Any, **kw: Any) -> Any:
    from bordermap.analysis import analyse

    with _partition():
        if _PRECISION in part.columns:  # arrays given with an ordinary table (see analyse)
            kw["precision_m"] = part[_PRECISION].to_numpy(dtype=float)
            part = part.drop(columns=[_PRECISION])
        if _AREA in part.columns:  # missing areas may come back as NaN: keep geometries
            areas = [a if hasattr(a, "geom_type") else None for a in part[_AREA].tolist()]
            kw["areas"] = areas if any(a is not None for a in areas) else None
            part = part.drop(columns=[_AREA])
        return analyse(part, **kw)


def analyse(points: Any, **kw: Any) -> Any:
    """:func:`bordermap.analysis.analyse` over partitions.

    A dask GeoDataFrame gives a lazy dask GeoDataFrame.  Any other input (while
    a :func:`scheduler` is open) is partitioned, computed on the cluster and
    returned as the GeoDataFrame the single-process function would return.
    """
    if is_dask(points):
        _check_dask_input(points, precision_m=kw.get("precision_m"), areas=kw.get("areas"))
        return points.map_partitions(_analyse_part, meta=_meta_of(_analyse_part, points, **kw),
                                     **kw)
    import geopandas as gpd

    from bordermap.analysis import _lonlat

    if not (hasattr(points, "geometry") and hasattr(points, "columns")):
        lon, lat = _lonlat(points)
        points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    precision, areas = kw.get("precision_m"), kw.pop("areas", None)
    if areas is not None or not (precision is None or isinstance(precision, str)):
        points = points.copy()  # per-row arrays travel with their rows, as columns
        if not (precision is None or isinstance(precision, str)):
            points[_PRECISION] = np.broadcast_to(np.asarray(precision, dtype=float),
                                                 (len(points),))
            kw.pop("precision_m")
        if areas is not None:
            points[_AREA] = _objects(areas, len(points))
    lazy = to_dask(points).map_partitions(_analyse_part, **kw,
                                          meta=_meta_of(_analyse_part, to_dask(points[:0]),
                                                        **kw))
    if _client is None:
        out = lazy.compute()
        return gpd.GeoDataFrame(out, crs=out.crs)
    # partition by partition, straight from each worker: .compute() would first concatenate
    # every partition on one worker and ship the whole from there
    import pandas as pd

    parts = _client.gather(_client.compute(lazy.to_delayed()))
    out = pd.concat(parts) if len(parts) > 1 else parts[0]
    return gpd.GeoDataFrame(out, crs=parts[0].crs)


def _objects(values: Any, n: int) -> Any:
    """``values`` (or ``n`` Nones) as an object column."""
    col = np.empty(n, dtype=object)
    if values is not None:
        col[:] = list(values)
    return col


def _bands_part(part: Any, **kw: Any) -> Any:
    from bordermap.analysis import band_counts

    with _partition():
        return band_counts(part, **kw)


def _sum_bands(tables: list[Any]) -> Any:
    out = tables[0].copy()
    counts = [c for c in out.columns if c not in ("band", "inner_km", "outer_km")]
    for t in tables[1:]:
        out[counts] = out[counts].to_numpy() + t[counts].to_numpy()
    return out


def band_counts(points: Any, **kw: Any) -> Any:
    """Lazy :func:`bordermap.analysis.band_counts`: a :class:`dask.delayed.Delayed` whose
    ``.compute()`` is the band table (per-partition tables, summed)."""
    import dask

    _check_dask_input(points)
    parts = [dask.delayed(_bands_part)(p, **kw) for p in points.to_delayed()]
    return dask.delayed(_sum_bands)(parts)


# --- connecting to a scheduler -------------------------------------------------------------


def _connect(address: str) -> Any:
    from distributed import Client, LocalCluster

    from bordermap._threads import get_threads

    if address == "local":
        import warnings

        with warnings.catch_warnings():  # its status page moves to a free port: not ours to say
            warnings.filterwarnings("ignore", "Port .* is already in use", UserWarning)
            cluster = LocalCluster(n_workers=get_threads(), threads_per_worker=1,
                                   processes=True, dashboard_address=None)
        return Client(cluster, set_as_default=False)
    if not is_address(address):
        raise BordermapError(
            f"{address!r} is not a scheduler address", field="--scheduler",
            suggestion="give tcp://HOST:PORT (e.g. tcp://10.0.0.5:8786) or local",
        )
    try:
        return Client(address, timeout=f"{CONNECT_TIMEOUT_S}s", set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise BordermapError(
            f"no dask scheduler answered at {address} within {CONNECT_TIMEOUT_S:g} s "
            f"({type(exc).__name__})", field="--scheduler",
            suggestion="is `dask scheduler` running there, with workers? "
            "Or use --scheduler local",
        ) from None


@contextmanager
def scheduler(address: str) -> Iterator[Any]:
    """Open a :class:`distributed.Client` (``tcp://HOST:PORT`` or ``local``) for this block.

    While it is open, :func:`bordermap.analysis.analyse` runs on the cluster.
    A scheduler that does not answer within :data:`CONNECT_TIMEOUT_S` seconds
    raises :class:`~bordermap.errors.BordermapError` at once, before any work.
    """
    global _client
    if _client is not None:
        raise BordermapError("a scheduler is already open", field="--scheduler")
    client = _connect(address.strip())
    _client = client
    try:
        yield client
    finally:
        _client = None
        cluster = client.cluster
        client.close()
        if cluster is not None and address.strip() == "local":
            cluster.close()
