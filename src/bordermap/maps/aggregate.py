"""Maps of very many incidents: counts on a hexagonal grid, recomputed per zoom band.

Above :data:`AGGREGATE_LIMIT` impact points a map no longer carries one marker
per point (a browser cannot draw a million, and the page would grow with every
row).  It carries, for each zoom band, the H3 cells holding incidents -- H3 is a
hierarchical grid of near-equal-area hexagons on an icosahedron, not a grid in
degrees -- with their counts by time bucket (so the time slider still works), by
kind and by side of the frontier, and the median location uncertainty of their
points.  Strike vectors are summarised as flows between coarse cells.  Each band
holds at most :data:`CELL_BUDGET` cells (a coarser resolution is used where more
would be needed), so the page size is bounded whatever the number of incidents.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from bordermap.frontiers import Frontier

__all__ = ["AGGREGATE_LIMIT", "CELL_BUDGET", "ZOOM_BANDS", "aggregate"]

#: Above this many impact points a map shows hexagon counts instead of markers.
AGGREGATE_LIMIT = 20_000
#: Most cells drawn in one zoom band (a coarser H3 resolution is used beyond it).
CELL_BUDGET = 20_000
#: (lowest zoom, highest zoom, H3 resolution) of each band; the finest is 8
#: (hexagon edges of about 0.5 km), where single places become legible.
ZOOM_BANDS: tuple[tuple[int, int, int], ...] = (
    (0, 4, 3),
    (5, 6, 4),
    (7, 8, 5),
    (9, 10, 6),
    (11, 12, 7),
    (13, 19, 8),
)
#: Most strike flows (origin cell -> impact cell) drawn.
FLOW_LIMIT = 200
_FLOW_RES = 3
_E4 = 10_000  # cell geometry in 1e-4 degree (about 11 m)


def _month_buckets(start_ms: Any) -> tuple[Any, list[list]]:
    """Bucket index of each point (by calendar month of its date's start, UTC), and
    the buckets as date rows ``[text, "month", start ms, end ms]``."""
    import numpy as np

    months = start_ms.astype("datetime64[ms]").astype("datetime64[M]")
    uniq, inv = np.unique(months, return_inverse=True)
    rows = []
    for m in uniq:
        start = int(m.astype("datetime64[ms]").astype(np.int64))
        end = int((m + 1).astype("datetime64[ms]").astype(np.int64)) - 1
        rows.append([str(m), "month", start, end])
    return inv.astype(np.int64), rows


def _sparse(cell: Any, code: Any, n_cells: int) -> list[list[int]]:
    """Per cell, ``[code, count, code, count, ...]`` of the codes its points carry."""
    import numpy as np

    width = int(code.max()) + 1 if code.size else 1
    keys, counts = np.unique(cell.astype(np.int64) * width + code, return_counts=True)
    owner = keys // width
    out: list[list[int]] = [[] for _ in range(n_cells)]
    for c, k, n in zip(owner.tolist(), (keys % width).tolist(), counts.tolist(), strict=True):
        out[c].extend((k, n))
    return out


def _median_by(cell: Any, values: Any, n_cells: int) -> Any:
    import numpy as np

    order = np.lexsort((values, cell))
    sc, sv = cell[order], values[order]
    starts = np.searchsorted(sc, np.arange(n_cells))
    ends = np.searchsorted(sc, np.arange(n_cells), side="right")
    mid = (starts + ends - 1) // 2
    return sv[np.clip(mid, 0, len(sv) - 1)]


def _geometry(cells: Sequence[int]) -> tuple[list[int], list[list[int]]]:
    """Centres ``[lat, lon, ...]`` and vertex offsets from the centre, in 1e-4 degree."""
    import h3.api.basic_int as h3

    centres: list[int] = []
    rings: list[list[int]] = []
    for c in cells:
        la, lo = h3.cell_to_latlng(c)
        cla, clo = round(la * _E4), round(lo * _E4)
        centres.extend((cla, clo))
        ring = []
        for vla, vlo in h3.cell_to_boundary(c):
            d_lon = vlo - lo
            if d_lon > 180:  # a cell across the antimeridian: keep the ring together
                d_lon -= 360
            elif d_lon < -180:
                d_lon += 360
            ring.extend((round(vla * _E4) - cla, round((lo + d_lon) * _E4) - clo))
        rings.append(ring)
    return centres, rings


class _Cells:
    """Each distinct coordinate's H3 cell at a resolution, looked up on first use.

    A point is counted in the hexagon that contains it: H3's parent of a finer
    cell is not always the coarser cell containing the point (aperture-7 children
    do not tile their parent exactly), so every resolution is looked up directly.
    """

    def __init__(self, lat_e5: Any, lon_e5: Any) -> None:
        self.lat = (lat_e5 / 1e5).tolist()
        self.lon = (lon_e5 / 1e5).tolist()
        self.done: dict[int, tuple[Any, Any]] = {}

    def at(self, res: int) -> tuple[Any, Any]:
        """(distinct cells, index of each distinct coordinate's cell among them)."""
        import h3.api.basic_int as h3
        import numpy as np

        if res not in self.done:
            ids = np.fromiter(
                (h3.latlng_to_cell(a, b, res) for a, b in zip(self.lat, self.lon, strict=True)),
                dtype=np.uint64, count=len(self.lat),
            )
            self.done[res] = np.unique(ids, return_inverse=True)
        return self.done[res]


def _band(lookup: _Cells, coord_inv: Any, res: int, buckets: Any, kind: Any, side: Any,
          precision_m: Any) -> dict:
    import numpy as np

    r = res
    cells, of_coord = lookup.at(r)
    while r > 0 and cells.size > CELL_BUDGET:
        r -= 1
        cells, of_coord = lookup.at(r)
    cell = np.asarray(of_coord).reshape(-1)[coord_inv]
    n_cells = int(cells.size)
    centres, rings = _geometry([int(c) for c in cells])
    return {
        "res": r,
        "c": centres,
        "v": rings,
        "n": np.bincount(cell, minlength=n_cells).tolist(),
        "t": _sparse(cell, buckets, n_cells),
        "k": _sparse(cell, kind, n_cells),
        "s": _sparse(cell, side, n_cells),
        "pm": np.rint(_median_by(cell, precision_m, n_cells)).astype(np.int64).tolist(),
    }


def _sides(lon: Any, lat: Any, frontiers: Sequence[Frontier]) -> tuple[Any, list[str]]:
    """Index of each point's side (country ISO-3 of its nearest frontier) and the labels;
    ``""`` where there is no frontier."""
    import numpy as np
    import pandas as pd

    from bordermap.analysis import frontier_table, nearest_frontier

    side = np.full(len(lon), "", dtype=object)
    if frontiers and len(lon):
        if len(frontiers) == 1:
            names = np.full(len(lon), frontiers[0].name, dtype=object)
        else:
            names = nearest_frontier(lon, lat, frontiers=list(frontiers))["frontier"].to_numpy(
                dtype=object
            )
        for f in frontiers:
            sel = np.flatnonzero(names == f.name)
            if sel.size:
                side[sel] = frontier_table(lon[sel], lat[sel], frontier=f)["side"].to_numpy(
                    dtype=object
                )
    codes, labels = pd.factorize(pd.Series(side, dtype=object))
    return codes.astype(np.int64), [str(x) for x in labels]


def _flows(origins: Any, impacts: Any) -> list[dict]:
    """The largest strike flows between coarse cells, as geodesic polylines."""
    import h3.api.basic_int as h3
    import numpy as np
    from pyproj import Geod

    if not len(origins):
        return []
    pairs: dict[tuple[int, int], int] = {}
    for (olo, ola), (ilo, ila) in zip(origins.tolist(), impacts.tolist(), strict=True):
        key = (h3.latlng_to_cell(ola, olo, _FLOW_RES), h3.latlng_to_cell(ila, ilo, _FLOW_RES))
        pairs[key] = pairs.get(key, 0) + 1
    geod = Geod(ellps="WGS84")
    out = []
    for (a, b), n in sorted(pairs.items(), key=lambda kv: -kv[1])[:FLOW_LIMIT]:
        (la1, lo1), (la2, lo2) = h3.cell_to_latlng(a), h3.cell_to_latlng(b)
        mid = geod.npts(lo1, la1, lo2, la2, 16) if a != b else []
        pts = [(lo1, la1), *mid, (lo2, la2)]
        out.append({"n": n, "p": np.round([[y, x] for x, y in pts], 4).tolist()})
    return out


def aggregate(
    lon: Any,
    lat: Any,
    *,
    kind: Any,
    start_ms: Any,
    precision_m: Any,
    frontiers: Sequence[Frontier] = (),
    origins: Any = None,
    impacts_of_origins: Any = None,
) -> dict[str, Any]:
    """Counts of impact points on H3 cells for each zoom band (the ``agg`` of a payload).

    Parameters
    ----------
    lon, lat : array_like
        Impact points, degrees.
    kind : array_like of int
        Kind index of each point (into the payload's ``kinds``).
    start_ms : array_like of int
        Start of each point's date, ms since 1970 (UTC).
    precision_m : array_like of float
        Location uncertainty radius of each point.
    frontiers : sequence of Frontier
        Frontiers that decide each point's side.
    origins, impacts_of_origins : array_like, shape (m, 2), optional
        (lon, lat) of launch points and of their impacts, for the strike flows.

    Returns
    -------
    dict
        ``n`` (points), ``dates`` (month buckets as date rows), ``sides`` (labels),
        ``bands`` (``z0``, ``z1``, ``res`` and, per cell, centre ``c``, vertex
        offsets ``v``, count ``n``, sparse counts by bucket ``t``, kind ``k`` and
        side ``s``, median radius ``pm``), ``flows``.

    Examples
    --------
    >>> import numpy as np
    >>> agg = aggregate(np.array([63.30, 63.3001, 62.7]), np.array([26.9, 26.9001, 27.3]),
    ...                 kind=np.array([0, 0, 1]), precision_m=np.array([100.0, 300.0, 5e3]),
    ...                 start_ms=np.array([0, 86_400_000 * 40, 0]))
    >>> sorted(agg["bands"][-1]["n"]), agg["dates"][1][0]
    ([1, 2], '1970-02')
    """
    import numpy as np

    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    buckets, date_rows = _month_buckets(np.asarray(start_ms, dtype=np.int64))
    side, side_labels = _sides(lon, lat, frontiers)
    # one H3 look-up per distinct coordinate (event data repeat place centroids)
    coords = np.rint(np.c_[lat, lon] * 1e5).astype(np.int64)
    uniq, inv = np.unique(coords, axis=0, return_inverse=True)
    lookup = _Cells(uniq[:, 0], uniq[:, 1])
    coord_inv = np.asarray(inv).reshape(-1)
    kind = np.asarray(kind, dtype=np.int64)
    prec = np.nan_to_num(np.asarray(precision_m, dtype=float))
    bands = []
    for z0, z1, res in ZOOM_BANDS:
        band = _band(lookup, coord_inv, res, buckets, kind, side, prec)
        bands.append({"z0": z0, "z1": z1, **band})
    flows = []
    if origins is not None and impacts_of_origins is not None:
        flows = _flows(np.asarray(origins, float), np.asarray(impacts_of_origins, float))
    return {
        "n": int(lon.size),
        "dates": date_rows,
        "sides": side_labels,
        "bands": bands,
        "flows": flows,
        "limit": AGGREGATE_LIMIT,
    }
