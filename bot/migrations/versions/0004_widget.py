"""tenants: widget look (colour, logo) and allowed origins

Revision ID: 0004_widget
Revises: 0003_booking
Create Date: 2026-11-26 01:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_widget"
down_revision = "0003_booking"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tenants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("primary_color", sa.String(length=7), nullable=False, server_default="#1f5f8b"))
        batch_op.add_column(sa.Column("logo_url", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("allowed_origins", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("tenants", schema=None) as batch_op:
        batch_op.drop_column("allowed_origins")
        batch_op.drop_column("logo_url")
        batch_op.drop_column("primary_color")
