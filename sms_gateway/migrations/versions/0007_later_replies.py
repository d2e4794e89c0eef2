"""Replies that leave after the webhook answered (the assistant's part after a crisis text, late
answers, answers recovered after a restart), and a lease on each inbound message so that one
left unanswered by a gateway that died is answered after restart, once.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inbound_messages") as batch:
        batch.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "later_replies",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("conversation_id", sa.String(64), nullable=False),
        sa.Column("contact_encrypted", sa.LargeBinary(), nullable=False),
        sa.Column("body_encrypted", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivery", sa.String(12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("provider_sid", sa.String(64), nullable=True),
        sa.Column("error", sa.String(64), nullable=True),
    )
    op.create_index("ix_later_replies_conversation_id", "later_replies", ["conversation_id"])
    op.create_index("ix_later_replies_created_at", "later_replies", ["created_at"])
    op.create_index("ix_later_replies_next_attempt_at", "later_replies", ["next_attempt_at"])
    op.create_index("ix_later_replies_provider_sid", "later_replies", ["provider_sid"])
    op.create_index("ix_inbound_status", "inbound_messages", ["status"])


def downgrade() -> None:
    op.drop_index("ix_inbound_status", "inbound_messages")
    op.drop_table("later_replies")
    with op.batch_alter_table("inbound_messages") as batch:
        batch.drop_column("lease_until")
