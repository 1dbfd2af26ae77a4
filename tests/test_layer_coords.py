"""One coordinate policy: layers accept and wrap longitudes as geodesy.as_lonlat does."""

from __future__ import annotations

import math

import numpy as np
import pytest

from bordermap.errors import CoordinateError, LayerError
from bordermap.geodesy import as_lonlat
from bordermap.incidents import load_layer
from test_incidents import FakeGazetteer, good_layer, write

VALUES = [
    (0.0, 0.0),
    (179.999, 10.0),
    (180.0, 10.0),
    (-180.0, 10.0),
    (190.0, 10.0),
    (-190.0, -10.0),
    (359.5, 45.0),
    (360.0, 45.0),
    (-360.0, 45.0),
    (360.001, 45.0),
    (-400.0, 0.0),
    (10.0, 90.0),
    (10.0, -90.0),
    (10.0, 90.0000001),
    (10.0, -91.0),
]


@pytest.mark.parametrize(("lon", "lat"), VALUES)
def test_layers_and_geodesy_agree(tmp_path, lon, lat):
    body = good_layer().replace(
        "{lon: 61.5, lat: 27.0, precision_m: 50000}",
        f"{{lon: {lon!r}, lat: {lat!r}, precision_m: 50000}}",
    )
    path = write(tmp_path, body)
    try:
        expected = as_lonlat(lon, lat)
    except CoordinateError:
        with pytest.raises(LayerError, match="out of range"):
            load_layer(path, gazetteer=FakeGazetteer())
        return
    origin = load_layer(path, gazetteer=FakeGazetteer()).incidents[0].origin
    # the same policy: same accepted range, same wrapped meridian (as_lonlat moves an
    # in-range longitude by up to an ulp; a layer keeps it exactly as written)
    assert origin.lon == pytest.approx(float(expected.lon), abs=1e-12)
    assert origin.lat == float(expected.lat)
    if -180.0 <= lon < 180.0:
        assert origin.lon == lon
    assert -180.0 <= origin.lon < 180.0
    # the wrapped longitude is the same meridian
    assert math.isclose(
        math.cos(math.radians(origin.lon)), math.cos(math.radians(lon)), abs_tol=1e-12
    )


def test_out_of_range_longitude_names_the_policy(tmp_path):
    body = good_layer().replace("lon: 61.5", "lon: 361")
    with pytest.raises(LayerError) as info:
        load_layer(write(tmp_path, body), gazetteer=FakeGazetteer())
    assert "lon 361 is out of range [-360, 360]" in info.value.message
    assert info.value.line == 10


def test_wrapped_csv_longitudes_match_geodesy(tmp_path):
    lons = np.array([-359.0, -181.0, 181.0, 270.0])
    rows = "".join(
        f"c{i},T,2024-01-01,shelling,PAK,{float(x)!r},33.7,5000,W,T,2024-01-01\n"
        for i, x in enumerate(lons)
    )
    path = tmp_path / "wrap.csv"
    path.write_text(
        "id,title,date,kind,actor,lon,lat,precision_m,source_publisher,source_title,"
        "source_date\n" + rows
    )
    layer = load_layer(path, gazetteer=FakeGazetteer())
    got = np.array([inc.impacts[0].lon for inc in layer])
    np.testing.assert_allclose(got, as_lonlat(lons, np.full(4, 33.7)).lon, rtol=0, atol=1e-12)
