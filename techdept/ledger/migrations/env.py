"""Alembic environment: techdept always hands in an open connection (see ledger.migrate)."""

from alembic import context
from sqlmodel import SQLModel

from techdept.ledger import models  # noqa: F401  (registers the tables)

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - the CLI always passes a connection
    raise RuntimeError("techdept migrations run through 'techdept db upgrade'")

context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,
    transactional_ddl=True,
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
