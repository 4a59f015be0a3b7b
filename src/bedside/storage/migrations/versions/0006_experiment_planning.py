"""frozen planning inputs of an experiment

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 09:00:00.000000

Adds ``experiments.planning``: the night-to-night SD, autocorrelation and number of logged
nights the plan's expected precision came from, kept when the plan is saved (and when its
run-in ends) so that nights logged later never change a fixed plan. Nullable: plans saved
before this revision freeze theirs on first view.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("experiments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("planning", sa.JSON(), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("experiments", schema=None) as batch_op:
        batch_op.drop_column("planning")
