"""Tests for bordermap.raster: grids, GeoTIFF outputs, density, zonal statistics, overlays.

Known values come from geographiclib (distances, areas) and from rasters whose
pixels hold their own area, so that zonal sums are areas that can be checked
against geodesic polygon areas.
"""

from __future__ import annotations

import base64
import math
import re
import shutil
import struct
import subprocess
import zlib

import geopandas as gpd
import numpy as np
import pytest
import shapely

rasterio = pytest.importorskip("rasterio")

from geographiclib.geodesic import Geodesic  # noqa: E402

from bordermap import raster as rs  # noqa: E402
from bordermap.errors import BordermapError, CoordinateError  # noqa: E402
from bordermap.frontiers import get_frontier  # noqa: E402

GEOD = Geodesic.WGS84
GDALINFO = shutil.which("gdalinfo")
PANJGUR = (64.0946, 26.9719)  # Pakistan, ~78 km from the Iran–Pakistan line
SARAVAN = (62.33, 27.37)  # Iran, ~42 km from it


def _nearest_on_frontier_km(lon: float, lat: float, frontier: str = "iran-pakistan") -> float:
    """Geodesic distance to a frontier, independently of bordermap's kernel.

    geographiclib distances to every vertex pick candidate edges; on each
    candidate geodesic edge a golden-section search finds the nearest point.
    """
    best = math.inf
    for part in shapely.get_parts(get_frontier(frontier).geometry):
        xy = shapely.get_coordinates(part)
        d = np.array([GEOD.Inverse(lat, lon, y, x)["s12"] for x, y in xy])
        for k in np.argsort(d)[:6]:
            for a, b in ((k - 1, k), (k, k + 1)):
                if a < 0 or b >= len(xy):
                    continue
                line = GEOD.InverseLine(xy[a, 1], xy[a, 0], xy[b, 1], xy[b, 0])

                def dist(s, line=line):
                    p = line.Position(s)
                    return GEOD.Inverse(lat, lon, p["lat2"], p["lon2"])["s12"]

                lo, hi = 0.0, line.s13
                g = (math.sqrt(5) - 1) / 2
                for _ in range(80):
                    m1, m2 = hi - g * (hi - lo), lo + g * (hi - lo)
                    if dist(m1) < dist(m2):
                        hi = m2
                    else:
                        lo = m1
                best = min(best, dist(lo), dist(0.0), dist(line.s13))
    return best / 1000.0


