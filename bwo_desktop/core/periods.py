"""Date arithmetic for indication periods: one year, months back, inclusive day counts.

Two different "year/month" rules live here on purpose (advice-json.md, "Period"):
- one year after 29 February is 1 March, so a period starting 2028-02-29 ends 2029-02-28;
- months back clamp to the month's last day (2026-08-31 − 6 months = 2026-02-28).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator

ONE_DAY = dt.timedelta(days=1)


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` later; 29 February without a leap day becomes 1 March."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return dt.date(day.year + years, 3, 1)


def default_period_end(start: dt.date) -> dt.date:
    """start + 1 year − 1 day (2027-01-01 → 2027-12-31; 2028-02-29 → 2029-02-28)."""
    return add_years(start, 1) - ONE_DAY


def is_over_one_year(start: dt.date, end: dt.date) -> bool:
    """True when the period ends after the default one-year end."""
    return end > default_period_end(start)


def add_months(day: dt.date, months: int) -> dt.date:
    """Move `months` calendar months (negative: back), clamping the day to the month's end."""
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def months_back(day: dt.date, months: int) -> dt.date:
    """`day` − `months` calendar months, day clamped to the month's end (2026-08-31 − 6 → 2026-02-28)."""
    return add_months(day, -months)


def days_inclusive(start: dt.date, end: dt.date) -> int:
    """Number of days from `start` up to and including `end` (0 when end < start)."""
    return max(0, (end - start).days + 1)


def iter_days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    """Every day from start to end inclusive."""
    day = start
    while day <= end:
        yield day
        day += ONE_DAY


def overlap(
    a_start: dt.date, a_end: dt.date, b_start: dt.date, b_end: dt.date
) -> tuple[dt.date, dt.date] | None:
    """The inclusive intersection of two inclusive ranges, or None."""
    start = max(a_start, b_start)
    end = min(a_end, b_end)
    return (start, end) if start <= end else None
