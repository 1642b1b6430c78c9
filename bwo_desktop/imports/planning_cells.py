"""One planning cell into one typed value: text, BSN, date, time. A cell that cannot be read
raises `CellError` with the Dutch reason; the row parser collects them per row and column.
Pure: no openpyxl, no database."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from bwo_desktop.core.bsn import is_valid_bsn, normalise_bsn
from bwo_desktop.core.errors import InputError
from bwo_desktop.core.formatting import parse_date_nl

MAX_TEXT = 200  # characters in one text cell

TIME_PATTERN = re.compile(r"^\s*([0-9]{1,2})\s*[:.uh]\s*([0-9]{2})\s*(?:uur)?\s*$", re.IGNORECASE)
_ISO_DATE = re.compile(r"^\s*([0-9]{4})-([0-9]{2})-([0-9]{2})\s*$")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def clean_text(value: str) -> str:
    return _ILLEGAL.sub("", " ".join(value.split()))[:MAX_TEXT]


class CellError(Exception):
    pass


@dataclass(frozen=True)
class ExcelError:
    """A cell holding an Excel error value (#N/B, #WAARDE!): never imported as text."""

    code: str


def cell_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError("tekst verwacht")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, (dt.date, dt.time, dt.timedelta)):
        raise CellError("tekst verwacht, geen datum of tijd")
    if not isinstance(value, str):
        raise CellError("onleesbare waarde")
    if len(value) > MAX_TEXT:
        raise CellError(f"te lang (hoogstens {MAX_TEXT} tekens)")
    text = clean_text(value)
    return text or None


def cell_bsn(value: Any) -> str:
    if isinstance(value, bool):
        raise CellError("geen BSN")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        # Excel drops the leading zero of a BSN typed as a number.
        text = f"{value:09d}" if 0 <= value < 1_000_000_000 else str(value)
    else:
        raw = cell_text(value)
        if raw is None:
            raise CellError("verplicht")
        text = normalise_bsn(raw)
    if not is_valid_bsn(text):
        raise CellError(f"ongeldig BSN (11-proef): {text[:12]!r}")
    return text


def cell_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0, 0):
            raise CellError("datum met tijd; alleen een datum verwacht")
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        iso = _ISO_DATE.match(value)
        if iso:
            try:
                return dt.date(*(int(g) for g in iso.groups()))
            except ValueError as exc:
                raise CellError(f"deze datum bestaat niet: {value.strip()!r}") from exc
        try:
            return parse_date_nl(value)
        except InputError as exc:
            raise CellError(exc.problem) from exc
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise CellError("getal zonder datumopmaak; typ de datum als DD-MM-JJJJ")
    raise CellError("geen datum (DD-MM-JJJJ verwacht)")


def cell_time(value: Any) -> dt.time:
    if isinstance(value, dt.datetime):
        # A time typed in Excel without a date can come back on 1899-12-30 / 1900-01-01.
        if value.date() not in (dt.date(1899, 12, 30), dt.date(1899, 12, 31), dt.date(1900, 1, 1)):
            raise CellError("datum in plaats van een tijd")
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    if isinstance(value, dt.timedelta):
        minutes = round(value.total_seconds() / 60)
        if 0 <= minutes < 24 * 60:
            return dt.time(minutes // 60, minutes % 60)
        raise CellError("geen tijd van de dag")
    if isinstance(value, float) and not isinstance(value, bool) and 0 <= value < 1:
        minutes = round(value * 24 * 60)  # an Excel time without time format
        if minutes < 24 * 60:
            return dt.time(minutes // 60, minutes % 60)
    if isinstance(value, str):
        match = TIME_PATTERN.match(value)
        if match:
            hour, minute = int(match.group(1)), int(match.group(2))
            if hour < 24 and minute < 60:
                return dt.time(hour, minute)
            raise CellError(f"deze tijd bestaat niet: {value.strip()!r}")
    raise CellError("geen tijd (bijvoorbeeld 9:20 of 09.20)")
