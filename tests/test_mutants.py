"""Tests written to kill mutants that survived ``mutation/run.py`` (see docs/mutation.md).

Each names the mutant it was written for; each asserts a value derived independently
of bordermap (by hand, with the derivation in a comment, or by geographiclib).
"""

from __future__ import annotations


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
