"""Initial schema: inbound messages (idempotency + no loss), contacts, delivery statuses.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inbound_messages",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("external_id", sa.String(64), nullable=False, unique=True),
        sa.Column("conversation_id", sa.String(64), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("safety_flags", sa.String(64), nullable=False, server_default=""),
        sa.Column("body_encrypted", sa.LargeBinary(), nullable=False),
        sa.Column("reply_encrypted", sa.LargeBinary(), nullable=True),
        sa.Column("replied_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_inbound_messages_conversation_id", "inbound_messages", ["conversation_id"])
    op.create_index("ix_inbound_received_at", "inbound_messages", ["received_at"])
    op.create_table(
        "contacts",
        sa.Column("conversation_id", sa.String(64), primary_key=True),
        sa.Column("opted_out", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "delivery_statuses",
        sa.Column("message_sid", sa.String(64), primary_key=True),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("error_code", sa.String(16), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "offered_choices",
        sa.Column("conversation_id", sa.String(64), primary_key=True),
        sa.Column("payloads", sa.String(2000), nullable=False),
        sa.Column("offered_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("offered_choices")
    op.drop_table("delivery_statuses")
    op.drop_table("contacts")
    op.drop_index("ix_inbound_received_at", "inbound_messages")
    op.drop_index("ix_inbound_messages_conversation_id", "inbound_messages")
    op.drop_table("inbound_messages")
