"""Dutch formatting of dates and amounts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bwo_desktop.core.errors import InputError
from bwo_desktop.core.formatting import (
    format_amount_nl,
    format_date_long_nl,
    format_date_nl,
    format_date_short,
    format_euro,
    format_money,
    format_period_nl,
    parse_date_nl,
)


def test_format_date_nl() -> None:
    assert format_date_nl(dt.date(2027, 1, 1)) == "1 januari 2027"
    assert format_date_nl(dt.date(2026, 12, 31)) == "31 december 2026"
    assert format_date_nl(dt.date(2028, 2, 29)) == "29 februari 2028"
    assert format_date_nl(dt.date(2027, 5, 9)) == "9 mei 2027"
    assert format_date_long_nl(dt.date(2027, 1, 1)) == "vrijdag 1 januari 2027"


def test_format_date_short_and_period() -> None:
    assert format_date_short(dt.date(2027, 1, 1)) == "01-01-2027"
    assert format_date_short(dt.date(2027, 11, 23)) == "23-11-2027"
    assert (
        format_period_nl(dt.date(2027, 1, 1), dt.date(2027, 12, 31))
        == "1 januari 2027 tot en met 31 december 2027"
    )


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("1234.56", "€ 1.234,56"),
        ("0", "€ 0,00"),
        ("0.5", "€ 0,50"),
        ("999.999", "€ 1.000,00"),
        ("24198.00", "€ 24.198,00"),
        ("1234567.8", "€ 1.234.567,80"),
        ("-1234.56", "€ -1.234,56"),
        ("-0.004", "€ 0,00"),
        ("0.005", "€ 0,01"),  # half-up
        ("100", "€ 100,00"),
    ],
)
def test_format_euro(amount: str, text: str) -> None:
    assert format_euro(Decimal(amount)) == text


def test_format_amount_and_money() -> None:
    assert format_amount_nl(Decimal("514.37")) == "514,37"
    assert format_money(Decimal("50")) == "50.00"
    assert format_money(Decimal("8019.0000")) == "8019.00"


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("01-01-2027", dt.date(2027, 1, 1)),
        ("1-1-2027", dt.date(2027, 1, 1)),
        (" 29-02-2028 ", dt.date(2028, 2, 29)),
        ("31/12/2026", dt.date(2026, 12, 31)),
        ("31.12.2026", dt.date(2026, 12, 31)),
    ],
)
def test_parse_date_nl(text: str, day: dt.date) -> None:
    assert parse_date_nl(text) == day
    assert parse_date_nl(format_date_short(day)) == day


@pytest.mark.parametrize(
    "text", ["", "2027-01-01", "29-02-2027", "32-01-2027", "1-13-2027", "01-01-27"]
)
def test_parse_date_nl_rejects(text: str) -> None:
    with pytest.raises(InputError) as info:
        parse_date_nl(text, "geboortedatum")
    assert info.value.field == "geboortedatum"
