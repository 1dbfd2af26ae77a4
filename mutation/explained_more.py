"""Reasons for survivors of the analysis, geojson, map-escaping and geodesy targets found
in the runs of 2026-11-27/28 (merged into ``explained.EXPLAINED`` by ``mutation/run.py``).

Kept apart from ``explained.py`` so that the kernel targets' reasons and these can be
edited on separate branches.  Same keys and conventions: (target, mutated line, stripped);
a reason starting with "equivalent" is left out of the score without equivalents.
"""

from __future__ import annotations

_ANNOTATION = (
    "equivalent: the module has `from __future__ import annotations`, so annotations are "
    "strings that are never evaluated"
)
_UNUSED_DEFAULT = (
    "equivalent: distance_to_frontier, its only maker, always passes every field, so the "
    "default is never used"
)
_CACHE_SIZE = "equivalent: the size of an lru_cache changes what is recomputed, not the answer"
_ONE_PART = (
    "equivalent: a MultiPolygon of one polygon contains exactly the points that polygon "
    "contains"
)

_PROBE = (
    "equivalent for any frontier whose countries extend 200 m either side of the line "
    "(all of them): the side probes go 1° off the perpendicular, or 1 m farther, and still "
    "land in the country on their side"
)
_GRID_CELLS = (
    "equivalent in the answer: a finer side grid; cells a border crosses are still tested "
    "exactly, the others hold one answer throughout"
)
_GRID_MORE = (
    "equivalent in the answer: one more row or column of grid cells beyond the countries' "
    "bounds (labelled 'neither'), or edges cut into more pieces (more cells marked for "
    "an exact test)"
)
_GRID_SHIFT = (
    "not killed, not shown equivalent: each cell takes the label of its neighbour's centre; "
    "a cell wholly inside one country next to a cell wholly inside another is only possible "
    "when a border runs exactly along a grid line (the cell beyond it is marked crossed, "
    "this one not), which the floating-point grid size makes vanishingly rare"
)
_CLIP_TOP = (
    "equivalent: no edge point falls in the grid's last row or column (the grid is one "
    "cell larger than the countries' bounds), so clipping there, or not at all, changes "
    "no index"
)
_TRUNC = (
    "equivalent: the digit is stored in a uint8 array, which truncates the float; a "
    "quotient of integers below 2**53 by 10, 100 or 10**7 is rounded correctly and its "
    "fraction (at least 1e-7) is far above its rounding error, so the truncated digit is "
    "the integer division's"
)
_PAD = (
    "equivalent in the document: whether the NUL padding becomes spaces between JSON tokens "
    "or is dropped changes the file's bytes, not what any JSON reader reads (the threshold "
    "only trades speed against size)"
)
_NUL_COL = (
    "equivalent: one more column of NUL padding, which _assemble drops (or turns into "
    "spaces between JSON tokens)"
)
_MOD360 = "equivalent: x + 180 and x - 180 differ by 360, so their remainders mod 360 agree"
_FALSY = "equivalent: None and False are both false where the flag is read"
_ASCII = (
    "equivalent in the document: non-ASCII characters written as \\u escapes are the same "
    "JSON string (RFC 8259, section 7)"
)

_AFTER = (
    "killed by a test of tests/test_mutants_analysis.py written after the last run "
    "(checked by hand on a copy of the mutant; the next run re-tests it)"
)
_DASK = (
    "not killed, not shown equivalent: differs only while a dask scheduler is open "
    "(tests/test_cluster.py covers the cluster; too slow for this target)"
)

_AFTER_G = (
    "killed by a test of tests/test_mutants_geojson.py written after the last run "
    "(checked by hand on a copy of the mutant; the next run re-tests it)"
)
_WINDOW = (
    "equivalent: one more 360°-wide window, which holds nothing of the geometry (or only "
    "a boundary point, dropped as not a line or polygon)"
)
_NOT_SHOWN_180 = (
    "not killed, not shown equivalent: differs only for geometries reaching between 180° "
    "and 181° (or -181° and -180°) of longitude without crossing the antimeridian, which "
    "no test writes"
)

