"""An attacker with write access to the store: SQL run with the append-only triggers off,
and a log rewritten with every hash computed again (the tests of verify, witness, notes and
signatures share them)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from accords.events.backends import open_store
from accords.events.model import GENESIS, event_hash, event_id

DATA = Path(__file__).parent / "events" / "data"


def attack(url: str, statements: list[str]) -> None:
    """Run SQL as an attacker would: the append-only triggers switched off first."""
    if url.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(url) as db:
            db.execute("ALTER TABLE events DISABLE TRIGGER USER")
            db.execute("ALTER TABLE checkpoints DISABLE TRIGGER USER")
            for sql in statements:
                db.execute(sql)
            db.execute("ALTER TABLE events ENABLE TRIGGER USER")
            db.execute("ALTER TABLE checkpoints ENABLE TRIGGER USER")
    else:
        import sqlite3

        db = sqlite3.connect(url)
        triggers = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
        script = "".join(f"DROP TRIGGER {name};" for name, _ in triggers)
        script += ";".join(statements) + ";" + ";".join(sql for _, sql in triggers) + ";"
        db.executescript(script)
        db.close()


def rechained(url: str, bodies: dict[int, bytes] | None = None, more: Sequence[tuple[str, bytes]] = ()) -> list[str]:
    """SQL inserting the log again with the bodies given by seq (default: seq 2's
    "financial incentives" denied) and events more appended, every hash computed anew
    (later bodies refer to a rewritten claim by its old id; the attacker leaves them)."""
    events = list(open_store(url).read())
    bodies = {2: events[1].body.replace(b"financial incentives", b"no incentives")} if bodies is None else bodies
    last = events[-1]
    rows = [(e.seq, e.type, e.key, e.recorded_at, e.recorded_by, bodies.get(e.seq, e.body)) for e in events]
    rows += [
        (last.seq + n, type_, None, last.recorded_at, last.recorded_by, body) for n, (type_, body) in enumerate(more, 1)
    ]
    prev, statements = GENESIS, []
    for seq, type_, key, at, by, body in rows:
        id_ = event_id(type_, body)
        h = event_hash(seq, id_, type_, key, at, by, body, prev)
        row = (seq, id_, type_, key, at, by, body.decode(), prev, h)
        values = ", ".join(
            "NULL" if v is None else str(v) if isinstance(v, int) else "'" + v.replace("'", "''") + "'" for v in row
        )
        statements.append(
            f"INSERT INTO events (seq, id, type, key, recorded_at, recorded_by, body, prev, hash) VALUES ({values})"
        )
        prev = h
    return statements
