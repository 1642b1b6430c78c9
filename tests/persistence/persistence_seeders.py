"""One seeder per Alembic revision: fills a database that stands AT that revision with rows
in every table, using only plain SQL valid at that revision, and returns what it wrote so
the all-revisions test can find every row again after the upgrade to head.

A new migration needs a new entry here: `test_every_revision_has_a_seeder` fails otherwise.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Integer, String, Time, Uuid, column, table
from sqlalchemy.engine import Connection

# revision -> seeder(conn) -> {table name: [primary key values]}
Seeder = Callable[[Connection], dict[str, list[Any]]]
SEEDERS: dict[str, Seeder] = {}


def seeder(revision: str) -> Callable[[Seeder], Seeder]:
    def register(fn: Seeder) -> Seeder:
        SEEDERS[revision] = fn
        return fn

    return register


NOW = dt.datetime(2026, 11, 1, 9, 0, 0)  # naive UTC, as stored on SQLite


@seeder("0001")
def seed_0001(conn: Connection) -> dict[str, list[Any]]:
    # Table definitions as they were at 0001: later model changes must not touch this.
    stamps = [
        column("created_at", DateTime(timezone=True)),
        column("updated_at", DateTime(timezone=True)),
        column("version", Integer),
        column("deleted_at", DateTime(timezone=True)),
    ]
    providers = table(
        "zorgaanbieders",
        column("id", Uuid),
        column("name", String),
        column("name_normalised", String),
        column("agb_code", String),
        *stamps,
    )
    clients = table(
        "clients",
        column("id", Uuid),
        column("bsn", String),
        column("initials", String),
        column("last_name", String),
        column("sort_name", String),
        column("birth_date", Date),
        column("city", String),
        *[column(c.name, c.type) for c in stamps],
    )
    cases = table(
        "herindicaties",
        column("id", Uuid),
        column("reference", String),
        column("revision", Integer),
        column("superseded", Boolean),
        column("client_id", Uuid),
        column("provider_id", Uuid),
        column("status", String),
        column("planned_date", Date),
        column("planned_time", Time),
        column("assessment", JSON),
        column("delivery", String),
        column("consultant_name", String),
        *[column(c.name, c.type) for c in stamps],
    )
    audit = table(
        "audit_log",
        column("id", Uuid),
        column("seq", Integer),
        column("time", DateTime(timezone=True)),
        column("action", String),
        column("object_ref", String),
        column("result", String),
        column("prev_hash", String),
        column("hash", String),
    )
    meta = table(
        "meta", column("key", String), column("value", JSON), column("updated_at", DateTime)
    )
    tz = dt.UTC if conn.dialect.name != "sqlite" else None
    now = NOW.replace(tzinfo=tz)
    common = {"created_at": now, "updated_at": now, "version": 1, "deleted_at": None}
    provider_id, client_id, case_id, audit_id = (uuid.uuid4() for _ in range(4))
    conn.execute(
        providers.insert().values(
            id=provider_id,
            name="Zorg Oost",
            name_normalised="zorg oost",
            agb_code="73730002",
            **common,
        )
    )
    conn.execute(
        clients.insert().values(
            id=client_id, bsn="999900006", initials="Ş.", last_name="Yılmaz",
            sort_name="Yılmaz, Ş.", birth_date=dt.date(1970, 1, 2), city="Zwijndrecht", **common,
        )
    )  # fmt: skip
    conn.execute(
        cases.insert().values(
            id=case_id, reference="BWO-2026-TEST-0001", revision=1, superseded=False,
            client_id=client_id, provider_id=provider_id, status="concept",
            planned_date=dt.date(2026, 12, 8), planned_time=dt.time(9, 0),
            assessment={"zrm": {"financien": 2}}, delivery="zin", consultant_name="C.", **common,
        )
    )  # fmt: skip
    conn.execute(
        audit.insert().values(
            id=audit_id, seq=1, time=now, action="create", object_ref="BWO-2026-TEST-0001",
            result="ok", prev_hash="0" * 64, hash="f" * 64,
        )
    )  # fmt: skip
    conn.execute(meta.insert().values(key="device_code", value="TEST", updated_at=now))
    return {
        "zorgaanbieders": [provider_id],
        "clients": [client_id],
        "herindicaties": [case_id],
        "audit_log": [audit_id],
        "meta": ["device_code"],
    }


@seeder("0002")
def seed_0002(conn: Connection) -> dict[str, list[Any]]:
    # 0002 only added an index: the tables are those of 0001.
    return seed_0001(conn)


@seeder("0003")
def seed_0003(conn: Connection) -> dict[str, list[Any]]:
    # 0003 added herindicaties.rules_used (nullable): the rows of 0001 stay valid.
    return seed_0001(conn)


@seeder("0004")
def seed_0004(conn: Connection) -> dict[str, list[Any]]:
    # 0004 added three nullable columns (new_indication_end, beschikking_made_on,
    # verslag_made_on) and rebuilt an index: the rows of 0001 stay valid.
    return seed_0001(conn)


@seeder("0005")
def seed_0005(conn: Connection) -> dict[str, list[Any]]:
    # 0005 added the empty table sync_outbox: the rows of 0001 stay valid.
    return seed_0001(conn)


@seeder("0006")
def seed_0006(conn: Connection) -> dict[str, list[Any]]:
    # 0006 added the empty tables sync_conflicts and sync_leases: the rows of 0001 stay valid.
    return seed_0001(conn)


@seeder("0007")
def seed_0007(conn: Connection) -> dict[str, list[Any]]:
    # 0007 added the empty table sync_shadow and the nullable sync_conflicts.fields: the
    # rows of 0001 stay valid.
    return seed_0001(conn)
