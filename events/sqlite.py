"""The SQLite recorder: one file in WAL mode, the embedded default store."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import orjson

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
    """The triggers that refuse UPDATE and DELETE of table's rows."""
    return "".join(
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table}\n"
        f"BEGIN SELECT RAISE(ABORT, '{table} are append-only: {op} is refused'); END;\n"
        for op in ("UPDATE", "DELETE")
    )


SCHEMA = (
    """
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY CHECK (seq > 0),
    id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    key TEXT UNIQUE,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    body TEXT NOT NULL,
    prev TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_recorded_at ON events (recorded_at);
CREATE TABLE IF NOT EXISTS checkpoints (
    tree_size INTEGER NOT NULL,
    root TEXT NOT NULL,
    created_at TEXT NOT NULL,
    public_key TEXT,
    signature TEXT
);
"""
    + _append_only("events")
    + _append_only("checkpoints")
)

# Made by init, and by the first write to a store made before them.
LATER = (
    f"{SIGNING_INDEX};\n{CAPTURED_INDEX};\n"
    "CREATE TABLE IF NOT EXISTS captures (sha256 TEXT PRIMARY KEY, bytes BLOB NOT NULL);\n"
    + _append_only("captures")
    # outside the chain, and not append-only: an erasure sets a key to NULL (events/personal.py)
    + "CREATE TABLE IF NOT EXISTS person_keys (person TEXT PRIMARY KEY, key BLOB);\n"
)
_LATER_NAMES = ("events_signing", "events_captured", "captures", "person_keys")

_ROWS_BATCH = 500  # rows held at once: larger batches fall out of the CPU caches


