"""ISO 8601 dates with their precision: :func:`parse_date` gives a :class:`DateSpec`.

Dates must lie between :data:`DATE_MIN` and :data:`DATE_MAX` (1800-01-01 to
2199-12-31, UTC), so that every export can represent them exactly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from bordermap.errors import (
    shorten,
)
from bordermap.incidents.model import DateSpec, _kind_of

if TYPE_CHECKING:  # pragma: no cover
    pass


#: Supported dates: every bound of a date must fall in this range (UTC).
DATE_MIN = datetime(1800, 1, 1, tzinfo=UTC)


DATE_MAX = datetime(2200, 1, 1, tzinfo=UTC)  # exclusive: 2199-12-31 is the last day


_DATETIME_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?$"
)


def _parse_bound(text: str) -> tuple[datetime, datetime, str]:
    """(start, end, precision) of one ISO 8601 date/time; ValueError with a hint."""
    year = re.match(r"[+-]?\d+", text)
    if year and len(year.group()) >= 4 and not DATE_MIN.year <= int(year.group()) < DATE_MAX.year:
        raise ValueError(
            f"year {year.group()} is outside the supported range "
            f"{DATE_MIN.year}-{DATE_MAX.year - 1}"
        )
    if re.fullmatch(r"\d{4}", text):
        y = int(text)
        return datetime(y, 1, 1, tzinfo=UTC), datetime(y + 1, 1, 1, tzinfo=UTC), "year"
    if re.fullmatch(r"\d{4}-\d{2}", text):
        y, m = map(int, text.split("-"))
        if not 1 <= m <= 12:
            raise ValueError(f"month {m} is not 1-12")
        start = datetime(y, m, 1, tzinfo=UTC)
        end = datetime(y + (m == 12), m % 12 + 1, 1, tzinfo=UTC)
        return start, end, "month"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        d = date.fromisoformat(text)
        start = datetime(d.year, d.month, d.day, tzinfo=UTC)
        return start, start + timedelta(days=1), "day"
    if _DATETIME_RE.match(text):
        if not re.search(r"(Z|[+-]\d{2}(:?\d{2})?)$", text):
            raise ValueError("a time needs a timezone, e.g. '...T16:00+03:30' or '...Z'")
        dt = datetime.fromisoformat(text.replace(" ", "T"))
        dt = dt.astimezone(UTC)
        return dt, dt, "time"
    raise ValueError(
        "expected ISO 8601: YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDThh:mm+hh:mm, or start/end"
    )


def parse_date(value: Any) -> DateSpec:
    """Parse an ISO 8601 date, month, year, time (with zone) or ``start/end`` interval.

    Parameters
    ----------
    value : str, int, date, datetime or mapping with ``start`` and ``end``
        The date as written in a layer.

    Returns
    -------
    DateSpec

    Raises
    ------
    ValueError
        With a message saying what form is expected.

    Examples
    --------
    >>> d = parse_date("2025-05-07/2025-05-10")
    >>> d.interval, d.precision, d.end.isoformat()
    (True, 'day', '2025-05-11T00:00:00+00:00')
    >>> parse_date(2017).precision
    'year'
    """
    if isinstance(value, Mapping):
        if set(value) != {"start", "end"}:
            raise ValueError("an interval mapping needs exactly 'start' and 'end'")
        text = f"{_date_text(value['start'])}/{_date_text(value['end'])}"
    else:
        text = _date_text(value)
    if "/" in text:
        a, _, b = text.partition("/")
        if not a or not b or "/" in b:
            raise ValueError(
                "expected ISO 8601 (YYYY-MM-DD); an interval is written "
                "start/end, e.g. 2024-01-16/2024-01-18"
            )
        s0, _, prec = _parse_bound(a.strip())
        s1, e1, _ = _parse_bound(b.strip())
        end = e1 if e1 > s1 else s1
        if end < s0 or s1 < s0:
            raise ValueError(f"interval ends ({b.strip()}) before it starts ({a.strip()})")
        return _in_range(DateSpec(s0, end, prec, True, text))
    start, end, prec = _parse_bound(text.strip())
    return _in_range(DateSpec(start, end, prec, False, text))


def _in_range(spec: DateSpec) -> DateSpec:
    """The date if it lies in the supported range (:data:`DATE_MIN` - :data:`DATE_MAX`)."""
    if spec.start < DATE_MIN or spec.end > DATE_MAX:
        raise ValueError(
            f"dates must lie between {DATE_MIN.date()} and "
            f"{(DATE_MAX - timedelta(days=1)).date()} (UTC)"
        )
    return spec


def _date_text(value: Any) -> str:
    if isinstance(value, bool):
        raise ValueError("expected a date, got a boolean")
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("a time needs a timezone")
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        if not DATE_MIN.year <= value < DATE_MAX.year:
            raise ValueError(
                f"year {shorten(value)} is outside the supported range "
                f"{DATE_MIN.year}-{DATE_MAX.year - 1}"
            )
        return f"{value:04d}"
    if isinstance(value, str):
        return value.strip()
    raise ValueError(f"expected a date, got {_kind_of(value)}")
