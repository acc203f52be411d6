"""Imported attempts remember the SHA-256 of the bundle's content, so that importing it again is refused
instead of duplicating the attempt.

Revision ID: 0002_import_content_hash
Revises: 0001
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_import_content_hash"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("attempts") as batch:
        batch.add_column(sa.Column("content_hash", sa.String(length=64), nullable=True))
        batch.create_index("ix_attempts_content_hash", ["content_hash"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("attempts") as batch:
        batch.drop_index("ix_attempts_content_hash")
        batch.drop_column("content_hash")
