"""Dutch formatting for letters, screens and workbooks: dates and euro amounts."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

from bwo_desktop.core.errors import InputError

MONTHS_NL: tuple[str, ...] = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
WEEKDAYS_NL: tuple[str, ...] = (
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
)

CENT = Decimal("0.01")
_SHORT_DATE = re.compile(r"^\s*([0-9]{1,2})[-./]([0-9]{1,2})[-./]([0-9]{4})\s*$")


def format_date_nl(day: dt.date) -> str:
    """1 januari 2027."""
    return f"{day.day} {MONTHS_NL[day.month - 1]} {day.year}"


def format_date_long_nl(day: dt.date) -> str:
    """vrijdag 1 januari 2027."""
    return f"{WEEKDAYS_NL[day.weekday()]} {format_date_nl(day)}"


def format_date_short(day: dt.date) -> str:
    """01-01-2027."""
    return f"{day.day:02d}-{day.month:02d}-{day.year:04d}"


def format_period_nl(start: dt.date, end: dt.date) -> str:
    """1 januari 2027 tot en met 31 december 2027."""
    return f"{format_date_nl(start)} tot en met {format_date_nl(end)}"


def parse_date_nl(text: str, field: str = "datum") -> dt.date:
    """ "01-01-2027" (also 1-1-2027, 01/01/2027, 01.01.2027) → date; InputError otherwise."""
    match = _SHORT_DATE.match(text)
    if not match:
        raise InputError(field, f"geen datum in de vorm DD-MM-JJJJ: {text!r}")
    day, month, year = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise InputError(field, f"deze datum bestaat niet: {text.strip()!r}") from exc


def format_amount_nl(amount: Decimal) -> str:
    """1.234,56 (half-up to cents, thousands with dots, decimal comma; negative with '-')."""
    rounded = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    whole, _, cents = f"{abs(rounded):.2f}".partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return f"{sign}{'.'.join(groups)},{cents}"


def format_euro(amount: Decimal) -> str:
    """€ 1.234,56 (negative: € -1.234,56)."""
    return f"€ {format_amount_nl(amount)}"


def format_money(amount: Decimal) -> str:
    """The JSON form of an amount: "1234.56" (half-up to cents)."""
    return f"{amount.quantize(CENT, rounding=ROUND_HALF_UP):.2f}"


def normalise_postcode(postcode: str) -> str:
    """A Dutch postcode as "3311 AB" (digits, one space, capitals); anything else as typed."""
    compact = "".join(postcode.split()).upper()
    if len(compact) == 6 and compact[:4].isdigit() and compact[4:].isalpha():
        return f"{compact[:4]} {compact[4:]}"
    return postcode.strip()
