"""Country polygons: embedded Natural Earth layer, user boundary files, look-ups."""

from __future__ import annotations

import os

import numpy as np
import pytest
import shapely

from bordermap.boundaries import country_geometry, country_name, country_of, load_countries
from bordermap.errors import BoundaryError, CoordinateError

# (lon, lat) of places whose side of a frontier is not in doubt
PANJGUR = (64.09, 26.97)  # Pakistan, Balochistan
SARAVAN = (62.33, 27.37)  # Iran, Sistan and Baluchestan
SRINAGAR = (74.80, 34.08)  # Indian-administered Kashmir
MUZAFFARABAD = (73.47, 34.37)  # Pakistan-administered Kashmir
GILGIT = (74.31, 35.92)  # Gilgit-Baltistan, Pakistan-administered
AKSAI_CHIN = (79.5, 35.2)  # Chinese-administered, claimed by India
ITANAGAR = (93.62, 27.10)  # Arunachal Pradesh, Indian-administered, claimed by China
SIMFEROPOL = (34.10, 44.95)  # Crimea


@pytest.fixture(scope="module")
def countries():
    return load_countries()


@pytest.fixture(scope="module")
def south_asia(countries):
    """A small subset of the embedded layer, to write user files from."""
    return countries[countries.iso3.isin(["IRN", "PAK", "AFG", "IND"])].copy()


# --- embedded layer -------------------------------------------------------------------


def test_embedded_layer_shape(countries):
    assert list(countries.columns) == ["iso3", "name", "geometry"]
    assert countries.crs.to_epsg() == 4326
    assert len(countries) == 250
    assert countries.iso3.is_unique
    assert set(countries.geom_type) <= {"Polygon", "MultiPolygon"}
    assert shapely.is_valid(countries.geometry.to_numpy()).all()
    assert countries.attrs["path"] is None


def test_embedded_layer_is_cached(countries):
    assert load_countries() is countries
    assert load_countries(None) is countries


def test_natural_earth_code_quirks(countries):
    codes = set(countries.iso3)
    # ISO_A3 is -99 for France, Norway and Kosovo in Natural Earth: ADM0_A3 fills in
    assert {"FRA", "NOR", "KOS"} <= codes
    # ADM0_A3 uses its own codes where ISO_A3 has the real one
    assert {"SSD", "PSE", "ESH"} <= codes
    assert not {"SDS", "PSX", "SAH", "-99"} & codes
    assert country_name("FRA", countries) == "France"


@pytest.mark.parametrize(
    ("point", "iso3"),
    [
        (PANJGUR, "PAK"),
        (SARAVAN, "IRN"),
        (SRINAGAR, "IND"),
        (MUZAFFARABAD, "PAK"),
        (GILGIT, "PAK"),
        # German point of view: de facto control
        (AKSAI_CHIN, "CHN"),
        (ITANAGAR, "IND"),
        (SIMFEROPOL, "UKR"),
        ((65.0, 20.0), ""),  # Arabian Sea
    ],
)
def test_country_of_known_points(point, iso3):
    assert country_of(*point) == iso3


def test_country_of_scalar_and_array_forms():
    assert isinstance(country_of(*PANJGUR), str)
    lon = np.array([[PANJGUR[0], SARAVAN[0]], [SRINAGAR[0], 65.0]])
    lat = np.array([[PANJGUR[1], SARAVAN[1]], [SRINAGAR[1], 20.0]])
    out = country_of(lon, lat)
    assert out.shape == (2, 2)
    assert out.tolist() == [["PAK", "IRN"], ["IND", ""]]
    assert country_of([], []).shape == (0,)
    assert country_of(PANJGUR[0] - 360, PANJGUR[1]) == "PAK"  # wraps


