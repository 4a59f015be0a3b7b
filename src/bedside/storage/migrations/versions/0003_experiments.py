"""experiments

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 05:27:43.119876
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "experiments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(length=64), nullable=False),
        sa.Column("lower_is_better", sa.Boolean(), nullable=False),
        sa.Column("mid", sa.Float(), nullable=False),
        sa.Column("levels", sa.JSON(), nullable=False),
        sa.Column("reference", sa.String(length=120), nullable=False),
        sa.Column("blocks", sa.Integer(), nullable=False),
        sa.Column("nights_per_period", sa.Integer(), nullable=False),
        sa.Column("washout_nights", sa.Integer(), nullable=False),
        sa.Column("run_in_nights", sa.Integer(), nullable=False),
        sa.Column("start_night", sa.Date(), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("early_stopping", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stopped_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("stopped_night", sa.Date(), nullable=True),
        sa.CheckConstraint("blocks >= 3", name=op.f("ck_experiments_blocks_min")),
        sa.CheckConstraint("mid > 0", name=op.f("ck_experiments_mid_positive")),
        sa.CheckConstraint(
            "nights_per_period > washout_nights", name=op.f("ck_experiments_period_after_washout")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_experiments_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_experiments")),
    )
    with op.batch_alter_table("experiments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_experiments_user_id"), ["user_id"], unique=False)

    op.create_table(
        "experiment_blocks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("experiment_id", sa.Integer(), nullable=False),
        sa.Column("block_index", sa.Integer(), nullable=False),
        sa.Column("conditions", sa.JSON(), nullable=False),
        sa.Column("randomised_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["experiment_id"],
            ["experiments.id"],
            name=op.f("fk_experiment_blocks_experiment_id_experiments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_experiment_blocks_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_experiment_blocks")),
        sa.UniqueConstraint("experiment_id", "block_index", name="uq_experiment_blocks_index"),
    )
    with op.batch_alter_table("experiment_blocks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_experiment_blocks_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("experiment_blocks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_experiment_blocks_user_id"))

    op.drop_table("experiment_blocks")
    with op.batch_alter_table("experiments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_experiments_user_id"))

    op.drop_table("experiments")
