"""Alembic environment: the gateway passes its own connection in (see `sms_gateway.db.migrate`)."""

from alembic import context

from sms_gateway.models import Base

connection = context.config.attributes.get("connection")
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies tables instead
)
with context.begin_transaction():
    context.run_migrations()