def _pixel_of(src, lon: float, lat: float) -> tuple[int, int]:
    t = src.transform
    return int((lat - t.f) // t.e), int((lon - t.c) // t.a)


def _centre(src, row: int, col: int) -> tuple[float, float]:
    t = src.transform
    return t.c + (col + 0.5) * t.a, t.f + (row + 0.5) * t.e


def _gdalinfo(path) -> str:
    if GDALINFO is None:
        pytest.skip("gdalinfo (Debian gdal-bin) is not installed")
    r = subprocess.run([GDALINFO, str(path)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return r.stdout


# --------------------------------------------------------------------------- grids


def test_make_grid_degrees_and_metres():
    g = rs.make_grid((61.5, 26.0, 64.5, 28.5), resolution_deg=0.05)
    assert (g.crs, g.width, g.height) == ("EPSG:4326", 60, 50)
    assert g.transform == (0.05, 0.0, 61.5, 0.0, -0.05, 28.5)
    lon, lat = g.centres_lonlat()
    assert lon[0, 0] == pytest.approx(61.525) and lat[-1, -1] == pytest.approx(26.025)

    m = rs.make_grid((62.0, 26.0, 63.0, 27.0), resolution_m=5000)
    assert m.crs == "EPSG:32641" and m.transform[0] == 5000 and m.transform[4] == -5000
    lon, lat = m.centres_lonlat()
    # the grid covers the box: its outer pixel centres lie just inside or around it
    assert lon.min() < 62.05 and lon.max() > 62.95 and lat.min() < 26.05 and lat.max() > 26.95
    # neighbouring centres are 5 km apart on the ground (UTM scale ≈ 0.9996–1.0004)
    s = GEOD.Inverse(lat[5, 5], lon[5, 5], lat[5, 6], lon[5, 6])["s12"]
    assert s == pytest.approx(5000, rel=1e-3)
    assert rs.make_grid((62, 26, 63, 27), resolution_m=1000, crs="EPSG:3857").crs == "EPSG:3857"


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"bbox": (64, 26, 63, 27), "resolution_deg": 0.1}, CoordinateError, "west < east"),
        ({"bbox": (26, 64, 27, 95), "resolution_deg": 0.1}, CoordinateError, "south < north"),
        (
            {"bbox": (60, 25, float("nan"), 27), "resolution_deg": 0.1},
            CoordinateError,
            "non-finite",
        ),
        ({"bbox": (60, 25, 61), "resolution_deg": 0.1}, CoordinateError, "west, south"),
        ({"bbox": (60, 25, 61, 26)}, BordermapError, "exactly one"),
        (
            {"bbox": (60, 25, 61, 26), "resolution_deg": 0.1, "resolution_m": 10},
            BordermapError,
            "exactly one",
        ),
        ({"bbox": (60, 25, 61, 26), "resolution_deg": -1}, BordermapError, "positive"),
        ({"bbox": (-180, -90, 180, 90), "resolution_deg": 0.001}, BordermapError, "pixels"),
        (
            {"bbox": (60, 25, 61, 26), "resolution_m": 10, "crs": "EPSG:4326"},
            BordermapError,
            "geographic",
        ),
    ],
)
def test_make_grid_errors(kwargs, error, match):
    bbox = kwargs.pop("bbox")
    with pytest.raises(error, match=match):
        rs.make_grid(bbox, **kwargs)


def _geodesic_box_km2(west, south, east, north, n=400):
    p = GEOD.Polygon()
    for x in np.linspace(west, east, n):
        p.AddPoint(south, x)
    for y in np.linspace(south, north, n)[1:]:
        p.AddPoint(y, east)
    for x in np.linspace(east, west, n)[1:]:
        p.AddPoint(north, x)
    for y in np.linspace(north, south, n)[1:-1]:
        p.AddPoint(y, west)
    return abs(p.Compute()[2]) / 1e6


def test_cell_area_against_geographiclib():
    a = rs.cell_area_km2(rs.make_grid((0.0, 0.0, 1.0, 1.0), resolution_deg=1.0))
    assert a[0, 0] == pytest.approx(_geodesic_box_km2(0, 0, 1, 1), rel=1e-8)
    a = rs.cell_area_km2(rs.make_grid((10.0, 60.0, 10.5, 60.5), resolution_deg=0.5))
    assert a[0, 0] == pytest.approx(_geodesic_box_km2(10, 60, 10.5, 60.5), rel=1e-8)
    # projected grid: the areas add up to the geodesic area of the grid's outline
    g = rs.make_grid((62.0, 26.0, 63.0, 27.0), resolution_m=2000)
    from pyproj import Geod, Transformer

    a, _, c, _, e, f = g.transform
    x = np.concatenate(
        [
            np.linspace(c, c + a * g.width, 200),
            np.full(200, c + a * g.width),
            np.linspace(c + a * g.width, c, 200),
            np.full(200, c),
        ]
    )
    y = np.concatenate(
        [
            np.full(200, f),
            np.linspace(f, f + e * g.height, 200),
            np.full(200, f + e * g.height),
            np.linspace(f + e * g.height, f, 200),
        ]
    )
    lon, lat = Transformer.from_crs(g.crs, "EPSG:4326", always_xy=True).transform(x, y)
    outline, _ = Geod(ellps="WGS84").polygon_area_perimeter(lon, lat)
    assert rs.cell_area_km2(g).sum() == pytest.approx(abs(outline) / 1e6, rel=1e-4)


# --------------------------------------------------------------------------- distance


