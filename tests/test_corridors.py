"""Geodesic corridors, bands and range rings, checked against geographiclib.

The reference distance from a point to a line densifies each geodesic edge of
the line with geographiclib (<= 50 m apart), takes the nearest dense points
(candidates chosen on a sphere, distances exact), then refines the nearest
point on the edge by golden-section search on geographiclib distances.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bordermap import corridors
from bordermap._data import natural_earth_path
from bordermap.corridors import (
    corridor,
    corridor_bands,
    geodesic_area_km2,
    range_rings,
    tolerance_m,
    write_bands,
)
from bordermap.errors import BordermapError, BoundaryError, CoordinateError, ExportError

WGS = Geodesic.WGS84
SPACING_M = 50.0
R_MEAN_M = 6371008.8


# ----------------------------------------------------------------- reference


class DenseLine:
    """Distance (m) from points to a polyline with geodesic edges, by geographiclib."""

    def __init__(self, parts: list[np.ndarray]):
        self.edges = []
        lon, lat, edge, s = [], [], [], []
        for xy in parts:
            for i in range(len(xy) - 1):
                gl = WGS.InverseLine(xy[i, 1], xy[i, 0], xy[i + 1, 1], xy[i + 1, 0])
                n = max(1, math.ceil(gl.s13 / SPACING_M))
                for d in np.linspace(0.0, gl.s13, n + 1):
                    p = gl.Position(d)
                    lon.append(p["lon2"])
                    lat.append(p["lat2"])
                    edge.append(len(self.edges))
                    s.append(d)
                self.edges.append(gl)
        self.lon, self.lat = np.array(lon), np.array(lat)
        self.edge, self.s = np.array(edge), np.array(s)
        self.xyz = _unit(self.lon, self.lat)

    def _dist(self, e: int, s: float, lon: float, lat: float) -> float:
        p = self.edges[e].Position(s)
        return WGS.Inverse(lat, lon, p["lat2"], p["lon2"])["s12"]

    def _golden(self, e: int, a: float, b: float, lon: float, lat: float) -> float:
        g = (math.sqrt(5) - 1) / 2
        c1, c2 = b - g * (b - a), a + g * (b - a)
        f1, f2 = self._dist(e, c1, lon, lat), self._dist(e, c2, lon, lat)
        for _ in range(40):
            if f1 < f2:
                b, c2, f2 = c2, c1, f1
                c1 = b - g * (b - a)
                f1 = self._dist(e, c1, lon, lat)
            else:
                a, c1, f1 = c1, c2, f2
                c2 = a + g * (b - a)
                f2 = self._dist(e, c2, lon, lat)
        return min(f1, f2, self._dist(e, a, lon, lat), self._dist(e, b, lon, lat))

    def distance_m(self, lon, lat) -> np.ndarray:
        lon, lat = np.atleast_1d(lon), np.atleast_1d(lat)
        q = _unit(lon, lat)
        out = np.empty(len(lon))
        for i in range(len(lon)):
            approx = np.linalg.norm(self.xyz - q[i], axis=1) * R_MEAN_M
            cand = np.flatnonzero(approx <= approx.min() * 1.01 + 200.0)
            exact = [WGS.Inverse(lat[i], lon[i], self.lat[c], self.lon[c])["s12"] for c in cand]
            best = cand[int(np.argmin(exact))]
            dist = min(exact)
            e, s = int(self.edge[best]), float(self.s[best])
            windows = [(e, max(0.0, s - SPACING_M), min(self.edges[e].s13, s + SPACING_M))]
            if s < SPACING_M and e > 0 and self.edge[best - 1] == e - 1:
                length = self.edges[e - 1].s13
                windows.append((e - 1, max(0.0, length - SPACING_M), length))
            if s > self.edges[e].s13 - SPACING_M and e + 1 < len(self.edges):
                windows.append((e + 1, 0.0, min(self.edges[e + 1].s13, SPACING_M)))
            for ee, a, b in windows:
                dist = min(dist, self._golden(ee, a, b, lon[i], lat[i]))
            out[i] = dist
        return out


def _unit(lon, lat):
    lo, la = np.radians(lon), np.radians(lat)
    return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


def _edge_points(geom) -> np.ndarray:
    """Every ring vertex and (lon, lat) chord midpoint on the curve itself.

    Vertices made by cutting at ±180° or closing along a pole, and the chords
    that end on them, are left out: they are not on the circle or corridor edge.
    """
    out = []
    for poly in shapely.get_parts(geom):
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords)
            real = (np.abs(xy[:, 0]) < 180.0 - 1e-9) & (np.abs(xy[:, 1]) < 90.0 - 1e-9)
            both = real[1:] & real[:-1]
            out += [xy[real], (0.5 * (xy[1:] + xy[:-1]))[both]]
    return np.vstack(out)


# ------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def countries():
    import geopandas as gpd

    return gpd.read_file(f"zip://{natural_earth_path()}").set_index("ADM0_A3")


def _shared(countries, a: str, b: str):
    line = shapely.line_merge(
        shapely.intersection(countries.geometry[a].boundary, countries.geometry[b].boundary)
    )
    return line


@pytest.fixture(scope="module")
def irn_pak(countries):
    return _shared(countries, "IRN", "PAK")


@pytest.fixture(scope="module")
def ind_pak(countries):
    return _shared(countries, "IND", "PAK")


def _parts(line) -> list[np.ndarray]:
    return [shapely.get_coordinates(p) for p in shapely.get_parts(line)]


@pytest.fixture(scope="module")
def irn_pak_ref(irn_pak):
    return DenseLine(_parts(irn_pak))


@pytest.fixture(scope="module")
def ind_pak_ref(ind_pak):
    return DenseLine(_parts(ind_pak))


def _check_edge(geom, ref: DenseLine, width_km: float, n: int = 500, seed: int = 0):
    xy = _edge_points(geom)
    rng = np.random.default_rng(seed)
    pick = xy if len(xy) <= n else xy[rng.choice(len(xy), n, replace=False)]
    err = ref.distance_m(pick[:, 0], pick[:, 1]) - width_km * 1000.0
    worst = float(np.max(np.abs(err)))
    assert worst <= tolerance_m(width_km), (width_km, worst, float(err.min()), float(err.max()))
    return err


# ------------------------------------------------------------- edge accuracy


def test_irn_pak_line_is_the_expected_one(irn_pak):
    # ~817 km of shared boundary in Natural Earth 1:10m; the corridor tests rely on it
    xy = shapely.get_coordinates(irn_pak)
    total = sum(
        WGS.Inverse(xy[i, 1], xy[i, 0], xy[i + 1, 1], xy[i + 1, 0])["s12"]
        for i in range(len(xy) - 1)
    )
    assert 800e3 < total < 830e3
    assert len(xy) > 200


@pytest.mark.parametrize("width_km", [10, 100])
def test_corridor_edge_within_tolerance_irn_pak(irn_pak, irn_pak_ref, width_km):
    area = corridor(irn_pak, width_km)
    assert area.is_valid
    err = _check_edge(area, irn_pak_ref, width_km)
    # the boundary hugs d from inside, not just within the band
    assert np.median(np.abs(err)) < 0.5 * tolerance_m(width_km)


@pytest.mark.slow
@pytest.mark.parametrize("width_km", [0.3, 1, 25, 50])
def test_corridor_edge_within_tolerance_irn_pak_more_widths(irn_pak, irn_pak_ref, width_km):
    _check_edge(corridor(irn_pak, width_km), irn_pak_ref, width_km, seed=int(width_km * 10))


@pytest.mark.slow
@pytest.mark.parametrize("width_km", [1, 10, 100])
def test_corridor_edge_within_tolerance_ind_pak(ind_pak, ind_pak_ref, width_km):
    area = corridor(ind_pak, width_km)
    assert area.is_valid
    _check_edge(area, ind_pak_ref, width_km, seed=width_km)


def test_gdal_style_round_buffer_would_fail_the_same_check(irn_pak, irn_pak_ref):
    """The check has teeth: an 8-segments-per-quadrant planar buffer misses it."""
    import pyproj

    aeqd = pyproj.CRS.from_proj4("+proj=aeqd +lat_0=27.5 +lon_0=62 +datum=WGS84")
    fwd = pyproj.Transformer.from_crs(4326, aeqd, always_xy=True)
    inv = pyproj.Transformer.from_crs(aeqd, 4326, always_xy=True)
    planar = shapely.transform(irn_pak, lambda c: np.column_stack(fwd.transform(*c.T)))
    naive = shapely.transform(
        planar.buffer(10_000.0), lambda c: np.column_stack(inv.transform(*c.T))
    )
    xy = _edge_points(naive)[::7][:200]
    err = irn_pak_ref.distance_m(xy[:, 0], xy[:, 1]) - 10_000.0
    assert np.max(np.abs(err)) > tolerance_m(10)


def test_frontier_name_and_object_give_the_same_corridor(irn_pak):
    frontiers = pytest.importorskip("bordermap.frontiers")
    f = frontiers.get_frontier("iran-pakistan")
    by_name = corridor("IRN-PAK", 10)
    by_object = corridor(f, 10)
    assert shapely.equals_exact(by_name, by_object, tolerance=0.0)
    # the frontier is the same Natural Earth line as the fixture
    assert abs(geodesic_area_km2(by_object) - geodesic_area_km2(corridor(irn_pak, 10))) < 1.0


def test_geoseries_input_is_reprojected(irn_pak):
    import geopandas as gpd

    series = gpd.GeoSeries([irn_pak], crs="EPSG:4326")
    utm = series.to_crs(series.estimate_utm_crs())
    a = corridor(series, 5)
    b = corridor(utm, 5)
    assert geodesic_area_km2(shapely.symmetric_difference(a, b)) < 1e-3 * geodesic_area_km2(a)


# ------------------------------------------------------------ property tests


@st.composite
def foot_and_offset(draw):
    edge_frac = draw(st.floats(0.0, 1.0, allow_nan=False))
    t = draw(st.floats(0.0, 1.0, allow_nan=False))
    left = draw(st.booleans())
    width_km = draw(st.sampled_from([2.0, 10.0, 40.0]))
    return edge_frac, t, left, width_km


_CACHE: dict[float, object] = {}


def _cached_corridor(line, width_km):
    if width_km not in _CACHE:
        _CACHE[width_km] = corridor(line, width_km)
        shapely.prepare(_CACHE[width_km])
    return _CACHE[width_km]


def test_offset_points_in_bulk_inside_and_outside(irn_pak, irn_pak_ref):
    """Seeded companion of the property test: the 'outside' branch is really exercised."""
    rng = np.random.default_rng(11)
    xy = shapely.get_coordinates(irn_pak)
    area = _cached_corridor(irn_pak, 10.0)
    checked_outside = 0
    for _ in range(120):
        i = int(rng.integers(0, len(xy) - 1))
        gl = WGS.InverseLine(xy[i, 1], xy[i, 0], xy[i + 1, 1], xy[i + 1, 0])
        foot = gl.Position(rng.uniform(0, gl.s13))
        az = foot["azi2"] + rng.choice([-90.0, 90.0])
        near = WGS.Direct(foot["lat2"], foot["lon2"], az, 9_800.0)
        assert area.contains(shapely.Point(near["lon2"], near["lat2"]))
        far = WGS.Direct(foot["lat2"], foot["lon2"], az, 10_200.0)
        if irn_pak_ref.distance_m(far["lon2"], far["lat2"])[0] > 10_001.0:
            assert not area.contains(shapely.Point(far["lon2"], far["lat2"]))
            checked_outside += 1
    assert checked_outside >= 40  # about half: on inner bends another stretch is nearer


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=foot_and_offset())
def test_point_at_98_percent_inside_and_102_percent_outside(irn_pak, irn_pak_ref, case):
    edge_frac, t, left, width_km = case
    xy = shapely.get_coordinates(irn_pak)
    i = min(int(edge_frac * (len(xy) - 1)), len(xy) - 2)
    gl = WGS.InverseLine(xy[i, 1], xy[i, 0], xy[i + 1, 1], xy[i + 1, 0])
    foot = gl.Position(t * gl.s13)
    az = foot["azi2"] + (-90.0 if left else 90.0)
    area = _cached_corridor(irn_pak, width_km)
    d_m = width_km * 1000.0
    near = WGS.Direct(foot["lat2"], foot["lon2"], az, 0.98 * d_m)
    assert area.contains(shapely.Point(near["lon2"], near["lat2"]))
    far = WGS.Direct(foot["lat2"], foot["lon2"], az, 1.02 * d_m)
    true = float(irn_pak_ref.distance_m(far["lon2"], far["lat2"])[0])
    # the far point may be near another stretch of a winding line: decide by truth
    inside = area.contains(shapely.Point(far["lon2"], far["lat2"]))
    if true > d_m + tolerance_m(width_km):
        assert not inside
    elif true < d_m - tolerance_m(width_km):
        assert inside


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(width_km=st.floats(0.5, 80.0, allow_nan=False))
def test_corridor_is_nested(irn_pak, width_km):
    small = corridor(irn_pak, width_km)
    big = corridor(irn_pak, 1.5 * width_km)
    # nothing of the smaller corridor sticks out (beyond floating-point dust < 1 m²)
    leftover = shapely.difference(small, big)
    assert geodesic_area_km2(leftover) < 1e-6
    assert shapely.hausdorff_distance(shapely.union(small, big), big) < 1e-9


@settings(max_examples=25, deadline=None)
@given(
    lon=st.floats(-180.0, 179.999, allow_nan=False),
    lat=st.floats(-89.0, 89.0, allow_nan=False),
    radius_km=st.floats(0.1, 800.0, allow_nan=False),
)
def test_range_ring_vertices_at_radius(lon, lat, radius_km):
    ring = range_rings(lon, lat, radius_km)
    geom = ring.geometry.iloc[0]
    assert geom.is_valid and not geom.is_empty
    xy = _edge_points(geom)
    # pole-closing vertices of a ring around a pole are not on the circle
    dist = np.array([WGS.Inverse(lat, lon, y, x)["s12"] for x, y in xy])
    err = dist - radius_km * 1000.0
    assert np.max(np.abs(err)) <= tolerance_m(radius_km)
    assert ring.radius_km.iloc[0] == pytest.approx(radius_km)


def _hausdorff_m(a, b, lon0: float, lat0: float) -> float:
    """Hausdorff distance in metres, in an azimuthal equidistant frame near the shapes."""
    import pyproj

    aeqd = pyproj.Transformer.from_crs(
        4326,
        pyproj.CRS.from_proj4(f"+proj=aeqd +lon_0={lon0} +lat_0={lat0} +datum=WGS84"),
        always_xy=True,
    )
    a_m, b_m = (
        shapely.transform(g, lambda c: np.column_stack(aeqd.transform(*c.T))) for g in (a, b)
    )
    return float(shapely.hausdorff_distance(a_m, b_m))


@settings(max_examples=10, deadline=None)
@given(
    lon=st.floats(-179.0, 179.0, allow_nan=False),
    lat=st.floats(-80.0, 80.0, allow_nan=False),
    heading=st.floats(0.0, 360.0, allow_nan=False),
)
def test_longitude_wrapping_does_not_change_results(lon, lat, heading):
    ends = [WGS.Direct(lat, lon, heading + k * 30.0, 40e3 * (k + 1)) for k in range(3)]
    xy = [(lon, lat)] + [(e["lon2"], e["lat2"]) for e in ends]
    xs = [x for x, _ in xy]
    assume(max(xs) < 0 or min(xs) > 0)  # so that every x + shift stays within ±360
    shift = 360.0 if max(xs) < 0 else -360.0
    line = shapely.LineString(xy)
    shifted = shapely.LineString([(x + shift, y) for x, y in xy])
    a, b = corridor(line, 15), corridor(shifted, 15)
    # x + 360 is not exact in floating point, so chords may be refined
    # differently; both outlines are within a quarter of the 1 m tolerance of
    # the truth, so they agree to half of it (0.5 m), areas to 1e-6
    assert _hausdorff_m(a, b, lon, lat) < 0.5
    assert geodesic_area_km2(a) == pytest.approx(geodesic_area_km2(b), rel=1e-6)
    r1 = range_rings(lon, lat, 30)
    r2 = range_rings(lon + shift, lat, 30)
    assert _hausdorff_m(r1.geometry.iloc[0], r2.geometry.iloc[0], lon, lat) < 0.5
    assert r1.center_lon.iloc[0] == pytest.approx(r2.center_lon.iloc[0], abs=1e-9)
    assert r1.area_km2.iloc[0] == pytest.approx(r2.area_km2.iloc[0], rel=1e-7)


# ---------------------------------------------------------------- pinned cases


def test_ring_across_the_antimeridian_is_split_not_a_world_band():
    ring = range_rings(179.9, 0.0, 100).geometry.iloc[0]
    assert ring.is_valid and ring.geom_type == "MultiPolygon"
    parts = sorted(shapely.get_parts(ring), key=lambda p: p.bounds[0])
    west, east = parts
    assert west.bounds[0] == pytest.approx(-180.0) and west.bounds[2] < -179.0
    assert east.bounds[2] == pytest.approx(180.0) and east.bounds[0] > 179.0
    # same area as the same ring away from the seam
    ref = range_rings(0.0, 0.0, 100).area_km2.iloc[0]
    assert geodesic_area_km2(ring) == pytest.approx(ref, rel=1e-6)
    assert ring.contains(shapely.Point(179.95, 0.5)) and ring.contains(shapely.Point(-179.5, 0))
    assert not ring.contains(shapely.Point(0.0, 0.0))


def test_ring_around_a_pole_contains_it():
    ring = range_rings(0.0, 89.5, 100).geometry.iloc[0]
    assert ring.is_valid
    assert ring.covers(shapely.Point(0.0, 90.0)) and ring.covers(shapely.Point(137.0, 90.0))
    assert all(ring.contains(shapely.Point(x, 89.9)) for x in range(-179, 180, 7))
    assert not ring.contains(shapely.Point(180.0 - 1e-6, 88.0))  # 155 km beyond the pole
    # 100 km disc: pi r^2 to within the ellipsoid's curvature effect
    assert geodesic_area_km2(ring) == pytest.approx(math.pi * 100.0**2, rel=1e-3)
    south = range_rings(-179.95, -89.9, 50).geometry.iloc[0]
    assert south.is_valid and south.covers(shapely.Point(10.0, -90.0))


def test_line_across_the_antimeridian():
    line = shapely.LineString([(179.6, -17.0), (-179.7, -16.6), (-179.2, -16.9)])
    area = corridor(line, 20)
    assert area.is_valid and area.geom_type == "MultiPolygon"
    assert area.bounds[0] == pytest.approx(-180.0) and area.bounds[2] == pytest.approx(180.0)
    ref = DenseLine([np.array([[179.6, -17.0], [180.3, -16.6], [180.8, -16.9]])])
    _check_edge(area, ref, 20, n=300)
    # the 0-10 band is about 2 * 10 km * length plus the end caps
    length_m = sum(
        WGS.Inverse(a[1], a[0], b[1], b[0])["s12"]
        for a, b in zip(line.coords[:-1], line.coords[1:], strict=True)
    )
    expected = (2 * 20e3 * length_m + math.pi * 20e3**2) / 1e6
    assert geodesic_area_km2(area) == pytest.approx(expected, rel=0.02)


def test_line_near_a_pole_and_a_corridor_that_would_contain_it():
    line = shapely.LineString([(-40.0, 84.0), (0.0, 85.0), (40.0, 84.0)])
    area = corridor(line, 30)
    assert area.is_valid
    _check_edge(area, DenseLine(_parts(line)), 30, n=300)
    with pytest.raises(CoordinateError, match="North Pole") as err:
        corridor(line, 600)
    assert err.value.field == "width_km"


# --------------------------------------------------------------------- bands


def test_bands_table_and_areas(irn_pak):
    bands = corridor_bands(irn_pak, (50, 10, 25, 25))
    assert list(bands.columns) == ["band", "inner_km", "outer_km", "side", "area_km2", "geometry"]
    assert bands.crs.to_epsg() == 4326
    assert bands.band.tolist() == ["0-10 km", "10-25 km", "25-50 km"]
    assert bands.inner_km.tolist() == [0.0, 10.0, 25.0]
    assert bands.outer_km.tolist() == [10.0, 25.0, 50.0]
    assert bands.side.isna().all()
    assert bands.geometry.is_valid.all()
    # the bands tile the outer corridor
    outer = geodesic_area_km2(corridor(irn_pak, 50))
    assert bands.area_km2.sum() == pytest.approx(outer, rel=1e-6)
    # bands do not overlap
    assert geodesic_area_km2(shapely.intersection(*bands.geometry.iloc[:2])) < 1e-3
    # 0-10 km along a ~817 km line: about 2 * 10 km * length
    xy = shapely.get_coordinates(irn_pak)
    length_km = (
        sum(
            WGS.Inverse(xy[i, 1], xy[i, 0], xy[i + 1, 1], xy[i + 1, 0])["s12"]
            for i in range(len(xy) - 1)
        )
        / 1000.0
    )
    assert bands.area_km2.iloc[0] == pytest.approx(2 * 10 * length_km, rel=0.03)


def test_band_area_of_a_single_geodesic_is_exact_to_a_tenth_of_a_percent():
    line = shapely.LineString([(60.0, 25.0), (66.0, 30.0)])
    length_m = WGS.Inverse(25.0, 60.0, 30.0, 66.0)["s12"]
    bands = corridor_bands(line, [10, 50])
    a10 = (2 * 10e3 * length_m + math.pi * 10e3**2) / 1e6
    a50 = (2 * 50e3 * length_m + math.pi * 50e3**2) / 1e6
    assert bands.area_km2.iloc[0] == pytest.approx(a10, rel=1e-3)
    assert bands.area_km2.iloc[1] == pytest.approx(a50 - a10, rel=1e-3)


def test_one_side_lies_in_that_country(irn_pak, countries):
    pak = countries.geometry["PAK"]
    irn = countries.geometry["IRN"]
    both = corridor(irn_pak, 25)
    on_pak = corridor(irn_pak, 25, side="PAK", boundaries=pak)
    on_irn = corridor(irn_pak, 25, side="IRN", boundaries={"IRN": irn})
    assert geodesic_area_km2(shapely.difference(on_pak, pak)) < 1e-3
    assert geodesic_area_km2(shapely.intersection(on_pak, on_irn)) < 1e-3
    # together nearly the whole corridor (the rest is sea and Afghanistan)
    total = geodesic_area_km2(on_pak) + geodesic_area_km2(on_irn)
    assert 0.9 * geodesic_area_km2(both) < total <= geodesic_area_km2(both) + 1e-3
    # known points: Panjgur-side village 5 km east of the line is in the PAK side only
    xy = shapely.get_coordinates(irn_pak)
    mid = xy[len(xy) // 2]
    gl = WGS.InverseLine(mid[1], mid[0], xy[len(xy) // 2 + 1, 1], xy[len(xy) // 2 + 1, 0])
    pts = [WGS.Direct(mid[1], mid[0], gl.azi1 + s, 5e3) for s in (-90.0, 90.0)]
    pts = [shapely.Point(p["lon2"], p["lat2"]) for p in pts]
    in_pak = [on_pak.contains(p) for p in pts]
    in_irn = [on_irn.contains(p) for p in pts]
    assert sorted(in_pak) == [False, True] and in_pak == [not v for v in in_irn]
    assert [pak.contains(p) for p in pts] == in_pak


def test_side_default_boundaries_and_frontier_countries():
    pytest.importorskip("bordermap.frontiers")
    bands = corridor_bands("iran-pakistan", [10], side="pak")
    assert bands.side.tolist() == ["PAK"]
    assert 0.4 < bands.area_km2.iloc[0] / geodesic_area_km2(corridor("IRN-PAK", 10)) < 0.6
    with pytest.raises(BoundaryError, match="IND") as err:
        corridor("iran-pakistan", 10, side="IND")
    assert err.value.field == "side" and "IRN or PAK" in str(err.value)


# -------------------------------------------------------------------- errors


@pytest.mark.parametrize("bad", [0, -5, float("nan"), float("inf"), "ten", None, True, [1]])
def test_bad_width_names_the_field(bad):
    line = shapely.LineString([(62, 27), (63, 27)])
    with pytest.raises(CoordinateError) as err:
        corridor(line, bad)
    assert err.value.field == "width_km"
    assert "width_km" in str(err.value)


def test_bad_band_widths_and_radii():
    line = shapely.LineString([(62, 27), (63, 27)])
    with pytest.raises(CoordinateError, match="greater than 0"):
        corridor_bands(line, "10,0,50")
    assert corridor_bands(line, "5, 2").outer_km.tolist() == [2.0, 5.0]
    with pytest.raises(CoordinateError) as err:
        range_rings(62, 27, [10, -1])
    assert err.value.field == "radii_km"
    with pytest.raises(CoordinateError) as err:
        range_rings(27, 120, 10)  # lat/lon swapped
    assert err.value.field == "lat" and "swap" in str(err.value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("50,10, 25,10", [10.0, 25.0, 50.0]), (7, [7.0]), ([3, 2.5], [2.5, 3.0]), ("0", None),
     ("10,-1", None), ("nan", None), ("ten", None), ([True], None)],
)  # fmt: skip
def test_one_km_list_rule_for_corridors_maps_and_export(value, expected):
    """corridor_bands, the map's --corridor-km and the export's --bands-km share one rule."""
    from bordermap.io._export import _bands_arg
    from bordermap.maps import parse_corridor_km

    line = shapely.LineString([(62, 27), (63, 27)])
    if expected is None:
        with pytest.raises(CoordinateError) as err:
            corridor_bands(line, value)
        assert err.value.field == "width_km"
        with pytest.raises(ExportError) as err:
            parse_corridor_km(value)
        assert err.value.field == "corridor_km"
        with pytest.raises(ExportError) as err:
            _bands_arg(value, "bands_km")
        assert err.value.field == "bands_km"
        return
    assert corridor_bands(line, value).outer_km.tolist() == expected
    assert list(parse_corridor_km(value)) == expected
    assert _bands_arg(value, "bands_km") == expected


def test_frontier_by_name_is_resolved_once():
    """A name and the Frontier it stands for give the same corridor (resolve_frontier)."""
    from bordermap.frontiers import resolve_frontier

    f = resolve_frontier("PAK-IRN")
    a = corridor("iran-pakistan", 10)
    b = corridor(f, 10)
    assert a.equals(b) and a.area > 0


def test_bad_lines():
    with pytest.raises(CoordinateError, match="empty"):
        corridor(shapely.LineString(), 5)
    with pytest.raises(CoordinateError, match="Polygon"):
        corridor(shapely.box(0, 0, 1, 1), 5)
    with pytest.raises(CoordinateError, match="beyond"):
        corridor(shapely.LineString([(62, 27), (63, 95)]), 5)
    with pytest.raises(BordermapError):
        corridor(42, 5)


def test_a_single_point_line_gives_a_disc():
    area = corridor(shapely.LineString([(62, 27), (62, 27)]), 10)
    ring = range_rings(62, 27, 10).geometry.iloc[0]
    assert geodesic_area_km2(area) == pytest.approx(geodesic_area_km2(ring), rel=1e-4)


# --------------------------------------------------------------------- rings


def test_rings_table_for_many_points():
    rings = range_rings([64.09, 62.33], [26.97, 27.37], [50, 10])
    assert rings[["point", "radius_km"]].values.tolist() == [
        [0, 10.0],
        [0, 50.0],
        [1, 10.0],
        [1, 50.0],
    ]
    assert rings.crs.to_epsg() == 4326
    assert rings.center_lon.tolist() == [64.09, 64.09, 62.33, 62.33]
    # area of a geodesic disc of 50 km: pi r^2 within ellipsoidal curvature
    assert rings.area_km2.iloc[1] == pytest.approx(math.pi * 50**2, rel=1e-3)
    panjgur_50 = rings.geometry.iloc[1]
    # Saravan is ~180 km from Panjgur: outside the 50 km ring
    assert not panjgur_50.contains(shapely.Point(62.33, 27.37))


# ------------------------------------------------------------------- writing


def test_write_bands_geojson_and_gpkg(tmp_path, irn_pak):
    import pyogrio

    out = tmp_path / "bands.geojson"
    bands = write_bands(irn_pak, [10, 25], out)
    back = pyogrio.read_dataframe(out)
    assert back.band.tolist() == ["0-10 km", "10-25 km"]
    assert back.area_km2.tolist() == pytest.approx(bands.area_km2.tolist())
    gpkg = write_bands(irn_pak, [10], tmp_path / "bands.gpkg")
    assert pyogrio.read_dataframe(tmp_path / "bands.gpkg").area_km2.iloc[0] == pytest.approx(
        gpkg.area_km2.iloc[0]
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bands.geojson", "bands.gpkg"]


def test_write_bands_refuses_unknown_format_and_leaves_nothing(tmp_path, irn_pak):
    with pytest.raises(ExportError, match="extension"):
        write_bands(irn_pak, [10], tmp_path / "bands.shp")
    with pytest.raises(ExportError, match="folder"):
        write_bands(irn_pak, [10], tmp_path / "missing" / "bands.geojson")
    assert list(tmp_path.iterdir()) == []


def test_write_failure_keeps_the_old_file(tmp_path, irn_pak, monkeypatch):
    out = tmp_path / "bands.geojson"
    out.write_text("old")

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    import bordermap.io.geojson  # bands go through bordermap.io's RFC 7946 writer

    monkeypatch.setattr(bordermap.io.geojson, "_assemble", boom)
    with pytest.raises(ExportError, match="disk full"):
        write_bands(irn_pak, [10], out)
    assert out.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["bands.geojson"]


# ----------------------------------------------------------------------- CLI


def test_cli_corridor(tmp_path, capsys):
    pytest.importorskip("bordermap.frontiers")
    from bordermap.cli import main

    out = tmp_path / "b.geojson"
    assert main(["corridor", "IRN-PAK", "--km", "10,25", "--side", "PAK", "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "0-10 km in PAK" in text and "10-25 km in PAK" in text and "wrote 2 bands" in text
    import pyogrio

    assert pyogrio.read_dataframe(out).side.tolist() == ["PAK", "PAK"]
    assert main(["corridor", "IRN-PAK", "--km", "-3", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "width_km" in err


def test_module_exports():
    assert set(corridors.__all__) >= {"corridor", "corridor_bands", "range_rings"}
