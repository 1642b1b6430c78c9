"""Team mode's row format (docs/team-mode.md, "Rows"): a synced row as plain JSON, the same
on the laptop and at the office.

A row is an object with every column of its model table, named as the column: UUIDs as
strings, dates, times and timestamps in ISO 8601 (timestamps with their UTC offset), JSON
columns as they are. `ROW_FORMAT` versions the shape; a row with a missing or an unknown
column is refused whole (`RowError`), never guessed at.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Table, Time, Uuid
from sqlalchemy.types import TypeDecorator, TypeEngine

from bwo_desktop.models import Client, Herindicatie, Zorgaanbieder

ROW_FORMAT = 1
# Parents first: a case refers to its client and provider, so a batch and a page are
# applied in this order.
SYNCED_TABLES: dict[str, Table] = {
    model.__tablename__: model.__table__  # type: ignore[misc]
    for model in (Zorgaanbieder, Client, Herindicatie)
}
TABLE_RANK = {name: rank for rank, name in enumerate(SYNCED_TABLES)}
OPS = ("upsert", "delete")


class RowError(ValueError):
    """A row that does not fit its table: the batch or page holding it is refused whole."""


def table_for(name: str) -> Table:
    try:
        return SYNCED_TABLES[name]
    except KeyError:
        raise RowError(f"onbekende tabel {name!r}") from None


def _kind(column_type: TypeEngine[Any]) -> type[TypeEngine[Any]] | None:
    impl = column_type.impl if isinstance(column_type, TypeDecorator) else column_type
    for kind in (Uuid, DateTime, Date, Time, JSON):
        if isinstance(impl, kind):
            return kind
    return None


def encode_value(column_type: TypeEngine[Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:  # SQLite hands naive UTC back through Core
            value = value.replace(tzinfo=dt.UTC)
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def _uuid(value: Any) -> Any:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _datetime(value: Any) -> Any:
    stamp = dt.datetime.fromisoformat(str(value))
    if stamp.tzinfo is None:
        raise RowError("tijdstip zonder tijdzone")
    return stamp


def _date(value: Any) -> Any:
    return dt.date.fromisoformat(str(value))


def _time(value: Any) -> Any:
    return dt.time.fromisoformat(str(value))


_DECODERS: dict[Any, Callable[[Any], Any]] = {
    Uuid: _uuid,
    DateTime: _datetime,
    Date: _date,
    Time: _time,
}


def _decoder(column_type: TypeEngine[Any]) -> Callable[[Any], Any] | None:
    return _DECODERS.get(_kind(column_type))


def decode_value(column_type: TypeEngine[Any], value: Any) -> Any:
    if value is None:
        return None
    decode = _decoder(column_type)
    if decode is None:
        return value
    try:
        return decode(value)
    except RowError:
        raise
    except ValueError as exc:
        raise RowError(f"ongeldige waarde: {exc}") from None


@functools.cache
def _layout(table: Table) -> tuple[frozenset[str], tuple[tuple[str, Any], ...]]:
    """A table's column names and (name, decoder or None) in column order, worked out once
    per table: a pulled page decodes thousands of rows."""
    columns = tuple((c.name, _decoder(c.type)) for c in table.columns)
    return frozenset(name for name, _ in columns), columns


def encode_row(table: Table, values: Mapping[Any, Any]) -> dict[str, Any]:
    """The JSON object of one row (values: a Core row mapping or column -> value)."""
    return {c.name: encode_value(c.type, values[c.name]) for c in table.columns}


def decode_row(table: Table, data: Any) -> dict[str, Any]:
    """Column -> value for a Core insert; RowError when a column is missing or unknown."""
    if not isinstance(data, dict):
        raise RowError(f"{table.name}: een rij moet een object zijn")
    names, columns = _layout(table)
    if data.keys() != names:
        unknown = sorted(set(data) - names)
        missing = sorted(names - set(data))
        raise RowError(
            f"{table.name}: kolommen passen niet (onbekend: {unknown}, ontbrekend: {missing})"
        )
    row: dict[str, Any] = {}
    try:
        for name, decode in columns:
            value = data[name]
            row[name] = value if value is None or decode is None else decode(value)
    except RowError:
        raise
    except ValueError as exc:
        raise RowError(f"ongeldige waarde: {exc}") from None
    return row


def row_id(data: Mapping[str, Any]) -> uuid.UUID:
    try:
        return uuid.UUID(str(data["id"]))
    except (KeyError, ValueError):
        raise RowError("een rij zonder geldige id") from None