MORE = {
    (
        "analysis",
        "min_distance_km: np.ndarray & None = None  # over each place's disc or area",
    ): _ANNOTATION,
    ("analysis", "max_distance_km: np.ndarray & None = None"): _ANNOTATION,
    (
        "analysis",
        'min_distance_km: np.ndarray | None = ""  # over each place\'s disc or area',
    ): _UNUSED_DEFAULT,
    ("analysis", 'max_distance_km: np.ndarray | None = ""'): _UNUSED_DEFAULT,
    ("analysis", "@lru_cache(maxsize=33)"): _CACHE_SIZE,
    (
        "analysis",
        "dense = shapely.MultiPolygon(polys) if len(polys) >= 1 else polys[0]",
    ): _ONE_PART,
    ("analysis", "mid = forward(xy[k, 0], xy[k, 1], az[k], dist_m[k] / 3)"): (
        "not killed, not shown equivalent: the side probe goes 200 m off a third of the "
        "longest edge instead of its middle; any point of an edge away from its ends tells "
        "left from right, unless another stretch of border comes within 200 m there"
    ),
    ("analysis", "np.array([az[k] - 91, az[k] + 90]), 200.0)"): _PROBE,
    ("analysis", "np.array([az[k] - 89, az[k] + 90]), 200.0)"): _PROBE,
    ("analysis", "np.array([az[k] - 90, az[k] + 91]), 200.0)"): _PROBE,
    ("analysis", "np.array([az[k] - 90, az[k] + 89]), 200.0)"): _PROBE,
    ("analysis", "np.array([az[k] - 90, az[k] + 90]), 201.0)"): _PROBE,
    ("analysis", "if in_a[0] or not in_a[1]:"): (
        "not killed, not shown equivalent: differs only for a part of a frontier whose two "
        "side probes are both in countries[0] or both outside it (a line drawn inside one "
        "country's polygon); there the left/right assignment is a guess either way"
    ),
    (
        "analysis",
        "line_side = np.where(res.side >= 0, fi.left_iso[part], fi.right_iso[part])",
    ): (
        "equivalent except exactly on the line: the side is 0 only for a point on the "
        "polyline itself, which analyse reports as on the line (no side)"
    ),
    ("analysis", "def _dask_path(points: Any, *, tables: bool = True) -> Any:"): (
        "not killed, not shown equivalent: differs only while a dask scheduler is open, when "
        "plain arrays given to distance_to_frontier, side_of or band_counts would be sent to "
        "the cluster too (tests/test_cluster.py covers the cluster; too slow for this target)"
    ),
    (
        "analysis",
        "def _side_grid(f: Frontier, boundaries_key: Any, cells: int = 2 << 18) -> _SideGrid:",
    ): _GRID_CELLS,
    (
        "analysis",
        "def _side_grid(f: Frontier, boundaries_key: Any, cells: int = 1 << 19) -> _SideGrid:",
    ): _GRID_CELLS,
    ("analysis", "size = float(np.sqrt((xmax - xmin) * (ymax - ymin) * cells)) or 1e-3"): (
        "equivalent in the answer: a grid of one or two cells, all of them crossed by a "
        "border, so every point is tested exactly against the polygons (slower, same answer)"
    ),
    ("analysis", "size = float(np.sqrt((xmax - xmin) * (ymax - ymin) / cells)) or 1.001"): (
        "equivalent: the fallback is used only when the two countries' bounds have no area, "
        "which polygons always have"
    ),
    ("analysis", "nx = int(np.ceil((xmax - xmin) / size)) + 2"): _GRID_MORE,
    ("analysis", "ny = int(np.ceil((ymax - ymin) / size)) + 2"): _GRID_MORE,
    (
        "analysis",
        "pieces = np.maximum(np.ceil(np.maximum(np.abs(x1 - x0), np.abs(y1 - y0)) / size), 2)",
    ): _GRID_MORE,
    ("analysis", "cx = xmin + (np.arange(nx) + 1.5) * size"): _GRID_SHIFT,
    ("analysis", "cx = xmin + (np.arange(nx) - 0.5) * size"): _GRID_SHIFT,
    ("analysis", "cy = ymin + (np.arange(ny) + 1.5) * size"): _GRID_SHIFT,
    ("analysis", "cy = ymin + (np.arange(ny) - 0.5) * size"): _GRID_SHIFT,
    ("analysis", "label[shapely.contains_xy(poly_b, gx, gy)] = 3"): (
        "equivalent in the answer: every cell of countries[1] is then tested exactly "
        "against the polygons (slower, same answer)"
    ),
    ("analysis", "label[np.clip(jy, 0, ny + 1), np.clip(jx, 0, nx - 1)] = 3"): _CLIP_TOP,
    ("analysis", "label[np.clip(jy, 0, ny - 2), np.clip(jx, 0, nx - 1)] = 3"): _CLIP_TOP,
    ("analysis", "label[np.clip(jy, 0, ny - 1), np.clip(jx, 0, nx + 1)] = 3"): _CLIP_TOP,
    ("analysis", "label[np.clip(jy, 0, ny - 1), np.clip(jx, 0, nx - 2)] = 3"): _CLIP_TOP,
    ("analysis", "t1 = (k - 1) / pieces[edge]"): (
        "not killed, not shown equivalent: each piece then marks its own start, the previous "
        "piece's start and the corners between them, i.e. the cells the previous piece "
        "crosses; only the last piece of each edge loses its two corner cells, which matter "
        "when that piece cuts a cell at a corner (not produced by the tests)"
    ),
    ("analysis", "names[iso] = None"): (
        "equivalent: the fallback is never reached; the names asked for are codes that the "
        "same boundary table gave (country_of) or that it must hold for the frontier to be "
        "measured at all (_country_polygons)"
    ),
    (
        "analysis",
        "out = np.array([templates[c].format(k) for c, k in zip(country.tolist(), km, "
        "strict=False)],",
    ): "equivalent: both lists have one item per point",
    ("geojson", "ip = a / 10_000_000"): _TRUNC,
    ("geojson", "m[:, 2] = np.where(two, 48 + (ip / 10) % 10, 0)"): _TRUNC,
    ("geojson", "m[:, 1] = np.where(three, 48 + (ip / 100) % 10, 0)"): _TRUNC,
    ("geojson", "m = np.zeros((n, 13), dtype=np.uint8)"): (
        "equivalent: one more column of NUL bytes, which _assemble drops (or turns into "
        "spaces between JSON tokens)"
    ),
    ("geojson", "trailing = None"): "equivalent: the variable is set again before it is read",
    (
        "geojson",
        "for j in range(8):  # from the last decimal: digits, NUL while still trailing zeros",
    ): (
        "equivalent: the eighth pass writes column 4, which the decimal point (or NUL) "
        "overwrites next"
    ),
    ("geojson", "m[:, 1] = np.where(three, 48 + (ip // 100) % 11, 0)"): (
        "equivalent: the hundreds digit of a written coordinate is 0 or 1 (|lon| <= 180 "
        "after wrapping, |lat| <= 90), the same modulo 10 or 11"
    ),
    ("geojson", "for p, w in zip(pieces, widths, strict=False):"): (
        "equivalent: widths is made from pieces, one per piece"
    ),
    ("geojson", "if np.count_nonzero(m) > 0.85 * m.size:"): _PAD,
    ("geojson", "if np.count_nonzero(m) >= 1.85 * m.size:"): _PAD,
    ("geojson", "if np.count_nonzero(m) >= 0.85 / m.size:"): _PAD,
    ("geojson", "if np.count_nonzero(m) >= 0.85 * m.size:"): _PAD,
    ("geojson", "if np.count_nonzero(m) >= 0.86 * m.size:"): _PAD,
    ("geojson", "if np.count_nonzero(m) >= 1.0 * m.size:"): _PAD,
    ("geojson", "m = np.zeros((n, w + 3), dtype=np.uint8)"): _NUL_COL,
    ("geojson", "codes, uniq = pd.factorize(values, use_na_sentinel=True)"): (
        "equivalent: the values of a text column hold no NA (absent rows are '' there; "
        "nulls and missing rows are written from their masks)"
    ),
    (
        "geojson",
        "('\"' + u + '\"') if not _JSON_SPECIAL.search(u) else json.dumps(u, ensure_ascii=True)",
    ): (
        "equivalent in the document: non-ASCII characters written as \\u escapes are the "
        "same JSON string (RFC 8259, section 7)"
    ),
    ("geojson", "return np.zeros((1, 4), dtype=np.uint8)"): (
        "equivalent: a table of no rows; a (1, 4) block broadcasts into the (0, w) "
        "matrix as a (0, 4) one does"
    ),
    ("geojson", "return np.zeros((0, 5), dtype=np.uint8)"): (
        "equivalent: a table of no rows writes no bytes, whatever the block's width"
    ),
    ("geojson", "if m.shape[1] <= 4:"): _NUL_COL,
    ("geojson", "if m.shape[1] < 5:"): _NUL_COL,
    (
        "geojson",
        "m = np.hstack([m, np.zeros((len(m), 5 - m.shape[1]), dtype=np.uint8)])",
    ): _NUL_COL,
    (
        "geojson",
        "m = np.hstack([m, np.zeros((len(m), 4 + m.shape[1]), dtype=np.uint8)])",
    ): _NUL_COL,
    ("geojson", "m = m.copy() if  m.flags.writeable else m"): (
        "equivalent: every matrix made above is a new, writeable array, so the mutant only "
        "copies it once more"
    ),
    ("geojson", "x = np.where(np.abs(x) <= 180, x, (x - 180) % 360 - 180)"): _MOD360,
    ("geojson", "break  # reported with its row when the feature is written"): (
        "equivalent: the geometry that cannot be prepared fails the export with its row "
        "when the features are written, so the bbox computed here is never written"
    ),
    ("geojson", "keys = [json.dumps(c.name, ensure_ascii=True).encode() + b\":\" for c in cols]"): (
        "equivalent in the document: a property name with \\u escapes is the same JSON "
        "string (RFC 8259, section 7)"
    ),
    ("geojson", "geo = None"): (
        "equivalent in the document: blocks of points then take the general path, which "
        "writes the same point text (both format coordinates with _fixed_matrix)"
    ),
    ("geojson", "for k, (key, c) in enumerate(zip(keys, cols, strict=False)):"): (
        "equivalent: keys is made from cols, one per column"
    ),
    (
        "geojson",
        'text = json.dumps(head, ensure_ascii=True, allow_nan=False, separators=(",", ":"))',
    ): _ASCII,
    (
        "geojson",
        'text = json.dumps(tail, ensure_ascii=True, allow_nan=False, separators=(",", ":"))',
    ): _ASCII,
    ("geojson", "first = None"): _FALSY,
    ("geojson", "self.first = None"): _FALSY,
    ("geojson", "multi_table=True,"): (
        "not killed here, killed by the full suite: the registry flags steer export_layers "
        "(tests/test_export.py::test_one_geojson_file_is_one_feature_collection, 9 s, left "
        "out of this target's selection for speed)"
    ),
    ("geojson", "mixes_tables=False,"): (
        "not killed here, killed by the full suite: the registry flags steer export_layers "
        "(tests/test_export.py::test_one_geojson_file_is_one_feature_collection, 9 s, left "
        "out of this target's selection for speed)"
    ),
    ("geojson", "return (d >= 180) & ~pole & ~meridian"): (
        "equivalent: an edge of exactly 180° is unwrapped by 360 × round(±0.5) = 0 "
        "(numpy rounds half to even), so it is left as it was"
    ),
    ("geojson", "d[cross] -= 360.0 / np.round(d[cross] / 360.0)"): (
        "not killed, not shown equivalent: for an edge spanning 180° to 540° of longitude "
        "round(d / 360) is ±1, and 360 / ±1 equals 360 × ±1; the two differ only for an "
        "edge spanning more than 540° (coordinates beyond ±270°), which no test writes"
    ),
    ("analysis", "size = float(np.sqrt((xmax - xmin) / (ymax - ymin) / cells)) or 1e-3"): (
        "equivalent in the answer: another cell size; the grid is laid out and marked with "
        "the same size, and cells a border crosses are tested exactly"
    ),
    ("analysis", "ix = np.floor((np.r_[px0, px1] + xmin) / size).astype(np.int64)"): _AFTER,
    ("analysis", "on_line = d.distance_km * 1001.0 <= on_line_m"): _AFTER,
    ("analysis", "return out if any(a is  None for a in out) else None"): _AFTER,
    ("analysis", "for k in np.flatnonzero((hi - lo) >= 1e-6):"): (
        "equivalent in practice: only whether a range 1 mm wide (a place whose extent is "
        "a millimetre) is printed"
    ),
    ("analysis", "for k in np.flatnonzero((hi - lo) > 2e-06):"): (
        "equivalent in practice: only whether a range 1 to 2 mm wide is printed"
    ),
    ("analysis", 'if hasattr(points, "geometry") or hasattr(points, "crs"):'): (
        "not killed, not shown equivalent: differs for an input with a geometry column but "
        "no crs attribute (a plain DataFrame of shapely points), whose columns the mutant "
        "would keep"
    ),
    ("analysis", 'if out.crs is not None or not out.crs.equals("EPSG:4326"):'): (
        "not killed, not shown equivalent: differs for a GeoDataFrame without a CRS (the "
        "mutant then calls None.equals); no test passes analyse such a frame"
    ),
    ("analysis", "@lru_cache(maxsize=1025)"): _CACHE_SIZE,
    (
        "analysis",
        "if (dask_path := _dask_path(points, tables=False)) is not None:  # partitions, or a "
        "cluster",
    ): _DASK,
    ("analysis", "for i, c in zip(ids, countries, strict=False)]"): (
        "equivalent: both columns come from the same table"
    ),
    (
        "geojson",
        "if joined.isascii() and  _JSON_SPECIAL.search(joined):  # common case: no escapes",
    ): _AFTER_G,
    (
        "geojson",
        "[np.where(np.abs(c[:, 1]) == 180, c[:, 0], (c[:, 0] + 180) % 360 - 180), c[:, 1]]",
    ): _AFTER_G,
    (
        "geojson",
        "[np.where(np.abs(c[:, 0]) == 181, c[:, 0], (c[:, 0] + 180) % 360 - 180), c[:, 1]]",
    ): _AFTER_G,
    (
        "geojson",
        "[np.where(np.abs(c[:, 0]) == 180, c[:, 1], (c[:, 0] + 180) % 360 - 180), c[:, 1]]",
    ): _AFTER_G,
    (
        "geojson",
        "[np.where(np.abs(c[:, 0]) == 180, c[:, 0], (c[:, 0] - 180) % 360 - 180), c[:, 1]]",
    ): _MOD360,
    ("geojson", "return True"): (
        "equivalent: an empty geometry, or points within ±180°, come out of the split path "
        "unchanged (geojson_geometry returns before it for empty ones)"
    ),
    ("geojson", "if len(c) >= 1 and _crossing(c[:, 0], c[:, 1]).any():"): (
        "equivalent: a ring or line has at least two coordinates"
    ),
    ("geojson", "if np.abs(xy[:, 0]).max() > 181:"): _NOT_SHOWN_180,
    ("geojson", "if np.abs(xy[:, 0]).max() >= 180:"): (
        "not killed, not shown equivalent: a geometry touching ±180° without crossing it "
        "goes through the split path, which should return it unchanged"
    ),
    (
        "geojson",
        "for k in range(int(np.floor((minx - 180) / 360)), int(np.floor((maxx + 180) / 360)) "
        "+ 1):",
    ): _WINDOW,
    (
        "geojson",
        "for k in range(int(np.floor((minx + 180) / 360)), int(np.floor((maxx + 181) / 360)) "
        "+ 1):",
    ): _WINDOW,
    (
        "geojson",
        "for k in range(int(np.floor((minx + 180) / 360)), int(np.floor((maxx + 180) * 360)) "
        "+ 1):",
    ): _WINDOW,
    (
        "geojson",
        "for k in range(int(np.floor((minx + 180) / 360)), int(np.floor((maxx + 180) / 360)) "
        "+ 2):",
    ): _WINDOW,
    (
        "geojson",
        "for k in range(int(np.floor((minx + 180) / 361)), int(np.floor((maxx + 180) / 360)) "
        "+ 1):",
    ): (
        "not killed, not shown equivalent: starts one window later only for geometries "
        "reaching beyond -540° of longitude"
    ),
    (
        "geojson",
        "for k in range(int(np.floor((minx + 180) / 360)), int(np.floor((maxx + 180) / 361)) "
        "+ 1):",
    ): _NOT_SHOWN_180,
    ("geojson", "box = shapely.box(-180 + 360 * k, -91, 180 + 360 * k, 90)"): (
        "equivalent: no latitude is beyond ±90°, so a window reaching 91° clips nothing more"
    ),
    ("geojson", "box = shapely.box(-180 + 360 * k, -90, 180 + 360 * k, 91)"): (
        "equivalent: no latitude is beyond ±90°, so a window reaching 91° clips nothing more"
    ),
    ("geojson", "box = shapely.box(-180 + 360 * k, -90, 180 + 361 * k, 90)"): _NOT_SHOWN_180,
    ("geojson", "if geom is None and geom.is_empty or not _needs_split(geom):"): (
        "equivalent at the writer: geojson_geometry returns before calling this for None "
        "or empty geometries (split_antimeridian called directly with None would fail)"
    ),
}
