"""Declarative base, constraint naming and the mixins every synced row carries."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import DateTime, Integer, MetaData, Uuid
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column
from sqlalchemy.types import TypeDecorator

# Named constraints: SQLite batch migrations can only drop or alter what has a name, and
# PostgreSQL and SQLite then agree on every name.
NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware UTC timestamp on every engine.

    SQLite keeps no offset, so values are stored as naive UTC and come back with
    `tzinfo=UTC`; PostgreSQL stores `timestamptz`. A naive value on the way in is refused:
    guessing its zone would corrupt the sync order.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: use an aware UTC value")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        stamp: dt.datetime = value
        if stamp.tzinfo is None:
            return stamp.replace(tzinfo=dt.UTC)
        return stamp.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UUIDKey:
    """A primary key that survives merging databases from several laptops."""

    id: Mapped[uuid.UUID] = mapped_column(
        Uuid, primary_key=True, default=uuid.uuid4, sort_order=-100
    )


class Timestamps:
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, sort_order=100)
    updated_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, sort_order=101
    )


class Synced(UUIDKey, Timestamps):
    """Rows a consultant changes: UUID key, UTC timestamps, a version counter for optimistic
    locking (and, later, sync) and a tombstone instead of row removal."""

    version: Mapped[int] = mapped_column(Integer, default=1, sort_order=102)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(
        UTCDateTime, default=None, sort_order=103
    )

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        # The ORM adds `WHERE version = :old` to every UPDATE and bumps it: a lost update
        # raises StaleDataError instead of overwriting a colleague's change.
        return {"version_id_col": cls.version}
