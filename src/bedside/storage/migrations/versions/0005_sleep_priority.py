"""sleep source priority in the profile

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 09:00:00.000000

Adds ``profiles.sleep_priority``: the person's ordered device classes (see
``bedside.sleep.priority``). Nullable, so every existing profile keeps the default order.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("profiles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sleep_priority", sa.JSON(), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("profiles", schema=None) as batch_op:
        batch_op.drop_column("sleep_priority")
