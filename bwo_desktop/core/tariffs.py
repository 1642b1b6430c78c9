"""Dated tariff tables (advice-json.md, "Tariff table file") and the book that layers them.

A table is in force from its `valid_from` until the next table starts; days after the newest
table use the newest (a projection); a day before the first table has no tariff.
Layers: built-in (resources/tariffs/*.toml) < the user's tariff folder < explicit files.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from bwo_desktop.core.datafile import Section, load_toml
from bwo_desktop.core.errors import DataFileError, InputError

BUILTIN_ORIGIN = "ingebouwd"
# Top-level key of a user tariff file: true when it replaces a built-in table (same
# valid_from) with other amounts on purpose; without it such a file is refused.
REPLACES_BUILTIN_KEY = "vervangt_ingebouwd"

IB_LEVELS: tuple[str, ...] = ("IB1", "IB2", "IB3")
# The eight weekly amounts of a table file, in file order.
WEEKLY_KEYS: tuple[str, ...] = (
    "IB1",
    "IB2",
    "IB3",
    "IB1_opslag",
    "IB2_opslag",
    "IB3_opslag",
    "bereikbaarheid",
    "huishoudelijke_kosten",
)
HUISVESTING = "huisvesting"
# Every component code that can appear in a line, in line order (advice-json.md, Output).
COMPONENT_CODES: tuple[str, ...] = (*WEEKLY_KEYS[:7], HUISVESTING, "huishoudelijke_kosten")
COMPONENT_NAMES: dict[str, str] = {
    "IB1": "Individuele begeleiding 1: toezicht en stimuleren",
    "IB2": "Individuele begeleiding 2: aanleren en oefenen",
    "IB3": "Individuele begeleiding 3: helpen, overnemen en regie",
    "IB1_opslag": "Individuele begeleiding 1 met opslag",
    "IB2_opslag": "Individuele begeleiding 2 met opslag",
    "IB3_opslag": "Individuele begeleiding 3 met opslag",
    "bereikbaarheid": "Avond-, nacht- en weekendbereikbaarheid",
    "huisvesting": "Huisvesting (huurdeel)",
    "huishoudelijke_kosten": "Huishoudelijke kosten (onderdeel van huisvesting)",
}

_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _half_up_div(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half-up, for non-negative integers (exact)."""
    quotient, remainder = divmod(numerator, denominator)
    return quotient + 1 if 2 * remainder >= denominator else quotient


def to_cents(amount: Decimal) -> int:
    """An amount with at most two decimals as whole cents (exact)."""
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise ValueError(f"meer dan twee decimalen: {amount}")
    return int(cents)


