"""Dates in a report, anchored to the report's own date.

Read: absolute dates ("16 January 2024", "January 16, 2024", "2024-01-16",
"Jan. 16"), ranges ("May 6-7", "6–7 May", "May 6 to 7"), months
("January 2024"), "on the night of January 16", relative days ("the next
day", "the following day", "two days later", "the day before", "yesterday",
"today", "last night") and weekday names ("on Tuesday", "last Friday").

The **report date** is ``report_date`` when given (``--date``), else the
dateline: a date at the head of the text ("ISLAMABAD, Jan 17 (Reuters)",
"Published 17 January 2024").  A date written without a year takes the
report's year, or the year before when that would put it more than a week
after the report.  A weekday is the last such day on or before the report
date ("last Friday": strictly before).  "The next day" and its kin count from
the date the text mentioned last, else from the report date.  A date that
cannot be anchored (no year, no report date) is kept with ``value`` None.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from bordermap.extract.lexicon import MONTHS, WEEKDAYS
from bordermap.extract.text import Sentence

__all__ = ["DateMention", "find_dates", "parse_report_date", "report_date_from_text"]

_MON = (r"(?P<{n}>January|February|March|April|May|June|July|August|September|October|November"
        r"|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?)")
_DAY = r"(?P<{n}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{n}>1[89]\d\d|2[01]\d\d)"
_RANGE = r"(?:\s*[-–—]\s*|\s+(?:to|and)\s+)"
_NUMWORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
             "eight": 8, "nine": 9, "ten": 10, "a": 1}

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)\b")),
    ("mdy", re.compile(r"\b" + _MON.format(n="mon") + r"\s+" + _DAY.format(n="d1") + r"(?:"
                       + _RANGE + _DAY.format(n="d2") + r")?\b(?:,?\s+" + _YEAR.format(n="y")
                       + r"\b)?")),
    ("dmy", re.compile(r"\b" + _DAY.format(n="d1") + r"(?:" + _RANGE + _DAY.format(n="d2")
                       + r")?\s+(?:of\s+)?" + _MON.format(n="mon") + r"(?:,?\s+"
                       + _YEAR.format(n="y") + r"\b)?")),
    ("my", re.compile(r"\b" + _MON.format(n="mon") + r",?\s+" + _YEAR.format(n="y") + r"\b")),
    ("rel", re.compile(r"\b(?:(?P<next>the\s+(?:next|following)\s+day|the\s+day\s+after|a\s+day"
                       r"\s+later)|(?P<prev>the\s+(?:previous|preceding)\s+day|the\s+day\s+before"
                       r"|a\s+day\s+earlier)|(?P<n>\d|one|two|three|four|five|six|seven|eight|nine"
                       r"|ten)\s+days\s+(?P<dir>later|earlier|before|after)|(?P<yest>yesterday|"
                       r"last\s+night)|(?P<today>today|tonight))\b", re.IGNORECASE)),
    ("wday", re.compile(r"\b(?P<last>last\s+)?(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|"
                        r"Saturday|Sunday)\b")),
]


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date the text gives: span, sentence, ISO value (None when it cannot be anchored).

    ``value`` is ``YYYY-MM-DD``, ``YYYY-MM`` or an interval ``start/end`` in the layer
    format; ``how`` is ``"absolute"``, ``"range"``, ``"month"``, ``"relative"``,
    ``"weekday"`` or ``"dateline"``; ``night`` marks "the night of ...".
    """

    text: str
    start: int
    end: int
    sentence: int
    value: str | None
    how: str
    night: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {k: getattr(self, k) for k in self.__slots__}