def test_country_of_agrees_with_naive_point_in_polygon(countries):
    """Vectorized answer == a per-point loop over every polygon (independent, slow)."""
    rng = np.random.default_rng(42)
    lon = rng.uniform(55, 80, 400)
    lat = rng.uniform(22, 38, 400)
    got = country_of(lon, lat, countries)
    geoms = list(countries.geometry)
    codes = list(countries.iso3)
    want = []
    for x, y in zip(lon, lat, strict=True):
        p = shapely.Point(x, y)
        want.append(next((c for c, g in zip(codes, geoms, strict=True) if g.intersects(p)), ""))
    assert got.tolist() == want
    assert {"IRN", "PAK", "AFG", "IND", ""} <= set(want)


@pytest.mark.parametrize(("lon", "lat"), [(64.0, 95.0), (np.nan, 27.0), (64.0, np.inf)])
def test_country_of_rejects_bad_coordinates(lon, lat):
    with pytest.raises(CoordinateError, match="not a valid lon/lat"):
        country_of(lon, lat)


def test_country_geometry_by_code_and_name():
    pak = country_geometry("pak")
    assert pak.geom_type in {"Polygon", "MultiPolygon"}
    assert pak.contains(shapely.Point(PANJGUR))
    assert country_geometry("Pakistan").equals(pak)


@pytest.mark.parametrize(
    ("query", "suggested"), [("PAKK", "PAK"), ("Pakistn", "PAK (Pakistan)"), ("Irn", "IRN")]
)
def test_unknown_code_suggests_close_ones(query, suggested):
    if query == "Irn":  # codes are case-insensitive: this one is found
        assert country_geometry(query).equals(country_geometry("IRN"))
        return
    with pytest.raises(BoundaryError, match="unknown country code") as info:
        country_geometry(query)
    assert suggested in str(info.value)


def test_unknown_code_without_close_match():
    with pytest.raises(BoundaryError, match="unknown country code 'QQX'"):
        country_geometry("QQX")


# --- user boundary files ----------------------------------------------------------------


def _geoboundaries_style(gdf):
    out = gdf.rename(columns={"iso3": "shapeGroup", "name": "shapeName"})
    out["shapeType"] = "ADM0"
    return out


def test_user_geopackage_round_trip(tmp_path, south_asia):
    path = tmp_path / "cgaz.gpkg"
    _geoboundaries_style(south_asia).to_file(path, driver="GPKG")
    table = load_countries(path)
    assert sorted(table.iso3) == ["AFG", "IND", "IRN", "PAK"]
    assert table.attrs["code_field"] == "shapeGroup"
    assert country_name("IRN", table) == "Iran"
    assert country_of(*PANJGUR, boundaries=table) == "PAK"
    assert country_of(*SARAVAN, boundaries=str(path)) == "IRN"
    # a country not in the file
    assert country_of(34.8, 31.5, boundaries=table) == ""
    # cached per path and modification time
    assert load_countries(path) is table
    later = south_asia[south_asia.iso3 != "AFG"]
    _geoboundaries_style(later).to_file(path, driver="GPKG", mode="w")
    os.utime(path, ns=(10**18, 10**18))
    reloaded = load_countries(path)
    assert reloaded is not table
    assert sorted(reloaded.iso3) == ["IND", "IRN", "PAK"]


def test_user_file_gadm_style_and_explicit_fields(tmp_path, south_asia):
    gadm = south_asia.rename(columns={"iso3": "GID_0", "name": "COUNTRY"})
    path = tmp_path / "gadm.geojson"
    gadm.to_file(path, driver="GeoJSON")
    assert country_name("PAK", load_countries(path)) == "Pakistan"

    own = south_asia.rename(columns={"iso3": "cc", "name": "label"})
    path2 = tmp_path / "own.gpkg"
    own.to_file(path2, driver="GPKG")
    table = load_countries(path2, code_field="cc", name_field="label")
    assert country_of(*SRINAGAR, boundaries=table) == "IND"
    with pytest.raises(BoundaryError, match="no country-code column 'ccc'") as info:
        load_countries(path2, code_field="ccc")
    assert info.value.field == "ccc"
    assert "did you mean: cc" in str(info.value)


