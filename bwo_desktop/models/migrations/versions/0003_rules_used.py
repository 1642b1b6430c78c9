"""Freeze the rule thresholds of a decision: `herindicaties.rules_used` (JSON, nullable).

A definitief case must reprint exactly as decided, also after the organisation edits its
`rules.toml`. Until this revision the app only ever decided with the built-in rules (a user
rules file was read by the editor, but nothing before 0003 froze it, and the built-in values
below are those of every release up to this one), so every definitief row is back-filled
with those built-in values. They are literal data here on purpose: a migration must not
import the models or read `resources/`, which change after it is written.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# resources/rules.toml as released up to revision 0002 (the shape of Case.rules_used).
BUILTIN_RULES_0002 = {
    "ib3_min_overnemen": 3,
    "default_support_form": {
        "1": "overnemen",
        "2": "overnemen",
        "3": "aanleren",
        "4": "toezicht",
        "5": "geen",
        "unscored": "geen",
    },
}


def upgrade() -> None:
    with op.batch_alter_table("herindicaties", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rules_used", sa.JSON(), nullable=True))
    cases = sa.table(
        "herindicaties",
        sa.column("status", sa.String),
        sa.column("rules_used", sa.JSON),
    )
    op.execute(
        cases.update().where(cases.c.status == "definitief").values(rules_used=BUILTIN_RULES_0002)
    )


def downgrade() -> None:
    with op.batch_alter_table("herindicaties", schema=None) as batch_op:
        batch_op.drop_column("rules_used")
