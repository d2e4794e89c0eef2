"""Advocates: the last TOTP time step accepted, so a code works once (RFC 6238 §5.2).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch mode: SQLite cannot ALTER a table in place for every change (alembic copies it).
    with op.batch_alter_table("advocates") as batch:
        batch.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("advocates") as batch:
        batch.drop_column("totp_last_step")
