"""Rasters: signed distance to a frontier, incident density, zonal statistics, map overlays.

Grids
-----
A :class:`Grid` covers a lon/lat bounding box either in EPSG:4326 with a
resolution in degrees, or in a metric CRS (by default the UTM zone of the box
centre) with a resolution in metres.  Pixel values are always computed at pixel
*centres*, from their exact longitude and latitude on WGS84; distances are
geodesic (never measured in degrees or in the grid's projection).

Outputs are GeoTIFFs (rasterio, deflate-compressed, tiled when large) with
their CRS, affine transform and nodata value set, written atomically
(temporary file + ``os.replace``).

- :func:`signed_distance_raster` — geodesic distance (km) from every pixel
  centre to the frontier, positive on the side of ``frontier.countries[0]``
  and negative on the other (see :mod:`bordermap.analysis`); float32, so values
  are kept to better than 0.5 m below 8,000 km.
- :func:`density_raster` — incident density (incidents per km²): the sum over
  incidents of a Gaussian kernel of the geodesic distance, with bandwidth
  ``bandwidth_km`` and a cutoff radius (4 bandwidths by default), normalised so
  that each incident integrates to 1 over the disc within the cutoff.
- :func:`zonal_stats` — count, sum, mean, min and max of any GeoTIFF's pixels
  whose centres fall in each zone (zones are reprojected to the raster's CRS;
  nodata and NaN pixels are left out and counted apart);
  :func:`corridor_stats`, :func:`side_stats` and :func:`incident_stats` build
  the zones (corridor bands per side, the frontier countries, rings around
  incidents).
- :func:`raster_overlay` — a raster as a Folium ``ImageOverlay`` (resampled to
  Web Mercator rows, nodata transparent) with a colour legend element.

rasterio is imported on first use.

Package layout: :mod:`~bordermap.raster.grid` (grids, pixel areas, GeoTIFF
writing), :mod:`~bordermap.raster.distance`, :mod:`~bordermap.raster.density`,
:mod:`~bordermap.raster.zonal` and :mod:`~bordermap.raster.overlay`.
"""

from __future__ import annotations

from bordermap.raster.density import density, density_raster
from bordermap.raster.distance import signed_distance, signed_distance_raster
from bordermap.raster.grid import (
    DENSITY_NODATA,
    DISTANCE_NODATA,
    Grid,
    cell_area_km2,
    make_grid,
    write_geotiff,
)
from bordermap.raster.grid import (
    MAX_PIXELS as MAX_PIXELS,
)
from bordermap.raster.overlay import RasterOverlay, raster_overlay
from bordermap.raster.overlay import _to_mercator_rows as _to_mercator_rows
from bordermap.raster.zonal import corridor_stats, incident_stats, side_stats, zonal_stats

__all__ = [
    "DENSITY_NODATA",
    "DISTANCE_NODATA",
    "Grid",
    "RasterOverlay",
    "cell_area_km2",
    "corridor_stats",
    "density",
    "density_raster",
    "incident_stats",
    "make_grid",
    "raster_overlay",
    "side_stats",
    "signed_distance",
    "signed_distance_raster",
    "write_geotiff",
    "zonal_stats",
]