def test_signed_distance_raster_known_pixels(tmp_path):
    out = rs.signed_distance_raster(
        "iran-pakistan", (61.5, 24.8, 64.5, 28.5), tmp_path / "d.tif", resolution_deg=0.05
    )
    with rasterio.open(out) as src:
        assert src.crs.to_epsg() == 4326
        assert tuple(src.transform)[:6] == pytest.approx((0.05, 0, 61.5, 0, -0.05, 28.5))
        assert (src.width, src.height) == (60, 74)
        assert src.nodata == rs.DISTANCE_NODATA and src.dtypes[0] == "float32"
        assert src.units == ("km",) and src.tags()["positive_side"] == "IRN"
        data = src.read(1)
        for (lon, lat), sign in ((PANJGUR, -1), (SARAVAN, +1)):
            r, c = _pixel_of(src, lon, lat)
            clon, clat = _centre(src, r, c)
            expected = sign * _nearest_on_frontier_km(clon, clat)
            assert abs(float(data[r, c]) - expected) < 1e-3  # 1 m
        # the Arabian Sea lies in neither country: nodata
        r, c = _pixel_of(src, 62.5, 24.9)
        assert data[r, c] == rs.DISTANCE_NODATA
        valid = data[data != rs.DISTANCE_NODATA]
        assert valid.min() < -100 and valid.max() > 100
    info = _gdalinfo(out)
    assert "NoData Value=-99999" in info and "WGS 84" in info


def test_signed_distance_line_side_fills_third_countries():
    g = rs.make_grid((62.3, 24.85, 62.7, 24.95), resolution_deg=0.05)
    nodata = rs.signed_distance("iran-pakistan", g)
    line = rs.signed_distance("iran-pakistan", g, outside="line_side")
    assert np.isnan(nodata).all() and np.isfinite(line).all()
    with pytest.raises(BordermapError, match="outside"):
        rs.signed_distance("iran-pakistan", g, outside="zero")


def test_signed_distance_metric_grid(tmp_path):
    out = rs.signed_distance_raster(
        "iran-pakistan", (62.0, 26.5, 63.0, 27.5), tmp_path / "m.tif", resolution_m=5000
    )
    from pyproj import Transformer

    with rasterio.open(out) as src:
        assert src.crs.to_epsg() == 32641 and src.transform.a == 5000
        data = src.read(1)
        t = Transformer.from_crs(src.crs, "EPSG:4326", always_xy=True)
        for r, c in ((3, 4), (src.height - 2, src.width - 3)):
            x, y = src.transform.c + (c + 0.5) * 5000, src.transform.f - (r + 0.5) * 5000
            lon, lat = t.transform(x, y)
            expected = _nearest_on_frontier_km(lon, lat)
            assert abs(abs(float(data[r, c])) - expected) < 1e-3
    _gdalinfo(out)


# --------------------------------------------------------------------------- density


def _kernel(d_km, h, c):
    return np.where(d_km <= c, np.exp(-(d_km**2) / (2 * h * h)), 0.0) / (
        2 * math.pi * h * h * (1 - math.exp(-c * c / (2 * h * h)))
    )


def test_density_integrates_to_the_number_of_incidents():
    pts = np.array([[62.4, 27.3], [63.1, 27.9], [63.12, 27.95]])
    g = rs.make_grid((61.5, 26.5, 64.0, 28.8), resolution_deg=0.01)
    dens = rs.density(pts, g, bandwidth_km=10)
    total = float((dens * rs.cell_area_km2(g)).sum())
    assert total == pytest.approx(3.0, rel=0.01)
    # weights scale the mass
    w = rs.density(pts, g, bandwidth_km=10, weights=[2.0, 1.0, 0.5])
    assert float((w * rs.cell_area_km2(g)).sum()) == pytest.approx(3.5, rel=0.01)
    # one pixel against the formula with geographiclib distances
    lon, lat = g.centres_lonlat()
    r, c = 160, 160
    d = [GEOD.Inverse(y, x, lat[r, c], lon[r, c])["s12"] / 1000 for x, y in pts]
    assert dens[r, c] == pytest.approx(_kernel(np.array(d), 10, 40).sum(), rel=1e-9)
    # chunking changes nothing
    small = rs.density(pts, g, bandwidth_km=10, chunk_pairs=5000)
    assert np.allclose(small, dens, rtol=1e-12, atol=0)
    # an incident near the edge keeps only the part of its mass inside the grid
    edge = rs.density([(61.5, 27.5)], g, bandwidth_km=10)
    assert float((edge * rs.cell_area_km2(g)).sum()) == pytest.approx(0.5, abs=0.02)


