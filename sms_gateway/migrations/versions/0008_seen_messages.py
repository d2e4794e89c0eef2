"""The hashed ids of purged messages, so that a replay of an old signed request is still refused
after its row and text are gone.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "seen_messages",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column("purged_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_seen_messages_purged_at", "seen_messages", ["purged_at"])


def downgrade() -> None:
    op.drop_index("ix_seen_messages_purged_at", "seen_messages")
    op.drop_table("seen_messages")
