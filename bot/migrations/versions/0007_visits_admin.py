"""visit_slots.removed_at: a slot withdrawn by staff from the console

Revision ID: 0007_visits_admin
Revises: 0006_requests
Create Date: 2026-11-29 21:00:00

A slot that bookings still reference (cancelled ones, kept as history) is
never deleted: the console marks it removed, so it is no longer offered nor
listed, and every booking keeps its date, place and mediator.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_visits_admin"
down_revision = "0006_requests"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("visit_slots") as batch_op:
        batch_op.add_column(sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("visit_slots") as batch_op:
        batch_op.drop_column("removed_at")
