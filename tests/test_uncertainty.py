"""Distance bounds over a place's uncertainty, against brute-force sampling.

The reference samples the disc or area densely and measures each sample's
distance to the line with GeographicLib (through ``pyproj.Geod``, which wraps
Karney's C library; the line itself is densified with the ``geographiclib``
package), independently of bordermap's compiled kernel.  Sampling can only
miss the true extreme, so the bounds must enclose the sampled extremes and lie
within 10 m of them (plus the sampling gap, stated per case).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from pyproj import Geod

from bordermap.analysis import frontier_distance_bounds, frontier_table
from bordermap.geodesy import PolylineIndex
from bordermap.uncertainty import TOLERANCE_M, pair_distance_bounds, polyline_distance_bounds

WGS84 = Geodesic.WGS84
GEOD = Geod(ellps="WGS84")


def _ref_distance_m(lon: np.ndarray, lat: np.ndarray, xy: np.ndarray) -> np.ndarray:
    """Exact distance to a polyline with geodesic edges: golden-section search along
    each edge, for all samples at once (GeographicLib's C library through pyproj)."""
    lon = np.asarray(lon, float)
    lat = np.asarray(lat, float)
    n = lon.size
    best = np.full(n, np.inf)
    phi = (np.sqrt(5.0) - 1.0) / 2.0
    for (x0, y0), (x1, y1) in itertools.pairwise(xy):
        az, _, length = GEOD.inv(x0, y0, x1, y1)

        def f(s: np.ndarray, x0=x0, y0=y0, az=az) -> np.ndarray:
            px, py, _ = GEOD.fwd(np.full(n, x0), np.full(n, y0), np.full(n, az), s)
            return np.asarray(GEOD.inv(lon, lat, px, py)[2])

        lo, hi = np.zeros(n), np.full(n, length)
        m1, m2 = hi - phi * (hi - lo), lo + phi * (hi - lo)
        f1, f2 = f(m1), f(m2)
        for _ in range(40):  # (0.618)^40 of 200 km < 1 mm; f is unimodal on an edge
            left = f1 < f2
            hi = np.where(left, m2, hi)
            lo = np.where(left, lo, m1)
            m2n = np.where(left, m1, lo + phi * (hi - lo))
            m1n = np.where(left, hi - phi * (hi - lo), m2)
            f2 = np.where(left, f1, np.nan)
            f1 = np.where(left, np.nan, f2)
            m1, m2 = m1n, m2n
            need1, need2 = np.isnan(f1), np.isnan(f2)
            f1 = np.where(need1, f(m1), f1) if need1.any() else f1
            f2 = np.where(need2, f(m2), f2) if need2.any() else f2
        ends = np.minimum(np.asarray(GEOD.inv(lon, lat, np.full(n, x0), np.full(n, y0))[2]),
                          np.asarray(GEOD.inv(lon, lat, np.full(n, x1), np.full(n, y1))[2]))
        best = np.minimum(best, np.minimum(np.minimum(f1, f2), ends))
    return best


def _refined_extremes(sx, sy, ref, inside, xy, spacing_m, levels=3):
    """Refine the sampled min and max: finer grids (5x per level) round the 8 best samples.

    Returns the refined extremes and the last grid's spacing (their sampling gap).
    """
    out = []
    for pick in (np.argmin, np.argmax):
        x, y, f, step = sx, sy, ref, spacing_m
        best = float(f[pick(f)])
        for _ in range(levels):
            order = np.argsort(f)[:8] if pick is np.argmin else np.argsort(f)[-8:]
            off = np.linspace(-step, step, 11)
            ox, oy = np.meshgrid(off, off)
            dist = np.hypot(ox, oy).ravel()
            azi = np.degrees(np.arctan2(ox, oy)).ravel()
            n = dist.size
            gx = np.concatenate([np.asarray(GEOD.fwd(np.full(n, x[k]), np.full(n, y[k]), azi,
                                                     dist)[0]) for k in order])
            gy = np.concatenate([np.asarray(GEOD.fwd(np.full(n, x[k]), np.full(n, y[k]), azi,
                                                     dist)[1]) for k in order])
            keep = inside(gx, gy)
            x, y = gx[keep], gy[keep]
            f = _ref_distance_m(x, y, xy)
            best = min(best, float(f.min())) if pick is np.argmin else max(best, float(f.max()))
            step /= 5
        out.append(best)
    return out[0], out[1], step


def _disc_samples(lon: float, lat: float, r_m: float, rings: int, azimuths: int):
    s = np.r_[0.0, np.linspace(r_m / rings, r_m, rings)]
    az = np.linspace(0.0, 360.0, azimuths, endpoint=False)
    ss, aa = np.meshgrid(s, az)
    x, y, _ = GEOD.fwd(np.full(ss.size, lon), np.full(ss.size, lat), aa.ravel(), ss.ravel())
    return np.asarray(x), np.asarray(y)


# A line bending round the point (so the far side of the disc is NOT d + r away),
# a straight line, and a line that wraps three sides of the disc (interior maximum).
LINES = {
    "bent": np.array([[62.0, 27.0], [62.6, 27.5], [62.9, 27.2], [62.6, 26.8]]),
    "straight": np.array([[62.9, 26.5], [62.9, 28.0]]),
    "wrapping": np.array([[62.2, 27.8], [62.9, 27.8], [62.9, 26.9], [62.2, 26.9]]),
}


@pytest.mark.parametrize("name", sorted(LINES))
@pytest.mark.parametrize("r_m", [5_000.0, 30_000.0])
def test_disc_bounds_enclose_and_match_brute_force(name: str, r_m: float) -> None:
    xy = LINES[name]
    index = PolylineIndex([xy])
    lon0, lat0 = 62.55, 27.33
    rings, azimuths = 24, 240
    sx, sy = _disc_samples(lon0, lat0, r_m, rings, azimuths)
    ref = _ref_distance_m(sx, sy, xy)
    spacing = max(r_m / rings, r_m * np.radians(360.0 / azimuths))

    def inside(x, y):
        return np.asarray(GEOD.inv(np.full(x.size, lon0), np.full(x.size, lat0), x, y)[2]) <= r_m

    ref_lo, ref_hi, fine = _refined_extremes(sx, sy, ref, inside, xy, spacing)
    b = polyline_distance_bounds(index, np.array([lon0]), np.array([lat0]), r_m)
    lo, hi = b.min_distance_km[0] * 1000, b.max_distance_km[0] * 1000
    assert ref_lo - fine - TOLERANCE_M <= lo <= ref_lo + 0.001
    assert ref_hi - 0.001 <= hi <= ref_hi + fine + TOLERANCE_M
    assert abs(b.distance_km[0] * 1000 - _ref_distance_m([lon0], [lat0], xy)[0]) < 0.01


def test_straight_line_disc_bounds_are_exact() -> None:
    """Far from a long straight geodesic, the disc's extremes are d - r and d + r."""
    xy = LINES["straight"]
    index = PolylineIndex([xy])
    b = polyline_distance_bounds(index, np.array([62.4]), np.array([27.25]), 20_000.0)
    d = b.distance_km[0]
    np.testing.assert_allclose(b.min_distance_km[0], d - 20.0, rtol=0, atol=1e-6)
    # the far point stays nearest the same edge: exactly d + r
    np.testing.assert_allclose(b.max_distance_km[0], d + 20.0, rtol=0, atol=0.005)


def test_disc_reaching_across_the_line_has_zero_minimum_and_uncertain_side() -> None:
    t = frontier_table([62.756, 64.09], [27.30, 26.97], frontier="iran-pakistan",
                       precision_m=[25_000.0, 0.0])
    assert t.loc[0, "min_distance_km"] == 0.0
    assert not t.loc[0, "side_certain"]
    assert "side uncertain" in t.loc[0, "phrase"]
    assert t.loc[1, "side_certain"]
    assert t.loc[1, "min_distance_km"] == t.loc[1, "max_distance_km"] == t.loc[1, "distance_km"]
    assert t.loc[1, "phrase"] == "78.2 km inside Pakistan"  # an exact point: no range


@pytest.mark.parametrize("name", sorted(LINES))
def test_area_bounds_against_brute_force(name: str) -> None:
    """A 40 x 35 km polygon with a notch, against each test line."""
    xy = LINES[name]
    index = PolylineIndex([xy])
    area = shapely.Polygon([(62.35, 27.15), (62.75, 27.15), (62.75, 27.47), (62.55, 27.40),
                            (62.35, 27.47)])
    gx, gy = np.meshgrid(np.linspace(62.35, 62.75, 41), np.linspace(27.15, 27.47, 33))
    inside_grid = shapely.contains_xy(area, gx, gy)
    ring = shapely.get_coordinates(area.exterior)
    rx, ry = [], []
    for (x0, y0), (x1, y1) in itertools.pairwise(ring):
        line = WGS84.InverseLine(y0, x0, y1, x1)
        for k in range(60):
            p = line.Position(line.s13 * k / 60)
            rx.append(p["lon2"])
            ry.append(p["lat2"])
    sx = np.r_[gx[inside_grid], rx]
    sy = np.r_[gy[inside_grid], ry]
    ref = _ref_distance_m(sx, sy, xy)
    spacing = 1200.0  # 0.01 degrees of longitude at 27 N is about 990 m

    def inside(x, y):
        return shapely.contains_xy(area, x, y) | shapely.intersects_xy(area.boundary, x, y)

    ref_lo, ref_hi, fine = _refined_extremes(sx, sy, ref, inside, xy, spacing)
    lines = shapely.LineString(xy)  # short edges: the lon/lat chords sag by < 1 m
    b = polyline_distance_bounds(index, np.array([62.55]), np.array([27.30]), areas=[area],
                                 lines=lines)
    lo, hi = b.min_distance_km[0] * 1000, b.max_distance_km[0] * 1000
    if shapely.intersects(area, lines):
        assert lo == 0.0
    else:
        assert ref_lo - fine - TOLERANCE_M <= lo <= ref_lo + 0.001
    assert ref_hi - 0.001 <= hi <= ref_hi + fine + TOLERANCE_M


def test_curated_area_is_used_by_analyse() -> None:
    """Koh-e-Sabz's polygon, not its covering radius, bounds its distance."""
    import geopandas as gpd

    from bordermap.analysis import analyse, curated_area
    from bordermap.gazetteer import geocode

    place = geocode("Koh-e-Sabz", country="PAK")
    area = curated_area(place.id, "PAK")
    assert area is not None
    b = frontier_distance_bounds([place.lon], [place.lat], frontier="iran-pakistan",
                                 areas=[area])
    gdf = gpd.GeoDataFrame({"place_id": [place.id], "place_kind": ["area"],
                            "country": ["PAK"], "precision_m": [place.precision_m]},
                           geometry=gpd.points_from_xy([place.lon], [place.lat]), crs="EPSG:4326")
    out = analyse(gdf, frontier="iran-pakistan")
    assert out.loc[0, "min_distance_km"] == pytest.approx(b.min_distance_km[0], abs=1e-9)
    assert out.loc[0, "max_distance_km"] == pytest.approx(b.max_distance_km[0], abs=1e-9)
    # the covering radius encloses the polygon, so the disc's range encloses the area's
    r = frontier_distance_bounds([place.lon], [place.lat], [place.precision_m],
                                 frontier="iran-pakistan")
    assert r.min_distance_km[0] <= b.min_distance_km[0] + 1e-9
    assert r.max_distance_km[0] >= b.max_distance_km[0] - 0.010


def test_pair_bounds_are_exact_for_discs() -> None:
    lo, hi = pair_distance_bounds([127.0, 10.0], [300_000.0, 1_000.0], [5_000.0, 2_000.0])
    np.testing.assert_array_equal(lo, [0.0, 7.0])
    np.testing.assert_array_equal(hi, [432.0, 13.0])
    # d + ra + rb is attained: extend the geodesic A->B by ra behind A and rb beyond B
    g = WGS84.Inverse(27.37, 62.33, 26.97, 64.09)
    line = WGS84.Line(27.37, 62.33, g["azi1"])
    a2 = line.Position(-3_000.0)
    b2 = line.Position(g["s12"] + 4_000.0)
    far = WGS84.Inverse(a2["lat2"], a2["lon2"], b2["lat2"], b2["lon2"])["s12"]
    _, hi = pair_distance_bounds([g["s12"] / 1000], [3_000.0], [4_000.0])
    np.testing.assert_allclose(hi[0] * 1000, far, rtol=0, atol=0.001)


def test_cli_distance_and_pair_report_the_range_over_each_place() -> None:
    """Through the console script: a gazetteer place's radius (or area) gives the range."""
    import json
    import shutil
    import subprocess

    from bordermap.gazetteer import geocode

    exe = shutil.which("bordermap")
    assert exe
    out = subprocess.run([exe, "distance", "Saravan", "64.09,26.97", "--frontier",
                          "iran-pakistan", "--json"], capture_output=True, text=True, check=True)
    saravan, point = json.loads(out.stdout)["results"]
    r_km = geocode("Saravan").precision_m / 1000
    assert saravan["min_distance_km"] == pytest.approx(max(saravan["distance_km"] - r_km, 0),
                                                       abs=1e-3)
    assert saravan["max_distance_km"] <= saravan["distance_km"] + r_km + 1e-3
    assert saravan["max_distance_km"] >= saravan["distance_km"] + r_km - TOLERANCE_M / 1000
    assert "anywhere from" in saravan["phrase"]
    assert point["min_distance_km"] == point["max_distance_km"] == point["distance_km"]
    assert point["side_certain"] is True
    out = subprocess.run([exe, "pair", "Panjgur", "Saravan", "--json"], capture_output=True,
                         text=True, check=True)
    p = json.loads(out.stdout)
    r = (p["a"]["precision_m"] + p["b"]["precision_m"]) / 1000
    assert p["min_distance_km"] == pytest.approx(p["distance_km"] - r, abs=1e-6)
    assert p["max_distance_km"] == pytest.approx(p["distance_km"] + r, abs=1e-6)
