"""The stored entities: zorgaanbieder, client, herindicatie (case), audit log and meta.

Plain core objects (`bwo_desktop.core.case`) are what the rest of the app sees; these rows
stay behind the service layer. JSON columns hold the parts whose shape is the core's
contract (assessment = the `advise` input, decision = the `advise` output).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from bwo_desktop.models.base import Base, Synced, UTCDateTime, UUIDKey, utcnow

CASE_STATUSES = ("planned", "concept", "definitief")


class Zorgaanbieder(Synced, Base):
    """Care provider, matched by AGB code, else by normalised name."""

    __tablename__ = "zorgaanbieders"

    name: Mapped[str] = mapped_column(String(200))
    name_normalised: Mapped[str] = mapped_column(String(200), index=True)
    agb_code: Mapped[str | None] = mapped_column(String(20), index=True)


class Client(Synced, Base):
    __tablename__ = "clients"

    bsn: Mapped[str] = mapped_column(String(9), unique=True)
    initials: Mapped[str | None] = mapped_column(String(40))
    first_name: Mapped[str | None] = mapped_column(String(100))
    prefix: Mapped[str | None] = mapped_column(String(40))
    last_name: Mapped[str] = mapped_column(String(200))
    # "Wilde, M. de" (core.names.sort_name), kept for the case list and its sort order.
    sort_name: Mapped[str] = mapped_column(String(300), index=True)
    birth_date: Mapped[dt.date] = mapped_column(Date)
    street: Mapped[str | None] = mapped_column(String(200))
    house_number: Mapped[str | None] = mapped_column(String(20))
    postcode: Mapped[str | None] = mapped_column(String(10))
    city: Mapped[str | None] = mapped_column(String(100))
    begeleider_name: Mapped[str | None] = mapped_column(String(200))
    begeleider_phone: Mapped[str | None] = mapped_column(String(50))
    begeleider_email: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (Index("ix_clients_last_name_birth_date", "last_name", "birth_date"),)


class Herindicatie(Synced, Base):
    """One herindicatie (case). A definitief case is locked; a correction is a new row with
    the same reference, revision + 1 and `previous_id` pointing at the old one."""

    __tablename__ = "herindicaties"

    reference: Mapped[str] = mapped_column(String(60))  # kenmerk
    revision: Mapped[int] = mapped_column(Integer, default=1)
    previous_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("herindicaties.id", ondelete="RESTRICT")
    )
    # Set on a definitief row once a newer revision exists: the case list shows the newest.
    superseded: Mapped[bool] = mapped_column(Boolean, default=False)
    client_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("clients.id", ondelete="RESTRICT"), index=True
    )
    provider_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("zorgaanbieders.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[str] = mapped_column(String(20), default="planned")
    planned_date: Mapped[dt.date | None] = mapped_column(Date)
    planned_time: Mapped[dt.time | None] = mapped_column(Time)
    location: Mapped[str | None] = mapped_column(String(300))
    attended_by: Mapped[str | None] = mapped_column(String(40))
    absence_reason: Mapped[str | None] = mapped_column(Text)
    consent_share_report: Mapped[bool | None] = mapped_column(Boolean)
    previous_arrangement: Mapped[str | None] = mapped_column(String(300))
    support_plan_date: Mapped[dt.date | None] = mapped_column(Date)
    assessment: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    motivations: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    results: Mapped[list[Any] | None] = mapped_column(JSON)
    zrm_notes: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    unscored_reasons: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    salutation: Mapped[str | None] = mapped_column(String(20))
    representative: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    delivery: Mapped[str] = mapped_column(String(10), default="zin")
    current_indication_description: Mapped[str | None] = mapped_column(String(300))
    current_indication_end: Mapped[dt.date | None] = mapped_column(Date, index=True)
    consultant_name: Mapped[str] = mapped_column(String(200))
    decision_date: Mapped[dt.date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(20))
    ib_level: Mapped[str | None] = mapped_column(String(10))
    # The advise output frozen at definitief, the tariff tables it was computed with, and
    # the client (names, address, provider, begeleider) as the letter named them.
    decision: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    tariffs_used: Mapped[list[Any] | None] = mapped_column(JSON)
    # The rule thresholds of the decision (core.rules.rules_to_dict shape); migration 0003.
    rules_used: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    client_snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    finalised_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # For the case list (migration 0004): the last day of the decided period, set at
    # definitief, and when the beschikking and the client's onderzoeksverslag were made.
    new_indication_end: Mapped[dt.date | None] = mapped_column(Date)
    beschikking_made_on: Mapped[dt.date | None] = mapped_column(Date)
    verslag_made_on: Mapped[dt.date | None] = mapped_column(Date)

    __table_args__ = (
        UniqueConstraint("reference", "revision"),
        CheckConstraint("status IN ('planned', 'concept', 'definitief')", name="status"),
        CheckConstraint("delivery IN ('zin', 'pgb')", name="delivery"),
        Index("ix_herindicaties_status_planned_date", "status", "planned_date"),
        Index("ix_herindicaties_planned_date", "planned_date"),
        # Covers the case list (CaseService.list_summaries): answered from the index alone.
        Index(
            "ix_herindicaties_case_list",
            "deleted_at",
            "superseded",
            "id",
            "client_id",
            "provider_id",
            "reference",
            "status",
            "planned_date",
            "planned_time",
            "location",
            "ib_level",
            "current_indication_end",
            "updated_at",
            "revision",
            "new_indication_end",
            "beschikking_made_on",
            "verslag_made_on",
        ),
    )


class AuditEntry(UUIDKey, Base):
    """Append-only log (NEN 7513 style). `hash` covers the entry and `prev_hash`, so a
    removed or changed entry breaks the chain. Never a BSN or a value in here: the object
    is the case kenmerk, details hold field names and counts."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, unique=True)
    time: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_name: Mapped[str | None] = mapped_column(String(200))
    os_user: Mapped[str | None] = mapped_column(String(200))
    machine: Mapped[str | None] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    object_ref: Mapped[str | None] = mapped_column(String(200), index=True)
    result: Mapped[str] = mapped_column(String(40))
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class SyncOutbox(Base):
    """Team mode (issue 15, docs/team-mode.md): one entry per change of a synced row,
    written in the same transaction as the change (services/outbox.py), so no committed
    change can be missed by a push. `seq` orders them on this laptop; `batch_id` is the local
    transaction, the unit the office applies or refuses as a whole; `pushed_at` is set once
    the office acknowledged the batch."""

    __tablename__ = "sync_outbox"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    batch_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    row_version: Mapped[int] = mapped_column(Integer)
    op: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    pushed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (CheckConstraint("op IN ('upsert', 'delete')", name="op"),)


