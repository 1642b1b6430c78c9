"""Team mode's row format (docs/team-mode.md, "Rows"): a synced row as plain JSON, the same
on the laptop and at the office.

A row is an object with every column of its model table, named as the column: UUIDs as
strings, dates, times and timestamps in ISO 8601 (timestamps with their UTC offset), JSON
columns as they are. `ROW_FORMAT` versions the shape; a row with a missing or an unknown
column is refused whole (`RowError`), never guessed at.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
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


def decode_value(column_type: TypeEngine[Any], value: Any) -> Any:
    if value is None:
        return None
    kind = _kind(column_type)
    try:
        if kind is Uuid:
            return uuid.UUID(str(value))
        if kind is DateTime:
            stamp = dt.datetime.fromisoformat(str(value))
            if stamp.tzinfo is None:
                raise RowError("tijdstip zonder tijdzone")
            return stamp
        if kind is Date:
            return dt.date.fromisoformat(str(value))
        if kind is Time:
            return dt.time.fromisoformat(str(value))
    except ValueError as exc:
        raise RowError(f"ongeldige waarde: {exc}") from None
    return value


def encode_row(table: Table, values: Mapping[Any, Any]) -> dict[str, Any]:
    """The JSON object of one row (values: a Core row mapping or column -> value)."""
    return {c.name: encode_value(c.type, values[c.name]) for c in table.columns}


def decode_row(table: Table, data: Any) -> dict[str, Any]:
    """Column -> value for a Core insert; RowError when a column is missing or unknown."""
    if not isinstance(data, dict):
        raise RowError(f"{table.name}: een rij moet een object zijn")
    names = {c.name for c in table.columns}
    unknown = sorted(set(data) - names)
    missing = sorted(names - set(data))
    if unknown or missing:
        raise RowError(
            f"{table.name}: kolommen passen niet (onbekend: {unknown}, ontbrekend: {missing})"
        )
    return {c.name: decode_value(c.type, data[c.name]) for c in table.columns}


def row_id(data: Mapping[str, Any]) -> uuid.UUID:
    try:
        return uuid.UUID(str(data["id"]))
    except (KeyError, ValueError):
        raise RowError("een rij zonder geldige id") from None
