"""The peer of accords' import: eventsourcing's SQLite recorders, fed the same events."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import orjson
from figures import EXTRA, timed

BATCH = 1000  # as accords.events.log.CHUNK: events per call


@cache
def recorded_event_class() -> Any:
    """An eventsourcing DomainEvent holding one event dict (made once: topics are registered)."""
    from eventsourcing.domain import DomainEvent

    class Recorded(DomainEvent):
        type: str
        key: str | None
        body: dict[str, Any]

    return Recorded


def eventsourcing_append(events: list[dict[str, Any]], path: Path, mode: str) -> float:
    """The same events as eventsourcing StoredEvents, one aggregate, versions 1..n.

    mode "per-call": the public insert_events, one call (and one commit) per 1,000.
    mode "one-tx": one transaction over the whole file, _insert_events per 1,000, the
    shape of an accords import. mode "app-per-call": the application recorder (row by
    row, returning notification ids), one call per 1,000. mode "mapped": as "per-call",
    but each StoredEvent is made as an eventsourcing application makes it, inside the
    clock: a DomainEvent object per event dict, encoded by its Mapper (JSON transcoder).
    """
    from eventsourcing.persistence import DatetimeAsISO, DecimalAsStr, JSONTranscoder, Mapper, StoredEvent, UUIDAsHex
    from eventsourcing.sqlite import SQLiteAggregateRecorder, SQLiteApplicationRecorder, SQLiteDatastore

    Recorded = recorded_event_class()
    transcoder = JSONTranscoder()
    for transcoding in (UUIDAsHex(), DatetimeAsISO(), DecimalAsStr()):
        transcoder.register(transcoding)
    mapper = Mapper(transcoder=transcoder)

    datastore = SQLiteDatastore(str(path))
    cls = SQLiteApplicationRecorder if mode.startswith("app") else SQLiteAggregateRecorder
    recorder = cls(datastore)
    recorder.create_table()
    with datastore.transaction(commit=False) as c:
        c.execute("PRAGMA journal_mode")
        journal = c.fetchone()[0]
        c.execute("PRAGMA synchronous")
        sync = c.fetchone()[0]
    EXTRA["eventsourcing_sqlite"] = f"journal_mode={journal}, synchronous={sync} (2 = FULL)"
    aggregate = uuid.uuid5(uuid.NAMESPACE_URL, "https://w3id.org/accords/bench/log")

    def batches() -> Iterable[list[Any]]:
        batch: list[Any] = []
        for version, e in enumerate(events, 1):
            if mode == "mapped":
                batch.append(
                    mapper.to_stored_event(
                        Recorded(
                            originator_id=aggregate,
                            originator_version=version,
                            timestamp=Recorded.create_timestamp(),
                            type=e["type"],
                            key=e.get("key"),
                            body=e["body"],
                        )
                    )
                )
            else:
                batch.append(StoredEvent(aggregate, version, e["type"], orjson.dumps(e)))
            if len(batch) == BATCH:
                yield batch
                batch = []
        if batch:
            yield batch

    def per_call() -> None:
        for batch in batches():
            recorder.insert_events(batch)

    def one_tx() -> None:
        with datastore.transaction(commit=True) as c:
            for batch in batches():
                recorder._insert_events(c, batch)

    try:
        seconds = timed(one_tx if mode == "one-tx" else per_call)[0]
        with datastore.transaction(commit=False) as c:
            c.execute(f"SELECT COUNT(*) FROM {recorder.events_table_name}")
            count = c.fetchone()[0]
    finally:
        datastore.close()
    if count != len(events):
        raise SystemExit(f"eventsourcing stored {count} of {len(events)}")
    return seconds
