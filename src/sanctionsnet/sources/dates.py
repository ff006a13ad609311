"""Dates as the lists write them, turned into FtM date prefixes that keep their precision.

FtM dates are ISO prefixes: ``"1984"`` (year known), ``"1984-01"`` (month known) or
``"1984-01-08"`` (day known). Lists state dates in many shapes ("12 Dec. 1965",
"circa 1958", "between 1955 and 1958", "Nov. 1973", "2015-04-14-04:00"), and a parser
should store exactly what is known: never invent a day or a month, never drop a
stated one.

API (all pure functions, safe to call on untrusted text):

- `parse_date_with_precision(text)` -> list of prefixes (empty when the text holds no
  date this module understands). A range yields every year (or month) in it.
- `date_prefix(year, month, day)` -> the prefix for separately stated parts.
- `year_range(start, end)` -> every year from `start` to `end` inclusive.
- `is_approximate(text)` -> whether the text says "circa", "approximately", ...

Invalid parts degrade to the precision that is still valid ("1970-00-00" -> "1970",
"1980-02-30" -> "1980-02"). Years outside 1800..2100 are rejected, which also keeps
non-Gregorian dates (e.g. Hijri "24/06/1402") from being read as Gregorian ones.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable

__all__ = [
    "MAX_RANGE_YEARS",
    "date_prefix",
    "is_approximate",
    "latest",
    "parse_date_with_precision",
    "year_range",
]

#: A stated range wider than this is kept as its two end years instead of every year.
MAX_RANGE_YEARS = 30
_MAX_RANGE_MONTHS = 36
_MIN_YEAR = 1800
_MAX_YEAR = 2100

_MONTHS: dict[str, int] = {}
for _number in range(1, 13):
    _full = calendar.month_name[_number].lower()
    _MONTHS[_full] = _number
    _MONTHS[_full[:3]] = _number
_MONTHS["sept"] = 9
_MONTH_RE = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"

_APPROX_RE = re.compile(
    r"^(?:circa|approx(?:imately|\.)?|about|around|ca\.?|c\.|some\s+time\s+in|in)\s+",
    re.IGNORECASE,
)
_APPROX_WORD_RE = re.compile(r"\b(?:circa|approx|approximately|about|around|ca\.)", re.I)
_NON_GREGORIAN_RE = re.compile(r"hijri|hijra|islamic calendar|shamsi|persian calendar", re.I)

# ISO date, optionally followed by a time and/or a timezone ("2015-04-14-04:00").
_ISO_RE = re.compile(
    r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2})(?:[t ][0-9:.]+)?(?:z|[+-]\d\d:?\d\d)?)?)?$"
)
_ISO_COMPACT_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_NUMERIC_RE = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")
_MONTH_YEAR_NUM_RE = re.compile(r"^(\d{1,2})[./](\d{4})$")
_DAY_MONTH_YEAR_RE = re.compile(rf"^(\d{{1,2}})(?:st|nd|rd|th)?[\s-]+{_MONTH_RE}[\s,-]+(\d{{4}})$")
_MONTH_DAY_YEAR_RE = re.compile(rf"^{_MONTH_RE}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})$")
_MONTH_YEAR_RE = re.compile(rf"^{_MONTH_RE}[\s,-]+(\d{{4}})$")
_MONTH_ONLY_RE = re.compile(rf"^{_MONTH_RE}$")
_RANGE_RE = re.compile(
    r"^(?:between|from)\s+(.+?)\s+(?:and|to|-|–)\s+(.+)$"
    r"|^(.+?)\s*(?:\bto\b|\band\b|–|\s-\s)\s*(.+)$"
    r"|^(\d{4})\s*[-/]\s*(\d{4})$",
    re.IGNORECASE,
)


def date_prefix(
    year: int | str | None, month: int | str | None = None, day: int | str | None = None
) -> str | None:
    """FtM prefix for separately stated parts; None if the year is missing or implausible.

    A missing or invalid month drops the day too; an invalid day keeps year and month.
    """
    y = _to_int(year)
    if y is None or not _MIN_YEAR <= y <= _MAX_YEAR:
        return None
    m = _to_int(month)
    if m is None or not 1 <= m <= 12:
        return f"{y:04d}"
    d = _to_int(day)
    if d is None or not 1 <= d <= calendar.monthrange(y, m)[1]:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"


def year_range(start: int | str | None, end: int | str | None) -> list[str]:
    """Every year from `start` to `end` inclusive, as prefixes.

    Reversed bounds are swapped; a span wider than `MAX_RANGE_YEARS` gives only the two
    end years; a single valid bound gives that year.
    """
    a = date_prefix(start)
    b = date_prefix(end)
    if a is None or b is None:
        return [p for p in (a, b) if p is not None]
    lo, hi = sorted((int(a), int(b)))
    if hi - lo > MAX_RANGE_YEARS:
        return [str(lo), str(hi)]
    return [str(y) for y in range(lo, hi + 1)]


def is_approximate(text: str | None) -> bool:
    """Whether `text` qualifies its date as approximate ("circa 1958", "approx. 1960")."""
    return bool(text and _APPROX_WORD_RE.search(text))


def latest(values: Iterable[str | None]) -> str | None:
    """The latest of some ISO dates or prefixes (compared as strings), or None."""
    found = [v for v in values if v]
    return max(found) if found else None


def parse_date_with_precision(text: str | None, *, dayfirst: bool = True) -> list[str]:
    """FtM date prefixes stated by `text`, at the precision the text gives.

    Understands ISO dates (with optional time and timezone), "12/12/1965" (day first
    unless ``dayfirst=False``), "12 Dec. 1965", "December 12, 1965", "Dec. 1965",
    "1965", "circa 1965"/"approximately 1965" (the qualifier is dropped: callers that
    care keep the original text, see `is_approximate`), and ranges "1955-1958",
    "1955 to 1958", "between 1955 and 1958", "Between Aug. and Sep. 1977" (every year,
    or every month, of the range; other ranges give their two ends).

    Returns an empty list when nothing is recognised, including non-Gregorian dates.
    """
    if not text:
        return []
    value = " ".join(text.split()).strip(" ,;")
    if not value or _NON_GREGORIAN_RE.search(value):
        return []
    value = _APPROX_RE.sub("", value).strip(" ,;")
    single = _parse_single(value, dayfirst)
    if single is not None:
        return [single]
    match = _RANGE_RE.match(value)
    if match is None:
        return []
    groups = [g for g in match.groups() if g is not None]
    if len(groups) != 2:
        return []
    return _expand_range(groups[0].strip(" ,;"), groups[1].strip(" ,;"), dayfirst)


def _to_int(value: int | str | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, int):
        return value
    value = value.strip()
    if not value.isdigit():
        return None
    return int(value)


def _parse_single(value: str, dayfirst: bool) -> str | None:
    lower = value.lower()
    m = _ISO_RE.match(lower)
    if m:
        return date_prefix(m.group(1), m.group(2), m.group(3))
    m = _ISO_COMPACT_RE.match(lower)
    if m:
        return date_prefix(m.group(1), m.group(2), m.group(3))
    m = _NUMERIC_RE.match(lower)
    if m:
        first, second, year = m.groups()
        day, month = (first, second) if dayfirst else (second, first)
        return date_prefix(year, month, day)
    m = _MONTH_YEAR_NUM_RE.match(lower)
    if m:
        return date_prefix(m.group(2), m.group(1))
    m = _DAY_MONTH_YEAR_RE.match(lower)
    if m:
        return date_prefix(m.group(3), _MONTHS[m.group(2)], m.group(1))
    m = _MONTH_DAY_YEAR_RE.match(lower)
    if m:
        return date_prefix(m.group(3), _MONTHS[m.group(1)], m.group(2))
    m = _MONTH_YEAR_RE.match(lower)
    if m:
        return date_prefix(m.group(2), _MONTHS[m.group(1)])
    return None


def _expand_range(left: str, right: str, dayfirst: bool) -> list[str]:
    end = _parse_single(right, dayfirst)
    if end is None:
        return []
    start = _parse_single(left, dayfirst)
    if start is None:
        # "Aug. and Sep. 1977", "12 and 14 May 1980": the left side borrows what follows.
        month = _MONTH_ONLY_RE.match(left.lower())
        if month and len(end) >= 7:
            start = date_prefix(end[:4], _MONTHS[month.group(1)])
        elif left.isdigit() and len(end) == 10:
            start = date_prefix(end[:4], end[5:7], left)
        if start is None:
            return []
    if len(start) == 4 and len(end) == 4:
        return year_range(start, end)
    if len(start) == 7 and len(end) == 7:
        return _month_range(start, end)
    return sorted({start, end})


def _month_range(start: str, end: str) -> list[str]:
    lo, hi = sorted((start, end))
    y, m = int(lo[:4]), int(lo[5:7])
    y_end, m_end = int(hi[:4]), int(hi[5:7])
    if (y_end - y) * 12 + (m_end - m) > _MAX_RANGE_MONTHS:
        return [lo, hi]
    out = []
    while (y, m) <= (y_end, m_end):
        out.append(f"{y:04d}-{m:02d}")
        m += 1
        if m > 12:
            y, m = y + 1, 1
    return out