def test_user_file_without_code_field_lists_columns(tmp_path, south_asia):
    nocode = south_asia.rename(columns={"iso3": "label", "name": "population"})
    path = tmp_path / "nocode.geojson"
    nocode.to_file(path, driver="GeoJSON")
    with pytest.raises(BoundaryError, match="no country-code column") as info:
        load_countries(path)
    msg = str(info.value)
    assert str(path) in msg
    assert "columns found: label, population" in msg


def test_csv_with_wkt_polygons_but_no_code_field(tmp_path):
    path = tmp_path / "shapes.csv"
    path.write_text(
        'WKT,label\n"POLYGON ((60 25, 61 25, 61 26, 60 26, 60 25))",somewhere\n',
        encoding="utf-8",
    )
    with pytest.raises(BoundaryError, match="no country-code column") as info:
        load_countries(path)
    assert "label" in str(info.value)
    assert str(path) in str(info.value)


@pytest.mark.parametrize("kind", ["points", "lines"])
def test_user_file_without_polygons(tmp_path, south_asia, kind):
    gdf = south_asia.copy()
    if kind == "points":
        gdf["geometry"] = gdf.geometry.representative_point()
    else:
        gdf["geometry"] = gdf.geometry.boundary
    path = tmp_path / f"{kind}.gpkg"
    gdf.to_file(path, driver="GPKG")
    with pytest.raises(BoundaryError, match="holds no polygons") as info:
        load_countries(path)
    assert info.value.path == str(path.resolve())
    assert ("Point" if kind == "points" else "LineString") in str(info.value)