def test_density_metric_grid_and_file(tmp_path):
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy([62.4, 63.1], [27.3, 27.9]), crs=4326)
    out = rs.density_raster(
        pts, (61.5, 26.5, 64.0, 28.8), tmp_path / "k.tif", bandwidth_km=15, resolution_m=2000
    )
    with rasterio.open(out) as src:
        assert src.crs.to_epsg() == 32641 and src.nodata == rs.DENSITY_NODATA
        assert src.units == ("1/km2",) and src.tags()["cutoff_km"] == "60.0"
        data = src.read(1)
        g = rs.Grid(src.crs.to_string(), tuple(src.transform)[:6], src.width, src.height)
        assert float((data * rs.cell_area_km2(g)).sum()) == pytest.approx(2.0, rel=0.01)
    _gdalinfo(out)
    with pytest.raises(BordermapError, match="bandwidth_km"):
        rs.density(pts, g, bandwidth_km=0)
    with pytest.raises(BordermapError, match="weights"):
        rs.density(pts, g, bandwidth_km=5, weights=[1.0])


# --------------------------------------------------------------------------- zonal statistics


@pytest.fixture
def small_tif(tmp_path):
    """4 x 4 pixels of 0.25°, values 0..15 row by row, pixel (0, 1) is nodata."""
    g = rs.make_grid((60.0, 25.0, 61.0, 26.0), resolution_deg=0.25)
    v = np.arange(16.0).reshape(4, 4)
    v[0, 1] = -1.0
    return rs.write_geotiff(v, g, tmp_path / "v.tif", nodata=-1.0)


def test_zonal_stats_known_values(small_tif):
    zones = gpd.GeoDataFrame(
        {"name": ["top-left 2x2", "outside", "one pixel"]},
        geometry=[
            shapely.box(60.0, 25.5, 60.5, 26.0),
            shapely.box(70, 30, 71, 31),
            shapely.Point(60.875, 25.125).buffer(0.01),
        ],
        crs="EPSG:4326",
    )
    t = rs.zonal_stats(small_tif, zones)
    assert t["name"].tolist() == zones["name"].tolist()
    row = t.iloc[0]  # pixels 0, (1 = nodata), 4, 5
    assert (row["count"], row["nodata_count"]) == (3, 1)
    assert (row["sum"], row["mean"], row["min"], row["max"]) == (9.0, 3.0, 0.0, 5.0)
    assert t.loc[1, "count"] == 0 and np.isnan(t.loc[1, "sum"])
    assert t.loc[2, "count"] == 1 and t.loc[2, "sum"] == 15.0
    # a zone given in another CRS is reprojected first
    t3857 = rs.zonal_stats(small_tif, zones.to_crs(3857))
    assert t3857[["count", "sum"]].values.tolist()[0] == [3, 9.0]
    # all_touched takes every pixel the polygon touches
    thin = [shapely.box(60.3, 25.6, 60.35, 25.9)]
    assert rs.zonal_stats(small_tif, thin)["count"].tolist() == [0]
    touched = rs.zonal_stats(small_tif, thin, all_touched=True)  # pixels (0, 1) and (1, 1)
    assert touched[["count", "nodata_count", "sum"]].values.tolist() == [[1, 1, 5.0]]


