"""What the case list shows of a decided case: its new indication end and whether its
beschikking and the client's onderzoeksverslag were made.

`herindicaties.new_indication_end` (the last day of the decided period) is set at definitief;
`beschikking_made_on` and `verslag_made_on` when the letter service makes those documents.
Back-fill for the rows of earlier revisions: the period end comes from the frozen decision
(`decision.period.end`, as every release wrote it); the two dates come from the audit log
(`export` entries with details.kind "beschikking" / "verslag-client" of the case's kenmerk,
the newest one at or after the case became definitief, so a letter of an older version does
not count for its successor). The covering index of the case list is rebuilt with the new
columns (and the revision number, shown as "v2"), so the list stays an index-only scan.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CASE_LIST_COLUMNS_0002 = [
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
]
CASE_LIST_COLUMNS = [
    *CASE_LIST_COLUMNS_0002,
    "revision",
    "new_indication_end",
    "beschikking_made_on",
    "verslag_made_on",
]
KINDS = {"beschikking": "beschikking_made_on", "verslag-client": "verslag_made_on"}


def _aware(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, str):  # SQLite without type processing
        value = dt.datetime.fromisoformat(value)
    stamp: dt.datetime = value
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=dt.UTC)


def _period_end(decision: Any) -> dt.date | None:
    """The decided period's last day; None for a refusal (no new indication)."""
    if not isinstance(decision, dict) or decision.get("outcome") != "ib_bw":
        return None
    period = decision.get("period")
    end = period.get("end") if isinstance(period, dict) else None
    try:
        return dt.date.fromisoformat(end) if isinstance(end, str) else None
    except ValueError:
        return None


def upgrade() -> None:
    with op.batch_alter_table("herindicaties", schema=None) as batch_op:
        batch_op.drop_index("ix_herindicaties_case_list")
        batch_op.add_column(sa.Column("new_indication_end", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("beschikking_made_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("verslag_made_on", sa.Date(), nullable=True))
    cases = sa.table(
        "herindicaties",
        sa.column("id", sa.Uuid),
        sa.column("reference", sa.String),
        sa.column("status", sa.String),
        sa.column("decision", sa.JSON),
        sa.column("finalised_at", sa.DateTime),
        sa.column("new_indication_end", sa.Date),
        sa.column("beschikking_made_on", sa.Date),
        sa.column("verslag_made_on", sa.Date),
    )
    audit = sa.table(
        "audit_log",
        sa.column("action", sa.String),
        sa.column("object_ref", sa.String),
        sa.column("time", sa.DateTime),
        sa.column("details", sa.JSON),
    )
    conn = op.get_bind()
    exports: dict[str, list[tuple[str, dt.datetime]]] = {}
    for ref, time, details in conn.execute(
        sa.select(audit.c.object_ref, audit.c.time, audit.c.details).where(
            audit.c.action == "export"
        )
    ):
        kind = details.get("kind") if isinstance(details, dict) else None
        stamp = _aware(time)
        if ref and kind in KINDS and stamp is not None:
            exports.setdefault(ref, []).append((kind, stamp))
    decided = conn.execute(
        sa.select(cases.c.id, cases.c.reference, cases.c.decision, cases.c.finalised_at).where(
            cases.c.status == "definitief"
        )
    ).all()
    for case_id, reference, decision, finalised_at in decided:
        values: dict[str, Any] = {"new_indication_end": _period_end(decision)}
        since = _aware(finalised_at)
        for kind, stamp in exports.get(reference, []):
            column = KINDS[kind]
            if since is not None and stamp < since:
                continue
            day = stamp.date()
            if values.get(column) is None or day > values[column]:
                values[column] = day
        conn.execute(cases.update().where(cases.c.id == case_id).values(**values))
    with op.batch_alter_table("herindicaties", schema=None) as batch_op:
        batch_op.create_index("ix_herindicaties_case_list", CASE_LIST_COLUMNS, unique=False)


def downgrade() -> None:
    with op.batch_alter_table("herindicaties", schema=None) as batch_op:
        batch_op.drop_index("ix_herindicaties_case_list")
        batch_op.drop_column("verslag_made_on")
        batch_op.drop_column("beschikking_made_on")
        batch_op.drop_column("new_indication_end")
        batch_op.create_index("ix_herindicaties_case_list", CASE_LIST_COLUMNS_0002, unique=False)
