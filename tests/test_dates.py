"""Dates at every precision, against bounds computed here with calendar arithmetic.

Every expected bound comes from :mod:`calendar` (the length of a month) and
:class:`datetime.timedelta` on values built field by field in this file; the
time-zone offsets are read from the text by slicing, not by
``datetime.fromisoformat``.  A bound is the first instant of the period
(``start``) and the first instant after it (``end``, half-open).
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bordermap.incidents import DateSpec, load_layer, parse_date


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def year_bounds(y: int) -> tuple[datetime, datetime]:
    return utc(y, 1, 1), utc(y, 1, 1) + timedelta(days=366 if calendar.isleap(y) else 365)


def month_bounds(y: int, m: int) -> tuple[datetime, datetime]:
    start = utc(y, m, 1)
    return start, start + timedelta(days=calendar.monthrange(y, m)[1])


def day_bounds(y: int, m: int, d: int) -> tuple[datetime, datetime]:
    start = utc(y, m, d)
    return start, start + timedelta(hours=24)


def time_utc(text: str) -> datetime:
    """'YYYY-MM-DDThh:mm[:ss](Z|±hh:mm)' to UTC by slicing the text (no fromisoformat)."""
    y, mo, d = int(text[0:4]), int(text[5:7]), int(text[8:10])
    hh, mm = int(text[11:13]), int(text[14:16])
    rest = text[16:]
    ss = 0
    if rest.startswith(":"):
        ss, rest = int(rest[1:3]), rest[3:]
    local = datetime(y, mo, d, hh, mm, ss)
    if rest == "Z":
        offset = timedelta(0)
    else:
        sign = 1 if rest[0] == "+" else -1
        offset = sign * timedelta(hours=int(rest[1:3]), minutes=int(rest[4:6] or 0))
    return (local - offset).replace(tzinfo=UTC)


def check(spec: DateSpec, start: datetime, end: datetime, precision: str, interval: bool):
    assert (spec.start, spec.end) == (start, end)
    assert spec.start.utcoffset() == timedelta(0) and spec.end.utcoffset() == timedelta(0)
    assert spec.precision == precision
    assert spec.interval is interval


# --- single periods -----------------------------------------------------------------------


@pytest.mark.parametrize("y", [1900, 1999, 2000, 2017, 2023, 2024])
def test_year(y):
    check(parse_date(str(y)), *year_bounds(y), "year", False)
    check(parse_date(y), *year_bounds(y), "year", False)  # a bare YAML integer


def test_year_of_a_leap_year_is_366_days():
    d = parse_date("2024")
    assert d.end - d.start == timedelta(days=366)
    assert parse_date("1900").end - parse_date("1900").start == timedelta(days=365)


@pytest.mark.parametrize("y", [2023, 2024, 1900, 2000])
@pytest.mark.parametrize("m", range(1, 13))
def test_every_month(y, m):
    d = parse_date(f"{y}-{m:02d}")
    check(d, *month_bounds(y, m), "month", False)
    assert str(d) == f"{y}-{m:02d}"


def test_february_lengths():
    assert parse_date("2024-02").end == utc(2024, 3, 1)  # leap year: 29 days
    assert parse_date("2023-02").end == utc(2023, 3, 1)
    assert parse_date("2024-02").end - parse_date("2024-02").start == timedelta(days=29)
    assert parse_date("1900-02").end - parse_date("1900-02").start == timedelta(days=28)
    assert parse_date("2000-02").end - parse_date("2000-02").start == timedelta(days=29)


@pytest.mark.parametrize(
    "text",
    [
        "2024-02-28",
        "2024-02-29",
        "2023-02-28",
        "2024-12-31",
        "2000-02-29",
        "2024-01-31",
        "2024-04-30",
    ],
)
def test_days_at_month_and_year_ends(text):
    y, m, d = map(int, text.split("-"))
    check(parse_date(text), *day_bounds(y, m, d), "day", False)
    check(parse_date(date(y, m, d)), *day_bounds(y, m, d), "day", False)


@pytest.mark.parametrize("text", ["2023-02-29", "1900-02-29", "2024-04-31", "2024-13", "2024-00"])
def test_impossible_dates_are_refused(text):
    with pytest.raises(ValueError):
        parse_date(text)


@pytest.mark.parametrize("m", [0, 13, 99])
def test_a_month_out_of_range_is_named(m):
    with pytest.raises(ValueError, match=f"^month {m} is not 1-12$"):
        parse_date(f"2024-{m:02d}")


def test_a_datespec_built_by_hand_is_a_single_period_with_no_text():
    d = DateSpec(utc(2024, 1, 16), utc(2024, 1, 17), "day")
    assert d.interval is False
    assert d.text == "" and str(d) == ""


def test_a_datespec_is_immutable_and_hashable():
    import dataclasses

    d = parse_date("2024-01-16")
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.end = utc(2024, 1, 18)  # type: ignore[misc]
    assert {d: 1}[parse_date("2024-01-16")] == 1


@pytest.mark.parametrize(
    "text",
    [
        "2024-01-18T04:30+03:30",
        "2024-01-18T04:30:15+03:30",
        "2024-01-01T01:00+05:00",  # back across the year end
        "2023-12-31T22:30-02:00",  # forward across the year end
        "2024-02-28T23:00-01:00",  # into a leap day
        "2024-02-29T00:30+01:00",  # out of a leap day
        "2024-03-31T23:59Z",
        "2024-06-30T12:00+00:00",
        "2024-06-30T12:00-09:30",
        "2024-06-30T00:15+14:00",
    ],
)
def test_times_with_zones_are_converted_to_utc(text):
    t = time_utc(text)
    check(parse_date(text), t, t, "time", False)
    check(parse_date(text.replace("T", " ")), t, t, "time", False)


def test_compact_and_hour_only_offsets():
    assert parse_date("2024-01-18T04:30+0330").start == utc(2024, 1, 18, 1, 0)
    assert parse_date("2024-01-18T04:30+03").start == utc(2024, 1, 18, 1, 30)


def test_aware_datetime_objects_are_converted():
    tz = timezone(timedelta(hours=-5))
    d = parse_date(datetime(2024, 12, 31, 21, 0, tzinfo=tz))
    check(d, utc(2025, 1, 1, 2, 0), utc(2025, 1, 1, 2, 0), "time", False)


@pytest.mark.parametrize(
    ("value", "match"),
    [
        ("2024-01-18T04:30", "timezone"),
        (datetime(2024, 1, 18, 4, 30), "timezone"),
        (True, "boolean"),
        (3.5, "a number"),
        ("18/01/2024", "ISO 8601"),
        ("January 2024", "ISO 8601"),
        ("", "ISO 8601"),
    ],
)
def test_bad_dates_say_what_is_expected(value, match):
    with pytest.raises(ValueError, match=match):
        parse_date(value)


def test_year_integers_inside_the_supported_range_only():
    """1800–2199 (layers/README.md, "Limits"): year 999 is refused, naming the range."""
    check(parse_date(1800), *year_bounds(1800), "year", False)
    assert parse_date(1800).text == "1800"
    check(parse_date(2199), *year_bounds(2199), "year", False)
    for year in (999, 1799, 2200):
        with pytest.raises(ValueError, match="outside the supported range 1800-2199"):
            parse_date(year)


def test_surrounding_space_is_ignored_and_the_text_kept():
    d = parse_date("  2024-01-16 ")
    check(d, *day_bounds(2024, 1, 16), "day", False)
    assert d.text == "2024-01-16" and str(d) == "2024-01-16"


# --- intervals ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        # a month interval ends at the end of its last month, not a day after its start
        ("2017-06/2017-08", month_bounds(2017, 6)[0], month_bounds(2017, 8)[1], "month"),
        ("2023-11/2024-02", month_bounds(2023, 11)[0], month_bounds(2024, 2)[1], "month"),
        ("2024-12/2025-01", month_bounds(2024, 12)[0], month_bounds(2025, 1)[1], "month"),
        ("2017/2018", year_bounds(2017)[0], year_bounds(2018)[1], "year"),
        ("2024/2024", *year_bounds(2024), "year"),
        ("2024-12-30/2025-01-02", day_bounds(2024, 12, 30)[0], day_bounds(2025, 1, 2)[1], "day"),
        ("2024-02-27/2024-02-29", day_bounds(2024, 2, 27)[0], day_bounds(2024, 2, 29)[1], "day"),
        ("2023-02-27/2023-02-28", day_bounds(2023, 2, 27)[0], day_bounds(2023, 2, 28)[1], "day"),
        ("2024-01-31/2024-02-01", day_bounds(2024, 1, 31)[0], day_bounds(2024, 2, 1)[1], "day"),
        # mixed precisions: the end bound's own period decides the end
        ("2024-01-16/2024-02", day_bounds(2024, 1, 16)[0], month_bounds(2024, 2)[1], "day"),
        ("2024-11/2024-12-05", month_bounds(2024, 11)[0], day_bounds(2024, 12, 5)[1], "month"),
        ("2023/2024-02", year_bounds(2023)[0], month_bounds(2024, 2)[1], "year"),
        # times: the interval ends at the instant written (converted to UTC)
        (
            "2024-01-16T10:00Z/2024-01-16T12:00+01:00",
            time_utc("2024-01-16T10:00Z"),
            time_utc("2024-01-16T12:00+01:00"),
            "time",
        ),
        (
            "2024-12-31T23:00+00:00/2025-01-01T02:00+03:00",
            time_utc("2024-12-31T23:00+00:00"),
            time_utc("2025-01-01T02:00+03:00"),
            "time",
        ),
        ("2024-01-16T22:00-03:00/2024-01-18", time_utc("2024-01-16T22:00-03:00"),
         day_bounds(2024, 1, 18)[1], "time"),
    ],
)  # fmt: skip
def test_intervals_end_at_the_end_of_their_last_period(text, start, end, precision):
    check(parse_date(text), start, end, precision, True)
    check(parse_date(text.replace("/", " / ")), start, end, precision, True)
    assert parse_date(text).text == text


def test_interval_mapping_and_date_objects():
    d = parse_date({"start": date(2024, 1, 16), "end": date(2024, 1, 18)})
    check(d, day_bounds(2024, 1, 16)[0], day_bounds(2024, 1, 18)[1], "day", True)
    assert d.text == "2024-01-16/2024-01-18"
    d = parse_date({"start": "2017-06", "end": "2017-08"})
    check(d, month_bounds(2017, 6)[0], month_bounds(2017, 8)[1], "month", True)
    with pytest.raises(ValueError, match="exactly 'start' and 'end'"):
        parse_date({"start": "2017-06"})
    with pytest.raises(ValueError, match="exactly 'start' and 'end'"):
        parse_date({"start": "2017-06", "end": "2017-07", "note": "x"})


@pytest.mark.parametrize(
    "text",
    [
        "2024-01-18/2024-01-16",
        "2024-02/2024-01",
        "2025/2024",
        "2024-01-16T12:00Z/2024-01-16T11:00Z",
        "2024-01-16T12:00+00:00/2024-01-16T14:00+03:00",  # 11:00 UTC: before the start
        "2024-01-17/2024-01",  # the end month begins before the start day
        "2024-01-16T22:00-03:00/2024-01-17",  # 01:00 UTC on the 17th: after the day begins
    ],
)
def test_intervals_that_end_before_they_start_are_refused(text):
    with pytest.raises(ValueError, match="before it starts"):
        parse_date(text)


@pytest.mark.parametrize("text", ["2024-01-16/", "/2024-01-16", "2024/2025/2026", " / "])
def test_malformed_intervals_say_how_to_write_one(text):
    with pytest.raises(ValueError, match=r"an interval is written start/end, e\.g\. 2024-01-16/"):
        parse_date(text)


def test_an_instant_interval_of_zero_length_is_allowed():
    d = parse_date("2024-01-16T10:00Z/2024-01-16T10:00Z")
    check(d, utc(2024, 1, 16, 10), utc(2024, 1, 16, 10), "time", True)


# --- every precision, any dates -----------------------------------------------------------


def _bounds(d: date, precision: str) -> tuple[str, datetime, datetime]:
    if precision == "year":
        return f"{d.year:04d}", *year_bounds(d.year)
    if precision == "month":
        return f"{d.year:04d}-{d.month:02d}", *month_bounds(d.year, d.month)
    return d.isoformat(), *day_bounds(d.year, d.month, d.day)


PRECISIONS = st.sampled_from(["year", "month", "day"])
DATES = st.dates(min_value=date(1800, 1, 1), max_value=date(2199, 12, 31))


@settings(max_examples=300, deadline=None)
@given(a=DATES, b=DATES, pa=PRECISIONS, pb=PRECISIONS)
def test_any_interval_at_any_precision(a, b, pa, pb):
    a, b = min(a, b), max(a, b)
    ta, s0, _e0 = _bounds(a, pa)
    tb, s1, e1 = _bounds(b, pb)
    if s1 < s0:  # e.g. 2024-01-17/2024-01: the end period starts before the start
        with pytest.raises(ValueError, match="before it starts"):
            parse_date(f"{ta}/{tb}")
        return
    check(parse_date(f"{ta}/{tb}"), s0, e1, pa, True)
    check(parse_date(ta), *_bounds(a, pa)[1:], pa, False)


# --- through a layer file -------------------------------------------------------------------


def test_a_layers_month_interval_ends_at_the_end_of_its_last_month(tmp_path):
    doc = {
        "name": "dates",
        "title": "Dates",
        "sources": [{"id": "s1", "publisher": "P", "title": "T", "date": "2017-09-02"}],
        "incidents": [
            {
                "id": f"d-{i}",
                "title": f"incident {i}",
                "date": text,
                "kind": "missile strike",
                "actor": "IRN",
                "target_side": "PAK",
                "impact": {"lon": 63.72, "lat": 26.95, "precision_m": 5000},
                "sources": ["s1"],
            }
            for i, text in enumerate(["2017-06/2017-08", "2024-02", "2016", "2024-02-29"])
        ],
    }
    path = tmp_path / "dates.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    layer = load_layer(path)
    got = [(i.date.start, i.date.end, i.date.precision) for i in layer]
    assert got == [
        (month_bounds(2017, 6)[0], month_bounds(2017, 8)[1], "month"),
        (*month_bounds(2024, 2), "month"),
        (*year_bounds(2016), "year"),
        (*day_bounds(2024, 2, 29), "day"),
    ]
