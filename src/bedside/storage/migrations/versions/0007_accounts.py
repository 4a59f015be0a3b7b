"""accounts for server mode

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 10:00:00.000000

Server mode (``BEDSIDE_MODE=server``) signs people in. ``users`` gains the sign-in e-mail
(unique), an Argon2 password hash, a role and a ``disabled`` flag; the local user of
single-user mode keeps none of them. Three tables keep the sign-in state in the database, so
several worker processes share it: ``web_sessions`` (hashed session ids with an expiry),
``api_tokens`` (hashed personal tokens, revocable) and ``signin_failures`` (rate limits).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    # Plain ALTER TABLE ... ADD COLUMN: SQLite would rebuild ``users`` for anything more, and
    # dropping the old table would cascade to every row that is the person's.
    op.add_column("users", sa.Column("email", sa.String(length=254), nullable=True))
    op.add_column("users", sa.Column("password_hash", sa.String(length=255), nullable=True))
    op.add_column(
        "users",
        sa.Column("role", sa.String(length=16), server_default="participant", nullable=False),
    )
    op.add_column(
        "users", sa.Column("disabled", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    # A unique index rather than a constraint, for the same reason.
    op.create_index("ix_users_email", "users", ["email"], unique=True)
    op.create_table(
        "web_sessions",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_web_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id_hash", name=op.f("pk_web_sessions")),
    )
    op.create_index("ix_web_sessions_user", "web_sessions", ["user_id"])
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    op.create_index("ix_api_tokens_user", "api_tokens", ["user_id"])
    op.create_table(
        "signin_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signin_failures")),
    )
    op.create_index("ix_signin_failures_email_at", "signin_failures", ["email", "at"])
    op.create_index("ix_signin_failures_address_at", "signin_failures", ["address", "at"])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("signin_failures")
    op.drop_table("api_tokens")
    op.drop_table("web_sessions")
    op.drop_index("ix_users_email", table_name="users")
    for column in ("disabled", "role", "password_hash", "email"):
        op.drop_column("users", column)  # ALTER TABLE ... DROP COLUMN (SQLite 3.35+)