class SyncConflict(Base):
    """Team mode's conflict inbox (docs/team-mode.md, migration 0006): a change of this
    laptop the office did not apply (parked: the case is leased to another device). The
    local row is kept whole, with the office's row when it had one, until a person decides
    (services/sync_inbox.py)."""

    __tablename__ = "sync_conflicts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    reference: Mapped[str | None] = mapped_column(String(60))
    reason: Mapped[str] = mapped_column(Text)
    holder: Mapped[str | None] = mapped_column(String(200))
    local_row: Mapped[dict[str, Any]] = mapped_column(JSON)
    office_row: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    resolution: Mapped[str | None] = mapped_column(String(20))
    # A client's field conflict (migration 0007): the columns the office kept its own value
    # of; None for a parked case.
    fields: Mapped[list[str] | None] = mapped_column(JSON)


class SyncLease(Base):
    """Who may change a case (its lease holder at the office), as the last pull said; a case
    leased to another device is read-only here (migration 0006)."""

    __tablename__ = "sync_leases"

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    device: Mapped[str] = mapped_column(String(100))
    consultant: Mapped[str] = mapped_column(String(200))


class SyncShadow(Base):
    """The office's last known state of a synced row (migration 0007), as this laptop last
    applied it from a pull or had a push of it acknowledged: the "old value" a push of a
    client sends as its `base` (services/sync_fields.py): the merged fields only, so no
    second copy of the BSN. Written outside the outbox."""

    __tablename__ = "sync_shadow"

    table_name: Mapped[str] = mapped_column(String(40), primary_key=True)
    row_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    row: Mapped[dict[str, Any]] = mapped_column(JSON)


class Meta(Base):
    """Key/value facts about this database: device code and per-year kenmerk sequence,
    the demo flag, UI state (last open case)."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
