"""frontier_scan: the fused compiled pass against the separate functions and geographiclib.

Oracles: ``distance_to_frontier`` (itself held to geographiclib in test_geodesy.py)
must give the very same bits, ``side_of`` the same sides, and the band table is
recounted here with numpy from those two; a few distances are checked against
geographiclib directly (the nearest frontier vertex bounds the distance from above).
"""

from __future__ import annotations

import numpy as np
import pytest

from bordermap import _threads
from bordermap import analysis as ba
from bordermap.errors import CoordinateError
from bordermap.scan import frontier_scan

BANDS = (10.0, 25.0, 50.0, 100.0)


def _points(n: int, seed: int, frontier: str) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    lon = rng.uniform(58.0, 80.0, n)
    lat = rng.uniform(22.0, 37.0, n)
    f = ba.frontier_index(frontier).index
    k = rng.integers(0, f._arrays[0].shape[0], n // 5)  # near the line: border cells, on-line
    lon[: n // 5] = f._arrays[0][k] + rng.normal(0, 0.005, n // 5)
    lat[: n // 5] = f._arrays[1][k] + rng.normal(0, 0.005, n // 5)
    lon[: 20] = f._arrays[0][k[:20]]  # exactly on vertices: 0 km, on the line
    lat[: 20] = f._arrays[1][k[:20]]
    return lon, lat


def _recount(d_km, code, on_line_m, nbands):
    band = np.searchsorted(np.asarray(BANDS), d_km, side="left")
    column = np.where(d_km * 1000.0 <= on_line_m, 3, code)
    table = np.zeros((nbands + 1, 4), dtype=np.int64)
    np.add.at(table, (band, column), 1)
    return band, table


@pytest.mark.parametrize("frontier", ["iran-pakistan", "india-pakistan"])
@pytest.mark.parametrize("threads", [1, 2])
def test_scan_equals_the_separate_functions(frontier, threads):
    lon, lat = _points(30_000, 3, frontier)
    _threads.set_threads(threads)
    try:
        s = frontier_scan(lon, lat, frontier=frontier, bands_km=BANDS[::-1])  # any order
    finally:
        _threads.set_threads(None)
    d = ba.distance_to_frontier(lon, lat, frontier=frontier).distance_km
    side = ba.side_of(lon, lat, frontier=frontier)
    countries = ba._frontier(frontier).countries
    code = np.select([side == countries[0], side == countries[1]], [1, 2], 0)
    assert s.distance_km.tobytes() == d.tobytes()  # bit for bit
    assert np.array_equal(s.side_code, code)
    assert set(np.unique(s.side_code)) == {0, 1, 2}
    band, table = _recount(d, code, ba.ON_LINE_M, len(BANDS))
    assert np.array_equal(s.band, band)
    assert np.array_equal(s.counts, table)
    assert s.counts[0, 3] >= 20 and s.counts.sum() == len(lon)
    assert s.countries == tuple(countries) and s.bands_km.tolist() == list(BANDS)


def test_scan_band_table_matches_band_counts():
    lon, lat = _points(5_000, 11, "india-pakistan")
    s = frontier_scan(lon, lat, frontier="india-pakistan", bands_km=BANDS)
    t = ba.band_counts(np.column_stack([lon, lat]), frontier="india-pakistan", bands_km=BANDS)
    assert t["on_line"].tolist() == s.counts[:-1, 3].tolist()
    assert t["total"].tolist() == s.counts[:-1].sum(axis=1).tolist()
    assert t["IND"].tolist() == s.counts[:-1, 1].tolist()


def test_scan_distances_against_geographiclib():
    from geographiclib.geodesic import Geodesic

    lon = np.array([64.09, 62.33, 61.0])
    lat = np.array([26.97, 27.37, 29.9])
    s = frontier_scan(lon, lat, frontier="iran-pakistan")
    f = ba.frontier_index("iran-pakistan").index
    vlon, vlat = f._arrays[0], f._arrays[1]
    pieces_km = [Geodesic.WGS84.Inverse(vlat[i], vlon[i], vlat[i + 1], vlon[i + 1])["s12"] / 1e3
                 for i in range(len(vlon) - 1)]
    half_km = max(p for p in pieces_km if p < 10.0) / 2  # within a part: <= 2 km pieces
    for x, y, d_km in zip(lon, lat, s.distance_km, strict=True):
        vertex_km = min(Geodesic.WGS84.Inverse(y, x, b, a)["s12"] / 1e3
                        for a, b in zip(vlon, vlat, strict=True))
        assert d_km <= vertex_km + 1e-6  # every vertex lies on the line
        # the foot lies on a piece whose ends are within vertex distance + half a piece
        assert d_km >= np.sqrt(max(vertex_km**2 - half_km**2, 0.0)) - 0.01
    assert round(float(s.distance_km[0]), 1) == 78.2  # Panjgur, as distance_to_frontier's doc


def test_scan_takes_geometries_and_wraps_longitudes():
    import geopandas as gpd

    lon = np.array([64.09, 64.09 - 360.0, 62.33 - 360.0])
    lat = np.array([26.97, 26.97, 27.37])
    s = frontier_scan(lon, lat, frontier="iran-pakistan")
    assert s.distance_km[1] == pytest.approx(s.distance_km[0], abs=1e-9)
    ref = ba.distance_to_frontier(lon, lat, frontier="iran-pakistan").distance_km
    assert s.distance_km.tobytes() == ref.tobytes()
    assert s.side_code.tolist() == [2, 2, 1]
    g = gpd.GeoSeries(gpd.points_from_xy(lon[:1], lat[:1]), crs="EPSG:4326").to_crs(3857)
    assert frontier_scan(g, frontier="iran-pakistan").side_code.tolist() == [2]
    assert frontier_scan(np.array([]), np.array([]), frontier="iran-pakistan").counts.sum() == 0


@pytest.mark.parametrize(("lon", "lat", "words"), [
    ([64.0, np.nan], [27.0, 27.0], "row 1, field 'lon'"),
    ([64.0, 27.0], [27.0, 95.0], "row 1, field 'lat'"),
    ([64.0, 65.0], [27.0, 28.0, 29.0], "2 longitudes but 3"),
])
def test_scan_bad_coordinates_name_the_row(lon, lat, words):
    with pytest.raises(CoordinateError, match=words.replace("(", r"\(")):
        frontier_scan(lon, lat, frontier="iran-pakistan")


@pytest.mark.parametrize("bands", [(), (0,), (-5, 10), ("x",), (np.inf,)])
def test_scan_bad_bands(bands):
    with pytest.raises(CoordinateError, match="bands_km"):
        frontier_scan([64.0], [27.0], frontier="iran-pakistan", bands_km=bands)


def test_scan_far_points_take_the_exact_far_field_search():
    # Beyond 1,000 km the kernel hands points to the far-field search: the scan must give
    # the very bits distance_to_frontier gives (itself held to geographiclib within 1 mm
    # in test_kernels.py), including 145 E 14 S and a point near the line's antipode.
    lon = np.array([145.0, -117.5, 10.0, 0.0, 70.0])
    lat = np.array([-14.0, -27.5, 50.0, -60.0, 30.0])
    s = frontier_scan(lon, lat, frontier="iran-pakistan", bands_km=BANDS)
    d = ba.distance_to_frontier(lon, lat, frontier="iran-pakistan").distance_km
    assert s.distance_km.tobytes() == d.tobytes()
    assert (s.distance_km[:4] > 1_000.0).all() and np.isfinite(s.distance_km).all()
    assert s.band[:4].tolist() == [len(BANDS)] * 4
