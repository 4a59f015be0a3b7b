"""pending invitations: a grant for an e-mail that has no account yet

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 13:00:00.000000

A participant may invite a clinician who has no Bedside account yet: the grant is stored
with ``invited_email`` and no ``grantee_id`` (pending) and is taken up when an account with
that e-mail is created (``bedside user add``). ``shares`` gains one nullable column and an
index, and ``grantee_id`` becomes nullable; existing grants are unchanged. Downgrading
drops the pending invitations (they grant nothing yet).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


#: Every column 0008 made, copied as it is.
COPY = (
    "INSERT INTO shares_rebuilt (id, owner_id, grantee_id, access, created_at, revoked_at, "
    "last_viewed_at, last_viewed) SELECT id, owner_id, grantee_id, access, created_at, "
    "revoked_at, last_viewed_at, last_viewed FROM shares"
)


def _create_shares(name: str, *, pending: bool) -> None:
    """``shares`` as 0008 made it, or with pending invitations (``pending``), as ``name``.

    Spelled out rather than copied by Alembic's batch mode: its copy lists the foreign keys
    in no fixed order, so two migrated databases would differ in their schema text.
    """
    when = sa.DateTime(timezone=True)
    extra = [sa.Column("invited_email", sa.String(length=254), nullable=True)] if pending else []
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("grantee_id", sa.Integer(), nullable=pending),
        sa.Column("access", sa.String(length=16), nullable=False),
        sa.Column("created_at", when, nullable=False),
        sa.Column("revoked_at", when, nullable=True),
        sa.Column("last_viewed_at", when, nullable=True),
        sa.Column("last_viewed", sa.String(length=200), nullable=True),
        *extra,
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name="fk_shares_owner_id_users", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["grantee_id"], ["users.id"], name="fk_shares_grantee_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_shares"),
    )


def _rebuild_sqlite(*, pending: bool) -> None:
    """SQLite cannot change a column's NULL rule in place: copy the table into a new one."""
    _create_shares("shares_rebuilt", pending=pending)
    op.execute(sa.text(COPY))
    op.drop_table("shares")
    op.rename_table("shares_rebuilt", "shares")
    op.create_index("ix_shares_owner", "shares", ["owner_id"])
    op.create_index("ix_shares_grantee", "shares", ["grantee_id"])


def upgrade() -> None:
    """Apply this revision."""
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite(pending=True)
    else:
        op.add_column("shares", sa.Column("invited_email", sa.String(length=254), nullable=True))
        op.alter_column("shares", "grantee_id", existing_type=sa.Integer(), nullable=True)
    op.create_index("ix_shares_invited_email", "shares", ["invited_email"])


def downgrade() -> None:
    """Revert this revision (pending invitations, which grant nothing yet, are dropped)."""
    op.execute(sa.text("DELETE FROM shares WHERE grantee_id IS NULL"))
    op.drop_index("ix_shares_invited_email", table_name="shares")
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite(pending=False)
    else:
        op.alter_column("shares", "grantee_id", existing_type=sa.Integer(), nullable=False)
        op.drop_column("shares", "invited_email")
