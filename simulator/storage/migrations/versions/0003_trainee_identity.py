"""Every attempt carries the trainee's group (class, team) beside their name, as it was at the time of the
call; old attempts keep their trainee names as they are and have no group.

Revision ID: 0003_trainee_identity
Revises: 0002_import_content_hash
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_trainee_identity"
down_revision = "0002_import_content_hash"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("attempts") as batch:
        batch.add_column(sa.Column("trainee_group", sa.String(length=200), nullable=True))
        batch.create_index("ix_attempts_trainee_group", ["trainee_group"])


def downgrade() -> None:
    with op.batch_alter_table("attempts") as batch:
        batch.drop_index("ix_attempts_trainee_group")
        batch.drop_column("trainee_group")
