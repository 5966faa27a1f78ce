"""knowledge reloads: requests to refit the FAQ engine, and their outcomes

Revision ID: 0009_knowledge_reloads
Revises: 0008_privacy
Create Date: 2026-12-07 21:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_knowledge_reloads"
down_revision = "0008_privacy"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "knowledge_reloads",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("requested_by", sa.String(254), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("succeeded", sa.Boolean(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("knowledge_reloads")
