"""Date arithmetic: one year, six months back, inclusive days."""

from __future__ import annotations

import datetime as dt

import pytest

from bwo_desktop.core.periods import (
    add_months,
    add_years,
    days_inclusive,
    default_period_end,
    is_over_one_year,
    iter_days,
    months_back,
    overlap,
)

D = dt.date


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (D(2027, 1, 1), D(2027, 12, 31)),
        (D(2027, 3, 1), D(2028, 2, 29)),  # the year contains 29 Feb 2028
        (D(2028, 2, 29), D(2029, 2, 28)),  # one year after 29 Feb is 1 March
        (D(2028, 3, 1), D(2029, 2, 28)),
        (D(2027, 2, 28), D(2028, 2, 27)),
        (D(2028, 2, 28), D(2029, 2, 27)),
        (D(2027, 12, 31), D(2028, 12, 30)),
        (D(2026, 8, 31), D(2027, 8, 30)),
    ],
)
def test_default_period_end(start: dt.date, end: dt.date) -> None:
    assert default_period_end(start) == end


def test_one_year_after_leap_day_is_first_of_march() -> None:
    assert add_years(D(2028, 2, 29), 1) == D(2029, 3, 1)
    assert add_years(D(2028, 2, 29), 4) == D(2032, 2, 29)
    assert add_years(D(2027, 5, 1), 1) == D(2028, 5, 1)


@pytest.mark.parametrize(
    ("day", "back", "expected"),
    [
        (D(2026, 8, 31), 6, D(2026, 2, 28)),  # clamp to the month's end
        (D(2028, 8, 31), 6, D(2028, 2, 29)),  # leap year
        (D(2026, 8, 30), 6, D(2026, 2, 28)),
        (D(2026, 8, 15), 6, D(2026, 2, 15)),
        (D(2026, 3, 31), 6, D(2025, 9, 30)),  # across the year
        (D(2026, 1, 10), 6, D(2025, 7, 10)),
        (D(2026, 12, 31), 6, D(2026, 6, 30)),
        (D(2026, 7, 1), 0, D(2026, 7, 1)),
    ],
)
def test_months_back_clamps(day: dt.date, back: int, expected: dt.date) -> None:
    assert months_back(day, back) == expected


def test_add_months_forward() -> None:
    assert add_months(D(2027, 1, 31), 1) == D(2027, 2, 28)
    assert add_months(D(2027, 11, 30), 3) == D(2028, 2, 29)
    assert add_months(D(2027, 12, 15), 1) == D(2028, 1, 15)


def test_days_inclusive() -> None:
    assert days_inclusive(D(2027, 1, 1), D(2027, 12, 31)) == 365
    assert days_inclusive(D(2028, 1, 1), D(2028, 12, 31)) == 366
    assert days_inclusive(D(2027, 1, 1), D(2027, 1, 1)) == 1
    assert days_inclusive(D(2027, 1, 2), D(2027, 1, 1)) == 0
    assert days_inclusive(D(2028, 2, 29), default_period_end(D(2028, 2, 29))) == 366


def test_is_over_one_year_boundary() -> None:
    start = D(2027, 1, 1)
    assert not is_over_one_year(start, D(2027, 12, 31))
    assert is_over_one_year(start, D(2028, 1, 1))
    assert not is_over_one_year(start, D(2027, 6, 30))
    assert not is_over_one_year(D(2028, 2, 29), D(2029, 2, 28))
    assert is_over_one_year(D(2028, 2, 29), D(2029, 3, 1))


def test_iter_days_and_overlap() -> None:
    assert list(iter_days(D(2027, 12, 30), D(2028, 1, 1))) == [
        D(2027, 12, 30),
        D(2027, 12, 31),
        D(2028, 1, 1),
    ]
    assert overlap(D(2027, 1, 1), D(2027, 1, 10), D(2027, 1, 5), D(2027, 2, 1)) == (
        D(2027, 1, 5),
        D(2027, 1, 10),
    )
    assert overlap(D(2027, 1, 1), D(2027, 1, 4), D(2027, 1, 5), D(2027, 2, 1)) is None