def from_cents(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def monthly_to_weekly(monthly: Decimal) -> Decimal:
    """Monthly amount × 12 / 52, half-up to cents (678.66 → 156.61)."""
    return from_cents(_half_up_div(to_cents(monthly) * 12, 52))


@dataclass(frozen=True)
class TariffTable:
    valid_from: dt.date
    source: str | None
    weekly: dict[str, Decimal]  # the eight WEEKLY_KEYS
    hoge_aftoppingsgrens_per_maand: Decimal
    origin: str  # file path, or "ingebouwd"

    @property
    def huisvesting_weekly(self) -> Decimal:
        """Hoge aftoppingsgrens × 12 / 52, half-up to cents."""
        return monthly_to_weekly(self.hoge_aftoppingsgrens_per_maand)

    def rate(self, code: str) -> Decimal:
        """The weekly rate of any component code (huisvesting derived from the monthly limit)."""
        if code == HUISVESTING:
            return self.huisvesting_weekly
        try:
            return self.weekly[code]
        except KeyError:
            raise KeyError(f"onbekende component {code!r}") from None

    def label(self) -> str:
        """Short Dutch description for screens: "tarieven vanaf 2021-01-01 (bron)"."""
        text = f"tarieven vanaf {self.valid_from.isoformat()}"
        return f"{text} ({self.source})" if self.source else text


def parse_tariff_file(path: Path | str, text: str | None = None) -> TariffTable:
    """Read one tariff table strictly: unknown or missing keys, floats and bad dates name file and key."""
    return _parse_tariff_file(path, text)[0]


def _parse_tariff_file(path: Path | str, text: str | None = None) -> tuple[TariffTable, bool]:
    """The table and its `vervangt_ingebouwd` flag (a user table that knowingly replaces a
    built-in one with other amounts)."""
    name = str(path)
    root = Section(name, load_toml(path, text=text))
    replaces = bool(root.bool(REPLACES_BUILTIN_KEY, required=False))
    valid_from = root.date("valid_from")
    source = root.str("source", required=False)
    weekly_section = root.table("weekly")
    assert weekly_section is not None
    weekly: dict[str, Decimal] = {}
    for key in WEEKLY_KEYS:
        weekly[key] = weekly_section.money(key)
    weekly_section.done()
    huisvesting = root.table("huisvesting")
    assert huisvesting is not None
    limit = huisvesting.money("hoge_aftoppingsgrens_per_maand")
    huisvesting.done()
    root.done()
    table = TariffTable(
        valid_from=valid_from,
        source=source,
        weekly=weekly,
        hoge_aftoppingsgrens_per_maand=limit,
        origin=name,
    )
    return table, replaces


@dataclass(frozen=True)
class RateSpan:
    """Consecutive days of one component under one table."""

    start: dt.date
    end: dt.date
    table: TariffTable

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


class TariffBook:
    """Tariff tables sorted by `valid_from`; each is in force until the next one starts."""

    def __init__(self, tables: Iterable[TariffTable]) -> None:
        by_date: dict[dt.date, TariffTable] = {}
        for table in tables:
            by_date[table.valid_from] = table  # the later one replaces (layering)
        self.tables: tuple[TariffTable, ...] = tuple(by_date[d] for d in sorted(by_date))
        self._starts = [t.valid_from for t in self.tables]

    def __len__(self) -> int:
        return len(self.tables)

    def __repr__(self) -> str:
        return f"TariffBook({[t.valid_from.isoformat() for t in self.tables]})"

    @property
    def first_valid_from(self) -> dt.date | None:
        return self.tables[0].valid_from if self.tables else None

    @property
    def newest(self) -> TariffTable | None:
        return self.tables[-1] if self.tables else None

    def in_force(self, day: dt.date) -> TariffTable | None:
        """The table in force on `day`, None before the first table."""
        index = bisect.bisect_right(self._starts, day) - 1
        return self.tables[index] if index >= 0 else None

    def spans(self, start: dt.date, end: dt.date) -> list[RateSpan]:
        """Split [start, end] (inclusive) at table boundaries. A day before the first table
        raises InputError; days after the newest table use the newest."""
        if end < start:
            return []
        first = self.in_force(start)
        if first is None:
            raise InputError(
                "period.start",
                f"{start.isoformat()} ligt vóór de eerste tarieftabel"
                + (
                    f" ({self.first_valid_from.isoformat()})"
                    if self.first_valid_from
                    else " (er zijn geen tarieftabellen)"
                ),
            )
        result: list[RateSpan] = []
        index = self.tables.index(first)
        cursor = start
        while cursor <= end:
            table = self.tables[index]
            next_start = self.tables[index + 1].valid_from if index + 1 < len(self.tables) else None
            span_end = end if next_start is None else min(end, next_start - dt.timedelta(days=1))
            result.append(RateSpan(cursor, span_end, table))
            cursor = span_end + dt.timedelta(days=1)
            index += 1
        return result

    def tables_between(self, start: dt.date, end: dt.date) -> list[TariffTable]:
        """The tables used for any day in [start, end]."""
        return [span.table for span in self.spans(start, end)]


def _toml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.toml") if p.is_file())


def builtin_tariff_folder() -> Path:
    from bwo_desktop.core.resources import resource_path

    return resource_path("tariffs")


def load_tariff_book(
    extra_files: Sequence[Path | str] = (),
    *,
    user_folder: Path | None = None,
    builtin_folder: Path | None = None,
) -> TariffBook:
    """Layer built-in tables < the user's tariff folder < `extra_files`.

    `user_folder` is passed by the caller (`paths.user_tariffs_dir()`; None leaves it out) so
    the core stays free of platformdirs. A missing user folder is simply empty. Two files in
    the user folder with the same `valid_from` are an error, and so is a user table that gives
    a built-in one other amounts without `vervangt_ingebouwd = true`; among `extra_files` the
    last wins.
    """
    tables = known_tariff_tables(user_folder, builtin_folder=builtin_folder)
    for extra in extra_files:
        tables.append(parse_tariff_file(Path(extra)))
    return TariffBook(tables)


def _builtin_tables(builtin_folder: Path | None) -> list[TariffTable]:
    folder = builtin_tariff_folder() if builtin_folder is None else builtin_folder
    tables = [parse_tariff_file(path) for path in _toml_files(folder)]
    return (
        tables if builtin_folder is not None else [_with_origin(t, BUILTIN_ORIGIN) for t in tables]
    )


def _user_tables(user_folder: Path | None, builtin: list[TariffTable]) -> list[TariffTable]:
    """The user's tariff folder, strictly: two files with one valid_from, and a file that
    gives a built-in table other amounts without saying so, are errors naming the file."""
    if user_folder is None or not user_folder.is_dir():
        return []
    builtins = {t.valid_from: t for t in builtin}
    seen: dict[dt.date, TariffTable] = {}
    for path in _toml_files(user_folder):
        table, replaces = _parse_tariff_file(path)
        if table.valid_from in seen:
            raise DataFileError(
                str(path),
                "valid_from",
                f"{table.valid_from.isoformat()} staat ook in {seen[table.valid_from].origin}; "
                "twee tarieftabellen in de tarievenmap mogen niet dezelfde valid_from hebben",
            )
        replaced = builtins.get(table.valid_from)
        if replaced is not None and not replaces and not same_amounts(table, replaced):
            raise DataFileError(
                str(path),
                "valid_from",
                f"de ingebouwde tarieftabel van {table.valid_from.isoformat()} heeft andere "
                f"bedragen; zet {REPLACES_BUILTIN_KEY} = true in het bestand als deze tabel "
                "haar bewust vervangt",
            )
        seen[table.valid_from] = table
    return list(seen.values())


def same_amounts(a: TariffTable, b: TariffTable) -> bool:
    """One table (the same valid_from) with the same amounts; source and origin aside."""
    return (
        a.valid_from == b.valid_from
        and a.weekly == b.weekly
        and a.hoge_aftoppingsgrens_per_maand == b.hoge_aftoppingsgrens_per_maand
    )


def known_tariff_tables(
    user_folder: Path | None = None, *, builtin_folder: Path | None = None
) -> list[TariffTable]:
    """Every table this installation knows: built-in and user folder (also a built-in one
    that a user table replaces), to recognise a case file's frozen `tariffs_used`."""
    builtin = _builtin_tables(builtin_folder)
    return builtin + _user_tables(user_folder, builtin)


def unknown_tariff_tables(
    used: Sequence[Mapping[str, Any]], known: Iterable[TariffTable]
) -> list[int]:
    """The indexes in a case file's `tariffs_used` that match no known table."""
    known = list(known)
    unknown = []
    for index, item in enumerate(used):
        table = tariff_table_from_dict(item, f"tariffs_used[{index}]")
        if not any(same_amounts(table, k) for k in known):
            unknown.append(index)
    return unknown


def _with_origin(table: TariffTable, origin: str) -> TariffTable:
    return TariffTable(
        valid_from=table.valid_from,
        source=table.source,
        weekly=table.weekly,
        hoge_aftoppingsgrens_per_maand=table.hoge_aftoppingsgrens_per_maand,
        origin=origin,
    )


# --- JSON shape (case files' `tariffs_used`) and TOML text ---------------------------------


def tariff_table_to_dict(table: TariffTable) -> dict[str, Any]:
    """The JSON-able shape: the TOML's keys, the date as ISO text, amounts as strings."""
    data: dict[str, Any] = {"valid_from": table.valid_from.isoformat()}
    if table.source is not None:
        data["source"] = table.source
    data["weekly"] = {key: f"{table.weekly[key]:.2f}" for key in WEEKLY_KEYS}
    data["huisvesting"] = {
        "hoge_aftoppingsgrens_per_maand": f"{table.hoge_aftoppingsgrens_per_maand:.2f}"
    }
    return data


def _object(value: object, field: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise InputError(field, "moet een object zijn")
    return value


def _check_keys(data: Mapping[str, Any], allowed: Iterable[str], prefix: str) -> None:
    allowed_set = set(allowed)
    for key in data:
        if key not in allowed_set:
            raise InputError(f"{prefix}{key}", "onbekende sleutel")


def _json_money(data: Mapping[str, Any], key: str, prefix: str) -> Decimal:
    field = f"{prefix}{key}"
    if key not in data or data[key] is None:
        raise InputError(field, "ontbreekt")
    value = data[key]
    if not isinstance(value, str):
        raise InputError(field, 'bedrag moet als tekst staan, bijvoorbeeld "204.12"')
    try:
        amount = Decimal(value.strip())
    except InvalidOperation as exc:
        raise InputError(field, f"geen geldig bedrag: {value!r}") from exc
    if not amount.is_finite() or amount < 0:
        raise InputError(field, f"geen geldig bedrag: {value!r}")
    exponent = amount.as_tuple().exponent
    assert isinstance(exponent, int)
    if exponent < -2:
        raise InputError(field, f"hoogstens twee decimalen: {value!r}")
    return amount


def tariff_table_from_dict(data: object, where: str) -> TariffTable:
    """Strict inverse of `tariff_table_to_dict`; `where` prefixes field names ("tariffs_used[0]")."""
    prefix = f"{where}." if where else ""
    root = _object(data, where or "tarieftabel")
    _check_keys(root, ("valid_from", "source", "weekly", "huisvesting"), prefix)
    raw_date = root.get("valid_from")
    if raw_date is None:
        raise InputError(f"{prefix}valid_from", "ontbreekt")
    if not isinstance(raw_date, str) or not _ISO_DATE.match(raw_date):
        raise InputError(f"{prefix}valid_from", "moet een datum zijn in de vorm JJJJ-MM-DD")
    try:
        valid_from = dt.date.fromisoformat(raw_date)
    except ValueError as exc:
        raise InputError(f"{prefix}valid_from", f"deze datum bestaat niet: {raw_date}") from exc
    source = root.get("source")
    if source is not None and not isinstance(source, str):
        raise InputError(f"{prefix}source", "moet tekst zijn")
    if "weekly" not in root or root["weekly"] is None:
        raise InputError(f"{prefix}weekly", "ontbreekt")
    weekly_data = _object(root["weekly"], f"{prefix}weekly")
    _check_keys(weekly_data, WEEKLY_KEYS, f"{prefix}weekly.")
    weekly = {key: _json_money(weekly_data, key, f"{prefix}weekly.") for key in WEEKLY_KEYS}
    if "huisvesting" not in root or root["huisvesting"] is None:
        raise InputError(f"{prefix}huisvesting", "ontbreekt")
    huisvesting = _object(root["huisvesting"], f"{prefix}huisvesting")
    _check_keys(huisvesting, ("hoge_aftoppingsgrens_per_maand",), f"{prefix}huisvesting.")
    limit = _json_money(huisvesting, "hoge_aftoppingsgrens_per_maand", f"{prefix}huisvesting.")
    return TariffTable(
        valid_from=valid_from,
        source=source,
        weekly=weekly,
        hoge_aftoppingsgrens_per_maand=limit,
        origin=where or "casusbestand",
    )


def tariff_table_to_toml(table: TariffTable) -> str:
    """The table as a tariff file that `parse_tariff_file` reads back to the same values."""
    lines = [f"valid_from = {table.valid_from.isoformat()}"]
    if table.source is not None:
        # A JSON string is a valid TOML basic string.
        text = json.dumps(table.source, ensure_ascii=False).replace("\x7f", "\\u007F")
        lines.append(f"source = {text}")
    lines += ["", "[weekly]"]
    lines += [f'{key} = "{table.weekly[key]:.2f}"' for key in WEEKLY_KEYS]
    lines += [
        "",
        "[huisvesting]",
        f'hoge_aftoppingsgrens_per_maand = "{table.hoge_aftoppingsgrens_per_maand:.2f}"',
        "",
    ]
    return "\n".join(lines)
