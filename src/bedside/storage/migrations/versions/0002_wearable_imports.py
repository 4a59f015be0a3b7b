"""wearable imports

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 05:18:14.159285
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""

    op.create_table(
        "import_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("importer", sa.String(length=32), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("file_size", sa.BigInteger(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("added", sa.JSON(), nullable=False),
        sa.Column("duplicates", sa.JSON(), nullable=False),
        sa.Column("ignored", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_import_runs_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_runs")),
    )
    with op.batch_alter_table("import_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_runs_user_id"), ["user_id"], unique=False)

    op.create_table(
        "sleep_nights",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("night", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("source_name", sa.String(length=200), nullable=False),
        sa.Column("is_main", sa.Boolean(), nullable=False),
        sa.Column("session_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("session_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sleep_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sleep_end", sa.DateTime(timezone=True), nullable=True),
        sa.Column("in_bed_min", sa.Float(), nullable=False),
        sa.Column("asleep_min", sa.Float(), nullable=True),
        sa.Column("deep_min", sa.Float(), nullable=True),
        sa.Column("core_min", sa.Float(), nullable=True),
        sa.Column("rem_min", sa.Float(), nullable=True),
        sa.Column("awake_min", sa.Float(), nullable=True),
        sa.Column("awakenings", sa.Integer(), nullable=True),
        sa.Column("hr_mean", sa.Float(), nullable=True),
        sa.Column("hrv_mean", sa.Float(), nullable=True),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("zone", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_sleep_nights_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sleep_nights")),
    )
    with op.batch_alter_table("sleep_nights", schema=None) as batch_op:
        batch_op.create_index("ix_sleep_nights_user_night", ["user_id", "night"], unique=False)

    op.create_table(
        "wearable_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("importer", sa.String(length=32), nullable=False),
        sa.Column("source_name", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_wearable_sources_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wearable_sources")),
        sa.UniqueConstraint("user_id", "importer", "source_name", name="uq_wearable_sources_key"),
    )
    op.create_table(
        "health_samples",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("at_epoch", sa.BigInteger(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["wearable_sources.id"],
            name=op.f("fk_health_samples_source_id_wearable_sources"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_health_samples_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_samples")),
        sa.UniqueConstraint(
            "user_id", "kind", "at_epoch", "source_id", "value", name="uq_health_samples_key"
        ),
    )

    op.create_table(
        "mindful_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("start_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("zone", sa.String(length=64), nullable=True),
        sa.Column("key_hash", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["wearable_sources.id"],
            name=op.f("fk_mindful_sessions_source_id_wearable_sources"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_mindful_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mindful_sessions")),
        sa.UniqueConstraint("user_id", "key_hash", name="uq_mindful_sessions_key"),
    )
    op.create_table(
        "sleep_segments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("start_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stage", sa.String(length=24), nullable=False),
        sa.Column("device", sa.String(length=300), nullable=True),
        sa.Column("zone", sa.String(length=64), nullable=True),
        sa.Column("offset_min", sa.Integer(), nullable=True),
        sa.Column("key_hash", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["wearable_sources.id"],
            name=op.f("fk_sleep_segments_source_id_wearable_sources"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_sleep_segments_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sleep_segments")),
        sa.UniqueConstraint("user_id", "key_hash", name="uq_sleep_segments_key"),
    )
    with op.batch_alter_table("sleep_segments", schema=None) as batch_op:
        batch_op.create_index("ix_sleep_segments_user_start", ["user_id", "start_at"], unique=False)

    op.create_table(
        "sleep_summaries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("start_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("asleep_min", sa.Float(), nullable=True),
        sa.Column("deep_min", sa.Float(), nullable=True),
        sa.Column("core_min", sa.Float(), nullable=True),
        sa.Column("rem_min", sa.Float(), nullable=True),
        sa.Column("awake_min", sa.Float(), nullable=True),
        sa.Column("awakenings", sa.Integer(), nullable=True),
        sa.Column("is_main", sa.Boolean(), nullable=True),
        sa.Column("zone", sa.String(length=64), nullable=True),
        sa.Column("offset_min", sa.Integer(), nullable=True),
        sa.Column("external_id", sa.String(length=120), nullable=True),
        sa.Column("key_hash", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["wearable_sources.id"],
            name=op.f("fk_sleep_summaries_source_id_wearable_sources"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_sleep_summaries_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sleep_summaries")),
        sa.UniqueConstraint("user_id", "key_hash", name="uq_sleep_summaries_key"),
    )
    with op.batch_alter_table("sleep_summaries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sleep_summaries_user_start", ["user_id", "start_at"], unique=False
        )


def downgrade() -> None:
    """Revert this revision."""

    with op.batch_alter_table("sleep_summaries", schema=None) as batch_op:
        batch_op.drop_index("ix_sleep_summaries_user_start")

    op.drop_table("sleep_summaries")
    with op.batch_alter_table("sleep_segments", schema=None) as batch_op:
        batch_op.drop_index("ix_sleep_segments_user_start")

    op.drop_table("sleep_segments")
    op.drop_table("mindful_sessions")
    op.drop_table("health_samples")
    op.drop_table("wearable_sources")
    with op.batch_alter_table("sleep_nights", schema=None) as batch_op:
        batch_op.drop_index("ix_sleep_nights_user_night")

    op.drop_table("sleep_nights")
    with op.batch_alter_table("import_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_runs_user_id"))

    op.drop_table("import_runs")
