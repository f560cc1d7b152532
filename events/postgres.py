"""The PostgreSQL recorder: the store for teams and scale, the chain enforced by the database."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any

import psycopg
from psycopg import pq
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from accords.events.errors import InputError, StoreError
from accords.events.model import COLUMNS, EMPTY, Event, Head
from accords.events.store import (
    CAPTURED_IN,
    CAPTURED_INDEX,
    SIGNING_IN,
    SIGNING_INDEX,
    UNLINKED,
    Checkpoint,
    Ref,
    Row,
    lookup_clause,
    unlinked_message,
)


def _append_only(table: str) -> str:
    """The triggers that refuse UPDATE, DELETE and TRUNCATE of table's rows."""
    return "".join(
        f"CREATE OR REPLACE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table}\n"
        "    FOR EACH STATEMENT EXECUTE FUNCTION accords_refuse_change();\n"
        for op in ("UPDATE", "DELETE", "TRUNCATE")
    )


# Tables live in the connection's search_path (normally public). id, key and recorded_at
# are COLLATE "C" so comparisons are byte order whatever the database's locale: id
# prefixes are ranges and record times compare as text, exactly as in SQLite.
SCHEMA = (
    """
SELECT pg_advisory_xact_lock(hashtext('accords schema'));
CREATE TABLE IF NOT EXISTS events (
    seq BIGINT PRIMARY KEY CHECK (seq > 0),
    id TEXT COLLATE "C" NOT NULL UNIQUE,
    type TEXT NOT NULL,
    key TEXT COLLATE "C" UNIQUE,
    recorded_at TEXT COLLATE "C" NOT NULL,
    recorded_by TEXT NOT NULL,
    body TEXT NOT NULL,
    prev TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_recorded_at ON events (recorded_at);
CREATE TABLE IF NOT EXISTS checkpoints (
    tree_size BIGINT NOT NULL,
    root TEXT NOT NULL,
    created_at TEXT NOT NULL,
    public_key TEXT,
    signature TEXT,
    n BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY
);
CREATE OR REPLACE FUNCTION accords_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% are append-only: % is refused', TG_TABLE_NAME, TG_OP;
END $$;
"""
    + _append_only("events")
    + _append_only("checkpoints")
)
# Made by init, and by the first write to a store made before them.
LATER = (
    f"{SIGNING_INDEX};\n{CAPTURED_INDEX};\n"
    'CREATE TABLE IF NOT EXISTS captures (sha256 TEXT COLLATE "C" PRIMARY KEY, bytes BYTEA NOT NULL);\n'
    + _append_only("captures")
    # outside the chain, and not append-only: an erasure sets a key to NULL (events/personal.py)
    + 'CREATE TABLE IF NOT EXISTS person_keys (person TEXT COLLATE "C" PRIMARY KEY, key BYTEA);\n'
)

_PAGE = 2000
_INIT_HINT = "run `accords init --store URL`"
_LIBPQ_PREFIX = re.compile(r"^(connection failed: )?(connection to server .*? failed: )?(FATAL: +)?")
_UNREACHABLE = ("refused", "timeout expired", "No route", "unreachable", "closed the connection")


def _event(row: tuple[Any, ...]) -> Event:
    seq, id_, type_, key, at, by, body, prev, hash_ = row
    return Event(seq, id_, type_, key, at, by, body.encode(), prev, hash_)


def _reason(e: psycopg.Error) -> str:
    """The server's message and detail on one line, without the PL/pgSQL context."""
    primary, detail = e.diag.message_primary, e.diag.message_detail
    return f"{primary} ({detail})" if primary and detail else primary or str(e)


def _where(params: dict[str, Any]) -> str:
    """host:port/database of a connection, for messages: never the password."""
    host = params.get("host") or params.get("hostaddr") or "localhost"
    return f"{host}:{params.get('port') or 5432}/{params.get('dbname') or params.get('user') or ''}"


