"""Reasons for survivors re-examined on 2026-11-28 (merged last by ``mutation/run.py``,
so that a reason here replaces an older one for the same mutant).

Same keys and conventions as ``explained.py``: (target group, mutated line, stripped);
a reason starting with "equivalent" is left out of the score without equivalents.
Each was checked by running the target's tests on a scratch copy with the mutant
applied (``NUMBA_DISABLE_JIT=1`` for the kernels), after the tests written for the
killable ones.
"""

from __future__ import annotations

_TIE = (
    "not killed, not shown equivalent: changes which candidate a full list (64 pieces "
    "within the slack window) gives up only when two of them are at exactly the same "
    "chord distance (floating-point equal); the contract (the farthest goes, a farther "
    "newcomer is not kept) is asserted call by call in "
    "test_add_candidate_keeps_the_window_and_replaces_the_farthest"
)
_NEXT = (
    "equivalent: a piece's next piece is the piece after it (index 1 or more) or -1 at the "
    "end of a part, so `> 0` and `>= 1` test the same as `>= 0`"
)
_INTERIOR = (
    "not killed, not shown equivalent: for a foot inside a piece (0 < t < 1) the point's "
    "offset from its foot is along the piece's own left normal and the vertical; adding "
    "the next piece's normal (at most 180° away) scales the horizontal part by "
    "1 + cos(turn) >= 0 and cannot flip it.  It could flip only where the vertical part "
    "(the chord's sag under the surface, centimetres) outweighs the horizontal one: "
    "points within centimetres of a piece just before a sharp turn"
)
_ZERO_PIECE = (
    "equivalent: PolylineIndex drops pieces of zero length when it is built "
    "(geodesy._without_zero_pieces) except in a part that is one repeated point, where "
    "every piece has zero length; so a zero-length piece is never followed by one with a "
    "direction"
)
_R_START = (
    "equivalent: r is the largest of nine chords from a cell's centre, one of them to a "
    "corner; a grid cell is at least 0.005° (a 1° margin round the line, at most 2^17 "
    "cells), so that chord is always longer than 1 m"
)
_SYMMETRIC_LON = (
    "equivalent: a lon/lat cell is symmetric about its central meridian: its western "
    "samples are as far from the centre as its eastern ones"
)
_SYMMETRIC_LAT = (
    "equivalent: the samples are taken at -0.5, 0 and +0.5 of the cell's height; negating "
    "the offsets takes the same nine points"
)
_SOUTH_EDGE = (
    "equivalent: the grid starts at or north of 90° S (_cell_grid holds lat0 >= -90), so "
    "no sample falls south of the south pole to be held to it"
)
_BEST_ONLY = (
    "equivalent: only the smallest chord distance found by that search is used; how many "
    "candidates its list can hold does not change it"
)
_NEGATIVE = (
    "equivalent: any negative radius marks a cell that falls back to the tree; every "
    "reader tests the sign (r < 0, cell_r >= 0)"
)
_RADIUS_SIGN = (
    "equivalent: a cell's radius is either -1 (the cell falls back to the tree) or at "
    "least 1 m (the widening adds 1 m), so < 0, <= 0 and < 1 pick the same cells"
)
_SORTED = (
    "equivalent in the answers: a cell's list is sorted by distance from its centre, so "
    "once one piece starts beyond the window (item_d - r > lim) every later one does; "
    "reading on (continue) or stopping at equality skips only pieces at or beyond the "
    "window's edge, which the slack keeps from ever being nearest"
)
_GRID_ONLY_SPEED = (
    "equivalent in the answers: how many cells the grid has changes its speed, not its "
    "answers (every cell's list holds every piece that can be nearest, or the cell falls "
    "back to the tree; tests/test_kernels.py checks tree and grid alike)"
)
_POLE_ROW = (
    "equivalent in the answers: a grid reaching up to 1° past a pole has cells no point "
    "falls in; grid and tree give the same answers wherever a point falls"
)
_SPIKE = (
    "equivalent: closing an already closed ring 'along the pole' adds a spike of no "
    "width (out along one meridian and back); make_valid turns it into a line, which the "
    "polygon filter drops, leaving the same polygons "
    "(test_a_ring_starting_mid_edge_is_not_closed_along_a_pole shows it for a spike "
    "through the interior)"
)
_PAST_POLE = (
    "equivalent: the ring is closed at 91° instead of 90° and then clipped to the "
    "[-90°, 90°] window: the same cap"
)
_EQUATOR = (
    "equivalent: differs only for a ring round the globe whose vertices' mean latitude is "
    "exactly 0, which splits the globe into two equal halves: either pole is as right"
)
_CLOSE_TWICE = (
    "equivalent: the ring then ends by going back over its first edge and returning "
    "(shapely closes it), a spike of no width along an edge that make_valid removes"
)
_LINE_MERGE = (
    "equivalent: shapely.line_merge keeps only the linear parts of what it is given (a "
    "point where a line touches a window's edge is dropped before this filter)"
)
_THRESHOLD = (
    "equivalent: unwrapped ring ends differ by 0 or by a whole turn (360°) up to "
    "rounding of 1e-13°, so any threshold between those separates them"
)

