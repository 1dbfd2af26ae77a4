"""Kilometre values given by users: one rule for a width, one for a list of widths.

A width is a finite number of kilometres greater than 0 (booleans and None are
refused).  A list is a number, a sequence of numbers, or a comma-separated string
such as ``"10,25,50"``; blank items are skipped, ``""`` (or None) means no widths,
and the result is sorted with duplicates removed, so it is strictly increasing.
Every error names the option (``field``) it came from.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from bordermap.errors import BordermapError, ExportError

__all__ = ["parse_km", "parse_km_list"]


def parse_km(
    value: Any,
    *,
    field: str,
    error: type[BordermapError] = ExportError,
    max_km: float | None = None,
) -> float:
    """One width in km: finite, greater than 0 and at most ``max_km``.

    Raises
    ------
    BordermapError
        Of class ``error``, with ``field`` set and the bad value quoted.

    Examples
    --------
    >>> parse_km(" 25 ", field="width_km")
    25.0
    >>> parse_km("0", field="radii_km")
    Traceback (most recent call last):
    ...
    bordermap.errors.ExportError: field 'radii_km': radii_km must be greater than 0 km, got 0 (...)
    """
    if isinstance(value, bool) or value is None:
        raise error(f"{field} must be a number of km, got {value!r}", field=field)
    try:
        km = float(value.strip() if isinstance(value, str) else value)
    except (TypeError, ValueError):
        raise error(
            f"{field} must be a number of km, got {value!r}",
            field=field,
            suggestion="write widths like 10,25,50",
        ) from None
    if not math.isfinite(km):
        raise error(f"{field} must be finite, got {value!r}", field=field)
    if km <= 0:
        raise error(
            f"{field} must be greater than 0 km, got {km:g}",
            field=field,
            suggestion="give a positive width such as 10",
        )
    if max_km is not None and km > max_km:
        raise error(f"{field} of {km:g} km is beyond the supported {max_km:g} km", field=field)
    return km


def parse_km_list(
    value: Any,
    *,
    field: str,
    error: type[BordermapError] = ExportError,
    max_km: float | None = None,
    required: bool = False,
) -> tuple[float, ...]:
    """Widths in km from a number, a sequence or ``"10,25,50"``; sorted and distinct.

    Parameters
    ----------
    value : float, str, sequence or None
        ``""`` and None mean no widths.
    field : str
        The option the value came from (named in errors).
    error : BordermapError subclass
        Class of the error raised.
    max_km : float, optional
        Largest width accepted.
    required : bool
        Refuse an empty list.

    Examples
    --------
    >>> parse_km_list("50,10, 25,10", field="corridor_km")
    (10.0, 25.0, 50.0)
    >>> parse_km_list("", field="corridor_km"), parse_km_list(None, field="bands_km")
    ((), ())
    >>> parse_km_list(5, field="radii_km")
    (5.0,)
    >>> parse_km_list("10,0", field="bands_km")
    Traceback (most recent call last):
    ...
    bordermap.errors.ExportError: field 'bands_km': bands_km must be greater than 0 km, got 0 (...)
    """
    if value is None:
        items: list[Any] = []
    elif isinstance(value, str):
        items = [v for v in value.split(",") if v.strip()]
    elif isinstance(value, (bytes, bool)) or not isinstance(value, Iterable):
        items = [value]
    else:
        items = list(value)
    km = tuple(sorted({parse_km(v, field=field, error=error, max_km=max_km) for v in items}))
    if required and not km:
        raise error(f"no {field} given", field=field, suggestion="e.g. 10,25,50")
    return km
