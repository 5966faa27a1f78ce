"""visit slots, bookings, booking notices

Revision ID: 0003_booking
Revises: 0002
Create Date: 2026-11-26 00:51:29.144853
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_booking"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "visit_slots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind", sa.Enum("home_visit", "drop_in", name="slotkind", native_enum=False, length=16), nullable=False
        ),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("mediator", sa.String(length=100), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("capacity >= 1", name="capacity_positive"),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("visit_slots", schema=None) as batch_op:
        batch_op.create_index("ix_visit_slots_tenant_starts", ["tenant_id", "starts_at"], unique=False)

    op.create_table(
        "bookings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=10), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=36), nullable=False),
        sa.Column("slot_id", sa.Integer(), nullable=False),
        sa.Column("seat", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum("booked", "cancelled", "done", "no_show", name="bookingstatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("topic", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("phone", sa.String(length=16), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("seat >= 1", name="seat_positive"),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
        ),
        sa.ForeignKeyConstraint(
            ["slot_id"],
            ["visit_slots.id"],
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reference"),
        sa.UniqueConstraint("slot_id", "seat", name="uq_bookings_slot_seat"),
    )
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bookings_conversation_id"), ["conversation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_bookings_slot_id"), ["slot_id"], unique=False)

    op.create_table(
        "booking_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["bookings.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("booking_notices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_booking_notices_booking_id"), ["booking_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("booking_notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_booking_notices_booking_id"))

    op.drop_table("booking_notices")
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bookings_slot_id"))
        batch_op.drop_index(batch_op.f("ix_bookings_conversation_id"))

    op.drop_table("bookings")
    with op.batch_alter_table("visit_slots", schema=None) as batch_op:
        batch_op.drop_index("ix_visit_slots_tenant_starts")

    op.drop_table("visit_slots")
