"""Alembic migrations of the catalog schema; `Catalog.open()` runs them to head."""
