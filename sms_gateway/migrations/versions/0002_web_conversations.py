"""Web chat conversations (token hash, pseudonym, idle tracking).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_conversations",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("conversation_id", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_web_conversations_last_seen_at", "web_conversations", ["last_seen_at"])


def downgrade() -> None:
    op.drop_index("ix_web_conversations_last_seen_at", "web_conversations")
    op.drop_table("web_conversations")
