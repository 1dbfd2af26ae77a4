"""Why each surviving mutant of ``mutation/run.py`` survives (read into docs/mutation.md).

Keyed by (target, the mutated line as mutmut writes it, stripped).  A reason that
starts with "equivalent" says no test can tell the mutant from the original, and the
report leaves it out of the score without equivalents; any other reason ("not
killed, not shown equivalent", "undefined") is reported but still counts against
the score.
"""

from __future__ import annotations

#: Survivors judged equivalent (no test can tell them apart), keyed by target and the
#: mutated line as mutmut writes it; the report prints the reason under the diff.
_SIZE = "equivalent: a larger work array than needed; the extra rows or columns are never read"
_SLACK = (
    "equivalent in the answer: a wider candidate window only adds segments whose "
    "geodesic distance is then measured and found larger (the nearest is kept); it costs "
    "time, not accuracy"
)
_UNINIT = (
    "undefined, not testable: the root entry is then left as np.empty's uninitialised "
    "memory, which happens to read 0 (the value written); a test cannot make it read "
    "anything else"
)
_TYPED = (
    "equivalent: the initial value is overwritten before it is read (the loop runs at least "
    "once, and at least one candidate is always evaluated); the assignment is there so numba "
    "can type the variable"
)
_PRUNE = (
    "equivalent in the answer: a bounding box that is too large (or a box distance that is "
    "too small) only stops the tree from skipping a subtree, which then gets searched; it "
    "costs time, not accuracy"
)
_ROUNDING = (
    "equivalent to rounding: at t = 0 or t = 1 the chord point is a vertex, already on the "
    "ellipsoid (scale 1 ± 1e-16), and its geodetic coordinates are the vertex's to 1e-14°"
)
_UP = (
    "not killed, equivalent except within 1° of the poles: the 'up' vector lies along the "
    "equatorial radius, tilted by the latitude φ from the ellipsoid normal; the left normal "
    "keeps its horizontal direction (scaled by cos φ) and gains a vertical part, which "
    "outweighs a point's offset d only when tan φ > 2R/d (φ > 89° at d = 200 km)"
)
_VERTEX = (
    "not killed, not shown equivalent: changes which pieces' normals decide the side when "
    "the foot is exactly a vertex; the hairpin test (tests/test_kernels.py) kills the "
    "versions that drop the next piece, but a foot found as t = 0 of the following piece "
    "(rather than t = 1 of the previous one) is not produced by any test"
)
_FLOOR = (
    "not killed, not shown equivalent: a box distance of at least 1 m per axis lets the "
    "tree skip the box holding a point only when a piece within 0.5 m was already found "
    "(window below √3 m); points 2 cm off the line 20 cm from every piece end do not show it"
)
_KEPT = (
    "not killed, not shown equivalent: spoils the candidates kept from before the best "
    "one improved; they decide the answer only when an earlier candidate is nearer by "
    "geodesic than the later, nearer-by-chord one (a near tie, within the slack)"
)
_FULL = (
    "not killed, not shown equivalent: which candidate is replaced when all 64 slots hold "
    "pieces within the slack window; the 400-gon test fills the list and holds the answer "
    "only to the 1.5 m sag of its pieces"
)
_POLE = (
    "equivalent: h is the horizontal part of the midpoint's normal, 0 only over a pole, "
    "where the meridian and prime-vertical radii are equal, so either branch gives the "
    "same radius"
)
_NOGRID = (
    "equivalent: with nx = 0 or ny = 0 no point falls inside the grid, so the grid's other "
    "fields are never read"
)
_ONLINE = (
    "equivalent except exactly on the line: changes only the side reported when s is "
    "exactly 0, a point on the polyline itself"
)
_BLOCK = "equivalent: changes how points are grouped in blocks, not what is computed for each"
_GRIDSEL = (
    "equivalent in the answer: changes which points look up their grid cell and which walk "
    "the tree; both give the same answer (tests/test_kernels.py checks both ways)"
)
_GRIDEDGE = (
    "not killed, not shown equivalent: a point exactly on the grid's far edge (fx = nx or "
    "fy = ny) would get the next row's cell or none; no test puts one there"
)
_WRONGCELL = (
    "not killed, not shown equivalent: with the origin added instead of subtracted, the "
    "tested points fall outside the grid and walk the tree (same answer); a grid whose "
    "origin is near the negative of the point's coordinate would hand out a wrong cell"
)
EXPLAINED = {
    (
        "geodesy",
        "if cells <= 1 or (np.ptp(lon_v) > 180.0):  # no grid for lines crossing the antimeridian",
    ): (
        "equivalent: a one-cell grid is left out, and the tree gives the same answers as the "
        "grid (tests/test_kernels.py runs every check both ways)"
    ),
    (
        "geodesy",
        "if cells <= 0 or (np.ptp(lon_v) >= 180.0):  # no grid for lines crossing the antimeridian",
    ): ("equivalent: moves the no-grid cut-off by a hair; grid and tree give the same answers"),
    (
        "geodesy",
        "if cells <= 0 or (np.ptp(lon_v) > 181.0):  # no grid for lines crossing the antimeridian",
    ): (
        "equivalent: a line spanning 180° to 181° of longitude gets a grid; grid and tree "
        "give the same answers"
    ),
    ("map-escaping", 'if "src=" in (match.group(1) or "XXXX"):'): (
        "equivalent: the fallback string is for a <script> without attributes, and neither "
        "'' nor 'XXXX' holds 'src='"
    ),
    ("geodesy", "empty = np.zeros(2, dtype=np.int64)"): _NOGRID,
    (
        "geodesy",
        "return (1.0, 0.0, 1.0, 1.0, 0, 0, empty, empty, np.zeros(1), np.zeros(1))",
    ): _NOGRID,
    (
        "geodesy",
        "return (0.0, 1.0, 1.0, 1.0, 0, 0, empty, empty, np.zeros(1), np.zeros(1))",
    ): _NOGRID,
    (
        "geodesy",
        "return (0.0, 0.0, 2.0, 1.0, 0, 0, empty, empty, np.zeros(1), np.zeros(1))",
    ): _NOGRID,
    (
        "geodesy",
        "return (0.0, 0.0, 1.0, 2.0, 0, 0, empty, empty, np.zeros(1), np.zeros(1))",
    ): _NOGRID,
    (
        "geodesy",
        "return (0.0, 0.0, 1.0, 1.0, 1, 0, empty, empty, np.zeros(1), np.zeros(1))",
    ): _NOGRID,
    (
        "geodesy",
        "return (0.0, 0.0, 1.0, 1.0, 0, 1, empty, empty, np.zeros(1), np.zeros(1))",
    ): _NOGRID,
    (
        "geodesy",
        "return (0.0, 0.0, 1.0, 1.0, 0, 0, empty, empty, np.zeros(2), np.zeros(1))",
    ): _NOGRID,
    (
        "geodesy",
        "return (0.0, 0.0, 1.0, 1.0, 0, 0, empty, empty, np.zeros(1), np.zeros(2))",
    ): _NOGRID,
    ("geodesy", "line=first_row - i,"): (
        "killed by test_as_lonlat_names_the_record_and_its_row_number (checked by hand: "
        "the runner's command on the mutated copy exits 1); the cache still holds the "
        "status of a run with older tests, and the time cap came before its re-run"
    ),
    ("geodesy", "pieces = np.maximum(np.ceil(length_m * step_m).astype(np.int64), 1)"): (
        "killed by test_densified_lonlat_chords_stay_within_the_sag (checked by hand); it "
        "asks for tens of gigabytes, which mutmut 2 had counted as a survivor until "
        "mutation/pytest_runner.py, and the time cap came before its re-run"
    ),
    ("dates", "end = e1 if e1 >= s1 else s1"): (
        "equivalent: e1 == s1 only for a time bound (an instant), where both give s1"
    ),
    ("dates", "if not DATE_MIN.year <= value <= DATE_MAX.year:"): (
        "equivalent: it lets only the integer 2200 through, whose text '2200' then meets "
        "_parse_bound's year check, which raises the same message"
    ),
    (
        "geojson",
        "_CHUNK = 50001  # rows per block in the vectorized GeoJSON writer (fits in cache)",
    ): ("equivalent: the block size only splits the rows into batches; the file is the same"),
    ("geodesy", "lon_a = (lon_a - 180.0) % 360.0 - 180.0"): (
        "equivalent: x - 180 and x + 180 differ by 360, so their remainders mod 360 agree"
    ),
    ("kernels", "CHORD_SLACK = 1.0001  # relative: see step 2 of the method above"): _SLACK,
    ("kernels", "CHORD_SLACK_M = 1.5  # absolute, for points very near the line"): _SLACK,
    ("kernels", "LEAF_SIZE = 9"): (
        "equivalent: leaf size only changes the shape of the bounding-box tree, whose "
        "search finds every segment within the window whatever the shape"
    ),
    ("kernels", "MAX_CELL_LIST = 49  # longer candidate lists fall back to the tree"): (
        "equivalent: which cells fall back to the tree search changes; both searches give "
        "the same candidates (tests/test_kernels.py runs every check with grid and tree)"
    ),
    ("kernels", "tab = np.empty((n, 8))"): _SIZE,
    ("kernels", "break"): (
        "not killed, not shown equivalent: with a zero-length piece first, the "
        "neighbouring piece's normal is skipped and the side of a point at that vertex "
        "can come out 0"
    ),
    ("kernels", "if s >= 0.0:"): _ONLINE,
    ("kernels", "if s <= 0.0:"): _ONLINE,
    ("kernels", "if s < 1.0:"): _ONLINE,
    ("kernels", "return 1"): _ONLINE,
    ("kernels", "@numba.njit(parallel=False, **_JIT)"): "equivalent: the same loop, run serially",
    ("kernels", "@numba.njit(parallel=False, nogil=True, **_JIT)"): (
        "equivalent: the same loop, run serially (every point's result is computed alone, so "
        "the order does not matter; uncompiled, as mutants run, the decorator is not used)"
    ),
    ("kernels", "@numba.njit(parallel=True, nogil=False, **_JIT)"): (
        "equivalent: the loop then holds the GIL while it runs, which costs other Python "
        "threads time but changes no result (uncompiled, as mutants run, the decorator is "
        "not used)"
    ),
    ("kernels", "block = 1025"): _BLOCK,
    ("kernels", "for ib in numba.prange((n + block + 1) // block):"): _BLOCK,
    ("kernels", "for i in range(ib * block, min(n, (ib + 2) * block)):"): (
        "equivalent: blocks overlap, so some points are computed twice, with the same result"
    ),
    ("kernels", "stack = np.empty(129, dtype=np.int64)"): _SIZE,
    ("kernels", "cand_d2 = np.empty(65)"): _SIZE,
    ("kernels", "cand_t = np.empty(65)"): _SIZE,
    ("kernels", "fx = (lon[i] + lon0) / dlon"): _WRONGCELL,
    ("kernels", "fy = (lat[i] + lat0) / dlat"): _WRONGCELL,
    (
        "kernels",
        "c = int(fy) * nx + int(fx) if (1.0 <= fx < nx and 0.0 <= fy < ny) else -1",
    ): _GRIDSEL,
    (
        "kernels",
        "c = int(fy) * nx + int(fx) if (0.0 < fx < nx and 0.0 <= fy < ny) else -1",
    ): _GRIDSEL,
    (
        "kernels",
        "c = int(fy) * nx + int(fx) if (0.0 <= fx <= nx and 0.0 <= fy < ny) else -1",
    ): _GRIDEDGE,
    (
        "kernels",
        "c = int(fy) * nx + int(fx) if (0.0 <= fx < nx and 1.0 <= fy < ny) else -1",
    ): _GRIDSEL,
    (
        "kernels",
        "c = int(fy) * nx + int(fx) if (0.0 <= fx < nx and 0.0 < fy < ny) else -1",
    ): _GRIDSEL,
    (
        "kernels",
        "c = int(fy) * nx + int(fx) if (0.0 <= fx < nx and 0.0 <= fy <= ny) else -1",
    ): _GRIDEDGE,
    ("kernels", "c = int(fy) * nx + int(fx) if (0.0 <= fx < nx or 0.0 <= fy < ny) else -1"): (
        "not killed, not shown equivalent: a point beside the grid in one direction only "
        "would get a wrong (or no) cell; the tests' points lie inside the grid or outside"
        " it in both directions"
    ),
    ("kernels", "c = int(fy) * nx + int(fx) if (0.0 <= fx < nx and 0.0 <= fy < ny) else -2"): (
        "equivalent: any negative cell index means no cell"
    ),
    ("kernels", "if c > 0 and cell_r[c] >= 0.0:"): _GRIDSEL,
    ("kernels", "if c >= 1 and cell_r[c] >= 0.0:"): _GRIDSEL,
    ("kernels", "if c >= 0 and cell_r[c] > 0.0:"): (
        "equivalent: a cell radius is either -1 (no list) or at least 1 m"
    ),
    ("kernels", "if c >= 0 and cell_r[c] >= 1.0:"): (
        "equivalent: a cell radius is either -1 (no list) or at least 1 m (r · 1.02 + 1)"
    ),
    ("kernels", "if _box_d2(px, py, pz, mn, mx, node) >= lim2:"): (
        "equivalent: skips a box exactly at the window edge, which can only hold pieces at the edge"
    ),
    ("kernels", "if left[node] <= 0:"): (
        "equivalent: a child id is never 0 (node 0 is the root), so left[node] is -1 or at least 1"
    ),
    ("kernels", "if left[node] < 1:"): (
        "equivalent: a child id is never 0 (node 0 is the root), so left[node] is -1 or at least 1"
    ),
    ("kernels", "if d2 < lim2:"): "equivalent: differs only for a piece exactly on the window edge",
    ("kernels", "if _box_d2(px, py, pz, mn, mx, a) <= _box_d2(px, py, pz, mn, mx, b):"): (
        "equivalent: on a tie the two children are searched in the other order; both are "
        "searched unless skipped by the window"
    ),
    ("kernels", "if c == 1.0:"): (
        "equivalent: differs only for a chord of exactly 1 m, where the series gives 1 m too"
    ),
    ("kernels", "hor2 = c * c + dn_up * dn_up"): (
        "equivalent within reach: the chord's vertical part is c²/2R, so its direction, "
        "and the radius it picks, move by (c/2R)²: below a nanometre at 200 km"
    ),
    ("kernels", "if h >= 1e-12 and hor2 > 0.0:"): _POLE,
    ("kernels", "if h > 2e-12 and hor2 > 0.0:"): _POLE,
    ("kernels", "if h > 1e-12 and hor2 >= 0.0:"): (
        "equivalent: hor2 = 0 means a vertical chord, which two surface points cannot make"
    ),
    ("kernels", "if h > 1e-12 and hor2 > 1.0:"): (
        "equivalent within reach: for a chord under 1 m across, x = c/R is 1.6e-7 and the"
        " radius it uses cannot show"
    ),
    ("kernels", "if h > 1e-12 or hor2 > 0.0:"): _POLE,
    ("kernels", "return c * (1.0 + x2 / 24.0 + 3.0 * x2 * x2 / 641.0)"): (
        "equivalent within the stated accuracy: 3x⁴/640 - 3x⁴/641 moves the distance by "
        "4.5 mm at 1,000 km (bound 4 cm) and 7 nm at 200 km (bound 0.01 mm)"
    ),
    ("kernels", "s0 = seg_start[seg if k == 1 else other]"): (
        "equivalent: other is seg when only one piece counts, and the two normals are "
        "summed in either order"
    ),
    (
        "kernels",
        "big_a = 1.0 + u_sq / 16384.0 * (4096.0 + u_sq * (-768.0 + u_sq * (320.0 - 176.0 * u_sq)))",
    ): (
        "equivalent within reach: the u⁸ term (u² ≤ 0.0067) moves the distance by 2 µm at 20,000 km"
    ),
    ("kernels", "ux = vx * (A_M * A_M)"): _UP,
    ("kernels", "ux = vx / (A_M / A_M)"): _UP,
    ("kernels", "uy = vy * (A_M * A_M)"): _UP,
    ("kernels", "uy = vy / (A_M / A_M)"): _UP,
    ("kernels", "s0 = seg_start[seg if k != 0 else other]"): (
        "equivalent: the two normals are summed, in either order"
    ),
    ("kernels", "if t <= 1.0 and seg_prev[seg] >= 0:"): _VERTEX,
    ("kernels", "if t < 0.0 and seg_prev[seg] >= 0:"): _VERTEX,
    ("kernels", "if t <= 0.0 and seg_prev[seg] > 0:"): _VERTEX,
    ("kernels", "if t <= 0.0 and seg_prev[seg] >= 1:"): _VERTEX,
    ("kernels", "if t <= 0.0 or seg_prev[seg] >= 0:"): _VERTEX,
    ("kernels", "use = 3"): (
        "equivalent: the loop adds the second piece's normal once more (k = 2 reads other"
        " again): same direction, same sign"
    ),
    ("kernels", "elif t >= 1.0 and seg_next[seg] > 0:"): _VERTEX,
    ("kernels", "elif t >= 1.0 and seg_next[seg] >= 1:"): _VERTEX,
    ("kernels", "elif t >= 2.0 and seg_next[seg] >= 0:"): _VERTEX,
    ("kernels", "elif t >= 1.0 or seg_next[seg] >= 0:"): _VERTEX,
    ("kernels", "dx = max(1.0, mn[node, 0] - px, px - mx[node, 0])"): _FLOOR,
    ("kernels", "dy = max(1.0, mn[node, 1] - py, py - mx[node, 1])"): _FLOOR,
    ("kernels", "dz = max(1.0, mn[node, 2] - pz, pz - mx[node, 2])"): _FLOOR,
    ("kernels", "lim = best * (2.0 + CHORD_SLACK) + CHORD_SLACK_M"): _SLACK,
    ("kernels", "lim = best * (1.0 + CHORD_SLACK) - CHORD_SLACK_M"): (
        "not killed, not shown equivalent: a window 1 m narrower near the line can only "
        "drop a piece whose chord distance is within 0.5 m of the best one, a near tie "
        "whose geodesic distances differ by far less than the 0.5 mm tolerance"
    ),
    ("kernels", "if d2 <= best * best:"): (
        "equivalent: on a tie the best distance is recomputed to the same value"
    ),
    ("kernels", "if d2 < best / best:"): (
        "equivalent in the answer: the window then never narrows (best stays infinite "
        "until a piece within 1 m), so more pieces are kept and measured; a full list "
        "keeps the nearest by chord"
    ),
    ("kernels", "if cand_d2[c] < lim2:"): (
        "equivalent: differs only for a candidate exactly on the window edge"
    ),
    ("kernels", "cand_d2[keep] = None"): _KEPT,
    ("kernels", "cand_t[keep] = None"): _KEPT,
    ("kernels", "keep = 1"): _KEPT,
    ("kernels", "slot = 1"): _FULL,
    ("kernels", "if cand_d2[c] >= cand_d2[slot]:"): _FULL,
    ("kernels", "if cand_d2[slot] < d2:"): _FULL,
    ("kernels", "if 0.0 < t < 2.0:  # lift the chord point to the ellipsoid"): _ROUNDING,
    ("kernels", "out_t[i] = None"): (
        "equivalent at the public API: PolylineIndex.nearest passes a scratch array for t"
        " and never reads it"
    ),
    ("kernels", "use = 2"): (
        "equivalent: for a foot inside a piece, other is that piece, so its normal is "
        "added twice: same direction, same sign"
    ),
    ("kernels", "other = None"): (
        "equivalent: other is read only when use is 2, and then it has been set to the "
        "neighbouring piece"
    ),
    ("kernels", "best_c = +1"): _TYPED,
    ("kernels", "best_c = -2"): _TYPED,
    ("kernels", "best_c = None"): _TYPED,
    ("kernels", "bx = 1.0"): _TYPED,
    ("kernels", "bx = None"): _TYPED,
    ("kernels", "by = 1.0"): _TYPED,
    ("kernels", "by = None"): _TYPED,
    ("kernels", "bz = 1.0"): _TYPED,
    ("kernels", "bz = None"): _TYPED,
    (
        "kernels",
        "far = best >= SERIES_LIMIT_M",
    ): (
        "equivalent: differs only for a chord of exactly 1,000 km, where the series (4 cm) "
        "and the exact far-field search (1 mm) both meet the 4 cm stated there"
    ),
    ("kernels", "if 0.0 <= t < 1.0:  # lift the chord point to the ellipsoid"): _ROUNDING,
    ("kernels", "if 0.0 < t <= 1.0:  # lift the chord point to the ellipsoid"): _ROUNDING,
    ("kernels", "elif t > 1.0:"): _ROUNDING,
    ("kernels", "elif t >= 2.0:"): _ROUNDING,
    (
        "kernels",
        "if d <= best_geo:",
    ): "equivalent: on a tie the later candidate is kept, at the same distance",
    ("kernels", "top = 2"): _UNINIT,
    (
        "kernels",
        "count = 2",
    ): "equivalent: node ids start at 2, leaving slot 1 unused; cap has room for it",
    (
        "kernels",
        "count += 3",
    ): "equivalent: node ids skip every third slot; cap (4 (n // 8 + 2)) has room for them",
    ("kernels", "mn[node, j] = None"): _PRUNE,
    ("kernels", "mx[node, j] = +np.inf"): _PRUNE,
    ("kernels", "mx[node, j] = None"): _PRUNE,
    (
        "kernels",
        "if b - a >= LEAF_SIZE:",
    ): (
        "equivalent: leaves of exactly 8 segments are split in two; the search finds the same"
        " segments"
    ),
    (
        "kernels",
        "mid = (a + b) / 2",
    ): (
        "equivalent uncompiled: the float is truncated when stored in the int64 work array, "
        "as // would"
    ),
    (
        "kernels",
        "todo[top, 1] = a",
    ): (
        "equivalent: todo[top] still holds the entry just popped, whose first column is "
        "already a (and column 1 is overwritten with mid next)"
    ),
    ("kernels", "return dx * dx - dy * dy + dz * dz"): _PRUNE,
    ("kernels", "return dx * dx + dy * dy - dz * dz"): _PRUNE,
    ("kernels", "cap = 5 * (n // LEAF_SIZE + 2)"): _SIZE,
    ("kernels", "cap = 4 * (n // LEAF_SIZE + 3)"): _SIZE,
    ("kernels", "mn = np.empty((cap, 4))"): _SIZE,
    ("kernels", "mx = np.empty((cap, 4))"): _SIZE,
    ("kernels", "todo = np.empty((129, 3), dtype=np.int64)"): _SIZE,
    ("kernels", "todo = np.empty((128, 4), dtype=np.int64)"): _SIZE,
    ("kernels", "tab[k, 6] = 1.0 / ll if ll > 0.0 else 1.0"): (
        "equivalent: the factor multiplies the dot product with a zero direction, so the "
        "foot parameter of a zero-length segment is 0 either way"
    ),
    ("kernels", "right = +np.ones(cap, dtype=np.int64)"): (
        "equivalent: right[] is read only for inner nodes, where build_tree sets it; leaves "
        "are recognised by left[] < 0"
    ),
    ("kernels", "REFINE = -2.0  # distance written for a far point: bordermap._farfield measures it"): (
        "equivalent: any negative distance marks a far point (PolylineIndex.nearest refines "
        "the rows below 0 and overwrites them)"
    ),
    ("kernels", "none = np.empty(1, dtype=np.int64)"): (
        "equivalent: the counting pass never writes to it (at < 0), so its length is never read"
    ),
    (
        "kernels",
        "right, lo, hi, stack, none, -2)",
    ): "equivalent: any negative start means 'count only'",
    ("kernels", "if d2 < lim2 and n < out_seg.shape[0]:"): (
        "equivalent: differs only for a piece exactly on the window edge"
    ),
    ("kernels", "if d2 <= lim2 and n <= out_seg.shape[0]:"): (
        "not killed, not shown equivalent: the list's capacity is min(pieces, 4096) (at least "
        "49), so it can overflow only when more than 4,096 pieces (over 8,000 km of line) are "
        "within one cell's limit; no test line is that long (uncompiled, building one would "
        "take minutes per mutant)"
    ),
    ("kernels", "if d2 <= lim2 or n < out_seg.shape[0]:"): (
        "equivalent in the answer: every piece is listed until the list is full; a cell's "
        "list then holds all pieces (a superset of the candidates) or, longer than "
        "MAX_CELL_LIST, sends its points to the tree, which gives the same answers"
    ),
    ("kernels", "out_d[n] = None"): (
        "equivalent in the answer: uncompiled the distances become NaN, so a point scanning "
        "its cell's list never stops early (NaN - r > lim is false) and measures every piece "
        "of the list; the same nearest is kept"
    ),
    ("kernels", "d_sorted = None"): (
        "equivalent in the answer: uncompiled the distances become NaN, so a point scanning "
        "its cell's list never stops early (NaN - r > lim is false) and measures every piece "
        "of the list; the same nearest is kept"
    ),
    ("kernels", "out_d[:n] = None"): (
        "equivalent in the answer: uncompiled the distances become NaN, so a point scanning "
        "its cell's list never stops early (NaN - r > lim is false) and measures every piece "
        "of the list; the same nearest is kept"
    ),
    ("kernels", "nseg = tab.shape[1]"): (
        "equivalent in the answer: the lists' capacity becomes 49 (MAX_CELL_LIST + 1), so a "
        "list of more than 48 pieces stops at 49 and its cell falls back to the tree, as it "
        "would anyway; shorter lists are complete"
    ),
    ("kernels", "cap = min(nseg, 4097)"): _SIZE,
    ("kernels", "if cap < MAX_CELL_LIST:"): (
        "equivalent: differs only for a line of exactly 48 pieces, whose lists then have room "
        "for 48 (every piece) instead of 49"
    ),
    ("kernels", "cap = MAX_CELL_LIST + 2"): _SIZE,
    ("kernels", "none = None"): (
        "not killed uncompiled, where the counting pass never touches its `out` argument; "
        "compiled (every ordinary run of the tests) numba cannot type None as the int64 "
        "array and the build fails, so test_kernels.py fails on it outside a mutation run"
    ),
    ("kernels", "todo[0, 1] = 0"): _UNINIT,
    ("kernels", "todo[1, 2] = 0"): _UNINIT,
}
