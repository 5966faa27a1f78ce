"""console: staff accounts, sessions, login throttle, audit log; several conversations per resident

Revision ID: 0005_console
Revises: 0004_widget
Create Date: 2026-11-26 01:00:00

A resident may now have several conversations over time, at most one open
(``closed_at`` NULL): the unique constraint on ``conversations.resident_id``
becomes a partial unique index. Downgrading fails if a resident already has
more than one conversation.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_console"
down_revision = "0004_widget"
branch_labels = None
depends_on = None

# SQLite reflects 0001's unique constraint without a name: batch mode names it by this convention.
NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s"}
OPEN_ONLY = sa.text("closed_at IS NULL")


def _resident_unique_name() -> str:
    """The name of 0001's unique constraint on conversations.resident_id (PostgreSQL chose it)."""
    for constraint in sa.inspect(op.get_bind()).get_unique_constraints("conversations"):
        if constraint["column_names"] == ["resident_id"] and constraint["name"]:
            return constraint["name"]
    return "uq_conversations_resident_id"


def upgrade() -> None:
    _create_staff_tables()
    resident_unique = _resident_unique_name()
    with op.batch_alter_table("conversations", naming_convention=NAMING) as batch_op:
        batch_op.drop_constraint(resident_unique, type_="unique")
        batch_op.add_column(sa.Column("missed_message_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("assigned_staff_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("outcome", sa.Text(), nullable=True))
        batch_op.create_foreign_key(
            "fk_conversations_assigned_staff_id_staff_users", "staff_users", ["assigned_staff_id"], ["id"]
        )
        batch_op.create_index("ix_conversations_resident_id", ["resident_id"], unique=False)
    op.create_index(
        "uq_conversations_open_per_resident",
        "conversations",
        ["resident_id"],
        unique=True,
        sqlite_where=OPEN_ONLY,
        postgresql_where=OPEN_ONLY,
    )
    with op.batch_alter_table("messages") as batch_op:
        batch_op.add_column(sa.Column("staff_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_messages_staff_id_staff_users", "staff_users", ["staff_id"], ["id"])


def _create_staff_tables() -> None:
    op.create_table(
        "staff_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column(
            "role",
            sa.Enum("mediator", "landlord", "admin", name="role", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
    )
    op.create_table(
        "staff_tenants",
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["staff_id"], ["staff_users.id"]),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
        sa.PrimaryKeyConstraint("staff_id", "tenant_id"),
    )
    op.create_table(
        "staff_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["staff_id"], ["staff_users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_staff_sessions_staff_id", "staff_sessions", ["staff_id"])
    op.create_table(
        "login_throttle",
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("email"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("target", sa.String(length=254), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["staff_id"], ["staff_users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_log_staff_id", "audit_log", ["staff_id"])
    op.create_index("ix_audit_log_created_at", "audit_log", ["created_at"])


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch_op:
        batch_op.drop_constraint("fk_messages_staff_id_staff_users", type_="foreignkey")
        batch_op.drop_column("staff_id")
    op.drop_index("uq_conversations_open_per_resident", table_name="conversations")
    with op.batch_alter_table("conversations", naming_convention=NAMING) as batch_op:
        batch_op.drop_index("ix_conversations_resident_id")
        batch_op.drop_constraint("fk_conversations_assigned_staff_id_staff_users", type_="foreignkey")
        batch_op.drop_column("outcome")
        batch_op.drop_column("closed_at")
        batch_op.drop_column("claimed_at")
        batch_op.drop_column("assigned_staff_id")
        batch_op.drop_column("missed_message_id")
        batch_op.create_unique_constraint("uq_conversations_resident_id", ["resident_id"])
    op.drop_table("audit_log")
    op.drop_table("login_throttle")
    op.drop_table("staff_sessions")
    op.drop_table("staff_tenants")
    op.drop_table("staff_users")
