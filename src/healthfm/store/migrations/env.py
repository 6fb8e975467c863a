"""Alembic environment of the catalog. `Catalog.open()` runs it with a connection already in a transaction."""

from __future__ import annotations

from alembic import context

from healthfm.store.catalog import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "catalog migrations run through healthfm.store.catalog (Catalog.open or upgrade_schema), "
        "which passes the connection in alembic_config(connection)"
    )
context.configure(connection=connection, target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()
