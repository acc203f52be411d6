"""Recorded attempts: SQLite or PostgreSQL through SQLAlchemy, schema by Alembic, recordings beside them."""

from .db import database_url, open_store
from .errors import AttemptNotFound, StorageError
from .repository import AttemptRecord, AttemptStore, AttemptSummary

__all__ = ["AttemptNotFound", "AttemptRecord", "AttemptStore", "AttemptSummary", "StorageError", "database_url",
           "open_store"]
