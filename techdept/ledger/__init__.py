"""The ledger: tables, engine and sessions, migrations, the audit trail.

Importing this package is cheap; SQLAlchemy is loaded by the submodules that need it.
"""

SCHEMA_HEAD = "0001"
"""The newest migration this code ships; checked against Alembic's head by a test."""