_FAR_MARGIN = (
    "equivalent: the far search's sag margin is never needed.  A far point (over 1,000 km) "
    "lies below the tangent plane at any point of the line (the ellipsoid is convex; the "
    "chord to it dips at least 4.5° under the horizon), so the chord point under a lifted "
    "foot is nearer to it than the foot and the chord limit alone keeps every piece that "
    "can be nearest; a smaller or larger margin changes only how many pieces are measured"
)
_FAR_MORE = (
    "equivalent: more candidate pieces, or more pieces searched by golden section; the "
    "answer is the least of all the options (both ends of every piece and every searched "
    "minimum), which more options cannot make worse, and fewer cannot make better once "
    "the nearest piece is among them"
)
_GOLDEN_TIE = (
    "equivalent: with fc == fd the minimum of a unimodal function lies between c and d, "
    "which both choices keep"
)
_ZERO_GONE = (
    "equivalent: differs only for pieces of zero length, which PolylineIndex no longer "
    "keeps (geodesy._without_zero_pieces)"
)
_TINY_PIECE = (
    "equivalent within the stated bound: a piece under 1 m is not searched, and at over "
    "1,000 km its interior is at most (0.5 m)² / 2,000 km = 1e-7 m nearer than its ends"
)
_SLOPE_TOL = (
    "equivalent: changes only whether a piece whose distance is flat at an end (|slope| "
    "about 1e-9) is searched; its minimum is then that end, which is an option anyway"
)
_END_LIFT = (
    "equivalent within rounding: at t = 1 the lifted chord point is the piece's end "
    "vertex, which _lifted reproduces to about 1e-12°"
)
_AZ_360 = (
    "not killed, not shown equivalent: only an azimuth that numpy's modulo rounds up to "
    "360 (a foot due north within 1e-17°) tells these apart; no far-field test produces one"
)

