"""per-person data version and computed results (the analysis cache)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 13:00:00.000000

``users.data_version`` moves on in the same transaction as every write of a person's data;
``computed_results`` keeps analysis results by person, kind, parameters and that version, so
the analysis pages compute once per change of the data and every server worker shares the
result. Nothing existing changes: a new column with a default and a new table.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    # Plain ALTER TABLE ... ADD COLUMN (as in 0007): a batch rebuild of ``users`` on SQLite
    # would drop the table, and with foreign keys on that deletes every row that refers to it.
    op.add_column(
        "users", sa.Column("data_version", sa.Integer(), nullable=False, server_default="0")
    )
    op.create_table(
        "computed_results",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("params_key", sa.String(length=64), nullable=False),
        sa.Column("data_version", sa.Integer(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_computed_results_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "kind", "params_key", name=op.f("pk_computed_results")),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("computed_results")
    op.drop_column("users", "data_version")  # ALTER TABLE ... DROP COLUMN (SQLite 3.35+)
