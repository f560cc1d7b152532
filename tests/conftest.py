"""Fixtures: real stores (SQLite files, PostgreSQL databases) and a CLI runner."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import settings

from accords.cli import cli

# Property tests check what comes out, not how fast: on a loaded machine a slow example
# is not a failure (time is measured under bench/).
settings.register_profile("accords", deadline=None)
settings.load_profile("accords")

# What the tests' logs were seen at (events/witness.py) is kept apart from the user's own,
# in a folder removed when the run ends.
_WITNESS = tempfile.mkdtemp(prefix="accords-witness-")
atexit.register(shutil.rmtree, _WITNESS, ignore_errors=True)
os.environ["ACCORDS_WITNESS"] = os.path.join(_WITNESS, "witness.json")


def service_url(variable: str, what: str) -> str:
    """The URL of a test service; in CI a missing one fails, on a laptop it skips."""
    url = os.environ.get(variable)
    if url:
        return url
    message = f"{what} is not running: start it with tests/{what.lower()}/server.sh start"
    if os.environ.get("CI"):
        pytest.fail(f"{message} ({variable} unset)")
    pytest.skip(message)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database on the test server, dropped afterwards."""
    import psycopg

    base = service_url("ACCORDS_TEST_POSTGRES", "PostgreSQL")
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    yield base.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(base, autocommit=True) as db:
        db.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty accords store of each backend."""
    from accords.events.backends import open_store

    if request.param == "sqlite":
        url = str(tmp_path / "accords.db")
    else:
        url = request.getfixturevalue("postgres_url")
    open_store(url, create=True).close()
    return url


class Runner:
    """Runs accords commands in-process against one store, as a user would type them."""

    def __init__(self, store: str) -> None:
        self.store = store
        self.runner = CliRunner()

    def __call__(self, *args: str, input: Any = None, store: str | None = None) -> Result:
        env = {"ACCORDS_STORE": store or self.store, "ACCORDS_USER": "tester"}
        return self.runner.invoke(cli, list(args), input=input, env=env, catch_exceptions=False)


@pytest.fixture
def run(store_url: str) -> Runner:
    return Runner(store_url)


@pytest.fixture
def sqlite_run(tmp_path: Path) -> Runner:
    """A runner on a fresh SQLite store only."""
    from accords.events.backends import open_store

    url = str(tmp_path / "accords.db")
    open_store(url, create=True).close()
    return Runner(url)


def stored(url: str) -> object:
    """SQLite: the database file and its WAL, byte for byte. PostgreSQL: every stored row."""
    if url.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(url) as db:
            return [
                db.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
                for table in ("events", "checkpoints", "captures", "person_keys")
            ]
    files = [Path(url), Path(url + "-wal")]
    return [f.read_bytes() if f.exists() else None for f in files]


@pytest.fixture
def snapshot() -> Any:
    """stored(url): the store's bytes, to compare before and after a refused command."""
    return stored
