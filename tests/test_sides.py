"""Sides decided deterministically at 50 m, 200 m and 1 km either side of every frontier edge.

For every edge of every named frontier, points are put at exact geodesic offsets
perpendicular to the edge at its geodesic midpoint (geographiclib).  The country
each point lies in is decided here, independently of bordermap: the Natural Earth
polygons are read straight from the embedded file, their edges near the points are
densified with geographiclib until every lon/lat chord is within 1 cm of its
geodesic, and shapely's point-in-polygon answers.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic

from bordermap._data import natural_earth_path
from bordermap.analysis import analyse, side_of
from bordermap.frontiers import get_frontier, list_frontiers

WGS84 = Geodesic.WGS84
OFFSETS_M = (50.0, 200.0, 1000.0)
SAG_M = 0.01
NEAR_DEG = 0.05  # polygon edges this close (in degrees) to a test point are densified


def offset_points(f) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """lon, lat and offset (m) of points either side of the midpoint of every edge."""
    lon, lat, off = [], [], []
    for seg in f.segments:
        for part in shapely.get_parts(seg.geometry):
            xy = shapely.get_coordinates(part)
            for i in range(len(xy) - 1):
                line = WGS84.InverseLine(xy[i, 1], xy[i, 0], xy[i + 1, 1], xy[i + 1, 0])
                if line.s13 == 0:
                    continue
                mid = line.Position(line.s13 / 2)
                for d in OFFSETS_M:
                    for turn in (-90.0, 90.0):
                        p = WGS84.Direct(mid["lat2"], mid["lon2"], mid["azi2"] + turn, d)
                        lon.append(p["lon2"])
                        lat.append(p["lat2"])
                        off.append(d)
    return np.array(lon), np.array(lat), np.array(off)


def _dense_ring(xy: np.ndarray, near: np.ndarray) -> np.ndarray:
    """A ring whose flagged edges are split at geodesic points until each chord sags < 1 cm."""
    out = [xy[0]]
    for i in range(len(xy) - 1):
        a, b = xy[i], xy[i + 1]
        if near[i]:
            out.extend(_split(a, b))
        out.append(b)
    return np.array(out)


def _split(a: np.ndarray, b: np.ndarray, depth: int = 0) -> list[np.ndarray]:
    """Interior geodesic points of edge a-b so that each lon/lat chord is within SAG_M."""
    line = WGS84.InverseLine(a[1], a[0], b[1], b[0])
    if line.s13 == 0 or depth > 20:
        return []
    g = line.Position(line.s13 / 2)
    # the chord's midpoint (in lon/lat; longitudes unwrapped along the edge)
    dlon = (b[0] - a[0] + 180.0) % 360.0 - 180.0
    chord_mid = (a[0] + dlon / 2, (a[1] + b[1]) / 2)
    sag = WGS84.Inverse(g["lat2"], g["lon2"], chord_mid[1], chord_mid[0])["s12"]
    if sag <= SAG_M:
        return []
    m = np.array([a[0] + ((g["lon2"] - a[0] + 180.0) % 360.0 - 180.0), g["lat2"]])
    return [*_split(a, m, depth + 1), m, *_split(m, b, depth + 1)]


def geodesic_polygon(geom, pts_tree: shapely.STRtree):
    polys = []
    for poly in shapely.get_parts(geom):
        rings = []
        for ring in [poly.exterior, *poly.interiors]:
            xy = shapely.get_coordinates(ring)
            edges = shapely.linestrings(np.stack([xy[:-1], xy[1:]], axis=1))
            near = np.zeros(len(edges), dtype=bool)
            hit = pts_tree.query(edges, predicate="dwithin", distance=NEAR_DEG)[0]
            near[np.unique(hit)] = True
            rings.append(_dense_ring(xy, near))
        polys.append(shapely.Polygon(rings[0], rings[1:]))
    return shapely.MultiPolygon(polys)


@pytest.fixture(scope="module")
def countries():
    import geopandas as gpd

    return gpd.read_file(f"zip://{natural_earth_path()}").set_index("ADM0_A3")


@pytest.fixture(scope="module", params=list(list_frontiers()))
def case(request, countries):
    f = get_frontier(request.param)
    lon, lat, off = offset_points(f)
    tree = shapely.STRtree(shapely.points(lon, lat))
    want = np.full(len(lon), "", dtype=object)
    for iso in f.countries:
        poly = geodesic_polygon(countries.geometry[iso], tree)
        want[shapely.contains_xy(poly, lon, lat)] = iso
    return f, lon, lat, off, want


def test_every_edge_is_probed_on_both_sides(case):
    f, lon, _lat, off, want = case
    n_edges = sum(len(shapely.get_coordinates(p)) - 1 for p in shapely.get_parts(f.geometry))
    assert len(lon) >= 6 * n_edges * 0.99  # all but zero-length edges
    for d in OFFSETS_M:
        # the polygons put points on both sides: the oracle is not degenerate
        got = set(want[off == d])
        assert set(f.countries) <= got, (f.name, d, got)


@pytest.mark.parametrize("offset_m", OFFSETS_M)
def test_side_of_matches_the_geodesic_polygons(case, offset_m):
    f, lon, lat, off, want = case
    k = off == offset_m
    got = side_of(lon[k], lat[k], frontier=f)
    bad = np.flatnonzero(got != want[k])
    assert bad.size == 0, (
        f"{f.name}: {bad.size} of {k.sum()} points {offset_m:g} m off the line on the wrong "
        f"side, e.g. ({lon[k][bad[0]]:.6f}, {lat[k][bad[0]]:.6f}): "
        f"{got[bad[0]]!r} instead of {want[k][bad[0]]!r}"
    )


def test_analyse_reports_the_side_beyond_on_line_m_and_on_the_line_within(case):
    f, lon, lat, off, want = case
    gdf = analyse(np.c_[lon, lat], frontier=f)  # on_line_m = 100
    side = gdf["side"].to_numpy()
    dist_m = gdf["distance_km"].to_numpy() * 1000
    # no point is farther from the line than its offset from one edge
    assert (dist_m <= off + 1e-3).all()
    on = dist_m < 100.0
    assert on[off == 50.0].all()
    assert (side[on] == "").all()
    beyond = ~on & (want != "")
    assert beyond[off == 1000.0].mean() > 0.5
    assert (side[beyond] == want[beyond]).all()
    # the sign follows the side: positive in countries[0], negative in countries[1]
    signed = gdf["signed_distance_km"].to_numpy()
    a = beyond & (want == f.countries[0])
    b = beyond & (want == f.countries[1])
    assert (signed[a] > 0).all() and (signed[b] < 0).all()
    assert (signed[on] == 0).all()
    for iso, name in ((f.countries[0], a), (f.countries[1], b)):
        assert np.isclose(np.abs(signed[name]), dist_m[name] / 1000, rtol=0, atol=1e-12).all()
        assert (gdf["country"].to_numpy()[name] == iso).all()


def test_the_sag_threshold_matters_for_the_oracle():
    """Straight lon/lat edges are off the geodesic by more than 50 m on long edges:
    densifying the polygons is what makes the 50 m points decidable."""
    a, b = np.array([60.0, 30.0]), np.array([61.5, 30.6])  # ~160 km
    line = WGS84.InverseLine(a[1], a[0], b[1], b[0])
    g = line.Position(line.s13 / 2)
    sag = WGS84.Inverse(g["lat2"], g["lon2"], (a[1] + b[1]) / 2, (a[0] + b[0]) / 2)["s12"]
    assert sag > 50.0
    pts = _split(a, b)
    assert len(pts) > 10
    # every inserted point lies on the geodesic (distance sums to the edge length)
    chain = [a, *pts, b]
    total = sum(WGS84.Inverse(p[1], p[0], q[1], q[0])["s12"] for p, q in itertools.pairwise(chain))
    assert math.isclose(total, line.s13, rel_tol=0, abs_tol=1e-6)