def _connect_error(e: psycopg.Error, where: str) -> StoreError:
    """What went wrong connecting, in words, and what to try."""
    text = str(e).strip()
    detail = _LIBPQ_PREFIX.sub("", text.splitlines()[0]) if text else type(e).__name__
    if "database" in text and "does not exist" in text:
        return StoreError(
            f"no database at {where}: {detail}",
            "create it (createdb NAME), or fix the database name in the URL",
        )
    if any(s in text for s in ("authentication failed", "no password supplied", 'role "')):
        return StoreError(
            f"PostgreSQL at {where} refused the login: {detail}",
            "check the user and password in the URL, PGPASSWORD or ~/.pgpass",
        )
    if "resolve host" in text or "translate host name" in text:
        return StoreError(f"unknown host in {where}: {detail}", "check the host name in the URL")
    if any(s in text for s in _UNREACHABLE):
        return StoreError(
            f"no PostgreSQL server answers at {where}: {detail}",
            "start the server, or check the host and port in the URL",
        )
    return StoreError(f"cannot connect to PostgreSQL at {where}: {detail}")


class _Tx:
    def __init__(self, db: psycopg.Connection[tuple[Any, ...]]) -> None:
        self.db = db

    def head(self) -> Head:
        row = self.db.execute("SELECT seq, hash, recorded_at FROM events ORDER BY seq DESC LIMIT 1").fetchone()
        return Head(*row) if row else EMPTY

    def lookup(self, ref: str) -> list[Ref]:
        where, args = lookup_clause(ref)
        rows = self.db.execute(
            f"SELECT seq, id, type, key FROM events WHERE {where.replace('?', '%s')} LIMIT 3",
            args,
        ).fetchall()
        return [Ref(*row) for row in rows]

    def matching(self, names: Sequence[str]) -> list[Ref]:
        rows = self.db.execute(
            "SELECT seq, id, type, key FROM events WHERE id = ANY(%s) OR key = ANY(%s)",
            (list(names), list(names)),
        ).fetchall()
        return [Ref(*row) for row in rows]

    def insert(self, events: Sequence[Event]) -> None:
        try:
            self._insert(events)
        except (psycopg.errors.IntegrityError, psycopg.errors.RaiseException) as e:
            raise InputError(f"the store refused the append: {_reason(e)}") from None

    def keep_capture(self, sha256: str, data: bytes) -> None:
        self.db.execute("INSERT INTO captures (sha256, bytes) VALUES (%s, %s) ON CONFLICT DO NOTHING", (sha256, data))

    def person_keys(self, persons: list[str]) -> dict[str, bytes | None]:
        rows = self.db.execute("SELECT person, key FROM person_keys WHERE person = ANY(%s)", (persons,)).fetchall()
        return {person: None if key is None else bytes(key) for person, key in rows}

    def keep_person_keys(self, keys: list[tuple[str, bytes]]) -> None:
        with self.db.cursor() as cursor:
            cursor.executemany("INSERT INTO person_keys (person, key) VALUES (%s, %s)", keys)

    def erase_person_key(self, person: str) -> None:
        self.db.execute(
            "INSERT INTO person_keys (person, key) VALUES (%s, NULL) ON CONFLICT (person) DO UPDATE SET key = NULL",
            (person,),
        )

    def _insert(self, events: Sequence[Event]) -> None:
        if not events:
            return
        # psycopg sends executemany as one pipeline: one round trip, not one per event.
        with self.db.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO events ({COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [e.row() for e in events],
            )
        seqs = [e.seq for e in events]
        unlinked = self.db.execute(UNLINKED.replace("?", "%s"), (min(seqs), max(seqs))).fetchone()
        if unlinked:
            raise InputError(f"the store refused the append: {unlinked_message(unlinked[0])}")


class PostgresRecorder:
    """Events in a PostgreSQL database. Writers are serialised by a table lock."""

    def __init__(self, url: str, create: bool = False) -> None:
        self.url = url
        try:
            params = conninfo_to_dict(url)
        except psycopg.Error:
            # libpq's message quotes the URL, password and all.
            raise StoreError(
                "the store URL is not a valid PostgreSQL URL",
                "postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE",
            ) from None
        where = _where(params)
        if "connect_timeout" not in params:
            # A wrong host should fail in seconds, not after the system's TCP timeout.
            url = make_conninfo(url, connect_timeout=10)
        try:
            # autocommit: between writes this connection holds no snapshot and no lock.
            self.db = psycopg.connect(url, autocommit=True, application_name="accords")
        except psycopg.Error as e:
            raise _connect_error(e, where) from None
        try:
            self._check(where, create)
        except BaseException:
            self.db.close()
            raise
        self._tx = _Tx(self.db)

    def _check(self, where: str, create: bool) -> None:
        try:
            if self.db.info.parameter_status("server_encoding") != "UTF8":
                raise StoreError(f"the database at {where} does not use UTF-8", "create it with ENCODING 'UTF8'")
            if create:
                with self.db.transaction():
                    self.db.execute(SCHEMA + LATER)
            row = self.db.execute(
                "SELECT to_regclass('events') IS NOT NULL,"
                " to_regclass('events_signing') IS NOT NULL AND to_regclass('events_captured') IS NOT NULL"
                " AND to_regclass('captures') IS NOT NULL AND to_regclass('person_keys') IS NOT NULL"
            ).fetchone()
        except psycopg.errors.InsufficientPrivilege as e:
            # Since PostgreSQL 15 only a database's owner may create tables in public.
            raise StoreError(
                f"cannot open the store at {where}: {_reason(e)}",
                "run `accords init` as the database owner, or have it GRANT the privilege",
            ) from None
        except psycopg.Error as e:
            raise StoreError(f"cannot open the store at {where}: {_reason(e)}") from None
        if not (row and row[0]):
            raise StoreError(f"{where} is not an accords store", _INIT_HINT)
        self._current = bool(
            row[1]
        )  # a store made before the index, captures or person keys gets them at its next write

    @contextmanager
    def writing(self, commit: bool = True) -> Iterator[_Tx]:
        try:
            # One round trip. READ COMMITTED whatever the server default, so each statement
            # after the lock sees every append committed before it. EXCLUSIVE blocks other
            # writers but not readers and is held until COMMIT, so seq n+1 can only be
            # written once seq n is visible to everyone. 60 s, as SQLite's busy timeout.
            self.db.execute(
                "BEGIN ISOLATION LEVEL READ COMMITTED;"
                " SET LOCAL lock_timeout = '60s';"
                " LOCK TABLE events IN EXCLUSIVE MODE"
            )
        except psycopg.errors.LockNotAvailable:
            self._rollback()
            raise StoreError("another writer has held the store for 60 s", "try again when it has finished") from None
        except BaseException:
            self._rollback()
            raise
        try:
            if not self._current:
                self.db.execute(LATER)
                self._current = True
            yield self._tx
        except BaseException:
            self._rollback()
            raise
        if self.db.info.transaction_status == pq.TransactionStatus.INERROR:
            # A statement failed and the caller went on: COMMIT would silently roll back.
            self._rollback()
            raise StoreError("the append failed part way; nothing was written")
        if not commit:
            self._rollback()
            return
        try:
            self.db.execute("COMMIT")
        except psycopg.Error as e:
            self._rollback()
            raise StoreError(f"commit failed: {_reason(e)}") from None

    def _rollback(self) -> None:
        # A lost connection must not hide the error that brought us here.
        with suppress(psycopg.Error):
            self.db.execute("ROLLBACK")

    def head(self) -> Head:
        return self._tx.head()

    def lookup(self, ref: str) -> list[Ref]:
        return self._tx.lookup(ref)

    def read(self, start: int = 1, stop: int | None = None) -> Iterator[Event]:
        # Keyset pages rather than a cursor: no transaction stays open while the caller
        # iterates, so appenders, ALTER TABLE and VACUUM are never held up by a reader.
        # Stopping at the head as of the first page gives the snapshot SQLite's cursor
        # gives; appends are gapless and atomic, so every seq up to it is committed.
        if stop is None:
            stop = self.head().seq
        while start <= stop:
            rows = self.db.execute(
                f"SELECT {COLUMNS} FROM events WHERE seq >= %s AND seq <= %s ORDER BY seq LIMIT %s",
                (start, stop, _PAGE),
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield _event(row)
            start = rows[-1][0] + 1

    def read_rows(self, start: int | None = None, stop: int | None = None) -> Iterator[list[Row]]:
        # Keyset pages as in read, in binary: seq arrives as an integer and the body,
        # converted to bytea, as its UTF-8 bytes, so neither is parsed from text.
        start = -(2**63) if start is None else start
        stop = self.head().seq if stop is None else stop
        with self.db.cursor(binary=True) as cursor:
            while start <= stop:
                rows: list[Row] = cursor.execute(
                    "SELECT seq, id, type, key, recorded_at, recorded_by, convert_to(body, 'UTF8'),"
                    " prev, hash FROM events WHERE seq >= %s AND seq <= %s ORDER BY seq LIMIT %s",
                    (start, stop, _PAGE),
                ).fetchall()
                if not rows:
                    return
                yield rows
                start = rows[-1][0] + 1

    def signing_events(self) -> Iterator[Event]:
        for row in self.db.execute(f"SELECT {COLUMNS} FROM events WHERE {SIGNING_IN} ORDER BY seq").fetchall():
            yield _event(row)

    def captured_events(self) -> Iterator[Event]:
        for row in self.db.execute(f"SELECT {COLUMNS} FROM events WHERE {CAPTURED_IN} ORDER BY seq").fetchall():
            yield _event(row)

    def seq_at(self, moment: str) -> int:
        row = self.db.execute("SELECT MAX(seq) FROM events WHERE recorded_at <= %s", (moment,)).fetchone()
        return int(row[0] or 0) if row else 0

    def add_checkpoint(self, checkpoint: Checkpoint) -> None:
        self.db.execute(
            "INSERT INTO checkpoints (tree_size, root, created_at, public_key, signature) VALUES (%s, %s, %s, %s, %s)",
            (checkpoint.tree_size, checkpoint.root, checkpoint.created_at, checkpoint.public_key, checkpoint.signature),
        )

    def checkpoints(self) -> list[Checkpoint]:
        rows = self.db.execute(
            "SELECT tree_size, root, created_at, public_key, signature FROM checkpoints ORDER BY n"
        ).fetchall()
        return [Checkpoint(*row) for row in rows]

    def person_keys(self) -> dict[str, bytes | None]:
        if not self.db.execute("SELECT to_regclass('person_keys') IS NOT NULL").fetchone()[0]:  # type: ignore[index]
            return {}  # a store made before person keys, not written since
        rows = self.db.execute("SELECT person, key FROM person_keys").fetchall()
        return {person: None if key is None else bytes(key) for person, key in rows}

    def scrub(self) -> None:
        # An UPDATE leaves the old row in the table's pages until they are reused: VACUUM
        # FULL writes the table anew and empties its old files (it takes a lock for a moment).
        self.db.execute("VACUUM FULL person_keys")

    def capture(self, sha256: str) -> bytes | None:
        if not self.db.execute("SELECT to_regclass('captures') IS NOT NULL").fetchone()[0]:  # type: ignore[index]
            return None  # a store made before captures, not written since
        row = self.db.execute("SELECT bytes FROM captures WHERE sha256 = %s", (sha256,)).fetchone()
        return bytes(row[0]) if row else None

    def close(self) -> None:
        self.db.close()
