"""Trainees, their attempts, and recording bytes for servers without a shared folder.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ATTEMPT_INDEXES = {
    "ix_attempts_ending": ["ending"],
    "ix_attempts_overall": ["overall"],
    "ix_attempts_scenario_id": ["scenario_id"],
    "ix_attempts_started_at": ["started_at"],
    "ix_attempts_status": ["status"],
    "ix_attempts_persona_started": ["persona_id", "started_at"],
    "ix_attempts_trainee_started": ["trainee_id", "started_at"],
}


def upgrade() -> None:
    op.create_table(
        "trainees",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trainee_id", sa.Integer(), nullable=False),
        sa.Column("persona_id", sa.String(length=100), nullable=False),
        sa.Column("persona_type", sa.String(length=50), nullable=False),
        sa.Column("scenario_id", sa.String(length=100), nullable=False),
        sa.Column("language", sa.String(length=20), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("ending", sa.String(length=50), nullable=True),
        sa.Column("ending_reason", sa.Text(), nullable=True),
        sa.Column("overall", sa.Integer(), nullable=True),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("timeline", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("recording", sa.String(length=255), nullable=True),
        sa.Column("recording_error", sa.Text(), nullable=True),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["trainee_id"], ["trainees.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    for name, columns in ATTEMPT_INDEXES.items():
        op.create_index(name, "attempts", columns)
    op.create_table(
        "recordings",
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["attempt_id"], ["attempts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("attempt_id"),
    )


def downgrade() -> None:
    op.drop_table("recordings")
    for name in ATTEMPT_INDEXES:
        op.drop_index(name, "attempts")
    op.drop_table("attempts")
    op.drop_table("trainees")
