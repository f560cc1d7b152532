"""accords' own appends, measured in this process: the library path, and parts of it.

`Log.append` into a store or into dicts (no database); what an append must do with no
checks at all; accords' rows inserted alone. log_bench.py sets each beside its peers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from figures import timed

BATCH = 1000  # accords.events.log.CHUNK: events per executemany


def drafts(events: Iterable[dict[str, Any]]) -> Iterable[Any]:
    from accords.events.log import Draft

    return (Draft(e["type"], e["body"], e.get("key")) for e in events)


def accords_lib_append(events: list[dict[str, Any]], url: str) -> float:
    from accords.events.log import Log
    from accords.events.backends import open_store

    store = open_store(url, create=True)
    try:
        log = Log(store, "bench")
        seconds, done = timed(lambda: log.append(drafts(events)))
    finally:
        store.close()
    if done.added != len(events):
        raise SystemExit(f"Log.append added {done.added} of {len(events)}")
    return seconds


class MemoryRecorder:
    """A recorder keeping refs in dicts: Log.append with no database, the Python-side cost.

    Exact keys and ids only (no id prefixes): the generated events refer by key.
    """

    url = "memory"

    def __init__(self) -> None:
        from accords.events.model import EMPTY

        self.refs: dict[str, Any] = {}
        self.last = EMPTY

    def writing(self, commit: bool = True) -> Any:
        from contextlib import nullcontext

        return nullcontext(self)

    def head(self) -> Any:
        return self.last

    def lookup(self, ref: str) -> list[Any]:
        found = self.refs.get(ref)
        return [found] if found else []

    def matching(self, names: Sequence[str]) -> list[Any]:
        return list({self.refs[n] for n in names if n in self.refs})

    def insert(self, events: Sequence[Any]) -> None:
        from accords.events.model import Head
        from accords.events.store import Ref

        for e in events:
            ref = Ref(e.seq, e.id, e.type, e.key)
            self.refs[e.id] = ref
            if e.key is not None:
                self.refs[e.key] = ref
        self.last = Head(events[-1].seq, events[-1].hash, events[-1].recorded_at)


def accords_lib_memory(events: list[dict[str, Any]]) -> float:
    from accords.events.log import Log

    log = Log(MemoryRecorder(), "bench")  # type: ignore[arg-type]
    seconds, done = timed(lambda: log.append(drafts(events)))
    if done.added != len(events):
        raise SystemExit(f"Log.append (memory) added {done.added} of {len(events)}")
    return seconds


def accords_unchecked(events: list[dict[str, Any]], path: Path) -> float:
    """What every accords append must do however fast its checks: canonical body, content
    id, record time, chain hash, Event, insert; no body, statement or reference check."""
    from accords.events.canonical import canonical
    from accords.events.model import GENESIS, Event, event_hash, event_id, timestamp
    from accords.events.sqlite import SqliteRecorder

    store = SqliteRecorder(str(path), create=True)

    def go() -> None:
        prev, batch = GENESIS, []
        with store.writing() as tx:
            for seq, e in enumerate(events, 1):
                type_, key, body = e["type"], e.get("key"), canonical(e["body"])
                id_ = event_id(type_, body)
                at = timestamp(dt.datetime.now(dt.timezone.utc))
                hash_ = event_hash(seq, id_, type_, key, at, "bench", body, prev)
                batch.append(Event(seq, id_, type_, key, at, "bench", body, prev, hash_))
                prev = hash_
                if len(batch) == BATCH:
                    tx.insert(batch)
                    batch = []
            tx.insert(batch)

    try:
        return timed(go)[0]
    finally:
        store.close()


def accords_inserts_only(rows: list[Any], path: Path, cache_kib: int | None = None) -> float:
    """accords' SQLite schema, indexes and per-chunk chain check, fed events already built."""
    from accords.events.sqlite import SqliteRecorder

    store = SqliteRecorder(str(path), create=True)
    if cache_kib:
        store.db.execute(f"PRAGMA cache_size = -{cache_kib}")

    def go() -> None:
        with store.writing() as tx:
            for i in range(0, len(rows), BATCH):
                tx.insert(rows[i : i + BATCH])

    try:
        return timed(go)[0]
    finally:
        store.close()
