"""Plans a youth thinks through with the helper, kept encrypted on the server only, for
PLAN_TTL_HOURS, when the youth agrees (issue 12).

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "safety_plans",
        sa.Column("conversation_id", sa.String(64), primary_key=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("step", sa.String(16), nullable=True),
        sa.Column("resume", sa.String(16), nullable=True),
        sa.Column("keep", sa.Boolean(), nullable=True),
        sa.Column("answers_encrypted", sa.LargeBinary(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_safety_plans_expires_at", "safety_plans", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_safety_plans_expires_at", "safety_plans")
    op.drop_table("safety_plans")
