"""Tests written to kill mutants that survived ``mutation/run.py`` (see docs/mutation.md).

Each names the mutant it was written for; each asserts a value derived independently
of bordermap (by hand, with the derivation in a comment, or by geographiclib).
"""

from __future__ import annotations

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
