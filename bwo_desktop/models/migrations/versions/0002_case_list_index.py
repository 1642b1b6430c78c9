"""Covering index for the case list.

The case list reads a few columns of every case; the rows themselves are large (assessment,
decision and tariffs as JSON), so scanning the table reads (and, with SQLCipher, decrypts)
every overflow page. This index holds exactly the list's columns: SQLite answers the list
from the index alone (50,000 cases: ~0.8 s -> ~0.1 s for the scan).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

Add a seeder for this revision in tests/persistence/persistence_seeders.py (the
all-revisions test fails without one).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CASE_LIST_COLUMNS = [
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


def upgrade() -> None:
    with op.batch_alter_table("herindicaties", schema=None) as batch_op:
        batch_op.create_index("ix_herindicaties_case_list", CASE_LIST_COLUMNS, unique=False)


def downgrade() -> None:
    with op.batch_alter_table("herindicaties", schema=None) as batch_op:
        batch_op.drop_index("ix_herindicaties_case_list")