def _statements(script: str) -> Iterator[str]:
    """A script's statements one by one (executescript would commit the open transaction)."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            yield buffer
            buffer = ""


def _event(row: tuple[int, str, str, str | None, str, str, str, str, str]) -> Event:
    seq, id_, type_, key, at, by, body, prev, hash_ = row
    return Event(seq, id_, type_, key, at, by, body.encode(), prev, hash_)


class _Tx:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def head(self) -> Head:
        row = self.db.execute("SELECT seq, hash, recorded_at FROM events ORDER BY seq DESC LIMIT 1").fetchone()
        return Head(*row) if row else EMPTY

    def lookup(self, ref: str) -> list[Ref]:
        where, args = lookup_clause(ref)
        rows = self.db.execute(f"SELECT seq, id, type, key FROM events WHERE {where} LIMIT 3", args).fetchall()
        return [Ref(*row) for row in rows]

    def matching(self, names: Sequence[str]) -> list[Ref]:
        # One bound parameter whatever the count: SQLite limits the number of parameters.
        rows = self.db.execute(
            "SELECT seq, id, type, key FROM events WHERE id IN (SELECT value FROM json_each(?1))"
            " UNION SELECT seq, id, type, key FROM events WHERE key IN (SELECT value FROM json_each(?1))",
            (orjson.dumps(names),),
        ).fetchall()
        return [Ref(*row) for row in rows]

    def insert(self, events: Sequence[Event]) -> None:
        try:
            self._insert(events)
        except sqlite3.IntegrityError as e:
            raise InputError(f"the store refused the append: {e}") from None

    def keep_capture(self, sha256: str, data: bytes) -> None:
        self.db.execute("INSERT INTO captures (sha256, bytes) VALUES (?, ?) ON CONFLICT DO NOTHING", (sha256, data))

    def person_keys(self, persons: list[str]) -> dict[str, bytes | None]:
        rows = self.db.execute(
            "SELECT person, key FROM person_keys WHERE person IN (SELECT value FROM json_each(?))",
            (orjson.dumps(persons),),
        )
        return {person: None if key is None else bytes(key) for person, key in rows}

    def keep_person_keys(self, keys: list[tuple[str, bytes]]) -> None:
        self.db.executemany("INSERT INTO person_keys (person, key) VALUES (?, ?)", keys)

    def erase_person_key(self, person: str) -> None:
        self.db.execute(
            "INSERT INTO person_keys (person, key) VALUES (?, NULL) ON CONFLICT (person) DO UPDATE SET key = NULL",
            (person,),
        )

    def _insert(self, events: Sequence[Event]) -> None:
        if not events:
            return
        self.db.executemany(
            f"INSERT INTO events ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [e.row() for e in events],
        )
        seqs = [e.seq for e in events]
        unlinked = self.db.execute(UNLINKED, (min(seqs), max(seqs))).fetchone()
        if unlinked:
            raise sqlite3.IntegrityError(unlinked_message(unlinked[0]))


class SqliteRecorder:
    """Events in one SQLite file. Writers are serialised by BEGIN IMMEDIATE."""

    def __init__(self, path: str, create: bool = False) -> None:
        self.url = path
        exists = Path(path).exists()
        if not exists and not create:
            raise StoreError(
                f"no accords store at {path}",
                "create one with `accords init`, or choose one with --store or ACCORDS_STORE",
            )
        try:
            self.db = sqlite3.connect(path, isolation_level=None, timeout=60, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode = WAL")
            # FULL: a commit we acknowledged survives power loss, not only a crash.
            self.db.execute("PRAGMA synchronous = FULL")
            # what is deleted (an erased person's key) is overwritten with zeros, not left in a free page
            self.db.execute("PRAGMA secure_delete = ON")
            if create:
                self.db.executescript(SCHEMA + LATER)
            elif not self.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'events'").fetchone():
                raise StoreError(f"{path} is not an accords store", "run `accords init` on a new path")
            # a store made before the index of keys and signatures, the captures or the person keys
            # gets them at its next write
            self._current = self.db.execute(
                f"SELECT COUNT(*) FROM sqlite_master WHERE name IN {_LATER_NAMES}"
            ).fetchone()[0] == len(_LATER_NAMES)
        except sqlite3.DatabaseError as e:
            raise StoreError(f"cannot open {path}: {e}") from None
        self._tx = _Tx(self.db)

    @contextmanager
    def writing(self, commit: bool = True) -> Iterator[_Tx]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            if not self._current:
                for statement in _statements(LATER):
                    self.db.execute(statement)
                self._current = True
            yield self._tx
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        if not commit:
            self.db.execute("ROLLBACK")
            return
        try:
            self.db.execute("COMMIT")
        except sqlite3.DatabaseError as e:
            self.db.execute("ROLLBACK")
            raise StoreError(f"commit failed: {e}") from None

    def head(self) -> Head:
        return self._tx.head()

    def lookup(self, ref: str) -> list[Ref]:
        return self._tx.lookup(ref)

    def read(self, start: int = 1, stop: int | None = None) -> Iterator[Event]:
        cursor = self.db.execute(
            f"SELECT {COLUMNS} FROM events WHERE seq >= ? AND seq <= ? ORDER BY seq",
            (start, stop if stop is not None else 2**62),
        )
        while rows := cursor.fetchmany(2000):
            for row in rows:
                yield _event(row)

    def read_rows(self, start: int | None = None, stop: int | None = None) -> Iterator[list[Row]]:
        # CAST: the body's stored UTF-8 bytes, not decoded to str and encoded back.
        cursor = self.db.execute(
            "SELECT seq, id, type, key, recorded_at, recorded_by, CAST(body AS BLOB), prev, hash"
            " FROM events WHERE seq >= ? AND seq <= ? ORDER BY seq",
            (-(2**63) if start is None else start, 2**63 - 1 if stop is None else stop),
        )
        while rows := cursor.fetchmany(_ROWS_BATCH):
            yield rows

    def signing_events(self) -> Iterator[Event]:
        for row in self.db.execute(f"SELECT {COLUMNS} FROM events WHERE {SIGNING_IN} ORDER BY seq"):
            yield _event(row)

    def captured_events(self) -> Iterator[Event]:
        for row in self.db.execute(f"SELECT {COLUMNS} FROM events WHERE {CAPTURED_IN} ORDER BY seq"):
            yield _event(row)

    def capture(self, sha256: str) -> bytes | None:
        try:
            row = self.db.execute("SELECT bytes FROM captures WHERE sha256 = ?", (sha256,)).fetchone()
        except sqlite3.OperationalError:  # a store made before captures, not written since
            return None
        return bytes(row[0]) if row else None

    def person_keys(self) -> dict[str, bytes | None]:
        try:
            rows = self.db.execute("SELECT person, key FROM person_keys").fetchall()
        except sqlite3.OperationalError:  # a store made before person keys, not written since
            return {}
        return {person: None if key is None else bytes(key) for person, key in rows}

    def scrub(self) -> None:
        # The WAL still holds the pages an erased key was written in: copied back, then emptied.
        busy, _, _ = self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            raise StoreError(
                f"{self.url} is being read by another process: the erased key's old pages stay in its WAL"
                " until its next checkpoint",
                "run accords erase again when the other command is done: it finishes the erasure",
            )

    def seq_at(self, moment: str) -> int:
        row = self.db.execute("SELECT MAX(seq) FROM events WHERE recorded_at <= ?", (moment,)).fetchone()
        return int(row[0] or 0)

    def add_checkpoint(self, checkpoint: Checkpoint) -> None:
        self.db.execute(
            "INSERT INTO checkpoints (tree_size, root, created_at, public_key, signature) VALUES (?, ?, ?, ?, ?)",
            (checkpoint.tree_size, checkpoint.root, checkpoint.created_at, checkpoint.public_key, checkpoint.signature),
        )

    def checkpoints(self) -> list[Checkpoint]:
        rows = self.db.execute(
            "SELECT tree_size, root, created_at, public_key, signature FROM checkpoints ORDER BY rowid"
        ).fetchall()
        return [Checkpoint(*row) for row in rows]

    def close(self) -> None:
        self.db.close()