def test_zonal_stats_errors(tmp_path, small_tif):
    with pytest.raises(BordermapError, match="cannot open") as info:
        rs.zonal_stats(tmp_path / "missing.tif", [shapely.box(0, 0, 1, 1)])
    assert info.value.path.endswith("missing.tif")
    plain = tmp_path / "nocrs.tif"
    from affine import Affine

    with rasterio.open(
        plain,
        "w",
        driver="GTiff",
        width=2,
        height=2,
        count=1,
        dtype="float32",
        transform=Affine(1, 0, 0, 0, -1, 2),
    ) as dst:
        dst.write(np.ones((1, 2, 2), dtype="float32"))
    with pytest.raises(BordermapError, match="no CRS"):
        rs.zonal_stats(plain, [shapely.box(0, 0, 1, 1)])
    with pytest.raises(BordermapError, match="band 2"):
        rs.zonal_stats(small_tif, [shapely.box(0, 0, 1, 1)], band=2)


@pytest.fixture(scope="module")
def area_tif(tmp_path_factory):
    """Every pixel holds its own geodesic area (km²), so zonal sums are areas."""
    g = rs.make_grid((60.0, 24.5, 64.5, 30.8), resolution_deg=0.01)
    return rs.write_geotiff(
        rs.cell_area_km2(g),
        g,
        tmp_path_factory.mktemp("a") / "area.tif",
        nodata=-1.0,
        dtype="float64",
    )


def test_corridor_stats_sums_are_band_areas(area_tif):
    t = rs.corridor_stats(area_tif, "iran-pakistan", [10, 25])
    assert t[["band", "side"]].values.tolist() == [
        ["0-10 km", "IRN"],
        ["10-25 km", "IRN"],
        ["0-10 km", "PAK"],
        ["10-25 km", "PAK"],
    ]
    assert np.allclose(t["sum"] / t["area_km2"], 1.0, atol=0.02)
    assert (t["nodata_count"] == 0).all()
    assert np.allclose(t["mean"] * t["count"], t["sum"], rtol=1e-12)
    # 0.01° cells between 24.5° and 30.8° N hold 1.07-1.12 km²
    assert (t["min"] > 1.06).all() and (t["max"] < 1.13).all()


def test_side_stats_counts_pixels_by_country(area_tif):
    from bordermap.analysis import side_of

    t = rs.side_stats(area_tif, "iran-pakistan")
    assert t["side"].tolist() == ["IRN", "PAK"]
    with rasterio.open(area_tif) as src:
        g = rs.Grid("EPSG:4326", tuple(src.transform)[:6], src.width, src.height)
    lon, lat = g.centres_lonlat()
    side = side_of(lon.ravel(), lat.ravel(), frontier="iran-pakistan")
    for iso, count in zip(t["side"], t["count"], strict=True):
        assert count == pytest.approx(int((side == iso).sum()), rel=2e-3)


def test_incident_stats_rings(area_tif):
    inc = gpd.GeoDataFrame(
        {"id": ["saravan", "panjgur"]},
        geometry=gpd.points_from_xy(*zip(SARAVAN, PANJGUR, strict=True)),
        crs="EPSG:4326",
    )
    t = rs.incident_stats(area_tif, inc, 20)
    assert t["id"].tolist() == ["saravan", "panjgur"]
    assert np.allclose(t["sum"], t["area_km2"], rtol=0.01)
    assert np.allclose(t["area_km2"], math.pi * 20**2, rtol=1e-3)


# --------------------------------------------------------------------------- overlay


def _png_rgba(html: str) -> np.ndarray:
    """Decode the first PNG data URL in the page (branca writes unfiltered RGBA rows)."""
    b64 = re.search(r"data:image/png;base64,([A-Za-z0-9+/=]+)", html).group(1)
    png = base64.b64decode(b64)
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(png):
        n, kind = struct.unpack(">I4s", png[pos : pos + 8])
        body = png[pos + 8 : pos + 8 + n]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = np.frombuffer(zlib.decompress(idat), dtype=np.uint8).reshape(height, 1 + 4 * width)
    assert (raw[:, 0] == 0).all()
    return raw[:, 1:].reshape(height, width, 4)