REASONS = {
    # kernels: the candidate list
    ("kernels", "slot = 1"): _TIE,
    ("kernels", "if cand_d2[c] >= cand_d2[slot]:"): _TIE,
    ("kernels", "if cand_d2[slot] < d2:"): _TIE,
    # kernels: the side
    ("kernels", "elif t >= 1.0 and seg_next[seg] > 0:"): _NEXT,
    ("kernels", "elif t >= 1.0 and seg_next[seg] >= 1:"): _NEXT,
    ("kernels", "elif t >= 1.0 or seg_next[seg] >= 0:"): _INTERIOR,
    ("kernels", "break"): _ZERO_PIECE,
    # kernels: the cell grid
    ("kernels", "r = 1.0"): _R_START,
    ("kernels", "for sx in (+0.5, 0.0, 0.5):"): _SYMMETRIC_LON,
    ("kernels", "qx, qy, qz = _ecef(clon - sx * dlon, max(-90.0, min(90.0, clat + sy * dlat)))"):
        _SYMMETRIC_LON,
    ("kernels", "qx, qy, qz = _ecef(clon + sx * dlon, max(-90.0, min(90.0, clat - sy * dlat)))"):
        _SYMMETRIC_LAT,
    ("kernels", "qx, qy, qz = _ecef(clon + sx * dlon, max(-91.0, min(90.0, clat + sy * dlat)))"):
        _SOUTH_EDGE,
    ("kernels", "np.empty(65, dtype=np.int64), np.empty(64), np.empty(64))"): _BEST_ONLY,
    ("kernels", "np.empty(64, dtype=np.int64), np.empty(65), np.empty(64))"): _BEST_ONLY,
    ("kernels", "np.empty(64, dtype=np.int64), np.empty(64), np.empty(65))"): _BEST_ONLY,
    ("kernels", "radius[c] = -2.0"): _NEGATIVE,
    ("kernels", "if r <= 0.0:"): _RADIUS_SIGN,
    ("kernels", "if r < 1.0:"): _RADIUS_SIGN,
    ("kernels", "if item_d[j] - r >= lim:"): _SORTED,
    ("kernels", "continue"): _SORTED,
    # farfield
    ("farfield", "RHO_MIN_M = B_M / B_M / A_M  # least radius of curvature of WGS84 (meridian at the equator)"): _FAR_MARGIN,
    ("farfield", "RHO_MIN_M = B_M * B_M * A_M  # least radius of curvature of WGS84 (meridian at the equator)"): _FAR_MARGIN,
    ("farfield", "GOLDEN_STEPS = 49  # 0.618**48 = 1e-10 of the piece"): (
        "equivalent: one more golden-section step narrows the bracket from 1e-10 to 6e-11 of "
        "a piece of at most 2 km (0.2 µm to 0.1 µm)"
    ),
    ("farfield", "left = fc <= fd  # the minimum is in [lo, d]: d becomes hi, c becomes d"): _GOLDEN_TIE,
    ("farfield", "t = np.where(fc <= fd, c, d)"): _GOLDEN_TIE,
    ("farfield", "len2 = np.where(tab[:, 6] >= 0.0, 1.0 / np.where(tab[:, 6] > 0.0, tab[:, 6], 1.0), 0.0)"): _ZERO_GONE,
    ("farfield", "len2 = np.where(tab[:, 6] > 0.0, 1.0 / np.where(tab[:, 6] >= 0.0, tab[:, 6], 1.0), 0.0)"): _ZERO_GONE,
    ("farfield", "len2 = np.where(tab[:, 6] > 0.0, 1.0 / np.where(tab[:, 6] > 0.0, tab[:, 6], 2.0), 0.0)"): _ZERO_GONE,
    ("farfield", "len2 = np.where(tab[:, 6] > 0.0, 1.0 / np.where(tab[:, 6] > 0.0, tab[:, 6], 1.0), 1.0)"): _ZERO_GONE,
    ("farfield", "len2 = np.where(tab[:, 6] > 0.0, 2.0 / np.where(tab[:, 6] > 0.0, tab[:, 6], 1.0), 0.0)"): _FAR_MORE,
    **{("farfield", f"sag_m = float(len2.max()) {e}"): _FAR_MARGIN for e in (
        "* (8.0 * RHO_MIN_M) * 1.01 + 1e-3", "/ (9.0 * RHO_MIN_M) * 1.01 + 1e-3",
        "/ (8.0 / RHO_MIN_M) * 1.01 + 1e-3", "/ (8.0 * RHO_MIN_M) / 1.01 + 1e-3",
        "/ (8.0 * RHO_MIN_M) * 2.01 + 1e-3", "/ (8.0 * RHO_MIN_M) * 1.01 - 1e-3",
        "/ (8.0 * RHO_MIN_M) * 1.01 + 1.001")},
    ("farfield", "limit = chord_limit_m(np.asarray(u_m)) - sag_m"): _FAR_MARGIN,
    ("farfield", "beta_b = beta_b - 180.0  # forward azimuth of the piece at its end"): (
        "equivalent: beta_b is read only through cos(back_b - beta_b), and 180° and -180° "
        "differ by a turn"
    ),
    ("farfield", "(length >= 0.0)"): _ZERO_GONE,
    ("farfield", "(length > 1.0)"): _TINY_PIECE,
    **{("farfield", e): _FAR_MORE for e in (
        "| ((f_a + f_b - chord * 1.0001 - 1e-3) / 2.0 <= u_end[owner])",
        "& ((f_a - f_b - chord * 1.0001 - 1e-3) / 2.0 <= u_end[owner])",
        "& ((f_a + f_b - chord / 1.0001 - 1e-3) / 2.0 <= u_end[owner])",
        "& ((f_a + f_b - chord * 2.0000999999999998 - 1e-3) / 2.0 <= u_end[owner])",
        "& ((f_a + f_b - chord * 1.0001 - 1.001) / 2.0 <= u_end[owner])",
        "& ((f_a + f_b - chord * 1.0001 - 1e-3) / 3.0 <= u_end[owner])",
        "| (slope_a < 1e-9)", "| (slope_b > -1e-9)")},
    ("farfield", "& ((f_a + f_b - chord * 1.0001 + 1e-3) / 2.0 <= u_end[owner])"): (
        "not killed, not shown equivalent: the bound for searching a piece loses its 1 mm "
        "margin; a piece is then skipped only if its bound exceeds the best end by less "
        "than 1 mm, and its interior could beat that end by no more than that"
    ),
    ("farfield", "& ((f_a + f_b - chord * 1.0001 - 1e-3) / 2.0 < u_end[owner])"): (
        "equivalent: differs only where the bound equals the best end's distance exactly; "
        "the piece then cannot hold a nearer point"
    ),
    **{("farfield", e): _SLOPE_TOL for e in (
        "& (slope_a <= 1e-9)", "& (slope_a < 2e-09)", "& (slope_b >= -1e-9)",
        "& (slope_b > +1e-9)", "& (slope_b > -2e-09)")},
    ("farfield", "flon = np.where(best_t == 0.0, lon_v[bva], np.where(best_t == 2.0, lon_v[bva + 1], flon))"): _END_LIFT,
    ("farfield", "flat = np.where(best_t == 0.0, lat_v[bva], np.where(best_t == 2.0, lat_v[bva + 1], flat))"): _END_LIFT,
    ("farfield", "out.azimuth_deg[which] = np.where(az > 360.0, 0.0, az)  # -1e-17 % 360 is 360"): _AZ_360,
    ("farfield", "out.azimuth_deg[which] = np.where(az >= 361.0, 0.0, az)  # -1e-17 % 360 is 360"): _AZ_360,
    ("farfield", "out.azimuth_deg[which] = np.where(az >= 360.0, 1.0, az)  # -1e-17 % 360 is 360"): _AZ_360,
    ("farfield", "t_out[which] = None"): (
        "equivalent: the chord parameters are not part of the result (NearestResult has no "
        "t) and nothing reads them after refine"
    ),
    # geodesy: the grid's extent and size
    ("geodesy", "lat0 = max(-91.0, float(lat_v.min()) - margin_deg)"): _POLE_ROW,
    ("geodesy", "lat1 = min(91.0, float(lat_v.max()) + margin_deg)"): _POLE_ROW,
    ("geodesy", "cells = min(cells, 257 * tab.shape[0])  # a short line needs few cells"):
        _GRID_ONLY_SPEED,
    ("geodesy", "cells = min(cells, 256 / tab.shape[0])  # a short line needs few cells"):
        _GRID_ONLY_SPEED,
    ("geodesy", "cells = min(cells, 256 * tab.shape[1])  # a short line needs few cells"):
        _GRID_ONLY_SPEED,
    ("geodesy", "lat0 = max(-90.0, float(lat_v.min()) - margin_deg)"): _POLE_ROW,
    ("geodesy", "nx = max(2, int(np.ceil((lon1 - lon0) / size)))"): _GRID_ONLY_SPEED,
    ("geodesy", "ny = max(2, int(np.ceil((lat1 - lat0) / size)))"): _GRID_ONLY_SPEED,
    ("geodesy", "grid_margin_deg: float = 2.0,"): _GRID_ONLY_SPEED,
    ("geodesy", "grid_cells: int = 2 << 17,"): _GRID_ONLY_SPEED,
    ("geodesy", "grid_cells: int = 1 >> 17,"): _GRID_ONLY_SPEED,
    ("geodesy", "grid_cells: int = 1 << 18,"): _GRID_ONLY_SPEED,
    ("geodesy", "nxt.append(np.where(np.arange(nseg) < nseg - 1, ids + 1, -2))"): (
        "equivalent: every reader tests a piece's next piece by its sign (>= 0)"
    ),
    **{("geodesy", e): (
        "killed by test_zero_length_pieces_are_dropped_and_their_neighbours_relinked "
        "(checked by hand: the target's tests fail on the mutated copy); the cache holds a "
        "run from before that test, and the time cap came before its re-run"
    ) for e in ("first = np.r_[True, part[1:] == part[:-1]]",
                "first = np.r_[True, part[1:] != part[:+1]]", "first = None")},
    ("geodesy", "part = np.cumsum(seg_prev < 0) + 1  # pieces are stored part by part"): (
        "equivalent: the part labels are all shifted by 2; they only group pieces (an "
        "unused empty label 0 and 1 in bincount)"
    ),
    ("geodesy", "first = np.r_[False, part[1:] != part[:-1]]"): (
        "equivalent: the first piece kept is piece 0, whose previous is ids - 1 = -1 "
        "either way"
    ),
    ("geodesy", "prev.append(np.where(np.arange(nseg) > 0, ids - 1, -2))"): (
        "equivalent: every reader tests a piece's previous piece by its sign (>= 0 in the "
        "kernels, < 0 in _without_zero_pieces)"
    ),
    # analysis
    ("analysis", "boundaries: Any = field(compare=True, hash=False)"): (
        "equivalent: keys compare as tuples, which test identity before equality; two "
        "equal keys hold the very same table (the same id), so tables are never compared "
        "by value"
    ),
    ("analysis", "path = None"): (
        "equivalent in the answers: a path is then keyed by the id of its string; an equal "
        "path given as another string misses the cache and is read again"
    ),
    ("analysis", "which = np.full(lon.shape, +1)"): (
        "equivalent: every distance is finite, so the first frontier's is below the "
        "initial infinity and sets `which` for every point"
    ),
    ("analysis", "which = np.full(lon.shape, -2)"): (
        "equivalent: every distance is finite, so the first frontier's is below the "
        "initial infinity and sets `which` for every point"
    ),
    ("analysis", "x, y, _ = densify(xy[:, 0], xy[:, 1], sag_m=2.0)"): (
        "not killed, not shown equivalent: the crossing test's lines sag up to 2 m from "
        "the geodesic instead of 1 m; differs only for an area whose edge passes between "
        "the two, within 2 m of a long frontier edge"
    ),
    # geojson: closing a ring round a pole
    **{
        ("geojson", f"if abs({a}) > 1e-9:  # encircles a pole: close along it"): _SPIKE
        for a in ("ext[+1, 0] - ext[0, 0]", "ext[-2, 0] - ext[0, 0]", "ext[-1, 1] - ext[0, 0]",
                  "ext[-1, 0] + ext[0, 0]", "ext[-1, 0] - ext[1, 0]", "ext[-1, 0] - ext[0, 1]")
    },
    ("geojson", "if abs(ext[-1, 0] - ext[0, 0]) >= 1e-9:  # encircles a pole: close along it"):
        _THRESHOLD,
    ("geojson", "if abs(ext[-1, 0] - ext[0, 0]) > 2e-09:  # encircles a pole: close along it"):
        _THRESHOLD,
    ("geojson", "pole = 91.0 if ext[:, 1].mean() > 0 else -90.0"): _PAST_POLE,
    ("geojson", "pole = 90.0 if ext[:, 1].mean() > 0 else -91.0"): _PAST_POLE,
    ("geojson", "pole = 90.0 if ext[:, 1].mean() >= 0 else -90.0"): _EQUATOR,
    ("geojson", "ext = np.vstack([ext, [[ext[-1, 0], pole], [ext[0, 0], pole]], ext[:2]])"):
        _CLOSE_TWICE,
    ("geojson", 'if p.geom_type == "LineString" or not p.is_empty'): _LINE_MERGE,
    ("geojson", "shapely.Polygon(ext), shapely.points(hole[1, 0] - 360.0 * turns, hole[0, 1])"): (
        "not killed, not shown equivalent: the probe is then a corner of the hole's bounding "
        "box instead of its first vertex; a different turn wins only if that corner lies "
        "outside the shell and a turn away is nearer it (a hole hugging a bend of a shell)"
    ),
    ("geojson", "shapely.Polygon(ext), shapely.points(hole[0, 0] - 360.0 * turns, hole[1, 1])"): (
        "not killed, not shown equivalent: the probe is then a corner of the hole's bounding "
        "box instead of its first vertex; a different turn wins only if that corner lies "
        "outside the shell and a turn away is nearer it (a hole hugging a bend of a shell)"
    ),
    ("geojson", "shapely.Polygon(ext), shapely.points(hole[0, 0] - 361.0 * turns, hole[0, 1])"): (
        "not killed, not shown equivalent: the probes a turn away land 1° farther; another "
        "turn wins only for a hole within 1° of a shell that a turn away would also hold"
    ),
    # map-escaping
    ("map-escaping", "hashes[f\"'sha256-{base64.b64encode(digest).decode()}'\"] = \"\""): (
        "equivalent: the dict is an ordered set of hashes; its values are never read"
    ),
}  # fmt: skip
