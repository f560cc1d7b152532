"""A PostgreSQL database of its own for one benchmark run."""

from __future__ import annotations

import uuid


class FreshDatabase:
    """A new database on the server of base_url, dropped on exit (as tests/conftest.py)."""

    def __init__(self, base_url: str) -> None:
        self.base = base_url
        self.name = f"bench_{uuid.uuid4().hex[:12]}"
        self.url = base_url.rsplit("/", 1)[0] + "/" + self.name

    def __enter__(self) -> str:
        import psycopg

        with psycopg.connect(self.base, autocommit=True) as db:
            db.execute(f'CREATE DATABASE "{self.name}"')
        return self.url

    def __exit__(self, *exc: object) -> None:
        import psycopg

        with psycopg.connect(self.base, autocommit=True) as db:
            db.execute(f'DROP DATABASE "{self.name}" WITH (FORCE)')