def test_raster_overlay_from_array_escapes_text():
    import folium

    values = np.array([[0.0, 1.0], [np.nan, -5.0]])
    ov = rs.raster_overlay(
        values,
        name='dist <b>"x"</b>',
        bounds=(60, 25, 62, 27),
        legend_title="<script>alert(1)</script>",
        units="km & more",
        nodata=-5.0,
        cmap="viridis",
    )
    m = ov.add_to(folium.Map(location=[26, 61], zoom_start=6, tiles=None))
    folium.LayerControl().add_to(m)
    page = m.get_root().render()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "km &amp; more" in page
    assert "[[25.0, 60.0], [27.0, 62.0]]" in page
    rgba = _png_rgba(page)
    assert rgba.shape == (2, 2, 4)
    assert rgba[1, 0, 3] == 0 and rgba[1, 1, 3] == 0  # NaN and nodata are transparent
    assert rgba[0, 0, 3] == 255 and tuple(rgba[0, 0, :3]) == (0x44, 0x01, 0x54)  # vmin
    assert tuple(rgba[0, 1, :3]) == (0xFD, 0xE7, 0x25)  # vmax
    # hostile text in the name (layer control: Leaflet uses innerHTML) and the legend
    hostile = "<img src=x onerror=alert(1)> </script><script>alert(2)</script> {{7*7}}"
    ov = rs.raster_overlay(values, name=hostile, bounds=(60, 25, 62, 27), units=hostile)
    m = ov.add_to(folium.Map(location=[26, 61], zoom_start=6, tiles=None))
    folium.LayerControl().add_to(m)
    page = m.get_root().render()
    assert "<img src=x" not in page and "<script>alert(2)" not in page and "{{7*7}}" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # legend: shown literally
    assert "&#123;&#123;7*7&#125;&#125;" in page
    with pytest.raises(BordermapError, match="bounds"):
        rs.raster_overlay(values, name="x")
    with pytest.raises(BordermapError, match="colour map"):
        rs.raster_overlay(values, name="x", bounds=(60, 25, 62, 27), cmap="jet")


def test_raster_overlay_from_geotiff(tmp_path):
    import folium

    out = rs.signed_distance_raster(
        "iran-pakistan", (62.0, 26.5, 63.0, 27.5), tmp_path / "m.tif", resolution_m=10000
    )
    ov = rs.raster_overlay(out, name="signed distance", cmap="diverging", units="km")
    south, west = ov.overlay.bounds[0]
    north, east = ov.overlay.bounds[1]
    assert 61.8 < west < 62.1 and 62.9 < east < 63.2 and 26.3 < south < 26.6 < 27.5 < north
    page = ov.add_to(folium.Map(location=[27, 62.5], tiles=None)).get_root().render()
    assert "bordermap-legend" in page and "signed distance" in page


def test_mercator_rows():
    """Rows equally spaced in Web Mercator y pick the source rows at their latitudes."""
    lat_rows = np.arange(60).reshape(60, 1, 1).repeat(4, axis=2)  # row i covers 60-i-1..60-i
    out = rs._to_mercator_rows(lat_rows, 0.0, 60.0)
    y = np.linspace(np.arcsinh(np.tan(np.radians(60))), 0, 61)
    lat_mid = np.degrees(np.arctan(np.sinh(0.5 * (y[1:] + y[:-1]))))
    assert out[:, 0, 0].tolist() == np.floor(60 - lat_mid).astype(int).tolist()


def test_package_keeps_the_public_names():
    """raster became a package: every name of the old module is still importable from it,
    and ``rs.density`` is the function (not the ``density`` submodule)."""
    old = {"DENSITY_NODATA", "DISTANCE_NODATA", "Grid", "RasterOverlay", "cell_area_km2",
           "corridor_stats", "density", "density_raster", "incident_stats", "make_grid",
           "raster_overlay", "side_stats", "signed_distance", "signed_distance_raster",
           "write_geotiff", "zonal_stats"}  # fmt: skip
    assert set(rs.__all__) == old and all(hasattr(rs, n) for n in old)
    assert callable(rs.density) and rs.density.__name__ == "density"
    assert rs.MAX_PIXELS == 50_000_000
