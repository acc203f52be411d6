"""Reviewers' corrections of what the recogniser heard, one row per corrected turn, and the score as recognised
(kept while corrections stand; the attempt's own score columns then hold the score on the corrected words).

Revision ID: 0004_transcript_corrections
Revises: 0002_import_content_hash
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_transcript_corrections"
down_revision = "0003_trainee_identity"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "transcript_corrections",
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("turn", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reviewer", sa.String(length=200), nullable=False),
        sa.Column("corrected_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["attempt_id"], ["attempts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("attempt_id", "turn"),
    )
    with op.batch_alter_table("attempts") as batch:
        batch.add_column(sa.Column("recognised_score", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("attempts") as batch:
        batch.drop_column("recognised_score")
    op.drop_table("transcript_corrections")
