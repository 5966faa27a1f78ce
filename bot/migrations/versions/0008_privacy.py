"""privacy: sensitive messages flagged, erased residents marked

Revision ID: 0008_privacy
Revises: 0007_visits_admin
Create Date: 2026-11-29 21:15:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_privacy"
down_revision = "0007_visits_admin"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # server_default: existing rows get "not sensitive" without a data migration.
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("sensitive", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("residents") as batch:
        batch.add_column(sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("residents") as batch:
        batch.drop_column("erased_at")
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("sensitive")
