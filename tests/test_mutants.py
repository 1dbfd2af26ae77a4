"""Tests written to kill mutants that survived ``mutation/run.py`` (see docs/mutation.md).

Each names the mutant it was written for; each asserts a value derived independently
of bordermap (by hand, with the derivation in a comment, or by geographiclib).
"""

from __future__ import annotations

import numpy as np
import pytest


def test_a_plain_dataframe_with_a_geometry_column_is_an_array_of_points():
    """geodesy.points_lonlat: ``hasattr(points, "geometry") or hasattr(points, "crs")``.

    A pandas DataFrame (not a GeoDataFrame) has a ``geometry`` attribute when it has
    such a column, but no CRS: it is read as the array of shapely Points it holds.
    """
    import pandas as pd
    import shapely

    from bordermap.geodesy import points_lonlat

    df = pd.DataFrame({"geometry": [shapely.Point(64.09, 26.97), shapely.Point(190.0, -5.5)]})
    ll = points_lonlat(df)
    # 190° E wraps to 190 - 360 = -170°
    assert ll.lon.tolist() == [64.09, -170.0]
    assert ll.lat.tolist() == [26.97, -5.5]


@pytest.mark.parametrize("text", ["2200", "2200-01", "2200-01-01", "1799-12-31", "12345", "-2024"])
def test_years_written_out_of_range_are_named_with_the_range(text):
    """dates._parse_bound: the year check on text (not only on integers).

    1800-2199 is the supported range (layers/README.md, "Limits"); the year as
    written is named, whatever the precision.
    """
    from bordermap.incidents import parse_date

    year = text.split("-")[0] if not text.startswith("-") else text
    with pytest.raises(
        ValueError, match=rf"^year {year} is outside the supported range 1800-2199$"
    ):
        parse_date(text)


def test_the_last_and_first_supported_years_as_text():
    from datetime import UTC, datetime

    from bordermap.incidents import parse_date

    last = parse_date("2199-12")
    assert (last.start, last.end) == (
        datetime(2199, 12, 1, tzinfo=UTC),
        datetime(2200, 1, 1, tzinfo=UTC),
    )
    assert parse_date("1800").start == datetime(1800, 1, 1, tzinfo=UTC)


def _chord_departure_m(x1: float, y1: float, x2: float, y2: float) -> float:
    """How far the geodesic between two points strays from their straight (lon, lat) chord.

    geographiclib: points at a quarter, half and three quarters of the geodesic, each
    measured to the nearest point of the chord (ternary search on the chord parameter).
    """
    from geographiclib.geodesic import Geodesic

    w = Geodesic.WGS84
    line = w.InverseLine(y1, x1, y2, x2)
    worst = 0.0
    for frac in (0.25, 0.5, 0.75):
        m = line.Position(frac * line.s13)

        def dist(t: float, m=m) -> float:
            return w.Inverse(m["lat2"], m["lon2"], y1 + t * (y2 - y1), x1 + t * (x2 - x1))["s12"]

        lo, hi = 0.0, 1.0
        for _ in range(40):
            a, b = lo + (hi - lo) / 3, hi - (hi - lo) / 3
            lo, hi = (lo, b) if dist(a) < dist(b) else (a, hi)
        worst = max(worst, dist((lo + hi) / 2))
    return worst


@pytest.mark.parametrize(
    ("lon", "lat", "sag_m"),
    [
        # geodesy.densify: each edge's own latitudes (lat[:-1] and lat[1:]), not the first's;
        # the second edge runs from 80° to 70°, its step is set by 80°
        ([0.0, 5.0, 60.0], [10.0, 80.0, 70.0], 50.0),
        # diagonal 300 km edges, where L² tan φ / 8a falls short by up to 8 %
        ([20.0, 25.6], [50.0, 51.9], 1.0),
        ([20.0, 47.0], [80.0, 81.1], 1.0),
        ([20.0, 22.1], [-45.0, -43.1], 1.0),
        ([20.0, 22.0], [20.0, 18.1], 1.0),
    ],
)
def test_densified_lonlat_chords_stay_within_the_sag(lon, lat, sag_m):
    """densify(sag_m=...): every piece's (lon, lat) chord within sag_m of the geodesic."""
    from bordermap.geodesy import densify

    x, y, edge = densify(np.array(lon), np.array(lat), sag_m=sag_m)
    for e in range(len(lon) - 1):
        idx = np.flatnonzero(edge == e)
        for i in idx[[0, 1, len(idx) // 2, -2, -1]]:
            assert _chord_departure_m(x[i], y[i], x[i + 1], y[i + 1]) < sag_m, (e, i)
