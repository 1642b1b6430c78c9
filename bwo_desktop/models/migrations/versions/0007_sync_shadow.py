"""Team mode, client field conflicts: `sync_shadow` (the office's last known state of a
synced row, the "old value" a push of a client sends as its base) and
`sync_conflicts.fields` (the columns of a client's field conflict). The table starts empty:
a client's first push after this revision has no base and is applied as before, the next
pull fills the shadow.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sync_shadow",
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.Uuid(), nullable=False),
        sa.Column("row", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("table_name", "row_id", name=op.f("pk_sync_shadow")),
    )
    with op.batch_alter_table("sync_conflicts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fields", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sync_conflicts", schema=None) as batch_op:
        batch_op.drop_column("fields")
    op.drop_table("sync_shadow")