def parse_report_date(value: str) -> dt.date:
    """A ``--date`` value (ISO ``YYYY-MM-DD``) as a date, or ValueError saying what is wrong.

    Examples
    --------
    >>> parse_report_date("2024-01-17")
    datetime.date(2024, 1, 17)
    """
    try:
        d = dt.date.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        raise ValueError(f"{value!r} is not a date in the form YYYY-MM-DD") from None
    if not 1800 <= d.year < 2200:
        raise ValueError(f"{value!r} is outside 1800-2199")
    return d


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def _day(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _year_for(m: int, d: int, anchor: dt.date | None) -> int | None:
    if anchor is None:
        return None
    y = anchor.year
    got = _day(y, m, d)
    if got is not None and got > anchor + dt.timedelta(days=7):
        y -= 1
    return y


def report_date_from_text(text: str) -> dt.date | None:
    """The dateline's date: a full date in the text's first line (or first 200 characters).

    A dateline without a year ("ISLAMABAD, Jan 17 (Reuters)") takes the year of the
    first full date in the text.

    Examples
    --------
    >>> report_date_from_text("QUETTA, Jan 17 (AP) - A strike on January 16, 2024 ...")
    datetime.date(2024, 1, 17)
    """
    first_year = None
    for kind in ("mdy", "dmy"):
        for m in dict(_PATTERNS)[kind].finditer(text[:20000]):
            if m.group("y"):
                first_year = int(m.group("y"))
                break
        if first_year:
            break
    found = _dateline(text, first_year)
    return None if found is None else found[0]


def _dateline(text: str, first_year: int | None) -> tuple[dt.date, int] | None:
    """(date, end offset) of the dateline, or None."""
    head = text[: min(len(text), 200)].split("\n\n")[0].split(". ")[0]
    found = None
    for kind in ("iso", "mdy", "dmy"):
        m = dict(_PATTERNS)[kind].search(head)
        if m is None:
            continue
        if kind == "iso":
            d = _day(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        else:
            y = int(m.group("y")) if m.group("y") else first_year
            d = _day(y, _month(m.group("mon")), int(m.group("d1"))) if y else None
        if d is not None and _DATELINE_PREFIX.fullmatch(head[: m.start()]) and (
                found is None or m.start() < found[0]):
            found = (m.start(), d, m.end())
    return None if found is None else (found[1], found[2])


# What may stand before a dateline's date: a place in capitals or title case and a comma, or
# "Published"/"Updated" (a date further into a sentence is an event, not the dateline).
_DATELINE_PREFIX = re.compile(
    r"\s*(?:[A-Z][A-Za-z .'’-]{1,40},\s*|(?:Published|Updated|Posted|Dated|Filed)(?:\s+on)?"
    r":?\s*|)"
)


def _dateline_end(text: str) -> int:
    """End of a dateline without a year ("ISLAMABAD, Jan 17 (Reuters)"), or -1."""
    m = re.match(r"\s*[A-Z][A-Za-z .'-]{1,40},\s+(?:[A-Z][a-z]+\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]+)"
                 r"(?:\s*\([^)]{1,40}\))?", text)
    return m.end() if m else -1


def _iso(d: dt.date) -> str:
    return d.isoformat()


def _absolute(kind: str, m: re.Match[str], anchor: dt.date | None) -> tuple[str | None, str]:
    if kind == "iso":
        d = _day(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        return (_iso(d) if d else None), "absolute"
    mon = _month(m.group("mon"))
    if kind == "my":
        return f"{int(m.group('y')):04d}-{mon:02d}", "month"
    d1 = int(m.group("d1"))
    d2 = int(m.group("d2")) if m.group("d2") else None
    y = int(m.group("y")) if m.group("y") else _year_for(mon, d1, anchor)
    if y is None:
        return None, "range" if d2 else "absolute"
    a = _day(y, mon, d1)
    if a is None:
        return None, "absolute"
    if d2 is not None:
        b = _day(y, mon, d2)
        if b is None or b < a:
            return None, "range"
        return f"{_iso(a)}/{_iso(b)}", "range"
    return _iso(a), "absolute"


def _relative(m: re.Match[str], last: dt.date | None) -> dt.date | None:
    if last is None:
        return None
    if m.group("next"):
        return last + dt.timedelta(days=1)
    if m.group("prev"):
        return last - dt.timedelta(days=1)
    if m.group("n"):
        n = _NUMWORDS.get(m.group("n").lower()) or int(m.group("n"))
        sign = 1 if m.group("dir").lower() in ("later", "after") else -1
        return last + dt.timedelta(days=sign * n)
    return None


def find_dates(
    text: str, sents: list[Sentence], report_date: dt.date | None = None
) -> tuple[list[DateMention], dt.date | None]:
    """Every date of the text in order, and the report date used to anchor them."""
    anchor = report_date or report_date_from_text(text)
    line = _dateline(text, anchor.year if anchor else None)
    dateline_end = line[1] if line is not None else _dateline_end(text)
    hits: list[tuple[int, int, str, re.Match[str]]] = []
    for kind, pat in _PATTERNS:
        for m in pat.finditer(text):
            hits.append((m.start(), m.end(), kind, m))
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    out: list[DateMention] = []
    starts = [s.start for s in sents]
    last: dt.date | None = None
    end = -1
    import bisect

    for a, b, kind, m in hits:
        if a < end:
            continue  # inside a longer date already read
        if kind in ("mdy", "dmy", "my") and not m.group("mon")[:1].isupper():
            continue
        if kind == "mdy" and m.group("mon").lower().startswith("may") and not (
                m.group("y") or re.match(r"\d", m.group("d1"))):
            continue
        end = b
        sent = max(0, bisect.bisect_right(starts, a) - 1)
        night = bool(re.search(r"night\s+of\s+(?:the\s+)?$", text[max(0, a - 20) : a], re.I))
        if b <= dateline_end:
            out.append(DateMention(text[a:b], a, b, sent, _iso(anchor) if anchor else None,
                                   "dateline"))
            continue
        if kind == "rel":
            if m.group("yest") or m.group("today"):
                base = anchor
                d = None if base is None else base - dt.timedelta(days=1 if m.group("yest") else 0)
            else:
                d = _relative(m, last or anchor)
            value, how = (_iso(d) if d else None), "relative"
        elif kind == "wday":
            d = _weekday(m, anchor)
            value, how = (_iso(d) if d else None), "weekday"
        else:
            value, how = _absolute(kind, m, anchor)
        if value and how != "month":
            last = dt.date.fromisoformat(value.split("/")[-1 if how == "range" else 0][:10])
        out.append(DateMention(text[a:b], a, b, sent, value, how, night))
    return out, anchor


def _weekday(m: re.Match[str], anchor: dt.date | None) -> dt.date | None:
    if anchor is None:
        return None
    wd = WEEKDAYS[m.group("wd").lower()]
    back = (anchor.weekday() - wd) % 7
    if m.group("last") and back == 0:
        back = 7
    return anchor - dt.timedelta(days=back)