def test_csv_without_geometry(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text("iso3,name\nPAK,Pakistan\n", encoding="utf-8")
    with pytest.raises(BoundaryError, match="holds no polygons"):
        load_countries(path)


@pytest.mark.parametrize("epsg", [3857, 32642])  # web Mercator; UTM 42N (covers Panjgur)
def test_projected_file_is_reprojected_not_misread(tmp_path, south_asia, epsg):
    projected = _geoboundaries_style(south_asia).to_crs(epsg)
    assert projected.total_bounds[2] > 1000  # metres, not degrees
    path = tmp_path / f"projected_{epsg}.gpkg"
    projected.to_file(path, driver="GPKG")
    table = load_countries(path)
    assert table.crs.to_epsg() == 4326
    assert table.attrs["source_crs"].endswith(str(epsg))
    assert country_of(*PANJGUR, boundaries=table) == "PAK"
    assert country_of(*SARAVAN, boundaries=table) == "IRN"
    minx, miny, maxx, maxy = table.total_bounds
    assert 43 < minx < 45 and 97 < maxx < 98  # IRN's west and IND's east, degrees
    assert 5 < miny < 8 and 39 < maxy < 40


def test_file_without_crs_in_metres_is_refused(tmp_path, south_asia):
    metres = south_asia.to_crs(32642).set_crs(None, allow_override=True)
    path = tmp_path / "nocrs.gpkg"
    with pytest.warns(UserWarning, match="'crs' was not provided"):
        metres.to_file(path, driver="GPKG")
    with pytest.raises(BoundaryError, match="no coordinate reference system") as info:
        load_countries(path)
    assert "not longitude/latitude degrees" in str(info.value)


def test_file_without_crs_in_degrees_is_read_with_a_warning(tmp_path, south_asia):
    degrees = south_asia.set_crs(None, allow_override=True)
    path = tmp_path / "nocrs_deg.gpkg"
    with pytest.warns(UserWarning, match="'crs' was not provided"):
        degrees.to_file(path, driver="GPKG")
    with pytest.warns(UserWarning, match="no CRS declared"):
        table = load_countries(path)
    assert country_of(*PANJGUR, boundaries=table) == "PAK"


def test_invalid_geometry_is_repaired(tmp_path):
    import geopandas as gpd

    bowtie = shapely.Polygon([(60, 25), (62, 27), (62, 25), (60, 27), (60, 25)])
    assert not bowtie.is_valid
    gdf = gpd.GeoDataFrame({"ISO3": ["XAA"]}, geometry=[bowtie], crs=4326)
    path = tmp_path / "bowtie.gpkg"
    gdf.to_file(path, driver="GPKG")
    table = load_countries(path)
    geom = country_geometry("XAA", table)
    assert geom.is_valid
    assert geom.area == pytest.approx(2.0)  # two triangles, 1 square degree each
    assert country_of(60.2, 26.0, boundaries=table) == "XAA"
    assert country_of(61.0, 25.2, boundaries=table) == ""  # the pinched middle


def test_duplicate_codes_are_merged(tmp_path):
    import geopandas as gpd

    gdf = gpd.GeoDataFrame(
        {"iso3": ["XBB", "XBB"], "name": ["Part", "Part"]},
        geometry=[shapely.box(0, 0, 1, 1), shapely.box(2, 0, 3, 1)],
        crs=4326,
    )
    path = tmp_path / "dup.gpkg"
    gdf.to_file(path, driver="GPKG")
    table = load_countries(path)
    assert len(table) == 1
    assert country_geometry("XBB", table).geom_type == "MultiPolygon"


def test_bad_code_value_names_record_and_field(tmp_path, south_asia):
    gdf = _geoboundaries_style(south_asia).reset_index(drop=True)
    gdf.loc[2, "shapeGroup"] = "-99"
    path = tmp_path / "bad.gpkg"
    gdf.to_file(path, driver="GPKG")
    with pytest.raises(BoundaryError, match="record 3 has '-99'") as info:
        load_countries(path)
    assert info.value.field == "shapeGroup"


def test_multi_layer_file_needs_a_layer(tmp_path, south_asia):
    path = tmp_path / "levels.gpkg"
    gb = _geoboundaries_style(south_asia)
    gb.to_file(path, layer="countries", driver="GPKG")
    gb.to_file(path, layer="copy", driver="GPKG")
    with pytest.raises(BoundaryError, match="cannot tell which holds the countries"):
        load_countries(path)
    assert len(load_countries(path, layer="copy")) == 4
    with pytest.raises(BoundaryError, match="no layer 'nope'"):
        load_countries(path, layer="nope")


def test_missing_and_unreadable_files(tmp_path):
    with pytest.raises(BoundaryError, match="boundary file not found") as info:
        load_countries(tmp_path / "absent.gpkg")
    assert "absent.gpkg" in str(info.value)
    junk = tmp_path / "junk.gpkg"
    junk.write_bytes(b"this is not a geopackage")
    with pytest.raises(BoundaryError, match="cannot read boundary file") as info:
        load_countries(junk)
    assert "junk.gpkg" in str(info.value)


def test_boundaries_argument_must_be_a_table_or_path():
    with pytest.raises(BoundaryError, match="boundaries must be"):
        country_of(64.0, 27.0, boundaries=42)


def test_zipped_natural_earth_style_shapefile(tmp_path, south_asia):
    """A Natural Earth point-of-view file: ISO_A3 with -99 gaps, ADM0_A3 always filled."""
    ne = south_asia.rename(columns={"name": "ADMIN"})
    ne["ADM0_A3"] = ne["iso3"]
    ne["ISO_A3"] = np.where(ne["iso3"] == "PAK", "-99", ne["iso3"])
    ne = ne.drop(columns="iso3")
    path = tmp_path / "ne_pov.shp.zip"
    ne.to_file(path, driver="ESRI Shapefile")
    table = load_countries(path)
    assert sorted(table.iso3) == ["AFG", "IND", "IRN", "PAK"]
    assert table.attrs["code_field"] == "ISO_A3/ADM0_A3"
    assert country_of(*PANJGUR, boundaries=table) == "PAK"
    # the same file through a GDAL virtual path
    vsi = load_countries(f"/vsizip/{path}")
    assert country_of(*SARAVAN, boundaries=vsi) == "IRN"


def test_projected_table_passed_directly_is_refused(countries):
    projected = countries[countries.iso3 == "PAK"].to_crs(3857)
    with pytest.raises(BoundaryError, match="not longitude/latitude"):
        country_of(*PANJGUR, boundaries=projected)
    assert country_of(*PANJGUR, boundaries=projected.to_crs(4326)) == "PAK"
