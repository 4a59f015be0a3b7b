"""consented sharing: grants, audit log, studies and enrolments

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 12:00:00.000000

A participant may let a clinician follow along (``shares``: viewer or manager, revocable,
with when they last looked); every read of someone else's data is written to
``audit_log``; researchers run ``studies`` that participants join with a code
(``enrolments``: a study id, a whole-week date shift, consent and withdrawal). New tables
only: nothing existing changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _user_fk(table: str, column: str, ondelete: str = "CASCADE") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["users.id"], name=op.f(f"fk_{table}_{column}_users"), ondelete=ondelete
    )


def upgrade() -> None:
    """Apply this revision."""
    when = sa.DateTime(timezone=True)
    op.create_table(
        "shares",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("grantee_id", sa.Integer(), nullable=False),
        sa.Column("access", sa.String(length=16), nullable=False),
        sa.Column("created_at", when, nullable=False),
        sa.Column("revoked_at", when, nullable=True),
        sa.Column("last_viewed_at", when, nullable=True),
        sa.Column("last_viewed", sa.String(length=200), nullable=True),
        _user_fk("shares", "owner_id"),
        _user_fk("shares", "grantee_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shares")),
    )
    op.create_index("ix_shares_owner", "shares", ["owner_id"])
    op.create_index("ix_shares_grantee", "shares", ["grantee_id"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=254), nullable=False),
        sa.Column("what", sa.String(length=200), nullable=False),
        sa.Column("at", when, nullable=False),
        _user_fk("audit_log", "owner_id"),
        _user_fk("audit_log", "actor_id", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_owner_at", "audit_log", ["owner_id", "at"])
    op.create_table(
        "studies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("researcher_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("consent_text", sa.Text(), nullable=False),
        sa.Column("collects", sa.String(length=120), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("enrolment_code", sa.String(length=32), nullable=False),
        sa.Column("created_at", when, nullable=False),
        _user_fk("studies", "researcher_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_studies")),
        sa.UniqueConstraint("enrolment_code", name=op.f("uq_studies_enrolment_code")),
    )
    op.create_table(
        "enrolments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("study_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("study_code", sa.String(length=16), nullable=False),
        sa.Column("date_offset_days", sa.Integer(), nullable=False),
        sa.Column("consented_at", when, nullable=True),
        sa.Column("declined_at", when, nullable=True),
        sa.Column("withdrawn_at", when, nullable=True),
        sa.ForeignKeyConstraint(
            ["study_id"],
            ["studies.id"],
            name=op.f("fk_enrolments_study_id_studies"),
            ondelete="CASCADE",
        ),
        _user_fk("enrolments", "participant_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrolments")),
        sa.UniqueConstraint("study_id", "participant_id", name="uq_enrolments_participant"),
        sa.UniqueConstraint("study_id", "study_code", name="uq_enrolments_study_code"),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("enrolments")
    op.drop_table("studies")
    op.drop_table("audit_log")
    op.drop_table("shares")
