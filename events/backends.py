"""Which store a URL names: PostgreSQL for a postgresql:// URL, else a SQLite file.

Each backend is imported when a URL names it (psycopg only for PostgreSQL).
"""

from __future__ import annotations

from accords.events.store import Recorder


def open_store(url: str, create: bool = False) -> Recorder:
    """Open the store at url: a PostgreSQL URL or a SQLite file path."""
    if url.startswith(("postgresql://", "postgres://")):
        from accords.events.postgres import PostgresRecorder

        return PostgresRecorder(url, create=create)
    from accords.events.sqlite import SqliteRecorder

    return SqliteRecorder(url, create=create)
