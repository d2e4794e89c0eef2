"""The name an advocate chooses to show to the people they write to ("Ana").

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("advocates") as batch:
        batch.add_column(sa.Column("shown_name", sa.String(40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("advocates") as batch:
        batch.drop_column("shown_name")
