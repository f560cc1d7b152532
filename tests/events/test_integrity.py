"""verify: what it reports while it runs, as a library and as a command."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from accords.events import integrity
from accords.events.canonical import canonical
from accords.events.model import GENESIS, Event, event_hash, event_id
from accords.events.store import open_store


def test_verify_reports_progress_every_10000_events(tmp_path: Path, sqlite_run: Any) -> None:
    store = open_store(str(tmp_path / "accords.db"), create=True)
    at, by, kind = "2025-06-01T00:00:00.000000Z", "tester", "SourceRegistered"
    prev, events = GENESIS, []
    for seq in range(1, 25_001):  # built directly: Log.append would check each body
        body = canonical({"title": f"report {seq}", "kind": "news"})
        id_ = event_id(kind, body)
        hash_ = event_hash(seq, id_, kind, None, at, by, body, prev)
        events.append(Event(seq, id_, kind, None, at, by, body, prev, hash_))
        prev = hash_
    with store.writing() as tx:
        tx.insert(events)
    seen: list[int] = []
    result = integrity.verify(store, seen.append)
    assert (result.events, result.problem, seen) == (25_000, None, [10_000, 20_000])
    command = sqlite_run("verify", store=str(tmp_path / "accords.db"))  # progress on stderr, the result on stdout
    assert command.exit_code == 0 and command.stdout.startswith("ok: 25000 events verify")
    assert command.stderr == "10000 events verified\n20000 events verified\n"
